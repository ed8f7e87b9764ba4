/* appeal.c — 申辩 and 复核: the objections entity and its kind (已提出 → 复核中 → 维持原评分 /
 * 已改分, or 撤回 before assignment). The routes, the list page, the record page with its
 * buttons, clocks and timeline come from these declarations (features/entity, features/flow);
 * the change of a score is features/scoring's (scoring_override). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/calendar.h"
#include "base/timeutil.h"
#include "features/appeal/appeal.h"
#include "features/assess/assess.h"
#include "features/assess/assess_rule.h" /* assess_hundredths, ASSESS_POINTS_MAX */
#include "features/files/files.h"
#include "features/notify/notify.h"
#include "features/scoring/scoring.h"

/* Declarations leave trailing fields out: 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#define N(a)    (int)(sizeof(a) / sizeof((a)[0]))
#define S(i)    (1u << (i))
#define ARGS(a) a, N(a)
#define NONE    NULL, 0

#define OBJECTION_FILES_MAX 20 /* evidence files of one objection */

enum { OS_SUBMITTED, OS_ASSIGNED, OS_UPHELD, OS_CHANGED, OS_WITHDRAWN, OS_N };

static const struct flow_state states[OS_N] = {
    [OS_SUBMITTED] = {"submitted", "已提出", "Submitted", 0, "warning"},
    [OS_ASSIGNED] = {"assigned", "复核中", "Under re-review", 0, "primary"},
    [OS_UPHELD] = {"upheld", "维持原评分", "Score upheld", 1, "info"},
    [OS_CHANGED] = {"changed", "已改分", "Score changed", 1, "success"},
    [OS_WITHDRAWN] = {"withdrawn", "撤回", "Withdrawn", 1, "info"},
};
static const struct field_option status_options[OS_N] = {
    [OS_SUBMITTED] = {"submitted", "已提出", "Submitted", "warning"},
    [OS_ASSIGNED] = {"assigned", "复核中", "Under re-review", "primary"},
    [OS_UPHELD] = {"upheld", "维持原评分", "Score upheld", "info"},
    [OS_CHANGED] = {"changed", "已改分", "Score changed", "success"},
    [OS_WITHDRAWN] = {"withdrawn", "撤回", "Withdrawn", "info"},
};

/* ---- the kind ---- */

struct objection_ctx {
    struct flow_ctx base;
    int64_t unit_id, reviewer_id, run_id, score_id, assessor_id, final_points, max_points;
    char run_status[16];
    char objection_no[32];
};
#define OC(c) ((struct objection_ctx *)(c))

static int load(struct flow_ctx *fc) {
    struct objection_ctx *c = OC(fc);
    struct db_stmt *st = db_queryv(
        fc->db,
        "SELECT o.status, o.unit_id, COALESCE(o.reviewer_id, 0), o.run_id, o.score_id, "
        "COALESCE(s.assessor_id, 0), s.final_points, s.rule, i.params, i.weight, r.status, "
        "COALESCE(o.objection_no, '') FROM assess_objections o JOIN assess_scores s ON s.id = "
        "o.score_id JOIN assess_indicators i ON i.id = s.indicator_id JOIN assess_runs r ON r.id "
        "= o.run_id WHERE o.id = ?",
        "i", fc->id);
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW) {
        fc->status = flow_state_index(fc->kind, db_col_text(st, 0));
        c->unit_id = db_col_int(st, 1);
        c->reviewer_id = db_col_int(st, 2);
        c->run_id = db_col_int(st, 3);
        c->score_id = db_col_int(st, 4);
        c->assessor_id = db_col_int(st, 5);
        c->final_points = db_col_int(st, 6);
        c->max_points = scoring_cell_max(db_col_text(st, 7), db_col_text(st, 8), db_col_int(st, 9));
        snprintf(c->run_status, sizeof c->run_status, "%s", db_col_text(st, 10));
        snprintf(c->objection_no, sizeof c->objection_no, "%s", db_col_text(st, 11));
        fc->title = c->objection_no;
    }
    db_done(st);
    return rc;
}

