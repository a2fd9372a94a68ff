/// A word: a maximal run of Unicode letters, as UTF-8 bytes in the line.
///
/// Valid only during the `map` call whose line it came from. Its bytes are
/// always valid UTF-8.
public struct Word {
    /// The word's UTF-8 bytes.
    public let bytes: UnsafeRawBufferPointer

    @usableFromInline init(bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// The word as a `String`.
    public var string: String { String(decoding: self.bytes, as: UTF8.self) }
}

/// The words of a run of bytes.
///
/// A word is a maximal run of Unicode scalars whose General Category is a
/// letter (Lu, Ll, Lt, Lm, Lo), case kept; every other scalar and every
/// byte that is not part of valid UTF-8 separates words. This is Go's
/// `unicode.IsLetter` rule; on ASCII text it is `[A-Za-z]+`.
public struct Words: Sequence, IteratorProtocol {
    @usableFromInline let base: UnsafePointer<UInt8>?
    @usableFromInline let count: Int
    @usableFromInline var position = 0

    @inlinable public init(_ bytes: UnsafeRawBufferPointer) {
        self.base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self)
        self.count = bytes.count
    }

    @inlinable public mutating func next() -> Word? {
        guard let base = self.base else { return nil }
        var position = self.position
        // Skip separators.
        while position < self.count {
            let byte = base[position]
            if byte < 0x80 {
                if Words.isASCIILetter(byte) { break }
                position &+= 1
            } else {
                let (isLetter, length) = UnicodeLetters.classify(base + position, available: self.count &- position)
                if isLetter { break }
                position &+= length
            }
        }
        guard position < self.count else {
            self.position = position
            return nil
        }
        let start = position
        // Take letters.
        while position < self.count {
            let byte = base[position]
            if byte < 0x80 {
                if !Words.isASCIILetter(byte) { break }
                position &+= 1
            } else {
                let (isLetter, length) = UnicodeLetters.classify(base + position, available: self.count &- position)
                if !isLetter { break }
                position &+= length
            }
        }
        self.position = position
        return Word(bytes: UnsafeRawBufferPointer(start: base + start, count: position &- start))
    }

    @inlinable @inline(__always) static func isASCIILetter(_ byte: UInt8) -> Bool {
        (byte | 0x20) &- UInt8(ascii: "a") < 26
    }
}
