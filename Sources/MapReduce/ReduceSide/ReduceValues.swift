/// The values of one key, streamed from the merge in a single pass.
///
/// Iterating a second time yields nothing more. Values that cannot be
/// decoded end the sequence and fail the task once `reduce` returns.
public struct ReduceValues<Value: ValueCodable>: Sequence, IteratorProtocol {
    @usableFromInline let groups: GroupedRecords

    @inlinable init(_ groups: GroupedRecords) {
        self.groups = groups
    }

    /// The next value; nil at the end of the group, or if a value does not decode.
    @inlinable public mutating func next() -> Value? {
        guard let bytes = self.nextEncoded() else { return nil }
        do {
            return try Value.decodeValue(bytes)
        } catch {
            self.groups.failure = error
            return nil
        }
    }

    /// The key of the value last returned (before the first, the group's key): with a
    /// `Grouping` coarser than the key, the values' keys differ within a call.
    public func currentKey<Key: KeyCodable>(as type: Key.Type) throws(RecordDecodingError) -> Key {
        try Key.decodeKey(self.currentEncodedKey)
    }

    /// The encoding of `currentKey(as:)`, borrowed from the merge until the next value is read.
    @inlinable public var currentEncodedKey: UnsafeRawBufferPointer { self.groups.currentKey }

    /// The next value's encoding, borrowed from the merge until the next
    /// call; nil at the group's end. For reducers that work on bytes.
    @inlinable public mutating func nextEncoded() -> UnsafeRawBufferPointer? {
        guard self.groups.failure == nil else { return nil }
        do {
            return try self.groups.nextValue()
        } catch {
            self.groups.failure = error
            return nil
        }
    }
}
