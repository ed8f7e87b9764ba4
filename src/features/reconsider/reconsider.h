/* reconsider.h — 行政复议 (administrative reconsideration, 行政复议法 2023): applications against a
 * unit's act, the acceptance review (5 工作日, 补正 pauses it), the respondent's answer
 * (10 工作日), an optional hearing, the decision within 60 日 (+30 with approval) or 30 日 in the
 * simplified procedure, and its type (变更, 撤销, 确认违法, 责令履行, 确认无效, 维持, 驳回, 调解,
 * 和解/撤回 → 终止). Everything is a declaration: the entity reconsiderations and the kind
 * reconsideration (reconsider.c), the module (reconsider_module.c), demo data
 * (reconsider_demo.c). */
#ifndef FAZHI_RECONSIDER_H
#define FAZHI_RECONSIDER_H

#include "features/entity/entity.h"
#include "features/flow/flow.h"

extern struct perm_def perm_reconsider_view, perm_reconsider_work, perm_reconsider_manage;

extern const struct flow_kind reconsideration_kind;
extern const struct entity entity_reconsiderations;
extern const struct entity_parties reconsideration_parties;

/* Register one application (收到申请) from checked input (received_on, knew_on,
 * respondent_unit_id, act_type, act, request): its number FY<year>-<id>, the 申请期限 clock
 * (60 日 from knew_on, stopped on received_on: met or late), the acceptance review clock
 * (5 工作日 from received_on) and the audit record — inside the caller's write transaction. */
int reconsideration_insert(struct db *db, struct arena *a, const struct audit_actor *actor,
                           json_t *in, int64_t *id);

/* Demo data: a year of applications walked through the kind (every decision type, 补正,
 * extensions, simplified procedure, overdue answers); and `n` applications set-based with their
 * decision clocks for `fazhi demo --scale`. DB_OK or < 0. */
int reconsideration_demo(struct db *db, struct arena *a, int32_t today);
int reconsideration_demo_scale(struct db *db, int64_t n, int32_t today);

#endif
