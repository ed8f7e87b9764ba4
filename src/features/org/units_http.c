/* units_http.c — the unit tree (机构管理): what the entity layer does not generate — the kinds,
 * the tree, activating and deactivating. List, get, create, update and delete are the units
 * entity's generated routes (org_entities.c). */
#include <string.h>

#include "features/entity/entity_http.h"
#include "features/org/org.h"
#include "features/org/org_http.h"
#include "http/http.h"

void unit_kinds_list(struct req *r) {
    json_t *items = json_array();
    for (int i = 0; i < unit_kind_count; i++)
        json_array_append_new(items, json_pack("{s:s,s:s,s:s}", "code", unit_kinds[i].code, "name",
                                               unit_kinds[i].zh, "name_en", unit_kinds[i].en));
    reply_json(r, 200, json_pack("{s:o,s:i}", "items", items, "total", unit_kind_count));
}

void units_tree(struct req *r) {
    int rc;
    json_t *roots = unit_tree_json(r->db, r->arena, &r->who, r->lang, &rc);
    if (!roots) {
        db_fail_reply(r, rc);
        return;
    }
    reply_json(r, 200, json_pack("{s:o}", "items", roots));
}

static void units_set_active(struct req *r, int active) {
    int64_t id;
    json_t *body;
    struct entity_ctx c;
    if (req_id_or_reply(r, 0, &id) || req_json_or_reply(r, &body) ||
        entity_ctx_or_reply(r, &entity_units, EP_GET, &c))
        return;
    json_t *cur = entity_get_or_reply(r, &c, id);
    if (!cur) return;
    json_decref(cur);
    struct form f;
    form_init(&f, r, body);
    int64_t version = form_version(&f);
    if (form_ok_or_reply(&f) || tx_begin_or_reply(r) ||
        version_bump_or_reply(r, "units", id, version))
        return;
    int rc = unit_set_active(r->db, &r->actor, id, active);
    if (rc != DB_OK) {
        db_fail_reply(r, rc);
        return;
    }
    if (tx_commit_or_reply(r)) return;
    json_t *u = entity_get_or_reply(r, &c, id);
    if (u) reply_json(r, 200, u);
}

void units_deactivate(struct req *r) {
    units_set_active(r, 0);
}
void units_activate(struct req *r) {
    units_set_active(r, 1);
}
