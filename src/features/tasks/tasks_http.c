/* tasks_http.c — 督办 routes: parse and bound the input, call tasks.h, reply. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "base/calendar.h"
#include "features/tasks/tasks.h"
#include "features/tasks/tasks_http.h"
#include "http/http.h"
#include "store/cache.h"
#include "store/dataver.h"

static struct task_actor actor_of(struct req *r) {
    return (struct task_actor){&r->who, &r->actor};
}

static int date_query_or_reply(struct req *r, const char *name, const char **out) {
    if (req_query_text_or_reply(r, name, 10, out)) return -1;
    int32_t d;
    if (*out && date_parse(*out, &d) != 0) {
        json_t *f = json_object();
        json_object_set_new(f, name,
                            json_string(tr(r, "日期格式应为 YYYY-MM-DD", "Use YYYY-MM-DD")));
        reply_error(r, ERR_INVALID, f);
        return -1;
    }
    return 0;
}

/* Parse the list filters shared by the list and the export. */
int task_filter_or_reply(struct req *r, struct task_filter *f);
int task_filter_or_reply(struct req *r, struct task_filter *f) {
    memset(f, 0, sizeof(*f));
    int present = 0, v = 0;
    if (req_query_text_or_reply(r, "q", 50, &f->q) ||
        req_query_text_or_reply(r, "status", 20, &f->status) ||
        req_query_text_or_reply(r, "light", 10, &f->light) ||
        req_query_text_or_reply(r, "category", 30, &f->category) ||
        req_query_text_or_reply(r, "tag", 20, &f->tag) ||
        date_query_or_reply(r, "due_from", &f->due_from) ||
        date_query_or_reply(r, "due_to", &f->due_to) ||
        req_query_int_or_reply(r, "unit_id", 1, INT64_MAX / 2, &f->unit_id, NULL) ||
        req_query_int_or_reply(r, "document_id", 1, INT64_MAX / 2, &f->document_id, NULL) ||
        req_query_int_or_reply(r, "parent_id", 1, INT64_MAX / 2, &f->parent_id, NULL))
        return -1;
    if (req_query_bool_or_reply(r, "root", &v, &present)) return -1;
    f->root = present && v;
    if (req_query_bool_or_reply(r, "supervised", &v, &present)) return -1;
    f->supervised = present && v;
    if (req_query_bool_or_reply(r, "mine", &v, &present)) return -1;
    f->mine = present && v;
    const char *bad = NULL;
    if (f->status && task_status_parse(f->status) < 0) bad = "status";
    if (f->light && strcmp(f->light, "green") && strcmp(f->light, "yellow") &&
        strcmp(f->light, "red") && strcmp(f->light, "none"))
        bad = "light";
    if (bad) {
        reply_field_error(r, ERR_INVALID, bad, "取值无效", "Invalid value");
        return -1;
    }
    return 0;
}

static const struct sort_key task_sorts[] = {
    {"due_on", "t.due_on"},
    {"updated_at", "t.updated_at"},
    {"created_at", "t.created_at"},
    {"title", "t.title"},
    {"status", "t.status"},
    {"priority", "CASE t.priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 ELSE 2 END"},
    {NULL, NULL}};

void tasks_list(struct req *r) {
    struct page pg;
    struct task_filter f;
    const char *order;
    if (req_page_or_reply(r, &pg) || task_filter_or_reply(r, &f) ||
        req_sort_or_reply(r, task_sorts, "due_on", &order))
        return;
    struct query cnt, rows;
    query_init(&cnt, r->arena, "");
    query_init(&rows, r->arena, "");
    task_query(r->db, &cnt, &r->who, &f, TQ_COUNT);
    task_query_page(r->db, &rows, &r->who, &f, order, pg.per_page, pg.offset);
    int rc;
    json_t *out = query_list_json(r, &cnt, &rows, &rc);
    if (!out || task_rows_decorate(r->db, r->arena, json_object_get(out, "items"), r->lang)) {
        json_decref(out);
        db_fail_reply(r, out ? DB_ERROR : rc);
        return;
    }
    reply_json(r, 200, out);
}

/* 409 invalid_transition with the actions that are possible now. */
static void reply_transition(struct req *r, const char *zh, const char *en, json_t *allowed) {
    json_t *e = json_pack("{s:s,s:s,s:{s:o}}", "code", "invalid_transition", "message",
                          tr(r, zh, en), "fields", "allowed_actions", allowed);
    reply_json(r, 409, json_pack("{s:o}", "error", e));
}

