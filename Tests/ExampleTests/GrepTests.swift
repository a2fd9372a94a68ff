import MapReduce
import MapReduceTesting
import Testing

@testable import grep

@Suite struct GrepTests {
    static let lines = ["abc", "xabbbcx", "ac", "ABC", "", "no match here", "abbc abc"]

    @Test func theMapperKeysMatchingLinesByPathAndOffset() throws {
        let run = try MapDriver(Grep.self, parameters: ["pattern": "ab+c"]).run(lines: Self.lines, name: "log.txt")
        var offset: Int64 = 0
        var expected: [(Int64, String)] = []
        for line in Self.lines {
            if line.contains(/ab+c/) { expected.append((offset, line)) }
            offset += Int64(line.utf8.count + 1)
        }
        #expect(run.emitted.map(\.key.second) == expected.map(\.0))
        #expect(run.emitted.map(\.value) == expected.map { Bytes(utf8: $0.1) })
        #expect(run.emitted.allSatisfy { $0.key.first.description.hasSuffix("/log.txt") })
    }

    @Test func ignoreCaseMatchesEitherCase() throws {
        let run = try MapDriver(Grep.self, parameters: ["pattern": "ab+c", "ignore-case": "true"]).run(lines: Self.lines)
        #expect(run.emitted.map(\.value) == Self.lines.filter { $0.lowercased().contains(/ab+c/) }.map { Bytes(utf8: $0) })
    }

    /// Bytes in the C locale, as `LC_ALL=C grep -E`: `.` is one byte, invalid UTF-8 is matched and
    /// written as it is, a NUL byte is part of the line, a CR before the newline is not.
    @Test func linesAreMatchedAndWrittenAsBytes() throws {
        let input: [UInt8] = Array("caf".utf8) + [0xE9] + Array("\ncafé\nca\0f\u{1}\nCAF".utf8) + [0xE8, 0x0D, 0x0A]
        func matches(_ pattern: String, ignoreCase: Bool = false) throws -> [[UInt8]] {
            try MapDriver(Grep.self, parameters: ["pattern": pattern, "ignore-case": "\(ignoreCase)"]).run(input).emitted.map(\.value.storage)
        }
        #expect(try matches("^caf.$", ignoreCase: true) == [Array("caf".utf8) + [0xE9], Array("CAF".utf8) + [0xE8]])
        #expect(try matches("f.$") == [Array("caf".utf8) + [0xE9], Array("ca\0f\u{1}".utf8)])
        #expect(try matches("^[[:alpha:]]+$").isEmpty, "é is two bytes, neither a letter in the C locale")
        // Unlike GNU grep, `.` does not match NUL (POSIX regcomp): documented.
        #expect(try matches("^ca.f").isEmpty)
        let offsets = try MapDriver(Grep.self, parameters: ["pattern": "."]).run(input).emitted.map(\.key.second)
        #expect(offsets == [0, 5, 11, 17])
    }

    @Test func aBadPatternIsRefusedBeforeAnyRecord() {
        #expect(throws: (any Error).self) { try MapDriver(Grep.self, parameters: ["pattern": "("]).run(lines: ["x"]) }
    }

    /// Map-only by default, a part file per map; with one reducer, one file: the same lines.
    @Test(arguments: [nil, 1])
    func theJobPrintsMatchesFileByFileInInputOrder(reducers: Int?) async throws {
        let files = ["b.txt": Self.lines, "a.txt": Self.lines.reversed()]
        let output = try await TestJob(Grep.self, reducers: reducers, parameters: ["pattern": "ab+c"], splitSize: 8).run(
            files: files.mapValues { Array($0.map { $0 + "\n" }.joined().utf8) })
        #expect(reducers == 1 ? output.parts.count == 1 : output.parts.count > 4, "\(output.parts.count) part files")
        let directory = try #require(output.inputDirectory)
        var expected: [String] = []
        for name in files.keys.sorted() {
            var offset = 0
            for line in files[name]! {
                if line.contains(/ab+c/) { expected.append("\(directory)/\(name)\t\(offset)\t\(line)") }
                offset += line.utf8.count + 1
            }
        }
        #expect(output.lines == expected)
    }
}
