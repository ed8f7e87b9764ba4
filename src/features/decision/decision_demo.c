/* decision_demo.c — demo 重大行政决策: `fazhi demo` builds the expert pool (two experts with
 * declared interests) and ten decision files across the demo units, one in each state, walked
 * through the kind as the lead units' clerks and the legality reviewer with the dates of each
 * step; one file tried to go to the collective decision before its legality review — the
 * engine refused it, and the refusal with its reason is kept on the file's timeline and in the
 * audit log. One decided file marked 专家论证 not applicable (the gap the metrics show).
 * `fazhi demo --scale` adds 0.005 × volume decisions set-based. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/calendar.h"
#include "base/timeutil.h"
#include "features/flow/flow_demo.h"
#include "features/accounts/accounts.h"
#include "features/decision/decision.h"
#include "features/org/org.h"
#include "store/query.h"

static const struct {
    const char *name, *specialty, *title, *employer;
} experts[] = {
    {"周明远", "law", "教授", "省行政学院"},
    {"陈思琪", "law", "律师", "某律师事务所"},
    {"林振华", "planning", "正高级工程师", "市城市规划设计研究院"},
    {"黄晓燕", "planning", "副教授", "某大学建筑与城市规划学院"},
    {"吴国强", "environment", "研究员", "省环境科学研究院"},
    {"郑丽华", "economy", "教授", "某大学经济学院"},
    {"孙浩然", "social", "副研究员", "市社会科学院"},
    {"马文杰", "engineering", "高级工程师", "市建设工程质量检测中心"},
    {"刘雅琴", "finance", "注册会计师", "某会计师事务所"},
    {"许志刚", "environment", "高级工程师", "市水利水电勘测设计院"},
    {"何佳怡", "social", "教授", "某大学社会学院"},
    {"谢立新", "economy", "高级经济师", "区发展研究中心"},
};
#define N_EXPERTS (int)(sizeof experts / sizeof experts[0])

enum {
    UNTIL_PARTICIPATION,
    UNTIL_EXPERT,
    UNTIL_RISK,
    UNTIL_REVIEW_READY,
    UNTIL_REVIEWING,
    UNTIL_DISCUSSION,
    UNTIL_DECIDED,
    UNTIL_PUBLISHED,
    UNTIL_EVALUATED,
    UNTIL_REJECTED
};

static const struct {
    const char *unit, *title, *summary;
    int until;    /* the state it is left in */
    int skip_exp; /* 专家论证 marked not applicable */
    int refused;  /* tried to decide before the legality review */
    const char *form;
} files[] = {
    {"chengguan", "城关街道老旧小区加装电梯实施办法",
     "规范老旧小区加装电梯的申请、审批、补助和后续管理。", UNTIL_EVALUATED, 0, 0, "consultation"},
    {"urban", "城区燃气管道老化更新改造三年行动方案",
     "2026—2028年城区燃气管道更新改造的范围、资金和进度安排。", UNTIL_PUBLISHED, 0, 0, "hearing"},
    {"ecology", "区餐厨垃圾收运处置收费标准", "调整餐厨垃圾收运处置收费标准。", UNTIL_DECIDED, 1, 0,
     "consultation"},
    {"housing", "区保障性租赁住房管理办法", "保障性租赁住房的准入、退出、租金和监管。",
     UNTIL_DISCUSSION, 0, 0, "forum"},
    {"natres", "区国土空间总体规划（2026—2035年）", "全区国土空间开发保护格局和用途管制。",
     UNTIL_REVIEWING, 0, 0, "consultation"},
    {"market", "农贸市场提升改造补助办法", "农贸市场提升改造的补助对象、标准和程序。",
     UNTIL_REVIEW_READY, 0, 1, "survey"},
    {"hrss", "区就业困难人员公益性岗位补贴办法", "公益性岗位的开发、认定和补贴标准。", UNTIL_RISK,
     0, 0, "forum"},
    {"police", "城区电动自行车通行管理规定", "电动自行车限行区域、时段和停放管理。", UNTIL_EXPERT,
     0, 0, "hearing"},
    {"chengguan", "城关街道社区养老服务设施布局规划", "社区嵌入式养老服务设施的布局和建设时序。",
     UNTIL_PARTICIPATION, 0, 0, NULL},
    {"urban", "城区主干道沿街广告招牌设置规范", "主干道沿街广告招牌的设置标准和审批。",
     UNTIL_REJECTED, 0, 0, "consultation"},
};
#define N_FILES (int)(sizeof files / sizeof files[0])

