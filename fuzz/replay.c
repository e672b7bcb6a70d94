/* Replays files through a fuzz target without libFuzzer: `replay FILE|DIR…` feeds each
 * file (each file of each folder) to LLVMFuzzerTestOneInput once, and prints
 * "NAME: N passed, 0 failed" at the end. A crash is ASan's or UBSan's to report (built
 * with them by `make test`), and ends the run with a failure. */
#include "fuzz.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    size_t cap = 1 << 16, n = 0, got;
    uint8_t *buf = malloc(cap);
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            uint8_t *bigger = realloc(buf, cap *= 2);
            if (!bigger) {
                free(buf);
                buf = NULL;
            } else {
                buf = bigger;
            }
        }
    }
    fclose(f);
    if (!buf)
        return -1;
    LLVMFuzzerTestOneInput(buf, n);
    free(buf);
    return 0;
}

int main(int argc, char **argv)
{
    long replayed = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            fprintf(stderr, "replay: cannot read %s\n", argv[i]);
            return 1;
        }
        if (!S_ISDIR(st.st_mode)) {
            if (replay_file(argv[i]))
                return 1;
            replayed++;
            continue;
        }
        DIR *d = opendir(argv[i]);
        struct dirent *e;
        while (d && (e = readdir(d)) != NULL) {
            if (e->d_name[0] == '.')
                continue;
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", argv[i], e->d_name);
            if (replay_file(path)) {
                closedir(d);
                return 1;
            }
            replayed++;
        }
        if (d)
            closedir(d);
    }
    const char *name = strrchr(argv[0], '/');
    printf("%s: %ld passed, 0 failed\n", name ? name + 1 : argv[0], replayed);
    return replayed > 0 ? 0 : 1;
}
