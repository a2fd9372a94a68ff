import Foundation
import MapReduce
import NIOCore
import Testing

@testable import MapReduceCluster

/// The hand-written JSON of the busiest messages (`JSONWriter` for `runMap` and `mapOutputs`, `JSONReader`
/// for what workers send most) against Foundation's `JSONEncoder` and `JSONDecoder`.
@Suite struct HandWrittenJSONTests {
    static let awkwardPaths = ["plain/path.txt", "quote\"and\\backslash", "line\nbreak\ttab\u{1}", "ünïcödé/日本/🙂", "", "/"]

    static let runMaps: [RunMap] = awkwardPaths.map { path in
        RunMap(task: MapTask(
            id: AttemptID(.map, task: 1_048_575, attempt: 3, job: 2),
            split: InputSplit(path: path, start: 0, length: Int64.max, input: path.isEmpty ? nil : path,
                more: [InputSplit(path: path + "more", start: 7, length: 9)]),
            skipRecords: [0, 5, Int64.max]))
    } + [MessageSamples.all.compactMap { if case .runMap(let run) = $0 { run } else { nil } }.first!]

    @Test(arguments: runMaps)
    func runMapWrittenByHandDecodesAsItWasWithJSONDecoder(run: RunMap) throws {
        var frame = Message.runMap(run).encoded()
        #expect(frame.readInteger(as: UInt8.self) == 21)
        #expect(try JSONDecoder().decode(RunMap.self, from: Data(frame.readableBytesView)) == run)
    }

    @Test func mapOutputsWrittenByHandDecodeAsTheyWereWithJSONDecoder() throws {
        let servers = Self.awkwardPaths.enumerated().map { Endpoint(host: $1, port: $0 + 1) }
        for outputs in [MapOutputs(job: 1, servers: [], outputs: []), MapOutputs(job: 1 << 30, servers: servers, outputs: [1_048_575, 1 << 30, 5, 0, 1, 0])] {
            var frame = Message.mapOutputs(outputs).encoded()
            #expect(frame.readInteger(as: UInt8.self) == 23)
            #expect(try JSONDecoder().decode(MapOutputs.self, from: Data(frame.readableBytesView)) == outputs)
        }
        var frame = Message.mapOutputs(MapOutputs(job: 2, servers: [Endpoint(host: "h", port: 7)], outputs: [3, 1, 0])).encoded()
        frame.moveReaderIndex(forwardBy: 1)
        #expect(String(buffer: frame) == #"{"job":2,"servers":[{"host":"h","port":7}],"outputs":[3,1,0]}"#)
    }

    @Test func runMapIsWrittenAsExpected() {
        let run = RunMap(task: MapTask(id: AttemptID(.map, task: 3, attempt: 1, job: 1), split: InputSplit(path: "in/a\"b", start: 2, length: 5)))
        var frame = Message.runMap(run).encoded()
        frame.moveReaderIndex(forwardBy: 1)
        #expect(
            String(buffer: frame)
                == #"{"task":{"id":{"kind":"m","task":3,"attempt":1,"job":1},"split":{"path":"in/a\"b","start":2,"length":5,"more":[]},"skipRecords":[]}}"#)
    }

    /// Messages with the fields `JSONReader` reads, in the forms a worker's `JSONEncoder` writes.
    static let readable: [Message] = [
        .heartbeat(Heartbeat()),
        .heartbeat(Heartbeat(progress: [
            AttemptProgress(attempt: MessageSamples.map, records: 0), AttemptProgress(attempt: MessageSamples.reduce, records: Int64.max),
        ])),
        .taskSucceeded(TaskSucceeded(attempt: MessageSamples.map, counters: Counters())),
        .taskSucceeded(TaskSucceeded(attempt: MessageSamples.reduce, counters: {
            var counters = MessageSamples.counters
            for counter in FrameworkCounter.allCases { counters.add(counter, 1 << 40) }
            counters.increment("ünïcödé 🙂", by: -5)
            return counters
        }())),
        .taskKilled(TaskKilled(attempt: AttemptID(.reduce, task: 0, attempt: 1 << 30, job: 1 << 30))),
        .mapOutputsFetched(MapOutputsFetched(reduceAttempt: MessageSamples.reduce, maps: [0...0, 2...1_048_575])),
        .mapOutputsFetched(MapOutputsFetched(reduceAttempt: MessageSamples.reduce, maps: [])),
    ] + MessageSamples.all.filter { ["heartbeat", "taskSucceeded", "taskKilled", "mapOutputsFetched"].contains($0.name) }

    @Test(arguments: readable)
    func whatJSONEncoderWritesIsReadByHandAsJSONDecoderReadsIt(message: Message) throws {
        let body = Self.body(of: message)
        let byHand: Message? =
            switch message {
            case .heartbeat: Heartbeat.read(whole: body).map(Message.heartbeat)
            case .taskSucceeded: TaskSucceeded.read(whole: body).map(Message.taskSucceeded)
            case .taskKilled: TaskKilled.read(whole: body).map(Message.taskKilled)
            case .mapOutputsFetched: MapOutputsFetched.read(whole: body).map(Message.mapOutputsFetched)
            default: nil
            }
        #expect(byHand == message)
        #expect(try Message(decoding: message.encoded()) == message)
    }

