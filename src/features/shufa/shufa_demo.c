/* shufa_demo.c — demo 述法: `fazhi demo` opens the year for the demo units' first responsible
 * persons and walks their reports through the kind as the right accounts — the unit's clerk
 * writes every item and submits, the office returns some for revision, scores the others item by
 * item and rates them — so every state, score and grade is the engine's own; some reports stay
 * being written. `fazhi demo --scale` opens the year for every unit (one report per unit). */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

#include "base/calendar.h"
#include "base/timeutil.h"
#include "features/flow/flow_demo.h"
#include "features/shufa/shufa.h"

static const char *clerk_of(struct arena *a, const char *unit) {
    if (!strcmp(unit, "justice")) return "clerk1";
    if (!strcmp(unit, "chengguan")) return "clerk2";
    if (!strcmp(unit, "office")) return "office";
    return arena_printf(a, "clerk_%s", unit);
}

static int act(struct db *db, struct arena *a, const char *who, int64_t id, const char *action,
               json_t *body) {
    return flow_demo_act(db, a, &shufa_report_kind, who, id, action, body, 0, 0);
}

/* Every item written: what was done, with the unit's facts in general words. */
static int write_items(struct db *db, int64_t id) {
    return db_exec(
        db,
        "UPDATE shufa_report_items SET content = title || '：' || CASE sort_order % 4 "
        "WHEN 1 THEN '本年度坚持把该项工作摆在重要位置，主要负责人亲自部署、定期听取汇报，"
        "全年召开专题会议4次，研究解决重点问题6个，相关制度全部落实到位。' "
        "WHEN 2 THEN '严格落实合法性审查和集体讨论决定制度，全年审查事项23件，"
        "提出修改意见41条，均已采纳；未发生因程序违法被纠错的情况。' "
        "WHEN 3 THEN '对照年度工作要点逐项推进，建立台账、明确责任人和完成时限，"
        "按季度开展自查，发现问题3个，已整改2个，1个正在整改。' "
        "ELSE '一是部分工作人员法治意识有待增强；二是基层执法力量不足。下一步将加强"
        "学法培训，充实执法队伍，完善考核机制。' END WHERE report_id = ?",
        "i", id);
}

int shufa_demo(struct db *db, struct arena *a, int32_t today) {
    char day[11];
    date_format(today, day);
    int64_t year = atoi(day), office = 0, created = 0;
    if (db_query_int(db, &office, "SELECT id FROM users WHERE username = 'office'", "") != DB_ROW)
        return DB_ERROR;
    int rc = shufa_open_year(db, a, year, office, &created);
    if (rc != DB_OK) return rc;
    /* the year's reports with their unit codes, in order */
    int64_t ids[128];
    const char *units[128];
    int n = 0;
    struct db_stmt *st = db_queryv(db,
                                   "SELECT r.id, u.code FROM shufa_reports r JOIN units u ON "
                                   "u.id = r.unit_id WHERE r.year = ? ORDER BY r.id",
                                   "i", year);
    while (st && (rc = db_step(st)) == DB_ROW && n < 128) {
        ids[n] = db_col_int(st, 0);
        units[n++] = arena_strdup(a, db_col_text(st, 1));
    }
    db_done(st);
    if (rc < 0) return rc;
    static const int shares[] = {96, 86, 72, 52}; /* 优秀, 良好, 合格, 不合格 */
    for (int i = 0; i < n; i++) {
        int stage = i % 5; /* 0 being written, 1 submitted, 2 returned, 3 and 4 rated */
        const char *clerk = clerk_of(a, units[i]);
        if (stage == 0) {
            /* begun: the first items written */
            rc = db_exec(db,
                         "UPDATE shufa_report_items SET content = title || '：正在撰写。' WHERE "
                         "report_id = ? AND sort_order <= 2",
                         "i", ids[i]);
            if (rc != DB_OK) return rc;
            continue;
        }
        if ((rc = write_items(db, ids[i])) != DB_OK) return rc;
        if (act(db, a, clerk, ids[i], "submit", json_object()) != DB_OK) return DB_ERROR;
        if (stage == 1) continue;
        if (stage == 2) {
            if (act(db, a, "office", ids[i], "return",
                    json_pack("{s:s}", "note",
                              "“依法决策情况”未列明重大行政决策事项及合法性审查情况，“存在问题”"
                              "过于笼统，请补充具体事例后重新提交。")) != DB_OK)
                return DB_ERROR;
            continue;
        }
        int share = shares[(i / 5 + stage) % 4];
        rc = db_exec(
            db,
            "UPDATE shufa_report_items SET score = (max_score * ?) / 100, comment = "
            "CASE WHEN sort_order = 1 THEN '学法制度落实较好' ELSE '' END WHERE report_id = ?",
            "ii", (int64_t)share, ids[i]);
        if (rc != DB_OK) return rc;
        if (act(db, a, "office", ids[i], "rate",
                json_pack("{s:s}", "note",
                          share >= 80 ? "述法内容全面具体，第一责任人职责履行到位，评议良好以上。"
                          : share >= 60
                              ? "基本履行第一责任人职责，依法决策和执法监督方面仍有差距。"
                              : "履行第一责任人职责不到位，多项工作未落实，须限期整改。")) != DB_OK)
            return DB_ERROR;
    }
    return DB_OK;
}

