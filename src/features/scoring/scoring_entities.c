/* scoring_entities.c — the scoring run's records as entities (features/entity) and the run's
 * kind (features/flow): runs, results per unit, score cells (the unit's self-assessment and the
 * assessor's points are PUT on them, each in its state of the run), and the changes a re-run or
 * a re-review made. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/calendar.h"
#include "base/timeutil.h"
#include "features/assess/assess.h"
#include "features/assess/assess_rule.h"
#include "features/calendar/calendar.h"
#include "features/files/files.h"
#include "features/flow/flow.h"
#include "features/scoring/scoring.h"
#include "features/scoring/scoring_run.h"
#include "store/settings.h"

/* Declarations leave trailing fields out: 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#define N(a)    (int)(sizeof(a) / sizeof((a)[0]))
#define S(i)    (1u << (i))
#define ARGS(a) a, N(a)
#define NONE    NULL, 0
#define EDIT    (F_EXPORT | F_CREATE | F_UPDATE)
#define RO      (F_READONLY | F_EXPORT)

/* ---- the run's kind ---- */

static const struct flow_state states[RUN_N] = {
    [RUN_DRAFT] = {"draft", "草拟", "Draft", 0, "info"},
    [RUN_SCORED] = {"scored", "已计分", "Scored", 0, ""},
    [RUN_SELF] = {"self", "自评中", "Self-assessment", 0, "warning"},
    [RUN_REVIEW] = {"review", "审核中", "Under review", 0, "warning"},
    [RUN_PUBLISHED] = {"published", "已公布", "Published", 0, "success"},
    [RUN_FINAL] = {"final", "已定档", "Final", 1, "success"},
};
static const struct field_option run_status_options[RUN_N] = {
    [RUN_DRAFT] = {"draft", "草拟", "Draft", "info"},
    [RUN_SCORED] = {"scored", "已计分", "Scored", ""},
    [RUN_SELF] = {"self", "自评中", "Self-assessment", "warning"},
    [RUN_REVIEW] = {"review", "审核中", "Under review", "warning"},
    [RUN_PUBLISHED] = {"published", "已公布", "Published", "success"},
    [RUN_FINAL] = {"final", "已定档", "Final", "success"},
};

struct run_ctx {
    struct flow_ctx base;
    int64_t system_id, pending, units_total, units_done, runs;
    int system_published, computing, scored_once;
    char title[201], objection_until[11];
};
#define RC(c) ((struct run_ctx *)(c))

/* A pass not finished within this long was cut off (the server stopped): a new one may start. */
#define PASS_STALE_SECONDS 900

static int load(struct flow_ctx *fc) {
    struct run_ctx *c = RC(fc);
    char stale[21];
    iso_utc(now_unix() - PASS_STALE_SECONDS, stale);
    struct db_stmt *st =
        db_queryv(fc->db,
                  "SELECT r.status, r.title, r.system_id, s.status, r.units_total, r.units_done,"
                  " r.runs, CASE WHEN r.started_at > ? THEN r.started_at END, r.finished_at,"
                  " COALESCE(r.objection_until, ''),"
                  " (SELECT COUNT(*) FROM assess_scores c WHERE c.run_id = r.id AND c.pending = 1)"
                  " FROM assess_runs r JOIN assess_systems s ON s.id = r.system_id WHERE r.id = ?",
                  "si", stale, fc->id);
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW) {
        fc->status = flow_state_index(fc->kind, db_col_text(st, 0));
        snprintf(c->title, sizeof c->title, "%s", db_col_text(st, 1));
        fc->title = c->title;
        c->system_id = db_col_int(st, 2);
        c->system_published = !strcmp(db_col_text(st, 3), "published");
        c->units_total = db_col_int(st, 4);
        c->units_done = db_col_int(st, 5);
        c->runs = db_col_int(st, 6);
        c->computing = db_col_text(st, 7) && !db_col_text(st, 8);
        c->scored_once = db_col_text(st, 8) != NULL;
        snprintf(c->objection_until, sizeof c->objection_until, "%s", db_col_text(st, 9));
        c->pending = db_col_int(st, 10);
    }
    db_done(st);
    return rc;
}

static int g_published_system(const struct flow_ctx *c) {
    return RC(c)->system_published;
}
static int g_idle(const struct flow_ctx *c) {
    return !RC(c)->computing;
}
static int g_scored(const struct flow_ctx *c) {
    return RC(c)->scored_once && !RC(c)->computing;
}
static int g_no_pending(const struct flow_ctx *c) {
    return RC(c)->pending == 0;
}
static int g_window_closed(const struct flow_ctx *c) {
    int32_t until = 0;
    return RC(c)->objection_until[0] && date_parse(RC(c)->objection_until, &until) == 0 &&
           c->today > until;
}

static const struct flow_guard guard_score[] = {
    {g_published_system, "只有已发布的指标体系才能计分：请先发布该考核年度的指标体系",
     "Only a published indicator system can be scored: publish the year's system first"},
    {g_idle, "计分正在进行中，请等待完成", "Scoring is under way: wait until it finishes"},
};
static const struct flow_guard guard_scored[] = {
    {g_scored, "尚未完成计分，请先计分", "Not scored yet: score the run first"},
};
static const struct flow_guard guard_publish[] = {
    {g_scored, "尚未完成计分，请先计分", "Not scored yet: score the run first"},
    {g_no_pending, "还有需要人工评分的指标未评分，请评分后再公布",
     "Some manually scored indicators have no points yet: score them before publishing"},
};
static const struct flow_guard guard_finalize[] = {
    {g_window_closed, "申辩期限尚未届满，届满后才能定档",
     "The objection period has not ended yet: finalize after it"},
};

