/*
 * openloop — an open-loop HTTP/1.1 load: GET `path` with a bearer token at a fixed
 * offered rate over `conns` keep-alive connections, each request's latency measured from
 * the moment it was due (a request that waits for a free connection counts its wait: no
 * coordinated omission). Prints the rate offered and served, p50 and p99.
 *
 *   openloop HOST PORT PATH TOKEN RATE CONNS SECONDS
 *
 * Used by bench/http/run.py (make bench); wrk measures closed-loop throughput instead.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { BUF = 65536 };

typedef struct conn {
    int fd;
    bool busy;
    double due; /* when the request in flight was due */
    char buf[BUF];
    size_t len;
} conn;

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int dial(const char *host, int port)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    if (fd < 0 || inet_pton(AF_INET, host, &a.sin_addr) != 1 ||
        connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    fcntl(fd, F_SETFL, O_NONBLOCK);
    return fd;
}

/* The length of a whole response at the start of c->buf, or 0 while incomplete. */
static size_t complete(const conn *c)
{
    const char *end = memmem(c->buf, c->len, "\r\n\r\n", 4);
    if (!end)
        return 0;
    size_t head = (size_t)(end - c->buf) + 4, body = 0;
    const char *cl = strcasestr(c->buf, "\r\nContent-Length:");
    if (cl && cl < end)
        body = strtoul(cl + 17, NULL, 10);
    return c->len >= head + body ? head + body : 0;
}

int main(int argc, char **argv)
{
    if (argc != 8) {
        fprintf(stderr, "usage: openloop HOST PORT PATH TOKEN RATE CONNS SECONDS\n");
        return 2;
    }
    const char *host = argv[1], *path = argv[3], *token = argv[4];
    int port = atoi(argv[2]), nconn = atoi(argv[6]);
    double rate = atof(argv[5]), secs = atof(argv[7]);
    char req[2048];
    int req_len = snprintf(req, sizeof req,
                           "GET %s HTTP/1.1\r\nHost: %s:%d\r\nAuthorization: Bearer %s\r\n\r\n",
                           path, host, port, token);
    size_t total = (size_t)(rate * secs);
    double *lat = calloc(total ? total : 1, sizeof *lat),
           *backlog = calloc(total + 1, sizeof *backlog);
    conn *cs = calloc((size_t)nconn, sizeof *cs);
    int ep = epoll_create1(0), opened = 0;
    if (!lat || !backlog || !cs || ep < 0)
        return 1;
    for (int i = 0; i < nconn; i++) {
        cs[i].fd = dial(host, port);
        if (cs[i].fd < 0)
            continue;
        opened++;
        struct epoll_event e = {.events = EPOLLIN, .data.u32 = (uint32_t)i};
        epoll_ctl(ep, EPOLL_CTL_ADD, cs[i].fd, &e);
    }
    size_t sent = 0, done = 0, errors = 0, head = 0, tail = 0;
    int idle_scan = 0;
    double t0 = now_s(), stop = t0 + secs, drain = stop + 5;
    for (;;) {
        double t = now_s();
        while (sent < total && t0 + (double)sent / rate <= t)
            backlog[tail++] = t0 + (double)sent++ / rate;
        /* give the due requests to idle connections */
        for (int k = 0; k < nconn && head < tail; k++) {
            conn *c = &cs[(idle_scan + k) % nconn];
            if (c->fd < 0 || c->busy)
                continue;
            if (send(c->fd, req, (size_t)req_len, MSG_NOSIGNAL) != req_len) {
                close(c->fd);
                c->fd = -1;
                errors++;
                continue;
            }
            c->busy = true;
            c->due = backlog[head++];
            idle_scan = (idle_scan + k + 1) % nconn;
        }
        if ((sent >= total && done + errors >= sent) || t > drain)
            break;
        struct epoll_event ev[256];
        int n = epoll_wait(ep, ev, 256, 1);
        for (int i = 0; i < n; i++) {
            conn *c = &cs[ev[i].data.u32];
            ssize_t got = recv(c->fd, c->buf + c->len, BUF - c->len - 1, 0);
            if (got <= 0) {
                if (got < 0 && errno == EAGAIN)
                    continue;
                close(c->fd);
                c->fd = -1;
                if (c->busy)
                    errors++;
                continue;
            }
            c->len += (size_t)got;
            c->buf[c->len] = '\0';
            size_t whole = complete(c);
            if (!whole)
                continue;
            if (strncmp(c->buf + 9, "200", 3) != 0)
                errors++;
            else
                lat[done++] = now_s() - c->due;
            memmove(c->buf, c->buf + whole, c->len - whole);
            c->len -= whole;
            c->busy = false;
        }
    }
    qsort(lat, done, sizeof *lat, cmp);
    double p50 = done ? lat[done / 2] * 1000 : 0, p99 = done ? lat[done * 99 / 100] * 1000 : 0;
    printf("offered %.0f/s over %d connections for %.0f s: served %zu (%.0f/s), p50 %.1f ms, "
           "p99 %.1f ms, errors %zu\n",
           rate, opened, secs, done, (double)done / secs, p50, p99, errors + (total - sent));
    return 0;
}
