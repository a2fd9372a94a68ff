import ArgumentParser
import Foundation
import MapReduce
import MapReduceCluster

/// `JOB run`: runs a job from start to finish and prints its counters.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a job to completion, as a local cluster or in this process.",
        discussion: """
            By default a master process and --workers worker processes of this executable \
            run the job over loopback; a worker that dies is replaced, and a master that \
            dies is started again and takes the job over. With --in-process, every task \
            runs on a pool of threads in this process instead.
            """ + "\n\n" + JobRegistry.parametersHelp)

    @Flag(help: "Run every task in this process, on a pool of threads.")
    var inProcess = false

    @Option(help: "Worker processes (with --in-process: threads) (default: one per core).")
    var workers: Int?

    @Option(help: "Where intermediate files go (default: under $TMPDIR or /tmp; removed at the end).")
    var workDir: String?

    @Flag(help: "Make every connection TLS, with a CA made at start (unless --tls-cert, --tls-key and --tls-ca are given).")
    var tls = false

    @OptionGroup var options: JobOptions
    @OptionGroup var cluster: ClusterOptions
    @OptionGroup var tlsFiles: TLSOptions
    @OptionGroup var web: WebOptions
    @Flag(help: "Serve no web page (by default a local cluster serves one on a free loopback port).")
    var noHttp = false
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let command = self
        try await CommandFailure.reporting {
            let workers = command.workers ?? ProcessInfo.processInfo.activeProcessorCount
            guard workers >= 1 else { throw JobError("--workers must be at least 1, not \(workers)") }
            let tls: LocalCluster.TLS = command.tlsFiles.files.map { .files($0) } ?? (command.tls ? .throwaway : .off)
            guard !command.inProcess || tls == .off else { throw JobError("--in-process makes no connections: TLS options do not apply") }
            guard !command.inProcess || (command.web.http == nil && !command.noHttp) else {
                throw JobError("--in-process has no master: --http and --no-http do not apply")
            }
            guard command.web.http == nil || !command.noHttp else { throw JobError("--http and --no-http contradict each other") }
            let logger = command.logging.bootstrap("mapreduce.run")
            let entry = try JobRegistry.entry(named: command.options.job)
            var configuration = try command.options.configuration()
            configuration.parallelism = workers
            configuration.workDirectory = command.workDir
            let settings = configuration
            if command.inProcess {
                let report = try await JobLauncher.guardingOutput(configuration) { try await JobLauncher.runInProcess(entry, settings) }
                return CommandFailure.printSummary(report)
            }
            var cluster = LocalCluster(workers: workers)
            cluster.idleTimeout = command.cluster.masterOptions.idleTimeout
            cluster.logLevel = command.logging.logLevel.rawValue
            cluster.workDirectory = command.workDir
            cluster.tls = tls
            // The master process prints the job's setup, progress and summary, and serves its page.
            var masterArguments = Self.masterArguments(from: MapReduceMain.arguments)
            if command.web.http == nil && !command.noHttp { masterArguments = ["--http", "127.0.0.1:0"] + masterArguments }
            let status = try await JobLauncher.guardingOutput(configuration) {
                try await cluster.run(masterArguments: masterArguments, logger: logger)
            }
            if status != 0 { throw ExitCode(status) }
        }
    }

    /// Options of `run` that are not the master's: the rest of its command line is.
    static let runOnly: [String: Bool] = ["--in-process": false, "--workers": true, "--work-dir": true, "--tls": false, "--no-http": false]

    /// The master's arguments from `run`'s command line (`arguments`, from `run` on): all but
    /// `run` itself and the options that are `run`'s alone.
    static func masterArguments(from arguments: [String]) -> [String] {
        var kept: [String] = []
        var index = arguments.first == "run" ? 1 : 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument == "--" {
                kept += arguments[(index - 1)...]
                break
            }
            let name = String(argument.prefix { $0 != "=" })
            guard let takesValue = Self.runOnly[name] else {
                kept.append(argument)
                continue
            }
            if takesValue && !argument.contains("=") { index += 1 }
        }
        return kept
    }
}
