import MapReduce

extension Scheduler {
    /// The worker named as the runner of tasks an earlier master finished.
    static let earlierMaster = WorkerID(number: 0)

    /// Starts from what an earlier master of the job did (`recovery`, from its journal): task-committed
    /// tasks are done for good; each map that finished may be taken back from a worker that comes back
    /// with its output (`outputsRecovered`) until a worker timeout has passed, and runs again if none
    /// has; and attempts are numbered above every one handed out.
    /// Returns what the master must do: commit, if every task was committed already.
    mutating func resume(_ recovery: JobRecovery) -> [Command] {
        for (task, number) in recovery.launched where self.isKnown(task) {
            self[task].attemptsStarted = max(self[task].attemptsStarted, number)
        }
        for finished in recovery.maps.values where self.isKnown(finished.task.attempt) {
            let map = finished.task.attempt.task
            self.maps[map].finished[finished.task.attempt] = .seconds(finished.task.seconds)
            self.maps[map].awaitsRecovery = true
            self.refreshIdleness(of: finished.task.attempt)
        }
        // Workers that come back reconnect within moments; one that has not within a worker timeout is taken for dead.
        self.recoveryDeadline = self.options.workerTimeout
        for finished in recovery.committed.values where self.isKnown(finished.task.attempt) {
            let attempt = finished.task.attempt
            guard self[attempt].done == nil else { continue }
            self[attempt].done = Done(attempt: attempt, worker: Self.earlierMaster, duration: .seconds(finished.task.seconds))
            self.refreshIdleness(of: attempt)
            if attempt.kind == .map { self.mapsDone += 1 } else { self.reducesDone += 1 }
        }
        let complete = self.reduces.isEmpty ? self.mapsDone == self.maps.count : self.reducesDone == self.reduces.count
        if complete { self.complete(at: .zero) }
        defer { self.commands = [] }
        return self.commands
    }

    /// The maps still waiting for a worker to offer their outputs run again.
    mutating func stopAwaitingRecovery() {
        self.recoveryDeadline = nil
        for map in self.maps.indices where self.maps[map].awaitsRecovery {
            self.maps[map].awaitsRecovery = false
            self.refreshIdleness(of: AttemptID(.map, task: map, attempt: 0))
        }
    }
}
