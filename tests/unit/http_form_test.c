/* http_form_test.c — body field validation (form_*), utf8_text_chars, json_text and the JSON
 * replies. Only functions that do not touch r->conn (libmicrohttpd) are exercised here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/app.h"
#include "base/utf8.h"
#include "http/http.h"

struct fixture {
    struct req r;  /* request with an arena, lang set per test */
    json_t *body;  /* owned by the fixture */
    struct form f; /* initialised on body */
};

static int setup(void **state) {
    struct fixture *x = calloc(1, sizeof(*x));
    x->r.arena = arena_new(0);
    x->body = json_object();
    form_init(&x->f, &x->r, x->body);
    *state = x;
    return 0;
}

static int teardown(void **state) {
    struct fixture *x = *state;
    arena_free(x->r.arena); /* also releases f.errors */
    json_decref(x->body);
    free(x);
    return 0;
}

static void set(struct fixture *x, const char *key, json_t *v) {
    json_object_set_new(x->body, key, v);
}

/* The error message recorded for key, or NULL. */
static const char *err(struct fixture *x, const char *key) {
    return json_string_value(json_object_get(x->f.errors, key));
}

/* ---- form_text ---- */

static void test_text_trims(void **state) {
    struct fixture *x = *state;
    set(x, "name", json_string("  \t 依法治区办公室 \r\n "));
    set(x, "inner", json_string(" a  b "));
    assert_string_equal(form_text(&x->f, "name", 1, 1, 100), "依法治区办公室");
    assert_string_equal(form_text(&x->f, "inner", 1, 1, 100), "a  b");
    assert_int_equal(json_object_size(x->f.errors), 0);
    /* The body itself is not changed. */
    assert_string_equal(json_string_value(json_object_get(x->body, "inner")), " a  b ");
}

static void test_text_length_counts_characters(void **state) {
    struct fixture *x = *state;
    set(x, "five_zh", json_string("一二三四五"));                     /* 15 bytes, 5 characters */
    set(x, "six_zh", json_string("一二三四五六"));                    /* 6 characters */
    set(x, "emoji", json_string("\xf0\x9f\x98\x80\xf0\x9f\x98\x80")); /* 2 characters */
    set(x, "six_ascii", json_string("abcdef"));
    set(x, "one_zh", json_string("一"));
    set(x, "spaces_pad", json_string("  一二三四五  ")); /* 5 after trimming */
    assert_string_equal(form_text(&x->f, "five_zh", 1, 5, 5), "一二三四五");
    assert_string_equal(form_text(&x->f, "emoji", 1, 2, 2), "\xf0\x9f\x98\x80\xf0\x9f\x98\x80");
    assert_string_equal(form_text(&x->f, "spaces_pad", 1, 1, 5), "一二三四五");
    assert_int_equal(json_object_size(x->f.errors), 0);

    assert_null(form_text(&x->f, "six_zh", 1, 1, 5));
    assert_null(form_text(&x->f, "six_ascii", 1, 1, 5));
    assert_null(form_text(&x->f, "one_zh", 1, 2, 10));
    assert_int_equal(json_object_size(x->f.errors), 3);
    assert_non_null(strstr(err(x, "six_zh"), "1–5"));
    assert_non_null(strstr(err(x, "one_zh"), "2–10"));
}

static void test_text_rejects_invalid_utf8(void **state) {
    struct fixture *x = *state;
    x->r.lang = 1;
    set(x, "bad", json_string_nocheck("ab\xff"));
    set(x, "cut", json_string_nocheck("法\xe6\xb3")); /* a character cut short */
    set(x, "cont", json_string_nocheck("\x80z"));     /* a stray continuation byte */
    assert_null(form_text(&x->f, "bad", 0, 0, 100));
    assert_null(form_text(&x->f, "cut", 0, 0, 100));
    assert_null(form_text(&x->f, "cont", 0, 0, 100));
    assert_string_equal(err(x, "bad"), "Contains invalid characters");
    assert_string_equal(err(x, "cut"), "Contains invalid characters");
    assert_string_equal(err(x, "cont"), "Contains invalid characters");
}

