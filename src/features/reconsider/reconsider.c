/* reconsider.c — 行政复议 applications: the entity (fields, scope by the respondent unit, writes,
 * metrics) and the kind (收到申请 → 受理审查 → 受理 / 不予受理 / 补正 → 答复 → 听证 → 决定 / 终止 →
 * 结案) with its statutory clocks. Routes, list page, forms, buttons and export come from these
 * declarations alone (features/entity, features/flow); the module is reconsider_module.c.
 *
 * Periods (行政复议法 2023; 第八十八条: its 三日、五日、七日、十日 are 工作日, the others 日 with
 * the end rule of base/clock.h): 申请期限  60 日 from the day the applicant knew of the act
 * (第二十条), stopped on receipt; 受理审查  5 工作日 from receipt (第三十条); 补正 suspends it, the
 * materials received resume it (第三十一条: 收到补正材料后依照第三十条处理); 补正期限  10 工作日
 * for the applicant from the notice (第三十一条); 答复期限  10 工作日 from acceptance (第四十八条
 * counts from the copy's service, sent within 7 工作日 of acceptance: the register counts from
 * acceptance, the stricter reading); 审理期限  60 日 from acceptance, +30 日 once with the office
 * head's approval, or 30 日 in the simplified procedure chosen at acceptance, which is not extended
 * (第六十二条). */
#include <stdio.h>
#include <string.h>

#include "base/calendar.h"
#include "base/timeutil.h"
#include "features/org/org.h"
#include "features/reconsider/reconsider.h"

/* Declarations leave trailing fields out: 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#define N(a) (int)(sizeof(a) / sizeof((a)[0]))

/* ---- codes ---- */

/* 被申请行政复议的行政行为 by category (行政复议法 第十一条). */
static const struct field_option act_types[] = {
    {"penalty", "行政处罚", "Administrative penalty", ""},
    {"coercion", "行政强制", "Administrative coercion", ""},
    {"licence", "行政许可", "Administrative licence", ""},
    {"confirmation", "行政确认", "Administrative confirmation", ""},
    {"expropriation", "征收征用及补偿", "Expropriation and compensation", ""},
    {"disclosure", "政府信息公开", "Government information disclosure", ""},
    {"inaction", "不履行法定职责", "Failure to perform a statutory duty", ""},
    {"agreement", "行政协议", "Administrative agreement", ""},
    {"other", "其他", "Other", ""},
};

/* 审理程序, chosen at acceptance (第五十三条 简易程序; 第六十二条 periods). */
static const struct field_option procedures[] = {
    {"ordinary", "普通程序", "Ordinary procedure", ""},
    {"simplified", "简易程序", "Simplified procedure", "success"},
};

/* Decision types: the first five correct the act (纠错), 维持 and 驳回 uphold it, 调解 and
 * 和解/撤回 end the case by agreement (第六十三条至第六十九条, 第七十三条, 第七十四条). The first
 * eight are 决定 (the `decide` step); 和解/撤回 is 终止 (the `terminate` step). */
enum {
    RD_CHANGE,
    RD_REVOKE,
    RD_CONFIRM_ILLEGAL,
    RD_ORDER_PERFORM,
    RD_CONFIRM_VOID,
    RD_UPHOLD,
    RD_DISMISS,
    RD_MEDIATION,
    RD_SETTLEMENT,
    RD_TYPES
};
static const struct field_option decision_types[RD_TYPES] = {
    [RD_CHANGE] = {"change", "变更", "Changed", "danger"},
    [RD_REVOKE] = {"revoke", "撤销", "Revoked", "danger"},
    [RD_CONFIRM_ILLEGAL] = {"confirm_illegal", "确认违法", "Confirmed unlawful", "danger"},
    [RD_ORDER_PERFORM] = {"order_perform", "责令履行", "Ordered to perform", "danger"},
    [RD_CONFIRM_VOID] = {"confirm_void", "确认无效", "Confirmed void", "danger"},
    [RD_UPHOLD] = {"uphold", "维持", "Upheld", "success"},
    [RD_DISMISS] = {"dismiss", "驳回", "Dismissed", "info"},
    [RD_MEDIATION] = {"mediation", "调解", "Mediated", "warning"},
    [RD_SETTLEMENT] = {"settlement", "和解/撤回（终止）", "Settled or withdrawn (terminated)",
                       "warning"},
};

/* The metrics' conditions, also the list's filters (the drill-down lists what a metric
 * counts). 纠错率 = corrected / decided (DOMAIN.md): decided = the seven merits decisions;
 * 调解 and 和解/撤回 are concluded but not decided on the merits. */
#define CORRECTED_SQL                                                                              \
    "e.decision_type IN ('change', 'revoke', 'confirm_illegal', 'order_perform', "                 \
    "'confirm_void')"
#define DECIDED_SQL                                                                                \
    "e.decision_type IN ('change', 'revoke', 'confirm_illegal', 'order_perform', "                 \
    "'confirm_void', 'uphold', 'dismiss')"
