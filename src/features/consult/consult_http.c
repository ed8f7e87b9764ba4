/* consult_http.c — the routes of 公开征求意见 beyond the generated ones: the public side without
 * an account (GET /api/v1/public/consultations, GET …/{id}, POST …/{id}/comments) and the staff's
 * tally (GET /api/v1/consultations/{id}/tally). Parsing, limits and answers only; the SQL is in
 * consult.c and consult_public.c. */
#include <stdio.h>
#include <string.h>

#include "base/calendar.h"
#include "features/consult/consult.h"
#include "features/consult/consult_http.h"
#include "http/http.h"
#include "store/settings.h"

#define CONTACT_MAX         100 /* characters of the optional contact line */
#define PUBLIC_PER_PAGE_MAX 50

/* What has ended is closed before the public reads it. */
static int close_or_reply(struct req *r) {
    int rc = consult_close_due(r->db, r->arena, date_today(), 50, NULL);
    if (rc != DB_OK) return db_fail_reply(r, rc);
    return 0;
}

/* GET /api/v1/public/consultations?state=open|closed|published&page=&per_page= */
void consult_public_list_route(struct req *r) {
    const char *state = req_query(r, "state");
    if (!state) state = "open";
    if (strcmp(state, "open") && strcmp(state, "closed") && strcmp(state, "published")) {
        reply_field_error(r, ERR_INVALID, "state", "须为 open、closed 或 published",
                          "Must be open, closed or published");
        return;
    }
    struct page p;
    if (req_page_or_reply(r, &p)) return;
    if (p.per_page > PUBLIC_PER_PAGE_MAX) {
        reply_field_error(r, ERR_INVALID, "per_page", "每页最多 50 条", "At most 50 per page");
        return;
    }
    if (close_or_reply(r)) return;
    int rc;
    json_t *out = consult_public_list(r->db, r->arena, state, p.offset, p.per_page, r->lang, &rc);
    if (!out) {
        reply_db_error(r, rc);
        return;
    }
    reply_json(r, 200, out);
}

/* GET /api/v1/public/consultations/{id}: not a draft; a new challenge while it takes comments. */
void consult_public_get_route(struct req *r) {
    int64_t id;
    if (req_id_or_reply(r, 0, &id)) return;
    if (close_or_reply(r)) return;
    int rc;
    json_t *o = consult_public_get(r->db, r->arena, id, r->lang, &rc);
    if (!o) {
        if (rc == DB_DONE)
            reply_error(r, ERR_NOT_FOUND, NULL);
        else
            reply_db_error(r, rc);
        return;
    }
    reply_json(r, 200, o);
}

/* POST /api/v1/public/consultations/{id}/comments {body, contact?, challenge, answer, website}
 * Bad content is refused before anything is counted; then, in one transaction, the address's
 * rate (counted whatever follows), the honeypot field and the challenge (spent whatever the
 * answer): a refusal there commits only the count and the spent challenge — no comment. */
void consult_public_comment_route(struct req *r) {
    int64_t id;
    if (req_id_or_reply(r, 0, &id)) return;
    json_t *body;
    if (req_json_or_reply(r, &body)) return;
    struct form f;
    form_init(&f, r, body);
    int64_t max = setting_int(r->db, "consult.comment_max_chars");
    const char *text = form_text(&f, "body", 1, 1, (size_t)max);
    const char *contact = form_text(&f, "contact", 0, 0, CONTACT_MAX);
    const char *token = form_text(&f, "challenge", 1, 1, 150);
    const char *answer = form_text(&f, "answer", 1, 1, 10);
    const char *trap = form_text(&f, "website", 0, 0, 1000);
    if (form_ok_or_reply(&f)) return;
    if (close_or_reply(r)) return;
    int exists = 0;
    char ends_on[11];
    int open = consult_accepting(r->db, id, date_today(), &exists, ends_on);
    if (open < 0) {
        reply_db_error(r, open);
        return;
    }
    if (!exists) {
        reply_error(r, ERR_NOT_FOUND, NULL);
        return;
    }
    if (!open) {
        reply_error_msg(r, ERR_CONSULTATION_CLOSED,
                        arena_printf(r->arena, "本次征求意见已于 %s 截止，不再接受意见", ends_on),
                        arena_printf(r->arena,
                                     "This consultation ended on %s and takes no more comments",
                                     ends_on));
        return;
    }
    struct login_source src;
    login_source_init(&src, r->ip);
    int64_t retry = 0;
    if (tx_begin_or_reply(r)) return;
    int rc = address_rate_hit(r->db, "consult", &src, setting_int(r->db, "consult.rate_max"),
                              setting_int(r->db, "consult.rate_window_minutes") * 60, &retry);
    if (rc < 0) {
        db_fail_reply(r, rc);
        return;
    }
    if (rc == 0) {
        if (tx_commit_or_reply(r)) return;
        reply_header(r, "Retry-After", arena_printf(r->arena, "%lld", (long long)retry));
        reply_error_msg(r, ERR_RATE_LIMITED,
                        arena_printf(r->arena, "您提交过于频繁，请约 %lld 分钟后再试",
                                     (long long)((retry + 59) / 60)),
                        arena_printf(r->arena,
                                     "Too many comments from your address; try again "
                                     "in about %lld minutes",
                                     (long long)((retry + 59) / 60)));
        return;
    }
    const char *zh = NULL, *en = NULL;
    rc = trap && *trap ? 0 : consult_challenge_check(r->db, id, token, answer, &zh, &en);
    if (rc < 0) {
        db_fail_reply(r, rc);
        return;
    }
    if (rc == 0) {
        if (tx_commit_or_reply(r)) return;
        if (!zh) zh = "提交未通过校验，请刷新页面后重试", en = "The form did not pass the check";
        reply_error_with(r, ERR_CHALLENGE_FAILED, zh, en,
                         json_pack("{s:s}", "answer", r->lang ? en : zh));
        return;
    }
    struct audit_actor actor = {0, "public", "public", 0, r->ip, r->request_id};
    int64_t comment_id = 0;
    rc = consult_comment_add(r->db, r->arena, &actor, id, text, contact, &comment_id);
    if (rc != DB_OK) {
        db_fail_reply(r, rc);
        return;
    }
    if (tx_commit_or_reply(r)) return;
    reply_json(
        r, 201,
        json_pack("{s:I,s:s}", "id", (json_int_t)comment_id, "message",
                  tr(r, "您的意见已提交，感谢您的参与！", "Thank you: your comment is in.")));
}

/* GET /api/v1/consultations/{id}/tally: the counts by topic and by adoption, in the caller's
 * scope (404 outside it). */
void consult_tally_route(struct req *r) {
    int64_t id;
    if (req_id_or_reply(r, 0, &id)) return;
    struct entity_ctx c;
    int rc = entity_ctx_init(&c, r->db, r->arena, &entity_consultations, &r->who, r->lang, EP_GET);
    if (rc != DB_OK) {
        reply_db_error(r, rc);
        return;
    }
    json_t *rec = entity_get(&c, id, &rc);
    if (!rec) {
        if (rc == DB_DONE)
            reply_error(r, ERR_NOT_FOUND, NULL);
        else
            reply_db_error(r, rc);
        return;
    }
    json_t *tally = consult_tally_json(r->db, id);
    if (!tally) {
        json_decref(rec);
        reply_db_error(r, DB_ERROR);
        return;
    }
    json_object_set(tally, "status", json_object_get(rec, "status"));
    json_object_set(tally, "summary", json_object_get(rec, "result_summary"));
    json_decref(rec);
    reply_json(r, 200, tally);
}
