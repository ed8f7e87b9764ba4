/* finding_module.c — the 问题整改 and 督察通报 module's declarations (http/module.h): permissions
 * and grants (INSPECTION.md), settings, tables, the two entities and kinds (routes generated),
 * the escalation job, menu entries in 法治督察 and the demo. */
#include "features/finding/finding.h"
#include "http/module.h"
#include "store/dataver.h"

#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

struct perm_def perm_finding_view = {"finding.view",
                                     "finding",
                                     "查看督察问题和通报",
                                     "View inspection findings and bulletins",
                                     0,
                                     0};
struct perm_def perm_finding_work = {"finding.work",
                                     "finding",
                                     "登记问题、下达整改和验收",
                                     "Register, order and verify findings",
                                     0,
                                     0};
struct perm_def perm_finding_manage = {"finding.manage",
                                       "finding",
                                       "管理问题整改和审批通报",
                                       "Manage findings and approve bulletins",
                                       0,
                                       0};
static struct perm_def *const perms[] = {&perm_finding_view, &perm_finding_work,
                                         &perm_finding_manage};

/* The office does everything; inspectors register, order and verify; leaders read; a unit's
 * clerks read their unit's findings (their rectification work is done on the task, task.work). */
static const struct perm_grant grants[] = {
    {"office", "finding.view finding.work finding.manage"},
    {"inspector", "finding.view finding.work"},
    {"leader", "finding.view"},
    {"clerk", "finding.view"},
};

static const struct setting_def settings[] = {
    {"finding.rectify_days", SETTING_INT, "15", 1, 365, "setting.manage", "finding",
     "整改期限（日）", "Rectification deadline (days)",
     "下达整改未指定期限时的默认期限（DOMAIN.md 法治督察：未设定期限的，15 日内报告整改情况）"},
    {"finding.recheck_months", SETTING_INT, "3", 1, 24, "setting.manage", "finding",
     "回头看间隔（月）", "Re-check after (months)", "验收通过后该月数开展回头看，列入待回头看"},
    {"finding.escalate_days", SETTING_INT, "30", 1, 365, "setting.manage", "finding",
     "二级升级督办逾期天数", "Level-2 escalation after (days overdue)",
     "整改逾期超过该天数（或两次以上验收不通过）升级为二级督办"},
};

