/* entity_versions_http.c — the routes of an entity that declares `versions` (草案版本): the list,
 * one version, a new one, and the line diff of two for the side-by-side view. The record must be
 * readable by the caller (its scope: 404 otherwise, like a missing one). No SQL here: the store
 * side is entity_versions.c, the diff base/linediff.c. */
#include "features/entity/entity_http.h"

/* Declarations leave trailing fields out: 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#include <stdint.h>
#include <string.h>

#include "base/linediff.h"
#include "base/utf8.h"
#include "features/flow/flow.h"

static void json_free_cb(void *p) {
    json_decref(p);
}

/* The entity (route ctx), the record id, and the record read in the caller's scope: 0, or -1
 * after replying (404 for a record outside it). */
static int record_or_reply(struct req *r, const struct entity **e, int64_t *id,
                           struct entity_ctx *c) {
    *e = r->route->ctx;
    if (req_id_or_reply(r, 0, id) || entity_ctx_or_reply(r, *e, EP_GET, c)) return -1;
    json_t *cur = entity_get_or_reply(r, c, *id);
    if (!cur) return -1;
    json_decref(cur);
    return 0;
}

/* Version `number` of the record, or NULL after replying 404 (with which one) or the error. */
static json_t *version_or_reply(struct req *r, const struct entity *e, int64_t id, int64_t number) {
    int rc;
    json_t *v = entity_version_json(r->db, e->versions, id, number, &rc);
    if (v) {
        arena_on_free(r->arena, json_free_cb, v);
        return v;
    }
    if (rc == DB_DONE)
        reply_error_msg(
            r, ERR_NOT_FOUND,
            arena_printf(r->arena, "%s第 %lld 版不存在", e->versions->zh, (long long)number),
            arena_printf(r->arena, "%s %lld does not exist", e->versions->en, (long long)number));
    else
        db_fail_reply(r, rc);
    return NULL;
}

/* GET {path}/{id}/versions: {items: [{number, title, note, chars, created_by, created_by_name,
 * created_at}]}, newest first. */
void entity_versions_list_route(struct req *r) {
    const struct entity *e;
    int64_t id;
    struct entity_ctx c;
    if (record_or_reply(r, &e, &id, &c)) return;
    int rc;
    json_t *items = entity_versions_json(r->db, e->versions, id, &rc);
    if (!items) {
        db_fail_reply(r, rc);
        return;
    }
    reply_json(r, 200, json_pack("{s:o}", "items", items));
}

/* GET {path}/{id}/versions/{n}: the version with its body. */
void entity_version_get_route(struct req *r) {
    const struct entity *e;
    int64_t id, number;
    struct entity_ctx c;
    if (record_or_reply(r, &e, &id, &c) || req_id_or_reply(r, 1, &number)) return;
    json_t *v = version_or_reply(r, e, id, number);
    if (v) reply_json(r, 200, json_incref(v));
}

/* POST {path}/{id}/versions {title?, body, note?, version}: the next version (201 with it).
 * A new draft is a change of the record: its `version` (the one the caller read) is claimed and
 * bumped like an edit, so a stale one answers 409, and a step taken on the record as read before
 * the draft (a review passing "the draft I saw") answers 409 stale_version instead of passing a
 * text its author never read. One transaction: the version, the bump, the timeline event (a
 * kind that keeps one) and the audit record <audit_type>.version. */