/* 计分 / 重新计分: the computation is started in the background (scoring_run.h); the step
 * answers at once. A draft run becomes 已计分 when it has been started. */
static int fx_score(struct flow_ctx *c) {
    int64_t token = 0;
    if (scoring_begin(c->db, c->id, 0, &token) != DB_OK) return FLOW_DB;
    if (c->status == RUN_DRAFT) c->new_status = RUN_SCORED;
    json_object_set_new(c->detail, "pass", json_integer(token));
    if (scoring_start_background(c->db, c->id, token) != 0) return FLOW_DB;
    return FLOW_OK;
}

/* 公布: the date, and the end of the objection period (setting assess.objection_days working
 * days after publication, 5 when the appeal module does not declare it). */
static int fx_publish(struct flow_ctx *c) {
    int64_t days = setting_def_by_key("assess.objection_days")
                       ? setting_int(c->db, "assess.objection_days")
                       : 5;
    struct calendar *cal = NULL;
    if (calendar_load(c->db, c->a, c->today, c->today + 120, &cal) != DB_OK) return FLOW_DB;
    int32_t until = calendar_add_workdays(cal, c->today, (int)days);
    char now[21], u[11];
    now_iso(now);
    date_format(until, u);
    if (db_exec(c->db, "UPDATE assess_runs SET published_at = ?, objection_until = ? WHERE id = ?",
                "ssi", now, u, c->id) != DB_OK)
        return FLOW_DB;
    json_object_set_new(c->detail, "objection_until", json_string(u));
    return FLOW_OK;
}

static const struct flow_party parties[] = {
    {"units", "被考核单位", "The assessed units", NULL, &perm_assess_work},
    {"office", "依法治区办", "The office", NULL, &perm_assess_manage},
};
static const struct flow_notice tell_self = {"units", "assess_self", "考核自评", NOTICE_EACH,
                                             "Self-assessment"};
static const struct flow_notice tell_published = {"units", "assess_published", "考核结果公布",
                                                  NOTICE_EACH, "Assessment published"};
static const struct flow_confirm confirm_publish = {
    "公布后各单位可查看得分并在申辩期限内提出申辩。",
    "Once published the units see their scores and may object within the period."};

static const struct flow_transition transitions[] = {
    {"score", "计分", "Score", S(RUN_DRAFT) | S(RUN_SCORED) | S(RUN_SELF) | S(RUN_REVIEW), -1,
     &perm_assess_manage, NULL, 0, NONE, ARGS(guard_score), fx_score, NONE, NULL, "primary"},
    {"open_self", "开始自评", "Open self-assessment", S(RUN_SCORED), RUN_SELF, &perm_assess_manage,
     NULL, 0, NONE, ARGS(guard_scored), NULL, NONE, &tell_self, "primary"},
    {"start_review", "开始审核", "Start the review", S(RUN_SELF), RUN_REVIEW, &perm_assess_manage,
     NULL, 0, NONE, ARGS(guard_scored), NULL, NONE, NULL, "primary"},
    {"publish", "公布", "Publish", S(RUN_REVIEW), RUN_PUBLISHED, &perm_assess_manage, NULL, 0, NONE,
     ARGS(guard_publish), fx_publish, NONE, &tell_published, "success", &confirm_publish},
    {"finalize", "定档", "Finalize", S(RUN_PUBLISHED), RUN_FINAL, &perm_assess_manage, NULL, 0,
     NONE, ARGS(guard_finalize), NULL, NONE, NULL, "success"},
};

const struct flow_kind assess_run_kind = {
    .name = "assess_run",
    .zh = "考核组织",
    .en = "Assessment run",
    .entity = "assess_runs",
    .table = "assess_runs",
    .audit_type = "assess_run",
    .web_path = "/assess-runs",
    .perm_read = &perm_assess_view,
    .states = states,
    .n_states = RUN_N,
    .transitions = transitions,
    .n_transitions = N(transitions),
    .parties = parties,
    .n_parties = N(parties),
    .events_table = "assess_run_events",
    .events_key = "run_id",
    .title_column = "title",
    .perm_work = &perm_assess_work,
    .explain_guards = 1,
    .ctx_size = sizeof(struct run_ctx),
    .load = load,
};

/* ---- runs ---- */

