/* entity_http.c — the routes every entity gets from its declaration: parse, call the entity
 * layer, reply. No SQL here: queries are built by entity.c, writes run the declaration's hooks. */
#include "features/entity/entity_http.h"

/* Declarations leave trailing fields out: 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/calendar.h"
#include "base/json.h"
#include "base/log.h"
#include "features/files/files.h"
#include "features/flow/flow_http.h"
#include "http/module.h"
#include "store/cache.h"

static const struct entity *ent_of(struct req *r) {
    return r->route->ctx;
}

static void json_free_cb(void *p) {
    json_decref(p);
}

static const char *query_get(void *cls, const char *name) {
    return req_query(cls, name);
}

void entity_reply_problems(struct req *r, const struct problems *pr) {
    json_t *f = json_object();
    for (int i = 0; i < pr->n; i++)
        json_object_set_new(f, pr->p[i].field, json_string(tr(r, pr->p[i].zh, pr->p[i].en)));
    reply_error(r, ERR_INVALID, f);
}

int entity_ctx_or_reply(struct req *r, const struct entity *e, enum entity_purpose p,
                        struct entity_ctx *c) {
    int rc = entity_ctx_init(c, r->db, r->arena, e, &r->who, r->lang, p);
    if (rc == DB_OK) return 0;
    db_fail_reply(r, rc);
    return -1;
}

int entity_request_or_reply(struct req *r, const struct entity *e, struct entity_request *rq) {
    struct problems pr = {.arena = r->arena};
    if (entity_request_parse(e, query_get, r, rq, &pr) == DB_OK) return 0;
    entity_reply_problems(r, &pr);
    return -1;
}

json_t *entity_get_or_reply(struct req *r, const struct entity_ctx *c, int64_t id) {
    int rc;
    json_t *row = entity_get(c, id, &rc);
    if (row) return row;
    if (rc == DB_DONE)
        reply_error(r, ERR_NOT_FOUND, NULL);
    else
        db_fail_reply(r, rc);
    return NULL;
}

int entity_write_or_reply(struct req *r, const struct entity_write *w, int rc) {
    if (rc == DB_OK) return 0;
    if (rc < 0) return db_fail_reply(r, rc);
    db_rollback(r->db);
    switch (rc) {
    case ENTITY_INVALID:
        entity_reply_problems(r, w->pr);
        break;
    case ENTITY_FORBIDDEN:
        if (w->zh)
            reply_error_msg(r, ERR_FORBIDDEN, w->zh, w->en ? w->en : w->zh);
        else
            reply_error(r, ERR_FORBIDDEN, NULL);
        break;
    case ENTITY_IN_USE:
        reply_error(r, ERR_IN_USE, NULL);
        break;
    case ENTITY_CONFLICT: {
        json_t *f = json_object();
        for (int i = 0; i < w->pr->n; i++)
            json_object_set_new(f, w->pr->p[i].field,
                                json_string(tr(r, w->pr->p[i].zh, w->pr->p[i].en)));
        reply_error(r, ERR_CONFLICT, f);
        break;
    }
    case ENTITY_NOT_FOUND:
        reply_error(r, ERR_NOT_FOUND, NULL);
        break;
    default:
        db_fail_reply(r, DB_ERROR);
    }
    return -1;
}

int entity_input_or_reply(struct req *r, struct entity_write *w, json_t *body, unsigned mode) {
    int rc;
    entity_input_check(w, body, mode, &rc);
    if (rc == DB_OK) return 0;
    if (rc == ENTITY_INVALID) {
        entity_reply_problems(r, w->pr);
        return -1;
    }
    return entity_write_or_reply(r, w, rc);
}

/* ---- list and get ---- */

/* Reading some entities is itself recorded (the audit log's own queries): its own transaction,
 * before answering. */
static int read_audited_or_reply(struct req *r, const struct entity *e,
                                 const struct entity_request *rq) {
    if (!e->audit_read) return 0;
    if (tx_begin_or_reply(r)) return -1;
    if (audit_or_reply(r, e->audit_read, e->audit_type ? e->audit_type : e->name, 0,
                       entity_request_json(rq)))
        return -1;
    return tx_commit_or_reply(r);
}

/* A page's cache key: the caller (its scope and permissions follow the auth version), the
 * language, today (lights, overdue days) and the request, each piece length-prefixed. 0, or -1
 * when it does not fit (the page is then not kept). */
