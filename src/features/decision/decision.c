/* decision.c — 重大行政决策: the decision file's kind (the statutory steps as gates in order),
 * the decisions entity (scope by the lead unit, the assigned legality reviewer, drafts as
 * versions, the steps panel, metrics) and the execution reports (child records). Routes, list
 * page, forms, buttons and export come from these declarations (features/entity, features/flow);
 * the module is decision_module.c, the expert pool decision_experts.c.
 *
 * The steps (重大行政决策程序暂行条例, 国务院令第713号):
 *   公众参与    第十四条至第十九条: 座谈会、听证会、公开征求意见、问卷;
 * 公开征求意见的期限一般不少于 30日，因情况紧急等原因需要缩短的，应当予以说明 (第十五条); 听证会:
 * 提前7日公布 并向参加人提供听证材料 (第十八条, 第十九条); 专家论证    第二十条至第二十一条:
 * 选择专家、专业机构应当注重专业性、代表性、均衡性，与决策事项 有直接利害关系的不得参与; 风险评估
 * 第二十二条至第二十四条: 风险评估报告（风险点、风险防范措施和处置预案），可委托专业
 *               机构、社会组织等第三方;
 *   合法性审查  第二十五条至第二十八条: 未经合法性审查或者经审查不合法的，不得提交决策机关讨论;
 *               送请合法性审查应当保证必要的审查时间，一般不少于7个工作日;
 *   集体讨论决定 第三十条至第三十一条: 行政首长最后发表意见; 讨论情况和决定（含不同意见）如实记录;
 *   公布、执行、决策后评估 第三十二条至第三十九条: 决策后评估不得由承担决策前风险评估的机构承担
 *               (this rule of DOMAIN.md: 决策后评估 is not done by the unit that assessed the
 * risk). 专家论证, 风险评估 and 公众参与 may be marked not applicable with a stated reason: the
 * step is then `skipped` and the decision no longer counts as "every step done in order". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "base/calendar.h"
#include "base/timeutil.h"
#include "features/catalog/catalog.h"
#include "features/decision/decision.h"
#include "features/org/org.h"
#include "store/settings.h"

/* Declarations leave trailing fields out: 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#define N(a) (int)(sizeof(a) / sizeof((a)[0]))

const struct entity_versions decision_versions = {"decision", "决策草案", "Draft", 200000};

enum {
    DS_PARTICIPATION,
    DS_EXPERT,
    DS_RISK,
    DS_REVIEW_READY,
    DS_REVIEWING,
    DS_DISCUSSION,
    DS_DECIDED,
    DS_PUBLISHED,
    DS_EVALUATED,
    DS_REJECTED,
    DS_STATES
};

static const struct flow_state states[DS_STATES] = {
    [DS_PARTICIPATION] = {"participation", "公众参与", "Public participation", 0, "info"},
    [DS_EXPERT] = {"expert", "专家论证", "Expert review", 0, "info"},
    [DS_RISK] = {"risk", "风险评估", "Risk assessment", 0, "info"},
    [DS_REVIEW_READY] = {"review_ready", "待送合法性审查", "To legality review", 0, "warning"},
    [DS_REVIEWING] = {"reviewing", "合法性审查中", "Legality review", 0, "primary"},
    [DS_DISCUSSION] = {"discussion", "待集体讨论决定", "For collective decision", 0, "primary"},
    [DS_DECIDED] = {"decided", "已决定（待公布）", "Decided (to publish)", 0, "success"},
    [DS_PUBLISHED] = {"published", "已公布（执行中）", "Published (in force)", 0, "success"},
    [DS_EVALUATED] = {"evaluated", "已完成决策后评估", "Evaluated", 1, "success"},
    [DS_REJECTED] = {"rejected", "未通过", "Not adopted", 1, "danger"},
};
static const struct field_option status_options[DS_STATES] = {
    [DS_PARTICIPATION] = {"participation", "公众参与", "Public participation", "info"},
    [DS_EXPERT] = {"expert", "专家论证", "Expert review", "info"},
    [DS_RISK] = {"risk", "风险评估", "Risk assessment", "info"},
    [DS_REVIEW_READY] = {"review_ready", "待送合法性审查", "To legality review", "warning"},
    [DS_REVIEWING] = {"reviewing", "合法性审查中", "Legality review", "primary"},
    [DS_DISCUSSION] = {"discussion", "待集体讨论决定", "For collective decision", "primary"},
    [DS_DECIDED] = {"decided", "已决定（待公布）", "Decided (to publish)", "success"},
    [DS_PUBLISHED] = {"published", "已公布（执行中）", "Published (in force)", "success"},
    [DS_EVALUATED] = {"evaluated", "已完成决策后评估", "Evaluated", "success"},
    [DS_REJECTED] = {"rejected", "未通过", "Not adopted", "danger"},
};

/* The statutory steps in order, as the steps panel shows them. */
static const struct {
    const char *code, *zh, *en;
} steps[] = {
    {"participation", "公众参与", "Public participation"},
    {"expert", "专家论证", "Expert review"},
    {"risk", "风险评估", "Risk assessment"},
    {"review", "合法性审查", "Legality review"},
    {"discussion", "集体讨论决定", "Collective decision"},
    {"publish", "公布", "Publication"},
    {"execute", "执行", "Execution"},
    {"evaluate", "决策后评估", "Post-decision evaluation"},
};
#define N_STEPS N(steps)

static const struct field_option forms[] = {
    {"forum", "座谈会", "Forum", ""},
    {"hearing", "听证会", "Hearing", ""},
    {"consultation", "公开征求意见", "Public comment", ""},
    {"survey", "问卷调查", "Survey", ""},
};
static const struct field_option opinions[] = {
    {"lawful", "合法", "Lawful", "success"},
    {"lawful_amended", "修改后合法", "Lawful once amended", "warning"},
    {"unlawful", "不合法", "Unlawful", "danger"},
};
static const struct field_option meetings[] = {
    {"executive", "常务会议", "Executive meeting", ""},
    {"plenary", "全体会议", "Plenary meeting", ""},
};
static const struct field_option results[] = {
    {"adopted", "通过", "Adopted", "success"},
    {"adopted_amended", "修改后通过", "Adopted with amendments", "warning"},
    {"rejected", "不予通过", "Not adopted", "danger"},
};
static const struct field_option risk_levels[] = {
    {"low", "低风险", "Low", "success"},
    {"medium", "中风险", "Medium", "warning"},
    {"high", "高风险", "High", "danger"},
};

/* 合法性审查 gets at least the setting's 工作日 (default 7, 第二十七条); the reviewer's own
 * period is stored on the record and drives the clock. */
static int review_period_of(struct db *db, int64_t id, int *period, enum clock_unit *unit) {
    int64_t days = 0;
    int rc = db_query_int(db, &days, "SELECT COALESCE(review_days, 0) FROM decisions WHERE id = ?",
                          "i", id);
    if (rc < 0) return rc;
    if (rc == DB_ROW && days > 0) *period = (int)days;
    *unit = CLOCK_WORKDAYS;
    return DB_OK;
}

static const struct flow_clock_def clocks[] = {
    {"review", "合法性审查期限", "Legality review", 7, CLOCK_WORKDAYS, "decision.review_min_days",
     "送请合法性审查", "sent for review", 2, 0, review_period_of},
};

/* ---- the kind's context ---- */

struct dc_ctx {
    struct flow_ctx base;
    int64_t lead_unit_id, reviewer_id, risk_unit_id;
    int64_t latest;    /* the newest draft version */
    int64_t submitted; /* the version sent for legality review (0: none) */
    int64_t reviewed;  /* the version the review passed (0: not passed) */
    int64_t experts;   /* experts chosen or drawn */
    int risk_skipped;
    int32_t started;
    char opinion[20]; /* the last review's opinion ("" none) */
    char no[32];
};
#define DC(c) ((struct dc_ctx *)(c))

static int load(struct flow_ctx *fc) {
    struct dc_ctx *c = DC(fc);
    struct db_stmt *st = db_queryv(
        fc->db,
        "SELECT e.status, e.lead_unit_id, COALESCE(e.reviewer_id, 0), "
        "COALESCE(e.risk_unit_id, 0), COALESCE(e.review_version, 0), "
        "COALESCE(e.reviewed_version, 0), COALESCE(e.review_opinion, ''), e.started_on, "
        "e.decision_no, (SELECT COUNT(*) FROM decision_experts x WHERE x.decision_id = e.id), "
        "(SELECT COUNT(*) FROM decision_steps s WHERE s.decision_id = e.id AND s.step = 'risk' "
        "AND s.state = 'skipped') FROM decisions e WHERE e.id = ?",
        "i", fc->id);
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW) {
        fc->status = flow_state_index(fc->kind, db_col_text(st, 0));
        c->lead_unit_id = db_col_int(st, 1);
        c->reviewer_id = db_col_int(st, 2);
        c->risk_unit_id = db_col_int(st, 3);
        c->submitted = db_col_int(st, 4);
        c->reviewed = db_col_int(st, 5);
        snprintf(c->opinion, sizeof c->opinion, "%s", db_col_text(st, 6));
        date_parse(db_col_text(st, 7), &c->started);
        snprintf(c->no, sizeof c->no, "%s", db_col_text(st, 8));
        c->experts = db_col_int(st, 9);
        c->risk_skipped = db_col_int(st, 10) > 0;
        fc->title = c->no;
    }
    db_done(st);
    if (rc == DB_ROW && entity_version_latest(fc->db, &decision_versions, fc->id, &c->latest))
        return DB_ERROR;
    return rc;
}

