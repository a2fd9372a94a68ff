import Foundation
import Logging
import NIOCore
import Testing
import TestSupport

@testable import MapReduce
@testable import MapReduceCluster

/// Handshakes and shuffle fetches over real loopback connections.
@Suite(.timeLimit(.minutes(1)))
struct HandshakeAndShuffleTests {
    static let secret = try! Secret(bytes: Array("the right secret for tests".utf8))
    static let wrongSecret = try! Secret(bytes: Array("a wrong secret, also long".utf8))
    static let loopback = Endpoint(host: "127.0.0.1", port: 0)

    /// Accepts one connection (TLS with `security`) on a fresh port and runs `body` on it; returns the port and the server's task.
    static func serveOnce(
        security: TransportSecurity? = nil, _ body: @escaping @Sendable (inout Connection) async throws -> Void
    ) async throws -> (Int, Task<Void, any Error>) {
        let listener = try await Network.listen(on: loopback, security: security)
        let port = listener.boundPort!
        let task = Task {
            try await listener.executeThenClose { inbound in
                for try await accepted in inbound {
                    try await accepted.take().executeThenClose { inbound, outbound in
                        var connection = Connection(inbound, outbound, peer: "client")
                        try await body(&connection)
                    }
                    return
                }
            }
        }
        return (port, task)
    }

    static func client(_ port: Int) async throws -> FramedChannel {
        try await Network.connect(to: Endpoint(host: "127.0.0.1", port: port))
    }

    @Test func bothSidesProveTheyHoldTheSecret() async throws {
        let (port, server) = try await Self.serveOnce { try await Handshake.accept(&$0, secret: Self.secret) }
        try await Self.client(port).executeThenClose { inbound, outbound in
            var connection = Connection(inbound, outbound, peer: "server")
            try await Handshake.connect(&connection, secret: Self.secret)
        }
        try await server.value
    }

    @Test func aWrongSecretIsRefusedOnBothSides() async throws {
        let (port, server) = try await Self.serveOnce { try await Handshake.accept(&$0, secret: Self.secret) }
        await #expect(throws: ProtocolError("server refused this process's secret: authentication failed")) {
            try await Self.client(port).executeThenClose { inbound, outbound in
                var connection = Connection(inbound, outbound, peer: "server")
                try await Handshake.connect(&connection, secret: Self.wrongSecret)
            }
        }
        await #expect(throws: ProtocolError("client failed to authenticate (wrong secret)")) { try await server.value }
    }

    @Test func aDifferentProtocolVersionIsNamed() async throws {
        let (port, server) = try await Self.serveOnce { connection in
            try await connection.send(.challenge(Challenge(version: 99, nonce: String(repeating: "0", count: 64))))
            _ = try await connection.receive()
        }
        await #expect(throws: ProtocolError("server: protocol version mismatch: this side speaks \(ProtocolVersion.current), the peer 99")) {
            try await Self.client(port).executeThenClose { inbound, outbound in
                var connection = Connection(inbound, outbound, peer: "server")
                try await Handshake.connect(&connection, secret: Self.secret)
            }
        }
        try await server.value
    }

    @Test func aReplayedAnswerDoesNotAuthenticate() async throws {
        // Record a genuine answer to one challenge, then offer it to a fresh challenge.
        let recorded = Authenticate(
            version: ProtocolVersion.current, nonce: String(repeating: "1", count: 64),
            proof: Self.secret.proof("client", String(repeating: "2", count: 64), String(repeating: "1", count: 64)))
        let (port, server) = try await Self.serveOnce { try await Handshake.accept(&$0, secret: Self.secret) }
        try await Self.client(port).executeThenClose { inbound, outbound in
            var connection = Connection(inbound, outbound, peer: "server")
            _ = try await connection.expect()
            try await connection.send(.authenticate(recorded))
            _ = try? await connection.receive()
        }
        await #expect(throws: ProtocolError("client failed to authenticate (wrong secret)")) { try await server.value }
    }

    /// A map output file with three partitions, registered with a fresh shuffle service.
    static func shuffleWithOneOutput(
        _ directory: TemporaryDirectory, logger: Logger = Logger(label: "test")
    ) async throws -> (ShuffleServer, MapOutput, Task<Void, Never>) {
        var writer = try SpillWriter.create(path: "\(directory.path)/m.out", partitions: 3, compressionLevel: 1)
        for i in 0..<500 {
            try Array("key\(i)".utf8).withUnsafeBytes { key in
                try Array(repeating: UInt8(i % 256), count: i).withUnsafeBytes { try writer.append(partition: i * 3 / 500, key: key, value: $0) }
            }
        }
        let output = MapOutput(path: "\(directory.path)/m.out", index: try writer.finish())
        let shuffle = try await ShuffleServer(listen: loopback, secret: secret, logger: logger)
        shuffle.add(output, of: AttemptID(.map, task: 0, attempt: 1))
        return (shuffle, output, Task { await shuffle.run() })
    }

    @Test func fetchedSegmentsAreTheBytesOnDiskInMemoryOrInAFile() async throws {
        let directory = try TemporaryDirectory()
        let (shuffle, output, serving) = try await Self.shuffleWithOneOutput(directory)
        defer { serving.cancel() }
        let file = try Data(contentsOf: URL(fileURLWithPath: output.path))
        for partition in 0..<3 {
            let segment = output.index.segments[partition]
            let expected = Array(file[Int(segment.offset)..<Int(segment.offset + segment.length)])
            let location = MapOutputLocation(map: 0, attempt: AttemptID(.map, task: 0, attempt: 1), host: "127.0.0.1", port: shuffle.port)
            let inMemory = try await ShuffleClient.fetch(location, partition: partition, secret: Self.secret, security: nil) { _ in .memory }
            #expect(inMemory.source == .memory(expected))
            let path = "\(directory.path)/fetched\(partition)"
            let onDisk = try await ShuffleClient.fetch(location, partition: partition, secret: Self.secret, security: nil) { _ in .file(path) }
            #expect(onDisk.source == .file(path))
            #expect(Array(try Data(contentsOf: URL(fileURLWithPath: path))) == expected)
            #expect(onDisk.segment.records == segment.records)
        }
    }

    @Test func theShuffleServesNothingWithoutTheSecretOrForUnknownOutputs() async throws {
        let directory = try TemporaryDirectory()
        let (shuffle, _, serving) = try await Self.shuffleWithOneOutput(directory)
        defer { serving.cancel() }
        let known = MapOutputLocation(map: 0, attempt: AttemptID(.map, task: 0, attempt: 1), host: "127.0.0.1", port: shuffle.port)
        await #expect(throws: ProtocolError.self) {
            try await ShuffleClient.fetch(known, partition: 0, secret: Self.wrongSecret, security: nil) { _ in .memory }
        }
        var unknown = known
        unknown.attempt = AttemptID(.map, task: 7, attempt: 1)
        await #expect(throws: ProtocolError("shuffle service 127.0.0.1:\(shuffle.port) said: no output of m-00007-a1 on this worker")) {
            try await ShuffleClient.fetch(unknown, partition: 0, secret: Self.secret, security: nil) { _ in .memory }
        }
        await #expect(throws: ProtocolError("shuffle service 127.0.0.1:\(shuffle.port) said: m-00000-a1 has no partition 3")) {
            try await ShuffleClient.fetch(known, partition: 3, secret: Self.secret, security: nil) { _ in .memory }
        }
    }
}
