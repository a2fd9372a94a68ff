import Foundation
import MapReduce
import MapReduceTesting
import Testing

@testable import pagerank

@Suite struct PageRankTests {
    /// A small graph: every page has out-links, so the ranks sum to the number of pages.
    static let links: [String: [String]] = [
        "a": ["b", "c"], "b": ["c"], "c": ["a"], "d": ["c", "a", "b"], "e": ["d"],
    ]

    /// PageRank as the paper defines it, iterated `iterations` times from rank 1.
    static func reference(iterations: Int, damping: Double = 0.85) -> [String: Double] {
        let pages = Set(Self.links.keys).union(Self.links.values.joined())
        var ranks = Dictionary(uniqueKeysWithValues: pages.map { ($0, 1.0) })
        for _ in 0..<iterations {
            var next = Dictionary(uniqueKeysWithValues: pages.map { ($0, 1 - damping) })
            for (page, targets) in Self.links {
                for target in targets { next[target]! += damping * ranks[page]! / Double(targets.count) }
            }
            ranks = next
        }
        return ranks
    }

    @Test func theChainConvergesToTheRanksOfAPowerIterationHere() async throws {
        let lines = Self.links.sorted { $0.key < $1.key }.map { "\($0.key)\t\($0.value.joined(separator: " "))" }
        let output = try await TestJob(chain: PageRank.self, reducers: 2, parameters: ["iterations": "7", "threshold": "0"])
            .run(lines: lines)
        let expected = Self.reference(iterations: 7)
        var ranks: [String: Double] = [:]
        for line in output.lines {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            ranks[String(fields[0])] = Double(fields[1])
        }
        #expect(Set(ranks.keys) == Set(expected.keys))
        for (page, rank) in expected { #expect(abs(ranks[page]! - rank) < 1e-9, "\(page): \(ranks[page]!) against \(rank)") }
    }

    @Test func theGraphMergesAPagesLinesInInputOrderAndCountsMalformedOnes() async throws {
        let lines = ["a\tb  c", "three\t2.0\tfields", "\tnameless", "no tab", "b\ta", "a\tc d", "d\t"]
        let output = try await TestJob(Graph.self, reducers: 2, splitSize: 16).run(lines: lines)
        let pages = Dictionary(uniqueKeysWithValues: try output.records(Bytes.self, Page.self).map { ($0.key, $0.value) })
        #expect(pages == [
            "a": Page(rank: 1, targets: ["b", "c", "c", "d"]), "b": Page(rank: 1, targets: ["a"]),
            "c": Page(rank: 1, targets: []), "d": Page(rank: 1, targets: []),
        ])
        #expect(output.counters.user["malformed lines"] == 3)
    }

    @Test func aReducerWritesEachPageAsARecordForTheNextIteration() throws {
        let output = try ReduceDriver(Iteration.self, parameters: ["damping": "0.5"]).run([
            ("a", [.share(1), .page(Page(rank: 2, targets: ["b"])), .share(3)]), ("z", [.share(2)]),
        ])
        let records = try output.records(Bytes.self, Page.self)
        #expect(records.map(\.key) == ["a", "z"])
        #expect(records.map(\.value) == [Page(rank: 2.5, targets: ["b"]), Page(rank: 1.5, targets: [])])
        #expect(output.counters.amounts[Iteration.changeCounter] == 0.5 + 0.5)
    }
}
