import Foundation
/// Runs a whole job in this process: every map task, then every reduce
/// task, on a pool of threads, through the same spill files, merge and
/// commit code as the cluster.
public struct InProcessRunner: Sendable {
    /// The job to run.
    public let job: AnyJob
    /// The run's inputs, output and settings.
    public let configuration: JobConfiguration

    /// Makes a runner of `job` with `configuration`; nothing runs until `run()`.
    public init(job: AnyJob, configuration: JobConfiguration) {
        self.job = job
        self.configuration = configuration
    }

    /// Runs the job to completion; on failure, no output is left behind.
    /// Cancelled, it starts no new task, stops the running ones at their next
    /// record, removes what the job wrote and throws `CancellationError`.
    public func run() async throws -> JobReport {
        let started = ContinuousClock.now
        let workDirectory = FileSystem.freshDirectoryName(in: self.configuration.workDirectory, prefix: "mapreduce")
        let plan = try JobPlan(job: self.job, configuration: self.configuration, workDirectory: workDirectory)
        defer { FileSystem.removeTree(workDirectory) }
        do {
            try FileSystem.makeDirectory(workDirectory, access: .ownerOnly)
            let settings = plan.settings
            let width = self.configuration.parallelism ?? ProcessInfo.processInfo.activeProcessorCount
            let attempts = Locked<[JobReport.Attempt]>([])
            let job = self.job
            let timed = { @Sendable (id: AttemptID, input: String, body: () throws -> Counters) throws in
                let start = ContinuousClock.now
                var counters: Counters?
                var failure: String?
                defer {
                    let attempt = JobReport.Attempt(
                        id: id, worker: "in-process", startSeconds: (start - started).seconds,
                        durationSeconds: (ContinuousClock.now - start).seconds, state: counters == nil ? .failed : .succeeded,
                        error: failure, bytes: counters.map { JobReport.Attempt.bytes($0, of: id) })
                    attempts.withLock { $0.append(attempt) }
                }
                do {
                    counters = try body()
                } catch {
                    failure = "\(error)"
                    throw TaskFailure(attempt: id, input: input, error: error)
                }
            }

            let splits = plan.splits
            let maps = try await ParallelTasks.run(count: splits.count, width: width) { i, control in
                let task = MapTask(id: AttemptID(.map, task: i, attempt: 1), split: splits[i])
                var result: MapTaskResult?
                try timed(task.id, task.split.description) {
                    result = try job.runMapTask(task, settings, control)
                    if settings.writesPartFile(.map) { try plan.committer.commitTask(task.id) }
                    return result!.counters
                }
                return result!
            }
            let outputs = maps.map(\.output)
            let reduces = try await ParallelTasks.run(count: settings.partitions, width: width) { r, control in
                let task = ReduceTask(id: AttemptID(.reduce, task: r, attempt: 1), inputs: outputs.map { ReduceInput($0, partition: r) })
                var result: ReduceTaskResult?
                try timed(task.id, "partition \(r)") {
                    result = try job.runReduceTask(task, settings, control)
                    try plan.committer.commitTask(task.id)
                    return result!.counters
                }
                return result!
            }

            var counters = Counters()
            for result in maps { counters.merge(result.counters) }
            for result in reduces { counters.merge(result.counters) }
            let report = JobReport(
                job: job.name, maps: maps.count, reduces: settings.partitions,
                elapsedSeconds: (ContinuousClock.now - started).seconds, counters: counters,
                attempts: attempts.withLock { $0 }.sorted { $0.startSeconds < $1.startSeconds }, inputs: plan.inputs,
                output: settings.outputDirectory, setup: plan.setup)
            try Task.checkCancellation()
            try plan.commit(report: report)
            return report
        } catch {
            plan.committer.abort()
            throw error
        }
    }
}

extension Duration {
    /// The duration in seconds, as a `Double`.
    public var seconds: Double {
        let (seconds, attoseconds) = self.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
