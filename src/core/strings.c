#include "core/strings.h"

#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct qz_strings {
    json_t *table; /* key -> {kk, ru, en}; owned */
};

static const char *const lang_tags[] = {"kk", "ru", "en"};

static int check_entry(const char *file, const char *key, json_t *entry, qz_err *err)
{
    if (!json_is_object(entry))
        goto bad;
    for (size_t i = 0; i < 3; i++) {
        json_t *t = json_object_get(entry, lang_tags[i]);
        if (!json_is_string(t) || json_string_length(t) == 0) {
            qz_err_set(err, QZ_EDATA, "strings.missing_language", key, lang_tags[i]);
            qz_err_set_file(err, file);
            return -1;
        }
    }
    return 0;
bad:
    qz_err_set(err, QZ_EDATA, "strings.not_object", key, NULL);
    qz_err_set_file(err, file);
    return -1;
}

static int load_file(json_t *table, const char *path, qz_err *err)
{
    json_error_t jerr;
    json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    if (!doc) {
        qz_err_setf(err, QZ_EDATA, "json.syntax", NULL, "line %d: %s", jerr.line, jerr.text);
        qz_err_set_file(err, path);
        return -1;
    }
    int rc = 0;
    const char *key;
    json_t *entry;
    if (!json_is_object(doc)) {
        rc = qz_err_set(err, QZ_EDATA, "strings.not_object", NULL, NULL);
        qz_err_set_file(err, path);
    }
    json_object_foreach(doc, key, entry)
    {
        if (rc == 0 && check_entry(path, key, entry, err) != 0)
            rc = -1;
        else if (rc == 0 && json_object_get(table, key)) {
            rc = qz_err_set(err, QZ_EDATA, "strings.duplicate_key", key, NULL);
            qz_err_set_file(err, path);
        } else if (rc == 0 && json_object_set(table, key, entry) != 0)
            rc = qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
    }
    json_decref(doc);
    return rc;
}

static int is_json_name(const char *name)
{
    size_t n = strlen(name);
    return n > 5 && name[0] != '.' && strcmp(name + n - 5, ".json") == 0;
}

qz_strings *qz_strings_load(const char *dir, qz_err *err)
{
    DIR *d = opendir(dir);
    if (!d) {
        qz_err_set(err, QZ_EIO, "file.cannot_open", NULL, dir);
        qz_err_set_file(err, dir);
        return NULL;
    }
    qz_strings *s = calloc(1, sizeof *s);
    json_t *table = json_object();
    int rc = s && table ? 0 : qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
    struct dirent *e;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        char path[4096];
        if (!is_json_name(e->d_name))
            continue;
        if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= sizeof path)
            rc = qz_err_set(err, QZ_EIO, "file.path_too_long", NULL, e->d_name);
        else
            rc = load_file(table, path, err);
    }
    closedir(d);
    if (rc != 0) {
        json_decref(table);
        free(s);
        return NULL;
    }
    s->table = table;
    return s;
}

void qz_strings_free(qz_strings *s)
{
    if (!s)
        return;
    json_decref(s->table);
    free(s);
}

qz_lang qz_lang_from_tag(const char *tag)
{
    if (!tag)
        return QZ_LANG_EN;
    if (strncmp(tag, "kk", 2) == 0 || strncmp(tag, "kz", 2) == 0)
        return QZ_LANG_KK;
    if (strncmp(tag, "ru", 2) == 0)
        return QZ_LANG_RU;
    return QZ_LANG_EN;
}

const char *qz_strings_get(const qz_strings *s, qz_lang lang, const char *key)
{
    if (!s)
        return key;
    json_t *t = json_object_get(json_object_get(s->table, key), lang_tags[lang]);
    return json_is_string(t) ? json_string_value(t) : key;
}

json_t *qz_strings_prefixed(const qz_strings *s, qz_lang lang, const char *prefix)
{
    json_t *out = json_object();
    const char *key;
    json_t *entry;
    size_t n = strlen(prefix);
    if (!out || !s)
        return out;
    json_object_foreach(s->table, key, entry)
    {
        if (strncmp(key, prefix, n) == 0 &&
            json_object_set(out, key, json_object_get(entry, lang_tags[lang])) != 0) {
            json_decref(out);
            return NULL;
        }
    }
    return out;
}

/* Appends src to buf at *len, keeping the NUL and never passing cap. */
static void append(char *buf, size_t cap, size_t *len, const char *src, size_t n)
{
    if (*len + 1 >= cap)
        return;
    if (n > cap - 1 - *len)
        n = cap - 1 - *len;
    memcpy(buf + *len, src, n);
    *len += n;
    buf[*len] = '\0';
}

static const char *placeholder(const char *name, size_t n, const qz_err *err,
                               const char *const *args, size_t nargs)
{
    if (n == 1 && name[0] >= '1' && name[0] <= '9') {
        size_t i = (size_t)(name[0] - '1');
        return i < nargs && args && args[i] ? args[i] : "";
    }
    if (err && n == 5 && memcmp(name, "value", 5) == 0)
        return err->value;
    if (err && n == 5 && memcmp(name, "field", 5) == 0)
        return err->field;
    if (err && n == 4 && memcmp(name, "file", 4) == 0)
        return err->file;
    return NULL;
}

char *qz_strings_format(const qz_strings *s, qz_lang lang, const char *key, const qz_err *err,
                        const char *const *args, size_t nargs, char *buf, size_t cap)
{
    const char *t = qz_strings_get(s, lang, key);
    size_t len = 0;
    if (cap == 0)
        return buf;
    buf[0] = '\0';
    while (*t) {
        const char *open = strchr(t, '{');
        const char *close = open ? strchr(open, '}') : NULL;
        if (!close) {
            append(buf, cap, &len, t, strlen(t));
            break;
        }
        append(buf, cap, &len, t, (size_t)(open - t));
        const char *v = placeholder(open + 1, (size_t)(close - open - 1), err, args, nargs);
        if (v)
            append(buf, cap, &len, v, strlen(v));
        else
            append(buf, cap, &len, open, (size_t)(close - open + 1));
        t = close + 1;
    }
    return buf;
}

char *qz_strings_error(const qz_strings *s, qz_lang lang, const qz_err *err, char *buf, size_t cap)
{
    char msg[512];
    qz_strings_format(s, lang, err->key, err, NULL, 0, msg, sizeof msg);
    snprintf(buf, cap, "%s%s%s%s%s", err->file, err->file[0] ? ": " : "", err->field,
             err->field[0] ? ": " : "", msg);
    return buf;
}
