/* inspection.h — 法治督察: 督察方案 (the year's annual plan and special 专项 inspections) as a
 * kind — 草拟 → 报批 → 已批准 (or 退回) → 已通知 → 实施中 → 已反馈 → 已完成, 终止 with a reason —
 * with its child records: the items checked (each with its legal basis), the team (members from
 * the inspectors directory, inside or outside the unit tree), the targets (the inspected units,
 * who acknowledge the notice: a kind of their own) and the inspection records per target
 * (method, date, participants, what was checked, conclusion, evidence attachments, optionally a
 * 案卷评查 sheet of the enforcement module as the check list).
 *
 * Who reads a plan (the entities' `visible` hook): the office (inspection.manage) and readers
 * whose role reads every unit without working on inspections (leaders) read every plan; anyone
 * else — an inspector (inspection.work), a unit's clerk — the plans they are on (their account
 * is an inspector's user_id on the plan's team) and, with a unit scope, the plans whose targets
 * include a unit of their scope. Targets and records: the plans they are on, and the rows of the
 * units in their scope.
 *
 * Everything is a declaration (features/entity, features/flow): no *_http.c. */
#ifndef FAZHI_INSPECTION_H
#define FAZHI_INSPECTION_H

#include "features/entity/entity.h"
#include "features/flow/flow.h"

extern struct perm_def perm_inspection_view, perm_inspection_work, perm_inspection_manage;

extern const struct flow_kind inspection_plan_kind, inspection_target_kind;
extern const struct entity entity_inspection_plans, entity_inspection_items, entity_inspection_team,
    entity_inspection_targets, entity_inspection_records;

#define INSPECTION_METHODS     9
#define INSPECTION_TARGETS_MAX 500 /* units one plan names: each is told at 通知 in the step */
extern const struct field_option inspection_methods[INSPECTION_METHODS];

/* The caller reads plans only through the rule above (not the office, not a reader of every
 * unit who does not work on inspections). */
int inspection_narrowed(const struct principal *p);
/* " AND (…)": the plan `plan_col` is one the caller is on, or (with a unit scope) names a unit
 * of their scope as a target; with unit_col, also the rows whose unit is in their scope. */
void inspection_plan_condition(const struct entity_ctx *c, struct query *q, const char *plan_col,
                               const char *unit_col);
/* File owner "inspection_record": the record's reader reads its evidence. */
int inspection_record_file_readable(struct db *db, const struct principal *who, int64_t id);

/* Demo data (inspection_demo.c). DB_OK or < 0. */
int inspection_demo(struct db *db, struct arena *a, int32_t today);
int inspection_demo_scale(struct db *db, int64_t volume, int32_t today);

#endif
