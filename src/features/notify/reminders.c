/* reminders.c — the daily reminder job (提醒): due soon (临期), overdue (逾期), progress report due
 * (报送) and unanswered urgings (催办未回复), for tasks that are issued, in progress or closing.
 * Each reminder is raised once per task, kind, threshold and recipient: the dedup key names the
 * date it is about, so an extension (a new due_on) or the next report period reminds again. */
#include <stdio.h>
#include <string.h>

#include "base/calendar.h"
#include "base/log.h"
#include "features/notify/notify.h"
#include "store/settings.h"

#define REPORT_WARN_WORKDAYS 3   /* report_due: due within 3 working days, or missed */
#define TASK_UNITS_MAX       64  /* lead + co-units of one task that get reminders */
#define CALENDAR_BEFORE      31  /* days of calendar exceptions loaded before today */
#define CALENDAR_AFTER       400 /* and after: more than 60 working days (task.yellow_days max) */

struct open_task {
    int64_t id;             /* tasks.id */
    char *title;            /* task title */
    char *status;           /* issued | in_progress | closing */
    char due_on[11];        /* YYYY-MM-DD */
    char report_due_on[11]; /* "" when none */
    int64_t lead_unit_id;
    struct open_task *next;
};

/* Raise to the task.work accounts of each unit, then (when to_managers) the task.manage ones.
 * Returns the number raised or < 0. */
static int raise_units(struct db *db, const int64_t *units, int n_units, int to_managers,
                       const char *kind, const char *title, const char *body, const char *link,
                       int64_t task_id, const char *prefix) {
    int total = 0;
    for (int i = 0; i < n_units; i++) {
        int rc = notify_raise_unit(db, units[i], kind, title, body, link, task_id, prefix);
        if (rc < 0) return rc;
        total += rc;
    }
    if (to_managers) {
        int rc = notify_raise_perm(db, "task.manage", kind, title, body, link, task_id, prefix);
        if (rc < 0) return rc;
        total += rc;
    }
    return total;
}

/* Lead unit first, then the co-units (task_units), without duplicates. */
static int task_units(struct db *db, const struct open_task *t, int64_t *out) {
    int n = 0;
    out[n++] = t->lead_unit_id;
    struct db_stmt *st = db_queryv(db,
                                   "SELECT unit_id FROM task_units WHERE task_id = ? "
                                   "ORDER BY unit_id",
                                   "i", t->id);
    if (!st) return DB_ERROR;
    int rc;
    while ((rc = db_step(st)) == DB_ROW && n < TASK_UNITS_MAX) {
        int64_t u = db_col_int(st, 0), seen = 0;
        for (int i = 0; i < n; i++)
            seen |= out[i] == u;
        if (!seen) out[n++] = u;
    }
    db_done(st);
    return rc < 0 ? rc : n;
}

static int load_tasks(struct db *db, struct arena *a, struct open_task **out) {
    struct db_stmt *st =
        db_prepare(db, "SELECT id, title, status, due_on, report_due_on, lead_unit_id FROM tasks "
                       "WHERE status IN ('issued', 'in_progress', 'closing') ORDER BY id DESC");
    if (!st) return DB_ERROR;
    int rc;
    *out = NULL;
    while ((rc = db_step(st)) == DB_ROW) {
        struct open_task *t = arena_alloc(a, sizeof *t);
        t->id = db_col_int(st, 0);
        t->title = arena_strdup(a, db_col_text(st, 1));
        t->status = arena_strdup(a, db_col_text(st, 2));
        snprintf(t->due_on, sizeof t->due_on, "%s", db_col_text(st, 3) ? db_col_text(st, 3) : "");
        snprintf(t->report_due_on, sizeof t->report_due_on, "%s",
                 db_col_text(st, 4) ? db_col_text(st, 4) : "");
        t->lead_unit_id = db_col_int(st, 5);
        t->next = *out; /* ascending id order */
        *out = t;
    }
    db_done(st);
    return rc < 0 ? rc : DB_OK;
}

