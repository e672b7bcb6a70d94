#include "http/request.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *qz_req_client(const qz_req *req, char buf[64])
{
    buf[0] = '\0';
    const union MHD_ConnectionInfo *ci =
        req->conn ? MHD_get_connection_info(req->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS) : NULL;
    const struct sockaddr *sa = ci ? ci->client_addr : NULL;
    if (sa && sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, buf, 64);
    else if (sa && sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, buf, 64);
    return buf;
}

const char *qz_req_header(const qz_req *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *qz_req_query(const qz_req *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

void qz_resp_json(qz_resp *resp, unsigned status, json_t *body)
{
    json_decref(resp->body);
    free(resp->text);
    resp->text = NULL;
    resp->status = status;
    resp->body = body ? body : json_object();
}

void qz_resp_text(qz_resp *resp, unsigned status, const char *text)
{
    char *copy = text ? strdup(text) : NULL;
    if (!copy) {
        qz_resp_json(
            resp, 500,
            json_pack("{s:{s:s}}", "error", "code", text ? "out_of_memory" : "request.no_answer"));
        return;
    }
    json_decref(resp->body);
    free(resp->text);
    resp->body = NULL;
    resp->status = status;
    resp->text = copy;
}

void qz_resp_bytes(qz_resp *resp, unsigned char *bytes, size_t len, const char *content_type)
{
    free(resp->raw);
    resp->status = 200;
    resp->raw = bytes;
    resp->raw_len = len;
    resp->content_type = content_type;
}

void qz_resp_header(qz_resp *resp, const char *name, const char *value)
{
    for (size_t i = 0; i < resp->n_headers; i++)
        if (strcasecmp(resp->headers[i].name, name) == 0) {
            snprintf(resp->headers[i].value, sizeof resp->headers[i].value, "%s", value);
            return;
        }
    if (resp->n_headers == QZ_HTTP_MAX_HEADERS)
        return;
    qz_resp_hdr *h = &resp->headers[resp->n_headers++];
    h->name = name;
    snprintf(h->value, sizeof h->value, "%s", value);
}

/* The length of the valid UTF-8 sequence at s (no overlong forms, no surrogates, nothing
 * above U+10FFFF), or 0. */
static size_t utf8_len(const unsigned char *s)
{
    unsigned char c = s[0];
    size_t n = c < 0x80                 ? 1
               : c >= 0xC2 && c <= 0xDF ? 2
               : c >= 0xE0 && c <= 0xEF ? 3
               : c >= 0xF0 && c <= 0xF4 ? 4
                                        : 0;
    unsigned char lo = c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80;
    unsigned char hi = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;
    for (size_t i = 1; i < n; i++)
        if (s[i] < (i == 1 ? lo : 0x80) || s[i] > (i == 1 ? hi : 0xBF))
            return 0;
    return n;
}

/* Replaces in place each byte of s that is not part of valid UTF-8 by '?': a request's
 * bytes quoted in a message, or a value cut in the middle of a character, must not make
 * the error unencodable as JSON. */
static void utf8_clean(char *s)
{
    for (size_t n; *s; s += n)
        if ((n = utf8_len((const unsigned char *)s)) == 0) {
            *s = '?';
            n = 1;
        }
}

void qz_resp_error(const qz_req *req, qz_resp *resp, unsigned status, const qz_err *err)
{
    char msg[512], field[sizeof err->field];
    qz_strings_format(req->ctx->strings, req->lang, err->key, err, NULL, 0, msg, sizeof msg);
    snprintf(field, sizeof field, "%s", err->field);
    utf8_clean(msg);
    utf8_clean(field);
    json_t *e = json_pack("{s:s,s:s}", "code", err->key, "message", msg);
    if (e && field[0])
        json_object_set_new(e, "field", json_string(field));
    qz_resp_json(resp, status, e ? json_pack("{s:o}", "error", e) : NULL);
}

void qz_resp_fail(const qz_req *req, qz_resp *resp, unsigned status, const char *key,
                  const char *field, const char *value)
{
    qz_err err;
    qz_err_clear(&err);
    qz_err_set(&err, QZ_EINPUT, key, field, value);
    qz_resp_error(req, resp, status, &err);
}

unsigned qz_http_status_for(const qz_err *err)
{
    /* indexed by qz_code; a code added to err.h without a row here answers 500 */
    static const unsigned status[QZ_ECODE_COUNT] = {
        [QZ_OK] = 500,        [QZ_EINPUT] = 422,      [QZ_EDATA] = 500,   [QZ_ERANGE] = 422,
        [QZ_ENOTFOUND] = 404, [QZ_EIO] = 503,         [QZ_ENOMEM] = 500,  [QZ_ECONFLICT] = 409,
        [QZ_EINTERNAL] = 500, [QZ_EFORBIDDEN] = 403,  [QZ_EUNAUTH] = 401, [QZ_ELIMITED] = 429,
        [QZ_EREF] = 422,      [QZ_EUNAVAILABLE] = 503};
    unsigned code = (unsigned)err->code;
    return code < QZ_ECODE_COUNT && status[code] ? status[code] : 500;
}

qz_lang qz_http_lang(const char *h)
{
    /* The first supported tag wins; quality values are rare in practice and ignored. */
    for (const char *p = h; p && *p;) {
        while (*p == ' ' || *p == ',')
            p++;
        if (strncmp(p, "kk", 2) == 0 || strncmp(p, "kz", 2) == 0)
            return QZ_LANG_KK;
        if (strncmp(p, "ru", 2) == 0)
            return QZ_LANG_RU;
        if (strncmp(p, "en", 2) == 0)
            return QZ_LANG_EN;
        p = strchr(p, ',');
    }
    return QZ_LANG_KK;
}