    @Test func aBodyWrittenByHandIsReadAsExpected() throws {
        let text = #" { "records" : -0 , "attempt":{"job":0,"attempt":2,"task":17,"kind":"r"} } "#
        let progress = #"{"progress":[\#(text),\#(text)]}"#
        let expected = AttemptProgress(attempt: AttemptID(.reduce, task: 17, attempt: 2, job: 0), records: 0)
        #expect(Heartbeat.read(whole: ByteBuffer(string: progress)) == Heartbeat(progress: [expected, expected]))
        let counters = #"{"counters":{"user":{"a b":9223372036854775807},"framework":{"Map input records":3},"amounts":{"c":-2}},"attempt":{"kind":"m","task":0,"attempt":1,"job":1}}"#
        let success = try #require(TaskSucceeded.read(whole: ByteBuffer(string: counters)))
        #expect(success.counters.user == ["a b": Int64.max] && success.counters.framework == ["Map input records": 3])
        #expect(success.counters.amounts == ["c": -2])
        #expect(success.attempt == AttemptID(.map, task: 0, attempt: 1, job: 1))
        // An amount with a fraction is left to JSONDecoder, which reads it as it is.
        let fraction = #"{"counters":{"user":{},"framework":{},"amounts":{"c":0.25}},"attempt":{"kind":"m","task":0,"attempt":1,"job":1}}"#
        #expect(TaskSucceeded.read(whole: ByteBuffer(string: fraction)) == nil)
        var frame = ByteBuffer(bytes: [12])
        frame.writeString(fraction)
        guard case .taskSucceeded(let decoded) = try Message(decoding: frame) else { Issue.record("not a taskSucceeded"); return }
        #expect(decoded.counters.amounts == ["c": 0.25])
    }

    /// Valid JSON that `JSONReader` leaves to `JSONDecoder`, which must then give the same message.
    static let leftToJSONDecoder = [
        #"{"progress":[],"extra":1}"#,
        #"{"progress":[{"attempt":{"kind":"m","task":1,"attempt":1,"job":0},"records":1.0}]}"#,
        #"{"progress":[{"attempt":{"kind":"m","task":1,"attempt":1,"job":0},"records":1e2}]}"#,
        #"{"progr\u0065ss":[]}"#,
        #"{"progress":[],}"#,
        #"{"progress":[{"attempt":{"kind":"\u006d","task":1,"attempt":1,"job":0},"records":5}]}"#,
    ]

    @Test(arguments: leftToJSONDecoder)
    func jsonTheReaderLeavesIsDecodedByJSONDecoder(text: String) throws {
        let body = ByteBuffer(string: text)
        #expect(Heartbeat.read(whole: body) == nil)
        var frame = ByteBuffer(bytes: [11])
        frame.writeString(text)
        let decoded = try? JSONDecoder().decode(Heartbeat.self, from: Data(text.utf8))
        #expect((try? Message(decoding: frame)) == decoded.map(Message.heartbeat))
    }

    /// Bodies no reader may take: each is refused (an error, never a trap) whichever reader sees it.
    static let refused: [(type: UInt8, text: String)] = [
        (11, #"{"progress":[{"attempt":{"kind":"m","task":1,"attempt":1,"job":0},"records":99999999999999999999}]}"#),
        (11, #"{"progress":[{"attempt":{"kind":"x","task":1,"attempt":1,"job":0},"records":1}]}"#),
        (11, #"{"progress":[{"attempt":{"kind":"m","task":1,"attempt":1},"records":1}]}"#),
        (11, #"{"progress":[]} x"#),
        (11, #"{"progress":[01]}"#),
        (12, #"{"attempt":{"kind":"m","task":1,"attempt":1,"job":0},"counters":{"framework":{"a":-1},"user":{}}}"#),
        (12, #"{"attempt":{"kind":"m","task":1,"attempt":1,"job":0},"counters":{"framework":{"a":"1"},"user":{}}}"#),
        (12, #"{"attempt":{"kind":"m","task":1,"attempt":1,"job":0},"counters":{"framework":{}}}"#),
        (15, #"{"attempt":{"kind":"m","task":-1,"attempt":1,"job":0}}"#),
        (16, #"{"reduceAttempt":{"kind":"r","task":1,"attempt":1,"job":0},"maps":[[5,4]]}"#),
        (16, #"{"reduceAttempt":{"kind":"r","task":1,"attempt":1,"job":0},"maps":[[5]]}"#),
        (16, #"{"reduceAttempt":{"kind":"m","task":1,"attempt":1,"job":0},"maps":[[1,4]]}"#),
    ]

    @Test(arguments: 0..<refused.count)
    func badBodiesAreRefused(index: Int) {
        var frame = ByteBuffer(bytes: [Self.refused[index].type])
        frame.writeBytes(Array(Self.refused[index].text.utf8))
        #expect(throws: ProtocolError.self) { try Message(decoding: frame) }
    }

    @Test func aStringThatIsNotUTF8IsRefused() {
        let frame = ByteBuffer(bytes: [15] + Array(#"{"attempt":{"kind":""#.utf8) + [0xFF] + Array(#"","task":1,"attempt":1,"job":0}}"#.utf8))
        #expect(throws: ProtocolError.self) { try Message(decoding: frame) }
    }

    @Test(arguments: readable)
    func everyTruncatedBodyIsRefused(message: Message) {
        let frame = message.encoded()
        for length in 1..<frame.readableBytes {
            #expect(throws: ProtocolError.self) { try Message(decoding: frame.getSlice(at: 0, length: length)!) }
        }
    }

    private static func body(of message: Message) -> ByteBuffer {
        var frame = message.encoded()
        frame.moveReaderIndex(forwardBy: 1)
        return frame
    }
}
