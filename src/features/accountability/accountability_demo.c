/* accountability_demo.c — demo 问责 records: `fazhi demo` records measures of every kind across
 * the demo units over the last year (the official: the unit's first responsible person, or the
 * unit itself for a 通报批评 of the unit); `fazhi demo --scale` adds 0.001 × volume records in one
 * set-based insert. finding_id stays NULL: the findings are another module's. */
#include <stdio.h>
#include <string.h>

#include "base/calendar.h"
#include "base/timeutil.h"
#include "features/accountability/accountability.h"
#include "features/org/org.h"
#include "store/query.h"

struct demo_record {
    const char *unit, *measure, *body, *reason, *basis;
    int days_ago, named; /* named: the unit's first responsible person is held to account */
};

static const struct demo_record records[] = {
    {"urban", "interview", "区委依法治区办",
     "2026年度法治督察发现行政执法案卷评查不合格率偏高，整改推进缓慢。",
     "《法治政府建设与责任落实督察工作规定》第三十一条", 300, 1},
    {"beishan", "criticism", "区委依法治区办",
     "镇政府重大行政决策未经合法性审查即提交集体讨论，督察反馈后未按期整改。",
     "《重大行政决策程序暂行条例》第二十五条、《法治政府建设与责任落实督察工作规定》第三十一条",
     260, 0},
    {"housing", "self_review", "区人民政府",
     "行政复议决定被纠错案件数量较上年明显上升，行政机关负责人出庭应诉率未达要求。",
     "《法治政府建设与责任落实督察工作规定》第三十一条", 220, 1},
    {"market", "admonition", "区纪委监委",
     "双随机抽查任务未按计划完成，抽查结果未在规定期限内公示。",
     "《中国共产党问责条例》第七条第（九）项", 180, 1},
    {"liuhe", "interview", "区委依法治区办",
     "乡政府规范性文件未按规定报送备案，督察发现三件文件未经合法性审核。",
     "《法治政府建设与责任落实督察工作规定》第三十一条", 150, 1},
    {"ecology", "criticism", "区委依法治区办", "法治督察反馈问题清单中5项问题整改逾期未销号。",
     "《法治政府建设与责任落实督察工作规定》第三十一条", 120, 0},
    {"qingshi", "organisational", "区委组织部",
     "履行推进法治建设第一责任人职责不力，年度述法评议结果为不合格。",
     "《党政主要负责人履行推进法治建设第一责任人职责规定》第十一条", 100, 1},
    {"emergency", "disciplinary", "区纪委监委",
     "行政执法过程中违反法定程序，造成不良社会影响，经督察查实。",
     "《中国共产党纪律处分条例》第一百二十一条", 80, 1},
    {"dongcheng", "self_review", "区委依法治区办",
     "街道综合行政执法未全面落实行政执法“三项制度”，执法全过程记录缺失。",
     "《法治政府建设与责任落实督察工作规定》第三十一条", 60, 0},
    {"health", "interview", "区委依法治区办",
     "普法责任清单未按期制定，“谁执法谁普法”责任落实不到位。",
     "《法治政府建设与责任落实督察工作规定》第三十一条", 40, 1},
    {"nanhu", "admonition", "区纪委监委", "回头看发现已销号问题反弹，整改流于形式。",
     "《中国共产党问责条例》第七条第（九）项", 25, 1},
    {"agri", "criticism", "区委依法治区办",
     "行政机关负责人出庭应诉率连续两个季度低于全区平均水平。",
     "《法治政府建设与责任落实督察工作规定》第三十一条", 10, 0},
};
#define N_RECORDS (int)(sizeof records / sizeof records[0])

