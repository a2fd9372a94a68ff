import MapReduce

/// The master's decisions for one job, as a value: which attempt runs
/// where, what is charged to whom when attempts fail or workers die, which
/// map outputs must be made again, and when a straggler gets a backup.
/// Events come in with the time they happened (from the job's start);
/// commands come out for the master to carry out. There is no I/O and no
/// clock inside, so every rule can be tested with a simulated clock.
struct Scheduler: Sendable {
    let options: MasterOptions
    /// The job's number; attempt ids carry it.
    let job: Int
    var maps: [TaskState]
    var reduces: [TaskState]
    var workers: [WorkerID: WorkerState] = [:]
    /// For each running reduce attempt: the maps whose outputs it holds.
    var fetched: [AttemptID: TaskSet] = [:]
    /// The indexes that keep each event's work small (see `SchedulerIndexes`).
    var indexes: SchedulerIndexes
    /// The scheduler's counters: failed, killed and backup attempts.
    var counters = Counters()
    /// Every attempt that ended, in the order they ended.
    var history: [FinishedAttempt] = []
    /// Set once the job has been committed or given up; no command follows.
    var isOver = false
    var mapsDone = 0
    var reducesDone = 0
    /// Commands decided while handling the current event.
    var commands: [Command] = []
    /// Until when maps an earlier master saw finish wait for their outputs to be offered (see `resume`).
    var recoveryDeadline: Duration?

    /// A worker excluded for failing tasks gets tasks again only when every worker left is
    /// excluded, and not before this long after its exclusion.
    static let exclusionProbation: Duration = .seconds(5)
    /// How long a map waits for a free slot before it preempts a reduce (Hadoop waits too).
    static let preemptionDelay: Duration = .seconds(3)

    init(maps: Int, reduces: Int, job: Int, options: MasterOptions) {
        self.options = options
        self.job = job
        self.maps = Array(repeating: TaskState(), count: maps)
        self.reduces = Array(repeating: TaskState(), count: reduces)
        self.indexes = SchedulerIndexes(maps: maps, reduces: reduces)
    }

    /// Acts on `event`, which happened at `now`, and returns what the master must do.
    mutating func handle(_ event: Event, at now: Duration) -> [Command] {
        guard !self.isOver else {
            self.release(event)
            return []
        }
        if let deadline = self.recoveryDeadline, now >= deadline { self.stopAwaitingRecovery() }
        switch event {
        case .workerRegistered(let id, let slots, let stopping, let excluded):
            if self.workers[id] == nil {
                self.add(id, WorkerState(slots: slots, stopping: stopping))
                if excluded { self.exclude(id, at: now) }
            }
        case .workerLost(let id, let reason):
            self.lose(id, reason: reason, at: now)
        case .attemptSucceeded(let attempt, let id):
            self.succeeded(attempt, on: id, at: now)
        case .attemptFailed(let attempt, let id, let message, let record):
            self.failed(attempt, on: id, message: message, record: record, at: now)
        case .attemptStopped(let attempt, let id):
            self.stopped(attempt, on: id)
        case .outputsFetched(let reduce, let maps, let id):
            self.outputsFetched(maps, by: reduce, on: id, at: now)
        case .outputsRecovered(let attempts, let id):
            self.recovered(attempts, on: id, at: now)
        case .fetchFailed(let map, let reduce, let id, let message):
            self.fetchFailed(map, by: reduce, on: id, message: message, at: now)
        case .outputChecked(let output, let problem):
            self.outputChecked(output, problem: problem, at: now)
        case .tick:
            break
        }
        // A map-only job is done when its maps are.
        if !self.isOver, self.reduces.isEmpty, self.mapsDone == self.maps.count { self.complete(at: now) }
        // Whether an attempt straggles changes with time alone: ticks look, twice a second.
        if !self.isOver { self.place(at: now, lookingForStragglers: event == .tick) }
        self.compactFreeSlotIndex()
        defer { self.commands = [] }
        return self.commands
    }

