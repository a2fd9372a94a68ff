import Logging
import MapReduce
/// `run --workers N`: a master in this process and N worker processes of
/// the same executable on loopback ports chosen at run time. A worker
/// process that dies is replaced, so a killed worker costs time, not capacity.
public struct LocalCluster: Sendable {
    /// The number of worker processes.
    public var workers: Int
    /// How the master schedules and recovers.
    public var options = MasterOptions()
    /// `--log-level` for the workers.
    public var logLevel = "warning"
    /// Where workers make their work directories.
    public var workDirectory: String?
    /// TLS for every connection of the cluster.
    public var tls = TLS.off
    /// Where the master's metrics go.
    public var metrics = MasterMetrics()

    /// Whether a local cluster's connections are TLS, and with which certificates.
    public enum TLS: Sendable, Equatable {
        /// Plain TCP.
        case off
        /// A CA made at start, with one certificate for every process, kept in the run's work directory until the end.
        case throwaway
        /// Given certificate, key and CA files, which every process uses.
        case files(TLSFiles)
    }

    /// A cluster of `workers` worker processes, the rest at its defaults.
    public init(workers: Int) {
        self.workers = workers
    }

    /// Starts the master and the workers, runs `body` (which runs jobs with
    /// `server.runJob`), and stops them again. Cancelled, it stops the job (see
    /// `MasterServer.serve`) and returns only once every worker process has exited.
    public func run<T: Sendable>(logger: Logger, _ body: @escaping @Sendable (MasterServer) async throws -> T) async throws -> T {
        let secret = Secret.random()
        // The workers share a directory of the run's own, so that a replacement takes over only
        // this run's dead workers' directories, and whatever is left goes with the run.
        let workDirectory = FileSystem.freshDirectoryName(in: self.workDirectory, prefix: "mapreduce-run")
        try FileSystem.makeDirectory(workDirectory, access: .ownerOnly)
        defer { FileSystem.removeTree(workDirectory) }
        let tlsFiles: TLSFiles?
        switch self.tls {
        case .off: tlsFiles = nil
        case .throwaway: tlsFiles = try ThrowawayCertificates().write(in: "\(workDirectory)/tls")
        case .files(let files): tlsFiles = files
        }
        let server = try await MasterServer.start(
            secret: secret, listen: Endpoint(host: "127.0.0.1", port: 0), options: self.options,
            security: try tlsFiles.map(TransportSecurity.init(files:)), metrics: self.metrics, logger: logger)
        var arguments = [
            "worker", "--master", "127.0.0.1:\(server.port)", "--slots", "1", "--log-level", self.logLevel, "--stop-with-parent",
            "--idle-timeout", "\(self.options.idleTimeout.seconds)", "--work-dir", workDirectory,
        ]
        if let tlsFiles {
            arguments += ["--tls-cert", tlsFiles.certificate, "--tls-key", tlsFiles.key, "--tls-ca", tlsFiles.ca]
        }
        let pool = WorkerPool(
            executable: WorkerProcess.currentExecutable, arguments: arguments, secret: secret, master: server.master,
            earlyExitLimit: 3 * self.workers, logger: logger)
        let result: Result<T, any Error>
        do {
            for _ in 0..<self.workers { try pool.launch() }
            result = .success(try await withTaskCancellationHandler {
                try await server.serve(body)
            } onCancel: {
                pool.stopReplacing()
            })
        } catch {
            result = .failure(error)
        }
        await pool.stopAll(grace: .seconds(5))
        return try result.get()
    }
}

/// The worker processes of a local cluster, kept at their number.
///
/// A worker that dies at work (user code that crashes its process, say) is
/// replaced however often it happens. One that dies before it registers
/// with the master is a bug, not bad luck: after `earlyExitLimit` of those
/// in a row, with no worker registering in between, the pool gives up.
final class WorkerPool: Sendable {
    private struct State {
        var children: [WorkerProcess] = []
        var stopping = false
        /// Process ids of started workers not yet seen to have registered.
        var unconfirmed: Set<Int32> = []
        /// Workers that exited before registering since a worker last registered.
        var earlyExits = 0
    }

    private let executable: String
    private let arguments: [String]
    private let secret: Secret
    private let master: Master
    private let earlyExitLimit: Int
    private let logger: Logger
    private let state = Locked(State())

    init(executable: String, arguments: [String], secret: Secret, master: Master, earlyExitLimit: Int, logger: Logger) {
        self.executable = executable
        self.arguments = arguments
        self.secret = secret
        self.master = master
        self.earlyExitLimit = earlyExitLimit
        self.logger = logger
    }

    /// Starts one more worker process, unless the pool is stopping.
    func launch() throws {
        // Under the lock, so that `stopAll` either waits for the new process or prevents it.
        try self.state.withLock { state in
            guard !state.stopping else { return }
            let child = try WorkerProcess(executable: self.executable, arguments: self.arguments, secret: self.secret) {
                [weak self] processID, status in
                self?.exited(processID, status: status)
            }
            state.children.append(child)
            state.unconfirmed.insert(child.processIdentifier)
        }
    }

    private func exited(_ processID: Int32, status: Int32) {
        let pending = self.state.withLock { state -> Set<Int32>? in
            // Its pipe goes with it: a run whose workers die by the thousand must not run out of descriptors.
            state.children.first { $0.processIdentifier == processID }?.closeLifeline()
            guard !state.stopping else { return nil }
            state.children.removeAll { $0.processIdentifier == processID || !$0.isRunning }
            return state.unconfirmed.union([processID])
        }
        guard let pending else { return }
        let master = self.master
        Task {
            guard await !master.isStopping else { return }
            var registered: Set<Int32> = []
            for candidate in pending where await master.hasRegistered(processID: candidate) {
                registered.insert(candidate)
            }
            let (replace, giveUp) = self.state.withLock { state in
                state.unconfirmed.subtract(registered)
                state.unconfirmed.remove(processID)
                if !registered.isEmpty { state.earlyExits = 0 }
                if !registered.contains(processID) { state.earlyExits += 1 }
                let replace = !state.stopping && state.earlyExits <= self.earlyExitLimit
                return (replace, !replace && !state.stopping && state.children.isEmpty)
            }
            if giveUp {
                await master.abort("worker processes keep exiting before they register (the last with status \(status))")
            }
            guard replace else { return }
            self.logger.warning("a worker process exited; starting another", metadata: ["status": "\(status)"])
            do {
                try self.launch()
            } catch {
                await master.abort("cannot start a worker process: \(error)")
            }
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
