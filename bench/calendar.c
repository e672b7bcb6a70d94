/*
 * bench/calendar — due dates for 1,000,000 (date, working days) pairs, against
 * numpy's busday_offset on the same pairs in the same run.
 *
 * numpy's weekmask cannot make a Saturday a working day, so both answer on the
 * same list of weekday days off without the working weekends: qyzmet's calendar is
 * rebuilt from that list ("flat"). Every answer must agree, or the bench fails.
 * It also counts how many pairs the real calendar, with its working Saturdays,
 * answers differently from the flat one.
 *
 * Usage: build/bench/calendar [PAIRS]   (reads the catalogue of QZ_CATALOG_DIR)
 */
#include "core/calendar_load.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int fail(const char *what, const qz_err *err)
{
    fprintf(stderr, "bench/calendar: %s: %s %s %s %s\n", what, err ? err->file : "",
            err ? err->field : "", err ? err->key : "", err ? err->value : "");
    return 1;
}

/* The weekday days off of the real calendar, as a flat calendar and a text list. */
static qz_calendar *flatten(const qz_calendar *real, const char *list_path, qz_err *err)
{
    int y0 = qz_calendar_first_year(real), y1 = qz_calendar_last_year(real);
    size_t ny = (size_t)(y1 - y0 + 1);
    qz_calendar_year *years = calloc(ny, sizeof *years);
    qz_day_move *moves = calloc(400 * ny, sizeof *moves);
    FILE *f = fopen(list_path, "w");
    qz_calendar *flat = NULL;
    if (!years || !moves || !f)
        goto done;
    for (size_t i = 0; i < ny; i++) {
        years[i].year = y0 + (int)i;
        years[i].moves = &moves[400 * i];
        for (qz_date d = qz_date_from_ymd(y0 + (int)i, 1, 1);
             d < qz_date_from_ymd(y0 + (int)i + 1, 1, 1); d++) {
            qz_day_info info;
            char buf[QZ_DATE_STR];
            if (qz_calendar_day(real, d, &info, err))
                goto done;
            bool weekday_off = qz_date_weekday(d) <= 5 && info.kind != QZ_DAY_WORKING;
            if (!weekday_off)
                continue;
            moves[400 * i + years[i].n_moves++] = (qz_day_move){d, false, "flat"};
            fprintf(f, "%s\n", qz_date_format(d, buf));
        }
    }
    qz_calendar_spec spec = {.source = "flat", .years = years, .n_years = ny};
    flat = qz_calendar_build(&spec, err);
done:
    if (f && fclose(f) != 0 && flat) {
        qz_calendar_free(flat);
        flat = NULL;
    }
    free(years);
    free(moves);
    return flat;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 1000000;
    qz_err err;
    char dir[4096], tmp[] = "/tmp/qz-bench-XXXXXX", pairs_path[64], list_path[64], out_path[64];
    snprintf(dir, sizeof dir, "%s/calendar", QZ_CATALOG_DIR);
    qz_calendar *real = qz_calendar_load(dir, &err);
    if (!real)
        return fail("loading the calendar", &err);
    if (!mkdtemp(tmp))
        return fail("mkdtemp", NULL);
    snprintf(pairs_path, sizeof pairs_path, "%s/pairs", tmp);
    snprintf(list_path, sizeof list_path, "%s/holidays", tmp);
    snprintf(out_path, sizeof out_path, "%s/out", tmp);
    qz_calendar *flat = flatten(real, list_path, &err);
    if (!flat)
        return fail("building the flat calendar", &err);

    /* Pairs: dates over the data's first years, 1..60 working days (so answers stay inside). */
    int32_t *pairs = malloc(sizeof *pairs * 2 * (size_t)n);
    int32_t *mine = malloc(sizeof *mine * (size_t)n), *theirs = malloc(sizeof *theirs * (size_t)n);
    if (!pairs || !mine || !theirs)
        return fail("out of memory", NULL);
    qz_date first = qz_date_from_ymd(qz_calendar_first_year(real), 1, 1);
    qz_date last = qz_date_from_ymd(qz_calendar_last_year(real), 9, 30);
    srand(20261123);
    for (long i = 0; i < n; i++) {
        pairs[2 * i] = first + rand() % (last - first);
        pairs[2 * i + 1] = 1 + rand() % 60;
    }
    FILE *f = fopen(pairs_path, "wb");
    if (!f || fwrite(pairs, sizeof *pairs * 2, (size_t)n, f) != (size_t)n || fclose(f) != 0)
        return fail("writing the pairs", NULL);

    double t0 = now();
    for (long i = 0; i < n; i++)
        if (qz_calendar_add(flat, pairs[2 * i], pairs[2 * i + 1], &mine[i], &err))
            return fail("qz_calendar_add", &err);
    double ours = now() - t0;

    char cmd[512];
    snprintf(cmd, sizeof cmd, "/usr/bin/python3 %s/calendar_numpy.py %s %s %s", QZ_BENCH_DIR,
             pairs_path, list_path, out_path);
    FILE *p = popen(cmd, "r");
    double theirs_s = 0;
    long theirs_n = 0;
    if (!p || fscanf(p, "numpy %ld %lf", &theirs_n, &theirs_s) != 2 || pclose(p) != 0 ||
        theirs_n != n)
        return fail("running numpy (is python3-numpy installed?)", NULL);
    f = fopen(out_path, "rb");
    if (!f || fread(theirs, sizeof *theirs, (size_t)n, f) != (size_t)n || fclose(f) != 0)
        return fail("reading numpy's answers", NULL);

    long differ = 0, real_differs = 0;
    for (long i = 0; i < n; i++) {
        differ += mine[i] != theirs[i];
        qz_date r;
        if (qz_calendar_add(real, pairs[2 * i], pairs[2 * i + 1], &r, &err))
            return fail("qz_calendar_add (real)", &err);
        real_differs += r != mine[i];
    }
    printf("calendar: %ld due dates (date + 1..60 working days, %d-%d)\n", n,
           qz_calendar_first_year(real), qz_calendar_last_year(real));
    printf("  qyzmet qz_calendar_add   %8.1f M/s  (%.3f s)\n", n / ours / 1e6, ours);
    printf("  numpy busday_offset      %8.1f M/s  (%.3f s, vectorised)\n", n / theirs_s / 1e6,
           theirs_s);
    printf("  ratio qyzmet/numpy       %8.2fx\n", theirs_s / ours);
    printf("  answers that differ from numpy: %ld\n", differ);
    printf("  pairs the real calendar (with working weekends) answers differently: %ld\n",
           real_differs);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    if (system(cmd) != 0)
        fprintf(stderr, "bench/calendar: could not remove %s\n", tmp);
    free(pairs);
    free(mine);
    free(theirs);
    qz_calendar_free(flat);
    qz_calendar_free(real);
    return differ == 0 ? 0 : 1;
}
