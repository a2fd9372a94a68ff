import MapReduce

/// One record of a job's journal (see docs/journal.md): a scheduling
/// decision a restarted master needs to go on where the last one stopped.
public enum JournalRecord: Codable, Sendable, Equatable {
    /// The first record: which job this is, and the name of the master that runs it,
    /// which a restarted master takes so that workers give it their map outputs.
    case job(JobIdentity, master: String)
    /// A master process began (1 the first, 2 after one restart, ...); its attempts are named above all earlier ones.
    case masterStarted(run: Int)
    /// An attempt was handed to a worker; a restarted master numbers its own attempts above it.
    case launched(AttemptID)
    /// A map attempt succeeded; its output is on the worker whose shuffle service is `shuffle`.
    case mapSucceeded(FinishedTask)
    /// A reduce attempt (or a map-only job's map attempt) succeeded and its part file was task-committed.
    case taskCommitted(FinishedTask)
    /// A worker was excluded from the job for failing its tasks; named by its shuffle service's address.
    case workerExcluded(String)
    /// The job commit began: every task is committed, and the part files are being moved into place.
    case commitStarted
}

/// What a journal keeps of a finished attempt: enough to count it in the job's report.
public struct FinishedTask: Codable, Sendable, Equatable {
    /// The attempt.
    public var attempt: AttemptID
    /// Its worker, as its master named it (`w-2`).
    public var worker: String
    /// The worker's shuffle service, `host:port`.
    public var shuffle: String
    /// When it started, in seconds from the start of its master's run.
    public var started: Double
    /// How long it ran, in seconds.
    public var seconds: Double
    /// Its counters.
    public var counters: Counters

    /// Records `attempt`, run on `worker` (whose shuffle service is `shuffle`) from `started` for `seconds`, with its counters.
    public init(attempt: AttemptID, worker: String, shuffle: String, started: Double, seconds: Double, counters: Counters) {
        self.attempt = attempt
        self.worker = worker
        self.shuffle = shuffle
        self.started = started
        self.seconds = seconds
        self.counters = counters
    }
}
