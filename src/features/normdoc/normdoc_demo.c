/* normdoc_demo.c — demo 规范性文件, 涉法政策 and 合同: `fazhi demo` registers 40 documents over the
 * year as the drafting units' clerks and walks each through the kind as the accounts whose turn it
 * is, each step on its own day (flow_apply_on), so states, timelines, clocks and audit records are
 * the engine's own — under review, sent back and revised, passed, issued, filed on time and late,
 * under filing review, corrected, revoked, cleaned up, expiring — plus one document issued without
 * review (recorded by the office at filing) and 10 contracts. `fazhi demo --scale` adds a few per
 * unit set-based. */
#include <stdio.h>
#include <string.h>

#include "base/calendar.h"
#include "base/timeutil.h"
#include "features/accounts/accounts.h"
#include "features/normdoc/normdoc.h"
#include "features/org/org.h"
#include "store/query.h"

#define DEMO_DOCS      40
#define DEMO_CONTRACTS 10

static const struct {
    const char *unit, *prefix, *title, *basis;
} docs[] = {
    {"chengguan", "城街规", "城关街道临时占道经营管理办法",
     "《城市市容和环境卫生管理条例》第十四条；《城市道路管理条例》第三十一条"},
    {"market", "区市监规", "区市场监督管理局行政处罚裁量基准",
     "《中华人民共和国行政处罚法》第三十四条"},
    {"urban", "区城管规", "区城市管理综合执法轻微违法行为免罚清单",
     "《中华人民共和国行政处罚法》第三十三条"},
    {"housing", "区住建规", "区老旧小区改造资金管理办法",
     "《国务院办公厅关于全面推进城镇老旧小区改造工作的指导意见》"},
    {"education", "区教规", "区校外培训机构监督管理暂行办法",
     "《中华人民共和国民办教育促进法》第四十一条"},
    {"health", "区卫健规", "区医疗机构依法执业自查管理规定", "《医疗机构管理条例》第二十五条"},
    {"ecology", "区环规", "区建设项目环境影响评价分级审批办法",
     "《中华人民共和国环境影响评价法》第二十三条"},
    {"emergency", "区应急规", "区安全生产举报奖励实施办法",
     "《中华人民共和国安全生产法》第七十六条"},
    {"natres", "区资规", "区集体经营性建设用地入市管理办法",
     "《中华人民共和国土地管理法》第六十三条"},
    {"dongcheng", "东街规", "东城街道物业服务企业信用评价办法", "《物业管理条例》第三十二条"},
    {"hrss", "区人社规", "区就业见习补贴管理办法", "《中华人民共和国就业促进法》第十五条"},
    {"civil", "区民规", "区最低生活保障审核确认实施细则", "《社会救助暂行办法》第九条"},
    {"police", "区公规", "区犬只管理规定", "《中华人民共和国动物防疫法》第三十条"},
};
#define N_DOCS (int)(sizeof docs / sizeof docs[0])

static const struct {
    const char *unit, *title, *counterparty;
    int64_t amount;
} contracts[DEMO_CONTRACTS] = {
    {"chengguan", "城关街道环卫保洁服务外包合同", "南湖物业服务有限公司", 1280000},
    {"urban", "区城市管理智慧监管平台建设合同", "城关信息技术有限公司", 3650000},
    {"education", "区第三中学校舍维修工程施工合同", "北山建筑工程有限公司", 2150000},
    {"health", "区社区卫生服务中心设备采购合同", "东城医疗器械有限公司", 980000},
    {"housing", "区保障性住房物业服务合同", "西城物业管理有限公司", 760000},
    {"justice", "区法律援助案件委托代理协议", "城关律师事务所", 300000},
    {"dongcheng", "东城街道办公用房租赁合同", "东城置业有限公司", 420000},
    {"ecology", "区河道水质第三方监测服务合同", "青石环境检测有限公司", 560000},
    {"market", "区食品安全快检服务合同", "南湖检测技术有限公司", 480000},
    {"natres", "区土地整治项目测绘服务合同", "北山测绘有限公司", 890000},
};

