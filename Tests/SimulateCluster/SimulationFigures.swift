import MapReduce

/// What the simulated workers saw, gathered across them.
final class SimulationFigures: Sendable {
    private struct Counts {
        var started = 0
        var ended = 0
        var unregistered = 0
        var broken = 0
        var roundTrips: [Duration] = []
    }

    private let counts = Locked(Counts())

    func attemptStarted() { self.counts.withLock { $0.started += 1 } }
    func attemptEnded() { self.counts.withLock { $0.ended += 1 } }
    func workerNotRegistered() { self.counts.withLock { $0.unregistered += 1 } }
    func connectionBroken() { self.counts.withLock { $0.broken += 1 } }
    func heartbeatAnswered(after roundTrip: Duration) { self.counts.withLock { $0.roundTrips.append(roundTrip) } }

    /// Attempts started plus attempts ended (succeeded or killed).
    var taskEvents: Int { self.counts.withLock { $0.started + $0.ended } }
    var attemptsStarted: Int { self.counts.withLock { $0.started } }
    /// Simulated workers that came too late to register (the job was over), or could not.
    var workersNotRegistered: Int { self.counts.withLock { $0.unregistered } }
    /// Simulated workers whose connection broke rather than closed after `shutdown`.
    var connectionsBroken: Int { self.counts.withLock { $0.broken } }

    /// The heartbeat round trips at these fractions (0...1), in milliseconds, and how many there were.
    func roundTripPercentiles(_ fractions: [Double]) -> (milliseconds: [Double], count: Int) {
        let sorted = self.counts.withLock { $0.roundTrips }.sorted()
        guard !sorted.isEmpty else { return (fractions.map { _ in 0 }, 0) }
        let milliseconds = fractions.map { fraction in
            let index = min(sorted.count - 1, Int((fraction * Double(sorted.count)).rounded(.up)) - 1)
            return sorted[max(0, index)] / .milliseconds(1)
        }
        return (milliseconds, sorted.count)
    }
}

/// The simulation could not run as asked.
struct SimulationError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
