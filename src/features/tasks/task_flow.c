/* task_flow.c — the 督办 state machine, declared as one table: each row names the action, the
 * states it may start from, the state it leads to, who may take it and what it does. One engine
 * (task_apply) checks a row, runs its effect, appends the timeline event and the audit record.
 *
 *   draft ─issue→ issued ─(lead unit acknowledges)→ in_progress ─request_close→ closing
 *   closing ─accept→ done        closing ─return→ in_progress        done ─reopen→ in_progress
 *   issued|in_progress|closing ─cancel→ cancelled
 *   extensions, urging notices, reports and 挂牌督办 keep the state. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "features/calendar/calendar.h"
#include "base/timeutil.h"
#include "features/files/files.h"
#include "features/notify/notify.h"
#include "features/tasks/tasks.h"
#include "store/settings.h"

#define S(x)   (1u << (x))
#define ACTIVE (S(TS_ISSUED) | S(TS_IN_PROGRESS) | S(TS_CLOSING))

enum flow_who {
    W_MANAGER,          /* holds task.manage */
    W_ASSIGNED,         /* task.work and the own unit is lead or co-unit */
    W_ASSIGNED_UNACKED, /* … and has not acknowledged yet */
    W_ASSIGNED_ACKED,   /* … and has acknowledged */
    W_LEAD_ACKED,       /* task.work, the own unit leads and has acknowledged */
};

struct flow_ctx {
    struct db *db;
    struct arena *a;
    const struct task_actor *ta;
    const struct task_action_args *args;
    struct task_problems *pr;
    int64_t task_id;
    /* the task */
    int status, supervised;
    int64_t lead_unit_id;
    char due_on[11], report_due_on[11], rhythm[16], title[400];
    const char *custom_dates;
    /* the actor's relation to it */
    int my_role; /* 0 none, 1 lead, 2 co-unit */
    int my_acked;
    int pending_extension;
    int my_open_urgings;
    int open_milestones;
    /* results for the event */
    int new_status; /* -1 = unchanged */
    json_t *detail; /* event detail (owned) */
    int64_t event_id;
};

struct flow_row {
    const char *action;
    const char *zh, *en;
    unsigned from;                              /* states it may start from */
    int to;                                     /* resulting state, -1 = unchanged */
    enum flow_who who;                          /* who may take it */
    int note_required;                          /* a reason or content is mandatory */
    int (*available)(const struct flow_ctx *c); /* extra condition, NULL = none */
    int (*apply)(struct flow_ctx *c);           /* the effect; FLOW_* */
};

static int now_date(char out[11]) {
    date_format(date_today(), out);
    return 0;
}

/* ---- report rhythm ---- */

void task_next_report_due(const char *rhythm, const char *custom_dates, int report_day,
                          const char *after, const char *due_on, char out[11]) {
    out[0] = 0;
    int32_t a, due;
    if (!rhythm || date_parse(after, &a) != 0 || date_parse(due_on, &due) != 0) return;
    if (a >= due) return; /* the closing request is the last report */
    int32_t next = 0;
    if (!strcmp(rhythm, "monthly") || !strcmp(rhythm, "quarterly")) {
        int step = rhythm[0] == 'm' ? 1 : 3;
        for (int k = 0; k < 15 && !next; k++) {
            int32_t cand = date_add_months(a, k, report_day);
            char buf[11];
            date_format(cand, buf);
            int month = (buf[5] - '0') * 10 + (buf[6] - '0');
            if (step == 3 && month % 3 != 0) continue;
            if (cand > a) next = cand;
        }
    } else if (!strcmp(rhythm, "custom")) {
        for (const char *p = custom_dates; p && *p && !next;) {
            int32_t d;
            char buf[11];
            snprintf(buf, sizeof buf, "%.10s", p);
            if (date_parse(buf, &d) == 0 && d > a) next = d;
            p = strchr(p, ',');
            if (p) p++;
        }
    }
    if (!next) return;
    date_format(next < due ? next : due, out);
}

static int set_report_due(struct flow_ctx *c, const char *after) {
    char next[11];
    task_next_report_due(c->rhythm, c->custom_dates, (int)setting_int(c->db, "task.report_day"),
                         after, c->due_on, next);
    return db_exec(c->db, "UPDATE tasks SET report_due_on = ? WHERE id = ?", "si",
                   next[0] ? next : NULL, c->task_id);
}

