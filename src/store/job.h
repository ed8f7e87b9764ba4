/* job.h — what a daily job is. A module declares its jobs (http/module.h); the scheduler of
 * `fazhi serve` and `fazhi jobs run` (app/jobs.c) run each once per local day, in batches: a new
 * run's state, then batches until `read` finds nothing left. Each batch is read with no
 * transaction open and written in its own short transaction together with the run's state, so
 * the write lock is free between batches and a run cut off is resumed where it stopped. */
#ifndef FAZHI_JOB_H
#define FAZHI_JOB_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "store/db.h"

#define JOB_STATE_MAX 400 /* bytes of a run's state, with its NUL */

struct daily_job {
    const char *name;    /* job_runs.job, --job NAME */
    const char *summary; /* for `fazhi jobs list` */
    /* A new run for local day `today`; last_ok: the last day it finished well (0 = never).
     * Writes the run's state (at most JOB_STATE_MAX - 1 bytes). */
    int (*start)(struct db *db, int32_t today, int32_t last_ok, char *state);
    /* The next batch with no transaction open: *batch (in arena a), or NULL when done. */
    int (*read)(struct db *db, struct arena *a, const char *state, void **batch);
    /* Write it inside the batch's transaction and advance state. */
    int (*write)(struct db *db, void *batch, char *state);
    void (*result)(const char *state, char *out, size_t n);
};

#endif