#define CONCLUDED_SQL "e.decision_type IS NOT NULL"
#define AGREED_SQL    "e.decision_type IN ('mediation', 'settlement')"
#define ACCEPTED_SQL  "e.accepted_on IS NOT NULL"
#define REVIEWED_SQL  "(e.accepted_on IS NOT NULL OR e.status = 'not_accepted')"

/* Stored codes of the states (the kind's states and the status field's options: one order). */
enum {
    RS_RECEIVED,
    RS_CORRECTING,
    RS_ACCEPTED,
    RS_DECIDED,
    RS_TERMINATED,
    RS_NOT_ACCEPTED,
    RS_CLOSED,
    RS_STATES
};

static const struct flow_state states[RS_STATES] = {
    [RS_RECEIVED] = {"received", "受理审查", "Under acceptance review", 0, "warning"},
    [RS_CORRECTING] = {"correcting", "补正中", "Awaiting correction", 0, "info"},
    [RS_ACCEPTED] = {"accepted", "审理中", "Under review", 0, "primary"},
    [RS_DECIDED] = {"decided", "已决定", "Decided", 0, "success"},
    [RS_TERMINATED] = {"terminated", "已终止", "Terminated", 0, "info"},
    [RS_NOT_ACCEPTED] = {"not_accepted", "不予受理", "Not accepted", 1, "info"},
    [RS_CLOSED] = {"closed", "已结案", "Closed", 1, "success"},
};
static const struct field_option status_options[RS_STATES] = {
    [RS_RECEIVED] = {"received", "受理审查", "Under acceptance review", "warning"},
    [RS_CORRECTING] = {"correcting", "补正中", "Awaiting correction", "info"},
    [RS_ACCEPTED] = {"accepted", "审理中", "Under review", "primary"},
    [RS_DECIDED] = {"decided", "已决定", "Decided", "success"},
    [RS_TERMINATED] = {"terminated", "已终止", "Terminated", "info"},
    [RS_NOT_ACCEPTED] = {"not_accepted", "不予受理", "Not accepted", "info"},
    [RS_CLOSED] = {"closed", "已结案", "Closed", "success"},
};

/* ---- 当事人 ---- */

static const struct field_option party_roles[] = {
    {"applicant", "申请人", "Applicant", ""},
    {"third_party", "第三人", "Third party", ""},
    {"agent", "代理人", "Agent", ""},
};
const struct entity_parties reconsideration_parties = {"reconsideration", party_roles,
                                                       N(party_roles), 1, 20};

/* 行政复议决定书 is drafted by the reconsideration body and revised before the head signs it
 * (行政复议法 第七十五条: 经行政复议机关的负责人同意或者集体讨论通过后): each revision is kept. */
static const struct entity_versions reconsideration_versions = {"reconsideration", "决定书草稿",
                                                                "Decision draft", 50000};

/* ---- clocks ---- */

/* 审理期限: 30 日 in the simplified procedure, else 60 日 (第六十二条). */
static int decide_period(struct db *db, int64_t id, int *period, enum clock_unit *unit) {
    char procedure[16] = "";
    struct db_stmt *st = db_queryv(
        db, "SELECT COALESCE(procedure_type, '') FROM reconsiderations WHERE id = ?", "i", id);
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW) snprintf(procedure, sizeof procedure, "%s", db_col_text(st, 0));
    db_done(st);
    if (rc != DB_ROW) return rc == DB_DONE ? DB_OK : rc;
    *period = !strcmp(procedure, "simplified") ? 30 : 60;
    *unit = CLOCK_DAYS;
    return DB_OK;
}

/* The first is the case's own time limit (the standard metrics: on time, overdue). */
static const struct flow_clock_def clocks[] = {
    {"decide", "审理期限", "Decision time limit", 60, CLOCK_DAYS, NULL, "受理", "accepted", 10, 30,
     decide_period},
    {"review", "受理审查期限", "Acceptance review", 5, CLOCK_WORKDAYS, NULL, "收到申请", "received",
     1, 0},
    {"answer", "答复期限", "Respondent's answer", 10, CLOCK_WORKDAYS, NULL, "受理", "accepted", 3,
     0},
    {"correct", "补正期限", "Correction period", 10, CLOCK_WORKDAYS, NULL, "补正通知",
     "correction requested", 0, 0},
    {"apply", "申请期限", "Time to apply", 60, CLOCK_DAYS, NULL, "知道该行政行为",
     "knew of the act", 0, 0},
};

/* ---- the kind's context, relations, guards and effects ---- */

struct rc_ctx {
    struct flow_ctx base;
    int64_t respondent_id; /* 被申请人 */
    int32_t received;      /* 收到申请日期 */
    int simplified;        /* 简易程序 */
    int answered;          /* the respondent's answer is in */
    int64_t extended;      /* days already added to the decision period */
    char case_no[32];
};
#define RC(c) ((struct rc_ctx *)(c))

