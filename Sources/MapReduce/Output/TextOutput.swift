/// A type that can stand in an output line, written as text.
public protocol TextOutput {
    /// Appends the text of `self`, UTF-8 encoded.
    func writeText(to writer: inout ByteWriter)
}

extension TextOutput where Self: CustomStringConvertible {
    /// Appends `description`, UTF-8 encoded.
    public func writeText(to writer: inout ByteWriter) {
        var text = self.description
        text.withUTF8 { writer.append(UnsafeRawBufferPointer($0)) }
    }
}

extension String: TextOutput {
    /// Appends the string's UTF-8.
    public func writeText(to writer: inout ByteWriter) {
        var copy = self
        copy.withUTF8 { writer.append(UnsafeRawBufferPointer($0)) }
    }
}

extension Substring: TextOutput {}
extension Int: TextOutput {}
extension Int8: TextOutput {}
extension Int16: TextOutput {}
extension Int32: TextOutput {}
extension Int64: TextOutput {}
extension UInt: TextOutput {}
extension UInt8: TextOutput {}
extension UInt16: TextOutput {}
extension UInt32: TextOutput {}
extension UInt64: TextOutput {}
extension Double: TextOutput {}
extension Float: TextOutput {}
extension Bool: TextOutput {}

extension Bytes: TextOutput {
    /// Writes the raw bytes.
    public func writeText(to writer: inout ByteWriter) {
        self.storage.withUnsafeBytes { writer.append($0) }
    }
}

extension KeyPair: TextOutput where First: TextOutput, Second: TextOutput {
    /// Writes the two parts separated by a tab.
    public func writeText(to writer: inout ByteWriter) {
        self.first.writeText(to: &writer)
        writer.append(UInt8(ascii: "\t"))
        self.second.writeText(to: &writer)
    }
}
