import Foundation
import Logging
import MapReduce
import NIOCore
/// How a worker process runs.
public struct WorkerOptions: Sendable {
    /// The master's control port.
    public var master: Endpoint
    /// Where the shuffle service listens; port 0 picks a free one.
    public var listen = Endpoint(host: "127.0.0.1", port: 0)
    /// The host name or address other workers reach the shuffle service at; by default the listen host.
    public var advertise: String?
    /// Tasks run at once.
    public var slots = 1
    /// Where the worker makes its own work directory; by default `$TMPDIR` or `/tmp`.
    public var workDirectory: String?
    /// How long to keep trying to reach the master.
    public var connectTimeout: Duration = .seconds(30)
    /// How long to wait for a master that was lost to come back (restarted with
    /// `--recover`), keeping the map outputs; zero exits at once.
    public var masterGrace: Duration = .seconds(60)
    /// A shuffle connection with nothing read or written for this long is closed.
    public var idleTimeout: Duration = .seconds(60)
    /// TLS for the connection to the master and for the shuffle, both ways; none without.
    public var security: TransportSecurity?
    /// Where the worker's metrics go.
    public var metrics = WorkerMetrics()

    /// The options of a worker of the master at `master`, the rest at their defaults.
    public init(master: Endpoint) {
        self.master = master
    }
}

/// A worker process's life: connect to the master, serve the job's tasks
/// and map outputs, and clean up when the master says the job is over or
/// is gone.
public enum WorkerService {
    /// Runs until the job is over. Returns normally when the master said
    /// to stop; throws when the master could not be reached or went away.
    public static func run(jobs: [AnyJob], options: WorkerOptions, secret: Secret, logger: Logger) async throws {
        let advertised = options.advertise ?? options.listen.host
        guard !["0.0.0.0", "::"].contains(advertised) else {
            throw ProtocolError("a worker listening on \(options.listen.host) needs --advertise with an address other workers can reach")
        }
        guard PeerText.isHostName(advertised) else {
            throw ProtocolError("\(advertised) is not a host name or address other workers can reach")
        }
        let directory = try WorkDirectory(in: options.workDirectory)
        let workDirectory = directory.path
        // Removed however the service ends, stopped (cancelled) included: a
        // task still running on another thread cannot make files in it then.
        defer { directory.remove() }
        let shuffle = try await ShuffleServer(
            listen: options.listen, secret: secret, idleTimeout: options.idleTimeout, security: options.security,
            metrics: options.metrics, logger: logger)
        let registration = Register(
            shuffleHost: advertised, shufflePort: shuffle.port, slots: options.slots,
            hostName: Self.hostName, processID: ProcessInfo.processInfo.processIdentifier)
        let worker = Worker(
            jobs: jobs, workDirectory: workDirectory, adopted: directory.adopted, shuffle: shuffle, secret: secret,
            security: options.security, metrics: options.metrics, logger: logger)
        try await withThrowingDiscardingTaskGroup { group in
            // The shuffle service outlives a connection to the master: a master that comes back may take its outputs.
            group.addTask { await shuffle.run() }
            defer { group.cancelAll() }
            var deadline = ContinuousClock.now + options.connectTimeout
            var returning = false
            while true {
                do {
                    return try await self.serve(
                        worker, registration, options: options, secret: secret, until: deadline, returning: returning, logger: logger)
                } catch let lost as MasterLost where options.masterGrace > .zero {
                    await worker.masterLost()
                    deadline = .now + options.masterGrace
                    returning = true
                    logger.warning(
                        "lost the master; waiting for it to come back", metadata: ["reason": "\(lost.reason)", "grace": "\(options.masterGrace)"])
                    // The stopped attempts hold their slots until their code has returned: the master that comes back counts them free.
                    while await worker.hasRunningAttempts, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
                }
            }
        }
    }