static int load(struct flow_ctx *fc) {
    struct rc_ctx *c = RC(fc);
    struct db_stmt *st =
        db_queryv(fc->db,
                  "SELECT status, respondent_unit_id, received_on, COALESCE(procedure_type, ''), "
                  "CASE WHEN answered_on IS NULL THEN 0 ELSE 1 END, extended_days, case_no "
                  "FROM reconsiderations WHERE id = ?",
                  "i", fc->id);
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW) {
        fc->status = flow_state_index(fc->kind, db_col_text(st, 0));
        c->respondent_id = db_col_int(st, 1);
        date_parse(db_col_text(st, 2), &c->received);
        c->simplified = !strcmp(db_col_text(st, 3), "simplified");
        c->answered = (int)db_col_int(st, 4);
        c->extended = db_col_int(st, 5);
        snprintf(c->case_no, sizeof c->case_no, "%s", db_col_text(st, 6));
        fc->title = c->case_no;
    }
    db_done(st);
    return rc;
}

/* The actor works in the respondent unit (被申请人). */
static int r_respondent(const struct flow_ctx *c) {
    const struct principal *p = c->actor ? c->actor->who : NULL;
    return p && p->unit_id == RC(c)->respondent_id;
}

static const struct flow_relation relations[] = {
    {"respondent", "被申请人", "Respondent", r_respondent},
};

static int p_respondent(const struct flow_ctx *c, struct flow_recipients *out) {
    out->units[out->n_units++] = RC(c)->respondent_id;
    return DB_OK;
}

static const struct flow_party parties[] = {
    {"respondent", "被申请人", "Respondent", p_respondent},
};

static int g_not_answered(const struct flow_ctx *c) {
    return !RC(c)->answered;
}
static int g_may_extend(const struct flow_ctx *c) {
    return !RC(c)->simplified && RC(c)->extended == 0;
}

static const struct flow_guard guards_answer[] = {
    {g_not_answered, "被申请人已提出书面答复", "The respondent has already answered"},
};
static const struct flow_guard guards_extend[] = {
    {g_may_extend, "简易程序案件不能延期，普通程序案件只能延期一次（最多三十日）",
     "A simplified case cannot be extended; an ordinary one once, by at most 30 days"},
};

/* A step's date argument (default today): not later than today, not before the application was
 * received. */
static int32_t step_day(struct flow_ctx *c, const char *arg) {
    return flow_arg_day(c, arg, RC(c)->received, "不能早于收到申请日期",
                        "Cannot be before the application was received");
}

static int set_date(struct flow_ctx *c, const char *column_sql, int32_t day) {
    char d[11];
    date_format(day, d);
    json_object_set_new(c->detail, "on", json_string(d));
    return db_exec(c->db, column_sql, "si", d, c->id) == DB_OK ? FLOW_OK : FLOW_DB;
}

static int fx_correction(struct flow_ctx *c) {
    return step_day(c, "notified_on") ? FLOW_OK : FLOW_INVALID;
}
static int fx_supplied(struct flow_ctx *c) {
    return step_day(c, "supplied_on") ? FLOW_OK : FLOW_INVALID;
}

/* 受理: the procedure chosen (the decision period follows it); an application received after
 * its 申请期限 is accepted only with the 正当理由 stated (第二十条第二款:
 * 因不可抗力或者其他正当理由 耽误法定申请期限的，申请期限自障碍消除之日起继续计算) — else it is
 * 不予受理. */
static int fx_accept(struct flow_ctx *c) {
    int32_t day = step_day(c, "accepted_on");
    int64_t late = 0;
    if (db_query_int(c->db, &late,
                     "SELECT COALESCE(MAX(late), 0) FROM record_clocks WHERE kind = ? AND "
                     "record_id = ? AND clock = 'apply'",
                     "si", c->kind->name, c->id) != DB_ROW)
        return FLOW_DB;
    const char *reason = flow_arg_text(c, "late_reason");
    if (late && (!reason || !*reason))
        flow_problem(
            c, "late_reason",
            "申请已超过法定申请期限（六十日），受理须说明耽误期限的正当理由，否则应不予受理",
            "The application is past the 60-day time limit: state the good cause for "
            "the delay, or do not accept it");
    if (!day || c->pr->n) return FLOW_INVALID;
    const char *procedure = flow_arg_text(c, "procedure_type");
    char d[11];
    date_format(day, d);
    json_object_set_new(c->detail, "procedure_type", json_string(procedure));
    return db_exec(c->db,
                   "UPDATE reconsiderations SET procedure_type = ?, accepted_on = ?, "
                   "late_reason = ? WHERE id = ?",
                   "sssi", procedure, d, reason ? reason : "", c->id) == DB_OK
               ? FLOW_OK
               : FLOW_DB;
}

