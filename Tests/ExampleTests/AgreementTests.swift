import Foundation
import MapReduce
import MapReduceTesting
import Testing
import TestSupport

@testable import accesslog
@testable import grep
@testable import join
@testable import reverselinks
@testable import topn
@testable import wordcount

/// The test kit's in-process runs write what a local cluster of worker processes writes.
@Suite struct AgreementTests {
    static let text = (0..<3000).map { i in "line \(i): the quick brown fox, \(["jumps", "naps", "runs"][i % 3]) over the lazy dog\n" }

    /// Runs `product` as a 2-worker cluster over `files` and `TestJob` over the same; returns both outputs'
    /// lines, the paths of the test kit's input directory replaced by the cluster's.
    static func bothWays(
        _ product: String, _ test: TestJob, files: [String: [UInt8]] = [:], named: [String: [String: [UInt8]]] = [:],
        arguments: [String] = []
    ) async throws -> (cluster: [[UInt8]], kit: [[UInt8]]) {
        let directory = try TemporaryDirectory()
        for (name, bytes) in files { try directory.write("input/\(name)", bytes) }
        var inputs = files.isEmpty ? [] : ["\(directory.path)/input"]
        for (input, files) in named {
            for (name, bytes) in files { try directory.write("named-\(input)/\(name)", bytes) }
            inputs += ["--input", "\(input)=\(directory.path)/named-\(input)"]
        }
        let result = try await ChildProcess.run(product, [
            "run", "--workers", "2", "--split-size", "\(test.splitSize)", "--output", "\(directory.path)/out",
        ] + (test.reducers.map { ["--reducers", "\($0)"] } ?? []) + arguments + test.parameters.map { "--param=\($0.key)=\($0.value)" } + inputs)
        #expect(result.status == 0, "\(result.standardError)")
        let cluster = try directory.partFiles("out").map(\.contents)
        #expect(!cluster.joined().isEmpty)
        let kit = try await test.run(files: files, named: named)
        let kitInputs = try #require(kit.inputDirectory)
        let replaced = kit.parts.map { part in
            Array(String(decoding: part, as: UTF8.self).replacingOccurrences(of: kitInputs, with: "\(directory.path)/input").utf8)
        }
        #expect(cluster.count == replaced.count)
        return (cluster, replaced)
    }

    @Test func wordCount() async throws {
        let files = ["a.txt": Array(Self.text.joined().utf8), "b.txt": Array(Self.text.reversed().joined().utf8)]
        let (cluster, kit) = try await Self.bothWays("wordcount", TestJob(WordCount.self, reducers: 3, splitSize: 8192), files: files)
        #expect(cluster == kit)
    }

    @Test func grep() async throws {
        let files = ["a.txt": Array(Self.text.joined().utf8), "b/c.txt": Array(Self.text.prefix(500).joined().utf8)]
        let test = TestJob(Grep.self, parameters: ["pattern": "(naps|runs) over"], splitSize: 8192)
        let (cluster, kit) = try await Self.bothWays("grep", test, files: files)
        #expect(cluster == kit)
    }

    @Test func reverseLinks() async throws {
        let lines = (0..<2000).map { i in "p\(i % 97)\t" + (1...(i % 5 + 1)).map { "p\((i * $0) % 113)" }.joined(separator: " ") + "\n" }
        let test = TestJob(ReverseLinks.self, reducers: 2, splitSize: 4096)
        let (cluster, kit) = try await Self.bothWays("reverselinks", test, files: ["links.tsv": Array(lines.joined().utf8)])
        #expect(cluster == kit)
    }

    @Test func join() async throws {
        let users = (0..<300).map { "u\($0)\tname\($0)\tc\($0 % 7)\n" }.joined()
        let orders = (0..<900).map { "o\($0)\tu\($0 * 7 % 350)\t\($0 % 13)\n" }.joined()
        let named = ["users": ["u.tsv": Array(users.utf8)], "orders": ["o.tsv": Array(orders.utf8)]]
        let test = TestJob(Join.self, reducers: 2, parameters: ["type": "left"], splitSize: 4096)
        let (cluster, kit) = try await Self.bothWays("join", test, named: named)
        #expect(cluster == kit)
    }

    @Test func topN() async throws {
        let lines = (0..<3000).map { "k\($0 % 41)\t\(($0 * 7919) % 1000 - 500)\tline \($0 % 17)\n" }.joined()
        let test = TestJob(TopN.self, reducers: 3, parameters: ["n": "4"], splitSize: 8192)
        let (cluster, kit) = try await Self.bothWays("topn", test, files: ["scores.tsv": Array(lines.utf8)])
        #expect(cluster == kit)
    }
}
