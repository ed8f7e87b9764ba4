/* db.c — the one storage interface, dispatching to the engine named by the URL, and the
 * bookkeeping of lost connections (db.h): a lost connection fails fast until its owner's next
 * unit of work, whose first call reconnects. */
#include <ctype.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/arena.h"
#include "base/log.h"
#include "store/dataver.h"
#include "store/engine.h"

static atomic_uint_fast64_t lost_count, reconnect_count, failed_tries, statement_count;

int db_url_is_postgres(const char *url) {
    if (!strncmp(url, "sqlite:", 7)) return 0;
    return !strncmp(url, "postgres://", 11) || !strncmp(url, "postgresql://", 13) ||
           pg_is_conninfo(url);
}

int db_open(const char *url, struct db **out, char *err, size_t errlen) {
    *out = NULL;
    dv_wrote(); /* another database may be behind this URL: read the data versions afresh */
    int rc = db_url_is_postgres(url)
                 ? pg_open(url, out, err, errlen)
                 : sqlite_open(!strncmp(url, "sqlite:", 7) ? url + 7 : url, out, err, errlen);
    if (rc == DB_OK && *out) (*out)->url = strdup(url);
    return rc;
}

const char *db_url(const struct db *db) {
    return db && db->url ? db->url : NULL;
}

void db_close(struct db *db) {
    if (!db) return;
    free(db->url);
    db->url = NULL;
    db->ops->close(db);
}
enum db_engine db_engine(const struct db *db) {
    return db->ops->engine;
}
const char *db_sql_days_between(const struct db *db, struct arena *a, const char *later,
                                const char *earlier) {
    if (db_engine(db) == DB_POSTGRES)
        return arena_printf(a, "(CAST(%s AS DATE) - CAST(%s AS DATE))", later, earlier);
    return arena_printf(a, "CAST(julianday(%s) - julianday(%s) AS BIGINT)", later, earlier);
}
const char *db_errmsg(struct db *db) {
    return db->err[0] ? db->err : db->ops->errmsg(db);
}

/* ---- lost connections ---- */

void db_mark_lost(struct db *db) {
    if (db->lost) return;
    db->lost = 1;
    atomic_fetch_add(&lost_count, 1);
    log_error("database connection lost: %s", db->err[0] ? db->err : "(no message)");
}

void db_unit_start(struct db *db) {
    db->unit_fresh = 1;
    db->unit_wrote = 0;
    db->unit_statements = 0;
}

int64_t db_unit_statements(const struct db *db) {
    return db->unit_statements;
}

/* Lost during this unit: a connection left lost by an earlier unit that this one has not used
 * (a request that needs no database) is not this unit's trouble. */
int db_lost(const struct db *db) {
    return db->lost && !db->unit_fresh;
}

int db_unit_sent_writes(const struct db *db) {
    return db->unit_wrote;
}

void db_health_get(struct db_health *out) {
    out->lost = atomic_load(&lost_count);
    out->reconnected = atomic_load(&reconnect_count);
    out->failed_tries = atomic_load(&failed_tries);
    out->statements = atomic_load(&statement_count);
}

/* Every call that talks to the server starts here. The first call of a unit may replace a lost
 * connection (nothing of the unit ran on the old one); later calls of a lost unit fail fast. */
static int usable(struct db *db) {
    if (db->unit_fresh && !db->in_tx) {
        db->unit_fresh = 0;
        if (!db->lost && db->ops->check) db->ops->check(db);
        if (db->lost && db->ops->reconnect) {
            if (db->ops->reconnect(db) == DB_OK) {
                db->lost = 0;
                atomic_fetch_add(&reconnect_count, 1);
                log_info("database connection re-established");
            } else {
                atomic_fetch_add(&failed_tries, 1);
            }
        }
    }
    db->unit_fresh = 0;
    if (!db->lost) return DB_OK;
    if (!db->err[0]) snprintf(db->err, sizeof db->err, "the database connection is lost");
    return DB_UNAVAILABLE;
}

int db_begin(struct db *db) {
    db->err[0] = 0;
    int rc = usable(db);
    if (rc == DB_OK) rc = db->ops->begin(db);
    if (rc == DB_OK) db->in_tx = 1;
    return rc;
}

int db_commit(struct db *db) {
    int rc = db->lost ? DB_UNAVAILABLE : DB_OK;
    if (rc == DB_OK) {
        db->unit_wrote = 1; /* from here the outcome may be durable, whatever the answer */
        rc = db->ops->commit(db);
        dv_wrote(); /* caches of this process look at the data versions again (dataver.h) */
    }
    db->in_tx = 0;
    return rc;
}

void db_rollback(struct db *db) {
    if (!db->lost) db->ops->rollback(db); /* a lost session rolled back on the server */
    db->in_tx = 0;
}

int db_in_tx(const struct db *db) {
    return db->in_tx;
}

