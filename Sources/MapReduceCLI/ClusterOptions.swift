import ArgumentParser

/// Options of the master's scheduling, for `run` and `master`.
struct ClusterOptions: ParsableArguments {
    @Option(help: "Attempts of a task before the job fails.")
    var maxAttempts = 4

    @Option(help: "Seconds without a heartbeat after which a worker counts as dead.")
    var workerTimeout: Double = 10

    func validate() throws {
        guard self.maxAttempts >= 1 else { throw ValidationError("--max-attempts must be at least 1") }
        guard self.workerTimeout > 0 else { throw ValidationError("--worker-timeout must be positive") }
    }

    var timeout: Duration { .milliseconds(Int64(self.workerTimeout * 1000)) }
}
