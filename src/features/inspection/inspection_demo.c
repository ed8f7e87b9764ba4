/* inspection_demo.c — the demo's 督察方案: the year's annual plan and two special inspections
 * (行政执法专项督察, 法治政府建设第一责任人履职专项督察) and a drafted one, with items citing the
 * laws they check, teams from the inspectors directory, targets among the demo units and
 * records; each walked through the kind as the accounts whose turn it is (the office drafts,
 * approves and notifies; the inspector on the team begins, records and gives feedback; the
 * units' clerks acknowledge), each step on its day of the schedule. `fazhi demo --scale` adds a few
 * plans per office, set-based.
 *
 * Inspectors: the draw module's demo may have filled the directory (it registers first); only
 * an empty directory gets this module's own seven (named 督察方案演示…, so the coordinator can tell
 * them apart), and the demo `inspector` account is linked to one staff inspector if none is. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/calendar.h"
#include "base/timeutil.h"
#include "features/flow/flow_demo.h"
#include "features/inspection/inspection.h"
#include "store/query.h"

static const struct {
    const char *name, *category, *unit, *employer, *title, *qualifications;
} demo_inspectors[] = {
    {"郭俊杰", "staff", "office", "", "督察专员", "法治督察员资格；法律职业资格"},
    {"沈明远", "staff", "justice", "", "法制科科长", "行政执法证；法律职业资格"},
    {"许丽娟", "deputy", NULL, "区人大代表（城关街道选区）", "区人大代表", "特约法治督察员"},
    {"唐国平", "member", NULL, "区政协委员（法律界）", "区政协委员", "特约法治督察员"},
    {"钟晓岚", "expert", NULL, "省行政学院法学教研部", "副教授", "行政法学"},
    {"彭志远", "lawyer", NULL, "浙江正衡律师事务所", "执业律师", "律师执业证；政府法律顾问"},
    {"蒋文婷", "journalist", NULL, "区融媒体中心", "记者", "新闻采编"},
};
#define N_INSPECTORS (int)(sizeof demo_inspectors / sizeof demo_inspectors[0])

static int64_t unit_id(struct db *db, const char *code) {
    int64_t id = 0;
    if (db_query_int(db, &id, "SELECT id FROM units WHERE code = ?", "s", code) != DB_ROW) return 0;
    return id;
}
static int64_t user_id(struct db *db, const char *username) {
    int64_t id = 0;
    if (db_query_int(db, &id, "SELECT id FROM users WHERE username = ?", "s", username) != DB_ROW)
        return 0;
    return id;
}

static int seed_inspectors(struct db *db) {
    int64_t n = 0;
    int rc = db_query_int(db, &n, "SELECT COUNT(*) FROM inspectors", "");
    if (rc != DB_ROW) return DB_ERROR;
    int64_t account = user_id(db, "inspector");
    char now[21];
    now_iso(now);
    for (int i = 0; !n && i < N_INSPECTORS; i++) {
        int64_t unit = demo_inspectors[i].unit ? unit_id(db, demo_inspectors[i].unit) : 0;
        if (db_exec(db,
                    "INSERT INTO inspectors (name, category, unit_id, employer, title,"
                    " qualifications, cert_no, user_id, active, created_at, updated_at, version)"
                    " VALUES (?, ?, NULLIF(?, 0), ?, ?, ?, ?, NULLIF(?, 0), 1, ?, ?, 1)",
                    "ssissssiss", demo_inspectors[i].name, demo_inspectors[i].category, unit,
                    demo_inspectors[i].employer, demo_inspectors[i].title,
                    demo_inspectors[i].qualifications,
                    i < 2 ? (i ? "DC-JUS-0002" : "DC-OFF-0001") : "", i == 0 ? account : 0, now,
                    now) != DB_OK)
            return DB_ERROR;
    }
    /* a directory of someone else's making: the demo account on one staff inspector */
    int64_t linked = 0;
    if (db_query_int(db, &linked, "SELECT COUNT(*) FROM inspectors WHERE user_id = ?", "i",
                     account) != DB_ROW)
        return DB_ERROR;
    if (!linked && account &&
        db_exec(db,
                "UPDATE inspectors SET user_id = ? WHERE id = (SELECT MIN(id) FROM inspectors "
                "WHERE category = 'staff' AND user_id IS NULL AND active = 1)",
                "i", account) != DB_OK)
        return DB_ERROR;
    return DB_OK;
}

