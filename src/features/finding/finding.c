/* finding.c — 问题清单 and the rectification loop: the findings entity (fields, scope: the
 * responsible unit, writes with the number WT<year>-<id>) and the kind `finding` (下达整改 →
 * the unit's 督办 task with this finding as its origin → 待验收 when the task asks to close →
 * 验收 pass / fail → 回头看: 销号 or 反弹 with a new task). The task's 审核办结 and 退回 belong to
 * the finding (closes_children): its 验收 takes them through task_origin_step. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/calendar.h"
#include "base/timeutil.h"
#include "features/finding/finding.h"
#include "features/tasks/tasks.h"
#include "store/settings.h"

/* Declarations leave trailing fields out: 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#define N(a)    (int)(sizeof(a) / sizeof((a)[0]))
#define S(i)    (1u << (i))
#define ARGS(a) a, N(a)
#define NONE    NULL, 0

enum { FS_OPEN, FS_RECTIFYING, FS_VERIFYING, FS_RECTIFIED, FS_CLOSED, FS_CANCELLED, FS_STATES };

static const struct flow_state states[FS_STATES] = {
    [FS_OPEN] = {"open", "待整改", "To rectify", 0, "warning"},
    [FS_RECTIFYING] = {"rectifying", "整改中", "Rectifying", 0, "primary"},
    [FS_VERIFYING] = {"verifying", "待验收", "To verify", 0, "warning"},
    [FS_RECTIFIED] = {"rectified", "已整改", "Rectified", 0, "success"},
    [FS_CLOSED] = {"closed", "已销号", "Closed", 1, "success"},
    [FS_CANCELLED] = {"cancelled", "已撤销", "Cancelled", 1, "info"},
};
static const struct field_option status_options[FS_STATES] = {
    [FS_OPEN] = {"open", "待整改", "To rectify", "warning"},
    [FS_RECTIFYING] = {"rectifying", "整改中", "Rectifying", "primary"},
    [FS_VERIFYING] = {"verifying", "待验收", "To verify", "warning"},
    [FS_RECTIFIED] = {"rectified", "已整改", "Rectified", "success"},
    [FS_CLOSED] = {"closed", "已销号", "Closed", "success"},
    [FS_CANCELLED] = {"cancelled", "已撤销", "Cancelled", "info"},
};

/* The seed of the dictionary finding_category (declared on main: dict_entities.c). */
static const struct field_option category_options[] = {
    {"制度建设", "制度建设", "Rules and systems", ""},
    {"依法决策", "依法决策", "Lawful decision-making", ""},
    {"规范性文件管理", "规范性文件管理", "Normative documents", ""},
    {"行政执法", "行政执法", "Administrative enforcement", ""},
    {"复议应诉", "复议应诉", "Reconsideration and litigation", ""},
    {"普法宣传", "普法宣传", "Legal publicity", ""},
    {"组织保障", "组织保障", "Organisation", ""},
    {"其他", "其他", "Other", ""},
};
const struct field_option finding_severity_options[3] = {
    {"general", "一般", "General", "info"},
    {"serious", "较重", "Serious", "warning"},
    {"grave", "严重", "Grave", "danger"},
};

/* ---- the kind's context ---- */

struct finding_ctx {
    struct flow_ctx base;
    char no[32], deadline[11], reported_on[11], severity[16];
    int64_t unit_id, task_id, failures;
    const char *rule, *description;
};
#define FC(c) ((struct finding_ctx *)(c))

static int load(struct flow_ctx *fc) {
    struct finding_ctx *c = FC(fc);
    struct db_stmt *st = db_queryv(fc->db,
                                   "SELECT status, finding_no, unit_id, COALESCE(task_id, 0), "
                                   "COALESCE(deadline, ''), COALESCE(reported_on, ''), failures, "
                                   "rule, description, severity FROM inspection_findings "
                                   "WHERE id = ?",
                                   "i", fc->id);
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW) {
        fc->status = flow_state_index(fc->kind, db_col_text(st, 0));
        snprintf(c->no, sizeof c->no, "%s", db_col_text(st, 1) ? db_col_text(st, 1) : "");
        c->unit_id = db_col_int(st, 2);
        c->task_id = db_col_int(st, 3);
        snprintf(c->deadline, sizeof c->deadline, "%s", db_col_text(st, 4));
        snprintf(c->reported_on, sizeof c->reported_on, "%s", db_col_text(st, 5));
        c->failures = db_col_int(st, 6);
        c->rule = arena_strdup(fc->a, db_col_text(st, 7));
        c->description = arena_strdup(fc->a, db_col_text(st, 8));
        snprintf(c->severity, sizeof c->severity, "%s", db_col_text(st, 9));
        fc->title = c->no;
    }
    db_done(st);
    return rc;
}

