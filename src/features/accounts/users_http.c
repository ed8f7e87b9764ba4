/* users_http.c — accounts (账号): 系统管理员 creates and maintains them, 安全管理员 grants roles.
 */
#include <stdio.h>
#include <string.h>

#include "auth/perm.h"
#include "base/timeutil.h"
#include "features/accounts/accounts.h"
#include "features/accounts/accounts_http.h"
#include "http/http.h"

#define USER_SELECT                                                                                \
    "SELECT u.id, u.username, u.display_name, u.unit_id, un.name AS unit_name, r.code AS role, "   \
    "r.name AS role_name, u.locked, u.must_change_password, "                                      \
    "COALESCE(t.failures, 0) AS failed_count, u.last_login_at, u.created_at, u.updated_at, "       \
    "u.version FROM users u JOIN units un ON un.id = u.unit_id "                                   \
    "LEFT JOIN roles r ON r.id = u.role_id LEFT JOIN (SELECT user_id, SUM(failures) AS failures "  \
    "FROM login_throttle WHERE user_id IS NOT NULL GROUP BY user_id) t ON t.user_id = u.id "       \
    "WHERE 1 = 1"

static const struct sort_key user_sorts[] = {{"username", "u.username"},
                                             {"display_name", "u.display_name"},
                                             {"unit", "un.sort_order"},
                                             {"last_login_at", "u.last_login_at"},
                                             {"created_at", "u.created_at"},
                                             {"updated_at", "u.updated_at"},
                                             {NULL, NULL}};

/* What the caller may do to this account (account_action_refusal), so the UI shows only the
 * buttons the server accepts: "allowed_actions": ["update", "lock", …]. */
static void user_add_allowed(struct req *r, json_t *u) {
    int64_t id = (int64_t)json_integer_value(json_object_get(u, "id"));
    const char *role = json_string_value(json_object_get(u, "role"));
    json_t *a = json_array();
    for (int i = 0; i < ACCOUNT_ACTION_COUNT; i++)
        if (!account_action_refusal(r->db, &r->who, id, role, (enum account_action)i))
            json_array_append_new(a, json_string(account_action_codes[i]));
    json_object_set_new(u, "allowed_actions", a);
}

void users_list(struct req *r) {
    struct page pg;
    const char *q, *role, *order;
    int64_t unit_id = 0;
    int has_unit = 0, locked = 0, has_locked = 0;
    if (req_page_or_reply(r, &pg) || req_query_text_or_reply(r, "q", 50, &q) ||
        req_query_text_or_reply(r, "role", 32, &role) ||
        req_query_int_or_reply(r, "unit_id", 1, INT64_MAX / 2, &unit_id, &has_unit) ||
        req_query_bool_or_reply(r, "locked", &locked, &has_locked) ||
        req_sort_or_reply(r, user_sorts, "username", &order))
        return;
    struct query cnt, rows;
    query_init(&cnt, r->arena,
               "SELECT COUNT(*) FROM users u JOIN units un ON un.id = u.unit_id "
               "LEFT JOIN roles r ON r.id = u.role_id WHERE 1 = 1");
    query_init(&rows, r->arena, USER_SELECT);
    struct query *both[] = {&cnt, &rows};
    for (int i = 0; i < 2; i++) {
        struct query *x = both[i];
        scope_filter(x, &r->who, "u.unit_id");
        if (q) {
            char *like = query_contains(r->arena, q);
            query_add(x, " AND (lower(u.username)" QUERY_LIKE " OR u.display_name" QUERY_LIKE ")",
                      "ss", like, like);
        }
        if (role) {
            if (!strcmp(role, "none"))
                query_add(x, " AND u.role_id IS NULL", "");
            else
                query_add(x, " AND r.code = ?", "s", role);
        }
        if (has_unit) query_add(x, " AND u.unit_id = ?", "i", unit_id);
        if (has_locked) query_add(x, " AND u.locked = ?", "i", (int64_t)locked);
    }
    query_add(&rows, arena_printf(r->arena, " ORDER BY %s, u.id LIMIT ? OFFSET ?", order), "ii",
              pg.per_page, pg.offset);
    int rc;
    json_t *out = query_list_json(r, &cnt, &rows, &rc);
    if (!out) {
        db_fail_reply(r, rc);
        return;
    }
    size_t i;
    json_t *u;
    json_array_foreach(json_object_get(out, "items"), i, u) user_add_allowed(r, u);
    reply_json(r, 200, out);
}

