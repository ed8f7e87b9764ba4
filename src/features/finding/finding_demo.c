/* finding_demo.c — the demo's 问题整改 and 督察通报 (`fazhi demo`): findings of the year's
 * inspections (linked at the end to the plans of the inspection demo, which runs first) walked
 * through the kind as the accounts whose turn it is — the inspector registers, orders and
 * verifies, the unit's clerk works on its task — into every state, one escalated by the daily
 * job, and two bulletins (one published). demo_scale: findings only (~0.01 × volume, one
 * INSERT … SELECT, no tasks: a task per finding is not cheap at scale). */
#include <stdio.h>
#include <string.h>

#include "base/calendar.h"
#include "base/timeutil.h"
#include "features/finding/finding.h"
#include "features/flow/flow_demo.h"
#include "features/tasks/tasks.h"
#include "store/query.h"

int finding_insert(struct db *db, struct arena *a, const struct audit_actor *actor, json_t *in,
                   int64_t *id);

enum walk {
    W_OPEN,
    W_RECTIFYING,
    W_VERIFYING,
    W_FAILED,
    W_RECTIFIED,
    W_CLOSED,
    W_RELAPSED,
    W_ESCALATED,
    W_CANCELLED
};

struct demo_finding {
    const char *unit, *category, *severity, *rule, *description;
    enum walk walk;
};

static const struct demo_finding findings[] = {
    {"market", "行政执法", "serious",
     "《中华人民共和国行政处罚法》第四十八条（行政处罚决定依法公开）",
     "抽查发现第三季度 12 件具有一定社会影响的行政处罚决定未在七个工作日内公开", W_CLOSED},
    {"urban", "行政执法", "grave", "《中华人民共和国行政处罚法》第五十八条（重大执法决定法制审核）",
     "抽查案卷 8 件，其中 3 件重大执法决定未经法制审核即作出", W_RECTIFIED},
    {"natres", "依法决策", "serious", "《重大行政决策程序暂行条例》第二十五条（合法性审查）",
     "征收补偿标准调整事项未经合法性审查即提交集体讨论", W_VERIFYING},
    {"housing", "规范性文件管理", "general",
     "《国务院办公厅关于加强行政规范性文件制定和监督管理工作的通知》（国办发〔2018〕37号）",
     "2 件行政规范性文件未在发布后 30 日内报送备案", W_FAILED},
    {"education", "普法宣传", "general",
     "《关于实行国家机关“谁执法谁普法”普法责任制的意见》第二部分",
     "本单位普法责任清单未向社会公布，年度普法计划未落实到科室", W_RECTIFYING},
    {"ecology", "行政执法", "serious",
     "《国务院办公厅关于全面推行行政执法公示制度执法全过程记录制度"
     "重大执法决定法制审核制度的指导意见》第三部分",
     "现场检查执法记录仪音像记录不完整，5 件案卷缺少全过程记录", W_RELAPSED},
    {"health", "复议应诉", "general", "《中华人民共和国行政诉讼法》第三条第三款（负责人出庭应诉）",
     "本年度行政诉讼案件行政机关负责人出庭应诉率低于 50%", W_ESCALATED},
    {"justice", "组织保障", "general",
     "《法治政府建设与责任落实督察工作规定》第二十五条（年度报告）",
     "上一年度法治政府建设情况报告未按期向社会公开", W_OPEN},
    {"chengguan", "制度建设", "general", "《法治政府建设实施纲要（2021—2025年）》第三部分",
     "街道合法性审核机制未建立，重大事项未经法律顾问审核", W_OPEN},
    {"civil", "其他", "general", "《社会救助暂行办法》第十一条",
     "重复登记（与综合督察第 3 组问题相同）", W_CANCELLED},
};

/* the demo's day (`fazhi demo --today`): every step is taken as of it unless told otherwise */
static int32_t demo_day;

