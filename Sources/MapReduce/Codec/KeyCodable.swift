/// A type that map output keys are made of.
///
/// The encoding preserves order: for keys `a` and `b`, `a < b` exactly when
/// the bytes of `a`'s encoding sort before those of `b` (unsigned bytes,
/// as `memcmp` compares them, a proper prefix first). Sort, merge and
/// grouping compare encodings and never decode.
///
/// A key has two encodings. Its *component* encoding is self-delimiting,
/// for keys inside composite keys such as `KeyPair`; its *key* encoding
/// stands alone and may run to the end of the bytes. They are the same
/// except for types of varying length (`String`, `Bytes`), whose key
/// encoding is the raw bytes.
public protocol KeyCodable: ValueCodable {
    /// Appends the self-delimiting, order-preserving encoding of `self`.
    func encodeKeyComponent(to writer: inout ByteWriter)
    /// Reads one component encoding from `reader`.
    static func decodeKeyComponent(from reader: inout ByteReader) throws(RecordDecodingError) -> Self
    /// Moves `reader` past one component encoding; by default by decoding it.
    static func skipKeyComponent(in reader: inout ByteReader) throws(RecordDecodingError)
    /// Appends the stand-alone, order-preserving encoding of `self`.
    func encodeKey(to writer: inout ByteWriter)
    /// Decodes a key from the whole of `bytes`.
    static func decodeKey(_ bytes: UnsafeRawBufferPointer) throws(RecordDecodingError) -> Self
}

extension KeyCodable {
    /// Decodes one component and drops it.
    public static func skipKeyComponent(in reader: inout ByteReader) throws(RecordDecodingError) {
        _ = try Self.decodeKeyComponent(from: &reader)
    }

    /// Appends the component encoding.
    @inlinable public func encodeKey(to writer: inout ByteWriter) {
        self.encodeKeyComponent(to: &writer)
    }

    /// Decodes one component, which must fill `bytes`.
    public static func decodeKey(_ bytes: UnsafeRawBufferPointer) throws(RecordDecodingError) -> Self {
        var reader = ByteReader(bytes)
        let key = try Self.decodeKeyComponent(from: &reader)
        guard reader.isAtEnd else { throw .invalid("\(reader.remaining) bytes after a \(Self.self) key") }
        return key
    }

    /// Appends the key encoding: a key's value encoding is its key encoding.
    @inlinable public func encodeValue(to writer: inout ByteWriter) {
        self.encodeKey(to: &writer)
    }

    /// Decodes the key encoding.
    public static func decodeValue(_ bytes: UnsafeRawBufferPointer) throws(RecordDecodingError) -> Self {
        try Self.decodeKey(bytes)
    }
}
