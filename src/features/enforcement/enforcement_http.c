/* enforcement_http.c — GET /api/v1/case-reviews/sheet: the 案卷评查 standard (sections, items
 * with points and deductions, veto items, grade thresholds) as data for the review form. */
#include "features/enforcement/enforcement_http.h"
#include "features/enforcement/enforcement.h"
#include "http/http.h"

void case_review_sheet(struct req *r) {
    reply_json(r, 200, case_review_sheet_json(r->db, r->lang));
}
