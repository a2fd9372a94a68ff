/// A task attempt that failed: which one, on what input, and why.
public struct TaskFailure: Error, CustomStringConvertible {
    /// The attempt that failed.
    public var attempt: AttemptID
    /// The split of a map task, or the partition of a reduce task.
    public var input: String
    /// The underlying error: the user's own, or the framework's.
    public var reason: String

    /// Makes the failure of `attempt` on `input` with `error`.
    public init(attempt: AttemptID, input: String, error: any Error) {
        self.attempt = attempt
        self.input = input
        self.reason = String(describing: error)
    }

    /// `map task m-00003 (its split) failed:` and the reason.
    public var description: String {
        let kind = self.attempt.kind == .map ? "map" : "reduce"
        return "\(kind) task \(self.attempt.taskName) (\(self.input)) failed: \(self.reason)"
    }
}