/* The team: the inspector linked to the demo account as leader, then `members` others (from
 * outside the unit tree first), chosen by offset so that the plans' teams differ. */
static int team(struct db *db, int64_t plan, int members, int offset) {
    int64_t account = user_id(db, "inspector");
    char now[21];
    now_iso(now);
    int rc = db_exec(db,
                     "INSERT INTO inspection_team (plan_id, inspector_id, role, created_at,"
                     " updated_at, version) SELECT ?, MIN(id), 'leader', ?, ?, 1 FROM inspectors"
                     " WHERE user_id = ?",
                     "issi", plan, now, now, account);
    if (rc != DB_OK) return rc;
    return db_exec(db,
                   "INSERT INTO inspection_team (plan_id, inspector_id, role, created_at,"
                   " updated_at, version) SELECT ?, i.id, 'member', ?, ?, 1 FROM inspectors i"
                   " WHERE i.active = 1 AND (i.user_id IS NULL OR i.user_id <> ?) ORDER BY"
                   " CASE WHEN i.unit_id IS NULL THEN 0 ELSE 1 END, (i.id + ?) % 7, i.id LIMIT ?",
                   "issiii", plan, now, now, account, (int64_t)offset, (int64_t)members);
}

struct demo_item {
    const char *content, *basis, *method;
};

static int items(struct db *db, int64_t plan, const struct demo_item *list, int n) {
    char now[21];
    now_iso(now);
    for (int i = 0; i < n; i++)
        if (db_exec(db,
                    "INSERT INTO inspection_items (plan_id, seq, content, basis, method,"
                    " created_at, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, 1)",
                    "iisssss", plan, (int64_t)(i + 1), list[i].content, list[i].basis,
                    list[i].method, now, now) != DB_OK)
            return DB_ERROR;
    return DB_OK;
}

static int64_t target(struct db *db, int64_t plan, const char *unit, const char *planned) {
    char now[21];
    now_iso(now);
    struct db_stmt *st = db_prepare(db, "INSERT INTO inspection_targets (plan_id, unit_id,"
                                        " planned_on, status, created_at, updated_at, version)"
                                        " VALUES (?, ?, ?, 'pending', ?, ?, 1) RETURNING id");
    if (!st) return 0;
    db_bind_int(st, 1, plan);
    db_bind_id(st, 2, unit_id(db, unit));
    db_bind_text(st, 3, planned);
    db_bind_text(st, 4, now);
    db_bind_text(st, 5, now);
    int64_t id = db_step(st) == DB_ROW ? db_col_int(st, 0) : 0;
    db_done(st);
    return id;
}

static int record(struct db *db, int64_t plan, const char *unit, const char *method,
                  const char *day, const char *participants, const char *checked,
                  const char *conclusion, int with_review) {
    char now[21];
    now_iso(now);
    int64_t u = unit_id(db, unit), review = 0;
    if (with_review &&
        db_query_int(db, &review, "SELECT COALESCE(MIN(id), 0) FROM case_reviews WHERE unit_id = ?",
                     "i", u) != DB_ROW)
        return DB_ERROR;
    return db_exec(db,
                   "INSERT INTO inspection_records (plan_id, unit_id, method, inspected_on,"
                   " participants, checked, conclusion, case_review_id, created_by, created_at,"
                   " updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, NULLIF(?, 0), ?, ?, ?, 1)",
                   "iisssssiiss", plan, u, method, day, participants, checked, conclusion, review,
                   user_id(db, "inspector"), now, now);
}

static const char *day_text(struct arena *a, int32_t d) {
    char *s = arena_alloc(a, 11);
    date_format(d, s);
    return s;
}

