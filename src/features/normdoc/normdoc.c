/* normdoc.c — 规范性文件, 涉法政策 and 合同: the kinds (normdoc, contract) over one table with the
 * review steps declared once, and the entities (normdocs, contracts, normdoc_reviews). Routes,
 * list pages, forms, buttons and exports come from these declarations (features/entity,
 * features/flow); the module is normdoc_module.c.
 *
 * Periods: 合法性审核 15 工作日 from submission (国办发〔2018〕115号 关于全面推行行政规范性文件
 * 合法性审核机制的指导意见: 审核时间一般不少于5个工作日，最长不超过15个工作日; a setting,
 * extended once with a reason); 备案 30 日 from publication (国办发〔2018〕37号 关于加强行政规范性
 * 文件制定和监督管理工作的通知; 法规规章备案条例 第三条: 公布之日起30日内); 备案审查 30 日 from
 * filing, +20 日 once (a setting, 本地规则); 纠错通知 answered within 30 日, otherwise 撤销
 * (法规规章备案条例 第十四条 and local filing rules). A document's validity (有效期, e.g. 5 years,
 * a setting) is re-examined by 清理 (继续有效 / 修改 / 废止). */
#include <stdio.h>
#include <string.h>

#include "base/calendar.h"
#include "base/timeutil.h"
#include "features/normdoc/normdoc.h"
#include "store/settings.h"

/* Declarations leave trailing fields out: 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#define N(a) (int)(sizeof(a) / sizeof((a)[0]))

const struct entity_versions normdoc_versions = {"normdoc", "草案", "Draft", 50000};

/* ---- codes ---- */

enum { CAT_NORMATIVE, CAT_POLICY, CAT_CONTRACT, CATEGORIES };
static const struct field_option categories[CATEGORIES] = {
    [CAT_NORMATIVE] = {"normative", "规范性文件", "Normative document", "primary"},
    [CAT_POLICY] = {"policy", "涉法政策", "Law-related policy", "warning"},
    [CAT_CONTRACT] = {"contract", "合同", "Contract", "info"},
};

enum { OP_LAWFUL, OP_LAWFUL_IF_REVISED, OP_UNLAWFUL, OPINIONS };
static const struct field_option opinions[OPINIONS] = {
    [OP_LAWFUL] = {"lawful", "合法", "Lawful", "success"},
    [OP_LAWFUL_IF_REVISED] = {"lawful_if_revised", "修改后合法", "Lawful once revised", "warning"},
    [OP_UNLAWFUL] = {"unlawful", "不合法", "Unlawful", "danger"},
};

static const struct field_option filing_results[] = {
    {"passed", "审查通过", "Passed", "success"},
    {"correction", "纠错通知", "Correction notice", "danger"},
};
static const struct field_option correct_answers[] = {
    {"amended", "已自行修改", "Amended by the maker", "success"},
    {"abolished", "已自行废止", "Abolished by the maker", "info"},
};
enum { CL_KEEP, CL_AMEND, CL_ABOLISH };
static const struct field_option cleanup_decisions[] = {
    [CL_KEEP] = {"keep", "继续有效", "Remains in force", "success"},
    [CL_AMEND] = {"amend", "修改", "To be amended", "warning"},
    [CL_ABOLISH] = {"abolish", "废止", "Abolished", "danger"},
};

/* States: a contract's are the first seven (it is signed, not filed). */
enum {
    NS_DRAFTING,
    NS_SUBMITTED,
    NS_REVIEWING,
    NS_REVISING,
    NS_PASSED,
    NS_ISSUED,
    NS_WITHDRAWN,
    CONTRACT_STATES,
    NS_FILED = CONTRACT_STATES,
    NS_CORRECTING,
    NS_IN_FORCE,
    NS_TO_AMEND,
    NS_REVOKED,
    NS_ABOLISHED,
    NS_STATES
};

/* One list drives the kinds' states and the status fields' options (the same order). */
#define REVIEW_STATES(X, issued_zh, issued_en, issued_final)                                       \
    X(NS_DRAFTING, "drafting", "起草中", "Drafting", 0, "info")                                    \
    X(NS_SUBMITTED, "submitted", "待分配审核", "Submitted", 0, "warning")                          \
    X(NS_REVIEWING, "reviewing", "审核中", "Under review", 0, "primary")                           \
    X(NS_REVISING, "revising", "修改重报", "To be revised", 0, "danger")                           \
    X(NS_PASSED, "passed", "审核通过", "Review passed", 0, "success")                              \
    X(NS_ISSUED, "issued", issued_zh, issued_en, issued_final, "success")                          \
    X(NS_WITHDRAWN, "withdrawn", "已撤回", "Withdrawn", 1, "info")
#define FILING_STATES(X)                                                                           \
    X(NS_FILED, "filed", "备案审查中", "Filed, under filing review", 0, "primary")                 \
    X(NS_CORRECTING, "correcting", "纠错中", "Correction notice", 0, "danger")                     \
    X(NS_IN_FORCE, "in_force", "现行有效", "In force", 0, "success")                               \
    X(NS_TO_AMEND, "to_amend", "拟修改", "To be amended", 0, "warning")                            \
    X(NS_REVOKED, "revoked", "已撤销", "Revoked", 1, "danger")                                     \
    X(NS_ABOLISHED, "abolished", "已废止", "Abolished", 1, "info")
#define AS_STATE(i, code, zh, en, final, tag)  [i] = {code, zh, en, final, tag},
#define AS_OPTION(i, code, zh, en, final, tag) [i] = {code, zh, en, tag},

static const struct flow_state states[NS_STATES] = {REVIEW_STATES(AS_STATE, "已公布", "Issued", 0)
                                                        FILING_STATES(AS_STATE)};
static const struct flow_state contract_states[CONTRACT_STATES] = {
    REVIEW_STATES(AS_STATE, "已签订", "Signed", 1)};
static const struct field_option status_options[NS_STATES] = {
    REVIEW_STATES(AS_OPTION, "已公布", "Issued", 0) FILING_STATES(AS_OPTION)};
static const struct field_option contract_status_options[CONTRACT_STATES] = {
    REVIEW_STATES(AS_OPTION, "已签订", "Signed", 1)};

/* ---- clocks: the review's is first (the standard metrics); a contract has only it ---- */

static const struct flow_clock_def clocks[] = {
    {"review", "审核期限", "Review period", 15, CLOCK_WORKDAYS, "normdoc.review_days", "报送审核",
     "submitted for review", 3, 10},
    {"file", "报送备案期限", "Filing period", 30, CLOCK_DAYS, NULL, "公布", "published", 5, 0},
    {"filing_review", "备案审查期限", "Filing review period", 30, CLOCK_DAYS, NULL, "报送备案",
     "filed", 5, 0, NULL, "normdoc.filing_review_extend_days"},
    {"correct", "纠错答复期限", "Correction period", 30, CLOCK_DAYS, NULL, "纠错通知",
     "correction notice", 5, 0},
};

/* ---- the kinds' context ---- */

struct nd_ctx {
    struct flow_ctx base;
    int category;             /* CAT_* */
    int64_t unit_id;          /* 起草单位 / 承办单位 */
    int64_t reviewer_id;      /* 审核人员 (0: none yet) */
    int opinion;              /* OP_*, -1 none */
    int64_t reviewed_version; /* the draft version the last opinion saw */
    int64_t latest_version;   /* the newest draft version */
    int64_t review_round;     /* 1 at the first submission */
    int review_extended;      /* the review period was extended this round */
    int filing_extended;      /* the filing review period was extended */
    int32_t submitted, first_submitted, issued, filed, opinion_on;
    int32_t correct_due; /* the correction clock's due day (0: none) */
    char reg_no[32];
};
#define ND(c) ((struct nd_ctx *)(c))

static int option_index(const struct field_option *o, int n, const char *code) {
    for (int i = 0; code && i < n; i++)
        if (!strcmp(o[i].code, code)) return i;
    return -1;
}

static int32_t day_of(const char *s) {
    int32_t d = 0;
    return s && *s && date_parse(s, &d) == 0 ? d : 0;
}

static int load(struct flow_ctx *fc) {
    struct nd_ctx *c = ND(fc);
    struct db_stmt *st = db_queryv(
        fc->db,
        "SELECT status, category, unit_id, COALESCE(reviewer_id, 0), COALESCE(opinion, ''), "
        "COALESCE(reviewed_version, 0), review_round, review_extended, filing_extended, "
        "COALESCE(submitted_on, ''), COALESCE(first_submitted_on, ''), COALESCE(issued_on, ''), "
        "COALESCE(filed_on, ''), COALESCE(opinion_on, ''), COALESCE(reg_no, ''), "
        "(SELECT COALESCE(MAX(v.number), 0) FROM record_versions v WHERE v.kind = 'normdoc' "
        "AND v.record_id = n.id), (SELECT rc.due_on FROM record_clocks rc WHERE rc.kind = "
        "'normdoc' AND rc.record_id = n.id AND rc.clock = 'correct') "
        "FROM normdocs n WHERE id = ?",
        "i", fc->id);
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW) {
        fc->status = flow_state_index(fc->kind, db_col_text(st, 0));
        c->category = option_index(categories, CATEGORIES, db_col_text(st, 1));
        c->unit_id = db_col_int(st, 2);
        c->reviewer_id = db_col_int(st, 3);
        c->opinion = option_index(opinions, OPINIONS, db_col_text(st, 4));
        c->reviewed_version = db_col_int(st, 5);
        c->review_round = db_col_int(st, 6);
        c->review_extended = (int)db_col_int(st, 7);
        c->filing_extended = (int)db_col_int(st, 8);
        c->submitted = day_of(db_col_text(st, 9));
        c->first_submitted = day_of(db_col_text(st, 10));
        c->issued = day_of(db_col_text(st, 11));
        c->filed = day_of(db_col_text(st, 12));
        c->opinion_on = day_of(db_col_text(st, 13));
        snprintf(c->reg_no, sizeof c->reg_no, "%s", db_col_text(st, 14));
        c->latest_version = db_col_int(st, 15);
        c->correct_due = day_of(db_col_text(st, 16));
        fc->title = c->reg_no;
    }
    db_done(st);
    return rc;
}

