import Logging
import MapReduce

/// Owns a job's task table: which tasks wait, which attempt runs where,
/// which are done and where their output lives. Connection handlers only
/// call its methods; it answers by putting messages in workers' outboxes.
public actor Master {
    /// How a job ended.
    public enum Outcome: Sendable {
        /// Every reduce task finished; `attemptFiles` are their outputs, by partition, to commit.
        case succeeded(JobReport, attemptFiles: [String])
        case failed(String)
    }

    /// A snapshot for the progress line.
    public struct Progress: Sendable {
        public var mapsDone: Int
        public var maps: Int
        public var reducesDone: Int
        public var reduces: Int
        public var workers: Int
        public var bytesRead: Int64
        public var elapsed: Duration
    }

    let plan: JobPlan
    let maxAttempts: Int
    let workerTimeout: Duration
    let logger: Logger
    private let started = ContinuousClock.now
    private var workers: [WorkerID: WorkerRecord] = [:]
    private var nextWorkerNumber = 1
    private var maps: [TaskRecord]
    private var reduces: [TaskRecord]
    private var attempts: [JobReport.Attempt] = []
    /// Fetch failures reported against each finished map attempt.
    private var fetchFailures: [AttemptID: Int] = [:]
    private var outcome: Outcome?
    private var waiters: [CheckedContinuation<Outcome, Never>] = []

    /// Reports of a map attempt's output being unreachable after which the map runs again.
    static let fetchFailuresBeforeRerun = 3

    public init(plan: JobPlan, maxAttempts: Int, workerTimeout: Duration, logger: Logger) {
        self.plan = plan
        self.maxAttempts = maxAttempts
        self.workerTimeout = workerTimeout
        self.logger = logger
        self.maps = Array(repeating: TaskRecord(), count: plan.splits.count)
        self.reduces = Array(repeating: TaskRecord(), count: plan.settings.partitions)
    }

    /// Waits until the job has succeeded or failed.
    public func outcome() async -> Outcome {
        if let outcome = self.outcome { return outcome }
        return await withCheckedContinuation { self.waiters.append($0) }
    }

    public func progress() -> Progress {
        Progress(
            mapsDone: self.maps.count { $0.isDone }, maps: self.maps.count,
            reducesDone: self.reduces.count { $0.isDone }, reduces: self.reduces.count, workers: self.workers.count,
            bytesRead: self.maps.reduce(0) { total, task in
                guard case .done(_, _, let result) = task.state else { return total }
                return total + result.counters[.mapInputBytes]
            },
            elapsed: ContinuousClock.now - self.started)
    }

    // MARK: Workers

    /// Accepts a worker: tells it about the job (the first message in its
    /// outbox) and gives it tasks. Returns its id.
    func register(_ registration: Register, outbox: AsyncStream<Message>.Continuation) -> WorkerID {
        let id = WorkerID(number: self.nextWorkerNumber)
        self.nextWorkerNumber += 1
        self.workers[id] = WorkerRecord(id: id, registration: registration, outbox: outbox, lastHeard: .now)
        self.logger.info(
            "worker registered",
            metadata: ["worker": "\(id)", "host": "\(registration.hostName)", "pid": "\(registration.processID)",
                "shuffle": "\(Endpoint(host: registration.shuffleHost, port: registration.shufflePort))"])
        var settings = self.plan.settings
        settings.workDirectory = ""
        let registered = Registered(
            workerID: id.description, job: self.plan.job.name, settings: settings,
            heartbeatSeconds: min(1, self.workerTimeout.seconds / 5))
        outbox.yield(.registered(registered))
        self.schedule()
        return id
    }

    /// A worker's connection closed, or it stopped heartbeating: its running
    /// tasks go back to idle, and so do the maps whose output lived on it
    /// while some reduce still needs them.
    func lost(_ id: WorkerID, reason: String) {
        guard let worker = self.workers.removeValue(forKey: id) else { return }
        worker.outbox.finish()
        guard self.outcome == nil else { return }
        self.logger.warning("worker lost", metadata: ["worker": "\(id)", "reason": "\(reason)"])
        for attempt in worker.running { self.kill(attempt, reason: "worker \(id) lost") }
        if self.reduces.contains(where: { !$0.isDone }) {
            for index in self.maps.indices {
                guard case .done(let attempt, id, _) = self.maps[index].state else { continue }
                self.logger.info("map output lost with its worker; running the map again", metadata: ["attempt": "\(attempt)"])
                self.maps[index].state = .idle
            }
        }
        self.schedule()
    }

    /// Declares dead every worker not heard from within the worker timeout.
    func checkHeartbeats() {
        let now = ContinuousClock.now
        for (id, worker) in self.workers where now - worker.lastHeard > self.workerTimeout {
            self.lost(id, reason: "no heartbeat for \(self.workerTimeout)")
        }
    }

    // MARK: Messages

    func received(_ message: Message, from id: WorkerID) {
        guard self.workers[id] != nil else { return }
        self.workers[id]!.lastHeard = .now
        switch message {
        case .heartbeat:
            break
        case .taskSucceeded(let success):
            self.workers[id]!.running.remove(success.attempt)
            self.succeeded(success, on: id)
        case .taskFailed(let failure):
            self.workers[id]!.running.remove(failure.attempt)
            self.failed(failure.attempt, on: id, message: failure.message)
        case .fetchFailed(let failure):
            self.fetchFailed(failure)
        default:
            self.logger.warning("unexpected message from a worker", metadata: ["worker": "\(id)", "message": "\(message.name)"])
        }
        self.schedule()
    }

    private func succeeded(_ success: TaskSucceeded, on id: WorkerID) {
        let attempt = success.attempt
        guard self.outcome == nil, self.record(attempt).runningAttempt == attempt else {
            self.logger.debug("late result discarded", metadata: ["attempt": "\(attempt)"])
            return
        }
        self.noteAttempt(attempt, on: id, succeeded: true)
        self.setState(of: attempt, to: .done(attempt: attempt, worker: id, result: success))
        if attempt.kind == .map, let worker = self.workers[id] {
            let location = MapOutputLocation(
                map: attempt.task, attempt: attempt, host: worker.registration.shuffleHost, port: worker.registration.shufflePort)
            self.forEachRunningReduce { reduceAttempt, reducer in
                reducer.send(.mapOutputs(MapOutputs(reduceAttempt: reduceAttempt, locations: [location])))
            }
        }
        self.finishIfDone()
    }

    private func failed(_ attempt: AttemptID, on id: WorkerID, message: String) {
        guard self.outcome == nil, self.record(attempt).runningAttempt == attempt else { return }
        self.noteAttempt(attempt, on: id, succeeded: false)
        var record = self.record(attempt)
        record.failures += 1
        record.lastError = message
        record.failedOn.insert(id)
        record.state = .idle
        self.setRecord(of: attempt, to: record)
        self.logger.warning("attempt failed", metadata: ["attempt": "\(attempt)", "worker": "\(id)", "error": "\(message)"])
        if record.failures >= self.maxAttempts {
            let what = attempt.kind == .map ? "map task \(attempt.taskName) (\(self.plan.splits[attempt.task]))" : "reduce task \(attempt.taskName)"
            self.finish(.failed("\(what) failed \(record.failures) times; last error: \(message)"))
        }
    }

    private func fetchFailed(_ failure: FetchFailed) {
        let map = failure.mapAttempt
        guard map.kind == .map, map.task < self.maps.count,
            case .done(map, _, _) = self.maps[map.task].state
        else { return }
        self.fetchFailures[map, default: 0] += 1
        self.logger.warning(
            "fetch failed", metadata: ["map": "\(map)", "reduce": "\(failure.reduceAttempt)", "error": "\(failure.message)"])
        if self.fetchFailures[map]! >= Self.fetchFailuresBeforeRerun {
            self.logger.warning("map output unreachable; running the map again", metadata: ["map": "\(map)"])
            self.maps[map.task].state = .idle
        }
    }

    /// Takes a running attempt back without counting it as a failure.
    private func kill(_ attempt: AttemptID, reason: String) {
        guard self.record(attempt).runningAttempt == attempt else { return }
        if case .running(_, let worker, _) = self.record(attempt).state { self.noteAttempt(attempt, on: worker, succeeded: false) }
        self.setState(of: attempt, to: .idle)
    }

    // MARK: Scheduling

    /// Gives idle tasks to workers with free slots: maps first; reduces once
    /// no map is waiting, so that they fetch map outputs while the last maps run.
    private func schedule() {
        guard self.outcome == nil else { return }
        for id in self.workers.keys.sorted() {
            while self.workers[id]!.runningMaps < self.workers[id]!.registration.slots,
                let map = self.nextIdle(in: self.maps, for: id)
            {
                self.startMap(map, on: id)
            }
        }
        guard !self.maps.contains(where: \.isIdle) else { return }
        for id in self.workers.keys.sorted(by: { self.workers[$0]!.running.count < self.workers[$1]!.running.count }) {
            while self.workers[id]!.running.count < self.workers[id]!.registration.slots,
                let reduce = self.nextIdle(in: self.reduces, for: id)
            {
                self.startReduce(reduce, on: id)
            }
        }
    }

    /// The first idle task that has not failed on `worker`, or any idle task if every worker has failed it.
    private func nextIdle(in tasks: [TaskRecord], for worker: WorkerID) -> Int? {
        let idle = tasks.indices.filter { tasks[$0].isIdle }
        return idle.first { !tasks[$0].failedOn.contains(worker) }
            ?? idle.first { task in self.workers.keys.allSatisfy { tasks[task].failedOn.contains($0) } }
    }

    private func startMap(_ index: Int, on id: WorkerID) {
        self.maps[index].attemptsStarted += 1
        let attempt = AttemptID(.map, task: index, attempt: self.maps[index].attemptsStarted)
        self.maps[index].state = .running(attempt: attempt, worker: id, started: .now)
        self.workers[id]!.running.insert(attempt)
        self.workers[id]!.send(.runMap(RunMap(task: MapTask(id: attempt, split: self.plan.splits[index]))))
    }

    private func startReduce(_ index: Int, on id: WorkerID) {
        self.reduces[index].attemptsStarted += 1
        let attempt = AttemptID(.reduce, task: index, attempt: self.reduces[index].attemptsStarted)
        self.reduces[index].state = .running(attempt: attempt, worker: id, started: .now)
        self.workers[id]!.running.insert(attempt)
        self.workers[id]!.send(.runReduce(RunReduce(attempt: attempt, mapCount: self.maps.count)))
        self.workers[id]!.send(.mapOutputs(MapOutputs(reduceAttempt: attempt, locations: self.finishedMapLocations())))
    }

    private func finishedMapLocations() -> [MapOutputLocation] {
        self.maps.compactMap { task in
            guard case .done(let attempt, let worker, _) = task.state, let record = self.workers[worker] else { return nil }
            return MapOutputLocation(
                map: attempt.task, attempt: attempt, host: record.registration.shuffleHost, port: record.registration.shufflePort)
        }
    }

    private func forEachRunningReduce(_ body: (AttemptID, WorkerRecord) -> Void) {
        for task in self.reduces {
            if case .running(let attempt, let worker, _) = task.state, let record = self.workers[worker] { body(attempt, record) }
        }
    }

    // MARK: Bookkeeping

    private func record(_ attempt: AttemptID) -> TaskRecord {
        attempt.kind == .map ? self.maps[attempt.task] : self.reduces[attempt.task]
    }

    private func setRecord(of attempt: AttemptID, to record: TaskRecord) {
        if attempt.kind == .map { self.maps[attempt.task] = record } else { self.reduces[attempt.task] = record }
    }

    private func setState(of attempt: AttemptID, to state: TaskRecord.State) {
        var record = self.record(attempt)
        record.state = state
        self.setRecord(of: attempt, to: record)
    }

    private func noteAttempt(_ attempt: AttemptID, on worker: WorkerID, succeeded: Bool) {
        guard case .running(attempt, _, let started) = self.record(attempt).state else { return }
        self.attempts.append(
            JobReport.Attempt(
                id: attempt.description, worker: worker.description, startSeconds: (started - self.started).seconds,
                durationSeconds: (ContinuousClock.now - started).seconds, succeeded: succeeded))
    }

    private func finishIfDone() {
        guard self.outcome == nil, self.reduces.allSatisfy(\.isDone) else { return }
        var counters = Counters()
        var files: [String] = []
        for task in self.maps + self.reduces {
            guard case .done(_, _, let result) = task.state else { continue }
            counters.merge(result.counters)
            if let path = result.outputPath { files.append(path) }
        }
        let report = JobReport(
            job: self.plan.job.name, maps: self.maps.count, reduces: self.reduces.count,
            elapsedSeconds: (ContinuousClock.now - self.started).seconds, counters: counters,
            attempts: self.attempts.sorted { $0.startSeconds < $1.startSeconds })
        self.finish(.succeeded(report, attemptFiles: files))
    }

    fileprivate func finish(_ outcome: Outcome) {
        guard self.outcome == nil else { return }
        self.outcome = outcome
        for waiter in self.waiters { waiter.resume(returning: outcome) }
        self.waiters = []
    }

    /// Tells every worker the job is over.
    func shutdownWorkers(reason: String) {
        for worker in self.workers.values {
            worker.send(.shutdown(Shutdown(reason: reason)))
        }
    }

    /// Whether any worker is still connected.
    var hasWorkers: Bool { !self.workers.isEmpty }
}

extension Duration {
    var seconds: Double {
        let (seconds, attoseconds) = self.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}

extension Master {
    /// Ends the job as failed, for a reason outside the task table.
    public func abort(_ reason: String) {
        self.finish(.failed(reason))
    }
}
