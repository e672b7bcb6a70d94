/* GET /api/v1/openapi.yaml: the API's description, built into the program from
 * docs/openapi.yaml (the Makefile turns it into bytes), so the server always describes
 * itself as it was built, wherever it is installed. */
#include "http/handlers.h"

#include <stddef.h>

extern const unsigned char qz_openapi_yaml[];
extern const size_t qz_openapi_yaml_len;

void qz_h_openapi(qz_req *req, qz_resp *resp)
{
    (void)req;
    resp->status = 200;
    resp->static_text = (const char *)qz_openapi_yaml;
    resp->text_len = qz_openapi_yaml_len;
    resp->content_type = "application/yaml";
}
