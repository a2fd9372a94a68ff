import CoreMetrics
import MapReduce

/// The master's metrics, made through swift-metrics by the factory it is
/// given (Prometheus's, for `/metrics`; by default one that drops them).
public struct MasterMetrics: Sendable {
    let workersAlive: Gauge
    let heartbeatInterval: Timer
    private let bytesRead: Counter
    private let bytesShuffled: Counter
    private let bytesWritten: Counter
    private let attempts: AttemptOutcomeCounters
    /// Tasks, by phase and state.
    private let tasks: [String: Gauge]
    private static let phases = ["map", "reduce"]

    /// Makes the metrics through `factory`.
    public init(factory: any MetricsFactory = NOOPMetricsHandler.instance) {
        self.workersAlive = Gauge(label: "mapreduce_workers_alive", factory: factory)
        self.heartbeatInterval = Timer(label: "mapreduce_heartbeat_interval_seconds", factory: factory)
        self.bytesRead = Counter(label: "mapreduce_read_bytes_total", factory: factory)
        self.bytesShuffled = Counter(label: "mapreduce_shuffled_bytes_total", factory: factory)
        self.bytesWritten = Counter(label: "mapreduce_written_bytes_total", factory: factory)
        self.attempts = AttemptOutcomeCounters(label: "mapreduce_attempts_ended_total", factory: factory)
        var tasks: [String: Gauge] = [:]
        for phase in Self.phases {
            for state in ["pending", "running", "done"] {
                tasks["\(phase) \(state)"] = Gauge(label: "mapreduce_tasks", dimensions: [("phase", phase), ("state", state)], factory: factory)
            }
        }
        self.tasks = tasks
    }

    /// Counts what a task's first successful attempt read, shuffled in and wrote.
    func count(_ counters: Counters, of kind: AttemptID.Kind) {
        if kind == .map {
            self.bytesRead.increment(by: Int64(max(0, counters[.mapInputBytes])))
        } else {
            self.bytesShuffled.increment(by: Int64(max(0, counters[.reduceShuffleBytes])))
            self.bytesWritten.increment(by: Int64(max(0, counters[.reduceOutputBytes])))
        }
    }

    /// Counts an attempt that ended.
    func ended(_ attempt: Scheduler.FinishedAttempt) {
        self.attempts.count(attempt.attempt.kind, attempt.outcome)
    }

    /// Sets how many of a phase's tasks wait, run and are done.
    func tasks(phase: String, pending: Int, running: Int, done: Int) {
        self.tasks["\(phase) pending"]?.record(pending)
        self.tasks["\(phase) running"]?.record(running)
        self.tasks["\(phase) done"]?.record(done)
    }
}
