/* mediation.c — 矛盾纠纷 (人民调解): the entities (cases and their mediation sessions) and the
 * workflow kind (受理 → 分流 → 调解 → 达成协议 / 调解不成 → 回访 → 归档, 终止) with its 30-day
 * clock. The routes, list page, forms, action buttons, child list and export come from these
 * declarations alone (features/entity, features/flow); the module descriptor is
 * mediation_module.c. */
#include <stdio.h>
#include <string.h>

#include "base/calendar.h"
#include "base/timeutil.h"
#include "features/mediation/mediation.h"
#include "features/org/org.h"

/* Declarations leave trailing fields out: 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#define N(a)    (int)(sizeof(a) / sizeof((a)[0]))
#define S(i)    (1u << (i))
#define ARGS(a) a, N(a)
#define NONE    NULL, 0

/* ---- codes ---- */

static const struct field_option source_options[] = {
    {"application", "当事人申请", "Application", ""},
    {"initiative", "主动排查", "Own initiative", ""},
    {"police", "公安移送", "Police transfer", ""},
    {"court", "法院委托", "Court entrustment", ""},
    {"government", "政府交办", "Government assignment", ""},
};

static const struct field_option type_options[] = {
    {"marriage", "婚姻家庭", "Marriage and family", ""},
    {"neighbour", "邻里纠纷", "Neighbours", ""},
    {"damages", "损害赔偿", "Damages", ""},
    {"contract", "合同纠纷", "Contract", ""},
    {"labour", "劳动争议", "Labour", ""},
    {"land", "土地承包", "Land", ""},
    {"property", "物业纠纷", "Property management", ""},
    {"other", "其他", "Other", ""},
};

static const struct field_option grade_options[] = {
    {"simple", "简单", "Simple", "success"},
    {"complex", "复杂", "Complex", "warning"},
    {"difficult", "疑难", "Difficult", "danger"},
};

static const struct field_option level_options[] = {
    {"village", "村（社区）级", "Village / community", ""},
    {"township", "乡镇（街道）级", "Township / street", ""},
    {"district", "区级", "District", ""},
};

/* The grade decides the level; the handling unit must be of one of the level's unit kinds. */
static const char *const village_kinds[] = {"village", NULL};
static const char *const township_kinds[] = {"street", "township", NULL};
static const char *const district_kinds[] = {"department", "office", NULL};
const struct mediation_level mediation_levels[MEDIATION_GRADES] = {
    {"simple", "village", village_kinds},
    {"complex", "township", township_kinds},
    {"difficult", "district", district_kinds},
};

static const struct field_option outcome_options[] = {
    {"agreed", "达成协议", "Agreement", "success"},
    {"failed", "调解不成", "No agreement", "danger"},
};

static const struct field_option performance_options[] = {
    {"pending", "待履行", "Pending", "warning"},
    {"performed", "已履行", "Performed", "success"},
    {"partial", "部分履行", "Partly performed", "warning"},
    {"unperformed", "未履行", "Not performed", "danger"},
};

static const struct field_option referral_options[] = {
    {"litigation", "引导诉讼", "Court action", ""},
    {"arbitration", "引导仲裁", "Arbitration", ""},
    {"administrative", "行政处理", "Administrative handling", ""},
    {"petition", "信访渠道", "Petition", ""},
    {"other", "其他", "Other", ""},
};

static const struct field_option party_roles[] = {
    {"applicant", "申请人", "Applicant", ""},
    {"respondent", "被申请人", "Respondent", ""},
};
const struct entity_parties mediation_parties = {"mediation", party_roles, N(party_roles), 1, 20};

/* Stored codes of the states (the kind's states and the status field's options: one order). */
enum {
    MS_RECEIVED,
    MS_MEDIATING,
    MS_AGREED,
    MS_FAILED,
    MS_VISITED,
    MS_ARCHIVED,
    MS_WITHDRAWN,
    MS_N
};

static const struct flow_state states[MS_N] = {
    [MS_RECEIVED] = {"received", "待分流", "To route", 0, "warning"},
    [MS_MEDIATING] = {"mediating", "调解中", "Mediating", 0, "primary"},
    [MS_AGREED] = {"agreed", "已达成协议", "Agreed", 0, "success"},
    [MS_FAILED] = {"failed", "调解不成", "No agreement", 0, "danger"},
    [MS_VISITED] = {"visited", "已回访", "Visited", 0, "success"},
    [MS_ARCHIVED] = {"archived", "已归档", "Archived", 1, "info"},
    [MS_WITHDRAWN] = {"withdrawn", "已终止", "Withdrawn", 1, "info"},
};
static const struct field_option status_options[MS_N] = {
    [MS_RECEIVED] = {"received", "待分流", "To route", "warning"},
    [MS_MEDIATING] = {"mediating", "调解中", "Mediating", "primary"},
    [MS_AGREED] = {"agreed", "已达成协议", "Agreed", "success"},
    [MS_FAILED] = {"failed", "调解不成", "No agreement", "danger"},
    [MS_VISITED] = {"visited", "已回访", "Visited", "success"},
    [MS_ARCHIVED] = {"archived", "已归档", "Archived", "info"},
    [MS_WITHDRAWN] = {"withdrawn", "已终止", "Withdrawn", "info"},
};