static const struct field run_fields[] = {
    {"id", FT_INT, "序号", "ID", 0, 0, F_READONLY},
    {"title", FT_TEXT, "考核名称", "Title", 1, 200, F_REQUIRED | F_LIST | F_SEARCH | EDIT},
    {"system_id", FT_REF, "指标体系", "Indicator system", 0, 0,
     F_REQUIRED | F_FILTER | F_CREATE | F_EXPORT, .ref = "assess_systems"},
    {"system_name", FT_TEXT, "指标体系", "Indicator system", 0, 0, F_LIST | RO, .sql = "s.name"},
    {"system_version", FT_INT, "体系版本", "System version", 0, 0, RO, .sql = "s.version_no"},
    {"total_points", FT_INT, "总分", "Total points", 0, 0, RO, .sql = "s.total_points",
     .decimals = 2},
    {"year", FT_INT, "考核年度", "Year", 0, 0, F_LIST | F_FILTER | F_SORT | RO},
    {"period_from", FT_DATE, "统计期间起", "Period from", 0, 0, EDIT,
     .hint = "默认为考核年度 1 月 1 日"},
    {"period_to", FT_DATE, "统计期间止", "Period to", 0, 0, EDIT,
     .hint = "默认为考核年度 12 月 31 日"},
    {"status", FT_ENUM, "状态", "Status", 0, 0, F_LIST | F_FILTER | F_LABEL | RO,
     run_status_options, RUN_N},
    {"runs", FT_INT, "计分次数", "Passes", 0, 0, RO},
    {"units_total", FT_INT, "被考核单位数", "Units", 0, 0, F_LIST | RO},
    {"units_done", FT_INT, "已计分单位数", "Units scored", 0, 0, RO},
    {"started_at", FT_DATETIME, "计分开始", "Scoring started", 0, 0, F_READONLY},
    {"finished_at", FT_DATETIME, "计分完成", "Scoring finished", 0, 0, F_LIST | F_READONLY},
    {"published_at", FT_DATETIME, "公布时间", "Published", 0, 0, F_READONLY},
    {"objection_until", FT_DATE, "申辩截止", "Objections until", 0, 0, F_READONLY},
    {"note", FT_LONGTEXT, "说明", "Note", 0, 2000, EDIT},
    {"created_at", FT_DATETIME, "创建时间", "Created", 0, 0, F_READONLY},
    {"updated_at", FT_DATETIME, "更新时间", "Updated", 0, 0, F_READONLY},
    {"version", FT_INT, "版本号", "Version", 0, 0, F_READONLY},
};

/* The year is the system's; the period defaults to that year; the system must be published. */
static int run_validate(struct entity_write *w) {
    json_t *sid = json_object_get(w->in, "system_id");
    if (json_is_integer(sid)) {
        struct db_stmt *st =
            db_queryv(w->c->db, "SELECT status, year FROM assess_systems WHERE id = ?", "i",
                      (int64_t)json_integer_value(sid));
        int rc = st ? db_step(st) : DB_ERROR;
        if (rc == DB_ROW && strcmp(db_col_text(st, 0), "published"))
            problem_add(w->pr, "system_id", "只有已发布的指标体系才能组织考核",
                        "Only a published indicator system can be run");
        db_done(st);
        if (rc < 0) return rc;
    }
    const char *from = entity_text(w->in, "period_from"), *to = entity_text(w->in, "period_to");
    if (from[0] && to[0] && strcmp(from, to) > 0)
        problem_add(w->pr, "period_to", "统计期间止不能早于统计期间起",
                    "The period cannot end before it starts");
    return DB_OK;
}

static int run_create(struct entity_write *w) {
    struct db *db = w->c->db;
    int64_t sid = (int64_t)json_integer_value(json_object_get(w->in, "system_id"));
    int64_t year = 0;
    if (db_query_int(db, &year, "SELECT year FROM assess_systems WHERE id = ?", "i", sid) != DB_ROW)
        return DB_ERROR;
    const char *from = entity_text(w->in, "period_from"), *to = entity_text(w->in, "period_to");
    char f[11], t[11], now[21];
    snprintf(f, sizeof f, "%s",
             from[0] ? from : arena_printf(w->c->arena, "%04lld-01-01", (long long)year));
    snprintf(t, sizeof t, "%s",
             to[0] ? to : arena_printf(w->c->arena, "%04lld-12-31", (long long)year));
    now_iso(now);
    struct db_stmt *st = db_queryv(
        db,
        "INSERT INTO assess_runs (system_id, year, title, period_from, period_to, status, note,"
        " created_by, created_at, updated_at, version) VALUES (?, ?, ?, ?, ?, 'draft', ?, ?, ?, ?,"
        " 1) RETURNING id",
        "iissssiss", sid, year, entity_text(w->in, "title"), f, t, entity_text(w->in, "note"),
        w->actor->user_id, now, now);
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW) w->id = db_col_int(st, 0);
    db_done(st);
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERROR;
    json_t *d = json_pack("{s:I,s:I}", "system_id", (json_int_t)sid, "year", (json_int_t)year);
    char *text = json_dumps(d, JSON_COMPACT);
    json_decref(d);
    rc = audit_append(db, w->actor, "assess_run.create", "assess_run",
                      arena_printf(w->c->arena, "%lld", (long long)w->id), "ok", text ? text : "");
    free(text);
    return rc;
}

static const char *const run_edit_states[] = {"draft", "scored", NULL};

