/* shufa_module.c — the 述法 module's declarations (http/module.h): permissions and grants, the
 * tables with the default item lists (DOMAIN.md "Organisation": commonly 7–9 items per kind of
 * speaker), the entities and the kind (whose routes are generated), the route that opens a year,
 * the menu entries and the demo data. */
#include "features/shufa/shufa.h"
#include "features/shufa/shufa_http.h"
#include "store/dataver.h"
#include "http/module.h"

/* Rows leave trailing fields out: 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

struct perm_def perm_shufa_view = {
    "shufa.view", "shufa", "查看述法项目与述法报告", "View shufa items and reports", 0, 0};
struct perm_def perm_shufa_work = {"shufa.work",
                                   "shufa",
                                   "撰写、提交本单位述法报告",
                                   "Write and submit the unit's shufa report",
                                   0,
                                   0};
struct perm_def perm_shufa_manage = {"shufa.manage",
                                     "shufa",
                                     "维护述法项目，评议评分述法报告",
                                     "Keep the shufa items, review and score the reports",
                                     0,
                                     0};
static struct perm_def *const perms[] = {&perm_shufa_view, &perm_shufa_work, &perm_shufa_manage};

/* The office keeps the list, opens the year and scores; a unit's clerk writes and submits its
 * first responsible person's report; leaders and inspectors read. */
static const struct perm_grant grants[] = {
    {"office", "shufa.view shufa.work shufa.manage"},
    {"clerk", "shufa.view shufa.work"},
    {"leader", "shufa.view"},
    {"inspector", "shufa.view"},
};

#define EVENTS(t, key, parent)                                                                     \
    "CREATE TABLE " t " ("                                                                         \
    " id @ID@, " key " BIGINT NOT NULL REFERENCES " parent "(id), at TEXT NOT NULL,"               \
    " actor_id BIGINT REFERENCES users(id), actor_name TEXT NOT NULL, unit_id BIGINT,"             \
    " action TEXT NOT NULL, note TEXT NOT NULL DEFAULT '', detail TEXT NOT NULL DEFAULT '');"      \
    "CREATE INDEX " t "_record ON " t "(" key ", id);"

