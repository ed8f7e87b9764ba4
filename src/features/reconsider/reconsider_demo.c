/* reconsider_demo.c — demo reconsideration cases: `fazhi demo` registers a year of applications
 * as the office and walks each through the kind as the accounts whose turn it is (the office
 * reviews, hears and decides; the respondent unit's clerk answers), with the dates of each step
 * given, so the states, timelines, clocks and audit records are the engine's own: every decision
 * type, 补正 suspensions, extensions, the simplified procedure, late applications refused or
 * accepted for good cause, unanswered and overdue cases. `fazhi demo --scale` adds a scaled
 * number set-based. */
#include <stdio.h>
#include <string.h>

#include "base/calendar.h"
#include "base/timeutil.h"
#include "features/flow/flow_demo.h"
#include "features/org/org.h"
#include "features/reconsider/reconsider.h"
#include "store/query.h"

#define DEMO_CASES 48

static const char *const respondents[] = {"police",  "market",    "urban",     "natres",
                                          "housing", "ecology",   "hrss",      "chengguan",
                                          "health",  "dongcheng", "education", "emergency"};
static const struct {
    const char *type, *act, *request;
} acts[] = {
    {"penalty", "区公安分局作出的治安管理处罚决定（罚款五百元、行政拘留五日）",
     "请求撤销该行政处罚决定。"},
    {"penalty", "区市场监督管理局作出的食品安全行政处罚决定书（罚款二万元）", "请求变更罚款数额。"},
    {"coercion", "区城市管理综合执法局强制拆除临时搭建物的行为", "请求确认强制拆除行为违法。"},
    {"licence", "区自然资源局不予批准建设用地规划许可的决定",
     "请求撤销不予许可决定并责令重新作出。"},
    {"expropriation", "区住房和城乡建设局作出的房屋征收补偿决定", "请求变更补偿数额。"},
    {"penalty", "区生态环境分局作出的责令停产整治并罚款的决定", "请求撤销该处罚决定。"},
    {"confirmation", "区人力资源和社会保障局作出的不予认定工伤决定", "请求撤销不予认定工伤决定。"},
    {"inaction", "城关街道办事处未在法定期限内答复违建查处举报",
     "请求责令被申请人依法履行查处职责。"},
    {"disclosure", "区卫生健康局作出的政府信息公开答复",
     "请求责令被申请人重新答复并公开相关信息。"},
    {"agreement", "东城街道办事处单方解除房屋租赁行政协议的行为", "请求确认解除行为无效。"},
    {"penalty", "区教育局对民办培训机构作出的警告并罚款的决定", "请求撤销该行政处罚决定。"},
    {"coercion", "区应急管理局查封生产经营场所的行政强制措施", "请求确认查封行为违法并解除查封。"},
};
static const char *const applicants[] = {"王建国", "李秀英", "张伟", "刘芳", "陈静", "杨磊",
                                         "赵敏",   "黄海",   "周婷", "吴刚", "徐丽", "孙强"};
static const char *const companies[] = {"城关区惠民食品有限公司", "南湖建材经营部",
                                        "东城物业服务有限公司", "北山镇青山养殖场"};

/* A demo ID number with a valid check digit (GB 11643): 110101, a birth date, a sequence. */
static void demo_id_no(int i, char out[19]) {
    static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    snprintf(out, 19, "110101%04d%02d%02d%03d", 1960 + i % 40, 1 + i % 12, 1 + i % 28,
             100 + i % 900);
    int s = 0;
    for (int k = 0; k < 17; k++)
        s += (out[k] - '0') * w[k];
    out[17] = "10X98765432"[s % 11];
    out[18] = 0;
}

/* Take one step as `who`, with the record's current version. */
static int act(struct db *db, struct arena *a, const char *who, int64_t id, const char *action,
               json_t *body) {
    return flow_demo_act(db, a, &reconsideration_kind, who, id, action, body, 0, 0);
}

static const char *clerk_of(struct arena *a, const char *unit) {
    if (!strcmp(unit, "justice")) return "clerk1";
    if (!strcmp(unit, "chengguan")) return "clerk2";
    return arena_printf(a, "clerk_%s", unit);
}

static const char *day_text(struct arena *a, int32_t d) {
    char *s = arena_alloc(a, 11);
    date_format(d, s);
    return s;
}

static const char *const decide_types[] = {
    "change",  "revoke",    "confirm_illegal", "order_perform", "confirm_void", "uphold",
    "dismiss", "mediation", "uphold",          "dismiss",       "uphold"};
#define N_DECIDE (int)(sizeof decide_types / sizeof decide_types[0])

