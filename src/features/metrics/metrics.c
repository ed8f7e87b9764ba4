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

int metrics_unit_name(struct db *db, struct arena *a, int64_t unit_id, const char **name) {
    *name = NULL;
    struct db_stmt *st = db_queryv(db, "SELECT name FROM units WHERE id = ?", "i", unit_id);
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW) *name = arena_strdup(a, db_col_text(st, 0));
    db_done(st);
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
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

/* The period's months: n, and the month index of "YYYY-MM". */
struct months {
    int y0, m0, n;
};
static void months_of(const struct metrics_request *mq, struct months *m) {
    m->y0 = atoi(mq->from);
    m->m0 = atoi(mq->from + 5);
    m->n = (atoi(mq->to) - m->y0) * 12 + (atoi(mq->to + 5) - m->m0) + 1;
}
static int month_index(const struct months *m, const char *ym) {
    if (!ym || strlen(ym) < 7) return -1;
    int i = (atoi(ym) - m->y0) * 12 + (atoi(ym + 5) - m->m0);
    return i >= 0 && i < m->n ? i : -1;
}

/* Query 1, one pass over the period's records grouped by state and month: every metric's num
 * (and den, and the sum averaged), so the items, the counts by state and the monthly trend. */
static int one_pass(const struct entity_ctx *c, const struct entity_request *rq,
                    const struct metrics_request *mq, const char *base, json_t *items,
                    json_t *by_state, json_t *monthly) {
    const struct entity *e = c->ent;
    const struct flow_kind *k = e->kind;
    int n = entity_metric_n(e);
    const char *month = arena_printf(c->arena, "SUBSTR(%s, 1, 7)", e->metric_date);
    const char *status = k ? arena_printf(c->arena, "%s.status", e->alias) : "''";
    struct query q;
    query_init(&q, c->arena, arena_printf(c->arena, "SELECT %s, %s, COUNT(*)", status, month));
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
    query_add(&q,
              k ? arena_printf(c->arena, " GROUP BY %s, %s", status, month)
                : arena_printf(c->arena, " GROUP BY %s", month), /* no constant in a GROUP BY */
              "");

    struct months mo;
    months_of(mq, &mo);
    int ns = k ? k->n_states : 0, closed = -1;
    int64_t *num = arena_alloc(c->arena, (size_t)n * sizeof *num),
            *den = arena_alloc(c->arena, (size_t)n * sizeof *den),
            *per_state = arena_alloc(c->arena, (size_t)(ns + 1) * sizeof *per_state),
            *rec = arena_alloc(c->arena, (size_t)mo.n * 2 * sizeof *rec);
    double *sum = arena_alloc(c->arena, (size_t)n * sizeof *sum);
    memset(num, 0, (size_t)n * sizeof *num);
    memset(den, 0, (size_t)n * sizeof *den);
    memset(sum, 0, (size_t)n * sizeof *sum);
    memset(per_state, 0, (size_t)(ns + 1) * sizeof *per_state);
    memset(rec, 0, (size_t)mo.n * 2 * sizeof *rec);
    for (int i = 0; i < n; i++)
        if (!strcmp(entity_metric_at(e, i)->code, "closed")) closed = i;
    struct db_stmt *st = query_prepare(c->db, &q);
    int rc = DB_ERROR;
    while (st && (rc = db_step(st)) == DB_ROW) {
        int s = k ? flow_state_index(k, db_col_text(st, 0)) : -1;
        int mi = month_index(&mo, db_col_text(st, 1));
        int64_t all = db_col_int(st, 2);
        if (s >= 0) per_state[s] += all;
        int col = 3;
        for (int i = 0; i < n; i++) {
            const struct entity_metric *m = entity_metric_at(e, i);
            int64_t v = db_col_int(st, col++);
            num[i] += v;
            if (i == closed && mi >= 0) rec[2 * mi + 1] += v;
            if (m->type == METRIC_RATE) {
                den[i] += db_col_int(st, col++);
            } else if (m->type == METRIC_AVG) {
                const char *text = db_col_text(st, col++);
                sum[i] += strtod(text ? text : "0", NULL);
            }
        }
        if (mi >= 0) rec[2 * mi] += all;
    }
    db_done(st);
    if (rc != DB_DONE) return rc < 0 ? rc : DB_ERROR;

    static const char *const types[] = {"count", "rate", "avg"};
    for (int i = 0; i < n; i++) {
        const struct entity_metric *m = entity_metric_at(e, i);
        json_t *value =
            m->type == METRIC_RATE
                ? den[i] ? rounded(100.0 * (double)num[i] / (double)den[i]) : json_null()
            : m->type == METRIC_AVG ? num[i] ? rounded(sum[i] / (double)num[i]) : json_null()
                                    : json_integer(num[i]);
        const char *hint = c->lang ? m->hint_en : m->hint_zh;
        json_t *item =
            json_pack("{s:s,s:s,s:s,s:s,s:s,s:o,s:I,s:o,s:s,s:s}", "code", m->code, "label",
                      c->lang ? m->en : m->zh, "zh", m->zh, "en", m->en, "type", types[m->type],
                      "value", value, "num", (json_int_t)num[i], "den",
                      m->type == METRIC_RATE ? json_integer(den[i]) : json_null(), "hint",
                      hint ? hint : "", "drill", drill(c->arena, m->code, 0, base));
        if (m->type == METRIC_AVG) json_object_set_new(item, "sum", json_real(sum[i]));
        if (m->type == METRIC_RATE)
            json_object_set_new(item, "den_drill", json_string(drill(c->arena, m->code, 1, base)));
        json_array_append_new(items, item);
    }
    for (int i = 0; i < ns; i++)
        json_array_append_new(
            by_state,
            json_pack("{s:s,s:s,s:I,s:s}", "status", k->states[i].code, "label",
                      c->lang ? k->states[i].en : k->states[i].zh, "n", (json_int_t)per_state[i],
                      "drill",
                      arena_printf(c->arena, "%s&metric_state=%s",
                                   drill(c->arena, "received", 0, base), k->states[i].code)));
    int32_t from = 0, to = 0;
    date_parse(mq->from, &from);
    date_parse(mq->to, &to);
    for (int i = 0; i < mo.n; i++) {
        int y = mo.y0 + (mo.m0 - 1 + i) / 12, mm = (mo.m0 - 1 + i) % 12 + 1;
        char first[16], last[16], next[16];
        snprintf(first, sizeof first, "%04d-%02d-01", y, mm);
        snprintf(next, sizeof next, "%04d-%02d-01", mm == 12 ? y + 1 : y, mm == 12 ? 1 : mm + 1);
        int32_t d0 = 0, d1 = 0;
        date_parse(first, &d0);
        date_parse(next, &d1);
        if (d0 < from) d0 = from;
        d1 = d1 - 1 > to ? to : d1 - 1;
        date_format(d0, first);
        date_format(d1, last);
        const char *mb = drill_base(c->arena, first, last, mq->unit_id, mq->unit_id && mq->subtree);
        json_t *row =
            json_pack("{s:s,s:I,s:I,s:s}", "month", arena_printf(c->arena, "%04d-%02d", y, mm),
                      "received", (json_int_t)rec[2 * i], "closed", (json_int_t)rec[2 * i + 1],
                      "drill_received", drill(c->arena, "received", 0, mb));
        if (closed >= 0)
            json_object_set_new(row, "drill_closed", json_string(drill(c->arena, "closed", 0, mb)));
        json_array_append_new(monthly, row);
    }
    return DB_OK;
}