static const struct migration migrations[] = {
    {1, "inspection findings, bulletins and their timelines",
     "CREATE TABLE inspection_findings ("
     " id @ID@, finding_no TEXT UNIQUE, plan_id BIGINT, record_id BIGINT,"
     " unit_id BIGINT NOT NULL REFERENCES units(id), category TEXT NOT NULL,"
     " severity TEXT NOT NULL, rule TEXT NOT NULL, description TEXT NOT NULL DEFAULT '',"
     " found_on TEXT NOT NULL, status TEXT NOT NULL, task_id BIGINT REFERENCES tasks(id),"
     " deadline TEXT, rounds BIGINT NOT NULL DEFAULT 0, reported_on TEXT,"
     " verifications BIGINT NOT NULL DEFAULT 0, failures BIGINT NOT NULL DEFAULT 0,"
     " rectified_on TEXT, on_time BIGINT, recheck_due_on TEXT, rechecked_on TEXT,"
     " relapsed BIGINT NOT NULL DEFAULT 0, escalated_level BIGINT NOT NULL DEFAULT 0,"
     " escalated_at TEXT, created_by BIGINT REFERENCES users(id), created_at TEXT NOT NULL,"
     " updated_at TEXT NOT NULL, version BIGINT NOT NULL DEFAULT 1);"
     "CREATE INDEX inspection_findings_unit ON inspection_findings(unit_id, found_on);"
     "CREATE INDEX inspection_findings_found ON inspection_findings(found_on);"
     "CREATE INDEX inspection_findings_status ON inspection_findings(status, found_on);"
     "CREATE INDEX inspection_findings_plan ON inspection_findings(plan_id);"
     "CREATE INDEX inspection_findings_task ON inspection_findings(task_id);"
     "CREATE TABLE finding_events ("
     " id @ID@, finding_id BIGINT NOT NULL REFERENCES inspection_findings(id), at TEXT NOT NULL,"
     " actor_id BIGINT REFERENCES users(id), actor_name TEXT NOT NULL, unit_id BIGINT,"
     " action TEXT NOT NULL, note TEXT NOT NULL DEFAULT '', detail TEXT NOT NULL DEFAULT '');"
     "CREATE INDEX finding_events_finding ON finding_events(finding_id, id);"
     "CREATE TABLE bulletins ("
     " id @ID@, bulletin_no TEXT UNIQUE, plan_id BIGINT, title TEXT NOT NULL,"
     " status TEXT NOT NULL, published_on TEXT, withdrawn_reason TEXT NOT NULL DEFAULT '',"
     " created_by BIGINT REFERENCES users(id), created_at TEXT NOT NULL,"
     " updated_at TEXT NOT NULL, version BIGINT NOT NULL DEFAULT 1);"
     "CREATE INDEX bulletins_plan ON bulletins(plan_id);"
     "CREATE TABLE bulletin_events ("
     " id @ID@, bulletin_id BIGINT NOT NULL REFERENCES bulletins(id), at TEXT NOT NULL,"
     " actor_id BIGINT REFERENCES users(id), actor_name TEXT NOT NULL, unit_id BIGINT,"
     " action TEXT NOT NULL, note TEXT NOT NULL DEFAULT '', detail TEXT NOT NULL DEFAULT '');"
     "CREATE INDEX bulletin_events_bulletin ON bulletin_events(bulletin_id, id);",
     NULL, NULL},
    /* list pages are kept (cache_deps): the findings' tables bump the finding data version */
    {2, "finding pages are kept: its tables bump the finding data version", NULL,
     DV_SQLITE_ALL("inspection_findings", "finding") DV_SQLITE_ALL("finding_events", "finding"),
     DV_PG_ALL("inspection_findings", "finding") DV_PG_ALL("finding_events", "finding")},
    /* an inspector reads the findings of the plans they are on: the team and the inspectors'
     * accounts decide a page too */
    {3, "finding pages follow the inspection teams and the inspectors' accounts", NULL,
     DV_SQLITE_ALL("inspection_team", "finding") DV_SQLITE_ALL("inspectors", "finding"),
     DV_PG_ALL("inspection_team", "finding") DV_PG_ALL("inspectors", "finding")},
};

static const struct copy_table tables[] = {
    {"inspection_findings", "id", 1},
    {"finding_events", "id", 1},
    {"bulletins", "id", 1},
    {"bulletin_events", "id", 1},
};

static const struct entity *const entities[] = {&entity_inspection_findings, &entity_bulletins};
static const struct flow_kind *const kinds[] = {&finding_kind, &bulletin_kind};

static const struct daily_job jobs[] = {
    {"finding_escalate",
     "问题整改升级督办：整改逾期或验收不通过的问题告知督察办公室和责任单位第一责任人",
     finding_job_start, finding_job_read, finding_job_write, finding_job_result},
};

static const struct menu_item menu[] = {
    {"inspection", "/inspection-findings", "entity", "问题整改", "Findings", "Warning",
     &perm_finding_view, 20, 0, NULL},
    {"inspection", "/bulletins", "entity", "督察通报", "Bulletins", "Notification",
     &perm_finding_view, 21, 0, NULL},
};

static const struct audit_name audit_names[] = {
    {"finding", "问题整改", "Inspection finding"},
    {"bulletin", "督察通报", "Inspection bulletin"},
    /* the finding's timeline: what its task's steps did to it (task origin, flow.h) */
    {"finding.task_request_close", "责任单位报送整改（申请办结）",
     "The unit reported its rectification (asked to close)"},
    {"finding.escalate", "升级督办", "Escalated"},
};

const struct module finding_module = {
    .name = "finding",
    .zh = "问题整改",
    .en = "Inspection findings",
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
    .jobs = jobs,
    .n_jobs = MODULE_N(jobs),
    .menu = menu,
    .n_menu = MODULE_N(menu),
    .entities = entities,
    .n_entities = MODULE_N(entities),
    .kinds = kinds,
    .n_kinds = MODULE_N(kinds),
    .demo = finding_demo,
    .demo_scale = finding_demo_scale,
    .audit_names = audit_names,
    .n_audit_names = MODULE_N(audit_names),
};