/* Insert a drafted plan (as the office) with its creation on the timeline. */
static int64_t plan_new(struct db *db, struct arena *a, const char *type, int64_t parent,
                        const char *title, const char *scope, const char *purpose,
                        const char *methods, int32_t start, int32_t end, const char *prepare) {
    char now[21];
    now_iso(now);
    int year = atoi(day_text(a, start));
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO inspection_plans (plan_type, parent_id, year, title, unit_id, scope_text,"
            " purpose, methods, start_on, end_on, prepare, status, created_by, created_at,"
            " updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'draft', ?, ?, ?, 1)"
            " RETURNING id");
    if (!st) return 0;
    db_bind_text(st, 1, type);
    db_bind_id(st, 2, parent);
    db_bind_int(st, 3, year);
    db_bind_text(st, 4, title);
    db_bind_id(st, 5, unit_id(db, "office"));
    db_bind_text(st, 6, scope);
    db_bind_text(st, 7, purpose);
    db_bind_text(st, 8, methods);
    db_bind_text(st, 9, day_text(a, start));
    db_bind_text(st, 10, day_text(a, end));
    db_bind_text(st, 11, prepare);
    db_bind_id(st, 12, user_id(db, "office"));
    db_bind_text(st, 13, now);
    db_bind_text(st, 14, now);
    int64_t id = db_step(st) == DB_ROW ? db_col_int(st, 0) : 0;
    db_done(st);
    if (!id) return 0;
    const char *no = NULL;
    if (entity_number_set(db, a, &entity_inspection_plans, id, arena_printf(a, "%04d", year),
                          &no) != DB_OK ||
        flow_demo_created(db, a, &inspection_plan_kind, "office", id) != DB_OK)
        return 0;
    return id;
}

static int32_t demo_day; /* the demo's day (fazhi demo --today): every step is taken as of it */

/* A step as of day `on` (not after the demo's day). */
static int act(struct db *db, struct arena *a, const char *who, int64_t id, const char *action,
               json_t *body, int32_t on) {
    return flow_demo_act(db, a, &inspection_plan_kind, who, id, action, body ? body : json_object(),
                         on < demo_day ? on : demo_day, 0);
}
/* 报批, 批准, 发出督察通知 by the office, `notice` days before the inspection begins. */
static int to_notice(struct db *db, struct arena *a, int64_t id, int32_t start, int notice) {
    static const char *const steps[] = {"submit", "approve", "notify"};
    for (int i = 0; i < 3; i++)
        if (act(db, a, "office", id, steps[i], NULL, start - notice - 6 + 3 * i) != DB_OK)
            return DB_ERROR;
    return DB_OK;
}
static int acknowledge(struct db *db, struct arena *a, int64_t target_id, const char *clerk,
                       int32_t on) {
    return flow_demo_act(db, a, &inspection_target_kind, clerk, target_id, "acknowledge",
                         json_object(), on < demo_day ? on : demo_day, 0);
}

static const struct demo_item annual_items[] = {
    {"党政主要负责人履行推进法治建设第一责任人职责情况",
     "《党政主要负责人履行推进法治建设第一责任人职责规定》第四条、第五条", "report"},
    {"法治政府建设年度报告按时报送并向社会公开情况",
     "《法治政府建设与责任落实督察工作规定》第二十五条；《法治政府建设实施纲要（2021—2025年）》",
     "files"},
    {"重大行政决策履行公众参与、专家论证、风险评估、合法性审查、集体讨论决定程序情况",
     "《重大行政决策程序暂行条例》第四条", "files"},
    {"行政规范性文件合法性审核和备案情况",
     "《国务院办公厅关于全面推行行政规范性文件合法性审核机制的指导意见》", "files"},
};
static const struct demo_item enforcement_items[] = {
    {"行政执法公示制度落实情况（事前、事中、事后公开）", "《中华人民共和国行政处罚法》第三十九条",
     "files"},
    {"执法全过程记录制度落实情况", "《中华人民共和国行政处罚法》第四十七条", "site"},
    {"重大执法决定法制审核制度落实情况", "《中华人民共和国行政处罚法》第五十八条", "files"},
    {"行政处罚案卷质量（以案卷评查表逐项评查）",
     "《中华人民共和国行政处罚法》第五十九条；本区行政执法案卷评查标准", "files"},
    {"执法人员持证上岗和两人以上执法情况", "《中华人民共和国行政处罚法》第四十二条", "talk"},
};
static const struct demo_item duty_items[] = {
    {"主要负责人专题研究法治建设、听取法治政府建设工作汇报情况",
     "《党政主要负责人履行推进法治建设第一责任人职责规定》第五条", "report"},
    {"年度述法和法治建设情况报告情况", "《党政主要负责人履行推进法治建设第一责任人职责规定》第九条",
     "files"},
    {"领导干部学法用法制度落实情况（会前学法、集体学法）",
     "《法治政府建设实施纲要（2021—2025年）》第九部分", "test"},
};

