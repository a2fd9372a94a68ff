import CoreMetrics
import MapReduce

/// A worker's metrics, made through swift-metrics by the factory it is
/// given (Prometheus's, for `worker --metrics`; by default one that drops them).
public struct WorkerMetrics: Sendable {
    private let running: Gauge
    private let ended: AttemptOutcomeCounters
    private let served: Counter
    private let fetched: Counter

    /// Makes the metrics through `factory`.
    public init(factory: any MetricsFactory = NOOPMetricsHandler.instance) {
        self.running = Gauge(label: "mapreduce_worker_attempts_running", factory: factory)
        self.ended = AttemptOutcomeCounters(label: "mapreduce_worker_attempts_ended_total", factory: factory)
        self.served = Counter(label: "mapreduce_worker_shuffle_served_bytes_total", factory: factory)
        self.fetched = Counter(label: "mapreduce_worker_shuffle_fetched_bytes_total", factory: factory)
    }

    /// Sets how many attempts run now.
    func running(_ count: Int) {
        self.running.record(count)
    }

    /// Counts an attempt that ended.
    func ended(_ attempt: AttemptID, _ outcome: AttemptOutcomeCounters.Outcome) {
        self.ended.count(attempt.kind, outcome)
    }

    /// Counts a segment sent to a reducer.
    func served(_ bytes: Int64) {
        self.served.increment(by: bytes)
    }

    /// Counts a segment fetched for one of this worker's reduce attempts.
    func fetched(_ bytes: Int64) {
        self.fetched.increment(by: bytes)
    }
}
