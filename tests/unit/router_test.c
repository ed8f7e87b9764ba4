/* router_test.c — the route table and path matching. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "features/accounts/accounts_http.h"
#include "features/entity/entity_http.h"
#include "features/org/org.h"
#include "features/org/org_http.h"
#include "features/settings/settings_http.h"
#include "app/app.h"
#include "http/http.h"

static int setup(void **state) {
    struct req *r = calloc(1, sizeof(*r));
    r->arena = arena_new(0);
    *state = r;
    return 0;
}

static int teardown(void **state) {
    struct req *r = *state;
    arena_free(r->arena);
    free(r);
    return 0;
}

/* Match and return the route; *known receives path_known. Resets r's params first. */
static const struct route *match(struct req *r, const char *path, enum http_method m, int *known) {
    memset(r->params, 0, sizeof r->params);
    r->route_index = -1;
    *known = -1;
    return router_match(r, path, m, known);
}

static void test_router_check_passes_on_real_table(void **state) {
    (void)state;
    char err[200] = "";
    assert_int_equal(router_check(err, sizeof err), 0);
    assert_string_equal(err, "");
    assert_true(route_total() > 0);
}

static void test_every_route_declares_a_permission(void **state) {
    (void)state;
    for (int i = 0; i < route_total(); i++) {
        const struct route *rt = route_at(i);
        if (!rt->perm ||
            (rt->perm->id <= 0 && rt->perm != &perm_public && rt->perm != &perm_signed_in &&
             rt->perm != &perm_per_setting) ||
            !rt->handler)
            fail_msg("route %s declares no permission or handler", rt->pattern);
        assert_int_equal(rt->pattern[0], '/');
        assert_true(strlen(rt->pattern) < 200);
    }
}

/* Only signing in and a comment on a draft open for public comment (rate-limited per address,
 * behind a challenge: features/consult) may change anything without a session. */
static void test_only_login_writes_without_session(void **state) {
    (void)state;
    static const char *const allowed[] = {"/api/v1/auth/login",
                                          "/api/v1/public/consultations/:id/comments"};
    int public_writes = 0;
    for (int i = 0; i < route_total(); i++) {
        const struct route *rt = route_at(i);
        if (rt->method == M_GET || rt->perm != &perm_public) continue;
        assert_int_equal(rt->method, M_POST);
        int known = 0;
        for (size_t k = 0; k < sizeof allowed / sizeof allowed[0]; k++)
            known |= !strcmp(rt->pattern, allowed[k]);
        if (!known) fail_msg("a public write that is not allowed: %s", rt->pattern);
        public_writes++;
    }
    assert_int_equal(public_writes, 2);
}

/* Every row is reachable: its own pattern (parameters filled in) matches that row. */
static void test_every_route_is_reachable(void **state) {
    struct req *r = *state;
    for (int i = 0; i < route_total(); i++) {
        char path[256] = "";
        const char *p = route_at(i)->pattern;
        while (*p) {
            if (*p == ':') {
                strcat(path, "7");
                while (*p && *p != '/')
                    p++;
            } else {
                size_t n = strlen(path);
                path[n] = *p++;
                path[n + 1] = 0;
            }
        }
        int known;
        const struct route *rt = match(r, path, route_at(i)->method, &known);
        if (rt != route_at(i))
            fail_msg("%s does not reach route %d (%s)", path, i, route_at(i)->pattern);
        assert_int_equal(known, 1);
        assert_int_equal(r->route_index, i);
    }
}

static void test_literal_path(void **state) {
    struct req *r = *state;
    int known;
    const struct route *rt = match(r, "/api/v1/units", M_GET, &known);
    assert_non_null(rt);
    assert_ptr_equal(rt->handler, entity_list_route);
    assert_ptr_equal(rt->ctx, &entity_units);
    assert_ptr_equal(rt->perm, perm_by_code("unit.read"));
    assert_int_equal(known, 1);
    assert_null(r->params[0]);

    rt = match(r, "/api/v1/units", M_POST, &known);
    assert_non_null(rt);
    assert_ptr_equal(rt->handler, entity_create_route);
    assert_ptr_equal(rt->perm, perm_by_code("unit.manage"));

    rt = match(r, "/api/v1/auth/login", M_POST, &known);
    assert_non_null(rt);
    assert_ptr_equal(rt->handler, auth_login);
    assert_ptr_equal(rt->perm, &perm_public);
}

