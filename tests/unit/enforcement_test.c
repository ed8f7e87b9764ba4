/* enforcement_test.c — 案卷评查's scoring rule on the declared sheet (a veto item → 0; each item
 * loses at most its points; a section never below 0; the sections add up to 100) and the checks
 * of 执法人员 (≥ 2, certificate numbers in their format and distinct, "姓名:证号" texts). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/app.h"
#include "features/enforcement/enforcement.h"

static json_t *items(const char *text) {
    json_error_t e;
    json_t *j = json_loads(text, 0, &e);
    assert_non_null(j);
    return j;
}

static struct review_score score_of(const char *text) {
    json_t *j = items(text);
    struct review_score s;
    case_review_score(j, &s);
    json_decref(j);
    return s;
}

static void test_sheet_adds_up(void **state) {
    (void)state;
    int sum[RS_SECTIONS] = {0};
    for (int i = 0; i < n_review_items; i++) {
        const struct review_item *it = &review_items[i];
        sum[it->section] += it->max;
        if (it->section == RS_VETO)
            assert_int_equal(it->max, 0);
        else
            assert_true(it->deduct > 0 && it->deduct <= it->max);
    }
    assert_int_equal(sum[RS_FORM], review_sections[RS_FORM].max);
    assert_int_equal(sum[RS_CONTENT], review_sections[RS_CONTENT].max);
    assert_int_equal(review_sections[RS_FORM].max + review_sections[RS_CONTENT].max, 100);
}

static void test_score_rule(void **state) {
    (void)state;
    struct review_score s = score_of("[]");
    assert_int_equal(s.total, 100);
    assert_false(s.vetoed);
    /* documents 2 × 1, facts 1 × 5, legal_review 2 × 5 capped at its 5 */
    s = score_of("[{\"code\":\"documents\",\"defects\":2},{\"code\":\"facts\",\"defects\":1},"
                 "{\"code\":\"legal_review\",\"defects\":2}]");
    assert_int_equal(s.form, 18);
    assert_int_equal(s.content, 70);
    assert_int_equal(s.total, 88);
    /* every form item far past its points: the section is 0, not negative */
    s = score_of(
        "[{\"code\":\"filing_form\",\"defects\":99},{\"code\":\"evidence_list\",\"defects\":99},"
        "{\"code\":\"documents\",\"defects\":99},{\"code\":\"service_proof\",\"defects\":99},"
        "{\"code\":\"archive\",\"defects\":99}]");
    assert_int_equal(s.form, 0);
    assert_int_equal(s.content, 80);
    /* a veto item: 0 whatever else */
    s = score_of("[{\"code\":\"no_subject\",\"veto\":true},{\"code\":\"archive\",\"defects\":1}]");
    assert_true(s.vetoed);
    assert_int_equal(s.total, 0);
    assert_int_equal(s.form, 0);
    assert_int_equal(s.content, 0);
    /* an unflagged veto item changes nothing */
    s = score_of("[{\"code\":\"no_subject\",\"veto\":false}]");
    assert_false(s.vetoed);
    assert_int_equal(s.total, 100);
}

static void test_items_check(void **state) {
    (void)state;
    struct arena *a = arena_new(0);
    const char *bad[] = {"[{\"code\":\"nope\"}]",
                         "[{\"code\":\"facts\",\"defects\":-1}]",
                         "[{\"code\":\"facts\",\"defects\":100}]",
                         "[{\"code\":\"facts\"},{\"code\":\"facts\"}]",
                         "[{\"code\":\"beyond_power\",\"defects\":1}]",
                         "[{\"code\":\"facts\",\"veto\":true}]",
                         "{}"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct problems pr = {.arena = a};
        json_t *j = items(bad[i]);
        json_t *ok = case_review_items_check(j, &pr);
        assert_null(ok);
        assert_true(problems_has(&pr, "items"));
        json_decref(j);
    }
    struct problems pr = {.arena = a};
    json_t *j =
        items("[{\"code\":\"facts\",\"defects\":2,\"note\":\" x \"},{\"code\":\"wrong_law\"}]");
    json_t *ok = case_review_items_check(j, &pr);
    assert_non_null(ok);
    assert_int_equal(pr.n, 0);
    assert_string_equal(json_string_value(json_object_get(json_array_get(ok, 0), "note")), "x");
    assert_true(json_is_false(json_object_get(json_array_get(ok, 1), "veto")));
    json_decref(ok);
    json_decref(j);
    arena_free(a);
}

static void test_officers(void **state) {
    (void)state;
    struct arena *a = arena_new(0);
    assert_true(enforcement_cert_valid("13010017"));
    assert_true(enforcement_cert_valid("晋A0101001"));
    assert_false(enforcement_cert_valid("a1234567"));
    assert_false(enforcement_cert_valid("12345"));
    assert_false(enforcement_cert_valid("1234567890123456789"));
    assert_false(enforcement_cert_valid("晋晋A010101"));
    const char *bad[] = {"[{\"name\":\"张三\",\"cert_no\":\"13010017\"}]",
                         "[{\"name\":\"张三\",\"cert_no\":\"13010017\"},"
                         "{\"name\":\"李四\",\"cert_no\":\"13010017\"}]",
                         "[\"张三:13010017\",\"李四\"]", "[\"张三:13010017\",\":13010018\"]", "{}"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct problems pr = {.arena = a};
        json_t *j = items(bad[i]);
        assert_null(enforcement_officers_check(j, &pr));
        assert_true(problems_has(&pr, "officers"));
        json_decref(j);
    }
    struct problems pr = {.arena = a};
    json_t *j = items("[\"张三：13010017\",{\"name\":\" 李四 \",\"cert_no\":\"晋A0101001\"}]");
    json_t *ok = enforcement_officers_check(j, &pr);
    assert_non_null(ok);
    assert_string_equal(json_string_value(json_object_get(json_array_get(ok, 0), "cert_no")),
                        "13010017");
    assert_string_equal(json_string_value(json_object_get(json_array_get(ok, 1), "name")), "李四");
    json_decref(ok);
    json_decref(j);
    arena_free(a);
}

int main(void) {
    if (modules_init() != 0) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sheet_adds_up),
        cmocka_unit_test(test_score_rule),
        cmocka_unit_test(test_items_check),
        cmocka_unit_test(test_officers),
    };
    return cmocka_run_group_tests_name("enforcement", tests, NULL, NULL);
}
