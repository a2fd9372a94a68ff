/// Reads the records of one segment of a spill or map output file, in order.
///
/// Checks every block and, at the end, the segment's CRC-32, raw length and
/// record count against its index entry: corrupt data is an error, never
/// silently wrong records.
///
/// Its state is touched once or more per record, so the mutable properties
/// skip the runtime's exclusivity checks: a cursor is used by one thread,
/// and no method hands out an `inout` reference to its state.
final class SegmentCursor {
    /// The open file for a segment in a file; nil for one in memory.
    private let file: OpenFile?
    private let memory: [UInt8]
    private let segment: Segment
    private let name: String
    private let inflater: Inflater
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

    /// Opens `segment` of the file at `path`; `name` identifies it in errors.
    convenience init(path: String, segment: Segment, name: String) throws {
        try self.init(ReduceInput(source: .file(path), segment: segment, name: name))
    }

    /// Opens a segment in a file or in memory.
    init(_ input: ReduceInput) throws {
        switch input.source {
        case .file(let path):
            self.file = try OpenFile(path: path)
            self.memory = []
            self.position = input.segment.offset
        case .memory(let bytes):
            self.file = nil
            self.memory = bytes
            self.position = 0
        }
        self.segment = input.segment
        self.name = input.name
        self.inflater = try Inflater()
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
        let end = (self.file == nil ? 0 : self.segment.offset) + self.segment.length
        guard self.position < end else {
            try self.checkEnd()
            return false
        }
        guard end - self.position >= Int64(SpillFormat.blockHeaderSize) else {
            throw SpillFormatError(.truncated, "\(self.name): block header at \(self.position) runs past the segment")
        }
        self.stored.removeAll()
        try self.readStored(SpillFormat.blockHeaderSize)
        var header = ByteReader(self.stored.bytes)
        let rawLength = Int(try header.readBigEndian(as: UInt32.self))
        let storedLength = Int(try header.readBigEndian(as: UInt32.self))
        guard Int64(storedLength) <= end - self.position, rawLength <= SpillFormat.maxBlockSize,
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
        if !self.records.isAtEnd { return true }
        return try self.readBlock()
    }

    private func readStored(_ count: Int) throws {
        let read = try self.stored.appendUnsafe(upTo: count) { buffer in
            if let file = self.file {
                let n = try file.descriptor.read(at: self.position, into: buffer)
                return (n, n)
            }
            let n = max(0, min(count, self.memory.count - Int(self.position)))
            self.memory.withUnsafeBytes { memory in
                buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: memory[Int(self.position)..<(Int(self.position) + n)]))
            }
            return (n, n)
        }
        guard read == count else {
            throw SpillFormatError(.truncated, "\(self.name): file ends inside the block at \(self.position)")
        }
        self.position += Int64(count)
    }

    private func checkEnd() throws {
        guard self.crc.value == self.segment.crc32 else {
            throw SpillFormatError(
                .checksumMismatch, "\(self.name): crc32 \(self.crc.value), index says \(self.segment.crc32)")
        }
        guard self.rawSeen == self.segment.rawLength, self.recordsSeen == self.segment.records else {
            throw SpillFormatError(
                .corrupt,
                "\(self.name): \(self.recordsSeen) records in \(self.rawSeen) bytes, index says \(self.segment.records) in \(self.segment.rawLength)")
        }
    }
}
