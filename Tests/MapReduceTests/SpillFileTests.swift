import Foundation
import Testing
import TestSupport

@testable import MapReduce

@Suite struct SpillFileTests {
    typealias Record = (partition: Int, key: [UInt8], value: [UInt8])

    /// Random records, sorted by partition then key, as a spill holds them.
    static func records(count: Int, partitions: Int, seed: UInt64) -> [Record] {
        var random = SeededRandom(seed: seed)
        return (0..<count).map { _ -> Record in
            let key = (0..<Int(random.next() % 12)).map { _ in UInt8(random.next() % 6) }
            let value = (0..<Int(random.next() % 300)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            return (Int(random.next() % UInt64(partitions)), key, value)
        }.sorted { $0.partition != $1.partition ? $0.partition < $1.partition : $0.key.lexicographicallyPrecedes($1.key) }
    }

    static func write(_ records: [Record], partitions: Int, to path: String, level: Int = 1) throws -> SpillIndex {
        var writer = try SpillWriter.create(path: path, partitions: partitions, compressionLevel: level)
        for record in records {
            try record.key.withUnsafeBytes { key in
                try record.value.withUnsafeBytes { try writer.append(partition: record.partition, key: key, value: $0) }
            }
        }
        return try writer.finish()
    }

    /// The records of `segment`, its runs merged.
    static func read(_ path: String, partition: Int, segment: Segment) throws -> [Record] {
        let merger = RecordMerger(try SegmentCursor.open(ReduceInput(source: .file(path), segment: segment, name: "test")))
        var records: [Record] = []
        while try merger.advance() { records.append((partition, Array(merger.key), Array(merger.value))) }
        return records
    }

    @Test(arguments: [0, 1, 9])
    func recordsComeBackAsWritten(level: Int) throws {
        let directory = try TemporaryDirectory()
        let path = "\(directory.path)/m.out"
        let records = Self.records(count: 3000, partitions: 5, seed: UInt64(level))
        let written = try Self.write(records, partitions: 5, to: path, level: level)
        let index = try SpillIndex.read(from: path)
        #expect(index == written)
        var readBack: [Record] = []
        for (partition, segment) in index.segments.enumerated() {
            #expect(segment.records == Int64(records.filter { $0.partition == partition }.count))
            readBack += try Self.read(path, partition: partition, segment: segment)
        }
        #expect(readBack.map(\.partition) == records.map(\.partition))
        #expect(readBack.map(\.key) == records.map(\.key))
        #expect(readBack.map(\.value) == records.map(\.value))
        #expect(!FileManager.default.fileExists(atPath: path + ".tmp"))
    }

    @Test(arguments: [1, 9])
    func blocksThatDoNotCompressAreStored(level: Int) throws {
        let directory = try TemporaryDirectory()
        let path = "\(directory.path)/noise.out"
        var random = SeededRandom(seed: 11)
        let records: [Record] = (0..<400).map { index in
            (0, Array("\(100_000 + index)".utf8), (0..<1000).map { _ in UInt8(truncatingIfNeeded: random.next()) })
        }
        let segment = try Self.write(records, partitions: 1, to: path, level: level).segments[0]
        // Stored: the raw bytes, a 5-byte header per 65,535 and an 8-byte header per block.
        let blocks = (segment.rawLength + Int64(SpillFormat.blockSize) - 1) / Int64(SpillFormat.blockSize)
        #expect(segment.length <= segment.rawLength + blocks * 18)
        let readBack = try Self.read(path, partition: 0, segment: segment)
        #expect(readBack.map(\.key) == records.map(\.key))
        #expect(readBack.map(\.value) == records.map(\.value))
    }

    @Test func aRecordLargerThanABlockGetsABlockOfItsOwn() throws {
        let directory = try TemporaryDirectory()
        let path = "\(directory.path)/big.out"
        let big = [UInt8](repeating: 7, count: 1 << 20)
        _ = try Self.write([(0, [1], [2]), (0, [3], big), (1, [4], [5])], partitions: 2, to: path)
        let index = try SpillIndex.read(from: path)
        let records = try Self.read(path, partition: 0, segment: index.segments[0])
        #expect(records.map(\.value) == [[2], big])
    }

    @Test func everyFlippedByteIsDetected() throws {
        let directory = try TemporaryDirectory()
        let path = "\(directory.path)/m.out"
        let records = Self.records(count: 200, partitions: 2, seed: 3)
        _ = try Self.write(records, partitions: 2, to: path)
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        var random = SeededRandom(seed: 4)
        for _ in 0..<100 {
            var corrupt = original
            let position = Int(random.next() % UInt64(corrupt.count))
            corrupt[position] ^= UInt8(1 << (random.next() % 8))
            try corrupt.write(to: URL(fileURLWithPath: path))
            #expect(throws: (any Error).self, "flipped byte \(position)") {
                let index = try SpillIndex.read(from: path)
                for (partition, segment) in index.segments.enumerated() { _ = try Self.read(path, partition: partition, segment: segment) }
            }
        }
    }

    @Test func aFlippedHighBitInTheFooterIsAnErrorNotACrash() throws {
        let directory = try TemporaryDirectory()
        let path = "\(directory.path)/m.out"
        _ = try Self.write(Self.records(count: 10, partitions: 2, seed: 5), partitions: 2, to: path)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes[bytes.count - 24] ^= 0x80
        try bytes.write(to: URL(fileURLWithPath: path))
        #expect(throws: SpillFormatError.self) { try SpillIndex.read(from: path) }
    }

    @Test func truncatedFilesAreErrors() throws {
        let directory = try TemporaryDirectory()
        let path = "\(directory.path)/m.out"
        _ = try Self.write(Self.records(count: 100, partitions: 3, seed: 8), partitions: 3, to: path)
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        for length in [0, 5, 30, original.count / 2, original.count - 1] {
            try original.prefix(length).write(to: URL(fileURLWithPath: path))
            #expect(throws: SpillFormatError.self, "truncated to \(length)") { try SpillIndex.read(from: path) }
        }
    }

    @Test func aSegmentWhoseIndexEntryLiesIsAnError() throws {
        let directory = try TemporaryDirectory()
        let path = "\(directory.path)/m.out"
        let index = try Self.write(Self.records(count: 100, partitions: 1, seed: 9), partitions: 1, to: path)
        var lying = index.segments[0]
        lying.records += 1
        #expect(throws: SpillFormatError.self) { try Self.read(path, partition: 0, segment: lying) }
        lying = index.segments[0]
        lying.crc32 ^= 1
        #expect(throws: SpillFormatError.self) { try Self.read(path, partition: 0, segment: lying) }
    }
}
