/* tasks_entities.c — 督办 records as entities (features/entity): tasks (scope: any of their
 * units; drafts only for task.manage; the light computed for the page's rows; decorations
 * set-based) and source documents (every reader sees them; each one's task count is counted
 * in the reader's own scope through the tasks entity). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/calendar.h"
#include "base/num.h"
#include "base/timeutil.h"
#include "features/files/files.h"
#include "features/tasks/tasks.h"

/* Rows leave trailing fields out: 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

/* ---- options ---- */

static const struct field_option status_options[] = {
    {"draft", "草稿", "Draft", "info"},
    {"issued", "已下发", "Issued", ""},
    {"in_progress", "办理中", "In progress", ""},
    {"closing", "待验收", "Awaiting acceptance", "warning"},
    {"done", "已办结", "Done", "success"},
    {"cancelled", "已撤销", "Cancelled", "info"},
};
static const struct field_option light_options[] = {
    {"green", "绿灯", "Green", "success"},
    {"yellow", "黄灯", "Yellow", "warning"},
    {"red", "红灯", "Red", "danger"},
    {"none", "—", "—", "info"},
};
static const struct field_option rhythm_options[] = {
    {"none", "不报送", "No reports", ""},
    {"monthly", "每月", "Monthly", ""},
    {"quarterly", "每季度", "Quarterly", ""},
    {"custom", "自定义", "Custom dates", ""},
};
static const struct field_option priority_options[] = {
    {"normal", "一般", "Normal", "info"},
    {"high", "重要", "High", "warning"},
    {"urgent", "紧急", "Urgent", "danger"},
};
/* The categories an installation starts with (the 数据字典 task_category's seed: code = name). */
static const struct field_option category_options[] = {
    {"法治政府建设", "法治政府建设", "Law-based government", ""},
    {"执法监督", "执法监督", "Enforcement supervision", ""},
    {"制度建设", "制度建设", "Rule making", ""},
    {"普法宣传", "普法宣传", "Legal publicity", ""},
    {"公共法律服务", "公共法律服务", "Public legal services", ""},
    {"基层治理", "基层治理", "Grassroots governance", ""},
    {"五项行动", "五项行动", "Five campaigns", ""},
    {"营商环境", "营商环境", "Business environment", ""},
};
static const struct field_option doc_kind_options[] = {
    {"work_points", "工作要点", "Work points", ""},
    {"plan", "实施方案", "Plan", ""},
    {"minutes", "会议纪要", "Minutes", ""},
    {"notice", "通知", "Notice", ""},
    {"other", "其他", "Other", ""},
};

/* ---- tasks: reading ---- */

static int tasks_prepare(struct entity_ctx *c) {
    struct task_light_dates *d = arena_alloc(c->arena, sizeof(*d));
    task_light_dates(c->db, d); /* the calendar's failure leaves today as the threshold */
    c->state = d;
    return DB_OK;
}

/* Drafts belong to the office until issued. */
static void tasks_visible(const struct entity_ctx *c, struct query *q) {
    if (!perm_has(c->who->perms, &perm_task_manage)) query_add(q, " AND t.status <> 'draft'", "");
}

static void tasks_columns(const struct entity_ctx *c, struct query *q) {
    query_add(q, ", ", "");
    task_light_sql(q, c->state);
    query_add(q, " AS light, ", "");
    task_urged_sql(q, c->state);
    query_add(q, " AS urged", "");
}

static void filter_light(const struct entity_ctx *c, struct query *q, const char *value) {
    query_add(q, " AND (", "");
    task_light_sql(q, c->state);
    query_add(q, ") = ?", "s", value);
}

static void filter_mine(const struct entity_ctx *c, struct query *q, const char *value) {
    if (strcmp(value, "1") && strcmp(value, "true")) return;
    query_add(q, " AND t.id IN (SELECT mu.task_id FROM task_units mu WHERE mu.unit_id = ?)", "i",
              c->who->unit_id);
}

/* ---- queues: what waits for the caller (待办) ---- */

/* Each queue is a condition over `tasks t` for one party: the office (task.manage) or the
 * caller's unit (task.work). Its count and its list are the tasks entity's own (scope, drafts),
 * so the number on the home page, the badge and the list opened from it agree. */
/* The conditions drive from the small side (pending extensions, open urgings, the unit's
 * task_units rows with their copied status), not from the tasks' status index: CROSS JOIN keeps
 * SQLite's join order (PostgreSQL plans it as an inner join). */
#define QT_ACTIVE "qt.status IN ('issued', 'in_progress', 'closing')"
const struct task_queue task_queues[] = {
    {"accept", "待验收", "Awaiting acceptance", 1, 1},
    {"extension", "待审批延期", "Extensions to decide", 1, 1},
    {"urged", "待回复催办", "Urgings awaiting a reply", 1, 0},
    {"sign", "待签收", "To acknowledge", 0, 1},
    {"report", "待报送", "Reports due", 0, 1},
    {"returned", "被退回", "Returned", 0, 1},
    {"reply", "待回复催办", "Urgings to answer", 0, 1},
};
const int task_n_queues = (int)(sizeof task_queues / sizeof task_queues[0]);

static const struct field_option queue_options[] = {
    {"accept", "待验收", "Awaiting acceptance", ""},
    {"extension", "待审批延期", "Extensions to decide", ""},
    {"urged", "待回复催办", "Urgings awaiting a reply", ""},
    {"sign", "待签收", "To acknowledge", ""},
    {"report", "待报送", "Reports due", ""},
    {"returned", "被退回", "Returned", ""},
    {"reply", "待回复催办", "Urgings to answer", ""},
};

int task_queue_holds(const struct principal *who, const struct task_queue *qu) {
    return qu->office ? perm_has(who->perms, &perm_task_manage)
                      : perm_has(who->perms, &perm_task_work) && who->unit_id > 0;
}

