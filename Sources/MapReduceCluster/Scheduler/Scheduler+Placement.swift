import MapReduce

/// Where attempts go. Maps come first, backups of straggling maps with
/// them; reduces start once `slowStart` of the maps are done and take the
/// slots maps leave; a map (or a map's backup) that finds every slot held
/// by reduces still waiting for map outputs preempts one of them: they
/// cannot finish before it anyway. Backups of straggling reduces take free
/// slots only. A worker never runs more attempts than its slots.
///
/// Each placement takes idle tasks lowest first while a usable worker has
/// a free slot, and each start takes the freest worker from an index, so an
/// event costs O(log n) amortised in tasks and workers. Slower paths are
/// taken only when they have work to do: a task that failed on workers skips
/// them (O(workers it failed on)); preemption looks at the waiting maps only
/// while reduce attempts run; with every worker excluded, the workers past
/// their probation are listed (O(workers)); and ticks look for stragglers
/// (O(tasks), twice a second).
extension Scheduler {
    /// The workers that may get tasks: those not excluded; if none, excluded ones past their probation.
    enum Usable {
        case healthy
        case pastProbation([WorkerID])
    }

    mutating func place(at now: Duration, lookingForStragglers: Bool) {
        let usable: Usable
        if self.indexes.healthyWorkers > 0 {
            usable = .healthy
        } else {
            let probationOver = self.workers.filter { now - $0.value.excludedAt! >= Self.exclusionProbation }.keys.sorted()
            guard !probationOver.isEmpty else { return }
            usable = .pastProbation(probationOver)
        }
        // A reduce task that starts afresh needs every map output: lost ones are made again.
        if !self.indexes.idle.reduce.isEmpty { self.rerunLostOutputs() }
        if self.options.speculation, lookingForStragglers { self.markStragglers(at: now) }
        self.placeIdle(.map, on: usable, at: now)
        self.markWaitingMaps(at: now)
        let backupsWaiting = self.placeBackups(.map, on: usable, at: now)
        // Only running reduce attempts can be preempted (a promised slot alone commands nothing).
        // A map preempts only after waiting a while: the replacement of a dead worker may yet
        // recover its output. A backup has waited long enough already.
        if self.indexes.runningReduceAttempts > 0 {
            let waiting = self.mapsWaitingLong(on: usable, at: now) + backupsWaiting
            if !waiting.isEmpty { self.preempt(for: waiting, at: now) }
        }
        if self.mapsDone >= self.slowStartMaps {
            self.placeIdle(.reduce, on: usable, at: now)
        }
        self.placeBackups(.reduce, on: usable, at: now)
    }

    /// Maps that must be done before the first reduce starts.
    var slowStartMaps: Int { Int((self.options.slowStart * Double(self.maps.count)).rounded(.up)) }

    /// Runs again every finished map whose output is lost with its worker.
    mutating func rerunLostOutputs() {
        guard !self.indexes.lostOutputs.isEmpty else { return }
        for index in self.indexes.lostOutputs { self.rerun(index, because: .outputLost) }
    }

    /// Starts idle tasks of `kind`, lowest first, on free slots while there are any: first on
    /// workers they have not failed on; then, for tasks that failed on every usable worker, on any.
    private mutating func placeIdle(_ kind: AttemptID.Kind, on usable: Usable, at now: Duration) {
        var retries: [Int] = []
        var waiting: [Int] = []
        while self.freest(of: usable) != nil, let index = self.indexes.idle[kind].first {
            self.indexes.idle[kind].remove(index)
            let failedOn = self[AttemptID(kind, task: index, attempt: 0)].failedOn
            if !self.hasFresh(usable, besides: failedOn) {
                retries.append(index)
            } else if let worker = self.freest(of: usable, excluding: failedOn) {
                self.start(AttemptID(kind, task: index, attempt: 0), on: worker, at: now, usable: usable)
            } else {
                waiting.append(index)
            }
        }
        for index in retries {
            guard let worker = self.freest(of: usable) else {
                waiting.append(index)
                continue
            }
            self.start(AttemptID(kind, task: index, attempt: 0), on: worker, at: now, usable: usable)
        }
        for index in waiting { self.indexes.idle[kind].insert(index) }
    }

