/* mediation_demo.c — demo disputes: `fazhi demo` registers a year of cases at the demo villages,
 * streets and townships and walks each through the kind as the accounts whose turn it is (the
 * receiving unit routes it by grade, the mediating unit records sessions, concludes, visits and
 * archives), so states, timelines, clocks (met, late, overdue) and audit records are the engine's
 * own; `fazhi demo --scale` adds 2.5 cases per planned task in set-based inserts. */
#include <stdio.h>
#include <string.h>

#include "base/calendar.h"
#include "base/timeutil.h"
#include "features/flow/flow_demo.h"
#include "features/mediation/mediation.h"
#include "features/org/org.h"
#include "store/query.h"
#include "store/settings.h"

#define DEMO_CASES 60

/* where disputes arise (their committee registers them) */
static const char *const receiving[] = {"cg-heping", "dc-xinhua", "bs-shiqiao",
                                        "qs-hexi",   "chengguan", "beishan"};
static const char *const villages[] = {"cg-heping", "dc-xinhua", "bs-shiqiao", "qs-hexi"};
static const char *const townships[] = {"chengguan", "dongcheng", "beishan", "qingshi", "liuhe"};
static const char *const sources[] = {"application", "initiative", "application",
                                      "police",      "court",      "government"};
static const char *const types[] = {"neighbour", "marriage", "damages", "contract",
                                    "labour",    "land",     "property"};
static const char *const summaries[] = {
    "相邻双方因排水沟改道引发争执，多次发生口角，申请人请求调解。",
    "夫妻双方因抚养费和共同财产分割产生纠纷，经社区排查发现后介入。",
    "电动车与行人碰撞致人受伤，双方就医疗费和误工费赔偿数额争议较大。",
    "装修合同约定工期延误，业主要求退还部分工程款，施工方不同意。",
    "务工人员追讨拖欠工资，用工方以工程未结算为由拒绝支付。",
    "承包地边界不清，两户村民对界址各执一词，涉及林木归属。",
    "业主以服务质量差为由拒交物业费，物业公司要求补缴并支付违约金。",
};
static const char *const given[] = {"建国", "秀英", "伟", "芳", "静", "磊", "敏", "海", "婷", "刚"};
static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"};

static const char *clerk_of(struct arena *a, const char *unit) {
    if (!strcmp(unit, "justice")) return "clerk1";
    if (!strcmp(unit, "chengguan")) return "clerk2";
    return arena_printf(a, "clerk_%s", unit);
}

/* Take one step as `who`, with the record's current version. */
static int act(struct db *db, struct arena *a, const char *who, int64_t id, const char *action,
               json_t *body) {
    return flow_demo_act(db, a, &mediation_kind, who, id, action, body, 0, 0);
}

/* An 18-digit ID number with its check digit (GB 11643), from a seed. */
static void id_number(int seed, int32_t birth_day, char out[19]) {
    static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    char birth[11];
    date_format(birth_day, birth);
    snprintf(out, 19, "110101%.4s%.2s%.2s%03d", birth, birth + 5, birth + 8, 100 + seed % 900);
    int sum = 0;
    for (int i = 0; i < 17; i++)
        sum += (out[i] - '0') * w[i];
    out[17] = "10X98765432"[sum % 11];
    out[18] = 0;
}

static json_t *party(int seed, const char *role) {
    char name[32], idno[19], phone[16];
    snprintf(name, sizeof name, "%s%s", surnames[seed % 10], given[(seed * 7 + 3) % 10]);
    id_number(seed, date_today() - 365 * (25 + seed % 40) - seed % 300, idno);
    snprintf(phone, sizeof phone, "136%08d", 40000000 + seed * 3137 % 50000000);
    return json_pack("{s:s,s:s,s:s,s:s}", "role", role, "name", name, "id_no", idno, "phone",
                     phone);
}

