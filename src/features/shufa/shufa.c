/* shufa.c — 述法: the item list, the reports and their per-item text and scores as entities, and
 * the report's kind (撰写中 → 提交 → 评议评分 → 已评定, or 退回修改 and 提交 again). The routes,
 * list pages, forms, the record page with its items as a child list, the action buttons and the
 * export come from these declarations (features/entity, features/flow). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/calendar.h"
#include "base/timeutil.h"
#include "features/shufa/shufa.h"

/* Declarations leave trailing fields out: 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#define N(a)    (int)(sizeof(a) / sizeof((a)[0]))
#define S(i)    (1u << (i))
#define ARGS(a) a, N(a)
#define NONE    NULL, 0
#define EDIT    (F_EXPORT | F_CREATE | F_UPDATE)

static const struct field_option speaker_kinds[] = {
    {"township", "街道（乡镇）党政主要负责人", "Heads of a street or township", ""},
    {"department", "区直部门主要负责人", "Heads of a district department", ""},
    {"village", "村（社区）党组织书记", "Village or community party secretaries", ""},
};

/* 评定等次 from the total's share of the maximum: 优秀 ≥ 90%, 良好 ≥ 80%, 合格 ≥ 60%, else 不合格
 */
static const struct field_option grades[] = {
    {"excellent", "优秀", "Excellent", "success"},
    {"good", "良好", "Good", "primary"},
    {"pass", "合格", "Pass", "warning"},
    {"fail", "不合格", "Fail", "danger"},
};

/* ---- 述法项目 (the configurable list) ---- */

static const struct field item_fields[] = {
    {"id", FT_INT, "序号", "ID", 0, 0, F_READONLY},
    {"speaker_kind", FT_ENUM, "述法对象", "Speaker", 0, 0,
     F_REQUIRED | F_LIST | F_FILTER | F_LABEL | EDIT, speaker_kinds, N(speaker_kinds)},
    {"sort_order", FT_INT, "顺序", "Order", 1, 99, F_REQUIRED | F_LIST | F_SORT | EDIT},
    {"title", FT_TEXT, "述法项目", "Item", 1, 200, F_REQUIRED | F_LIST | F_SEARCH | EDIT},
    {"max_score", FT_INT, "分值", "Maximum score", 1, 100, F_REQUIRED | F_LIST | EDIT},
    {"guidance", FT_LONGTEXT, "述法要点", "What to report", 0, 1000, EDIT,
     .hint = "提示述法人本项应当讲清楚的内容"},
    {"active", FT_BOOL, "启用", "Active", 0, 0, F_LIST | F_FILTER | EDIT,
     .hint = "停用的项目不再列入新建的述法报告；已建的报告不受影响"},
    {"created_at", FT_DATETIME, "创建时间", "Created", 0, 0, F_READONLY},
    {"updated_at", FT_DATETIME, "更新时间", "Updated", 0, 0, F_READONLY},
    {"version", FT_INT, "版本", "Version", 0, 0, F_READONLY},
};

static const struct entity_sort item_sorts[] = {
    {"kind_order", "s.speaker_kind, s.sort_order, s.id"},
};

static const char *const shufa_deps[] = {"shufa", "org", "auth", NULL};

const struct entity entity_shufa_items = {
    .name = "shufa_items",
    .path = "/api/v1/shufa-items",
    .zh = "述法项目",
    .en = "Shufa items",
    .table = "shufa_items",
    .alias = "s",
    .fields = item_fields,
    .n_fields = N(item_fields),
    .scope = {.unscoped = "the office's one list of what each kind of speaker reports on: every "
                          "unit writes against the same list"},
    .sorts = item_sorts,
    .n_sorts = N(item_sorts),
    .default_sort = "kind_order",
    .per_page = 50,
    .perm_read = &perm_shufa_view,
    .perm_create = &perm_shufa_manage,
    .perm_update = &perm_shufa_manage,
    .audit_type = "shufa_item",
    .export_name = "shufa-items",
    .export_sheet = "述法项目",
    .cache_deps = shufa_deps,
};

/* ---- the report's kind ---- */

enum { RS_DRAFT, RS_SUBMITTED, RS_RETURNED, RS_RATED, RS_N };