static int actor_of(struct db *db, struct arena *a, const char *username, struct principal *p,
                    struct audit_actor *au) {
    int64_t id = account_id_by_username(db, username);
    if (!id || principal_load(db, a, id, p) != DB_ROW) return -1;
    *au = (struct audit_actor){p->user_id, p->username, p->role, p->unit_id, "local", ""};
    return 0;
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

struct walk {
    struct db *db;
    struct arena *a;
    const struct flow_kind *kind;
    int64_t id;
    int32_t today; /* no step after it */
    int stopped;   /* a step would have been after today: the record stays where it is */
};

/* Take one step as `who` on `day` (its date arguments and clocks), unless that is after today.
 * DB_OK (also when skipped) or DB_ERROR. */
static int act(struct walk *w, const char *who, int32_t day, const char *action, json_t *body) {
    if (w->stopped || day > w->today) {
        w->stopped = 1;
        json_decref(body);
        return DB_OK;
    }
    struct principal p;
    struct audit_actor au;
    int64_t version = 0;
    if (actor_of(w->db, w->a, who, &p, &au) ||
        db_query_int(w->db, &version, "SELECT version FROM normdocs WHERE id = ?", "i", w->id) !=
            DB_ROW) {
        json_decref(body);
        return DB_ERROR;
    }
    json_object_set_new(body, "version", json_integer(version));
    struct flow_actor fa = {&p, &au};
    struct problems pr = {.arena = w->a};
    int rc = flow_apply_on(w->db, w->a, &fa, w->kind, w->id, action, body, &pr, day);
    json_decref(body);
    if (rc != FLOW_OK)
        fprintf(stderr, "fazhi demo: normdoc %lld %s as %s: %d %s\n", (long long)w->id, action, who,
                rc, pr.n ? pr.p[0].zh : (pr.zh ? pr.zh : ""));
    return rc == FLOW_OK ? DB_OK : DB_ERROR;
}

/* Insert as the given account, with the timeline's first event (the entity layer's create
 * appends it for the API's records). Takes `in`. */
static int created(struct db *db, struct arena *a, const struct principal *p,
                   const struct audit_actor *au, json_t *in, int64_t *id) {
    int rc = normdoc_insert(db, a, au, in, id);
    const char *category = json_string_value(json_object_get(in, "category"));
    const struct flow_kind *k =
        category && !strcmp(category, "contract") ? &contract_kind : &normdoc_kind;
    json_decref(in);
    struct flow_actor fa = {p, au};
    if (rc == DB_OK && flow_event_append(db, a, &fa, k, *id, "create", "", "", 1) != FLOW_OK)
        rc = DB_ERROR;
    return rc;
}

static int insert(struct db *db, struct arena *a, const char *unit, json_t *in, int64_t *id) {
    struct principal p;
    struct audit_actor au;
    if (actor_of(db, a, clerk_of(a, unit), &p, &au)) {
        json_decref(in);
        return DB_ERROR;
    }
    json_object_set_new(in, "unit_id", json_integer(unit_id_by_code(db, unit)));
    return created(db, a, &p, &au, in, id);
}

/* Review: submitted on `day`, assigned the next day (the office reviews its own unit's peers:
 * 区司法局's drafts go to the office, everything else to the reviewer), the opinions, revisions
 * and resubmissions of `path` (0 lawful at once, 1 unlawful then lawful, 2 lawful once revised).
 * *passed is the day the passing opinion was given. */
static int review(struct walk *w, const char *clerk, const char *unit, int32_t day, int path,
                  int32_t *passed) {
    const char *reviewer = !strcmp(unit, "justice") ? "office" : "reviewer";
    int64_t rid = account_id_by_username(w->db, reviewer);
    if (act(w, clerk, day, "submit", json_pack("{s:s}", "submitted_on", day_text(w->a, day))) ||
        act(w, "office", day + 1, "assign", json_pack("{s:I}", "reviewer_id", (json_int_t)rid)))
        return DB_ERROR;
    int32_t at = day + 8;
    if (path == 1) {
        if (act(w, reviewer, at, "opinion",
                json_pack("{s:s,s:s}", "opinion", "unlawful", "note",
                          "第五条设定的罚款缺乏上位法依据，第八条增设的许可条件与上位法不一致，"
                          "建议删除后重新报送。")) ||
            act(w, clerk, at + 4, "revise",
                json_pack("{s:s,s:s}", "body",
                          "（第二稿）第一条 为了……，根据……，制定本办法。……（删去原第五条、第八条）",
                          "note", "按审核意见删去第五条、第八条")) ||
            act(w, clerk, at + 5, "resubmit", json_object()))
            return DB_ERROR;
        at += 12;
    }
    if (act(w, reviewer, at, "opinion",
            json_pack("{s:s,s:s}", "opinion", path == 2 ? "lawful_if_revised" : "lawful", "note",
                      path == 2 ? "第三条“可以”宜改为“应当”，第十条应明确救济途径；修改后合法。"
                                : "制定主体合法，内容符合上位法规定，程序符合要求。")))
        return DB_ERROR;
    if (path == 2 &&
        act(w, clerk, at + 2, "revise",
            json_pack("{s:s,s:s}", "body",
                      "（修改稿）第一条 为了……，制定本办法。……第十条 当事人对……不服的，"
                      "可以依法申请行政复议或者提起行政诉讼。",
                      "note", "按审核意见修改第三条、第十条")))
        return DB_ERROR;
    *passed = at + (path == 2 ? 2 : 0);
    return DB_OK;
}

static int demo_doc(struct db *db, struct arena *a, int i, int32_t today) {
    int k = i % N_DOCS;
    const char *unit = docs[k].unit, *clerk = clerk_of(a, unit);
    int policy = i % 5 == 4;
    int32_t submitted = today - 345 + i * 8;
    const char *title = i < N_DOCS ? docs[k].title : arena_printf(a, "%s（修订）", docs[k].title);
    json_t *in = json_pack(
        "{s:s,s:s,s:s,s:s,s:s}", "category", policy ? "policy" : "normative", "title",
        policy ? arena_printf(a, "关于%s有关政策措施的通知", docs[k].title) : title, "basis",
        docs[k].basis, "explanation",
        "为解决实践中存在的突出问题，经调研论证并征求有关部门和社会公众意见，起草本文件。", "body",
        arena_printf(a, "第一条 为了规范……，根据%s，结合本区实际，制定本%s。\n第二条 ……",
                     docs[k].basis, policy ? "通知" : "办法"));
    int64_t id;
    if (insert(db, a, unit, in, &id) != DB_OK) return DB_ERROR;
    struct walk w = {db, a, &normdoc_kind, id, today, 0};
    if (i == 39) return DB_OK; /* still drafting */
    if (i == 34)
        return act(&w, clerk, submitted, "withdraw",
                   json_pack("{s:s}", "note", "上位法即将修订，暂缓制定。"));
    if (i == 38)
        return act(&w, clerk, today - 1, "submit",
                   json_pack("{s:s}", "submitted_on", day_text(a, today - 1)));
    if (i == 37 || i == 33) { /* under review; one extended */
        int32_t s = today - (i == 33 ? 19 : 4);
        if (act(&w, clerk, s, "submit", json_pack("{s:s}", "submitted_on", day_text(a, s))) ||
            act(&w, "office", s + 1, "assign",
                json_pack("{s:I}", "reviewer_id",
                          (json_int_t)account_id_by_username(db, "reviewer"))))
            return DB_ERROR;
        if (i == 33)
            return act(
                &w, "office", s + 10, "extend_review",
                json_pack("{s:i,s:s}", "days", 10, "note",
                          "涉及多部门职责交叉，需征求区发改、财政等部门意见，延长审核期限。"));
        return DB_OK;
    }
    if (i == 36) { /* sent back: 不合法 */
        int32_t s = today - 20;
        if (act(&w, clerk, s, "submit", json_pack("{s:s}", "submitted_on", day_text(a, s))) ||
            act(&w, "office", s + 1, "assign",
                json_pack("{s:I}", "reviewer_id",
                          (json_int_t)account_id_by_username(db, "reviewer"))))
            return DB_ERROR;
        return act(&w, "reviewer", s + 9, "opinion",
                   json_pack("{s:s,s:s}", "opinion", "unlawful", "note",
                             "违法设定行政许可和收费事项，减损公民、法人和其他组织合法权益，"
                             "不得以规范性文件形式发布。"));
    }
    int32_t passed = 0;
    if (i == 35) return review(&w, clerk, unit, today - 15, 0, &passed); /* passed, not issued */
    if (review(&w, clerk, unit, submitted, i % 6 == 1 ? 1 : i % 6 == 2 ? 2 : 0, &passed) != DB_OK)
        return DB_ERROR;
    int32_t issued = passed + 5;
    if (act(&w, clerk, issued, "issue",
            json_pack("{s:s,s:s}", "doc_number",
                      arena_printf(a, "%s〔%d〕%d号", policy ? "区政办发" : docs[k].prefix,
                                   date_year(issued), 1 + i),
                      "issued_on", day_text(a, issued))))
        return DB_ERROR;
    if (policy || w.stopped) return DB_OK;
    if (i == 27) return DB_OK; /* never filed: overdue */
    int late = i % 7 == 3;
    int32_t filed = issued + (late ? 36 + i % 9 : 9 + i % 15);
    if (act(&w, clerk, filed, "file", json_pack("{s:s}", "filed_on", day_text(a, filed))))
        return DB_ERROR;
    if (i == 5 || i == 12 || i == 28) { /* 纠错通知 */
        int32_t n = filed + 20;
        if (act(&w, "office", n, "correction_notice",
                json_pack("{s:s,s:s}", "noticed_on", day_text(a, n), "note",
                          "经备案审查，该文件第六条增设的行政许可条件与上位法规定不一致，"
                          "请于三十日内自行纠正并书面报告。")))
            return DB_ERROR;
        if (i == 5)
            return act(&w, clerk, n + 18, "correct",
                       json_pack("{s:s,s:s,s:s}", "answer", "amended", "corrected_on",
                                 day_text(a, n + 18), "note",
                                 "已删除第六条有关内容并重新公布，报送纠正情况。"));
        if (i == 12)
            return act(&w, "office", n + 35, "revoke",
                       json_pack("{s:s,s:s}", "revoked_on", day_text(a, n + 35), "note",
                                 "制定机关逾期未纠正，依法予以撤销并公告。"));
        return DB_OK;
    }
    if (i == 9) /* the filing review extended */
        if (act(&w, "office", filed + 25, "extend_filing_review",
                json_pack("{s:s}", "note", "需征求上级主管部门意见，延长备案审查期限。")))
            return DB_ERROR;
    if (i == 32) return DB_OK; /* its filing review still open (overdue) */
    int32_t checked = filed + (i == 9 ? 40 : 18);
    if (act(&w, "office", checked, "pass_filing",
            json_pack("{s:s}", "reviewed_on", day_text(a, checked))))
        return DB_ERROR;
    if (w.stopped) return DB_OK;
    if (i == 0)
        return act(&w, "office", today - 10, "cleanup",
                   json_pack("{s:s,s:s}", "decision", "abolish", "note",
                             "年度清理：已被新规定替代，决定废止。"));
    if (i == 1)
        return act(&w, "office", today - 10, "cleanup",
                   json_pack("{s:s,s:s}", "decision", "amend", "note",
                             "年度清理：部分条款与新修订的上位法不一致，决定修改。"));
    if (i == 2 || i == 8) /* kept in force for a short while: its validity ends soon */
        return act(&w, "office", today - 10, "cleanup",
                   json_pack("{s:s,s:s,s:s}", "decision", "keep", "valid_until",
                             day_text(a, today + (i == 2 ? 40 : 75)), "note",
                             "年度清理：继续有效，待新办法出台后废止。"));
    return DB_OK;
}

static int demo_contract(struct db *db, struct arena *a, int j, int32_t today) {
    const char *unit = contracts[j].unit, *clerk = clerk_of(a, unit);
    int32_t submitted = today - 300 + j * 28;
    char from[11], to[11];
    date_format(submitted + 30, from);
    date_format(submitted + 30 + 364, to);
    json_t *in = json_pack("{s:s,s:s,s:s,s:I,s:s,s:s,s:s,s:s}", "category", "contract", "title",
                           contracts[j].title, "counterparty", contracts[j].counterparty, "amount",
                           (json_int_t)contracts[j].amount, "term_from", from, "term_to", to,
                           "basis", "经单位领导班子会议研究决定，按政府采购程序确定相对方。",
                           "body", "甲方：……\n乙方：……\n第一条 合同标的……\n第八条 争议解决……");
    if (j == 6) { /* signed without review: recorded by the office */
        json_object_set_new(in, "doc_number", json_string("DC-ZL-2026-01"));
        json_object_set_new(in, "issued_on", json_string(day_text(a, submitted)));
        json_object_del(in, "body");
        struct principal p;
        struct audit_actor au;
        int64_t id;
        if (actor_of(db, a, "office", &p, &au)) return DB_ERROR;
        json_object_set_new(in, "unit_id", json_integer(unit_id_by_code(db, unit)));
        return created(db, a, &p, &au, in, &id);
    }
    int64_t id;
    if (insert(db, a, unit, in, &id) != DB_OK) return DB_ERROR;
    struct walk w = {db, a, &contract_kind, id, today, 0};
    if (j == 9) return DB_OK;
    if (j == 7 || j == 8) submitted = today - (j == 7 ? 5 : 25);
    int32_t passed = 0;
    if (j == 7) {
        const char *reviewer = !strcmp(unit, "justice") ? "office" : "reviewer";
        return act(&w, clerk, submitted, "submit",
                   json_pack("{s:s}", "submitted_on", day_text(a, submitted))) ||
                       act(&w, "office", submitted + 1, "assign",
                           json_pack("{s:I}", "reviewer_id",
                                     (json_int_t)account_id_by_username(db, reviewer)))
                   ? DB_ERROR
                   : DB_OK;
    }
    if (j == 8) {
        if (act(&w, clerk, submitted, "submit",
                json_pack("{s:s}", "submitted_on", day_text(a, submitted))) ||
            act(&w, "office", submitted + 1, "assign",
                json_pack("{s:I}", "reviewer_id",
                          (json_int_t)account_id_by_username(db, "reviewer"))))
            return DB_ERROR;
        return act(&w, "reviewer", submitted + 7, "opinion",
                   json_pack("{s:s,s:s}", "opinion", "unlawful", "note",
                             "违约责任条款显失公平，争议解决条款约定不明，请修改后重新报送。"));
    }
    if (review(&w, clerk, unit, submitted, j % 3 == 2 ? 2 : 0, &passed) != DB_OK) return DB_ERROR;
    return act(&w, clerk, passed + 3, "issue",
               json_pack("{s:s,s:s}", "doc_number", arena_printf(a, "HT-%s-%03d", unit, 1 + j),
                         "issued_on", day_text(a, passed + 3)));
}

int normdoc_demo(struct db *db, struct arena *a, int32_t today) {
    /* the engine takes no step dated after the real today */
    if (today > date_today()) today = date_today();
    for (int i = 0; i < DEMO_DOCS; i++)
        if (demo_doc(db, a, i, today) != DB_OK) return DB_ERROR;
    /* issued without review (the gap behind 审核率): recorded by the office when it was filed,
     * late */
    struct principal office;
    struct audit_actor au;
    if (actor_of(db, a, "office", &office, &au)) return DB_ERROR;
    json_t *in = json_pack("{s:s,s:s,s:I,s:s,s:s,s:s,s:s}", "category", "normative", "title",
                           "西城街道关于规范沿街商铺门前三包管理的通知", "unit_id",
                           (json_int_t)unit_id_by_code(db, "xicheng"), "basis", "未列明上位法依据",
                           "doc_number", "西街发〔2026〕9号", "issued_on", day_text(a, today - 130),
                           "filed_on", day_text(a, today - 80));
    int64_t id;
    int rc = created(db, a, &office, &au, in, &id);
    if (rc != DB_OK) return rc;
    for (int j = 0; j < DEMO_CONTRACTS; j++)
        if (demo_contract(db, a, j, today) != DB_OK) return DB_ERROR;
    return DB_OK;
}

/* The scaled set: a few per unit per year (0.02 × volume documents, as many contracts), issued
 * over the last 364 days, reviewed but for every 50th, the normative ones filed (every 9th late);
 * one INSERT … SELECT each (the days are a bound VALUES list: portable date text). */
#define SCALE_DAYS 364

int normdoc_demo_scale(struct db *db, int64_t volume, int32_t today) {
    int64_t n = volume / 50 > 0 ? volume / 50 : 1;
    struct arena *a = arena_new(1 << 16);
    char now[21];
    now_iso(now);
    int rc = DB_OK;
    for (int contract = 0; contract < 2 && rc == DB_OK; contract++) {
        struct query q;
        query_init(&q, a,
                   "WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq "
                   "WHERE i < ?), days(k, day) AS (VALUES ");
        query_add(&q, "", "i", n);
        for (int k = 0; k < SCALE_DAYS; k++)
            query_add(&q, k ? ", (CAST(? AS BIGINT), ?)" : "(CAST(? AS BIGINT), ?)", "is",
                      (int64_t)k, day_text(a, today - 1 - k));
        query_add(
            &q,
            "), u AS (SELECT id, ROW_NUMBER() OVER (ORDER BY id) - 1 AS k, COUNT(*) OVER () AS n "
            "FROM units WHERE parent_id IS NOT NULL) "
            "INSERT INTO normdocs (reg_no, category, title, unit_id, basis, counterparty, amount, "
            "submitted_on, first_submitted_on, review_round, opinion, opinion_on, reviewed, "
            "review_days, doc_number, issued_on, valid_until, filed_on, filing_result, status, "
            "created_at, updated_at, version) "
            "SELECT ? || SUBSTR(d.day, 1, 4) || '-' || CAST(1000000 + s.i AS TEXT), "
            "CASE WHEN ? = 1 THEN 'contract' WHEN s.i % 5 = 4 THEN 'policy' ELSE 'normative' END, "
            "'批量生成的文件（规模测试）', u.id, '上位法依据（批量生成）', "
            "CASE WHEN ? = 1 THEN '合同相对方（批量生成）' END, CASE WHEN ? = 1 THEN 100000 END, "
            "ds.day, ds.day, CASE WHEN s.i % 50 = 0 THEN 0 ELSE 1 END, "
            "CASE WHEN s.i % 50 = 0 THEN NULL ELSE 'lawful' END, "
            "CASE WHEN s.i % 50 = 0 THEN NULL ELSE ds.day END, "
            "CASE WHEN s.i % 50 = 0 THEN 0 ELSE 1 END, CASE WHEN s.i % 50 = 0 THEN NULL ELSE 10 "
            "END, "
            "'批量' || CAST(s.i AS TEXT) || '号', d.day, "
            "CASE WHEN ? = 1 THEN NULL ELSE CAST(CAST(SUBSTR(d.day, 1, 4) AS BIGINT) + 5 AS TEXT) "
            "|| SUBSTR(d.day, 5) END, "
            "CASE WHEN ? = 0 AND s.i % 5 <> 4 THEN df.day END, "
            "CASE WHEN ? = 0 AND s.i % 5 <> 4 THEN 'passed' END, "
            "CASE WHEN ? = 1 THEN 'issued' WHEN s.i % 5 = 4 THEN 'issued' ELSE 'in_force' END, "
            "?, ?, 1 FROM seq s JOIN u ON u.k = s.i % u.n JOIN days d ON d.k = s.i % ? "
            /* submitted 20 days before the issue; filed 10 days after (every 9th: 40) */
            "JOIN days ds ON ds.k = (d.k + 20) % ? LEFT JOIN days df ON df.k = d.k - "
            "CASE WHEN s.i % 9 = 0 THEN 40 ELSE 10 END",
            "siiiiiiissii", contract ? "HS" : "GS", (int64_t)contract, (int64_t)contract,
            (int64_t)contract, (int64_t)contract, (int64_t)contract, (int64_t)contract,
            (int64_t)contract, now, now, (int64_t)SCALE_DAYS, (int64_t)SCALE_DAYS);
        struct db_stmt *st = query_prepare(db, &q);
        rc = st ? db_step(st) : DB_ERROR;
        db_done(st);
        rc = rc == DB_DONE ? DB_OK : (rc < 0 ? rc : DB_ERROR);
    }
    arena_free(a);
    return rc;
}
