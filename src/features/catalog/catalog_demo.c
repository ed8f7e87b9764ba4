/* catalog_demo.c — the demo district's 2026 catalogue: ten items across its units drawn up by the
 * office, submitted, approved at the government's executive meeting and published on its portal
 * (the catalogue's steps, which the items follow), then one item adjusted with its reason; and
 * next year's catalogue being drawn up. `fazhi demo --scale` adds one published catalogue with a
 * few items per unit, set-based. */
#include <stdio.h>
#include <string.h>

#include "base/calendar.h"
#include "base/timeutil.h"
#include "features/accounts/accounts.h"
#include "features/catalog/catalog.h"
#include "features/org/org.h"
#include "store/query.h"

struct demo_item {
    const char *unit, *title, *basis, *quarter;
    int month;
    const char *type, *summary;
};

static const struct demo_item items_2026[] = {
    {"drc", "区国民经济和社会发展第十五个五年规划纲要",
     "《重大行政决策程序暂行条例》第三条；《区人民代表大会议事规则》", "q1", 2, "plan",
     "明确“十五五”时期全区经济社会发展的总体思路、主要目标和重大任务。"},
    {"housing", "区老旧小区改造三年行动方案（2026—2028年）",
     "《国务院办公厅关于全面推进城镇老旧小区改造工作的指导意见》", "q2", 5, "policy",
     "对2000年前建成的老旧小区实施基础类、完善类和提升类改造。"},
    {"education", "区中小学校布局调整规划", "《中华人民共和国教育法》；《义务教育法》", "q2", 0,
     "plan", "统筹学位供给，新建、改扩建中小学校12所。"},
    {"health", "区紧密型医疗卫生共同体建设实施方案", "《基本医疗卫生与健康促进法》", "q3", 7,
     "policy", "以区人民医院为龙头组建医共体，推进分级诊疗。"},
    {"natres", "区国土空间总体规划（2021—2035年）实施方案",
     "《中华人民共和国土地管理法》；《城乡规划法》", "q1", 3, "resources",
     "落实耕地和永久基本农田、生态保护红线、城镇开发边界三条控制线。"},
    {"ecology", "区饮用水水源地保护区划定调整", "《中华人民共和国水污染防治法》第六十三条", "q3", 0,
     "resources", "调整北山水库饮用水水源一级、二级保护区范围。"},
    {"urban", "区生活垃圾分类管理办法", "《中华人民共和国固体废物污染环境防治法》第四十三条", "q2",
     6, "policy", "建立分类投放、分类收集、分类运输、分类处理的生活垃圾管理系统。"},
    {"finance", "区政府投资项目管理办法（修订）", "《政府投资条例》", "q4", 10, "policy",
     "规范政府投资项目审批、建设和资金管理，明确项目储备和绩效评价要求。"},
    {"civil", "区养老服务设施布局专项规划", "《中华人民共和国老年人权益保障法》第五十一条", "q3", 9,
     "plan", "到2030年实现街道综合养老服务中心全覆盖。"},
    {"agri", "南湖片区高标准农田建设项目", "《中华人民共和国农业法》；《高标准农田建设通则》", "q4",
     11, "project", "新建和改造提升高标准农田2.6万亩。"},
};

static const struct demo_item items_2027[] = {
    {"housing", "区城市更新三年行动计划（2027—2029年）",
     "《重大行政决策程序暂行条例》第三条；《城市更新条例》", "q2", 5, "plan",
     "统筹老旧街区、历史文化街区和公共服务设施的更新改造。"},
    {"emergency", "区自然灾害综合风险防治规划", "《中华人民共和国突发事件应对法》", "q1", 0, "plan",
     "建立自然灾害综合风险普查成果应用和防治工程体系。"},
};

static int actor_of(struct db *db, struct arena *a, const char *username, struct principal *p,
                    struct audit_actor *au) {
    int64_t id = account_id_by_username(db, username);
    if (!id || principal_load(db, a, id, p) != DB_ROW) return -1;
    *au = (struct audit_actor){p->user_id, p->username, p->role, p->unit_id, "local", ""};
    return 0;
}