/* 30 日 from 受理 (the day received not counted; a last day on a holiday moves to the next working
 * day), a setting (mediation.days). No extension or suspension: the rules set a target, not a
 * statutory period that stops. */
static const struct flow_clock_def clocks[] = {
    {"mediate", "调解期限", "Mediation period", 30, CLOCK_DAYS, "mediation.days", "受理",
     "received", 5, 0},
};

/* ---- the kind's context, relations, guards and effects ---- */

struct med_ctx {
    struct flow_ctx base;
    int64_t unit_id, sessions;
    char case_no[32], received_on[11], outcome[16], agreed_on[11];
    int confirmed;
};
#define MC(c) ((struct med_ctx *)(c))

static int load(struct flow_ctx *fc) {
    struct med_ctx *c = MC(fc);
    struct db_stmt *st =
        db_queryv(fc->db,
                  "SELECT status, COALESCE(handling_unit_id, 0), case_no, received_on, "
                  "COALESCE(outcome, ''), COALESCE(agreed_on, ''), judicial_confirmed, "
                  "(SELECT COUNT(*) FROM mediation_sessions s WHERE s.mediation_id = m.id) "
                  "FROM mediations m WHERE id = ?",
                  "i", fc->id);
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW) {
        fc->status = flow_state_index(fc->kind, db_col_text(st, 0));
        c->unit_id = db_col_int(st, 1);
        snprintf(c->case_no, sizeof c->case_no, "%s", db_col_text(st, 2));
        snprintf(c->received_on, sizeof c->received_on, "%s", db_col_text(st, 3));
        snprintf(c->outcome, sizeof c->outcome, "%s", db_col_text(st, 4));
        snprintf(c->agreed_on, sizeof c->agreed_on, "%s", db_col_text(st, 5));
        c->confirmed = (int)db_col_int(st, 6);
        c->sessions = db_col_int(st, 7);
        fc->title = c->case_no;
    }
    db_done(st);
    return rc;
}

/* The actor works in the mediating unit, or runs the register for the district (manage). */
static int r_responsible(const struct flow_ctx *c) {
    const struct principal *p = c->actor ? c->actor->who : NULL;
    if (!p) return 0;
    if (perm_has(p->perms, &perm_mediation_manage)) return 1;
    return MC(c)->unit_id && p->unit_id == MC(c)->unit_id;
}

static const struct flow_relation relations[] = {
    {"responsible", "调解组织或管理部门", "Mediating unit or the register's office", r_responsible},
};

static int p_unit(const struct flow_ctx *c, struct flow_recipients *out) {
    int64_t unit = flow_arg_int(c, "unit_id", MC(c)->unit_id);
    if (unit) out->units[out->n_units++] = unit;
    return DB_OK;
}

static const struct flow_party parties[] = {
    {"mediating_unit", "调解组织", "Mediating unit", p_unit},
};

static int g_sessions(const struct flow_ctx *c) {
    return MC(c)->sessions > 0;
}
static int g_unconfirmed(const struct flow_ctx *c) {
    return !strcmp(MC(c)->outcome, "agreed") && !MC(c)->confirmed;
}
static const struct flow_guard guard_sessions[] = {
    {g_sessions, "尚无调解记录，请先记录调解情况", "No mediation session recorded yet"}};
static const struct flow_guard guard_confirm[] = {
    {g_unconfirmed, "仅达成协议且尚未司法确认的案件可以登记司法确认",
     "Only an agreement not yet confirmed can be confirmed"}};

static const struct mediation_level *level_of(const char *grade) {
    for (int i = 0; grade && i < MEDIATION_GRADES; i++)
        if (!strcmp(mediation_levels[i].grade, grade)) return &mediation_levels[i];
    return NULL;
}

static int kind_fits(const struct mediation_level *l, const char *kind) {
    for (int i = 0; l->unit_kinds[i]; i++)
        if (!strcmp(l->unit_kinds[i], kind)) return 1;
    return 0;
}

/* A date argument: not after today and not before `not_before` (when given). */
static void date_in_range(struct flow_ctx *c, const char *arg, const char *not_before) {
    const char *d = flow_arg_text(c, arg);
    int32_t day;
    if (!d || date_parse(d, &day) != 0) return;
    if (day > c->today)
        flow_problem(c, arg, "不能晚于今天", "Cannot be later than today");
    else if (not_before && *not_before && strcmp(d, not_before) < 0)
        flow_problem(c, arg, arena_printf(c->a, "不能早于 %s", not_before),
                     arena_printf(c->a, "Cannot be before %s", not_before));
}

