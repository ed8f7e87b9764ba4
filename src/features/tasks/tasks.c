/* tasks.c — task records: validation, create, update, queries with scope and the computed
 * status light, decoration of rows, timeline. The state machine is in task_flow.c. */
#include "features/tasks/tasks.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "features/calendar/calendar.h"
#include "base/timeutil.h"
#include "features/files/files.h"
#include "store/settings.h"

const char *const task_status_codes[TS_COUNT] = {"draft",   "issued", "in_progress",
                                                 "closing", "done",   "cancelled"};

int task_status_parse(const char *s) {
    for (int i = 0; s && i < TS_COUNT; i++)
        if (!strcmp(task_status_codes[i], s)) return i;
    return -1;
}

void task_problem(struct task_problems *pr, const char *field, const char *zh, const char *en) {
    for (int i = 0; i < pr->n; i++)
        if (!strcmp(pr->p[i].field, field)) return;
    if (pr->n < TASK_MAX_PROBLEMS) pr->p[pr->n++] = (struct task_problem){field, zh, en};
}

static int valid_date(const char *s) {
    int32_t d;
    return s && date_parse(s, &d) == 0;
}

static int unit_active(struct db *db, int64_t id) {
    int64_t active = 0;
    return db_query_int(db, &active, "SELECT active FROM units WHERE id = ?", "i", id) == DB_ROW &&
           active;
}

static const char *const rhythms[] = {"none", "monthly", "quarterly", "custom", NULL};
static const char *const priorities[] = {"normal", "high", "urgent", NULL};

static int in_list(const char *s, const char *const *list) {
    for (int i = 0; s && list[i]; i++)
        if (!strcmp(s, list[i])) return 1;
    return 0;
}

