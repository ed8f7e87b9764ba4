/* migrate.c — schema migrations as a table, applied in order inside one transaction each.
 * SQL is portable; @ID@ and @BLOB@ are replaced by each engine's type, and a migration may carry
 * engine-specific statements (triggers) in `sqlite` / `postgres`. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/timeutil.h"
#include "store/dataver.h"
#include "store/db.h"
#include "store/engine.h"
#include "store/schema.h"

/* Migrations leave trailing fields out (run): 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#define TIMESTAMPS                                                                                 \
    "created_at TEXT NOT NULL, updated_at TEXT NOT NULL, version BIGINT NOT NULL DEFAULT 1"

/* Migration 10: the triggers of the data versions (store/dataver.h).
 *   auth     — what a signed-in principal is made of (auth/session.c): a session ended or
 *              changed, a user's name, unit, role, password or lock, a role or its
 *              permissions, a unit's name or place. Logins (new sessions), last_seen_at moving
 *              on and last_login_at bump nothing: no cached principal depends on them.
 *   org      — units (names and places shown beside counts).
 *   settings — settings and the working-day calendar (deadlines and lights follow both).
 *   tasks    — the 督办 register: tasks, their units, urgings and tags. */
// clang-format off
#define DATA_VERSIONS_SQLITE                                                                       \
    DV_SQLITE_UPDATE_OF("users", "auth", "username, display_name, unit_id, role_id, "              \
                        "password_hash, must_change_password, locked")                             \
    DV_SQLITE_DELETE("users", "auth")                                                              \
    DV_SQLITE_UPDATE("roles", "auth")                                                              \
    DV_SQLITE_DELETE("roles", "auth")                                                              \
    DV_SQLITE_ALL("role_permissions", "auth")                                                      \
    DV_SQLITE_UPDATE_OF("sessions", "auth", "token_hash, user_id, csrf_token, created_at")         \
    DV_SQLITE_DELETE("sessions", "auth")                                                           \
    /* last_seen_at moved back (by hand) may make a cached session idle: look again */             \
    "CREATE TRIGGER IF NOT EXISTS dv_sessions_auth_seen AFTER UPDATE OF last_seen_at ON sessions"  \
    " WHEN NEW.last_seen_at < OLD.last_seen_at" DV_SQLITE_BUMP("auth")                             \
    DV_SQLITE_UPDATE("units", "auth")                                                              \
    DV_SQLITE_DELETE("units", "auth")                                                              \
    DV_SQLITE_ALL("units", "org")                                                                  \
    DV_SQLITE_ALL("settings", "settings")                                                          \
    DV_SQLITE_ALL("calendar_days", "settings")                                                     \
    DV_SQLITE_ALL("tasks", "tasks")                                                                \
    DV_SQLITE_ALL("task_units", "tasks")                                                           \
    DV_SQLITE_ALL("task_urgings", "tasks")                                                         \
    DV_SQLITE_ALL("task_tags", "tasks")
/* Once per transaction and name (a transaction-local mark), into the backend's own row. */
#define DATA_VERSIONS_POSTGRES                                                                     \
    "CREATE FUNCTION data_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$"                   \
    " DECLARE mark TEXT := 'fazhi.dv_' || TG_ARGV[0];"                                             \
    " BEGIN"                                                                                       \
    "  IF current_setting(mark, true) IS DISTINCT FROM txid_current()::text THEN"                  \
    "   PERFORM set_config(mark, txid_current()::text, true);"                                     \
    "   INSERT INTO data_versions (name, slot, version) VALUES (TG_ARGV[0], pg_backend_pid(), 1)"  \
    "    ON CONFLICT (name, slot) DO UPDATE SET version = data_versions.version + 1;"              \
    "  END IF;"                                                                                    \
    "  RETURN NULL;"                                                                               \
    " END $$;"                                                                                     \
    DV_PG("users", "auth", "UPDATE OF username, display_name, unit_id, role_id, password_hash, "   \
                           "must_change_password, locked OR DELETE OR TRUNCATE")                   \
    DV_PG("roles", "auth", "UPDATE OR DELETE OR TRUNCATE")                                         \
    DV_PG_ALL("role_permissions", "auth")                                                          \
    DV_PG("sessions", "auth", "UPDATE OF token_hash, user_id, csrf_token, created_at "             \
                              "OR DELETE OR TRUNCATE")                                             \
    "CREATE TRIGGER dv_sessions_auth_seen AFTER UPDATE OF last_seen_at ON sessions FOR EACH ROW"   \
    " WHEN (NEW.last_seen_at < OLD.last_seen_at) EXECUTE FUNCTION data_version_bump('auth');"      \
    DV_PG("units", "auth", "UPDATE OR DELETE OR TRUNCATE")                                         \
    DV_PG_ALL("units", "org")                                                                      \
    DV_PG_ALL("settings", "settings")                                                              \
    DV_PG_ALL("calendar_days", "settings")                                                         \
    DV_PG_ALL("tasks", "tasks")                                                                    \
    DV_PG_ALL("task_units", "tasks")                                                               \
    DV_PG_ALL("task_urgings", "tasks")                                                             \
    DV_PG_ALL("task_tags", "tasks")
