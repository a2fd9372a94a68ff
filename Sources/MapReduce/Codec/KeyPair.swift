/// A composite key of two keys, ordered by the first, then the second.
///
/// Nest pairs for more parts: `KeyPair<String, KeyPair<Int, Double>>`.
/// The encoding is the first part's component encoding followed by the
/// second's key encoding, so the pair sorts as the tuple would.
public struct KeyPair<First: KeyCodable, Second: KeyCodable>: KeyCodable {
    public var first: First
    public var second: Second

    public init(_ first: First, _ second: Second) {
        self.first = first
        self.second = second
    }

    @inlinable public func encodeKey(to writer: inout ByteWriter) {
        self.first.encodeKeyComponent(to: &writer)
        self.second.encodeKey(to: &writer)
    }

    public static func decodeKey(_ bytes: UnsafeRawBufferPointer) throws(RecordDecodingError) -> Self {
        var reader = ByteReader(bytes)
        let first = try First.decodeKeyComponent(from: &reader)
        return Self(first, try Second.decodeKey(reader.readRest()))
    }

    @inlinable public func encodeKeyComponent(to writer: inout ByteWriter) {
        self.first.encodeKeyComponent(to: &writer)
        self.second.encodeKeyComponent(to: &writer)
    }

    public static func decodeKeyComponent(from reader: inout ByteReader) throws(RecordDecodingError) -> Self {
        let first = try First.decodeKeyComponent(from: &reader)
        return Self(first, try Second.decodeKeyComponent(from: &reader))
    }

    public static func skipKeyComponent(in reader: inout ByteReader) throws(RecordDecodingError) {
        try First.skipKeyComponent(in: &reader)
        try Second.skipKeyComponent(in: &reader)
    }
}

extension KeyPair: Equatable where First: Equatable, Second: Equatable {}
extension KeyPair: Hashable where First: Hashable, Second: Hashable {}
extension KeyPair: Sendable where First: Sendable, Second: Sendable {}

extension KeyPair: Comparable where First: Comparable, Second: Comparable {
    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.first, lhs.second) < (rhs.first, rhs.second)
    }
}