void task_input_check(struct db *db, const struct principal *who, const struct task_input *in,
                      struct task_problems *pr) {
    if (!in->due_on || !*in->due_on)
        task_problem(pr, "due_on", "必填", "Required");
    else if (!valid_date(in->due_on))
        task_problem(pr, "due_on", "截止日期无效", "Invalid due date");
    if (in->start_on && *in->start_on && !valid_date(in->start_on))
        task_problem(pr, "start_on", "开始日期无效", "Invalid start date");
    if (valid_date(in->due_on) && in->start_on && valid_date(in->start_on) &&
        strcmp(in->start_on, in->due_on) > 0)
        task_problem(pr, "due_on", "截止日期不能早于开始日期", "The due date is before the start");
    if (!in_list(in->rhythm, rhythms))
        task_problem(pr, "rhythm", "报送频次须为 none、monthly、quarterly 或 custom",
                     "Rhythm is none, monthly, quarterly or custom");
    if (!in_list(in->priority, priorities))
        task_problem(pr, "priority", "优先级须为 normal、high 或 urgent",
                     "Priority is normal, high or urgent");
    if (in->rhythm && !strcmp(in->rhythm, "custom")) {
        size_t i;
        json_t *d;
        if (!json_is_array(in->custom_dates) || json_array_size(in->custom_dates) == 0 ||
            json_array_size(in->custom_dates) > 60)
            task_problem(pr, "custom_dates", "请填写 1–60 个报送日期", "Give 1–60 report dates");
        else
            json_array_foreach(in->custom_dates, i,
                               d) if (!json_is_string(d) || !valid_date(json_string_value(d)))
                task_problem(pr, "custom_dates", "报送日期无效", "Invalid report date");
    }
    /* A unit outside the actor's data scope reads like one that does not exist (404 rule). */
    if (!in->lead_unit_id)
        task_problem(pr, "lead_unit_id", "必填", "Required");
    else if (!unit_active(db, in->lead_unit_id))
        task_problem(pr, "lead_unit_id", "牵头单位不存在或已停用",
                     "The lead unit does not exist or is deactivated");
    else if (who && !scope_allows_unit(db, who, in->lead_unit_id))
        task_problem(pr, "lead_unit_id", "牵头单位不存在或不在您的数据范围内",
                     "The lead unit does not exist or is outside your data scope");
    for (int i = 0; i < in->n_co; i++) {
        if (!unit_active(db, in->co_unit_ids[i]))
            task_problem(pr, "co_unit_ids", "配合单位不存在或已停用",
                         "A co-unit does not exist or is deactivated");
        else if (who && !scope_allows_unit(db, who, in->co_unit_ids[i]))
            task_problem(pr, "co_unit_ids", "配合单位不存在或不在您的数据范围内",
                         "A co-unit does not exist or is outside your data scope");
        if (in->co_unit_ids[i] == in->lead_unit_id)
            task_problem(pr, "co_unit_ids", "配合单位不能与牵头单位相同",
                         "A co-unit cannot be the lead unit");
        for (int j = 0; j < i; j++)
            if (in->co_unit_ids[j] == in->co_unit_ids[i])
                task_problem(pr, "co_unit_ids", "配合单位重复", "A co-unit is listed twice");
    }
    if (in->document_id) {
        int64_t n = 0;
        if (db_query_int(db, &n, "SELECT COUNT(*) FROM documents WHERE id = ?", "i",
                         in->document_id) != DB_ROW ||
            !n)
            task_problem(pr, "document_id", "来源文件不存在", "No such source document");
    }
    if (in->parent_id) {
        struct db_stmt *st =
            db_queryv(db, "SELECT due_on, status FROM tasks WHERE id = ?", "i", in->parent_id);
        int rc = st ? db_step(st) : DB_ERROR;
        if (rc == DB_ROW && who && !task_visible(db, who, in->parent_id)) rc = DB_DONE;
        if (rc != DB_ROW)
            task_problem(pr, "parent_id", "上级任务不存在", "No such parent task");
        else if (valid_date(in->due_on) && strcmp(in->due_on, db_col_text(st, 0)) > 0)
            task_problem(pr, "due_on", "子任务的截止日期不能晚于上级任务",
                         "A subtask cannot be due after its parent");
        else if (!strcmp(db_col_text(st, 1), "done") || !strcmp(db_col_text(st, 1), "cancelled"))
            task_problem(pr, "parent_id", "上级任务已办结或撤销",
                         "The parent task is closed or cancelled");
        db_done(st);
    }
    size_t i;
    json_t *v;
    if (in->tags) {
        if (!json_is_array(in->tags) || json_array_size(in->tags) > 10)
            task_problem(pr, "tags", "标签最多 10 个", "At most 10 tags");
        else
            json_array_foreach(in->tags, i, v) {
                if (!json_is_string(v) || json_string_length(v) == 0 || json_string_length(v) > 60)
                    task_problem(pr, "tags", "标签须为 1–20 个字", "Tags are 1–20 characters");
            }
    }
    if (in->milestones) {
        if (!json_is_array(in->milestones) || json_array_size(in->milestones) > 20)
            task_problem(pr, "milestones", "节点最多 20 个", "At most 20 milestones");
        else
            json_array_foreach(in->milestones, i, v) {
                json_t *t = json_object_get(v, "title"), *d = json_object_get(v, "due_on");
                if (!json_is_string(t) || json_string_length(t) == 0 ||
                    json_string_length(t) > 300 || !json_is_string(d) ||
                    !valid_date(json_string_value(d)))
                    task_problem(pr, "milestones", "节点须有名称和有效日期",
                                 "Each milestone needs a title and a valid date");
            }
    }
}

static char *join_dates(struct arena *a, json_t *dates) {
    if (!json_is_array(dates)) return "";
    /* sorted, comma separated: the rhythm code reads them in order */
    size_t n = json_array_size(dates);
    const char **v = arena_alloc(a, (n + 1) * sizeof(char *));
    for (size_t i = 0; i < n; i++)
        v[i] = json_string_value(json_array_get(dates, i));
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && strcmp(v[j - 1], v[j]) > 0; j--) {
            const char *t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    char *out = arena_alloc(a, n * 11 + 1);
    for (size_t i = 0; i < n; i++) {
        if (i) strcat(out, ",");
        strncat(out, v[i], 10);
    }
    return out;
}

