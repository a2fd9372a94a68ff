#if canImport(Glibc)
import Glibc
import Testing

@testable import MapReduce

struct LargeAllocationsTests {
    /// Whether a block is then mapped depends on what the process's heaps
    /// hold free (glibc serves a block from a free chunk that fits before
    /// it maps one), so in a process shared with other tests only the
    /// setting itself can be checked; `scripts/bench-scale` measures what
    /// it does.
    @Test func theThresholdIsFixedUnlessTheEnvironmentSetsIt() {
        let environmentSetsIt = getenv("MALLOC_MMAP_THRESHOLD_") != nil
        #expect(LargeAllocations.returnToSystem() == !environmentSetsIt)
    }
}
#endif
