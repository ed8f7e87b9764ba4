/* jobs.c — scheduled work: the scheduler thread of `fazhi serve` and `fazhi jobs run|list`.
 *
 * Every 30 s the scheduler sends due deliveries (features/notify) and, once per local day at or
 * after setting jobs.daily_hour (UTC+8), runs the daily jobs below. The thread starts once the
 * server listens, and has its own DB connection; it is joined before `fazhi serve` exits.
 *
 * A daily job runs in batches: each batch is read with no transaction open and written in its
 * own short transaction, which also saves the run's progress (job_runs.state) and renews its
 * lease; between batches the write lock is free for requests. "Once per day across every
 * server sharing the database" is the row job_runs(job, run_key = local date): the INSERT that
 * succeeds owns the run; a run whose lease ran out (its server died or stopped) is taken over
 * and resumed where its last batch ended. Finished (result, audit record) only after the last
 * batch. A batch that fails is retried after JOB_RETRY_SECONDS, JOB_MAX_ATTEMPTS in all.
 * Each tick is one unit of work on the thread's connection (db.h): when the database goes away
 * the tick fails, the next one — after LOST_TICK_SECONDS, not the full TICK_SECONDS —
 * reconnects; a connection that cannot be opened at all is tried again the same way. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <jansson.h>

#include "app/app.h"
#include "http/module.h"
#include "audit/audit.h"
#include "base/calendar.h"
#include "base/log.h"
#include "base/timeutil.h"
#include "features/notify/notify.h"
#include "store/settings.h"

#define TICK_SECONDS             30
#define LOST_TICK_SECONDS        2          /* the next try after the database was unreachable */
#define LOCAL_OFFSET_SECONDS     (8 * 3600) /* China Standard Time, no daylight saving */
#define DELIVERIES_PER_TICK      50
#define UNCLAIMED_UPLOAD_SECONDS (24 * 3600) /* docs/API-tasks.md: removed after 24 h */
#define RESULT_MAX               400
#define STATE_MAX                JOB_STATE_MAX
#define JOB_LEASE_SECONDS        120 /* a run no batch renewed for this long is taken over */
#define JOB_RETRY_SECONDS        300 /* after a failed batch */
#define JOB_MAX_ATTEMPTS         3   /* runs of one day's job (take-overs included) */
#define JOB_PAUSE_MIN_MS         10  /* the write lock stays free at least this long … */
#define JOB_PAUSE_MAX_MS         200 /* … and as long as the batch held it, up to this */
#define JOB_SLOW_BATCH_MS        250 /* a batch holding the lock longer is logged */

/* Every module's daily jobs (http/module.h), in module order. */
#define JOBS_MAX 64
static const struct daily_job *daily_jobs[JOBS_MAX];
static int n_daily_jobs = -1;

static void jobs_collect(void) {
    if (n_daily_jobs >= 0) return;
    n_daily_jobs = 0;
    for (int m = 0; fazhi_modules[m]; m++)
        for (int j = 0; j < fazhi_modules[m]->n_jobs && n_daily_jobs < JOBS_MAX; j++)
            daily_jobs[n_daily_jobs++] = &fazhi_modules[m]->jobs[j];
}
#define N_DAILY_JOBS (jobs_collect(), n_daily_jobs)

static const struct audit_actor system_actor = {.user_id = 0,
                                                .username = "system",
                                                .role = "system",
                                                .unit_id = 0,
                                                .ip = "local",
                                                .request_id = ""};

static void holder_name(char *out, size_t n) {
    char host[200] = "localhost";
    if (gethostname(host, sizeof host - 1) != 0) snprintf(host, sizeof host, "localhost");
    host[sizeof host - 1] = 0;
    snprintf(out, n, "%s:%ld", host, (long)getpid());
}

static int32_t local_day(int64_t now) {
    int64_t t = now + LOCAL_OFFSET_SECONDS;
    return (int32_t)((t >= 0 ? t : t - 86399) / 86400);
}

static int local_hour(int64_t now) {
    int64_t s = (now + LOCAL_OFFSET_SECONDS) % 86400;
    return (int)((s < 0 ? s + 86400 : s) / 3600);
}

static void sleep_ms(double ms) {
    struct timespec ts = {(time_t)(ms / 1000),
                          (long)((ms - (double)(long)(ms / 1000) * 1000) * 1e6)};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {}
}

