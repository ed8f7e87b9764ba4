/* json_test.c — base/json.h writes exactly what json_dumps(JSON_COMPACT | JSON_ENCODE_ANY)
 * writes: on hand-made edge cases and on many random values (every byte value in strings,
 * nesting, integers and reals of every size). */
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/arena.h"
#include "base/json.h"

static void same(json_t *j) {
    struct arena *a = arena_new(4096);
    size_t len = 0;
    char *mine = json_text_arena(a, j, &len);
    char *theirs = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
    assert_non_null(mine);
    assert_non_null(theirs);
    assert_string_equal(mine, theirs);
    assert_int_equal(len, strlen(theirs));
    free(theirs);
    arena_free(a);
    json_decref(j);
}

static void test_edge_cases(void **state) {
    (void)state;
    same(json_stringn("a\x01\x1f\x7f\"\\/\b\f\n\r\t\v\0z", 16));
    same(json_string("督办 — “引号” 😀 \xe2\x80\xa8"));
    same(json_pack("[f,f,f,f,f,f,f,f,f]", 1.0, 0.1, 1e20, 123456789.125, -0.0, 1e-7, 3.5e300,
                   DBL_MIN, -DBL_MAX));
    same(json_pack("{s:{},s:[],s:n,s:b,s:b,s:I,s:I,s:i}", "a", "b", "c", "d", 1, "e", 0, "f",
                   (json_int_t)INT64_MIN, "g", (json_int_t)INT64_MAX, "h", 0));
    same(json_pack("{s:s,s:[s,s,{s:i}]}", "名称", "区司法局", "a\"b", "x", "y", "z\n", 7));
    same(json_integer(-1));
    same(json_true());
    same(json_null());
    same(json_object());
    same(json_array());
    json_t *o = json_object(); /* insertion order, not sorted */
    json_object_set_new(o, "zeta", json_integer(1));
    json_object_set_new(o, "alpha", json_integer(2));
    json_object_set_new(o, "mid", json_integer(3));
    json_object_del(o, "alpha");
    json_object_set_new(o, "alpha", json_integer(4));
    same(o);
    json_t *k = json_object(); /* a key with a NUL and a quote */
    json_object_setn_new(k, "a\0\"b", 4, json_string("v"));
    same(k);
}

static uint64_t rnd = 88172645463325252ull;
static uint64_t next(void) {
    rnd ^= rnd << 13;
    rnd ^= rnd >> 7;
    rnd ^= rnd << 17;
    return rnd;
}

static json_t *random_string(void) {
    static const char *const pieces[] = {"督", "办", "😀", "é", "\xe2\x80\xa8", "\"", "\\", "/"};
    char s[64];
    size_t n = 0, want = next() % 20;
    while (n < want && n < sizeof s - 8) {
        uint64_t r = next() % 10;
        if (r < 3) {
            const char *p = pieces[next() % 8];
            memcpy(s + n, p, strlen(p));
            n += strlen(p);
        } else if (r < 5) {
            s[n++] = (char)(next() % 0x20); /* a control character, NUL included */
        } else {
            s[n++] = (char)(0x20 + next() % 0x5f);
        }
    }
    return json_stringn(s, n);
}

static json_t *random_value(int depth) {
    uint64_t r = next() % (depth > 4 ? 6 : 8);
    switch (r) {
    case 0:
        return random_string();
    case 1:
        return json_integer((json_int_t)next() >> (next() % 64));
    case 2: {
        double d = (double)(int64_t)next() / (double)(1 + next() % 1000000);
        if (next() % 3 == 0) d = ldexp(d, (int)(next() % 1200) - 600);
        return json_real(isfinite(d) ? d : 1.5);
    }
    case 3:
        return json_boolean(next() % 2);
    case 4:
        return json_null();
    case 5:
        return json_real((double)(next() % 1000));
    case 6: {
        json_t *a = json_array();
        for (uint64_t i = 0, n = next() % 6; i < n; i++)
            json_array_append_new(a, random_value(depth + 1));
        return a;
    }
    default: {
        json_t *o = json_object();
        for (uint64_t i = 0, n = next() % 6; i < n; i++) {
            json_t *key = random_string();
            json_object_setn_new(o, json_string_value(key), json_string_length(key),
                                 random_value(depth + 1));
            json_decref(key);
        }
        return o;
    }
    }
}

static void test_random_values(void **state) {
    (void)state;
    for (int i = 0; i < 20000; i++)
        same(random_value(0));
}

/* json_utf8_valid agrees with jansson's own check (json_stringn answers NULL for bad UTF-8). */
static void test_utf8_like_jansson(void **state) {
    (void)state;
    for (int i = 0; i < 200000; i++) {
        unsigned char s[6];
        size_t n = 1 + next() % 5;
        for (size_t k = 0; k < n; k++) {
            uint64_t r = next();
            s[k] = (unsigned char)(r % 4 == 0 ? 0x80 + (r >> 8) % 0x40 : r >> 16);
        }
        json_t *j = json_stringn((const char *)s, n);
        if ((j != NULL) != json_utf8_valid((const char *)s, n))
            fail_msg("bytes %02x %02x %02x %02x %02x (%zu): jansson %d", s[0], s[1], s[2], s[3],
                     s[4], n, j != NULL);
        json_decref(j);
    }
}

static void test_too_deep(void **state) {
    (void)state;
    json_t *j = json_array(), *cur = j;
    for (int i = 0; i < JSON_TEXT_DEPTH + 5; i++) {
        json_t *n = json_array();
        json_array_append_new(cur, n);
        cur = n;
    }
    struct arena *a = arena_new(4096);
    assert_null(json_text_arena(a, j, NULL));
    arena_free(a);
    json_decref(j);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_edge_cases),
        cmocka_unit_test(test_random_values),
        cmocka_unit_test(test_utf8_like_jansson),
        cmocka_unit_test(test_too_deep),
    };
    return cmocka_run_group_tests_name("json", tests, NULL, NULL);
}
