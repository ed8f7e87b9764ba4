/* metrics_module.c — the metrics engine's module (http/module.h): its two routes and the kinds
 * dashboard's menu entry. Who reads a register's metrics is the register's own read permission
 * (checked by the route); the metrics are the entities' (entity_metric_*). */
#include "features/metrics/metrics_http.h"
#include "http/module.h"

/* Rows leave trailing fields out (route flags): 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

/* Who sees the dashboard in the menu (the business roles): what each register shows is still
 * its own read permission's (the route checks it). */
static struct perm_def perm_metrics_view = {"metrics.view",          "metrics", "查看统计指标",
                                            "View register metrics", 0,         0};
static struct perm_def *const perms[] = {&perm_metrics_view};
static const struct perm_grant grants[] = {
    {"office", "metrics.view"},   {"clerk", "metrics.view"},     {"leader", "metrics.view"},
    {"reviewer", "metrics.view"}, {"inspector", "metrics.view"},
};

static const struct route routes[] = {
    {M_GET, "/api/v1/metrics", &perm_signed_in, metrics_list},
    {M_GET, "/api/v1/metrics/:entity", &perm_signed_in, metrics_get},
};

static const struct menu_item menu[] = {
    {"cases", "/register-metrics", "metrics", "统计指标", "Register metrics", "DataAnalysis",
     &perm_metrics_view, 90, 0, NULL},
};

const struct module metrics_module = {
    .name = "metrics",
    .zh = "统计指标",
    .en = "Register metrics",
    .perms = perms,
    .n_perms = MODULE_N(perms),
    .grants = grants,
    .n_grants = MODULE_N(grants),
    .routes = routes,
    .n_routes = MODULE_N(routes),
    .menu = menu,
    .n_menu = MODULE_N(menu),
};
