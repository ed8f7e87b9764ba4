/* tasks_module.c — the tasks module's declarations (http/module.h): permissions and their
 * grants, settings, routes and menu entries. */
#include <stdio.h>

#include "base/log.h"
#include "features/tasks/tasks.h"
#include "features/tasks/tasks_http.h"
#include "http/module.h"
#include "store/dataver.h"

/* Rows leave trailing fields out (route flags, setting secrecy): 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

struct perm_def perm_task_read = {"task.read", "tasks", "查看督办任务", "View supervised tasks",
                                  0,           0};
struct perm_def perm_task_manage = {
    "task.manage", "tasks", "管理督办任务", "Manage supervised tasks", 0, 0};
struct perm_def perm_task_work = {"task.work", "tasks", "办理督办任务", "Work on assigned tasks",
                                  0,           0};
static struct perm_def *const perms[] = {&perm_task_read, &perm_task_manage, &perm_task_work};

static const struct perm_grant grants[] = {
    {"office", "task.read task.manage task.work"},
    {"leader", "task.read"},
    {"reviewer", "task.read"},
    {"inspector", "task.read"},
    {"clerk", "task.read task.work"},
};

static const struct setting_def settings[] = {
    {"task.yellow_days", SETTING_INT, "7", 1, 60, "setting.manage", "tasks",
     "临期预警天数（工作日）", "Yellow light: due within N working days",
     "截止日期前该工作日数内的任务显示黄灯"},
    {"task.report_day", SETTING_INT, "25", 1, 28, "setting.manage", "tasks", "进展报送日",
     "Report day of the month", "按月（季）报送的任务每月（季末月）该日前报送进展"},
    {"task.accept_days", SETTING_INT, "5", 1, 60, "setting.manage", "tasks", "验收时限（天）",
     "Acceptance within N days",
     "单位申请办结后督办办应在该天数内验收，超过即显示“验收超期”并在督办日报中提醒"},
};

/* A unit's task page and its total without reading the tasks (docs/performance.md): each
 * task_units row carries its task's status and due date, kept by triggers in the writing
 * transaction, so "unit U, ordered by due date" is one range of the index task_units_page; and
 * task_unit_counts holds the rows per unit and status (the exact total of such a list, read in
 * a few microseconds). Both are derived: `fazhi migrate` does not copy the counts, the target's
 * triggers make them from the task_units rows it copies. Read by tasks_entities.c (the page and
 * count hooks). */
// clang-format off
#define TASK_UNITS_SQLITE                                                                          \
    "CREATE TRIGGER task_units_fill AFTER INSERT ON task_units WHEN NEW.status IS NULL BEGIN"      \
    " UPDATE task_units SET status = (SELECT t.status FROM tasks t WHERE t.id = NEW.task_id),"     \
    " due_on = (SELECT t.due_on FROM tasks t WHERE t.id = NEW.task_id)"                           \
    " WHERE task_id = NEW.task_id AND unit_id = NEW.unit_id; END;"                                \
    "CREATE TRIGGER task_unit_counts_ins AFTER INSERT ON task_units"                               \
    " WHEN NEW.status IS NOT NULL BEGIN"                                                           \
    " INSERT INTO task_unit_counts (unit_id, status, n) VALUES (NEW.unit_id, NEW.status, 1)"       \
    " ON CONFLICT (unit_id, status) DO UPDATE SET n = n + 1; END;"                                 \
    "CREATE TRIGGER task_unit_counts_del AFTER DELETE ON task_units"                               \
    " WHEN OLD.status IS NOT NULL BEGIN"                                                           \
    " UPDATE task_unit_counts SET n = n - 1 WHERE unit_id = OLD.unit_id AND status = OLD.status;"  \
    " END;"                                                                                        \
    "CREATE TRIGGER task_unit_counts_upd AFTER UPDATE OF unit_id, status ON task_units"            \
    " WHEN OLD.unit_id IS NOT NEW.unit_id OR OLD.status IS NOT NEW.status BEGIN"                   \
    " UPDATE task_unit_counts SET n = n - 1"                                                       \
    "  WHERE OLD.status IS NOT NULL AND unit_id = OLD.unit_id AND status = OLD.status;"            \
    " INSERT INTO task_unit_counts (unit_id, status, n)"                                           \
    "  SELECT NEW.unit_id, NEW.status, 1 WHERE NEW.status IS NOT NULL"                             \
    "  ON CONFLICT (unit_id, status) DO UPDATE SET n = n + 1; END;"                                \
    "CREATE TRIGGER tasks_units_follow AFTER UPDATE OF status, due_on ON tasks"                    \
    " WHEN OLD.status IS NOT NEW.status OR OLD.due_on IS NOT NEW.due_on BEGIN"                     \
    " UPDATE task_units SET status = NEW.status, due_on = NEW.due_on WHERE task_id = NEW.id; END;"
