/* finding.h — 法治督察 问题整改: findings (问题清单) and their rectification loop, and bulletins
 * (通报). A finding names the responsible unit, its category (data dictionary
 * finding_category), severity and the rule it breaks; 下达整改 creates a 督办 task for the unit
 * whose origin is the finding (task origin, features/flow/flow.h), so reminders, reports and
 * lights work as for tasks. The unit works on that task (签收, 进展, 申请办结 with its report
 * and evidence); its close request moves the finding to 待验收 (the kind's child_step); 验收 by
 * an inspector or the office passes (the task is closed) or fails (returned to the unit); 回头看
 * months later closes it (销号) or finds a relapse (a new task). Overdue and failed items
 * escalate to the office and the unit's first responsible person (a daily job). Bulletins are
 * drafted from a plan's findings, edited as versions, approved and published.
 *
 * Writers expect the caller's write transaction (the engine's rule). */
#ifndef FAZHI_FINDING_H
#define FAZHI_FINDING_H

#include "features/entity/entity.h"
#include "features/flow/flow.h"
#include "store/job.h"

extern struct perm_def perm_finding_view, perm_finding_work, perm_finding_manage;

extern const struct flow_kind finding_kind, bulletin_kind;
extern const struct entity entity_inspection_findings, entity_bulletins;
extern const struct entity_versions bulletin_versions;

/* The bulletin's draft text drafted from the findings of plan_id (0: findings with no plan),
 * grouped by unit and category with counts and each finding's number and rule (arena). NULL on
 * a database error. */
const char *bulletin_draft_text(struct db *db, struct arena *a, int64_t plan_id, int lang);

/* The daily escalation job (finding_job.c): findings whose rectification is overdue or whose
 * verification failed rise one level (1: overdue or one failed verification; 2: overdue longer
 * than finding.escalate_days or failed twice or more), at most once per level: the office
 * (finding.manage) and the unit's first responsible person's account are told, the finding
 * records the level, when, and a timeline event. */
int finding_job_start(struct db *db, int32_t today, int32_t last_ok, char *state);
int finding_job_read(struct db *db, struct arena *a, const char *state, void **batch);
int finding_job_write(struct db *db, void *batch, char *state);
void finding_job_result(const char *state, char *out, size_t n);

int finding_demo(struct db *db, struct arena *a, int32_t today);
int finding_demo_scale(struct db *db, int64_t volume, int32_t today);

#endif
