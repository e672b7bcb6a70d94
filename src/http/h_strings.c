/* GET /api/v1/strings/{lang}: {"lang", "strings": {key: text}}, the web pages' texts (every "web.…"
 * key of catalog/strings/) in one language, so that no page holds a text of its own. */
#include "http/handlers.h"

#include <string.h>

void qz_h_strings(qz_req *req, qz_resp *resp)
{
    static const char *const tags[] = {"kk", "ru", "en"};
    for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++)
        if (strcmp(req->params[0], tags[i]) == 0) {
            json_t *all = qz_strings_prefixed(req->ctx->strings, (qz_lang)i, "web.");
            if (!all)
                qz_resp_fail(req, resp, 503, "request.no_answer", NULL, NULL);
            else
                qz_resp_json(resp, 200, json_pack("{s:s,s:o}", "lang", tags[i], "strings", all));
            return;
        }
    qz_resp_fail(req, resp, 404, "strings.lang_unknown", "lang", req->params[0]);
}
