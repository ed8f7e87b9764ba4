/* dataver.c — this process's view of the data versions (dataver.h): every counter, read with one
 * query at most once per DV_CHECK_SECONDS, or at once after a local commit. */
#include "store/dataver.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "base/log.h"
#include "base/timeutil.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
/* The names seen so far and their versions as answered. Answered versions never go down, so a
 * cached value is good while its label is at least what a request read (store/cache.h). */
static char names[DV_NAMES_MAX][DV_NAME_MAX];
static int64_t versions[DV_NAMES_MAX]; /* as answered */
static int64_t offsets[DV_NAMES_MAX];  /* answered = the database's sum + offset */
static int n_names;
static double checked_at = -1e9; /* monotonic time of the last successful read */
static atomic_int wrote = 1;     /* a local write since that read (or none read yet) */

void dv_wrote(void) {
    atomic_store(&wrote, 1);
}

static int name_index(const char *name) {
    for (int k = 0; k < n_names; k++)
        if (!strcmp(names[k], name)) return k;
    if (n_names == DV_NAMES_MAX || strlen(name) >= DV_NAME_MAX) return -1;
    snprintf(names[n_names], DV_NAME_MAX, "%s", name);
    versions[n_names] = offsets[n_names] = 0;
    return n_names++;
}

/* Read every counter; under the lock. The flag is cleared before the query, so a commit that
 * lands while it runs sets it again and the next dv_read looks once more. A sum that went down
 * (another database behind the URL, an installation restored) is answered as one more than
 * before: every cache computes again. */
static int refresh(struct db *db) {
    atomic_store(&wrote, 0);
    struct db_stmt *st =
        db_prepare(db, "SELECT name, SUM(version) FROM data_versions GROUP BY name");
    if (!st) {
        atomic_store(&wrote, 1);
        return DB_ERROR;
    }
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        const char *name = db_col_text(st, 0);
        int k = name ? name_index(name) : -1;
        if (k < 0) {
            log_error("data_versions: more than %d names, or a name too long: %s", DV_NAMES_MAX,
                      name ? name : "(null)");
            continue;
        }
        int64_t v = db_col_int(st, 1) + offsets[k];
        if (v < versions[k]) {
            offsets[k] += versions[k] + 1 - v;
            v = versions[k] + 1;
        }
        versions[k] = v;
    }
    db_done(st);
    if (rc != DB_DONE) {
        atomic_store(&wrote, 1);
        return rc < 0 ? rc : DB_ERROR;
    }
    checked_at = now_mono();
    return DB_OK;
}

int dv_read(struct db *db, const char *const *want, int n, int64_t *out) {
    pthread_mutex_lock(&lock);
    int rc = DB_OK;
    if (atomic_load(&wrote) || now_mono() - checked_at >= DV_CHECK_SECONDS) rc = refresh(db);
    for (int i = 0; rc == DB_OK && i < n; i++) {
        out[i] = 0;
        for (int k = 0; k < n_names; k++)
            if (!strcmp(names[k], want[i])) {
                out[i] = versions[k];
                break;
            }
    }
    pthread_mutex_unlock(&lock);
    return rc;
}

int dv_compact(struct db *db) {
    if (db_engine(db) != DB_POSTGRES) return DB_OK;
    /* One statement: the rows of gone backends leave and their sum joins slot 0 atomically. */
    return db_exec(db,
                   "WITH gone AS (DELETE FROM data_versions d WHERE d.slot <> 0 AND NOT EXISTS "
                   "(SELECT 1 FROM pg_stat_activity a WHERE a.pid = d.slot) "
                   "RETURNING d.name, d.version), "
                   "sums AS (SELECT name, SUM(version) AS v FROM gone GROUP BY name) "
                   "INSERT INTO data_versions (name, slot, version) SELECT name, 0, v FROM sums "
                   "ON CONFLICT (name, slot) DO UPDATE "
                   "SET version = data_versions.version + EXCLUDED.version",
                   "");
}
