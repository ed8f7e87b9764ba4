#include "features/accounts/accounts.h"

#include <stdio.h>
#include <string.h>

#include "auth/auth.h"
#include "base/timeutil.h"
#include "features/notify/notify.h"
#include "store/settings.h"

int username_valid(const char *s) {
    size_t n = strlen(s);
    if (n < 3 || n > 32) return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        int ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                 (i > 0 && (c == '_' || c == '.' || c == '-'));
        if (!ok) return 0;
    }
    return 1;
}

int64_t role_id_by_code(struct db *db, const char *code) {
    int64_t id = 0;
    return db_query_int(db, &id, "SELECT id FROM roles WHERE code = ?", "s", code) == DB_ROW ? id
                                                                                             : 0;
}

int64_t account_id_by_username(struct db *db, const char *username) {
    int64_t id = 0;
    return db_query_int(db, &id, "SELECT id FROM users WHERE username = ?", "s", username) == DB_ROW
               ? id
               : 0;
}

int roles_seed(struct db *db) {
    char now[21];
    now_iso(now);
    for (int i = 0; i < builtin_role_count; i++) {
        const struct builtin_role *b = &builtin_roles[i];
        if (role_id_by_code(db, b->code)) continue;
        int rc = db_exec(db,
                         "INSERT INTO roles (code, name, name_en, scope, builtin, created_at, "
                         "updated_at) VALUES (?, ?, ?, ?, 1, ?, ?)",
                         "ssssss", b->code, b->name, b->name_en, scope_code(b->scope), now, now);
        if (rc != DB_OK) return rc;
        int64_t id = role_id_by_code(db, b->code);
        for (int k = 0; k < perm_count(); k++) { /* what the modules grant the role */
            const struct perm_def *p = perm_at(k);
            if (!perm_granted(b->code, p->code)) continue;
            rc = db_exec(db, "INSERT INTO role_permissions (role_id, permission) VALUES (?, ?)",
                         "is", id, p->code);
            if (rc != DB_OK) return rc;
        }
    }
    return DB_OK;
}

int roles_sync(struct db *db) {
    for (int k = 0; k < perm_count(); k++) {
        const struct perm_def *p = perm_at(k);
        int rc =
            db_exec(db, "INSERT INTO permissions_seen (code) VALUES (?) ON CONFLICT DO NOTHING",
                    "s", p->code);
        if (rc != DB_OK) return rc;
        if (db_changes(db) == 0) continue; /* known before */
        for (int i = 0; i < builtin_role_count; i++) {
            if (!perm_granted(builtin_roles[i].code, p->code)) continue;
            int64_t id = role_id_by_code(db, builtin_roles[i].code);
            if (!id) continue;
            rc = db_exec(db,
                         "INSERT INTO role_permissions (role_id, permission) VALUES (?, ?) "
                         "ON CONFLICT DO NOTHING",
                         "is", id, p->code);
            if (rc != DB_OK) return rc;
        }
    }
    return DB_OK;
}

