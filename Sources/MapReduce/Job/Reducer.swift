/// The reduce half of a job: turns each key and all of its values into output lines.
///
/// A fresh reducer is made for every reduce task. Keys arrive in ascending
/// order of their encoding.
public protocol Reducer: SendableMetatype {
    /// The key type, the mapper's output key.
    associatedtype Key: KeyCodable
    /// The value type, the mapper's output value.
    associatedtype Value: ValueCodable

    /// Makes a reducer for one task.
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

    /// Hadoop's spelling of `setUp(context:)`, called right after it: a reducer written the
    /// Hadoop way runs as written rather than silently without its set-up.
    mutating func setup(context: inout ReduceContext) throws
    /// Hadoop's spelling of `cleanUp(context:)`, called right after it.
    mutating func cleanup(context: inout ReduceContext) throws
}

extension Reducer {
    /// Does nothing.
    public mutating func setUp(context: inout ReduceContext) throws {}
    /// Does nothing.
    public mutating func cleanUp(context: inout ReduceContext) throws {}
    /// Does nothing.
    public mutating func setup(context: inout ReduceContext) throws {}
    /// Does nothing.
    public mutating func cleanup(context: inout ReduceContext) throws {}

    /// Runs the set-up of a task: `setUp`, then Hadoop's `setup`.
    @inlinable mutating func begin(context: inout ReduceContext) throws {
        try self.setUp(context: &context)
        try self.setup(context: &context)
    }

    /// Runs the clean-up of a task: `cleanUp`, then Hadoop's `cleanup`.
    @inlinable mutating func end(context: inout ReduceContext) throws {
        try self.cleanUp(context: &context)
        try self.cleanup(context: &context)
    }

    /// Decodes the key and calls `reduce(key:values:context:)`.
    public mutating func reduce(encodedKey: UnsafeRawBufferPointer, values: ReduceValues<Value>, context: inout ReduceContext) throws {
        try self.reduce(key: try Key.decodeKey(encodedKey), values: values, context: &context)
    }
}
