/*
 * issue.c — issuing a case's documents (issue.h): which ones it has reached, their fields
 * from the registers and the case, rendering, signing, keeping.
 */
#include "docs/issue.h"

#include "core/jsonv.h"
#include "docs/pki.h"
#include "docs/render.h"
#include "docs/sign.h"
#include "registry/checks.h"
#include "store/documents.h"
#include "store/registry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_FIELDS = 48, MAX_SIGNERS = 2 };

static const int KZ_OFFSET = 5 * 3600; /* Kazakhstan's one offset since 2024-03-01 */

typedef struct fields {
    qz_doc_field f[MAX_FIELDS];
    size_t n;
    qz_arena *a;
} fields;

/* Adds name = value unless the name is there already (the first value wins). */
static void put(fields *fs, const char *name, const char *value)
{
    if (!value || fs->n == MAX_FIELDS)
        return;
    for (size_t i = 0; i < fs->n; i++)
        if (strcmp(fs->f[i].name, name) == 0)
            return;
    fs->f[fs->n++] = (qz_doc_field){name, value};
}

static char *printf_a(qz_arena *a, const char *fmt, const char *s1, const char *s2, const char *s3)
{
    size_t len = strlen(fmt) + strlen(s1) + (s2 ? strlen(s2) : 0) + (s3 ? strlen(s3) : 0) + 1;
    char *p = qz_arena_alloc(a, len);
    if (p)
        snprintf(p, len, fmt, s1, s2 ? s2 : "", s3 ? s3 : "");
    return p;
}

static const char *date_of(qz_arena *a, qz_instant t)
{
    char *p = qz_arena_alloc(a, QZ_DATE_STR);
    return p ? qz_date_format(qz_instant_date(t, KZ_OFFSET), p) : NULL;
}

static const char *minute_of(qz_arena *a, qz_instant t)
{
    char buf[QZ_INSTANT_STR];
    qz_instant_format(t, KZ_OFFSET, buf);
    buf[16] = '\0';
    buf[10] = ' ';
    return qz_arena_strdup(a, buf);
}

/* The result's entry in catalog/documents/results.json: its template and signers. */
typedef struct result_spec {
    const char *document;
    const char *signer_kind[MAX_SIGNERS]; /* a unit kind of the case, or NULL */
    const char *signer_unit[MAX_SIGNERS]; /* a fixed unit, or NULL */
    size_t n_signers;
} result_spec;

static int result_of(const qz_issuer *x, const char *service, const char *result, json_t **doc,
                     result_spec *out, qz_err *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/results.json", x->catalog_dir);
    if (!(*doc = qz_json_load_file(path, err)))
        return -1;
    json_t *e;
    size_t i;
    json_array_foreach(json_object_get(*doc, "results"), i, e)
    {
        if (!json_is_string(json_object_get(e, "service")) ||
            strcmp(json_string_value(json_object_get(e, "service")), service) != 0)
            continue;
        json_t *r, *s;
        size_t k;
        bool match = false;
        json_array_foreach(json_object_get(e, "results"), k, r) match |=
            json_is_string(r) && strcmp(json_string_value(r), result) == 0;
        if (!match)
            continue;
        out->document = json_string_value(json_object_get(e, "document"));
        out->n_signers = 0;
        json_array_foreach(json_object_get(e, "signed_by"), k, s)
        {
            if (out->n_signers == MAX_SIGNERS)
                break;
            out->signer_kind[out->n_signers] = json_string_value(json_object_get(s, "kind"));
            out->signer_unit[out->n_signers++] = json_string_value(json_object_get(s, "unit"));
        }
        return out->document ? 0
                             : qz_err_set(err, QZ_EDATA, "docs.template_invalid", path, service);
    }
    out->document = NULL;
    return 0;
}

/* The person the case is about (its subject, else its applicant). */
static const char *person_iin(const qz_case *c)
{
    return c->subject[0] ? c->subject : c->applicant;
}

static int person_fields(const qz_issuer *x, const char *iin, fields *fs, qz_person_record *p,
                         qz_err *err)
{
    qz_err e;
    if (qz_registry_person_get(x->store, iin, fs->a, p, &e)) {
        if (e.code != QZ_ENOTFOUND) {
            *err = e;
            return -1;
        }
        memset(p, 0, sizeof *p);
        put(fs, "iin", iin);
        return 0;
    }
    put(fs, "full_name",
        printf_a(fs->a, p->patronymic ? "%s %s %s" : "%s %s%s", p->surname, p->name,
                 p->patronymic));
    put(fs, "iin", iin);
    put(fs, "birth_date", p->birth);
    put(fs, "birth_place", p->birth_place);
    put(fs, "citizenship", p->citizenship);
    return 0;
}

