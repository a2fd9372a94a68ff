import CMapReducePrefetch

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
/// A slot holds the key's first 16 bytes, its length and its value: 32
/// bytes for an 8-byte value, so that finding a short key (a word) reads one
/// aligned half of a cache line and compares two words. Longer keys also
/// live whole in an arena. Probing uses `KeyLookup`'s cheap hash;
/// large tables sit on huge pages where the kernel allows, as probes land
/// anywhere in them. Partitions are the collector's business, computed
/// once per key as the table is drained.
@usableFromInline struct CombiningTable<Value>: ~Copyable {
    /// The bytes of a slot's key fields, before its value.
    @usableFromInline static var headerSize: Int { 24 }
    @usableFromInline static var initialSlots: Int { 1024 }

    @usableFromInline var slots: UnsafeMutableRawPointer
    /// The block `slots` lies in.
    @usableFromInline var block: UnsafeMutableRawPointer
    @usableFromInline var shift: Int
    @usableFromInline var mask: Int
    @usableFromInline let stride: Int
    /// Where a slot's value starts: after the header, at the value's alignment.
    @usableFromInline let valueOffset: Int
    @usableFromInline var count = 0
    /// Keys longer than `KeyLookup.inlineBytes`, whole.
    @usableFromInline var longKeys = ByteWriter(capacity: 1 << 12)

    @usableFromInline init() {
        let alignment = max(8, MemoryLayout<Value>.alignment)
        self.valueOffset = (Self.headerSize + alignment - 1) & -alignment
        self.stride = self.valueOffset + (MemoryLayout<Value>.stride + alignment - 1) & -alignment
        self.shift = 64 - Self.initialSlots.trailingZeroBitCount
        self.mask = Self.initialSlots - 1
        (self.block, self.slots) = Self.allocateSlots(self.mask + 1, stride: self.stride)
    }

    /// The size of a huge page: a table this large or larger is placed on
    /// huge pages where the kernel allows, since its probes land anywhere in it.
    static var hugePage: Int { 2 << 20 }

    /// Slots start on a cache line, so that a 32-byte slot never straddles two.
    static var cacheLine: Int { max(64, MemoryLayout<Value>.alignment) }

    /// Zeroed room for `count` slots, and the block it lies in (what is freed).
    @usableFromInline static func allocateSlots(_ count: Int, stride: Int) -> (block: UnsafeMutableRawPointer, slots: UnsafeMutableRawPointer) {
        let byteCount = count * stride
        let block: UnsafeMutableRawPointer
        let slots: UnsafeMutableRawPointer
        if byteCount >= Self.hugePage {
            // Mapped on its own (see `LargeAllocations`), so aligning it leaves nothing behind.
            block = .allocate(byteCount: byteCount, alignment: Self.hugePage)
            slots = block
            #if os(Linux)
            // Only advice: without huge pages the table works the same, a little slower.
            _ = madvise(slots, byteCount, MADV_HUGEPAGE)
            #endif
        } else {
            // Aligned by hand: glibc's aligned allocation splits free heap memory around
            // each block, and a worker running thousands of small maps kept the pieces
            // (27 MiB more for 1,024 maps of 64 KiB, growing with every map).
            block = .allocate(byteCount: byteCount + Self.cacheLine, alignment: 16)
            slots = block.alignedUp(toMultipleOf: Self.cacheLine)
        }
        slots.initializeMemory(as: UInt8.self, repeating: 0, count: byteCount)
        return (block, slots)
    }

    @inlinable deinit {
        if self.count > 0 {
            for index in 0...self.mask where Self.lengthField(self.slot(index)) != 0 {
                self.value(self.slot(index)).deinitialize(count: 1)
            }
        }
        self.block.deallocate()
    }

    /// The memory the table takes.
    @inlinable var bytesUsed: Int { (self.mask + 1) * self.stride + self.longKeys.count }

    // Slot fields: the key's first two 8-byte words (zero-padded), then its
    // length plus one (0 marks an empty slot) and, for a long key, its offset
    // in `longKeys`; then the value.
    @inlinable @inline(__always) func slot(_ index: Int) -> UnsafeMutableRawPointer { self.slots + index &* self.stride }
    @inlinable @inline(__always) static func lengthField(_ slot: UnsafeMutableRawPointer) -> UInt32 {
        slot.load(fromByteOffset: 16, as: UInt32.self)
    }
    @inlinable @inline(__always) func value(_ slot: UnsafeMutableRawPointer) -> UnsafeMutablePointer<Value> {
        (slot + self.valueOffset).assumingMemoryBound(to: Value.self)
    }

    /// Where `lookup`'s probe starts.
    @inlinable @inline(__always) func home(of lookup: KeyLookup) -> Int {
        Int(truncatingIfNeeded: lookup.hash &>> UInt64(self.shift))
    }

    /// Asks the processor to fetch the slot where `lookup`'s probe starts,
    /// so that a `find` of it a little later need not wait for memory.
    @inlinable @inline(__always) func prefetch(_ lookup: KeyLookup) {
        mapreduce_prefetch_for_write(self.slot(self.home(of: lookup)))
    }

