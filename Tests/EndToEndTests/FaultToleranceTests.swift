import Foundation
import Testing
import TestSupport

/// Real worker processes killed, frozen, slowed and corrupted mid-job: the output never changes.
extension EndToEnd {
@Suite(.timeLimit(.minutes(5)))
struct FaultToleranceTests {
    /// Random text files in `input/`, and the expected word counts.
    static func makeInputs(_ directory: TemporaryDirectory, files: Int, size: Int = 6_000) throws -> [String] {
        var texts: [[UInt8]] = []
        for i in 0..<files {
            var random = RandomText(seed: UInt64(2000 + i))
            texts.append(random.make(size: size))
            try directory.write("input/\(String(UnicodeScalar(UInt8(97 + i)))).txt", texts[i])
        }
        return ReferenceWords.count(texts).map { "\($0.key)\t\($0.value)" }.sorted()
    }

    static func outputLines(_ directory: TemporaryDirectory, _ name: String = "out") throws -> [String] {
        try directory.partFiles(name).flatMap { String(decoding: $0.contents, as: UTF8.self).split(separator: "\n").map(String.init) }
            .sorted()
    }

    /// The in-process output for the same input and reducers: what every disturbed run must reproduce byte for byte.
    static func undisturbed(_ directory: TemporaryDirectory, reducers: Int) async throws -> [String: [UInt8]] {
        let result = try await ChildProcess.run("wordcount", [
            "run", "--in-process", "--reducers", "\(reducers)", "--output", "\(directory.path)/undisturbed", "\(directory.path)/input",
        ])
        #expect(result.status == 0)
        return Dictionary(uniqueKeysWithValues: try directory.partFiles("undisturbed").map { ($0.name, $0.contents) })
    }

    static func partFiles(_ directory: TemporaryDirectory, _ name: String = "out") throws -> [String: [UInt8]] {
        Dictionary(uniqueKeysWithValues: try directory.partFiles(name).map { ($0.name, $0.contents) })
    }

    static func report(_ directory: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(directory)/_job.json"))) as? [String: Any] ?? [:]
    }

    static func counter(_ report: [String: Any], _ name: String) -> Int {
        ((report["counters"] as? [String: Any])?["framework"] as? [String: Any])?[name] as? Int ?? 0
    }

    static func succeededAttempts(_ report: [String: Any]) -> [String] {
        (report["attempts"] as? [[String: Any]] ?? []).filter { $0["succeeded"] as? Bool == true }.compactMap { $0["id"] as? String }
    }

    static func isAlive(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return false }
        return !stat.contains(") Z ")
    }

