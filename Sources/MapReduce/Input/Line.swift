/// One line of a text input: its bytes (without `\n` or a trailing `\r`)
/// and its byte offset in its file.
///
/// A line is a view into the reader's buffer: it is non-escapable, so the
/// compiler does not let a mapper keep it (or its `bytes`, or its words)
/// past the `map` call that receives it. `string` makes a copy that lasts.
public struct Line: ~Escapable {
    /// The line's bytes in the reader's buffer.
    @usableFromInline let base: UnsafeRawBufferPointer
    /// The offset of the line's first byte in its file.
    public let offset: Int64

    @_lifetime(borrow base)
    @inlinable init(base: UnsafeRawBufferPointer, offset: Int64) {
        self.base = base
        self.offset = offset
    }

    /// The line's bytes, which need not be UTF-8.
    public var bytes: Span<UInt8> {
        @_lifetime(copy self)
        @inlinable get { _overrideLifetime(self.base.assumingMemoryBound(to: UInt8.self).span, copying: self) }
    }

    /// The line as a `String`, for convenience. Lossy: invalid UTF-8 becomes U+FFFD, so
    /// lines that differ only there compare equal. Key on `text` or `fields()` (`Bytes`)
    /// to keep the bytes exact.
    public var string: String { String(decoding: self.base, as: UTF8.self) }

    /// The words of the line, by the Unicode letter rule (see `Words`).
    public var words: Words {
        @_lifetime(copy self)
        @inlinable get { _overrideLifetime(Words(self.base), copying: self) }
    }
}
