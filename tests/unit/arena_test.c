/* arena_test.c — the region allocator and the growable buffer built on it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "app/app.h"
#include "base/arena.h"
#include "base/buf.h"

/* ---- arena ---- */

#define MANY 2000 /* allocations in the block-boundary test */

static int all_bytes(const unsigned char *p, size_t n, unsigned char v) {
    for (size_t i = 0; i < n; i++)
        if (p[i] != v) return 0;
    return 1;
}

static void test_many_allocations_stay_valid_and_zeroed(void **state) {
    (void)state;
    struct arena *a = arena_new(64); /* tiny first block: forces many new blocks */
    static unsigned char *ptr[MANY];
    static size_t len[MANY];
    for (int i = 0; i < MANY; i++) {
        len[i] = (size_t)(i * 37 % 301) + 1; /* 1..301 bytes, crossing block ends */
        ptr[i] = arena_alloc(a, len[i]);
        assert_non_null(ptr[i]);
        assert_true(all_bytes(ptr[i], len[i], 0));
        assert_int_equal((uintptr_t)ptr[i] % 16, 0);
        memset(ptr[i], (unsigned char)(i % 251 + 1), len[i]);
    }
    /* Later allocations never overwrite earlier ones. */
    for (int i = 0; i < MANY; i++)
        assert_true(all_bytes(ptr[i], len[i], (unsigned char)(i % 251 + 1)));
    assert_true(arena_used(a) >= (size_t)MANY);
    arena_free(a);
}

static void test_alignment_is_16_for_every_size(void **state) {
    (void)state;
    struct arena *a = arena_new(100); /* odd first block size */
    for (size_t n = 0; n < 200; n++) {
        void *p = arena_alloc(a, n);
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % 16, 0);
    }
    arena_free(a);
}

static void test_large_allocations(void **state) {
    (void)state;
    struct arena *a = arena_new(0); /* default first block */
    unsigned char *small = arena_alloc(a, 10);
    memset(small, 0x5a, 10);
    size_t big_n = 3u << 20; /* bigger than any block the arena would grow to */
    unsigned char *big = arena_alloc(a, big_n);
    assert_non_null(big);
    assert_int_equal((uintptr_t)big % 16, 0);
    assert_true(all_bytes(big, big_n, 0));
    memset(big, 0xa5, big_n);
    unsigned char *after = arena_alloc(a, 100);
    assert_true(all_bytes(after, 100, 0));
    memset(after, 0x11, 100);
    /* Nothing overlaps. */
    assert_true(all_bytes(small, 10, 0x5a));
    assert_true(all_bytes(big, big_n, 0xa5));
    assert_true(all_bytes(after, 100, 0x11));
    assert_true(arena_used(a) >= big_n + 110);
    arena_free(a);
}

static void test_strdup_and_strndup(void **state) {
    (void)state;
    struct arena *a = arena_new(32);
    const char *src = "全面依法治区 rule of law";
    char *d = arena_strdup(a, src);
    assert_string_equal(d, src);
    assert_ptr_not_equal(d, src);
    assert_null(arena_strdup(a, NULL));
    assert_null(arena_strndup(a, NULL, 3));
    assert_string_equal(arena_strndup(a, "abcdef", 3), "abc");
    assert_string_equal(arena_strndup(a, "", 0), "");
    /* A long string crosses the 32-byte first block. */
    char longs[5000];
    memset(longs, 'x', sizeof longs - 1);
    longs[sizeof longs - 1] = 0;
    char *l = arena_strdup(a, longs);
    assert_int_equal(strlen(l), sizeof longs - 1);
    assert_string_equal(l, longs);
    arena_free(a);
}

static void test_printf(void **state) {
    (void)state;
    struct arena *a = arena_new(16);
    assert_string_equal(arena_printf(a, "%d-%s-%lld", 42, "法治", (long long)-7), "42-法治--7");
    assert_string_equal(arena_printf(a, "%s", ""), "");
    char longs[3000];
    memset(longs, 'y', sizeof longs - 1);
    longs[sizeof longs - 1] = 0;
    char *p = arena_printf(a, "<%s>", longs);
    assert_int_equal(strlen(p), sizeof longs + 1);
    assert_int_equal(p[0], '<');
    assert_int_equal(p[sizeof longs], '>');
    assert_int_equal(p[1500], 'y');
    arena_free(a);
}

/* Cleanups record the order they ran in. */
static int cleanup_order[8];
static int cleanup_count;

static void record_cleanup(void *arg) {
    if (cleanup_count < 8) cleanup_order[cleanup_count++] = (int)(intptr_t)arg;
}

