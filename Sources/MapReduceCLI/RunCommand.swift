import ArgumentParser
import Foundation
import MapReduce

/// `JOB run`: runs a job from start to finish and prints its counters.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a job to completion.",
        discussion: "With --in-process, every task runs on a pool of threads in this process.")

    @Flag(help: "Run every task in this process, on one thread per core.")
    var inProcess = false

    @Option(help: "How many tasks run at once with --in-process (default: one per core).")
    var workers: Int?

    @Option(help: "Where intermediate files go (default: a fresh directory under $TMPDIR or /tmp).")
    var workDir: String?

    @OptionGroup var options: JobOptions

    func run() async throws {
        try CommandFailure.reporting {
            guard self.inProcess else {
                throw JobError("local multi-process clusters are not available yet; pass --in-process")
            }
            if let workers = self.workers, workers < 1 { throw JobError("--workers must be at least 1, not \(workers)") }
            var configuration = try self.options.configuration()
            configuration.parallelism = self.workers
            configuration.workDirectory = self.workDir
            let job = try JobRegistry.job(named: self.options.job)
            let report = try InProcessRunner(job: job, configuration: configuration).run()
            let summary = String(format: "%.2f", report.elapsedSeconds)
            CommandFailure.standardError(
                "\(job.name): done in \(summary) s, \(report.maps) maps, \(report.reduces) reduces\n\(report.countersText)")
        }
    }
}