/* 分流: the grade decides the level, and the handling unit must be of that level (its kind). */
static int fx_route(struct flow_ctx *c) {
    const char *grade = flow_arg_text(c, "grade");
    const struct mediation_level *l = level_of(grade);
    int64_t unit = flow_arg_int(c, "unit_id", 0);
    char kind[32] = "";
    struct db_stmt *st =
        db_queryv(c->db, "SELECT kind FROM units WHERE id = ? AND active = 1", "i", unit);
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW) snprintf(kind, sizeof kind, "%s", db_col_text(st, 0));
    db_done(st);
    if (rc < 0) return FLOW_DB;
    if (rc != DB_ROW)
        flow_problem(c, "unit_id", "单位不存在或已停用", "No such active unit");
    else if (l && !kind_fits(l, kind)) {
        const char *zh = !strcmp(l->level, "village") ? "简单纠纷由村（社区）人民调解委员会调解"
                         : !strcmp(l->level, "township") ? "复杂纠纷由乡镇（街道）调解组织调解"
                                                         : "疑难纠纷由区级调解组织调解";
        const char *en = !strcmp(l->level, "village")
                             ? "A simple dispute goes to a village or community committee"
                         : !strcmp(l->level, "township")
                             ? "A complex dispute goes to a township or street"
                             : "A difficult dispute goes to the district";
        flow_problem(c, "unit_id", zh, en);
    }
    if (c->pr->n || !l) return FLOW_INVALID;
    json_object_set_new(c->detail, "grade", json_string(grade));
    json_object_set_new(c->detail, "level", json_string(l->level));
    json_object_set_new(c->detail, "unit_id", json_integer(unit));
    return db_exec(c->db,
                   "UPDATE mediations SET grade = ?, level = ?, handling_unit_id = ? WHERE id = ?",
                   "ssii", grade, l->level, unit, c->id) == DB_OK
               ? FLOW_OK
               : FLOW_DB;
}

static int fx_agree(struct flow_ctx *c) {
    date_in_range(c, "agreed_on", MC(c)->received_on);
    int confirmed = flow_arg_bool(c, "judicial_confirmed", 0);
    const char *on = flow_arg_text(c, "confirmed_on");
    if (confirmed && !on)
        flow_problem(c, "confirmed_on", "已司法确认的须填写确认日期", "Give the day confirmed");
    if (on) date_in_range(c, "confirmed_on", flow_arg_text(c, "agreed_on"));
    if (c->pr->n) return FLOW_INVALID;
    const char *perf = flow_arg_text(c, "performance");
    json_object_set_new(c->detail, "judicial_confirmed", json_boolean(confirmed));
    return db_exec(c->db,
                   "UPDATE mediations SET outcome = 'agreed', agreed_on = ?, concluded_on = ?, "
                   "agreement_terms = ?, performance = ?, judicial_confirmed = ?, "
                   "confirmed_on = ? WHERE id = ?",
                   "ssssisi", flow_arg_text(c, "agreed_on"), flow_arg_text(c, "agreed_on"),
                   flow_arg_text(c, "terms"), perf ? perf : "pending", (int64_t)confirmed,
                   confirmed ? on : NULL, c->id) == DB_OK
               ? FLOW_OK
               : FLOW_DB;
}

static int fx_fail(struct flow_ctx *c) {
    char today[11];
    date_format(c->today, today);
    const char *to = flow_arg_text(c, "referred_to");
    json_object_set_new(c->detail, "referred_to", json_string(to ? to : ""));
    return db_exec(c->db,
                   "UPDATE mediations SET outcome = 'failed', concluded_on = ?, "
                   "failure_reason = ?, referred_to = ? WHERE id = ?",
                   "sssi", today, c->note, to, c->id) == DB_OK
               ? FLOW_OK
               : FLOW_DB;
}

static int fx_confirm(struct flow_ctx *c) {
    date_in_range(c, "confirmed_on", MC(c)->agreed_on);
    if (c->pr->n) return FLOW_INVALID;
    return db_exec(c->db,
                   "UPDATE mediations SET judicial_confirmed = 1, confirmed_on = ? WHERE id = ?",
                   "si", flow_arg_text(c, "confirmed_on"), c->id) == DB_OK
               ? FLOW_OK
               : FLOW_DB;
}

/* 回访: how the agreement is being performed (required after an agreement). */
static int fx_visit(struct flow_ctx *c) {
    int agreed = !strcmp(MC(c)->outcome, "agreed");
    const char *perf = flow_arg_text(c, "performance");
    if (agreed && !perf)
        flow_problem(c, "performance", "达成协议的案件回访须填写履行情况",
                     "Say how the agreement is performed");
    date_in_range(c, "visited_on", MC(c)->received_on);
    if (c->pr->n) return FLOW_INVALID;
    if (perf) json_object_set_new(c->detail, "performance", json_string(perf));
    int rc = agreed && perf ? db_exec(c->db,
                                      "UPDATE mediations SET visited_on = ?, visit_note = ?, "
                                      "performance = ? WHERE id = ?",
                                      "sssi", flow_arg_text(c, "visited_on"), c->note, perf, c->id)
                            : db_exec(c->db,
                                      "UPDATE mediations SET visited_on = ?, visit_note = ? "
                                      "WHERE id = ?",
                                      "ssi", flow_arg_text(c, "visited_on"), c->note, c->id);
    return rc == DB_OK ? FLOW_OK : FLOW_DB;
}

