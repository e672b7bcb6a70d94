/*
 * POST /api/v1/admin/clock — moves the clock of a server started with --clock forward
 * (never back), for tests and demos, and runs the timers that fell due (sweeper.h).
 * Without --clock the endpoint does not exist (404).
 */
#include "http/auth.h"
#include "http/body.h"
#include "http/handlers.h"
#include "app/sweeper.h"

#include "core/schedule_load.h"

#include <string.h>

/* Parses `set`: an ISO 8601 date and time with its offset; -1 with clock.set_invalid. */
static int parse_set(const char *set, qz_instant *out, qz_err *err)
{
    qz_local_time lt;
    if (qz_local_time_parse(set, &lt, err) || !lt.has_time || !lt.has_offset)
        return qz_err_set(err, QZ_EINPUT, "clock.set_invalid", "set", set);
    *out = qz_instant_at(lt.date, lt.second_of_day, lt.offset_s);
    return 0;
}

void qz_h_admin_clock(qz_req *req, qz_resp *resp)
{
    static const char *const fields[] = {"set", NULL};
    qz_principal p;
    const char *set;
    qz_instant t = 0;
    qz_err err;
    char now[QZ_INSTANT_STR];
    qz_err_clear(&err);
    if (!qz_clock_settable(req->ctx->clock)) {
        qz_resp_fail(req, resp, 404, "request.no_route", NULL, req->path);
        return;
    }
    if (qz_http_principal(req, resp, &p))
        return;
    if (strcmp(p.role, "admin") != 0) {
        qz_resp_fail(req, resp, 403, "auth.forbidden", NULL, p.role);
        return;
    }
    if (qz_body_fields(req, resp, fields) || qz_body_str(req, resp, "set", &set))
        return;
    if (parse_set(set, &t, &err)) {
        qz_resp_error(req, resp, 422, &err);
        return;
    }
    qz_sweep_counts n;
    if (qz_sweep_clock_set(req->ctx, t, &n, &err)) {
        qz_resp_error(req, resp, qz_http_status_for(&err), &err);
        return;
    }
    t = qz_clock_now(req->ctx->clock);
    const qz_zone *z = qz_timetable_default_zone(req->ctx->rules->tt);
    qz_resp_json(resp, 200,
                 json_pack("{s:s,s:{s:I,s:I,s:I}}", "now",
                           qz_instant_format(t, qz_zone_offset(z, t), now), "swept", "overdue",
                           (json_int_t)n.overdue, "at_risk", (json_int_t)n.at_risk, "expired",
                           (json_int_t)n.expired));
}
