/* notify_http.c — the inbox (消息): each user reads and marks only their own notifications.
 * The list and one notification are the notifications entity's generated routes, the outbox of
 * deliveries the deliveries entity's (notify_entities.c). */
#include <string.h>

#include "features/entity/entity_http.h"
#include "features/notify/notify.h"
#include "features/notify/notify_http.h"
#include "http/http.h"

void notifications_unread_count(struct req *r) {
    int64_t n = 0;
    int rc = notification_unread_count(r->db, r->who.user_id, &n);
    if (rc != DB_OK) {
        db_fail_reply(r, rc);
        return;
    }
    reply_json(r, 200, json_pack("{s:I}", "count", (json_int_t)n));
}

/* Marking one's own notification read is not a business change, so it leaves no audit record
 * (it would drown the log); it is still one proper write transaction. Another user's
 * notification answers 404, exactly like one that does not exist. */
void notifications_read(struct req *r) {
    int64_t id;
    struct entity_ctx c;
    if (req_id_or_reply(r, 0, &id) || tx_begin_or_reply(r)) return;
    int rc = notification_mark_read(r->db, r->who.user_id, id, NULL);
    if (rc != DB_OK) {
        db_fail_reply(r, rc);
        return;
    }
    if (tx_commit_or_reply(r) || entity_ctx_or_reply(r, &entity_notifications, EP_GET, &c)) return;
    json_t *n = entity_get_or_reply(r, &c, id);
    if (n) reply_json(r, 200, n);
}

/* Not audited either (see above). */
void notifications_read_all(struct req *r) {
    int64_t changed = 0;
    if (tx_begin_or_reply(r)) return;
    int rc = notification_mark_read(r->db, r->who.user_id, 0, &changed);
    if (rc != DB_OK) {
        db_fail_reply(r, rc);
        return;
    }
    if (tx_commit_or_reply(r)) return;
    reply_json(r, 200, json_pack("{s:b,s:I}", "ok", 1, "count", (json_int_t)changed));
}
