/* inspection.c — 督察方案: the plans entity and its kind (草拟 → 报批 → 已批准 / 退回 → 已通知 →
 * 实施中 → 已反馈 → 已完成, 终止), the notice to the inspected units and the team, the clock of
 * the units' rectification reports, and who reads a plan (inspection_plan_condition). The child
 * records are inspection_children.c; the module inspection_module.c.
 *
 * 整改报告期限: the units report their rectification within the plan's report_days after the
 * feedback, or — where the plan sets none — within 15 日 (setting inspection.report_days; the
 * 法治督察 practice that results are reported within 15 days where no deadline is set). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/calendar.h"
#include "base/timeutil.h"
#include "features/inspection/inspection.h"
#include "features/notify/notify.h"
#include "store/settings.h"

/* Declarations leave trailing fields out: 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#define N(a) (int)(sizeof(a) / sizeof((a)[0]))

const struct field_option inspection_methods[INSPECTION_METHODS] = {
    {"report", "听取汇报", "Hearing reports"},   {"talk", "个别谈话", "Individual talks"},
    {"files", "查阅资料/案卷", "Reading files"}, {"site", "实地查看", "On-site visit"},
    {"covert", "明察暗访", "Unannounced visit"}, {"forum", "座谈", "Group discussion"},
    {"survey", "问卷", "Questionnaire"},         {"test", "知识测试", "Knowledge test"},
    {"sample", "随机抽查", "Random spot check"},
};

static const struct field_option plan_types[] = {
    {"annual", "年度督察方案", "Annual plan", "primary"},
    {"special", "专项督察", "Special inspection", "warning"},
};

enum {
    PS_DRAFT,
    PS_SUBMITTED,
    PS_APPROVED,
    PS_RETURNED,
    PS_NOTIFIED,
    PS_ACTIVE,
    PS_FEEDBACK,
    PS_DONE,
    PS_TERMINATED,
    PS_STATES
};

static const struct flow_state states[PS_STATES] = {
    [PS_DRAFT] = {"draft", "草拟", "Draft", 0, "info"},
    [PS_SUBMITTED] = {"submitted", "报批", "Submitted", 0, "warning"},
    [PS_APPROVED] = {"approved", "已批准", "Approved", 0, "primary"},
    [PS_RETURNED] = {"returned", "退回", "Returned", 0, "danger"},
    [PS_NOTIFIED] = {"notified", "已通知", "Notified", 0, "primary"},
    [PS_ACTIVE] = {"in_progress", "实施中", "In progress", 0, "warning"},
    [PS_FEEDBACK] = {"feedback", "已反馈", "Feedback given", 0, "primary"},
    [PS_DONE] = {"done", "已完成", "Completed", 1, "success"},
    [PS_TERMINATED] = {"terminated", "终止", "Terminated", 1, "info"},
};
static const struct field_option status_options[PS_STATES] = {
    [PS_DRAFT] = {"draft", "草拟", "Draft", "info"},
    [PS_SUBMITTED] = {"submitted", "报批", "Submitted", "warning"},
    [PS_APPROVED] = {"approved", "已批准", "Approved", "primary"},
    [PS_RETURNED] = {"returned", "退回", "Returned", "danger"},
    [PS_NOTIFIED] = {"notified", "已通知", "Notified", "primary"},
    [PS_ACTIVE] = {"in_progress", "实施中", "In progress", "warning"},
    [PS_FEEDBACK] = {"feedback", "已反馈", "Feedback given", "primary"},
    [PS_DONE] = {"done", "已完成", "Completed", "success"},
    [PS_TERMINATED] = {"terminated", "终止", "Terminated", "info"},
};

/* ---- who reads a plan ---- */

int inspection_narrowed(const struct principal *p) {
    if (perm_has(p->perms, &perm_inspection_manage)) return 0;
    return p->scope != SCOPE_ALL || perm_has(p->perms, &perm_inspection_work);
}

void inspection_plan_condition(const struct entity_ctx *c, struct query *q, const char *plan_col,
                               const char *unit_col) {
    const struct principal *p = c->who;
    if (!inspection_narrowed(p)) return;
    query_add(q,
              arena_printf(c->arena,
                           " AND (EXISTS (SELECT 1 FROM inspection_team vm JOIN inspectors vi ON "
                           "vi.id = vm.inspector_id WHERE vm.plan_id = %s AND vi.user_id = ?)",
                           plan_col),
              "i", p->user_id);
    if (p->scope != SCOPE_ALL) {
        if (unit_col) {
            query_add(q, " OR (1 = 1", "");
            scope_filter(q, p, unit_col);
            query_add(q, ")", "");
        } else {
            query_add(q,
                      arena_printf(c->arena,
                                   " OR EXISTS (SELECT 1 FROM inspection_targets vt WHERE "
                                   "vt.plan_id = %s",
                                   plan_col),
                      "");
            scope_filter(q, p, "vt.unit_id");
            query_add(q, ")", "");
        }
    }
    query_add(q, ")", "");
}