/* One day's run of one job, as this server holds it. */
struct run {
    const struct daily_job *job;
    char run_key[11];      /* YYYY-MM-DD, the local day */
    char holder[260];      /* host:pid */
    char state[STATE_MAX]; /* the job's progress */
    int64_t attempts;      /* runs so far, this one included */
    int batches;           /* written by this server */
    double max_batch_ms;   /* the longest write transaction among them */
    char result[RESULT_MAX];
};

enum claim { CLAIM_TAKEN = 0, CLAIM_NEW = 1, CLAIM_RESUMED = 2 };
/* How run_batches ends besides DB_OK (done) and a database error (< 0). */
enum { RUN_STOPPED = 100, RUN_LOST = 101 /* another server took the run over */ };

/* Claim the run: a new row, or one whose lease expired. Returns enum claim or < 0. */
static int claim_run(struct db *db, struct run *r, int64_t now) {
    char started[21];
    now_iso(started);
    int rc = db_begin(db);
    if (rc != DB_OK) return rc;
    rc = db_exec(db,
                 "INSERT INTO job_runs (job, run_key, holder, started_at, lease_until, state, "
                 "attempts) VALUES (?, ?, ?, ?, ?, '', 1) ON CONFLICT (job, run_key) DO NOTHING",
                 "ssssi", r->job->name, r->run_key, r->holder, started, now + JOB_LEASE_SECONDS);
    int claimed = rc == DB_OK && db_changes(db) == 1 ? CLAIM_NEW : CLAIM_TAKEN;
    if (rc == DB_OK && claimed == CLAIM_TAKEN) {
        rc = db_exec(db,
                     "UPDATE job_runs SET holder = ?, lease_until = ?, attempts = attempts + 1 "
                     "WHERE job = ? AND run_key = ? AND finished_at IS NULL AND lease_until < ?",
                     "sissi", r->holder, now + JOB_LEASE_SECONDS, r->job->name, r->run_key, now);
        if (rc == DB_OK && db_changes(db) == 1) claimed = CLAIM_RESUMED;
    }
    r->state[0] = 0;
    r->attempts = 1;
    if (rc == DB_OK && claimed == CLAIM_RESUMED) {
        struct db_stmt *st = db_queryv(db,
                                       "SELECT state, attempts FROM job_runs WHERE job = ? AND "
                                       "run_key = ?",
                                       "ss", r->job->name, r->run_key);
        rc = st ? db_step(st) : DB_ERROR;
        if (rc == DB_ROW) {
            snprintf(r->state, sizeof r->state, "%s", db_col_text(st, 0) ? db_col_text(st, 0) : "");
            r->attempts = db_col_int(st, 1);
            rc = DB_OK;
        }
        db_done(st);
    }
    if (rc == DB_OK) rc = db_commit(db);
    if (rc != DB_OK) {
        db_rollback(db);
        return rc < 0 ? rc : DB_ERROR;
    }
    return claimed;
}

/* Save the run's state and renew its lease, inside the batch's transaction: 0 rows changed
 * means another server took the run over, and the batch must not commit. */
static int save_run(struct db *db, const struct run *r, int64_t lease_until) {
    int rc = db_exec(db,
                     "UPDATE job_runs SET state = ?, lease_until = ? WHERE job = ? AND run_key = ? "
                     "AND holder = ? AND finished_at IS NULL",
                     "sisss", r->state, lease_until, r->job->name, r->run_key, r->holder);
    return rc == DB_OK && db_changes(db) != 1 ? RUN_LOST : rc;
}

static int finish_run(struct db *db, struct run *r, const char *outcome) {
    char finished[21];
    now_iso(finished);
    json_t *detail = json_pack("{s:s,s:s,s:I}", "run_key", r->run_key, "result", r->result,
                               "attempts", (json_int_t)r->attempts);
    char *text = json_dumps(detail, JSON_COMPACT);
    json_decref(detail);
    int rc = db_begin(db);
    if (rc == DB_OK)
        rc = db_exec(db,
                     "UPDATE job_runs SET finished_at = ?, result = ?, state = ?, lease_until = 0 "
                     "WHERE job = ? AND run_key = ? AND holder = ? AND finished_at IS NULL",
                     "ssssss", finished, r->result, r->state, r->job->name, r->run_key, r->holder);
    if (rc == DB_OK && db_changes(db) != 1) rc = RUN_LOST;
    if (rc == DB_OK)
        rc = audit_append(db, &system_actor, "job.run", "job", r->job->name, outcome,
                          text ? text : "");
    free(text);
    if (rc == DB_OK) rc = db_commit(db);
    if (rc != DB_OK) db_rollback(db);
    return rc;
}