static const struct flow_state states[RS_N] = {
    [RS_DRAFT] = {"draft", "撰写中", "Being written", 0, "info"},
    [RS_SUBMITTED] = {"submitted", "已提交待评议", "Submitted", 0, "warning"},
    [RS_RETURNED] = {"returned", "退回修改", "Returned", 0, "danger"},
    [RS_RATED] = {"rated", "已评定", "Rated", 1, "success"},
};
static const struct field_option status_options[RS_N] = {
    [RS_DRAFT] = {"draft", "撰写中", "Being written", "info"},
    [RS_SUBMITTED] = {"submitted", "已提交待评议", "Submitted", "warning"},
    [RS_RETURNED] = {"returned", "退回修改", "Returned", "danger"},
    [RS_RATED] = {"rated", "已评定", "Rated", "success"},
};

struct report_ctx {
    struct flow_ctx base;
    int64_t unit_id, items, unwritten, unscored;
    char report_no[32];
};
#define RC(c) ((struct report_ctx *)(c))

static int load(struct flow_ctx *fc) {
    struct report_ctx *c = RC(fc);
    struct db_stmt *st = db_queryv(
        fc->db,
        "SELECT r.status, r.unit_id, COALESCE(r.report_no, ''), "
        "(SELECT COUNT(*) FROM shufa_report_items i WHERE i.report_id = r.id), "
        "(SELECT COUNT(*) FROM shufa_report_items i WHERE i.report_id = r.id AND "
        "TRIM(i.content) = ''), "
        "(SELECT COUNT(*) FROM shufa_report_items i WHERE i.report_id = r.id AND i.score IS NULL) "
        "FROM shufa_reports r WHERE r.id = ?",
        "i", fc->id);
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW) {
        fc->status = flow_state_index(fc->kind, db_col_text(st, 0));
        c->unit_id = db_col_int(st, 1);
        snprintf(c->report_no, sizeof c->report_no, "%s", db_col_text(st, 2));
        c->items = db_col_int(st, 3);
        c->unwritten = db_col_int(st, 4);
        c->unscored = db_col_int(st, 5);
        fc->title = c->report_no;
    }
    db_done(st);
    return rc;
}

/* The report's unit writes it (its clerks); the office may act for any unit. */
static int r_unit(const struct flow_ctx *c) {
    const struct principal *p = c->actor ? c->actor->who : NULL;
    if (!p) return 0;
    if (perm_has(p->perms, &perm_shufa_manage)) return 1;
    return RC(c)->unit_id && p->unit_id == RC(c)->unit_id;
}

static const struct flow_relation relations[] = {
    {"unit", "述法单位或依法治区办", "The speaker's unit or the office", r_unit},
};

static int p_unit(const struct flow_ctx *c, struct flow_recipients *out) {
    if (RC(c)->unit_id) out->units[out->n_units++] = RC(c)->unit_id;
    return DB_OK;
}

static const struct flow_party parties[] = {
    {"unit", "述法单位", "The speaker's unit", p_unit},
    {"office", "依法治区办", "The office", NULL, &perm_shufa_manage},
};

static int g_written(const struct flow_ctx *c) {
    return RC(c)->items > 0 && RC(c)->unwritten == 0;
}
static int g_scored(const struct flow_ctx *c) {
    return RC(c)->items > 0 && RC(c)->unscored == 0;
}
static const struct flow_guard guard_written[] = {
    {g_written, "还有述法项目未填写内容，请逐项填写后再提交",
     "Some items have no text yet: write every item before submitting"}};
static const struct flow_guard guard_scored[] = {
    {g_scored, "还有述法项目未评分，请逐项评分后再评定",
     "Some items are not scored yet: score every item before rating"}};

static int fx_submit(struct flow_ctx *c) {
    char today[11];
    date_format(c->today, today);
    return db_exec(c->db, "UPDATE shufa_reports SET submitted_on = ? WHERE id = ?", "si", today,
                   c->id) == DB_OK
               ? FLOW_OK
               : FLOW_DB;
}

/* 评定: the total is the items' scores, the grade its share of the maximum, the note the
 * office's comments. */