static void test_cleanups_run_lifo_on_free(void **state) {
    (void)state;
    cleanup_count = 0;
    struct arena *a = arena_new(64);
    arena_on_free(a, record_cleanup, (void *)(intptr_t)1);
    for (int i = 0; i < 100; i++)
        arena_alloc(a, 100); /* new blocks between the hooks */
    arena_on_free(a, record_cleanup, (void *)(intptr_t)2);
    arena_on_free(a, record_cleanup, (void *)(intptr_t)3);
    assert_int_equal(cleanup_count, 0); /* nothing runs before the arena is freed */
    arena_free(a);
    assert_int_equal(cleanup_count, 3);
    assert_int_equal(cleanup_order[0], 3);
    assert_int_equal(cleanup_order[1], 2);
    assert_int_equal(cleanup_order[2], 1);
}

static void test_free_null_is_harmless(void **state) {
    (void)state;
    arena_free(NULL);
}

/* ---- buf ---- */

static void test_buf_grows_and_stays_terminated(void **state) {
    (void)state;
    struct arena *a = arena_new(64);
    struct buf b;
    buf_init(&b, a, 4);
    assert_int_equal(b.len, 0);
    assert_string_equal(b.data, "");
    for (int i = 0; i < 1000; i++)
        buf_add(&b, "abc", 3);
    assert_int_equal(b.len, 3000);
    assert_true(b.cap > b.len);
    assert_int_equal(b.data[b.len], 0);
    for (size_t i = 0; i < b.len; i += 3)
        assert_memory_equal(b.data + i, "abc", 3);
    buf_puts(&b, "法治");
    buf_printf(&b, "[%05d]", 42);
    assert_int_equal(b.len, 3000 + strlen("法治") + 7);
    assert_string_equal(b.data + 3000, "法治[00042]");
    arena_free(a);
}

static void test_buf_printf_grows(void **state) {
    (void)state;
    struct arena *a = arena_new(64);
    struct buf b;
    buf_init(&b, a, 1);
    char longs[2000];
    memset(longs, 'z', sizeof longs - 1);
    longs[sizeof longs - 1] = 0;
    buf_printf(&b, "%s|%s", longs, longs);
    assert_int_equal(b.len, 2 * (sizeof longs - 1) + 1);
    assert_int_equal(b.data[sizeof longs - 1], '|');
    assert_int_equal(b.data[b.len], 0);
    buf_printf(&b, "%s", ""); /* empty output changes nothing */
    assert_int_equal(b.len, 2 * (sizeof longs - 1) + 1);
    arena_free(a);
}

static const char *csv(struct arena *a, const char *field) {
    struct buf b;
    buf_init(&b, a, 8);
    buf_csv_field(&b, field);
    return b.data;
}

static void test_csv_field_quoting(void **state) {
    (void)state;
    struct arena *a = arena_new(0);
    assert_string_equal(csv(a, "abc"), "\"abc\"");
    assert_string_equal(csv(a, ""), "\"\"");
    assert_string_equal(csv(a, NULL), "\"\"");
    assert_string_equal(csv(a, "say \"hi\""), "\"say \"\"hi\"\"\"");
    assert_string_equal(csv(a, "\""), "\"\"\"\"");
    /* Separators and line breaks stay inside the quotes. */
    assert_string_equal(csv(a, "a,b\r\nc"), "\"a,b\r\nc\"");
    assert_string_equal(csv(a, "依法治区,办公室"), "\"依法治区,办公室\"");
    arena_free(a);
}

