/* accounts_entities.c — accounts and roles as entities (features/entity): lists and reads go
 * through the entity layer; their writes keep their own routes (the 三员分立 rule, generated
 * passwords), which check the input with the same declaration. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/perm.h"
#include "base/timeutil.h"
#include "features/accounts/accounts.h"

/* Rows leave trailing fields out: 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

/* ---- users ---- */

/* What the caller may do to each account (account_action_refusal: no query), so the UI shows
 * only the buttons the server accepts: "allowed_actions": ["update", "lock", …]. */
static int users_decorate(const struct entity_ctx *c, json_t *items) {
    size_t i;
    json_t *u;
    json_array_foreach(items, i, u) {
        int64_t id = (int64_t)json_integer_value(json_object_get(u, "id"));
        const char *role = json_string_value(json_object_get(u, "role"));
        json_t *a = json_array();
        for (int k = 0; k < ACCOUNT_ACTION_COUNT; k++)
            if (!account_action_refusal(c->db, c->who, id, role, (enum account_action)k))
                json_array_append_new(a, json_string(account_action_codes[k]));
        json_object_set_new(u, "allowed_actions", a);
    }
    return DB_OK;
}

/* The unit must exist, be active and lie inside the caller's scope. */
static int users_validate(struct entity_write *w) {
    const char *username = json_string_value(json_object_get(w->in, "username"));
    if (username && !username_valid(username))
        problem_add(w->pr, "username", "只能使用小写字母、数字和 _ . -，以字母或数字开头",
                    "Lower-case letters, digits and _ . - only, starting with a letter or digit");
    /* an import's row: a taken user name too (the form's POST answers 409 for it) */
    if (w->importing && username && account_id_by_username(w->c->db, username))
        problem_add(w->pr, "username", "用户名已存在", "The user name is taken");
    json_t *unit = json_object_get(w->in, "unit_id");
    if (!json_is_integer(unit)) return DB_OK;
    int64_t active = 0, id = json_integer_value(unit);
    int rc = db_query_int(w->c->db, &active, "SELECT active FROM units WHERE id = ?", "i", id);
    if (rc < 0) return rc;
    if (rc != DB_ROW || !scope_allows_unit(w->c->db, w->c->who, id))
        problem_add(w->pr, "unit_id", "单位不存在", "No such unit");
    else if (!active)
        problem_add(w->pr, "unit_id", "单位已停用", "The unit is deactivated");
    return DB_OK;
}

/* One imported account, made as POST /users makes one without a password: a generated initial
 * password the user must change at the first sign-in, told once in the import's answer (never
 * in an export). The role is granted afterwards by 安全管理员 (三员分立). */
static int users_import_create(struct entity_write *w) {
    const char *username = json_string_value(json_object_get(w->in, "username"));
    char password[130];
    password_generate_for(w->c->db, password, sizeof password);
    int rc = account_create(
        w->c->db, w->actor, username, json_string_value(json_object_get(w->in, "display_name")),
        json_integer_value(json_object_get(w->in, "unit_id")), NULL, password, 1, &w->id);
    if (rc == DB_CONSTRAINT) { /* the same user name twice in one file */
        problem_add(w->pr, "username", "用户名已存在", "The user name is taken");
        return ENTITY_CONFLICT;
    }
    if (rc == DB_OK)
        w->answer = json_pack("{s:s,s:s}", "username", username, "initial_password", password);
    return rc;
}

static void filter_role(const struct entity_ctx *c, struct query *q, const char *value) {
    (void)c;
    if (!strcmp(value, "none"))
        query_add(q, " AND u.role_id IS NULL", "");
    else
        query_add(q, " AND r.code = ?", "s", value);
}