/* The lead unit's own accounts (承办单位), or the office (decision.manage) on its behalf. */
static int r_lead(const struct flow_ctx *c) {
    const struct principal *p = c->actor ? c->actor->who : NULL;
    return p && (p->unit_id == DC(c)->lead_unit_id || perm_has(p->perms, &perm_decision_manage));
}
/* The legality reviewer the draft was sent to. */
static int r_reviewer(const struct flow_ctx *c) {
    const struct principal *p = c->actor ? c->actor->who : NULL;
    return p && DC(c)->reviewer_id && p->user_id == DC(c)->reviewer_id;
}

static const struct flow_relation relations[] = {
    {"lead", "承办单位或依法治区办", "Lead unit or the office", r_lead},
    {"reviewer", "合法性审查人员", "The legality reviewer", r_reviewer},
};

/* ---- guards: each refusal in words ---- */

static int g_experts(const struct flow_ctx *c) {
    return DC(c)->experts > 0;
}
static int g_same_draft(const struct flow_ctx *c) {
    return DC(c)->latest == DC(c)->submitted;
}
static int g_review_passed(const struct flow_ctx *c) {
    return DC(c)->reviewed > 0 &&
           (!strcmp(DC(c)->opinion, "lawful") || !strcmp(DC(c)->opinion, "lawful_amended"));
}
static int g_reviewed_draft(const struct flow_ctx *c) {
    return !g_review_passed(c) || DC(c)->latest == DC(c)->reviewed;
}

static const struct flow_guard guards_expert[] = {
    {g_experts, "请先从专家库选定或随机抽取论证专家",
     "Choose or draw the experts from the pool first"},
};
static const struct flow_guard guards_review[] = {
    {g_same_draft, "送审后决策草案已有新版本：合法性审查意见只能针对送审的草案版本，请重新送审",
     "The draft changed after it was sent: a review can pass only the version sent; send it "
     "again"},
};
static const struct flow_guard guards_decide[] = {
    {g_review_passed,
     "未经合法性审查或者经审查不合法的决策草案，不得提交集体讨论决定（重大行政决策程序暂行条例"
     "第二十五条）",
     "A draft without a passed legality review cannot go to the collective decision (Interim "
     "Regulations on Major Administrative Decisions, art. 25)"},
    {g_reviewed_draft, "决策草案在合法性审查后又有修改：提交集体讨论的须是经审查的版本，请重新送审",
     "The draft changed after its legality review: only the reviewed version can be decided; "
     "send it for review again"},
};

/* ---- steps ---- */

/* A step's date argument (default today): not later than today, not before the decision started. */
static int32_t step_day(struct flow_ctx *c, const char *arg) {
    return flow_arg_day(c, arg, DC(c)->started, "不能早于决策启动日期",
                        "Cannot be before the decision started");
}

/* Record step `code` as state (done, skipped, refused) on `day`, with the draft version it saw,
 * its reason and detail (the step's own values), replacing an earlier occurrence. */
static int step_put(struct flow_ctx *c, const char *code, const char *state, int32_t day,
                    const char *reason, json_t *detail) {
    char d[11], now[21];
    date_format(day ? day : c->today, d);
    now_iso(now);
    char *text = detail ? json_dumps(detail, JSON_COMPACT) : NULL;
    const char *dt = text ? arena_printf(c->a, "%s", text) : "{}";
    free(text);
    int rc = db_exec(c->db, "DELETE FROM decision_steps WHERE decision_id = ? AND step = ?", "is",
                     c->id, code);
    if (rc == DB_OK)
        rc = db_exec(c->db,
                     "INSERT INTO decision_steps (decision_id, step, state, on_date, "
                     "draft_version, reason, detail, actor_id, created_at) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     "isssissis", c->id, code, state, d, DC(c)->latest, reason ? reason : "", dt,
                     c->actor && c->actor->who ? c->actor->who->user_id : 0, now);
    json_object_set_new(c->detail, "step", json_string(code));
    json_object_set_new(c->detail, "draft_version", json_integer(DC(c)->latest));
    return rc == DB_OK ? FLOW_OK : FLOW_DB;
}

/* A step's declared arguments as its detail (the values it recorded). */
static json_t *args_detail(struct flow_ctx *c) {
    json_t *d = json_deep_copy(c->args ? c->args : json_object());
    return d ? d : json_object();
}

static int fx_revise(struct flow_ctx *c) {
    int64_t n = 0;
    const char *body = flow_arg_text(c, "draft");
    if (entity_version_add(c->db, &decision_versions, c->id, flow_arg_text(c, "draft_title"),
                           body ? body : "", c->note,
                           c->actor && c->actor->who ? c->actor->who->user_id : 0, &n) != DB_OK)
        return FLOW_DB;
    DC(c)->latest = n;
    json_object_set_new(c->detail, "draft_version", json_integer(n));
    return FLOW_OK;
}

/* 公开征求意见 held in fazhi (features/consult): it must be this decision's, and its period over
 * (its tally and 采纳情况 then join the file: the decision's page lists it); its dates and its
 * stated reason for a short period are the step's. FLOW_OK (problems added) or FLOW_DB. */
static int linked_consultation(struct flow_ctx *c, int64_t cid, const char **opens,
                               const char **closes, const char **reason) {
    struct db_stmt *st = db_queryv(c->db,
                                   "SELECT decision_id, starts_on, ends_on, short_reason, status "
                                   "FROM consultations WHERE id = ?",
                                   "i", cid);
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW && db_col_int(st, 0) == c->id) {
        *opens = arena_strdup(c->a, db_col_text(st, 1));
        *closes = arena_strdup(c->a, db_col_text(st, 2));
        const char *r = db_col_text(st, 3);
        if (r && *r) *reason = arena_strdup(c->a, r);
        int32_t end = 0;
        const char *status = db_col_text(st, 4);
        if (strcmp(status, "closed") && strcmp(status, "published") &&
            (date_parse(*closes, &end) || end >= c->today))
            flow_problem(
                c, "consultation_id",
                arena_printf(c->a, "征求意见期限尚未届满（截止 %s），不能完成公众参与", *closes),
                arena_printf(c->a, "The comment period runs until %s", *closes));
    } else if (rc == DB_ROW || rc == DB_DONE) {
        flow_problem(c, "consultation_id", "该征求意见不是本决策事项的",
                     "That consultation is not this decision's");
    }
    db_done(st);
    return rc < 0 ? FLOW_DB : FLOW_OK;
}

/* 公众参与: the form's own rules — 公开征求意见 ≥ 30 日 unless a reason is stated (shown with the
 * step), 听证会 materials to the participants ≥ 7 日 before the hearing. */
static int fx_participate(struct flow_ctx *c) {
    const char *form = flow_arg_text(c, "form");
    int32_t day = step_day(c, "held_on");
    if (!day) return FLOW_INVALID;
    json_t *detail = args_detail(c);
    const char *reason = flow_arg_text(c, "short_reason");
    if (!strcmp(form, "consultation")) {
        const char *o = flow_arg_text(c, "opens_on"), *e = flow_arg_text(c, "closes_on");
        int64_t cid = flow_arg_int(c, "consultation_id", 0);
        if (cid && linked_consultation(c, cid, &o, &e, &reason) != FLOW_OK) {
            json_decref(detail);
            return FLOW_DB;
        }
        if (cid && o && e) { /* the consultation's own period is the step's */
            json_object_set_new(detail, "opens_on", json_string(o));
            json_object_set_new(detail, "closes_on", json_string(e));
        }
        int32_t from = 0, to = 0;
        if (!o)
            flow_problem(c, "opens_on", "公开征求意见须填写开始日期", "State when comment opens");
        if (!e)
            flow_problem(c, "closes_on", "公开征求意见须填写截止日期", "State when comment closes");
        if (o && e && !date_parse(o, &from) && !date_parse(e, &to)) {
            int64_t days = (int64_t)to - from; /* 日: the first day is not counted */
            if (days < 1)
                flow_problem(c, "closes_on", "截止日期须晚于开始日期", "Closes after it opens");
            else if (days < 30 && (!reason || !*reason))
                flow_problem(
                    c, "short_reason",
                    arena_printf(c->a,
                                 "公开征求意见期限为%lld日，少于30日的须说明理由（重大行政决策程序"
                                 "暂行条例第十五条）",
                                 (long long)days),
                    arena_printf(c->a,
                                 "The comment period is %lld days: under 30 days needs a stated "
                                 "reason (art. 15)",
                                 (long long)days));
            json_object_set_new(detail, "period_days", json_integer(days));
        }
    } else if (!strcmp(form, "hearing")) {
        const char *h = flow_arg_text(c, "hearing_on"), *m = flow_arg_text(c, "materials_on");
        int32_t hd = 0, md = 0;
        if (!h) flow_problem(c, "hearing_on", "听证会须填写听证日期", "State the hearing's date");
        if (!m)
            flow_problem(c, "materials_on", "听证会须填写向参加人提供听证材料的日期",
                         "State when the participants had the materials");
        if (h && m && !date_parse(h, &hd) && !date_parse(m, &md) && hd - md < 7)
            flow_problem(c, "materials_on",
                         arena_printf(c->a,
                                      "听证材料须在听证会7日前提供给参加人：本次仅提前%d日"
                                      "（重大行政决策程序暂行条例第十九条）",
                                      (int)(hd - md)),
                         arena_printf(c->a,
                                      "Hearing materials go to the participants 7 days before "
                                      "the hearing: these went %d days before (art. 19)",
                                      (int)(hd - md)));
    }
    if (c->pr->n) {
        json_decref(detail);
        return FLOW_INVALID;
    }
    int rc = step_put(c, "participation", "done", day, reason, detail);
    json_decref(detail);
    if (rc != FLOW_OK) return rc;
    json_int_t cid = (json_int_t)flow_arg_int(c, "consultation_id", 0);
    return db_exec(c->db,
                   "UPDATE decisions SET participation_form = ?, consultation_id = ? WHERE id = ?",
                   cid ? "sii" : "sni", form, cid ? (int64_t)cid : c->id, c->id) == DB_OK
               ? FLOW_OK
               : FLOW_DB;
}

