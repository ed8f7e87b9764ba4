/* enforcement_demo.c — demo 行政执法案件 and 案卷评查: `fazhi demo` files a year of cases across
 * the district's enforcing departments as their clerks and walks each through the kind as the
 * accounts whose turn it is (the office reviews the major ones), so states, record steps,
 * publication clocks (on time, late, open) and audit records are the engine's own; the office
 * then scores a share of the files — vetoed and low-scoring sheets among them. `fazhi demo
 * --scale` adds 2.5 cases per task in set-based inserts, with their clocks and record steps. */
#include <stdio.h>
#include <string.h>

#include "base/calendar.h"
#include "base/timeutil.h"
#include "features/flow/flow_demo.h"
#include "features/enforcement/enforcement.h"
#include "features/org/org.h"
#include "store/query.h"
#include "store/settings.h"

#define DEMO_CASES 60

/* enforcing departments (their clerk accounts act: clerk_<code>, 城关街道 clerk2) */
static const char *const units[] = {"market", "urban",     "ecology", "police",    "natres",
                                    "health", "emergency", "culture", "chengguan", "agri"};
#define N_UNITS (int)(sizeof units / sizeof units[0])
static const struct {
    const char *type, *cause;
} causes[] = {
    {"penalty", "销售不符合食品安全标准的食品"},
    {"penalty", "未取得建设工程规划许可证擅自搭建建筑物"},
    {"penalty", "超标排放大气污染物"},
    {"license", "食品经营许可申请"},
    {"inspection", "安全生产执法检查"},
    {"coercion", "查封扣押涉嫌假冒伪劣商品"},
    {"penalty", "无证经营网吧"},
    {"confirmation", "农村土地承包经营权确认"},
    {"levy", "城市道路占用费征收"},
    {"payment", "最低生活保障金给付"},
};
#define N_CAUSES (int)(sizeof causes / sizeof causes[0])
static const char *const officer_names[] = {"周明辉", "吴晓东", "郑立新", "冯海涛", "陈文博",
                                            "褚建国", "卫志强", "蒋思远", "沈振华", "韩德明"};
static const char *const counterparts[] = {"某某食品商行", "李某",     "某某化工有限公司",
                                           "王某",         "某某网吧", "赵某"};

static const char *clerk_of(struct arena *a, const char *unit) {
    if (!strcmp(unit, "justice")) return "clerk1";
    if (!strcmp(unit, "chengguan")) return "clerk2";
    return arena_printf(a, "clerk_%s", unit);
}

/* Take one step as `who` (steals body); quiet = a refusal expected (the gate). */
static int act(struct db *db, struct arena *a, const char *who, int64_t id, const char *action,
               json_t *body, int quiet) {
    return flow_demo_act(db, a, &enforcement_case_kind, who, id, action, body, 0, quiet);
}

/* A demo day, never after the wall clock's (the engine refuses steps dated later than the day they
 * are taken: `fazhi demo --today` a day ahead files everything up to today). */
static int32_t cap(int32_t day) {
    int32_t now = date_today();
    return day > now ? now : day;
}

static json_t *on(const char *key, int32_t day) {
    char d[11];
    date_format(cap(day), d);
    return json_pack("{s:s}", key, d);
}