static int act(struct db *db, struct arena *a, const struct flow_kind *k, const char *who,
               int64_t id, const char *action, json_t *body, int32_t on) {
    return flow_demo_act(db, a, k, who, id, action, body ? body : json_object(), on ? on : demo_day,
                         0);
}

static int64_t task_of(struct db *db, int64_t id) {
    int64_t t = 0;
    db_query_int(db, &t, "SELECT COALESCE(task_id, 0) FROM inspection_findings WHERE id = ?", "i",
                 id);
    return t;
}

/* the unit's clerk acknowledges its task and asks to close it with its report */
static int unit_reports(struct db *db, struct arena *a, const char *clerk, int64_t task,
                        const char *report, int ack) {
    int rc = ack ? act(db, a, &task_kind, clerk, task, "acknowledge",
                       json_pack("{s:s}", "note", "已签收，按期整改"), 0)
                 : DB_OK;
    if (rc == DB_OK)
        rc = act(db, a, &task_kind, clerk, task, "request_close",
                 json_pack("{s:s,s:i}", "note", report, "progress", 100), 0);
    return rc;
}

static int walk(struct db *db, struct arena *a, const struct demo_finding *d, int64_t id,
                int32_t today) {
    const char *clerk = !strcmp(d->unit, "justice")     ? "clerk1"
                        : !strcmp(d->unit, "chengguan") ? "clerk2"
                                                        : arena_printf(a, "clerk_%s", d->unit);
    const struct flow_kind *k = &finding_kind;
    if (d->walk == W_OPEN) return DB_OK;
    if (d->walk == W_CANCELLED)
        return act(db, a, k, "office", id, "cancel",
                   json_pack("{s:s}", "note", "重复登记，予以撤销"), 0);
    if (d->walk == W_ESCALATED) {
        /* ordered 40 days ago with a 15-day deadline: overdue since */
        char dl[11];
        date_format(today - 25, dl);
        int rc = act(db, a, k, "inspector", id, "assign",
                     json_pack("{s:s,s:s}", "deadline", dl, "note", "请于期限内整改并报送整改报告"),
                     today - 40);
        if (rc == DB_OK)
            rc = act(db, a, &task_kind, clerk, task_of(db, id), "acknowledge",
                     json_pack("{s:s}", "note", "已签收"), today - 38);
        return rc;
    }
    int rc = act(db, a, k, "inspector", id, "assign",
                 json_pack("{s:s}", "note", "请对照问题清单逐项整改，整改报告在督办任务上报送"), 0);
    if (rc != DB_OK || d->walk == W_RECTIFYING) {
        if (rc == DB_OK)
            rc = act(db, a, &task_kind, clerk, task_of(db, id), "acknowledge",
                     json_pack("{s:s}", "note", "已签收，正在制定整改方案"), 0);
        return rc;
    }
    rc =
        unit_reports(db, a, clerk, task_of(db, id),
                     "已逐项整改：建立工作台账，完善制度，补正相关材料（附整改报告和佐证材料）", 1);
    if (rc != DB_OK || d->walk == W_VERIFYING) return rc;
    if (d->walk == W_FAILED) {
        rc = act(db, a, k, "inspector", id, "verify",
                 json_pack("{s:b,s:s}", "passed", 0, "note",
                           "抽查发现仍有 1 件未报送备案，整改不到位，请继续整改"),
                 0);
        return rc;
    }
    rc = act(db, a, k, "inspector", id, "verify",
             json_pack("{s:b,s:s}", "passed", 1, "note", "经现场核查和抽查案卷，整改到位"), 0);
    if (rc != DB_OK || d->walk == W_RECTIFIED) return rc;
    if (d->walk == W_CLOSED)
        return act(db, a, k, "inspector", id, "recheck",
                   json_pack("{s:b,s:s}", "relapsed", 0, "note", "回头看抽查 10 件，未发现反弹"),
                   0);
    return act(db, a, k, "inspector", id, "recheck",
               json_pack("{s:b,s:s}", "relapsed", 1, "note",
                         "回头看抽查发现 2 件新案卷仍缺少全过程记录，问题反弹"),
               0);
}

