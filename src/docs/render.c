/*
 * render.c — drawing a document (render.h) with cairo, pango and zint.
 */
#include "docs/render.h"

#include "core/jsonv.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <jansson.h>
#include <pango/pangocairo.h>
#include <zint.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A4 in points, and the margins. */
static const double PAGE_W = 595.276, PAGE_H = 841.89, MARGIN = 56.0;
static const char FONT[] = "DejaVu Sans";

enum { TEXT_MAX = 8192 };

typedef struct draw {
    cairo_t *cr;
    PangoLayout *layout;
    double y;
} draw;

static cairo_status_t to_bytes(void *closure, const unsigned char *data, unsigned int len)
{
    qz_err ignored;
    return qz_bytes_add(closure, data, len, &ignored) ? CAIRO_STATUS_NO_MEMORY
                                                      : CAIRO_STATUS_SUCCESS;
}

static int load(const char *catalog_dir, const char *kind, json_t **doc, qz_err *err)
{
    char path[4096];
    bool ok = kind && *kind && strlen(kind) < 64;
    for (const char *p = kind; ok && *p; p++)
        ok = (*p >= 'a' && *p <= 'z') || *p == '-';
    if (!ok)
        return qz_err_set(err, QZ_ENOTFOUND, "docs.kind_unknown", "kind", kind ? kind : "");
    snprintf(path, sizeof path, "%s/documents/%s.json", catalog_dir, kind);
    FILE *f = fopen(path, "r");
    if (!f)
        return qz_err_set(err, QZ_ENOTFOUND, "docs.kind_unknown", "kind", kind);
    fclose(f);
    *doc = qz_json_load_file(path, err);
    return *doc ? 0 : -1;
}

int qz_doc_template_check(const char *catalog_dir, const char *kind, bool *bilingual, qz_err *err)
{
    json_t *doc = NULL;
    if (load(catalog_dir, kind, &doc, err))
        return -1;
    int r = qz_json_bool(doc, "bilingual", true, bilingual, err);
    json_decref(doc);
    return r;
}

static const char *lang_key(qz_lang lang)
{
    return lang == QZ_LANG_RU ? "ru" : "kk";
}

static const char *field_value(const qz_doc_spec *spec, const char *name, size_t len)
{
    for (size_t i = 0; i < spec->n_fields; i++)
        if (strlen(spec->fields[i].name) == len && strncmp(spec->fields[i].name, name, len) == 0)
            return spec->fields[i].value ? spec->fields[i].value : "";
    return NULL;
}

/* Fills {FIELD}s of `text` in `lang` into out (cap bytes): -1 with docs.field_missing. */
static int fill(const json_t *tpl, const qz_doc_spec *spec, const char *text, qz_lang lang,
                char *out, size_t cap, qz_err *err)
{
    size_t n = 0;
    json_t *choices = json_object_get(tpl, "choices");
    for (const char *p = text; *p;) {
        const char *close = *p == '{' ? strchr(p, '}') : NULL;
        const char *piece = p;
        size_t len = 1;
        if (close) {
            const char *v = field_value(spec, p + 1, (size_t)(close - p - 1));
            if (!v && spec->sample) {
                char key[64];
                snprintf(key, sizeof key, "%.*s", (int)(close - p - 1), p + 1);
                v = json_string_value(json_object_get(json_object_get(tpl, "sample"), key));
            }
            if (!v && spec->dash)
                v = "—";
            if (!v)
                return qz_err_setf(err, QZ_EINPUT, "docs.field_missing", "fields", "%.*s",
                                   (int)(close - p - 1), p + 1);
            char name[64];
            snprintf(name, sizeof name, "%.*s", (int)(close - p - 1), p + 1);
            json_t *opts = json_object_get(choices, name);
            if (opts && !(spec->dash && strcmp(v, "—") == 0)) {
                json_t *choice = json_object_get(json_object_get(opts, v), lang_key(lang));
                if (!json_is_string(choice))
                    return qz_err_setf(err, QZ_EINPUT, "docs.choice_unknown", name, "%s", v);
                v = json_string_value(choice);
            }
            piece = v;
            len = strlen(v);
            p = close + 1;
        } else {
            p++;
        }
        if (n + len >= cap)
            return qz_err_set(err, QZ_EINPUT, "docs.text_too_long", NULL, spec->kind);
        memcpy(out + n, piece, len);
        n += len;
    }
    out[n] = '\0';
    return 0;
}

