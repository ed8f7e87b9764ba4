/* assess.h — 年度考核: the indicator systems (考核指标体系) and their indicators as entities, the
 * permissions of the whole assessment (the scoring run is features/scoring, objections
 * features/appeal), and the rules as data (assess_rule.h).
 *
 * A system belongs to a year; a published one is never edited in place: a new version is made
 * from it (based_on_id, version_no + 1, change_note) and the old one is retired. Its indicators
 * are a tree of at most 3 levels (level 1, 2, 3; parent_id); the weights (hundredths of 分) of
 * the children of a node add up to the node's weight, and the first level's to the system's
 * total_points; bonus and veto leaves carry weight 0 and stand outside the sums. A leaf's rule
 * is `rule` (assess_rule_types), `metric` (a registry code `<entity>.<metric>`, or '') and
 * `params` (assess_rule.h's grammar). Module: assess_module.c. */
#ifndef FAZHI_ASSESS_H
#define FAZHI_ASSESS_H

#include "features/entity/entity.h"
#include "features/flow/flow.h"

/* assess.view: read systems, runs and results (a unit's clerk: its own unit's); assess.work: a
 * unit's self-assessment and objections; assess.score: an assessor's scores and re-reviews (复核);
 * assess.manage: systems, runs, publication, grades. */
extern struct perm_def perm_assess_view, perm_assess_work, perm_assess_score, perm_assess_manage;

extern const struct entity entity_assess_systems, entity_assess_indicators;

#define ASSESS_LEVELS 3

/* A draft system for `year` made from the built-in default (the national 法治政府建设 indicator
 * structure), created by `by_user`, inside the caller's transaction with its audit record:
 * *system_id. The demo and POST /api/v1/assess-systems/default use it. DB_OK or < 0. */
int assess_template_create(struct db *db, struct arena *a, int year, int64_t by_user,
                           int64_t *system_id);

/* The system's kind (草拟 → 已发布 → 已停用; 新版本): assess_system.c. */
extern const struct flow_kind assess_system_kind;

/* What keeps a system from being published, every problem at once in words naming the
 * indicator codes: children's weights against their parent's, the first level against
 * total_points, levels, leaves without a rule, rules assess_rule_parse refuses, unknown metrics,
 * metrics on rules that take none. *problems: [{code, zh, en}] (new reference; empty when it may
 * be published). DB_OK, DB_DONE (no such system) or < 0. */
int assess_system_check(struct db *db, struct arena *a, int64_t system_id, json_t **problems);
/* What the system changed against the one it is based on: {based_on_id, based_on_version,
 * added:[indicator], removed:[indicator], changed:[{code, name, fields:[{field, old, new}]}]}
 * (weights as numbers of 分). No base: the lists are empty. DB_OK, DB_DONE or < 0. */
int assess_system_changes(struct db *db, struct arena *a, int64_t system_id, json_t **out);
/* The registry of metrics a leaf may name: {items:[{code, entity, entity_title, metric, zh, en,
 * type, hint}]} in the language (lang 1 English), every metric of every entity with metrics. */
json_t *assess_metric_registry(int lang);

/* The indicators of a system as rows of the system's Excel sheet (assess_xlsx.c, the import's
 * keys): code, level, parent_code, name, weight (分), rule, metric, params, method, evidence. */
/* Replace the indicators of draft system_id by `rows` (the sheet's rows, keys as above): every
 * row checked first — codes, parents, levels, rules, weights adding up — and *errors filled
 * ([{row, column, message}] in the language) with nothing written when any is wrong. DB_OK
 * (written, or *errors non-empty), or < 0. */
int assess_system_import(struct db *db, struct arena *a, int64_t system_id, json_t *rows, int lang,
                         const struct audit_actor *actor, json_t **errors);

/* The module's demo: the 2025 and 2026 systems from the template, published; 2026 revised. */
int assess_demo(struct db *db, struct arena *a, int32_t today);

#endif