static int demo_case(struct db *db, struct arena *a, const struct audit_actor *office, int i,
                     int32_t today, int *decisions) {
    int32_t received = today - 12 - i * 7;
    int late = i % 10 == 9, late_accepted = i % 17 == 8;
    int32_t knew = received - (late ? 95 : late_accepted ? 75 : 8 + i % 40);
    int k = i % (int)(sizeof acts / sizeof acts[0]);
    const char *unit = respondents[k];
    json_t *in =
        json_pack("{s:s,s:s,s:I,s:s,s:s,s:s}", "received_on", day_text(a, received), "knew_on",
                  day_text(a, knew), "respondent_unit_id", (json_int_t)unit_id_by_code(db, unit),
                  "act_type", acts[k].type, "act", acts[k].act, "request", acts[k].request);
    int64_t id;
    int rc = reconsideration_insert(db, a, office, in, &id);
    json_decref(in);
    /* 登记 in its timeline, as the API's create */
    if (rc == DB_OK) rc = flow_demo_created(db, a, &reconsideration_kind, office->username, id);
    if (rc != DB_OK) return rc;
    char id_no[19], phone[12];
    demo_id_no(i, id_no);
    snprintf(phone, sizeof phone, "139%08d", 10000000 + i * 7919);
    json_t *parties = json_pack("[{s:s,s:s,s:s,s:s}]", "role", "applicant", "name",
                                i % 6 == 5 ? companies[i % 4] : applicants[i % 12], "id_no",
                                i % 6 == 5 ? "" : id_no, "phone", phone);
    if (i % 4 == 0)
        json_array_append_new(
            parties, json_pack("{s:s,s:s}", "role", "agent", "name",
                               i % 8 ? "赵律师（城关律师事务所）" : "钱律师（南湖律师事务所）"));
    rc = entity_parties_write(db, a, &reconsideration_parties, id, parties);
    json_decref(parties);
    if (rc != DB_OK) return rc;
    const char *clerk = clerk_of(a, unit);
    if (i < 2) return DB_OK; /* the newest: under acceptance review */
    int32_t review_end = received + 4;
    if (i % 7 == 3 || i == 2) { /* 补正: the review clock pauses */
        if (act(db, a, "office", id, "request_correction",
                json_pack("{s:s,s:s}", "notified_on", day_text(a, received + 2), "note",
                          "申请书未载明具体的复议请求和事实理由，请于收到通知之日起十日内补正。")))
            return DB_ERROR;
        if (i == 2) return DB_OK; /* still waiting for the materials */
        if (act(db, a, "office", id, "correction_received",
                json_pack("{s:s}", "supplied_on", day_text(a, received + 9))))
            return DB_ERROR;
        review_end = received + 12;
    }
    if (late) /* past the 60 日 without good cause */
        return act(
            db, a, "office", id, "not_accept",
            json_pack("{s:s,s:s}", "decided_on", day_text(a, review_end), "note",
                      "申请超过法定申请期限且无正当理由，依据行政复议法第三十条决定不予受理。"));
    int simplified = i % 5 == 0;
    int32_t accepted = review_end;
    json_t *body = json_pack("{s:s,s:s}", "procedure_type", simplified ? "simplified" : "ordinary",
                             "accepted_on", day_text(a, accepted));
    if (late_accepted)
        json_object_set_new(body, "late_reason",
                            json_string("申请人因住院治疗耽误申请期限，已提交医院证明。"));
    if (act(db, a, "office", id, "accept", body)) return DB_ERROR;
    if (i % 11 != 4 && accepted + 9 <= today && /* one respondent never answered */
        act(db, a, clerk, id, "answer",
            json_pack("{s:s,s:s}", "answered_on", day_text(a, accepted + 9), "note",
                      "已提交书面答复及作出行政行为的证据、依据。")))
        return DB_ERROR;
    if (i % 4 == 1 && accepted + 25 <= today &&
        act(db, a, "office", id, "hearing",
            json_pack("{s:s,s:s}", "held_on", day_text(a, accepted + 25), "note",
                      "组织听证，申请人、被申请人到场陈述意见。")))
        return DB_ERROR;
    int extended = !simplified && i % 6 == 2;
    if (extended && accepted + 50 <= today &&
        act(db, a, "office", id, "extend",
            json_pack("{s:i,s:s}", "days", 30, "note",
                      "案情复杂，经行政复议机构负责人批准延长审理期限三十日。")))
        return DB_ERROR;
    if (i % 13 == 6) return DB_OK; /* still undecided: overdue */
    int32_t decided = accepted + (simplified ? 24 : extended ? 78 : 45);
    if (decided > today) return DB_OK; /* under review */
    int n = (*decisions)++;
    if (n % (N_DECIDE + 1) == N_DECIDE) { /* 和解/撤回 */
        if (act(db, a, "office", id, "terminate",
                json_pack("{s:s,s:s}", "decided_on", day_text(a, decided), "note",
                          "申请人与被申请人达成和解，申请人撤回行政复议申请，决定终止行政复议。")))
            return DB_ERROR;
    } else if (act(db, a, "office", id, "decide",
                   json_pack("{s:s,s:s,s:s}", "decision_type", decide_types[n % (N_DECIDE + 1)],
                             "decided_on", day_text(a, decided), "note",
                             "经审理，依法作出行政复议决定。")))
        return DB_ERROR;
    if (decided + 15 <= today && act(db, a, "office", id, "close", json_object())) return DB_ERROR;
    return DB_OK;
}