static void plans_visible(const struct entity_ctx *c, struct query *q) {
    inspection_plan_condition(c, q, "p.id", NULL);
}

/* ---- the clock ---- */

static int report_period(struct db *db, int64_t id, int *period, enum clock_unit *unit) {
    int64_t days = 0;
    int rc = db_query_int(
        db, &days, "SELECT COALESCE(report_days, 0) FROM inspection_plans WHERE id = ?", "i", id);
    if (rc != DB_ROW && rc != DB_DONE) return rc < 0 ? rc : DB_ERROR;
    if (days <= 0) days = setting_int(db, "inspection.report_days");
    *period = (int)days;
    *unit = CLOCK_DAYS;
    return DB_OK;
}

static const struct flow_clock_def clocks[] = {
    {"report", "整改报告期限", "Rectification report", 15, CLOCK_DAYS, "inspection.report_days",
     "反馈督察意见", "feedback given", 3, 0, report_period},
};

/* ---- the kind's context, relations, guards and effects ---- */

struct ip_ctx {
    struct flow_ctx base;
    int64_t leaders, members, targets, items, records, on_team;
    int32_t start_on;
};
#define IP(c) ((struct ip_ctx *)(c))

static int load(struct flow_ctx *fc) {
    struct ip_ctx *c = IP(fc);
    const struct principal *p = fc->actor ? fc->actor->who : NULL;
    struct db_stmt *st = db_queryv(
        fc->db,
        "SELECT p.status, p.title, p.start_on,"
        " (SELECT COUNT(*) FROM inspection_team m WHERE m.plan_id = p.id AND m.role = 'leader'),"
        " (SELECT COUNT(*) FROM inspection_team m WHERE m.plan_id = p.id),"
        " (SELECT COUNT(*) FROM inspection_targets t WHERE t.plan_id = p.id),"
        " (SELECT COUNT(*) FROM inspection_items i WHERE i.plan_id = p.id),"
        " (SELECT COUNT(*) FROM inspection_records r WHERE r.plan_id = p.id),"
        " (SELECT COUNT(*) FROM inspection_team m JOIN inspectors vi ON vi.id = m.inspector_id"
        "  WHERE m.plan_id = p.id AND vi.user_id = ?) "
        "FROM inspection_plans p WHERE p.id = ?",
        "ii", p ? p->user_id : (int64_t)0, fc->id);
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW) {
        fc->status = flow_state_index(fc->kind, db_col_text(st, 0));
        fc->title = arena_printf(fc->a, "%s", db_col_text(st, 1));
        date_parse(db_col_text(st, 2), &c->start_on);
        c->leaders = db_col_int(st, 3);
        c->members = db_col_int(st, 4);
        c->targets = db_col_int(st, 5);
        c->items = db_col_int(st, 6);
        c->records = db_col_int(st, 7);
        c->on_team = db_col_int(st, 8);
    }
    db_done(st);
    return rc;
}

/* The office, or a member of the plan's team. */
static int r_team(const struct flow_ctx *c) {
    const struct principal *p = c->actor ? c->actor->who : NULL;
    return p && (perm_has(p->perms, &perm_inspection_manage) || IP(c)->on_team > 0);
}

static const struct flow_relation relations[] = {
    {"team", "督察组成员或依法治区办", "The plan's team or the office", r_team},
};

static int g_leader(const struct flow_ctx *c) {
    return IP(c)->leaders > 0;
}
static int g_members(const struct flow_ctx *c) {
    return IP(c)->members >= 2;
}
static int g_targets(const struct flow_ctx *c) {
    return IP(c)->targets > 0;
}
static int g_items(const struct flow_ctx *c) {
    return IP(c)->items > 0;
}
static int g_records(const struct flow_ctx *c) {
    return IP(c)->records > 0;
}

static const struct flow_guard guards_ready[] = {
    {g_leader, "督察组尚未确定组长", "The team has no leader"},
    {g_members, "督察组成员不足 2 人", "The team has fewer than 2 members"},
    {g_targets, "尚未确定被督察单位", "No inspected unit has been named"},
    {g_items, "尚未列出督察事项", "No item to check has been listed"},
};
static const struct flow_guard guards_notify[] = {
    {g_targets, "尚未确定被督察单位", "No inspected unit has been named"},
};
static const struct flow_guard guards_feedback[] = {
    {g_records, "尚无督察记录，不能反馈督察意见",
     "No inspection record yet: there is nothing to give feedback on"},
};