static void filter_queue(const struct entity_ctx *c, struct query *q, const char *value) {
    const struct task_light_dates *d = c->state;
    const struct task_queue *qu = NULL;
    for (int i = 0; i < task_n_queues && !qu; i++)
        if (!strcmp(task_queues[i].code, value)) qu = &task_queues[i];
    if (!qu || !task_queue_holds(c->who, qu)) { /* not the caller's: nothing waits for it */
        query_add(q, " AND 1 = 0", "");
        return;
    }
    int64_t unit = c->who->unit_id;
    if (!strcmp(value, "accept")) {
        query_add(q, " AND t.status = 'closing'", "");
    } else if (!strcmp(value, "extension")) {
        query_add(q,
                  " AND t.id IN (SELECT qx.task_id FROM task_extensions qx CROSS JOIN "
                  "tasks qt WHERE qt.id = qx.task_id AND qx.status = 'pending' AND " QT_ACTIVE ")",
                  "");
    } else if (!strcmp(value, "urged")) {
        query_add(q,
                  " AND t.id IN (SELECT qg.task_id FROM task_urgings qg CROSS JOIN "
                  "tasks qt WHERE qt.id = qg.task_id AND qg.replied_at IS NULL AND " QT_ACTIVE ")",
                  "");
    } else if (!strcmp(value, "sign")) {
        query_add(q,
                  " AND t.id IN (SELECT qs.task_id FROM task_units qs WHERE qs.unit_id = ? AND "
                  "qs.acknowledged_at IS NULL AND qs.status IN ('issued', 'in_progress'))",
                  "i", unit);
    } else if (!strcmp(value, "report")) {
        /* the lead unit's periodic report, due within the reminder's working days or missed */
        query_add(q,
                  " AND t.status = 'in_progress' AND t.lead_unit_id = ? AND "
                  "t.report_due_on IS NOT NULL AND t.report_due_on <= ?",
                  "is", unit, d->report_until);
    } else if (!strcmp(value, "returned")) {
        /* the office's return is the last word until the lead unit reports or asks again */
        query_add(q,
                  " AND t.status = 'in_progress' AND t.lead_unit_id = ? AND (SELECT qe.action "
                  "FROM task_events qe WHERE qe.task_id = t.id AND (qe.action IN ('return', "
                  "'request_close') OR (qe.action = 'report' AND qe.unit_id = t.lead_unit_id)) "
                  "ORDER BY qe.id DESC LIMIT 1) = 'return'",
                  "i", unit);
    } else { /* reply */
        query_add(q,
                  " AND t.id IN (SELECT qg.task_id FROM task_urgings qg CROSS JOIN "
                  "tasks qt WHERE qt.id = qg.task_id AND qg.unit_id = ? AND qg.replied_at IS NULL "
                  "AND " QT_ACTIVE ")",
                  "i", unit);
    }
}

/* Active and late by the light rule (tasks.h: whose turn it is counts): what the stats block counts
 * per unit as overdue (its bars open this list). */
static void filter_overdue(const struct entity_ctx *c, struct query *q, const char *value) {
    if (strcmp(value, "1") && strcmp(value, "true")) return;
    const struct task_light_dates *d = c->state;
    query_add(q, " AND " TASK_ACTIVE_SQL " AND ", "");
    task_late_sql(q, d);
}

static json_t *split_dates(const char *s) {
    json_t *out = json_array();
    while (s && *s) {
        const char *comma = strchr(s, ',');
        size_t n = comma ? (size_t)(comma - s) : strlen(s);
        if (n == 10) json_array_append_new(out, json_stringn(s, n));
        s = comma ? comma + 1 : NULL;
    }
    return out;
}

/* The page's items by id, for the set-based decorations. */
struct page_index {
    int64_t *ids;
    json_t **items;
    int n;
    json_t *by_id; /* "id" → item (borrowed references) */
};

static void index_free(void *p) {
    json_decref(p);
}

static void index_page(struct arena *a, json_t *items, struct page_index *x) {
    x->n = (int)json_array_size(items);
    x->ids = arena_alloc(a, (size_t)(x->n ? x->n : 1) * sizeof(int64_t));
    x->items = arena_alloc(a, (size_t)(x->n ? x->n : 1) * sizeof(json_t *));
    x->by_id = json_object();
    arena_on_free(a, index_free, x->by_id);
    for (int i = 0; i < x->n; i++) {
        x->items[i] = json_array_get(items, (size_t)i);
        x->ids[i] = json_integer_value(json_object_get(x->items[i], "id"));
        char key[24];
        snprintf(key, sizeof key, "%lld", (long long)x->ids[i]);
        json_object_set(x->by_id, key, x->items[i]);
    }
}

static json_t *item_of(const struct page_index *x, int64_t id) {
    char key[24];
    snprintf(key, sizeof key, "%lld", (long long)id);
    return json_object_get(x->by_id, key);
}

/* One query: `select` (first column the task id) for the page's ids, then `tail`. */
static struct db_stmt *page_query(const struct entity_ctx *c, const struct page_index *x,
                                  const char *select, const char *tail) {
    struct query q;
    query_init(&q, c->arena, select);
    query_add_ids(&q, x->ids, x->n);
    query_add(&q, tail, "");
    return query_prepare(c->db, &q);
}

