/* task_flow.c — the 督办 state machine as the first kind of the workflow engine (features/flow):
 * states, transitions (who may take each: a permission plus a relation to the task), arguments
 * with their bounds, guards with the message a refusal shows, the parties told, and the
 * task-specific effects. flow_apply() checks a row, runs its effect, changes the status, appends
 * the timeline event (task_events), claims attachments, notifies and audits.
 *
 *   draft ─issue→ issued ─(lead unit acknowledges)→ in_progress ─request_close→ closing
 *   closing ─accept→ done        closing ─return→ in_progress        done ─reopen→ in_progress
 *   issued|in_progress|closing ─cancel→ cancelled
 *   extensions, urging notices, reports and 挂牌督办 keep the state. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/timeutil.h"
#include "features/calendar/calendar.h"
#include "features/flow/flow.h"
#include "features/notify/notify.h"
#include "features/tasks/tasks.h"
#include "store/settings.h"

#define S(x)   (1u << (x))
#define ACTIVE (S(TS_ISSUED) | S(TS_IN_PROGRESS) | S(TS_CLOSING))

/* What the task's relations, guards and effects read (loaded by load_ctx). */
struct task_ctx {
    struct flow_ctx f; /* first: the engine's part */
    int supervised;
    int64_t lead_unit_id;
    char due_on[11], report_due_on[11], rhythm[16], title[400];
    const char *custom_dates;
    /* the actor's relation to it */
    int my_role; /* 0 none, 1 lead, 2 co-unit */
    int my_acked;
    int pending_extension;
    int my_open_urgings;
    int open_milestones;
};
#define TC(c)  ((struct task_ctx *)(c))
#define TCC(c) ((const struct task_ctx *)(c))

static int now_date(char out[11]) {
    date_format(date_today(), out);
    return 0;
}

