/// A type that map output values are made of: it encodes to bytes and back.
///
/// Values need no order. Every `KeyCodable` type is also a value; for a
/// `Codable` type of your own, conform to `JSONValueCodable` instead of
/// writing the two methods.
public protocol ValueCodable: SendableMetatype {
    /// Appends the encoding of `self`.
    func encodeValue(to writer: inout ByteWriter)
    /// Decodes a value from the whole of `bytes`.
    static func decodeValue(_ bytes: UnsafeRawBufferPointer) throws(RecordDecodingError) -> Self
    /// The number of bytes `encodeValue` appends, for the output byte
    /// counters. The default encodes the value into `scratch` to count them.
    func encodedValueCount(scratch: inout ByteWriter) -> Int
}

extension ValueCodable {
    /// Encodes the value into `scratch` and counts the bytes.
    @inlinable public func encodedValueCount(scratch: inout ByteWriter) -> Int {
        scratch.removeAll()
        self.encodeValue(to: &scratch)
        return scratch.count
    }
}