const struct entity entity_assess_runs = {
    .name = "assess_runs",
    .path = "/api/v1/assess-runs",
    .zh = "考核组织",
    .en = "Assessment runs",
    .table = "assess_runs",
    .alias = "r",
    .from = "assess_runs r JOIN assess_systems s ON s.id = r.system_id",
    .fields = run_fields,
    .n_fields = N(run_fields),
    .scope = {.unscoped = "a district-wide run: its name and progress are for every reader of the "
                          "assessment; each unit's results and cells are scoped"},
    .default_sort = "-year",
    .perm_read = &perm_assess_view,
    .perm_create = &perm_assess_manage,
    .perm_update = &perm_assess_manage,
    .audit_type = "assess_run",
    .export_name = "assess-runs",
    .export_sheet = "考核组织",
    .kind = &assess_run_kind,
    .edit_states = run_edit_states,
    .validate = run_validate,
    .create = run_create,
};

/* ---- results ---- */

static const struct field_option categories[] = {
    {"department", "区直部门", "Departments", ""},
    {"township", "乡镇街道", "Townships and streets", ""},
};
static const struct field_option grades[SG_N] = {
    [SG_EXCELLENT] = {"excellent", "优秀", "Excellent", "success"},
    [SG_GOOD] = {"good", "良好", "Good", ""},
    [SG_FAIR] = {"fair", "一般", "Fair", "warning"},
    [SG_POOR] = {"poor", "较差", "Poor", "danger"},
};

static const struct field result_fields[] = {
    {"id", FT_INT, "序号", "ID", 0, 0, F_READONLY},
    {"run_id", FT_REF, "考核", "Run", 0, 0, F_FILTER | F_READONLY, .ref = "assess_runs"},
    {"unit_id", FT_UNIT, "单位", "Unit", 0, 0, F_FILTER | F_READONLY, .ref = "units"},
    {"unit_name", FT_TEXT, "单位", "Unit", 0, 0, F_LIST | RO, .sql = "u.name"},
    {"category", FT_ENUM, "类别", "Category", 0, 0, F_LIST | F_FILTER | F_LABEL | RO, categories,
     N(categories)},
    {"auto_total", FT_INT, "自动得分", "Computed", 0, 0, RO, .decimals = 2},
    {"self_total", FT_INT, "自评得分", "Self-assessed", 0, 0, RO, .decimals = 2},
    {"bonus", FT_INT, "加分", "Bonus", 0, 0, F_LIST | RO, .decimals = 2},
    {"total", FT_INT, "总分", "Total", 0, 0, F_LIST | F_SORT | RO, .decimals = 2},
    {"veto", FT_BOOL, "一票否决", "Vetoed", 0, 0, F_LIST | RO},
    {"grade", FT_ENUM, "等次", "Grade", 0, 0, F_LIST | F_FILTER | F_LABEL | RO, grades, SG_N},
    {"rank_all", FT_INT, "总排名", "Rank", 0, 0, F_LIST | RO},
    {"rank_category", FT_INT, "类别排名", "Rank in category", 0, 0, F_LIST | RO},
    {"pending", FT_INT, "待评分项", "Pending", 0, 0, RO},
    {"run_status", FT_TEXT, "考核状态", "Run status", 0, 0, F_READONLY, .sql = "ru.status"},
    {"system_id", FT_INT, "指标体系", "System", 0, 0, F_READONLY, .sql = "ru.system_id"},
    {"year", FT_INT, "考核年度", "Year", 0, 0, F_READONLY, .sql = "ru.year"},
    {"updated_at", FT_DATETIME, "更新时间", "Updated", 0, 0, F_READONLY},
    {"version", FT_INT, "版本号", "Version", 0, 0, F_READONLY},
};
static const struct entity_sort result_sorts[] = {
    {"rank", "r.rank_category, r.category, r.id"},
};

const struct entity entity_assess_results = {
    .name = "assess_results",
    .path = "/api/v1/assess-results",
    .zh = "考核结果",
    .en = "Assessment results",
    .table = "assess_results",
    .alias = "r",
    .from = "assess_results r JOIN units u ON u.id = r.unit_id JOIN assess_runs ru"
            " ON ru.id = r.run_id",
    .fields = result_fields,
    .n_fields = N(result_fields),
    .scope = {.unit_column = "r.unit_id"},
    .sorts = result_sorts,
    .n_sorts = N(result_sorts),
    .default_sort = "rank",
    .per_page = 50,
    .perm_read = &perm_assess_view,
    .audit_type = "assess_result",
    .export_name = "assess-results",
    .export_sheet = "考核结果",
};

/* ---- score cells ---- */

