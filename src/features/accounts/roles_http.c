/* roles_http.c — roles and their permissions (安全管理员). The three administrator roles are
 * fixed; business roles never receive an administrator permission. */
#include <string.h>

#include "auth/perm.h"
#include "base/timeutil.h"
#include "features/accounts/accounts.h"
#include "features/accounts/accounts_http.h"
#include "http/http.h"

#define ROLE_SELECT                                                                                \
    "SELECT r.id, r.code, r.name, r.name_en, r.scope, r.builtin, "                                 \
    "(SELECT COUNT(*) FROM users u WHERE u.role_id = r.id) AS user_count, r.created_at, "          \
    "r.updated_at, r.version FROM roles r"

static int add_permissions(struct req *r, json_t *role) {
    json_int_t id = json_integer_value(json_object_get(role, "id"));
    struct db_stmt *st = db_queryv(
        r->db, "SELECT permission FROM role_permissions WHERE role_id = ? ORDER BY permission", "i",
        (int64_t)id);
    if (!st) return DB_ERROR;
    json_t *perms = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        json_array_append_new(perms, json_string(db_col_text(st, 0)));
    db_done(st);
    json_object_set_new(role, "permissions", perms);
    const struct builtin_role *b =
        builtin_role_by_code(json_string_value(json_object_get(role, "code")));
    json_object_set_new(role, "admin", json_boolean(b && b->admin));
    return rc == DB_DONE ? DB_OK : rc;
}

void roles_list(struct req *r) {
    struct db_stmt *st = db_prepare(r->db, ROLE_SELECT " ORDER BY r.builtin DESC, r.id");
    json_t *items = json_array();
    int rc = st ? db_rows_json(st, items) : DB_ERROR;
    db_done(st);
    size_t i;
    json_t *role;
    json_array_foreach(items, i, role) if (rc == DB_OK) rc = add_permissions(r, role);
    if (rc != DB_OK) {
        json_decref(items);
        db_fail_reply(r, rc);
        return;
    }
    reply_json(r, 200,
               json_pack("{s:o,s:I}", "items", items, "total", (json_int_t)json_array_size(items)));
}

static json_t *role_or_reply(struct req *r, int64_t id) {
    struct db_stmt *st = db_queryv(r->db, ROLE_SELECT " WHERE r.id = ?", "i", id);
    int rc = st ? db_step(st) : DB_ERROR;
    json_t *role = rc == DB_ROW ? db_row_json(st) : NULL;
    db_done(st);
    if (rc < 0)
        db_fail_reply(r, rc);
    else if (!role)
        reply_error(r, ERR_NOT_FOUND, NULL);
    else if ((rc = add_permissions(r, role)) != DB_OK) {
        json_decref(role);
        db_fail_reply(r, rc);
        return NULL;
    }
    return role;
}

void roles_get(struct req *r) {
    int64_t id;
    if (req_id_or_reply(r, 0, &id)) return;
    json_t *role = role_or_reply(r, id);
    if (role) reply_json(r, 200, role);
}

void permissions_list(struct req *r) {
    json_t *items = json_array();
    for (int i = 0; i < perm_count(); i++) {
        const struct perm_def *d = perm_at(i);
        json_array_append_new(items, json_pack("{s:s,s:s,s:s,s:s,s:b}", "code", d->code, "name",
                                               d->name, "name_en", d->name_en, "group", d->group,
                                               "admin", d->admin));
    }
    reply_json(r, 200, json_pack("{s:o,s:i}", "items", items, "total", perm_count()));
}

/* Validate name, scope and permissions shared by create and update. */
static void role_fields(struct form *f, const char **name, const char **name_en, enum scope *scope,
                        json_t **perms) {
    *name = form_text(f, "name", 1, 1, 30);
    *name_en = form_text(f, "name_en", 0, 0, 60);
    const char *s = form_text(f, "scope", 1, 1, 10);
    if (s && scope_parse(s, scope) != 0)
        form_error(f, "scope", "须为 own、subtree 或 all", "Must be own, subtree or all");
    *perms = json_object_get(f->body, "permissions");
    if (!json_is_array(*perms)) {
        form_error(f, "permissions", "须为权限编码列表", "Must be a list of permission codes");
        return;
    }
    if (json_array_size(*perms) > 64) {
        form_error(f, "permissions", "权限过多", "Too many permissions");
        return;
    }
    size_t i;
    json_t *p;
    json_array_foreach(*perms, i, p) {
        const struct perm_def *d = json_is_string(p) ? perm_by_code(json_string_value(p)) : NULL;
        if (!d)
            form_error(f, "permissions", "包含未知的权限", "Contains an unknown permission");
        else if (d->admin)
            form_error(f, "permissions", "业务角色不能包含三员权限",
                       "A business role cannot hold an administrator permission");
    }
}

static int write_permissions(struct req *r, int64_t role_id, json_t *perms) {
    int rc = db_exec(r->db, "DELETE FROM role_permissions WHERE role_id = ?", "i", role_id);
    size_t i;
    json_t *p;
    json_array_foreach(perms, i, p) {
        if (rc != DB_OK) break;
        int64_t dup = 0;
        db_query_int(r->db, &dup,
                     "SELECT COUNT(*) FROM role_permissions WHERE role_id = ? AND permission = ?",
                     "is", role_id, json_string_value(p));
        if (!dup)
            rc = db_exec(r->db, "INSERT INTO role_permissions (role_id, permission) VALUES (?, ?)",
                         "is", role_id, json_string_value(p));
    }
    return rc;
}