/* ---- notifications to the people concerned ---- */

static int tell_units(struct flow_ctx *c, const char *kind, const char *title_zh, int lead_only) {
    char link[40];
    snprintf(link, sizeof link, "/tasks/%lld", (long long)c->task_id);
    const char *title = arena_printf(c->a, "【%s】%s", title_zh, c->title);
    struct db_stmt *st =
        db_queryv(c->db, "SELECT unit_id, role FROM task_units WHERE task_id = ?", "i", c->task_id);
    if (!st) return DB_ERROR;
    int64_t units[64];
    int n = 0;
    while (db_step(st) == DB_ROW && n < 64)
        if (!lead_only || !strcmp(db_col_text(st, 1), "lead")) units[n++] = db_col_int(st, 0);
    db_done(st);
    for (int i = 0; i < n; i++)
        if (notify_raise_unit(c->db, units[i], kind, title, c->args->note ? c->args->note : "",
                              link, c->task_id, NULL) < 0)
            return DB_ERROR;
    return DB_OK;
}

/* ---- effects ---- */

static int fx_issue(struct flow_ctx *c) {
    char now[21], today[11];
    now_iso(now);
    now_date(today);
    int rc = db_exec(c->db, "UPDATE tasks SET issued_at = ? WHERE id = ?", "si", now, c->task_id);
    if (rc == DB_OK) rc = set_report_due(c, today);
    if (rc == DB_OK) rc = tell_units(c, "task_issued", "新任务", 0);
    return rc == DB_OK ? FLOW_OK : FLOW_DB;
}

static int fx_acknowledge(struct flow_ctx *c) {
    char now[21];
    now_iso(now);
    struct db_stmt *st = db_prepare(c->db, "UPDATE task_units SET acknowledged_at = ?, "
                                           "acknowledged_by = ? WHERE task_id = ? AND unit_id = ?");
    if (!st) return FLOW_DB;
    db_bind_text(st, 1, now);
    if (c->ta->who->user_id)
        db_bind_int(st, 2, c->ta->who->user_id);
    else
        db_bind_null(st, 2); /* the command line acts without an account */
    db_bind_int(st, 3, c->task_id);
    db_bind_int(st, 4, c->ta->who->unit_id);
    int rc = db_step(st) == DB_DONE ? DB_OK : DB_ERROR;
    db_done(st);
    /* The task is under way once its lead unit has signed for it. */
    if (c->my_role == 1 && c->status == TS_ISSUED) c->new_status = TS_IN_PROGRESS;
    return rc == DB_OK ? FLOW_OK : FLOW_DB;
}

static int fx_report(struct flow_ctx *c) {
    int rc = DB_OK;
    if (c->args->progress >= 0)
        rc = db_exec(c->db, "UPDATE tasks SET progress = ? WHERE id = ?", "ii",
                     (int64_t)c->args->progress, c->task_id);
    if (rc == DB_OK && c->my_role == 1) {
        /* The lead unit's report covers the current period: the next one is due next period. */
        char today[11];
        now_date(today);
        const char *after =
            c->report_due_on[0] && strcmp(c->report_due_on, today) > 0 ? c->report_due_on : today;
        rc = set_report_due(c, after);
    }
    return rc == DB_OK ? FLOW_OK : FLOW_DB;
}

static int fx_request_close(struct flow_ctx *c) {
    int rc = DB_OK;
    if (c->args->progress >= 0)
        rc = db_exec(c->db, "UPDATE tasks SET progress = ? WHERE id = ?", "ii",
                     (int64_t)c->args->progress, c->task_id);
    return rc == DB_OK ? FLOW_OK : FLOW_DB;
}

static int fx_accept(struct flow_ctx *c) {
    char now[21];
    now_iso(now);
    int rc = db_exec(c->db, "UPDATE tasks SET closed_at = ?, progress = 100 WHERE id = ?", "si",
                     now, c->task_id);
    if (rc == DB_OK) rc = tell_units(c, "task_accepted", "已办结", 1);
    return rc == DB_OK ? FLOW_OK : FLOW_DB;
}