static int fx_not_accept(struct flow_ctx *c) {
    int32_t day = step_day(c, "decided_on");
    if (!day) return FLOW_INVALID;
    char d[11];
    date_format(day, d);
    return db_exec(c->db,
                   "UPDATE reconsiderations SET decided_on = ?, decision_note = ? WHERE id = ?",
                   "ssi", d, c->note, c->id) == DB_OK
               ? FLOW_OK
               : FLOW_DB;
}

static int fx_answer(struct flow_ctx *c) {
    int32_t day = step_day(c, "answered_on");
    if (!day) return FLOW_INVALID;
    return set_date(c, "UPDATE reconsiderations SET answered_on = ? WHERE id = ?", day);
}

static int fx_hearing(struct flow_ctx *c) {
    int32_t day = step_day(c, "held_on");
    if (!day) return FLOW_INVALID;
    return set_date(c, "UPDATE reconsiderations SET hearing_on = ? WHERE id = ?", day);
}

static int fx_extend(struct flow_ctx *c) {
    int64_t days = flow_arg_int(c, "days", 30);
    json_object_set_new(c->detail, "days", json_integer(days));
    return db_exec(c->db, "UPDATE reconsiderations SET extended_days = ? WHERE id = ?", "ii", days,
                   c->id) == DB_OK
               ? FLOW_OK
               : FLOW_DB;
}

static int record_decision(struct flow_ctx *c, const char *type) {
    int32_t day = step_day(c, "decided_on");
    if (!day) return FLOW_INVALID;
    char d[11];
    date_format(day, d);
    json_object_set_new(c->detail, "decision_type", json_string(type));
    return db_exec(c->db,
                   "UPDATE reconsiderations SET decision_type = ?, decided_on = ?, "
                   "decision_note = ? WHERE id = ?",
                   "sssi", type, d, c->note, c->id) == DB_OK
               ? FLOW_OK
               : FLOW_DB;
}
static int fx_decide(struct flow_ctx *c) {
    return record_decision(c, flow_arg_text(c, "decision_type"));
}
static int fx_terminate(struct flow_ctx *c) {
    return record_decision(c, decision_types[RD_SETTLEMENT].code);
}

static int fx_close(struct flow_ctx *c) {
    char now[21];
    now_iso(now);
    return db_exec(c->db, "UPDATE reconsiderations SET closed_at = ? WHERE id = ?", "si", now,
                   c->id) == DB_OK
               ? FLOW_OK
               : FLOW_DB;
}

/* ---- arguments, steps, notices ---- */

static const struct field args_correction[] = {
    {"notified_on", FT_DATE, "补正通知日期（默认今天）", "Notice date (default today)", 0, 0, 0},
};
static const struct field args_supplied[] = {
    {"supplied_on", FT_DATE, "收到补正材料日期（默认今天）", "Materials received (default today)",
     0, 0, 0},
};
static const struct field args_accept[] = {
    {"procedure_type", FT_ENUM, "审理程序", "Procedure", 0, 0, F_REQUIRED, procedures,
     N(procedures), .hint = "简易程序 30 日内决定，不能延期；普通程序 60 日，可延长 30 日"},
    {"accepted_on", FT_DATE, "受理日期（默认今天）", "Accepted on (default today)", 0, 0, 0},
    {"late_reason", FT_TEXT, "超过申请期限的正当理由", "Good cause for a late application", 0, 500,
     0, .hint = "申请超过六十日申请期限时必填（行政复议法第二十条第二款）"},
};
static const struct field args_not_accept[] = {
    {"decided_on", FT_DATE, "决定日期（默认今天）", "Decided on (default today)", 0, 0, 0},
};
static const struct field args_answer[] = {
    {"answered_on", FT_DATE, "答复日期（默认今天）", "Answered on (default today)", 0, 0, 0},
};
static const struct field args_hearing[] = {
    {"held_on", FT_DATE, "听证日期", "Hearing date", 0, 0, F_REQUIRED},
};
static const struct field args_extend[] = {
    {"days", FT_INT, "延长日数（最多 30 日）", "Days added (at most 30)", 1, 30, 0},
};
static const struct field args_decide[] = {
    {"decision_type", FT_ENUM, "决定类型", "Decision", 0, 0, F_REQUIRED, decision_types,
     RD_SETTLEMENT},
    {"decided_on", FT_DATE, "决定日期（默认今天）", "Decided on (default today)", 0, 0, 0},
};
static const struct field args_terminate[] = {
    {"decided_on", FT_DATE, "终止日期（默认今天）", "Terminated on (default today)", 0, 0, 0},
};

