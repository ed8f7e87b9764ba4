/* auth_http.c — sign in, sign out, who am I, change password. */
#include <stdio.h>
#include <string.h>

#include "base/timeutil.h"
#include "features/accounts/accounts_http.h"
#include "http/http.h"
#include "store/settings.h"

json_t *principal_json(const struct principal *p) {
    json_t *perms = json_array();
    for (int i = 0; i < perm_def_count; i++)
        if (perm_has(p->perms, perm_defs[i].id))
            json_array_append_new(perms, json_string(perm_defs[i].code));
    json_t *u =
        json_pack("{s:I,s:s,s:s,s:I,s:s,s:s,s:b,s:o}", "id", (json_int_t)p->user_id, "username",
                  p->username, "display_name", p->display_name, "unit_id", (json_int_t)p->unit_id,
                  "unit_name", p->unit_name ? p->unit_name : "", "scope", scope_code(p->scope),
                  "must_change_password", p->must_change_password, "permissions", perms);
    json_object_set_new(u, "role", p->role ? json_string(p->role) : json_null());
    json_object_set_new(u, "role_name", p->role_name ? json_string(p->role_name) : json_null());
    return u;
}

/* Build the answer of login/password change and set the cookie. */
static void reply_signed_in(struct req *r, int64_t user_id, const char *token, const char *csrf) {
    struct principal p;
    if (principal_load(r->db, r->arena, user_id, &p) != DB_ROW) {
        reply_error(r, ERR_INTERNAL, NULL);
        return;
    }
    reply_session_cookie(r, token);
    reply_json(r, 200, json_pack("{s:o,s:s}", "user", principal_json(&p), "csrf_token", csrf));
}

static void audit_failed_login(struct req *r, const char *username, int64_t user_id,
                               const char *reason) {
    if (tx_begin_or_reply(r)) return;
    int rc = login_record_failure(r->db, username);
    struct audit_actor a = r->actor;
    a.username = username;
    a.user_id = user_id;
    json_t *d = json_pack("{s:s}", "reason", reason);
    char *detail = json_text(r->arena, d);
    json_decref(d);
    if (rc == DB_OK)
        rc = audit_append(r->db, &a, "auth.login_failed", "user", username, "failed", detail);
    if (rc != DB_OK) {
        db_fail_reply(r, rc);
        return;
    }
    if (tx_commit_or_reply(r)) return;
    reply_error(r, ERR_INVALID_CREDENTIALS, NULL);
}

void auth_login(struct req *r) {
    json_t *body;
    if (req_json_or_reply(r, &body)) return;
    struct form f;
    form_init(&f, r, body);
    const char *username = form_text(&f, "username", 1, 1, 64);
    json_t *pw = json_object_get(body, "password");
    if (!json_is_string(pw) || json_string_length(pw) == 0)
        form_error(&f, "password", "必填", "Required");
    else if (json_string_length(pw) > PASSWORD_MAX_BYTES)
        form_error(&f, "password", "密码过长", "Too long");
    if (form_ok_or_reply(&f)) return;
    const char *password = json_string_value(pw);

    int64_t left = 0;
    if (login_locked_for(r->db, username, &left)) {
        if (tx_begin_or_reply(r)) return;
        struct audit_actor a = r->actor;
        a.username = username;
        if (audit_append(r->db, &a, "auth.login_failed", "user", username, "denied",
                         "{\"reason\":\"locked\"}") != DB_OK) {
            db_fail_reply(r, DB_ERROR);
            return;
        }
        if (tx_commit_or_reply(r)) return;
        char zh[120], en[120];
        long minutes = (long)((left + 59) / 60);
        snprintf(zh, sizeof zh, "登录失败次数过多，账号已锁定，请 %ld 分钟后再试", minutes);
        snprintf(en, sizeof en, "Too many failed attempts; try again in %ld minutes", minutes);
        reply_header(r, "Retry-After", arena_printf(r->arena, "%lld", (long long)left));
        reply_error_msg(r, ERR_TOO_MANY_ATTEMPTS, zh, en);
        return;
    }

    struct db_stmt *st = db_queryv(
        r->db, "SELECT id, password_hash, locked FROM users WHERE username = ?", "s", username);
    if (!st) {
        db_fail_reply(r, DB_ERROR);
        return;
    }
    int64_t uid = 0, locked = 0;
    char hash[PASSWORD_HASH_MAX] = "";
    if (db_step(st) == DB_ROW) {
        uid = db_col_int(st, 0);
        snprintf(hash, sizeof hash, "%s", db_col_text(st, 1));
        locked = db_col_int(st, 2);
    }
    db_done(st);
    /* Unknown names cost the same hash work, so timing tells nothing either. */
    static char dummy[PASSWORD_HASH_MAX];
    if (!dummy[0]) password_hash("fazhi-dummy-password", dummy);
    int ok = password_verify(uid ? hash : dummy, password) && uid;
    if (!ok || locked) {
        audit_failed_login(r, username, uid,
                           !uid     ? "unknown_user"
                           : locked ? "disabled"
                                    : "wrong_password");
        return;
    }

    char token[TOKEN_TEXT], csrf[TOKEN_TEXT], now[21];
    now_iso(now);
    if (tx_begin_or_reply(r)) return;
    int rc = login_clear_failures(r->db, username);
    if (rc == DB_OK)
        rc = session_create(r->db, uid, r->ip, req_header(r, "User-Agent"), token, csrf);
    if (rc == DB_OK)
        rc = db_exec(r->db, "UPDATE users SET last_login_at = ? WHERE id = ?", "si", now, uid);
    if (rc != DB_OK) {
        db_fail_reply(r, rc);
        return;
    }
    r->actor.user_id = uid;
    r->actor.username = username;
    if (audit_or_reply(r, "auth.login", "user", uid, NULL)) return;
    if (tx_commit_or_reply(r)) return;
    reply_signed_in(r, uid, token, csrf);
}

