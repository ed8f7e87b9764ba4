/* campaign.h — 五项行动 and other campaigns (专项行动): a campaign has a name, a period, a target
 * count, a lead unit and its owning units (the scope's link table), and a state (进行中 ⇄ 已结束);
 * its items are records of any register whose entity has a workflow kind (信访, 调解, 12348 …),
 * tagged with it. An item is cleared when its record is in a final state of its kind; the
 * clearing rate is cleared items / items (and / the target). Generic over the kinds: nothing
 * here names one (campaign_demo.c lists the kinds the demo tags, one line each). */
#ifndef FAZHI_CAMPAIGN_H
#define FAZHI_CAMPAIGN_H

#include "features/entity/entity.h"
#include "features/flow/flow.h"

extern struct perm_def perm_campaign_view, perm_campaign_work, perm_campaign_manage;

extern const struct flow_kind campaign_kind;
extern const struct entity entity_campaigns, entity_campaign_items;

#define CAMPAIGN_UNITS_MAX 200 /* owning units of one campaign */

/* Tag record `record_id` of kind `kind` with campaign `campaign_id` for `who`: the campaign and
 * the record must both be in the caller's scope (else CAMPAIGN_NOT_FOUND), the kind known and
 * with an entity (else CAMPAIGN_BAD_KIND), the campaign in progress (CAMPAIGN_ENDED) and the
 * record not tagged yet (CAMPAIGN_TAGGED). Inside the caller's write transaction, with the audit
 * record. DB_OK (and *item_id) or one of these, or < 0. */
enum {
    CAMPAIGN_NOT_FOUND = 20,
    CAMPAIGN_RECORD_NOT_FOUND,
    CAMPAIGN_BAD_KIND,
    CAMPAIGN_ENDED,
    CAMPAIGN_TAGGED
};
int campaign_tag(struct db *db, struct arena *a, const struct principal *who,
                 const struct audit_actor *actor, int lang, int64_t campaign_id, const char *kind,
                 int64_t record_id, int64_t *item_id);

/* Demo (campaign_demo.c): the speech's five campaigns with targets and items tagged. */
int campaign_demo(struct db *db, struct arena *a, int32_t today);

#endif
