/*
 * store.h — qyzmet's durable state, behind one interface that every backend
 * implements (an embedded SQLite file now, PostgreSQL later; backend.h says how a
 * backend plugs in). Nothing here is any one database's.
 *
 * A target names the database: a file path (created when missing), or a
 * "postgres://" / "postgresql://" URL (not yet available: store.backend_unavailable).
 * Opening brings the schema up to date (numbered migrations, each applied once, in
 * order, in a transaction) and refuses, without changing it, a file that is not a
 * database (store.not_database), a damaged one (store.corrupt), another program's
 * database (store.foreign_database) or one written by a newer qyzmet
 * (store.schema_too_new).
 *
 * Durability: every write is acknowledged (its function returns 0) only after the
 * transaction holding it is durable on disk. Writes from all threads go to one writer
 * per open store, which commits many of them in one transaction and one fsync (group
 * commit); each write is applied inside its own savepoint, so one that fails (a stale
 * version, a duplicate key) is undone alone and gets its own error while the others
 * commit. Several processes may use the same database at once; a call waits for a
 * busy database a few seconds before failing with store.busy.
 *
 * Thread safety: a qz_store may be shared by any number of threads; every function
 * below may be called concurrently, except qz_store_close, which must come after every
 * other call on that store has returned.
 *
 * Ownership: inputs are borrowed for the duration of the call. Rows read back are
 * allocated in the caller's arena (arena.h) and live until the caller frees it; an
 * arena is not thread safe, so each thread passes its own. Errors are qz_err with keys
 * "store.*" (catalog/strings/store.json).
 *
 * Every table carries a `region` column, the code of one of Kazakhstan's regions
 * (ISO 3166-2:KZ, e.g. "KZ-71" Astana; catalog/regions.json), as the future
 * distribution key of a sharded PostgreSQL. Times are qz_instant (UTC seconds).
 */
#ifndef QZ_STORE_H
#define QZ_STORE_H

/* The interface, one header per domain (a file may include only the ones it uses): */
#include "store/audit.h"       /* audit verify */
#include "store/cases.h"       /* cases, steps, events, the inbox, timers */
#include "store/complaints.h"  /* complaints */
#include "store/iin_issued.h"  /* issued IINs */
#include "store/outbox_rows.h" /* notifications appended and listed */
#include "store/people.h"      /* units, users, persons */
#include "store/session.h"     /* sessions, one-time passwords, attempts */
#include "store/settings.h"    /* the database's settings (its mode) */
#include "store/store_open.h"  /* opening, closing, the writer's counters */

#endif
