/// A reducer that works on encoded bytes: each key's encoding, borrowed
/// from the merge, and its values' encodings through
/// `ReduceValues.nextEncoded()`, with nothing decoded or allocated per
/// record. With `ReduceContext.write(raw:_:)` records stream from the merge
/// into the output file.
public protocol RawReducer: Reducer {
    /// Called once per distinct key with its encoding, valid until it returns.
    mutating func reduce(rawKey: UnsafeRawBufferPointer, values: ReduceValues<Value>, context: inout ReduceContext) throws
}

extension RawReducer {
    /// Hands the encoding to `reduce(rawKey:values:context:)` as it is.
    public mutating func reduce(encodedKey: UnsafeRawBufferPointer, values: ReduceValues<Value>, context: inout ReduceContext) throws {
        try self.reduce(rawKey: encodedKey, values: values, context: &context)
    }

    /// Encodes `key` and reduces its encoding.
    public mutating func reduce(key: Key, values: ReduceValues<Value>, context: inout ReduceContext) throws {
        var encoded = ByteWriter()
        key.encodeKey(to: &encoded)
        try self.reduce(rawKey: encoded.bytes, values: values, context: &context)
    }
}