static int bulletin_new(struct db *db, struct arena *a, const char *title, int64_t plan,
                        int64_t *id) {
    char now[21], today[11];
    now_iso(now);
    date_format(demo_day, today);
    int64_t office = 0;
    db_query_int(db, &office, "SELECT id FROM users WHERE username = 'office'", "");
    struct db_stmt *st =
        db_prepare(db, "INSERT INTO bulletins (title, plan_id, status, created_by, "
                       "created_at, updated_at) VALUES (?, ?, 'draft', ?, ?, ?) "
                       "RETURNING id");
    if (!st) return DB_ERROR;
    db_bind_text(st, 1, title);
    db_bind_id(st, 2, plan);
    db_bind_id(st, 3, office);
    db_bind_text(st, 4, now);
    db_bind_text(st, 5, now);
    int rc = db_step(st);
    if (rc == DB_ROW) *id = db_col_int(st, 0);
    db_done(st);
    if (rc != DB_ROW) return DB_ERROR;
    const char *no = NULL;
    rc = entity_number_set(db, a, &entity_bulletins, *id, today, &no);
    return rc == DB_OK ? flow_demo_created(db, a, &bulletin_kind, "inspector", *id) : rc;
}

int finding_demo(struct db *db, struct arena *a, int32_t today) {
    struct principal p;
    struct audit_actor au;
    demo_day = today;
    if (flow_demo_actor(db, a, "inspector", &p, &au)) return DB_ERROR;
    char found[11];
    date_format(today - 45, found);
    for (size_t i = 0; i < sizeof findings / sizeof findings[0]; i++) {
        const struct demo_finding *d = &findings[i];
        int64_t unit = 0, id = 0;
        if (db_query_int(db, &unit, "SELECT id FROM units WHERE code = ?", "s", d->unit) != DB_ROW)
            return DB_ERROR;
        json_t *in = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s}", "unit_id", (json_int_t)unit, "category",
                               d->category, "severity", d->severity, "rule", d->rule, "description",
                               d->description, "found_on", found);
        int rc = finding_insert(db, a, &au, in, &id);
        json_decref(in);
        if (rc == DB_OK) rc = flow_demo_created(db, a, &finding_kind, "inspector", id);
        if (rc == DB_OK) rc = walk(db, a, d, id, today);
        if (rc != DB_OK) return rc;
    }
    /* the daily job escalates the overdue one (and the failed verification) */
    char state[JOB_STATE_MAX];
    int rc = finding_job_start(db, today, 0, state);
    for (;;) {
        void *batch = NULL;
        struct arena *ja = arena_new(1 << 16);
        if (rc == DB_OK) rc = finding_job_read(db, ja, state, &batch);
        if (rc == DB_OK && batch) rc = finding_job_write(db, batch, state);
        arena_free(ja);
        if (rc != DB_OK || !batch) break;
    }
    if (rc != DB_OK) return rc;
    /* the findings are the year's inspections' (the plan module's demo runs first): 行政执法 ones
     * the special 行政执法专项督察's, the rest the annual plan's; each the record of its unit */
    int64_t annual = 0, special = 0;
    if (db_query_int(db, &annual,
                     "SELECT COALESCE(MIN(id), 0) FROM inspection_plans WHERE plan_type = 'annual' "
                     "AND year = ?",
                     "i", (int64_t)date_year(today)) != DB_ROW ||
        db_query_int(
            db, &special,
            "SELECT COALESCE(MIN(id), 0) FROM inspection_plans WHERE plan_type = 'special' "
            "AND year = ? AND title LIKE '%行政执法专项督察'",
            "i", (int64_t)date_year(today)) != DB_ROW)
        return DB_ERROR;
    if (annual && special &&
        (db_exec(db,
                 "UPDATE inspection_findings SET plan_id = CASE WHEN category = '行政执法' THEN "
                 "CAST(? AS BIGINT) ELSE CAST(? AS BIGINT) END WHERE plan_id IS NULL",
                 "ii", special, annual) != DB_OK ||
         db_exec(db,
                 "UPDATE inspection_findings SET record_id = (SELECT MIN(r.id) FROM "
                 "inspection_records r WHERE r.plan_id = inspection_findings.plan_id AND "
                 "r.unit_id = inspection_findings.unit_id) WHERE record_id IS NULL",
                 "") != DB_OK))
        return DB_ERROR;
    /* two bulletins: the year's, published; a special one, drafted */
    int64_t b1 = 0, b2 = 0;
    rc = bulletin_new(db, a, "关于 2026 年度法治政府建设督察发现问题及整改情况的通报", annual, &b1);
    const char *const steps[][2] = {{"inspector", "generate"},
                                    {"inspector", "submit"},
                                    {"office", "approve"},
                                    {"office", "publish"}};
    for (size_t i = 0; rc == DB_OK && i < 4; i++)
        rc = act(db, a, &bulletin_kind, steps[i][0], b1, steps[i][1], NULL, 0);
    if (rc == DB_OK)
        rc = bulletin_new(db, a, "关于行政执法“三项制度”专项督察发现问题的通报（征求意见稿）",
                          special, &b2);
    if (rc == DB_OK) rc = act(db, a, &bulletin_kind, "inspector", b2, "generate", NULL, 0);
    return rc;
}

