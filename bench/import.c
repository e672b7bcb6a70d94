/*
 * bench/import — `qyzmet import persons` of a generated file beside SQLite's own
 * `.import` of the same file by the sqlite3 command-line shell, one transaction, WAL:
 *
 *   keyed  into a table of the file's columns keyed by the IIN, as qyzmet's is: what
 *          reading CSV and writing the rows and their key costs without qyzmet's checks
 *          and upserts (the reference of the goal, ≥ 0.5 of its rate)
 *   bare   into a new table of text columns, no key: the floor
 *
 * Runs alternate (bare, keyed, qyzmet, …) so that a busy machine slows all alike; the
 * ratios of the medians are the result.
 *
 * Usage: build/bench/import [ROWS [RUNS [DIR]]]   (300000, 3, a new folder in /tmp)
 */
#include "core/date.h"
#include "core/iin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { MAX_RUNS = 15 };

static const char *const SURNAMES[] = {"Нұрланов",   "Әбдіқадыров", "Иванов",   "Сейітқали",
                                       "Жақсыбеков", "Петров",      "Өтегенов", "Құрманғазиев"};
static const char *const NAMES[] = {"Ерлан", "Әлібек", "Сергей", "Ғалым", "Нұрсұлтан", "Үміт"};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Writes `rows` persons with valid IINs (distinct birth dates and serials). */
static int generate(const char *path, int rows)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fputs("iin,surname,name,patronymic,birth_date,sex,phone\n", f);
    qz_date base = qz_date_from_ymd(1950, 1, 1);
    int written = 0;
    for (int serial = 0; written < rows; serial++) {
        for (int d = 0; d < 20000 && written < rows; d++) {
            char iin[QZ_IIN_STR], date[QZ_DATE_STR];
            qz_sex sex = (d + serial) % 2 ? QZ_SEX_FEMALE : QZ_SEX_MALE;
            qz_err err;
            if (qz_iin_compose(base + d, sex, serial, iin, &err))
                continue; /* an unissuable serial */
            fprintf(f, "%s,%s,%s,,%s,%s,+7701%07d\n", iin, SURNAMES[(written / 7) % 8],
                    NAMES[written % 6], qz_date_format(base + d, date), qz_iin_sex_name(sex),
                    written % 10000000);
            written++;
        }
    }
    return fclose(f) == 0 ? 0 : -1;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int timed(const char *cmd, double *seconds)
{
    double t0 = now_s();
    int rc = system(cmd);
    *seconds = now_s() - t0;
    if (rc != 0)
        fprintf(stderr, "bench/import: failed: %s\n", cmd);
    return rc == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
    int rows = argc > 1 ? atoi(argv[1]) : 300000;
    int runs = argc > 2 ? atoi(argv[2]) : 3;
    char dir[256] = "/tmp/qz_bench_import_XXXXXX";
    if (argc > 3)
        snprintf(dir, sizeof dir, "%s", argv[3]);
    else if (!mkdtemp(dir))
        return perror("mkdtemp"), 1;
    if (rows < 1 || runs < 1 || runs > MAX_RUNS)
        return fprintf(stderr, "usage: bench/import [ROWS [RUNS [DIR]]]\n"), 2;
    char csv[512], cmd[2048];
    snprintf(csv, sizeof csv, "%s/persons.csv", dir);
    if (generate(csv, rows))
        return perror(csv), 1;
    double bare[MAX_RUNS], ref[MAX_RUNS], qz[MAX_RUNS];
    for (int i = 0; i < runs; i++) {
        snprintf(cmd, sizeof cmd,
                 "rm -f %1$s/ref.db* %1$s/qz.db* && sqlite3 %1$s/ref.db 'PRAGMA journal_mode=WAL;'"
                 " '.mode csv' '.import %2$s persons' >/dev/null",
                 dir, csv);
        if (timed(cmd, &bare[i]))
            return 1;
        snprintf(cmd, sizeof cmd,
                 "rm -f %1$s/ref.db* && sqlite3 %1$s/ref.db 'PRAGMA journal_mode=WAL;'"
                 " 'CREATE TABLE persons(iin TEXT PRIMARY KEY, surname TEXT, name TEXT,"
                 " patronymic TEXT, birth_date TEXT, sex TEXT, phone TEXT)'"
                 " '.mode csv' '.import --skip 1 %2$s persons' >/dev/null",
                 dir, csv);
        if (timed(cmd, &ref[i]))
            return 1;
        snprintf(cmd, sizeof cmd,
                 "build/qyzmet init --db %1$s/qz.db && build/qyzmet import persons %2$s"
                 " --db %1$s/qz.db >/dev/null",
                 dir, csv);
        if (timed(cmd, &qz[i]))
            return 1;
    }
    qsort(bare, (size_t)runs, sizeof bare[0], cmp);
    qsort(ref, (size_t)runs, sizeof ref[0], cmp);
    qsort(qz, (size_t)runs, sizeof qz[0], cmp);
    double b = bare[runs / 2], r = ref[runs / 2], q = qz[runs / 2];
    printf("import: %d persons, median of %d runs each, alternated, in %s\n", rows, runs, dir);
    printf("  sqlite3 .import, bare   %8.0f rows/s  (%.2f s; text columns, no key)\n", rows / b, b);
    printf("  sqlite3 .import, keyed  %8.0f rows/s  (%.2f s; the IIN the primary key)\n", rows / r,
           r);
    printf(
        "  qyzmet import           %8.0f rows/s  (%.2f s; every row checked, upsert on the IIN)\n",
        rows / q, q);
    printf("  ratio to keyed %.2f (goal >= 0.5), to bare %.2f\n", r / q, b / q);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (argc <= 3 && system(cmd) != 0)
        return 1;
    return 0;
}
