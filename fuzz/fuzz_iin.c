/* Fuzzes the IIN and BIN parsers with any text (fuzz/README.md). */
#include "fuzz.h"

#include "core/iin.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    qz_err err;
    qz_iin iin;
    qz_bin bin;
    qz_err_clear(&err);
    (void)qz_iin_parse(s, &iin, &err);
    qz_err_clear(&err);
    (void)qz_bin_parse(s, &bin, &err);
    free(s);
    return 0;
}