static int set_day(struct flow_ctx *c, const char *column, int32_t day) {
    char d[11];
    date_format(day, d);
    return db_exec(c->db,
                   arena_printf(c->a, "UPDATE inspection_plans SET %s = ? WHERE id = ?", column),
                   "si", d, c->id) == DB_OK
               ? FLOW_OK
               : FLOW_DB;
}

#define NOTICE_TARGETS_MAX INSPECTION_TARGETS_MAX /* the targets validate refuses more */

/* The units named as targets (id, unit), at most NOTICE_TARGETS_MAX. */
static int targets_of(struct flow_ctx *c, int64_t *ids, int64_t *units, const char **planned,
                      int *n) {
    *n = 0;
    struct db_stmt *st = db_queryv(c->db,
                                   "SELECT id, unit_id, COALESCE(planned_on, '') FROM "
                                   "inspection_targets WHERE plan_id = ? ORDER BY id",
                                   "i", c->id);
    if (!st) return FLOW_DB;
    int rc;
    while ((rc = db_step(st)) == DB_ROW && *n < NOTICE_TARGETS_MAX) {
        ids[*n] = db_col_int(st, 0);
        units[*n] = db_col_int(st, 1);
        planned[*n] = arena_printf(c->a, "%s", db_col_text(st, 2));
        (*n)++;
    }
    db_done(st);
    return rc == DB_ROW || rc == DB_DONE ? FLOW_OK : FLOW_DB;
}

/* 通知: each target unit's accounts are told what to prepare and when (a link to their target
 * row, where they acknowledge it); each team member with an account is told too. */
static int fx_notify(struct flow_ctx *c) {
    char start[11] = "", end[11] = "", now[21];
    const char *prepare = "";
    struct db_stmt *st = db_queryv(
        c->db, "SELECT start_on, end_on, prepare FROM inspection_plans WHERE id = ?", "i", c->id);
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW) {
        snprintf(start, sizeof start, "%s", db_col_text(st, 0));
        snprintf(end, sizeof end, "%s", db_col_text(st, 1));
        prepare = arena_printf(c->a, "%s", db_col_text(st, 2));
    }
    db_done(st);
    if (rc != DB_ROW) return FLOW_DB;
    int64_t *ids = arena_alloc(c->a, NOTICE_TARGETS_MAX * sizeof *ids);
    int64_t *units = arena_alloc(c->a, NOTICE_TARGETS_MAX * sizeof *units);
    const char **planned = arena_alloc(c->a, NOTICE_TARGETS_MAX * sizeof *planned);
    int n = 0;
    if (targets_of(c, ids, units, planned, &n) != FLOW_OK) return FLOW_DB;
    now_iso(now);
    if (db_exec(c->db, "UPDATE inspection_targets SET notified_at = ? WHERE plan_id = ?", "si", now,
                c->id) != DB_OK)
        return FLOW_DB;
    const char *title = arena_printf(c->a, "【督察通知】%s", c->title);
    const char *title_en = arena_printf(c->a, "[Inspection notice] %s", c->title);
    for (int i = 0; i < n; i++) {
        const char *when = *planned[i] ? arena_printf(c->a, "，计划 %s 到你单位", planned[i]) : "";
        const char *when_en =
            *planned[i] ? arena_printf(c->a, ", at your unit on %s", planned[i]) : "";
        const char *body = arena_printf(
            c->a, "督察时间 %s 至 %s%s。请准备：%s%s%s请在系统中签收本通知。", start, end, when,
            *prepare ? prepare : "（无）", *c->note ? "\n" : "", *c->note ? c->note : "");
        const char *body_en = arena_printf(
            c->a, "Inspection from %s to %s%s. Please prepare: %s%s%s Please acknowledge it.",
            start, end, when_en, *prepare ? prepare : "(nothing)", *c->note ? "\n" : "",
            *c->note ? c->note : "");
        struct notify_event ev = {"inspection_notice",
                                  title,
                                  body,
                                  title_en,
                                  body_en,
                                  arena_printf(c->a, "/inspection-targets/%lld", (long long)ids[i]),
                                  0,
                                  arena_printf(c->a, "inspection_notice:%lld", (long long)ids[i])};
        if (notify_event_unit(c->db, units[i], perm_code(&perm_inspection_view), &ev) < 0)
            return FLOW_DB;
    }
    /* the team: accounts of its members */
    int64_t users[FLOW_RECIPIENTS_MAX];
    int nu = 0;
    st = db_queryv(c->db,
                   "SELECT DISTINCT vi.user_id FROM inspection_team m JOIN inspectors vi ON "
                   "vi.id = m.inspector_id WHERE m.plan_id = ? AND vi.user_id IS NOT NULL",
                   "i", c->id);
    if (!st) return FLOW_DB;
    while ((rc = db_step(st)) == DB_ROW && nu < FLOW_RECIPIENTS_MAX)
        users[nu++] = db_col_int(st, 0);
    db_done(st);
    if (rc != DB_ROW && rc != DB_DONE) return FLOW_DB;
    for (int i = 0; i < nu; i++) {
        struct notify_event ev = {
            "inspection_team",
            arena_printf(c->a, "【督察任务】%s", c->title),
            arena_printf(c->a, "督察时间 %s 至 %s，已通知被督察单位。", start, end),
            arena_printf(c->a, "[Inspection duty] %s", c->title),
            arena_printf(c->a, "Inspection from %s to %s; the units have been told.", start, end),
            arena_printf(c->a, "/inspection-plans/%lld", (long long)c->id),
            0,
            arena_printf(c->a, "inspection_team:%lld:%lld", (long long)c->id, (long long)users[i])};
        if (notify_event_user(c->db, users[i], &ev) < 0) return FLOW_DB;
    }
    json_object_set_new(c->detail, "units", json_integer(n));
    return set_day(c, "notified_on", c->today);
}

