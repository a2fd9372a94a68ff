#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An open-addressing hash table from encoded keys to values, for folding
/// map output with a combiner before it is sorted.
///
/// A slot holds the key's first 16 bytes, its length, a tag of its hash,
/// its partition and its value, so that finding a short key (a word) reads
/// one slot and compares two words; longer keys also live whole in an
/// arena. Probing uses a cheap hash of the slot's words; the partition (from
/// the stable hash) is computed once, when a key is first met.
@usableFromInline struct CombiningTable<Value>: ~Copyable {
    /// The bytes of a slot before its value.
    @usableFromInline static var headerSize: Int { 32 }
    @usableFromInline static var initialSlots: Int { 1024 }
    /// Keys of up to this many bytes are held in their slot only.
    @usableFromInline static var inlineKeyBytes: Int { 16 }

    @usableFromInline var slots: UnsafeMutableRawPointer
    @usableFromInline var shift: Int
    @usableFromInline var mask: Int
    @usableFromInline let stride: Int
    @usableFromInline var count = 0
    /// Keys longer than `inlineKeyBytes`, whole.
    @usableFromInline var longKeys = ByteWriter(capacity: 1 << 12)

    @usableFromInline init() {
        self.stride = Self.headerSize + (MemoryLayout<Value>.stride + 7) & ~7
        self.shift = 64 - Self.initialSlots.trailingZeroBitCount
        self.mask = Self.initialSlots - 1
        self.slots = Self.allocateSlots(self.mask + 1, stride: self.stride)
    }

    @usableFromInline static func allocateSlots(_ count: Int, stride: Int) -> UnsafeMutableRawPointer {
        let slots = UnsafeMutableRawPointer.allocate(byteCount: count * stride, alignment: max(16, MemoryLayout<Value>.alignment))
        slots.initializeMemory(as: UInt8.self, repeating: 0, count: count * stride)
        return slots
    }

    @inlinable deinit {
        self.destroyValues()
        self.slots.deallocate()
    }

    /// The memory the table takes.
    @inlinable var bytesUsed: Int { (self.mask + 1) * self.stride + self.longKeys.count }

    // Slot fields: the key's first two 8-byte words (zero-padded), then its
    // hash tag, its length plus one (0 marks an empty slot), its partition and,
    // for a long key, its offset in `longKeys`.
    @inlinable @inline(__always) func slot(_ index: Int) -> UnsafeMutableRawPointer { self.slots + index &* self.stride }
    @inlinable @inline(__always) static func lengthField(_ slot: UnsafeMutableRawPointer) -> UInt32 {
        slot.load(fromByteOffset: 20, as: UInt32.self)
    }
    @inlinable @inline(__always) static func value(_ slot: UnsafeMutableRawPointer) -> UnsafeMutablePointer<Value> {
        (slot + headerSize).assumingMemoryBound(to: Value.self)
    }

    /// The key's first 16 bytes as two words in memory order, zero-padded;
    /// `readable` bytes from the key's start may be read (at least its length).
    @inlinable @inline(__always) static func head(
        _ key: UnsafeRawBufferPointer, readable: Int
    ) -> (UInt64, UInt64) {
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
        guard key.count <= inlineKeyBytes else { return StableHash.hash(key) }
        let mixed = (head.0 ^ UInt64(truncatingIfNeeded: key.count)) &* 0x9E37_79B9_7F4A_7C15
        return (mixed ^ (mixed >> 29) ^ head.1) &* 0xD6E8_FEB8_6659_FD93
    }

    /// Where a probe for a key ended: the key's hash and head, and the empty slot it may go to.
    @usableFromInline struct Probe {
        @usableFromInline let head: (UInt64, UInt64)
        @usableFromInline let hash: UInt64
        @usableFromInline let index: Int

        @inlinable init(head: (UInt64, UInt64), hash: UInt64, index: Int) {
            self.head = head
            self.hash = hash
            self.index = index
        }
    }

    /// The value of `key` if it is in the table, else where to `insert` it;
    /// `readable` bytes from the key's start may be read.
    @inlinable @inline(__always) func find(
        _ key: UnsafeRawBufferPointer, readable: Int
    ) -> (value: UnsafeMutablePointer<Value>?, probe: Probe) {
        let head = Self.head(key, readable: readable)
        let hash = Self.hash(head, key)
        let tag = UInt32(truncatingIfNeeded: hash)
        let lengthField = UInt32(truncatingIfNeeded: key.count &+ 1)
        var index = Int(truncatingIfNeeded: hash &>> UInt64(self.shift))
        while true {
            let slot = self.slot(index)
            let length = Self.lengthField(slot)
            if length == 0 { break }
            if length == lengthField, slot.load(fromByteOffset: 16, as: UInt32.self) == tag,
                slot.load(as: UInt64.self) == head.0, slot.load(fromByteOffset: 8, as: UInt64.self) == head.1,
                key.count <= Self.inlineKeyBytes || self.longKeyTailMatches(slot, key)
            {
                return (Self.value(slot), Probe(head: head, hash: hash, index: index))
            }
            index = (index &+ 1) & self.mask
        }
        return (nil, Probe(head: head, hash: hash, index: index))
    }

