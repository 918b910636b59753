#ifndef LATTICETOP_CMALLOCINFO_SHIM_H
#define LATTICETOP_CMALLOCINFO_SHIM_H
#include <stddef.h>
#include <stdlib.h> /* defines __GLIBC__ on glibc (features.h) */
#if defined(__GLIBC__)
#include <dlfcn.h>
#include <malloc.h>
#endif

/// glibc's heap figures (`mallinfo2`, summed over every arena), looked up at run time: 0 where
/// there is no `mallinfo2` (not glibc, or glibc before 2.33), 1 with the figures filled in.
/// `system`: bytes the heaps took from the system (not counting large mmapped blocks); `in_use`:
/// bytes in allocated chunks of the heaps; `free_bytes`: bytes in free chunks of the heaps
/// (what fragmentation keeps); `mmapped`: bytes in large blocks mmapped on their own.
static inline int latticetop_heap_figures(size_t *system, size_t *in_use, size_t *free_bytes, size_t *mmapped) {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
    struct mallinfo2 (*info)(void) = (struct mallinfo2 (*)(void))dlsym((void *)0 /* RTLD_DEFAULT */, "mallinfo2");
    if (info == NULL) return 0;
    struct mallinfo2 m = info();
    *system = m.arena;
    *in_use = m.uordblks;
    *free_bytes = m.fordblks;
    *mmapped = m.hblkhd;
    return 1;
#else
    (void)system; (void)in_use; (void)free_bytes; (void)mmapped;
    return 0;
#endif
}
#endif