/* ---- relations and parties ---- */

static int r_drafting(const struct flow_ctx *c) { /* the actor works in the drafting unit */
    const struct principal *p = c->actor ? c->actor->who : NULL;
    return p && p->unit_id == ND(c)->unit_id;
}
static int r_reviewer(const struct flow_ctx *c) { /* the actor is the assigned reviewer */
    const struct principal *p = c->actor ? c->actor->who : NULL;
    return p && ND(c)->reviewer_id && p->user_id == ND(c)->reviewer_id;
}
static const struct flow_relation relations[] = {
    {"drafting_unit", "起草单位", "Drafting unit", r_drafting},
    {"reviewer", "审核人员", "Reviewer", r_reviewer},
};

static int p_drafting(const struct flow_ctx *c, struct flow_recipients *out) {
    out->units[out->n_units++] = ND(c)->unit_id;
    return DB_OK;
}
static int p_reviewer(const struct flow_ctx *c, struct flow_recipients *out) {
    if (ND(c)->reviewer_id) out->users[out->n_users++] = ND(c)->reviewer_id;
    return DB_OK;
}
static const struct flow_party parties[] = {
    {"drafting_unit", "起草单位", "Drafting unit", p_drafting},
    {"reviewer", "审核人员", "Reviewer", p_reviewer},
    {"office", "审核机构", "Reviewing office", NULL, &perm_normdoc_manage},
};

/* ---- guards ---- */

static int g_has_draft(const struct flow_ctx *c) {
    return ND(c)->latest_version > 0;
}
static int g_new_version(const struct flow_ctx *c) {
    return ND(c)->latest_version > ND(c)->reviewed_version;
}
static int g_review_not_extended(const struct flow_ctx *c) {
    return !ND(c)->review_extended;
}
static int g_filing_not_extended(const struct flow_ctx *c) {
    return !ND(c)->filing_extended;
}
/* 修改后合法: issued only once the draft was revised after the opinion */
static int g_revised_if_asked(const struct flow_ctx *c) {
    return ND(c)->opinion != OP_LAWFUL_IF_REVISED || g_new_version(c);
}
/* a passed draft is revised only when the opinion asked for it */
static int g_revisable(const struct flow_ctx *c) {
    return c->status != NS_PASSED || ND(c)->opinion == OP_LAWFUL_IF_REVISED;
}
static int g_normative(const struct flow_ctx *c) {
    return ND(c)->category == CAT_NORMATIVE;
}
static int g_correction_over(const struct flow_ctx *c) {
    return ND(c)->correct_due && c->today > ND(c)->correct_due;
}

static const struct flow_guard guards_submit[] = {
    {g_has_draft, "尚无草案文本：请先提交草案", "There is no draft text yet: add the draft first"},
};
static const struct flow_guard guards_resubmit[] = {
    {g_new_version, "重新报送的须是修改后的新版本草案：请先修改草案",
     "A resubmission must be a new draft version: revise the draft first"},
};
static const struct flow_guard guards_extend_review[] = {
    {g_review_not_extended, "本轮审核期限已延长过一次，不能再延长",
     "The review period of this round was already extended once"},
};
static const struct flow_guard guards_issue[] = {
    {g_revised_if_asked, "审核意见为“修改后合法”：须先按审核意见修改草案（形成新版本）后方可公布",
     "The opinion was \"lawful once revised\": revise the draft (a new version) before issuing"},
};
static const struct flow_guard guards_revise[] = {
    {g_revisable, "审核意见为“合法”的草案不再修改；如需修改，请撤回后重新起草报送",
     "A draft found lawful is not revised; withdraw it and submit a new one to change it"},
};
static const struct flow_guard guards_file[] = {
    {g_normative, "涉法政策文件不属于规范性文件，不报送备案",
     "A law-related policy that is not a normative document is not filed"},
};
static const struct flow_guard guards_extend_filing[] = {
    {g_filing_not_extended, "备案审查期限只能延长一次",
     "The filing review period may be extended only once"},
};
static const struct flow_guard guards_revoke[] = {
    {g_correction_over, "纠错通知的三十日答复期限尚未届满，不能撤销",
     "The 30 days to answer the correction notice have not run out: it cannot be revoked yet"},
};

/* ---- effects ---- */

static const char *dtext(struct flow_ctx *c, int32_t day) {
    char *d = arena_alloc(c->a, 11);
    date_format(day, d);
    return d;
}

static int ok_or_db(int rc) {
    return rc == DB_OK ? FLOW_OK : FLOW_DB;
}

static int fx_submit(struct flow_ctx *c) {
    int32_t day = flow_arg_day(c, "submitted_on", 0, NULL, NULL);
    if (!day) return FLOW_INVALID;
    const char *d = dtext(c, day);
    json_object_set_new(c->detail, "version", json_integer(ND(c)->latest_version));
    return ok_or_db(db_exec(c->db,
                            "UPDATE normdocs SET submitted_on = ?, first_submitted_on = "
                            "COALESCE(first_submitted_on, ?), review_round = review_round + 1, "
                            "review_extended = 0, opinion = NULL, opinion_reasons = '', "
                            "opinion_on = NULL WHERE id = ?",
                            "ssi", d, d, c->id));
}

/* 分配审核人员: an active account holding normdoc.review, never of the drafting unit (回避:
 * 起草单位的人员不得审核本单位起草的文件). A reassignment within the round replaces the reviewer
 * of the round's review row. */
static int fx_assign(struct flow_ctx *c) {
    int64_t reviewer = flow_arg_int(c, "reviewer_id", 0);
    struct db_stmt *st = db_queryv(
        c->db,
        "SELECT u.unit_id, un.name, u.display_name, (SELECT COUNT(*) FROM role_permissions rp "
        "WHERE rp.role_id = u.role_id AND rp.permission = 'normdoc.review') "
        "FROM users u JOIN units un ON un.id = u.unit_id WHERE u.id = ? AND u.locked = 0",
        "i", reviewer);
    int rc = st ? db_step(st) : DB_ERROR;
    int64_t unit = 0, may_review = 0;
    const char *unit_name = "", *name = "";
    if (rc == DB_ROW) {
        unit = db_col_int(st, 0);
        unit_name = arena_strdup(c->a, db_col_text(st, 1));
        name = arena_strdup(c->a, db_col_text(st, 2));
        may_review = db_col_int(st, 3);
    }
    db_done(st);
    if (rc < 0) return FLOW_DB;
    if (rc != DB_ROW || !may_review) {
        flow_problem(c, "reviewer_id", "须是持有合法性审核权限的在用账号",
                     "Must be an active account allowed to review");
        return FLOW_INVALID;
    }
    if (unit == ND(c)->unit_id) {
        flow_problem(c, "reviewer_id",
                     arena_printf(c->a,
                                  "回避：%s属于起草单位（%s），不得审核本单位起草的文件，"
                                  "请另行指定审核人员",
                                  name, unit_name),
                     arena_printf(c->a,
                                  "Recusal: %s belongs to the drafting unit (%s) and may not "
                                  "review its own unit's draft; assign another reviewer",
                                  name, unit_name));
        return FLOW_INVALID;
    }
    json_object_set_new(c->detail, "reviewer", json_string(name));
    char now[21];
    now_iso(now);
    rc = db_exec(c->db, "UPDATE normdocs SET reviewer_id = ? WHERE id = ?", "ii", reviewer, c->id);
    if (rc == DB_OK && c->status == NS_REVIEWING)
        rc = db_exec(c->db,
                     "UPDATE normdoc_reviews SET reviewer_id = ? WHERE normdoc_id = ? AND "
                     "round = ? AND opinion IS NULL",
                     "iii", reviewer, c->id, ND(c)->review_round);
    else if (rc == DB_OK)
        rc = db_exec(c->db,
                     "INSERT INTO normdoc_reviews (normdoc_id, round, unit_id, reviewer_id, "
                     "version_no, submitted_on, reasons, created_at) VALUES (?, ?, ?, ?, ?, ?, "
                     "'', ?)",
                     "iiiiiss", c->id, ND(c)->review_round, ND(c)->unit_id, reviewer,
                     ND(c)->latest_version, dtext(c, ND(c)->submitted), now);
    return ok_or_db(rc);
}

static int fx_extend_review(struct flow_ctx *c) {
    json_object_set_new(c->detail, "days", json_integer(flow_arg_int(c, "days", 10)));
    return ok_or_db(
        db_exec(c->db, "UPDATE normdocs SET review_extended = 1 WHERE id = ?", "i", c->id));
}

/* 审核意见 on the version under review: 合法 and 修改后合法 pass (the latter is issued only once
 * revised), 不合法 sends it back for revision. The review row keeps the version it saw. */
