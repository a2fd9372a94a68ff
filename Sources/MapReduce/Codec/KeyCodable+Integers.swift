// Integers encode big-endian, signed ones with the sign bit flipped, so
// that the most negative value is all zero bytes and byte order is numeric order.

extension KeyCodable where Self: FixedWidthInteger {
    /// Appends the integer big-endian, the sign bit flipped if signed.
    @inlinable public func encodeKeyComponent(to writer: inout ByteWriter) {
        let signBit: Magnitude = Self.isSigned ? 1 << (Self.bitWidth - 1) : 0
        writer.appendBigEndian(Magnitude(truncatingIfNeeded: self) ^ signBit)
    }

    /// Reads the bytes that `encodeKeyComponent(to:)` writes.
    public static func decodeKeyComponent(from reader: inout ByteReader) throws(RecordDecodingError) -> Self {
        let signBit: Magnitude = Self.isSigned ? 1 << (Self.bitWidth - 1) : 0
        return Self(truncatingIfNeeded: try reader.readBigEndian(as: Magnitude.self) ^ signBit)
    }
}

// As values, integers need no order: they are varints in their shortest
// form, signed ones zigzag-encoded (0, -1, 1, -2, ... as 0, 1, 2, 3, ...),
// so a count of 1 takes one byte rather than eight.
extension KeyCodable where Self: FixedWidthInteger {
    /// Appends the integer as a varint, zigzag-encoded if signed.
    @inlinable public func encodeValue(to writer: inout ByteWriter) {
        writer.appendVarint(self.varintNumber)
    }

    /// The length of the varint, counted without encoding it.
    @inlinable public func encodedValueCount(scratch: inout ByteWriter) -> Int {
        ByteWriter.varintCount(self.varintNumber)
    }

    /// The number a value is written as: itself, or its zigzag number if signed.
    @inlinable var varintNumber: UInt64 {
        let bits = UInt64(truncatingIfNeeded: Magnitude(truncatingIfNeeded: self))
        guard Self.isSigned else { return bits }
        // The sign, spread over every bit of the value's width, then moved to bit 0.
        let width = UInt64.max >> (64 - Self.bitWidth)
        return ((bits << 1) & width) ^ (self < 0 ? width : 0)
    }

    /// Decodes one varint that fills `bytes` and fits the type.
    public static func decodeValue(_ bytes: UnsafeRawBufferPointer) throws(RecordDecodingError) -> Self {
        var reader = ByteReader(bytes)
        let raw = try reader.readVarint()
        guard reader.isAtEnd else { throw .invalid("\(reader.remaining) bytes after a \(Self.self) value") }
        guard raw <= UInt64(truncatingIfNeeded: Magnitude.max) else { throw .invalid("varint \(raw) too large for \(Self.self)") }
        let magnitude = Magnitude(truncatingIfNeeded: Self.isSigned ? (raw >> 1) ^ (0 &- (raw & 1)) : raw)
        return Self(truncatingIfNeeded: magnitude)
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
    /// Appends one byte: 0 for `false`, 1 for `true`.
    @inlinable public func encodeKeyComponent(to writer: inout ByteWriter) {
        writer.append(self ? 1 : 0)
    }

    /// Reads one byte, 0 or 1; any other throws.
    public static func decodeKeyComponent(from reader: inout ByteReader) throws(RecordDecodingError) -> Bool {
        switch try reader.readByte() {
        case 0: return false
        case 1: return true
        case let byte: throw .invalid("byte \(byte) is not a Bool")
        }
    }
}