static const struct flow_clock_step steps_correction[] = {
    {"review", CLOCK_SUSPEND, "notified_on"},
    {"correct", CLOCK_START, "notified_on"},
};
static const struct flow_clock_step steps_supplied[] = {
    {"review", CLOCK_RESUME, "supplied_on"},
    {"correct", CLOCK_STOP, "supplied_on"},
};
static const struct flow_clock_step steps_accept[] = {
    {"review", CLOCK_STOP, "accepted_on"},
    {"answer", CLOCK_START, "accepted_on"},
    {"decide", CLOCK_START, "accepted_on"},
};
static const struct flow_clock_step steps_not_accept[] = {
    {"review", CLOCK_STOP, "decided_on"},
    {"correct", CLOCK_STOP, "decided_on"},
};
static const struct flow_clock_step steps_answer[] = {{"answer", CLOCK_STOP, "answered_on"}};
static const struct flow_clock_step steps_extend[] = {{"decide", CLOCK_EXTEND, "days"}};
static const struct flow_clock_step steps_decide[] = {
    {"decide", CLOCK_STOP, "decided_on"},
    {"answer", CLOCK_STOP, "decided_on"},
};

static const struct flow_notice tell_answer = {"respondent", "reconsideration_answer",
                                               "行政复议答复通知", NOTICE_EACH,
                                               "Reconsideration: answer due"};
static const struct flow_notice tell_decided = {"respondent", "reconsideration_decided",
                                                "行政复议决定", NOTICE_EACH,
                                                "Reconsideration decided"};

static const struct flow_confirm confirm_not_accept = {
    "不予受理后本案终结，申请人可依法提起行政诉讼。",
    "Not accepting ends the case; the applicant may sue."};

#define S(i)    (1u << (i))
#define ARGS(a) a, N(a)
#define NONE    NULL, 0

static const struct flow_transition transitions[] = {
    {"request_correction", "补正通知", "Request correction", S(RS_RECEIVED), RS_CORRECTING,
     &perm_reconsider_manage, NULL, 1, ARGS(args_correction), NONE, fx_correction,
     ARGS(steps_correction), NULL, "warning"},
    {"correction_received", "补正材料已收到", "Correction received", S(RS_CORRECTING), RS_RECEIVED,
     &perm_reconsider_manage, NULL, 0, ARGS(args_supplied), NONE, fx_supplied, ARGS(steps_supplied),
     NULL, "primary"},
    {"accept", "受理", "Accept", S(RS_RECEIVED), RS_ACCEPTED, &perm_reconsider_manage, NULL, 0,
     ARGS(args_accept), NONE, fx_accept, ARGS(steps_accept), &tell_answer, "primary"},
    {"not_accept", "不予受理", "Do not accept", S(RS_RECEIVED) | S(RS_CORRECTING), RS_NOT_ACCEPTED,
     &perm_reconsider_manage, NULL, 1, ARGS(args_not_accept), NONE, fx_not_accept,
     ARGS(steps_not_accept), NULL, "danger", &confirm_not_accept},
    {"answer", "提出答复", "Answer", S(RS_ACCEPTED), -1, &perm_reconsider_work, "respondent", 1,
     ARGS(args_answer), ARGS(guards_answer), fx_answer, ARGS(steps_answer), NULL, "primary"},
    {"hearing", "听证", "Hearing", S(RS_ACCEPTED), -1, &perm_reconsider_manage, NULL, 0,
     ARGS(args_hearing), NONE, fx_hearing, NONE, NULL, "default"},
    {"extend", "延期", "Extend", S(RS_ACCEPTED), -1, &perm_reconsider_manage, NULL, 1,
     ARGS(args_extend), ARGS(guards_extend), fx_extend, ARGS(steps_extend), NULL, "warning"},
    {"decide", "作出决定", "Decide", S(RS_ACCEPTED), RS_DECIDED, &perm_reconsider_manage, NULL, 1,
     ARGS(args_decide), NONE, fx_decide, ARGS(steps_decide), &tell_decided, "success"},
    {"terminate", "终止（和解/撤回）", "Terminate (settled/withdrawn)", S(RS_ACCEPTED),
     RS_TERMINATED, &perm_reconsider_manage, NULL, 1, ARGS(args_terminate), NONE, fx_terminate,
     ARGS(steps_decide), &tell_decided, "warning"},
    {"close", "结案", "Close", S(RS_DECIDED) | S(RS_TERMINATED), RS_CLOSED, &perm_reconsider_manage,
     NULL, 0, NONE, NONE, fx_close, NONE, NULL, "success"},
};

const struct flow_kind reconsideration_kind = {
    .name = "reconsideration",
    .zh = "行政复议案件",
    .en = "Administrative reconsideration",
    .entity = "reconsiderations",
    .table = "reconsiderations",
    .audit_type = "reconsideration",
    .web_path = "/reconsiderations",
    .perm_read = &perm_reconsider_view,
    .states = states,
    .n_states = RS_STATES,
    .transitions = transitions,
    .n_transitions = N(transitions),
    .relations = relations,
    .n_relations = N(relations),
    .parties = parties,
    .n_parties = N(parties),
    .clocks = clocks,
    .n_clocks = N(clocks),
    .events_table = "reconsideration_events",
    .events_key = "reconsideration_id",
    .unit_column = "respondent_unit_id",
    .title_column = "case_no",
    .perm_work = &perm_reconsider_work,
    .ctx_size = sizeof(struct rc_ctx),
    .load = load,
};