static int fx_rate(struct flow_ctx *c) {
    char today[11];
    date_format(c->today, today);
    int rc = db_exec(c->db,
                     "UPDATE shufa_reports SET total_score = (SELECT COALESCE(SUM(i.score), 0) "
                     "FROM shufa_report_items i WHERE i.report_id = shufa_reports.id), "
                     "max_score = (SELECT COALESCE(SUM(i.max_score), 0) FROM shufa_report_items "
                     "i WHERE i.report_id = shufa_reports.id), review_comment = ?, rated_on = ? "
                     "WHERE id = ?",
                     "ssi", c->note, today, c->id);
    if (rc == DB_OK)
        rc = db_exec(c->db,
                     "UPDATE shufa_reports SET grade = " SHUFA_GRADE_SQL(
                         "total_score", "max_score") " WHERE id = ?",
                     "i", c->id);
    if (rc != DB_OK) return FLOW_DB;
    int64_t total = 0;
    if (db_query_int(c->db, &total, "SELECT total_score FROM shufa_reports WHERE id = ?", "i",
                     c->id) != DB_ROW)
        return FLOW_DB;
    json_object_set_new(c->detail, "total_score", json_integer(total));
    return FLOW_OK;
}

static const struct flow_notice tell_office = {"office", "shufa_submitted", "述法报告待评议",
                                               NOTICE_EACH, "Shufa report to review"};
static const struct flow_notice tell_returned = {"unit", "shufa_returned", "述法报告退回修改",
                                                 NOTICE_EACH, "Shufa report returned"};
static const struct flow_notice tell_rated = {"unit", "shufa_rated", "述法报告已评定", NOTICE_EACH,
                                              "Shufa report rated"};
static const struct flow_confirm confirm_submit = {
    "提交后内容不能再修改，除非依法治区办退回修改。",
    "Once submitted the text cannot change unless the office returns it."};

static const struct flow_transition transitions[] = {
    {"submit", "提交", "Submit", S(RS_DRAFT) | S(RS_RETURNED), RS_SUBMITTED, &perm_shufa_work,
     "unit", 0, NONE, ARGS(guard_written), fx_submit, NONE, &tell_office, "primary",
     &confirm_submit},
    {"return", "退回修改", "Return for revision", S(RS_SUBMITTED), RS_RETURNED, &perm_shufa_manage,
     NULL, 1, NONE, NONE, NULL, NONE, &tell_returned, "warning", NULL, NULL, "退回原因",
     "Why it is returned"},
    {"rate", "评定", "Rate", S(RS_SUBMITTED), RS_RATED, &perm_shufa_manage, NULL, 1, NONE,
     ARGS(guard_scored), fx_rate, NONE, &tell_rated, "success", NULL, NULL, "评议意见",
     "Review comments"},
};

const struct flow_kind shufa_report_kind = {
    .name = "shufa_report",
    .zh = "述法报告",
    .en = "Shufa report",
    .entity = "shufa_reports",
    .table = "shufa_reports",
    .audit_type = "shufa_report",
    .web_path = "/shufa-reports",
    .perm_read = &perm_shufa_view,
    .states = states,
    .n_states = RS_N,
    .transitions = transitions,
    .n_transitions = N(transitions),
    .relations = relations,
    .n_relations = N(relations),
    .parties = parties,
    .n_parties = N(parties),
    .events_table = "shufa_report_events",
    .events_key = "report_id",
    .file_owner = "shufa_report_event", /* the report as signed, the minutes of the 述法 meeting */
    .unit_column = "unit_id",
    .title_column = "report_no",
    .summary_column = "person_name",
    .perm_work = &perm_shufa_work,
    .explain_guards = 1,
    .ctx_size = sizeof(struct report_ctx),
    .load = load,
};

/* ---- the reports ---- */

