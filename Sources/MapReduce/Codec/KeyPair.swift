/// A composite key of two keys, ordered by the first, then the second.
///
/// Nest pairs for more parts: `KeyPair<String, KeyPair<Int, Double>>`.
/// The encoding is the first part's component encoding followed by the
/// second's key encoding, so the pair sorts as the tuple would.
public struct KeyPair<First: KeyCodable, Second: KeyCodable>: KeyCodable {
    /// The first part, which orders first.
    public var first: First
    /// The second part, which orders keys with equal first parts.
    public var second: Second

    /// Makes the pair of `first` and `second`.
    public init(_ first: First, _ second: Second) {
        self.first = first
        self.second = second
    }

    /// Appends the first part's component encoding, then the second's key encoding.
    @inlinable public func encodeKey(to writer: inout ByteWriter) {
        self.first.encodeKeyComponent(to: &writer)
        self.second.encodeKey(to: &writer)
    }

    /// Decodes the first part's component, then the rest as the second's key.
    public static func decodeKey(_ bytes: UnsafeRawBufferPointer) throws(RecordDecodingError) -> Self {
        var reader = ByteReader(bytes)
        let first = try First.decodeKeyComponent(from: &reader)
        return Self(first, try Second.decodeKey(reader.readRest()))
    }

    /// Appends both parts' component encodings.
    @inlinable public func encodeKeyComponent(to writer: inout ByteWriter) {
        self.first.encodeKeyComponent(to: &writer)
        self.second.encodeKeyComponent(to: &writer)
    }

    /// Reads both parts' component encodings.
    public static func decodeKeyComponent(from reader: inout ByteReader) throws(RecordDecodingError) -> Self {
        let first = try First.decodeKeyComponent(from: &reader)
        return Self(first, try Second.decodeKeyComponent(from: &reader))
    }

    /// Moves past both parts' component encodings.
    public static func skipKeyComponent(in reader: inout ByteReader) throws(RecordDecodingError) {
        try First.skipKeyComponent(in: &reader)
        try Second.skipKeyComponent(in: &reader)
    }
}

extension KeyPair: Equatable where First: Equatable, Second: Equatable {}
extension KeyPair: Hashable where First: Hashable, Second: Hashable {}
extension KeyPair: Sendable where First: Sendable, Second: Sendable {}

extension KeyPair: Comparable where First: Comparable, Second: Comparable {
    /// Orders by the first part, then the second.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.first, lhs.second) < (rhs.first, rhs.second)
    }
}