/* 归档: one case, one file — the archive number given, or the case number's (TJDA2026-000123). */
static int fx_archive(struct flow_ctx *c) {
    const char *no = flow_arg_text(c, "archive_no");
    if (!no) no = arena_printf(c->a, "TJDA%s", MC(c)->case_no + 2);
    int64_t taken = 0;
    if (db_query_int(c->db, &taken, "SELECT COUNT(*) FROM mediations WHERE archive_no = ?", "s",
                     no) != DB_ROW)
        return FLOW_DB;
    if (taken) {
        flow_problem(c, "archive_no", "档案号已被使用", "The archive number is taken");
        return FLOW_INVALID;
    }
    char today[11];
    date_format(c->today, today);
    json_object_set_new(c->detail, "archive_no", json_string(no));
    return db_exec(c->db, "UPDATE mediations SET archive_no = ?, archived_on = ? WHERE id = ?",
                   "ssi", no, today, c->id) == DB_OK
               ? FLOW_OK
               : FLOW_DB;
}

static const struct field args_route[] = {
    {"grade", FT_ENUM, "纠纷等级", "Grade", 0, 0, F_REQUIRED, grade_options, N(grade_options),
     .hint = "简单→村（社区），复杂→乡镇（街道），疑难→区级"},
    {"unit_id", FT_UNIT, "调解组织", "Mediating unit", 0, 0, F_REQUIRED, .ref = "units",
     .hint = "须为纠纷等级对应层级的单位"},
};
static const struct field args_agree[] = {
    {"agreed_on", FT_DATE, "达成协议日期", "Agreed on", 0, 0, F_REQUIRED},
    {"terms", FT_LONGTEXT, "协议内容", "Terms", 1, 4000, F_REQUIRED},
    {"performance", FT_ENUM, "履行情况", "Performance", 0, 0, 0, performance_options,
     N(performance_options)},
    {"judicial_confirmed", FT_BOOL, "已申请司法确认", "Judicially confirmed", 0, 0, 0},
    {"confirmed_on", FT_DATE, "司法确认日期", "Confirmed on", 0, 0, 0},
};
static const struct field args_fail[] = {
    {"referred_to", FT_ENUM, "引导途径", "Referred to", 0, 0, F_REQUIRED, referral_options,
     N(referral_options)},
};
static const struct field args_confirm[] = {
    {"confirmed_on", FT_DATE, "司法确认日期", "Confirmed on", 0, 0, F_REQUIRED},
};
static const struct field args_visit[] = {
    {"visited_on", FT_DATE, "回访日期", "Visited on", 0, 0, F_REQUIRED},
    {"performance", FT_ENUM, "履行情况", "Performance", 0, 0, 0, performance_options,
     N(performance_options), .hint = "达成协议的案件必填"},
};
static const struct field args_archive[] = {
    {"archive_no", FT_TEXT, "档案号（可不填，自动生成）", "Archive number (optional)", 1, 40, 0},
};

static const struct flow_clock_step stop_on_agreement[] = {{"mediate", CLOCK_STOP, "agreed_on"}};
static const struct flow_clock_step stop_clock[] = {{"mediate", CLOCK_STOP}};

static const struct flow_notice tell_routed = {"mediating_unit", "mediation_routed", "纠纷分流",
                                               NOTICE_EACH, "Dispute routed"};

static const struct flow_confirm confirm_withdraw = {"终止后该纠纷不再调解。",
                                                     "Withdrawing ends the mediation."};

#define OPEN (S(MS_RECEIVED) | S(MS_MEDIATING))

static const struct flow_transition transitions[] = {
    {"route", "分流", "Route", S(MS_RECEIVED), MS_MEDIATING, &perm_mediation_work, "responsible", 0,
     ARGS(args_route), NONE, fx_route, NONE, &tell_routed, "primary"},
    {"agree", "达成协议", "Agreement", S(MS_MEDIATING), MS_AGREED, &perm_mediation_work,
     "responsible", 0, ARGS(args_agree), ARGS(guard_sessions), fx_agree, ARGS(stop_on_agreement),
     NULL, "success"},
    {"fail", "调解不成", "No agreement", S(MS_MEDIATING), MS_FAILED, &perm_mediation_work,
     "responsible", 1, ARGS(args_fail), ARGS(guard_sessions), fx_fail, ARGS(stop_clock), NULL,
     "warning"},
    {"confirm", "司法确认", "Judicial confirmation", S(MS_AGREED) | S(MS_VISITED), -1,
     &perm_mediation_work, "responsible", 0, ARGS(args_confirm), ARGS(guard_confirm), fx_confirm,
     NONE, NULL, "default"},
    {"visit", "回访", "Follow-up visit", S(MS_AGREED) | S(MS_FAILED), MS_VISITED,
     &perm_mediation_work, "responsible", 1, ARGS(args_visit), NONE, fx_visit, NONE, NULL,
     "success"},
    {"archive", "归档", "Archive", S(MS_VISITED), MS_ARCHIVED, &perm_mediation_work, "responsible",
     0, ARGS(args_archive), NONE, fx_archive, NONE, NULL, "primary"},
    {"withdraw", "终止", "Withdraw", OPEN, MS_WITHDRAWN, &perm_mediation_work, "responsible", 1,
     NONE, NONE, NULL, ARGS(stop_clock), NULL, "danger", &confirm_withdraw},
};

