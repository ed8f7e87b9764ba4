/* units_http.c — the unit tree (机构管理). */
#include <string.h>

#include "features/org/org.h"
#include "features/org/org_http.h"
#include "http/http.h"

#define UNIT_SELECT                                                                                \
    "SELECT u.id, u.code, u.name, u.short_name, u.kind, u.parent_id, p.name AS parent_name, "      \
    "u.path, u.sort_order, u.active, u.created_at, u.updated_at, u.version "                       \
    "FROM units u LEFT JOIN units p ON p.id = u.parent_id WHERE 1 = 1"

static void add_kind_name(struct req *r, json_t *unit) {
    const struct unit_kind *k = unit_kind_by_code(json_string_value(json_object_get(unit, "kind")));
    json_object_set_new(unit, "kind_name", json_string(k ? tr(r, k->name, k->name_en) : ""));
}

void unit_kinds_list(struct req *r) {
    json_t *items = json_array();
    for (int i = 0; i < unit_kind_count; i++)
        json_array_append_new(items,
                              json_pack("{s:s,s:s,s:s}", "code", unit_kinds[i].code, "name",
                                        unit_kinds[i].name, "name_en", unit_kinds[i].name_en));
    reply_json(r, 200, json_pack("{s:o,s:i}", "items", items, "total", unit_kind_count));
}

static const struct sort_key unit_sorts[] = {{"sort_order", "u.sort_order"},
                                             {"code", "u.code"},
                                             {"name", "u.name"},
                                             {"kind", "u.kind"},
                                             {"updated_at", "u.updated_at"},
                                             {"created_at", "u.created_at"},
                                             {"path", "u.path"},
                                             {NULL, NULL}};

void units_list(struct req *r) {
    struct page pg;
    const char *q, *kind, *order;
    int active = 0, has_active = 0, has_parent = 0;
    int64_t parent = 0;
    if (req_page_or_reply(r, &pg) || req_query_text_or_reply(r, "q", 50, &q) ||
        req_query_text_or_reply(r, "kind", 20, &kind) ||
        req_query_bool_or_reply(r, "active", &active, &has_active) ||
        req_query_int_or_reply(r, "parent_id", 1, INT64_MAX / 2, &parent, &has_parent) ||
        req_sort_or_reply(r, unit_sorts, "sort_order", &order))
        return;
    struct query cnt, rows;
    query_init(&cnt, r->arena, "SELECT COUNT(*) FROM units u WHERE 1 = 1");
    query_init(&rows, r->arena, UNIT_SELECT);
    struct query *both[] = {&cnt, &rows};
    for (int i = 0; i < 2; i++) {
        struct query *x = both[i];
        scope_filter(x, &r->who, "u.id");
        if (q) {
            char *like = query_contains(r->arena, q);
            query_add(x,
                      " AND (u.name" QUERY_LIKE " OR u.short_name" QUERY_LIKE
                      " OR lower(u.code)" QUERY_LIKE ")",
                      "sss", like, like, like);
        }
        if (kind) query_add(x, " AND u.kind = ?", "s", kind);
        if (has_active) query_add(x, " AND u.active = ?", "i", (int64_t)active);
        if (has_parent) query_add(x, " AND u.parent_id = ?", "i", parent);
    }
    query_add(&rows, arena_printf(r->arena, " ORDER BY %s, u.id LIMIT ? OFFSET ?", order), "ii",
              pg.per_page, pg.offset);
    int rc;
    json_t *out = query_list_json(r, &cnt, &rows, &rc);
    if (!out) {
        db_fail_reply(r, rc);
        return;
    }
    size_t i;
    json_t *u;
    json_array_foreach(json_object_get(out, "items"), i, u) add_kind_name(r, u);
    reply_json(r, 200, out);
}

