/// Which keys a reducer sees in one call: by default equal keys; with
/// `byFirst`, every key of a `KeyPair` whose first part is equal (a
/// secondary sort, Hadoop's grouping comparator).
///
/// Keys still sort by the whole key, so a reducer that groups by the first
/// part gets one call per first part with the values ordered by the second,
/// streamed from the merge:
///
/// ```swift
/// static var grouping: Grouping<KeyPair<String, Int>> { .byFirst }
/// ```
///
/// The key a call gets is the group's first (smallest) key; the key of each
/// value is `ReduceValues.currentKey(as:)`. The partitioner sees only what
/// groups: the default hash partitioner hashes the first part's encoding,
/// and a total-order partitioner places keys by their first part, so that a
/// group never spans two reduce tasks. A custom partitioner must do the same.
public struct Grouping<Key: KeyCodable>: Sendable {
    /// The length of the part of an encoded key that groups compare; nil for the whole key.
    @usableFromInline let prefixLength: (@Sendable (UnsafeRawBufferPointer) throws(RecordDecodingError) -> Int)?

    /// Equal keys, the default.
    public static var wholeKey: Self { Self(prefixLength: nil) }
}

/// A key made of parts, the first of which can group (see `Grouping.byFirst`).
///
/// A conforming type's key encoding must begin with its first part's component
/// encoding (as `KeyPair`'s does): grouping compares that prefix of the bytes.
public protocol CompositeKey: KeyCodable {
    /// The type of the first part, which `Grouping.byFirst` groups by.
    associatedtype First: KeyCodable
}

extension KeyPair: CompositeKey {}

extension Grouping where Key: CompositeKey {
    /// Keys whose first part is equal, whatever follows.
    public static var byFirst: Self {
        Self(
            prefixLength: { (encoded: UnsafeRawBufferPointer) throws(RecordDecodingError) -> Int in
                var reader = ByteReader(encoded)
                try Key.First.skipKeyComponent(in: &reader)
                return reader.position
            })
    }
}