static int page_key(struct req *r, const struct entity_request *rq, char *key, size_t *len) {
    struct buf b;
    buf_init(&b, r->arena, 256);
    buf_printf(&b, "%lld|%d|%ld|%s|%lld|%lld|", (long long)r->who.user_id, r->lang,
               (long)date_today(), rq->sort ? rq->sort : "", (long long)rq->page,
               (long long)rq->per_page);
    if (rq->q) buf_printf(&b, "q%zu:%s|", strlen(rq->q), rq->q);
    for (int i = 0; i < rq->n; i++) {
        const struct entity_filter_value *v = &rq->f[i];
        const char *name = v->extra ? v->extra->name : v->field->name;
        buf_printf(&b, "%s%d%zu:%s|", name, v->upper, strlen(v->text), v->text);
    }
    const struct entity_metric_sel *m = &rq->metric;
    if (m->on)
        buf_printf(&b, "m:%s|%d|%s|%s|%lld|%d|%s|", m->m ? m->m->code : "", m->part, m->from, m->to,
                   (long long)m->unit_id, m->subtree, m->state ? m->state : "");
    for (int i = 0; i < rq->n_ids && b.len < CACHE_KEY_MAX; i++)
        buf_printf(&b, "#%lld", (long long)rq->ids[i]);
    if (b.len >= CACHE_KEY_MAX) return -1;
    memcpy(key, b.data, b.len);
    *len = b.len;
    return 0;
}

void entity_list_route(struct req *r) {
    const struct entity *e = ent_of(r);
    struct entity_request rq;
    struct entity_ctx c;
    if (entity_request_or_reply(r, e, &rq) || read_audited_or_reply(r, e, &rq)) return;
    struct cache *pc = entity_page_cache(e);
    char key[CACHE_KEY_MAX];
    size_t key_len = 0;
    struct cache_ticket t;
    /* pages of up to 50 rows (the web's are 20): 256 kept stay within a few MB */
    int cached = pc && rq.per_page <= 50 && page_key(r, &rq, key, &key_len) == 0;
    if (cached) {
        void *val;
        size_t len;
        if (cache_get(pc, r->db, key, key_len, r->arena, &val, &len, &t) == CACHE_HIT) {
            reply_raw(r, 200, "application/json; charset=utf-8", val, len);
            return;
        }
    }
    int rc = entity_ctx_init(&c, r->db, r->arena, e, &r->who, r->lang, EP_LIST);
    json_t *out = rc == DB_OK ? entity_list(&c, &rq, &rc) : NULL;
    if (!out) {
        if (cached) cache_cancel(&t);
        db_fail_reply(r, rc);
        return;
    }
    if (!cached) {
        reply_json(r, 200, out);
        return;
    }
    size_t n = 0;
    char *text = json_text_arena(r->arena, out, &n);
    json_decref(out);
    if (!text) {
        cache_cancel(&t);
        db_fail_reply(r, DB_ERROR);
        return;
    }
    cache_put(&t, text, n);
    reply_raw(r, 200, "application/json; charset=utf-8", text, n);
}

/* A record of an entity with a workflow kind also answers the actions the caller may take now
 * (the web's buttons), those a guard refuses with the reason (kinds with explain_guards) and
 * its statutory clocks (due date, days left, explanation). */
static json_t *with_workflow(struct req *r, const struct entity *e, int64_t id, json_t *row) {
    if (!e->kind) return row;
    struct flow_actor actor = {&r->who, &r->actor};
    json_object_set_new(row, "allowed_actions", flow_allowed(r->db, &actor, e->kind, id));
    if (e->kind->explain_guards)
        json_object_set_new(row, "blocked_actions",
                            flow_blocked(r->db, &actor, e->kind, id, r->lang));
    json_t *clocks = flow_clocks_json(r->db, r->arena, e->kind, id, date_today(), r->lang);
    json_object_set_new(row, "clocks", clocks ? clocks : json_array());
    return row;
}

void entity_get_route(struct req *r) {
    const struct entity *e = ent_of(r);
    int64_t id;
    struct entity_ctx c;
    if (req_id_or_reply(r, 0, &id)) return;
    if (e->audit_read) { /* reading one record is recorded like reading the list */
        if (tx_begin_or_reply(r) ||
            audit_or_reply(r, e->audit_read, e->audit_type ? e->audit_type : e->name, 0,
                           json_pack("{s:I}", "id", (json_int_t)id)) ||
            tx_commit_or_reply(r))
            return;
    }
    if (entity_ctx_or_reply(r, e, EP_GET, &c)) return;
    json_t *row = entity_get_or_reply(r, &c, id);
    if (row) reply_json(r, 200, with_workflow(r, e, id, row));
}