static const struct migration migrations[] = {
    {1, "Shufa items with the default lists, the reports, their items and timeline",
     "CREATE TABLE shufa_items ("
     " id @ID@, speaker_kind TEXT NOT NULL, sort_order BIGINT NOT NULL, title TEXT NOT NULL,"
     " max_score BIGINT NOT NULL, guidance TEXT NOT NULL DEFAULT '',"
     " active BIGINT NOT NULL DEFAULT 1, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,"
     " version BIGINT NOT NULL DEFAULT 1);"
     "CREATE INDEX shufa_items_kind ON shufa_items(speaker_kind, sort_order);"
     "CREATE TABLE shufa_reports ("
     " id @ID@, report_no TEXT UNIQUE, year BIGINT NOT NULL, period_on TEXT NOT NULL,"
     " person_id BIGINT NOT NULL REFERENCES people(id), person_name TEXT NOT NULL,"
     " person_position TEXT NOT NULL DEFAULT '', unit_id BIGINT NOT NULL REFERENCES units(id),"
     " speaker_kind TEXT NOT NULL, status TEXT NOT NULL, submitted_on TEXT,"
     " total_score BIGINT, max_score BIGINT, grade TEXT, review_comment TEXT, rated_on TEXT,"
     " created_by BIGINT REFERENCES users(id), created_at TEXT NOT NULL,"
     " updated_at TEXT NOT NULL, version BIGINT NOT NULL DEFAULT 1);"
     /* one report per person and year; a unit's years, the office's by year and by state */
     "CREATE UNIQUE INDEX shufa_reports_person_year ON shufa_reports(person_id, year);"
     "CREATE INDEX shufa_reports_unit ON shufa_reports(unit_id, period_on);"
     "CREATE INDEX shufa_reports_period ON shufa_reports(period_on);"
     "CREATE INDEX shufa_reports_status ON shufa_reports(status, period_on);"
     "CREATE INDEX shufa_reports_year ON shufa_reports(year);"
     "CREATE TABLE shufa_report_items ("
     " id @ID@, report_id BIGINT NOT NULL REFERENCES shufa_reports(id),"
     " item_id BIGINT REFERENCES shufa_items(id), sort_order BIGINT NOT NULL, title TEXT NOT NULL,"
     " max_score BIGINT NOT NULL, content TEXT NOT NULL DEFAULT '', score BIGINT,"
     " comment TEXT NOT NULL DEFAULT '', created_at TEXT NOT NULL, updated_at TEXT NOT NULL,"
     " version BIGINT NOT NULL DEFAULT 1);"
     "CREATE INDEX shufa_report_items_report ON shufa_report_items(report_id, sort_order);" EVENTS(
         "shufa_report_events", "report_id",
         "shufa_reports") "INSERT INTO shufa_items (speaker_kind, sort_order, title, max_score, "
                          "guidance, active, created_at, updated_at, version) VALUES "
                          "('township', 1, '学习贯彻习近平法治思想情况', 10, "
                          "'党委（党工委）理论学习中心组学法、会前学法及落实情况', 1, "
                          "'2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1),"
                          "('township', 2, '履行推进法治建设第一责任人职责情况', 15, "
                          "'研究部署法治建设、解决重大问题、带头尊法学法守法用法', 1, "
                          "'2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1),"
                          "('township', 3, '依法决策情况', 15, "
                          "'重大行政决策程序、合法性审查、法律顾问和公职律师作用发挥', 1, "
                          "'2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1),"
                          "('township', 4, '规范性文件管理情况', 10, "
                          "'行政规范性文件合法性审核、备案、清理', 1, '2026-01-01T00:00:00Z', "
                          "'2026-01-01T00:00:00Z', 1),"
                          "('township', 5, '行政执法与执法监督情况', 15, "
                          "'综合行政执法、“三项制度”落实、执法案卷质量', 1, "
                          "'2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1),"
                          "('township', 6, '复议应诉与负责人出庭情况', 10, "
                          "'行政复议、行政诉讼案件办理及行政机关负责人出庭应诉', 1, "
                          "'2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1),"
                          "('township', 7, '普法与基层依法治理情况', 15, "
                          "'“谁执法谁普法”、民主法治示范村（社区）创建、矛盾纠纷化解', 1, "
                          "'2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1),"
                          "('township', 8, '存在问题与下步打算', 10, "
                          "'存在的突出问题、原因分析和整改措施', 1, '2026-01-01T00:00:00Z', "
                          "'2026-01-01T00:00:00Z', 1),"
                          "('department', 1, '学习贯彻习近平法治思想情况', 10, "
                          "'党组（党委）理论学习中心组学法、会前学法及落实情况', 1, "
                          "'2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1),"
                          "('department', 2, '履行推进法治建设第一责任人职责情况', 15, "
                          "'研究部署本部门法治建设、带头尊法学法守法用法', 1, "
                          "'2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1),"
                          "('department', 3, '依法决策情况', 15, "
                          "'重大行政决策程序、合法性审查、法律顾问和公职律师作用发挥', 1, "
                          "'2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1),"
                          "('department', 4, '规范性文件管理情况', 10, "
                          "'行政规范性文件合法性审核、备案、清理', 1, '2026-01-01T00:00:00Z', "
                          "'2026-01-01T00:00:00Z', 1),"
                          "('department', 5, '行政执法监督情况', 15, "
                          "'行政执法“三项制度”、执法人员资格管理、执法案卷评查', 1, "
                          "'2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1),"
                          "('department', 6, '复议应诉与负责人出庭情况', 15, "
                          "'行政复议纠错、行政诉讼败诉及行政机关负责人出庭应诉', 1, "
                          "'2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1),"
                          "('department', 7, '普法与学法情况', 10, "
                          "'普法责任清单落实、以案释法、工作人员学法考法', 1, "
                          "'2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1),"
                          "('department', 8, '存在问题与下步打算', 10, "
                          "'存在的突出问题、原因分析和整改措施', 1, '2026-01-01T00:00:00Z', "
                          "'2026-01-01T00:00:00Z', 1),"
                          "('village', 1, '学习贯彻习近平法治思想情况', 15, "
                          "'“两委”班子集体学法情况', 1, '2026-01-01T00:00:00Z', "
                          "'2026-01-01T00:00:00Z', 1),"
                          "('village', 2, '履行推进法治建设第一责任人职责情况', 15, "
                          "'研究部署村（社区）法治建设', 1, '2026-01-01T00:00:00Z', "
                          "'2026-01-01T00:00:00Z', 1),"
                          "('village', 3, '依法办事与村（居）务公开情况', 15, "
                          "'“四议两公开”、村（居）务公开、村规民约合法性', 1, "
                          "'2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1),"
                          "('village', 4, '矛盾纠纷排查化解情况', 20, "
                          "'人民调解、矛盾纠纷排查化解', 1, '2026-01-01T00:00:00Z', "
                          "'2026-01-01T00:00:00Z', 1),"
                          "('village', 5, '普法宣传与法律明白人培养情况', 15, "
                          "'普法阵地、“法律明白人”培养使用', 1, '2026-01-01T00:00:00Z', "
                          "'2026-01-01T00:00:00Z', 1),"
                          "('village', 6, '民主法治示范创建情况', 10, "
                          "'民主法治示范村（社区）创建', 1, '2026-01-01T00:00:00Z', "
                          "'2026-01-01T00:00:00Z', 1),"
                          "('village', 7, '存在问题与下步打算', 10, '存在的突出问题和整改措施', 1, "
                          "'2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1);",
     NULL, NULL},
    /* list pages and metrics are kept (entity cache_deps): every write bumps its name */
    {2, "Shufa pages are kept: its tables bump the shufa data version", NULL,
     DV_SQLITE_ALL("shufa_items", "shufa") DV_SQLITE_ALL("shufa_reports", "shufa")
         DV_SQLITE_ALL("shufa_report_items", "shufa") DV_SQLITE_ALL("shufa_report_events", "shufa"),
     DV_PG_ALL("shufa_items", "shufa") DV_PG_ALL("shufa_reports", "shufa")
         DV_PG_ALL("shufa_report_items", "shufa") DV_PG_ALL("shufa_report_events", "shufa")},
};