int reconsideration_demo(struct db *db, struct arena *a, int32_t today) {
    /* the engine takes no step dated after the real today: a demo made for a later day
     * (--today) keeps its cases' dates at the real one */
    if (today > date_today()) today = date_today();
    struct principal office;
    struct audit_actor au;
    if (flow_demo_actor(db, a, "office", &office, &au)) return DB_ERROR;
    int decisions = 0;
    for (int i = DEMO_CASES - 1; i >= 0; i--) /* oldest first: numbers follow the dates */
        if (demo_case(db, a, &au, i, today, &decisions) != DB_OK) return DB_ERROR;
    return DB_OK;
}

/* The scaled set: as many cases as tasks, spread over the units below the root and the last
 * 364 days; those received more than 90 days ago decided (the nine types in turn), the rest
 * under review. One INSERT … SELECT (the days are a bound VALUES list: portable date text),
 * then their decision clocks, marked stale for the engine to compute once committed. */
#define SCALE_DAYS 364

static int scale_clocks(struct db *db, const char *now) {
    int rc =
        db_exec(db,
                "INSERT INTO record_clocks (kind, record_id, clock, start_on, period, unit, "
                "stopped_on, due_on, state, late, stale, created_at, updated_at, version) "
                "SELECT 'reconsideration', s.id, 'decide', s.accepted_on, CASE "
                "s.procedure_type WHEN 'simplified' THEN 30 ELSE 60 END, 'days', "
                "s.decided_on, s.accepted_on, 'running', 0, 1, ?, ?, 1 "
                "FROM reconsiderations s WHERE s.case_no LIKE 'FS%' AND s.accepted_on IS NOT NULL "
                "AND NOT EXISTS "
                "(SELECT 1 FROM record_clocks c WHERE c.kind = 'reconsideration' AND "
                "c.record_id = s.id AND c.clock = 'decide')",
                "ss", now, now);
    return rc == DB_OK ? DB_DONE : rc;
}

int reconsideration_demo_scale(struct db *db, int64_t volume, int32_t today) {
    struct arena *a = arena_new(1 << 16);
    struct query q;
    query_init(&q, a,
               "WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq "
               "WHERE i < ?), days(k, day) AS (VALUES ");
    query_add(&q, "", "i", volume > 0 ? volume : 1);
    for (int k = 0; k < SCALE_DAYS; k++) {
        char *d = arena_alloc(a, 11);
        date_format(today - 1 - k, d);
        query_add(&q, k ? ", (CAST(? AS BIGINT), ?)" : "(CAST(? AS BIGINT), ?)", "is", (int64_t)k,
                  d);
    }
    char recent[11], accepted[11], now[21];
    date_format(today - 90, recent);
    date_format(today - 10, accepted);
    now_iso(now);
    query_add(
        &q,
        "), u AS (SELECT id, ROW_NUMBER() OVER (ORDER BY id) - 1 AS k, COUNT(*) OVER () AS n "
        "FROM units WHERE parent_id IS NOT NULL) "
        "INSERT INTO reconsiderations (case_no, received_on, knew_on, respondent_unit_id, "
        "act_type, act, request, procedure_type, accepted_on, decision_type, decided_on, status, "
        "created_at, updated_at, version) "
        "SELECT 'FS' || SUBSTR(d.day, 1, 4) || '-' || CAST(1000000 + s.i AS TEXT), d.day, d.day, "
        "u.id, CASE s.i % 3 WHEN 0 THEN 'penalty' WHEN 1 THEN 'coercion' ELSE 'licence' END, "
        "'被申请复议的行政行为（批量生成）', '请求撤销该行政行为。', "
        "CASE WHEN s.i % 5 = 0 THEN 'simplified' ELSE 'ordinary' END, "
        "CASE WHEN d.day < ? THEN da.day END, "
        "CASE WHEN d.day < ? THEN CASE s.i % 9 WHEN 0 THEN 'change' WHEN 1 THEN 'revoke' "
        "WHEN 2 THEN 'confirm_illegal' WHEN 3 THEN 'order_perform' WHEN 4 THEN 'confirm_void' "
        "WHEN 5 THEN 'dismiss' WHEN 6 THEN 'mediation' WHEN 7 THEN 'settlement' ELSE 'uphold' "
        "END END, CASE WHEN d.day < ? THEN dd.day END, "
        "CASE WHEN d.day < ? THEN 'closed' WHEN d.day < ? THEN 'accepted' ELSE 'received' END, "
        "?, ?, 1 FROM seq s JOIN u ON u.k = s.i % u.n JOIN days d ON d.k = s.i % ? "
        /* accepted 5 days after receipt, decided 50 days after (the days 5 and 50 later) */
        "LEFT JOIN days da ON da.k = d.k - 5 LEFT JOIN days dd ON dd.k = d.k - 50",
        "sssssssi", accepted, recent, recent, recent, accepted, now, now, (int64_t)SCALE_DAYS);
    struct db_stmt *st = query_prepare(db, &q);
    int rc = st ? db_step(st) : DB_ERROR;
    db_done(st);
    if (rc == DB_DONE) rc = scale_clocks(db, now);
    arena_free(a);
    return rc == DB_DONE ? DB_OK : (rc < 0 ? rc : DB_ERROR);
}
