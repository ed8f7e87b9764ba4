/* entity_metric.c — which records a metric counts. A metric is a condition on the entity's
 * records of a period (metric_date in [from, to]) and optionally a unit: the standard ones come
 * from the entity's kind (its states, its first stored clock in record_clocks), the others are
 * the entity's declaration (struct entity_metric). The same conditions serve the list's drill
 * filter (?metric=…, entity_request.metric, applied with the caller's scope like every other
 * filter) and the metrics engine's counts (features/metrics), so a metric's value always equals
 * the total of the list it opens. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/calendar.h"
#include "base/num.h"
#include "features/entity/entity.h"
#include "features/flow/flow.h"

/* The standard metrics, in the order they are answered. */
enum { STD_RECEIVED, STD_CLOSED, STD_ON_TIME, STD_OVERDUE, STD_AVG_DAYS, STD_N };
static const struct entity_metric std_metrics[STD_N] = {
    [STD_RECEIVED] = {"received", "登记总数", "Received", METRIC_COUNT, NULL, NULL, NULL,
                      "期间内登记的记录数（按登记日期计入期间）",
                      "Records received in the period (by the day received)"},
    [STD_CLOSED] = {"closed", "已办结", "Closed", METRIC_COUNT, NULL, NULL, NULL,
                    "期间内登记、现处于终结状态（办结、撤销等）的记录数",
                    "Records received in the period that are now in a final state"},
    [STD_ON_TIME] = {"on_time", "按期办结率", "On-time rate", METRIC_RATE, NULL, NULL, NULL,
                     "法定期限已停止（办结）且未超期的记录 / 法定期限已停止的记录",
                     "Records whose statutory clock stopped within the time limit / records "
                     "whose clock stopped"},
    [STD_OVERDUE] = {"overdue", "当前逾期", "Overdue now", METRIC_COUNT, NULL, NULL, NULL,
                     "法定期限仍在计算（未中止）且截止日早于今天的记录数",
                     "Records whose statutory clock still runs (not suspended) past its due date"},
    [STD_AVG_DAYS] = {"avg_days", "平均办理天数", "Average handling days", METRIC_AVG, NULL, NULL,
                      NULL, "已停止的法定期限从起算日到停止日的自然日数平均值",
                      "Average calendar days from the clock's start to its stop, over stopped "
                      "clocks"},
};

static int has_final(const struct flow_kind *k) {
    for (int i = 0; k && i < k->n_states; i++)
        if (k->states[i].final) return 1;
    return 0;
}

/* The standard metrics this entity has: bit i for std_metrics[i]. */
static unsigned std_of(const struct entity *e) {
    if (!e->metric_date) return 0;
    unsigned bits = 1u << STD_RECEIVED;
    const struct flow_kind *k = e->kind;
    if (k && has_final(k)) bits |= 1u << STD_CLOSED;
    if (k && k->n_clocks > 0)
        bits |= (1u << STD_ON_TIME) | (1u << STD_OVERDUE) | (1u << STD_AVG_DAYS);
    return bits;
}

int entity_metric_n(const struct entity *e) {
    if (!e->metric_date) return 0;
    return __builtin_popcount(std_of(e)) + e->n_metrics;
}

const struct entity_metric *entity_metric_at(const struct entity *e, int i) {
    unsigned bits = std_of(e);
    for (int s = 0; s < STD_N; s++)
        if (bits & (1u << s) && i-- == 0) return &std_metrics[s];
    return e->metric_date && i >= 0 && i < e->n_metrics ? &e->metrics[i] : NULL;
}

const struct entity_metric *entity_metric_find(const struct entity *e, const char *code) {
    for (int i = 0, n = entity_metric_n(e); code && i < n; i++) {
        const struct entity_metric *m = entity_metric_at(e, i);
        if (!strcmp(m->code, code)) return m;
    }
    return NULL;
}

static int std_index(const struct entity_metric *m) {
    return m >= std_metrics && m < std_metrics + STD_N ? (int)(m - std_metrics) : -1;
}

int entity_metric_clocked(const struct entity *e, const struct entity_metric *m) {
    int s = std_index(m);
    return e->kind && e->kind->n_clocks > 0 &&
           (s == STD_ON_TIME || s == STD_OVERDUE || s == STD_AVG_DAYS);
}