/* The year opened: its reports (a draft each) for every first responsible person. */
int shufa_open_year(struct db *db, struct arena *a, int64_t year, int64_t actor_id,
                    int64_t *created) {
    char now[21];
    now_iso(now);
    const char *period = arena_printf(a, "%04lld-12-31", (long long)year);
    int64_t before = 0, after = 0;
    int rc = db_query_int(db, &before, "SELECT COUNT(*) FROM shufa_reports WHERE year = ?", "i",
                          year) == DB_ROW
                 ? DB_OK
                 : DB_ERROR;
    if (rc == DB_OK)
        rc = db_exec(
            db,
            "INSERT INTO shufa_reports (year, period_on, person_id, person_name, person_position, "
            "unit_id, speaker_kind, status, created_by, created_at, updated_at, version) "
            "SELECT ?, ?, p.id, p.name, p.position, p.unit_id, " SHUFA_SPEAKER_SQL(
                "u.kind") ", 'draft', NULLIF(?, 0), ?, ?, 1 FROM people p JOIN units u ON u.id = "
                          "p.unit_id "
                          "WHERE p.is_first_responsible = 1 AND p.active = 1 AND u.active = 1 "
                          "AND " SHUFA_SPEAKER_SQL(
                              "u.kind") " IS NOT NULL "
                                        "AND EXISTS (SELECT 1 FROM shufa_items s WHERE s.active = "
                                        "1 AND s.speaker_kind = " SHUFA_SPEAKER_SQL(
                                            "u.kind") ") "
                                                      "AND NOT EXISTS (SELECT 1 FROM shufa_reports "
                                                      "r WHERE r.person_id = p.id AND "
                                                      "r.year = ?) ORDER BY p.unit_id, p.id",
            "isissi", year, period, actor_id, now, now, year);
    if (rc == DB_OK)
        rc = db_exec(db,
                     "UPDATE shufa_reports SET report_no = 'SF' || CAST(year AS TEXT) || '-' || "
                     "SUBSTR(CAST(1000000 + id AS TEXT), 2) WHERE report_no IS NULL AND year = ?",
                     "i", year);
    if (rc == DB_OK)
        rc = db_exec(
            db,
            "INSERT INTO shufa_report_items (report_id, item_id, sort_order, title, max_score, "
            "content, created_at, updated_at, version) SELECT r.id, s.id, s.sort_order, "
            "s.title, s.max_score, '', ?, ?, 1 FROM shufa_reports r JOIN shufa_items s ON "
            "s.speaker_kind = r.speaker_kind AND s.active = 1 WHERE r.year = ? AND NOT "
            "EXISTS (SELECT 1 FROM shufa_report_items i WHERE i.report_id = r.id)",
            "ssi", now, now, year);
    /* each report's timeline starts with its creation, as a record made through the API */
    if (rc == DB_OK)
        rc = db_exec(db,
                     "INSERT INTO shufa_report_events (report_id, at, actor_id, actor_name, "
                     "unit_id, action, note, detail) SELECT r.id, ?, r.created_by, "
                     "COALESCE((SELECT display_name FROM users WHERE id = r.created_by), ''), "
                     "NULL, 'create', '', '' FROM shufa_reports r WHERE r.year = ? AND NOT EXISTS "
                     "(SELECT 1 FROM shufa_report_events e WHERE e.report_id = r.id)",
                     "si", now, year);
    if (rc == DB_OK && db_query_int(db, &after, "SELECT COUNT(*) FROM shufa_reports WHERE year = ?",
                                    "i", year) != DB_ROW)
        rc = DB_ERROR;
    *created = after - before;
    return rc;
}

/* A new report: the person is a first responsible person of a unit in the caller's scope that
 * gives 述法, the year not later than this one, no report of theirs for that year yet. */
