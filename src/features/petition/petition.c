/* petition.c — 信访: the entities (petitions, petition_progress) and the workflow kind with its
 * statutory clocks (信访工作条例, 2022). The routes, list page, form, action buttons, export and
 * import come from these declarations alone (features/entity, features/flow); the module
 * descriptor is petition_module.c.
 *
 * The kind:
 *   登记 registered ─受理→ accepted ─转送/交办→ routed ─签收→ handling ─答复→ replied ─办结→ closed
 *        └─不予受理→ rejected        routed ─管辖异议→ objected ─改派→ routed / ─维持交办→ handling
 *   handling: 延期申请 (unit) → 批准延期 (+30 日) / 不批准 (office)
 *   replied ─复查申请 (≤ 30 日)→ reviewing ─复查意见→ reviewed ─复核申请 (≤ 30 日)→ rechecking
 *   rechecking: 听证开始 / 听证结束 (time not counted) ─复核意见→ closed
 *   积案 (any state but rejected): 列为积案 (with 包案领导) / 撤销积案 by the office; 申请销号 by
 *   the unit → 批准销号 / 不予销号 by the office. */
#include <stdio.h>
#include <string.h>

#include "base/calendar.h"
#include "base/timeutil.h"
#include "features/petition/petition.h"
#include "store/query.h"

/* Declarations leave trailing fields out: 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#define N(a)    (int)(sizeof(a) / sizeof((a)[0]))
#define S(i)    (1u << (i))
#define ARGS(a) a, N(a)
#define NONE    NULL, 0

/* ---- options ---- */

const struct field_option petition_channels[PETITION_CHANNELS] = {
    {"visit", "走访", "Visit", ""},
    {"letter", "来信", "Letter", ""},
    {"phone", "来电", "Phone", ""},
    {"online", "网上信访", "Online", ""},
    {"transfer", "12345转办", "12345 transfer", ""},
};

/* The seed of the 信访事项类别 dictionary (an office adds its own). */
const struct field_option petition_matters[PETITION_MATTERS] = {
    {"land", "征地拆迁", "Land and demolition", ""},
    {"housing", "城乡建设与住房", "Construction and housing", ""},
    {"labour", "劳动和社会保障", "Labour and social security", ""},
    {"enterprise", "涉企经营", "Enterprises", ""},
    {"litigation", "涉法涉诉", "Law and litigation", ""},
    {"environment", "生态环境", "Environment", ""},
    {"health", "卫生健康", "Health", ""},
    {"education", "教育", "Education", ""},
    {"civil", "民政", "Civil affairs", ""},
    {"other", "其他", "Other", ""},
};

static const struct field_option route_modes[] = {
    {"transfer", "转送", "Transfer", ""},
    {"assign", "交办", "Assign", ""},
};

/* 信访工作条例 第三十二条: 支持 / 解释说明 / 不予支持. */
static const struct field_option outcomes[] = {
    {"support", "支持", "Supported", "success"},
    {"explain", "解释说明", "Explained", "info"},
    {"unsupported", "不予支持", "Not supported", "danger"},
};

static const struct field_option backlog_states[] = {
    {"open", "化解中", "Being resolved", "warning"},
    {"pending", "待审批销号", "Clearing requested", "primary"},
    {"cleared", "已销号", "Cleared", "success"},
};

static const struct field_option party_roles[] = {
    {"petitioner", "信访人", "Petitioner", ""},
    {"respondent", "被反映人/单位", "Person or body complained of", ""},
    {"agent", "代理人", "Representative", ""},
};
const struct entity_parties petition_parties = {"petition", party_roles, N(party_roles), 1, 20};

/* ---- states ---- */

enum {
    PT_REGISTERED,
    PT_ACCEPTED,
    PT_ROUTED,
    PT_OBJECTED,
    PT_HANDLING,
    PT_REPLIED,
    PT_REVIEWING,
    PT_REVIEWED,
    PT_RECHECKING,
    PT_CLOSED,
    PT_REJECTED,
    PT_STATES
};

static const struct flow_state states[PT_STATES] = {
    [PT_REGISTERED] = {"registered", "待受理", "To accept", 0, "warning"},
    [PT_ACCEPTED] = {"accepted", "待转送交办", "To route", 0, "warning"},
    [PT_ROUTED] = {"routed", "待签收", "To sign for", 0, "primary"},
    [PT_OBJECTED] = {"objected", "管辖异议", "Jurisdiction objected", 0, "danger"},
    [PT_HANDLING] = {"handling", "办理中", "In progress", 0, "primary"},
    [PT_REPLIED] = {"replied", "已答复", "Replied", 0, "success"},
    [PT_REVIEWING] = {"reviewing", "复查中", "Under review", 0, "warning"},
    [PT_REVIEWED] = {"reviewed", "已复查", "Reviewed", 0, "success"},
    [PT_RECHECKING] = {"rechecking", "复核中", "Under re-examination", 0, "warning"},
    [PT_CLOSED] = {"closed", "已办结", "Closed", 1, "success"},
    [PT_REJECTED] = {"rejected", "不予受理", "Not accepted", 1, "info"},
};
static const struct field_option status_options[PT_STATES] = {
    [PT_REGISTERED] = {"registered", "待受理", "To accept", "warning"},
    [PT_ACCEPTED] = {"accepted", "待转送交办", "To route", "warning"},
    [PT_ROUTED] = {"routed", "待签收", "To sign for", "primary"},
    [PT_OBJECTED] = {"objected", "管辖异议", "Jurisdiction objected", "danger"},
    [PT_HANDLING] = {"handling", "办理中", "In progress", "primary"},
    [PT_REPLIED] = {"replied", "已答复", "Replied", "success"},
    [PT_REVIEWING] = {"reviewing", "复查中", "Under review", "warning"},
    [PT_REVIEWED] = {"reviewed", "已复查", "Reviewed", "success"},
    [PT_RECHECKING] = {"rechecking", "复核中", "Under re-examination", "warning"},
    [PT_CLOSED] = {"closed", "已办结", "Closed", "success"},
    [PT_REJECTED] = {"rejected", "不予受理", "Not accepted", "info"},
};

/* ---- statutory clocks (信访工作条例, 2022) ----
 * The first is the one the standard metrics read (on time, overdue, average days). */
static const struct flow_clock_def clocks[] = {
    /* 第三十二条: 自受理之日起60日内办结; 情况复杂的, 经批准可适当延长, 不超过30日 */
    {"handle", "办理期限", "Handling time limit", 60, CLOCK_DAYS, NULL, "签收受理", "signed for", 7,
     30},
    /* 第二十二条: 收到信访事项, 应当予以登记, 并在15日内转送、交办 */
    {"route", "转送交办期限", "Routing time limit", 15, CLOCK_DAYS, NULL, "登记", "registered", 3},
    /* 转送、交办的信访事项不属于本机关职责范围的, 自收到之日起5个工作日内提出异议 */
    {"objection", "管辖异议期限", "Jurisdiction objection period", 5, CLOCK_WORKDAYS, NULL,
     "转送交办", "routed", 1},
    /* 第三十五条: 自收到复查请求之日起30日内提出复查意见 */
    {"review", "复查期限", "Review time limit", 30, CLOCK_DAYS, NULL, "收到复查请求",
     "review requested", 5},
    /* 第三十六条: 复核 30日内; 听证所需时间不计算在期限内 */
    {"recheck", "复核期限", "Re-examination time limit", 30, CLOCK_DAYS, NULL, "收到复核请求",
     "re-examination requested", 5},
};

#define REQUEST_WINDOW 30 /* 第三十五、三十六条: 自收到书面答复（复查意见）之日起30日内 */

/* ---- the kind's context ---- */

