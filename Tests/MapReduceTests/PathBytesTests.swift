import Testing
import TestSupport

@testable import MapReduce

@Suite struct PathBytesTests {
    @Test func anyBytesComeBackFromTheirPath() {
        var random = SeededRandom(seed: 9)
        // Random bytes, biased to the ones UTF-8 is made of, and the UTF-8 of the escape scalars themselves.
        let pieces: [[UInt8]] = [[0x61], [0x2F], [0xC3, 0xA9], [0xE9], [0xFF], [0xF4, 0x8F, 0xBA, 0x80], [0xF0, 0x9F, 0x98, 0x80], [0xED, 0xA0, 0x80], [0xC0, 0xAF]]
        for _ in 0..<2000 {
            let bytes = (0..<Int(random.next() % 8)).flatMap { _ in pieces.randomElement(using: &random)! } + [UInt8(truncatingIfNeeded: random.next())]
            #expect(PathBytes.bytes(of: PathBytes.string(from: bytes)) == bytes, "\(bytes)")
        }
    }

    @Test func aUTF8NameIsItsOwnString() {
        for name in ["a/b.txt", "café/日本.txt", "emoji 😀", ""] {
            #expect(PathBytes.string(from: Array(name.utf8)) == name)
            #expect(PathBytes.bytes(of: name) == Array(name.utf8))
        }
    }

    @Test func aMessageShowsBytesThatAreNotUTF8AsHex() {
        let path = PathBytes.string(from: Array("in/x".utf8) + [0xE9, 0xFF] + Array(".txt".utf8))
        #expect(PathBytes.display(path) == "in/x\\xE9\\xFF.txt")
        #expect(path != PathBytes.string(from: Array("in/x".utf8) + [0xE8, 0xFF] + Array(".txt".utf8)))
    }
}
