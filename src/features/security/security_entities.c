/* security_entities.c — the sign-in log and the online sessions as entities (features/entity).
 *
 * The sign-in log is unscoped: a row may name no account (a made-up name) and so no unit; only
 * the 安全管理员 (loginlog.read, an administrator's permission) reads it. The sessions follow
 * their account's unit (the security administrator's scope is all). Only live sessions are
 * listed (within the idle and absolute limits). Ending one (DELETE /api/v1/sessions/{id},
 * session.manage) deletes its row: the `auth` data version moves (a trigger), so every server's
 * session cache drops it within a second, and the next request with its cookie answers 401.
 * 三员分立: the security administrator may end any session — a business user's or another
 * administrator's — except the one he is using (that is 退出登录); the account itself is
 * untouched (locking it is the system administrator's job). */
#include <stdio.h>
#include <string.h>

#include "base/calendar.h"
#include "base/json.h"
#include "base/timeutil.h"
#include "features/security/security.h"
#include "store/settings.h"

/* Rows leave trailing fields out: 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

/* ---- the sign-in log ---- */

/* A date is a day in China Standard Time (the one the users live in); the log keeps UTC: the
 * day D starts at D-1 16:00:00Z. */
static const char *local_day_start(struct arena *a, const char *date, int next) {
    int32_t day = 0;
    date_parse(date, &day); /* checked by the filter's type */
    char iso[21];
    iso_utc(((int64_t)day + next) * 86400 - 8 * 3600, iso);
    return arena_strdup(a, iso);
}

static void filter_from(const struct entity_ctx *c, struct query *q, const char *value) {
    query_add(q, " AND l.at >= ?", "s", local_day_start(c->arena, value, 0));
}

/* The upper bound includes that whole day. */
static void filter_to(const struct entity_ctx *c, struct query *q, const char *value) {
    query_add(q, " AND l.at < ?", "s", local_day_start(c->arena, value, 1));
}

static const struct field_option login_results[] = {
    {"ok", "登录成功", "Signed in", "success"},
    {"wrong_password", "密码错误", "Wrong password", "danger"},
    {"unknown_user", "账号不存在", "Unknown account", "danger"},
    {"disabled", "账号已停用", "Account disabled", "danger"},
    {"locked", "失败过多暂停", "Locked after failures", "warning"},
    {"throttled", "地址受限", "Address throttled", "warning"},
    {"captcha_required", "需要验证码", "Captcha required", "warning"},
    {"captcha_wrong", "验证码错误", "Wrong captcha", "warning"},
    {"logout", "退出登录", "Signed out", "info"},
    {"expired", "会话超时", "Session expired", "info"},
    {"revoked", "强制下线", "Forced sign-out", "warning"},
};

static const struct entity_filter login_log_filters[] = {
    {"at_from", FT_DATE, "时间起", "Time from", .apply = filter_from},
    {"at_to", FT_DATE, "时间止", "Time to", .apply = filter_to},
};

static const struct field login_log_fields[] = {
    {"id", FT_INT, "编号", "ID", 0, 0, F_SORT | F_READONLY},
    {"at", FT_DATETIME, "时间", "Time", 0, 0, F_LIST | F_SORT | F_EXPORT | F_READONLY},
    {"username", FT_TEXT, "账号", "Account", 0, 64,
     F_LIST | F_FILTER | F_SORT | F_SEARCH | F_EXPORT | F_READONLY, .search = "lower(l.username)"},
    {"user_id", FT_USER, "账号ID", "Account id", 0, 0, F_READONLY},
    {"display_name", FT_TEXT, "姓名", "Name", 0, 0, F_LIST | F_EXPORT | F_READONLY,
     .sql = "u.display_name"},
    {"ip", FT_TEXT, "地址", "Address", 0, 64, F_LIST | F_FILTER | F_SORT | F_EXPORT | F_READONLY},
    {"result", FT_ENUM, "结果", "Result", 0, 0, F_LIST | F_FILTER | F_EXPORT | F_READONLY | F_LABEL,
     login_results, ENTITY_N(login_results)},
    {"user_agent", FT_TEXT, "浏览器", "Browser", 0, LOGIN_LOG_UA_MAX,
     F_LIST | F_EXPORT | F_READONLY},
};

const struct entity entity_login_log = {
    .name = "login_log",
    .path = "/api/v1/login-log",
    .zh = "登录日志",
    .en = "Sign-in log",
    .table = "login_log",
    .alias = "l",
    .from = "login_log l LEFT JOIN users u ON u.id = l.user_id",
    .fields = login_log_fields,
    .n_fields = ENTITY_N(login_log_fields),
    .scope = {.unscoped =
                  "登录日志记录全系统的登录尝试，其中不存在的账号不属于任何单位；只有安全管理员"
                  "（loginlog.read，三员权限，业务角色不能持有）查看"},
    .filters = login_log_filters,
    .n_filters = ENTITY_N(login_log_filters),
    .default_sort = "-id", /* the order they were written in, also within one second */
    .perm_read = &perm_loginlog_read,
    .audit_type = "login_log",
    .export_name = "login-log",
    .export_sheet = "登录日志",
};

int login_log_purge(struct db *db, int batch) {
    char cutoff[21];
    iso_utc(now_unix() - setting_int(db, "login.log_days") * 86400, cutoff);
    int rc = db_exec(db,
                     "DELETE FROM login_log WHERE id IN (SELECT id FROM login_log WHERE at < ? "
                     "ORDER BY at LIMIT ?)",
                     "si", cutoff, (int64_t)batch);
    if (rc != DB_OK) return rc;
    int removed = (int)db_changes(db);
    rc = db_exec(db,
                 "DELETE FROM captchas WHERE id IN (SELECT id FROM captchas WHERE expires_at <= ? "
                 "LIMIT ?)",
                 "ii", now_unix(), (int64_t)batch);
    return rc != DB_OK ? rc : removed;
}

