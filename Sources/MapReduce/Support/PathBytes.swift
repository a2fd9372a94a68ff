/// File names are bytes; paths in this framework are `String`s that keep them exactly.
///
/// A name's valid UTF-8 is its `String` as usual. Every other byte `b` (which is
/// 0x80 or more) becomes the scalar U+10FE00 + `b`, from a private-use plane no
/// file name uses, and so do the bytes of such a scalar if one really occurs in a
/// name; turning the `String` back into bytes reverses it. A path so made travels
/// through `String` APIs, JSON and the wire protocol unchanged, and opens the file
/// it came from. (Python's `surrogateescape` does the same with lone surrogates,
/// which a Swift `String` cannot hold.)
public enum PathBytes {
    /// The first of the 128 scalars that stand for bytes 0x80 to 0xFF.
    static let escapeBase: UInt32 = 0x10FE00

    /// The path whose bytes are `bytes`.
    public static func string(from bytes: some Collection<UInt8>) -> String {
        let bytes = Array(bytes)
        var scalars = String.UnicodeScalarView()
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            let length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 0
            if length > 0, index + length <= bytes.count,
                let decoded = String(validating: bytes[index..<(index + length)], as: UTF8.self),
                let scalar = decoded.unicodeScalars.first, !Self.isEscape(scalar)
            {
                scalars.append(scalar)
                index += length
            } else {
                scalars.append(Unicode.Scalar(Self.escapeBase + UInt32(lead))!)
                index += 1
            }
        }
        return String(scalars)
    }

    /// The bytes of `path`.
    public static func bytes(of path: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(path.utf8.count)
        for scalar in path.unicodeScalars {
            if Self.isEscape(scalar) {
                bytes.append(UInt8(scalar.value - Self.escapeBase))
            } else {
                bytes += Array(String(scalar).utf8)
            }
        }
        return bytes
    }

    /// `path` as the NUL-terminated bytes the system takes.
    public static func cString(_ path: String) -> [CChar] {
        Self.bytes(of: path).map { CChar(bitPattern: $0) } + [0]
    }

    /// Calls `body` with `path` as the NUL-terminated bytes the system takes.
    public static func withCString<R, E: Error>(_ path: String, _ body: (UnsafePointer<CChar>) throws(E) -> R) throws(E) -> R {
        try Self.cString(path).withUnsafeBufferPointer { (pointer) throws(E) -> R in try body(pointer.baseAddress!) }
    }

    /// `path` for a message: each byte that is not UTF-8 shown as `\xHH`.
    public static func display(_ path: String) -> String {
        path.unicodeScalars.map { scalar in
            guard Self.isEscape(scalar) else { return String(scalar) }
            let byte = String(scalar.value - Self.escapeBase, radix: 16, uppercase: true)
            return "\\x\(byte)"
        }.joined()
    }

    /// Whether `scalar` stands for a byte: U+10FE80 to U+10FEFF.
    static func isEscape(_ scalar: Unicode.Scalar) -> Bool {
        (Self.escapeBase + 0x80...Self.escapeBase + 0xFF).contains(scalar.value)
    }
}
