/* enforcement_module.c — the 行政执法监督 module's declarations (http/module.h): permissions and
 * grants, the publication limits and grade thresholds (settings), the tables, the entities and
 * the kind (whose routes are generated), the scoring sheet's route, the menu entries and the
 * demo data. */
#include "features/enforcement/enforcement.h"
#include "features/enforcement/enforcement_http.h"
#include "store/dataver.h"
#include "http/module.h"

#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

struct perm_def perm_enforcement_view = {"enforcement.view",
                                         "enforcement",
                                         "查看行政执法案件和案卷评查",
                                         "View enforcement cases and reviews",
                                         0,
                                         0};
struct perm_def perm_enforcement_work = {
    "enforcement.work", "enforcement", "办理行政执法案件", "Handle enforcement cases", 0, 0};
struct perm_def perm_enforcement_manage = {"enforcement.manage",
                                           "enforcement",
                                           "法制审核和案卷评查",
                                           "Legal review and case-file reviews",
                                           0,
                                           0};
static struct perm_def *const perms[] = {&perm_enforcement_view, &perm_enforcement_work,
                                         &perm_enforcement_manage};

/* The office (the 法制审核 and 评查 body of the district) reviews and scores; a unit's clerks
 * file and handle their unit's cases; leaders, reviewers and inspectors read. */
static const struct perm_grant grants[] = {
    {"office", "enforcement.view enforcement.work enforcement.manage"},
    {"clerk", "enforcement.view enforcement.work"},
    {"leader", "enforcement.view"},
    {"reviewer", "enforcement.view"},
    {"inspector", "enforcement.view"},
};

static const struct setting_def settings[] = {
    {"enforcement.publish_days.license_penalty", SETTING_INT, "7", 1, 60, "setting.manage",
     "enforcement", "许可、处罚决定公示期限（工作日）",
     "Licence and penalty publication (working days)",
     "默认 7 个工作日（国办发〔2018〕118号：行政许可、行政处罚的执法决定信息要在执法决定作出之日起"
     "7个工作日内公开）"},
    {"enforcement.publish_days.other", SETTING_INT, "20", 1, 60, "setting.manage", "enforcement",
     "其他执法决定公示期限（工作日）", "Other decisions' publication (working days)",
     "默认 20 个工作日（各地行政执法公示办法：其他行政执法决定自作出之日起20个工作日内公开）"},
    {"enforcement.review.excellent", SETTING_INT, "90", 1, 100, "setting.manage", "enforcement",
     "案卷评查优秀分数线", "Review: excellent from",
     "总分达到此分数为优秀（本地规则，默认 90 分）"},
    {"enforcement.review.pass", SETTING_INT, "60", 1, 100, "setting.manage", "enforcement",
     "案卷评查合格分数线", "Review: pass from",
     "总分达到此分数为合格，低于为不合格；存在否决项的一律不合格（本地规则，默认 60 分）"},
};

