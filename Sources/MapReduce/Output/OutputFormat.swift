/// What a job's reducers write: lines of text (the default), or records in the
/// job's own key and value encodings that the next job of a chain reads as
/// typed input with `KeyValueInput` (see docs/key-value-files.md).
///
/// ```swift
/// static var outputFormat: OutputFormat { .keyValue(String.self, PageState.self) }
/// // in the reducer:
/// context.write(record: page, state)
/// ```
public struct OutputFormat: Sendable {
    @usableFromInline enum Kind: Sendable {
        case text
        /// Records whose keys and values are of these types; their names go into each file's header.
        case keyValue(key: ObjectIdentifier, value: ObjectIdentifier, keyName: String, valueName: String)
    }

    @usableFromInline let kind: Kind

    /// Lines of text, written with `ReduceContext.write(_:_:)`.
    public static var text: Self { Self(kind: .text) }

    /// Records of `Key` and `Value` in a key-value file, written with `ReduceContext.write(record:_:)`.
    public static func keyValue<Key: KeyCodable, Value: ValueCodable>(_ key: Key.Type, _ value: Value.Type) -> Self {
        Self(kind: .keyValue(
            key: ObjectIdentifier(Key.self), value: ObjectIdentifier(Value.self),
            keyName: KeyValueFile.typeName(Key.self), valueName: KeyValueFile.typeName(Value.self)))
    }

    /// Whether the output is records rather than text.
    public var isKeyValue: Bool {
        if case .keyValue = self.kind { return true }
        return false
    }
}
