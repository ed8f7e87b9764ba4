/* calendar_test.c — dates (parsing, leap years, weekdays, months) and working-day arithmetic over
 * a holiday week with a Saturday make-up working day (国庆节 2026), explanations, CSV import. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/app.h"
#include "audit/audit.h"
#include "base/calendar.h"
#include "features/calendar/calendar.h"
#include "store/db.h"

struct fixture {
    struct db *db;
    struct arena *a;
    struct calendar *c;
};

static const struct audit_actor actor = {
    .user_id = 0, .username = "test", .role = "sysadmin", .ip = "127.0.0.1", .request_id = "t"};

static int32_t D(const char *s) {
    int32_t d = 0;
    assert_int_equal(date_parse(s, &d), 0);
    return d;
}

static void assert_date(int32_t day, const char *want) {
    char got[11];
    date_format(day, got);
    assert_string_equal(got, want);
}

static int setup(void **state) {
    struct fixture *x = calloc(1, sizeof(*x));
    char err[200];
    int applied;
    if (db_open("sqlite::memory:", &x->db, err, sizeof err) != DB_OK) return -1;
    if (db_migrate(x->db, &applied) != DB_OK) return -1;
    x->a = arena_new(0);
    /* 国庆节 2026: 10-01 (Thu) … 10-07 (Wed) off, 10-10 (Sat) worked. */
    if (db_begin(x->db) != DB_OK || calendar_seed_demo(x->db, &actor) != DB_OK ||
        db_commit(x->db) != DB_OK)
        return -1;
    int32_t from, to;
    date_parse("2025-12-01", &from);
    date_parse("2027-01-31", &to);
    if (calendar_load(x->db, x->a, from, to, &x->c) != DB_OK) return -1;
    *state = x;
    return 0;
}

static int teardown(void **state) {
    struct fixture *x = *state;
    arena_free(x->a);
    db_close(x->db);
    free(x);
    return 0;
}

