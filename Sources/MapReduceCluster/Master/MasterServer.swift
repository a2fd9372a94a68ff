import Logging
import MapReduce
import NIOCore

/// A master's network side: listens for workers and relays their messages
/// to the `Master` while jobs run, then tells the workers to exit.
public final class MasterServer: Sendable {
    /// The master whose workers this serves.
    public let master: Master
    private let listener: Listener
    private let secret: Secret
    private let logger: Logger

    /// The port workers connect to.
    public var port: Int { self.listener.boundPort ?? 0 }

    private init(master: Master, listener: Listener, secret: Secret, logger: Logger) {
        self.master = master
        self.listener = listener
        self.secret = secret
        self.logger = logger
    }

    /// Binds the control port (TLS with `security`, which the master's own fetches use too).
    public static func start(
        secret: Secret, listen: Endpoint, options: MasterOptions, security: TransportSecurity? = nil,
        metrics: MasterMetrics = MasterMetrics(), logger: Logger
    ) async throws -> MasterServer {
        let listener = try await Network.listen(on: listen, idleTimeout: .init(options.idleTimeout), security: security)
        let master = Master(options: options, logger: logger, metrics: metrics) { location, partition in
            do {
                _ = try await ShuffleClient.fetch(location, partition: partition, secret: secret, security: security) { _ in .discard }
                return nil
            } catch {
                return "\(error)"
            }
        }
        return MasterServer(master: master, listener: listener, secret: secret, logger: logger)
    }

    /// Serves workers while `body` runs jobs (with `runJob`), then tells them to exit.
    ///
    /// Cancelled, it aborts the running job (and any later one), so `body`
    /// returns without committing; then the workers are told to exit and given
    /// a few seconds to go, and only then does it return.
    public func serve<T: Sendable>(_ body: @Sendable (MasterServer) async throws -> T) async throws -> T {
        // Not a child task: cancelling the caller must not cut the workers off
        // before they have been told to exit.
        let serving = Task {
            await withDiscardingTaskGroup { group in
                group.addTask { await self.acceptWorkers() }
                group.addTask { await self.tick() }
                group.addTask { await self.flushMapOutputs() }
            }
        }
        let result: Result<T, any Error>
        do {
            let master = self.master
            result = .success(try await withTaskCancellationHandler {
                try await body(self)
            } onCancel: {
                Task { await master.abort("the master was stopped") }
            })
        } catch {
            result = .failure(error)
        }
        // Only now, with every output committed or removed, are the workers told to go.
        await self.stopWorkers(reason: (try? result.get()) == nil ? "the job failed" : "the job succeeded")
        serving.cancel()
        await serving.value
        return try result.get()
    }

    /// Runs one job on the workers: on success commits its output and returns
    /// its report; on failure removes what it wrote and throws. With `recovery`,
    /// goes on from where an earlier master of the job stopped.
    public func runJob(_ plan: JobPlan, progress: ProgressLine? = nil, recovery: JobRecovery? = nil) async throws -> JobReport {
        // Workers refuse task numbers beyond the protocol's limit.
        for (count, what) in [(plan.splits.count, "map tasks"), (plan.settings.partitions, "reduce tasks")] where count > PeerInputLimits.maxTasks {
            plan.committer.abort()
            throw JobError("the job has \(count) \(what); a cluster runs at most \(PeerInputLimits.maxTasks)")
        }
        progress?.begin()
        await self.master.begin(plan, recovery: recovery)
        let reporting = progress.map { progress in Task { await progress.run(self.master) } }
        let outcome = await self.master.outcome()
        reporting?.cancel()
        progress?.finish()
        do {
            switch outcome {
            case .succeeded(let report):
                // A stopped master commits nothing, even a job that has just finished.
                try Task.checkCancellation()
                await self.master.beginCommit()
                try plan.commit(report: report)
                return report
            case .failed(let message):
                throw JobError(message)
            }
        } catch {
            plan.committer.abort()
            throw error
        }
    }

    /// The slots of the workers registered now, once there is at least one
    /// (a job needs one anyway), at least 1; throws `CancellationError` if the master
    /// is stopped first (which aborts it).
    public func registeredSlots() async throws -> Int {
        let slots = await self.master.registeredSlots()
        try Task.checkCancellation()
        return max(1, slots)
    }

    /// Serves workers for the one job of `plan`.
    public func run(_ plan: JobPlan, progress: ProgressLine? = nil) async throws -> JobReport {
        try await self.serve { try await $0.runJob(plan, progress: progress) }
    }

    private func acceptWorkers() async {
        await Network.serve(self.listener, secret: self.secret, logger: self.logger, port: "control") { connection, channel in
            try await self.relay(&connection, channel)
        }
    }

    /// Lets the master look for silent workers and stragglers twice a second.
    private func tick() async {
        while (try? await Task.sleep(for: .milliseconds(500))) != nil {
            await self.master.tick()
        }
    }

    /// Sends where new map outputs are every 100 ms: reducers learn them soon, in few messages.
    private func flushMapOutputs() async {
        while (try? await Task.sleep(for: .milliseconds(100))) != nil {
            await self.master.flushMapOutputs()
        }
    }

    /// Tells the workers to exit and waits a little for them to go, cancelled or not.
    private func stopWorkers(reason: String) async {
        let master = self.master
        await Task {
            await master.shutdownWorkers(reason: reason)
            let deadline = ContinuousClock.now + .seconds(5)
            while await master.hasWorkers, ContinuousClock.now < deadline {
                try? await Task.sleep(for: .milliseconds(20))
            }
        }.value
    }

    /// Registers an authenticated worker, and relays its messages to the master and the master's to it.
    private func relay(_ connection: inout Connection, _ channel: FramedChannel) async throws {
        guard case .register(let registration) = try await connection.expect() else {
            throw ProtocolError("\(connection.peer) did not register")
        }
        let id = await self.master.register(registration, channel: channel.channel)
        var reason = "connection closed"
        do {
            while let message = try await connection.receive() { await self.master.received(message, from: id) }
        } catch {
            reason = "\(error)"
        }
        await self.master.lost(id, reason: reason)
    }
}
