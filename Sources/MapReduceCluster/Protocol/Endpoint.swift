import Logging
import MapReduce
import NIOCore
import NIOPosix

/// A `HOST:PORT` address.
public struct Endpoint: Hashable, Sendable, Codable, CustomStringConvertible {
    /// A host name or an IP address.
    public var host: String
    /// The TCP port.
    public var port: Int

    /// Makes the address of `port` on `host`.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `HOST:PORT` (`[::1]:PORT` for IPv6).
    public init?(parsing text: String) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            return nil
        }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { return nil }
        self.init(host: host, port: port)
    }

    /// `HOST:PORT`, with an IPv6 address in brackets.
    public var description: String { self.host.contains(":") ? "[\(self.host)]:\(self.port)" : "\(self.host):\(self.port)" }
}

/// A framed, message-carrying TCP channel.
public typealias FramedChannel = NIOAsyncChannel<ByteBuffer, ByteBuffer>

/// An accepted connection, and the frame limit to raise once its peer has authenticated.
///
/// NIO traps when an open `NIOAsyncChannel` is dropped unfinished, and a
/// listener drops the connections it still holds when it closes (those queued,
/// and those whose set-up ends after it closed): so one dropped before `take()`
/// has its channel closed, through `executeThenClose`, by a task of its own.
public final class AcceptedChannel: Sendable {
    private let channel: FramedChannel
    let limit: FrameLimit
    private let taken = Locked(false)

    init(channel: FramedChannel, limit: FrameLimit) {
        self.channel = channel
        self.limit = limit
    }

    /// The connection, for the caller to close (with `executeThenClose`).
    public func take() -> FramedChannel {
        self.taken.withLock { $0 = true }
        return self.channel
    }

    /// Where the connection comes from.
    var remoteAddress: SocketAddress? { self.channel.channel.remoteAddress }

    /// Closes the connection, whoever holds it.
    func close() {
        self.channel.channel.close(promise: nil)
    }

    deinit {
        guard !self.taken.withLock({ $0 }) else { return }
        let channel = self.channel
        // The task holds the channel until it is closed; an error here means it was closed already.
        Task { try? await channel.executeThenClose { _, _ in } }
    }
}

/// A listening port's accepted connections.
public typealias Listener = NIOAsyncChannel<AcceptedChannel, Never>

/// Opens framed TCP listeners and connections.
public enum Network {
    /// Listens on `endpoint` (port 0 picks a free port). An accepted
    /// connection takes frames of at most 4 KiB until its peer has
    /// authenticated, and is closed after `idleTimeout` with nothing read or
    /// written (a peer that went silent, or stopped reading). With
    /// `security`, every connection is TLS.
    public static func listen(
        on endpoint: Endpoint, idleTimeout: TimeAmount = .seconds(60), security: TransportSecurity? = nil,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> Listener {
        do {
            return try await ServerBootstrap(group: group)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .serverChannelOption(.backlog, value: HandshakeAdmission.backlog)
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                .bind(host: endpoint.host, port: endpoint.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try security?.secureAccepted(channel)
                        try channel.pipeline.syncOperations.addHandler(IdleStateHandler(allTimeout: idleTimeout))
                        try channel.pipeline.syncOperations.addHandler(CloseWhenIdle())
                        let limit = FrameLimit(FrameLimits.unauthenticatedFrameLength)
                        return AcceptedChannel(channel: try Self.framed(channel, limit: limit), limit: limit)
                    }
                }
        } catch {
            throw ProtocolError("cannot listen on \(endpoint): \(error)")
        }
    }

    /// Connects to `endpoint`; with `readTimeout`, the connection closes when
    /// the peer sends nothing for that long (a frozen or vanished peer). With
    /// `security`, the connection is TLS.
    public static func connect(
        to endpoint: Endpoint, readTimeout: TimeAmount? = nil, security: TransportSecurity? = nil,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> FramedChannel {
        try await ClientBootstrap(group: group)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connectTimeout(.seconds(5))
            .connect(host: endpoint.host, port: endpoint.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try security?.secureOutgoing(channel)
                    if let readTimeout {
                        try channel.pipeline.syncOperations.addHandler(IdleStateHandler(readTimeout: readTimeout))
                        try channel.pipeline.syncOperations.addHandler(CloseWhenIdle())
                    }
                    return try Self.framed(channel)
                }
            }
    }

    private static func framed(_ channel: any Channel, limit: FrameLimit = FrameLimit(FrameLimits.maxFrameLength)) throws -> FramedChannel {
        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(FrameDecoder(limit: limit)))
        try channel.pipeline.syncOperations.addHandler(FrameEncoder())
        return try FramedChannel(wrappingChannelSynchronously: channel)
    }
}

extension Network {
    /// Accepts connections on `listener` until cancelled. Each peer must pass
    /// the handshake within `HandshakeAdmission.deadline`, and waits for it
    /// in a `HandshakeGate` (which evicts the oldest waiting connection when
    /// it is full); then `body` has the connection. A connection that fails
    /// is logged and closed.
    static func serve(
        _ listener: Listener, secret: Secret, logger: Logger, port name: String,
        _ body: @escaping @Sendable (inout Connection, FramedChannel) async throws -> Void
    ) async {
        do {
            let admission = HandshakeAdmission(logger: logger, port: name)
            try await listener.executeThenClose { inbound in
                try await withThrowingDiscardingTaskGroup { group in
                    for try await accepted in inbound {
                        await admission.waitForRoom()
                        // Refused, it is dropped untaken and closed at once.
                        guard let ticket = admission.admit(accepted) else { continue }
                        group.addTask {
                            await self.authenticate(accepted, ticket: ticket, admission: admission, secret: secret, logger: logger, port: name, body)
                        }
                    }
                }
            }
        } catch {
            if !Task.isCancelled { logger.error("\(name) port failed", metadata: ["error": "\(error)"]) }
        }
    }

    /// Runs the handshake (telling `admission` how it ended), then `body`.
    private static func authenticate(
        _ accepted: AcceptedChannel, ticket: HandshakeAdmission.Ticket, admission: HandshakeAdmission, secret: Secret, logger: Logger,
        port name: String, _ body: @Sendable (inout Connection, FramedChannel) async throws -> Void
    ) async {
        var authenticated = false
        let channel = accepted.take()
        let peer = channel.channel.remoteAddress?.description ?? "unknown peer"
        do {
            try await channel.executeThenClose { inbound, outbound in
                var connection = Connection(inbound, outbound, peer: peer)
                let deadline = channel.channel.eventLoop.scheduleTask(in: HandshakeAdmission.deadline) { channel.channel.close(promise: nil) }
                try await Handshake.accept(&connection, secret: secret)
                deadline.cancel()
                authenticated = true
                admission.authenticated(ticket)
                accepted.limit.raise(to: FrameLimits.maxFrameLength)
                try await body(&connection, channel)
            }
        } catch where authenticated {
            logger.warning("\(name) connection ended", metadata: ["peer": "\(peer)", "error": "\(error)"])
        } catch {
            admission.failed(ticket, peer: peer, error: error)
        }
    }
}

extension NIOAsyncChannel {
    /// The port the channel is bound to.
    public var boundPort: Int? { self.channel.localAddress?.port }
}

/// Closes a channel whose `IdleStateHandler` reports that nothing was read for too long.
final class CloseWhenIdle: ChannelInboundHandler, Sendable {
    typealias InboundIn = NIOAny

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }
}
