/* linediff_test.c — the line diff of two drafts: rows for known texts, changes paired beside
 * each other, line numbers, line endings, the shortest script where it matters, and the bounds
 * (a huge or hostile input answers an approximate diff in bounded work, never hangs). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/arena.h"
#include "base/linediff.h"

/* The rows as one string: per row its op letter (= - + ~), numbers and texts. */
static char *render(struct arena *a, const struct diff_result *d) {
    size_t cap = 64;
    for (int32_t i = 0; i < d->n_rows; i++)
        cap += d->rows[i].left.len + d->rows[i].right.len + 32;
    char *s = arena_alloc(a, cap), *p = s;
    static const char op[] = {'=', '-', '+', '~'};
    for (int32_t i = 0; i < d->n_rows; i++) {
        const struct diff_row *r = &d->rows[i];
        p += sprintf(p, "%c%d:%.*s|%d:%.*s\n", op[r->op], r->left_no, (int)r->left.len,
                     r->left.s ? r->left.s : "", r->right_no, (int)r->right.len,
                     r->right.s ? r->right.s : "");
    }
    return s;
}

static char *diff(struct arena *a, const char *l, const char *r, struct diff_result *d) {
    assert_int_equal(diff_lines(a, l, strlen(l), r, strlen(r), NULL, d), 0);
    return render(a, d);
}

static void test_same_texts_and_empty(void **state) {
    (void)state;
    struct arena *a = arena_new(0);
    struct diff_result d;
    assert_string_equal(diff(a, "a\nb\n", "a\nb", &d), "=1:a|1:a\n=2:b|2:b\n");
    assert_int_equal(d.added + d.removed + d.changed, 0);
    assert_string_equal(diff(a, "", "", &d), "");
    assert_int_equal(d.n_rows, 0);
    assert_string_equal(diff(a, "", "x\ny\n", &d), "+0:|1:x\n+0:|2:y\n");
    assert_int_equal(d.added, 2);
    assert_string_equal(diff(a, "x\r\ny\r\n", "", &d), "-1:x|0:\n-2:y|0:\n");
    assert_int_equal(d.removed, 2);
    /* a \r before \n is not part of the line: Windows and Unix endings compare equal */
    assert_string_equal(diff(a, "x\r\ny", "x\ny\n", &d), "=1:x|1:x\n=2:y|2:y\n");
    /* empty lines are lines */
    assert_string_equal(diff(a, "a\n\nb", "a\nb", &d), "=1:a|1:a\n-2:|0:\n=3:b|2:b\n");
    arena_free(a);
}

static void test_known_drafts(void **state) {
    (void)state;
    struct arena *a = arena_new(0);
    struct diff_result d;
    const char *v1 = "第一条 为了规范管理，制定本办法。\n"
                     "第二条 本办法适用于本区。\n"
                     "第三条 区司法局负责实施。\n"
                     "第四条 本办法自发布之日起施行。\n";
    const char *v2 = "第一条 为了规范管理，制定本办法。\n"
                     "第二条 本办法适用于本区行政区域。\n"
                     "第三条 区司法局负责实施。\n"
                     "第三条之一 各街道配合实施。\n"
                     "第四条 本办法自发布之日起施行。\n";
    assert_string_equal(diff(a, v1, v2, &d),
                        "=1:第一条 为了规范管理，制定本办法。|1:第一条 为了规范管理，制定本办法。\n"
                        "~2:第二条 本办法适用于本区。|2:第二条 本办法适用于本区行政区域。\n"
                        "=3:第三条 区司法局负责实施。|3:第三条 区司法局负责实施。\n"
                        "+0:|4:第三条之一 各街道配合实施。\n"
                        "=4:第四条 本办法自发布之日起施行。|5:第四条 本办法自发布之日起施行。\n");
    assert_int_equal(d.changed, 1);
    assert_int_equal(d.added, 1);
    assert_int_equal(d.removed, 0);
    assert_false(d.approximate);
    /* two removed beside one added: one change, one removed */
    assert_string_equal(diff(a, "a\nb\nc\nd", "a\nX\nd", &d),
                        "=1:a|1:a\n~2:b|2:X\n-3:c|0:\n=4:d|3:d\n");
    /* alike lines pair across an added one: 维持 → 撤销 beside each other, the new line added */
    assert_string_equal(
        diff(a, "甲\n乙\n本机关决定：维持。", "甲\n乙改\n依据第六十四条，\n本机关决定：撤销。", &d),
        "=1:甲|1:甲\n~2:乙|2:乙改\n+0:|3:依据第六十四条，\n"
        "~3:本机关决定：维持。|4:本机关决定：撤销。\n");
    assert_int_equal(d.changed, 2);
    assert_int_equal(d.added, 1);
    /* the other way round: the same pairs, the line removed */
    assert_string_equal(diff(a, "x\n本机关决定：撤销。\nA", "本机关决定：维持。\nB", &d),
                        "-1:x|0:\n~2:本机关决定：撤销。|1:本机关决定：维持。\n~3:A|2:B\n");
    /* removed at the start, added at the end */
    assert_string_equal(diff(a, "h\na\nb", "a\nb\nt", &d),
                        "-1:h|0:\n=2:a|1:a\n=3:b|2:b\n+0:|3:t\n");
    arena_free(a);
}

