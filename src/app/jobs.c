/* jobs.c — scheduled work: the scheduler thread of `fazhi serve` and `fazhi jobs run|list`.
 *
 * Every 30 s the scheduler sends due deliveries (features/notify) and, once per local day at or
 * after setting jobs.daily_hour (UTC+8), runs the daily jobs below. "Once per day across every
 * server sharing the database" is a row in job_runs: the INSERT of (job, run_key = local date)
 * that succeeds runs the job, the others skip it. The thread has its own DB connection and is
 * joined before `fazhi serve` exits. Each tick is one unit of work on that connection (db.h):
 * when the database goes away the tick fails, the next one — after LOST_TICK_SECONDS, not the
 * full TICK_SECONDS — reconnects; a connection that cannot be opened at all is tried again the
 * same way. */
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
#include "audit/audit.h"
#include "base/calendar.h"
#include "base/log.h"
#include "base/timeutil.h"
#include "features/files/files.h"
#include "features/notify/notify.h"
#include "store/settings.h"

#define TICK_SECONDS             30
#define LOST_TICK_SECONDS        2          /* the next try after the database was unreachable */
#define LOCAL_OFFSET_SECONDS     (8 * 3600) /* China Standard Time, no daylight saving */
#define DELIVERIES_PER_TICK      50
#define UNCLAIMED_UPLOAD_SECONDS (24 * 3600) /* docs/API-tasks.md: removed after 24 h */
#define RESULT_MAX               300

/* A daily job runs inside one write transaction that also records its job_runs row and audit
 * record; it writes a short summary into result. Returns DB_OK or < 0 (rolled back). */
struct daily_job {
    const char *name;    /* job_runs.job, --job NAME */
    const char *summary; /* for `fazhi jobs list` */
    int (*run)(struct db *db, int32_t today, char *result, size_t n);
};

static int job_reminders(struct db *db, int32_t today, char *result, size_t n) {
    struct reminder_counts c;
    int rc = reminders_run(db, today, &c);
    if (rc == DB_OK)
        snprintf(result, n, "tasks=%d due_soon=%d overdue=%d report_due=%d urging_overdue=%d",
                 c.tasks, c.due_soon, c.overdue, c.report_due, c.urging_overdue);
    return rc;
}

static int job_files_purge(struct db *db, int32_t today, char *result, size_t n) {
    (void)today;
    int removed = files_purge_unclaimed(db, UNCLAIMED_UPLOAD_SECONDS);
    if (removed < 0) return removed;
    snprintf(result, n, "removed=%d", removed);
    return DB_OK;
}

static const struct daily_job daily_jobs[] = {
    {"reminders", "每日提醒：临期、逾期、进展报送、催办未回复", job_reminders},
    {"files_purge", "清理 24 小时内未被引用的上传附件", job_files_purge},
};
#define N_DAILY_JOBS (int)(sizeof daily_jobs / sizeof daily_jobs[0])

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

/* Claim today's run of job j: 1 ours, 0 already taken, < 0 error. */
static int claim_run(struct db *db, const struct daily_job *j, const char *run_key,
                     const char *holder) {
    char started[21];
    now_iso(started);
    int rc = db_begin(db);
    if (rc != DB_OK) return rc;
    rc = db_exec(db,
                 "INSERT INTO job_runs (job, run_key, holder, started_at) VALUES (?, ?, ?, ?) "
                 "ON CONFLICT (job, run_key) DO NOTHING",
                 "ssss", j->name, run_key, holder, started);
    int64_t claimed = rc == DB_OK ? db_changes(db) : 0;
    if (rc == DB_OK) rc = db_commit(db);
    if (rc != DB_OK) {
        db_rollback(db);
        return rc;
    }
    return claimed == 1;
}

static int finish_run(struct db *db, const struct daily_job *j, const char *run_key,
                      const char *outcome, const char *result) {
    char finished[21];
    now_iso(finished);
    json_t *detail = json_pack("{s:s,s:s}", "run_key", run_key, "result", result);
    char *text = json_dumps(detail, JSON_COMPACT);
    json_decref(detail);
    int rc = db_exec(db,
                     "UPDATE job_runs SET finished_at = ?, result = ? WHERE job = ? AND "
                     "run_key = ?",
                     "ssss", finished, result, j->name, run_key);
    if (rc == DB_OK)
        rc = audit_append(db, &system_actor, "job.run", "job", j->name, outcome, text ? text : "");
    free(text);
    return rc;
}