/* The record after a write, as the caller reads it. */
static void reply_record(struct req *r, const struct entity *e, int64_t id, int status) {
    struct entity_ctx c;
    if (entity_ctx_or_reply(r, e, EP_GET, &c)) return;
    json_t *row = entity_get_or_reply(r, &c, id);
    if (row) reply_json(r, status, with_workflow(r, e, id, row));
}

/* POST {path}/{id}/actions/{action} of an entity with a kind: the record must be inside the
 * caller's scope (404 otherwise, like a missing one); the engine checks and applies the step
 * (flow_apply_or_reply answers its refusals); the answer is the record as read afterwards. */
void entity_action_route(struct req *r) {
    const struct entity *e = ent_of(r);
    int64_t id;
    json_t *body;
    struct entity_ctx c;
    if (req_id_or_reply(r, 0, &id) || req_json_or_reply(r, &body)) return;
    if (!flow_transition_find(e->kind, r->params[1])) {
        reply_error(r, ERR_NOT_FOUND, NULL);
        return;
    }
    if (entity_ctx_or_reply(r, e, EP_GET, &c)) return;
    json_t *cur = entity_get_or_reply(r, &c, id);
    if (!cur) return;
    json_decref(cur);
    if (flow_apply_or_reply(r, e->kind, id, r->params[1], body) || tx_commit_or_reply(r)) return;
    /* A step may move the record out of the caller's scope (a unit returning a request to the
     * centre): then the answer says only that it is done and nothing more is possible. */
    int rc;
    json_t *row = entity_get(&c, id, &rc);
    if (row)
        reply_json(r, 200, with_workflow(r, e, id, row));
    else if (rc == DB_DONE)
        reply_json(r, 200, json_pack("{s:I,s:[]}", "id", (json_int_t)id, "allowed_actions"));
    else
        db_fail_reply(r, rc);
}

/* ---- 当事人: seeing one value whole ---- */

/* POST {path}/{id}/parties/{party_id}/reveal {field: name|id_no|phone, reason}: pii.reveal, the
 * record in the caller's scope (404 otherwise, like a missing one), a reason of 2–200
 * characters; the audit record <audit_type>.reveal holds the party, the field and the reason —
 * never the value. Answers {field, value}. */
void entity_parties_reveal_route(struct req *r) {
    const struct entity *e = ent_of(r);
    int64_t id, party_id;
    json_t *body;
    struct entity_ctx c;
    if (req_id_or_reply(r, 0, &id) || req_id_or_reply(r, 1, &party_id) ||
        req_json_or_reply(r, &body))
        return;
    static const struct field_option fields[] = {{"name", "姓名", "Name", ""},
                                                 {"id_no", "身份证号码", "ID number", ""},
                                                 {"phone", "联系电话", "Phone", ""}};
    static const struct field args[] = {
        {"field", FT_ENUM, "字段", "Field", 0, 0, F_REQUIRED, fields, 3},
        {"reason", FT_TEXT, "查看事由", "Reason", 2, 200, F_REQUIRED},
    };
    struct problems pr = {.arena = r->arena};
    json_t *in = fields_check(args, 2, body, FV_ALL, &pr);
    arena_on_free(r->arena, json_free_cb, in);
    if (pr.n) {
        entity_reply_problems(r, &pr);
        return;
    }
    if (entity_ctx_or_reply(r, e, EP_GET, &c)) return;
    json_t *cur = entity_get_or_reply(r, &c, id); /* in the caller's scope, or 404 */
    if (!cur) return;
    json_decref(cur);
    const char *field = json_string_value(json_object_get(in, "field")), *value = NULL;
    int rc = entity_parties_reveal(&c, id, party_id, field, &value);
    if (rc == DB_DONE) {
        reply_error(r, ERR_NOT_FOUND, NULL);
        return;
    }
    if (rc != DB_OK) {
        if (rc < 0 && rc != DB_ERROR) {
            db_fail_reply(r, rc);
            return;
        }
        reply_error_msg(r, ERR_INTERNAL, "个人信息无法解密（密钥不匹配）",
                        "Personal data cannot be decrypted (wrong key)");
        return;
    }
    const char *type = e->audit_type ? e->audit_type : e->name;
    if (tx_begin_or_reply(r) ||
        audit_or_reply(r, arena_printf(r->arena, "%s.reveal", type), type, id,
                       json_pack("{s:I,s:s,s:O}", "party_id", (json_int_t)party_id, "field", field,
                                 "reason", json_object_get(in, "reason"))) ||
        tx_commit_or_reply(r))
        return;
    reply_json(r, 200, json_pack("{s:s,s:s}", "field", field, "value", value));
}

