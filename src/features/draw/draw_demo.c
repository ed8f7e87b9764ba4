/* draw_demo.c — the demo directory of 双随机 and its draws (filled in below). */
#include "features/draw/draw.h"

int draw_demo(struct db *db, struct arena *a, int32_t today) {
    (void)db;
    (void)a;
    (void)today;
    return DB_OK;
}

int draw_demo_scale(struct db *db, int64_t volume, int32_t today) {
    (void)db;
    (void)volume;
    (void)today;
    return DB_OK;
}