static const struct principal *actor_of(const struct flow_ctx *c) {
    return c->actor->who;
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

static int set_report_due(struct task_ctx *c, const char *after) {
    char next[11];
    task_next_report_due(c->rhythm, c->custom_dates, (int)setting_int(c->f.db, "task.report_day"),
                         after, c->due_on, next);
    return db_exec(c->f.db, "UPDATE tasks SET report_due_on = ? WHERE id = ?", "si",
                   next[0] ? next : NULL, c->f.id);
}

/* ---- effects ---- */

static int fx_issue(struct flow_ctx *fc) {
    struct task_ctx *c = TC(fc);
    char now[21], today[11];
    now_iso(now);
    now_date(today);
    int rc = db_exec(fc->db, "UPDATE tasks SET issued_at = ? WHERE id = ?", "si", now, fc->id);
    if (rc == DB_OK) rc = set_report_due(c, today);
    return rc == DB_OK ? FLOW_OK : FLOW_DB;
}

static int fx_acknowledge(struct flow_ctx *fc) {
    struct task_ctx *c = TC(fc);
    char now[21];
    now_iso(now);
    struct db_stmt *st =
        db_prepare(fc->db, "UPDATE task_units SET acknowledged_at = ?, "
                           "acknowledged_by = ? WHERE task_id = ? AND unit_id = ?");
    if (!st) return FLOW_DB;
    db_bind_text(st, 1, now);
    if (actor_of(fc)->user_id)
        db_bind_int(st, 2, actor_of(fc)->user_id);
    else
        db_bind_null(st, 2); /* the command line acts without an account */
    db_bind_int(st, 3, fc->id);
    db_bind_int(st, 4, actor_of(fc)->unit_id);
    int rc = db_step(st) == DB_DONE ? DB_OK : DB_ERROR;
    db_done(st);
    /* The task is under way once its lead unit has signed for it. */
    if (c->my_role == 1 && fc->status == TS_ISSUED) fc->new_status = TS_IN_PROGRESS;
    return rc == DB_OK ? FLOW_OK : FLOW_DB;
}

static int set_progress(struct flow_ctx *fc) {
    int64_t progress = flow_arg_int(fc, "progress", -1);
    if (progress < 0) return DB_OK;
    return db_exec(fc->db, "UPDATE tasks SET progress = ? WHERE id = ?", "ii", progress, fc->id);
}

static int fx_report(struct flow_ctx *fc) {
    struct task_ctx *c = TC(fc);
    int rc = set_progress(fc);
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

/* The office's turn from today (tasks.waiting_since, the light rule in tasks.h): a request of
 * the unit waits for it; an earlier one still waiting keeps its day. */
static int turn_to_office(struct flow_ctx *fc) {
    char today[11];
    now_date(today);
    return db_exec(fc->db,
                   "UPDATE tasks SET waiting_since = COALESCE(waiting_since, ?) WHERE id = ?", "si",
                   today, fc->id);
}

/* The unit's turn again — unless an extension request still waits (then since its day). */
static int turn_to_unit(struct flow_ctx *fc) {
    struct db_stmt *st = db_queryv(fc->db,
                                   "SELECT MIN(created_at) FROM task_extensions WHERE task_id = ? "
                                   "AND status = 'pending'",
                                   "i", fc->id);
    int rc = st ? db_step(st) : DB_ERROR;
    char since[11] = "";
    if (rc == DB_ROW && db_col_text(st, 0)) {
        int32_t day = date_local_of_iso(db_col_text(st, 0));
        if (day) date_format(day, since);
    }
    db_done(st);
    if (rc != DB_ROW) return DB_ERROR;
    return db_exec(fc->db, "UPDATE tasks SET waiting_since = ? WHERE id = ?", "si",
                   since[0] ? since : NULL, fc->id);
}

static int fx_request_close(struct flow_ctx *fc) {
    int rc = set_progress(fc);
    if (rc == DB_OK) rc = turn_to_office(fc);
    return rc == DB_OK ? FLOW_OK : FLOW_DB;
}

static int fx_return(struct flow_ctx *fc) {
    return turn_to_unit(fc) == DB_OK ? FLOW_OK : FLOW_DB;
}

static int fx_accept(struct flow_ctx *fc) {
    char now[21];
    now_iso(now);
    return db_exec(fc->db,
                   "UPDATE tasks SET closed_at = ?, progress = 100, waiting_since = NULL "
                   "WHERE id = ?",
                   "si", now, fc->id) == DB_OK
               ? FLOW_OK
               : FLOW_DB;
}

static int fx_request_extension(struct flow_ctx *fc) {
    struct task_ctx *c = TC(fc);
    const char *nd = flow_arg_text(fc, "new_due_on"); /* a valid date: the declaration says so */
    if (strcmp(nd, c->due_on) <= 0) {
        flow_problem(fc, "new_due_on", "新截止日期须晚于原截止日期",
                     "The new due date must be after the current one");
        return FLOW_INVALID;
    }
    char now[21];
    now_iso(now);
    struct db_stmt *st =
        db_prepare(fc->db, "INSERT INTO task_extensions (task_id, unit_id, "
                           "requested_by, reason, old_due_on, new_due_on, "
                           "created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id");
    if (!st) return FLOW_DB;
    db_bind_int(st, 1, fc->id);
    db_bind_int(st, 2, actor_of(fc)->unit_id);
    db_bind_int(st, 3, actor_of(fc)->user_id);
    db_bind_text(st, 4, fc->note);
    db_bind_text(st, 5, c->due_on);
    db_bind_text(st, 6, nd);
    db_bind_text(st, 7, now);
    int rc = db_step(st);
    int64_t id = rc == DB_ROW ? db_col_int(st, 0) : 0;
    db_done(st);
    if (!id) return FLOW_DB;
    json_object_set_new(fc->detail, "extension_id", json_integer(id));
    json_object_set_new(fc->detail, "old_due_on", json_string(c->due_on));
    json_object_set_new(fc->detail, "new_due_on", json_string(nd));
    return turn_to_office(fc) == DB_OK ? FLOW_OK : FLOW_DB;
}

static int fx_decide_extension(struct flow_ctx *fc) {
    struct task_ctx *c = TC(fc);
    int64_t ext = flow_arg_int(fc, "extension_id", 0);
    struct db_stmt *st = db_queryv(fc->db,
                                   "SELECT new_due_on, unit_id FROM task_extensions WHERE id = ? "
                                   "AND task_id = ? AND status = 'pending'",
                                   "ii", ext, fc->id);
    char nd[11] = "";
    int64_t unit = 0;
    if (st && db_step(st) == DB_ROW) {
        snprintf(nd, sizeof nd, "%s", db_col_text(st, 0));
        unit = db_col_int(st, 1);
    }
    db_done(st);
    if (!nd[0]) {
        flow_problem(fc, "extension_id", "没有待审批的该延期申请",
                     "No such pending extension request");
        return FLOW_INVALID;
    }
    char now[21];
    now_iso(now);
    int approve = flow_arg_bool(fc, "approve", 0);
    int rc = db_exec(fc->db,
                     "UPDATE task_extensions SET status = ?, decided_by = ?, decided_at = ?, "
                     "decision_note = ? WHERE id = ?",
                     "sissi", approve ? "approved" : "refused", actor_of(fc)->user_id, now,
                     fc->note, ext);
    if (rc == DB_OK && approve) {
        rc = db_exec(fc->db, "UPDATE tasks SET due_on = ? WHERE id = ?", "si", nd, fc->id);
        snprintf(c->due_on, sizeof c->due_on, "%s", nd);
        if (rc == DB_OK && c->report_due_on[0] == 0 && strcmp(c->rhythm, "none") != 0) {
            char today[11];
            now_date(today);
            rc = set_report_due(c, today);
        }
    }
    /* decided: the unit's turn again, unless its close request waits for acceptance */
    if (rc == DB_OK && fc->status != TS_CLOSING) rc = turn_to_unit(fc);
    json_object_set_new(fc->detail, "extension_id", json_integer(ext));
    json_object_set_new(fc->detail, "approve", json_boolean(approve));
    json_object_set_new(fc->detail, "new_due_on", json_string(nd));
    /* The requesting unit is told (the party depends on the request, so the effect tells). */
    char link[40];
    snprintf(link, sizeof link, "/tasks/%lld", (long long)fc->id);
    struct notify_event ev = {
        "extension_decided",
        arena_printf(fc->a, "【延期%s】%s", approve ? "已批准" : "未批准", c->title),
        approve ? arena_printf(fc->a, "新截止日期 %s", nd) : "",
        arena_printf(fc->a, "[Extension %s] %s", approve ? "approved" : "refused", c->title),
        approve ? arena_printf(fc->a, "New due date %s", nd) : "",
        link,
        fc->id,
        NULL};
    if (rc == DB_OK && notify_event_unit(fc->db, unit, perm_code(&perm_task_work), &ev) < 0)
        rc = DB_ERROR;
    return rc == DB_OK ? FLOW_OK : FLOW_DB;
}

static int fx_urge(struct flow_ctx *fc) {
    struct task_ctx *c = TC(fc);
    int64_t unit = flow_arg_int(fc, "unit_id", 0), n = 0;
    if (!unit) unit = c->lead_unit_id;
    if (db_query_int(fc->db, &n,
                     "SELECT COUNT(*) FROM task_units WHERE task_id = ? AND unit_id = ?", "ii",
                     fc->id, unit) != DB_ROW ||
        !n) {
        flow_problem(fc, "unit_id", "该单位不是本任务的承办单位",
                     "That unit is not assigned to this task");
        return FLOW_INVALID;
    }
    char due[11], today[11];
    now_date(today);
    const char *rd = flow_arg_text(fc, "reply_due_on");
    if (rd) {
        if (strcmp(rd, today) < 0) {
            flow_problem(fc, "reply_due_on", "回复期限须为今天或以后的有效日期",
                         "The reply deadline must be a valid date, today or later");
            return FLOW_INVALID;
        }
        snprintf(due, sizeof due, "%s", rd);
    } else if (workdays_add(fc->db, today, 3, due) != 0) { /* default: 3 working days */
        return FLOW_DB;
    }
    char now[21];
    now_iso(now);
    struct db_stmt *st = db_prepare(fc->db, "INSERT INTO task_urgings (task_id, unit_id, content, "
                                            "reply_due_on, created_by, created_at) "
                                            "VALUES (?, ?, ?, ?, ?, ?) RETURNING id");
    if (!st) return FLOW_DB;
    db_bind_int(st, 1, fc->id);
    db_bind_int(st, 2, unit);
    db_bind_text(st, 3, fc->note);
    db_bind_text(st, 4, due);
    db_bind_int(st, 5, actor_of(fc)->user_id);
    db_bind_text(st, 6, now);
    int rc = db_step(st);
    int64_t id = rc == DB_ROW ? db_col_int(st, 0) : 0;
    db_done(st);
    if (!id) return FLOW_DB;
    json_object_set_new(fc->detail, "urging_id", json_integer(id));
    json_object_set_new(fc->detail, "unit_id", json_integer(unit));
    json_object_set_new(fc->detail, "reply_due_on", json_string(due));
    /* The urged unit is told (chosen by the argument, so the effect tells). */
    char link[40];
    snprintf(link, sizeof link, "/tasks/%lld", (long long)fc->id);
    struct notify_event ev = {"task_urged",
                              arena_printf(fc->a, "【督办通知】%s", c->title),
                              arena_printf(fc->a, "%s（请于 %s 前回复）", fc->note, due),
                              arena_printf(fc->a, "[Urging notice] %s", c->title),
                              arena_printf(fc->a, "%s (reply by %s)", fc->note, due),
                              link,
                              fc->id,
                              NULL};
    rc = notify_event_unit(fc->db, unit, perm_code(&perm_task_work), &ev);
    return rc >= 0 ? FLOW_OK : FLOW_DB;
}

static int fx_reply_urging(struct flow_ctx *fc) {
    char now[21];
    now_iso(now);
    int64_t urging = flow_arg_int(fc, "urging_id", 0);
    int rc = db_exec(fc->db,
                     "UPDATE task_urgings SET replied_at = ?, reply = ?, replied_by = ? "
                     "WHERE id = ? AND task_id = ? AND unit_id = ? AND replied_at IS NULL",
                     "ssiiii", now, fc->note, actor_of(fc)->user_id, urging, fc->id,
                     actor_of(fc)->unit_id);
    if (rc != DB_OK) return FLOW_DB;
    if (db_changes(fc->db) != 1) {
        flow_problem(fc, "urging_id", "没有待回复的该督办通知",
                     "No such unanswered urging notice for your unit");
        return FLOW_INVALID;
    }
    json_object_set_new(fc->detail, "urging_id", json_integer(urging));
    return FLOW_OK;
}

static int fx_complete_milestone(struct flow_ctx *fc) {
    char today[11];
    now_date(today);
    int64_t milestone = flow_arg_int(fc, "milestone_id", 0);
    int rc = db_exec(fc->db,
                     "UPDATE task_milestones SET done_on = ? WHERE id = ? AND task_id = ? "
                     "AND done_on IS NULL",
                     "sii", today, milestone, fc->id);
    if (rc != DB_OK) return FLOW_DB;
    if (db_changes(fc->db) != 1) {
        flow_problem(fc, "milestone_id", "没有未完成的该节点", "No such open milestone");
        return FLOW_INVALID;
    }
    json_object_set_new(fc->detail, "milestone_id", json_integer(milestone));
    return FLOW_OK;
}

static int fx_supervise(struct flow_ctx *fc) {
    return db_exec(fc->db, "UPDATE tasks SET supervised = 1 WHERE id = ?", "i", fc->id) == DB_OK
               ? FLOW_OK
               : FLOW_DB;
}

static int fx_unsupervise(struct flow_ctx *fc) {
    return db_exec(fc->db, "UPDATE tasks SET supervised = 0 WHERE id = ?", "i", fc->id) == DB_OK
               ? FLOW_OK
               : FLOW_DB;
}

static int fx_cancel(struct flow_ctx *fc) {
    char now[21];
    now_iso(now);
    return db_exec(fc->db, "UPDATE tasks SET closed_at = ?, waiting_since = NULL WHERE id = ?",
                   "si", now, fc->id) == DB_OK
               ? FLOW_OK
               : FLOW_DB;
}

static int fx_reopen(struct flow_ctx *fc) {
    return db_exec(fc->db, "UPDATE tasks SET closed_at = NULL WHERE id = ?", "i", fc->id) == DB_OK
               ? FLOW_OK
               : FLOW_DB;
}

/* ---- relations: the acting unit to the task ---- */

static int rel_assigned(const struct flow_ctx *c) {
    return TCC(c)->my_role != 0;
}
static int rel_assigned_unacked(const struct flow_ctx *c) {
    return TCC(c)->my_role && !TCC(c)->my_acked;
}
static int rel_assigned_acked(const struct flow_ctx *c) {
    return TCC(c)->my_role && TCC(c)->my_acked;
}
static int rel_lead_acked(const struct flow_ctx *c) {
    return TCC(c)->my_role == 1 && TCC(c)->my_acked;
}

static const struct flow_relation relations[] = {
    {"assigned_unit", "承办单位（牵头或配合）", "An assigned unit (lead or co-unit)", rel_assigned},
    {"assigned_unacked", "未签收的承办单位", "An assigned unit that has not acknowledged",
     rel_assigned_unacked},
    {"assigned_acked", "已签收的承办单位", "An assigned unit that has acknowledged",
     rel_assigned_acked},
    {"lead_acked", "已签收的牵头单位", "The lead unit, acknowledged", rel_lead_acked},
};

/* ---- parties told ---- */

static int units_of(const struct flow_ctx *c, struct flow_recipients *out, int lead_only) {
    struct db_stmt *st =
        db_queryv(c->db, "SELECT unit_id, role FROM task_units WHERE task_id = ?", "i", c->id);
    if (!st) return DB_ERROR;
    int rc;
    while ((rc = db_step(st)) == DB_ROW && out->n_units < FLOW_RECIPIENTS_MAX)
        if (!lead_only || !strcmp(db_col_text(st, 1), "lead"))
            out->units[out->n_units++] = db_col_int(st, 0);
    db_done(st);
    return rc < 0 ? rc : DB_OK;
}
static int party_assigned(const struct flow_ctx *c, struct flow_recipients *out) {
    return units_of(c, out, 0);
}
static int party_lead(const struct flow_ctx *c, struct flow_recipients *out) {
    return units_of(c, out, 1);
}

static const struct flow_party parties[] = {
    {"assigned_units", "牵头单位和配合单位", "The lead and co-units", party_assigned, NULL},
    {"lead_unit", "牵头单位", "The lead unit", party_lead, NULL},
    /* whose turn it is after a report or a request: the accounts managing 督办 */
    {"office", "督办管理人员", "The accounts managing supervised tasks", NULL, &perm_task_manage},
};

/* ---- guards ---- */

static int g_not_supervised(const struct flow_ctx *c) {
    return !TCC(c)->supervised;
}
static int g_supervised(const struct flow_ctx *c) {
    return TCC(c)->supervised;
}
static int g_pending_extension(const struct flow_ctx *c) {
    return TCC(c)->pending_extension;
}
static int g_no_pending_extension(const struct flow_ctx *c) {
    return !TCC(c)->pending_extension;
}
static int g_open_urging(const struct flow_ctx *c) {
    return TCC(c)->my_open_urgings > 0;
}
static int g_open_milestone(const struct flow_ctx *c) {
    return TCC(c)->open_milestones > 0;
}

static const struct flow_guard guard_not_supervised[] = {
    {g_not_supervised, "该任务已挂牌督办", "The task is already under formal supervision"}};
static const struct flow_guard guard_supervised[] = {
    {g_supervised, "该任务未挂牌督办", "The task is not under formal supervision"}};
static const struct flow_guard guard_pending_extension[] = {
    {g_pending_extension, "没有待审批的延期申请",
     "No extension request is waiting for a decision"}};
static const struct flow_guard guard_no_pending_extension[] = {
    {g_no_pending_extension, "已有延期申请待审批，审批后才能再次申请",
     "An extension request is already waiting for a decision"}};
static const struct flow_guard guard_open_urging[] = {
    {g_open_urging, "本单位没有待回复的督办通知",
     "Your unit has no urging notice waiting for a reply"}};
static const struct flow_guard guard_open_milestone[] = {
    {g_open_milestone, "没有未完成的节点", "No milestone is open"}};

/* ---- arguments, with the bounds the API checks and GET /api/v1/kinds/task serves ---- */

/* Declarations leave trailing fields out (arguments: options, sql …; transitions: clocks, notice,
 * style, confirm): 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

static const struct field args_progress[] = {
    {"progress", FT_INT, "进度（%）", "Progress (%)", 0, 100, 0},
};
static const struct field args_extension_request[] = {
    {"new_due_on", FT_DATE, "新截止日期", "New due date", 0, 0, F_REQUIRED},
};
static const struct field args_extension_decide[] = {
    {"extension_id", FT_REF, "延期申请", "Extension request", 0, 0, F_REQUIRED},
    {"approve", FT_BOOL, "是否批准", "Approve", 0, 0, F_REQUIRED},
};
static const struct field args_urge[] = {
    {"unit_id", FT_UNIT, "督办单位（默认牵头单位）", "Unit urged (default: the lead unit)", 0, 0,
     0},
    {"reply_due_on", FT_DATE, "回复期限（默认 3 个工作日）", "Reply by (default: 3 working days)",
     0, 0, 0},
};
static const struct field args_urging[] = {
    {"urging_id", FT_REF, "督办通知", "Urging notice", 0, 0, F_REQUIRED},
};
static const struct field args_milestone[] = {
    {"milestone_id", FT_REF, "节点", "Milestone", 0, 0, F_REQUIRED},
};

static const struct flow_notice tell_issued = {"assigned_units", "task_issued", "新任务",
                                               NOTICE_EACH, "New task"};
static const struct flow_notice tell_accepted = {"lead_unit", "task_accepted", "已办结",
                                                 NOTICE_EACH, "Closed"};
static const struct flow_notice tell_returned = {"lead_unit", "task_returned", "办结申请被退回",
                                                 NOTICE_EACH, "Close request returned"};
/* The office is told what waits for it: each close or extension request (one per decision to
 * take), and reports at most once per task and day — the office reads a day's reports of a task
 * on its page, and a unit reporting several times a day (corrections, co-units) is one piece of
 * news, not several. */
static const struct flow_notice tell_reported = {"office", "task_reported", "进展报送",
                                                 NOTICE_DAILY, "Progress reported"};
static const struct flow_notice tell_close_requested = {"office", "task_close_requested",
                                                        "申请办结", NOTICE_EACH, "Asks to close"};
static const struct flow_notice tell_extension_requested = {
    "office", "task_extension_requested", "申请延期", NOTICE_EACH, "Asks for more time"};

static const struct flow_confirm confirm_issue = {
    "下发后任务将通知牵头单位和配合单位，不能再修改任务内容。",
    "Issuing notifies the lead and co-units; the task cannot be edited afterwards."};
static const struct flow_confirm confirm_accept = {"验收后任务办结，预警灯熄灭。",
                                                   "Accepting closes the task."};
static const struct flow_confirm confirm_cancel = {"撤销后任务终止办理。",
                                                   "Cancelling ends the task."};
/* Asking to close an unfinished task is allowed (the office decides), but said plainly. */
static const struct flow_warning warn_close_unfinished = {
    "progress", 100, "进度未达到 100%，确认申请办结吗？请在说明中写明未完成部分及原因。",
    "Progress is below 100%. Ask to close anyway? Say in the note what is unfinished and why."};
static const struct flow_confirm confirm_supervise = {"挂牌督办的任务将重点跟踪。",
                                                      "Flagged tasks are followed closely."};

#define N(a)     (int)(sizeof(a) / sizeof((a)[0]))
#define ARGS(a)  a, N(a)
#define GUARD(g) g, 1
#define NONE     NULL, 0

/* Rows leave trailing fields out (clocks, notice, style, confirm): 0 by omission. */

static const struct flow_transition transitions[] = {
    {"issue", "下发", "Issue", S(TS_DRAFT), TS_ISSUED, &perm_task_manage, NULL, 0, NONE, NONE,
     fx_issue, NONE, &tell_issued, "primary", &confirm_issue},
    {"acknowledge", "签收", "Acknowledge", S(TS_ISSUED) | S(TS_IN_PROGRESS), -1, &perm_task_work,
     "assigned_unacked", 0, NONE, NONE, fx_acknowledge, NONE, NULL, "primary"},
    {"report", "报送进展", "Report progress", S(TS_IN_PROGRESS), -1, &perm_task_work,
     "assigned_acked", 1, ARGS(args_progress), NONE, fx_report, NONE, &tell_reported, "primary"},
    {"complete_milestone", "完成节点", "Complete a milestone", S(TS_IN_PROGRESS), -1,
     &perm_task_work, "lead_acked", 0, ARGS(args_milestone), GUARD(guard_open_milestone),
     fx_complete_milestone, NONE, NULL, "primary"},
    {"request_close", "申请办结", "Ask to close", S(TS_IN_PROGRESS), TS_CLOSING, &perm_task_work,
     "lead_acked", 1, ARGS(args_progress), NONE, fx_request_close, NONE, &tell_close_requested,
     "success", NULL, &warn_close_unfinished},
    /* a task whose origin verifies it itself (a finding's 验收) is accepted or returned there */
    {"accept", "审核办结", "Accept", S(TS_CLOSING), TS_DONE, &perm_task_manage, NULL, 0, NONE, NONE,
     fx_accept, NONE, &tell_accepted, "success", &confirm_accept, .by_origin = 1},
    {"return", "退回", "Return", S(TS_CLOSING), TS_IN_PROGRESS, &perm_task_manage, NULL, 1, NONE,
     NONE, fx_return, NONE, &tell_returned, "warning", .by_origin = 1},
    {"request_extension", "申请延期", "Ask for an extension", S(TS_ISSUED) | S(TS_IN_PROGRESS), -1,
     &perm_task_work, "assigned_unit", 1, ARGS(args_extension_request),
     GUARD(guard_no_pending_extension), fx_request_extension, NONE, &tell_extension_requested,
     "warning"},
    {"decide_extension", "审批延期", "Decide an extension", ACTIVE, -1, &perm_task_manage, NULL, 0,
     ARGS(args_extension_decide), GUARD(guard_pending_extension), fx_decide_extension, NONE, NULL,
     "warning"},
    {"urge", "催办督办", "Send an urging notice", S(TS_ISSUED) | S(TS_IN_PROGRESS), -1,
     &perm_task_manage, NULL, 1, ARGS(args_urge), NONE, fx_urge, NONE, NULL, "danger"},
    {"reply_urging", "回复督办", "Reply to an urging notice", ACTIVE, -1, &perm_task_work,
     "assigned_unit", 1, ARGS(args_urging), GUARD(guard_open_urging), fx_reply_urging, NONE, NULL,
     "primary"},
    {"supervise", "挂牌督办", "Put under formal supervision", ACTIVE, -1, &perm_task_manage, NULL,
     0, NONE, GUARD(guard_not_supervised), fx_supervise, NONE, NULL, "danger", &confirm_supervise},
    {"unsupervise", "摘牌", "End formal supervision", ACTIVE, -1, &perm_task_manage, NULL, 0, NONE,
     GUARD(guard_supervised), fx_unsupervise, NONE, NULL, "info"},
    /* … and ended or reopened with it (its 撤销; a new round is a new task) */
    {"cancel", "撤销", "Cancel", ACTIVE, TS_CANCELLED, &perm_task_manage, NULL, 1, NONE, NONE,
     fx_cancel, NONE, NULL, "danger", &confirm_cancel, .by_origin = 1},
    {"reopen", "重新打开", "Reopen", S(TS_DONE), TS_IN_PROGRESS, &perm_task_manage, NULL, 1, NONE,
     NONE, fx_reopen, NONE, NULL, "warning", .by_origin = 1},
};

static const struct flow_state states[TS_COUNT] = {
    [TS_DRAFT] = {"draft", "草稿", "Draft", 0, "info"},
    [TS_ISSUED] = {"issued", "待签收", "Issued", 0, "warning"},
    [TS_IN_PROGRESS] = {"in_progress", "办理中", "In progress", 0, "primary"},
    [TS_CLOSING] = {"closing", "待验收", "Closing", 0, "warning"},
    [TS_DONE] = {"done", "已办结", "Done", 1, "success"},
    [TS_CANCELLED] = {"cancelled", "已撤销", "Cancelled", 1, "info"},
};

static const char *const event_columns[] = {"progress"};

/* ---- loading ---- */

static int load_ctx(struct flow_ctx *fc) {
    struct task_ctx *c = TC(fc);
    struct db_stmt *st = db_queryv(fc->db,
                                   "SELECT status, supervised, lead_unit_id, due_on, "
                                   "COALESCE(report_due_on, ''), rhythm, custom_dates, title "
                                   "FROM tasks WHERE id = ?",
                                   "i", fc->id);
    if (!st) return DB_ERROR;
    int rc = db_step(st);
    if (rc == DB_ROW) {
        fc->status = task_status_parse(db_col_text(st, 0));
        c->supervised = (int)db_col_int(st, 1);
        c->lead_unit_id = db_col_int(st, 2);
        snprintf(c->due_on, sizeof c->due_on, "%s", db_col_text(st, 3));
        snprintf(c->report_due_on, sizeof c->report_due_on, "%s", db_col_text(st, 4));
        snprintf(c->rhythm, sizeof c->rhythm, "%s", db_col_text(st, 5));
        c->custom_dates = arena_strdup(fc->a, db_col_text(st, 6));
        snprintf(c->title, sizeof c->title, "%s", db_col_text(st, 7));
        fc->title = c->title;
    }
    db_done(st);
    if (rc != DB_ROW) return rc;
    int64_t unit = actor_of(fc) ? actor_of(fc)->unit_id : 0;
    st = db_queryv(fc->db,
                   "SELECT role, acknowledged_at FROM task_units WHERE task_id = ? AND unit_id = ?",
                   "ii", fc->id, unit);
    if (st && db_step(st) == DB_ROW) {
        c->my_role = !strcmp(db_col_text(st, 0), "lead") ? 1 : 2;
        c->my_acked = db_col_text(st, 1) != NULL;
    }
    db_done(st);
    int64_t n = 0;
    db_query_int(fc->db, &n,
                 "SELECT COUNT(*) FROM task_extensions WHERE task_id = ? AND status = 'pending'",
                 "i", fc->id);
    c->pending_extension = n > 0;
    n = 0;
    db_query_int(fc->db, &n,
                 "SELECT COUNT(*) FROM task_urgings WHERE task_id = ? AND unit_id = ? "
                 "AND replied_at IS NULL",
                 "ii", fc->id, unit);
    c->my_open_urgings = (int)n;
    n = 0;
    db_query_int(fc->db, &n,
                 "SELECT COUNT(*) FROM task_milestones WHERE task_id = ? AND done_on IS NULL", "i",
                 fc->id);
    c->open_milestones = (int)n;
    return DB_ROW;
}

/* ---- the kind ---- */

const struct flow_kind task_kind = {
    .name = "task",
    .zh = "督办任务",
    .en = "Supervised task",
    .entity = "tasks",
    .table = "tasks",
    .audit_type = "task",
    .web_path = "/tasks",
    .perm_read = &perm_task_read,
    .perm_work = &perm_task_work, /* a unit's accounts holding it are told of its steps */
    .states = states,
    .n_states = TS_COUNT,
    .transitions = transitions,
    .n_transitions = N(transitions),
    .relations = relations,
    .n_relations = N(relations),
    .parties = parties,
    .n_parties = N(parties),
    .events_table = "task_events",
    .events_key = "task_id",
    .event_columns = event_columns,
    .n_event_columns = N(event_columns),
    .file_owner = "task_event",
    .notify_task_id = 1,
    .has_origin = 1, /* tasks.origin_kind, origin_id (tasks module migration 6) */
    .ctx_size = sizeof(struct task_ctx),
    .load = load_ctx,
};

/* ---- the tasks.h interface over the engine ---- */

static struct flow_actor flow_actor_of(const struct task_actor *ta) {
    return (struct flow_actor){ta->who, ta->audit};
}

int task_action_known(const char *action) {
    return flow_transition_find(&task_kind, action) != NULL;
}

const char *task_action_label(const char *action, int lang) {
    static const char *const extra[][3] = {{"create", "创建", "Created"},
                                           {"update", "修改", "Edited"}};
    const char *label = flow_action_label(&task_kind, action, lang);
    if (label) return label;
    for (size_t i = 0; action && i < sizeof extra / sizeof extra[0]; i++)
        if (!strcmp(extra[i][0], action)) return extra[i][lang ? 2 : 1];
    return action ? action : "";
}

json_t *task_allowed_actions(struct db *db, const struct task_actor *ta, int64_t task_id) {
    struct flow_actor fa = flow_actor_of(ta);
    return flow_allowed(db, &fa, &task_kind, task_id);
}

/* The command line and the demo act on the current state: the arguments as the action's body,
 * with the row's version. */
int task_apply(struct db *db, struct arena *a, const struct task_actor *ta, int64_t task_id,
               const char *action, const struct task_action_args *args, struct task_problems *pr) {
    int64_t version = 0;
    int rc = db_query_int(db, &version, "SELECT version FROM tasks WHERE id = ?", "i", task_id);
    if (rc == DB_DONE) return FLOW_NOT_FOUND;
    if (rc != DB_ROW) return FLOW_DB;
    json_t *in = json_pack("{s:I,s:b}", "version", (json_int_t)version, "approve", args->approve);
    if (args->note) json_object_set_new(in, "note", json_string(args->note));
    if (args->progress >= 0) json_object_set_new(in, "progress", json_integer(args->progress));
    if (args->new_due_on) json_object_set_new(in, "new_due_on", json_string(args->new_due_on));
    if (args->reply_due_on && *args->reply_due_on)
        json_object_set_new(in, "reply_due_on", json_string(args->reply_due_on));
    const struct {
        const char *key;
        int64_t v;
    } ids[] = {{"unit_id", args->unit_id},
               {"extension_id", args->extension_id},
               {"urging_id", args->urging_id},
               {"milestone_id", args->milestone_id}};
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++)
        if (ids[i].v) json_object_set_new(in, ids[i].key, json_integer(ids[i].v));
    if (args->n_attachments > 0) {
        json_t *arr = json_array();
        for (int i = 0; i < args->n_attachments; i++)
            json_array_append_new(arr, json_integer(args->attachment_ids[i]));
        json_object_set_new(in, "attachment_ids", arr);
    }
    struct flow_actor fa = flow_actor_of(ta);
    struct problems fp = {.arena = a};
    rc = flow_apply(db, a, &fa, &task_kind, task_id, action, in, &fp);
    json_decref(in);
    for (int i = 0; i < fp.n; i++)
        task_problem(pr, fp.p[i].field, fp.p[i].zh, fp.p[i].en);
    return rc;
}

int task_origin_step(struct db *db, struct arena *a, const struct flow_actor *actor,
                     const struct flow_kind *origin, int64_t task_id, const char *action,
                     const char *note, struct problems *pr, int32_t today) {
    return flow_apply_via(db, a, actor, origin, &task_kind, task_id, action, note, NULL, pr, today);
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
