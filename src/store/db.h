/* db.h — the one storage interface. Engines: sqlite.c (embedded default) and pg.c (PostgreSQL).
 *
 * SQL is written once with `?` placeholders and bound parameters only; each engine translates
 * placeholders and the few type names it must (see migrate.c). No code outside src/store/ knows
 * which engine it runs on.
 *
 * Ownership: a `struct db` is one connection, used by one thread at a time (the HTTP server keeps
 * one per worker thread). Statements come from a per-connection cache: `db_prepare` returns a
 * statement owned by the connection; call `db_done` when finished with it (it is reset, not
 * freed). Text returned by db_col_text stays valid until the next db_step/db_done on that
 * statement: copy it into an arena to keep it. */
#ifndef FAZHI_DB_H
#define FAZHI_DB_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"

struct db;
struct db_stmt;

enum db_rc {
    DB_OK = 0,
    DB_ROW = 1,          /* db_step: a row is ready */
    DB_DONE = 2,         /* db_step: no more rows */
    DB_ERROR = -1,       /* engine error; see db_errmsg */
    DB_CONSTRAINT = -2,  /* unique / foreign key / check violated */
    DB_BUSY = -3,        /* lock not obtained in time, or serialization failure: retry */
    DB_UNAVAILABLE = -4, /* the connection is lost or cannot be made (PostgreSQL): see below */
};

enum db_type { DB_T_NULL, DB_T_INT, DB_T_REAL, DB_T_TEXT, DB_T_BLOB };

enum db_engine { DB_SQLITE, DB_POSTGRES };

/* url: "sqlite:/path/file.db" or a path; PostgreSQL: a URI "postgres://…" / "postgresql://…" or
 * a libpq key=value string ("host=db1,db2 dbname=fazhi target_session_attrs=read-write"); both
 * may name several hosts. */
int db_open(const char *url, struct db **out, char *err, size_t errlen);
int db_url_is_postgres(const char *url); /* the engine db_open would pick for url */
void db_close(struct db *db);
/* The URL the connection was opened with (a worker thread opens its own), or NULL. */
const char *db_url(const struct db *db);
enum db_engine db_engine(const struct db *db);
/* SQL for the whole days from the date text `earlier` to `later` (two "YYYY-MM-DD" column
 * expressions of the caller's, never input) on this engine: an integer expression. */
const char *db_sql_days_between(const struct db *db, struct arena *a, const char *later,
                                const char *earlier);
const char *db_errmsg(struct db *db);

/* Write transaction (SQLite: BEGIN IMMEDIATE, waits for the write lock). */
int db_begin(struct db *db);
int db_commit(struct db *db);
void db_rollback(struct db *db); /* safe to call when no transaction is open */
int db_in_tx(const struct db *db);

/* ---- Lost connections (PostgreSQL; a SQLite connection never breaks) ----
 *
 * The owner of a connection runs its work in units — one HTTP request, one scheduler tick — and
 * calls db_unit_start before each. When the server goes away (restart, crash, failover: libpq
 * CONNECTION_BAD, SQLSTATE class 08 or 57P) the connection is marked lost and every later call
 * fails at once with DB_UNAVAILABLE (db_prepare: NULL) until the next unit. Its first call
 * reconnects (every host of a multi-host URL again) with an empty statement cache: prepared
 * statements die with the session. A unit never goes on on a new session, so a transaction cut
 * off is gone (the server rolls it back), never half applied. */
void db_unit_start(struct db *db);
int db_lost(const struct db *db); /* the connection broke during this unit */
/* 1 when this unit sent something that may have lasted: a COMMIT (whose answer may never have
 * come) or a write outside a transaction. A lost unit that sent none is safe to run again. */
int db_unit_sent_writes(const struct db *db);
/* Statements this unit has run so far (each db_prepare, hence each db_exec, db_query_int …):
 * how many queries one request costs (the access log's "queries"). */
int64_t db_unit_statements(const struct db *db);
/* Process-wide counts, for /metrics. */
struct db_health {
    uint64_t lost;         /* connections found lost */
    uint64_t reconnected;  /* lost connections made again */
    uint64_t failed_tries; /* reconnection attempts that failed */
    uint64_t statements;   /* statements run (db_prepare) on every connection */
};
void db_health_get(struct db_health *out);

