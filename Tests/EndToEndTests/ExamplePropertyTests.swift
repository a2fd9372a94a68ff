import Foundation
import Testing
import TestSupport

/// Every example that reads text, run as a local cluster of two workers on random input full of
/// what real files hold (bytes that are not UTF-8, CR, NUL, very long lines, empty fields), against
/// a plain sequential computation written here, byte for byte.
extension EndToEnd {
@Suite(.timeLimit(.minutes(3)))
struct ExamplePropertyTests {
    typealias Text = [UInt8]

    /// Random input of one seed.
    struct Input {
        var random: SeededRandom

        init(seed: UInt64) {
            self.random = SeededRandom(seed: seed)
        }

        /// Pieces a name is made of: ASCII, UTF-8 `é`, bytes that are never UTF-8, NUL and CR.
        static let pieces: [Text] = [[0x61], [0x62], [0x7A], [0x31], [0xC3, 0xA9], [0xE9], [0xE8], [0xFF], [0x00], [0x0D], [0x2E]]

        /// A name of up to `longest` pieces (maybe none): no tab, space or newline.
        mutating func name(longest: Int = 4) -> Text {
            (0..<Int(self.random.next() % UInt64(longest + 1))).flatMap { _ in Self.pieces.randomElement(using: &self.random)! }
        }

        /// A name with at least one piece.
        mutating func nonEmptyName() -> Text {
            var name = self.name()
            if name.isEmpty { name = [0x61] }
            return name
        }

        mutating func chance(_ percent: UInt64) -> Bool {
            self.random.next() % 100 < percent
        }

        mutating func number(_ bound: Int) -> Int {
            Int(self.random.next() % UInt64(bound))
        }
    }

    /// The lines of a file as the text input reads them: at `\n`, one trailing `\r` dropped.
    static func lines(_ text: Text) -> [(offset: Int, bytes: Text)] {
        var lines: [(Int, Text)] = []
        var start = 0
        for (index, byte) in text.enumerated() where byte == 0x0A {
            lines.append((start, Array(text[start..<index])))
            start = index + 1
        }
        if start < text.count { lines.append((start, Array(text[start...]))) }
        return lines.map { line in (line.0, line.1.last == 0x0D ? Array(line.1.dropLast()) : line.1) }
    }

    static func joined(_ fields: [Text], _ separator: UInt8) -> Text {
        fields.enumerated().flatMap { $0.offset == 0 ? $0.element : [separator] + $0.element }
    }

    static let tab: UInt8 = 0x09
    static let space: UInt8 = 0x20

    /// Runs `example` as a 2-worker cluster over the files and returns its output's lines, part file by part file.
    static func run(_ example: String, _ arguments: [String], files: [String: Text], in directory: TemporaryDirectory) async throws -> [Text] {
        for (name, text) in files { try directory.write("in/\(name)", text) }
        let result = try await ChildProcess.run(example, [
            "run", "--workers", "2", "--split-size", "2K", "--output", "\(directory.path)/out",
        ] + arguments)
        #expect(result.status == 0, "\(example): \(result.standardError)")
        return try directory.partFiles("out").flatMap { part in
            var lines = part.contents.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
            lines.removeLast()
            return lines
        }
    }

