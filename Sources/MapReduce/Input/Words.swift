/// A word: a maximal run of Unicode letters, as UTF-8 bytes in the line.
///
/// Valid only during the `map` call whose line it came from. Its bytes are
/// always valid UTF-8.
public struct Word {
    /// The word's UTF-8 bytes.
    public let bytes: UnsafeRawBufferPointer
    /// How many bytes from the word's start belong to the line (at least the
    /// word's length), so that a key can be loaded a word at a time.
    @usableFromInline let readable: Int

    @usableFromInline init(bytes: UnsafeRawBufferPointer, readable: Int) {
        self.bytes = bytes
        self.readable = readable
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
///
/// ASCII bytes are classified eight at a time (see `ASCIILetters`); a byte
/// of 0x80 or more is decoded as UTF-8 and looked up in the Unicode tables.
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
        var position = self.skip(base, from: self.position, letters: false)
        guard position < self.count else {
            self.position = position
            return nil
        }
        let start = position
        position = self.skip(base, from: position, letters: true)
        self.position = position
        return Word(bytes: UnsafeRawBufferPointer(start: base + start, count: position &- start), readable: self.count &- start)
    }

    /// The position of the first scalar at or after `position` that is a
    /// letter (when `letters` is false) or is not one (when it is true), or the end.
    @inlinable @inline(__always) func skip(_ base: UnsafePointer<UInt8>, from start: Int, letters: Bool) -> Int {
        var position = start
        while position < self.count {
            if self.count &- position >= 8 {
                let word = UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self)
                let stops = letters ? ASCIILetters.notLetters(word) : ASCIILetters.lettersOrNonASCII(word)
                if stops == 0 {
                    position &+= 8
                    continue
                }
                position &+= ASCIILetters.firstByte(of: stops)
            }
            let byte = base[position]
            if byte < 0x80 {
                if Words.isASCIILetter(byte) == !letters { break }
                position &+= 1
            } else {
                let (isLetter, length) = UnicodeLetters.classify(base + position, available: self.count &- position)
                if isLetter == !letters { break }
                position &+= length
            }
        }
        return position
    }

    @inlinable @inline(__always) static func isASCIILetter(_ byte: UInt8) -> Bool {
        (byte | 0x20) &- UInt8(ascii: "a") < 26
    }
}