int inspection_demo(struct db *db, struct arena *a, int32_t today) {
    demo_day = today;
    if (seed_inspectors(db) != DB_OK) return DB_ERROR;
    int year = atoi(day_text(a, today));
    int32_t jan10 = 0, dec20 = 0;
    date_parse(arena_printf(a, "%04d-01-10", year), &jan10);
    date_parse(arena_printf(a, "%04d-12-20", year), &dec20);
    if (today < jan10 + 60) { /* early in the year: last year's plan is the one under way */
        year--;
        date_parse(arena_printf(a, "%04d-01-10", year), &jan10);
        date_parse(arena_printf(a, "%04d-12-20", year), &dec20);
    }

    /* 1. the year's annual plan, under way: every member unit of the demo named */
    int64_t annual = plan_new(
        db, a, "annual", 0, arena_printf(a, "%d年度法治督察工作方案", year),
        "全区各镇（街道）、区级各部门",
        "围绕法治政府建设重点任务，督促党政主要负责人履行推进法治建设第一责任人职责",
        "report,talk,files,site,covert,survey", jan10, dec20,
        "年度法治建设自查报告、第一责任人述法报告、重大行政决策目录及案卷、规范性文件备案目录");
    if (!annual) return DB_ERROR;
    int64_t a_sfj = target(db, annual, "justice", day_text(a, jan10 + 40));
    int64_t a_cg = target(db, annual, "chengguan", day_text(a, jan10 + 45));
    if (!a_sfj || !a_cg || !target(db, annual, "market", day_text(a, jan10 + 50)) ||
        !target(db, annual, "urban", day_text(a, jan10 + 55)) ||
        items(db, annual, annual_items, 4) != DB_OK || team(db, annual, 3, 0) != DB_OK)
        return DB_ERROR;
    if (to_notice(db, a, annual, jan10, 7) != DB_OK ||
        acknowledge(db, a, a_sfj, "clerk1", jan10 - 6) != DB_OK ||
        acknowledge(db, a, a_cg, "clerk2", jan10 - 5) != DB_OK ||
        act(db, a, "inspector", annual, "start", NULL, jan10) != DB_OK)
        return DB_ERROR;
    if (record(db, annual, "justice", "report", day_text(a, jan10 + 40),
               "督察组全体成员；区司法局主要负责人、分管负责人、法制科",
               "听取区司法局主要负责人履行推进法治建设第一责任人职责情况汇报，查阅年度法治建设工作"
               "要点、"
               "党组会议研究法治建设的会议纪要",
               "主要负责人年内专题研究法治建设 2 次，述法报告已按时提交；部分科室学法记录不全",
               0) != DB_OK ||
        record(db, annual, "chengguan", "site", day_text(a, jan10 + 45),
               "督察组成员；城关街道党工委书记、综合执法队",
               "实地查看街道综合执法队执法记录仪使用和执法公示栏，随机询问执法人员",
               "执法公示栏信息更新不及时；执法记录仪使用登记不规范", 0) != DB_OK)
        return DB_ERROR;

    /* 2. 行政执法专项督察: inspected, feedback given, the rectification reports due */
    int32_t s1 = today - 45 < jan10 ? jan10 : today - 45;
    int64_t special = plan_new(
        db, a, "special", annual, arena_printf(a, "%d年行政执法专项督察", year),
        "区公安分局、区市场监督管理局、区城市管理综合执法局、区司法局",
        "督促落实行政执法公示、执法全过程记录、重大执法决定法制审核三项制度，提升行政执法案卷质量",
        "report,files,site,talk,sample", s1, s1 + 20,
        "行政执法三项制度落实情况自查报告；近一年行政处罚、行政许可案卷目录；执法人员持证情况表");
    if (!special) return DB_ERROR;
    int64_t s_sfj = target(db, special, "justice", day_text(a, s1 + 3));
    if (!s_sfj || !target(db, special, "police", day_text(a, s1 + 5)) ||
        !target(db, special, "market", day_text(a, s1 + 8)) ||
        items(db, special, enforcement_items, 5) != DB_OK || team(db, special, 3, 2) != DB_OK ||
        to_notice(db, a, special, s1, 5) != DB_OK ||
        acknowledge(db, a, s_sfj, "clerk1", s1 - 4) != DB_OK ||
        act(db, a, "inspector", special, "start", NULL, s1) != DB_OK)
        return DB_ERROR;
    if (record(db, special, "justice", "files", day_text(a, s1 + 3), "督察组；区司法局法制科",
               "以案卷评查表逐项评查行政处罚案卷 8 卷，核对执法公示网站信息",
               "案卷总体规范；2 卷送达回证填写不全，1 件处罚决定未在 7 个工作日内公示",
               1) != DB_OK ||
        record(db, special, "police", "files", day_text(a, s1 + 5), "督察组；区公安分局法制大队",
               "以案卷评查表为检查清单评查治安管理行政处罚案卷，核查执法全过程记录音像资料",
               "执法办案区音像记录完整；个别现场执法未全程记录", 1) != DB_OK ||
        record(db, special, "market", "sample", day_text(a, s1 + 8),
               "督察组；区市场监督管理局法规科",
               "随机抽取 2 件重大执法决定，核查法制审核意见书和集体讨论记录",
               "重大执法决定均经法制审核；审核意见说理不充分", 1) != DB_OK)
        return DB_ERROR;
    int32_t fb = today - 5 > s1 + 20 ? today - 5 : s1 + 20; /* the reports fall due soon */
    if (act(db, a, "inspector", special, "feedback",
            json_pack(
                "{s:s,s:s}", "note",
                "行政执法公示不及时、执法全过程记录不完整、法制审核意见说理不充分，请对照问题清单"
                "限期整改并报送整改报告",
                "feedback_on", day_text(a, fb)),
            fb) != DB_OK)
        return DB_ERROR;

    /* 3. 第一责任人履职专项督察: approved and notified, one unit has acknowledged */
    /* begins in ten days, within the plan's year (the year's last days: at once) */
    int32_t s2 = today + 10 <= dec20 - 9 ? today + 10 : today;
    int64_t duty = plan_new(
        db, a, "special", annual, arena_printf(a, "%d年法治政府建设第一责任人履职专项督察", year),
        "区司法局、城关街道、区财政局",
        "督察党政主要负责人履行推进法治建设第一责任人职责、年度述法和领导干部学法用法情况",
        "report,talk,files,test", s2, s2 + 15,
        "主要负责人履职情况报告；党组（党工委）会议研究法治建设的纪要；年度学法计划和记录");
    if (!duty) return DB_ERROR;
    int64_t d_cg = target(db, duty, "chengguan", day_text(a, s2 + 4));
    if (!d_cg || !target(db, duty, "justice", day_text(a, s2 + 2)) || /* 区司法局: yet to sign */
        !target(db, duty, "finance", day_text(a, s2 + 6)) ||
        items(db, duty, duty_items, 3) != DB_OK || team(db, duty, 2, 4) != DB_OK ||
        to_notice(db, a, duty, today + 3, 0) != DB_OK ||
        acknowledge(db, a, d_cg, "clerk2", today) != DB_OK)
        return DB_ERROR;

    /* 4. a drafted one: its team is not chosen yet (the guards say so on its page) */
    int64_t draft = plan_new(
        db, a, "special", annual, arena_printf(a, "%d年重大行政决策程序专项督察（草拟）", year),
        "区发展和改革局、区自然资源局、区住房和城乡建设局", "督察重大行政决策法定程序执行情况",
        "files,talk", s2 + 9 > dec20 ? dec20 : s2 + 9, s2 + 20, "重大行政决策事项目录及决策案卷");
    if (!draft || items(db, draft, annual_items + 2, 1) != DB_OK) return DB_ERROR;
    if (!target(db, draft, "drc", day_text(a, s2 + 12))) return DB_ERROR;
    /* the draws of the two special inspections (the draw module's demo made them first) */
    return db_exec(
        db,
        "UPDATE draws SET plan_id = CASE WHEN title LIKE '行政执法%' THEN CAST(? AS BIGINT) "
        "ELSE CAST(? AS BIGINT) END "
        "WHERE plan_id IS NULL AND title IN ('行政执法专项督察抽查', "
        "'第一责任人履职专项督察抽查')",
        "ii", special, duty);
}

