/* copy.c — copy a whole installation from one database to another (SQLite → PostgreSQL, or back):
 * every table in dependency order, ids, blobs and the audit log exactly as they are, so the hash
 * chain still verifies on the copy. Each module declares its tables (store/schema.h): a table no
 * module declares stops the copy, so a new migration cannot be forgotten here. */
#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "store/engine.h"
#include "store/schema.h"

#define COPY_TABLES_MAX 512

static int known(const struct copy_table *const *tables, int n, const char *name) {
    for (int i = 0; schema_bookkeeping[i]; i++)
        if (!strcmp(name, schema_bookkeeping[i])) return 1;
    for (int i = 0; i < n; i++)
        if (!strcmp(tables[i]->name, name)) return 1;
    return 0;
}

static int64_t count_rows(struct db *db, const char *table) {
    char sql[128];
    int64_t n = -1;
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s", table);
    db_query_int(db, &n, sql, "");
    return n;
}

/* A paged table's position: the key columns of the last row copied (text or integer). */
struct key_pos {
    int n;               /* key columns (at most 4) */
    int col[4];          /* their indexes in the SELECT * row */
    int is_int[4];       /* integer, else text */
    const char *text[4]; /* values (arena) */
    int64_t num[4];
};

/* "a, b" → the row's columns named a and b. 0 ok. */
static int key_columns(struct db_stmt *src, const char *order, struct key_pos *k) {
    k->n = 0;
    char names[128];
    snprintf(names, sizeof names, "%s", order);
    for (char *save = NULL, *t = strtok_r(names, ", ", &save); t; t = strtok_r(NULL, ", ", &save)) {
        if (k->n == 4) return -1;
        int found = -1;
        for (int i = 0; i < db_col_count(src) && found < 0; i++)
            if (!strcmp(db_col_name(src, i), t)) found = i;
        if (found < 0) return -1;
        k->col[k->n++] = found;
    }
    return k->n ? 0 : -1;
}

static void key_remember(struct db_stmt *src, struct arena *a, struct key_pos *k) {
    for (int i = 0; i < k->n; i++) {
        k->is_int[i] = db_col_type(src, k->col[i]) == DB_T_INT;
        if (k->is_int[i])
            k->num[i] = db_col_int(src, k->col[i]);
        else
            k->text[i] = arena_strdup(a, db_col_text(src, k->col[i]));
    }
}

/* SELECT of the next rows of t: all of them, or for a paged table the `page` rows after *k
 * (the first page when k->n == 0). */
static struct db_stmt *select_rows(struct db *from, struct arena *a, const struct copy_table *t,
                                   const struct key_pos *k) {
    struct buf b;
    buf_init(&b, a, 256);
    buf_printf(&b, "SELECT * FROM %s", t->name);
    if (t->page && k->n) {
        buf_printf(&b, " WHERE (%s) > (", t->order);
        for (int i = 0; i < k->n; i++)
            buf_puts(&b, i ? ", ?" : "?");
        buf_puts(&b, ")");
    }
    buf_printf(&b, " ORDER BY %s", t->order);
    if (t->page) buf_printf(&b, " LIMIT %d", t->page);
    struct db_stmt *st = db_prepare(from, b.data);
    for (int i = 0; st && t->page && i < k->n; i++) {
        if (k->is_int[i])
            db_bind_int(st, i + 1, k->num[i]);
        else
            db_bind_text(st, i + 1, k->text[i]);
    }
    return st;
}

