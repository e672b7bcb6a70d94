/*
 * app.h — what every use case of the application floor shares: the loaded rules, the
 * store, the clock, the string catalogue and the EDS trust store. The server and the CLI
 * build one at start-up and hand it, read-only, to every use case; everything in it is
 * thread safe (the clock and the store lock inside, the rest is only read). The HTTP
 * layer calls it qz_http_ctx (http/request.h): the same struct.
 */
#ifndef QZ_APP_APP_H
#define QZ_APP_APP_H

#include "app/clock.h"
#include "core/rules.h"
#include "core/strings.h"

typedef struct qz_store qz_store;
typedef struct qz_trust qz_trust;

typedef struct qz_app {
    const qz_rules *rules;
    qz_store *store;
    qz_clock *clock;
    const qz_strings *strings;
    const qz_trust *trust; /* the EDS trust store (serve --trust), or NULL: app/eds.h */
} qz_app;

#endif
