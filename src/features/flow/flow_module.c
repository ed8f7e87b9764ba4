/* flow_module.c — the workflow engine's module (http/module.h): the stored statutory clocks'
 * tables, GET /api/v1/kinds[/{kind}] and the daily clock job. The kinds themselves are declared
 * by the modules that own them (their descriptor's `kinds`). */
#include "features/flow/flow.h"
#include "features/flow/flow_http.h"
#include "store/dataver.h"
#include "http/module.h"

/* Rows leave trailing fields out (route flags): 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

static const struct migration migrations[] = {
    {1, "statutory clocks of workflow records: record_clocks and their parts",
     "CREATE TABLE record_clocks ("
     " id @ID@, kind TEXT NOT NULL, record_id BIGINT NOT NULL, clock TEXT NOT NULL,"
     " start_on TEXT NOT NULL, period BIGINT NOT NULL, unit TEXT NOT NULL, stopped_on TEXT,"
     " due_on TEXT NOT NULL, state TEXT NOT NULL, late BIGINT NOT NULL DEFAULT 0,"
     " stale BIGINT NOT NULL DEFAULT 0, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,"
     " version BIGINT NOT NULL DEFAULT 1, UNIQUE (kind, record_id, clock));"
     /* reminders and "overdue" filters: index ranges over (state, due_on) */
     "CREATE INDEX record_clocks_due ON record_clocks(state, due_on);"
     "CREATE INDEX record_clocks_stale ON record_clocks(stale, id);"
     "CREATE TABLE record_clock_parts ("
     " id @ID@, clock_id BIGINT NOT NULL REFERENCES record_clocks(id), part TEXT NOT NULL,"
     " period BIGINT NOT NULL DEFAULT 0, unit TEXT NOT NULL DEFAULT 'days', from_on TEXT,"
     " to_on TEXT, reason TEXT NOT NULL DEFAULT '', approver TEXT NOT NULL DEFAULT '',"
     " created_at TEXT NOT NULL);"
     "CREATE INDEX record_clock_parts_clock ON record_clock_parts(clock_id, id);",
     NULL, NULL},
    /* the metrics of a register (features/metrics) read each record's first clock: one lookup
     * in an index that holds what they count (stopped, late, state, due, start), no table row;
     * overdue by unit starts from the overdue clocks of the kind, an index range */
    {2, "record_clocks: the metrics' covering lookups (by record; overdue by kind)",
     "CREATE INDEX record_clocks_record ON record_clocks(kind, clock, record_id, stopped_on, late,"
     " state, due_on, start_on);"
     "CREATE INDEX record_clocks_overdue ON record_clocks(kind, clock, state, due_on, record_id,"
     " stopped_on);"
     /* the planner's statistics for them now: without, SQLite prefers the unique index */
     "ANALYZE record_clocks;",
     NULL, NULL},
    /* the registers' kept pages show clocks (due, overdue): a clock's change bumps "cases" */
    {3, "register pages are kept: statutory clocks bump the cases data version", NULL,
     DV_SQLITE_ALL("record_clocks", "cases") DV_SQLITE_ALL("record_clock_parts", "cases"),
     DV_PG_ALL("record_clocks", "cases") DV_PG_ALL("record_clock_parts", "cases")},
};

static const struct copy_table tables[] = {
    {"record_clocks", "id", 1},
    {"record_clock_parts", "id", 1},
};

static const struct route routes[] = {
    {M_GET, "/api/v1/kinds", &perm_signed_in, kinds_list},
    {M_GET, "/api/v1/kinds/:kind", &perm_signed_in, kinds_get},
};

static const struct daily_job jobs[] = {
    {"clocks",
     "法定期限：日历变更后重算截止日期，中止中的期限逐日重算；临近届满（提前 remind_days）和逾期"
     "当日按单位、按类型向承办人员发送汇总提醒",
     flow_clock_job_start, flow_clock_job_read, flow_clock_job_write, flow_clock_job_result},
};

const struct module flow_module = {
    .name = "flow",
    .zh = "流程引擎",
    .en = "Workflow engine",
    .migrations = migrations,
    .n_migrations = MODULE_N(migrations),
    .tables = tables,
    .n_tables = MODULE_N(tables),
    .routes = routes,
    .n_routes = MODULE_N(routes),
    .jobs = jobs,
    .n_jobs = MODULE_N(jobs),
};