struct pt_ctx {
    struct flow_ctx base;
    int64_t unit_id;                                       /* 办理单位 (0: not routed yet) */
    int32_t received, routed, accepted, replied, reviewed; /* days (0: none) */
    int32_t review_requested, recheck_requested;           /* … */
    int32_t objection_due; /* running 管辖异议期限 (0: none) */
    int ext_pending, extended, hearing, backlog;
    char backlog_state[12];
    char petition_no[24];
};
#define PC(c) ((struct pt_ctx *)(c))

static int32_t day_col(struct db_stmt *st, int i) {
    const char *s = db_col_text(st, i);
    int32_t d = 0;
    if (!s || date_parse(s, &d) != 0) return 0;
    return d;
}

static int load(struct flow_ctx *fc) {
    struct pt_ctx *c = PC(fc);
    struct db_stmt *st = db_queryv(
        fc->db,
        "SELECT p.status, p.petition_no, COALESCE(p.handling_unit_id, 0), p.received_on, "
        "p.routed_on, p.accepted_on, p.replied_on, p.reviewed_on, p.ext_pending, p.extended, "
        "p.hearing, p.backlog, p.backlog_state, p.review_requested_on, p.recheck_requested_on, "
        "(SELECT rc.due_on FROM record_clocks rc WHERE "
        "rc.kind = 'petition' AND rc.record_id = p.id AND rc.clock = 'objection' AND "
        "rc.stopped_on IS NULL) FROM petitions p WHERE p.id = ?",
        "i", fc->id);
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW) {
        fc->status = flow_state_index(fc->kind, db_col_text(st, 0));
        snprintf(c->petition_no, sizeof c->petition_no, "%s",
                 db_col_text(st, 1) ? db_col_text(st, 1) : "");
        fc->title = c->petition_no;
        c->unit_id = db_col_int(st, 2);
        c->received = day_col(st, 3);
        c->routed = day_col(st, 4);
        c->accepted = day_col(st, 5);
        c->replied = day_col(st, 6);
        c->reviewed = day_col(st, 7);
        c->ext_pending = (int)db_col_int(st, 8);
        c->extended = (int)db_col_int(st, 9);
        c->hearing = (int)db_col_int(st, 10);
        c->backlog = (int)db_col_int(st, 11);
        snprintf(c->backlog_state, sizeof c->backlog_state, "%s",
                 db_col_text(st, 12) ? db_col_text(st, 12) : "");
        c->review_requested = day_col(st, 13);
        c->recheck_requested = day_col(st, 14);
        c->objection_due = day_col(st, 15);
    }
    db_done(st);
    return rc;
}

/* The step's date: the declared argument when given, else today. */
static int32_t arg_day(const struct flow_ctx *c, const char *name) {
    const char *s = flow_arg_text(c, name);
    int32_t d;
    return s && date_parse(s, &d) == 0 ? d : c->today;
}

/* A step's date must lie between the earlier event's day and today. */
static int32_t checked_day(struct flow_ctx *c, const char *name, int32_t not_before,
                           const char *before_zh, const char *before_en) {
    int32_t d = arg_day(c, name);
    if (d > c->today)
        flow_problem(c, name, "日期不能晚于今天", "Cannot be later than today");
    else if (not_before && d < not_before)
        flow_problem(c, name, before_zh, before_en);
    return d;
}

static const char *day_text(struct flow_ctx *c, int32_t d) {
    char *s = arena_alloc(c->a, 11);
    date_format(d, s);
    return s;
}

static int exec_ok(int rc) {
    return rc == DB_OK ? FLOW_OK : FLOW_DB;
}

/* ---- relations and parties ---- */

/* The actor works in the unit the petition is routed to. */
static int r_handling_unit(const struct flow_ctx *c) {
    const struct principal *p = c->actor ? c->actor->who : NULL;
    return p && PC(c)->unit_id && p->unit_id == PC(c)->unit_id;
}

static const struct flow_relation relations[] = {
    {"handling_unit", "办理单位", "Handling unit", r_handling_unit},
};

/* The unit whose turn it is: the one routed to (the step's unit_id), else the record's. */
static int p_unit(const struct flow_ctx *c, struct flow_recipients *out) {
    int64_t unit = flow_arg_int(c, "unit_id", PC(c)->unit_id);
    if (unit) out->units[out->n_units++] = unit;
    return DB_OK;
}

/* The 包案领导 named by the step. */
static int p_leader(const struct flow_ctx *c, struct flow_recipients *out) {
    int64_t user = flow_arg_int(c, "leader_id", 0);
    if (user) out->users[out->n_users++] = user;
    return DB_OK;
}

static const struct flow_party parties[] = {
    {"handling_unit", "办理单位", "Handling unit", p_unit},
    {"office", "信访工作机构", "Petition office", NULL, &perm_petition_manage},
    {"leader", "包案领导", "Leader in charge", p_leader},
};

/* ---- guards ---- */

static int g_objection_open(const struct flow_ctx *c) {
    return PC(c)->objection_due && c->today <= PC(c)->objection_due;
}
static int g_no_extension(const struct flow_ctx *c) {
    return !PC(c)->ext_pending && !PC(c)->extended;
}
static int g_ext_pending(const struct flow_ctx *c) {
    return PC(c)->ext_pending;
}
static int g_review_window(const struct flow_ctx *c) {
    return PC(c)->replied && arg_day(c, "requested_on") <= PC(c)->replied + REQUEST_WINDOW;
}
static int g_recheck_window(const struct flow_ctx *c) {
    return PC(c)->reviewed && arg_day(c, "requested_on") <= PC(c)->reviewed + REQUEST_WINDOW;
}
static int g_no_hearing(const struct flow_ctx *c) {
    return !PC(c)->hearing;
}
static int g_hearing(const struct flow_ctx *c) {
    return PC(c)->hearing;
}
static int g_not_backlog(const struct flow_ctx *c) {
    return !PC(c)->backlog;
}
static int g_backlog_open(const struct flow_ctx *c) {
    return PC(c)->backlog && !strcmp(PC(c)->backlog_state, "open");
}
static int g_clear_pending(const struct flow_ctx *c) {
    return PC(c)->backlog && !strcmp(PC(c)->backlog_state, "pending");
}
static int g_backlog_uncleared(const struct flow_ctx *c) {
    return PC(c)->backlog && strcmp(PC(c)->backlog_state, "cleared");
}

static const struct flow_guard guard_objection[] = {
    {g_objection_open, "已超过5个工作日的管辖异议期限，应当依法办理",
     "The 5-working-day period for a jurisdiction objection has passed"},
};
static const struct flow_guard guard_ext_request[] = {
    {g_no_extension, "已申请或已批准延期，办理期限只能延长一次（不超过30日）",
     "An extension was already requested or granted (once, at most 30 days)"},
};
static const struct flow_guard guard_ext_pending[] = {
    {g_ext_pending, "没有待审批的延期申请", "No extension request is waiting"},
};
static const struct flow_guard guard_review[] = {
    {g_review_window, "已超过收到书面答复之日起30日的复查请求期限",
     "A review must be requested within 30 days of the written reply"},
};
static const struct flow_guard guard_recheck[] = {
    {g_recheck_window, "已超过收到复查意见之日起30日的复核请求期限",
     "A re-examination must be requested within 30 days of the review"},
};
static const struct flow_guard guard_no_hearing[] = {
    {g_no_hearing, "听证尚未结束", "The hearing has not ended"},
};
static const struct flow_guard guard_hearing[] = {
    {g_hearing, "没有进行中的听证", "No hearing is in progress"},
};
static const struct flow_guard guard_not_backlog[] = {
    {g_not_backlog, "该信访件已列为积案", "The petition is already a backlog case"},
};
static const struct flow_guard guard_backlog_open[] = {
    {g_backlog_open, "只有化解中的积案可以申请销号",
     "Only a backlog case being resolved can be cleared"},
};
static const struct flow_guard guard_clear_pending[] = {
    {g_clear_pending, "没有待审批的销号申请", "No clearing request is waiting"},
};
static const struct flow_guard guard_uncleared[] = {
    {g_backlog_uncleared, "该信访件不是未销号的积案", "The petition is no uncleared backlog case"},
};

