import Foundation

/// A `Codable` value type that map output values may be made of, encoded as JSON.
///
/// Declare the conformance and nothing else: `extension Stats: JSONValueCodable {}`.
/// JSON is slower and larger than a hand-written `ValueCodable`; use it where
/// convenience matters more than speed.
public protocol JSONValueCodable: ValueCodable, Codable {}

extension JSONValueCodable {
    /// Appends the value as JSON text; infinities and NaN as the strings `+inf`, `-inf` and `nan`.
    public func encodeValue(to writer: inout ByteWriter) {
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "+inf", negativeInfinity: "-inf", nan: "nan")
        // With non-finite floats handled, encoding fails only for a Codable
        // implementation that encodes nothing or twice: a bug in the value type.
        let data = try! encoder.encode(self)
        data.withUnsafeBytes { writer.append($0) }
    }

    /// Decodes the JSON text that `encodeValue(to:)` writes.
    public static func decodeValue(_ bytes: UnsafeRawBufferPointer) throws(RecordDecodingError) -> Self {
        do {
            let decoder = JSONDecoder()
            decoder.nonConformingFloatDecodingStrategy = .convertFromString(
                positiveInfinity: "+inf", negativeInfinity: "-inf", nan: "nan")
            return try decoder.decode(Self.self, from: Data(bytes))
        } catch {
            throw .invalid("JSON value of \(Self.self): \(error)")
        }
    }
}