/* Query 2: overdue now by responsible unit, the 20 with most (records without a unit left out). */
static int overdue_of(const struct entity_ctx *c, const struct entity_request *rq,
                      const struct metrics_request *mq, json_t *items, json_t *out) {
    const struct entity_metric *m = entity_metric_find(c->ent, "overdue");
    const char *unit = entity_metric_unit_column(c->ent, c->arena);
    if (!m || !unit) return DB_OK;
    /* one unit asked for, or all the caller sees: the overdue count is that unit's (the records
     * a unit's scope reads are its own), no second pass over them */
    int64_t one = mq->unit_id && !mq->subtree  ? mq->unit_id
                  : c->who->scope == SCOPE_OWN ? c->who->unit_id
                                               : 0;
    if (one) {
        int64_t n = 0;
        size_t i;
        json_t *it;
        json_array_foreach(items, i, it) {
            if (!strcmp(json_string_value(json_object_get(it, "code")), "overdue"))
                n = json_integer_value(json_object_get(it, "num"));
        }
        const char *name = mq->unit_id ? mq->unit_name : c->who->unit_name;
        if (n)
            json_array_append_new(out,
                                  json_pack("{s:I,s:s,s:I,s:s}", "unit_id", (json_int_t)one, "name",
                                            name ? name : "", "n", (json_int_t)n, "drill",
                                            drill(c->arena, "overdue", 0,
                                                  drill_base(c->arena, mq->from, mq->to, one, 0))));
        return DB_OK;
    }
    /* from the overdue clocks (an index range of record_clocks_overdue) to their records */
    struct query q;
    query_init(&q, c->arena, arena_printf(c->arena, "SELECT %s, MAX(mun.name), COUNT(*)", unit));
    entity_metric_clock_first(c, &q);
    query_add(&q, arena_printf(c->arena, " LEFT JOIN units mun ON mun.id = %s", unit), "");
    query_add(&q, arena_printf(c->arena, " WHERE %s IS NOT NULL", unit), "");
    entity_metric_clock_on(c, &q);
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

/* A query parameter's value, percent-encoded (codes are mostly ASCII; a dictionary's may not). */
static const char *qvalue(struct arena *a, const char *v) {
    static const char hex[] = "0123456789ABCDEF";
    size_t n = strlen(v);
    char *out = arena_alloc(a, 3 * n + 1), *o = out;
    for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
        if ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
            *p == '-' || *p == '_' || *p == '.') {
            *o++ = (char)*p;
        } else {
            *o++ = '%';
            *o++ = hex[*p >> 4];
            *o++ = hex[*p & 15];
        }
    }
    *o = 0;
    return out;
}