/* The objecting unit's clerks. */
static int r_unit(const struct flow_ctx *c) {
    const struct principal *p = c->actor ? c->actor->who : NULL;
    return p && OC(c)->unit_id && p->unit_id == OC(c)->unit_id;
}
/* The re-reviewer the office named. */
static int r_reviewer(const struct flow_ctx *c) {
    const struct principal *p = c->actor ? c->actor->who : NULL;
    return p && OC(c)->reviewer_id && p->user_id == OC(c)->reviewer_id;
}
static const struct flow_relation relations[] = {
    {"unit", "申辩单位", "The objecting unit", r_unit},
    {"reviewer", "复核人", "The re-reviewer", r_reviewer},
};

static int p_unit(const struct flow_ctx *c, struct flow_recipients *out) {
    if (OC(c)->unit_id) out->units[out->n_units++] = OC(c)->unit_id;
    return DB_OK;
}
static const struct flow_party parties[] = {
    {"unit", "申辩单位", "The objecting unit", p_unit},
    {"office", "依法治区办", "The office", NULL, &perm_assess_manage},
};

/* While the results are published: once the run is 定档 (final) nothing is re-reviewed. */
static int g_published(const struct flow_ctx *c) {
    return !strcmp(OC(c)->run_status, "published");
}
static const struct flow_guard guard_published[] = {
    {g_published, "考核结果不在公布期（已定档或未公布），不能再复核",
     "The results are not in their published period (final or not published): no re-review"}};

static const char *day_text(struct flow_ctx *c) {
    char d[11];
    date_format(c->today, d);
    return arena_strdup(c->a, d);
}

/* 分派复核: an active account holding assess.score other than the cell's assessor (复核由原评分人
 * 以外的评分人员进行); the reviewer is told. */
static int fx_assign(struct flow_ctx *c) {
    int64_t reviewer = flow_arg_int(c, "reviewer_id", 0);
    struct db_stmt *st =
        db_queryv(c->db,
                  "SELECT u.display_name, (SELECT COUNT(*) FROM role_permissions rp WHERE "
                  "rp.role_id = u.role_id AND rp.permission = 'assess.score') FROM users u "
                  "WHERE u.id = ? AND u.locked = 0",
                  "i", reviewer);
    int rc = st ? db_step(st) : DB_ERROR;
    const char *name = "";
    int64_t may = 0;
    if (rc == DB_ROW) {
        name = arena_strdup(c->a, db_col_text(st, 0));
        may = db_col_int(st, 1);
    }
    db_done(st);
    if (rc < 0) return FLOW_DB;
    if (rc != DB_ROW || !may) {
        flow_problem(c, "reviewer_id", "复核人须是持有考核评分与复核权限的在用账号",
                     "The re-reviewer must be an active account allowed to score and re-review");
        return FLOW_INVALID;
    }
    if (reviewer == OC(c)->assessor_id) {
        flow_problem(c, "reviewer_id",
                     arena_printf(c->a,
                                  "复核须由原评分人以外的评分人员进行：%s 是该项的原评分人，"
                                  "请另行指定复核人",
                                  name),
                     arena_printf(c->a,
                                  "The re-review must be by another assessor: %s scored this "
                                  "item; name another re-reviewer",
                                  name));
        return FLOW_INVALID;
    }
    json_object_set_new(c->detail, "reviewer", json_string(name));
    if (db_exec(c->db, "UPDATE assess_objections SET reviewer_id = ?, assigned_on = ? WHERE id = ?",
                "isi", reviewer, day_text(c), c->id) != DB_OK)
        return FLOW_DB;
    struct notify_event ev = {
        "objection_review",
        arena_printf(c->a, "【申辩待复核】%s", OC(c)->objection_no),
        c->note && *c->note ? c->note : NULL,
        arena_printf(c->a, "[Objection to re-review] %s", OC(c)->objection_no),
        NULL,
        arena_printf(c->a, "/assess-objections/%lld", (long long)c->id),
        0,
        NULL};
    return notify_event_user(c->db, reviewer, &ev) < 0 ? FLOW_DB : FLOW_OK;
}