/* Myers finds the shortest script: "abcabba" → "cbabac" takes 5 edits (the paper's example). */
static void test_shortest_script(void **state) {
    (void)state;
    struct arena *a = arena_new(0);
    struct diff_result d;
    diff(a, "a\nb\nc\na\nb\nb\na", "c\nb\na\nb\na\nc", &d);
    int32_t same = 0;
    for (int32_t i = 0; i < d.n_rows; i++)
        same += d.rows[i].op == DIFF_SAME;
    assert_int_equal(same, 4); /* the longest common subsequence has 4 lines */
    assert_int_equal(7 - same + 6 - same, 5);
    /* every line of each side appears once, in order */
    int32_t ln = 0, rn = 0;
    for (int32_t i = 0; i < d.n_rows; i++) {
        if (d.rows[i].left_no) assert_int_equal(d.rows[i].left_no, ++ln);
        if (d.rows[i].right_no) assert_int_equal(d.rows[i].right_no, ++rn);
    }
    assert_int_equal(ln, 7);
    assert_int_equal(rn, 6);
    arena_free(a);
}

/* Random edits of a random text: the rows rebuild both sides exactly, the counts agree. */
static void test_rows_rebuild_both_sides(void **state) {
    (void)state;
    srand(12);
    for (int round = 0; round < 200; round++) {
        struct arena *a = arena_new(0);
        char l[4096], r[4096];
        size_t ll = 0, rl = 0;
        int nl = rand() % 40, nr = rand() % 40;
        for (int i = 0; i < nl; i++)
            ll += (size_t)sprintf(l + ll, "%d\n", rand() % 6);
        for (int i = 0; i < nr; i++)
            rl += (size_t)sprintf(r + rl, "%d\n", rand() % 6);
        struct diff_result d;
        assert_int_equal(diff_lines(a, l, ll, r, rl, NULL, &d), 0);
        char L[4096], R[4096];
        size_t lo = 0, ro = 0;
        int32_t add = 0, del = 0, chg = 0;
        for (int32_t i = 0; i < d.n_rows; i++) {
            const struct diff_row *x = &d.rows[i];
            if (x->left_no) lo += (size_t)sprintf(L + lo, "%.*s\n", (int)x->left.len, x->left.s);
            if (x->right_no) ro += (size_t)sprintf(R + ro, "%.*s\n", (int)x->right.len, x->right.s);
            add += x->op == DIFF_ADD;
            del += x->op == DIFF_DEL;
            chg += x->op == DIFF_CHANGE;
            if (x->op == DIFF_SAME)
                assert_true(x->left.len == x->right.len &&
                            !memcmp(x->left.s, x->right.s, x->left.len));
        }
        assert_int_equal(lo, ll);
        assert_memory_equal(L, l, ll);
        assert_int_equal(ro, rl);
        assert_memory_equal(R, r, rl);
        assert_int_equal(add, d.added);
        assert_int_equal(del, d.removed);
        assert_int_equal(chg, d.changed);
        assert_false(d.approximate);
        arena_free(a);
    }
}

/* Two texts with nothing in common, 20,000 lines each: Myers would need 40,000 edits; the bound
 * stops it and the answer is all removed beside all added — quickly, in bounded memory. */
static void test_bounds(void **state) {
    (void)state;
    enum { N = 20000 };
    char *l = malloc(N * 8), *r = malloc(N * 8);
    size_t ll = 0, rl = 0;
    for (int i = 0; i < N; i++) {
        ll += (size_t)sprintf(l + ll, "a%d\n", i);
        rl += (size_t)sprintf(r + rl, "b%d\n", i);
    }
    struct arena *a = arena_new(0);
    struct diff_result d;
    assert_int_equal(diff_lines(a, l, ll, r, rl, NULL, &d), 0);
    assert_true(d.approximate);
    assert_int_equal(d.changed, N);
    assert_int_equal(d.n_rows, N);
    assert_true(arena_used(a) < (size_t)64 << 20);
    arena_free(a);
    /* a tight work bound on a small edit far from the ends still answers a true diff */
    a = arena_new(0);
    struct diff_limits tight = {.max_edits = 4, .max_work = 1000000};
    const char *tl = "x\na\nb\nc\ny", *tr = "x\nA\nB\nC\nD\nE\ny";
    assert_int_equal(diff_lines(a, tl, strlen(tl), tr, strlen(tr), &tight, &d), 0);
    assert_true(d.approximate);
    assert_int_equal(d.changed, 3);
    assert_int_equal(d.added, 2);
    arena_free(a);
    /* a budget too small for the lines: -1, nothing half done */
    a = arena_new(0);
    arena_set_budget(a, 4096);
    assert_int_equal(diff_lines(a, l, ll, r, rl, NULL, &d), -1);
    assert_true(arena_exhausted(a));
    arena_free(a);
    free(l);
    free(r);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_texts_and_empty),
        cmocka_unit_test(test_known_drafts),
        cmocka_unit_test(test_shortest_script),
        cmocka_unit_test(test_rows_rebuild_both_sides),
        cmocka_unit_test(test_bounds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
