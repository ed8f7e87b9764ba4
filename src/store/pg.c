/* pg.c — the PostgreSQL engine (libpq): `?` placeholders become $n, statements are prepared once
 * per connection and cached, results are read in text format. Transactions run at READ
 * COMMITTED: every write claims its row with `UPDATE … WHERE id = ? AND version = ?`, so a
 * concurrent writer waits and then finds the version changed (409), never overwrites. */
#include <libpq-fe.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "store/engine.h"

#define PG_CACHE      128 /* prepared statements kept per connection */
#define PG_MAX_PARAMS 64  /* parameters one statement may take */

struct pg_stmt {
    struct db_stmt base;
    char *sql;             /* original SQL, cache key (malloc) */
    char name[16];         /* prepared statement name */
    int in_use, transient; /* handed out / not cached */
    int nparams;           /* highest index bound */
    int ncols;             /* result columns, known from the prepared statement's description */
    char *values[PG_MAX_PARAMS];
    int lengths[PG_MAX_PARAMS];
    int formats[PG_MAX_PARAMS];
    PGresult *res;            /* result of the execution */
    int row;                  /* current row, -1 before the first */
    unsigned char *unescaped; /* bytea of the current column (PQfreemem) */
};

struct pg_db {
    struct db base;
    PGconn *conn;
    struct pg_stmt cache[PG_CACHE];
    int next_name;   /* counter for statement names */
    int64_t changes; /* rows changed by the last statement */
};

static const struct db_ops pg_ops;
#define PG(d)  ((struct pg_db *)(d))
#define PST(s) ((struct pg_stmt *)(s))

static const char *pg_errmsg(struct db *db) {
    return PQerrorMessage(PG(db)->conn);
}

static int map_result(struct db *db, PGresult *res) {
    ExecStatusType s = PQresultStatus(res);
    if (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK) return DB_OK;
    const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    snprintf(db->err, sizeof db->err, "%s", PQresultErrorMessage(res));
    size_t n = strlen(db->err);
    while (n && db->err[n - 1] == '\n')
        db->err[--n] = 0;
    if (state && !strncmp(state, "23", 2)) return DB_CONSTRAINT;
    if (state && (!strcmp(state, "40001") || !strcmp(state, "40P01") || !strcmp(state, "55P03")))
        return DB_BUSY;
    return DB_ERROR;
}

/* Server notices ("relation … already exists, skipping") are not errors: keep stderr clean. */
static void quiet_notice(void *arg, const char *message) {
    (void)arg;
    (void)message;
}

int pg_open(const char *url, struct db **out, char *err, size_t errlen) {
    struct pg_db *db = calloc(1, sizeof(*db));
    if (!db) return DB_ERROR;
    db->base.ops = &pg_ops;
    db->conn = PQconnectdb(url);
    if (PQstatus(db->conn) != CONNECTION_OK) {
        snprintf(err, errlen, "cannot connect to PostgreSQL: %s", PQerrorMessage(db->conn));
        size_t n = strlen(err);
        while (n && err[n - 1] == '\n')
            err[--n] = 0;
        PQfinish(db->conn);
        free(db);
        return DB_ERROR;
    }
    PQsetNoticeProcessor(db->conn, quiet_notice, NULL);
    PGresult *r = PQexec(db->conn, "SET client_encoding = 'UTF8'; SET TIME ZONE 'UTC'; "
                                   "SET standard_conforming_strings = on");
    int rc = map_result(&db->base, r);
    PQclear(r);
    if (rc != DB_OK) {
        snprintf(err, errlen, "cannot configure the PostgreSQL session: %s", db->base.err);
        PQfinish(db->conn);
        free(db);
        return DB_ERROR;
    }
    *out = &db->base;
    return DB_OK;
}

static void stmt_clear(struct pg_stmt *st) {
    for (int i = 0; i < st->nparams; i++) {
        free(st->values[i]);
        st->values[i] = NULL;
    }
    st->nparams = 0;
    if (st->res) PQclear(st->res);
    st->res = NULL;
    if (st->unescaped) PQfreemem(st->unescaped);
    st->unescaped = NULL;
    st->row = -1;
}