int account_create(struct db *db, const struct audit_actor *who, const char *username,
                   const char *display_name, int64_t unit_id, const char *role,
                   const char *password, int must_change, int64_t *id) {
    char hash[PASSWORD_HASH_MAX], now[21];
    if (password_hash(password, hash) != 0) return DB_ERROR;
    now_iso(now);
    int64_t role_id = role ? role_id_by_code(db, role) : 0;
    if (role && !role_id) return DB_ERROR;
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO users (username, display_name, unit_id, role_id, password_hash, "
            "must_change_password, password_changed_at, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
    if (!st) return DB_ERROR;
    db_bind_text(st, 1, username);
    db_bind_text(st, 2, display_name);
    db_bind_int(st, 3, unit_id);
    db_bind_id(st, 4, role_id);
    db_bind_text(st, 5, hash);
    db_bind_int(st, 6, must_change ? 1 : 0);
    db_bind_text(st, 7, now);
    db_bind_text(st, 8, now);
    db_bind_text(st, 9, now);
    int rc = db_step(st);
    if (rc == DB_ROW) *id = db_col_int(st, 0);
    db_done(st);
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERROR;
    char oid[24], detail[300];
    snprintf(oid, sizeof oid, "%lld", (long long)*id);
    snprintf(detail, sizeof detail, "{\"username\":\"%s\",\"unit_id\":%lld,\"role\":\"%s\"}",
             username, (long long)unit_id, role ? role : "");
    return audit_append(db, who, "user.create", "user", oid, "ok", detail);
}

int account_set_password(struct db *db, const struct audit_actor *who, int64_t user_id,
                         const char *password, int must_change, const char *action) {
    char hash[PASSWORD_HASH_MAX], now[21], oid[24];
    if (password_hash(password, hash) != 0) return DB_ERROR;
    now_iso(now);
    int rc = db_exec(db,
                     "UPDATE users SET password_hash = ?, must_change_password = ?, "
                     "password_changed_at = ?, updated_at = ?, version = version + 1 WHERE id = ?",
                     "sissi", hash, (int64_t)(must_change ? 1 : 0), now, now, user_id);
    if (rc == DB_OK) rc = session_delete_user(db, user_id);
    if (rc == DB_OK) rc = login_clear_account(db, user_id);
    snprintf(oid, sizeof oid, "%lld", (long long)user_id);
    if (rc == DB_OK) rc = audit_append(db, who, action, "user", oid, "ok", "");
    return rc;
}

int account_set_locked(struct db *db, const struct audit_actor *who, int64_t user_id, int locked) {
    char now[21], oid[24];
    now_iso(now);
    int rc = db_exec(db,
                     "UPDATE users SET locked = ?, updated_at = ?, version = version + 1 "
                     "WHERE id = ?",
                     "isi", (int64_t)locked, now, user_id);
    if (rc == DB_OK && locked) rc = session_delete_user(db, user_id);
    if (rc == DB_OK && !locked) rc = login_clear_account(db, user_id);
    snprintf(oid, sizeof oid, "%lld", (long long)user_id);
    if (rc == DB_OK)
        rc = audit_append(db, who, locked ? "user.lock" : "user.unlock", "user", oid, "ok", "");
    return rc;
}

/* ---- 三员分立 ---- */

const char *const account_action_codes[ACCOUNT_ACTION_COUNT] = {
    [ACCOUNT_UPDATE] = "update",     [ACCOUNT_LOCK] = "lock",
    [ACCOUNT_UNLOCK] = "unlock",     [ACCOUNT_RESET_PASSWORD] = "reset_password",
    [ACCOUNT_SET_ROLE] = "set_role",
};

/* The permission each action needs (the route's, repeated so allowed_actions can say it). */
static const struct perm_def *const action_perm[ACCOUNT_ACTION_COUNT] = {
    [ACCOUNT_UPDATE] = &perm_user_manage,   [ACCOUNT_LOCK] = &perm_user_manage,
    [ACCOUNT_UNLOCK] = &perm_user_manage,   [ACCOUNT_RESET_PASSWORD] = &perm_user_manage,
    [ACCOUNT_SET_ROLE] = &perm_role_assign,
};

static const struct account_refusal refusals[] = {
    {"permission", "没有执行此操作的权限", "You are not allowed to do this"},
    {"self", "不能在账号管理中操作自己的账号（修改密码请用“修改密码”）",
     "You cannot manage your own account here (change your password under My account)"},
    {"administrator",
     "三员账号不能通过界面修改、锁定、解锁或重置，只能在服务器上用 fazhi user 维护",
     "Administrator accounts cannot be changed, locked, unlocked or reset here; use fazhi user on "
     "the server"},
    {"reset_disabled",
     "安全策略不允许系统管理员重置密码（password.admin_reset），请在服务器上用 fazhi user passwd",
     "The security policy does not allow password resets here (password.admin_reset); use fazhi "
     "user passwd on the server"},
};

int role_is_administrator(const char *role) {
    const struct builtin_role *b = role ? builtin_role_by_code(role) : NULL;
    return b && b->admin;
}

const struct account_refusal *account_action_refusal(struct db *db, const struct principal *actor,
                                                     int64_t target_id, const char *target_role,
                                                     enum account_action action) {
    if ((unsigned)action >= ACCOUNT_ACTION_COUNT || !perm_has(actor->perms, action_perm[action]))
        return &refusals[0];
    /* Every holder of user.manage or role.assign is an administrator: one's own account is an
     * administrator's account, and the way to one's own password is /auth/password. */
    if (target_id == actor->user_id) return &refusals[1];
    if (role_is_administrator(target_role)) return &refusals[2];
    if (action == ACCOUNT_RESET_PASSWORD && !setting_int(db, "password.admin_reset"))
        return &refusals[3];
    return NULL;
}

const char *account_role_grantable(struct db *db, const char *role, int64_t *role_id,
                                   const char **en) {
    *role_id = 0;
    if (role_is_administrator(role)) {
        *en = "Administrator roles are granted only on the server (fazhi user add --role)";
        return "三员角色只能在服务器上用 fazhi user add --role 授予";
    }
    if (!(*role_id = role_id_by_code(db, role))) {
        *en = "No such role";
        return "角色不存在";
    }
    return NULL;
}

int account_set_role(struct db *db, const struct audit_actor *who, int64_t user_id, int64_t role_id,
                     const char *role) {
    char now[21], oid[24], detail[80];
    now_iso(now);
    /* Permissions are loaded on every request, so the change applies at once. */
    int rc = db_exec(db, "UPDATE users SET role_id = ?, updated_at = ? WHERE id = ?", "isi",
                     role_id, now, user_id);
    snprintf(oid, sizeof oid, "%lld", (long long)user_id);
    snprintf(detail, sizeof detail, "{\"role\":\"%s\"}", role);
    if (rc == DB_OK) rc = audit_append(db, who, "user.role", "user", oid, "ok", detail);
    return rc;
}

int account_alert_lockout(struct db *db, const char *username, const char *ip, int64_t failures,
                          int64_t minutes) {
    char title[160], body[400];
    snprintf(title, sizeof title, "三员账号 %s 登录失败次数过多", username);
    snprintf(body, sizeof body,
             "来自 %s 的 %lld 次登录失败，该地址对此账号的登录已暂停 %lld 分钟，其他地址不受影响。"
             "如非本人操作，请核查该地址。",
             ip, (long long)failures, (long long)minutes);
    char title_en[160], body_en[400];
    snprintf(title_en, sizeof title_en, "Too many failed sign-ins of administrator account %s",
             username);
    snprintf(body_en, sizeof body_en,
             "%lld failed sign-ins from %s: sign-in to this account from that address is paused "
             "for %lld minutes; other addresses are not affected. If this was not the account's "
             "owner, check the address.",
             (long long)failures, ip, (long long)minutes);
    struct notify_event ev = {"login_locked", title,           body, title_en,
                              body_en,        "/system/users", 0,    NULL};
    int n = notify_event_perm(db, "security.manage", 0, &ev);
    return n < 0 ? n : DB_OK;
}