    /// Idle maps that have just been through a placement without a slot start waiting now.
    private mutating func markWaitingMaps(at now: Duration) {
        for index in self.indexes.newlyIdleMaps where self.maps[index].isIdle && self.maps[index].waitingSince == nil {
            self.maps[index].waitingSince = now
        }
        self.indexes.newlyIdleMaps = []
    }

    /// Whether a usable worker is not among `failedOn`.
    private func hasFresh(_ usable: Usable, besides failedOn: Set<WorkerID>) -> Bool {
        switch usable {
        case .healthy: failedOn.count(where: { self.healthyFreeSlots(of: $0) != nil }) < self.indexes.healthyWorkers
        case .pastProbation(let workers): workers.contains { !failedOn.contains($0) }
        }
    }

    /// The usable worker with the most free slots (the lowest id among equals), if any has one.
    private mutating func freest(of usable: Usable, excluding excluded: Set<WorkerID> = []) -> WorkerID? {
        switch usable {
        case .healthy:
            let workers = self.workers
            return self.indexes.freeSlots.freest(excluding: excluded) { id in
                guard let worker = workers[id], worker.excludedAt == nil else { return nil }
                return worker.freeSlots
            }
        case .pastProbation(let workers):
            return self.freest(of: workers.filter { !excluded.contains($0) })
        }
    }

    /// The worker of `candidates` (sorted) with the most free slots, if any has one.
    private func freest(of candidates: [WorkerID]) -> WorkerID? {
        candidates.filter { self.workers[$0]!.freeSlots > 0 }.max { self.workers[$0]!.freeSlots < self.workers[$1]!.freeSlots }
    }

    /// The usable workers, sorted.
    private func list(_ usable: Usable) -> [WorkerID] {
        switch usable {
        case .healthy: self.workers.filter { $0.value.excludedAt == nil }.keys.sorted()
        case .pastProbation(let workers): workers
        }
    }

    /// Idle maps that have waited `preemptionDelay` for a slot, with the workers they may run
    /// on: first those with workers they have not failed on, then the others; each lowest first.
    private func mapsWaitingLong(on usable: Usable, at now: Duration) -> [(task: Int, candidates: [WorkerID])] {
        guard !self.indexes.idle.map.isEmpty else { return [] }
        let long = self.indexes.idle.map.filter { index in
            self.maps[index].waitingSince.map { now - $0 >= Self.preemptionDelay } ?? false
        }
        guard !long.isEmpty else { return [] }
        let workers = self.list(usable)
        var fresh: [(task: Int, candidates: [WorkerID])] = []
        var retries: [(task: Int, candidates: [WorkerID])] = []
        for index in long {
            let candidates = workers.filter { !self.maps[index].failedOn.contains($0) }
            if candidates.isEmpty { retries.append((index, workers)) } else { fresh.append((index, candidates)) }
        }
        return fresh + retries
    }

    /// Frees a slot for each map (or map backup) that found none: a slot already being freed by a
    /// killed attempt will do; otherwise the youngest reduce attempt that still waits for map
    /// outputs is preempted.
    ///
    /// It looks at the running reduce attempts and the workers with killed attempts, not at every
    /// worker, and stops once neither is left to give a slot.
    private mutating func preempt(for waiting: [(task: Int, candidates: [WorkerID])], at now: Duration) {
        // Slots being freed, by worker, and the running reduce attempts, youngest first.
        var freeing = self.workers.filter { !$0.value.stopping.isEmpty }.mapValues(\.stopping.count)
        var reduces: [(AttemptID, RunningAttempt)] = self.fetched.keys.compactMap { attempt in
            self.reduces[attempt.task].running[attempt].map { (attempt, $0) }
        }
        reduces.sort(by: Self.younger)
        for (map, candidates) in waiting {
            guard !freeing.isEmpty || !reduces.isEmpty else { return }
            if let worker = candidates.first(where: { freeing[$0] != nil }) {
                freeing[worker]! -= 1
                if freeing[worker] == 0 { freeing[worker] = nil }
                continue
            }
            // Only a reduce that still lacks this very map's output cannot finish before it.
            let candidates = Set(candidates)
            guard let victim = reduces.firstIndex(where: { candidates.contains($0.1.worker) && self.fetched[$0.0]?.contains(map) != true })
            else { continue }
            self.kill(reduces.remove(at: victim).0, at: now)
        }
    }