/* One user in scope as JSON, or NULL after replying 404. */
static json_t *user_or_reply(struct req *r, int64_t id) {
    struct query q;
    query_init(&q, r->arena, USER_SELECT);
    query_add(&q, " AND u.id = ?", "i", id);
    scope_filter(&q, &r->who, "u.unit_id");
    json_t *u = query_row_or_reply(r, &q);
    if (u) user_add_allowed(r, u);
    return u;
}

/* 三员分立 (account_action_refusal): 0 when the caller may take `action` on the user `cur`;
 * otherwise records access.denied in the audit log and answers 403 with the reason. */
static int account_allowed_or_reply(struct req *r, json_t *cur, enum account_action action) {
    int64_t id = (int64_t)json_integer_value(json_object_get(cur, "id"));
    const char *role = json_string_value(json_object_get(cur, "role")); /* NULL: no role */
    const struct account_refusal *no = account_action_refusal(r->db, &r->who, id, role, action);
    if (!no) return 0;
    json_t *d = json_pack("{s:s,s:s,s:s?}", "action", account_action_codes[action], "reason",
                          no->reason, "target_role", role);
    char *detail = json_text(r->arena, d), oid[24];
    json_decref(d);
    snprintf(oid, sizeof oid, "%lld", (long long)id);
    if (db_begin(r->db) == DB_OK) {
        if (audit_append(r->db, &r->actor, "access.denied", "user", oid, "denied", detail) == DB_OK)
            db_commit(r->db);
        else
            db_rollback(r->db);
    }
    reply_error_msg(r, ERR_FORBIDDEN, no->zh, no->en);
    return -1;
}

void users_get(struct req *r) {
    int64_t id;
    if (req_id_or_reply(r, 0, &id)) return;
    json_t *u = user_or_reply(r, id);
    if (u) reply_json(r, 200, u);
}

/* The unit must exist, be active and lie inside the caller's scope. */
static int unit_field_ok(struct req *r, struct form *f, const char *key, int64_t unit_id) {
    int64_t active = 0;
    if (!unit_id) return 0;
    if (db_query_int(r->db, &active, "SELECT active FROM units WHERE id = ?", "i", unit_id) !=
            DB_ROW ||
        !scope_allows_unit(r->db, &r->who, unit_id)) {
        form_error(f, key, "单位不存在", "No such unit");
        return 0;
    }
    if (!active) {
        form_error(f, key, "单位已停用", "The unit is deactivated");
        return 0;
    }
    return 1;
}

void users_create(struct req *r) {
    json_t *body;
    if (req_json_or_reply(r, &body)) return;
    struct form f;
    form_init(&f, r, body);
    const char *username = form_text(&f, "username", 1, 3, 32);
    const char *display = form_text(&f, "display_name", 1, 1, 50);
    int64_t unit_id = form_int(&f, "unit_id", 1, 1, INT64_MAX / 2, 0);
    if (username && !username_valid(username))
        form_error(&f, "username", "只能使用小写字母、数字和 _ . -，以字母或数字开头",
                   "Lower-case letters, digits and _ . - only, starting with a letter or digit");
    unit_field_ok(r, &f, "unit_id", unit_id);
    char generated[130];
    const char *password = NULL;
    json_t *pw = json_object_get(body, "password");
    if (pw && !json_is_null(pw)) {
        if (!json_is_string(pw) || json_string_length(pw) > PASSWORD_MAX_BYTES) {
            form_error(&f, "password", "须为文本", "Must be text");
        } else {
            password = json_string_value(pw);
            const char *why = password_policy_check(r->db, password, username);
            if (why) {
                char zh[200], en[200];
                password_policy_message(r, why, zh, en, sizeof zh);
                form_error(&f, "password", zh, en);
            }
        }
    }
    if (form_ok_or_reply(&f)) return;
    if (!password) {
        password_generate_for(r->db, generated, sizeof generated);
        password = generated;
    }
    if (account_id_by_username(r->db, username)) {
        reply_field_error(r, ERR_CONFLICT, "username", "用户名已存在", "The user name is taken");
        return;
    }
    if (tx_begin_or_reply(r)) return;
    int64_t id = 0;
    int rc = account_create(r->db, &r->actor, username, display, unit_id, NULL, password, 1, &id);
    if (rc != DB_OK) {
        db_fail_reply(r, rc);
        return;
    }
    if (tx_commit_or_reply(r)) return;
    json_t *u = user_or_reply(r, id);
    if (u) reply_json(r, 201, json_pack("{s:o,s:s}", "user", u, "initial_password", password));
}

/* Shared start of the actions on one account: id, body, the user in scope (404), the 三员分立
 * rule for `action` (403), then the form over the body. */