static int report_validate(struct entity_write *w) {
    json_t *y = json_object_get(w->in, "year"), *p = json_object_get(w->in, "person_id");
    char today[11];
    date_format(date_today(), today);
    if (json_is_integer(y) && json_integer_value(y) > atoi(today))
        problem_add(w->pr, "year", "不能为以后的年度写述法报告",
                    "The year cannot be in the future");
    if (!json_is_integer(p)) return DB_OK;
    int64_t person = (int64_t)json_integer_value(p);
    struct db_stmt *st = db_queryv(
        w->c->db,
        "SELECT p.name, p.is_first_responsible, p.active, p.unit_id, u.active, " SHUFA_SPEAKER_SQL(
            "u.kind") " FROM people p JOIN units u ON u.id = p.unit_id WHERE p.id = ?",
        "i", person);
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW) {
        const char *name = arena_strdup(w->c->arena, db_col_text(st, 0));
        int64_t unit = db_col_int(st, 3);
        if (!db_col_int(st, 1))
            problem_add(w->pr, "person_id",
                        arena_printf(w->c->arena,
                                     "%s 不是所在单位的第一责任人：述法报告只能由党政主要负责人"
                                     "（在「人员与第一责任人」中标记为第一责任人）作出",
                                     name),
                        arena_printf(w->c->arena,
                                     "%s is not the first responsible person of their unit: only "
                                     "a unit's principal leader gives a shufa report",
                                     name));
        else if (!db_col_int(st, 2) || !db_col_int(st, 4))
            problem_add(w->pr, "person_id", "该人员或其单位已停用",
                        "The person or their unit is no longer active");
        else if (!db_col_text(st, 5))
            problem_add(w->pr, "person_id", "该单位（委员会、协调小组）不作述法",
                        "This unit (the committee, a coordination group) gives no shufa");
        else if (!scope_allows_unit(w->c->db, w->c->who, unit))
            problem_add(w->pr, "person_id", "只能为本单位的第一责任人建立述法报告",
                        "Only for the first responsible person of your own unit");
    } else if (rc == DB_DONE) {
        problem_add(w->pr, "person_id", "人员不存在", "No such person");
    }
    db_done(st);
    if (rc < 0) return rc;
    if (w->pr->n || !json_is_integer(y)) return DB_OK;
    int64_t n = 0;
    if (db_query_int(w->c->db, &n,
                     "SELECT COUNT(*) FROM shufa_reports WHERE person_id = ? AND year = ?", "ii",
                     person, (int64_t)json_integer_value(y)) != DB_ROW)
        return DB_ERROR;
    if (n)
        problem_add(w->pr, "person_id",
                    arena_printf(w->c->arena,
                                 "该第一责任人 %lld 年度的述法报告已经建立（每人每年一份）",
                                 (long long)json_integer_value(y)),
                    arena_printf(w->c->arena,
                                 "This person's report for %lld exists already (one per person "
                                 "and year)",
                                 (long long)json_integer_value(y)));
    return DB_OK;
}

/* 新建: the person's report of the year with the items of their speaker kind copied in. */
static int report_create(struct entity_write *w) {
    struct db *db = w->c->db;
    struct arena *a = w->c->arena;
    int64_t year = (int64_t)json_integer_value(json_object_get(w->in, "year"));
    int64_t person = (int64_t)json_integer_value(json_object_get(w->in, "person_id"));
    char now[21];
    now_iso(now);
    struct db_stmt *st = db_queryv(
        db,
        "INSERT INTO shufa_reports (year, period_on, person_id, person_name, person_position, "
        "unit_id, speaker_kind, status, created_by, created_at, updated_at, version) "
        "SELECT ?, ?, p.id, p.name, p.position, p.unit_id, " SHUFA_SPEAKER_SQL(
            "u.kind") ", 'draft', ?, ?, ?, 1 FROM people p JOIN units u ON u.id = p.unit_id WHERE "
                      "p.id = ? "
                      "RETURNING id",
        "isissi", year, arena_printf(a, "%04lld-12-31", (long long)year), w->actor->user_id, now,
        now, person);
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW) w->id = db_col_int(st, 0);
    db_done(st);
    if (rc == DB_CONSTRAINT) { /* made meanwhile: the unique (person, year) */
        problem_add(w->pr, "person_id", "该第一责任人本年度的述法报告已经建立",
                    "This person's report for the year exists already");
        return ENTITY_CONFLICT;
    }
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERROR;
    const char *no = NULL;
    rc = entity_number_set(db, a, &entity_shufa_reports, w->id,
                           arena_printf(a, "%04lld", (long long)year), &no);
    if (rc == DB_OK)
        rc = db_exec(
            db,
            "INSERT INTO shufa_report_items (report_id, item_id, sort_order, title, max_score, "
            "content, created_at, updated_at, version) SELECT r.id, s.id, s.sort_order, "
            "s.title, s.max_score, '', ?, ?, 1 FROM shufa_reports r JOIN shufa_items s ON "
            "s.speaker_kind = r.speaker_kind AND s.active = 1 WHERE r.id = ?",
            "ssi", now, now, w->id);
    int64_t items = 0;
    if (rc == DB_OK &&
        db_query_int(db, &items, "SELECT COUNT(*) FROM shufa_report_items WHERE report_id = ?", "i",
                     w->id) != DB_ROW)
        rc = DB_ERROR;
    if (rc != DB_OK) return rc;
    if (!items) {
        problem_add(w->pr, "person_id", "该类述法对象尚未配置启用的述法项目，请先维护述法项目",
                    "No active items for this kind of speaker: keep the item list first");
        return ENTITY_INVALID;
    }
    return audit_append(
        db, w->actor, "shufa_report.create", "shufa_report",
        arena_printf(a, "%lld", (long long)w->id), "ok",
        arena_printf(a, "{\"report_no\":\"%s\",\"items\":%lld}", no, (long long)items));
}