    @Test func reverseLinks() async throws {
        var input = Input(seed: 1)
        var text: Text = []
        var sources: [Text: Set<Text>] = [:]
        for _ in 0..<600 {
            let source = input.name()
            let targets = (0..<input.number(5)).map { _ in input.name() }
            let hasTab = !input.chance(5)
            var line = source + (hasTab ? [Self.tab] : []) + Self.joined(targets, Self.space)
            if input.chance(10) { line += Array(repeating: 0x61, count: 3000 + input.number(3000)) }
            text += line + (input.chance(20) ? [0x0D, 0x0A] : [0x0A])
        }
        for (_, line) in Self.lines(text) {
            guard let tab = line.firstIndex(of: Self.tab), tab > 0 else { continue }
            for target in line[(tab + 1)...].split(separator: Self.space) { sources[Array(target), default: []].insert(Array(line[..<tab])) }
        }
        let expected = sources.map { target, sources in
            target + [Self.tab] + Self.joined(sources.sorted { $0.lexicographicallyPrecedes($1) }, Self.space)
        }
        let directory = try TemporaryDirectory()
        let output = try await Self.run("reverselinks", ["--reducers", "3", "\(directory.path)/in"], files: ["links.tsv": text], in: directory)
        #expect(output.sorted { $0.lexicographicallyPrecedes($1) } == expected.sorted { $0.lexicographicallyPrecedes($1) })
    }

    @Test func grep() async throws {
        var input = Input(seed: 2)
        var files: [String: Text] = [:]
        for name in ["a.log", "b.log"] {
            files[name] = (0..<400).flatMap { _ -> Text in
                let fields = (0..<input.number(4)).map { _ in input.name() }
                var line = Self.joined(fields, Self.space)
                if input.chance(3) { line += Array(repeating: 0x62, count: 5000) }
                return line + (input.chance(20) ? [0x0D, 0x0A] : [0x0A])
            }
        }
        // `ab|z1`, as bytes: no `.` or bracket, so NUL makes no difference.
        func matches(_ line: Text) -> Bool {
            line.indices.contains { line[$0...].starts(with: [0x61, 0x62]) || line[$0...].starts(with: [0x7A, 0x31]) }
        }
        let directory = try TemporaryDirectory()
        var expected: [Text] = []
        for name in files.keys.sorted() {
            for (offset, line) in Self.lines(files[name]!) where matches(line) {
                expected.append(Array("\(directory.path)/in/\(name)\t\(offset)\t".utf8) + line)
            }
        }
        let output = try await Self.run("grep", ["--param", "pattern=ab|z1", "\(directory.path)/in"], files: files, in: directory)
        #expect(output == expected)
    }

    @Test func join() async throws {
        var input = Input(seed: 3)
        let ids = (0..<60).map { _ in input.name(longest: 2) }
        var users: Text = []
        var orders: Text = []
        for _ in 0..<150 {
            let fields = [ids.randomElement(using: &input.random)!] + (0..<(1 + input.number(3))).map { _ in input.name() }
            users += Self.joined(fields, Self.tab) + [0x0A]
        }
        for number in 0..<500 {
            var fields = [Array("o\(number)".utf8), ids.randomElement(using: &input.random)!, input.name()]
            if input.chance(5) { fields.removeLast() }
            orders += Self.joined(fields, Self.tab) + [0x0A]
        }
        let userRows = Self.lines(users).map { $0.bytes.split(separator: Self.tab, omittingEmptySubsequences: false).map(Array.init) }.filter { $0.count >= 3 }
        let orderRows = Self.lines(orders).map { $0.bytes.split(separator: Self.tab, omittingEmptySubsequences: false).map(Array.init) }.filter { $0.count >= 3 }
        for type in ["inner", "left"] {
            var expected: [Text] = []
            for user in userRows {
                let matching = orderRows.filter { $0[1] == user[0] }
                for order in matching { expected.append(Self.joined(user + [order[0]] + order[2...], Self.tab)) }
                if matching.isEmpty, type == "left" { expected.append(Self.joined(user + [[], []], Self.tab)) }
            }
            let directory = try TemporaryDirectory()
            let output = try await Self.run("join", [
                "--param", "type=\(type)", "--input", "users=\(directory.path)/in/users.tsv", "--input", "orders=\(directory.path)/in/orders.tsv",
            ], files: ["users.tsv": users, "orders.tsv": orders], in: directory)
            #expect(output.sorted { $0.lexicographicallyPrecedes($1) } == expected.sorted { $0.lexicographicallyPrecedes($1) }, "\(type)")
        }
    }

