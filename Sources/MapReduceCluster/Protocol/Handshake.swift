/// The challenge-response that opens every connection, control and shuffle
/// alike: both ends prove they hold the job's secret without sending it,
/// over fresh nonces, so a recorded answer cannot be replayed.
///
/// ```
/// server -> client  challenge    { version, nonce: S }
/// client -> server  authenticate { version, nonce: C, proof: HMAC(secret, "client|S|C") }
/// server -> client  welcome      { proof: HMAC(secret, "server|C|S") }
/// ```
public enum Handshake {
    /// The server's side: returns once the client has proven it holds the secret.
    public static func accept(_ connection: inout Connection, secret: Secret) async throws {
        let serverNonce = randomNonce()
        do {
            try await connection.send(.challenge(Challenge(version: ProtocolVersion.current, nonce: serverNonce)))
        } catch {
            // A connection whose TLS handshake failed is closed before anything can be sent:
            // why it failed is what reading it throws.
            _ = try await connection.receive()
            throw error
        }
        guard case .authenticate(let answer) = try await connection.expect() else {
            throw ProtocolError("\(connection.peer) did not authenticate")
        }
        try await Self.check(answer.version, of: &connection)
        guard answer.nonce.count == 64, secret.verifies(answer.proof, of: "client", serverNonce, answer.nonce) else {
            try? await connection.send(.error(ErrorMessage(message: "authentication failed: wrong secret")))
            throw ProtocolError("\(connection.peer) failed to authenticate (wrong secret)")
        }
        try await connection.send(.welcome(Welcome(proof: secret.proof("server", answer.nonce, serverNonce))))
    }

    /// The client's side: returns once the server has proven it holds the secret.
    public static func connect(_ connection: inout Connection, secret: Secret) async throws {
        let opening: Message
        do {
            opening = try await connection.expect()
        } catch let error as ProtocolError where error == .closed {
            throw ProtocolError.closedBeforeHandshake(by: connection.peer)
        }
        guard case .challenge(let challenge) = opening else {
            throw ProtocolError("\(connection.peer) did not start the handshake")
        }
        try await Self.check(challenge.version, of: &connection)
        let clientNonce = randomNonce()
        let proof = secret.proof("client", challenge.nonce, clientNonce)
        try await connection.send(.authenticate(Authenticate(version: ProtocolVersion.current, nonce: clientNonce, proof: proof)))
        let reply: Message
        do {
            reply = try await connection.expect()
        } catch let error as ProtocolError where error.description.contains("wrong secret") {
            throw ProtocolError("\(connection.peer) refused this process's secret: authentication failed")
        }
        guard case .welcome(let welcome) = reply, secret.verifies(welcome.proof, of: "server", clientNonce, challenge.nonce) else {
            throw ProtocolError("\(connection.peer) could not prove it holds the secret")
        }
    }

    /// Tells the peer, and throws, if it speaks another version of the protocol.
    private static func check(_ version: UInt16, of connection: inout Connection) async throws {
        guard version != ProtocolVersion.current else { return }
        let problem = "protocol version mismatch: this side speaks \(ProtocolVersion.current), the peer \(version)"
        try? await connection.send(.error(ErrorMessage(message: problem)))
        throw ProtocolError("\(connection.peer): \(problem)")
    }

    private static func randomNonce() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }.hexString
    }
}