/* ---- effects ---- */

static int fx_reject(struct flow_ctx *c) {
    return exec_ok(db_exec(c->db, "UPDATE petitions SET reject_reason = ? WHERE id = ?", "si",
                           c->note, c->id));
}

/* 转送/交办 and 改派: the unit with jurisdiction, the mode, the day (the 15 日 clock stops, the
 * unit's 5 工作日 objection period starts). */
static int fx_route(struct flow_ctx *c) {
    int64_t unit = flow_arg_int(c, "unit_id", 0);
    if (flow_arg_unit_check(c, "unit_id") != FLOW_OK) return FLOW_DB;
    if (c->status == PT_OBJECTED && unit == PC(c)->unit_id)
        flow_problem(c, "unit_id", "改派须选择另一单位；维持原交办请用“维持交办”",
                     "Choose another unit (or insist on the routing)");
    int32_t d = checked_day(c, "routed_on", PC(c)->received, "转送交办日期不能早于登记日期",
                            "Cannot be before the day registered");
    if (c->pr->n) return FLOW_INVALID;
    const char *mode = flow_arg_text(c, "route_mode");
    json_object_set_new(c->detail, "unit_id", json_integer(unit));
    if (PC(c)->unit_id && PC(c)->unit_id != unit)
        json_object_set_new(c->detail, "from_unit_id", json_integer(PC(c)->unit_id));
    return exec_ok(db_exec(c->db,
                           "UPDATE petitions SET handling_unit_id = ?, route_mode = ?, routed_on = "
                           "?, objection_reason = '' WHERE id = ?",
                           "issi", unit, mode ? mode : "assign", day_text(c, d), c->id));
}

/* 签收: the unit takes it on; the 60 日 handling clock starts. */
static int fx_sign(struct flow_ctx *c) {
    int32_t d = checked_day(c, "accepted_on", PC(c)->routed, "签收日期不能早于转送交办日期",
                            "Cannot be before the day routed");
    if (c->pr->n) return FLOW_INVALID;
    return exec_ok(db_exec(c->db, "UPDATE petitions SET accepted_on = ? WHERE id = ?", "si",
                           day_text(c, d), c->id));
}

static int fx_object(struct flow_ctx *c) {
    return exec_ok(db_exec(c->db, "UPDATE petitions SET objection_reason = ? WHERE id = ?", "si",
                           c->note, c->id));
}

/* 维持交办: the office insists; the unit handles it from today. */
static int fx_insist(struct flow_ctx *c) {
    return exec_ok(db_exec(c->db, "UPDATE petitions SET accepted_on = ? WHERE id = ?", "si",
                           day_text(c, c->today), c->id));
}

static int fx_ext_request(struct flow_ctx *c) {
    return exec_ok(db_exec(c->db, "UPDATE petitions SET ext_pending = 1 WHERE id = ?", "i", c->id));
}
static int fx_ext_approve(struct flow_ctx *c) {
    return exec_ok(db_exec(c->db, "UPDATE petitions SET ext_pending = 0, extended = 1 WHERE id = ?",
                           "i", c->id));
}
static int fx_ext_refuse(struct flow_ctx *c) {
    return exec_ok(db_exec(c->db, "UPDATE petitions SET ext_pending = 0 WHERE id = ?", "i", c->id));
}

/* 答复: the outcome and the written reply (the note); the handling clock stops that day. */
static int fx_reply(struct flow_ctx *c) {
    int32_t d = checked_day(c, "replied_on", PC(c)->accepted, "答复日期不能早于签收日期",
                            "Cannot be before the day signed for");
    if (c->pr->n) return FLOW_INVALID;
    const char *outcome = flow_arg_text(c, "outcome");
    json_object_set_new(c->detail, "outcome", json_string(outcome));
    return exec_ok(db_exec(c->db,
                           "UPDATE petitions SET outcome = ?, reply_text = ?, replied_on = ?, "
                           "ext_pending = 0 WHERE id = ?",
                           "sssi", outcome, c->note, day_text(c, d), c->id));
}

static int fx_review_request(struct flow_ctx *c) {
    int32_t d = checked_day(c, "requested_on", PC(c)->replied, "复查请求日期不能早于答复日期",
                            "Cannot be before the reply");
    if (c->pr->n) return FLOW_INVALID;
    return exec_ok(db_exec(c->db, "UPDATE petitions SET review_requested_on = ? WHERE id = ?", "si",
                           day_text(c, d), c->id));
}

static int fx_review(struct flow_ctx *c) {
    int32_t d = checked_day(c, "decided_on", PC(c)->review_requested,
                            "复查意见日期不能早于收到复查请求日期", "Cannot be before the request");
    if (c->pr->n) return FLOW_INVALID;
    const char *outcome = flow_arg_text(c, "outcome");
    json_object_set_new(c->detail, "outcome", json_string(outcome));
    return exec_ok(db_exec(c->db,
                           "UPDATE petitions SET review_outcome = ?, reviewed_on = ? WHERE id = ?",
                           "ssi", outcome, day_text(c, d), c->id));
}

static int fx_recheck_request(struct flow_ctx *c) {
    int32_t d = checked_day(c, "requested_on", PC(c)->reviewed, "复核请求日期不能早于复查意见日期",
                            "Cannot be before the review");
    if (c->pr->n) return FLOW_INVALID;
    return exec_ok(db_exec(c->db, "UPDATE petitions SET recheck_requested_on = ? WHERE id = ?",
                           "si", day_text(c, d), c->id));
}

static int fx_hearing(struct flow_ctx *c) {
    return exec_ok(db_exec(c->db, "UPDATE petitions SET hearing = ? WHERE id = ?", "ii",
                           (int64_t)!PC(c)->hearing, c->id));
}

static int fx_recheck(struct flow_ctx *c) {
    int32_t d = checked_day(c, "decided_on", PC(c)->recheck_requested,
                            "复核意见日期不能早于收到复核请求日期", "Cannot be before the request");
    if (c->pr->n) return FLOW_INVALID;
    const char *outcome = flow_arg_text(c, "outcome");
    json_object_set_new(c->detail, "outcome", json_string(outcome));
    return exec_ok(db_exec(c->db,
                           "UPDATE petitions SET recheck_outcome = ?, rechecked_on = ?, closed_on "
                           "= ? WHERE id = ?",
                           "sssi", outcome, day_text(c, d), day_text(c, d), c->id));
}

static int fx_close(struct flow_ctx *c) {
    return exec_ok(db_exec(c->db, "UPDATE petitions SET closed_on = ? WHERE id = ?", "si",
                           day_text(c, c->today), c->id));
}

