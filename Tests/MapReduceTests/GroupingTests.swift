import Testing
import TestSupport

@testable import MapReduce

/// Lines `group number`, keyed by (group, number) and grouped by the group: a secondary sort.
struct NumbersByGroup: Job {
    typealias Key = KeyPair<String, Int>
    static var grouping: Grouping<Key> { .byFirst }

    struct Map: Mapper {
        mutating func map(_ line: Line, context: inout MapContext<Key, Int>) {
            let fields = line.string.split(separator: " ")
            guard fields.count == 2, let number = Int(fields[1]) else { return }
            context.emit(Key(String(fields[0]), number), number)
        }
    }

    /// Writes `group<TAB>n1,n2,...` from the values' keys, and fails if a value is not its key's number.
    struct Reduce: Reducer {
        mutating func reduce(key: Key, values: ReduceValues<Int>, context: inout ReduceContext) throws {
            var values = values
            var numbers: [Int] = []
            while let value = values.next() {
                let current = try values.currentKey(as: Key.self)
                guard current.first == key.first, current.second == value else { throw JobError("\(current) holds \(value)") }
                numbers.append(value)
            }
            // Once the group has ended, still the key of the last value read.
            guard try values.currentKey(as: Key.self) == Key(key.first, numbers.last!) else { throw JobError("the last key is lost") }
            context.write(key.first, numbers.map(String.init).joined(separator: ","))
        }
    }
}

/// The same job placing groups by ranges of their keys.
struct NumbersByGroupInOrder: Job {
    typealias Map = NumbersByGroup.Map
    typealias Reduce = NumbersByGroup.Reduce
    static var grouping: Grouping<NumbersByGroup.Key> { .byFirst }
    static var partitioner: Partitioner<NumbersByGroup.Key> { .totalOrder(samples: 500) }
}

@Suite struct GroupingTests {
    /// Random lines, many numbers per group, and what a sort per group here makes of them.
    static func input(_ directory: TemporaryDirectory) throws -> (paths: [String], expected: [String: [Int]]) {
        var random = SeededRandom(seed: 7)
        var expected: [String: [Int]] = [:]
        var text = ""
        for _ in 0..<6000 {
            let group = "g\(random.next() % 53)" + String(repeating: "\0x", count: Int(random.next() % 3))
            let number = Int(random.next() % 2001) - 1000
            expected[group, default: []].append(number)
            text += "\(group) \(number)\n"
        }
        let path = try directory.write("in/numbers.txt", Array(text.utf8))
        return ([path], expected.mapValues { $0.sorted() })
    }

    @Test(arguments: [false, true])
    func eachGroupIsOneCallWithItsValuesInKeyOrder(totalOrder: Bool) async throws {
        let directory = try TemporaryDirectory()
        let (paths, expected) = try Self.input(directory)
        // Small splits and sort buffers: many spills, merged in passes of two.
        let job = totalOrder ? AnyJob(NumbersByGroupInOrder.self) : AnyJob(NumbersByGroup.self)
        let report = try await InProcessRunnerTests.run(
            job, paths, in: directory, reducers: 4, splitSize: 16 << 10, sortBufferMB: 1, mergeFactor: 2)
        let parts = try InProcessRunnerTests.outputLines(directory)
        let lines = parts.flatMap { $0 }
        #expect(lines.count == expected.count)
        #expect(Dictionary(lines.map { ($0.0, $0.1) }, uniquingKeysWith: { a, _ in a }) == expected.mapValues { $0.map(String.init).joined(separator: ",") })
        #expect(report.counters[.reduceInputGroups] == Int64(expected.count))
        if totalOrder {
            let groups = lines.map(\.0)
            #expect(groups == groups.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
            #expect(parts.filter { !$0.isEmpty }.count > 1)
        }
    }

    @Test func thePartitionerAndReportNameTheGrouping() {
        #expect(AnyJob(NumbersByGroup.self).partitionerSummary == "hash of the key's first part")
        #expect(AnyJob(NumbersByGroupInOrder.self).partitionerSummary == "total order (500 samples) of the key's first part")
        #expect(AnyJob(TestWordCount.self).partitionerSummary == "hash")
    }
}