static int decide(struct flow_ctx *c, int64_t points) {
    json_object_set_new(c->detail, "old_points", json_integer(OC(c)->final_points));
    json_object_set_new(c->detail, "new_points", json_integer(points));
    return db_exec(c->db,
                   "UPDATE assess_objections SET decided_points = ?, decision_note = ?, "
                   "decided_on = ?, decided_by = ? WHERE id = ?",
                   "issii", points, c->note, day_text(c),
                   c->actor && c->actor->who ? c->actor->who->user_id : 0, c->id) == DB_OK
               ? FLOW_OK
               : FLOW_DB;
}

/* 维持原评分: the cell keeps its points; the opinion is the note. */
static int fx_uphold(struct flow_ctx *c) {
    return decide(c, OC(c)->final_points);
}

/* 改分: points within the leaf's range, different from what it has; scoring_override writes
 * final_points, the change (cause objection, the reason) and the unit's total, ranks, grades. */
static int fx_change(struct flow_ctx *c) {
    int64_t points = flow_arg_int(c, "points", -1);
    int64_t max = OC(c)->max_points;
    if (points < 0 || points > max) {
        flow_problem(
            c, "points",
            arena_printf(c->a, "须在该项的分值范围 0 到 %s 分之内", assess_hundredths(c->a, max)),
            arena_printf(c->a, "Must be within the item's range, 0 to %s",
                         assess_hundredths(c->a, max)));
        return FLOW_INVALID;
    }
    if (points == OC(c)->final_points) {
        flow_problem(c, "points", "与原得分相同：不改分请选择“维持原评分”",
                     "The same as the score now: to keep it, choose “Uphold”");
        return FLOW_INVALID;
    }
    int64_t by = c->actor && c->actor->who ? c->actor->who->user_id : 0;
    int rc = scoring_override(
        c->db, c->a, OC(c)->score_id, points,
        arena_printf(c->a, "申辩 %s 复核改分：%s", OC(c)->objection_no, c->note), by);
    if (rc == DB_DONE || rc == SCORING_OUT_OF_RANGE) { /* the cell changed meanwhile */
        flow_problem(c, "points", "该评分项已不存在或分值范围已变化，请刷新后重试",
                     "The score cell is gone or its range changed: reload and try again");
        return FLOW_INVALID;
    }
    if (rc != DB_OK) return FLOW_DB;
    return decide(c, points);
}

static const struct field assign_args[] = {
    {"reviewer_id", FT_USER, "复核人", "Re-reviewer", 1, FIELD_ID_MAX, F_REQUIRED,
     .hint = "持有考核评分与复核权限、且不是该项原评分人的账号"},
};
static const struct field change_args[] = {
    {"points", FT_INT, "复核后得分", "Points after re-review", 0, ASSESS_POINTS_MAX, F_REQUIRED,
     .hint = "该项分值范围之内，最多两位小数", .decimals = 2},
};

static const struct flow_clock_def clocks[] = {
    {"review", "复核期限", "Re-review period", 10, CLOCK_WORKDAYS, "assess.review_days", "分派复核",
     "assigned", 2, 0},
};
static const struct flow_clock_step start_review[] = {{"review", CLOCK_START, NULL}};
static const struct flow_clock_step stop_review[] = {{"review", CLOCK_STOP, NULL}};

static const struct flow_notice tell_assigned = {"unit", "objection_assigned", "申辩已分派复核",
                                                 NOTICE_EACH, "Objection assigned for re-review"};
static const struct flow_notice tell_upheld = {"unit", "objection_upheld", "申辩复核：维持原评分",
                                               NOTICE_EACH, "Objection re-reviewed: score upheld"};
static const struct flow_notice tell_changed = {"unit", "objection_changed", "申辩复核：已改分",
                                                NOTICE_EACH,
                                                "Objection re-reviewed: score changed"};
static const struct flow_notice tell_withdrawn = {"office", "objection_withdrawn", "申辩已撤回",
                                                  NOTICE_EACH, "Objection withdrawn"};
