import NIOCore

/// Writes JSON into a buffer, without Foundation, for the message the master sends
/// once per map attempt (`runMap`); what it writes `JSONDecoder` reads back as it was.
struct JSONWriter {
    var buffer: ByteBuffer

    /// Writes an object whose fields `body` writes, each with `field`.
    mutating func object(_ body: (inout JSONWriter) -> Void) {
        self.buffer.writeInteger(UInt8(ascii: "{"))
        body(&self)
        self.buffer.writeInteger(UInt8(ascii: "}"))
    }

    /// Writes a key (after a comma unless it is the object's first), its value by `value`.
    mutating func field(_ key: StaticString, first: Bool = false, _ value: (inout JSONWriter) -> Void) {
        if !first { self.buffer.writeInteger(UInt8(ascii: ",")) }
        self.buffer.writeInteger(UInt8(ascii: "\""))
        self.buffer.writeStaticString(key)
        self.buffer.writeStaticString("\":")
        value(&self)
    }

    /// Writes an array of `elements`, each by `element`.
    mutating func array<C: Collection>(_ elements: C, _ element: (inout JSONWriter, C.Element) -> Void) {
        self.buffer.writeInteger(UInt8(ascii: "["))
        for (index, value) in elements.enumerated() {
            if index > 0 { self.buffer.writeInteger(UInt8(ascii: ",")) }
            element(&self, value)
        }
        self.buffer.writeInteger(UInt8(ascii: "]"))
    }

    mutating func integer(_ value: some BinaryInteger) {
        self.buffer.writeString(String(value))
    }

    /// Writes a string, escaping quotes, backslashes and control characters.
    mutating func string(_ value: String) {
        self.buffer.writeInteger(UInt8(ascii: "\""))
        defer { self.buffer.writeInteger(UInt8(ascii: "\"")) }
        guard value.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else {
            self.buffer.writeString(value)
            return
        }
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                self.buffer.writeInteger(UInt8(ascii: "\\"))
                self.buffer.writeInteger(byte)
            case 0..<0x20:
                self.buffer.writeStaticString("\\u00")
                self.buffer.writeInteger(Self.hexDigits[Int(byte >> 4)])
                self.buffer.writeInteger(Self.hexDigits[Int(byte & 0xF)])
            default:
                self.buffer.writeInteger(byte)
            }
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}