void entity_metric_join(const struct entity_ctx *c, struct query *q) {
    const struct flow_kind *k = c->ent->kind;
    if (!k || k->n_clocks <= 0) return;
    query_add(q,
              arena_printf(c->arena,
                           " LEFT JOIN record_clocks mrc ON mrc.kind = ? AND mrc.record_id = %s.%s "
                           "AND mrc.clock = ?",
                           c->ent->alias, c->ent->key ? c->ent->key : "id"),
              "ss", flow_kind_name(k), k->clocks[0].code);
}

void entity_metric_clock_first(const struct entity_ctx *c, struct query *q) {
    query_add(q,
              arena_printf(c->arena, " FROM record_clocks mrc CROSS JOIN %s", entity_count_from(c)),
              "");
}

void entity_metric_clock_on(const struct entity_ctx *c, struct query *q) {
    const struct flow_kind *k = c->ent->kind;
    query_add(q,
              arena_printf(c->arena,
                           " AND mrc.kind = ? AND mrc.clock = ? AND mrc.record_id = %s.%s",
                           c->ent->alias, c->ent->key ? c->ent->key : "id"),
              "ss", flow_kind_name(k), k->clocks[0].code);
}

/* The clock condition `cond` (over alias mrc; `today` bound when it names one ?). */
static void clock_expr(const struct entity_ctx *c, struct query *q, int joined, const char *cond,
                       const char *today) {
    const struct flow_kind *k = c->ent->kind;
    if (joined)
        query_add(q, "(mrc.record_id IS NOT NULL AND ", "");
    else
        query_add(q,
                  arena_printf(c->arena,
                               "EXISTS (SELECT 1 FROM record_clocks mrc WHERE mrc.kind = ? AND "
                               "mrc.record_id = %s.%s AND mrc.clock = ? AND ",
                               c->ent->alias, c->ent->key ? c->ent->key : "id"),
                  "ss", flow_kind_name(k), k->clocks[0].code);
    if (today)
        query_add(q, cond, "s", today);
    else
        query_add(q, cond, "");
    query_add(q, ")", "");
}

void entity_metric_expr(const struct entity_ctx *c, struct query *q, const struct entity_metric *m,
                        int part, int joined) {
    int s = std_index(m);
    if (s < 0) { /* declared: conditions on the entity's alias, no parameters */
        const char *sql = part == METRIC_DEN ? m->den : m->num;
        query_add(q, sql ? arena_printf(c->arena, "(%s)", sql) : "1 = 1", "");
        return;
    }
    const struct flow_kind *k = c->ent->kind;
    switch (s) {
    case STD_CLOSED: {
        int n = 0;
        query_add(q, arena_printf(c->arena, "%s.status IN (", c->ent->alias), "");
        for (int i = 0; i < k->n_states; i++)
            if (k->states[i].final) query_add(q, n++ ? ", ?" : "?", "s", k->states[i].code);
        query_add(q, ")", "");
        return;
    }
    case STD_ON_TIME:
        clock_expr(c, q, joined,
                   part == METRIC_DEN ? "mrc.stopped_on IS NOT NULL"
                                      : "mrc.stopped_on IS NOT NULL AND mrc.late = 0",
                   NULL);
        return;
    case STD_OVERDUE: {
        char today[11];
        date_format(date_today(), today);
        clock_expr(c, q, joined,
                   "mrc.stopped_on IS NULL AND mrc.state IN ('running', 'extended') AND "
                   "mrc.due_on < ?",
                   arena_strdup(c->arena, today));
        return;
    }
    case STD_AVG_DAYS:
        clock_expr(c, q, joined, "mrc.stopped_on IS NOT NULL", NULL);
        return;
    default: /* received: every record of the period */
        query_add(q, "1 = 1", "");
    }
}

const char *entity_metric_value(const struct entity_ctx *c, const struct entity_metric *m) {
    if (std_index(m) == STD_AVG_DAYS)
        return db_sql_days_between(c->db, c->arena, "mrc.stopped_on", "mrc.start_on");
    return m->value ? m->value : "0";
}

const char *entity_metric_unit_column(const struct entity *e, struct arena *a) {
    if (e->metric_unit) return e->metric_unit;
    const char *first = NULL;
    for (int i = 0; i < e->n_fields; i++) {
        const struct field *f = &e->fields[i];
        if (f->type != FT_UNIT || !(f->flags & F_FILTER)) continue;
        const char *expr = f->sql ? f->sql : arena_printf(a, "%s.%s", e->alias, f->name);
        if (e->scope.unit_column && !strcmp(expr, e->scope.unit_column)) return expr;
        if (!first) first = expr;
    }
    return first;
}