static int copy_table(struct db *from, struct db *to, struct arena *a, const struct copy_table *t,
                      char *err, size_t errlen) {
    char *insert = NULL;
    int rc, ncol = 0, more = 1;
    struct key_pos k = {0};
    while (more) {
        struct db_stmt *src = select_rows(from, a, t, &k);
        if (!src) {
            snprintf(err, errlen, "%s: %s", t->name, db_errmsg(from));
            return -1;
        }
        int rows = 0;
        while ((rc = db_step(src)) == DB_ROW) {
            rows++;
            if (!insert) {
                ncol = db_col_count(src);
                struct buf b;
                buf_init(&b, a, 512);
                buf_printf(&b, "INSERT INTO %s (", t->name);
                for (int i = 0; i < ncol; i++)
                    buf_printf(&b, "%s%s", i ? ", " : "", db_col_name(src, i));
                buf_puts(&b, ") VALUES (");
                for (int i = 0; i < ncol; i++)
                    buf_puts(&b, i ? ", ?" : "?");
                buf_puts(&b, ")");
                insert = b.data;
                if (t->page && key_columns(src, t->order, &k) != 0) {
                    db_done(src);
                    snprintf(err, errlen, "%s: key columns %s not found", t->name, t->order);
                    return -1;
                }
            }
            struct db_stmt *dst = db_prepare(to, insert);
            if (!dst) {
                db_done(src);
                snprintf(err, errlen, "%s: %s", t->name, db_errmsg(to));
                return -1;
            }
            for (int i = 0; i < ncol; i++) {
                size_t n;
                const void *p;
                switch (db_col_type(src, i)) {
                case DB_T_NULL:
                    db_bind_null(dst, i + 1);
                    break;
                case DB_T_INT:
                    db_bind_int(dst, i + 1, db_col_int(src, i));
                    break;
                case DB_T_BLOB:
                    p = db_col_blob(src, i, &n);
                    db_bind_blob(dst, i + 1, p, n);
                    break;
                default:
                    db_bind_text(dst, i + 1, db_col_text(src, i));
                }
            }
            int irc = db_step(dst);
            db_done(dst);
            if (irc != DB_DONE) {
                db_done(src);
                snprintf(err, errlen, "%s: %s", t->name, db_errmsg(to));
                return -1;
            }
            if (t->page) key_remember(src, a, &k);
        }
        db_done(src);
        if (rc != DB_DONE) {
            snprintf(err, errlen, "%s: %s", t->name, db_errmsg(from));
            return -1;
        }
        more = t->page && rows == t->page;
    }
    if (t->identity && db_reset_sequences(to, t->name) != DB_OK) {
        snprintf(err, errlen, "%s: %s", t->name, db_errmsg(to));
        return -1;
    }
    return 0;
}

int db_copy_all(struct db *from, struct db *to, void *report, char *err, size_t errlen) {
    FILE *out = report;
    if (db_schema_version(from) < 1 || !db_schema_same(from, to)) {
        snprintf(err, errlen, "schema versions differ: migrate both first (fazhi migrate)");
        return -1;
    }
    const struct copy_table *tables[COPY_TABLES_MAX];
    int n_tables = schema_copy_tables(tables, COPY_TABLES_MAX);
    struct db_stmt *st = db_prepare(from, from->ops->list_tables_sql);
    while (st && db_step(st) == DB_ROW)
        if (!known(tables, n_tables, db_col_text(st, 0))) {
            snprintf(err, errlen, "table %s is in no module's copy list (store/schema.h)",
                     db_col_text(st, 0));
            db_done(st);
            return -1;
        }
    db_done(st);
    if (count_rows(to, "users") != 0) {
        snprintf(err, errlen, "the target already has accounts; copy into an empty database");
        return -1;
    }
    struct arena *a = arena_new(16384);
    int rc = db_begin(to) == DB_OK ? 0 : -1;
    /* The target was only migrated: clear what migrations and seeding put there (roles,
     * settings, the audit head …), children first; tables already empty are left alone. */
    for (int i = n_tables - 1; rc == 0 && i >= 0; i--) {
        if (count_rows(to, tables[i]->name) == 0) continue;
        char sql[128];
        snprintf(sql, sizeof sql, "DELETE FROM %s", tables[i]->name);
        if (db_exec(to, sql, "") != DB_OK) {
            snprintf(err, errlen, "%s: %s", tables[i]->name, db_errmsg(to));
            rc = -1;
        }
    }
    for (int i = 0; rc == 0 && i < n_tables; i++)
        if (!tables[i]->derived) rc = copy_table(from, to, a, tables[i], err, errlen);
    if (rc == 0 && db_commit(to) != DB_OK) {
        snprintf(err, errlen, "commit: %s", db_errmsg(to));
        rc = -1;
    }
    if (rc != 0) db_rollback(to);
    arena_free(a);
    if (rc != 0) return -1;
    int mismatch = 0;
    if (out) fprintf(out, "%-20s %10s %10s\n", "table", "source", "copy");
    for (int i = 0; i < n_tables; i++) {
        if (tables[i]->derived) continue;
        int64_t s = count_rows(from, tables[i]->name), d = count_rows(to, tables[i]->name);
        if (out)
            fprintf(out, "%-20s %10lld %10lld%s\n", tables[i]->name, (long long)s, (long long)d,
                    s == d ? "" : "  MISMATCH");
        mismatch |= s != d;
    }
    if (mismatch) {
        snprintf(err, errlen, "row counts differ after the copy");
        return -1;
    }
    return 0;
}