// clang-format on

/* The core schema: what was made before modules declared their own (module "core"). */
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
    {2, "督办: calendar, files, documents, tasks, timeline, notifications, jobs",
     "ALTER TABLE users ADD COLUMN email TEXT NOT NULL DEFAULT '';"
     "CREATE TABLE calendar_days ("
     " day TEXT PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL DEFAULT '', " TIMESTAMPS ");"
     "CREATE TABLE file_blobs ("
     " sha256 TEXT PRIMARY KEY, size BIGINT NOT NULL, content @BLOB@ NOT NULL,"
     " created_at TEXT NOT NULL);"
     "CREATE TABLE attachments ("
     " id @ID@, sha256 TEXT NOT NULL REFERENCES file_blobs(sha256), name TEXT NOT NULL,"
     " size BIGINT NOT NULL, mime TEXT NOT NULL, owner_type TEXT, owner_id BIGINT,"
     " uploaded_by BIGINT NOT NULL REFERENCES users(id), created_at TEXT NOT NULL);"
     "CREATE INDEX attachments_owner ON attachments(owner_type, owner_id);"
     "CREATE INDEX attachments_sha ON attachments(sha256);"
     "CREATE TABLE documents ("
     " id @ID@, doc_no TEXT NOT NULL DEFAULT '', title TEXT NOT NULL, issuer TEXT NOT NULL DEFAULT "
     "'',"
     " issued_on TEXT, kind TEXT NOT NULL, summary TEXT NOT NULL DEFAULT '',"
     " created_by BIGINT REFERENCES users(id), " TIMESTAMPS ");"
     "CREATE TABLE tasks ("
     " id @ID@, document_id BIGINT REFERENCES documents(id), parent_id BIGINT REFERENCES tasks(id),"
     " path TEXT NOT NULL, title TEXT NOT NULL, content TEXT NOT NULL DEFAULT '',"
     " category TEXT NOT NULL DEFAULT '', lead_unit_id BIGINT NOT NULL REFERENCES units(id),"
     " responsible TEXT NOT NULL DEFAULT '', start_on TEXT, due_on TEXT NOT NULL,"
     " rhythm TEXT NOT NULL DEFAULT 'none', custom_dates TEXT NOT NULL DEFAULT '',"
     " report_due_on TEXT, priority TEXT NOT NULL DEFAULT 'normal',"
     " supervised BIGINT NOT NULL DEFAULT 0, status TEXT NOT NULL DEFAULT 'draft',"
     " progress BIGINT NOT NULL DEFAULT 0, issued_at TEXT, closed_at TEXT,"
     " created_by BIGINT REFERENCES users(id), " TIMESTAMPS ");"
     "CREATE INDEX tasks_lead ON tasks(lead_unit_id, status);"
     "CREATE INDEX tasks_due ON tasks(status, due_on);"
     "CREATE INDEX tasks_parent ON tasks(parent_id);"
     "CREATE INDEX tasks_document ON tasks(document_id);"
     "CREATE TABLE task_units ("
     " task_id BIGINT NOT NULL REFERENCES tasks(id), unit_id BIGINT NOT NULL REFERENCES units(id),"
     " role TEXT NOT NULL, acknowledged_at TEXT, acknowledged_by BIGINT REFERENCES users(id),"
     " PRIMARY KEY (task_id, unit_id));"
     "CREATE INDEX task_units_unit ON task_units(unit_id, task_id);"
     "CREATE TABLE task_tags ("
     " task_id BIGINT NOT NULL REFERENCES tasks(id), tag TEXT NOT NULL, PRIMARY KEY (task_id, "
     "tag));"
     "CREATE INDEX task_tags_tag ON task_tags(tag);"
     "CREATE TABLE task_milestones ("
     " id @ID@, task_id BIGINT NOT NULL REFERENCES tasks(id), title TEXT NOT NULL,"
     " due_on TEXT NOT NULL, done_on TEXT, sort_order BIGINT NOT NULL DEFAULT 0);"
     "CREATE INDEX task_milestones_task ON task_milestones(task_id);"
     "CREATE TABLE task_events ("
     " id @ID@, task_id BIGINT NOT NULL REFERENCES tasks(id), at TEXT NOT NULL,"
     " actor_id BIGINT REFERENCES users(id), actor_name TEXT NOT NULL, unit_id BIGINT,"
     " action TEXT NOT NULL, note TEXT NOT NULL DEFAULT '', progress BIGINT,"
     " detail TEXT NOT NULL DEFAULT '');"
     "CREATE INDEX task_events_task ON task_events(task_id, id);"
     "CREATE TABLE task_extensions ("
     " id @ID@, task_id BIGINT NOT NULL REFERENCES tasks(id), unit_id BIGINT NOT NULL,"
     " requested_by BIGINT NOT NULL, reason TEXT NOT NULL, old_due_on TEXT NOT NULL,"
     " new_due_on TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'pending', decided_by BIGINT,"
     " decided_at TEXT, decision_note TEXT NOT NULL DEFAULT '', created_at TEXT NOT NULL);"
     "CREATE INDEX task_extensions_task ON task_extensions(task_id);"
     "CREATE TABLE task_urgings ("
     " id @ID@, task_id BIGINT NOT NULL REFERENCES tasks(id), unit_id BIGINT NOT NULL,"
     " content TEXT NOT NULL, reply_due_on TEXT NOT NULL, replied_at TEXT,"
     " reply TEXT NOT NULL DEFAULT '', replied_by BIGINT, created_by BIGINT NOT NULL,"
     " created_at TEXT NOT NULL);"
     "CREATE INDEX task_urgings_task ON task_urgings(task_id);"
     "CREATE TABLE notifications ("
     " id @ID@, user_id BIGINT NOT NULL REFERENCES users(id), kind TEXT NOT NULL,"
     " title TEXT NOT NULL, body TEXT NOT NULL DEFAULT '', link TEXT NOT NULL DEFAULT '',"
     " task_id BIGINT, dedup_key TEXT UNIQUE, created_at TEXT NOT NULL, read_at TEXT);"
     "CREATE INDEX notifications_user ON notifications(user_id, read_at);"
     "CREATE TABLE deliveries ("
     " id @ID@, notification_id BIGINT REFERENCES notifications(id), channel TEXT NOT NULL,"
     " target TEXT NOT NULL, payload TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'pending',"
     " attempts BIGINT NOT NULL DEFAULT 0, next_attempt_at BIGINT NOT NULL,"
     " last_error TEXT NOT NULL DEFAULT '', created_at TEXT NOT NULL, sent_at TEXT);"
     "CREATE INDEX deliveries_due ON deliveries(status, next_attempt_at);"
     "CREATE TABLE job_runs ("
     " job TEXT NOT NULL, run_key TEXT NOT NULL, holder TEXT NOT NULL, started_at TEXT NOT NULL,"
     " finished_at TEXT, result TEXT NOT NULL DEFAULT '', PRIMARY KEY (job, run_key));"
     /* Existing installations: the built-in roles gain the new permissions. */
     "INSERT INTO role_permissions (role_id, permission) SELECT id, 'calendar.manage' FROM roles "
     "WHERE code = 'sysadmin';"
     "INSERT INTO role_permissions (role_id, permission) SELECT id, 'notify.manage' FROM roles "
     "WHERE code = 'sysadmin';"
     "INSERT INTO role_permissions (role_id, permission) SELECT id, 'task.read' FROM roles WHERE "
     "code = 'office';"
     "INSERT INTO role_permissions (role_id, permission) SELECT id, 'task.manage' FROM roles WHERE "
     "code = 'office';"
     "INSERT INTO role_permissions (role_id, permission) SELECT id, 'task.work' FROM roles WHERE "
     "code = 'office';"
     "INSERT INTO role_permissions (role_id, permission) SELECT id, 'file.upload' FROM roles WHERE "
     "code = 'office';"
     "INSERT INTO role_permissions (role_id, permission) SELECT id, 'task.read' FROM roles WHERE "
     "code = 'leader';"
     "INSERT INTO role_permissions (role_id, permission) SELECT id, 'task.read' FROM roles WHERE "
     "code = 'reviewer';"
     "INSERT INTO role_permissions (role_id, permission) SELECT id, 'task.read' FROM roles WHERE "
     "code = 'inspector';"
     "INSERT INTO role_permissions (role_id, permission) SELECT id, 'task.read' FROM roles WHERE "
     "code = 'clerk';"
     "INSERT INTO role_permissions (role_id, permission) SELECT id, 'task.work' FROM roles WHERE "
     "code = 'clerk';"
     "INSERT INTO role_permissions (role_id, permission) SELECT id, 'file.upload' FROM roles WHERE "
     "code = 'clerk';",
     NULL, NULL},
    {3, "task lists ordered by due date read the index instead of sorting",
     "CREATE INDEX tasks_due_on ON tasks(due_on);", NULL, NULL},
    /* The dashboard counts (GET /api/v1/tasks/stats) read every task's light inputs: with this
     * covering index they scan 200,000 narrow entries instead of the wide task rows (province
     * data set, one connection: p95 937 → 357 ms; docs/performance.md). */
    {4, "dashboard counts read a covering index of the light's inputs",
     "CREATE INDEX tasks_light ON tasks(lead_unit_id, status, due_on, report_due_on);", NULL, NULL},
    {5, "district-wide light counts read index ranges (status, due date, report date)",
     "CREATE INDEX tasks_status_due ON tasks(status, due_on, report_due_on, lead_unit_id);"
     "DROP INDEX tasks_due;",
     NULL, NULL},
    /* Sign-in counters per address, per account and address, per made-up name and address
     * (src/auth/throttle.c), deleted once spent. The old per-name counts are dropped: at worst a
     * lockout in progress ends early. */
    {6, "sign-in throttle: counters by address, by account and address, by unknown name",
     "DROP TABLE login_throttle;"
     "CREATE TABLE login_throttle ("
     " key TEXT PRIMARY KEY, user_id BIGINT REFERENCES users(id) ON DELETE CASCADE,"
     " failures BIGINT NOT NULL, window_start BIGINT NOT NULL,"
     " locked_until BIGINT NOT NULL DEFAULT 0, ip TEXT NOT NULL DEFAULT '');"
     "CREATE INDEX login_throttle_user ON login_throttle(user_id);"
     "CREATE INDEX login_throttle_window ON login_throttle(window_start);",
     NULL, NULL},
    /* Daily jobs run in short batches (src/app/jobs.c): a run is leased to one server until
     * lease_until (renewed every batch, taken over when it expires), `state` is where the next
     * batch starts, `attempts` counts take-overs. The reminder job finds report dates and
     * urging reply dates by range. */
    {7, "daily jobs in batches: lease, progress and attempts; reminder date ranges indexed",
     "ALTER TABLE job_runs ADD COLUMN lease_until BIGINT NOT NULL DEFAULT 0;"
     "ALTER TABLE job_runs ADD COLUMN state TEXT NOT NULL DEFAULT '';"
     "ALTER TABLE job_runs ADD COLUMN attempts BIGINT NOT NULL DEFAULT 1;"
     "CREATE INDEX tasks_status_report ON tasks(status, report_due_on);"
     "CREATE INDEX task_urgings_reply_due ON task_urgings(reply_due_on);",
     NULL, NULL},
    /* Until now a robot's refusal kept its errmsg ("errcode 93000: …"): whatever an internal
     * service answered was readable in the outbox. Keep only what deliveries keep now. */
    {8, "deliveries keep no answer text from a webhook",
     "UPDATE deliveries SET last_error = 'HTTP 200: the robot refused the message (errcode is not "
     "0)' WHERE channel = 'webhook' AND last_error LIKE 'errcode %';",
     NULL, NULL},
    /* Attachments were one value each: an upload bound the whole file (memory: the file, twice)
     * and SQLite read a piece of a large value by walking its overflow pages from the start.
     * Now their content is a row per 1 MiB (FILES_CHUNK in features/files/files.h; the
     * statement below repeats the size), written and read one at a time. The group robot hears
     * of an event once: deliveries may carry the event's key (features/notify/notify.h). */
    {9, "attachments stored in 1 MiB chunks; a webhook delivery is queued once per event",
     "CREATE TABLE file_chunks ("
     " sha256 TEXT NOT NULL REFERENCES file_blobs(sha256) ON DELETE CASCADE, seq BIGINT NOT NULL,"
     " data @BLOB@ NOT NULL, PRIMARY KEY (sha256, seq));"
     "INSERT INTO file_chunks (sha256, seq, data) "
     "WITH RECURSIVE n(seq) AS (SELECT 0 UNION ALL SELECT seq + 1 FROM n "
     " WHERE (seq + 1) * 1048576 < (SELECT COALESCE(MAX(size), 0) FROM file_blobs)) "
     "SELECT b.sha256, n.seq, substr(b.content, CAST(n.seq * 1048576 + 1 AS INTEGER), 1048576) "
     "FROM file_blobs b JOIN n ON n.seq * 1048576 < b.size;"
     "ALTER TABLE file_blobs DROP COLUMN content;"
     "ALTER TABLE deliveries ADD COLUMN dedup_key TEXT;"
     "CREATE UNIQUE INDEX deliveries_dedup ON deliveries(dedup_key);",
     NULL, NULL},
    /* Data versions (store/dataver.h): see DATA_VERSIONS_SQLITE above. */
    {10, "data versions: counters bumped by triggers, read by every server's caches",
     "CREATE TABLE IF NOT EXISTS data_versions ("
     " name TEXT NOT NULL, slot BIGINT NOT NULL, version BIGINT NOT NULL,"
     " PRIMARY KEY (name, slot));"
     "INSERT INTO data_versions (name, slot, version) VALUES ('auth', 0, 0), ('org', 0, 0),"
     " ('settings', 0, 0), ('tasks', 0, 0) ON CONFLICT (name, slot) DO NOTHING;",
     DATA_VERSIONS_SQLITE, DATA_VERSIONS_POSTGRES},
    /* The sign-in log (src/auth/loginlog.c): every attempt, sign-out and session end, kept
     * login.log_days (the security module's daily job deletes older rows); the captchas a
     * sign-in after repeated failures must answer (src/auth/captcha.c), single use, minutes
     * long. Written by src/auth like sessions and login_throttle, hence core. */
    {11, "sign-in log and captchas",
     "CREATE TABLE login_log ("
     " id @ID@, at TEXT NOT NULL, username TEXT NOT NULL, user_id BIGINT,"
     " ip TEXT NOT NULL DEFAULT '', user_agent TEXT NOT NULL DEFAULT '', result TEXT NOT NULL);"
     "CREATE INDEX login_log_at ON login_log(at);"
     "CREATE INDEX login_log_username ON login_log(username, at);"
     "CREATE INDEX login_log_ip ON login_log(ip, at);"
     "CREATE TABLE captchas ("
     " id TEXT PRIMARY KEY, answer_hash TEXT NOT NULL, ip TEXT NOT NULL,"
     " expires_at BIGINT NOT NULL);"
     "CREATE INDEX captchas_ip ON captchas(ip);"
     "CREATE INDEX captchas_expires ON captchas(expires_at);",
     NULL, NULL},
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