/* 列为积案: the leader in charge must be an active account. */
static int fx_backlog(struct flow_ctx *c) {
    int64_t leader = flow_arg_int(c, "leader_id", 0), n = 0;
    if (db_query_int(c->db, &n, "SELECT COUNT(*) FROM users WHERE id = ? AND locked = 0", "i",
                     leader) != DB_ROW)
        return FLOW_DB;
    if (!n) {
        flow_problem(c, "leader_id", "包案领导须为在用账号",
                     "The leader must be an active account");
        return FLOW_INVALID;
    }
    json_object_set_new(c->detail, "leader_id", json_integer(leader));
    return exec_ok(db_exec(c->db,
                           "UPDATE petitions SET backlog = 1, backlog_leader_id = ?, "
                           "backlog_since = ?, backlog_state = 'open', cleared_on = NULL "
                           "WHERE id = ?",
                           "isi", leader, day_text(c, c->today), c->id));
}
static int fx_unbacklog(struct flow_ctx *c) {
    return exec_ok(db_exec(c->db,
                           "UPDATE petitions SET backlog = 0, backlog_leader_id = NULL, "
                           "backlog_since = NULL, backlog_state = NULL WHERE id = ?",
                           "i", c->id));
}
static int backlog_state_set(struct flow_ctx *c, const char *state) {
    return exec_ok(db_exec(c->db,
                           "UPDATE petitions SET backlog_state = ?, cleared_on = CASE WHEN ? = "
                           "'cleared' THEN ? ELSE NULL END WHERE id = ?",
                           "sssi", state, state, day_text(c, c->today), c->id));
}
static int fx_clear_request(struct flow_ctx *c) {
    return backlog_state_set(c, "pending");
}
static int fx_clear_approve(struct flow_ctx *c) {
    return backlog_state_set(c, "cleared");
}
static int fx_clear_refuse(struct flow_ctx *c) {
    return backlog_state_set(c, "open");
}

/* ---- arguments ---- */

static const struct field args_route[] = {
    {"unit_id", FT_UNIT, "办理单位", "Handling unit", 0, 0, F_REQUIRED, .ref = "units"},
    {"route_mode", FT_ENUM, "方式", "Mode", 0, 0, F_REQUIRED, route_modes, N(route_modes)},
    {"routed_on", FT_DATE, "转送交办日期（默认今天）", "Routed on (default today)", 0, 0, 0},
};
static const struct field args_sign[] = {
    {"accepted_on", FT_DATE, "签收日期（默认今天）", "Signed for on (default today)", 0, 0, 0},
};
static const struct field args_extend[] = {
    {"days", FT_INT, "延长日数（不超过30日）", "Days added (at most 30)", 1, 30, 0},
};
static const struct field args_reply[] = {
    {"outcome", FT_ENUM, "处理意见", "Outcome", 0, 0, F_REQUIRED, outcomes, N(outcomes)},
    {"replied_on", FT_DATE, "答复日期（默认今天）", "Replied on (default today)", 0, 0, 0},
};
static const struct field args_request[] = {
    {"requested_on", FT_DATE, "收到请求日期（默认今天）", "Requested on (default today)", 0, 0, 0},
};
static const struct field args_outcome[] = {
    {"outcome", FT_ENUM, "意见", "Outcome", 0, 0, F_REQUIRED, outcomes, N(outcomes)},
    {"decided_on", FT_DATE, "出具意见日期（默认今天）", "Decided on (default today)", 0, 0, 0},
};
static const struct field args_hearing[] = {
    {"on", FT_DATE, "日期（默认今天）", "Date (default today)", 0, 0, 0},
};
static const struct field args_backlog[] = {
    {"leader_id", FT_USER, "包案领导", "Leader in charge", 0, 0, F_REQUIRED},
};

/* ---- clock steps ---- */

static const struct flow_clock_step steps_reject[] = {{"route", CLOCK_STOP}};
static const struct flow_clock_step steps_route[] = {
    {"route", CLOCK_STOP, "routed_on"},
    {"objection", CLOCK_START, "routed_on"},
};
static const struct flow_clock_step steps_sign[] = {
    {"objection", CLOCK_STOP, "accepted_on"},
    {"handle", CLOCK_START, "accepted_on"},
};
static const struct flow_clock_step steps_object[] = {{"objection", CLOCK_STOP}};
static const struct flow_clock_step steps_insist[] = {{"handle", CLOCK_START}};
static const struct flow_clock_step steps_extend[] = {{"handle", CLOCK_EXTEND, "days"}};
static const struct flow_clock_step steps_reply[] = {{"handle", CLOCK_STOP, "replied_on"}};
static const struct flow_clock_step steps_review_request[] = {
    {"review", CLOCK_START, "requested_on"}};
static const struct flow_clock_step steps_review[] = {{"review", CLOCK_STOP, "decided_on"}};
static const struct flow_clock_step steps_recheck_request[] = {
    {"recheck", CLOCK_START, "requested_on"}};
static const struct flow_clock_step steps_hearing_start[] = {{"recheck", CLOCK_SUSPEND, "on"}};
static const struct flow_clock_step steps_hearing_end[] = {{"recheck", CLOCK_RESUME, "on"}};
static const struct flow_clock_step steps_recheck[] = {{"recheck", CLOCK_STOP, "decided_on"}};
/* 办结 with a clock still running (a review answered on the day of closing) stops nothing
 * else: every clock was stopped by its own closing step. */

/* ---- notices ---- */

static const struct flow_notice tell_routed = {"handling_unit", "petition_routed", "信访转送交办",
                                               NOTICE_EACH, "Petition routed"};
static const struct flow_notice tell_objected = {"office", "petition_objected", "管辖异议",
                                                 NOTICE_EACH, "Jurisdiction objection"};
static const struct flow_notice tell_insisted = {"handling_unit", "petition_insisted", "维持交办",
                                                 NOTICE_EACH, "Routing upheld"};
static const struct flow_notice tell_ext_request = {"office", "petition_extension", "信访延期申请",
                                                    NOTICE_EACH, "Extension requested"};
static const struct flow_notice tell_ext_decided = {"handling_unit", "petition_extension_decided",
                                                    "延期申请已审批", NOTICE_EACH,
                                                    "Extension decided"};
static const struct flow_notice tell_leader = {"leader", "petition_backlog", "积案包案",
                                               NOTICE_EACH, "Backlog case in your charge"};
static const struct flow_notice tell_clear_request = {"office", "petition_clear", "积案销号申请",
                                                      NOTICE_EACH, "Clearing requested"};
static const struct flow_notice tell_clear_decided = {
    "handling_unit", "petition_clear_decided", "积案销号已审批", NOTICE_EACH, "Clearing decided"};

static const struct flow_confirm confirm_reject = {
    "不予受理后该信访件终止，请确认已告知信访人理由。",
    "Not accepting ends the petition: the petitioner must be told why."};
static const struct flow_confirm confirm_close = {
    "办结后不能再申请复查、复核。", "After closing no review or re-examination can be requested."};
static const struct flow_confirm confirm_unbacklog = {"撤销积案将清除包案领导和销号状态。",
                                                      "This removes the leader and the clearing."};
static const struct flow_confirm confirm_refuse = {"不批准延期，办理期限不变。",
                                                   "The time limit stays as it is."};

#define BACKLOG_STATES (~0u & (S(PT_STATES) - 1) & ~S(PT_REJECTED))