static const struct field user_fields[] = {
    {"id", FT_INT, "编号", "ID", 0, 0, F_LIST | F_READONLY},
    {"username", FT_TEXT, "用户名", "User name", 3, 32,
     F_REQUIRED | F_LIST | F_SORT | F_SEARCH | F_CREATE | F_EXPORT | F_IMPORT,
     .search = "lower(u.username)", .hint = "小写字母、数字和 _ . -，以字母或数字开头"},
    {"display_name", FT_TEXT, "姓名", "Name", 1, 50,
     F_REQUIRED | F_LIST | F_SORT | F_SEARCH | F_CREATE | F_UPDATE | F_EXPORT | F_IMPORT},
    {"unit_id", FT_UNIT, "所属单位", "Unit", 0, 0,
     F_REQUIRED | F_FILTER | F_CREATE | F_UPDATE | F_IMPORT, .ref = "units", .import = "unit"},
    {"unit_name", FT_TEXT, "所属单位", "Unit", 0, 0, F_LIST | F_EXPORT | F_READONLY,
     .sql = "un.name"},
    {"role", FT_TEXT, "角色编码", "Role code", 0, 0, F_READONLY, .sql = "r.code"},
    {"role_name", FT_TEXT, "角色", "Role", 0, 0, F_LIST | F_EXPORT | F_READONLY, .sql = "r.name"},
    {"locked", FT_BOOL, "已锁定", "Locked", 0, 0, F_LIST | F_FILTER | F_EXPORT | F_READONLY},
    {"must_change_password", FT_BOOL, "须修改密码", "Must change password", 0, 0, F_READONLY},
    {"failed_count", FT_INT, "登录失败次数", "Failed sign-ins", 0, 0, F_LIST | F_READONLY,
     .sql = "COALESCE(t.failures, 0)"},
    {"last_login_at", FT_DATETIME, "最近登录", "Last sign-in", 0, 0,
     F_LIST | F_SORT | F_EXPORT | F_READONLY},
    {"created_at", FT_DATETIME, "创建时间", "Created", 0, 0, F_SORT | F_READONLY},
    {"updated_at", FT_DATETIME, "更新时间", "Updated", 0, 0, F_SORT | F_READONLY},
    {"version", FT_INT, "版本", "Version", 0, 0, F_READONLY},
    {"allowed_actions", FT_JSON, "可执行操作", "Allowed actions", 0, 0, F_VIRTUAL | F_READONLY},
};

static const struct entity_filter user_filters[] = {
    {"role", FT_TEXT, "角色", "Role", .max = 32, .apply = filter_role},
};

static const struct entity_sort user_sorts[] = {
    {"unit", "un.sort_order"},
};

static const char *const user_import_example[] = {"zhangsan", "张三", "区司法局"};

#define USER_JOINS                                                                                 \
    "users u JOIN units un ON un.id = u.unit_id LEFT JOIN roles r ON r.id = u.role_id"

const struct entity entity_users = {
    .name = "users",
    .path = "/api/v1/users",
    .zh = "账号",
    .en = "Accounts",
    .table = "users",
    .alias = "u",
    .from = USER_JOINS " LEFT JOIN (SELECT user_id, SUM(failures) AS failures "
                       "FROM login_throttle WHERE user_id IS NOT NULL GROUP BY user_id) t "
                       "ON t.user_id = u.id",
    .filter_from = USER_JOINS, /* the role filter and the unit order */
    .fields = user_fields,
    .n_fields = ENTITY_N(user_fields),
    .scope = {.unit_column = "u.unit_id"},
    .filters = user_filters,
    .n_filters = ENTITY_N(user_filters),
    .sorts = user_sorts,
    .n_sorts = ENTITY_N(user_sorts),
    .default_sort = "username",
    .perm_read = &perm_user_read,
    .perm_create = &perm_user_manage,
    .perm_update = &perm_user_manage,
    /* created with a generated password, changed under the 三员分立 rule: users_http.c */
    .own = ENTITY_OWN_CREATE | ENTITY_OWN_UPDATE,
    .audit_type = "user",
    .export_name = "users",
    .decorate = users_decorate,
    .validate = users_validate,
    .create = users_import_create, /* imports only: POST /users is users_http.c */
    .import_example = user_import_example,
};

int account_update(struct db *db, const struct audit_actor *who, int64_t id,
                   const char *display_name, int64_t unit_id) {
    int rc = db_exec(db, "UPDATE users SET display_name = ?, unit_id = ? WHERE id = ?", "sii",
                     display_name, unit_id, id);
    if (rc != DB_OK) return rc;
    json_t *d =
        json_pack("{s:s,s:I}", "display_name", display_name, "unit_id", (json_int_t)unit_id);
    char *detail = json_dumps(d, JSON_COMPACT), oid[24];
    json_decref(d);
    snprintf(oid, sizeof oid, "%lld", (long long)id);
    rc = audit_append(db, who, "user.update", "user", oid, "ok", detail ? detail : "");
    free(detail);
    return rc;
}

