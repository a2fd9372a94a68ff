import MapReduce
import MapReduceCluster

/// Runs what `--job` picked, a job or a chain, in this process or on a master's workers.
enum JobLauncher {
    /// Runs `entry` in this process.
    static func runInProcess(_ entry: JobRegistry.Entry, _ configuration: JobConfiguration) async throws -> JobReport {
        try await self.guardingOutput(configuration) {
            switch entry {
            case .job(let job):
                return try InProcessRunner(job: job, configuration: configuration).run()
            case .chain(let chain):
                let runner = InProcessChainRunner(configuration: configuration, parameters: try configuration.chainParameters(for: chain))
                return try await chain.run(runner)
            }
        }
    }

    /// Runs `body`, and until it has returned, removes the run's unfinished output
    /// (`_temporary`, and the directory if the run made it) should the process be
    /// stopped by a signal or by its parent going away, as a failed run does.
    private static func guardingOutput(
        _ configuration: JobConfiguration, _ body: () async throws -> JobReport
    ) async throws -> JobReport {
        let directory = configuration.outputDirectory
        let existed = FileSystem.exists(directory)
        let finished = Locked(false)
        ExitCleanup.register {
            OutputDirectories.close {
                guard !finished.withLock({ $0 }) else { return }
                FileSystem.removeTree("\(directory)/_temporary")
                if !existed { FileSystem.removeTree(directory) }
            }
        }
        let report = try await body()
        finished.withLock { $0 = true }
        return report
    }

    /// Runs `entry` on the workers of `server`; `ExitCleanup` removes its unfinished output if the process is stopped.
    static func runOnCluster(
        _ entry: JobRegistry.Entry, _ configuration: JobConfiguration, server: MasterServer, progress: ProgressLine
    ) async throws -> JobReport {
        switch entry {
        case .job(let job):
            let plan = try JobPlan(job: job, configuration: configuration, workDirectory: "")
            ExitCleanup.register { OutputDirectories.close { plan.committer.abort() } }
            return try await server.runJob(plan, progress: progress)
        case .chain(let chain):
            let runner = ClusterChainRunner(
                server: server, configuration: configuration, parameters: try configuration.chainParameters(for: chain),
                progress: progress)
            return try await self.guardingOutput(configuration) { try await chain.run(runner) }
        }
    }
}

/// Runs a chain's jobs one after another on a master's workers, which stay up between them.
struct ClusterChainRunner: ChainRunner {
    let server: MasterServer
    let configuration: JobConfiguration
    let parameters: JobParameters
    let progress: ProgressLine

    func run(_ job: AnyJob, inputs: [String], output: String, parameters: [String: String]) async throws -> JobReport {
        let step = self.configuration.step(inputs: inputs, output: output, parameters: parameters)
        return try await self.server.runJob(try JobPlan(job: job, configuration: step, workDirectory: ""), progress: self.progress)
    }
}