static int fx_opinion(struct flow_ctx *c) {
    int32_t day = flow_arg_day(c, "opinion_on", ND(c)->submitted, "不能早于报送审核日期",
                               "Cannot be before the submission");
    if (!day) return FLOW_INVALID;
    int op = option_index(opinions, OPINIONS, flow_arg_text(c, "opinion"));
    int pass = op == OP_LAWFUL || op == OP_LAWFUL_IF_REVISED;
    c->new_status = pass ? NS_PASSED : NS_REVISING;
    const char *d = dtext(c, day);
    int64_t days = ND(c)->first_submitted ? day - ND(c)->first_submitted : 0;
    json_object_set_new(c->detail, "opinion", json_string(opinions[op].code));
    json_object_set_new(c->detail, "version", json_integer(ND(c)->latest_version));
    int rc = db_exec(
        c->db,
        "UPDATE normdocs SET opinion = ?, opinion_reasons = ?, opinion_on = ?, "
        "reviewed_version = ?, reviewed = ?, review_days = CASE WHEN ? = 1 THEN CAST(? AS BIGINT) "
        "END WHERE id = ?",
        "sssiiiii", opinions[op].code, c->note, d, ND(c)->latest_version, (int64_t)pass,
        (int64_t)pass, days, c->id);
    if (rc == DB_OK)
        rc = db_exec(c->db,
                     "UPDATE normdoc_reviews SET opinion = ?, reasons = ?, opinion_on = ?, "
                     "version_no = ? WHERE normdoc_id = ? AND round = ? AND opinion IS NULL",
                     "sssiii", opinions[op].code, c->note, d, ND(c)->latest_version, c->id,
                     ND(c)->review_round);
    return ok_or_db(rc);
}

/* 修改草案: a new version of the draft text (the old ones stay as they were). */
static int fx_revise(struct flow_ctx *c) {
    int64_t n = 0;
    const char *body = flow_arg_text(c, "body");
    if (entity_version_add(c->db, &normdoc_versions, c->id, ND(c)->reg_no, body ? body : "",
                           c->note, c->actor->audit->user_id, &n) != DB_OK)
        return FLOW_DB;
    json_object_set_new(c->detail, "version", json_integer(n));
    return FLOW_OK;
}

/* 重新报送: a new round with the same reviewer, the review period counted again. */
static int fx_resubmit(struct flow_ctx *c) {
    int32_t day = c->today;
    const char *d = dtext(c, day);
    char now[21];
    now_iso(now);
    json_object_set_new(c->detail, "version", json_integer(ND(c)->latest_version));
    int rc = db_exec(c->db,
                     "UPDATE normdocs SET submitted_on = ?, review_round = review_round + 1, "
                     "review_extended = 0, opinion = NULL, opinion_reasons = '', "
                     "opinion_on = NULL WHERE id = ?",
                     "si", d, c->id);
    if (rc == DB_OK)
        rc = db_exec(c->db,
                     "INSERT INTO normdoc_reviews (normdoc_id, round, unit_id, reviewer_id, "
                     "version_no, submitted_on, reasons, created_at) VALUES (?, ?, ?, ?, ?, ?, "
                     "'', ?)",
                     "iiiiiss", c->id, ND(c)->review_round + 1, ND(c)->unit_id, ND(c)->reviewer_id,
                     ND(c)->latest_version, d, now);
    return ok_or_db(rc);
}

/* The end of a validity of `years` from `day` (the same day of the month, clamped). */
static int32_t years_after(int32_t day, int64_t years) {
    char d[11];
    date_format(day, d);
    return date_add_months(day, (int)(12 * years), (d[8] - '0') * 10 + (d[9] - '0')) - 1;
}

/* 公布 (规范性文件: with its 文号; the 备案 period starts) / 签订 (合同). */
static int fx_issue(struct flow_ctx *c) {
    int32_t day = flow_arg_day(c, "issued_on", ND(c)->opinion_on, "不能早于审核意见日期",
                               "Cannot be before the review opinion");
    if (!day) return FLOW_INVALID;
    const char *number = flow_arg_text(c, "doc_number");
    json_object_set_new(c->detail, "doc_number", json_string(number ? number : ""));
    int rc;
    if (ND(c)->category == CAT_CONTRACT)
        rc = db_exec(c->db, "UPDATE normdocs SET doc_number = ?, issued_on = ? WHERE id = ?", "ssi",
                     number, dtext(c, day), c->id);
    else
        rc = db_exec(c->db,
                     "UPDATE normdocs SET doc_number = ?, issued_on = ?, valid_until = ? WHERE "
                     "id = ?",
                     "sssi", number, dtext(c, day),
                     dtext(c, years_after(day, setting_int(c->db, "normdoc.validity_years"))),
                     c->id);
    if (rc != DB_OK) return FLOW_DB;
    if (ND(c)->category == CAT_NORMATIVE &&
        flow_clock_start(c->db, c->a, &normdoc_kind, c->id, "file", day) != FLOW_OK)
        return FLOW_DB;
    return FLOW_OK;
}

static int fx_file(struct flow_ctx *c) {
    int32_t day = flow_arg_day(c, "filed_on", ND(c)->issued, "不能早于公布日期",
                               "Cannot be before publication");
    if (!day) return FLOW_INVALID;
    return ok_or_db(db_exec(c->db, "UPDATE normdocs SET filed_on = ? WHERE id = ?", "si",
                            dtext(c, day), c->id));
}

static int fx_extend_filing(struct flow_ctx *c) {
    return ok_or_db(
        db_exec(c->db, "UPDATE normdocs SET filing_extended = 1 WHERE id = ?", "i", c->id));
}

static int fx_pass_filing(struct flow_ctx *c) {
    int32_t day = flow_arg_day(c, "reviewed_on", ND(c)->filed, "不能早于备案日期",
                               "Cannot be before the filing");
    if (!day) return FLOW_INVALID;
    return ok_or_db(db_exec(c->db,
                            "UPDATE normdocs SET filing_result = 'passed', filing_reviewed_on = ? "
                            "WHERE id = ?",
                            "si", dtext(c, day), c->id));
}
static int fx_correction_notice(struct flow_ctx *c) {
    int32_t day = flow_arg_day(c, "noticed_on", ND(c)->filed, "不能早于备案日期",
                               "Cannot be before the filing");
    if (!day) return FLOW_INVALID;
    const char *d = dtext(c, day);
    return ok_or_db(db_exec(c->db,
                            "UPDATE normdocs SET filing_result = 'correction', "
                            "filing_reviewed_on = ?, correction_on = ? WHERE id = ?",
                            "ssi", d, d, c->id));
}

static int fx_correct(struct flow_ctx *c) {
    int32_t day = flow_arg_day(c, "corrected_on", ND(c)->filed, "不能早于备案日期",
                               "Cannot be before the filing");
    if (!day) return FLOW_INVALID;
    const char *answer = flow_arg_text(c, "answer");
    c->new_status = answer && !strcmp(answer, "abolished") ? NS_ABOLISHED : NS_IN_FORCE;
    json_object_set_new(c->detail, "answer", json_string(answer ? answer : ""));
    return ok_or_db(db_exec(c->db, "UPDATE normdocs SET corrected_on = ? WHERE id = ?", "si",
                            dtext(c, day), c->id));
}

static int fx_revoke(struct flow_ctx *c) {
    int32_t day = flow_arg_day(c, "revoked_on", 0, NULL, NULL);
    if (!day) return FLOW_INVALID;
    return ok_or_db(db_exec(c->db, "UPDATE normdocs SET revoked_on = ? WHERE id = ?", "si",
                            dtext(c, day), c->id));
}

/* 清理: 继续有效 (a new validity end: given, else the setting's years from today), 修改 (拟修改,
 * still in force until amended), 废止. A document not filed (涉法政策, or not yet filed) keeps
 * its state when it stays in force. */
static int fx_cleanup(struct flow_ctx *c) {
    int d = option_index(cleanup_decisions, N(cleanup_decisions), flow_arg_text(c, "decision"));
    const char *until = flow_arg_text(c, "valid_until");
    int32_t u = day_of(until);
    if (d == CL_KEEP && until && u <= c->today) {
        flow_problem(c, "valid_until", "继续有效的，新的有效期须晚于今天",
                     "A document kept in force needs a validity end after today");
        return FLOW_INVALID;
    }
    if (d == CL_KEEP && !u) u = years_after(c->today, setting_int(c->db, "normdoc.validity_years"));
    c->new_status = d == CL_ABOLISH          ? NS_ABOLISHED
                    : d == CL_AMEND          ? NS_TO_AMEND
                    : c->status == NS_ISSUED ? NS_ISSUED
                                             : NS_IN_FORCE;
    json_object_set_new(c->detail, "decision", json_string(cleanup_decisions[d].code));
    int rc = db_exec(c->db,
                     "UPDATE normdocs SET cleanup_decision = ?, cleanup_on = ?, cleanup_note = ? "
                     "WHERE id = ?",
                     "sssi", cleanup_decisions[d].code, dtext(c, c->today), c->note, c->id);
    if (rc == DB_OK && d == CL_KEEP)
        rc = db_exec(c->db, "UPDATE normdocs SET valid_until = ? WHERE id = ?", "si", dtext(c, u),
                     c->id);
    return ok_or_db(rc);
}

/* ---- arguments ---- */