static int tasks_decorate(const struct entity_ctx *c, json_t *items) {
    struct page_index x;
    index_page(c->arena, items, &x);
    int lang = c->lang;
    /* co-units, the lead unit's acknowledgement and the tags: one query for the page */
    for (int i = 0; i < x.n; i++) {
        json_object_set_new(x.items[i], "co_units", json_array());
        json_object_set_new(x.items[i], "lead_ack_at", json_null());
        json_object_set_new(x.items[i], "tags", json_array());
    }
    /* the page's units and tags in one query: units by their order, tags alphabetically */
    struct query uq;
    query_init(&uq, c->arena,
               "SELECT tu.task_id, 0 AS part, u.sort_order AS o1, u.id AS o2, tu.unit_id, "
               "u.name AS label, tu.role, tu.acknowledged_at FROM task_units tu "
               "JOIN units u ON u.id = tu.unit_id WHERE tu.task_id");
    query_add_ids(&uq, x.ids, x.n);
    query_add(&uq,
              " UNION ALL SELECT tg.task_id, 1, 0, 0, 0, tg.tag, '', NULL FROM task_tags tg "
              "WHERE tg.task_id",
              "");
    query_add_ids(&uq, x.ids, x.n);
    query_add(&uq, " ORDER BY 1, 2, 3, 4, 6", "");
    struct db_stmt *st = query_prepare(c->db, &uq);
    int rc = DB_ERROR;
    while (st && (rc = db_step(st)) == DB_ROW) {
        json_t *t = item_of(&x, db_col_int(st, 0));
        if (!t) continue;
        if (db_col_int(st, 1) == 1) {
            json_array_append_new(json_object_get(t, "tags"), json_string(db_col_text(st, 5)));
            continue;
        }
        const char *ack = db_col_text(st, 7);
        if (!strcmp(db_col_text(st, 6), "lead")) {
            json_object_set_new(t, "lead_ack_at", ack ? json_string(ack) : json_null());
            continue;
        }
        json_array_append_new(json_object_get(t, "co_units"),
                              json_pack("{s:I,s:s,s:o}", "unit_id", (json_int_t)db_col_int(st, 4),
                                        "unit_name", db_col_text(st, 5), "acknowledged_at",
                                        ack ? json_string(ack) : json_null()));
    }
    db_done(st);
    if (rc != DB_DONE) return rc < 0 ? rc : DB_ERROR;
    /* the export's latest progress note (one query) */
    if (c->purpose == EP_EXPORT) {
        st = page_query(c, &x,
                        "SELECT e.task_id, e.note FROM task_events e WHERE e.id IN "
                        "(SELECT MAX(x.id) FROM task_events x WHERE x.action IN "
                        "('report', 'request_close') AND x.task_id",
                        " GROUP BY x.task_id)");
        rc = DB_ERROR;
        while (st && (rc = db_step(st)) == DB_ROW) {
            json_t *t = item_of(&x, db_col_int(st, 0));
            if (t) json_object_set_new(t, "last_report", json_string(db_col_text(st, 1)));
        }
        db_done(st);
        if (rc != DB_DONE) return rc < 0 ? rc : DB_ERROR;
    }
    /* whose turn it is, from the timeline (one query for the page): the lead unit's last word
     * (a report or a close request) or the office's return, whichever came last. A task back
     * in progress after a return is marked returned until the lead unit reports or asks again;
     * a task awaiting acceptance shows what the unit declared with its request. */
    for (int i = 0; i < x.n; i++) {
        json_object_set_new(x.items[i], "returned", json_null());
        json_object_set_new(x.items[i], "close_request", json_null());
    }
    if (x.n > 0) {
        st = page_query(c, &x,
                        "SELECT e.task_id, e.action, e.at, e.actor_name, e.note, e.progress "
                        "FROM task_events e WHERE e.id IN (SELECT MAX(x.id) FROM task_events x "
                        "JOIN tasks t ON t.id = x.task_id WHERE (x.action IN ('return', "
                        "'request_close') OR (x.action = 'report' AND x.unit_id = "
                        "t.lead_unit_id)) AND x.task_id",
                        " GROUP BY x.task_id)");
        rc = DB_ERROR;
        while (st && (rc = db_step(st)) == DB_ROW) {
            json_t *t = item_of(&x, db_col_int(st, 0));
            const char *status = t ? json_string_value(json_object_get(t, "status")) : NULL;
            const char *action = db_col_text(st, 1);
            if (!status || !action) continue;
            json_t *o = json_pack("{s:s,s:s,s:s}", "at", db_col_text(st, 2), "by",
                                  db_col_text(st, 3) ? db_col_text(st, 3) : "", "note",
                                  db_col_text(st, 4) ? db_col_text(st, 4) : "");
            if (!strcmp(action, "return") && !strcmp(status, "in_progress")) {
                json_object_set_new(t, "returned", o);
            } else if (!strcmp(action, "request_close") && !strcmp(status, "closing")) {
                /* declared with the request, else the task's progress it left standing */
                json_t *p = json_object_get(t, "progress");
                json_object_set_new(o, "progress",
                                    db_col_type(st, 5) != DB_T_NULL
                                        ? json_integer(db_col_int(st, 5))
                                    : json_is_integer(p) ? json_incref(p)
                                                         : json_null());
                json_object_set_new(t, "close_request", o);
            } else {
                json_decref(o);
            }
        }
        db_done(st);
        if (rc != DB_DONE) return rc < 0 ? rc : DB_ERROR;
    }
    /* computed from the row: report dates as a list, overdue days, the reasons for the light */
    const struct task_light_dates *d = c->state;
    int32_t today = 0;
    date_parse(d->today, &today);
    for (int i = 0; i < x.n; i++) {
        json_t *t = x.items[i];
        json_object_set_new(t, "custom_dates",
                            split_dates(json_string_value(json_object_get(t, "custom_dates"))));
        const char *light = json_string_value(json_object_get(t, "light"));
        int active = light && strcmp(light, "none") != 0;
        int32_t due = 0, since = 0;
        int overdue = 0, waiting = 0;
        /* the unit's clock stands while its request waits for the office (tasks.h) */
        int has_since =
            date_parse(json_string_value(json_object_get(t, "waiting_since")), &since) == 0;
        int32_t stop = active && has_since && since < today ? since : today;
        if (active && date_parse(json_string_value(json_object_get(t, "due_on")), &due) == 0 &&
            due < stop)
            overdue = stop - due;
        const char *status = json_string_value(json_object_get(t, "status"));
        if (active && has_since && status && !strcmp(status, "closing")) waiting = today - since;
        json_object_set_new(t, "waiting_days", json_integer(waiting));
        json_object_set_new(t, "accept_late", json_boolean(waiting > d->accept_days));
        json_t *reasons = json_array();
        if (overdue)
            json_array_append_new(
                reasons, json_string(lang ? arena_printf(c->arena, "overdue by %d days", overdue)
                                          : arena_printf(c->arena, "已逾期 %d 天", overdue)));
        if (active) {
            if (json_integer_value(json_object_get(t, "urged")))
                json_array_append_new(
                    reasons, json_string(lang ? "urging notice unanswered past its deadline"
                                              : "督办通知逾期未回复"));
            const char *rd = json_string_value(json_object_get(t, "report_due_on"));
            if (rd && strcmp(rd, d->today) < 0)
                json_array_append_new(
                    reasons, json_string(lang ? "progress report missing" : "进展报送逾期"));
            if (!strcmp(light, "yellow") && !overdue)
                json_array_append_new(reasons, json_string(lang ? "due soon" : "临近截止日期"));
        }
        json_object_set_new(t, "overdue_days", json_integer(overdue));
        json_object_set_new(t, "light_reasons", reasons);
    }
    /* one record: its milestones and what the caller may do with it now */
    if (c->purpose == EP_GET && x.n == 1) {
        json_t *ms = json_array();
        st = db_queryv(c->db,
                       "SELECT id, title, due_on, done_on FROM task_milestones WHERE task_id = ? "
                       "ORDER BY sort_order, id",
                       "i", x.ids[0]);
        rc = st ? db_rows_json(st, ms) : DB_ERROR;
        db_done(st);
        json_object_set_new(x.items[0], "milestones", ms);
        if (rc != DB_OK) return rc;
        struct task_actor ta = {c->who, NULL};
        json_object_set_new(x.items[0], "allowed_actions",
                            task_allowed_actions(c->db, &ta, x.ids[0]));
        /* 来源: the record of another kind the task carries out, its title and page */
        struct flow_actor fa = {c->who, NULL};
        json_t *t = x.items[0];
        json_object_set_new(t, "origin",
                            flow_origin_json(c->db, c->arena, &fa,
                                             json_string_value(json_object_get(t, "origin_kind")),
                                             json_integer_value(json_object_get(t, "origin_id")),
                                             c->lang));
    }
    return DB_OK;
}

