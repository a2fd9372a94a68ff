import Foundation
import MapReduce
import Testing
import TestSupport

/// Whole files of one named input, lines of another: only the first is bounded by `maxWholeFile`.
struct FilesAndLines: Job {
    typealias Map = FileSizes.Map
    typealias Reduce = FileSizes.Reduce

    static var inputs: [NamedInput<String, Int>] {
        [NamedInput("files", FileSizes.Map.self), NamedInput("lines", LineLengths.self)]
    }

    struct LineLengths: Mapper {
        mutating func map(_ line: Line, context: inout MapContext<String, Int>) {
            context.emit(line.string, line.bytes.count)
        }
    }
}

/// Planning a job that reads whole files refuses, by name, a file over `maxWholeFile`, and makes no output directory.
struct WholeFileLimitTests {
    static func plan(_ job: AnyJob, _ configuration: JobConfiguration) throws -> JobPlan {
        try JobPlan(job: job, configuration: configuration, workDirectory: "")
    }

    @Test func aFileOverTheLimitIsRefusedByName() throws {
        let directory = try TemporaryDirectory()
        try directory.write("in/a.bin", Array(repeating: 1, count: 10))
        let big = try directory.write("in/b.bin", Array(repeating: 2, count: 11))
        var configuration = JobConfiguration(inputs: ["\(directory.path)/in"], outputDirectory: "\(directory.path)/out")
        configuration.maxWholeFile = 10
        #expect(throws: JobError("input file \(big) is 11 bytes, more than --max-whole-file 10: the job reads each file whole into memory")) {
            try Self.plan(AnyJob(FileSizes.self), configuration)
        }
        #expect(!FileManager.default.fileExists(atPath: "\(directory.path)/out"))
        configuration.maxWholeFile = 11
        let plan = try Self.plan(AnyJob(FileSizes.self), configuration)
        #expect(plan.splits.flatMap(\.pieces).map(\.length).sorted() == [10, 11])
    }

    @Test func onlyNamedInputsReadWhole() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("files/a.bin", Array(repeating: 1, count: 20))
        try directory.write("lines/a.txt", Array(String(repeating: "line\n", count: 20).utf8))
        var configuration = JobConfiguration(inputs: [], outputDirectory: "\(directory.path)/out")
        configuration.namedInputs = ["files": ["\(directory.path)/files"], "lines": ["\(directory.path)/lines"]]
        configuration.maxWholeFile = 20
        #expect(try Self.plan(AnyJob(FilesAndLines.self), configuration).splits.count == 2, "the 100-byte text file is not a whole file")
        configuration.maxWholeFile = 19
        #expect(throws: JobError("input file \(file) is 20 bytes, more than --max-whole-file 19: the job reads each file whole into memory")) {
            try Self.plan(AnyJob(FilesAndLines.self), configuration)
        }
    }

    @Test func aNegativeLimitIsRefused() throws {
        var configuration = JobConfiguration(inputs: ["x"], outputDirectory: "out")
        configuration.maxWholeFile = -1
        #expect(throws: JobError("--max-whole-file must not be negative, not -1")) {
            try Self.plan(AnyJob(FileSizes.self), configuration)
        }
    }
}
