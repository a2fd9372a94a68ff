import ArgumentParser
import Foundation
import MapReduce
import MapReduceCluster

/// `JOB worker`: serves a master's tasks until its job is over.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run tasks for a master until its job is over.")

    @Option(help: "The master's address.")
    var master: Endpoint

    @Option(help: "How many tasks to run at once.")
    var slots = 1

    @Option(help: "Where to make this worker's work directory (removed at exit).")
    var workDir: String?

    @Option(help: "The address this worker's shuffle service listens on; port 0 picks a free port.")
    var listen = Endpoint(host: "127.0.0.1", port: 0)

    @Option(help: "The host other workers reach this one's shuffle service at (default: the --listen host).")
    var advertise: String?

    @Option(help: "A file holding the shared secret (or set \(Secret.environmentVariable)).")
    var secretFile: String?

    @OptionGroup var secretOptions: SecretOptions

    @Option(help: "Seconds to keep trying to reach the master.")
    var connectTimeout: Double = 30

    @Option(help: "Seconds to wait for a lost master to come back (restarted with --recover), keeping this worker's map outputs for it; 0 exits at once.")
    var masterGrace: Double = 60

    @Option(help: "Seconds after which a shuffle connection with nothing read or written is closed.")
    var idleTimeout: Double = 60

    @Option(help: "Serve this worker's metrics at /metrics on this address, in the Prometheus text format (port 0 picks one).")
    var metrics: Endpoint?

    @Option(help: "A file holding the token /metrics asks for (default: one made at start and printed, off loopback).")
    var metricsTokenFile: String?

    @Flag(help: .hidden)
    var stopWithParent = false

    @OptionGroup var tls: TLSOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let command = self
        // Out of the environment before anything else, so that user code and its children never see it.
        let fromEnvironment = Result<Secret?, any Error> { try Secret.takeFromEnvironment() }
        try await CommandFailure.reporting(followingParent: command.stopWithParent) {
            guard command.slots >= 1 else { throw JobError("--slots must be at least 1, not \(command.slots)") }
            guard command.idleTimeout >= 2 else { throw JobError("--idle-timeout must be at least 2 s") }
            guard command.masterGrace >= 0 else { throw JobError("--master-grace must not be negative, not \(command.masterGrace)") }
            let logger = command.logging.bootstrap("mapreduce.worker")
            let secret = try command.secretOptions.secret(file: command.secretFile, fromEnvironment: fromEnvironment, for: "worker")
            var options = WorkerOptions(master: command.master)
            options.slots = command.slots
            options.workDirectory = command.workDir
            options.listen = command.listen
            options.advertise = command.advertise
            options.connectTimeout = .milliseconds(Int64(command.connectTimeout * 1000))
            options.masterGrace = .milliseconds(Int64(command.masterGrace * 1000))
            options.idleTimeout = .milliseconds(Int64(command.idleTimeout * 1000))
            options.security = try command.tls.transportSecurity()
            var web = WebOptions()
            web.http = command.metrics
            web.httpTokenFile = command.metricsTokenFile
            options.metrics = web.workerMetrics
            try await web.serving(nil, fallback: nil, name: "worker", logger: logger) { announcement in
                if let announcement { CommandFailure.standardError(announcement) }
                try await WorkerService.run(jobs: JobRegistry.allJobs, options: options, secret: secret, logger: logger)
            }
        }
    }
}