/* ---- tasks: a unit's page and total (the tasks module's migration 1) ---- */

/* The one unit whose task_units rows are exactly the tasks rq asks for in the caller's scope,
 * or 0: the request has no filter but the unit and the status (no search, one of the orders
 * the index keeps), and its unit filter and the scope come to one unit — scope all with a unit
 * filter, scope own (with no unit filter or its own unit), a subtree holding the filter's unit.
 * *status: the status filter or NULL. */
static int64_t page_unit(const struct entity_ctx *c, const struct entity_request *rq,
                         const char **status) {
    *status = NULL;
    if (!rq || rq->q || rq->id > 0) return 0;
    int64_t unit = 0;
    for (int i = 0; i < rq->n; i++) {
        const struct entity_filter_value *v = &rq->f[i];
        if (v->extra && !strcmp(v->extra->name, "unit_id")) {
            if (num_parse(v->text, &unit) != 0 || unit <= 0) return 0;
        } else if (v->field && !strcmp(v->field->name, "status")) {
            *status = v->text;
        } else {
            return 0;
        }
    }
    switch (c->who->scope) {
    case SCOPE_ALL:
        return unit;
    case SCOPE_OWN:
        return !unit || unit == c->who->unit_id ? c->who->unit_id : 0;
    case SCOPE_SUBTREE:
        return unit && scope_allows_unit(c->db, c->who, unit) ? unit : 0;
    }
    return 0;
}

/* The statuses the caller reads (tasks_visible) and the status filter, on task_units' copy. */
static void page_status(const struct entity_ctx *c, struct query *q, const char *status) {
    if (!perm_has(c->who->perms, &perm_task_manage)) query_add(q, " AND sl.status <> 'draft'", "");
    if (status) query_add(q, " AND sl.status = ?", "s", status);
}

/* The page's ids from the index task_units_page (unit, due date, task): 20 entries read,
 * whatever the unit's size. */
static int tasks_page(const struct entity_ctx *c, const struct entity_request *rq, int64_t **ids,
                      int *n) {
    const char *status;
    int64_t unit = page_unit(c, rq, &status);
    const char *sort = rq && rq->sort ? rq->sort : "due_on";
    int desc = !strcmp(sort, "-due_on");
    if (!unit || (!desc && strcmp(sort, "due_on"))) return ENTITY_DECLINED;
    struct query q;
    query_init(&q, c->arena, "SELECT sl.task_id FROM task_units sl WHERE 1 = 1");
    query_add(&q, " AND sl.unit_id = ?", "i", unit);
    page_status(c, &q, status);
    /* the layer's order: the sort, then the id ascending */
    query_add(&q, desc ? " ORDER BY sl.due_on DESC, sl.task_id" : " ORDER BY sl.due_on, sl.task_id",
              "");
    query_add(&q, " LIMIT ? OFFSET ?", "ii", rq->per_page, (rq->page - 1) * rq->per_page);
    *n = 0;
    *ids = arena_alloc(c->arena, (size_t)(rq->per_page > 0 ? rq->per_page : 1) * sizeof(int64_t));
    struct db_stmt *st = query_prepare(c->db, &q);
    int rc = DB_ERROR;
    while (st && (rc = db_step(st)) == DB_ROW && *n < rq->per_page)
        (*ids)[(*n)++] = db_col_int(st, 0);
    db_done(st);
    return rc == DB_DONE || rc == DB_ROW ? DB_OK : rc;
}

/* The exact total from task_unit_counts (kept by triggers in every writing transaction). */
static int tasks_count(const struct entity_ctx *c, const struct entity_request *rq, int64_t *n) {
    const char *status;
    int64_t unit = page_unit(c, rq, &status);
    if (!unit) return ENTITY_DECLINED;
    struct query q;
    query_init(&q, c->arena, "SELECT COALESCE(SUM(sl.n), 0) FROM task_unit_counts sl WHERE 1 = 1");
    query_add(&q, " AND sl.unit_id = ?", "i", unit);
    page_status(c, &q, status);
    struct db_stmt *st = query_prepare(c->db, &q);
    int rc = st ? db_step(st) : DB_ERROR;
    *n = rc == DB_ROW ? db_col_int(st, 0) : 0;
    db_done(st);
    return rc == DB_ROW ? DB_OK : rc < 0 ? rc : DB_ERROR;
}

/* ---- tasks: writing (create and import; update and delete keep their own routes) ---- */