void units_tree(struct req *r) {
    struct query q;
    query_init(&q, r->arena,
               "SELECT u.id, u.code, u.name, u.short_name, u.kind, u.parent_id, u.active, "
               "u.sort_order FROM units u WHERE 1 = 1");
    scope_filter(&q, &r->who, "u.id");
    query_add(&q, " ORDER BY u.sort_order, u.id", "");
    struct db_stmt *st = query_prepare(r->db, &q);
    json_t *all = json_array();
    int rc = st ? db_rows_json(st, all) : DB_ERROR;
    db_done(st);
    if (rc != DB_OK) {
        json_decref(all);
        db_fail_reply(r, rc);
        return;
    }
    /* Link children to parents; a unit whose parent is not visible becomes a root. */
    size_t n = json_array_size(all), i;
    json_t *u;
    json_t *by_id = json_object();
    json_array_foreach(all, i, u) {
        add_kind_name(r, u);
        json_object_set_new(u, "children", json_array());
        char key[24];
        snprintf(key, sizeof key, "%lld", (long long)json_integer_value(json_object_get(u, "id")));
        json_object_set(by_id, key, u);
    }
    json_t *roots = json_array();
    for (i = 0; i < n; i++) {
        u = json_array_get(all, i);
        json_t *pid = json_object_get(u, "parent_id");
        json_t *parent = NULL;
        if (json_is_integer(pid)) {
            char key[24];
            snprintf(key, sizeof key, "%lld", (long long)json_integer_value(pid));
            parent = json_object_get(by_id, key);
        }
        json_array_append(parent ? json_object_get(parent, "children") : roots, u);
    }
    json_decref(by_id);
    json_decref(all);
    reply_json(r, 200, json_pack("{s:o}", "items", roots));
}

static json_t *unit_or_reply(struct req *r, int64_t id) {
    struct query q;
    query_init(&q, r->arena, UNIT_SELECT);
    query_add(&q, " AND u.id = ?", "i", id);
    scope_filter(&q, &r->who, "u.id");
    json_t *u = query_row_or_reply(r, &q);
    if (u) add_kind_name(r, u);
    return u;
}

void units_get(struct req *r) {
    int64_t id;
    if (req_id_or_reply(r, 0, &id)) return;
    json_t *u = unit_or_reply(r, id);
    if (u) reply_json(r, 200, u);
}

struct unit_input {
    const char *code, *name, *short_name, *kind;
    int64_t parent_id, sort_order;
};

static void unit_fields(struct req *r, struct form *f, struct unit_input *in) {
    in->code = form_text(f, "code", 1, 1, 32);
    in->name = form_text(f, "name", 1, 1, 100);
    in->short_name = form_text(f, "short_name", 0, 0, 50);
    in->kind = form_text(f, "kind", 1, 1, 20);
    in->parent_id = form_int(f, "parent_id", 0, 1, INT64_MAX / 2, 0);
    in->sort_order = form_int(f, "sort_order", 0, 0, 1000000, 0);
    if (in->code && !unit_code_valid(in->code))
        form_error(f, "code", "只能使用字母、数字、_ 和 -", "Letters, digits, _ and - only");
    if (in->kind && !unit_kind_by_code(in->kind))
        form_error(f, "kind", "机构类型无效", "Unknown unit kind");
    if (in->parent_id) {
        int64_t n = 0;
        if (db_query_int(r->db, &n, "SELECT COUNT(*) FROM units WHERE id = ?", "i",
                         in->parent_id) != DB_ROW ||
            !n || !scope_allows_unit(r->db, &r->who, in->parent_id))
            form_error(f, "parent_id", "上级机构不存在", "No such parent unit");
    }
}

static int code_taken_or_reply(struct req *r, const char *code, int64_t except) {
    int64_t other = unit_id_by_code(r->db, code);
    if (!other || other == except) return 0;
    reply_field_error(r, ERR_CONFLICT, "code", "机构编码已存在", "The code is taken");
    return -1;
}

void units_create(struct req *r) {
    json_t *body;
    if (req_json_or_reply(r, &body)) return;
    struct form f;
    form_init(&f, r, body);
    struct unit_input in;
    unit_fields(r, &f, &in);
    if (form_ok_or_reply(&f)) return;
    if (!in.parent_id && r->who.scope != SCOPE_ALL) {
        reply_error(r, ERR_FORBIDDEN, NULL);
        return;
    }
    if (code_taken_or_reply(r, in.code, 0)) return;
    if (tx_begin_or_reply(r)) return;
    int64_t id = 0;
    int rc = unit_create(r->db, &r->actor, in.code, in.name, in.short_name, in.kind, in.parent_id,
                         in.sort_order, &id);
    if (rc != DB_OK) {
        db_fail_reply(r, rc);
        return;
    }
    if (tx_commit_or_reply(r)) return;
    json_t *u = unit_or_reply(r, id);
    if (u) reply_json(r, 201, u);
}

