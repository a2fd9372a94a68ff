import NIOCore

/// One connection's frames as messages: receive and send.
public struct Connection {
    private var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    /// Where frames to the peer are written.
    public let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    /// Who is at the other end, for logs.
    public let peer: String

    /// Reads messages from `channel` and sends them through `outbound`; `peer` names the other end in logs.
    public init(_ channel: NIOAsyncChannelInboundStream<ByteBuffer>, _ outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>, peer: String) {
        self.inbound = channel.makeAsyncIterator()
        self.outbound = outbound
        self.peer = peer
    }

    /// The next message, or nil when the peer closed the connection.
    public mutating func receive() async throws -> Message? {
        guard let frame = try await self.receiveFrame() else { return nil }
        return try Message(decoding: frame)
    }

    /// The next frame's payload, not yet decoded, or nil when the peer closed the connection.
    public mutating func receiveFrame() async throws -> ByteBuffer? {
        do {
            return try await self.inbound.next()
        } catch {
            throw TransportSecurityError.explaining(error, peer: self.peer)
        }
    }

    /// The next message; a closed connection is an error.
    public mutating func expect() async throws -> Message {
        guard let message = try await self.receive() else { throw ProtocolError.closed }
        if case .error(let error) = message { throw ProtocolError("\(self.peer) said: \(error.message)") }
        return message
    }

    /// Sends `message` as one frame.
    public func send(_ message: Message) async throws {
        do {
            try await self.outbound.write(message.encoded())
        } catch {
            throw TransportSecurityError.explaining(error, peer: self.peer)
        }
    }
}