#define TASK_UNITS_POSTGRES                                                                        \
    "CREATE FUNCTION task_units_fill() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"               \
    " IF NEW.status IS NULL THEN"                                                                  \
    "  SELECT t.status, t.due_on INTO NEW.status, NEW.due_on FROM tasks t WHERE t.id = NEW.task_id;" \
    " END IF; RETURN NEW; END $$;"                                                                 \
    "CREATE TRIGGER task_units_fill BEFORE INSERT ON task_units FOR EACH ROW"                      \
    " EXECUTE FUNCTION task_units_fill();"                                                         \
    "CREATE FUNCTION task_unit_counts_keep() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"         \
    " IF TG_OP <> 'INSERT' AND OLD.status IS NOT NULL THEN"                                        \
    "  UPDATE task_unit_counts SET n = n - 1 WHERE unit_id = OLD.unit_id AND status = OLD.status;" \
    " END IF;"                                                                                     \
    " IF TG_OP <> 'DELETE' AND NEW.status IS NOT NULL THEN"                                        \
    "  INSERT INTO task_unit_counts (unit_id, status, n) VALUES (NEW.unit_id, NEW.status, 1)"      \
    "  ON CONFLICT (unit_id, status) DO UPDATE SET n = task_unit_counts.n + 1;"                    \
    " END IF; RETURN NULL; END $$;"                                                                \
    "CREATE TRIGGER task_unit_counts_keep AFTER INSERT OR DELETE OR UPDATE OF unit_id, status"     \
    " ON task_units FOR EACH ROW EXECUTE FUNCTION task_unit_counts_keep();"                        \
    "CREATE FUNCTION tasks_units_follow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"            \
    " IF NEW.status IS DISTINCT FROM OLD.status OR NEW.due_on IS DISTINCT FROM OLD.due_on THEN"    \
    /* the count rows in one order: two tasks moving in units A, B and B, A cannot deadlock */   \
    "  PERFORM 1 FROM task_unit_counts c WHERE c.status IN (OLD.status, NEW.status)"              \
    "   AND c.unit_id IN (SELECT tu.unit_id FROM task_units tu WHERE tu.task_id = NEW.id)"         \
    "   ORDER BY c.unit_id, c.status FOR UPDATE;"                                                  \
    "  UPDATE task_units SET status = NEW.status, due_on = NEW.due_on WHERE task_id = NEW.id;"     \
    " END IF; RETURN NULL; END $$;"                                                                \
    "CREATE TRIGGER tasks_units_follow AFTER UPDATE OF status, due_on ON tasks FOR EACH ROW"       \
    " EXECUTE FUNCTION tasks_units_follow();"
// clang-format on