void auth_logout(struct req *r) {
    if (tx_begin_or_reply(r)) return;
    int rc = session_delete(r->db, r->who.session_id);
    if (rc != DB_OK) {
        db_fail_reply(r, rc);
        return;
    }
    if (audit_or_reply(r, "auth.logout", "user", r->who.user_id, NULL)) return;
    if (tx_commit_or_reply(r)) return;
    reply_session_cookie(r, NULL);
    reply_ok(r);
}

void auth_me(struct req *r) {
    json_t *u = principal_json(&r->who);
    int64_t dummy;
    (void)dummy;
    struct db_stmt *st =
        db_queryv(r->db, "SELECT last_login_at FROM users WHERE id = ?", "i", r->who.user_id);
    if (st && db_step(st) == DB_ROW && db_col_text(st, 0))
        json_object_set_new(u, "last_login_at", json_string(db_col_text(st, 0)));
    db_done(st);
    reply_json(r, 200, json_pack("{s:o,s:s}", "user", u, "csrf_token", r->who.csrf_token));
}

/* A policy failure in the user's language, with the numbers from settings. */
void password_policy_message(struct req *r, const char *why, char *zh, char *en, size_t n) {
    long min_len = (long)setting_int(r->db, "password.min_length");
    long classes = (long)setting_int(r->db, "password.min_classes");
    if (!strcmp(why, "too_short")) {
        snprintf(zh, n, "密码至少需要 %ld 个字符", min_len);
        snprintf(en, n, "At least %ld characters", min_len);
    } else if (!strcmp(why, "too_long")) {
        snprintf(zh, n, "密码不能超过 128 个字符");
        snprintf(en, n, "At most 128 characters");
    } else if (!strcmp(why, "classes")) {
        snprintf(zh, n, "密码须包含大写字母、小写字母、数字、其他字符中的至少 %ld 类", classes);
        snprintf(en, n, "Use at least %ld of: upper case, lower case, digits, other characters",
                 classes);
    } else if (!strcmp(why, "same_as_username")) {
        snprintf(zh, n, "密码不能与用户名相同");
        snprintf(en, n, "Must differ from the user name");
    } else {
        snprintf(zh, n, "密码包含无效字符");
        snprintf(en, n, "Contains invalid characters");
    }
}

void auth_password(struct req *r) {
    json_t *body;
    if (req_json_or_reply(r, &body)) return;
    struct form f;
    form_init(&f, r, body);
    json_t *old = json_object_get(body, "old_password"),
           *nw = json_object_get(body, "new_password");
    if (!json_is_string(old) || !json_string_length(old))
        form_error(&f, "old_password", "必填", "Required");
    else if (json_string_length(old) > PASSWORD_MAX_BYTES)
        form_error(&f, "old_password", "原密码不正确", "The current password is wrong");
    if (!json_is_string(nw) || !json_string_length(nw))
        form_error(&f, "new_password", "必填", "Required");
    if (form_ok_or_reply(&f)) return;
    const char *old_pw = json_string_value(old), *new_pw = json_string_value(nw);

    char hash[PASSWORD_HASH_MAX] = "";
    struct db_stmt *st =
        db_queryv(r->db, "SELECT password_hash FROM users WHERE id = ?", "i", r->who.user_id);
    if (st && db_step(st) == DB_ROW) snprintf(hash, sizeof hash, "%s", db_col_text(st, 0));
    db_done(st);
    if (!hash[0] || !password_verify(hash, old_pw)) {
        form_error(&f, "old_password", "原密码不正确", "The current password is wrong");
        form_ok_or_reply(&f);
        return;
    }
    const char *why = json_string_length(nw) > PASSWORD_MAX_BYTES
                          ? "too_long"
                          : password_policy_check(r->db, new_pw, r->who.username);
    if (why) {
        char zh[200], en[200];
        password_policy_message(r, why, zh, en, sizeof zh);
        form_error(&f, "new_password", zh, en);
    } else if (!strcmp(old_pw, new_pw)) {
        form_error(&f, "new_password", "新密码不能与原密码相同",
                   "The new password must differ from the current one");
    }
    if (form_ok_or_reply(&f)) return;

    char newhash[PASSWORD_HASH_MAX], now[21], token[TOKEN_TEXT], csrf[TOKEN_TEXT];
    if (password_hash(new_pw, newhash) != 0) {
        reply_error(r, ERR_INTERNAL, NULL);
        return;
    }
    now_iso(now);
    if (tx_begin_or_reply(r)) return;
    int rc = db_exec(r->db,
                     "UPDATE users SET password_hash = ?, must_change_password = 0, "
                     "password_changed_at = ?, updated_at = ?, version = version + 1 WHERE id = ?",
                     "sssi", newhash, now, now, r->who.user_id);
    /* Every other session of this user ends; this browser gets a fresh one. */
    if (rc == DB_OK) rc = session_delete_user(r->db, r->who.user_id);
    if (rc == DB_OK)
        rc = session_create(r->db, r->who.user_id, r->ip, req_header(r, "User-Agent"), token, csrf);
    if (rc != DB_OK) {
        db_fail_reply(r, rc);
        return;
    }
    if (audit_or_reply(r, "auth.password", "user", r->who.user_id, NULL)) return;
    if (tx_commit_or_reply(r)) return;
    reply_signed_in(r, r->who.user_id, token, csrf);
}
