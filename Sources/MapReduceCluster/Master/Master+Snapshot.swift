import MapReduce

extension Master {
    /// The current job as it stands, for its web page; nil before the first job.
    public func snapshot() -> JobSnapshot? {
        guard let plan = self.plan, let scheduler = self.scheduler else { return nil }
        let now = ContinuousClock.now - self.started
        var state = JobSnapshot.Overview.State.running
        var error: String?
        let elapsed = (self.endedAt ?? .now) - self.started
        var counters = self.jobCounters(of: scheduler).counters
        switch self.outcome {
        case .succeeded(let report)?:
            state = .succeeded
            counters = report.counters
        case .failed(let message)?:
            state = .failed
            error = message
        case nil:
            break
        }
        let overview = JobSnapshot.Overview(
            name: plan.job.name, state: state, error: error, maps: scheduler.maps.count, mapsDone: scheduler.mapsDone,
            reduces: scheduler.reduces.count, reducesDone: scheduler.reducesDone, elapsedSeconds: elapsed.seconds,
            bytesRead: self.bytesRead, counters: counters, inputs: plan.inputs, output: plan.settings.outputDirectory,
            setup: plan.setup)
        return JobSnapshot(
            job: overview, workers: self.workerViews(of: scheduler), attempts: self.attemptViews(of: scheduler, at: now))
    }

    /// Every attempt of the job, ended or running at `now`, by start.
    func attemptViews(of scheduler: Scheduler, at now: Duration) -> [JobReport.Attempt] {
        var views = scheduler.history.map { finished in
            let state: JobReport.Attempt.State =
                switch finished.outcome {
                case .succeeded: .succeeded
                case .failed: .failed
                case .killed: .killed
                }
            return JobReport.Attempt(
                id: finished.attempt, worker: finished.worker.description, startSeconds: finished.started.seconds,
                durationSeconds: (finished.ended - finished.started).seconds, state: state, backup: finished.isBackup,
                error: self.attemptErrors[finished.attempt], bytes: self.attemptBytes[finished.attempt])
        }
        // Once the job has ended, an attempt still open was abandoned with it: killed then.
        let end = self.endedAt.map { $0 - self.started }
        for task in scheduler.maps + scheduler.reduces {
            for (attempt, running) in task.running {
                views.append(
                    JobReport.Attempt(
                        id: attempt, worker: running.worker.description, startSeconds: running.started.seconds,
                        durationSeconds: ((end ?? now) - running.started).seconds, state: end == nil ? .running : .killed,
                        backup: running.isBackup))
            }
        }
        views = views.map { var view = $0; view.masterRun = self.masterRun; return view }
        return self.earlierAttempts + views.sorted { ($0.startSeconds, $0.id) < ($1.startSeconds, $1.id) }
    }

    /// Every worker that registered: connected ones as they are now, lost ones as they were last seen.
    func workerViews(of scheduler: Scheduler) -> [JobSnapshot.Worker] {
        let ended = Self.endedAttempts(in: scheduler.history)
        let alive = self.workers.values.sorted { $0.id < $1.id }.map { self.view(of: $0, ended: ended[$0.id] ?? (0, 0)) }
        return self.departed + alive
    }

    /// How many attempts in `history` each worker succeeded and failed.
    static func endedAttempts(in history: some Sequence<Scheduler.FinishedAttempt>) -> [WorkerID: (succeeded: Int, failed: Int)] {
        var ended: [WorkerID: (succeeded: Int, failed: Int)] = [:]
        for finished in history {
            if finished.outcome == .succeeded { ended[finished.worker, default: (0, 0)].succeeded += 1 }
            if finished.outcome == .failed { ended[finished.worker, default: (0, 0)].failed += 1 }
        }
        return ended
    }

    /// A connected worker as the current job's scheduler sees it, with the counts of its attempts that `ended`.
    func view(of worker: WorkerRecord, ended: (succeeded: Int, failed: Int)) -> JobSnapshot.Worker {
        let state = self.scheduler?.workers[worker.id]
        let excluded = state?.excludedAt != nil
        return JobSnapshot.Worker(
            id: worker.id.description, host: worker.registration.hostName, processID: worker.registration.processID,
            shuffle: worker.shuffleEndpoint.description, slots: worker.registration.slots, state: excluded ? .excluded : .alive,
            reason: excluded ? "failed \(state!.failedTasks.count) of the job's tasks" : nil,
            running: (state?.running ?? []).sorted().map(\.description), succeeded: ended.succeeded, failed: ended.failed,
            secondsSinceHeard: (ContinuousClock.now - worker.lastHeard).seconds)
    }

    /// Sets the metrics that are read off the task table rather than counted as events happen.
    public func refreshMetrics() {
        guard let scheduler = self.scheduler else { return }
        for (phase, tasks, done) in [("map", scheduler.maps, scheduler.mapsDone), ("reduce", scheduler.reduces, scheduler.reducesDone)] {
            let running = self.outcome != nil ? 0 : tasks.count { $0.done == nil && !$0.running.isEmpty }
            self.metrics.tasks(phase: phase, pending: tasks.count - done - running, running: running, done: done)
        }
    }
}
