import CoreMetrics
import MapReduce

/// One counter per phase and outcome of ended attempts, `LABEL{phase,outcome}`: the master's and a worker's.
struct AttemptOutcomeCounters: Sendable {
    typealias Outcome = Scheduler.FinishedAttempt.Outcome
    private let counters: [AttemptID.Kind: [Outcome: Counter]]

    init(label: String, factory: any MetricsFactory) {
        var counters: [AttemptID.Kind: [Outcome: Counter]] = [:]
        for kind in [AttemptID.Kind.map, .reduce] {
            for outcome in [Outcome.succeeded, .failed, .killed] {
                counters[kind, default: [:]][outcome] = Counter(
                    label: label, dimensions: [("phase", kind == .map ? "map" : "reduce"), ("outcome", "\(outcome)")], factory: factory)
            }
        }
        self.counters = counters
    }

    /// Counts an attempt of `kind` that ended with `outcome`.
    func count(_ kind: AttemptID.Kind, _ outcome: Outcome) {
        self.counters[kind]?[outcome]?.increment()
    }
}
