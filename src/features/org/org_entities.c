/* org_entities.c — units and people as entities (features/entity): their fields with limits,
 * scope rules, filters and sorts, and the writes that the generic routes run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/crypto.h"
#include "features/org/org.h"

/* Rows leave trailing fields out: 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

extern struct perm_def perm_unit_read, perm_unit_manage, perm_person_read, perm_person_manage;

static int64_t int_of(json_t *in, const char *key, int64_t def) {
    json_t *v = json_object_get(in, key);
    return json_is_integer(v) ? (int64_t)json_integer_value(v) : def;
}

static int bool_of(json_t *in, const char *key, int def) {
    json_t *v = json_object_get(in, key);
    return json_is_boolean(v) ? json_is_true(v) : def;
}

static char *detail_text(struct arena *a, json_t *d) {
    char *s = json_dumps(d, JSON_COMPACT);
    char *out = arena_strdup(a, s ? s : "");
    free(s);
    json_decref(d);
    return out;
}

static char *oid_text(struct arena *a, int64_t id) {
    return arena_printf(a, "%lld", (long long)id);
}

/* ---- units ---- */

static int unit_exists(struct db *db, int64_t id, int *exists) {
    int64_t n = 0;
    int rc = db_query_int(db, &n, "SELECT COUNT(*) FROM units WHERE id = ?", "i", id);
    *exists = rc == DB_ROW && n > 0;
    return rc < 0 ? rc : DB_OK;
}

static int units_validate(struct entity_write *w) {
    const struct entity_ctx *c = w->c;
    const char *code = json_string_value(json_object_get(w->in, "code"));
    if (code && !unit_code_valid(code))
        problem_add(w->pr, "code", "只能使用字母、数字、_ 和 -", "Letters, digits, _ and - only");
    int64_t parent = int_of(w->in, "parent_id", 0);
    if (parent) {
        int exists = 0, rc = unit_exists(c->db, parent, &exists);
        if (rc != DB_OK) return rc;
        if (!exists || !scope_allows_unit(c->db, c->who, parent))
            problem_add(w->pr, "parent_id", "上级机构不存在", "No such parent unit");
        else if (w->cur && unit_is_descendant(c->db, w->id, parent))
            problem_add(w->pr, "parent_id", "上级机构不能是本机构或其下级",
                        "The parent cannot be the unit itself or one of its descendants");
    }
    return DB_OK;
}

/* A top-level unit is made or moved to the top only by whoever sees every unit. */
static int code_taken(struct entity_write *w, const char *code, int64_t except) {
    int64_t other = unit_id_by_code(w->c->db, code);
    if (!other || other == except) return 0;
    problem_add(w->pr, "code", "机构编码已存在", "The code is taken");
    return 1;
}

static int units_create(struct entity_write *w) {
    json_t *in = w->in;
    int64_t parent = int_of(in, "parent_id", 0);
    if (!parent && w->c->who->scope != SCOPE_ALL) return ENTITY_FORBIDDEN;
    if (code_taken(w, entity_text(in, "code"), 0)) return ENTITY_CONFLICT;
    return unit_create(w->c->db, w->actor, entity_text(in, "code"), entity_text(in, "name"),
                       entity_text(in, "short_name"), entity_text(in, "kind"), parent,
                       int_of(in, "sort_order", 0), &w->id);
}

static int units_update(struct entity_write *w) {
    struct db *db = w->c->db;
    json_t *in = w->in;
    int64_t parent = int_of(in, "parent_id", 0);
    int64_t old_parent = int_of(w->cur, "parent_id", 0);
    if (parent != old_parent && !parent && w->c->who->scope != SCOPE_ALL) return ENTITY_FORBIDDEN;
    if (code_taken(w, entity_text(in, "code"), w->id)) return ENTITY_CONFLICT;
    int rc = db_exec(db,
                     "UPDATE units SET code = ?, name = ?, short_name = ?, kind = ?, "
                     "sort_order = ? WHERE id = ?",
                     "ssssii", entity_text(in, "code"), entity_text(in, "name"),
                     entity_text(in, "short_name"), entity_text(in, "kind"),
                     int_of(in, "sort_order", 0), w->id);
    if (rc == DB_OK && parent != old_parent) rc = unit_move(db, w->id, parent);
    if (rc != DB_OK) return rc;
    json_t *d = json_pack("{s:s,s:s,s:s,s:I}", "code", entity_text(in, "code"), "name",
                          entity_text(in, "name"), "kind", entity_text(in, "kind"), "parent_id",
                          (json_int_t)parent);
    return audit_append(db, w->actor, "unit.update", "unit", oid_text(w->c->arena, w->id), "ok",
                        detail_text(w->c->arena, d));
}

