import Testing
import TestSupport

@testable import MapReduce

/// The radix sort of the map-side buffer and the loser tree of the merge,
/// checked against the standard library's stable `sorted()`.
@Suite struct SortPathTests {
    struct Item: Equatable {
        var key: UInt64
        var position: Int
    }

    /// Random keys that share bytes (few distinct values per byte), with equal keys;
    /// or, `wide`, keys of random bytes of which only the high ones repeat.
    static func items(count: Int, seed: UInt64, wide: Bool = false) -> [Item] {
        var random = SeededRandom(seed: seed)
        return (0..<count).map { position in
            var key: UInt64 = 0
            if wide { return Item(key: (random.next() % 4) << 62 | random.next() >> 40, position: position) }
            for byte in 0..<8 where random.next() % 2 == 0 { key |= (random.next() % 3) << (8 * UInt64(byte)) }
            return Item(key: key, position: position)
        }
    }

    @Test(arguments: [0, 1, 2, 17, 25, 1000, 5000, 30_000], [false, true])
    func radixSortMatchesAStableSort(count: Int, wide: Bool) {
        var items = Self.items(count: count, seed: UInt64(count), wide: wide)
        let expected = items.sorted { $0.key < $1.key }
        var scratch = items
        items.withUnsafeMutableBufferPointer { elements in
            scratch.withUnsafeMutableBufferPointer { scratch in
                RadixSort.sort(elements, scratch: scratch, digits: 8) { item, digit in
                    UInt8(truncatingIfNeeded: item.key >> (8 * UInt64(digit)))
                }
            }
        }
        #expect(items == expected)
    }

    @Test func aPrefixIsTheFirstEightBytesZeroPadded() {
        var random = SeededRandom(seed: 5)
        for count in 0...12 {
            for _ in 0..<50 {
                let key = (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) }
                var expected: UInt64 = 0
                for (index, byte) in key.prefix(8).enumerated() { expected |= UInt64(byte) << (56 - 8 * UInt64(index)) }
                #expect(key.withUnsafeBytes { SortBuffer.prefix(of: $0) } == expected, "\(key)")
            }
        }
    }

    typealias Record = (partition: Int, key: [UInt8], value: [UInt8])

    @Test(arguments: [0, 1, 3, 2000])
    func sortBufferOrdersByPartitionThenKeyKeepingArrivalOrder(count: Int) {
        var random = SeededRandom(seed: 99 &+ UInt64(count))
        // Short alphabets and lengths around 8 make many equal prefixes and equal keys.
        let records: [Record] = (0..<count).map { index in
            let key = (0..<Int(random.next() % 14)).map { _ in UInt8(random.next() % 3) }
            return (Int(random.next() % (count > 1000 ? 300 : 3)), key, Array("\(index)".utf8))
        }
        var buffer = SortBuffer()
        for record in records {
            record.key.withUnsafeBytes { key in
                record.value.withUnsafeBytes { buffer.append(partition: record.partition, key: key, value: $0) }
            }
        }
        buffer.sort()
        var sorted: [Record] = []
        buffer.forEach { sorted.append(($0, Array($1), Array($2))) }
        let expected = records.sorted {
            $0.partition != $1.partition ? $0.partition < $1.partition : $0.key.lexicographicallyPrecedes($1.key)
        }
        #expect(sorted.map(\.partition) == expected.map(\.partition))
        #expect(sorted.map(\.key) == expected.map(\.key))
        #expect(sorted.map(\.value) == expected.map(\.value))
    }

    @Test(arguments: [1, 2, 3, 7, 16])
    func loserTreeMergesLikeASortOfEverything(sources: Int) {
        var random = SeededRandom(seed: UInt64(sources))
        // Some sources empty, many equal values across sources.
        let lists = (0..<sources).map { _ in (0..<Int(random.next() % 40)).map { _ in Int(random.next() % 20) }.sorted() }
        var next = Array(repeating: 0, count: sources)
        func precedes(_ a: Int, _ b: Int) -> Bool {
            guard next[a] < lists[a].count else { return false }
            guard next[b] < lists[b].count else { return true }
            let (x, y) = (lists[a][next[a]], lists[b][next[b]])
            return x != y ? x < y : a < b
        }
        var tree = LoserTree(count: sources, precedes: precedes)
        var merged: [(value: Int, source: Int)] = []
        while next[tree.winner] < lists[tree.winner].count {
            merged.append((lists[tree.winner][next[tree.winner]], tree.winner))
            next[tree.winner] += 1
            tree.replay(precedes: precedes)
        }
        var expected: [(value: Int, source: Int)] = []
        for (source, list) in lists.enumerated() {
            for value in list { expected.append((value, source)) }
        }
        expected.sort { $0.value != $1.value ? $0.value < $1.value : $0.source < $1.source }
        #expect(merged.map { $0.value } == expected.map { $0.value })
        #expect(merged.map { $0.source } == expected.map { $0.source })
    }
}
