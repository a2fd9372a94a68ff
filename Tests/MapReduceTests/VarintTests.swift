import Testing
import TestSupport

@testable import MapReduce

/// LEB128 varints, the record lengths of spill blocks, against a plain
/// reference encoder and decoder written here.
@Suite struct VarintTests {
    /// 7 bits a byte, low first, the high bit set on all bytes but the last.
    static func reference(_ value: UInt64) -> [UInt8] {
        var bytes: [UInt8] = []
        var rest = value
        repeat {
            let low = UInt8(rest & 0x7F)
            rest /= 128
            bytes.append(rest == 0 ? low : low + 0x80)
        } while rest != 0
        return bytes
    }

    static func read(_ bytes: [UInt8]) throws -> (UInt64, remaining: Int) {
        try bytes.withUnsafeBytes { buffer in
            var reader = ByteReader(buffer)
            let value = try reader.readVarint()
            return (value, reader.remaining)
        }
    }

    @Test func valuesRoundTripInTheReferenceEncoding() throws {
        var random = SeededRandom(seed: 5)
        var values: [UInt64] = [0, 1, 127, 128, 255, 16_383, 16_384, UInt64(UInt32.max), UInt64.max - 1, UInt64.max]
        values += (0..<500).map { _ in random.next() >> (random.next() % 64) }
        for value in values {
            var writer = ByteWriter()
            writer.appendVarint(value)
            #expect(Array(writer.bytes) == Self.reference(value), "\(value)")
            let (decoded, remaining) = try Self.read(Self.reference(value) + [42])
            #expect(decoded == value)
            #expect(remaining == 1)
        }
    }

    @Test(arguments: [[], [0x80], [0xFF, 0xFF], [0x80, 0x80, 0x80]] as [[UInt8]])
    func aTruncatedVarintIsRejected(bytes: [UInt8]) {
        #expect(throws: RecordDecodingError.self) { try Self.read(bytes) }
    }

    @Test(arguments: [
        [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02],  // 65 bits
        [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01],  // 11 bytes
        [0x80, 0x00],  // zero in two bytes
        [0x81, 0x80, 0x00],  // one in three bytes
    ] as [[UInt8]])
    func anOverlongVarintIsRejected(bytes: [UInt8]) {
        #expect(throws: RecordDecodingError.self) { try Self.read(bytes) }
    }
}
