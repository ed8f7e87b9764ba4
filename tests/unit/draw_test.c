/* draw_test.c — the pure random draw of 双随机 (features/draw/draw_algo.c): the canonical form
 * reads back to itself, the worked example of docs/draw.md, the refusal of an object with too
 * few eligible inspectors, and 10,000 draws with different seeds that respect recusal every time
 * and select uniformly (chi-squared at the 1% level, objects per grade and inspectors among the
 * eligible of each object). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/arena.h"
#include "features/draw/draw_algo.h"

#define WORKED_COMMITMENT "3176f5c00f904d88595c9c540af9ef73fd5197a15ec9fe8c022f0728e7b6592b"
#define WORKED_RESULT     "4\t2,5\n5\t6,7\n8\t4,1\n11\t8,5\n"

/* 12 objects (A 5, B 4, C 2, D 1) in units 1–4 or none, 8 inspectors (two outside the tree),
 * conflicts: inspector 3 with unit 2, inspector 5 with object 7, inspector 8 with unit 4. */
static struct draw_object objects[] = {
    {1, 'A', 1, "区市场监管局"}, {2, 'A', 2, "甲公司"},  {3, 'A', 0, "乙公司"},
    {4, 'A', 3, "丙公司"},       {5, 'A', 4, "丁公司"},  {6, 'B', 1, "戊公司"},
    {7, 'B', 2, "己公司"},       {8, 'B', 3, "庚公司"},  {9, 'B', 0, "辛公司"},
    {10, 'C', 4, "壬公司"},      {11, 'C', 1, "癸公司"}, {12, 'D', 2, "子公司"},
};
static struct draw_inspector inspectors[] = {
    {1, 1, "张一"}, {2, 1, "李二"}, {3, 3, "王三"}, {4, 2, "赵四"},
    {5, 4, "钱五"}, {6, 0, "孙六"}, {7, 0, "周七"}, {8, 3, "吴八"},
};
static struct draw_conflict conflicts[] = {{3, 0, 2}, {5, 1, 7}, {8, 0, 4}};

static struct draw_input fixture(void) {
    struct draw_input in = {
        .source_kind = "witness",
        .source = "公证员现场报数",
        .per_object = 2,
        .ratio = {40, 25, 50, -1},
        .count = {2, 1, 1, 0},
        .objects = objects,
        .n_objects = 12,
        .inspectors = inspectors,
        .n_inspectors = 8,
        .conflicts = conflicts,
        .n_conflicts = 3,
    };
    return in;
}

/* The test's own statement of recusal, written apart from draw_eligible. */
static int allowed(const struct draw_object *o, const struct draw_inspector *p) {
    if (o->unit_id && o->unit_id == p->unit_id) return 0;
    for (size_t k = 0; k < sizeof conflicts / sizeof *conflicts; k++) {
        const struct draw_conflict *c = &conflicts[k];
        if (c->inspector_id != p->id) continue;
        if (c->object && c->id == o->id) return 0;
        if (!c->object && o->unit_id && c->id == o->unit_id) return 0;
    }
    return 1;
}

static const struct draw_object *object_by_id(int64_t id) {
    for (size_t i = 0; i < sizeof objects / sizeof *objects; i++)
        if (objects[i].id == id) return &objects[i];
    return NULL;
}

static void test_canonical_round_trip(void **state) {
    (void)state;
    struct arena *a = arena_new(1 << 16);
    struct draw_input in = fixture();
    size_t len;
    char *text = draw_canonical(a, &in, &len);
    struct draw_input back;
    assert_int_equal(draw_parse(a, text, &back), 0);
    assert_int_equal(back.n_objects, 12);
    assert_int_equal(back.n_inspectors, 8);
    assert_int_equal(back.n_conflicts, 3);
    assert_string_equal(draw_canonical(a, &back, NULL), text);
    /* out of order, a count above the grade's candidates, a wrong version: not canonical */
    char *bad = arena_strdup(a, text);
    *strstr(bad, "sample\tD\t-\t0") = 0;
    assert_int_equal(draw_parse(a, bad, &back), -1);
    char *twice = arena_printf(a, "%sobject\t1\tA\t1\tx\n", text);
    assert_int_equal(draw_parse(a, twice, &back), -1);
    in.count[3] = 2;
    assert_int_equal(draw_parse(a, draw_canonical(a, &in, NULL), &back), -1);
    assert_int_equal(draw_parse(a, "fazhi-draw/2\n", &back), -1);
    /* a conflict declared twice (and out of order) is one line after draw_normalise */
    struct draw_conflict twice_declared[] = {{8, 0, 4}, {3, 0, 2}, {5, 1, 7}, {3, 0, 2}};
    struct draw_input dup = fixture();
    dup.conflicts = twice_declared;
    dup.n_conflicts = 4;
    dup.source = arena_strdup(a, dup.source);
    struct draw_object objs[12];
    struct draw_inspector ins[8];
    memcpy(objs, objects, sizeof objs);
    memcpy(ins, inspectors, sizeof ins);
    for (int i = 0; i < 12; i++)
        objs[i].name = arena_strdup(a, objs[i].name);
    for (int i = 0; i < 8; i++)
        ins[i].name = arena_strdup(a, ins[i].name);
    dup.objects = objs;
    dup.inspectors = ins;
    draw_normalise(&dup);
    assert_int_equal(dup.n_conflicts, 3);
    in.count[3] = 0;
    assert_string_equal(draw_canonical(a, &dup, NULL), draw_canonical(a, &in, NULL));
    arena_free(a);
}

