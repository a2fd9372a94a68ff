/// The values of one key, streamed from the merge in a single pass.
///
/// Iterating a second time yields nothing more. Values that cannot be
/// decoded end the sequence and fail the task once `reduce` returns.
public struct ReduceValues<Value: ValueCodable>: Sequence, IteratorProtocol {
    @usableFromInline let groups: GroupedRecords

    @inlinable init(_ groups: GroupedRecords) {
        self.groups = groups
    }

    @inlinable public mutating func next() -> Value? {
        guard self.groups.failure == nil else { return nil }
        do {
            guard let bytes = try self.groups.nextValue() else { return nil }
            return try Value.decodeValue(bytes)
        } catch {
            self.groups.failure = error
            return nil
        }
    }
}
