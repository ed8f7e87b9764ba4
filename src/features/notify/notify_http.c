/* notify_http.c — the inbox (消息): each user reads and marks only their own notifications; the
 * administrator (notify.manage) reads the outbox of deliveries. */
#include <string.h>

#include "base/timeutil.h"
#include "base/urlmask.h"
#include "features/notify/notify_http.h"
#include "http/http.h"

#define NOTIFICATION_SELECT                                                                        \
    "SELECT id, kind, title, body, link, task_id, created_at, read_at FROM notifications"

void notifications_list(struct req *r) {
    struct page pg;
    int unread = 0, has_unread = 0;
    if (req_page_or_reply(r, &pg) || req_query_bool_or_reply(r, "unread", &unread, &has_unread))
        return;
    struct query cnt, rows;
    query_init(&cnt, r->arena, "SELECT COUNT(*) FROM notifications WHERE 1 = 1");
    query_init(&rows, r->arena, NOTIFICATION_SELECT " WHERE 1 = 1");
    struct query *both[] = {&cnt, &rows};
    for (int i = 0; i < 2; i++) {
        query_add(both[i], " AND user_id = ?", "i", r->who.user_id);
        if (has_unread && unread) query_add(both[i], " AND read_at IS NULL", "");
        if (has_unread && !unread) query_add(both[i], " AND read_at IS NOT NULL", "");
    }
    query_add(&rows, " ORDER BY id DESC LIMIT ? OFFSET ?", "ii", pg.per_page, pg.offset);
    int rc;
    json_t *out = query_list_json(r, &cnt, &rows, &rc);
    if (!out) {
        db_fail_reply(r, rc);
        return;
    }
    reply_json(r, 200, out);
}

void notifications_unread_count(struct req *r) {
    int64_t n = 0;
    int rc = db_query_int(
        r->db, &n, "SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL", "i",
        r->who.user_id);
    if (rc != DB_ROW) {
        db_fail_reply(r, rc < 0 ? rc : DB_ERROR);
        return;
    }
    reply_json(r, 200, json_pack("{s:I}", "count", (json_int_t)n));
}

/* Another user's notification answers 404, exactly like one that does not exist. */
static json_t *own_notification_or_reply(struct req *r, int64_t id) {
    struct db_stmt *st = db_queryv(r->db, NOTIFICATION_SELECT " WHERE user_id = ? AND id = ?", "ii",
                                   r->who.user_id, id);
    int rc = st ? db_step(st) : DB_ERROR;
    json_t *n = rc == DB_ROW ? db_row_json(st) : NULL;
    db_done(st);
    if (rc < 0)
        db_fail_reply(r, rc);
    else if (!n)
        reply_error(r, ERR_NOT_FOUND, NULL);
    return n;
}

/* Marking one's own notification read is not a business change, so it leaves no audit record
 * (it would drown the log); it is still one proper write transaction. */
void notifications_read(struct req *r) {
    int64_t id;
    if (req_id_or_reply(r, 0, &id)) return;
    char now[21];
    now_iso(now);
    if (tx_begin_or_reply(r)) return;
    int rc = db_exec(r->db,
                     "UPDATE notifications SET read_at = ? WHERE id = ? AND user_id = ? "
                     "AND read_at IS NULL",
                     "sii", now, id, r->who.user_id);
    if (rc != DB_OK) {
        db_fail_reply(r, rc);
        return;
    }
    if (tx_commit_or_reply(r)) return;
    json_t *n = own_notification_or_reply(r, id);
    if (n) reply_json(r, 200, n);
}

/* Not audited either (see above). */
void notifications_read_all(struct req *r) {
    char now[21];
    now_iso(now);
    if (tx_begin_or_reply(r)) return;
    int rc =
        db_exec(r->db, "UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL",
                "si", now, r->who.user_id);
    int64_t changed = rc == DB_OK ? db_changes(r->db) : 0;
    if (rc != DB_OK) {
        db_fail_reply(r, rc);
        return;
    }
    if (tx_commit_or_reply(r)) return;
    reply_json(r, 200, json_pack("{s:b,s:I}", "ok", 1, "count", (json_int_t)changed));
}

static const char *const delivery_statuses[] = {"pending", "sending", "sent", "failed", NULL};

/* A webhook URL carries its access key (query key=, access_token=, a path token, user:pass@):
 * shown masked, like the setting it came from. */
static const char *target_shown(struct req *r, const char *channel, const char *target) {
    if (strcmp(channel, "webhook") != 0) return target;
    return url_mask_secrets(r->arena, target);
}

void deliveries_list(struct req *r) {
    struct page pg;
    const char *status;
    if (req_page_or_reply(r, &pg) || req_query_text_or_reply(r, "status", 20, &status)) return;
    int known = !status;
    for (int i = 0; !known && delivery_statuses[i]; i++)
        known = !strcmp(status, delivery_statuses[i]);
    if (!known) {
        reply_field_error(r, ERR_INVALID, "status", "应为 pending、sending、sent 或 failed",
                          "One of pending, sending, sent, failed");
        return;
    }
    struct query cnt, rows;
    query_init(&cnt, r->arena, "SELECT COUNT(*) FROM deliveries d WHERE 1 = 1");
    query_init(&rows, r->arena,
               "SELECT d.id, d.notification_id, n.kind, n.title, n.user_id, d.channel, d.target, "
               "d.status, d.attempts, d.next_attempt_at, d.last_error, d.created_at, d.sent_at "
               "FROM deliveries d LEFT JOIN notifications n ON n.id = d.notification_id "
               "WHERE 1 = 1");
    if (status) {
        query_add(&cnt, " AND d.status = ?", "s", status);
        query_add(&rows, " AND d.status = ?", "s", status);
    }
    query_add(&rows, " ORDER BY d.id DESC LIMIT ? OFFSET ?", "ii", pg.per_page, pg.offset);
    int rc;
    json_t *out = query_list_json(r, &cnt, &rows, &rc);
    if (!out) {
        db_fail_reply(r, rc);
        return;
    }
    size_t i;
    json_t *d;
    json_array_foreach(json_object_get(out, "items"), i, d) {
        const char *channel = json_string_value(json_object_get(d, "channel"));
        const char *target = json_string_value(json_object_get(d, "target"));
        if (channel && target)
            json_object_set_new(d, "target", json_string(target_shown(r, channel, target)));
        /* Stored as Unix seconds for the worker; answered as a time like every other. */
        char when[21];
        iso_utc((int64_t)json_integer_value(json_object_get(d, "next_attempt_at")), when);
        json_object_set_new(d, "next_attempt_at", json_string(when));
    }
    reply_json(r, 200, out);
}
