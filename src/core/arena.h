/*
 * arena.h — a bump allocator for things that live and die together (a loaded
 * catalogue, one request). Allocations are 16-byte aligned and freed all at once
 * by qz_arena_free; there is no per-object free. Not thread safe.
 */
#ifndef QZ_ARENA_H
#define QZ_ARENA_H

#include <stddef.h>

typedef struct qz_arena_chunk qz_arena_chunk;

typedef struct qz_arena {
    qz_arena_chunk *head; /* newest chunk first */
} qz_arena;

#define QZ_ARENA_INIT                                                                              \
    {                                                                                              \
        NULL                                                                                       \
    }

/* Returns n zeroed bytes owned by the arena, or NULL when memory runs out. */
void *qz_arena_alloc(qz_arena *a, size_t n);

/* Returns a copy of s owned by the arena (NULL stays NULL), or NULL when memory runs out. */
char *qz_arena_strdup(qz_arena *a, const char *s);

/* Frees everything the arena handed out; the arena can be used again. */
void qz_arena_free(qz_arena *a);

#endif