/* Every string member of a JSON object (the case's payload and data) as a field. */
static void json_fields(fields *fs, const json_t *obj)
{
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)obj, k, v) if (json_is_string(v))
        put(fs, k, json_string_value(v));
}

static int registers_fields(const qz_issuer *x, const qz_case *c, const char *document,
                            const qz_person_record *p, qz_instant now, fields *fs, qz_err *err)
{
    const char *iin = person_iin(c);
    const char *today = date_of(fs->a, now);
    if (strcmp(document, "certificate") == 0) {
        qz_conviction_row *cv;
        size_t n;
        if (qz_registry_convictions(x->store, iin, fs->a, &cv, &n, err))
            return -1;
        put(fs, "as_of", today);
        put(fs, "record", qz_check_record(cv, n, today, NULL) ? "has" : "none");
        put(fs, "purpose",
            strcmp(c->result, "certificate-abroad") == 0 || strcmp(c->variant, "abroad") == 0
                ? "abroad"
                : "general");
    } else if (strcmp(document, "address-certificate") == 0 ||
               strcmp(document, "registration-notice") == 0 ||
               strcmp(document, "departure-sheet") == 0) {
        qz_registration_row *r;
        size_t n;
        if (qz_registry_registrations(x->store, iin, fs->a, &r, &n, err))
            return -1;
        const qz_registration_row *open = qz_check_permanent(r, n);
        const qz_registration_row *last = open ? open : n ? &r[0] : NULL;
        if (last) {
            put(fs, "address", last->address);
            put(fs, "from", last->from_on);
            put(fs, "registration_kind", last->kind);
            put(fs, "ended_on", last->ended_on ? last->ended_on : today);
        }
        put(fs, "ground",
            json_string_value(json_object_get(c->payload, "ground_of_deregistration")));
        put(fs, "previous", "");
    } else if (strcmp(document, "archival-certificate") == 0) {
        qz_settler_row *s = NULL;
        size_t n = 0;
        const char *birth = p->birth;
        if (p->surname &&
            qz_registry_settlers(x->store, p->surname, p->name, birth, fs->a, &s, &n, err))
            return -1;
        if (qz_check_under_16_in_1940(birth) && n == 0) {
            put(fs, "finding", "under-16");
            put(fs, "details", "");
        } else if (n > 0) {
            put(fs, "finding", "found");
            put(fs, "details",
                printf_a(fs->a, "%s: %s → %s", s[0].relocated_on, s[0].from_place, s[0].to_place));
        } else {
            put(fs, "finding", "not-found");
            put(fs, "details", "");
        }
    } else if (strcmp(document, "iin-notice") == 0) {
        put(fs, "previously", "new");
    }
    return 0;
}

/* The common fields: the service, the branch, the dates, the documents accepted. */
static int case_fields(const qz_issuer *x, const qz_case *c, qz_lang lang, fields *fs, qz_err *err)
{
    put(fs, "service", c->ver->name.t[lang]);
    const qz_unit_ref *psc = qz_case_unit(c, "psc");
    qz_unit_row u;
    if (psc && qz_store_unit_get(x->store, psc->code, fs->a, &u, err) == 0)
        put(fs, "branch", lang == QZ_LANG_RU ? u.name_ru : u.name_kk);
    put(fs, "accepted_at", minute_of(fs->a, c->accepted_at));
    put(fs, "hand_out_on", date_of(fs->a, c->due_at));
    put(fs, "employee", c->n_runs ? c->runs[0].actor : NULL);
    qz_doc_list docs = qz_service_documents(c->ver, c->channel);
    size_t len = 1;
    for (size_t i = 0; i < docs.n; i++)
        len += strlen(docs.docs[i].name.t[lang] ? docs.docs[i].name.t[lang] : "") + 2;
    char *list = qz_arena_alloc(fs->a, len);
    if (!list)
        return qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
    list[0] = '\0';
    json_t *v;
    size_t k;
    json_array_foreach(c->documents, k,
                       v) for (size_t i = 0; i < docs.n;
                               i++) if (json_is_string(v) &&
                                        strcmp(docs.docs[i].kind, json_string_value(v)) == 0 &&
                                        docs.docs[i].name.t[lang])
    {
        if (list[0])
            strcat(list, "; ");
        strcat(list, docs.docs[i].name.t[lang]);
    }
    put(fs, "documents", list);
    return 0;
}

