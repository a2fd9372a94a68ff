import NIOCore

/// Splits a byte stream into `| length: u32 | payload |` frames, refusing
/// an oversized length before buffering any of its payload.
public struct FrameDecoder: ByteToMessageDecoder {
    public typealias InboundOut = ByteBuffer

    public let maxFrameLength: Int

    public init(maxFrameLength: Int = FrameLimits.maxFrameLength) {
        self.maxFrameLength = maxFrameLength
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt32.self) else { return .needMoreData }
        guard Int(length) <= self.maxFrameLength else {
            throw ProtocolError.frameTooLarge(length: Int(length), limit: self.maxFrameLength)
        }
        guard let frame = buffer.readLengthPrefixedSlice(as: UInt32.self) else { return .needMoreData }
        context.fireChannelRead(Self.wrapInboundOut(frame))
        return .continue
    }
}

/// Writes each outbound buffer as one `| length: u32 | payload |` frame.
public struct FrameEncoder: MessageToByteEncoder {
    public typealias OutboundIn = ByteBuffer

    public init() {}

    public func encode(data: ByteBuffer, out: inout ByteBuffer) throws {
        out.writeInteger(UInt32(data.readableBytes))
        out.writeImmutableBuffer(data)
    }
}

/// The sizes the wire protocol allows.
public enum FrameLimits {
    /// The largest frame a peer may send: 64 MiB.
    public static let maxFrameLength = 64 << 20
    /// How much of a shuffled segment goes in one frame.
    static let segmentChunkLength = 1 << 20
}

@available(*, unavailable)
extension FrameDecoder: Sendable {}
