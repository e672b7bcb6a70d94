/* Fuzzes the catalogue loader with one service file, loaded with the real shared
 * workflows and roles of catalog/ (fuzz/README.md). */
#include "fuzz.h"

#include "core/catalog.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[128];
    if (!dir[0]) {
        char tmpl[] = "/tmp/qz-fuzz-cat-XXXXXX";
        if (!mkdtemp(tmpl))
            abort();
        strcpy(dir, tmpl);
    }
    snprintf(path, sizeof path, "%s/service.json", dir);
    if (fuzz_write(path, data, size))
        abort();
    qz_err err;
    qz_err_clear(&err);
    qz_catalog *cat = qz_catalog_load(dir, QZ_CATALOG_DIR "/workflows",
                                      QZ_CATALOG_DIR "/roles.json", NULL, NULL, NULL, &err);
    qz_catalog_free(cat);
    return 0;
}
