/* notify.c — raising notifications: the inbox row and its queued deliveries, in the caller's
 * transaction. The deliveries are sent later by deliver.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/log.h"
#include "base/timeutil.h"
#include "features/notify/notify.h"
#include "features/notify/notify_impl.h"

#define RECIPIENTS_MAX 2000 /* accounts one unit- or permission-wide raise may reach */

void notify_setting_text(struct db *db, const char *key, char *out, size_t n) {
    out[0] = 0;
    struct db_stmt *st = db_queryv(db, "SELECT value FROM settings WHERE key = ?", "s", key);
    if (st && db_step(st) == DB_ROW) {
        const char *v = db_col_text(st, 0);
        snprintf(out, n, "%s", v ? v : "");
    }
    db_done(st);
}

/* Copy at most max_chars UTF-8 characters of s into out (size n bytes), never splitting one. */
static void utf8_truncate(const char *s, size_t max_chars, char *out, size_t n) {
    size_t i = 0, chars = 0, last = 0;
    for (; s[i] && i < n - 1; i++) {
        if (((unsigned char)s[i] & 0xC0) != 0x80) {
            if (chars == max_chars) break;
            chars++;
            last = i;
        }
    }
    /* When the buffer cut a multi-byte character short, drop its lead byte too. */
    if (s[i] && ((unsigned char)s[i] & 0xC0) == 0x80) i = last;
    memcpy(out, s, i);
    out[i] = 0;
}

struct recipient {
    int64_t id;      /* users.id */
    char email[256]; /* users.email, may be "" */
    char name[256];  /* users.display_name (50 characters), for the webhook text */
};

/* dedup_key: NULL, or a key the deliveries table holds once (a second queue does nothing). */
static int queue_delivery(struct db *db, int64_t notification_id, const char *channel,
                          const char *target, json_t *payload /* stolen */, const char *dedup_key,
                          int64_t now, const char *now_text) {
    char *text = json_dumps(payload, JSON_COMPACT);
    json_decref(payload);
    if (!text) return DB_ERROR;
    int rc =
        db_exec(db,
                "INSERT INTO deliveries (notification_id, channel, target, payload, status, "
                "attempts, next_attempt_at, created_at, dedup_key) "
                "VALUES (?, ?, ?, ?, 'pending', 0, ?, ?, ?) ON CONFLICT (dedup_key) DO NOTHING",
                "isssiss", notification_id, channel, target, text, now, now_text, dedup_key);
    free(text);
    return rc;
}

/* Where raised notifications go besides the inbox, read once per raise or batch. */
struct channels {
    char webhook[2048]; /* notify.webhook_url (500 characters of up to 4 bytes), "" = none */
    char smtp[300];     /* notify.smtp_url, "" = no e-mail */
};

static void channels_load(struct db *db, struct channels *c) {
    notify_setting_text(db, "notify.webhook_url", c->webhook, sizeof c->webhook);
    notify_setting_text(db, "notify.smtp_url", c->smtp, sizeof c->smtp);
}

/* Queue the group robot's one message of an event (notification_id: the first of its copies):
 * title and body, then `last_line` when given ("接收人：…", "承办单位：…"). */
static int queue_webhook(struct db *db, const struct channels *ch, int64_t notification_id,
                         const char *title, const char *body, const char *last_line,
                         const char *dedup_key) {
    if (!ch->webhook[0]) return DB_OK;
    char t[NOTIFY_TITLE_MAX * 4 + 1], b[NOTIFY_BODY_MAX * 4 + 1], now_text[21];
    utf8_truncate(title ? title : "", NOTIFY_TITLE_MAX, t, sizeof t);
    utf8_truncate(body ? body : "", NOTIFY_BODY_MAX, b, sizeof b);
    /* a unit's name or a display name: 200 characters at most */
    char content[sizeof t + sizeof b + 1000], line[800];
    utf8_truncate(last_line ? last_line : "", 200, line, sizeof line);
    snprintf(content, sizeof content, "%s%s%s%s%s", t, *b ? "\n" : "", b, *line ? "\n" : "", line);
    /* 企业微信 / 钉钉 group robots accept this shape. */
    json_t *p = json_pack("{s:s,s:{s:s}}", "msgtype", "text", "text", "content", content);
    int64_t now = now_unix();
    iso_utc(now, now_text);
    return queue_delivery(db, notification_id, "webhook", ch->webhook, p, dedup_key, now, now_text);
}

/* Insert one notification and its e-mail delivery (the webhook is the caller's: one per event).
 * *id = the new notification, 0 when dedup_key existed already. */
