/* entity_parties.c — 当事人 of case records (entity.h: struct entity_parties). Placeholder
 * until the sealed, masked store lands: writes nothing, finds nothing. */
#include "features/entity/entity.h"

int entity_parties_write(struct db *db, struct arena *a, const struct entity_parties *d,
                         int64_t record_id, json_t *parties) {
    (void)db, (void)a, (void)d, (void)record_id, (void)parties;
    return DB_OK;
}

int entity_parties_same_person(struct db *db, struct arena *a, const struct entity_parties *d,
                               int64_t record_id, int max, int64_t **ids, int *n) {
    (void)db, (void)a, (void)d, (void)record_id, (void)max;
    *ids = NULL;
    *n = 0;
    return DB_OK;
}
