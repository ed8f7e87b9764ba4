/* notify_entities.c — the inbox and the outbox as entities (features/entity): each user reads
 * only their own notifications (scope = the user); the deliveries are the channels' run log,
 * read by the administrator who configures them. Marking read is here too (no SQL in routes). */
#include <stdio.h>
#include <string.h>

#include "base/timeutil.h"
#include "base/urlmask.h"
#include "features/notify/notify.h"

/* Rows leave trailing fields out: 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

extern struct perm_def perm_notify_manage;

static const struct field notification_fields[] = {
    {"id", FT_INT, "编号", "ID", 0, 0, F_LIST | F_SORT | F_READONLY},
    {"kind", FT_TEXT, "类型", "Kind", 0, 0, F_LIST | F_READONLY},
    {"title", FT_TEXT, "标题", "Title", 0, 0, F_LIST | F_SEARCH | F_READONLY},
    {"body", FT_LONGTEXT, "内容", "Body", 0, 0, F_LIST | F_READONLY},
    /* the English text: served as title/body to a reader of the English UI (decorate) */
    {"title_en", FT_TEXT, "英文标题", "Title (English)", 0, 0, F_LIST | F_READONLY | F_INTERNAL},
    {"body_en", FT_LONGTEXT, "英文内容", "Body (English)", 0, 0, F_LIST | F_READONLY | F_INTERNAL},
    {"link", FT_TEXT, "链接", "Link", 0, 0, F_LIST | F_READONLY},
    {"task_id", FT_REF, "督办任务", "Task", 0, 0, F_LIST | F_READONLY, .ref = "tasks"},
    {"created_at", FT_DATETIME, "时间", "Time", 0, 0, F_LIST | F_READONLY},
    {"read_at", FT_DATETIME, "已读时间", "Read", 0, 0, F_LIST | F_READONLY},
};

static const struct entity_filter notification_filters[] = {
    {"unread", FT_BOOL, "未读", "Unread", "n.read_at IS NULL", "n.read_at IS NOT NULL"},
};

/* Each notification in the reader's language: the English text where there is one. */
static int notifications_decorate(const struct entity_ctx *c, json_t *items) {
    if (!c->lang) return DB_OK;
    size_t i;
    json_t *row;
    json_array_foreach(items, i, row) {
        static const char *const pairs[][2] = {{"title", "title_en"}, {"body", "body_en"}};
        for (int k = 0; k < 2; k++) {
            const char *en = json_string_value(json_object_get(row, pairs[k][1]));
            if (en && *en) json_object_set_new(row, pairs[k][0], json_string(en));
        }
    }
    return DB_OK;
}

const struct entity entity_notifications = {
    .name = "notifications",
    .path = "/api/v1/notifications",
    .zh = "消息",
    .en = "Notifications",
    .table = "notifications",
    .alias = "n",
    .fields = notification_fields,
    .n_fields = ENTITY_N(notification_fields),
    .scope = {.user_column = "n.user_id"}, /* one's own inbox; another's reads as missing */
    .filters = notification_filters,
    .n_filters = ENTITY_N(notification_filters),
    .default_sort = "-id",
    .perm_read = &perm_signed_in,
    .decorate = notifications_decorate,
    .audit_type = "notification",
};

int notification_unread_count(struct db *db, int64_t user_id, int64_t *n) {
    int rc = db_query_int(
        db, n, "SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL", "i",
        user_id);
    return rc == DB_ROW ? DB_OK : rc < 0 ? rc : DB_ERROR;
}

int notification_mark_read(struct db *db, int64_t user_id, int64_t id, int64_t *changed) {
    char now[21];
    now_iso(now);
    int rc =
        id ? db_exec(db,
                     "UPDATE notifications SET read_at = ? WHERE id = ? AND user_id = ? "
                     "AND read_at IS NULL",
                     "sii", now, id, user_id)
           : db_exec(db,
                     "UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL",
                     "si", now, user_id);
    if (changed) *changed = rc == DB_OK ? db_changes(db) : 0;
    return rc;
}

/* ---- deliveries ---- */

static const struct field_option delivery_statuses[] = {
    {"pending", "待发送", "Pending", "info"},
    {"sending", "发送中", "Sending", "warning"},
    {"sent", "已发送", "Sent", "success"},
    {"failed", "失败", "Failed", "danger"},
};

/* A webhook URL carries its access key (query key=, access_token=, a path token, user:pass@):
 * shown masked, like the setting it came from. The next attempt is stored as Unix seconds for
 * the worker and answered as a time like every other. No query. */
static int deliveries_decorate(const struct entity_ctx *c, json_t *items) {
    size_t i;
    json_t *d;
    json_array_foreach(items, i, d) {
        const char *channel = json_string_value(json_object_get(d, "channel"));
        const char *target = json_string_value(json_object_get(d, "target"));
        if (channel && target && !strcmp(channel, "webhook"))
            json_object_set_new(d, "target", json_string(url_mask_secrets(c->arena, target)));
        char when[21];
        iso_utc((int64_t)json_integer_value(json_object_get(d, "next_attempt_at")), when);
        json_object_set_new(d, "next_attempt_at", json_string(when));
    }
    return DB_OK;
}

static const struct field delivery_fields[] = {
    {"id", FT_INT, "编号", "ID", 0, 0, F_LIST | F_SORT | F_READONLY},
    {"notification_id", FT_INT, "消息编号", "Notification", 0, 0, F_LIST | F_READONLY},
    {"kind", FT_TEXT, "类型", "Kind", 0, 0, F_LIST | F_READONLY, .sql = "n.kind"},
    {"title", FT_TEXT, "标题", "Title", 0, 0, F_LIST | F_READONLY, .sql = "n.title"},
    {"user_id", FT_USER, "接收人", "Recipient", 0, 0, F_LIST | F_READONLY, .sql = "n.user_id"},
    {"channel", FT_TEXT, "渠道", "Channel", 0, 0, F_LIST | F_READONLY},
    {"target", FT_TEXT, "目标", "Target", 0, 0, F_LIST | F_READONLY},
    {"status", FT_ENUM, "状态", "Status", 0, 0, F_LIST | F_FILTER | F_READONLY, delivery_statuses,
     ENTITY_N(delivery_statuses)},
    {"attempts", FT_INT, "尝试次数", "Attempts", 0, 0, F_LIST | F_READONLY},
    {"next_attempt_at", FT_DATETIME, "下次尝试", "Next attempt", 0, 0, F_LIST | F_READONLY},
    {"last_error", FT_TEXT, "最近错误", "Last error", 0, 0, F_LIST | F_READONLY},
    {"created_at", FT_DATETIME, "创建时间", "Created", 0, 0, F_LIST | F_READONLY},
    {"sent_at", FT_DATETIME, "发送时间", "Sent", 0, 0, F_LIST | F_READONLY},
};

const struct entity entity_deliveries = {
    .name = "deliveries",
    .path = "/api/v1/deliveries",
    .zh = "推送记录",
    .en = "Deliveries",
    .table = "deliveries",
    .alias = "d",
    .from = "deliveries d LEFT JOIN notifications n ON n.id = d.notification_id",
    .fields = delivery_fields,
    .n_fields = ENTITY_N(delivery_fields),
    .scope = {.unscoped = "推送记录是消息通道（Webhook、邮件）的运行记录，不属于哪个单位；只有配置"
                          "消息推送的系统管理员（notify.manage）查看"},
    .default_sort = "-id",
    .perm_read = &perm_notify_manage,
    .audit_type = "delivery",
    .decorate = deliveries_decorate,
};