    /// Ends the job from outside (the master aborted it): from now on, events only free slots.
    mutating func abandon() {
        self.isOver = true
    }

    /// Once the job is over, attempts that still ran only give their slots back, for the
    /// next job of a chain to know which are free.
    private mutating func release(_ event: Event) {
        switch event {
        case .attemptSucceeded(let attempt, let id), .attemptFailed(let attempt, let id, _, _), .attemptStopped(let attempt, let id):
            self.updateWorker(id) { $0.running.remove(attempt) }
            self.stopped(attempt, on: id)
        case .workerLost(let id, _):
            self.removeWorker(id)
        default:
            break
        }
    }

    /// Notes how far an attempt has got; heartbeats bring this, and it schedules nothing.
    mutating func progress(of attempt: AttemptID, on id: WorkerID, records: Int64) {
        guard self.runningAttempt(attempt)?.worker == id else { return }
        self[attempt].running[attempt]?.records = records
    }

    // MARK: Queries

    /// The running attempt `attempt`, if it is one of this job's and still running.
    func runningAttempt(_ attempt: AttemptID) -> RunningAttempt? {
        guard self.isKnown(attempt) else { return nil }
        return self[attempt].running[attempt]
    }

    /// Whether `attempt` names a task of this job.
    func isKnown(_ attempt: AttemptID) -> Bool {
        attempt.job == self.job && attempt.task >= 0
            && attempt.task < (attempt.kind == .map ? self.maps.count : self.reduces.count)
    }

    /// Whether `attempt` runs on worker `id`, or was killed there and has not stopped yet.
    func holds(_ attempt: AttemptID, on id: WorkerID) -> Bool {
        self.runningAttempt(attempt)?.worker == id || self.workers[id]?.stopping.contains(attempt) == true
    }

    /// Whether worker `id` is excluded from the job.
    func isExcluded(_ id: WorkerID) -> Bool { self.workers[id]?.excludedAt != nil }

    subscript(attempt: AttemptID) -> TaskState {
        get { attempt.kind == .map ? self.maps[attempt.task] : self.reduces[attempt.task] }
        set {
            if attempt.kind == .map { self.maps[attempt.task] = newValue } else { self.reduces[attempt.task] = newValue }
        }
    }

    // MARK: Events

    private mutating func succeeded(_ attempt: AttemptID, on id: WorkerID, at now: Duration) {
        if self.stopped(attempt, on: id) { return }
        guard let running = self.runningAttempt(attempt), running.worker == id else { return }
        self.end(attempt, at: now, outcome: .succeeded)
        self[attempt].done = Done(attempt: attempt, worker: id, duration: now - running.started)
        self.refreshIdleness(of: attempt)
        self[attempt].output = OutputReports()
        // A task that finished has shown it does not take its worker down: should its output be
        // lost and the map run again, only deaths from then on count.
        self[attempt].deaths = 0
        // The first attempt to finish wins; the others are killed.
        for (loser, attempt) in self[attempt].running {
            if attempt.isBackup { self.counters.add(.wastedBackupAttempts, 1) }
            self.kill(loser, at: now)
        }
        switch attempt.kind {
        case .map:
            self.mapsDone += 1
            self.maps[attempt.task].finished[attempt] = now - running.started
            self.announce(MapOutputAt(attempt: attempt, worker: id))
        case .reduce:
            self.reducesDone += 1
            if self.reducesDone == self.reduces.count { self.complete(at: now) }
        }
    }

