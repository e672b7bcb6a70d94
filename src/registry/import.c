/*
 * import.c — the two passes of import.h over csv.h's reader: check (and report), then
 * write in chunks; a chunk's rows and their text are copied into one buffer reused for
 * every chunk.
 */
#include "registry/import.h"

#include "registry/csv.h"
#include "registry/rows.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { PROGRESS_EVERY = 65536, TEXT_BUF = 16 << 20 };

typedef struct chunk {
    qz_reg_row *rows;
    size_t n;
    char *text;
    size_t used;
} chunk;

typedef struct pass {
    qz_store *st;
    qz_register kind;
    const qz_import_opts *o;
    qz_import_result *res;
    uint64_t total;
    int map[QZ_REG_MAX_FIELDS];
    chunk ck;
} pass;

static int open_input(const char *path, FILE **f, uint64_t *size, qz_err *err)
{
    struct stat sb;
    *f = fopen(path, "rb");
    if (!*f)
        return qz_err_set(err, QZ_EIO, "registry.file_unreadable", path, strerror(errno));
    *size = fstat(fileno(*f), &sb) == 0 && S_ISREG(sb.st_mode) ? (uint64_t)sb.st_size : 0;
    return 0;
}

static int flush(pass *p, qz_err *err)
{
    int64_t changed = 0;
    if (p->ck.n &&
        qz_registry_import(p->st, p->kind, p->ck.rows, p->ck.n, p->o->now, &changed, err))
        return -1;
    p->res->changed += changed;
    p->ck.n = 0;
    p->ck.used = 0;
    return 0;
}

/* Copies a checked row's fields into the chunk, flushing it first when full. */
static int keep(pass *p, const qz_reg_row *row, qz_err *err)
{
    size_t need = 0;
    for (int i = 0; i < QZ_REG_MAX_FIELDS; i++)
        need += row->f[i] ? strlen(row->f[i]) + 1 : 0;
    if ((p->ck.n == QZ_IMPORT_CHUNK || p->ck.used + need > TEXT_BUF) && flush(p, err))
        return -1;
    qz_reg_row *dst = &p->ck.rows[p->ck.n++];
    for (int i = 0; i < QZ_REG_MAX_FIELDS; i++) {
        dst->f[i] = NULL;
        if (row->f[i]) {
            size_t len = strlen(row->f[i]) + 1;
            memcpy(p->ck.text + p->ck.used, row->f[i], len);
            dst->f[i] = p->ck.text + p->ck.used;
            p->ck.used += len;
        }
    }
    return 0;
}

static bool blank(const qz_csv_record *rec)
{
    return rec->n == 1 && !rec->field[0][0];
}

/* Reports a rejected row, and clears `why` for the next (cleared only after an error:
 * clearing its 470 bytes for every row showed in the profile). */
static void reject(pass *p, int64_t line, qz_err *why, bool report)
{
    p->res->rejected++;
    if (report && p->o->on_reject)
        p->o->on_reject(p->o->ctx, line, why);
    qz_err_clear(why);
}

/* One pass over the file: checks every row (reporting when `report`), keeps the good ones
 * when `write`. */
static int run(pass *p, FILE *f, bool report, bool write, qz_err *err)
{
    qz_csv *r;
    qz_csv_record rec;
    qz_reg_row row;
    qz_err why;
    p->res->rows = p->res->rejected = 0;
    qz_err_clear(&why);
    if (qz_csv_open(f, &r, err))
        return -1;
    int got = qz_csv_next(r, &rec, err);
    if (got <= 0 || qz_reg_header(p->kind, &rec, p->map, err)) {
        if (got == 0)
            qz_err_set(err, QZ_EINPUT, "registry.header_missing", NULL, NULL);
        qz_csv_close(r);
        return -1;
    }
    int rc = 0;
    for (;;) {
        got = qz_csv_next(r, &rec, &why);
        if (got == 0)
            break;
        if (got < 0 && why.code != QZ_EINPUT) {
            *err = why;
            rc = -1;
            break;
        }
        if (got > 0 && blank(&rec))
            continue;
        p->res->rows++;
        if (got < 0) {
            int64_t line = strtoll(why.value, NULL, 10);
            reject(p, line, &why, report);
        } else if (qz_reg_row_read(p->kind, p->map, &rec, &row, &why)) {
            reject(p, rec.line, &why, report);
        } else if (write && keep(p, &row, err)) {
            rc = -1;
            break;
        }
        if (p->o->on_progress && p->res->rows % PROGRESS_EVERY == 0)
            p->o->on_progress(p->o->ctx, p->res->rows, qz_csv_offset(r), p->total, write);
    }
    if (rc == 0 && write)
        rc = flush(p, err);
    if (rc == 0 && p->o->on_progress)
        p->o->on_progress(p->o->ctx, p->res->rows, qz_csv_offset(r), p->total, write);
    qz_csv_close(r);
    return rc;
}

int qz_import_file(qz_store *st, qz_register kind, const char *path, const qz_import_opts *o,
                   qz_import_result *res, qz_err *err)
{
    pass p = {.st = st, .kind = kind, .o = o, .res = res};
    FILE *f;
    memset(res, 0, sizeof *res);
    if (open_input(path, &f, &p.total, err))
        return -1;
    p.ck.rows = malloc(sizeof *p.ck.rows * QZ_IMPORT_CHUNK);
    p.ck.text = malloc(TEXT_BUF);
    int rc = -1;
    if (!p.ck.rows || !p.ck.text) {
        qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
    } else if (o->partial) {
        rc = run(&p, f, true, true, err);
    } else if (run(&p, f, true, false, err) == 0) {
        rc = 0;
        if (res->rejected == 0) {
            rewind(f);
            rc = run(&p, f, false, true, err);
        }
    }
    free(p.ck.rows);
    free(p.ck.text);
    fclose(f);
    return rc;
}