static const struct flow_confirm confirm_change = {
    "改分后该单位的总分、排名和等次随之重新计算，并记入变更记录。",
    "The unit's total, rank and grade are recomputed and the change is recorded."};

static const struct flow_transition transitions[] = {
    {"assign", "分派复核", "Assign a re-reviewer", S(OS_SUBMITTED), OS_ASSIGNED,
     &perm_assess_manage, NULL, 0, ARGS(assign_args), ARGS(guard_published), fx_assign,
     ARGS(start_review), &tell_assigned, "primary"},
    {"uphold", "维持原评分", "Uphold the score", S(OS_ASSIGNED), OS_UPHELD, &perm_assess_score,
     "reviewer", 1, NONE, ARGS(guard_published), fx_uphold, ARGS(stop_review), &tell_upheld,
     "default", NULL, NULL, "复核意见", "Re-review opinion"},
    {"change", "改分", "Change the score", S(OS_ASSIGNED), OS_CHANGED, &perm_assess_score,
     "reviewer", 1, ARGS(change_args), ARGS(guard_published), fx_change, ARGS(stop_review),
     &tell_changed, "warning", &confirm_change, NULL, "改分理由", "Why the score changes"},
    {"withdraw", "撤回申辩", "Withdraw", S(OS_SUBMITTED), OS_WITHDRAWN, &perm_assess_work, "unit",
     0, NONE, NONE, NULL, NONE, &tell_withdrawn, "danger"},
};

/* An objection not yet decided (已提出, 复核中) holds its run's 定档: the final grades wait for
 * every re-review. */
static const struct flow_hold holds[] = {
    {"assess_run",
     "finalize",
     "run_id",
     {NULL, "还有申辩尚未复核完毕（已提出或复核中），全部处理后才能定档",
      "Objections are still open (submitted or under re-review): finalize once all are decided"}},
};

const struct flow_kind assess_objection_kind = {
    .name = "assess_objection",
    .zh = "考核申辩",
    .en = "Assessment objection",
    .entity = "assess_objections",
    .table = "assess_objections",
    .audit_type = "assess_objection",
    .web_path = "/assess-objections",
    .perm_read = &perm_assess_view,
    .states = states,
    .n_states = OS_N,
    .transitions = transitions,
    .n_transitions = N(transitions),
    .relations = relations,
    .n_relations = N(relations),
    .parties = parties,
    .n_parties = N(parties),
    .clocks = clocks,
    .n_clocks = N(clocks),
    .events_table = "assess_objection_events",
    .events_key = "objection_id",
    .file_owner = "assess_objection_event", /* the re-reviewer's materials */
    .unit_column = "unit_id",
    .title_column = "objection_no",
    .summary_column = "reason",
    .perm_work = &perm_assess_work,
    .holds = holds,
    .n_holds = 1,
    .ctx_size = sizeof(struct objection_ctx),
    .load = load,
};

/* ---- the entity ---- */

/* attachment_ids of the body: the unit's uploads, given to the objection as its evidence. */
static int claim_evidence(struct entity_write *w) {
    return entity_claim_files(w, json_object_get(w->in, "attachment_ids"), "assess_objection",
                              OBJECTION_FILES_MAX);
}

struct cell {
    int64_t unit_id, run_id, indicator_id, final_points, max_points, year;
    const char *run_status, *until, *code, *name;
};

static int cell_read(struct entity_write *w, int64_t score_id, struct cell *out) {
    struct arena *a = w->c->arena;
    struct db_stmt *st = db_queryv(
        w->c->db,
        "SELECT s.unit_id, s.run_id, s.indicator_id, s.final_points, s.rule, i.params, i.weight, "
        "r.status, COALESCE(r.objection_until, ''), r.year, i.code, i.name FROM assess_scores s "
        "JOIN assess_runs r ON r.id = s.run_id JOIN assess_indicators i ON i.id = "
        "s.indicator_id WHERE s.id = ?",
        "i", score_id);
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW) {
        out->unit_id = db_col_int(st, 0);
        out->run_id = db_col_int(st, 1);
        out->indicator_id = db_col_int(st, 2);
        out->final_points = db_col_int(st, 3);
        out->max_points =
            scoring_cell_max(db_col_text(st, 4), db_col_text(st, 5), db_col_int(st, 6));
        out->run_status = arena_strdup(a, db_col_text(st, 7));
        out->until = arena_strdup(a, db_col_text(st, 8));
        out->year = db_col_int(st, 9);
        out->code = arena_strdup(a, db_col_text(st, 10));
        out->name = arena_strdup(a, db_col_text(st, 11));
    }
    db_done(st);
    return rc;
}