/* The checked body (entity_input_check) as the C input of tasks.h. */
static void task_input_of(json_t *in, struct task_input *t) {
    memset(t, 0, sizeof(*t));
    t->title = json_string_value(json_object_get(in, "title"));
    t->content = json_string_value(json_object_get(in, "content"));
    t->category = json_string_value(json_object_get(in, "category"));
    t->responsible = json_string_value(json_object_get(in, "responsible"));
    t->start_on = json_string_value(json_object_get(in, "start_on"));
    t->due_on = json_string_value(json_object_get(in, "due_on"));
    t->rhythm = json_string_value(json_object_get(in, "rhythm"));
    t->priority = json_string_value(json_object_get(in, "priority"));
    if (!t->rhythm) t->rhythm = "none";
    if (!t->priority) t->priority = "normal";
    if (!t->start_on) t->start_on = "";
    t->document_id = json_integer_value(json_object_get(in, "document_id"));
    t->parent_id = json_integer_value(json_object_get(in, "parent_id"));
    t->lead_unit_id = json_integer_value(json_object_get(in, "lead_unit_id"));
    json_t *co = json_object_get(in, "co_unit_ids");
    for (size_t i = 0; i < json_array_size(co) && t->n_co < 32; i++)
        t->co_unit_ids[t->n_co++] = json_integer_value(json_array_get(co, i));
    t->custom_dates = json_object_get(in, "custom_dates");
    t->tags = json_object_get(in, "tags");
    t->milestones = json_object_get(in, "milestones");
}

void task_input_from_json(json_t *in, struct task_input *t) {
    task_input_of(in, t);
}

/* Every rule runs, also when a declared limit failed: a row's problems are all answered at once
 * (a field that already has one keeps it — problem_add keeps the first per field). */
static int tasks_validate(struct entity_write *w) {
    const char *rhythm = json_string_value(json_object_get(w->in, "rhythm"));
    if (w->importing && rhythm && !strcmp(rhythm, "custom")) { /* a sheet has no report dates */
        problem_add(w->pr, "rhythm", "报送频次须为 不报送、每月 或 每季度",
                    "Rhythm is 不报送, 每月 or 每季度");
    }
    struct task_input in;
    task_input_of(w->in, &in);
    if (w->importing && rhythm && !strcmp(rhythm, "custom")) in.rhythm = "none"; /* said above */
    struct task_problems pr = {0};
    task_input_check(w->c->db, w->c->who, &in, &pr);
    for (int i = 0; i < pr.n; i++)
        problem_add(w->pr, pr.p[i].field, pr.p[i].zh, pr.p[i].en);
    return DB_OK;
}

static int tasks_create(struct entity_write *w) {
    struct task_input in;
    task_input_of(w->in, &in);
    struct task_actor ta = {w->c->who, w->actor};
    return task_create(w->c->db, w->c->arena, &ta, &in, &w->id);
}

/* Deleting a task (a selection's 删除): drafts only, like DELETE /tasks/{id}. */
static int tasks_remove(struct entity_write *w) {
    const char *status = json_string_value(json_object_get(w->cur, "status"));
    if (!status || strcmp(status, "draft")) {
        w->zh = "任务已下发，不能再修改或删除";
        w->en = "The task is issued; it can no longer be edited or deleted";
        return ENTITY_FORBIDDEN;
    }
    struct task_actor ta = {w->c->who, w->actor};
    return task_delete_draft(w->c->db, &ta, w->id);
}

/* What a selection of the list may do at once (POST /tasks/batch): 下发 drafts, 催办, 删除. */
static const char *const task_batch_actions[] = {"issue", "urge", "delete", NULL};

