/* task_reminders_test.c — the daily reminders on fixed data, through the real job runner
 * (jobs_run_daily): the notifications raised equal the hand count per user and kind; a second
 * run the same day raises none; a task crossing a threshold is reminded on that day only; a
 * server down for days catches up once, never more than REMINDER_CATCHUP_DAYS back; many tasks
 * go in many batches; a run cut short is resumed where its last batch ended; the group robot
 * (webhook) hears of each event once, e-mail goes to each recipient. */
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
#include "features/tasks/tasks.h"
#include "store/db.h"
#include "store/settings.h"

#define TS  "2026-01-01T00:00:00Z"
#define T0  1795568400 /* 2026-11-25T01:00:00Z = 09:00 in China, a Wednesday */
#define DAY 86400
#define D0  20782 /* 2026-11-25 as a day number */

struct fixture {
    struct db *db;
    int64_t unit_a, unit_b, unit_office; /* 区司法局, 城关街道, 依法治区办 */
    int64_t clerk_a, clerk_a2, clerk_b, office, locked_clerk, leader;
};

static int64_t exec_id(struct db *db, const char *sql, const char *types, ...) {
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

static int64_t add_unit(struct db *db, const char *code, const char *name) {
    return exec_id(db,
                   "INSERT INTO units (code, name, kind, path, created_at, updated_at) "
                   "VALUES (?, ?, 'department', '/', '" TS "', '" TS "') RETURNING id",
                   "ss", code, name);
}

static int64_t add_role(struct db *db, const char *code, const char *scope, const char *perm1,
                        const char *perm2) {
    int64_t id = exec_id(db,
                         "INSERT INTO roles (code, name, scope, created_at, updated_at) "
                         "VALUES (?, ?, ?, '" TS "', '" TS "') RETURNING id",
                         "sss", code, code, scope);
    const char *perms[] = {perm1, perm2};
    for (int i = 0; i < 2; i++)
        if (perms[i])
            assert_int_equal(db_exec(db,
                                     "INSERT INTO role_permissions (role_id, permission) "
                                     "VALUES (?, ?)",
                                     "is", id, perms[i]),
                             DB_OK);
    return id;
}

static int64_t add_user(struct db *db, const char *name, int64_t unit, int64_t role, int locked) {
    int64_t id = exec_id(db,
                         "INSERT INTO users (username, display_name, unit_id, role_id, "
                         "password_hash, created_at, updated_at) "
                         "VALUES (?, ?, ?, ?, 'x', '" TS "', '" TS "') RETURNING id",
                         "ssii", name, name, unit, role);
    if (locked) db_exec(db, "UPDATE users SET locked = 1 WHERE id = ?", "i", id);
    return id;
}

/* A task issued long ago, led by `lead` (and co-unit `co` unless 0). */
static void add_task(struct db *db, int64_t id, int64_t lead, int64_t co, const char *due_on,
                     const char *report_due_on, const char *status) {
    assert_int_equal(db_exec(db,
                             "INSERT INTO tasks (id, path, title, lead_unit_id, due_on, "
                             "report_due_on, status, issued_at, created_at, updated_at) "
                             "VALUES (?, '/', ?, ?, ?, ?, ?, '" TS "', '" TS "', '" TS "')",
                             "isisss", id, "测试任务", lead, due_on, report_due_on, status),
                     DB_OK);
    assert_int_equal(db_exec(db,
                             "INSERT INTO task_units (task_id, unit_id, role) VALUES (?, ?, "
                             "'lead')",
                             "ii", id, lead),
                     DB_OK);
    if (co)
        assert_int_equal(db_exec(db,
                                 "INSERT INTO task_units (task_id, unit_id, role) VALUES (?, ?, "
                                 "'co')",
                                 "ii", id, co),
                         DB_OK);
}

static void add_urging(struct db *db, int64_t task, int64_t unit, const char *reply_due_on,
                       int64_t by) {
    assert_int_equal(db_exec(db,
                             "INSERT INTO task_urgings (task_id, unit_id, content, reply_due_on, "
                             "created_by, created_at) VALUES (?, ?, '请说明', ?, ?, '" TS "')",
                             "iisi", task, unit, reply_due_on, by),
                     DB_OK);
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
    int64_t clerk = add_role(x->db, "clerk", "own", "task.work", "task.read");
    int64_t office = add_role(x->db, "office", "all", "task.manage", "task.read");
    int64_t leader = add_role(x->db, "leader", "all", "task.read", NULL);
    x->clerk_a = add_user(x->db, "clerk_a", x->unit_a, clerk, 0);
    x->clerk_a2 = add_user(x->db, "clerk_a2", x->unit_a, clerk, 0);
    x->clerk_b = add_user(x->db, "clerk_b", x->unit_b, clerk, 0);
    x->office = add_user(x->db, "office", x->unit_office, office, 0);
    x->locked_clerk = add_user(x->db, "locked", x->unit_a, clerk, 1);
    x->leader = add_user(x->db, "leader_a", x->unit_a, leader, 0); /* no task.work: none */
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

/* Run the daily jobs for the local day of `now` (forced: the hour does not matter). */
static void run_day(struct fixture *x, int64_t now) {
    int ran = -1;
    assert_int_equal(jobs_run_daily(x->db, now, "reminders", 1, &ran), DB_OK);
}

static int64_t n_of(struct fixture *x, int64_t user, const char *kind) {
    return count(x->db, "SELECT COUNT(*) FROM notifications WHERE user_id = ? AND kind = ?", "is",
                 user, kind);
}

static int64_t total(struct fixture *x) {
    return count(x->db, "SELECT COUNT(*) FROM notifications", "");
}

/* The fixed data of the hand count (today 2026-11-25, Wednesday; task.yellow_days 7, so the
 * yellow threshold today is 2026-12-04 and was 2026-12-03 yesterday; the report warning reaches
 * 2026-11-30 today and reached 2026-11-27 yesterday). */
static void hand_data(struct fixture *x) {
    add_task(x->db, 1, x->unit_a, 0, "2026-11-24", NULL, "in_progress"); /* overdue since today */
    add_task(x->db, 2, x->unit_a, 0, "2026-11-20", NULL, "in_progress"); /* overdue for days */
    add_task(x->db, 3, x->unit_b, x->unit_a, "2026-12-04", NULL, "issued"); /* yellow today */
    add_task(x->db, 4, x->unit_b, 0, "2026-12-01", NULL, "in_progress");    /* yellow for days */
    add_task(x->db, 5, x->unit_a, 0, "2027-06-30", "2026-11-30", "in_progress"); /* report soon */
    add_task(x->db, 6, x->unit_a, 0, "2026-11-25", NULL, "in_progress");         /* due today */
    add_task(x->db, 7, x->unit_a, 0, "2026-11-24", NULL, "done");                /* closed */
    add_task(x->db, 8, x->unit_a, 0, "2026-11-24", NULL, "draft");               /* not issued */
    add_task(x->db, 9, x->unit_b, 0, "2026-12-07", NULL, "in_progress"); /* yellow tomorrow */
    /* awaiting acceptance since before its due date (yesterday): the office's turn, nothing to
     * the unit, not late in its digest */
    add_task(x->db, 10, x->unit_a, 0, "2026-11-24", NULL, "closing");
    db_exec(x->db, "UPDATE tasks SET waiting_since = '2026-11-23' WHERE id = 10", "");
    add_urging(x->db, 4, x->unit_b, "2026-11-24", x->office); /* unanswered since today */
    add_urging(x->db, 4, x->unit_b, "2026-11-20", x->office); /* unanswered for days */
}

static void test_hand_count(void **state) {
    struct fixture *x = *state;
    hand_data(x);
    run_day(x, T0);
    /* per task, the unit that must act, the threshold crossed today */
    assert_int_equal(n_of(x, x->clerk_a, "overdue"), 1);  /* task 1 */
    assert_int_equal(n_of(x, x->clerk_a2, "overdue"), 1); /* task 1 */
    assert_int_equal(n_of(x, x->clerk_b, "due_soon"), 1); /* task 3; not its co-unit a */
    assert_int_equal(n_of(x, x->clerk_a, "due_soon"), 0);
    assert_int_equal(n_of(x, x->clerk_a, "report_due"), 1); /* task 5 */
    assert_int_equal(n_of(x, x->clerk_a2, "report_due"), 1);
    assert_int_equal(n_of(x, x->clerk_b, "urging_overdue"), 1); /* the first urging */
    /* one digest per user and kind */
    assert_int_equal(n_of(x, x->clerk_a, "digest_unit"), 1);
    assert_int_equal(n_of(x, x->clerk_a2, "digest_unit"), 1);
    assert_int_equal(n_of(x, x->clerk_b, "digest_unit"), 1);
    assert_int_equal(n_of(x, x->office, "digest_office"), 1);
    /* the office hears nothing task by task; no one else hears anything */
    assert_int_equal(
        count(x->db, "SELECT COUNT(*) FROM notifications WHERE user_id = ?", "i", x->office), 1);
    assert_int_equal(count(x->db, "SELECT COUNT(*) FROM notifications WHERE user_id IN (?, ?)",
                           "ii", x->locked_clerk, x->leader),
                     0);
    assert_int_equal(total(x), 10);
    assert_int_equal(
        count(x->db, "SELECT COUNT(*) FROM notifications WHERE task_id IN (2, 6, 7, 8, 9, 10)", ""),
        0);

    /* what the digests say: the counts of the lists they link to */
    assert_int_equal(count(x->db,
                           "SELECT COUNT(*) FROM notifications WHERE user_id = ? AND kind = "
                           "'digest_unit' AND title = '【每日提醒】你单位有 1 项任务今日到期、2 "
                           "项逾期、1 项临期' AND link = '/tasks/mine?light=red' AND body LIKE "
                           "'%红灯 2 项%黄灯 2 项%'",
                           "i", x->clerk_a),
                     1);
    assert_int_equal(count(x->db,
                           "SELECT COUNT(*) FROM notifications WHERE user_id = ? AND title = "
                           "'【每日提醒】你单位有 2 项任务临期、1 项催办超期未回复' AND body LIKE "
                           "'%红灯 1 项%黄灯 1 项%'",
                           "i", x->clerk_b),
                     1);
    assert_int_equal(count(x->db,
                           "SELECT COUNT(*) FROM notifications WHERE user_id = ? AND title = "
                           "'【督办日报】全部督办任务中有 1 项任务今日到期、2 项逾期、2 项临期、1 "
                           "项催办超期未回复' AND link = '/tasks?light=red' AND body LIKE "
                           "'%红灯 3 项%黄灯 2 项%'",
                           "i", x->office),
                     1);
    assert_int_equal(count(x->db,
                           "SELECT COUNT(*) FROM notifications WHERE kind = 'overdue' AND "
                           "title = '【逾期】《测试任务》已逾期 1 天' AND link = '/tasks/1'",
                           ""),
                     2);
    assert_int_equal(count(x->db,
                           "SELECT COUNT(*) FROM job_runs WHERE job = 'reminders' AND run_key = "
                           "'2026-11-25' AND finished_at IS NOT NULL AND result LIKE "
                           "'tasks=% due_soon=1 overdue=2 report_due=2 urging_overdue=1 "
                           "digest_unit=3 digest_office=1 %from=2026-11-25 batches=%'",
                           ""),
                     1);

    /* The same day again: already ran; and with its row removed, the run raises nothing new. */
    run_day(x, T0 + 3600);
    assert_int_equal(total(x), 10);
    db_exec(x->db, "DELETE FROM job_runs", "");
    run_day(x, T0 + 7200);
    assert_int_equal(total(x), 10);
}

static void set_setting(struct db *db, const char *key, const char *value) {
    assert_int_equal(db_exec(db,
                             "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, '" TS
                             "') ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                             "ss", key, value),
                     DB_OK);
    settings_invalidate();
}

static int64_t webhooks(struct fixture *x, const char *like) {
    return count(x->db,
                 "SELECT COUNT(*) FROM deliveries WHERE channel = 'webhook' AND payload LIKE ?",
                 "s", like);
}

/* With a group robot and SMTP set: the webhook deliveries of the hand data are one per event —
 * task 1 overdue (unit a), task 3 due soon (unit b), task 5's report (unit a), the urging (unit
 * b) and the district-wide office digest: 5, where one per recipient made 10 (and the unit
 * digests stay out of the group); e-mails one per recipient with an address. A narrower
 * manager's digest and a second run add none. */
static void test_webhook_hand_count(void **state) {
    struct fixture *x = *state;
    hand_data(x);
    set_setting(x->db, "notify.webhook_url", "https://robot.example.gov.cn/send?key=k");
    set_setting(x->db, "notify.smtp_url", "smtp://mail.example.gov.cn");
    db_exec(x->db, "UPDATE users SET email = username || '@example.gov.cn' WHERE id IN (?, ?, ?)",
            "iii", x->clerk_a, x->clerk_b, x->office);
    int64_t sub = add_role(x->db, "office_sub", "subtree", "task.manage", "task.read");
    int64_t sub_manager = add_user(x->db, "sub_manager", x->unit_a, sub, 0);
    run_day(x, T0);
    assert_int_equal(n_of(x, sub_manager, "digest_office"), 1);
    assert_int_equal(total(x), 11);
    assert_int_equal(webhooks(x, "%"), 5);
    assert_int_equal(webhooks(x, "%【逾期】《测试任务》已逾期 1 天%承办单位：区司法局\"}}"), 1);
    assert_int_equal(webhooks(x, "%【临期】《测试任务》即将到期%承办单位：城关街道\"}}"), 1);
    assert_int_equal(webhooks(x, "%【报送提醒】%承办单位：区司法局\"}}"), 1);
    assert_int_equal(webhooks(x, "%【催办未回复】%承办单位：城关街道\"}}"), 1);
    assert_int_equal(webhooks(x, "%【督办日报】全部督办任务中有%"), 1);
    assert_int_equal(webhooks(x, "%你负责范围内%"), 0);
    assert_int_equal(webhooks(x, "%每日提醒%"), 0);
    assert_int_equal(webhooks(x, "%接收人%"), 0);
    /* clerk_a: overdue, report, digest; clerk_b: due soon, urging, digest; office: its digest */
    assert_int_equal(count(x->db, "SELECT COUNT(*) FROM deliveries WHERE channel = 'email'", ""),
                     7);
    run_day(x, T0 + 3600);
    db_exec(x->db, "DELETE FROM job_runs", "");
    run_day(x, T0 + 7200);
    assert_int_equal(count(x->db, "SELECT COUNT(*) FROM deliveries", ""), 12);
    /* the next day: task 9 and task 6 cross (2 events), and one office digest */
    run_day(x, T0 + DAY);
    assert_int_equal(webhooks(x, "%"), 5 + 3);
}

static void test_threshold_day_only(void **state) {
    struct fixture *x = *state;
    hand_data(x);
    run_day(x, T0);
    /* task 9 (due 2026-12-07) turns yellow on 2026-11-26: reminded that day, not before or after */
    assert_int_equal(count(x->db, "SELECT COUNT(*) FROM notifications WHERE task_id = 9", ""), 0);
    run_day(x, T0 + DAY);
    assert_int_equal(count(x->db,
                           "SELECT COUNT(*) FROM notifications WHERE task_id = 9 AND kind = "
                           "'due_soon' AND user_id = ?",
                           "i", x->clerk_b),
                     1);
    /* task 6 (due 2026-11-25) is overdue from the 26th: once, to its lead unit */
    assert_int_equal(count(x->db,
                           "SELECT COUNT(*) FROM notifications WHERE task_id = 6 AND kind = "
                           "'overdue'",
                           ""),
                     2);
    /* tasks 1 and 3 crossed yesterday: nothing more */
    assert_int_equal(
        count(x->db, "SELECT COUNT(*) FROM notifications WHERE task_id IN (1, 3, 5)", ""), 5);
    /* a new day: a new digest each */
    assert_int_equal(n_of(x, x->clerk_a, "digest_unit"), 2);
    assert_int_equal(n_of(x, x->office, "digest_office"), 2);
    int64_t after_two_days = total(x);
    run_day(x, T0 + 2 * DAY);
    /* on the 27th only the digests (the clerks of both units and the office) */
    assert_int_equal(total(x) - after_two_days, 4);
}

static void test_catch_up_after_days_down(void **state) {
    struct fixture *x = *state;
    hand_data(x);
    run_day(x, T0);
    int64_t first = total(x);
    /* down on the 26th, 27th and 28th; back on the 29th: task 6 went overdue (26th) and task 9
     * yellow (26th) while it was down, each reminded once now; one digest each, not four */
    run_day(x, T0 + 4 * DAY);
    assert_int_equal(count(x->db,
                           "SELECT COUNT(*) FROM notifications WHERE task_id = 6 AND kind = "
                           "'overdue' AND title LIKE '%已逾期 4 天'",
                           ""),
                     2);
    assert_int_equal(count(x->db, "SELECT COUNT(*) FROM notifications WHERE task_id = 9", ""), 1);
    assert_int_equal(n_of(x, x->clerk_a, "digest_unit"), 2);
    assert_int_equal(total(x) - first, 3 + 4); /* 2 + 1 per task, 3 unit digests + 1 office */
    /* Down for a month: only the last REMINDER_CATCHUP_DAYS are caught up. A task that went
     * overdue 20 days before is in the digest, not reminded by itself. */
    add_task(x->db, 20, x->unit_b, 0, "2026-12-09", NULL, "in_progress");
    add_task(x->db, 21, x->unit_b, 0, "2026-12-24", NULL, "in_progress");
    run_day(x, T0 + 34 * DAY); /* 2026-12-29 */
    assert_int_equal(count(x->db, "SELECT COUNT(*) FROM notifications WHERE task_id = 20", ""), 0);
    assert_int_equal(count(x->db,
                           "SELECT COUNT(*) FROM notifications WHERE task_id = 21 AND kind = "
                           "'overdue'",
                           ""),
                     1);
    assert_int_equal(count(x->db,
                           "SELECT COUNT(*) FROM job_runs WHERE run_key = '2026-12-29' AND result "
                           "LIKE '%from=2026-12-23%'",
                           ""),
                     1);
}

static void test_issued_inside_the_window(void **state) {
    struct fixture *x = *state;
    run_day(x, T0);
    /* Issued today with the due date already within the yellow days: reminded the first run
     * after it was issued (its threshold passed before it existed). */
    assert_int_equal(db_exec(x->db,
                             "INSERT INTO tasks (id, path, title, lead_unit_id, due_on, status, "
                             "issued_at, created_at, updated_at) VALUES (30, '/', '新下发', ?, "
                             "'2026-11-30', 'issued', '2026-11-26T02:00:00Z', '" TS "', '" TS "')",
                             "i", x->unit_b),
                     DB_OK);
    run_day(x, T0 + DAY);
    assert_int_equal(count(x->db,
                           "SELECT COUNT(*) FROM notifications WHERE task_id = 30 AND kind = "
                           "'due_soon' AND user_id = ?",
                           "i", x->clerk_b),
                     1);
}

static void test_many_tasks_many_batches(void **state) {
    struct fixture *x = *state;
    /* 450 tasks of unit b going overdue today, 120 units with one task each due today */
    assert_int_equal(db_begin(x->db), DB_OK);
    for (int i = 0; i < 450; i++)
        add_task(x->db, 1000 + i, x->unit_b, 0, "2026-11-24", NULL, "in_progress");
    int64_t clerk = exec_id(x->db, "SELECT id FROM roles WHERE code = 'clerk'", "");
    for (int i = 0; i < 120; i++) {
        char code[16];
        snprintf(code, sizeof code, "u%d", i);
        int64_t u = add_unit(x->db, code, code);
        add_user(x->db, code, u, clerk, 0);
        add_task(x->db, 5000 + i, u, 0, "2026-11-25", NULL, "in_progress");
    }
    assert_int_equal(db_commit(x->db), DB_OK);
    run_day(x, T0);
    assert_int_equal(n_of(x, x->clerk_b, "overdue"), 450);
    assert_int_equal(
        count(x->db, "SELECT COUNT(*) FROM notifications WHERE kind = 'digest_unit'", ""), 121);
    assert_int_equal(n_of(x, x->office, "digest_office"), 1);
    /* 3 batches of tasks, 1 of report dates, 1 of urgings, 5 of units, 1 of managers */
    assert_int_equal(count(x->db,
                           "SELECT COUNT(*) FROM job_runs WHERE result LIKE '%tasks=570 %' AND "
                           "result LIKE '%units=123 %' AND result LIKE '%batches=11 %'",
                           ""),
                     1);
}

static void test_batch_holds_few_notifications(void **state) {
    struct fixture *x = *state;
    /* a unit of 30 clerks and 50 tasks going overdue: 1,500 notifications, no batch above ~500 */
    assert_int_equal(db_begin(x->db), DB_OK);
    int64_t clerk = exec_id(x->db, "SELECT id FROM roles WHERE code = 'clerk'", "");
    for (int i = 0; i < 28; i++) {
        char name[16];
        snprintf(name, sizeof name, "c%d", i);
        add_user(x->db, name, x->unit_a, clerk, 0);
    }
    for (int i = 0; i < 50; i++)
        add_task(x->db, 100 + i, x->unit_a, 0, "2026-11-24", NULL, "in_progress");
    assert_int_equal(db_commit(x->db), DB_OK);
    run_day(x, T0);
    assert_int_equal(count(x->db, "SELECT COUNT(*) FROM notifications WHERE kind = 'overdue'", ""),
                     1500);
    assert_int_equal(count(x->db,
                           "SELECT COUNT(*) FROM notifications WHERE kind = 'overdue' AND "
                           "dedup_key LIKE 'overdue:149:2026-11-24:%'",
                           ""),
                     30);
    /* 17 + 17 + 16 tasks (510, 510, 480 notifications), then one batch each for the report
     * dates, urgings, units and managers */
    assert_int_equal(
        count(x->db, "SELECT COUNT(*) FROM job_runs WHERE result LIKE '%tasks=50 %batches=7 %'",
              ""),
        1);
}

static void test_resume_after_a_crash(void **state) {
    struct fixture *x = *state;
    hand_data(x);
    /* A server began today's run, raised the per-task reminders and died before the digests:
     * its state says "units next", its lease ran out. */
    struct reminder_run r;
    assert_int_equal(reminders_start(x->db, D0, 0, &r), DB_OK);
    assert_int_equal(r.from, D0);
    char day[11];
    date_format(r.today, day);
    assert_string_equal(day, "2026-11-25");
    r.phase = RP_UNITS;
    r.overdue = 2;
    char state_text[400];
    reminders_format(&r, state_text, sizeof state_text);
    assert_int_equal(db_exec(x->db,
                             "INSERT INTO job_runs (job, run_key, holder, started_at, lease_until, "
                             "state, attempts) VALUES ('reminders', '2026-11-25', 'dead:1', '" TS
                             "', ?, ?, 1)",
                             "is", (int64_t)T0 - 1, state_text),
                     DB_OK);
    run_day(x, T0);
    /* resumed: only the digests were raised now, the run is finished as the second attempt */
    assert_int_equal(
        count(x->db, "SELECT COUNT(*) FROM notifications WHERE task_id IS NOT NULL", ""), 0);
    assert_int_equal(
        count(x->db, "SELECT COUNT(*) FROM notifications WHERE kind LIKE 'digest%'", ""), 4);
    assert_int_equal(count(x->db,
                           "SELECT COUNT(*) FROM job_runs WHERE attempts = 2 AND finished_at IS "
                           "NOT NULL AND result LIKE '%overdue=2 %digest_unit=3 digest_office=1 %'",
                           ""),
                     1);
    assert_int_equal(count(x->db,
                           "SELECT COUNT(*) FROM audit_log WHERE action = 'job.run' AND "
                           "object_id = 'reminders' AND result = 'ok'",
                           ""),
                     1);
}

static void test_live_lease_is_left_alone(void **state) {
    struct fixture *x = *state;
    hand_data(x);
    /* another server holds today's run and renewed its lease a moment ago */
    assert_int_equal(db_exec(x->db,
                             "INSERT INTO job_runs (job, run_key, holder, started_at, lease_until, "
                             "state, attempts) VALUES ('reminders', '2026-11-25', 'other:1', '" TS
                             "', ?, '', 1)",
                             "i", (int64_t)T0 + 60),
                     DB_OK);
    int ran = -1;
    assert_int_equal(jobs_run_daily(x->db, T0, "reminders", 1, &ran), DB_OK);
    assert_int_equal(ran, 0);
    assert_int_equal(total(x), 0);
    /* its lease runs out (it died): the next tick takes the run over from the start */
    assert_int_equal(jobs_run_daily(x->db, T0 + 61, "reminders", 1, &ran), DB_OK);
    assert_int_equal(ran, 1);
    assert_int_equal(total(x), 10);
    /* three attempts and it gives up, audited as failed */
    db_exec(x->db,
            "UPDATE job_runs SET finished_at = NULL, attempts = 3, lease_until = 0, state = 'v1 "
            "garbage'",
            "");
    assert_int_equal(jobs_run_daily(x->db, T0 + 120, "reminders", 1, &ran), DB_ERROR);
    assert_int_equal(count(x->db,
                           "SELECT COUNT(*) FROM job_runs WHERE finished_at IS NOT NULL AND "
                           "result LIKE 'failed: gave up%'",
                           ""),
                     1);
    assert_int_equal(count(x->db,
                           "SELECT COUNT(*) FROM audit_log WHERE action = 'job.run' AND result "
                           "= 'failed'",
                           ""),
                     1);
}

static void test_state_text_round_trip(void **state) {
    struct fixture *x = *state;
    struct reminder_run r, back;
    assert_int_equal(reminders_start(x->db, D0, D0 - 7, &r), DB_OK);
    assert_int_equal(r.from, D0 - 6);
    r.phase = RP_OFFICE;
    r.after = 123456789012LL;
    r.seen[RP_UNITS] = 7;
    r.digest_unit = 42;
    char text[400];
    reminders_format(&r, text, sizeof text);
    assert_int_equal(reminders_parse(text, &back), 0);
    assert_memory_equal(&r, &back, sizeof r);
    assert_int_equal(reminders_parse("", &back), -1);
    assert_int_equal(reminders_parse("v1 today=1", &back), -1);
    /* catch-up is bounded; a first run starts today */
    assert_int_equal(reminders_start(x->db, D0, D0 - 400, &r), DB_OK);
    assert_int_equal(r.from, D0 - REMINDER_CATCHUP_DAYS + 1);
    assert_int_equal(reminders_start(x->db, D0, 0, &r), DB_OK);
    assert_int_equal(r.from, D0);
}

int main(void) {
    if (modules_init() != 0) return 1; /* permissions, settings and schema of every module */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_hand_count, setup, teardown),
        cmocka_unit_test_setup_teardown(test_webhook_hand_count, setup, teardown),
        cmocka_unit_test_setup_teardown(test_threshold_day_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_catch_up_after_days_down, setup, teardown),
        cmocka_unit_test_setup_teardown(test_issued_inside_the_window, setup, teardown),
        cmocka_unit_test_setup_teardown(test_many_tasks_many_batches, setup, teardown),
        cmocka_unit_test_setup_teardown(test_batch_holds_few_notifications, setup, teardown),
        cmocka_unit_test_setup_teardown(test_resume_after_a_crash, setup, teardown),
        cmocka_unit_test_setup_teardown(test_live_lease_is_left_alone, setup, teardown),
        cmocka_unit_test_setup_teardown(test_state_text_round_trip, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