const struct flow_kind mediation_kind = {
    .name = "mediation",
    .zh = "矛盾纠纷调解",
    .en = "Dispute mediation",
    .entity = "mediations",
    .table = "mediations",
    .audit_type = "mediation",
    .web_path = "/mediations",
    .perm_read = &perm_mediation_view,
    .states = states,
    .n_states = MS_N,
    .transitions = transitions,
    .n_transitions = N(transitions),
    .relations = relations,
    .n_relations = N(relations),
    .parties = parties,
    .n_parties = N(parties),
    .clocks = clocks,
    .n_clocks = N(clocks),
    .events_table = "mediation_events",
    .events_key = "mediation_id",
    .unit_column = "handling_unit_id",
    .title_column = "case_no",
    .summary_column = "summary",
    .perm_work = &perm_mediation_work,
    .ctx_size = sizeof(struct med_ctx),
    .load = load,
};

/* ---- the case entity ---- */

/* The handling unit of a new case: the one given, else the caller's own. A unit registers the
 * cases it takes; only the register's office (scope all) registers for another unit. */
static int64_t unit_of_new(const struct entity_write *w) {
    json_t *u = json_object_get(w->in, "handling_unit_id");
    return json_is_integer(u) ? (int64_t)json_integer_value(u) : w->c->who->unit_id;
}

static int med_validate(struct entity_write *w) {
    const char *received = json_string_value(json_object_get(w->in, "received_on"));
    int32_t day;
    if (received && date_parse(received, &day) == 0 && day > date_today())
        problem_add(w->pr, "received_on", "受理日期不能晚于今天", "Cannot be later than today");
    if (w->cur) return DB_OK; /* update: the unit stays */
    int64_t unit = unit_of_new(w), n = 0;
    if (w->c->who->scope != SCOPE_ALL && unit != w->c->who->unit_id) {
        problem_add(w->pr, "handling_unit_id", "只能登记本单位受理的纠纷",
                    "Register the disputes your own unit takes");
        return DB_OK;
    }
    if (db_query_int(w->c->db, &n, "SELECT COUNT(*) FROM units WHERE id = ? AND active = 1", "i",
                     unit) != DB_ROW)
        return DB_ERROR;
    if (!n) problem_add(w->pr, "handling_unit_id", "单位不存在或已停用", "No such active unit");
    return DB_OK;
}

/* 受理: the number follows the year received and the id (TJ2026-000123); the 30 days count from
 * the day received. */
int mediation_insert(struct db *db, struct arena *a, const struct audit_actor *actor, json_t *in,
                     int64_t *id) {
    char now[21];
    now_iso(now);
    const char *received = entity_text(in, "received_on");
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO mediations (case_no, received_on, source, dispute_type, summary, "
            "handling_unit_id, accepting_unit_id, status, judicial_confirmed, created_by, "
            "created_at, updated_at, version) VALUES (NULL, ?, ?, ?, ?, ?, ?, 'received', 0, ?, "
            "?, ?, 1) RETURNING id");
    if (!st) return DB_ERROR;
    int64_t unit = (int64_t)json_integer_value(json_object_get(in, "handling_unit_id"));
    db_bind_text(st, 1, received);
    db_bind_text(st, 2, entity_text(in, "source"));
    db_bind_text(st, 3, entity_text(in, "dispute_type"));
    db_bind_text(st, 4, entity_text(in, "summary"));
    db_bind_id(st, 5, unit);
    db_bind_id(st, 6, unit);
    db_bind_id(st, 7, actor->user_id);
    db_bind_text(st, 8, now);
    db_bind_text(st, 9, now);
    int rc = db_step(st);
    if (rc == DB_ROW) *id = db_col_int(st, 0);
    db_done(st);
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERROR;
    const char *no = NULL;
    rc = entity_number_set(db, a, &entity_mediations, *id, received, &no);
    int32_t day = 0;
    if (rc == DB_OK && date_parse(received, &day) != 0) rc = DB_ERROR;
    if (rc == DB_OK && flow_clock_start(db, a, &mediation_kind, *id, "mediate", day) != FLOW_OK)
        rc = DB_ERROR;
    if (rc != DB_OK) return rc;
    return audit_append(db, actor, "mediation.create", "mediation",
                        arena_printf(a, "%lld", (long long)*id), "ok",
                        arena_printf(a, "{\"case_no\":\"%s\"}", no));
}

static int med_create(struct entity_write *w) {
    json_object_set_new(w->in, "handling_unit_id", json_integer(unit_of_new(w)));
    return mediation_insert(w->c->db, w->c->arena, w->actor, w->in, &w->id);
}

/* 修改: source, type and summary while the case is open (received or mediating). */
static int med_update(struct entity_write *w) {
    const char *status = json_string_value(json_object_get(w->cur, "status"));
    if (!status || (strcmp(status, "received") && strcmp(status, "mediating"))) {
        w->zh = "调解已结束的案件不能修改";
        w->en = "A concluded case cannot be edited";
        return ENTITY_FORBIDDEN;
    }
    char now[21];
    now_iso(now);
    int rc = db_exec(w->c->db,
                     "UPDATE mediations SET source = ?, dispute_type = ?, summary = ?, "
                     "updated_at = ? WHERE id = ?",
                     "ssssi", entity_text(w->in, "source"), entity_text(w->in, "dispute_type"),
                     entity_text(w->in, "summary"), now, w->id);
    if (rc != DB_OK) return rc;
    return audit_append(w->c->db, w->actor, "mediation.update", "mediation",
                        arena_printf(w->c->arena, "%lld", (long long)w->id), "ok", "");
}

