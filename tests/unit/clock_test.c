/* clock_test.c — statutory clocks over the 2025 holiday calendar as the State Council published it
 * (国办发明电〔2024〕12号: 春节 01-28…02-04 with 01-26 and 02-08 worked, 劳动节 05-01…05-05 with
 * 04-27 worked, 端午 05-31…06-02, 国庆节 and 中秋节 10-01…10-08 with 09-28 and 10-11 worked): the
 * end rule for 日, working days across 调休, extensions, suspensions, states and the explanations.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/app.h"
#include "base/clock.h"

static struct arena *A;
static struct calendar *C;

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

static void mark_range(const char *from, const char *to, const char *kind, const char *name) {
    for (int32_t d = D(from); d <= D(to); d++)
        assert_int_equal(calendar_mark(C, A, d, kind, name), 0);
}

static int setup(void **state) {
    (void)state;
    A = arena_new(0);
    C = calendar_new(A, D("2024-12-01"), D("2026-03-01"));
    mark_range("2025-01-01", "2025-01-01", "holiday", "元旦");
    mark_range("2025-01-28", "2025-02-04", "holiday", "春节");
    mark_range("2025-01-26", "2025-01-26", "workday", "春节调休");
    mark_range("2025-02-08", "2025-02-08", "workday", "春节调休");
    mark_range("2025-04-04", "2025-04-06", "holiday", "清明节");
    mark_range("2025-05-01", "2025-05-05", "holiday", "劳动节");
    mark_range("2025-04-27", "2025-04-27", "workday", "劳动节调休");
    mark_range("2025-05-31", "2025-06-02", "holiday", "端午节");
    mark_range("2025-10-01", "2025-10-08", "holiday", "国庆节");
    mark_range("2025-09-28", "2025-09-28", "workday", "国庆节调休");
    mark_range("2025-10-11", "2025-10-11", "workday", "国庆节调休");
    return 0;
}

static int teardown(void **state) {
    (void)state;
    arena_free(A);
    return 0;
}

static struct clock_result run(const struct clock_spec *s, const char *today, int lang) {
    struct clock_result r;
    assert_int_equal(clock_compute(C, A, s, D(today), lang, &r), 0);
    return r;
}

static struct clock_spec days60(void) {
    struct clock_spec s = {
        .start_zh = "受理", .start_en = "accepted", .period = 60, .unit = CLOCK_DAYS};
    s.start = D("2025-03-03");
    return s;
}

static void test_end_rule_holiday(void **state) {
    (void)state;
    struct clock_spec s = days60();
    struct clock_result r = run(&s, "2025-03-10", 0);
    assert_date(r.due, "2025-05-06"); /* 05-02 is 劳动节; 05-03…05-05 too */
    assert_int_equal(r.state, CLOCK_RUNNING);
    assert_int_equal(r.left, (int)(D("2025-05-06") - D("2025-03-10")));
    assert_string_equal(
        r.explain, "2025-03-03 受理，60 日，末日 05-02 为法定节假日（劳动节），顺延至 2025-05-06");
    r = run(&s, "2025-03-10", 1);
    assert_string_equal(r.explain, "accepted 2025-03-03, 60 days; the last day 05-02 is a public "
                                   "holiday (Labour Day), moved to 2025-05-06");
}

static void test_end_rule_rest_day_and_makeup(void **state) {
    (void)state;
    struct clock_spec s = days60();
    s.period = 5; /* 03-08 is a Saturday */
    struct clock_result r = run(&s, "2025-03-03", 0);
    assert_date(r.due, "2025-03-10");
    assert_string_equal(r.explain, "2025-03-03 受理，5 日，末日 03-08 为休息日，顺延至 2025-03-10");
    s.period = 1; /* the start day is not counted */
    assert_date(run(&s, "2025-03-03", 0).due, "2025-03-04");
    s.start = D("2025-04-20");
    s.period = 7; /* 04-27 is a Sunday worked (调休): a working day, no move */
    r = run(&s, "2025-04-20", 0);
    assert_date(r.due, "2025-04-27");
    assert_string_equal(r.explain, "2025-04-20 受理，7 日，截止 2025-04-27");
    s.start = D("2024-12-27");
    s.period = 5; /* across the year: 2025-01-01 元旦 */
    r = run(&s, "2024-12-27", 0);
    assert_date(r.due, "2025-01-02");
    assert_string_equal(
        r.explain,
        "2024-12-27 受理，5 日，末日 2025-01-01 为法定节假日（元旦），顺延至 2025-01-02");
}

static void test_workdays_across_tiaoxiu(void **state) {
    (void)state;
    struct clock_spec s = {.start_zh = "收到", .period = 5, .unit = CLOCK_WORKDAYS};
    s.start = D("2025-09-26"); /* Fri; 09-28 Sun worked, 10-01…10-08 off */
    struct clock_result r = run(&s, "2025-09-26", 0);
    assert_date(r.due, "2025-10-10");
    assert_string_equal(r.explain, "2025-09-26 收到，5 个工作日，截止 2025-10-10");
    s.period = 10; /* 10-11 Sat worked */
    assert_date(run(&s, "2025-09-26", 0).due, "2025-10-16");
    r = run(&s, "2025-09-30", 0);
    assert_int_equal(r.left, 7); /* 10-09, 10-10, 10-11 (Sat, worked), 10-13 … 10-16 */
    s.start = D("2025-01-24");
    s.period = 3; /* 01-26 Sun worked, 01-27, then 春节 until 02-04 */
    assert_date(run(&s, "2025-01-24", 0).due, "2025-02-05");
}

