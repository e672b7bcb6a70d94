/*
 * The documents' commands (docs/documents.md):
 *
 *   qyzmet pki make --dir DIR --db PATH       a test CA and a key per unit of the database
 *   qyzmet pki make --dir DIR --unit U --name N   … or for one unit
 *   qyzmet verify FILE [--trust CA.pem]       contract.md: one JSON object, exit 0 valid, 1 not
 *   qyzmet document sample KIND --keys DIR --unit U --out FILE [--lang kk|ru]
 *                          [--cosign U2] [--number N] [NAME=VALUE …]
 *                                             a document of the template's sample fields (or
 *                                             those given), signed by U (and U2)
 *
 * verify's trust anchor is --trust, else $QYZMET_KEYS/ca.pem, else the demo's
 * var/keys/ca.pem of the repository.
 */
#include "cli/cli.h"
#include "cli/db.h"
#include "cli/opts.h"
#include "docs/pki.h"
#include "docs/render.h"
#include "docs/sign.h"
#include "docs/verify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { FIELDS_MAX = 32, FILE_MAX = 64 << 20 };

static int pki_make(qz_cli *cli, int argc, char **argv)
{
    const char *dir = NULL, *db = NULL, *unit = NULL, *name = NULL;
    qz_err err;
    qz_err_clear(&err);
    const qz_opt opts[] = {{"--dir", &dir, NULL},
                           {"--db", &db, NULL},
                           {"--unit", &unit, NULL},
                           {"--name", &name, NULL}};
    if (qz_opts_parse(argc, argv, opts, 4, &err) ||
        qz_opts_need(dir && (db || (unit && name)) ? "" : NULL,
                     "--dir DIR --db PATH | --unit U --name N", &err))
        return qz_cli_fail(cli, &err, QZ_EXIT_USAGE);
    qz_store *st;
    qz_arena a = {0};
    qz_unit_row *units = NULL;
    size_t n = 0;
    if (mkdir(dir, 0700) != 0 && access(dir, W_OK) != 0) {
        qz_err_set(&err, QZ_EIO, "docs.write_failed", "--dir", dir);
        return qz_cli_fail(cli, &err, QZ_EXIT_FAIL);
    }
    if (!db) {
        if (qz_pki_make(dir, &unit, &name, 1, &err))
            return qz_cli_fail(cli, &err, qz_cli_status_for(&err));
        printf("1 keys in %s\n", dir);
        return QZ_EXIT_OK;
    }
    if (qz_cli_db_open(db, &st, &err))
        return qz_cli_fail(cli, &err, qz_cli_status_for(&err));
    int r = qz_store_unit_list(st, NULL, &a, &units, &n, &err);
    qz_store_close(st);
    const char **codes = r ? NULL : calloc(n + 1, sizeof *codes);
    const char **names = r ? NULL : calloc(n + 1, sizeof *names);
    if (!r && (!codes || !names))
        r = qz_err_set(&err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
    for (size_t i = 0; !r && i < n; i++) {
        codes[i] = units[i].code;
        names[i] = units[i].name_ru;
    }
    if (!r)
        r = qz_pki_make(dir, codes, names, n, &err);
    free(codes);
    free(names);
    qz_arena_free(&a);
    if (r)
        return qz_cli_fail(cli, &err, qz_cli_status_for(&err));
    printf("%zu keys in %s\n", n, dir);
    return QZ_EXIT_OK;
}

int qz_cmd_pki(qz_cli *cli, int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "make") == 0)
        return pki_make(cli, argc - 2, argv + 2);
    return qz_cli_usage(cli, "usage.pki");
}

/* Reads a whole file (at most FILE_MAX bytes) into *out. */
static int read_file(const char *path, qz_bytes *out, qz_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return qz_err_set(err, QZ_EIO, "docs.file_unreadable", NULL, path);
    unsigned char buf[65536];
    size_t got;
    int rc = 0;
    while (rc == 0 && (got = fread(buf, 1, sizeof buf, f)) > 0)
        rc = out->n + got > FILE_MAX ? qz_err_set(err, QZ_EINPUT, "docs.file_too_large", NULL, path)
                                     : qz_bytes_add(out, buf, got, err);
    if (rc == 0 && ferror(f))
        rc = qz_err_set(err, QZ_EIO, "docs.file_unreadable", NULL, path);
    fclose(f);
    return rc;
}

static const char *default_trust(char *buf, size_t cap)
{
    const char *keys = getenv("QYZMET_KEYS");
    snprintf(buf, cap, "%s/ca.pem", keys && *keys ? keys : QZ_KEYS_DIR);
    return buf;
}

/* Prints the outcome of a check as contract.md's object. */
static int print_check(const qz_doc_check *c, qz_err *err)
{
    json_t *o = json_object(), *signers = json_array();
    if (!o || !signers) {
        json_decref(o);
        json_decref(signers);
        return qz_cli_print_json(NULL, err);
    }
    json_object_set_new(o, "valid", json_boolean(c->valid));
    for (size_t i = 0; i < c->n_signers; i++)
        json_array_append_new(signers, json_pack("{s:s, s:s}", "unit", c->signers[i].unit, "name",
                                                 c->signers[i].name));
    json_object_set_new(o, "signers", signers);
    if (c->kind[0])
        json_object_set_new(o, "document",
                            json_pack("{s:s, s:s}", "kind", c->kind, "number", c->number));
    if (!c->valid)
        json_object_set_new(o, "reason", json_string(c->reason));
    return qz_cli_print_json(o, err);
}

