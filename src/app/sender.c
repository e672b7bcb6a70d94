/*
 * sender.c — the outbox's sender (sender.h): a thread that reads the SMS due, POSTs each
 * to the gateway over a plain HTTP/1.1 connection, and records what became of it.
 */
#include "app/sender.h"

#include "store/outbox.h"
#include "store/store.h"

#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

enum { IDLE_MS = 200, IO_TIMEOUT_S = 5, MAX_DELAY_S = 60, MAX_RECIPIENTS = QZ_SMS_BATCH };

struct qz_sender {
    const qz_app *app;
    char host[256], port[8], path[512], url[800];
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stopping, running;
};

/* Splits "http://host[:port]/path" into s; -1 when it is not one. */
static int parse_url(qz_sender *s, const char *url)
{
    const char *p = strncmp(url, "http://", 7) == 0 ? url + 7 : NULL;
    if (!p || strlen(url) >= sizeof s->url)
        return -1;
    size_t host_len = strcspn(p, ":/");
    if (host_len == 0 || host_len >= sizeof s->host)
        return -1;
    memcpy(s->host, p, host_len);
    s->host[host_len] = '\0';
    p += host_len;
    snprintf(s->port, sizeof s->port, "80");
    if (*p == ':') {
        size_t n = strspn(p + 1, "0123456789");
        if (n == 0 || n > 5)
            return -1;
        snprintf(s->port, sizeof s->port, "%.*s", (int)n, p + 1);
        p += 1 + n;
    }
    if (*p && *p != '/')
        return -1;
    snprintf(s->path, sizeof s->path, "%s", *p ? p : "/");
    snprintf(s->url, sizeof s->url, "%s", url);
    return 0;
}

static qz_instant wall_now(void)
{
    return (qz_instant)time(NULL);
}

