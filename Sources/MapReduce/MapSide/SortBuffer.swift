#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CMapReducePrefetch

/// The map side's buffer of emitted records: one byte arena and a compact
/// index of 16-byte entries, no object per record.
///
/// Each record in the arena is its key's and value's lengths (4 bytes each)
/// followed by the key and the value. Each entry carries the first 8 key
/// bytes as a big-endian integer, the record's offset, and its partition with
/// the key's length up to 9 (`lengthClass`). The entries are radix sorted by
/// (partition, prefix), and only runs of equal prefixes are then sorted by
/// their length classes and, for keys longer than 8 bytes, the rest of their
/// keys in the arena, so most records are never compared at all.
@usableFromInline struct SortBuffer: ~Copyable {
    @usableFromInline struct Entry: BitwiseCopyable {
        @usableFromInline var prefix: UInt64
        @usableFromInline var offset: UInt32
        /// The partition times 16 plus the length class.
        @usableFromInline var tag: UInt32

        @inlinable init(prefix: UInt64, offset: UInt32, tag: UInt32) {
            self.prefix = prefix
            self.offset = offset
            self.tag = tag
        }

        @inlinable var partition: Int { Int(self.tag &>> 4) }
        /// The key's length when it is at most 8 bytes; 9 for any longer key.
        @inlinable var lengthClass: UInt32 { self.tag & 15 }
    }

    /// The largest partition an entry holds.
    @usableFromInline static let maxPartition = Int(UInt32.max >> 4)
    /// The bytes of a record's lengths, before its key.
    @usableFromInline static let headerSize = 8

    /// Records, back to back: lengths, key, value.
    @usableFromInline var arena: ByteWriter
    @usableFromInline var entries: UnsafeMutablePointer<Entry>
    /// As many entries again, for the radix sort to move them into.
    @usableFromInline var scratch: UnsafeMutablePointer<Entry>
    @usableFromInline var entryCapacity = 1024
    @usableFromInline var count = 0
    /// Every partition buffered, ORed: the sort skips the partition's bytes that are zero in all.
    @usableFromInline var partitionBits: UInt32 = 0

    /// A buffer whose arena has room for `arenaCapacity` bytes before it grows. Room
    /// not written yet takes no memory (a large block is mapped, and its pages
    /// come as they are touched), and an arena that never grows is never copied.
    @usableFromInline init(arenaCapacity: Int = 1 << 16) {
        self.arena = ByteWriter(capacity: arenaCapacity)
        self.entries = .allocate(capacity: self.entryCapacity)
        self.scratch = .allocate(capacity: self.entryCapacity)
    }

    @inlinable deinit {
        self.entries.deallocate()
        self.scratch.deallocate()
    }

    /// The memory the buffered records take, with the sort's scratch entries.
    @inlinable var bytesUsed: Int { self.arena.count + 2 * self.count * MemoryLayout<Entry>.stride }

    @inlinable var isEmpty: Bool { self.count == 0 }

    /// Starts a record whose key and value the caller then appends to `arena`;
    /// returns where it starts, for `endRecord` (or `arena.truncate(to:)`, to drop it).
    @inlinable mutating func beginRecord() -> Int {
        let start = self.arena.count
        self.arena.reserve(Self.headerSize)
        self.arena.length &+= Self.headerSize
        return start
    }