static const struct field score_fields[] = {
    {"id", FT_INT, "序号", "ID", 0, 0, F_READONLY},
    {"run_id", FT_REF, "考核", "Run", 0, 0, F_FILTER | F_READONLY, .ref = "assess_runs"},
    {"unit_id", FT_UNIT, "单位", "Unit", 0, 0, F_FILTER | F_READONLY, .ref = "units"},
    {"unit_name", FT_TEXT, "单位", "Unit", 0, 0, F_LIST | RO, .sql = "u.name"},
    {"indicator_id", FT_REF, "指标", "Indicator", 0, 0, F_FILTER | F_READONLY,
     .ref = "assess_indicators"},
    {"code", FT_TEXT, "编号", "Code", 0, 0, F_LIST | RO, .sql = "i.code"},
    {"name", FT_TEXT, "指标名称", "Indicator", 0, 0, F_LIST | RO, .sql = "i.name"},
    {"parent_id", FT_INT, "上级指标", "Parent", 0, 0, F_READONLY, .sql = "i.parent_id"},
    {"level", FT_INT, "层级", "Level", 0, 0, F_READONLY, .sql = "i.level"},
    {"weight", FT_INT, "分值", "Weight", 0, 0, F_LIST | RO, .sql = "i.weight", .decimals = 2},
    {"rule", FT_ENUM, "计分规则", "Rule", 0, 0, F_LIST | F_LABEL | RO, assess_rule_types, AR_N},
    {"metric", FT_TEXT, "数据指标", "Metric", 0, 0, RO},
    {"params", FT_TEXT, "规则参数", "Parameters", 0, 0, RO, .sql = "i.params"},
    {"method", FT_TEXT, "评分标准", "Scoring standard", 0, 0, F_READONLY, .sql = "i.method"},
    {"evidence", FT_TEXT, "佐证材料要求", "Evidence required", 0, 0, F_READONLY,
     .sql = "i.evidence"},
    {"num", FT_INT, "计数", "Counted", 0, 0, F_LIST | RO},
    {"den", FT_INT, "基数", "Base", 0, 0, RO},
    {"value", FT_INT, "指标值", "Value", 0, 0, RO, .decimals = 2},
    {"has_value", FT_BOOL, "有数据", "Has data", 0, 0, F_READONLY},
    {"points", FT_INT, "自动得分", "Computed points", 0, 0, F_LIST | RO, .decimals = 2},
    {"veto", FT_BOOL, "否决", "Veto", 0, 0, RO},
    {"pending", FT_BOOL, "待评分", "Pending", 0, 0, F_FILTER | RO},
    {"self_points", FT_INT, "自评分", "Self-assessed points", 0, ASSESS_POINTS_MAX,
     F_LIST | F_UPDATE | F_EXPORT, .decimals = 2},
    {"self_note", FT_LONGTEXT, "自评说明", "Self-assessment note", 0, 2000, F_UPDATE | F_EXPORT},
    {"assessor_points", FT_INT, "评分员评分", "Assessor's points", 0, ASSESS_POINTS_MAX,
     F_LIST | F_UPDATE | F_EXPORT, .decimals = 2},
    {"assessor_note", FT_LONGTEXT, "评分说明", "Assessor's note", 0, 2000, F_UPDATE | F_EXPORT},
    {"assessor_id", FT_USER, "评分员", "Assessor", 0, 0, F_READONLY},
    {"assessor_name", FT_TEXT, "评分员", "Assessor", 0, 0, F_READONLY, .sql = "au.display_name"},
    {"final_points", FT_INT, "最终得分", "Final points", 0, 0, F_LIST | RO, .decimals = 2},
    {"explain_zh", FT_TEXT, "计分说明", "Explanation (zh)", 0, 0, F_INTERNAL},
    {"explain_en", FT_TEXT, "计分说明（英文）", "Explanation (en)", 0, 0, F_INTERNAL},
    {"explain", FT_TEXT, "计分说明", "Explanation", 0, 0, F_VIRTUAL | F_READONLY},
    {"drill", FT_TEXT, "数据来源", "Records", 0, 0, F_READONLY},
    {"den_drill", FT_TEXT, "基数来源", "Base records", 0, 0, F_VIRTUAL | F_READONLY},
    {"system_id", FT_INT, "指标体系", "System", 0, 0, F_READONLY, .sql = "s.id"},
    {"system_version", FT_INT, "体系版本", "System version", 0, 0, F_READONLY,
     .sql = "s.version_no"},
    {"run_status", FT_TEXT, "考核状态", "Run status", 0, 0, F_READONLY, .sql = "ru.status"},
    {"attachment_ids", FT_REF, "佐证材料", "Evidence", 0, 0, F_MULTI | F_VIRTUAL | F_UPDATE,
     .ref = "files", .max_items = 20},
    {"attachments", FT_JSON, "佐证材料", "Evidence", 0, 0, F_VIRTUAL | F_READONLY},
    {"computed_at", FT_DATETIME, "计分时间", "Computed", 0, 0, F_READONLY},
    {"updated_at", FT_DATETIME, "更新时间", "Updated", 0, 0, F_READONLY},
    {"version", FT_INT, "版本号", "Version", 0, 0, F_READONLY},
};
static const struct entity_sort score_sorts[] = {
    {"tree", "c.unit_id, i.sort_order, i.code, c.id"},
};

/* explain in the caller's language, the denominator's drill of a rate; one record also gets its
 * attachments (one query). */
static int score_decorate(const struct entity_ctx *c, json_t *items) {
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it) {
        const char *zh = json_string_value(json_object_get(it, "explain_zh"));
        const char *en = json_string_value(json_object_get(it, "explain_en"));
        json_object_set_new(it, "explain", json_string(c->lang && en && en[0] ? en : zh ? zh : ""));
        const char *drill = json_string_value(json_object_get(it, "drill"));
        const char *part = drill ? strstr(drill, "metric_part=num") : NULL;
        if (part && json_integer_value(json_object_get(it, "den")) > 0) {
            char *d = arena_strdup(c->arena, drill);
            memcpy(d + (part - drill) + 12, "den", 3);
            json_object_set_new(it, "den_drill", json_string(d));
        } else {
            json_object_set_new(it, "den_drill", json_null());
        }
        json_object_del(it, "explain_zh");
        json_object_del(it, "explain_en");
    }
    if (c->purpose == EP_GET && json_array_size(items) == 1) {
        it = json_array_get(items, 0);
        json_t *files = files_list_json(c->db, "assess_score",
                                        (int64_t)json_integer_value(json_object_get(it, "id")));
        if (!files) return DB_ERROR;
        json_object_set_new(it, "attachments", files);
    }
    return DB_OK;
}

