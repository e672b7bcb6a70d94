/*
 * audit.c — qz_store_audit_verify's walk over the event chain, for every backend.
 *
 * The backend streams the events in id order (backend.h, events_scan). Each row r is
 * judged once its successor n has arrived, against its predecessor p (the last row that
 * passed). Four facts decide: the link (r.prev_hash is p's hash, or zeros for the first
 * row), the self-hash (r's columns still hash to r.hash), the id (p.id + 1) and the
 * case's seq (the case's last seq + 1). When one fails, the evidence names the kind:
 *
 *   link ok, hash wrong:    n skips r (n.prev_hash = r.prev_hash) -> r INSERTED;
 *                           n links to r's stored hash, so r was
 *                           there and its contents changed         -> r EDITED;
 *                           else, r's case does not exist          -> r INSERTED;
 *                           else                                    -> r EDITED.
 *   link ok, hash ok:       an id or seq out of order, or a case that does not exist,
 *                           in a row that hashes correctly: never
 *                           written by qyzmet's chain              -> r INSERTED.
 *   link broken:            an id gap                              -> DELETED before r;
 *                           n links to p, skipping r               -> r INSERTED;
 *                           r and p claim the same predecessor, so p
 *                           was slipped in before r                 -> p INSERTED;
 *                           otherwise r's predecessor is gone       -> DELETED before r.
 */
#include "store/backend.h"
#include "store/chain.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct link {
    int64_t id, case_id, seq;
    unsigned char prev[QZ_HASH_LEN], hash[QZ_HASH_LEN];
    bool self_ok; /* the columns hash to `hash` */
    bool orphan;  /* its case does not exist */
} link;

/* The last seq seen of each case: open addressing, grown at half load. */
typedef struct seq_slot {
    int64_t case_id, seq;
    bool used;
} seq_slot;

typedef struct seq_map {
    seq_slot *v;
    size_t cap, n;
} seq_map;

typedef struct walk {
    link p, r;
    bool have_p, have_r;
    seq_map seqs;
    uint64_t passed;
    bool broken;
    qz_audit_break *brk;
} walk;

static const unsigned char ZERO[QZ_HASH_LEN];

static size_t slot_of(const seq_map *m, int64_t case_id)
{
    uint64_t h = (uint64_t)case_id * 0x9E3779B97F4A7C15u;
    size_t i = (size_t)(h >> 20) & (m->cap - 1);
    while (m->v[i].used && m->v[i].case_id != case_id)
        i = (i + 1) & (m->cap - 1);
    return i;
}

static int64_t seq_last(const seq_map *m, int64_t case_id)
{
    if (!m->cap)
        return 0;
    size_t i = slot_of(m, case_id);
    return m->v[i].used ? m->v[i].seq : 0;
}

static int seq_grow(seq_map *m, qz_err *err)
{
    seq_map bigger = {calloc(m->cap ? m->cap * 2 : 1024, sizeof(seq_slot)),
                      m->cap ? m->cap * 2 : 1024, m->n};
    if (!bigger.v)
        return qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
    for (size_t i = 0; i < m->cap; i++)
        if (m->v[i].used)
            bigger.v[slot_of(&bigger, m->v[i].case_id)] = m->v[i];
    free(m->v);
    *m = bigger;
    return 0;
}

static int seq_put(seq_map *m, int64_t case_id, int64_t seq, qz_err *err)
{
    if ((m->n + 1) * 2 > m->cap && seq_grow(m, err))
        return -1;
    size_t i = slot_of(m, case_id);
    if (!m->v[i].used)
        m->n++;
    m->v[i] = (seq_slot){case_id, seq, true};
    return 0;
}

static void found(walk *w, qz_audit_kind kind, const link *at, const char *reason)
{
    w->broken = true;
    *w->brk = (qz_audit_break){.kind = kind, .event_id = at->id, .case_id = at->case_id};
    snprintf(w->brk->reason, sizeof w->brk->reason, "%s", reason);
}

/* r's link to p is broken: a deletion, or an insertion around it. */
static void judge_broken_link(walk *w, const link *n, bool id_ok, bool seq_ok)
{
    const link *r = &w->r, *p = &w->p;
    const unsigned char *want = w->have_p ? p->hash : ZERO;
    int64_t expected = w->have_p ? p->id + 1 : 1;
    if (!id_ok && r->id > expected) {
        found(w, QZ_AUDIT_DELETED, r, "id_gap");
        w->brk->missing_from = expected;
        w->brk->missing_to = r->id - 1;
    } else if (!id_ok) {
        found(w, QZ_AUDIT_INSERTED, r, "id_gap");
    } else if (n && memcmp(n->prev, want, QZ_HASH_LEN) == 0) {
        found(w, QZ_AUDIT_INSERTED, r, "skipped");
    } else if (w->have_p && memcmp(r->prev, p->prev, QZ_HASH_LEN) == 0) {
        found(w, QZ_AUDIT_INSERTED, p, "fork");
        w->passed--; /* p had passed; it is the break */
    } else {
        found(w, QZ_AUDIT_DELETED, r, seq_ok ? "prev_hash" : "seq_gap");
    }
}