static int write_children(struct db *db, int64_t id, const struct task_input *in) {
    int rc = db_exec(db, "DELETE FROM task_units WHERE task_id = ?", "i", id);
    if (rc == DB_OK)
        rc = db_exec(db, "INSERT INTO task_units (task_id, unit_id, role) VALUES (?, ?, 'lead')",
                     "ii", id, in->lead_unit_id);
    for (int i = 0; i < in->n_co && rc == DB_OK; i++)
        rc = db_exec(db, "INSERT INTO task_units (task_id, unit_id, role) VALUES (?, ?, 'co')",
                     "ii", id, in->co_unit_ids[i]);
    if (rc == DB_OK) rc = db_exec(db, "DELETE FROM task_tags WHERE task_id = ?", "i", id);
    size_t i;
    json_t *v;
    if (in->tags) json_array_foreach(in->tags, i, v) {
            if (rc != DB_OK) break;
            rc = db_exec(db,
                         "INSERT INTO task_tags (task_id, tag) VALUES (?, ?) "
                         "ON CONFLICT (task_id, tag) DO NOTHING",
                         "is", id, json_string_value(v));
        }
    if (rc == DB_OK) rc = db_exec(db, "DELETE FROM task_milestones WHERE task_id = ?", "i", id);
    if (in->milestones) json_array_foreach(in->milestones, i, v) {
            if (rc != DB_OK) break;
            rc = db_exec(db,
                         "INSERT INTO task_milestones (task_id, title, due_on, sort_order) "
                         "VALUES (?, ?, ?, ?)",
                         "issi", id, json_string_value(json_object_get(v, "title")),
                         json_string_value(json_object_get(v, "due_on")), (int64_t)i);
        }
    return rc;
}

