import Foundation
import Testing
import TestSupport

/// A master killed with SIGKILL mid-job and started again with `--recover`:
/// the job finishes with the output of an undisturbed run, and the report
/// shows which attempts each run of the master ran.
extension EndToEnd {
@Suite(.timeLimit(.minutes(5)))
struct MasterRecoveryTests {
    typealias Faults = FaultToleranceTests

    /// A hand-started cluster of `testjobs --job paced` whose master can be killed and started
    /// again on the same port; its processes go when it does.
    final class Cluster {
        let directory: TemporaryDirectory
        let arguments: [String]
        let port: String
        private(set) var master: ChildProcess
        private(set) var workers: [ChildProcess] = []

        init(_ directory: TemporaryDirectory, reducers: Int, _ extra: [String] = []) async throws {
            self.directory = directory
            let secret = try directory.write("secret", Array("sixteen or more characters".utf8))
            self.arguments =
                [
                    "--job", "paced", "--secret-file", secret, "--log-level", "info", "--split-size", "3K", "--reducers", "\(reducers)",
                    "--worker-timeout", "3", "--output", "\(directory.path)/out",
                ] + extra + ["\(directory.path)/input"]
            self.master = try ChildProcess("testjobs", ["master"] + self.arguments)
            self.port = try await self.master.waitForStandardError(matching: "listening on 127\\.0\\.0\\.1:(\\d+)")
            let work = "\(directory.path)/work"
            try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
            self.workers = try (0..<2).map { _ in
                try ChildProcess("testjobs", [
                    "worker", "--master", "127.0.0.1:\(self.port)", "--secret-file", secret, "--work-dir", work, "--master-grace", "30",
                    "--log-level", "info",
                ])
            }
        }

        /// Kills the master once its standard error has matched `pattern`, and waits for it to go.
        func killMaster(after pattern: String) async throws {
            _ = try await self.master.waitForStandardError(matching: pattern)
            kill(self.master.processIdentifier, SIGKILL)
            _ = try await self.master.wait(timeout: 10)
        }

        /// Starts the master again with `--recover` (and `extra`), on the same port.
        func recover(_ extra: [String] = []) throws {
            self.master = try ChildProcess("testjobs", ["master", "--recover", "--listen", "127.0.0.1:\(self.port)"] + self.arguments + extra)
        }

        /// Waits for the master to end and for the workers it told to stop.
        func finish() async throws -> ChildProcess.Result {
            let result = try await self.master.wait(timeout: 120)
            for worker in self.workers { _ = try await worker.wait(timeout: 30) }
            return result
        }
    }

    /// A cluster's job over `files` input files into `reducers` reduce tasks, and the output of an undisturbed run of it.
    static func job(files: Int, reducers: Int, _ extra: [String]) async throws -> (Cluster, expected: [String: [UInt8]]) {
        let directory = try TemporaryDirectory()
        _ = try Faults.makeInputs(directory, files: files)
        let expected = try await Faults.undisturbed(directory, reducers: reducers)
        return (try await Cluster(directory, reducers: reducers, extra), expected)
    }

    /// Waits for `cluster`'s job to end, checks that it succeeded with the `expected` output, and returns its attempts.
    static func finished(_ cluster: Cluster, expected: [String: [UInt8]]) async throws -> [(id: String, run: Int, state: String)] {
        let result = try await cluster.finish()
        #expect(result.status == 0, "\(result.standardError)")
        #expect(try Faults.partFiles(cluster.directory) == expected)
        return Self.attempts(try Faults.report("\(cluster.directory.path)/out"))
    }

    /// The attempts of `report`, as (id, master run, state).
    static func attempts(_ report: [String: Any]) -> [(id: String, run: Int, state: String)] {
        (report["attempts"] as? [[String: Any]] ?? []).map {
            ($0["id"] as? String ?? "", $0["masterRun"] as? Int ?? 0, $0["state"] as? String ?? "")
        }
    }

    /// The task of an attempt's id: `m-00003-a2` is `m-00003`.
    static func task(_ id: String) -> String { String(id.prefix(7)) }

