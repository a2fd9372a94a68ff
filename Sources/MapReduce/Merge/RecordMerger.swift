/// A k-way merge of sorted segments into one sorted stream of records.
///
/// A loser tree picks the next record with one key comparison per level;
/// each comparison first looks at the keys' 8-byte prefixes, kept beside the
/// cursors, and reads the key bytes only when those are equal. Equal keys
/// come out in the order of the segments given, so the merge is deterministic.
///
/// It runs once or more per record, so each source's current record is kept
/// in plain memory and the cursors are reached without reference counting:
/// the merger keeps them alive in `cursors`.
final class RecordMerger {
    /// What the merge knows of one source's current record.
    private struct Head {
        /// Whether the source has a current record.
        var live = false
        /// The key's prefix, as `SortBuffer.prefix(of:)` makes it.
        var prefix: UInt64 = 0
        var key = UnsafeRawBufferPointer(start: nil, count: 0)
        var value = UnsafeRawBufferPointer(start: nil, count: 0)
    }

    private let cursors: [SegmentCursor]
    private let unmanagedCursors: UnsafeMutableBufferPointer<Unmanaged<SegmentCursor>>
    private let heads: UnsafeMutableBufferPointer<Head>
    // Touched for every record; one thread uses a merger, so no exclusivity checks.
    /// Played for real once every cursor has its first record.
    @exclusivity(unchecked) private var tree: LoserTree
    @exclusivity(unchecked) private var started = false

    init(_ cursors: [SegmentCursor]) {
        self.cursors = cursors
        self.unmanagedCursors = .allocate(capacity: cursors.count)
        _ = self.unmanagedCursors.initialize(from: cursors.map(Unmanaged.passUnretained))
        self.heads = .allocate(capacity: cursors.count)
        self.heads.initialize(repeating: Head())
        self.tree = LoserTree(count: max(cursors.count, 1)) { _, _ in false }
    }

    deinit {
        self.unmanagedCursors.deallocate()
        self.heads.deallocate()
    }

    /// The current record's key and value; valid until the next `advance`.
    var key: UnsafeRawBufferPointer { self.heads[self.tree.winner].key }
    var value: UnsafeRawBufferPointer { self.heads[self.tree.winner].value }
    /// The current key's prefix, as `SortBuffer.prefix(of:)` makes it.
    var prefix: UInt64 { self.heads[self.tree.winner].prefix }

    /// Whether the current key is `key`, whose prefix is `prefix`.
    func currentKeyEquals(_ key: UnsafeRawBufferPointer, prefix: UInt64) -> Bool {
        let head = self.heads[self.tree.winner]
        return head.prefix == prefix && SortBuffer.compareBeyondPrefix(head.key, key) == 0
    }

    /// Whether the current key's encoding begins with `prefix`.
    func currentKeyStarts(with prefix: UnsafeRawBufferPointer) -> Bool {
        let key = self.key
        return key.count >= prefix.count && compareBytes(UnsafeRawBufferPointer(rebasing: key[..<prefix.count]), prefix) == 0
    }

    /// Moves to the next record in key order; false when every segment is done.
    func advance() throws -> Bool {
        guard !self.cursors.isEmpty else { return false }
        let heads = self.heads
        if !self.started {
            self.started = true
            for source in self.cursors.indices { try self.step(source) }
            self.tree = LoserTree(count: self.cursors.count) { Self.precedes($0, $1, in: heads) }
        } else {
            guard heads[self.tree.winner].live else { return false }
            try self.step(self.tree.winner)
            self.tree.replay { Self.precedes($0, $1, in: heads) }
        }
        return heads[self.tree.winner].live
    }

    /// Moves cursor `source` to its next record.
    private func step(_ source: Int) throws {
        try self.unmanagedCursors[source]._withUnsafeGuaranteedRef { cursor in
            let live = try cursor.advance()
            self.heads[source] =
                live ? Head(live: true, prefix: SortBuffer.prefix(of: cursor.key), key: cursor.key, value: cursor.value) : Head()
        }
    }

    @inline(__always) private static func precedes(_ a: Int, _ b: Int, in heads: UnsafeMutableBufferPointer<Head>) -> Bool {
        guard heads[a].live else { return false }
        guard heads[b].live else { return true }
        if heads[a].prefix != heads[b].prefix { return heads[a].prefix < heads[b].prefix }
        let order = SortBuffer.compareBeyondPrefix(heads[a].key, heads[b].key)
        return order != 0 ? order < 0 : a < b
    }
}
