/// One map output segment a reduce task merges: in a file on this machine,
/// or fetched over the network and held in memory.
public struct ReduceInput: Sendable, Hashable, Codable {
    /// Where a segment's stored bytes are.
    public enum Source: Sendable, Hashable, Codable {
        /// The segment lies in the file at this path.
        case file(String)
        /// The segment's stored bytes, starting at the segment's offset 0.
        case memory([UInt8])
    }

    /// Where the segment's stored bytes are.
    public var source: Source
    /// The segment's place, lengths and checksum.
    public var segment: Segment
    /// Names the segment in errors.
    public var name: String

    /// Makes the input of `segment` from `source`, named `name` in errors.
    public init(source: Source, segment: Segment, name: String) {
        self.source = source
        self.segment = segment
        self.name = name
    }

    /// Partition `partition` of a map output on this machine.
    public init(_ output: MapOutput, partition: Int) {
        self.init(
            source: .file(output.path), segment: output.index.segments[partition],
            name: "\(output.path) partition \(partition)")
    }
}