static const struct field report_fields[] = {
    {"id", FT_INT, "序号", "ID", 0, 0, F_READONLY},
    {"report_no", FT_TEXT, "报告编号", "Number", 0, 20,
     F_LIST | F_SORT | F_SEARCH | F_EXPORT | F_READONLY},
    {"year", FT_INT, "述法年度", "Year", 2000, 2100,
     F_REQUIRED | F_LIST | F_FILTER | F_SORT | F_EXPORT | F_CREATE},
    {"person_id", FT_REF, "述法人", "Speaker", 0, 0, F_REQUIRED | F_FILTER | F_CREATE,
     .ref = "people", .hint = "本单位的第一责任人（党政主要负责人）"},
    {"person_name", FT_TEXT, "述法人", "Speaker", 0, 0, F_LIST | F_SEARCH | F_EXPORT | F_READONLY},
    {"person_position", FT_TEXT, "职务", "Position", 0, 0, F_LIST | F_EXPORT | F_READONLY},
    {"unit_id", FT_UNIT, "单位", "Unit", 0, 0, F_FILTER | F_READONLY, .ref = "units"},
    {"unit_name", FT_TEXT, "单位", "Unit", 0, 0, F_LIST | F_EXPORT | F_READONLY, .sql = "ru.name"},
    {"speaker_kind", FT_ENUM, "述法对象", "Speaker kind", 0, 0,
     F_FILTER | F_LABEL | F_EXPORT | F_READONLY, speaker_kinds, N(speaker_kinds)},
    {"status", FT_ENUM, "状态", "Status", 0, 0, F_LIST | F_FILTER | F_EXPORT | F_READONLY,
     status_options, RS_N},
    {"submitted_on", FT_DATE, "提交日期", "Submitted on", 0, 0, F_LIST | F_EXPORT | F_READONLY},
    {"total_score", FT_INT, "评议得分", "Score", 0, 0, F_LIST | F_SORT | F_EXPORT | F_READONLY},
    {"max_score", FT_INT, "满分", "Maximum", 0, 0, F_EXPORT | F_READONLY},
    {"grade", FT_ENUM, "评定等次", "Grade", 0, 0,
     F_LIST | F_FILTER | F_LABEL | F_EXPORT | F_READONLY, grades, N(grades),
     .hint = "得分占满分：优秀 ≥ 90%，良好 ≥ 80%，合格 ≥ 60%，其下不合格"},
    {"review_comment", FT_LONGTEXT, "评议意见", "Review comments", 0, 0, F_EXPORT | F_READONLY},
    {"rated_on", FT_DATE, "评定日期", "Rated on", 0, 0, F_EXPORT | F_READONLY},
    {"created_at", FT_DATETIME, "创建时间", "Created", 0, 0, F_SORT | F_READONLY},
    {"updated_at", FT_DATETIME, "更新时间", "Updated", 0, 0, F_READONLY},
    {"version", FT_INT, "版本", "Version", 0, 0, F_READONLY},
};

/* For the assessment (考核): the average total of the year's rated reports, and the share of the
 * year's reports submitted — the year's reports being one per first responsible person (the
 * office opens the year for every active first responsible person of a unit that gives 述法;
 * a unit may also make its own): submitted = in 已提交 or 已评定 now (a returned report counts
 * again once it is submitted anew). */
static const struct entity_metric metrics[] = {
    {"avg_score", "述法平均得分", "Average shufa score", METRIC_AVG, "e.status = 'rated'", NULL,
     "e.total_score", "已评定述法报告评议得分的平均值", "Average score of the rated reports"},
    {"submitted_rate", "述法报告提交率", "Shufa reports submitted", METRIC_RATE,
     "e.status IN ('submitted', 'rated')", NULL, NULL,
     "已提交（待评议或已评定）的报告 / 年度应述法的第一责任人（年度开启时为每位在岗第一责任人"
     "建立一份报告）",
     "Reports submitted (to review or rated) / first responsible persons due to report (the "
     "year opened makes one report for each)"},
};