static const struct field args_submit[] = {
    {"submitted_on", FT_DATE, "报送日期（默认今天）", "Submitted (default today)", 0, 0, 0},
};
static const struct field args_assign[] = {
    {"reviewer_id", FT_USER, "审核人员", "Reviewer", 1, FIELD_ID_MAX, F_REQUIRED,
     .hint = "回避：不得指定起草单位的人员"},
};
static const struct field args_extend_review[] = {
    {"days", FT_INT, "延长工作日数", "Working days added", 1, 15, 0,
     .hint = "默认 10 个工作日；须在说明中写明延长理由"},
};
static const struct field args_opinion[] = {
    {"opinion", FT_ENUM, "审核意见", "Opinion", 0, 0, F_REQUIRED, opinions, OPINIONS},
    {"opinion_on", FT_DATE, "出具日期（默认今天）", "Date (default today)", 0, 0, 0},
};
static const struct field args_revise[] = {
    {"body", FT_LONGTEXT, "修改后的草案文本", "Revised draft text", 1, 50000, F_REQUIRED},
};
static const struct field args_issue[] = {
    {"doc_number", FT_TEXT, "文号", "Document number", 1, 60, F_REQUIRED,
     .hint = "如 城府规〔2026〕3号"},
    {"issued_on", FT_DATE, "公布日期（默认今天）", "Published (default today)", 0, 0, 0},
};
static const struct field args_sign[] = {
    {"doc_number", FT_TEXT, "合同编号", "Contract number", 1, 60, F_REQUIRED},
    {"issued_on", FT_DATE, "签订日期（默认今天）", "Signed (default today)", 0, 0, 0},
};
static const struct field args_file[] = {
    {"filed_on", FT_DATE, "报送备案日期（默认今天）", "Filed (default today)", 0, 0, 0,
     .hint = "公布之日起三十日内报送备案，逾期的记为逾期报备"},
};
static const struct field args_pass_filing[] = {
    {"reviewed_on", FT_DATE, "审查日期（默认今天）", "Reviewed (default today)", 0, 0, 0},
};
static const struct field args_correction[] = {
    {"noticed_on", FT_DATE, "纠错通知日期（默认今天）", "Notice date (default today)", 0, 0, 0},
};
static const struct field args_correct[] = {
    {"answer", FT_ENUM, "纠正方式", "Correction", 0, 0, F_REQUIRED, correct_answers,
     N(correct_answers)},
    {"corrected_on", FT_DATE, "纠正日期（默认今天）", "Corrected (default today)", 0, 0, 0},
};
static const struct field args_revoke[] = {
    {"revoked_on", FT_DATE, "撤销日期（默认今天）", "Revoked (default today)", 0, 0, 0},
};
static const struct field args_cleanup[] = {
    {"decision", FT_ENUM, "清理结论", "Decision", 0, 0, F_REQUIRED, cleanup_decisions,
     N(cleanup_decisions)},
    {"valid_until", FT_DATE, "新的有效期至（继续有效时）", "New validity end (kept in force)", 0, 0,
     0, .hint = "留空则自今天起按设定的有效期年数计算"},
};

/* ---- clock steps ---- */

static const struct flow_clock_step steps_submit[] = {{"review", CLOCK_START, "submitted_on"}};
static const struct flow_clock_step steps_resubmit[] = {{"review", CLOCK_START}};
static const struct flow_clock_step steps_extend_review[] = {{"review", CLOCK_EXTEND, "days"}};
static const struct flow_clock_step steps_opinion[] = {{"review", CLOCK_STOP, "opinion_on"}};
static const struct flow_clock_step steps_withdraw[] = {{"review", CLOCK_STOP}};
static const struct flow_clock_step steps_file[] = {{"file", CLOCK_STOP, "filed_on"},
                                                    {"filing_review", CLOCK_START, "filed_on"}};
static const struct flow_clock_step steps_extend_filing[] = {{"filing_review", CLOCK_EXTEND}};
static const struct flow_clock_step steps_pass_filing[] = {
    {"filing_review", CLOCK_STOP, "reviewed_on"}};
static const struct flow_clock_step steps_correction[] = {
    {"filing_review", CLOCK_STOP, "noticed_on"}, {"correct", CLOCK_START, "noticed_on"}};
static const struct flow_clock_step steps_correct[] = {{"correct", CLOCK_STOP, "corrected_on"}};
static const struct flow_clock_step steps_revoke[] = {{"correct", CLOCK_STOP, "revoked_on"}};

/* ---- notices ---- */

static const struct flow_notice tell_submitted = {"office", "normdoc_submitted", "合法性审核报送",
                                                  NOTICE_EACH, "Submitted for legality review"};
static const struct flow_notice tell_assigned = {"reviewer", "normdoc_assigned", "合法性审核任务",
                                                 NOTICE_EACH, "Legality review assigned"};
static const struct flow_notice tell_opinion = {
    "drafting_unit", "normdoc_opinion", "合法性审核意见", NOTICE_EACH, "Legality review opinion"};
static const struct flow_notice tell_correction = {"drafting_unit", "normdoc_correction",
                                                   "备案审查纠错通知", NOTICE_EACH,
                                                   "Filing review: correction notice"};

static const struct flow_confirm confirm_revoke = {
    "撤销后该文件失去效力，此操作不可恢复。",
    "Revoked, the document loses its force; this cannot be undone."};

#define S(i)    (1u << (i))
#define ARGS(a) a, N(a)
#define NONE    NULL, 0

/* The review steps, the same for every category: declared once, listed in both kinds. */
#define REVIEW_TRANSITIONS                                                                         \
    {"submit",                                                                                     \
     "报送审核",                                                                                   \
     "Submit for review",                                                                          \
     S(NS_DRAFTING),                                                                               \
     NS_SUBMITTED,                                                                                 \
     &perm_normdoc_work,                                                                           \
     "drafting_unit",                                                                              \
     0,                                                                                            \
     ARGS(args_submit),                                                                            \
     ARGS(guards_submit),                                                                          \
     fx_submit,                                                                                    \
     ARGS(steps_submit),                                                                           \
     &tell_submitted,                                                                              \
     "primary"},                                                                                   \
        {"assign",                                                                                 \
         "分配审核人员",                                                                           \
         "Assign a reviewer",                                                                      \
         S(NS_SUBMITTED) | S(NS_REVIEWING),                                                        \
         NS_REVIEWING,                                                                             \
         &perm_normdoc_manage,                                                                     \
         NULL,                                                                                     \
         0,                                                                                        \
         ARGS(args_assign),                                                                        \
         NONE,                                                                                     \
         fx_assign,                                                                                \
         NONE,                                                                                     \
         &tell_assigned,                                                                           \
         "primary"},                                                                               \
        {"extend_review",                                                                          \
         "延长审核期限",                                                                           \
         "Extend the review",                                                                      \
         S(NS_SUBMITTED) | S(NS_REVIEWING),                                                        \
         -1,                                                                                       \
         &perm_normdoc_manage,                                                                     \
         NULL,                                                                                     \
         1,                                                                                        \
         ARGS(args_extend_review),                                                                 \
         ARGS(guards_extend_review),                                                               \
         fx_extend_review,                                                                         \
         ARGS(steps_extend_review),                                                                \
         NULL,                                                                                     \
         "warning"},                                                                               \
        {"opinion",          "出具审核意见",                                                       \
         "Give the opinion", S(NS_REVIEWING),                                                      \
         NS_PASSED,          &perm_normdoc_review,                                                 \
         "reviewer",         1,                                                                    \
         ARGS(args_opinion), NONE,                                                                 \
         fx_opinion,         ARGS(steps_opinion),                                                  \
         &tell_opinion,      "success"},                                                           \
        {"revise",                                                                                 \
         "修改草案",                                                                               \
         "Revise the draft",                                                                       \
         S(NS_DRAFTING) | S(NS_REVISING) | S(NS_PASSED),                                           \
         -1,                                                                                       \
         &perm_normdoc_work,                                                                       \
         "drafting_unit",                                                                          \
         0,                                                                                        \
         ARGS(args_revise),                                                                        \
         ARGS(guards_revise),                                                                      \
         fx_revise,                                                                                \
         NONE,                                                                                     \
         NULL,                                                                                     \
         "default"},                                                                               \
        {"resubmit",                                                                               \
         "重新报送审核",                                                                           \
         "Resubmit",                                                                               \
         S(NS_REVISING),                                                                           \
         NS_REVIEWING,                                                                             \
         &perm_normdoc_work,                                                                       \
         "drafting_unit",                                                                          \
         0,                                                                                        \
         NONE,                                                                                     \
         ARGS(guards_resubmit),                                                                    \
         fx_resubmit,                                                                              \
         ARGS(steps_resubmit),                                                                     \
         &tell_assigned,                                                                           \
         "primary"},                                                                               \
    {                                                                                              \
        "withdraw", "撤回", "Withdraw", S(NS_DRAFTING) | S(NS_SUBMITTED) | S(NS_REVISING),         \
            NS_WITHDRAWN, &perm_normdoc_work, "drafting_unit", 1, NONE, NONE, NULL,                \
            ARGS(steps_withdraw), NULL, "danger"                                                   \
    }

