import Logging
import MapReduce

/// A registered worker's state: the job it serves now, its running
/// attempts and the reduce attempts gathering input. Messages from the
/// master come in through `handle`; answers go out through the outbox.
actor Worker {
    let id: String
    /// The jobs this executable has.
    private let jobs: [AnyJob]
    /// Where this worker keeps its files; each job gets a directory inside.
    private let workDirectory: String
    private var job: AnyJob?
    private var settings: TaskSettings?
    private let shuffle: ShuffleServer
    private let secret: Secret
    private let outbox: AsyncStream<Message>.Continuation
    private let logger: Logger
    private var running: Set<AttemptID> = []
    private var fetchers: [AttemptID: ReduceFetcher] = [:]

    init(
        id: String, jobs: [AnyJob], workDirectory: String, shuffle: ShuffleServer, secret: Secret,
        outbox: AsyncStream<Message>.Continuation, logger: Logger
    ) {
        self.id = id
        self.jobs = jobs
        self.workDirectory = workDirectory
        self.shuffle = shuffle
        self.secret = secret
        self.outbox = outbox
        self.logger = logger
    }

    /// Acts on one message from the master; returns false when the master says to stop.
    func handle(_ message: Message) throws -> Bool {
        switch message {
        case .startJob(let start):
            try self.begin(start)
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


    /// Switches to a new job: what the last one left running is forgotten, and its files go.
    private func begin(_ start: StartJob) throws {
        guard let job = self.jobs.first(where: { $0.name == start.job }) else {
            throw ProtocolError("the master runs job \(start.job), which this executable does not have")
        }
        for fetcher in self.fetchers.values { Task { await fetcher.cancel() } }
        self.fetchers = [:]
        self.running = []
        self.shuffle.removeAll()
        if let previous = self.settings { FileSystem.removeTree(previous.workDirectory) }
        var settings = start.settings
        settings.workDirectory = "\(self.workDirectory)/job-\(start.number)"
        try FileSystem.makeDirectory(settings.workDirectory)
        self.job = job
        self.settings = settings
        self.logger.info("job started", metadata: ["job": "\(job.name)", "number": "\(start.number)"])
    }

    private func start(_ task: MapTask) {
        guard let job = self.job, let settings = self.settings else { return }
        self.running.insert(task.id)
        Task {
            let result = await BlockingWork.run { try job.runMapTask(task, settings) }
            self.finished(task.id, result.map { TaskSucceeded(attempt: task.id, counters: $0.counters, outputPath: nil) }) {
                if case .success(let output) = result { self.shuffle.add(output.output, of: task.id) }
            }
        }
    }

    private func start(_ run: RunReduce) {
        guard let job = self.job, let settings = self.settings else { return }
        let attempt = run.attempt
        self.running.insert(attempt)
        let directory = "\(settings.workDirectory)/\(attempt)"
        let outbox = self.outbox
        let fetcher = ReduceFetcher(
            attempt: attempt, mapCount: run.mapCount, secret: self.secret, directory: directory,
            memoryBudget: Int64(settings.sortBufferBytes), logger: self.logger
        ) { outbox.yield($0) }
        self.fetchers[attempt] = fetcher
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