int task_create(struct db *db, struct arena *a, const struct task_actor *ta,
                const struct task_input *in, int64_t *id) {
    char now[21], parent_path[300] = "/";
    now_iso(now);
    if (in->parent_id) {
        struct db_stmt *st =
            db_queryv(db, "SELECT path FROM tasks WHERE id = ?", "i", in->parent_id);
        if (st && db_step(st) == DB_ROW)
            snprintf(parent_path, sizeof parent_path, "%s", db_col_text(st, 0));
        db_done(st);
    }
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO tasks (document_id, parent_id, path, title, content, category, "
            "lead_unit_id, responsible, start_on, due_on, rhythm, custom_dates, priority, "
            "created_by, created_at, updated_at, origin_kind, origin_id) "
            "VALUES (?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
    if (!st) return DB_ERROR;
    db_bind_id(st, 1, in->document_id);
    db_bind_id(st, 2, in->parent_id);
    db_bind_text(st, 3, in->title);
    db_bind_text(st, 4, in->content ? in->content : "");
    db_bind_text(st, 5, in->category ? in->category : "");
    db_bind_int(st, 6, in->lead_unit_id);
    db_bind_text(st, 7, in->responsible ? in->responsible : "");
    db_bind_text(st, 8, in->start_on && *in->start_on ? in->start_on : NULL);
    db_bind_text(st, 9, in->due_on);
    db_bind_text(st, 10, in->rhythm);
    db_bind_text(st, 11, join_dates(a, in->custom_dates));
    db_bind_text(st, 12, in->priority);
    if (ta->who && ta->who->user_id)
        db_bind_int(st, 13, ta->who->user_id);
    else
        db_bind_null(st, 13);
    db_bind_text(st, 14, now);
    db_bind_text(st, 15, now);
    db_bind_text(st, 16, in->origin_kind && in->origin_id ? in->origin_kind : NULL);
    db_bind_id(st, 17, in->origin_kind ? in->origin_id : 0);
    int rc = db_step(st);
    if (rc == DB_ROW) *id = db_col_int(st, 0);
    db_done(st);
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERROR;
    rc = db_exec(db, "UPDATE tasks SET path = ? WHERE id = ?", "si",
                 arena_printf(a, "%s%lld/", parent_path, (long long)*id), *id);
    if (rc == DB_OK) rc = write_children(db, *id, in);
    if (rc == DB_OK) rc = task_event_add(db, ta, *id, "create", "", -1, "", NULL);
    if (rc == DB_OK) {
        char oid[24];
        snprintf(oid, sizeof oid, "%lld", (long long)*id);
        json_t *d = json_pack("{s:s,s:I,s:s}", "title", in->title, "lead_unit_id",
                              (json_int_t)in->lead_unit_id, "due_on", in->due_on);
        if (in->origin_kind && in->origin_id) {
            json_object_set_new(d, "origin_kind", json_string(in->origin_kind));
            json_object_set_new(d, "origin_id", json_integer(in->origin_id));
        }
        char *text = json_dumps(d, JSON_COMPACT);
        rc = audit_append(db, ta->audit, "task.create", "task", oid, "ok", text ? text : "");
        free(text);
        json_decref(d);
    }
    return rc;
}

int task_update_draft(struct db *db, struct arena *a, const struct task_actor *ta, int64_t id,
                      const struct task_input *in) {
    struct db_stmt *st = db_prepare(db, "UPDATE tasks SET document_id = ?, title = ?, content = ?, "
                                        "category = ?, lead_unit_id = ?, responsible = ?, "
                                        "start_on = ?, due_on = ?, rhythm = ?, custom_dates = ?, "
                                        "priority = ? WHERE id = ?");
    if (!st) return DB_ERROR;
    db_bind_id(st, 1, in->document_id);
    db_bind_text(st, 2, in->title);
    db_bind_text(st, 3, in->content ? in->content : "");
    db_bind_text(st, 4, in->category ? in->category : "");
    db_bind_int(st, 5, in->lead_unit_id);
    db_bind_text(st, 6, in->responsible ? in->responsible : "");
    db_bind_text(st, 7, in->start_on && *in->start_on ? in->start_on : NULL);
    db_bind_text(st, 8, in->due_on);
    db_bind_text(st, 9, in->rhythm);
    db_bind_text(st, 10, join_dates(a, in->custom_dates));
    db_bind_text(st, 11, in->priority);
    db_bind_int(st, 12, id);
    int rc = db_step(st);
    db_done(st);
    if (rc != DB_DONE) return rc < 0 ? rc : DB_ERROR;
    rc = write_children(db, id, in);
    if (rc == DB_OK) rc = task_event_add(db, ta, id, "update", "", -1, "", NULL);
    if (rc == DB_OK) {
        char oid[24];
        snprintf(oid, sizeof oid, "%lld", (long long)id);
        rc = audit_append(db, ta->audit, "task.update", "task", oid, "ok", "");
    }
    return rc;
}

int task_delete_draft(struct db *db, const struct task_actor *ta, int64_t id) {
    int64_t children = 0;
    int rc = db_query_int(db, &children, "SELECT COUNT(*) FROM tasks WHERE parent_id = ?", "i", id);
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERROR;
    if (children) return ENTITY_IN_USE;
    static const char *const del[] = {
        "DELETE FROM task_units WHERE task_id = ?", "DELETE FROM task_tags WHERE task_id = ?",
        "DELETE FROM task_milestones WHERE task_id = ?",
        "DELETE FROM task_events WHERE task_id = ?", "DELETE FROM tasks WHERE id = ?"};
    rc = DB_OK;
    for (size_t i = 0; i < sizeof del / sizeof del[0] && rc == DB_OK; i++)
        rc = db_exec(db, del[i], "i", id);
    if (rc != DB_OK) return rc;
    char oid[24];
    snprintf(oid, sizeof oid, "%lld", (long long)id);
    return audit_append(db, ta->audit, "task.delete", "task", oid, "ok", "");
}

static json_t *rows_of(struct db_stmt *st, int *rc) {
    json_t *items = json_array();
    *rc = st ? db_rows_json(st, items) : DB_ERROR;
    db_done(st);
    if (*rc == DB_OK) return items;
    json_decref(items);
    return NULL;
}

json_t *task_extensions_json(struct db *db, int64_t id, int *rc) {
    return rows_of(db_queryv(db,
                             "SELECT e.id, e.unit_id, u.name AS unit_name, e.reason, e.old_due_on, "
                             "e.new_due_on, e.status, e.decision_note, e.decided_at, e.created_at "
                             "FROM task_extensions e JOIN units u ON u.id = e.unit_id "
                             "WHERE e.task_id = ? ORDER BY e.id",
                             "i", id),
                   rc);
}

json_t *task_urgings_json(struct db *db, int64_t id, int *rc) {
    char today[11];
    date_format(date_today(), today);
    return rows_of(db_queryv(db,
                             "SELECT g.id, g.unit_id, u.name AS unit_name, g.content, "
                             "g.reply_due_on, g.replied_at, g.reply, g.created_at, CASE WHEN "
                             "g.replied_at IS NOT NULL THEN 'replied' WHEN g.reply_due_on < ? "
                             "THEN 'overdue' ELSE 'pending' END AS status FROM task_urgings g "
                             "JOIN units u ON u.id = g.unit_id WHERE g.task_id = ? ORDER BY g.id",
                             "si", today, id),
                   rc);
}

/* ---- reading ---- */

/* Today and the yellow threshold change once a day (or when the calendar or the setting
 * changes): computed at most every 30 s per process instead of on every list query. */
static pthread_mutex_t light_lock = PTHREAD_MUTEX_INITIALIZER;
static struct task_light_dates light_cache;
static double light_cache_at = -1e9;
static unsigned light_cache_gen; /* settings_generation() it was computed at */

int task_light_dates_on(struct db *db, int32_t today, struct task_light_dates *d) {
    date_format(today, d->today);
    int64_t n = setting_int(db, "task.yellow_days");
    struct arena *a = arena_new(4096);
    struct calendar *c = NULL;
    d->accept_days = (int)setting_int(db, "task.accept_days");
    int rc = calendar_load(db, a, today - 7, today + 400, &c);
    if (rc == 0) {
        date_format(calendar_add_workdays(c, today, (int)n), d->yellow_until);
        date_format(calendar_add_workdays(c, today, REMINDER_REPORT_WORKDAYS), d->report_until);
    } else {
        snprintf(d->yellow_until, sizeof d->yellow_until, "%s", d->today);
        snprintf(d->report_until, sizeof d->report_until, "%s", d->today);
    }
    arena_free(a);
    return rc;
}

int task_light_dates(struct db *db, struct task_light_dates *d) {
    settings_follow(db); /* a setting or the calendar changed through another server */
    unsigned gen = settings_generation();
    pthread_mutex_lock(&light_lock);
    int fresh = now_mono() - light_cache_at < 30.0 && light_cache_gen == gen;
    if (fresh) *d = light_cache;
    pthread_mutex_unlock(&light_lock);
    if (fresh) return 0;
    int rc = task_light_dates_on(db, date_today(), d);
    if (rc == 0) {
        pthread_mutex_lock(&light_lock);
        light_cache = *d;
        light_cache_at = now_mono();
        light_cache_gen = gen;
        pthread_mutex_unlock(&light_lock);
    }
    return rc;
}

/* The light rule, in parts (tasks.h): whose turn it is decides. While a request of the unit
 * waits for the office (a close or extension request: tasks.waiting_since is the local day it
 * was made), the unit's clock stands at that day — late only if it was already late then. */
#define URGED_SQL                                                                                  \
    "t.id IN (SELECT g.task_id FROM task_urgings g "                                               \
    "WHERE g.replied_at IS NULL AND g.reply_due_on < ?)"
#define LATE_SQL     "t.due_on < COALESCE(t.waiting_since, ?)"
#define DUE_SOON_SQL "(t.status <> 'closing' AND t.due_on <= ?)"
#define REPORT_LATE_SQL                                                                            \
    "(t.status <> 'closing' AND t.report_due_on IS NOT NULL AND t.report_due_on < ?)"
#define LIGHT_SQL                                                                                  \
    "CASE WHEN NOT " TASK_ACTIVE_SQL " THEN 'none' "                                               \
    "WHEN " LATE_SQL " OR " URGED_SQL " THEN 'red' "                                               \
    "WHEN " DUE_SOON_SQL " OR " REPORT_LATE_SQL " THEN 'yellow' "                                  \
    "ELSE 'green' END"

static void add_light(struct query *q, const struct task_light_dates *d) {
    query_add(q, LIGHT_SQL, "ssss", d->today, d->today, d->yellow_until, d->today);
}

void task_light_sql(struct query *q, const struct task_light_dates *d) {
    add_light(q, d);
}

void task_urged_sql(struct query *q, const struct task_light_dates *d) {
    query_add(q, "CASE WHEN " URGED_SQL " THEN 1 ELSE 0 END", "s", d->today);
}

void task_late_sql(struct query *q, const struct task_light_dates *d) {
    query_add(q, "(" LATE_SQL ")", "s", d->today);
}

void task_urged_cond_sql(struct query *q, const struct task_light_dates *d) {
    query_add(q, "(" URGED_SQL ")", "s", d->today);
}

void task_due_soon_sql(struct query *q, const struct task_light_dates *d) {
    query_add(q, DUE_SOON_SQL, "s", d->yellow_until);
}

void task_report_late_sql(struct query *q, const struct task_light_dates *d) {
    query_add(q, REPORT_LATE_SQL, "s", d->today);
}

/* What the task queries of counts and digests select (task_query); the conditions — scope,
 * drafts, filters — are the tasks entity's (tasks_entities.c), so they equal the lists. */
static void select_clause(struct query *q, enum task_select what,
                          const struct task_light_dates *d) {
    switch (what) {
    case TQ_COUNT:
        query_add(q, "SELECT COUNT(*) FROM tasks t WHERE 1 = 1", "");
        return;
    case TQ_IDS:
        query_add(q, "SELECT t.id FROM tasks t WHERE 1 = 1", "");
        return;
    case TQ_LIGHT:
        query_add(q, "SELECT t.id, t.status, t.lead_unit_id, ", "");
        add_light(q, d);
        query_add(q, " AS light FROM tasks t WHERE 1 = 1", "");
        return;
    case TQ_DIGEST:
        query_add(q, "SELECT t.id, t.due_on, t.report_due_on, t.status, t.waiting_since, ", "");
        add_light(q, d);
        query_add(q, " AS light, ", "");
        task_urged_sql(q, d);
        query_add(q, " AS urged, CASE WHEN " LATE_SQL " THEN 1 ELSE 0 END AS late, CASE WHEN ", "s",
                  d->today);
        query_add(q, REPORT_LATE_SQL " THEN 1 ELSE 0 END AS report_late FROM tasks t WHERE 1 = 1",
                  "s", d->today);
        return;
    }
}

int task_filter_request(const struct task_filter *f, struct arena *a, struct entity_request *rq) {
    memset(rq, 0, sizeof(*rq));
    rq->q = f->q && *f->q ? f->q : NULL;
    const char *text[][2] = {{"status", f->status},     {"light", f->light},
                             {"category", f->category}, {"tag", f->tag},
                             {"due_from", f->due_from}, {"due_to", f->due_to}};
    int bad = 0;
    for (size_t i = 0; i < sizeof text / sizeof text[0]; i++)
        if (text[i][1] && *text[i][1])
            bad |= entity_request_set(&entity_tasks, rq, text[i][0], text[i][1]);
    const struct {
        const char *name;
        int64_t v;
    } ids[] = {
        {"unit_id", f->unit_id}, {"document_id", f->document_id}, {"parent_id", f->parent_id}};
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++)
        if (ids[i].v)
            bad |= entity_request_set(&entity_tasks, rq, ids[i].name,
                                      arena_printf(a, "%lld", (long long)ids[i].v));
    if (f->root) bad |= entity_request_set(&entity_tasks, rq, "root", "1");
    if (f->supervised) bad |= entity_request_set(&entity_tasks, rq, "supervised", "1");
    if (f->mine) bad |= entity_request_set(&entity_tasks, rq, "mine", "1");
    return bad ? -1 : 0;
}

