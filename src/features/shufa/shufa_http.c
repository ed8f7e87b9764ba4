/* shufa_http.c — POST /api/v1/shufa-reports/open {year}: the office opens a year's 述法, a draft
 * report for every active first responsible person of a unit that gives 述法 and has none yet
 * (shufa_open_year, set-based), in one transaction with its audit record. The reports' other
 * routes are the entity's and the kind's (generated). */
#include <stdlib.h>

#include "features/shufa/shufa.h"
#include "features/shufa/shufa_http.h"
#include "base/calendar.h"
#include "http/http.h"

void shufa_open(struct req *r) {
    json_t *body;
    if (req_json_or_reply(r, &body)) return;
    struct form f;
    form_init(&f, r, body);
    char today[11];
    date_format(date_today(), today);
    int64_t year = form_int(&f, "year", 1, 2000, atoi(today), 0);
    if (form_ok_or_reply(&f)) return;
    int64_t created = 0;
    if (tx_begin_or_reply(r)) return;
    int rc = shufa_open_year(r->db, r->arena, year, r->who.user_id, &created);
    if (rc != DB_OK) {
        db_fail_reply(r, rc);
        return;
    }
    if (audit_key_or_reply(
            r, "shufa_report.open", "shufa_report", arena_printf(r->arena, "%lld", (long long)year),
            json_pack("{s:I,s:I}", "year", (json_int_t)year, "created", (json_int_t)created)) ||
        tx_commit_or_reply(r))
        return;
    reply_json(r, 200,
               json_pack("{s:I,s:I}", "year", (json_int_t)year, "created", (json_int_t)created));
}
