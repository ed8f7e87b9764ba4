/* calendar_module.c — the calendar module's declarations (http/module.h): permissions and their
 * grants, settings, routes and menu entries. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/calendar.h"
#include "features/calendar/calendar.h"
#include "features/calendar/calendar_http.h"
#include "http/module.h"
#include "store/settings.h"

/* Rows leave trailing fields out (route flags, setting secrecy): 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

struct perm_def perm_calendar_manage = {"calendar.manage",       "system", "维护工作日历",
                                        "Maintain the calendar", 1,        0};
static struct perm_def *const perms[] = {&perm_calendar_manage};

static const struct perm_grant grants[] = {
    {"sysadmin", "calendar.manage"},
};

static const struct route routes[] = {
    {M_GET, "/api/v1/calendar", &perm_signed_in, calendar_get},
    {M_GET, "/api/v1/calendar/compute", &perm_signed_in, calendar_compute},
    {M_GET, "/api/v1/calendar/years", &perm_signed_in, calendar_years},
    {M_PUT, "/api/v1/calendar/days/:date", &perm_calendar_manage, calendar_day_put},
    {M_DELETE, "/api/v1/calendar/days/:date", &perm_calendar_manage, calendar_day_delete},
    {M_POST, "/api/v1/calendar/import", &perm_calendar_manage, calendar_import},
    {M_GET, "/api/v1/calendar/import-template.xlsx", &perm_calendar_manage, calendar_template},
};

static const struct setting_def settings[] = {
    {"calendar.remind_from_month", SETTING_INT, "11", 1, 12, "setting.manage", "calendar",
     "提醒导入下一年日历的起始月份", "Remind of next year's calendar from month",
     "从该月起每天检查下一年的节假日是否已导入；未导入时提醒工作日历的管理员（每人每年一次）"},
};

/* ---- the daily job: next year's calendar is missing ---- */

/* State: "year=<next year>" to check, "none" (before the month, or loaded), "told=<year>:<n>". */
static int job_missing_start(struct db *db, int32_t today, int32_t last_ok, char *state) {
    (void)last_ok;
    char d[11];
    date_format(today, d);
    int year = (int)strtol(d, NULL, 10), month = (int)strtol(d + 5, NULL, 10);
    int loaded = 1, rc = DB_OK;
    if (month >= setting_int(db, "calendar.remind_from_month"))
        rc = calendar_year_loaded(db, year + 1, &loaded);
    if (rc != DB_OK) return rc;
    if (loaded)
        snprintf(state, JOB_STATE_MAX, "none");
    else
        snprintf(state, JOB_STATE_MAX, "year=%d", year + 1);
    return DB_OK;
}

static int job_missing_read(struct db *db, struct arena *a, const char *state, void **batch) {
    (void)db;
    *batch = NULL;
    int year;
    if (sscanf(state, "year=%d", &year) == 1) {
        int *y = arena_alloc(a, sizeof *y);
        *y = year;
        *batch = y;
    }
    return DB_OK;
}

static int job_missing_write(struct db *db, void *batch, char *state) {
    int year = *(int *)batch;
    int n = calendar_missing_notify(db, year);
    if (n < 0) return n;
    snprintf(state, JOB_STATE_MAX, "told=%d:%d", year, n);
    return DB_OK;
}

static void job_missing_result(const char *state, char *out, size_t n) {
    int year, told;
    if (sscanf(state, "told=%d:%d", &year, &told) == 2)
        snprintf(out, n, "missing=%d told=%d", year, told);
    else
        snprintf(out, n, "missing=none told=0");
}

static const struct daily_job jobs[] = {
    {"calendar_missing",
     "下一年节假日未导入时提醒工作日历管理员（自 calendar.remind_from_month 月起，每人每年一次）",
     job_missing_start, job_missing_read, job_missing_write, job_missing_result},
};

static const struct menu_item menu[] = {
    {"system", "/system/calendar", "calendar", "工作日历", "Calendar", "Calendar", &perm_signed_in,
     30, 0, NULL},
};

static const struct audit_name audit_names[] = {
    {"calendar", "工作日历", "Working calendar"},
    {"calendar.import", "导入工作日历", "Import calendar"},
};

const struct module calendar_module = {
    .name = "calendar",
    .zh = "工作日历",
    .en = "Working-day calendar",
    .perms = perms,
    .n_perms = MODULE_N(perms),
    .grants = grants,
    .n_grants = MODULE_N(grants),
    .settings = settings,
    .n_settings = MODULE_N(settings),
    .jobs = jobs,
    .n_jobs = MODULE_N(jobs),
    .routes = routes,
    .n_routes = MODULE_N(routes),
    .menu = menu,
    .n_menu = MODULE_N(menu),
    .audit_names = audit_names,
    .n_audit_names = MODULE_N(audit_names),
};
