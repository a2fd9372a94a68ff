/// One line of a text input: its bytes (without `\n` or a trailing `\r`)
/// and its byte offset in its file.
///
/// A line is a view into the reader's buffer and is valid only during the
/// `map` call that receives it; `string` makes a copy that lasts.
public struct Line {
    /// The line's bytes, which need not be UTF-8.
    public let bytes: UnsafeRawBufferPointer
    /// The offset of the line's first byte in its file.
    public let offset: Int64

    @inlinable public init(bytes: UnsafeRawBufferPointer, offset: Int64) {
        self.bytes = bytes
        self.offset = offset
    }

    /// The line as a `String`; invalid UTF-8 becomes U+FFFD.
    public var string: String { String(decoding: self.bytes, as: UTF8.self) }

    /// The words of the line, by the Unicode letter rule (see `Words`).
    @inlinable public var words: Words { Words(self.bytes) }
}