/* One review of case `id` as the office, through the entity layer's checks and writes. */
static int review(struct db *db, struct arena *a, int64_t id, int32_t day, int kind) {
    struct principal p;
    struct audit_actor au;
    if (flow_demo_actor(db, a, "office", &p, &au)) return DB_ERROR;
    char d[11];
    date_format(cap(day), d);
    json_t *items = json_array(), *findings = json_array();
    switch (kind % 6) {
    case 0: /* vetoed: the file fails with 0 points */
        json_array_append_new(items,
                              json_pack("{s:s,s:b,s:s}", "code", "insufficient_evidence", "veto", 1,
                                        "note", "认定违法所得的证据仅有当事人陈述"));
        json_array_append_new(findings,
                              json_pack("{s:s,s:s,s:b}", "item", "evidence", "description",
                                        "主要证据不足，违法所得金额无书证印证", "rectify", 1));
        break;
    case 1: /* low: below the pass line */
        json_array_append_new(items, json_pack("{s:s,s:i}", "code", "facts", "defects", 4));
        json_array_append_new(items, json_pack("{s:s,s:i}", "code", "procedure", "defects", 4));
        json_array_append_new(items, json_pack("{s:s,s:i}", "code", "discretion", "defects", 5));
        json_array_append_new(items, json_pack("{s:s,s:i}", "code", "documents", "defects", 3));
        json_array_append_new(findings,
                              json_pack("{s:s,s:s,s:b}", "item", "procedure", "description",
                                        "未告知当事人陈述申辩权利", "rectify", 1));
        json_array_append_new(findings,
                              json_pack("{s:s,s:s,s:b}", "item", "discretion", "description",
                                        "罚款数额未说明裁量理由", "rectify", 1));
        break;
    case 2: /* a few defects: pass */
        json_array_append_new(items, json_pack("{s:s,s:i}", "code", "evidence_list", "defects", 2));
        json_array_append_new(items, json_pack("{s:s,s:i}", "code", "evidence", "defects", 2));
        json_array_append_new(items, json_pack("{s:s,s:i}", "code", "discretion", "defects", 2));
        json_array_append_new(findings,
                              json_pack("{s:s,s:s,s:b}", "item", "evidence_list", "description",
                                        "证据目录未逐页编号", "rectify", 0));
        break;
    case 3: /* vetoed: beyond its powers */
        json_array_append_new(items, json_pack("{s:s,s:b}", "code", "beyond_power", "veto", 1));
        json_array_append_new(findings,
                              json_pack("{s:s,s:s,s:b}", "item", "", "description",
                                        "对不属于本机关管辖的事项作出处罚", "rectify", 1));
        break;
    default: /* excellent */
        json_array_append_new(items, json_pack("{s:s,s:i}", "code", "archive", "defects", 1));
        break;
    }
    json_t *body = json_pack("{s:I,s:s,s:s,s:o,s:o,s:s}", "case_id", (json_int_t)id, "reviewed_on",
                             d, "reviewer", "区司法局执法监督科 评查组", "items", items, "findings",
                             findings, "note", "依照行政执法案卷评查标准逐项评查。");
    struct entity_ctx c;
    struct problems pr = {.arena = a};
    int rc = entity_ctx_init(&c, db, a, &entity_case_reviews, &p, 0, EP_GET);
    struct entity_write w = {.c = &c, .actor = &au, .pr = &pr};
    if (rc == DB_OK) entity_input_check(&w, body, FV_CREATE, &rc);
    if (rc == DB_OK) rc = entity_create(&w);
    json_decref(body);
    if (rc != DB_OK)
        fprintf(stderr, "fazhi demo: review of case %lld: %d %s\n", (long long)id, rc,
                pr.n ? pr.p[0].zh : "");
    return rc == DB_OK ? DB_OK : DB_ERROR;
}