static int units_remove(struct entity_write *w) {
    struct db *db = w->c->db;
    int64_t refs = 0, id = w->id;
    int rc = db_query_int(db, &refs,
                          "SELECT (SELECT COUNT(*) FROM units WHERE parent_id = ?) + "
                          "(SELECT COUNT(*) FROM people WHERE unit_id = ?) + "
                          "(SELECT COUNT(*) FROM users WHERE unit_id = ?)",
                          "iii", id, id, id);
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERROR;
    if (refs > 0) return ENTITY_IN_USE;
    rc = db_exec(db, "DELETE FROM units WHERE id = ?", "i", id);
    if (rc == DB_CONSTRAINT) return ENTITY_IN_USE; /* a reference from a table added later */
    if (rc != DB_OK) return rc;
    return audit_append(db, w->actor, "unit.delete", "unit", oid_text(w->c->arena, id), "ok", "");
}

int unit_set_active(struct db *db, const struct audit_actor *who, int64_t id, int active) {
    int rc = db_exec(db, "UPDATE units SET active = ? WHERE id = ?", "ii", (int64_t)active, id);
    char oid[24];
    snprintf(oid, sizeof oid, "%lld", (long long)id);
    if (rc == DB_OK)
        rc = audit_append(db, who, active ? "unit.activate" : "unit.deactivate", "unit", oid, "ok",
                          "");
    return rc;
}

static const struct field unit_fields[] = {
    {"id", FT_INT, "编号", "ID", 0, 0, F_LIST | F_READONLY},
    {"code", FT_TEXT, "机构编码", "Code", 1, 32,
     F_REQUIRED | F_LIST | F_SORT | F_SEARCH | F_CREATE | F_UPDATE | F_EXPORT | F_IMPORT,
     .search = "lower(u.code)", .hint = "字母、数字、_ 和 -"},
    {"name", FT_TEXT, "机构名称", "Name", 1, 100,
     F_REQUIRED | F_LIST | F_SORT | F_SEARCH | F_CREATE | F_UPDATE | F_EXPORT | F_IMPORT},
    {"short_name", FT_TEXT, "简称", "Short name", 0, 50,
     F_LIST | F_SEARCH | F_CREATE | F_UPDATE | F_EXPORT | F_IMPORT},
    {"kind", FT_ENUM, "机构类型", "Kind", 0, 0,
     F_REQUIRED | F_LIST | F_FILTER | F_SORT | F_CREATE | F_UPDATE | F_EXPORT | F_IMPORT | F_LABEL,
     unit_kinds, 10},
    /* imported by the parent's name, short name or code (a unit of an earlier import) */
    {"parent_id", FT_UNIT, "上级机构", "Parent unit", 0, 0,
     F_LIST | F_FILTER | F_CREATE | F_UPDATE | F_IMPORT, .import = "parent_unit"},
    {"parent_name", FT_TEXT, "上级机构", "Parent unit", 0, 0, F_LIST | F_EXPORT | F_READONLY,
     .sql = "p.name"},
    {"path", FT_TEXT, "路径", "Path", 0, 0, F_SORT | F_READONLY},
    {"sort_order", FT_INT, "排序", "Order", 0, 1000000,
     F_LIST | F_SORT | F_CREATE | F_UPDATE | F_EXPORT | F_IMPORT},
    {"active", FT_BOOL, "启用", "Active", 0, 0, F_LIST | F_FILTER | F_EXPORT | F_READONLY},
    {"created_at", FT_DATETIME, "创建时间", "Created", 0, 0, F_SORT | F_READONLY},
    {"updated_at", FT_DATETIME, "更新时间", "Updated", 0, 0, F_SORT | F_READONLY},
    {"version", FT_INT, "版本", "Version", 0, 0, F_READONLY},
};

static const char *const unit_import_example[] = {"sfj-fwk",  "区司法局法律服务科", "法律服务科",
                                                  "政府部门", "区司法局",           "10"};

const struct entity entity_units = {
    .name = "units",
    .path = "/api/v1/units",
    .zh = "机构",
    .en = "Units",
    .table = "units",
    .alias = "u",
    .from = "units u LEFT JOIN units p ON p.id = u.parent_id",
    .fields = unit_fields,
    .n_fields = ENTITY_N(unit_fields),
    .scope = {.unit_column = "u.id"}, /* a unit is visible inside the caller's own units */
    .default_sort = "sort_order",
    .perm_read = &perm_unit_read,
    .perm_create = &perm_unit_manage,
    .perm_update = &perm_unit_manage,
    .perm_delete = &perm_unit_manage,
    .audit_type = "unit",
    .export_name = "units",
    .import_example = unit_import_example,
    .validate = units_validate,
    .create = units_create,
    .update = units_update,
    .remove = units_remove,
};

/* The tree: every unit in scope (read through the entity layer, a chunk at a time), linked
 * to its parent; a unit whose parent is not visible becomes a root. */
json_t *unit_tree_json(struct db *db, struct arena *a, const struct principal *who, int lang,
                       int *rc) {
    struct entity_ctx c;
    if ((*rc = entity_ctx_init(&c, db, a, &entity_units, who, lang, EP_LIST)) != DB_OK) return NULL;
    struct entity_request rq = {.sort = "sort_order"};
    int64_t *ids;
    int n = 0;
    if ((*rc = entity_ids(&c, &rq, 1000000, &ids, &n)) != DB_OK) return NULL;
    static const char *const keep[] = {"id",        "code",      "name",   "short_name", "kind",
                                       "kind_name", "parent_id", "active", "sort_order", NULL};
    json_t *all = json_array(), *by_id = json_object();
    for (int at = 0; at < n && *rc == DB_OK; at += QUERY_IDS_MAX) {
        json_t *items =
            entity_items_of(&c, &rq, ids + at, n - at < QUERY_IDS_MAX ? n - at : QUERY_IDS_MAX, rc);
        size_t i;
        json_t *u;
        json_array_foreach(items, i, u) {
            json_t *node = json_object();
            for (int k = 0; keep[k]; k++)
                json_object_set(node, keep[k], json_object_get(u, keep[k]));
            json_object_set_new(node, "children", json_array());
            char key[24];
            snprintf(key, sizeof key, "%lld",
                     (long long)json_integer_value(json_object_get(u, "id")));
            json_object_set(by_id, key, node);
            json_array_append_new(all, node);
        }
        json_decref(items);
    }
    json_t *roots = json_array();
    size_t i;
    json_t *u;
    json_array_foreach(all, i, u) {
        json_t *pid = json_object_get(u, "parent_id"), *parent = NULL;
        if (json_is_integer(pid)) {
            char key[24];
            snprintf(key, sizeof key, "%lld", (long long)json_integer_value(pid));
            parent = json_object_get(by_id, key);
        }
        json_array_append(parent ? json_object_get(parent, "children") : roots, u);
    }
    json_decref(by_id);
    json_decref(all);
    if (*rc != DB_OK) {
        json_decref(roots);
        return NULL;
    }
    return roots;
}

/* ---- people ---- */

static int people_validate(struct entity_write *w) {
    const struct entity_ctx *c = w->c;
    const char *phone = json_string_value(json_object_get(w->in, "phone"));
    if (phone && *phone && !phone_valid(phone))
        problem_add(w->pr, "phone", "电话号码格式不正确", "Not a valid phone number");
    int64_t account = int_of(w->in, "user_id", 0);
    if (account) {
        int64_t n = 0;
        if (db_query_int(c->db, &n, "SELECT COUNT(*) FROM users WHERE id = ?", "i", account) !=
            DB_ROW)
            return DB_ERROR;
        if (!n) problem_add(w->pr, "user_id", "账号不存在", "No such account");
    }
    int64_t unit = int_of(w->in, "unit_id", 0);
    if (unit) {
        int exists = 0, rc = unit_exists(c->db, unit, &exists);
        if (rc != DB_OK) return rc;
        if (!exists || !scope_allows_unit(c->db, c->who, unit))
            problem_add(w->pr, "unit_id", "单位不存在", "No such unit");
    }
    return DB_OK;
}

