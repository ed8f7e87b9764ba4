#include "features/accounts/accounts.h"

#include <stdio.h>
#include <string.h>

#include "auth/auth.h"
#include "base/timeutil.h"

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
        char perms[512];
        snprintf(perms, sizeof perms, "%s", b->permissions);
        for (char *save = NULL, *p = strtok_r(perms, " ", &save); p;
             p = strtok_r(NULL, " ", &save)) {
            rc = db_exec(db, "INSERT INTO role_permissions (role_id, permission) VALUES (?, ?)",
                         "is", id, p);
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
    if (role_id)
        db_bind_int(st, 4, role_id);
    else
        db_bind_null(st, 4);
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
    if (rc == DB_OK && !locked)
        rc = db_exec(db,
                     "DELETE FROM login_throttle WHERE username = "
                     "(SELECT username FROM users WHERE id = ?)",
                     "i", user_id);
    snprintf(oid, sizeof oid, "%lld", (long long)user_id);
    if (rc == DB_OK)
        rc = audit_append(db, who, locked ? "user.lock" : "user.unlock", "user", oid, "ok", "");
    return rc;
}
