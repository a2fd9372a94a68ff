/// The finished output of one map task attempt: one file holding a sorted
/// segment for every partition, and that file's index.
public struct MapOutput: Hashable, Sendable, Codable {
    public var path: String
    public var index: SpillIndex

    public init(path: String, index: SpillIndex) {
        self.path = path
        self.index = index
    }
}