static json_t *task_or_reply(struct req *r, int64_t id) {
    struct task_actor ta = actor_of(r);
    json_t *t = task_get_json(r->db, r->arena, &ta, id, r->lang);
    if (!t) reply_error(r, ERR_NOT_FOUND, NULL);
    return t;
}

void tasks_get(struct req *r) {
    int64_t id;
    if (req_id_or_reply(r, 0, &id)) return;
    json_t *t = task_or_reply(r, id);
    if (t) reply_json(r, 200, t);
}

void tasks_children(struct req *r) {
    int64_t id;
    if (req_id_or_reply(r, 0, &id)) return;
    if (!task_visible(r->db, &r->who, id)) {
        reply_error(r, ERR_NOT_FOUND, NULL);
        return;
    }
    struct task_filter f = {.parent_id = id};
    struct query q;
    query_init(&q, r->arena, "");
    task_query_page(r->db, &q, &r->who, &f, "t.due_on", 500, 0);
    struct db_stmt *st = query_prepare(r->db, &q);
    json_t *items = json_array();
    int rc = st ? db_rows_json(st, items) : DB_ERROR;
    db_done(st);
    if (rc == DB_OK) rc = task_rows_decorate(r->db, r->arena, items, r->lang);
    if (rc != DB_OK) {
        json_decref(items);
        db_fail_reply(r, rc);
        return;
    }
    reply_json(r, 200, json_pack("{s:o}", "items", items));
}

void tasks_timeline(struct req *r) {
    int64_t id;
    if (req_id_or_reply(r, 0, &id)) return;
    if (!task_visible(r->db, &r->who, id)) {
        reply_error(r, ERR_NOT_FOUND, NULL);
        return;
    }
    json_t *items = task_timeline_json(r->db, r->arena, id, r->lang);
    if (!items) {
        db_fail_reply(r, DB_ERROR);
        return;
    }
    reply_json(r, 200, json_pack("{s:o}", "items", items));
}

/* sql takes the task id; with_today: today's date comes first, then the task id. */
static void list_of_task(struct req *r, const char *sql, int with_today) {
    int64_t id;
    if (req_id_or_reply(r, 0, &id)) return;
    if (!task_visible(r->db, &r->who, id)) {
        reply_error(r, ERR_NOT_FOUND, NULL);
        return;
    }
    char today[11];
    date_format(date_today(), today);
    struct db_stmt *st =
        with_today ? db_queryv(r->db, sql, "si", today, id) : db_queryv(r->db, sql, "i", id);
    json_t *items = json_array();
    int rc = st ? db_rows_json(st, items) : DB_ERROR;
    db_done(st);
    if (rc != DB_OK) {
        json_decref(items);
        db_fail_reply(r, rc);
        return;
    }
    reply_json(r, 200, json_pack("{s:o}", "items", items));
}

void tasks_extensions(struct req *r) {
    list_of_task(r,
                 "SELECT e.id, e.unit_id, u.name AS unit_name, e.reason, e.old_due_on, "
                 "e.new_due_on, e.status, e.decision_note, e.decided_at, e.created_at "
                 "FROM task_extensions e JOIN units u ON u.id = e.unit_id "
                 "WHERE e.task_id = ? ORDER BY e.id",
                 0);
}

void tasks_urgings(struct req *r) {
    list_of_task(r,
                 "SELECT g.id, g.unit_id, u.name AS unit_name, g.content, g.reply_due_on, "
                 "g.replied_at, g.reply, g.created_at, CASE WHEN g.replied_at IS NOT NULL "
                 "THEN 'replied' WHEN g.reply_due_on < ? THEN 'overdue' ELSE 'pending' END "
                 "AS status FROM task_urgings g JOIN units u ON u.id = g.unit_id "
                 "WHERE g.task_id = ? ORDER BY g.id",
                 1);
}

#define ACTIVE_SQL "t.status IN ('issued', 'in_progress', 'closing')"
#define URGED_SQL                                                                                  \
    "t.id IN (SELECT g.task_id FROM task_urgings g WHERE g.replied_at IS NULL "                    \
    "AND g.reply_due_on < ?)"

/* Counts by light for the whole district without computing each task's light: the same rules
 * as LIGHT_SQL (tasks.c) split into index ranges over tasks(status, due_on, report_due_on).
 * red = overdue, or an urging unanswered past its date; yellow = not red and due by the yellow
 * threshold or a report missing; green = the other active tasks. */
