import Foundation
import Testing
import TestSupport

@testable import MapReduce

/// Merges that read at most `mergeFactor` inputs at once, in passes, checked
/// against a plain sort of the same records.
@Suite struct BoundedMergeTests {
    @Test(arguments: [2, 3, 10])
    func passesKeepEveryInputInOrderAndMergeAtMostTheFactor(factor: Int) throws {
        for count in [0, 1, factor, factor + 1, 2 * factor + 1, 37, 100] {
            var widest = 0
            var merges = 0
            let merged = try MergePasses.reduce((0..<count).map { [$0] }, factor: factor) { run in
                widest = max(widest, run.count)
                merges += 1
                #expect(run.count >= 2, "a merge of \(run.count) input copies for nothing")
                return run.flatMap { $0 }
            }
            #expect(merged.count <= factor)
            #expect(merged.flatMap { $0 } == Array(0..<count), "order kept for \(count) inputs")
            #expect(widest <= factor)
            #expect(count > factor || merges == 0)
        }
    }

    /// Inputs of several runs each (map outputs of unmerged spills) count as that many.
    @Test(arguments: [2, 3, 8])
    func passesCountTheRunsOfEachInput(factor: Int) throws {
        var random = SeededRandom(seed: UInt64(factor))
        for _ in 0..<200 {
            let weights = (0..<Int(random.next() % 30)).map { _ in 1 + Int(random.next() % 9) }
            var widest = 0
            // An input is its number and its runs; a merged one has one run.
            let merged = try MergePasses.reduce(weights.enumerated().map { ([$0.offset], $0.element) }, factor: factor, weight: \.1) {
                run in
                let weight = run.map(\.1).reduce(0, +)
                #expect(run.count == 1 ? weight > 1 : weight <= factor, "a merge of \(run.map(\.1)) runs")
                widest = max(widest, run.count == 1 ? 0 : weight)
                return (run.flatMap(\.0), 1)
            }
            #expect(merged.map(\.1).reduce(0, +) <= factor, "\(weights) left \(merged.map(\.1))")
            #expect(merged.flatMap(\.0) == Array(weights.indices), "order kept for \(weights)")
            #expect(widest <= factor)
        }
    }

    /// `inputs` sorted segments in files of one partition each, of random records.
    static func segments(_ inputs: Int, in directory: TemporaryDirectory, seed: UInt64) throws -> ([ReduceInput], [[SpillFileTests.Record]]) {
        var files: [ReduceInput] = []
        var contents: [[SpillFileTests.Record]] = []
        for i in 0..<inputs {
            let records = SpillFileTests.records(count: i % 5 == 4 ? 0 : 50 + i * 7, partitions: 1, seed: seed + UInt64(i))
            let path = "\(directory.path)/m\(i).out"
            let index = try SpillFileTests.write(records, partitions: 1, to: path)
            files.append(ReduceInput(source: .file(path), segment: index.segments[0], name: path))
            contents.append(records)
        }
        return (files, contents)
    }

    @Test(arguments: [2, 3])
    func reduceSideMergeInPassesEqualsASortOfEveryRecord(factor: Int) throws {
        let directory = try TemporaryDirectory()
        let (inputs, contents) = try Self.segments(23, in: directory, seed: 40)
        // The reference: each key's values in input order, then in file order; keys ascending.
        var expected: [[UInt8]: [[UInt8]]] = [:]
        for records in contents { for record in records { expected[record.key, default: []].append(record.value) } }
        let keys = expected.keys.sorted { $0.lexicographicallyPrecedes($1) }

        let work = "\(directory.path)/work"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        let settings = TaskSettings(
            partitions: 1, sortBufferBytes: 1 << 20, compressionLevel: 1, parameters: JobParameters(), workDirectory: work,
            outputDirectory: "\(directory.path)/out", mergeFactor: factor)
        try FileManager.default.createDirectory(atPath: "\(directory.path)/out/_temporary", withIntermediateDirectories: true)
        let task = ReduceTask(id: AttemptID(.reduce, task: 0, attempt: 1), inputs: inputs)
        let (groups, _) = try task.openInputs(settings: settings, control: AttemptControl())
        let intermediate = try FileManager.default.contentsOfDirectory(atPath: task.mergeDirectory(in: work))
        #expect(!intermediate.isEmpty && intermediate.count <= factor, "\(intermediate)")
        var merged: [([UInt8], [[UInt8]])] = []
        while try groups.nextGroup() {
            var values: [[UInt8]] = []
            while let value = try groups.nextValue() { values.append(Array(value)) }
            merged.append((Array(groups.groupKey), values))
        }
        #expect(merged.map(\.0) == keys)
        #expect(merged.allSatisfy { expected[$0.0] == $0.1 })
        #expect(groups.recordCount == contents.joined().count)
    }

    @Test func aCancelledAttemptStopsInAMergePass() throws {
        let directory = try TemporaryDirectory()
        let (inputs, _) = try Self.segments(8, in: directory, seed: 7)
        let settings = TaskSettings(
            partitions: 1, sortBufferBytes: 1 << 20, compressionLevel: 1, parameters: JobParameters(),
            workDirectory: directory.path, outputDirectory: "\(directory.path)/out", mergeFactor: 2)
        let control = AttemptControl()
        control.cancel()
        #expect(throws: AttemptCancelled.self) {
            _ = try ReduceTask(id: AttemptID(.reduce, task: 0, attempt: 1), inputs: inputs).openInputs(settings: settings, control: control)
        }
    }
}
