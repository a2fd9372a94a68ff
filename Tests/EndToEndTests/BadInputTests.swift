import Foundation
import Testing
import TestSupport

/// Bad input data and bad resources: each works, or fails with one clear line and no output.
extension EndToEnd {
@Suite(.timeLimit(.minutes(3)))
struct BadInputTests {
    static func lines(_ directory: TemporaryDirectory, _ name: String = "out") throws -> [String] {
        try directory.partFiles(name).flatMap { String(decoding: $0.contents, as: UTF8.self).split(separator: "\n").map(String.init) }.sorted()
    }

    static func reference(_ texts: [[UInt8]]) -> [String] {
        ReferenceWords.count(texts).map { "\($0.key)\t\($0.value)" }.sorted()
    }

    static func noPartFiles(_ path: String) -> Bool {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).allSatisfy { !$0.hasPrefix("part-") }
    }

    @Test func tenThousandSmallFilesMakeAFewTasks() async throws {
        let directory = try TemporaryDirectory()
        var texts: [[UInt8]] = []
        for i in 0..<10_000 {
            texts.append(Array("file \(i) holds word\(["a", "b", "c"][i % 3]) and tail\n".utf8))
            try directory.write("many/\(i / 100)/\(i).txt", texts[i])
        }
        let result = try await ChildProcess.run("wordcount", ["run", "--workers", "2", "--output", "\(directory.path)/out", "\(directory.path)/many"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardError.contains("Map input records=10000\n"))
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(directory.path)/out/_job.json"))) as? [String: Any]
        #expect((report?["maps"] as? Int ?? .max) <= 12, "10,000 files of 40 bytes need about ten tasks")
        #expect(try Self.lines(directory) == Self.reference(texts))
    }

    @Test func binaryFilesAreJustBytes() async throws {
        let directory = try TemporaryDirectory()
        var random = SeededRandom(seed: 3)
        let binary = (0..<200_000).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        try directory.write("in/blob.bin", binary)
        let result = try await ChildProcess.run("wordcount", ["run", "--workers", "2", "--split-size", "20K", "--output", "\(directory.path)/out", "\(directory.path)/in"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(try Self.lines(directory) == Self.reference([binary]))
    }

    @Test func aLineLongerThanTheSortBuffer() async throws {
        let directory = try TemporaryDirectory()
        let text = Array(("short words here\n" + String(repeating: "w", count: 3 << 20) + " end\nlast line\n").utf8)
        try directory.write("in/long.txt", text)
        // failing-map is word count without a combiner: the 3 MB word is one record, bigger than the 1 MB buffer.
        let result = try await ChildProcess.run("testjobs", [
            "run", "--job", "failing-map", "--workers", "2", "--sort-buffer-mb", "1", "--param", "fail-on=nothing",
            "--output", "\(directory.path)/out", "\(directory.path)/in",
        ])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(try Self.lines(directory) == Self.reference([text]))
    }

    @Test func anEmptyInputMakesEmptyOutput() async throws {
        let directory = try TemporaryDirectory()
        try directory.write("in/empty.txt", [])
        let result = try await ChildProcess.run("wordcount", ["run", "--workers", "2", "--reducers", "3", "--output", "\(directory.path)/out", "\(directory.path)/in"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(try directory.partFiles("out").map(\.contents) == [[], [], []])
        #expect(FileManager.default.fileExists(atPath: "\(directory.path)/out/_SUCCESS"))
    }

    @Test(arguments: ["shrinks", "disappears"])
    func anInputFileThatChangesUnderTheJobFailsIt(change: String) async throws {
        let directory = try TemporaryDirectory()
        try directory.write("input/a.txt", Array("one two\n".utf8))
        let victim = try directory.write("input/b.txt", Array(String(repeating: "three four five\n", count: 500).utf8))
        let gate = "\(directory.path)/gate"
        let out = "\(directory.path)/out"
        let run = try ChildProcess("testjobs", [
            "run", "--job", "paced", "--workers", "2", "--split-size", "64K", "--log-level", "info",
            "--param", "gate=\(gate)", "--param", "gated=b.txt", "--output", out, "\(directory.path)/input",
        ])
        _ = try await run.waitForStandardError(matching: "worker registered")
        if change == "shrinks" {
            try directory.write("input/b.txt", Array("three\n".utf8))
        } else {
            try FileManager.default.removeItem(atPath: victim)
        }
        #expect(FileManager.default.createFile(atPath: gate, contents: nil))
        let result = try await run.wait(timeout: 60)
        #expect(result.status != 0)
        let expected = change == "shrinks" ? "input file \(victim) is now 6 bytes, shorter than when the job started" : "cannot open \(victim): No such file or directory"
        #expect(result.errorLines.last?.contains(expected) == true, "\(result.errorLines.last ?? "")")
        #expect(Self.noPartFiles(out))
    }

    @Test func aFailingJobLogsEachFailedAttemptOnceBeforeItsErrorLine() async throws {
        let directory = try TemporaryDirectory()
        try directory.write("in/a.txt", Array("a b poison c\n".utf8))
        let result = try await ChildProcess.run("testjobs", [
            "run", "--job", "failing-map", "--workers", "2", "--no-http", "--param", "fail-on=poison", "--output", "\(directory.path)/out",
            "\(directory.path)/in",
        ])
        #expect(result.status != 0)
        let failures = result.errorLines.filter { $0.contains("attempt failed") }
        #expect(failures.count == 4, "\(result.standardError)")
        #expect(Set(failures.compactMap { $0.firstMatch(of: /attempt=(m-00000-a\d)/)?.1 }).count == 4, "\(result.standardError)")
        // The job's setup at its start, the four failed attempts, the error.
        #expect(result.errorLines.count == 6, "\(result.standardError)")
        #expect(result.errorLines.first?.hasPrefix("failing-map: 1 map tasks, 2 reduce tasks, combiner none") == true, "\(result.standardError)")
        #expect(result.errorLines.first?.contains("fail-on=poison") == true, "\(result.standardError)")
        #expect(result.errorLines.last?.hasPrefix("testjobs: error: map task m-00000") == true)
    }

    @Test func inputPathsThatAreNotFilesAreClearErrors() async throws {
        let directory = try TemporaryDirectory()
        let fifo = "\(directory.path)/fifo"
        #expect(mkfifo(fifo, 0o600) == 0)
        try FileManager.default.createSymbolicLink(atPath: "\(directory.path)/dangling", withDestinationPath: "\(directory.path)/nowhere")
        for (input, message) in [(fifo, "input path is not a file or directory: \(fifo)"), ("\(directory.path)/dangling", "input path does not exist: \(directory.path)/dangling")] {
            let result = try await ChildProcess.run("wordcount", ["run", "--in-process", "--output", "\(directory.path)/out", input])
            #expect(result.status != 0)
            #expect(result.errorLines == ["wordcount: error: \(message)"])
        }
    }

    @Test(.enabled(if: geteuid() != 0, "root reads every file"))
    func anUnreadableFileIsAClearError() async throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("in/secret.txt", Array("hidden\n".utf8))
        #expect(chmod(path, 0) == 0)
        let result = try await ChildProcess.run("wordcount", ["run", "--in-process", "--output", "\(directory.path)/out", path])
        #expect(result.status != 0)
        #expect(result.errorLines.last?.contains("cannot open \(path): Permission denied") == true)
    }

    @Test(.enabled(if: SmallDisk.unavailableReason == nil, "\(SmallDisk.unavailableReason ?? "")"))
    func aFullWorkDirectoryFailsTheTaskWhichRunsElsewhere() async throws {
        // Each map writes about 130 KB, so the small disk is full after two.
        let disk = try SmallDisk(kilobytes: 256)
        let directory = try TemporaryDirectory()
        var texts: [[UInt8]] = []
        for i in 0..<12 {
            var random = RandomText(seed: UInt64(300 + i))
            texts.append(random.make(size: 120_000))
            try directory.write("input/\(i).txt", texts[i])
        }
        let secret = try directory.write("secret", Array("sixteen or more characters".utf8))
        let master = try ChildProcess("testjobs", [
            "master", "--job", "failing-map", "--param", "fail-on=nothing", "--param", "map-ms=500", "--secret-file", secret,
            "--compression-level", "0",
            "--split-size", "128K", "--log-level", "info", "--output", "\(directory.path)/out", "\(directory.path)/input",
        ])
        let port = try await master.waitForStandardError(matching: "listening on 127\\.0\\.0\\.1:(\\d+)")
        // One worker works on a roomy disk; the other, which comes while many maps still wait (the
        // first alone needs 6 s for them, time enough for a second process to start on a busy machine), on the small one.
        let roomy = try ChildProcess("testjobs", ["worker", "--master", "127.0.0.1:\(port)", "--secret-file", secret])
        _ = try await master.waitForStandardError(matching: "worker registered")
        let cramped = try ChildProcess("testjobs", ["worker", "--master", "127.0.0.1:\(port)", "--secret-file", secret, "--work-dir", disk.path])
        let finished = try await master.wait(timeout: 120)
        #expect(finished.status == 0, "\(finished.standardError)")
        #expect(finished.standardError.contains("No space left on device"))
        #expect(try Self.lines(directory) == Self.reference(texts))
        _ = try await cramped.wait(timeout: 30)
        _ = try await roomy.wait(timeout: 30)
    }

    @Test(.enabled(if: SmallDisk.unavailableReason == nil, "\(SmallDisk.unavailableReason ?? "")"))
    func outputThatCannotBeWrittenFailsTheJobWithoutPartFiles() async throws {
        let disk = try SmallDisk(kilobytes: 64)
        let directory = try TemporaryDirectory()
        // 20,000 different words make about 200 KB of output, more than the disk holds.
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        let words = (0..<20_000).map { (number: Int) -> String in
            String([letters[number % 26], letters[number / 26 % 26], letters[number / 676 % 26], "z"])
        }
        try directory.write("input/a.txt", Array(words.joined(separator: "\n").utf8))
        let out = "\(disk.path)/out"
        let result = try await ChildProcess.run("wordcount", ["run", "--workers", "2", "--reducers", "2", "--output", out, "\(directory.path)/input"])
        #expect(result.status != 0)
        #expect(result.errorLines.last?.contains("No space left on device") == true, "\(result.standardError)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}
}