/* The first n characters of UTF-8 text s (arena), with "…" when cut. */
static const char *utf8_prefix(struct arena *a, const char *s, int n) {
    const char *p = s;
    int k = 0;
    while (*p && k < n) {
        p++;
        while ((*p & 0xC0) == 0x80)
            p++;
        k++;
    }
    if (!*p) return s;
    return arena_printf(a, "%.*s…", (int)(p - s), s);
}

/* The rectification task of this round: a 督办 task for the responsible unit, due on the
 * deadline, whose origin is the finding (set here, never by an API body), issued at once. */
static int rectification_task(struct flow_ctx *c, const char *deadline) {
    struct finding_ctx *f = FC(c);
    struct task_input in = {0};
    in.title = arena_printf(c->a, "问题整改 %s：%s", f->no, utf8_prefix(c->a, f->rule, 60));
    in.content =
        arena_printf(c->a, "督察发现问题：%s\n违反规定：%s\n整改期限：%s",
                     *f->description ? f->description : "（见问题清单）", f->rule, deadline);
    in.category = "";
    in.responsible = "";
    in.start_on = "";
    in.due_on = deadline;
    in.rhythm = "none";
    in.priority = !strcmp(f->severity, "grave") ? "urgent" : "high";
    in.lead_unit_id = f->unit_id;
    in.origin_kind = finding_kind.name;
    in.origin_id = c->id;
    struct task_problems tp = {0};
    task_input_check(c->db, NULL, &in, &tp);
    if (tp.n) {
        flow_problem(c, "deadline", tp.p[0].zh, tp.p[0].en);
        return FLOW_INVALID;
    }
    struct task_actor ta = {c->actor->who, c->actor->audit};
    int64_t task = 0;
    if (task_create(c->db, c->a, &ta, &in, &task) != DB_OK) return FLOW_DB;
    int rc = task_origin_step(c->db, c->a, c->actor, &finding_kind, task, "issue", c->note, c->pr,
                              c->today);
    if (rc != FLOW_OK) return rc;
    json_object_set_new(c->detail, "task_id", json_integer(task));
    json_object_set_new(c->detail, "deadline", json_string(deadline));
    return db_exec(c->db,
                   "UPDATE inspection_findings SET task_id = ?, deadline = ?, rounds = rounds + 1, "
                   "reported_on = NULL WHERE id = ?",
                   "isi", task, deadline, c->id) == DB_OK
               ? FLOW_OK
               : FLOW_DB;
}

/* The deadline argument, or today + finding.rectify_days (DOMAIN.md: 15 日 where the plan sets
 * none); not before today. "" with a problem. */
static const char *deadline_of(struct flow_ctx *c) {
    const char *d = flow_arg_text(c, "deadline");
    char buf[11];
    if (!d || !*d) {
        date_format(c->today + (int32_t)setting_int(c->db, "finding.rectify_days"), buf);
        return arena_strdup(c->a, buf);
    }
    int32_t day = 0;
    if (date_parse(d, &day) != 0 || day < c->today) {
        flow_problem(c, "deadline", "整改期限不能早于今天", "The deadline cannot be before today");
        return "";
    }
    return d;
}

static int fx_assign(struct flow_ctx *c) {
    const char *deadline = deadline_of(c);
    if (!*deadline) return FLOW_INVALID;
    return rectification_task(c, deadline);
}

