#include "http/notify.h"

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

/* Appends one message; 0, or -1 after reporting the failure on stderr. */
static int send_one(const qz_http_ctx *ctx, const char *iin, const char *region,
                    const char *channel, const char *lang, const char *text, qz_instant now)
{
    qz_err err;
    qz_outbox_row m = {.region = region,
                       .to_iin = iin,
                       .channel = channel,
                       .lang = lang,
                       .text = text,
                       .created_at = now};
    if (qz_store_outbox_append(ctx->store, &m, NULL, &err) == 0)
        return 0;
    fprintf(stderr, "qyzmet: notifying %s failed: %s\n", iin, err.key);
    return -1;
}

/* Sends `text` to person `iin`: to the cabinet, and by SMS when they have a phone. */
static int tell(const qz_http_ctx *ctx, const char *iin, const char *region, const char *lang,
                const char *text, qz_instant now)
{
    qz_arena a = QZ_ARENA_INIT;
    qz_person_row p = {0};
    qz_err err;
    bool known = qz_store_person_get(ctx->store, iin, &a, &p, &err) == 0;
    const char *where = known && p.region ? p.region : region;
    int sent = 0;
    if (where && send_one(ctx, iin, where, "cabinet", lang, text, now) == 0)
        sent++;
    if (where && known && p.phone && *p.phone &&
        send_one(ctx, iin, where, "sms", lang, text, now) == 0)
        sent++;
    qz_arena_free(&a);
    return sent;
}

/* Formats message `key` about case c with its number, service name and the day of `due`,
 * then the case's data members the action taken names (its notice_args: {4}, {5}, …;
 * "" for one not recorded or not a text). */
static const char *message(const qz_http_ctx *ctx, const qz_case *c, const qz_action_spec *taken,
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

/* When the case has just come to a step of the person it concerns (their consent), asks
 * that person, by the step's due day. */
static int ask_party(const qz_http_ctx *ctx, const qz_case *before, const qz_case *after,
                     const char *region, qz_instant now)
{
    char text[1024];
    const qz_step *s = qz_case_step(after);
    if (!s->party || (before && before->state == after->state))
        return 0;
    const char *person = after->subject[0] ? after->subject : after->applicant;
    message(ctx, after, NULL, "notify.case.consent_asked", qz_case_run(after)->due_at, text,
            sizeof text);
    return tell(ctx, person, region, lang_of(after), text, now);
}

int qz_notify_case(const qz_http_ctx *ctx, const qz_case *before, const qz_case *after,
                   const char *region, qz_instant now)
{
    char key[48], text[1024];
    int sent = ask_party(ctx, before, after, region, now);
    if (!change_key(before, after, key, sizeof key))
        return sent;
    /* a result back at the PSC is handed out from now on, not from the receipt's date */
    message(ctx, after, action_taken(before, after), key,
            result_moved(before, after) ? now : after->due_at, text, sizeof text);
    sent += tell(ctx, after->applicant, region, lang_of(after), text, now);
    if (after->subject[0] && strcmp(after->subject, after->applicant) != 0)
        sent += tell(ctx, after->subject, region, lang_of(after), text, now);
    return sent;
}

/* The language tag of messages: "ru", "en", else "kk". */
static const char *lang_tag(const char *lang)
{
    return lang && strcmp(lang, "ru") == 0 ? "ru" : lang && strcmp(lang, "en") == 0 ? "en" : "kk";
}

int qz_notify_complaint(const qz_http_ctx *ctx, const qz_complaint_row *k, const char *lang,
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
    return tell(ctx, k->complainant, k->region, tag, text, now);
}
