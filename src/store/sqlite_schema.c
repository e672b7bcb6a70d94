/*
 * sqlite_schema.c — the SQLite backend's migrations. Migration N is sq_migrations[N - 1];
 * append only, never edit one that has shipped. Every table but the bookkeeping carries
 * `region`, the future distribution key (store.h). Times are INTEGER seconds since the
 * epoch (UTC), dates TEXT "YYYY-MM-DD", JSON TEXT checked by json_valid.
 */
#include "store/sqlite_int.h"

const char *const sq_migrations[] = {
    /* 1 */ "CREATE TABLE issued_iin(iin TEXT PRIMARY KEY, issued_at INTEGER NOT NULL);",

    /* 2: the store of issue 4. issued_iin gets a region (NULL for the IINs issued before;
     * an IIN is unique in the whole country, so a sharded deployment keeps this table
     * whole on every node, a reference table). */
    "ALTER TABLE issued_iin ADD COLUMN region TEXT;"

    "CREATE TABLE units("
    " code TEXT PRIMARY KEY,"
    " kind TEXT NOT NULL CHECK (kind IN ('psc', 'provider', 'authority')),"
    " department TEXT CHECK (department IN ('regional', 'other', 'duty')),"
    " name_kk TEXT NOT NULL, name_ru TEXT NOT NULL,"
    " region TEXT NOT NULL,"
    " parent TEXT);"
    "CREATE INDEX units_region ON units(region, code);"

    "CREATE TABLE users("
    " id INTEGER PRIMARY KEY,"
    " login TEXT NOT NULL UNIQUE,"
    " password_hash TEXT NOT NULL,"
    " role TEXT NOT NULL,"
    " unit TEXT,"
    " region TEXT NOT NULL,"
    " created_at INTEGER NOT NULL);"

    "CREATE TABLE persons("
    " iin TEXT PRIMARY KEY,"
    " surname TEXT NOT NULL, name TEXT NOT NULL, patronymic TEXT,"
    " phone TEXT, birth TEXT,"
    " region TEXT NOT NULL,"
    " created_at INTEGER NOT NULL);"

    "CREATE TABLE cases("
    " id INTEGER PRIMARY KEY,"
    " region TEXT NOT NULL,"
    " number TEXT NOT NULL UNIQUE,"
    " service TEXT NOT NULL,"
    " version_of_standard TEXT NOT NULL,"
    " state TEXT NOT NULL, status TEXT NOT NULL, branch TEXT NOT NULL,"
    " applicant TEXT NOT NULL, subject TEXT,"
    " due_at INTEGER NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
    " version INTEGER NOT NULL,"
    " doc TEXT NOT NULL CHECK (json_valid(doc)));"
    "CREATE INDEX cases_applicant ON cases(applicant);"

    /* n orders a case's steps as written; the partial index is the inbox. */
    "CREATE TABLE case_steps("
    " region TEXT NOT NULL,"
    " case_id INTEGER NOT NULL, n INTEGER NOT NULL,"
    " step TEXT NOT NULL, role TEXT NOT NULL, unit TEXT NOT NULL,"
    " started_at INTEGER NOT NULL, due_at INTEGER NOT NULL, done_at INTEGER,"
    " PRIMARY KEY (case_id, n));"
    "CREATE INDEX case_steps_inbox ON case_steps(unit, due_at, case_id) WHERE done_at IS NULL;"

    /* Append-only: the triggers refuse UPDATE and DELETE (audit verify catches what is
     * done around them). */
    "CREATE TABLE events("
    " id INTEGER PRIMARY KEY,"
    " region TEXT NOT NULL,"
    " case_id INTEGER NOT NULL, seq INTEGER NOT NULL,"
    " at INTEGER NOT NULL,"
    " actor TEXT NOT NULL, role TEXT NOT NULL, unit TEXT, action TEXT NOT NULL,"
    " from_state TEXT, to_state TEXT,"
    " data TEXT CHECK (data IS NULL OR json_valid(data)),"
    " prev_hash BLOB NOT NULL, hash BLOB NOT NULL,"
    " UNIQUE (case_id, seq));"
    "CREATE TRIGGER events_no_update BEFORE UPDATE ON events"
    " BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;"
    "CREATE TRIGGER events_no_delete BEFORE DELETE ON events"
    " BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;"

    "CREATE TABLE idempotency("
    " key TEXT PRIMARY KEY,"
    " region TEXT NOT NULL,"
    " case_id INTEGER NOT NULL,"
    " response TEXT NOT NULL,"
    " created_at INTEGER NOT NULL);"

    "CREATE TABLE outbox("
    " id INTEGER PRIMARY KEY,"
    " region TEXT NOT NULL,"
    " to_iin TEXT NOT NULL,"
    " channel TEXT NOT NULL CHECK (channel IN ('sms', 'cabinet')),"
    " lang TEXT NOT NULL,"
    " text TEXT NOT NULL,"
    " created_at INTEGER NOT NULL);"
    "CREATE INDEX outbox_to ON outbox(to_iin, id);",

    /* 3: routing (store/routing.h). What a unit does in cases: the unit kinds of
     * catalog/roles.json it acts as (comma-separated), its hours (a schedule of
     * catalog/schedules.json; NULL: the default of its kind) and the area it serves
     * (its own region, or the whole country). */
    "ALTER TABLE units ADD COLUMN acts_as TEXT;"
    "ALTER TABLE units ADD COLUMN schedule TEXT;"
    "ALTER TABLE units ADD COLUMN area TEXT NOT NULL DEFAULT 'region'"
    " CHECK (area IN ('region', 'country'));",

    /* 4: signing in (http/auth.h). A person's language for the messages sent to them.
     * Sessions are found by the SHA-256 of their bearer token (the token itself is never
     * stored); one-time passwords likewise by a hash, one pending per person. Attempts
     * count sign-in failures and one-time password requests per key for rate limiting;
     * a key is what the caller typed (a login, an IIN), which belongs to no region, so
     * unlike the other tables it has none: a sharded deployment keeps it on the
     * coordinator. */
    "ALTER TABLE persons ADD COLUMN lang TEXT CHECK (lang IN ('kk', 'ru', 'en'));"

    "CREATE TABLE sessions("
    " token_hash BLOB PRIMARY KEY CHECK (length(token_hash) = 32),"
    " user_id INTEGER,"
    " login TEXT NOT NULL, role TEXT NOT NULL, unit TEXT, iin TEXT,"
    " region TEXT NOT NULL,"
    " created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL);"
    "CREATE INDEX sessions_expiry ON sessions(expires_at);"

    "CREATE TABLE otps("
    " iin TEXT PRIMARY KEY,"
    " region TEXT NOT NULL,"
    " code_hash BLOB NOT NULL CHECK (length(code_hash) = 32),"
    " expires_at INTEGER NOT NULL,"
    " attempts INTEGER NOT NULL DEFAULT 0,"
    " sent_at INTEGER NOT NULL);"

    "CREATE TABLE login_attempts("
    " key TEXT PRIMARY KEY,"
    " window_start INTEGER NOT NULL,"
    " count INTEGER NOT NULL CHECK (count >= 0));"
    "CREATE INDEX login_attempts_window ON login_attempts(window_start);",

    /* 5: complaints (platform.md, "Complaints"), with their terms as registered; and the
     * cases of a person by subject (the applicant's index came with migration 2). */
    "CREATE TABLE complaints("
    " id INTEGER PRIMARY KEY,"
    " region TEXT NOT NULL,"
    " case_id INTEGER NOT NULL, case_number TEXT NOT NULL, service TEXT NOT NULL,"
    " complainant TEXT NOT NULL,"
    " against TEXT NOT NULL CHECK (against IN ('provider', 'psc')),"
    " addressed_to TEXT NOT NULL CHECK (addressed_to IN ('provider', 'quality-authority')),"
    " unit TEXT NOT NULL,"
    " text TEXT NOT NULL,"
    " registered_at INTEGER NOT NULL, forward_by INTEGER NOT NULL, decide_by INTEGER NOT NULL);"
    "CREATE INDEX complaints_complainant ON complaints(complainant, decide_by);"
    "CREATE INDEX complaints_unit ON complaints(unit, decide_by);"
    "CREATE INDEX complaints_decide ON complaints(decide_by, id);"
    "CREATE INDEX cases_subject ON cases(subject) WHERE subject IS NOT NULL;",

    /* 6: timers (http/sweeper.h). The timers already recorded on a run of a step (a
     * case's step and when that run started), one row each, so that the sweeper records
     * each once however often it runs; kind is a QZ_TIMER_* of store.h. */
    "CREATE TABLE case_timers("
    " region TEXT NOT NULL,"
    " case_id INTEGER NOT NULL, step TEXT NOT NULL, started_at INTEGER NOT NULL,"
    " kind INTEGER NOT NULL CHECK (kind IN (1, 2, 4)),"
    " at INTEGER NOT NULL,"
    " PRIMARY KEY (case_id, step, started_at, kind));",

    /* 7: acting on complaints (store.h, "complaints"). The state of its workflow
     * (catalog/complaints.json; the complaints registered before start in 'registered'),
     * the unit holding it when not the one complained about, what is due in its state
     * (NULL when closed), a version for optimistic concurrency, and what closed it. Its
     * moves are events of its case (the hash chain), not rows here. */
    "ALTER TABLE complaints ADD COLUMN state TEXT NOT NULL DEFAULT 'registered';"
    "ALTER TABLE complaints ADD COLUMN holder_unit TEXT;"
    "ALTER TABLE complaints ADD COLUMN due_at INTEGER;"
    "ALTER TABLE complaints ADD COLUMN version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1);"
    "ALTER TABLE complaints ADD COLUMN outcome TEXT;"
    "ALTER TABLE complaints ADD COLUMN resolution TEXT;"
    "ALTER TABLE complaints ADD COLUMN closed_at INTEGER;"
    "UPDATE complaints SET due_at = forward_by;"
    "CREATE INDEX complaints_holder ON complaints(holder_unit, due_at)"
    " WHERE holder_unit IS NOT NULL;",

    /* 8: the complaints a unit holds, open ones, soonest due first: its inbox. */
    ("CREATE INDEX complaints_held ON complaints(coalesce(holder_unit, unit), due_at, id)"
     " WHERE closed_at IS NULL;"),

    /* 9: the calendar the dues were counted with (store/calendar_days.h): one row per year
     * served, a letter per day ('w' working, 'o' a day off), compared with the calendar
     * loaded by `calendar reload` and at start-up to find the days that changed. */
    ("CREATE TABLE calendar_days("
     " year INTEGER PRIMARY KEY,"
     " days TEXT NOT NULL CHECK (length(days) IN (365, 366)),"
     " updated_at INTEGER NOT NULL);"),

    /* 10: the write path (src/app/README.md). The fingerprint of the request kept with an
     * idempotency key (the same key with another body is refused); the outbox's delivery:
     * when a message was sent (NULL: not yet), how many tries, when the next is due, when
     * it was given up and why; the pending SMS in order, for the sender. */
    "ALTER TABLE idempotency ADD COLUMN fingerprint BLOB;"
    "ALTER TABLE outbox ADD COLUMN sent_at INTEGER;"
    "ALTER TABLE outbox ADD COLUMN tries INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE outbox ADD COLUMN next_at INTEGER;"
    "ALTER TABLE outbox ADD COLUMN failed_at INTEGER;"
    "ALTER TABLE outbox ADD COLUMN last_error TEXT;"
    "CREATE INDEX outbox_pending ON outbox(channel, id)"
    " WHERE sent_at IS NULL AND failed_at IS NULL;"
    /* the open steps by where the last quarter of their term begins (rounded up), for the
     * sweeper's pages (store.h, qz_store_timer_steps_page) */
    "ALTER TABLE case_steps ADD COLUMN risk_at INTEGER"
    " GENERATED ALWAYS AS (due_at - (due_at - started_at) / 4) VIRTUAL;"
    "CREATE INDEX case_steps_risk ON case_steps(risk_at) WHERE done_at IS NULL AND due_at > 0;"
    /* a person's cases as representative (store/pages.h): only the doc names them */
    "CREATE INDEX cases_representative ON cases(json_extract(doc, '$.representative'))"
    " WHERE json_extract(doc, '$.representative') IS NOT NULL;",

    /* 11: secrets (store/settings.h). A message carrying a one-time password or a password
     * is marked: never shown in the cabinet, and by `qyzmet outbox` only when it was sent
     * in demo or test mode (1) rather than in production (2). The database's settings,
     * such as the mode `init --demo` gives it. */
    ("ALTER TABLE outbox ADD COLUMN secret INTEGER NOT NULL DEFAULT 0"
     " CHECK (secret IN (0, 1, 2));"
     "CREATE TABLE settings(key TEXT PRIMARY KEY, value TEXT NOT NULL);"),

    /* 12: complaints about PSC staff are addressed to the head of the State Corporation or
     * the authority for informatization (seed 000 item 20): the table is rebuilt with
     * those two addressees allowed (SQLite cannot alter a CHECK), rows and indexes kept. */
    "CREATE TABLE complaints_12("
    " id INTEGER PRIMARY KEY,"
    " region TEXT NOT NULL,"
    " case_id INTEGER NOT NULL, case_number TEXT NOT NULL, service TEXT NOT NULL,"
    " complainant TEXT NOT NULL,"
    " against TEXT NOT NULL CHECK (against IN ('provider', 'psc')),"
    " addressed_to TEXT NOT NULL CHECK (addressed_to IN ('provider', 'quality-authority',"
    "  'state-corporation', 'informatization-authority')),"
    " unit TEXT NOT NULL,"
    " text TEXT NOT NULL,"
    " registered_at INTEGER NOT NULL, forward_by INTEGER NOT NULL, decide_by INTEGER NOT NULL,"
    " state TEXT NOT NULL DEFAULT 'registered', holder_unit TEXT, due_at INTEGER,"
    " version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),"
    " outcome TEXT, resolution TEXT, closed_at INTEGER);"
    "INSERT INTO complaints_12 SELECT id, region, case_id, case_number, service, complainant,"
    " against, addressed_to, unit, text, registered_at, forward_by, decide_by, state,"
    " holder_unit, due_at, version, outcome, resolution, closed_at FROM complaints;"
    "DROP TABLE complaints;"
    "ALTER TABLE complaints_12 RENAME TO complaints;"
    "CREATE INDEX complaints_complainant ON complaints(complainant, decide_by);"
    "CREATE INDEX complaints_unit ON complaints(unit, decide_by);"
    "CREATE INDEX complaints_decide ON complaints(decide_by, id);"
    "CREATE INDEX complaints_holder ON complaints(holder_unit, due_at)"
    " WHERE holder_unit IS NOT NULL;"
    "CREATE INDEX complaints_held ON complaints(coalesce(holder_unit, unit), due_at, id)"
    " WHERE closed_at IS NULL;",

    /* 13: the registers the services read and act on (store/registry.h,
     * docs/registers.md), each the provider's data of the seeds: persons gain what the
     * State database "Individuals" holds (seed 000: sex, names in Latin letters, birth
     * place, citizenship); identity documents (seed 001 S2, S3: issued, replaced,
     * invalid); residence registrations (seed 001 S4, S5: a new permanent one ends the
     * old, deregistration on one of three grounds); convictions and the wanted list
     * (seed 004 S8, seed 001 S2 step 6); legal entities (seed 001 S6, by BIN); IINs
     * issued to foreigners (seed 000, once for life, found by their foreign document);
     * invitations (seed 003); the journal of apostilled documents (seed 004 S9); the card
     * index of special settlers (seed 004 S10, 1939-1955). Each natural key is UNIQUE so
     * that importing the same file twice changes nothing. */
    "ALTER TABLE persons ADD COLUMN sex TEXT CHECK (sex IN ('male', 'female'));"
    "ALTER TABLE persons ADD COLUMN surname_latin TEXT;"
    "ALTER TABLE persons ADD COLUMN name_latin TEXT;"
    "ALTER TABLE persons ADD COLUMN birth_place TEXT;"
    "ALTER TABLE persons ADD COLUMN citizenship TEXT;"

    "CREATE TABLE identity_documents("
    " region TEXT NOT NULL,"
    " number TEXT PRIMARY KEY,"
    " iin TEXT NOT NULL,"
    " kind TEXT NOT NULL CHECK (kind IN ('passport', 'id-card', 'temporary-id')),"
    " issued_on TEXT NOT NULL, valid_until TEXT,"
    " status TEXT NOT NULL CHECK (status IN ('valid', 'invalid')),"
    " replaced_by TEXT, case_id INTEGER);"
    "CREATE INDEX identity_documents_iin ON identity_documents(iin, status);"

    "CREATE TABLE registrations("
    " id INTEGER PRIMARY KEY,"
    " region TEXT NOT NULL,"
    " iin TEXT NOT NULL,"
    " kind TEXT NOT NULL CHECK (kind IN ('permanent', 'temporary')),"
    " address TEXT NOT NULL,"
    " from_on TEXT NOT NULL, until_on TEXT,"
    " ended_on TEXT,"
    " end_ground TEXT CHECK (end_ground IN ('new-registration', 'leaving-abroad',"
    "  'imprisonment', 'court-terminated-right', 'expired')),"
    " case_id INTEGER,"
    " UNIQUE (iin, kind, address, from_on));"
    "CREATE INDEX registrations_open ON registrations(iin, kind) WHERE ended_on IS NULL;"

    "CREATE TABLE convictions("
    " id INTEGER PRIMARY KEY,"
    " region TEXT NOT NULL,"
    " iin TEXT NOT NULL,"
    " article TEXT NOT NULL,"
    " sentenced_on TEXT NOT NULL, expunged_on TEXT,"
    " UNIQUE (iin, article, sentenced_on));"

    "CREATE TABLE wanted("
    " iin TEXT PRIMARY KEY,"
    " region TEXT NOT NULL,"
    " since TEXT NOT NULL);"

    "CREATE TABLE legal_entities("
    " bin TEXT PRIMARY KEY,"
    " region TEXT NOT NULL,"
    " name_kk TEXT NOT NULL, name_ru TEXT NOT NULL,"
    " registered_on TEXT NOT NULL);"

    "CREATE TABLE foreigners("
    " iin TEXT PRIMARY KEY,"
    " region TEXT NOT NULL,"
    " citizenship TEXT NOT NULL, document_number TEXT NOT NULL,"
    " surname TEXT NOT NULL, name TEXT NOT NULL, birth TEXT NOT NULL,"
    " issued_on TEXT NOT NULL, case_id INTEGER,"
    " UNIQUE (citizenship, document_number));"

    "CREATE TABLE invitations("
    " number TEXT PRIMARY KEY,"
    " region TEXT NOT NULL,"
    " inviter TEXT NOT NULL,"
    " invitee TEXT NOT NULL,"
    " issued_on TEXT NOT NULL, valid_until TEXT NOT NULL,"
    " case_id INTEGER UNIQUE);"

    "CREATE TABLE apostilles("
    " number TEXT PRIMARY KEY,"
    " region TEXT NOT NULL,"
    " document TEXT NOT NULL,"
    " applicant TEXT NOT NULL,"
    " entered_on TEXT NOT NULL,"
    " case_id INTEGER UNIQUE);"

    "CREATE TABLE settlers("
    " id INTEGER PRIMARY KEY,"
    " region TEXT NOT NULL,"
    " surname TEXT NOT NULL, name TEXT NOT NULL, patronymic TEXT NOT NULL DEFAULT '',"
    " birth_date TEXT NOT NULL, relocated_on TEXT NOT NULL,"
    " from_place TEXT NOT NULL, to_place TEXT NOT NULL,"
    " UNIQUE (surname, name, patronymic, birth_date, relocated_on));",

    /* 14: the documents issued for cases (store/documents.h): the signed PDF as issued,
     * its SHA-256, one of each kind per case; a receipt's number is its case's. */
    "CREATE TABLE documents("
    " id INTEGER PRIMARY KEY,"
    " region TEXT NOT NULL,"
    " case_id INTEGER,"
    " kind TEXT NOT NULL, number TEXT NOT NULL UNIQUE, lang TEXT NOT NULL,"
    " created_at INTEGER NOT NULL,"
    " sha256 BLOB NOT NULL CHECK (length(sha256) = 32), pdf BLOB NOT NULL,"
    " UNIQUE (case_id, kind));",
};

const int sq_n_migrations = sizeof sq_migrations / sizeof sq_migrations[0];

_Static_assert(sizeof sq_migrations / sizeof sq_migrations[0] == QZ_SCHEMA_LATEST,
               "backend.h's QZ_SCHEMA_LATEST is the number of migrations");
