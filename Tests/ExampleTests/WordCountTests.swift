import MapReduce
import MapReduceTesting
import Testing

@testable import wordcount

@Suite struct WordCountTests {
    @Test func theMapperEmitsEveryWordWithOne() throws {
        let run = try MapDriver(WordCount.self).run(lines: ["to be, or not to be", "Été 2024"])
        #expect(run.emitted.map(\.key) == ["to", "be", "or", "not", "to", "be", "Été"])
        #expect(run.emitted.allSatisfy { $0.value == 1 })
    }

    @Test func theReducerSumsEachWordsCounts() throws {
        let output = try ReduceDriver(WordCount.self).run([("to", [1, 1]), ("be", [2]), ("to", [3])])
        #expect(output.lines == ["be\t2", "to\t5"])
    }

    /// The README's example.
    @Test func theJobCountsWords() async throws {
        let output = try await TestJob(WordCount.self, reducers: 2).run(lines: ["to be or not to be"])
        #expect(output.pairs(String.self, Int.self)?.sorted { $0.key < $1.key }.map(\.value) == [2, 1, 1, 2])
    }

    @Test func theWholeJobCountsAsACountInSwiftDoes() async throws {
        let words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda"]
        let lines = (0..<2000).map { "\(words[$0 % 11]) \(words[$0 % 7]), \(words[$0 % 3])!" }
        var expected: [String: Int] = [:]
        for line in lines { for word in line.split(whereSeparator: { !$0.isLetter }) { expected[String(word), default: 0] += 1 } }
        for combiner in [true, false] {
            let output = try await TestJob(WordCount.self, reducers: 3, splitSize: 4096, combiner: combiner).run(lines: lines)
            let counts = try #require(output.pairs(String.self, Int.self))
            #expect(Dictionary(uniqueKeysWithValues: counts.map { ($0.key, $0.value) }) == expected)
            #expect(output.counters[.mapInputRecords] == Int64(lines.count))
        }
    }
}