static int step(struct db *db, struct arena *a, const struct flow_actor *fa,
                const struct flow_kind *k, const char *table, int64_t id, const char *action,
                json_t *body, int32_t day) {
    int64_t version = 0;
    if (db_query_int(db, &version, arena_printf(a, "SELECT version FROM %s WHERE id = ?", table),
                     "i", id) != DB_ROW) {
        json_decref(body);
        return DB_ERROR;
    }
    json_object_set_new(body, "version", json_integer(version));
    struct problems pr = {.arena = a};
    int rc = flow_apply_on(db, a, fa, k, id, action, body, &pr, day);
    json_decref(body);
    if (rc != FLOW_OK)
        fprintf(stderr, "fazhi demo: %s %lld %s: %d %s\n", k->name, (long long)id, action, rc,
                pr.n ? pr.p[0].zh : (pr.zh ? pr.zh : ""));
    return rc == FLOW_OK ? DB_OK : DB_ERROR;
}

/* One item through the entity layer's create (its number, timeline and audit). */
static int item_add(struct entity_ctx *c, const struct audit_actor *au, int64_t year,
                    const struct demo_item *d, int64_t *id) {
    struct problems pr = {.arena = c->arena};
    json_t *in =
        json_pack("{s:I,s:s,s:s,s:I,s:s,s:s,s:s,s:s}", "year", (json_int_t)year, "title", d->title,
                  "deciding_body", "区人民政府", "lead_unit_id",
                  (json_int_t)unit_id_by_code(c->db, d->unit), "legal_basis", d->basis,
                  "planned_quarter", d->quarter, "matter_type", d->type, "summary", d->summary);
    if (d->month) json_object_set_new(in, "planned_month", json_integer(d->month));
    struct entity_write w = {.c = c, .actor = au, .in = in, .pr = &pr};
    int rc = entity_create(&w);
    json_decref(in);
    *id = w.id;
    if (rc != DB_OK)
        fprintf(stderr, "fazhi demo: decision item %s: %d %s\n", d->title, rc,
                pr.n ? pr.p[0].zh : "");
    return rc == DB_OK ? DB_OK : DB_ERROR;
}

static int32_t not_after(const char *date, int32_t today) {
    int32_t d = today;
    if (date_parse(date, &d) != 0) return today;
    return d < today ? d : today;
}

int catalog_demo(struct db *db, struct arena *a, int32_t today) {
    struct principal office;
    struct audit_actor au;
    struct entity_ctx c;
    if (actor_of(db, a, "office", &office, &au) ||
        entity_ctx_init(&c, db, a, &entity_decision_items, &office, 0, EP_GET) != DB_OK)
        return DB_ERROR;
    struct flow_actor fa = {&office, &au};
    int64_t ids[ENTITY_N(items_2026)], id = 0, cat = 0;
    for (int i = 0; i < ENTITY_N(items_2026); i++)
        if (item_add(&c, &au, 2026, &items_2026[i], &ids[i]) != DB_OK) return DB_ERROR;
    if (db_query_int(db, &cat, "SELECT id FROM decision_catalogues WHERE year = 2026", "") !=
        DB_ROW)
        return DB_ERROR;
    int32_t approved = not_after("2026-02-26", today), published = not_after("2026-03-05", today),
            adjusted = not_after("2026-06-12", today);
    char day[11];
    int rc =
        step(db, a, &fa, &decision_catalogue_kind, "decision_catalogues", cat, "submit",
             json_pack("{s:s}", "note", "经各承办单位申报、区司法局合法性初审，提请区政府审定。"),
             not_after("2026-02-10", today));
    date_format(approved, day);
    if (rc == DB_OK)
        rc = step(db, a, &fa, &decision_catalogue_kind, "decision_catalogues", cat, "approve",
                  json_pack("{s:s,s:s}", "approved_on", day, "approval_ref",
                            "区政府第5次常务会议审议通过"),
                  approved);
    char pday[11];
    date_format(published, pday);
    if (rc == DB_OK)
        rc = step(db, a, &fa, &decision_catalogue_kind, "decision_catalogues", cat, "publish",
                  json_pack("{s:s,s:s}", "published_on", pday, "publish_channel",
                            "区人民政府门户网站“重大行政决策”专栏"),
                  published);
    /* 调整: the education plan waits for the city's school-places forecast (q2 → q4) */
    if (rc == DB_OK)
        rc = step(db, a, &fa, &decision_item_kind, "decision_items", ids[2], "adjust",
                  json_pack("{s:s,s:i,s:s}", "planned_quarter", "q4", "planned_month", 11, "note",
                            "市教育局学位需求预测数据延期至第三季度发布，规划需据此测算学位缺口，"
                            "计划时间由第二季度调整至第四季度（11月）。"),
                  adjusted);
    /* next year's catalogue being drawn up */
    for (int i = 0; rc == DB_OK && i < ENTITY_N(items_2027); i++)
        rc = item_add(&c, &au, 2027, &items_2027[i], &id);
    return rc;
}