static int fx_start(struct flow_ctx *c) {
    return set_day(c, "started_on", c->today);
}

/* 反馈: the team's opinion (the note) reaches each inspected unit, with the day its
 * rectification report is due (the clock started by this step). */
static int fx_feedback(struct flow_ctx *c) {
    int32_t day = flow_arg_day(c, "feedback_on", IP(c)->start_on, "不能早于督察开始日期",
                               "Cannot be before the inspection began");
    if (!day) return FLOW_INVALID;
    int rc = set_day(c, "feedback_on", day);
    if (rc != FLOW_OK) return rc;
    int period = 15;
    enum clock_unit unit = CLOCK_DAYS;
    if (report_period(c->db, c->id, &period, &unit) != DB_OK) return FLOW_DB;
    int64_t *ids = arena_alloc(c->a, NOTICE_TARGETS_MAX * sizeof *ids);
    int64_t *units = arena_alloc(c->a, NOTICE_TARGETS_MAX * sizeof *units);
    const char **planned = arena_alloc(c->a, NOTICE_TARGETS_MAX * sizeof *planned);
    int n = 0;
    if (targets_of(c, ids, units, planned, &n) != FLOW_OK) return FLOW_DB;
    char d[11];
    date_format(day, d);
    for (int i = 0; i < n; i++) {
        struct notify_event ev = {
            "inspection_feedback",
            arena_printf(c->a, "【督察反馈】%s", c->title),
            arena_printf(c->a, "%s\n请自 %s 起 %d 日内报送整改报告。", c->note, d, period),
            arena_printf(c->a, "[Inspection feedback] %s", c->title),
            arena_printf(c->a, "%s\nPlease report the rectification within %d days of %s.", c->note,
                         period, d),
            arena_printf(c->a, "/inspection-plans/%lld", (long long)c->id),
            0,
            arena_printf(c->a, "inspection_feedback:%lld", (long long)ids[i])};
        if (notify_event_unit(c->db, units[i], perm_code(&perm_inspection_view), &ev) < 0)
            return FLOW_DB;
    }
    return FLOW_OK;
}

static int fx_complete(struct flow_ctx *c) {
    return set_day(c, "completed_on", c->today);
}

static int fx_terminate(struct flow_ctx *c) {
    return db_exec(c->db, "UPDATE inspection_plans SET stop_reason = ? WHERE id = ?", "si", c->note,
                   c->id) == DB_OK
               ? FLOW_OK
               : FLOW_DB;
}

static const struct field args_feedback[] = {
    {"feedback_on", FT_DATE, "反馈日期（默认今天）", "Feedback given on (default today)", 0, 0, 0,
     .hint = "自反馈之日起计算整改报告期限（方案未定期限的，15 日）"},
};
static const struct flow_clock_step steps_feedback[] = {{"report", CLOCK_START, "feedback_on"}};
static const struct flow_clock_step steps_stop[] = {{"report", CLOCK_STOP}};

static const struct flow_confirm confirm_approve = {"批准后方案即可通知被督察单位，确定批准？",
                                                    "Approve the plan?"};
static const struct flow_confirm confirm_notify = {
    "将向每个被督察单位发出督察通知（准备事项、时间），确定发出？",
    "Send the notice (what to prepare, dates) to every inspected unit?"};

