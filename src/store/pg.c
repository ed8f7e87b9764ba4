/* pg.c — the PostgreSQL engine (libpq): `?` placeholders become $n, statements are prepared once
 * per connection and cached, results are read in text format. Transactions run at READ
 * COMMITTED: every write claims its row with `UPDATE … WHERE id = ? AND version = ?`, so a
 * concurrent writer waits and then finds the version changed (409), never overwrites.
 *
 * A session the server ends (restart, crash, failover, pg_terminate_backend) is marked lost
 * (db_mark_lost) and answered DB_UNAVAILABLE; db.c reconnects it at the owner's next unit of work
 * with PQreset, which tries every host of a multi-host connection string again. */
#include <libpq-fe.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/timeutil.h"
#include "store/engine.h"

#define PG_CACHE         128  /* prepared statements kept per connection */
#define PG_INLINE_PARAMS 64   /* parameters kept in the statement itself */
#define PG_MAX_PARAMS    1100 /* parameters one statement may take (store/query.h's limit) */
#define PG_RETRY_GAP     0.2  /* seconds between failed reconnection attempts of one connection */

struct pg_stmt {
    struct db_stmt base;
    char *sql;             /* original SQL, cache key (malloc) */
    char name[16];         /* prepared statement name */
    int in_use, transient; /* handed out / not cached */
    unsigned session;      /* pg_db.session it was prepared in */
    int nparams;           /* highest index bound */
    int ncols;             /* result columns, known from the prepared statement's description */
    char **values;         /* the bound parameters: the inline arrays, or malloc'd when more */
    int *lengths, *formats;
    int cap; /* room in values/lengths/formats (0: not set up yet) */
    char *inline_values[PG_INLINE_PARAMS];
    int inline_lengths[PG_INLINE_PARAMS], inline_formats[PG_INLINE_PARAMS];
    PGresult *res;            /* result of the execution */
    int row;                  /* current row, -1 before the first */
    unsigned char *unescaped; /* bytea of the current column (PQfreemem) */
};

struct pg_db {
    struct db base;
    PGconn *conn;
    struct pg_stmt cache[PG_CACHE];
    int next_name;    /* counter for statement names */
    int64_t changes;  /* rows changed by the last statement */
    unsigned session; /* counts (re)connections: statements of an older session are gone */
    double retry_at;  /* monotonic time before which a failed reconnection is not tried again */
    int failures;     /* failed reconnection attempts since the connection was lost */
};

static const struct db_ops pg_ops;
#define PG(d)  ((struct pg_db *)(d))
#define PST(s) ((struct pg_stmt *)(s))

static const char *pg_errmsg(struct db *db) {
    return PQerrorMessage(PG(db)->conn);
}

static void set_err(struct db *db, const char *msg) {
    snprintf(db->err, sizeof db->err, "%s", msg && *msg ? msg : "no answer from the server");
    size_t n = strlen(db->err);
    while (n && db->err[n - 1] == '\n')
        db->err[--n] = 0;
}

/* Is the session gone? libpq knows (CONNECTION_BAD), or the server said it ends it: SQLSTATE class
 * 08 (connection exception) or 57P (57P01 admin_shutdown, 57P02 crash_shutdown, 57P03
 * cannot_connect_now, 57P04 database_dropped, 57P05 idle_session_timeout). 57014 (a cancelled
 * query) is not: the session lives on. */
static int session_gone(struct pg_db *db, const char *state) {
    if (PQstatus(db->conn) == CONNECTION_BAD) return 1;
    return state && (!strncmp(state, "08", 2) || !strncmp(state, "57P", 3));
}

