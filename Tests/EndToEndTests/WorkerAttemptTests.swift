import Foundation
import MapReduce
@testable import MapReduceCluster
import Testing
import TestSupport

/// A real worker process, talking to a master played by the test: killed
/// attempts stop, clean up and say so; heartbeats say how far attempts
/// have got; a reducer says which map outputs it holds.
extension EndToEnd {
@Suite(.timeLimit(.minutes(3)))
struct WorkerAttemptTests {
    /// Files and directories called `name` below `root`.
    static func paths(named name: String, under root: String) -> [String] {
        let all = FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? []
        return all.filter { ($0 as NSString).lastPathComponent == name }
    }

    /// Receives until `match` gives a value, answering heartbeats as a master does; keeps every message in `seen`.
    static func next<T>(_ connection: inout Connection, _ seen: inout [Message], _ match: (Message) -> T?) async throws -> T {
        while true {
            let message = try await connection.expect()
            seen.append(message)
            if case .heartbeat = message { try await connection.send(.heartbeat(Heartbeat())) }
            if let value = match(message) { return value }
        }
    }

    /// Waits for a heartbeat saying that `attempt` has read some records.
    static func progressed(_ attempt: AttemptID, _ connection: inout Connection, _ seen: inout [Message]) async throws -> Int64 {
        try await Self.next(&connection, &seen) { message in
            guard case .heartbeat(let heartbeat) = message else { return nil }
            return heartbeat.progress.first { $0.attempt == attempt && $0.records > 0 }?.records
        }
    }

    /// Kills `attempt` and waits for the worker to say it has stopped; returns how long that took.
    static func kill(_ attempt: AttemptID, _ connection: inout Connection, _ seen: inout [Message]) async throws -> Duration {
        let start = ContinuousClock.now
        try await connection.send(.killTask(KillTask(attempt: attempt)))
        try await Self.next(&connection, &seen) { message -> Void? in
            guard case .taskKilled(let killed) = message, killed.attempt == attempt else { return nil }
            return ()
        }
        return ContinuousClock.now - start
    }

    @Test func killedAttemptsStopCleanUpAndSaySoAndHeartbeatsCarryProgress() async throws {
        let directory = try TemporaryDirectory()
        var random = RandomText(seed: 47)
        let text = random.make(size: 100_000)
        let input = try directory.write("input/a.txt", text)
        let secretText = "a secret for a master played by a test"
        let secretFile = try directory.write("secret", Array(secretText.utf8))
        let secret = try Secret(bytes: Array(secretText.utf8))
        let work = "\(directory.path)/work"
        let out = "\(directory.path)/out"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: "\(out)/_temporary", withIntermediateDirectories: true)
        let split = InputSplit(path: input, start: 0, length: Int64(text.count))
        func startJob(_ number: Int, _ parameters: [String: String]) -> Message {
            let settings = TaskSettings(
                partitions: 1, sortBufferBytes: 1 << 20, compressionLevel: 1, parameters: JobParameters(parameters),
                workDirectory: "", outputDirectory: out)
            return .startJob(StartJob(job: "paced", number: number, settings: settings, master: "test"))
        }
        // Without being stopped, each of the attempts below would take more than a minute.
        let bound = Duration.seconds(3)

        let listener = try await Network.listen(on: Endpoint(host: "127.0.0.1", port: 0))
        let port = try #require(listener.boundPort)
        let worker = try ChildProcess(
            "testjobs", ["worker", "--master", "127.0.0.1:\(port)", "--secret-file", secretFile, "--work-dir", work])
        try await listener.executeThenClose { accepted in
            var connections = accepted.makeAsyncIterator()
            let channel = try #require(try await connections.next()).take()
            try await channel.executeThenClose { inbound, outbound in
                var connection = Connection(inbound, outbound, peer: "worker")
                var seen: [Message] = []
                try await Handshake.accept(&connection, secret: secret)
                guard case .register(let registration) = try await connection.expect() else {
                    Issue.record("the worker did not register")
                    return
                }
                try await connection.send(.registered(Registered(workerID: "w-1", heartbeatSeconds: 0.2, timeoutSeconds: 60)))

                // A map attempt killed while it reads records.
                try await connection.send(startJob(1, ["record-ms": "50"]))
                let map = AttemptID(.map, task: 0, attempt: 1, job: 1)
                try await connection.send(.runMap(RunMap(task: MapTask(id: map, split: split))))
                _ = try await Self.progressed(map, &connection, &seen)
                #expect(Self.paths(named: "\(map)", under: work).count == 1, "the map attempt has a directory of its own")
                #expect(try await Self.kill(map, &connection, &seen) < bound)
                #expect(Self.paths(named: "\(map)", under: work).isEmpty, "the killed map attempt's files are gone")

                // The next job of a chain: a reduce attempt killed while it reads values.
                try await connection.send(startJob(2, ["value-ms": "50"]))
                let map2 = AttemptID(.map, task: 0, attempt: 1, job: 2)
                try await connection.send(.runMap(RunMap(task: MapTask(id: map2, split: split))))
                try await Self.next(&connection, &seen) { message -> Void? in
                    guard case .taskSucceeded(let success) = message, success.attempt == map2 else { return nil }
                    return ()
                }
                let reduce = AttemptID(.reduce, task: 0, attempt: 1, job: 2)
                try await connection.send(.runReduce(RunReduce(attempt: reduce, mapCount: 1)))
                let server = Endpoint(host: registration.shuffleHost, port: registration.shufflePort)
                try await connection.send(.mapOutputs(MapOutputs(job: 2, servers: [server], outputs: [0, map2.attempt, 0])))
                let fetched = try await Self.next(&connection, &seen) { message -> MapOutputsFetched? in
                    guard case .mapOutputsFetched(let fetched) = message else { return nil }
                    return fetched
                }
                #expect(fetched == MapOutputsFetched(reduceAttempt: reduce, maps: [0...0]))
                _ = try await Self.progressed(reduce, &connection, &seen)
                let temporary = ReduceTask.attemptOutputDirectory(for: reduce, in: out)
                #expect(FileManager.default.fileExists(atPath: temporary), "the reducer is writing")
                #expect(try await Self.kill(reduce, &connection, &seen) < bound)
                #expect(!FileManager.default.fileExists(atPath: temporary), "the killed reduce attempt's output is gone")
                #expect(Self.paths(named: "\(reduce)", under: work).isEmpty, "the killed reduce attempt's fetched input is gone")

                let reported = seen.filter { message in
                    switch message {
                    case .taskSucceeded(let success): success.attempt != map2
                    case .taskFailed: true
                    default: false
                    }
                }
                #expect(reported.isEmpty, "killed attempts are reported as killed only: \(reported)")
                try await connection.send(.shutdown(Shutdown(reason: "the test is over")))
            }
        }
        let result = try await worker.wait(timeout: 30)
        #expect(result.status == 0, "\(result.standardError)")
    }
}
}
