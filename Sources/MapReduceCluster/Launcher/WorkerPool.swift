import Logging
import MapReduce

/// The worker processes of a local cluster, kept at their number.
///
/// A worker that dies at work (user code that crashes its process, say) is
/// replaced however often it happens; one that exits with status 0 was told
/// to go by its master, and is not. One that dies before it registers with
/// the master is a bug, not bad luck: after `earlyExitLimit` of those in a
/// row, with no worker registering in between, the pool gives up.
final class WorkerPool: Sendable {
    private struct State {
        var children: [ClusterProcess] = []
        var stopping = false
        /// Process ids of started workers not yet seen to have registered.
        var unconfirmed: Set<Int32> = []
        /// Workers that exited before registering since a worker last registered.
        var earlyExits = 0
    }

    private let executable: String
    private let arguments: [String]
    private let secret: Secret
    private let earlyExitLimit: Int
    private let logger: Logger
    /// Whether the worker with this process id has registered with the master.
    private let hasRegistered: @Sendable (Int32) -> Bool
    /// Called when the pool gives up, with why.
    private let giveUp: @Sendable (String) -> Void
    private let state = Locked(State())

    init(
        executable: String, arguments: [String], secret: Secret, earlyExitLimit: Int, logger: Logger,
        hasRegistered: @escaping @Sendable (Int32) -> Bool, giveUp: @escaping @Sendable (String) -> Void
    ) {
        self.executable = executable
        self.arguments = arguments
        self.secret = secret
        self.earlyExitLimit = earlyExitLimit
        self.logger = logger
        self.hasRegistered = hasRegistered
        self.giveUp = giveUp
    }

    /// Starts one more worker process, unless the pool is stopping.
    func launch() throws {
        // Under the lock, so that `stopAll` either waits for the new process or prevents it.
        try self.state.withLock { state in
            guard !state.stopping else { return }
            let child = try ClusterProcess(executable: self.executable, arguments: self.arguments, secret: self.secret) {
                [weak self] processID, ending in
                self?.exited(processID, ending)
            }
            state.children.append(child)
            state.unconfirmed.insert(child.processIdentifier)
        }
    }

    private func exited(_ processID: Int32, _ ending: ClusterProcess.Ending) {
        let (replace, giveUp) = self.state.withLock { state -> (Bool, Bool) in
            guard !state.stopping else { return (false, false) }
            state.children.removeAll { $0.processIdentifier == processID }
            let registered = state.unconfirmed.union([processID]).filter(self.hasRegistered)
            state.unconfirmed.subtract(registered)
            state.unconfirmed.remove(processID)
            if !registered.isEmpty { state.earlyExits = 0 }
            if !registered.contains(processID) { state.earlyExits += 1 }
            // Told to go by its master: the job is over.
            guard ending != .exited(0) || !registered.contains(processID) else { return (false, false) }
            let replace = state.earlyExits <= self.earlyExitLimit
            return (replace, !replace && state.children.isEmpty)
        }
        if giveUp { self.giveUp("worker processes keep exiting before they register (the last \(ending))") }
        guard replace else { return }
        self.logger.warning("a worker process exited; starting another", metadata: ["how": "\(ending)"])
        do {
            try self.launch()
        } catch {
            self.giveUp("cannot start a worker process: \(error)")
        }
    }

    /// Starts no more processes in place of those that exit.
    func stopReplacing() {
        self.state.withLock { $0.stopping = true }
    }

    /// Stops every worker process, killing those still there after `grace`, and
    /// returns once all have exited. Waiting is not cut short by cancellation:
    /// a stopped run must not clean up while its workers still write.
    func stopAll(grace: Duration) async {
        let children = self.state.withLock { state in
            state.stopping = true
            return state.children
        }
        await Task {
            await withDiscardingTaskGroup { group in
                for child in children { group.addTask { await child.stop(grace: grace) } }
            }
        }.value
    }
}
