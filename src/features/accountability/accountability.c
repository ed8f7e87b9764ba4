/* accountability.c — the 问责 register as an entity: list, filters, record page, export and import
 * from the declaration (features/entity); the number WZ<year>-<id> given on creation; the metrics
 * (records decided in the period, broken down by measure and by unit). */
#include <stdio.h>
#include <string.h>

#include "base/calendar.h"
#include "features/accountability/accountability.h"

/* Declarations leave trailing fields out: 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#define N(a) (int)(sizeof(a) / sizeof((a)[0]))
#define EDIT (F_EXPORT | F_IMPORT | F_CREATE | F_UPDATE)

/* 问责方式, from the lightest (DOMAIN.md "法治督察": 约谈, 通报批评, 责令检查, 诫勉, 组织处理,
 * 纪律处分) */
static const struct field_option measures[] = {
    {"interview", "约谈", "Admonitory talk", "info"},
    {"criticism", "通报批评", "Public criticism", "warning"},
    {"self_review", "责令检查", "Ordered self-examination", "warning"},
    {"admonition", "诫勉", "Admonition", "warning"},
    {"organisational", "组织处理", "Organisational measure", "danger"},
    {"disciplinary", "纪律处分", "Disciplinary sanction", "danger"},
};

static const struct field fields[] = {
    {"id", FT_INT, "序号", "ID", 0, 0, F_READONLY},
    {"record_no", FT_TEXT, "问责编号", "Number", 0, 20,
     F_LIST | F_SORT | F_SEARCH | F_EXPORT | F_READONLY},
    {"decided_on", FT_DATE, "决定日期", "Decided on", 0, 0,
     F_REQUIRED | F_LIST | F_FILTER | F_SORT | EDIT},
    {"unit_id", FT_UNIT, "被问责单位", "Unit held to account", 0, 0,
     F_REQUIRED | F_FILTER | F_CREATE | F_UPDATE | F_IMPORT, .ref = "units", .import = "unit"},
    {"unit_name", FT_TEXT, "被问责单位", "Unit held to account", 0, 0,
     F_LIST | F_EXPORT | F_READONLY, .sql = "au.name"},
    {"person_name", FT_TEXT, "被问责人", "Official", 0, 50, F_LIST | F_SEARCH | EDIT,
     .hint = "对单位问责的可不填"},
    {"person_position", FT_TEXT, "职务", "Position", 0, 100, F_LIST | EDIT},
    {"measure", FT_ENUM, "问责方式", "Measure", 0, 0,
     F_REQUIRED | F_LIST | F_FILTER | F_LABEL | EDIT, measures, N(measures)},
    {"deciding_body", FT_TEXT, "决定机关", "Deciding body", 1, 100,
     F_REQUIRED | F_LIST | F_SEARCH | EDIT, .hint = "如：区委依法治区办、区纪委监委、区委组织部"},
    {"document_no", FT_TEXT, "决定文号", "Document no.", 0, 50, F_LIST | F_SEARCH | EDIT},
    {"reason", FT_LONGTEXT, "问责事由", "Reason", 1, 2000, F_REQUIRED | F_SEARCH | EDIT},
    {"basis", FT_LONGTEXT, "问责依据", "Basis", 0, 1000, EDIT,
     .hint = "如：《中国共产党问责条例》第七条、《法治政府建设与责任落实督察工作规定》第三十一条"},
    {"finding_id", FT_REF, "督察问题", "Finding", 1, FIELD_ID_MAX, F_FILTER | F_CREATE | F_UPDATE,
     .hint = "所依据的督察问题（问题清单）", .ref = "inspection_findings"},
    {"finding_title", FT_TEXT, "督察问题", "Finding", 0, 0, F_EXPORT | F_READONLY,
     .sql = "(SELECT f.finding_no FROM inspection_findings f WHERE f.id = e.finding_id)"},
    {"created_at", FT_DATETIME, "创建时间", "Created", 0, 0, F_SORT | F_READONLY},
    {"updated_at", FT_DATETIME, "更新时间", "Updated", 0, 0, F_READONLY},
    {"version", FT_INT, "版本", "Version", 0, 0, F_READONLY},
};

/* The day decided is not in the future; the unit is an active one. */
static int validate(struct entity_write *w) {
    const char *on = json_string_value(json_object_get(w->in, "decided_on"));
    int32_t day;
    if (on && date_parse(on, &day) == 0 && day > date_today())
        problem_add(w->pr, "decided_on", "决定日期不能晚于今天", "Cannot be later than today");
    return entity_check_unit(w, "unit_id", "只能对本人数据范围内的单位登记问责",
                             "The unit must be in your data scope");
}

static const struct entity_metric metrics[] = {
    {"persons", "问责人次", "Officials held to account", METRIC_COUNT, "e.person_name <> ''", NULL,
     NULL, "期间内决定、对具体人员的问责记录数", "Records of the period naming an official"},
};

/* The breakdowns of the metrics (features/metrics): by measure and by the unit held to account. */
static const char *const by[] = {"measure", "unit_id", NULL};

static const char *const import_example[] = {"2026-05-20",
                                             "城关街道",
                                             "张某某",
                                             "街道办事处主任",
                                             "约谈",
                                             "区委依法治区办",
                                             "区法治督〔2026〕3号",
                                             "法治督察发现行政执法案卷不规范问题整改不力",
                                             "《法治政府建设与责任落实督察工作规定》第三十一条"};

static const char *const duplicate_key[] = {"decided_on", "unit_id", "measure", "person_name",
                                            NULL};

/* What its pages read: the register's table, unit names, accounts and scope. */
static const char *const page_deps[] = {"accountability", "org", "auth", NULL};

static const struct entity_number entity_accountabilities_number = {"record_no", "WZ",
                                                                    "decided_on"};

const struct entity entity_accountabilities = {
    .name = "accountabilities",
    .path = "/api/v1/accountabilities",
    .zh = "问责记录",
    .en = "Accountability records",
    .table = "accountabilities",
    .alias = "e",
    .from = "accountabilities e LEFT JOIN units au ON au.id = e.unit_id",
    .fields = fields,
    .n_fields = N(fields),
    /* the unit held to account is the scope's column; who reads at all is accountability.view
     * (office, leaders, inspectors): a unit's clerk does not read the officials' records */
    .scope = {.unit_column = "e.unit_id"},
    .default_sort = "-decided_on",
    .perm_read = &perm_accountability_view,
    .perm_create = &perm_accountability_manage,
    .perm_update = &perm_accountability_manage,
    .perm_delete = &perm_accountability_manage,
    .perm_import = &perm_accountability_manage,
    .audit_type = "accountability",
    .export_name = "accountabilities",
    .export_sheet = "问责记录",
    .validate = validate,
    .import_example = import_example,
    .duplicate_key = duplicate_key,
    .metrics = metrics,
    .n_metrics = N(metrics),
    .metric_date = "e.decided_on",
    .metric_by = by,
    .cache_deps = page_deps,
    .number = &entity_accountabilities_number,
};