static void test_parse_and_format(void **state) {
    (void)state;
    int32_t d;
    assert_int_equal(date_parse("1970-01-01", &d), 0);
    assert_int_equal(d, 0);
    assert_date(D("2026-10-01"), "2026-10-01");
    assert_date(D("2000-02-29"), "2000-02-29"); /* divisible by 400: leap */
    assert_date(D("2024-02-29"), "2024-02-29");
    assert_date(D("2024-02-29") + 1, "2024-03-01");
    assert_date(D("2025-12-31") + 1, "2026-01-01");
    assert_date(D("1969-12-31"), "1969-12-31");
    const char *bad[] = {"2026-02-29", "1900-02-29", "2100-02-29",  "2026-13-01",
                         "2026-00-10", "2026-04-31", "2026-01-00",  "2026-1-01",
                         "2026/01/01", "26-01-01",   "2026-01-01x", "",
                         "abcd-ef-gh", "2026-01-32", " 2026-01-01", "0999-01-01"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(date_parse(bad[i], &d), -1);
    assert_int_equal(date_parse(NULL, &d), -1);
}

static void test_weekday_and_months(void **state) {
    (void)state;
    assert_int_equal(date_weekday(D("1970-01-01")), 4); /* Thursday */
    assert_int_equal(date_weekday(D("2026-10-01")), 4);
    assert_int_equal(date_weekday(D("2026-10-10")), 6); /* Saturday */
    assert_int_equal(date_weekday(D("2026-10-11")), 7);
    assert_int_equal(date_weekday(D("2026-10-12")), 1);
    assert_int_equal(date_weekday(D("1969-12-29")), 1);
    assert_date(date_add_months(D("2026-01-31"), 1, 31), "2026-02-28");
    assert_date(date_add_months(D("2024-01-31"), 1, 31), "2024-02-29");
    assert_date(date_add_months(D("2026-11-15"), 2, 25), "2027-01-25");
    assert_date(date_add_months(D("2026-03-10"), -3, 25), "2025-12-25");
    int32_t today = date_today();
    assert_true(today > D("2024-01-01") && today < D("2100-01-01"));
}

static void test_workdays(void **state) {
    struct fixture *x = *state;
    struct calendar *c = x->c;
    assert_false(calendar_is_workday(c, D("2026-10-01")));
    assert_false(calendar_is_workday(c, D("2026-10-07")));
    assert_true(calendar_is_workday(c, D("2026-10-08")));
    assert_true(calendar_is_workday(c, D("2026-10-10"))); /* Saturday worked */
    assert_false(calendar_is_workday(c, D("2026-10-11")));
    assert_true(calendar_is_workday(c, D("2026-09-20"))); /* Sunday worked */
    assert_false(calendar_is_workday(c, D("2026-09-19")));
    assert_string_equal(calendar_day_name(c, D("2026-10-03")), "国庆节");
    assert_null(calendar_day_name(c, D("2026-10-08")));

    int32_t from = D("2026-09-30");
    assert_date(calendar_add_workdays(c, from, 1), "2026-10-08");
    assert_date(calendar_add_workdays(c, from, 2), "2026-10-09");
    assert_date(calendar_add_workdays(c, from, 3), "2026-10-10");
    assert_date(calendar_add_workdays(c, from, 4), "2026-10-12");
    assert_date(calendar_add_workdays(c, from, 5), "2026-10-13");
    assert_date(calendar_add_workdays(c, from, 0), "2026-09-30");
    assert_date(calendar_add_workdays(c, D("2026-10-03"), 0), "2026-10-08");
    assert_int_equal(calendar_count_workdays(c, from, D("2026-10-12")), 4);
    assert_int_equal(calendar_count_workdays(c, from, D("2026-10-07")), 0);
    assert_int_equal(calendar_count_workdays(c, from, D("2026-10-10")), 3);
    assert_int_equal(calendar_count_workdays(c, from, from), 0);
    assert_int_equal(calendar_count_workdays(c, D("2026-10-12"), from), 0);
    /* 春节 2026: 02-15 … 02-23 off, 02-14 and 02-28 (Saturdays) worked. */
    assert_date(calendar_add_workdays(c, D("2026-02-13"), 1), "2026-02-14");
    assert_date(calendar_add_workdays(c, D("2026-02-14"), 1), "2026-02-24");
    /* Beyond the loaded range: plain weekdays and weekends. */
    assert_date(calendar_add_workdays(c, D("2030-10-01"), 1), "2030-10-02");
    assert_date(calendar_add_workdays(NULL, D("2026-10-09"), 1), "2026-10-12");
}

static void test_explain(void **state) {
    struct fixture *x = *state;
    int32_t from = D("2026-09-30");
    const char *zh = calendar_explain_add(x->c, x->a, from, 5, 0);
    assert_string_equal(zh, "自 2026-09-30 起 5 个工作日，跳过 国庆节 10-01至10-07（7天），"
                            "10-10（调休上班）计入，截止 2026-10-13");
    const char *en = calendar_explain_add(x->c, x->a, from, 5, 1);
    assert_non_null(strstr(en, "National Day 10-01 to 10-07 (7 days)"));
    assert_non_null(strstr(en, "10-10 (make-up working day) counted"));
    assert_non_null(strstr(en, "due 2026-10-13"));
    const char *cnt = calendar_explain_count(x->c, x->a, from, D("2026-10-12"), 0);
    assert_non_null(strstr(cnt, "共 4 个工作日"));
    assert_non_null(strstr(cnt, "国庆节 10-01至10-07（7天）"));
    assert_non_null(strstr(cnt, "10-10（调休上班）计入"));
    /* No holiday in range: no mention of one. */
    const char *plain = calendar_explain_add(x->c, x->a, D("2026-11-02"), 3, 0);
    assert_null(strstr(plain, "跳过"));
    assert_non_null(strstr(plain, "截止 2026-11-05"));
    /* 中秋 and 国庆 in one span are named separately. */
    const char *both = calendar_explain_add(x->c, x->a, D("2026-09-24"), 6, 0);
    assert_non_null(strstr(both, "中秋节 09-25至09-27（3天）"));
    assert_non_null(strstr(both, "国庆节 10-01至10-07（7天）"));
}

static void test_workdays_add(void **state) {
    struct fixture *x = *state;
    char out[11];
    assert_int_equal(workdays_add(x->db, "2026-09-30", 3, out), 0);
    assert_string_equal(out, "2026-10-10");
    assert_int_equal(workdays_add(x->db, "2026-02-30", 3, out), -1);
}

static void test_csv(void **state) {
    struct fixture *x = *state;
    struct calendar_entry *rows;
    int n;
    json_t *errors = json_array();
    calendar_csv_parse(
        x->a, 2027,
        "\xEF\xBB\xBF"
        "date,kind,name\r\n2027-01-01,休,元旦\r\n2027-02-06,班,\"春节, 调休\"\r\n\r\n",
        0, &rows, &n, errors);
    assert_int_equal(json_array_size(errors), 0);
    assert_int_equal(n, 2);
    assert_string_equal(rows[0].kind, "holiday");
    assert_string_equal(rows[1].kind, "workday");
    assert_string_equal(rows[1].name, "春节, 调休");

    calendar_csv_parse(x->a, 2027,
                       "date,kind,name\n2027-01-01,holiday,元旦\n2026-12-31,holiday,x\n"
                       "2027-01-01,holiday,dup\n2027-02-30,holiday,x\n2027-01-04,workday,x\n"
                       "2027-01-05,other,x\n",
                       1, &rows, &n, errors);
    assert_int_equal(json_array_size(errors), 5);
    int want[] = {3, 4, 5, 6, 7};
    for (int i = 0; i < 5; i++)
        assert_int_equal(json_integer_value(json_object_get(json_array_get(errors, i), "row")),
                         want[i]);
    json_array_clear(errors);
    calendar_csv_parse(x->a, 2027, "2027-01-01,holiday,元旦\n", 0, &rows, &n, errors);
    assert_int_equal(json_array_size(errors), 1); /* header required */
    json_decref(errors);
}

static void test_replace_year_keeps_versions(void **state) {
    struct fixture *x = *state;
    struct calendar_entry rows[2] = {{"2026-10-01", "holiday", "国庆节"},
                                     {"2026-12-25", "holiday", "测试"}};
    assert_int_equal(db_begin(x->db), DB_OK);
    assert_int_equal(calendar_replace_year(x->db, 2026, rows, 2), DB_OK);
    assert_int_equal(db_commit(x->db), DB_OK);
    json_t *items = calendar_year_json(x->db, 2026);
    assert_int_equal(json_array_size(items), 2);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(items, 0), "version")), 2);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(items, 1), "version")), 1);
    json_decref(items);
}

int main(void) {
    if (modules_init() != 0) return 1; /* permissions, settings and schema of every module */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_and_format),
        cmocka_unit_test(test_weekday_and_months),
        cmocka_unit_test_setup_teardown(test_workdays, setup, teardown),
        cmocka_unit_test_setup_teardown(test_explain, setup, teardown),
        cmocka_unit_test_setup_teardown(test_workdays_add, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv, setup, teardown),
        cmocka_unit_test_setup_teardown(test_replace_year_keeps_versions, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
