/*
 * static.h — the web pages (web/) served by `qyzmet serve` itself, beside the API.
 *
 * A GET or HEAD of a path outside /api/ and /healthz is a page or one of its files:
 * "/" is web/index.html, "/desk" is web/desk.html, "/js/app.js" is web/js/app.js. Only
 * plain names are looked up (letters, digits, '-', '_', '.' inside a segment; no segment
 * that starts with '.', so no "..", no hidden file, no traversal); anything else, and a
 * file that is not there, is left to the router, whose answer is the JSON 404.
 *
 * Every file goes out with its content type, `Cache-Control: no-cache` and an ETag (its
 * size and modification time), so a browser revalidates and gets 304 while unchanged,
 * and with headers that keep the pages to their own origin (a Content-Security-Policy of
 * 'self', no framing, no sniffing, no referrer).
 *
 * Stateless and thread safe; the folder is read at each request.
 */
#ifndef QZ_HTTP_STATIC_H
#define QZ_HTTP_STATIC_H

#include <stdbool.h>
#include <stddef.h>

struct MHD_Connection;

/* Where the pages are: $QYZMET_WEB when set, else the web/ folder the build was made
 * from (QZ_WEB_DIR). Borrowed, never NULL. One small function so that finding it next to
 * the binary changes here only. */
const char *qz_static_dir(void);

/* Writes into buf (capacity cap) the file of `dir` that `method` and `url` ask for, and
 * returns true; false when the request is not for a page or its name is not a plain one. */
bool qz_static_path(const char *dir, const char *method, const char *url, char *buf, size_t cap);

/* Queues the answer for file `path` (from qz_static_path): 200 with the file, or 304 when
 * `if_none_match` names its ETag. Returns 1 when queued, 0 when the file is not a readable
 * regular file (the caller answers), -1 when the connection failed. */
int qz_static_send(struct MHD_Connection *conn, const char *path, const char *if_none_match);

#endif