static void pg_close(struct db *base) {
    struct pg_db *db = PG(base);
    for (int i = 0; i < PG_CACHE; i++) {
        stmt_clear(&db->cache[i]);
        free(db->cache[i].sql);
    }
    PQfinish(db->conn);
    free(db);
}

static int exec_simple(struct db *db, const char *sql) {
    PGresult *r = PQexec(PG(db)->conn, sql);
    int rc = map_result(db, r);
    PQclear(r);
    return rc;
}

static int pg_begin(struct db *db) {
    return exec_simple(db, "BEGIN");
}

static int pg_commit(struct db *db) {
    PGresult *r = PQexec(PG(db)->conn, "COMMIT");
    int rc = map_result(db, r);
    /* COMMIT of a transaction that already failed answers ROLLBACK: the writes are gone. */
    if (rc == DB_OK && !strcmp(PQcmdStatus(r), "ROLLBACK")) {
        snprintf(db->err, sizeof db->err, "transaction was rolled back");
        rc = DB_ERROR;
    }
    PQclear(r);
    return rc;
}

static void pg_rollback(struct db *db) {
    if (PQtransactionStatus(PG(db)->conn) != PQTRANS_IDLE) exec_simple(db, "ROLLBACK");
}

/* `?` → `$n`, outside quoted strings and identifiers. */
static char *translate(const char *sql) {
    size_t n = strlen(sql);
    char *out = malloc(n * 4 + 1);
    if (!out) return NULL;
    size_t k = 0;
    int param = 0;
    char quote = 0;
    for (const char *p = sql; *p; p++) {
        if (quote) {
            if (*p == quote) quote = 0;
            out[k++] = *p;
        } else if (*p == '\'' || *p == '"') {
            quote = *p;
            out[k++] = *p;
        } else if (*p == '?') {
            k += (size_t)sprintf(out + k, "$%d", ++param);
        } else {
            out[k++] = *p;
        }
    }
    out[k] = 0;
    return out;
}

