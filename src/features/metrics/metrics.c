/* metrics.c — the metrics engine (metrics.h). Every query is built on the entity layer's
 * conditions (entity_conditions: the caller's scope and the entity's `visible` hook, then the
 * period and unit of the request as a metric selection), and every value's condition is the
 * one the list's ?metric= drill filter applies (entity_metric_expr), so a value always equals
 * the total of the list it links to. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/calendar.h"
#include "features/flow/flow.h"
#include "features/metrics/metrics.h"

json_t *metrics_entities_json(const struct principal *who, int lang) {
    json_t *out = json_array();
    struct arena *a = arena_new(4096);
    for (int i = 0; i < entity_count_registered(); i++) {
        const struct entity *e = entity_at(i);
        if (!entity_metric_n(e) || !entity_can_read(e, who)) continue;
        json_array_append_new(out, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s?}", "name", e->name, "title",
                                             lang ? e->en : e->zh, "zh", e->zh, "en", e->en, "path",
                                             metrics_list_path(e, a), "kind",
                                             e->kind ? flow_kind_name(e->kind) : NULL));
    }
    arena_free(a);
    return out;
}

const char *metrics_list_path(const struct entity *e, struct arena *a) {
    if (e->kind && e->kind->web_path) return e->kind->web_path;
    const char *p = e->path;
    return !strncmp(p, "/api/v1", 7) ? arena_strdup(a, p + 7) : p;
}

int metrics_unit_exists(struct db *db, int64_t unit_id, int *exists) {
    int64_t n = 0;
    int rc = db_query_int(db, &n, "SELECT COUNT(*) FROM units WHERE id = ?", "i", unit_id);
    *exists = n > 0;
    return rc == DB_ROW ? DB_OK : rc < 0 ? rc : DB_ERROR;
}

/* The request's period and unit as the entity layer's selection (no metric: the period only). */
static void selection(const struct metrics_request *mq, struct entity_request *rq) {
    memset(rq, 0, sizeof *rq);
    struct entity_metric_sel *s = &rq->metric;
    s->on = 1;
    memcpy(s->from, mq->from, sizeof s->from);
    memcpy(s->to, mq->to, sizeof s->to);
    s->unit_id = mq->unit_id;
    s->subtree = mq->unit_id && mq->subtree;
}

/* "metric_from=…&metric_to=…[&metric_unit=…[&metric_subtree=1]]" */
static const char *drill_base(struct arena *a, const char *from, const char *to, int64_t unit,
                              int subtree) {
    const char *s = arena_printf(a, "metric_from=%s&metric_to=%s", from, to);
    if (unit)
        s = arena_printf(a, "%s&metric_unit=%lld%s", s, (long long)unit,
                         subtree ? "&metric_subtree=1" : "");
    return s;
}

static const char *drill(struct arena *a, const char *code, int den, const char *base) {
    return arena_printf(a, "metric=%s&metric_part=%s&%s", code, den ? "den" : "num", base);
}

static json_t *rounded(double v) {
    return json_real((double)(long long)(v * 10 + (v < 0 ? -0.5 : 0.5)) / 10);
}

/* Query 1: every metric's num (and den, and the sum averaged) in one pass over the period. */
static int items_of(const struct entity_ctx *c, const struct entity_request *rq, const char *base,
                    json_t *items) {
    const struct entity *e = c->ent;
    int n = entity_metric_n(e);
    struct query q;
    query_init(&q, c->arena, "SELECT COUNT(*)");
    for (int i = 0; i < n; i++) {
        const struct entity_metric *m = entity_metric_at(e, i);
        query_add(&q, ", SUM(CASE WHEN ", "");
        entity_metric_expr(c, &q, m, METRIC_NUM, 1);
        query_add(&q, " THEN 1 ELSE 0 END)", "");
        if (m->type == METRIC_RATE) {
            query_add(&q, ", SUM(CASE WHEN ", "");
            entity_metric_expr(c, &q, m, METRIC_DEN, 1);
            query_add(&q, " THEN 1 ELSE 0 END)", "");
        } else if (m->type == METRIC_AVG) {
            query_add(&q, ", SUM(CASE WHEN ", "");
            entity_metric_expr(c, &q, m, METRIC_NUM, 1);
            query_add(&q, arena_printf(c->arena, " THEN %s ELSE 0 END)", entity_metric_value(c, m)),
                      "");
        }
    }
    query_add(&q, arena_printf(c->arena, " FROM %s", entity_count_from(c)), "");
    entity_metric_join(c, &q);
    query_add(&q, " WHERE 1 = 1", "");
    entity_conditions(c, &q, rq);
    struct db_stmt *st = query_prepare(c->db, &q);
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc != DB_ROW) {
        db_done(st);
        return rc < 0 ? rc : DB_ERROR;
    }
    for (int i = 0, col = 1; i < n; i++) {
        const struct entity_metric *m = entity_metric_at(e, i);
        int64_t num = db_col_int(st, col++);
        json_t *value = NULL, *den = json_null();
        double sum = 0;
        if (m->type == METRIC_RATE) {
            int64_t d = db_col_int(st, col++);
            den = json_integer(d);
            value = d ? rounded(100.0 * (double)num / (double)d) : json_null();
        } else if (m->type == METRIC_AVG) {
            const char *text = db_col_text(st, col++);
            sum = strtod(text ? text : "0", NULL);
            value = num ? rounded(sum / (double)num) : json_null();
        } else {
            value = json_integer(num);
        }
        static const char *const types[] = {"count", "rate", "avg"};
        json_t *item = json_pack(
            "{s:s,s:s,s:s,s:s,s:s,s:o,s:I,s:o,s:s,s:s}", "code", m->code, "label",
            c->lang ? m->en : m->zh, "zh", m->zh, "en", m->en, "type", types[m->type], "value",
            value, "num", (json_int_t)num, "den", den, "hint",
            (c->lang ? m->hint_en : m->hint_zh) ? (c->lang ? m->hint_en : m->hint_zh) : "", "drill",
            drill(c->arena, m->code, 0, base));
        if (m->type == METRIC_AVG) json_object_set_new(item, "sum", json_real(sum));
        if (m->type == METRIC_RATE)
            json_object_set_new(item, "den_drill", json_string(drill(c->arena, m->code, 1, base)));
        json_array_append_new(items, item);
    }
    db_done(st);
    return DB_OK;
}

