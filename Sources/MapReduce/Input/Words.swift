/// A word: a maximal run of Unicode letters, as UTF-8 bytes in the line.
///
/// Non-escapable, as the line it came from. Its bytes are always valid UTF-8.
public struct Word: ~Escapable {
    /// The word's UTF-8 bytes in the reader's buffer.
    @usableFromInline let base: UnsafeRawBufferPointer
    /// How many bytes from the word's start belong to the line (at least the
    /// word's length), so that a key can be loaded a word at a time.
    @usableFromInline let readable: Int

    @_lifetime(borrow base)
    @usableFromInline init(base: UnsafeRawBufferPointer, readable: Int) {
        self.base = base
        self.readable = readable
    }

    /// The word's UTF-8 bytes.
    public var bytes: Span<UInt8> {
        @_lifetime(copy self)
        @inlinable get { _overrideLifetime(self.base.assumingMemoryBound(to: UInt8.self).span, copying: self) }
    }

    /// The word as a `String`.
    public var string: String { String(decoding: self.base, as: UTF8.self) }
}

/// The words of a run of bytes.
///
/// A word is a maximal run of Unicode scalars whose General Category is a
/// letter (Lu, Ll, Lt, Lm, Lo), case kept; every other scalar and every
/// byte that is not part of valid UTF-8 separates words. This is Go's
/// `unicode.IsLetter` rule; on ASCII text it is `[A-Za-z]+`.
///
/// ASCII text is read 64 bytes at a time into a mask of its letters (see
/// `ASCIILetters`), and words are the runs of set bits. From the first
/// block with a byte of 0x80 or more on, bytes are classified one scalar
/// at a time: ASCII eight bytes at once, others decoded as UTF-8 and looked
/// up in the Unicode tables.
///
/// Non-escapable, as the line it reads: iterate with `forEach` or with
/// `while let word = words.next()`.
public struct Words: ~Escapable {
    @usableFromInline let base: UnsafePointer<UInt8>?
    @usableFromInline let count: Int
    /// The start of the block `letters` describes.
    @usableFromInline var blockStart = -64
    /// Bit i is set when byte `blockStart + i` is an ASCII letter of a word not returned yet.
    @usableFromInline var letters: UInt64 = 0
    /// Where the scalar way goes on, once a block outside ASCII is met; negative before.
    @usableFromInline var position = -1

    @_lifetime(borrow bytes)
    @inlinable init(_ bytes: UnsafeRawBufferPointer) {
        self.base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self)
        self.count = bytes.count
    }

    /// The words of `bytes`.
    @_lifetime(copy bytes)
    @inlinable public init(_ bytes: Span<UInt8>) {
        let base = bytes.withUnsafeBufferPointer { UnsafeRawBufferPointer($0) }
        self = _overrideLifetime(Words(base), copying: bytes)
    }

    /// Calls `body` with each word in turn.
    @inlinable public consuming func forEach<E: Error>(_ body: (Word) throws(E) -> Void) throws(E) {
        while let word = self.next() { try body(word) }
    }

    /// The next word; nil after the last.
    @_lifetime(copy self)
    @inlinable public mutating func next() -> Word? {
        guard let base = self.base else { return nil }
        if self.position >= 0 { return self.nextByScalars(base) }
        while self.letters == 0 {
            self.blockStart &+= 64
            guard self.blockStart < self.count else { return nil }
            guard let letters = self.asciiLetters(base, at: self.blockStart) else {
                self.position = self.blockStart
                return self.nextByScalars(base)
            }
            self.letters = letters
        }
        // The word's first letter in the block, and the first byte after its run of letters.
        let first = self.letters.trailingZeroBitCount
        let start = self.blockStart &+ first
        let end = first &+ (~(self.letters &>> UInt64(first))).trailingZeroBitCount
        if end < 64 {
            self.letters &= ~0 &<< UInt64(end)
            return self.word(base, from: start, to: self.blockStart &+ end)
        }
        // The word runs to the end of the block: follow it into the next ones.
        self.letters = 0
        while true {
            self.blockStart &+= 64
            guard self.blockStart < self.count else { return self.word(base, from: start, to: self.count) }
            guard let letters = self.asciiLetters(base, at: self.blockStart) else {
                self.position = start
                return self.nextByScalars(base)
            }
            let run = (~letters).trailingZeroBitCount
            if run < 64 {
                self.letters = letters & (~0 &<< UInt64(run))
                return self.word(base, from: start, to: self.blockStart &+ run)
            }
        }
    }

    @_lifetime(copy self)
    @inlinable @inline(__always) func word(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Word {
        let word = Word(base: UnsafeRawBufferPointer(start: base + start, count: end &- start), readable: self.count &- start)
        return _overrideLifetime(word, copying: self)
    }

    /// The mask of the ASCII letters among the (up to) 64 bytes at `start`,
    /// or nil if one of them is 0x80 or more.
    @inlinable @inline(__always) func asciiLetters(_ base: UnsafePointer<UInt8>, at start: Int) -> UInt64? {
        #if _endian(little)
        let available = Swift.min(64, self.count &- start)
        var letters: UInt64 = 0
        var high: UInt64 = 0
        var offset = 0
        while offset &+ 8 <= available {
            let word = UnsafeRawPointer(base + (start &+ offset)).loadUnaligned(as: UInt64.self)
            high |= word
            letters |= ASCIILetters.byteMask(ASCIILetters.letters(word)) &<< UInt64(offset)
            offset &+= 8
        }
        if offset < available {
            // The last bytes, zero-padded: zero is no letter.
            var word: UInt64 = 0
            let rest = UnsafeRawBufferPointer(start: base + (start &+ offset), count: available &- offset)
            withUnsafeMutableBytes(of: &word) { $0.copyMemory(from: rest) }
            high |= word
            letters |= ASCIILetters.byteMask(ASCIILetters.letters(word)) &<< UInt64(offset)
        }
        return high & ASCIILetters.highBits == 0 ? letters : nil
        #else
        return nil
        #endif
    }

    /// The next word, classifying one scalar at a time from `position`.
    @_lifetime(copy self)
    @inlinable mutating func nextByScalars(_ base: UnsafePointer<UInt8>) -> Word? {
        var position = self.skip(base, from: self.position, letters: false)
        guard position < self.count else {
            self.position = position
            return nil
        }
        let start = position
        position = self.skip(base, from: position, letters: true)
        self.position = position
        return self.word(base, from: start, to: position)
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
                // An ASCII byte the mask stopped at is what was looked for.
                if base[position] < 0x80 { break }
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
