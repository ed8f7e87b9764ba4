/* draw_module.c — the 双随机 module's declarations (http/module.h): permissions and grants, the
 * sampling settings, the directories' and draws' tables and entities, the draws' routes, the
 * menu entries, demo data. */
#include "features/draw/draw.h"
#include "features/draw/draw_http.h"
#include "http/module.h"

/* Rows leave trailing fields out: 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

struct perm_def perm_draw_view = {
    "draw.view", "draw", "查看双随机名录与抽取", "View the random-inspection directories and draws",
    0,           0};
struct perm_def perm_draw_manage = {"draw.manage",
                                    "draw",
                                    "管理名录、发起与公布抽取",
                                    "Keep the directories, commit and publish draws",
                                    0,
                                    0};
static struct perm_def *const perms[] = {&perm_draw_view, &perm_draw_manage};

/* The office keeps the directories and runs the draws; inspectors and leaders read them. */
static const struct perm_grant grants[] = {
    {"office", "draw.view draw.manage"},
    {"leader", "draw.view"},
    {"inspector", "draw.view"},
};

static const struct migration migrations[] = {
    {1, "the directories of inspectors and inspectable objects",
     "CREATE TABLE inspectors ("
     " id @ID@, name TEXT NOT NULL, category TEXT NOT NULL,"
     " unit_id BIGINT REFERENCES units(id), employer TEXT NOT NULL DEFAULT '',"
     " title TEXT NOT NULL DEFAULT '', qualifications TEXT NOT NULL DEFAULT '',"
     " cert_no TEXT NOT NULL DEFAULT '', user_id BIGINT REFERENCES users(id),"
     " active BIGINT NOT NULL DEFAULT 1, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,"
     " version BIGINT NOT NULL DEFAULT 1);"
     "CREATE INDEX inspectors_unit ON inspectors(unit_id);"
     "CREATE INDEX inspectors_user ON inspectors(user_id);"
     "CREATE TABLE inspect_objects ("
     " id @ID@, name TEXT NOT NULL, object_type TEXT NOT NULL, code TEXT NOT NULL DEFAULT '',"
     " domain TEXT NOT NULL, unit_id BIGINT REFERENCES units(id), risk TEXT NOT NULL,"
     " address TEXT NOT NULL DEFAULT '', active BIGINT NOT NULL DEFAULT 1,"
     " created_at TEXT NOT NULL, updated_at TEXT NOT NULL, version BIGINT NOT NULL DEFAULT 1);"
     "CREATE INDEX inspect_objects_domain ON inspect_objects(domain, object_type, risk);"
     "CREATE INDEX inspect_objects_unit ON inspect_objects(unit_id);",
     NULL, NULL},
    {2, "inspectors' declared conflicts and the verifiable draws",
     "CREATE TABLE inspector_conflicts ("
     " id @ID@, inspector_id BIGINT NOT NULL REFERENCES inspectors(id),"
     " unit_id BIGINT REFERENCES units(id), object_id BIGINT REFERENCES inspect_objects(id),"
     " reason TEXT NOT NULL, declared_on TEXT NOT NULL, created_at TEXT NOT NULL,"
     " updated_at TEXT NOT NULL, version BIGINT NOT NULL DEFAULT 1);"
     "CREATE INDEX inspector_conflicts_inspector ON inspector_conflicts(inspector_id);"
     "CREATE TABLE draws ("
     " id @ID@, draw_no TEXT UNIQUE, title TEXT NOT NULL, plan_id BIGINT, status TEXT NOT NULL,"
     " obj_domain TEXT, obj_type TEXT, obj_risk TEXT, obj_unit_id BIGINT REFERENCES units(id),"
     " insp_category TEXT, sample_mode TEXT NOT NULL, sample_a BIGINT, sample_b BIGINT,"
     " sample_c BIGINT, sample_d BIGINT, per_object BIGINT NOT NULL, source_kind TEXT NOT NULL,"
     " source TEXT NOT NULL, inputs TEXT NOT NULL, commitment TEXT NOT NULL,"
     " n_objects BIGINT NOT NULL, n_inspectors BIGINT NOT NULL, n_drawn BIGINT NOT NULL,"
     " witness TEXT, random_value TEXT, value_at TEXT, value_by BIGINT REFERENCES users(id),"
     " seed TEXT, result TEXT, supersedes_id BIGINT REFERENCES draws(id),"
     /* superseded_by points forward (to a later id): no foreign key, so that `fazhi migrate`
      * copies the rows in id order; supersedes_id (backward) keeps its key */
     " superseded_by BIGINT, superseded_reason TEXT,"
     " created_by BIGINT REFERENCES users(id), created_at TEXT NOT NULL,"
     " updated_at TEXT NOT NULL, version BIGINT NOT NULL DEFAULT 1);"
     "CREATE INDEX draws_created ON draws(created_at);"
     "CREATE INDEX draws_plan ON draws(plan_id);",
     NULL, NULL},
};

