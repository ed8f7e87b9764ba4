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

void system_readyz(struct req *r) {
    struct db *db = NULL;
    char err[200];
    /* A fresh connection proves the database is reachable right now. */
    if (db_open(server_db_url, &db, err, sizeof err) != DB_OK) {
        reply_json(r, 503, json_pack("{s:s}", "status", "unavailable"));
        return;
    }
    int64_t v = 0;
    int rc = db_query_int(db, &v, "SELECT COUNT(*) FROM schema_migrations", "");
    db_close(db);
    if (rc != DB_ROW)
        reply_json(r, 503, json_pack("{s:s}", "status", "unavailable"));
    else
        reply_json(r, 200, json_pack("{s:s}", "status", "ready"));
}

void system_metrics(struct req *r) {
    char *text = metrics_render(r->arena);
    reply_raw(r, 200, "text/plain; version=0.0.4; charset=utf-8", text, strlen(text));
}

void system_openapi(struct req *r) {
    reply_raw(r, 200, "application/json; charset=utf-8", openapi_json, openapi_json_len);
}