/* 不适用: a step marked not applicable with its reason (the note) — a skipped step. */
static int skip(struct flow_ctx *c, const char *code) {
    int32_t day = step_day(c, "on");
    if (!day) return FLOW_INVALID;
    return step_put(c, code, "skipped", day, c->note, NULL);
}
static int fx_participation_na(struct flow_ctx *c) {
    return skip(c, "participation");
}
static int fx_expert_na(struct flow_ctx *c) {
    return skip(c, "expert");
}
static int fx_risk_na(struct flow_ctx *c) {
    return skip(c, "risk");
}

/* Add expert_id to the decision's experts (how: drawn, chosen), refusing one who declared an
 * interest in this decision, is inactive or is already on it. */
static int expert_add(struct flow_ctx *c, int64_t expert_id, const char *how) {
    const char *interest = NULL;
    if (decision_expert_interest(c->db, c->a, expert_id, c->id, &interest) != DB_OK) return FLOW_DB;
    if (*interest) {
        flow_problem(c, "expert_id",
                     arena_printf(c->a, "该专家已申报与本决策事项存在利害关系（%s），不得参与论证",
                                  interest),
                     arena_printf(c->a,
                                  "This expert declared an interest in this decision (%s) and "
                                  "cannot take part",
                                  interest));
        return FLOW_INVALID;
    }
    int64_t n = 0;
    int rc = db_query_int(c->db, &n, "SELECT COUNT(*) FROM experts WHERE id = ? AND active = 1",
                          "i", expert_id);
    if (rc != DB_ROW) return FLOW_DB;
    if (!n) {
        flow_problem(c, "expert_id", "专家库中没有该专家或已停用", "No such active expert");
        return FLOW_INVALID;
    }
    rc = db_query_int(c->db, &n,
                      "SELECT COUNT(*) FROM decision_experts WHERE decision_id = ? AND "
                      "expert_id = ?",
                      "ii", c->id, expert_id);
    if (rc != DB_ROW) return FLOW_DB;
    if (n) {
        flow_problem(c, "expert_id", "该专家已选定", "This expert is on the decision already");
        return FLOW_INVALID;
    }
    char now[21];
    now_iso(now);
    return db_exec(c->db,
                   "INSERT INTO decision_experts (decision_id, expert_id, how, created_at) "
                   "VALUES (?, ?, ?, ?)",
                   "iiss", c->id, expert_id, how, now) == DB_OK
               ? FLOW_OK
               : FLOW_DB;
}

static int fx_choose_expert(struct flow_ctx *c) {
    int64_t id = flow_arg_int(c, "expert_id", 0);
    int rc = expert_add(c, id, "chosen");
    if (rc == FLOW_OK) json_object_set_new(c->detail, "expert_id", json_integer(id));
    return rc;
}

/* 随机抽取: `count` experts at random (libsodium's uniform draw) among the active ones of the
 * pool (of the specialty, when given) who are not on the decision and declared no interest in
 * it; fewer candidates than asked is refused. */
#define DRAW_POOL_MAX 2000
static int fx_draw_experts(struct flow_ctx *c) {
    int64_t want = flow_arg_int(c, "draw_count", 3);
    const char *specialty = flow_arg_text(c, "specialty");
    struct db_stmt *st =
        db_queryv(c->db,
                  "SELECT x.id FROM experts x WHERE x.active = 1 AND (? = '' OR x.specialty = ?) "
                  "AND NOT EXISTS (SELECT 1 FROM decision_experts d WHERE d.decision_id = ? AND "
                  "d.expert_id = x.id) AND NOT EXISTS (SELECT 1 FROM expert_interests i WHERE "
                  "i.expert_id = x.id AND i.decision_id = ?) ORDER BY x.id LIMIT 2000",
                  "ssii", specialty ? specialty : "", specialty ? specialty : "", c->id, c->id);
    if (!st) return FLOW_DB;
    int64_t *pool = arena_alloc(c->a, sizeof(int64_t) * DRAW_POOL_MAX);
    int n = 0, rc;
    while ((rc = db_step(st)) == DB_ROW && n < DRAW_POOL_MAX)
        pool[n++] = db_col_int(st, 0);
    db_done(st);
    if (rc < 0) return FLOW_DB;
    if (n < want) {
        flow_problem(c, "draw_count",
                     arena_printf(c->a, "符合条件（无利害关系、未选定）的专家只有%d名", n),
                     arena_printf(c->a, "Only %d eligible experts (no interest, not on it)", n));
        return FLOW_INVALID;
    }
    json_t *drawn = json_array();
    for (int k = 0; k < want; k++) { /* a partial Fisher–Yates shuffle */
        int j = k + (int)randombytes_uniform((uint32_t)(n - k));
        int64_t t = pool[k];
        pool[k] = pool[j];
        pool[j] = t;
        rc = expert_add(c, pool[k], "drawn");
        if (rc != FLOW_OK) {
            json_decref(drawn);
            return rc;
        }
        json_array_append_new(drawn, json_integer(pool[k]));
    }
    json_object_set_new(c->detail, "drawn", drawn);
    json_object_set_new(c->detail, "candidates", json_integer(n));
    return FLOW_OK;
}

static int fx_expert(struct flow_ctx *c) {
    int32_t day = step_day(c, "held_on");
    if (!day) return FLOW_INVALID;
    json_t *d = args_detail(c);
    json_object_set_new(d, "experts", json_integer(DC(c)->experts));
    int rc = step_put(c, "expert", "done", day, NULL, d);
    json_decref(d);
    return rc;
}

static int fx_risk(struct flow_ctx *c) {
    int32_t day = step_day(c, "assessed_on");
    if (!day) return FLOW_INVALID;
    int third = flow_arg_bool(c, "third_party", 0);
    const char *org = flow_arg_text(c, "third_party_name");
    if (third && (!org || !*org)) {
        flow_problem(c, "third_party_name", "委托第三方评估时须填写第三方机构名称",
                     "Name the third party");
        return FLOW_INVALID;
    }
    json_t *d = args_detail(c);
    int rc = step_put(c, "risk", "done", day, NULL, d);
    json_decref(d);
    if (rc != FLOW_OK) return rc;
    return db_exec(c->db, "UPDATE decisions SET risk_unit_id = ? WHERE id = ?", "ii",
                   flow_arg_int(c, "assessor_unit_id", 0), c->id) == DB_OK
               ? FLOW_OK
               : FLOW_DB;
}

/* 送请合法性审查: the reviewer and a period of at least the setting's 工作日 (7, 第二十七条). */
static int fx_submit_review(struct flow_ctx *c) {
    int32_t day = step_day(c, "submitted_on");
    if (!day) return FLOW_INVALID;
    int64_t min = setting_int(c->db, "decision.review_min_days");
    int64_t days = flow_arg_int(c, "review_days", min);
    if (days < min) {
        flow_problem(c, "review_days",
                     arena_printf(c->a,
                                  "合法性审查期限不得少于%lld个工作日（重大行政决策程序暂行条例"
                                  "第二十七条：一般不少于7个工作日）",
                                  (long long)min),
                     arena_printf(c->a,
                                  "The reviewer gets at least %lld working days (art. 27: as a "
                                  "rule no fewer than 7)",
                                  (long long)min));
        return FLOW_INVALID;
    }
    int64_t reviewer = flow_arg_int(c, "reviewer_id", 0), n = 0;
    if (db_query_int(c->db, &n, "SELECT COUNT(*) FROM users WHERE id = ? AND locked = 0", "i",
                     reviewer) != DB_ROW)
        return FLOW_DB;
    if (!n) {
        flow_problem(c, "reviewer_id", "审查人员不存在或已停用", "No such active account");
        return FLOW_INVALID;
    }
    if (c->actor && c->actor->who && reviewer == c->actor->who->user_id) {
        flow_problem(c, "reviewer_id", "承办人员不能审查自己送审的草案",
                     "You cannot review your own submission");
        return FLOW_INVALID;
    }
    json_object_set_new(c->detail, "reviewer_id", json_integer(reviewer));
    json_object_set_new(c->detail, "review_days", json_integer(days));
    json_object_set_new(c->detail, "draft_version", json_integer(DC(c)->latest));
    return db_exec(c->db,
                   "UPDATE decisions SET reviewer_id = ?, review_days = ?, review_version = ?, "
                   "reviewed_version = NULL, review_opinion = NULL WHERE id = ?",
                   "iiii", reviewer, days, DC(c)->latest, c->id) == DB_OK
               ? FLOW_OK
               : FLOW_DB;
}