#define S(i)    (1u << (i))
#define ARGS(a) a, N(a)
#define NONE    NULL, 0
#define OPEN                                                                                       \
    (S(PS_DRAFT) | S(PS_SUBMITTED) | S(PS_APPROVED) | S(PS_RETURNED) | S(PS_NOTIFIED) |            \
     S(PS_ACTIVE) | S(PS_FEEDBACK))

static const struct flow_transition transitions[] = {
    {"submit", "报批", "Submit", S(PS_DRAFT) | S(PS_RETURNED), PS_SUBMITTED,
     &perm_inspection_manage, NULL, 0, NONE, ARGS(guards_ready), NULL, NONE, NULL, "primary"},
    {"approve", "批准", "Approve", S(PS_SUBMITTED), PS_APPROVED, &perm_inspection_manage, NULL, 0,
     NONE, ARGS(guards_ready), NULL, NONE, NULL, "success", &confirm_approve},
    {"return", "退回", "Return", S(PS_SUBMITTED), PS_RETURNED, &perm_inspection_manage, NULL, 1,
     NONE, NONE, NULL, NONE, NULL, "warning", NULL, NULL, "退回原因", "Reason for returning"},
    {"notify", "发出督察通知", "Send the notice", S(PS_APPROVED), PS_NOTIFIED,
     &perm_inspection_manage, NULL, 0, NONE, ARGS(guards_notify), fx_notify, NONE, NULL, "primary",
     &confirm_notify, NULL, "补充说明", "Additional note"},
    {"start", "开始实施", "Begin", S(PS_NOTIFIED), PS_ACTIVE, &perm_inspection_work, "team", 0,
     NONE, NONE, fx_start, NONE, NULL, "primary"},
    {"feedback", "反馈督察意见", "Give feedback", S(PS_ACTIVE), PS_FEEDBACK, &perm_inspection_work,
     "team", 1, ARGS(args_feedback), ARGS(guards_feedback), fx_feedback, ARGS(steps_feedback), NULL,
     "primary", NULL, NULL, "督察意见", "Feedback"},
    {"complete", "完成督察", "Complete", S(PS_FEEDBACK), PS_DONE, &perm_inspection_work, "team", 0,
     NONE, NONE, fx_complete, ARGS(steps_stop), NULL, "success"},
    {"terminate", "终止", "Terminate", OPEN, PS_TERMINATED, &perm_inspection_manage, NULL, 1, NONE,
     NONE, fx_terminate, ARGS(steps_stop), NULL, "danger", NULL, NULL, "终止原因",
     "Reason for terminating"},
};

const struct flow_kind inspection_plan_kind = {
    .name = "inspection_plan",
    .zh = "督察方案",
    .en = "Inspection plan",
    .entity = "inspection_plans",
    .table = "inspection_plans",
    .audit_type = "inspection_plan",
    .web_path = "/inspection-plans",
    .perm_read = &perm_inspection_view,
    .states = states,
    .n_states = PS_STATES,
    .transitions = transitions,
    .n_transitions = N(transitions),
    .relations = relations,
    .n_relations = N(relations),
    .clocks = clocks,
    .n_clocks = N(clocks),
    .events_table = "inspection_plan_events",
    .events_key = "plan_id",
    .unit_column = "unit_id",
    .title_column = "title",
    .perm_work = &perm_inspection_manage,
    .explain_guards = 1,
    .ctx_size = sizeof(struct ip_ctx),
    .load = load,
};

/* ---- the plans entity ---- */

/* The methods as stored: codes joined by commas. */
static const char *methods_text(struct arena *a, json_t *methods) {
    const char *out = "";
    size_t i;
    json_t *v;
    json_array_foreach(methods, i, v) {
        out = arena_printf(a, "%s%s%s", out, i ? "," : "", json_string_value(v));
    }
    return out;
}

