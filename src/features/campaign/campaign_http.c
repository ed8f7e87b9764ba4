/* campaign_http.c — POST /api/v1/campaigns/{id}/items {kind, record_id}: tag a record of any kind
 * with a campaign (campaign_tag); the answer is the item as the campaign's item list shows it.
 * Untagging is the items entity's DELETE. */
#include "features/campaign/campaign.h"
#include "features/campaign/campaign_http.h"
#include "features/entity/entity_http.h"

void campaign_items_post(struct req *r) {
    int64_t id;
    json_t *body;
    if (req_id_or_reply(r, 0, &id) || req_json_or_reply(r, &body)) return;
    struct form f;
    form_init(&f, r, body);
    const char *kind = form_text(&f, "kind", 1, 1, 32);
    int64_t record = form_int(&f, "record_id", 1, 1, INT64_MAX / 2, 0);
    if (form_ok_or_reply(&f) || tx_begin_or_reply(r)) return;
    int64_t item = 0;
    int rc = campaign_tag(r->db, r->arena, &r->who, &r->actor, r->lang, id, kind, record, &item);
    if (rc != DB_OK) db_rollback(r->db);
    switch (rc) {
    case DB_OK:
        break;
    case CAMPAIGN_NOT_FOUND:
        reply_error(r, ERR_NOT_FOUND, NULL);
        return;
    case CAMPAIGN_RECORD_NOT_FOUND:
        reply_error_msg(r, ERR_NOT_FOUND, "事项不存在或无权查看", "No such record in your scope");
        return;
    case CAMPAIGN_BAD_KIND:
        reply_field_error(r, ERR_INVALID, "kind", "不是可纳入的事项类型",
                          "Not a kind of record that can be tagged");
        return;
    case CAMPAIGN_ENDED:
        reply_error_msg(r, ERR_CONFLICT, "专项行动已结束，不能再纳入事项",
                        "The campaign has ended: no item is added");
        return;
    case CAMPAIGN_TAGGED:
        reply_error_msg(r, ERR_CONFLICT, "该事项已纳入本专项行动",
                        "The record is already an item of this campaign");
        return;
    default:
        db_fail_reply(r, rc);
        return;
    }
    if (tx_commit_or_reply(r)) return;
    struct entity_ctx c;
    if (entity_ctx_or_reply(r, &entity_campaign_items, EP_GET, &c)) return;
    json_t *out = entity_get_or_reply(r, &c, item);
    if (out) reply_json(r, 201, out);
}
