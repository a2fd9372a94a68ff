import Foundation
import Testing
import TestSupport

@testable import MapReduce

/// Map outputs whose segments are a map task's spills side by side, one
/// sorted run each, checked against a stable sort of every record emitted.
@Suite struct SortedRunTests {
    typealias Record = SpillFileTests.Record

    /// Spills each of `spills` (records in emission order) through a sort buffer and
    /// finishes the map output without a combiner, as a map task does.
    static func mapOutput(_ spills: [[Record]], partitions: Int, in directory: TemporaryDirectory) throws -> (MapOutput, Int) {
        var files = SpillFiles(
            directory: directory.path, attemptName: "m-00000-a1", partitions: partitions, compressionLevel: 1,
            mergeFactor: TaskSettings.defaultMergeFactor)
        var buffer = SortBuffer()
        for spill in spills {
            for record in spill {
                record.key.withUnsafeBytes { key in
                    record.value.withUnsafeBytes { buffer.append(partition: record.partition, key: key, value: $0) }
                }
            }
            try files.spill(&buffer)
        }
        let output = try files.finish(&buffer, combine: nil, control: AttemptControl())
        return (output, files.spilledRecords)
    }

    /// Random records in emission order, keys of few distinct bytes so that many repeat.
    static func emitted(_ count: Int, partitions: Int, seed: UInt64) -> [Record] {
        var random = SeededRandom(seed: seed)
        return (0..<count).map { index in
            let key = (0..<Int(random.next() % 4)).map { _ in UInt8(random.next() % 3) }
            return (Int(random.next() % UInt64(partitions)), key, Array("\(seed).\(index)".utf8))
        }
    }

    /// A partition's records in key order, equal keys in emission order.
    static func expected(_ spills: [[Record]], partition: Int) -> [Record] {
        spills.joined().filter { $0.partition == partition }.enumerated().sorted { a, b in
            a.element.key != b.element.key ? a.element.key.lexicographicallyPrecedes(b.element.key) : a.offset < b.offset
        }.map(\.element)
    }

    static func read(_ output: MapOutput, partition: Int) throws -> [Record] {
        var records: [Record] = []
        try output.index.forEachRecord(in: output.path, partition: partition) { key, value in
            records.append((partition, Array(key), Array(value)))
        }
        return records
    }

    @Test(arguments: [2, 3, 8, 11])
    func spillsBecomeRunsReadInKeyOrder(spillCount: Int) throws {
        let directory = try TemporaryDirectory()
        // Partition 2 is empty in every spill but the first, partition 3 in every one.
        let spills = (0..<spillCount).map { spill in
            Self.emitted(300, partitions: 3, seed: UInt64(spill)).filter { spill == 0 || $0.partition != 2 }
        }
        let (output, spilled) = try Self.mapOutput(spills, partitions: 4, in: directory)
        #expect(try SpillIndex.read(from: output.path) == output.index)
        let runs = min(spillCount, Segment.maxRuns)
        #expect(output.index.segments.map(\.runs) == [runs, runs, 1, 0])
        for partition in 0..<4 {
            let records = try Self.read(output, partition: partition)
            let expected = Self.expected(spills, partition: partition)
            #expect(records.map(\.key) == expected.map(\.key), "partition \(partition)")
            #expect(records.map(\.value) == expected.map(\.value), "partition \(partition)")
        }
        // Copied spills are not written again; only more than the maximum are merged first.
        let emitted = spills.joined().count
        #expect(spillCount <= Segment.maxRuns ? spilled == emitted : spilled > emitted)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["m-00000-a1.out"])
    }

