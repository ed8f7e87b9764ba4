/* cmd_assess.c — `fazhi assess run --run ID [--unit ID]`: a scoring pass of an assessment run
 * (features/scoring) in the foreground, its progress as a bar on stderr; `fazhi assess list`:
 * the runs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app/app.h"
#include "base/arena.h"
#include "features/scoring/scoring_run.h"

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct bar {
    double t0;
    int tty;
    int64_t shown; /* not a terminal: a line per tenth */
};

static void progress(void *cls, int64_t done, int64_t total) {
    struct bar *b = cls;
    if (!b->tty) {
        int64_t tenth = total ? done * 10 / total : 10;
        if (done && done < total && tenth == b->shown) return;
        b->shown = tenth;
    }
    int width = 40, fill = total ? (int)(done * width / total) : width;
    char line[64];
    for (int i = 0; i < width; i++)
        line[i] = i < fill ? '#' : '.';
    line[width] = 0;
    fprintf(stderr, "%s[%s] %lld/%lld units %.1f s%s", b->tty ? "\r" : "", line, (long long)done,
            (long long)total, now_s() - b->t0, b->tty && done < total ? "" : "\n");
    fflush(stderr);
}

static int usage(int help) {
    printf("usage: fazhi assess run --run ID [--unit ID] [--data-dir DIR] [--db URL]\n"
           "       fazhi assess list [--data-dir DIR] [--db URL]\n\n"
           "run: scores an assessment run (年度考核计分) — every assessed unit, or one unit —\n"
           "against its published indicator system, with a progress bar on stderr; a re-run\n"
           "records each score that changed. list: the runs with their state and progress.\n"
           "Exit 0 done, 1 refused (unknown run, not a published system, a published run),\n"
           "2 on usage or database errors.\n");
    return help ? 0 : 2;
}

static int list(struct db *db) {
    struct db_stmt *st = db_queryv(db,
                                   "SELECT id, year, status, units_done, units_total,"
                                   " COALESCE(finished_at, ''), title FROM assess_runs ORDER BY"
                                   " year DESC, id DESC",
                                   "");
    int rc = st ? db_step(st) : DB_ERROR;
    printf("%-6s %-5s %-10s %-11s %-21s %s\n", "id", "year", "status", "units", "finished",
           "title");
    for (; rc == DB_ROW; rc = db_step(st))
        printf("%-6lld %-5lld %-10s %5lld/%-5lld %-21s %s\n", (long long)db_col_int(st, 0),
               (long long)db_col_int(st, 1), db_col_text(st, 2), (long long)db_col_int(st, 3),
               (long long)db_col_int(st, 4), db_col_text(st, 5), db_col_text(st, 6));
    db_done(st);
    return rc == DB_DONE ? 0 : 2;
}

int cmd_assess(int argc, char **argv) {
    struct app_opts o;
    if (app_wants_help(argc, argv)) return usage(1);
    if (app_common_opts(&argc, argv, &o) || argc < 2) return usage(0);
    if (!strcmp(argv[1], "list")) {
        if (argc != 2) return usage(0);
        struct db *db;
        if (app_open_ready(&o, &db, 0)) return 2;
        int rc = list(db);
        db_close(db);
        return rc;
    }
    if (strcmp(argv[1], "run")) return usage(0);
    const char *run = app_take_opt(&argc, argv, "--run"),
               *unit = app_take_opt(&argc, argv, "--unit");
    char *end = NULL;
    long long run_id = run ? strtoll(run, &end, 10) : 0, unit_id = 0;
    if (argc != 2 || !run || !end || *end || run_id <= 0) return usage(0);
    if (unit) {
        unit_id = strtoll(unit, &end, 10);
        if (!end || *end || unit_id <= 0) return usage(0);
    }
    struct db *db;
    if (app_open_ready(&o, &db, 0)) return 2;
    struct arena *a = arena_new(1 << 14);
    struct audit_actor who = app_actor("cli:assess-run");
    int64_t token = 0;
    const char *why = NULL;
    int status = 2, rc = db_begin(db);
    if (rc == DB_OK) rc = scoring_pass_begin(db, a, run_id, unit_id, &who, &token, &why);
    if (rc == DB_OK) rc = db_commit(db);
    if (rc != DB_OK) db_rollback(db);
    if (why) {
        fprintf(stderr, "fazhi assess run: %s\n", why);
        status = 1;
    } else if (rc != DB_OK) {
        fprintf(stderr, "fazhi assess run: database error: %s\n", db_errmsg(db));
    } else {
        struct bar b = {now_s(), isatty(2), -1};
        char err[300];
        rc = scoring_compute(db, run_id, unit_id, token, progress, &b, err, sizeof err);
        if (rc == DB_OK) {
            printf("run %lld scored (pass %lld) in %.2f s\n", run_id, (long long)token,
                   now_s() - b.t0);
            status = 0;
        } else if (rc == DB_DONE) {
            fprintf(stderr, "fazhi assess run: a newer pass of the run took over\n");
            status = 1;
        } else {
            fprintf(stderr, "fazhi assess run: %s\n", err);
        }
    }
    arena_free(a);
    db_close(db);
    return status;
}
