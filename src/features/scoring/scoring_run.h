/* scoring_run.h — the scoring run's computation and its records (scoring_entities.c).
 *
 * A pass (计分): scoring_begin marks the run as being computed (runs + 1 is the pass's token,
 * progress 0 / units), then scoring_compute reads everything it needs — the system's leaves,
 * the assessed units, every metric's figures for every unit from one grouped query per entity
 * (metrics_per_unit), rolled up to the assessed units by units.path, and the cells as they are
 * — with no transaction open, and writes the cells in batches of SCORING_BATCH per transaction,
 * each batch moving units_done; a cell whose figures or points changed since the previous pass
 * gets an assess_changes row (cause rerun). The last transaction sums the totals, ranks, grades
 * and closes the pass. A newer pass (its token) makes an older one stop at its next batch. The
 * API's 计分 runs it on a thread of its own (scoring_start_background); `fazhi assess run` in
 * the foreground with a progress bar. */
#ifndef FAZHI_SCORING_RUN_H
#define FAZHI_SCORING_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "audit/audit.h"
#include "auth/auth.h"
#include "features/entity/entity.h"
#include "store/db.h"

#define SCORING_BATCH 500 /* cells written per transaction */

enum { RUN_DRAFT, RUN_SCORED, RUN_SELF, RUN_REVIEW, RUN_PUBLISHED, RUN_FINAL, RUN_N };

extern const struct flow_kind assess_run_kind;
extern const struct entity entity_assess_runs, entity_assess_results, entity_assess_scores,
    entity_assess_changes;

/* Inside the caller's transaction: a new pass of run_id (unit_id 0: every assessed unit, else
 * that unit only), *token its number. DB_OK or < 0. */
int scoring_begin(struct db *db, int64_t run_id, int64_t unit_id, int64_t *token);
/* Start the pass on a thread with its own connection (db_url): it waits until the pass's
 * transaction is committed (the token is seen; gives up after a while when it was rolled back),
 * then computes. 0, or -1 when no thread could be started. */
int scoring_start_background(struct db *db, int64_t run_id, int64_t token);

typedef void (*scoring_progress_fn)(void *cls, int64_t done, int64_t total);
/* The pass `token` of run_id (unit_id as given to scoring_begin), outside any transaction.
 * DB_OK; DB_DONE when a newer pass took over; < 0 on error (err says why). */
int scoring_compute(struct db *db, int64_t run_id, int64_t unit_id, int64_t token,
                    scoring_progress_fn progress, void *cls, char *err, size_t errlen);

/* The command line's pass (fazhi assess run): the run must be in a state that is scored and its
 * system published (else DB_DONE with *why), then scoring_begin, a draft made 已计分, and the
 * audit record assess_run.score — inside the caller's transaction. DB_OK or < 0. */
int scoring_pass_begin(struct db *db, struct arena *a, int64_t run_id, int64_t unit_id,
                       const struct audit_actor *who, int64_t *token, const char **why);

/* The same inside the caller's transaction, all at once (the demo: one process, one thread). */
int scoring_compute_in_tx(struct db *db, int64_t run_id, int64_t unit_id, int64_t token, char *err,
                          size_t errlen);

/* Attachments of cells (owner assess_score): read by whoever reads the cell. */
int scoring_score_can_read(struct db *db, const struct principal *who, int64_t id);

/* A unit kind's category: "department", "township" (street, township). */
const char *scoring_category(const char *unit_kind);

#endif