void task_query(struct db *db, struct query *q, const struct principal *who,
                const struct task_filter *f, enum task_select what) {
    struct task_light_dates d;
    task_light_dates(db, &d);
    task_query_on(q, who, f, what, &d);
}

void task_query_on(struct query *q, const struct principal *who, const struct task_filter *f,
                   enum task_select what, const struct task_light_dates *d) {
    select_clause(q, what, d);
    struct entity_ctx c;
    struct entity_request rq;
    /* no principal, or a filter the tasks entity refuses: nothing, rather than too much */
    if (entity_ctx_with(&c, NULL, q->sql.arena, &entity_tasks, who, 0, EP_COUNT, (void *)d) ||
        task_filter_request(f, q->sql.arena, &rq)) {
        query_add(q, " AND 1 = 0", "");
        return;
    }
    entity_conditions(&c, q, &rq);
}

int task_visible(struct db *db, const struct principal *who, int64_t id) {
    struct arena *a = arena_new(4096);
    struct entity_ctx c;
    struct entity_request rq = {.id = id};
    int64_t n = 0;
    int ok = entity_ctx_init(&c, db, a, &entity_tasks, who, 0, EP_COUNT) == DB_OK &&
             entity_count(&c, &rq, &n) == DB_OK && n > 0;
    arena_free(a);
    return ok;
}

