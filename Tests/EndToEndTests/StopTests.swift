import Foundation
import Testing
import TestSupport

/// Commands stopped by a signal mid-job: writers stop first, then the
/// unfinished output and the work directories go, then the process exits
/// with 128 plus the signal's number.
extension EndToEnd {
@Suite(.timeLimit(.minutes(2)))
struct StopTests {
    /// A job's inputs, and where its output, work directories and gate go.
    struct Setup {
        let directory: TemporaryDirectory
        var input: String { "\(self.directory.path)/input" }
        var output: String { "\(self.directory.path)/out" }
        var work: String { "\(self.directory.path)/work" }
        /// The map task of b.txt makes `gate.waiting` and waits until `gate` exists.
        var gate: String { "\(self.directory.path)/gate" }
        var secretFile: String { "\(self.directory.path)/secret" }

        init(bytes: Int = 20_000) throws {
            self.directory = try TemporaryDirectory()
            for (name, seed) in [("a", UInt64(61)), ("b", UInt64(62))] {
                var random = RandomText(seed: seed)
                try self.directory.write("input/\(name).txt", random.make(size: bytes))
            }
            try self.directory.write("secret", Array("a secret for stopping tests".utf8))
            try FileManager.default.createDirectory(atPath: self.work, withIntermediateDirectories: true)
        }

        /// The arguments of a paced job whose map of b.txt waits at the gate.
        var gatedJob: [String] {
            [
                "--job", "paced", "--reducers", "2", "--split-size", "64K", "--param", "gate=\(self.gate)", "--param", "gated=b.txt",
                "--log-level", "info", "--output", self.output, self.input,
            ]
        }

        /// Checks what a stopped run must leave: nothing of its output, no work directory.
        func expectCleanedUp(_ result: ChildProcess.Result, status: Int32, sourceLocation: SourceLocation = #_sourceLocation) {
            #expect(result.status == status, "\(result.standardError)", sourceLocation: sourceLocation)
            #expect(!FileManager.default.fileExists(atPath: self.output), "the output directory is gone", sourceLocation: sourceLocation)
            #expect(contents(of: self.work).isEmpty, "work directories left: \(contents(of: self.work))", sourceLocation: sourceLocation)
        }
    }

    static func expectGone(_ processes: [Int32], sourceLocation: SourceLocation = #_sourceLocation) {
        let alive = processes.filter(LocalClusterTests.isAlive)
        #expect(alive.isEmpty, "processes \(alive) outlived their stopped parent", sourceLocation: sourceLocation)
    }

    @Test(arguments: [SIGTERM, SIGHUP])
    func aStoppedRunStopsItsWorkersThenRemovesItsOutput(signal: Int32) async throws {
        let setup = try Setup()
        let run = try ChildProcess("testjobs", ["run", "--workers", "2", "--work-dir", setup.work] + setup.gatedJob)
        try await eventually("the gated map to start") { FileManager.default.fileExists(atPath: "\(setup.gate).waiting") }
        let workers = LocalClusterTests.children(of: run.processIdentifier)
        #expect(LocalClusterTests.workers(of: run.processIdentifier).count == 2)
        #expect(workers.count == 3, "two workers and the master")
        #expect(FileManager.default.fileExists(atPath: "\(setup.output)/_temporary"))
        kill(run.processIdentifier, signal)
        let result = try await run.wait(timeout: 30)
        setup.expectCleanedUp(result, status: 128 + signal)
        #expect(result.errorLines.last == "testjobs: stopped by \(signal == SIGTERM ? "SIGTERM" : "SIGHUP")", "\(result.standardError)")
        Self.expectGone(workers)
    }

    @Test func aStoppedInProcessRunStartsNoNewTaskAndRemovesItsOutput() async throws {
        let setup = try Setup(bytes: 40_000)
        // About 40 map tasks of 300 ms each on two threads: seconds of work, stopped after the first.
        let run = try ChildProcess("testjobs", [
            "run", "--in-process", "--workers", "2", "--work-dir", setup.work, "--job", "paced", "--split-size", "1K",
            "--param", "map-ms=300", "--output", setup.output, setup.input,
        ])
        try await eventually("a map output in the work directory") {
            contents(of: setup.work).contains { !contents(of: "\(setup.work)/\($0)").isEmpty }
        }
        kill(run.processIdentifier, SIGINT)
        let result = try await run.wait(timeout: 30)
        setup.expectCleanedUp(result, status: 130)
        #expect(result.errorLines.last == "testjobs: stopped by SIGINT", "\(result.standardError)")
    }

    @Test func aStoppedMasterTellsItsWorkersToGoThenRemovesItsOutput() async throws {
        let setup = try Setup()
        let master = try ChildProcess("testjobs", ["master", "--secret-file", setup.secretFile] + setup.gatedJob)
        let port = try await master.waitForStandardError(matching: "master listening on 127\\.0\\.0\\.1:(\\d+)")
        let workers = try (0..<2).map { _ in
            try ChildProcess("testjobs", ["worker", "--master", "127.0.0.1:\(port)", "--secret-file", setup.secretFile, "--work-dir", setup.work])
        }
        // Both workers in (one still connecting would find no master, and fail), one at the gate.
        _ = try await master.waitForStandardError(matching: "(worker registered(.|\\n)*){2}")
        try await eventually("the gated map to start") { FileManager.default.fileExists(atPath: "\(setup.gate).waiting") }
        kill(master.processIdentifier, SIGINT)
        let result = try await master.wait(timeout: 30)
        for worker in workers {
            let stopped = try await worker.wait(timeout: 30)
            #expect(stopped.status == 0, "a worker told to go exits normally: \(stopped.standardError)")
        }
        setup.expectCleanedUp(result, status: 130)
    }

    @Test func aStoppedWorkerRemovesItsWorkDirectoryAndTheJobGoesOnWithoutIt() async throws {
        let setup = try Setup()
        let master = try ChildProcess("testjobs", ["master", "--secret-file", setup.secretFile] + setup.gatedJob)
        let port = try await master.waitForStandardError(matching: "master listening on 127\\.0\\.0\\.1:(\\d+)")
        let arguments = ["worker", "--master", "127.0.0.1:\(port)", "--secret-file", setup.secretFile, "--work-dir", setup.work]
        let first = try ChildProcess("testjobs", arguments)
        try await eventually("the gated map to start") { FileManager.default.fileExists(atPath: "\(setup.gate).waiting") }
        #expect(contents(of: setup.work).count == 1)
        kill(first.processIdentifier, SIGTERM)
        let stopped = try await first.wait(timeout: 30)
        #expect(stopped.status == 143, "\(stopped.standardError)")
        #expect(stopped.errorLines.last == "testjobs: stopped by SIGTERM", "\(stopped.standardError)")
        #expect(contents(of: setup.work).isEmpty, "work directories left: \(contents(of: setup.work))")
        // Another worker finishes the job.
        #expect(FileManager.default.createFile(atPath: setup.gate, contents: nil))
        let second = try ChildProcess("testjobs", arguments)
        let finished = try await master.wait(timeout: 60)
        #expect(finished.status == 0, "\(finished.standardError)")
        #expect(FileManager.default.fileExists(atPath: "\(setup.output)/_SUCCESS"))
        #expect(try await second.wait(timeout: 30).status == 0)
        #expect(contents(of: setup.work).isEmpty, "work directories left: \(contents(of: setup.work))")
    }
}
}
