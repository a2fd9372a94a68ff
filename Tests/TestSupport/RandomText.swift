/// Seeded random text that exercises the input and word rules: ASCII and
/// non-ASCII words, digits and punctuation, CRLF line ends, empty and long
/// lines, invalid UTF-8, and sometimes no final newline.
public struct RandomText {
    private var random: SeededRandom
    private static let words = [
        "the", "The", "THE", "of", "and", "a", "to", "in", "is", "you", "that", "it", "word", "count",
        "café", "Ærø", "naïve", "straße", "日本語", "Ελληνικά", "привет", "ǅemal", "ʰa", "x", "I", "Zebra", "zebra",
    ]
    private static let separators: [[UInt8]] = [
        [0x20], [0x20], [0x20], [0x2C, 0x20], [0x2E, 0x20], [0x09], [0x31, 0x32, 0x33], [0x5F], [0x2D],
        Array("½".utf8), Array("\u{00A0}".utf8), Array("é".decomposedStringWithCanonicalMapping.utf8),
        [0xFF], [0xC3], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82],
    ]

    public init(seed: UInt64) {
        self.random = SeededRandom(seed: seed)
    }

    /// About `size` bytes of text.
    public mutating func make(size: Int) -> [UInt8] {
        var text: [UInt8] = []
        while text.count < size {
            switch self.random.next() % 40 {
            case 0: text += [0x0A]
            case 1: text += [0x0D, 0x0A]
            case 2: text += Array(repeating: UInt8(ascii: "q"), count: 300)
            default:
                text += Array(Self.words[Int(self.random.next() % UInt64(Self.words.count))].utf8)
                text += Self.separators[Int(self.random.next() % UInt64(Self.separators.count))]
            }
            if self.random.next() % 8 == 0 { text += [0x0A] }
        }
        if self.random.next() % 2 == 0 { text += [0x0A] }
        return text
    }
}

/// SplitMix64: a small generator whose sequence is fixed by its seed.
public struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64

    public init(seed: UInt64) {
        self.state = seed
    }

    public mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