/* 国发〔2019〕5号 (在市场监管领域全面推行部门联合“双随机、一公开”监管的意见): the sampling ratio
 * and frequency are set locally and differentiated by the subjects' credit and risk grade — higher
 * risk, higher ratio; these defaults are the district's, not the State Council's. */
#define RATIO_HINT                                                                                                                                  \
    "按风险等级差异化确定抽查比例（国务院关于在市场监管领域全面推行部门联合“双随机、一公开”监管的" \
    "意见，国发〔2019〕5号：根据企业信用风险分类结果合理确定、动态调整抽查比例和频次）；本区默认"        \
    "值，可按本地实际调整（百分比，向上取整）"
static const struct setting_def settings[] = {
    {"draw.ratio_A", SETTING_INT, "3", 0, 100, "setting.manage", "draw",
     "A 级（低风险）抽查比例（%）", "Sampling ratio, grade A (low risk) (%)", RATIO_HINT},
    {"draw.ratio_B", SETTING_INT, "5", 0, 100, "setting.manage", "draw",
     "B 级（一般风险）抽查比例（%）", "Sampling ratio, grade B (%)", RATIO_HINT},
    {"draw.ratio_C", SETTING_INT, "10", 0, 100, "setting.manage", "draw",
     "C 级（较高风险）抽查比例（%）", "Sampling ratio, grade C (%)", RATIO_HINT},
    {"draw.ratio_D", SETTING_INT, "20", 0, 100, "setting.manage", "draw",
     "D 级（高风险）抽查比例（%）", "Sampling ratio, grade D (high risk) (%)", RATIO_HINT},
    {"draw.min_inspectors", SETTING_INT, "2", 2, 10, "setting.manage", "draw",
     "每个检查对象至少抽取的检查人员数", "Inspectors drawn per object, at least",
     "双随机抽查每个对象至少 2 名检查人员（国发〔2019〕5号：随机选派执法检查人员）；可调高，"
     "不得低于 2"},
};

static const struct copy_table tables[] = {
    {"inspectors", "id", 1},
    {"inspect_objects", "id", 1},
    {"inspector_conflicts", "id", 1},
    {"draws", "id", 1},
};

static const struct route routes[] = {
    {M_POST, "/api/v1/draws/:id/value", &perm_draw_manage, draw_value_post},
    {M_POST, "/api/v1/draws/:id/redraw", &perm_draw_manage, draw_redraw_post},
    {M_GET, "/api/v1/draws/:id/published", &perm_draw_view, draw_published_get},
    {M_GET, "/api/v1/draws/:id/verify", &perm_draw_view, draw_verify_get},
};

static const struct entity *const entities[] = {&entity_inspectors, &entity_inspect_objects,
                                                &entity_inspector_conflicts, &entity_draws};

static const struct menu_item menu[] = {
    {"inspection", "/inspectors", "entity", "督察人员库", "Inspectors", "User", &perm_draw_view, 60,
     0, NULL},
    {"inspection", "/inspect-objects", "entity", "检查对象名录", "Inspectable objects",
     "OfficeBuilding", &perm_draw_view, 61, 0, NULL},
    {"inspection", "/draws", "entity", "双随机抽取", "Random draws", "Aim", &perm_draw_view, 50, 0,
     NULL},
    {"inspection", "/inspector-conflicts", "entity", "回避声明", "Declared conflicts", "Warning",
     &perm_draw_view, 62, 0, NULL},
};

static const struct audit_name audit_names[] = {
    {"inspector", "督察人员", "Inspector"},
    {"inspect_object", "检查对象", "Inspectable object"},
    {"inspector_conflict", "回避声明", "Declared conflict"},
    {"draw", "双随机抽取", "Random draw"},
    {"draw.create", "发起抽取（公示承诺）", "Draw committed"},
    {"draw.value", "录入随机数并抽取", "Random value entered, drawn"},
    {"draw.redraw", "重新抽取（新承诺）", "Redraw committed"},
    {"draw.supersede", "抽取作废（重抽）", "Draw superseded by a redraw"},
};

const struct module draw_module = {
    .name = "draw",
    .zh = "双随机抽查",
    .en = "Random inspections",
    .perms = perms,
    .n_perms = MODULE_N(perms),
    .grants = grants,
    .n_grants = MODULE_N(grants),
    .settings = settings,
    .n_settings = MODULE_N(settings),
    .routes = routes,
    .n_routes = MODULE_N(routes),
    .migrations = migrations,
    .n_migrations = MODULE_N(migrations),
    .tables = tables,
    .n_tables = MODULE_N(tables),
    .menu = menu,
    .n_menu = MODULE_N(menu),
    .entities = entities,
    .n_entities = MODULE_N(entities),
    .audit_names = audit_names,
    .n_audit_names = MODULE_N(audit_names),
    .demo = draw_demo,
    .demo_scale = draw_demo_scale,
};