/* Queries 3…: the period's records counted by each metric_by field, one grouped query per field
 * over the same selection (records without a value left out: no list filter opens them). Each
 * value's drill is the `received` drill with the field's own list filter, so its count is that
 * list's total. Rows by count, most first. */
static int breakdowns(const struct entity_ctx *c, const struct entity_request *rq, const char *base,
                      json_t *by, json_t *fields) {
    const struct entity *e = c->ent;
    for (int i = 0; e->metric_by && e->metric_by[i]; i++) {
        const struct field *f = entity_field(e, e->metric_by[i]);
        const char *expr = f->sql ? f->sql : arena_printf(c->arena, "%s.%s", e->alias, f->name);
        int unit = f->type == FT_UNIT;
        struct query q;
        query_init(&q, c->arena,
                   arena_printf(c->arena, "SELECT %s, %s, COUNT(*) FROM %s", expr,
                                unit ? "MAX(mby.name)" : "''", entity_count_from(c)));
        if (unit)
            query_add(&q, arena_printf(c->arena, " LEFT JOIN units mby ON mby.id = %s", expr), "");
        query_add(&q, arena_printf(c->arena, " WHERE %s IS NOT NULL", expr), "");
        entity_conditions(c, &q, rq);
        query_add(&q, arena_printf(c->arena, " GROUP BY %s ORDER BY COUNT(*) DESC, %s", expr, expr),
                  "");
        int n_opt = 0;
        const struct field_option *opts = unit ? NULL : entity_field_options(c, f, FO_ALL, &n_opt);
        json_t *rows = json_array();
        json_object_set_new(by, f->name, rows);
        json_array_append_new(fields,
                              json_pack("{s:s,s:s,s:s}", "field", f->name, "label",
                                        c->lang ? f->en : f->zh, "type", unit ? "unit" : "enum"));
        const char *received = drill(c->arena, "received", 0, base);
        struct db_stmt *st = query_prepare(c->db, &q);
        int rc = DB_ERROR;
        while (st && (rc = db_step(st)) == DB_ROW) {
            const char *value = unit ? arena_printf(c->arena, "%lld", (long long)db_col_int(st, 0))
                                     : arena_strdup(c->arena, db_col_text(st, 0));
            const char *label =
                unit ? db_col_text(st, 1) : field_option_label(opts, n_opt, value, c->lang);
            json_t *v = unit ? json_integer(db_col_int(st, 0)) : json_string(value);
            json_array_append_new(rows, json_pack("{s:o,s:s,s:I,s:s}", "value", v, "label",
                                                  label ? label : value, "count",
                                                  (json_int_t)db_col_int(st, 2), "drill",
                                                  arena_printf(c->arena, "%s&%s=%s", received,
                                                               f->name, qvalue(c->arena, value))));
        }
        db_done(st);
        if (rc != DB_DONE) return rc < 0 ? rc : DB_ERROR;
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
           *monthly = json_array(), *by = json_object(), *by_fields = json_array();
    json_t *out = json_pack(
        "{s:s,s:s,s:s,s:{s:s,s:s},s:o,s:b,s:o,s:o,s:o,s:o,s:o,s:o}", "entity", e->name, "title",
        c->lang ? e->en : e->zh, "path", metrics_list_path(e, c->arena), "period", "from", mq->from,
        "to", mq->to, "unit_id", mq->unit_id ? json_integer(mq->unit_id) : json_null(), "subtree",
        mq->unit_id && mq->subtree, "items", items, "by_state", states, "overdue_by_unit", overdue,
        "monthly", monthly, "by", by, "by_fields", by_fields);
    *rc = one_pass(c, &rq, mq, base, items, states, monthly);
    if (*rc == DB_OK) *rc = overdue_of(c, &rq, mq, items, overdue);
    if (*rc == DB_OK) *rc = breakdowns(c, &rq, base, by, by_fields);
    if (*rc == DB_OK) return out;
    json_decref(out);
    return NULL;
}

/* ---- metrics per unit ---- */

int metrics_per_unit(const struct entity_ctx *c, const struct entity_metric *const *ms, int n,
                     const char *from, const char *to, int64_t within,
                     struct metrics_per_unit *out) {
    const struct entity *e = c->ent;
    memset(out, 0, sizeof *out);
    out->n_metrics = n;
    const char *unit = entity_metric_unit_column(e, c->arena);
    if (!unit || !e->metric_date) return DB_DONE;
    struct metrics_request mq = {.unit_id = within, .subtree = within != 0};
    snprintf(mq.from, sizeof mq.from, "%s", from);
    snprintf(mq.to, sizeof mq.to, "%s", to);
    struct entity_request rq;
    selection(&mq, &rq);
    struct query q;
    query_init(&q, c->arena, arena_printf(c->arena, "SELECT %s", unit));
    for (int i = 0; i < n; i++) {
        const struct entity_metric *m = ms[i];
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
    query_add(&q, arena_printf(c->arena, " WHERE %s IS NOT NULL", unit), "");
    entity_conditions(c, &q, &rq);
    query_add(&q, arena_printf(c->arena, " GROUP BY %s", unit), "");
    struct db_stmt *st = query_prepare(c->db, &q);
    int rc = DB_ERROR, cap = 64;
    out->rows = arena_alloc(c->arena, (size_t)cap * sizeof *out->rows);
    while (st && (rc = db_step(st)) == DB_ROW) {
        if (out->n_units == cap) {
            struct metrics_unit_row *more = arena_alloc(c->arena, (size_t)cap * 2 * sizeof *more);
            memcpy(more, out->rows, (size_t)cap * sizeof *more);
            out->rows = more;
            cap *= 2;
        }
        struct metrics_unit_row *r = &out->rows[out->n_units++];
        r->unit_id = db_col_int(st, 0);
        r->num = arena_alloc(c->arena, (size_t)(n ? n : 1) * sizeof *r->num);
        r->den = arena_alloc(c->arena, (size_t)(n ? n : 1) * sizeof *r->den);
        r->sum = arena_alloc(c->arena, (size_t)(n ? n : 1) * sizeof *r->sum);
        int col = 1;
        for (int i = 0; i < n; i++) {
            r->num[i] = db_col_int(st, col++);
            r->den[i] = 0;
            r->sum[i] = 0;
            if (ms[i]->type == METRIC_RATE) {
                r->den[i] = db_col_int(st, col++);
            } else if (ms[i]->type == METRIC_AVG) {
                const char *text = db_col_text(st, col++);
                r->sum[i] = strtod(text ? text : "0", NULL);
            }
        }
    }
    db_done(st);
    return rc == DB_DONE ? DB_OK : rc < 0 ? rc : DB_ERROR;
}

const char *metrics_unit_drill(struct arena *a, const struct entity *e,
                               const struct entity_metric *m, int den, const char *from,
                               const char *to, int64_t unit) {
    return arena_printf(a, "%s?%s", metrics_list_path(e, a),
                        drill(a, m->code, den, drill_base(a, from, to, unit, 1)));
}