static const struct flow_transition transitions[] = {
    REVIEW_TRANSITIONS,
    {"issue", "公布", "Issue", S(NS_PASSED), NS_ISSUED, &perm_normdoc_work, "drafting_unit", 0,
     ARGS(args_issue), ARGS(guards_issue), fx_issue, NONE, NULL, "success"},
    {"file", "报送备案", "File", S(NS_ISSUED), NS_FILED, &perm_normdoc_work, "drafting_unit", 0,
     ARGS(args_file), ARGS(guards_file), fx_file, ARGS(steps_file), NULL, "primary"},
    {"extend_filing_review", "延长备案审查期限", "Extend the filing review", S(NS_FILED), -1,
     &perm_normdoc_manage, NULL, 1, NONE, ARGS(guards_extend_filing), fx_extend_filing,
     ARGS(steps_extend_filing), NULL, "warning"},
    {"pass_filing", "备案审查通过", "Pass the filing review", S(NS_FILED), NS_IN_FORCE,
     &perm_normdoc_manage, NULL, 0, ARGS(args_pass_filing), NONE, fx_pass_filing,
     ARGS(steps_pass_filing), NULL, "success"},
    {"correction_notice", "纠错通知", "Correction notice", S(NS_FILED), NS_CORRECTING,
     &perm_normdoc_manage, NULL, 1, ARGS(args_correction), NONE, fx_correction_notice,
     ARGS(steps_correction), &tell_correction, "danger"},
    {"correct", "纠错答复", "Answer the correction", S(NS_CORRECTING), NS_IN_FORCE,
     &perm_normdoc_work, "drafting_unit", 1, ARGS(args_correct), NONE, fx_correct,
     ARGS(steps_correct), NULL, "primary"},
    {"revoke", "撤销", "Revoke", S(NS_CORRECTING), NS_REVOKED, &perm_normdoc_manage, NULL, 1,
     ARGS(args_revoke), ARGS(guards_revoke), fx_revoke, ARGS(steps_revoke), NULL, "danger",
     &confirm_revoke},
    {"cleanup", "清理", "Clean-up review", S(NS_ISSUED) | S(NS_IN_FORCE) | S(NS_TO_AMEND),
     NS_IN_FORCE, &perm_normdoc_manage, NULL, 1, ARGS(args_cleanup), NONE, fx_cleanup, NONE, NULL,
     "warning"},
};

static const struct flow_transition contract_transitions[] = {
    REVIEW_TRANSITIONS,
    {"issue", "签订", "Sign", S(NS_PASSED), NS_ISSUED, &perm_normdoc_work, "drafting_unit", 0,
     ARGS(args_sign), ARGS(guards_issue), fx_issue, NONE, NULL, "success"},
};

const struct flow_kind normdoc_kind = {
    .name = "normdoc",
    .zh = "规范性文件合法性审核",
    .en = "Normative document review",
    .entity = "normdocs",
    .table = "normdocs",
    .audit_type = "normdoc",
    .web_path = "/normdocs",
    .perm_read = &perm_normdoc_view,
    .states = states,
    .n_states = NS_STATES,
    .transitions = transitions,
    .n_transitions = N(transitions),
    .relations = relations,
    .n_relations = N(relations),
    .parties = parties,
    .n_parties = N(parties),
    .clocks = clocks,
    .n_clocks = N(clocks),
    .events_table = "normdoc_events",
    .events_key = "normdoc_id",
    .file_owner = "normdoc_event",
    .unit_column = "unit_id",
    .title_column = "reg_no",
    .summary_column = "title",
    .perm_work = &perm_normdoc_work,
    .ctx_size = sizeof(struct nd_ctx),
    .load = load,
};

const struct flow_kind contract_kind = {
    .name = "contract",
    .zh = "合同合法性审查",
    .en = "Contract review",
    .entity = "contracts",
    .table = "normdocs",
    .audit_type = "contract",
    .web_path = "/contracts",
    .perm_read = &perm_normdoc_view,
    .states = contract_states,
    .n_states = CONTRACT_STATES,
    .transitions = contract_transitions,
    .n_transitions = N(contract_transitions),
    .relations = relations,
    .n_relations = N(relations),
    .parties = parties,
    .n_parties = N(parties),
    .clocks = clocks,
    .n_clocks = 1, /* the review's only */
    .events_table = "normdoc_events",
    .events_key = "normdoc_id",
    .file_owner = "contract_event",
    .unit_column = "unit_id",
    .title_column = "reg_no",
    .summary_column = "title",
    .perm_work = &perm_normdoc_work,
    .ctx_size = sizeof(struct nd_ctx),
    .load = load,
};

/* ---- the entities ---- */

/* The metrics' conditions (also list filters: a metric's drill-down lists what it counts). The
 * period is the day issued (公布 / 签订). */
#define ISSUED_SQL     "e.issued_on IS NOT NULL"
#define REVIEWED_SQL   "e.issued_on IS NOT NULL AND e.reviewed = 1"
#define UNREVIEWED_SQL "e.issued_on IS NOT NULL AND e.reviewed = 0"
#define FILE_DUE_SQL   "e.issued_on IS NOT NULL AND e.category = 'normative'"
#define FILED_SQL      "e.filed_on IS NOT NULL"
#define FILE_CLOCK_SQL                                                                             \
    "SELECT 1 FROM record_clocks fc WHERE fc.kind = 'normdoc' AND fc.record_id = e.id AND "        \
    "fc.clock = 'file' AND fc.stopped_on IS NOT NULL"
#define FILED_ON_TIME_SQL "e.filed_on IS NOT NULL AND EXISTS (" FILE_CLOCK_SQL " AND fc.late = 0)"
#define FILED_LATE_SQL    "EXISTS (" FILE_CLOCK_SQL " AND fc.late = 1)"
#define CORRECTED_SQL     "e.correction_on IS NOT NULL"
/* the states in which a document is in force (有效期 and 清理 concern them) */
#define LIVE_SQL "e.status IN ('issued', 'filed', 'correcting', 'in_force', 'to_amend')"
#define REVIEW_DUE_SQL                                                                             \
    "(SELECT rc.due_on FROM record_clocks rc WHERE rc.kind IN ('normdoc', 'contract') AND "        \
    "rc.record_id = e.id AND rc.clock = 'review' AND rc.stopped_on IS NULL)"
#define DRAFT_VERSION_SQL                                                                          \
    "(SELECT MAX(v.number) FROM record_versions v WHERE v.kind = 'normdoc' AND v.record_id = "     \
    "e.id)"

static int has_manage(const struct principal *p) {
    return perm_has(p->perms, &perm_normdoc_manage);
}

/* A reviewer (normdoc.review without normdoc.manage) whose role reads every unit sees only what
 * is assigned to them and their own unit's records (a unit-bound reviewer: scope.assignee). */
static void narrow_reviewer(const struct entity_ctx *c, struct query *q, const char *alias) {
    const struct principal *p = c->who;
    if (p->scope == SCOPE_OWN || has_manage(p) || !perm_has(p->perms, &perm_normdoc_review)) return;
    query_add(q,
              arena_printf(c->arena, " AND (%s.reviewer_id = ? OR %s.unit_id = ?)", alias, alias),
              "ii", p->user_id, p->unit_id);
}
static void normdocs_visible(const struct entity_ctx *c, struct query *q) {
    query_add(q, " AND e.category IN ('normative', 'policy')", "");
    narrow_reviewer(c, q, "e");
}
static void contracts_visible(const struct entity_ctx *c, struct query *q) {
    query_add(q, " AND e.category = 'contract'", "");
    narrow_reviewer(c, q, "e");
}
static void reviews_visible(const struct entity_ctx *c, struct query *q) {
    narrow_reviewer(c, q, "r");
}

static int is_contract(const struct entity_write *w) {
    return w->c->ent == &entity_contracts;
}

static int nd_validate(struct entity_write *w) {
    const struct principal *p = w->c->who;
    json_t *unit = json_object_get(w->in, "unit_id");
    if (json_is_integer(unit)) {
        int ok = 0;
        if (entity_unit_active(w->c->db, (int64_t)json_integer_value(unit), &ok) != DB_OK)
            return DB_ERROR;
        if (!ok)
            problem_add(w->pr, "unit_id", "单位不存在或已停用", "No such active unit");
        else if (!has_manage(p) && json_integer_value(unit) != p->unit_id)
            problem_add(w->pr, "unit_id", "只能为本单位登记", "Only for your own unit");
    }
    if (w->id) return DB_OK; /* an update: the rest is decided at creation */
    int32_t today = date_today();
    const char *number = entity_text(w->in, "doc_number");
    int32_t issued = day_of(entity_text(w->in, "issued_on"));
    int32_t filed = day_of(entity_text(w->in, "filed_on"));
    if (issued || *number || filed) {
        /* 未经审核即公布的文件: recorded by the office (from the gazette, or at 备案) */
        if (!has_manage(p))
            problem_add(w->pr, "issued_on", "已公布文件的登记（未经合法性审核）由审核机构办理",
                        "Only the reviewing office records a document issued without review");
        if (!issued)
            problem_add(w->pr, "issued_on", "登记已公布的文件须填写公布日期",
                        "An issued document needs its publication date");
        if (!*number)
            problem_add(w->pr, "doc_number", "登记已公布的文件须填写文号",
                        "An issued document needs its number");
        if (issued > today)
            problem_add(w->pr, "issued_on", "不能晚于今天", "Cannot be later than today");
        if (filed && (filed < issued || filed > today))
            problem_add(w->pr, "filed_on", "备案日期须在公布日期与今天之间",
                        "The filing date must lie between publication and today");
        if (filed && !is_contract(w) &&
            strcmp(entity_text(w->in, "category"), categories[CAT_NORMATIVE].code))
            problem_add(w->pr, "filed_on", "涉法政策文件不报送备案", "A policy is not filed");
    } else if (!*entity_text(w->in, "body")) {
        problem_add(w->pr, "body", "请提交草案文本", "The draft text is required");
    }
    if (is_contract(w)) {
        int32_t from = day_of(entity_text(w->in, "term_from")),
                to = day_of(entity_text(w->in, "term_to"));
        if (from && to && to < from)
            problem_add(w->pr, "term_to", "合同期限的终止日期不能早于起始日期",
                        "The term cannot end before it begins");
    }
    return DB_OK;
}