/* Declared interests (利害关系申报), each in one file, declared as soon as the file exists: such an
 * expert is never drawn for it and cannot be chosen. */
static const struct {
    int expert, file;
    const char *interest;
} interests[] = {
    {2, 0, "本人所在单位承接了该街道加装电梯的设计业务"},
    {1, 1, "曾担任燃气经营企业的常年法律顾问"},
    {7, 5, "其近亲属经营的企业拟申请农贸市场改造补助"},
};

static const char *day_text(struct arena *a, int32_t d) {
    char *s = arena_alloc(a, 11);
    date_format(d, s);
    return s;
}

/* Take `action` as `who`; FLOW_NOT_ALLOWED is handed back (with pr) when `may_refuse`. */
static int act_as(struct db *db, struct arena *a, const char *who, int64_t id, const char *action,
                  json_t *body, int may_refuse, struct problems *pr) {
    struct principal p;
    struct audit_actor au;
    int64_t version = 0;
    if (flow_demo_actor(db, a, who, &p, &au) ||
        db_query_int(db, &version, "SELECT version FROM decisions WHERE id = ?", "i", id) !=
            DB_ROW) {
        json_decref(body);
        return FLOW_DB;
    }
    json_object_set_new(body, "version", json_integer(version));
    struct flow_actor fa = {&p, &au};
    int rc = flow_apply(db, a, &fa, &decision_kind, id, action, body, pr);
    json_decref(body);
    if (rc != FLOW_OK && !(may_refuse && rc == FLOW_NOT_ALLOWED))
        fprintf(stderr, "fazhi demo: decision %lld %s as %s: %d %s\n", (long long)id, action, who,
                rc, pr->n ? pr->p[0].zh : (pr->zh ? pr->zh : ""));
    return rc;
}
static int act(struct db *db, struct arena *a, const char *who, int64_t id, const char *action,
               json_t *body) {
    return flow_demo_act(db, a, &decision_kind, who, id, action, body, 0, 0);
}

/* The attempt to decide before the legality review: refused by the engine; the refusal and its
 * reason go on the file's timeline and into the audit log (the attempt itself wrote nothing). */
static int try_decide_early(struct db *db, struct arena *a, const char *clerk, int64_t id,
                            int32_t day) {
    struct problems pr = {.arena = a};
    json_t *body = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "meeting_type", "executive", "meeting_on",
                             day_text(a, day), "attendees", "区政府常务会议组成人员", "head",
                             "王建国", "speaking_order", "李副区长\n王建国", "result", "adopted");
    int rc = act_as(db, a, clerk, id, "decide", body, 1, &pr);
    if (rc != FLOW_NOT_ALLOWED) return DB_ERROR; /* it must be refused */
    struct principal p;
    struct audit_actor au;
    if (flow_demo_actor(db, a, clerk, &p, &au)) return DB_ERROR;
    struct flow_actor fa = {&p, &au};
    const char *reason = pr.zh ? pr.zh : "";
    /* the detail the engine's refusals carry (flow_refusal_audit) */
    json_t *detail = json_pack("{s:s,s:s,s:s,s:s}", "action", "decide", "action_name",
                               "集体讨论决定", "message", reason, "message_en", pr.en ? pr.en : "");
    char *text = json_dumps(detail, JSON_COMPACT);
    json_decref(detail);
    const char *dt = arena_printf(a, "%s", text ? text : "{}");
    free(text);
    if (flow_event_append(db, a, &fa, &decision_kind, id, "decide_refused", reason, dt, 0) !=
        FLOW_OK)
        return DB_ERROR;
    return audit_append(db, &au, "decision.refused", "decision",
                        arena_printf(a, "%lld", (long long)id), "denied", dt);
}

