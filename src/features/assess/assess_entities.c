/* assess_entities.c — the indicator systems and their indicators as entities (features/entity):
 * lists, forms, Excel and the record page come from these declarations. */
#include "features/assess/assess.h"
#include "features/assess/assess_rule.h"

#include <string.h>

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
    {"total_points", FT_INT, "总分", "Total points", 100, 100000, F_LIST | EDIT, .decimals = 2,
     .hint = "一级指标分值之和，如 100"},
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

static const char *const system_edit_states[] = {"draft", NULL};

/* Only a draft is deleted, with its indicators and timeline; a published or retired system is
 * kept (runs refer to it). */
static int system_remove(struct entity_write *w) {
    const char *status = json_string_value(json_object_get(w->cur, "status"));
    if (!status || strcmp(status, "draft")) {
        w->zh = status && !strcmp(status, "published") ? "已发布的指标体系不能删除"
                                                       : "已停用的指标体系不能删除";
        w->en = "Only a draft system can be deleted";
        return ENTITY_FORBIDDEN;
    }
    int rc = db_exec(w->c->db, "DELETE FROM assess_indicators WHERE system_id = ?", "i", w->id);
    if (rc == DB_OK)
        rc = db_exec(w->c->db, "DELETE FROM assess_system_events WHERE system_id = ?", "i", w->id);
    return rc == DB_OK ? entity_generic_remove(w) : rc;
}

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
    .kind = &assess_system_kind,
    .edit_states = system_edit_states,
    .remove = system_remove,
};

/* The indicators of a published or retired system do not change: 403 naming the state. */
static int system_state_refused(struct entity_write *w, int64_t system_id) {
    struct db_stmt *st = db_queryv(
        w->c->db, "SELECT status, version_no FROM assess_systems WHERE id = ?", "i", system_id);
    int rc = st ? db_step(st) : DB_ERROR;
    const char *status = rc == DB_ROW ? arena_strdup(w->c->arena, db_col_text(st, 0)) : NULL;
    int64_t version_no = rc == DB_ROW ? db_col_int(st, 1) : 0;
    db_done(st);
    if (rc < 0) return rc;
    if (!status || !strcmp(status, "draft")) return DB_OK; /* none: the reference check says */
    int published = !strcmp(status, "published");
    w->zh = arena_printf(w->c->arena,
                         "指标体系（第 %lld 版）%s，其指标不能修改；请生成新版本后在新版本上修改",
                         (long long)version_no, published ? "已发布" : "已停用");
    w->en = arena_printf(w->c->arena,
                         "The system (version %lld) is %s: its indicators cannot change; make a "
                         "new version and edit that one",
                         (long long)version_no, published ? "published" : "retired");
    return ENTITY_FORBIDDEN;
}

static int64_t int_of(json_t *o, const char *k) {
    return (int64_t)json_integer_value(json_object_get(o, k));
}

static int indicator_create(struct entity_write *w) {
    int rc = system_state_refused(w, int_of(w->in, "system_id"));
    return rc != DB_OK ? rc : entity_generic_create(w);
}
static int indicator_update(struct entity_write *w) {
    int rc = system_state_refused(w, int_of(w->cur, "system_id"));
    return rc != DB_OK ? rc : entity_generic_update(w);
}
static int indicator_remove(struct entity_write *w) {
    int rc = system_state_refused(w, int_of(w->cur, "system_id"));
    if (rc != DB_OK) return rc;
    int64_t children = 0;
    if (db_query_int(w->c->db, &children,
                     "SELECT COUNT(*) FROM assess_indicators WHERE parent_id = ?", "i",
                     w->id) != DB_ROW)
        return DB_ERROR;
    if (children) {
        w->zh = "该指标还有下级指标，请先删除下级指标";
        w->en = "The indicator has children: delete them first";
        return ENTITY_FORBIDDEN;
    }
    return entity_generic_remove(w);
}

/* A parent is an indicator of the same system. */
static int indicator_validate(struct entity_write *w) {
    json_t *p = json_object_get(w->in, "parent_id");
    int64_t system = w->cur ? int_of(w->cur, "system_id") : int_of(w->in, "system_id");
    if (!json_is_integer(p) || !system) return DB_OK;
    int64_t same = 0;
    if (db_query_int(w->c->db, &same,
                     "SELECT COUNT(*) FROM assess_indicators WHERE id = ? AND system_id = ? AND "
                     "id <> ?",
                     "iii", (int64_t)json_integer_value(p), system, w->id) != DB_ROW)
        return DB_ERROR;
    if (!same)
        problem_add(w->pr, "parent_id", "上级指标须为同一指标体系中的其他指标",
                    "The parent must be another indicator of the same system");
    return DB_OK;
}

static const struct field indicator_fields[] = {
    {"id", FT_INT, "序号", "ID", 0, 0, F_READONLY},
    {"system_id", FT_REF, "指标体系", "System", 0, 0, F_REQUIRED | F_FILTER | F_CREATE,
     .ref = "assess_systems"},
    {"parent_id", FT_REF, "上级指标", "Parent", 0, 0, F_FILTER | EDIT, .ref = "assess_indicators"},
    {"level", FT_INT, "层级", "Level", 1, ASSESS_LEVELS, F_REQUIRED | F_LIST | F_FILTER | EDIT},
    {"code", FT_TEXT, "编号", "Code", 1, 20, F_REQUIRED | F_LIST | F_SORT | EDIT,
     .hint = "如 1、1.2、1.2.3"},
    {"name", FT_TEXT, "指标名称", "Indicator", 1, 200, F_REQUIRED | F_LIST | F_SEARCH | EDIT},
    {"weight", FT_INT, "分值", "Weight", 0, ASSESS_POINTS_MAX, F_REQUIRED | F_LIST | EDIT,
     .decimals = 2, .hint = "最多两位小数；下级分值之和须等于本项分值，加分项和一票否决项为 0"},
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
    .validate = indicator_validate,
    .create = indicator_create,
    .update = indicator_update,
    .remove = indicator_remove,
};
