import Foundation
import Testing
import TestSupport

/// What a mapper reads cannot outlive its `map` call: the compiler refuses code that keeps it.
@Suite struct InputLifetimeTests {
    /// Type-checks `source` against the built `MapReduce` module; returns the compiler's exit
    /// status and its errors.
    static func typeCheck(_ source: String) async throws -> (status: Int32, errors: [String]) {
        let directory = try TemporaryDirectory()
        let file = try directory.write("mapper.swift", Array(("import MapReduce\n" + source).utf8))
        let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        let moduleMaps = ["CMapReduceZlib", "CMapReduceMalloc", "CMapReducePrefetch"].flatMap {
            ["-Xcc", "-fmodule-map-file=\(package)/Sources/\($0)/module.modulemap"]
        }
        let result = try await ChildProcess(
            program: "/usr/bin/env", ["swiftc", "-typecheck", "-I", "\(ChildProcess.productsDirectory)/Modules"] + moduleMaps + [file],
            named: "swiftc"
        ).wait(timeout: 120)
        return (result.status, result.errorLines.filter { $0.contains("error:") }.map(String.init))
    }

    @Test func aMapperUsingItsInputWithinTheCallCompiles() async throws {
        let (status, errors) = try await Self.typeCheck("""
            struct Words: Mapper {
                mutating func map(_ line: Line, context: inout MapContext<String, Int>) {
                    line.words.forEach { context.emit($0, 1) }
                    var words = line.words
                    while let word = words.next() { context.emit(word.string, word.bytes.count) }
                    context.emit(line.string, line.bytes.isEmpty ? 0 : Int(line.bytes[0]))
                }
            }
            struct Files: Mapper {
                typealias Input = WholeFileInput
                mutating func map(_ file: WholeFile, context: inout MapContext<String, Int>) {
                    file.words.forEach { context.emit($0, file.contents.count) }
                }
            }
            enum Ten: RecordLength { static let bytes = 10 }
            struct Records: Mapper {
                typealias Input = FixedLengthInput<Ten>
                mutating func map(_ record: FixedLengthRecord, context: inout MapContext<Bytes, Bytes>) {
                    context.emit(key: record.bytes.extracting(..<2), value: record.bytes.extracting(2...))
                }
            }
            """)
        #expect(errors == [])
        #expect(status == 0)
    }

    @Test(arguments: [
        // A line, a word or a file kept in the mapper.
        "var kept: [Line] = []\n mutating func map(_ line: Line, context: inout MapContext<String, Int>) { self.kept.append(line) }",
        "var last: Word?\n mutating func map(_ line: Line, context: inout MapContext<String, Int>) { var w = line.words; self.last = w.next() }",
        "typealias Input = WholeFileInput\n var file: WholeFile?\n mutating func map(_ file: WholeFile, context: inout MapContext<String, Int>) { self.file = file }",
        // The bytes of a line, kept or handed out of the call.
        "var bytes: Span<UInt8>?\n mutating func map(_ line: Line, context: inout MapContext<String, Int>) { self.bytes = line.bytes }",
        "mutating func map(_ line: Line, context: inout MapContext<String, Int>) {}\n func keep(_ line: Line) -> Span<UInt8> { line.bytes }",
    ])
    func aMapperThatKeepsItsInputDoesNotCompile(body: String) async throws {
        let (status, errors) = try await Self.typeCheck("struct Keeper: Mapper {\n \(body)\n}\n")
        #expect(status != 0)
        #expect(!errors.isEmpty)
        #expect(errors.allSatisfy { $0.contains("Escapable") || $0.contains("lifetime") || $0.contains("escape") }, "\(errors)")
    }
}
