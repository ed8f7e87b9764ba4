/* legalservice_module.c — the 公共法律服务 module's declarations (http/module.h): permissions
 * and grants, the time limits by type (settings), the tables, the entity and the kind (whose
 * routes are generated), the menu entry and the demo data. */
#include "features/legalservice/legalservice.h"
#include "store/dataver.h"
#include "http/module.h"

/* Rows leave trailing fields out: 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

struct perm_def perm_legal_service_view = {"legal_service.view",
                                           "legal_service",
                                           "查看公共法律服务事项",
                                           "View legal service requests",
                                           0,
                                           0};
struct perm_def perm_legal_service_work = {"legal_service.work",
                                           "legal_service",
                                           "承办公共法律服务事项",
                                           "Handle legal service requests",
                                           0,
                                           0};
struct perm_def perm_legal_service_manage = {"legal_service.manage",
                                             "legal_service",
                                             "登记分派公共法律服务事项",
                                             "Register and assign legal service requests",
                                             0,
                                             0};
static struct perm_def *const perms[] = {&perm_legal_service_view, &perm_legal_service_work,
                                         &perm_legal_service_manage};

/* The centre (office staff) registers, assigns, follows up and cancels; a unit's clerks accept,
 * return and complete their unit's requests; leaders and reviewers read. */
static const struct perm_grant grants[] = {
    {"office", "legal_service.view legal_service.work legal_service.manage"},
    {"clerk", "legal_service.view legal_service.work"},
    {"leader", "legal_service.view"},
    {"reviewer", "legal_service.view"},
    {"inspector", "legal_service.view"},
};

/* Time limits by type, counted from the day received (the day itself not counted). */
static const struct setting_def settings[] = {
    {"legal_service.days.consultation", SETTING_INT, "1", 1, 365, "setting.manage", "legal_service",
     "法律咨询办理期限", "Consultation: time limit",
     "默认 1 个工作日（本地规则：12348 热线咨询当场解答，需转办的 1 个工作日内答复）"},
    {"legal_service.workdays.consultation", SETTING_BOOL, "1", 0, 1, "setting.manage",
     "legal_service", "法律咨询按工作日计算", "Consultation: working days",
     "开启按工作日计算，关闭按自然日（日）计算"},
    {"legal_service.days.legal_aid", SETTING_INT, "7", 1, 365, "setting.manage", "legal_service",
     "法律援助审查期限", "Legal aid: time limit",
     "默认 7 日（《法律援助法》第四十三条：法律援助机构应当自收到申请之日起七日内进行审查）"},
    {"legal_service.workdays.legal_aid", SETTING_BOOL, "0", 0, 1, "setting.manage", "legal_service",
     "法律援助按工作日计算", "Legal aid: working days",
     "法定期限为自然日（日），末日为节假日的顺延至节后第一个工作日"},
    {"legal_service.days.mediation", SETTING_INT, "30", 1, 365, "setting.manage", "legal_service",
     "人民调解办理期限", "Mediation: time limit",
     "默认 30 日（《人民调解工作若干规定》：调解纠纷一般在一个月内调结）"},
    {"legal_service.workdays.mediation", SETTING_BOOL, "0", 0, 1, "setting.manage", "legal_service",
     "人民调解按工作日计算", "Mediation: working days", "开启按工作日计算，关闭按自然日（日）计算"},
    {"legal_service.days.notarisation", SETTING_INT, "15", 1, 365, "setting.manage",
     "legal_service", "公证办理期限", "Notarisation: time limit",
     "默认 15 个工作日（《公证程序规则》：自受理之日起十五个工作日内出具公证书）"},
    {"legal_service.workdays.notarisation", SETTING_BOOL, "1", 0, 1, "setting.manage",
     "legal_service", "公证按工作日计算", "Notarisation: working days",
     "开启按工作日计算，关闭按自然日（日）计算"},
    {"legal_service.days.appraisal", SETTING_INT, "30", 1, 365, "setting.manage", "legal_service",
     "司法鉴定办理期限", "Judicial appraisal: time limit",
     "默认 30 个工作日（《司法鉴定程序通则》：自委托生效之日起三十个工作日内完成鉴定）"},
    {"legal_service.workdays.appraisal", SETTING_BOOL, "1", 0, 1, "setting.manage", "legal_service",
     "司法鉴定按工作日计算", "Judicial appraisal: working days",
     "开启按工作日计算，关闭按自然日（日）计算"},
    {"legal_service.days.lawyer", SETTING_INT, "5", 1, 365, "setting.manage", "legal_service",
     "律师服务办理期限", "Lawyer services: time limit",
     "默认 5 个工作日（本地规则：自登记之日起对接律师并答复申请人）"},
    {"legal_service.workdays.lawyer", SETTING_BOOL, "1", 0, 1, "setting.manage", "legal_service",
     "律师服务按工作日计算", "Lawyer services: working days",
     "开启按工作日计算，关闭按自然日（日）计算"},
};