int qz_cmd_verify(qz_cli *cli, int argc, char **argv)
{
    const char *trust = NULL;
    char trust_buf[4096];
    qz_err err;
    qz_err_clear(&err);
    const qz_opt opts[] = {{"--trust", &trust, NULL}};
    if (argc < 2 || strncmp(argv[1], "--", 2) == 0)
        return qz_cli_usage(cli, "usage.verify");
    if (qz_opts_parse(argc - 2, argv + 2, opts, 1, &err))
        return qz_cli_fail(cli, &err, QZ_EXIT_USAGE);
    qz_bytes pdf = {0};
    qz_doc_check c;
    if (read_file(argv[1], &pdf, &err) ||
        qz_pdf_verify(pdf.p, pdf.n, trust ? trust : default_trust(trust_buf, sizeof trust_buf), &c,
                      &err)) {
        qz_bytes_free(&pdf);
        return qz_cli_fail(cli, &err, QZ_EXIT_USAGE);
    }
    qz_bytes_free(&pdf);
    if (print_check(&c, &err))
        return qz_cli_fail(cli, &err, QZ_EXIT_FAIL);
    return c.valid ? QZ_EXIT_OK : QZ_EXIT_FAIL;
}

typedef struct sample_args {
    const char *kind, *keys, *unit, *cosign, *out, *lang, *number;
    qz_doc_field fields[FIELDS_MAX];
    size_t n_fields;
} sample_args;

static int sample_parse(int argc, char **argv, sample_args *a, qz_err *err)
{
    static const char *const NAMES[] = {"--keys", "--unit", "--cosign",
                                        "--out",  "--lang", "--number"};
    const char **slots[] = {&a->keys, &a->unit, &a->cosign, &a->out, &a->lang, &a->number};
    if (argc < 2 || strncmp(argv[1], "--", 2) == 0)
        return qz_err_set(err, QZ_EINPUT, "cli.missing_arguments", NULL, "KIND");
    a->kind = argv[1];
    for (int i = 2; i < argc; i++) {
        char *eq = strchr(argv[i], '=');
        if (strncmp(argv[i], "--", 2) != 0 && eq) {
            if (a->n_fields == FIELDS_MAX)
                return qz_err_set(err, QZ_EINPUT, "cli.too_many_arguments", NULL, argv[i]);
            *eq = '\0';
            a->fields[a->n_fields++] = (qz_doc_field){argv[i], eq + 1};
            continue;
        }
        size_t k = 0;
        while (k < 6 && strcmp(argv[i], NAMES[k]) != 0)
            k++;
        if (k == 6)
            return qz_err_set(err, QZ_EINPUT, "cli.option_unknown", NULL, argv[i]);
        if (i + 1 == argc)
            return qz_err_set(err, QZ_EINPUT, "cli.option_needs_value", NULL, argv[i]);
        *slots[k] = argv[++i];
    }
    return qz_opts_need(a->keys && a->unit && a->out ? "" : NULL,
                        "KIND --keys DIR --unit U --out FILE", err);
}

static int sample(qz_cli *cli, int argc, char **argv)
{
    sample_args a = {0};
    qz_err err;
    qz_err_clear(&err);
    if (sample_parse(argc, argv, &a, &err))
        return qz_cli_fail(cli, &err, QZ_EXIT_USAGE);
    qz_signer *s1 = NULL, *s2 = NULL;
    qz_bytes pdf = {0};
    qz_instant now;
    char url[256];
    snprintf(url, sizeof url, "http://127.0.0.1:8080/api/v1/documents/%s/verify",
             a.number ? a.number : "1");
    int rc = qz_cli_now(&now, &err) || qz_signer_load(a.keys, a.unit, &s1, &err) ||
             (a.cosign && qz_signer_load(a.keys, a.cosign, &s2, &err));
    if (rc == 0) {
        qz_doc_spec spec = {.kind = a.kind,
                            .number = a.number ? a.number : "QZ-2026-000001",
                            .lang = qz_lang_from_tag(a.lang ? a.lang : "kk"),
                            .unit_kk = qz_signer_name(s1),
                            .unit_ru = qz_signer_name(s1),
                            .issued_at = now,
                            .verify_url = url,
                            .fields = a.fields,
                            .n_fields = a.n_fields,
                            .sample = true};
        rc = qz_doc_render(cli->catalog_dir, cli->strings, &spec, &pdf, &err) ||
             qz_pdf_sign(&pdf, s1, now, &err) || (s2 && qz_pdf_sign(&pdf, s2, now, &err));
    }
    FILE *f = rc == 0 ? fopen(a.out, "wb") : NULL;
    if (rc == 0 && (!f || fwrite(pdf.p, 1, pdf.n, f) != pdf.n))
        rc = qz_err_set(&err, QZ_EIO, "docs.write_failed", NULL, a.out);
    if (f && fclose(f) != 0 && rc == 0)
        rc = qz_err_set(&err, QZ_EIO, "docs.write_failed", NULL, a.out);
    qz_bytes_free(&pdf);
    qz_signer_free(s1);
    qz_signer_free(s2);
    return rc ? qz_cli_fail(cli, &err, qz_cli_status_for(&err)) : QZ_EXIT_OK;
}

int qz_cmd_document(qz_cli *cli, int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "sample") == 0)
        return sample(cli, argc - 1, argv + 1);
    return qz_cli_usage(cli, "usage.document");
}