static int claim_attachments(struct entity_write *w) {
    return entity_claim_files(w, w->body ? json_object_get(w->body, "attachment_ids") : NULL,
                              "assess_score", 20);
}

/* PUT of a cell: the unit's self-assessment while the run is 自评中 (assess.work, its own unit),
 * the assessor's points while 审核中 (assess.score, note required); every other change is
 * refused naming the run's state. */
/* A cell the assessor scores (no metric: manual, a bonus or a veto by decision) explains its
 * points in words as a computed one does: the same rule evaluation (assess_rule_eval). */
static int explain_manual(struct entity_write *w, int has, int64_t pts) {
    const char *rule = json_string_value(json_object_get(w->cur, "rule"));
    const char *metric = json_string_value(json_object_get(w->cur, "metric"));
    const char *params = json_string_value(json_object_get(w->cur, "params"));
    int64_t weight = field_stored_int(entity_field(&entity_assess_scores, "weight"),
                                      json_object_get(w->cur, "weight"));
    int t = assess_rule_type_of(rule);
    struct assess_rule r;
    char zh[160], en[160];
    if (t < 0 || (metric && *metric) ||
        assess_rule_parse((enum assess_rule_type)t, params, weight, &r, zh, en, sizeof zh))
        return DB_OK; /* a computed cell keeps the pass's words */
    struct assess_input in = {.has_manual = has, .manual = pts};
    struct assess_outcome out;
    assess_rule_eval(&r, weight, &in, &out, w->c->arena);
    return db_exec(w->c->db, "UPDATE assess_scores SET explain_zh = ?, explain_en = ? WHERE id = ?",
                   "ssi", out.zh, out.en, w->id);
}

