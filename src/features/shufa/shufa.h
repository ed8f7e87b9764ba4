/* shufa.h — 述法: the annual report of each unit's first responsible person (党政主要负责人,
 * 第一责任人, DOMAIN.md "Organisation") on how they fulfilled the duty of advancing the rule of
 * law, written against the office's configurable list of items for their kind of speaker
 * (shufa_items), reviewed and scored by the office item by item within each item's maximum, and
 * recorded for the assessment as metrics (average score of the rated reports, share submitted).
 *
 * Entities (shufa.c): shufa_items (the list, per speaker kind), shufa_reports (kind
 * shufa_report: 撰写中 → 已提交 → 退回修改 / 已评定; one per person and year; the items are copied
 * into the report when it is made, so a later change of the list leaves the year's reports as
 * they were written), shufa_report_items (the report's text and score per item: the record
 * page's child list). The office opens a year for every first responsible person at once
 * (shufa_open_year, POST /api/v1/shufa-reports/open: shufa_http.c). Module: shufa_module.c. */
#ifndef FAZHI_SHUFA_H
#define FAZHI_SHUFA_H

#include "features/entity/entity.h"
#include "features/flow/flow.h"

extern struct perm_def perm_shufa_view, perm_shufa_work, perm_shufa_manage;

extern const struct flow_kind shufa_report_kind;
extern const struct entity entity_shufa_items, entity_shufa_reports, entity_shufa_report_items;

/* The speaker kind of a unit kind (units.kind), as SQL over the column `kind`: 街道/乡镇 →
 * township, 区直部门、法院、检察院、办公室 → department, 村（社区） → village, others (委员会,
 * 协调小组) NULL: they give no 述法. */
#define SHUFA_SPEAKER_SQL(kind)                                                                    \
    "(CASE " kind " WHEN 'street' THEN 'township' WHEN 'township' THEN 'township' WHEN "           \
    "'village' THEN 'village' WHEN 'department' THEN 'department' WHEN 'office' THEN "             \
    "'department' WHEN 'court' THEN 'department' WHEN 'procuratorate' THEN 'department' END)"

/* The grade of a total and its maximum (SQL over two columns): 优秀 ≥ 90 %, 良好 ≥ 80 %,
 * 合格 ≥ 60 %, else 不合格. */
#define SHUFA_GRADE_SQL(total, max)                                                                \
    "CASE WHEN " max " <= 0 THEN 'fail' WHEN 100 * " total " >= 90 * " max " THEN 'excellent' "    \
    "WHEN 100 * " total " >= 80 * " max " THEN 'good' WHEN 100 * " total " >= 60 * " max           \
    " THEN 'pass' ELSE 'fail' END"

/* Make the year's draft report of every active first responsible person of an active unit that
 * gives 述法 and has none yet, with its items copied from the active list of its speaker kind:
 * set-based (a fixed number of statements), inside the caller's write transaction; *created the
 * number made. DB_OK or < 0. */
int shufa_open_year(struct db *db, struct arena *a, int64_t year, int64_t actor_id,
                    int64_t *created);

/* Demo data (shufa_demo.c): the year's reports of the demo units' first responsible persons in
 * every state, written, submitted, returned and scored as the right accounts; --scale: the year
 * opened for every unit (one report per unit and year). DB_OK or < 0. */
int shufa_demo(struct db *db, struct arena *a, int32_t today);
int shufa_demo_scale(struct db *db, int64_t volume, int32_t today);

#endif