static int fx_return(struct flow_ctx *c) {
    return tell_units(c, "task_returned", "办结申请被退回", 1) == DB_OK ? FLOW_OK : FLOW_DB;
}

static int fx_request_extension(struct flow_ctx *c) {
    const char *nd = c->args->new_due_on;
    int32_t d;
    if (!nd || date_parse(nd, &d) != 0) {
        task_problem(c->pr, "new_due_on", "请填写有效的新截止日期", "Give a valid new due date");
        return FLOW_INVALID;
    }
    if (strcmp(nd, c->due_on) <= 0) {
        task_problem(c->pr, "new_due_on", "新截止日期须晚于原截止日期",
                     "The new due date must be after the current one");
        return FLOW_INVALID;
    }
    char now[21];
    now_iso(now);
    struct db_stmt *st = db_prepare(c->db, "INSERT INTO task_extensions (task_id, unit_id, "
                                           "requested_by, reason, old_due_on, new_due_on, "
                                           "created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id");
    if (!st) return FLOW_DB;
    db_bind_int(st, 1, c->task_id);
    db_bind_int(st, 2, c->ta->who->unit_id);
    db_bind_int(st, 3, c->ta->who->user_id);
    db_bind_text(st, 4, c->args->note);
    db_bind_text(st, 5, c->due_on);
    db_bind_text(st, 6, nd);
    db_bind_text(st, 7, now);
    int rc = db_step(st);
    int64_t id = rc == DB_ROW ? db_col_int(st, 0) : 0;
    db_done(st);
    if (!id) return FLOW_DB;
    json_object_set_new(c->detail, "extension_id", json_integer(id));
    json_object_set_new(c->detail, "old_due_on", json_string(c->due_on));
    json_object_set_new(c->detail, "new_due_on", json_string(nd));
    return FLOW_OK;
}

static int fx_decide_extension(struct flow_ctx *c) {
    struct db_stmt *st = db_queryv(c->db,
                                   "SELECT new_due_on, unit_id FROM task_extensions WHERE id = ? "
                                   "AND task_id = ? AND status = 'pending'",
                                   "ii", c->args->extension_id, c->task_id);
    char nd[11] = "";
    int64_t unit = 0;
    if (st && db_step(st) == DB_ROW) {
        snprintf(nd, sizeof nd, "%s", db_col_text(st, 0));
        unit = db_col_int(st, 1);
    }
    db_done(st);
    if (!nd[0]) {
        task_problem(c->pr, "extension_id", "没有待审批的该延期申请",
                     "No such pending extension request");
        return FLOW_INVALID;
    }
    char now[21];
    now_iso(now);
    int approve = c->args->approve;
    int rc = db_exec(c->db,
                     "UPDATE task_extensions SET status = ?, decided_by = ?, decided_at = ?, "
                     "decision_note = ? WHERE id = ?",
                     "sissi", approve ? "approved" : "refused", c->ta->who->user_id, now,
                     c->args->note ? c->args->note : "", c->args->extension_id);
    if (rc == DB_OK && approve) {
        rc = db_exec(c->db, "UPDATE tasks SET due_on = ? WHERE id = ?", "si", nd, c->task_id);
        snprintf(c->due_on, sizeof c->due_on, "%s", nd);
        if (rc == DB_OK && c->report_due_on[0] == 0 && strcmp(c->rhythm, "none") != 0) {
            char today[11];
            now_date(today);
            rc = set_report_due(c, today);
        }
    }
    json_object_set_new(c->detail, "extension_id", json_integer(c->args->extension_id));
    json_object_set_new(c->detail, "approve", json_boolean(approve));
    json_object_set_new(c->detail, "new_due_on", json_string(nd));
    char link[40];
    snprintf(link, sizeof link, "/tasks/%lld", (long long)c->task_id);
    if (rc == DB_OK &&
        notify_raise_unit(
            c->db, unit, "extension_decided",
            arena_printf(c->a, "【延期%s】%s", approve ? "已批准" : "未批准", c->title),
            approve ? arena_printf(c->a, "新截止日期 %s", nd) : "", link, c->task_id, NULL) < 0)
        rc = DB_ERROR;
    return rc == DB_OK ? FLOW_OK : FLOW_DB;
}

