/* people_http.c — the whole phone number of a person (查看完整号码): needs person.reveal and
 * leaves an audit record. List, get, create, update and delete are the people entity's
 * generated routes (org_entities.c); phone numbers are stored sealed and answered masked. */
#include <string.h>

#include "base/crypto.h"
#include "features/entity/entity_http.h"
#include "features/org/org.h"
#include "features/org/org_http.h"
#include "http/http.h"

void people_phone(struct req *r) {
    int64_t id;
    struct entity_ctx c;
    if (req_id_or_reply(r, 0, &id) || entity_ctx_or_reply(r, &entity_people, EP_GET, &c)) return;
    json_t *p = entity_get_or_reply(r, &c, id); /* in the caller's scope, or 404 */
    if (!p) return;
    json_decref(p);
    const char *sealed = NULL;
    int rc = person_phone_sealed(r->db, r->arena, id, &sealed);
    if (rc < 0) {
        db_fail_reply(r, rc);
        return;
    }
    const char *phone =
        sealed ? pii_open(r->arena, pii_ad(r->arena, "people", id, "phone_enc"), sealed) : "";
    if (sealed && !phone) {
        reply_error_msg(r, ERR_INTERNAL, "个人信息无法解密（密钥不匹配）",
                        "Personal data cannot be decrypted (wrong key)");
        return;
    }
    /* Seeing personal data whole is itself recorded. */
    if (tx_begin_or_reply(r)) return;
    if (audit_or_reply(r, "person.reveal", "person", id, json_pack("{s:s}", "field", "phone")))
        return;
    if (tx_commit_or_reply(r)) return;
    reply_json(r, 200, json_pack("{s:s}", "phone", phone ? phone : ""));
}
