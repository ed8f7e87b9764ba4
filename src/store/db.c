/* db.c — the one storage interface, dispatching to the engine named by the URL. */
#include <stdio.h>
#include <string.h>

#include "store/engine.h"

int db_open(const char *url, struct db **out, char *err, size_t errlen) {
    *out = NULL;
    if (!strncmp(url, "postgres://", 11) || !strncmp(url, "postgresql://", 13))
        return pg_open(url, out, err, errlen);
    return sqlite_open(!strncmp(url, "sqlite:", 7) ? url + 7 : url, out, err, errlen);
}

void db_close(struct db *db) {
    if (db) db->ops->close(db);
}
enum db_engine db_engine(const struct db *db) {
    return db->ops->engine;
}
const char *db_errmsg(struct db *db) {
    return db->err[0] ? db->err : db->ops->errmsg(db);
}

int db_begin(struct db *db) {
    db->err[0] = 0;
    int rc = db->ops->begin(db);
    if (rc == DB_OK) db->in_tx = 1;
    return rc;
}

int db_commit(struct db *db) {
    int rc = db->ops->commit(db);
    db->in_tx = 0;
    return rc;
}

void db_rollback(struct db *db) {
    db->ops->rollback(db);
    db->in_tx = 0;
}

int db_in_tx(const struct db *db) {
    return db->in_tx;
}

struct db_stmt *db_prepare(struct db *db, const char *sql) {
    db->err[0] = 0;
    return db->ops->prepare(db, sql);
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
int db_step(struct db_stmt *st) {
    return st->ops->step(st);
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
    return db->ops->exec_script(db, sql);
}
int db_backup_to(struct db *db, const char *path, char *err, size_t errlen) {
    return db->ops->backup_to(db, path, err, errlen);
}
int db_reset_sequences(struct db *db, const char *table) {
    return db->ops->reset_sequences(db, table);
}

/* Identifiers of db_blob_open: lower-case letters, digits and '_' (they are pasted into SQL). */
static int identifier_ok(const char *s) {
    if (!s || !*s || strlen(s) > 63) return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_')) return 0;
    return 1;
}

int db_blob_open(struct db *db, struct db_blob *b, const char *table, const char *column,
                 const char *key_column, const char *key) {
    memset(b, 0, sizeof(*b));
    if (!identifier_ok(table) || !identifier_ok(column) || !identifier_ok(key_column) || !key ||
        strlen(key) >= sizeof b->key) {
        snprintf(db->err, sizeof db->err, "db_blob_open: bad identifier or key");
        return DB_ERROR;
    }
    b->table = table;
    b->column = column;
    b->key_column = key_column;
    snprintf(b->key, sizeof b->key, "%s", key);
    /* length() of a BLOB/bytea is its size in bytes on both engines, read without the value. */
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT length(%s) FROM %s WHERE %s = ?", column, table, key_column);
    struct db_stmt *st = db_prepare(db, sql);
    if (!st) return DB_ERROR;
    db_bind_text(st, 1, key);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        if (db_col_type(st, 0) == DB_T_NULL)
            rc = DB_DONE;
        else
            b->size = db_col_int(st, 0);
    }
    db_done(st);
    b->piece = db->ops->blob_piece(b->size);
    return rc;
}

int64_t db_blob_read(struct db *db, const struct db_blob *b, int64_t offset, void *buf, size_t n) {
    if (offset < 0) return DB_ERROR;
    if (offset >= b->size || n == 0) return 0;
    if ((int64_t)n > b->size - offset) n = (size_t)(b->size - offset);
    return db->ops->blob_read(db, b, offset, buf, n);
}