/* Run job j for the local day of `now` unless some server ran it already. *ran = 1 when this
 * call ran it. */
static int run_daily_job(struct db *db, const struct daily_job *j, int64_t now, int *ran,
                         char *result, size_t n) {
    *ran = 0;
    result[0] = 0;
    int32_t today = local_day(now);
    char run_key[11], holder[260];
    date_format(today, run_key);
    holder_name(holder, sizeof holder);
    int rc = claim_run(db, j, run_key, holder);
    if (rc <= 0) return rc;
    *ran = 1;
    rc = db_begin(db);
    if (rc == DB_OK) rc = j->run(db, today, result, n);
    if (rc == DB_OK) rc = finish_run(db, j, run_key, "ok", result);
    if (rc == DB_OK) rc = db_commit(db);
    if (rc == DB_OK) {
        log_info("job %s %s: %s", j->name, run_key, result);
        return DB_OK;
    }
    /* Nothing of the job stays; the day's row says it failed (not retried until tomorrow). */
    snprintf(result, n, "failed: %s", db_errmsg(db));
    db_rollback(db);
    log_error("job %s %s %s", j->name, run_key, result);
    if (db_begin(db) == DB_OK && finish_run(db, j, run_key, "failed", result) == DB_OK)
        db_commit(db);
    else
        db_rollback(db);
    return rc;
}

int jobs_run_daily(struct db *db, int64_t now, const char *only, int force, int *ran_count) {
    *ran_count = 0;
    if (!force && local_hour(now) < setting_int(db, "jobs.daily_hour")) return DB_OK;
    int failed = 0;
    for (int i = 0; i < N_DAILY_JOBS; i++) {
        if (only && strcmp(only, daily_jobs[i].name) != 0) continue;
        int ran;
        char result[RESULT_MAX];
        if (run_daily_job(db, &daily_jobs[i], now, &ran, result, sizeof result) != DB_OK)
            failed = 1;
        *ran_count += ran;
    }
    return failed ? DB_ERROR : DB_OK;
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

/* Daily jobs first, so the reminders they raise go out in the same tick. */
static void scheduler_tick(struct db *db) {
    db_unit_start(db);
    int ran;
    int rc = jobs_run_daily(db, now_unix(), NULL, 0, &ran);
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
        printf("%-12s %s (daily, at %02lld:00 UTC+8 or later)\n", daily_jobs[i].name,
               daily_jobs[i].summary, (long long)setting_int(db, "jobs.daily_hour"));
        struct db_stmt *st = db_queryv(db,
                                       "SELECT run_key, holder, started_at, finished_at, result "
                                       "FROM job_runs WHERE job = ? ORDER BY run_key DESC LIMIT 5",
                                       "s", daily_jobs[i].name);
        int rows = 0;
        while (st && db_step(st) == DB_ROW) {
            const char *fin = db_col_text(st, 3);
            printf("  %s  %-24s started %s  %s%s  %s\n", db_col_text(st, 0), db_col_text(st, 1),
                   db_col_text(st, 2), fin ? "finished " : "unfinished", fin ? fin : "",
                   db_col_text(st, 4));
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
        const struct daily_job *j = &daily_jobs[i];
        if (only && strcmp(only, j->name) != 0) continue;
        if (!force && local_hour(now) < hour) {
            printf("%s %s: not due before %02lld:00 (UTC+8); --force runs it now\n", j->name,
                   run_key, (long long)hour);
            continue;
        }
        int ran;
        char result[RESULT_MAX];
        int rc = run_daily_job(db, j, now, &ran, result, sizeof result);
        if (rc != DB_OK) failed = 1;
        if (ran)
            printf("%s %s: %s\n", j->name, run_key, result);
        else if (rc == DB_OK)
            printf("%s %s: already ran today\n", j->name, run_key);
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
            known |= !strcmp(only, daily_jobs[i].name);
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
