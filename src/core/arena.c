#include "core/arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { CHUNK_MIN = 16 * 1024, ALIGN = 16 };

struct qz_arena_chunk {
    qz_arena_chunk *next;
    size_t used, cap;
    _Alignas(16) unsigned char data[];
};

void *qz_arena_alloc(qz_arena *a, size_t n)
{
    size_t need = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    if (need < n)
        return NULL;
    qz_arena_chunk *c = a->head;
    if (!c || c->cap - c->used < need) {
        size_t cap = need > CHUNK_MIN ? need : CHUNK_MIN;
        if (cap > SIZE_MAX - sizeof *c)
            return NULL;
        c = malloc(sizeof *c + cap);
        if (!c)
            return NULL;
        c->used = 0;
        c->cap = cap;
        c->next = a->head;
        a->head = c;
    }
    void *p = c->data + c->used;
    c->used += need;
    memset(p, 0, n);
    return p;
}

char *qz_arena_strdup(qz_arena *a, const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *p = qz_arena_alloc(a, n);
    if (p)
        memcpy(p, s, n);
    return p;
}

void qz_arena_free(qz_arena *a)
{
    qz_arena_chunk *c = a->head;
    while (c) {
        qz_arena_chunk *next = c->next;
        free(c);
        c = next;
    }
    a->head = NULL;
}