/* ---- the registry of module schemas ---- */

struct schema_module {
    const char *name;
    const struct migration *m;
    int n;
    const struct copy_table *t;
    int n_tables;
};
static struct schema_module modules[SCHEMA_MODULES_MAX];
static int n_modules;

/* Tables the migrator keeps for itself: not copied, never unknown. */
/* Not copied by `fazhi migrate`: the migrator's own tables, and the data versions (a copy
 * starts its own counters). */
const char *const schema_bookkeeping[] = {"schema_migrations", "module_migrations", "data_versions",
                                          NULL};

/* Rows leave `page` out unless their rows are big: 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
static const struct copy_table core_tables[] = {
    {"units", "length(path), id", 1},
    {"roles", "id", 1},
    {"role_permissions", "role_id, permission", 0},
    {"users", "id", 1},
    {"people", "id", 1},
    {"login_throttle", "key", 0},
    {"sessions", "id", 1},
    {"login_log", "id", 1},
    {"captchas", "id", 0},
    {"settings", "key", 0},
    {"audit_head", "id", 0},
    {"audit_log", "seq", 0},
    {"calendar_days", "day", 0},
    {"file_blobs", "sha256", 0},
    {"file_chunks", "sha256, seq", 0, 8}, /* 1 MiB rows: 8 MiB per SELECT */
    {"documents", "id", 1},
    {"tasks", "length(path), id", 1},
    {"task_units", "task_id, unit_id", 0},
    {"task_tags", "task_id, tag", 0},
    {"task_milestones", "id", 1},
    {"task_events", "id", 1},
    {"task_extensions", "id", 1},
    {"task_urgings", "id", 1},
    {"attachments", "id", 1},
    {"notifications", "id", 1},
    {"deliveries", "id", 1},
    {"job_runs", "job, run_key", 0},
};