static const struct flow_transition transitions[] = {
    {"accept", "受理", "Accept", S(PT_REGISTERED), PT_ACCEPTED, &perm_petition_manage, NULL, 0,
     NONE, NONE, NULL, NONE, NULL, "primary"},
    {"reject", "不予受理", "Do not accept", S(PT_REGISTERED), PT_REJECTED, &perm_petition_manage,
     NULL, 1, NONE, NONE, fx_reject, ARGS(steps_reject), NULL, "danger", &confirm_reject},
    {"route", "转送/交办", "Route", S(PT_ACCEPTED), PT_ROUTED, &perm_petition_manage, NULL, 0,
     ARGS(args_route), NONE, fx_route, ARGS(steps_route), &tell_routed, "primary"},
    {"sign", "签收", "Sign for", S(PT_ROUTED), PT_HANDLING, &perm_petition_work, "handling_unit", 0,
     ARGS(args_sign), NONE, fx_sign, ARGS(steps_sign), NULL, "primary"},
    {"object", "管辖异议", "Object to jurisdiction", S(PT_ROUTED), PT_OBJECTED, &perm_petition_work,
     "handling_unit", 1, NONE, ARGS(guard_objection), fx_object, ARGS(steps_object), &tell_objected,
     "warning"},
    {"reroute", "改派", "Route elsewhere", S(PT_OBJECTED), PT_ROUTED, &perm_petition_manage, NULL,
     0, ARGS(args_route), NONE, fx_route, ARGS(steps_route), &tell_routed, "primary"},
    {"insist", "维持交办", "Uphold the routing", S(PT_OBJECTED), PT_HANDLING, &perm_petition_manage,
     NULL, 1, NONE, NONE, fx_insist, ARGS(steps_insist), &tell_insisted, "warning"},
    {"request_extension", "延期申请", "Request extension", S(PT_HANDLING), -1, &perm_petition_work,
     "handling_unit", 1, NONE, ARGS(guard_ext_request), fx_ext_request, NONE, &tell_ext_request,
     "warning"},
    {"approve_extension", "批准延期", "Approve extension", S(PT_HANDLING), -1,
     &perm_petition_manage, NULL, 0, ARGS(args_extend), ARGS(guard_ext_pending), fx_ext_approve,
     ARGS(steps_extend), &tell_ext_decided, "success"},
    {"refuse_extension", "不批准延期", "Refuse extension", S(PT_HANDLING), -1,
     &perm_petition_manage, NULL, 1, NONE, ARGS(guard_ext_pending), fx_ext_refuse, NONE,
     &tell_ext_decided, "danger", &confirm_refuse},
    {"reply", "答复", "Reply", S(PT_HANDLING), PT_REPLIED, &perm_petition_work, "handling_unit", 1,
     ARGS(args_reply), NONE, fx_reply, ARGS(steps_reply), NULL, "success"},
    {"request_review", "复查申请", "Review requested", S(PT_REPLIED), PT_REVIEWING,
     &perm_petition_manage, NULL, 0, ARGS(args_request), ARGS(guard_review), fx_review_request,
     ARGS(steps_review_request), NULL, "warning"},
    {"review", "复查意见", "Review decision", S(PT_REVIEWING), PT_REVIEWED, &perm_petition_manage,
     NULL, 1, ARGS(args_outcome), NONE, fx_review, ARGS(steps_review), NULL, "success"},
    {"request_recheck", "复核申请", "Re-examination requested", S(PT_REVIEWED), PT_RECHECKING,
     &perm_petition_manage, NULL, 0, ARGS(args_request), ARGS(guard_recheck), fx_recheck_request,
     ARGS(steps_recheck_request), NULL, "warning"},
    {"hearing_start", "听证开始", "Hearing begins", S(PT_RECHECKING), -1, &perm_petition_manage,
     NULL, 0, ARGS(args_hearing), ARGS(guard_no_hearing), fx_hearing, ARGS(steps_hearing_start),
     NULL, "default"},
    {"hearing_end", "听证结束", "Hearing ends", S(PT_RECHECKING), -1, &perm_petition_manage, NULL,
     0, ARGS(args_hearing), ARGS(guard_hearing), fx_hearing, ARGS(steps_hearing_end), NULL,
     "default"},
    {"recheck", "复核意见", "Re-examination decision", S(PT_RECHECKING), PT_CLOSED,
     &perm_petition_manage, NULL, 1, ARGS(args_outcome), ARGS(guard_no_hearing), fx_recheck,
     ARGS(steps_recheck), NULL, "success"},
    {"close", "办结", "Close", S(PT_REPLIED) | S(PT_REVIEWED), PT_CLOSED, &perm_petition_manage,
     NULL, 0, NONE, NONE, fx_close, NONE, NULL, "success", &confirm_close},
    {"mark_backlog", "列为积案", "Mark as backlog", BACKLOG_STATES, -1, &perm_petition_manage, NULL,
     0, ARGS(args_backlog), ARGS(guard_not_backlog), fx_backlog, NONE, &tell_leader, "warning"},
    {"unmark_backlog", "撤销积案", "Remove from backlog", BACKLOG_STATES, -1, &perm_petition_manage,
     NULL, 1, NONE, ARGS(guard_uncleared), fx_unbacklog, NONE, NULL, "danger", &confirm_unbacklog},
    {"request_clear", "申请销号", "Request clearing", BACKLOG_STATES, -1, &perm_petition_work,
     "handling_unit", 1, NONE, ARGS(guard_backlog_open), fx_clear_request, NONE,
     &tell_clear_request, "primary"},
    {"approve_clear", "批准销号", "Approve clearing", BACKLOG_STATES, -1, &perm_petition_manage,
     NULL, 0, NONE, ARGS(guard_clear_pending), fx_clear_approve, NONE, &tell_clear_decided,
     "success"},
    {"refuse_clear", "不予销号", "Refuse clearing", BACKLOG_STATES, -1, &perm_petition_manage, NULL,
     1, NONE, ARGS(guard_clear_pending), fx_clear_refuse, NONE, &tell_clear_decided, "danger"},
};

const struct flow_kind petition_kind = {
    .name = "petition",
    .zh = "信访件",
    .en = "Petition",
    .entity = "petitions",
    .table = "petitions",
    .audit_type = "petition",
    .web_path = "/petitions",
    .perm_read = &perm_petition_view,
    .states = states,
    .n_states = PT_STATES,
    .transitions = transitions,
    .n_transitions = N(transitions),
    .relations = relations,
    .n_relations = N(relations),
    .parties = parties,
    .n_parties = N(parties),
    .clocks = clocks,
    .n_clocks = N(clocks),
    .events_table = "petition_events",
    .events_key = "petition_id",
    .unit_column = "handling_unit_id",
    .title_column = "petition_no",
    .perm_work = &perm_petition_work,
    .ctx_size = sizeof(struct pt_ctx),
    .load = load,
};

/* ---- the entity ---- */

static int pt_validate(struct entity_write *w) {
    const char *received = json_string_value(json_object_get(w->in, "received_on"));
    int32_t day;
    if (received && date_parse(received, &day) == 0 && day > date_today())
        problem_add(w->pr, "received_on", "登记日期不能晚于今天", "Cannot be later than today");
    return DB_OK;
}

/* 登记: the number follows the year received and the id (XF2026-000123); the 15 日 routing
 * clock starts on the day received (第二十二条: 收到信访事项 … 15日内). */
int petition_insert(struct db *db, struct arena *a, const struct audit_actor *actor, json_t *in,
                    int64_t *id) {
    char now[21];
    now_iso(now);
    const char *received = entity_text(in, "received_on");
    struct db_stmt *st = db_prepare(db, "INSERT INTO petitions (petition_no, received_on, channel, "
                                        "matter_type, summary, place, status, created_by, "
                                        "created_at, updated_at, version) VALUES (NULL, ?, ?, ?, "
                                        "?, ?, 'registered', ?, ?, ?, 1) RETURNING id");
    if (!st) return DB_ERROR;
    db_bind_text(st, 1, received);
    db_bind_text(st, 2, entity_text(in, "channel"));
    db_bind_text(st, 3, entity_text(in, "matter_type"));
    db_bind_text(st, 4, entity_text(in, "summary"));
    db_bind_text(st, 5, entity_text(in, "place"));
    db_bind_id(st, 6, actor->user_id);
    db_bind_text(st, 7, now);
    db_bind_text(st, 8, now);
    int rc = db_step(st);
    if (rc == DB_ROW) *id = db_col_int(st, 0);
    db_done(st);
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERROR;
    const char *no = NULL;
    rc = entity_number_set(db, a, &entity_petitions, *id, received, &no);
    int32_t day = 0;
    if (rc == DB_OK && date_parse(received, &day) != 0) rc = DB_ERROR;
    if (rc == DB_OK && flow_clock_start(db, a, &petition_kind, *id, "route", day) != FLOW_OK)
        rc = DB_ERROR;
    if (rc != DB_OK) return rc;
    return audit_append(db, actor, "petition.create", "petition",
                        arena_printf(a, "%lld", (long long)*id), "ok",
                        arena_printf(a, "{\"petition_no\":\"%s\"}", no));
}

