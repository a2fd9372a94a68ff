import Foundation
import Testing
import TestSupport

/// `run --workers N`: a real master and real worker processes on loopback.
extension EndToEnd {
@Suite(.timeLimit(.minutes(5)))
struct LocalClusterTests {
    static func makeInputs(_ directory: TemporaryDirectory) throws -> [[UInt8]] {
        var texts: [[UInt8]] = []
        for i in 0..<4 {
            var random = RandomText(seed: UInt64(900 + i))
            texts.append(random.make(size: 15_000 + 9_000 * i))
            try directory.write("input/part\(i).txt", texts[i])
        }
        return texts
    }

    static func partFiles(_ directory: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) where name.hasPrefix("part-") {
            files[name] = try Data(contentsOf: URL(fileURLWithPath: "\(directory)/\(name)"))
        }
        return files
    }

    @Test func clusterOutputIsByteIdenticalToTheInProcessRun() async throws {
        let directory = try TemporaryDirectory()
        let texts = try Self.makeInputs(directory)
        let expected = ReferenceWords.count(texts).map { "\($0.key)\t\($0.value)" }.sorted()
        let input = "\(directory.path)/input"
        for (workers, reducers, splitSize) in [(1, 1, "64M"), (2, 3, "10K"), (4, 8, "3K"), (2, 8, "64M"), (4, 1, "10K")] {
            let cluster = "\(directory.path)/cluster-\(workers)-\(reducers)-\(splitSize)"
            let local = "\(directory.path)/local-\(reducers)-\(splitSize)"
            let common = ["--reducers", "\(reducers)", "--split-size", splitSize, "--overwrite"]
            let ran = try await ChildProcess.run("wordcount", ["run", "--workers", "\(workers)", "--output", cluster] + common + [input])
            #expect(ran.status == 0, "\(ran.standardError)")
            let reference = try await ChildProcess.run("wordcount", ["run", "--in-process", "--output", local] + common + [input])
            #expect(reference.status == 0, "\(reference.standardError)")
            let clusterFiles = try Self.partFiles(cluster)
            #expect(clusterFiles.count == reducers)
            #expect(clusterFiles == (try Self.partFiles(local)), "\(workers) workers, \(reducers) reducers, splits of \(splitSize)")
            let lines = clusterFiles.values.flatMap { String(decoding: $0, as: UTF8.self).split(separator: "\n").map(String.init) }
            #expect(lines.sorted() == expected)
            #expect(FileManager.default.fileExists(atPath: "\(cluster)/_SUCCESS"))
            let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(cluster)/_job.json"))) as? [String: Any]
            let attempts = report?["attempts"] as? [[String: Any]] ?? []
            #expect(Set(attempts.compactMap { $0["worker"] as? String }).allSatisfy { $0.hasPrefix("w-") })
            #expect(ran.standardError.contains("Reduce shuffle bytes="))
        }
    }

    @Test func mapsRunInDifferentWorkersAtOnceAndSoDoReduces() async throws {
        let directory = try TemporaryDirectory()
        try directory.write("input/a.txt", Array("one\n".utf8))
        try directory.write("input/b.txt", Array("two\n".utf8))
        try FileManager.default.createDirectory(atPath: "\(directory.path)/meet", withIntermediateDirectories: true)
        let result = try await ChildProcess.run("testjobs", [
            "run", "--job", "rendezvous", "--workers", "2", "--reducers", "2", "--max-attempts", "1", "--split-size", "64K",
            "--param", "dir=\(directory.path)/meet", "--param", "tasks=2", "--output", "\(directory.path)/out", "\(directory.path)/input",
        ])
        #expect(result.status == 0, "\(result.standardError)")
        let lines = try directory.partFiles("out").flatMap { String(decoding: $0.contents, as: UTF8.self).split(separator: "\n") }
        let mapProcesses = Set(lines.filter { $0.hasPrefix("map ") }.map { $0.split(separator: "\t")[0] })
        let reduceProcesses = Set(lines.filter { $0.hasPrefix("reduce ") }.map { $0.split(separator: "\t")[0] })
        #expect(mapProcesses.count == 2)
        #expect(reduceProcesses.count == 2)
    }

