import Testing
import TestSupport

@testable import MapReduce

@Suite struct KeyValueFileTests {
    /// Writes `records` as a reducer of a key-value job does and returns the file's path.
    static func write(_ records: [(String, [Int64])], in directory: TemporaryDirectory) throws -> String {
        let path = "\(directory.path)/part-r-00000"
        var context = try ReduceContext(
            parameters: JobParameters(), attempt: AttemptID(.reduce, task: 0, attempt: 1), outputPath: path,
            format: .keyValue(String.self, Bytes.self))
        for (key, numbers) in records { context.write(record: key, Bytes(numbers.flatMap { withUnsafeBytes(of: $0.bigEndian, Array.init) })) }
        try context.close()
        return path
    }

    @Test func recordsComeBackAsTheyWereWrittenFromAnySplits() throws {
        let directory = try TemporaryDirectory()
        var random = SeededRandom(seed: 3)
        let records = (0..<4_000).map { i in ("k\(i)\0\(random.next() % 1000)", (0..<Int(random.next() % 9)).map { _ in Int64(bitPattern: random.next()) }) }
        let path = try Self.write(records, in: directory)
        let size = try FileDescriptor.open(reading: path).size()
        for splitSize: Int64 in [997, 40_000, size] {
            let splits = try KeyValueInput<String, Bytes>.splits(of: [InputFile(path: path, size: size)], splitSize: splitSize)
            var read: [(String, [UInt8])] = []
            for split in splits {
                _ = try KeyValueInput<String, Bytes>.read(split) { read.append(($0.key, $0.value.storage)) }
            }
            #expect(read.map(\.0) == records.map(\.0))
            #expect(read.map(\.1) == records.map { $0.1.flatMap { withUnsafeBytes(of: $0.bigEndian, Array.init) } })
        }
    }

    @Test func aDamagedWrongOrForeignFileFailsWithALineNamingIt() throws {
        let directory = try TemporaryDirectory()
        let path = try Self.write((0..<8000).map { ("key \($0)", [Int64($0)]) }, in: directory)
        let bytes = try FileDescriptor.open(reading: path).readToEnd()
        func failure<K: KeyCodable, V: ValueCodable>(_ bytes: [UInt8], _: K.Type = String.self, _: V.Type = Bytes.self) throws -> String {
            let damaged = try directory.write("damaged", bytes)
            do {
                let splits = try KeyValueInput<K, V>.splits(of: [InputFile(path: damaged, size: Int64(bytes.count))], splitSize: 1 << 20)
                for split in splits { _ = try KeyValueInput<K, V>.read(split) { _ in } }
                return "no error"
            } catch {
                return "\(error)"
            }
        }
        var flipped = bytes
        flipped[70_000] ^= 0x20
        let second = try #require(failure(flipped).firstMatch(of: /the block at (\d+) does not match its checksum$/))
        #expect(Int(second.1)! > 65536 && Int(second.1)! < 70_000)
        #expect(try failure(Array(bytes.dropLast(1))) == "\(directory.path)/damaged is not a key-value file: no footer")
        #expect(try failure(Array("page\t1.0\n".utf8)) == "\(directory.path)/damaged is not a key-value file: it is 9 bytes")
        #expect(try failure(Array("page\t1.0\tpage-2 page-3 page-4\n".utf8)) == "\(directory.path)/damaged is not a key-value file: no footer")
        #expect(try failure(bytes, String.self, Double.self)
            == "\(directory.path)/damaged holds records of Swift.String and MapReduce.Bytes, not of Swift.String and Swift.Double")
        var index = bytes
        index[index.count - 30] ^= 1
        #expect(try failure(index).hasSuffix("is not where the one before ends"))
        #expect(try failure(bytes) == "no error")
    }

    @Test func aReducerMustWriteWhatItsFormatSays() throws {
        let directory = try TemporaryDirectory()
        let attempt = AttemptID(.reduce, task: 0, attempt: 1)
        var records = try ReduceContext(
            parameters: JobParameters(), attempt: attempt, outputPath: "\(directory.path)/a", format: .keyValue(String.self, Int.self))
        records.write("a line", 1)
        #expect(Self.closing(records) == "the job's output format is key-value records: write them with write(record:_:)")
        var other = try ReduceContext(
            parameters: JobParameters(), attempt: attempt, outputPath: "\(directory.path)/b", format: .keyValue(String.self, Int.self))
        other.write(record: "a", 1.5)
        #expect(Self.closing(other) == "the reducer wrote a record of Swift.String and Swift.Double, but the job's output format is records of other types")
        var text = try ReduceContext(parameters: JobParameters(), attempt: attempt, outputPath: "\(directory.path)/c")
        text.write(record: "a", 1)
        #expect(Self.closing(text) == "the reducer wrote a record of Swift.String and Swift.Int, but the job's output format is text")
    }

    /// The error closing `context` throws, or "no error".
    static func closing(_ context: consuming ReduceContext) -> String {
        do {
            try context.close()
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    @Test func aPrivateTypesNameIsTheSameInEveryProcess() {
        let name = KeyValueFile.typeName(PrivateRecord.self)
        #expect(!name.contains("$") && name.hasSuffix("(private).PrivateRecord"), "\(name)")
        #expect(KeyValueFile.typeName(Bytes.self) == "MapReduce.Bytes")
    }
}

private struct PrivateRecord {}
