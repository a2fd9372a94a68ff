import ArgumentParser

import MapReduceCluster

/// Options of the master's scheduling and recovery, for `run` and `master`.
struct ClusterOptions: ParsableArguments {
    enum Switch: String, ExpressibleByArgument {
        case on, off
    }

    @Option(help: "Failures charged to a task (thrown errors, unfetchable outputs) before the job fails.")
    var maxAttempts = 4

    @Option(help: "Deaths of a worker that was running a task's attempt alone before the job fails.")
    var maxWorkerDeaths = 10

    @Option(help: "Seconds without a heartbeat after which a worker counts as dead.")
    var workerTimeout: Double = 10

    @Option(help: "Backup attempts of stragglers near the end of a phase: on or off.")
    var speculation = Switch.on

    @Option(help: "Seconds an attempt runs at least before it may get a backup.")
    var speculationMinAge: Double = 10

    @Option(help: "The fraction of map tasks done before reduce tasks start, from 0 to 1.")
    var slowStart = 0.05

    @Flag(help: "Skip records that made two attempts of a map task fail, and count them, instead of failing the job.")
    var skipBadRecords = false

    @Option(help: "Seconds after which a connection with nothing read or written is closed.")
    var idleTimeout: Double = 60

    func validate() throws {
        guard self.maxAttempts >= 1 else { throw ValidationError("--max-attempts must be at least 1") }
        guard self.maxWorkerDeaths >= 1 else { throw ValidationError("--max-worker-deaths must be at least 1") }
        guard self.speculationMinAge >= 0 else { throw ValidationError("--speculation-min-age must not be negative") }
        guard (0...1).contains(self.slowStart) else { throw ValidationError("--slow-start must be between 0 and 1") }
        guard self.workerTimeout > 0 else { throw ValidationError("--worker-timeout must be positive") }
        guard self.idleTimeout > self.workerTimeout, self.idleTimeout >= 2 else {
            throw ValidationError("--idle-timeout must be at least 2 s and longer than --worker-timeout")
        }
    }

    /// The master's options these describe.
    var masterOptions: MasterOptions {
        var options = MasterOptions()
        options.maxAttempts = self.maxAttempts
        options.workerTimeout = .milliseconds(Int64(self.workerTimeout * 1000))
        options.maxWorkerDeaths = self.maxWorkerDeaths
        options.speculation = self.speculation == .on
        options.speculationMinAge = .milliseconds(Int64(self.speculationMinAge * 1000))
        options.slowStart = self.slowStart
        options.skipBadRecords = self.skipBadRecords
        options.idleTimeout = .milliseconds(Int64(self.idleTimeout * 1000))
        return options
    }
}
