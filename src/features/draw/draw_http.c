/* draw_http.c — a draw's steps after its commitment: the public random value (once), the
 * redraw with a reason, the published document and the recomputation (draw.h). */
#include "features/draw/draw_http.h"

#include <string.h>

#include "features/draw/draw.h"
#include "features/entity/entity_http.h"

/* The draw as GET /api/v1/draws/{id} answers it, with status 200 or 201. */
static void reply_draw(struct req *r, int status, int64_t id) {
    struct entity_ctx c;
    if (entity_ctx_or_reply(r, &entity_draws, EP_GET, &c)) return;
    json_t *out = entity_get_or_reply(r, &c, id);
    if (out) reply_json(r, status, out);
}

/* A draw step's refusal after a rollback; 0 when rc is DB_OK. */
static int refused_or_reply(struct req *r, int rc, const struct problems *pr) {
    if (rc == DB_OK) return 0;
    db_rollback(r->db);
    switch (rc) {
    case DRAW_NOT_FOUND:
        reply_error(r, ERR_NOT_FOUND, NULL);
        break;
    case DRAW_HAS_VALUE:
        reply_error_msg(r, ERR_CONFLICT, "随机数已录入，抽取结果已确定，不能再次录入",
                        "The random value was entered already: the result is fixed");
        break;
    case DRAW_SUPERSEDED:
        reply_error_msg(r, ERR_CONFLICT, "该抽取已作废重抽，请在新的抽取上操作",
                        "This draw was superseded by a redraw: use the new one");
        break;
    case ENTITY_INVALID:
        entity_reply_problems(r, pr);
        break;
    default:
        reply_db_error(r, rc);
        break;
    }
    return -1;
}

void draw_value_post(struct req *r) {
    int64_t id;
    json_t *body;
    if (req_id_or_reply(r, 0, &id) || req_json_or_reply(r, &body)) return;
    struct form f;
    form_init(&f, r, body);
    const char *witness = form_text(&f, "witness", 1, 1, 100);
    const char *value = form_text(&f, "value", 1, 1, 200);
    if (form_ok_or_reply(&f) || tx_begin_or_reply(r)) return;
    int rc = draw_enter_value(r->db, r->arena, &r->actor, id, witness, value);
    if (refused_or_reply(r, rc, NULL) || tx_commit_or_reply(r)) return;
    reply_draw(r, 200, id);
}

void draw_redraw_post(struct req *r) {
    int64_t id;
    json_t *body;
    if (req_id_or_reply(r, 0, &id) || req_json_or_reply(r, &body)) return;
    struct form f;
    form_init(&f, r, body);
    const char *reason = form_text(&f, "reason", 1, 5, 500);
    const char *kind = form_text(&f, "source_kind", 0, 0, 16);
    const char *source = form_text(&f, "source", 0, 0, 200);
    if (*kind && strcmp(kind, "witness") && strcmp(kind, "public"))
        form_error(&f, "source_kind", "随机数来源为见证人（witness）或公开开奖（public）",
                   "witness or public");
    if (form_ok_or_reply(&f) || tx_begin_or_reply(r)) return;
    struct problems pr = {.arena = r->arena};
    int64_t new_id = 0;
    int rc = draw_redraw(r->db, r->arena, &r->actor, id, reason, kind, source, &pr, &new_id);
    if (refused_or_reply(r, rc, &pr) || tx_commit_or_reply(r)) return;
    reply_draw(r, 201, new_id);
}

void draw_published_get(struct req *r) {
    int64_t id;
    if (req_id_or_reply(r, 0, &id)) return;
    int rc;
    json_t *out = draw_published(r->db, r->arena, id, &rc);
    if (!out) {
        if (rc == DRAW_NOT_FOUND)
            reply_error(r, ERR_NOT_FOUND, NULL);
        else
            reply_db_error(r, rc);
        return;
    }
    reply_json(r, 200, out);
}

void draw_verify_get(struct req *r) {
    int64_t id;
    if (req_id_or_reply(r, 0, &id)) return;
    struct draw_check v;
    int rc = draw_verify(r->db, r->arena, id, &v);
    if (rc == DRAW_NOT_FOUND) {
        reply_error(r, ERR_NOT_FOUND, NULL);
        return;
    }
    if (rc != DB_OK) {
        reply_db_error(r, rc);
        return;
    }
    int match = v.commitment_ok && (!v.drawn || (v.seed_ok && v.result_ok));
    json_t *lines = json_array();
    for (const char *p = v.result; p && *p;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        json_array_append_new(lines, json_stringn(p, n));
        p += n + (nl != NULL);
    }
    json_t *out =
        json_pack("{s:b, s:b, s:b, s:s, s:o, s:o, s:o, s:o}", "match", match, "drawn", v.drawn,
                  "commitment_match", v.commitment_ok, "commitment", v.commitment, "seed_match",
                  json_boolean(v.seed_ok), "result_match", json_boolean(v.result_ok), "seed",
                  v.drawn && v.result ? json_string(v.seed) : json_null(), "result", lines);
    json_object_set_new(out, "message",
                        match ? json_string(tr(r, "承诺值、种子与抽取结果均与重新计算一致",
                                               "Commitment, seed and result recompute equal"))
                              : json_string(v.why ? v.why : "mismatch"));
    reply_json(r, 200, out);
}