static uint32_t hash_sql(const char *s) {
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static int prepare_on_server(struct pg_db *db, struct pg_stmt *st, const char *sql) {
    char *text = translate(sql);
    if (!text) return DB_ERROR;
    snprintf(st->name, sizeof st->name, "fz%d", ++db->next_name);
    PGresult *r = PQprepare(db->conn, st->name, text, 0, NULL);
    int rc = map_result(&db->base, r);
    PQclear(r);
    if (rc != DB_OK) log_error("sql prepare failed: %s: %.200s", db->base.err, text);
    free(text);
    if (rc != DB_OK) return rc;
    /* The column count is asked for before the first step sometimes (CSV headers). */
    r = PQdescribePrepared(db->conn, st->name);
    rc = map_result(&db->base, r);
    st->ncols = rc == DB_OK ? PQnfields(r) : 0;
    PQclear(r);
    return rc;
}

static void deallocate(struct pg_db *db, const char *name) {
    char sql[48];
    snprintf(sql, sizeof sql, "DEALLOCATE %s", name);
    /* Inside a failed transaction this fails too; the statement then lives on harmlessly. */
    PGresult *r = PQexec(db->conn, sql);
    PQclear(r);
}

static struct db_stmt *pg_prepare(struct db *base, const char *sql) {
    struct pg_db *db = PG(base);
    uint32_t h = hash_sql(sql) % PG_CACHE;
    struct pg_stmt *slot = NULL;
    for (int probe = 0; probe < 4; probe++) {
        struct pg_stmt *c = &db->cache[(h + probe) % PG_CACHE];
        if (c->sql && !strcmp(c->sql, sql)) {
            if (!c->in_use) {
                c->in_use = 1;
                c->row = -1;
                return &c->base;
            }
            break;
        }
        if (!c->sql && !slot) slot = c;
    }
    if (!slot && !db->cache[h].in_use && PQtransactionStatus(db->conn) != PQTRANS_INERROR) {
        struct pg_stmt *home = &db->cache[h];
        deallocate(db, home->name);
        stmt_clear(home);
        free(home->sql);
        memset(home, 0, sizeof(*home));
        slot = home;
    }
    struct pg_stmt *st = slot ? slot : calloc(1, sizeof(*st));
    if (!st) return NULL;
    memset(st, 0, sizeof(*st));
    st->base = (struct db_stmt){&pg_ops, base};
    st->row = -1;
    st->transient = !slot;
    if (prepare_on_server(db, st, sql) != DB_OK) {
        if (st->transient) free(st);
        return NULL;
    }
    st->in_use = 1;
    if (!st->transient) st->sql = strdup(sql);
    return &st->base;
}

static void set_param(struct pg_stmt *st, int idx, char *value, int len, int format) {
    if (idx < 1 || idx > PG_MAX_PARAMS) {
        free(value);
        return;
    }
    free(st->values[idx - 1]);
    st->values[idx - 1] = value;
    st->lengths[idx - 1] = len;
    st->formats[idx - 1] = format;
    if (idx > st->nparams) st->nparams = idx;
}

static void pg_bind_int(struct db_stmt *s, int idx, int64_t v) {
    char buf[24];
    snprintf(buf, sizeof buf, "%lld", (long long)v);
    set_param(PST(s), idx, strdup(buf), 0, 0);
}
static void pg_bind_text(struct db_stmt *s, int idx, const char *v) {
    set_param(PST(s), idx, v ? strdup(v) : NULL, 0, 0);
}
static void pg_bind_blob(struct db_stmt *s, int idx, const void *p, size_t n) {
    char *copy = malloc(n ? n : 1);
    if (copy && n) memcpy(copy, p, n);
    set_param(PST(s), idx, copy, (int)n, 1); /* binary bytea */
}
static void pg_bind_null(struct db_stmt *s, int idx) {
    set_param(PST(s), idx, NULL, 0, 0);
}

static int pg_step(struct db_stmt *s) {
    struct pg_stmt *st = PST(s);
    struct pg_db *db = PG(s->db);
    if (!st->res) {
        st->res = PQexecPrepared(db->conn, st->name, st->nparams, (const char *const *)st->values,
                                 st->lengths, st->formats, 0);
        int rc = map_result(s->db, st->res);
        if (rc != DB_OK) {
            PQclear(st->res);
            st->res = NULL;
            return rc;
        }
        const char *tuples = PQcmdTuples(st->res);
        db->changes = tuples && *tuples ? strtoll(tuples, NULL, 10) : 0;
        st->row = -1;
    }
    if (st->unescaped) PQfreemem(st->unescaped);
    st->unescaped = NULL;
    st->row++;
    return st->row < PQntuples(st->res) ? DB_ROW : DB_DONE;
}

static void pg_done(struct db_stmt *s) {
    struct pg_stmt *st = PST(s);
    stmt_clear(st);
    if (st->transient) {
        deallocate(PG(s->db), st->name);
        free(st);
        return;
    }
    st->in_use = 0;
}

static int pg_col_count(struct db_stmt *s) {
    return PST(s)->res ? PQnfields(PST(s)->res) : PST(s)->ncols;
}
static const char *pg_col_name(struct db_stmt *s, int i) {
    return PQfname(PST(s)->res, i);
}

static enum db_type pg_col_type(struct db_stmt *s, int i) {
    struct pg_stmt *st = PST(s);
    if (PQgetisnull(st->res, st->row, i)) return DB_T_NULL;
    switch (PQftype(st->res, i)) {
    case 16: /* bool */
    case 20: /* int8 */
    case 21: /* int2 */
    case 23: /* int4 */
    case 26: /* oid */
        return DB_T_INT;
    case 700:
    case 701:
    case 1700:
        return DB_T_REAL;
    case 17:
        return DB_T_BLOB;
    default:
        return DB_T_TEXT;
    }
}

static int64_t pg_col_int(struct db_stmt *s, int i) {
    struct pg_stmt *st = PST(s);
    if (PQgetisnull(st->res, st->row, i)) return 0;
    const char *v = PQgetvalue(st->res, st->row, i);
    if (PQftype(st->res, i) == 16) return v[0] == 't';
    return strtoll(v, NULL, 10);
}

static const char *pg_col_text(struct db_stmt *s, int i) {
    struct pg_stmt *st = PST(s);
    if (PQgetisnull(st->res, st->row, i)) return NULL;
    return PQgetvalue(st->res, st->row, i);
}

static const void *pg_col_blob(struct db_stmt *s, int i, size_t *n) {
    struct pg_stmt *st = PST(s);
    *n = 0;
    if (PQgetisnull(st->res, st->row, i)) return NULL;
    if (st->unescaped) PQfreemem(st->unescaped);
    st->unescaped = PQunescapeBytea((const unsigned char *)PQgetvalue(st->res, st->row, i), n);
    return st->unescaped;
}

static int64_t pg_changes(struct db *db) {
    return PG(db)->changes;
}

static const char *pg_type(const char *token) {
    if (!strcmp(token, "ID")) return "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY";
    if (!strcmp(token, "BLOB")) return "BYTEA";
    return NULL;
}

static int pg_reset_sequences(struct db *db, const char *table) {
    char sql[400];
    snprintf(sql, sizeof sql,
             "SELECT setval(pg_get_serial_sequence('%s', 'id'), "
             "COALESCE((SELECT MAX(id) FROM %s), 0) + 1, false)",
             table, table);
    return exec_simple(db, sql);
}

static int pg_backup_to(struct db *db, const char *path, char *err, size_t errlen) {
    (void)db;
    snprintf(err, errlen,
             "fazhi backup copies SQLite installations; back up PostgreSQL with pg_dump or "
             "pg_basebackup and WAL archiving (docs/scaling.md), not to %s",
             path);
    return DB_ERROR;
}

/* db_blob_read: one statement, so one snapshot; the piece comes back in binary (raw bytes).
 * TOAST fetches only the slices asked for when the value is stored uncompressed. */
static int64_t pg_blob_read(struct db *base, const struct db_blob *b, int64_t offset, void *buf,
                            size_t n) {
    struct pg_db *db = PG(base);
    char sql[256], from[24], count[24];
    snprintf(sql, sizeof sql, "SELECT substring(%s FROM $2::int FOR $3::int) FROM %s WHERE %s = $1",
             b->column, b->table, b->key_column);
    snprintf(from, sizeof from, "%lld", (long long)offset + 1);
    snprintf(count, sizeof count, "%zu", n);
    const char *values[3] = {b->key, from, count};
    PGresult *r = PQexecParams(db->conn, sql, 3, NULL, values, NULL, NULL, 1);
    int64_t rc = map_result(base, r);
    if (rc == DB_OK) {
        if (PQntuples(r) != 1 || PQgetisnull(r, 0, 0) || (size_t)PQgetlength(r, 0, 0) > n) {
            snprintf(base->err, sizeof base->err, "%s %s: the row or its value is gone", b->table,
                     b->key);
            rc = DB_ERROR;
        } else {
            rc = PQgetlength(r, 0, 0);
            memcpy(buf, PQgetvalue(r, 0, 0), (size_t)rc);
        }
    }
    PQclear(r);
    return rc;
}

static size_t pg_blob_piece(int64_t size) {
    (void)size; /* TOAST slices: a piece costs what it holds, wherever it is */
    return 1 << 20;
}

static const struct db_ops pg_ops = {
    .engine = DB_POSTGRES,
    .close = pg_close,
    .errmsg = pg_errmsg,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .prepare = pg_prepare,
    .bind_int = pg_bind_int,
    .bind_text = pg_bind_text,
    .bind_blob = pg_bind_blob,
    .bind_null = pg_bind_null,
    .step = pg_step,
    .done = pg_done,
    .col_count = pg_col_count,
    .col_name = pg_col_name,
    .col_type = pg_col_type,
    .col_int = pg_col_int,
    .col_text = pg_col_text,
    .col_blob = pg_col_blob,
    .changes = pg_changes,
    .type = pg_type,
    .exec_script = exec_simple,
    .backup_to = pg_backup_to,
    .reset_sequences = pg_reset_sequences,
    .blob_read = pg_blob_read,
    .blob_piece = pg_blob_piece,
    .list_tables_sql = "SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema() "
                       "ORDER BY tablename",
    .table_exists_sql = "SELECT COUNT(*) FROM pg_tables WHERE schemaname = current_schema() "
                        "AND tablename = ?",
};
