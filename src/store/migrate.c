/* migrate.c — schema migrations as a table, applied in order inside one transaction each.
 * SQL is portable; @ID@ and @BLOB@ are replaced by each engine's type, and a migration may carry
 * engine-specific statements (triggers) in `sqlite` / `postgres`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/timeutil.h"
#include "store/db.h"
#include "store/engine.h"

struct migration {
    int version;          /* strictly increasing */
    const char *name;     /* what it does */
    const char *sql;      /* portable statements */
    const char *sqlite;   /* SQLite-only statements, or NULL */
    const char *postgres; /* PostgreSQL-only statements, or NULL */
};

#define TIMESTAMPS                                                                                 \
    "created_at TEXT NOT NULL, updated_at TEXT NOT NULL, version BIGINT NOT NULL DEFAULT 1"

static const struct migration migrations[] = {
    {1, "foundation: units, people, roles, users, sessions, settings, audit log",
     "CREATE TABLE units ("
     " id @ID@, code TEXT NOT NULL UNIQUE, name TEXT NOT NULL, short_name TEXT NOT NULL DEFAULT '',"
     " kind TEXT NOT NULL, parent_id BIGINT REFERENCES units(id), path TEXT NOT NULL,"
     " sort_order BIGINT NOT NULL DEFAULT 0, active BIGINT NOT NULL DEFAULT 1, " TIMESTAMPS ");"
     "CREATE INDEX units_parent ON units(parent_id);"
     "CREATE INDEX units_path ON units(path);"
     "CREATE TABLE people ("
     " id @ID@, unit_id BIGINT NOT NULL REFERENCES units(id), name TEXT NOT NULL,"
     " position TEXT NOT NULL DEFAULT '', phone_enc TEXT, phone_masked TEXT NOT NULL DEFAULT '',"
     " is_first_responsible BIGINT NOT NULL DEFAULT 0, is_liaison BIGINT NOT NULL DEFAULT 0,"
     " sort_order BIGINT NOT NULL DEFAULT 0, active BIGINT NOT NULL DEFAULT 1, " TIMESTAMPS ");"
     "CREATE INDEX people_unit ON people(unit_id);"
     "CREATE TABLE roles ("
     " id @ID@, code TEXT NOT NULL UNIQUE, name TEXT NOT NULL, name_en TEXT NOT NULL DEFAULT '',"
     " scope TEXT NOT NULL, builtin BIGINT NOT NULL DEFAULT 0, " TIMESTAMPS ");"
     "CREATE TABLE role_permissions ("
     " role_id BIGINT NOT NULL REFERENCES roles(id) ON DELETE CASCADE, permission TEXT NOT NULL,"
     " PRIMARY KEY (role_id, permission));"
     "CREATE TABLE users ("
     " id @ID@, username TEXT NOT NULL UNIQUE, display_name TEXT NOT NULL,"
     " unit_id BIGINT NOT NULL REFERENCES units(id), role_id BIGINT REFERENCES roles(id),"
     " password_hash TEXT NOT NULL, must_change_password BIGINT NOT NULL DEFAULT 1,"
     " locked BIGINT NOT NULL DEFAULT 0, last_login_at TEXT, password_changed_at TEXT, " TIMESTAMPS
     ");"
     "CREATE INDEX users_unit ON users(unit_id);"
     "CREATE TABLE login_throttle ("
     " username TEXT PRIMARY KEY, failures BIGINT NOT NULL DEFAULT 0,"
     " locked_until BIGINT NOT NULL DEFAULT 0);"
     "CREATE TABLE sessions ("
     " id @ID@, token_hash TEXT NOT NULL UNIQUE,"
     " user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE, csrf_token TEXT NOT NULL,"
     " created_at BIGINT NOT NULL, last_seen_at BIGINT NOT NULL, ip TEXT NOT NULL DEFAULT '',"
     " user_agent TEXT NOT NULL DEFAULT '');"
     "CREATE INDEX sessions_user ON sessions(user_id);"
     "CREATE TABLE settings ("
     " key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT NULL,"
     " version BIGINT NOT NULL DEFAULT 1);"
     "CREATE TABLE audit_log ("
     " seq BIGINT PRIMARY KEY, ts TEXT NOT NULL, actor_id BIGINT, actor TEXT NOT NULL,"
     " role TEXT NOT NULL, unit_id BIGINT, ip TEXT NOT NULL, request_id TEXT NOT NULL,"
     " action TEXT NOT NULL, object_type TEXT NOT NULL, object_id TEXT NOT NULL,"
     " result TEXT NOT NULL, detail TEXT NOT NULL, hash_alg TEXT NOT NULL,"
     " prev_hash TEXT NOT NULL, hash TEXT NOT NULL);"
     "CREATE INDEX audit_log_ts ON audit_log(ts);"
     "CREATE INDEX audit_log_action ON audit_log(action);"
     "CREATE INDEX audit_log_actor ON audit_log(actor);"
     "CREATE TABLE audit_head ("
     " id BIGINT PRIMARY KEY CHECK (id = 1), seq BIGINT NOT NULL, hash TEXT NOT NULL);"
     "INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, "
     "'0000000000000000000000000000000000000000000000000000000000000000');",
     /* The audit log is append-only: the database itself refuses UPDATE and DELETE. */
     "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log"
     " BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;"
     "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log"
     " BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;",
     "CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$"
     " BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$;"
     "CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log"
     " FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();"},
};

