import Foundation
import Testing
import TestSupport

/// The `wordcount` executable, run as a user runs it.
extension EndToEnd {
@Suite(.timeLimit(.minutes(3)))
struct WordCountCommandTests {
    static func makeInputs(_ directory: TemporaryDirectory) throws -> [[UInt8]] {
        var texts: [[UInt8]] = []
        for i in 0..<3 {
            var random = RandomText(seed: UInt64(500 + i))
            texts.append(random.make(size: 30_000 + 11_000 * i))
            try directory.write("input/file\(i).txt", texts[i])
        }
        return texts
    }

    /// The output directory's lines, each part file's keys checked to ascend by their bytes.
    static func outputLines(_ directory: TemporaryDirectory, _ name: String) throws -> [String] {
        var lines: [String] = []
        for part in try directory.partFiles(name) {
            let partLines = String(decoding: part.contents, as: UTF8.self).split(separator: "\n").map(String.init)
            let keys = partLines.map { Array($0.prefix { $0 != "\t" }.utf8) }
            #expect(zip(keys, keys.dropFirst()).allSatisfy { $0.lexicographicallyPrecedes($1) }, "\(name)/\(part.name) is sorted")
            lines += partLines
        }
        return lines
    }

    @Test func outputEqualsAnIndependentCountWhateverTheSettings() async throws {
        let directory = try TemporaryDirectory()
        let texts = try Self.makeInputs(directory)
        let expected = ReferenceWords.count(texts).map { "\($0.key)\t\($0.value)" }.sorted()
        var outputs: [[String]] = []
        for (reducers, splitSize, sortBuffer) in [("1", "64M", "64"), ("3", "1000", "1"), ("8", "7K", "1")] {
            let output = "\(directory.path)/out-\(reducers)"
            let result = try await ChildProcess.run("wordcount", [
                "run", "--in-process", "--reducers", reducers, "--split-size", splitSize, "--sort-buffer-mb", sortBuffer,
                "--output", output, "\(directory.path)/input",
            ])
            #expect(result.status == 0, "\(result.standardError)")
            #expect(result.standardError.contains("Reduce output records=\(expected.count)\n"))
            #expect(try directory.partFiles("out-\(reducers)").count == Int(reducers))
            #expect(FileManager.default.fileExists(atPath: "\(output)/_SUCCESS"))
            #expect(FileManager.default.fileExists(atPath: "\(output)/_job.json"))
            outputs.append(try Self.outputLines(directory, "out-\(reducers)").sorted())
        }
        for output in outputs { #expect(output == expected) }
    }

    /// Runs a command expected to fail; checks it says one line naming the problem and leaves no part files.
    static func expectFailure(
        _ arguments: [String], product: String = "wordcount", output: String, saying expected: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let result = try await ChildProcess.run(product, arguments)
        #expect(result.status != 0, sourceLocation: sourceLocation)
        #expect(result.errorLines.count == 1, "\(result.standardError)", sourceLocation: sourceLocation)
        #expect(result.standardError.contains(expected), "\(result.standardError)", sourceLocation: sourceLocation)
        let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: output))?.filter { $0.hasPrefix("part-") } ?? []
        #expect(leftovers.isEmpty, sourceLocation: sourceLocation)
    }

    @Test func badInputGetsOneClearLineAndNoOutput() async throws {
        let directory = try TemporaryDirectory()
        _ = try Self.makeInputs(directory)
        let input = "\(directory.path)/input"
        let out = "\(directory.path)/out"
        let run = ["run", "--in-process", "--output", out]
        try await Self.expectFailure(run + ["\(directory.path)/missing.txt"], output: out, saying: "input path does not exist: \(directory.path)/missing.txt")
        try FileManager.default.createDirectory(atPath: "\(directory.path)/empty", withIntermediateDirectories: true)
        try await Self.expectFailure(run + ["\(directory.path)/empty"], output: out, saying: "input directory \(directory.path)/empty holds no files")
        try await Self.expectFailure(run + ["--reducers=-1", input], output: out, saying: "--reducers must be at least 0 (a map-only job), not -1")
        try await Self.expectFailure(run, output: out, saying: "no input given")
        try await Self.expectFailure(
            run + ["--http", "127.0.0.1:0", input], output: out, saying: "--in-process has no master: --http and --no-http do not apply")
        let file = "\(input)/file0.txt"
        try await Self.expectFailure(
            ["run", "--in-process", "--output", "\(file)/out", input], output: "\(file)/out",
            saying: "cannot write to output directory \(file)/out")
        try directory.write("out/keep.txt", [1])
        try await Self.expectFailure(run + [input], output: out, saying: "output directory \(out) already exists and is not empty")
        #expect(FileManager.default.fileExists(atPath: "\(out)/keep.txt"))
    }

    @Test func aThrowingMapperFailsTheJobNamingTheRecord() async throws {
        let directory = try TemporaryDirectory()
        try directory.write("input/a.txt", Array("fine words\nmore words\n".utf8))
        try directory.write("input/b.txt", Array("all good\nthe zebra is here\nafter\n".utf8))
        let out = "\(directory.path)/out"
        try await Self.expectFailure(
            ["run", "--in-process", "--job", "failing-map", "--reducers", "2", "--split-size", "64K", "--param", "fail-on=zebra", "--output", out, "\(directory.path)/input"],
            product: "testjobs", output: out, saying: "input/b.txt bytes 0-33) failed: record 1 (\(directory.path)/input/b.txt byte 9): poisoned record: the zebra is here")
        #expect(!FileManager.default.fileExists(atPath: out))
        let result = try await ChildProcess.run(
            "testjobs", ["run", "--in-process", "--job", "failing-map", "--param", "fail-on=absent", "--output", out, "\(directory.path)/input"])
        #expect(result.status == 0, "\(result.standardError)")
    }

    @Test func withoutReducersALocalClusterHasOneReduceTaskPerWorker() async throws {
        let directory = try TemporaryDirectory()
        let texts = try Self.makeInputs(directory)
        let result = try await ChildProcess.run("wordcount", [
            "run", "--workers", "3", "--output", "\(directory.path)/out", "\(directory.path)/input",
        ])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(try directory.partFiles("out").count == 3)
        #expect(try Self.outputLines(directory, "out").sorted() == ReferenceWords.count(texts).map { "\($0.key)\t\($0.value)" }.sorted())
    }
}
}
