#include "http/throttle.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

enum { KEY_MAX = 192, FORGET_S = 24 * 3600 };

typedef struct slot {
    char key[KEY_MAX]; /* "L:<login>\x1f<addr>" or "A:<addr>"; "" when free */
    int64_t failures;
    qz_instant last; /* the last failure */
} slot;

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static slot table[QZ_THROTTLE_ENTRIES];

static void pair_key(char out[KEY_MAX], const char *login, const char *addr)
{
    snprintf(out, KEY_MAX, "L:%s\x1f%s", login, addr ? addr : "");
}

static void addr_key(char out[KEY_MAX], const char *addr)
{
    snprintf(out, KEY_MAX, "A:%s", addr ? addr : "");
}

/* The slot of `key`, or NULL; with `make`, a free or the stalest slot taken for it. */
static slot *find(const char *key, bool make)
{
    slot *free_one = NULL, *oldest = NULL;
    for (size_t i = 0; i < QZ_THROTTLE_ENTRIES; i++) {
        slot *s = &table[i];
        if (!s->key[0]) {
            if (!free_one)
                free_one = s;
            continue;
        }
        if (strcmp(s->key, key) == 0)
            return s;
        if (!oldest || s->last < oldest->last)
            oldest = s;
    }
    if (!make)
        return NULL;
    slot *s = free_one ? free_one : oldest;
    snprintf(s->key, sizeof s->key, "%s", key);
    s->failures = 0;
    s->last = 0;
    return s;
}

/* The delay owed after `failures` failures, the first `free` of them costing nothing. */
static int64_t delay_for(int64_t failures, int64_t free)
{
    if (failures < free)
        return 0;
    int64_t over = failures - free;
    int64_t d = over >= 9 ? QZ_THROTTLE_MAX_S : (int64_t)1 << over;
    return d > QZ_THROTTLE_MAX_S ? QZ_THROTTLE_MAX_S : d;
}

static int64_t owed(const slot *s, int64_t free, qz_instant now)
{
    if (!s || now - s->last >= (qz_instant)FORGET_S)
        return 0;
    int64_t until = s->last + delay_for(s->failures, free) - now;
    return until > 0 ? until : 0;
}

int64_t qz_throttle_wait(const char *login, const char *addr, qz_instant now)
{
    char pk[KEY_MAX], ak[KEY_MAX];
    pair_key(pk, login, addr);
    addr_key(ak, addr);
    pthread_mutex_lock(&mu);
    int64_t a = owed(find(pk, false), QZ_THROTTLE_FREE, now);
    int64_t b = owed(find(ak, false), QZ_THROTTLE_ADDR_FREE, now);
    pthread_mutex_unlock(&mu);
    return a > b ? a : b;
}

static void add_failure(const char *key, qz_instant now)
{
    slot *s = find(key, true);
    if (now - s->last >= (qz_instant)FORGET_S)
        s->failures = 0;
    s->failures++;
    s->last = now;
}

void qz_throttle_failed(const char *login, const char *addr, qz_instant now)
{
    char pk[KEY_MAX], ak[KEY_MAX];
    pair_key(pk, login, addr);
    addr_key(ak, addr);
    pthread_mutex_lock(&mu);
    add_failure(pk, now);
    add_failure(ak, now);
    pthread_mutex_unlock(&mu);
}

void qz_throttle_succeeded(const char *login, const char *addr)
{
    char pk[KEY_MAX];
    pair_key(pk, login, addr);
    pthread_mutex_lock(&mu);
    slot *s = find(pk, false);
    if (s)
        s->key[0] = '\0';
    pthread_mutex_unlock(&mu);
}

void qz_throttle_reset(void)
{
    pthread_mutex_lock(&mu);
    memset(table, 0, sizeof table);
    pthread_mutex_unlock(&mu);
}
