#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a spill or map output file: records in partition order, each
/// partition's keys ascending, in zlib-compressed blocks.
///
/// The file is written under a temporary name and renamed into place by
/// `finish`, so a file at the final path is always complete.
struct SpillWriter: ~Copyable {
    let path: String
    private var file: FileWriter
    private let deflater: Deflater
    private var block = ByteWriter(capacity: SpillFormat.blockSize + 1024)
    private var compressed = ByteWriter(capacity: SpillFormat.blockSize + 1024)
    private var segments: [Segment] = []
    private let partitions: Int
    // The segment being written.
    private var segmentStart: Int64 = 0
    private var segmentRaw: Int64 = 0
    private var segmentRecords: Int64 = 0
    /// Sorted runs copied into the segment by `appendRuns`.
    private var segmentRuns = 0
    private var crc = CRC32()
    /// Whether blocks are compressed at all (level 0 stores every block).
    private let compresses: Bool
    /// Blocks still to store without trying to compress them, after one that did not compress.
    private var blocksToStore = 0

    /// Starts a file that will hold `partitions` segments at `path`.
    static func create(path: String, partitions: Int, compressionLevel: Int) throws -> SpillWriter {
        let deflater = try Deflater(level: compressionLevel)
        var writer = SpillWriter(
            path: path, partitions: partitions, deflater: deflater, compresses: compressionLevel > 0,
            file: try FileWriter(path: path + ".tmp", access: .ownerOnly))
        try SpillFormat.magic.withUnsafeBytes { try writer.file.write($0) }
        writer.segmentStart = writer.file.offset
        return writer
    }

    private init(path: String, partitions: Int, deflater: Deflater, compresses: Bool, file: consuming FileWriter) {
        self.path = path
        self.partitions = partitions
        self.deflater = deflater
        self.compresses = compresses
        self.file = file
    }

    /// The partition whose segment is being written.
    var currentPartition: Int { self.segments.count }

    /// Appends a record to `partition`'s segment; partitions must not go backwards.
    mutating func append(partition: Int, key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) throws {
        precondition(partition >= self.currentPartition && partition < self.partitions, "partition \(partition) out of order")
        while self.currentPartition < partition { try self.endSegment() }
        precondition(self.segmentRuns == 0, "records appended after copied runs")
        self.block.appendVarint(UInt64(key.count))
        self.block.appendVarint(UInt64(value.count))
        self.block.append(key)
        self.block.append(value)
        self.segmentRecords += 1
        if self.block.count >= SpillFormat.blockSize { try self.writeBlock() }
    }

    private mutating func writeBlock() throws {
        guard !self.block.isEmpty else { return }
        self.compressed.removeAll()
        self.compressed.appendBigEndian(UInt32(self.block.count))
        self.compressed.appendBigEndian(UInt32(0))
        try self.compress()
        self.compressed.storeBigEndian(UInt32(self.compressed.count - SpillFormat.blockHeaderSize), at: 4)
        self.crc.update(self.compressed.bytes)
        try self.file.write(self.compressed.bytes)
        self.segmentRaw += Int64(self.block.count)
        self.block.removeAll()
    }

    /// Deflates the block into `compressed`, or stores it when it does not
    /// shrink; after such a block, stores the next few without trying.
    private mutating func compress() throws {
        if self.compresses && self.blocksToStore == 0 {
            try self.deflater.compress(self.block.bytes, into: &self.compressed)
            guard self.compressed.count - SpillFormat.blockHeaderSize >= self.block.count else { return }
            self.compressed.truncate(to: SpillFormat.blockHeaderSize)
            self.blocksToStore = SpillFormat.storedRun
        } else if self.blocksToStore > 0 {
            self.blocksToStore -= 1
        }
        StoredDeflate.append(self.block.bytes, to: &self.compressed)
    }