int normdoc_insert(struct db *db, struct arena *a, const struct audit_actor *actor, json_t *in,
                   int64_t *id) {
    char now[21], today[11];
    now_iso(now);
    date_format(date_today(), today);
    const char *category = entity_text(in, "category");
    int contract = !strcmp(category, categories[CAT_CONTRACT].code);
    const char *issued = entity_text(in, "issued_on"), *filed = entity_text(in, "filed_on");
    json_t *amount = json_object_get(in, "amount");
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO normdocs (reg_no, category, title, unit_id, basis, explanation, "
            "counterparty, amount, term_from, term_to, doc_number, issued_on, valid_until, "
            "filed_on, reviewed, status, created_by, created_at, updated_at, version) VALUES "
            "(NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, 1) RETURNING id");
    if (!st) return DB_ERROR;
    int32_t issued_day = day_of(issued), filed_day = day_of(filed);
    char until[11] = "";
    if (issued_day && !contract)
        date_format(years_after(issued_day, setting_int(db, "normdoc.validity_years")), until);
    const char *term_to = entity_text(in, "term_to");
    if (issued_day && contract && *term_to) snprintf(until, sizeof until, "%s", term_to);
    int i = 1;
    db_bind_text(st, i++, category);
    db_bind_text(st, i++, entity_text(in, "title"));
    db_bind_id(st, i++, (int64_t)json_integer_value(json_object_get(in, "unit_id")));
    db_bind_text(st, i++, entity_text(in, "basis"));
    db_bind_text(st, i++, entity_text(in, "explanation"));
    if (contract)
        db_bind_text(st, i++, entity_text(in, "counterparty"));
    else
        db_bind_null(st, i++);
    if (json_is_integer(amount))
        db_bind_int(st, i++, (int64_t)json_integer_value(amount));
    else
        db_bind_null(st, i++);
    const char *dates[] = {
        entity_text(in, "term_from"), term_to, entity_text(in, "doc_number"), issued, until, filed};
    for (int k = 0; k < 6; k++)
        if (*dates[k])
            db_bind_text(st, i++, dates[k]);
        else
            db_bind_null(st, i++);
    db_bind_text(st, i++, filed_day ? "filed" : issued_day ? "issued" : "drafting");
    db_bind_id(st, i++, actor->user_id);
    db_bind_text(st, i++, now);
    db_bind_text(st, i++, now);
    int rc = db_step(st);
    if (rc == DB_ROW) *id = db_col_int(st, 0);
    db_done(st);
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERROR;
    const char *no = NULL;
    rc = entity_number_set(db, a, contract ? &entity_contracts : &entity_normdocs, *id,
                           issued_day ? issued : today, &no);
    const char *body = entity_text(in, "body");
    int64_t n = 0;
    if (rc == DB_OK && *body)
        rc = entity_version_add(db, &normdoc_versions, *id, no, body, "", actor->user_id, &n);
    /* an issued normative document's 备案 period (30 日 from publication), stopped when it was
     * registered at filing (on time or late), whose filing review then runs */
    if (rc == DB_OK && issued_day && !strcmp(category, categories[CAT_NORMATIVE].code) &&
        (flow_clock_start(db, a, &normdoc_kind, *id, "file", issued_day) != FLOW_OK ||
         (filed_day &&
          (flow_clock_stop(db, a, &normdoc_kind, *id, "file", filed_day) != FLOW_OK ||
           flow_clock_start(db, a, &normdoc_kind, *id, "filing_review", filed_day) != FLOW_OK))))
        rc = DB_ERROR;
    if (rc != DB_OK) return rc;
    return audit_append(db, actor, contract ? "contract.create" : "normdoc.create",
                        contract ? "contract" : "normdoc", arena_printf(a, "%lld", (long long)*id),
                        "ok",
                        arena_printf(a, "{\"reg_no\":\"%s\",\"unreviewed\":%s}", no,
                                     issued_day ? "true" : "false"));
}

static int nd_create(struct entity_write *w) {
    json_t *in = w->in;
    if (!json_is_integer(json_object_get(in, "unit_id")))
        json_object_set_new(in, "unit_id", json_integer(w->c->who->unit_id));
    if (is_contract(w)) json_object_set_new(in, "category", json_string("contract"));
    return normdoc_insert(w->c->db, w->c->arena, w->actor, in, &w->id);
}

/* 修改: the record's description while it is drafted or sent back; the draft's text changes
 * through 修改草案 (a new version), never in place. */
static const char *const nd_edit_states[] = {"drafting", "revising", NULL};

static int nd_update(struct entity_write *w) {
    json_t *amount = json_object_get(w->in, "amount");
    int rc =
        db_exec(w->c->db, "UPDATE normdocs SET title = ?, basis = ?, explanation = ? WHERE id = ?",
                "sssi", entity_text(w->in, "title"), entity_text(w->in, "basis"),
                entity_text(w->in, "explanation"), w->id);
    if (rc == DB_OK && is_contract(w)) {
        struct db_stmt *st = db_prepare(w->c->db, "UPDATE normdocs SET counterparty = ?, "
                                                  "amount = ?, term_from = ?, term_to = ? "
                                                  "WHERE id = ?");
        if (!st) return DB_ERROR;
        db_bind_text(st, 1, entity_text(w->in, "counterparty"));
        if (json_is_integer(amount))
            db_bind_int(st, 2, (int64_t)json_integer_value(amount));
        else
            db_bind_null(st, 2);
        const char *f = entity_text(w->in, "term_from"), *t = entity_text(w->in, "term_to");
        if (*f)
            db_bind_text(st, 3, f);
        else
            db_bind_null(st, 3);
        if (*t)
            db_bind_text(st, 4, t);
        else
            db_bind_null(st, 4);
        db_bind_id(st, 5, w->id);
        rc = db_step(st);
        db_done(st);
        rc = rc == DB_DONE ? DB_OK : DB_ERROR;
    }
    if (rc != DB_OK) return rc;
    return audit_append(w->c->db, w->actor, is_contract(w) ? "contract.update" : "normdoc.update",
                        is_contract(w) ? "contract" : "normdoc",
                        arena_printf(w->c->arena, "%lld", (long long)w->id), "ok", "");
}

/* A single record carries its newest draft text (the versions tab shows the others). One query
 * for the page, and only for a single read. */
static int nd_decorate(const struct entity_ctx *c, json_t *items) {
    if (c->purpose != EP_GET || json_array_size(items) != 1) return DB_OK;
    json_t *it = json_array_get(items, 0);
    int64_t id = (int64_t)json_integer_value(json_object_get(it, "id"));
    struct db_stmt *st = db_queryv(c->db,
                                   "SELECT body FROM record_versions WHERE kind = 'normdoc' AND "
                                   "record_id = ? ORDER BY number DESC LIMIT 1",
                                   "i", id);
    int rc = st ? db_step(st) : DB_ERROR;
    json_object_set_new(it, "body", rc == DB_ROW ? json_string(db_col_text(st, 0)) : json_null());
    db_done(st);
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : DB_ERROR;
}

/* ?filed_quarter=2026-Q3: the documents filed in that quarter (the list sent upward). */
static int quarter_valid(const char *v) {
    return strlen(v) == 7 && v[4] == '-' && v[5] == 'Q' && v[6] >= '1' && v[6] <= '4' &&
           v[0] >= '1' && v[0] <= '9' && v[1] >= '0' && v[1] <= '9' && v[2] >= '0' && v[2] <= '9' &&
           v[3] >= '0' && v[3] <= '9';
}
static void filter_quarter(const struct entity_ctx *c, struct query *q, const char *v) {
    int quarter = v[6] - '0';
    const char *from = arena_printf(c->arena, "%.4s-%02d-01", v, quarter * 3 - 2);
    const char *to = arena_printf(c->arena, "%.4s-%02d-%s", v, quarter * 3,
                                  quarter == 1 || quarter == 4 ? "31" : "30");
    query_add(q, " AND e.filed_on >= ? AND e.filed_on <= ?", "ss", from, to);
}
static int is_true(const char *v) {
    return !strcmp(v, "1") || !strcmp(v, "true");
}
/* ?expiring=1: in force and the validity ends within normdoc.expiring_days from today. */
static void filter_expiring(const struct entity_ctx *c, struct query *q, const char *v) {
    if (!is_true(v)) return;
    char from[11], to[11];
    int32_t today = date_today();
    date_format(today, from);
    date_format(today + (int32_t)setting_int(c->db, "normdoc.expiring_days"), to);
    query_add(q, " AND " LIVE_SQL " AND e.valid_until >= ? AND e.valid_until <= ?", "ss", from, to);
}
/* ?expired=1: its validity ended and no 清理 decided since. */
static void filter_expired(const struct entity_ctx *c, struct query *q, const char *v) {
    (void)c;
    if (!is_true(v)) return;
    char today[11];
    date_format(date_today(), today);
    query_add(q, " AND " LIVE_SQL " AND e.valid_until < ?", "s", today);
}
/* ?filing_overdue=1: issued, not filed, and the 30 日 are over. */
static void filter_filing_overdue(const struct entity_ctx *c, struct query *q, const char *v) {
    (void)c;
    if (!is_true(v)) return;
    char today[11];
    date_format(date_today(), today);
    query_add(q,
              " AND e.filed_on IS NULL AND EXISTS (SELECT 1 FROM record_clocks fc WHERE fc.kind "
              "= 'normdoc' AND fc.record_id = e.id AND fc.clock = 'file' AND fc.stopped_on IS "
              "NULL AND fc.due_on < ?)",
              "s", today);
}