static int add_session(struct db *db, struct arena *a, int64_t id, int32_t day, const char *place,
                       const char *mediators, const char *summary) {
    char held[11], now[21];
    date_format(day, held);
    now_iso(now);
    int rc = db_exec(db,
                     "INSERT INTO mediation_sessions (mediation_id, held_on, place, mediators, "
                     "summary, created_at, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, 1)",
                     "issssss", id, held, place, mediators, summary, now, now);
    if (rc != DB_OK) return rc;
    return db_exec(db,
                   "INSERT INTO mediation_events (mediation_id, at, actor_name, action, note, "
                   "detail) VALUES (?, ?, ?, 'session', ?, ?)",
                   "issss", id, now, mediators, summary,
                   arena_printf(a, "{\"held_on\":\"%s\"}", held));
}

int mediation_demo(struct db *db, struct arena *a, int32_t today) {
    /* the engine dates its steps by the clock (a step's date is never later than that day): a
     * demo made for a later day (--today) leaves the cases whose steps would fall after it open */
    int32_t real = date_today();
    for (int i = 0; i < DEMO_CASES; i++) {
        int32_t day = today - 360 + i * 6;
        char received[11];
        date_format(day, received);
        const char *from = receiving[i % 6], *clerk = clerk_of(a, from);
        struct principal p;
        struct audit_actor au;
        if (flow_demo_actor(db, a, clerk, &p, &au)) return DB_ERROR;
        json_t *in = json_pack("{s:s,s:s,s:s,s:s,s:I}", "received_on", received, "source",
                               sources[i % 6], "dispute_type", types[i % 7], "summary",
                               summaries[i % 7], "handling_unit_id", (json_int_t)p.unit_id);
        int64_t id;
        int rc = mediation_insert(db, a, &au, in, &id);
        json_decref(in);
        /* 登记 in its timeline, as the API's create */
        if (rc == DB_OK) rc = flow_demo_created(db, a, &mediation_kind, au.username, id);
        json_t *ps =
            json_pack("[o,o]", party(i * 2 + 1, "applicant"), party(i * 2 + 2, "respondent"));
        if (rc == DB_OK) rc = entity_parties_write(db, a, &mediation_parties, id, ps);
        json_decref(ps);
        if (rc != DB_OK) return rc;
        int age = today - day;
        /* 0 received, 1 mediating, 2 concluded, 3 visited, 4 archived */
        int stage = age > 90 ? 4 : age > 50 ? 3 : age > 25 ? 2 : age > 14 ? 1 : 0;
        if (i % 11 == 5 && stage >= 2) stage = 1; /* left open: overdue */
        if (i % 13 == 7) {
            if (act(db, a, clerk, id, "withdraw",
                    json_pack("{s:s}", "note", "申请人撤回调解申请，双方自行和解。")) != DB_OK)
                return DB_ERROR;
            continue;
        }
        if (stage < 1) continue;
        int g = i % 5 < 3 ? 0 : i % 5 == 3 ? 1 : 2;
        const char *to = g == 0 ? villages[i % 4] : g == 1 ? townships[i % 5] : "justice";
        if (act(db, a, clerk, id, "route",
                json_pack("{s:s,s:I}", "grade", mediation_levels[g].grade, "unit_id",
                          (json_int_t)unit_id_by_code(db, to))) != DB_OK)
            return DB_ERROR;
        const char *mclerk = clerk_of(a, to);
        rc =
            add_session(db, a, id, day + 3, g == 2 ? "区矛盾纠纷调处中心" : "人民调解室",
                        g == 2 ? "区人民调解员 刘明辉、陈雅琴" : "调委会主任 王德明、调解员 林晓东",
                        "听取双方陈述，核实争议事实，释法说理，双方同意继续协商。");
        if (rc == DB_OK && g > 0)
            rc = add_session(db, a, id, day + 8, "人民调解室", "调解员 周振华",
                             "组织双方面对面协商，提出调解方案，双方原则同意。");
        if (rc != DB_OK) return rc;
        if (stage < 2) continue;
        int failed = i % 7 == 3;
        char agreed[11], visited[11], confirmed[11];
        int32_t on = day + 12 + (i % 4) * 7; /* some beyond the 30 days: late */
        if (on > today - 2) on = today - 2;
        date_format(on, agreed);
        date_format(on + 1, confirmed);
        int32_t visit_day = day + 40 > today ? today : day + 40;
        date_format(visit_day, visited);
        if (on > real) continue;
        if (failed) {
            rc = act(db, a, mclerk, id, "fail",
                     json_pack("{s:s,s:s}", "referred_to", i % 2 ? "litigation" : "arbitration",
                               "note",
                               "双方分歧较大，经多次调解未能达成一致，已告知通过诉讼或仲裁"
                               "途径解决。"));
        } else {
            int conf = i % 3 == 0 && on + 1 <= real;
            json_t *b = json_pack("{s:s,s:s,s:s}", "agreed_on", agreed, "terms",
                                  "被申请人于协议签订之日起十五日内一次性支付申请人赔偿款，双方"
                                  "就本纠纷再无其他争议。",
                                  "performance", "pending");
            if (conf) {
                json_object_set_new(b, "judicial_confirmed", json_true());
                json_object_set_new(b, "confirmed_on", json_string(confirmed));
            }
            rc = act(db, a, mclerk, id, "agree", b);
        }
        if (rc != DB_OK) return rc;
        if (stage < 3 || visit_day > real) continue;
        static const char *const perf[] = {"performed", "performed", "partial", "performed",
                                           "unperformed"};
        json_t *v = json_pack("{s:s,s:s}", "visited_on", visited, "note",
                              "电话回访当事人，了解协议履行和矛盾化解情况。");
        if (!failed) json_object_set_new(v, "performance", json_string(perf[i % 5]));
        if (act(db, a, mclerk, id, "visit", v) != DB_OK) return DB_ERROR;
        if (stage < 4) continue;
        if (act(db, a, mclerk, id, "archive", json_object()) != DB_OK) return DB_ERROR;
    }
    return DB_OK;
}

