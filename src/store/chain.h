/*
 * chain.h — the hash that links the events into one chain.
 *
 * hash = SHA-256(prev_hash || encoding of the event's other columns), the first
 * event's prev_hash being 32 zero bytes. The encoding is canonical and unambiguous:
 * the domain tag "qyzmet.event.v1" and its NUL, then each column in a fixed order —
 * id, region, case_id, seq, at, actor, role, unit, action, from_state, to_state, data —
 * as one tag byte and a value: 'i' and 8 bytes big-endian (integers), 't', the length
 * as 8 bytes big-endian and the UTF-8 bytes (texts), or 'n' alone (NULL). No two
 * different rows encode alike, so a changed column always changes the hash.
 *
 * Pure functions over OpenSSL's EVP digest API; safe from any thread.
 */
#ifndef QZ_STORE_CHAIN_H
#define QZ_STORE_CHAIN_H

#include "store/store.h"

/* Computes the hash of `row` (its id, columns and prev_hash; row->hash is not read) into
 * out (QZ_HASH_LEN bytes). 0, or -1 with QZ_EINTERNAL store.digest_failed. */
int qz_chain_hash(const qz_event_row *row, unsigned char out[QZ_HASH_LEN], qz_err *err);

#endif
