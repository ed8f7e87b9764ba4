/* security_http.c — GET /api/v1/auth/captcha: a new captcha for the sign-in page (public). */
#include "features/security/security_http.h"
#include "auth/auth.h"
#include "http/http.h"

void security_captcha(struct req *r) {
    struct login_source src;
    login_source_init(&src, r->ip);
    char id[TOKEN_TEXT];
    char *image = NULL;
    if (tx_begin_or_reply(r)) return;
    int rc = captcha_create(r->db, r->arena, &src, id, &image);
    if (rc != DB_OK) {
        db_fail_reply(r, rc);
        return;
    }
    if (tx_commit_or_reply(r)) return;
    reply_json(r, 200,
               json_pack("{s:s,s:s,s:i}", "id", id, "image", image, "expires_in", CAPTCHA_SECONDS));
}
