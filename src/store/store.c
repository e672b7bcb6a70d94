/*
 * store.c — the public functions of store.h: check the input the same way for every
 * backend, then call the backend chosen by the target (backend.h).
 */
#include "store/backend.h"
#include "store/calendar_days.h"
#include "store/password.h"
#include "store/settings.h"

#include <stdlib.h>
#include <string.h>

enum { IDEM_KEY_MAX = 255 };

static const char *const LANGS[] = {"kk", "ru", "en", NULL};

struct qz_store {
    const qz_store_ops *ops;
    void *impl;
};

static bool starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool empty(const char *s)
{
    return !s || !*s;
}

/* -1 with QZ_EINPUT store.field_missing naming `field` when s is NULL or empty. */
static int need(const char *s, const char *field, qz_err *err)
{
    return empty(s) ? qz_err_set(err, QZ_EINPUT, "store.field_missing", field, NULL) : 0;
}

static bool one_of(const char *s, const char *const *list)
{
    for (; s && *list; list++)
        if (strcmp(s, *list) == 0)
            return true;
    return false;
}

static int closed(qz_err *err)
{
    return qz_err_set(err, QZ_EINTERNAL, "store.closed", NULL, NULL);
}

int qz_store_open(const char *target, qz_store **out, qz_err *err)
{
    *out = NULL;
    if (empty(target))
        return qz_err_set(err, QZ_EINPUT, "store.target_empty", "--db", NULL);
    if (starts_with(target, "postgres://") || starts_with(target, "postgresql://"))
        return qz_err_set(err, QZ_EIO, "store.backend_unavailable", NULL, "PostgreSQL");
    qz_store *st = calloc(1, sizeof *st);
    if (!st)
        return qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
    st->ops = &qz_store_sqlite_ops;
    if (st->ops->open(target, &st->impl, err)) {
        free(st);
        return -1;
    }
    *out = st;
    return 0;
}

const qz_store_ops *qz_store_backend(qz_store *st, void **impl)
{
    *impl = st->impl;
    return st->ops;
}

void qz_store_close(qz_store *st)
{
    if (!st)
        return;
    st->ops->close(st->impl);
    free(st);
}

int qz_store_schema_version(const qz_store *st)
{
    return st ? st->ops->schema_version(st->impl) : 0;
}

int qz_store_schema_latest(void)
{
    return QZ_SCHEMA_LATEST;
}

void qz_store_stats_get(qz_store *st, qz_store_stats *out)
{
    memset(out, 0, sizeof *out);
    if (st)
        st->ops->stats(st->impl, out);
}

int qz_store_iin_claim(qz_store *st, const char *iin, qz_instant now, qz_err *err)
{
    qz_iin parsed;
    if (!st)
        return closed(err);
    if (qz_iin_parse(iin, &parsed, err))
        return -1;
    return st->ops->iin_claim(st->impl, iin, now, err);
}

int qz_store_iin_issue(qz_store *st, qz_date birth, qz_sex sex, uint64_t seed, qz_instant now,
                       char *out, qz_err *err)
{
    char probe[QZ_IIN_STR];
    qz_err local;
    if (!err)
        err = &local; /* the backend reads err->code between tries */
    if (!st)
        return closed(err);
    /* Refuse a bad birth date or sex up front; serial 0 being unissuable is no error. */
    if (qz_iin_compose(birth, sex, 0, probe, err) && err->code != QZ_ECONFLICT)
        return -1;
    return st->ops->iin_issue(st->impl, birth, sex, seed, now, out, err);
}

/* ---- units ---- */

