/// The finished output of one map task attempt: one file holding a sorted
/// segment for every partition, and that file's index.
public struct MapOutput: Hashable, Sendable, Codable {
    /// The file's path.
    public var path: String
    /// Where each partition's segment lies in the file.
    public var index: SpillIndex

    /// Makes the output in the file at `path` with `index`.
    public init(path: String, index: SpillIndex) {
        self.path = path
        self.index = index
    }
}