/* ---- the timeline ---- */

/* A module's declared name of an audit code (struct module's audit_names), or NULL. */
static const struct audit_name *declared_audit_name(const char *code) {
    for (int m = 0; fazhi_modules[m]; m++)
        for (int i = 0; i < fazhi_modules[m]->n_audit_names; i++)
            if (!strcmp(fazhi_modules[m]->audit_names[i].code, code))
                return &fazhi_modules[m]->audit_names[i];
    return NULL;
}

/* What an event that is no transition of the kind (the record's creation, an edit, a module's
 * own step) is called: its name in the audit log (GET /api/v1/audit/names, same order — the
 * module's declared name of "<type>.<action>", else a generic write's verb and the object's
 * name: declared, else the kind's, else the entity's), else the code itself. */
static const char *event_name(struct req *r, const struct entity *e, const char *action) {
    const char *type = e->audit_type ? e->audit_type : e->name;
    const struct audit_name *n =
        declared_audit_name(arena_printf(r->arena, "%s.%s", type, action ? action : ""));
    if (n) return tr(r, n->zh, n->en);
    if (e->versions && action && !strcmp(action, "version")) /* a new draft */
        return r->lang
                   ? arena_printf(r->arena, "Add %s", entity_en_inner(r->arena, e->versions->en))
                   : arena_printf(r->arena, "新增%s", e->versions->zh);
    const struct entity_verb *v = entity_write_verb(action);
    if (!v) return action ? action : "";
    const char *zh = e->zh, *en = e->en;
    if ((n = declared_audit_name(type))) {
        zh = n->zh;
        en = n->en;
    } else if (e->kind && !strcmp(e->kind->audit_type, type)) {
        zh = e->kind->zh;
        en = e->kind->en;
    }
    return r->lang ? arena_printf(r->arena, "%s %s", v->en, entity_en_inner(r->arena, en))
                   : arena_printf(r->arena, "%s%s", v->zh, zh);
}

/* GET {path}/{id}/timeline of an entity whose kind keeps one: every event of the record, oldest
 * first, each named in the caller's language, with its attachments. The record must be in the
 * caller's scope (404 otherwise, like a missing one). A fixed number of queries: the scoped read,
 * the events, their attachments. */
void entity_timeline_route(struct req *r) {
    const struct entity *e = ent_of(r);
    int64_t id;
    struct entity_ctx c;
    if (req_id_or_reply(r, 0, &id) || entity_ctx_or_reply(r, e, EP_GET, &c)) return;
    json_t *cur = entity_get_or_reply(r, &c, id);
    if (!cur) return;
    json_decref(cur);
    json_t *items = flow_timeline_json(r->db, r->arena, e->kind, id, r->lang);
    if (!items) {
        db_fail_reply(r, DB_ERROR);
        return;
    }
    size_t i;
    json_t *ev;
    json_array_foreach(items, i, ev) {
        if (!json_is_null(json_object_get(ev, "action_name"))) continue;
        const char *action = json_string_value(json_object_get(ev, "action"));
        json_object_set_new(ev, "action_name", json_string(event_name(r, e, action)));
    }
    reply_json(r, 200, json_pack("{s:o}", "items", items));
}

/* ---- writes ---- */

static int version_of_body(json_t *body, struct problems *pr, int64_t *version) {
    json_t *v = json_object_get(body, "version");
    if (!v || json_is_null(v)) {
        problem_add(pr, "version", "必填", "Required");
        return -1;
    }
    if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > INT64_MAX / 2) {
        problem_add(pr, "version", "须为正整数", "Must be a positive integer");
        return -1;
    }
    *version = json_integer_value(v);
    return 0;
}

void entity_create_route(struct req *r) {
    const struct entity *e = ent_of(r);
    json_t *body;
    struct entity_ctx c;
    struct problems pr = {.arena = r->arena};
    if (req_json_or_reply(r, &body) || entity_ctx_or_reply(r, e, EP_GET, &c)) return;
    struct entity_write w = {.c = &c, .actor = &r->actor, .pr = &pr};
    if (entity_input_or_reply(r, &w, body, FV_CREATE) || tx_begin_or_reply(r)) return;
    if (entity_write_or_reply(r, &w, entity_create(&w)) || tx_commit_or_reply(r)) return;
    reply_record(r, e, w.id, 201);
}

static void json_free(void *p) {
    json_decref(p);
}