int accountability_demo(struct db *db, struct arena *a, int32_t today) {
    char now[21];
    now_iso(now);
    for (int i = 0; i < N_RECORDS; i++) {
        const struct demo_record *r = &records[i];
        int64_t unit = unit_id_by_code(db, r->unit);
        if (!unit) continue;
        char on[11], name[64] = "", position[128] = "";
        date_format(today - r->days_ago, on);
        if (r->named) {
            struct db_stmt *st = db_queryv(db,
                                           "SELECT name, position FROM people WHERE unit_id = ? "
                                           "AND is_first_responsible = 1 ORDER BY id LIMIT 1",
                                           "i", unit);
            int rc = st ? db_step(st) : DB_ERROR;
            if (rc == DB_ROW) {
                snprintf(name, sizeof name, "%s", db_col_text(st, 0));
                snprintf(position, sizeof position, "%s", db_col_text(st, 1));
            }
            db_done(st);
            if (rc < 0) return rc;
        }
        int64_t id = 0;
        struct db_stmt *st = db_prepare(
            db, "INSERT INTO accountabilities (unit_id, person_name, person_position, measure, "
                "deciding_body, decided_on, reason, basis, document_no, created_at, updated_at, "
                "version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1) RETURNING id");
        if (!st) return DB_ERROR;
        db_bind_id(st, 1, unit);
        db_bind_text(st, 2, name);
        db_bind_text(st, 3, position);
        db_bind_text(st, 4, r->measure);
        db_bind_text(st, 5, r->body);
        db_bind_text(st, 6, on);
        db_bind_text(st, 7, r->reason);
        db_bind_text(st, 8, r->basis);
        db_bind_text(st, 9, arena_printf(a, "区法治督〔%.4s〕%d号", on, i + 1));
        db_bind_text(st, 10, now);
        db_bind_text(st, 11, now);
        int rc = db_step(st);
        if (rc == DB_ROW) id = db_col_int(st, 0);
        db_done(st);
        if (rc != DB_ROW) return rc < 0 ? rc : DB_ERROR;
        const char *no = NULL;
        rc = entity_number_set(db, a, &entity_accountabilities, id, on, &no);
        if (rc != DB_OK) return rc;
    }
    /* each follows a finding of its unit where the inspections found one (their module's demo
     * runs first) */
    return db_exec(db,
                   "UPDATE accountabilities SET finding_id = (SELECT MIN(f.id) FROM "
                   "inspection_findings f WHERE f.unit_id = accountabilities.unit_id) WHERE "
                   "finding_id IS NULL",
                   "");
}

/* 0.001 × volume records (at least one), over the units below the root and the last 360 days
 * (a bound VALUES list: portable date text), the measures in turn: one INSERT … SELECT, then their
 * numbers in one UPDATE. */
#define SCALE_DAYS 360

int accountability_demo_scale(struct db *db, int64_t volume, int32_t today) {
    int64_t n = volume / 1000;
    if (n < 1) n = 1;
    struct arena *a = arena_new(1 << 15);
    char now[21];
    now_iso(now);
    struct query q;
    query_init(&q, a,
               "WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ?), "
               "days(k, day) AS (VALUES ");
    query_add(&q, "", "i", n);
    for (int k = 0; k < SCALE_DAYS; k++) {
        char *d = arena_alloc(a, 11);
        date_format(today - 1 - k, d);
        query_add(&q, k ? ", (CAST(? AS BIGINT), ?)" : "(CAST(? AS BIGINT), ?)", "is", (int64_t)k,
                  d);
    }
    query_add(
        &q,
        "), u AS (SELECT id, ROW_NUMBER() OVER (ORDER BY id) - 1 AS k, COUNT(*) OVER () AS n "
        "FROM units WHERE parent_id IS NOT NULL) "
        "INSERT INTO accountabilities (record_no, unit_id, person_name, person_position, "
        "measure, deciding_body, decided_on, reason, basis, document_no, created_at, "
        "updated_at, version) "
        "SELECT 'WS' || CAST(1000000 + s.i AS TEXT), u.id, '', '', "
        "CASE s.i % 6 WHEN 0 THEN 'interview' WHEN 1 THEN 'criticism' WHEN 2 THEN "
        "'self_review' WHEN 3 THEN 'admonition' WHEN 4 THEN 'organisational' ELSE "
        "'disciplinary' END, '区委依法治区办', d.day, '法治督察发现问题整改不力（批量生成）', "
        "'', '', ?, ?, 1 FROM seq s JOIN u ON u.k = s.i % u.n JOIN days d ON d.k = s.i % ?",
        "ssi", now, now, (int64_t)SCALE_DAYS);
    struct db_stmt *st = query_prepare(db, &q);
    int rc = st ? db_step(st) : DB_ERROR;
    db_done(st);
    arena_free(a);
    if (rc != DB_DONE) return rc < 0 ? rc : DB_ERROR;
    /* the numbers follow the year decided and the id */
    return db_exec(db,
                   "UPDATE accountabilities SET record_no = 'WZ' || SUBSTR(decided_on, 1, 4) || "
                   "'-' || SUBSTR(CAST(1000000 + id AS TEXT), 2) WHERE record_no LIKE 'WS%'",
                   "");
}
