import MapReduce

/// Where attempts go. Maps come first, backups of straggling maps with
/// them; reduces start once `slowStart` of the maps are done and take the
/// slots maps leave; a map (or a map's backup) that finds every slot held
/// by reduces still waiting for map outputs preempts one of them: they
/// cannot finish before it anyway. Backups of straggling reduces take free
/// slots only. A worker never runs more attempts than its slots.
extension Scheduler {
    mutating func place(at now: Duration, lookingForStragglers: Bool) {
        let (usable, lastResort) = self.usableWorkers(at: now)
        guard !usable.isEmpty else { return }
        // A reduce task that starts afresh needs every map output: lost ones are made again.
        if self.reduces.contains(where: \.isIdle) {
            for index in self.maps.indices where self.maps[index].outputLost { self.rerun(index, because: .outputLost) }
        }
        if self.options.speculation, lookingForStragglers { self.markStragglers(at: now) }
        // A map preempts only after waiting a while: the replacement of a dead worker may yet
        // recover its output. A backup has waited long enough already.
        let waiting = self.placeIdle(.map, on: usable, at: now, lastResort: lastResort).filter { waiting in
            now - self.maps[waiting.task].waitingSince! >= Self.preemptionDelay
        }
        self.preempt(for: waiting + self.placeBackups(.map, on: usable, at: now), at: now)
        if self.mapsDone >= self.slowStartMaps {
            self.placeIdle(.reduce, on: usable, at: now, lastResort: lastResort)
        }
        self.placeBackups(.reduce, on: usable, at: now)
    }

    /// Maps that must be done before the first reduce starts.
    var slowStartMaps: Int { Int((self.options.slowStart * Double(self.maps.count)).rounded(.up)) }

    /// The workers that may get tasks: those not excluded; if none, excluded ones past their probation.
    private func usableWorkers(at now: Duration) -> (workers: [WorkerID], lastResort: Bool) {
        let healthy = self.workers.filter { $0.value.excludedAt == nil }.keys.sorted()
        if !healthy.isEmpty { return (healthy, false) }
        let probationOver = self.workers.filter { now - $0.value.excludedAt! >= Self.exclusionProbation }.keys.sorted()
        return (probationOver, true)
    }

    /// Starts idle tasks of `kind` on free slots: first on workers they have not failed on;
    /// then, for tasks that failed on every usable worker, on any. Returns the tasks left
    /// waiting, with the workers they may run on.
    @discardableResult
    private mutating func placeIdle(
        _ kind: AttemptID.Kind, on usable: [WorkerID], at now: Duration, lastResort: Bool
    ) -> [(task: Int, candidates: [WorkerID])] {
        let tasks = kind == .map ? self.maps : self.reduces
        var retries: [(task: Int, candidates: [WorkerID])] = []
        var waiting: [(task: Int, candidates: [WorkerID])] = []
        for index in tasks.indices where tasks[index].isIdle {
            let fresh = usable.filter { !tasks[index].failedOn.contains($0) }
            guard !fresh.isEmpty else {
                retries.append((index, usable))
                continue
            }
            guard let worker = self.freest(of: fresh) else {
                waiting.append((index, fresh))
                continue
            }
            self.start(AttemptID(kind, task: index, attempt: 0), on: worker, at: now, lastResort: lastResort)
        }
        for (index, candidates) in retries {
            guard let worker = self.freest(of: candidates) else {
                waiting.append((index, candidates))
                continue
            }
            self.start(AttemptID(kind, task: index, attempt: 0), on: worker, at: now, lastResort: lastResort)
        }
        for (index, _) in waiting {
            let task = AttemptID(kind, task: index, attempt: 0)
            if self[task].waitingSince == nil { self[task].waitingSince = now }
        }
        return waiting
    }

    /// The worker with the most free slots, if any has one.
    private func freest(of candidates: [WorkerID]) -> WorkerID? {
        candidates.filter { self.workers[$0]!.freeSlots > 0 }.max { self.workers[$0]!.freeSlots < self.workers[$1]!.freeSlots }
    }