    @Test func aMasterKilledInTheMapPhaseIsTakenOverAndKeepsTheFinishedMaps() async throws {
        let (cluster, expected) = try await Self.job(files: 6, reducers: 2, ["--param", "map-ms=300"])
        try await cluster.killMaster(after: "(map output ready(.|\\n)*){3}")
        try cluster.recover()
        let attempts = try await Self.finished(cluster, expected: expected)
        let finishedBefore = Set(attempts.filter { $0.run == 1 && $0.state == "succeeded" }.map { Self.task($0.id) })
        #expect(finishedBefore.count >= 3)
        #expect(finishedBefore.allSatisfy { $0.hasPrefix("m-") })
        // Both workers came back with their outputs: no finished map ran again.
        let ranAfter = Set(attempts.filter { $0.run == 2 }.map { Self.task($0.id) })
        #expect(finishedBefore.isDisjoint(with: ranAfter), "\(attempts)")
        // Attempts the first master handed out are not named again.
        #expect(Set(attempts.map(\.id)).count == attempts.count)
        #expect(!FileManager.default.fileExists(atPath: "\(cluster.directory.path)/out/_temporary"))
    }

    @Test func committedReducesDoNotRunAgain() async throws {
        let (cluster, expected) = try await Self.job(files: 4, reducers: 4, ["--param", "reduce-ms=1500", "--slow-start", "1"])
        try await cluster.killMaster(after: "task committed")
        try cluster.recover()
        let attempts = try await Self.finished(cluster, expected: expected)
        let committedBefore = Set(attempts.filter { $0.run == 1 && $0.id.hasPrefix("r-") }.map { Self.task($0.id) })
        #expect(!committedBefore.isEmpty)
        #expect(committedBefore.isDisjoint(with: attempts.filter { $0.run == 2 }.map { Self.task($0.id) }), "\(attempts)")
        #expect(Set(attempts.filter { $0.state == "succeeded" && $0.id.hasPrefix("r-") }.map { Self.task($0.id) }).count == 4)
    }

    /// Appends a record to a journal as docs/journal.md describes it: length, CRC-32, JSON.
    static func append(_ json: String, toJournal path: String) throws {
        let payload = Array(json.utf8)
        var bytes: [UInt8] = []
        for value in [UInt32(payload.count), UInt32(payload.withUnsafeBytes { ReferenceCRC32.checksum($0) })] {
            bytes += withUnsafeBytes(of: value.bigEndian, Array.init)
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: bytes + payload)
        try handle.close()
    }

    /// A job commit cut short after it moved some part files, and taken over: the next master moves the
    /// rest. The first master is killed after some reduces committed; the second runs the others and
    /// begins the commit, which stops at a part file put out of its way (as a crash there would); the third finishes it.
    @Test func aCommitCutShortIsFinished() async throws {
        let (cluster, expected) = try await Self.job(files: 4, reducers: 4, ["--param", "reduce-ms=1500", "--slow-start", "1"])
        try await cluster.killMaster(after: "(task committed(.|\\n)*){2}")
        let output = "\(cluster.directory.path)/out"
        let committed = "\(output)/_temporary/_committed"
        let first = try FileManager.default.contentsOfDirectory(atPath: committed).sorted()
        #expect(first.count >= 2)
        // The last of them in commit order is moved aside, a directory in its place.
        let blocked = try #require(first.last)
        try FileManager.default.moveItem(atPath: "\(committed)/\(blocked)", toPath: "\(cluster.directory.path)/\(blocked)")
        try FileManager.default.createDirectory(atPath: "\(committed)/\(blocked)", withIntermediateDirectories: false)
        try cluster.recover()
        let stopped = try await cluster.master.wait(timeout: 60)
        #expect(stopped.status != 0)
        #expect(FileManager.default.fileExists(atPath: "\(output)/\(first[0])"), "the commit moved the first part file")
        #expect(!FileManager.default.fileExists(atPath: "\(output)/_SUCCESS"))
        try FileManager.default.removeItem(atPath: "\(committed)/\(blocked)")
        try FileManager.default.moveItem(atPath: "\(cluster.directory.path)/\(blocked)", toPath: "\(committed)/\(blocked)")
        // Every task is committed: the third master needs no worker (those the second told to go have gone).
        try cluster.recover()
        let attempts = try await Self.finished(cluster, expected: expected)
        #expect(FileManager.default.fileExists(atPath: "\(output)/_SUCCESS"))
        #expect(Set(attempts.filter { $0.id.hasPrefix("r-") }.map(\.run)) == [1, 2], "\(attempts)")
    }