    @usableFromInline func longKeyTailMatches(_ slot: UnsafeMutableRawPointer, _ key: UnsafeRawBufferPointer) -> Bool {
        memcmp(self.storedKey(slot).baseAddress! + 16, key.baseAddress! + 16, key.count - 16) == 0
    }

    /// Adds `key` at slot `index` (empty), growing the table first when it is three quarters full.
    @usableFromInline mutating func insert(_ key: UnsafeRawBufferPointer, at probe: Probe, partition: Int, value: Value) {
        let (head, hash) = (probe.head, probe.hash)
        var index = probe.index
        if (self.count + 1) * 4 > (self.mask + 1) * 3 {
            self.grow()
            index = self.emptySlot(from: hash)
        }
        let slot = self.slot(index)
        slot.storeBytes(of: head.0, as: UInt64.self)
        slot.storeBytes(of: head.1, toByteOffset: 8, as: UInt64.self)
        slot.storeBytes(of: UInt32(truncatingIfNeeded: hash), toByteOffset: 16, as: UInt32.self)
        slot.storeBytes(of: UInt32(key.count + 1), toByteOffset: 20, as: UInt32.self)
        slot.storeBytes(of: UInt32(partition), toByteOffset: 24, as: UInt32.self)
        if key.count > Self.inlineKeyBytes {
            slot.storeBytes(of: UInt32(self.longKeys.count), toByteOffset: 28, as: UInt32.self)
            self.longKeys.append(key)
        }
        Self.value(slot).initialize(to: value)
        self.count += 1
    }

    /// The first empty slot on the probe sequence of `hash`.
    private func emptySlot(from hash: UInt64) -> Int {
        var index = Int(truncatingIfNeeded: hash >> UInt64(self.shift))
        while Self.lengthField(self.slot(index)) != 0 { index = (index + 1) & self.mask }
        return index
    }

    private mutating func grow() {
        let oldSlots = self.slots
        let oldCount = self.mask + 1
        self.mask = oldCount * 2 - 1
        self.shift -= 1
        self.slots = Self.allocateSlots(self.mask + 1, stride: self.stride)
        for old in 0..<oldCount {
            let from = oldSlots + old * self.stride
            guard Self.lengthField(from) != 0 else { continue }
            let head = (from.load(as: UInt64.self), from.load(fromByteOffset: 8, as: UInt64.self))
            let to = self.slot(self.emptySlot(from: Self.hash(head, self.storedKey(from))))
            to.copyMemory(from: from, byteCount: Self.headerSize)
            Self.value(to).moveInitialize(from: Self.value(from), count: 1)
        }
        oldSlots.deallocate()
    }

    /// A stored key's bytes: in `longKeys` for a long key; for a short one,
    /// its slot's first bytes (the head, stored little-endian).
    @usableFromInline func storedKey(_ slot: UnsafeMutableRawPointer) -> UnsafeRawBufferPointer {
        let count = Int(Self.lengthField(slot)) - 1
        guard count > Self.inlineKeyBytes else {
            return UnsafeRawBufferPointer(start: slot, count: count)
        }
        let offset = Int(slot.load(fromByteOffset: 28, as: UInt32.self))
        return UnsafeRawBufferPointer(start: self.longKeys.base + offset, count: count)
    }

    /// The number of slots, for `take(at:)`.
    @inlinable var capacity: Int { self.mask + 1 }

    /// Moves out the entry at slot `index` (its partition, key and value), if
    /// there is one; the key's bytes are valid until `removeTaken()`.
    @usableFromInline mutating func take(at index: Int) -> (partition: Int, key: UnsafeRawBufferPointer, value: Value)? {
        let slot = self.slot(index)
        guard Self.lengthField(slot) != 0 else { return nil }
        let entry = (Int(slot.load(fromByteOffset: 24, as: UInt32.self)), self.storedKey(slot), Self.value(slot).move())
        slot.storeBytes(of: 0, toByteOffset: 20, as: UInt32.self)
        self.count -= 1
        return entry
    }

    /// Forgets the long keys once every entry has been taken, and goes back to
    /// the first size, so that a table that filled its share of memory starts small again.
    @usableFromInline mutating func removeTaken() {
        precondition(self.count == 0, "entries are left in the table")
        self.longKeys.removeAll()
        guard self.mask + 1 > Self.initialSlots else { return }
        self.slots.deallocate()
        (self.shift, self.mask) = (64 - Self.initialSlots.trailingZeroBitCount, Self.initialSlots - 1)
        self.slots = Self.allocateSlots(Self.initialSlots, stride: self.stride)
    }

    @usableFromInline func destroyValues() {
        guard self.count > 0 else { return }
        for index in 0...self.mask where Self.lengthField(self.slot(index)) != 0 {
            Self.value(self.slot(index)).deinitialize(count: 1)
        }
    }
}