/* ---- the entity ---- */

static int rc_validate(struct entity_write *w) {
    int32_t received = 0, knew = 0;
    const char *r = json_string_value(json_object_get(w->in, "received_on"));
    const char *k = json_string_value(json_object_get(w->in, "knew_on"));
    if (r && date_parse(r, &received) == 0 && received > date_today())
        problem_add(w->pr, "received_on", "收到申请日期不能晚于今天", "Cannot be later than today");
    if (k && date_parse(k, &knew) == 0 && received && knew > received)
        problem_add(w->pr, "knew_on", "知道行政行为的日期不能晚于收到申请日期",
                    "Cannot be after the application was received");
    return entity_check_unit(w, "respondent_unit_id", NULL, NULL);
}

int reconsideration_insert(struct db *db, struct arena *a, const struct audit_actor *actor,
                           json_t *in, int64_t *id) {
    char now[21];
    now_iso(now);
    const char *received = entity_text(in, "received_on"), *knew = entity_text(in, "knew_on");
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO reconsiderations (case_no, received_on, knew_on, respondent_unit_id, "
            "act_type, act, request, status, created_by, created_at, updated_at, version) "
            "VALUES (NULL, ?, ?, ?, ?, ?, ?, 'received', ?, ?, ?, 1) RETURNING id");
    if (!st) return DB_ERROR;
    db_bind_text(st, 1, received);
    db_bind_text(st, 2, knew);
    db_bind_id(st, 3, (int64_t)json_integer_value(json_object_get(in, "respondent_unit_id")));
    db_bind_text(st, 4, entity_text(in, "act_type"));
    db_bind_text(st, 5, entity_text(in, "act"));
    db_bind_text(st, 6, entity_text(in, "request"));
    db_bind_id(st, 7, actor->user_id);
    db_bind_text(st, 8, now);
    db_bind_text(st, 9, now);
    int rc = db_step(st);
    if (rc == DB_ROW) *id = db_col_int(st, 0);
    db_done(st);
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERROR;
    const char *no = NULL;
    rc = entity_number_set(db, a, &entity_reconsiderations, *id, received, &no);
    int32_t day = 0, knew_day = 0;
    if (rc == DB_OK && (date_parse(received, &day) != 0 || date_parse(knew, &knew_day) != 0))
        rc = DB_ERROR;
    /* 申请期限: from the day the applicant knew, ended by this application */
    if (rc == DB_OK &&
        (flow_clock_start(db, a, &reconsideration_kind, *id, "apply", knew_day) != FLOW_OK ||
         flow_clock_stop(db, a, &reconsideration_kind, *id, "apply", day) != FLOW_OK ||
         flow_clock_start(db, a, &reconsideration_kind, *id, "review", day) != FLOW_OK))
        rc = DB_ERROR;
    if (rc != DB_OK) return rc;
    return audit_append(db, actor, "reconsideration.create", "reconsideration",
                        arena_printf(a, "%lld", (long long)*id), "ok",
                        arena_printf(a, "{\"case_no\":\"%s\"}", no));
}

static int rc_create(struct entity_write *w) {
    return reconsideration_insert(w->c->db, w->c->arena, w->actor, w->in, &w->id);
}

/* 修改: the act and the request while the application is under review. The days received and
 * known and the respondent stay: they decided the periods and the scope. */
static int rc_update(struct entity_write *w) {
    const char *status = json_string_value(json_object_get(w->cur, "status"));
    int i = status ? flow_state_index(&reconsideration_kind, status) : -1;
    if (i != RS_RECEIVED && i != RS_CORRECTING && i != RS_ACCEPTED) {
        w->zh = "已决定、终止、不予受理或结案的案件不能修改";
        w->en = "A decided, terminated, refused or closed case cannot be edited";
        return ENTITY_FORBIDDEN;
    }
    int rc = db_exec(w->c->db,
                     "UPDATE reconsiderations SET act_type = ?, act = ?, request = ? WHERE id = ?",
                     "sssi", entity_text(w->in, "act_type"), entity_text(w->in, "act"),
                     entity_text(w->in, "request"), w->id);
    if (rc != DB_OK) return rc;
    return audit_append(w->c->db, w->actor, "reconsideration.update", "reconsideration",
                        arena_printf(w->c->arena, "%lld", (long long)w->id), "ok", "");
}

/* The current time limit: the decision's once accepted, else the acceptance review's. */
#define DUE_SQL                                                                                    \
    "(SELECT rc.due_on FROM record_clocks rc WHERE rc.kind = 'reconsideration' "                   \
    "AND rc.record_id = e.id AND rc.clock IN ('decide', 'review') "                                \
    "ORDER BY CASE rc.clock WHEN 'decide' THEN 0 ELSE 1 END LIMIT 1)"
