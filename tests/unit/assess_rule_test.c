/* assess_rule_test.c — the scoring rules of 年度考核 (features/assess/assess_rule.c) against hand
 * computations in hundredths: a linear curve (96.5 % on 80 → 0, 100 → 100 of 5 分: 82.5 % ×
 * 5 = 4.125 → 4.13), steps up and down, a deduction over its cap, a bonus over its cap (with a
 * metric and by the assessor), a veto, manual points, na=full and na=zero, the rate's rounding,
 * the numbers' text, and the parameter reader's refusals with their words. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "base/arena.h"
#include "features/assess/assess_rule.h"

static struct arena *A;

static struct assess_rule rule(enum assess_rule_type t, const char *params, int64_t weight) {
    struct assess_rule r;
    char zh[200], en[200];
    int rc = assess_rule_parse(t, params, weight, &r, zh, en, sizeof zh);
    if (rc) fail_msg("%s: %s", params, zh);
    return r;
}

static struct assess_outcome eval(const struct assess_rule *r, int64_t weight,
                                  struct assess_input in) {
    struct assess_outcome o;
    in.label_zh = in.label_zh ? in.label_zh : "指标";
    in.label_en = in.label_en ? in.label_en : "metric";
    assess_rule_eval(r, weight, &in, &o, A);
    assert_non_null(o.zh);
    assert_non_null(o.en);
    return o;
}

/* a rate's input from num/den */
static struct assess_input rate(int64_t num, int64_t den) {
    return (struct assess_input){.metric = 1,
                                 .rate = 1,
                                 .num = num,
                                 .den = den,
                                 .value = assess_rate_value(num, den),
                                 .has_value = den > 0};
}
static struct assess_input count(int64_t n) {
    return (struct assess_input){.metric = 1, .num = n, .value = n * 100, .has_value = 1};
}

static void test_rate_value(void **state) {
    (void)state;
    assert_int_equal(assess_rate_value(193, 200), 9650); /* 96.5 % */
    assert_int_equal(assess_rate_value(2, 3), 6667);     /* 66.666… → 66.67 % */
    assert_int_equal(assess_rate_value(1, 3), 3333);     /* 33.333… → 33.33 % */
    assert_int_equal(assess_rate_value(1, 8), 1250);     /* 12.5 % exactly */
    assert_int_equal(assess_rate_value(1, 80000), 0);    /* 0.00125 % → 0 */
    assert_int_equal(assess_rate_value(1, 40000), 0);    /* 0.0025 % → 0 */
    assert_int_equal(assess_rate_value(1, 20000), 1);    /* 0.005 % → 0.01 (half up) */
    assert_int_equal(assess_rate_value(5, 0), 0);
    assert_string_equal(assess_hundredths(A, 1250), "12.5");
    assert_string_equal(assess_hundredths(A, -300), "-3");
    assert_string_equal(assess_hundredths(A, 5), "0.05");
    assert_string_equal(assess_hundredths(A, 413), "4.13");
    assert_string_equal(assess_hundredths(A, 0), "0");
    assert_string_equal(assess_hundredths(A, -5), "-0.05");
}

