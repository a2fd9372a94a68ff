/// Reads the records of one sorted run of a segment of a spill or map
/// output file, in order; `open` makes a cursor per run, to be merged.
///
/// Checks every block and, once the segment's last run has ended, the
/// segment's CRC-32, raw length and record count against its index entry
/// (`SegmentCheck`): corrupt data is an error, never silently wrong records.
///
/// Its state is touched once or more per record, so the mutable properties
/// skip the runtime's exclusivity checks: a cursor is used by one thread,
/// and no method hands out an `inout` reference to its state.
final class SegmentCursor {
    private let bytes: SegmentBytes
    private let name: String
    private let inflater: Inflater
    /// The run this cursor reads, by number in its segment, and where it ends.
    private let run: Int
    private let start: Int64
    private let end: Int64
    private let check: SegmentCheck
    /// The next block's offset in the segment.
    @exclusivity(unchecked) private var position: Int64
    @exclusivity(unchecked) private var stored = ByteWriter(capacity: SpillFormat.blockSize)
    @exclusivity(unchecked) private var raw = ByteWriter(capacity: SpillFormat.blockSize)
    @exclusivity(unchecked) private var records = ByteReader(UnsafeRawBufferPointer(start: nil, count: 0))
    @exclusivity(unchecked) private var crc = CRC32()
    @exclusivity(unchecked) private var rawSeen: Int64 = 0
    @exclusivity(unchecked) private var recordsSeen: Int64 = 0

    /// The current record's key and value; valid until the next `advance`.
    @exclusivity(unchecked) private(set) var key = UnsafeRawBufferPointer(start: nil, count: 0)
    @exclusivity(unchecked) private(set) var value = UnsafeRawBufferPointer(start: nil, count: 0)

    /// Opens a cursor for each sorted run of a segment in a file or in memory,
    /// in run order (merged in that order, equal keys keep the order they were
    /// spilled in). A segment of several runs is found to be so from its block headers.
    static func open(_ input: ReduceInput) throws -> [SegmentCursor] {
        let bytes = try SegmentBytes(input)
        let starts = input.segment.runs > 1 ? try Self.runStarts(of: input, in: bytes) : [0]
        let ends = starts.dropFirst() + [input.segment.length]
        let check = SegmentCheck(input.segment, runs: starts.count, name: input.name)
        return try zip(starts, ends).enumerated().map { run, range in
            try SegmentCursor(bytes: bytes, name: input.name, run: run, start: range.0, end: range.1, check: check)
        }
    }

    private init(bytes: SegmentBytes, name: String, run: Int, start: Int64, end: Int64, check: SegmentCheck) throws {
        self.bytes = bytes
        self.name = name
        self.run = run
        self.start = start
        self.end = end
        self.position = start
        self.check = check
        self.inflater = try Inflater()
    }

    /// Where each sorted run of `input`'s segment starts: its first block, and
    /// each block whose header is marked as a run's start. Reads only headers.
    private static func runStarts(of input: ReduceInput, in bytes: SegmentBytes) throws -> [Int64] {
        let length = input.segment.length
        var starts: [Int64] = [0]
        var position: Int64 = 0
        try withUnsafeTemporaryAllocation(byteCount: SpillFormat.blockHeaderSize, alignment: 4) { header in
            while position < length {
                guard length - position >= Int64(SpillFormat.blockHeaderSize),
                    try bytes.read(at: position, into: header) == SpillFormat.blockHeaderSize
                else {
                    throw SpillFormatError(.truncated, "\(input.name): block header at \(position) runs past the segment")
                }
                let rawLength = UInt32(bigEndian: header.loadUnaligned(as: UInt32.self))
                let storedLength = UInt32(bigEndian: header.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
                if position > 0 && rawLength & SpillFormat.runStartFlag != 0 {
                    starts.append(position)
                    // More runs than the index says: corrupt, and no reason to read on.
                    guard starts.count <= input.segment.runs else { break }
                }
                position += Int64(SpillFormat.blockHeaderSize) + Int64(storedLength)
            }
        }
        guard position == length, starts.count == input.segment.runs else {
            throw SpillFormatError(
                .corrupt, "\(input.name): blocks of \(starts.count) runs in \(position) bytes, index says \(input.segment.runs) in \(length)")
        }
        return starts
    }

    /// Moves to the next record; false at the end of the segment.
    func advance() throws -> Bool {
        if self.records.isAtEnd {
            guard try self.readBlock() else { return false }
        }
        do {
            guard let keyLength = Int(exactly: try self.records.readVarint()),
                let valueLength = Int(exactly: try self.records.readVarint())
            else { throw RecordDecodingError.invalid("a record length beyond any block") }
            self.key = try self.records.readBytes(keyLength)
            self.value = try self.records.readBytes(valueLength)
        } catch {
            throw SpillFormatError(.corrupt, "\(self.name): bad record in block at \(self.position): \(error)")
        }
        self.recordsSeen += 1
        return true
    }

    /// Reads and inflates the next block; false (after the final checks) at the end.
    private func readBlock() throws -> Bool {
        let end = self.end
        guard self.position < end else {
            try self.check.runEnded(
                self.run, crc: self.crc.value, storedLength: end - self.start, rawLength: self.rawSeen, records: self.recordsSeen)
            return false
        }
        guard end - self.position >= Int64(SpillFormat.blockHeaderSize) else {
            throw SpillFormatError(.truncated, "\(self.name): block header at \(self.position) runs past the segment")
        }
        self.stored.removeAll()
        try self.readStored(SpillFormat.blockHeaderSize)
        var header = ByteReader(self.stored.bytes)
        let rawField = try header.readBigEndian(as: UInt32.self)
        let storedLength = Int(try header.readBigEndian(as: UInt32.self))
        let startsRun = rawField & SpillFormat.runStartFlag != 0
        guard startsRun == (self.run > 0 && self.position == self.start + Int64(SpillFormat.blockHeaderSize)) else {
            throw SpillFormatError(.corrupt, "\(self.name): block at \(self.position - 8) is marked as a run's start where no run starts")
        }
        let rawLength = Int(rawField & ~SpillFormat.runStartFlag)
        // Writers never write an empty block.
        guard Int64(storedLength) <= end - self.position, rawLength > 0, rawLength <= SpillFormat.maxBlockSize,
            rawLength <= storedLength * SpillFormat.maxExpansion + 64
        else {
            throw SpillFormatError(
                .corrupt, "\(self.name): block at \(self.position - 8) claims \(storedLength) stored, \(rawLength) raw bytes")
        }
        try self.readStored(storedLength)
        self.crc.update(self.stored.bytes)
        self.raw.removeAll()
        do {
            try self.raw.appendUnsafe(upTo: rawLength) { (output) throws(CompressionError) -> ((), Int) in
                let compressed = UnsafeRawBufferPointer(rebasing: self.stored.bytes[SpillFormat.blockHeaderSize...])
                try self.inflater.decompress(compressed, into: output)
                return ((), rawLength)
            }
        } catch {
            throw SpillFormatError(.corrupt, "\(self.name): block at \(self.position) does not inflate: \(error)")
        }
        self.rawSeen += Int64(rawLength)
        self.records = ByteReader(self.raw.bytes)
        return true
    }

    private func readStored(_ count: Int) throws {
        let read = try self.stored.appendUnsafe(upTo: count) { buffer in
            let n = try self.bytes.read(at: self.position, into: buffer)
            return (n, n)
        }
        guard read == count else {
            throw SpillFormatError(.truncated, "\(self.name): file ends inside the block at \(self.position)")
        }
        self.position += Int64(count)
    }
}