/* True for "kind" or "kind,kind,…": codes of lower-case letters, digits and hyphens. */
static bool kind_list_ok(const char *s)
{
    bool fresh = true; /* at the start of a code */
    for (; *s; s++) {
        if (*s == ',' && !fresh)
            fresh = true;
        else if ((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || (*s == '-' && !fresh))
            fresh = false;
        else
            return false;
    }
    return !fresh;
}

static int check_unit(const qz_unit_row *u, qz_err *err)
{
    static const char *const kinds[] = {"psc", "provider", "authority", NULL};
    static const char *const departments[] = {"regional", "other", "duty", NULL};
    static const char *const areas[] = {"region", "country", NULL};
    if (need(u->code, "code", err) || need(u->name_kk, "name_kk", err) ||
        need(u->name_ru, "name_ru", err) || need(u->region, "region", err))
        return -1;
    if (!one_of(u->kind, kinds))
        return qz_err_set(err, QZ_EINPUT, "store.unit_kind", "kind", u->kind);
    bool psc = strcmp(u->kind, "psc") == 0;
    if (u->department && (!psc || !one_of(u->department, departments)))
        return qz_err_set(err, QZ_EINPUT, "store.unit_department", "department", u->department);
    if (u->acts_as && !kind_list_ok(u->acts_as))
        return qz_err_set(err, QZ_EINPUT, "store.unit_acts_as", "acts_as", u->acts_as);
    if (u->area && !one_of(u->area, areas))
        return qz_err_set(err, QZ_EINPUT, "store.unit_area", "area", u->area);
    if (u->schedule && !*u->schedule)
        return qz_err_set(err, QZ_EINPUT, "store.field_missing", "schedule", NULL);
    return 0;
}

int qz_store_unit_add(qz_store *st, const qz_unit_row *u, qz_err *err)
{
    if (!st)
        return closed(err);
    return check_unit(u, err) ? -1 : st->ops->unit_add(st->impl, u, err);
}

int qz_store_unit_get(qz_store *st, const char *code, qz_arena *a, qz_unit_row *out, qz_err *err)
{
    if (!st)
        return closed(err);
    return need(code, "code", err) ? -1 : st->ops->unit_get(st->impl, code, a, out, err);
}

int qz_store_unit_list(qz_store *st, const char *region, qz_arena *a, qz_unit_row **out, size_t *n,
                       qz_err *err)
{
    *out = NULL;
    *n = 0;
    return st ? st->ops->unit_list(st->impl, region, a, out, n, err) : closed(err);
}

/* ---- users ---- */

static int check_password(const char *password, qz_err *err)
{
    if (empty(password))
        return qz_err_set(err, QZ_EINPUT, "store.password_empty", "password", NULL);
    if (strlen(password) > QZ_PASSWORD_MAX)
        return qz_err_setf(err, QZ_EINPUT, "store.password_too_long", "password", "%d",
                           QZ_PASSWORD_MAX);
    return 0;
}

int qz_store_user_add(qz_store *st, const qz_user_row *u, const char *password, int64_t *id,
                      qz_err *err)
{
    char hash[QZ_PASSWORD_HASH_MAX];
    if (!st)
        return closed(err);
    if (need(u->login, "login", err) || need(u->role, "role", err) ||
        (!u->unit && need(u->region, "region", err)) || check_password(password, err))
        return -1;
    if (u->unit && !*u->unit)
        return qz_err_set(err, QZ_EINPUT, "store.field_missing", "unit", NULL);
    if (qz_password_hash(password, hash, sizeof hash, err))
        return -1;
    return st->ops->user_add(st->impl, u, hash, id, err);
}

int qz_store_user_verify(qz_store *st, const char *login, const char *password, qz_arena *a,
                         qz_user_row *out, qz_err *err)
{
    const char *hash = NULL;
    if (!st)
        return closed(err);
    if (empty(login) || empty(password) || strlen(password) > QZ_PASSWORD_MAX)
        return qz_err_set(err, QZ_EINPUT, "store.login_failed", NULL, NULL);
    int found = st->ops->user_find(st->impl, login, a, out, &hash, err);
    if (found < 0)
        return -1;
    if (found == 1) {
        qz_password_waste(password);
        return qz_err_set(err, QZ_EINPUT, "store.login_failed", NULL, NULL);
    }
    int r = qz_password_verify(hash, password, err);
    if (r < 0)
        return -1;
    return r ? qz_err_set(err, QZ_EINPUT, "store.login_failed", NULL, NULL) : 0;
}

int qz_store_user_get(qz_store *st, const char *login, qz_arena *a, qz_user_row *out, qz_err *err)
{
    if (!st)
        return closed(err);
    return need(login, "login", err) ? -1 : st->ops->user_get(st->impl, login, a, out, err);
}

/* ---- persons ---- */

/* A phone number in international form: an optional '+' and 10 to 15 digits. */
static bool phone_ok(const char *s)
{
    size_t digits = 0;
    if (*s == '+')
        s++;
    for (; *s >= '0' && *s <= '9'; s++)
        digits++;
    return !*s && digits >= 10 && digits <= 15;
}

static int check_person(const qz_person_row *p, qz_err *err)
{
    qz_iin iin;
    char date[QZ_DATE_STR];
    if (qz_iin_parse(p->iin, &iin, err))
        return -1;
    if (need(p->surname, "surname", err) || need(p->name, "name", err) ||
        need(p->region, "region", err))
        return -1;
    if (p->phone && !phone_ok(p->phone))
        return qz_err_set(err, QZ_EINPUT, "store.phone_invalid", "phone", p->phone);
    if (p->lang && !one_of(p->lang, LANGS))
        return qz_err_set(err, QZ_EINPUT, "store.person_lang", "lang", p->lang);
    if (p->has_birth && p->birth != iin.birth)
        return qz_err_set(err, QZ_EINPUT, "store.birth_mismatch", "birth",
                          qz_date_format(iin.birth, date));
    return 0;
}

int qz_store_person_add(qz_store *st, const qz_person_row *p, qz_err *err)
{
    if (!st)
        return closed(err);
    return check_person(p, err) ? -1 : st->ops->person_add(st->impl, p, err);
}

int qz_store_person_get(qz_store *st, const char *iin, qz_arena *a, qz_person_row *out, qz_err *err)
{
    if (!st)
        return closed(err);
    return need(iin, "iin", err) ? -1 : st->ops->person_get(st->impl, iin, a, out, err);
}

/* ---- outbox ---- */

static int check_message(const qz_outbox_row *m, qz_err *err)
{
    static const char *const channels[] = {"sms", "cabinet", NULL};
    qz_iin iin;
    if (qz_iin_parse(m->to_iin, &iin, err) || need(m->region, "region", err) ||
        need(m->text, "text", err))
        return -1;
    if (!one_of(m->channel, channels))
        return qz_err_set(err, QZ_EINPUT, "store.outbox_channel", "channel", m->channel);
    if (!one_of(m->lang, LANGS))
        return qz_err_set(err, QZ_EINPUT, "store.outbox_lang", "lang", m->lang);
    return 0;
}

int qz_store_outbox_append(qz_store *st, const qz_outbox_row *m, int64_t *id, qz_err *err)
{
    if (!st)
        return closed(err);
    if (check_message(m, err))
        return -1;
    return st->ops->outbox_append(st->impl, m, id, err);
}

int qz_store_outbox_due(qz_store *st, size_t limit, qz_arena *a, qz_outbox_due **out, size_t *n,
                        qz_err *err)
{
    *out = NULL;
    *n = 0;
    if (!st)
        return closed(err);
    if (limit == 0 || limit > 10000)
        return qz_err_setf(err, QZ_EINPUT, "store.limit_invalid", "limit", "%zu", limit);
    return st->ops->outbox_due(st->impl, limit, a, out, n, err);
}

int qz_store_outbox_tried(qz_store *st, const qz_outbox_try *t, qz_err *err)
{
    if (!st)
        return closed(err);
    if (t->id <= 0)
        return qz_err_setf(err, QZ_ENOTFOUND, "store.message_not_found", "id", "%lld",
                           (long long)t->id);
    return st->ops->outbox_tried(st->impl, t, err);
}

int qz_store_outbox_list(qz_store *st, const char *to_iin, qz_arena *a, qz_outbox_row **out,
                         size_t *n, qz_err *err)
{
    *out = NULL;
    *n = 0;
    return st ? st->ops->outbox_list(st->impl, to_iin, a, out, n, err) : closed(err);
}

/* ---- sessions, one-time passwords, attempts ---- */

int qz_store_session_add(qz_store *st, const qz_session_row *s, qz_err *err)
{
    if (!st)
        return closed(err);
    if (need(s->login, "login", err) || need(s->role, "role", err) ||
        need(s->region, "region", err))
        return -1;
    if (s->expires_at <= s->created_at)
        return qz_err_set(err, QZ_EINPUT, "store.session_expiry", "expires_at", NULL);
    return st->ops->session_add(st->impl, s, err);
}

int qz_store_session_get(qz_store *st, const unsigned char token_hash[QZ_HASH_LEN], qz_arena *a,
                         qz_session_row *out, qz_err *err)
{
    memset(out, 0, sizeof *out);
    return st ? st->ops->session_get(st->impl, token_hash, a, out, err) : closed(err);
}

int qz_store_session_delete(qz_store *st, const unsigned char token_hash[QZ_HASH_LEN], qz_err *err)
{
    return st ? st->ops->session_delete(st->impl, token_hash, err) : closed(err);
}

int qz_store_otp_put(qz_store *st, const qz_otp_row *o, qz_err *err)
{
    qz_iin iin;
    if (!st)
        return closed(err);
    if (qz_iin_parse(o->iin, &iin, err) || need(o->region, "region", err))
        return -1;
    if (o->expires_at <= o->sent_at)
        return qz_err_set(err, QZ_EINPUT, "store.otp_expiry", "expires_at", NULL);
    return st->ops->otp_put(st->impl, o, err);
}

int qz_store_otp_use(qz_store *st, const char *iin, const unsigned char code_hash[QZ_HASH_LEN],
                     qz_instant now, int max_tries, qz_err *err)
{
    if (!st)
        return closed(err);
    if (need(iin, "iin", err))
        return -1;
    if (max_tries < 1)
        return qz_err_setf(err, QZ_EINPUT, "store.otp_tries", "max_tries", "%d", max_tries);
    return st->ops->otp_use(st->impl, iin, code_hash, now, max_tries, err);
}

int qz_store_attempts_add(qz_store *st, const char *key, int delta, qz_instant now,
                          int64_t window_s, qz_attempts *out, qz_err *err)
{
    memset(out, 0, sizeof *out);
    if (!st)
        return closed(err);
    if (need(key, "key", err))
        return -1;
    if (window_s < 1 || window_s > QZ_ATTEMPTS_WINDOW_MAX)
        return qz_err_setf(err, QZ_EINPUT, "store.attempts_window", "window_s", "%lld",
                           (long long)window_s);
    return st->ops->attempts_add(st->impl, key, delta, now, window_s, out, err);
}

/* ---- cases ---- */

static int check_steps(const qz_case_write *w, qz_err *err)
{
    if (w->n_steps && !w->steps)
        return qz_err_set(err, QZ_EINPUT, "store.field_missing", "steps", NULL);
    for (size_t i = 0; i < w->n_steps; i++)
        if (need(w->steps[i].step, "steps.step", err) ||
            need(w->steps[i].role, "steps.role", err) || need(w->steps[i].unit, "steps.unit", err))
            return -1;
    return 0;
}

static int check_events(const qz_case_write *w, qz_err *err)
{
    if (w->n_events && !w->events)
        return qz_err_set(err, QZ_EINPUT, "store.field_missing", "events", NULL);
    for (size_t i = 0; i < w->n_events; i++)
        if (need(w->events[i].actor, "events.actor", err) ||
            need(w->events[i].role, "events.role", err) ||
            need(w->events[i].action, "events.action", err))
            return -1;
    return 0;
}

static int check_create(const qz_case_write *w, qz_err *err)
{
    if (need(w->region, "region", err) || need(w->service, "service", err) ||
        need(w->standard_version, "standard_version", err) || need(w->applicant, "applicant", err))
        return -1;
    if (w->number && (!*w->number || strlen(w->number) >= QZ_CASE_NUMBER_MAX))
        return qz_err_set(err, QZ_EINPUT, "store.field_missing", "number", w->number);
    return 0;
}

static int check_idem_key(const char *key, qz_err *err)
{
    if (!*key || strlen(key) > IDEM_KEY_MAX)
        return qz_err_setf(err, QZ_EINPUT, "store.idem_key_invalid", "idem_key", "%d",
                           IDEM_KEY_MAX);
    return 0;
}

static int check_case_write(const qz_case_write *w, qz_err *err)
{
    if (w->id < 0)
        return qz_err_setf(err, QZ_EINPUT, "store.case_not_found", "id", "%lld", (long long)w->id);
    if ((w->id == 0 && check_create(w, err)) || need(w->state, "state", err) ||
        need(w->status, "status", err) || need(w->branch, "branch", err) ||
        need(w->doc, "doc", err))
        return -1;
    if (w->idem_key && check_idem_key(w->idem_key, err))
        return -1;
    if (w->idem_key && !w->respond && !w->response)
        return qz_err_set(err, QZ_EINPUT, "store.field_missing", "response", NULL);
    if (w->n_messages && !w->messages)
        return qz_err_set(err, QZ_EINPUT, "store.field_missing", "messages", NULL);
    for (size_t i = 0; i < w->n_messages; i++)
        if (check_message(&w->messages[i], err))
            return -1;
    return check_steps(w, err) || check_events(w, err);
}

int qz_store_case_write(qz_store *st, const qz_case_write *w, qz_case_written *out, qz_err *err)
{
    qz_case_write one = *w;
    memset(out, 0, sizeof *out);
    if (!st)
        return closed(err);
    if (check_case_write(w, err))
        return -1;
    if (st->ops->cases_write(st->impl, &one, 1, NULL, NULL, NULL, out, err) == 0)
        return 0;
    free(out->response);
    memset(out, 0, sizeof *out);
    return -1;
}

enum { QZ_CASES_MAX = 64 }; /* cases in one write: a bundle is a handful */

int qz_store_cases_write(qz_store *st, qz_case_write *ws, size_t n, qz_cases_bind_fn bind,
                         void *ctx, qz_case_written *outs, qz_err *err)
{
    if (n)
        memset(outs, 0, n * sizeof *outs);
    if (!st)
        return closed(err);
    if (n == 0 || n > QZ_CASES_MAX)
        return qz_err_setf(err, QZ_EINPUT, "store.field_missing", "cases", "%zu", n);
    for (size_t k = 0; k + 1 < n; k++)
        if (ws[k].idem_key)
            return qz_err_set(err, QZ_EINPUT, "store.field_missing", "idem_key", "the last case's");
    if (ws[n - 1].idem_key && check_idem_key(ws[n - 1].idem_key, err))
        return -1;
    /* without bind the cases are complete now; with it, the backend checks them after */
    for (size_t k = 0; !bind && k < n; k++)
        if (check_case_write(&ws[k], err))
            return -1;
    if (st->ops->cases_write(st->impl, ws, n, bind, ctx, bind ? check_case_write : NULL, outs,
                             err) == 0)
        return 0;
    for (size_t k = 0; k < n; k++) {
        free(outs[k].response);
        memset(&outs[k], 0, sizeof outs[k]);
    }
    return -1;
}

int qz_store_idem_find(qz_store *st, const char *key, qz_arena *a, const char **response,
                       const unsigned char **fingerprint, qz_err *err)
{
    *response = NULL;
    *fingerprint = NULL;
    if (!st)
        return closed(err);
    if (!key)
        return qz_err_set(err, QZ_EINPUT, "store.field_missing", "idem_key", NULL);
    if (check_idem_key(key, err))
        return -1;
    return st->ops->idem_get(st->impl, key, a, response, fingerprint, err);
}

void qz_store_fault(qz_store *st, const char *point)
{
    if (st && st->ops->fault)
        st->ops->fault(st->impl, point);
}

int qz_store_idem_get(qz_store *st, const char *key, qz_arena *a, const char **response,
                      qz_err *err)
{
    *response = NULL;
    if (!st)
        return closed(err);
    if (!key)
        return qz_err_set(err, QZ_EINPUT, "store.field_missing", "idem_key", NULL);
    const unsigned char *fingerprint = NULL;
    return check_idem_key(key, err)
               ? -1
               : st->ops->idem_get(st->impl, key, a, response, &fingerprint, err);
}

int qz_store_case_event_add(qz_store *st, int64_t case_id, const qz_event_in *e, qz_err *err)
{
    qz_case_write w = {.id = case_id, .events = e, .n_events = 1};
    if (!st)
        return closed(err);
    if (case_id <= 0)
        return qz_err_setf(err, QZ_ENOTFOUND, "store.case_not_found", "id", "%lld",
                           (long long)case_id);
    return check_events(&w, err) ? -1 : st->ops->case_event_add(st->impl, case_id, e, err);
}

int qz_store_case_event_record(qz_store *st, int64_t case_id, const qz_event_in *e, qz_err *err)
{
    qz_case_write w = {.id = case_id, .events = e, .n_events = 1};
    if (!st)
        return closed(err);
    if (case_id <= 0)
        return qz_err_setf(err, QZ_ENOTFOUND, "store.case_not_found", "id", "%lld",
                           (long long)case_id);
    if (check_events(&w, err))
        return -1;
    return st->ops->case_event_record ? st->ops->case_event_record(st->impl, case_id, e, err)
                                      : st->ops->case_event_add(st->impl, case_id, e, err);
}

int qz_store_timer_steps(qz_store *st, qz_instant now, qz_arena *a, qz_timer_row **out, size_t *n,
                         qz_err *err)
{
    *out = NULL;
    *n = 0;
    return st ? st->ops->timer_steps(st->impl, now, NULL, 0, a, out, n, err) : closed(err);
}

int qz_store_timer_steps_page(qz_store *st, qz_instant now, const qz_timer_cursor *after,
                              size_t limit, qz_arena *a, qz_timer_row **out, size_t *n, qz_err *err)
{
    *out = NULL;
    *n = 0;
    if (!st)
        return closed(err);
    if (limit == 0 || limit > 10000)
        return qz_err_setf(err, QZ_EINPUT, "store.limit_invalid", "limit", "%zu", limit);
    return st->ops->timer_steps(st->impl, now, after, limit, a, out, n, err);
}

int qz_store_timer_mark(qz_store *st, const qz_timer_mark *m, qz_err *err)
{
    qz_case_write w = {.id = m->case_id, .events = &m->event, .n_events = 1};
    if (!st)
        return closed(err);
    if (m->case_id <= 0)
        return qz_err_setf(err, QZ_ENOTFOUND, "store.case_not_found", "id", "%lld",
                           (long long)m->case_id);
    if (m->kind != QZ_TIMER_OVERDUE && m->kind != QZ_TIMER_AT_RISK)
        return qz_err_setf(err, QZ_EINPUT, "store.timer_kind", "kind", "%u", m->kind);
    if (need(m->step, "step", err) || check_events(&w, err))
        return -1;
    if (st->ops->timer_mark(st->impl, m, err) == 0)
        return 0;
    if (err->code == QZ_ECONFLICT && strcmp(err->key, "store.timer_marked") == 0) {
        qz_err_clear(err);
        return 1;
    }
    return -1;
}

int qz_store_case_get(qz_store *st, int64_t id, qz_arena *a, qz_case_row *out, qz_err *err)
{
    return st ? st->ops->case_get(st->impl, id, a, out, err) : closed(err);
}

int qz_store_case_events(qz_store *st, int64_t case_id, qz_arena *a, qz_event_row **out, size_t *n,
                         qz_err *err)
{
    *out = NULL;
    *n = 0;
    return st ? st->ops->case_events(st->impl, case_id, a, out, n, err) : closed(err);
}

int qz_store_case_steps(qz_store *st, int64_t case_id, qz_arena *a, qz_step_row **out, size_t *n,
                        qz_err *err)
{
    *out = NULL;
    *n = 0;
    return st ? st->ops->case_steps(st->impl, case_id, a, out, n, err) : closed(err);
}

int qz_store_inbox(qz_store *st, const char *unit, size_t limit, qz_arena *a, qz_inbox_row **out,
                   size_t *n, qz_err *err)
{
    *out = NULL;
    *n = 0;
    if (!st)
        return closed(err);
    return need(unit, "unit", err) ? -1 : st->ops->inbox(st->impl, unit, limit, a, out, n, err);
}

static int check_page(const char *iin, int64_t before, size_t limit, qz_err *err)
{
    if (need(iin, "iin", err))
        return -1;
    if (before < 0)
        return qz_err_setf(err, QZ_EINPUT, "store.before_invalid", "before", "%lld",
                           (long long)before);
    if (limit == 0 || limit > QZ_PAGE_MAX)
        return qz_err_setf(err, QZ_EINPUT, "store.limit_invalid", "limit", "%zu", limit);
    return 0;
}

int qz_store_person_cases_page(qz_store *st, const char *iin, int64_t before, size_t limit,
                               qz_arena *a, qz_case_row **out, size_t *n, qz_err *err)
{
    *out = NULL;
    *n = 0;
    if (!st)
        return closed(err);
    return check_page(iin, before, limit, err)
               ? -1
               : st->ops->person_cases(st->impl, iin, before, limit, a, out, n, err);
}

int qz_store_outbox_page(qz_store *st, const char *iin, int64_t before, size_t limit, qz_arena *a,
                         qz_outbox_row **out, size_t *n, qz_err *err)
{
    *out = NULL;
    *n = 0;
    if (!st)
        return closed(err);
    return check_page(iin, before, limit, err)
               ? -1
               : st->ops->outbox_page(st->impl, iin, before, limit, a, out, n, err);
}

int qz_store_person_cases(qz_store *st, const char *iin, size_t limit, qz_arena *a,
                          qz_case_row **out, size_t *n, qz_err *err)
{
    *out = NULL;
    *n = 0;
    if (!st)
        return closed(err);
    return need(iin, "iin", err) ? -1
                                 : st->ops->person_cases(st->impl, iin, 0, limit, a, out, n, err);
}

/* ---- complaints ---- */

int qz_store_complaint_add(qz_store *st, const qz_complaint_row *c, const qz_event_in *event,
                           int64_t *id, qz_err *err)
{
    static const char *const against[] = {"provider", "psc", NULL};
    static const char *const addressees[] = {"provider", "quality-authority", "state-corporation",
                                             "informatization-authority", NULL};
    qz_iin iin;
    if (!st)
        return closed(err);
    if (c->case_id <= 0)
        return qz_err_set(err, QZ_EINPUT, "store.field_missing", "case_id", NULL);
    if (qz_iin_parse(c->complainant, &iin, err) || need(c->region, "region", err) ||
        need(c->case_number, "case_number", err) || need(c->service, "service", err) ||
        need(c->unit, "unit", err) || need(c->text, "text", err) || need(c->state, "state", err))
        return -1;
    if (event && (need(event->actor, "actor", err) || need(event->role, "role", err) ||
                  need(event->action, "action", err)))
        return -1;
    if (!one_of(c->against, against))
        return qz_err_set(err, QZ_EINPUT, "store.complaint_against", "against", c->against);
    if (!one_of(c->addressed_to, addressees))
        return qz_err_set(err, QZ_EINPUT, "store.complaint_addressee", "addressed_to",
                          c->addressed_to);
    return st->ops->complaint_add(st->impl, c, event, id, err);
}

int qz_store_complaint_get(qz_store *st, int64_t id, qz_arena *a, qz_complaint_row *out,
                           qz_err *err)
{
    if (!st)
        return closed(err);
    if (id <= 0)
        return qz_err_setf(err, QZ_ENOTFOUND, "store.complaint_not_found", "id", "%lld",
                           (long long)id);
    return st->ops->complaint_get(st->impl, id, a, out, err);
}

int qz_store_complaint_move(qz_store *st, const qz_complaint_move *m, int64_t *version, qz_err *err)
{
    if (!st)
        return closed(err);
    if (m->id <= 0)
        return qz_err_set(err, QZ_EINPUT, "store.field_missing", "id", NULL);
    if (need(m->state, "state", err) || need(m->event.actor, "actor", err) ||
        need(m->event.role, "role", err) || need(m->event.action, "action", err))
        return -1;
    return st->ops->complaint_move(st->impl, m, version, err);
}

int qz_store_complaint_list(qz_store *st, const qz_complaint_filter *f, size_t limit, qz_arena *a,
                            qz_complaint_row **out, size_t *n, qz_err *err)
{
    static const qz_complaint_filter all = {0};
    *out = NULL;
    *n = 0;
    return st ? st->ops->complaint_list(st->impl, f ? f : &all, limit, a, out, n, err)
              : closed(err);
}

int qz_store_audit_verify(qz_store *st, uint64_t *n_events, qz_audit_break *first_break,
                          qz_err *err)
{
    *n_events = 0;
    if (!st)
        return closed(err);
    int r = qz_store_audit_walk(st->ops, st->impl, n_events, first_break, err);
    return r == 0 ? qz_store_audit_cases(st->ops, st->impl, first_break, err) : r;
}

/* ---- settings ---- */

int qz_store_setting_get(qz_store *st, const char *key, qz_arena *a, const char **value,
                         qz_err *err)
{
    if (!st)
        return closed(err);
    if (need(key, "key", err))
        return -1;
    return st->ops->setting_get(st->impl, key, a, value, err);
}

int qz_store_setting_put(qz_store *st, const char *key, const char *value, qz_err *err)
{
    if (!st)
        return closed(err);
    if (need(key, "key", err) || need(value, "value", err))
        return -1;
    return st->ops->setting_put(st->impl, key, value, err);
}

bool qz_store_is_demo(qz_store *st)
{
    qz_arena a = QZ_ARENA_INIT;
    const char *mode = NULL;
    qz_err err;
    qz_err_clear(&err);
    bool demo = qz_store_setting_get(st, QZ_SETTING_MODE, &a, &mode, &err) == 0 &&
                strcmp(mode, QZ_MODE_DEMO) == 0;
    qz_arena_free(&a);
    return demo;
}

/* ---- the calendar the dues were counted with (calendar_days.h) ---- */

int qz_store_calendar_days(qz_store *st, qz_arena *a, qz_calendar_days_row **out, size_t *n,
                           qz_err *err)
{
    *out = NULL;
    *n = 0;
    return st ? st->ops->calendar_days(st->impl, a, out, n, err) : closed(err);
}

int qz_store_calendar_days_put(qz_store *st, const qz_calendar_days_row *rows, size_t n,
                               qz_instant now, qz_err *err)
{
    if (!st)
        return closed(err);
    for (size_t i = 0; i < n; i++)
        if (!rows[i].days || (strlen(rows[i].days) != 365 && strlen(rows[i].days) != 366))
            return qz_err_set(err, QZ_EINPUT, "store.field_missing", "days", NULL);
    return st->ops->calendar_days_put(st->impl, rows, n, now, err);
}

int qz_store_unended_case_ids(qz_store *st, qz_arena *a, int64_t **out, size_t *n, qz_err *err)
{
    *out = NULL;
    *n = 0;
    return st ? st->ops->unended_case_ids(st->impl, a, out, n, err) : closed(err);
}