/* Connects to the gateway with the I/O timeouts set; -1 when it cannot. */
static int dial(const qz_sender *s)
{
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *res = NULL;
    if (getaddrinfo(s->host, s->port, &hints, &res) != 0)
        return -1;
    int fd = -1;
    for (struct addrinfo *a = res; a && fd < 0; a = a->ai_next) {
        fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
        if (fd < 0)
            continue;
        struct timeval tv = {.tv_sec = IO_TIMEOUT_S};
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
        if (connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(res);
    return fd;
}

static int send_all(int fd, const char *buf, size_t n)
{
    while (n > 0) {
        ssize_t w = send(fd, buf, n, MSG_NOSIGNAL);
        if (w <= 0) {
            if (w < 0 && errno == EINTR)
                continue;
            return -1;
        }
        buf += w;
        n -= (size_t)w;
    }
    return 0;
}

/* POSTs `body` with the message's idempotency key; the gateway's status, or 0 when it
 * could not be reached (why in `why`). */
static int post(const qz_sender *s, int64_t id, const char *body, char *why, size_t cap)
{
    char head[1024], answer[256];
    int fd = dial(s);
    if (fd < 0) {
        snprintf(why, cap, "cannot connect to %.64s:%s", s->host, s->port);
        return 0;
    }
    int n = snprintf(head, sizeof head,
                     "POST %s HTTP/1.1\r\nHost: %s:%s\r\nContent-Type: application/json\r\n"
                     "Idempotency-Key: qyzmet-sms-%lld\r\nContent-Length: %zu\r\n"
                     "Connection: close\r\n\r\n",
                     s->path, s->host, s->port, (long long)id, strlen(body));
    int status = 0;
    if (n > 0 && (size_t)n < sizeof head && send_all(fd, head, (size_t)n) == 0 &&
        send_all(fd, body, strlen(body)) == 0) {
        ssize_t got = recv(fd, answer, sizeof answer - 1, 0);
        answer[got > 0 ? got : 0] = '\0';
        if (got <= 0 || sscanf(answer, "HTTP/1.%*d %d", &status) != 1)
            status = 0;
    }
    close(fd);
    if (status == 0)
        snprintf(why, cap, "no answer from %.64s:%s", s->host, s->port);
    else if (status < 200 || status > 299)
        snprintf(why, cap, "gateway answered %d", status);
    return status;
}

/* The delay before try number `tries` + 1: 1 s, 2 s, 4 s… up to a minute. */
static qz_instant backoff(int64_t tries)
{
    return tries >= 6 ? MAX_DELAY_S : (qz_instant)1 << tries;
}

/* Delivers one message now; records the outcome. */
static int deliver(qz_sender *s, const qz_outbox_due *d, size_t *sent, size_t *given_up,
                   qz_err *err)
{
    char why[160] = "no phone registered";
    int status = 0;
    if (d->phone && *d->phone) {
        char id[24];
        snprintf(id, sizeof id, "%lld", (long long)d->m.id);
        json_t *b = json_pack("{s:s,s:s,s:s,s:s,s:s}", "id", id, "to", d->phone, "iin", d->m.to_iin,
                              "lang", d->m.lang, "text", d->m.text);
        char *body = b ? json_dumps(b, JSON_COMPACT) : NULL;
        json_decref(b);
        if (!body)
            return qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
        status = post(s, d->m.id, body, why, sizeof why);
        free(body);
    }
    qz_instant now = wall_now();
    qz_outbox_try t = {.id = d->m.id, .at = now, .sent = status >= 200 && status <= 299};
    if (!t.sent) {
        t.error = why;
        t.next_at = d->tries + 1 >= QZ_SMS_MAX_TRIES || !(d->phone && *d->phone)
                        ? QZ_NO_TIME
                        : now + backoff(d->tries);
    }
    if (qz_store_outbox_tried(s->app->store, &t, err))
        return -1;
    if (t.sent) {
        (*sent)++;
    } else if (t.next_at == QZ_NO_TIME) {
        (*given_up)++;
        fprintf(stderr, "qyzmet: SMS %lld to %s given up after %lld tries: %s\n",
                (long long)d->m.id, d->m.to_iin, (long long)d->tries + 1, why);
    }
    return 0;
}

int qz_sender_round(qz_sender *s, size_t *sent, size_t *given_up, qz_err *err)
{
    qz_arena a = QZ_ARENA_INIT;
    qz_outbox_due *due = NULL;
    size_t n = 0;
    const char *held[MAX_RECIPIENTS]; /* persons with an earlier message still waiting */
    size_t n_held = 0;
    *sent = *given_up = 0;
    int rc = qz_store_outbox_due(s->app->store, QZ_SMS_BATCH, &a, &due, &n, err);
    qz_instant now = wall_now();
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const qz_outbox_due *d = &due[i];
        bool blocked = d->next_at != QZ_NO_TIME && d->next_at > now;
        for (size_t k = 0; !blocked && k < n_held; k++)
            blocked = strcmp(held[k], d->m.to_iin) == 0;
        if (!blocked) {
            size_t before = *sent + *given_up;
            rc = deliver(s, d, sent, given_up, err);
            blocked = *sent + *given_up == before; /* to be retried: later ones wait */
        }
        if (blocked && n_held < MAX_RECIPIENTS)
            held[n_held++] = d->m.to_iin;
    }
    qz_arena_free(&a);
    return rc;
}

static void *run(void *arg)
{
    qz_sender *s = arg;
    for (;;) {
        size_t sent = 0, given_up = 0;
        qz_err err;
        if (qz_sender_round(s, &sent, &given_up, &err))
            fprintf(stderr, "qyzmet: the SMS sender: %s %s\n", err.key, err.value);
        pthread_mutex_lock(&s->mu);
        if (!s->stopping && sent == 0) { /* nothing went: wait a little before looking again */
            struct timespec until;
            clock_gettime(CLOCK_REALTIME, &until);
            until.tv_nsec += IDLE_MS * 1000000L;
            if (until.tv_nsec >= 1000000000L) {
                until.tv_sec++;
                until.tv_nsec -= 1000000000L;
            }
            pthread_cond_timedwait(&s->cv, &s->mu, &until);
        }
        bool stop = s->stopping;
        pthread_mutex_unlock(&s->mu);
        if (stop)
            return NULL;
    }
}

qz_sender *qz_sender_new(const qz_app *app, const char *url, qz_err *err)
{
    qz_sender *s = calloc(1, sizeof *s);
    if (!s) {
        qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
        return NULL;
    }
    s->app = app;
    if (!url || parse_url(s, url)) {
        qz_err_set(err, QZ_EINPUT, "sender.url_invalid", "--sms-gateway", url);
        free(s);
        return NULL;
    }
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);
    return s;
}

qz_sender *qz_sender_start(const qz_app *app, const char *url, qz_err *err)
{
    qz_sender *s = qz_sender_new(app, url, err);
    if (s && pthread_create(&s->thread, NULL, run, s) != 0) {
        qz_err_set(err, QZ_EIO, "sender.cannot_start", NULL, NULL);
        qz_sender_stop(s);
        return NULL;
    }
    if (s)
        s->running = true;
    return s;
}

void qz_sender_stop(qz_sender *s)
{
    if (!s)
        return;
    pthread_mutex_lock(&s->mu);
    s->stopping = true;
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
    if (s->running)
        pthread_join(s->thread, NULL);
    pthread_cond_destroy(&s->cv);
    pthread_mutex_destroy(&s->mu);
    free(s);
}
