import Testing
import TestSupport

@testable import MapReduce

@Suite struct WordsTests {
    static func words(_ bytes: [UInt8]) -> [[UInt8]] {
        bytes.withUnsafeBytes { raw in Array(Words(raw).map { Array($0.bytes) }) }
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
}