static int map_result(struct db *db, PGresult *res) {
    ExecStatusType s = PQresultStatus(res); /* PGRES_FATAL_ERROR for NULL */
    if (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK) return DB_OK;
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    set_err(db, res && *PQresultErrorMessage(res) ? PQresultErrorMessage(res)
                                                  : PQerrorMessage(PG(db)->conn));
    if (session_gone(PG(db), state)) {
        db_mark_lost(db);
        return DB_UNAVAILABLE;
    }
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

/* What every session of ours needs, after a connection and after each reconnection. */
static int session_setup(struct pg_db *db) {
    PQsetNoticeProcessor(db->conn, quiet_notice, NULL);
    PGresult *r = PQexec(db->conn, "SET client_encoding = 'UTF8'; SET TIME ZONE 'UTC'; "
                                   "SET standard_conforming_strings = on");
    int rc = map_result(&db->base, r);
    PQclear(r);
    return rc;
}

/* Defaults the connection string may override (later keywords win over earlier ones): a dead
 * host of a multi-host string costs connect_timeout, not the kernel's two minutes of SYN
 * retries; keepalives and tcp_user_timeout notice a server that vanished without closing. Only
 * the keywords this libpq knows are passed. */
static const char *const conn_defaults[][2] = {
    {"connect_timeout", "5"},
    {"keepalives", "1"},
    {"keepalives_idle", "30"},
    {"keepalives_interval", "10"},
    {"keepalives_count", "3"},
    {"tcp_user_timeout", "30000"},
    {"fallback_application_name", "fazhi"},
};
#define N_CONN_DEFAULTS (int)(sizeof conn_defaults / sizeof conn_defaults[0])

static PGconn *connect_with_defaults(const char *url) {
    const char *keys[N_CONN_DEFAULTS + 2], *values[N_CONN_DEFAULTS + 2];
    int n = 0;
    PQconninfoOption *known = PQconndefaults();
    for (int i = 0; i < N_CONN_DEFAULTS; i++) {
        int ok = 0;
        for (PQconninfoOption *o = known; o && o->keyword && !ok; o++)
            ok = !strcmp(o->keyword, conn_defaults[i][0]);
        if (!ok) continue;
        keys[n] = conn_defaults[i][0];
        values[n++] = conn_defaults[i][1];
    }
    PQconninfoFree(known);
    keys[n] = "dbname"; /* expanded: the URL or key=value string itself */
    values[n++] = url;
    keys[n] = values[n] = NULL;
    return PQconnectdbParams(keys, values, 1);
}

int pg_is_conninfo(const char *s) {
    if (!strchr(s, '=')) return 0;
    char *err = NULL;
    PQconninfoOption *o = PQconninfoParse(s, &err); /* NULL: not a key=value string */
    int parsed = o != NULL;
    PQfreemem(err);
    PQconninfoFree(o);
    return parsed;
}

int pg_open(const char *url, struct db **out, char *err, size_t errlen) {
    struct pg_db *db = calloc(1, sizeof(*db));
    if (!db) return DB_ERROR;
    db->base.ops = &pg_ops;
    db->conn = connect_with_defaults(url);
    if (PQstatus(db->conn) != CONNECTION_OK) {
        snprintf(err, errlen, "cannot connect to PostgreSQL: %s", PQerrorMessage(db->conn));
        size_t n = strlen(err);
        while (n && err[n - 1] == '\n')
            err[--n] = 0;
        PQfinish(db->conn);
        free(db);
        return DB_ERROR;
    }
    if (session_setup(db) != DB_OK) {
        snprintf(err, errlen, "cannot configure the PostgreSQL session: %s", db->base.err);
        PQfinish(db->conn);
        free(db);
        return DB_ERROR;
    }
    *out = &db->base;
    return DB_OK;
}

/* Room for parameter idx (1-based): the inline arrays first, then malloc'd ones. 0 or -1. */
static int params_room(struct pg_stmt *st, int idx) {
    if (!st->cap) {
        st->values = st->inline_values;
        st->lengths = st->inline_lengths;
        st->formats = st->inline_formats;
        st->cap = PG_INLINE_PARAMS;
    }
    if (idx <= st->cap) return 0;
    if (idx > PG_MAX_PARAMS) return -1;
    int cap = st->cap;
    while (cap < idx)
        cap *= 2;
    if (cap > PG_MAX_PARAMS) cap = PG_MAX_PARAMS;
    char **v = calloc((size_t)cap, sizeof(*v));
    int *l = calloc((size_t)cap, sizeof(*l)), *f = calloc((size_t)cap, sizeof(*f));
    if (!v || !l || !f) {
        free(v);
        free(l);
        free(f);
        return -1;
    }
    memcpy(v, st->values, (size_t)st->cap * sizeof(*v));
    memcpy(l, st->lengths, (size_t)st->cap * sizeof(*l));
    memcpy(f, st->formats, (size_t)st->cap * sizeof(*f));
    if (st->values != st->inline_values) {
        free(st->values);
        free(st->lengths);
        free(st->formats);
    }
    st->values = v;
    st->lengths = l;
    st->formats = f;
    st->cap = cap;
    return 0;
}

/* Give back malloc'd parameter arrays (before the statement is wiped or freed). */
static void params_free(struct pg_stmt *st) {
    if (st->cap && st->values != st->inline_values) {
        free(st->values);
        free(st->lengths);
        free(st->formats);
    }
    st->values = NULL;
    st->lengths = st->formats = NULL;
    st->cap = 0;
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

/* Empty the statement cache without telling the server (its session is gone, and the
 * statements with it). */
static void cache_forget(struct pg_db *db) {
    for (int i = 0; i < PG_CACHE; i++) {
        stmt_clear(&db->cache[i]);
        params_free(&db->cache[i]);
        free(db->cache[i].sql);
        memset(&db->cache[i], 0, sizeof db->cache[i]);
    }
}

static void pg_close(struct db *base) {
    struct pg_db *db = PG(base);
    cache_forget(db);
    PQfinish(db->conn);
    free(db);
}

/* Between units, without blocking: read what the server sent while we were idle. A server that
 * shut down left its last words (57P01 …, shown to the notice processor) and then end of file,
 * which libpq turns into CONNECTION_BAD; finding it here spares the unit a failed statement. */
static void pg_check(struct db *base) {
    struct pg_db *db = PG(base);
    if (PQstatus(db->conn) == CONNECTION_OK && PQtransactionStatus(db->conn) == PQTRANS_IDLE)
        PQconsumeInput(db->conn);
    if (PQstatus(db->conn) == CONNECTION_BAD) {
        set_err(base, PQerrorMessage(db->conn));
        db_mark_lost(base);
    }
}

static int pg_reconnect(struct db *base) {
    struct pg_db *db = PG(base);
    double now = now_mono();
    if (now < db->retry_at) return DB_UNAVAILABLE; /* the last try just failed: answer at once */
    cache_forget(db);
    PQreset(db->conn);
    int rc = PQstatus(db->conn) == CONNECTION_OK ? DB_OK : DB_UNAVAILABLE;
    if (rc == DB_OK) {
        base->lost = 0; /* session_setup may find it lost again */
        rc = session_setup(db);
    } else {
        set_err(base, PQerrorMessage(db->conn));
    }
    if (rc != DB_OK) {
        base->lost = 1;
        db->retry_at = now_mono() + PG_RETRY_GAP;
        if (db->failures++ == 0) log_error("database: cannot reconnect yet: %s", base->err);
        return DB_UNAVAILABLE;
    }
    db->session++;
    db->failures = 0;
    db->retry_at = 0;
    return DB_OK;
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
    PGTransactionStatusType t = PQtransactionStatus(PG(db)->conn);
    if (t != PQTRANS_IDLE && t != PQTRANS_UNKNOWN) exec_simple(db, "ROLLBACK");
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
    if (rc != DB_OK && rc != DB_UNAVAILABLE)
        log_error("sql prepare failed: %s: %.200s", db->base.err, text);
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
    if (PQresultStatus(r) != PGRES_COMMAND_OK) map_result(&db->base, r); /* notices a loss */
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
        params_free(home);
        free(home->sql);
        memset(home, 0, sizeof(*home));
        slot = home;
    }
    struct pg_stmt *st = slot ? slot : calloc(1, sizeof(*st));
    if (!st) return NULL;
    memset(st, 0, sizeof(*st));
    st->base = (struct db_stmt){.ops = &pg_ops, .db = base};
    st->row = -1;
    st->transient = !slot;
    st->session = db->session;
    if (prepare_on_server(db, st, sql) != DB_OK) {
        if (st->transient) {
            params_free(st);
            free(st);
        }
        return NULL;
    }
    st->in_use = 1;
    if (!st->transient) st->sql = strdup(sql);
    return &st->base;
}

static void set_param(struct pg_stmt *st, int idx, char *value, int len, int format) {
    if (idx < 1 || params_room(st, idx)) {
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
        /* A statement of an earlier session died with it; naming it now would fail (and abort
         * the transaction in progress). */
        if (st->session == PG(s->db)->session && !s->db->lost) deallocate(PG(s->db), st->name);
        params_free(st);
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
    .check = pg_check,
    .reconnect = pg_reconnect,
    .backup_to = pg_backup_to,
    .reset_sequences = pg_reset_sequences,
    .list_tables_sql = "SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema() "
                       "ORDER BY tablename",
    .table_exists_sql = "SELECT COUNT(*) FROM pg_tables WHERE schemaname = current_schema() "
                        "AND tablename = ?",
};