static const struct field task_fields[] = {
    {"id", FT_INT, "编号", "ID", 0, 0, F_LIST | F_READONLY},
    {"document_id", FT_REF, "来源文件", "Source document", 0, 0, F_FILTER | F_CREATE | F_UPDATE,
     .ref = "documents"},
    {"parent_id", FT_REF, "上级任务", "Parent task", 0, 0, F_FILTER | F_CREATE | F_UPDATE,
     .ref = "tasks"},
    {"title", FT_TEXT, "任务名称", "Title", 1, 200,
     F_REQUIRED | F_LIST | F_SORT | F_SEARCH | F_CREATE | F_UPDATE | F_EXPORT | F_IMPORT},
    {"content", FT_LONGTEXT, "任务内容", "Content", 0, 4000,
     F_SEARCH | F_CREATE | F_UPDATE | F_IMPORT},
    {"document_title", FT_TEXT, "来源文件", "Source document", 0, 0, F_LIST | F_EXPORT | F_READONLY,
     .sql = "doc.title"},
    {"category", FT_ENUM, "类别", "Category", 0, 0,
     F_LIST | F_FILTER | F_CREATE | F_UPDATE | F_EXPORT | F_IMPORT, category_options,
     ENTITY_N(category_options), .dict = "task_category"},
    {"tags", FT_TEXT, "标签", "Tags", 1, 20,
     F_LIST | F_MULTI | F_VIRTUAL | F_CREATE | F_UPDATE | F_EXPORT | F_IMPORT, .max_items = 10},
    {"lead_unit_id", FT_UNIT, "牵头单位", "Lead unit", 0, 0,
     F_REQUIRED | F_CREATE | F_UPDATE | F_IMPORT, .ref = "units", .import = "lead_unit"},
    {"lead_unit_name", FT_TEXT, "牵头单位", "Lead unit", 0, 0, F_LIST | F_EXPORT | F_READONLY,
     .sql = "lu.name"},
    {"co_unit_ids", FT_UNIT, "配合单位", "Co-units", 0, 0,
     F_MULTI | F_VIRTUAL | F_CREATE | F_UPDATE | F_IMPORT, .ref = "units", .import = "co_units",
     .max_items = 32},
    {"co_units", FT_JSON, "配合单位", "Co-units", 0, 0, F_LIST | F_VIRTUAL | F_EXPORT | F_READONLY,
     .ref = "unit_name"},
    {"lead_ack_at", FT_DATETIME, "牵头单位签收", "Lead unit acknowledged", 0, 0,
     F_VIRTUAL | F_READONLY},
    {"responsible", FT_TEXT, "责任人", "Responsible", 0, 50,
     F_LIST | F_CREATE | F_UPDATE | F_EXPORT | F_IMPORT},
    {"start_on", FT_DATE, "开始日期", "Start", 0, 0,
     F_LIST | F_CREATE | F_UPDATE | F_EXPORT | F_IMPORT},
    {"due_on", FT_DATE, "截止日期", "Due", 0, 0,
     F_REQUIRED | F_LIST | F_SORT | F_CREATE | F_UPDATE | F_EXPORT | F_IMPORT},
    {"rhythm", FT_ENUM, "报送频次", "Report rhythm", 0, 0,
     F_LIST | F_CREATE | F_UPDATE | F_EXPORT | F_IMPORT, rhythm_options, ENTITY_N(rhythm_options),
     .dict = "task_rhythm"},
    {"custom_dates", FT_DATE, "报送日期", "Report dates", 0, 0, F_MULTI | F_CREATE | F_UPDATE,
     .max_items = 60},
    {"report_due_on", FT_DATE, "下次报送", "Next report due", 0, 0, F_LIST | F_READONLY},
    {"priority", FT_ENUM, "优先级", "Priority", 0, 0,
     F_LIST | F_SORT | F_CREATE | F_UPDATE | F_EXPORT | F_IMPORT, priority_options,
     ENTITY_N(priority_options), .dict = "task_priority"},
    {"supervised", FT_BOOL, "挂牌督办", "Supervised", 0, 0, F_LIST | F_EXPORT | F_READONLY},
    {"status", FT_ENUM, "状态", "Status", 0, 0, F_LIST | F_FILTER | F_SORT | F_EXPORT | F_READONLY,
     status_options, ENTITY_N(status_options)},
    {"light", FT_ENUM, "预警", "Light", 0, 0, F_LIST | F_VIRTUAL | F_EXPORT | F_READONLY,
     light_options, ENTITY_N(light_options)},
    {"overdue_days", FT_INT, "逾期天数", "Days overdue", 0, 0,
     F_LIST | F_VIRTUAL | F_EXPORT | F_READONLY},
    {"last_report", FT_TEXT, "最新进展", "Latest progress", 0, 0,
     F_VIRTUAL | F_EXPORT | F_READONLY},
    {"light_reasons", FT_JSON, "预警原因", "Why the light", 0, 0, F_LIST | F_VIRTUAL | F_READONLY},
    {"progress", FT_INT, "进度", "Progress", 0, 100, F_LIST | F_READONLY},
    {"waiting_since", FT_DATE, "待办督办办自", "Waiting for the office since", 0, 0, F_READONLY},
    {"waiting_days", FT_INT, "待验收天数", "Days awaiting acceptance", 0, 0,
     F_VIRTUAL | F_READONLY},
    {"accept_late", FT_BOOL, "验收超期", "Acceptance overdue", 0, 0, F_VIRTUAL | F_READONLY},
    {"child_count", FT_INT, "子任务数", "Subtasks", 0, 0, F_READONLY,
     .sql = "(SELECT COUNT(*) FROM tasks c WHERE c.parent_id = t.id)"},
    {"issued_at", FT_DATETIME, "下发时间", "Issued", 0, 0, F_READONLY},
    {"closed_at", FT_DATETIME, "办结时间", "Closed", 0, 0, F_READONLY},
    {"created_at", FT_DATETIME, "创建时间", "Created", 0, 0, F_SORT | F_READONLY},
    {"updated_at", FT_DATETIME, "更新时间", "Updated", 0, 0, F_SORT | F_READONLY},
    {"version", FT_INT, "版本", "Version", 0, 0, F_READONLY},
    {"milestones", FT_JSON, "节点", "Milestones", 0, 0, F_MULTI | F_VIRTUAL | F_CREATE | F_UPDATE,
     .max_items = 20},
    {"allowed_actions", FT_JSON, "可执行操作", "Allowed actions", 0, 0, F_VIRTUAL | F_READONLY},
    /* 来源: set only by the origin's effect (task origin, flow.h); the single read adds
     * `origin` {kind, kind_name, id, title, path} */
    {"origin_kind", FT_TEXT, "来源类型", "Origin kind", 0, 0, F_READONLY},
    {"origin_id", FT_INT, "来源记录", "Origin record", 0, 0, F_READONLY},
    {"urged", FT_INT, "催办未回复", "Urging unanswered", 0, 0, F_VIRTUAL | F_INTERNAL},
};

static const struct entity_filter task_filters[] = {
    {"unit_id", FT_UNIT, "单位（牵头或配合）", "Unit (lead or co)",
     "t.id IN (SELECT fu.task_id FROM task_units fu WHERE fu.unit_id = ?)"},
    /* the same unit in one role only (the list's 牵头 / 配合 choice beside its unit filter) */
    {"lead_unit", FT_UNIT, "牵头单位", "Lead unit", "t.lead_unit_id = ?"},
    {"co_unit", FT_UNIT, "配合单位", "Co-unit",
     "t.id IN (SELECT fc.task_id FROM task_units fc WHERE fc.unit_id = ? AND fc.role = 'co')"},
    {"light", FT_ENUM, "预警", "Light", .options = light_options,
     .n_options = ENTITY_N(light_options), .apply = filter_light},
    {"tag", FT_TEXT, "标签", "Tag",
     "EXISTS (SELECT 1 FROM task_tags tg WHERE tg.task_id = t.id AND tg.tag = ?)", .max = 20},
    {"due_from", FT_DATE, "截止日期起", "Due from", "t.due_on >= ?"},
    {"due_to", FT_DATE, "截止日期止", "Due to", "t.due_on <= ?"},
    {"root", FT_BOOL, "仅顶层任务", "Top-level only", "t.parent_id IS NULL"},
    {"supervised", FT_BOOL, "仅挂牌督办", "Supervised only", "t.supervised = 1"},
    {"mine", FT_BOOL, "本单位任务", "My unit's tasks", .apply = filter_mine},
    {"queue", FT_ENUM, "待办", "Waiting for me", .options = queue_options,
     .n_options = ENTITY_N(queue_options), .apply = filter_queue},
    {"overdue", FT_BOOL, "逾期任务", "overdue tasks", .apply = filter_overdue},
    /* tasks carrying out records of one kind (finding: the rectification tasks) */
    {"origin_kind", FT_TEXT, "来源类型", "Origin kind", "t.origin_kind = ?", .max = 40},
};

static const struct entity_sort task_sorts[] = {
    {"priority", "CASE t.priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 ELSE 2 END"},
    /* 我的任务: finished (done, cancelled) last, then by due date */
    {"open_due", "CASE WHEN t.status IN ('done', 'cancelled') THEN 1 ELSE 0 END, t.due_on"},
};