#define LATE_APPLY_SQL                                                                             \
    "(SELECT rc.late FROM record_clocks rc WHERE rc.kind = 'reconsideration' "                     \
    "AND rc.record_id = e.id AND rc.clock = 'apply')"

static const struct field fields[] = {
    {"id", FT_INT, "序号", "ID", 0, 0, F_READONLY},
    {"case_no", FT_TEXT, "案件编号", "Case number", 0, 20,
     F_LIST | F_SORT | F_SEARCH | F_EXPORT | F_READONLY},
    {"received_on", FT_DATE, "收到申请日期", "Received", 0, 0,
     F_REQUIRED | F_LIST | F_FILTER | F_SORT | F_EXPORT | F_IMPORT | F_CREATE},
    {"knew_on", FT_DATE, "知道行政行为日期", "Knew of the act", 0, 0,
     F_REQUIRED | F_EXPORT | F_IMPORT | F_CREATE,
     .hint = "申请人知道或者应当知道该行政行为之日：自此起算六十日申请期限"},
    {"respondent_unit_id", FT_UNIT, "被申请人", "Respondent", 0, 0,
     F_REQUIRED | F_FILTER | F_IMPORT | F_CREATE, .ref = "units", .import = "respondent_unit"},
    {"respondent_unit_name", FT_TEXT, "被申请人", "Respondent", 0, 0,
     F_LIST | F_EXPORT | F_READONLY, .sql = "ru.name"},
    {"act_type", FT_ENUM, "行为类别", "Type of act", 0, 0,
     F_REQUIRED | F_LIST | F_FILTER | F_EXPORT | F_IMPORT | F_CREATE | F_UPDATE, act_types,
     N(act_types)},
    {"act", FT_TEXT, "被申请复议的行政行为", "Act complained of", 1, 200,
     F_REQUIRED | F_LIST | F_SEARCH | F_EXPORT | F_IMPORT | F_CREATE | F_UPDATE},
    {"request", FT_LONGTEXT, "复议请求", "Request", 1, 2000,
     F_REQUIRED | F_EXPORT | F_IMPORT | F_CREATE | F_UPDATE},
    {"application_late", FT_BOOL, "超过申请期限", "Past the time to apply", 0, 0,
     F_LIST | F_EXPORT | F_READONLY, .sql = LATE_APPLY_SQL},
    {"late_reason", FT_TEXT, "超期正当理由", "Good cause for delay", 0, 0, F_EXPORT | F_READONLY},
    {"procedure_type", FT_ENUM, "审理程序", "Procedure", 0, 0,
     F_FILTER | F_EXPORT | F_READONLY | F_LABEL, procedures, N(procedures)},
    {"accepted_on", FT_DATE, "受理日期", "Accepted", 0, 0, F_FILTER | F_EXPORT | F_READONLY},
    {"answered_on", FT_DATE, "答复日期", "Answered", 0, 0, F_EXPORT | F_READONLY},
    {"hearing_on", FT_DATE, "听证日期", "Hearing", 0, 0, F_EXPORT | F_READONLY},
    {"extended_days", FT_INT, "延长日数", "Days extended", 0, 0, F_EXPORT | F_READONLY},
    {"due_on", FT_DATE, "期限", "Due", 0, 0, F_LIST | F_SORT | F_EXPORT | F_READONLY,
     .sql = DUE_SQL},
    {"decision_type", FT_ENUM, "决定类型", "Decision", 0, 0,
     F_LIST | F_FILTER | F_EXPORT | F_READONLY | F_LABEL, decision_types, RD_TYPES},
    {"decided_on", FT_DATE, "决定日期", "Decided", 0, 0, F_FILTER | F_EXPORT | F_READONLY},
    {"decision_note", FT_LONGTEXT, "决定要旨", "Decision summary", 0, 0, F_EXPORT | F_READONLY},
    {"status", FT_ENUM, "状态", "Status", 0, 0, F_LIST | F_FILTER | F_EXPORT | F_READONLY,
     status_options, RS_STATES},
    {"closed_at", FT_DATETIME, "结案时间", "Closed", 0, 0, F_READONLY},
    {"created_at", FT_DATETIME, "创建时间", "Created", 0, 0, F_SORT | F_READONLY},
    {"updated_at", FT_DATETIME, "更新时间", "Updated", 0, 0, F_READONLY},
    {"version", FT_INT, "版本", "Version", 0, 0, F_READONLY},
};

/* The metrics' conditions as filters: ?corrected=1 lists what 纠错率 counts above the line,
 * ?decided=1 below it. */
