import Testing
import TestSupport

@testable import MapReduce

@Suite struct CombiningTableTests {
    /// Keys of every length from 0 to 40, many sharing their first 16 bytes, some repeated.
    static func keys(count: Int, seed: UInt64) -> [[UInt8]] {
        var random = SeededRandom(seed: seed)
        let sharedPrefix = Array("a-common-prefix-".utf8)
        return (0..<count).map { _ in
            let length = Int(random.next() % 41)
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next() % 6) &+ 0x61 }
            return random.next() % 4 == 0 ? sharedPrefix + bytes : bytes
        }
    }

    /// Folds `keys` into a table (values are each key's index), takes every entry out, and returns them.
    static func fold(_ keys: [[UInt8]], readablePadding: Int) -> [[UInt8]: Int] {
        var table = CombiningTable<Int>()
        for (i, key) in keys.enumerated() {
            // The key sits at the start of a buffer with `readablePadding` bytes after it.
            let buffer = key + [UInt8](repeating: 0xEE, count: readablePadding)
            buffer.withUnsafeBytes { raw in
                let bytes = UnsafeRawBufferPointer(rebasing: raw.prefix(key.count))
                let lookup = KeyLookup(bytes, readable: raw.count)
                let (found, emptySlot) = table.find(lookup)
                if let found {
                    found.pointee += i
                } else {
                    table.insert(lookup, at: emptySlot, value: i)
                }
            }
        }
        var taken: [[UInt8]: Int] = [:]
        for index in 0..<table.capacity {
            guard let slot = table.occupiedSlot(index) else { continue }
            let key = Array(table.storedKey(slot))
            #expect(taken.updateValue(table.value(slot).move(), forKey: key) == nil, "\(key) taken twice")
        }
        table.removeAllMoved()
        #expect(table.count == 0)
        #expect((0..<table.capacity).allSatisfy { table.occupiedSlot($0) == nil })
        return taken
    }

    @Test(arguments: [0, 3, 16])
    func foldsLikeADictionary(readablePadding: Int) {
        let keys = Self.keys(count: 20_000, seed: 5)
        var expected: [[UInt8]: Int] = [:]
        for (i, key) in keys.enumerated() { expected[key, default: 0] += i }
        let taken = Self.fold(keys, readablePadding: readablePadding)
        #expect(taken == expected)
    }

    @Test func valuesThatOwnMemoryAreMovedAndFreed() {
        var table = CombiningTable<[String]>()
        let words = ["a", "bb", "a", String(repeating: "long", count: 9), "bb", "a"]
        for word in words {
            var bytes = Array(word.utf8)
            bytes.withUnsafeBytes { raw in
                let lookup = KeyLookup(raw, readable: raw.count)
                let (found, emptySlot) = table.find(lookup)
                if let found { found.pointee.append(word) } else { table.insert(lookup, at: emptySlot, value: [word]) }
            }
            bytes.removeAll()
        }
        var taken: [String: [String]] = [:]
        for index in 0..<table.capacity {
            guard let slot = table.occupiedSlot(index) else { continue }
            taken[String(decoding: table.storedKey(slot), as: UTF8.self)] = table.value(slot).move()
        }
        table.removeAllMoved()
        #expect(taken == Dictionary(grouping: words, by: { $0 }))
    }

    @Test func theSumCombinerAddsKnownNumbersInPlaceAndOthersThroughItsClosure() {
        var count = 5
        #expect(Combiner<Int>.sum.sumsInPlace)
        #expect(Combiner<Int>.addInPlace(&count, 7))
        #expect(count == 12)
        var real = 1.5
        #expect(Combiner<Double>.sum.sumsInPlace)
        #expect(Combiner<Double>.addInPlace(&real, 0.25))
        #expect(real == 1.75)
        var small: Int16 = 2
        #expect(!Combiner<Int16>.sum.sumsInPlace)
        #expect(!Combiner<Int16>.addInPlace(&small, 3))
        Combiner<Int16>.sum.combine(&small, 3)
        #expect(small == 5)
        #expect(!Combiner<Int> { $0 += $1 }.sumsInPlace)
    }
}
