import Foundation
import Testing
import TestSupport

@testable import MapReduce

/// Every line is read exactly once, whatever the split size.
@Suite struct TextInputTests {
    struct ReadLine: Equatable, CustomStringConvertible {
        var offset: Int64
        var bytes: [UInt8]
        var description: String { "\(self.offset): \(String(decoding: self.bytes, as: UTF8.self).debugDescription)" }
    }

    /// The lines of `content` by the rule, found the plain way.
    static func referenceLines(_ content: [UInt8]) -> [ReadLine] {
        var lines: [ReadLine] = []
        var start = 0
        for (i, byte) in content.enumerated() where byte == UInt8(ascii: "\n") {
            lines.append(ReadLine(offset: Int64(start), bytes: Array(content[start..<i])))
            start = i + 1
        }
        if start < content.count { lines.append(ReadLine(offset: Int64(start), bytes: Array(content[start...]))) }
        return lines.map { line in
            var line = line
            if line.bytes.last == UInt8(ascii: "\r") { line.bytes.removeLast() }
            return line
        }
    }

    /// The lines every split of `path` hands out, in split order, and the bytes the splits report.
    static func readAllSplits(_ path: String, size: Int64, splitSize: Int64) throws -> ([ReadLine], Int64) {
        var lines: [ReadLine] = []
        var bytes: Int64 = 0
        for split in TextInput.splits(of: [InputFile(path: path, size: size)], splitSize: splitSize) {
            bytes += try TextInput.read(split) { line in lines.append(ReadLine(offset: line.offset, bytes: line.bytes.withUnsafeBufferPointer(Array.init))) }
        }
        return (lines, bytes)
    }

    static let cases: [(String, [UInt8])] = [
        ("plain", Array("one\ntwo\nthree\n".utf8)),
        ("no final newline", Array("one\ntwo\nthree".utf8)),
        ("empty", []),
        ("only newlines", Array("\n\n\n".utf8)),
        ("crlf", Array("one\r\ntwo\r\n\r\nlast\r".utf8)),
        ("lone cr inside", Array("a\rb\nc\r\r\n".utf8)),
        ("long line", Array(("short\n" + String(repeating: "x", count: 5000) + "\nend\n").utf8)),
        ("not utf-8", [0xFF, 0xFE, 0x0A, 0xC3, 0x28, 0x0A, 0x00, 0x0A, 0x80]),
        ("single byte", [0x61]),
        ("single newline", [0x0A]),
    ]

    @Test(arguments: 0..<cases.count)
    func everyLineIsReadOnceForEverySplitSize(caseIndex: Int) throws {
        let (name, content) = Self.cases[caseIndex]
        let directory = try TemporaryDirectory()
        let path = try directory.write("input.txt", content)
        let expected = Self.referenceLines(content)
        var splitSizes: [Int64] = Array(1...12) + [17, 64, 4095, 4096, 5003]
        splitSizes += [Int64(content.count), Int64(content.count) + 1, 64 << 20]
        for splitSize in splitSizes where splitSize > 0 {
            let (lines, bytes) = try Self.readAllSplits(path, size: Int64(content.count), splitSize: splitSize)
            #expect(lines == expected, "\(name), split size \(splitSize)")
            #expect(bytes == Int64(content.count), "\(name), split size \(splitSize)")
        }
    }

    @Test func randomTextAcrossRandomSplitSizes() throws {
        let directory = try TemporaryDirectory()
        var random = SeededRandom(seed: 5)
        for seed in 0..<4 {
            var text = RandomText(seed: UInt64(seed))
            let content = text.make(size: 3000 + seed * 5000)
            let path = try directory.write("random\(seed).txt", content)
            let expected = Self.referenceLines(content)
            for _ in 0..<8 {
                let splitSize = Int64.random(in: 1...Int64(content.count + 10), using: &random)
                let (lines, _) = try Self.readAllSplits(path, size: Int64(content.count), splitSize: splitSize)
                #expect(lines == expected, "seed \(seed), split size \(splitSize)")
            }
        }
    }

    @Test func wholeFileInputIsOneRecordPerFile() throws {
        let directory = try TemporaryDirectory()
        let content: [UInt8] = Array("a\nb\r\nc".utf8) + [0xFF]
        let path = try directory.write("doc.txt", content)
        let splits = WholeFileInput.splits(of: [InputFile(path: path, size: Int64(content.count))], splitSize: 1)
        #expect(splits.count == 1)
        var records: [(String, [UInt8])] = []
        _ = try WholeFileInput.read(splits[0]) { records.append(($0.path, $0.contents.withUnsafeBufferPointer(Array.init))) }
        #expect(records.count == 1)
        #expect(records.first?.0 == path)
        #expect(records.first?.1 == content)
    }
}

@Suite struct InputPathsTests {
    @Test func directoriesAreReadRecursivelySkippingHiddenFiles() throws {
        let directory = try TemporaryDirectory()
        try directory.write("in/b.txt", [1])
        try directory.write("in/a.txt", [1, 2])
        try directory.write("in/sub/c.txt", [1, 2, 3])
        try directory.write("in/.hidden", [1])
        try directory.write("in/_SUCCESS", [])
        try directory.write("in/.git/config", [1])
        let files = try InputPaths.expand(["\(directory.path)/in"])
        #expect(files.map(\.path) == ["a.txt", "b.txt", "sub/c.txt"].map { "\(directory.path)/in/\($0)" })
        #expect(files.map(\.size) == [2, 1, 3])
    }

    @Test func globsExpandAndFilesAreListedOnce() throws {
        let directory = try TemporaryDirectory()
        try directory.write("x1.log", [1])
        try directory.write("x2.log", [1])
        try directory.write("y.txt", [1])
        let files = try InputPaths.expand(["\(directory.path)/x*.log", "\(directory.path)/x1.log"])
        #expect(files.map(\.path) == ["\(directory.path)/x1.log", "\(directory.path)/x2.log"])
    }

    @Test func missingPathsAndEmptyDirectoriesAreClearErrors() throws {
        let directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: "\(directory.path)/empty", withIntermediateDirectories: true)
        #expect(throws: JobError("input path does not exist: \(directory.path)/nope")) {
            try InputPaths.expand(["\(directory.path)/nope"])
        }
        #expect(throws: JobError("input directory \(directory.path)/empty holds no files")) {
            try InputPaths.expand(["\(directory.path)/empty"])
        }
        #expect(throws: JobError("no input matches \(directory.path)/*.none")) {
            try InputPaths.expand(["\(directory.path)/*.none"])
        }
    }
}
