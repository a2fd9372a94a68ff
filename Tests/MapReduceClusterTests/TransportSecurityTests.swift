import Foundation
import NIOCore
import Testing
import TestSupport

@testable import MapReduceCluster

/// Mutual TLS under the handshake, over real loopback connections.
@Suite(.timeLimit(.minutes(1)))
struct TransportSecurityTests {
    static let secret = try! Secret(bytes: Array("the right secret for tests".utf8))

    /// Two CAs, each with a certificate it signed, as files.
    static func authorities(in directory: TemporaryDirectory) throws -> (cluster: TLSFiles, other: TLSFiles) {
        (try ThrowawayCertificates().write(in: "\(directory.path)/cluster"), try ThrowawayCertificates().write(in: "\(directory.path)/other"))
    }

    /// Accepts one TLS connection, runs the handshake and echoes one message back; returns the port and the server's task.
    static func serveOnce(_ security: TransportSecurity) async throws -> (Int, Task<Void, any Error>) {
        try await HandshakeAndShuffleTests.serveOnce(security: security) { connection in
            try await Handshake.accept(&connection, secret: Self.secret)
            try await connection.send(try await connection.expect())
        }
    }

    /// Connects with `security`, runs the handshake, and returns what the server echoes of a heartbeat.
    static func echo(port: Int, _ security: TransportSecurity) async throws -> Message {
        try await Network.connect(to: Endpoint(host: "127.0.0.1", port: port), security: security).executeThenClose { inbound, outbound in
            var connection = Connection(inbound, outbound, peer: "server")
            try await Handshake.connect(&connection, secret: Self.secret)
            try await connection.send(.heartbeat(Heartbeat()))
            return try await connection.expect()
        }
    }

    @Test func peersWithCertificatesOfTheSameCATalk() async throws {
        let directory = try TemporaryDirectory()
        let security = try TransportSecurity(files: try Self.authorities(in: directory).cluster)
        let (port, server) = try await Self.serveOnce(security)
        let echoed = try await Self.echo(port: port, security)
        guard case .heartbeat = echoed else { Issue.record("echoed \(echoed.name)"); return }
        try await server.value
    }

    @Test func aClientWithACertificateOfAnotherCAIsRefusedAndSaysSo() async throws {
        let directory = try TemporaryDirectory()
        let (cluster, other) = try Self.authorities(in: directory)
        let (port, server) = try await Self.serveOnce(try TransportSecurity(files: cluster))
        var mixed = other
        mixed.ca = cluster.ca
        let clientError = await #expect(throws: TransportSecurityError.self) { try await Self.echo(port: port, try TransportSecurity(files: mixed)) }
        #expect(clientError?.description.hasPrefix("server refused this process's certificate") == true, "\(String(describing: clientError))")
        let serverError = await #expect(throws: TransportSecurityError.self) { try await server.value }
        #expect(
            serverError?.description == "certificate verify failed: client presented a certificate that the CA of --tls-ca did not sign",
            "\(String(describing: serverError))")
    }

    @Test func aClientThatDoesNotTrustTheServersCASaysSo() async throws {
        let directory = try TemporaryDirectory()
        let (cluster, other) = try Self.authorities(in: directory)
        let (port, server) = try await Self.serveOnce(try TransportSecurity(files: cluster))
        let clientError = await #expect(throws: TransportSecurityError.self) { try await Self.echo(port: port, try TransportSecurity(files: other)) }
        #expect(
            clientError?.description == "certificate verify failed: server presented a certificate that the CA of --tls-ca did not sign",
            "\(String(describing: clientError))")
        let serverError = await #expect(throws: TransportSecurityError.self) { try await server.value }
        #expect(serverError?.description.hasPrefix("client refused this process's certificate") == true, "\(String(describing: serverError))")
    }

    @Test func badFilesAreNamed() throws {
        let directory = try TemporaryDirectory()
        let (cluster, other) = try Self.authorities(in: directory)
        var missing = cluster
        missing.certificate = "\(directory.path)/nowhere.pem"
        do {
            _ = try TransportSecurity(files: missing)
            Issue.record("a missing certificate file was taken")
        } catch {
            #expect(error.description.hasPrefix("cannot read a PEM certificate from --tls-cert \(directory.path)/nowhere.pem"))
        }
        var wrongKey = cluster
        wrongKey.key = other.key
        do {
            _ = try TransportSecurity(files: wrongKey)
            Issue.record("a key that is not the certificate's was taken")
        } catch {
            #expect(error.description == "cannot set up TLS with \(cluster.certificate), \(other.key) and \(cluster.ca): --tls-key is not the key of --tls-cert")
        }
        // The files are this user's alone.
        let mode = try FileManager.default.attributesOfItem(atPath: cluster.key)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }
}
