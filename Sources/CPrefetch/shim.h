#ifndef LATTICETOP_CPREFETCH_SHIM_H
#define LATTICETOP_CPREFETCH_SHIM_H

/// Asks the processor to bring the cache line holding `address` in, for reading, without
/// waiting for it (a hint: an address that is not mapped is ignored, nothing faults). A loop
/// over 100,000 rows scattered in memory asks for the rows a few steps ahead, so their cache
/// misses overlap instead of coming one after another.
static inline void latticetop_prefetch(const void *address) {
#if defined(__GNUC__) || defined(__clang__)
    __builtin_prefetch(address, 0, 3);
#else
    (void)address;
#endif
}

#endif