static int fx_verify(struct flow_ctx *c) {
    struct finding_ctx *f = FC(c);
    int passed = flow_arg_bool(c, "passed", 0);
    if (!passed && !*c->note) {
        flow_problem(c, "note", "验收不通过须写明理由", "Give the reason the verification failed");
        return FLOW_INVALID;
    }
    json_object_set_new(c->detail, "passed", json_boolean(passed));
    int rc = task_origin_step(c->db, c->a, c->actor, &finding_kind, f->task_id,
                              passed ? "accept" : "return", *c->note ? c->note : "整改验收通过",
                              c->pr, c->today);
    if (rc != FLOW_OK) return rc;
    if (!passed) {
        c->new_status = FS_RECTIFYING;
        return db_exec(c->db,
                       "UPDATE inspection_findings SET verifications = verifications + 1, "
                       "failures = failures + 1 WHERE id = ?",
                       "i", c->id) == DB_OK
                   ? FLOW_OK
                   : FLOW_DB;
    }
    char today[11], recheck[11];
    date_format(c->today, today);
    int months = (int)setting_int(c->db, "finding.recheck_months");
    date_format(date_add_months(c->today, months, atoi(today + 8)), recheck);
    int on_time = *f->reported_on && *f->deadline && strcmp(f->reported_on, f->deadline) <= 0;
    json_object_set_new(c->detail, "on_time", json_boolean(on_time));
    json_object_set_new(c->detail, "recheck_due_on", json_string(recheck));
    return db_exec(c->db,
                   "UPDATE inspection_findings SET verifications = verifications + 1, "
                   "rectified_on = ?, on_time = ?, recheck_due_on = ? WHERE id = ?",
                   "sisi", today, (int64_t)on_time, recheck, c->id) == DB_OK
               ? FLOW_OK
               : FLOW_DB;
}

static int fx_recheck(struct flow_ctx *c) {
    int relapsed = flow_arg_bool(c, "relapsed", 0);
    char today[11];
    date_format(c->today, today);
    json_object_set_new(c->detail, "relapsed", json_boolean(relapsed));
    if (db_exec(c->db,
                "UPDATE inspection_findings SET rechecked_on = ?, "
                "relapsed = CASE WHEN ? = 1 THEN 1 ELSE relapsed END WHERE id = ?",
                "sii", today, (int64_t)relapsed, c->id) != DB_OK)
        return FLOW_DB;
    if (!relapsed) {
        c->new_status = FS_CLOSED;
        return FLOW_OK;
    }
    const char *deadline = deadline_of(c);
    if (!*deadline) return FLOW_INVALID;
    c->new_status = FS_RECTIFYING;
    return rectification_task(c, deadline);
}

/* 撤销: the open rectification task ends with the finding. */
static int fx_cancel(struct flow_ctx *c) {
    if (!FC(c)->task_id) return FLOW_OK;
    char st[16] = "";
    struct db_stmt *s =
        db_queryv(c->db, "SELECT status FROM tasks WHERE id = ?", "i", FC(c)->task_id);
    if (s && db_step(s) == DB_ROW) snprintf(st, sizeof st, "%s", db_col_text(s, 0));
    db_done(s);
    if (strcmp(st, "issued") && strcmp(st, "in_progress") && strcmp(st, "closing")) return FLOW_OK;
    return task_origin_step(c->db, c->a, c->actor, &finding_kind, FC(c)->task_id, "cancel", c->note,
                            c->pr, c->today);
}

/* After a step of the rectification task: its close request (the unit's rectification report
 * with evidence) puts the finding before verification. */
static int child_step(struct flow_ctx *origin, const struct flow_kind *child, int64_t child_id,
                      const char *action) {
    struct finding_ctx *f = FC(origin);
    if (strcmp(child->name, "task") || child_id != f->task_id) return FLOW_OK;
    if (!strcmp(action, "request_close") && origin->status == FS_RECTIFYING) {
        char today[11];
        date_format(origin->today, today);
        origin->new_status = FS_VERIFYING;
        return db_exec(origin->db, "UPDATE inspection_findings SET reported_on = ? WHERE id = ?",
                       "si", today, origin->id) == DB_OK
                   ? FLOW_OK
                   : FLOW_DB;
    }
    return FLOW_OK;
}