static void test_extension(void **state) {
    (void)state;
    struct clock_spec s = days60();
    struct clock_extension x = {
        .period = 30, .unit = CLOCK_DAYS, .reason = "情况复杂", .approver = "王主任"};
    s.ext = &x;
    s.n_ext = 1;
    struct clock_result r = run(&s, "2025-05-10", 0);
    assert_date(r.due, "2025-06-03"); /* 90 日: 06-01 is 端午节 (05-31…06-02) */
    assert_int_equal(r.state, CLOCK_EXTENDED);
    assert_string_equal(r.explain, "2025-03-03 受理，60 日，延长 30 日（情况复杂；批准：王主任），"
                                   "末日 06-01 为法定节假日（端午节），顺延至 2025-06-03");
    r = run(&s, "2025-06-04", 0);
    assert_int_equal(r.state, CLOCK_OVERDUE);
    assert_int_equal(r.left, -1);
}

static void test_suspension(void **state) {
    (void)state;
    struct clock_spec s = days60();
    struct clock_suspension h = {.from = D("2025-04-01"), .to = D("2025-04-12"), .reason = "听证"};
    s.susp = &h;
    s.n_susp = 1;
    struct clock_result r = run(&s, "2025-04-20", 0);
    assert_date(r.due, "2025-05-14"); /* 60 + 12 days not counted */
    assert_int_equal(r.suspended_days, 12);
    assert_int_equal(r.state, CLOCK_RUNNING);
    assert_string_equal(
        r.explain, "2025-03-03 受理，60 日，听证 04-01 至 04-12（12 日不计入），截止 2025-05-14");
    r = run(&s, "2025-04-05", 0);
    assert_int_equal(r.state, CLOCK_SUSPENDED);
    /* Still open on 04-10: ten days so far, counting resumes tomorrow. */
    h.to = 0;
    r = run(&s, "2025-04-10", 0);
    assert_int_equal(r.state, CLOCK_SUSPENDED);
    assert_int_equal(r.suspended_days, 10);
    assert_date(r.due, "2025-05-12");
    assert_string_equal(r.explain,
                        "2025-03-03 受理，60 日，听证 自 04-01 起（至今 10 日，不计入），"
                        "截止 2025-05-12");
    /* A suspension after the period ended changes nothing. */
    h.from = D("2025-06-01");
    h.to = D("2025-06-10");
    r = run(&s, "2025-06-20", 0);
    assert_date(r.due, "2025-05-06");
    assert_int_equal(r.suspended_days, 0);
    assert_int_equal(r.state, CLOCK_OVERDUE);
}

static void test_states_met_and_overdue(void **state) {
    (void)state;
    struct clock_spec s = days60();
    struct clock_result r = run(&s, "2025-05-08", 0);
    assert_int_equal(r.state, CLOCK_OVERDUE);
    assert_true(r.late);
    assert_int_equal(r.left, -2);
    s.stopped_on = D("2025-04-30");
    r = run(&s, "2025-06-30", 0);
    assert_int_equal(r.state, CLOCK_MET);
    assert_false(r.late);
    assert_int_equal(r.left, 6);
    s.stopped_on = D("2025-05-07");
    r = run(&s, "2025-06-30", 0);
    assert_int_equal(r.state, CLOCK_MET);
    assert_true(r.late);
    assert_int_equal(r.left, -1);
}

static void test_bounds(void **state) {
    (void)state;
    struct clock_result r;
    struct clock_spec s = days60();
    s.period = -1;
    assert_int_equal(clock_compute(C, A, &s, D("2025-03-03"), 0, &r), -1);
    s.period = CLOCK_PERIOD_MAX + 1;
    assert_int_equal(clock_compute(C, A, &s, D("2025-03-03"), 0, &r), -1);
    s.period = 10;
    struct clock_suspension bad = {.from = D("2025-04-10"), .to = D("2025-04-01")};
    s.susp = &bad;
    s.n_susp = 1;
    assert_int_equal(clock_compute(C, A, &s, D("2025-03-03"), 0, &r), -1);
    s.n_susp = CLOCK_PARTS_MAX + 1;
    assert_int_equal(clock_compute(C, A, &s, D("2025-03-03"), 0, &r), -1);
    /* The span asks for enough calendar for a long working-day period. */
    struct clock_spec w = {.period = 100, .unit = CLOCK_WORKDAYS};
    w.start = D("2025-01-02");
    int32_t from, to;
    clock_span(&w, D("2025-01-02"), &from, &to);
    assert_true(from < w.start);
    assert_true(to >= run(&w, "2025-01-02", 0).due);
    assert_int_equal(clock_unit_parse("workdays"), CLOCK_WORKDAYS);
    assert_int_equal(clock_unit_parse("weeks"), -1);
}

int main(void) {
    if (modules_init() != 0) return 1; /* permissions, settings and schema of every module */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_end_rule_holiday),
        cmocka_unit_test(test_end_rule_rest_day_and_makeup),
        cmocka_unit_test(test_workdays_across_tiaoxiu),
        cmocka_unit_test(test_extension),
        cmocka_unit_test(test_suspension),
        cmocka_unit_test(test_states_met_and_overdue),
        cmocka_unit_test(test_bounds),
    };
    return cmocka_run_group_tests_name("clock", tests, setup, teardown);
}