void entity_version_add_route(struct req *r) {
    const struct entity *e;
    int64_t id;
    json_t *body;
    struct entity_ctx c;
    if (req_json_or_reply(r, &body) || record_or_reply(r, &e, &id, &c)) return;
    const struct entity_versions *d = e->versions;
    const struct field args[] = {
        {"title", FT_TEXT, "标题", "Title", 0, ENTITY_VERSION_TITLE_MAX},
        {"body", FT_LONGTEXT, "正文", "Text", 1, d->max_chars, F_REQUIRED},
        {"note", FT_LONGTEXT, "修改说明", "What changed", 0, ENTITY_VERSION_NOTE_MAX},
        {"version", FT_INT, "版本号", "Version", 1, INT64_MAX / 2, e->unversioned ? 0 : F_REQUIRED},
    };
    struct problems pr = {.arena = r->arena};
    json_t *in = fields_check(args, ENTITY_N(args), body, FV_ALL, &pr);
    arena_on_free(r->arena, json_free_cb, in);
    if (pr.n) {
        entity_reply_problems(r, &pr);
        return;
    }
    const char *title = entity_text(in, "title"), *text = entity_text(in, "body"),
               *note = entity_text(in, "note");
    int64_t number = 0;
    if (tx_begin_or_reply(r) ||
        (!e->unversioned &&
         version_bump_or_reply(r, e->table, id,
                               json_integer_value(json_object_get(in, "version")))))
        return;
    int rc = entity_version_add(r->db, d, id, title, text, note, r->who.user_id, &number);
    if (rc != DB_OK) {
        db_fail_reply(r, rc);
        return;
    }
    json_t *detail = json_pack("{s:I,s:s,s:I,s:s}", "number", (json_int_t)number, "title", title,
                               "chars", (json_int_t)utf8_text_chars(text), "note", note);
    const char *type = e->audit_type ? e->audit_type : e->name;
    if (e->kind) {
        struct flow_actor actor = {&r->who, &r->actor};
        char *dtext = json_text(r->arena, detail);
        if (flow_event_append(r->db, r->arena, &actor, e->kind, id, "version", note, dtext, 0) !=
            FLOW_OK) {
            json_decref(detail);
            db_fail_reply(r, DB_ERROR);
            return;
        }
    }
    if (audit_or_reply(r, arena_printf(r->arena, "%s.version", type), type, id, detail) ||
        tx_commit_or_reply(r))
        return;
    json_t *v = version_or_reply(r, e, id, number);
    if (v) reply_json(r, 201, json_incref(v));
}

/* A version's summary in the diff's answer: what it is without its body. */
static json_t *summary(json_t *v) {
    json_t *s = json_deep_copy(v);
    json_object_del(s, "body");
    return s;
}

static json_t *line_json(int32_t no, const struct diff_text *t) {
    return no ? json_stringn(t->s, t->len) : json_null();
}

/* GET {path}/{id}/versions/diff?a=&b=: the line diff of version a (left) against b (right):
 * {a, b, rows: [{op: same|add|del|change, left_no, left, right_no, right}], added, removed,
 * changed, approximate} — bounded in work and memory (base/linediff.h; bodies are at most
 * max_chars each). */
void entity_versions_diff_route(struct req *r) {
    const struct entity *e;
    int64_t id, na = 0, nb = 0;
    int has_a = 0, has_b = 0;
    struct entity_ctx c;
    if (req_query_int_or_reply(r, "a", 1, INT64_MAX / 2, &na, &has_a) ||
        req_query_int_or_reply(r, "b", 1, INT64_MAX / 2, &nb, &has_b))
        return;
    if (!has_a || !has_b) {
        reply_field_error(r, ERR_INVALID, has_a ? "b" : "a", "请选择要比较的两个版本",
                          "Choose the two versions to compare");
        return;
    }
    if (record_or_reply(r, &e, &id, &c)) return;
    json_t *va = version_or_reply(r, e, id, na);
    json_t *vb = va ? version_or_reply(r, e, id, nb) : NULL;
    if (!vb) return;
    const char *la = json_string_value(json_object_get(va, "body"));
    const char *lb = json_string_value(json_object_get(vb, "body"));
    struct diff_result d;
    if (diff_lines(r->arena, la, strlen(la), lb, strlen(lb), NULL, &d)) {
        reply_over_budget(r);
        return;
    }
    static const char *const ops[] = {"same", "del", "add", "change"};
    json_t *rows = json_array();
    for (int32_t i = 0; i < d.n_rows; i++) {
        const struct diff_row *x = &d.rows[i];
        json_t *row = json_pack("{s:s}", "op", ops[x->op]);
        json_object_set_new(row, "left_no", x->left_no ? json_integer(x->left_no) : json_null());
        json_object_set_new(row, "left", line_json(x->left_no, &x->left));
        json_object_set_new(row, "right_no", x->right_no ? json_integer(x->right_no) : json_null());
        json_object_set_new(row, "right", line_json(x->right_no, &x->right));
        json_array_append_new(rows, row);
    }
    reply_json(r, 200,
               json_pack("{s:o,s:o,s:o,s:i,s:i,s:i,s:b}", "a", summary(va), "b", summary(vb),
                         "rows", rows, "added", (int)d.added, "removed", (int)d.removed, "changed",
                         (int)d.changed, "approximate", d.approximate));
}