static const struct field args_assign[] = {
    {"deadline", FT_DATE, "整改期限（默认 15 日）", "Deadline (default: 15 days)", 0, 0, 0},
};
static const struct field args_verify[] = {
    {"passed", FT_BOOL, "验收通过", "Passed", 0, 0, F_REQUIRED},
};
static const struct field args_recheck[] = {
    {"relapsed", FT_BOOL, "问题反弹", "Relapsed", 0, 0, F_REQUIRED},
    {"deadline", FT_DATE, "反弹后整改期限（默认 15 日）",
     "Deadline after a relapse (default: 15 days)", 0, 0, 0},
};

static const struct flow_confirm confirm_assign = {
    "下达后将向责任单位下发督办任务，整改报告在督办任务上报送。",
    "The responsible unit receives a supervised task; it reports its rectification there."};
static const struct flow_confirm confirm_cancel = {"撤销后该问题及其整改任务终止。",
                                                   "Cancelling ends the finding and its task."};

#define OPEN (S(FS_OPEN) | S(FS_RECTIFYING) | S(FS_VERIFYING) | S(FS_RECTIFIED))

static const struct flow_transition transitions[] = {
    {"assign", "下达整改", "Order rectification", S(FS_OPEN), FS_RECTIFYING, &perm_finding_work,
     NULL, 0, ARGS(args_assign), NONE, fx_assign, NONE, NULL, "primary", &confirm_assign},
    {"verify", "验收", "Verify", S(FS_VERIFYING), FS_RECTIFIED, &perm_finding_work, NULL, 0,
     ARGS(args_verify), NONE, fx_verify, NONE, NULL, "success", NULL, NULL, "验收意见",
     "Verification opinion"},
    {"recheck", "回头看", "Re-check", S(FS_RECTIFIED), -1, &perm_finding_work, NULL, 1,
     ARGS(args_recheck), NONE, fx_recheck, NONE, NULL, "primary", NULL, NULL, "回头看情况",
     "Re-check findings"},
    {"add_evidence", "补充材料", "Add evidence", OPEN, -1, &perm_finding_work, NULL, 1, NONE, NONE,
     NULL, NONE, NULL, "default"},
    {"cancel", "撤销", "Cancel", OPEN, FS_CANCELLED, &perm_finding_manage, NULL, 1, NONE, NONE,
     fx_cancel, NONE, NULL, "danger", &confirm_cancel},
};

const struct flow_kind finding_kind = {
    .name = "finding",
    .zh = "问题整改",
    .en = "Inspection finding",
    .entity = "inspection_findings",
    .table = "inspection_findings",
    .audit_type = "finding",
    .web_path = "/inspection-findings",
    .perm_read = &perm_finding_view,
    .states = states,
    .n_states = FS_STATES,
    .transitions = transitions,
    .n_transitions = N(transitions),
    .events_table = "finding_events",
    .events_key = "finding_id",
    .file_owner = "finding_event", /* evidence of a step (证据材料) */
    .unit_column = "unit_id",
    .title_column = "finding_no",
    .summary_column = "rule",
    .perm_work = &perm_finding_work,
    .closes_children = 1, /* its 验收 accepts or returns the task */
    .child_step = child_step,
    .ctx_size = sizeof(struct finding_ctx),
    .load = load,
};

/* ---- the entity ---- */

static int findings_validate(struct entity_write *w) {
    const char *found = json_string_value(json_object_get(w->in, "found_on"));
    int32_t day;
    if (found && date_parse(found, &day) == 0 && day > date_today())
        problem_add(w->pr, "found_on", "发现日期不能晚于今天", "Cannot be later than today");
    return entity_check_unit(w, "unit_id", NULL, NULL);
}

int finding_insert(struct db *db, struct arena *a, const struct audit_actor *actor, json_t *in,
                   int64_t *id);
