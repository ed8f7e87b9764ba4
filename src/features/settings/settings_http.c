/* settings_http.c — system settings (系统设置); each setting names the permission that changes
 * it, so 系统管理员 and 安全管理员 each edit only their own. */
#include <stdio.h>
#include <string.h>

#include "base/timeutil.h"
#include "features/notify/notify.h"
#include "features/settings/settings_http.h"
#include "http/http.h"
#include "store/settings.h"

static const char *type_name(enum setting_type t) {
    return t == SETTING_INT ? "int" : t == SETTING_BOOL ? "bool" : "text";
}

/* Values that need more than their bounds: checked against what they name before they are
 * saved (a webhook's host is resolved and its addresses judged; the allow-list parsed). */
struct value_check {
    const char *key;
    int (*check)(struct db *db, const char *value, struct notify_refusal *why);
};

static int check_webhook_allow(struct db *db, const char *value, struct notify_refusal *why) {
    (void)db;
    return notify_webhook_allow_check(value, why);
}

static const struct value_check value_checks[] = {
    {"notify.webhook_url", notify_webhook_url_check},
    {"notify.webhook_allow", check_webhook_allow},
};

static const struct value_check *value_check_for(const struct setting_def *d) {
    for (size_t i = 0; i < sizeof value_checks / sizeof value_checks[0]; i++)
        if (!strcmp(value_checks[i].key, d->key)) return &value_checks[i];
    return NULL;
}

/* A setting's stored text as JSON of its type (value and default alike); secrets masked. */
static json_t *setting_value_json(struct arena *a, const struct setting_def *d, const char *text) {
    if (d->type == SETTING_INT) return json_integer(strtoll(text, NULL, 10));
    if (d->type == SETTING_BOOL) return json_boolean(strcmp(text, "0"));
    return json_string(setting_shown(a, d, text)); /* secrets masked (store/settings.c) */
}

static json_t *setting_json(struct db *db, struct arena *a, const struct setting_def *d) {
    const char *value = d->def;
    int64_t version = 0;
    struct db_stmt *st =
        db_queryv(db, "SELECT value, version FROM settings WHERE key = ?", "s", d->key);
    if (st && db_step(st) == DB_ROW) {
        value = arena_strdup(a, db_col_text(st, 0));
        version = db_col_int(st, 1);
    }
    db_done(st);
    return json_pack("{s:s,s:s,s:o,s:o,s:I,s:I,s:s,s:s,s:s,s:s,s:s,s:I}", "key", d->key, "type",
                     type_name(d->type), "value", setting_value_json(a, d, value), "default",
                     setting_value_json(a, d, d->def), "min", (json_int_t)d->min, "max",
                     (json_int_t)d->max, "group", d->group, "name", d->name, "name_en", d->name_en,
                     "description", d->description, "perm", d->perm, "version",
                     (json_int_t)version);
}

void settings_list(struct req *r) {
    json_t *items = json_array();
    for (int i = 0; i < setting_count(); i++)
        json_array_append_new(items, setting_json(r->db, r->arena, setting_at(i)));
    reply_json(r, 200, json_pack("{s:o,s:i}", "items", items, "total", setting_count()));
}

void settings_update(struct req *r) {
    const struct setting_def *d = setting_def_by_key(r->params[0]);
    if (!d) {
        reply_error(r, ERR_NOT_FOUND, NULL);
        return;
    }
    if (!perm_has(r->who.perms, perm_by_code(d->perm))) {
        reply_denied(r, d->perm);
        return;
    }
    json_t *body;
    if (req_json_or_reply(r, &body)) return;
    struct form f;
    form_init(&f, r, body);
    int64_t version = form_version(&f);
    json_t *v = json_object_get(body, "value");
    char value[1024] = "";
    int unchanged = 0; /* a secret sent back as it was shown */
    if (!v || json_is_null(v))
        form_error(&f, "value", "必填", "Required");
    else if (d->type == SETTING_TEXT) {
        const char *t = form_text(&f, "value", d->min > 0, (size_t)d->min, (size_t)d->max);
        if (t) snprintf(value, sizeof value, "%s", t);
        if (t && d->secret) {
            struct db_stmt *st =
                db_queryv(r->db, "SELECT value FROM settings WHERE key = ?", "s", d->key);
            if (st && db_step(st) == DB_ROW &&
                setting_unchanged(r->arena, d, db_col_text(st, 0), t)) {
                snprintf(value, sizeof value, "%s", db_col_text(st, 0));
                unchanged = 1;
            }
            db_done(st);
        }
    } else if (d->type == SETTING_BOOL && json_is_boolean(v)) {
        snprintf(value, sizeof value, "%d", json_is_true(v));
    } else if (d->type == SETTING_INT && json_is_integer(v)) {
        snprintf(value, sizeof value, "%lld", (long long)json_integer_value(v));
    } else {
        form_error(&f, "value", "类型不正确", "Wrong type");
    }
    const char *why = NULL;
    if (value[0] && setting_validate(d, value, &why) != 0) {
        char zh[120], en[120];
        snprintf(zh, sizeof zh, "须在 %lld 到 %lld 之间", (long long)d->min, (long long)d->max);
        snprintf(en, sizeof en, "Must be between %lld and %lld", (long long)d->min,
                 (long long)d->max);
        form_error(&f, "value", zh, en);
    }
    const struct value_check *vc = value_check_for(d);
    struct notify_refusal why_not;
    if (vc && !unchanged && json_object_size(f.errors) == 0 &&
        vc->check(r->db, value, &why_not) != 0)
        form_error(&f, "value", why_not.zh, why_not.en);
    if (form_ok_or_reply(&f)) return;
    char now[21];
    now_iso(now);
    if (tx_begin_or_reply(r)) return;
    int rc = db_exec(r->db,
                     "UPDATE settings SET value = ?, updated_at = ?, version = version + 1 "
                     "WHERE key = ? AND version = ?",
                     "sssi", value, now, d->key, version);
    if (rc != DB_OK) {
        db_fail_reply(r, rc);
        return;
    }
    if (db_changes(r->db) == 0) { /* every declared key has a row (settings_seed) */
        db_rollback(r->db);
        reply_error(r, ERR_STALE_VERSION, NULL);
        return;
    }
    if (audit_key_or_reply(
            r, "setting.update", "setting", d->key,
            json_pack("{s:s,s:s}", "key", d->key, "value", setting_shown(r->arena, d, value))))
        return;
    if (tx_commit_or_reply(r)) return;
    settings_invalidate();
    reply_json(r, 200, setting_json(r->db, r->arena, d));
}
