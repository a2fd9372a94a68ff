/// Reads encoded records from a run of bytes, front to back.
///
/// Every read checks the bounds and throws on truncated data: bytes come
/// from disk and the network, so they are never trusted.
public struct ByteReader {
    /// The bytes being read.
    public let bytes: UnsafeRawBufferPointer
    /// The offset of the next byte to read.
    public private(set) var position: Int = 0

    /// Reads `bytes` from its first byte.
    public init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// Bytes not yet read.
    @inlinable public var remaining: Int { self.bytes.count - self.position }

    /// Whether every byte has been read.
    @inlinable public var isAtEnd: Bool { self.position == self.bytes.count }

    /// Reads one byte.
    public mutating func readByte() throws(RecordDecodingError) -> UInt8 {
        guard self.remaining >= 1 else { throw .truncated(needed: 1, remaining: 0) }
        defer { self.position += 1 }
        return self.bytes[self.position]
    }

    /// Reads an integer stored most significant byte first.
    public mutating func readBigEndian<T: FixedWidthInteger>(as: T.Type = T.self) throws(RecordDecodingError) -> T {
        let size = MemoryLayout<T>.size
        guard self.remaining >= size else { throw .truncated(needed: size, remaining: self.remaining) }
        defer { self.position += size }
        return T(bigEndian: self.bytes.loadUnaligned(fromByteOffset: self.position, as: T.self))
    }

    /// Reads an unsigned LEB128 varint in its shortest form, as
    /// `ByteWriter.appendVarint` writes it; a longer one is invalid.
    public mutating func readVarint() throws(RecordDecodingError) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try self.readByte()
            guard shift < 64, shift < 63 || byte <= 1 else { throw .invalid("varint longer than 64 bits") }
            guard byte != 0 || shift == 0 else { throw .invalid("varint with a needless zero byte") }
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
    }

    /// Reads the next `count` bytes without copying them.
    public mutating func readBytes(_ count: Int) throws(RecordDecodingError) -> UnsafeRawBufferPointer {
        guard count >= 0, self.remaining >= count else { throw .truncated(needed: count, remaining: self.remaining) }
        defer { self.position += count }
        return UnsafeRawBufferPointer(rebasing: self.bytes[self.position..<(self.position + count)])
    }

    /// Reads everything that is left.
    public mutating func readRest() -> UnsafeRawBufferPointer {
        defer { self.position = self.bytes.count }
        return UnsafeRawBufferPointer(rebasing: self.bytes[self.position...])
    }
}