int finding_insert(struct db *db, struct arena *a, const struct audit_actor *actor, json_t *in,
                   int64_t *id) {
    char now[21];
    now_iso(now);
    const char *found = entity_text(in, "found_on");
    json_t *plan = json_object_get(in, "plan_id"), *rec = json_object_get(in, "record_id");
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO inspection_findings (plan_id, record_id, unit_id, category, severity, "
            "rule, description, found_on, status, created_by, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?) RETURNING id");
    if (!st) return DB_ERROR;
    db_bind_id(st, 1, json_integer_value(plan));
    db_bind_id(st, 2, json_integer_value(rec));
    db_bind_int(st, 3, json_integer_value(json_object_get(in, "unit_id")));
    db_bind_text(st, 4, entity_text(in, "category"));
    db_bind_text(st, 5, entity_text(in, "severity"));
    db_bind_text(st, 6, entity_text(in, "rule"));
    db_bind_text(st, 7,
                 json_string_value(json_object_get(in, "description"))
                     ? json_string_value(json_object_get(in, "description"))
                     : "");
    db_bind_text(st, 8, found);
    db_bind_id(st, 9, actor->user_id);
    db_bind_text(st, 10, now);
    db_bind_text(st, 11, now);
    int rc = db_step(st);
    if (rc == DB_ROW) *id = db_col_int(st, 0);
    db_done(st);
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERROR;
    const char *no = NULL;
    rc = entity_number_set(db, a, &entity_inspection_findings, *id, found, &no);
    if (rc != DB_OK) return rc;
    return audit_append(db, actor, "finding.create", "finding",
                        arena_printf(a, "%lld", (long long)*id), "ok",
                        arena_printf(a, "{\"finding_no\":\"%s\"}", no));
}

static int findings_create(struct entity_write *w) {
    return finding_insert(w->c->db, w->c->arena, w->actor, w->in, &w->id);
}

/* 回头看 due: rectified and its re-check date reached. */
static void filter_recheck_due(const struct entity_ctx *c, struct query *q, const char *value) {
    char today[11];
    date_format(date_today(), today);
    if (!strcmp(value, "1") || !strcmp(value, "true"))
        query_add(q, " AND e.status = 'rectified' AND e.recheck_due_on <= ?", "s",
                  arena_strdup(c->arena, today));
}

static const struct entity_filter filters[] = {
    {"recheck_due", FT_BOOL, "待回头看", "Re-check due", .apply = filter_recheck_due},
    {"escalated", FT_BOOL, "已升级督办", "Escalated", "e.escalated_level > 0",
     "e.escalated_level = 0"},
};

/* the 督办 task's states, as task_flow.c names them */
static const struct field_option task_status_options[] = {
    {"draft", "草稿", "Draft", "info"},
    {"issued", "待签收", "Issued", "warning"},
    {"in_progress", "办理中", "In progress", "primary"},
    {"closing", "待验收", "Closing", "warning"},
    {"done", "已办结", "Done", "success"},
    {"cancelled", "已撤销", "Cancelled", "info"},
};

#define TASK_STATUS_SQL "(SELECT t.status FROM tasks t WHERE t.id = e.task_id)"