static const struct entity_filter normdoc_filters[] = {
    {"filed_quarter", FT_TEXT, "备案季度（如 2026-Q3）", "Filing quarter (e.g. 2026-Q3)", .max = 7,
     .valid = quarter_valid, .bad_zh = "季度格式为 YYYY-Qn，如 2026-Q3",
     .bad_en = "A quarter is YYYY-Qn, e.g. 2026-Q3", .apply = filter_quarter},
    {"unreviewed", FT_BOOL, "未经合法性审核即公布", "Issued without review", UNREVIEWED_SQL},
    {"filing_late", FT_BOOL, "逾期报备", "Filed late", FILED_LATE_SQL},
    {"filing_overdue", FT_BOOL, "逾期未报备", "Not filed, overdue", .apply = filter_filing_overdue},
    {"expiring", FT_BOOL, "有效期即将届满", "Validity ending soon", .apply = filter_expiring},
    {"expired", FT_BOOL, "有效期已届满未清理", "Validity ended", .apply = filter_expired},
};
static const struct entity_filter contract_filters[] = {
    {"unreviewed", FT_BOOL, "未经合法性审查即签订", "Signed without review", UNREVIEWED_SQL},
};

static const struct entity_metric normdoc_metrics[] = {
    {"reviewed_rate", "审核率", "Review rate", METRIC_RATE, REVIEWED_SQL, ISSUED_SQL, NULL,
     "经合法性审核（合法或修改后合法）后公布的文件 ÷ 公布的文件，按公布日期计入期间",
     "Issued after a passed legality review / issued, by the day of publication"},
    {"unreviewed", "未经审核公布", "Issued without review", METRIC_COUNT, UNREVIEWED_SQL, NULL,
     NULL, "未经合法性审核即公布的文件（由审核机构从公报或备案中登记）：审核率背后的缺口",
     "Issued without legality review (recorded by the office from the gazette or at filing): "
     "the gap behind the review rate"},
    {"filed_rate", "报备率", "Filing rate", METRIC_RATE, FILED_SQL, FILE_DUE_SQL, NULL,
     "已报送备案的规范性文件 ÷ 公布的规范性文件（涉法政策不报备）",
     "Normative documents filed / normative documents issued (policies are not filed)"},
    {"filed_on_time_rate", "报备及时率", "On-time filing rate", METRIC_RATE, FILED_ON_TIME_SQL,
     FILED_SQL, NULL, "公布之日起三十日内报送备案的 ÷ 已报送备案的",
     "Filed within 30 days of publication / filed"},
    {"corrected", "备案审查纠错", "Corrected by filing review", METRIC_COUNT, CORRECTED_SQL, NULL,
     NULL, "备案审查发出纠错通知的文件", "Documents sent a correction notice by the filing review"},
    {"avg_review_days", "平均审核日数", "Average review days", METRIC_AVG,
     "e.review_days IS NOT NULL", NULL, "e.review_days",
     "自首次报送审核至出具通过的审核意见（合法或修改后合法）的日数，取平均",
     "Days from the first submission to the passing opinion, averaged"},
};
static const struct entity_metric contract_metrics[] = {
    {"reviewed_rate", "审核率", "Review rate", METRIC_RATE, REVIEWED_SQL, ISSUED_SQL, NULL,
     "经合法性审查（合法或修改后合法）后签订的合同 ÷ 签订的合同，按签订日期计入期间",
     "Signed after a passed legality review / signed, by the day signed"},
    {"unreviewed", "未经审查签订", "Signed without review", METRIC_COUNT, UNREVIEWED_SQL, NULL,
     NULL, "未经合法性审查即签订的合同：审核率背后的缺口",
     "Signed without legality review: the gap behind the review rate"},
};

/* Fields both entities have, in the order shown. */
#define COMMON_HEAD(title_zh, title_en, unit_zh, unit_en)                                           \
    {"id", FT_INT, "序号", "ID", 0, 0, F_READONLY},                                                 \
        {"reg_no",                                                                                  \
         FT_TEXT,                                                                                   \
         "登记编号",                                                                                \
         "Register number",                                                                         \
         0,                                                                                         \
         20,                                                                                        \
         F_LIST | F_SORT | F_SEARCH | F_EXPORT | F_READONLY},                                       \
        {"title",                                                                                   \
         FT_TEXT,                                                                                   \
         title_zh,                                                                                  \
         title_en,                                                                                  \
         1,                                                                                         \
         200,                                                                                       \
         F_REQUIRED | F_LIST | F_SEARCH | F_EXPORT | F_CREATE | F_UPDATE},                          \
        {"unit_id",           FT_UNIT, unit_zh, unit_en, 0, 0, F_FILTER | F_CREATE, .ref = "units", \
         .hint = "默认本单位"},                                                                     \
    {                                                                                               \
        "unit_name", FT_TEXT, unit_zh, unit_en, 0, 0, F_LIST | F_EXPORT | F_READONLY,               \
            .sql = "du.name"                                                                        \
    }
#define COMMON_REVIEW                                                                               \
    {"body",                                                                                        \
     FT_LONGTEXT,                                                                                   \
     "草案文本",                                                                                    \
     "Draft text",                                                                                  \
     0,                                                                                             \
     50000,                                                                                         \
     F_CREATE | F_VIRTUAL,                                                                          \
     .hint = "报送审核的草案全文（第 1 版）；此后以“修改草案”形成新版本"},                          \
        {"draft_version",         FT_INT, "草案版本", "Draft version", 0, 0, F_EXPORT | F_READONLY, \
         .sql = DRAFT_VERSION_SQL},                                                                 \
        {"reviewer_id", FT_USER, "审核人员", "Reviewer", 0, 0, F_FILTER | F_READONLY},              \
        {"reviewer_name",                                                                           \
         FT_TEXT,                                                                                   \
         "审核人员",                                                                                \
         "Reviewer",                                                                                \
         0,                                                                                         \
         0,                                                                                         \
         F_LIST | F_EXPORT | F_READONLY,                                                            \
         .sql = "rv.display_name"},                                                                 \
        {"first_submitted_on",                                                                      \
         FT_DATE,                                                                                   \
         "首次报送日期",                                                                            \
         "First submitted",                                                                         \
         0,                                                                                         \
         0,                                                                                         \
         F_FILTER | F_EXPORT | F_READONLY},                                                         \
        {"submitted_on", FT_DATE, "本轮报送日期", "Submitted (this round)", 0, 0, F_READONLY},      \
        {"review_due_on",      FT_DATE, "审核期限", "Review due", 0, 0, F_LIST | F_READONLY,        \
         .sql = REVIEW_DUE_SQL},                                                                    \
        {"review_round", FT_INT, "审核轮次", "Review round", 0, 0, F_READONLY},                     \
        {"opinion",                                                                                 \
         FT_ENUM,                                                                                   \
         "审核意见",                                                                                \
         "Opinion",                                                                                 \
         0,                                                                                         \
         0,                                                                                         \
         F_LIST | F_FILTER | F_EXPORT | F_READONLY | F_LABEL,                                       \
         opinions,                                                                                  \
         OPINIONS},                                                                                 \
        {"opinion_reasons", FT_LONGTEXT, "审核意见理由", "Reasons", 0, 0, F_EXPORT | F_READONLY},   \
        {"opinion_on", FT_DATE, "审核意见日期", "Opinion date", 0, 0, F_EXPORT | F_READONLY},       \
        {"reviewed_version", FT_INT, "审核所见版本", "Version reviewed", 0, 0, F_READONLY},         \
        {"reviewed",                                                                                \
         FT_BOOL,                                                                                   \
         "经合法性审核",                                                                            \
         "Reviewed",                                                                                \
         0,                                                                                         \
         0,                                                                                         \
         F_LIST | F_FILTER | F_EXPORT | F_READONLY},                                                \
    {                                                                                               \
        "review_days", FT_INT, "审核日数", "Review days", 0, 0, F_EXPORT | F_READONLY               \
    }
#define COMMON_TAIL                                                                                \
    {"created_at", FT_DATETIME, "创建时间", "Created", 0, 0, F_SORT | F_READONLY},                 \
        {"updated_at", FT_DATETIME, "更新时间", "Updated", 0, 0, F_READONLY}, {                    \
        "version", FT_INT, "版本", "Version", 0, 0, F_READONLY                                     \
    }

static const struct field_option normdoc_categories[] = {
    {"normative", "规范性文件", "Normative document", "primary"},
    {"policy", "涉法政策", "Law-related policy", "warning"},
};

