/* notify_test.c — raising with dedup and queued deliveries (one at a time and in batches; the
 * group robot hears of an event once, e-mail goes to each recipient), the delivery retry schedule
 * against a closed port, lease take-over, and once-per-day jobs. The reminder job's own tests are
 * in task_reminders_test.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/app.h"
#include "base/calendar.h"
#include "features/notify/notify.h"
#include "store/db.h"
#include "store/settings.h"

#define TS "2026-01-01T00:00:00Z"

struct fixture {
    struct db *db;
    int64_t unit_a, unit_b, unit_office; /* 区司法局, 城关街道, 依法治区办 */
    int64_t clerk_a, clerk_a2, clerk_b, office, locked_clerk;
    int32_t today; /* 2026-11-25, a Wednesday */
};

static int64_t exec_id(struct db *db, const char *sql, const char *types, ...) {
    /* Only the fixed shapes used below: up to three text or int parameters. */
    va_list ap;
    va_start(ap, types);
    struct db_stmt *st = db_prepare(db, sql);
    assert_non_null(st);
    for (int i = 0; types[i]; i++) {
        if (types[i] == 's')
            db_bind_text(st, i + 1, va_arg(ap, const char *));
        else
            db_bind_int(st, i + 1, va_arg(ap, int64_t));
    }
    va_end(ap);
    assert_int_equal(db_step(st), DB_ROW);
    int64_t id = db_col_int(st, 0);
    db_step(st);
    db_done(st);
    return id;
}

static int64_t add_unit(struct db *db, const char *code, const char *name) {
    return exec_id(db,
                   "INSERT INTO units (code, name, kind, path, created_at, updated_at) "
                   "VALUES (?, ?, 'department', '/', '" TS "', '" TS "') RETURNING id",
                   "ss", code, name);
}

static int64_t add_role(struct db *db, const char *code, const char *perm) {
    int64_t id = exec_id(db,
                         "INSERT INTO roles (code, name, scope, created_at, updated_at) "
                         "VALUES (?, ?, 'own', '" TS "', '" TS "') RETURNING id",
                         "ss", code, code);
    assert_int_equal(db_exec(db, "INSERT INTO role_permissions (role_id, permission) VALUES (?, ?)",
                             "is", id, perm),
                     DB_OK);
    return id;
}

static int64_t add_user(struct db *db, const char *name, int64_t unit, int64_t role,
                        const char *email, int locked) {
    int64_t id = exec_id(db,
                         "INSERT INTO users (username, display_name, unit_id, role_id, "
                         "password_hash, email, created_at, updated_at) "
                         "VALUES (?, ?, ?, ?, 'x', ?, '" TS "', '" TS "') RETURNING id",
                         "ssiis", name, name, unit, role, email);
    if (locked) db_exec(db, "UPDATE users SET locked = 1 WHERE id = ?", "i", id);
    return id;
}

static void add_task(struct db *db, int64_t id, int64_t lead, const char *due_on,
                     const char *report_due_on, const char *status) {
    assert_int_equal(db_exec(db,
                             "INSERT INTO tasks (id, path, title, lead_unit_id, due_on, "
                             "report_due_on, status, created_at, updated_at) "
                             "VALUES (?, '/', ?, ?, ?, ?, ?, '" TS "', '" TS "')",
                             "isisss", id, "测试任务", lead, due_on, report_due_on, status),
                     DB_OK);
}

