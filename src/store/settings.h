/*
 * settings.h — a database's own settings: small named values kept with its data, such as
 * its mode ("demo" for a database `init --demo` made). Read and written through the
 * store, from any thread (store.h's thread safety).
 */
#ifndef QZ_STORE_SETTINGS_H
#define QZ_STORE_SETTINGS_H

#include "store/store.h"

/* The mode a demo database is in (QZ_SETTING_MODE). */
#define QZ_SETTING_MODE "mode"
#define QZ_MODE_DEMO "demo"

/* Reads setting `key`: 0 with *value (in `a`), 1 with *value NULL when it is not set, or
 * -1 with err. */
int qz_store_setting_get(qz_store *st, const char *key, qz_arena *a, const char **value,
                         qz_err *err);

/* Sets `key` to `value` (durable on return): 0, or -1 with err. */
int qz_store_setting_put(qz_store *st, const char *key, const char *value, qz_err *err);

/* Whether the database is a demo one: one-time passwords sent to it may be shown by
 * `qyzmet outbox`. False when the setting cannot be read. */
bool qz_store_is_demo(qz_store *st);

#endif
