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

    static let samples: [Message] = [
        .challenge(Challenge(version: 1, nonce: "ab")),
        .authenticate(Authenticate(version: 1, nonce: "cd", proof: "ef")),
        .welcome(Welcome(proof: "01")),
        .error(ErrorMessage(message: "no")),
        .register(Register(shuffleHost: "10.0.0.2", shufflePort: 4000, slots: 2, hostName: "h", processID: 42)),
        .heartbeat(Heartbeat()),
        .taskSucceeded(TaskSucceeded(attempt: AttemptID(.reduce, task: 0, attempt: 2), counters: Counters(), outputPath: "/o/p")),
        .taskFailed(TaskFailed(attempt: AttemptID(.map, task: 1, attempt: 1), message: "boom", record: 3)),
        .fetchFailed(FetchFailed(reduceAttempt: AttemptID(.reduce, task: 1, attempt: 1), mapAttempt: AttemptID(.map, task: 0, attempt: 1), host: "127.0.0.1", port: 9, message: "refused", corrupt: false)),
        .runMap(RunMap(task: MapTask(id: AttemptID(.map, task: 0, attempt: 1), split: InputSplit(path: "a", start: 5, length: 10)))),
        .runReduce(RunReduce(attempt: AttemptID(.reduce, task: 4, attempt: 1), mapCount: 9)),
        .mapOutputs(MapOutputs(reduceAttempt: AttemptID(.reduce, task: 4, attempt: 1), locations: [
            MapOutputLocation(map: 0, attempt: AttemptID(.map, task: 0, attempt: 1), host: "h", port: 1),
        ])),
        .killTask(KillTask(attempt: AttemptID(.map, task: 0, attempt: 1))),
        .shutdown(Shutdown(reason: "done")),
        .fetch(Fetch(mapAttempt: AttemptID(.map, task: 0, attempt: 1), partition: 3)),
        .segmentHeader(SegmentHeader(segment: Segment(offset: 0, length: 10, rawLength: 20, records: 2, crc32: 99))),
        .segmentChunk(ByteBuffer(bytes: [0, 1, 2, 255])),
        .segmentEnd,
    ]

    @Test(arguments: samples)
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
