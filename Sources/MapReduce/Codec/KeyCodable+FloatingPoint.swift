// Floating-point keys follow IEEE 754 totalOrder: -NaN < -inf < ... < -0 <
// +0 < ... < +inf < +NaN. A negative number has all its bits flipped, a
// positive one only its sign bit, so byte order is that order.

extension Double: KeyCodable {
    /// Appends the bit pattern big-endian, rearranged so that byte order is totalOrder.
    @inlinable public func encodeKeyComponent(to writer: inout ByteWriter) {
        let bits = self.bitPattern
        writer.appendBigEndian(bits & (1 << 63) != 0 ? ~bits : bits | (1 << 63))
    }

    /// Reads the 8 bytes that `encodeKeyComponent(to:)` writes.
    public static func decodeKeyComponent(from reader: inout ByteReader) throws(RecordDecodingError) -> Double {
        let bits = try reader.readBigEndian(as: UInt64.self)
        return Double(bitPattern: bits & (1 << 63) != 0 ? bits & ~(1 << 63) : ~bits)
    }
}

extension Float: KeyCodable {
    /// Appends the bit pattern big-endian, rearranged so that byte order is totalOrder.
    @inlinable public func encodeKeyComponent(to writer: inout ByteWriter) {
        let bits = self.bitPattern
        writer.appendBigEndian(bits & (1 << 31) != 0 ? ~bits : bits | (1 << 31))
    }

    /// Reads the 4 bytes that `encodeKeyComponent(to:)` writes.
    public static func decodeKeyComponent(from reader: inout ByteReader) throws(RecordDecodingError) -> Float {
        let bits = try reader.readBigEndian(as: UInt32.self)
        return Float(bitPattern: bits & (1 << 31) != 0 ? bits & ~(1 << 31) : ~bits)
    }
}
