import MapReduce

extension Scheduler {
    /// One map or reduce task.
    struct TaskState: Sendable {
        var running: [AttemptID: RunningAttempt] = [:]
        /// The attempt that won; for a map, its worker serves its output.
        var done: Done?
        /// For a map: every attempt that finished, and how long it took; a worker may
        /// recover one's output after its own worker died.
        var finished: [AttemptID: Duration] = [:]
        /// Attempts started so far; the next one is numbered one more.
        var attemptsStarted = 0
        /// Failures charged to the task; `maxAttempts` of them give it up.
        var failures = 0
        /// Worker deaths charged to the task since it last finished; `maxWorkerDeaths` of them give it up.
        var deaths = 0
        var lastError = ""
        /// Workers an attempt failed on, to try elsewhere next.
        var failedOn: Set<WorkerID> = []
        /// For a map: how many attempts each record (by number within the split) made fail.
        var recordFailures: [Int64: Int] = [:]
        /// For an idle map: since when it has found no free slot.
        var waitingSince: Duration?
        /// Whether a backup attempt was ever started; a task gets at most one.
        var backedUp = false
        /// For a finished map: what reducers and the master found of the output of `done`.
        var output = OutputReports()

        /// For a map an earlier master saw finish: it waits for a worker to offer its output
        /// (`outputsRecovered`) until `Scheduler.recoveryDeadline`, before it runs again.
        var awaitsRecovery = false

        var isIdle: Bool { self.done == nil && self.running.isEmpty && !self.awaitsRecovery }
    }

    /// An attempt that is running.
    struct RunningAttempt: Sendable {
        var worker: WorkerID
        var started: Duration
        var isBackup = false
        /// Started on an excluded worker because no other was left: its failure is the task's.
        var isLastResort = false
        /// Input records read, as the worker last reported.
        var records: Int64?
    }

    /// A task's winning attempt.
    struct Done: Sendable {
        var attempt: AttemptID
        var worker: WorkerID
        var duration: Duration
    }

    /// One worker's slots and record in this job.
    struct WorkerState: Sendable {
        var slots: Int
        /// Attempts it runs for the job.
        var running: Set<AttemptID> = []
        /// Killed attempts whose code has not yet stopped; they hold their slots until it has.
        var stopping: Set<AttemptID> = []
        /// Tasks it failed in this job, by their first attempt's id.
        var failedTasks: Set<AttemptID> = []
        /// When it was excluded, if it was.
        var excludedAt: Duration?

        var freeSlots: Int { self.slots - self.running.count - self.stopping.count }
    }

    /// How an attempt ended, for the job's report.
    struct FinishedAttempt: Sendable, Equatable {
        enum Outcome: Sendable, Equatable { case succeeded, failed, killed }
        var attempt: AttemptID
        var worker: WorkerID
        var started: Duration
        var ended: Duration
        var outcome: Outcome
        var isBackup: Bool
    }
}