#define N_MIGRATIONS (sizeof migrations / sizeof migrations[0])

static char *expand(struct db *db, struct arena *a, const char *sql) {
    struct buf b;
    buf_init(&b, a, strlen(sql) + 256);
    for (const char *p = sql; *p;) {
        if (*p == '@') {
            const char *end = strchr(p + 1, '@');
            if (end && end - p < 16) {
                char tok[16];
                memcpy(tok, p + 1, (size_t)(end - p - 1));
                tok[end - p - 1] = 0;
                const char *t = db_engine_type(db, tok);
                if (t) {
                    buf_puts(&b, t);
                    p = end + 1;
                    continue;
                }
            }
        }
        buf_add(&b, p, 1);
        p++;
    }
    return b.data;
}

int db_schema_version(struct db *db) {
    int64_t v = 0;
    if (db_exec_script(db, "CREATE TABLE IF NOT EXISTS schema_migrations ("
                           " version BIGINT PRIMARY KEY, name TEXT NOT NULL,"
                           " applied_at TEXT NOT NULL)") != DB_OK)
        return -1;
    int rc = db_query_int(db, &v, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", "");
    return rc == DB_ROW ? (int)v : -1;
}

int db_migrate(struct db *db, int *applied) {
    *applied = 0;
    int current = db_schema_version(db);
    if (current < 0) return DB_ERROR;
    for (size_t i = 0; i < N_MIGRATIONS; i++) {
        const struct migration *m = &migrations[i];
        if (m->version <= current) continue;
        struct arena *a = arena_new(16384);
        int rc = db_begin(db);
        if (rc == DB_OK) rc = db_exec_script(db, expand(db, a, m->sql));
        const char *extra = db_engine(db) == DB_SQLITE ? m->sqlite : m->postgres;
        if (rc == DB_OK && extra) rc = db_exec_script(db, extra);
        char ts[21];
        now_iso(ts);
        if (rc == DB_OK)
            rc = db_exec(db, "INSERT INTO schema_migrations (version, name, applied_at) "
                             "VALUES (?, ?, ?)",
                         "iss", (int64_t)m->version, m->name, ts);
        if (rc == DB_OK) rc = db_commit(db);
        else db_rollback(db);
        arena_free(a);
        if (rc != DB_OK) {
            fprintf(stderr, "migration %d (%s) failed: %s\n", m->version, m->name, db_errmsg(db));
            return rc;
        }
        (*applied)++;
    }
    return DB_OK;
}
