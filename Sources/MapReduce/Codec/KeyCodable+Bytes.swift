// Keys of varying length (String, Bytes): the key encoding is the raw bytes;
// the component encoding escapes each 0x00 as 0x00 0x01 and ends with
// 0x00 0x00, which keeps byte order and lets a component end anywhere.

@usableFromInline enum EscapedBytes {
    @inlinable static func encode(_ bytes: UnsafeRawBufferPointer, to writer: inout ByteWriter) {
        for byte in bytes {
            writer.append(byte)
            if byte == 0 { writer.append(1) }
        }
        writer.append(0)
        writer.append(0)
    }

    /// Moves `reader` past one escaped run without copying it.
    static func skip(in reader: inout ByteReader) throws(RecordDecodingError) {
        while true {
            guard try reader.readByte() == 0 else { continue }
            switch try reader.readByte() {
            case 0: return
            case 1: continue
            case let next: throw .invalid("byte 0x00 followed by \(next) in an escaped string")
            }
        }
    }

    static func decode(from reader: inout ByteReader) throws(RecordDecodingError) -> [UInt8] {
        var result: [UInt8] = []
        while true {
            let byte = try reader.readByte()
            if byte != 0 {
                result.append(byte)
                continue
            }
            switch try reader.readByte() {
            case 0: return result
            case 1: result.append(0)
            case let next: throw .invalid("byte 0x00 followed by \(next) in an escaped string")
            }
        }
    }
}

/// Raw bytes as a key or value, ordered as `memcmp` orders them.
public struct Bytes: Hashable, Sendable, Comparable, KeyCodable {
    /// The bytes.
    public var storage: [UInt8]

    /// Wraps `storage`.
    public init(_ storage: [UInt8]) {
        self.storage = storage
    }

    /// Copies `bytes`.
    public init(_ bytes: UnsafeRawBufferPointer) {
        self.storage = Array(bytes)
    }

    /// Orders as `memcmp` does, a proper prefix first.
    public static func < (lhs: Bytes, rhs: Bytes) -> Bool {
        lhs.storage.lexicographicallyPrecedes(rhs.storage)
    }

    /// Appends the bytes as they are.
    @inlinable public func encodeKey(to writer: inout ByteWriter) {
        self.storage.withUnsafeBytes { writer.append($0) }
    }

    /// Copies the whole of `bytes`.
    public static func decodeKey(_ bytes: UnsafeRawBufferPointer) -> Bytes {
        Bytes(bytes)
    }

    /// Appends the bytes with each 0x00 escaped as 0x00 0x01, ended by 0x00 0x00.
    @inlinable public func encodeKeyComponent(to writer: inout ByteWriter) {
        self.storage.withUnsafeBytes { EscapedBytes.encode($0, to: &writer) }
    }

    /// Reads one escaped run.
    public static func decodeKeyComponent(from reader: inout ByteReader) throws(RecordDecodingError) -> Bytes {
        Bytes(try EscapedBytes.decode(from: &reader))
    }

    /// Moves past one escaped run without copying it.
    public static func skipKeyComponent(in reader: inout ByteReader) throws(RecordDecodingError) {
        try EscapedBytes.skip(in: &reader)
    }
}

/// Strings order by the bytes of their UTF-8 encoding, which is also the
/// order of their Unicode scalar values (not Swift's `<`, which compares
/// canonically equivalent strings as equal).
extension String: KeyCodable {
    /// Appends the string's UTF-8 as it is.
    @inlinable public func encodeKey(to writer: inout ByteWriter) {
        var copy = self
        copy.withUTF8 { writer.append(UnsafeRawBufferPointer($0)) }
    }

    /// Decodes the whole of `bytes` as UTF-8; bytes that are not UTF-8 throw.
    public static func decodeKey(_ bytes: UnsafeRawBufferPointer) throws(RecordDecodingError) -> String {
        guard let string = String(validating: bytes, as: UTF8.self) else { throw .invalid("a String key is not UTF-8") }
        return string
    }

    /// Appends the string's UTF-8 with each 0x00 escaped as 0x00 0x01, ended by 0x00 0x00.
    @inlinable public func encodeKeyComponent(to writer: inout ByteWriter) {
        var copy = self
        copy.withUTF8 { EscapedBytes.encode(UnsafeRawBufferPointer($0), to: &writer) }
    }

    /// Reads one escaped run as UTF-8.
    public static func decodeKeyComponent(from reader: inout ByteReader) throws(RecordDecodingError) -> String {
        let bytes = try EscapedBytes.decode(from: &reader)
        guard let string = String(validating: bytes, as: UTF8.self) else { throw .invalid("a String key is not UTF-8") }
        return string
    }

    /// Moves past one escaped run without copying it.
    public static func skipKeyComponent(in reader: inout ByteReader) throws(RecordDecodingError) {
        try EscapedBytes.skip(in: &reader)
    }
}