/* ---- the list's drill filter ---- */

static int has_unit_field(const struct entity *e) {
    if (e->metric_unit) return 1;
    for (int i = 0; i < e->n_fields; i++)
        if (e->fields[i].type == FT_UNIT && (e->fields[i].flags & F_FILTER)) return 1;
    return 0;
}

/* Read ?metric=… into s (the entity has a metric_date). Problems go to pr. */
void entity_metric_parse(const struct entity *e, const char *(*get)(void *cls, const char *name),
                         void *cls, struct entity_metric_sel *s, struct problems *pr) {
    memset(s, 0, sizeof *s);
    const char *code = get(cls, "metric"), *part = get(cls, "metric_part"),
               *from = get(cls, "metric_from"), *to = get(cls, "metric_to"),
               *unit = get(cls, "metric_unit"), *subtree = get(cls, "metric_subtree"),
               *state = get(cls, "metric_state");
    int any = (part && *part) || (from && *from) || (to && *to) || (unit && *unit) ||
              (subtree && *subtree) || (state && *state);
    if (!code || !*code) {
        if (any) problem_add(pr, "metric", "请指定指标（metric）", "Name the metric (metric=)");
        return;
    }
    s->m = entity_metric_find(e, code);
    if (!s->m) {
        problem_add(pr, "metric", "没有该统计指标", "No such metric");
        return;
    }
    s->on = 1;
    s->part = METRIC_NUM;
    if (part && *part) {
        if (!strcmp(part, "den") && s->m->type == METRIC_RATE)
            s->part = METRIC_DEN;
        else if (strcmp(part, "num"))
            problem_add(pr, "metric_part", "须为 num（或比率指标的 den）",
                        "Must be num (or den for a rate)");
    }
    const char *dates[2] = {from, to};
    char *out[2] = {s->from, s->to};
    for (int i = 0; i < 2; i++) {
        int32_t d;
        if (!dates[i] || !*dates[i]) continue;
        if (strlen(dates[i]) != 10 || date_parse(dates[i], &d))
            problem_add(pr, i ? "metric_to" : "metric_from", "日期格式应为 YYYY-MM-DD",
                        "Use YYYY-MM-DD");
        else
            memcpy(out[i], dates[i], 11);
    }
    if (unit && *unit) {
        int64_t v;
        if (num_parse(unit, &v) || v < 1 || !has_unit_field(e))
            problem_add(pr, "metric_unit", "须为单位编号", "Must be a unit id");
        else
            s->unit_id = v;
    }
    if (subtree && *subtree) {
        if (!strcmp(subtree, "1") || !strcmp(subtree, "true"))
            s->subtree = 1;
        else if (strcmp(subtree, "0") && strcmp(subtree, "false"))
            problem_add(pr, "metric_subtree", "参数须为 true 或 false", "Must be true or false");
    }
    if (state && *state) {
        if (!e->kind || flow_state_index(e->kind, state) < 0)
            problem_add(pr, "metric_state", "取值无效", "Invalid value");
        else
            s->state = state;
    }
}

/* " AND …": the period, the unit, the state, then the metric's part. */
void entity_metric_conditions(const struct entity_ctx *c, struct query *q,
                              const struct entity_metric_sel *s) {
    if (!s->on) return;
    const struct entity *e = c->ent;
    if (s->from[0])
        query_add(q, arena_printf(c->arena, " AND %s >= ?", e->metric_date), "s",
                  arena_strdup(c->arena, s->from));
    if (s->to[0])
        query_add(q, arena_printf(c->arena, " AND %s <= ?", e->metric_date), "s",
                  arena_strdup(c->arena, s->to));
    const char *unit = s->unit_id ? entity_metric_unit_column(e, c->arena) : NULL;
    if (unit && s->subtree)
        query_add(q,
                  arena_printf(c->arena,
                               " AND %s IN (SELECT d.id FROM units d, units p WHERE p.id = ? AND "
                               "d.path LIKE p.path || '%%')",
                               unit),
                  "i", s->unit_id);
    else if (unit)
        query_add(q, arena_printf(c->arena, " AND %s = ?", unit), "i", s->unit_id);
    if (s->state)
        query_add(q, arena_printf(c->arena, " AND %s.status = ?", e->alias), "s", s->state);
    if (s->m) {
        query_add(q, " AND ", "");
        entity_metric_expr(c, q, s->m, s->part, 0);
    }
}