    /// Frees a slot for each map (or map backup) that found none: a slot already being freed by a
    /// killed attempt will do; otherwise the youngest reduce attempt that still waits for map
    /// outputs is preempted.
    private mutating func preempt(for waiting: [(task: Int, candidates: [WorkerID])], at now: Duration) {
        var promised: [WorkerID: Int] = [:]
        for (map, candidates) in waiting {
            if let worker = candidates.first(where: { promised[$0, default: 0] < self.workers[$0]!.stopping.count }) {
                promised[worker, default: 0] += 1
                continue
            }
            // Only a reduce that still lacks this very map's output cannot finish before it.
            let victims = candidates.flatMap { worker in
                self.workers[worker]!.running.filter { $0.kind == .reduce && self.fetched[$0]?.contains(map) != true }
            }
            guard let victim = victims.max(by: { self.reduces[$0.task].running[$0]!.started < self.reduces[$1.task].running[$1]!.started })
            else { continue }
            let worker = self.reduces[victim.task].running[victim]!.worker
            self.kill(victim, at: now)
            promised[worker, default: 0] += 1
        }
    }

    /// Marks for a backup each task whose only attempt has run `straggleFactor` times its
    /// phase's median and at least `speculationMinAge`, once the phase has nothing left to start.
    private mutating func markStragglers(at now: Duration) {
        for kind in [AttemptID.Kind.map, .reduce] {
            let tasks = kind == .map ? self.maps : self.reduces
            guard !tasks.contains(where: \.isIdle) else { continue }
            let durations = tasks.compactMap { $0.done?.duration }.sorted()
            guard !durations.isEmpty else { continue }
            let threshold = max(durations[durations.count / 2] * MasterOptions.straggleFactor, self.options.speculationMinAge)
            for index in tasks.indices where tasks[index].done == nil && !tasks[index].backedUp && tasks[index].running.count == 1 {
                if now - tasks[index].running.first!.value.started >= threshold {
                    self[AttemptID(kind, task: index, attempt: 0)].wantsBackup = true
                }
            }
        }
    }

    /// Starts the backups tasks of `kind` want on free slots of workers other than their
    /// attempt's; returns those that found none, with the workers they may run on.
    @discardableResult
    private mutating func placeBackups(
        _ kind: AttemptID.Kind, on usable: [WorkerID], at now: Duration
    ) -> [(task: Int, candidates: [WorkerID])] {
        var waiting: [(task: Int, candidates: [WorkerID])] = []
        for index in (kind == .map ? self.maps : self.reduces).indices {
            let task = AttemptID(kind, task: index, attempt: 0)
            guard self[task].wantsBackup else { continue }
            guard self[task].done == nil, self[task].running.count == 1, let original = self[task].running.first?.value else {
                self[task].wantsBackup = false
                continue
            }
            let candidates = usable.filter { $0 != original.worker }
            guard let worker = self.freest(of: candidates) else {
                waiting.append((index, candidates))
                continue
            }
            self[task].wantsBackup = false
            self[task].backedUp = true
            self.counters.add(.launchedBackupAttempts, 1)
            self.start(task, on: worker, at: now, isBackup: true)
        }
        return waiting
    }

    /// Starts the next attempt of `task`'s task (its attempt number is ignored) on `worker`.
    private mutating func start(_ task: AttemptID, on worker: WorkerID, at now: Duration, isBackup: Bool = false, lastResort: Bool = false) {
        self[task].attemptsStarted += 1
        self[task].waitingSince = nil
        let attempt = AttemptID(task.kind, task: task.task, attempt: self[task].attemptsStarted, job: self.job)
        self[attempt].running[attempt] = RunningAttempt(worker: worker, started: now, isBackup: isBackup, isLastResort: lastResort)
        self.workers[worker]!.running.insert(attempt)
        switch attempt.kind {
        case .map:
            let skip =
                self.options.skipBadRecords
                ? Set(self[attempt].recordFailures.filter { $0.value >= MasterOptions.failuresBeforeSkipping }.keys) : []
            self.emit(.runMap(attempt, on: worker, skipRecords: skip))
        case .reduce:
            // A backup starts afresh too: lost map outputs are made again.
            for index in self.maps.indices where self.maps[index].outputLost { self.rerun(index, because: .outputLost) }
            self.fetched[attempt] = []
            let outputs = self.maps.compactMap { $0.done.map { MapOutputAt(attempt: $0.attempt, worker: $0.worker) } }
            self.announced[attempt] = Set(outputs.map(\.attempt))
            self.emit(.runReduce(attempt, on: worker, mapOutputs: outputs))
        }
    }
}