/* A failed batch: the error is kept in result and the run may be taken over (by anyone, this
 * server too) after JOB_RETRY_SECONDS; or `lease_until` 0 when this server stops. */
static void release_run(struct db *db, const struct run *r, const char *result, int64_t until,
                        int give_back_attempt) {
    if (db_begin(db) != DB_OK) return;
    if (db_exec(db,
                "UPDATE job_runs SET result = ?, lease_until = ?, attempts = attempts - ? "
                "WHERE job = ? AND run_key = ? AND holder = ? AND finished_at IS NULL",
                "siisss", result, until, (int64_t)give_back_attempt, r->job->name, r->run_key,
                r->holder) == DB_OK)
        db_commit(db);
    else
        db_rollback(db);
}

/* The last local day the job finished well before `today`, as a day number; 0 = never. */
static int32_t last_ok_day(struct db *db, const struct daily_job *j, const char *today) {
    struct db_stmt *st = db_queryv(db,
                                   "SELECT MAX(run_key) FROM job_runs WHERE job = ? AND "
                                   "run_key < ? AND finished_at IS NOT NULL AND "
                                   "result NOT LIKE 'failed%'",
                                   "ss", j->name, today);
    int32_t day = 0;
    if (st && db_step(st) == DB_ROW && db_col_text(st, 0) && date_parse(db_col_text(st, 0), &day))
        day = 0;
    db_done(st);
    return day;
}

/* Batches until the job is done, this server stops (`stop`), or a batch fails. */
static int run_batches(struct db *db, struct run *r, const atomic_int *stop) {
    int32_t today;
    date_parse(r->run_key, &today);
    int rc = DB_OK;
    if (!r->state[0]) {
        rc = r->job->start(db, today, last_ok_day(db, r->job, r->run_key), r->state);
        if (rc == DB_OK && (rc = db_begin(db)) == DB_OK) {
            rc = save_run(db, r, now_unix() + JOB_LEASE_SECONDS);
            rc = rc == DB_OK ? db_commit(db) : rc;
            if (rc != DB_OK) db_rollback(db);
        }
    }
    while (rc == DB_OK) {
        if (stop && atomic_load(stop)) return RUN_STOPPED;
        struct arena *a = arena_new(65536);
        void *batch = NULL;
        rc = r->job->read(db, a, r->state, &batch);
        if (rc != DB_OK || !batch) {
            arena_free(a);
            break;
        }
        char saved[STATE_MAX];
        memcpy(saved, r->state, sizeof saved);
        rc = db_begin(db);
        double t0 = now_mono(); /* the write lock is held from here to the commit */
        if (rc == DB_OK) rc = r->job->write(db, batch, r->state);
        if (rc == DB_OK) rc = save_run(db, r, now_unix() + JOB_LEASE_SECONDS);
        if (rc == DB_OK) rc = db_commit(db);
        double ms = (now_mono() - t0) * 1000.0;
        arena_free(a);
        if (rc != DB_OK) {
            db_rollback(db);
            memcpy(r->state, saved, sizeof saved); /* what the database still holds */
            break;
        }
        r->batches++;
        if (ms > r->max_batch_ms) r->max_batch_ms = ms;
        if (ms > JOB_SLOW_BATCH_MS)
            log_info("job %s %s: batch %d held the write lock %.0f ms", r->job->name, r->run_key,
                     r->batches, ms);
        /* Let requests waiting for the write lock in: as long as the batch held it. */
        sleep_ms(ms < JOB_PAUSE_MIN_MS   ? JOB_PAUSE_MIN_MS
                 : ms > JOB_PAUSE_MAX_MS ? JOB_PAUSE_MAX_MS
                                         : ms);
    }
    return rc;
}