/* linear 80:0 100:100 on 5 分 (500) */
static void test_linear(void **state) {
    (void)state;
    struct assess_rule r = rule(AR_RATIO, "linear 80:0 100:100", 500);
    assert_int_equal(r.curve, AC_LINEAR);
    assert_int_equal(r.n, 2);
    /* 90 %: halfway → 50 % × 5 = 2.5 */
    assert_int_equal(eval(&r, 500, rate(9, 10)).points, 250);
    /* 96.5 %: (96.5 − 80) / 20 = 82.5 % × 5 = 4.125 → 4.13 (half away from zero) */
    struct assess_outcome o = eval(&r, 500, rate(193, 200));
    assert_int_equal(o.points, 413);
    assert_non_null(strstr(o.zh, "96.5%（193/200）") ? o.zh : strstr(o.zh, "96.5% (193/200)"));
    assert_non_null(strstr(o.zh, "82.5% × 5 = 4.13 分"));
    /* at or below 80 %: 0; at or above 100 %: the weight */
    assert_int_equal(eval(&r, 500, rate(8, 10)).points, 0);
    assert_int_equal(eval(&r, 500, rate(1, 10)).points, 0);
    assert_int_equal(eval(&r, 500, rate(10, 10)).points, 500);
    /* three points, a decimal and a %: linear 60:0 80%:60 100:100 on 2.5 分; 70 % → 30 % → 0.75 */
    struct assess_rule r3 = rule(AR_RATIO, "linear 60:0 80%:60 100:100", 250);
    assert_int_equal(r3.n, 3);
    assert_int_equal(eval(&r3, 250, rate(7, 10)).points, 75);
    /* 90 %: 60 + (90 − 80) × 40 / 20 = 80 % × 2.5 = 2 */
    assert_int_equal(eval(&r3, 250, rate(9, 10)).points, 200);
    /* an average (案卷评查 score 75 of 60 → 0, 90 → 100) on 2 分: 50 % → 1 */
    struct assess_rule ra = rule(AR_RATIO, "linear 60:0 90:100", 200);
    struct assess_input avg = {.metric = 1, .value = 7500, .has_value = 1};
    assert_int_equal(eval(&ra, 200, avg).points, 100);
}

/* step 80:50 90:80 95:100 on 2 分; stepdown 0:100 5:60 10:0 on 1.5 分 (败诉率) */
static void test_steps(void **state) {
    (void)state;
    struct assess_rule up = rule(AR_RATIO, "step 80:50 90:80 95:100", 200);
    assert_int_equal(up.curve, AC_STEP);
    assert_int_equal(eval(&up, 200, rate(79, 100)).points, 0);   /* below the first */
    assert_int_equal(eval(&up, 200, rate(80, 100)).points, 100); /* at least 80 → 50 % */
    assert_int_equal(eval(&up, 200, rate(8999, 10000)).points, 100);
    assert_int_equal(eval(&up, 200, rate(90, 100)).points, 160); /* 80 % × 2 = 1.6 */
    assert_int_equal(eval(&up, 200, rate(949, 1000)).points, 160);
    assert_int_equal(eval(&up, 200, rate(95, 100)).points, 200);
    assert_int_equal(eval(&up, 200, rate(1, 1)).points, 200);
    struct assess_rule down = rule(AR_RATIO, "stepdown 0:100 5:60 10:0", 150);
    assert_int_equal(down.curve, AC_STEPDOWN);
    assert_int_equal(eval(&down, 150, rate(0, 20)).points, 150); /* no loss: full */
    assert_int_equal(eval(&down, 150, rate(1, 20)).points, 90);  /* 5 % → 60 % × 1.5 = 0.9 */
    assert_int_equal(eval(&down, 150, rate(1, 30)).points, 90);  /* 3.33 % → 60 % */
    assert_int_equal(eval(&down, 150, rate(2, 25)).points, 0);   /* 8 % → 0 % */
    assert_int_equal(eval(&down, 150, rate(3, 10)).points, 0);   /* above the last: 0 */
}

/* threshold min=/max=, and what a unit without records gets (na=full default, na=zero) */
static void test_threshold_na(void **state) {
    (void)state;
    struct assess_rule min = rule(AR_THRESHOLD, "min=100", 200);
    assert_int_equal(eval(&min, 200, rate(20, 20)).points, 200);
    assert_int_equal(eval(&min, 200, rate(19, 20)).points, 0);
    struct assess_outcome na = eval(&min, 200, rate(0, 0)); /* no denominator: 不涉及 */
    assert_int_equal(na.points, 200);
    assert_non_null(strstr(na.zh, "不涉及"));
    struct assess_rule zero = rule(AR_THRESHOLD, "min=95 na=zero", 200);
    assert_int_equal(zero.na_zero, 1);
    assert_int_equal(eval(&zero, 200, rate(0, 0)).points, 0);
    assert_int_equal(eval(&zero, 200, rate(19, 20)).points, 200); /* 95 % ≥ 95 */
    struct assess_rule max = rule(AR_THRESHOLD, "max=0", 100);
    assert_int_equal(eval(&max, 100, count(0)).points, 100);
    assert_int_equal(eval(&max, 100, count(1)).points, 0);
    struct assess_rule rz = rule(AR_RATIO, "linear 80:0 100:100 na=zero", 300);
    assert_int_equal(eval(&rz, 300, rate(0, 0)).points, 0);
    struct assess_rule rf = rule(AR_RATIO, "linear 80:0 100:100 na=full", 300);
    assert_int_equal(eval(&rf, 300, rate(0, 0)).points, 300);
}

