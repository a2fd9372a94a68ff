import MapReduce

/// What the master knows of one map or reduce task.
struct TaskRecord: Sendable {
    /// An attempt that is running.
    struct Running: Sendable {
        var worker: WorkerID
        var started: ContinuousClock.Instant
        /// Whether it was started as a backup of a straggling attempt.
        var isBackup: Bool
    }

    /// The attempt that finished; for a map, its output lives on `worker`.
    struct Done: Sendable {
        var attempt: AttemptID
        var worker: WorkerID
        var result: TaskSucceeded
        var duration: Duration
    }

    var running: [AttemptID: Running] = [:]
    /// The finished attempt whose output is available; nil again if a map's output is lost.
    var done: Done?
    /// The first finished attempt's result, kept for the job's counters even if its output is lost later.
    var result: TaskSucceeded?
    /// Attempts started so far; the next one is numbered one more.
    var attemptsStarted = 0
    /// Attempts that failed, in user code or by losing their worker or their output.
    var failures = 0
    /// Workers an attempt of this task failed on, to try elsewhere next.
    var failedOn: Set<WorkerID> = []
    /// For a map: how many attempts each record (by number within the split) made fail.
    var recordFailures: [Int64: Int] = [:]

    var isIdle: Bool { self.done == nil && self.running.isEmpty }
    var isDone: Bool { self.done != nil }
}

/// A worker's name within one job: `w-3`.
public struct WorkerID: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public var number: Int

    public var description: String { "w-\(self.number)" }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.number < rhs.number }
}