void entity_update_route(struct req *r) {
    const struct entity *e = ent_of(r);
    int64_t id, version = 0;
    json_t *body;
    struct entity_ctx c;
    struct problems pr = {.arena = r->arena};
    if (req_id_or_reply(r, 0, &id) || req_json_or_reply(r, &body) ||
        entity_ctx_or_reply(r, e, EP_GET, &c))
        return;
    json_t *cur = entity_get_or_reply(r, &c, id);
    if (!cur) return;
    arena_on_free(r->arena, json_free, cur);
    struct entity_write w = {.c = &c, .actor = &r->actor, .pr = &pr, .id = id, .cur = cur};
    int rc;
    /* a state that admits no edit answers first: what was sent does not matter */
    if (entity_edit_refused(&w)) {
        entity_write_or_reply(r, &w, ENTITY_FORBIDDEN);
        return;
    }
    entity_input_check(&w, body, FV_UPDATE, &rc);
    version_of_body(body, &pr, &version);
    if (rc == DB_OK && pr.n) rc = ENTITY_INVALID;
    if (entity_write_or_reply(r, &w, rc) || tx_begin_or_reply(r) ||
        version_bump_or_reply(r, e->table, id, version) ||
        entity_write_or_reply(r, &w, entity_update(&w)) || tx_commit_or_reply(r))
        return;
    reply_record(r, e, id, 200);
}

void entity_delete_route(struct req *r) {
    const struct entity *e = ent_of(r);
    int64_t id, version = 0;
    int has_version = 0;
    struct entity_ctx c;
    struct problems pr = {.arena = r->arena};
    if (req_id_or_reply(r, 0, &id) ||
        req_query_int_or_reply(r, "version", 1, INT64_MAX / 2, &version, &has_version) ||
        entity_ctx_or_reply(r, e, EP_GET, &c))
        return;
    json_t *cur = entity_get_or_reply(r, &c, id);
    if (!cur) return;
    arena_on_free(r->arena, json_free, cur);
    if (!has_version && !e->unversioned) {
        reply_field_error(r, ERR_INVALID, "version", "必填", "Required");
        return;
    }
    struct entity_write w = {.c = &c, .actor = &r->actor, .pr = &pr, .id = id, .cur = cur};
    if (tx_begin_or_reply(r) ||
        (!e->unversioned && version_bump_or_reply(r, e->table, id, version)) ||
        entity_write_or_reply(r, &w, entity_remove(&w)) || tx_commit_or_reply(r))
        return;
    reply_ok(r);
}

/* ---- batch actions ---- */

/* The batch's ids: 1..ENTITY_BATCH_MAX distinct positive integers. -1 after a problem. */
static int batch_ids(json_t *v, int64_t *ids, int *n, struct problems *pr) {
    *n = 0;
    if (!json_is_array(v) || json_array_size(v) == 0 || json_array_size(v) > ENTITY_BATCH_MAX) {
        problem_add(pr, "ids", "请选择 1–500 条记录", "Select 1–500 records");
        return -1;
    }
    size_t i;
    json_t *x;
    json_array_foreach(v, i, x) {
        if (!json_is_integer(x) || json_integer_value(x) < 1 ||
            json_integer_value(x) > INT64_MAX / 2) {
            problem_add(pr, "ids", "须为记录编号", "Must be record ids");
            return -1;
        }
        int64_t id = json_integer_value(x);
        int dup = 0;
        for (int k = 0; k < *n && !dup; k++)
            dup = ids[k] == id;
        if (dup) {
            problem_add(pr, "ids", "编号重复", "An id is given twice");
            return -1;
        }
        ids[(*n)++] = id;
    }
    return 0;
}

/* One record of a batch: a transition of the kind, or delete; inside its own transaction with
 * its audit record (flow_apply's, the remove hook's). Its result {id, ok, code?, message?}
 * goes to `out`; DB_OK, or < 0 when the database failed (the batch stops there). */
