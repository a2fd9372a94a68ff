import Testing
import TestSupport

@testable import MapReduce

@Suite struct ByteWriterTests {
    /// Runs of every length from 0 to 40 (small ones are copied without
    /// memmove), appended one after another at every alignment, read back as
    /// the same bytes in the same order.
    @Test func appendedRunsOfEveryLengthReadBackAsWritten() {
        var random = SeededRandom(seed: 19)
        var writer = ByteWriter(capacity: 16)
        var expected: [UInt8] = []
        for length in 0...40 {
            for _ in 0..<3 {
                let run = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
                // The run sits between other bytes, so that a copy reading or writing past either end shows.
                let padded = [0xAA] + run + [0xBB]
                padded.withUnsafeBytes { writer.append(UnsafeRawBufferPointer(rebasing: $0[1..<(1 + length)])) }
                expected += run
            }
        }
        #expect(Array(writer.bytes) == expected)
    }
}
