/* users_http.c — accounts (账号): 系统管理员 creates and maintains them, 安全管理员 grants roles.
 * List and get are the users entity's generated routes (accounts_entities.c); the writes here
 * check their input with the same declaration and keep the 三员分立 rule. */
#include <stdio.h>
#include <string.h>

#include "auth/perm.h"
#include "base/timeutil.h"
#include "features/accounts/accounts.h"
#include "features/accounts/accounts_http.h"
#include "features/entity/entity_http.h"
#include "http/http.h"

/* One user in scope as JSON (with allowed_actions), or NULL after replying 404. */
static json_t *user_or_reply(struct req *r, int64_t id) {
    struct entity_ctx c;
    if (entity_ctx_or_reply(r, &entity_users, EP_GET, &c)) return NULL;
    return entity_get_or_reply(r, &c, id);
}

/* The declared fields (limits, the unit in scope and active) for `mode`; problems are added
 * to pr, the checked values answered (arena-owned). */
static json_t *user_input(struct req *r, struct entity_ctx *c, struct problems *pr, json_t *body,
                          unsigned mode, int *rc) {
    struct entity_write w = {.c = c, .actor = &r->actor, .pr = pr};
    if ((*rc = entity_ctx_init(c, r->db, r->arena, &entity_users, &r->who, r->lang, EP_GET)))
        return NULL;
    json_t *in = entity_input_check(&w, body, mode, rc);
    if (*rc == ENTITY_INVALID) *rc = DB_OK; /* the caller answers every problem at once */
    return in;
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

void users_create(struct req *r) {
    json_t *body;
    if (req_json_or_reply(r, &body)) return;
    struct entity_ctx c;
    struct problems pr = {.arena = r->arena};
    int rc;
    json_t *in = user_input(r, &c, &pr, body, FV_CREATE, &rc);
    if (rc != DB_OK) {
        db_fail_reply(r, rc);
        return;
    }
    const char *username = json_string_value(json_object_get(in, "username"));
    const char *display = json_string_value(json_object_get(in, "display_name"));
    int64_t unit_id = json_integer_value(json_object_get(in, "unit_id"));
    char generated[130];
    const char *password = NULL;
    json_t *pw = json_object_get(body, "password"); /* as typed: a password is never trimmed */
    if (pw && !json_is_null(pw)) {
        if (!json_is_string(pw) || json_string_length(pw) > PASSWORD_MAX_BYTES) {
            problem_add(&pr, "password", "须为文本", "Must be text");
        } else {
            password = json_string_value(pw);
            const char *why = password_policy_check(r->db, password, username);
            if (why) {
                char zh[200], en[200];
                password_policy_message(r, why, zh, en, sizeof zh);
                problem_add(&pr, "password", arena_strdup(r->arena, zh),
                            arena_strdup(r->arena, en));
            }
        }
    }
    if (pr.n) {
        entity_reply_problems(r, &pr);
        return;
    }
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
    rc = account_create(r->db, &r->actor, username, display, unit_id, NULL, password, 1, &id);
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
    struct entity_ctx c;
    struct problems pr = {.arena = r->arena};
    int rc;
    json_t *in = user_input(r, &c, &pr, body, FV_UPDATE, &rc);
    if (rc != DB_OK) {
        db_fail_reply(r, rc);
        return;
    }
    int64_t version = form_version(&f);
    for (int i = 0; i < pr.n; i++)
        form_error(&f, pr.p[i].field, pr.p[i].zh, pr.p[i].en);
    if (form_ok_or_reply(&f)) return;
    const char *display = json_string_value(json_object_get(in, "display_name"));
    int64_t unit_id = json_integer_value(json_object_get(in, "unit_id"));
    if (tx_begin_or_reply(r)) return;
    if (version_bump_or_reply(r, "users", id, version)) return;
    rc = account_update(r->db, &r->actor, id, display, unit_id);
    if (rc != DB_OK) {
        db_fail_reply(r, rc);
        return;
    }
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