static int stats_light_all(struct req *r, int64_t active, json_t *by_light) {
    struct task_light_dates d;
    task_light_dates(r->db, &d);
    struct db_stmt *st = db_queryv(
        r->db,
        "SELECT (SELECT COUNT(*) FROM tasks t WHERE " ACTIVE_SQL " AND t.due_on < ?), "
        "(SELECT COUNT(*) FROM tasks t WHERE " ACTIVE_SQL " AND t.due_on >= ? AND " URGED_SQL "), "
        "(SELECT COUNT(*) FROM tasks t WHERE " ACTIVE_SQL " AND t.due_on >= ? AND t.due_on <= ? "
        "AND NOT " URGED_SQL "), "
        "(SELECT COUNT(*) FROM tasks t WHERE " ACTIVE_SQL " AND t.due_on > ? "
        "AND t.report_due_on < ? AND NOT " URGED_SQL ")",
        "sssssssss", d.today, d.today, d.today, d.today, d.yellow_until, d.today, d.yellow_until,
        d.today, d.today);
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW) {
        int64_t red = db_col_int(st, 0) + db_col_int(st, 1);
        int64_t yellow = db_col_int(st, 2) + db_col_int(st, 3);
        json_object_set_new(by_light, "red", json_integer(red));
        json_object_set_new(by_light, "yellow", json_integer(yellow));
        json_object_set_new(by_light, "green", json_integer(active - red - yellow));
    }
    db_done(st);
    return rc == DB_ROW ? DB_OK : rc;
}

/* The dashboard counts of r->who's scope: DB_OK and *out, or the error. */
static int stats_compute(struct req *r, json_t **out) {
    struct task_filter f = {0};
    json_t *by_light = json_pack("{s:i,s:i,s:i,s:i}", "green", 0, "yellow", 0, "red", 0, "none", 0);
    json_t *by_status = json_object();
    for (int i = 0; i < TS_COUNT; i++)
        json_object_set_new(by_status, task_status_codes[i], json_integer(0));
    struct query q;
    int rc = DB_ERROR;
    struct db_stmt *st;
    if (r->who.scope == SCOPE_ALL) {
        /* By status from the index, by light from index ranges. */
        query_init(&q, r->arena, "SELECT t.status, COUNT(*) FROM tasks t WHERE 1 = 1");
        if (!perm_has(r->who.perms, &perm_task_manage))
            query_add(&q, " AND t.status <> 'draft'", "");
        query_add(&q, " GROUP BY t.status", "");
        st = query_prepare(r->db, &q);
        int64_t active = 0, total = 0;
        while (st && (rc = db_step(st)) == DB_ROW) {
            const char *status = db_col_text(st, 0);
            int64_t n = db_col_int(st, 1);
            json_object_set_new(by_status, status, json_integer(n));
            total += n;
            if (!strcmp(status, "issued") || !strcmp(status, "in_progress") ||
                !strcmp(status, "closing"))
                active += n;
        }
        db_done(st);
        json_object_set_new(by_light, "none", json_integer(total - active));
        if (rc == DB_DONE) rc = stats_light_all(r, active, by_light) == DB_OK ? DB_DONE : DB_ERROR;
    } else {
        query_init(&q, r->arena, "SELECT light, status, COUNT(*) FROM (");
        task_query(r->db, &q, &r->who, &f, TQ_LIGHT);
        query_add(&q, ") x GROUP BY light, status", "");
        st = query_prepare(r->db, &q);
        while (st && (rc = db_step(st)) == DB_ROW) {
            const char *light = db_col_text(st, 0), *status = db_col_text(st, 1);
            int64_t n = db_col_int(st, 2);
            json_object_set_new(
                by_light, light,
                json_integer(json_integer_value(json_object_get(by_light, light)) + n));
            json_object_set_new(
                by_status, status,
                json_integer(json_integer_value(json_object_get(by_status, status)) + n));
        }
        db_done(st);
    }
    /* Overdue tasks per lead unit: active and past due (red for that reason). */
    struct query q2;
    query_init(&q2, r->arena,
               "SELECT x.lead_unit_id, u.name AS lead_unit_name, COUNT(*) AS overdue FROM (");
    task_query(r->db, &q2, &r->who, &f, TQ_LIGHT);
    char today[11];
    date_format(date_today(), today);
    query_add(&q2,
              " AND " ACTIVE_SQL " AND t.due_on < ?) x JOIN units u ON u.id = x.lead_unit_id "
              "GROUP BY x.lead_unit_id, u.name ORDER BY overdue DESC, x.lead_unit_id LIMIT 50",
              "s", today);
    json_t *per_unit = json_array();
    st = rc == DB_DONE ? query_prepare(r->db, &q2) : NULL;
    rc = st ? db_rows_json(st, per_unit) : DB_ERROR;
    db_done(st);
    if (rc != DB_OK) {
        json_decref(by_light);
        json_decref(by_status);
        json_decref(per_unit);
        return rc;
    }
    size_t i;
    json_t *u;
    json_array_foreach(per_unit, i, u) {
        json_object_set(u, "unit_id", json_object_get(u, "lead_unit_id"));
        json_object_set(u, "unit_name", json_object_get(u, "lead_unit_name"));
        json_object_del(u, "lead_unit_id");
        json_object_del(u, "lead_unit_name");
    }
    *out = json_pack("{s:o,s:o,s:o}", "by_light", by_light, "by_status", by_status,
                     "overdue_by_unit", per_unit);
    return DB_OK;
}

