/* tasks_module.c — the tasks module's declarations (http/module.h): permissions and their
 * grants, settings, routes and menu entries. */
#include <stdio.h>

#include "base/log.h"
#include "features/tasks/tasks.h"
#include "features/tasks/tasks_http.h"
#include "http/module.h"

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
};

/* The entities' routes are generated (tasks_entities.c): documents list/get/create/update/
 * delete/export.xlsx; tasks list/get/create/export.xlsx/import-template.xlsx/import. */
static const struct entity *const entities[] = {&entity_documents, &entity_tasks};

static const struct route routes[] = {
    {M_GET, "/api/v1/tasks/stats", &perm_task_read, tasks_stats},
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
};