static const struct migration migrations[] = {
    {1, "public legal service requests and their timeline",
     "CREATE TABLE legal_services ("
     " id @ID@, request_no TEXT UNIQUE, received_on TEXT NOT NULL, channel TEXT NOT NULL,"
     " service_type TEXT NOT NULL, applicant_name TEXT NOT NULL, phone_enc TEXT,"
     " phone_masked TEXT, summary TEXT NOT NULL,"
     " handling_unit_id BIGINT REFERENCES units(id), handler_id BIGINT REFERENCES users(id),"
     " status TEXT NOT NULL, outcome TEXT NOT NULL DEFAULT '', satisfaction BIGINT,"
     " visit_note TEXT NOT NULL DEFAULT '', completed_at TEXT,"
     " created_by BIGINT REFERENCES users(id), created_at TEXT NOT NULL,"
     " updated_at TEXT NOT NULL, version BIGINT NOT NULL DEFAULT 1);"
     /* a unit's page by date, the centre's by date and by state */
     "CREATE INDEX legal_services_unit ON legal_services(handling_unit_id, received_on);"
     "CREATE INDEX legal_services_received ON legal_services(received_on);"
     "CREATE INDEX legal_services_status ON legal_services(status, received_on);"
     "CREATE TABLE legal_service_events ("
     " id @ID@, request_id BIGINT NOT NULL REFERENCES legal_services(id), at TEXT NOT NULL,"
     " actor_id BIGINT REFERENCES users(id), actor_name TEXT NOT NULL, unit_id BIGINT,"
     " action TEXT NOT NULL, note TEXT NOT NULL DEFAULT '', detail TEXT NOT NULL DEFAULT '');"
     "CREATE INDEX legal_service_events_request ON legal_service_events(request_id, id);",
     NULL, NULL},
    /* the applicant becomes a party (case_parties, sealed): no name or phone stays here */
    {2, "applicants sealed into case_parties",
     "ALTER TABLE legal_services DROP COLUMN applicant_name;"
     "ALTER TABLE legal_services DROP COLUMN phone_enc;"
     "ALTER TABLE legal_services DROP COLUMN phone_masked;",
     NULL, NULL, legal_service_parties_migrate},
    /* list pages are kept (entity cache_deps): every write to the register's tables bumps its name
     */
    {3, "register pages are kept: its tables bump the legalservice data version", NULL,
     DV_SQLITE_ALL("legal_services", "legalservice")
         DV_SQLITE_ALL("legal_service_events", "legalservice"),
     DV_PG_ALL("legal_services", "legalservice") DV_PG_ALL("legal_service_events", "legalservice")},
};

static const struct copy_table tables[] = {
    {"legal_services", "id", 1},
    {"legal_service_events", "id", 1},
};

static const struct entity *const entities[] = {&entity_legal_services};
static const struct flow_kind *const kinds[] = {&legal_service_kind};

static const struct menu_item menu[] = {
    {"legal", "/legal-services", "entity", "12348 服务事项", "12348 requests", "Service",
     &perm_legal_service_view, 10, 0, NULL},
};

static const struct audit_name audit_names[] = {
    {"legal_service", "公共法律服务", "Legal service request"},
};

const struct module legalservice_module = {
    .name = "legal_service",
    .zh = "公共法律服务",
    .en = "Public legal services",
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
    .demo = legal_service_demo,
    .demo_scale = legal_service_demo_scale,
    .audit_names = audit_names,
    .n_audit_names = MODULE_N(audit_names),
};
