/* entity_module.c — the entity layer's own routes: which entities the caller may read, and one
 * declaration (fields with types, labels and limits, filters, sorts, what the caller may do), so
 * the web builds its lists and forms from what the server accepts. The entities themselves are
 * declared by the modules that own them (struct module's `entities`). */
#include "features/entity/entity_http.h"
#include "http/module.h"

/* Rows leave trailing fields out (route flags): 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

static const struct route routes[] = {
    {M_GET, "/api/v1/entities", &perm_signed_in, entities_list},
    {M_GET, "/api/v1/entities/:name", &perm_signed_in, entities_get},
};

const struct module entity_module = {
    .name = "entity",
    .zh = "数据实体",
    .en = "Entities",
    .routes = routes,
    .n_routes = MODULE_N(routes),
};
