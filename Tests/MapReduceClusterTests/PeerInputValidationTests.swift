import MapReduce
import NIOCore
import Testing

@testable import MapReduceCluster

/// Messages outside `PeerInputLimits` are refused as they are decoded; free text is made one bounded line.
@Suite struct PeerInputValidationTests {
    static let map = AttemptID(.map, task: 0, attempt: 1, job: 1)
    static let reduce = AttemptID(.reduce, task: 0, attempt: 1, job: 1)

    static func register(host: String = "10.0.0.2", port: Int = 4000, slots: Int = 2, name: String = "h", pid: Int32 = 42) -> Message {
        .register(Register(shuffleHost: host, shufflePort: port, slots: slots, hostName: name, processID: pid))
    }

    static func succeeded(framework: [String: Int64] = [:], user: [String: Int64] = [:], attempt: AttemptID = map) -> Message {
        var counters = Counters()
        counters.framework = framework
        counters.user = user
        return .taskSucceeded(TaskSucceeded(attempt: attempt, counters: counters))
    }

    static let settings = TaskSettings(
        partitions: -1, sortBufferBytes: 1 << 20, compressionLevel: 1, parameters: JobParameters(), workDirectory: "", outputDirectory: "")
    static let mergeFactorOne = TaskSettings(
        partitions: 1, sortBufferBytes: 1 << 20, compressionLevel: 1, parameters: JobParameters(), workDirectory: "", outputDirectory: "",
        mergeFactor: 1)

    static let refused: [(Message, String)] = [
        (register(slots: 0), "slots 0"),
        (register(slots: 100_000), "slots 100000"),
        (register(port: 0), "shufflePort 0"),
        (register(port: 70_000), "shufflePort 70000"),
        (register(host: "evil host\n"), "shuffleHost"),
        (register(host: String(repeating: "a", count: 300)), "shuffleHost"),
        (register(name: ""), "hostName"),
        (register(pid: -1), "processID"),
        (.heartbeat(Heartbeat(progress: [AttemptProgress(attempt: map, records: -1)])), "-1 records"),
        (.heartbeat(Heartbeat(progress: [AttemptProgress(attempt: AttemptID(.map, task: -3, attempt: 1), records: 1)])), "task number -3"),
        (succeeded(framework: ["Map input records": -5]), "is -5"),
        (succeeded(user: ["line\nbreak": 1]), "a counter name"),
        (succeeded(user: Dictionary(uniqueKeysWithValues: (0...PeerInputLimits.maxCounters).map { ("c\($0)", 1) })), "1001 counters"),
        (succeeded(attempt: AttemptID(.map, task: 0, attempt: 0, job: 1)), "attempt number 0"),
        (succeeded(attempt: AttemptID(.map, task: 1 << 40, attempt: 1, job: 1)), "task number"),
        (.fetchFailed(FetchFailed(reduceAttempt: map, mapAttempt: map, host: "h", port: 1, message: "", corrupt: false)), "is not a reduce attempt"),
        (.fetchFailed(FetchFailed(reduceAttempt: reduce, mapAttempt: map, host: "h", port: 0, message: "", corrupt: false)), "port 0"),
        (.mapOutputsFetched(MapOutputsFetched(reduceAttempt: reduce, maps: [0...2, -1...0])), "task number -1"),
        (.mapOutputsRecovered(MapOutputsRecovered(attempts: [reduce])), "is not a map attempt"),
        (.runReduce(RunReduce(attempt: reduce, mapCount: 1 << 40)), "mapCount"),
        (.runMap(RunMap(task: MapTask(id: map, split: InputSplit(path: "a", start: -1, length: 5)))), "split range"),
        (.runMap(RunMap(task: MapTask(id: map, split: InputSplit(path: "a", start: .max, length: 5)))), "split range"),
        (.mapOutputs(MapOutputs(job: 1, servers: [Endpoint(host: "127.0.0.1", port: 0)], outputs: [0, 1, 0])), "port 0"),
        (.mapOutputs(MapOutputs(job: 1, servers: [Endpoint(host: "a b", port: 1)], outputs: [])), "host"),
        (.mapOutputs(MapOutputs(job: 1, servers: [Endpoint(host: "h", port: 1)], outputs: [0, 1, 1])), "server index 1"),
        (.mapOutputs(MapOutputs(job: 1, servers: [Endpoint(host: "h", port: 1)], outputs: [0, 0, 0])), "attempt number 0"),
        (.mapOutputs(MapOutputs(job: 1, servers: [Endpoint(host: "h", port: 1)], outputs: [-2, 1, 0])), "task number -2"),
        (.mapOutputs(MapOutputs(job: 1, servers: [], outputs: [0, 1])), "not three for each output"),
        (.mapOutputs(MapOutputs(job: 0, servers: [], outputs: [])), "job 0"),
        (.segmentHeader(SegmentHeader(segment: Segment(offset: 0, length: -1, rawLength: 0, records: 0, crc32: 0, runs: 0))), "segment length -1"),
        (.segmentHeader(SegmentHeader(segment: Segment(offset: 0, length: 1 << 50, rawLength: 0, records: 0, crc32: 0, runs: 0))), "segment length"),
        (.segmentHeader(SegmentHeader(segment: Segment(offset: 0, length: 9, rawLength: 9, records: 1, crc32: 0, runs: 9))), "segment runs 9"),
        (.segmentHeader(SegmentHeader(segment: Segment(offset: 0, length: 9, rawLength: 9, records: 1, crc32: 0, runs: 0))), "segment runs 0"),
        (.segmentHeader(SegmentHeader(segment: Segment(offset: 0, length: 0, rawLength: 0, records: 0, crc32: 0, runs: 1))), "segment runs 1"),
        (.startJob(StartJob(job: "wc", number: 1, settings: settings, master: "m")), "partitions -1"),
        (.startJob(StartJob(job: "wc", number: 1, settings: mergeFactorOne, master: "m")), "mergeFactor 1"),
        (.fetch(Fetch(mapAttempt: map, partition: -1)), "task number -1"),
    ]

