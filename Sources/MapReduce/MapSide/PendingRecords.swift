/// Map output records of short keys waiting to be folded into the combining
/// table, a few at a time: each record's slot is prefetched as it is emitted
/// and looked up only when the batch is full, so that lookups in a table
/// larger than the cache overlap instead of each waiting for memory in turn.
/// Keys are copied (a key of up to 16 bytes is its lookup's head), so the
/// mapper's bytes need not last.
@usableFromInline struct PendingRecords<Value>: ~Copyable {
    @usableFromInline static var capacity: Int { 16 }

    /// Two words a record: its key's head, which is the key itself.
    @usableFromInline let heads: UnsafeMutablePointer<UInt64>
    @usableFromInline let hashes: UnsafeMutablePointer<UInt64>
    @usableFromInline let lengths: UnsafeMutablePointer<Int>
    @usableFromInline let values: UnsafeMutablePointer<Value>
    @usableFromInline var count = 0

    @inlinable init() {
        self.heads = .allocate(capacity: 2 * Self.capacity)
        self.hashes = .allocate(capacity: Self.capacity)
        self.lengths = .allocate(capacity: Self.capacity)
        self.values = .allocate(capacity: Self.capacity)
    }

    @inlinable deinit {
        self.values.deinitialize(count: self.count)
        self.values.deallocate()
        self.lengths.deallocate()
        self.hashes.deallocate()
        self.heads.deallocate()
    }

    @inlinable var isFull: Bool { self.count == Self.capacity }

    /// Adds a record whose key is at most `KeyLookup.inlineBytes` long.
    @inlinable mutating func append(_ lookup: KeyLookup, _ value: Value) {
        let index = self.count
        self.heads[2 &* index] = lookup.head.0
        self.heads[2 &* index &+ 1] = lookup.head.1
        self.hashes[index] = lookup.hash
        self.lengths[index] = lookup.key.count
        (self.values + index).initialize(to: value)
        self.count = index &+ 1
    }

    /// The lookup of record `index`, whose key is its copy here.
    @inlinable func lookup(at index: Int) -> KeyLookup {
        let head = self.heads + 2 &* index
        return KeyLookup(
            key: UnsafeRawBufferPointer(start: head, count: self.lengths[index]), head: (head[0], head[1]), hash: self.hashes[index])
    }
}