/* r links to p but its columns no longer hash to its stored hash. */
static void judge_bad_hash(walk *w, const link *n)
{
    const link *r = &w->r;
    if (n && memcmp(n->prev, r->prev, QZ_HASH_LEN) == 0)
        found(w, QZ_AUDIT_INSERTED, r, "skipped");
    else if (n && memcmp(n->prev, r->hash, QZ_HASH_LEN) == 0)
        found(w, QZ_AUDIT_EDITED, r, "hash");
    else if (r->orphan)
        found(w, QZ_AUDIT_INSERTED, r, "no_case");
    else
        found(w, QZ_AUDIT_EDITED, r, "hash");
}

/* Judges w->r now that its successor n (NULL at the end) is known. */
static int judge(walk *w, const link *n, qz_err *err)
{
    const link *r = &w->r;
    const unsigned char *want = w->have_p ? w->p.hash : ZERO;
    int64_t last = seq_last(&w->seqs, r->case_id);
    bool link_ok = memcmp(r->prev, want, QZ_HASH_LEN) == 0;
    bool id_ok = r->id == (w->have_p ? w->p.id + 1 : 1);
    bool seq_ok = r->seq == last + 1;
    if (link_ok && r->self_ok && id_ok && seq_ok && !r->orphan) {
        w->p = *r;
        w->have_p = true;
        w->passed++;
        return seq_put(&w->seqs, r->case_id, r->seq, err);
    }
    if (link_ok && !r->self_ok)
        judge_bad_hash(w, n);
    else if (link_ok)
        found(w, QZ_AUDIT_INSERTED, r,
              !id_ok           ? "id_gap"
              : seq_ok         ? "no_case"
              : r->seq <= last ? "seq_repeat"
                               : "seq_gap");
    else
        judge_broken_link(w, n, id_ok, seq_ok);
    return 0;
}

static int on_row(void *ctx, const qz_event_row *row, qz_scan_flags flags, qz_err *err)
{
    walk *w = ctx;
    link x = {.id = row->id, .case_id = row->case_id, .seq = row->seq, .orphan = flags.orphan};
    unsigned char computed[QZ_HASH_LEN];
    memcpy(x.prev, row->prev_hash, QZ_HASH_LEN);
    memcpy(x.hash, row->hash, QZ_HASH_LEN);
    if (qz_chain_hash(row, computed, err))
        return -1;
    x.self_ok = !flags.malformed && memcmp(computed, row->hash, QZ_HASH_LEN) == 0;
    if (w->have_r && judge(w, &x, err))
        return -1;
    if (w->broken)
        return 1;
    w->r = x;
    w->have_r = true;
    return 0;
}

int qz_store_audit_walk(const qz_store_ops *ops, void *impl, uint64_t *n_events,
                        qz_audit_break *first_break, qz_err *err)
{
    walk w = {.brk = first_break};
    memset(first_break, 0, sizeof *first_break);
    int r = ops->events_scan(impl, on_row, &w, err);
    if (r == 0 && w.have_r && !w.broken)
        r = judge(&w, NULL, err);
    free(w.seqs.v);
    *n_events = w.passed;
    if (r < 0)
        return -1;
    return w.broken ? 1 : 0;
}

/* ---- cases against their events and documents ---- */

static bool same(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static bool ended(const char *status)
{
    return status && (strcmp(status, "done") == 0 || strcmp(status, "refused") == 0 ||
                      strcmp(status, "withdrawn") == 0);
}

/* The first field of case c that disagrees, or NULL. */
static const char *disagreement(const qz_case_facts *c)
{
    if (!c->event_state || !same(c->state, c->event_state))
        return "state";
    if ((ended(c->status) || ended(c->event_state)) && !same(c->status, c->event_state))
        return "status";
    if (!same(c->state, c->doc_state))
        return "doc.state";
    if (!same(c->status, c->doc_status))
        return "doc.status";
    if (!same(c->service, c->doc_service))
        return "service";
    if (!same(c->applicant, c->doc_applicant))
        return "applicant";
    if (!same(c->subject, c->doc_subject))
        return "subject";
    return NULL;
}

static int on_case(void *ctx, const qz_case_facts *c, qz_err *err)
{
    (void)err;
    qz_audit_break *b = ctx;
    const char *field = disagreement(c);
    if (!field)
        return 0;
    *b = (qz_audit_break){.kind = QZ_AUDIT_CASE_ROW, .case_id = c->id};
    snprintf(b->reason, sizeof b->reason, "%s", field);
    return 1;
}

int qz_store_audit_cases(const qz_store_ops *ops, void *impl, qz_audit_break *first_break,
                         qz_err *err)
{
    memset(first_break, 0, sizeof *first_break);
    int r = ops->cases_scan(impl, on_case, first_break, err);
    if (r < 0)
        return -1;
    return first_break->kind == QZ_AUDIT_CASE_ROW ? 1 : 0;
}
