/* metrics.h — the metrics engine: every register's metrics per period and unit, computed from
 * its records (never typed in), in the caller's scope. The metrics themselves are the entity
 * layer's (entity_metric_*: the standard ones of the entity's kind and its first clock, then
 * its declared ones); this module counts them set-based — a fixed number of queries whatever
 * the data — and answers each value with what it counts (num, den) and the list query that
 * opens exactly those records (drill). Routes: metrics_http.c; module: metrics_module.c. */
#ifndef FAZHI_METRICS_H
#define FAZHI_METRICS_H

#include <jansson.h>

#include "features/entity/entity.h"

#define METRICS_PERIOD_MAX_DAYS 1827 /* a period of at most 5 years (5 × 365 + 2 leap days) */
#define METRICS_TOP_UNITS       20   /* overdue_by_unit rows */

/* What one answer is about. */
struct metrics_request {
    char from[11], to[11]; /* the period on the entity's metric_date (inclusive) */
    int64_t unit_id;       /* 0: every unit of the caller's scope */
    int subtree;           /* unit_id and the units below it */
    const char *unit_name; /* unit_id's name */
};

/* The entities with metrics the caller may read: [{name, title, zh, en, path, kind}] (new
 * reference). */
json_t *metrics_entities_json(const struct principal *who, int lang);

/* The web path of an entity's list ("/legal-services"). */
const char *metrics_list_path(const struct entity *e, struct arena *a);

/* {entity, title, path, period:{from,to}, unit_id, subtree, items:[…], by_state:[…],
 * overdue_by_unit:[…], monthly:[…], by:{field:[{value,label,count,drill}]}, by_fields:[{field,
 * label,type}]} for c's caller (new reference), or NULL with *rc < 0. One pass over the records,
 * one more for overdue by unit when the answer spans units, and one grouped query per metric_by
 * field: a fixed number of queries whatever the data. */
json_t *metrics_compute(const struct entity_ctx *c, const struct metrics_request *mq, int *rc);

/* The unit's name (arena), or NULL when there is no such unit. DB_OK or < 0. */
int metrics_unit_name(struct db *db, struct arena *a, int64_t unit_id, const char **name);

/* ---- metrics per unit (the assessment's scoring run) ----
 * For one entity, a list of its metrics and a period: every metric's num and den (and an
 * average's value sum) for every unit at once — one query grouped by the entity's unit column
 * (entity_metric_unit_column) over entity_conditions (the caller's scope, `visible`, the period,
 * and optionally one unit's subtree), a SUM(CASE …) per part, never a query per unit or per
 * metric. Rolling a unit's figures up to its ancestors is the caller's (units.path). */
struct metrics_unit_row {
    int64_t unit_id;
    int64_t *num, *den; /* [n] */
    double *sum;        /* [n]: METRIC_AVG's value summed over its num records */
};
struct metrics_per_unit {
    int n_metrics;
    int n_units;
    struct metrics_unit_row *rows; /* arena */
};
/* c: the entity's context (its caller's scope); ms[0..n): its metrics; within: 0, or a unit
 * whose subtree alone is counted. DB_OK with *out filled (c->arena), DB_DONE when the entity has
 * no unit column or no metric_date, or < 0. */
int metrics_per_unit(const struct entity_ctx *c, const struct entity_metric *const *ms, int n,
                     const char *from, const char *to, int64_t within,
                     struct metrics_per_unit *out);
/* The list path with its query that opens the records metric m counted for unit (and its
 * subtree) in the period: "<list path>?metric=…&metric_part=num|den&metric_from=…&metric_to=…
 * &metric_unit=U&metric_subtree=1" (arena). */
const char *metrics_unit_drill(struct arena *a, const struct entity *e,
                               const struct entity_metric *m, int den, const char *from,
                               const char *to, int64_t unit);

#endif