int enforcement_demo(struct db *db, struct arena *a, int32_t today) {
    int reviews = 0;
    for (int i = 0; i < DEMO_CASES; i++) {
        const char *unit = units[i % N_UNITS], *clerk = clerk_of(a, unit);
        struct principal p;
        struct audit_actor au;
        if (flow_demo_actor(db, a, clerk, &p, &au)) return DB_ERROR;
        int32_t filed = today - 360 + i * 6; /* a year, the newest a few days old */
        char d[11];
        date_format(cap(filed), d);
        int k = (i * 7) % N_CAUSES;
        int major = i % 4 == 1; /* 重大执法决定 */
        json_t *officers = json_pack("[{s:s,s:s},{s:s,s:s}]", "name", officer_names[i % 10],
                                     "cert_no", arena_printf(a, "%08d", 13010000 + (i % 10) * 17),
                                     "name", officer_names[(i + 3) % 10], "cert_no",
                                     arena_printf(a, "%08d", 13010000 + ((i + 3) % 10) * 17));
        json_t *in =
            json_pack("{s:s,s:I,s:s,s:s,s:s,s:o,s:b,s:[{s:s,s:s}]}", "filed_on", d, "unit_id",
                      (json_int_t)unit_id_by_code(db, unit), "case_type", causes[k].type, "cause",
                      causes[k].cause, "summary",
                      "经群众举报，执法人员现场检查发现当事人涉嫌违法，经负责人批准立案调查。",
                      "officers", officers, "major", major, "parties", "role", "counterpart",
                      "name", counterparts[i % 6]);
        /* the checks of the entity layer, then its create hook (number, 立案 step, officers) */
        struct entity_ctx c;
        struct problems pr = {.arena = a};
        int rc = entity_ctx_init(&c, db, a, &entity_enforcement_cases, &p, 0, EP_GET);
        struct entity_write w = {.c = &c, .actor = &au, .pr = &pr};
        if (rc == DB_OK) entity_input_check(&w, in, FV_CREATE, &rc);
        if (rc == DB_OK) rc = entity_create(&w);
        json_decref(in);
        if (rc != DB_OK) {
            fprintf(stderr, "fazhi demo: enforcement case: %d %s\n", rc, pr.n ? pr.p[0].zh : "");
            return DB_ERROR;
        }
        int64_t id = w.id; /* its 当事人 written by the layer with it */
        int age = today -
                  filed; /* older cases went further: each step on its day, none later than today */
        if (i % 17 == 16) { /* withdrawn: 不予立案后撤销 */
            if (act(db, a, clerk, id, "cancel",
                    json_pack("{s:s}", "note", "经核查不属于本机关管辖，撤销立案。"), 0))
                return DB_ERROR;
            continue;
        }
        if (age < 3) continue;
        if (act(db, a, clerk, id, "investigate", on("on", filed + 3), 0)) return DB_ERROR;
        if (age < 15) continue;
        if (act(db, a, clerk, id, "notify", on("on", filed + 15), 0)) return DB_ERROR;
        if (i % 5 == 2 && age >= 20 && act(db, a, clerk, id, "hearing", on("on", filed + 20), 0))
            return DB_ERROR;
        if (age < 28) continue;
        json_t *dec = on("decided_on", filed + 28);
        json_object_set_new(dec, "note", json_string("依法作出行政决定，责令改正并处罚款。"));
        if (major) {
            /* the gate: a decision before the legal review is refused (nothing written) */
            if (act(db, a, clerk, id, "decide", json_deep_copy(dec), 1) != DB_DONE) {
                json_decref(dec);
                return DB_ERROR;
            }
            if (act(db, a, clerk, id, "submit_review", json_object(), 0)) return DB_ERROR;
            if (i % 8 == 5) { /* the review found the evidence wanting: back to investigation */
                if (act(db, a, "office", id, "reject_review",
                        json_pack("{s:s}", "note", "违法所得认定证据不足，请补充调查。"), 0) ||
                    act(db, a, clerk, id, "notify", on("on", filed + 26), 0) ||
                    act(db, a, clerk, id, "submit_review", json_object(), 0)) {
                    json_decref(dec);
                    return DB_ERROR;
                }
            }
            if (i > DEMO_CASES - 16) { /* the newest major ones wait for the review */
                json_decref(dec);
                continue;
            }
            if (act(db, a, "office", id, "pass_review",
                    json_pack("{s:s}", "note", "主体合法、事实清楚、证据充分、程序合法，同意。"),
                    0)) {
                json_decref(dec);
                return DB_ERROR;
            }
        }
        if (act(db, a, clerk, id, "decide", dec, 0)) return DB_ERROR;
        int32_t decided = filed + 28;
        /* publication: mostly on time, some late, a few not yet (overdue or still open) */
        int pub = i % 6 == 3 ? 16 : i % 6 == 5 ? -1 : 3;
        if (pub > 0 && decided + pub <= today &&
            act(db, a, clerk, id, "publish", on("published_on", decided + pub), 0))
            return DB_ERROR;
        if (age < 30) continue;
        if (act(db, a, clerk, id, "serve", on("on", decided + 2), 0)) return DB_ERROR;
        if (age < 40) continue;
        int executes = i % 7 != 4; /* some closed without the execution recorded */
        if (executes && act(db, a, clerk, id, "execute", on("on", decided + 12), 0))
            return DB_ERROR;
        if (age < 53) continue;
        if (act(db, a, clerk, id, "close", on("on", decided + 25), 0)) return DB_ERROR;
        /* the office reviews about one closed file in three */
        if (i % 3 == 0 &&
            review(db, a, id, decided + 40 < today ? decided + 40 : today, reviews++) != DB_OK)
            return DB_ERROR;
    }
    return DB_OK;
}

/* ---- the scaled set ---- */

/* The days filed: every other day of the last 364 (five bound dates a day, within the
 * statement's parameter budget). */
#define SCALE_DAYS 182

/* 2.5 cases per task over the units below the root and the last 364 days (every other day): those
 * filed over 60 days ago closed (decided 28 days after filing, published 3 or — one in six — 16
 * working days late… approximated in calendar days, served and executed), the rest under
 * investigation; one major case in four, legally reviewed (one in 40 decided without: carried over
 * from before the gate). Then their record steps, their publication clocks (marked stale: the
 * engine computes the due dates over the calendar once committed) and a review for one closed file
 * in 30. */
