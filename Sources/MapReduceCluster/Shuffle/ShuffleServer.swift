import Logging
import MapReduce
import NIOCore
/// A worker's shuffle service: serves partitions of the map outputs this
/// worker holds to reducers on other workers, after the same handshake as
/// every connection. A request names a map attempt, never a path, so
/// nothing outside the registered outputs can be read.
public final class ShuffleServer: Sendable {
    private let listener: Listener
    private let secret: Secret
    private let logger: Logger
    private let metrics: WorkerMetrics
    private let outputs = Locked<[AttemptID: MapOutput]>([:])

    /// The port reducers fetch from.
    public var port: Int { self.listener.boundPort ?? 0 }

    /// Binds the shuffle port (TLS with `security`).
    public init(
        listen: Endpoint, secret: Secret, idleTimeout: Duration = .seconds(60), security: TransportSecurity? = nil,
        metrics: WorkerMetrics = WorkerMetrics(), logger: Logger
    ) async throws {
        self.listener = try await Network.listen(on: listen, idleTimeout: .init(idleTimeout), security: security)
        self.secret = secret
        self.metrics = metrics
        self.logger = logger
    }

    /// Makes `output` fetchable as the output of `attempt`.
    public func add(_ output: MapOutput, of attempt: AttemptID) {
        self.outputs.withLock { $0[attempt] = output }
    }

    /// The attempts whose outputs it serves.
    public var attempts: [AttemptID] {
        self.outputs.withLock { $0.keys.sorted() }
    }

    /// Forgets every map output (a new job has begun).
    public func removeAll() {
        self.outputs.withLock { $0 = [:] }
    }

    /// Serves fetches until cancelled.
    public func run() async {
        await Network.serve(self.listener, secret: self.secret, logger: self.logger, port: "shuffle") { connection, _ in
            while let message = try await connection.receive() {
                guard case .fetch(let request) = message else { throw ProtocolError.unexpected(message, expecting: "fetch") }
                try await self.send(request, over: connection)
            }
        }
    }

    /// Sends the requested segment as a header, chunks of at most 1 MiB, and an end marker.
    private func send(_ request: Fetch, over connection: Connection) async throws {
        guard let output = self.outputs.withLock({ $0[request.mapAttempt] }) else {
            try await connection.send(.error(ErrorMessage(message: "no output of \(request.mapAttempt) on this worker")))
            return
        }
        guard (0..<output.index.segments.count).contains(request.partition) else {
            try await connection.send(.error(ErrorMessage(message: "\(request.mapAttempt) has no partition \(request.partition)")))
            return
        }
        let segment = output.index.segments[request.partition]
        let file = try OpenFile(path: output.path)
        try await connection.send(.segmentHeader(SegmentHeader(segment: segment)))
        var sent: Int64 = 0
        while sent < segment.length {
            let size = Int(min(Int64(FrameLimits.segmentChunkLength), segment.length - sent))
            var chunk = ByteBuffer()
            let read = try chunk.writeWithUnsafeMutableBytes(minimumWritableBytes: size) { buffer in
                try file.descriptor.read(at: segment.offset + sent, into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<size]))
            }
            guard read == size else { throw SpillFormatError(.truncated, "\(output.path) ends inside partition \(request.partition)") }
            try await connection.send(.segmentChunk(chunk))
            sent += Int64(size)
        }
        try await connection.send(.segmentEnd)
        self.metrics.served(segment.length)
    }
}