/* docs/draw.md's worked example: the same commitment, seed and result as there (and as
 * tools/draw-verify.py prints for it). */
static void test_worked_example(void **state) {
    (void)state;
    struct arena *a = arena_new(1 << 16);
    struct draw_input in = fixture();
    size_t len;
    char *text = draw_canonical(a, &in, &len);
    char commitment[65];
    draw_commitment(text, len, commitment);
    unsigned char seed[32];
    assert_int_equal(draw_seed(commitment, "38271", seed), 0);
    struct draw_pick *picks;
    int n;
    assert_int_equal(draw_run(a, &in, seed, &picks, &n), 0);
    assert_int_equal(n, 4);
    char *result = draw_result_text(a, picks, n, 2);
    printf("commitment %s\n%s", commitment, result);
    assert_string_equal(commitment, WORKED_COMMITMENT);
    assert_string_equal(result, WORKED_RESULT);
    arena_free(a);
}

static void test_too_few_eligible(void **state) {
    (void)state;
    struct arena *a = arena_new(1 << 16);
    struct draw_input in = fixture();
    in.per_object = 7; /* object 1 (unit 1): inspectors 1 and 2 are its own: 6 eligible */
    int have = -1;
    int i = draw_short_object(&in, &have);
    assert_int_equal(i, 0);
    assert_int_equal(have, 6);
    unsigned char seed[32] = {0};
    struct draw_pick *picks;
    int n;
    assert_int_equal(draw_run(a, &in, seed, &picks, &n), -1);
    in.per_object = 6;
    assert_int_equal(draw_short_object(&in, &have), 6); /* object 7: own unit 4 and conflict 5 */
    in.per_object = 5;
    assert_int_equal(draw_short_object(&in, &have), -1);
    arena_free(a);
}

/* ---- chi-squared ---- */

/* Regularised lower incomplete gamma P(s, x) (series; continued fraction above s + 1). */
static double gamma_p(double s, double x) {
    if (x <= 0) return 0;
    if (x < s + 1) {
        double term = 1 / s, sum = term;
        for (int n = 1; n < 1000; n++) {
            term *= x / (s + n);
            sum += term;
            if (term < sum * 1e-15) break;
        }
        return sum * exp(-x + s * log(x) - lgamma(s));
    }
    double b = x + 1 - s, c = 1e300, d = 1 / b, h = d; /* Lentz */
    for (int i = 1; i < 1000; i++) {
        double an = -i * (i - s);
        b += 2;
        d = an * d + b;
        if (fabs(d) < 1e-300) d = 1e-300;
        c = b + an / c;
        if (fabs(c) < 1e-300) c = 1e-300;
        d = 1 / d;
        double del = d * c;
        h *= del;
        if (fabs(del - 1) < 1e-15) break;
    }
    return 1 - exp(-x + s * log(x) - lgamma(s)) * h;
}

/* The χ² value exceeded with probability alpha for df degrees of freedom (bisection). */
static double chi2_critical(int df, double alpha) {
    double lo = 0, hi = 10.0 * df + 100;
    for (int i = 0; i < 200; i++) {
        double mid = (lo + hi) / 2;
        if (1 - gamma_p(df / 2.0, mid / 2) > alpha)
            lo = mid;
        else
            hi = mid;
    }
    return (lo + hi) / 2;
}

