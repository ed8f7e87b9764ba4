/* tasks_test.c — the report rhythm (when the next progress report is due) and the state machine
 * table: which actions the office and an assigned unit may take in each state, and that a
 * refused action changes nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/app.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "base/crypto.h"
#include "features/org/org.h"
#include "features/tasks/tasks.h"
#include "store/db.h"

static void next_due(const char *rhythm, const char *custom, const char *after, const char *due,
                     const char *expect) {
    char out[11];
    task_next_report_due(rhythm, custom, 25, after, due, out);
    assert_string_equal(out, expect);
}

static void test_rhythm_monthly(void **state) {
    (void)state;
    next_due("monthly", "", "2026-03-10", "2026-12-31", "2026-03-25"); /* this month's day */
    next_due("monthly", "", "2026-03-25", "2026-12-31", "2026-04-25"); /* strictly after */
    next_due("monthly", "", "2026-03-28", "2026-12-31", "2026-04-25");
    next_due("monthly", "", "2026-12-26", "2027-06-30", "2027-01-25"); /* over the year's end */
    next_due("monthly", "", "2026-11-26", "2026-12-10", "2026-12-10"); /* capped at the due date */
    next_due("monthly", "", "2026-12-10", "2026-12-10", "");           /* closing is the last */
}

static void test_rhythm_quarterly_custom_none(void **state) {
    (void)state;
    next_due("quarterly", "", "2026-01-05", "2026-12-31", "2026-03-25");
    next_due("quarterly", "", "2026-03-25", "2026-12-31", "2026-06-25");
    next_due("quarterly", "", "2026-10-01", "2026-12-31", "2026-12-25");
    next_due("custom", "2026-02-01,2026-05-01,2026-09-01", "2026-03-01", "2026-12-31",
             "2026-05-01");
    next_due("custom", "2026-02-01,2026-05-01", "2026-06-01", "2026-12-31", "");
    next_due("none", "", "2026-03-01", "2026-12-31", "");
    next_due("monthly", "", "not-a-date", "2026-12-31", "");
}

/* ---- the state machine on a real (in-memory) database ---- */

struct fixture {
    struct db *db;
    struct arena *a;
    int64_t office_unit, lead_unit, other_unit, task;
    struct principal office, clerk, stranger;
    struct audit_actor office_au, clerk_au, stranger_au;
};

static struct principal principal_of(int64_t unit, perm_set perms, const char *name) {
    struct principal p = {0};
    p.user_id = 0; /* no account row: events keep the name */
    p.username = name;
    p.display_name = name;
    p.unit_id = unit;
    p.unit_path = "/";
    p.scope = SCOPE_ALL;
    p.perms = perms;
    return p;
}

static int setup(void **state) {
    struct fixture *x = calloc(1, sizeof(*x));
    char err[200];
    int applied;
    assert_int_equal(crypto_init(), 0);
    assert_int_equal(db_open("sqlite::memory:", &x->db, err, sizeof err), DB_OK);
    assert_int_equal(db_migrate(x->db, &applied), DB_OK);
    x->a = arena_new(8192);
    struct audit_actor sys = {.username = "test", .role = "system", .ip = "", .request_id = ""};
    assert_int_equal(db_begin(x->db), DB_OK);
    assert_int_equal(unit_create(x->db, &sys, "office", "办", "", "office", 0, 1, &x->office_unit),
                     DB_OK);
    assert_int_equal(
        unit_create(x->db, &sys, "lead", "司法局", "", "department", 0, 2, &x->lead_unit), DB_OK);
    assert_int_equal(
        unit_create(x->db, &sys, "other", "公安", "", "department", 0, 3, &x->other_unit), DB_OK);
    perm_set manager = {0}, worker = {0};
    perm_add(&manager, &perm_task_manage);
    perm_add(&manager, &perm_task_read);
    perm_add(&worker, &perm_task_work);
    perm_add(&worker, &perm_task_read);
    x->office = principal_of(x->office_unit, manager, "office");
    x->clerk = principal_of(x->lead_unit, worker, "clerk");
    x->stranger = principal_of(x->other_unit, worker, "stranger");
    struct audit_actor *aus[] = {&x->office_au, &x->clerk_au, &x->stranger_au};
    const char *names[] = {"office", "clerk", "stranger"};
    for (int i = 0; i < 3; i++)
        *aus[i] =
            (struct audit_actor){.username = names[i], .role = "", .ip = "", .request_id = ""};
    struct task_actor ta = {&x->office, &x->office_au};
    struct task_input in = {.title = "完善合法性审核机制",
                            .due_on = "2099-12-31",
                            .rhythm = "monthly",
                            .priority = "normal",
                            .lead_unit_id = x->lead_unit};
    assert_int_equal(task_create(x->db, x->a, &ta, &in, &x->task), DB_OK);
    assert_int_equal(db_commit(x->db), DB_OK);
    *state = x;
    return 0;
}