/* −2 per 复议 decision revoked, at most −5, on 5 分; over the cap */
static void test_deduct(void **state) {
    (void)state;
    struct assess_rule r = rule(AR_DEDUCT, "per=2 cap=5", 500);
    assert_int_equal(r.per, 200);
    assert_int_equal(r.cap, 500);
    assert_int_equal(eval(&r, 500, count(0)).points, 500);
    assert_int_equal(eval(&r, 500, count(1)).points, 300);
    assert_int_equal(eval(&r, 500, count(2)).points, 100);
    struct assess_outcome o = eval(&r, 500, count(3)); /* −6 capped at −5 */
    assert_int_equal(o.points, 0);
    assert_non_null(strstr(o.zh, "封顶 −5"));
    assert_int_equal(eval(&r, 500, count(40)).points, 0);
    /* −2 per event, at most −10, on 12 分: 7 events → −14 capped −10 → 2 */
    struct assess_rule big = rule(AR_DEDUCT, "per=2 cap=10", 1200);
    assert_int_equal(eval(&big, 1200, count(7)).points, 200);
    assert_int_equal(eval(&big, 1200, count(4)).points, 400);
    /* no cap: the weight; per 0.25 on 0.5 */
    struct assess_rule small = rule(AR_DEDUCT, "per=0.25", 50);
    assert_int_equal(small.cap, 50);
    assert_int_equal(eval(&small, 50, count(1)).points, 25);
    assert_int_equal(eval(&small, 50, count(3)).points, 0);
}

/* 示范创建: +1 per award, at most +2; the assessor's points over the cap */
static void test_bonus(void **state) {
    (void)state;
    struct assess_rule r = rule(AR_BONUS, "per=1 cap=2", 0);
    assert_int_equal(eval(&r, 0, count(1)).points, 100);
    assert_int_equal(eval(&r, 0, count(2)).points, 200);
    assert_int_equal(eval(&r, 0, count(5)).points, 200); /* over the cap */
    assert_int_equal(eval(&r, 0, count(0)).points, 0);
    struct assess_rule m = rule(AR_BONUS, "cap=2", 0);
    struct assess_input given = {.has_manual = 1, .manual = 150};
    assert_int_equal(eval(&m, 0, given).points, 150);
    given.manual = 300;
    struct assess_outcome o = eval(&m, 0, given);
    assert_int_equal(o.points, 200);
    assert_non_null(strstr(o.zh, "按上限计 2 分"));
    given.manual = -100;
    assert_int_equal(eval(&m, 0, given).points, 0);
    struct assess_input none = {0};
    assert_int_equal(eval(&m, 0, none).points, 0);
}

static void test_veto_manual(void **state) {
    (void)state;
    struct assess_rule v = rule(AR_VETO, "", 0);
    assert_int_equal(eval(&v, 0, count(1)).veto, 1);
    assert_int_equal(eval(&v, 0, count(0)).veto, 0);
    struct assess_input decided = {.has_manual = 1, .manual = 1};
    assert_int_equal(eval(&v, 0, decided).veto, 1);
    struct assess_input none = {0};
    struct assess_outcome o = eval(&v, 0, none);
    assert_int_equal(o.veto, 0);
    assert_int_equal(o.points, 0);
    struct assess_rule m = rule(AR_MANUAL, NULL, 150);
    struct assess_outcome p = eval(&m, 150, none);
    assert_int_equal(p.pending, 1);
    assert_int_equal(p.points, 0);
    struct assess_input got = {.has_manual = 1, .manual = 125};
    assert_int_equal(eval(&m, 150, got).points, 125);
    got.manual = 200; /* above the weight: the weight */
    assert_int_equal(eval(&m, 150, got).points, 150);
}

