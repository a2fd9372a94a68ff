// Integers encode big-endian, signed ones with the sign bit flipped, so
// that the most negative value is all zero bytes and byte order is numeric order.

extension KeyCodable where Self: FixedWidthInteger {
    @inlinable public func encodeKeyComponent(to writer: inout ByteWriter) {
        let signBit: Magnitude = Self.isSigned ? 1 << (Self.bitWidth - 1) : 0
        writer.appendBigEndian(Magnitude(truncatingIfNeeded: self) ^ signBit)
    }

    public static func decodeKeyComponent(from reader: inout ByteReader) throws(RecordDecodingError) -> Self {
        let signBit: Magnitude = Self.isSigned ? 1 << (Self.bitWidth - 1) : 0
        return Self(truncatingIfNeeded: try reader.readBigEndian(as: Magnitude.self) ^ signBit)
    }
}

extension Int: KeyCodable {}
extension Int8: KeyCodable {}
extension Int16: KeyCodable {}
extension Int32: KeyCodable {}
extension Int64: KeyCodable {}
extension UInt: KeyCodable {}
extension UInt8: KeyCodable {}
extension UInt16: KeyCodable {}
extension UInt32: KeyCodable {}
extension UInt64: KeyCodable {}

extension Bool: KeyCodable {
    @inlinable public func encodeKeyComponent(to writer: inout ByteWriter) {
        writer.append(self ? 1 : 0)
    }

    public static func decodeKeyComponent(from reader: inout ByteReader) throws(RecordDecodingError) -> Bool {
        switch try reader.readByte() {
        case 0: return false
        case 1: return true
        case let byte: throw .invalid("byte \(byte) is not a Bool")
        }
    }
}