/* A plain SELECT changes nothing; anything else may (WITH … may hold an INSERT). */
static int sql_writes(const char *sql) {
    while (isspace((unsigned char)*sql) || *sql == '(')
        sql++;
    return strncasecmp(sql, "SELECT", 6) != 0 || isalnum((unsigned char)sql[6]);
}

struct db_stmt *db_prepare(struct db *db, const char *sql) {
    db->err[0] = 0;
    if (usable(db) != DB_OK) return NULL;
    struct db_stmt *st = db->ops->prepare(db, sql);
    if (st) st->writes = sql_writes(sql);
    db->unit_statements++; /* every statement run goes through here (db_exec, db_queryv …) */
    atomic_fetch_add_explicit(&statement_count, 1, memory_order_relaxed);
    return st;
}
void db_bind_int(struct db_stmt *st, int idx, int64_t v) {
    st->ops->bind_int(st, idx, v);
}
void db_bind_text(struct db_stmt *st, int idx, const char *s) {
    st->ops->bind_text(st, idx, s);
}
void db_bind_blob(struct db_stmt *st, int idx, const void *p, size_t n) {
    st->ops->bind_blob(st, idx, p, n);
}
void db_bind_null(struct db_stmt *st, int idx) {
    st->ops->bind_null(st, idx);
}
void db_bind_id(struct db_stmt *st, int idx, int64_t id) {
    if (id)
        db_bind_int(st, idx, id);
    else
        db_bind_null(st, idx);
}
int db_step(struct db_stmt *st) {
    if (st->db->lost) return DB_UNAVAILABLE;
    if (!st->writes || st->db->in_tx) return st->ops->step(st);
    st->db->unit_wrote = 1;
    int rc = st->ops->step(st);
    dv_wrote(); /* an autocommit write: committed when it returns */
    return rc;
}
void db_done(struct db_stmt *st) {
    if (st) st->ops->done(st);
}
int db_col_count(struct db_stmt *st) {
    return st->ops->col_count(st);
}
const char *db_col_name(struct db_stmt *st, int i) {
    return st->ops->col_name(st, i);
}
enum db_type db_col_type(struct db_stmt *st, int i) {
    return st->ops->col_type(st, i);
}
int64_t db_col_int(struct db_stmt *st, int i) {
    return st->ops->col_int(st, i);
}
const char *db_col_text(struct db_stmt *st, int i) {
    return st->ops->col_text(st, i);
}
const void *db_col_blob(struct db_stmt *st, int i, size_t *n) {
    return st->ops->col_blob(st, i, n);
}
int64_t db_changes(struct db *db) {
    return db->ops->changes(db);
}
const char *db_engine_type(struct db *db, const char *token) {
    return db->ops->type(token);
}
int db_exec_script(struct db *db, const char *sql) {
    int rc = usable(db);
    if (rc != DB_OK) return rc;
    if (db->in_tx) return db->ops->exec_script(db, sql);
    db->unit_wrote = 1;
    rc = db->ops->exec_script(db, sql);
    dv_wrote();
    return rc;
}
int db_backup_to(struct db *db, const char *path, char *err, size_t errlen) {
    return db->ops->backup_to(db, path, err, errlen);
}
int db_reset_sequences(struct db *db, const char *table) {
    return db->ops->reset_sequences(db, table);
}

/* Identifiers of db_optimize's table names: lower-case letters, digits and '_' (they are pasted
 * into SQL). */
static int identifier_ok(const char *s) {
    if (!s || !*s || strlen(s) > 63) return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_')) return 0;
    return 1;
}

int db_optimize(struct db *db, enum db_optimize how) {
    if (how == DB_OPTIMIZE_FULL) return db_exec_script(db, "ANALYZE");
    if (db_engine(db) == DB_POSTGRES) return DB_OK;
    if (how == DB_OPTIMIZE_START) {
        int64_t analyzed = 0;
        int rc = db_query_int(db, &analyzed,
                              "SELECT COUNT(*) FROM sqlite_master WHERE name = 'sqlite_stat1'", "");
        if (rc != DB_ROW) return rc < 0 ? rc : DB_ERROR;
        return db_exec_script(db, analyzed ? "PRAGMA optimize" : "ANALYZE");
    }
    /* Table by table: the write lock is held for one table's indexes at a time. */
    char names[256][64];
    int n = 0, rc;
    struct db_stmt *st = db_prepare(db, "SELECT name FROM sqlite_master WHERE type = 'table' "
                                        "AND name NOT LIKE 'sqlite_%' ORDER BY name");
    if (!st) return DB_ERROR;
    while ((rc = db_step(st)) == DB_ROW && n < 256)
        if (identifier_ok(db_col_text(st, 0))) snprintf(names[n++], 64, "%s", db_col_text(st, 0));
    db_done(st);
    if (rc < 0) return rc;
    for (int i = 0; i < n; i++) {
        char sql[96];
        snprintf(sql, sizeof sql, "ANALYZE %.63s", names[i]);
        if ((rc = db_exec_script(db, sql)) != DB_OK) return rc;
    }
    return DB_OK;
}