/* 合法性审查意见: on the version sent (the reviewer names it); 不合法 sends the draft back for
 * revision and resubmission, the step refused with the reasons. */
static int fx_review(struct flow_ctx *c) {
    int32_t day = step_day(c, "reviewed_on");
    if (!day) return FLOW_INVALID;
    int64_t v = flow_arg_int(c, "draft_version", 0);
    if (v != DC(c)->submitted) {
        flow_problem(c, "draft_version",
                     arena_printf(c->a, "审查意见只能针对送审的草案第%lld稿，不能针对第%lld稿",
                                  (long long)DC(c)->submitted, (long long)v),
                     arena_printf(c->a,
                                  "The review can pass only draft %lld, the version sent, not "
                                  "draft %lld",
                                  (long long)DC(c)->submitted, (long long)v));
        return FLOW_INVALID;
    }
    const char *opinion = flow_arg_text(c, "opinion");
    int lawful = strcmp(opinion, "unlawful") != 0;
    json_t *d = args_detail(c);
    int rc = step_put(c, "review", lawful ? "done" : "refused", day, c->note, d);
    json_decref(d);
    if (rc != FLOW_OK) return rc;
    if (!lawful) c->new_status = DS_REVIEW_READY;
    return db_exec(c->db,
                   "UPDATE decisions SET review_opinion = ?, reviewed_version = ? WHERE id = ?",
                   lawful ? "sii" : "sni", opinion, lawful ? v : c->id, c->id) == DB_OK
               ? FLOW_OK
               : FLOW_DB;
}

/* The last non-empty line of a speaking order, trimmed (arena). */
static const char *last_speaker(struct arena *a, const char *order) {
    const char *best = NULL, *p = order;
    size_t best_n = 0;
    while (p && *p) {
        const char *e = p + strcspn(p, "\n");
        const char *s = p, *t = e;
        while (s < t && (*s == ' ' || *s == '\t' || *s == '\r'))
            s++;
        while (t > s && (t[-1] == ' ' || t[-1] == '\t' || t[-1] == '\r'))
            t--;
        if (t > s) {
            best = s;
            best_n = (size_t)(t - s);
        }
        p = *e ? e + 1 : e;
    }
    if (!best) return "";
    char *out = arena_alloc(a, best_n + 1);
    memcpy(out, best, best_n);
    out[best_n] = 0;
    return out;
}

/* 集体讨论决定: the head speaks last (第三十条), dissent minuted; 不予通过 ends the file. */
static int fx_decide(struct flow_ctx *c) {
    int32_t day = step_day(c, "meeting_on");
    if (!day) return FLOW_INVALID;
    const char *head = flow_arg_text(c, "head");
    const char *last = last_speaker(c->a, flow_arg_text(c, "speaking_order"));
    if (strcmp(last, head)) {
        flow_problem(c, "speaking_order",
                     arena_printf(c->a,
                                  "行政首长（%s）应当最后发表意见：发言顺序中最后发言的是“%s”"
                                  "（重大行政决策程序暂行条例第三十条）",
                                  head, last),
                     arena_printf(c->a,
                                  "The head (%s) speaks last: the order ends with \"%s\" (art. "
                                  "30)",
                                  head, last));
        return FLOW_INVALID;
    }
    const char *result = flow_arg_text(c, "result");
    json_t *d = args_detail(c);
    int rc = step_put(c, "discussion", "done", day, NULL, d);
    json_decref(d);
    if (rc != FLOW_OK) return rc;
    if (!strcmp(result, "rejected")) c->new_status = DS_REJECTED;
    char on[11];
    date_format(day, on);
    return db_exec(c->db,
                   "UPDATE decisions SET decided_on = ?, decision_result = ?, "
                   "days_to_decision = ? WHERE id = ?",
                   "ssii", on, result, (int64_t)(day - DC(c)->started), c->id) == DB_OK
               ? FLOW_OK
               : FLOW_DB;
}

static int fx_publish(struct flow_ctx *c) {
    int32_t day = step_day(c, "published_on");
    if (!day) return FLOW_INVALID;
    json_t *d = args_detail(c);
    int rc = step_put(c, "publish", "done", day, NULL, d);
    json_decref(d);
    if (rc != FLOW_OK) return rc;
    char on[11];
    date_format(day, on);
    int64_t exec = flow_arg_int(c, "exec_unit_id", DC(c)->lead_unit_id);
    return db_exec(c->db, "UPDATE decisions SET published_on = ?, exec_unit_id = ? WHERE id = ?",
                   "sii", on, exec, c->id) == DB_OK
               ? FLOW_OK
               : FLOW_DB;
}

/* 决策后评估: never by the unit that did the pre-decision risk assessment. */
static int fx_evaluate(struct flow_ctx *c) {
    int32_t day = step_day(c, "evaluated_on");
    if (!day) return FLOW_INVALID;
    int64_t unit = flow_arg_int(c, "evaluator_unit_id", 0);
    if (!DC(c)->risk_skipped && DC(c)->risk_unit_id && unit == DC(c)->risk_unit_id) {
        const char *name = "";
        struct db_stmt *st = db_queryv(c->db, "SELECT name FROM units WHERE id = ?", "i", unit);
        if (st && db_step(st) == DB_ROW) name = arena_printf(c->a, "%s", db_col_text(st, 0));
        db_done(st);
        flow_problem(c, "evaluator_unit_id",
                     arena_printf(c->a,
                                  "决策后评估不得由承担决策前风险评估的单位（%s）进行，请另选评估"
                                  "单位",
                                  name),
                     arena_printf(c->a,
                                  "The post-decision evaluation cannot be done by the unit that "
                                  "assessed the risk before the decision (%s)",
                                  name));
        return FLOW_INVALID;
    }
    json_t *d = args_detail(c);
    int rc = step_put(c, "evaluate", "done", day, NULL, d);
    json_decref(d);
    if (rc != FLOW_OK) return rc;
    return db_exec(c->db, "UPDATE decisions SET evaluator_unit_id = ? WHERE id = ?", "ii", unit,
                   c->id) == DB_OK
               ? FLOW_OK
               : FLOW_DB;
}

/* ---- transitions ---- */