/* Shows `text` at the current y in font size `pt` (bold when strong), aligned, and moves
 * y below it. */
static void text_at(draw *d, const char *text, double pt, bool strong, PangoAlignment align)
{
    PangoFontDescription *fd = pango_font_description_new();
    pango_font_description_set_family(fd, FONT);
    pango_font_description_set_absolute_size(fd, pt * PANGO_SCALE);
    pango_font_description_set_weight(fd, strong ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(d->layout, fd);
    pango_font_description_free(fd);
    pango_layout_set_alignment(d->layout, align);
    pango_layout_set_text(d->layout, text, -1);
    int w, h;
    pango_layout_get_size(d->layout, &w, &h);
    cairo_move_to(d->cr, MARGIN, d->y);
    pango_cairo_show_layout(d->cr, d->layout);
    d->y += (double)h / PANGO_SCALE + pt * 0.6;
}

/* Draws symbol `kind` of `data` with its top-left at (x, y), `w` points wide (height
 * scaled alike, or `h` when > 0). */
static int barcode(cairo_t *cr, int kind, const char *data, double x, double y, double w, double h,
                   qz_err *err)
{
    struct zint_symbol *sym = ZBarcode_Create();
    if (!sym)
        return qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
    sym->symbology = kind;
    sym->show_hrt = 0;
    sym->whitespace_width = 0;
    if (kind == BARCODE_QRCODE)
        sym->option_1 = 2; /* error correction M */
    int rc = ZBarcode_Encode(sym, (const unsigned char *)data, (int)strlen(data));
    if (rc >= ZINT_ERROR || ZBarcode_Buffer_Vector(sym, 0) >= ZINT_ERROR || !sym->vector) {
        qz_err_setf(err, QZ_EINTERNAL, "docs.render_failed", "barcode", "%s", sym->errtxt);
        ZBarcode_Delete(sym);
        return -1;
    }
    double sx = w / sym->vector->width;
    double sy = h > 0 ? h / sym->vector->height : sx;
    cairo_set_source_rgb(cr, 0, 0, 0);
    for (struct zint_vector_rect *r = sym->vector->rectangles; r; r = r->next)
        cairo_rectangle(cr, x + r->x * sx, y + r->y * sy, r->width * sx, r->height * sy);
    cairo_fill(cr);
    ZBarcode_Delete(sym);
    return 0;
}

static int lines(draw *d, const json_t *tpl, const qz_doc_spec *spec, bool bilingual, char *buf,
                 qz_err *err)
{
    json_t *arr = json_object_get(tpl, "lines"), *line;
    size_t i;
    json_array_foreach(arr, i, line)
    {
        const char *style = json_string_value(json_object_get(line, "style"));
        bool small = style && strcmp(style, "small") == 0;
        bool strong = style && strcmp(style, "strong") == 0;
        for (int l = 0; l < 2; l++) {
            qz_lang lang = bilingual ? (l == 0 ? QZ_LANG_KK : QZ_LANG_RU) : spec->lang;
            if (!bilingual && l == 1)
                break;
            const char *text = json_string_value(json_object_get(line, lang_key(lang)));
            if (!text)
                return qz_err_setf(err, QZ_EDATA, "docs.template_invalid", "lines", "%zu", i);
            if (fill(tpl, spec, text, lang, buf, TEXT_MAX, err))
                return -1;
            text_at(d, buf, small ? 8.5 : 11, strong, PANGO_ALIGN_LEFT);
        }
        d->y += 4;
    }
    return 0;
}

static int draw_page(draw *d, const json_t *tpl, const qz_doc_spec *spec, const qz_strings *str,
                     qz_err *err)
{
    bool bilingual = json_is_true(json_object_get(tpl, "bilingual"));
    char *buf = malloc(TEXT_MAX);
    if (!buf)
        return qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
    char date[QZ_DATE_STR], head[1024];
    qz_date_format(qz_instant_date(spec->issued_at, 5 * 3600), date);
    json_t *title = json_object_get(tpl, "title");
    int rc = 0;
    d->y = MARGIN;
    for (int l = 0; l < 2; l++) {
        if (!bilingual && l == 1)
            break;
        qz_lang lang = bilingual ? (l == 0 ? QZ_LANG_KK : QZ_LANG_RU) : spec->lang;
        text_at(d, lang == QZ_LANG_RU ? spec->unit_ru : spec->unit_kk, 9, false,
                PANGO_ALIGN_CENTER);
    }
    d->y += 14;
    for (int l = 0; l < 2; l++) {
        if (!bilingual && l == 1)
            break;
        qz_lang lang = bilingual ? (l == 0 ? QZ_LANG_KK : QZ_LANG_RU) : spec->lang;
        const char *t = json_string_value(json_object_get(title, lang_key(lang)));
        text_at(d, t ? t : "", 15, true, PANGO_ALIGN_CENTER);
    }
    d->y += 6;
    const char *args[] = {spec->number, date};
    qz_strings_format(str, bilingual ? QZ_LANG_KK : spec->lang, "docs.number_date", NULL, args, 2,
                      head, sizeof head);
    text_at(d, head, 10, false, PANGO_ALIGN_CENTER);
    d->y += 18;
    rc = lines(d, tpl, spec, bilingual, buf, err);
    /* The codes at the foot of the page: the number's barcode left, the QR code right. */
    double foot = PAGE_H - MARGIN - 110;
    if (rc == 0)
        rc = barcode(d->cr, BARCODE_CODE128, spec->number, MARGIN, foot + 20, 200, 50, err) ||
             barcode(d->cr, BARCODE_QRCODE, spec->verify_url, PAGE_W - MARGIN - 100, foot, 100, 0,
                     err);
    if (rc == 0) {
        double y = d->y;
        d->y = foot + 76;
        text_at(d, spec->number, 9, false, PANGO_ALIGN_LEFT);
        const char *url[] = {spec->verify_url};
        qz_strings_format(str, bilingual ? QZ_LANG_KK : spec->lang, "docs.verify_at", NULL, url, 1,
                          head, sizeof head);
        d->y = foot + 104;
        text_at(d, head, 7, false, PANGO_ALIGN_LEFT);
        if (y > foot)
            rc = qz_err_set(err, QZ_EINPUT, "docs.text_too_long", NULL, spec->kind);
    }
    free(buf);
    return rc;
}

int qz_doc_render(const char *catalog_dir, const qz_strings *strings, const qz_doc_spec *spec,
                  qz_bytes *out, qz_err *err)
{
    json_t *tpl = NULL;
    if (!spec->number || !*spec->number || !spec->verify_url || !spec->unit_kk || !spec->unit_ru)
        return qz_err_set(err, QZ_EINPUT, "docs.field_missing", "fields", "number");
    if (load(catalog_dir, spec->kind, &tpl, err))
        return -1;
    cairo_surface_t *surf = cairo_pdf_surface_create_for_stream(to_bytes, out, PAGE_W, PAGE_H);
    char keywords[160], created[32], when[QZ_INSTANT_STR];
    snprintf(keywords, sizeof keywords, "qyzmet %s %s", spec->kind, spec->number);
    qz_instant_format(spec->issued_at, 5 * 3600, when);
    snprintf(created, sizeof created, "%.19s+05:00", when);
    const char *title =
        json_string_value(json_object_get(json_object_get(tpl, "title"), lang_key(spec->lang)));
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_TITLE, title ? title : spec->kind);
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_KEYWORDS, keywords);
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATOR, "qyzmet");
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATE_DATE, created);
    draw d = {.cr = cairo_create(surf)};
    d.layout = pango_cairo_create_layout(d.cr);
    pango_layout_set_width(d.layout, (int)((PAGE_W - 2 * MARGIN) * PANGO_SCALE));
    pango_layout_set_wrap(d.layout, PANGO_WRAP_WORD_CHAR);
    int rc = draw_page(&d, tpl, spec, strings, err);
    g_object_unref(d.layout);
    cairo_show_page(d.cr);
    cairo_destroy(d.cr);
    cairo_surface_finish(surf);
    if (rc == 0 && cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS)
        rc = qz_err_set(err, QZ_EINTERNAL, "docs.render_failed", NULL,
                        cairo_status_to_string(cairo_surface_status(surf)));
    cairo_surface_destroy(surf);
    json_decref(tpl);
    return rc;
}