static int score_update(struct entity_write *w) {
    const char *status = json_string_value(json_object_get(w->cur, "run_status"));
    const char *rule = json_string_value(json_object_get(w->cur, "rule"));
    int64_t weight = field_stored_int(entity_field(&entity_assess_scores, "weight"),
                                      json_object_get(w->cur, "weight"));
    const char *params = json_string_value(json_object_get(w->cur, "params"));
    int64_t max = scoring_cell_max(rule, params ? params : "", weight);
    int k = status ? flow_state_index(&assess_run_kind, status) : -1;
    const char *szh = k >= 0 ? states[k].zh : "", *sen = k >= 0 ? states[k].en : "";
    int self = json_object_get(w->in, "self_points") || json_object_get(w->in, "self_note") ||
               (w->body && json_object_get(w->body, "attachment_ids"));
    int assessor =
        json_object_get(w->in, "assessor_points") || json_object_get(w->in, "assessor_note");
    const struct principal *p = w->c->who;
    if (!self && !assessor) {
        problem_add(w->pr, "self_points", "没有要修改的内容", "Nothing to change");
        return ENTITY_INVALID;
    }
    if (self && assessor) {
        problem_add(w->pr, "assessor_points", "自评与评分员评分须分别提交",
                    "Self-assessment and the assessor's points are separate changes");
        return ENTITY_INVALID;
    }
    if (self && (k != RUN_SELF || !perm_has(p->perms, &perm_assess_work))) {
        w->zh = k != RUN_SELF
                    ? arena_printf(w->c->arena, "考核%s，不能自评：仅在自评中可以自评", szh)
                    : "只有被考核单位可以自评";
        w->en = k != RUN_SELF
                    ? arena_printf(w->c->arena,
                                   "The run is %s: self-assessment is possible only while it is "
                                   "open for self-assessment",
                                   sen)
                    : "Only the assessed unit assesses itself";
        return ENTITY_FORBIDDEN;
    }
    if (assessor && (k != RUN_REVIEW || !perm_has(p->perms, &perm_assess_score))) {
        w->zh = k != RUN_REVIEW
                    ? arena_printf(w->c->arena, "考核%s，不能评分：仅在审核中可以评分", szh)
                    : "只有考核评分员可以评分";
        w->en = k != RUN_REVIEW ? arena_printf(w->c->arena,
                                               "The run is %s: assessors score only while it is "
                                               "under review",
                                               sen)
                                : "Only an assessor scores";
        return ENTITY_FORBIDDEN;
    }
    const char *pf = self ? "self_points" : "assessor_points";
    json_t *pv = json_object_get(w->in, pf);
    if (json_is_integer(pv) && json_integer_value(pv) > max) {
        problem_add(w->pr, pf,
                    arena_printf(w->c->arena, "不能超过该指标的分值 %s",
                                 assess_hundredths(w->c->arena, max)),
                    arena_printf(w->c->arena, "At most the indicator's %s points",
                                 assess_hundredths(w->c->arena, max)));
        return ENTITY_INVALID;
    }
    char now[21];
    now_iso(now);
    int rc;
    json_t *detail;
    if (self) {
        json_t *note = json_object_get(w->in, "self_note");
        rc = db_exec(
            w->c->db,
            "UPDATE assess_scores SET self_points = CASE WHEN CAST(? AS BIGINT) = 1 THEN CAST(? AS "
            "BIGINT) ELSE"
            " self_points END, self_note = COALESCE(CAST(? AS TEXT), self_note), updated_at = ?"
            " WHERE id = ?",
            "iissi", (int64_t)(json_object_get(w->in, "self_points") != NULL),
            json_is_integer(pv) ? (int64_t)json_integer_value(pv) : 0,
            note ? json_string_value(note) : NULL, now, w->id);
        /* a null self_points clears it */
        if (rc == DB_OK && json_object_get(w->in, "self_points") && !json_is_integer(pv))
            rc = db_exec(w->c->db, "UPDATE assess_scores SET self_points = NULL WHERE id = ?", "i",
                         w->id);
        if (rc == DB_OK) rc = claim_attachments(w);
        detail = json_pack("{s:o,s:s?}", "self_points",
                           json_is_integer(pv) ? json_integer(json_integer_value(pv)) : json_null(),
                           "self_note", note ? json_string_value(note) : NULL);
    } else {
        const char *note = entity_text(w->in, "assessor_note");
        if (!note[0]) {
            problem_add(w->pr, "assessor_note", "请填写评分说明", "Say why: the note is required");
            return ENTITY_INVALID;
        }
        if (!json_object_get(w->in, "assessor_points")) {
            problem_add(w->pr, "assessor_points", "请填写评分", "Give the points");
            return ENTITY_INVALID;
        }
        int has = json_is_integer(pv);
        int64_t pts = has ? (int64_t)json_integer_value(pv) : 0;
        /* final = the assessor's points; cleared: the computed points again */
        rc = db_exec(
            w->c->db,
            "UPDATE assess_scores SET assessor_points = CASE WHEN CAST(? AS BIGINT) = 1 THEN "
            "CAST(? AS BIGINT) END,"
            " assessor_note = ?, assessor_id = ?, points = CASE WHEN metric = '' AND"
            " rule <> 'veto' THEN (CASE WHEN CAST(? AS BIGINT) = 1 THEN CAST(? AS BIGINT) ELSE 0 "
            "END) ELSE points END,"
            " final_points = CASE WHEN CAST(? AS BIGINT) = 1 THEN CAST(? AS BIGINT) WHEN metric = "
            "'' AND rule <> 'veto'"
            " THEN 0 ELSE points END, pending = CASE WHEN CAST(? AS BIGINT) = 1 THEN 0 WHEN rule ="
            " 'manual' THEN 1 ELSE pending END, updated_at = ? WHERE id = ?",
            "iisiiiiiisi", (int64_t)has, pts, note, w->actor->user_id, (int64_t)has, pts,
            (int64_t)has, pts, (int64_t)has, now, w->id);
        if (rc == DB_OK) rc = explain_manual(w, has, pts);
        if (rc == DB_OK && !strcmp(rule ? rule : "", "veto"))
            rc = db_exec(w->c->db,
                         "UPDATE assess_scores SET veto = CASE WHEN CAST(? AS BIGINT) = 1 AND "
                         "CAST(? AS BIGINT) > 0 THEN 1"
                         " WHEN CAST(? AS BIGINT) = 1 THEN 0 ELSE veto END WHERE id = ?",
                         "iiii", (int64_t)has, pts, (int64_t)has, w->id);
        if (rc == DB_OK) {
            int64_t run = (int64_t)json_integer_value(json_object_get(w->cur, "run_id"));
            int64_t unit = (int64_t)json_integer_value(json_object_get(w->cur, "unit_id"));
            int64_t old = field_stored_int(entity_field(&entity_assess_scores, "final_points"),
                                           json_object_get(w->cur, "final_points"));
            int64_t num = (int64_t)json_integer_value(json_object_get(w->cur, "num"));
            int64_t den = (int64_t)json_integer_value(json_object_get(w->cur, "den"));
            int64_t ind = (int64_t)json_integer_value(json_object_get(w->cur, "indicator_id"));
            int64_t points = field_stored_int(entity_field(&entity_assess_scores, "points"),
                                              json_object_get(w->cur, "points"));
            rc = db_exec(w->c->db,
                         "INSERT INTO assess_changes (run_id, unit_id, indicator_id, pass, cause,"
                         " old_points, new_points, old_num, new_num, old_den, new_den, reason,"
                         " by_user, at) VALUES (?, ?, ?, 0, 'review', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         "iiiiiiiiisis", run, unit, ind, old, has ? pts : points, num, num, den,
                         den, note, w->actor->user_id, now);
            if (rc == DB_OK) rc = scoring_totals(w->c->db, w->c->arena, run, unit);
        }
        detail = json_pack("{s:o,s:s}", "assessor_points", has ? json_integer(pts) : json_null(),
                           "assessor_note", note);
    }
    if (rc != DB_OK) {
        json_decref(detail);
        return rc;
    }
    char *text = json_dumps(detail, JSON_COMPACT);
    json_decref(detail);
    rc = audit_append(w->c->db, w->actor, self ? "assess_score.self" : "assess_score.assess",
                      "assess_score", arena_printf(w->c->arena, "%lld", (long long)w->id), "ok",
                      text ? text : "");
    free(text);
    return rc;
}

