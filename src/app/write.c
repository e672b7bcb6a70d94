/*
 * write.c — qz_app_commit (write.h): the changes become one qz_store_cases_write whose
 * bind, run inside the transaction once the ids are known, completes each case (its id,
 * number and version; a bundle's links), renders its messages and builds the kept answer.
 */
#include "app/write.h"

#include "store/case_store.h"

#include <stdlib.h>
#include <string.h>

typedef struct commit {
    const qz_app *app;
    qz_change *changes;
    qz_case_rows *rows;
    size_t n;
    bool link;
    const qz_keep *keep;
    qz_instant now;
    char *answer; /* built by keep->respond inside the write */
} commit;

/* Case k's data records the ids of the other cases of its bundle: "bundle": [ids]. */
static int link_case(const commit *m, const qz_case_written *outs, size_t k, qz_err *err)
{
    qz_case *c = m->changes[k].after;
    json_t *ids = json_array();
    for (size_t j = 0; ids && j < m->n; j++)
        if (j != k && json_array_append_new(ids, json_integer(outs[j].id))) {
            json_decref(ids);
            ids = NULL;
        }
    if (!ids || !c->data || json_object_set_new(c->data, "bundle", ids))
        return qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
    return 0;
}

static int bind(void *ctx, qz_case_write *ws, const qz_case_written *outs, size_t n, qz_err *err)
{
    commit *m = ctx;
    for (size_t k = 0; k < n; k++) {
        qz_change *ch = &m->changes[k];
        qz_case *c = ch->after;
        c->id = outs[k].id;
        c->version = (int)outs[k].version;
        snprintf(c->number, sizeof c->number, "%s", outs[k].number);
        if ((m->link && n > 1 && link_case(m, outs, k, err)) ||
            qz_case_rows_doc(c, &m->rows[k], &ws[k], err))
            return -1;
        ws[k].messages = ch->notices.rows;
        ws[k].n_messages = qz_notify_render(m->app, c, &ch->notices, m->now);
    }
    if (m->keep && m->keep->respond) {
        for (size_t k = 0; k < n; k++)
            m->changes[k].out = outs[k];
        m->answer = m->keep->respond(m->keep->ctx, m->changes, n);
        ws[n - 1].response = m->answer;
        if (!m->answer)
            return qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
    }
    return 0;
}

int qz_app_commit(const qz_app *app, qz_change *changes, size_t n, bool link, const qz_keep *keep,
                  qz_instant now, qz_err *err)
{
    qz_case_write *ws = calloc(n ? n : 1, sizeof *ws);
    qz_case_rows *rows = calloc(n ? n : 1, sizeof *rows);
    qz_case_written *outs = calloc(n ? n : 1, sizeof *outs);
    commit m = {app, changes, rows, n, link, keep, now, NULL};
    int rc = ws && rows && outs ? 0 : qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
    size_t made = 0;
    for (; rc == 0 && made < n; made++) {
        qz_change *ch = &changes[made];
        memset(&ch->out, 0, sizeof ch->out);
        rc = qz_notify_plan(app, ch->before, ch->after, ch->region, &ch->notices, err) ||
                     qz_case_rows_make(ch->after, ch->ev, ch->region, now, &rows[made], &ws[made],
                                       err)
                 ? -1
                 : 0;
    }
    if (rc == 0 && keep && keep->key) {
        ws[n - 1].idem_key = keep->key;
        ws[n - 1].fingerprint = keep->fingerprint;
    }
    if (rc == 0)
        rc = qz_store_cases_write(app->store, ws, n, bind, &m, outs, err);
    if (rc == 0) {
        for (size_t k = 0; k < n; k++)
            changes[k].out = outs[k];
        if (!changes[n - 1].out.response) { /* no key: the answer built is the caller's */
            changes[n - 1].out.response = m.answer;
            m.answer = NULL;
        }
    }
    free(m.answer); /* with a key, the store handed back its own copy */
    for (size_t k = 0; k < made; k++)
        qz_case_rows_free(&rows[k]);
    free(outs);
    free(rows);
    free(ws);
    return rc;
}

void qz_changes_clear(qz_change *changes, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        free(changes[k].out.response);
        changes[k].out.response = NULL;
    }
}
