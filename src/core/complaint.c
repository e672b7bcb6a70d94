#include "core/complaint.h"

#include "core/jsonv.h"

#include <stdio.h>
#include <string.h>

enum { MAX_WD = 365 };

/* {"wd": N, "source": "…"} at obj[key]. */
static int read_wd(const json_t *obj, const char *key, int *out, qz_err *err)
{
    static const char *const allowed[] = {"wd", "source", NULL};
    json_t *o = NULL;
    const char *source = NULL;
    long wd = 0;
    if (qz_json_obj(obj, key, true, &o, err))
        return -1;
    if (qz_json_only(o, allowed, err) || qz_json_int(o, "wd", true, 1, MAX_WD, &wd, err) ||
        qz_json_str(o, "source", true, &source, err)) {
        qz_err_prefix_field(err, key);
        return -1;
    }
    *out = (int)wd;
    return 0;
}

static int parse(const json_t *doc, qz_complaint_terms *out, qz_err *err)
{
    static const char *const allowed[] = {"source", "forward", "decide", NULL};
    json_t *decide = NULL, *v;
    const char *source = NULL, *to;
    if (!json_is_object(doc))
        return qz_err_set(err, QZ_EDATA, "json.wrong_type", NULL, "object");
    if (qz_json_only(doc, allowed, err) || qz_json_str(doc, "source", true, &source, err) ||
        read_wd(doc, "forward", &out->forward_wd, err) ||
        qz_json_obj(doc, "decide", true, &decide, err))
        return -1;
    json_object_foreach(decide, to, v)
    {
        (void)v;
        if (out->n_decide == QZ_COMPLAINT_MAX_ADDRESSEES || strlen(to) >= sizeof out->decide[0].to)
            return qz_err_set(err, QZ_EDATA, "complaint.addressee_invalid", "decide", to);
        snprintf(out->decide[out->n_decide].to, sizeof out->decide[0].to, "%s", to);
        if (read_wd(decide, to, &out->decide[out->n_decide].wd, err)) {
            qz_err_prefix_field(err, "decide");
            return -1;
        }
        out->n_decide++;
    }
    if (out->n_decide == 0)
        return qz_err_set(err, QZ_EDATA, "json.missing", "decide", NULL);
    return 0;
}

int qz_complaint_terms_load(const char *path, qz_complaint_terms *out, qz_err *err)
{
    json_t *doc = qz_json_load_file(path, err);
    memset(out, 0, sizeof *out);
    if (!doc)
        return -1;
    int r = parse(doc, out, err);
    json_decref(doc);
    if (r) {
        qz_err_set_file(err, path);
        memset(out, 0, sizeof *out);
    }
    return r;
}

static const int *decide_wd(const qz_complaint_terms *t, const char *to)
{
    for (size_t i = 0; to && i < t->n_decide; i++)
        if (strcmp(t->decide[i].to, to) == 0)
            return &t->decide[i].wd;
    return NULL;
}

bool qz_complaint_addressee_known(const qz_complaint_terms *t, const char *to)
{
    return decide_wd(t, to) != NULL;
}

int qz_complaint_due(const qz_unit_time *u, const qz_complaint_terms *t, const char *to,
                     qz_instant registered, qz_instant *forward_by, qz_instant *decide_by,
                     qz_err *err)
{
    const int *wd = decide_wd(t, to);
    qz_due f, d;
    if (!wd || t->forward_wd <= 0)
        return qz_err_set(err, QZ_EINPUT, "complaint.addressee_unknown", "addressed_to", to);
    qz_term forward = {.unit = QZ_TERM_WD, .amount = t->forward_wd};
    qz_term decide = {.unit = QZ_TERM_WD, .amount = *wd};
    if (qz_term_due(u, &forward, registered, &f, err) ||
        qz_term_due(u, &decide, registered, &d, err))
        return -1;
    *forward_by = f.due;
    *decide_by = d.due;
    return 0;
}
