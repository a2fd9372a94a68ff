import Logging
import MapReduce
import Synchronization

/// `run --workers N`: a master in this process and N worker processes of
/// the same executable on loopback ports chosen at run time.
public struct LocalCluster: Sendable {
    public var plan: JobPlan
    public var workers: Int
    public var maxAttempts = 4
    public var workerTimeout: Duration = .seconds(10)
    /// `--log-level` for the workers.
    public var logLevel = "warning"
    /// Where workers make their work directories.
    public var workDirectory: String?

    public init(plan: JobPlan, workers: Int) {
        self.plan = plan
        self.workers = workers
    }

    /// Runs the job to completion and returns its report.
    public func run(logger: Logger, progress: ProgressLine?) async throws -> JobReport {
        let secret = Secret.random()
        let server = try await MasterServer.start(
            plan: self.plan, secret: secret, listen: Endpoint(host: "127.0.0.1", port: 0),
            maxAttempts: self.maxAttempts, workerTimeout: self.workerTimeout, logger: logger)
        var arguments = ["worker", "--master", "127.0.0.1:\(server.port)", "--slots", "1", "--log-level", self.logLevel, "--stop-with-parent"]
        if let workDirectory = self.workDirectory { arguments += ["--work-dir", workDirectory] }
        let exited = Mutex(0)
        let count = self.workers
        var children: [WorkerProcess] = []
        do {
            for _ in 0..<self.workers {
                children.append(
                    try WorkerProcess(executable: WorkerProcess.currentExecutable, arguments: arguments, secret: secret) { status in
                        let all = exited.withLock { exited in
                            exited += 1
                            return exited == count
                        }
                        if all { Task { await server.master.abort("all \(count) worker processes exited (the last with status \(status))") } }
                    })
            }
            let report = try await server.run(progress: progress)
            for child in children { await child.stop(grace: .seconds(5)) }
            return report
        } catch {
            for child in children { await child.stop(grace: .seconds(1)) }
            throw error
        }
    }
}