void roles_create(struct req *r) {
    json_t *body;
    if (req_json_or_reply(r, &body)) return;
    struct form f;
    form_init(&f, r, body);
    const char *code = form_text(&f, "code", 1, 2, 32), *name, *name_en;
    enum scope scope = SCOPE_OWN;
    json_t *perms;
    if (code) {
        for (const char *p = code; *p; p++)
            if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_')) {
                form_error(&f, "code", "只能使用小写字母、数字和下划线",
                           "Lower-case letters, digits and _ only");
                break;
            }
    }
    role_fields(&f, &name, &name_en, &scope, &perms);
    if (form_ok_or_reply(&f)) return;
    if (role_id_by_code(r->db, code)) {
        reply_field_error(r, ERR_CONFLICT, "code", "角色编码已存在", "The code is taken");
        return;
    }
    char now[21];
    now_iso(now);
    if (tx_begin_or_reply(r)) return;
    int rc = db_exec(r->db,
                     "INSERT INTO roles (code, name, name_en, scope, builtin, created_at, "
                     "updated_at) VALUES (?, ?, ?, ?, 0, ?, ?)",
                     "ssssss", code, name, name_en, scope_code(scope), now, now);
    int64_t id = rc == DB_OK ? role_id_by_code(r->db, code) : 0;
    if (rc == DB_OK) rc = write_permissions(r, id, perms);
    if (rc != DB_OK) {
        db_fail_reply(r, rc);
        return;
    }
    if (audit_or_reply(r, "role.create", "role", id,
                       json_pack("{s:s,s:s,s:O}", "code", code, "scope", scope_code(scope),
                                 "permissions", perms)))
        return;
    if (tx_commit_or_reply(r)) return;
    json_t *role = role_or_reply(r, id);
    if (role) reply_json(r, 201, role);
}

/* 403 when the role is one of the three administrators'. */
static int role_editable_or_reply(struct req *r, json_t *role) {
    const struct builtin_role *b =
        builtin_role_by_code(json_string_value(json_object_get(role, "code")));
    if (b && b->admin) {
        reply_error_msg(r, ERR_FORBIDDEN, "三员角色不能修改",
                        "The administrator roles cannot be changed");
        return -1;
    }
    return 0;
}

void roles_update(struct req *r) {
    int64_t id;
    json_t *body;
    if (req_id_or_reply(r, 0, &id) || req_json_or_reply(r, &body)) return;
    json_t *cur = role_or_reply(r, id);
    if (!cur) return;
    int bad = role_editable_or_reply(r, cur);
    json_decref(cur);
    if (bad) return;
    struct form f;
    form_init(&f, r, body);
    const char *name, *name_en;
    enum scope scope = SCOPE_OWN;
    json_t *perms;
    role_fields(&f, &name, &name_en, &scope, &perms);
    int64_t version = form_version(&f);
    if (form_ok_or_reply(&f)) return;
    if (tx_begin_or_reply(r)) return;
    if (version_bump_or_reply(r, "roles", id, version)) return;
    int rc = db_exec(r->db, "UPDATE roles SET name = ?, name_en = ?, scope = ? WHERE id = ?",
                     "sssi", name, name_en, scope_code(scope), id);
    if (rc == DB_OK) rc = write_permissions(r, id, perms);
    if (rc != DB_OK) {
        db_fail_reply(r, rc);
        return;
    }
    if (audit_or_reply(r, "role.update", "role", id,
                       json_pack("{s:s,s:O}", "scope", scope_code(scope), "permissions", perms)))
        return;
    if (tx_commit_or_reply(r)) return;
    json_t *role = role_or_reply(r, id);
    if (role) reply_json(r, 200, role);
}

void roles_delete(struct req *r) {
    int64_t id, version = 0;
    if (req_id_or_reply(r, 0, &id) ||
        req_query_int_or_reply(r, "version", 1, INT64_MAX / 2, &version, NULL))
        return;
    json_t *cur = role_or_reply(r, id);
    if (!cur) return;
    int bad = role_editable_or_reply(r, cur);
    json_int_t users = json_integer_value(json_object_get(cur, "user_count"));
    int builtin = json_is_true(json_object_get(cur, "builtin"));
    json_decref(cur);
    if (bad) return;
    if (!version) {
        reply_field_error(r, ERR_INVALID, "version", "必填", "Required");
        return;
    }
    if (users > 0) {
        reply_error(r, ERR_IN_USE, NULL);
        return;
    }
    if (builtin) {
        reply_error_msg(r, ERR_FORBIDDEN, "内置角色不能删除", "Built-in roles cannot be deleted");
        return;
    }
    if (tx_begin_or_reply(r)) return;
    if (version_bump_or_reply(r, "roles", id, version)) return;
    int rc = db_exec(r->db, "DELETE FROM role_permissions WHERE role_id = ?", "i", id);
    if (rc == DB_OK) rc = db_exec(r->db, "DELETE FROM roles WHERE id = ?", "i", id);
    if (rc != DB_OK) {
        db_fail_reply(r, rc);
        return;
    }
    if (audit_or_reply(r, "role.delete", "role", id, NULL)) return;
    if (tx_commit_or_reply(r)) return;
    reply_ok(r);
}