/* ~0.01 × volume findings across the units, found over the last year, most closed: one
 * INSERT … SELECT; no tasks (at scale a task per finding is not cheap), so none is under
 * rectification. */
int finding_demo_scale(struct db *db, int64_t volume, int32_t today) {
    struct arena *a = arena_new(1 << 14);
    int64_t n = volume / 100 > 0 ? volume / 100 : 1;
    char from[11], now[21];
    date_format(today - 360, from);
    now_iso(now);
    struct query q;
    query_init(&q, a,
               "WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ?), "
               "u AS (SELECT id, ROW_NUMBER() OVER (ORDER BY id) - 1 AS k, COUNT(*) OVER () AS n "
               "FROM units WHERE parent_id IS NOT NULL) "
               "INSERT INTO inspection_findings (finding_no, unit_id, category, severity, rule, "
               "description, found_on, status, rounds, verifications, failures, rectified_on, "
               "on_time, recheck_due_on, rechecked_on, created_at, updated_at, version) "
               "SELECT 'WS' || CAST(1000000 + s.i AS TEXT), u.id, "
               "CASE s.i % 4 WHEN 0 THEN '行政执法' WHEN 1 THEN '依法决策' WHEN 2 THEN "
               "'规范性文件管理' ELSE '制度建设' END, "
               "CASE s.i % 5 WHEN 0 THEN 'serious' ELSE 'general' END, "
               "'《法治政府建设实施纲要（2021—2025年）》', '督察发现问题（批量生成）', ?, "
               "CASE WHEN s.i % 10 = 0 THEN 'open' ELSE 'closed' END, "
               "CASE WHEN s.i % 10 = 0 THEN 0 ELSE 1 END, CASE WHEN s.i % 10 = 0 THEN 0 ELSE 1 "
               "END, 0, CASE WHEN s.i % 10 = 0 THEN NULL ELSE ? END, "
               "CASE WHEN s.i % 10 = 0 THEN NULL WHEN s.i % 7 = 0 THEN 0 ELSE 1 END, NULL, "
               "CASE WHEN s.i % 10 = 0 THEN NULL ELSE ? END, ?, ?, 1 "
               "FROM seq s JOIN u ON u.k = s.i % u.n");
    query_add(&q, "", "isssss", n, from, from, from, now, now);
    struct db_stmt *st = query_prepare(db, &q);
    int rc = st ? db_step(st) : DB_ERROR;
    db_done(st);
    arena_free(a);
    return rc == DB_DONE ? DB_OK : DB_ERROR;
}