    /// The key of the record begun at `start`, of `keyLength` bytes.
    @inlinable func key(ofRecordAt start: Int, keyLength: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: self.arena.base + (start &+ Self.headerSize), count: keyLength)
    }

    /// Ends the record begun at `start`: writes its lengths and records its entry.
    @inlinable mutating func endRecord(at start: Int, keyLength: Int, valueLength: Int, partition: Int) {
        precondition(partition <= Self.maxPartition, "partition \(partition) beyond the sort buffer's \(Self.maxPartition)")
        if self.count == self.entryCapacity { self.growEntries() }
        (self.arena.base + start).storeBytes(of: UInt32(keyLength), as: UInt32.self)
        (self.arena.base + start).storeBytes(of: UInt32(valueLength), toByteOffset: 4, as: UInt32.self)
        self.entries[self.count] = Entry(
            prefix: Self.prefix(of: self.key(ofRecordAt: start, keyLength: keyLength)), offset: UInt32(start),
            tag: UInt32(partition) &<< 4 | UInt32(min(keyLength, 9)))
        self.partitionBits |= UInt32(partition)
        self.count += 1
    }

    /// Copies a key and value into the arena and records them.
    @usableFromInline mutating func append(partition: Int, key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) {
        let start = self.beginRecord()
        self.arena.append(key)
        self.arena.append(value)
        self.endRecord(at: start, keyLength: key.count, valueLength: value.count, partition: partition)
    }

    @usableFromInline mutating func growEntries() {
        let larger = UnsafeMutablePointer<Entry>.allocate(capacity: self.entryCapacity * 2)
        larger.moveInitialize(from: self.entries, count: self.count)
        self.entries.deallocate()
        self.entries = larger
        self.scratch.deallocate()
        self.entryCapacity *= 2
        self.scratch = .allocate(capacity: self.entryCapacity)
    }

    /// The key and value of the record at `offset` in the arena.
    @inlinable func record(at offset: UInt32) -> (key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) {
        let header = self.arena.base + Int(offset)
        let keyLength = Int(header.loadUnaligned(as: UInt32.self))
        let valueLength = Int(header.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
        let key = header + Self.headerSize
        return (UnsafeRawBufferPointer(start: key, count: keyLength), UnsafeRawBufferPointer(start: key + keyLength, count: valueLength))
    }

    /// The first 8 bytes of `key`, big-endian, zero-padded.
    ///
    /// A shorter key is read with two loads that overlap (of 4, 2 or 1
    /// bytes, from each end), never past its end, and no loop.
    @inlinable static func prefix(of key: UnsafeRawBufferPointer) -> UInt64 {
        let count = key.count
        guard count > 0, let base = key.baseAddress else { return 0 }
        if count >= 8 { return UInt64(bigEndian: base.loadUnaligned(as: UInt64.self)) }
        // The key's bytes as a big-endian number of `count` bytes; the overlapping bytes are ORed with themselves.
        let value: UInt64
        if count >= 4 {
            let head = UInt64(UInt32(bigEndian: base.loadUnaligned(as: UInt32.self)))
            let tail = UInt64(UInt32(bigEndian: base.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self)))
            value = head &<< (8 &* (count &- 4)) | tail
        } else if count >= 2 {
            let head = UInt64(UInt16(bigEndian: base.loadUnaligned(as: UInt16.self)))
            let tail = UInt64(UInt16(bigEndian: base.loadUnaligned(fromByteOffset: count &- 2, as: UInt16.self)))
            value = head &<< (8 &* (count &- 2)) | tail
        } else {
            value = UInt64(base.load(as: UInt8.self))
        }
        return value &<< (8 &* (8 &- count))
    }

    /// Sorts the records by (partition, key bytes), equal keys in the order they came.
    mutating func sort() {
        let entries = UnsafeMutableBufferPointer(start: self.entries, count: self.count)
        // Digits 0-7: the prefix, least significant byte first; 8 on: the partition's nonzero bytes.
        let partitionDigits = (UInt32.bitWidth - self.partitionBits.leadingZeroBitCount + 7) / 8
        RadixSort.sort(
            entries, scratch: UnsafeMutableBufferPointer(start: self.scratch, count: self.count), digits: 8 + partitionDigits
        ) { entry, digit in
            digit < 8
                ? UInt8(truncatingIfNeeded: entry.prefix &>> (8 &* UInt64(digit)))
                : UInt8(truncatingIfNeeded: entry.tag &>> (4 &+ 8 &* UInt32(digit &- 8)))
        }
        var start = 0
        while start < self.count {
            var end = start + 1
            while end < self.count, entries[end].prefix == entries[start].prefix,
                entries[end].tag &>> 4 == entries[start].tag &>> 4
            {
                end += 1
            }
            if end - start > 1 { self.sortByWholeKeys(UnsafeMutableBufferPointer(rebasing: entries[start..<end])) }
            start = end
        }
    }

    /// Sorts entries of one partition and prefix by the rest of their keys:
    /// by length class, and only keys longer than 8 bytes by their bytes.
    private func sortByWholeKeys(_ run: UnsafeMutableBufferPointer<Entry>) {
        var run = run
        run.sort { a, b in
            if a.lengthClass != b.lengthClass || a.lengthClass < 9 {
                return a.lengthClass != b.lengthClass ? a.lengthClass < b.lengthClass : a.offset < b.offset
            }
            let order = Self.compareBeyondPrefix(self.record(at: a.offset).key, self.record(at: b.offset).key)
            return order != 0 ? order < 0 : a.offset < b.offset
        }
    }

    /// Compares two keys whose prefixes are equal, as `compareBytes` would: if
    /// either fits in its prefix, the shorter is the smaller (a key is padded with
    /// zero bytes in its prefix, so the other starts with it); otherwise their bytes
    /// after the prefix decide.
    @inlinable @inline(__always) static func compareBeyondPrefix(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        if min(a.count, b.count) <= 8 { return a.count &- b.count }
        return compareBytes(
            UnsafeRawBufferPointer(start: a.baseAddress! + 8, count: a.count &- 8),
            UnsafeRawBufferPointer(start: b.baseAddress! + 8, count: b.count &- 8))
    }

    /// How many records ahead `forEach` asks for a record's bytes: sorted, the
    /// records lie all over the arena, and each would otherwise be a cache miss.
    static let prefetchDistance = 16

    /// Calls `body` with each record in buffer order.
    func forEach(_ body: (_ partition: Int, _ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) throws -> Void) rethrows {
        for i in 0..<self.count {
            if i &+ Self.prefetchDistance < self.count {
                mapreduce_prefetch_for_read(self.arena.base + Int(self.entries[i &+ Self.prefetchDistance].offset))
            }
            let entry = self.entries[i]
            let (key, value) = self.record(at: entry.offset)
            try body(entry.partition, key, value)
        }
    }

    /// Empties the buffer, keeping its memory.
    @usableFromInline mutating func removeAll() {
        self.arena.removeAll()
        self.count = 0
        self.partitionBits = 0
    }
}

/// Compares byte strings as `memcmp` does, a proper prefix first: negative, zero or positive.
@inlinable func compareBytes(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
    let common = min(a.count, b.count)
    if common > 0 {
        let order = memcmp(a.baseAddress!, b.baseAddress!, common)
        if order != 0 { return Int(order) }
    }
    return a.count - b.count
}