struct db_stmt *db_prepare(struct db *db, const char *sql);    /* NULL on error (logged) */
void db_bind_int(struct db_stmt *st, int idx, int64_t v);      /* idx is 1-based */
void db_bind_text(struct db_stmt *st, int idx, const char *s); /* NULL binds NULL */
void db_bind_blob(struct db_stmt *st, int idx, const void *p, size_t n);
void db_bind_null(struct db_stmt *st, int idx);
void db_bind_id(struct db_stmt *st, int idx, int64_t id); /* an optional reference: 0 binds NULL */
int db_step(struct db_stmt *st);                          /* DB_ROW, DB_DONE or < 0 */
void db_done(struct db_stmt *st);

int db_col_count(struct db_stmt *st);
const char *db_col_name(struct db_stmt *st, int i);
enum db_type db_col_type(struct db_stmt *st, int i);
int64_t db_col_int(struct db_stmt *st, int i);
const char *db_col_text(struct db_stmt *st, int i); /* NULL for SQL NULL */
const void *db_col_blob(struct db_stmt *st, int i, size_t *n);
int64_t db_changes(struct db *db); /* rows changed by the last statement */

/* Convenience: `types` has one letter per parameter: i int64_t, s const char* (NULL = NULL),
 * n NULL (no argument consumed). */
int db_exec(struct db *db, const char *sql, const char *types, ...);
/* First column of the first row as int; returns DB_ROW, DB_DONE (no row) or < 0. */
int db_query_int(struct db *db, int64_t *out, const char *sql, const char *types, ...);
/* Binds like db_exec and returns the statement ready to step (NULL on error). */
struct db_stmt *db_queryv(struct db *db, const char *sql, const char *types, ...);

/* Optimistic concurrency: claim row `id` of `table` (an identifier from code, never input) for
 * update when its version is `version` — bumps version and updated_at. DB_OK when claimed;
 * DB_DONE when not, with *exists 1 (someone else changed it: stale) or 0 (no such row); < 0 on
 * error. Call inside the write transaction. */
int db_claim_version(struct db *db, const char *table, int64_t id, int64_t version, int *exists);
/* Is the database there and migrated? (/readyz) DB_OK or < 0. */
int db_ready(struct db *db);
/* 1 when `table` has a row `id`, 0 when not, < 0 on error. */
int db_row_exists(struct db *db, const char *table, int64_t id);

/* Rows as JSON: integers as numbers, text as strings, NULL as null. Columns named `is_*`,
 * `active`, `builtin`, `locked`, `must_change_password` become booleans. New references. */
json_t *db_row_json(struct db_stmt *st);
/* Appends every remaining row; rc. Stops with DB_ERROR once the thread's current arena (the
 * request being handled, base/arena.h) is past its memory budget. */
int db_rows_json(struct db_stmt *st, json_t *array);

/* Planner statistics (ANALYZE): without them SQLite guesses, and picks plans that read tens of
 * thousands of rows where a few thousand do (the dashboard counts of one unit).
 *   DB_OPTIMIZE_START: at server start — SQLite: ANALYZE when the database was never analyzed
 *                      (1.7 s on the province data set), else PRAGMA optimize; PostgreSQL:
 *                      nothing (autovacuum analyzes).
 *   DB_OPTIMIZE_DAILY: once a day (the scheduler) — SQLite: ANALYZE table by table, each its
 *                      own short write, so growth since the last time is seen; PostgreSQL:
 *                      nothing.
 *   DB_OPTIMIZE_FULL:  after bulk writes (fazhi demo, a copy by fazhi migrate): ANALYZE on
 *                      either engine.
 * DB_OK or < 0. */
enum db_optimize { DB_OPTIMIZE_START, DB_OPTIMIZE_DAILY, DB_OPTIMIZE_FULL };
int db_optimize(struct db *db, enum db_optimize how);

/* Schema. */
int db_migrate(struct db *db, int *applied); /* apply pending migrations in order */
/* The same, up to schema version `last` only (an older schema: staged upgrades, upgrade tests). */
int db_migrate_to(struct db *db, int last, int *applied);
int db_schema_version(struct db *db);
/* After rows were copied in with their ids (fazhi migrate --from … --to …): make the engine's
 * id generator continue after the highest id of `table`. */
int db_reset_sequences(struct db *db, const char *table);
/* Copy a whole installation between databases of any engines (copy.c): `to` must be freshly
 * migrated to the same schema version and hold no accounts. One transaction on `to`; prints a
 * per-table row count comparison to `report` (may be NULL). 0 ok. */
int db_copy_all(struct db *from, struct db *to, void *report /* FILE * */, char *err,
                size_t errlen);
/* Online consistent copy to a new SQLite file (SQLite backup API). */
int db_backup_to(struct db *db, const char *path, char *err, size_t errlen);

#endif
