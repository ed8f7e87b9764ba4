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

#endif
