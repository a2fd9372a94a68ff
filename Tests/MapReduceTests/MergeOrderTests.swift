import Testing
import TestSupport

@testable import MapReduce

/// The merge of sorted segments and its grouping by key, checked against a
/// stable sort of every record: keys around the 8 bytes of the prefix the
/// merge compares first, with zero bytes (which pad a short key's prefix).
@Suite struct MergeOrderTests {
    typealias Record = SpillFileTests.Record

    /// One sorted segment per source, each record's value naming its source and place.
    static func sources(_ count: Int, seed: UInt64) -> [[Record]] {
        var random = SeededRandom(seed: seed)
        return (0..<count).map { source in
            (0..<Int(random.next() % 60)).map { index -> Record in
                let key = (0..<Int(random.next() % 14)).map { _ in UInt8(random.next() % 3) }
                return (0, key, Array("\(source).\(index)".utf8))
            }.sorted { $0.key.lexicographicallyPrecedes($1.key) }
        }
    }

    static func cursors(_ sources: [[Record]], in directory: TemporaryDirectory) throws -> [SegmentCursor] {
        try sources.enumerated().flatMap { source, records in
            let path = "\(directory.path)/s\(source).out"
            let index = try SpillFileTests.write(records, partitions: 1, to: path)
            return try SegmentCursor.open(ReduceInput(source: .file(path), segment: index.segments[0], name: path))
        }
    }

    /// Every record in key order, equal keys in the order of their sources.
    static func expected(_ sources: [[Record]]) -> [Record] {
        sources.flatMap { $0 }.enumerated().sorted { a, b in
            a.element.key != b.element.key ? a.element.key.lexicographicallyPrecedes(b.element.key) : a.offset < b.offset
        }.map(\.element)
    }

    @Test(arguments: [1, 2, 5, 16])
    func mergeYieldsEveryRecordInKeyThenSourceOrder(count: Int) throws {
        let directory = try TemporaryDirectory()
        let sources = Self.sources(count, seed: UInt64(count))
        let merger = RecordMerger(try Self.cursors(sources, in: directory))
        var merged: [Record] = []
        while try merger.advance() { merged.append((0, Array(merger.key), Array(merger.value))) }
        let expected = Self.expected(sources)
        #expect(merged.map(\.key) == expected.map(\.key))
        #expect(merged.map(\.value) == expected.map(\.value))
    }

    @Test(arguments: [1, 4, 16])
    func groupsHoldExactlyTheRecordsOfOneKey(count: Int) throws {
        let directory = try TemporaryDirectory()
        let sources = Self.sources(count, seed: 7 &+ UInt64(count))
        let groups = GroupedRecords(RecordMerger(try Self.cursors(sources, in: directory)), control: AttemptControl())
        var grouped: [(key: [UInt8], values: [[UInt8]])] = []
        while try groups.nextGroup() {
            var values: [[UInt8]] = []
            while let value = try groups.nextValue() { values.append(Array(value)) }
            grouped.append((Array(groups.groupKey), values))
        }
        var expected: [(key: [UInt8], values: [[UInt8]])] = []
        for record in Self.expected(sources) {
            if expected.last?.key == record.key { expected[expected.count - 1].values.append(record.value) } else {
                expected.append((record.key, [record.value]))
            }
        }
        #expect(grouped.map(\.key) == expected.map(\.key))
        #expect(grouped.map(\.values) == expected.map(\.values))
    }
}
