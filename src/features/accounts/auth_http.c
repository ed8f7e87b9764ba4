/* auth_http.c — sign in, sign out, who am I, change password. */
#include <stdio.h>
#include <string.h>

#include "base/log.h"
#include "base/timeutil.h"
#include "features/accounts/accounts.h"
#include "features/accounts/accounts_http.h"
#include "http/http.h"
#include "http/metrics.h"
#include "store/settings.h"

json_t *principal_json(const struct principal *p) {
    json_t *perms = json_array();
    for (int i = 0; i < perm_count(); i++)
        if (perm_has(p->perms, perm_at(i)))
            json_array_append_new(perms, json_string(perm_at(i)->code));
    json_t *u =
        json_pack("{s:I,s:s,s:s,s:I,s:s,s:s,s:b,s:o}", "id", (json_int_t)p->user_id, "username",
                  p->username, "display_name", p->display_name, "unit_id", (json_int_t)p->unit_id,
                  "unit_name", p->unit_name ? p->unit_name : "", "scope", scope_code(p->scope),
                  "must_change_password", p->must_change_password, "permissions", perms);
    json_object_set_new(u, "role", p->role ? json_string(p->role) : json_null());
    json_object_set_new(u, "role_name", p->role_name ? json_string(p->role_name) : json_null());
    /* a built-in role still under its built-in name has an English one (perm.c) */
    const struct builtin_role *b = p->role ? builtin_role_by_code(p->role) : NULL;
    const char *en =
        b && p->role_name && !strcmp(p->role_name, b->name) ? b->name_en : p->role_name;
    json_object_set_new(u, "role_name_en", en ? json_string(en) : json_null());
    return u;
}

/* GET /api/v1/auth/permissions: the caller's own permissions with their names (我的账户 shows
 * names, not codes), in the permission table's order. */
void auth_permissions(struct req *r) {
    json_t *items = json_array();
    for (int i = 0; i < perm_count(); i++) {
        const struct perm_def *d = perm_at(i);
        if (!perm_has(r->who.perms, d)) continue;
        json_array_append_new(items, json_pack("{s:s,s:s,s:s,s:s,s:b}", "code", d->code, "name",
                                               d->name, "name_en", d->name_en, "group", d->group,
                                               "admin", d->admin));
    }
    json_int_t total = (json_int_t)json_array_size(items);
    reply_json(r, 200, json_pack("{s:o,s:I}", "items", items, "total", total));
}

/* Limits of the server the web checks before sending (the server checks them again). */
static json_t *session_limits_json(struct db *db) {
    return json_pack("{s:I}", "files_max_mb", (json_int_t)setting_int(db, "files.max_mb"));
}

/* Build the answer of login/password change and set the cookie. */
static void reply_signed_in(struct req *r, int64_t user_id, const char *token, const char *csrf) {
    struct principal p;
    if (principal_load(r->db, r->arena, user_id, &p) != DB_ROW) {
        reply_error(r, ERR_INTERNAL, NULL);
        return;
    }
    reply_session_cookie(r, token);
    reply_json(r, 200,
               json_pack("{s:o,s:s,s:o}", "user", principal_json(&p), "csrf_token", csrf, "limits",
                         session_limits_json(r->db)));
}

/* The account a sign-in names, read before any hashing. */
struct login_target {
    int64_t id;       /* users.id, 0 when no such name */
    int locked;       /* disabled by an administrator */
    int admin;        /* one of the three administrators: a lockout alerts 安全管理员 */
    const char *role; /* role code ("" when none), for the audit record */
    int64_t unit_id;
    char hash[PASSWORD_HASH_MAX];
};

static int login_target_load(struct req *r, const char *username, struct login_target *t) {
    memset(t, 0, sizeof(*t));
    t->role = "";
    struct db_stmt *st = db_queryv(r->db,
                                   "SELECT u.id, u.password_hash, u.locked, u.unit_id, r.code "
                                   "FROM users u LEFT JOIN roles r ON r.id = u.role_id "
                                   "WHERE u.username = ?",
                                   "s", username);
    if (!st) return DB_ERROR;
    int rc = db_step(st);
    if (rc == DB_ROW) {
        t->id = db_col_int(st, 0);
        snprintf(t->hash, sizeof t->hash, "%s", db_col_text(st, 1));
        t->locked = (int)db_col_int(st, 2);
        t->unit_id = db_col_int(st, 3);
        t->role = arena_strdup(r->arena, db_col_text(st, 4) ? db_col_text(st, 4) : "");
        t->admin = role_is_administrator(t->role);
    }
    db_done(st);
    return rc < 0 ? rc : DB_OK;
}

