/* sqlite.c — the embedded engine: WAL, foreign keys, synchronous=FULL, busy timeout,
 * BEGIN IMMEDIATE for writes, a per-connection statement cache. */
#include <pthread.h>
#include <sqlite3.h>

/* sqliteInt.h's SQLITE_SeekScan: the bit of sqlite3_test_control(SQLITE_TESTCTRL_OPTIMIZATIONS)
 * that turns the OP_SeekScan optimization off. */
#define SQLITE_OPT_SEEKSCAN 0x00020000
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/log.h"
#include "store/db.h"
#include "store/engine.h"

#define STMT_CACHE 128 /* statements kept prepared per connection */

struct sq_stmt {
    struct db_stmt base; /* ops and owner */
    sqlite3_stmt *st;    /* prepared statement */
    char *sql;           /* key in the cache (malloc) */
    int in_use;          /* handed out and not yet db_done */
    int transient;       /* not cached: finalize on db_done */
};

struct sq_db {
    struct db base;                   /* ops, transaction flag, last error */
    sqlite3 *h;                       /* connection */
    int holds_turn;                   /* holds the process's writer turn (sq_begin) */
    struct sq_stmt cache[STMT_CACHE]; /* open addressing by SQL text hash */
};

static const struct db_ops sqlite_ops;
#define SQ(d) ((struct sq_db *)(d))
#define ST(s) ((struct sq_stmt *)(s))

static const char *sq_errmsg(struct db *db) {
    return sqlite3_errmsg(SQ(db)->h);
}

static void set_err(struct db *db) {
    snprintf(db->err, sizeof db->err, "%s", sqlite3_errmsg(SQ(db)->h));
}

static int map_rc(struct db *db, int rc) {
    switch (rc & 0xff) {
    case SQLITE_OK:
        return DB_OK;
    case SQLITE_ROW:
        return DB_ROW;
    case SQLITE_DONE:
        return DB_DONE;
    case SQLITE_CONSTRAINT:
        set_err(db);
        return DB_CONSTRAINT;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        set_err(db);
        return DB_BUSY;
    default:
        set_err(db);
        return DB_ERROR;
    }
}

int sqlite_open(const char *path, struct db **out, char *err, size_t errlen) {
    *out = NULL;
    struct sq_db *db = calloc(1, sizeof(*db));
    if (!db) return DB_ERROR;
    db->base.ops = &sqlite_ops;
    int rc = sqlite3_open_v2(
        path, &db->h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "cannot open %s: %s", path, db->h ? sqlite3_errmsg(db->h) : "?");
        sqlite3_close(db->h);
        free(db);
        return DB_ERROR;
    }
    sqlite3_busy_timeout(db->h, 10000);
    sqlite3_extended_result_codes(db->h, 1);
    /* The IN seek-scan optimization answers wrong rows in SQLite 3.40.1 (Debian 12): with
     * index (a, b, c), statistics, and "a = ? AND b IN (…) AND c < ?", rows of the last IN
     * value past the range came back (an issued task due next year among the overdue). Turned
     * off on every connection: the plans stay index searches, only that skip goes. */
    sqlite3_test_control(SQLITE_TESTCTRL_OPTIMIZATIONS, db->h, SQLITE_OPT_SEEKSCAN);
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
    *out = &db->base;
    return DB_OK;
}

static void writer_release(struct sq_db *db);

static void sq_close(struct db *base) {
    struct sq_db *db = SQ(base);
    writer_release(db);
    for (int i = 0; i < STMT_CACHE; i++) {
        if (db->cache[i].st) sqlite3_finalize(db->cache[i].st);
        free(db->cache[i].sql);
    }
    sqlite3_close(db->h);
    free(db);
}

static int exec_simple(struct db *db, const char *sql) {
    char *msg = NULL;
    int rc = sqlite3_exec(SQ(db)->h, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        snprintf(db->err, sizeof db->err, "%s", msg ? msg : sqlite3_errstr(rc));
        sqlite3_free(msg);
        return (rc & 0xff) == SQLITE_BUSY ? DB_BUSY : DB_ERROR;
    }
    return DB_OK;
}

