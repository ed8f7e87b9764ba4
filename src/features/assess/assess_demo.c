/* assess_demo.c — demo indicator systems (`fazhi demo`): the 2025 and 2026 systems made from the
 * built-in template and published by the office through the kind; 2026 then gets a version 2
 * (one leaf's weight moved to its sibling, with the change note) which is published, retiring
 * version 1 — so the record pages show a retired version, a current one and what changed. */
#include <stdio.h>
#include <stdlib.h>

#include "base/calendar.h"
#include "features/assess/assess.h"
#include "features/flow/flow_demo.h"

static int publish(struct db *db, struct arena *a, int64_t id, int32_t on) {
    return flow_demo_act(db, a, &assess_system_kind, "office", id, "publish", json_object(), on, 0);
}

int assess_demo(struct db *db, struct arena *a, int32_t today) {
    int64_t office = 0;
    if (db_query_int(db, &office, "SELECT id FROM users WHERE username = 'office'", "") != DB_ROW)
        return DB_ERROR;
    char day[11];
    date_format(today, day);
    int year = atoi(day);
    int64_t last = 0, current = 0, v2 = 0;
    int rc = assess_template_create(db, a, year - 1, office, &last);
    if (rc == DB_OK) rc = publish(db, a, last, today);
    if (rc == DB_OK) rc = assess_template_create(db, a, year, office, &current);
    if (rc == DB_OK) rc = publish(db, a, current, today);
    if (rc == DB_OK)
        rc = flow_demo_act(db, a, &assess_system_kind, "office", current, "new_version",
                           json_pack("{s:s}", "change_note",
                                     "督办任务按时办结率由 1.5 分调整为 1 分，逾期未办结督办任务由 "
                                     "0.5 分调整为 1 分，突出对逾期任务的扣分"),
                           today, 0);
    if (rc == DB_OK && db_query_int(db, &v2, "SELECT id FROM assess_systems WHERE based_on_id = ?",
                                    "i", current) != DB_ROW)
        rc = DB_ERROR;
    if (rc == DB_OK)
        rc = db_exec(db,
                     "UPDATE assess_indicators SET weight = CASE code WHEN '1.4.1' THEN 100 ELSE "
                     "100 END, params = CASE code WHEN '1.4.2' THEN 'per=0.25 cap=1' ELSE params "
                     "END WHERE system_id = ? AND code IN ('1.4.1', '1.4.2')",
                     "i", v2);
    if (rc == DB_OK) rc = publish(db, a, v2, today);
    return rc;
}
