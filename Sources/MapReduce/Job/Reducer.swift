/// The reduce half of a job: turns each key and all of its values into output lines.
///
/// A fresh reducer is made for every reduce task. Keys arrive in ascending
/// order of their encoding.
public protocol Reducer: SendableMetatype {
    associatedtype Key: KeyCodable
    associatedtype Value: ValueCodable

    init()

    /// Called once per task before the first key.
    mutating func setUp(context: inout ReduceContext) throws

    /// Called once per distinct key, with a single-pass sequence of its
    /// values that streams from the merge (they are never all in memory).
    mutating func reduce(key: Key, values: ReduceValues<Value>, context: inout ReduceContext) throws
    /// Called once per distinct key with the key's encoding, borrowed until
    /// it returns. By default it decodes the key and calls
    /// `reduce(key:values:context:)`; `RawReducer` replaces it.
    mutating func reduce(encodedKey: UnsafeRawBufferPointer, values: ReduceValues<Value>, context: inout ReduceContext) throws

    /// Called once per task after the last key; may still write.
    mutating func cleanUp(context: inout ReduceContext) throws
}

extension Reducer {
    public mutating func setUp(context: inout ReduceContext) throws {}
    public mutating func cleanUp(context: inout ReduceContext) throws {}

    public mutating func reduce(encodedKey: UnsafeRawBufferPointer, values: ReduceValues<Value>, context: inout ReduceContext) throws {
        try self.reduce(key: try Key.decodeKey(encodedKey), values: values, context: &context)
    }
}