int enforcement_demo_scale(struct db *db, int64_t volume, int32_t today) {
    struct arena *a = arena_new(1 << 16);
    struct query q;
    int64_t n = volume * 5 / 2 > 0 ? volume * 5 / 2 : 1;
    query_init(&q, a,
               "WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq "
               "WHERE i < ?), days(k, day, decided, published, late_pub) AS (VALUES ");
    query_add(&q, "", "i", n);
    for (int k = 0; k < SCALE_DAYS; k++) {
        char *d = arena_alloc(a, 11), *dec = arena_alloc(a, 11), *pub = arena_alloc(a, 11),
             *late = arena_alloc(a, 11);
        int32_t filed = today - 1 - 2 * k;
        date_format(filed, d);
        date_format(filed + 28, dec);
        date_format(filed + 31, pub);
        date_format(filed + 54, late);
        query_add(&q, k ? ", (CAST(? AS BIGINT), ?, ?, ?, ?)" : "(CAST(? AS BIGINT), ?, ?, ?, ?)",
                  "issss", (int64_t)k, d, dec, pub, late);
    }
    char recent[11], now[21];
    date_format(today - 60, recent);
    now_iso(now);
    query_add(
        &q,
        "), u AS (SELECT id, ROW_NUMBER() OVER (ORDER BY id) - 1 AS k, COUNT(*) OVER () AS n "
        "FROM units WHERE parent_id IS NOT NULL) "
        "INSERT INTO enforcement_cases (case_no, filed_on, unit_id, case_type, cause, summary, "
        "officers, major, legal_review, decided_on, decision, published_on, closed_on, "
        "missing_steps, status, created_at, updated_at, version) "
        "SELECT 'ZS' || SUBSTR(d.day, 1, 4) || '-' || CAST(1000000 + s.i AS TEXT), d.day, u.id, "
        "CASE s.i % 7 WHEN 0 THEN 'license' WHEN 1 THEN 'penalty' WHEN 2 THEN 'coercion' "
        "WHEN 3 THEN 'inspection' WHEN 4 THEN 'levy' WHEN 5 THEN 'payment' "
        "ELSE 'confirmation' END, '行政执法案件（批量生成）', '', "
        "'[{\"name\":\"执法人员甲\",\"cert_no\":\"13010001\"},"
        "{\"name\":\"执法人员乙\",\"cert_no\":\"13010002\"}]', "
        "CASE WHEN s.i % 4 = 1 THEN 1 ELSE 0 END, "
        "CASE WHEN s.i % 4 = 1 AND d.day < ? AND s.i % 40 <> 1 THEN 'passed' ELSE 'none' END, "
        "CASE WHEN d.day < ? THEN d.decided END, "
        "CASE WHEN d.day < ? THEN '依法作出行政决定。' ELSE '' END, "
        "CASE WHEN d.day < ? THEN CASE WHEN s.i % 6 = 3 THEN d.late_pub ELSE d.published END "
        "END, CASE WHEN d.day < ? THEN d.decided END, "
        "CASE WHEN d.day < ? THEN CASE WHEN s.i % 7 = 4 THEN 1 ELSE 0 END ELSE 4 END, "
        "CASE WHEN d.day < ? THEN 'closed' ELSE 'investigating' END, ?, ?, 1 "
        "FROM seq s JOIN u ON u.k = s.i % u.n JOIN days d ON d.k = s.i % ?",
        "sssssssssi", recent, recent, recent, recent, recent, recent, recent, now, now,
        (int64_t)SCALE_DAYS);
    struct db_stmt *st = query_prepare(db, &q);
    int rc = st ? db_step(st) : DB_ERROR;
    db_done(st);
    /* record steps: 立案 and 调查取证 for all; the rest for the closed (执行 left out where
     * missing_steps says so) */
    static const struct {
        const char *code, *date, *cond; /* the step, its date column, which cases */
    } steps[] = {
        {"file", "c.filed_on", ""},
        {"investigate", "c.filed_on", ""},
        {"notify", "c.decided_on", " AND c.status = 'closed'"},
        {"decide", "c.decided_on", " AND c.status = 'closed'"},
        {"serve", "c.decided_on", " AND c.status = 'closed'"},
        {"execute", "c.decided_on", " AND c.status = 'closed' AND c.missing_steps = 0"},
    };
    for (size_t i = 0; rc == DB_DONE && i < sizeof steps / sizeof steps[0]; i++) {
        struct query sq;
        query_init(&sq, a,
                   "INSERT INTO enforcement_case_steps (case_id, step, done_on, created_at) ");
        query_add(&sq, "SELECT c.id, ?, ", "s", steps[i].code);
        query_add(&sq, steps[i].date, "");
        query_add(&sq, ", ? FROM enforcement_cases c WHERE c.case_no LIKE 'ZS%'", "s", now);
        query_add(&sq, steps[i].cond, "");
        query_add(&sq,
                  " AND NOT EXISTS (SELECT 1 FROM enforcement_case_steps x WHERE x.case_id = c.id "
                  "AND x.step = ?)",
                  "s", steps[i].code);
        st = query_prepare(db, &sq);
        rc = st ? db_step(st) : DB_ERROR;
        db_done(st);
    }
    /* the publication clocks of the decided: started the day decided, met the day published */
    if (rc == DB_DONE) {
        struct query cq;
        query_init(&cq, a,
                   "INSERT INTO record_clocks (kind, record_id, clock, start_on, period, unit, "
                   "stopped_on, due_on, state, late, stale, created_at, updated_at, version) "
                   "SELECT 'enforcement_case', c.id, 'publish', c.decided_on, "
                   "CASE WHEN c.case_type IN ('license', 'penalty') THEN CAST(? AS BIGINT) "
                   "ELSE CAST(? AS BIGINT) END, ?, c.published_on, c.decided_on, 'running', 0, 1, "
                   "?, ?, 1 FROM enforcement_cases c WHERE c.case_no LIKE 'ZS%' AND "
                   "c.decided_on IS NOT NULL AND NOT EXISTS (SELECT 1 FROM record_clocks x "
                   "WHERE x.kind = 'enforcement_case' AND x.record_id = c.id AND "
                   "x.clock = 'publish')");
        query_add(&cq, "", "iisss", setting_int(db, "enforcement.publish_days.license_penalty"),
                  setting_int(db, "enforcement.publish_days.other"),
                  clock_unit_codes[CLOCK_WORKDAYS], now, now);
        st = query_prepare(db, &cq);
        rc = st ? db_step(st) : DB_ERROR;
        db_done(st);
    }
    /* reviews of one closed file in 30, a score from the id (vetoed one in 7) */
    if (rc == DB_DONE)
        rc =
            db_exec(db,
                    "INSERT INTO case_reviews (review_no, case_id, unit_id, reviewed_on, reviewer, "
                    "note, items, form_score, content_score, score, vetoed, grade, "
                    "rectify_count, created_at, updated_at, version) "
                    "SELECT 'PS' || SUBSTR(c.closed_on, 1, 4) || '-' || CAST(1000000 + c.id AS "
                    "TEXT), c.id, c.unit_id, c.closed_on, '评查组', '', '[]', "
                    "CASE WHEN c.id % 7 = 0 THEN 0 ELSE 20 - c.id % 5 END, "
                    "CASE WHEN c.id % 7 = 0 THEN 0 ELSE 80 - c.id % 47 END, "
                    "CASE WHEN c.id % 7 = 0 THEN 0 ELSE 100 - c.id % 5 - c.id % 47 END, "
                    "CASE WHEN c.id % 7 = 0 THEN 1 ELSE 0 END, "
                    "CASE WHEN c.id % 7 = 0 OR 100 - c.id % 5 - c.id % 47 < ? THEN 'fail' "
                    "WHEN 100 - c.id % 5 - c.id % 47 >= ? THEN 'excellent' ELSE 'pass' END, 0, "
                    "?, ?, 1 FROM enforcement_cases c WHERE c.case_no LIKE 'ZS%' AND "
                    "c.status = 'closed' AND c.id % 30 = 0 AND NOT EXISTS (SELECT 1 FROM "
                    "case_reviews x WHERE x.case_id = c.id)",
                    "iiss", setting_int(db, "enforcement.review.pass"),
                    setting_int(db, "enforcement.review.excellent"), now, now) == DB_OK
                ? DB_DONE
                : DB_ERROR;
    arena_free(a);
    return rc == DB_DONE ? DB_OK : (rc < 0 ? rc : DB_ERROR);
}
