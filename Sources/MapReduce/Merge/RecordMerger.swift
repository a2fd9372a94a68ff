/// A k-way merge of sorted segments into one sorted stream of records.
///
/// A loser tree picks the next record with one key comparison per level;
/// each comparison first looks at the keys' 8-byte prefixes, kept beside the
/// cursors, and reads the key bytes only when those are equal. Equal keys
/// come out in the order of the segments given, so the merge is deterministic.
final class RecordMerger {
    private let cursors: [SegmentCursor]
    // Touched for every record; one thread uses a merger, so no exclusivity checks.
    /// Each cursor's current key prefix, as `SortBuffer.prefix(of:)` makes it.
    @exclusivity(unchecked) private var prefixes: [UInt64]
    /// Whether each cursor has a current record.
    @exclusivity(unchecked) private var live: [Bool]
    /// Played for real once every cursor has its first record.
    @exclusivity(unchecked) private var tree: LoserTree
    @exclusivity(unchecked) private var started = false

    init(_ cursors: [SegmentCursor]) {
        self.cursors = cursors
        self.prefixes = Array(repeating: 0, count: cursors.count)
        self.live = Array(repeating: false, count: cursors.count)
        self.tree = LoserTree(count: max(cursors.count, 1)) { _, _ in false }
    }

    private var current: SegmentCursor { self.cursors[self.tree.winner] }

    /// The current record's key and value; valid until the next `advance`.
    var key: UnsafeRawBufferPointer { self.current.key }
    var value: UnsafeRawBufferPointer { self.current.value }

    /// Moves to the next record in key order; false when every segment is done.
    func advance() throws -> Bool {
        guard !self.cursors.isEmpty else { return false }
        if !self.started {
            self.started = true
            for source in self.cursors.indices { try self.step(source) }
            self.tree = LoserTree(count: self.cursors.count, precedes: self.precedes)
        } else {
            guard self.live[self.tree.winner] else { return false }
            try self.step(self.tree.winner)
            self.tree.replay(precedes: self.precedes)
        }
        return self.live[self.tree.winner]
    }

    /// Moves cursor `source` to its next record.
    private func step(_ source: Int) throws {
        let cursor = self.cursors[source]
        self.live[source] = try cursor.advance()
        if self.live[source] { self.prefixes[source] = SortBuffer.prefix(of: cursor.key) }
    }

    private func precedes(_ a: Int, _ b: Int) -> Bool {
        guard self.live[a] else { return false }
        guard self.live[b] else { return true }
        if self.prefixes[a] != self.prefixes[b] { return self.prefixes[a] < self.prefixes[b] }
        let order = compareBytes(self.cursors[a].key, self.cursors[b].key)
        return order != 0 ? order < 0 : a < b
    }
}
