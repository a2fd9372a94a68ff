/// A worker's name within one master's run: `w-3`.
public struct WorkerID: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    /// The worker's number, from 1 in the order they registered.
    public var number: Int

    /// `w-3`.
    public var description: String { "w-\(self.number)" }

    /// Orders by number.
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.number < rhs.number }
}