int petition_link_repeats(struct db *db, struct arena *a, int64_t id) {
    int64_t *same = NULL;
    int n = 0;
    int rc = entity_parties_same_person(db, a, &petition_parties, id, QUERY_IDS_MAX, &same, &n);
    if (rc != DB_OK || n == 0) return rc;
    /* the earlier petitions among them on the same matter type: the first and how many */
    struct query q;
    query_init(&q, a, "");
    query_add(&q,
              "SELECT MIN(COALESCE(o.repeat_of, o.id)), COUNT(*) FROM petitions o JOIN petitions "
              "p ON p.id = ? WHERE o.matter_type = p.matter_type AND o.id <> p.id AND "
              "(o.received_on < p.received_on OR (o.received_on = p.received_on AND o.id < p.id)) "
              "AND o.id",
              "i", id);
    query_add_ids(&q, same, n);
    struct db_stmt *st = query_prepare(db, &q);
    rc = st ? db_step(st) : DB_ERROR;
    int64_t first = 0, count = 0;
    if (rc == DB_ROW) {
        first = db_col_int(st, 0);
        count = db_col_int(st, 1);
    }
    db_done(st);
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERROR;
    if (!count) return DB_OK;
    return db_exec(db, "UPDATE petitions SET repeat_of = ?, repeat_count = ? WHERE id = ?", "iii",
                   first, count, id);
}

static int pt_create(struct entity_write *w) {
    return petition_insert(w->c->db, w->c->arena, w->actor, w->in, &w->id);
}

/* After the parties are written (the layer writes them between create and created). */
static int pt_created(struct entity_write *w) {
    return petition_link_repeats(w->c->db, w->c->arena, w->id);
}

/* 修改: the registration's particulars, while the petition is open. The day received stays: it
 * started the routing clock. */
static int pt_update(struct entity_write *w) {
    const char *status = json_string_value(json_object_get(w->cur, "status"));
    int i = status ? flow_state_index(&petition_kind, status) : -1;
    if (i < 0 || states[i].final) {
        w->zh = "已办结或不予受理的信访件不能修改";
        w->en = "A closed or refused petition cannot be edited";
        return ENTITY_FORBIDDEN;
    }
    json_t *in = w->in;
    int rc = db_exec(w->c->db,
                     "UPDATE petitions SET channel = ?, matter_type = ?, summary = ?, place = ? "
                     "WHERE id = ?",
                     "ssssi", entity_text(in, "channel"), entity_text(in, "matter_type"),
                     entity_text(in, "summary"), entity_text(in, "place"), w->id);
    if (rc != DB_OK) return rc;
    return audit_append(w->c->db, w->actor, "petition.update", "petition",
                        arena_printf(w->c->arena, "%lld", (long long)w->id), "ok", "");
}

/* 重复信访: each record of the page with earlier petitions gets them (number, day, state), read
 * in one query for the page, in the caller's scope. */
static int pt_decorate(const struct entity_ctx *c, json_t *items) {
    size_t n = json_array_size(items);
    int64_t *roots = arena_alloc(c->arena, (n ? n : 1) * sizeof *roots);
    int k = 0;
    for (size_t i = 0; i < n; i++) {
        json_t *it = json_array_get(items, i);
        json_object_set_new(it, "earlier", json_array());
        json_int_t root = json_integer_value(json_object_get(it, "repeat_of"));
        if (root > 0 && k < QUERY_IDS_MAX) roots[k++] = root;
    }
    if (!k) return DB_OK;
    struct query q;
    query_init(&q, c->arena,
               "SELECT e.id, e.petition_no, e.received_on, e.status, COALESCE(e.repeat_of, e.id) "
               "FROM petitions e WHERE (e.id");
    query_add_ids(&q, roots, k);
    query_add(&q, " OR e.repeat_of", "");
    query_add_ids(&q, roots, k);
    query_add(&q, ")", "");
    entity_conditions(c, &q, NULL);
    query_add(&q, " ORDER BY e.received_on, e.id", "");
    struct db_stmt *st = query_prepare(c->db, &q);
    if (!st) return DB_ERROR;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        int64_t id = db_col_int(st, 0), root = db_col_int(st, 4);
        const char *no = db_col_text(st, 1), *on = db_col_text(st, 2), *status = db_col_text(st, 3);
        for (size_t i = 0; i < n; i++) {
            json_t *it = json_array_get(items, i);
            json_int_t mine = json_integer_value(json_object_get(it, "id"));
            if (json_integer_value(json_object_get(it, "repeat_of")) != root || id == mine)
                continue;
            const char *my_on = json_string_value(json_object_get(it, "received_on"));
            if (my_on && on && (strcmp(on, my_on) > 0 || (!strcmp(on, my_on) && id > mine)))
                continue; /* later than this one */
            json_array_append_new(json_object_get(it, "earlier"),
                                  json_pack("{s:I,s:s,s:s,s:s}", "id", (json_int_t)id,
                                            "petition_no", no ? no : "", "received_on",
                                            on ? on : "", "status", status ? status : ""));
        }
    }
    db_done(st);
    return rc == DB_DONE ? DB_OK : rc;
}

/* ?overdue=1: a clock still running past its due date (a suspended one is not overdue). */
static void f_overdue(const struct entity_ctx *c, struct query *q, const char *value) {
    char today[11];
    date_format(date_today(), today);
    int yes = value && (!strcmp(value, "1") || !strcmp(value, "true"));
    query_add(q,
              yes ? " AND EXISTS (SELECT 1 FROM record_clocks rc WHERE rc.kind = 'petition' AND "
                    "rc.record_id = e.id AND rc.stopped_on IS NULL AND rc.state <> 'suspended' "
                    "AND rc.due_on < ?)"
                  : " AND NOT EXISTS (SELECT 1 FROM record_clocks rc WHERE rc.kind = 'petition' "
                    "AND rc.record_id = e.id AND rc.stopped_on IS NULL AND rc.state <> "
                    "'suspended' AND rc.due_on < ?)",
              "s", arena_strdup(c->arena, today));
}

static const struct entity_filter filters[] = {
    {"repeat", FT_BOOL, "重复信访", "Repeat petitions", "e.repeat_of IS NOT NULL",
     "e.repeat_of IS NULL"},
    {"overdue", FT_BOOL, "超期", "Overdue", .apply = f_overdue},
    {"reviewed", FT_BOOL, "申请复查", "Review requested", "e.review_requested_on IS NOT NULL",
     "e.review_requested_on IS NULL"},
};

/* The nearest due date of the clocks still running (the list's 期限 column). */
#define DUE_SQL                                                                                    \
    "(SELECT MIN(rc.due_on) FROM record_clocks rc WHERE rc.kind = 'petition' AND rc.record_id = "  \
    "e.id AND rc.stopped_on IS NULL)"

