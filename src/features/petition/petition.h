/* petition.h — 信访 (信访工作条例, 2022): petitions registered by the office (登记), accepted or
 * refused (受理 / 不予受理), routed to the unit with jurisdiction (转送/交办, within 15 日 of
 * registration), which may object within 5 工作日 (管辖异议) or handle it within 60 日 (+30 with
 * the office's approval), replies with an outcome (支持 / 解释说明 / 不予支持); the petitioner may
 * ask for 复查 within 30 日 (answered in 30 日) and then 复核 likewise (hearing time not counted),
 * then 办结. Backlog petitions (积案) carry a leader in charge (包案领导), monthly progress entries
 * and are cleared (销号) on the unit's request with the office's approval; a petition of the same
 * person on the same matter is linked to the first one (重复信访).
 *
 * Everything is a declaration (features/entity, features/flow): the entities petitions and
 * petition_progress and the kind petition (petition.c), the module (petition_module.c), the demo
 * (petition_demo.c). No *_http.c. */
#ifndef FAZHI_PETITION_H
#define FAZHI_PETITION_H

#include "features/entity/entity.h"
#include "features/flow/flow.h"

extern struct perm_def perm_petition_view, perm_petition_work, perm_petition_manage;

extern const struct flow_kind petition_kind;
extern const struct entity entity_petitions, entity_petition_progress;
extern const struct entity_parties petition_parties;

#define PETITION_CHANNELS 5
extern const struct field_option petition_channels[PETITION_CHANNELS];
#define PETITION_MATTERS 10
extern const struct field_option petition_matters[PETITION_MATTERS];

/* Register one petition (登记) from checked input (received_on, channel, matter_type, summary,
 * place): its number (XF<year>-<id>), its 转送交办 clock started on the day received, the audit
 * record — inside the caller's write transaction. */
int petition_insert(struct db *db, struct arena *a, const struct audit_actor *actor, json_t *in,
                    int64_t *id);
/* 重复信访: link record id to the earlier petitions of the same person (a party's ID number,
 * entity_parties_same_person) on the same matter type: repeat_of = the first of them, and
 * repeat_count = how many came before. Called once its parties are written. DB_OK or < 0. */
int petition_link_repeats(struct db *db, struct arena *a, int64_t id);

/* Demo data (petition_demo.c). DB_OK or < 0. */
int petition_demo(struct db *db, struct arena *a, int32_t today);
int petition_demo_scale(struct db *db, int64_t volume, int32_t today);

#endif