int schema_register(const char *module, const struct migration *m, int n_migrations,
                    const struct copy_table *t, int n_tables, char *err, size_t errlen) {
    if (n_modules == 0 && strcmp(module, "core") != 0 &&
        schema_register("core", migrations, (int)N_MIGRATIONS, core_tables,
                        (int)(sizeof core_tables / sizeof core_tables[0]), err, errlen) != 0)
        return -1;
    for (int i = 0; i < n_modules; i++)
        if (!strcmp(modules[i].name, module)) {
            snprintf(err, errlen, "module %s registers its schema twice", module);
            return -1;
        }
    if (n_modules >= SCHEMA_MODULES_MAX) {
        snprintf(err, errlen, "more than %d modules", SCHEMA_MODULES_MAX);
        return -1;
    }
    for (int i = 0; i < n_migrations; i++)
        if (m[i].version != i + 1) {
            snprintf(err, errlen, "module %s: migration %d should be version %d", module,
                     m[i].version, i + 1);
            return -1;
        }
    modules[n_modules++] = (struct schema_module){module, m, n_migrations, t, n_tables};
    return 0;
}

static void register_core(void) {
    char err[200];
    if (n_modules == 0)
        schema_register("core", migrations, (int)N_MIGRATIONS, core_tables,
                        (int)(sizeof core_tables / sizeof core_tables[0]), err, sizeof err);
}