/* 提出申辩: on one of the unit's own cells of a published run, within the objection window as of
 * `today`, at most one objection per cell (a withdrawn one leaves room for another). */
int appeal_objection_create(struct entity_write *w, int32_t today) {
    struct db *db = w->c->db;
    struct arena *a = w->c->arena;
    int64_t score_id = (int64_t)json_integer_value(json_object_get(w->in, "score_id"));
    json_t *requested = json_object_get(w->in, "requested_points");
    struct cell c = {0};
    int rc = cell_read(w, score_id, &c);
    if (rc < 0) return rc;
    if (rc != DB_ROW || !scope_allows_unit(db, w->c->who, c.unit_id) ||
        c.unit_id != w->c->who->unit_id) {
        problem_add(w->pr, "score_id", "评分项不存在或不是本单位的评分项",
                    "No such score cell of your unit");
        return ENTITY_INVALID;
    }
    if (strcmp(c.run_status, "published")) {
        w->zh = "考核结果不在公布期（未公布或已定档），不能提出申辩";
        w->en = "The results are not in their published period (not published, or final): no "
                "objection";
        return ENTITY_FORBIDDEN;
    }
    int32_t until = 0;
    char until_day[11];
    snprintf(until_day, sizeof until_day, "%.10s", c.until);
    if (date_parse(until_day, &until) != 0 || today > until) {
        w->zh = *until_day ? arena_printf(a, "申辩期限已于 %s 截止，不能再提出申辩", until_day)
                           : "本次考核未设申辩期限，不能提出申辩";
        w->en = *until_day ? arena_printf(a, "The objection period ended on %s: no more objections",
                                          until_day)
                           : "This run has no objection period: no objection";
        return ENTITY_FORBIDDEN;
    }
    if (json_is_integer(requested) && json_integer_value(requested) > c.max_points) {
        problem_add(w->pr, "requested_points",
                    arena_printf(a, "不能超过该项分值 %s 分", assess_hundredths(a, c.max_points)),
                    arena_printf(a, "Cannot exceed the item's %s points",
                                 assess_hundredths(a, c.max_points)));
        return ENTITY_INVALID;
    }
    int64_t n = 0;
    if (db_query_int(db, &n,
                     "SELECT COUNT(*) FROM assess_objections WHERE score_id = ? AND status <> "
                     "'withdrawn'",
                     "i", score_id) != DB_ROW)
        return DB_ERROR;
    if (n) {
        problem_add(w->pr, "score_id", "该评分项已提出过申辩（每项一次，撤回的除外）",
                    "This score cell has an objection already (one per cell, unless withdrawn)");
        return ENTITY_CONFLICT;
    }
    char now[21];
    now_iso(now);
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO assess_objections (run_id, score_id, unit_id, indicator_id, "
            "points_before, requested_points, reason, status, created_by, created_at, updated_at, "
            "version) VALUES (?, ?, ?, ?, ?, ?, ?, 'submitted', ?, ?, ?, 1) RETURNING id");
    if (!st) return DB_ERROR;
    db_bind_id(st, 1, c.run_id);
    db_bind_id(st, 2, score_id);
    db_bind_id(st, 3, c.unit_id);
    db_bind_id(st, 4, c.indicator_id);
    db_bind_int(st, 5, c.final_points);
    if (json_is_integer(requested))
        db_bind_int(st, 6, (int64_t)json_integer_value(requested));
    else
        db_bind_null(st, 6);
    db_bind_text(st, 7, entity_text(w->in, "reason"));
    db_bind_id(st, 8, w->actor->user_id);
    db_bind_text(st, 9, now);
    db_bind_text(st, 10, now);
    rc = db_step(st);
    if (rc == DB_ROW) w->id = db_col_int(st, 0);
    db_done(st);
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERROR;
    const char *no = NULL;
    rc = entity_number_set(db, a, &entity_assess_objections, w->id,
                           arena_printf(a, "%04lld", (long long)c.year), &no);
    if (rc != DB_OK) return rc;
    if ((rc = claim_evidence(w)) != DB_OK) return rc;
    struct notify_event ev = {
        "objection_submitted",
        arena_printf(a, "【考核申辩】%s %s %s", no, c.code, c.name),
        entity_text(w->in, "reason"),
        arena_printf(a, "[Assessment objection] %s %s %s", no, c.code, c.name),
        NULL,
        arena_printf(a, "/assess-objections/%lld", (long long)w->id),
        0,
        NULL};
    if (notify_event_perm(db, perm_assess_manage.code, w->actor->user_id, &ev) < 0) return DB_ERROR;
    return audit_append(db, w->actor, "assess_objection.create", "assess_objection",
                        arena_printf(a, "%lld", (long long)w->id), "ok",
                        arena_printf(a,
                                     "{\"objection_no\":\"%s\",\"score_id\":%lld,\"run_id\":%lld,"
                                     "\"points_before\":%lld}",
                                     no, (long long)score_id, (long long)c.run_id,
                                     (long long)c.final_points));
}