/* Run (or resume) job j for the local day of `now` unless some server holds or finished it.
 * *ran = 1 when this call worked on it. */
static int run_daily_job(struct db *db, const struct daily_job *j, int64_t now, int *ran,
                         char *result, size_t n, const atomic_int *stop) {
    *ran = 0;
    result[0] = 0;
    struct run r = {.job = j};
    date_format(local_day(now), r.run_key);
    holder_name(r.holder, sizeof r.holder);
    int rc = claim_run(db, &r, now);
    if (rc == CLAIM_TAKEN) { /* say by whom */
        struct db_stmt *st = db_queryv(db,
                                       "SELECT finished_at, holder FROM job_runs WHERE job = ? "
                                       "AND run_key = ?",
                                       "ss", j->name, r.run_key);
        if (st && db_step(st) == DB_ROW && !db_col_text(st, 0))
            snprintf(result, n, "running on %s", db_col_text(st, 1));
        else
            snprintf(result, n, "already ran today");
        db_done(st);
    }
    if (rc <= 0) return rc;
    *ran = 1;
    if (r.attempts > JOB_MAX_ATTEMPTS) {
        snprintf(r.result, sizeof r.result, "failed: gave up after %d attempts", JOB_MAX_ATTEMPTS);
        log_error("job %s %s %s", j->name, r.run_key, r.result);
        finish_run(db, &r, "failed");
        snprintf(result, n, "%s", r.result);
        return DB_ERROR;
    }
    if (rc == CLAIM_RESUMED)
        log_info("job %s %s: resuming (attempt %lld)", j->name, r.run_key, (long long)r.attempts);
    rc = run_batches(db, &r, stop);
    if (rc == RUN_LOST) {
        log_info("job %s %s: taken over by another server", j->name, r.run_key);
        snprintf(result, n, "taken over by another server");
        return DB_OK;
    }
    if (rc == RUN_STOPPED) { /* stopping: whoever comes next resumes at once */
        release_run(db, &r, "stopped", 0, 1);
        snprintf(result, n, "stopped after %d batches", r.batches);
        log_info("job %s %s: %s", j->name, r.run_key, result);
        return DB_OK;
    }
    if (rc == DB_OK) {
        char summary[RESULT_MAX - 60];
        j->result(r.state, summary, sizeof summary);
        snprintf(r.result, sizeof r.result, "%s batches=%d max_batch_ms=%.1f", summary, r.batches,
                 r.max_batch_ms);
        rc = finish_run(db, &r, "ok");
        if (rc == RUN_LOST) {
            log_info("job %s %s: finished by another server", j->name, r.run_key);
            return DB_OK;
        }
    }
    if (rc == DB_OK) {
        snprintf(result, n, "%s", r.result);
        log_info("job %s %s: %s", j->name, r.run_key, r.result);
        return DB_OK;
    }
    snprintf(result, n, "failed: %s", db_errmsg(db));
    log_error("job %s %s %s (attempt %lld; retried after %d s)", j->name, r.run_key, result,
              (long long)r.attempts, JOB_RETRY_SECONDS);
    release_run(db, &r, result, now_unix() + JOB_RETRY_SECONDS, 0);
    return rc < 0 ? rc : DB_ERROR;
}

static int jobs_run_daily_stop(struct db *db, int64_t now, const char *only, int force,
                               int *ran_count, const atomic_int *stop) {
    *ran_count = 0;
    if (!force && local_hour(now) < setting_int(db, "jobs.daily_hour")) return DB_OK;
    int failed = 0;
    for (int i = 0; i < N_DAILY_JOBS; i++) {
        if (only && strcmp(only, daily_jobs[i]->name) != 0) continue;
        if (stop && atomic_load(stop)) break;
        int ran;
        char result[RESULT_MAX];
        if (run_daily_job(db, daily_jobs[i], now, &ran, result, sizeof result, stop) != DB_OK)
            failed = 1;
        *ran_count += ran;
    }
    return failed ? DB_ERROR : DB_OK;
}

int jobs_run_daily(struct db *db, int64_t now, const char *only, int force, int *ran_count) {
    return jobs_run_daily_stop(db, now, only, force, ran_count, NULL);
}

/* ---- the scheduler thread ---- */