static int fx_urge(struct flow_ctx *c) {
    int64_t unit = c->args->unit_id, n = 0;
    if (!unit) unit = c->lead_unit_id;
    if (db_query_int(c->db, &n, "SELECT COUNT(*) FROM task_units WHERE task_id = ? AND unit_id = ?",
                     "ii", c->task_id, unit) != DB_ROW ||
        !n) {
        task_problem(c->pr, "unit_id", "该单位不是本任务的承办单位",
                     "That unit is not assigned to this task");
        return FLOW_INVALID;
    }
    char due[11];
    const char *rd = c->args->reply_due_on;
    if (rd && *rd) {
        int32_t d;
        char today[11];
        now_date(today);
        if (date_parse(rd, &d) != 0 || strcmp(rd, today) < 0) {
            task_problem(c->pr, "reply_due_on", "回复期限须为今天或以后的有效日期",
                         "The reply deadline must be a valid date, today or later");
            return FLOW_INVALID;
        }
        snprintf(due, sizeof due, "%s", rd);
    } else {
        char today[11];
        now_date(today);
        if (workdays_add(c->db, today, 3, due) != 0) return FLOW_DB; /* default: 3 working days */
    }
    char now[21];
    now_iso(now);
    struct db_stmt *st = db_prepare(c->db, "INSERT INTO task_urgings (task_id, unit_id, content, "
                                           "reply_due_on, created_by, created_at) "
                                           "VALUES (?, ?, ?, ?, ?, ?) RETURNING id");
    if (!st) return FLOW_DB;
    db_bind_int(st, 1, c->task_id);
    db_bind_int(st, 2, unit);
    db_bind_text(st, 3, c->args->note);
    db_bind_text(st, 4, due);
    db_bind_int(st, 5, c->ta->who->user_id);
    db_bind_text(st, 6, now);
    int rc = db_step(st);
    int64_t id = rc == DB_ROW ? db_col_int(st, 0) : 0;
    db_done(st);
    if (!id) return FLOW_DB;
    json_object_set_new(c->detail, "urging_id", json_integer(id));
    json_object_set_new(c->detail, "unit_id", json_integer(unit));
    json_object_set_new(c->detail, "reply_due_on", json_string(due));
    char link[40];
    snprintf(link, sizeof link, "/tasks/%lld", (long long)c->task_id);
    rc = notify_raise_unit(
        c->db, unit, "task_urged", arena_printf(c->a, "【督办通知】%s", c->title),
        arena_printf(c->a, "%s（请于 %s 前回复）", c->args->note, due), link, c->task_id, NULL);
    return rc >= 0 ? FLOW_OK : FLOW_DB;
}

static int fx_reply_urging(struct flow_ctx *c) {
    char now[21];
    now_iso(now);
    int rc = db_exec(c->db,
                     "UPDATE task_urgings SET replied_at = ?, reply = ?, replied_by = ? "
                     "WHERE id = ? AND task_id = ? AND unit_id = ? AND replied_at IS NULL",
                     "ssiiii", now, c->args->note, c->ta->who->user_id, c->args->urging_id,
                     c->task_id, c->ta->who->unit_id);
    if (rc != DB_OK) return FLOW_DB;
    if (db_changes(c->db) != 1) {
        task_problem(c->pr, "urging_id", "没有待回复的该督办通知",
                     "No such unanswered urging notice for your unit");
        return FLOW_INVALID;
    }
    json_object_set_new(c->detail, "urging_id", json_integer(c->args->urging_id));
    return FLOW_OK;
}

static int fx_complete_milestone(struct flow_ctx *c) {
    char today[11];
    now_date(today);
    int rc = db_exec(c->db,
                     "UPDATE task_milestones SET done_on = ? WHERE id = ? AND task_id = ? "
                     "AND done_on IS NULL",
                     "sii", today, c->args->milestone_id, c->task_id);
    if (rc != DB_OK) return FLOW_DB;
    if (db_changes(c->db) != 1) {
        task_problem(c->pr, "milestone_id", "没有未完成的该节点", "No such open milestone");
        return FLOW_INVALID;
    }
    json_object_set_new(c->detail, "milestone_id", json_integer(c->args->milestone_id));
    return FLOW_OK;
}