/* ---- roles ---- */

static const struct field_option scope_options[] = {
    {"own", "本单位", "Own unit", ""},
    {"subtree", "本单位及下级", "Unit and below", ""},
    {"all", "全部", "All units", ""},
};

/* Each role's permissions (one query for the page) and whether it is an administrator's. */
static int roles_decorate(const struct entity_ctx *c, json_t *items) {
    int n = (int)json_array_size(items);
    int64_t *ids = arena_alloc(c->arena, (size_t)n * sizeof(int64_t));
    json_t *by_id = json_object();
    for (int i = 0; i < n; i++) {
        json_t *role = json_array_get(items, (size_t)i);
        ids[i] = json_integer_value(json_object_get(role, "id"));
        json_object_set_new(role, "permissions", json_array());
        const struct builtin_role *b =
            builtin_role_by_code(json_string_value(json_object_get(role, "code")));
        json_object_set_new(role, "admin", json_boolean(b && b->admin));
        char key[24];
        snprintf(key, sizeof key, "%lld", (long long)ids[i]);
        json_object_set(by_id, key, role);
    }
    struct query q;
    query_init(&q, c->arena, "SELECT role_id, permission FROM role_permissions WHERE role_id");
    query_add_ids(&q, ids, n);
    query_add(&q, " ORDER BY role_id, permission", "");
    struct db_stmt *st = query_prepare(c->db, &q);
    int rc = DB_ERROR;
    while (st && (rc = db_step(st)) == DB_ROW) {
        char key[24];
        snprintf(key, sizeof key, "%lld", (long long)db_col_int(st, 0));
        json_t *role = json_object_get(by_id, key);
        if (role)
            json_array_append_new(json_object_get(role, "permissions"),
                                  json_string(db_col_text(st, 1)));
    }
    db_done(st);
    json_decref(by_id);
    return rc == DB_DONE ? DB_OK : rc < 0 ? rc : DB_ERROR;
}

static int roles_validate(struct entity_write *w) {
    const char *code = json_string_value(json_object_get(w->in, "code"));
    for (const char *p = code; p && *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_')) {
            problem_add(w->pr, "code", "只能使用小写字母、数字和下划线",
                        "Lower-case letters, digits and _ only");
            break;
        }
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(w->in, "permissions"), i, p) {
        const struct perm_def *d = perm_by_code(json_string_value(p));
        if (!d)
            problem_add(w->pr, "permissions", "包含未知的权限", "Contains an unknown permission");
        else if (d->admin)
            problem_add(w->pr, "permissions", "业务角色不能包含三员权限",
                        "A business role cannot hold an administrator permission");
    }
    return DB_OK;
}

static const struct field role_fields[] = {
    {"id", FT_INT, "编号", "ID", 0, 0, F_LIST | F_READONLY},
    {"code", FT_TEXT, "角色编码", "Code", 2, 32, F_REQUIRED | F_LIST | F_SEARCH | F_CREATE,
     .hint = "小写字母、数字和下划线"},
    {"name", FT_TEXT, "角色名称", "Name", 1, 30,
     F_REQUIRED | F_LIST | F_SEARCH | F_CREATE | F_UPDATE},
    {"name_en", FT_TEXT, "英文名称", "English name", 0, 60, F_LIST | F_CREATE | F_UPDATE},
    {"scope", FT_ENUM, "数据范围", "Data scope", 0, 0,
     F_REQUIRED | F_LIST | F_FILTER | F_CREATE | F_UPDATE, scope_options, ENTITY_N(scope_options)},
    {"builtin", FT_BOOL, "内置", "Built-in", 0, 0, F_LIST | F_SORT | F_READONLY},
    {"user_count", FT_INT, "账号数", "Accounts", 0, 0, F_LIST | F_READONLY,
     .sql = "(SELECT COUNT(*) FROM users u WHERE u.role_id = r.id)"},
    {"permissions", FT_TEXT, "权限", "Permissions", 1, 64,
     F_REQUIRED | F_MULTI | F_VIRTUAL | F_CREATE | F_UPDATE, .max_items = 64},
    {"admin", FT_BOOL, "三员角色", "Administrator role", 0, 0, F_VIRTUAL | F_READONLY},
    {"created_at", FT_DATETIME, "创建时间", "Created", 0, 0, F_READONLY},
    {"updated_at", FT_DATETIME, "更新时间", "Updated", 0, 0, F_READONLY},
    {"version", FT_INT, "版本", "Version", 0, 0, F_READONLY},
};

