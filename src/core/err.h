/*
 * err.h — the one error value of qyzmet.
 *
 * A function that can fail returns `int` (0 on success, -1 on failure) and
 * fills a caller-owned `qz_err`. The error carries no prose: `key` names a
 * message in catalog/strings/ (translated at the edge, see strings.h), and
 * `file`, `field` and `value` say where the problem is and what was found.
 * The struct is plain data with fixed-size, always NUL-terminated fields, so
 * it can live on the stack and cross threads; nothing in it needs freeing.
 */
#ifndef QZ_ERR_H
#define QZ_ERR_H

typedef enum qz_code {
    QZ_OK = 0,
    QZ_EINPUT,    /* the caller's input is malformed (a bad date, an unknown code) */
    QZ_EDATA,     /* a data file (catalogue, calendar) is broken or incomplete */
    QZ_ERANGE,    /* a well-formed value outside what the data covers (a year, a term) */
    QZ_ENOTFOUND, /* a named thing does not exist */
    QZ_EIO,       /* the operating system failed us (open, read, write) */
    QZ_ENOMEM,    /* an allocation failed */
    QZ_ECONFLICT, /* a uniqueness or version conflict */
    QZ_EINTERNAL, /* a broken invariant: a bug, reported rather than crashed on */
    /* Classes added for the edges (HTTP status, exit status); the codes above keep their
     * meaning. A refusal that depends on who asks is QZ_EFORBIDDEN; a name in a request's
     * body that matches nothing is QZ_EREF, while a missing resource (the path's case)
     * stays QZ_ENOTFOUND. */
    QZ_EFORBIDDEN,   /* the caller is known but may not do this */
    QZ_EUNAUTH,      /* who calls is unknown, unproven or their proof expired */
    QZ_ELIMITED,     /* too many tries: come back later (value: when, if known) */
    QZ_EREF,         /* the request names something that does not exist (a service, a unit) */
    QZ_EUNAVAILABLE, /* the service cannot do it now (the store cannot write); try again */
    QZ_ECODE_COUNT   /* the number of codes, for tables indexed by code */
} qz_code;

typedef struct qz_err {
    qz_code code;
    char key[48];    /* message key, e.g. "date.malformed" */
    char file[160];  /* the data file concerned, or "" */
    char field[128]; /* the field or entry concerned, e.g. "moves[2].date", or "" */
    char value[128]; /* the offending value or a detail, verbatim, or "" */
} qz_err;

/* Turns a QZ_ENOTFOUND in `err` into QZ_EREF: the caller looked up a name it was given
 * in a body. Returns -1, so a lookup can end `return qz_err_as_ref(err);`. */
int qz_err_as_ref(qz_err *err);

/* Clears `err` to QZ_OK with empty fields. */
void qz_err_clear(qz_err *err);

/* Fills `err` (when non-NULL) and returns -1, so callers can `return qz_err_set(...)`.
 * `field` and `value` may be NULL; longer strings are truncated, never overflowed. */
int qz_err_set(qz_err *err, qz_code code, const char *key, const char *field, const char *value);

/* Like qz_err_set with a printf-formatted value. */
int qz_err_setf(qz_err *err, qz_code code, const char *key, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Sets the file the error concerns (loaders call it once the error is known). */
void qz_err_set_file(qz_err *err, const char *file);

/* Prefixes `field` with `prefix` and a dot (or nothing when field is empty), so a
 * nested loader can say "versions[0].terms[2].wd" without knowing its depth. */
void qz_err_prefix_field(qz_err *err, const char *prefix);

#endif
