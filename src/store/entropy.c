#include "store/entropy.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>

int qz_random_bytes(void *buf, size_t n, qz_err *err)
{
    unsigned char *p = buf;
    while (n > 0) {
        ssize_t got = getrandom(p, n, 0);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return qz_err_set(err, QZ_EIO, "store.random_failed", NULL,
                              got < 0 ? strerror(errno) : "");
        p += got;
        n -= (size_t)got;
    }
    return 0;
}
