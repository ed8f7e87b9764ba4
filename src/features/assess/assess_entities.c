/* assess_entities.c — the indicator systems and their indicators as entities (features/entity):
 * lists, forms, Excel and the record page come from these declarations. */
#include "features/assess/assess.h"
#include "features/assess/assess_rule.h"

/* Declarations leave trailing fields out: 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#define N(a) (int)(sizeof(a) / sizeof((a)[0]))
#define EDIT (F_EXPORT | F_CREATE | F_UPDATE)

static const struct field_option system_states[] = {
    {"draft", "草拟", "Draft", "info"},
    {"published", "已发布", "Published", "success"},
    {"retired", "已停用", "Retired", ""},
};

static const struct field system_fields[] = {
    {"id", FT_INT, "序号", "ID", 0, 0, F_READONLY},
    {"year", FT_INT, "考核年度", "Year", 2000, 2100,
     F_REQUIRED | F_LIST | F_FILTER | F_SORT | EDIT},
    {"name", FT_TEXT, "指标体系名称", "System", 1, 200, F_REQUIRED | F_LIST | F_SEARCH | EDIT},
    {"version_no", FT_INT, "版本", "Version no.", 0, 0, F_LIST | F_READONLY | F_EXPORT},
    {"based_on_id", FT_REF, "上一版本", "Previous version", 0, 0, F_READONLY | F_FILTER,
     .ref = "assess_systems"},
    {"change_note", FT_LONGTEXT, "修订说明", "What changed", 0, 2000, EDIT},
    {"total_points", FT_INT, "总分（百分之一分）", "Total (hundredths)", 100, 100000,
     F_LIST | EDIT},
    {"status", FT_ENUM, "状态", "Status", 0, 0, F_LIST | F_FILTER | F_READONLY | F_LABEL | F_EXPORT,
     system_states, N(system_states)},
    {"published_at", FT_DATETIME, "发布时间", "Published", 0, 0, F_LIST | F_READONLY},
    {"created_at", FT_DATETIME, "创建时间", "Created", 0, 0, F_READONLY},
    {"updated_at", FT_DATETIME, "更新时间", "Updated", 0, 0, F_READONLY},
    {"version", FT_INT, "版本号", "Version", 0, 0, F_READONLY},
};

static const struct entity_sort system_sorts[] = {
    {"year", "a.year"},
};

static const struct entity_child system_children[] = {{"assess_indicators", "system_id"}};

const struct entity entity_assess_systems = {
    .name = "assess_systems",
    .path = "/api/v1/assess-systems",
    .zh = "考核指标体系",
    .en = "Indicator systems",
    .table = "assess_systems",
    .alias = "a",
    .fields = system_fields,
    .n_fields = N(system_fields),
    .scope = {.unscoped = "one district-wide system per year: every unit is assessed against the "
                          "same indicators"},
    .sorts = system_sorts,
    .n_sorts = N(system_sorts),
    .default_sort = "-year",
    .perm_read = &perm_assess_view,
    .perm_create = &perm_assess_manage,
    .perm_update = &perm_assess_manage,
    .perm_delete = &perm_assess_manage,
    .audit_type = "assess_system",
    .export_name = "assess-systems",
    .export_sheet = "考核指标体系",
    .title_field = "name",
    .children = system_children,
    .n_children = N(system_children),
};

static const struct field indicator_fields[] = {
    {"id", FT_INT, "序号", "ID", 0, 0, F_READONLY},
    {"system_id", FT_REF, "指标体系", "System", 0, 0, F_REQUIRED | F_FILTER | F_CREATE,
     .ref = "assess_systems"},
    {"parent_id", FT_REF, "上级指标", "Parent", 0, 0, F_FILTER | EDIT, .ref = "assess_indicators"},
    {"level", FT_INT, "层级", "Level", 1, ASSESS_LEVELS, F_REQUIRED | F_LIST | F_FILTER | EDIT},
    {"code", FT_TEXT, "编号", "Code", 1, 20, F_REQUIRED | F_LIST | F_SORT | EDIT,
     .hint = "如 1、1.2、1.2.3"},
    {"name", FT_TEXT, "指标名称", "Indicator", 1, 200, F_REQUIRED | F_LIST | F_SEARCH | EDIT},
    {"weight", FT_INT, "分值（百分之一分）", "Weight (hundredths)", 0, ASSESS_POINTS_MAX,
     F_REQUIRED | F_LIST | EDIT},
    {"rule", FT_ENUM, "计分规则", "Rule", 0, 0, F_LIST | F_FILTER | F_LABEL | EDIT,
     assess_rule_types, AR_N, .hint = "末级指标必填"},
    {"metric", FT_TEXT, "数据指标", "Metric", 0, 100, F_LIST | EDIT,
     .hint = "统计指标编码，如 reconsiderations.corrected"},
    {"params", FT_TEXT, "规则参数", "Parameters", 0, ASSESS_PARAMS_MAX, F_LIST | EDIT,
     .hint = "如 linear 80:0 100:100；per=2 cap=10；min=100"},
    {"method", FT_LONGTEXT, "评分标准", "Scoring standard", 0, 2000, EDIT},
    {"evidence", FT_LONGTEXT, "佐证材料要求", "Evidence required", 0, 1000, EDIT},
    {"sort_order", FT_INT, "顺序", "Order", 0, 9999, F_SORT | EDIT},
    {"created_at", FT_DATETIME, "创建时间", "Created", 0, 0, F_READONLY},
    {"updated_at", FT_DATETIME, "更新时间", "Updated", 0, 0, F_READONLY},
    {"version", FT_INT, "版本号", "Version", 0, 0, F_READONLY},
};

static const struct entity_sort indicator_sorts[] = {
    {"tree", "i.system_id, i.sort_order, i.code, i.id"},
};

const struct entity entity_assess_indicators = {
    .name = "assess_indicators",
    .path = "/api/v1/assess-indicators",
    .zh = "考核指标",
    .en = "Indicators",
    .table = "assess_indicators",
    .alias = "i",
    .fields = indicator_fields,
    .n_fields = N(indicator_fields),
    .scope = {.unscoped = "the indicators of the district-wide systems"},
    .sorts = indicator_sorts,
    .n_sorts = N(indicator_sorts),
    .default_sort = "tree",
    .per_page = 200,
    .perm_read = &perm_assess_view,
    .perm_create = &perm_assess_manage,
    .perm_update = &perm_assess_manage,
    .perm_delete = &perm_assess_manage,
    .audit_type = "assess_indicator",
    .export_name = "assess-indicators",
    .export_sheet = "考核指标",
    .title_field = "name",
};
