import NIOCore
import Synchronization

/// Splits a byte stream into `| length: u32 | payload |` frames, refusing
/// an oversized length before buffering any of its payload.
public struct FrameDecoder: ByteToMessageDecoder {
    /// A frame's payload.
    public typealias InboundOut = ByteBuffer

    /// The largest frame accepted; a listener raises it once the peer has authenticated.
    public let limit: FrameLimit

    /// Makes a decoder that refuses frames longer than `maxFrameLength`.
    public init(maxFrameLength: Int = FrameLimits.maxFrameLength) {
        self.init(limit: FrameLimit(maxFrameLength))
    }

    /// Makes a decoder that refuses frames longer than `limit` allows when they arrive.
    public init(limit: FrameLimit) {
        self.limit = limit
    }

    /// Passes on each whole frame's payload; throws at a length over the limit.
    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt32.self) else { return .needMoreData }
        let limit = self.limit.bytes
        guard Int(length) <= limit else { throw ProtocolError.frameTooLarge(length: Int(length), limit: limit) }
        guard let frame = buffer.readLengthPrefixedSlice(as: UInt32.self) else { return .needMoreData }
        context.fireChannelRead(Self.wrapInboundOut(frame))
        return .continue
    }
}

/// Writes each outbound buffer as one `| length: u32 | payload |` frame: the length, then the
/// payload as it is, not copied (a message sent alike to many peers is one buffer for all).
public final class FrameEncoder: ChannelOutboundHandler {
    /// A payload to send.
    public typealias OutboundIn = ByteBuffer
    /// The length, then the payload.
    public typealias OutboundOut = ByteBuffer

    /// Makes an encoder.
    public init() {}

    /// Writes the payload's length, then the payload.
    public func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let payload = self.unwrapOutboundIn(data)
        var length = context.channel.allocator.buffer(capacity: 4)
        length.writeInteger(UInt32(payload.readableBytes))
        context.write(self.wrapOutboundOut(length), promise: nil)
        context.write(self.wrapOutboundOut(payload), promise: promise)
    }
}

/// The largest frame one connection accepts, which can change while it is open.
public final class FrameLimit: Sendable {
    private let value: Atomic<Int>

    /// Makes a limit of `bytes`.
    public init(_ bytes: Int) {
        self.value = Atomic(bytes)
    }

    /// The limit now, in bytes.
    public var bytes: Int { self.value.load(ordering: .relaxed) }

    func raise(to bytes: Int) {
        self.value.store(bytes, ordering: .relaxed)
    }
}

/// The sizes the wire protocol allows.
public enum FrameLimits {
    /// The largest frame a peer may send: 64 MiB.
    public static let maxFrameLength = 64 << 20
    /// The largest frame a peer may send before it has authenticated: 4 KiB (the handshake's are under 400 bytes).
    public static let unauthenticatedFrameLength = 4 << 10
    /// How much of a shuffled segment goes in one frame.
    static let segmentChunkLength = 1 << 20
}

@available(*, unavailable)
extension FrameDecoder: Sendable {}