static void test_csv_field_neutralises_formulas(void **state) {
    (void)state;
    struct arena *a = arena_new(0);
    assert_string_equal(csv(a, "=SUM(A1:A9)"), "\"'=SUM(A1:A9)\"");
    assert_string_equal(csv(a, "+1+1"), "\"'+1+1\"");
    assert_string_equal(csv(a, "-2+3"), "\"'-2+3\"");
    assert_string_equal(csv(a, "@cmd"), "\"'@cmd\"");
    assert_string_equal(csv(a, "=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
    /* Only a leading character starts a formula. */
    assert_string_equal(csv(a, "a=b"), "\"a=b\"");
    assert_string_equal(csv(a, "x-1"), "\"x-1\"");
    arena_free(a);
}

static void test_csv_row(void **state) {
    (void)state;
    struct arena *a = arena_new(0);
    struct buf b;
    buf_init(&b, a, 0);
    buf_csv_field(&b, "1");
    buf_add(&b, ",", 1);
    buf_csv_field(&b, "=1");
    buf_add(&b, ",", 1);
    buf_csv_field(&b, "a\"b");
    assert_string_equal(b.data, "\"1\",\"'=1\",\"a\"\"b\"");
    arena_free(a);
}

/* ---- budget ---- */

static void test_budget_marks_but_never_fails_arena_alloc(void **state) {
    (void)state;
    struct arena *a = arena_new(1024);
    arena_set_budget(a, 64 * 1024);
    assert_int_equal(arena_budget(a), 64 * 1024);
    for (int i = 0; i < 30; i++)
        arena_alloc(a, 1000);
    assert_false(arena_exhausted(a));
    /* Past the budget: the memory is still there, zeroed and writable, and the arena says so. */
    unsigned char *p = arena_alloc(a, 100 * 1024);
    assert_non_null(p);
    assert_true(all_bytes(p, 100 * 1024, 0));
    memset(p, 7, 100 * 1024);
    assert_true(arena_exhausted(a));
    assert_true(arena_memory(a) > 64 * 1024);
    arena_free(a);
}

static void test_try_alloc_refuses_past_the_budget(void **state) {
    (void)state;
    struct arena *a = arena_new(1024);
    arena_set_budget(a, 64 * 1024);
    assert_non_null(arena_try_alloc(a, 500)); /* in the first block */
    assert_non_null(arena_try_alloc(a, 32 * 1024));
    assert_false(arena_exhausted(a));
    assert_null(arena_try_alloc(a, 40 * 1024));
    assert_true(arena_exhausted(a));
    assert_true(arena_memory(a) <= 64 * 1024);
    /* An absurd size is refused, never wrapped around. */
    assert_null(arena_try_alloc(a, SIZE_MAX - 3));
    /* Without a budget there is no limit but malloc's. */
    struct arena *b = arena_new(0);
    assert_non_null(arena_try_alloc(b, 4u << 20));
    assert_false(arena_exhausted(b));
    assert_null(arena_try_alloc(b, SIZE_MAX - 3));
    arena_free(b);
    arena_free(a);
}

static void test_fits(void **state) {
    (void)state;
    struct arena *a = arena_new(1024);
    assert_true(arena_fits(a, SIZE_MAX / 2)); /* no budget */
    arena_set_budget(a, 10000);
    assert_true(arena_fits(a, 8000));
    assert_false(arena_exhausted(a));
    assert_false(arena_fits(a, 9000));
    assert_true(arena_exhausted(a));
    arena_free(a);
}

/* Counted allocations (jansson's, in the server) are charged to the thread's current arena. */
static void test_counted_allocations_are_charged_to_the_current_arena(void **state) {
    (void)state;
    struct arena *a = arena_new(1024);
    arena_set_budget(a, 256 * 1024);
    void *before = arena_counted_malloc(100); /* no current arena: plain malloc */
    assert_non_null(before);
    arena_set_current(a);
    assert_ptr_equal(arena_current(), a);
    size_t base = arena_memory(a);
    void *p = arena_counted_malloc(100 * 1024);
    assert_non_null(p);
    assert_true(arena_memory(a) >= base + 100 * 1024);
    arena_counted_free(p);
    assert_int_equal(arena_memory(a), base); /* freed: credited */
    /* Past the budget: served and marked, unless the arena refuses. */
    void *q = arena_counted_malloc(300 * 1024);
    assert_non_null(q);
    assert_true(arena_exhausted(a));
    arena_counted_free(q);
    struct arena *b = arena_new(1024);
    arena_set_budget(b, 256 * 1024);
    arena_set_current(b);
    assert_int_equal(arena_refuse_over_budget(b, 1), 0);
    void *keep = arena_counted_malloc(200 * 1024);
    assert_non_null(keep);
    assert_null(arena_counted_malloc(100 * 1024));
    assert_true(arena_exhausted(b));
    assert_int_equal(arena_refuse_over_budget(b, 0), 1);
    arena_counted_free(keep);
    arena_counted_free(before); /* made outside: credits whoever is current, never below 0 */
    assert_true(arena_memory(b) >= 1024);
    arena_free(b);
    assert_null(arena_current()); /* freeing the current arena clears it */
    arena_set_current(NULL);
    arena_free(a);
}

int main(void) {
    if (modules_init() != 0) return 1; /* permissions, settings and schema of every module */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_many_allocations_stay_valid_and_zeroed),
        cmocka_unit_test(test_alignment_is_16_for_every_size),
        cmocka_unit_test(test_large_allocations),
        cmocka_unit_test(test_strdup_and_strndup),
        cmocka_unit_test(test_printf),
        cmocka_unit_test(test_cleanups_run_lifo_on_free),
        cmocka_unit_test(test_free_null_is_harmless),
        cmocka_unit_test(test_buf_grows_and_stays_terminated),
        cmocka_unit_test(test_buf_printf_grows),
        cmocka_unit_test(test_csv_field_quoting),
        cmocka_unit_test(test_csv_field_neutralises_formulas),
        cmocka_unit_test(test_csv_row),
        cmocka_unit_test(test_budget_marks_but_never_fails_arena_alloc),
        cmocka_unit_test(test_try_alloc_refuses_past_the_budget),
        cmocka_unit_test(test_fits),
        cmocka_unit_test(test_counted_allocations_are_charged_to_the_current_arena),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