static int plan_validate(struct entity_write *w) {
    const char *type = json_string_value(json_object_get(w->in, "plan_type"));
    if (!type && w->cur) type = json_string_value(json_object_get(w->cur, "plan_type"));
    const char *start = json_string_value(json_object_get(w->in, "start_on"));
    const char *end = json_string_value(json_object_get(w->in, "end_on"));
    if (start && end && *start && *end && strcmp(end, start) < 0)
        problem_add(w->pr, "end_on", "结束日期不能早于开始日期", "Cannot end before it begins");
    json_t *year = json_object_get(w->in, "year");
    if (start && *start && json_is_integer(year) && atoi(start) != json_integer_value(year))
        problem_add(w->pr, "start_on", "督察开始日期应在方案年度内",
                    "The inspection should begin in the plan's year");
    json_t *parent = json_object_get(w->in, "parent_id");
    if (json_is_integer(parent)) {
        if (type && strcmp(type, "special")) {
            problem_add(w->pr, "parent_id", "只有专项督察可以归属年度方案",
                        "Only a special inspection belongs to an annual plan");
            return DB_OK;
        }
        char ptype[16] = "";
        int64_t pyear = 0;
        struct db_stmt *st =
            db_queryv(w->c->db, "SELECT plan_type, year FROM inspection_plans WHERE id = ?", "i",
                      (int64_t)json_integer_value(parent));
        int rc = st ? db_step(st) : DB_ERROR;
        if (rc == DB_ROW) {
            snprintf(ptype, sizeof ptype, "%s", db_col_text(st, 0));
            pyear = db_col_int(st, 1);
        }
        db_done(st);
        if (rc < 0) return rc;
        if (rc != DB_ROW || strcmp(ptype, "annual"))
            problem_add(w->pr, "parent_id", "所属方案须为年度督察方案",
                        "The plan it belongs to must be an annual plan");
        else if (json_is_integer(year) && pyear != json_integer_value(year))
            problem_add(w->pr, "parent_id", "所属年度方案的年度与本方案不同",
                        "The annual plan is of another year");
    }
    if (!w->cur) return entity_check_unit(w, "unit_id", NULL, NULL);
    return DB_OK;
}

static int plan_create(struct entity_write *w) {
    struct arena *a = w->c->arena;
    char now[21];
    now_iso(now);
    json_t *in = w->in;
    json_t *unit = json_object_get(in, "unit_id");
    int64_t unit_id =
        json_is_integer(unit) ? (int64_t)json_integer_value(unit) : w->c->who->unit_id;
    json_t *parent = json_object_get(in, "parent_id"), *days = json_object_get(in, "report_days");
    struct db_stmt *st = db_prepare(
        w->c->db,
        "INSERT INTO inspection_plans (plan_type, parent_id, year, title, unit_id, scope_text,"
        " purpose, methods, start_on, end_on, prepare, report_days, status, created_by,"
        " created_at, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'draft', ?,"
        " ?, ?, 1) RETURNING id");
    if (!st) return DB_ERROR;
    db_bind_text(st, 1, entity_text(in, "plan_type"));
    if (json_is_integer(parent))
        db_bind_id(st, 2, (int64_t)json_integer_value(parent));
    else
        db_bind_null(st, 2);
    db_bind_int(st, 3, (int64_t)json_integer_value(json_object_get(in, "year")));
    db_bind_text(st, 4, entity_text(in, "title"));
    db_bind_id(st, 5, unit_id);
    db_bind_text(st, 6, entity_text(in, "scope_text"));
    db_bind_text(st, 7, entity_text(in, "purpose"));
    db_bind_text(st, 8, methods_text(a, json_object_get(in, "methods")));
    db_bind_text(st, 9, entity_text(in, "start_on"));
    db_bind_text(st, 10, entity_text(in, "end_on"));
    db_bind_text(st, 11, entity_text(in, "prepare"));
    if (json_is_integer(days))
        db_bind_int(st, 12, (int64_t)json_integer_value(days));
    else
        db_bind_null(st, 12);
    db_bind_id(st, 13, w->actor->user_id);
    db_bind_text(st, 14, now);
    db_bind_text(st, 15, now);
    int rc = db_step(st);
    if (rc == DB_ROW) w->id = db_col_int(st, 0);
    db_done(st);
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERROR;
    const char *no = NULL;
    rc = entity_number_set(
        w->c->db, a, &entity_inspection_plans, w->id,
        arena_printf(a, "%04lld", (long long)json_integer_value(json_object_get(in, "year"))), &no);
    if (rc != DB_OK) return rc;
    return audit_append(w->c->db, w->actor, "inspection_plan.create", "inspection_plan",
                        arena_printf(a, "%lld", (long long)w->id), "ok",
                        arena_printf(a, "{\"plan_no\":\"%s\"}", no));
}