static int raise_one(struct db *db, const struct channels *ch, const struct notify_msg *m,
                     int64_t *id) {
    char t[NOTIFY_TITLE_MAX * 4 + 1], b[NOTIFY_BODY_MAX * 4 + 1], now_text[21];
    char te[NOTIFY_TITLE_MAX * 4 + 1], be[NOTIFY_BODY_MAX * 4 + 1];
    utf8_truncate(m->title ? m->title : "", NOTIFY_TITLE_MAX, t, sizeof t);
    utf8_truncate(m->body ? m->body : "", NOTIFY_BODY_MAX, b, sizeof b);
    utf8_truncate(m->title_en ? m->title_en : "", NOTIFY_TITLE_MAX, te, sizeof te);
    utf8_truncate(m->body_en ? m->body_en : "", NOTIFY_BODY_MAX, be, sizeof be);
    int64_t now = now_unix();
    iso_utc(now, now_text);
    *id = 0;
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO notifications (user_id, kind, title, body, link, task_id, dedup_key, "
            "created_at, title_en, body_en) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (dedup_key) DO NOTHING RETURNING id");
    if (!st) return DB_ERROR;
    db_bind_int(st, 1, m->user_id);
    db_bind_text(st, 2, m->kind);
    db_bind_text(st, 3, t);
    db_bind_text(st, 4, b);
    db_bind_text(st, 5, m->link ? m->link : "");
    if (m->task_id > 0)
        db_bind_int(st, 6, m->task_id);
    else
        db_bind_null(st, 6);
    db_bind_text(st, 7, m->dedup_key);
    db_bind_text(st, 8, now_text);
    db_bind_text(st, 9, te);
    db_bind_text(st, 10, be);
    int rc = db_step(st);
    int64_t new_id = rc == DB_ROW ? db_col_int(st, 0) : 0;
    if (rc == DB_ROW) rc = db_step(st); /* finish the statement before the next one */
    db_done(st);
    if (rc < 0) return rc;
    if (!new_id) return DB_OK; /* raised before: nothing more to do */
    *id = new_id;
    if (ch->smtp[0] && m->email && *m->email) {
        json_t *p =
            json_pack("{s:s,s:s,s:s}", "subject", t, "body", b, "link", m->link ? m->link : "");
        if ((rc = queue_delivery(db, new_id, "email", m->email, p, NULL, now, now_text)) != DB_OK)
            return rc;
    }
    return DB_OK;
}

int notify_raise_batch(struct db *db, const struct notify_msg *msgs, int n) {
    struct channels ch;
    channels_load(db, &ch);
    int count = 0;
    const char *queued = NULL; /* the last event whose webhook this batch queued */
    for (int i = 0; i < n; i++) {
        const struct notify_msg *m = &msgs[i];
        int64_t id = 0;
        int rc = raise_one(db, &ch, m, &id);
        if (rc != DB_OK) return rc;
        if (!id) continue;
        count++;
        if (m->no_webhook) continue;
        if (!m->event_key) {
            const char *who = m->name && *m->name ? m->name : NULL;
            char line[600]; /* display names: 50 characters */
            snprintf(line, sizeof line, "接收人：%s", who ? who : "");
            rc = queue_webhook(db, &ch, id, m->title, m->body, who ? line : NULL, NULL);
        } else if (!queued || strcmp(queued, m->event_key) != 0) {
            /* the copies of one event come one after another: one try per event and batch */
            rc = queue_webhook(db, &ch, id, m->title, m->body, m->audience, m->event_key);
            queued = m->event_key;
        }
        if (rc != DB_OK) return rc;
    }
    return count;
}

static int user_contact(struct db *db, int64_t user_id, struct recipient *out) {
    memset(out, 0, sizeof *out);
    struct db_stmt *st =
        db_queryv(db, "SELECT id, email, display_name FROM users WHERE id = ?", "i", user_id);
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW) {
        snprintf(out->email, sizeof out->email, "%s", db_col_text(st, 1) ? db_col_text(st, 1) : "");
        snprintf(out->name, sizeof out->name, "%s", db_col_text(st, 2) ? db_col_text(st, 2) : "");
    }
    db_done(st);
    return rc < 0 ? rc : DB_OK;
}

int notify_event_user(struct db *db, int64_t user_id, const struct notify_event *ev) {
    struct recipient who;
    int rc = user_contact(db, user_id, &who);
    if (rc != DB_OK) return rc;
    struct notify_msg m = {.user_id = user_id,
                           .email = who.email,
                           .name = who.name,
                           .kind = ev->kind,
                           .title = ev->title,
                           .body = ev->body,
                           .title_en = ev->title_en,
                           .body_en = ev->body_en,
                           .link = ev->link,
                           .task_id = ev->task_id,
                           .dedup_key = ev->dedup_prefix};
    rc = notify_raise_batch(db, &m, 1);
    return rc < 0 ? rc : DB_OK;
}

int notify_raise(struct db *db, int64_t user_id, const char *kind, const char *title,
                 const char *body, const char *link, int64_t task_id, const char *dedup_key) {
    struct notify_event ev = {kind, title, body, NULL, NULL, link, task_id, dedup_key};
    return notify_event_user(db, user_id, &ev);
}

/* Raise one event to every row of a prepared recipient query (columns: id, email,
 * display_name): a notification and e-mail each, and one webhook message for all of them
 * (ending with `audience` when given, keyed `webhook_key` when given). The recipients are read
 * first: a statement may not stay open while others write on the same connection. */
