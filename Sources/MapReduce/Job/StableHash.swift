/// A 64-bit hash of bytes that every process, on every machine, agrees on.
///
/// Partitioning must not use Swift's `Hasher`, which is seeded per process.
/// The algorithm (documented in docs/spill-format.md) reads 8 bytes at a
/// time, little-endian, with multiply-rotate mixing and a final avalanche.
public enum StableHash {
    @usableFromInline static let multiplier1: UInt64 = 0x9E37_79B9_7F4A_7C15
    @usableFromInline static let multiplier2: UInt64 = 0xC2B2_AE3D_27D4_EB4F

    /// The hash of `bytes`.
    @inlinable public static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h = UInt64(truncatingIfNeeded: bytes.count) &* multiplier1
        guard let base = bytes.baseAddress else { return finalize(h) }
        let count = bytes.count
        var i = 0
        while i &+ 8 <= count {
            h = mix(h, UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt64.self)))
            i &+= 8
        }
        if i < count {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            if count &- i >= 4 {
                tail = UInt64(UInt32(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt32.self)))
                shift = 32
                i &+= 4
            }
            while i < count {
                tail |= UInt64(base.load(fromByteOffset: i, as: UInt8.self)) << shift
                shift &+= 8
                i &+= 1
            }
            h = mix(h, tail)
        }
        return finalize(h)
    }

    @inlinable @inline(__always) static func mix(_ h: UInt64, _ word: UInt64) -> UInt64 {
        let k = (word &* multiplier2)
        let rotated = (k << 31) | (k >> 33)
        let next = h ^ (rotated &* multiplier1)
        return ((next << 27) | (next >> 37)) &* 5 &+ 0x52DC_E729
    }

    @inlinable @inline(__always) static func finalize(_ value: UInt64) -> UInt64 {
        var h = value
        h ^= h >> 33
        h &*= 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        h &*= 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 33
        return h
    }
}