static void test_text_rejects_control_characters(void **state) {
    struct fixture *x = *state;
    set(x, "bell", json_string("a\x07z"));
    set(x, "esc", json_string("\x1b[31mred"));
    set(x, "nul", json_stringn("a\0b", 3));
    set(x, "tab_inside", json_string("a\tb\nc"));
    assert_null(form_text(&x->f, "bell", 1, 1, 100));
    assert_null(form_text(&x->f, "esc", 1, 1, 100));
    assert_null(form_text(&x->f, "nul", 1, 1, 100));
    assert_string_equal(err(x, "bell"), "包含非法字符");
    assert_non_null(err(x, "esc"));
    assert_non_null(err(x, "nul"));
    /* Tab and newline inside a text are fine (multi-line fields). */
    assert_string_equal(form_text(&x->f, "tab_inside", 1, 1, 100), "a\tb\nc");
    assert_null(err(x, "tab_inside"));
}

static void test_text_required_and_optional(void **state) {
    struct fixture *x = *state;
    x->r.lang = 1;
    set(x, "null_req", json_null());
    set(x, "null_opt", json_null());
    set(x, "blank_req", json_string("   "));
    set(x, "blank_opt", json_string(" \t "));
    set(x, "empty_opt_min", json_string(""));
    set(x, "number", json_integer(5));
    set(x, "array", json_array());

    assert_null(form_text(&x->f, "absent_req", 1, 1, 10));
    assert_string_equal(err(x, "absent_req"), "Required");
    assert_null(form_text(&x->f, "null_req", 1, 1, 10));
    assert_string_equal(err(x, "null_req"), "Required");
    assert_null(form_text(&x->f, "blank_req", 1, 1, 10));
    assert_string_equal(err(x, "blank_req"), "Required");

    assert_string_equal(form_text(&x->f, "absent_opt", 0, 1, 10), "");
    assert_string_equal(form_text(&x->f, "null_opt", 0, 1, 10), "");
    assert_string_equal(form_text(&x->f, "blank_opt", 0, 1, 10), "");
    /* An optional empty text is allowed even when a minimum applies to filled-in values. */
    assert_string_equal(form_text(&x->f, "empty_opt_min", 0, 3, 10), "");
    assert_null(err(x, "absent_opt"));
    assert_null(err(x, "null_opt"));
    assert_null(err(x, "blank_opt"));
    assert_null(err(x, "empty_opt_min"));

    assert_null(form_text(&x->f, "number", 0, 0, 10));
    assert_string_equal(err(x, "number"), "Must be text");
    assert_null(form_text(&x->f, "array", 1, 0, 10));
    assert_string_equal(err(x, "array"), "Must be text");
    assert_int_equal(json_object_size(x->f.errors), 5);
}

/* ---- form_int, form_bool, form_version ---- */

static void test_int_bounds_and_type(void **state) {
    struct fixture *x = *state;
    x->r.lang = 1;
    set(x, "low", json_integer(1));
    set(x, "high", json_integer(10));
    set(x, "below", json_integer(0));
    set(x, "above", json_integer(11));
    set(x, "text", json_string("5"));
    set(x, "real", json_real(5.0));
    set(x, "bool", json_true());
    set(x, "neg", json_integer(-5));

    assert_int_equal(form_int(&x->f, "low", 1, 1, 10, -1), 1);
    assert_int_equal(form_int(&x->f, "high", 1, 1, 10, -1), 10);
    assert_int_equal(form_int(&x->f, "neg", 1, -10, 10, 0), -5);
    assert_int_equal(json_object_size(x->f.errors), 0);

    assert_int_equal(form_int(&x->f, "below", 1, 1, 10, -1), -1);
    assert_string_equal(err(x, "below"), "Must be between 1 and 10");
    assert_int_equal(form_int(&x->f, "above", 1, 1, 10, -1), -1);
    assert_string_equal(err(x, "above"), "Must be between 1 and 10");
    assert_int_equal(form_int(&x->f, "text", 1, 1, 10, -1), -1);
    assert_string_equal(err(x, "text"), "Must be an integer");
    assert_int_equal(form_int(&x->f, "real", 1, 1, 10, -1), -1);
    assert_string_equal(err(x, "real"), "Must be an integer");
    assert_int_equal(form_int(&x->f, "bool", 1, 0, 10, -1), -1);
    assert_string_equal(err(x, "bool"), "Must be an integer");

    /* Absent: the default, and an error only when required. */
    assert_int_equal(form_int(&x->f, "absent_opt", 0, 1, 10, 7), 7);
    assert_null(err(x, "absent_opt"));
    assert_int_equal(form_int(&x->f, "absent_req", 1, 1, 10, 7), 7);
    assert_string_equal(err(x, "absent_req"), "Required");
}

