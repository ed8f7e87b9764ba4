/* litigation.h — 行政应诉 (an agency as defendant in administrative litigation, 行政诉讼法):
 * the case (案号, court, instance, cause, the defendant unit, parties), the defence within 15 日
 * of receiving the complaint (第六十七条), hearings with whether the agency head appeared in
 * person (负责人出庭应诉, 第三条第三款) as child records, the judgment, the appeal within 15 日
 * (第八十五条) and 结案. One record is one case across its instances: an appeal moves the same
 * record to 二审 (the first instance's court, 案号 and result are kept on it and in its
 * timeline). Declarations only: litigation.c, the module litigation_module.c, demo data
 * litigation_demo.c. */
#ifndef FAZHI_LITIGATION_H
#define FAZHI_LITIGATION_H

#include "features/entity/entity.h"
#include "features/flow/flow.h"

extern struct perm_def perm_litigation_view, perm_litigation_work, perm_litigation_manage;

extern const struct flow_kind litigation_kind;
extern const struct entity entity_litigations, entity_litigation_hearings;
extern const struct entity_parties litigation_parties;

/* Register one case from checked input (court_case_no, court, instance, cause,
 * defendant_unit_id, filed_on, served_on, claim): its number YS<year>-<id>, the defence clock
 * (15 日 from served_on) and the audit record — inside the caller's write transaction. */
int litigation_insert(struct db *db, struct arena *a, const struct audit_actor *actor, json_t *in,
                      int64_t *id);
/* Record one hearing of case `litigation_id` (checked input as the hearings entity takes it)
 * with the audit record, inside the caller's transaction. */
int litigation_hearing_insert(struct db *db, struct arena *a, const struct audit_actor *actor,
                              json_t *in, int64_t *id);

/* Demo data: a year of cases walked through the kind, hearings with and without the agency
 * head; and `n` cases set-based with their defence clocks for `fazhi demo --scale`. */
int litigation_demo(struct db *db, struct arena *a, int32_t today);
int litigation_demo_scale(struct db *db, int64_t n, int32_t today);

#endif
