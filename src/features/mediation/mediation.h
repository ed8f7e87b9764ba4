/* mediation.h — 矛盾纠纷 (人民调解) cases: registered (受理) by the mediation committee that takes
 * them, routed by grade (分流: simple → a village or community committee, complex → a street or
 * township, difficult → the district), mediated in sessions (a child record), concluded with an
 * agreement (terms, performance, 司法确认) or without one (调解不成: the reason, where it was
 * referred), followed up (回访) and archived as one file (一案一档: the archive number); a 30-day
 * target as a statutory clock. Everything is a declaration: the entities mediations and
 * mediation_sessions and the kind mediation (mediation.c), the module (mediation_module.c). */
#ifndef FAZHI_MEDIATION_H
#define FAZHI_MEDIATION_H

#include "features/entity/entity.h"
#include "features/flow/flow.h"

extern struct perm_def perm_mediation_view, perm_mediation_work, perm_mediation_manage;

extern const struct flow_kind mediation_kind;
extern const struct entity entity_mediations, entity_mediation_sessions;
extern const struct entity_parties mediation_parties;

#define MEDIATION_GRADES 3
/* grade code → the level it is routed to and the unit kinds (org.c) of that level */
struct mediation_level {
    const char *grade, *level;
    const char *const *unit_kinds; /* NULL-terminated */
};
extern const struct mediation_level mediation_levels[MEDIATION_GRADES];

/* Register (受理) one case from checked input (received_on, source, dispute_type, summary,
 * handling_unit_id): its number, its 30-day clock started on the day received, the audit record —
 * inside the caller's write transaction. */
int mediation_insert(struct db *db, struct arena *a, const struct audit_actor *actor, json_t *in,
                     int64_t *id);

/* Demo data (mediation_demo.c): a year of cases across the demo villages, streets, townships and
 * the district walked through the kind as the right accounts; for `fazhi demo --scale`,
 * 2.5 × volume cases in set-based inserts with their clocks. DB_OK or < 0. */
int mediation_demo(struct db *db, struct arena *a, int32_t today);
int mediation_demo_scale(struct db *db, int64_t volume, int32_t today);

#endif
