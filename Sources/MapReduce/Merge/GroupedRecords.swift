/// Walks a merged stream of records key group by key group.
///
/// Used by one thread; its per-record state skips the runtime's exclusivity checks.
/// Every record handed out or skipped is a checkpoint of the attempt's control.
@usableFromInline final class GroupedRecords {
    private let merger: RecordMerger
    private let control: AttemptControl
    /// The current group's key, copied out of the merge.
    @exclusivity(unchecked) private var groupKeyStorage = ByteWriter()
    @exclusivity(unchecked) private var groupPrefix: UInt64 = 0
    /// Whether the merger holds a record not yet handed out.
    @exclusivity(unchecked) private var hasRecord = false
    /// Whether the merger must advance before its record is looked at.
    @exclusivity(unchecked) private var needsAdvance = true
    /// Whether a group has been started.
    @exclusivity(unchecked) private var inGroup = false
    /// Records handed out so far.
    @exclusivity(unchecked) @usableFromInline private(set) var recordCount = 0
    /// An error met while the reducer iterated values, to be thrown once it returns.
    @usableFromInline var failure: (any Error)?

    init(_ merger: RecordMerger, control: AttemptControl) {
        self.merger = merger
        self.control = control
    }

    /// The current group's key; valid until the next `nextGroup`.
    @usableFromInline var groupKey: UnsafeRawBufferPointer { self.groupKeyStorage.bytes }

    private func settle() throws {
        if self.needsAdvance {
            self.hasRecord = try self.merger.advance()
            self.needsAdvance = false
        }
    }

    /// Skips what is left of the current group and moves to the next; false at the end.
    @usableFromInline func nextGroup() throws -> Bool {
        try self.settle()
        while self.hasRecord, self.inGroup, self.merger.currentKeyEquals(self.groupKey, prefix: self.groupPrefix) {
            self.recordCount += 1
            try self.control.checkpoint(recordsRead: Int64(self.recordCount))
            self.hasRecord = try self.merger.advance()
        }
        try self.control.checkpoint(recordsRead: Int64(self.recordCount))
        guard self.hasRecord else { return false }
        self.inGroup = true
        self.groupKeyStorage.removeAll()
        self.groupKeyStorage.append(self.merger.key)
        self.groupPrefix = self.merger.prefix
        return true
    }

    /// The next value of the current group; valid until the next call. Nil at the group's end.
    @usableFromInline func nextValue() throws -> UnsafeRawBufferPointer? {
        try self.settle()
        guard self.hasRecord, self.merger.currentKeyEquals(self.groupKey, prefix: self.groupPrefix) else { return nil }
        self.recordCount += 1
        try self.control.checkpoint(recordsRead: Int64(self.recordCount))
        self.needsAdvance = true
        return self.merger.value
    }
}
