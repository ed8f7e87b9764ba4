/* modules_test.c — the module descriptors: everything they declare is registered and fits, a
 * permission a module adds later is granted to its built-in roles once (and never again), and
 * each module's schema is migrated under its own name. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/app.h"
#include "features/accounts/accounts.h"
#include "http/module.h"

static void test_every_declaration_is_registered(void **state) {
    (void)state;
    int perms = 0, settings = 0, routes = 0;
    for (int m = 0; fazhi_modules[m]; m++) {
        const struct module *mod = fazhi_modules[m];
        assert_non_null(mod->name);
        for (int i = 0; i < mod->n_perms; i++) {
            assert_true(mod->perms[i]->id > 0);
            assert_ptr_equal(perm_by_code(mod->perms[i]->code), mod->perms[i]);
        }
        for (int i = 0; i < mod->n_settings; i++)
            assert_ptr_equal(setting_def_by_key(mod->settings[i].key), &mod->settings[i]);
        perms += mod->n_perms;
        settings += mod->n_settings;
        routes += mod->n_routes;
    }
    assert_int_equal(perm_count(), perms);
    assert_int_equal(setting_count(), settings);
    int generated = 0; /* the entities' routes (features/entity) */
    for (int i = 0; i < route_total(); i++)
        if (route_at(i)->ctx) generated++;
    assert_true(generated > 0);
    assert_int_equal(route_total(), routes + generated);
    char err[200];
    assert_int_equal(router_check(err, sizeof err), 0);
}

/* 三员分立 holds for what the modules grant: no business role holds an administrator's
 * permission, and the auditor holds nothing but the audit log. */
static void test_grants_keep_the_administrators_apart(void **state) {
    (void)state;
    for (int i = 0; i < perm_count(); i++) {
        const struct perm_def *p = perm_at(i);
        for (int r = 0; r < builtin_role_count; r++)
            if (p->admin && perm_granted(builtin_roles[r].code, p->code))
                assert_true(builtin_roles[r].admin);
        if (perm_granted("auditor", p->code)) assert_string_equal(p->group, "audit");
    }
    assert_true(perm_granted("office", "task.manage"));
    assert_true(perm_granted("clerk", "task.work"));
    assert_false(perm_granted("clerk", "task.manage"));
    struct perm_grant bad = {"clerk", "user.manage"};
    char err[200];
    assert_int_equal(perm_grant_register(&bad, err, sizeof err), -1);
    assert_non_null(strstr(err, "administrators"));
    struct perm_grant unknown = {"clerk", "no.such"};
    assert_int_equal(perm_grant_register(&unknown, err, sizeof err), -1);
}

static int64_t count(struct db *db, const char *sql, const char *code) {
    int64_t n = -1;
    assert_int_equal(db_query_int(db, &n, sql, "s", code), DB_ROW);
    return n;
}

#define HELD                                                                                       \
    "SELECT COUNT(*) FROM role_permissions rp JOIN roles r ON r.id = rp.role_id "                  \
    "WHERE r.code = 'clerk' AND rp.permission = ?"

static void test_a_new_permission_is_granted_once(void **state) {
    (void)state;
    struct db *db;
    char err[200];
    int applied;
    assert_int_equal(db_open("sqlite::memory:", &db, err, sizeof err), DB_OK);
    assert_int_equal(db_migrate(db, &applied), DB_OK);
    assert_int_equal(db_module_version(db, "accounts"), 1);
    assert_true(db_schema_current(db));
    assert_int_equal(db_begin(db), DB_OK);
    assert_int_equal(roles_seed(db), DB_OK);
    assert_int_equal(roles_sync(db), DB_OK);
    assert_int_equal(db_commit(db), DB_OK);
    assert_int_equal(count(db, HELD, "task.work"), 1);
    /* As if task.work came with an upgrade: never seen here, nobody holds it yet. */
    assert_int_equal(db_exec(db, "DELETE FROM permissions_seen WHERE code = 'task.work'", ""),
                     DB_OK);
    assert_int_equal(db_exec(db, "DELETE FROM role_permissions WHERE permission = 'task.work'", ""),
                     DB_OK);
    assert_int_equal(db_begin(db), DB_OK);
    assert_int_equal(roles_sync(db), DB_OK);
    assert_int_equal(db_commit(db), DB_OK);
    assert_int_equal(count(db, HELD, "task.work"), 1);
    assert_int_equal(count(db, "SELECT COUNT(*) FROM permissions_seen WHERE code = ?", "task.work"),
                     1);
    /* An administrator takes it away from the clerks: a later start does not give it back. */
    assert_int_equal(db_exec(db,
                             "DELETE FROM role_permissions WHERE permission = 'task.work' AND "
                             "role_id = (SELECT id FROM roles WHERE code = 'clerk')",
                             ""),
                     DB_OK);
    assert_int_equal(db_begin(db), DB_OK);
    assert_int_equal(roles_sync(db), DB_OK);
    assert_int_equal(db_commit(db), DB_OK);
    assert_int_equal(count(db, HELD, "task.work"), 0);
    db_close(db);
}

int main(void) {
    if (modules_init() != 0) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_declaration_is_registered),
        cmocka_unit_test(test_grants_keep_the_administrators_apart),
        cmocka_unit_test(test_a_new_permission_is_granted_once),
    };
    return cmocka_run_group_tests_name("modules", tests, NULL, NULL);
}