static struct {
    pthread_t thread;     /* the scheduler */
    pthread_mutex_t lock; /* guards the wait */
    pthread_cond_t wake;  /* signalled on stop */
    atomic_int stop;      /* set by jobs_scheduler_stop */
    int running;          /* thread started */
    char db_url[1200];    /* its own connection */
} sched = {.lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER};

#define STATISTICS_SECONDS (24 * 3600) /* planner statistics made again (store/db.h) */

/* Daily jobs first, so the reminders they raise go out in the same tick. */
static void scheduler_tick(struct db *db) {
    static double statistics_at; /* the server analyzed at start */
    if (!statistics_at) statistics_at = now_mono();
    db_unit_start(db);
    if (now_mono() - statistics_at >= STATISTICS_SECONDS) {
        statistics_at = now_mono();
        if (db_optimize(db, DB_OPTIMIZE_DAILY) != DB_OK && !db_lost(db))
            log_error("scheduler: ANALYZE failed: %s", db_errmsg(db));
        db_unit_start(db);
    }
    int ran;
    int rc = jobs_run_daily_stop(db, now_unix(), NULL, 0, &ran, &sched.stop);
    if (db_lost(db)) return; /* logged by the store; the next tick reconnects */
    if (rc != DB_OK) log_error("scheduler: a daily job failed");
    if (atomic_load(&sched.stop)) return;
    struct notify_pass pass;
    if (notify_deliver_pending(db, now_unix(), DELIVERIES_PER_TICK, &sched.stop, &pass) != DB_OK &&
        !db_lost(db))
        log_error("scheduler: delivery pass failed: %s", db_errmsg(db));
}

static void *scheduler_main(void *arg) {
    (void)arg;
    struct db *db = NULL;
    char err[300];
    int open_failures = 0;
    log_info("scheduler started (every %d s)", TICK_SECONDS);
    while (!atomic_load(&sched.stop)) {
        if (!db && db_open(sched.db_url, &db, err, sizeof err) != DB_OK) {
            db = NULL;
            if (open_failures++ == 0) log_error("scheduler: cannot open the database: %s", err);
        }
        if (db) {
            open_failures = 0;
            scheduler_tick(db);
        }
        int lost = !db || db_lost(db);
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += lost ? LOST_TICK_SECONDS : TICK_SECONDS;
        pthread_mutex_lock(&sched.lock);
        while (!atomic_load(&sched.stop) &&
               pthread_cond_timedwait(&sched.wake, &sched.lock, &until) != ETIMEDOUT)
            ;
        pthread_mutex_unlock(&sched.lock);
    }
    db_close(db);
    log_info("scheduler stopped");
    return NULL;
}

int jobs_scheduler_start(const char *db_url) {
    snprintf(sched.db_url, sizeof sched.db_url, "%s", db_url);
    atomic_store(&sched.stop, 0);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    /* SIGTERM/SIGINT belong to the server's sigwait: the thread must never take them. */
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGINT);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    int rc = pthread_create(&sched.thread, NULL, scheduler_main, NULL);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0) {
        log_error("scheduler: cannot start the thread: %s", strerror(rc));
        return -1;
    }
    sched.running = 1;
    return 0;
}

void jobs_scheduler_stop(void) {
    if (!sched.running) return;
    pthread_mutex_lock(&sched.lock);
    atomic_store(&sched.stop, 1);
    pthread_cond_broadcast(&sched.wake);
    pthread_mutex_unlock(&sched.lock);
    pthread_join(sched.thread, NULL);
    sched.running = 0;
    curl_global_cleanup();
}

/* ---- fazhi jobs ---- */

