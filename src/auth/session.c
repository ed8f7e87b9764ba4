/* session.c — sessions, principal loading and data scope. */
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "auth/auth.h"
#include "base/crypto.h"
#include "base/timeutil.h"
#include "base/utf8.h"
#include "store/cache.h"
#include "store/settings.h"

int session_create(struct db *db, int64_t user_id, const char *ip, const char *ua,
                   char token[TOKEN_TEXT], char csrf[TOKEN_TEXT]) {
    char hash[65];
    random_token(token, 32);
    random_token(csrf, 32);
    sha256_hex(token, strlen(token), hash);
    int64_t now = now_unix();
    char uabuf[256]; /* what the client sent, as valid text (the online users list shows it) */
    utf8_clean(uabuf, sizeof uabuf - 1, ua);
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

/* ---- sessions: the database, and this process's cache of live ones ---- */

struct session_times {
    int64_t created_at, last_seen_at; /* Unix seconds */
};

static int session_alive(struct db *db, int64_t now, const struct session_times *t) {
    return now - t->last_seen_at <= setting_int(db, "session.idle_minutes") * 60 &&
           now - t->created_at <= setting_int(db, "session.absolute_hours") * 3600;
}

/* last_seen_at moves at most once a minute: the idle timeout needs no finer clock. */
#define SESSION_TOUCH_SECONDS 60

/* The session with this token hash from the database, as before there was a cache: DB_ROW with
 * the principal, DB_DONE when there is none, or when it is idle, too old or its user locked
 * (then it is deleted, so the token never comes back to life); *t its times (after a touch). */
static int session_load(struct db *db, struct arena *a, const char *hash, struct principal *p,
                        struct session_times *t) {
    memset(p, 0, sizeof(*p));
    struct db_stmt *st = db_queryv(db,
                                   "SELECT " PRINCIPAL_COLUMNS
                                   ", s.id, s.csrf_token, s.created_at, s.last_seen_at, u.locked, "
                                   "s.ip, s.user_agent "
                                   "FROM sessions s JOIN users u ON u.id = s.user_id "
                                   "JOIN units un ON un.id = u.unit_id "
                                   "LEFT JOIN roles r ON r.id = u.role_id WHERE s.token_hash = ?",
                                   "s", hash);
    if (!st) return DB_ERROR;
    int rc = db_step(st);
    int64_t role_id = 0, locked = 0;
    const char *ip = NULL, *ua = NULL;
    if (rc == DB_ROW) {
        principal_fill(a, st, p);
        role_id = db_col_int(st, 10);
        p->session_id = db_col_int(st, 11);
        p->csrf_token = col_dup(a, st, 12);
        t->created_at = db_col_int(st, 13);
        t->last_seen_at = db_col_int(st, 14);
        locked = db_col_int(st, 15);
        ip = col_dup(a, st, 16);
        ua = col_dup(a, st, 17);
    }
    db_done(st);
    if (rc != DB_ROW) return rc;
    int64_t now = now_unix();
    if (locked || !session_alive(db, now, t)) {
        /* The sign-in log records a time-out (a locked account's end is the lock's audit
         * record); the deleting server records it, once: a second server finds no row. */
        if (db_exec(db, "DELETE FROM sessions WHERE id = ?", "i", p->session_id) != DB_OK)
            return DB_ERROR;
        if (!locked && db_changes(db) > 0 &&
            login_log_add(db, p->username, p->user_id, ip, ua, LOGIN_EXPIRED, 0) != DB_OK)
            return DB_ERROR;
        memset(p, 0, sizeof(*p));
        return DB_DONE;
    }
    if (now - t->last_seen_at >= SESSION_TOUCH_SECONDS) {
        if (db_exec(db, "UPDATE sessions SET last_seen_at = ? WHERE id = ?", "ii", now,
                    p->session_id) != DB_OK)
            return DB_ERROR;
        t->last_seen_at = now;
    }
    if (role_id && load_perms(db, p, role_id) != DB_OK) return DB_ERROR;
    return DB_ROW;
}

/* A cached session: the principal with its strings after it, as offsets (0 = NULL). */
#define SESSION_STRINGS 7
struct session_record {
    struct principal p; /* string members NULL here */
    struct session_times t;
    uint32_t off[SESSION_STRINGS];
};

static const char **session_string(struct principal *p, int i) {
    const char **f[SESSION_STRINGS] = {&p->username, &p->display_name, &p->unit_name, &p->unit_path,
                                       &p->role,     &p->role_name,    &p->csrf_token};
    return f[i];
}

/* The record of p and t, in the arena; *len its size. */
static struct session_record *session_record_make(struct arena *a, const struct principal *p,
                                                  const struct session_times *t, size_t *len) {
    struct principal copy = *p;
    size_t n = sizeof(struct session_record);
    for (int i = 0; i < SESSION_STRINGS; i++) {
        const char *v = *session_string(&copy, i);
        if (v) n += strlen(v) + 1;
    }
    char *buf = arena_alloc(a, n);
    struct session_record *rec = (struct session_record *)buf;
    rec->p = copy;
    rec->t = *t;
    size_t at = sizeof(struct session_record);
    for (int i = 0; i < SESSION_STRINGS; i++) {
        const char *v = *session_string(&copy, i);
        *session_string(&rec->p, i) = NULL;
        rec->off[i] = 0;
        if (!v) continue;
        size_t k = strlen(v) + 1;
        memcpy(buf + at, v, k);
        rec->off[i] = (uint32_t)at;
        at += k;
    }
    *len = n;
    return rec;
}

/* The principal of a cached record; its strings point into the record (read-only, alive as
 * long as the arena that holds the record's reference). */
static void session_record_read(const struct session_record *rec, struct principal *p) {
    *p = rec->p;
    for (int i = 0; i < SESSION_STRINGS; i++)
        *session_string(p, i) = rec->off[i] ? (const char *)rec + rec->off[i] : NULL;
}

static struct cache *session_cache; /* NULL: every lookup reads the database */

void session_cache_start(int capacity) {
    static const char *const deps[] = {"auth", NULL};
    if (!session_cache) session_cache = cache_new("sessions", capacity, deps);
}

int session_lookup(struct db *db, struct arena *a, const char *token, struct principal *p) {
    memset(p, 0, sizeof(*p));
    if (!token || strlen(token) < 20 || strlen(token) >= TOKEN_TEXT) return DB_DONE;
    char hash[65];
    sha256_hex(token, strlen(token), hash);
    struct session_times t;
    if (!session_cache) return session_load(db, a, hash, p, &t);
    struct cache_ticket ticket;
    void *val;
    size_t len;
    if (cache_get(session_cache, db, hash, 64, a, &val, &len, &ticket) == CACHE_HIT) {
        const struct session_record *rec = val;
        int64_t now = now_unix();
        if (!session_alive(db, now, &rec->t)) {
            /* Idle or too old as far as this server knows; another may have seen it since:
             * the database decides (and deletes it when it is over). */
            cache_drop(session_cache, hash, 64);
            return session_load(db, a, hash, p, &t);
        }
        session_record_read(rec, p);
        if (now - rec->t.last_seen_at >= SESSION_TOUCH_SECONDS) {
            if (db_exec(db, "UPDATE sessions SET last_seen_at = ? WHERE id = ?", "ii", now,
                        p->session_id) != DB_OK)
                return DB_ERROR;
            struct session_record *moved = arena_alloc(a, len);
            memcpy(moved, rec, len);
            moved->t.last_seen_at = now;
            cache_update(&ticket, moved, len);
        }
        return DB_ROW;
    }
    int rc = session_load(db, a, hash, p, &t);
    if (rc == DB_ROW) {
        size_t n;
        struct session_record *rec = session_record_make(a, p, &t, &n);
        cache_put(&ticket, rec, n);
    } else {
        cache_cancel(&ticket);
    }
    return rc;
}

/* When each session last wrote, for caches that may serve values a little past a change but
 * must show a session its own writes (store/cache.h). Slots are shared by sessions whose ids
 * fall together: a session may see the time another one wrote, which only makes its cached
 * answers fresher than needed. */
#define SESSION_WRITE_SLOTS 4096
static _Atomic double session_writes[SESSION_WRITE_SLOTS];

void session_wrote(int64_t session_id) {
    atomic_store(&session_writes[(uint64_t)session_id % SESSION_WRITE_SLOTS], now_mono());
}

double session_wrote_at(int64_t session_id) {
    return atomic_load(&session_writes[(uint64_t)session_id % SESSION_WRITE_SLOTS]);
}

int session_delete(struct db *db, int64_t session_id) {
    return db_exec(db, "DELETE FROM sessions WHERE id = ?", "i", session_id);
}

int session_end_expired(struct db *db, struct session_sweep *b) {
    int64_t now = now_unix();
    struct db_stmt *st = db_queryv(db,
                                   "DELETE FROM sessions WHERE id IN (SELECT id FROM sessions "
                                   "WHERE last_seen_at < ? OR created_at < ? ORDER BY id LIMIT ?) "
                                   "RETURNING user_id, ip, user_agent",
                                   "iii", now - setting_int(db, "session.idle_minutes") * 60,
                                   now - setting_int(db, "session.absolute_hours") * 3600,
                                   (int64_t)SESSION_SWEEP_MAX);
    if (!st) return DB_ERROR;
    int n = 0, rc;
    while ((rc = db_step(st)) == DB_ROW && n < SESSION_SWEEP_MAX) {
        b->user_id[n] = db_col_int(st, 0);
        snprintf(b->ip[n], sizeof b->ip[n], "%s", db_col_text(st, 1) ? db_col_text(st, 1) : "");
        utf8_clean(b->user_agent[n], sizeof b->user_agent[n] - 1, db_col_text(st, 2));
        n++;
    }
    db_done(st);
    if (rc != DB_DONE && rc != DB_ROW) return rc;
    char at[21];
    now_iso(at);
    for (int i = 0; i < n; i++) {
        rc = db_exec(db,
                     "INSERT INTO login_log (at, username, user_id, ip, user_agent, result) "
                     "SELECT ?, username, id, ?, ?, ? FROM users WHERE id = ?",
                     "ssssi", at, b->ip[i], b->user_agent[i], LOGIN_EXPIRED, b->user_id[i]);
        if (rc != DB_OK) return rc;
    }
    return n;
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