    /// Waits (up to `seconds`) for `pid` to exit.
    static func waitForExit(_ pid: Int32, seconds: Double) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline, isAlive(pid) { try? await Task.sleep(for: .milliseconds(20)) }
        return !isAlive(pid)
    }

    /// Starts `testjobs master --job paced` with a fresh secret, reading `directory/input` into `directory/out`.
    static func startMaster(_ directory: TemporaryDirectory, _ arguments: [String]) async throws -> (ChildProcess, worker: (_ extra: [String]) throws -> ChildProcess) {
        let secret = try directory.write("secret", Array("sixteen or more characters".utf8))
        let master = try ChildProcess("testjobs", [
            "master", "--job", "paced", "--secret-file", secret, "--log-level", "info", "--split-size", "64K",
            "--output", "\(directory.path)/out",
            "\(directory.path)/input",
        ] + arguments)
        let port = try await master.waitForStandardError(matching: "listening on 127\\.0\\.0\\.1:(\\d+)")
        return (master, { extra in try ChildProcess("testjobs", ["worker", "--master", "127.0.0.1:\(port)", "--secret-file", secret] + extra) })
    }

    @Test func killingWorkersAgainAndAgainInBothPhasesChangesNothing() async throws {
        let directory = try TemporaryDirectory()
        let expectedLines = try Self.makeInputs(directory, files: 8)
        let expected = try await Self.undisturbed(directory, reducers: 3)
        // Attempts lost with a worker that ran others too are killed, not failed: the default limits hold.
        let run = try ChildProcess("testjobs", [
            "run", "--job", "paced", "--workers", "3", "--reducers", "3", "--split-size", "3K", "--worker-timeout", "3",
            "--param", "map-ms=300", "--param", "reduce-ms=800", "--log-level", "info",
            "--output", "\(directory.path)/out", "\(directory.path)/input",
        ])
        var killed = 0
        // The map phase: each time a few more map outputs are ready, kill a worker (its running
        // maps fail, and its finished outputs are lost with it).
        for ready in [1, 4, 7] {
            _ = try await run.waitForStandardError(matching: "(map output ready(.|\\n)*){\(ready)}")
            guard !run.standardErrorSoFar.contains("all map tasks done") else { break }
            if let victim = LocalClusterTests.workers(of: run.processIdentifier).randomElement() {
                kill(victim, SIGKILL)
                killed += 1
            }
        }
        // The reduce phase: reduces sleep 800 ms first, so a worker killed now dies mid-reduce.
        _ = try await run.waitForStandardError(matching: "all map tasks done")
        if let victim = LocalClusterTests.workers(of: run.processIdentifier).randomElement() {
            kill(victim, SIGKILL)
            killed += 1
        }
        let result = try await run.wait(timeout: 120)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(killed >= 2)
        #expect(result.standardError.contains("worker lost"))
        #expect(try Self.partFiles(directory) == expected)
        #expect(try Self.outputLines(directory) == expectedLines)
    }

    @Test func aFrozenWorkerIsDeclaredDeadAndItsLateWorkChangesNothing() async throws {
        let directory = try TemporaryDirectory()
        let expectedLines = try Self.makeInputs(directory, files: 8)
        let out = "\(directory.path)/out"
        let (master, worker) = try await Self.startMaster(directory, ["--reducers", "2", "--worker-timeout", "2", "--param", "map-ms=1000"])
        let frozen = try worker(["--slots", "2", "--master-grace", "1"])
        let healthy = try worker([])
        // Freeze it once it holds finished map output and is running more maps: the reducers'
        // fetches from it hang until the master has the maps run again elsewhere.
        let id = try await master.waitForStandardError(matching: "pid=\(frozen.processIdentifier) shuffle=\\S+ worker=(w-\\d+)")
        _ = try await master.waitForStandardError(matching: "worker=\(id) \\[MapReduceCluster\\] map output ready")
        kill(frozen.processIdentifier, SIGSTOP)
        let finished = try await master.wait(timeout: 60)
        #expect(finished.status == 0, "\(finished.standardError)")
        #expect(finished.standardError.contains("no heartbeat for"))
        #expect(try await healthy.wait(timeout: 30).status == 0)
        let committed = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        let contents = try Self.partFiles(directory)
        kill(frozen.processIdentifier, SIGCONT)
        let resumed = try await frozen.wait(timeout: 30)
        #expect(resumed.status != 0, "a resumed worker whose master dropped it, and is gone, exits after its grace")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).sorted() == committed)
        #expect(try Self.partFiles(directory) == contents)
        #expect(try Self.outputLines(directory) == expectedLines)
    }

    @Test func aCorruptMapOutputIsCaughtAndTheMapRunsAgain() async throws {
        let directory = try TemporaryDirectory()
        let expectedLines = try Self.makeInputs(directory, files: 2)
        let gate = "\(directory.path)/gate"
        let work = "\(directory.path)/work"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        let out = "\(directory.path)/out"
        // Map 0 (a.txt) finishes; map 1 (b.txt) waits at the gate, so no reduce has fetched yet.
        let (master, startWorker) = try await Self.startMaster(directory, ["--param", "gate=\(gate)", "--param", "gated=b.txt"])
        let worker = try startWorker(["--work-dir", work])
        var mapOutput: String?
        let deadline = Date().addingTimeInterval(30)
        while mapOutput == nil, Date() < deadline {
            let workDirectories = (try? FileManager.default.contentsOfDirectory(atPath: work)) ?? []
            mapOutput = workDirectories.map { "\(work)/\($0)/job-1/m-00000-a1/m-00000-a1.out" }.first { FileManager.default.fileExists(atPath: $0) }
            try await Task.sleep(for: .milliseconds(20))
        }
        let path = try #require(mapOutput)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes[12] ^= 0x40
        try bytes.write(to: URL(fileURLWithPath: path))
        #expect(FileManager.default.createFile(atPath: gate, contents: nil), "cannot open the gate")
        let finished = try await master.wait(timeout: 60)
        #expect(finished.status == 0, "\(finished.standardError)")
        #expect(finished.standardError.contains("map output unusable; running the map again"))
        #expect(Self.succeededAttempts(try Self.report(out)).contains("m-00000-a2"))
        #expect(try Self.outputLines(directory) == expectedLines)
        #expect(try await worker.wait(timeout: 30).status == 0)
    }

    @Test func aBadRecordFailsTheJobOrIsSkippedAndCounted() async throws {
        let directory = try TemporaryDirectory()
        let good = Array("fine words here\nmore fine words\n".utf8)
        try directory.write("input/a.txt", good)
        try directory.write("input/b.txt", Array("one line\nthe zebra line\nlast line\n".utf8))
        let arguments = ["run", "--job", "failing-map", "--workers", "2", "--split-size", "64K", "--param", "fail-on=zebra", "\(directory.path)/input"]
        let failed = try await ChildProcess.run("testjobs", arguments + ["--output", "\(directory.path)/failed"])
        #expect(failed.status != 0)
        #expect(
            failed.errorLines.last?.contains("map task m-00001 (\(directory.path)/input/b.txt bytes 0-34) failed 4 times; last error: record 1 (\(directory.path)/input/b.txt byte 9): poisoned record: the zebra line") == true,
            "\(failed.standardError)")
        #expect(!FileManager.default.fileExists(atPath: "\(directory.path)/failed"))

        let skipped = try await ChildProcess.run("testjobs", arguments + ["--skip-bad-records", "--output", "\(directory.path)/skipped"])
        #expect(skipped.status == 0, "\(skipped.standardError)")
        #expect(skipped.standardError.contains("Skipped records=1\n"))
        let expected = ReferenceWords.count([good, Array("one line\nlast line\n".utf8)]).map { "\($0.key)\t\($0.value)" }.sorted()
        #expect(try Self.outputLines(directory, "skipped") == expected)
    }

    @Test func aStragglerGetsABackupAttemptAndWithoutBackupsTheJobWaits() async throws {
        let directory = try TemporaryDirectory()
        let expectedLines = try Self.makeInputs(directory, files: 3)
        func run(_ name: String, speculation: String, straggleMilliseconds: Int) async throws -> [String: Any] {
            let result = try await ChildProcess.run("testjobs", [
                "run", "--job", "paced", "--workers", "2", "--speculation", speculation, "--split-size", "64K",
                "--param", "straggler=a.txt", "--param", "straggle-ms=\(straggleMilliseconds)",
                "--output", "\(directory.path)/\(name)", "\(directory.path)/input",
            ], timeout: 90)
            #expect(result.status == 0, "\(result.standardError)")
            #expect(try Self.outputLines(directory, name) == expectedLines)
            return try Self.report("\(directory.path)/\(name)")
        }
        // With backups: the first attempt would sleep a minute; 10 s in, a backup on the other worker
        // wins. Its slot held the reduce, which waited for this map: that reduce was preempted.
        let backedUp = try await run("backed-up", speculation: "on", straggleMilliseconds: 60_000)
        #expect(Self.succeededAttempts(backedUp).contains("m-00000-a2"))
        #expect(Self.counter(backedUp, "Launched backup attempts") == 1)
        #expect(Self.counter(backedUp, "Wasted backup attempts") == 0)
        #expect(Self.counter(backedUp, "Killed attempts") == 2)
        #expect((backedUp["elapsedSeconds"] as? Double ?? 60) < 60)
        // Without backups: the job waits for the straggler.
        let waited = try await run("waited", speculation: "off", straggleMilliseconds: 3_000)
        #expect(Self.succeededAttempts(waited).contains("m-00000-a1"))
        #expect(Self.counter(waited, "Launched backup attempts") == 0)
        #expect((waited["elapsedSeconds"] as? Double ?? 0) >= 3)
    }

    @Test func aQuickJobWithoutFailuresRunsEveryTaskExactlyOnce() async throws {
        let directory = try TemporaryDirectory()
        let expectedLines = try Self.makeInputs(directory, files: 6)
        let result = try await ChildProcess.run("wordcount", [
            "run", "--workers", "3", "--reducers", "4", "--split-size", "2K", "--output", "\(directory.path)/out", "\(directory.path)/input",
        ])
        #expect(result.status == 0, "\(result.standardError)")
        let report = try Self.report("\(directory.path)/out")
        let attempts = report["attempts"] as? [[String: Any]] ?? []
        let ids = attempts.compactMap { $0["id"] as? String }
        #expect(ids.count == (report["maps"] as? Int ?? 0) + 4)
        #expect(ids.allSatisfy { $0.hasSuffix("-a1") })
        #expect(Set(ids).count == ids.count)
        #expect(attempts.allSatisfy { $0["succeeded"] as? Bool == true })
        #expect(Self.counter(report, "Launched backup attempts") == 0)
        #expect(try Self.outputLines(directory) == expectedLines)
    }

    /// Workers wait `--master-grace` for their master to come back (restarted with `--recover`), then leave.
    @Test(arguments: [SIGKILL, SIGSTOP])
    func workersLeaveWhenTheirMasterDies(signal: Int32) async throws {
        let directory = try TemporaryDirectory()
        _ = try Self.makeInputs(directory, files: 4)
        let work = "\(directory.path)/work"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        let (master, worker) = try await Self.startMaster(directory, ["--worker-timeout", "2", "--param", "map-ms=5000"])
        let workers = try (0..<2).map { _ in try worker(["--work-dir", work, "--log-level", "info", "--master-grace", "1"]) }
        // Each worker's own word that it registered: the master logs the registration before its answer
        // is sent, and a worker whose master dies before the answer arrives keeps trying to reach it
        // for its --connect-timeout, as it should.
        for worker in workers { _ = try await worker.waitForStandardError(matching: "registered") }
        kill(master.processIdentifier, signal)
        for worker in workers {
            // The worker timeout is 2 s and the grace 1 s; allow for a slow machine.
            #expect(await Self.waitForExit(worker.processIdentifier, seconds: 10), "a worker outlived its master")
            #expect(worker.standardErrorSoFar.contains("lost the master; waiting for it to come back"))
        }
        #expect((try FileManager.default.contentsOfDirectory(atPath: work)).isEmpty, "work directories left behind")
        kill(master.processIdentifier, SIGKILL)
    }
}
}