/* The counts are kept per scope and day, labelled with the data versions of what they count
 * (store/cache.h): the 督办 register, units (names, places) and settings with the calendar
 * (the light's dates). A session sees its own writes in its next counts; anyone else's write —
 * through this server, another one, a command — within DV_CHECK_SECONDS + STATS_STALE_SECONDS.
 * So however many requests ask and however often tasks change, the counts are made about four
 * times a second at most, one at a time, and nobody waits for them. */
#define STATS_STALE_SECONDS 0.5
static struct cache *stats_cache;
static pthread_once_t stats_cache_once = PTHREAD_ONCE_INIT;
static void stats_cache_make(void) {
    static const char *const deps[] = {"tasks", "org", "settings", NULL};
    stats_cache = cache_new_stale("task_stats", 256, deps, STATS_STALE_SECONDS);
}

void tasks_stats(struct req *r) {
    /* What the answer depends on besides the data: the caller's scope (all: only whether
     * drafts count), today and the light's yellow threshold. */
    struct task_light_dates d;
    task_light_dates(r->db, &d);
    const struct principal *w = &r->who;
    char key[CACHE_KEY_MAX];
    snprintf(key, sizeof key, "%s|%lld|%s|%d|%s|%s", scope_code(w->scope),
             (long long)(w->scope == SCOPE_ALL ? 0 : w->unit_id),
             w->scope == SCOPE_SUBTREE && w->unit_path ? w->unit_path : "",
             perm_has(w->perms, &perm_task_manage), d.today, d.yellow_until);
    pthread_once(&stats_cache_once, stats_cache_make);
    struct cache_ticket t;
    void *val;
    size_t len;
    if (cache_get_since(stats_cache, r->db, key, strlen(key), session_wrote_at(w->session_id),
                        r->arena, &val, &len, &t) == CACHE_HIT) {
        reply_raw(r, 200, "application/json; charset=utf-8", val, len);
        return;
    }
    json_t *answer = NULL;
    int rc = stats_compute(r, &answer);
    if (rc != DB_OK) {
        cache_cancel(&t);
        db_fail_reply(r, rc);
        return;
    }
    char *text = json_text(r->arena, answer);
    json_decref(answer);
    cache_put(&t, text, strlen(text));
    reply_raw(r, 200, "application/json; charset=utf-8", text, strlen(text));
}

/* ---- create / update ---- */

static int ids_field(struct form *f, const char *key, int64_t *out, int max, int *n) {
    *n = 0;
    json_t *v = json_object_get(f->body, key);
    if (!v || json_is_null(v)) return 0;
    size_t i;
    json_t *x;
    if (!json_is_array(v) || (int)json_array_size(v) > max) {
        form_error(f, key, "须为编号列表（不超过上限）",
                   "Must be a list of ids (within the limit)");
        return -1;
    }
    json_array_foreach(v, i, x) {
        if (!json_is_integer(x) || json_integer_value(x) <= 0) {
            form_error(f, key, "须为编号列表", "Must be a list of ids");
            return -1;
        }
        out[(*n)++] = json_integer_value(x);
    }
    return 0;
}