static void test_chi2_critical_values(void **state) {
    (void)state; /* against the published table */
    assert_true(fabs(chi2_critical(1, 0.01) - 6.635) < 0.001);
    assert_true(fabs(chi2_critical(4, 0.01) - 13.277) < 0.001);
    assert_true(fabs(chi2_critical(10, 0.01) - 23.209) < 0.001);
    assert_true(fabs(chi2_critical(30, 0.01) - 50.892) < 0.001);
}

/* k of m drawn without replacement N times: each count has variance N p (1-p) and the counts
 * covariance −N p (k−1)/(m−1) + N p², so Σ (O−E)²/E follows (m−k)/(m−1) · χ²(m−1); the scaled
 * sum is χ² with m−1 degrees of freedom (k = 1 is the ordinary multinomial test). */
static double chi2_scaled(const int *obs, int m, int k, double trials) {
    double e = trials * k / m, s = 0;
    for (int i = 0; i < m; i++)
        s += (obs[i] - e) * (obs[i] - e) / e;
    return s * (m - 1) / (m - k);
}

#define DRAWS 10000

static void test_ten_thousand_draws(void **state) {
    (void)state;
    struct arena *a = arena_new(1 << 20);
    struct draw_input in = fixture();
    size_t len;
    char *text = draw_canonical(a, &in, &len);
    char commitment[65];
    draw_commitment(text, len, commitment);
    int object_hits[13] = {0}, times_drawn[13] = {0}, pair_hits[13][9];
    memset(pair_hits, 0, sizeof pair_hits);
    for (int d = 0; d < DRAWS; d++) {
        unsigned char seed[32];
        char value[16];
        snprintf(value, sizeof value, "%d", d);
        assert_int_equal(draw_seed(commitment, value, seed), 0);
        struct arena *da = arena_new(4096);
        struct draw_pick *picks;
        int n;
        assert_int_equal(draw_run(da, &in, seed, &picks, &n), 0);
        assert_int_equal(n, 4);
        for (int p = 0; p < n; p++) {
            const struct draw_object *o = object_by_id(picks[p].object);
            assert_non_null(o);
            for (int q = 0; q < p; q++)
                assert_true(picks[q].object != o->id); /* without replacement */
            object_hits[o->id]++;
            times_drawn[o->id]++;
            for (int i = 0; i < 2; i++) {
                int64_t id = picks[p].inspectors[i];
                assert_true(id >= 1 && id <= 8);
                assert_true(allowed(o, &inspectors[id - 1])); /* recusal, every time */
                if (i) assert_true(picks[p].inspectors[0] != id);
                pair_hits[o->id][id]++;
            }
        }
        arena_free(da);
    }
    /* objects: per grade where something is drawn and not everything */
    double chi = 0;
    int df = 0;
    for (int g = 0; g < 4; g++) {
        int obs[12], m = 0;
        for (int i = 0; i < 12; i++)
            if (objects[i].risk == DRAW_GRADES[g]) obs[m++] = object_hits[objects[i].id];
        if (!in.count[g] || in.count[g] >= m) continue;
        chi += chi2_scaled(obs, m, in.count[g], DRAWS);
        df += m - 1;
    }
    printf("objects: chi2 %.3f, df %d, critical %.3f\n", chi, df, chi2_critical(df, 0.01));
    assert_int_equal(df, 4 + 3 + 1);
    assert_true(chi < chi2_critical(df, 0.01));
    /* inspectors: for each object, among its eligible ones */
    chi = 0;
    df = 0;
    for (int i = 0; i < 12; i++) {
        const struct draw_object *o = &objects[i];
        if (!times_drawn[o->id]) continue;
        int obs[8], m = 0;
        for (int p = 0; p < 8; p++) {
            if (allowed(o, &inspectors[p]))
                obs[m++] = pair_hits[o->id][p + 1];
            else
                assert_int_equal(pair_hits[o->id][p + 1], 0);
        }
        chi += chi2_scaled(obs, m, 2, times_drawn[o->id]);
        df += m - 1;
    }
    printf("inspectors: chi2 %.3f, df %d, critical %.3f\n", chi, df, chi2_critical(df, 0.01));
    assert_true(df > 40);
    assert_true(chi < chi2_critical(df, 0.01));
    arena_free(a);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_canonical_round_trip), cmocka_unit_test(test_worked_example),
        cmocka_unit_test(test_too_few_eligible),     cmocka_unit_test(test_chi2_critical_values),
        cmocka_unit_test(test_ten_thousand_draws),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
