import Foundation
import Logging
import MapReduce

/// A registered worker's state: the job it serves now, its running
/// attempts and the reduce attempts gathering input. Messages from the
/// master come in through `handle`; answers go out through the outbox.
actor Worker {

    /// The jobs this executable has.
    private let jobs: [AnyJob]
    /// Where this worker keeps its files; each job gets a directory inside.
    private let workDirectory: String
    /// Work directories of dead workers this one took over, whose map outputs it may serve.
    private let adopted: [String]
    /// The name of the master whose job runs, for the manifests of map outputs.
    private var master = ""
    private var job: AnyJob?
    private var settings: TaskSettings?
    private let shuffle: ShuffleServer
    private let secret: Secret
    private let security: TransportSecurity?
    /// Where messages to the master go: the current connection's.
    private var outbox: AsyncStream<Message>.Continuation?
    private var logger: Logger
    /// The current job's attempts that have not been reported on yet.
    private var running: [AttemptID: RunningAttempt] = [:]
    /// The current job's number, and where its map outputs are by map: each reduce attempt starts with them.
    private var jobNumber = 0
    private var mapOutputs: [Int: MapOutputLocation] = [:]
    private let metrics: WorkerMetrics

    init(
        jobs: [AnyJob], workDirectory: String, adopted: [String], shuffle: ShuffleServer, secret: Secret,
        security: TransportSecurity?, metrics: WorkerMetrics, logger: Logger
    ) {
        self.metrics = metrics
        self.jobs = jobs
        self.workDirectory = workDirectory
        self.adopted = adopted
        self.shuffle = shuffle
        self.secret = secret
        self.security = security
        self.logger = logger
    }

    /// Has registered with the master as `id`; messages go out through `outbox` from now on.
    func connected(as id: String, outbox: AsyncStream<Message>.Continuation) {
        self.outbox = outbox
        self.logger[metadataKey: "worker"] = "\(id)"
    }

    /// Whether attempts still run, or have been stopped and not yet returned.
    var hasRunningAttempts: Bool { !self.running.isEmpty }

    /// The connection to the master is gone, and the worker waits for it to come back: its
    /// running attempts stop (the master that comes back runs what they ran again), and its
    /// finished map outputs stay, to be offered to that master.
    func masterLost() {
        self.outbox = nil
        for attempt in self.running.keys { self.stop(attempt) }
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
            self.learn(outputs)
        case .heartbeat:
            break
        case .killTask(let kill):
            self.kill(kill.attempt)
        case .shutdown(let shutdown):
            self.logger.info("master says stop", metadata: ["reason": "\(shutdown.reason)"])
            return false
        default:
            self.logger.warning("unexpected message from the master", metadata: ["message": "\(message.name)"])
        }
        return true
    }

    /// Notes where the current job's map outputs are, and tells its running reduce attempts.
    private func learn(_ outputs: MapOutputs) {
        guard outputs.job == self.jobNumber else { return }
        let locations = outputs.locations
        for location in locations where location.supersedes(self.mapOutputs[location.map]) {
            self.mapOutputs[location.map] = location
        }
        for fetcher in self.running.values.compactMap(\.fetcher) {
            Task { await fetcher.add(locations) }
        }
    }

    /// How far each running attempt has got, for the next heartbeat.
    func progress() -> [AttemptProgress] {
        self.running.filter { !$0.value.killed }.map { AttemptProgress(attempt: $0.key, records: $0.value.control.recordsRead) }
    }

    /// Stops `attempt`; once its code has returned and its files are gone,
    /// `finished` says `taskKilled`. An attempt that is not running any more
    /// has been reported on already (its `taskSucceeded` or `taskFailed` is
    /// on its way), so there is nothing to stop.
    private func kill(_ attempt: AttemptID) {
        guard self.stop(attempt) else { return }
        self.logger.info("stopping an attempt", metadata: ["attempt": "\(attempt)"])
    }

    /// Stops `attempt`, if it runs and was not stopped yet (see `kill`); whether it did.
    @discardableResult private func stop(_ attempt: AttemptID) -> Bool {
        guard var entry = self.running[attempt], !entry.killed else { return false }
        entry.killed = true
        entry.stop()
        self.running[attempt] = entry
        return true
    }

    /// Switches to a new job: what the last one left running is forgotten, and its files go.
    private func begin(_ start: StartJob) throws {
        guard let job = self.jobs.first(where: { $0.name == start.job }) else {
            throw ProtocolError("the master runs job \(start.job), which this executable does not have")
        }
        if start.master == self.master, start.number == self.jobNumber, job.name == self.job?.name {
            // The master came back (a restart that took the job over): it may take the outputs this worker holds.
            self.logger.info("the master is back with the same job", metadata: ["job": "\(job.name)", "number": "\(start.number)"])
            let held = self.shuffle.attempts
            if !held.isEmpty { self.outbox?.yield(.mapOutputsRecovered(MapOutputsRecovered(attempts: held))) }
            return
        }
        // The last job's attempts stop and clean up after themselves, and say `taskKilled`:
        // until then, their slots are taken.
        for attempt in self.running.keys { self.stop(attempt) }
        self.shuffle.removeAll()
        if let previous = self.settings { FileSystem.removeTree(previous.workDirectory) }
        var settings = start.settings
        settings.workDirectory = "\(self.workDirectory)/job-\(start.number)"
        try FileSystem.makeDirectory(settings.workDirectory, access: .ownerOnly)
        self.job = job
        self.settings = settings
        self.master = start.master
        self.jobNumber = start.number
        self.mapOutputs = [:]
        self.logger.info("job started", metadata: ["job": "\(job.name)", "number": "\(start.number)"])
        let recovered = RecoveredMapOutputs.find(in: self.adopted, master: start.master, job: start.number)
        guard !recovered.isEmpty else { return }
        for (attempt, output) in recovered { self.shuffle.add(output, of: attempt) }
        self.outbox?.yield(.mapOutputsRecovered(MapOutputsRecovered(attempts: recovered.keys.sorted())))
    }

    private func start(_ task: MapTask) {
        guard let job = self.job, var settings = self.settings else { return }
        let entry = RunningAttempt()
        self.running[task.id] = entry
        self.metrics.running(self.running.count)
        // A map attempt keeps its spills and output in a directory of its own, which goes unless it succeeds.
        settings.workDirectory = "\(settings.workDirectory)/\(task.id)"
        let directory = settings.workDirectory
        // A map-only job's map writes its part file under the output's `_temporary`, as a reduce does.
        let leftovers =
            settings.writesPartFile(.map)
            ? [directory, ReduceTask.attemptOutputDirectory(for: task.id, in: settings.outputDirectory)] : [directory]
        let master = self.master
        Task { [settings] in
            let result = await BlockingWork.run {
                try FileSystem.makeDirectory(directory, access: .ownerOnly)
                let result = try job.runMapTask(task, settings, entry.control)
                try RecoveredMapOutputs.record(task.id, of: master, in: directory)
                return result
            }
            self.finished(
                task.id, result.map { TaskSucceeded(attempt: task.id, counters: $0.counters) }, leftovers: leftovers
            ) {
                if case .success(let output) = result { self.shuffle.add(output.output, of: task.id) }
            }
        }
    }

    private func start(_ run: RunReduce) {
        guard let job = self.job, let settings = self.settings else { return }
        let attempt = run.attempt
        let directory = "\(settings.workDirectory)/\(attempt)"
        let outbox = self.outbox
        let fetcher = ReduceFetcher(
            attempt: attempt, mapCount: run.mapCount, known: Array(self.mapOutputs.values), secret: self.secret, security: self.security,
            directory: directory, memoryBudget: Int64(settings.fetchedSegmentBudget), metrics: self.metrics, logger: self.logger
        ) { outbox?.yield($0) }
        let entry = RunningAttempt(fetcher: fetcher)
        self.running[attempt] = entry
        self.metrics.running(self.running.count)
        let output = ReduceTask.attemptOutputDirectory(for: attempt, in: settings.outputDirectory)
        Task {
            let result: Result<TaskSucceeded, any Error>
            do {
                try FileSystem.makeDirectory(directory, access: .ownerOnly)
                let task = ReduceTask(id: attempt, inputs: try await fetcher.inputs())
                result = await BlockingWork.run { try job.runReduceTask(task, settings, entry.control) }.map {
                    TaskSucceeded(attempt: attempt, counters: $0.counters)
                }
            } catch {
                result = .failure(error)
            }
            self.remove([directory], of: attempt)
            self.finished(attempt, result, leftovers: [output])
        }
    }

    /// Reports an attempt whose code has returned, unless its job is over.
    /// One that succeeded is published (`publish` makes its output
    /// available) and reported; any other first loses `leftovers`, and then
    /// says `taskKilled` if the master stopped it, `taskFailed` if not.
    private func finished(
        _ attempt: AttemptID, _ result: Result<TaskSucceeded, any Error>, leftovers: [String], publish: () -> Void = {}
    ) {
        let entry = self.running.removeValue(forKey: attempt)
        self.metrics.running(self.running.count)
        if let entry, !entry.killed, case .success(let success) = result {
            self.metrics.ended(attempt, .succeeded)
            publish()
            self.outbox?.yield(.taskSucceeded(success))
            return
        }
        self.remove(leftovers, of: attempt)
        switch (entry, result) {
        case (nil, _):
            break
        case (let entry?, _) where entry.killed:
            self.metrics.ended(attempt, .killed)
            self.logger.info("attempt stopped", metadata: ["attempt": "\(attempt)"])
            self.outbox?.yield(.taskKilled(TaskKilled(attempt: attempt)))
        case (_, .failure(let error)):
            self.metrics.ended(attempt, .failed)
            // The master logs it as a warning, with the worker's name: one line per failed attempt.
            self.logger.info("attempt failed", metadata: ["attempt": "\(attempt)", "error": "\(error)"])
            self.outbox?.yield(.taskFailed(TaskFailed(attempt: attempt, message: "\(error)", record: (error as? RecordFailure)?.record)))
        case (_, .success):
            preconditionFailure("a running attempt that succeeded was reported above")
        }
    }

    /// Removes files an attempt leaves behind, by their bytes; one that cannot be removed is named in a
    /// warning on standard error, and the attempt is over all the same.
    private nonisolated func remove(_ paths: [String], of attempt: AttemptID) {
        for path in paths { FileSystem.removeTree(path) }
    }
}
