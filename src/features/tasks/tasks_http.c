/* tasks_http.c — 督办 routes beyond the tasks entity's generated ones (list, get, create,
 * export, import: tasks_entities.c): drafts' update and delete, subtasks, timeline, extensions,
 * urgings, the dashboard counts and the state machine. Parse and bound the input, call tasks.h,
 * reply. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "base/calendar.h"
#include "features/entity/entity_http.h"
#include "features/flow/flow_http.h"
#include "features/tasks/tasks.h"
#include "features/tasks/tasks_http.h"
#include "http/http.h"
#include "store/cache.h"
#include "store/dataver.h"

static struct task_actor actor_of(struct req *r) {
    return (struct task_actor){&r->who, &r->actor};
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

void tasks_children(struct req *r) {
    int64_t id;
    struct entity_ctx c;
    if (req_id_or_reply(r, 0, &id)) return;
    if (!task_visible(r->db, &r->who, id)) {
        reply_error(r, ERR_NOT_FOUND, NULL);
        return;
    }
    if (entity_ctx_or_reply(r, &entity_tasks, EP_LIST, &c)) return;
    /* the direct subtasks the caller may see, by due date: at most 500 */
    struct entity_request rq = {.sort = "due_on", .page = 1, .per_page = 500};
    entity_request_set(&entity_tasks, &rq, "parent_id",
                       arena_printf(r->arena, "%lld", (long long)id));
    int rc;
    json_t *items = entity_items(&c, &rq, &rc);
    if (!items) {
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

/* A list of the task's own (extensions, urgings), once the task is visible. */
static void list_of_task(struct req *r, json_t *(*list)(struct db *, int64_t, int *)) {
    int64_t id;
    if (req_id_or_reply(r, 0, &id)) return;
    if (!task_visible(r->db, &r->who, id)) {
        reply_error(r, ERR_NOT_FOUND, NULL);
        return;
    }
    int rc;
    json_t *items = list(r->db, id, &rc);
    if (!items) {
        db_fail_reply(r, rc);
        return;
    }
    reply_json(r, 200, json_pack("{s:o}", "items", items));
}

void tasks_extensions(struct req *r) {
    list_of_task(r, task_extensions_json);
}

void tasks_urgings(struct req *r) {
    list_of_task(r, task_urgings_json);
}

#define ACTIVE_SQL TASK_ACTIVE_SQL
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

/* PUT of a draft: checked by the tasks entity's declaration (limits, then the database rules),
 * then rewritten. Issued tasks change only through their actions. */
void tasks_update(struct req *r) {
    int64_t id, version;
    json_t *body;
    struct entity_ctx c;
    struct problems pr = {.arena = r->arena};
    if (req_id_or_reply(r, 0, &id) || req_json_or_reply(r, &body) || draft_or_reply(r, id) ||
        entity_ctx_or_reply(r, &entity_tasks, EP_GET, &c))
        return;
    struct form f;
    form_init(&f, r, body);
    version = form_version(&f);
    if (form_ok_or_reply(&f)) return;
    struct entity_write w = {.c = &c, .actor = &r->actor, .pr = &pr, .id = id};
    if (entity_input_or_reply(r, &w, body, FV_UPDATE)) return;
    struct task_input in;
    task_input_from_json(w.in, &in);
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
    struct task_actor ta = actor_of(r);
    int rc = task_delete_draft(r->db, &ta, id);
    if (rc == ENTITY_IN_USE) {
        db_rollback(r->db);
        reply_error(r, ERR_IN_USE, NULL);
        return;
    }
    if (rc != DB_OK) {
        db_fail_reply(r, rc);
        return;
    }
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
    /* The engine checks the body against the kind's declaration, claims the row by version,
     * decides, applies and audits; its refusals are answered by flow_apply_or_reply. */
    if (flow_apply_or_reply(r, &task_kind, id, action, body)) return;
    if (tx_commit_or_reply(r)) return;
    json_t *t = task_or_reply(r, id);
    if (t) reply_json(r, 200, t);
}
