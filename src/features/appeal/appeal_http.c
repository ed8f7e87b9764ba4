/* appeal_http.c — GET /api/v1/assess/charts?run_id=&unit_id=: the leaders' charts of a run
 * (appeal_charts_json). The objections' routes are the entity's and the kind's (generated). */
#include "features/appeal/appeal.h"
#include "features/appeal/appeal_http.h"
#include "http/http.h"

void appeal_charts(struct req *r) {
    int64_t run_id = 0, unit_id = 0;
    int present = 0;
    if (req_query_int_or_reply(r, "run_id", 1, FIELD_ID_MAX, &run_id, &present) ||
        req_query_int_or_reply(r, "unit_id", 1, FIELD_ID_MAX, &unit_id, &present))
        return;
    json_t *out = NULL;
    int rc = appeal_charts_json(r->db, r->arena, &r->who, run_id, unit_id, r->lang, &out);
    if (rc == DB_DONE) {
        reply_error(r, ERR_NOT_FOUND, NULL);
        return;
    }
    if (rc != DB_OK) {
        reply_db_error(r, rc);
        return;
    }
    reply_json(r, 200, out);
}
