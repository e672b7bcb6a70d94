#include "app/notify.h"

#include "core/engine.h"
#include "core/schedule_load.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>

/* True when a ready result moved between units: returned to the provider as unclaimed,
 * or back at the PSC (catalog/workflows/unclaimed.json). */
static bool result_moved(const qz_case *before, const qz_case *after)
{
    return before && before->status == QZ_STATUS_READY && after->status == QZ_STATUS_READY &&
           strcmp(qz_case_step(before)->unit, qz_case_step(after)->unit) != 0;
}

/* The action just taken from `before` to `after` (the run `before` was in, now done), or
 * NULL when there was none (acceptance, a timer, an assignment). */
static const qz_action_spec *action_taken(const qz_case *before, const qz_case *after)
{
    if (!before || before->n_runs == 0 || after->n_runs < before->n_runs)
        return NULL;
    const qz_run *run = &after->runs[before->n_runs - 1];
    const qz_step *s = qz_case_step(before);
    for (size_t i = 0; run->done_at && i < s->n_actions; i++)
        if (strcmp(s->actions[i].code, run->action) == 0)
            return &s->actions[i];
    return NULL;
}

/* The message key for the change from `before` to `after` (the action's own notice, else
 * the step's, when they name one), or NULL when there is none to tell. */
static const char *change_key(const qz_case *before, const qz_case *after, char *buf, size_t cap)
{
    const char *notice = qz_case_step(after)->notice;
    const qz_action_spec *taken = action_taken(before, after);
    if (!before)
        snprintf(buf, cap, "notify.case.accepted");
    else if (taken && taken->notice)
        snprintf(buf, cap, "notify.case.%s", taken->notice);
    else if (notice && before->state != after->state)
        snprintf(buf, cap, "notify.case.%s", notice);
    else if (before->status != after->status)
        snprintf(buf, cap, "notify.case.%s", qz_status_name(after->status));
    else if (result_moved(before, after))
        snprintf(buf, cap, "%s",
                 strcmp(qz_case_step(after)->unit, "psc") == 0 ? "notify.case.ready"
                                                               : "notify.case.ready_at_provider");
    else if (before->due_at != after->due_at)
        snprintf(buf, cap, "notify.case.due_changed");
    else
        return NULL;
    return buf;
}

/* The language of the case's messages. */
static const char *lang_of(const qz_case *c)
{
    return strcmp(c->lang, "ru") == 0 ? "ru" : strcmp(c->lang, "en") == 0 ? "en" : "kk";
}

/* Formats message `key` about case c with its number, service name and the day of `due`,
 * then the case's data members the action taken names (its notice_args: {4}, {5}, …;
 * "" for one not recorded or not a text). */
static const char *message(const qz_app *ctx, const qz_case *c, const qz_action_spec *taken,
                           const char *key, qz_instant due, char *text, size_t cap)
{
    char day[QZ_DATE_STR];
    qz_lang l = qz_lang_from_tag(lang_of(c));
    const qz_zone *z = qz_engine_zone(ctx->rules, c);
    const char *service = c->ver->name.t[l] ? c->ver->name.t[l] : c->ver->name.t[1];
    const char *args[3 + QZ_NOTICE_MAX_ARGS] = {
        c->number, service ? service : c->svc->code,
        qz_date_format(qz_instant_date(due, qz_zone_offset(z, due)), day)};
    size_t n = 3;
    for (size_t i = 0; taken && taken->notice && i < taken->n_notice_args; i++) {
        const char *v = json_string_value(json_object_get(c->data, taken->notice_args[i]));
        args[n++] = v ? v : "";
    }
    qz_strings_format(ctx->strings, l, key, NULL, args, n, text, cap);
    return text;
}

/* Adds message `key` (due day `due`) to person `iin` to the plan, with where they live
 * and whether they have a phone (read now, before the write). */
static int plan_one(const qz_app *app, qz_notices *nt, const char *iin, const char *region,
                    const char *key, qz_instant due, const qz_action_spec *taken, qz_err *err)
{
    qz_arena a = QZ_ARENA_INIT;
    qz_person_row p = {0};
    qz_err lookup;
    if (nt->n >= QZ_NOTICES_MAX)
        return qz_err_set(err, QZ_EINTERNAL, "notify.too_many", NULL, iin);
    int found = qz_store_person_get(app->store, iin, &a, &p, &lookup);
    if (found && lookup.code != QZ_ENOTFOUND) {
        *err = lookup;
        qz_arena_free(&a);
        return -1;
    }
    const char *where = found == 0 && p.region ? p.region : region;
    if (where) {
        qz_notice *x = &nt->v[nt->n++];
        snprintf(x->iin, sizeof x->iin, "%s", iin);
        snprintf(x->region, sizeof x->region, "%s", where);
        snprintf(x->key, sizeof x->key, "%s", key);
        x->due = due;
        x->taken = taken;
        x->sms = found == 0 && p.phone && *p.phone;
    }
    qz_arena_free(&a);
    return 0;
}