static void test_int_extremes(void **state) {
    struct fixture *x = *state;
    set(x, "max", json_integer(INT64_MAX));
    set(x, "min", json_integer(INT64_MIN));
    assert_int_equal(form_int(&x->f, "max", 1, 1, INT64_MAX / 2, 0), 0);
    assert_non_null(err(x, "max"));
    assert_int_equal(form_int(&x->f, "min", 1, 1, INT64_MAX / 2, 0), 0);
    assert_non_null(err(x, "min"));
    /* zh message names the bounds too */
    assert_non_null(strstr(err(x, "max"), "须在 1 到"));
}

static void test_bool(void **state) {
    struct fixture *x = *state;
    x->r.lang = 1;
    set(x, "yes", json_true());
    set(x, "no", json_false());
    set(x, "null", json_null());
    set(x, "text", json_string("true"));
    set(x, "one", json_integer(1));
    assert_int_equal(form_bool(&x->f, "yes", 0), 1);
    assert_int_equal(form_bool(&x->f, "no", 1), 0);
    assert_int_equal(form_bool(&x->f, "absent", 1), 1);
    assert_int_equal(form_bool(&x->f, "absent2", 0), 0);
    assert_int_equal(form_bool(&x->f, "null", 1), 1);
    assert_int_equal(json_object_size(x->f.errors), 0);
    assert_int_equal(form_bool(&x->f, "text", 0), 0);
    assert_string_equal(err(x, "text"), "Must be true or false");
    assert_int_equal(form_bool(&x->f, "one", 0), 0);
    assert_string_equal(err(x, "one"), "Must be true or false");
}

static void test_version(void **state) {
    struct fixture *x = *state;
    assert_int_equal(form_version(&x->f), 0); /* absent */
    assert_non_null(err(x, "version"));
    json_object_clear(x->f.errors);

    set(x, "version", json_integer(3));
    assert_int_equal(form_version(&x->f), 3);
    assert_int_equal(json_object_size(x->f.errors), 0);

    set(x, "version", json_integer(0));
    assert_int_equal(form_version(&x->f), 0);
    assert_non_null(err(x, "version"));
    json_object_clear(x->f.errors);

    set(x, "version", json_string("3"));
    assert_int_equal(form_version(&x->f), 0);
    assert_non_null(err(x, "version"));
}

/* ---- collecting errors and answering ---- */

static void test_errors_collected_per_field(void **state) {
    struct fixture *x = *state;
    x->r.lang = 1;
    set(x, "name", json_string(""));
    set(x, "count", json_string("x"));
    set(x, "flag", json_integer(2));
    set(x, "code", json_string("ok"));
    form_text(&x->f, "name", 1, 1, 10);
    form_int(&x->f, "count", 1, 0, 5, 0);
    form_bool(&x->f, "flag", 0);
    form_text(&x->f, "code", 1, 1, 10);
    form_error(&x->f, "name", "第二个", "second"); /* the first message per field is kept */
    assert_int_equal(json_object_size(x->f.errors), 3);
    assert_string_equal(err(x, "name"), "Required");
    assert_null(err(x, "code"));

    assert_int_equal(form_ok_or_reply(&x->f), -1);
    assert_int_equal(x->r.status, 400);
    assert_int_equal(x->r.replied, 1);
    json_t *j = json_loads(x->r.resp, 0, NULL);
    assert_non_null(j);
    json_t *e = json_object_get(j, "error");
    assert_string_equal(json_string_value(json_object_get(e, "code")), "invalid");
    json_t *fields = json_object_get(e, "fields");
    assert_int_equal(json_object_size(fields), 3);
    assert_string_equal(json_string_value(json_object_get(fields, "name")), "Required");
    assert_string_equal(json_string_value(json_object_get(fields, "count")), "Must be an integer");
    assert_non_null(json_object_get(fields, "flag"));
    json_decref(j);
}

