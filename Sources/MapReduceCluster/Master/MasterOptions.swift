/// How the master schedules and recovers.
public struct MasterOptions: Sendable {
    /// Attempts of a task before the job fails.
    public var maxAttempts = 4
    /// Silence after which a worker counts as dead.
    public var workerTimeout: Duration = .seconds(10)
    /// Whether to run backup attempts of stragglers near the end of a phase.
    public var speculation = true
    /// Whether later attempts skip records that made two attempts fail.
    public var skipBadRecords = false
    /// A connection with nothing read or written for this long is closed.
    public var idleTimeout: Duration = .seconds(60)

    public init() {}

    /// Failed attempts after which a worker gets no more tasks of the job.
    static let failuresBeforeExclusion = 3
    /// Reports of a map output being unreachable after which the map runs again.
    static let fetchFailuresBeforeRerun = 3
    /// Failures of one record after which later attempts skip it.
    static let failuresBeforeSkipping = 2
    /// A running attempt is a straggler when it has run this many times the
    /// phase's median successful attempt, and at least `minimumStraggle`.
    static let straggleFactor = 3.0
    static let minimumStraggle: Duration = .seconds(2)
}
