/* db_common.c — engine-neutral helpers built on the db.h primitives. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "base/log.h"
#include "base/timeutil.h"
#include "store/db.h"

static int bind_va(struct db_stmt *st, const char *types, va_list ap) {
    int idx = 1;
    for (const char *t = types ? types : ""; *t; t++, idx++) {
        switch (*t) {
        case 'i':
            db_bind_int(st, idx, va_arg(ap, int64_t));
            break;
        case 's':
            db_bind_text(st, idx, va_arg(ap, const char *));
            break;
        case 'n':
            db_bind_null(st, idx);
            break;
        default:
            return DB_ERROR;
        }
    }
    return DB_OK;
}

int db_exec(struct db *db, const char *sql, const char *types, ...) {
    struct db_stmt *st = db_prepare(db, sql);
    if (!st) return db_lost(db) ? DB_UNAVAILABLE : DB_ERROR;
    va_list ap;
    va_start(ap, types);
    int rc = bind_va(st, types, ap);
    va_end(ap);
    if (rc == DB_OK) {
        rc = db_step(st);
        while (rc == DB_ROW)
            rc = db_step(st);
        if (rc == DB_DONE) rc = DB_OK;
    }
    db_done(st);
    return rc;
}

int db_query_int(struct db *db, int64_t *out, const char *sql, const char *types, ...) {
    struct db_stmt *st = db_prepare(db, sql);
    if (!st) return db_lost(db) ? DB_UNAVAILABLE : DB_ERROR;
    va_list ap;
    va_start(ap, types);
    int rc = bind_va(st, types, ap);
    va_end(ap);
    if (rc == DB_OK) {
        rc = db_step(st);
        if (rc == DB_ROW) *out = db_col_int(st, 0);
    }
    db_done(st);
    return rc;
}

struct db_stmt *db_queryv(struct db *db, const char *sql, const char *types, ...) {
    struct db_stmt *st = db_prepare(db, sql);
    if (!st) return NULL;
    va_list ap;
    va_start(ap, types);
    int rc = bind_va(st, types, ap);
    va_end(ap);
    if (rc != DB_OK) {
        db_done(st);
        return NULL;
    }
    return st;
}

static int is_bool_column(const char *name) {
    return strncmp(name, "is_", 3) == 0 || strcmp(name, "active") == 0 ||
           strcmp(name, "builtin") == 0 || strcmp(name, "locked") == 0 ||
           strcmp(name, "must_change_password") == 0 || strcmp(name, "supervised") == 0;
}

json_t *db_row_json(struct db_stmt *st) {
    json_t *o = json_object();
    int n = db_col_count(st);
    for (int i = 0; i < n; i++) {
        const char *name = db_col_name(st, i);
        json_t *v;
        switch (db_col_type(st, i)) {
        case DB_T_INT:
            v = is_bool_column(name) ? json_boolean(db_col_int(st, i) != 0)
                                     : json_integer(db_col_int(st, i));
            break;
        case DB_T_TEXT:
            v = json_string(db_col_text(st, i));
            break;
        case DB_T_REAL:
            v = json_integer(db_col_int(st, i));
            break;
        case DB_T_BLOB:
            v = json_null();
            break; /* blobs never go out as JSON */
        default:
            v = json_null();
        }
        json_object_set_new(o, name, v ? v : json_null());
    }
    return o;
}

int db_rows_json(struct db_stmt *st, json_t *array) {
    int rc;
    struct arena *a = arena_current(); /* the request being handled, if any */
    while ((rc = db_step(st)) == DB_ROW) {
        json_array_append_new(array, db_row_json(st));
        if (a && arena_exhausted(a)) return DB_ERROR; /* past the request's budget: stop here */
    }
    return rc == DB_DONE ? DB_OK : rc;
}

/* Table names are pasted into SQL: lower-case letters, digits and '_' only (they come from code;
 * anything else is a caller's bug and fails). */
static int table_name_ok(const char *s) {
    if (!s || !*s || strlen(s) > 63) return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_')) return 0;
    return 1;
}

int db_row_exists(struct db *db, const char *table, int64_t id) {
    if (!table_name_ok(table)) {
        log_error("db_row_exists: bad table name");
        return DB_ERROR;
    }
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s WHERE id = ?", table);
    int64_t n = 0;
    int rc = db_query_int(db, &n, sql, "i", id);
    return rc == DB_ROW ? n > 0 : rc < 0 ? rc : DB_ERROR;
}

int db_claim_version(struct db *db, const char *table, int64_t id, int64_t version, int *exists) {
    *exists = 0;
    if (!table_name_ok(table)) {
        log_error("db_claim_version: bad table name");
        return DB_ERROR;
    }
    char sql[160], now[21];
    now_iso(now);
    snprintf(sql, sizeof sql,
             "UPDATE %s SET version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
             table);
    int rc = db_exec(db, sql, "sii", now, id, version);
    if (rc != DB_OK) return rc;
    if (db_changes(db) > 0) return DB_OK;
    rc = db_row_exists(db, table, id);
    if (rc < 0) return rc;
    *exists = rc;
    return DB_DONE;
}

int db_ready(struct db *db) {
    int64_t v = 0;
    int rc = db_query_int(db, &v, "SELECT COUNT(*) FROM module_migrations", "");
    return rc == DB_ROW ? DB_OK : rc < 0 ? rc : DB_ERROR;
}
