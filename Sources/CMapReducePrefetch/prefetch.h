#ifndef CMAPREDUCEPREFETCH_PREFETCH_H
#define CMAPREDUCEPREFETCH_PREFETCH_H

// Swift has no prefetch of its own; a static inline function is inlined
// into the Swift code that calls it.

/// Asks the processor to bring the cache line at `address` in, to be written soon.
static inline void mapreduce_prefetch_for_write(const void *address) {
    __builtin_prefetch(address, 1, 3);
}

/// Asks the processor to bring the cache line at `address` in, to be read soon.
static inline void mapreduce_prefetch_for_read(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif
