/* dict_entities.c — the data dictionary as entities (dict_types, dict_items: lists, the
 * editing of items with their rules) and its seed from the declarations' own options. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/timeutil.h"
#include "features/dict/dict.h"
#include "features/dict/dict_impl.h"
#include "features/entity/entity.h"

/* Rows leave trailing fields out: 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

/* The dictionaries: a field names one with `.dict`; its declared options seed it. `fixed`: the
 * program acts on the codes themselves (report dates by rhythm, time limits by service type),
 * so items are relabelled, reordered, recoloured or disabled, never added or deleted. */
const struct dict_type dict_types[] = {
    {"task_category", "任务类别", "Task category", 0},
    {"task_rhythm", "报送频次", "Report rhythm", 1},
    {"task_priority", "优先级", "Priority", 0},
    {"document_kind", "文件类型", "Document kind", 0},
    {"legal_service_type", "公共法律服务类型", "Legal service type", 1},
    {"legal_service_channel", "公共法律服务来源渠道", "Legal service channel", 0},
    {"petition_matter", "信访事项类别", "Petition matter type", 0},
    {"mediation_dispute_type", "矛盾纠纷类型", "Dispute type", 0},
    {"inspect_domain", "执法领域", "Enforcement domain", 0},
    {"finding_category", "督察问题类别", "Inspection finding category", 0},
};
const int n_dict_types = ENTITY_N(dict_types);

static const struct dict_type *type_by_code(const char *code) {
    for (int i = 0; code && i < n_dict_types; i++)
        if (!strcmp(dict_types[i].code, code)) return &dict_types[i];
    return NULL;
}

/* ---- seed ---- */

/* The declared options of the first field naming dictionary `type`, and its stored values
 * that are none of them (an installation's own categories): the items of a new dictionary. */
static int seed_items(struct db *db, int64_t type_id, const char *type, const char *now) {
    int order = 0, rc = DB_OK;
    const struct field *seed = NULL;
    for (int i = 0; i < entity_count_registered() && !seed; i++)
        for (int k = 0; k < entity_at(i)->n_fields && !seed; k++)
            if (entity_at(i)->fields[k].dict && !strcmp(entity_at(i)->fields[k].dict, type))
                seed = &entity_at(i)->fields[k];
    for (int o = 0; seed && o < seed->n_options && rc == DB_OK; o++) {
        const struct field_option *x = &seed->options[o];
        rc = db_exec(db,
                     "INSERT INTO dict_items (type_id, code, zh, en, sort_order, enabled, tag, "
                     "created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?)",
                     "isssisss", type_id, x->code, x->zh, x->en, (int64_t)(order += 10),
                     x->tag ? x->tag : "", now, now);
    }
    for (int i = 0; i < entity_count_registered() && rc == DB_OK; i++) {
        const struct entity *e = entity_at(i);
        for (int k = 0; k < e->n_fields && rc == DB_OK; k++) {
            const struct field *f = &e->fields[k];
            if (!f->dict || strcmp(f->dict, type) || f->sql || (f->flags & F_VIRTUAL)) continue;
            char sql[512]; /* identifiers of a static declaration */
            snprintf(sql, sizeof sql,
                     "INSERT INTO dict_items (type_id, code, zh, en, sort_order, enabled, tag, "
                     "created_at, updated_at) SELECT DISTINCT CAST(? AS BIGINT), %s, %s, %s, "
                     "CAST(? AS BIGINT), 1, '', CAST(? AS TEXT), CAST(? AS TEXT) FROM %s "
                     "WHERE %s <> '' AND %s NOT IN (SELECT code FROM dict_items WHERE type_id = ?)",
                     f->name, f->name, f->name, e->table, f->name, f->name);
            rc = db_exec(db, sql, "iissi", type_id, (int64_t)(order + 10), now, now, type_id);
        }
    }
    return rc;
}

int dict_seed(struct db *db) {
    char now[21];
    now_iso(now);
    for (int i = 0; i < entity_count_registered(); i++) /* a misspelt name fails the start */
        for (int k = 0; k < entity_at(i)->n_fields; k++)
            if (entity_at(i)->fields[k].dict && !type_by_code(entity_at(i)->fields[k].dict)) {
                log_error("entity %s: field %s names no dictionary (%s)", entity_at(i)->name,
                          entity_at(i)->fields[k].name, entity_at(i)->fields[k].dict);
                return DB_ERROR;
            }
    for (int i = 0; i < n_dict_types; i++) {
        const struct dict_type *t = &dict_types[i];
        int64_t id = 0;
        int rc = db_query_int(db, &id, "SELECT id FROM dict_types WHERE code = ?", "s", t->code);
        if (rc == DB_ROW) continue; /* seeded once: what administrators changed stays */
        if (rc != DB_DONE) return rc < 0 ? rc : DB_ERROR;
        /* two servers starting at once: the one whose row went in seeds the items */
        rc = db_query_int(db, &id,
                          "INSERT INTO dict_types (code, zh, en, fixed, created_at, updated_at) "
                          "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (code) DO NOTHING RETURNING id",
                          "sssiss", t->code, t->zh, t->en, (int64_t)t->fixed, now, now);
        if (rc == DB_DONE) continue;
        if (rc != DB_ROW) return rc < 0 ? rc : DB_ERROR;
        if ((rc = seed_items(db, id, t->code, now)) != DB_OK) return rc;
    }
    return DB_OK;
}

/* ---- dict_types ---- */

static const struct field type_fields[] = {
    {"id", FT_INT, "编号", "ID", 0, 0, F_LIST | F_READONLY},
    {"code", FT_TEXT, "字典编码", "Code", 0, 0, F_LIST | F_SORT | F_SEARCH | F_READONLY},
    {"zh", FT_TEXT, "字典名称", "Name", 0, 0, F_LIST | F_SORT | F_SEARCH | F_READONLY},
    {"en", FT_TEXT, "英文名称", "English name", 0, 0, F_LIST | F_READONLY},
    {"fixed", FT_BOOL, "固定编码", "Fixed codes", 0, 0, F_LIST | F_READONLY,
     .hint = "程序按编码工作：可改名称、顺序、颜色或停用，不能新增或删除"},
    {"item_count", FT_INT, "字典项数", "Items", 0, 0, F_LIST | F_READONLY,
     .sql = "(SELECT COUNT(*) FROM dict_items di WHERE di.type_id = dt.id)"},
    {"version", FT_INT, "版本", "Version", 0, 0, F_READONLY},
};

const struct entity entity_dict_types = {
    .name = "dict_types",
    .path = "/api/v1/dict/types",
    .zh = "字典类型",
    .en = "Dictionaries",
    .table = "dict_types",
    .alias = "dt",
    .fields = type_fields,
    .n_fields = ENTITY_N(type_fields),
    .scope = {.unscoped = "the dictionaries are the installation's, not a unit's"},
    .default_sort = "zh",
    .perm_read = &perm_dict_read,
    .audit_type = "dict_type",
};

/* ---- dict_items ---- */

static const struct field_option tag_options[] = {
    {"", "默认", "Default", ""},
    {"primary", "蓝色", "Blue", "primary"},
    {"success", "绿色", "Green", "success"},
    {"warning", "橙色", "Orange", "warning"},
    {"danger", "红色", "Red", "danger"},
    {"info", "灰色", "Grey", "info"},
};

/* The item's dictionary (id and code) and whether its codes are fixed: DB_ROW, DB_DONE when
 * there is none, or < 0. */
static int item_type(struct db *db, struct arena *a, int64_t type_id, const char **code,
                     int *fixed) {
    struct db_stmt *st =
        db_queryv(db, "SELECT code, fixed FROM dict_types WHERE id = ?", "i", type_id);
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW) {
        *code = arena_strdup(a, db_col_text(st, 0));
        *fixed = (int)db_col_int(st, 1);
    }
    db_done(st);
    return rc;
}

static int items_validate(struct entity_write *w) {
    struct db *db = w->c->db;
    int creating = !w->cur;
    json_t *tid = json_object_get(w->in, "type_id");
    const char *type = NULL;
    int fixed = 0;
    if (creating && json_is_integer(tid)) {
        int rc = item_type(db, w->c->arena, json_integer_value(tid), &type, &fixed);
        if (rc == DB_DONE)
            problem_add(w->pr, "type_id", "字典不存在", "No such dictionary");
        else if (rc != DB_ROW)
            return rc;
        else if (fixed)
            problem_add(w->pr, "type_id", "该字典的编码由程序使用，不能新增字典项",
                        "This dictionary's codes are used by the program: no item can be added");
    }
    const char *code = json_string_value(json_object_get(w->in, "code"));
    if (creating && code && json_is_integer(tid)) {
        int64_t n = 0;
        int rc =
            db_query_int(db, &n, "SELECT COUNT(*) FROM dict_items WHERE type_id = ? AND code = ?",
                         "is", (int64_t)json_integer_value(tid), code);
        if (rc != DB_ROW) return rc < 0 ? rc : DB_ERROR;
        if (n) problem_add(w->pr, "code", "该字典已有此编码", "This dictionary has this code");
    }
    if (code && strpbrk(code, " \t,，、;；"))
        problem_add(w->pr, "code", "编码不能包含空格、逗号、顿号或分号",
                    "A code may not contain spaces, commas or semicolons");
    return DB_OK;
}

