import Testing
import TestSupport

@testable import MapReduce

/// For random values: byte order of encodings equals the type's order, and decoding gives the value back.
@Suite struct KeyCodableTests {
    static func encoded<K: KeyCodable>(_ key: K) -> [UInt8] {
        var writer = ByteWriter()
        key.encodeKey(to: &writer)
        return Array(writer.bytes)
    }

    static func decoded<K: KeyCodable>(_ bytes: [UInt8], as: K.Type) throws -> K {
        try bytes.withUnsafeBytes { try K.decodeKey($0) }
    }

    /// Checks order and round trip over every pair of `values`, with `precedes` as the reference order.
    static func checkOrder<K: KeyCodable>(_ values: [K], precedes: (K, K) -> Bool, same: (K, K) -> Bool) throws {
        let encodings = values.map(encoded)
        for (value, encoding) in zip(values, encodings) {
            #expect(same(try decoded(encoding, as: K.self), value))
        }
        for i in values.indices {
            for j in values.indices where i != j {
                let byteOrder = encodings[i].lexicographicallyPrecedes(encodings[j])
                #expect(byteOrder == precedes(values[i], values[j]), "\(values[i]) vs \(values[j])")
            }
        }
    }

    static func randomIntegers<T: FixedWidthInteger>(_: T.Type, seed: UInt64) -> [T] {
        var random = SeededRandom(seed: seed)
        return [T.min, T.max, 0, 1, T.min + 1] + (0..<60).map { _ in
            let bits = random.next() % UInt64(T.bitWidth) + 1
            let value = T(truncatingIfNeeded: random.next() >> (64 - bits))
            return random.next() % 2 == 0 ? value : T(truncatingIfNeeded: 0 &- Int64(truncatingIfNeeded: value))
        }
    }

    @Test func integersOrderByValue() throws {
        try Self.checkOrder(Self.randomIntegers(Int.self, seed: 1), precedes: <, same: ==)
        try Self.checkOrder(Self.randomIntegers(Int8.self, seed: 2), precedes: <, same: ==)
        try Self.checkOrder(Self.randomIntegers(Int16.self, seed: 3), precedes: <, same: ==)
        try Self.checkOrder(Self.randomIntegers(Int32.self, seed: 4), precedes: <, same: ==)
        try Self.checkOrder(Self.randomIntegers(UInt8.self, seed: 5), precedes: <, same: ==)
        try Self.checkOrder(Self.randomIntegers(UInt32.self, seed: 6), precedes: <, same: ==)
        try Self.checkOrder(Self.randomIntegers(UInt64.self, seed: 7), precedes: <, same: ==)
    }

    @Test func boolsOrderFalseFirst() throws {
        try Self.checkOrder([true, false], precedes: { !$0 && $1 }, same: ==)
    }

    @Test func doublesFollowIEEETotalOrder() throws {
        var random = SeededRandom(seed: 11)
        let special: [Double] = [0, -0.0, .infinity, -.infinity, .nan, -.nan, .leastNonzeroMagnitude, -.greatestFiniteMagnitude, 1, -1]
        let values = special + (0..<80).map { i in
            i % 2 == 0 ? Double(bitPattern: random.next()) : Double(Int64(bitPattern: random.next() % 2000) - 1000) / 7
        }
        try Self.checkOrder(
            values,
            precedes: { $0.isTotallyOrdered(belowOrEqualTo: $1) && $0.bitPattern != $1.bitPattern },
            same: { $0.bitPattern == $1.bitPattern })
        let floats: [Float] = [0, -0.0, 1.5, -2.25, .infinity, -.infinity, .greatestFiniteMagnitude]
        try Self.checkOrder(
            floats, precedes: { $0.isTotallyOrdered(belowOrEqualTo: $1) && $0.bitPattern != $1.bitPattern },
            same: { $0.bitPattern == $1.bitPattern })
    }

    static func randomStrings(seed: UInt64) -> [String] {
        var random = SeededRandom(seed: seed)
        let pieces = ["", "a", "b", "ab", "\u{0}", "\u{1}", "é", "e\u{301}", "日", "😀", "z", "\u{7F}", "\u{FFFF}"]
        return (0..<50).map { _ in (0..<Int(random.next() % 4)).map { _ in pieces.randomElement(using: &random)! }.joined() }
    }

    /// Strings order by their Unicode scalar values (which UTF-8 byte order preserves).
    static func scalarOrder(_ a: String, _ b: String) -> Bool {
        a.unicodeScalars.map(\.value).lexicographicallyPrecedes(b.unicodeScalars.map(\.value))
    }

    static func sameScalars(_ a: String, _ b: String) -> Bool {
        a.unicodeScalars.elementsEqual(b.unicodeScalars)
    }

    @Test func stringsOrderByUnicodeScalars() throws {
        try Self.checkOrder(Self.randomStrings(seed: 21), precedes: Self.scalarOrder, same: Self.sameScalars)
    }

    @Test func pairsOrderLikeTuples() throws {
        let strings = Self.randomStrings(seed: 31)
        let ints = Self.randomIntegers(Int.self, seed: 32)
        var random = SeededRandom(seed: 33)
        let stringInt = (0..<60).map { _ in KeyPair(strings.randomElement(using: &random)!, ints.randomElement(using: &random)! % 3) }
        try Self.checkOrder(
            stringInt,
            precedes: { Self.scalarOrder($0.first, $1.first) || (Self.sameScalars($0.first, $1.first) && $0.second < $1.second) },
            same: { Self.sameScalars($0.first, $1.first) && $0.second == $1.second })
        let intString = (0..<60).map { _ in KeyPair(ints.randomElement(using: &random)! % 3, strings.randomElement(using: &random)!) }
        try Self.checkOrder(
            intString,
            precedes: { $0.first < $1.first || ($0.first == $1.first && Self.scalarOrder($0.second, $1.second)) },
            same: { $0.first == $1.first && Self.sameScalars($0.second, $1.second) })
    }

