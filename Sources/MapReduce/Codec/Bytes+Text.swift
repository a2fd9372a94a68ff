/// `Bytes` as byte-exact text: what a job keys and writes when the text it reads
/// need not be UTF-8. Sorting, hashing, grouping and output are on the bytes, so
/// `caf\xE9` and `caf\xE8` stay two keys and print as they came; a `String` would
/// turn both into `caf\u{FFFD}`.
extension Bytes: ExpressibleByStringLiteral, CustomStringConvertible {
    /// The UTF-8 bytes of `text`.
    public init(stringLiteral text: String) {
        self.init(Array(text.utf8))
    }

    /// The UTF-8 bytes of `text`.
    public init(utf8 text: some StringProtocol) {
        self.init(Array(text.utf8))
    }

    /// A copy of the bytes `span` views.
    public init(_ span: Span<UInt8>) {
        self.init(span.withUnsafeBufferPointer { Array($0) })
    }

    /// The bytes as a `String`, for display: invalid UTF-8 becomes U+FFFD, so two
    /// different `Bytes` may print alike.
    public var description: String { String(decoding: self.storage, as: UTF8.self) }

    /// Whether there are no bytes.
    public var isEmpty: Bool { self.storage.isEmpty }

    /// The runs of bytes between `separator`s, at most `maxSplits` of them cut (the last
    /// run keeps the rest), empty ones included (as `cut` sees fields) unless `omittingEmpty`.
    public func split(separator: UInt8, maxSplits: Int = .max, omittingEmpty: Bool = false) -> [Bytes] {
        self.storage.split(separator: separator, maxSplits: maxSplits, omittingEmptySubsequences: omittingEmpty).map { Bytes(Array($0)) }
    }
}

extension Sequence where Element == Bytes {
    /// The elements one after another, with `separator` between each two.
    public func joined(separator: UInt8) -> Bytes {
        var joined: [UInt8] = []
        for (index, element) in self.enumerated() {
            if index > 0 { joined.append(separator) }
            joined += element.storage
        }
        return Bytes(joined)
    }
}

extension Line {
    /// A copy of the line's bytes, byte for byte.
    public var text: Bytes { Bytes(self.base) }

    /// The line's fields between `separator`s (a tab by default), empty ones included,
    /// byte for byte; with `maxSplits`, the last field keeps the rest of the line.
    public func fields(separatedBy separator: UInt8 = UInt8(ascii: "\t"), maxSplits: Int = .max) -> [Bytes] {
        self.base.split(separator: separator, maxSplits: maxSplits, omittingEmptySubsequences: false).map { Bytes(Array($0)) }
    }
}
