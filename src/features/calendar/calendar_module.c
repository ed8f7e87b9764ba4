/* calendar_module.c — the calendar module's declarations (http/module.h): permissions and their
 * grants, settings, routes and menu entries. */
#include "features/calendar/calendar_http.h"
#include "http/module.h"

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
    {M_PUT, "/api/v1/calendar/days/:date", &perm_calendar_manage, calendar_day_put},
    {M_DELETE, "/api/v1/calendar/days/:date", &perm_calendar_manage, calendar_day_delete},
    {M_POST, "/api/v1/calendar/import", &perm_calendar_manage, calendar_import},
    {M_GET, "/api/v1/calendar/import-template.xlsx", &perm_calendar_manage, calendar_template},
};

static const struct menu_item menu[] = {
    {"system", "/system/calendar", "calendar", "工作日历", "Calendar", "Calendar", &perm_signed_in,
     30, 0, NULL},
};

const struct module calendar_module = {
    .name = "calendar",
    .zh = "工作日历",
    .en = "Working-day calendar",
    .perms = perms,
    .n_perms = MODULE_N(perms),
    .grants = grants,
    .n_grants = MODULE_N(grants),
    .routes = routes,
    .n_routes = MODULE_N(routes),
    .menu = menu,
    .n_menu = MODULE_N(menu),
};