static int fx_supervise(struct flow_ctx *c) {
    return db_exec(c->db, "UPDATE tasks SET supervised = 1 WHERE id = ?", "i", c->task_id) == DB_OK
               ? FLOW_OK
               : FLOW_DB;
}

static int fx_unsupervise(struct flow_ctx *c) {
    return db_exec(c->db, "UPDATE tasks SET supervised = 0 WHERE id = ?", "i", c->task_id) == DB_OK
               ? FLOW_OK
               : FLOW_DB;
}

static int fx_cancel(struct flow_ctx *c) {
    char now[21];
    now_iso(now);
    return db_exec(c->db, "UPDATE tasks SET closed_at = ? WHERE id = ?", "si", now, c->task_id) ==
                   DB_OK
               ? FLOW_OK
               : FLOW_DB;
}

static int fx_reopen(struct flow_ctx *c) {
    return db_exec(c->db, "UPDATE tasks SET closed_at = NULL WHERE id = ?", "i", c->task_id) ==
                   DB_OK
               ? FLOW_OK
               : FLOW_DB;
}

/* ---- availability ---- */

static int av_not_supervised(const struct flow_ctx *c) {
    return !c->supervised;
}
static int av_supervised(const struct flow_ctx *c) {
    return c->supervised;
}
static int av_pending_extension(const struct flow_ctx *c) {
    return c->pending_extension;
}
static int av_no_pending_extension(const struct flow_ctx *c) {
    return !c->pending_extension;
}
static int av_open_urging(const struct flow_ctx *c) {
    return c->my_open_urgings > 0;
}
static int av_open_milestone(const struct flow_ctx *c) {
    return c->open_milestones > 0;
}

static const struct flow_row flow[] = {
    {"issue", "下发", "Issue", S(TS_DRAFT), TS_ISSUED, W_MANAGER, 0, NULL, fx_issue},
    {"acknowledge", "签收", "Acknowledge", S(TS_ISSUED) | S(TS_IN_PROGRESS), -1, W_ASSIGNED_UNACKED,
     0, NULL, fx_acknowledge},
    {"report", "报送进展", "Report progress", S(TS_IN_PROGRESS), -1, W_ASSIGNED_ACKED, 1, NULL,
     fx_report},
    {"complete_milestone", "完成节点", "Complete a milestone", S(TS_IN_PROGRESS), -1, W_LEAD_ACKED,
     0, av_open_milestone, fx_complete_milestone},
    {"request_close", "申请办结", "Ask to close", S(TS_IN_PROGRESS), TS_CLOSING, W_LEAD_ACKED, 1,
     NULL, fx_request_close},
    {"accept", "审核办结", "Accept", S(TS_CLOSING), TS_DONE, W_MANAGER, 0, NULL, fx_accept},
    {"return", "退回", "Return", S(TS_CLOSING), TS_IN_PROGRESS, W_MANAGER, 1, NULL, fx_return},
    {"request_extension", "申请延期", "Ask for an extension", S(TS_ISSUED) | S(TS_IN_PROGRESS), -1,
     W_ASSIGNED, 1, av_no_pending_extension, fx_request_extension},
    {"decide_extension", "审批延期", "Decide an extension", ACTIVE, -1, W_MANAGER, 0,
     av_pending_extension, fx_decide_extension},
    {"urge", "催办督办", "Send an urging notice", S(TS_ISSUED) | S(TS_IN_PROGRESS), -1, W_MANAGER,
     1, NULL, fx_urge},
    {"reply_urging", "回复督办", "Reply to an urging notice", ACTIVE, -1, W_ASSIGNED, 1,
     av_open_urging, fx_reply_urging},
    {"supervise", "挂牌督办", "Put under formal supervision", ACTIVE, -1, W_MANAGER, 0,
     av_not_supervised, fx_supervise},
    {"unsupervise", "摘牌", "End formal supervision", ACTIVE, -1, W_MANAGER, 0, av_supervised,
     fx_unsupervise},
    {"cancel", "撤销", "Cancel", ACTIVE, TS_CANCELLED, W_MANAGER, 1, NULL, fx_cancel},
    {"reopen", "重新打开", "Reopen", S(TS_DONE), TS_IN_PROGRESS, W_MANAGER, 1, NULL, fx_reopen},
};
#define N_FLOW (int)(sizeof flow / sizeof flow[0])