static const struct field normdoc_fields[] = {
    COMMON_HEAD("文件名称", "Title", "起草单位", "Drafting unit"),
    {"category", FT_ENUM, "类别", "Category", 0, 0,
     F_REQUIRED | F_LIST | F_FILTER | F_EXPORT | F_CREATE | F_LABEL, normdoc_categories,
     N(normdoc_categories)},
    {"basis", FT_LONGTEXT, "制定依据", "Legal basis", 1, 2000,
     F_REQUIRED | F_EXPORT | F_CREATE | F_UPDATE,
     .hint = "上位法依据：法律、法规、规章及上级文件的名称和条款"},
    {"explanation", FT_LONGTEXT, "起草说明", "Drafting explanation", 0, 4000,
     F_EXPORT | F_CREATE | F_UPDATE},
    COMMON_REVIEW,
    {"doc_number", FT_TEXT, "文号", "Document number", 0, 60,
     F_LIST | F_SEARCH | F_EXPORT | F_CREATE, .hint = "仅在登记未经审核已公布的文件时填写"},
    {"issued_on", FT_DATE, "公布日期", "Published", 0, 0,
     F_LIST | F_FILTER | F_SORT | F_EXPORT | F_CREATE,
     .hint = "仅在登记未经审核已公布的文件时填写（审核机构）"},
    {"valid_until", FT_DATE, "有效期至", "Valid until", 0, 0,
     F_FILTER | F_SORT | F_EXPORT | F_READONLY},
    {"filed_on", FT_DATE, "备案日期", "Filed", 0, 0,
     F_LIST | F_FILTER | F_SORT | F_EXPORT | F_CREATE, .hint = "公布之日起三十日内报送备案"},
    {"filing_late", FT_BOOL, "逾期报备", "Filed late", 0, 0, F_LIST | F_EXPORT | F_READONLY,
     .sql = "(SELECT fc.late FROM record_clocks fc WHERE fc.kind = 'normdoc' AND fc.record_id = "
            "e.id AND fc.clock = 'file' AND fc.stopped_on IS NOT NULL)"},
    {"filing_result", FT_ENUM, "备案审查结果", "Filing review", 0, 0,
     F_FILTER | F_EXPORT | F_READONLY | F_LABEL, filing_results, N(filing_results)},
    {"filing_reviewed_on", FT_DATE, "备案审查日期", "Filing reviewed", 0, 0, F_EXPORT | F_READONLY},
    {"correction_on", FT_DATE, "纠错通知日期", "Correction notice", 0, 0, F_EXPORT | F_READONLY},
    {"corrected_on", FT_DATE, "纠正日期", "Corrected", 0, 0, F_EXPORT | F_READONLY},
    {"revoked_on", FT_DATE, "撤销日期", "Revoked", 0, 0, F_EXPORT | F_READONLY},
    {"cleanup_decision", FT_ENUM, "清理结论", "Clean-up decision", 0, 0,
     F_FILTER | F_EXPORT | F_READONLY | F_LABEL, cleanup_decisions, N(cleanup_decisions)},
    {"cleanup_on", FT_DATE, "清理日期", "Cleaned up", 0, 0, F_EXPORT | F_READONLY},
    {"cleanup_note", FT_LONGTEXT, "清理说明", "Clean-up note", 0, 0, F_EXPORT | F_READONLY},
    {"status", FT_ENUM, "状态", "Status", 0, 0, F_LIST | F_FILTER | F_EXPORT | F_READONLY,
     status_options, NS_STATES},
    COMMON_TAIL,
};

static const struct field contract_fields[] = {
    COMMON_HEAD("合同名称", "Contract", "承办单位", "Responsible unit"),
    {"counterparty", FT_TEXT, "合同相对方", "Counterparty", 1, 200,
     F_REQUIRED | F_LIST | F_SEARCH | F_EXPORT | F_CREATE | F_UPDATE},
    {"amount", FT_INT, "合同金额（元）", "Amount (yuan)", 0, 1000000000000LL,
     F_LIST | F_SORT | F_EXPORT | F_CREATE | F_UPDATE},
    {"term_from", FT_DATE, "合同期限起", "Term from", 0, 0, F_EXPORT | F_CREATE | F_UPDATE},
    {"term_to", FT_DATE, "合同期限止", "Term to", 0, 0, F_LIST | F_EXPORT | F_CREATE | F_UPDATE},
    {"basis", FT_LONGTEXT, "审查依据及说明", "Basis", 1, 2000,
     F_REQUIRED | F_EXPORT | F_CREATE | F_UPDATE, .hint = "合同订立的依据：采购、招标或会议决定等"},
    {"explanation", FT_LONGTEXT, "合同说明", "Explanation", 0, 4000,
     F_EXPORT | F_CREATE | F_UPDATE},
    COMMON_REVIEW,
    {"doc_number", FT_TEXT, "合同编号", "Contract number", 0, 60,
     F_LIST | F_SEARCH | F_EXPORT | F_CREATE, .hint = "仅在登记未经审查已签订的合同时填写"},
    {"issued_on", FT_DATE, "签订日期", "Signed", 0, 0,
     F_LIST | F_FILTER | F_SORT | F_EXPORT | F_CREATE,
     .hint = "仅在登记未经审查已签订的合同时填写（审核机构）"},
    {"status", FT_ENUM, "状态", "Status", 0, 0, F_LIST | F_FILTER | F_EXPORT | F_READONLY,
     contract_status_options, CONTRACT_STATES},
    COMMON_TAIL,
};

static const struct entity_child children[] = {
    {"normdoc_reviews", "normdoc_id"},
};
/* a normative document's draft may also be put to public comment (contracts are not) */
static const struct entity_child normdoc_children[] = {
    {"normdoc_reviews", "normdoc_id"},
    {"consultations", "normdoc_id"},
};

#define NORMDOC_FROM                                                                               \
    "normdocs e LEFT JOIN units du ON du.id = e.unit_id LEFT JOIN users rv ON rv.id = "            \
    "e.reviewer_id"

static const struct entity_number entity_normdocs_number = {"reg_no", "GZ"};

const struct entity entity_normdocs = {
    .name = "normdocs",
    .path = "/api/v1/normdocs",
    .zh = "规范性文件",
    .en = "Normative documents",
    .table = "normdocs",
    .alias = "e",
    .from = NORMDOC_FROM,
    .fields = normdoc_fields,
    .n_fields = ENTITY_N(normdoc_fields),
    /* the drafting unit reads its own; the assigned reviewer what is assigned (see
     * normdocs_visible for the reviewer role that reads every unit); the office reads all */
    .scope = {.unit_column = "e.unit_id", .assignee = "e.reviewer_id"},
    .filters = normdoc_filters,
    .n_filters = ENTITY_N(normdoc_filters),
    .default_sort = "-created_at",
    .perm_read = &perm_normdoc_view,
    .perm_create = &perm_normdoc_work,
    .perm_update = &perm_normdoc_work,
    .audit_type = "normdoc",
    .export_name = "normdocs",
    .export_sheet = "规范性文件",
    .edit_states = nd_edit_states,
    .kind = &normdoc_kind,
    .visible = normdocs_visible,
    .decorate = nd_decorate,
    .validate = nd_validate,
    .create = nd_create,
    .update = nd_update,
    .metrics = normdoc_metrics,
    .n_metrics = ENTITY_N(normdoc_metrics),
    .metric_date = "e.issued_on",
    .children = normdoc_children,
    .n_children = ENTITY_N(normdoc_children),
    .versions = &normdoc_versions,
    .number = &entity_normdocs_number,
};

static const struct entity_number entity_contracts_number = {"reg_no", "HT"};

const struct entity entity_contracts = {
    .name = "contracts",
    .path = "/api/v1/contracts",
    .zh = "合同",
    .en = "Contracts",
    .table = "normdocs",
    .alias = "e",
    .from = NORMDOC_FROM,
    .fields = contract_fields,
    .n_fields = ENTITY_N(contract_fields),
    .scope = {.unit_column = "e.unit_id", .assignee = "e.reviewer_id"},
    .filters = contract_filters,
    .n_filters = ENTITY_N(contract_filters),
    .default_sort = "-created_at",
    .perm_read = &perm_normdoc_view,
    .perm_create = &perm_normdoc_work,
    .perm_update = &perm_normdoc_work,
    .audit_type = "contract",
    .export_name = "contracts",
    .export_sheet = "合同",
    .edit_states = nd_edit_states,
    .kind = &contract_kind,
    .visible = contracts_visible,
    .decorate = nd_decorate,
    .validate = nd_validate,
    .create = nd_create,
    .update = nd_update,
    .metrics = contract_metrics,
    .n_metrics = ENTITY_N(contract_metrics),
    .metric_date = "e.issued_on",
    .children = children,
    .n_children = ENTITY_N(children),
    .versions = &normdoc_versions,
    .number = &entity_contracts_number,
};

/* Each review round: who reviewed, the version seen, the opinion. */
static const struct field review_fields[] = {
    {"id", FT_INT, "序号", "ID", 0, 0, F_READONLY},
    {"normdoc_id", FT_INT, "文件", "Document", 0, 0, F_FILTER | F_READONLY},
    {"round", FT_INT, "轮次", "Round", 0, 0, F_LIST | F_SORT | F_READONLY},
    {"unit_id", FT_UNIT, "起草单位", "Drafting unit", 0, 0, F_FILTER | F_READONLY, .ref = "units"},
    {"reviewer_id", FT_USER, "审核人员", "Reviewer", 0, 0, F_FILTER | F_READONLY},
    {"reviewer_name", FT_TEXT, "审核人员", "Reviewer", 0, 0, F_LIST | F_READONLY,
     .sql = "rv.display_name"},
    {"version_no", FT_INT, "所审草案版本", "Draft version reviewed", 0, 0, F_LIST | F_READONLY},
    {"submitted_on", FT_DATE, "报送日期", "Submitted", 0, 0, F_LIST | F_READONLY},
    {"opinion", FT_ENUM, "审核意见", "Opinion", 0, 0, F_LIST | F_READONLY | F_LABEL, opinions,
     OPINIONS},
    {"reasons", FT_LONGTEXT, "理由", "Reasons", 0, 0, F_LIST | F_READONLY},
    {"opinion_on", FT_DATE, "意见日期", "Opinion date", 0, 0, F_LIST | F_READONLY},
};

const struct entity entity_normdoc_reviews = {
    .name = "normdoc_reviews",
    .path = "/api/v1/normdoc-reviews",
    .zh = "审核记录",
    .en = "Review rounds",
    .table = "normdoc_reviews",
    .alias = "r",
    .from = "normdoc_reviews r LEFT JOIN users rv ON rv.id = r.reviewer_id",
    .fields = review_fields,
    .n_fields = ENTITY_N(review_fields),
    .scope = {.unit_column = "r.unit_id", .assignee = "r.reviewer_id"},
    .default_sort = "round",
    .perm_read = &perm_normdoc_view,
    .visible = reviews_visible,
};