static int batch_one(struct req *r, const struct entity_ctx *c, const char *action, json_t *args,
                     int64_t id, json_t *cur, json_t *out) {
    const struct entity *e = c->ent;
    json_t *res = json_pack("{s:I}", "id", (json_int_t)id), *err = NULL;
    int rc = DB_OK;
    if (!cur) {
        err = error_json(r, ERR_NOT_FOUND, NULL, NULL);
    } else if ((rc = db_begin(r->db)) != DB_OK) {
        json_decref(res);
        return rc < 0 ? rc : DB_ERROR;
    } else if (!strcmp(action, "delete")) {
        int64_t version = json_integer_value(json_object_get(cur, "version"));
        int exists = 0;
        struct problems pr = {.arena = r->arena};
        struct entity_write w = {.c = c, .actor = &r->actor, .pr = &pr, .id = id, .cur = cur};
        rc = db_claim_version(r->db, e->table, id, version, &exists);
        if (rc == DB_OK) rc = entity_remove(&w);
        if (rc > 0) {
            db_rollback(r->db);
            err = rc == ENTITY_FORBIDDEN ? error_json(r, ERR_FORBIDDEN, w.zh, w.en)
                  : rc == ENTITY_IN_USE  ? error_json(r, ERR_IN_USE, NULL, NULL)
                  : rc == ENTITY_INVALID && pr.n
                      ? error_json(r, ERR_INVALID, pr.p[0].zh, pr.p[0].en)
                  : exists ? error_json(r, ERR_STALE_VERSION, NULL, NULL)
                           : error_json(r, ERR_NOT_FOUND, NULL, NULL);
            rc = DB_OK;
        }
    } else {
        json_t *body = json_deep_copy(args);
        json_object_set(body, "version", json_object_get(cur, "version"));
        struct problems pr = {.arena = r->arena};
        struct flow_actor actor = {&r->who, &r->actor};
        int fr = flow_apply(r->db, r->arena, &actor, entity_batch_kind(e), id, action, body, &pr);
        json_decref(body);
        rc = fr == FLOW_DB ? DB_ERROR : DB_OK;
        if (fr != FLOW_OK && fr != FLOW_DB) {
            db_rollback(r->db);
            if (fr == FLOW_NOT_ALLOWED &&
                (rc = flow_refusal_audit(r->db, r->arena, &actor, entity_batch_kind(e), id, action,
                                         pr.zh ? pr.zh : "当前状态下不能执行该操作",
                                         pr.en ? pr.en : "This action is not possible now")) !=
                    DB_OK) {
                json_decref(res);
                return rc;
            }
            err = fr == FLOW_NOT_ALLOWED
                      ? json_pack("{s:s,s:s}", "code", "invalid_transition", "message",
                                  tr(r, pr.zh ? pr.zh : "当前状态下不能执行该操作",
                                     pr.en ? pr.en : "This action is not possible now"))
                  : fr == FLOW_INVALID && pr.n ? error_json(r, ERR_INVALID, pr.p[0].zh, pr.p[0].en)
                  : fr == FLOW_STALE           ? error_json(r, ERR_STALE_VERSION, NULL, NULL)
                                               : error_json(r, ERR_NOT_FOUND, NULL, NULL);
        }
    }
    if (rc != DB_OK) {
        json_decref(res);
        return rc;
    }
    if (!err) {
        if (arena_exhausted(r->arena)) { /* past the budget: this one changes nothing */
            db_rollback(r->db);
            json_decref(res);
            return DB_ERROR;
        }
        if ((rc = db_commit(r->db)) != DB_OK) {
            json_decref(res);
            return rc < 0 ? rc : DB_ERROR;
        }
        r->committed = 1;
    }
    json_object_set_new(res, "ok", json_boolean(!err));
    if (err) json_object_update(res, err);
    json_decref(err);
    json_array_append_new(out, res);
    return DB_OK;
}

/* POST {path}/batch {action, ids: [..], args: {..}}: the action on each selected record (at
 * most ENTITY_BATCH_MAX), each in its own transaction with its own audit record, checked as its
 * own route would check it (scope: a record outside it is not_found; state, relation and guards
 * by the engine; the version is the one read here). Not all or nothing: the answer says per id
 * what happened — {results: [{id, ok, code?, message?}], ok: n, failed: n}. The action's
 * permission is checked once for the whole batch (403). */
