/* catalog_http.c — GET /api/v1/public/decision-catalogue?year=: a published catalogue as the
 * public reads it, without an account (the portal's page shows it). ?year= absent: the latest
 * published year. A year without a published catalogue answers 404 saying so. */
#include "features/catalog/catalog.h"
#include "features/catalog/catalog_http.h"

void catalog_public_route(struct req *r) {
    int64_t year = 0;
    int has = 0, rc;
    if (req_query_int_or_reply(r, "year", 2000, 2100, &year, &has)) return;
    json_t *out = catalog_public_json(r->db, r->arena, has ? year : 0, r->lang, &rc);
    if (!out) {
        if (rc == DB_DONE)
            reply_error_msg(r, ERR_NOT_FOUND, "该年度的决策事项目录尚未公布",
                            "That year's decision catalogue is not published");
        else
            db_fail_reply(r, rc);
        return;
    }
    reply_json(r, 200, out);
}