static const struct copy_table tables[] = {
    {"shufa_items", "id", 1},
    {"shufa_reports", "id", 1},
    {"shufa_report_items", "id", 1},
    {"shufa_report_events", "id", 1},
};

static const struct route routes[] = {
    {M_POST, "/api/v1/shufa-reports/open", &perm_shufa_manage, shufa_open},
};

static const struct entity *const entities[] = {&entity_shufa_items, &entity_shufa_reports,
                                                &entity_shufa_report_items};
static const struct flow_kind *const kinds[] = {&shufa_report_kind};

static const struct menu_item menu[] = {
    {"inspection", "/shufa-reports", "entity", "述法报告", "Shufa reports", "Microphone",
     &perm_shufa_view, 40, 0, NULL},
    {"inspection", "/shufa-items", "entity", "述法项目", "Shufa items", "List", &perm_shufa_view,
     41, 0, NULL},
};

static const struct audit_name audit_names[] = {
    {"shufa_item", "述法项目", "Shufa item"},
    {"shufa_report", "述法报告", "Shufa report"},
    {"shufa_report_item", "述法内容与评分", "Shufa text and score"},
};

const struct module shufa_module = {
    .name = "shufa",
    .zh = "述法",
    .en = "Shufa (reports on the rule of law)",
    .perms = perms,
    .n_perms = MODULE_N(perms),
    .grants = grants,
    .n_grants = MODULE_N(grants),
    .migrations = migrations,
    .n_migrations = MODULE_N(migrations),
    .tables = tables,
    .n_tables = MODULE_N(tables),
    .routes = routes,
    .n_routes = MODULE_N(routes),
    .menu = menu,
    .n_menu = MODULE_N(menu),
    .entities = entities,
    .n_entities = MODULE_N(entities),
    .kinds = kinds,
    .n_kinds = MODULE_N(kinds),
    .demo = shufa_demo,
    .demo_scale = shufa_demo_scale,
    .audit_names = audit_names,
    .n_audit_names = MODULE_N(audit_names),
};