const struct entity entity_roles = {
    .name = "roles",
    .path = "/api/v1/roles",
    .zh = "角色",
    .en = "Roles",
    .table = "roles",
    .alias = "r",
    .fields = role_fields,
    .n_fields = ENTITY_N(role_fields),
    .scope = {.unscoped = "角色是全系统的权限定义，不属于哪个单位；查看角色需要 role.read "
                          "（系统管理员、安全管理员）"},
    .default_sort = "-builtin",
    .per_page = 200, /* every role on one page, as before the list had pages */
    .perm_read = &perm_role_read,
    .perm_create = &perm_role_manage,
    .perm_update = &perm_role_manage,
    .perm_delete = &perm_role_manage,
    /* built-in and administrator roles are guarded: roles_http.c */
    .own = ENTITY_OWN_CREATE | ENTITY_OWN_UPDATE | ENTITY_OWN_DELETE,
    .audit_type = "role",
    .decorate = roles_decorate,
    .validate = roles_validate,
};

static int write_permissions(struct db *db, int64_t role_id, json_t *perms) {
    int rc = db_exec(db, "DELETE FROM role_permissions WHERE role_id = ?", "i", role_id);
    size_t i;
    json_t *p;
    json_array_foreach(perms, i, p) {
        if (rc != DB_OK) break;
        int dup = 0; /* a code given twice is granted once */
        for (size_t k = 0; k < i; k++)
            dup |= json_equal(json_array_get(perms, k), p);
        if (!dup)
            rc = db_exec(db, "INSERT INTO role_permissions (role_id, permission) VALUES (?, ?)",
                         "is", role_id, json_string_value(p));
    }
    return rc;
}

static int role_audit(struct db *db, const struct audit_actor *who, const char *action, int64_t id,
                      json_t *d) {
    char *detail = d ? json_dumps(d, JSON_COMPACT) : NULL, oid[24];
    json_decref(d);
    snprintf(oid, sizeof oid, "%lld", (long long)id);
    int rc = audit_append(db, who, action, "role", oid, "ok", detail ? detail : "");
    free(detail);
    return rc;
}

int role_create(struct db *db, const struct audit_actor *who, const char *code, const char *name,
                const char *name_en, const char *scope, json_t *perms, int64_t *id) {
    char now[21];
    now_iso(now);
    int rc = db_exec(db,
                     "INSERT INTO roles (code, name, name_en, scope, builtin, created_at, "
                     "updated_at) VALUES (?, ?, ?, ?, 0, ?, ?)",
                     "ssssss", code, name, name_en, scope, now, now);
    *id = rc == DB_OK ? role_id_by_code(db, code) : 0;
    if (rc == DB_OK) rc = write_permissions(db, *id, perms);
    if (rc != DB_OK) return rc;
    return role_audit(
        db, who, "role.create", *id,
        json_pack("{s:s,s:s,s:O}", "code", code, "scope", scope, "permissions", perms));
}

int role_update(struct db *db, const struct audit_actor *who, int64_t id, const char *name,
                const char *name_en, const char *scope, json_t *perms) {
    int rc = db_exec(db, "UPDATE roles SET name = ?, name_en = ?, scope = ? WHERE id = ?", "sssi",
                     name, name_en, scope, id);
    if (rc == DB_OK) rc = write_permissions(db, id, perms);
    if (rc != DB_OK) return rc;
    return role_audit(db, who, "role.update", id,
                      json_pack("{s:s,s:O}", "scope", scope, "permissions", perms));
}

int role_delete(struct db *db, const struct audit_actor *who, int64_t id) {
    int rc = db_exec(db, "DELETE FROM role_permissions WHERE role_id = ?", "i", id);
    if (rc == DB_OK) rc = db_exec(db, "DELETE FROM roles WHERE id = ?", "i", id);
    if (rc != DB_OK) return rc;
    return role_audit(db, who, "role.delete", id, NULL);
}