int task_action_known(const char *action) {
    for (int i = 0; i < N_FLOW; i++)
        if (!strcmp(flow[i].action, action)) return 1;
    return 0;
}

const char *task_action_label(const char *action, int lang) {
    static const char *const extra[][3] = {{"create", "创建", "Created"},
                                           {"update", "修改", "Edited"}};
    for (int i = 0; action && i < N_FLOW; i++)
        if (!strcmp(flow[i].action, action)) return lang ? flow[i].en : flow[i].zh;
    for (size_t i = 0; action && i < sizeof extra / sizeof extra[0]; i++)
        if (!strcmp(extra[i][0], action)) return extra[i][lang ? 2 : 1];
    return action ? action : "";
}

static int load_ctx(struct flow_ctx *c) {
    struct db_stmt *st = db_queryv(c->db,
                                   "SELECT status, supervised, lead_unit_id, due_on, "
                                   "COALESCE(report_due_on, ''), rhythm, custom_dates, title "
                                   "FROM tasks WHERE id = ?",
                                   "i", c->task_id);
    if (!st) return DB_ERROR;
    int rc = db_step(st);
    if (rc == DB_ROW) {
        c->status = task_status_parse(db_col_text(st, 0));
        c->supervised = (int)db_col_int(st, 1);
        c->lead_unit_id = db_col_int(st, 2);
        snprintf(c->due_on, sizeof c->due_on, "%s", db_col_text(st, 3));
        snprintf(c->report_due_on, sizeof c->report_due_on, "%s", db_col_text(st, 4));
        snprintf(c->rhythm, sizeof c->rhythm, "%s", db_col_text(st, 5));
        c->custom_dates = arena_strdup(c->a, db_col_text(st, 6));
        snprintf(c->title, sizeof c->title, "%s", db_col_text(st, 7));
    }
    db_done(st);
    if (rc != DB_ROW) return rc;
    int64_t unit = c->ta->who ? c->ta->who->unit_id : 0;
    st = db_queryv(c->db,
                   "SELECT role, acknowledged_at FROM task_units WHERE task_id = ? AND unit_id = ?",
                   "ii", c->task_id, unit);
    if (st && db_step(st) == DB_ROW) {
        c->my_role = !strcmp(db_col_text(st, 0), "lead") ? 1 : 2;
        c->my_acked = db_col_text(st, 1) != NULL;
    }
    db_done(st);
    int64_t n = 0;
    db_query_int(c->db, &n,
                 "SELECT COUNT(*) FROM task_extensions WHERE task_id = ? AND status = 'pending'",
                 "i", c->task_id);
    c->pending_extension = n > 0;
    n = 0;
    db_query_int(c->db, &n,
                 "SELECT COUNT(*) FROM task_urgings WHERE task_id = ? AND unit_id = ? "
                 "AND replied_at IS NULL",
                 "ii", c->task_id, unit);
    c->my_open_urgings = (int)n;
    n = 0;
    db_query_int(c->db, &n,
                 "SELECT COUNT(*) FROM task_milestones WHERE task_id = ? AND done_on IS NULL", "i",
                 c->task_id);
    c->open_milestones = (int)n;
    return DB_ROW;
}

static int row_allowed(const struct flow_row *f, const struct flow_ctx *c) {
    if (c->status < 0 || !(f->from & S(c->status))) return 0;
    const struct principal *p = c->ta->who;
    int worker = p && perm_has(p->perms, &perm_task_work);
    switch (f->who) {
    case W_MANAGER:
        if (!p || !perm_has(p->perms, &perm_task_manage)) return 0;
        break;
    case W_ASSIGNED:
        if (!worker || !c->my_role) return 0;
        break;
    case W_ASSIGNED_UNACKED:
        if (!worker || !c->my_role || c->my_acked) return 0;
        break;
    case W_ASSIGNED_ACKED:
        if (!worker || !c->my_role || !c->my_acked) return 0;
        break;
    case W_LEAD_ACKED:
        if (!worker || c->my_role != 1 || !c->my_acked) return 0;
        break;
    }
    return !f->available || f->available(c);
}