#define DUE_SQL                                                                                    \
    "(SELECT rc.due_on FROM record_clocks rc WHERE rc.kind = 'mediation' "                         \
    "AND rc.record_id = e.id AND rc.clock = 'mediate')"

static const struct field fields[] = {
    {"id", FT_INT, "序号", "ID", 0, 0, F_READONLY},
    {"case_no", FT_TEXT, "案件编号", "Case number", 0, 20,
     F_LIST | F_SORT | F_SEARCH | F_EXPORT | F_READONLY},
    {"received_on", FT_DATE, "受理日期", "Received", 0, 0,
     F_REQUIRED | F_LIST | F_FILTER | F_SORT | F_EXPORT | F_IMPORT | F_CREATE},
    {"source", FT_ENUM, "纠纷来源", "Source", 0, 0,
     F_REQUIRED | F_LIST | F_FILTER | F_EXPORT | F_IMPORT | F_CREATE | F_UPDATE, source_options,
     N(source_options)},
    {"dispute_type", FT_ENUM, "纠纷类型", "Type", 0, 0,
     F_REQUIRED | F_LIST | F_FILTER | F_EXPORT | F_IMPORT | F_CREATE | F_UPDATE, type_options,
     N(type_options), .dict = "mediation_dispute_type"},
    {"summary", FT_LONGTEXT, "纠纷简要情况", "Summary", 1, 2000,
     F_REQUIRED | F_SEARCH | F_EXPORT | F_IMPORT | F_CREATE | F_UPDATE},
    {"handling_unit_id", FT_UNIT, "调解组织", "Mediating unit", 0, 0,
     F_FILTER | F_CREATE | F_IMPORT, .ref = "units", .import = "handling_unit",
     .hint = "不填为本单位；分流后为承办调解的单位"},
    {"handling_unit_name", FT_TEXT, "调解组织", "Mediating unit", 0, 0,
     F_LIST | F_EXPORT | F_READONLY, .sql = "hu.name"},
    {"accepting_unit_name", FT_TEXT, "受理单位", "Receiving unit", 0, 0, F_EXPORT | F_READONLY,
     .sql = "au.name"},
    {"grade", FT_ENUM, "纠纷等级", "Grade", 0, 0, F_LIST | F_FILTER | F_EXPORT | F_READONLY,
     grade_options, N(grade_options)},
    {"level", FT_ENUM, "调解层级", "Level", 0, 0, F_FILTER | F_EXPORT | F_READONLY, level_options,
     N(level_options)},
    {"due_on", FT_DATE, "调解期限", "Due", 0, 0, F_LIST | F_SORT | F_EXPORT | F_READONLY,
     .sql = DUE_SQL},
    {"status", FT_ENUM, "状态", "Status", 0, 0, F_LIST | F_FILTER | F_EXPORT | F_READONLY,
     status_options, MS_N},
    {"outcome", FT_ENUM, "调解结果", "Outcome", 0, 0, F_FILTER | F_EXPORT | F_READONLY,
     outcome_options, N(outcome_options)},
    {"agreed_on", FT_DATE, "达成协议日期", "Agreed on", 0, 0, F_EXPORT | F_READONLY},
    {"agreement_terms", FT_LONGTEXT, "协议内容", "Terms", 0, 0, F_EXPORT | F_READONLY},
    {"performance", FT_ENUM, "履行情况", "Performance", 0, 0, F_FILTER | F_EXPORT | F_READONLY,
     performance_options, N(performance_options)},
    {"judicial_confirmed", FT_BOOL, "司法确认", "Judicially confirmed", 0, 0,
     F_FILTER | F_EXPORT | F_READONLY},
    {"confirmed_on", FT_DATE, "司法确认日期", "Confirmed on", 0, 0, F_EXPORT | F_READONLY},
    {"failure_reason", FT_LONGTEXT, "调解不成原因", "Why no agreement", 0, 0,
     F_EXPORT | F_READONLY},
    {"referred_to", FT_ENUM, "引导途径", "Referred to", 0, 0, F_EXPORT | F_READONLY,
     referral_options, N(referral_options)},
    {"concluded_on", FT_DATE, "调结日期", "Concluded on", 0, 0, F_EXPORT | F_READONLY},
    {"visited_on", FT_DATE, "回访日期", "Visited on", 0, 0, F_EXPORT | F_READONLY},
    {"visit_note", FT_LONGTEXT, "回访情况", "Visit note", 0, 0, F_EXPORT | F_READONLY},
    {"archive_no", FT_TEXT, "档案号", "Archive number", 0, 0,
     F_LIST | F_SEARCH | F_EXPORT | F_READONLY},
    {"archived_on", FT_DATE, "归档日期", "Archived on", 0, 0, F_EXPORT | F_READONLY},
    {"created_at", FT_DATETIME, "创建时间", "Created", 0, 0, F_SORT | F_READONLY},
    {"updated_at", FT_DATETIME, "更新时间", "Updated", 0, 0, F_READONLY},
    {"version", FT_INT, "版本", "Version", 0, 0, F_READONLY},
};

