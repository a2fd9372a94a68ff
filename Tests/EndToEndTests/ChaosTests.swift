import Foundation
import MapReduce
import Testing
import TestSupport

/// Workloads that crash, kill and cripple workers as a hostile world would:
/// the job still finishes, and its output is the undisturbed one.
extension EndToEnd {
@Suite(.timeLimit(.minutes(5)))
struct ChaosTests {
    typealias Faults = FaultToleranceTests

    /// Eight files of different sizes in `input/`; returns the crash job's expected output lines.
    static func makeCrashInputs(_ directory: TemporaryDirectory) throws -> [String] {
        var paths: [String] = []
        var sizes: [Int] = []
        for i in 0..<8 {
            var random = RandomText(seed: UInt64(500 + i))
            let text = random.make(size: 1_000 + 700 * i)
            paths.append(try directory.write("input/pg-\(i).txt", text))
            sizes.append(text.count)
        }
        // The lab's reduce sorts each key's values as strings and joins them with spaces.
        func line(_ key: String, _ values: [String]) -> String { "\(key)\t\(values.sorted().joined(separator: " "))" }
        return [
            line("a", paths), line("b", paths.map { String($0.utf8.count) }), line("c", sizes.map(String.init)),
            line("d", Array(repeating: "xyzzy", count: 8)),
        ]
    }

    /// Starts a worker again whenever the last one exits, while `master` runs; returns how many it started.
    /// Each worker ends by itself (told to, or finding its master gone), so each cleans up.
    static func restartLoop(while master: ChildProcess, _ start: @Sendable () throws -> ChildProcess) async throws -> Int {
        var started = 0
        while Faults.isAlive(master.processIdentifier) {
            let worker = try start()
            started += 1
            _ = try await worker.wait(timeout: 60)
        }
        return started
    }

    @Test func theLabCrashWorkloadWithWorkersRestartedInLoopsMatchesTheReference() async throws {
        let directory = try TemporaryDirectory()
        let expected = try Self.makeCrashInputs(directory)
        let secret = try directory.write("secret", Array("sixteen or more characters".utf8))
        // One map per file and ten reducers, as in the lab; sleeps of up to 3 s rather than 10 keep the suite quick.
        let master = try ChildProcess("testjobs", [
            "master", "--job", "crash", "--param", "max-sleep-ms=3000", "--secret-file", secret, "--split-size", "1",
            "--reducers", "10", "--log-level", "info", "--output", "\(directory.path)/out", "\(directory.path)/input",
        ])
        let port = try await master.waitForStandardError(matching: "listening on 127\\.0\\.0\\.1:(\\d+)")
        let work = "\(directory.path)/work"
        let loops = (0..<3).map { _ in
            Task {
                try await Self.restartLoop(while: master) {
                    try ChildProcess("testjobs", [
                        "worker", "--master", "127.0.0.1:\(port)", "--secret-file", secret, "--connect-timeout", "2", "--work-dir", work,
                    ])
                }
            }
        }
        let finished = try await master.wait(timeout: 240)
        var workers = 0
        for loop in loops { workers += try await loop.value }
        #expect(finished.status == 0, "\(finished.standardError)")
        #expect(workers > 3, "no worker crashed")
        #expect(try Faults.outputLines(directory) == expected.sorted())
        // Crashed workers' directories, map outputs and all, were removed by the workers after them.
        #expect(FileSystem.contents(of: work) == [])
    }