json_t *task_get_json(struct db *db, struct arena *a, const struct task_actor *ta, int64_t id,
                      int lang) {
    struct entity_ctx c;
    int rc;
    if (entity_ctx_init(&c, db, a, &entity_tasks, ta->who, lang, EP_GET) != DB_OK) return NULL;
    return entity_get(&c, id, &rc);
}

/* ---- timeline ---- */

int task_event_add(struct db *db, const struct task_actor *ta, int64_t task_id, const char *action,
                   const char *note, int progress, const char *detail, int64_t *event_id) {
    char now[21];
    now_iso(now);
    struct db_stmt *st =
        db_prepare(db, "INSERT INTO task_events (task_id, at, actor_id, actor_name, "
                       "unit_id, action, note, progress, detail) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
    if (!st) return DB_ERROR;
    db_bind_int(st, 1, task_id);
    db_bind_text(st, 2, now);
    if (ta->who && ta->who->user_id)
        db_bind_int(st, 3, ta->who->user_id);
    else
        db_bind_null(st, 3);
    db_bind_text(st, 4,
                 ta->who && ta->who->display_name ? ta->who->display_name : ta->audit->username);
    if (ta->who && ta->who->unit_id)
        db_bind_int(st, 5, ta->who->unit_id);
    else
        db_bind_null(st, 5);
    db_bind_text(st, 6, action);
    db_bind_text(st, 7, note ? note : "");
    if (progress >= 0)
        db_bind_int(st, 8, progress);
    else
        db_bind_null(st, 8);
    db_bind_text(st, 9, detail ? detail : "");
    int rc = db_step(st);
    if (rc == DB_ROW && event_id) *event_id = db_col_int(st, 0);
    db_done(st);
    return rc == DB_ROW ? DB_OK : rc < 0 ? rc : DB_ERROR;
}

json_t *task_timeline_json(struct db *db, struct arena *a, int64_t id, int lang) {
    (void)a;
    json_t *items = json_array();
    struct db_stmt *st = db_queryv(db,
                                   "SELECT e.id, e.at, us.username AS actor, e.actor_id, "
                                   "e.actor_name, e.unit_id, u.name AS unit_name, e.action, "
                                   "e.note, e.progress, e.detail FROM task_events e "
                                   "LEFT JOIN units u ON u.id = e.unit_id "
                                   "LEFT JOIN users us ON us.id = e.actor_id "
                                   "WHERE e.task_id = ? ORDER BY e.id",
                                   "i", id);
    if (!st || db_rows_json(st, items) != DB_OK) {
        db_done(st);
        json_decref(items);
        return NULL;
    }
    db_done(st);
    size_t i;
    json_t *e;
    json_array_foreach(items, i, e) {
        const char *action = json_string_value(json_object_get(e, "action"));
        json_object_set_new(e, "action_label", json_string(task_action_label(action, lang)));
        const char *detail = json_string_value(json_object_get(e, "detail"));
        json_t *d = detail && *detail ? json_loads(detail, 0, NULL) : NULL;
        json_object_set_new(e, "detail", d ? d : json_object());
        json_t *files =
            files_list_json(db, "task_event", json_integer_value(json_object_get(e, "id")));
        json_object_set_new(e, "attachments", files ? files : json_array());
    }
    return items;
}

/* ---- queues (待办) and the caller's recent steps (已办) ---- */

#define RECENT_MAX 10 /* 已办: the caller's last steps shown */

static int recent_json(const struct entity_ctx *c, json_t *out) {
    int64_t ids[RECENT_MAX * 2];
    int n = 0;
    /* the caller's last steps (index task_events_actor), then those on tasks it still reads */
    struct db_stmt *st = db_queryv(c->db,
                                   "SELECT e.task_id, e.action, e.at, t.title, t.status "
                                   "FROM task_events e JOIN tasks t ON t.id = e.task_id "
                                   "WHERE e.actor_id = ? ORDER BY e.actor_id DESC, e.id DESC "
                                   "LIMIT ?",
                                   "ii", c->who->user_id, (int64_t)(RECENT_MAX * 2));
    json_t *rows = json_array();
    int rc = st ? db_rows_json(st, rows) : DB_ERROR;
    db_done(st);
    if (rc != DB_OK) {
        json_decref(rows);
        return rc;
    }
    size_t i;
    json_t *e;
    json_array_foreach(rows, i, e) {
        int64_t id = json_integer_value(json_object_get(e, "task_id"));
        int seen = 0;
        for (int k = 0; k < n; k++)
            seen |= ids[k] == id;
        if (!seen && n < RECENT_MAX * 2) ids[n++] = id;
    }
    int64_t *visible = arena_alloc(c->arena, sizeof(int64_t) * (size_t)(n ? n : 1));
    rc = n ? entity_count_by(c, "id", ids, n, visible) : DB_OK;
    json_array_foreach(rows, i, e) {
        if (rc != DB_OK || json_array_size(out) >= RECENT_MAX) break;
        int64_t id = json_integer_value(json_object_get(e, "task_id"));
        int ok = 0;
        for (int k = 0; k < n; k++)
            if (ids[k] == id) ok = visible[k] > 0;
        if (!ok) continue;
        const char *action = json_string_value(json_object_get(e, "action"));
        json_object_set_new(e, "action_label", json_string(task_action_label(action, c->lang)));
        json_array_append(out, e);
    }
    json_decref(rows);
    return rc;
}

json_t *task_queues_json(struct db *db, struct arena *a, const struct principal *who, int lang,
                         int *rc) {
    struct entity_ctx c;
    *rc = entity_ctx_init(&c, db, a, &entity_tasks, who, lang, EP_COUNT);
    if (*rc != DB_OK) return NULL;
    json_t *items = json_array(), *recent = json_array();
    int64_t total = 0;
    for (int i = 0; i < task_n_queues && *rc == DB_OK; i++) {
        const struct task_queue *qu = &task_queues[i];
        if (!task_queue_holds(who, qu)) continue;
        struct entity_request rq;
        memset(&rq, 0, sizeof rq);
        int64_t n = 0;
        if (entity_request_set(&entity_tasks, &rq, "queue", qu->code) != 0) {
            *rc = DB_ERROR;
            break;
        }
        *rc = entity_count(&c, &rq, &n);
        if (qu->own_turn) total += n;
        json_array_append_new(items, json_pack("{s:s,s:s,s:s,s:s,s:s,s:b,s:I}", "code", qu->code,
                                               "label", lang ? qu->en : qu->zh, "zh", qu->zh, "en",
                                               qu->en, "party", qu->office ? "office" : "unit",
                                               "own_turn", qu->own_turn, "count", (json_int_t)n));
    }
    if (*rc == DB_OK) *rc = recent_json(&c, recent);
    if (*rc != DB_OK) {
        json_decref(items);
        json_decref(recent);
        return NULL;
    }
    return json_pack("{s:o,s:I,s:o}", "items", items, "total", (json_int_t)total, "recent", recent);
}