static void test_param_path(void **state) {
    struct req *r = *state;
    int known;
    const struct route *rt = match(r, "/api/v1/units/42", M_GET, &known);
    assert_non_null(rt);
    assert_ptr_equal(rt->handler, entity_get_route);
    assert_int_equal(known, 1);
    assert_non_null(r->params[0]);
    assert_string_equal(r->params[0], "42");
    assert_null(r->params[1]);

    rt = match(r, "/api/v1/units/42", M_PUT, &known);
    assert_non_null(rt);
    assert_ptr_equal(rt->handler, entity_update_route);
    assert_string_equal(r->params[0], "42");

    rt = match(r, "/api/v1/units/9/deactivate", M_POST, &known);
    assert_non_null(rt);
    assert_ptr_equal(rt->handler, units_deactivate);
    assert_string_equal(r->params[0], "9");

    rt = match(r, "/api/v1/users/5/role", M_PUT, &known);
    assert_non_null(rt);
    assert_ptr_equal(rt->handler, users_set_role);
    assert_ptr_equal(rt->perm, perm_by_code("role.assign"));
    assert_string_equal(r->params[0], "5");

    rt = match(r, "/api/v1/settings/password.min_length", M_PUT, &known);
    assert_non_null(rt);
    assert_ptr_equal(rt->handler, settings_update);
    assert_string_equal(r->params[0], "password.min_length");
}

/* The parameter is a copy: the caller's path text is not modified. */
static void test_path_not_modified(void **state) {
    struct req *r = *state;
    char path[] = "/api/v1/people/3/phone";
    int known;
    const struct route *rt = match(r, path, M_GET, &known);
    assert_non_null(rt);
    assert_ptr_equal(rt->handler, people_phone);
    assert_ptr_equal(rt->perm, perm_by_code("person.reveal"));
    assert_string_equal(r->params[0], "3");
    assert_string_equal(path, "/api/v1/people/3/phone");
}

static void test_tree_is_not_an_id(void **state) {
    struct req *r = *state;
    int known;
    const struct route *rt = match(r, "/api/v1/units/tree", M_GET, &known);
    assert_non_null(rt);
    assert_ptr_equal(rt->handler, units_tree);
    assert_null(r->params[0]);
}

static void test_wrong_method_is_405(void **state) {
    struct req *r = *state;
    int known;
    assert_null(match(r, "/api/v1/units", M_DELETE, &known));
    assert_int_equal(known, 1);
    assert_null(match(r, "/api/v1/units/42", M_POST, &known));
    assert_int_equal(known, 1);
    assert_null(match(r, "/api/v1/audit/verify", M_POST, &known));
    assert_int_equal(known, 1);
    assert_null(match(r, "/healthz", M_PATCH, &known));
    assert_int_equal(known, 1);
    assert_null(match(r, "/api/v1/units", M_OTHER, &known));
    assert_int_equal(known, 1);
}

static void test_unknown_path_is_404(void **state) {
    struct req *r = *state;
    int known;
    const char *unknown[] = {
        "/",
        "",
        "/api/v1/nothing",
        "/api/v1",
        "/api/v1/units/42/unknown",
        "/api/v1/units/42/deactivate/more",
        "/API/V1/UNITS",
        "/api/v2/units",
        "/healthzz",
    };
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        if (match(r, unknown[i], M_GET, &known)) fail_msg("%s matched", unknown[i]);
        if (known != 0) fail_msg("%s is known", unknown[i]);
        if (match(r, unknown[i], M_POST, &known)) fail_msg("POST %s matched", unknown[i]);
        assert_int_equal(known, 0);
    }
}

/* Empty segments are ignored, so a trailing or doubled slash names the same resource. */
static void test_trailing_and_double_slashes(void **state) {
    struct req *r = *state;
    int known;
    const struct route *rt = match(r, "/api/v1/units/", M_GET, &known);
    assert_non_null(rt);
    assert_ptr_equal(rt->handler, entity_list_route);
    assert_ptr_equal(rt->ctx, &entity_units);
    rt = match(r, "/api/v1/units/42/", M_GET, &known);
    assert_non_null(rt);
    assert_ptr_equal(rt->handler, entity_get_route);
    assert_string_equal(r->params[0], "42");
    rt = match(r, "//api//v1//units//42", M_GET, &known);
    assert_non_null(rt);
    assert_ptr_equal(rt->handler, entity_get_route);
    assert_string_equal(r->params[0], "42");
    /* An empty id is not an id. */
    rt = match(r, "/api/v1/units//deactivate", M_POST, &known);
    assert_null(rt);
}

