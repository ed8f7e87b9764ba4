/* decision_demo.c — placeholder, filled below */
#include "features/decision/decision.h"
int decision_demo(struct db *db, struct arena *a, int32_t today) {
    (void)db;
    (void)a;
    (void)today;
    return DB_OK;
}
int decision_demo_scale(struct db *db, int64_t volume, int32_t today) {
    (void)db;
    (void)volume;
    (void)today;
    return DB_OK;
}