static int teardown(void **state) {
    struct fixture *x = *state;
    db_close(x->db);
    arena_free(x->a);
    free(x);
    return 0;
}

static int has(json_t *arr, const char *action) {
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v) if (!strcmp(json_string_value(v), action)) return 1;
    return 0;
}

static int apply(struct fixture *x, const struct principal *p, const struct audit_actor *au,
                 const char *action, const char *note) {
    struct task_actor ta = {p, au};
    struct task_action_args args = {.note = note, .progress = -1};
    struct task_problems pr = {0};
    assert_int_equal(db_begin(x->db), DB_OK);
    int rc = task_apply(x->db, x->a, &ta, x->task, action, &args, &pr);
    if (rc == FLOW_OK)
        assert_int_equal(db_commit(x->db), DB_OK);
    else
        db_rollback(x->db);
    return rc;
}

static const char *status(struct fixture *x) {
    struct db_stmt *st = db_queryv(x->db, "SELECT status FROM tasks WHERE id = ?", "i", x->task);
    assert_int_equal(db_step(st), DB_ROW);
    const char *s = arena_strdup(x->a, db_col_text(st, 0));
    db_done(st);
    return s;
}

static int64_t events(struct fixture *x) {
    int64_t n = 0;
    db_query_int(x->db, &n, "SELECT COUNT(*) FROM task_events WHERE task_id = ?", "i", x->task);
    return n;
}

static void test_flow_walk(void **state) {
    struct fixture *x = *state;
    struct task_actor office = {&x->office, &x->office_au}, clerk = {&x->clerk, &x->clerk_au},
                      stranger = {&x->stranger, &x->stranger_au};
    json_t *a = task_allowed_actions(x->db, &office, x->task);
    assert_true(has(a, "issue"));
    assert_false(has(a, "accept"));
    json_decref(a);
    a = task_allowed_actions(x->db, &clerk, x->task);
    assert_int_equal(json_array_size(a), 0); /* a draft is the office's alone */
    json_decref(a);

    int64_t before = events(x);
    assert_int_equal(apply(x, &x->clerk, &x->clerk_au, "acknowledge", NULL), FLOW_NOT_ALLOWED);
    assert_int_equal(events(x), before); /* refused: nothing written */
    assert_string_equal(status(x), "draft");

    assert_int_equal(apply(x, &x->office, &x->office_au, "issue", NULL), FLOW_OK);
    assert_string_equal(status(x), "issued");
    a = task_allowed_actions(x->db, &stranger, x->task);
    assert_int_equal(json_array_size(a), 0); /* not assigned: nothing to do */
    json_decref(a);
    assert_int_equal(apply(x, &x->clerk, &x->clerk_au, "report", "进展"), FLOW_NOT_ALLOWED);
    assert_int_equal(apply(x, &x->clerk, &x->clerk_au, "acknowledge", NULL), FLOW_OK);
    assert_string_equal(status(x), "in_progress");
    assert_int_equal(apply(x, &x->clerk, &x->clerk_au, "report", NULL), FLOW_INVALID); /* note */
    assert_int_equal(apply(x, &x->clerk, &x->clerk_au, "report", "已起草规程"), FLOW_OK);
    assert_int_equal(apply(x, &x->clerk, &x->clerk_au, "request_close", "完成"), FLOW_OK);
    assert_string_equal(status(x), "closing");
    assert_int_equal(apply(x, &x->clerk, &x->clerk_au, "accept", NULL), FLOW_NOT_ALLOWED);
    assert_int_equal(apply(x, &x->office, &x->office_au, "return", "证据不足"), FLOW_OK);
    assert_string_equal(status(x), "in_progress");
    assert_int_equal(apply(x, &x->clerk, &x->clerk_au, "request_close", "已补充"), FLOW_OK);
    assert_int_equal(apply(x, &x->office, &x->office_au, "accept", NULL), FLOW_OK);
    assert_string_equal(status(x), "done");
    a = task_allowed_actions(x->db, &office, x->task);
    assert_true(has(a, "reopen"));
    assert_false(has(a, "cancel"));
    json_decref(a);
    /* create, issue, acknowledge, report, request_close, return, request_close, accept */
    assert_int_equal(events(x), 8);
    struct audit_verify_result v;
    assert_int_equal(audit_verify(x->db, &v), DB_OK);
    assert_true(v.ok);
}

int main(void) {
    if (modules_init() != 0) return 1; /* permissions, settings and schema of every module */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rhythm_monthly),
        cmocka_unit_test(test_rhythm_quarterly_custom_none),
        cmocka_unit_test_setup_teardown(test_flow_walk, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