/* The scaled set: 2.5 cases per planned task, spread over the units below the root and the last
 * 364 days; the grade and level follow the unit's kind (villages: simple, streets and townships:
 * complex, others: difficult); those older than 30 days concluded and archived (one in seven
 * without agreement, concluded 12–31 days after they were received), the rest being mediated.
 * One INSERT … SELECT (the days are a bound VALUES list: portable date text), then their
 * clocks. */
#define SCALE_DAYS 364

static int scale_clocks(struct db *db, const char *now) {
    int rc =
        db_exec(db,
                "INSERT INTO record_clocks (kind, record_id, clock, start_on, period, unit, "
                "stopped_on, due_on, state, late, stale, created_at, updated_at, version) "
                "SELECT 'mediation', s.id, 'mediate', s.received_on, CAST(? AS BIGINT), ?, "
                "s.concluded_on, s.received_on, 'running', 0, 1, ?, ?, 1 FROM mediations s "
                "WHERE s.case_no LIKE 'TS%' AND NOT EXISTS (SELECT 1 FROM record_clocks c "
                "WHERE c.kind = 'mediation' AND c.record_id = s.id AND c.clock = 'mediate')",
                "isss", setting_int(db, "mediation.days"), clock_unit_codes[CLOCK_DAYS], now, now);
    return rc == DB_OK ? DB_DONE : rc;
}

