import Foundation
import Testing
import TestSupport

@testable import MapReduce

/// The number of reduce tasks when `--reducers` is not given, and the split size when `--split-size` is not.
@Suite struct DefaultReducersTests {
    struct ThreeReducers: Job {
        static var defaultReducers: Int? { 3 }
        typealias Map = TestWordCount.Map
        typealias Reduce = TestWordCount.Reduce
    }

    static func reducers(_ job: AnyJob, reducers: Int?, slots: Int?, parallelism: Int?) throws -> Int {
        var configuration = JobConfiguration(inputs: ["in"], outputDirectory: "out")
        configuration.reducers = reducers
        configuration.slots = slots
        configuration.parallelism = parallelism
        return try configuration.validated(for: job).reducers
    }

    @Test func theOptionWinsThenTheJobThenTheSlotsThenTheParallelism() throws {
        let plain = AnyJob(TestWordCount.self)
        let three = AnyJob(ThreeReducers.self)
        #expect(try Self.reducers(plain, reducers: 5, slots: 7, parallelism: 2) == 5)
        #expect(try Self.reducers(three, reducers: 5, slots: 7, parallelism: 2) == 5)
        #expect(try Self.reducers(three, reducers: nil, slots: 7, parallelism: 2) == 3)
        #expect(try Self.reducers(plain, reducers: nil, slots: 7, parallelism: 2) == 7)
        #expect(try Self.reducers(plain, reducers: nil, slots: nil, parallelism: 2) == 2)
        #expect(try Self.reducers(plain, reducers: nil, slots: nil, parallelism: nil) == ProcessInfo.processInfo.activeProcessorCount)
    }

    @Test func moreReducersThanTheSortBufferHoldsAreRefused() throws {
        let limit = SortBuffer.maxPartition + 1
        #expect(try Self.reducers(AnyJob(TestWordCount.self), reducers: limit, slots: nil, parallelism: nil) == limit)
        #expect(throws: JobError("--reducers must be at most \(limit), not \(limit + 1)")) {
            try Self.reducers(AnyJob(TestWordCount.self), reducers: limit + 1, slots: nil, parallelism: nil)
        }
    }

    @Test func theSplitSizeIs64MiBForACombinedJobElseHalfTheSortBuffer() throws {
        var configuration = JobConfiguration(inputs: ["in"], outputDirectory: "out")
        configuration.sortBufferMB = 10
        let combined = AnyJob(TestWordCount.self)
        let uncombined = AnyJob(Remainders.self)
        #expect(try configuration.validated(for: combined).splitSize == 64 << 20)
        #expect(try configuration.validated(for: uncombined).splitSize == 5 << 20)
        configuration.combinerDisabled = true
        #expect(try configuration.validated(for: combined).splitSize == 5 << 20)
        configuration.splitSize = 1000
        #expect(try configuration.validated(for: combined).splitSize == 1000)
        #expect(try configuration.validated(for: uncombined).splitSize == 1000)
    }

    @Test func inProcessAJobWithoutReducersGetsOnePerTask() async throws {
        let directory = try TemporaryDirectory()
        var random = RandomText(seed: 31)
        let text = random.make(size: 10_000)
        let input = try directory.write("in/a.txt", text)
        var configuration = JobConfiguration(inputs: [input], outputDirectory: "\(directory.path)/out")
        configuration.parallelism = 3
        configuration.workDirectory = "\(directory.path)/work"
        try FileManager.default.createDirectory(atPath: configuration.workDirectory!, withIntermediateDirectories: true)
        _ = try await InProcessRunner(job: AnyJob(TestWordCount.self), configuration: configuration).run()
        let parts = try directory.partFiles("out")
        #expect(parts.count == 3)
        var counts: [String: Int] = [:]
        for line in parts.flatMap({ String(decoding: $0.contents, as: UTF8.self).split(separator: "\n") }) {
            let fields = line.split(separator: "\t")
            counts[String(fields[0])] = Int(fields[1])
        }
        #expect(counts == ReferenceWords.count([text]))
    }
}