/* A few plans per office (each level's 依法治…办): the year's annual plan, done, and two special
 * ones, done and under way, each naming three units of its level — one INSERT … SELECT each. */
int inspection_demo_scale(struct db *db, int64_t volume, int32_t today) {
    (void)volume;
    char day[11], start[11], end[11], now[21];
    date_format(today, day);
    int year = atoi(day);
    snprintf(start, sizeof start, "%04d-03-01", year);
    snprintf(end, sizeof end, "%04d-11-30", year);
    now_iso(now);
    int rc = db_exec(
        db,
        "INSERT INTO inspection_plans (plan_no, plan_type, year, title, unit_id, scope_text,"
        " purpose, methods, start_on, end_on, prepare, status, created_at, updated_at, version)"
        " SELECT 'DS' || CAST(? AS TEXT) || '-' || CAST(u.id * 10 + k.k AS TEXT),"
        " CASE WHEN k.k = 0 THEN 'annual' ELSE 'special' END, ?,"
        " CASE k.k WHEN 0 THEN '年度法治督察工作方案（批量生成）' WHEN 1 THEN"
        " '行政执法专项督察（批量生成）' ELSE '第一责任人履职专项督察（批量生成）' END, u.id,"
        " '本级各部门', '批量生成', 'report,files,site', ?, ?, '自查报告',"
        " CASE WHEN k.k = 2 THEN 'in_progress' ELSE 'done' END, ?, ?, 1"
        " FROM units u CROSS JOIN (SELECT 0 AS k UNION ALL SELECT 1 UNION ALL SELECT 2) k"
        " WHERE u.kind = 'office' AND NOT EXISTS (SELECT 1 FROM inspection_plans x WHERE"
        " x.plan_no = 'DS' || CAST(? AS TEXT) || '-' || CAST(u.id * 10 + k.k AS TEXT))",
        "iissssi", (int64_t)year, (int64_t)year, start, end, now, now, (int64_t)year);
    if (rc != DB_OK) return rc;
    rc = db_exec(db,
                 "INSERT INTO inspection_targets (plan_id, unit_id, planned_on, status,"
                 " notified_at, acknowledged_at, created_at, updated_at, version)"
                 " SELECT p.id, d.id, p.start_on, 'acknowledged', ?, ?, ?, ?, 1"
                 " FROM inspection_plans p JOIN units o ON o.id = p.unit_id"
                 " JOIN (SELECT id, parent_id, ROW_NUMBER() OVER (PARTITION BY parent_id ORDER BY"
                 " id) AS rn FROM units WHERE kind IN ('department', 'street', 'township')) d"
                 " ON d.parent_id = o.parent_id AND d.rn <= 3"
                 " WHERE p.plan_no LIKE 'DS%' AND NOT EXISTS (SELECT 1 FROM inspection_targets t"
                 " WHERE t.plan_id = p.id)",
                 "ssss", now, now, now, now);
    if (rc != DB_OK) return rc;
    return db_exec(db,
                   "INSERT INTO inspection_items (plan_id, seq, content, basis, method, created_at,"
                   " updated_at, version) SELECT p.id, 1, '行政执法三项制度落实情况',"
                   " '《中华人民共和国行政处罚法》第三十九条', 'files', ?, ?, 1 FROM"
                   " inspection_plans p WHERE p.plan_no LIKE 'DS%' AND NOT EXISTS (SELECT 1 FROM"
                   " inspection_items i WHERE i.plan_id = p.id)",
                   "ss", now, now);
}
