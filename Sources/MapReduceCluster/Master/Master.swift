import Logging
import NIOCore
import MapReduce

/// Owns the workers' connections and the current job. Jobs run one after
/// another (a chain) on the same workers. Connection handlers call its
/// methods; it turns what workers say into scheduler events, and the
/// scheduler's commands into messages on workers' connections.
public actor Master {
    /// How a job ended.
    public enum Outcome: Sendable {
        /// Every reduce task finished, and its output is task-committed, ready for the job commit.
        case succeeded(JobReport)
        /// The job failed, for the reason given in one line.
        case failed(String)
    }

    /// A snapshot for the progress line.
    public struct Progress: Sendable {
        /// Map tasks done.
        public var mapsDone: Int
        /// Map tasks in all.
        public var maps: Int
        /// Reduce tasks done.
        public var reducesDone: Int
        /// Reduce tasks in all.
        public var reduces: Int
        /// Workers connected.
        public var workers: Int
        /// Input bytes of the maps done.
        public var bytesRead: Int64
        /// Time since the current job started.
        public var elapsed: Duration
    }

    /// The current job, once one has begun.
    private(set) var plan: JobPlan?
    /// The current job's decisions.
    private(set) var scheduler: Scheduler?
    /// Where the current job's map outputs are, for the workers that run its reduce attempts.
    private var broadcast: MapOutputBroadcast?
    /// The current job's number, from 1; attempt ids carry it.
    private var jobNumber = 0
    /// A random name for this master, so that workers recover map outputs of its jobs only; a master
    /// that takes a job over from its journal takes the name of the one that began it.
    var name = (0..<4).map { _ in String(UInt32.random(in: 0...UInt32.max), radix: 16) }.joined()
    /// The current job's journal, while it can be written (see docs/journal.md).
    var journal: JournalFile?
    /// Which run of the master this is for the current job: 1, or one more per restart.
    var masterRun = 1
    /// The attempts an earlier run of the master finished, for the report.
    var earlierAttempts: [JobReport.Attempt] = []
    /// The shuffle addresses of workers an earlier run of the master excluded from the job: one that comes back is excluded again.
    var excludedEarlier: Set<String> = []
    let options: MasterOptions
    let logger: Logger
    private(set) var started = ContinuousClock.now
    /// When the current job succeeded or failed.
    private(set) var endedAt: ContinuousClock.Instant?
    /// Set once the workers are being told to go: a worker that registers then is told to go too.
    private var stopping = false
    /// Why the master can run no more jobs (say, its worker processes keep dying); set by `abort`.
    private var fatal: String?
    private(set) var workers: [WorkerID: WorkerRecord] = [:]
    /// Callers of `registeredSlots` waiting for a first worker.
    private var slotWaiters: [CheckedContinuation<Void, Never>] = []
    private var nextWorkerNumber = 1
    /// The process ids of every worker that ever registered.
    private var registeredProcesses: Set<Int32> = []
    /// The counters of each finished task's first result, summed as they come: they count
    /// for the job even if a map's output is lost later and the map runs again.
    private(set) var taskCounters = Counters()
    /// The `Double` amounts of each counted task that has some, by task: summed in task order at
    /// the end, so that the total does not depend on the order results came in.
    private var taskAmounts: [AttemptID: [String: Double]] = [:]
    /// The tasks (by their attempt number 0) whose first result is in `taskCounters`.
    var countedTasks: Set<AttemptID> = []
    /// The input bytes of the maps in `taskCounters`, for the progress line.
    private(set) var bytesRead: Int64 = 0
    private var mapPhaseAnnounced = false
    private(set) var outcome: Outcome?
    /// The current job's failed attempts' errors, for its page.
    private(set) var attemptErrors: [AttemptID: String] = [:]
    /// What the current job's succeeded attempts read and wrote, for its page.
    var attemptBytes: [AttemptID: (in: Int64, out: Int64)] = [:]
    /// Workers that were lost, as they were last seen.
    private(set) var departed: [JobSnapshot.Worker] = []
    let metrics: MasterMetrics
    /// How much of the scheduler's history the metrics have counted.
    private var historyCounted = 0
    private var waiters: [CheckedContinuation<Outcome, Never>] = []

    /// The answer to every heartbeat, encoded once.
    private static let heartbeatAnswer = Message.heartbeat(Heartbeat()).encoded()

    /// Fetches a partition of a map output as a reducer would, discarding it: nil if it
    /// arrived intact, or what went wrong.
    public typealias OutputCheck = @Sendable (MapOutputLocation, _ partition: Int) async -> String?
    private let checkOutput: OutputCheck

    /// Makes a master with no job; `checkOutput` fetches a map output that a reducer says it cannot.
    public init(options: MasterOptions, logger: Logger, metrics: MasterMetrics = MasterMetrics(), checkOutput: @escaping OutputCheck) {
        self.options = options
        self.logger = logger
        self.metrics = metrics
        self.checkOutput = checkOutput
    }

    /// Starts `plan`'s job on the workers there are and those that come; with `recovery`, goes on
    /// from where an earlier master of the job stopped (see `JobRecovery`).
    public func begin(_ plan: JobPlan, recovery: JobRecovery? = nil) {
        precondition(self.plan == nil || self.outcome != nil, "a job is still running")
        // Attempts of the last job that its end killed, or that still ran when it failed, stop
        // at their next record; their slots are taken until their workers say so.
        let busy = self.scheduler?.workers.mapValues { $0.running.union($0.stopping) } ?? [:]
        self.plan = plan
        self.jobNumber += 1
        self.started = .now
        self.endedAt = nil
        self.scheduler = Scheduler(
            maps: plan.splits.count, reduces: plan.settings.partitions, job: self.jobNumber, options: self.options)
        self.broadcast = MapOutputBroadcast(job: self.jobNumber)
        self.taskCounters = Counters()
        self.taskAmounts = [:]
        self.countedTasks = []
        self.bytesRead = 0
        self.attemptErrors = [:]
        self.attemptBytes = [:]
        self.departed = []
        self.historyCounted = 0
        self.mapPhaseAnnounced = false
        self.outcome = nil
        self.earlierAttempts = []
        self.excludedEarlier = []
        if let fatal = self.fatal { return self.finish(.failed(fatal)) }
        if let recovery {
            self.resume(recovery)
            for command in self.scheduler!.resume(recovery) { self.perform(command) }
        } else {
            self.startJournal()
        }
        for worker in self.workers.values.sorted(by: { $0.id < $1.id }) {
            worker.send(self.startJob)
            self.apply(.workerRegistered(worker.id, slots: worker.registration.slots, stopping: busy[worker.id] ?? []))
        }
        self.apply(.tick)
    }

    /// The message that tells a worker about the current job.
    private var startJob: Message {
        var settings = self.plan!.settings
        settings.workDirectory = ""
        return .startJob(StartJob(job: self.plan!.job.name, number: self.jobNumber, settings: settings, master: self.name))
    }

    /// Waits until the current job has succeeded or failed.
    public func outcome() async -> Outcome {
        if let outcome = self.outcome { return outcome }
        return await withCheckedContinuation { self.waiters.append($0) }
    }

    /// Where the current job stands, for the progress line.
    public func progress() -> Progress {
        Progress(
            mapsDone: self.scheduler?.mapsDone ?? 0, maps: self.scheduler?.maps.count ?? 0,
            reducesDone: self.scheduler?.reducesDone ?? 0, reduces: self.scheduler?.reduces.count ?? 0,
            workers: self.workers.count,
            bytesRead: self.bytesRead,
            elapsed: ContinuousClock.now - self.started)
    }

    /// Ends the current job, and any later one, as failed, for a reason outside the task table.
    public func abort(_ reason: String) {
        self.fatal = reason
        self.releaseSlotWaiters()
        if self.plan != nil { self.finish(.failed(reason)) }
    }

    /// The slots of the workers registered now, once one has registered or
    /// the master has been aborted (then possibly 0).
    public func registeredSlots() async -> Int {
        if self.workers.isEmpty, self.fatal == nil {
            await withCheckedContinuation { self.slotWaiters.append($0) }
        }
        return self.workers.values.reduce(0) { $0 + $1.registration.slots }
    }

    private func releaseSlotWaiters() {
        for waiter in self.slotWaiters { waiter.resume() }
        self.slotWaiters = []
    }

    /// Whether the workers are being told to go.
    public var isStopping: Bool { self.stopping }

    /// Whether a worker with this process id ever registered.
    public func hasRegistered(processID: Int32) -> Bool {
        self.registeredProcesses.contains(processID)
    }

    // MARK: Workers

    /// Accepts a worker: tells it so (the first message on its connection) and
    /// about the current job, and gives it tasks. Returns its id.
    func register(_ registration: Register, channel: any Channel) -> WorkerID {
        let id = WorkerID(number: self.nextWorkerNumber)
        self.nextWorkerNumber += 1
        self.registeredProcesses.insert(registration.processID)
        if let file = self.options.registrationsFile { self.noteRegistration(of: registration.processID, in: file) }
        let worker = WorkerRecord(id: id, registration: registration, channel: channel, lastHeard: .now)
        self.workers[id] = worker
        self.metrics.workersAlive.record(self.workers.count)
        self.releaseSlotWaiters()
        self.logger.info(
            "worker registered",
            metadata: ["worker": "\(id)", "host": "\(registration.hostName)", "pid": "\(registration.processID)",
                "shuffle": "\(worker.shuffleEndpoint)"])
        let timeout = self.options.workerTimeout.seconds
        worker.send(.registered(Registered(workerID: id.description, heartbeatSeconds: min(1, timeout / 5), timeoutSeconds: timeout)))
        if self.stopping {
            worker.send(.shutdown(Shutdown(reason: "the job is over")))
        } else if self.plan != nil, self.outcome == nil {
            worker.send(self.startJob)
            self.apply(.workerRegistered(id, slots: registration.slots, excluded: self.excludedEarlier.contains("\(worker.shuffleEndpoint)")))
        }
        return id
    }

    /// Appends `processID` to the registrations file; one that cannot be written is only a warning
    /// (`run` then takes the worker, should it die, for one that never registered).
    private func noteRegistration(of processID: Int32, in file: String) {
        do {
            let descriptor = try FileDescriptor.open(appending: file, access: .ownerOnly)
            try Array("\(processID)\n".utf8).withUnsafeBytes { try descriptor.write($0) }
        } catch {
            self.logger.warning("cannot note a worker's registration", metadata: ["file": "\(file)", "error": "\(error)"])
        }
    }

    /// A worker's connection closed, or it stopped heartbeating: its connection
    /// is closed, and the scheduler learns it is gone.
    func lost(_ id: WorkerID, reason: String) {
        guard let worker = self.workers[id] else { return }
        let ended = Self.endedAttempts(in: self.scheduler?.history ?? [])
        var last = self.view(of: worker, ended: ended[id] ?? (0, 0))
        last.state = .lost
        last.reason = reason
        last.secondsSinceHeard = nil
        self.departed.append(last)
        self.workers[id] = nil
        self.metrics.workersAlive.record(self.workers.count)
        worker.close()
        self.broadcast?.unsubscribe(id)
        if self.outcome == nil { self.logger.warning("worker lost", metadata: ["worker": "\(id)", "reason": "\(reason)"]) }
        self.apply(.workerLost(id, reason: reason))
    }

    /// Declares dead every worker not heard from within the worker timeout,
    /// and lets the scheduler see that time has passed.
    func tick() {
        let now = ContinuousClock.now
        for (id, worker) in self.workers where now - worker.lastHeard > self.options.workerTimeout {
            self.lost(id, reason: "no heartbeat for \(self.options.workerTimeout)")
        }
        self.apply(.tick)
    }

    /// Sends the workers that run reduce attempts where the map outputs announced since the last time are.
    func flushMapOutputs() {
        guard let scheduler = self.scheduler,
            let message = self.broadcast?.flush(address: { self.workers[$0]?.shuffleEndpoint }, current: { scheduler.mapOutputs() })
        else { return }
        for id in self.broadcast!.subscribers { self.workers[id]?.send(frame: message) }
    }

    // MARK: Messages

    func received(_ message: Message, from id: WorkerID) {
        guard let heard = self.workers[id]?.lastHeard else { return }
        let now = ContinuousClock.now
        self.workers[id]!.lastHeard = now
        self.noteForeignAttempts(in: message, from: id)
        switch message {
        case .heartbeat(let heartbeat):
            self.metrics.heartbeatInterval.recordSeconds((now - heard).seconds)
            self.workers[id]!.send(frame: Self.heartbeatAnswer)
            for progress in heartbeat.progress {
                self.scheduler?.progress(of: progress.attempt, on: id, records: progress.records)
            }
        case .taskSucceeded(let success):
            // The first attempt of a task to finish wins; its result counts even if a map's output is lost later.
            let task = AttemptID(success.attempt.kind, task: success.attempt.task, attempt: 0)
            if self.outcome == nil, self.scheduler?.runningAttempt(success.attempt)?.worker == id {
                let finished = self.finishedTask(success.attempt, on: id, counters: success.counters)
                // A reduce's part file, or a map-only job's map's, is taken by its task commit.
                if self.plan!.settings.writesPartFile(task.kind) {
                    if let refused = self.commitTask(success.attempt, of: id) {
                        self.attemptErrors[success.attempt] = refused
                        self.apply(.attemptFailed(success.attempt, on: id, message: refused, record: nil))
                        break
                    }
                    finished.map { self.record(.taskCommitted($0), sync: true) }
                    self.logger.info("task committed", metadata: ["attempt": "\(success.attempt)", "worker": "\(id)"])
                } else {
                    finished.map { self.record(.mapSucceeded($0)) }
                }
                if self.countedTasks.insert(task).inserted { self.count(success) }
                self.attemptBytes[success.attempt] = JobReport.Attempt.bytes(success.counters, of: success.attempt)
                if task.kind == .map {
                    self.logger.info("map output ready", metadata: ["attempt": "\(success.attempt)", "worker": "\(id)"])
                }
            }
            self.apply(.attemptSucceeded(success.attempt, on: id))
        case .taskFailed(let failure):
            if self.scheduler?.runningAttempt(failure.attempt)?.worker == id {
                self.attemptErrors[failure.attempt] = failure.message
                self.logger.warning(
                    "attempt failed", metadata: ["attempt": "\(failure.attempt)", "worker": "\(id)", "error": "\(failure.message)"])
            }
            self.apply(.attemptFailed(failure.attempt, on: id, message: failure.message, record: failure.record))
        case .taskKilled(let killed):
            self.apply(.attemptStopped(killed.attempt, on: id))
        case .mapOutputsFetched(let fetched):
            self.apply(.outputsFetched(reduce: fetched.reduceAttempt, maps: fetched.maps, on: id))
        case .mapOutputsRecovered(let recovered):
            self.logger.info(
                "a worker offers map outputs it holds (left by a dead worker, or made before the master came back)", metadata: ["worker": "\(id)", "attempts": "\(recovered.attempts)"])
            self.apply(.outputsRecovered(recovered.attempts, on: id))
        case .fetchFailed(let failure) where !self.isStale(failure):
            let metadata: Logger.Metadata = [
                "map": "\(failure.mapAttempt)", "reduce": "\(failure.reduceAttempt)", "worker": "\(id)", "error": "\(failure.message)",
                "corrupt": "\(failure.corrupt)",
            ]
            guard let scheduler = self.scheduler, self.outcome == nil else { return }
            if let reason = scheduler.whyIgnored(fetchFailureOf: failure.mapAttempt, by: failure.reduceAttempt, on: id) {
                return self.logger.warning("fetch failure report ignored: \(reason)", metadata: metadata)
            }
            self.logger.warning("fetch failed", metadata: metadata)
            self.apply(.fetchFailed(map: failure.mapAttempt, reduce: failure.reduceAttempt, on: id, message: failure.message))
        case .fetchFailed:
            break
        default:
            self.logger.warning("unexpected message from a worker", metadata: ["worker": "\(id)", "message": "\(message.name)"])
        }
    }

    /// The job's counters: the scheduler's, and those of every task's first result, amounts summed
    /// in task order; and false if a sum saturated.
    func jobCounters(of scheduler: Scheduler) -> (counters: Counters, exact: Bool) {
        var counters = scheduler.counters
        let exact = counters.merge(self.taskCounters)
        for task in self.taskAmounts.keys.sorted() { counters.amounts.merge(self.taskAmounts[task]!, uniquingKeysWith: +) }
        return (counters, exact)
    }

    /// Adds the counters of a task's first result to the job's.
    func count(_ success: TaskSucceeded) {
        var counters = success.counters
        if !counters.amounts.isEmpty {
            self.taskAmounts[AttemptID(success.attempt.kind, task: success.attempt.task, attempt: 0)] = counters.amounts
            counters.amounts = [:]
        }
        if !self.taskCounters.merge(counters) {
            self.logger.warning("a counter reached the limit of a 64-bit count; it stays there", metadata: ["attempt": "\(success.attempt)"])
        }
        if success.attempt.kind == .map { self.bytesRead = Counters.sum(self.bytesRead, success.counters[.mapInputBytes]) }
        self.metrics.count(success.counters, of: success.attempt.kind)
    }

    /// The task commit of an attempt that says it succeeded (a reduce, or a map-only job's map); nil if it went
    /// well, otherwise why the attempt fails instead (its file is missing, say, or a link).
    private func commitTask(_ attempt: AttemptID, of id: WorkerID) -> String? {
        do {
            try self.plan!.committer.commitTask(attempt)
            return nil
        } catch {
            self.logger.warning("attempt output refused", metadata: ["attempt": "\(attempt)", "worker": "\(id)", "error": "\(error)"])
            return "\(error)"
        }
    }

    /// Logs a message that names attempts its sender does not run (nor is stopping) in the
    /// current job; the scheduler ignores what it says of them.
    private func noteForeignAttempts(in message: Message, from id: WorkerID) {
        guard let scheduler = self.scheduler, self.outcome == nil else { return }
        let named: [AttemptID] =
            switch message {
            case .heartbeat(let heartbeat): heartbeat.progress.map(\.attempt)
            case .taskSucceeded(let success): [success.attempt]
            case .taskFailed(let failure): [failure.attempt]
            case .taskKilled(let killed): [killed.attempt]
            case .mapOutputsFetched(let fetched): [fetched.reduceAttempt]
            default: []
            }
        guard let foreign = named.first(where: { !scheduler.holds($0, on: id) }) else { return }
        self.logger.warning(
            "ignored what a worker said of an attempt it does not run",
            metadata: ["worker": "\(id)", "message": "\(message.name)", "attempt": "\(foreign)"])
    }

    /// Whether `failure` is about where a map's output was before a worker recovered it elsewhere.
    private func isStale(_ failure: FetchFailed) -> Bool {
        guard let scheduler = self.scheduler, scheduler.isKnown(failure.mapAttempt),
            let done = scheduler.maps[failure.mapAttempt.task].done, let server = self.workers[done.worker]
        else { return false }
        return server.shuffleEndpoint != Endpoint(host: failure.host, port: failure.port)
    }

    // MARK: Scheduling

    /// Hands `event` to the current job's scheduler and carries out its commands. After the
    /// job, the scheduler only learns which slots are free again.
    private func apply(_ event: Scheduler.Event) {
        guard self.scheduler != nil else { return }
        let commands = self.scheduler!.handle(event, at: ContinuousClock.now - self.started)
        let history = self.scheduler!.history
        for finished in history[self.historyCounted...] { self.metrics.ended(finished) }
        self.historyCounted = history.count
        for command in commands { self.perform(command) }
    }

    func perform(_ command: Scheduler.Command) {
        switch command {
        case .runMap(let attempt, let id, let skip):
            self.record(.launched(attempt))
            self.workers[id]?.send(.runMap(RunMap(task: MapTask(id: attempt, split: self.plan!.splits[attempt.task], skipRecords: skip))))
        case .runReduce(let attempt, let id):
            guard let worker = self.workers[id] else { return }
            self.record(.launched(attempt))
            // The outputs it has not been told of yet go first; those announced since follow.
            for message in self.broadcast!.subscribe(id) { worker.send(frame: message) }
            worker.send(.runReduce(RunReduce(attempt: attempt, mapCount: self.plan!.splits.count)))
        case .announce(let output):
            self.broadcast?.announce(output)
            self.noteMapPhase()
        case .kill(let attempt, let id):
            self.workers[id]?.send(.killTask(KillTask(attempt: attempt)))
        case .checkOutput(let output, let partition):
            guard let address = self.workers[output.worker]?.shuffleEndpoint else { return }
            let location = MapOutputLocation(map: output.attempt.task, attempt: output.attempt, host: address.host, port: address.port)
            self.logger.info("a reducer cannot fetch a map output; fetching it to check", metadata: ["map": "\(output.attempt)"])
            let check = self.checkOutput
            Task {
                let problem = await check(location, partition)
                self.checked(output, problem: problem)
            }
        case .rerun(let map, .outputLost):
            self.logger.info("map output lost with its worker; running the map again", metadata: ["map": "\(map)"])
        case .rerun(let map, .outputUnusable):
            self.logger.warning("map output unusable; running the map again", metadata: ["map": "\(map)"])
        case .blame(let attempt, let id, let reason):
            self.attemptErrors[attempt] = reason
            self.logger.warning("attempt failed", metadata: ["attempt": "\(attempt)", "worker": "\(id)", "error": "\(reason)"])
        case .exclude(let id):
            if let worker = self.workers[id] { self.record(.workerExcluded("\(worker.shuffleEndpoint)")) }
            self.logger.warning("worker excluded from the job: it failed several of its tasks", metadata: ["worker": "\(id)"])
        case .failJob(let givenUp):
            self.finish(.failed(self.describe(givenUp)))
        case .commit:
            self.succeed()
        }
    }

    /// The master's own fetch of `output` is over.
    private func checked(_ output: Scheduler.MapOutputAt, problem: String?) {
        if let problem {
            self.logger.warning("the master could not fetch the map output either", metadata: ["map": "\(output.attempt)", "error": "\(problem)"])
        } else {
            self.logger.info("the map output arrived intact", metadata: ["map": "\(output.attempt)"])
        }
        self.apply(.outputChecked(output, problem: problem))
    }

    private func noteMapPhase() {
        guard !self.mapPhaseAnnounced, let scheduler = self.scheduler, scheduler.mapsDone == scheduler.maps.count else { return }
        self.mapPhaseAnnounced = true
        self.logger.info("all map tasks done", metadata: ["maps": "\(scheduler.maps.count)"])
    }

    /// One line saying which task was given up and why.
    private func describe(_ givenUp: TaskGivenUp) -> String {
        let attempt = givenUp.attempt
        let task =
            attempt.kind == .map
            ? "map task \(attempt.taskName) (\(self.plan!.splits[attempt.task]))" : "reduce task \(attempt.taskName)"
        switch givenUp.reason {
        case .failed(let times, let lastError):
            return "\(task) failed \(times) times; last error: \(lastError)"
        case .killedWorkers(let times, let records, let lastReason):
            let progress = records.map { ", the last after \($0) input records" } ?? ""
            return "\(task) took its worker down \(times) times\(progress); last: \(lastReason)"
        }
    }

    // MARK: The end of a job

    /// Ends the job as a success; the winning reduce attempts' files were taken by their task commits.
    private func succeed() {
        guard let scheduler = self.scheduler else { return }
        let (counters, exact) = self.jobCounters(of: scheduler)
        if !exact { self.logger.warning("a counter reached the limit of a 64-bit count; it stays there") }
        let report = JobReport(
            job: self.plan!.job.name, maps: scheduler.maps.count, reduces: scheduler.reduces.count,
            elapsedSeconds: (ContinuousClock.now - self.started).seconds, counters: counters,
            attempts: self.attemptViews(of: scheduler, at: ContinuousClock.now - self.started), inputs: self.plan!.inputs,
            output: self.plan!.settings.outputDirectory, workers: self.workerViews(of: scheduler), setup: self.plan!.setup)
        self.finish(.succeeded(report))
    }

    private func finish(_ outcome: Outcome) {
        guard self.outcome == nil else { return }
        self.outcome = outcome
        self.endedAt = .now
        self.scheduler?.abandon()
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
