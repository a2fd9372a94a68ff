import MapReduce

/// Who pays for a failure. An attempt that throws is charged to its task,
/// unless its worker has failed other tasks of the job too: then the
/// worker is excluded and the task tries elsewhere. An attempt lost with
/// its worker is killed, not failed, unless it ran alone there, in user
/// code (a reduce attempt still fetching runs none): then the death is
/// charged to the task, which is given up after `maxWorkerDeaths` of them
/// in a row.
extension Scheduler {
    mutating func failed(_ attempt: AttemptID, on id: WorkerID, message: String, record: Int64?, at now: Duration) {
        if self.stopped(attempt, on: id) { return }
        guard let running = self.runningAttempt(attempt), running.worker == id else { return }
        self.end(attempt, at: now, outcome: .failed)
        self.counters.add(attempt.kind == .map ? .failedMapAttempts : .failedReduceAttempts, 1)
        if let record { self[attempt].recordFailures[record, default: 0] += 1 }
        self[attempt].failedOn.insert(id)
        let task = AttemptID(attempt.kind, task: attempt.task, attempt: 0, job: self.job)
        self.workers[id]?.failedTasks.insert(task)
        guard let worker = self.workers[id], !running.isLastResort else { return self.charge(attempt, message: message) }
        if worker.excludedAt != nil {
            return
        } else if worker.failedTasks.count >= MasterOptions.failuresBeforeExclusion {
            self.exclude(id, at: now)
            self.emit(.exclude(id))
        } else {
            self.charge(attempt, message: message)
        }
    }

    /// Counts a failure against `attempt`'s task, and gives it up past `maxAttempts`.
    mutating func charge(_ attempt: AttemptID, message: String) {
        self[attempt].failures += 1
        self[attempt].lastError = message
        guard self[attempt].failures >= self.options.maxAttempts, self[attempt].done == nil else { return }
        self.giveUp(TaskGivenUp(attempt: attempt, reason: .failed(times: self[attempt].failures, lastError: message)))
    }

    /// Worker `id` is gone: its attempts are killed (a lone one is charged with the death),
    /// and its finished map outputs run again if a reduce attempt still needs them.
    mutating func lose(_ id: WorkerID, reason: String, at now: Duration) {
        guard let worker = self.removeWorker(id) else { return }
        let alone = worker.running.count + worker.stopping.count == 1
        for attempt in worker.running.sorted() {
            let records = self[attempt].running[attempt]?.records
            // A reduce attempt that lacks the output of a map not yet done has run no user code: it
            // cannot be the cause. (One that lacks only finished outputs may have them by now.)
            let shuffling =
                attempt.kind == .reduce
                && self.maps.indices.contains { self.maps[$0].done == nil && self.fetched[attempt]?.contains($0) != true }
            self.end(attempt, at: now, outcome: .killed)
            self.counters.add(.killedAttempts, 1)
            guard alone, !shuffling else { continue }
            self[attempt].deaths += 1
            if self[attempt].deaths >= self.options.maxWorkerDeaths, self[attempt].done == nil {
                let reason = TaskGivenUp.Reason.killedWorkers(times: self[attempt].deaths, records: records, lastReason: reason)
                return self.giveUp(TaskGivenUp(attempt: attempt, reason: reason))
            }
        }
        for index in self.maps.indices where self.maps[index].done?.worker == id {
            if self.isOutputNeeded(index) { self.rerun(index, because: .outputLost) } else { self.indexes.lostOutputs.insert(index) }
        }
    }

    /// Whether some reduce attempt still to run, or running without it, needs map `index`'s output.
    private func isOutputNeeded(_ index: Int) -> Bool {
        self.reduces.contains { task in
            guard task.done == nil else { return false }
            return task.running.isEmpty || task.running.keys.contains { self.fetched[$0]?.contains(index) != true }
        }
    }

    private mutating func giveUp(_ reason: TaskGivenUp) {
        self.emit(.failJob(reason))
        self.isOver = true
    }
}
