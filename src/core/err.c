#include "core/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void copy(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src ? src : "");
}

void qz_err_clear(qz_err *err)
{
    memset(err, 0, sizeof *err);
}

int qz_err_set(qz_err *err, qz_code code, const char *key, const char *field, const char *value)
{
    if (!err)
        return -1;
    err->code = code;
    copy(err->key, sizeof err->key, key);
    copy(err->field, sizeof err->field, field);
    copy(err->value, sizeof err->value, value);
    return -1;
}

int qz_err_setf(qz_err *err, qz_code code, const char *key, const char *field, const char *fmt, ...)
{
    char value[sizeof err->value];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(value, sizeof value, fmt, ap);
    va_end(ap);
    return qz_err_set(err, code, key, field, value);
}

void qz_err_set_file(qz_err *err, const char *file)
{
    if (err)
        copy(err->file, sizeof err->file, file);
}

void qz_err_prefix_field(qz_err *err, const char *prefix)
{
    char joined[sizeof err->field];
    if (!err || !prefix || !*prefix)
        return;
    size_t np = strlen(prefix), nf = strlen(err->field);
    size_t sep = nf && err->field[0] != '[' ? 1 : 0; /* "a" + "[1].b" = "a[1].b" */
    if (nf + sep + 1 >= sizeof joined)
        return; /* no room: the innermost part names the problem best */
    size_t room = sizeof joined - 1 - sep - nf;
    if (np > room)
        np = room; /* cut the prefix, keep the field */
    memcpy(joined, prefix, np);
    if (sep)
        joined[np] = '.';
    memcpy(joined + np + sep, err->field, nf + 1);
    memcpy(err->field, joined, sizeof joined);
}

int qz_err_as_ref(qz_err *err)
{
    if (err && err->code == QZ_ENOTFOUND)
        err->code = QZ_EREF;
    return -1;
}
