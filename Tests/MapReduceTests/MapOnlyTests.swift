import Foundation
import Testing
import TestSupport

@testable import MapReduce

/// Jobs with `--reducers 0`: each map writes what it emits, in order, as its own part file.
@Suite struct MapOnlyTests {
    @Test func eachMapWritesItsEmitsInOrderAsAPartFileAndTheCombinerDoesNotRun() async throws {
        let directory = try TemporaryDirectory()
        let lines = (0..<5000).map { "w\($0 % 13) x y" }
        let input = try directory.write("in/words.txt", Array(lines.map { $0 + "\n" }.joined().utf8))
        // A small sort buffer makes each map write its part file in several pieces.
        let report = try await InProcessRunnerTests.run(
            AnyJob(TestWordCount.self), [input], in: directory, reducers: 0, splitSize: 8192, sortBufferMB: 1)
        let parts = try directory.partFiles("out")
        #expect(parts.map(\.name) == (0..<report.maps).map { String(format: "part-m-%05d", $0) })
        #expect(report.maps > 4)
        // Every word with 1, in input order: no combiner folded them, no sort reordered them.
        let expected = lines.flatMap { line in line.split(whereSeparator: { !$0.isLetter }).map { "\($0)\t1" } }
        let written = parts.flatMap { String(decoding: $0.contents, as: UTF8.self).split(separator: "\n").map(String.init) }
        #expect(written == expected)
        #expect(report.counters[.mapOutputRecords] == Int64(expected.count))
        #expect(report.counters[.combineInputRecords] == 0 && report.reduces == 0)
        // What a map hands on is its part file: its bytes out are the file's size.
        #expect(report.counters[.mapOutputMaterializedBytes] == Int64(parts.reduce(0) { $0 + $1.contents.count }))
        #expect(report.attempts.map { $0.bytesOut ?? -1 }.sorted() == parts.map { Int64($0.contents.count) }.sorted())
        #expect(try FileManager.default.contentsOfDirectory(atPath: "\(directory.path)/out").sorted()
            == ["_SUCCESS", "_job.json", "_report.html"] + parts.map(\.name))
    }

    @Test func aJobWhoseMapOutputIsNotTextCannotBeMapOnly() async throws {
        let directory = try TemporaryDirectory()
        let input = try directory.write("in/a.txt", Array("a b\n".utf8))
        let error = await #expect(throws: JobError.self) {
            try await InProcessRunnerTests.run(AnyJob(OpaqueValues.self), [input], in: directory, reducers: 0)
        }
        #expect(error?.description.contains("cannot be map-only (--reducers 0)") == true)
        #expect(!FileManager.default.fileExists(atPath: "\(directory.path)/out/_SUCCESS"))
    }

    @Test func aJobThatWritesRecordsCannotBeMapOnly() async throws {
        let directory = try TemporaryDirectory()
        let input = try directory.write("in/a.txt", Array("a b\n".utf8))
        let error = await #expect(throws: JobError.self) {
            try await InProcessRunnerTests.run(AnyJob(WordRecords.self), [input], in: directory, reducers: 0)
        }
        #expect(error?.description == "job wordrecords cannot be map-only (--reducers 0): its output format is key-value records, which only reducers write")
    }
}

/// Word count writing its counts as key-value records.
private struct WordRecords: Job {
    typealias Map = TestWordCount.Map
    static var outputFormat: OutputFormat { .keyValue(String.self, Int.self) }

    struct Reduce: Reducer {
        mutating func reduce(key: String, values: ReduceValues<Int>, context: inout ReduceContext) {
            context.write(record: key, values.reduce(0, +))
        }
    }
}

/// A job whose map output values have no text form.
private struct OpaqueValues: Job {
    struct Opaque: ValueCodable {
        var byte: UInt8

        func encodeValue(to writer: inout ByteWriter) {
            writer.append(self.byte)
        }

        static func decodeValue(_ bytes: UnsafeRawBufferPointer) throws(RecordDecodingError) -> Opaque {
            guard bytes.count == 1 else { throw .invalid("not one byte") }
            return Opaque(byte: bytes[0])
        }
    }

    struct Map: Mapper {
        mutating func map(_ line: Line, context: inout MapContext<String, Opaque>) {
            context.emit(line.string, Opaque(byte: 1))
        }
    }

    struct Reduce: Reducer {
        mutating func reduce(key: String, values: ReduceValues<Opaque>, context: inout ReduceContext) {
            context.write(key, values.count { _ in true })
        }
    }
}
