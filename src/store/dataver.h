/* dataver.h — data versions: named counters that tell every server's caches that what they hold
 * may be out of date.
 *
 * A name ("auth", "org", "tasks", "settings", …) covers a few tables. Triggers on those tables
 * bump the name's counter in table data_versions inside the writing transaction, whoever writes:
 * a handler, a job, `fazhi user lock` from the shell, another server, psql. Nothing in C has to
 * remember to bump, so no write path can be forgotten; a migration adds the triggers of a new
 * table with the DV_* macros below (see docs/ARCHITECTURE.md, "Data versions and caches").
 *
 * A reader takes the versions of the names it depends on *before* it reads the data, and labels
 * what it computed with them (store/cache.h): the label is never newer than the data, so an
 * entry whose label is still current is still right.
 *
 * Each process reads all counters with one query at most once per DV_CHECK_SECONDS, and again
 * at once after one of its own connections committed a write (a user sees their own change on
 * the server that made it); a change made anywhere else is seen within DV_CHECK_SECONDS.
 *
 * Storage: rows (name, slot, version); a name's version is the SUM over its slots. SQLite has
 * one writer at a time and bumps slot 0 in every row trigger. On PostgreSQL a statement trigger
 * bumps the backend's own row (slot = pg_backend_pid()) once per transaction, so concurrent
 * writers never wait for each other on a counter and cannot deadlock on one; rows of backends
 * that have gone are folded into slot 0 by dv_compact (the sum does not change). */
#ifndef FAZHI_DATAVER_H
#define FAZHI_DATAVER_H

#include <stdint.h>

#include "store/db.h"

#define DV_CHECK_SECONDS 1.0 /* how stale a process's view of the counters may be */
#define DV_NAMES_MAX     32  /* names one installation may have */
#define DV_NAME_MAX      32  /* bytes of a name, with its NUL */

/* The current versions of names[0..n-1] into out (a name nobody bumped yet is 0). They never
 * go down within a process (a sum that fell — another database, a restore — is answered as one
 * more than before). DB_OK, or < 0 when the counters cannot be read: then nothing may be
 * served from a cache. Thread-safe. */
int dv_read(struct db *db, const char *const *names, int n, int64_t *out);
/* This process committed a write: the next dv_read asks the database again. Called by the
 * store after every COMMIT and autocommit write (db.c); cheap and thread-safe. */
void dv_wrote(void);
/* PostgreSQL: fold the rows of backends that no longer exist into slot 0 (one statement; the
 * sums stay). No-op on SQLite. Run at server start. */
int dv_compact(struct db *db);

/* ---- triggers, for migrations ----
 * SQLite (row triggers; one writer at a time): DV_SQLITE_ALL(table, name) bumps on every insert,
 * update and delete; the _INSERT / _UPDATE / _UPDATE_OF / _DELETE pieces pick some (updates of
 * other columns than those named — a session's last_seen_at — then bump nothing).
 * PostgreSQL (statement triggers; function data_version_bump, core migration 10):
 * DV_PG(table, name, "INSERT OR UPDATE OF a, b OR DELETE OR TRUNCATE"), DV_PG_ALL(table, name).
 * Trigger names are dv_<table>_<name>[_i|_u|_d]: a table may feed several names. The SQLite
 * ones may run again (IF NOT EXISTS), so may the migration that makes them. */
#define DV_SQLITE_BUMP(name)                                                                       \
    " BEGIN INSERT INTO data_versions (name, slot, version) VALUES ('" name "', 0, 1)"             \
    " ON CONFLICT (name, slot) DO UPDATE SET version = version + 1; END;"
#define DV_SQLITE_INSERT(table, name)                                                              \
    "CREATE TRIGGER IF NOT EXISTS dv_" table "_" name "_i AFTER INSERT ON " table DV_SQLITE_BUMP(  \
        name)
#define DV_SQLITE_UPDATE(table, name)                                                              \
    "CREATE TRIGGER IF NOT EXISTS dv_" table "_" name "_u AFTER UPDATE ON " table DV_SQLITE_BUMP(  \
        name)
#define DV_SQLITE_UPDATE_OF(table, name, cols)                                                     \
    "CREATE TRIGGER IF NOT EXISTS dv_" table "_" name "_u AFTER UPDATE OF " cols " ON " table      \
    DV_SQLITE_BUMP(name)
#define DV_SQLITE_DELETE(table, name)                                                              \
    "CREATE TRIGGER IF NOT EXISTS dv_" table "_" name "_d AFTER DELETE ON " table DV_SQLITE_BUMP(  \
        name)
#define DV_SQLITE_ALL(table, name)                                                                 \
    DV_SQLITE_INSERT(table, name) DV_SQLITE_UPDATE(table, name) DV_SQLITE_DELETE(table, name)
#define DV_PG(table, name, events)                                                                 \
    "CREATE TRIGGER dv_" table "_" name " AFTER " events " ON " table                              \
    " FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump('" name "');"
#define DV_PG_ALL(table, name) DV_PG(table, name, "INSERT OR UPDATE OR DELETE OR TRUNCATE")

#endif
