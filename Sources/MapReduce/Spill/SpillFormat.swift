/// The layout of spill files and map output files (the same format; see
/// docs/spill-format.md for a reader's guide):
///
/// ```
/// +----------+-----------------------+-----+-------------------------+-------+--------+
/// | MRSPILL1 | partition 0's segment | ... | partition R-1's segment | index | footer |
/// +----------+-----------------------+-----+-------------------------+-------+--------+
/// segment: blocks, each | raw length: u32 | stored length: u32 | raw deflate data |
///          a block inflates to records: | key length: varint | value length: varint | key | value |
///          the top bit of a block's raw length marks the start of another sorted run
/// index:   per partition (40 bytes) | offset: u64 | length: u64 | raw length: u64 | records: u64 | crc32: u32 | runs: u32 |
/// footer:  | index offset: u64 | partitions: u32 | crc32 of index: u32 | MRSPILL1 |
/// ```
///
/// Integers are big-endian. A segment's CRC-32 covers its stored bytes
/// (block headers and deflate data), so a shuffle can check it without
/// inflating. A segment is one or more sorted runs of records, one after
/// another: keys ascend in byte order within a run. A map output that is its
/// spills copied side by side, unmerged, has a run per spill.
enum SpillFormat {
    static let magic: [UInt8] = Array("MRSPILL1".utf8)
    static let indexEntrySize = 40
    static let footerSize = 24
    static let blockHeaderSize = 8
    /// Records are gathered into blocks of about this many raw bytes before compression.
    static let blockSize = 1 << 16
    /// After a block that does not compress, how many more blocks the writer stores without trying.
    static let storedRun = 15
    /// The largest block a reader accepts; a record larger than a block gets a block of its own.
    static let maxBlockSize = 1 << 30
    /// Deflate cannot expand data more than about 1032 times.
    static let maxExpansion = 1040
    static let maxPartitions = 1 << 20
    /// In a block header's raw length: the block starts a sorted run other than its segment's first.
    static let runStartFlag: UInt32 = 1 << 31
}

/// Where one partition's records lie in a spill or map output file.
public struct Segment: Hashable, Sendable, Codable {
    /// The offset of the segment's first block.
    public var offset: Int64
    /// The stored bytes: block headers and compressed data.
    public var length: Int64
    /// The bytes of the encoded records, uncompressed.
    public var rawLength: Int64
    /// The number of records.
    public var records: Int64
    /// CRC-32 of the stored bytes.
    public var crc32: UInt32
    /// The sorted runs the segment's blocks hold, one after another: 0 when
    /// it has no records, otherwise at least 1. A reader merges them.
    public var runs: Int

    /// The most sorted runs a segment holds. Each costs a reader a cursor (an
    /// inflater and two blocks), so a map task merges more spills than this
    /// down to this many, and readers refuse a segment of more.
    public static let maxRuns = 8

    /// Makes a segment from its index entry's fields.
    public init(offset: Int64, length: Int64, rawLength: Int64, records: Int64, crc32: UInt32, runs: Int) {
        self.offset = offset
        self.length = length
        self.rawLength = rawLength
        self.records = records
        self.crc32 = crc32
        self.runs = runs
    }
}

/// The segment of every partition of one spill or map output file.
public struct SpillIndex: Hashable, Sendable, Codable {
    /// The segments, by partition.
    public var segments: [Segment]

    /// Makes an index of `segments`, by partition.
    public init(segments: [Segment]) {
        self.segments = segments
    }
}