    /// Whether running attempt `a` is younger than `b` (on a lower worker, or of a lower id, among equals).
    private static func younger(_ a: (AttemptID, RunningAttempt), _ b: (AttemptID, RunningAttempt)) -> Bool {
        if a.1.started != b.1.started { return a.1.started > b.1.started }
        if a.1.worker != b.1.worker { return a.1.worker < b.1.worker }
        return a.0 < b.0
    }

    /// Marks for a backup each task whose only attempt has run `straggleFactor` times its
    /// phase's median and at least `speculationMinAge`, once the phase has nothing left to start.
    private mutating func markStragglers(at now: Duration) {
        for kind in [AttemptID.Kind.map, .reduce] where self.indexes.idle[kind].isEmpty {
            let tasks = kind == .map ? self.maps : self.reduces
            let durations = tasks.compactMap { $0.done?.duration }.sorted()
            guard !durations.isEmpty else { continue }
            let threshold = max(durations[durations.count / 2] * MasterOptions.straggleFactor, self.options.speculationMinAge)
            for index in tasks.indices where tasks[index].done == nil && !tasks[index].backedUp && tasks[index].running.count == 1 {
                if now - tasks[index].running.first!.value.started >= threshold {
                    self.indexes.backupsWanted[kind].insert(index)
                }
            }
        }
    }

    /// Starts the backups tasks of `kind` want on free slots of workers other than their
    /// attempt's; returns those that found none, with the workers they may run on.
    @discardableResult
    private mutating func placeBackups(
        _ kind: AttemptID.Kind, on usable: Usable, at now: Duration
    ) -> [(task: Int, candidates: [WorkerID])] {
        guard !self.indexes.backupsWanted[kind].isEmpty else { return [] }
        var waiting: [(task: Int, candidates: [WorkerID])] = []
        for index in self.indexes.backupsWanted[kind] {
            let task = AttemptID(kind, task: index, attempt: 0)
            guard self[task].done == nil, self[task].running.count == 1, let original = self[task].running.first?.value else {
                self.indexes.backupsWanted[kind].remove(index)
                continue
            }
            guard let worker = self.freest(of: usable, excluding: [original.worker]) else {
                waiting.append((index, self.list(usable).filter { $0 != original.worker }))
                continue
            }
            self.indexes.backupsWanted[kind].remove(index)
            self[task].backedUp = true
            self.counters.add(.launchedBackupAttempts, 1)
            self.start(task, on: worker, at: now, usable: usable, isBackup: true)
        }
        return waiting
    }

    /// Starts the next attempt of `task`'s task (its attempt number is ignored) on `worker`.
    private mutating func start(_ task: AttemptID, on worker: WorkerID, at now: Duration, usable: Usable, isBackup: Bool = false) {
        self[task].attemptsStarted += 1
        self[task].waitingSince = nil
        let attempt = AttemptID(task.kind, task: task.task, attempt: self[task].attemptsStarted, job: self.job)
        let lastResort: Bool = if case .pastProbation = usable { !isBackup } else { false }
        self[attempt].running[attempt] = RunningAttempt(worker: worker, started: now, isBackup: isBackup, isLastResort: lastResort)
        self.refreshIdleness(of: attempt)
        self.updateWorker(worker) { $0.running.insert(attempt) }
        switch attempt.kind {
        case .map:
            let skip =
                self.options.skipBadRecords
                ? Set(self[attempt].recordFailures.filter { $0.value >= MasterOptions.failuresBeforeSkipping }.keys) : []
            self.emit(.runMap(attempt, on: worker, skipRecords: skip))
        case .reduce:
            // A backup starts afresh too: lost map outputs are made again.
            self.rerunLostOutputs()
            self.indexes.runningReduceAttempts += 1
            self.fetched[attempt] = TaskSet(capacity: self.maps.count)
            self.emit(.runReduce(attempt, on: worker))
        }
    }
}
