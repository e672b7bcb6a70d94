#include "http/guard.h"

#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef enum phase { PENDING, HEADERS, BODY, ANSWERING, KILLED } phase;

/* One connection: admitted (PENDING, no socket yet) or open. */
typedef struct entry {
    struct entry *prev, *next;
    unsigned char addr[16]; /* IPv4 as ::ffff:a.b.c.d, so that both compare alike */
    int fd;
    phase phase;
    double since; /* when the current phase began (monotonic seconds) */
} entry;

struct qz_guard {
    qz_guard_config cfg;
    pthread_mutex_t mu;
    pthread_cond_t wake;
    pthread_t watchdog;
    bool stopping;
    entry *head;
    unsigned total;
};

enum { PENDING_TTL_S = 5 }; /* an admitted connection that never opened stops counting */

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void addr_key(const struct sockaddr *sa, socklen_t len, unsigned char out[16])
{
    memset(out, 0, 16);
    if (sa && sa->sa_family == AF_INET && len >= (socklen_t)sizeof(struct sockaddr_in)) {
        out[10] = out[11] = 0xff;
        memcpy(out + 12, &((const struct sockaddr_in *)sa)->sin_addr, 4);
    } else if (sa && sa->sa_family == AF_INET6 && len >= (socklen_t)sizeof(struct sockaddr_in6)) {
        memcpy(out, &((const struct sockaddr_in6 *)sa)->sin6_addr, 16);
    }
}

static void unlink_entry(qz_guard *g, entry *e)
{
    if (e->prev)
        e->prev->next = e->next;
    else
        g->head = e->next;
    if (e->next)
        e->next->prev = e->prev;
    g->total--;
}

/* The deadline of an entry's phase, or 0 when it has none. */
static double deadline(const qz_guard *g, const entry *e)
{
    switch (e->phase) {
    case PENDING:
        return e->since + PENDING_TTL_S;
    case HEADERS:
        return e->since + g->cfg.header_timeout_s;
    case BODY:
        return e->since + g->cfg.body_timeout_s;
    default:
        return 0;
    }
}

static void *watch(void *arg)
{
    qz_guard *g = arg;
    pthread_mutex_lock(&g->mu);
    while (!g->stopping) {
        double t = now_s();
        for (entry *e = g->head, *next; e; e = next) {
            next = e->next;
            double d = deadline(g, e);
            if (d == 0 || t < d)
                continue;
            if (e->phase == PENDING) { /* admitted, never opened: stop counting it */
                unlink_entry(g, e);
                free(e);
                continue;
            }
            /* Too slow: shut the socket down (libmicrohttpd reads EOF and closes it; the
             * descriptor stays its own to close, so it cannot be reused under us: closed
             * notifications take this mutex first). */
            shutdown(e->fd, SHUT_RDWR);
            e->phase = KILLED;
        }
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += 250 * 1000 * 1000;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&g->wake, &g->mu, &until);
    }
    pthread_mutex_unlock(&g->mu);
    return NULL;
}

qz_guard *qz_guard_start(const qz_guard_config *cfg, qz_err *err)
{
    qz_guard *g = calloc(1, sizeof *g);
    if (!g) {
        qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
        return NULL;
    }
    g->cfg = *cfg;
    if (!g->cfg.max_connections)
        g->cfg.max_connections = 1000;
    if (!g->cfg.per_address)
        g->cfg.per_address = 64;
    if (!g->cfg.reserve)
        g->cfg.reserve = g->cfg.max_connections / 10 ? g->cfg.max_connections / 10 : 1;
    if (!g->cfg.header_timeout_s)
        g->cfg.header_timeout_s = 10;
    if (!g->cfg.body_timeout_s)
        g->cfg.body_timeout_s = 30;
    pthread_mutex_init(&g->mu, NULL);
    pthread_cond_init(&g->wake, NULL);
    if (pthread_create(&g->watchdog, NULL, watch, g) != 0) {
        pthread_cond_destroy(&g->wake);
        pthread_mutex_destroy(&g->mu);
        free(g);
        qz_err_set(err, QZ_EIO, "server.cannot_start", NULL, "watchdog");
        return NULL;
    }
    return g;
}

void qz_guard_stop(qz_guard *g)
{
    if (!g)
        return;
    pthread_mutex_lock(&g->mu);
    g->stopping = true;
    pthread_cond_signal(&g->wake);
    pthread_mutex_unlock(&g->mu);
    pthread_join(g->watchdog, NULL);
    for (entry *e = g->head, *next; e; e = next) {
        next = e->next;
        free(e);
    }
    pthread_cond_destroy(&g->wake);
    pthread_mutex_destroy(&g->mu);
    free(g);
}

qz_guard_config qz_guard_limits(const qz_guard *g)
{
    return g->cfg;
}

bool qz_guard_admit(qz_guard *g, const struct sockaddr *addr, socklen_t len)
{
    unsigned char key[16];
    addr_key(addr, len, key);
    entry *e = calloc(1, sizeof *e);
    if (!e)
        return false;
    pthread_mutex_lock(&g->mu);
    unsigned mine = 0;
    for (const entry *x = g->head; x; x = x->next)
        mine += memcmp(x->addr, key, 16) == 0;
    /* Past the reserve's threshold, only an address holding almost nothing gets in: a
     * health check, a new client. */
    bool ok = mine < g->cfg.per_address && g->total < g->cfg.max_connections &&
              (g->total + g->cfg.reserve < g->cfg.max_connections || mine < 2);
    if (ok) {
        memcpy(e->addr, key, 16);
        e->fd = -1;
        e->phase = PENDING;
        e->since = now_s();
        e->next = g->head;
        if (g->head)
            g->head->prev = e;
        g->head = e;
        g->total++;
    }
    pthread_mutex_unlock(&g->mu);
    if (!ok)
        free(e);
    return ok;
}

void qz_guard_opened(qz_guard *g, int fd, const struct sockaddr *addr, void **slot)
{
    unsigned char key[16];
    addr_key(addr, sizeof(struct sockaddr_in6), key);
    pthread_mutex_lock(&g->mu);
    entry *e = g->head;
    while (e && !(e->phase == PENDING && memcmp(e->addr, key, 16) == 0))
        e = e->next;
    if (!e && (e = calloc(1, sizeof *e)) != NULL) { /* its admission went stale: count again */
        memcpy(e->addr, key, 16);
        e->next = g->head;
        if (g->head)
            g->head->prev = e;
        g->head = e;
        g->total++;
    }
    if (e) {
        e->fd = fd;
        e->phase = HEADERS;
        e->since = now_s();
    }
    *slot = e;
    pthread_mutex_unlock(&g->mu);
}

void qz_guard_closed(qz_guard *g, void **slot)
{
    entry *e = *slot;
    if (!e)
        return;
    pthread_mutex_lock(&g->mu);
    unlink_entry(g, e);
    pthread_mutex_unlock(&g->mu);
    free(e);
    *slot = NULL;
}

static void move(qz_guard *g, void *entry_, phase to)
{
    entry *e = entry_;
    if (!e)
        return;
    pthread_mutex_lock(&g->mu);
    if (e->phase != KILLED) {
        e->phase = to;
        e->since = now_s();
    }
    pthread_mutex_unlock(&g->mu);
}

void qz_guard_headers_done(qz_guard *g, void *e)
{
    move(g, e, BODY);
}

void qz_guard_answering(qz_guard *g, void *e)
{
    move(g, e, ANSWERING);
}

void qz_guard_request_done(qz_guard *g, void *e)
{
    move(g, e, HEADERS);
}