int qz_notify_plan(const qz_app *app, const qz_case *before, const qz_case *after,
                   const char *region, qz_notices *out, qz_err *err)
{
    char key[48];
    const qz_step *s = qz_case_step(after);
    out->n = 0;
    /* a case just come to a step of the person it concerns (their consent) asks them */
    if (s->party && !(before && before->state == after->state)) {
        const char *person = after->subject[0] ? after->subject : after->applicant;
        if (plan_one(app, out, person, region, "notify.case.consent_asked",
                     qz_case_run(after)->due_at, NULL, err))
            return -1;
    }
    if (!change_key(before, after, key, sizeof key))
        return 0;
    /* a result back at the PSC is handed out from now on, not from the receipt's date */
    qz_instant due = result_moved(before, after) ? QZ_NO_TIME : after->due_at;
    const qz_action_spec *taken = action_taken(before, after);
    if (plan_one(app, out, after->applicant, region, key, due, taken, err))
        return -1;
    if (after->subject[0] && strcmp(after->subject, after->applicant) != 0 &&
        plan_one(app, out, after->subject, region, key, due, taken, err))
        return -1;
    return 0;
}

size_t qz_notify_render(const qz_app *app, const qz_case *after, qz_notices *nt, qz_instant now)
{
    size_t m = 0;
    const char *lang = lang_of(after);
    for (size_t i = 0; i < nt->n; i++) {
        qz_notice *x = &nt->v[i];
        message(app, after, x->taken, x->key, x->due == QZ_NO_TIME ? now : x->due, x->text,
                sizeof x->text);
        for (int sms = 0; sms <= (x->sms ? 1 : 0); sms++)
            nt->rows[m++] = (qz_outbox_row){.region = x->region,
                                            .to_iin = x->iin,
                                            .channel = sms ? "sms" : "cabinet",
                                            .lang = lang,
                                            .text = x->text,
                                            .created_at = now};
    }
    return m;
}

/* The language tag of messages: "ru", "en", else "kk". */
static const char *lang_tag(const char *lang)
{
    return lang && strcmp(lang, "ru") == 0 ? "ru" : lang && strcmp(lang, "en") == 0 ? "en" : "kk";
}

int qz_notify_complaint(const qz_app *ctx, const qz_complaint_row *k, const char *lang,
                        qz_instant now)
{
    char key[96], text[1024], day[QZ_DATE_STR] = "";
    const char *tag = lang_tag(lang);
    const qz_zone *z = qz_timetable_default_zone(ctx->rules->tt);
    if (k->outcome)
        snprintf(key, sizeof key, "notify.complaint.%s.%s", k->state, k->outcome);
    else
        snprintf(key, sizeof key, "notify.complaint.%s", k->state);
    if (k->due_at != QZ_NO_TIME)
        qz_date_format(qz_instant_date(k->due_at, qz_zone_offset(z, k->due_at)), day);
    const char *args[] = {k->case_number, day};
    qz_strings_format(ctx->strings, qz_lang_from_tag(tag), key, NULL, args, 2, text, sizeof text);
    /* A complaint's own write (store.h, complaints) does not carry messages yet: they
     * follow it, and a failure is reported on stderr. */
    qz_notices nt = {0};
    qz_err err;
    int sent = 0;
    if (plan_one(ctx, &nt, k->complainant, k->region, key, QZ_NO_TIME, NULL, &err)) {
        fprintf(stderr, "qyzmet: notifying %s failed: %s\n", k->complainant, err.key);
        return 0;
    }
    for (size_t i = 0; i < nt.n; i++)
        for (int sms = 0; sms <= (nt.v[i].sms ? 1 : 0); sms++) {
            qz_outbox_row m = {.region = nt.v[i].region,
                               .to_iin = nt.v[i].iin,
                               .channel = sms ? "sms" : "cabinet",
                               .lang = tag,
                               .text = text,
                               .created_at = now};
            if (qz_store_outbox_append(ctx->store, &m, NULL, &err) == 0)
                sent++;
            else
                fprintf(stderr, "qyzmet: notifying %s failed: %s\n", k->complainant, err.key);
        }
    return sent;
}