    @Test func aMapperThatAlwaysThrowsFailsTheJobAfterItsAttempts() async throws {
        let directory = try TemporaryDirectory()
        try directory.write("input/a.txt", Array("fine\nthe zebra\n".utf8))
        let out = "\(directory.path)/out"
        let result = try await ChildProcess.run("testjobs", [
            "run", "--job", "failing-map", "--workers", "2", "--max-attempts", "3", "--param", "fail-on=zebra", "--output", out,
            "\(directory.path)/input",
        ])
        #expect(result.status != 0)
        #expect(result.errorLines.last?.contains("map task m-00000 (\(directory.path)/input/a.txt bytes 0-15) failed 3 times") == true)
        #expect(result.errorLines.last?.hasSuffix("last error: record 1 (\(directory.path)/input/a.txt byte 5): poisoned record: the zebra") == true, "\(result.standardError)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func workersThatDieAtWorkAreReplacedHoweverOften() async throws {
        let directory = try TemporaryDirectory()
        var random = RandomText(seed: 977)
        let text = random.make(size: 16_000)
        try directory.write("input/a.txt", text)
        // Eight map tasks, whose first attempts each end their worker process: eight
        // replacements for one worker, more than a pool gives workers that die before registering.
        let out = "\(directory.path)/out"
        let result = try await ChildProcess.run("testjobs", [
            "run", "--job", "paced", "--workers", "1", "--reducers", "1", "--split-size", "2K",
            "--param", "crash-first-attempts=true", "--output", out, "\(directory.path)/input",
        ])
        #expect(result.status == 0, "\(result.standardError)")
        let lines = try directory.partFiles("out").flatMap { String(decoding: $0.contents, as: UTF8.self).split(separator: "\n") }
        #expect(lines.map(String.init).sorted() == ReferenceWords.count([text]).map { "\($0.key)\t\($0.value)" }.sorted())
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(out)/_job.json"))) as? [String: Any]
        let lost = (report?["attempts"] as? [[String: Any]] ?? []).filter { attempt in
            attempt["succeeded"] as? Bool == false && (attempt["id"] as? String)?.hasSuffix("-a1") == true
        }
        #expect(lost.count == 8, "\(result.standardError)")
    }

    @Test func killingRunLeavesNoWorkersBehind() async throws {
        let directory = try TemporaryDirectory()
        try directory.write("input/a.txt", Array("x\n".utf8))
        try FileManager.default.createDirectory(atPath: "\(directory.path)/meet", withIntermediateDirectories: true)
        // Two map tasks that can never meet three: the job waits, with its workers up.
        try directory.write("input/b.txt", Array("y\n".utf8))
        let run = try ChildProcess("testjobs", [
            "run", "--job", "rendezvous", "--workers", "2", "--log-level", "info", "--split-size", "64K",
            "--param", "dir=\(directory.path)/meet", "--param", "tasks=3", "--output", "\(directory.path)/out", "\(directory.path)/input",
        ])
        _ = try await run.waitForStandardError(matching: "worker registered.*\\n(.|\\n)*worker registered")
        let workers = Self.workers(of: run.processIdentifier)
        #expect(workers.count == 2)
        let master = try #require(Self.master(of: run.processIdentifier))
        kill(run.processIdentifier, SIGKILL)
        _ = try? await run.wait(timeout: 10)
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline, workers.contains(where: Self.isAlive) { try await Task.sleep(for: .milliseconds(20)) }
        #expect(!workers.contains(where: Self.isAlive), "workers \(workers) outlived their run process")
        while Date() < deadline, Self.isAlive(master) { try await Task.sleep(for: .milliseconds(20)) }
        #expect(!Self.isAlive(master), "the master outlived its run process")
    }

    /// The processes whose parent is `pid`.
    static func children(of pid: Int32) -> [Int32] {
        let threads = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        return threads.flatMap { thread in
            let text = (try? String(contentsOfFile: "/proc/\(pid)/task/\(thread)/children", encoding: .utf8)) ?? ""
            return text.split(separator: " ").compactMap { Int32($0) }
        }
    }

    /// The worker processes among the children of `pid` (a `run`), and its master process.
    static func workers(of pid: Int32) -> [Int32] {
        Self.children(of: pid).filter { Self.command(of: $0).dropFirst().first == "worker" }
    }

    static func master(of pid: Int32) -> Int32? {
        Self.children(of: pid).first { Self.command(of: $0).dropFirst().first == "master" }
    }

    /// The arguments `pid` was started with, its program first.
    static func command(of pid: Int32) -> [String] {
        let bytes = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline"))) ?? Data()
        return bytes.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
    }

    static func isAlive(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return false }
        return !stat.contains(") Z ")
    }
}
}
