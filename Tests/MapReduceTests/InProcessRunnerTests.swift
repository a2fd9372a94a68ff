import Foundation
import Testing
import TestSupport

@testable import MapReduce

/// Whole jobs run in this process, each checked against a plain sequential computation.
@Suite struct InProcessRunnerTests {
    /// Runs `job` over `inputs` into `directory/out` and returns the report.
    @discardableResult
    static func run(
        _ job: AnyJob, _ inputs: [String], in directory: TemporaryDirectory, reducers: Int = 2,
        splitSize: Int64 = 64 << 20, sortBufferMB: Int = 64, parameters: [String: String] = [:], output: String = "out",
        mergeFactor: Int = TaskSettings.defaultMergeFactor, combinerDisabled: Bool = false
    ) async throws -> JobReport {
        var configuration = JobConfiguration(inputs: inputs, outputDirectory: "\(directory.path)/\(output)")
        configuration.reducers = reducers
        configuration.splitSize = splitSize
        configuration.sortBufferMB = sortBufferMB
        configuration.parameters = parameters
        configuration.mergeFactor = mergeFactor
        configuration.combinerDisabled = combinerDisabled
        configuration.overwrite = true
        configuration.workDirectory = "\(directory.path)/work-\(output)"
        try FileManager.default.createDirectory(atPath: configuration.workDirectory!, withIntermediateDirectories: true)
        return try await InProcessRunner(job: job, configuration: configuration).run()
    }