/* people.user_id: absent = unchanged, null = none */
static int person_account(struct db *db, int64_t id, json_t *in) {
    if (!json_object_get(in, "user_id")) return DB_OK;
    int64_t u = int_of(in, "user_id", 0);
    return u ? db_exec(db, "UPDATE people SET user_id = ? WHERE id = ?", "ii", u, id)
             : db_exec(db, "UPDATE people SET user_id = NULL WHERE id = ?", "i", id);
}

static int people_create(struct entity_write *w) {
    json_t *in = w->in;
    const char *phone = json_string_value(json_object_get(in, "phone"));
    int rc = person_create(w->c->db, w->c->arena, w->actor, int_of(in, "unit_id", 0),
                           entity_text(in, "name"), entity_text(in, "position"), phone,
                           bool_of(in, "is_first_responsible", 0), bool_of(in, "is_liaison", 0),
                           int_of(in, "sort_order", 0), &w->id);
    return rc == DB_OK && int_of(in, "user_id", 0) ? person_account(w->c->db, w->id, in) : rc;
}

static int people_update(struct entity_write *w) {
    struct db *db = w->c->db;
    struct arena *a = w->c->arena;
    json_t *in = w->in;
    int first = bool_of(in, "is_first_responsible", 0), liaison = bool_of(in, "is_liaison", 0);
    /* phone: absent = unchanged, "" = removed */
    const char *phone = json_string_value(json_object_get(in, "phone"));
    int rc = db_exec(db,
                     "UPDATE people SET unit_id = ?, name = ?, position = ?, "
                     "is_first_responsible = ?, is_liaison = ?, sort_order = ?, active = ? "
                     "WHERE id = ?",
                     "issiiiii", int_of(in, "unit_id", 0), entity_text(in, "name"),
                     entity_text(in, "position"), (int64_t)first, (int64_t)liaison,
                     int_of(in, "sort_order", 0), (int64_t)bool_of(in, "active", 1), w->id);
    if (rc == DB_OK) rc = person_account(db, w->id, in);
    if (rc == DB_OK && phone) {
        if (*phone && !pii_key_current())
            rc = DB_ERROR;
        else
            rc =
                db_exec(db, "UPDATE people SET phone_enc = ?, phone_masked = ? WHERE id = ?", "ssi",
                        *phone ? pii_seal(a, pii_ad(a, "people", w->id, "phone_enc"), phone) : NULL,
                        phone_mask(a, phone), w->id);
    }
    if (rc != DB_OK) return rc;
    json_t *d = json_pack("{s:I,s:b,s:b,s:b}", "unit_id", (json_int_t)int_of(in, "unit_id", 0),
                          "is_first_responsible", first, "is_liaison", liaison, "phone_changed",
                          phone != NULL);
    return audit_append(db, w->actor, "person.update", "person", oid_text(a, w->id), "ok",
                        detail_text(a, d));
}

static int people_remove(struct entity_write *w) {
    int rc = db_exec(w->c->db, "DELETE FROM people WHERE id = ?", "i", w->id);
    if (rc != DB_OK) return rc;
    return audit_append(w->c->db, w->actor, "person.delete", "person", oid_text(w->c->arena, w->id),
                        "ok", "");
}

int person_phone_sealed(struct db *db, struct arena *a, int64_t id, const char **sealed) {
    *sealed = NULL;
    struct db_stmt *st = db_queryv(db, "SELECT phone_enc FROM people WHERE id = ?", "i", id);
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW) *sealed = arena_strdup(a, db_col_text(st, 0));
    db_done(st);
    return rc;
}

