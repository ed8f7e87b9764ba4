/* system_http.c — health, readiness, metrics and the OpenAPI document. */
#include <string.h>

#include "http/http.h"
#include "http/metrics.h"
#include "http/server.h"
#include "http/system_http.h"

extern const char openapi_json[]; /* generated from docs/openapi.yaml at build time */
extern const size_t openapi_json_len;

void system_healthz(struct req *r) {
    reply_json(r, 200, json_pack("{s:s}", "status", "ok"));
}

/* Ready when the connection this worker thread's requests use answers: a load balancer then
 * stops sending users to a server whose database is gone, and sends them again once it is back.
 * A connection found lost is made again first (server.c runs the request once more, and the
 * store reconnects at the start of it). The route is ROUTE_NO_DB and attaches the connection
 * itself, so a database that cannot even be opened is answered in this route's own shape. */
void system_readyz(struct req *r) {
    int rc = server_attach_db(r) ? DB_UNAVAILABLE : db_ready(r->db);
    if (rc == DB_OK) {
        reply_json(r, 200, json_pack("{s:s}", "status", "ready"));
        return;
    }
    reply_json(r, 503, json_pack("{s:s}", "status", "unavailable"));
    reply_header(r, "Retry-After", RETRY_AFTER_SECONDS);
}

void system_metrics(struct req *r) {
    char *text = metrics_render(r->arena);
    reply_raw(r, 200, "text/plain; version=0.0.4; charset=utf-8", text, strlen(text));
}

void system_openapi(struct req *r) {
    reply_raw(r, 200, "application/json; charset=utf-8", openapi_json, openapi_json_len);
}
