#include "http/static.h"

#include <fcntl.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef QZ_WEB_DIR
#define QZ_WEB_DIR "web"
#endif

enum { MAX_NAME = 120, MAX_DEPTH = 4 };

const char *qz_static_dir(void)
{
    const char *env = getenv("QYZMET_WEB");
    return env && *env ? env : QZ_WEB_DIR;
}

static bool plain_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.';
}

/* Whether url is "/" or "/seg/seg…" with each segment a plain name, not too deep. */
static bool plain_path(const char *url)
{
    if (url[0] != '/')
        return false;
    size_t depth = 0;
    for (const char *seg = url + 1; *seg;) {
        size_t n = 0;
        while (seg[n] && seg[n] != '/') {
            if (!plain_char(seg[n]) || n >= MAX_NAME)
                return false;
            n++;
        }
        if (n == 0 || seg[0] == '.' || ++depth > MAX_DEPTH)
            return false;
        seg += n;
        if (*seg == '/' && *++seg == '\0')
            return false; /* a trailing slash names no file */
    }
    return true;
}

bool qz_static_path(const char *dir, const char *method, const char *url, char *buf, size_t cap)
{
    if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
        return false;
    if (strcmp(url, "/healthz") == 0 || strcmp(url, "/api") == 0 || strncmp(url, "/api/", 5) == 0)
        return false;
    if (!plain_path(url))
        return false;
    const char *last = strrchr(url, '/') + 1;
    const char *suffix = strchr(last, '.') ? "" : ".html"; /* "/desk" is the desk page */
    const char *name = strcmp(url, "/") == 0 ? "/index" : url;
    int n = snprintf(buf, cap, "%s%s%s", dir, name, suffix);
    return n > 0 && (size_t)n < cap;
}

static const char *content_type(const char *path)
{
    static const struct {
        const char *ext, *type;
    } types[] = {
        {".html", "text/html; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".json", "application/json; charset=utf-8"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".ico", "image/x-icon"},
        {".woff2", "font/woff2"},
        {".txt", "text/plain; charset=utf-8"},
    };
    const char *dot = strrchr(path, '.');
    for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
        if (strcmp(dot, types[i].ext) == 0)
            return types[i].type;
    return "application/octet-stream";
}

static void add_headers(struct MHD_Response *r, const char *path, const char *etag)
{
    MHD_add_response_header(r, "Content-Type", content_type(path));
    MHD_add_response_header(r, "Cache-Control", "no-cache");
    MHD_add_response_header(r, "ETag", etag);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "Content-Security-Policy",
                            "default-src 'self'; img-src 'self' data:; object-src 'none'; "
                            "base-uri 'none'; frame-ancestors 'none'; form-action 'self'");
}

int qz_static_send(struct MHD_Connection *conn, const char *path, const char *if_none_match)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return 0;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return 0;
    }
    char etag[64];
    snprintf(etag, sizeof etag, "\"%llx-%llx\"", (unsigned long long)st.st_size,
             (unsigned long long)st.st_mtime);
    struct MHD_Response *r;
    unsigned status = MHD_HTTP_OK;
    if (if_none_match && strcmp(if_none_match, etag) == 0) {
        close(fd);
        status = MHD_HTTP_NOT_MODIFIED;
        r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
    } else {
        r = MHD_create_response_from_fd((uint64_t)st.st_size, fd); /* takes fd */
        if (!r)
            close(fd);
    }
    if (!r)
        return -1;
    add_headers(r, path, etag);
    enum MHD_Result ok = MHD_queue_response(conn, status, r);
    MHD_destroy_response(r);
    return ok == MHD_YES ? 1 : -1;
}
