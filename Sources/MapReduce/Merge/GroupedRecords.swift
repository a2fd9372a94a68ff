/// Walks a merged stream of records key group by key group.
///
/// Used by one thread; its per-record state skips the runtime's exclusivity checks.
/// Every record handed out or skipped is a checkpoint of the attempt's control.
@usableFromInline final class GroupedRecords {
    private let merger: RecordMerger
    private let control: AttemptControl
    /// The job's grouping: the length of the part of a key that groups compare; nil for the whole key.
    private let groupPrefixLength: ((UnsafeRawBufferPointer) throws(RecordDecodingError) -> Int)?
    /// With a grouping: the length of the part of the group's key that its records share.
    @exclusivity(unchecked) private var groupLength = 0
    /// With a grouping: the key of the value last handed out in this group, copied (the merge
    /// moves past it when the group ends).
    @exclusivity(unchecked) private var lastKeyStorage = ByteWriter()
    @exclusivity(unchecked) private var hasLastKey = false
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

    init(
        _ merger: RecordMerger, control: AttemptControl,
        groupPrefixLength: ((UnsafeRawBufferPointer) throws(RecordDecodingError) -> Int)? = nil
    ) {
        self.merger = merger
        self.control = control
        self.groupPrefixLength = groupPrefixLength
    }

    /// The current group's key (with a grouping, its first record's); valid until the next `nextGroup`.
    @usableFromInline var groupKey: UnsafeRawBufferPointer { self.groupKeyStorage.bytes }

    /// The key of the value last handed out by `nextValue` in this group (before the first, the
    /// group's key); valid until the next call. Without a grouping every value has the group's key.
    @usableFromInline var currentKey: UnsafeRawBufferPointer {
        self.hasLastKey ? self.lastKeyStorage.bytes : self.groupKey
    }

    /// Whether the merger's current record belongs to the current group.
    private func inCurrentGroup() -> Bool {
        guard self.groupPrefixLength != nil else {
            return self.merger.currentKeyEquals(self.groupKey, prefix: self.groupPrefix)
        }
        // Component encodings are self-delimiting: a key that starts with the group's
        // first part has that first part.
        return self.merger.currentKeyStarts(with: UnsafeRawBufferPointer(rebasing: self.groupKey[..<self.groupLength]))
    }

    private func settle() throws {
        if self.needsAdvance {
            self.hasRecord = try self.merger.advance()
            self.needsAdvance = false
        }
    }

    /// Skips what is left of the current group and moves to the next; false at the end.
    @usableFromInline func nextGroup() throws -> Bool {
        try self.settle()
        while self.hasRecord, self.inGroup, self.inCurrentGroup() {
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
        self.hasLastKey = false
        if let groupPrefixLength = self.groupPrefixLength { self.groupLength = try groupPrefixLength(self.groupKey) }
        return true
    }

    /// The next value of the current group; valid until the next call. Nil at the group's end.
    @usableFromInline func nextValue() throws -> UnsafeRawBufferPointer? {
        try self.settle()
        guard self.hasRecord, self.inCurrentGroup() else { return nil }
        self.recordCount += 1
        try self.control.checkpoint(recordsRead: Int64(self.recordCount))
        self.needsAdvance = true
        if self.groupPrefixLength != nil {
            self.lastKeyStorage.removeAll()
            self.lastKeyStorage.append(self.merger.key)
            self.hasLastKey = true
        }
        return self.merger.value
    }
}