const struct entity entity_assess_scores = {
    .name = "assess_scores",
    .path = "/api/v1/assess-scores",
    .zh = "考核得分",
    .en = "Score cells",
    .table = "assess_scores",
    .alias = "c",
    .from = "assess_scores c JOIN units u ON u.id = c.unit_id JOIN assess_indicators i"
            " ON i.id = c.indicator_id JOIN assess_runs ru ON ru.id = c.run_id JOIN"
            " assess_systems s ON s.id = ru.system_id LEFT JOIN users au ON au.id = c.assessor_id",
    .filter_from = "assess_scores c JOIN assess_indicators i ON i.id = c.indicator_id",
    .fields = score_fields,
    .n_fields = N(score_fields),
    .scope = {.unit_column = "c.unit_id"},
    .sorts = score_sorts,
    .n_sorts = N(score_sorts),
    .default_sort = "tree",
    .per_page = 200,
    .perm_read = &perm_assess_view,
    .perm_update = &perm_assess_view, /* the hook decides: assess.work or assess.score, by state */
    .audit_type = "assess_score",
    .export_name = "assess-scores",
    .export_sheet = "考核得分",
    .decorate = score_decorate,
    .update = score_update,
};

/* ---- changes ---- */

static const struct field_option causes[] = {
    {"rerun", "重新计分", "Re-run", "warning"},
    {"review", "评分员评分", "Assessor", ""},
    {"objection", "申辩复核", "Re-review of an objection", "danger"},
};

static const struct field change_fields[] = {
    {"id", FT_INT, "序号", "ID", 0, 0, F_READONLY},
    {"run_id", FT_REF, "考核", "Run", 0, 0, F_FILTER | F_READONLY, .ref = "assess_runs"},
    {"unit_id", FT_UNIT, "单位", "Unit", 0, 0, F_FILTER | F_READONLY, .ref = "units"},
    {"unit_name", FT_TEXT, "单位", "Unit", 0, 0, F_LIST | RO, .sql = "u.name"},
    {"indicator_id", FT_REF, "指标", "Indicator", 0, 0, F_FILTER | F_READONLY,
     .ref = "assess_indicators"},
    {"code", FT_TEXT, "编号", "Code", 0, 0, F_LIST | RO, .sql = "i.code"},
    {"name", FT_TEXT, "指标名称", "Indicator", 0, 0, F_LIST | RO, .sql = "i.name"},
    {"pass", FT_INT, "计分次序", "Pass", 0, 0, RO},
    {"cause", FT_ENUM, "原因", "Cause", 0, 0, F_LIST | F_FILTER | F_LABEL | RO, causes, N(causes)},
    {"old_num", FT_INT, "原计数", "Old count", 0, 0, F_LIST | RO},
    {"new_num", FT_INT, "新计数", "New count", 0, 0, F_LIST | RO},
    {"old_den", FT_INT, "原基数", "Old base", 0, 0, RO},
    {"new_den", FT_INT, "新基数", "New base", 0, 0, RO},
    {"old_points", FT_INT, "原得分", "Old points", 0, 0, F_LIST | RO, .decimals = 2},
    {"new_points", FT_INT, "新得分", "New points", 0, 0, F_LIST | RO, .decimals = 2},
    {"reason", FT_TEXT, "说明", "Why", 0, 0, F_LIST | RO},
    {"by_user", FT_USER, "操作人", "By", 0, 0, F_READONLY},
    {"by_name", FT_TEXT, "操作人", "By", 0, 0, F_LIST | RO, .sql = "bu.display_name"},
    {"at", FT_DATETIME, "时间", "At", 0, 0, F_LIST | F_READONLY},
};

static const struct entity_sort change_sorts[] = {
    {"id", "g.id"},
};

const struct entity entity_assess_changes = {
    .name = "assess_changes",
    .path = "/api/v1/assess-changes",
    .zh = "得分变动",
    .en = "Score changes",
    .table = "assess_changes",
    .alias = "g",
    .from = "assess_changes g JOIN units u ON u.id = g.unit_id LEFT JOIN assess_indicators i"
            " ON i.id = g.indicator_id LEFT JOIN users bu ON bu.id = g.by_user",
    .fields = change_fields,
    .n_fields = N(change_fields),
    .scope = {.unit_column = "g.unit_id"},
    .sorts = change_sorts,
    .n_sorts = N(change_sorts),
    .default_sort = "-id",
    .per_page = 50,
    .perm_read = &perm_assess_view,
    .audit_type = "assess_change",
    .export_name = "assess-changes",
    .export_sheet = "得分变动",
};

/* An attachment of a cell is read by whoever reads the cell (its unit's scope). */
int scoring_score_can_read(struct db *db, const struct principal *who, int64_t id) {
    struct arena *a = arena_new(4096);
    struct entity_ctx c;
    int ok = 0;
    if (entity_ctx_init(&c, db, a, &entity_assess_scores, who, 0, EP_COUNT) == DB_OK) {
        struct entity_request rq;
        memset(&rq, 0, sizeof rq);
        rq.id = id;
        int64_t n = 0;
        ok = entity_count(&c, &rq, &n) == DB_OK && n > 0;
    }
    arena_free(a);
    return ok;
}
