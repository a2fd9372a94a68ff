/// How the master schedules and recovers.
public struct MasterOptions: Sendable {
    /// Failures charged to a task (thrown errors, unfetchable outputs) before the job fails.
    public var maxAttempts = 4
    /// Deaths of a worker that ran a task's attempt alone before the job fails.
    public var maxWorkerDeaths = 10
    /// Silence after which a worker counts as dead.
    public var workerTimeout: Duration = .seconds(10)
    /// Whether to run backup attempts of stragglers.
    public var speculation = true
    /// How long an attempt runs at least before it may get a backup.
    public var speculationMinAge: Duration = .seconds(10)
    /// The fraction of map tasks done before reduce tasks start (Hadoop's slow-start).
    public var slowStart = 0.05
    /// Whether later attempts skip records that made two attempts fail.
    public var skipBadRecords = false
    /// A connection with nothing read or written for this long is closed.
    public var idleTimeout: Duration = .seconds(60)
    /// A file the process id of every worker that registers is appended to, a line each: how
    /// `run`, which starts the master and the workers as processes of its own, tells its
    /// workers that reached the master from those that die before.
    public var registrationsFile: String?

    /// The defaults.
    public init() {}

    /// Distinct tasks a worker fails in a job after which it gets no more of its tasks.
    static let failuresBeforeExclusion = 2
    /// Reports by one reduce attempt that it cannot fetch map outputs others fetch (another
    /// reducer, or the master checking) after which that attempt fails.
    static let fetchFailuresBeforeBlame = 3
    /// Failures of one record after which later attempts skip it.
    static let failuresBeforeSkipping = 2
    /// A running attempt is a straggler when it has run this many times the
    /// phase's median successful attempt (and at least `speculationMinAge`).
    static let straggleFactor = 3.0
}
