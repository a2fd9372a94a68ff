import Logging
import MapReduce

/// `run --workers N`: a master process and N worker processes of the same
/// executable, on loopback ports chosen at run time, supervised. A worker
/// process that dies is replaced, so a killed worker costs time, not
/// capacity; a master process that dies is started again with `--recover`
/// (up to `masterRestarts` times), on the same port, and takes the job over
/// from its journal while the workers wait for it with their map outputs.
public struct LocalCluster: Sendable {
    /// The number of worker processes.
    public var workers: Int
    /// `--log-level` for the workers.
    public var logLevel = "warning"
    /// `--idle-timeout` for the workers.
    public var idleTimeout: Duration = .seconds(60)
    /// Where workers make their work directories.
    public var workDirectory: String?
    /// TLS for every connection of the cluster.
    public var tls = TLS.off
    /// How many times a master process that dies is started again before the run gives up.
    public var masterRestarts = 3

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

    /// Runs the master process with `masterArguments` (the `master` command's job options; the
    /// cluster adds where it listens, its secret and its TLS files) and the workers, and returns the
    /// master's exit status once it and every worker have exited. Cancelled, it stops the master
    /// (SIGTERM), which stops the job, and returns once every process has exited.
    public func run(masterArguments: [String], logger: Logger) async throws -> Int32 {
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
        let tlsArguments = tlsFiles.map { ["--tls-cert", $0.certificate, "--tls-key", $0.key, "--tls-ca", $0.ca] } ?? []
        let master = MasterSupervisor(
            arguments: ["--cluster-slots", "\(self.workers)"] + tlsArguments + masterArguments, directory: workDirectory,
            secret: secret, restarts: self.masterRestarts, logger: logger)
        return try await master.run { port in
            let pool = WorkerPool(
                executable: ClusterProcess.currentExecutable,
                arguments: [
                    "worker", "--master", "127.0.0.1:\(port)", "--slots", "1", "--log-level", self.logLevel, "--stop-with-parent",
                    "--idle-timeout", "\(self.idleTimeout.seconds)", "--work-dir", workDirectory,
                ] + tlsArguments,
                secret: secret, earlyExitLimit: 3 * self.workers, logger: logger,
                hasRegistered: { master.hasRegistered($0) }, giveUp: { master.giveUp(because: $0) })
            for _ in 0..<self.workers { try pool.launch() }
            return pool
        }
    }
}