    /// The value of the key if it is in the table, else the empty slot where
    /// to `insert` it.
    @inlinable @inline(__always) func find(_ lookup: KeyLookup) -> (value: UnsafeMutablePointer<Value>?, emptySlot: Int) {
        let key = lookup.key
        let lengthField = UInt32(truncatingIfNeeded: key.count &+ 1)
        var index = self.home(of: lookup)
        while true {
            let slot = self.slot(index)
            let length = Self.lengthField(slot)
            if length == 0 { return (nil, index) }
            if length == lengthField, slot.load(as: UInt64.self) == lookup.head.0,
                slot.load(fromByteOffset: 8, as: UInt64.self) == lookup.head.1,
                key.count <= KeyLookup.inlineBytes || self.longKeyTailMatches(slot, key)
            {
                return (self.value(slot), index)
            }
            index = (index &+ 1) & self.mask
        }
    }

    @usableFromInline func longKeyTailMatches(_ slot: UnsafeMutableRawPointer, _ key: UnsafeRawBufferPointer) -> Bool {
        memcmp(self.storedKey(slot).baseAddress! + 16, key.baseAddress! + 16, key.count - 16) == 0
    }

    /// Adds the key at `emptySlot`, which `find` returned, growing the table
    /// first when it is three quarters full.
    @usableFromInline mutating func insert(_ lookup: KeyLookup, at emptySlot: Int, value: Value) {
        let key = lookup.key
        var index = emptySlot
        if (self.count + 1) * 4 > (self.mask + 1) * 3 {
            self.grow()
            index = self.emptySlot(from: lookup.hash)
        }
        let slot = self.slot(index)
        slot.storeBytes(of: lookup.head.0, as: UInt64.self)
        slot.storeBytes(of: lookup.head.1, toByteOffset: 8, as: UInt64.self)
        slot.storeBytes(of: UInt32(key.count + 1), toByteOffset: 16, as: UInt32.self)
        if key.count > KeyLookup.inlineBytes {
            slot.storeBytes(of: UInt32(self.longKeys.count), toByteOffset: 20, as: UInt32.self)
            self.longKeys.append(key)
        }
        self.value(slot).initialize(to: value)
        self.count += 1
    }

    /// The first empty slot on the probe sequence of `hash`.
    private func emptySlot(from hash: UInt64) -> Int {
        var index = Int(truncatingIfNeeded: hash >> UInt64(self.shift))
        while Self.lengthField(self.slot(index)) != 0 { index = (index + 1) & self.mask }
        return index
    }

    private mutating func grow() {
        let (oldBlock, oldSlots) = (self.block, self.slots)
        let oldCount = self.mask + 1
        self.mask = oldCount * 2 - 1
        self.shift -= 1
        (self.block, self.slots) = Self.allocateSlots(self.mask + 1, stride: self.stride)
        for old in 0..<oldCount {
            let from = oldSlots + old * self.stride
            guard Self.lengthField(from) != 0 else { continue }
            let head = (from.load(as: UInt64.self), from.load(fromByteOffset: 8, as: UInt64.self))
            let to = self.slot(self.emptySlot(from: KeyLookup.hash(head, self.storedKey(from))))
            to.copyMemory(from: from, byteCount: Self.headerSize)
            self.value(to).moveInitialize(from: self.value(from), count: 1)
        }
        oldBlock.deallocate()
    }

    /// A stored key's bytes: in `longKeys` for a long key; for a short one,
    /// its slot's first bytes (the head, stored little-endian).
    @usableFromInline func storedKey(_ slot: UnsafeMutableRawPointer) -> UnsafeRawBufferPointer {
        let count = Int(Self.lengthField(slot)) - 1
        guard count > KeyLookup.inlineBytes else {
            return UnsafeRawBufferPointer(start: slot, count: count)
        }
        let offset = Int(slot.load(fromByteOffset: 20, as: UInt32.self))
        return UnsafeRawBufferPointer(start: self.longKeys.base + offset, count: count)
    }

    /// The number of slots, for `occupiedSlot(_:)`.
    @inlinable var capacity: Int { self.mask + 1 }

    /// Slot `index` if it holds an entry, whose key is `storedKey(_:)` and
    /// whose value is `value(_:)`. To drain the table, move every value out
    /// and then call `removeAllMoved()`.
    @inlinable func occupiedSlot(_ index: Int) -> UnsafeMutableRawPointer? {
        let slot = self.slot(index)
        return Self.lengthField(slot) != 0 ? slot : nil
    }

    /// Forgets every entry once their values have been moved out, and goes
    /// back to the first size, so that a table that filled its share of
    /// memory starts small again.
    @usableFromInline mutating func removeAllMoved() {
        self.count = 0
        self.longKeys.removeAll()
        if self.mask + 1 > Self.initialSlots {
            self.block.deallocate()
            (self.shift, self.mask) = (64 - Self.initialSlots.trailingZeroBitCount, Self.initialSlots - 1)
            (self.block, self.slots) = Self.allocateSlots(Self.initialSlots, stride: self.stride)
        } else {
            self.slots.initializeMemory(as: UInt8.self, repeating: 0, count: (self.mask + 1) * self.stride)
        }
    }
}
