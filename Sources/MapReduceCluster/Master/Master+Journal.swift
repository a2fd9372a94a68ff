import MapReduce

/// The master's journal (see docs/journal.md): the decisions a master that
/// takes the job over needs, appended as they are made.
extension Master {
    /// Starts the current job's journal in its output's `_temporary`. A journal that cannot be
    /// made costs only recovery: the job runs without one, with a warning.
    func startJournal() {
        self.masterRun = 1
        do {
            self.journal = try JournalFile.create(
                in: self.plan!.committer.temporaryDirectory, first: .job(try JobIdentity(self.plan!), master: self.name))
            self.record(.masterStarted(run: 1), sync: true)
        } catch {
            self.journal = nil
            self.logger.warning("the job runs without a journal; a restarted master could not take it over", metadata: ["error": "\(error)"])
        }
    }

    /// Goes on from where the earlier masters of the job stopped: takes the first's name,
    /// counts what they finished, and appends to their journal. (The scheduler learns the rest.)
    func resume(_ recovery: JobRecovery) {
        self.name = recovery.master
        self.masterRun = recovery.masterRun
        self.excludedEarlier = recovery.excluded
        if recovery.commitStarted { self.plan!.committer.resumeCommit() }
        if recovery.ignoredBytes > 0 {
            self.logger.warning(
                "the journal ends in a record a crash cut short or damaged; it is ignored",
                metadata: ["bytes": "\(recovery.ignoredBytes)"])
        }
        do {
            self.journal = try JournalFile.reopen(
                at: "\(self.plan!.committer.temporaryDirectory)/\(JournalFile.name)", keeping: recovery.length)
            self.record(.masterStarted(run: recovery.masterRun), sync: true)
        } catch {
            self.journal = nil
            self.logger.warning("the journal cannot be written; a restarted master could not take the job over", metadata: ["error": "\(error)"])
        }
        for earlier in (Array(recovery.committed.values) + recovery.maps.values).sorted(by: { $0.task.attempt < $1.task.attempt }) {
            let task = earlier.task
            if self.countedTasks.insert(JobRecovery.task(of: task.attempt)).inserted {
                self.count(TaskSucceeded(attempt: task.attempt, counters: task.counters))
            }
            self.earlierAttempts.append(
                JobReport.Attempt(
                    id: task.attempt, worker: task.worker, startSeconds: task.started, durationSeconds: task.seconds,
                    state: .succeeded, bytes: JobReport.Attempt.bytes(task.counters, of: task.attempt), masterRun: earlier.masterRun))
        }
        self.logger.info(
            "taking the job over from its journal",
            metadata: [
                "run": "\(recovery.masterRun)", "committed": "\(recovery.committed.count)", "maps finished": "\(recovery.maps.count)",
            ])
    }

    /// Appends `record` to the journal; with `sync`, durably. A journal that cannot be written is
    /// removed, with a warning: the job goes on, and a master that would take it over finds no
    /// journal to trust (attempts it does not know of could share names with its own).
    func record(_ record: JournalRecord, sync: Bool = false) {
        guard let journal = self.journal else { return }
        do {
            try journal.append(record, sync: sync)
        } catch {
            self.journal = nil
            self.logger.warning("the journal cannot be written any more, and is removed: no master can take this job over", metadata: ["error": "\(error)"])
            do {
                try FileSystem.remove("\(self.plan!.committer.temporaryDirectory)/\(JournalFile.name)")
            } catch {
                self.logger.warning("the journal that could not be written cannot be removed either", metadata: ["error": "\(error)"])
            }
        }
    }

    /// What the journal keeps of `attempt`, which succeeded on worker `id` just now.
    func finishedTask(_ attempt: AttemptID, on id: WorkerID, counters: Counters) -> FinishedTask? {
        guard let running = self.scheduler?.runningAttempt(attempt), let worker = self.workers[id] else { return nil }
        let now = ContinuousClock.now - self.started
        return FinishedTask(
            attempt: attempt, worker: "\(id)", shuffle: "\(worker.shuffleEndpoint)", started: running.started.seconds,
            seconds: (now - running.started).seconds, counters: counters)
    }

    /// Notes in the journal that the job commit begins, durably: a master that takes over then finishes it.
    public func beginCommit() {
        self.record(.commitStarted, sync: true)
    }
}