static const struct migration migrations[] = {
    {1, "a unit's task page from one index range, its total from a maintained count",
     "ALTER TABLE task_units ADD COLUMN status TEXT;"
     "ALTER TABLE task_units ADD COLUMN due_on TEXT;"
     "UPDATE task_units SET status = (SELECT t.status FROM tasks t WHERE t.id = "
     "task_units.task_id),"
     " due_on = (SELECT t.due_on FROM tasks t WHERE t.id = task_units.task_id);"
     "CREATE INDEX task_units_page ON task_units(unit_id, due_on, task_id, status);"
     "CREATE TABLE task_unit_counts ("
     " unit_id BIGINT NOT NULL, status TEXT NOT NULL, n BIGINT NOT NULL,"
     " PRIMARY KEY (unit_id, status));"
     "INSERT INTO task_unit_counts (unit_id, status, n) SELECT unit_id, status, COUNT(*)"
     " FROM task_units WHERE status IS NOT NULL GROUP BY unit_id, status;",
     TASK_UNITS_SQLITE, TASK_UNITS_POSTGRES},
    /* Task pages show their source document's title: the tasks data version follows it. */
    {2, "task pages are cached: a source document's change bumps the tasks data version", NULL,
     DV_SQLITE_ALL("documents", "tasks"), DV_PG_ALL("documents", "tasks")},
    /* Whose turn it is (tasks.h, the light rule): the local day since which a request of the
     * unit waits for the office — the last close request of a task awaiting acceptance, else
     * its first pending extension request. */
    {3, "tasks.waiting_since: a request waiting for the office stops the unit's clock",
     "ALTER TABLE tasks ADD COLUMN waiting_since TEXT;",
     "UPDATE tasks SET waiting_since = (SELECT date(MAX(e.at), '+8 hours') FROM task_events e"
     " WHERE e.task_id = tasks.id AND e.action = 'request_close') WHERE status = 'closing';"
     "UPDATE tasks SET waiting_since = (SELECT date(MIN(x.created_at), '+8 hours')"
     " FROM task_extensions x WHERE x.task_id = tasks.id AND x.status = 'pending')"
     " WHERE status IN ('issued', 'in_progress')"
     " AND id IN (SELECT task_id FROM task_extensions WHERE status = 'pending');",
     "UPDATE tasks SET waiting_since = (SELECT to_char(MAX(CAST(e.at AS timestamptz))"
     " AT TIME ZONE 'UTC' + interval '8 hours', 'YYYY-MM-DD') FROM task_events e"
     " WHERE e.task_id = tasks.id AND e.action = 'request_close') WHERE status = 'closing';"
     "UPDATE tasks SET waiting_since = (SELECT to_char(MIN(CAST(x.created_at AS timestamptz))"
     " AT TIME ZONE 'UTC' + interval '8 hours', 'YYYY-MM-DD')"
     " FROM task_extensions x WHERE x.task_id = tasks.id AND x.status = 'pending')"
     " WHERE status IN ('issued', 'in_progress')"
     " AND id IN (SELECT task_id FROM task_extensions WHERE status = 'pending');"},
    /* 已办 on the home page: a user's last steps on tasks */
    {4, "task_events by actor: a user's recent steps",
     "CREATE INDEX task_events_actor ON "
     "task_events(actor_id, id);",
     NULL, NULL},
    /* the dashboard's light counts stay index-only with the turn (tasks.h: late reads it) */
    {5, "tasks_status_due covers waiting_since",
     "DROP INDEX tasks_status_due;"
     "CREATE INDEX tasks_status_due ON tasks(status, due_on, report_due_on, lead_unit_id,"
     " waiting_since);",
     NULL, NULL},
    /* task origin (flow.h): the record of another kind a task carries out (a finding's
     * rectification), written by that kind's effect; the list's ?origin_kind= filter */
    {6, "tasks.origin_kind, origin_id: the record a task carries out",
     "ALTER TABLE tasks ADD COLUMN origin_kind TEXT;"
     "ALTER TABLE tasks ADD COLUMN origin_id BIGINT;"
     "CREATE INDEX tasks_origin ON tasks(origin_kind, origin_id);",
     NULL, NULL},
};

static const struct copy_table tables[] = {
    {"task_unit_counts", "unit_id, status", 0, .derived = 1},
};

/* The entities' routes are generated (tasks_entities.c): documents list/get/create/update/
 * delete/export.xlsx; tasks list/get/create/export.xlsx/import-template.xlsx/import. */
static const struct entity *const entities[] = {&entity_documents, &entity_tasks};

static const struct route routes[] = {
    {M_GET, "/api/v1/tasks/stats", &perm_task_read, tasks_stats},
    {M_GET, "/api/v1/tasks/queues", &perm_task_read, tasks_queues},
    {M_PUT, "/api/v1/tasks/:id", &perm_task_manage, tasks_update},
    {M_DELETE, "/api/v1/tasks/:id", &perm_task_manage, tasks_delete},
    {M_GET, "/api/v1/tasks/:id/children", &perm_task_read, tasks_children},
    {M_GET, "/api/v1/tasks/:id/timeline", &perm_task_read, tasks_timeline},
    {M_GET, "/api/v1/tasks/:id/extensions", &perm_task_read, tasks_extensions},
    {M_GET, "/api/v1/tasks/:id/urgings", &perm_task_read, tasks_urgings},
    {M_POST, "/api/v1/tasks/:id/actions/:action", &perm_task_read, tasks_action},
};

