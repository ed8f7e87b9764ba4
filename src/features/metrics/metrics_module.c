/* metrics_module.c — the metrics engine's module (http/module.h): its two routes and the kinds
 * dashboard's menu entry. Who reads a register's metrics is the register's own read permission
 * (checked by the route); the metrics are the entities' (entity_metric_*). */
#include "features/metrics/metrics_http.h"
#include "http/module.h"

/* Rows leave trailing fields out (route flags): 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

static const struct route routes[] = {
    {M_GET, "/api/v1/metrics", &perm_signed_in, metrics_list},
    {M_GET, "/api/v1/metrics/:entity", &perm_signed_in, metrics_get},
};

static const struct menu_item menu[] = {
    {"cases", "/metrics", "metrics", "统计指标", "Register metrics", "DataAnalysis",
     &perm_signed_in, 90, 0, NULL},
};

const struct module metrics_module = {
    .name = "metrics",
    .zh = "统计指标",
    .en = "Register metrics",
    .routes = routes,
    .n_routes = MODULE_N(routes),
    .menu = menu,
    .n_menu = MODULE_N(menu),
};