int schema_copy_tables(const struct copy_table **out, int max) {
    register_core();
    int n = 0;
    for (int i = 0; i < n_modules; i++)
        for (int j = 0; j < modules[i].n_tables && n < max; j++)
            out[n++] = &modules[i].t[j];
    return n;
}

static int table_exists(struct db *db, const char *name) {
    int64_t n = 0;
    if (db_query_int(db, &n, db->ops->table_exists_sql, "s", name) != DB_ROW) return -1;
    return n > 0;
}

/* module_migrations, made the first time (and filled from the single-sequence table of the
 * versions before modules: those were the core's). Look before creating: the application's
 * role on PostgreSQL may not create tables. */
static int bookkeeping_ready(struct db *db) {
    int have = table_exists(db, "module_migrations");
    if (have != 0) return have < 0 ? DB_ERROR : DB_OK;
    int legacy = table_exists(db, "schema_migrations");
    if (legacy < 0) return DB_ERROR;
    int rc = db_begin(db);
    if (rc == DB_OK)
        rc = db_exec_script(db, "CREATE TABLE module_migrations ("
                                " module TEXT NOT NULL, version BIGINT NOT NULL,"
                                " name TEXT NOT NULL, applied_at TEXT NOT NULL,"
                                " PRIMARY KEY (module, version))");
    if (rc == DB_OK && legacy)
        rc = db_exec(db,
                     "INSERT INTO module_migrations (module, version, name, applied_at) "
                     "SELECT 'core', version, name, applied_at FROM schema_migrations",
                     "");
    if (rc == DB_OK) return db_commit(db);
    fprintf(stderr, "fazhi: cannot create the migrations table: %s\n", db_errmsg(db));
    db_rollback(db);
    return rc;
}

