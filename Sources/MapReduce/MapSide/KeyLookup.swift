/// An encoded key made ready for a `CombiningTable` lookup: its first 16
/// bytes as two words (zero-padded) and its in-table hash, computed once,
/// so that the table's slot can be fetched before the lookup needs it.
@usableFromInline struct KeyLookup {
    /// Keys of up to this many bytes are held in their slot only.
    @usableFromInline static var inlineBytes: Int { 16 }

    @usableFromInline let key: UnsafeRawBufferPointer
    @usableFromInline let head: (UInt64, UInt64)
    @usableFromInline let hash: UInt64

    /// `readable` bytes from the key's start may be read (at least its length).
    @inlinable @inline(__always) init(_ key: UnsafeRawBufferPointer, readable: Int) {
        self.key = key
        self.head = Self.head(key, readable: readable)
        self.hash = Self.hash(self.head, key)
    }

    @inlinable init(key: UnsafeRawBufferPointer, head: (UInt64, UInt64), hash: UInt64) {
        self.key = key
        self.head = head
        self.hash = hash
    }

    /// The key's first 16 bytes as two words in memory order, zero-padded.
    @inlinable @inline(__always) static func head(_ key: UnsafeRawBufferPointer, readable: Int) -> (UInt64, UInt64) {
        let length = key.count
        guard let base = key.baseAddress else { return (0, 0) }
        if readable >= 16 {
            let low = base.loadUnaligned(as: UInt64.self)
            let high = base.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
            if length < 8 { return (keepingFirst(length, of: low), 0) }
            if length < 16 { return (low, keepingFirst(length &- 8, of: high)) }
            return (low, high)
        }
        var words: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: key.prefix(16))) }
        return words
    }

    /// `word` with only its first `count` (0 to 7) bytes in memory order kept.
    @inlinable @inline(__always) static func keepingFirst(_ count: Int, of word: UInt64) -> UInt64 {
        let bits = UInt64(truncatingIfNeeded: count &* 8)
        #if _endian(little)
        return word & ((1 &<< bits) &- 1)
        #else
        return word & ~(UInt64.max &>> bits)
        #endif
    }

    /// The in-table hash: a multiply-mix of the head for short keys, the
    /// stable hash for long ones (whose first 16 bytes may be shared by many).
    @inlinable @inline(__always) static func hash(_ head: (UInt64, UInt64), _ key: UnsafeRawBufferPointer) -> UInt64 {
        guard key.count <= inlineBytes else { return StableHash.hash(key) }
        let mixed = (head.0 ^ UInt64(truncatingIfNeeded: key.count)) &* 0x9E37_79B9_7F4A_7C15
        return (mixed ^ (mixed >> 29) ^ head.1) &* 0xD6E8_FEB8_6659_FD93
    }
}
