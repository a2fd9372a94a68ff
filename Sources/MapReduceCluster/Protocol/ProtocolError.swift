/// A peer that broke the wire protocol, or could not be talked to.
public struct ProtocolError: Error, Hashable, CustomStringConvertible {
    /// The line the user sees.
    public var description: String

    /// Makes the error that `description` tells.
    public init(_ description: String) {
        self.description = description
    }

    static func frameTooLarge(length: Int, limit: Int) -> Self {
        Self("frame of \(length) bytes is larger than the limit of \(limit)")
    }

    static func unexpected(_ message: Message, expecting: String) -> Self {
        Self("expected \(expecting), got \(message.name)")
    }

    static let closed = Self("the connection closed")

    /// The server closed the connection before its challenge: busy (a flood evicted the
    /// connection from its handshake table), or speaking TLS to a client without it.
    static func closedBeforeHandshake(by peer: String) -> Self {
        Self("\(peer) closed the connection before the handshake: it may be busy, or TLS may be on at one end only")
    }
}
