import MapReduce
import MapReduceCluster

/// Runs what `--job` picked, a job or a chain, in this process or on a master's workers.
enum JobLauncher {
    /// Runs `entry` in this process.
    static func runInProcess(_ entry: JobRegistry.Entry, _ configuration: JobConfiguration) async throws -> JobReport {
        switch entry {
        case .job(let job):
            return try await InProcessRunner(job: job, configuration: configuration).run()
        case .chain(let chain):
            let runner = InProcessChainRunner(configuration: configuration, parameters: try configuration.chainParameters(for: chain))
            return try await chain.run(runner)
        }
    }

    /// Runs `entry` on the workers of `server`.
    static func runOnCluster(
        _ entry: JobRegistry.Entry, _ configuration: JobConfiguration, server: MasterServer, progress: ProgressLine
    ) async throws -> JobReport {
        var configuration = configuration
        if configuration.reducers == nil, configuration.slots == nil {
            configuration.slots = try await server.registeredSlots()
        }
        switch entry {
        case .job(let job):
            let plan = try Self.planned(job, configuration)
            let recovery = configuration.resumesOutput ? try JobRecovery.read(for: plan) : nil
            return try await server.runJob(plan, progress: progress, recovery: recovery)
        case .chain(let chain):
            let runner = ClusterChainRunner(
                server: server, configuration: configuration, parameters: try configuration.chainParameters(for: chain),
                progress: progress)
            return try await chain.run(runner)
        }
    }

    /// The plan of `job`, whose setup (tasks, combiner, partitioner, parameters) is printed once it is made.
    static func planned(_ job: AnyJob, _ configuration: JobConfiguration) throws -> JobPlan {
        let plan = try JobPlan(job: job, configuration: configuration, workDirectory: "")
        CommandFailure.standardError("\(job.name): \(plan.setup)")
        return plan
    }

    /// Runs `body`, which runs the job and returns only once everything that
    /// writes its output has stopped (tasks, workers, the commit); if it fails
    /// or is stopped, then removes the run's unfinished output.
    static func guardingOutput<T>(
        _ configuration: JobConfiguration, _ body: () async throws -> T
    ) async throws -> T {
        let output = UnfinishedOutput(configuration)
        do {
            return try await body()
        } catch {
            output.remove()
            throw error
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
        return try await self.server.runJob(try JobLauncher.planned(job, step), progress: self.progress)
    }
}