static const struct field fields[] = {
    {"id", FT_INT, "序号", "ID", 0, 0, F_READONLY},
    {"finding_no", FT_TEXT, "编号", "Number", 0, 20,
     F_LIST | F_SORT | F_SEARCH | F_EXPORT | F_READONLY},
    {"plan_id", FT_REF, "督察方案", "Inspection plan", 1, FIELD_ID_MAX,
     F_FILTER | F_CREATE | F_EXPORT | F_IMPORT, .hint = "所属督察方案", .ref = "inspection_plans"},
    {"plan_title", FT_TEXT, "督察方案", "Inspection plan", 0, 0, F_EXPORT | F_READONLY,
     .sql = "(SELECT p.title FROM inspection_plans p WHERE p.id = e.plan_id)"},
    {"record_id", FT_REF, "检查记录", "Inspection record", 1, FIELD_ID_MAX,
     F_FILTER | F_CREATE | F_EXPORT, .hint = "发现问题的检查记录", .ref = "inspection_records"},
    {"unit_id", FT_UNIT, "责任单位", "Responsible unit", 0, 0,
     F_REQUIRED | F_FILTER | F_CREATE | F_UPDATE | F_IMPORT, .ref = "units", .import = "unit"},
    {"unit_name", FT_TEXT, "责任单位", "Responsible unit", 0, 0, F_LIST | F_EXPORT | F_READONLY,
     .sql = "u.name"},
    {"category", FT_ENUM, "问题类别", "Category", 0, 0,
     F_REQUIRED | F_LIST | F_FILTER | F_CREATE | F_UPDATE | F_EXPORT | F_IMPORT | F_LABEL,
     category_options, N(category_options), .dict = "finding_category"},
    {"severity", FT_ENUM, "严重程度", "Severity", 0, 0,
     F_REQUIRED | F_LIST | F_FILTER | F_CREATE | F_UPDATE | F_EXPORT | F_IMPORT,
     finding_severity_options, 3},
    {"rule", FT_LONGTEXT, "违反的规定", "Rule broken", 1, 1000,
     F_REQUIRED | F_SEARCH | F_CREATE | F_UPDATE | F_EXPORT | F_IMPORT,
     .hint = "例如：《行政处罚法》第三十九条（行政处罚信息公示）"},
    {"description", FT_LONGTEXT, "问题描述", "Description", 0, 4000,
     F_SEARCH | F_CREATE | F_UPDATE | F_EXPORT | F_IMPORT},
    {"found_on", FT_DATE, "发现日期", "Found on", 0, 0,
     F_REQUIRED | F_LIST | F_FILTER | F_SORT | F_CREATE | F_UPDATE | F_EXPORT | F_IMPORT},
    {"status", FT_ENUM, "状态", "Status", 0, 0, F_LIST | F_FILTER | F_EXPORT | F_READONLY,
     status_options, FS_STATES},
    {"task_id", FT_REF, "整改任务", "Rectification task", 0, 0, F_FILTER | F_READONLY,
     .ref = "tasks"},
    {"task_status", FT_ENUM, "整改任务状态", "Task status", 0, 0, F_READONLY, task_status_options,
     N(task_status_options), .sql = TASK_STATUS_SQL},
    {"deadline", FT_DATE, "整改期限", "Deadline", 0, 0, F_LIST | F_SORT | F_EXPORT | F_READONLY},
    {"rounds", FT_INT, "整改轮次", "Rounds", 0, 0, F_EXPORT | F_READONLY},
    {"reported_on", FT_DATE, "报送整改日期", "Reported on", 0, 0, F_EXPORT | F_READONLY},
    {"verifications", FT_INT, "验收次数", "Verifications", 0, 0, F_EXPORT | F_READONLY},
    {"failures", FT_INT, "验收不通过次数", "Failed verifications", 0, 0,
     F_LIST | F_EXPORT | F_READONLY},
    {"rectified_on", FT_DATE, "验收通过日期", "Rectified on", 0, 0, F_EXPORT | F_READONLY},
    {"on_time", FT_BOOL, "按时整改", "On time", 0, 0, F_EXPORT | F_READONLY},
    {"recheck_due_on", FT_DATE, "回头看日期", "Re-check due", 0, 0,
     F_LIST | F_SORT | F_EXPORT | F_READONLY},
    {"rechecked_on", FT_DATE, "回头看完成日期", "Re-checked on", 0, 0, F_EXPORT | F_READONLY},
    {"relapsed", FT_BOOL, "曾反弹", "Relapsed", 0, 0, F_FILTER | F_EXPORT | F_READONLY},
    {"escalated_level", FT_INT, "升级督办级别", "Escalation level", 0, 2,
     F_LIST | F_EXPORT | F_READONLY,
     .hint = "1：整改逾期或验收不通过；2：逾期超过设定天数或两次以上验收不通过"},
    {"escalated_at", FT_DATETIME, "升级督办时间", "Escalated at", 0, 0, F_EXPORT | F_READONLY},
    {"created_at", FT_DATETIME, "创建时间", "Created", 0, 0, F_SORT | F_READONLY},
    {"updated_at", FT_DATETIME, "更新时间", "Updated", 0, 0, F_READONLY},
    {"version", FT_INT, "版本", "Version", 0, 0, F_READONLY},
};

/* The measures the assessment reads (INSPECTION.md names them), beside the kind's standard
 * ones. Counted per finding. */