    @Test func killingOneOfThreeWorkersEveryHalfSecondChangesNothing() async throws {
        let directory = try TemporaryDirectory()
        // 64 maps and 6 reducers, as `scripts/chaos kill` runs on 256 MB, with maps slow enough
        // for several kills. A killed worker's replacement serves its finished map outputs.
        let expectedLines = try Faults.makeInputs(directory, files: 16, size: 12_000)
        let expected = try await Faults.undisturbed(directory, reducers: 6)
        let run = try ChildProcess("testjobs", [
            "run", "--job", "paced", "--workers", "3", "--reducers", "6", "--split-size", "3K", "--worker-timeout", "3",
            "--param", "map-ms=100", "--param", "reduce-ms=100", "--log-level", "info",
            "--output", "\(directory.path)/out", "\(directory.path)/input",
        ])
        var kills = 0
        let deadline = ContinuousClock.now + .seconds(120)
        while !FileManager.default.fileExists(atPath: "\(directory.path)/out/_SUCCESS"), Faults.isAlive(run.processIdentifier),
            ContinuousClock.now < deadline
        {
            try await Task.sleep(for: .milliseconds(500))
            if let victim = LocalClusterTests.workers(of: run.processIdentifier).randomElement() {
                kill(victim, SIGKILL)
                kills += 1
            }
        }
        let result = try await run.wait(timeout: 30)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(kills >= 4, "the job ended before the workers were disturbed")
        #expect(try Faults.partFiles(directory) == expected)
        #expect(try Faults.outputLines(directory) == expectedLines)
    }

    @Test func aWorkerStartedWhereOneDiedServesItsFinishedMapOutputs() async throws {
        let directory = try TemporaryDirectory()
        let expectedLines = try Faults.makeInputs(directory, files: 2)
        let gate = "\(directory.path)/gate"
        let work = "\(directory.path)/work"
        // Map 0 (a.txt) finishes on the first worker; map 1 (b.txt) then waits at the gate there.
        let (master, worker) = try await Faults.startMaster(directory, ["--param", "gate=\(gate)", "--param", "gated=b.txt"])
        let first = try worker(["--work-dir", work])
        _ = try await master.waitForStandardError(matching: "map output ready")
        try await eventually("the gated map to start") { FileManager.default.fileExists(atPath: "\(gate).waiting") }
        kill(first.processIdentifier, SIGKILL)
        _ = try await master.waitForStandardError(matching: "worker lost")
        // A worker started in the same place finds map 0's output and serves it: the map need not run again.
        let second = try worker(["--work-dir", work])
        _ = try await master.waitForStandardError(matching: "a worker offers map outputs it holds")
        #expect(FileManager.default.createFile(atPath: gate, contents: nil))
        let finished = try await master.wait(timeout: 60)
        #expect(finished.status == 0, "\(finished.standardError)")
        #expect(Faults.succeededAttempts(try Faults.report("\(directory.path)/out")).sorted() == ["m-00000-a1", "m-00001-a2", "r-00000-a1"])
        #expect(try Faults.outputLines(directory) == expectedLines)
        #expect(try await second.wait(timeout: 30).status == 0)
        #expect(FileSystem.contents(of: work) == [], "the dead worker's directory was not removed")
    }

    @Test(.enabled(if: SmallDisk.unavailableReason == nil, "\(SmallDisk.unavailableReason ?? "")"))
    func aWorkerThatFailsFastAndRegistersFirstCannotFailTheJob() async throws {
        let disk = try SmallDisk(kilobytes: 64)
        let directory = try TemporaryDirectory()
        let expectedLines = try Faults.makeInputs(directory, files: 8, size: 100_000)
        let secret = try directory.write("secret", Array("sixteen or more characters".utf8))
        let master = try ChildProcess("testjobs", [
            "master", "--job", "failing-map", "--param", "fail-on=nothing", "--secret-file", secret, "--compression-level", "0",
            "--split-size", "64K", "--log-level", "info", "--output", "\(directory.path)/out", "\(directory.path)/input",
        ])
        let port = try await master.waitForStandardError(matching: "listening on 127\\.0\\.0\\.1:(\\d+)")
        // The worker on the full disk comes first and fails every map it gets at once.
        let cramped = try ChildProcess("testjobs", ["worker", "--master", "127.0.0.1:\(port)", "--secret-file", secret, "--work-dir", disk.path])
        _ = try await master.waitForStandardError(matching: "No space left on device")
        let roomy = try ChildProcess("testjobs", ["worker", "--master", "127.0.0.1:\(port)", "--secret-file", secret])
        let finished = try await master.wait(timeout: 120)
        #expect(finished.status == 0, "\(finished.standardError)")
        #expect(finished.standardError.contains("worker excluded from the job"))
        #expect(try Faults.outputLines(directory) == expectedLines)
        _ = try await cramped.wait(timeout: 30)
        _ = try await roomy.wait(timeout: 30)
    }
}
}