/* Query 2: counts by state, one GROUP BY; every state of the kind answered, in its order. */
static int by_state_of(const struct entity_ctx *c, const struct entity_request *rq,
                       const char *base, json_t *out) {
    const struct flow_kind *k = c->ent->kind;
    if (!k) return DB_OK;
    struct query q;
    query_init(&q, c->arena,
               arena_printf(c->arena, "SELECT %s.status, COUNT(*) FROM %s WHERE 1 = 1",
                            c->ent->alias, entity_count_from(c)));
    entity_conditions(c, &q, rq);
    query_add(&q, arena_printf(c->arena, " GROUP BY %s.status", c->ent->alias), "");
    int64_t *n = arena_alloc(c->arena, (size_t)k->n_states * sizeof *n);
    memset(n, 0, (size_t)k->n_states * sizeof *n);
    struct db_stmt *st = query_prepare(c->db, &q);
    int rc = DB_ERROR;
    while (st && (rc = db_step(st)) == DB_ROW) {
        int i = flow_state_index(k, db_col_text(st, 0));
        if (i >= 0) n[i] = db_col_int(st, 1);
    }
    db_done(st);
    if (rc != DB_DONE) return rc < 0 ? rc : DB_ERROR;
    for (int i = 0; i < k->n_states; i++)
        json_array_append_new(
            out,
            json_pack("{s:s,s:s,s:I,s:s}", "status", k->states[i].code, "label",
                      c->lang ? k->states[i].en : k->states[i].zh, "n", (json_int_t)n[i], "drill",
                      arena_printf(c->arena, "%s&metric_state=%s",
                                   drill(c->arena, "received", 0, base), k->states[i].code)));
    return DB_OK;
}

/* Query 3: overdue now by responsible unit, the 20 with most (records without a unit left out). */
static int overdue_of(const struct entity_ctx *c, const struct entity_request *rq,
                      const struct metrics_request *mq, json_t *out) {
    const struct entity_metric *m = entity_metric_find(c->ent, "overdue");
    const char *unit = entity_metric_unit_column(c->ent, c->arena);
    if (!m || !unit) return DB_OK;
    struct query q;
    query_init(&q, c->arena,
               arena_printf(c->arena,
                            "SELECT %s, MAX(mun.name), COUNT(*) FROM %s LEFT JOIN units mun ON "
                            "mun.id = %s",
                            unit, entity_count_from(c), unit));
    entity_metric_join(c, &q);
    query_add(&q, arena_printf(c->arena, " WHERE %s IS NOT NULL", unit), "");
    entity_conditions(c, &q, rq);
    query_add(&q, " AND ", "");
    entity_metric_expr(c, &q, m, METRIC_NUM, 1);
    query_add(&q,
              arena_printf(c->arena, " GROUP BY %s ORDER BY COUNT(*) DESC, %s LIMIT ?", unit, unit),
              "i", (int64_t)METRICS_TOP_UNITS);
    struct db_stmt *st = query_prepare(c->db, &q);
    int rc = DB_ERROR;
    while (st && (rc = db_step(st)) == DB_ROW) {
        int64_t id = db_col_int(st, 0);
        const char *name = db_col_text(st, 1);
        json_array_append_new(out, json_pack("{s:I,s:s,s:I,s:s}", "unit_id", (json_int_t)id, "name",
                                             name ? name : "", "n", (json_int_t)db_col_int(st, 2),
                                             "drill",
                                             drill(c->arena, "overdue", 0,
                                                   drill_base(c->arena, mq->from, mq->to, id, 0))));
    }
    db_done(st);
    return rc == DB_DONE ? DB_OK : rc < 0 ? rc : DB_ERROR;
}