static int demo_file(struct db *db, struct arena *a, int i, int32_t today,
                     const int64_t *expert_ids) {
    const char *unit = files[i].unit;
    const char *clerk = !strcmp(unit, "chengguan") ? "clerk2" : arena_printf(a, "clerk_%s", unit);
    struct principal p;
    struct audit_actor au;
    if (flow_demo_actor(db, a, clerk, &p, &au)) return DB_ERROR;
    int32_t s = today - 250 + i * 12; /* started */
    json_t *in = json_pack("{s:s,s:I,s:s,s:s,s:s}", "title", files[i].title, "lead_unit_id",
                           (json_int_t)unit_id_by_code(db, unit), "started_on", day_text(a, s),
                           "summary", files[i].summary, "draft",
                           arena_printf(a,
                                        "%s（征求意见稿）\n第一条 为了做好%s工作，制定本办法。\n"
                                        "第二条 本办法适用于本区行政区域。",
                                        files[i].title, files[i].title));
    int64_t id;
    int rc = decision_insert(db, a, &au, in, &id);
    json_decref(in);
    /* 登记 in its timeline, as the API's create */
    if (rc == DB_OK) rc = flow_demo_created(db, a, &decision_kind, clerk, id);
    if (rc != DB_OK) return rc;
    for (int k = 0; k < (int)(sizeof interests / sizeof interests[0]); k++) {
        if (interests[k].file != i) continue;
        json_t *d =
            json_pack("{s:I,s:I,s:s,s:s}", "expert_id", (json_int_t)expert_ids[interests[k].expert],
                      "decision_id", (json_int_t)id, "interest", interests[k].interest,
                      "declared_on", day_text(a, s + 1));
        int64_t iid;
        rc = decision_interest_insert(db, a, &au, d, &iid);
        json_decref(d);
        if (rc != DB_OK) return rc;
    }
    int until = files[i].until;
    if (until == UNTIL_PARTICIPATION) return DB_OK;
    /* 公众参与 */
    const char *form = files[i].form;
    json_t *part;
    if (!strcmp(form, "consultation"))
        part =
            json_pack("{s:s,s:s,s:s,s:s,s:s}", "form", form, "opens_on", day_text(a, s + 3),
                      "closes_on", day_text(a, s + 33), "held_on", day_text(a, s + 34), "summary",
                      "通过区政府门户网站公开征求意见，收到意见建议23条，采纳14条，"
                      "未采纳的已说明理由。");
    else if (!strcmp(form, "hearing"))
        part = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "form", form, "materials_on",
                         day_text(a, s + 20), "hearing_on", day_text(a, s + 30), "held_on",
                         day_text(a, s + 30), "participants", "听证代表15人（居民、企业、专家）",
                         "summary", "听证会意见已整理，主要意见已采纳。");
    else
        part = json_pack("{s:s,s:s,s:s,s:s}", "form", form, "held_on", day_text(a, s + 25),
                         "participants", "相关企业、群众代表", "summary",
                         "收集意见建议并逐条研究，采纳情况已反馈。");
    if (act(db, a, clerk, id, "participate", part)) return DB_ERROR;
    if (until == UNTIL_EXPERT) {
        /* experts chosen so far; the one with an interest in this file is not among them */
        return act(db, a, clerk, id, "choose_expert",
                   json_pack("{s:I}", "expert_id", (json_int_t)expert_ids[(i + 3) % N_EXPERTS]));
    }
    /* 专家论证 */
    if (files[i].skip_exp) {
        if (act(db, a, clerk, id, "expert_na",
                json_pack("{s:s}", "note",
                          "收费标准调整属价格主管部门成本监审范围，未组织专家论证")))
            return DB_ERROR;
    } else {
        if (act(db, a, clerk, id, "choose_expert",
                json_pack("{s:I}", "expert_id", (json_int_t)expert_ids[(i + 4) % N_EXPERTS])) ||
            act(db, a, clerk, id, "draw_experts", json_pack("{s:i}", "draw_count", 2)) ||
            act(db, a, clerk, id, "expert_review",
                json_pack("{s:s,s:s,s:s}", "held_on", day_text(a, s + 45), "form", "专家论证会",
                          "opinion", "方案总体可行，建议进一步细化配套措施和实施步骤。")))
            return DB_ERROR;
    }
    if (until == UNTIL_RISK) return DB_OK;
    /* 风险评估 */
    int third = i % 2 == 0;
    if (act(db, a, clerk, id, "assess_risk",
            json_pack("{s:s,s:I,s:b,s:s,s:s,s:s,s:s,s:s,s:s}", "assessed_on", day_text(a, s + 55),
                      "assessor_unit_id", (json_int_t)unit_id_by_code(db, unit), "third_party",
                      third, "third_party_name", third ? "某社会稳定风险评估中心" : "",
                      "risk_level", i % 3 ? "medium" : "low", "report",
                      "社会稳定风险评估报告（略）", "risk_points",
                      "部分群众对费用分担有异议；施工期间影响出行。", "measures",
                      "加强政策宣传解读；分段错峰施工。", "contingency",
                      "设立专班和热线，出现群体性诉求时及时响应处置。")))
        return DB_ERROR;
    if (files[i].refused && try_decide_early(db, a, clerk, id, s + 58)) return DB_ERROR;
    if (until == UNTIL_REVIEW_READY) return DB_OK;
    /* 合法性审查 */
    int64_t reviewer = account_id_by_username(db, "reviewer");
    if (act(db, a, clerk, id, "submit_review",
            json_pack("{s:I,s:s,s:i}", "reviewer_id", (json_int_t)reviewer, "submitted_on",
                      day_text(a, until == UNTIL_REVIEWING ? today - 3 : s + 60), "review_days",
                      until == UNTIL_REVIEWING ? 10 : 7)))
        return DB_ERROR;
    if (until == UNTIL_REVIEWING) return DB_OK;
    if (act(db, a, "reviewer", id, "review",
            json_pack("{s:s,s:i,s:s,s:s}", "opinion", i % 3 == 1 ? "lawful_amended" : "lawful",
                      "draft_version", 1, "reviewed_on", day_text(a, s + 68), "note",
                      "经审查，决策主体权限、程序和内容符合法律、法规、规章规定。")))
        return DB_ERROR;
    if (until == UNTIL_DISCUSSION) return DB_OK;
    /* 集体讨论决定 */
    if (act(db, a, clerk, id, "decide",
            json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "meeting_type", "executive", "meeting_on",
                      day_text(a, s + 80), "attendees",
                      "区长、副区长、区政府办主任及相关部门负责人", "head", "王建国",
                      "speaking_order", "承办单位负责人汇报\n李卫东\n张红梅\n王建国", "dissent",
                      i % 2 ? "张红梅副区长建议延长过渡期。" : "", "result",
                      until == UNTIL_REJECTED ? "rejected" : "adopted")))
        return DB_ERROR;
    if (until == UNTIL_DECIDED || until == UNTIL_REJECTED) return DB_OK;
    if (act(db, a, clerk, id, "publish",
            json_pack("{s:s,s:s,s:s}", "published_on", day_text(a, s + 90), "channel",
                      "区政府门户网站、区政务新媒体", "interpretation",
                      "一、制定背景\n二、主要内容\n三、适用对象和办理流程（政策解读）")))
        return DB_ERROR;
    /* 执行: the lead unit's reports */
    for (int k = 0; k < 2 && s + 120 + k * 60 <= today; k++) {
        char now[21];
        now_iso(now);
        int64_t rid = 0;
        struct db_stmt *ins = db_queryv(
            db,
            "INSERT INTO decision_reports (decision_id, unit_id, reported_on, progress, content, "
            "created_by, created_at, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1) "
            "RETURNING id",
            "iisssiss", id, p.unit_id, day_text(a, s + 120 + k * 60), k ? "on_track" : "delayed",
            k ? "已完成年度目标任务的75%。" : "前期准备完成，部分项目进度滞后。", au.user_id, now,
            now);
        rc = ins ? db_step(ins) : DB_ERROR;
        if (rc == DB_ROW) rid = db_col_int(ins, 0);
        db_done(ins);
        if (rc != DB_ROW) return DB_ERROR;
        rc = audit_append(db, &au, "decision_report.create", "decision_report",
                          arena_printf(a, "%lld", (long long)rid), "ok",
                          arena_printf(a, "{\"decision_id\":%lld}", (long long)id));
        if (rc != DB_OK) return rc;
    }
    if (until == UNTIL_PUBLISHED) return DB_OK;
    return act(db, a, clerk, id, "evaluate",
               json_pack("{s:I,s:s,s:s}", "evaluator_unit_id",
                         (json_int_t)unit_id_by_code(db, "justice"), "evaluated_on",
                         day_text(a, s + 235), "conclusion",
                         "决策目标基本实现，群众满意度较高，建议继续实施并完善补助标准。"));
}

