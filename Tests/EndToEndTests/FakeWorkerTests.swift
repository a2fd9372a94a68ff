import Foundation
import MapReduce
@testable import MapReduceCluster
import NIOCore
import Testing
import TestSupport

/// A peer that holds the secret and registers as a worker, then lies: the master must neither
/// trap nor fail the job, and the output must be right.
extension EndToEnd {
@Suite(.timeLimit(.minutes(3)))
struct FakeWorkerTests {
    @Test func aLyingWorkerCannotTrapTheMasterNorSpoilTheJob() async throws {
        let directory = try TemporaryDirectory()
        let texts = try HostileNetworkTests.writeInputs(directory, ["a", "b", "c"], seed: 71)
        let (secretFile, secret) = try HostileNetworkTests.writeSecret(directory, "a secret a liar holds too")
        let gate = "\(directory.path)/gate"
        let master = try ChildProcess("testjobs", [
            "master", "--job", "paced", "--secret-file", secretFile, "--reducers", "1", "--split-size", "64K", "--log-level", "info",
            "--param", "gate=\(gate)", "--param", "gated=b.txt",
            "--output", "\(directory.path)/out", "\(directory.path)/input",
        ])
        let port = Int(try await master.waitForStandardError(matching: "listening on 127\\.0\\.0\\.1:(\\d+)"))!

        // Registrations outside the limits, and a body nested a million deep: each connection is closed.
        let register = { (host: String, port: Int, slots: Int, name: String) in
            "{\"shuffleHost\":\"\(host)\",\"shufflePort\":\(port),\"slots\":\(slots),\"hostName\":\"\(name)\",\"processID\":7}"
        }
        let badBodies = [
            register("127.0.0.1", 4000, 0, "h"), register("127.0.0.1", 4000, 1_000_000, "h"), register("127.0.0.1", 0, 1, "h"),
            register("127.0.0.1", 70_000, 1, "h"), register("127.0.0.1", 4000, 1, "bad host"), register("a\\nb", 4000, 1, "h"),
            String(repeating: "[", count: 1_000_000),
        ]
        for body in badBodies {
            try await HostileNetworkTests.authenticated(port: port, secret: secret) { connection in
                try await connection.outbound.write(ByteBuffer(bytes: [10] + Array(body.utf8)))
                #expect((try? await connection.receive()) == nil, "\(body.prefix(80))")
            }
        }

        // The liar registers before any real worker, and is given the first map.
        let liar = try await Network.connect(to: Endpoint(host: "127.0.0.1", port: port))
        var workers: [ChildProcess] = []
        try await liar.executeThenClose { inbound, outbound in
            var connection = Connection(inbound, outbound, peer: "master")
            try await Handshake.connect(&connection, secret: secret)
            try await connection.send(.register(Register(shuffleHost: "127.0.0.1", shufflePort: 1, slots: 1, hostName: "liar", processID: 7)))
            let heartbeats = Task {
                while (try? await Task.sleep(for: .milliseconds(300))) != nil {
                    try? await outbound.write(Message.heartbeat(Heartbeat()).encoded())
                }
            }
            defer { heartbeats.cancel() }
            var map: AttemptID?
            while map == nil {
                if case .runMap(let run) = try await connection.expect() { map = run.task.id }
            }
            // Real workers take the other maps (one waits at the gate), then the reduce.
            workers = try (0..<2).map { _ in
                try ChildProcess("testjobs", ["worker", "--master", "127.0.0.1:\(port)", "--secret-file", secretFile])
            }
            _ = try await master.waitForStandardError(matching: "(worker registered(.|\\n)*){3}")

            // Reports of attempts it does not run, and ids out of range, change nothing.
            let reduce = AttemptID(.reduce, task: 0, attempt: 1, job: 1)
            var huge = Counters()
            huge.framework[FrameworkCounter.mapInputRecords.rawValue] = .max - 1
            huge.user["lies"] = .max
            for _ in 0..<5 {
                try await connection.send(
                    .fetchFailed(FetchFailed(reduceAttempt: reduce, mapAttempt: AttemptID(.map, task: 1, attempt: 1, job: 1), host: "127.0.0.1", port: 1, message: "lie", corrupt: true)))
            }
            for attempt in [AttemptID(.map, task: 1, attempt: 1, job: 1), AttemptID(.map, task: 999, attempt: 1, job: 1)] {
                try await connection.send(.taskSucceeded(TaskSucceeded(attempt: attempt, counters: huge)))
            }
            try await connection.send(.mapOutputsFetched(MapOutputsFetched(reduceAttempt: reduce, maps: [999...999])))
            try await connection.send(.taskKilled(TaskKilled(attempt: AttemptID(.reduce, task: 7, attempt: 3, job: 1))))

            // Once the reduce runs on a real worker, its own map "succeeds", with counters at the top of 64 bits, but it serves nothing (its
            // shuffle port is closed): the reducer cannot fetch the output, nor can the master.
            _ = try await master.waitForStandardError(matching: "attempt=m-00002-a1 worker=w-[23] \\[MapReduceCluster\\] map output ready")
            try await connection.send(.taskSucceeded(TaskSucceeded(attempt: map!, counters: huge)))
            _ = try await master.waitForStandardError(matching: "map output unusable; running the map again")
            // Then it goes, with whatever it was given since.
        }
        #expect(FileManager.default.createFile(atPath: gate, contents: nil))

        let finished = try await master.wait(timeout: 90)
        #expect(finished.status == 0, "\(finished.standardError)")
        for worker in workers { #expect(try await worker.wait(timeout: 30).status == 0) }
        let log = finished.standardError
        for line in [
            "invalid register message: slots 0", "invalid register message: slots 1000000", "invalid register message: shufflePort 0",
            "invalid register message: shufflePort 70000", "invalid register message: hostName", "invalid register message: shuffleHost",
            "register message nests deeper than 32 levels", "the master could not fetch the map output either",
            "fetch failure report ignored: the reduce attempt does not run on the sender",
            "ignored what a worker said of an attempt it does not run",
            "a counter reached the limit of a 64-bit count",
        ] {
            #expect(log.contains(line), "no \"\(line)\" in the master's log")
        }
        let lines = try directory.partFiles("out").flatMap { String(decoding: $0.contents, as: UTF8.self).split(separator: "\n") }
        #expect(lines.map(String.init).sorted() == ReferenceWords.count(texts).map { "\($0.key)\t\($0.value)" }.sorted())
        let report = try FaultToleranceTests.report("\(directory.path)/out")
        #expect(FaultToleranceTests.counter(report, "Map input records") == Int(Int64.max))
        let succeeded = FaultToleranceTests.succeededAttempts(report)
        // The liar's map attempt "succeeded"; the output came from a later one.
        #expect(succeeded.contains { $0.hasPrefix("m-00000-") && $0 != "m-00000-a1" }, "\(succeeded)")
    }
}
}
