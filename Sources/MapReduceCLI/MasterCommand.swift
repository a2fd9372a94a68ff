import ArgumentParser
import Foundation
import MapReduce
import MapReduceCluster

/// `JOB master`: runs a job's master, for workers started by hand on any host.
struct MasterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "master",
        abstract: "Run a job's master; workers connect to it with `worker --master HOST:PORT`.",
        discussion: "Input and output paths must be visible to every worker (a shared filesystem).\n\n" + JobRegistry.parametersHelp)

    @Option(help: "The address to listen on for workers; port 0 picks a free port (printed at start).")
    var listen = Endpoint(host: "127.0.0.1", port: 0)

    @Option(help: "A file holding the shared secret (at least 16 bytes) that workers must know (or set \(Secret.environmentVariable)).")
    var secretFile: String?

    @OptionGroup var secretOptions: SecretOptions

    @Flag(help: "Take over the job of a master that died, from the journal in the output directory's _temporary: committed tasks do not run again, nor do finished maps whose workers come back.")
    var recover = false

    /// `run` starts its master as a process of its own, and supervises it with these.
    @Flag(help: .hidden)
    var stopWithParent = false
    @Option(help: .hidden)
    var portFile: String?
    @Option(help: .hidden)
    var registrationsFile: String?
    @Option(help: .hidden)
    var clusterSlots: Int?

    @OptionGroup var options: JobOptions
    @OptionGroup var cluster: ClusterOptions
    @OptionGroup var tls: TLSOptions
    @OptionGroup var web: WebOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let command = self
        // Out of the environment before anything else, so that user code and its children never see it.
        let fromEnvironment = Result<Secret?, any Error> { try Secret.takeFromEnvironment() }
        try await CommandFailure.reporting(followingParent: command.stopWithParent) {
            let logger = command.logging.bootstrap("mapreduce.master")
            let secret = try command.secretOptions.secret(file: command.secretFile, fromEnvironment: fromEnvironment, for: "master")
            let entry = try JobRegistry.entry(named: command.options.job)
            var configuration = try command.options.configuration()
            configuration.slots = command.clusterSlots
            if command.recover {
                guard case .job = entry else { throw JobError("--recover takes over a single job; a chain's master cannot be recovered") }
                if FileSystem.exists("\(configuration.outputDirectory)/_SUCCESS") {
                    return CommandFailure.standardError("\(entry.name): the output in \(configuration.outputDirectory) is committed already; nothing to recover")
                }
                if try OutputCommitter.finishCommitCutShort(in: configuration.outputDirectory) {
                    return CommandFailure.standardError("\(entry.name): the output in \(configuration.outputDirectory) was committed but for its _SUCCESS, now written")
                }
                configuration.resumesOutput = true
                // The job's reduce tasks, unless given, are those it had: not the workers that are back so far.
                configuration.reducers = try configuration.reducers ?? JobRecovery.journaledJob(in: configuration.outputDirectory).reduces
            }
            let settings = configuration
            var options = command.cluster.masterOptions
            options.registrationsFile = command.registrationsFile
            let server = try await MasterServer.start(
                secret: secret, listen: command.listen, options: options,
                security: try command.tls.transportSecurity(), metrics: command.web.masterMetrics, logger: logger)
            if let portFile = command.portFile {
                try FileSystem.writeAtomically(Array("\(server.port)\n".utf8), to: portFile, access: .ownerOnly)
            } else {
                CommandFailure.standardError("\(entry.name): master listening on \(Endpoint(host: command.listen.host, port: server.port))")
            }
            let report = try await command.web.serving(server.master, fallback: nil, name: entry.name, logger: logger) { announcement in
                try await JobLauncher.guardingOutput(settings) {
                    try await server.serve { server in
                        try await JobLauncher.runOnCluster(
                            entry, settings, server: server, progress: ProgressLine(announcing: announcement))
                    }
                }
            }
            CommandFailure.printSummary(report)
        }
    }
}
