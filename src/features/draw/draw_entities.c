/* draw_entities.c — the directories of 双随机: inspectors and inspectable objects, as entities
 * (list, filters, Excel export and import come from the entity layer). */
#include "features/draw/draw.h"

/* Declarations leave trailing fields out: 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#define EDIT (F_EXPORT | F_IMPORT | F_CREATE | F_UPDATE)

/* ---- 督察人员库 ---- */

static const struct field_option inspector_categories[] = {
    {"staff", "机关工作人员", "Civil servant"},
    {"deputy", "人大代表", "People's congress deputy"},
    {"member", "政协委员", "CPPCC member"},
    {"expert", "专家学者", "Expert"},
    {"lawyer", "律师", "Lawyer"},
    {"journalist", "新闻媒体", "Journalist"},
    {"other", "其他", "Other"},
};

static const struct field inspector_fields[] = {
    {"id", FT_INT, "序号", "ID", 0, 0, F_READONLY},
    {"name", FT_TEXT, "姓名", "Name", 1, 50, F_REQUIRED | F_LIST | F_SEARCH | F_SORT | EDIT},
    {"category", FT_ENUM, "人员类别", "Category", 0, 0,
     F_REQUIRED | F_LIST | F_FILTER | F_LABEL | EDIT, inspector_categories,
     ENTITY_N(inspector_categories)},
    {"unit_id", FT_UNIT, "所在单位", "Unit", 0, 0, F_FILTER | EDIT, .ref = "units",
     .hint = "单位名录中的单位；人大代表、律师等单位外人员不填，写工作单位"},
    {"unit_name", FT_TEXT, "所在单位", "Unit", 0, 0, F_LIST | F_READONLY, .sql = "iu.name"},
    {"employer", FT_TEXT, "工作单位", "Employer", 0, 200, F_LIST | F_SEARCH | EDIT},
    {"title", FT_TEXT, "职务/职称", "Title", 0, 100, F_LIST | EDIT},
    {"qualifications", FT_TEXT, "资格与专长", "Qualifications", 0, 500, EDIT,
     .hint = "如：行政执法证、法律职业资格、督察员资格"},
    {"cert_no", FT_TEXT, "证件编号", "Certificate no.", 0, 50, EDIT},
    {"user_id", FT_USER, "系统账号", "Account", 0, 0, F_FILTER | F_CREATE | F_UPDATE,
     .hint = "有账号的督察人员可看到其所在督察组的方案"},
    {"active", FT_BOOL, "在库", "In the pool", 0, 0,
     F_LIST | F_FILTER | F_EXPORT | F_CREATE | F_UPDATE},
    {"created_at", FT_DATETIME, "创建时间", "Created", 0, 0, F_READONLY},
    {"updated_at", FT_DATETIME, "更新时间", "Updated", 0, 0, F_READONLY},
    {"version", FT_INT, "版本", "Version", 0, 0, F_READONLY},
};

const struct entity entity_inspectors = {
    .name = "inspectors",
    .path = "/api/v1/inspectors",
    .zh = "督察人员库",
    .en = "Inspectors",
    .table = "inspectors",
    .alias = "i",
    .from = "inspectors i LEFT JOIN units iu ON iu.id = i.unit_id",
    .fields = inspector_fields,
    .n_fields = ENTITY_N(inspector_fields),
    .scope = {.unscoped = "the district's pool of inspectors: every plan's team and every draw "
                          "chooses from the whole pool, whatever the unit of the reader"},
    .default_sort = "name",
    .perm_read = &perm_draw_view,
    .perm_create = &perm_draw_manage,
    .perm_update = &perm_draw_manage,
    .audit_type = "inspector",
    .export_name = "inspectors",
    .export_sheet = "督察人员库",
};

/* ---- 检查对象名录 ---- */

static const struct field_option object_types[] = {
    {"unit", "机关单位", "Government unit"},
    {"market", "市场主体", "Market subject"},
    {"file", "执法案卷", "Enforcement file"},
};

