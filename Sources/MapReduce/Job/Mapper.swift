/// The map half of a job: turns each input record into key-value pairs.
///
/// A fresh mapper is made for every map task, so it may keep state across
/// the records of one split.
public protocol Mapper: SendableMetatype {
    /// What the mapper reads: `TextInput` (lines, the default) or `WholeFileInput`.
    associatedtype Input: InputFormat = TextInput
    /// The type of the keys it emits, inferred from `map`'s `MapContext<Key, Value>`.
    associatedtype Key: KeyCodable
    /// The type of the values it emits.
    associatedtype Value: ValueCodable

    /// Makes a mapper for one task.
    init()

    /// Called once per task before the first record.
    mutating func setUp(context: inout MapContext<Key, Value>) throws

    /// Called once per input record; call `context.emit` any number of times.
    mutating func map(_ record: Input.Record, context: inout MapContext<Key, Value>) throws

    /// Called once per task after the last record; may still emit.
    mutating func cleanUp(context: inout MapContext<Key, Value>) throws

    /// Hadoop's spelling of `setUp(context:)`, called right after it: a mapper written the
    /// Hadoop way runs as written rather than silently without its set-up.
    mutating func setup(context: inout MapContext<Key, Value>) throws
    /// Hadoop's spelling of `cleanUp(context:)`, called right after it.
    mutating func cleanup(context: inout MapContext<Key, Value>) throws
}

extension Mapper {
    /// Does nothing.
    public mutating func setUp(context: inout MapContext<Key, Value>) throws {}
    /// Does nothing.
    public mutating func cleanUp(context: inout MapContext<Key, Value>) throws {}
    /// Does nothing.
    public mutating func setup(context: inout MapContext<Key, Value>) throws {}
    /// Does nothing.
    public mutating func cleanup(context: inout MapContext<Key, Value>) throws {}

    /// Runs the set-up of a task: `setUp`, then Hadoop's `setup`.
    @inlinable mutating func begin(context: inout MapContext<Key, Value>) throws {
        try self.setUp(context: &context)
        try self.setup(context: &context)
    }

    /// Runs the clean-up of a task: `cleanUp`, then Hadoop's `cleanup`.
    @inlinable mutating func end(context: inout MapContext<Key, Value>) throws {
        try self.cleanUp(context: &context)
        try self.cleanup(context: &context)
    }
}