/* Writers take the write lock at BEGIN, so a transaction never fails half-way on a lock.
 *
 * The threads of one process first take turns on a mutex: waiting in SQLite's busy handler,
 * a thread sleeps 1, 2, 5 … 100 ms between tries and so slept on long after the commit it
 * waited for (a server's worker thread, whose other connections waited with it). Other
 * processes (commands, a second server) still meet the busy timeout; so does a thread that
 * already writes through another connection. The wait is bounded like the busy timeout. */
#define WRITER_WAIT_SECONDS 10
static pthread_mutex_t writer_turn = PTHREAD_MUTEX_INITIALIZER;
static _Thread_local int writer_turn_held; /* this thread holds writer_turn */

static void writer_release(struct sq_db *db) {
    if (!db->holds_turn) return;
    db->holds_turn = 0;
    writer_turn_held = 0;
    pthread_mutex_unlock(&writer_turn);
}

static int sq_begin(struct db *db) {
    struct sq_db *d = SQ(db);
    if (!writer_turn_held) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += WRITER_WAIT_SECONDS;
        if (pthread_mutex_timedlock(&writer_turn, &until) != 0) {
            snprintf(db->err, sizeof db->err,
                     "database is locked (another writer of this "
                     "process for %d s)",
                     WRITER_WAIT_SECONDS);
            return DB_BUSY;
        }
        writer_turn_held = d->holds_turn = 1;
    }
    int rc = exec_simple(db, "BEGIN IMMEDIATE");
    if (rc != DB_OK) writer_release(d);
    return rc;
}

static int sq_commit(struct db *db) {
    int rc = exec_simple(db, "COMMIT");
    if (rc != DB_OK) exec_simple(db, "ROLLBACK");
    writer_release(SQ(db));
    return rc;
}

static void sq_rollback(struct db *db) {
    if (!sqlite3_get_autocommit(SQ(db)->h)) exec_simple(db, "ROLLBACK");
    writer_release(SQ(db));
}