static const char *const task_import_example[] = {"完善行政规范性文件合法性审核机制",
                                                  "制定审核工作规程，实现审核率100%",
                                                  "法治政府建设",
                                                  "制度建设、合法性审核",
                                                  "区司法局",
                                                  "区政务服务和数据管理局、区财政局",
                                                  "张三",
                                                  "2026-03-01",
                                                  "2026-06-30",
                                                  "每月",
                                                  "重要"};

/* A re-imported sheet: the same title, lead unit and deadline is likely the same task. */
static const char *const task_duplicate_key[] = {"title", "lead_unit_id", "due_on", NULL};

/* 按时办结率 and 逾期任务 of the tasks due in a period (metric_date due_on), by the lead unit:
 * what the annual assessment scores (年度考核, tasks.done_on_time, tasks.late). Drafts and
 * cancelled tasks are no tasks due. Closed by the due date: closed_at's day (UTC) ≤ due_on;
 * late: not so, and the due date past (CURRENT_DATE, the database's day). */
#define TASK_DUE "t.status NOT IN ('draft', 'cancelled')"
#define TASK_ON_TIME                                                                               \
    "t.status = 'done' AND t.closed_at IS NOT NULL AND SUBSTR(t.closed_at, 1, 10) <= t.due_on"
static const struct entity_metric task_metrics[] = {
    {"done_on_time", "按时办结率", "Done on time", METRIC_RATE, TASK_DUE " AND " TASK_ON_TIME,
     TASK_DUE, NULL, "截止日期在期间内的任务中，在截止日期前（含当日）办结的比例",
     "Of the tasks due in the period, the share closed by their due date"},
    {"late", "逾期任务", "Late tasks", METRIC_COUNT,
     TASK_DUE " AND NOT (" TASK_ON_TIME ") AND t.due_on < CAST(CURRENT_DATE AS TEXT)", NULL, NULL,
     "截止日期在期间内、未在截止日期前办结的任务（截止日期未到的不计）",
     "Tasks due in the period not closed by their due date (those not yet due are not counted)"},
};

/* What a page reads: tasks and their units, urgings, tags and documents; unit names; the
 * light's settings and calendar; the caller's scope and permissions. */
static const char *const task_page_deps[] = {"tasks", "org", "settings", "auth", NULL};

const struct entity entity_tasks = {
    .name = "tasks",
    .path = "/api/v1/tasks",
    .zh = "督办任务",
    .en = "Tasks",
    .table = "tasks",
    .alias = "t",
    .from = "tasks t JOIN units lu ON lu.id = t.lead_unit_id "
            "LEFT JOIN documents doc ON doc.id = t.document_id",
    .fields = task_fields,
    .n_fields = ENTITY_N(task_fields),
    /* a task is visible to the units it is assigned to (lead or co), read by unit */
    .scope = {.link = {"task_units", "task_id", "unit_id"}},
    .filters = task_filters,
    .n_filters = ENTITY_N(task_filters),
    .sorts = task_sorts,
    .n_sorts = ENTITY_N(task_sorts),
    .default_sort = "due_on",
    .perm_read = &perm_task_read,
    .perm_create = &perm_task_manage,
    .perm_update = &perm_task_manage,
    .perm_delete = &perm_task_manage,
    .own = ENTITY_OWN_UPDATE | ENTITY_OWN_DELETE, /* drafts only: tasks_http.c */
    .audit_type = "task",
    .export_name = "tasks",
    .export_sheet = "督办任务",
    .cache_deps = task_page_deps,
    .prepare = tasks_prepare,
    .visible = tasks_visible,
    .columns = tasks_columns,
    .count = tasks_count,
    .page = tasks_page,
    .decorate = tasks_decorate,
    .validate = tasks_validate,
    .create = tasks_create,
    .import_example = task_import_example,
    .duplicate_key = task_duplicate_key,
    .remove = tasks_remove,
    .batch_actions = task_batch_actions,
    .batch_kind = &task_kind,
    .metrics = task_metrics,
    .n_metrics = ENTITY_N(task_metrics),
    .metric_date = "t.due_on",
    .metric_unit = "t.lead_unit_id",
};

/* ---- documents ---- */

static int documents_decorate(const struct entity_ctx *c, json_t *items) {
    struct page_index x;
    index_page(c->arena, items, &x);
    /* Each one's tasks that this reader may see: the tasks entity's own scope and visibility,
     * one grouped count for the page. */
    struct entity_ctx tc;
    int rc = entity_ctx_init(&tc, c->db, c->arena, &entity_tasks, c->who, c->lang, EP_COUNT);
    int64_t *counts = arena_alloc(c->arena, (size_t)(x.n ? x.n : 1) * sizeof(int64_t));
    if (rc == DB_OK) rc = entity_count_by(&tc, "document_id", x.ids, x.n, counts);
    if (rc != DB_OK) return rc;
    for (int i = 0; i < x.n; i++)
        json_object_set_new(x.items[i], "task_count", json_integer(counts[i]));
    if (c->purpose == EP_GET && x.n == 1) {
        json_t *files = files_list_json(c->db, "document", x.ids[0]);
        json_object_set_new(x.items[0], "attachments", files ? files : json_array());
    }
    return DB_OK;
}

static int claim_files(struct entity_write *w) {
    json_t *ids = json_object_get(w->in, "attachment_ids");
    int n = (int)json_array_size(ids);
    if (!n) return DB_OK;
    int64_t files[20];
    for (int i = 0; i < n && i < 20; i++)
        files[i] = json_integer_value(json_array_get(ids, (size_t)i));
    int rc = files_claim(w->c->db, w->c->who->user_id, files, n < 20 ? n : 20, "document", w->id);
    if (rc == DB_OK || rc == DB_ERROR) return rc;
    problem_add(w->pr, "attachment_ids", "附件无效或已被使用",
                "An attachment is invalid or already used");
    return ENTITY_INVALID;
}