    @Test func topN() async throws {
        var input = Input(seed: 4)
        var text: Text = []
        for _ in 0..<1500 {
            let score = input.chance(5) ? Array("x1".utf8) : Array("\(input.number(40) - 20)".utf8)
            var fields = [input.name(longest: 2), score, input.name()]
            if input.chance(3) { fields.removeLast(2) }
            text += Self.joined(fields, Self.tab) + (input.chance(10) ? [0x0D, 0x0A] : [0x0A])
        }
        var groups: [Text: [(score: Double, line: Text)]] = [:]
        for (_, line) in Self.lines(text) {
            let fields = line.split(separator: Self.tab, omittingEmptySubsequences: false).map(Array.init)
            guard fields.count >= 2, let score = Double(String(decoding: fields[1], as: UTF8.self)) else { continue }
            groups[fields[0], default: []].append((score, line))
        }
        let expected = groups.flatMap { key, rows in
            rows.sorted { $0.score != $1.score ? $0.score > $1.score : $0.line.lexicographicallyPrecedes($1.line) }.prefix(3).enumerated()
                .map { key + Array("\t\($0.offset + 1)\t".utf8) + $0.element.line }
        }
        let directory = try TemporaryDirectory()
        let output = try await Self.run("topn", ["--reducers", "3", "\(directory.path)/in"], files: ["scores.tsv": text], in: directory)
        #expect(output.sorted { $0.lexicographicallyPrecedes($1) } == expected.sorted { $0.lexicographicallyPrecedes($1) })
    }

    @Test func pageRank() async throws {
        var input = Input(seed: 5)
        let pages = (0..<40).map { _ in input.nonEmptyName() }
        var text: Text = []
        for _ in 0..<70 {
            let targets = (0..<input.number(4)).map { _ in pages.randomElement(using: &input.random)! }
            var line = pages.randomElement(using: &input.random)! + [Self.tab] + Self.joined(targets, Self.space)
            if input.chance(5) { line += [Self.tab, 0x31] }
            text += line + [0x0A]
        }
        // The graph as documented: a page's lines merged in input order; lines of one tab and a name only.
        var links: [Text: [Text]] = [:]
        for (_, line) in Self.lines(text) {
            let fields = line.split(separator: Self.tab, omittingEmptySubsequences: false).map(Array.init)
            guard fields.count == 2, !fields[0].isEmpty else { continue }
            let targets = fields[1].split(separator: Self.space).map(Array.init)
            links[fields[0], default: []] += targets
            for target in targets where links[target] == nil { links[target] = [] }
        }
        var ranks = links.mapValues { _ in 1.0 }
        for _ in 0..<5 {
            var next = links.mapValues { _ in 0.15 }
            for (page, targets) in links {
                for target in targets { next[target]! += 0.85 * ranks[page]! / Double(targets.count) }
            }
            ranks = next
        }
        let directory = try TemporaryDirectory()
        let output = try await Self.run("pagerank", [
            "--reducers", "2", "--param", "iterations=5", "--param", "threshold=0", "\(directory.path)/in",
        ], files: ["graph.tsv": text], in: directory)
        var actual: [Text: (rank: Double, targets: Text)] = [:]
        for line in output {
            let fields = line.split(separator: Self.tab, maxSplits: 2, omittingEmptySubsequences: false).map(Array.init)
            actual[fields[0]] = (Double(String(decoding: fields[1], as: UTF8.self))!, fields.count > 2 ? fields[2] : [])
        }
        #expect(Set(actual.keys) == Set(ranks.keys))
        for (page, rank) in ranks {
            #expect(abs((actual[page]?.rank ?? .nan) - rank) < 1e-9, "\(page)")
            #expect(actual[page]?.targets == Self.joined(links[page]!, Self.space), "\(page)")
        }
    }

