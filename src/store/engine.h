/* engine.h — the contract between db.c (the one storage interface) and each engine
 * (sqlite.c, pg.c). Only src/store/ includes this. Each engine's connection and statement
 * structs start with `struct db` / `struct db_stmt` so db.c can dispatch through `ops`. */
#ifndef FAZHI_STORE_ENGINE_H
#define FAZHI_STORE_ENGINE_H

#include "store/db.h"

struct db_ops {
    enum db_engine engine;
    void (*close)(struct db *db);
    const char *(*errmsg)(struct db *db);
    int (*begin)(struct db *db);
    int (*commit)(struct db *db);
    void (*rollback)(struct db *db);
    struct db_stmt *(*prepare)(struct db *db, const char *sql);
    void (*bind_int)(struct db_stmt *st, int idx, int64_t v);
    void (*bind_text)(struct db_stmt *st, int idx, const char *s);
    void (*bind_blob)(struct db_stmt *st, int idx, const void *p, size_t n);
    void (*bind_null)(struct db_stmt *st, int idx);
    int (*step)(struct db_stmt *st);
    void (*done)(struct db_stmt *st);
    int (*col_count)(struct db_stmt *st);
    const char *(*col_name)(struct db_stmt *st, int i);
    enum db_type (*col_type)(struct db_stmt *st, int i);
    int64_t (*col_int)(struct db_stmt *st, int i);
    const char *(*col_text)(struct db_stmt *st, int i);
    const void *(*col_blob)(struct db_stmt *st, int i, size_t *n);
    int64_t (*changes)(struct db *db);
    const char *(*type)(const char *token); /* "ID", "BLOB" → SQL type */
    int (*exec_script)(struct db *db, const char *sql);
    int (*backup_to)(struct db *db, const char *path, char *err, size_t errlen);
    int (*reset_sequences)(struct db *db, const char *table); /* after copying ids in */
    /* Lost connections; NULL for engines whose connections cannot break (db.h). */
    void (*check)(struct db *db);    /* without blocking: did the server close the connection? */
    int (*reconnect)(struct db *db); /* DB_OK or DB_UNAVAILABLE; forgets cached statements */
    const char *list_tables_sql;     /* one column: every application table's name */
    const char *table_exists_sql;    /* COUNT(*) of tables named ? */
};

struct db {
    const struct db_ops *ops; /* the engine */
    int in_tx;                /* inside db_begin .. commit/rollback */
    int lost;                 /* the session is gone: calls fail with DB_UNAVAILABLE */
    int unit_fresh;           /* db_unit_start, and nothing ran since: may reconnect */
    int unit_wrote;           /* this unit sent a COMMIT or a write outside a transaction */
    int64_t unit_statements;  /* statements prepared since db_unit_start (db_unit_statements) */
    char err[256];            /* last error message */
    char *url;                /* what db_open was given (db_url): another connection to it */
};

struct db_stmt {
    const struct db_ops *ops;
    struct db *db; /* owner */
    int writes;    /* not a plain SELECT (an autocommit write when run outside a transaction) */
};

/* Engines call this when they find the session gone (the message is in db->err). */
void db_mark_lost(struct db *db);

int sqlite_open(const char *path, struct db **out, char *err, size_t errlen);
int pg_open(const char *url, struct db **out, char *err, size_t errlen);
int pg_is_conninfo(const char *s); /* a libpq key=value connection string */

const char *db_engine_type(struct db *db, const char *token);
int db_exec_script(struct db *db, const char *sql);

#endif