    /// The output's lines, part file by part file, split at the first tab.
    static func outputLines(_ directory: TemporaryDirectory, _ output: String = "out") throws -> [[(String, String)]] {
        try directory.partFiles(output).map { part in
            String(decoding: part.contents, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
                .dropLast().map { line in
                    let tab = line.firstIndex(of: "\t")!
                    return (String(line[..<tab]), String(line[line.index(after: tab)...]))
                }
        }
    }

    static func wordCountInputs(_ directory: TemporaryDirectory, files: Int = 3) throws -> ([String], [[UInt8]]) {
        var texts: [[UInt8]] = []
        var paths: [String] = []
        for i in 0..<files {
            var random = RandomText(seed: UInt64(100 + i))
            texts.append(random.make(size: 20_000 + 7_000 * i))
            paths.append(try directory.write("in/\(i).txt", texts[i]))
        }
        try directory.write("in/empty.txt", [])
        return (["\(directory.path)/in"], texts)
    }

    @Test func wordCountEqualsTheReferenceWhateverTheSettings() async throws {
        let directory = try TemporaryDirectory()
        let (inputs, texts) = try Self.wordCountInputs(directory)
        let expected = ReferenceWords.count(texts)
        var unions: Set<[String]> = []
        for (reducers, splitSize, sortBuffer) in [(1, 64 << 20, 64), (3, 1000, 1), (8, 4096, 1), (2, 333, 64)] {
            let name = "out-\(reducers)-\(splitSize)"
            let report = try await Self.run(
                AnyJob(TestWordCount.self), inputs, in: directory, reducers: reducers, splitSize: Int64(splitSize),
                sortBufferMB: sortBuffer, output: name)
            let parts = try Self.outputLines(directory, name)
            #expect(parts.count == reducers)
            var counts: [String: Int] = [:]
            for part in parts {
                let keys = part.map { Array($0.0.utf8) }
                #expect(zip(keys, keys.dropFirst()).allSatisfy { $0.lexicographicallyPrecedes($1) }, "keys ascend in \(name)")
                for (word, count) in part {
                    #expect(counts.updateValue(Int(count)!, forKey: word) == nil, "\(word) is in two part files")
                }
            }
            #expect(counts == expected)
            #expect(report.counters[.reduceOutputRecords] == Int64(expected.count))
            #expect(report.counters[.mapOutputRecords] == Int64(expected.values.reduce(0, +)))
            unions.insert(parts.joined().map { "\($0.0)\t\($0.1)" }.sorted())
            #expect(FileManager.default.fileExists(atPath: "\(directory.path)/\(name)/_SUCCESS"))
            #expect(!FileManager.default.fileExists(atPath: "\(directory.path)/\(name)/_temporary"))
            #expect(try FileManager.default.contentsOfDirectory(atPath: "\(directory.path)/work-\(name)").isEmpty)
        }
        #expect(unions.count == 1)
    }

    @Test(arguments: [TaskSettings.defaultMergeFactor, 2])
    func spillsAndMergesWithoutACombinerKeepEveryRecord(mergeFactor: Int) async throws {
        let directory = try TemporaryDirectory()
        var random = SeededRandom(seed: 12)
        let numbers = (0..<200_000).map { _ in Int(random.next() % 1_000_000) }
        let text = Array(numbers.map(String.init).joined(separator: "\n").utf8)
        let path = try directory.write("numbers.txt", text)
        // Three maps of three spills each: with a merge factor of 2, both the map side's
        // and the reduce side's merges go in passes.
        let report = try await Self.run(
            AnyJob(Remainders.self), [path], in: directory, reducers: 3, splitSize: 500_000, sortBufferMB: 1, mergeFactor: mergeFactor)
        #expect(report.maps > mergeFactor || mergeFactor == TaskSettings.defaultMergeFactor)
        #expect(report.counters[.spillFiles] > 2 * Int64(report.maps))
        if mergeFactor == 2 {
            // A pass merges two of a map's three spills, writing their records once more;
            // the output is then the two runs side by side, as the reduce tasks merge them.
            #expect(report.counters[.spilledRecords] > report.counters[.mapOutputRecords])
            #expect(report.counters[.spilledRecords] < 2 * report.counters[.mapOutputRecords])
        } else {
            // Without a combiner, spills become the map output's runs as they are: each record is written once.
            #expect(report.counters[.spilledRecords] == report.counters[.mapOutputRecords])
        }
        var expected: [Int: (Int, Int)] = [:]
        for number in numbers { expected[number % 97, default: (0, 0)] = (expected[number % 97, default: (0, 0)].0 + 1, expected[number % 97, default: (0, 0)].1 + number) }
        let lines = try Self.outputLines(directory).joined()
        #expect(lines.count == expected.count)
        for (key, value) in lines {
            let (count, sum) = expected[Int(key)!]!
            #expect(value == "\(count) \(sum)")
        }
        for part in try Self.outputLines(directory) {
            let keys = part.map { Int($0.0)! }
            #expect(keys == keys.sorted())
        }
    }

    @Test func withoutTheCombinerEveryEmittedRecordReachesTheReducers() async throws {
        let directory = try TemporaryDirectory()
        let (inputs, texts) = try Self.wordCountInputs(directory)
        let expected = ReferenceWords.count(texts)
        let report = try await Self.run(AnyJob(TestWordCount.self), inputs, in: directory, combinerDisabled: true)
        let counts = Dictionary(uniqueKeysWithValues: try Self.outputLines(directory).joined().map { ($0.0, Int($0.1)!) })
        #expect(counts == expected)
        #expect(report.counters[.combineInputRecords] == 0)
        #expect(report.counters[.reduceInputRecords] == Int64(expected.values.reduce(0, +)))
    }

    @Test func compositeKeysSortInTotalOrder() async throws {
        let directory = try TemporaryDirectory()
        var random = SeededRandom(seed: 13)
        var lines = (0..<3000).map { _ in String(Double(Int64(bitPattern: random.next() % 20_000) - 10_000) / 8) }
        lines += ["-0.0", "0.0", "inf", "-inf", "1e300", "-1e-300", "not a number", "7", "7"]
        let path = try directory.write("numbers.txt", Array(lines.joined(separator: "\n").utf8))
        let report = try await Self.run(AnyJob(SortByNumber.self), [path], in: directory, reducers: 1, splitSize: 5000, sortBufferMB: 1)
        let expected = lines.compactMap { line in Double(line).map { (line, $0) } }.sorted { a, b in
            a.1.bitPattern == b.1.bitPattern ? Array(a.0.utf8).lexicographicallyPrecedes(Array(b.0.utf8)) : a.1.isTotallyOrdered(belowOrEqualTo: b.1)
        }
        let output = try Self.outputLines(directory).joined()
        #expect(output.map(\.0) == expected.map(\.0))
        #expect(output.map(\.1) == expected.map { "\($0.1)" })
        #expect(report.counters.user["not a number"] == 1)
    }

    @Test func wholeFileInputSeesEachFileOnce() async throws {
        let directory = try TemporaryDirectory()
        let sizes = [0, 1, 5000, 70_000]
        var expected: [String: String] = [:]
        for size in sizes {
            let path = try directory.write("docs/\(size).bin", [UInt8](repeating: 0x0A, count: size))
            expected[path] = String(size)
        }
        try await Self.run(AnyJob(FileSizes.self), ["\(directory.path)/docs"], in: directory, splitSize: 10)
        let output = try Self.outputLines(directory).joined()
        #expect(Dictionary(uniqueKeysWithValues: output.map { ($0.0, $0.1) }) == expected)
    }

    @Test func parametersCountersAndCustomPartitioners() async throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("lines.txt", Array("apple\nbanana\napple\ncherry\navocado\n".utf8))
        let report = try await Self.run(AnyJob(TaggedLines.self), [path], in: directory, reducers: 4, parameters: ["tag": "!"])
        #expect(report.counters.user["lines seen"] == 5)
        #expect(report.counters.user["keys written"] == 4)
        let parts = try Self.outputLines(directory)
        for (partition, part) in parts.enumerated() {
            for (key, _) in part { #expect(Int(key.utf8.first!) % 4 == partition) }
        }
        #expect(Dictionary(uniqueKeysWithValues: parts.joined().map { ($0.0, $0.1) }) == [
            "apple!": "2", "banana!": "1", "cherry!": "1", "avocado!": "1",
        ])
    }

    @Test func mappersSeeTheirFileAndLineOffsetsAndReducersSeeParameters() async throws {
        let directory = try TemporaryDirectory()
        var expected: [String] = []
        for name in ["a.txt", "b.txt"] {
            let content = "first\nsecond line\r\n\nlast"
            let path = try directory.write("in/\(name)", Array(content.utf8))
            var offset = 0
            for line in Array(content.utf8).split(separator: 10, omittingEmptySubsequences: false) {
                let text = String(decoding: line.last == 13 ? line.dropLast() : line, as: UTF8.self)
                expected.append("\(path)\t\(offset)\t>\(text)")
                offset += line.count + 1
            }
        }
        try await Self.run(
            AnyJob(LineOffsets.self), ["\(directory.path)/in"], in: directory, reducers: 2, splitSize: 7, parameters: ["prefix": ">"])
        let lines = try Self.outputLines(directory).joined().map { "\($0.0)\t\($0.1)" }
        #expect(lines.sorted() == expected.sorted())
    }

    @Test func aKeyWithAMillionValuesStreamsThroughTheReducerOnce() async throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("lines.txt", Array(String(repeating: "x\n", count: 1000).utf8))
        try await Self.run(AnyJob(OneHotKey.self), [path], in: directory, reducers: 1, splitSize: 700, sortBufferMB: 2)
        let count = 1000 * 1000
        let sum = 1000 * (999 * 1000 / 2)
        // The values are a single pass: iterating them again yields nothing.
        #expect(try Self.outputLines(directory).joined().map(\.1) == ["\(count) \(sum) 0"])
    }

    @Test func aFailingReducerLeavesNoOutput() async throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("lines.txt", Array("fine\npoison\nfine\n".utf8))
        await #expect {
            try await Self.run(AnyJob(PoisonedReduce.self), [path], in: directory, reducers: 3)
        } throws: { error in
            let text = String(describing: error)
            return text.hasPrefix("reduce task r-0000") && text.hasSuffix("failed: key poison: the reducer met poison")
        }
        #expect(!FileManager.default.fileExists(atPath: "\(directory.path)/out"))
    }

    @Test func badSettingsAreRefusedBeforeAnythingRuns() async throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("lines.txt", Array("a\n".utf8))
        let job = AnyJob(TaggedLines.self)
        await #expect(throws: JobError("--reducers must be at least 0 (a map-only job), not -1")) {
            try await Self.run(job, [path], in: directory, reducers: -1)
        }
        await #expect(throws: JobError("--sort-buffer-mb must be between 1 and 2047, not 0")) {
            try await Self.run(job, [path], in: directory, sortBufferMB: 0)
        }
        await #expect(throws: JobError("--merge-factor must be between 2 and 10000, not 1")) {
            try await Self.run(job, [path], in: directory, mergeFactor: 1)
        }
        await #expect(throws: JobError("job taggedlines has no parameter colour (it takes: tag)")) {
            try await Self.run(job, [path], in: directory, parameters: ["colour": "red"])
        }
        #expect(throws: JobError("job onehotkey needs --param per-line=VALUE ()")) {
            var configuration = JobConfiguration(inputs: [path], outputDirectory: "\(directory.path)/never")
            configuration.parameters = [:]
            _ = try configuration.validated(for: AnyJob(RequiresParameter.self))
        }
        #expect(!FileManager.default.fileExists(atPath: "\(directory.path)/out"))
    }

    @Test func existingOutputIsRefusedUnlessOverwritten() async throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("lines.txt", Array("a\n".utf8))
        try directory.write("out/notes.txt", [1])
        var configuration = JobConfiguration(inputs: [path], outputDirectory: "\(directory.path)/out")
        await #expect(throws: JobError("output directory \(directory.path)/out already exists and is not empty (pass --overwrite to replace it)")) {
            try await InProcessRunner(job: AnyJob(TestWordCount.self), configuration: configuration).run()
        }
        configuration.overwrite = true
        await #expect(throws: JobError("--overwrite refuses to empty \(directory.path)/out: notes.txt is not job output")) {
            try await InProcessRunner(job: AnyJob(TestWordCount.self), configuration: configuration).run()
        }
        #expect(FileManager.default.fileExists(atPath: "\(directory.path)/out/notes.txt"))
        // The output of an earlier run is replaced.
        try await Self.run(AnyJob(TestWordCount.self), [path], in: directory, reducers: 3, output: "again")
        try await Self.run(AnyJob(TestWordCount.self), [path], in: directory, reducers: 1, output: "again")
        #expect(try directory.partFiles("again").map(\.name) == ["part-r-00000"])
    }

    @Test func anOutputPathThatCannotBeADirectoryIsAClearError() async throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("lines.txt", Array("a\n".utf8))
        let configuration = JobConfiguration(inputs: [path], outputDirectory: "\(path)/out")
        await #expect {
            try await InProcessRunner(job: AnyJob(TestWordCount.self), configuration: configuration).run()
        } throws: { error in
            String(describing: error).hasPrefix("cannot write to output directory \(path)/out: cannot create directory")
        }
    }
}

/// A job with a required parameter and no default.
struct RequiresParameter: Job {
    static let name = "onehotkey"
    static var parameters: [JobParameter] { [JobParameter("per-line")] }
    typealias Map = OneHotKey.Map
    typealias Reduce = OneHotKey.Reduce
}
