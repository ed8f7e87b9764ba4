/* session.c — sessions, principal loading and data scope. */
#include <stdio.h>
#include <string.h>

#include "auth/auth.h"
#include "base/crypto.h"
#include "base/timeutil.h"
#include "store/settings.h"

int session_create(struct db *db, int64_t user_id, const char *ip, const char *ua,
                   char token[TOKEN_TEXT], char csrf[TOKEN_TEXT]) {
    char hash[65];
    random_token(token, 32);
    random_token(csrf, 32);
    sha256_hex(token, strlen(token), hash);
    int64_t now = now_unix();
    char uabuf[256];
    snprintf(uabuf, sizeof uabuf, "%s", ua ? ua : "");
    return db_exec(db,
                   "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, "
                   "last_seen_at, ip, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?)",
                   "sisiiss", hash, user_id, csrf, now, now, ip ? ip : "", uabuf);
}

static const char *col_dup(struct arena *a, struct db_stmt *st, int i) {
    return arena_strdup(a, db_col_text(st, i));
}

static int load_perms(struct db *db, struct principal *p, int64_t role_id) {
    memset(&p->perms, 0, sizeof p->perms);
    struct db_stmt *st =
        db_queryv(db, "SELECT permission FROM role_permissions WHERE role_id = ?", "i", role_id);
    if (!st) return DB_ERROR;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        const struct perm_def *d = perm_by_code(db_col_text(st, 0));
        perm_add(&p->perms, d);
    }
    db_done(st);
    return rc == DB_DONE ? DB_OK : rc;
}

#define PRINCIPAL_COLUMNS                                                                          \
    "u.id, u.username, u.display_name, u.unit_id, un.name, un.path, r.code, r.name, r.scope, "     \
    "u.must_change_password, r.id "

static void principal_fill(struct arena *a, struct db_stmt *st, struct principal *p) {
    p->user_id = db_col_int(st, 0);
    p->username = col_dup(a, st, 1);
    p->display_name = col_dup(a, st, 2);
    p->unit_id = db_col_int(st, 3);
    p->unit_name = col_dup(a, st, 4);
    p->unit_path = col_dup(a, st, 5);
    p->role = col_dup(a, st, 6);
    p->role_name = col_dup(a, st, 7);
    p->scope = SCOPE_OWN;
    if (db_col_text(st, 8)) scope_parse(db_col_text(st, 8), &p->scope);
    p->must_change_password = (int)db_col_int(st, 9);
}

int principal_load(struct db *db, struct arena *a, int64_t user_id, struct principal *p) {
    memset(p, 0, sizeof(*p));
    struct db_stmt *st =
        db_queryv(db,
                  "SELECT " PRINCIPAL_COLUMNS "FROM users u JOIN units un ON un.id = u.unit_id "
                  "LEFT JOIN roles r ON r.id = u.role_id WHERE u.id = ?",
                  "i", user_id);
    if (!st) return DB_ERROR;
    int rc = db_step(st);
    int64_t role_id = 0;
    if (rc == DB_ROW) {
        principal_fill(a, st, p);
        role_id = db_col_int(st, 10);
    }
    db_done(st);
    if (rc == DB_ROW && role_id && load_perms(db, p, role_id) != DB_OK) return DB_ERROR;
    return rc;
}

int session_lookup(struct db *db, struct arena *a, const char *token, struct principal *p) {
    memset(p, 0, sizeof(*p));
    if (!token || strlen(token) < 20 || strlen(token) >= TOKEN_TEXT) return DB_DONE;
    char hash[65];
    sha256_hex(token, strlen(token), hash);
    struct db_stmt *st = db_queryv(db,
                                   "SELECT " PRINCIPAL_COLUMNS
                                   ", s.id, s.csrf_token, s.created_at, s.last_seen_at, u.locked "
                                   "FROM sessions s JOIN users u ON u.id = s.user_id "
                                   "JOIN units un ON un.id = u.unit_id "
                                   "LEFT JOIN roles r ON r.id = u.role_id WHERE s.token_hash = ?",
                                   "s", hash);
    if (!st) return DB_ERROR;
    int rc = db_step(st);
    int64_t role_id = 0, created = 0, seen = 0, locked = 0;
    if (rc == DB_ROW) {
        principal_fill(a, st, p);
        role_id = db_col_int(st, 10);
        p->session_id = db_col_int(st, 11);
        p->csrf_token = col_dup(a, st, 12);
        created = db_col_int(st, 13);
        seen = db_col_int(st, 14);
        locked = db_col_int(st, 15);
    }
    db_done(st);
    if (rc != DB_ROW) return rc;
    int64_t now = now_unix();
    if (locked || now - seen > setting_int(db, "session.idle_minutes") * 60 ||
        now - created > setting_int(db, "session.absolute_hours") * 3600) {
        /* Expired: remove it so the token can never come back to life. */
        if (db_exec(db, "DELETE FROM sessions WHERE id = ?", "i", p->session_id) != DB_OK)
            return DB_ERROR;
        memset(p, 0, sizeof(*p));
        return DB_DONE;
    }
    if (now - seen >= 60 && db_exec(db, "UPDATE sessions SET last_seen_at = ? WHERE id = ?", "ii",
                                    now, p->session_id) != DB_OK)
        return DB_ERROR;
    if (role_id && load_perms(db, p, role_id) != DB_OK) return DB_ERROR;
    return DB_ROW;
}

int session_delete(struct db *db, int64_t session_id) {
    return db_exec(db, "DELETE FROM sessions WHERE id = ?", "i", session_id);
}

int session_delete_user(struct db *db, int64_t user_id) {
    return db_exec(db, "DELETE FROM sessions WHERE user_id = ?", "i", user_id);
}

void scope_filter(struct query *q, const struct principal *p, const char *unit_col) {
    char frag[160];
    switch (p->scope) {
    case SCOPE_ALL:
        return;
    case SCOPE_SUBTREE:
        snprintf(frag, sizeof frag, " AND %s IN (SELECT id FROM units WHERE path LIKE ?)",
                 unit_col);
        query_add(q, frag, "s", arena_printf(q->sql.arena, "%s%%", p->unit_path));
        return;
    case SCOPE_OWN:
        snprintf(frag, sizeof frag, " AND %s = ?", unit_col);
        query_add(q, frag, "i", p->unit_id);
        return;
    }
}

int scope_allows_unit(struct db *db, const struct principal *p, int64_t unit_id) {
    if (p->scope == SCOPE_ALL) return 1;
    if (p->scope == SCOPE_OWN) return unit_id == p->unit_id;
    int64_t n = 0;
    char like[300];
    snprintf(like, sizeof like, "%s%%", p->unit_path);
    return db_query_int(db, &n, "SELECT COUNT(*) FROM units WHERE id = ? AND path LIKE ?", "is",
                        unit_id, like) == DB_ROW &&
           n > 0;
}