/* ---- online sessions ---- */

/* Only live sessions: within the idle and the absolute limit as of now. */
static void sessions_visible(const struct entity_ctx *c, struct query *q) {
    int64_t now = now_unix();
    query_add(q, " AND s.last_seen_at > ? AND s.created_at > ?", "ii",
              now - setting_int(c->db, "session.idle_minutes") * 60,
              now - setting_int(c->db, "session.absolute_hours") * 3600);
}

/* Times are kept as Unix seconds: answered as ISO 8601 like every other time; the caller's own
 * session is marked (it is not ended from this page). No query. */
static int sessions_decorate(const struct entity_ctx *c, json_t *items) {
    static const char *const times[] = {"created_at", "last_seen_at"};
    size_t i;
    json_t *s;
    json_array_foreach(items, i, s) {
        for (int k = 0; k < 2; k++) {
            json_t *v = json_object_get(s, times[k]);
            if (!json_is_integer(v)) continue;
            char iso[21];
            iso_utc((int64_t)json_integer_value(v), iso);
            json_object_set_new(s, times[k], json_string(iso));
        }
        int64_t id = (int64_t)json_integer_value(json_object_get(s, "id"));
        json_object_set_new(s, "current", json_boolean(id == c->who->session_id));
    }
    return DB_OK;
}

static int sessions_remove(struct entity_write *w) {
    if (w->id == w->c->who->session_id) {
        w->zh = "不能在此结束自己正在使用的会话，请使用“退出登录”";
        w->en = "You cannot end the session you are using here; sign out instead";
        return ENTITY_FORBIDDEN;
    }
    const char *username = json_string_value(json_object_get(w->cur, "username"));
    const char *ip = json_string_value(json_object_get(w->cur, "ip"));
    int64_t user_id = (int64_t)json_integer_value(json_object_get(w->cur, "user_id"));
    int rc = db_exec(w->c->db, "DELETE FROM sessions WHERE id = ?", "i", w->id);
    if (rc != DB_OK) return rc;
    if (db_changes(w->c->db) == 0) return ENTITY_NOT_FOUND; /* ended meanwhile */
    rc = login_log_add(w->c->db, username ? username : "", user_id, ip,
                       json_string_value(json_object_get(w->cur, "user_agent")), LOGIN_REVOKED, 0);
    if (rc != DB_OK) return rc;
    json_t *d = json_pack("{s:s,s:I,s:s}", "username", username ? username : "", "user_id",
                          (json_int_t)user_id, "ip", ip ? ip : "");
    const char *detail = json_text_arena(w->c->arena, d, NULL);
    json_decref(d);
    return audit_append(w->c->db, w->actor, "session.revoke", "session",
                        arena_printf(w->c->arena, "%lld", (long long)w->id), "ok",
                        detail ? detail : "");
}

static const struct field session_fields[] = {
    {"id", FT_INT, "编号", "ID", 0, 0, F_READONLY},
    {"user_id", FT_USER, "账号ID", "Account id", 0, 0, F_READONLY},
    {"username", FT_TEXT, "账号", "Account", 0, 64, F_LIST | F_SORT | F_SEARCH | F_READONLY,
     .sql = "u.username", .search = "lower(u.username)"},
    {"display_name", FT_TEXT, "姓名", "Name", 0, 0, F_LIST | F_SEARCH | F_READONLY,
     .sql = "u.display_name"},
    {"unit_id", FT_UNIT, "单位", "Unit", 0, 0, F_FILTER | F_READONLY, .sql = "u.unit_id",
     .ref = "units"},
    {"unit_name", FT_TEXT, "单位", "Unit", 0, 0, F_LIST | F_READONLY, .sql = "un.name"},
    {"role_name", FT_TEXT, "角色", "Role", 0, 0, F_LIST | F_READONLY, .sql = "r.name"},
    {"ip", FT_TEXT, "地址", "Address", 0, 64, F_LIST | F_FILTER | F_READONLY},
    {"created_at", FT_DATETIME, "登录时间", "Signed in", 0, 0, F_LIST | F_SORT | F_READONLY},
    {"last_seen_at", FT_DATETIME, "最近活动", "Last seen", 0, 0, F_LIST | F_SORT | F_READONLY},
    {"user_agent", FT_TEXT, "浏览器", "Browser", 0, 255, F_LIST | F_READONLY},
    {"current", FT_BOOL, "当前会话", "This session", 0, 0, F_VIRTUAL | F_READONLY},
};

#define SESSION_JOINS                                                                              \
    "sessions s JOIN users u ON u.id = s.user_id JOIN units un ON un.id = u.unit_id "              \
    "LEFT JOIN roles r ON r.id = u.role_id"

const struct entity entity_sessions = {
    .name = "sessions",
    .path = "/api/v1/sessions",
    .zh = "在线用户",
    .en = "Online users",
    .table = "sessions",
    .alias = "s",
    .from = SESSION_JOINS,
    .filter_from = "sessions s JOIN users u ON u.id = s.user_id",
    .fields = session_fields,
    .n_fields = ENTITY_N(session_fields),
    .scope = {.unit_column = "u.unit_id"},
    .default_sort = "-last_seen_at",
    .perm_read = &perm_session_manage,
    .perm_delete = &perm_session_manage,
    .audit_type = "session",
    .unversioned = 1,
    .visible = sessions_visible,
    .decorate = sessions_decorate,
    .remove = sessions_remove,
};