static int user_action_start(struct req *r, enum account_action action, int64_t *id, struct form *f,
                             json_t **body) {
    if (req_id_or_reply(r, 0, id) || req_json_or_reply(r, body)) return -1;
    json_t *cur = user_or_reply(r, *id);
    if (!cur) return -1;
    int refused = account_allowed_or_reply(r, cur, action);
    json_decref(cur);
    if (refused) return -1;
    form_init(f, r, *body);
    return 0;
}

void users_update(struct req *r) {
    int64_t id;
    json_t *body;
    struct form f;
    if (user_action_start(r, ACCOUNT_UPDATE, &id, &f, &body)) return;
    const char *display = form_text(&f, "display_name", 1, 1, 50);
    int64_t unit_id = form_int(&f, "unit_id", 1, 1, INT64_MAX / 2, 0);
    int64_t version = form_version(&f);
    unit_field_ok(r, &f, "unit_id", unit_id);
    if (form_ok_or_reply(&f)) return;
    if (tx_begin_or_reply(r)) return;
    if (version_bump_or_reply(r, "users", id, version)) return;
    int rc = db_exec(r->db, "UPDATE users SET display_name = ?, unit_id = ? WHERE id = ?", "sii",
                     display, unit_id, id);
    if (rc != DB_OK) {
        db_fail_reply(r, rc);
        return;
    }
    if (audit_or_reply(
            r, "user.update", "user", id,
            json_pack("{s:s,s:I}", "display_name", display, "unit_id", (json_int_t)unit_id)))
        return;
    if (tx_commit_or_reply(r)) return;
    json_t *u = user_or_reply(r, id);
    if (u) reply_json(r, 200, u);
}

static void users_set_locked(struct req *r, int locked) {
    int64_t id;
    struct form f;
    json_t *body;
    if (user_action_start(r, locked ? ACCOUNT_LOCK : ACCOUNT_UNLOCK, &id, &f, &body)) return;
    int64_t version = form_version(&f);
    if (form_ok_or_reply(&f)) return;
    if (tx_begin_or_reply(r)) return;
    if (version_bump_or_reply(r, "users", id, version)) return;
    int rc = account_set_locked(r->db, &r->actor, id, locked);
    if (rc != DB_OK) {
        db_fail_reply(r, rc);
        return;
    }
    if (tx_commit_or_reply(r)) return;
    json_t *u = user_or_reply(r, id);
    if (u) reply_json(r, 200, u);
}

void users_lock(struct req *r) {
    users_set_locked(r, 1);
}
void users_unlock(struct req *r) {
    users_set_locked(r, 0);
}

void users_reset_password(struct req *r) {
    int64_t id;
    struct form f;
    json_t *body;
    if (user_action_start(r, ACCOUNT_RESET_PASSWORD, &id, &f, &body)) return;
    int64_t version = form_version(&f);
    if (form_ok_or_reply(&f)) return;
    char pw[130];
    password_generate_for(r->db, pw, sizeof pw);
    if (tx_begin_or_reply(r)) return;
    if (version_bump_or_reply(r, "users", id, version)) return;
    /* Audited as user.reset_password; the user must choose a new password at next sign-in. */
    int rc = account_set_password(r->db, &r->actor, id, pw, 1, "user.reset_password");
    if (rc != DB_OK) {
        db_fail_reply(r, rc);
        return;
    }
    if (tx_commit_or_reply(r)) return;
    json_t *u = user_or_reply(r, id);
    if (u) reply_json(r, 200, json_pack("{s:o,s:s}", "user", u, "initial_password", pw));
}

void users_set_role(struct req *r) {
    int64_t id;
    struct form f;
    json_t *body;
    if (user_action_start(r, ACCOUNT_SET_ROLE, &id, &f, &body)) return;
    int64_t version = form_version(&f);
    /* Required: taking every permission away is done by locking the account, never by a
     * missing field. */
    const char *role = form_text(&f, "role", 1, 1, 32);
    int64_t role_id = 0;
    const char *en = NULL, *zh = role ? account_role_grantable(r->db, role, &role_id, &en) : NULL;
    if (zh) form_error(&f, "role", zh, en);
    if (form_ok_or_reply(&f)) return;
    if (tx_begin_or_reply(r)) return;
    if (version_bump_or_reply(r, "users", id, version)) return;
    int rc = account_set_role(r->db, &r->actor, id, role_id, role);
    if (rc != DB_OK) {
        db_fail_reply(r, rc);
        return;
    }
    if (tx_commit_or_reply(r)) return;
    json_t *u = user_or_reply(r, id);
    if (u) reply_json(r, 200, u);
}