static const struct entity_metric metrics[] = {
    {"rectified_on_time", "整改按时率", "Rectified on time", METRIC_RATE, "e.on_time = 1",
     "e.rectified_on IS NOT NULL", NULL,
     "验收通过且整改报告（申请办结）不晚于整改期限的问题 / 验收通过的问题",
     "Findings passed whose rectification report came by the deadline / findings passed"},
    {"pass_rate", "验收通过率", "Verification pass rate", METRIC_RATE,
     "e.verifications > 0 AND e.failures = 0", "e.verifications > 0", NULL,
     "验收未出现不通过的问题 / 经过验收的问题（按问题计，一次不通过即不计入）",
     "Findings never failed at verification / findings verified (per finding)"},
    {"relapse_rate", "回头看反弹率", "Relapse rate", METRIC_RATE, "e.relapsed = 1",
     "e.rechecked_on IS NOT NULL", NULL, "回头看发现反弹的问题 / 已回头看的问题",
     "Findings found relapsed at a re-check / findings re-checked"},
    {"escalated", "升级督办", "Escalated", METRIC_COUNT, "e.escalated_level > 0", NULL, NULL,
     "整改逾期或验收不通过而升级督办（告知督察办公室和第一责任人）的问题",
     "Findings escalated to the office and the first responsible person (overdue or failed)"},
};

/* What the findings' pages read: the register's tables, tasks (the task's state), unit names,
 * accounts and scope, settings, dictionary labels. */
static const char *const finding_page_deps[] = {"finding", "tasks", "org", "auth", "dict", NULL};

/* 问题 by category and by responsible unit (the metrics' breakdowns) */
static const char *const finding_metric_by[] = {"category", "unit_id", NULL};

static const char *const finding_edit_states[] = {"open", NULL};

static const char *const import_example[] = {
    "1",         "区市场监督管理局",         "行政执法",
    "较重",      "《行政处罚法》第三十九条", "行政处罚决定未按规定在七个工作日内公示",
    "2026-11-02"};

/* 问题清单 of a plan's team (INSPECTION.md): an inspector without finding.manage sees the
 * findings of the plans they are on and those they registered (the page cache follows the team
 * and the inspectors' accounts: finding migration 3). */
static void findings_visible(const struct entity_ctx *c, struct query *q) {
    const struct principal *p = c->who;
    if (perm_has(p->perms, &perm_finding_manage) || !perm_has(p->perms, &perm_finding_work)) return;
    query_add(q,
              " AND (e.created_by = ? OR EXISTS (SELECT 1 FROM inspection_team m JOIN inspectors i"
              " ON i.id = m.inspector_id WHERE m.plan_id = e.plan_id AND i.user_id = ?))",
              "ii", p->user_id, p->user_id);
}

static const struct entity_child finding_children[] = {
    {"accountabilities", "finding_id"},
};

static const struct entity_number entity_inspection_findings_number = {"finding_no", "WT"};

const struct entity entity_inspection_findings = {
    .name = "inspection_findings",
    .path = "/api/v1/inspection-findings",
    .zh = "问题整改",
    .en = "Inspection findings",
    .table = "inspection_findings",
    .alias = "e",
    .from = "inspection_findings e JOIN units u ON u.id = e.unit_id",
    .fields = fields,
    .n_fields = N(fields),
    /* an inspected unit sees only its own findings */
    .scope = {.unit_column = "e.unit_id"},
    .filters = filters,
    .n_filters = N(filters),
    .default_sort = "-found_on",
    .perm_read = &perm_finding_view,
    .perm_create = &perm_finding_work,
    .perm_update = &perm_finding_work,
    .audit_type = "finding",
    .export_name = "inspection-findings",
    .export_sheet = "问题整改",
    .kind = &finding_kind,
    .edit_states = finding_edit_states,
    .import_example = import_example,
    .validate = findings_validate,
    .create = findings_create,
    .visible = findings_visible,
    .metrics = metrics,
    .n_metrics = N(metrics),
    .metric_date = "e.found_on",
    .metric_by = finding_metric_by,
    .cache_deps = finding_page_deps,
    .children = finding_children,
    .n_children = N(finding_children),
    .number = &entity_inspection_findings_number,
};
