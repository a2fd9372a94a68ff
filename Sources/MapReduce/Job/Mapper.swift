/// The map half of a job: turns each input record into key-value pairs.
///
/// A fresh mapper is made for every map task, so it may keep state across
/// the records of one split.
public protocol Mapper: SendableMetatype {
    /// What the mapper reads: `TextInput` (lines, the default) or `WholeFileInput`.
    associatedtype Input: InputFormat = TextInput
    associatedtype Key: KeyCodable
    associatedtype Value: ValueCodable

    init()

    /// Called once per task before the first record.
    mutating func setUp(context: inout MapContext<Key, Value>) throws

    /// Called once per input record; call `context.emit` any number of times.
    mutating func map(_ record: Input.Record, context: inout MapContext<Key, Value>) throws

    /// Called once per task after the last record; may still emit.
    mutating func cleanUp(context: inout MapContext<Key, Value>) throws
}

extension Mapper {
    public mutating func setUp(context: inout MapContext<Key, Value>) throws {}
    public mutating func cleanUp(context: inout MapContext<Key, Value>) throws {}
}
