#ifndef CMAPREDUCEMALLOC_SHIM_H
#define CMAPREDUCEMALLOC_SHIM_H

// glibc declares mallopt and malloc_usable_size in malloc.h, which Swift's
// Glibc module leaves out.

#include <stdlib.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#endif