/* Renders, signs and keeps one document. */
static int make(const qz_issuer *x, const qz_case *c, const char *kind, const char *number,
                const char *const *signer_units, size_t n_signers, fields *fs, qz_lang lang,
                qz_instant now, qz_err *err)
{
    if (!x->keys_dir)
        return qz_err_set(err, QZ_EINTERNAL, "docs.keys_unset", NULL, NULL);
    qz_signer *s[MAX_SIGNERS] = {0};
    qz_bytes pdf = {0};
    qz_unit_row u;
    char url[512];
    snprintf(url, sizeof url, "%s/api/v1/documents/%s/verify", x->verify_base, number);
    int rc = qz_store_unit_get(x->store, signer_units[0], fs->a, &u, err);
    for (size_t i = 0; rc == 0 && i < n_signers; i++)
        rc = qz_signer_load(x->keys_dir, signer_units[i], &s[i], err);
    if (rc == 0) {
        qz_doc_spec spec = {.kind = kind,
                            .number = number,
                            .lang = lang,
                            .unit_kk = u.name_kk,
                            .unit_ru = u.name_ru,
                            .issued_at = now,
                            .verify_url = url,
                            .fields = fs->f,
                            .n_fields = fs->n,
                            .dash = true};
        rc = qz_doc_render(x->catalog_dir, x->strings, &spec, &pdf, err);
    }
    for (size_t i = 0; rc == 0 && i < n_signers; i++)
        rc = qz_pdf_sign(&pdf, s[i], now, err);
    if (rc == 0) {
        int64_t id;
        qz_document_row d = {.case_id = c->id,
                             .region = u.region,
                             .kind = kind,
                             .number = number,
                             .lang = lang == QZ_LANG_RU ? "ru" : "kk",
                             .created_at = now,
                             .pdf = pdf.p,
                             .pdf_len = pdf.n};
        rc = qz_store_document_add(x->store, &d, &id, err);
    }
    for (size_t i = 0; i < n_signers; i++)
        qz_signer_free(s[i]);
    qz_bytes_free(&pdf);
    return rc;
}

static bool has_kind(const qz_document_row *d, size_t n, const char *kind)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(d[i].kind, kind) == 0)
            return true;
    return false;
}

int qz_docs_issue(const qz_issuer *x, const qz_case *c, qz_instant now, qz_err *err)
{
    qz_arena a = {0};
    qz_document_row *have = NULL;
    size_t n_have = 0;
    json_t *results = NULL;
    qz_lang lang = strcmp(c->lang, "ru") == 0 ? QZ_LANG_RU : QZ_LANG_KK;
    int rc = qz_store_document_list(x->store, c->id, &a, &have, &n_have, err);
    const qz_unit_ref *psc = qz_case_unit(c, "psc");
    if (rc == 0 && psc && !has_kind(have, n_have, "receipt")) {
        fields fs = {.a = &a};
        qz_person_record p;
        const char *units[] = {psc->code};
        rc = person_fields(x, c->applicant, &fs, &p, err) || case_fields(x, c, lang, &fs, err) ||
             make(x, c, "receipt", c->number, units, 1, &fs, lang, now, err);
    }
    bool ended = c->status == QZ_STATUS_READY || c->status == QZ_STATUS_DONE;
    result_spec r = {0};
    if (rc == 0 && ended && c->result[0] &&
        (rc = result_of(x, c->svc->code, c->result, &results, &r, err)) == 0 && r.document &&
        !has_kind(have, n_have, r.document)) {
        fields fs = {.a = &a};
        qz_person_record p;
        const char *units[MAX_SIGNERS];
        size_t n = 0;
        for (size_t i = 0; i < r.n_signers; i++) {
            const qz_unit_ref *u = r.signer_kind[i] ? qz_case_unit(c, r.signer_kind[i]) : NULL;
            const char *code = u ? u->code : r.signer_unit[i];
            if (code)
                units[n++] = code;
        }
        char number[80];
        snprintf(number, sizeof number, "%s-R", c->number);
        if (n == 0)
            rc = qz_err_set(err, QZ_EDATA, "docs.signer_missing", NULL, r.document);
        else
            rc = person_fields(x, person_iin(c), &fs, &p, err) ||
                 registers_fields(x, c, r.document, &p, now, &fs, err) ||
                 (json_fields(&fs, c->payload), json_fields(&fs, c->data), 0) ||
                 case_fields(x, c, lang, &fs, err) ||
                 make(x, c, r.document, number, units, n, &fs, lang, now, err);
    }
    json_decref(results);
    qz_arena_free(&a);
    return rc;
}