static const struct field fields[] = {
    {"id", FT_INT, "序号", "ID", 0, 0, F_READONLY},
    {"petition_no", FT_TEXT, "信访编号", "Number", 0, 20,
     F_LIST | F_SORT | F_SEARCH | F_EXPORT | F_READONLY},
    {"received_on", FT_DATE, "登记日期", "Received", 0, 0,
     F_REQUIRED | F_LIST | F_FILTER | F_SORT | F_EXPORT | F_IMPORT | F_CREATE},
    {"channel", FT_ENUM, "信访形式", "Channel", 0, 0,
     F_REQUIRED | F_LIST | F_FILTER | F_EXPORT | F_IMPORT | F_CREATE | F_UPDATE, petition_channels,
     PETITION_CHANNELS},
    {"matter_type", FT_ENUM, "事项类别", "Matter", 0, 0,
     F_REQUIRED | F_LIST | F_FILTER | F_EXPORT | F_IMPORT | F_CREATE | F_UPDATE, petition_matters,
     PETITION_MATTERS, .dict = "petition_matter"},
    {"summary", FT_LONGTEXT, "信访事项", "Matter summary", 1, 2000,
     F_REQUIRED | F_SEARCH | F_EXPORT | F_IMPORT | F_CREATE | F_UPDATE},
    {"place", FT_TEXT, "问题属地", "Place", 0, 100,
     F_SEARCH | F_EXPORT | F_IMPORT | F_CREATE | F_UPDATE},
    {"handling_unit_id", FT_UNIT, "办理单位", "Handling unit", 0, 0, F_FILTER | F_READONLY,
     .ref = "units"},
    {"handling_unit_name", FT_TEXT, "办理单位", "Handling unit", 0, 0,
     F_LIST | F_EXPORT | F_READONLY, .sql = "hu.name"},
    {"route_mode", FT_ENUM, "转送/交办", "Routing", 0, 0, F_EXPORT | F_READONLY, route_modes,
     N(route_modes)},
    {"routed_on", FT_DATE, "转送交办日期", "Routed", 0, 0, F_EXPORT | F_READONLY},
    {"accepted_on", FT_DATE, "签收日期", "Signed for", 0, 0, F_EXPORT | F_READONLY},
    {"due_on", FT_DATE, "期限", "Due", 0, 0, F_LIST | F_SORT | F_EXPORT | F_READONLY,
     .sql = DUE_SQL},
    {"status", FT_ENUM, "状态", "Status", 0, 0, F_LIST | F_FILTER | F_EXPORT | F_READONLY,
     status_options, PT_STATES},
    {"reject_reason", FT_LONGTEXT, "不予受理理由", "Reason not accepted", 0, 0, F_READONLY},
    {"objection_reason", FT_LONGTEXT, "管辖异议理由", "Objection", 0, 0, F_READONLY},
    {"ext_pending", FT_BOOL, "延期待审批", "Extension requested", 0, 0, F_READONLY},
    {"extended", FT_BOOL, "已延期", "Extended", 0, 0, F_FILTER | F_EXPORT | F_READONLY},
    {"outcome", FT_ENUM, "处理意见", "Outcome", 0, 0, F_LIST | F_FILTER | F_EXPORT | F_READONLY,
     outcomes, N(outcomes)},
    {"reply_text", FT_LONGTEXT, "答复内容", "Reply", 0, 0, F_EXPORT | F_READONLY},
    {"replied_on", FT_DATE, "答复日期", "Replied", 0, 0, F_EXPORT | F_READONLY},
    {"review_requested_on", FT_DATE, "复查请求日期", "Review requested", 0, 0,
     F_EXPORT | F_READONLY},
    {"review_outcome", FT_ENUM, "复查意见", "Review outcome", 0, 0, F_EXPORT | F_READONLY, outcomes,
     N(outcomes)},
    {"reviewed_on", FT_DATE, "复查日期", "Reviewed", 0, 0, F_EXPORT | F_READONLY},
    {"recheck_requested_on", FT_DATE, "复核请求日期", "Re-examination requested", 0, 0,
     F_EXPORT | F_READONLY},
    {"recheck_outcome", FT_ENUM, "复核意见", "Re-examination outcome", 0, 0, F_EXPORT | F_READONLY,
     outcomes, N(outcomes)},
    {"rechecked_on", FT_DATE, "复核日期", "Re-examined", 0, 0, F_EXPORT | F_READONLY},
    {"hearing", FT_BOOL, "听证中", "Hearing in progress", 0, 0, F_READONLY},
    {"closed_on", FT_DATE, "办结日期", "Closed", 0, 0, F_EXPORT | F_READONLY},
    {"backlog", FT_BOOL, "积案", "Backlog", 0, 0, F_LIST | F_FILTER | F_EXPORT | F_READONLY},
    {"backlog_leader_id", FT_USER, "包案领导", "Leader in charge", 0, 0, F_FILTER | F_READONLY},
    {"backlog_leader_name", FT_TEXT, "包案领导", "Leader in charge", 0, 0,
     F_LIST | F_EXPORT | F_READONLY, .sql = "bl.display_name"},
    {"backlog_since", FT_DATE, "列为积案日期", "Backlog since", 0, 0, F_EXPORT | F_READONLY},
    {"backlog_state", FT_ENUM, "销号状态", "Clearing", 0, 0, F_FILTER | F_EXPORT | F_READONLY,
     backlog_states, N(backlog_states)},
    {"cleared_on", FT_DATE, "销号日期", "Cleared", 0, 0, F_EXPORT | F_READONLY},
    {"repeat_of", FT_REF, "首次信访件", "First petition", 0, 0, F_READONLY, .ref = "petitions"},
    {"repeat_of_no", FT_TEXT, "首次信访编号", "First petition number", 0, 0, F_EXPORT | F_READONLY,
     .sql = "rp.petition_no"},
    {"repeat_count", FT_INT, "此前信访次数", "Earlier petitions", 0, 0, F_EXPORT | F_READONLY},
    {"earlier", FT_JSON, "此前信访件", "Earlier petitions", 0, 0, F_VIRTUAL | F_READONLY},
    {"created_at", FT_DATETIME, "创建时间", "Created", 0, 0, F_SORT | F_READONLY},
    {"updated_at", FT_DATETIME, "更新时间", "Updated", 0, 0, F_READONLY},
    {"version", FT_INT, "版本", "Version", 0, 0, F_READONLY},
};

/* Metrics of the register (the clock gives on time, overdue and days: features/metrics). */
static const struct entity_metric metrics[] = {
    {"backlog", "积案数", "Backlog cases", METRIC_COUNT, "e.backlog = 1", NULL, NULL,
     "列为积案（含已销号）的信访件数", "Petitions marked as backlog (cleared included)"},
    {"backlog_cleared", "积案化解率", "Backlog cleared", METRIC_RATE,
     "e.backlog = 1 AND e.backlog_state = 'cleared'", "e.backlog = 1", NULL, "已销号积案 / 积案数",
     "Cleared backlog cases / backlog cases"},
    {"repeat", "重复信访率", "Repeat petitions", METRIC_RATE, "e.repeat_of IS NOT NULL", NULL, NULL,
     "同一信访人就同一类别事项再次信访的件数 / 信访件数",
     "Petitions by the same person on the same matter as an earlier one / petitions"},
    {"review", "复查率", "Review rate", METRIC_RATE, "e.review_requested_on IS NOT NULL",
     "e.replied_on IS NOT NULL", NULL, "申请复查件数 / 已答复件数",
     "Reviews requested / petitions replied"},
    {"unsupported", "不予支持占比", "Not supported", METRIC_RATE, "e.outcome = 'unsupported'",
     "e.replied_on IS NOT NULL", NULL, "处理意见为不予支持的件数 / 已答复件数",
     "Replies not supporting the request / petitions replied"},
};

static const struct entity_child children[] = {
    {"petition_progress", "petition_id"},
};