/* A published catalogue of today's year with a few items per unit (1–3 by the volume: ~0.005 ×
 * volume in all at province scale), in set-based inserts. */
int catalog_demo_scale(struct db *db, int64_t volume, int32_t today) {
    struct arena *a = arena_new(1 << 14);
    char now[21], day[11];
    now_iso(now);
    date_format(today, day);
    int64_t year = 0, per = volume / 50000;
    if (per < 1) per = 1;
    if (per > 3) per = 3;
    sscanf(day, "%4lld", (long long *)&year);
    int rc =
        db_exec(db,
                "INSERT INTO decision_catalogues (year, title, deciding_body, status, "
                "approved_on, approval_ref, published_on, publish_channel, created_at, "
                "updated_at, version) SELECT CAST(? AS BIGINT), ?, '人民政府', 'published', ?, "
                "'常务会议', ?, "
                "'政府门户网站', ?, ?, 1 WHERE NOT EXISTS (SELECT 1 FROM "
                "decision_catalogues WHERE year = ?)",
                "isssssi", year, arena_printf(a, "%lld年度重大行政决策事项目录", (long long)year),
                day, day, now, now, year);
    if (rc == DB_OK)
        rc = db_exec(
            db,
            "WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ?), "
            "u AS (SELECT id, ROW_NUMBER() OVER (ORDER BY id) AS k FROM units "
            "WHERE parent_id IS NOT NULL) "
            "INSERT INTO decision_items (item_no, catalogue_id, year, title, deciding_body, "
            "lead_unit_id, legal_basis, planned_quarter, planned_month, planned_on, matter_type, "
            "summary, status, published_on, adjustment_note, created_at, updated_at, version) "
            "SELECT 'SX' || CAST(? AS TEXT) || '-' || CAST(1000000 + u.k * 10 + s.i AS TEXT), "
            "dc.id, dc.year, '重大行政决策事项（批量生成）', '人民政府', u.id, "
            "'《重大行政决策程序暂行条例》第三条', "
            "'q' || CAST(1 + (u.k + s.i) % 4 AS TEXT), NULL, "
            "CAST(? AS TEXT) || '-' || CASE (u.k + s.i) % 4 WHEN 0 THEN '01' WHEN 1 THEN '04' "
            "WHEN 2 THEN '07' ELSE '10' END || '-01', "
            "CASE s.i % 3 WHEN 0 THEN 'policy' WHEN 1 THEN 'plan' ELSE 'project' END, "
            "'批量生成的目录事项。', 'published', dc.published_on, '', ?, ?, 1 "
            "FROM seq s CROSS JOIN u JOIN decision_catalogues dc ON dc.year = ?",
            "iiissi", per, year, year, now, now, year);
    arena_free(a);
    return rc;
}