static const struct field args_revise[] = {
    {"draft", FT_LONGTEXT, "决策草案（新版本）", "Draft (new version)", 1, 200000, F_REQUIRED},
    {"draft_title", FT_TEXT, "版本说明", "Version title", 0, 200, 0},
};
static const struct field args_participate[] = {
    {"form", FT_ENUM, "公众参与方式", "Form", 0, 0, F_REQUIRED, forms, N(forms)},
    {"held_on", FT_DATE, "完成日期（默认今天）", "Done on (default today)", 0, 0, 0},
    {"opens_on", FT_DATE, "征求意见开始日期", "Comment opens", 0, 0, 0,
     .hint = "公开征求意见时填写"},
    {"closes_on", FT_DATE, "征求意见截止日期", "Comment closes", 0, 0, 0,
     .hint = "公开征求意见的期限一般不少于30日（第十五条）"},
    {"short_reason", FT_TEXT, "期限少于30日的理由", "Why shorter than 30 days", 0, 500, 0,
     .hint = "因情况紧急等原因需要缩短的，应当说明"},
    {"consultation_id", FT_INT, "征求意见记录", "Consultation", 0, FIELD_ID_MAX, 0,
     .hint = "公开征求意见（consultations）的编号"},
    {"hearing_on", FT_DATE, "听证日期", "Hearing date", 0, 0, 0},
    {"materials_on", FT_DATE, "听证材料送达参加人日期", "Materials to participants", 0, 0, 0,
     .hint = "应当在听证会7日前（第十九条）"},
    {"participants", FT_TEXT, "参加人员", "Participants", 0, 1000, 0},
    {"summary", FT_LONGTEXT, "意见收集及采纳情况", "Views and how they were taken", 1, 20000,
     F_REQUIRED},
};
static const struct field args_na[] = {
    {"on", FT_DATE, "认定日期（默认今天）", "Decided on (default today)", 0, 0, 0},
};
static const struct field args_choose[] = {
    {"expert_id", FT_INT, "专家", "Expert", 1, FIELD_ID_MAX, F_REQUIRED, .ref = "experts"},
};
static const struct field args_draw[] = {
    {"draw_count", FT_INT, "抽取人数", "How many", 1, 15, F_REQUIRED},
    {"specialty", FT_TEXT, "专业领域（可不填）", "Specialty (optional)", 0, 50, 0},
};
static const struct field args_expert[] = {
    {"held_on", FT_DATE, "论证日期（默认今天）", "Held on (default today)", 0, 0, 0},
    {"form", FT_TEXT, "论证方式", "How", 0, 100, 0, .hint = "论证会、书面咨询、委托咨询论证等"},
    {"opinion", FT_LONGTEXT, "专家论证意见", "Experts' opinion", 1, 20000, F_REQUIRED},
};
static const struct field args_risk[] = {
    {"assessed_on", FT_DATE, "评估日期（默认今天）", "Assessed on (default today)", 0, 0, 0},
    {"assessor_unit_id", FT_UNIT, "组织评估单位", "Assessing unit", 0, 0, F_REQUIRED,
     .ref = "units"},
    {"third_party", FT_BOOL, "委托第三方评估", "By a third party", 0, 0, 0},
    {"third_party_name", FT_TEXT, "第三方机构", "Third party", 0, 200, 0},
    {"risk_level", FT_ENUM, "风险等级", "Risk level", 0, 0, F_REQUIRED, risk_levels,
     N(risk_levels)},
    {"report", FT_LONGTEXT, "风险评估报告", "Report", 1, 20000, F_REQUIRED},
    {"risk_points", FT_LONGTEXT, "风险点", "Risk points", 1, 5000, F_REQUIRED},
    {"measures", FT_LONGTEXT, "风险防范措施", "Measures", 1, 5000, F_REQUIRED},
    {"contingency", FT_LONGTEXT, "处置预案", "Contingency plan", 1, 5000, F_REQUIRED},
};
static const struct field args_submit[] = {
    {"reviewer_id", FT_USER, "合法性审查人员", "Legality reviewer", 0, 0, F_REQUIRED,
     .ref = "users"},
    {"submitted_on", FT_DATE, "送审日期（默认今天）", "Sent on (default today)", 0, 0, 0},
    {"review_days", FT_INT, "审查期限（工作日）", "Review period (working days)", 1, 60, 0,
     .hint = "一般不少于7个工作日（第二十七条）"},
};
static const struct field args_review[] = {
    {"opinion", FT_ENUM, "审查意见", "Opinion", 0, 0, F_REQUIRED, opinions, N(opinions)},
    {"draft_version", FT_INT, "审查的草案版本", "Draft version reviewed", 1, 100000, F_REQUIRED},
    {"reviewed_on", FT_DATE, "审查日期（默认今天）", "Reviewed on (default today)", 0, 0, 0},
};
static const struct field args_decide[] = {
    {"meeting_type", FT_ENUM, "会议类型", "Meeting", 0, 0, F_REQUIRED, meetings, N(meetings)},
    {"meeting_on", FT_DATE, "会议日期", "Meeting date", 0, 0, F_REQUIRED},
    {"attendees", FT_TEXT, "出席人员", "Attendees", 1, 2000, F_REQUIRED},
    {"head", FT_TEXT, "行政首长", "Head", 1, 50, F_REQUIRED},
    {"speaking_order", FT_LONGTEXT, "发言顺序（每行一人）", "Speaking order (one per line)", 1,
     4000, F_REQUIRED, .hint = "行政首长最后发表意见（第三十条）"},
    {"dissent", FT_LONGTEXT, "不同意见", "Dissent", 0, 10000, 0, .hint = "如实记录"},
    {"result", FT_ENUM, "决定结果", "Result", 0, 0, F_REQUIRED, results, N(results)},
};
static const struct field args_publish[] = {
    {"published_on", FT_DATE, "公布日期（默认今天）", "Published on (default today)", 0, 0, 0},
    {"channel", FT_TEXT, "公布渠道", "Where", 1, 200, F_REQUIRED},
    {"interpretation", FT_LONGTEXT, "政策解读", "Interpretation (解读)", 1, 20000, F_REQUIRED},
    {"exec_unit_id", FT_UNIT, "执行单位（默认承办单位）", "Executing unit (default: lead)", 0, 0, 0,
     .ref = "units"},
    {"exec_unit_name", FT_TEXT, "执行单位", "Executing unit", 0, 0, F_EXPORT | F_READONLY,
     .sql = "(SELECT x.name FROM units x WHERE x.id = e.exec_unit_id)"},
};
static const struct field args_evaluate[] = {
    {"evaluator_unit_id", FT_UNIT, "评估单位", "Evaluating unit", 0, 0, F_REQUIRED, .ref = "units",
     .hint = "不得为承担决策前风险评估的单位"},
    {"evaluator_unit_name", FT_TEXT, "决策后评估单位", "Evaluated by", 0, 0, F_EXPORT | F_READONLY,
     .sql = "(SELECT x.name FROM units x WHERE x.id = e.evaluator_unit_id)"},
    {"evaluated_on", FT_DATE, "评估日期（默认今天）", "Evaluated on (default today)", 0, 0, 0},
    {"conclusion", FT_LONGTEXT, "评估结论", "Conclusion", 1, 20000, F_REQUIRED},
};

static const struct flow_clock_step steps_submit[] = {{"review", CLOCK_START, "submitted_on"}};
static const struct flow_clock_step steps_review[] = {{"review", CLOCK_STOP, "reviewed_on"}};

#define S(i)    (1u << (i))
#define ARGS(a) a, N(a)
#define NONE    NULL, 0
#define BEFORE_DECISION                                                                            \
    (S(DS_PARTICIPATION) | S(DS_EXPERT) | S(DS_RISK) | S(DS_REVIEW_READY) | S(DS_REVIEWING) |      \
     S(DS_DISCUSSION))

static const struct flow_confirm confirm_na = {
    "标记为不适用后，该决策将计为“跳过步骤”，确定？",
    "Marked not applicable, the decision counts as having skipped a step. Go on?"};

static const struct flow_transition transitions[] = {
    {"revise", "提交新版本草案", "New draft version", BEFORE_DECISION, -1, &perm_decision_work,
     "lead", 0, ARGS(args_revise), NONE, fx_revise, NONE, NULL, "default"},
    {"participate", "完成公众参与", "Public participation done", S(DS_PARTICIPATION), DS_EXPERT,
     &perm_decision_work, "lead", 0, ARGS(args_participate), NONE, fx_participate, NONE, NULL,
     "primary"},
    {"participation_na", "公众参与不适用", "Participation not applicable", S(DS_PARTICIPATION),
     DS_EXPERT, &perm_decision_work, "lead", 1, ARGS(args_na), NONE, fx_participation_na, NONE,
     NULL, "warning", &confirm_na},
    {"choose_expert", "选定专家", "Choose an expert", S(DS_EXPERT), -1, &perm_decision_work, "lead",
     0, ARGS(args_choose), NONE, fx_choose_expert, NONE, NULL, "default"},
    {"draw_experts", "随机抽取专家", "Draw experts", S(DS_EXPERT), -1, &perm_decision_work, "lead",
     0, ARGS(args_draw), NONE, fx_draw_experts, NONE, NULL, "default"},
    {"expert_review", "完成专家论证", "Expert review done", S(DS_EXPERT), DS_RISK,
     &perm_decision_work, "lead", 0, ARGS(args_expert), ARGS(guards_expert), fx_expert, NONE, NULL,
     "primary"},
    {"expert_na", "专家论证不适用", "Expert review not applicable", S(DS_EXPERT), DS_RISK,
     &perm_decision_work, "lead", 1, ARGS(args_na), NONE, fx_expert_na, NONE, NULL, "warning",
     &confirm_na},
    {"assess_risk", "完成风险评估", "Risk assessment done", S(DS_RISK), DS_REVIEW_READY,
     &perm_decision_work, "lead", 0, ARGS(args_risk), NONE, fx_risk, NONE, NULL, "primary"},
    {"risk_na", "风险评估不适用", "Risk assessment not applicable", S(DS_RISK), DS_REVIEW_READY,
     &perm_decision_work, "lead", 1, ARGS(args_na), NONE, fx_risk_na, NONE, NULL, "warning",
     &confirm_na},
    /* again while in review or after it: the draft changed, the reviewer must see the new
     * version (a review passes only the version sent; the collective decision only that one) */
    {"submit_review", "送请合法性审查", "Send for legality review",
     S(DS_REVIEW_READY) | S(DS_REVIEWING) | S(DS_DISCUSSION), DS_REVIEWING, &perm_decision_work,
     "lead", 0, ARGS(args_submit), NONE, fx_submit_review, ARGS(steps_submit), NULL, "primary"},
    {"review", "出具合法性审查意见", "Legality opinion", S(DS_REVIEWING), DS_DISCUSSION,
     &perm_decision_work, "reviewer", 1, ARGS(args_review), ARGS(guards_review), fx_review,
     ARGS(steps_review), NULL, "primary"},
    {"decide", "集体讨论决定", "Collective decision", BEFORE_DECISION, DS_DECIDED,
     &perm_decision_work, "lead", 0, ARGS(args_decide), ARGS(guards_decide), fx_decide, NONE, NULL,
     "success"},
    {"publish", "公布决策", "Publish", S(DS_DECIDED), DS_PUBLISHED, &perm_decision_work, "lead", 0,
     ARGS(args_publish), NONE, fx_publish, NONE, NULL, "success"},
    {"evaluate", "完成决策后评估", "Post-decision evaluation", S(DS_PUBLISHED), DS_EVALUATED,
     &perm_decision_work, "lead", 0, ARGS(args_evaluate), NONE, fx_evaluate, NONE, NULL, "primary"},
};

