import Foundation
import Logging
import MapReduce
import Testing
import TestSupport

@testable import MapReduceCluster

/// Handshakes under a flood: a shuffle service whose handshake is kept full by connections that
/// never answer, and clients that try again when a server closes the connection before answering.
@Suite(.timeLimit(.minutes(1)))
struct HandshakeFloodTests {
    /// Serves one connection after another on a fresh port: `serve(n, connection)` for the n-th (from 0).
    static func serve(
        _ serve: @escaping @Sendable (Int, FramedChannel) async throws -> Void
    ) async throws -> (port: Int, Task<Void, any Error>) {
        let listener = try await Network.listen(on: Endpoint(host: "127.0.0.1", port: 0))
        let port = listener.boundPort!
        let task = Task {
            try await listener.executeThenClose { inbound in
                var count = 0
                for try await accepted in inbound {
                    try await serve(count, accepted.take())
                    count += 1
                }
            }
        }
        return (port, task)
    }

    @Test func aClientTriesAgainWhenTheServerClosesBeforeItsFirstAnswer() async throws {
        let served = Locked(0)
        // The first two connections are closed at once, as an evicted one is; the third is answered.
        let (port, server) = try await Self.serve { count, channel in
            served.withLock { $0 = count + 1 }
            try await channel.executeThenClose { inbound, outbound in
                guard count >= 2 else { return }
                var connection = Connection(inbound, outbound, peer: "client")
                try await Handshake.accept(&connection, secret: HandshakeAndShuffleTests.secret)
                guard case .heartbeat = try await connection.expect() else { return }
                try await connection.send(.shutdown(Shutdown(reason: "answered")))
            }
        }
        defer { server.cancel() }
        let answer = try await Network.withAuthenticatedConnection(
            dial: { try await Network.connect(to: Endpoint(host: "127.0.0.1", port: port)) }, secret: HandshakeAndShuffleTests.secret,
            peer: "server", patience: .seconds(30)
        ) { connection in
            try await connection.send(.heartbeat(Heartbeat()))
            return try await connection.expect()
        } then: { _, answer, _ in
            answer
        }
        #expect(answer == .shutdown(Shutdown(reason: "answered")))
        #expect(served.withLock { $0 } == 3)
    }

    @Test func aClientRefusedForItsSecretDoesNotTryAgain() async throws {
        let served = Locked(0)
        let (port, server) = try await Self.serve { count, channel in
            served.withLock { $0 = count + 1 }
            try await channel.executeThenClose { inbound, outbound in
                var connection = Connection(inbound, outbound, peer: "client")
                try? await Handshake.accept(&connection, secret: HandshakeAndShuffleTests.secret)
            }
        }
        defer { server.cancel() }
        await #expect(throws: ProtocolError("server refused this process's secret: authentication failed")) {
            try await Network.withAuthenticatedConnection(
                dial: { try await Network.connect(to: Endpoint(host: "127.0.0.1", port: port)) }, secret: HandshakeAndShuffleTests.wrongSecret,
                peer: "server", patience: .seconds(30)
            ) { _ in } then: { _, _, _ in }
        }
        #expect(served.withLock { $0 } == 1)
    }

    @Test func aFetchWithTheSecretGetsThroughAHandshakeKeptFull() async throws {
        let directory = try TemporaryDirectory()
        let logged = Locked<[String]>([])
        let logger = Logger(label: "test") { _ in RecordingLogHandler(lines: logged) }
        let (shuffle, output, serving) = try await HandshakeAndShuffleTests.shuffleWithOneOutput(directory, logger: logger)
        defer { serving.cancel() }
        let file = try Data(contentsOf: URL(fileURLWithPath: output.path))
        let segment = output.index.segments[1]
        let location = MapOutputLocation(map: 0, attempt: AttemptID(.map, task: 0, attempt: 1), host: "127.0.0.1", port: shuffle.port)
        // More silent connections than the table holds, each the service closes replaced at once.
        let (fetched, _) = try await ConnectionFlood.during(ports: [shuffle.port], held: HandshakeAdmission.capacity + 64) { _ in
            try await eventually("the handshake table full", timeout: 30) {
                logged.withLock { $0.contains { $0.contains("the handshake is full; the oldest waiting connections are evicted") } }
            }
            return try await ShuffleClient.fetch(location, partition: 1, secret: HandshakeAndShuffleTests.secret, security: nil) { _ in .memory }
        }
        #expect(fetched.source == .memory(Array(file[Int(segment.offset)..<Int(segment.offset + segment.length)])))
    }
}

/// Keeps every line logged through it, with its metadata.
private struct RecordingLogHandler: LogHandler {
    let lines: Locked<[String]>
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { self.metadata[key] }
        set { self.metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        self.lines.withLock { $0.append("\(event.message) \(event.metadata ?? [:])") }
    }
}