static int documents_create(struct entity_write *w) {
    json_t *in = w->in;
    char now[21];
    now_iso(now);
    const char *issued = entity_text(in, "issued_on");
    struct db_stmt *st =
        db_queryv(w->c->db,
                  "INSERT INTO documents (doc_no, title, issuer, issued_on, kind, summary, "
                  "created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                  "RETURNING id",
                  "ssssssiss", entity_text(in, "doc_no"), entity_text(in, "title"),
                  entity_text(in, "issuer"), *issued ? issued : NULL, entity_text(in, "kind"),
                  entity_text(in, "summary"), w->c->who->user_id, now, now);
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW) w->id = db_col_int(st, 0);
    db_done(st);
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERROR;
    if ((rc = claim_files(w)) != DB_OK) return rc;
    json_t *d = json_pack("{s:s,s:s}", "doc_no", entity_text(in, "doc_no"), "title",
                          entity_text(in, "title"));
    char *detail = json_dumps(d, JSON_COMPACT);
    json_decref(d);
    rc = audit_append(w->c->db, w->actor, "document.create", "document",
                      arena_printf(w->c->arena, "%lld", (long long)w->id), "ok",
                      detail ? detail : "");
    free(detail);
    return rc;
}

static int documents_update(struct entity_write *w) {
    json_t *in = w->in;
    const char *issued = entity_text(in, "issued_on");
    int rc = db_exec(w->c->db,
                     "UPDATE documents SET doc_no = ?, title = ?, issuer = ?, issued_on = ?, "
                     "kind = ?, summary = ? WHERE id = ?",
                     "ssssssi", entity_text(in, "doc_no"), entity_text(in, "title"),
                     entity_text(in, "issuer"), *issued ? issued : NULL, entity_text(in, "kind"),
                     entity_text(in, "summary"), w->id);
    if (rc == DB_OK) rc = claim_files(w);
    if (rc != DB_OK) return rc;
    return audit_append(w->c->db, w->actor, "document.update", "document",
                        arena_printf(w->c->arena, "%lld", (long long)w->id), "ok", "");
}

static int documents_remove(struct entity_write *w) {
    struct db *db = w->c->db;
    /* Every task that names it, not only those the reader sees (task_count). */
    int64_t tasks = 0;
    int rc =
        db_query_int(db, &tasks, "SELECT COUNT(*) FROM tasks WHERE document_id = ?", "i", w->id);
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERROR;
    if (tasks > 0) return ENTITY_IN_USE;
    rc = db_exec(db,
                 "UPDATE attachments SET owner_type = NULL, owner_id = NULL "
                 "WHERE owner_type = 'document' AND owner_id = ?",
                 "i", w->id);
    if (rc == DB_OK) rc = db_exec(db, "DELETE FROM documents WHERE id = ?", "i", w->id);
    if (rc != DB_OK) return rc;
    return audit_append(db, w->actor, "document.delete", "document",
                        arena_printf(w->c->arena, "%lld", (long long)w->id), "ok", "");
}

static void filter_year(const struct entity_ctx *c, struct query *q, const char *value) {
    long y = strtol(value, NULL, 10);
    query_add(q, " AND d.issued_on >= ? AND d.issued_on <= ?", "ss",
              arena_printf(c->arena, "%04ld-01-01", y), arena_printf(c->arena, "%04ld-12-31", y));
}

static int year_valid(const char *v) {
    long y = strtol(v, NULL, 10);
    return y >= 1990 && y <= 2100;
}

static const struct field document_fields[] = {
    {"id", FT_INT, "编号", "ID", 0, 0, F_LIST | F_READONLY},
    {"doc_no", FT_TEXT, "文号", "Document number", 0, 60,
     F_LIST | F_SEARCH | F_CREATE | F_UPDATE | F_EXPORT},
    {"title", FT_TEXT, "文件标题", "Title", 1, 200,
     F_REQUIRED | F_LIST | F_SORT | F_SEARCH | F_CREATE | F_UPDATE | F_EXPORT},
    {"issuer", FT_TEXT, "发文机关", "Issuer", 0, 100, F_LIST | F_CREATE | F_UPDATE | F_EXPORT},
    {"issued_on", FT_DATE, "发文日期", "Issued on", 0, 0,
     F_LIST | F_SORT | F_CREATE | F_UPDATE | F_EXPORT},
    {"kind", FT_ENUM, "文件类型", "Kind", 0, 0,
     F_REQUIRED | F_LIST | F_FILTER | F_CREATE | F_UPDATE | F_EXPORT, doc_kind_options,
     ENTITY_N(doc_kind_options), .dict = "document_kind"},
    {"summary", FT_LONGTEXT, "内容摘要", "Summary", 0, 4000, F_CREATE | F_UPDATE},
    {"task_count", FT_INT, "任务数", "Tasks", 0, 0, F_LIST | F_VIRTUAL | F_EXPORT | F_READONLY},
    {"attachment_ids", FT_REF, "附件", "Attachments", 0, 0,
     F_MULTI | F_VIRTUAL | F_CREATE | F_UPDATE, .ref = "files", .max_items = 20},
    {"attachments", FT_JSON, "附件", "Attachments", 0, 0, F_VIRTUAL | F_READONLY},
    {"created_at", FT_DATETIME, "创建时间", "Created", 0, 0, F_READONLY},
    {"updated_at", FT_DATETIME, "更新时间", "Updated", 0, 0, F_SORT | F_READONLY},
    {"version", FT_INT, "版本", "Version", 0, 0, F_READONLY},
};

static const struct entity_filter document_filters[] = {
    {"year", FT_INT, "年度", "Year", .apply = filter_year, .valid = year_valid},
};

const struct entity entity_documents = {
    .name = "documents",
    .path = "/api/v1/documents",
    .zh = "来源文件",
    .en = "Source documents",
    .table = "documents",
    .alias = "d",
    .fields = document_fields,
    .n_fields = ENTITY_N(document_fields),
    .scope = {.unscoped =
                  "来源文件是全区的工作要点、实施方案和会议纪要，能查看督办任务的人都能看到；"
                  "每个文件下的任务数按读者自己的数据范围计算（任务实体）"},
    .filters = document_filters,
    .n_filters = ENTITY_N(document_filters),
    .default_sort = "-issued_on",
    .perm_read = &perm_task_read,
    .perm_create = &perm_task_manage,
    .perm_update = &perm_task_manage,
    .perm_delete = &perm_task_manage,
    .audit_type = "document",
    .export_name = "documents",
    .decorate = documents_decorate,
    .create = documents_create,
    .update = documents_update,
    .remove = documents_remove,
};