const struct flow_kind decision_kind = {
    .name = "decision",
    .zh = "重大行政决策",
    .en = "Major administrative decision",
    .entity = "decisions",
    .table = "decisions",
    .audit_type = "decision",
    .web_path = "/decisions",
    .perm_read = &perm_decision_view,
    .states = states,
    .n_states = DS_STATES,
    .transitions = transitions,
    .n_transitions = N(transitions),
    .relations = relations,
    .n_relations = N(relations),
    .clocks = clocks,
    .n_clocks = N(clocks),
    .events_table = "decision_events",
    .events_key = "decision_id",
    .file_owner = "decision_event", /* each step's documents */
    .unit_column = "lead_unit_id",
    .title_column = "decision_no",
    .perm_work = &perm_decision_work,
    .summary_column = "title",
    .explain_guards = 1, /* 集体讨论决定 shows why it waits for the legality review */
    .ctx_size = sizeof(struct dc_ctx),
    .load = load,
};

/* ---- the decisions entity ---- */

/* The catalogue item a create or update names anew (0: none, or unchanged). */
static int64_t new_item(const struct entity_write *w) {
    json_t *item = json_object_get(w->in, "item_id");
    if (!json_is_integer(item)) return 0;
    int64_t id = (int64_t)json_integer_value(item);
    json_t *was = w->cur ? json_object_get(w->cur, "item_id") : NULL;
    return json_is_integer(was) && (int64_t)json_integer_value(was) == id ? 0 : id;
}

static int dc_validate(struct entity_write *w) {
    /* a file opens on a published item of the catalogue that has none yet (建档) */
    int64_t item = new_item(w);
    if (item) {
        struct db_stmt *st = db_queryv(
            w->c->db,
            "SELECT i.status, (SELECT MAX(d.decision_no) FROM decisions d WHERE d.item_id = i.id)"
            " FROM decision_items i WHERE i.id = ?",
            "i", item);
        int rc = st ? db_step(st) : DB_ERROR;
        if (rc == DB_ROW && strcmp(db_col_text(st, 0), "published")) {
            const char *no = db_col_text(st, 1);
            if (no && *no)
                problem_add(w->pr, "item_id",
                            arena_printf(w->c->arena, "该目录事项已建立决策档案（%s）", no),
                            arena_printf(w->c->arena, "The item has its decision file (%s)", no));
            else
                problem_add(w->pr, "item_id", "只能为已公布的目录事项建立决策档案",
                            "Only a published catalogue item opens a decision file");
        } else if (rc == DB_DONE) {
            problem_add(w->pr, "item_id", "目录事项不存在", "No such catalogue item");
        }
        db_done(st);
        if (rc < 0) return rc;
    }
    const char *s = json_string_value(json_object_get(w->in, "started_on"));
    int32_t day = 0;
    if (s && date_parse(s, &day) == 0 && day > date_today())
        problem_add(w->pr, "started_on", "启动日期不能晚于今天", "Cannot be later than today");
    return entity_check_unit(w, "lead_unit_id", "只能登记本单位承办的决策",
                             "Only decisions your own unit leads");
}

int decision_insert(struct db *db, struct arena *a, const struct audit_actor *actor, json_t *in,
                    int64_t *id) {
    char now[21];
    now_iso(now);
    const char *started = entity_text(in, "started_on");
    json_t *item = json_object_get(in, "item_id");
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO decisions (decision_no, title, item_id, lead_unit_id, started_on, "
            "summary, status, created_by, created_at, updated_at, version) "
            "VALUES (NULL, ?, ?, ?, ?, ?, 'participation', ?, ?, ?, 1) RETURNING id");
    if (!st) return DB_ERROR;
    db_bind_text(st, 1, entity_text(in, "title"));
    if (json_is_integer(item))
        db_bind_int(st, 2, (int64_t)json_integer_value(item));
    else
        db_bind_null(st, 2);
    db_bind_id(st, 3, (int64_t)json_integer_value(json_object_get(in, "lead_unit_id")));
    db_bind_text(st, 4, started);
    db_bind_text(st, 5, entity_text(in, "summary"));
    db_bind_id(st, 6, actor->user_id);
    db_bind_text(st, 7, now);
    db_bind_text(st, 8, now);
    int rc = db_step(st);
    if (rc == DB_ROW) *id = db_col_int(st, 0);
    db_done(st);
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERROR;
    const char *no = NULL;
    rc = entity_number_set(db, a, &entity_decisions, *id, started, &no);
    int64_t v = 0;
    if (rc == DB_OK)
        rc = entity_version_add(db, &decision_versions, *id, "第1稿", entity_text(in, "draft"), "",
                                actor->user_id, &v);
    if (rc != DB_OK) return rc;
    return audit_append(db, actor, "decision.create", "decision",
                        arena_printf(a, "%lld", (long long)*id), "ok",
                        arena_printf(a, "{\"decision_no\":\"%s\"}", no));
}

/* The item named anew is 已建档 by this file (its timeline and audit say which). */
static int item_filed(struct entity_write *w, int64_t item) {
    if (!item) return DB_OK;
    struct flow_actor fa = {w->c->who, w->actor};
    int rc = catalog_item_filed(w->c->db, w->c->arena, &fa, item, w->id);
    return rc == FLOW_OK ? DB_OK : rc == FLOW_NOT_ALLOWED ? ENTITY_CONFLICT : DB_ERROR;
}

static int dc_create(struct entity_write *w) {
    int64_t item = new_item(w);
    int rc = decision_insert(w->c->db, w->c->arena, w->actor, w->in, &w->id);
    return rc == DB_OK ? item_filed(w, item) : rc;
}

/* 修改: the title and summary before the decision is taken (the draft changes by versions). */
static const char *const dc_edit_states[] = {"participation", "expert",     "risk", "review_ready",
                                             "reviewing",     "discussion", NULL};
static int dc_update(struct entity_write *w) {
    json_t *item = json_object_get(w->in, "item_id");
    int64_t filed = new_item(w);
    int rc =
        db_exec(w->c->db, "UPDATE decisions SET title = ?, summary = ?, item_id = ? WHERE id = ?",
                json_is_integer(item) ? "ssii" : "ssni", entity_text(w->in, "title"),
                entity_text(w->in, "summary"),
                json_is_integer(item) ? (int64_t)json_integer_value(item) : w->id, w->id);
    if (rc == DB_OK) rc = item_filed(w, filed);
    if (rc != DB_OK) return rc;
    return audit_append(w->c->db, w->actor, "decision.update", "decision",
                        arena_printf(w->c->arena, "%lld", (long long)w->id), "ok", "");
}

/* The legality reviewer's role holds decision.work with data scope ALL: for it "what is assigned"
 * narrows — a caller with decision.work but not decision.manage and scope ALL reads the
 * decisions sent to them for review and those of their own unit. Clerks (scope own) are
 * narrowed by the unit scope already (with `assignee`); the office and read-only leaders see
 * all. */
static void dc_visible(const struct entity_ctx *c, struct query *q) {
    const struct principal *p = c->who;
    if (p->scope == SCOPE_ALL && perm_has(p->perms, &perm_decision_work) &&
        !perm_has(p->perms, &perm_decision_manage))
        query_add(q, " AND (e.reviewer_id = ? OR e.lead_unit_id = ?)", "ii", p->user_id,
                  p->unit_id);
}

/* The steps panel (EP_GET): the statutory steps in order, each done, skipped (with its reason),
 * refused (with the reviewer's reasons), current or pending, with its day and the draft version
 * it saw; the experts on the decision; the newest draft. Three queries for the page. */
