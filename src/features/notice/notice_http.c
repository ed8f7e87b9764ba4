/* notice_http.c — read receipts: the reader marks a notice read (once; not audited, like a
 * notification), the office reads who of which unit has read it. Both only for a notice the
 * caller reads (else 404, like a missing one). */
#include "features/entity/entity_http.h"
#include "features/notice/notice.h"
#include "features/notice/notice_http.h"

/* The notice in the caller's scope and visibility, or a reply. */
static int notice_or_reply(struct req *r, int64_t *id) {
    struct entity_ctx c;
    if (req_id_or_reply(r, 0, id) || entity_ctx_or_reply(r, &entity_notices, EP_GET, &c)) return -1;
    json_t *cur = entity_get_or_reply(r, &c, *id);
    if (!cur) return -1;
    json_decref(cur);
    return 0;
}

void notice_read_route(struct req *r) {
    int64_t id;
    if (notice_or_reply(r, &id) || tx_begin_or_reply(r)) return;
    const char *read_at = NULL;
    int rc = notice_mark_read(r->db, r->arena, &r->who, id, &read_at);
    if (rc != DB_OK) {
        db_fail_reply(r, rc);
        return;
    }
    if (tx_commit_or_reply(r)) return;
    reply_json(r, 200, json_pack("{s:b,s:s}", "ok", 1, "read_at", read_at));
}

void notice_receipts_route(struct req *r) {
    int64_t id;
    if (notice_or_reply(r, &id)) return;
    int rc;
    json_t *out = notice_receipts(r->db, id, &rc);
    if (!out) {
        db_fail_reply(r, rc);
        return;
    }
    reply_json(r, 200, out);
}
