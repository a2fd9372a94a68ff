#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An open-addressing hash table from encoded keys to dense entry numbers,
/// for aggregating map output with a combiner before it is sorted.
///
/// Keys live back to back in one arena; a slot holds the upper bits of the
/// key's hash and its entry number, so a probe compares bytes only when the
/// hashes agree. The caller keeps entry `i`'s value at index `i` of its own array.
@usableFromInline struct KeyTable: ~Copyable {
    @usableFromInline struct Slot {
        @usableFromInline var tag: UInt32
        /// The entry number plus one; 0 is an empty slot.
        @usableFromInline var entry: UInt32
    }

    @usableFromInline struct Entry {
        @usableFromInline var offset: UInt32
        @usableFromInline var length: UInt32
        @usableFromInline var partition: UInt32
    }

    @usableFromInline var keys = ByteWriter(capacity: 1 << 16)
    @usableFromInline var slots: UnsafeMutablePointer<Slot>
    @usableFromInline var mask: Int
    @usableFromInline var entries: [Entry] = []

    @usableFromInline init() {
        self.mask = 1023
        self.slots = .allocate(capacity: self.mask + 1)
        self.slots.initialize(repeating: Slot(tag: 0, entry: 0), count: self.mask + 1)
    }

    @inlinable deinit {
        self.slots.deallocate()
    }

    @inlinable var count: Int { self.entries.count }

    /// The memory the table takes.
    @inlinable var bytesUsed: Int {
        self.keys.count + (self.mask + 1) * MemoryLayout<Slot>.stride + self.entries.count * MemoryLayout<Entry>.stride
    }

    /// Finds `key`'s entry, adding it (in `partition`) if it is new.
    @usableFromInline mutating func findOrInsert(
        _ key: UnsafeRawBufferPointer, hash: UInt64, partition: Int
    ) -> (entry: Int, inserted: Bool) {
        let tag = UInt32(truncatingIfNeeded: hash >> 32)
        var index = Int(truncatingIfNeeded: hash) & self.mask
        while true {
            let slot = self.slots[index]
            if slot.entry == 0 { break }
            if slot.tag == tag {
                let entry = self.entries[Int(slot.entry) - 1]
                if Int(entry.length) == key.count,
                    key.count == 0 || memcmp(self.keys.base + Int(entry.offset), key.baseAddress!, key.count) == 0
                {
                    return (Int(slot.entry) - 1, false)
                }
            }
            index = (index + 1) & self.mask
        }
        let entry = self.entries.count
        self.entries.append(Entry(offset: UInt32(self.keys.count), length: UInt32(key.count), partition: UInt32(partition)))
        self.keys.append(key)
        self.slots[index] = Slot(tag: tag, entry: UInt32(entry + 1))
        if self.entries.count * 2 > self.mask { self.grow() }
        return (entry, true)
    }

    private mutating func grow() {
        let oldSlots = self.slots
        let oldCount = self.mask + 1
        self.mask = oldCount * 2 - 1
        self.slots = .allocate(capacity: self.mask + 1)
        self.slots.initialize(repeating: Slot(tag: 0, entry: 0), count: self.mask + 1)
        for i in 0..<oldCount where oldSlots[i].entry != 0 {
            let entry = self.entries[Int(oldSlots[i].entry) - 1]
            let key = UnsafeRawBufferPointer(start: self.keys.base + Int(entry.offset), count: Int(entry.length))
            var index = Int(truncatingIfNeeded: StableHash.hash(key)) & self.mask
            while self.slots[index].entry != 0 { index = (index + 1) & self.mask }
            self.slots[index] = oldSlots[i]
        }
        oldSlots.deallocate()
    }

    /// The key of entry `i`.
    @inlinable func key(_ i: Int) -> UnsafeRawBufferPointer {
        let entry = self.entries[i]
        return UnsafeRawBufferPointer(start: self.keys.base + Int(entry.offset), count: Int(entry.length))
    }

    /// Empties the table, keeping its memory.
    @usableFromInline mutating func removeAll() {
        self.keys.removeAll()
        self.entries.removeAll(keepingCapacity: true)
        self.slots.update(repeating: Slot(tag: 0, entry: 0), count: self.mask + 1)
    }
}