/* ---- reminders (features/tasks/task_reminders.c) ---- */

static int reminders_state(const char *state, struct reminder_run *r) {
    if (reminders_parse(state, r) == 0) return DB_OK;
    log_error("job reminders: unreadable state '%s'", state);
    return DB_ERROR;
}

static int job_reminders_start(struct db *db, int32_t today, int32_t last_ok, char *state) {
    struct reminder_run r;
    int rc = reminders_start(db, today, last_ok, &r);
    if (rc == DB_OK) reminders_format(&r, state, JOB_STATE_MAX);
    return rc;
}

static int job_reminders_read(struct db *db, struct arena *a, const char *state, void **batch) {
    struct reminder_run r;
    struct reminder_batch *b = NULL;
    int rc = reminders_state(state, &r);
    if (rc == DB_OK) rc = reminders_read(db, a, &r, &b);
    *batch = b;
    return rc;
}

static int job_reminders_write(struct db *db, void *batch, char *state) {
    struct reminder_run r;
    int rc = reminders_state(state, &r);
    if (rc == DB_OK) rc = reminders_write(db, batch, &r);
    if (rc == DB_OK) reminders_format(&r, state, JOB_STATE_MAX);
    return rc;
}

static void job_reminders_result(const char *state, char *out, size_t n) {
    struct reminder_run r;
    if (reminders_parse(state, &r) == 0)
        reminders_summary(&r, out, n);
    else
        snprintf(out, n, "?");
}

static const struct daily_job jobs[] = {
    {"reminders", "每日提醒：临期、逾期、进展报送、催办未回复（逐条），单位与督办日报（汇总）",
     job_reminders_start, job_reminders_read, job_reminders_write, job_reminders_result},
};

/* Attachments of timeline events and documents are readable by whoever reads the task. */
static const struct module_file_owner file_owners[] = {
    {"task_event", task_event_file_readable},
    {"document", task_document_file_readable},
};

static const struct menu_item menu[] = {
    {"tasks", "/tasks", "tasks", "督办任务", "Tasks", "List", &perm_task_read, 10, 0, NULL},
    {"tasks", "/tasks/mine", "my-tasks", "我的任务", "My tasks", "Memo", &perm_task_work, 20, 0,
     NULL},
    {"tasks", "/tasks/documents", "documents", "来源文件", "Source documents", "Files",
     &perm_task_read, 30, 0, NULL},
    {"tasks", "/tasks/:id", "task", "任务详情", "Task", "List", &perm_task_read, 40, 1, "/tasks"},
    {"tasks", "/tasks/documents/:id", "document", "文件分解", "Document breakdown", "Files",
     &perm_task_read, 50, 1, "/tasks/documents"},
};

/* The 督办 state machine (task_flow.c). */
static const struct flow_kind *const kinds[] = {&task_kind};

static const struct audit_name audit_names[] = {
    {"task", "督办任务", "Task"},
    {"document", "来源文件", "Source document"},
};

const struct module tasks_module = {
    .name = "tasks",
    .zh = "任务督办",
    .en = "Task supervision",
    .perms = perms,
    .n_perms = MODULE_N(perms),
    .grants = grants,
    .n_grants = MODULE_N(grants),
    .settings = settings,
    .n_settings = MODULE_N(settings),
    .migrations = migrations,
    .n_migrations = MODULE_N(migrations),
    .tables = tables,
    .n_tables = MODULE_N(tables),
    .routes = routes,
    .n_routes = MODULE_N(routes),
    .jobs = jobs,
    .n_jobs = MODULE_N(jobs),
    .file_owners = file_owners,
    .n_file_owners = MODULE_N(file_owners),
    .menu = menu,
    .n_menu = MODULE_N(menu),
    .entities = entities,
    .n_entities = MODULE_N(entities),
    .kinds = kinds,
    .n_kinds = MODULE_N(kinds),
    .audit_names = audit_names,
    .n_audit_names = MODULE_N(audit_names),
};