int db_module_version(struct db *db, const char *module) {
    int64_t v = 0;
    int have = table_exists(db, "module_migrations");
    if (have < 0) return -1;
    if (!have) { /* before modules: the single sequence was the core's */
        if (strcmp(module, "core") != 0) return 0;
        int legacy = table_exists(db, "schema_migrations");
        if (legacy <= 0) return legacy;
        return db_query_int(db, &v, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
                            "") == DB_ROW
                   ? (int)v
                   : -1;
    }
    return db_query_int(db, &v,
                        "SELECT COALESCE(MAX(version), 0) FROM module_migrations WHERE module = ?",
                        "s", module) == DB_ROW
               ? (int)v
               : -1;
}

int db_schema_version(struct db *db) {
    return db_module_version(db, "core");
}

int db_schema_current(struct db *db) {
    register_core();
    for (int i = 0; i < n_modules; i++)
        if (db_module_version(db, modules[i].name) != modules[i].n) return 0;
    return 1;
}

int db_schema_same(struct db *a, struct db *b) {
    register_core();
    for (int i = 0; i < n_modules; i++) {
        int va = db_module_version(a, modules[i].name), vb = db_module_version(b, modules[i].name);
        if (va < 0 || va != vb) return 0;
    }
    return 1;
}

static int apply(struct db *db, const char *module, const struct migration *m) {
    struct arena *a = arena_new(16384);
    int rc = db_begin(db);
    if (rc == DB_OK && m->run) rc = m->run(db);
    /* a migration may be engine-specific statements only (sql NULL or "") */
    if (rc == DB_OK && m->sql && *m->sql) rc = db_exec_script(db, expand(db, a, m->sql));
    const char *extra = db_engine(db) == DB_SQLITE ? m->sqlite : m->postgres;
    if (rc == DB_OK && extra) rc = db_exec_script(db, extra);
    char ts[21];
    now_iso(ts);
    if (rc == DB_OK)
        rc = db_exec(db,
                     "INSERT INTO module_migrations (module, version, name, applied_at) "
                     "VALUES (?, ?, ?, ?)",
                     "siss", module, (int64_t)m->version, m->name, ts);
    if (rc == DB_OK)
        rc = db_commit(db);
    else
        db_rollback(db);
    arena_free(a);
    if (rc != DB_OK)
        fprintf(stderr, "migration %s %d (%s) failed: %s\n", module, m->version, m->name,
                db_errmsg(db));
    return rc;
}

int db_migrate(struct db *db, int *applied) {
    return db_migrate_to(db, INT_MAX, applied);
}

int db_migrate_to(struct db *db, int last, int *applied) {
    *applied = 0;
    register_core();
    if (bookkeeping_ready(db) != DB_OK) return DB_ERROR;
    for (int i = 0; i < n_modules; i++) {
        int current = db_module_version(db, modules[i].name);
        if (current < 0) return DB_ERROR;
        /* `last` stops the core schema at that version (a staged upgrade, or an old schema made
         * for a test); the other modules follow only a complete core. */
        int upto = modules[i].n;
        if (i == 0 && last < upto) upto = last;
        if (i > 0 && last < modules[0].n) break;
        for (int j = current; j < upto; j++) {
            int rc = apply(db, modules[i].name, &modules[i].m[j]);
            if (rc != DB_OK) return rc;
            (*applied)++;
        }
    }
    return DB_OK;
}
