import Foundation
import Testing
import TestSupport

/// `--max-whole-file`: a job that reads whole files refuses a larger one before any map runs.
extension EndToEnd {
@Suite(.timeLimit(.minutes(3)))
struct WholeFileLimitTests {
    /// The crash job reads whole files; with `crash-percent=100` any map that ran would kill its worker.
    static func crashJob(_ directory: TemporaryDirectory, limit: String, crashPercent: Int) -> [String] {
        [
            "run", "--job", "crash", "--workers", "2", "--max-whole-file", limit,
            "--param", "crash-percent=\(crashPercent)", "--param", "sleep-percent=0",
            "--output", "\(directory.path)/out", "\(directory.path)/in",
        ]
    }

    @Test func aFileOverTheLimitFailsTheJobBeforeAnyMap() async throws {
        let directory = try TemporaryDirectory()
        try directory.write("in/small.txt", Array(repeating: UInt8(ascii: "s"), count: 10))
        let big = try directory.write("in/big.txt", Array(repeating: UInt8(ascii: "b"), count: 1001))
        let result = try await ChildProcess.run("testjobs", Self.crashJob(directory, limit: "1000", crashPercent: 100))
        #expect(result.status != 0)
        #expect(result.standardError == "testjobs: error: input file \(big) is 1001 bytes, more than --max-whole-file 1000: the job reads each file whole into memory\n")
        #expect(!FileManager.default.fileExists(atPath: "\(directory.path)/out"), "the output directory is made only once the input is accepted")
    }

    @Test func aFileAtTheLimitIsRead() async throws {
        let directory = try TemporaryDirectory()
        try directory.write("in/small.txt", Array(repeating: UInt8(ascii: "s"), count: 10))
        try directory.write("in/exact.txt", Array(repeating: UInt8(ascii: "e"), count: 1024))
        let result = try await ChildProcess.run("testjobs", Self.crashJob(directory, limit: "1K", crashPercent: 0))
        #expect(result.status == 0, "\(result.standardError)")
        let lines = try directory.partFiles("out").flatMap { String(decoding: $0.contents, as: UTF8.self).split(separator: "\n") }
        // The job's key `c` collects each file's size as the mapper saw it.
        #expect(lines.contains("c\t10 1024"), "\(lines)")
    }
}
}
