/* flow_http.c — kinds served to the web (buttons and dialogs are built from them) and the
 * answer of every action route. */
#include "features/flow/flow_http.h"

#include <string.h>

#include "base/log.h"

static int readable(const struct req *r, const struct flow_kind *k) {
    return perm_gate(r->who.perms, k->perm_read);
}

/* GET /api/v1/kinds: the kinds the caller may read. */
void kinds_list(struct req *r) {
    json_t *items = json_array();
    for (int i = 0; i < flow_kind_count(); i++)
        if (readable(r, flow_kind_at(i)))
            json_array_append_new(items, flow_kind_summary_json(flow_kind_at(i), r->lang));
    reply_json(r, 200, json_pack("{s:o}", "items", items));
}

/* GET /api/v1/kinds/{kind}: one declaration (404 for a kind the caller may not read). */
void kinds_get(struct req *r) {
    const struct flow_kind *k = flow_kind_by_name(r->params[0]);
    if (!k || !readable(r, k)) {
        reply_error(r, ERR_NOT_FOUND, NULL);
        return;
    }
    reply_json(r, 200, flow_kind_json(r->db, k, r->lang));
}

static void reply_problems(struct req *r, const struct problems *pr) {
    reply_error(r, ERR_INVALID, problems_json(pr, r->lang));
}

int flow_apply_or_reply(struct req *r, const struct flow_kind *k, int64_t id, const char *action,
                        json_t *body) {
    struct problems pr = {.arena = r->arena};
    int rc = flow_check_input(r->arena, k, action, body, &pr);
    if (rc == FLOW_NOT_FOUND) {
        reply_error(r, ERR_NOT_FOUND, NULL);
        return -1;
    }
    if (rc == FLOW_INVALID) {
        reply_problems(r, &pr);
        return -1;
    }
    if (tx_begin_or_reply(r)) return -1;
    struct flow_actor actor = {&r->who, &r->actor};
    memset(&pr, 0, sizeof pr);
    rc = flow_apply(r->db, r->arena, &actor, k, id, action, body, &pr);
    if (rc == FLOW_OK) return 0;
    if (rc == FLOW_DB) return db_fail_reply(r, DB_ERROR);
    db_rollback(r->db);
    switch (rc) {
    case FLOW_NOT_ALLOWED: {
        json_t *allowed = flow_allowed(r->db, &actor, k, id); /* after the rollback */
        const char *zh = pr.zh ? pr.zh : "当前状态下不能执行该操作";
        const char *en = pr.en ? pr.en : "This action is not possible now";
        /* the attempt is recorded (its own transaction); the refusal is answered even when
         * recording it failed — the record is unchanged either way */
        if (flow_refusal_audit(r->db, r->arena, &actor, k, id, action, zh, en) != DB_OK)
            log_error("flow: the refusal of %s on %s %lld was not recorded", action, k->audit_type,
                      (long long)id);
        json_t *e = json_pack("{s:s,s:s,s:{s:o}}", "code", "invalid_transition", "message",
                              tr(r, zh, en), "fields", "allowed_actions", allowed);
        reply_json(r, 409, json_pack("{s:o}", "error", e));
        break;
    }
    case FLOW_INVALID:
        reply_problems(r, &pr);
        break;
    case FLOW_STALE:
        reply_error(r, ERR_STALE_VERSION, NULL);
        break;
    default:
        reply_error(r, ERR_NOT_FOUND, NULL);
        break;
    }
    return -1;
}