static const struct entity_filter filters[] = {
    {"corrected", FT_BOOL, "直接纠错", "Corrected", CORRECTED_SQL},
    {"decided", FT_BOOL, "已作出决定（纠错率分母）", "Decided on the merits", DECIDED_SQL},
    {"concluded", FT_BOOL, "已审结", "Concluded", CONCLUDED_SQL},
    {"agreed", FT_BOOL, "调解和解", "Mediated or settled", AGREED_SQL},
    {"application_late", FT_BOOL, "超过申请期限", "Past the time to apply", LATE_APPLY_SQL " = 1"},
};

static const struct entity_metric metrics[] = {
    {"correction_rate", "纠错率", "Correction rate", METRIC_RATE, CORRECTED_SQL, DECIDED_SQL, NULL,
     "直接纠错（变更、撤销、确认违法、责令履行、确认无效）÷ 作出决定（上述五类加维持、驳回；调解、"
     "和解/撤回不计入），按收到申请日期计入期间",
     "Corrected (changed, revoked, confirmed unlawful, ordered to perform, confirmed void) / "
     "decided (those five plus upheld and dismissed; mediated and settled not counted), by the "
     "day received"},
    {"corrected", "直接纠错件数", "Corrected", METRIC_COUNT, CORRECTED_SQL, NULL, NULL,
     "决定类型为变更、撤销、确认违法、责令履行、确认无效的案件",
     "Cases changed, revoked, confirmed unlawful, ordered to perform or confirmed void"},
    {"changed", "变更", "Changed", METRIC_COUNT, "e.decision_type = 'change'", NULL, NULL,
     "变更决定（第六十三条）", "Change decisions (art. 63)"},
    {"revoked", "撤销", "Revoked", METRIC_COUNT, "e.decision_type = 'revoke'", NULL, NULL,
     "撤销或者部分撤销决定（第六十四条）", "Revocations, in whole or part (art. 64)"},
    {"confirmed_illegal", "确认违法", "Confirmed unlawful", METRIC_COUNT,
     "e.decision_type = 'confirm_illegal'", NULL, NULL, "确认违法决定（第六十五条）",
     "Decisions confirming unlawfulness (art. 65)"},
    {"ordered", "责令履行", "Ordered to perform", METRIC_COUNT, "e.decision_type = 'order_perform'",
     NULL, NULL, "责令履行决定（第六十六条）", "Orders to perform (art. 66)"},
    {"confirmed_void", "确认无效", "Confirmed void", METRIC_COUNT,
     "e.decision_type = 'confirm_void'", NULL, NULL, "确认无效决定（第六十七条）",
     "Decisions confirming voidness (art. 67)"},
    {"acceptance_rate", "受理率", "Acceptance rate", METRIC_RATE, ACCEPTED_SQL, REVIEWED_SQL, NULL,
     "受理 ÷ 已作出受理审查结论（受理、不予受理）的申请",
     "Accepted / applications reviewed "
     "(accepted or not accepted)"},
    {"agreement_rate", "调解和解率", "Mediation and settlement rate", METRIC_RATE, AGREED_SQL,
     CONCLUDED_SQL, NULL, "调解、和解/撤回（终止）÷ 审结（九类决定类型）",
     "Mediated or settled / concluded (all nine outcome types)"},
};

/* What its pages read (kept per caller, request and day: entity cache_deps): the register's
 * tables, parties and clocks ("cases"), unit names, accounts and scope, settings and the
 * calendar, dictionary labels. */
static const char *const reconsider_page_deps[] = {"reconsider", "cases", "org", "auth",
                                                   "settings",   "dict",  NULL};

static const struct entity_number entity_reconsiderations_number = {"case_no", "FY"};

const struct entity entity_reconsiderations = {
    .name = "reconsiderations",
    .path = "/api/v1/reconsiderations",
    .zh = "行政复议",
    .en = "Administrative reconsideration",
    .table = "reconsiderations",
    .alias = "e",
    .from = "reconsiderations e LEFT JOIN units ru ON ru.id = e.respondent_unit_id",
    .fields = fields,
    .n_fields = ENTITY_N(fields),
    /* the respondent unit reads the applications against its acts; the reconsideration body
     * (the office: scope all) reads every one */
    .scope = {.unit_column = "e.respondent_unit_id"},
    .filters = filters,
    .n_filters = ENTITY_N(filters),
    .default_sort = "-received_on",
    .perm_read = &perm_reconsider_view,
    .perm_create = &perm_reconsider_manage,
    .perm_update = &perm_reconsider_manage,
    .audit_type = "reconsideration",
    .export_name = "reconsiderations",
    .export_sheet = "行政复议",
    .kind = &reconsideration_kind,
    .validate = rc_validate,
    .create = rc_create,
    .update = rc_update,
    .parties = &reconsideration_parties,
    .versions = &reconsideration_versions,
    .metrics = metrics,
    .n_metrics = ENTITY_N(metrics),
    .metric_date = "e.received_on",
    .cache_deps = reconsider_page_deps,
    .number = &entity_reconsiderations_number,
};