/* A refusal that changes nothing, in the sign-in log: at most one row a minute per address,
 * name and result (auth.h login_log_add), so a flood costs a read each and a row a minute. */
static int login_refusal_log(struct req *r, const char *username, int64_t user_id,
                             const char *result) {
    int seen = login_log_recent(r->db, username, r->ip, result);
    if (seen < 0) {
        db_fail_reply(r, seen);
        return -1;
    }
    if (seen) return 0; /* a read, and no write lock taken */
    if (tx_begin_or_reply(r)) return -1;
    int rc = login_log_add(r->db, username, user_id, r->ip, req_header(r, "User-Agent"), result, 1);
    if (rc != DB_OK) {
        db_fail_reply(r, rc);
        return -1;
    }
    return tx_commit_or_reply(r);
}

/* 429 before any hashing; only the sign-in log is written (once a minute, above). */
static void reply_throttled(struct req *r, const char *username, int64_t user_id, int gate,
                            int64_t left) {
    if (login_refusal_log(r, username, user_id,
                          gate == LOGIN_GATE_ADDRESS ? LOGIN_THROTTLED : LOGIN_LOCKED))
        return;
    metrics_login_refused(gate == LOGIN_GATE_ADDRESS);
    char zh[160], en[160];
    long minutes = (long)((left + 59) / 60);
    if (gate == LOGIN_GATE_ADDRESS) {
        snprintf(zh, sizeof zh, "该地址登录失败次数过多，请 %ld 分钟后再试", minutes);
        snprintf(en, sizeof en,
                 "Too many failed sign-ins from your address; try again in %ld minutes", minutes);
    } else {
        snprintf(zh, sizeof zh, "登录失败次数过多，账号已锁定，请 %ld 分钟后再试", minutes);
        snprintf(en, sizeof en, "Too many failed attempts; try again in %ld minutes", minutes);
    }
    reply_header(r, "Retry-After", arena_printf(r->arena, "%lld", (long long)left));
    reply_error_msg(r, ERR_TOO_MANY_ATTEMPTS, zh, en);
}

/* A hashed failure: count it, audit it, and — once per window, when a counter reaches its
 * limit — one more record saying what is now refused (the refusals themselves are not audited:
 * this record and the failures before it are what an auditor needs). An administrator's account
 * locked from some address alerts 安全管理员. */
static void login_failed(struct req *r, const struct login_source *src, const char *username,
                         const struct login_target *t, const char *reason) {
    if (tx_begin_or_reply(r)) return;
    struct login_trip trip;
    int rc = login_record_failure(r->db, src, t->id, username, &trip);
    struct audit_actor a = r->actor;
    a.username = username;
    a.user_id = t->id;
    a.role = t->role;
    a.unit_id = t->unit_id;
    json_t *d = json_pack("{s:s}", "reason", reason);
    char *detail = json_text(r->arena, d);
    json_decref(d);
    if (rc == DB_OK)
        rc = audit_append(r->db, &a, "auth.login_failed", "user", username, "failed", detail);
    if (rc == DB_OK)
        rc = login_log_add(r->db, username, t->id, r->ip, req_header(r, "User-Agent"), reason, 0);
    if (rc == DB_OK && trip.address) {
        int64_t minutes = setting_int(r->db, "login.ip_window_minutes");
        d = json_pack("{s:s,s:s,s:I,s:I}", "scope", "address", "address", src->ip, "failures",
                      (json_int_t)trip.address_failures, "minutes", (json_int_t)minutes);
        rc = audit_append(r->db, &a, "auth.login_throttled", "address", src->ip, "denied",
                          json_text(r->arena, d));
        json_decref(d);
        log_info("login: %s refused for %lld minutes after %lld failed sign-ins", src->ip,
                 (long long)minutes, (long long)trip.address_failures);
    }
    if (rc == DB_OK && trip.account) {
        int64_t minutes = setting_int(r->db, "login.lock_minutes");
        d = json_pack("{s:s,s:s,s:I,s:I}", "scope", t->id ? "account" : "unknown_name", "address",
                      src->ip, "failures", (json_int_t)trip.account_failures, "minutes",
                      (json_int_t)minutes);
        rc = audit_append(r->db, &a, "auth.login_throttled", "user", username, "denied",
                          json_text(r->arena, d));
        json_decref(d);
        if (rc == DB_OK && t->admin && trip.account_first)
            rc = account_alert_lockout(r->db, username, src->ip, trip.account_failures, minutes);
    }
    /* Does the next attempt need a captcha? Then say so beside the refusal, so the sign-in
     * page shows one at once instead of after one more refusal. */
    int need = rc == DB_OK ? captcha_needed(r->db, src, t->id, username) : 0;
    if (need < 0) rc = need;
    if (rc != DB_OK) {
        db_fail_reply(r, rc);
        return;
    }
    if (tx_commit_or_reply(r)) return;
    json_t *fields = NULL;
    if (need)
        fields = json_pack("{s:s}", "captcha_answer",
                           tr(r, "登录失败次数较多，请输入验证码",
                              "After several failed sign-ins, enter the code shown"));
    reply_error(r, ERR_INVALID_CREDENTIALS, fields);
}

