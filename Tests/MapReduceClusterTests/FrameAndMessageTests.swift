import MapReduce
import NIOCore
import NIOEmbedded
import Testing

@testable import MapReduceCluster

@Suite struct FrameAndMessageTests {
    @Test func framesAreReassembledFromAnySplitOfTheStream() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(FrameDecoder(maxFrameLength: 100)))
        var stream = ByteBuffer()
        let payloads: [[UInt8]] = [[], [1], Array(repeating: 7, count: 100), [1, 2, 3]]
        for payload in payloads {
            stream.writeInteger(UInt32(payload.count))
            stream.writeBytes(payload)
        }
        // Feed the stream a byte or three at a time.
        while stream.readableBytes > 0 {
            try channel.writeInbound(stream.readSlice(length: min(3, stream.readableBytes))!)
        }
        var received: [[UInt8]] = []
        while let frame = try channel.readInbound(as: ByteBuffer.self) { received.append(Array(frame.readableBytesView)) }
        #expect(received == payloads)
    }

    @Test func anOversizedFrameIsRefusedBeforeItsPayloadArrives() {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(FrameDecoder(maxFrameLength: 16)))
        var header = ByteBuffer()
        header.writeInteger(UInt32(1 << 20))
        #expect(throws: ProtocolError.frameTooLarge(length: 1 << 20, limit: 16)) { try channel.writeInbound(header) }
    }

    @Test(arguments: MessageSamples.all)
    func messagesSurviveEncodingAndDecoding(message: Message) throws {
        #expect(try Message(decoding: message.encoded()) == message)
    }

    @Test func unknownAndMalformedMessagesAreErrors() {
        #expect(throws: ProtocolError("empty frame")) { try Message(decoding: ByteBuffer()) }
        #expect(throws: ProtocolError("unknown message type 200")) { try Message(decoding: ByteBuffer(bytes: [200])) }
        #expect(throws: ProtocolError("malformed register message")) {
            try Message(decoding: ByteBuffer(bytes: [10] + Array("{\"slots\":\"many\"}".utf8)))
        }
    }
}