static const char *const import_example[] = {
    "2026-03-02", "走访", "劳动和社会保障", "反映某公司拖欠工资三个月，请求协调支付。", "城关街道"};

/* What its pages read (kept per caller, request and day: entity cache_deps): the register's
 * tables, parties and clocks ("cases"), unit names, accounts and scope, settings and the
 * calendar, dictionary labels. */
static const char *const petition_page_deps[] = {"petition", "cases", "org", "auth",
                                                 "settings", "dict",  NULL};

static const struct entity_number entity_petitions_number = {"petition_no", "XF"};

const struct entity entity_petitions = {
    .name = "petitions",
    .path = "/api/v1/petitions",
    .zh = "信访件",
    .en = "Petitions",
    .table = "petitions",
    .alias = "e",
    .from = "petitions e LEFT JOIN units hu ON hu.id = e.handling_unit_id "
            "LEFT JOIN users bl ON bl.id = e.backlog_leader_id "
            "LEFT JOIN petitions rp ON rp.id = e.repeat_of",
    .fields = fields,
    .n_fields = ENTITY_N(fields),
    /* a unit reads the petitions routed to it; the office (scope all) reads every one,
     * including those not yet routed */
    .scope = {.unit_column = "e.handling_unit_id"},
    .filters = filters,
    .n_filters = ENTITY_N(filters),
    .default_sort = "-received_on",
    .perm_read = &perm_petition_view,
    .perm_create = &perm_petition_manage,
    .perm_update = &perm_petition_manage,
    .audit_type = "petition",
    .export_name = "petitions",
    .export_sheet = "信访件",
    .kind = &petition_kind,
    .validate = pt_validate,
    .create = pt_create,
    .created = pt_created,
    .update = pt_update,
    .decorate = pt_decorate,
    .import_example = import_example,
    .parties = &petition_parties,
    .metrics = metrics,
    .n_metrics = ENTITY_N(metrics),
    .metric_date = "e.received_on",
    .children = children,
    .n_children = ENTITY_N(children),
    .cache_deps = petition_page_deps,
    .number = &entity_petitions_number,
};

/* ---- 积案 monthly progress (a child of the petition) ---- */

static int month_valid(const char *m) {
    char day[16];
    int32_t d;
    if (!m || strlen(m) != 7) return 0;
    snprintf(day, sizeof day, "%s-01", m);
    return date_parse(day, &d) == 0;
}

static int pg_validate(struct entity_write *w) {
    const char *month = json_string_value(json_object_get(w->in, "month"));
    if (month && !month_valid(month))
        problem_add(w->pr, "month", "月份格式为 YYYY-MM", "A month as YYYY-MM");
    json_t *pid = json_object_get(w->in, "petition_id");
    if (!pid) return DB_OK;
    /* the petition must be one the caller reads, and a backlog case */
    struct entity_ctx pc;
    int rc = entity_ctx_init(&pc, w->c->db, w->c->arena, &entity_petitions, w->c->who, w->c->lang,
                             EP_GET);
    if (rc != DB_OK) return rc;
    json_t *p = entity_get(&pc, (int64_t)json_integer_value(pid), &rc);
    if (!p) {
        if (rc != DB_DONE) return rc;
        problem_add(w->pr, "petition_id", "找不到该信访件", "No such petition");
        return DB_OK;
    }
    if (!json_is_true(json_object_get(p, "backlog")))
        problem_add(w->pr, "petition_id", "只有积案填报月度化解进展",
                    "Monthly progress is kept for backlog cases only");
    json_decref(p);
    if (month && month_valid(month)) {
        int64_t n = 0;
        if (db_query_int(w->c->db, &n,
                         "SELECT COUNT(*) FROM petition_progress WHERE petition_id = ? AND month "
                         "= ?",
                         "is", (int64_t)json_integer_value(pid), month) != DB_ROW)
            return DB_ERROR;
        if (n) problem_add(w->pr, "month", "该月进展已填报", "This month's progress is recorded");
    }
    return DB_OK;
}

static int pg_create(struct entity_write *w) {
    char now[21];
    now_iso(now);
    struct db_stmt *st = db_prepare(w->c->db, "INSERT INTO petition_progress (petition_id, month, "
                                              "progress, author_id, created_at, updated_at, "
                                              "version) VALUES (?, ?, ?, ?, ?, ?, 1) RETURNING id");
    if (!st) return DB_ERROR;
    db_bind_id(st, 1, json_integer_value(json_object_get(w->in, "petition_id")));
    db_bind_text(st, 2, entity_text(w->in, "month"));
    db_bind_text(st, 3, entity_text(w->in, "progress"));
    db_bind_id(st, 4, w->actor->user_id);
    db_bind_text(st, 5, now);
    db_bind_text(st, 6, now);
    int rc = db_step(st);
    if (rc == DB_ROW) w->id = db_col_int(st, 0);
    db_done(st);
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERROR;
    return audit_append(
        w->c->db, w->actor, "petition_progress.create", "petition_progress",
        arena_printf(w->c->arena, "%lld", (long long)w->id), "ok",
        arena_printf(w->c->arena, "{\"petition_id\":%lld,\"month\":\"%s\"}",
                     (long long)json_integer_value(json_object_get(w->in, "petition_id")),
                     entity_text(w->in, "month")));
}

static const struct field progress_fields[] = {
    {"id", FT_INT, "序号", "ID", 0, 0, F_READONLY},
    {"petition_id", FT_REF, "信访件", "Petition", 0, 0, F_REQUIRED | F_FILTER | F_CREATE,
     .ref = "petitions"},
    {"petition_no", FT_TEXT, "信访编号", "Number", 0, 0, F_LIST | F_EXPORT | F_READONLY,
     .sql = "p.petition_no"},
    {"handling_unit_id", FT_UNIT, "办理单位", "Handling unit", 0, 0, F_READONLY,
     .sql = "p.handling_unit_id"},
    {"month", FT_TEXT, "月份", "Month", 7, 7, F_REQUIRED | F_LIST | F_SORT | F_EXPORT | F_CREATE,
     .hint = "YYYY-MM"},
    {"progress", FT_LONGTEXT, "化解进展", "Progress", 1, 2000,
     F_REQUIRED | F_LIST | F_SEARCH | F_EXPORT | F_CREATE},
    {"author_id", FT_USER, "填报人", "By", 0, 0, F_READONLY},
    {"author_name", FT_TEXT, "填报人", "By", 0, 0, F_LIST | F_EXPORT | F_READONLY,
     .sql = "au.display_name"},
    {"created_at", FT_DATETIME, "填报时间", "Recorded", 0, 0, F_LIST | F_SORT | F_READONLY},
    {"version", FT_INT, "版本", "Version", 0, 0, F_READONLY},
};

const struct entity entity_petition_progress = {
    .name = "petition_progress",
    .path = "/api/v1/petition-progress",
    .zh = "积案化解进展",
    .en = "Backlog progress",
    .table = "petition_progress",
    .alias = "g",
    .from = "petition_progress g JOIN petitions p ON p.id = g.petition_id "
            "LEFT JOIN users au ON au.id = g.author_id",
    .filter_from = "petition_progress g JOIN petitions p ON p.id = g.petition_id",
    .fields = progress_fields,
    .n_fields = ENTITY_N(progress_fields),
    /* the petition's unit (and the office) reads its progress */
    .scope = {.unit_column = "p.handling_unit_id"},
    .default_sort = "-month",
    .perm_read = &perm_petition_view,
    .perm_create = &perm_petition_work,
    .audit_type = "petition_progress",
    .export_name = "petition-progress",
    .export_sheet = "积案化解进展",
    .validate = pg_validate,
    .create = pg_create,
    .cache_deps = petition_page_deps,
};