static const struct migration migrations[] = {
    {1, "enforcement cases, their record steps and timeline; case-file reviews and findings",
     "CREATE TABLE enforcement_cases ("
     " id @ID@, case_no TEXT UNIQUE, filed_on TEXT NOT NULL,"
     " unit_id BIGINT NOT NULL REFERENCES units(id), case_type TEXT NOT NULL,"
     " cause TEXT NOT NULL, summary TEXT NOT NULL DEFAULT '', officers TEXT NOT NULL DEFAULT '[]',"
     " major BIGINT NOT NULL DEFAULT 0, legal_review TEXT NOT NULL DEFAULT 'none',"
     " legal_review_note TEXT NOT NULL DEFAULT '', legal_review_at TEXT,"
     " decided_on TEXT, decision TEXT NOT NULL DEFAULT '', published_on TEXT, closed_on TEXT,"
     " missing_steps BIGINT NOT NULL DEFAULT 0, status TEXT NOT NULL,"
     " created_by BIGINT REFERENCES users(id), created_at TEXT NOT NULL,"
     " updated_at TEXT NOT NULL, version BIGINT NOT NULL DEFAULT 1);"
     /* a unit's page by date, the office's by date and by state */
     "CREATE INDEX enforcement_cases_unit ON enforcement_cases(unit_id, filed_on);"
     "CREATE INDEX enforcement_cases_filed ON enforcement_cases(filed_on);"
     "CREATE INDEX enforcement_cases_status ON enforcement_cases(status, filed_on);"
     "CREATE TABLE enforcement_case_steps ("
     " id @ID@, case_id BIGINT NOT NULL REFERENCES enforcement_cases(id), step TEXT NOT NULL,"
     " done_on TEXT NOT NULL, actor_id BIGINT REFERENCES users(id), created_at TEXT NOT NULL,"
     " UNIQUE (case_id, step));"
     "CREATE TABLE enforcement_case_events ("
     " id @ID@, case_id BIGINT NOT NULL REFERENCES enforcement_cases(id), at TEXT NOT NULL,"
     " actor_id BIGINT REFERENCES users(id), actor_name TEXT NOT NULL, unit_id BIGINT,"
     " action TEXT NOT NULL, note TEXT NOT NULL DEFAULT '', detail TEXT NOT NULL DEFAULT '');"
     "CREATE INDEX enforcement_case_events_case ON enforcement_case_events(case_id, id);"
     "CREATE TABLE case_reviews ("
     " id @ID@, review_no TEXT UNIQUE, case_id BIGINT NOT NULL REFERENCES enforcement_cases(id),"
     " unit_id BIGINT NOT NULL REFERENCES units(id), reviewed_on TEXT NOT NULL,"
     " reviewer TEXT NOT NULL, note TEXT NOT NULL DEFAULT '', items TEXT NOT NULL DEFAULT '[]',"
     " form_score BIGINT NOT NULL DEFAULT 0, content_score BIGINT NOT NULL DEFAULT 0,"
     " score BIGINT NOT NULL DEFAULT 0, vetoed BIGINT NOT NULL DEFAULT 0,"
     " grade TEXT NOT NULL, rectify_count BIGINT NOT NULL DEFAULT 0,"
     " created_by BIGINT REFERENCES users(id), created_at TEXT NOT NULL,"
     " updated_at TEXT NOT NULL, version BIGINT NOT NULL DEFAULT 1);"
     "CREATE INDEX case_reviews_unit ON case_reviews(unit_id, reviewed_on);"
     "CREATE INDEX case_reviews_date ON case_reviews(reviewed_on);"
     "CREATE INDEX case_reviews_case ON case_reviews(case_id);"
     "CREATE TABLE case_review_findings ("
     " id @ID@, review_id BIGINT NOT NULL REFERENCES case_reviews(id), seq BIGINT NOT NULL,"
     " item TEXT NOT NULL DEFAULT '', description TEXT NOT NULL,"
     " rectify BIGINT NOT NULL DEFAULT 0, created_at TEXT NOT NULL);"
     "CREATE INDEX case_review_findings_review ON case_review_findings(review_id, seq);"
     "CREATE INDEX case_review_findings_rectify ON case_review_findings(rectify, review_id);",
     NULL, NULL},
    /* list pages are kept (entity cache_deps): every write to the register's tables bumps its name
     */
    {2, "register pages are kept: its tables bump the enforcement data version", NULL,
     DV_SQLITE_ALL("enforcement_cases", "enforcement")
         DV_SQLITE_ALL("enforcement_case_steps", "enforcement") DV_SQLITE_ALL(
             "enforcement_case_events", "enforcement") DV_SQLITE_ALL("case_reviews", "enforcement")
             DV_SQLITE_ALL("case_review_findings", "enforcement"),
     DV_PG_ALL("enforcement_cases", "enforcement")
         DV_PG_ALL("enforcement_case_steps", "enforcement") DV_PG_ALL(
             "enforcement_case_events", "enforcement") DV_PG_ALL("case_reviews", "enforcement")
             DV_PG_ALL("case_review_findings", "enforcement")},
};

static const struct copy_table tables[] = {
    {"enforcement_cases", "id", 1},       {"enforcement_case_steps", "id", 1},
    {"enforcement_case_events", "id", 1}, {"case_reviews", "id", 1},
    {"case_review_findings", "id", 1},
};

static const struct route routes[] = {
    {M_GET, "/api/v1/case-reviews/sheet", &perm_enforcement_view, case_review_sheet},
};

static const struct entity *const entities[] = {&entity_enforcement_cases, &entity_case_reviews,
                                                &entity_case_review_findings};
static const struct flow_kind *const kinds[] = {&enforcement_case_kind};

static const struct menu_item menu[] = {
    {"enforcement", "/enforcement-cases", "entity", "行政执法案件", "Enforcement cases", "Stamp",
     &perm_enforcement_view, 10, 0, NULL},
    {"enforcement", "/case-reviews", "enforcement/reviews", "案卷评查", "Case-file reviews", "Memo",
     &perm_enforcement_view, 20, 0, NULL},
    {"enforcement", "/case-reviews/form", "enforcement/review-form", "评查表", "Review sheet",
     "Memo", &perm_enforcement_manage, 21, 1, "/case-reviews"},
    {"enforcement", "/case-review-findings", "entity", "评查发现问题", "Review findings",
     "Document", &perm_enforcement_view, 30, 0, NULL},
};

static const struct audit_name audit_names[] = {
    {"enforcement_case", "行政执法案件", "Enforcement case"},
    {"case_review", "案卷评查", "Case-file review"},
    {"case_review.score", "评查计分", "Review scored"},
};

const struct module enforcement_module = {
    .name = "enforcement",
    .zh = "行政执法监督",
    .en = "Law enforcement supervision",
    .perms = perms,
    .n_perms = MODULE_N(perms),
    .grants = grants,
    .n_grants = MODULE_N(grants),
    .settings = settings,
    .n_settings = MODULE_N(settings),
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
    .demo = enforcement_demo,
    .demo_scale = enforcement_demo_scale,
    .audit_names = audit_names,
    .n_audit_names = MODULE_N(audit_names),
};