int mediation_demo_scale(struct db *db, int64_t volume, int32_t today) {
    struct arena *a = arena_new(1 << 16);
    struct query q;
    int64_t n = volume * 5 / 2;
    query_init(&q, a,
               "WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq "
               "WHERE i < ?), days(k, day) AS (VALUES ");
    query_add(&q, "", "i", n > 0 ? n : 1);
    for (int k = 0; k < SCALE_DAYS; k++) {
        char *d = arena_alloc(a, 11);
        date_format(today - 1 - k, d);
        query_add(&q, k ? ", (CAST(? AS BIGINT), ?)" : "(CAST(? AS BIGINT), ?)", "is", (int64_t)k,
                  d);
    }
    char recent[11], now[21];
    date_format(today - 30, recent);
    now_iso(now);
    query_add(&q,
              "), dl AS (SELECT d.k, d.day, l.day AS later FROM days d LEFT JOIN days l "
              "ON l.k = d.k - 12 - d.k % 20), u AS (SELECT id, kind, ROW_NUMBER() OVER (ORDER BY "
              "id) - 1 AS k, "
              "COUNT(*) OVER () AS n FROM units WHERE parent_id IS NOT NULL) "
              "INSERT INTO mediations (case_no, received_on, source, dispute_type, summary, "
              "accepting_unit_id, handling_unit_id, grade, level, status, outcome, agreed_on, "
              "agreement_terms, performance, judicial_confirmed, failure_reason, referred_to, "
              "concluded_on, visited_on, archive_no, archived_on, created_at, updated_at, "
              "version) "
              "SELECT 'TS' || SUBSTR(d.day, 1, 4) || '-' || CAST(1000000 + s.i AS TEXT), d.day, "
              "CASE s.i % 5 WHEN 0 THEN 'application' WHEN 1 THEN 'initiative' WHEN 2 THEN "
              "'police' WHEN 3 THEN 'court' ELSE 'government' END, "
              "CASE s.i % 7 WHEN 0 THEN 'neighbour' WHEN 1 THEN 'marriage' WHEN 2 THEN 'damages' "
              "WHEN 3 THEN 'contract' WHEN 4 THEN 'labour' WHEN 5 THEN 'land' ELSE 'property' "
              "END, '矛盾纠纷（批量生成）', u.id, u.id, "
              "CASE WHEN u.kind = 'village' THEN 'simple' WHEN u.kind IN ('street', 'township') "
              "THEN 'complex' ELSE 'difficult' END, "
              "CASE WHEN u.kind = 'village' THEN 'village' WHEN u.kind IN ('street', 'township') "
              "THEN 'township' ELSE 'district' END, "
              "CASE WHEN d.day < ? THEN 'archived' ELSE 'mediating' END, "
              "CASE WHEN d.day >= ? THEN NULL WHEN s.i % 7 = 3 THEN 'failed' ELSE 'agreed' END, "
              "CASE WHEN d.day < ? AND s.i % 7 <> 3 THEN d.later END, "
              "CASE WHEN d.day < ? AND s.i % 7 <> 3 THEN '按协议履行。' END, "
              "CASE WHEN d.day < ? AND s.i % 7 <> 3 THEN CASE WHEN s.i % 5 = 4 THEN 'partial' "
              "ELSE 'performed' END END, "
              "CASE WHEN d.day < ? AND s.i % 7 <> 3 AND s.i % 3 = 0 THEN 1 ELSE 0 END, "
              "CASE WHEN d.day < ? AND s.i % 7 = 3 THEN '未能达成一致。' END, "
              "CASE WHEN d.day < ? AND s.i % 7 = 3 THEN 'litigation' END, "
              "CASE WHEN d.day < ? THEN d.later END, CASE WHEN d.day < ? THEN d.later END, "
              "CASE WHEN d.day < ? THEN 'TSDA' || SUBSTR(d.day, 1, 4) || '-' || "
              "CAST(1000000 + s.i AS TEXT) END, CASE WHEN d.day < ? THEN d.later END, ?, ?, 1 "
              "FROM seq s JOIN u ON u.k = s.i % u.n JOIN dl d ON d.k = s.i % ?",
              "ssssssssssssssi", recent, recent, recent, recent, recent, recent, recent, recent,
              recent, recent, recent, recent, now, now, (int64_t)SCALE_DAYS);
    struct db_stmt *st = query_prepare(db, &q);
    int rc = st ? db_step(st) : DB_ERROR;
    db_done(st);
    if (rc == DB_DONE) rc = scale_clocks(db, now);
    arena_free(a);
    return rc == DB_DONE ? DB_OK : (rc < 0 ? rc : DB_ERROR);
}
