/* Fuzzes the calendar loader with a year file (kz-2026.json) beside the real holidays
 * of catalog/calendar (fuzz/README.md). */
#include "fuzz.h"

#include "core/calendar_load.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[64];

/* A folder of its own with the real holidays.json, made once. */
static int setup(void)
{
    if (dir[0])
        return 0;
    char tmpl[] = "/tmp/qz-fuzz-cal-XXXXXX";
    if (!mkdtemp(tmpl))
        return -1;
    FILE *in = fopen(QZ_CATALOG_DIR "/calendar/holidays.json", "rb");
    if (!in)
        return -1;
    static uint8_t buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf, in);
    fclose(in);
    char path[128];
    snprintf(path, sizeof path, "%s/holidays.json", tmpl);
    if (fuzz_write(path, buf, n))
        return -1;
    strcpy(dir, tmpl);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[128];
    if (setup())
        abort(); /* the fuzzer cannot run without its folder */
    snprintf(path, sizeof path, "%s/kz-2026.json", dir);
    if (fuzz_write(path, data, size))
        abort();
    qz_err err;
    qz_err_clear(&err);
    qz_calendar *cal = qz_calendar_load(dir, &err);
    qz_calendar_free(cal);
    return 0;
}
