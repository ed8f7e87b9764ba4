/* normdoc_demo.c — demo data (placeholder). */
#include "features/normdoc/normdoc.h"

int normdoc_demo(struct db *db, struct arena *a, int32_t today) {
    (void)db, (void)a, (void)today;
    return DB_OK;
}
int normdoc_demo_scale(struct db *db, int64_t volume, int32_t today) {
    (void)db, (void)volume, (void)today;
    return DB_OK;
}