static int remind_task(struct db *db, struct arena *a, const struct calendar *cal, int32_t today,
                       int64_t yellow_days, const struct open_task *t,
                       struct reminder_counts *out) {
    int32_t due;
    if (date_parse(t->due_on, &due) != 0) {
        log_error("reminders: task %lld has a bad due_on '%s'", (long long)t->id, t->due_on);
        return DB_OK;
    }
    int64_t units[TASK_UNITS_MAX];
    int n_units = task_units(db, t, units);
    if (n_units < 0) return n_units;
    const char *link = arena_printf(a, "/tasks/%lld", (long long)t->id);
    int rc = 0;
    if (due < today) {
        int days = (int)(today - due);
        rc = raise_units(
            db, units, n_units, 1, "overdue",
            arena_printf(a, "【逾期】《%s》已逾期 %d 天", t->title, days),
            arena_printf(a, "任务《%s》截止日期为 %s，已逾期 %d 天，请尽快办结或申请延期。",
                         t->title, t->due_on, days),
            link, t->id, arena_printf(a, "overdue:%lld:%s", (long long)t->id, t->due_on));
        if (rc > 0) out->overdue += rc;
    } else {
        int left = calendar_count_workdays(cal, today, due);
        if (left <= yellow_days) {
            const char *when =
                due == today ? arena_printf(a, "今天（%s）到期", t->due_on)
                             : arena_printf(a, "将于 %s 到期，还剩 %d 个工作日", t->due_on, left);
            rc = raise_units(db, units, n_units, 0, "due_soon",
                             arena_printf(a, "【临期】《%s》%s", t->title,
                                          due == today ? "今天到期" : "即将到期"),
                             arena_printf(a, "任务《%s》%s，请抓紧办理。", t->title, when), link,
                             t->id,
                             arena_printf(a, "due_soon:%lld:%s", (long long)t->id, t->due_on));
            if (rc > 0) out->due_soon += rc;
        }
    }
    if (rc < 0) return rc;

    /* The progress report comes from the lead unit; a task awaiting acceptance reports no more. */
    int32_t report;
    if (strcmp(t->status, "closing") != 0 && t->report_due_on[0] &&
        date_parse(t->report_due_on, &report) == 0 &&
        (report < today || calendar_count_workdays(cal, today, report) <= REPORT_WARN_WORKDAYS)) {
        const char *body =
            report < today
                ? arena_printf(a, "任务《%s》本期进展应于 %s 前报送，至今未报送，请尽快报送。",
                               t->title, t->report_due_on)
                : arena_printf(a, "任务《%s》本期进展请于 %s 前报送。", t->title, t->report_due_on);
        rc = raise_units(db, units, 1, 0, "report_due",
                         arena_printf(a, "【报送提醒】《%s》%s", t->title,
                                      report < today ? "进展未按期报送" : "请按期报送进展"),
                         body, link, t->id,
                         arena_printf(a, "report_due:%lld:%s", (long long)t->id, t->report_due_on));
        if (rc < 0) return rc;
        out->report_due += rc;
    }
    return DB_OK;
}

struct urging {
    int64_t id, task_id, unit_id;
    char *title;           /* the task's */
    char reply_due_on[11]; /* YYYY-MM-DD */
    struct urging *next;
};

static int remind_urgings(struct db *db, struct arena *a, int32_t today,
                          struct reminder_counts *out) {
    char today_text[11];
    date_format(today, today_text);
    struct db_stmt *st =
        db_queryv(db,
                  "SELECT g.id, g.task_id, g.unit_id, g.reply_due_on, t.title FROM task_urgings g "
                  "JOIN tasks t ON t.id = g.task_id WHERE g.replied_at IS NULL "
                  "AND g.reply_due_on < ? AND t.status IN ('issued', 'in_progress', 'closing') "
                  "ORDER BY g.id",
                  "s", today_text);
    if (!st) return DB_ERROR;
    struct urging *list = NULL, **tail = &list;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        struct urging *u = arena_alloc(a, sizeof *u);
        u->id = db_col_int(st, 0);
        u->task_id = db_col_int(st, 1);
        u->unit_id = db_col_int(st, 2);
        snprintf(u->reply_due_on, sizeof u->reply_due_on, "%s", db_col_text(st, 3));
        u->title = arena_strdup(a, db_col_text(st, 4));
        *tail = u;
        tail = &u->next;
    }
    db_done(st);
    if (rc < 0) return rc;
    for (struct urging *u = list; u; u = u->next) {
        rc = raise_units(
            db, &u->unit_id, 1, 1, "urging_overdue",
            arena_printf(a, "【催办未回复】《%s》", u->title),
            arena_printf(a, "任务《%s》的催办通知要求于 %s 前回复，至今未回复，请尽快回复。",
                         u->title, u->reply_due_on),
            arena_printf(a, "/tasks/%lld", (long long)u->task_id), u->task_id,
            arena_printf(a, "urging_overdue:%lld:%s", (long long)u->id, u->reply_due_on));
        if (rc < 0) return rc;
        out->urging_overdue += rc;
    }
    return DB_OK;
}

int reminders_run(struct db *db, int32_t today, struct reminder_counts *out) {
    memset(out, 0, sizeof *out);
    struct arena *a = arena_new(65536);
    struct calendar *cal = NULL;
    struct open_task *tasks = NULL;
    int64_t yellow_days = setting_int(db, "task.yellow_days");
    int rc = calendar_load(db, a, today - CALENDAR_BEFORE, today + CALENDAR_AFTER, &cal);
    if (rc == 0) rc = load_tasks(db, a, &tasks);
    for (struct open_task *t = tasks; rc == DB_OK && t; t = t->next) {
        out->tasks++;
        rc = remind_task(db, a, cal, today, yellow_days, t, out);
    }
    if (rc == DB_OK) rc = remind_urgings(db, a, today, out);
    arena_free(a);
    return rc < 0 ? rc : DB_OK;
}
