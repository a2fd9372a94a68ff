import MapReduce

extension Scheduler {
    /// Something that happened to the job, as the master learnt it.
    enum Event: Sendable, Equatable {
        /// A worker joined with `slots` slots; `stopping` are attempts of an earlier job that
        /// still hold some of them until it says they have stopped.
        case workerRegistered(WorkerID, slots: Int, stopping: Set<AttemptID> = [], excluded: Bool = false)
        /// A worker died, froze (missed heartbeats) or was cut off.
        case workerLost(WorkerID, reason: String)
        case attemptSucceeded(AttemptID, on: WorkerID)
        /// User code threw, or the attempt could not do its work; `record` is the map input record that threw.
        case attemptFailed(AttemptID, on: WorkerID, message: String, record: Int64?)
        /// An attempt that was killed has stopped; its slot is free.
        case attemptStopped(AttemptID, on: WorkerID)
        /// A reduce attempt holds these maps' outputs now.
        case outputsFetched(reduce: AttemptID, maps: [ClosedRange<Int>], on: WorkerID)
        /// A worker serves these finished map attempts' outputs, found where a dead worker left them.
        case outputsRecovered([AttemptID], on: WorkerID)
        /// Worker `on` says its reduce attempt could not fetch a map attempt's output.
        case fetchFailed(map: AttemptID, reduce: AttemptID, on: WorkerID, message: String)
        /// The master's own fetch of a map output (`checkOutput`) arrived intact (`problem` nil), or did not.
        case outputChecked(MapOutputAt, problem: String?)
        /// Time passed: exclusions may lapse and stragglers may need backups.
        case tick
    }

    /// What the master must do.
    enum Command: Sendable, Equatable {
        case runMap(AttemptID, on: WorkerID, skipRecords: Set<Int64>)
        /// Start a reduce attempt; it is told where every map output announced so far is.
        case runReduce(AttemptID, on: WorkerID)
        /// Tell every running reduce attempt, and every one started later, where a map output is now.
        case announce(MapOutputAt)
        case kill(AttemptID, on: WorkerID)
        /// Fetch partition `partition` of a map output as a reducer would, and say how it went
        /// (`outputChecked`): a reducer could not.
        case checkOutput(MapOutputAt, partition: Int)
        /// A finished map runs again: its output is gone with its worker, or cannot be fetched.
        case rerun(map: Int, because: RerunCause)
        /// A worker gets no more tasks of this job (for the log; the scheduler already acts on it).
        case exclude(WorkerID)
        /// A reduce attempt failed because it keeps reporting map outputs that others fetch as
        /// unfetchable (for the log; its `kill` follows).
        case blame(AttemptID, on: WorkerID, reason: String)
        /// A task is given up, and with it the job.
        case failJob(TaskGivenUp)
        /// Every reduce task is done: commit these winning attempts, by partition.
        case commit([AttemptID])
    }

    /// Why a finished map runs again.
    enum RerunCause: Sendable, Equatable {
        /// Its worker is gone and some reduce attempt still needs the output.
        case outputLost
        /// Reducers on two workers, or a reducer and the master, could not fetch the output intact.
        case outputUnusable
    }

    /// A finished map attempt whose output a worker serves.
    struct MapOutputAt: Sendable, Hashable {
        var attempt: AttemptID
        var worker: WorkerID
    }
}

/// Why a task, and so its job, was given up.
struct TaskGivenUp: Sendable, Equatable {
    enum Reason: Sendable, Equatable {
        /// Its attempts failed `times` times (thrown errors, or outputs that could not be fetched).
        case failed(times: Int, lastError: String)
        /// Its attempts took their workers down `times` times, each running alone there;
        /// the last had read `records` input records, if its worker said.
        case killedWorkers(times: Int, records: Int64?, lastReason: String)
    }

    /// The task's last attempt.
    var attempt: AttemptID
    var reason: Reason
}
