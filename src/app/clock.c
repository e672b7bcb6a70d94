#include "app/clock.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct qz_clock {
    pthread_mutex_t lock;
    bool settable;
    bool fixed;
    qz_instant at;     /* fixed: the instant */
    qz_instant offset; /* running: seconds added to the system clock */
};

static qz_instant system_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (qz_instant)ts.tv_sec;
}

static int parse_spec(qz_clock *c, const char *spec, qz_err *err)
{
    if (strncmp(spec, "fixed:", 6) == 0) {
        qz_local_time lt;
        if (qz_local_time_parse(spec + 6, &lt, err) || !lt.has_offset)
            return qz_err_set(err, QZ_EINPUT, "clock.spec_invalid", "--clock", spec);
        c->fixed = true;
        c->at = qz_instant_at(lt.date, lt.second_of_day, lt.offset_s);
        return 0;
    }
    if (strncmp(spec, "offset:", 7) == 0) {
        char *end;
        errno = 0;
        long long s = strtoll(spec + 7, &end, 10);
        if (!spec[7] || *end || errno)
            return qz_err_set(err, QZ_EINPUT, "clock.spec_invalid", "--clock", spec);
        c->offset = s;
        return 0;
    }
    return qz_err_set(err, QZ_EINPUT, "clock.spec_invalid", "--clock", spec);
}

qz_clock *qz_clock_new(const char *spec, qz_err *err)
{
    qz_clock *c = calloc(1, sizeof *c);
    if (!c) {
        qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
        return NULL;
    }
    if (pthread_mutex_init(&c->lock, NULL) != 0) {
        free(c);
        qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
        return NULL;
    }
    c->settable = spec != NULL;
    if (spec && parse_spec(c, spec, err)) {
        qz_clock_free(c);
        return NULL;
    }
    return c;
}

void qz_clock_free(qz_clock *c)
{
    if (!c)
        return;
    pthread_mutex_destroy(&c->lock);
    free(c);
}

static qz_instant now_locked(const qz_clock *c)
{
    return c->fixed ? c->at : system_now() + c->offset;
}

qz_instant qz_clock_now(qz_clock *c)
{
    pthread_mutex_lock(&c->lock);
    qz_instant t = now_locked(c);
    pthread_mutex_unlock(&c->lock);
    return t;
}

bool qz_clock_settable(const qz_clock *c)
{
    return c->settable;
}

int qz_clock_set(qz_clock *c, qz_instant t, qz_err *err)
{
    int rc = 0;
    if (!c->settable)
        return qz_err_set(err, QZ_EINPUT, "clock.not_settable", NULL, NULL);
    pthread_mutex_lock(&c->lock);
    qz_instant now = now_locked(c);
    if (t < now)
        rc = qz_err_set(err, QZ_EINPUT, "clock.backwards", "set", NULL);
    else if (c->fixed)
        c->at = t;
    else
        c->offset += t - now;
    pthread_mutex_unlock(&c->lock);
    return rc;
}