static uint32_t hash_sql(const char *s) {
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static struct db_stmt *sq_prepare(struct db *base, const char *sql) {
    struct sq_db *db = SQ(base);
    uint32_t h = hash_sql(sql) % STMT_CACHE;
    struct sq_stmt *slot = NULL;
    for (int probe = 0; probe < 4; probe++) {
        struct sq_stmt *c = &db->cache[(h + probe) % STMT_CACHE];
        if (c->sql && strcmp(c->sql, sql) == 0) {
            if (!c->in_use) {
                c->in_use = 1;
                return &c->base;
            }
            break; /* same SQL already in use (nested): use a transient statement */
        }
        if (!c->sql && !slot) slot = c;
    }
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
    if (rc != SQLITE_OK) {
        set_err(base);
        log_error("sql prepare failed: %s: %.200s", base->err, sql);
        return NULL;
    }
    if (!slot) { /* evict the home slot if it is idle */
        struct sq_stmt *home = &db->cache[h];
        if (!home->in_use) {
            sqlite3_finalize(home->st);
            free(home->sql);
            memset(home, 0, sizeof(*home));
            slot = home;
        }
    }
    if (slot) {
        slot->base = (struct db_stmt){.ops = &sqlite_ops, .db = base};
        slot->st = st;
        slot->sql = strdup(sql);
        slot->in_use = 1;
        slot->transient = 0;
        return &slot->base;
    }
    struct sq_stmt *t = calloc(1, sizeof(*t));
    t->base = (struct db_stmt){.ops = &sqlite_ops, .db = base};
    t->st = st;
    t->in_use = 1;
    t->transient = 1;
    return &t->base;
}

static void sq_bind_int(struct db_stmt *st, int idx, int64_t v) {
    sqlite3_bind_int64(ST(st)->st, idx, v);
}
static void sq_bind_text(struct db_stmt *st, int idx, const char *s) {
    if (s)
        sqlite3_bind_text(ST(st)->st, idx, s, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(ST(st)->st, idx);
}
static void sq_bind_blob(struct db_stmt *st, int idx, const void *p, size_t n) {
    sqlite3_bind_blob64(ST(st)->st, idx, p, n, SQLITE_TRANSIENT);
}
static void sq_bind_null(struct db_stmt *st, int idx) {
    sqlite3_bind_null(ST(st)->st, idx);
}

static int sq_step(struct db_stmt *st) {
    return map_rc(st->db, sqlite3_step(ST(st)->st));
}

static void sq_done(struct db_stmt *base) {
    struct sq_stmt *st = ST(base);
    if (st->transient) {
        sqlite3_finalize(st->st);
        free(st);
        return;
    }
    sqlite3_reset(st->st);
    sqlite3_clear_bindings(st->st);
    st->in_use = 0;
}

static int sq_col_count(struct db_stmt *st) {
    return sqlite3_column_count(ST(st)->st);
}
static const char *sq_col_name(struct db_stmt *st, int i) {
    return sqlite3_column_name(ST(st)->st, i);
}
static enum db_type sq_col_type(struct db_stmt *st, int i) {
    switch (sqlite3_column_type(ST(st)->st, i)) {
    case SQLITE_INTEGER:
        return DB_T_INT;
    case SQLITE_FLOAT:
        return DB_T_REAL;
    case SQLITE_TEXT:
        return DB_T_TEXT;
    case SQLITE_BLOB:
        return DB_T_BLOB;
    default:
        return DB_T_NULL;
    }
}
static int64_t sq_col_int(struct db_stmt *st, int i) {
    return sqlite3_column_int64(ST(st)->st, i);
}
static const char *sq_col_text(struct db_stmt *st, int i) {
    return (const char *)sqlite3_column_text(ST(st)->st, i);
}
static const void *sq_col_blob(struct db_stmt *st, int i, size_t *n) {
    const void *p = sqlite3_column_blob(ST(st)->st, i);
    *n = (size_t)sqlite3_column_bytes(ST(st)->st, i);
    return p;
}
static int64_t sq_changes(struct db *db) {
    return sqlite3_changes64(SQ(db)->h);
}

/* Engine-specific schema pieces for migrate.c. */
static const char *sq_type(const char *token) {
    if (strcmp(token, "ID") == 0) return "INTEGER PRIMARY KEY AUTOINCREMENT";
    if (strcmp(token, "BLOB") == 0) return "BLOB";
    return NULL;
}

/* AUTOINCREMENT keeps its counter in sqlite_sequence, which follows inserted ids by itself. */
static int sq_reset_sequences(struct db *db, const char *table) {
    (void)db;
    (void)table;
    return DB_OK;
}

static int sq_backup_to(struct db *base, const char *path, char *err, size_t errlen) {
    struct sq_db *db = SQ(base);
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

static const struct db_ops sqlite_ops = {
    .engine = DB_SQLITE,
    .close = sq_close,
    .errmsg = sq_errmsg,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .prepare = sq_prepare,
    .bind_int = sq_bind_int,
    .bind_text = sq_bind_text,
    .bind_blob = sq_bind_blob,
    .bind_null = sq_bind_null,
    .step = sq_step,
    .done = sq_done,
    .col_count = sq_col_count,
    .col_name = sq_col_name,
    .col_type = sq_col_type,
    .col_int = sq_col_int,
    .col_text = sq_col_text,
    .col_blob = sq_col_blob,
    .changes = sq_changes,
    .type = sq_type,
    .exec_script = exec_simple,
    .backup_to = sq_backup_to,
    .reset_sequences = sq_reset_sequences,
    .list_tables_sql = "SELECT name FROM sqlite_master WHERE type = 'table' "
                       "AND name NOT LIKE 'sqlite_%' ORDER BY name",
    .table_exists_sql = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?",
};