static int objection_create(struct entity_write *w) {
    return appeal_objection_create(w, date_today());
}

/* One objection: its evidence. A page shows none (the record's page is where it is read). */
static int objection_decorate(const struct entity_ctx *c, json_t *items) {
    if (c->purpose != EP_GET || json_array_size(items) != 1) return DB_OK;
    json_t *it = json_array_get(items, 0);
    json_t *files =
        files_list_json(c->db, "assess_objection", json_integer_value(json_object_get(it, "id")));
    if (!files) return DB_ERROR;
    json_object_set_new(it, "attachments", files);
    return DB_OK;
}

int appeal_file_readable(struct db *db, const struct principal *who, int64_t objection_id) {
    if (!perm_has(who->perms, &perm_assess_view)) return 0;
    int64_t unit = 0;
    if (db_query_int(db, &unit, "SELECT unit_id FROM assess_objections WHERE id = ?", "i",
                     objection_id) != DB_ROW)
        return 0;
    return scope_allows_unit(db, who, unit);
}

static const struct field fields[] = {
    {"id", FT_INT, "序号", "ID", 0, 0, F_READONLY},
    {"objection_no", FT_TEXT, "申辩编号", "Number", 0, 20,
     F_LIST | F_SORT | F_SEARCH | F_EXPORT | F_READONLY},
    {"run_id", FT_INT, "考核", "Run", 0, 0, F_FILTER | F_READONLY},
    {"run_title", FT_TEXT, "考核", "Run", 0, 0, F_LIST | F_EXPORT | F_READONLY, .sql = "rr.title"},
    {"score_id", FT_REF, "评分项", "Score cell", 1, FIELD_ID_MAX, F_REQUIRED | F_FILTER | F_CREATE,
     .ref = "assess_scores", .hint = "本单位在已公布考核结果中的一项得分"},
    {"unit_id", FT_UNIT, "申辩单位", "Unit", 0, 0, F_FILTER | F_READONLY, .ref = "units"},
    {"unit_name", FT_TEXT, "申辩单位", "Unit", 0, 0, F_LIST | F_EXPORT | F_READONLY,
     .sql = "ru.name"},
    {"indicator_id", FT_INT, "指标", "Indicator", 0, 0, F_FILTER | F_READONLY},
    {"indicator_code", FT_TEXT, "指标编码", "Indicator code", 0, 0, F_LIST | F_EXPORT | F_READONLY,
     .sql = "ai.code"},
    {"indicator_name", FT_TEXT, "指标", "Indicator", 0, 0,
     F_LIST | F_SEARCH | F_EXPORT | F_READONLY, .sql = "ai.name", .search = "ai.name"},
    {"points_before", FT_INT, "原得分", "Points before", 0, 0, F_LIST | F_EXPORT | F_READONLY,
     .hint = "提出申辩时该项的最终得分", .decimals = 2},
    {"requested_points", FT_INT, "申请得分", "Points asked", 0, ASSESS_POINTS_MAX,
     F_LIST | F_EXPORT | F_CREATE, .hint = "申辩单位认为应得的分数，可不填", .decimals = 2},
    {"final_points", FT_INT, "现得分", "Points now", 0, 0, F_EXPORT | F_READONLY,
     .sql = "sc.final_points", .decimals = 2},
    {"decided_points", FT_INT, "复核后得分", "Points after re-review", 0, 0,
     F_LIST | F_EXPORT | F_READONLY, .decimals = 2},
    {"reason", FT_LONGTEXT, "申辩理由", "Reason", 1, 2000,
     F_REQUIRED | F_SEARCH | F_EXPORT | F_CREATE},
    {"status", FT_ENUM, "状态", "Status", 0, 0, F_LIST | F_FILTER | F_EXPORT | F_READONLY,
     status_options, OS_N},
    {"reviewer_id", FT_USER, "复核人", "Re-reviewer", 0, 0, F_FILTER | F_READONLY},
    {"reviewer_name", FT_TEXT, "复核人", "Re-reviewer", 0, 0, F_LIST | F_EXPORT | F_READONLY,
     .sql = "rv.display_name"},
    {"assigned_on", FT_DATE, "分派日期", "Assigned on", 0, 0, F_EXPORT | F_READONLY},
    {"decision_note", FT_LONGTEXT, "复核意见", "Re-review opinion", 0, 0, F_EXPORT | F_READONLY},
    {"decided_on", FT_DATE, "复核日期", "Decided on", 0, 0, F_LIST | F_EXPORT | F_READONLY},
    {"created_by_name", FT_TEXT, "提出人", "Submitted by", 0, 0, F_EXPORT | F_READONLY,
     .sql = "cb.display_name"},
    {"attachment_ids", FT_REF, "证据材料", "Evidence", 0, 0, F_MULTI | F_VIRTUAL | F_CREATE,
     .ref = "files", .max_items = OBJECTION_FILES_MAX},
    {"attachments", FT_JSON, "证据材料", "Evidence", 0, 0, F_VIRTUAL | F_READONLY},
    {"created_at", FT_DATETIME, "提出时间", "Submitted", 0, 0, F_SORT | F_READONLY},
    {"updated_at", FT_DATETIME, "更新时间", "Updated", 0, 0, F_READONLY},
    {"version", FT_INT, "版本", "Version", 0, 0, F_READONLY},
};

static const struct entity_number number = {"objection_no", "SB"};

const struct entity entity_assess_objections = {
    .name = "assess_objections",
    .path = "/api/v1/assess-objections",
    .zh = "考核申辩",
    .en = "Assessment objections",
    .table = "assess_objections",
    .alias = "e",
    .from = "assess_objections e JOIN assess_runs rr ON rr.id = e.run_id JOIN units ru ON ru.id = "
            "e.unit_id JOIN assess_indicators ai ON ai.id = e.indicator_id JOIN assess_scores sc "
            "ON sc.id = e.score_id LEFT JOIN users rv ON rv.id = e.reviewer_id LEFT JOIN users cb "
            "ON cb.id = e.created_by",
    .fields = fields,
    .n_fields = N(fields),
    /* a unit reads its own objections (another unit's answer 404); the office all */
    .scope = {.unit_column = "e.unit_id"},
    .default_sort = "-created_at",
    .perm_read = &perm_assess_view,
    .perm_create = &perm_assess_work,
    .audit_type = "assess_objection",
    .export_name = "assess-objections",
    .export_sheet = "考核申辩",
    .kind = &assess_objection_kind,
    .create = objection_create,
    .decorate = objection_decorate,
    .number = &number,
    .title_field = "objection_no",
};
