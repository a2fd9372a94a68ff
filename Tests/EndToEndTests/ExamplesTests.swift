import Foundation
import Testing
import TestSupport

/// Every example, run as a local cluster of two workers on generated data, against a plain sequential computation.
extension EndToEnd {
@Suite(.timeLimit(.minutes(3)))
struct ExamplesTests {
    /// Runs `example` as a local cluster of two workers; returns its standard error.
    static func run(_ example: String, _ arguments: [String]) async throws -> String {
        let result = try await ChildProcess.run(example, ["run", "--workers", "2"] + arguments)
        #expect(result.status == 0, "\(example): \(result.standardError)")
        return result.standardError
    }

    static func lines(_ directory: TemporaryDirectory, _ name: String = "out") throws -> [String] {
        try directory.partFiles(name).flatMap { String(decoding: $0.contents, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init) }
    }

    @Test func grepFindsTheMatchingLinesInInputOrder() async throws {
        let directory = try TemporaryDirectory()
        var random = SeededRandom(seed: 31)
        let words = ["the", "a", "zebra", "zebra7", "cats", "dog", "queue", "x"]
        var expected: [String] = []
        let pattern = try NSRegularExpression(pattern: "^(the|a) [a-z]+|zebra[0-9]+")
        for file in ["b.txt", "a.txt", "sub/c.txt"] {
            var text = ""
            for _ in 0..<300 {
                let offset = text.utf8.count
                let line = (0..<Int(random.next() % 5)).map { _ in words.randomElement(using: &random)! }.joined(separator: " ")
                text += line + "\n"
                if pattern.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)) != nil {
                    expected.append("\(directory.path)/in/\(file)\t\(offset)\t\(line)")
                }
            }
            try directory.write("in/\(file)", Array(text.utf8))
        }
        _ = try await Self.run("grep", [
            "--param", "pattern=^(the|a) [a-z]+|zebra[0-9]+", "--split-size", "500", "--output", "\(directory.path)/out", "\(directory.path)/in",
        ])
        let byPathThenOffset = expected.sorted { a, b in
            let (x, y) = (a.split(separator: "\t"), b.split(separator: "\t"))
            return x[0] != y[0] ? x[0].utf8.lexicographicallyPrecedes(y[0].utf8) : Int(x[1])! < Int(y[1])!
        }
        #expect(try Self.lines(directory) == byPathThenOffset)
        let bad = try await ChildProcess.run("grep", ["run", "--param", "pattern=(", "--output", "\(directory.path)/bad", "\(directory.path)/in"])
        #expect(bad.status != 0)
        #expect(bad.errorLines.count == 1 && bad.standardError.contains("invalid pattern ("), "\(bad.standardError)")
    }

    @Test func invertedIndexListsTheDocumentsOfEveryWord() async throws {
        let directory = try TemporaryDirectory()
        var documents: [String: Set<String>] = [:]
        for i in 0..<5 {
            var random = RandomText(seed: UInt64(60 + i))
            let text = random.make(size: 3_000)
            let path = try directory.write("docs/doc\(i).txt", text)
            for word in ReferenceWords.words(in: text) { documents[String(decoding: word, as: UTF8.self), default: []].insert(path) }
        }
        _ = try await Self.run("invertedindex", ["--reducers", "3", "--output", "\(directory.path)/out", "\(directory.path)/docs"])
        let expected = documents.map { word, paths in
            let sorted = paths.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            return "\(word)\t\(sorted.count)\t\(sorted.joined(separator: ","))"
        }
        #expect(try Self.lines(directory).sorted() == expected.sorted())
    }

    @Test func accessLogCountsURLsAndStatusesAndSkipsMalformedLines() async throws {
        let directory = try TemporaryDirectory()
        var random = SeededRandom(seed: 41)
        var urls: [String: Int] = [:]
        var statuses: [String: Int] = [:]
        var malformed = 0
        var log = ""
        for i in 0..<2_000 {
            if i % 97 == 0 {
                log += ["garbage", "10.0.0.1 - - [x] \"GET /a HTTP/1.1\" abc 12", "\"unterminated", ""][i % 4] + "\n"
                malformed += 1
                continue
            }
            let url = "/page/\(random.next() % 30).html?q=\(random.next() % 3)"
            let status = ["200", "200", "404", "304", "500"].randomElement(using: &random)!
            urls[url, default: 0] += 1
            statuses[status, default: 0] += 1
            let tail = random.next() % 2 == 0 ? "" : " \"https://example.com/\" \"agent/1.0\""
            log += "10.1.2.\(i % 250) - frank [10/Oct/2026:13:55:36 -0700] \"GET \(url) HTTP/1.1\" \(status) \(random.next() % 5000)\(tail)\n"
        }
        try directory.write("logs/access.log", Array(log.utf8))
        let stderr = try await Self.run("accesslog", ["--split-size", "20K", "--output", "\(directory.path)/out", "\(directory.path)/logs"])
        let expected = urls.map { "url\t\($0.key)\t\($0.value)" } + statuses.map { "status\t\($0.key)\t\($0.value)" }
        #expect(try Self.lines(directory).sorted() == expected.sorted())
        #expect(stderr.contains("malformed lines=\(malformed)\n"))
    }

    @Test func reverseLinksListsEveryPageThatLinksToEachPage() async throws {
        let directory = try TemporaryDirectory()
        var random = SeededRandom(seed: 51)
        var incoming: [String: Set<String>] = [:]
        var graph = ""
        for page in 0..<400 {
            let targets = (0..<Int(random.next() % 6)).map { _ in "p\(random.next() % 100)" }
            for target in targets { incoming[target, default: []].insert("p\(page)") }
            graph += "p\(page)\t\(targets.joined(separator: " "))\n"
        }
        graph += "a line with no tab\n"
        try directory.write("graph/links.tsv", Array(graph.utf8))
        let stderr = try await Self.run("reverselinks", ["--reducers", "2", "--split-size", "2K", "--output", "\(directory.path)/out", "\(directory.path)/graph"])
        let expected = incoming.map { "\($0.key)\t\($0.value.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.joined(separator: " "))" }
        #expect(try Self.lines(directory).sorted() == expected.sorted())
        #expect(stderr.contains("malformed lines=1\n"))
    }

    @Test(arguments: ["inner", "left"])
    func joinMatchesUsersWithTheirOrders(type: String) async throws {
        let directory = try TemporaryDirectory()
        var random = SeededRandom(seed: 61)
        let users = (0..<60).map { ("u\($0)", "Name \($0)\tC\($0 % 7)") }
        let orders = (0..<500).map { ("o\($0)", "u\(random.next() % 80)", "\(random.next() % 1000).\(random.next() % 100)") }
        try directory.write("users.tsv", Array(users.map { "\($0.0)\t\($0.1)\n" }.joined().utf8))
        try directory.write("orders.tsv", Array(orders.map { "\($0.0)\t\($0.1)\t\($0.2)\n" }.joined().utf8))
        _ = try await Self.run("join", [
            "--reducers", "3", "--param", "type=\(type)", "--input", "users=\(directory.path)/users.tsv",
            "--input", "orders=\(directory.path)/orders.tsv", "--output", "\(directory.path)/out",
        ])
        var expected: [String] = []
        for (id, fields) in users {
            let mine = orders.filter { $0.1 == id }
            for order in mine { expected.append("\(id)\t\(fields)\t\(order.0)\t\(order.2)") }
            if mine.isEmpty, type == "left" { expected.append("\(id)\t\(fields)\t\t") }
        }
        #expect(try Self.lines(directory).sorted() == expected.sorted())
    }

    @Test func teraSortOutputIsGloballySortedAndValidates() async throws {
        let directory = try TemporaryDirectory()
        var random = SeededRandom(seed: 71)
        var records: [[UInt8]] = []
        var keys: Set<[UInt8]> = []
        while records.count < 3_000 {
            let key = (0..<10).map { _ in [0x0A, 0x00, 0xFF, UInt8(truncatingIfNeeded: random.next())][Int(random.next() % 4)] }
            guard keys.insert(key).inserted else { continue }
            records.append(key + (0..<90).map { _ in UInt8(truncatingIfNeeded: random.next()) })
        }
        try directory.write("in/a.bin", Array(records[..<1_700].joined()))
        try directory.write("in/b.bin", Array(records[1_700...].joined()))
        _ = try await Self.run("terasort", ["--reducers", "3", "--split-size", "25K", "--output", "\(directory.path)/out", "\(directory.path)/in"])
        let parts = try directory.partFiles("out")
        #expect(parts.count == 3)
        #expect(parts.allSatisfy { !$0.contents.isEmpty }, "the sampled boundaries spread the keys over every partition")
        let sorted = records.sorted { $0[..<10].lexicographicallyPrecedes($1[..<10]) }
        #expect(parts.flatMap(\.contents) == Array(sorted.joined()))
        let valid = try await ChildProcess.run("datagen", ["teravalidate", "--output", "\(directory.path)/out", "\(directory.path)/in"])
        #expect(valid.status == 0, "\(valid.standardError)")
        try directory.write("out/part-r-00001", Array(parts[1].contents.dropFirst(100)))
        let invalid = try await ChildProcess.run("datagen", ["teravalidate", "--output", "\(directory.path)/out", "\(directory.path)/in"])
        #expect(invalid.status != 0)
    }

    /// PageRank by plain power iteration, with the example's formula.
    static func powerIteration(_ links: [String: [String]], iterations: Int, damping: Double = 0.85) -> [String: Double] {
        let pages = Set(links.keys).union(links.values.joined())
        var rank = Dictionary(uniqueKeysWithValues: pages.map { ($0, 1.0) })
        for _ in 0..<iterations {
            var shares: [String: [Double]] = [:]
            for (page, targets) in links {
                for target in targets { shares[target, default: []].append(rank[page]! / Double(targets.count)) }
            }
            rank = Dictionary(uniqueKeysWithValues: pages.map { ($0, (1 - damping) + damping * (shares[$0] ?? []).sorted().reduce(0, +)) })
        }
        return rank
    }

    @Test func pageRankIteratesAsAChainOfJobsAndMatchesAPowerIteration() async throws {
        let directory = try TemporaryDirectory()
        var random = SeededRandom(seed: 81)
        var links: [String: [String]] = [:]
        for page in 0..<150 {
            var targets: [String] = []
            for _ in 0..<Int(random.next() % 5) {
                let target = "p\(random.next() % 170)"
                if target != "p\(page)", !targets.contains(target) { targets.append(target) }
            }
            links["p\(page)"] = targets
        }
        try directory.write("graph/links.tsv", Array(links.map { "\($0.key)\t\($0.value.joined(separator: " "))\n" }.joined().utf8))
        func ranks(_ name: String) throws -> [String: Double] {
            Dictionary(uniqueKeysWithValues: try Self.lines(directory, name).map { line in
                let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
                return (String(fields[0]), Double(fields[1])!)
            })
        }
        let tolerance = 1e-9
        let log = try await Self.run("pagerank", [
            "--reducers", "3", "--split-size", "1K", "--param", "iterations=6", "--param", "threshold=0", "--log-level", "info",
            "--output", "\(directory.path)/out", "\(directory.path)/graph",
        ])
        // The same two workers serve all six jobs (the second may join after the first job).
        #expect(log.components(separatedBy: "worker registered").count - 1 == 2)
        #expect(log.split(separator: "\n").filter { $0.contains("job started") && $0.contains("number=6 ") }.count == 2)
        let expected = Self.powerIteration(links, iterations: 6)
        let actual = try ranks("out")
        #expect(Set(actual.keys) == Set(expected.keys))
        #expect(expected.allSatisfy { abs((actual[$0.key] ?? .nan) - $0.value) <= tolerance * max(1, $0.value) })
        #expect(!FileManager.default.fileExists(atPath: "\(directory.path)/out/_iterations"))
        // A threshold no change reaches stops the chain after its first job.
        _ = try await Self.run("pagerank", ["--param", "threshold=1e12", "--output", "\(directory.path)/once", "\(directory.path)/graph"])
        let once = Self.powerIteration(links, iterations: 1)
        #expect(try ranks("once").allSatisfy { abs($0.value - once[$0.key]!) <= tolerance * max(1, $0.value) })
        // In one process the chain gives the same files.
        let local = try await ChildProcess.run("pagerank", [
            "run", "--in-process", "--reducers", "3", "--split-size", "1K", "--param", "iterations=6", "--param", "threshold=0",
            "--output", "\(directory.path)/local", "\(directory.path)/graph",
        ])
        #expect(local.status == 0, "\(local.standardError)")
        #expect(try directory.partFiles("local").map(\.contents) == directory.partFiles("out").map(\.contents))
    }

    @Test func aChainStoppedBySIGTERMLeavesNoOutput() async throws {
        let directory = try TemporaryDirectory()
        let links = (0..<200).map { "p\($0)\tp\(($0 * 7 + 1) % 200) p\(($0 * 13 + 5) % 200)" }.joined(separator: "\n")
        try directory.write("graph/links.tsv", Array(links.utf8))
        let out = "\(directory.path)/out"
        let run = try ChildProcess("pagerank", [
            "run", "--workers", "2", "--param", "iterations=1000", "--param", "threshold=0", "--log-level", "info",
            "--output", out, "\(directory.path)/graph",
        ])
        _ = try await run.waitForStandardError(matching: "(job started(.|\\n)*){3}")
        kill(run.processIdentifier, SIGTERM)
        let result = try await run.wait(timeout: 30)
        #expect(result.status == 143, "\(result.standardError)")
        #expect(!FileManager.default.fileExists(atPath: out), "the stopped chain's output directory is gone")
    }
}
}