void units_update(struct req *r) {
    int64_t id;
    json_t *body;
    if (req_id_or_reply(r, 0, &id) || req_json_or_reply(r, &body)) return;
    json_t *cur = unit_or_reply(r, id);
    if (!cur) return;
    json_int_t old_parent = json_integer_value(json_object_get(cur, "parent_id"));
    json_decref(cur);
    struct form f;
    form_init(&f, r, body);
    struct unit_input in;
    unit_fields(r, &f, &in);
    int64_t version = form_version(&f);
    if (in.parent_id && unit_is_descendant(r->db, id, in.parent_id))
        form_error(&f, "parent_id", "上级机构不能是本机构或其下级",
                   "The parent cannot be the unit itself or one of its descendants");
    if (form_ok_or_reply(&f)) return;
    if (in.parent_id != old_parent && r->who.scope != SCOPE_ALL && !in.parent_id) {
        reply_error(r, ERR_FORBIDDEN, NULL);
        return;
    }
    if (code_taken_or_reply(r, in.code, id)) return;
    if (tx_begin_or_reply(r)) return;
    if (version_bump_or_reply(r, "units", id, version)) return;
    int rc = db_exec(r->db,
                     "UPDATE units SET code = ?, name = ?, short_name = ?, kind = ?, "
                     "sort_order = ? WHERE id = ?",
                     "ssssii", in.code, in.name, in.short_name, in.kind, in.sort_order, id);
    if (rc == DB_OK && in.parent_id != old_parent) rc = unit_move(r->db, id, in.parent_id);
    if (rc != DB_OK) {
        db_fail_reply(r, rc);
        return;
    }
    if (audit_or_reply(r, "unit.update", "unit", id,
                       json_pack("{s:s,s:s,s:s,s:I}", "code", in.code, "name", in.name, "kind",
                                 in.kind, "parent_id", (json_int_t)in.parent_id)))
        return;
    if (tx_commit_or_reply(r)) return;
    json_t *u = unit_or_reply(r, id);
    if (u) reply_json(r, 200, u);
}

static void units_set_active(struct req *r, int active) {
    int64_t id;
    json_t *body;
    if (req_id_or_reply(r, 0, &id) || req_json_or_reply(r, &body)) return;
    json_t *cur = unit_or_reply(r, id);
    if (!cur) return;
    json_decref(cur);
    struct form f;
    form_init(&f, r, body);
    int64_t version = form_version(&f);
    if (form_ok_or_reply(&f)) return;
    if (tx_begin_or_reply(r)) return;
    if (version_bump_or_reply(r, "units", id, version)) return;
    int rc = db_exec(r->db, "UPDATE units SET active = ? WHERE id = ?", "ii", (int64_t)active, id);
    if (rc != DB_OK) {
        db_fail_reply(r, rc);
        return;
    }
    if (audit_or_reply(r, active ? "unit.activate" : "unit.deactivate", "unit", id, NULL)) return;
    if (tx_commit_or_reply(r)) return;
    json_t *u = unit_or_reply(r, id);
    if (u) reply_json(r, 200, u);
}

void units_deactivate(struct req *r) {
    units_set_active(r, 0);
}
void units_activate(struct req *r) {
    units_set_active(r, 1);
}

void units_delete(struct req *r) {
    int64_t id, version = 0;
    int has_version = 0;
    if (req_id_or_reply(r, 0, &id) ||
        req_query_int_or_reply(r, "version", 1, INT64_MAX / 2, &version, &has_version))
        return;
    json_t *cur = unit_or_reply(r, id);
    if (!cur) return;
    json_decref(cur);
    if (!has_version) {
        reply_field_error(r, ERR_INVALID, "version", "必填", "Required");
        return;
    }
    if (tx_begin_or_reply(r)) return;
    if (version_bump_or_reply(r, "units", id, version)) return;
    int64_t refs = 0;
    int rc = db_query_int(r->db, &refs,
                          "SELECT (SELECT COUNT(*) FROM units WHERE parent_id = ?) + "
                          "(SELECT COUNT(*) FROM people WHERE unit_id = ?) + "
                          "(SELECT COUNT(*) FROM users WHERE unit_id = ?)",
                          "iii", id, id, id);
    if (rc != DB_ROW) {
        db_fail_reply(r, rc);
        return;
    }
    if (refs > 0) {
        db_rollback(r->db);
        reply_error(r, ERR_IN_USE, NULL);
        return;
    }
    rc = db_exec(r->db, "DELETE FROM units WHERE id = ?", "i", id);
    if (rc != DB_OK) {
        /* A reference from a table added later still blocks the delete. */
        if (rc == DB_CONSTRAINT) {
            db_rollback(r->db);
            reply_error(r, ERR_IN_USE, NULL);
            return;
        }
        db_fail_reply(r, rc);
        return;
    }
    if (audit_or_reply(r, "unit.delete", "unit", id, NULL)) return;
    if (tx_commit_or_reply(r)) return;
    reply_ok(r);
}
