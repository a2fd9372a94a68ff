#if canImport(Glibc)
import CMapReduceMalloc
import Glibc
#endif

/// Makes blocks of a mebibyte or more that free heap memory cannot hold
/// go back to the system when freed.
///
/// glibc serves such blocks with `mmap` at first, but each time one is
/// freed it raises that threshold (up to 32 MiB) and keeps twice as much
/// freed memory in its heaps, one heap for each thread that found the
/// others busy. A worker's sort buffers, fetched segments and merge
/// buffers are such blocks, allocated on different threads: without a
/// fixed threshold, a worker that ran a reduce after maps held 100–141 MiB
/// at `--sort-buffer-mb 16`.
package enum LargeAllocations {
    /// Blocks this large or larger are mapped on their own.
    package static let threshold = 1 << 20

    /// Fixes the threshold for this process, unless `MALLOC_MMAP_THRESHOLD_`
    /// sets it; call before its threads allocate. Returns whether it did.
    @discardableResult package static func returnToSystem() -> Bool {
        #if canImport(Glibc)
        guard getenv("MALLOC_MMAP_THRESHOLD_") == nil else { return false }
        return mallopt(M_MMAP_THRESHOLD, Int32(Self.threshold)) == 1
        #else
        return false
        #endif
    }
}
