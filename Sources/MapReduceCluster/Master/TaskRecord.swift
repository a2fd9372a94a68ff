import MapReduce

/// What the master knows of one map or reduce task.
struct TaskRecord: Sendable {
    enum State: Sendable {
        /// Waiting for a worker.
        case idle
        /// An attempt is running.
        case running(attempt: AttemptID, worker: WorkerID, started: ContinuousClock.Instant)
        /// An attempt finished; for a map, its output lives on `worker`.
        case done(attempt: AttemptID, worker: WorkerID, result: TaskSucceeded)
    }

    var state: State = .idle
    /// Attempts started so far; the next one is numbered one more.
    var attemptsStarted = 0
    /// Attempts that failed in user code or the framework (not killed ones).
    var failures = 0
    var lastError = ""
    /// Workers an attempt of this task failed on, to try elsewhere next.
    var failedOn: Set<WorkerID> = []

    var isIdle: Bool {
        if case .idle = self.state { return true }
        return false
    }

    var isDone: Bool {
        if case .done = self.state { return true }
        return false
    }

    /// The running attempt, if any.
    var runningAttempt: AttemptID? {
        if case .running(let attempt, _, _) = self.state { return attempt }
        return nil
    }
}

/// A worker's name within one job: `w-3`.
public struct WorkerID: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public var number: Int

    public var description: String { "w-\(self.number)" }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.number < rhs.number }
}
