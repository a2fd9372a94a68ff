#if canImport(Glibc)
import CMapReduceMalloc
import Glibc
import Testing

@testable import MapReduce

struct LargeAllocationsTests {
    /// A block glibc maps on its own takes whole pages (plus its header), so more is usable than asked for;
    /// one from a heap has at most a few bytes more.
    static func isMapped(_ block: UnsafeMutableRawPointer, asked: Int) -> Bool {
        malloc_usable_size(block) - asked >= 2048
    }

    @Test func aMebibyteBlockIsMappedEvenAfterALargerOneWasFreed() throws {
        LargeAllocations.returnToSystem()
        // With glibc's own threshold, freeing this mapped block would raise the threshold above
        // its size, and the next block would come from a heap and stay there when freed.
        let larger = try #require(malloc(16 << 20))
        memset(larger, 1, 16 << 20)
        #expect(Self.isMapped(larger, asked: 16 << 20))
        free(larger)
        let asked = LargeAllocations.threshold + 1
        let block = try #require(malloc(asked))
        defer { free(block) }
        #expect(Self.isMapped(block, asked: asked))
    }

    @Test func aSmallBlockComesFromAHeap() throws {
        let block = try #require(malloc(1000))
        defer { free(block) }
        #expect(!Self.isMapped(block, asked: 1000))
    }
}
#endif
