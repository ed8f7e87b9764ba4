/* sqlite.c — the embedded engine: WAL, foreign keys, synchronous=FULL, busy timeout,
 * BEGIN IMMEDIATE for writes, a per-connection statement cache. */
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"
#include "store/db.h"
#include "store/engine.h"

#define STMT_CACHE 128 /* statements kept prepared per connection */

struct db_stmt {
    struct db *db;     /* owner */
    sqlite3_stmt *st;  /* prepared statement */
    char *sql;         /* key in the cache (malloc) */
    int in_use;        /* handed out and not yet db_done */
    int transient;     /* not cached: finalize on db_done */
};

struct db {
    sqlite3 *h;                      /* connection */
    int in_tx;                       /* inside db_begin .. commit/rollback */
    struct db_stmt cache[STMT_CACHE]; /* open addressing by SQL text hash */
    char err[256];                   /* last error message */
};

enum db_engine db_engine(const struct db *db) {
    (void)db;
    return DB_SQLITE;
}

const char *db_errmsg(struct db *db) { return db->err[0] ? db->err : sqlite3_errmsg(db->h); }

static void set_err(struct db *db) {
    snprintf(db->err, sizeof db->err, "%s", sqlite3_errmsg(db->h));
}

static int map_rc(struct db *db, int rc) {
    switch (rc & 0xff) {
    case SQLITE_OK: return DB_OK;
    case SQLITE_ROW: return DB_ROW;
    case SQLITE_DONE: return DB_DONE;
    case SQLITE_CONSTRAINT: set_err(db); return DB_CONSTRAINT;
    case SQLITE_BUSY:
    case SQLITE_LOCKED: set_err(db); return DB_BUSY;
    default: set_err(db); return DB_ERROR;
    }
}

int db_open(const char *url, struct db **out, char *err, size_t errlen) {
    *out = NULL;
    const char *path = url;
    if (strncmp(url, "sqlite:", 7) == 0) path = url + 7;
    else if (strncmp(url, "postgres://", 11) == 0 || strncmp(url, "postgresql://", 13) == 0) {
        snprintf(err, errlen, "this build has no PostgreSQL engine yet: %s", url);
        return DB_ERROR;
    }
    struct db *db = calloc(1, sizeof(*db));
    if (!db) return DB_ERROR;
    int rc = sqlite3_open_v2(path, &db->h,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "cannot open %s: %s", path, db->h ? sqlite3_errmsg(db->h) : "?");
        sqlite3_close(db->h);
        free(db);
        return DB_ERROR;
    }
    sqlite3_busy_timeout(db->h, 10000);
    sqlite3_extended_result_codes(db->h, 1);
    const char *pragmas = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                          "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY; "
                          "PRAGMA cache_size=-16000;";
    char *msg = NULL;
    if (sqlite3_exec(db->h, pragmas, NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(err, errlen, "cannot configure %s: %s", path, msg ? msg : "?");
        sqlite3_free(msg);
        sqlite3_close(db->h);
        free(db);
        return DB_ERROR;
    }
    *out = db;
    return DB_OK;
}

void db_close(struct db *db) {
    if (!db) return;
    for (int i = 0; i < STMT_CACHE; i++) {
        if (db->cache[i].st) sqlite3_finalize(db->cache[i].st);
        free(db->cache[i].sql);
    }
    sqlite3_close(db->h);
    free(db);
}

static int exec_simple(struct db *db, const char *sql) {
    char *msg = NULL;
    int rc = sqlite3_exec(db->h, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        snprintf(db->err, sizeof db->err, "%s", msg ? msg : sqlite3_errstr(rc));
        sqlite3_free(msg);
        return (rc & 0xff) == SQLITE_BUSY ? DB_BUSY : DB_ERROR;
    }
    return DB_OK;
}

int db_begin(struct db *db) {
    db->err[0] = 0;
    int rc = exec_simple(db, "BEGIN IMMEDIATE");
    if (rc == DB_OK) db->in_tx = 1;
    return rc;
}

int db_commit(struct db *db) {
    int rc = exec_simple(db, "COMMIT");
    if (rc != DB_OK) {
        exec_simple(db, "ROLLBACK");
    }
    db->in_tx = 0;
    return rc;
}

void db_rollback(struct db *db) {
    if (!sqlite3_get_autocommit(db->h)) exec_simple(db, "ROLLBACK");
    db->in_tx = 0;
}

int db_in_tx(const struct db *db) { return db->in_tx; }