    @Test(arguments: 0..<refused.count)
    func aMessageOutsideTheLimitsIsRefused(index: Int) {
        let (message, detail) = Self.refused[index]
        let error = #expect(throws: ProtocolError.self) { try Message(decoding: message.encoded()) }
        #expect(error?.description.hasPrefix("invalid \(message.name) message: ") == true, "\(String(describing: error))")
        #expect(error?.description.contains(detail) == true, "\(String(describing: error))")
    }

    @Test func registeredTimesMustBeFinitePositiveAndAtMostADay() throws {
        for seconds in ["0", "-1", "1e308"] {
            let body = "{\"workerID\":\"w-1\",\"heartbeatSeconds\":1,\"timeoutSeconds\":\(seconds)}"
            #expect(throws: ProtocolError.self) { try Message(decoding: ByteBuffer(bytes: [20] + Array(body.utf8))) }
        }
        let body = "{\"workerID\":\"w-1\",\"heartbeatSeconds\":0.5,\"timeoutSeconds\":10}"
        #expect(try Message(decoding: ByteBuffer(bytes: [20] + Array(body.utf8))) == .registered(Registered(workerID: "w-1", heartbeatSeconds: 0.5, timeoutSeconds: 10)))
    }

    @Test func freeTextBecomesOneBoundedLine() throws {
        let long = "first line\nsecond\tline\u{1B}[31m" + String(repeating: "x", count: 5000)
        let decoded = try Message(decoding: Message.taskFailed(TaskFailed(attempt: Self.map, message: long, record: nil)).encoded())
        guard case .taskFailed(let failure) = decoded else { Issue.record("\(decoded)"); return }
        #expect(failure.message.hasPrefix("first line second line [31mxxx"))
        #expect(failure.message.count == PeerInputLimits.maxTextLength + 1 && failure.message.hasSuffix("…"))
        let short = try Message(decoding: Message.error(ErrorMessage(message: "a\r\nb")).encoded())
        #expect(short == .error(ErrorMessage(message: "a  b")))
    }

    @Test func deeplyNestedJSONIsRefusedBeforeDecoding() throws {
        for type: UInt8 in [10, 11, 12, 21, 31] {
            let deep = ByteBuffer(bytes: [type] + Array(repeating: UInt8(ascii: "["), count: 1_000_000))
            #expect(throws: ProtocolError.self) { try Message(decoding: deep) }
        }
        // Brackets inside strings are text, not nesting.
        let brackets = String(repeating: "[{", count: 100)
        let decoded = try Message(decoding: Message.error(ErrorMessage(message: "\\\"" + brackets)).encoded())
        #expect(decoded == .error(ErrorMessage(message: "\\\"" + brackets)))
        #expect(JSONNesting.exceeds(3, in: Array("[[{\"a\":[1]}]]".utf8)))
        #expect(!JSONNesting.exceeds(4, in: Array("[[{\"a\":[1]}]]".utf8)))
    }

    @Test func aWorkersMessageLargerThanItsLimitIsRefused() {
        let message = String(repeating: "x", count: PeerInputLimits.maxWorkerMessageLength)
        let error = #expect(throws: ProtocolError.self) {
            try Message(decoding: Message.taskFailed(TaskFailed(attempt: Self.map, message: message, record: nil)).encoded())
        }
        #expect(error?.description.contains("larger than the limit") == true)
    }

    @Test func countersSaturateInsteadOfOverflowing() {
        var total = Counters()
        total.increment("big", by: .max - 1)
        total.increment("small", by: .min + 1)
        var more = Counters()
        more.increment("big", by: 10)
        more.increment("small", by: -10)
        more.add(.mapInputRecords, 3)
        let exactTotal = total.merge(more)
        #expect(!exactTotal)
        #expect(total.user == ["big": .max, "small": .min])
        #expect(total[.mapInputRecords] == 3)
        total.increment("big")
        #expect(total.user["big"] == .max)
        var other = Counters()
        let exact = other.merge(more)
        #expect(exact)
        #expect(Counters.sum(.max, .max) == .max && Counters.sum(2, 3) == 5)
    }
}
