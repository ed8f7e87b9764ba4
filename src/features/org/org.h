/* org.h — the organisation: units (委员会, 办公室, 协调小组, 成员单位 …) as a tree, and people
 * with their first-responsible (第一责任人) and liaison (联络员) marks.
 * Each unit keeps `path` ("/1/7/12/": its ancestors and itself) so subtree scope is one LIKE. */
#ifndef FAZHI_ORG_H
#define FAZHI_ORG_H

#include <stdint.h>

#include "audit/audit.h"
#include "base/arena.h"
#include "features/entity/entity.h"
#include "store/db.h"

/* Unit kinds (机构类型): the options of the units' `kind` field. */
extern const struct field_option unit_kinds[];
extern const int unit_kind_count;
const struct field_option *unit_kind_by_code(const char *code);

int unit_code_valid(const char *code); /* 1–32 of [A-Za-z0-9_-] */

/* Insert a unit under parent_id (0 = root) and set its path. Appends the audit record. */
int unit_create(struct db *db, const struct audit_actor *who, const char *code, const char *name,
                const char *short_name, const char *kind, int64_t parent_id, int64_t sort_order,
                int64_t *id);
/* Move a unit (and its subtree) under new_parent (0 = root). Caller checks for cycles. */
int unit_move(struct db *db, int64_t id, int64_t new_parent);
/* 1 when `candidate` is `id` or lies below it. */
int unit_is_descendant(struct db *db, int64_t id, int64_t candidate);
int64_t unit_id_by_code(struct db *db, const char *code); /* 0 when absent */

/* Personal data: phone numbers are sealed with the PII key and shown masked. */
const char *phone_mask(struct arena *a, const char *phone);
int phone_valid(const char *phone);
/* Set a unit active or not, with its audit record (unit.activate / unit.deactivate). */
int unit_set_active(struct db *db, const struct audit_actor *who, int64_t id, int active);
/* The sealed phone of a person (arena text, NULL when none). DB_ROW, DB_DONE or < 0. */
int person_phone_sealed(struct db *db, struct arena *a, int64_t id, const char **sealed);

/* The entities (org_entities.c): lists, reads and writes through the entity layer. */
extern const struct entity entity_units, entity_people;
/* The unit tree in the caller's scope: [{…, children:[…]}] (new reference) or NULL with *rc. */
json_t *unit_tree_json(struct db *db, struct arena *a, const struct principal *who, int lang,
                       int *rc);

int person_create(struct db *db, struct arena *a, const struct audit_actor *who, int64_t unit_id,
                  const char *name, const char *position, const char *phone, int first_responsible,
                  int liaison, int64_t sort_order, int64_t *id);

#endif