json_t *task_allowed_actions(struct db *db, const struct task_actor *ta, int64_t task_id) {
    struct arena *a = arena_new(4096);
    struct flow_ctx c = {.db = db, .a = a, .ta = ta, .task_id = task_id};
    json_t *out = json_array();
    if (load_ctx(&c) == DB_ROW)
        for (int i = 0; i < N_FLOW; i++)
            if (row_allowed(&flow[i], &c)) json_array_append_new(out, json_string(flow[i].action));
    arena_free(a);
    return out;
}

int task_apply(struct db *db, struct arena *a, const struct task_actor *ta, int64_t task_id,
               const char *action, const struct task_action_args *args, struct task_problems *pr) {
    const struct flow_row *f = NULL;
    for (int i = 0; i < N_FLOW; i++)
        if (!strcmp(flow[i].action, action)) f = &flow[i];
    if (!f) return FLOW_NOT_FOUND;
    struct flow_ctx c = {
        .db = db, .a = a, .ta = ta, .args = args, .pr = pr, .task_id = task_id, .new_status = -1};
    int rc = load_ctx(&c);
    if (rc == DB_DONE) return FLOW_NOT_FOUND;
    if (rc != DB_ROW) return FLOW_DB;
    if (!row_allowed(f, &c)) return FLOW_NOT_ALLOWED;
    if (f->note_required && (!args->note || !*args->note)) {
        task_problem(pr, "note", "请填写说明", "Please write a note");
        return FLOW_INVALID;
    }
    if (args->progress > 100) {
        task_problem(pr, "progress", "进度须在 0–100 之间", "Progress is 0–100");
        return FLOW_INVALID;
    }
    c.detail = json_object();
    if (f->to >= 0) c.new_status = f->to;
    int frc = f->apply(&c);
    if (frc == FLOW_OK && c.new_status >= 0 && c.new_status != c.status)
        frc = db_exec(db, "UPDATE tasks SET status = ? WHERE id = ?", "si",
                      task_status_codes[c.new_status], task_id) == DB_OK
                  ? FLOW_OK
                  : FLOW_DB;
    if (frc == FLOW_OK && c.new_status >= 0 && c.new_status != c.status) {
        json_object_set_new(c.detail, "from", json_string(task_status_codes[c.status]));
        json_object_set_new(c.detail, "to", json_string(task_status_codes[c.new_status]));
    }
    char *detail = NULL;
    if (frc == FLOW_OK) {
        char *s = json_dumps(c.detail, JSON_COMPACT);
        detail = arena_strdup(a, s ? s : "{}");
        free(s);
        frc = task_event_add(db, ta, task_id, action, args->note, args->progress, detail,
                             &c.event_id) == DB_OK
                  ? FLOW_OK
                  : FLOW_DB;
    }
    if (frc == FLOW_OK && args->n_attachments > 0 && ta->who) {
        int crc = files_claim(db, ta->who->user_id, args->attachment_ids, args->n_attachments,
                              "task_event", c.event_id);
        if (crc != DB_OK) {
            task_problem(pr, "attachment_ids", "附件无效或已被使用",
                         "An attachment is invalid or already used");
            frc = crc == DB_ERROR ? FLOW_DB : FLOW_INVALID;
        }
    }
    if (frc == FLOW_OK) {
        char oid[24];
        snprintf(oid, sizeof oid, "%lld", (long long)task_id);
        frc = audit_append(db, ta->audit, arena_printf(a, "task.%s", action), "task", oid, "ok",
                           detail) == DB_OK
                  ? FLOW_OK
                  : FLOW_DB;
    }
    json_decref(c.detail);
    return frc;
}

int task_event_file_readable(struct db *db, const struct principal *who, int64_t event_id) {
    int64_t task = 0;
    if (db_query_int(db, &task, "SELECT task_id FROM task_events WHERE id = ?", "i", event_id) !=
        DB_ROW)
        return 0;
    return perm_has(who->perms, &perm_task_read) && task_visible(db, who, task);
}

int task_document_file_readable(struct db *db, const struct principal *who, int64_t id) {
    (void)db;
    (void)id;
    return perm_has(who->perms, &perm_task_read);
}
