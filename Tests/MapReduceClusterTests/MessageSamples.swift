import MapReduce
import NIOCore

@testable import MapReduceCluster

/// One message of every type, with every field given a value (no optional
/// left out, no collection empty), so that what the tests check of them
/// covers every field the protocol has.
enum MessageSamples {
    static let map = AttemptID(.map, task: 0, attempt: 1, job: 2)
    static let reduce = AttemptID(.reduce, task: 4, attempt: 1, job: 2)

    static let all: [Message] = [
        .challenge(Challenge(version: 1, nonce: "ab")),
        .authenticate(Authenticate(version: 1, nonce: "cd", proof: "ef")),
        .welcome(Welcome(proof: "01")),
        .error(ErrorMessage(message: "no")),
        .register(Register(shuffleHost: "10.0.0.2", shufflePort: 4000, slots: 2, hostName: "h", processID: 42)),
        .heartbeat(Heartbeat(progress: [AttemptProgress(attempt: map, records: 7)])),
        .taskSucceeded(TaskSucceeded(attempt: reduce, counters: counters)),
        .taskFailed(TaskFailed(attempt: map, message: "boom", record: 3)),
        .fetchFailed(
            FetchFailed(reduceAttempt: reduce, mapAttempt: map, host: "127.0.0.1", port: 9, message: "refused", corrupt: false)),
        .taskKilled(TaskKilled(attempt: map)),
        .mapOutputsFetched(MapOutputsFetched(reduceAttempt: reduce, maps: [0...0, 3...3])),
        .mapOutputsRecovered(MapOutputsRecovered(attempts: [map])),
        .registered(Registered(workerID: "w-1", heartbeatSeconds: 1, timeoutSeconds: 10)),
        .startJob(StartJob(job: "wordcount", number: 2, settings: settings, master: "5eed")),
        .runMap(RunMap(task: MapTask(id: map, split: split, skipRecords: [4]))),
        .runReduce(RunReduce(attempt: reduce, mapCount: 9)),
        .mapOutputs(MapOutputs(job: 1, servers: [Endpoint(host: "h", port: 1)], outputs: [0, 1, 0])),
        .killTask(KillTask(attempt: map)),
        .shutdown(Shutdown(reason: "done")),
        .fetch(Fetch(mapAttempt: map, partition: 3)),
        .segmentHeader(SegmentHeader(segment: Segment(offset: 0, length: 10, rawLength: 20, records: 2, crc32: 99, runs: 2))),
        .segmentChunk(ByteBuffer(bytes: [0, 1, 2, 255])),
        .segmentEnd,
    ]

    static var counters: Counters {
        var counters = Counters()
        counters.add(.mapInputRecords, 5)
        counters.increment("lines")
        return counters
    }

    static let split = InputSplit(
        path: "a", start: 5, length: 10, input: "left",
        more: [InputSplit(path: "b", start: 0, length: 3, input: "left", more: [])])

    static let settings = TaskSettings(
        partitions: 2, sortBufferBytes: 1 << 20, compressionLevel: 1, parameters: JobParameters(["top": "3"]),
        workDirectory: "/w", outputDirectory: "/o", partitionBoundaries: [[109]], mergeFactor: 10,
        combinerDisabled: true)
}