    /// Appends `segment` of the spill or map output file `source` to
    /// `partition`'s segment, after the runs already copied there, as sorted
    /// runs of its own. Its blocks are copied as they are, not inflated; the
    /// first is marked as a run's start unless it is the segment's first.
    mutating func appendRuns(of segment: Segment, from source: OpenFile, partition: Int) throws {
        precondition(partition >= self.currentPartition && partition < self.partitions, "partition \(partition) out of order")
        while self.currentPartition < partition { try self.endSegment() }
        precondition(self.segmentRuns > 0 || self.segmentRecords == 0, "runs copied after appended records")
        guard segment.records > 0 else { return }
        var offset = segment.offset
        let end = segment.offset + segment.length
        // The bytes are not inflated here: their checksum is what shows a spill damaged on disk.
        var sourceCRC = CRC32()
        while offset < end {
            self.compressed.removeAll()
            let count = Int(min(end - offset, Int64(Self.copyChunkSize)))
            let read = try self.compressed.appendUnsafe(upTo: count) { buffer in
                let n = try source.descriptor.read(at: offset, into: buffer)
                return (n, n)
            }
            guard read == count else {
                throw SpillFormatError(.truncated, "\(self.path): a copied segment ends at \(offset + Int64(read)), not \(end)")
            }
            sourceCRC.update(self.compressed.bytes)
            if offset == segment.offset && self.segmentRuns > 0 {
                let rawLength = UInt32(bigEndian: self.compressed.base.loadUnaligned(as: UInt32.self))
                self.compressed.storeBigEndian(rawLength | SpillFormat.runStartFlag, at: 0)
            }
            self.crc.update(self.compressed.bytes)
            try self.file.write(self.compressed.bytes)
            offset += Int64(count)
        }
        guard sourceCRC.value == segment.crc32 else {
            throw SpillFormatError(.checksumMismatch, "\(self.path): a copied segment's crc32 is \(sourceCRC.value), its index says \(segment.crc32)")
        }
        self.segmentRaw += segment.rawLength
        self.segmentRecords += segment.records
        self.segmentRuns += segment.runs
    }

    /// How many stored bytes `appendRuns` copies at a time.
    private static let copyChunkSize = 1 << 20

    private mutating func endSegment() throws {
        try self.writeBlock()
        let runs = self.segmentRuns > 0 ? self.segmentRuns : (self.segmentRecords > 0 ? 1 : 0)
        self.segments.append(
            Segment(
                offset: self.segmentStart, length: self.file.offset - self.segmentStart,
                rawLength: self.segmentRaw, records: self.segmentRecords, crc32: self.crc.value, runs: runs))
        self.segmentStart = self.file.offset
        self.segmentRaw = 0
        self.segmentRecords = 0
        self.segmentRuns = 0
        self.crc = CRC32()
    }

    /// Ends every segment, writes the index, and moves the file into place.
    consuming func finish() throws -> SpillIndex {
        while self.currentPartition < self.partitions { try self.endSegment() }
        let indexOffset = self.file.offset
        var index = ByteWriter(capacity: self.partitions * SpillFormat.indexEntrySize)
        for segment in self.segments {
            index.appendBigEndian(UInt64(segment.offset))
            index.appendBigEndian(UInt64(segment.length))
            index.appendBigEndian(UInt64(segment.rawLength))
            index.appendBigEndian(UInt64(segment.records))
            index.appendBigEndian(segment.crc32)
            index.appendBigEndian(UInt32(segment.runs))
        }
        try self.file.write(index.bytes)
        var footer = ByteWriter(capacity: SpillFormat.footerSize)
        footer.appendBigEndian(UInt64(indexOffset))
        footer.appendBigEndian(UInt32(self.partitions))
        footer.appendBigEndian(CRC32.checksum(index.bytes))
        footer.append(contentsOf: SpillFormat.magic)
        try self.file.write(footer.bytes)
        let segments = self.segments
        let path = self.path
        try self.file.close()
        try FileSystem.rename(path + ".tmp", to: path)
        return SpillIndex(segments: segments)
    }
}
