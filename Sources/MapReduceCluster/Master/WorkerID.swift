/// A worker's name within one master's run: `w-3`.
public struct WorkerID: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public var number: Int

    public var description: String { "w-\(self.number)" }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.number < rhs.number }
}