    @Test func wordCountAndInvertedIndex() async throws {
        var input = Input(seed: 6)
        var files: [String: Text] = [:]
        for name in ["a.txt", "b.txt", "c.txt"] {
            files[name] = (0..<300).flatMap { _ -> Text in
                var line = Self.joined((0..<input.number(6)).map { _ in input.name() }, [Self.space, Self.tab, 0x2C].randomElement(using: &input.random)!)
                if input.chance(2) { line += Array(repeating: 0x77, count: 4000) }
                return line + (input.chance(20) ? [0x0D, 0x0A] : [0x0A])
            }
        }
        let counts = ReferenceWords.count(Array(files.values))
        let directory = try TemporaryDirectory()
        let counted = try await Self.run("wordcount", ["--reducers", "2", "\(directory.path)/in"], files: files, in: directory)
        #expect(counted.sorted { $0.lexicographicallyPrecedes($1) } == counts.map { Array("\($0.key)\t\($0.value)".utf8) }.sorted { $0.lexicographicallyPrecedes($1) })
        var documents: [String: Set<String>] = [:]
        for (name, text) in files {
            for word in ReferenceWords.words(in: text) { documents[String(decoding: word, as: UTF8.self), default: []].insert("\(directory.path)/in/\(name)") }
        }
        let index = try TemporaryDirectory()
        let indexed = try await Self.run("invertedindex", ["--reducers", "2", "\(index.path)/in"], files: files, in: index)
        let expected = documents.map { word, paths in
            let sorted = paths.map { $0.replacingOccurrences(of: directory.path, with: index.path) }.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            return Array("\(word)\t\(sorted.count)\t\(sorted.joined(separator: ","))".utf8)
        }
        #expect(indexed.sorted { $0.lexicographicallyPrecedes($1) } == expected.sorted { $0.lexicographicallyPrecedes($1) })
    }

    @Test func accessLog() async throws {
        var input = Input(seed: 7)
        var text: Text = []
        var expected: [Text: Int] = [:]
        for number in 0..<1200 {
            // URLs of any bytes but space, quote and newline; some lines broken on purpose.
            let url = [0x2F] + input.name().filter { $0 != 0x0D }
            let status = [200, 404, 99, 600, 301][input.number(5)]
            let prefix = Array(#"10.0.0.\#(number % 7) - - [01/Jan/2026:00:00:00 +0000] "GET "#.utf8)
            var line = prefix + url + Array(#" HTTP/1.1" \#(status) \#(number)"#.utf8)
            if input.chance(5) { line = Array(line.prefix(input.number(line.count))) }
            text += line + (input.chance(10) ? [0x0D, 0x0A] : [0x0A])
        }
        for (_, line) in Self.lines(text) {
            // The documented rule, stated again: quotes, two or three parts, space, status 100-599, end or space.
            guard let open = line.firstIndex(of: 0x22), let close = line[(open + 1)...].firstIndex(of: 0x22) else { continue }
            let parts = line[(open + 1)..<close].split(separator: Self.space)
            let rest = Array(line[(close + 1)...])
            guard parts.count == 2 || parts.count == 3, rest.count >= 4, rest[0] == Self.space,
                let status = Int(String(decoding: rest[1..<4], as: UTF8.self)), (100...599).contains(status),
                rest[1..<4].allSatisfy({ (0x30...0x39).contains($0) }), rest.count == 4 || rest[4] == Self.space
            else { continue }
            expected[Array("url\t".utf8) + parts[1], default: 0] += 1
            expected[Array("status\t\(status)".utf8), default: 0] += 1
        }
        let directory = try TemporaryDirectory()
        let output = try await Self.run("accesslog", ["--reducers", "2", "\(directory.path)/in"], files: ["access.log": text], in: directory)
        let lines = expected.map { $0.key + Array("\t\($0.value)".utf8) }
        #expect(output.sorted { $0.lexicographicallyPrecedes($1) } == lines.sorted { $0.lexicographicallyPrecedes($1) })
    }
}
}