static uint32_t hash_sql(const char *s) {
    uint32_t h = 2166136261u;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

struct db_stmt *db_prepare(struct db *db, const char *sql) {
    db->err[0] = 0;
    uint32_t h = hash_sql(sql) % STMT_CACHE;
    struct db_stmt *slot = NULL;
    for (int probe = 0; probe < 4; probe++) {
        struct db_stmt *c = &db->cache[(h + probe) % STMT_CACHE];
        if (c->sql && strcmp(c->sql, sql) == 0) {
            if (!c->in_use) {
                c->in_use = 1;
                return c;
            }
            break; /* same SQL already in use (nested): use a transient statement */
        }
        if (!c->sql && !slot) slot = c;
    }
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
    if (rc != SQLITE_OK) {
        set_err(db);
        log_error("sql prepare failed: %s: %.200s", db->err, sql);
        return NULL;
    }
    if (!slot) { /* evict the home slot if it is idle */
        struct db_stmt *home = &db->cache[h];
        if (!home->in_use) {
            sqlite3_finalize(home->st);
            free(home->sql);
            memset(home, 0, sizeof(*home));
            slot = home;
        }
    }
    if (slot) {
        slot->db = db;
        slot->st = st;
        slot->sql = strdup(sql);
        slot->in_use = 1;
        slot->transient = 0;
        return slot;
    }
    struct db_stmt *t = calloc(1, sizeof(*t));
    t->db = db;
    t->st = st;
    t->in_use = 1;
    t->transient = 1;
    return t;
}

void db_bind_int(struct db_stmt *st, int idx, int64_t v) { sqlite3_bind_int64(st->st, idx, v); }
void db_bind_text(struct db_stmt *st, int idx, const char *s) {
    if (s) sqlite3_bind_text(st->st, idx, s, -1, SQLITE_TRANSIENT);
    else sqlite3_bind_null(st->st, idx);
}
void db_bind_blob(struct db_stmt *st, int idx, const void *p, size_t n) {
    sqlite3_bind_blob64(st->st, idx, p, n, SQLITE_TRANSIENT);
}
void db_bind_null(struct db_stmt *st, int idx) { sqlite3_bind_null(st->st, idx); }

int db_step(struct db_stmt *st) { return map_rc(st->db, sqlite3_step(st->st)); }

void db_done(struct db_stmt *st) {
    if (!st) return;
    if (st->transient) {
        sqlite3_finalize(st->st);
        free(st);
        return;
    }
    sqlite3_reset(st->st);
    sqlite3_clear_bindings(st->st);
    st->in_use = 0;
}

int db_col_count(struct db_stmt *st) { return sqlite3_column_count(st->st); }
const char *db_col_name(struct db_stmt *st, int i) { return sqlite3_column_name(st->st, i); }
enum db_type db_col_type(struct db_stmt *st, int i) {
    switch (sqlite3_column_type(st->st, i)) {
    case SQLITE_INTEGER: return DB_T_INT;
    case SQLITE_FLOAT: return DB_T_REAL;
    case SQLITE_TEXT: return DB_T_TEXT;
    case SQLITE_BLOB: return DB_T_BLOB;
    default: return DB_T_NULL;
    }
}
int64_t db_col_int(struct db_stmt *st, int i) { return sqlite3_column_int64(st->st, i); }
const char *db_col_text(struct db_stmt *st, int i) {
    return (const char *)sqlite3_column_text(st->st, i);
}
const void *db_col_blob(struct db_stmt *st, int i, size_t *n) {
    const void *p = sqlite3_column_blob(st->st, i);
    *n = (size_t)sqlite3_column_bytes(st->st, i);
    return p;
}
int64_t db_changes(struct db *db) { return sqlite3_changes64(db->h); }

/* Engine-specific schema pieces for migrate.c. */

const char *db_engine_type(struct db *db, const char *token) {
    (void)db;
    if (strcmp(token, "ID") == 0) return "INTEGER PRIMARY KEY AUTOINCREMENT";
    if (strcmp(token, "BLOB") == 0) return "BLOB";
    return NULL;
}


int db_exec_script(struct db *db, const char *sql) { return exec_simple(db, sql); }

int db_backup_to(struct db *db, const char *path, char *err, size_t errlen) {
    if (access(path, F_OK) == 0) {
        snprintf(err, errlen, "%s already exists", path);
        return DB_ERROR;
    }
    sqlite3 *dst = NULL;
    if (sqlite3_open(path, &dst) != SQLITE_OK) {
        snprintf(err, errlen, "cannot create %s: %s", path, sqlite3_errmsg(dst));
        sqlite3_close(dst);
        return DB_ERROR;
    }
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", db->h, "main");
    if (!b) {
        snprintf(err, errlen, "backup failed: %s", sqlite3_errmsg(dst));
        sqlite3_close(dst);
        return DB_ERROR;
    }
    int rc;
    /* Copy in steps so writers are not blocked for long; a write restarts the copy. */
    while ((rc = sqlite3_backup_step(b, 256)) == SQLITE_OK || rc == SQLITE_BUSY ||
           rc == SQLITE_LOCKED)
        if (rc != SQLITE_OK) sqlite3_sleep(20);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) {
        snprintf(err, errlen, "backup failed: %s", sqlite3_errstr(rc));
        sqlite3_close(dst);
        return DB_ERROR;
    }
    /* The copy is a standalone file: no WAL sidecar needed. */
    sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL);
    sqlite3_close(dst);
    return DB_OK;
}