/* 修改 while drafted or returned (edit_states): the texts, methods and schedule. */
static int plan_update(struct entity_write *w) {
    struct arena *a = w->c->arena;
    json_t *in = w->in;
    json_t *parent = json_object_get(in, "parent_id"), *days = json_object_get(in, "report_days");
    struct db_stmt *st = db_prepare(
        w->c->db, "UPDATE inspection_plans SET parent_id = ?, year = ?, title = ?, scope_text = ?,"
                  " purpose = ?, methods = ?, start_on = ?, end_on = ?, prepare = ?,"
                  " report_days = ? WHERE id = ?");
    if (!st) return DB_ERROR;
    if (json_is_integer(parent))
        db_bind_id(st, 1, (int64_t)json_integer_value(parent));
    else
        db_bind_null(st, 1);
    db_bind_int(st, 2, (int64_t)json_integer_value(json_object_get(in, "year")));
    db_bind_text(st, 3, entity_text(in, "title"));
    db_bind_text(st, 4, entity_text(in, "scope_text"));
    db_bind_text(st, 5, entity_text(in, "purpose"));
    db_bind_text(st, 6, methods_text(a, json_object_get(in, "methods")));
    db_bind_text(st, 7, entity_text(in, "start_on"));
    db_bind_text(st, 8, entity_text(in, "end_on"));
    db_bind_text(st, 9, entity_text(in, "prepare"));
    if (json_is_integer(days))
        db_bind_int(st, 10, (int64_t)json_integer_value(days));
    else
        db_bind_null(st, 10);
    db_bind_id(st, 11, w->id);
    int rc = db_step(st);
    db_done(st);
    if (rc != DB_DONE) return rc < 0 ? rc : DB_ERROR;
    return audit_append(w->c->db, w->actor, "inspection_plan.update", "inspection_plan",
                        arena_printf(a, "%lld", (long long)w->id), "ok", "");
}

/* methods: the stored codes as an array (no query; the web shows their labels). */
static int plan_decorate(const struct entity_ctx *c, json_t *items) {
    (void)c;
    size_t i;
    json_t *row;
    json_array_foreach(items, i, row) {
        const char *text = json_string_value(json_object_get(row, "methods_text"));
        json_t *arr = json_array();
        char buf[256];
        snprintf(buf, sizeof buf, "%s", text ? text : "");
        char *save = NULL;
        for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
            json_array_append_new(arr, json_string(tok));
        json_object_set_new(row, "methods", arr);
    }
    return DB_OK;
}

#define LEADER_SQL                                                                                 \
    "(SELECT MIN(li.name) FROM inspection_team lm JOIN inspectors li ON li.id = lm.inspector_id "  \
    "WHERE lm.plan_id = p.id AND lm.role = 'leader')"
#define TARGETS_SQL "(SELECT COUNT(*) FROM inspection_targets ct WHERE ct.plan_id = p.id)"
#define ACKED_SQL                                                                                  \
    "(SELECT COUNT(*) FROM inspection_targets ct WHERE ct.plan_id = p.id AND ct.acknowledged_at "  \
    "IS NOT NULL)"
#define RECORDS_SQL "(SELECT COUNT(*) FROM inspection_records cr WHERE cr.plan_id = p.id)"
#define REPORT_DUE_SQL                                                                             \
    "(SELECT rc.due_on FROM record_clocks rc WHERE rc.kind = 'inspection_plan' AND "               \
    "rc.record_id = p.id AND rc.clock = 'report' AND rc.stopped_on IS NULL)"

#define EDIT (F_CREATE | F_UPDATE | F_EXPORT)