/* The scaled set: one report per unit that gives 述法 and year — its units' first responsible
 * persons made where the scaled tree has none, the year opened, then (set-based) a quarter left
 * being written, a quarter submitted and half rated with scores of 60–99 % of each item's maximum:
 * a fixed number of statements whatever the size. */
int shufa_demo_scale(struct db *db, int64_t volume, int32_t today) {
    (void)volume; /* one report per unit and year, whatever the volume */
    char day[11], now[21];
    date_format(today, day);
    now_iso(now);
    int64_t year = atoi(day), created = 0;
    struct arena *a = arena_new(4096);
    int rc =
        db_exec(db,
                "INSERT INTO people (unit_id, name, position, phone_masked, "
                "is_first_responsible, is_liaison, sort_order, active, created_at, "
                "updated_at, version) SELECT u.id, '主要负责人' || CAST(u.id AS TEXT), "
                "'主要负责人', '', 1, 0, 0, 1, ?, ?, 1 FROM units u WHERE u.active = 1 "
                "AND " SHUFA_SPEAKER_SQL(
                    "u.kind") " IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "
                              "people p WHERE p.unit_id = u.id AND p.is_first_responsible = 1)",
                "ss", now, now);
    if (rc == DB_OK) rc = shufa_open_year(db, a, year, 0, &created);
    if (rc == DB_OK)
        rc = db_exec(db,
                     "UPDATE shufa_report_items SET content = title || '：已按年度要点落实。', "
                     "score = CASE WHEN report_id % 4 >= 2 THEN (max_score * (60 + (id * 7 + "
                     "report_id) % 40)) / 100 END WHERE report_id IN (SELECT id FROM shufa_reports "
                     "WHERE year = ? AND status = 'draft' AND id % 4 <> 0)",
                     "i", year);
    if (rc == DB_OK)
        rc = db_exec(db,
                     "UPDATE shufa_reports SET status = CASE WHEN id % 4 = 1 THEN 'submitted' "
                     "ELSE 'rated' END, submitted_on = ?, rated_on = CASE WHEN id % 4 >= 2 THEN ? "
                     "END, review_comment = CASE WHEN id % 4 >= 2 THEN '评议意见（批量生成）' END, "
                     "total_score = CASE WHEN id % 4 >= 2 THEN (SELECT SUM(i.score) FROM "
                     "shufa_report_items i WHERE i.report_id = shufa_reports.id) END, max_score = "
                     "CASE WHEN id % 4 >= 2 THEN (SELECT SUM(i.max_score) FROM shufa_report_items "
                     "i WHERE i.report_id = shufa_reports.id) END WHERE year = ? AND status = "
                     "'draft' AND id % 4 <> 0",
                     "ssi", day, day, year);
    if (rc == DB_OK)
        rc = db_exec(db,
                     "UPDATE shufa_reports SET grade = " SHUFA_GRADE_SQL(
                         "total_score",
                         "max_score") " WHERE year = ? AND status = 'rated' AND grade IS NULL",
                     "i", year);
    arena_free(a);
    return rc;
}
