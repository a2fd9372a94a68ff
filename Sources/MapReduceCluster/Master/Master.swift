import Logging
import MapReduce

/// Owns the workers and the current job's task table: which tasks wait,
/// which attempts run where, which are done and where their output lives.
/// Jobs run one after another (a chain) on the same workers. Connection
/// handlers only call its methods; it answers by putting messages in
/// workers' outboxes.
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

    /// The current job, once one has begun.
    private(set) var plan: JobPlan?
    /// The current job's number, from 1; attempt ids carry it.
    private var jobNumber = 0
    let options: MasterOptions
    let logger: Logger
    private var started = ContinuousClock.now
    /// Set once the workers are being told to go: a worker that registers then is told to go too.
    private var stopping = false
    /// Why the master can run no more jobs (say, its worker processes keep dying); set by `abort`.
    private var fatal: String?
    private var workers: [WorkerID: WorkerRecord] = [:]
    private var nextWorkerNumber = 1
    /// Workers that failed too many attempts; they get no more tasks.
    private var excluded: Set<WorkerID> = []
    private var failuresByWorker: [WorkerID: Int] = [:]
    private var maps: [TaskRecord]
    private var reduces: [TaskRecord]
    private var attempts: [JobReport.Attempt] = []
    /// Fetch failures reported against each finished map attempt.
    private var fetchFailures: [AttemptID: Int] = [:]
    private var events = Counters()
    private var mapPhaseAnnounced = false
    private var outcome: Outcome?
    private var waiters: [CheckedContinuation<Outcome, Never>] = []

    public init(options: MasterOptions, logger: Logger) {
        self.options = options
        self.logger = logger
        self.maps = []
        self.reduces = []
    }

    /// Starts `plan`'s job on the workers there are and those that come.
    public func begin(_ plan: JobPlan) {
        precondition(self.plan == nil || self.outcome != nil, "a job is still running")
        self.plan = plan
        self.jobNumber += 1
        self.started = .now
        self.maps = Array(repeating: TaskRecord(), count: plan.splits.count)
        self.reduces = Array(repeating: TaskRecord(), count: plan.settings.partitions)
        self.attempts = []
        self.fetchFailures = [:]
        self.events = Counters()
        self.mapPhaseAnnounced = false
        self.excluded = []
        self.failuresByWorker = [:]
        self.outcome = nil
        if let fatal = self.fatal { return self.finish(.failed(fatal)) }
        for id in self.workers.keys {
            self.workers[id]!.running = []
            self.workers[id]!.send(self.startJob)
        }
        self.schedule()
    }

    /// The message that tells a worker about the current job.
    private var startJob: Message {
        var settings = self.plan!.settings
        settings.workDirectory = ""
        return .startJob(StartJob(job: self.plan!.job.name, number: self.jobNumber, settings: settings))
    }

    /// Waits until the current job has succeeded or failed.
    public func outcome() async -> Outcome {
        if let outcome = self.outcome { return outcome }
        return await withCheckedContinuation { self.waiters.append($0) }
    }

    public func progress() -> Progress {
        Progress(
            mapsDone: self.maps.count(where: \.isDone), maps: self.maps.count,
            reducesDone: self.reduces.count(where: \.isDone), reduces: self.reduces.count, workers: self.workers.count,
            bytesRead: self.maps.reduce(0) { $0 + ($1.result?.counters[.mapInputBytes] ?? 0) },
            elapsed: ContinuousClock.now - self.started)
    }

    /// Ends the current job, and any later one, as failed, for a reason outside the task table.
    public func abort(_ reason: String) {
        self.fatal = reason
        if self.plan != nil { self.finish(.failed(reason)) }
    }

    /// Whether the workers are being told to go.
    public var isStopping: Bool { self.stopping }

    // MARK: Workers

    /// Accepts a worker: tells it so (the first message in its outbox) and
    /// about the current job, and gives it tasks. Returns its id.
    func register(_ registration: Register, outbox: AsyncStream<Message>.Continuation) -> WorkerID {
        let id = WorkerID(number: self.nextWorkerNumber)
        self.nextWorkerNumber += 1
        self.workers[id] = WorkerRecord(id: id, registration: registration, outbox: outbox, lastHeard: .now)
        self.registeredProcesses.insert(registration.processID)
        self.logger.info(
            "worker registered",
            metadata: ["worker": "\(id)", "host": "\(registration.hostName)", "pid": "\(registration.processID)",
                "shuffle": "\(self.workers[id]!.shuffleEndpoint)"])
        let timeout = self.options.workerTimeout.seconds
        outbox.yield(
            .registered(Registered(workerID: id.description, heartbeatSeconds: min(1, timeout / 5), timeoutSeconds: timeout)))
        if self.stopping {
            outbox.yield(.shutdown(Shutdown(reason: "the job is over")))
        } else if self.plan != nil, self.outcome == nil {
            outbox.yield(self.startJob)
            self.schedule()
        }
        return id
    }

    /// Process ids of every worker that has registered, so that a local
    /// cluster can tell a worker that died at work from one that died first.
    private var registeredProcesses: Set<Int32> = []

    /// Whether a worker of process id `processID` has ever registered.
    func hasRegistered(processID: Int32) -> Bool {
        self.registeredProcesses.contains(processID)
    }

    /// A worker's connection closed, or it stopped heartbeating: its
    /// connection is closed, its running attempts fail (a task that kills its
    /// process fails like one that throws), and the maps whose output lived on
    /// it go back to idle while any reduce task is unfinished.
    func lost(_ id: WorkerID, reason: String) {
        guard let worker = self.workers.removeValue(forKey: id) else { return }
        worker.outbox.finish()
        guard self.outcome == nil else { return }
        self.logger.warning("worker lost", metadata: ["worker": "\(id)", "reason": "\(reason)"])
        for attempt in worker.running {
            self.failed(attempt, on: id, message: "its worker was lost (\(reason))", record: nil)
        }
        if self.reduces.contains(where: { !$0.isDone }) {
            for index in self.maps.indices where self.maps[index].done?.worker == id {
                self.logger.info("map output lost with its worker; running the map again", metadata: ["map": "\(index)"])
                self.maps[index].done = nil
            }
        }
        self.schedule()
    }

    /// Declares dead every worker not heard from within the worker timeout,
    /// and looks for stragglers to back up.
    func tick() {
        let now = ContinuousClock.now
        for (id, worker) in self.workers where now - worker.lastHeard > self.options.workerTimeout {
            self.lost(id, reason: "no heartbeat for \(self.options.workerTimeout)")
        }
        self.schedule()
    }

    // MARK: Messages

    func received(_ message: Message, from id: WorkerID) {
        guard self.workers[id] != nil else { return }
        self.workers[id]!.lastHeard = .now
        switch message {
        case .heartbeat:
            self.workers[id]!.send(.heartbeat(Heartbeat()))
        case .taskSucceeded(let success) where self.isRunning(success.attempt, on: id):
            self.workers[id]!.running.remove(success.attempt)
            self.succeeded(success, on: id)
        case .taskFailed(let failure) where self.isRunning(failure.attempt, on: id):
            self.workers[id]!.running.remove(failure.attempt)
            self.failed(failure.attempt, on: id, message: failure.message, record: failure.record)
        case .fetchFailed(let failure) where self.isKnown(failure.mapAttempt):
            self.fetchFailed(failure)
        case .taskSucceeded, .taskFailed, .fetchFailed:
            self.logger.debug("stale or unknown attempt in a message", metadata: ["worker": "\(id)", "message": "\(message.name)"])
        default:
            self.logger.warning("unexpected message from a worker", metadata: ["worker": "\(id)", "message": "\(message.name)"])
        }
        self.schedule()
    }

    /// Whether `attempt` names a task of the current job.
    private func isKnown(_ attempt: AttemptID) -> Bool {
        attempt.job == self.jobNumber && attempt.task >= 0
            && attempt.task < (attempt.kind == .map ? self.maps.count : self.reduces.count)
    }

    /// Whether `attempt` is running on worker `id`; results of any other attempt are late or forged, and ignored.
    private func isRunning(_ attempt: AttemptID, on id: WorkerID) -> Bool {
        self.isKnown(attempt) && self[attempt].running[attempt]?.worker == id
    }

    private func succeeded(_ success: TaskSucceeded, on id: WorkerID) {
        let attempt = success.attempt
        guard self.outcome == nil, let running = self[attempt].running[attempt] else { return }
        self.note(attempt, running, succeeded: true)
        self[attempt].running[attempt] = nil
        self[attempt].done = TaskRecord.Done(
            attempt: attempt, worker: id, result: success, duration: ContinuousClock.now - running.started)
        if self[attempt].result == nil { self[attempt].result = success }
        // The first attempt to finish wins; the others are killed.
        for (other, loser) in self[attempt].running {
            self.note(other, loser, succeeded: false)
            self.workers[loser.worker]?.running.remove(other)
            self.workers[loser.worker]?.send(.killTask(KillTask(attempt: other)))
            self.events.add(.killedAttempts, 1)
            if loser.isBackup { self.events.add(.wastedBackupAttempts, 1) }
        }
        self[attempt].running = [:]
        if attempt.kind == .map, let worker = self.workers[id] {
            self.logger.info("map output ready", metadata: ["attempt": "\(attempt)", "worker": "\(id)"])
            let location = MapOutputLocation(
                map: attempt.task, attempt: attempt, host: worker.registration.shuffleHost, port: worker.registration.shufflePort)
            self.forEachRunningReduce { reduceAttempt, reducer in
                reducer.send(.mapOutputs(MapOutputs(reduceAttempt: reduceAttempt, locations: [location])))
            }
            if !self.mapPhaseAnnounced, self.maps.allSatisfy(\.isDone) {
                self.mapPhaseAnnounced = true
                self.logger.info("all map tasks done", metadata: ["maps": "\(self.maps.count)"])
            }
        }
        self.finishIfDone()
    }

    /// Records a failed attempt; the job fails once a task has failed `maxAttempts` times.
    private func failed(_ attempt: AttemptID, on id: WorkerID, message: String, record: Int64?) {
        guard self.outcome == nil, let running = self[attempt].running.removeValue(forKey: attempt) else { return }
        self.note(attempt, running, succeeded: false)
        self.events.add(attempt.kind == .map ? .failedMapAttempts : .failedReduceAttempts, 1)
        if let record { self[attempt].recordFailures[record, default: 0] += 1 }
        self.logger.warning("attempt failed", metadata: ["attempt": "\(attempt)", "worker": "\(id)", "error": "\(message)"])
        self.blame(id)
        self.countFailure(of: attempt, on: id, message: message)
    }

    /// Counts a failure of `attempt`'s task, whose attempt ran on `id`, and fails the job past `maxAttempts`.
    private func countFailure(of attempt: AttemptID, on id: WorkerID, message: String) {
        self[attempt].failures += 1
        self[attempt].failedOn.insert(id)
        guard self[attempt].failures >= self.options.maxAttempts, self[attempt].done == nil else { return }
        let what =
            attempt.kind == .map
            ? "map task \(attempt.taskName) (\(self.plan!.splits[attempt.task]))" : "reduce task \(attempt.taskName)"
        self.finish(.failed("\(what) failed \(self[attempt].failures) times; last error: \(message)"))
    }

    /// Counts a failed attempt against a worker; one that fails too often gets no more tasks,
    /// unless it is the last one left.
    private func blame(_ id: WorkerID) {
        guard self.workers[id] != nil else { return }
        self.failuresByWorker[id, default: 0] += 1
        guard self.failuresByWorker[id]! >= MasterOptions.failuresBeforeExclusion, !self.excluded.contains(id),
            self.workers.keys.contains(where: { $0 != id && !self.excluded.contains($0) })
        else { return }
        self.excluded.insert(id)
        self.logger.warning("worker excluded from the job after repeated failures", metadata: ["worker": "\(id)"])
    }

    private func fetchFailed(_ failure: FetchFailed) {
        let map = failure.mapAttempt
        guard map.kind == .map, let done = self.maps[map.task].done, done.attempt == map else { return }
        self.fetchFailures[map, default: 0] += 1
        self.logger.warning(
            "fetch failed", metadata: ["map": "\(map)", "reduce": "\(failure.reduceAttempt)", "error": "\(failure.message)"])
        if failure.corrupt || self.fetchFailures[map]! >= MasterOptions.fetchFailuresBeforeRerun {
            self.logger.warning("map output unusable; running the map again", metadata: ["map": "\(map)"])
            self.maps[map.task].done = nil
            self.countFailure(of: map, on: done.worker, message: "its output could not be fetched: \(failure.message)")
        }
    }

    // MARK: Scheduling

    /// Gives idle tasks to workers with free slots: maps first; reduces once
    /// no map is waiting, so that they fetch map outputs while the last maps
    /// run. A worker may run maps beyond its slots while reduces hold them, so
    /// that reduces waiting for a re-run map never starve it. Slots left over
    /// near the end of a phase go to backups of stragglers.
    private func schedule() {
        guard self.plan != nil, self.outcome == nil else { return }
        let healthy = self.workers.keys.filter { !self.excluded.contains($0) }.sorted()
        // Excluded workers are better than none.
        let usable = healthy.isEmpty ? self.workers.keys.sorted() : healthy
        for id in usable {
            while self.workers[id]!.runningMaps < self.workers[id]!.registration.slots,
                let map = self.nextIdle(in: self.maps, for: id)
            {
                self.start(AttemptID(.map, task: map, attempt: 0), on: id, isBackup: false)
            }
        }
        guard !self.maps.contains(where: \.isIdle) else { return }
        for id in usable.sorted(by: { self.workers[$0]!.running.count < self.workers[$1]!.running.count }) {
            while self.workers[id]!.running.count < self.workers[id]!.registration.slots,
                let reduce = self.nextIdle(in: self.reduces, for: id)
            {
                self.start(AttemptID(.reduce, task: reduce, attempt: 0), on: id, isBackup: false)
            }
        }
        guard self.options.speculation else { return }
        for id in usable {
            let worker = self.workers[id]!
            let straggler =
                worker.runningMaps < worker.registration.slots ? self.straggler(in: self.maps, kind: .map, avoiding: id) : nil
            guard let backup = straggler
                ?? (worker.running.count < worker.registration.slots
                    ? self.straggler(in: self.reduces, kind: .reduce, avoiding: id) : nil)
            else { continue }
            self.logger.info("starting a backup attempt of a straggler", metadata: ["task": "\(backup.taskName)", "worker": "\(id)"])
            self.events.add(.launchedBackupAttempts, 1)
            self.start(backup, on: id, isBackup: true)
        }
    }

    /// The first idle task that has not failed on `worker`, or any idle task if every worker has failed it.
    private func nextIdle(in tasks: [TaskRecord], for worker: WorkerID) -> Int? {
        let idle = tasks.indices.filter { tasks[$0].isIdle }
        return idle.first { !tasks[$0].failedOn.contains(worker) }
            ?? idle.first { task in self.workers.keys.allSatisfy { tasks[task].failedOn.contains($0) } }
    }

    /// A task of a phase with nothing left to start whose only attempt has run far longer than
    /// the phase's typical one, and not on `worker`. Returns the task (attempt number 0).
    private func straggler(in tasks: [TaskRecord], kind: AttemptID.Kind, avoiding worker: WorkerID) -> AttemptID? {
        let durations = tasks.compactMap { $0.done?.duration }.sorted()
        guard !durations.isEmpty, !tasks.contains(where: \.isIdle) else { return nil }
        let threshold = max(durations[durations.count / 2] * MasterOptions.straggleFactor, MasterOptions.minimumStraggle)
        let now = ContinuousClock.now
        let candidates = tasks.indices.filter { index in
            guard tasks[index].done == nil, tasks[index].running.count == 1, let running = tasks[index].running.first?.value
            else { return false }
            return running.worker != worker && now - running.started > threshold
        }
        return candidates.min { tasks[$0].running.first!.value.started < tasks[$1].running.first!.value.started }
            .map { AttemptID(kind, task: $0, attempt: 0) }
    }

    /// Starts the next attempt of `task` (whose attempt number is ignored) on worker `id`.
    private func start(_ task: AttemptID, on id: WorkerID, isBackup: Bool) {
        self[task].attemptsStarted += 1
        let attempt = AttemptID(task.kind, task: task.task, attempt: self[task].attemptsStarted, job: self.jobNumber)
        self[attempt].running[attempt] = TaskRecord.Running(worker: id, started: .now, isBackup: isBackup)
        self.workers[id]!.running.insert(attempt)
        switch attempt.kind {
        case .map:
            let skip =
                self.options.skipBadRecords
                ? Set(self[attempt].recordFailures.filter { $0.value >= MasterOptions.failuresBeforeSkipping }.keys) : []
            self.workers[id]!.send(
                .runMap(RunMap(task: MapTask(id: attempt, split: self.plan!.splits[attempt.task], skipRecords: skip))))
        case .reduce:
            self.workers[id]!.send(.runReduce(RunReduce(attempt: attempt, mapCount: self.maps.count)))
            self.workers[id]!.send(.mapOutputs(MapOutputs(reduceAttempt: attempt, locations: self.finishedMapLocations())))
        }
    }

    private func finishedMapLocations() -> [MapOutputLocation] {
        self.maps.compactMap { task in
            guard let done = task.done, let record = self.workers[done.worker] else { return nil }
            return MapOutputLocation(
                map: done.attempt.task, attempt: done.attempt, host: record.registration.shuffleHost,
                port: record.registration.shufflePort)
        }
    }

    private func forEachRunningReduce(_ body: (AttemptID, WorkerRecord) -> Void) {
        for task in self.reduces {
            for (attempt, running) in task.running {
                if let record = self.workers[running.worker] { body(attempt, record) }
            }
        }
    }

    // MARK: Bookkeeping

    private subscript(attempt: AttemptID) -> TaskRecord {
        get { attempt.kind == .map ? self.maps[attempt.task] : self.reduces[attempt.task] }
        set {
            if attempt.kind == .map { self.maps[attempt.task] = newValue } else { self.reduces[attempt.task] = newValue }
        }
    }

    private func note(_ attempt: AttemptID, _ running: TaskRecord.Running, succeeded: Bool) {
        self.attempts.append(
            JobReport.Attempt(
                id: attempt.description, worker: running.worker.description,
                startSeconds: (running.started - self.started).seconds,
                durationSeconds: (ContinuousClock.now - running.started).seconds, succeeded: succeeded))
    }

    private func finishIfDone() {
        guard self.outcome == nil, self.reduces.allSatisfy(\.isDone) else { return }
        var counters = self.events
        for task in self.maps + self.reduces {
            if let result = task.result { counters.merge(result.counters) }
        }
        // The master names the files to commit itself, from the winning attempts.
        let files = self.reduces.compactMap { task in
            task.done.map { ReduceTask.attemptOutputPath(for: $0.attempt, in: self.plan!.settings.outputDirectory) }
        }
        let report = JobReport(
            job: self.plan!.job.name, maps: self.maps.count, reduces: self.reduces.count,
            elapsedSeconds: (ContinuousClock.now - self.started).seconds, counters: counters,
            attempts: self.attempts.sorted { $0.startSeconds < $1.startSeconds })
        self.finish(.succeeded(report, attemptFiles: files))
    }

    private func finish(_ outcome: Outcome) {
        guard self.outcome == nil else { return }
        self.outcome = outcome
        for waiter in self.waiters { waiter.resume(returning: outcome) }
        self.waiters = []
    }

    /// Tells every worker, now and from now on, that the work is over.
    func shutdownWorkers(reason: String) {
        self.stopping = true
        for worker in self.workers.values {
            worker.send(.shutdown(Shutdown(reason: reason)))
        }
    }

    /// Whether any worker is still connected.
    var hasWorkers: Bool { !self.workers.isEmpty }
}