static const char *const report_by[] = {"grade", "unit_id", NULL};

static const struct entity_child report_children[] = {
    {"shufa_report_items", "report_id"},
};

static const struct entity_number entity_shufa_reports_number = {"report_no", "SF"};

const struct entity entity_shufa_reports = {
    .name = "shufa_reports",
    .path = "/api/v1/shufa-reports",
    .zh = "述法报告",
    .en = "Shufa reports",
    .table = "shufa_reports",
    .alias = "e",
    .from = "shufa_reports e LEFT JOIN units ru ON ru.id = e.unit_id",
    .fields = report_fields,
    .n_fields = N(report_fields),
    /* a unit reads (and writes) its own first responsible person's report; the office all */
    .scope = {.unit_column = "e.unit_id"},
    .default_sort = "-year",
    .perm_read = &perm_shufa_view,
    .perm_create = &perm_shufa_work,
    .audit_type = "shufa_report",
    .export_name = "shufa-reports",
    .export_sheet = "述法报告",
    .kind = &shufa_report_kind,
    .validate = report_validate,
    .create = report_create,
    .metrics = metrics,
    .n_metrics = N(metrics),
    .metric_date = "e.period_on",
    .metric_by = report_by,
    .children = report_children,
    .n_children = N(report_children),
    .cache_deps = shufa_deps,
    .number = &entity_shufa_reports_number,
};

/* ---- the report's items: its text (the unit) and scores (the office) ---- */

/* What may change depends on the report's state and the writer: while 撰写中 or 退回修改 the unit
 * writes the text (scores are the office's, given in review); once submitted only the office
 * scores and comments, each score within the item's maximum; a rated report is closed. */
static int item_update(struct entity_write *w) {
    const char *status = json_string_value(json_object_get(w->cur, "report_status"));
    const char *content = entity_text(w->in, "content");
    const char *was = json_string_value(json_object_get(w->cur, "content"));
    json_t *score = json_object_get(w->in, "score"), *old = json_object_get(w->cur, "score");
    json_t *comment = json_object_get(w->in, "comment");
    const char *old_comment = json_string_value(json_object_get(w->cur, "comment"));
    int content_given = json_object_get(w->in, "content") != NULL;
    int score_changed = score && !json_equal(score, old) && !(json_is_null(score) && !old);
    int comment_changed = json_is_string(comment) &&
                          strcmp(json_string_value(comment), old_comment ? old_comment : "");
    int writing = status && (!strcmp(status, "draft") || !strcmp(status, "returned"));
    if (!status || !strcmp(status, "rated")) {
        w->zh = "已评定的述法报告不能修改";
        w->en = "A rated report cannot be changed";
        return ENTITY_FORBIDDEN;
    }
    if (writing && (score_changed || comment_changed)) {
        w->zh = "评分和评议意见由依法治区办在报告提交后填写";
        w->en = "The office scores and comments once the report is submitted";
        return ENTITY_FORBIDDEN;
    }
    if (!writing) {
        if (!perm_has(w->c->who->perms, &perm_shufa_manage)) {
            w->zh = "述法报告已提交，内容不能修改；评分由依法治区办进行";
            w->en = "The report is submitted: its text cannot change, and the office scores it";
            return ENTITY_FORBIDDEN;
        }
        if (content_given && strcmp(content, was ? was : "")) {
            w->zh = "已提交的述法内容不能修改（可退回述法单位修改）";
            w->en = "A submitted text cannot change (return the report for revision)";
            return ENTITY_FORBIDDEN;
        }
        int64_t max = (int64_t)json_integer_value(json_object_get(w->cur, "max_score"));
        if (json_is_integer(score) && json_integer_value(score) > max) {
            problem_add(w->pr, "score",
                        arena_printf(w->c->arena, "不能超过本项分值 %lld 分", (long long)max),
                        arena_printf(w->c->arena, "Cannot exceed the item's maximum of %lld",
                                     (long long)max));
            return ENTITY_INVALID;
        }
    }
    char now[21];
    now_iso(now);
    struct db *db = w->c->db;
    int rc;
    if (writing) {
        rc = db_exec(db, "UPDATE shufa_report_items SET content = ?, updated_at = ? WHERE id = ?",
                     "ssi", content_given ? content : (was ? was : ""), now, w->id);
    } else {
        struct db_stmt *st = db_prepare(db, "UPDATE shufa_report_items SET score = ?, comment = ?, "
                                            "updated_at = ? WHERE id = ?");
        if (!st) return DB_ERROR;
        if (json_is_integer(score))
            db_bind_int(st, 1, (int64_t)json_integer_value(score));
        else if (score)
            db_bind_null(st, 1);
        else if (json_is_integer(old))
            db_bind_int(st, 1, (int64_t)json_integer_value(old));
        else
            db_bind_null(st, 1);
        db_bind_text(st, 2,
                     json_is_string(comment) ? json_string_value(comment)
                                             : (old_comment ? old_comment : ""));
        db_bind_text(st, 3, now);
        db_bind_id(st, 4, w->id);
        rc = db_step(st);
        db_done(st);
        rc = rc == DB_DONE ? DB_OK : rc < 0 ? rc : DB_ERROR;
    }
    if (rc != DB_OK) return rc;
    json_t *detail =
        json_pack("{s:I}", "report_id", json_integer_value(json_object_get(w->cur, "report_id")));
    if (!writing) json_object_set(detail, "score", score ? score : json_null());
    char *text = json_dumps(detail, JSON_COMPACT);
    json_decref(detail);
    rc = audit_append(db, w->actor, writing ? "shufa_report.write" : "shufa_report.score",
                      "shufa_report_item", arena_printf(w->c->arena, "%lld", (long long)w->id),
                      "ok", text ? text : "");
    free(text);
    return rc;
}