static const struct field fields[] = {
    {"id", FT_INT, "序号", "ID", 0, 0, F_READONLY},
    {"plan_no", FT_TEXT, "方案编号", "Plan number", 0, 20,
     F_LIST | F_SORT | F_SEARCH | F_EXPORT | F_READONLY},
    {"title", FT_TEXT, "方案名称", "Title", 1, 200, F_REQUIRED | F_LIST | F_SORT | F_SEARCH | EDIT},
    {"plan_type", FT_ENUM, "方案类型", "Type", 0, 0,
     F_REQUIRED | F_LIST | F_FILTER | F_LABEL | F_CREATE | F_EXPORT, plan_types, N(plan_types)},
    {"year", FT_INT, "年度", "Year", 2000, 2100, F_REQUIRED | F_FILTER | F_SORT | EDIT},
    {"parent_id", FT_REF, "所属年度方案", "Annual plan", 1, FIELD_ID_MAX,
     F_FILTER | F_CREATE | F_UPDATE, .ref = "inspection_plans",
     .hint = "专项督察可归属当年的年度督察方案"},
    {"parent_title", FT_TEXT, "所属年度方案", "Annual plan", 0, 0, F_EXPORT | F_READONLY,
     .sql = "pp.title"},
    {"unit_id", FT_UNIT, "组织单位", "Organised by", 0, 0, F_FILTER | F_CREATE, .ref = "units",
     .hint = "默认为本人所在单位（依法治区办）"},
    {"unit_name", FT_TEXT, "组织单位", "Organised by", 0, 0, F_EXPORT | F_READONLY,
     .sql = "pu.name"},
    {"scope_text", FT_LONGTEXT, "督察范围", "Scope", 0, 2000, EDIT},
    {"purpose", FT_LONGTEXT, "督察目的与重点", "Purpose and focus", 0, 2000, EDIT},
    {"methods", FT_ENUM, "督察方式", "Methods", 0, 0, F_REQUIRED | F_MULTI | F_VIRTUAL | EDIT,
     inspection_methods, INSPECTION_METHODS, .max_items = INSPECTION_METHODS},
    {"methods_text", FT_TEXT, "督察方式", "Methods", 0, 0, F_INTERNAL, .sql = "p.methods"},
    {"start_on", FT_DATE, "开始日期", "Begins", 0, 0,
     F_REQUIRED | F_LIST | F_FILTER | F_SORT | EDIT},
    {"end_on", FT_DATE, "结束日期", "Ends", 0, 0, F_REQUIRED | F_SORT | EDIT},
    {"prepare", FT_LONGTEXT, "被督察单位准备事项", "What the units must prepare", 0, 2000, EDIT,
     .hint = "随督察通知发给被督察单位，如：自查报告、制度文件、执法案卷目录"},
    {"report_days", FT_INT, "整改报告期限（日）", "Report within (days)", 0, 180, EDIT,
     .hint = "自反馈督察意见之日起计算；不填或填 0 为 15 日"},
    {"team_leader", FT_TEXT, "组长", "Team leader", 0, 0, F_LIST | F_EXPORT | F_READONLY,
     .sql = LEADER_SQL},
    {"target_count", FT_INT, "被督察单位数", "Inspected units", 0, 0,
     F_LIST | F_EXPORT | F_READONLY, .sql = TARGETS_SQL},
    {"acknowledged_count", FT_INT, "已签收", "Acknowledged", 0, 0, F_EXPORT | F_READONLY,
     .sql = ACKED_SQL},
    {"record_count", FT_INT, "督察记录数", "Records", 0, 0, F_EXPORT | F_READONLY,
     .sql = RECORDS_SQL},
    {"notified_on", FT_DATE, "通知日期", "Notified", 0, 0, F_EXPORT | F_READONLY},
    {"started_on", FT_DATE, "实施日期", "Began", 0, 0, F_EXPORT | F_READONLY},
    {"feedback_on", FT_DATE, "反馈日期", "Feedback given", 0, 0, F_EXPORT | F_READONLY},
    {"report_due_on", FT_DATE, "整改报告期限", "Report due", 0, 0, F_EXPORT | F_READONLY,
     .sql = REPORT_DUE_SQL},
    {"completed_on", FT_DATE, "完成日期", "Completed", 0, 0, F_EXPORT | F_READONLY},
    {"stop_reason", FT_TEXT, "终止原因", "Reason terminated", 0, 0, F_READONLY},
    {"status", FT_ENUM, "状态", "Status", 0, 0, F_LIST | F_FILTER | F_EXPORT | F_READONLY,
     status_options, PS_STATES},
    {"created_at", FT_DATETIME, "创建时间", "Created", 0, 0, F_SORT | F_READONLY},
    {"updated_at", FT_DATETIME, "更新时间", "Updated", 0, 0, F_READONLY},
    {"version", FT_INT, "版本", "Version", 0, 0, F_READONLY},
};

static const struct entity_child children[] = {
    {"inspection_items", "plan_id"},
    {"inspection_team", "plan_id"},
    {"inspection_targets", "plan_id"},
    {"inspection_records", "plan_id"},
    {"draws", "plan_id"},
    {"inspection_findings", "plan_id"},
    {"bulletins", "plan_id"},
};

static const char *const plan_edit_states[] = {"draft", "returned", NULL};

static const struct entity_number entity_inspection_plans_number = {"plan_no", "DC"};

const struct entity entity_inspection_plans = {
    .name = "inspection_plans",
    .path = "/api/v1/inspection-plans",
    .zh = "督察方案",
    .en = "Inspection plans",
    .table = "inspection_plans",
    .alias = "p",
    .from = "inspection_plans p LEFT JOIN inspection_plans pp ON pp.id = p.parent_id "
            "LEFT JOIN units pu ON pu.id = p.unit_id",
    .fields = fields,
    .n_fields = ENTITY_N(fields),
    .scope = {.unscoped = "who reads a plan is decided by its team and its targets, not by a unit "
                          "column: the visible hook (the plans one is on, the plans naming a unit "
                          "of one's scope; the office and leaders every plan)"},
    .default_sort = "-start_on",
    .perm_read = &perm_inspection_view,
    .perm_create = &perm_inspection_manage,
    .perm_update = &perm_inspection_manage,
    .audit_type = "inspection_plan",
    .export_name = "inspection-plans",
    .export_sheet = "督察方案",
    .kind = &inspection_plan_kind,
    .edit_states = plan_edit_states,
    .visible = plans_visible,
    .validate = plan_validate,
    .create = plan_create,
    .update = plan_update,
    .decorate = plan_decorate,
    .children = children,
    .n_children = ENTITY_N(children),
    .number = &entity_inspection_plans_number,
};