static void set_setting(struct db *db, const char *key, const char *value) {
    assert_int_equal(db_exec(db,
                             "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, '" TS
                             "') ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                             "ss", key, value),
                     DB_OK);
    settings_invalidate();
}

static int64_t count(struct db *db, const char *sql, const char *types, ...) {
    va_list ap;
    va_start(ap, types);
    struct db_stmt *st = db_prepare(db, sql);
    assert_non_null(st);
    for (int i = 0; types[i]; i++) {
        if (types[i] == 's')
            db_bind_text(st, i + 1, va_arg(ap, const char *));
        else
            db_bind_int(st, i + 1, va_arg(ap, int64_t));
    }
    va_end(ap);
    assert_int_equal(db_step(st), DB_ROW);
    int64_t n = db_col_int(st, 0);
    db_done(st);
    return n;
}

static int setup(void **state) {
    struct fixture *x = calloc(1, sizeof(*x));
    char err[200];
    int applied;
    if (db_open("sqlite::memory:", &x->db, err, sizeof err) != DB_OK) return -1;
    if (db_migrate(x->db, &applied) != DB_OK) return -1;
    if (settings_seed(x->db) != DB_OK) return -1;
    settings_invalidate();
    x->unit_a = add_unit(x->db, "a", "区司法局");
    x->unit_b = add_unit(x->db, "b", "城关街道");
    x->unit_office = add_unit(x->db, "o", "区委依法治区办");
    int64_t clerk = add_role(x->db, "clerk", "task.work");
    int64_t office = add_role(x->db, "office", "task.manage");
    int64_t leader = add_role(x->db, "leader", "task.read");
    x->clerk_a = add_user(x->db, "clerk_a", x->unit_a, clerk, "a@example.gov.cn", 0);
    x->clerk_a2 = add_user(x->db, "clerk_a2", x->unit_a, clerk, "", 0);
    x->clerk_b = add_user(x->db, "clerk_b", x->unit_b, clerk, "", 0);
    x->office = add_user(x->db, "office", x->unit_office, office, "", 0);
    x->locked_clerk = add_user(x->db, "locked", x->unit_a, clerk, "", 1);
    add_user(x->db, "leader_a", x->unit_a, leader, "", 0); /* no task.work: no reminders */
    assert_int_equal(date_parse("2026-11-25", &x->today), 0);
    *state = x;
    return 0;
}

static int teardown(void **state) {
    struct fixture *x = *state;
    db_close(x->db);
    free(x);
    settings_invalidate();
    return 0;
}

static void test_raise_dedup(void **state) {
    struct fixture *x = *state;
    assert_int_equal(db_begin(x->db), DB_OK);
    for (int i = 0; i < 2; i++)
        assert_int_equal(notify_raise(x->db, x->clerk_a, "task_issued", "【下发】任务", "正文",
                                      "/tasks/1", 0, "k1"),
                         DB_OK);
    for (int i = 0; i < 2; i++) /* no key: every raise counts */
        assert_int_equal(notify_raise(x->db, x->clerk_a, "task_urged", "催办", NULL, NULL, 0, NULL),
                         DB_OK);
    assert_int_equal(db_commit(x->db), DB_OK);
    assert_int_equal(count(x->db, "SELECT COUNT(*) FROM notifications WHERE dedup_key = 'k1'", ""),
                     1);
    assert_int_equal(
        count(x->db, "SELECT COUNT(*) FROM notifications WHERE user_id = ?", "i", x->clerk_a), 3);
    /* Nothing configured: in-app only. */
    assert_int_equal(count(x->db, "SELECT COUNT(*) FROM deliveries", ""), 0);
}

static void test_raise_unit_and_perm(void **state) {
    struct fixture *x = *state;
    assert_int_equal(db_begin(x->db), DB_OK);
    /* task.work accounts of the unit, not the locked one nor the leader */
    assert_int_equal(
        notify_raise_unit(x->db, x->unit_a, "task_issued", "t", "b", "/tasks/9", 9, "issue:9"), 2);
    assert_int_equal(
        notify_raise_unit(x->db, x->unit_a, "task_issued", "t", "b", "/tasks/9", 9, "issue:9"), 0);
    assert_int_equal(
        notify_raise_perm(x->db, "task.manage", "extension_decided", "t", "b", NULL, 9, "ext:9"),
        1);
    assert_int_equal(db_commit(x->db), DB_OK);
    assert_int_equal(
        count(x->db, "SELECT COUNT(*) FROM notifications WHERE user_id = ?", "i", x->locked_clerk),
        0);
}

static void test_raise_queues_deliveries(void **state) {
    struct fixture *x = *state;
    set_setting(x->db, "notify.webhook_url", "http://127.0.0.1:1/hook?key=secret");
    set_setting(x->db, "notify.smtp_url", "smtp://127.0.0.1:1");
    assert_int_equal(db_begin(x->db), DB_OK);
    assert_int_equal(
        notify_raise(x->db, x->clerk_a, "task_issued", "标题", "内容", "/tasks/1", 1, "d1"), DB_OK);
    assert_int_equal(
        notify_raise(x->db, x->clerk_a2, "task_issued", "标题", "内容", "/tasks/1", 1, "d2"),
        DB_OK);
    assert_int_equal(db_commit(x->db), DB_OK);
    /* clerk_a has an e-mail address: webhook + email; clerk_a2 only the webhook */
    assert_int_equal(count(x->db, "SELECT COUNT(*) FROM deliveries WHERE channel = 'webhook'", ""),
                     2);
    assert_int_equal(count(x->db,
                           "SELECT COUNT(*) FROM deliveries WHERE channel = 'email' AND "
                           "target = 'a@example.gov.cn'",
                           ""),
                     1);
    assert_int_equal(
        count(x->db, "SELECT COUNT(*) FROM deliveries WHERE channel = 'webhook' AND payload LIKE ?",
              "s", "{\"msgtype\":\"text\",\"text\":{\"content\":\"标题\\n内容\\n接收人：%\"}}"),
        2);
    assert_int_equal(count(x->db,
                           "SELECT COUNT(*) FROM deliveries WHERE status = 'pending' AND "
                           "attempts = 0",
                           ""),
                     3);
}

static void test_raise_batch(void **state) {
    struct fixture *x = *state;
    set_setting(x->db, "notify.webhook_url", "http://127.0.0.1:1/hook");
    struct notify_msg m[3] = {
        {.user_id = x->clerk_a,
         .email = "a@example.gov.cn",
         .name = "clerk_a",
         .kind = "overdue",
         .title = "逾期",
         .body = "正文",
         .link = "/tasks/1",
         .task_id = 1,
         .dedup_key = "b1"},
        {.user_id = x->clerk_b,
         .email = "",
         .name = "clerk_b",
         .kind = "overdue",
         .title = "逾期",
         .task_id = 1,
         .dedup_key = "b2"},
        {.user_id = x->clerk_b,
         .email = "",
         .name = "clerk_b",
         .kind = "overdue",
         .title = "逾期",
         .task_id = 1,
         .dedup_key = "b2"}, /* the same key */
    };
    assert_int_equal(db_begin(x->db), DB_OK);
    assert_int_equal(notify_raise_batch(x->db, m, 3), 2);
    assert_int_equal(notify_raise_batch(x->db, m, 3), 0); /* written before: nothing new */
    assert_int_equal(db_commit(x->db), DB_OK);
    assert_int_equal(count(x->db, "SELECT COUNT(*) FROM notifications", ""), 2);
    assert_int_equal(count(x->db, "SELECT COUNT(*) FROM deliveries WHERE channel = 'webhook'", ""),
                     2);
    assert_int_equal(
        count(x->db, "SELECT COUNT(*) FROM deliveries WHERE payload LIKE '%接收人：clerk_b%'", ""),
        1);
}

/* A unit of N clerks is one event for the group robot: one webhook delivery naming the unit, N
 * e-mails; raised again (dedup) it queues nothing, not even for an account added since. */
static void test_unit_event_one_webhook(void **state) {
    struct fixture *x = *state;
    set_setting(x->db, "notify.webhook_url", "https://robot.example.gov.cn/hook?key=k");
    set_setting(x->db, "notify.smtp_url", "smtp://127.0.0.1:1");
    db_exec(x->db, "UPDATE users SET email = 'a2@example.gov.cn' WHERE id = ?", "i", x->clerk_a2);
    int64_t clerk = count(x->db, "SELECT id FROM roles WHERE code = 'clerk'", "");
    add_user(x->db, "clerk_a3", x->unit_a, clerk, "a3@example.gov.cn", 0);
    assert_int_equal(db_begin(x->db), DB_OK);
    assert_int_equal(notify_raise_unit(x->db, x->unit_a, "task_urged", "【督办通知】任务",
                                       "请于 12 月 1 日前回复", "/tasks/9", 9, "urge:9"),
                     3);
    assert_int_equal(db_commit(x->db), DB_OK);
    assert_int_equal(count(x->db, "SELECT COUNT(*) FROM notifications", ""), 3);
    assert_int_equal(count(x->db, "SELECT COUNT(*) FROM deliveries WHERE channel = 'webhook'", ""),
                     1);
    assert_int_equal(count(x->db, "SELECT COUNT(*) FROM deliveries WHERE channel = 'email'", ""),
                     3);
    assert_int_equal(count(x->db,
                           "SELECT COUNT(*) FROM deliveries WHERE channel = 'webhook' AND payload "
                           "= ? AND dedup_key = 'urge:9:unit:' || ?",
                           "si",
                           "{\"msgtype\":\"text\",\"text\":{\"content\":\"【督办通知】任务\\n请于 "
                           "12 月 1 日前回复\\n承办单位：区司法局\"}}",
                           x->unit_a),
                     1);
    /* the same event again, and after a clerk joined: a notification for the newcomer only */
    add_user(x->db, "clerk_a4", x->unit_a, clerk, "a4@example.gov.cn", 0);
    assert_int_equal(db_begin(x->db), DB_OK);
    assert_int_equal(notify_raise_unit(x->db, x->unit_a, "task_urged", "【督办通知】任务",
                                       "请于 12 月 1 日前回复", "/tasks/9", 9, "urge:9"),
                     1);
    assert_int_equal(notify_raise_unit(x->db, x->unit_a, "task_urged", "【督办通知】任务",
                                       "请于 12 月 1 日前回复", "/tasks/9", 9, "urge:9"),
                     0);
    assert_int_equal(db_commit(x->db), DB_OK);
    assert_int_equal(count(x->db, "SELECT COUNT(*) FROM deliveries WHERE channel = 'webhook'", ""),
                     1);
    assert_int_equal(count(x->db, "SELECT COUNT(*) FROM deliveries WHERE channel = 'email'", ""),
                     4);
    /* without a key every raise is an event: one webhook each; every task.manage holder: one */
    assert_int_equal(db_begin(x->db), DB_OK);
    assert_int_equal(
        notify_raise_unit(x->db, x->unit_a, "task_issued", "【下发】任务", "", "/tasks/9", 9, NULL),
        4);
    assert_int_equal(
        notify_raise_unit(x->db, x->unit_a, "task_issued", "【下发】任务", "", "/tasks/9", 9, NULL),
        4);
    assert_int_equal(notify_raise_perm(x->db, "task.work", "alert", "提醒", "", NULL, 0, "p:1"), 5);
    assert_int_equal(notify_raise_perm(x->db, "task.work", "alert", "提醒", "", NULL, 0, "p:1"), 0);
    /* a unit nobody works in: no notification, so no webhook */
    assert_int_equal(
        notify_raise_unit(x->db, x->unit_office, "task_issued", "t", "", NULL, 9, NULL), 0);
    assert_int_equal(db_commit(x->db), DB_OK);
    assert_int_equal(count(x->db, "SELECT COUNT(*) FROM deliveries WHERE channel = 'webhook'", ""),
                     4);
    assert_int_equal(count(x->db,
                           "SELECT COUNT(*) FROM deliveries WHERE channel = 'webhook' AND "
                           "payload LIKE '%接收人%'",
                           ""),
                     0);
}

/* A batch's messages of one event (event_key) share one webhook delivery, in this batch and in
 * any later one; no_webhook keeps a message out of the group; e-mail goes to each. */
static void test_batch_events(void **state) {
    struct fixture *x = *state;
    set_setting(x->db, "notify.webhook_url", "https://robot.example.gov.cn/hook");
    set_setting(x->db, "notify.smtp_url", "smtp://127.0.0.1:1");
    struct notify_msg m[] = {
        {.user_id = x->clerk_a,
         .email = "a@example.gov.cn",
         .kind = "overdue",
         .title = "逾期",
         .dedup_key = "e1:a",
         .event_key = "e1",
         .audience = "承办单位：区司法局"},
        {.user_id = x->clerk_a2,
         .email = "a2@example.gov.cn",
         .kind = "overdue",
         .title = "逾期",
         .dedup_key = "e1:a2",
         .event_key = "e1",
         .audience = "承办单位：区司法局"},
        {.user_id = x->clerk_b,
         .email = "b@example.gov.cn",
         .kind = "overdue",
         .title = "逾期",
         .dedup_key = "e2:b",
         .event_key = "e2",
         .audience = "承办单位：城关街道"},
        {.user_id = x->clerk_b,
         .email = "b@example.gov.cn",
         .kind = "digest_unit",
         .title = "日报",
         .dedup_key = "d:b",
         .no_webhook = 1},
    };
    assert_int_equal(db_begin(x->db), DB_OK);
    assert_int_equal(notify_raise_batch(x->db, m, 4), 4);
    assert_int_equal(notify_raise_batch(x->db, m, 4), 0);
    struct notify_msg late = m[0];
    late.user_id = x->office;
    late.dedup_key = "e1:office";
    assert_int_equal(notify_raise_batch(x->db, &late, 1), 1);
    assert_int_equal(db_commit(x->db), DB_OK);
    assert_int_equal(count(x->db, "SELECT COUNT(*) FROM deliveries WHERE channel = 'webhook'", ""),
                     2);
    assert_int_equal(count(x->db,
                           "SELECT COUNT(*) FROM deliveries WHERE channel = 'webhook' AND "
                           "dedup_key = 'e2' AND payload LIKE '%逾期\\n承办单位：城关街道%'",
                           ""),
                     1);
    assert_int_equal(count(x->db, "SELECT COUNT(*) FROM deliveries WHERE channel = 'email'", ""),
                     5);
}

static int64_t delivery_int(struct db *db, const char *col) {
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT %s FROM deliveries", col);
    return count(db, sql, "");
}

/* A webhook whose address the policy refuses (here: loopback, not allow-listed) fails at once,
 * for good, with a fixed reason and without a connection. */
static void test_refused_address_fails_for_good(void **state) {
    struct fixture *x = *state;
    set_setting(x->db, "notify.webhook_url", "http://127.0.0.1:1/hook?key=k");
    assert_int_equal(db_begin(x->db), DB_OK);
    assert_int_equal(notify_raise(x->db, x->clerk_b, "overdue", "逾期", "", "", 0, NULL), DB_OK);
    assert_int_equal(db_commit(x->db), DB_OK);
    int64_t now = delivery_int(x->db, "next_attempt_at");
    struct notify_pass pass;
    assert_int_equal(notify_deliver_pending(x->db, now, 10, NULL, &pass), DB_OK);
    assert_int_equal(pass.claimed, 1);
    assert_int_equal(pass.failed, 1);
    assert_int_equal(count(x->db,
                           "SELECT COUNT(*) FROM deliveries WHERE status = 'failed' AND "
                           "attempts = 1 AND last_error LIKE 'address refused: %loopback%'",
                           ""),
                     1);
    /* listed, it is tried (and retried: nothing listens on port 1) */
    set_setting(x->db, "notify.webhook_allow", "127.0.0.1");
    assert_int_equal(db_begin(x->db), DB_OK);
    assert_int_equal(notify_raise(x->db, x->clerk_b, "overdue", "逾期2", "", "", 0, NULL), DB_OK);
    assert_int_equal(db_commit(x->db), DB_OK);
    assert_int_equal(notify_deliver_pending(x->db, now + 1, 10, NULL, &pass), DB_OK);
    assert_int_equal(pass.retry, 1);
    assert_int_equal(count(x->db,
                           "SELECT COUNT(*) FROM deliveries WHERE status = 'pending' AND "
                           "last_error LIKE 'curl error 7: %'",
                           ""),
                     1);
}

static void test_retry_schedule(void **state) {
    struct fixture *x = *state;
    set_setting(x->db, "notify.webhook_allow", "127.0.0.1");
    set_setting(x->db, "notify.webhook_url", "http://127.0.0.1:1/"); /* closed port */
    assert_int_equal(db_begin(x->db), DB_OK);
    assert_int_equal(notify_raise(x->db, x->clerk_b, "overdue", "逾期", "", "", 0, NULL), DB_OK);
    assert_int_equal(db_commit(x->db), DB_OK);
    int64_t now = delivery_int(x->db, "next_attempt_at");
    static const int64_t delays[] = {60, 300, 1800, 7200, 43200};
    struct notify_pass pass;
    for (int attempt = 1; attempt <= NOTIFY_MAX_ATTEMPTS; attempt++) {
        /* Not due a second early. */
        assert_int_equal(notify_deliver_pending(x->db, now - 1, 10, NULL, &pass), DB_OK);
        assert_int_equal(pass.claimed, 0);
        assert_int_equal(notify_deliver_pending(x->db, now, 10, NULL, &pass), DB_OK);
        assert_int_equal(pass.claimed, 1);
        assert_int_equal(delivery_int(x->db, "attempts"), attempt);
        if (attempt < NOTIFY_MAX_ATTEMPTS) {
            assert_int_equal(pass.retry, 1);
            assert_int_equal(notify_retry_delay(attempt), delays[attempt - 1]);
            assert_int_equal(delivery_int(x->db, "next_attempt_at"), now + delays[attempt - 1]);
            assert_int_equal(count(x->db,
                                   "SELECT COUNT(*) FROM deliveries WHERE status = "
                                   "'pending' AND last_error <> ''",
                                   ""),
                             1);
            now += delays[attempt - 1];
        } else {
            assert_int_equal(pass.failed, 1);
        }
    }
    assert_int_equal(count(x->db, "SELECT COUNT(*) FROM deliveries WHERE status = 'failed'", ""),
                     1);
    assert_int_equal(notify_deliver_pending(x->db, now + 86400 * 30, 10, NULL, &pass), DB_OK);
    assert_int_equal(pass.claimed, 0);
}

static void test_stale_lease_taken_over(void **state) {
    struct fixture *x = *state;
    set_setting(x->db, "notify.webhook_allow", "127.0.0.1");
    set_setting(x->db, "notify.webhook_url", "http://127.0.0.1:1/");
    assert_int_equal(db_begin(x->db), DB_OK);
    assert_int_equal(notify_raise(x->db, x->clerk_b, "overdue", "逾期", "", "", 0, NULL), DB_OK);
    assert_int_equal(db_commit(x->db), DB_OK);
    int64_t t0 = delivery_int(x->db, "next_attempt_at");
    /* Another server claimed it (lease until t0 + 300) and died. */
    db_exec(x->db, "UPDATE deliveries SET status = 'sending', next_attempt_at = ?", "i",
            t0 + NOTIFY_LEASE_SECONDS);
    struct notify_pass pass;
    assert_int_equal(notify_deliver_pending(x->db, t0 + 60, 10, NULL, &pass), DB_OK);
    assert_int_equal(pass.claimed, 0); /* lease still running */
    assert_int_equal(notify_deliver_pending(x->db, t0 + NOTIFY_LEASE_SECONDS, 10, NULL, &pass),
                     DB_OK);
    assert_int_equal(pass.claimed, 1);
    assert_int_equal(delivery_int(x->db, "attempts"), 1);
}

static void test_job_runs_once_per_day(void **state) {
    struct fixture *x = *state;
    add_task(x->db, 1, x->unit_a, "2026-11-20", NULL, "in_progress");
    set_setting(x->db, "jobs.daily_hour", "8");
    /* 2026-11-25 07:30 in China (23:30 UTC the day before): before the hour, nothing runs. */
    int64_t early = 1795563000; /* 2026-11-24T23:30:00Z */
    int ran = -1;
    assert_int_equal(jobs_run_daily(x->db, early, "reminders", 0, &ran), DB_OK);
    assert_int_equal(ran, 0);
    assert_int_equal(count(x->db, "SELECT COUNT(*) FROM job_runs", ""), 0);
    /* --force ignores the hour, once per day */
    assert_int_equal(jobs_run_daily(x->db, early, "reminders", 1, &ran), DB_OK);
    assert_int_equal(ran, 1);
    assert_int_equal(jobs_run_daily(x->db, early + 3600, "reminders", 0, &ran), DB_OK);
    assert_int_equal(ran, 0);
    assert_int_equal(jobs_run_daily(x->db, early + 7200, "reminders", 1, &ran), DB_OK);
    assert_int_equal(ran, 0);
    assert_int_equal(count(x->db,
                           "SELECT COUNT(*) FROM job_runs WHERE job = 'reminders' AND run_key = "
                           "'2026-11-25' AND finished_at IS NOT NULL AND result LIKE '%overdue=%'",
                           ""),
                     1);
    assert_int_equal(count(x->db,
                           "SELECT COUNT(*) FROM audit_log WHERE action = 'job.run' AND actor = "
                           "'system' AND object_id = 'reminders' AND result = 'ok'",
                           ""),
                     1);
    /* The next local day runs again. */
    assert_int_equal(jobs_run_daily(x->db, early + 86400 + 3600, "reminders", 0, &ran), DB_OK);
    assert_int_equal(ran, 1);
    assert_int_equal(count(x->db, "SELECT COUNT(*) FROM job_runs WHERE job = 'reminders'", ""), 2);
}

int main(void) {
    if (modules_init() != 0) return 1; /* permissions, settings and schema of every module */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_raise_dedup, setup, teardown),
        cmocka_unit_test_setup_teardown(test_raise_unit_and_perm, setup, teardown),
        cmocka_unit_test_setup_teardown(test_raise_queues_deliveries, setup, teardown),
        cmocka_unit_test_setup_teardown(test_raise_batch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unit_event_one_webhook, setup, teardown),
        cmocka_unit_test_setup_teardown(test_batch_events, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refused_address_fails_for_good, setup, teardown),
        cmocka_unit_test_setup_teardown(test_retry_schedule, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stale_lease_taken_over, setup, teardown),
        cmocka_unit_test_setup_teardown(test_job_runs_once_per_day, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