    /// Copying does not inflate a spill's blocks: its checksum is what shows it damaged.
    @Test func aSpillDamagedOnDiskIsNotCopied() throws {
        let directory = try TemporaryDirectory()
        var files = SpillFiles(
            directory: directory.path, attemptName: "m-00000-a1", partitions: 1, compressionLevel: 0,
            mergeFactor: TaskSettings.defaultMergeFactor)
        var buffer = SortBuffer()
        for spill in 0..<2 {
            for record in Self.emitted(50, partitions: 1, seed: 60 + UInt64(spill)) {
                record.key.withUnsafeBytes { key in record.value.withUnsafeBytes { buffer.append(partition: 0, key: key, value: $0) } }
            }
            try files.spill(&buffer)
        }
        // A byte of a stored (uncompressed) block: inflating would not notice.
        let path = "\(directory.path)/m-00000-a1.spill1"
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes[40] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: path))
        #expect(throws: SpillFormatError.self) { try files.finish(&buffer, combine: nil, control: AttemptControl()) }
    }

    @Test func everyFlippedByteOfARunFileIsDetected() throws {
        let directory = try TemporaryDirectory()
        let spills = (0..<3).map { Self.emitted(120, partitions: 2, seed: 20 + UInt64($0)) }
        let (output, _) = try Self.mapOutput(spills, partitions: 2, in: directory)
        let original = try Data(contentsOf: URL(fileURLWithPath: output.path))
        var random = SeededRandom(seed: 4)
        for _ in 0..<150 {
            var corrupt = original
            let position = Int(random.next() % UInt64(corrupt.count))
            corrupt[position] ^= UInt8(1 << (random.next() % 8))
            try corrupt.write(to: URL(fileURLWithPath: output.path))
            #expect(throws: (any Error).self, "flipped byte \(position)") {
                let index = try SpillIndex.read(from: output.path)
                for partition in index.segments.indices {
                    try index.forEachRecord(in: output.path, partition: partition) { _, _ in }
                }
            }
        }
    }

    /// The headers of a segment's blocks, read here without the library: each block's offset and its raw length field.
    static func blockHeaders(_ bytes: Data, _ segment: Segment) -> [(offset: Int, rawField: UInt32)] {
        var headers: [(Int, UInt32)] = []
        var offset = Int(segment.offset)
        while offset < Int(segment.offset + segment.length) {
            let field = bytes[offset..<offset + 8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            headers.append((offset, UInt32(field >> 32)))
            offset += 8 + Int(UInt32(truncatingIfNeeded: field))
        }
        return headers
    }

    /// A run mark out of place is an error even where every CRC agrees: the segment's stored bytes
    /// and the index (with its CRCs) are rewritten to match.
    @Test func aRunMarkOutOfPlaceIsAnError() throws {
        let directory = try TemporaryDirectory()
        let spills = (0..<3).map { Self.emitted(200, partitions: 1, seed: 40 + UInt64($0)) }
        let (output, _) = try Self.mapOutput(spills, partitions: 1, in: directory)
        let original = try Data(contentsOf: URL(fileURLWithPath: output.path))
        let segment = output.index.segments[0]
        let headers = Self.blockHeaders(original, segment)
        let marked = headers.filter { $0.rawField & (1 << 31) != 0 }.map(\.offset)
        #expect(marked.count == 2)
        #expect(headers.first.map { $0.rawField & (1 << 31) } == 0)
        for flipped in [headers[0].offset, marked[0]] {
            var bytes = original
            bytes[flipped] ^= 0x80
            var forged = segment
            forged.crc32 = CRC32.checksum(bytes, Int(segment.offset), Int(segment.length))
            let input = ReduceInput(source: .memory(Array(bytes[Int(segment.offset)..<Int(segment.offset + segment.length)])),
                                    segment: { var s = forged; s.offset = 0; return s }(), name: "forged")
            #expect(throws: SpillFormatError.self, "mark flipped at \(flipped)") {
                let merger = RecordMerger(try SegmentCursor.open(input))
                while try merger.advance() {}
            }
        }
    }
}

extension CRC32 {
    /// The checksum of `count` bytes of `data` from `offset`.
    fileprivate static func checksum(_ data: Data, _ offset: Int, _ count: Int) -> UInt32 {
        data.withUnsafeBytes { CRC32.checksum(UnsafeRawBufferPointer(rebasing: $0[offset..<(offset + count)])) }
    }
}
