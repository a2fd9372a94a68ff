import Logging
import MapReduce

/// A registered worker's state: the job it serves, its running attempts
/// and the reduce attempts gathering input. Messages from the master come
/// in through `handle`; answers go out through the outbox.
actor Worker {
    let id: String
    let job: AnyJob
    let settings: TaskSettings
    private let shuffle: ShuffleServer
    private let secret: Secret
    private let outbox: AsyncStream<Message>.Continuation
    private let logger: Logger
    private var running: Set<AttemptID> = []
    private var fetchers: [AttemptID: ReduceFetcher] = [:]

    init(
        id: String, job: AnyJob, settings: TaskSettings, shuffle: ShuffleServer, secret: Secret,
        outbox: AsyncStream<Message>.Continuation, logger: Logger
    ) {
        self.id = id
        self.job = job
        self.settings = settings
        self.shuffle = shuffle
        self.secret = secret
        self.outbox = outbox
        self.logger = logger
    }

    /// Acts on one message from the master; returns false when the master says to stop.
    func handle(_ message: Message) -> Bool {
        switch message {
        case .runMap(let run):
            self.start(run.task)
        case .runReduce(let run):
            self.start(run)
        case .mapOutputs(let outputs):
            if let fetcher = self.fetchers[outputs.reduceAttempt] {
                Task { await fetcher.add(outputs.locations) }
            }
        case .heartbeat:
            break
        case .killTask(let kill):
            self.running.remove(kill.attempt)
            if let fetcher = self.fetchers.removeValue(forKey: kill.attempt) { Task { await fetcher.cancel() } }
        case .shutdown(let shutdown):
            self.logger.info("master says stop", metadata: ["reason": "\(shutdown.reason)"])
            return false
        default:
            self.logger.warning("unexpected message from the master", metadata: ["message": "\(message.name)"])
        }
        return true
    }


    private func start(_ task: MapTask) {
        self.running.insert(task.id)
        let (job, settings) = (self.job, self.settings)
        Task {
            let result = await BlockingWork.run { try job.runMapTask(task, settings) }
            self.finished(task.id, result.map { TaskSucceeded(attempt: task.id, counters: $0.counters, outputPath: nil) }) {
                if case .success(let output) = result { self.shuffle.add(output.output, of: task.id) }
            }
        }
    }

    private func start(_ run: RunReduce) {
        let attempt = run.attempt
        self.running.insert(attempt)
        let directory = "\(self.settings.workDirectory)/\(attempt)"
        let outbox = self.outbox
        let fetcher = ReduceFetcher(
            attempt: attempt, mapCount: run.mapCount, secret: self.secret, directory: directory,
            memoryBudget: Int64(self.settings.sortBufferBytes), logger: self.logger
        ) { outbox.yield($0) }
        self.fetchers[attempt] = fetcher
        let (job, settings) = (self.job, self.settings)
        Task {
            let result: Result<TaskSucceeded, any Error>
            do {
                try FileSystem.makeDirectory(directory)
                let task = ReduceTask(id: attempt, inputs: try await fetcher.inputs())
                result = await BlockingWork.run { try job.runReduceTask(task, settings) }.map {
                    TaskSucceeded(attempt: attempt, counters: $0.counters, outputPath: $0.outputPath)
                }
            } catch {
                result = .failure(error)
            }
            FileSystem.removeTree(directory)
            self.finished(attempt, result)
        }
    }

    /// Reports a finished attempt, unless it was killed; `publish` first makes its output available.
    private func finished(_ attempt: AttemptID, _ result: Result<TaskSucceeded, any Error>, publish: () -> Void = {}) {
        guard self.running.remove(attempt) != nil else { return }
        publish()
        self.fetchers[attempt] = nil
        switch result {
        case .success(let success):
            self.outbox.yield(.taskSucceeded(success))
        case .failure(let error):
            self.logger.warning("attempt failed", metadata: ["attempt": "\(attempt)", "error": "\(error)"])
            self.outbox.yield(.taskFailed(TaskFailed(attempt: attempt, message: "\(error)", record: (error as? RecordFailure)?.record)))
        }
    }
}
