import Testing
import TestSupport

@testable import MapReduce

@Suite struct WordsTests {
    static func words(_ bytes: [UInt8]) -> [[UInt8]] {
        var words: [[UInt8]] = []
        Words(bytes.span).forEach { word in words.append(word.bytes.withUnsafeBufferPointer(Array.init)) }
        return words
    }

    @Test func asciiWordsAreRunsOfLetters() {
        let text = Array("Hello, world! It's 2024: snake_case & CamelCase\tx".utf8)
        #expect(Self.words(text).map { String(decoding: $0, as: UTF8.self) } == [
            "Hello", "world", "It", "s", "snake", "case", "CamelCase", "x",
        ])
    }

    @Test func unicodeLettersJoinAndOtherScalarsSeparate() {
        // é (Ll), 日本 (Lo), ǅ (Lt), ʰ (Lm) are letters; a combining accent (Mn), ½ (No) and NBSP (Zs) are not.
        let text = Array("café 日本語 ǅemal ʰa e\u{301}x ½half a\u{A0}b".utf8)
        #expect(Self.words(text).map { String(decoding: $0, as: UTF8.self) } == [
            "café", "日本語", "ǅemal", "ʰa", "e", "x", "half", "a", "b",
        ])
    }

    @Test func invalidUTF8SeparatesWords() {
        let text: [UInt8] = [0x61, 0xFF, 0x62, 0xC3, 0x63, 0xED, 0xA0, 0x80, 0x64, 0xC3, 0xA9, 0xE2, 0x82]
        #expect(Self.words(text) == [[0x61], [0x62], [0x63], [0x64, 0xC3, 0xA9]])
    }

    @Test func randomTextMatchesTheReferenceRule() {
        for seed in 0..<20 {
            var text = RandomText(seed: UInt64(seed))
            let bytes = text.make(size: 4000)
            #expect(Self.words(bytes) == ReferenceWords.words(in: bytes), "seed \(seed)")
        }
    }

    @Test func randomBytesMatchTheReferenceRule() {
        var random = SeededRandom(seed: 77)
        // Bytes biased toward UTF-8 lead and continuation bytes, so that valid and invalid sequences mix.
        let alphabet: [UInt8] = [0x41, 0x7A, 0x20, 0x80, 0x9F, 0xA0, 0xBF, 0xC2, 0xC3, 0xDF, 0xE0, 0xE2, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF]
        for _ in 0..<200 {
            let bytes = (0..<64).map { _ in random.next() % 3 == 0 ? UInt8(truncatingIfNeeded: random.next()) : alphabet.randomElement(using: &random)! }
            #expect(Self.words(bytes) == ReferenceWords.words(in: bytes), "\(bytes)")
        }
    }

    /// Text read in 64-byte blocks: words of up to 200 letters across block
    /// ends, lines of every length around a block's, some of them all
    /// letters, and some with a letter outside ASCII at a random place, where
    /// the tokenizer goes on a scalar at a time, in a word or between words.
    @Test func asciiWordsAcrossBlocksMatchTheReferenceRule() {
        var random = SeededRandom(seed: 31)
        for line in 0..<400 {
            let length = line < 200 ? line : Int(random.next() % 400)
            var bytes: [UInt8] = []
            let allLetters = line % 7 == 0
            while bytes.count < length {
                let run = Int(random.next() % (random.next() % 4 == 0 ? 200 : 9))
                bytes += (0..<run).map { _ in UInt8(truncatingIfNeeded: 0x41 + random.next() % 26) | (random.next() % 2 == 0 ? 0x20 : 0) }
                if !allLetters { bytes += (0...random.next() % 3).map { _ in Array(" ,.1_@[`{".utf8)[Int(random.next() % 9)] } }
            }
            bytes = Array(bytes.prefix(length))
            if line % 4 == 1 {
                bytes.insert(contentsOf: Array("é".utf8), at: Int(random.next() % UInt64(bytes.count + 1)))
            }
            #expect(Self.words(bytes) == ReferenceWords.words(in: bytes), "\(bytes)")
        }
    }

    @Test func everyBasicPlaneAndSomeOtherScalarsClassifyAsTheStandardLibrarySays() {
        var mismatches: [UInt32] = []
        for value in UInt32(0x80)..<0x11_0000 where value < 0x1_0000 || value % 61 == 0 {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let bytes = Array(String(Character(scalar)).utf8)
            let expected = !ReferenceWords.words(in: bytes).isEmpty
            let actual = !Self.words(bytes).isEmpty
            if expected != actual { mismatches.append(value) }
        }
        #expect(mismatches.isEmpty)
    }

    /// Runs of ASCII letters and separators of every length, with letters,
    /// non-letters and invalid bytes outside ASCII at every offset of the
    /// eight-byte blocks the tokenizer classifies at once.
    @Test func mixedRunsAtEveryOffsetMatchTheReferenceRule() {
        var random = SeededRandom(seed: 12)
        let separators = Array(" \t,.;:-'0123456789@[`{\u{7F}_".utf8)
        let pieces: [[UInt8]] = [
            Array("é".utf8), Array("日".utf8), Array("\u{A0}".utf8), Array("½".utf8), Array("\u{301}".utf8),
            [0xFF], [0xC3], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xF0, 0x9F, 0x98, 0x80], Array("𝔸".utf8),
        ]
        for _ in 0..<300 {
            var bytes: [UInt8] = []
            while bytes.count < 80 {
                switch random.next() % 3 {
                case 0: bytes += (0..<random.next() % 21).map { _ in UInt8(truncatingIfNeeded: 0x41 + random.next() % 26) | (random.next() % 2 == 0 ? 0x20 : 0) }
                case 1: bytes += (0..<random.next() % 13).map { _ in separators.randomElement(using: &random)! }
                default: bytes += pieces.randomElement(using: &random)!
                }
            }
            for start in 0..<9 {
                let suffix = Array(bytes[start...])
                #expect(Self.words(suffix) == ReferenceWords.words(in: suffix), "\(suffix)")
            }
        }
    }
}
