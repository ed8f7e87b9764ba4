/* roles_http.c — roles and their permissions (安全管理员). List and get are the roles entity's
 * generated routes (accounts_entities.c); create, update and delete are here, because the three
 * administrator roles are fixed and built-in roles are never deleted. Business roles never
 * receive an administrator permission (the entity's validation). */
#include <string.h>

#include "auth/perm.h"
#include "features/accounts/accounts.h"
#include "features/accounts/accounts_http.h"
#include "features/entity/entity_http.h"
#include "http/http.h"

static json_t *role_or_reply(struct req *r, int64_t id) {
    struct entity_ctx c;
    if (entity_ctx_or_reply(r, &entity_roles, EP_GET, &c)) return NULL;
    return entity_get_or_reply(r, &c, id);
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

/* The body checked by the roles entity (limits, scope, known business permissions); 0, or -1
 * after replying 400 with every problem (and the version's, for an update). */
static int role_input_or_reply(struct req *r, json_t *body, unsigned mode, json_t **in,
                               int64_t *version) {
    struct entity_ctx c;
    struct problems pr = {.arena = r->arena};
    if (entity_ctx_or_reply(r, &entity_roles, EP_GET, &c)) return -1;
    struct entity_write w = {.c = &c, .actor = &r->actor, .pr = &pr};
    int rc;
    *in = entity_input_check(&w, body, mode, &rc);
    if (rc < 0) return db_fail_reply(r, rc);
    struct form f;
    form_init(&f, r, body);
    if (version) *version = form_version(&f);
    for (int i = 0; i < pr.n; i++)
        form_error(&f, pr.p[i].field, pr.p[i].zh, pr.p[i].en);
    return form_ok_or_reply(&f);
}

void roles_create(struct req *r) {
    json_t *body, *in;
    if (req_json_or_reply(r, &body) || role_input_or_reply(r, body, FV_CREATE, &in, NULL)) return;
    const char *code = entity_text(in, "code");
    if (role_id_by_code(r->db, code)) {
        reply_field_error(r, ERR_CONFLICT, "code", "角色编码已存在", "The code is taken");
        return;
    }
    if (tx_begin_or_reply(r)) return;
    int64_t id = 0;
    int rc =
        role_create(r->db, &r->actor, code, entity_text(in, "name"), entity_text(in, "name_en"),
                    entity_text(in, "scope"), json_object_get(in, "permissions"), &id);
    if (rc != DB_OK) {
        db_fail_reply(r, rc);
        return;
    }
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
    int64_t id, version = 0;
    json_t *body, *in;
    if (req_id_or_reply(r, 0, &id) || req_json_or_reply(r, &body)) return;
    json_t *cur = role_or_reply(r, id);
    if (!cur) return;
    int bad = role_editable_or_reply(r, cur);
    json_decref(cur);
    if (bad || role_input_or_reply(r, body, FV_UPDATE, &in, &version)) return;
    if (tx_begin_or_reply(r)) return;
    if (version_bump_or_reply(r, "roles", id, version)) return;
    int rc = role_update(r->db, &r->actor, id, entity_text(in, "name"), entity_text(in, "name_en"),
                         entity_text(in, "scope"), json_object_get(in, "permissions"));
    if (rc != DB_OK) {
        db_fail_reply(r, rc);
        return;
    }
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
    int rc = role_delete(r->db, &r->actor, id);
    if (rc != DB_OK) {
        db_fail_reply(r, rc);
        return;
    }
    if (tx_commit_or_reply(r)) return;
    reply_ok(r);
}
