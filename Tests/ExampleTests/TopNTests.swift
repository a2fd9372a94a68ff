import MapReduce
import MapReduceTesting
import Testing
import TestSupport

@testable import topn

@Suite struct TopNTests {
    /// Lines `group<TAB>score<TAB>label`, with ties, duplicates, negative and zero scores.
    static func lines(count: Int, seed: UInt64) -> [String] {
        var random = SeededRandom(seed: seed)
        return (0..<count).map { _ in
            let score = ["\(Int(random.next() % 40) - 20)", "0", "-0", "\(Double(random.next() % 1000) / 8)"][Int(random.next() % 4)]
            return "g\(random.next() % 37)\t\(score)\tl\(random.next() % 9)"
        }
    }

    /// The best `n` lines of each group, by a sort of each group's lines here.
    static func reference(_ lines: [String], key: Int, score: Int, n: Int) -> [String] {
        var groups: [String: [(score: Double, line: String)]] = [:]
        for line in lines {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= max(key, score), let value = Double(fields[score - 1]), value.isFinite else { continue }
            groups[fields[key - 1], default: []].append((value, line))
        }
        return groups.flatMap { group, rows in
            rows.sorted { $0.score != $1.score ? $0.score > $1.score : $0.line.utf8.lexicographicallyPrecedes($1.line.utf8) }
                .prefix(n).enumerated().map { "\(group)\t\($0.offset + 1)\t\($0.element.line)" }
        }
    }

    @Test(arguments: [1, 3, 50])
    func theJobKeepsTheBestLinesOfEachKeyAsASortHereDoes(n: Int) async throws {
        let lines = Self.lines(count: 2000, seed: UInt64(n)) + ["short", "g1\tnan\tx", "g1\tinf\ty", "g2\tabc\tz"]
        let output = try await TestJob(TopN.self, reducers: 3, parameters: ["n": "\(n)"], splitSize: 4096).run(lines: lines)
        // Each reduce task writes its keys in order and each key's lines by rank, so no sort is needed
        // within a part; a key split over two parts would show as a duplicate rank.
        let reference = Self.reference(lines, key: 1, score: 2, n: n)
        #expect(output.lines.sorted() == reference.sorted())
        #expect(Set(output.lines).count == output.lines.count)
        #expect(output.counters.user["malformed lines"] == 4)
        for part in output.parts {
            let lines = String(decoding: part, as: UTF8.self).split(separator: "\n").map { $0.split(separator: "\t") }
            #expect(lines.map { String($0[0]) } == lines.map { String($0[0]) }.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        }
    }

    @Test func otherFieldsCanBeTheKeyAndTheScore() async throws {
        let lines = ["o1\tu1\t10.5", "o2\tu1\t99", "o3\tu2\t7", "o4\tu1\t12"]
        let output = try await TestJob(TopN.self, reducers: 2, parameters: ["key": "2", "score": "3", "n": "2"]).run(lines: lines)
        #expect(output.lines.sorted() == ["u1\t1\to2\tu1\t99", "u1\t2\to4\tu1\t12", "u2\t1\to3\tu2\t7"])
    }

    @Test func keepingFewerThanOneLineIsRefused() {
        let error = #expect(throws: JobError.self) { try ReduceDriver(TopN.self, parameters: ["n": "0"]).run([]) }
        #expect(error?.description.contains("n=0") == true)
    }
}
