/* realpath(3) is an X/Open function */
#define _XOPEN_SOURCE 700

#include "cli/catalog_dir.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

static int is_catalog(const char *dir)
{
    char probe[PATH_MAX + 16];
    struct stat st;
    if ((size_t)snprintf(probe, sizeof probe, "%s/services", dir) >= sizeof probe)
        return 0;
    return stat(probe, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The folder of the running executable, resolved through symbolic links. */
static int exe_dir(const char *argv0, char *out, size_t cap)
{
    char path[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
    if (n > 0) {
        path[n] = '\0';
    } else if (argv0 && strchr(argv0, '/') && realpath(argv0, path)) {
        /* no /proc: argv[0] names the file when it holds a slash */
    } else {
        return -1;
    }
    char *slash = strrchr(path, '/');
    if (!slash)
        return -1;
    *slash = '\0';
    if ((size_t)snprintf(out, cap, "%s", path[0] ? path : "/") >= cap)
        return -1;
    return 0;
}

const char *qz_cli_find_catalog(const char *argv0)
{
    static char found[PATH_MAX + 32];
    static const char *const places[] = {"catalog", "../catalog", "../../catalog",
                                         "../share/qyzmet/catalog"};
    char bin[PATH_MAX];
    if (exe_dir(argv0, bin, sizeof bin) != 0)
        return NULL;
    for (size_t i = 0; i < sizeof places / sizeof places[0]; i++) {
        char candidate[sizeof found];
        if ((size_t)snprintf(candidate, sizeof candidate, "%s/%s", bin, places[i]) >=
            sizeof candidate)
            continue;
        if (!is_catalog(candidate))
            continue;
        char *real = realpath(candidate, NULL);
        snprintf(found, sizeof found, "%s", real ? real : candidate);
        free(real);
        return found;
    }
    return NULL;
}