/* Query 4: each month of the period: received, and of those closed now. */
static int monthly_of(const struct entity_ctx *c, const struct entity_request *rq,
                      const struct metrics_request *mq, json_t *out) {
    const struct entity_metric *closed = entity_metric_find(c->ent, "closed");
    const char *month = arena_printf(c->arena, "SUBSTR(%s, 1, 7)", c->ent->metric_date);
    struct query q;
    query_init(&q, c->arena, arena_printf(c->arena, "SELECT %s, COUNT(*)", month));
    if (closed) {
        query_add(&q, ", SUM(CASE WHEN ", "");
        entity_metric_expr(c, &q, closed, METRIC_NUM, 1);
        query_add(&q, " THEN 1 ELSE 0 END)", "");
    }
    query_add(&q, arena_printf(c->arena, " FROM %s WHERE 1 = 1", entity_count_from(c)), "");
    entity_conditions(c, &q, rq);
    query_add(&q, arena_printf(c->arena, " GROUP BY %s", month), "");
    /* the period's months, in order */
    int32_t from = 0, to = 0;
    date_parse(mq->from, &from);
    date_parse(mq->to, &to);
    int y0 = atoi(mq->from), m0 = atoi(mq->from + 5), y1 = atoi(mq->to), m1 = atoi(mq->to + 5);
    int n = (y1 - y0) * 12 + (m1 - m0) + 1;
    int64_t *rec = arena_alloc(c->arena, (size_t)n * 2 * sizeof *rec);
    memset(rec, 0, (size_t)n * 2 * sizeof *rec);
    struct db_stmt *st = query_prepare(c->db, &q);
    int rc = DB_ERROR;
    while (st && (rc = db_step(st)) == DB_ROW) {
        const char *ym = db_col_text(st, 0);
        if (!ym || strlen(ym) < 7) continue;
        int i = (atoi(ym) - y0) * 12 + (atoi(ym + 5) - m0);
        if (i < 0 || i >= n) continue;
        rec[2 * i] = db_col_int(st, 1);
        rec[2 * i + 1] = closed ? db_col_int(st, 2) : 0;
    }
    db_done(st);
    if (rc != DB_DONE) return rc < 0 ? rc : DB_ERROR;
    for (int i = 0; i < n; i++) {
        int y = y0 + (m0 - 1 + i) / 12, mo = (m0 - 1 + i) % 12 + 1;
        char first[16], last[16];
        snprintf(first, sizeof first, "%04d-%02d-01", y, mo);
        int32_t d0 = 0, d1 = 0;
        date_parse(first, &d0);
        char next[16];
        snprintf(next, sizeof next, "%04d-%02d-01", mo == 12 ? y + 1 : y, mo == 12 ? 1 : mo + 1);
        date_parse(next, &d1);
        if (d0 < from) d0 = from;
        d1 = d1 - 1 > to ? to : d1 - 1;
        date_format(d0, first);
        date_format(d1, last);
        const char *base =
            drill_base(c->arena, first, last, mq->unit_id, mq->unit_id && mq->subtree);
        json_t *row =
            json_pack("{s:s,s:I,s:I,s:s}", "month", arena_printf(c->arena, "%04d-%02d", y, mo),
                      "received", (json_int_t)rec[2 * i], "closed", (json_int_t)rec[2 * i + 1],
                      "drill_received", drill(c->arena, "received", 0, base));
        if (closed)
            json_object_set_new(row, "drill_closed",
                                json_string(drill(c->arena, "closed", 0, base)));
        json_array_append_new(out, row);
    }
    return DB_OK;
}

json_t *metrics_compute(const struct entity_ctx *c, const struct metrics_request *mq, int *rc) {
    const struct entity *e = c->ent;
    struct entity_request rq;
    selection(mq, &rq);
    const char *base =
        drill_base(c->arena, mq->from, mq->to, mq->unit_id, mq->unit_id && mq->subtree);
    json_t *items = json_array(), *states = json_array(), *overdue = json_array(),
           *monthly = json_array();
    json_t *out = json_pack(
        "{s:s,s:s,s:s,s:{s:s,s:s},s:o,s:b,s:o,s:o,s:o,s:o}", "entity", e->name, "title",
        c->lang ? e->en : e->zh, "path", metrics_list_path(e, c->arena), "period", "from", mq->from,
        "to", mq->to, "unit_id", mq->unit_id ? json_integer(mq->unit_id) : json_null(), "subtree",
        mq->unit_id && mq->subtree, "items", items, "by_state", states, "overdue_by_unit", overdue,
        "monthly", monthly);
    *rc = items_of(c, &rq, base, items);
    if (*rc == DB_OK) *rc = by_state_of(c, &rq, base, states);
    if (*rc == DB_OK) *rc = overdue_of(c, &rq, mq, overdue);
    if (*rc == DB_OK) *rc = monthly_of(c, &rq, mq, monthly);
    if (*rc == DB_OK) return out;
    json_decref(out);
    return NULL;
}