    /// Registers `worker` with the master (connecting until `deadline`; `returning` to one that was
    /// lost) and serves it until it says to stop; throws `MasterLost` when the connection is lost after registering.
    private static func serve(
        _ worker: Worker, _ registration: Register, options: WorkerOptions, secret: Secret, until deadline: ContinuousClock.Instant,
        returning: Bool, logger: Logger
    ) async throws {
        let registered = Locked(false)
        try await Network.withAuthenticatedConnection(
            dial: {
                let channel = try await self.connect(to: options.master, security: options.security, until: deadline)
                // A frozen master's port still takes connections: coming back, one not registered by the deadline is closed.
                if returning { self.close(channel, unless: registered, by: max(deadline, .now + .seconds(1))) }
                return channel
            },
            secret: secret,
            peer: "master \(options.master)", patience: max(.seconds(1), deadline - .now)
        ) { connection in
            try await connection.send(.register(registration))
            guard case .registered(let registered) = try await connection.expect() else {
                throw ProtocolError("the master did not accept the registration")
            }
            return registered
        } then: { connection, answer, channel in
            registered.withLock { $0 = true }
            let outbound = connection.outbound
            let (outbox, continuation) = AsyncStream.makeStream(of: Message.self)
            await worker.connected(as: answer.workerID, outbox: continuation)
            logger.info("registered", metadata: ["worker": "\(answer.workerID)", "shuffle": "\(registration.shuffleHost):\(registration.shufflePort)"])
            let lastHeard = LastHeard()
            let masterTimeout = Duration.milliseconds(Int64(answer.timeoutSeconds * 1000))
            try await withThrowingDiscardingTaskGroup { group in
                group.addTask {
                    for await message in outbox { try? await outbound.write(message.encoded()) }
                }
                group.addTask {
                    while (try? await Task.sleep(for: .seconds(answer.heartbeatSeconds))) != nil {
                        continuation.yield(.heartbeat(Heartbeat(progress: await worker.progress())))
                        // A master that stopped answering (frozen, or cut off) is as good as gone.
                        if lastHeard.elapsed > masterTimeout {
                            channel.channel.close(promise: nil)
                            return
                        }
                    }
                }
                defer {
                    continuation.finish()
                    group.cancelAll()
                }
                var lostBecause = "the master closed the connection"
                receiving: while true {
                    let message: Message?
                    do {
                        message = try await connection.receive()
                    } catch where Self.isBreach(error) && lastHeard.elapsed <= masterTimeout {
                        // The master broke the protocol: that is no loss to wait out.
                        throw error
                    } catch {
                        lostBecause = "\(error)"
                        break receiving
                    }
                    guard let message else { break }
                    lastHeard.reset()
                    // What the worker cannot do (a job it does not have, a directory it cannot make) is no loss either.
                    guard try await worker.handle(message) else { return }
                }
                if lastHeard.elapsed > masterTimeout {
                    throw MasterLost(reason: "the master has been silent for \(answer.timeoutSeconds) s")
                }
                throw MasterLost(reason: lostBecause)
            }
        }
    }

    /// This host's name for the master's logs, or `unnamed` if it is not one the protocol accepts.
    private static var hostName: String {
        let name = ProcessInfo.processInfo.hostName
        return PeerText.isHostName(name) ? name : "unnamed"
    }

    /// Whether `error`, met reading the master's messages, says the master broke the protocol
    /// (rather than that the connection was lost).
    private static func isBreach(_ error: any Error) -> Bool {
        if let error = error as? ProtocolError { return error != .closed }
        return error is DecodingError
    }

    /// Closes `channel` at `deadline` unless `registered` is set by then.
    private static func close(_ channel: FramedChannel, unless registered: Locked<Bool>, by deadline: ContinuousClock.Instant) {
        Task {
            try? await Task.sleep(until: deadline)
            if !registered.withLock({ $0 }) { channel.channel.close(promise: nil) }
        }
    }

    /// Connects to the master, trying again until `deadline`.
    private static func connect(
        to master: Endpoint, security: TransportSecurity?, until deadline: ContinuousClock.Instant
    ) async throws -> FramedChannel {
        while true {
            do {
                return try await Network.connect(to: master, security: security)
            } catch {
                guard ContinuousClock.now < deadline else { throw ProtocolError("cannot reach the master at \(master): \(error)") }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }
}

/// When the master was last heard from.
private final class LastHeard: Sendable {
    private let instant = Locked(ContinuousClock.now)

    /// Time since the master was last heard from.
    var elapsed: Duration { ContinuousClock.now - self.instant.withLock { $0 } }

    func reset() {
        self.instant.withLock { $0 = .now }
    }
}