static const struct field report_item_fields[] = {
    {"id", FT_INT, "序号", "ID", 0, 0, F_READONLY},
    {"report_id", FT_REF, "述法报告", "Report", 0, 0, F_FILTER | F_READONLY,
     .ref = "shufa_reports"},
    {"sort_order", FT_INT, "顺序", "Order", 0, 0, F_LIST | F_SORT | F_READONLY},
    {"title", FT_TEXT, "述法项目", "Item", 0, 0, F_LIST | F_EXPORT | F_READONLY},
    {"max_score", FT_INT, "分值", "Maximum", 0, 0, F_LIST | F_EXPORT | F_READONLY},
    {"content", FT_LONGTEXT, "述法内容", "Text", 0, 4000, F_LIST | F_SEARCH | F_EXPORT | F_UPDATE,
     .hint = "由述法单位在提交前逐项填写"},
    {"score", FT_INT, "得分", "Score", 0, 100, F_LIST | F_EXPORT | F_UPDATE,
     .hint = "由依法治区办评议时填写，不超过本项分值"},
    {"comment", FT_TEXT, "评议意见", "Comment", 0, 500, F_LIST | F_EXPORT | F_UPDATE},
    {"report_status", FT_ENUM, "报告状态", "Report status", 0, 0, F_READONLY, status_options, RS_N,
     .sql = "r.status"},
    {"unit_id", FT_UNIT, "单位", "Unit", 0, 0, F_READONLY, .ref = "units", .sql = "r.unit_id"},
    {"created_at", FT_DATETIME, "创建时间", "Created", 0, 0, F_READONLY},
    {"updated_at", FT_DATETIME, "更新时间", "Updated", 0, 0, F_READONLY},
    {"version", FT_INT, "版本", "Version", 0, 0, F_READONLY},
};

const struct entity entity_shufa_report_items = {
    .name = "shufa_report_items",
    .path = "/api/v1/shufa-report-items",
    .zh = "述法内容与评分",
    .en = "Shufa text and scores",
    .table = "shufa_report_items",
    .alias = "i",
    .from = "shufa_report_items i JOIN shufa_reports r ON r.id = i.report_id",
    .filter_from = "shufa_report_items i JOIN shufa_reports r ON r.id = i.report_id",
    .fields = report_item_fields,
    .n_fields = N(report_item_fields),
    /* read and written by whoever reads the report: its unit, the office */
    .scope = {.unit_column = "r.unit_id"},
    .default_sort = "sort_order",
    .per_page = 50,
    .perm_read = &perm_shufa_view,
    .perm_update = &perm_shufa_work,
    .audit_type = "shufa_report_item",
    .export_name = "shufa-report-items",
    .export_sheet = "述法内容与评分",
    .update = item_update,
    .cache_deps = shufa_deps,
};