/* Sign-ins after login.captcha_after failures answer a captcha, checked (and spent) before
 * any hashing: 0 to go on, -1 when answered (400 captcha_required / captcha_wrong, logged). */
static int login_captcha_or_reply(struct req *r, json_t *body, const struct login_source *src,
                                  const char *username, int64_t user_id) {
    int need = captcha_needed(r->db, src, user_id, username);
    if (need <= 0) {
        if (need < 0) db_fail_reply(r, need);
        return need;
    }
    json_t *id = json_object_get(body, "captcha_id"),
           *answer = json_object_get(body, "captcha_answer");
    if (!json_is_string(id) || !json_string_length(id) || !json_is_string(answer) ||
        !json_string_length(answer)) {
        if (login_refusal_log(r, username, user_id, LOGIN_CAPTCHA)) return -1;
        reply_field_error(r, ERR_CAPTCHA_REQUIRED, "captcha_answer", "请输入验证码",
                          "Enter the code shown");
        return -1;
    }
    if (tx_begin_or_reply(r)) return -1;
    int ok = captcha_check(r->db, src, json_string_value(id), json_string_value(answer));
    int rc = ok < 0 ? ok : DB_OK;
    if (rc == DB_OK && !ok)
        rc = login_log_add(r->db, username, user_id, r->ip, req_header(r, "User-Agent"),
                           LOGIN_CAPTCHA_BAD, 1);
    if (rc != DB_OK) {
        db_fail_reply(r, rc);
        return -1;
    }
    if (tx_commit_or_reply(r)) return -1;
    if (ok) return 0;
    reply_field_error(r, ERR_CAPTCHA_WRONG, "captcha_answer",
                      "验证码错误或已过期，请输入新的验证码",
                      "The code is wrong or has expired; enter the new one");
    return -1;
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

    struct login_target t;
    struct login_source src;
    login_source_init(&src, r->ip);
    int64_t left = 0;
    int gate = login_target_load(r, username, &t);
    if (gate == DB_OK) gate = login_gate(r->db, &src, t.id, username, &left);
    if (gate < 0) {
        db_fail_reply(r, gate);
        return;
    }
    if (gate != LOGIN_GATE_OPEN) {
        reply_throttled(r, username, t.id, gate, left);
        return;
    }
    if (login_captcha_or_reply(r, body, &src, username, t.id)) return;
    int ok = password_verify_or_dummy(t.id ? t.hash : NULL, password);
    if (!ok || t.locked) {
        login_failed(r, &src, username, &t,
                     !t.id      ? "unknown_user"
                     : t.locked ? "disabled"
                                : "wrong_password");
        return;
    }

    char token[TOKEN_TEXT], csrf[TOKEN_TEXT], now[21];
    now_iso(now);
    if (tx_begin_or_reply(r)) return;
    int rc = login_clear_failures(r->db, &src, t.id);
    if (rc == DB_OK)
        rc = session_create(r->db, t.id, r->ip, req_header(r, "User-Agent"), token, csrf);
    if (rc == DB_OK)
        rc = db_exec(r->db, "UPDATE users SET last_login_at = ? WHERE id = ?", "si", now, t.id);
    if (rc == DB_OK)
        rc = login_log_add(r->db, username, t.id, r->ip, req_header(r, "User-Agent"), LOGIN_OK, 0);
    if (rc != DB_OK) {
        db_fail_reply(r, rc);
        return;
    }
    r->actor.user_id = t.id;
    r->actor.username = username;
    r->actor.role = t.role;
    r->actor.unit_id = t.unit_id;
    if (audit_or_reply(r, "auth.login", "user", t.id, NULL)) return;
    if (tx_commit_or_reply(r)) return;
    reply_signed_in(r, t.id, token, csrf);
}

void auth_logout(struct req *r) {
    if (tx_begin_or_reply(r)) return;
    int rc = session_delete(r->db, r->who.session_id);
    if (rc == DB_OK)
        rc = login_log_add(r->db, r->who.username, r->who.user_id, r->ip,
                           req_header(r, "User-Agent"), LOGIN_LOGOUT, 0);
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
    reply_json(r, 200,
               json_pack("{s:o,s:s,s:o}", "user", u, "csrf_token", r->who.csrf_token, "limits",
                         session_limits_json(r->db)));
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