    @Test func aMasterKilledTwiceIsTakenOverTwice() async throws {
        let (cluster, expected) = try await Self.job(
            files: 6, reducers: 3, ["--param", "map-ms=200", "--param", "reduce-ms=1500", "--slow-start", "1"])
        let journal = "\(cluster.directory.path)/out/_temporary/_journal"
        try await cluster.killMaster(after: "(map output ready(.|\\n)*){2}")
        try cluster.recover()
        try await cluster.killMaster(after: "task committed")
        // A record cut short by the crash, at the journal's end, is ignored.
        try Self.append("{\"launched\":{\"kind\":\"m\"", toJournal: journal)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: journal))
        let end = try handle.seekToEnd()
        try handle.truncate(atOffset: end - 3)
        try handle.close()
        try cluster.recover()
        let attempts = try await Self.finished(cluster, expected: expected)
        #expect(cluster.master.standardErrorSoFar.contains("cut short or damaged"))
        #expect(Set(attempts.map(\.run)).isSuperset(of: [1, 2, 3]), "\(attempts)")
        #expect(Set(attempts.map(\.id)).count == attempts.count)
    }

    /// `run` supervises its master process: killed, it is started again and takes the job over.
    @Test func runStartsItsMasterAgainWhenItDies() async throws {
        let directory = try TemporaryDirectory()
        _ = try Faults.makeInputs(directory, files: 6)
        let expected = try await Faults.undisturbed(directory, reducers: 2)
        let run = try ChildProcess("testjobs", [
            "run", "--job", "paced", "--workers", "2", "--reducers", "2", "--split-size", "3K", "--worker-timeout", "3",
            "--param", "map-ms=300", "--log-level", "info", "--output", "\(directory.path)/out", "\(directory.path)/input",
        ])
        _ = try await run.waitForStandardError(matching: "(map output ready(.|\\n)*){3}")
        kill(try #require(LocalClusterTests.master(of: run.processIdentifier)), SIGKILL)
        let result = try await run.wait(timeout: 120)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardError.contains("the master process died; starting it again to take the job over"))
        #expect(try Faults.partFiles(directory) == expected)
        let attempts = Self.attempts(try Faults.report("\(directory.path)/out"))
        #expect(Set(attempts.map(\.run)) == [1, 2], "\(attempts)")
    }

    @Test func runGivesUpOnAMasterThatKeepsDying() async throws {
        let directory = try TemporaryDirectory()
        _ = try Faults.makeInputs(directory, files: 6)
        let run = try ChildProcess("testjobs", [
            "run", "--job", "paced", "--workers", "1", "--reducers", "1", "--split-size", "3K", "--param", "map-ms=2000",
            "--output", "\(directory.path)/out", "\(directory.path)/input",
        ])
        // Once the first master has made its plan (it listens, and the workers have started), and then every one that comes.
        _ = try await run.waitForStandardError(matching: "map tasks")
        var killed: Set<Int32> = []
        try await eventually("four masters killed") {
            if let master = LocalClusterTests.master(of: run.processIdentifier), !killed.contains(master) {
                kill(master, SIGKILL)
                killed.insert(master)
            }
            return killed.count == 4 || !Faults.isAlive(run.processIdentifier)
        }
        let result = try await run.wait(timeout: 30)
        #expect(killed.count == 4)
        #expect(result.status == 1)
        #expect(result.errorLines.last == "testjobs: error: the master process died of signal 9 (started again 3 times); giving up", "\(result.standardError)")
        #expect(!FileManager.default.fileExists(atPath: "\(directory.path)/out"))
    }

    @Test func aJournalOfAnotherJobIsRefused() async throws {
        let directory = try TemporaryDirectory()
        _ = try Faults.makeInputs(directory, files: 4)
        let cluster = try await Cluster(directory, reducers: 2, ["--param", "map-ms=300"])
        try await cluster.killMaster(after: "map output ready")
        try cluster.recover(["--reducers", "3"])
        let result = try await cluster.master.wait(timeout: 30)
        #expect(result.status != 0)
        #expect(result.errorLines.last?.contains("is of another job: it had 2 reduce tasks, not 3") == true, "\(result.standardError)")
        // The refused master leaves the journal for one that is given the right job.
        #expect(FileManager.default.fileExists(atPath: "\(directory.path)/out/_temporary/_journal"))
        try cluster.recover()
        let finished = try await cluster.finish()
        #expect(finished.status == 0, "\(finished.standardError)")
    }
}
}