static int task_input_or_reply(struct req *r, json_t *body, struct task_input *in,
                               int64_t *version) {
    struct form f;
    form_init(&f, r, body);
    memset(in, 0, sizeof(*in));
    in->title = form_text(&f, "title", 1, 1, 200);
    in->content = form_text(&f, "content", 0, 0, 4000);
    in->category = form_text(&f, "category", 0, 0, 30);
    in->responsible = form_text(&f, "responsible", 0, 0, 50);
    in->start_on = form_text(&f, "start_on", 0, 0, 10);
    in->due_on = form_text(&f, "due_on", 1, 10, 10);
    in->rhythm = form_has(&f, "rhythm") ? form_text(&f, "rhythm", 1, 1, 12) : "none";
    in->priority = form_has(&f, "priority") ? form_text(&f, "priority", 1, 1, 12) : "normal";
    in->document_id = form_int(&f, "document_id", 0, 1, INT64_MAX / 2, 0);
    in->parent_id = form_int(&f, "parent_id", 0, 1, INT64_MAX / 2, 0);
    in->lead_unit_id = form_int(&f, "lead_unit_id", 1, 1, INT64_MAX / 2, 0);
    ids_field(&f, "co_unit_ids", in->co_unit_ids, 32, &in->n_co);
    in->custom_dates = json_object_get(body, "custom_dates");
    in->tags = json_object_get(body, "tags");
    in->milestones = json_object_get(body, "milestones");
    if (json_is_null(in->tags)) in->tags = NULL;
    if (json_is_null(in->milestones)) in->milestones = NULL;
    if (version) *version = form_version(&f);
    if (form_ok_or_reply(&f)) return -1;
    struct task_problems pr = {0};
    task_input_check(r->db, &r->who, in, &pr);
    for (int i = 0; i < pr.n; i++)
        form_error(&f, pr.p[i].field, pr.p[i].zh, pr.p[i].en);
    return form_ok_or_reply(&f);
}

void tasks_create(struct req *r) {
    json_t *body;
    struct task_input in;
    if (req_json_or_reply(r, &body) || task_input_or_reply(r, body, &in, NULL)) return;
    struct task_actor ta = actor_of(r);
    if (tx_begin_or_reply(r)) return;
    int64_t id = 0;
    int rc = task_create(r->db, r->arena, &ta, &in, &id);
    if (rc != DB_OK) {
        db_fail_reply(r, rc);
        return;
    }
    if (tx_commit_or_reply(r)) return;
    json_t *t = task_or_reply(r, id);
    if (t) reply_json(r, 201, t);
}

static int draft_or_reply(struct req *r, int64_t id) {
    json_t *t = task_or_reply(r, id);
    if (!t) return -1;
    int draft = !strcmp(json_string_value(json_object_get(t, "status")), "draft");
    json_t *allowed = json_incref(json_object_get(t, "allowed_actions"));
    json_decref(t);
    if (draft) {
        json_decref(allowed);
        return 0;
    }
    reply_transition(r, "任务已下发，不能再修改或删除",
                     "The task is issued; it can no longer be edited or deleted", allowed);
    return -1;
}

void tasks_update(struct req *r) {
    int64_t id, version;
    json_t *body;
    struct task_input in;
    if (req_id_or_reply(r, 0, &id) || req_json_or_reply(r, &body) || draft_or_reply(r, id) ||
        task_input_or_reply(r, body, &in, &version))
        return;
    if (in.parent_id == id) {
        reply_error_msg(r, ERR_INVALID, "任务不能是自己的上级", "A task cannot be its own parent");
        return;
    }
    struct task_actor ta = actor_of(r);
    if (tx_begin_or_reply(r)) return;
    if (version_bump_or_reply(r, "tasks", id, version)) return;
    int rc = task_update_draft(r->db, r->arena, &ta, id, &in);
    if (rc != DB_OK) {
        db_fail_reply(r, rc);
        return;
    }
    if (tx_commit_or_reply(r)) return;
    json_t *t = task_or_reply(r, id);
    if (t) reply_json(r, 200, t);
}

void tasks_delete(struct req *r) {
    int64_t id, version = 0;
    int has = 0;
    if (req_id_or_reply(r, 0, &id) ||
        req_query_int_or_reply(r, "version", 1, INT64_MAX / 2, &version, &has) ||
        draft_or_reply(r, id))
        return;
    if (!has) {
        reply_field_error(r, ERR_INVALID, "version", "必填", "Required");
        return;
    }
    if (tx_begin_or_reply(r)) return;
    if (version_bump_or_reply(r, "tasks", id, version)) return;
    int64_t children = 0;
    db_query_int(r->db, &children, "SELECT COUNT(*) FROM tasks WHERE parent_id = ?", "i", id);
    if (children) {
        db_rollback(r->db);
        reply_error(r, ERR_IN_USE, NULL);
        return;
    }
    const char *del[] = {
        "DELETE FROM task_units WHERE task_id = ?", "DELETE FROM task_tags WHERE task_id = ?",
        "DELETE FROM task_milestones WHERE task_id = ?",
        "DELETE FROM task_events WHERE task_id = ?", "DELETE FROM tasks WHERE id = ?"};
    int rc = DB_OK;
    for (size_t i = 0; i < sizeof del / sizeof del[0] && rc == DB_OK; i++)
        rc = db_exec(r->db, del[i], "i", id);
    if (rc != DB_OK) {
        db_fail_reply(r, rc);
        return;
    }
    if (audit_or_reply(r, "task.delete", "task", id, NULL)) return;
    if (tx_commit_or_reply(r)) return;
    reply_ok(r);
}