static const struct field_option object_domains[] = {
    {"general", "综合", "General"},
    {"market", "市场监管", "Market regulation"},
    {"ecology", "生态环境", "Ecology and environment"},
    {"transport", "交通运输", "Transport"},
    {"emergency", "应急管理", "Emergency management"},
    {"agriculture", "农业农村", "Agriculture"},
    {"culture", "文化旅游", "Culture and tourism"},
    {"health", "卫生健康", "Health"},
    {"urban", "城市管理", "Urban management"},
    {"other", "其他", "Other"},
};

static const struct field_option risk_grades[] = {
    {"A", "A 低风险", "A low risk", "success"},
    {"B", "B 一般风险", "B ordinary risk", "info"},
    {"C", "C 较高风险", "C higher risk", "warning"},
    {"D", "D 高风险", "D high risk", "danger"},
};

static const struct field object_fields[] = {
    {"id", FT_INT, "序号", "ID", 0, 0, F_READONLY},
    {"name", FT_TEXT, "对象名称", "Name", 1, 200, F_REQUIRED | F_LIST | F_SEARCH | F_SORT | EDIT},
    {"object_type", FT_ENUM, "对象类型", "Type", 0, 0,
     F_REQUIRED | F_LIST | F_FILTER | F_LABEL | EDIT, object_types, ENTITY_N(object_types)},
    {"code", FT_TEXT, "统一社会信用代码/案卷号", "Credit code / file no.", 0, 50,
     F_LIST | F_SEARCH | EDIT},
    {"domain", FT_ENUM, "执法领域", "Domain", 0, 0, F_REQUIRED | F_LIST | F_FILTER | F_LABEL | EDIT,
     object_domains, ENTITY_N(object_domains), .dict = "inspect_domain"},
    {"unit_id", FT_UNIT, "所属/主管单位", "Unit", 0, 0, F_FILTER | EDIT, .ref = "units",
     .hint = "机关单位：该单位；市场主体、执法案卷：负责监管或办理的单位"},
    {"unit_name", FT_TEXT, "所属/主管单位", "Unit", 0, 0, F_LIST | F_READONLY, .sql = "ou.name"},
    {"risk", FT_ENUM, "风险等级", "Risk grade", 0, 0,
     F_REQUIRED | F_LIST | F_FILTER | F_SORT | F_LABEL | EDIT, risk_grades, ENTITY_N(risk_grades)},
    {"address", FT_TEXT, "地址", "Address", 0, 200, EDIT},
    {"active", FT_BOOL, "在册", "Listed", 0, 0, F_LIST | F_FILTER | F_EXPORT | F_CREATE | F_UPDATE},
    {"created_at", FT_DATETIME, "创建时间", "Created", 0, 0, F_READONLY},
    {"updated_at", FT_DATETIME, "更新时间", "Updated", 0, 0, F_READONLY},
    {"version", FT_INT, "版本", "Version", 0, 0, F_READONLY},
};

const struct entity entity_inspect_objects = {
    .name = "inspect_objects",
    .path = "/api/v1/inspect-objects",
    .zh = "检查对象名录",
    .en = "Inspectable objects",
    .table = "inspect_objects",
    .alias = "o",
    .from = "inspect_objects o LEFT JOIN units ou ON ou.id = o.unit_id",
    .fields = object_fields,
    .n_fields = ENTITY_N(object_fields),
    .scope = {.unscoped = "the office's directory of what a random inspection may draw: the "
                          "draws are the office's, read by its inspectors and leaders"},
    .default_sort = "name",
    .perm_read = &perm_draw_view,
    .perm_create = &perm_draw_manage,
    .perm_update = &perm_draw_manage,
    .audit_type = "inspect_object",
    .export_name = "inspect-objects",
    .export_sheet = "检查对象名录",
};
