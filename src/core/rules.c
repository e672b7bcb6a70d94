#include "core/rules.h"

#include "core/calendar_load.h"

#include <stdio.h>
#include <string.h>

enum { PATH_MAX_LEN = 4096 };

static int join(char *buf, const char *dir, const char *rel, qz_err *err)
{
    if ((size_t)snprintf(buf, PATH_MAX_LEN, "%s/%s", dir, rel) >= PATH_MAX_LEN)
        return qz_err_set(err, QZ_EIO, "file.path_too_long", NULL, rel);
    return 0;
}

/* Every version of every service must lie in the years the calendar serves: a term counted
 * in a version's days needs them. Each version that does not is reported (with `report`)
 * or, without it, is the error. */
static int check_versions_covered(const qz_rules *r, qz_catalog_report report, void *report_ctx,
                                  qz_err *err)
{
    qz_date first = qz_date_from_ymd(qz_calendar_first_year(r->cal), 1, 1);
    qz_date last = qz_date_from_ymd(qz_calendar_last_year(r->cal), 12, 31);
    size_t bad = 0;
    for (size_t i = 0; i < qz_catalog_count(r->cat); i++) {
        const qz_service *s = qz_catalog_at(r->cat, i);
        for (size_t k = 0; k < s->n_versions; k++) {
            const qz_service_version *v = &s->versions[k];
            bool open = v->until == QZ_DATE_MAX;
            if (v->from >= first && (open || v->until <= last))
                continue;
            char field[48], date[QZ_DATE_STR];
            snprintf(field, sizeof field, "versions[%zu].in_force", k);
            qz_date_format(v->from < first ? v->from : v->until, date);
            qz_err e;
            qz_err_clear(&e);
            qz_err_set(&e, QZ_EDATA, "catalog.version_not_covered", field, date);
            qz_err_set_file(&e, s->file);
            if (bad++ == 0)
                *err = e;
            if (report)
                report(report_ctx, &e);
        }
    }
    if (bad && report)
        return qz_err_set(err, QZ_EDATA, "catalog.broken_files", NULL, NULL);
    return bad ? -1 : 0;
}

int qz_rules_load(const char *dir, qz_catalog_report report, void *report_ctx, qz_rules *out,
                  qz_err *err)
{
    return qz_rules_load_at(dir, 0, report, report_ctx, out, err);
}

int qz_rules_load_at(const char *dir, int current_year, qz_catalog_report report, void *report_ctx,
                     qz_rules *out, qz_err *err)
{
    char cal[PATH_MAX_LEN], sched[PATH_MAX_LEN], zones[PATH_MAX_LEN], services[PATH_MAX_LEN],
        workflows[PATH_MAX_LEN], roles[PATH_MAX_LEN], complaints[PATH_MAX_LEN], mci[PATH_MAX_LEN];
    qz_rules r = {0};
    if (join(cal, dir, "calendar", err) || join(sched, dir, "schedules.json", err) ||
        join(zones, dir, "calendar/zones.json", err) || join(services, dir, "services", err) ||
        join(workflows, dir, "workflows", err) || join(roles, dir, "roles.json", err) ||
        join(complaints, dir, "complaints.json", err) || join(mci, dir, "mci.json", err))
        return -1;
    r.cal = current_year ? qz_calendar_load_at(cal, current_year, err) : qz_calendar_load(cal, err);
    if (!r.cal || !(r.tt = qz_timetable_load(sched, zones, err)) ||
        !(r.cat = qz_catalog_load(services, workflows, roles, r.tt, report, report_ctx, err)) ||
        qz_complaint_terms_load(complaints, &r.complaints, err) || qz_mci_load(mci, &r.mci, err) ||
        check_versions_covered(&r, report, report_ctx, err)) {
        qz_rules_free(&r);
        return -1;
    }
    *out = r;
    return 0;
}

void qz_rules_free(qz_rules *r)
{
    qz_catalog_free(r->cat);
    qz_timetable_free(r->tt);
    qz_calendar_free(r->cal);
    memset(r, 0, sizeof *r);
}