static const struct field person_fields[] = {
    {"id", FT_INT, "编号", "ID", 0, 0, F_LIST | F_READONLY},
    {"unit_id", FT_UNIT, "所属单位", "Unit", 0, 0,
     F_REQUIRED | F_LIST | F_FILTER | F_CREATE | F_UPDATE | F_IMPORT, .ref = "units",
     .import = "unit"},
    {"unit_name", FT_TEXT, "所属单位", "Unit", 0, 0, F_LIST | F_EXPORT | F_READONLY,
     .sql = "un.name"},
    {"name", FT_TEXT, "姓名", "Name", 1, 50,
     F_REQUIRED | F_LIST | F_SORT | F_SEARCH | F_CREATE | F_UPDATE | F_EXPORT | F_IMPORT},
    {"position", FT_TEXT, "职务", "Position", 0, 100,
     F_LIST | F_SEARCH | F_CREATE | F_UPDATE | F_EXPORT | F_IMPORT},
    {"phone", FT_PHONE, "电话", "Phone", 3, 20, F_LIST | F_CREATE | F_UPDATE | F_EXPORT | F_IMPORT,
     .sql = "p.phone_masked", .hint = "显示为脱敏号码；查看完整号码需要权限并记入审计日志"},
    {"is_first_responsible", FT_BOOL, "第一责任人", "First responsible", 0, 0,
     F_LIST | F_CREATE | F_UPDATE | F_EXPORT | F_IMPORT},
    {"is_liaison", FT_BOOL, "联络员", "Liaison", 0, 0,
     F_LIST | F_CREATE | F_UPDATE | F_EXPORT | F_IMPORT},
    /* the person's own account, when they sign in: what is addressed to them (a first
     * responsible person told of an escalated finding) reaches it (org module migration 1) */
    {"user_id", FT_USER, "登录账号", "Account", 0, 0, F_CREATE | F_UPDATE,
     .hint = "本人的登录账号（可不填）：升级督办等告知第一责任人的消息发送到该账号"},
    {"sort_order", FT_INT, "排序", "Order", 0, 1000000, F_LIST | F_CREATE | F_UPDATE | F_IMPORT},
    {"active", FT_BOOL, "在职", "Active", 0, 0, F_LIST | F_FILTER | F_UPDATE | F_EXPORT},
    {"created_at", FT_DATETIME, "创建时间", "Created", 0, 0, F_READONLY},
    {"updated_at", FT_DATETIME, "更新时间", "Updated", 0, 0, F_SORT | F_READONLY},
    {"version", FT_INT, "版本", "Version", 0, 0, F_READONLY},
};

static const struct entity_filter person_filters[] = {
    {"first_responsible", FT_BOOL, "第一责任人", "First responsible", "p.is_first_responsible = 1",
     "p.is_first_responsible = 0"},
    {"liaison", FT_BOOL, "联络员", "Liaison", "p.is_liaison = 1", "p.is_liaison = 0"},
};

static const struct entity_sort person_sorts[] = {
    {"sort_order", "un.sort_order, p.sort_order"},
    {"unit", "un.sort_order"},
};

static const char *const person_import_example[] = {"区司法局", "李四", "副局长", "13812345678",
                                                    "否",       "是",   "20"};

const struct entity entity_people = {
    .name = "people",
    .path = "/api/v1/people",
    .zh = "人员",
    .en = "People",
    .table = "people",
    .alias = "p",
    .from = "people p JOIN units un ON un.id = p.unit_id",
    .filter_from = "people p JOIN units un ON un.id = p.unit_id", /* sorted by the unit's order */
    .fields = person_fields,
    .n_fields = ENTITY_N(person_fields),
    .scope = {.unit_column = "p.unit_id"},
    .filters = person_filters,
    .n_filters = ENTITY_N(person_filters),
    .sorts = person_sorts,
    .n_sorts = ENTITY_N(person_sorts),
    .default_sort = "sort_order",
    .perm_read = &perm_person_read,
    .perm_create = &perm_person_manage,
    .perm_update = &perm_person_manage,
    .perm_delete = &perm_person_manage,
    .audit_type = "person",
    .export_name = "people",
    .import_example = person_import_example,
    .validate = people_validate,
    .create = people_create,
    .update = people_update,
    .remove = people_remove,
};