static void refused(enum assess_rule_type t, const char *params, int64_t weight, const char *zh) {
    struct assess_rule r;
    char z[200], e[200];
    assert_int_equal(assess_rule_parse(t, params, weight, &r, z, e, sizeof z), -1);
    if (!strstr(z, zh)) fail_msg("%s: \"%s\" does not say \"%s\"", params, z, zh);
    assert_true(e[0] != 0);
}

static void test_parse_refusals(void **state) {
    (void)state;
    refused(AR_RATIO, "", 500, "比率计分须给出曲线");
    refused(AR_RATIO, "linear 80:0", 500, "线性至少两个点");
    refused(AR_RATIO, "curve 80:0 100:100", 500, "linear、step 或 stepdown");
    refused(AR_RATIO, "linear 100:100 80:0", 500, "从小到大");
    refused(AR_RATIO, "linear 80:0 100:101", 500, "比例 0–100");
    refused(AR_RATIO, "linear 80.555:0 100:100", 500, "比例 0–100");
    refused(AR_RATIO, "linear 80:0 100:100 per=2", 500, "不认识的项");
    refused(AR_RATIO, "linear 0:0 1:1 2:2 3:3 4:4 5:5 6:6 7:7 8:8 9:9 10:10", 500, "最多 10 个点");
    refused(AR_RATIO, "linear 80:0 100:100 na=maybe", 500, "na 须为");
    refused(AR_THRESHOLD, "", 200, "min=");
    refused(AR_THRESHOLD, "min=abc", 200, "最多两位小数");
    refused(AR_DEDUCT, "cap=2", 500, "per=");
    refused(AR_DEDUCT, "per=2 cap=10", 500, "扣分封顶不能超过该项分值");
    refused(AR_DEDUCT, "per=0", 500, "须大于 0");
    refused(AR_DEDUCT, "per=2", 0, "分值须大于 0");
    refused(AR_BONUS, "per=1", 0, "cap=");
    refused(AR_BONUS, "cap=2", 100, "分值须为 0");
    refused(AR_VETO, "", 100, "分值须为 0");
    refused(AR_MANUAL, "", 0, "分值须大于 0");
    refused(AR_MANUAL, "foo", 100, "无法识别");
    refused(AR_N, "", 100, "类型无效");
    char long_params[ASSESS_PARAMS_MAX + 2];
    memset(long_params, ' ', sizeof long_params - 1);
    long_params[sizeof long_params - 1] = 0;
    refused(AR_MANUAL, long_params, 100, "过长");
    /* separators: spaces, commas, semicolons */
    struct assess_rule r = rule(AR_DEDUCT, "per=0.5;cap=1", 100);
    assert_int_equal(r.per, 50);
    assert_int_equal(r.cap, 100);
    r = rule(AR_RATIO, "step 90:60, 100:100", 200);
    assert_int_equal(r.n, 2);
    assert_int_equal(assess_rule_type_of("deduct"), AR_DEDUCT);
    assert_int_equal(assess_rule_type_of("nope"), -1);
    assert_int_equal(assess_rule_type_of(NULL), -1);
    assert_int_equal(assess_rule_metric_use(AR_RATIO), 1);
    assert_int_equal(assess_rule_metric_use(AR_BONUS), 2);
    assert_int_equal(assess_rule_metric_use(AR_MANUAL), 0);
}

static int setup(void **state) {
    (void)state;
    A = arena_new(0);
    return A ? 0 : -1;
}
static int teardown(void **state) {
    (void)state;
    arena_free(A);
    return 0;
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rate_value),  cmocka_unit_test(test_linear),
        cmocka_unit_test(test_steps),       cmocka_unit_test(test_threshold_na),
        cmocka_unit_test(test_deduct),      cmocka_unit_test(test_bonus),
        cmocka_unit_test(test_veto_manual), cmocka_unit_test(test_parse_refusals),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