static int items_remove(struct entity_write *w) {
    struct db *db = w->c->db;
    const char *type = NULL;
    int fixed = 0;
    int rc = item_type(db, w->c->arena, json_integer_value(json_object_get(w->cur, "type_id")),
                       &type, &fixed);
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERROR;
    if (fixed) {
        w->zh = "该字典的编码由程序使用，不能删除字典项，可以停用";
        w->en = "This dictionary's codes are used by the program: disable the item instead";
        return ENTITY_FORBIDDEN;
    }
    const char *code = json_string_value(json_object_get(w->cur, "code"));
    int used = 0;
    if ((rc = entity_dict_in_use(db, type, code ? code : "", &used)) != DB_OK) return rc;
    if (used) return ENTITY_IN_USE;
    if ((rc = db_exec(db, "DELETE FROM dict_items WHERE id = ?", "i", w->id)) != DB_OK) return rc;
    char oid[24];
    snprintf(oid, sizeof oid, "%lld", (long long)w->id);
    json_t *d = json_pack("{s:s,s:s}", "type", type, "code", code ? code : "");
    char *text = json_dumps(d, JSON_COMPACT);
    json_decref(d);
    rc = audit_append(db, w->actor, "dict_item.delete", "dict_item", oid, "ok", text ? text : "");
    free(text);
    return rc;
}

static const struct field item_fields[] = {
    {"id", FT_INT, "编号", "ID", 0, 0, F_LIST | F_READONLY},
    {"type_id", FT_REF, "字典", "Dictionary", 0, 0, F_REQUIRED | F_FILTER | F_CREATE | F_EXPORT,
     .ref = "dict_types"},
    {"type_name", FT_TEXT, "字典", "Dictionary", 0, 0, F_LIST | F_EXPORT | F_READONLY,
     .sql = "dt.zh"},
    {"type_code", FT_TEXT, "字典编码", "Dictionary code", 0, 0, F_READONLY, .sql = "dt.code"},
    {"code", FT_TEXT, "编码", "Code", 1, 64,
     F_REQUIRED | F_LIST | F_SORT | F_SEARCH | F_CREATE | F_EXPORT,
     .hint = "保存在记录中的值，创建后不能修改"},
    {"zh", FT_TEXT, "中文名称", "Chinese label", 1, 50,
     F_REQUIRED | F_LIST | F_SORT | F_SEARCH | F_CREATE | F_UPDATE | F_EXPORT},
    {"en", FT_TEXT, "英文名称", "English label", 0, 80,
     F_LIST | F_SEARCH | F_CREATE | F_UPDATE | F_EXPORT},
    {"sort_order", FT_INT, "排序", "Order", 0, 100000, F_LIST | F_SORT | F_CREATE | F_UPDATE},
    {"enabled", FT_BOOL, "启用", "Enabled", 0, 0,
     F_LIST | F_FILTER | F_CREATE | F_UPDATE | F_EXPORT,
     .hint = "停用后新记录不能再选，已有记录照常显示"},
    {"tag", FT_ENUM, "标签颜色", "Tag colour", 0, 0, F_LIST | F_CREATE | F_UPDATE | F_LABEL,
     tag_options, ENTITY_N(tag_options)},
    {"created_at", FT_DATETIME, "创建时间", "Created", 0, 0, F_READONLY},
    {"updated_at", FT_DATETIME, "更新时间", "Updated", 0, 0, F_SORT | F_READONLY},
    {"version", FT_INT, "版本", "Version", 0, 0, F_READONLY},
};

static const struct entity_sort item_sorts[] = {
    {"dict_order", "dt.zh, di.sort_order, di.id"},
};

const struct entity entity_dict_items = {
    .name = "dict_items",
    .path = "/api/v1/dict/items",
    .zh = "数据字典",
    .en = "Data dictionary",
    .table = "dict_items",
    .alias = "di",
    .from = "dict_items di JOIN dict_types dt ON dt.id = di.type_id",
    .filter_from = "dict_items di JOIN dict_types dt ON dt.id = di.type_id",
    .fields = item_fields,
    .n_fields = ENTITY_N(item_fields),
    .scope = {.unscoped = "the dictionaries are the installation's, not a unit's"},
    .sorts = item_sorts,
    .n_sorts = ENTITY_N(item_sorts),
    .default_sort = "dict_order",
    .per_page = 50,
    .perm_read = &perm_dict_read,
    .perm_create = &perm_dict_manage,
    .perm_update = &perm_dict_manage,
    .perm_delete = &perm_dict_manage,
    .audit_type = "dict_item",
    .export_name = "dictionary",
    .validate = items_validate,
    .remove = items_remove,
};