/* The metrics' sets as list filters too (a metric's records are a list). */
static const struct entity_filter filters[] = {
    {"concluded", FT_BOOL, "已调结", "Concluded", "e.outcome IS NOT NULL", "e.outcome IS NULL"},
    {"visited", FT_BOOL, "已回访", "Visited", "e.visited_on IS NOT NULL", "e.visited_on IS NULL"},
};

static const struct entity_metric metrics[] = {
    {"success_rate", "调解成功率", "Mediation success rate", METRIC_RATE, "e.outcome = 'agreed'",
     "e.outcome IS NOT NULL", NULL, "达成协议的案件 / 调结的案件（达成协议 + 调解不成）",
     "Agreements / cases concluded (agreement or none)"},
    {"confirmation_rate", "司法确认率", "Judicial confirmation rate", METRIC_RATE,
     "e.outcome = 'agreed' AND e.judicial_confirmed = 1", "e.outcome = 'agreed'", NULL,
     "经司法确认的协议 / 达成的协议", "Agreements judicially confirmed / agreements"},
    {"performance_rate", "协议履行率", "Agreement performance rate", METRIC_RATE,
     "e.outcome = 'agreed' AND e.performance = 'performed'", "e.outcome = 'agreed'", NULL,
     "已履行的协议 / 达成的协议", "Agreements performed / agreements"},
    {"visit_rate", "回访率", "Follow-up rate", METRIC_RATE,
     "e.outcome IS NOT NULL AND e.visited_on IS NOT NULL", "e.outcome IS NOT NULL", NULL,
     "已回访的案件 / 调结的案件", "Concluded cases visited / cases concluded"},
};

/* The metrics' breakdowns: the period's cases by dispute type and by mediating unit. */
static const char *const mediation_by[] = {"dispute_type", "handling_unit_id", NULL};

static const struct entity_child children[] = {
    {"mediation_sessions", "mediation_id"},
};

static const char *const import_example[] = {"2026-03-02", "当事人申请", "邻里纠纷",
                                             "因宅基地边界引发争执，请求调解。", "城关街道"};

/* What its pages read (kept per caller, request and day: entity cache_deps): the register's
 * tables, parties and clocks ("cases"), unit names, accounts and scope, settings and the
 * calendar, dictionary labels. */
static const char *const mediation_page_deps[] = {"mediation", "cases", "org", "auth",
                                                  "settings",  "dict",  NULL};

static const struct entity_number entity_mediations_number = {"case_no", "TJ"};

const struct entity entity_mediations = {
    .name = "mediations",
    .path = "/api/v1/mediations",
    .zh = "矛盾纠纷调解",
    .en = "Dispute mediation",
    .table = "mediations",
    .alias = "e",
    .from = "mediations e LEFT JOIN units hu ON hu.id = e.handling_unit_id "
            "LEFT JOIN units au ON au.id = e.accepting_unit_id",
    .fields = fields,
    .n_fields = N(fields),
    /* a mediation committee reads the cases it mediates; the office (scope all) every one */
    .scope = {.unit_column = "e.handling_unit_id"},
    .filters = filters,
    .n_filters = N(filters),
    .default_sort = "-received_on",
    .perm_read = &perm_mediation_view,
    .perm_create = &perm_mediation_work,
    .perm_update = &perm_mediation_work,
    .audit_type = "mediation",
    .export_name = "mediations",
    .export_sheet = "矛盾纠纷调解",
    .kind = &mediation_kind,
    .validate = med_validate,
    .create = med_create,
    .update = med_update,
    .import_example = import_example,
    .parties = &mediation_parties,
    .metrics = metrics,
    .n_metrics = N(metrics),
    .metric_date = "e.received_on",
    .metric_by = mediation_by,
    .children = children,
    .n_children = N(children),
    .cache_deps = mediation_page_deps,
    .number = &entity_mediations_number,
};

/* ---- mediation sessions (a child record of a case) ---- */

/* The case must be one the caller reads, still being mediated; the session's day neither in the
 * future nor before the case was received. */
static int session_validate(struct entity_write *w) {
    json_t *m = json_object_get(w->in, "mediation_id");
    if (!json_is_integer(m)) return DB_OK;
    struct entity_ctx mc;
    int rc = entity_ctx_init(&mc, w->c->db, w->c->arena, &entity_mediations, w->c->who, w->c->lang,
                             EP_GET);
    if (rc != DB_OK) return rc;
    json_t *rec = entity_get(&mc, (int64_t)json_integer_value(m), &rc);
    if (!rec) {
        if (rc != DB_DONE) return rc;
        problem_add(w->pr, "mediation_id", "案件不存在或无权查看", "No such case in your scope");
        return DB_OK;
    }
    const char *status = json_string_value(json_object_get(rec, "status"));
    if (!status || strcmp(status, "mediating"))
        problem_add(w->pr, "mediation_id", "只有调解中的案件可以记录调解",
                    "Sessions are recorded while the case is being mediated");
    const char *held = json_string_value(json_object_get(w->in, "held_on"));
    const char *received = json_string_value(json_object_get(rec, "received_on"));
    int32_t day;
    if (held && date_parse(held, &day) == 0) {
        if (day > date_today())
            problem_add(w->pr, "held_on", "不能晚于今天", "Cannot be later than today");
        else if (received && strcmp(held, received) < 0)
            problem_add(w->pr, "held_on", "不能早于受理日期", "Cannot be before the day received");
    }
    json_decref(rec);
    return DB_OK;
}

