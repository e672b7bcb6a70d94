/*
 * strings.h — the catalogue of person-facing text.
 *
 * Every message a person reads has a key ("date.malformed") and a text per
 * language (kk, ru, and en for engineers) in catalog/strings/ (every .json file):
 *     { "date.malformed": { "kk": "…", "ru": "…", "en": "…" }, … }
 * Texts may hold the placeholders {value}, {field} and {file}, and {1}..{9} for
 * positional arguments. A key used by the code but missing from the catalogue
 * prints as the key itself, so a gap is visible, never a crash. Loading checks
 * that every entry has all three languages.
 *
 * A qz_strings is immutable after loading and safe to share between threads.
 */
#ifndef QZ_STRINGS_H
#define QZ_STRINGS_H

#include "core/err.h"

#include <jansson.h>
#include <stddef.h>

typedef struct qz_strings qz_strings;

typedef enum qz_lang { QZ_LANG_KK = 0, QZ_LANG_RU = 1, QZ_LANG_EN = 2 } qz_lang;

/* Loads every *.json file of `dir`. Returns NULL with `err` set on failure; the caller
 * frees the result with qz_strings_free. */
qz_strings *qz_strings_load(const char *dir, qz_err *err);

void qz_strings_free(qz_strings *s);

/* Returns the language named by a tag such as "kk", "ru-RU", "kk_KZ.UTF-8";
 * anything else is English. */
qz_lang qz_lang_from_tag(const char *tag);

/* Returns the text of `key` in `lang` (borrowed from `s`), or `key` itself when unknown
 * or when `s` is NULL. */
const char *qz_strings_get(const qz_strings *s, qz_lang lang, const char *key);

/* A new JSON object of every key that starts with `prefix` and its text in `lang` (the
 * web pages' texts, "web.…"); NULL when out of memory. The caller owns it. */
json_t *qz_strings_prefixed(const qz_strings *s, qz_lang lang, const char *prefix);

/*
 * Writes the text of `key` into buf (capacity cap), replacing {1}..{9} with args[0..8]
 * (args may be NULL or shorter; a missing one prints empty) and {value}, {field},
 * {file} with those of `err` (which may be NULL). Truncates safely. Returns buf.
 */
char *qz_strings_format(const qz_strings *s, qz_lang lang, const char *key, const qz_err *err,
                        const char *const *args, size_t nargs, char *buf, size_t cap);

/* Formats an error as one line: "file: field: message" (empty parts left out). */
char *qz_strings_error(const qz_strings *s, qz_lang lang, const qz_err *err, char *buf, size_t cap);

#endif