static int dc_decorate(const struct entity_ctx *c, json_t *items) {
    if (c->purpose != EP_GET || !json_array_size(items)) return DB_OK;
    json_t *rec = json_array_get(items, 0);
    int64_t id = (int64_t)json_integer_value(json_object_get(rec, "id"));
    const char *status = json_string_value(json_object_get(rec, "status"));
    int st_i = status ? flow_state_index(&decision_kind, status) : -1;
    static const int current_of[DS_STATES] = {
        [DS_PARTICIPATION] = 0, [DS_EXPERT] = 1,     [DS_RISK] = 2,    [DS_REVIEW_READY] = 3,
        [DS_REVIEWING] = 3,     [DS_DISCUSSION] = 4, [DS_DECIDED] = 5, [DS_PUBLISHED] = 6,
        [DS_EVALUATED] = -1,    [DS_REJECTED] = -1};
    int cur = st_i >= 0 ? current_of[st_i] : -1;
    json_t *rows[N_STEPS] = {0};
    struct db_stmt *st = db_queryv(c->db,
                                   "SELECT step, state, on_date, draft_version, reason, detail "
                                   "FROM decision_steps WHERE decision_id = ?",
                                   "i", id);
    int rc;
    while (st && (rc = db_step(st)) == DB_ROW) {
        for (int k = 0; k < N_STEPS; k++)
            if (!strcmp(steps[k].code, db_col_text(st, 0))) {
                json_t *detail = json_loads(db_col_text(st, 5), 0, NULL);
                json_decref(rows[k]);
                rows[k] = json_pack("{s:s,s:s,s:I,s:s,s:o}", "state", db_col_text(st, 1), "on",
                                    db_col_text(st, 2), "draft_version",
                                    (json_int_t)db_col_int(st, 3), "reason", db_col_text(st, 4),
                                    "detail", detail ? detail : json_object());
            }
    }
    db_done(st);
    if (!st) return DB_ERROR;
    /* 执行: the executing unit's reports */
    int64_t reports = 0;
    const char *last_report = NULL;
    st = db_queryv(c->db,
                   "SELECT COUNT(*), MAX(reported_on) FROM decision_reports WHERE decision_id = ?",
                   "i", id);
    if (st && db_step(st) == DB_ROW) {
        reports = db_col_int(st, 0);
        const char *t = db_col_text(st, 1);
        last_report = t ? arena_printf(c->arena, "%s", t) : NULL;
    }
    db_done(st);
    if (reports && !rows[6])
        rows[6] =
            json_pack("{s:s,s:s?,s:n,s:s,s:{s:I}}", "state", "done", "on", last_report,
                      "draft_version", "reason", "", "detail", "reports", (json_int_t)reports);
    json_t *out = json_array();
    for (int k = 0; k < N_STEPS; k++) {
        json_t *s = rows[k];
        if (!s) {
            int evaluated = st_i == DS_EVALUATED;
            s = json_pack("{s:s,s:n,s:n,s:s,s:{}}", "state",
                          k == cur                         ? "current"
                          : (evaluated && k == 6)          ? "done"
                          : (st_i == DS_REJECTED && k > 4) ? "not_reached"
                                                           : "pending",
                          "on", "draft_version", "reason", "", "detail");
        }
        json_object_set_new(s, "code", json_string(steps[k].code));
        json_object_set_new(s, "label", json_string(c->lang ? steps[k].en : steps[k].zh));
        json_object_set_new(s, "zh", json_string(steps[k].zh));
        json_object_set_new(s, "en", json_string(steps[k].en));
        json_object_set_new(s, "current", json_boolean(k == cur));
        json_array_append_new(out, s);
    }
    json_object_set_new(rec, "steps", out);
    /* the experts on it */
    json_t *experts = json_array();
    st = db_queryv(c->db,
                   "SELECT x.id, x.name, x.specialty, d.how FROM decision_experts d JOIN experts x "
                   "ON x.id = d.expert_id WHERE d.decision_id = ? ORDER BY d.id",
                   "i", id);
    while (st && (rc = db_step(st)) == DB_ROW)
        json_array_append_new(experts,
                              json_pack("{s:I,s:s,s:s,s:s}", "id", (json_int_t)db_col_int(st, 0),
                                        "name", db_col_text(st, 1), "specialty", db_col_text(st, 2),
                                        "how", db_col_text(st, 3)));
    db_done(st);
    json_object_set_new(rec, "experts", experts);
    if (!st) return DB_ERROR;
    /* the newest draft */
    st = db_queryv(c->db,
                   "SELECT number, body FROM record_versions WHERE kind = ? AND record_id = ? "
                   "ORDER BY number DESC LIMIT 1",
                   "si", decision_versions.kind, id);
    if (st && db_step(st) == DB_ROW)
        json_object_set_new(rec, "draft", json_string(db_col_text(st, 1)));
    else
        json_object_set_new(rec, "draft", json_null());
    db_done(st);
    return st ? DB_OK : DB_ERROR;
}

/* Decided: the collective decision was taken (adopted or not). A step skipped (marked not
 * applicable) — or done out of order, which the gates make impossible — is the gap. */
#define DECIDED_SQL "e.decided_on IS NOT NULL"
#define SKIPPED_SQL                                                                                \
    "EXISTS (SELECT 1 FROM decision_steps s WHERE s.decision_id = e.id AND s.state = 'skipped')"
#define LATEST_SQL                                                                                 \
    "(SELECT MAX(v.number) FROM record_versions v WHERE v.kind = 'decision' AND "                  \
    "v.record_id = e.id)"
#define SKIPPED_LIST_SQL                                                                           \
    "(SELECT COUNT(*) FROM decision_steps s WHERE s.decision_id = e.id AND s.state = 'skipped')"

static const struct field fields[] = {
    {"id", FT_INT, "序号", "ID", 0, 0, F_READONLY},
    {"decision_no", FT_TEXT, "决策编号", "Number", 0, 20,
     F_LIST | F_SORT | F_SEARCH | F_EXPORT | F_READONLY},
    {"title", FT_TEXT, "决策事项", "Decision", 1, 200,
     F_REQUIRED | F_LIST | F_SEARCH | F_EXPORT | F_CREATE | F_UPDATE},
    {"item_id", FT_REF, "决策事项目录条目", "Catalogue item", 1, FIELD_ID_MAX,
     F_FILTER | F_EXPORT | F_CREATE | F_UPDATE, .hint = "决策事项目录中的条目（可不填）",
     .ref = "decision_items"},
    {"lead_unit_id", FT_UNIT, "承办单位", "Lead unit", 0, 0, F_REQUIRED | F_FILTER | F_CREATE,
     .ref = "units"},
    {"lead_unit_name", FT_TEXT, "承办单位", "Lead unit", 0, 0, F_LIST | F_EXPORT | F_READONLY,
     .sql = "lu.name"},
    {"started_on", FT_DATE, "启动日期", "Started", 0, 0,
     F_REQUIRED | F_LIST | F_FILTER | F_SORT | F_EXPORT | F_CREATE},
    {"summary", FT_LONGTEXT, "决策事项说明", "About the decision", 0, 5000,
     F_EXPORT | F_CREATE | F_UPDATE},
    {"draft", FT_LONGTEXT, "决策草案", "Draft", 1, 200000, F_REQUIRED | F_CREATE | F_VIRTUAL,
     .hint = "保存为第1稿；此后的修改以新版本提交"},
    {"draft_version", FT_INT, "草案版本", "Draft version", 0, 0, F_LIST | F_EXPORT | F_READONLY,
     .sql = LATEST_SQL},
    {"participation_form", FT_ENUM, "公众参与方式", "Participation", 0, 0,
     F_FILTER | F_EXPORT | F_READONLY, forms, N(forms)},
    {"consultation_id", FT_INT, "征求意见记录", "Consultation", 0, 0, F_FILTER | F_READONLY},
    {"risk_unit_id", FT_UNIT, "风险评估单位", "Risk assessed by", 0, 0, F_READONLY, .ref = "units"},
    {"risk_unit_name", FT_TEXT, "风险评估单位", "Risk assessed by", 0, 0, F_EXPORT | F_READONLY,
     .sql = "(SELECT x.name FROM units x WHERE x.id = e.risk_unit_id)"},
    {"reviewer_id", FT_USER, "合法性审查人员", "Legality reviewer", 0, 0, F_FILTER | F_READONLY,
     .ref = "users"},
    {"reviewer_name", FT_TEXT, "合法性审查人员", "Legality reviewer", 0, 0, F_EXPORT | F_READONLY,
     .sql = "ru.display_name"},
    {"review_days", FT_INT, "审查期限（工作日）", "Review period (working days)", 0, 0,
     F_EXPORT | F_READONLY},
    {"review_version", FT_INT, "送审草案版本", "Draft sent for review", 0, 0, F_READONLY},
    {"review_opinion", FT_ENUM, "合法性审查意见", "Legality opinion", 0, 0,
     F_LIST | F_FILTER | F_EXPORT | F_READONLY | F_LABEL, opinions, N(opinions)},
    {"reviewed_version", FT_INT, "通过审查的草案版本", "Draft passed", 0, 0, F_READONLY},
    {"decided_on", FT_DATE, "决定日期", "Decided on", 0, 0,
     F_LIST | F_FILTER | F_SORT | F_EXPORT | F_READONLY},
    {"decision_result", FT_ENUM, "决定结果", "Result", 0, 0, F_FILTER | F_EXPORT | F_READONLY,
     results, N(results)},
    {"days_to_decision", FT_INT, "启动至决定天数", "Days to decision", 0, 0, F_EXPORT | F_READONLY},
    {"published_on", FT_DATE, "公布日期", "Published on", 0, 0, F_FILTER | F_EXPORT | F_READONLY},
    {"exec_unit_id", FT_UNIT, "执行单位", "Executing unit", 0, 0, F_READONLY, .ref = "units"},
    {"evaluator_unit_id", FT_UNIT, "决策后评估单位", "Evaluated by", 0, 0, F_READONLY,
     .ref = "units"},
    {"skipped_steps", FT_INT, "跳过的步骤数", "Steps skipped", 0, 0, F_EXPORT | F_READONLY,
     .sql = SKIPPED_LIST_SQL},
    {"steps", FT_JSON, "决策程序", "Procedure", 0, 0, F_VIRTUAL | F_READONLY},
    {"experts", FT_JSON, "论证专家", "Experts", 0, 0, F_VIRTUAL | F_READONLY},
    {"status", FT_ENUM, "状态", "Status", 0, 0, F_LIST | F_FILTER | F_EXPORT | F_READONLY,
     status_options, DS_STATES},
    {"created_at", FT_DATETIME, "创建时间", "Created", 0, 0, F_SORT | F_READONLY},
    {"updated_at", FT_DATETIME, "更新时间", "Updated", 0, 0, F_READONLY},
    {"version", FT_INT, "版本", "Version", 0, 0, F_READONLY},
};

static const struct entity_filter filters[] = {
    {"decided", FT_BOOL, "已作出决定", "Decided", DECIDED_SQL, "e.decided_on IS NULL"},
    {"skipped", FT_BOOL, "有跳过的步骤", "A step skipped", SKIPPED_SQL, "NOT " SKIPPED_SQL},
};