static void test_form_ok_when_no_errors(void **state) {
    struct fixture *x = *state;
    set(x, "name", json_string("ok"));
    assert_string_equal(form_text(&x->f, "name", 1, 1, 10), "ok");
    assert_int_equal(form_ok_or_reply(&x->f), 0);
    assert_int_equal(x->r.replied, 0);
    assert_int_equal(x->r.status, 0);
    assert_true(form_has(&x->f, "name"));
    assert_false(form_has(&x->f, "other"));
}

/* ---- utf8_text_chars and json_text ---- */

static void test_utf8_text_chars(void **state) {
    (void)state;
    assert_int_equal(utf8_text_chars(""), 0);
    assert_int_equal(utf8_text_chars("abc"), 3);
    assert_int_equal(utf8_text_chars("依法治区"), 4);
    assert_int_equal(utf8_text_chars("é"), 1);
    assert_int_equal(utf8_text_chars("\xf0\x9f\x98\x80"), 1);
    assert_int_equal(utf8_text_chars("a\tb\nc\r"), 6);
    assert_int_equal(utf8_text_chars("\xff"), -1);
    assert_int_equal(utf8_text_chars("\x80"), -1);
    assert_int_equal(utf8_text_chars("\xe6\xb3"), -1);             /* cut short at the end */
    assert_int_equal(utf8_text_chars("\xe6\xb3z"), -1);            /* cut short before ASCII */
    assert_int_equal(utf8_text_chars("\xf8\x88\x80\x80\x80"), -1); /* 5-byte form */
    assert_int_equal(utf8_text_chars("a\x01"), -1);
    assert_int_equal(utf8_text_chars("\x1f"), -1);
}

static void test_json_text(void **state) {
    (void)state;
    struct arena *a = arena_new(0);
    json_t *j = json_pack("{s:i,s:s}", "a", 1, "b", "法治");
    assert_string_equal(json_text(a, j), "{\"a\":1,\"b\":\"法治\"}");
    json_decref(j);
    j = json_string("x");
    assert_string_equal(json_text(a, j), "\"x\""); /* not only objects */
    json_decref(j);
    assert_string_equal(json_text(a, NULL), "null");
    arena_free(a);
}

/* ---- replies ---- */

static json_t *resp_json(struct req *r) {
    json_t *j = json_loadb(r->resp, r->resp_len, 0, NULL);
    assert_non_null(j);
    return j;
}

static void test_reply_json(void **state) {
    struct fixture *x = *state;
    reply_json(&x->r, 201, json_pack("{s:i}", "id", 7)); /* stolen: LeakSanitizer checks */
    assert_int_equal(x->r.status, 201);
    assert_int_equal(x->r.replied, 1);
    assert_non_null(strstr(x->r.content_type, "application/json"));
    assert_int_equal(x->r.resp_len, strlen(x->r.resp));
    assert_string_equal(x->r.resp, "{\"id\":7}");

    reply_ok(&x->r);
    assert_int_equal(x->r.status, 200);
    assert_string_equal(x->r.resp, "{\"ok\":true}");
}

