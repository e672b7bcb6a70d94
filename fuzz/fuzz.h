/*
 * fuzz.h — the entry point every fuzz target defines (libFuzzer's), and a helper to
 * write an input to a file for the loaders that read folders. Targets are built with
 * libFuzzer by `make fuzz` and with fuzz/replay.c by `make test`.
 */
#ifndef QZ_FUZZ_H
#define QZ_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Writes data to path; 0 or -1. */
static inline int fuzz_write(const char *path, const uint8_t *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t n = fwrite(data, 1, size, f);
    return fclose(f) == 0 && n == size ? 0 : -1;
}

#endif