void entity_batch_route(struct req *r) {
    const struct entity *e = ent_of(r);
    json_t *body;
    struct entity_ctx c;
    if (req_json_or_reply(r, &body)) return;
    struct problems pr = {.arena = r->arena};
    const char *action = json_string_value(json_object_get(body, "action"));
    const struct perm_def *perm = action ? entity_batch_perm(e, action) : NULL;
    if (!perm) problem_add(&pr, "action", "不支持的批量操作", "Not a batch action of this list");
    int64_t *ids = arena_alloc(r->arena, ENTITY_BATCH_MAX * sizeof(int64_t));
    int n = 0;
    batch_ids(json_object_get(body, "ids"), ids, &n, &pr);
    json_t *args = json_object_get(body, "args");
    if (args && !json_is_object(args) && !json_is_null(args))
        problem_add(&pr, "args", "须为对象", "Must be an object");
    json_t *a = json_is_object(args) ? json_deep_copy(args) : json_object();
    arena_on_free(r->arena, json_free, a);
    json_object_del(a, "version");
    if (pr.n) {
        entity_reply_problems(r, &pr);
        return;
    }
    if (!perm_gate(r->who.perms, perm)) {
        reply_error(r, ERR_FORBIDDEN, NULL);
        return;
    }
    if (strcmp(action, "delete")) { /* the arguments once, before any record: 400 */
        json_t *probe = json_deep_copy(a);
        json_object_set_new(probe, "version", json_integer(1));
        int rc = flow_check_input(r->arena, entity_batch_kind(e), action, probe, &pr);
        json_decref(probe);
        const struct flow_transition *t = flow_transition_find(entity_batch_kind(e), action);
        const char *note = json_string_value(json_object_get(a, "note"));
        if (t && t->note_required && (!note || !note[strspn(note, " \t\r\n")])) {
            problem_add(&pr, "note", "必填", "Required");
            rc = FLOW_INVALID;
        }
        if (rc != FLOW_OK) {
            reply_error(r, ERR_INVALID, problems_json(&pr, r->lang));
            return;
        }
    }
    if (entity_ctx_or_reply(r, e, EP_GET, &c)) return;
    /* the selection as the caller reads it: one scoped read of all of them (version, scope) */
    int rc;
    json_t *rows = entity_items_of(&c, NULL, ids, n, &rc);
    if (!rows) {
        db_fail_reply(r, rc);
        return;
    }
    arena_on_free(r->arena, json_free, rows);
    json_t *results = json_array();
    arena_on_free(r->arena, json_free, results);
    int done = 0;
    for (int i = 0; i < n; i++) {
        json_t *cur = NULL, *x;
        size_t k;
        json_array_foreach(rows, k, x) {
            if (json_integer_value(json_object_get(x, e->key ? e->key : "id")) == ids[i]) {
                cur = x;
                break;
            }
        }
        if ((rc = batch_one(r, &c, action, a, ids[i], cur, results)) != DB_OK) {
            db_fail_reply(r, rc);
            return;
        }
        done += json_is_true(json_object_get(json_array_get(results, (size_t)i), "ok"));
    }
    reply_json(r, 200,
               json_pack("{s:s,s:O,s:i,s:i}", "action", action, "results", results, "ok", done,
                         "failed", n - done));
}

/* ---- the declarations ---- */

void entities_list(struct req *r) {
    json_t *items = json_array();
    for (int i = 0; i < entity_count_registered(); i++) {
        const struct entity *e = entity_at(i);
        if (!entity_can_read(e, &r->who)) continue;
        json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s}", "name", e->name, "path", e->path, "title",
                              tr(r, e->zh, e->en), "zh", e->zh, "en", e->en);
        json_object_set_new(o, "kind",
                            e->kind ? json_string(flow_kind_name(e->kind)) : json_null());
        json_array_append_new(items, o);
    }
    reply_json(r, 200, json_pack("{s:o}", "items", items));
}

/* An entity the caller may not read answers 404, like one that does not exist. */
void entities_get(struct req *r) {
    const struct entity *e = entity_by_name(r->params[0]);
    if (!e || !entity_can_read(e, &r->who)) {
        reply_error(r, ERR_NOT_FOUND, NULL);
        return;
    }
    struct entity_ctx c; /* the options of dictionary fields are the dictionary's items */
    if (entity_ctx_with(&c, r->db, r->arena, e, &r->who, r->lang, EP_GET, NULL) != DB_OK) {
        reply_error(r, ERR_INTERNAL, NULL);
        return;
    }
    reply_json(r, 200, entity_declaration_json(entity_resolved(&c, FO_ALL), &r->who, r->lang));
}

/* The attachments of a kind's timeline events are read by whoever reads the event's record: the
 * record in the reader's scope (the entity's own read, with its visibility rules). */
static int event_file_readable(struct db *db, struct arena *a, const struct principal *who,
                               int64_t event_id, const void *ctx) {
    const struct entity *e = ctx;
    int64_t record = 0;
    if (!perm_gate(who->perms, e->perm_read) ||
        flow_event_record(db, a, e->kind, event_id, &record) != DB_ROW)
        return 0;
    struct entity_ctx c;
    int rc;
    if (entity_ctx_init(&c, db, a, e, who, 0, EP_GET) != DB_OK) return 0;
    json_t *row = entity_get(&c, record, &rc);
    json_decref(row);
    return row != NULL;
}

/* ---- generated routes ---- */