static void test_reply_error_language(void **state) {
    struct fixture *x = *state;
    x->r.lang = 0;
    reply_error(&x->r, ERR_NOT_FOUND, NULL);
    assert_int_equal(x->r.status, 404);
    json_t *j = resp_json(&x->r);
    json_t *e = json_object_get(j, "error");
    assert_string_equal(json_string_value(json_object_get(e, "code")), "not_found");
    assert_string_equal(json_string_value(json_object_get(e, "message")), "记录不存在或无权查看");
    assert_true(json_is_object(json_object_get(e, "fields")));
    assert_int_equal(json_object_size(json_object_get(e, "fields")), 0);
    json_decref(j);

    x->r.lang = 1;
    reply_error(&x->r, ERR_NOT_FOUND, NULL);
    j = resp_json(&x->r);
    e = json_object_get(j, "error");
    assert_string_equal(json_string_value(json_object_get(e, "code")), "not_found");
    assert_string_equal(json_string_value(json_object_get(e, "message")),
                        "Not found, or not visible to you");
    json_decref(j);

    reply_error_msg(&x->r, ERR_CONFLICT, "重复", "Duplicate");
    assert_int_equal(x->r.status, 409);
    j = resp_json(&x->r);
    e = json_object_get(j, "error");
    assert_string_equal(json_string_value(json_object_get(e, "code")), "conflict");
    assert_string_equal(json_string_value(json_object_get(e, "message")), "Duplicate");
    json_decref(j);

    x->r.lang = 0;
    reply_error_msg(&x->r, ERR_CONFLICT, "重复", "Duplicate");
    j = resp_json(&x->r);
    e = json_object_get(j, "error");
    assert_string_equal(json_string_value(json_object_get(e, "message")), "重复");
    json_decref(j);

    assert_string_equal(tr(&x->r, "中", "en"), "中");
    x->r.lang = 1;
    assert_string_equal(tr(&x->r, "中", "en"), "en");
}

static void test_reply_error_with_fields(void **state) {
    struct fixture *x = *state;
    reply_error(&x->r, ERR_INVALID, json_pack("{s:s}", "name", "必填"));
    assert_int_equal(x->r.status, 400);
    json_t *j = resp_json(&x->r);
    json_t *f = json_object_get(json_object_get(j, "error"), "fields");
    assert_string_equal(json_string_value(json_object_get(f, "name")), "必填");
    json_decref(j);
}

/* Every error code answers with a 4xx/5xx status, a code and a message in both languages. */
static void test_every_error_code_replies(void **state) {
    struct fixture *x = *state;
    const char *seen[ERR_COUNT] = {0};
    for (int lang = 0; lang < 2; lang++) {
        x->r.lang = lang;
        for (int c = 0; c < ERR_COUNT; c++) {
            x->r.status = 0;
            reply_error(&x->r, (enum err)c, NULL);
            assert_in_range(x->r.status, 400, 599);
            json_t *j = resp_json(&x->r);
            json_t *e = json_object_get(j, "error");
            const char *code = json_string_value(json_object_get(e, "code"));
            const char *msg = json_string_value(json_object_get(e, "message"));
            if (!code || !*code || !msg || !*msg) fail_msg("error %d lacks a code or message", c);
            if (lang == 0) {
                seen[c] = arena_strdup(x->r.arena, code);
                for (int k = 0; k < c; k++)
                    assert_string_not_equal(seen[k], code);
                assert_true(utf8_text_chars(msg) > 0);
            }
            json_decref(j);
        }
    }
    x->r.lang = 0;
    reply_error(&x->r, ERR_METHOD_NOT_ALLOWED, NULL);
    assert_int_equal(x->r.status, 405);
    reply_error(&x->r, ERR_UNAUTHENTICATED, NULL);
    assert_int_equal(x->r.status, 401);
    reply_error(&x->r, ERR_FORBIDDEN, NULL);
    assert_int_equal(x->r.status, 403);
    reply_error(&x->r, ERR_STALE_VERSION, NULL);
    assert_int_equal(x->r.status, 409);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void) {
    if (modules_init() != 0) return 1; /* permissions, settings and schema of every module */
    const struct CMUnitTest tests[] = {
        T(test_text_trims),
        T(test_text_length_counts_characters),
        T(test_text_rejects_invalid_utf8),
        T(test_text_rejects_control_characters),
        T(test_text_required_and_optional),
        T(test_int_bounds_and_type),
        T(test_int_extremes),
        T(test_bool),
        T(test_version),
        T(test_errors_collected_per_field),
        T(test_form_ok_when_no_errors),
        cmocka_unit_test(test_utf8_text_chars),
        cmocka_unit_test(test_json_text),
        T(test_reply_json),
        T(test_reply_error_language),
        T(test_reply_error_with_fields),
        T(test_every_error_code_replies),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
