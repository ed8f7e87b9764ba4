/* accountability.h — 问责: the records of the measures taken against a unit or an official for
 * failings found by inspection (约谈, 通报批评, 责令检查, 诫勉, 组织处理, 纪律处分): the unit held
 * to account (the scope's column), the official (name and position: personal data of an official
 * under accountability, read only with accountability.view and in no public answer), the measure,
 * the deciding body, the day decided (never in the future), the reason and basis, the document
 * number, and the finding it follows (inspection_findings, linked after the merge). One entity
 * (accountability.c) with its metrics (counted by measure and by unit), Excel export and the
 * import of the office's old spreadsheet; the module (accountability_module.c). */
#ifndef FAZHI_ACCOUNTABILITY_H
#define FAZHI_ACCOUNTABILITY_H

#include "features/entity/entity.h"

extern struct perm_def perm_accountability_view, perm_accountability_manage;
extern const struct entity entity_accountabilities;

/* Demo data (accountability_demo.c): records of every measure across the demo units; for
 * `fazhi demo --scale`, 0.001 × volume records in one set-based insert. DB_OK or < 0. */
int accountability_demo(struct db *db, struct arena *a, int32_t today);
int accountability_demo_scale(struct db *db, int64_t volume, int32_t today);

#endif