    @Test func bytesInPairsKeepOrderAcrossZeroBytes() throws {
        var random = SeededRandom(seed: 41)
        let alphabet: [UInt8] = [0, 0, 1, 2, 0xFF]
        func bytes() -> Bytes { Bytes((0..<Int(random.next() % 4)).map { _ in alphabet.randomElement(using: &random)! }) }
        let pairs = (0..<80).map { _ in KeyPair(bytes(), KeyPair(bytes(), UInt8(random.next() % 2))) }
        func tuple(_ p: KeyPair<Bytes, KeyPair<Bytes, UInt8>>) -> [[UInt8]] { [p.first.storage, p.second.first.storage, [p.second.second]] }
        try Self.checkOrder(
            pairs,
            precedes: { a, b in
                let (x, y) = (tuple(a), tuple(b))
                return x.lexicographicallyPrecedes(y) { $0.lexicographicallyPrecedes($1) }
            },
            same: ==)
    }

    @Test func corruptEncodingsAreErrors() {
        #expect(throws: RecordDecodingError.self) { try Self.decoded([1, 2, 3], as: Int.self) }
        #expect(throws: RecordDecodingError.self) { try Self.decoded([1, 2, 3, 4, 5, 6, 7, 8, 9], as: Int.self) }
        #expect(throws: RecordDecodingError.self) { try Self.decoded([2], as: Bool.self) }
        #expect(throws: RecordDecodingError.self) { try Self.decoded([0xFF, 0xFE], as: String.self) }
        #expect(throws: RecordDecodingError.self) { try Self.decoded([0x61, 0, 5], as: KeyPair<String, Bytes>.self) }
        #expect(throws: RecordDecodingError.self) { try Self.decoded([0x61], as: KeyPair<String, Bytes>.self) }
    }

    /// The length of the shortest unsigned LEB128 varint of `value`, counted 7 bits at a time.
    static func varintLength(_ value: UInt64) -> Int {
        value < 0x80 ? 1 : 1 + varintLength(value >> 7)
    }

    /// The zigzag number of a signed value, from its definition: 0, -1, 1, -2, ... are 0, 1, 2, 3, ...
    static func zigzag<T: FixedWidthInteger>(_ value: T) -> UInt64 {
        let wide = Int64(value)
        return wide >= 0 ? UInt64(wide) * 2 : UInt64(-(wide + 1)) * 2 + 1
    }

    static func checkValues<T: FixedWidthInteger & KeyCodable>(_: T.Type, seed: UInt64) throws {
        for value in Self.randomIntegers(T.self, seed: seed) {
            var writer = ByteWriter()
            value.encodeValue(to: &writer)
            #expect(try T.decodeValue(writer.bytes) == value)
            let number = T.isSigned ? Self.zigzag(value) : UInt64(value)
            #expect(writer.count == Self.varintLength(number), "\(T.self) \(value)")
            var scratch = ByteWriter()
            #expect(value.encodedValueCount(scratch: &scratch) == writer.count)
        }
    }

    @Test func integerValuesAreShortVarintsThatRoundTrip() throws {
        try Self.checkValues(Int.self, seed: 51)
        try Self.checkValues(Int8.self, seed: 52)
        try Self.checkValues(Int16.self, seed: 53)
        try Self.checkValues(Int32.self, seed: 54)
        try Self.checkValues(UInt8.self, seed: 55)
        try Self.checkValues(UInt32.self, seed: 56)
        try Self.checkValues(UInt64.self, seed: 57)
        var writer = ByteWriter()
        1.encodeValue(to: &writer)
        (-1).encodeValue(to: &writer)
        Int8(-64).encodeValue(to: &writer)
        #expect(Array(writer.bytes) == [2, 1, 0x7F])
        func decoded<T: KeyCodable>(_ bytes: [UInt8], as: T.Type) throws -> T { try bytes.withUnsafeBytes { try T.decodeValue($0) } }
        #expect(throws: RecordDecodingError.self) { try decoded([0x80, 0x02], as: UInt8.self) }  // 256
        #expect(throws: RecordDecodingError.self) { try decoded([0x80, 0x00], as: Int.self) }  // not the shortest form
        #expect(throws: RecordDecodingError.self) { try decoded([0x01, 0x01], as: Int.self) }  // a byte left over
        #expect(throws: RecordDecodingError.self) { try decoded([], as: Int.self) }
        #expect(try decoded([0xFF, 0x01], as: UInt8.self) == 255)
    }

    struct Stats: JSONValueCodable, Equatable {
        var name: String
        var mean: Double
    }

    @Test func codableValuesRoundTripThroughJSON() throws {
        for stats in [Stats(name: "a\tb", mean: 1.5), Stats(name: "", mean: .infinity)] {
            var writer = ByteWriter()
            stats.encodeValue(to: &writer)
            #expect(try Stats.decodeValue(writer.bytes) == stats)
        }
        #expect(throws: RecordDecodingError.self) { try [UInt8](arrayLiteral: 0x7B).withUnsafeBytes { try Stats.decodeValue($0) } }
    }
}
