/*
 * libyaml's api.c (vendored unmodified in libyaml/) with its allocations served by
 * Python's allocator. libyaml allocates several short buffers for every scalar it scans;
 * pymalloc serves such blocks from per-size pools, markedly cheaper than malloc/free.
 * PyMem_* needs the GIL: the native reader holds it for the whole of a parse.
 */
#include <Python.h>
#include <string.h>

static char *
kam_strdup(const char *text)
{
    size_t size = strlen(text) + 1;
    char *copy = PyMem_Malloc(size);
    if (copy)
        memcpy(copy, text, size);
    return copy;
}

#define malloc(size) PyMem_Malloc(size)
#define realloc(block, size) PyMem_Realloc((block), (size))
#define free(block) PyMem_Free(block)
#define strdup(text) kam_strdup(text)

#include "libyaml/api.c"
