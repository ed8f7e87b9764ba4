/* appeal.h — 年度考核's 申辩 and 复核, and the leaders' charts. A unit that disagrees with one of
 * its published score cells objects (申辩: kind assess_objection, SB<year>-<id 6>) within the
 * objection window (today ≤ the run's objection_until: publication + setting
 * assess.objection_days working days), with a reason, the points it asks for and evidence; the
 * office names a re-reviewer (an account holding assess.score other than the cell's assessor),
 * who within setting assess.review_days working days (a stored clock) upholds the score (维持) or
 * changes it (改分: points within the leaf's range and a reason) through scoring_override, which
 * records the change and recomputes the unit's total, the ranks and the grades. The unit
 * withdraws an objection not yet assigned.
 *
 * Entity (appeal.c): assess_objections (scope: the cell's unit). Charts (appeal_charts.c):
 * GET /api/v1/assess/charts. Module: appeal_module.c. */
#ifndef FAZHI_APPEAL_H
#define FAZHI_APPEAL_H

#include "features/entity/entity.h"
#include "features/flow/flow.h"

extern const struct flow_kind assess_objection_kind;
extern const struct entity entity_assess_objections;

/* The entity's create as of local day `today` (the API: today; the demo: its day): checks the
 * cell (the caller's unit's, its run published, today ≤ objection_until, one objection per
 * cell), writes the objection, its number, evidence and audit record, tells the office. Returns
 * as an entity create hook. */
int appeal_objection_create(struct entity_write *w, int32_t today);

/* Files of an objection (owner assess_objection): whoever reads the objection. */
int appeal_file_readable(struct db *db, const struct principal *who, int64_t objection_id);

/* The leaders' charts of run run_id (0: the newest run the caller may read) for unit unit_id
 * (0: the caller's own unit when it was assessed, else the run's first): {run_id, year,
 * unit_id, ranking: {department: [{unit_id, name, total, grade, rank}], township: […]}, areas:
 * [{indicator_id, code, name, weight}], radar: {unit_id, name, values, rates}, average,
 * average_rates, years: [{year, run_id, total, rank_category}]}. Points are hundredths, rates
 * percent of the area's weight × 100. A caller whose scope is not `all` (a unit's clerk) reads
 * only published or final runs, only its own unit's radar and years, and in the ranking only its
 * own category, the other units there without id, name or grade (their totals and ranks tell
 * where it stands, not who the others are). A fixed number of queries. DB_OK with *out (new
 * reference), DB_DONE (no such run for the caller, or a unit outside its scope), < 0. */
int appeal_charts_json(struct db *db, struct arena *a, const struct principal *who, int64_t run_id,
                       int64_t unit_id, int lang, json_t **out);

/* Demo data (appeal_demo.c): on the 2026 run, if the scoring demo published one, three
 * objections by units' clerks — one upheld, one changed (a rank moves), one waiting for its
 * re-reviewer (so the run is not finalized). DB_OK or < 0. */
int appeal_demo(struct db *db, struct arena *a, int32_t today);

#endif