/* ---- the state machine ---- */

void tasks_action(struct req *r) {
    int64_t id;
    json_t *body;
    if (req_id_or_reply(r, 0, &id)) return;
    const char *action = r->params[1];
    if (!action || !task_action_known(action)) {
        reply_error(r, ERR_NOT_FOUND, NULL);
        return;
    }
    if (req_json_or_reply(r, &body)) return;
    if (!task_visible(r->db, &r->who, id)) {
        reply_error(r, ERR_NOT_FOUND, NULL);
        return;
    }
    struct form f;
    form_init(&f, r, body);
    int64_t version = form_version(&f);
    struct task_action_args args = {0};
    args.note = form_text(&f, "note", 0, 0, 4000);
    args.progress = (int)form_int(&f, "progress", 0, 0, 100, -1);
    args.new_due_on = form_text(&f, "new_due_on", 0, 0, 10);
    args.reply_due_on = form_text(&f, "reply_due_on", 0, 0, 10);
    args.unit_id = form_int(&f, "unit_id", 0, 1, INT64_MAX / 2, 0);
    args.extension_id = form_int(&f, "extension_id", 0, 1, INT64_MAX / 2, 0);
    args.urging_id = form_int(&f, "urging_id", 0, 1, INT64_MAX / 2, 0);
    args.milestone_id = form_int(&f, "milestone_id", 0, 1, INT64_MAX / 2, 0);
    args.approve = form_bool(&f, "approve", 0);
    int64_t ids[20];
    int n = 0;
    ids_field(&f, "attachment_ids", ids, 20, &n);
    args.attachment_ids = ids;
    args.n_attachments = n;
    if (!strcmp(action, "decide_extension") && !form_has(&f, "extension_id"))
        form_error(&f, "extension_id", "必填", "Required");
    if (!strcmp(action, "decide_extension") && !form_has(&f, "approve"))
        form_error(&f, "approve", "必填", "Required");
    if (!strcmp(action, "reply_urging") && !form_has(&f, "urging_id"))
        form_error(&f, "urging_id", "必填", "Required");
    if (!strcmp(action, "complete_milestone") && !form_has(&f, "milestone_id"))
        form_error(&f, "milestone_id", "必填", "Required");
    if (form_ok_or_reply(&f)) return;

    struct task_actor ta = actor_of(r);
    if (tx_begin_or_reply(r)) return;
    if (version_bump_or_reply(r, "tasks", id, version)) return;
    struct task_problems pr = {0};
    int rc = task_apply(r->db, r->arena, &ta, id, action, &args, &pr);
    if (rc == FLOW_NOT_ALLOWED) {
        db_rollback(r->db);
        json_t *allowed = task_allowed_actions(r->db, &ta, id);
        char zh[160], en[160];
        snprintf(zh, sizeof zh, "当前状态下不能执行“%s”", task_action_label(action, 0));
        snprintf(en, sizeof en, "“%s” is not possible now", task_action_label(action, 1));
        reply_transition(r, zh, en, allowed);
        return;
    }
    if (rc == FLOW_INVALID) {
        db_rollback(r->db);
        for (int i = 0; i < pr.n; i++)
            form_error(&f, pr.p[i].field, pr.p[i].zh, pr.p[i].en);
        form_ok_or_reply(&f);
        return;
    }
    if (rc == FLOW_NOT_FOUND) {
        db_rollback(r->db);
        reply_error(r, ERR_NOT_FOUND, NULL);
        return;
    }
    if (rc != FLOW_OK) {
        db_fail_reply(r, DB_ERROR);
        return;
    }
    if (tx_commit_or_reply(r)) return;
    json_t *t = task_or_reply(r, id);
    if (t) reply_json(r, 200, t);
}
