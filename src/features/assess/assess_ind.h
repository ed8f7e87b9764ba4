/* assess_ind.h — the indicators of one system in memory, within the assess module: loaded in
 * tree order, checked (assess_ind_check: what keeps a system from being published), written
 * anew (a new version's copy, an import, the template). Not for other modules: they read the
 * tables through the entities. */
#ifndef FAZHI_ASSESS_IND_H
#define FAZHI_ASSESS_IND_H

#include <jansson.h>
#include <stdint.h>

#include "base/arena.h"
#include "store/db.h"

struct assess_ind {
    int64_t id, parent_id, level, weight, sort_order;
    const char *code, *name, *rule, *metric, *params, *method, *evidence;
    int parent;     /* index of the parent in the array, -1 */
    int children;   /* how many indicators name it as parent */
    int64_t new_id; /* assess_ind_insert: the row written */
    int row;        /* an import's sheet row (0: none) */
};

/* The system's indicators (arena), parents and children counted. DB_OK or < 0. */
int assess_ind_load(struct db *db, struct arena *a, int64_t system_id, struct assess_ind **out,
                    int *n);
/* Every problem of the tree against total (hundredths) appended to out as {code, zh, en}; the
 * number of problems. Needs parent and children set. */
int assess_ind_check(struct arena *a, const struct assess_ind *v, int n, int64_t total,
                     json_t *out);
/* Write v[0..n) as system_id's indicators (parents by index), setting new_id. DB_OK or < 0. */
int assess_ind_insert(struct db *db, struct arena *a, int64_t system_id, struct assess_ind *v,
                      int n);
/* A new draft system row: DB_OK with *id, or < 0 (no audit record: the caller writes it). */
int assess_system_new(struct db *db, struct arena *a, int64_t year, const char *name,
                      int64_t version_no, int64_t based_on, const char *note, int64_t total,
                      int64_t by_user, int64_t *id);
/* Points (hundredths) as the API's number of 分: 15, 2.5. */
json_t *assess_points_json(int64_t hundredths);

#endif
