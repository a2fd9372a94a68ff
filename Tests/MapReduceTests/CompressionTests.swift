import Testing
import TestSupport

@testable import MapReduce

@Suite struct CompressionTests {
    @Test func crc32MatchesTheStandardCheckValue() {
        let check = Array("123456789".utf8).withUnsafeBytes { CRC32.checksum($0) }
        #expect(check == 0xCBF4_3926)
    }

    @Test func crc32InPiecesEqualsCrc32OfTheWhole() {
        var random = SeededRandom(seed: 7)
        let bytes = (0..<10_000).map { _ in UInt8.random(in: 0...255, using: &random) }
        var pieces = CRC32()
        bytes.withUnsafeBytes { all in
            var start = 0
            while start < all.count {
                let end = min(all.count, start + Int.random(in: 1...500, using: &random))
                pieces.update(UnsafeRawBufferPointer(rebasing: all[start..<end]))
                start = end
            }
            #expect(pieces.value == CRC32.checksum(all))
        }
    }

    @Test(arguments: [0, 1, 6, 9])
    func deflateThenInflateGivesBackTheBytes(level: Int) throws {
        var random = SeededRandom(seed: UInt64(level))
        let words = ["alpha ", "beta ", "gamma\n", "\u{0}"].map { Array($0.utf8) }
        for size in [0, 1, 100, 70_000, 300_000] {
            var input: [UInt8] = []
            while input.count < size {
                input += random.next() % 3 == 0 ? [UInt8.random(in: 0...255, using: &random)] : words.randomElement(using: &random)!
            }
            // Compress in uneven pieces, as a stream.
            let deflater = try Deflater(level: level)
            var compressed = ByteWriter()
            try input.withUnsafeBytes { all in
                var start = 0
                repeat {
                    let end = min(all.count, start + Int.random(in: 1...10_000, using: &random))
                    try deflater.deflate(UnsafeRawBufferPointer(rebasing: all[start..<end]), finish: end == all.count, into: &compressed)
                    start = end
                } while start < all.count
            }
            // Inflate into small pieces of output.
            let inflater = try Inflater()
            var output: [UInt8] = []
            var consumed = 0
            var finished = false
            var chunk = [UInt8](repeating: 0, count: 777)
            while !finished {
                let progress = try chunk.withUnsafeMutableBytes { out in
                    try inflater.inflate(UnsafeRawBufferPointer(rebasing: compressed.bytes[consumed...]), into: out)
                }
                consumed += progress.consumed
                output += chunk[0..<progress.produced]
                finished = progress.finished
                #expect(progress.consumed > 0 || progress.produced > 0 || finished)
            }
            #expect(output == input)
            #expect(consumed == compressed.count)
        }
    }

    @Test func inflatingGarbageIsAnErrorNotData() throws {
        var random = SeededRandom(seed: 99)
        let inflater = try Inflater()
        var failures = 0
        for _ in 0..<50 {
            let garbage = (0..<200).map { _ in UInt8.random(in: 0...255, using: &random) }
            var output = [UInt8](repeating: 0, count: 4096)
            do {
                try garbage.withUnsafeBytes { input in
                    try output.withUnsafeMutableBytes { try inflater.decompress(input, into: $0) }
                }
            } catch {
                failures += 1
            }
        }
        #expect(failures == 50)
    }
}
