import Foundation
import Hummingbird
import Logging
import MapReduce
import MapReduceCluster
import NIOCore
import Prometheus
import ServiceLifecycle

/// An HTTP server for watching a master or a worker, read-only: `/metrics`
/// in the Prometheus text format, and for a master its job's page (`/`)
/// and the JSON behind it (`/api/v1/job`, `/api/v1/workers`, `/api/v1/attempts`;
/// see docs/web.md). With a token, every request must carry it, as
/// `?token=` or `Authorization: Bearer`.
public final class StatusServer: Sendable {
    /// The address it listens on, with the port it got.
    public let endpoint: Endpoint
    private let logger: Logger
    private let group: ServiceGroup
    private let running: Task<Void, any Error>

    private init(endpoint: Endpoint, logger: Logger, group: ServiceGroup, running: Task<Void, any Error>) {
        self.endpoint = endpoint
        self.logger = logger
        self.group = group
        self.running = running
    }

    /// The address of `path` on this server, with `token` if given.
    public func address(path: String, token: String?) -> String {
        "http://\(self.endpoint)/\(path)" + (token.map { "?token=\(StatusAccess.percentEncoded($0))" } ?? "")
    }

    /// Starts serving `master`'s page and `metrics` on `listen` (port 0 picks a free port).
    public static func start(
        listen: Endpoint, access: StatusAccess, master: Master?, metrics: PrometheusCollectorRegistry, logger: Logger
    ) async throws -> StatusServer {
        let router = Router()
        router.add(middleware: access)
        router.get("metrics") { _, _ -> Response in
            await master?.refreshMetrics()
            return Self.response(metrics.emitToBuffer(), contentType: "text/plain; version=0.0.4; charset=utf-8")
        }
        if let master {
            let snapshots = SnapshotCache(master: master)
            let page = Array(JobPage.live.utf8)
            router.get("/") { _, _ in Self.response(page, contentType: "text/html; charset=utf-8") }
            router.get("api/v1/job") { _, _ in try await Self.json(snapshots.latest().job) }
            router.get("api/v1/workers") { _, _ in try await Self.json(snapshots.latest().workers) }
            router.get("api/v1/attempts") { request, _ in
                let attempts = try await snapshots.latest().attempts
                guard let filter = request.uri.queryParameters["state"].map(String.init) else { return try Self.json(attempts) }
                guard let state = JobReport.Attempt.State(rawValue: filter) else {
                    throw HTTPError(.badRequest, message: "state must be one of running, succeeded, failed, killed")
                }
                return try Self.json(attempts.filter { $0.state == state })
            }
        }
        let (ports, announce) = AsyncStream<Int>.makeStream()
        var quiet = logger
        quiet.logLevel = max(logger.logLevel, .warning)
        let application = Application(
            router: router, configuration: .init(address: .hostname(listen.host, port: listen.port), serverName: nil),
            onServerRunning: { channel in announce.yield(channel.localAddress?.port ?? 0) }, logger: quiet)
        let group = ServiceGroup(configuration: .init(services: [application], gracefulShutdownSignals: [], logger: quiet))
        let running = Task {
            defer { announce.finish() }
            try await group.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            try await running.value
            throw StatusServerError(listen: listen)
        }
        return StatusServer(endpoint: Endpoint(host: listen.host, port: port), logger: logger, group: group, running: running)
    }

    /// Stops serving, letting requests in flight finish, and waits until it has.
    public func stop() async {
        await self.group.triggerGracefulShutdown()
        if case .failure(let error) = await self.running.result {
            self.logger.warning("the web server stopped with an error", metadata: ["error": "\(error)"])
        }
    }

    private static func response(_ bytes: [UInt8], contentType: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: contentType, .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    private static func json(_ value: some Encodable) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return self.response(Array(try encoder.encode(value)), contentType: "application/json")
    }
}

/// The server stopped before it listened.
public struct StatusServerError: Error, CustomStringConvertible {
    let listen: Endpoint
    /// `the web server could not listen on` and the address.
    public var description: String { "the web server could not listen on \(self.listen)" }
}

/// Builds the master's snapshot at most once a second, however many pages
/// poll, so that watching a job takes little of the master's time: requests
/// that come while one is being built wait for it.
private actor SnapshotCache {
    private let master: Master
    private var last: (snapshot: Task<JobSnapshot?, Never>, at: ContinuousClock.Instant)?
    private static let interval: Duration = .seconds(1)

    init(master: Master) {
        self.master = master
    }

    func latest() async throws -> JobSnapshot {
        if self.last == nil || ContinuousClock.now - self.last!.at >= Self.interval {
            let master = self.master
            self.last = (Task { await master.snapshot() }, .now)
        }
        guard let snapshot = await self.last!.snapshot.value else {
            throw HTTPError(.serviceUnavailable, message: "no job has started yet")
        }
        return snapshot
    }
}
