import NIOCore

extension Network {
    /// Opens a connection with `dial`, passes the handshake as the client and
    /// runs `opening` (the first request and its answer); then `body` has the
    /// connection and what `opening` returned.
    ///
    /// A server that closes the connection before `opening` is done has most
    /// likely evicted it from a handshake table that a flood of other
    /// connections keeps full (see `HandshakeGate`): the whole is tried again
    /// at once, then after 20 ms, doubling up to 0.32 s, for as long as
    /// `patience` from the start. Other errors, and any once `opening` is done,
    /// are thrown.
    static func withAuthenticatedConnection<Opened, T>(
        dial: () async throws -> FramedChannel, secret: Secret, peer: String, patience: Duration,
        opening: (inout Connection) async throws -> Opened,
        then body: (inout Connection, Opened, FramedChannel) async throws -> T
    ) async throws -> T {
        let deadline = ContinuousClock.now + patience
        var tries = 0
        while true {
            let channel = try await dial()
            var opened = false
            do {
                return try await channel.executeThenClose { inbound, outbound in
                    var connection = Connection(inbound, outbound, peer: peer)
                    try await Handshake.connect(&connection, secret: secret)
                    let first = try await opening(&connection)
                    opened = true
                    return try await body(&connection, first, channel)
                }
            } catch where !opened && Self.closedByServer(error, peer: peer) && ContinuousClock.now < deadline {
                if tries > 0 { try await Task.sleep(for: .milliseconds(10 << min(tries, 5))) }
                tries += 1
            }
        }
    }

    /// Whether `error` says the server closed (or reset) the connection, rather than refused what was said
    /// (a wrong secret, a certificate of another CA).
    private static func closedByServer(_ error: any Error, peer: String) -> Bool {
        switch error {
        case let error as ProtocolError: error == .closed || error == .closedBeforeHandshake(by: peer)
        case let error as TransportSecurityError: error.closedInHandshake
        default: !(error is CancellationError)
        }
    }
}
