import Foundation
import Logging
import MapReduce

/// `run`'s master process: started, watched, and started again with
/// `--recover` on the same port when it dies of a signal (SIGKILL, a crash)
/// that `run` did not send, up to `restarts` times. The master writes the
/// port it listens on, and the process id of each worker that registers, to
/// files in the run's work directory.
final class MasterSupervisor: Sendable {
    private struct State {
        var process: ClusterProcess?
        /// Set when the run is stopped: the master is told to stop, and not started again.
        var stopping = false
        /// Why the workers made the run give up, if they did.
        var givenUp: String?
    }

    private let arguments: [String]
    private let portFile: String
    private let registrationsFile: String
    private let secret: Secret
    private let restarts: Int
    private let logger: Logger
    private let state = Locked(State())
    private let endings = AsyncStream.makeStream(of: ClusterProcess.Ending.self)

    /// A supervisor of `master` processes with `arguments`, writing their port and their workers'
    /// registrations to files in `directory`.
    init(arguments: [String], directory: String, secret: Secret, restarts: Int, logger: Logger) {
        self.arguments = arguments
        self.portFile = "\(directory)/master-port"
        self.registrationsFile = "\(directory)/registered"
        self.secret = secret
        self.restarts = restarts
        self.logger = logger
    }

    /// Starts the master, then `startWorkers` with the port it listens on, and returns the
    /// master's exit status once it has ended for good and the workers have exited. Cancelled,
    /// it tells the master to stop (SIGTERM) and still waits for all that.
    func run(startWorkers: @escaping @Sendable (Int) throws -> WorkerPool) async throws -> Int32 {
        try self.start(["--listen", "127.0.0.1:0"])
        // Not cancelled with the caller: a stopped run waits for its master to clean up.
        let watching = Task { try await self.watch(startWorkers) }
        return try await withTaskCancellationHandler {
            try await watching.value
        } onCancel: {
            self.stop()
        }
    }

    /// Whether the worker with this process id has registered with the master (in any of its runs).
    func hasRegistered(_ processID: Int32) -> Bool {
        guard let bytes = try? FileDescriptor.open(reading: self.registrationsFile).readToEnd() else { return false }
        return String(decoding: bytes, as: UTF8.self).split(separator: "\n").contains("\(processID)")
    }

    /// The workers keep dying before they register: the master is told to stop, and the run fails with `reason`.
    func giveUp(because reason: String) {
        let process = self.state.withLock { state in
            state.givenUp = state.givenUp ?? reason
            return state.process
        }
        process?.send(SIGTERM)
    }

    /// The run is stopped: so is the master, for good.
    private func stop() {
        let process = self.state.withLock { state in
            state.stopping = true
            return state.process
        }
        process?.send(SIGTERM)
    }

    /// Starts a master process, unless the run is stopped or given up (checked under the same lock
    /// that `stop` and `giveUp` take, so that neither misses it); false if it did not.
    @discardableResult
    private func start(_ extra: [String]) throws -> Bool {
        try self.state.withLock { state in
            guard !state.stopping, state.givenUp == nil else { return false }
            let endings = self.endings.continuation
            state.process = try ClusterProcess(
                executable: ClusterProcess.currentExecutable,
                arguments: [
                    "master", "--stop-with-parent", "--port-file", self.portFile, "--registrations-file", self.registrationsFile,
                ] + extra + self.arguments,
                secret: self.secret
            ) { _, ending in endings.yield(ending) }
            return true
        }
    }

    /// Whether a master that ended so died by accident: a signal that stops a command on purpose
    /// (SIGINT from a terminal reaches the whole process group) is not one.
    private static func died(_ ending: ClusterProcess.Ending) -> Bool {
        guard case .killed(let signal) = ending else { return false }
        return ![SIGINT, SIGTERM, SIGHUP].contains(signal)
    }

    private func watch(_ startWorkers: @Sendable (Int) throws -> WorkerPool) async throws -> Int32 {
        var endings = self.endings.stream.makeAsyncIterator()
        guard let port = await self.port() else { return try self.status(of: await endings.next()!, restarts: 0) }
        let pool: WorkerPool
        do {
            pool = try startWorkers(port)
        } catch {
            self.stop()
            _ = await endings.next()
            throw error
        }
        var restarts = 0
        var ending = await endings.next()!
        while Self.died(ending), restarts < self.restarts {
            do {
                guard try self.start(["--listen", "127.0.0.1:\(port)", "--recover"]) else { break }
            } catch {
                pool.stopReplacing()
                await pool.stopAll(grace: .seconds(5))
                throw error
            }
            restarts += 1
            self.logger.warning(
                "the master process died; starting it again to take the job over",
                metadata: ["how": "\(ending)", "restart": "\(restarts) of \(self.restarts)"])
            ending = await endings.next()!
        }
        pool.stopReplacing()
        await pool.stopAll(grace: .seconds(5))
        return try self.status(of: ending, restarts: restarts)
    }

    /// The port the master listens on, once it has written it; nil if it ended first.
    private func port() async -> Int? {
        while true {
            if let bytes = try? FileDescriptor.open(reading: self.portFile).readToEnd(),
                let port = Int(String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
            {
                return port
            }
            guard self.state.withLock({ $0.process?.isRunning ?? false }) else { return nil }
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    /// The run's exit status from how its master ended.
    private func status(of ending: ClusterProcess.Ending, restarts: Int) throws -> Int32 {
        if let reason = self.state.withLock({ $0.givenUp }) { throw JobError(reason) }
        switch ending {
        case .exited(let status):
            return status
        case .killed(let signal):
            let times = restarts == 0 ? "" : " (started again \(restarts) times)"
            throw JobError("the master process died of signal \(signal)\(times); giving up")
        }
    }
}
