/// Names one attempt at a map or reduce task: `m-00003-a1`, `r-00000-a2`;
/// in the second and later jobs of a chain, `j2-m-00003-a1`.
public struct AttemptID: Hashable, Sendable, Codable, CustomStringConvertible, Comparable {
    /// Map or reduce; the raw value is the letter in the attempt's name.
    public enum Kind: String, Hashable, Sendable, Codable {
        /// A map task.
        case map = "m"
        /// A reduce task.
        case reduce = "r"
    }

    /// Whether it is a map or a reduce task.
    public var kind: Kind
    /// The task's number: its split for a map, its partition for a reduce.
    public var task: Int
    /// The attempt's number, from 1.
    public var attempt: Int
    /// The job's number within a chain of jobs run by one master, from 1; 0 outside a chain's later jobs.
    public var job: Int

    /// Names attempt `attempt` of `kind` task `task` of the chain's job `job`.
    public init(_ kind: Kind, task: Int, attempt: Int, job: Int = 0) {
        self.kind = kind
        self.task = task
        self.attempt = attempt
        self.job = job
    }

    /// The task's name without the attempt: `m-00003`.
    public var taskName: String { (self.job > 1 ? "j\(self.job)-" : "") + "\(self.kind.rawValue)-\(Self.pad(self.task))" }

    /// The part file a task commit takes from this attempt: `part-r-00002` for a reduce,
    /// `part-m-00002` for a map of a map-only job.
    public var partFileName: String { "part-\(self.kind == .map ? "m" : "r")-\(Self.pad(self.task))" }

    /// The attempt's name: `m-00003-a1`.
    public var description: String { "\(self.taskName)-a\(self.attempt)" }

    /// By job, then maps before reduces, then task, then attempt: an order that costs no formatting.
    public static func < (a: AttemptID, b: AttemptID) -> Bool {
        (a.job, a.kind == .map ? 0 : 1, a.task, a.attempt) < (b.job, b.kind == .map ? 0 : 1, b.task, b.attempt)
    }

    static func pad(_ n: Int) -> String {
        let digits = String(n)
        return String(repeating: "0", count: max(0, 5 - digits.count)) + digits
    }
}
