/* inspection_demo.c — the demo's 督察方案 (placeholder). */
#include "features/inspection/inspection.h"

int inspection_demo(struct db *db, struct arena *a, int32_t today) {
    (void)db;
    (void)a;
    (void)today;
    return DB_OK;
}

int inspection_demo_scale(struct db *db, int64_t volume, int32_t today) {
    (void)db;
    (void)volume;
    (void)today;
    return DB_OK;
}