static void test_over_long_paths(void **state) {
    struct req *r = *state;
    int known;
    /* More than 1000 bytes: refused without a match. */
    char longp[1200] = "/api/v1/units/";
    size_t n = strlen(longp);
    memset(longp + n, '1', sizeof longp - n - 1);
    longp[sizeof longp - 1] = 0;
    assert_null(match(r, longp, M_GET, &known));
    assert_int_equal(known, 0);

    /* A long id just under the limit is still matched; the handler validates it. */
    char okp[1001] = "/api/v1/units/";
    n = strlen(okp);
    memset(okp + n, '1', sizeof okp - n - 1);
    okp[sizeof okp - 1] = 0;
    const struct route *rt = match(r, okp, M_GET, &known);
    assert_non_null(rt);
    assert_ptr_equal(rt->handler, entity_get_route);
    assert_int_equal(strlen(r->params[0]), sizeof okp - 1 - strlen("/api/v1/units/"));

    /* Many segments. */
    char deep[400] = "/api/v1/units/1";
    for (int i = 0; i < 40; i++)
        strcat(deep, "/x");
    assert_null(match(r, deep, M_GET, &known));
    assert_int_equal(known, 0);
}

/* libmicrohttpd's unescaper: %HH decoded, but never into a NUL that would cut the path. */
static void test_url_unescape_keeps_nul_escaped(void **state) {
    (void)state;
    const char *cases[][2] = {
        {"/api/v1/units/10", "/api/v1/units/10"},
        {"/api/v1/units/%2010", "/api/v1/units/ 10"},
        {"/api/v1/units/10%00abc", "/api/v1/units/10%00abc"},
        {"/api/v1/settings/site.name%00junk", "/api/v1/settings/site.name%00junk"},
        {"%E6%B3%95%e6%b2%bb", "法治"},
        {"100%", "100%"},
        {"%4", "%4"},
        {"%zz%4g", "%zz%4g"},
        {"a%2Fb", "a/b"},
        {"", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[64];
        snprintf(buf, sizeof buf, "%s", cases[i][0]);
        size_t n = url_unescape(buf);
        assert_string_equal(buf, cases[i][1]);
        assert_int_equal(n, strlen(cases[i][1]));
    }
}

/* Ids in paths are canonical decimal; anything else is 404, like an id that does not exist. */
static void test_ids_are_canonical(void **state) {
    struct req *r = *state;
    const char *bad[] = {" 10",   "+10",      "010", "0",    "-1", "10 ",
                         "10abc", "10%00abc", "1e3", "0x10", "",   "1234567890123456789",
                         "１０"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        r->params[0] = bad[i];
        r->replied = 0;
        int64_t id = -1;
        if (req_id_or_reply(r, 0, &id) == 0)
            fail_msg("\"%s\" accepted as id %lld", bad[i], (long long)id);
        assert_int_equal(r->status, 404);
    }
    const char *good[][2] = {
        {"1", "1"}, {"10", "10"}, {"123456789012345678", "123456789012345678"}};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        r->params[0] = good[i][0];
        r->replied = 0;
        int64_t id = -1;
        assert_int_equal(req_id_or_reply(r, 0, &id), 0);
        assert_int_equal(id, strtoll(good[i][1], NULL, 10));
        assert_int_equal(r->replied, 0);
    }
    r->params[0] = NULL;
    assert_int_not_equal(req_id_or_reply(r, 0, &(int64_t){0}), 0);
}

int main(void) {
    if (modules_init() != 0) return 1; /* permissions, settings and schema of every module */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_router_check_passes_on_real_table),
        cmocka_unit_test(test_every_route_declares_a_permission),
        cmocka_unit_test(test_only_login_writes_without_session),
        cmocka_unit_test_setup_teardown(test_every_route_is_reachable, setup, teardown),
        cmocka_unit_test_setup_teardown(test_literal_path, setup, teardown),
        cmocka_unit_test_setup_teardown(test_param_path, setup, teardown),
        cmocka_unit_test_setup_teardown(test_path_not_modified, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tree_is_not_an_id, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wrong_method_is_405, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_path_is_404, setup, teardown),
        cmocka_unit_test_setup_teardown(test_trailing_and_double_slashes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_over_long_paths, setup, teardown),
        cmocka_unit_test(test_url_unescape_keeps_nul_escaped),
        cmocka_unit_test_setup_teardown(test_ids_are_canonical, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
