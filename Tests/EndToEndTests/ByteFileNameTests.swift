import Foundation
import MapReduce
import Testing
import TestSupport

/// File names that are not UTF-8 reach the mapper and the output byte for byte, named directly on
/// the command line, found in a directory or matched by a glob, through a cluster of two workers.
extension EndToEnd {
@Suite(.timeLimit(.minutes(2)))
struct ByteFileNameTests {
    /// `in/x\xE9.txt`, `in/caf\xC3\xA9.txt` (valid UTF-8) and `in/sub/y\xFF\xFE.txt`, as raw bytes.
    static let names: [[UInt8]] = [Array("x".utf8) + [0xE9] + Array(".txt".utf8), Array("caf".utf8) + [0xC3, 0xA9] + Array(".txt".utf8),
        Array("sub/y".utf8) + [0xFF, 0xFE] + Array(".txt".utf8)]

    /// Writes each file (its name in bytes) under `directory/in`, holding `word<index>` and a shared word.
    static func write(in directory: TemporaryDirectory) throws {
        try FileManager.default.createDirectory(atPath: "\(directory.path)/in/sub", withIntermediateDirectories: true)
        for (index, name) in Self.names.enumerated() {
            var file = try FileDescriptor.open(writing: PathBytes.string(from: Array("\(directory.path)/in/".utf8) + name), access: .ownerOnly)
            try Array("shared word\(["a", "b", "c"][index])\n".utf8).withUnsafeBytes { try file.write($0) }
            try file.syncAndClose()
        }
    }

    static func lines(_ directory: TemporaryDirectory, _ output: String) throws -> [[UInt8]] {
        try directory.partFiles(output).flatMap { $0.contents.split(separator: 0x0A).map(Array.init) }
    }

    @Test func aDirectoryAndAGlobFindTheFilesAndGrepAndTheIndexPrintTheirNames() async throws {
        let directory = try TemporaryDirectory()
        try Self.write(in: directory)
        let paths = Self.names.map { Array("\(directory.path)/in/".utf8) + $0 }
        let grep = try await ChildProcess.run("grep", [
            "run", "--workers", "2", "--param", "pattern=word", "--output", "\(directory.path)/grep", "\(directory.path)/in",
        ])
        #expect(grep.status == 0, "\(grep.standardError)")
        let byBytes = paths.sorted { $0.lexicographicallyPrecedes($1) }
        #expect(try Self.lines(directory, "grep") == byBytes.map { path in
            path + Array("\t0\tshared word\(["a", "b", "c"][paths.firstIndex(of: path)!])".utf8)
        })
        let index = try await ChildProcess.run("invertedindex", [
            "run", "--workers", "2", "--output", "\(directory.path)/index", "\(directory.path)/in/*.txt", "\(directory.path)/in/sub",
        ])
        #expect(index.status == 0, "\(index.standardError)")
        let shared = try #require(try Self.lines(directory, "index").first { $0.starts(with: Array("shared\t".utf8)) })
        #expect(shared == Array("shared\t3\t".utf8) + byBytes.enumerated().flatMap { ($0.offset == 0 ? [] : [0x2C]) + $0.element })
    }

    @Test func aFileNamedDirectlyIsTheFileOfThatName() async throws {
        let directory = try TemporaryDirectory()
        try Self.write(in: directory)
        // The shell passes the name's bytes as they are: \351 is 0xE9.
        let wordcount = "\(ChildProcess.productsDirectory)/wordcount"
        let script = #"exec "$0" run --workers 2 --output "$1/out" "$(printf '%s/in/x\351.txt' "$1")""#
        let result = try await ChildProcess(program: "/bin/sh", ["-c", script, wordcount, directory.path]).wait(timeout: 60)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(try Self.lines(directory, "out") == [Array("shared\t1".utf8), Array("worda\t1".utf8)])
        let missing = try await ChildProcess(
            program: "/bin/sh", ["-c", #"exec "$0" run --in-process --output "$1/none" "$(printf '%s/in/z\351.txt' "$1")""#, wordcount, directory.path]
        ).wait(timeout: 60)
        #expect(missing.status != 0)
        #expect(missing.standardError.contains("input path does not exist: \(directory.path)/in/z\\xE9.txt"), "\(missing.standardError)")
    }

    @Test func anOutputDirectoryWhoseNameIsNotUTF8IsWrittenByThatName() async throws {
        let directory = try TemporaryDirectory()
        try Self.write(in: directory)
        let wordcount = "\(ChildProcess.productsDirectory)/wordcount"
        let script = #"exec "$0" run --workers 2 --output "$(printf '%s/out\351' "$1")" "$1/in""#
        let result = try await ChildProcess(program: "/bin/sh", ["-c", script, wordcount, directory.path]).wait(timeout: 60)
        #expect(result.status == 0, "\(result.standardError)")
        let output = PathBytes.string(from: Array("\(directory.path)/out".utf8) + [0xE9])
        let names = try Directory(path: output).names().sorted()
        #expect(names == ["_SUCCESS", "_job.json", "_report.html", "part-r-00000", "part-r-00001"])
        let counts = try names.filter { $0.hasPrefix("part-") }.flatMap { name in
            try FileDescriptor.open(reading: "\(output)/\(name)").readToEnd().split(separator: 0x0A).map { String(decoding: $0, as: UTF8.self) }
        }
        #expect(counts.sorted() == ["shared\t3", "worda\t1", "wordb\t1", "wordc\t1"])
        #expect(try Directory(path: directory.path).names().sorted() == ["in", PathBytes.string(from: Array("out".utf8) + [0xE9])])
    }

    /// `run` hands its master and workers their arguments byte for byte.
    @Test func aWorkDirectoryWhoseNameIsNotUTF8IsTheOneUsed() async throws {
        let directory = try TemporaryDirectory()
        try Self.write(in: directory)
        let wordcount = "\(ChildProcess.productsDirectory)/wordcount"
        let script = #"work="$(printf '%s/work\351' "$1")"; mkdir "$work" && exec "$0" run --workers 2 --work-dir "$work" --output "$1/out" "$1/in""#
        let result = try await ChildProcess(program: "/bin/sh", ["-c", script, wordcount, directory.path]).wait(timeout: 60)
        #expect(result.status == 0, "\(result.standardError)")
        let counts = try directory.partFiles("out").flatMap { String(decoding: $0.contents, as: UTF8.self).split(separator: "\n").map(String.init) }
        #expect(counts.sorted() == ["shared\t3", "worda\t1", "wordb\t1", "wordc\t1"])
        // The run's directory went in the directory of that name, and went with the run.
        let work = PathBytes.string(from: Array("\(directory.path)/work".utf8) + [0xE9])
        #expect(try Directory(path: work).names().isEmpty)
    }
}
}
