/// Classifies the eight bytes of a word at once (SIMD within a register):
/// each function returns a mask with the high bit of every byte that is a
/// stop set, and the others clear.
@usableFromInline enum ASCIILetters {
    @usableFromInline static var highBits: UInt64 { 0x8080_8080_8080_8080 }

    /// The ASCII letters, `[A-Za-z]`: a byte's high bit is set when it is one.
    @inlinable @inline(__always) static func letters(_ word: UInt64) -> UInt64 {
        // Fold case and clear the high bit, so that no per-byte sum below carries.
        let folded = (word | 0x2020_2020_2020_2020) & 0x7F7F_7F7F_7F7F_7F7F
        let atLeastA = folded &+ 0x1F1F_1F1F_1F1F_1F1F  // high bit: folded >= 'a' (0x61)
        let aboveZ = folded &+ 0x0505_0505_0505_0505  // high bit: folded >= '{' (0x7B)
        return atLeastA & ~aboveZ & ~word & highBits
    }

    /// The bytes that are not ASCII letters (separators and bytes of 0x80 or more).
    @inlinable @inline(__always) static func notLetters(_ word: UInt64) -> UInt64 {
        ~letters(word) & highBits
    }

    /// The bytes that are ASCII letters or of 0x80 or more (which may start a letter).
    @inlinable @inline(__always) static func lettersOrNonASCII(_ word: UInt64) -> UInt64 {
        letters(word) | (word & highBits)
    }

    /// A mask of high bits, one per byte, gathered into the low eight bits:
    /// bit i for the byte at offset i in memory (on a little-endian machine).
    @inlinable @inline(__always) static func byteMask(_ mask: UInt64) -> UInt64 {
        ((mask &>> 7) &* 0x0102_0408_1020_4080) &>> 56
    }

    /// The index, in memory order, of the first byte marked in a non-zero `mask`.
    @inlinable @inline(__always) static func firstByte(of mask: UInt64) -> Int {
        #if _endian(little)
        return mask.trailingZeroBitCount &>> 3
        #else
        return mask.leadingZeroBitCount &>> 3
        #endif
    }
}