int decision_demo(struct db *db, struct arena *a, int32_t today) {
    if (today > date_today()) today = date_today();
    struct principal p;
    struct audit_actor au;
    if (flow_demo_actor(db, a, "office", &p, &au)) return DB_ERROR;
    int64_t ids[N_EXPERTS];
    for (int i = 0; i < N_EXPERTS; i++) {
        json_t *in = json_pack("{s:s,s:s,s:s,s:s,s:b}", "name", experts[i].name, "specialty",
                               experts[i].specialty, "title", experts[i].title, "employer",
                               experts[i].employer, "active", 1);
        int rc = decision_expert_insert(db, a, &au, in, &ids[i]);
        json_decref(in);
        if (rc != DB_OK) return rc;
    }
    for (int i = 0; i < N_FILES; i++)
        if (demo_file(db, a, i, today, ids) != DB_OK) return DB_ERROR;
    return DB_OK;
}

/* The scaled set: 0.005 × volume decisions over the units below the root and the last 364 days,
 * set-based: those started more than 200 days ago decided and published with every step done
 * (one in ten with 专家论证 skipped), the rest in 公众参与. Steps as rows of decision_steps. */
#define SCALE_DAYS 364

int decision_demo_scale(struct db *db, int64_t volume, int32_t today) {
    int64_t n = volume / 200;
    if (n < 1) return DB_OK;
    struct arena *a = arena_new(1 << 16);
    struct query q;
    query_init(&q, a,
               "WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq "
               "WHERE i < ?), days(k, day) AS (VALUES ");
    query_add(&q, "", "i", n);
    for (int k = 0; k < SCALE_DAYS; k++) {
        char *d = arena_alloc(a, 11);
        date_format(today - 1 - k, d);
        query_add(&q, k ? ", (CAST(? AS BIGINT), ?)" : "(CAST(? AS BIGINT), ?)", "is", (int64_t)k,
                  d);
    }
    char old[11], now[21];
    date_format(today - 200, old);
    now_iso(now);
    query_add(&q,
              "), u AS (SELECT id, ROW_NUMBER() OVER (ORDER BY id) - 1 AS k, COUNT(*) OVER () AS n "
              "FROM units WHERE parent_id IS NOT NULL) "
              "INSERT INTO decisions (decision_no, title, lead_unit_id, started_on, summary, "
              "participation_form, review_opinion, review_version, reviewed_version, decided_on, "
              "decision_result, days_to_decision, published_on, status, created_at, updated_at, "
              "version) "
              "SELECT 'JT' || SUBSTR(d.day, 1, 4) || '-' || CAST(1000000 + s.i AS TEXT), "
              "'重大行政决策事项（批量生成）' || CAST(s.i AS TEXT), u.id, d.day, '批量生成', "
              "'consultation', CASE WHEN d.day < ? THEN 'lawful' END, "
              "CASE WHEN d.day < ? THEN 1 END, CASE WHEN d.day < ? THEN 1 END, "
              "CASE WHEN d.day < ? THEN dd.day END, CASE WHEN d.day < ? THEN 'adopted' END, "
              "CASE WHEN d.day < ? THEN 120 END, CASE WHEN d.day < ? THEN dd.day END, "
              "CASE WHEN d.day < ? THEN 'published' ELSE 'participation' END, ?, ?, 1 "
              "FROM seq s JOIN u ON u.k = s.i % u.n JOIN days d ON d.k = (s.i * 17) % ? "
              "LEFT JOIN days dd ON dd.k = d.k - 120",
              "ssssssssssi", old, old, old, old, old, old, old, old, now, now, (int64_t)SCALE_DAYS);
    struct db_stmt *st = query_prepare(db, &q);
    int rc = st ? db_step(st) : DB_ERROR;
    db_done(st);
    /* the steps of the decided ones: five statutory steps and 公布 (专家论证 skipped in one in
     * ten) */
    static const char *const steps5[] = {"participation", "expert",     "risk",
                                         "review",        "discussion", "publish"};
    for (int k = 0; rc == DB_DONE && k < 6; k++)
        rc = db_exec(db,
                     "INSERT INTO decision_steps (decision_id, step, state, on_date, "
                     "draft_version, reason, detail, created_at) "
                     "SELECT e.id, ?, CASE WHEN ? = 'expert' AND e.id % 10 = 0 THEN 'skipped' "
                     "ELSE 'done' END, e.decided_on, 1, CASE WHEN ? = 'expert' AND e.id % 10 = 0 "
                     "THEN '批量生成：不适用' ELSE '' END, '{}', ? FROM decisions e "
                     "WHERE e.decision_no LIKE 'JT%' AND e.decided_on IS NOT NULL AND NOT EXISTS "
                     "(SELECT 1 FROM decision_steps x WHERE x.decision_id = e.id AND x.step = ?)",
                     "sssss", steps5[k], steps5[k], steps5[k], now, steps5[k]) == DB_OK
                 ? DB_DONE
                 : DB_ERROR;
    if (rc == DB_DONE)
        rc = db_exec(db,
                     "INSERT INTO record_versions (kind, record_id, number, title, body, note, "
                     "created_by, created_at) SELECT 'decision', e.id, 1, '第1稿', "
                     "'决策草案（批量生成）', '', NULL, ? FROM decisions e WHERE e.decision_no "
                     "LIKE 'JT%' AND NOT EXISTS (SELECT 1 FROM record_versions v WHERE v.kind = "
                     "'decision' AND v.record_id = e.id)",
                     "s", now) == DB_OK
                 ? DB_DONE
                 : DB_ERROR;
    arena_free(a);
    return rc == DB_DONE ? DB_OK : (rc < 0 ? rc : DB_ERROR);
}
