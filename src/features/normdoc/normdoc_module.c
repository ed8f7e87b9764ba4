/* normdoc_module.c — the 规范性文件 / 涉法政策 / 合同 review module's declarations (http/module.h):
 * permissions and grants, settings (the periods that are local), the tables, the entities and
 * kinds (whose routes are generated), the menu entries (the lists and the 审核率 page) and the
 * demo data. */
#include "features/normdoc/normdoc.h"
#include "http/module.h"

/* Rows leave trailing fields out: 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

struct perm_def perm_normdoc_view = {"normdoc.view",
                                     "normdoc",
                                     "查看规范性文件与合同审核",
                                     "View normative documents and contract reviews",
                                     0,
                                     0};
struct perm_def perm_normdoc_work = {"normdoc.work",
                                     "normdoc",
                                     "起草报送规范性文件与合同",
                                     "Draft and submit documents and contracts",
                                     0,
                                     0};
struct perm_def perm_normdoc_review = {
    "normdoc.review", "normdoc", "出具合法性审核意见", "Give legality review opinions", 0, 0};
struct perm_def perm_normdoc_manage = {"normdoc.manage",
                                       "normdoc",
                                       "管理合法性审核与备案审查（审核机构）",
                                       "Manage legality review and filing review (office)",
                                       0,
                                       0};
static struct perm_def *const perms[] = {&perm_normdoc_view, &perm_normdoc_work,
                                         &perm_normdoc_review, &perm_normdoc_manage};

/* The office assigns reviewers, reviews filings, notices corrections, revokes and cleans up;
 * the units' clerks draft, submit, revise, issue and file; reviewers give opinions. */
static const struct perm_grant grants[] = {
    {"office", "normdoc.view normdoc.work normdoc.review normdoc.manage"},
    {"clerk", "normdoc.view normdoc.work"},
    {"reviewer", "normdoc.view normdoc.review"},
    {"leader", "normdoc.view"},
    {"inspector", "normdoc.view"},
};

static const struct setting_def settings[] = {
    {"normdoc.review_days", SETTING_INT, "15", 5, 60, "setting.manage", "normdoc",
     "合法性审核期限（工作日）", "Legality review period (working days)",
     "默认 15 个工作日（国办发〔2018〕115号《关于全面推行行政规范性文件合法性审核机制的指导"
     "意见》：审核时间一般不少于5个工作日，最长不超过15个工作日）；延长须说明理由"},
    {"normdoc.filing_review_extend_days", SETTING_INT, "20", 1, 60, "setting.manage", "normdoc",
     "备案审查延长期限（日）", "Filing review extension (days)",
     "备案审查期限三十日，情况复杂的可延长一次，默认 20 日（法规规章备案条例及本地备案审查规定）"},
    {"normdoc.validity_years", SETTING_INT, "5", 1, 10, "setting.manage", "normdoc",
     "规范性文件有效期（年）", "Validity of a normative document (years)",
     "公布时按此计算有效期至，届满前应当清理评估（国办发〔2018〕37号：实行有效期制度，"
     "一般不超过5年）"},
    {"normdoc.expiring_days", SETTING_INT, "90", 1, 366, "setting.manage", "normdoc",
     "有效期届满提示（日）", "Validity ending: flagged (days ahead)",
     "有效期在此日数内届满的现行文件列为“有效期即将届满”，提示清理"},
};