    /// Takes recovered map outputs where they save work: for a finished map whose worker is
    /// gone, or one that runs again because of that, which then need not.
    private mutating func recovered(_ attempts: [AttemptID], on id: WorkerID, at now: Duration) {
        guard self.workers[id] != nil else { return }
        // A lost map takes the latest of the attempts recovered: a reducer that knew a later
        // attempt's location would not take an earlier one's, and would wait for it forever.
        for attempt in attempts.sorted(by: { $0.attempt > $1.attempt }) where attempt.kind == .map && self.isKnown(attempt) {
            guard let duration = self.maps[attempt.task].finished[attempt] else { continue }
            if let done = self.maps[attempt.task].done {
                guard done.attempt == attempt, self.workers[done.worker] == nil else { continue }
                self.maps[attempt.task].done!.worker = id
                self.indexes.lostOutputs.remove(attempt.task)
                self.maps[attempt.task].output = OutputReports()
                self.announce(MapOutputAt(attempt: attempt, worker: id))
            } else {
                self.maps[attempt.task].done = Done(attempt: attempt, worker: id, duration: duration)
                self.maps[attempt.task].awaitsRecovery = false
                self.refreshIdleness(of: attempt)
                self.mapsDone += 1
                for rerun in self.maps[attempt.task].running.keys.sorted() {
                    self.kill(rerun, at: now)
                }
                self.announce(MapOutputAt(attempt: attempt, worker: id))
            }
        }
    }

    /// Tells every running reduce attempt, and every one to come, where a map output is.
    private mutating func announce(_ output: MapOutputAt) {
        self.emit(.announce(output))
    }

    /// Every reduce task is done: what still runs (backups, maps no longer needed) is killed, and the winners committed.
    mutating func complete(at now: Duration) {
        for task in self.maps + self.reduces {
            for attempt in task.running.keys.sorted() { self.kill(attempt, at: now) }
        }
        self.emit(.commit(self.reduces.compactMap { $0.done?.attempt }))
        self.isOver = true
    }

    // MARK: Bookkeeping

    /// Ends running attempt `attempt`: its task and its worker forget it, and the report remembers it.
    mutating func end(_ attempt: AttemptID, at now: Duration, outcome: FinishedAttempt.Outcome) {
        guard let running = self[attempt].running.removeValue(forKey: attempt) else { return }
        // A backup is for a straggling attempt; with none left running, a new one starts afresh.
        if self[attempt].running.isEmpty { self.indexes.backupsWanted[attempt.kind].remove(attempt.task) }
        self.updateWorker(running.worker) { $0.running.remove(attempt) }
        if attempt.kind == .reduce { self.indexes.runningReduceAttempts -= 1 }
        self.fetched[attempt] = nil
        self.refreshIdleness(of: attempt)
        self.history.append(
            FinishedAttempt(
                attempt: attempt, worker: running.worker, started: running.started, ended: now, outcome: outcome,
                isBackup: running.isBackup))
    }

    /// Kills running attempt `attempt`: it holds its slot until its worker says it has stopped.
    mutating func kill(_ attempt: AttemptID, at now: Duration) {
        guard let worker = self[attempt].running[attempt]?.worker else { return }
        self.end(attempt, at: now, outcome: .killed)
        self.updateWorker(worker) { $0.stopping.insert(attempt) }
        self.counters.add(.killedAttempts, 1)
        self.emit(.kill(attempt, on: worker))
    }

    /// Makes finished map `index` idle again, to run once more.
    mutating func rerun(_ index: Int, because cause: RerunCause) {
        guard self.maps[index].done != nil else { return }
        self.emit(.rerun(map: index, because: cause))
        self.maps[index].done = nil
        self.indexes.lostOutputs.remove(index)
        self.maps[index].output = OutputReports()
        self.maps[index].waitingSince = nil
        self.mapsDone -= 1
        self.refreshIdleness(of: AttemptID(.map, task: index, attempt: 0))
    }

    /// Where every finished map's output is now, by map.
    func mapOutputs() -> [MapOutputAt] {
        self.maps.compactMap { $0.done.map { MapOutputAt(attempt: $0.attempt, worker: $0.worker) } }
    }

    mutating func emit(_ command: Command) {
        self.commands.append(command)
    }
}