static int raise_all(struct db *db, struct db_stmt *st, const struct notify_event *ev,
                     const char *audience, const char *webhook_key) {
    const char *kind = ev->kind, *title = ev->title, *body = ev->body, *prefix = ev->dedup_prefix;
    if (!st) return DB_ERROR;
    static const size_t cap = RECIPIENTS_MAX;
    struct recipient *list = calloc(cap, sizeof *list);
    if (!list) {
        db_done(st);
        return DB_ERROR;
    }
    size_t n = 0;
    int rc;
    while ((rc = db_step(st)) == DB_ROW && n < cap) {
        list[n].id = db_col_int(st, 0);
        snprintf(list[n].email, sizeof list[n].email, "%s",
                 db_col_text(st, 1) ? db_col_text(st, 1) : "");
        snprintf(list[n].name, sizeof list[n].name, "%s",
                 db_col_text(st, 2) ? db_col_text(st, 2) : "");
        n++;
    }
    db_done(st);
    if (rc == DB_ROW)
        log_error("notify: more than %d recipients for %s, rest skipped", RECIPIENTS_MAX, kind);
    int count = rc < 0 ? rc : 0;
    struct channels ch;
    if (count >= 0) channels_load(db, &ch);
    int64_t first = 0; /* the event's first new notification: its webhook goes with it */
    for (size_t i = 0; i < n && count >= 0; i++) {
        char key[300];
        if (prefix) snprintf(key, sizeof key, "%s:%lld", prefix, (long long)list[i].id);
        struct notify_msg m = {.user_id = list[i].id,
                               .email = list[i].email,
                               .name = list[i].name,
                               .kind = kind,
                               .title = title,
                               .body = body,
                               .title_en = ev->title_en,
                               .body_en = ev->body_en,
                               .link = ev->link,
                               .task_id = ev->task_id,
                               .dedup_key = prefix ? key : NULL};
        int64_t id = 0;
        rc = raise_one(db, &ch, &m, &id);
        count = rc < 0 ? rc : count + (id != 0);
        if (id && !first) first = id;
    }
    free(list);
    if (count > 0 && first) {
        rc = queue_webhook(db, &ch, first, title, body, audience, webhook_key);
        if (rc != DB_OK) count = rc;
    }
    return count;
}

int notify_event_unit(struct db *db, int64_t unit_id, const char *perm,
                      const struct notify_event *ev) {
    char unit_name[600] = "", audience[640] = "", key[300];
    struct db_stmt *u = db_queryv(db, "SELECT name FROM units WHERE id = ?", "i", unit_id);
    int rc = u ? db_step(u) : DB_ERROR;
    if (rc == DB_ROW && db_col_text(u, 0))
        snprintf(unit_name, sizeof unit_name, "%s", db_col_text(u, 0));
    db_done(u);
    if (rc < 0) return rc;
    if (*unit_name) snprintf(audience, sizeof audience, "承办单位：%s", unit_name);
    if (ev->dedup_prefix)
        snprintf(key, sizeof key, "%s:unit:%lld", ev->dedup_prefix, (long long)unit_id);
    struct db_stmt *st = db_queryv(db,
                                   "SELECT u.id, u.email, u.display_name FROM users u "
                                   "JOIN role_permissions rp "
                                   "ON rp.role_id = u.role_id AND rp.permission = ? "
                                   "WHERE u.unit_id = ? AND u.locked = 0 ORDER BY u.id",
                                   "si", perm, unit_id);
    return raise_all(db, st, ev, *audience ? audience : NULL, ev->dedup_prefix ? key : NULL);
}

int notify_raise_unit(struct db *db, int64_t unit_id, const char *perm, const char *kind,
                      const char *title, const char *body, const char *link, int64_t task_id,
                      const char *dedup_prefix) {
    struct notify_event ev = {kind, title, body, NULL, NULL, link, task_id, dedup_prefix};
    return notify_event_unit(db, unit_id, perm, &ev);
}

int notify_event_perm(struct db *db, const char *perm, int64_t except_user_id,
                      const struct notify_event *ev) {
    struct db_stmt *st = db_queryv(db,
                                   "SELECT u.id, u.email, u.display_name FROM users u "
                                   "JOIN role_permissions rp "
                                   "ON rp.role_id = u.role_id AND rp.permission = ? "
                                   "WHERE u.locked = 0 AND u.id <> ? ORDER BY u.id",
                                   "si", perm, except_user_id);
    return raise_all(db, st, ev, NULL, ev->dedup_prefix);
}

int notify_raise_perm_except(struct db *db, const char *perm, int64_t except_user_id,
                             const char *kind, const char *title, const char *body,
                             const char *link, int64_t task_id, const char *dedup_prefix) {
    struct notify_event ev = {kind, title, body, NULL, NULL, link, task_id, dedup_prefix};
    return notify_event_perm(db, perm, except_user_id, &ev);
}

int notify_raise_perm(struct db *db, const char *perm, const char *kind, const char *title,
                      const char *body, const char *link, int64_t task_id,
                      const char *dedup_prefix) {
    return notify_raise_perm_except(db, perm, 0, kind, title, body, link, task_id, dedup_prefix);
}
