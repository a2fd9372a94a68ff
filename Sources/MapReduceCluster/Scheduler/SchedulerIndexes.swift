import MapReduce

/// What the scheduler keeps beside its task table so that an event costs
/// O(log n) amortised in tasks and workers rather than a scan of both:
/// idle tasks in order, the workers by free slots, lost map outputs and
/// the tasks that want backups. Each is kept up to date where the state
/// it mirrors changes.
struct SchedulerIndexes: Sendable {
    /// Tasks neither done nor running, by kind.
    var idle: PerKind<TaskSet>
    /// Idle maps that became idle since the last placement: their wait for a slot
    /// (`TaskState.waitingSince`) starts at the next one that does not place them.
    var newlyIdleMaps: [Int]
    /// Finished maps whose worker is gone but whose output every reduce attempt that
    /// needed it has; a reduce attempt that starts afresh makes them run again.
    var lostOutputs: TaskSet
    /// Tasks whose straggling attempt waits for a slot for its backup, by kind.
    var backupsWanted: PerKind<TaskSet>
    /// Workers that may get tasks, by free slots.
    var freeSlots = FreeSlotIndex()
    /// Workers not excluded.
    var healthyWorkers = 0
    var runningReduceAttempts = 0

    init(maps: Int, reduces: Int) {
        self.idle = PerKind(map: TaskSet(all: maps), reduce: TaskSet(all: reduces))
        self.newlyIdleMaps = Array(0..<maps)
        self.lostOutputs = TaskSet(capacity: maps)
        self.backupsWanted = PerKind(map: TaskSet(capacity: maps), reduce: TaskSet(capacity: reduces))
    }
}

/// One value for map tasks and one for reduce tasks.
struct PerKind<Value: Sendable>: Sendable {
    var map: Value
    var reduce: Value

    subscript(kind: AttemptID.Kind) -> Value {
        get { kind == .map ? self.map : self.reduce }
        // In place: a copy of a large value would be made for every change.
        _modify {
            if kind == .map { yield &self.map } else { yield &self.reduce }
        }
    }
}

extension Scheduler {
    /// Changes worker `id`'s state, if it is still there, and notes its free slots.
    @discardableResult
    mutating func updateWorker<T>(_ id: WorkerID, _ change: (inout WorkerState) -> T) -> T? {
        guard self.workers[id] != nil else { return nil }
        let result = change(&self.workers[id]!)
        self.noteFreeSlots(of: id)
        return result
    }

    /// Killed attempt `attempt` has stopped on worker `id`, freeing its slot; false if it was not stopping there.
    @discardableResult
    mutating func stopped(_ attempt: AttemptID, on id: WorkerID) -> Bool {
        (self.updateWorker(id) { $0.stopping.remove(attempt) } ?? nil) != nil
    }

    mutating func add(_ id: WorkerID, _ worker: WorkerState) {
        self.workers[id] = worker
        self.indexes.healthyWorkers += 1
        self.noteFreeSlots(of: id)
    }

    /// Takes worker `id` out of the job, and returns what it was.
    @discardableResult
    mutating func removeWorker(_ id: WorkerID) -> WorkerState? {
        guard let worker = self.workers.removeValue(forKey: id) else { return nil }
        if worker.excludedAt == nil { self.indexes.healthyWorkers -= 1 }
        return worker
    }

    /// Excludes worker `id` from the job's tasks.
    mutating func exclude(_ id: WorkerID, at now: Duration) {
        guard self.workers[id]?.excludedAt == nil else { return }
        self.workers[id]?.excludedAt = now
        self.indexes.healthyWorkers -= 1
    }

    /// The free slots of worker `id`, if it may get tasks outside the last resort (it is there and not excluded).
    func healthyFreeSlots(of id: WorkerID) -> Int? {
        guard let worker = self.workers[id], worker.excludedAt == nil else { return nil }
        return worker.freeSlots
    }

    private mutating func noteFreeSlots(of id: WorkerID) {
        if let free = self.healthyFreeSlots(of: id) { self.indexes.freeSlots.note(id, free: free) }
    }

    /// Makes the idle index agree with whether `task`'s task is idle now.
    mutating func refreshIdleness(of task: AttemptID) {
        if self[task].isIdle {
            if self.indexes.idle[task.kind].insert(task.task), task.kind == .map { self.indexes.newlyIdleMaps.append(task.task) }
        } else {
            self.indexes.idle[task.kind].remove(task.task)
        }
    }

    /// Drops the free slot index's stale entries once they outnumber the workers.
    mutating func compactFreeSlotIndex() {
        guard self.indexes.freeSlots.count > 4 * self.workers.count + 64 else { return }
        self.indexes.freeSlots.rebuild(self.workers.keys.compactMap { id in self.healthyFreeSlots(of: id).map { (id, $0) } })
    }
}
