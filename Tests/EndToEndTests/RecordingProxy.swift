import MapReduce
import NIOCore
import NIOPosix

/// A TCP proxy on a loopback address: forwards every connection to a target
/// and keeps every byte that passes, either way, as a packet capture would.
final class RecordingProxy: Sendable {
    private typealias Stream = NIOAsyncChannel<ByteBuffer, ByteBuffer>

    private let listener: NIOAsyncChannel<Stream, Never>
    private let recorded = Locked<[UInt8]>([])

    /// The port it listens on.
    var port: Int { self.listener.channel.localAddress?.port ?? 0 }

    /// Every byte that has passed so far.
    var bytes: [UInt8] { self.recorded.withLock { $0 } }

    /// Listens on `host`, port 0 (a free port).
    init(listeningOn host: String) async throws {
        self.listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: host, port: 0) { channel in
                channel.eventLoop.makeCompletedFuture { try Stream(wrappingChannelSynchronously: channel) }
            }
    }

    /// Forwards connections to `host:port` until cancelled; then the listener and every connection are closed.
    func run(forwardingTo host: String, port: Int) async {
        try? await self.listener.executeThenClose { inbound in
            try await withThrowingDiscardingTaskGroup { group in
                for try await client in inbound {
                    group.addTask { try? await self.relay(client, to: host, port: port) }
                }
            }
        }
    }

    /// Copies both ways until either end closes.
    private func relay(_ client: Stream, to host: String, port: Int) async throws {
        try await client.executeThenClose { clientInbound, clientOutbound in
            let server = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture { try Stream(wrappingChannelSynchronously: channel) }
            }
            try await server.executeThenClose { serverInbound, serverOutbound in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await self.copy(clientInbound, to: serverOutbound) }
                    group.addTask { try await self.copy(serverInbound, to: clientOutbound) }
                    _ = try await group.next()
                    group.cancelAll()
                }
            }
        }
    }

    private func copy(_ from: NIOAsyncChannelInboundStream<ByteBuffer>, to: NIOAsyncChannelOutboundWriter<ByteBuffer>) async throws {
        for try await buffer in from {
            self.recorded.withLock { $0 += buffer.readableBytesView }
            try await to.write(buffer)
        }
    }
}

extension [UInt8] {
    /// Whether `text`'s UTF-8 bytes appear in these bytes, anywhere.
    func containsText(_ text: String) -> Bool {
        let needle = Array(text.utf8)
        guard !needle.isEmpty, needle.count <= self.count else { return needle.isEmpty }
        return (0...(self.count - needle.count)).contains { start in self[start..<(start + needle.count)].elementsEqual(needle) }
    }
}
