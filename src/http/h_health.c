#include "http/handlers.h"

void qz_h_health(qz_req *req, qz_resp *resp)
{
    (void)req;
    qz_resp_json(resp, 200, json_pack("{s:s}", "status", "ok"));
}
