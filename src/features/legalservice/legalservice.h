/* legalservice.h — 公共法律服务 (12348) requests: consultation, legal aid, mediation,
 * notarisation, judicial appraisal and lawyer services, registered by the centre, assigned to a
 * handling unit, accepted, completed and followed up (回访, satisfaction 1–5), each with a handling
 * time limit by type (settings). Everything is a declaration: the entity legal_services and the
 * kind legal_service (legalservice.c), the module (legalservice_module.c). */
#ifndef FAZHI_LEGALSERVICE_H
#define FAZHI_LEGALSERVICE_H

#include "features/entity/entity.h"
#include "features/flow/flow.h"

extern struct perm_def perm_legal_service_view, perm_legal_service_work, perm_legal_service_manage;

#define LS_TYPES 6
extern const struct field_option legal_service_types[LS_TYPES]; /* code, labels */
extern const struct field_option legal_service_status_options[];
int legal_service_type_index(const char *code); /* -1 when not a type */

extern const struct flow_kind legal_service_kind;
extern const struct entity entity_legal_services;
extern const struct entity_parties legal_service_parties; /* 申请人 */
/* Module migration 2: the applicants' names and phones of the table's rows sealed into
 * case_parties (before the plaintext column is dropped). DB_OK or < 0. */
int legal_service_parties_migrate(struct db *db);

/* Register one request (登记) from checked input (received_on, channel, service_type,
 * summary): its number, its time limit started on the day received, the audit record — inside
 * the caller's write transaction. The applicant (申请人: name, ID number, phone) is a party
 * (legal_service_parties), written by the entity layer or the caller. */
int legal_service_insert(struct db *db, struct arena *a, const struct audit_actor *actor,
                         json_t *in, int64_t *id);

/* Demo data (legalservice_demo.c): a few dozen requests across units and states walked through
 * the kind as the right accounts; and, for `fazhi demo --scale`, `n` requests in set-based
 * inserts. DB_OK or < 0. */
int legal_service_demo(struct db *db, struct arena *a, int32_t today);
int legal_service_demo_scale(struct db *db, int64_t n, int32_t today);

#endif