static int med_session_create(struct entity_write *w) {
    char now[21];
    now_iso(now);
    int64_t case_id = (int64_t)json_integer_value(json_object_get(w->in, "mediation_id"));
    struct db_stmt *st =
        db_prepare(w->c->db, "INSERT INTO mediation_sessions (mediation_id, held_on, place, "
                             "mediators, summary, created_by, created_at, updated_at, version) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1) RETURNING id");
    if (!st) return DB_ERROR;
    db_bind_id(st, 1, case_id);
    db_bind_text(st, 2, entity_text(w->in, "held_on"));
    db_bind_text(st, 3, entity_text(w->in, "place"));
    db_bind_text(st, 4, entity_text(w->in, "mediators"));
    db_bind_text(st, 5, entity_text(w->in, "summary"));
    db_bind_id(st, 6, w->actor->user_id);
    db_bind_text(st, 7, now);
    db_bind_text(st, 8, now);
    int rc = db_step(st);
    if (rc == DB_ROW) w->id = db_col_int(st, 0);
    db_done(st);
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERROR;
    /* the case's timeline shows the session */
    struct arena *a = w->c->arena;
    rc = db_exec(w->c->db,
                 "INSERT INTO mediation_events (mediation_id, at, actor_id, actor_name, unit_id, "
                 "action, note, detail) VALUES (?, ?, ?, ?, ?, 'session', ?, ?)",
                 "isisiss", case_id, now, w->actor->user_id,
                 w->c->who->display_name ? w->c->who->display_name : "", w->c->who->unit_id,
                 entity_text(w->in, "summary"),
                 arena_printf(a, "{\"session_id\":%lld,\"held_on\":\"%s\"}", (long long)w->id,
                              entity_text(w->in, "held_on")));
    if (rc != DB_OK) return rc;
    return audit_append(w->c->db, w->actor, "mediation.session", "mediation",
                        arena_printf(a, "%lld", (long long)case_id), "ok",
                        arena_printf(a, "{\"session_id\":%lld}", (long long)w->id));
}

static const struct field session_fields[] = {
    {"id", FT_INT, "序号", "ID", 0, 0, F_READONLY},
    {"mediation_id", FT_REF, "案件", "Case", 0, 0, F_REQUIRED | F_FILTER | F_CREATE,
     .ref = "mediations"},
    {"case_no", FT_TEXT, "案件编号", "Case number", 0, 0, F_LIST | F_EXPORT | F_READONLY,
     .sql = "m.case_no"},
    {"handling_unit_id", FT_UNIT, "调解组织", "Mediating unit", 0, 0, F_READONLY, .ref = "units",
     .sql = "m.handling_unit_id"},
    {"held_on", FT_DATE, "调解日期", "Held on", 0, 0,
     F_REQUIRED | F_LIST | F_FILTER | F_SORT | F_EXPORT | F_CREATE},
    {"place", FT_TEXT, "调解地点", "Place", 1, 100, F_REQUIRED | F_LIST | F_EXPORT | F_CREATE},
    {"mediators", FT_TEXT, "调解员", "Mediators", 1, 200,
     F_REQUIRED | F_LIST | F_SEARCH | F_EXPORT | F_CREATE, .hint = "人民调解员姓名，多人以、分隔"},
    {"summary", FT_LONGTEXT, "调解情况", "Summary", 1, 4000,
     F_REQUIRED | F_LIST | F_SEARCH | F_EXPORT | F_CREATE},
    {"created_at", FT_DATETIME, "记录时间", "Recorded", 0, 0, F_SORT | F_READONLY},
    {"updated_at", FT_DATETIME, "更新时间", "Updated", 0, 0, F_READONLY},
    {"version", FT_INT, "版本", "Version", 0, 0, F_READONLY},
};

const struct entity entity_mediation_sessions = {
    .name = "mediation_sessions",
    .path = "/api/v1/mediation-sessions",
    .zh = "调解记录",
    .en = "Mediation sessions",
    .table = "mediation_sessions",
    .alias = "s",
    .from = "mediation_sessions s JOIN mediations m ON m.id = s.mediation_id",
    .filter_from = "mediation_sessions s JOIN mediations m ON m.id = s.mediation_id",
    .fields = session_fields,
    .n_fields = N(session_fields),
    /* a session is read by whoever reads its case: the case's mediating unit */
    .scope = {.unit_column = "m.handling_unit_id"},
    .default_sort = "held_on",
    .perm_read = &perm_mediation_view,
    .perm_create = &perm_mediation_work,
    .audit_type = "mediation_session",
    .export_name = "mediation-sessions",
    .export_sheet = "调解记录",
    .validate = session_validate,
    .create = med_session_create,
    .cache_deps = mediation_page_deps,
};
