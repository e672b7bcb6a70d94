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

int qz_rules_load(const char *dir, qz_catalog_report report, void *report_ctx, qz_rules *out,
                  qz_err *err)
{
    char cal[PATH_MAX_LEN], sched[PATH_MAX_LEN], zones[PATH_MAX_LEN], services[PATH_MAX_LEN],
        workflows[PATH_MAX_LEN], roles[PATH_MAX_LEN], complaints[PATH_MAX_LEN], mci[PATH_MAX_LEN];
    qz_rules r = {0};
    if (join(cal, dir, "calendar", err) || join(sched, dir, "schedules.json", err) ||
        join(zones, dir, "calendar/zones.json", err) || join(services, dir, "services", err) ||
        join(workflows, dir, "workflows", err) || join(roles, dir, "roles.json", err) ||
        join(complaints, dir, "complaints.json", err) || join(mci, dir, "mci.json", err))
        return -1;
    if (!(r.cal = qz_calendar_load(cal, err)) || !(r.tt = qz_timetable_load(sched, zones, err)) ||
        !(r.cat = qz_catalog_load(services, workflows, roles, r.tt, report, report_ctx, err)) ||
        qz_complaint_terms_load(complaints, &r.complaints, err) || qz_mci_load(mci, &r.mci, err)) {
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