#define GENERATED_MAX 1024
static struct route generated[GENERATED_MAX];
static int n_generated;

static int has_flag(const struct entity *e, unsigned flag) {
    for (int i = 0; i < e->n_fields; i++)
        if (e->fields[i].flags & flag) return 1;
    return 0;
}

static int add_route(enum http_method m, const char *path, const char *tail,
                     const struct perm_def *perm, handler_fn fn, const struct entity *e, char *err,
                     size_t errlen) {
    if (n_generated >= GENERATED_MAX) {
        snprintf(err, errlen, "more than %d generated routes", GENERATED_MAX);
        return -1;
    }
    size_t n = strlen(path) + strlen(tail) + 1;
    char *pattern = malloc(n); /* lives as long as the process, like every route table */
    if (!pattern) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    snprintf(pattern, n, "%s%s", path, tail);
    generated[n_generated] = (struct route){m, pattern, perm, fn, 0, e};
    return router_add(&generated[n_generated++], 1, err, errlen);
}

int entity_routes_register(const struct entity *const *ents, int n, char *err, size_t errlen) {
    for (int i = 0; i < n; i++) {
        const struct entity *e = ents[i];
        const struct perm_def *exp = e->perm_export ? e->perm_export : e->perm_read;
        const struct perm_def *imp = e->perm_import ? e->perm_import : e->perm_create;
        int rc = 0;
        if (!(e->own & ENTITY_OWN_LIST)) {
            rc |= add_route(M_GET, e->path, "", e->perm_read, entity_list_route, e, err, errlen);
            if (!rc && has_flag(e, F_EXPORT))
                rc |= add_route(M_GET, e->path, "/export.xlsx", exp, entity_export_route, e, err,
                                errlen);
        }
        if (!rc && !(e->own & ENTITY_OWN_GET))
            rc |= add_route(M_GET, e->path, "/:id", e->perm_read, entity_get_route, e, err, errlen);
        if (!rc && e->perm_create && !(e->own & ENTITY_OWN_CREATE))
            rc |=
                add_route(M_POST, e->path, "", e->perm_create, entity_create_route, e, err, errlen);
        if (!rc && e->perm_update && !(e->own & ENTITY_OWN_UPDATE))
            rc |= add_route(M_PUT, e->path, "/:id", e->perm_update, entity_update_route, e, err,
                            errlen);
        if (!rc && e->perm_delete && !(e->own & ENTITY_OWN_DELETE))
            rc |= add_route(M_DELETE, e->path, "/:id", e->perm_delete, entity_delete_route, e, err,
                            errlen);
        if (!rc && e->kind)
            rc |= add_route(M_POST, e->path, "/:id/actions/:action", e->perm_read,
                            entity_action_route, e, err, errlen);
        if (!rc && e->parties)
            rc |= add_route(M_POST, e->path, "/:id/parties/:party_id/reveal", &perm_pii_reveal,
                            entity_parties_reveal_route, e, err, errlen);
        if (!rc && e->kind && e->kind->events_table)
            rc |= add_route(M_GET, e->path, "/:id/timeline", e->perm_read, entity_timeline_route, e,
                            err, errlen);
        if (!rc && e->versions) {
            rc |= add_route(M_GET, e->path, "/:id/versions", e->perm_read,
                            entity_versions_list_route, e, err, errlen);
            if (!rc)
                rc |= add_route(M_GET, e->path, "/:id/versions/diff", e->perm_read,
                                entity_versions_diff_route, e, err, errlen);
            if (!rc)
                rc |= add_route(M_GET, e->path, "/:id/versions/:n", e->perm_read,
                                entity_version_get_route, e, err, errlen);
            if (!rc && e->perm_update)
                rc |= add_route(M_POST, e->path, "/:id/versions", e->perm_update,
                                entity_version_add_route, e, err, errlen);
        }
        /* its steps' attachments (a module's own file_owners entry of the type replaces this) */
        if (!rc && e->kind && e->kind->file_owner)
            files_register_owner_ctx(e->kind->file_owner, event_file_readable, e);
        if (!rc && e->batch_actions)
            rc |= add_route(M_POST, e->path, "/batch", e->perm_read, entity_batch_route, e, err,
                            errlen);
        if (!rc && imp && has_flag(e, F_IMPORT)) {
            rc |= add_route(M_GET, e->path, "/import-template.xlsx", imp, entity_template_route, e,
                            err, errlen);
            if (!rc)
                rc |=
                    add_route(M_POST, e->path, "/import", imp, entity_import_route, e, err, errlen);
        }
        if (rc) return -1;
    }
    return 0;
}
