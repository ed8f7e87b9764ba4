/* decision.h — 重大行政决策 (重大行政决策程序暂行条例, 国务院令第713号): the decision file, a kind
 * on the engine whose statutory steps are gates in order — 公众参与 → 专家论证 → 风险评估 →
 * 合法性审查 → 集体讨论决定, then 公布 (with 解读), 执行 (reports of the executing unit, child
 * records) and 决策后评估 — and the expert pool (专家库) with declared interests and drawing.
 * Each step is a row of decision_steps (done, skipped with its reason, or refused with the
 * reviewer's reasons) that keeps the draft version it saw (entity_version_latest) and, through
 * the step's timeline event, its documents. Declarations: decision.c (kind, decisions,
 * execution reports), decision_experts.c (the pool), decision_module.c, decision_demo.c. */
#ifndef FAZHI_DECISION_H
#define FAZHI_DECISION_H

#include "features/entity/entity.h"
#include "features/flow/flow.h"

extern struct perm_def perm_decision_view, perm_decision_work, perm_decision_manage;

extern const struct flow_kind decision_kind;
extern const struct entity entity_decisions, entity_decision_reports, entity_experts,
    entity_expert_interests;
extern const struct entity_versions decision_versions;

/* Register one decision from checked input (title, lead_unit_id, started_on, summary, item_id,
 * draft): its number JC<year>-<id>, draft version 1 and the audit record — inside the caller's
 * write transaction. */
int decision_insert(struct db *db, struct arena *a, const struct audit_actor *actor, json_t *in,
                    int64_t *id);
/* An expert of the pool, one declared interest in a decision: inside the caller's transaction,
 * with the audit record. */
int decision_expert_insert(struct db *db, struct arena *a, const struct audit_actor *actor,
                           json_t *in, int64_t *id);
int decision_interest_insert(struct db *db, struct arena *a, const struct audit_actor *actor,
                             json_t *in, int64_t *id);
/* The interest expert_id declared in decision_id ("" when none; arena), for the refusal. */
int decision_expert_interest(struct db *db, struct arena *a, int64_t expert_id, int64_t decision_id,
                             const char **interest);

/* Demo: a decision in every state across the demo units, one that tried to decide before its
 * legality review (refused, kept on its timeline), experts with declared interests; and the
 * scaled set (0.005 × volume, set-based). */
int decision_demo(struct db *db, struct arena *a, int32_t today);
int decision_demo_scale(struct db *db, int64_t volume, int32_t today);

#endif