static const struct migration migrations[] = {
    {1, "normative documents, policies and contracts under legality review; review rounds",
     "CREATE TABLE normdocs ("
     " id @ID@, reg_no TEXT UNIQUE, category TEXT NOT NULL, title TEXT NOT NULL,"
     " unit_id BIGINT NOT NULL REFERENCES units(id), basis TEXT NOT NULL DEFAULT '',"
     " explanation TEXT NOT NULL DEFAULT '', counterparty TEXT, amount BIGINT, term_from TEXT,"
     " term_to TEXT, reviewer_id BIGINT REFERENCES users(id), submitted_on TEXT,"
     " first_submitted_on TEXT, review_round BIGINT NOT NULL DEFAULT 0,"
     " review_extended BIGINT NOT NULL DEFAULT 0, opinion TEXT,"
     " opinion_reasons TEXT NOT NULL DEFAULT '', opinion_on TEXT, reviewed_version BIGINT,"
     " reviewed BIGINT NOT NULL DEFAULT 0, review_days BIGINT, doc_number TEXT, issued_on TEXT,"
     " valid_until TEXT, filed_on TEXT, filing_extended BIGINT NOT NULL DEFAULT 0,"
     " filing_result TEXT, filing_reviewed_on TEXT, correction_on TEXT, corrected_on TEXT,"
     " revoked_on TEXT, cleanup_decision TEXT, cleanup_on TEXT,"
     " cleanup_note TEXT NOT NULL DEFAULT '', status TEXT NOT NULL,"
     " created_by BIGINT REFERENCES users(id), created_at TEXT NOT NULL,"
     " updated_at TEXT NOT NULL, version BIGINT NOT NULL DEFAULT 1);"
     /* a unit's page and period, the office's by category and period, by state, a reviewer's,
      * the quarter's filings, the validity ending */
     "CREATE INDEX normdocs_unit ON normdocs(unit_id, issued_on);"
     "CREATE INDEX normdocs_category ON normdocs(category, issued_on);"
     "CREATE INDEX normdocs_status ON normdocs(status, issued_on);"
     "CREATE INDEX normdocs_reviewer ON normdocs(reviewer_id);"
     "CREATE INDEX normdocs_filed ON normdocs(filed_on);"
     "CREATE INDEX normdocs_valid ON normdocs(valid_until);"
     "CREATE INDEX normdocs_created ON normdocs(created_at);"
     "CREATE TABLE normdoc_events ("
     " id @ID@, normdoc_id BIGINT NOT NULL REFERENCES normdocs(id),"
     " at TEXT NOT NULL, actor_id BIGINT REFERENCES users(id), actor_name TEXT NOT NULL,"
     " unit_id BIGINT, action TEXT NOT NULL, note TEXT NOT NULL DEFAULT '',"
     " detail TEXT NOT NULL DEFAULT '');"
     "CREATE INDEX normdoc_events_doc ON normdoc_events(normdoc_id, id);"
     "CREATE TABLE normdoc_reviews ("
     " id @ID@, normdoc_id BIGINT NOT NULL REFERENCES normdocs(id), round BIGINT NOT NULL,"
     " unit_id BIGINT NOT NULL REFERENCES units(id), reviewer_id BIGINT REFERENCES users(id),"
     " version_no BIGINT NOT NULL DEFAULT 0, submitted_on TEXT, opinion TEXT,"
     " reasons TEXT NOT NULL DEFAULT '', opinion_on TEXT, created_at TEXT NOT NULL);"
     "CREATE INDEX normdoc_reviews_doc ON normdoc_reviews(normdoc_id, round);"
     "CREATE INDEX normdoc_reviews_reviewer ON normdoc_reviews(reviewer_id);",
     NULL, NULL},
};

static const struct copy_table tables[] = {
    {"normdocs", "id", 1},
    {"normdoc_events", "id", 1},
    {"normdoc_reviews", "id", 1},
};

static const struct entity *const entities[] = {&entity_normdocs, &entity_contracts,
                                                &entity_normdoc_reviews};
static const struct flow_kind *const kinds[] = {&normdoc_kind, &contract_kind};

static const struct menu_item menu[] = {
    {"legality", "/normdocs", "entity", "规范性文件", "Normative documents", "Files",
     &perm_normdoc_view, 30, 0, NULL},
    {"legality", "/contracts", "entity", "合同审查", "Contract review", "Tickets",
     &perm_normdoc_view, 40, 0, NULL},
    {"legality", "/legality-rate", "legality/rate", "审核率", "Review rate", "DataAnalysis",
     &perm_normdoc_view, 50, 0, NULL},
};

static const struct audit_name audit_names[] = {
    {"normdoc", "规范性文件", "Normative document"},
    {"contract", "合同", "Contract"},
};

const struct module normdoc_module = {
    .name = "normdoc",
    .zh = "规范性文件与合同审核",
    .en = "Normative documents and contracts",
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
    .menu = menu,
    .n_menu = MODULE_N(menu),
    .entities = entities,
    .n_entities = MODULE_N(entities),
    .kinds = kinds,
    .n_kinds = MODULE_N(kinds),
    .demo = normdoc_demo,
    .demo_scale = normdoc_demo_scale,
    .audit_names = audit_names,
    .n_audit_names = MODULE_N(audit_names),
};