static const struct entity_metric metrics[] = {
    {"in_order_rate", "决策程序完整率", "Steps done in order", METRIC_RATE,
     DECIDED_SQL " AND NOT " SKIPPED_SQL, DECIDED_SQL, NULL,
     "每个法定步骤（公众参与、专家论证、风险评估、合法性审查、集体讨论决定）都按顺序完成的决策 ÷ "
     "已作出决定的决策，按启动日期计入期间",
     "Decisions with every statutory step done in order / decisions taken, by the day started"},
    {"skipped", "跳过步骤的决策", "Decided with a step skipped", METRIC_COUNT,
     DECIDED_SQL " AND " SKIPPED_SQL, NULL, NULL,
     "已作出决定、但有步骤标记为不适用（跳过）的决策：“100%”背后的缺口",
     "Decisions taken with a step marked not applicable (skipped): the gap behind \"100%\""},
    {"decided", "已作出决定的决策", "Decisions taken", METRIC_COUNT, DECIDED_SQL, NULL, NULL,
     "已经集体讨论决定的决策", "Decisions through the collective decision"},
    {"avg_decision_days", "启动至决定平均天数", "Average days to decision", METRIC_AVG, DECIDED_SQL,
     NULL, "e.days_to_decision", "从启动到集体讨论决定的平均日数",
     "Average days from the start to the collective decision"},
};

static const struct entity_child children[] = {
    {"decision_reports", "decision_id"},
    {"consultations", "decision_id"}, /* 公开征求意见 of the draft, its tally and 采纳情况 */
};

static const struct entity_number entity_decisions_number = {"decision_no", "JC"};

const struct entity entity_decisions = {
    .name = "decisions",
    .path = "/api/v1/decisions",
    .zh = "重大行政决策",
    .en = "Major administrative decisions",
    .table = "decisions",
    .alias = "e",
    .from = "decisions e LEFT JOIN units lu ON lu.id = e.lead_unit_id "
            "LEFT JOIN users ru ON ru.id = e.reviewer_id",
    .fields = fields,
    .n_fields = ENTITY_N(fields),
    /* the lead unit (承办单位) reads its own decisions, the reviewer those sent to them (see
     * dc_visible for the reviewer role's scope ALL), the office every one */
    .scope = {.unit_column = "e.lead_unit_id", .assignee = "e.reviewer_id"},
    .filters = filters,
    .n_filters = ENTITY_N(filters),
    .default_sort = "-started_on",
    .perm_read = &perm_decision_view,
    .perm_create = &perm_decision_work,
    .perm_update = &perm_decision_work,
    .audit_type = "decision",
    .export_name = "decisions",
    .export_sheet = "重大行政决策",
    .edit_states = dc_edit_states,
    .kind = &decision_kind,
    .visible = dc_visible,
    .decorate = dc_decorate,
    .validate = dc_validate,
    .create = dc_create,
    .update = dc_update,
    .metrics = metrics,
    .n_metrics = ENTITY_N(metrics),
    .metric_date = "e.started_on",
    .children = children,
    .n_children = ENTITY_N(children),
    .versions = &decision_versions,
    .number = &entity_decisions_number,
};

/* ---- 执行: the executing unit's reports, child records of a published decision ---- */

static int report_validate(struct entity_write *w) {
    json_t *parent = json_object_get(w->in, "decision_id");
    if (!json_is_integer(parent)) return DB_OK;
    struct entity_ctx c;
    int rc = entity_ctx_init(&c, w->c->db, w->c->arena, &entity_decisions, w->c->who, w->c->lang,
                             EP_COUNT);
    if (rc != DB_OK) return rc;
    json_t *rec = entity_get(&c, (int64_t)json_integer_value(parent), &rc);
    if (!rec && rc != DB_DONE) return rc;
    const char *status = rec ? json_string_value(json_object_get(rec, "status")) : NULL;
    int64_t exec = 0;
    if (rec &&
        db_query_int(w->c->db, &exec,
                     "SELECT COALESCE(exec_unit_id, lead_unit_id) FROM decisions WHERE id = ?", "i",
                     (int64_t)json_integer_value(parent)) != DB_ROW)
        rc = DB_ERROR;
    if (!rec)
        problem_add(w->pr, "decision_id", "决策不存在或不在本单位范围内",
                    "No such decision in your scope");
    else if (!status || strcmp(status, "published"))
        problem_add(w->pr, "decision_id", "只有已公布、正在执行的决策可以报告执行情况",
                    "Only a published decision in force takes execution reports");
    else if (w->c->who->unit_id != exec && !perm_has(w->c->who->perms, &perm_decision_manage))
        problem_add(w->pr, "decision_id", "执行情况由决策执行单位报告",
                    "The executing unit reports the execution");
    json_decref(rec);
    return rc == DB_ERROR ? rc : DB_OK;
}

static int report_create(struct entity_write *w) {
    char now[21];
    now_iso(now);
    struct db_stmt *st = db_prepare(
        w->c->db, "INSERT INTO decision_reports (decision_id, unit_id, reported_on, progress, "
                  "content, problems, created_by, created_at, updated_at, version) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1) RETURNING id");
    if (!st) return DB_ERROR;
    int64_t decision = (int64_t)json_integer_value(json_object_get(w->in, "decision_id"));
    db_bind_id(st, 1, decision);
    db_bind_id(st, 2, w->c->who->unit_id);
    db_bind_text(st, 3, entity_text(w->in, "reported_on"));
    db_bind_text(st, 4, entity_text(w->in, "progress"));
    db_bind_text(st, 5, entity_text(w->in, "content"));
    db_bind_text(st, 6, entity_text(w->in, "problems"));
    db_bind_id(st, 7, w->actor->user_id);
    db_bind_text(st, 8, now);
    db_bind_text(st, 9, now);
    int rc = db_step(st);
    if (rc == DB_ROW) w->id = db_col_int(st, 0);
    db_done(st);
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERROR;
    return audit_append(w->c->db, w->actor, "decision_report.create", "decision_report",
                        arena_printf(w->c->arena, "%lld", (long long)w->id), "ok",
                        arena_printf(w->c->arena, "{\"decision_id\":%lld}", (long long)decision));
}

static const struct field_option progress_options[] = {
    {"on_track", "按计划推进", "On track", "success"},
    {"delayed", "进度滞后", "Behind schedule", "warning"},
    {"problem", "遇到问题需调整", "Needs adjustment", "danger"},
};

static const struct field report_fields[] = {
    {"id", FT_INT, "序号", "ID", 0, 0, F_READONLY},
    {"decision_id", FT_REF, "决策", "Decision", 1, FIELD_ID_MAX, F_REQUIRED | F_FILTER | F_CREATE,
     .ref = "decisions"},
    {"decision_no", FT_TEXT, "决策编号", "Decision number", 0, 0, F_LIST | F_EXPORT | F_READONLY,
     .sql = "d.decision_no"},
    {"decision_title", FT_TEXT, "决策事项", "Decision", 0, 0, F_LIST | F_EXPORT | F_READONLY,
     .sql = "d.title"},
    {"lead_unit_id", FT_UNIT, "承办单位", "Lead unit", 0, 0, F_FILTER | F_READONLY,
     .sql = "d.lead_unit_id", .ref = "units"},
    {"unit_id", FT_UNIT, "报告单位", "Reporting unit", 0, 0, F_FILTER | F_READONLY, .ref = "units"},
    {"unit_name", FT_TEXT, "报告单位", "Reporting unit", 0, 0, F_LIST | F_EXPORT | F_READONLY,
     .sql = "ru.name"},
    {"reported_on", FT_DATE, "报告日期", "Reported on", 0, 0,
     F_REQUIRED | F_LIST | F_FILTER | F_SORT | F_EXPORT | F_CREATE},
    {"progress", FT_ENUM, "执行情况", "Progress", 0, 0,
     F_REQUIRED | F_LIST | F_FILTER | F_EXPORT | F_CREATE, progress_options, N(progress_options)},
    {"content", FT_LONGTEXT, "执行情况报告", "Report", 1, 20000, F_REQUIRED | F_EXPORT | F_CREATE},
    {"problems", FT_LONGTEXT, "存在问题及建议", "Problems and proposals", 0, 5000,
     F_EXPORT | F_CREATE},
    {"created_at", FT_DATETIME, "创建时间", "Created", 0, 0, F_READONLY},
    {"updated_at", FT_DATETIME, "更新时间", "Updated", 0, 0, F_READONLY},
    {"version", FT_INT, "版本", "Version", 0, 0, F_READONLY},
};

const struct entity entity_decision_reports = {
    .name = "decision_reports",
    .path = "/api/v1/decision-reports",
    .zh = "决策执行情况",
    .en = "Decision execution reports",
    .table = "decision_reports",
    .alias = "r",
    .from = "decision_reports r JOIN decisions d ON d.id = r.decision_id "
            "LEFT JOIN units ru ON ru.id = r.unit_id",
    .filter_from = "decision_reports r JOIN decisions d ON d.id = r.decision_id",
    .fields = report_fields,
    .n_fields = ENTITY_N(report_fields),
    /* a report is its decision's: the lead unit reads them, the office every one */
    .scope = {.unit_column = "d.lead_unit_id"},
    .default_sort = "-reported_on",
    .perm_read = &perm_decision_view,
    .perm_create = &perm_decision_work,
    .audit_type = "decision_report",
    .export_name = "decision-reports",
    .export_sheet = "决策执行情况",
    .validate = report_validate,
    .create = report_create,
};