static int jobs_list(struct db *db) {
    for (int i = 0; i < N_DAILY_JOBS; i++) {
        printf("%-12s %s (daily, at %02lld:00 UTC+8 or later)\n", daily_jobs[i]->name,
               daily_jobs[i]->summary, (long long)setting_int(db, "jobs.daily_hour"));
        struct db_stmt *st = db_queryv(db,
                                       "SELECT run_key, holder, started_at, finished_at, result, "
                                       "attempts FROM job_runs WHERE job = ? ORDER BY run_key "
                                       "DESC LIMIT 5",
                                       "s", daily_jobs[i]->name);
        int rows = 0;
        while (st && db_step(st) == DB_ROW) {
            const char *fin = db_col_text(st, 3);
            char attempts[32] = "";
            if (db_col_int(st, 5) > 1)
                snprintf(attempts, sizeof attempts, " (%lld attempts)",
                         (long long)db_col_int(st, 5));
            printf("  %s  %-24s started %s  %s%s  %s%s\n", db_col_text(st, 0), db_col_text(st, 1),
                   db_col_text(st, 2), fin ? "finished " : "unfinished", fin ? fin : "",
                   db_col_text(st, 4), attempts);
            rows++;
        }
        db_done(st);
        if (!rows) printf("  (never ran)\n");
    }
    int64_t pending = 0, failed = 0;
    db_query_int(db, &pending,
                 "SELECT COUNT(*) FROM deliveries WHERE status IN ('pending', "
                 "'sending')",
                 "");
    db_query_int(db, &failed, "SELECT COUNT(*) FROM deliveries WHERE status = 'failed'", "");
    printf("%-12s 发送消息推送（每 %d 秒）: %lld waiting, %lld failed\n", "deliveries",
           TICK_SECONDS, (long long)pending, (long long)failed);
    return 0;
}

static int jobs_run(struct db *db, const char *only, int force) {
    int64_t now = now_unix();
    int failed = 0;
    char run_key[11];
    date_format(local_day(now), run_key);
    int64_t hour = setting_int(db, "jobs.daily_hour");
    for (int i = 0; i < N_DAILY_JOBS; i++) {
        const struct daily_job *j = daily_jobs[i];
        if (only && strcmp(only, j->name) != 0) continue;
        if (!force && local_hour(now) < hour) {
            printf("%s %s: not due before %02lld:00 (UTC+8); --force runs it now\n", j->name,
                   run_key, (long long)hour);
            continue;
        }
        int ran;
        char result[RESULT_MAX];
        int rc = run_daily_job(db, j, now, &ran, result, sizeof result, NULL);
        if (rc != DB_OK) failed = 1;
        if (rc == DB_OK || result[0])
            printf("%s %s: %s\n", j->name, run_key, result);
        else
            printf("%s %s: failed: %s\n", j->name, run_key, db_errmsg(db));
    }
    struct notify_pass pass;
    /* A fresh clock: deliveries the jobs just queued carry a time later than `now`. */
    if (notify_deliver_pending(db, now_unix(), 200, NULL, &pass) != DB_OK) failed = 1;
    printf("deliveries: claimed=%d sent=%d retry=%d failed=%d\n", pass.claimed, pass.sent,
           pass.retry, pass.failed);
    return failed;
}

int cmd_jobs(int argc, char **argv) {
    const char *usage =
        "usage: fazhi jobs run [--data-dir DIR] [--db URL] [--job NAME] [--force]\n"
        "       fazhi jobs list [--data-dir DIR] [--db URL]\n\n"
        "run: runs the daily jobs that are due (at or after setting jobs.daily_hour, UTC+8; at\n"
        "most once per day across every server sharing the database) and sends due deliveries\n"
        "once — for cron when the server's own scheduler is not wanted. --force ignores the\n"
        "hour (still once per day). list: each job with its last runs.\n";
    if (argc < 2 || app_wants_help(argc, argv)) {
        printf("%s", usage);
        return argc < 2 ? 2 : 0;
    }
    struct app_opts o;
    if (app_common_opts(&argc, argv, &o)) return 2;
    const char *only = app_take_opt(&argc, argv, "--job");
    int force = app_take_flag(&argc, argv, "--force");
    int is_run = !strcmp(argv[1], "run"), is_list = !strcmp(argv[1], "list");
    if ((!is_run && !is_list) || argc > 2) {
        fprintf(stderr, "%s", usage);
        return 2;
    }
    if (only) {
        int known = 0;
        for (int i = 0; i < N_DAILY_JOBS; i++)
            known |= !strcmp(only, daily_jobs[i]->name);
        if (!known) {
            fprintf(stderr, "fazhi jobs: unknown job '%s' (see fazhi jobs list)\n", only);
            return 2;
        }
    }
    struct db *db;
    if (app_open_ready(&o, &db, 0)) return 1;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    int rc = is_run ? jobs_run(db, only, force) : jobs_list(db);
    db_close(db);
    curl_global_cleanup();
    return rc ? 1 : 0;
}
