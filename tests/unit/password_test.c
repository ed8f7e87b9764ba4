/* password_test.c — password policy (settings-driven), Argon2id hashing, generated passwords. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/app.h"
#include "auth/auth.h"
#include "base/crypto.h"
#include "store/db.h"
#include "store/settings.h"

static int setup(void **state) {
    struct db *db = NULL;
    char err[200];
    int applied = 0;
    if (db_open("sqlite::memory:", &db, err, sizeof err) != DB_OK) return -1;
    if (db_migrate(db, &applied) != DB_OK || applied < 1) return -1;
    settings_invalidate(); /* the cache is process-wide: forget the previous test's database */
    *state = db;
    return 0;
}

static int teardown(void **state) {
    db_close(*state);
    settings_invalidate();
    return 0;
}

static void set_setting(struct db *db, const char *key, const char *value) {
    assert_int_equal(db_exec(db,
                             "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, "
                             "'2026-01-01T00:00:00Z') ON CONFLICT (key) DO UPDATE SET value = "
                             "excluded.value",
                             "ss", key, value),
                     DB_OK);
    settings_invalidate();
}

/* NULL when acceptable; compares reason codes as strings. */
#define assert_policy(db, pw, user, want)                                                          \
    do {                                                                                           \
        const char *got_ = password_policy_check((db), (pw), (user));                              \
        const char *want_ = (want);                                                                \
        if (want_ == NULL && got_ != NULL) fail_msg("\"%s\": expected ok, got %s", (pw), got_);    \
        if (want_ != NULL && (got_ == NULL || strcmp(got_, want_) != 0))                           \
            fail_msg("\"%s\": expected %s, got %s", (pw), want_, got_ ? got_ : "ok");              \
    } while (0)

static void test_defaults(void **state) {
    struct db *db = *state;
    assert_int_equal(setting_int(db, "password.min_length"), 8);
    assert_int_equal(setting_int(db, "password.min_classes"), 3);
    assert_policy(db, "Abcdef1!", "clerk1", NULL);
    assert_policy(db, "Abcdefg1", "clerk1", NULL); /* three classes are enough */
    assert_policy(db, "abcdef1!", NULL, NULL);
}

static void test_too_short(void **state) {
    struct db *db = *state;
    assert_policy(db, "", NULL, "too_short");
    assert_policy(db, "Ab1!", NULL, "too_short");
    assert_policy(db, "Abcde1!", NULL, "too_short"); /* 7 */
    /* Length counts characters, not bytes: 5 characters in 9 bytes. */
    assert_policy(db, "法治Ab1", NULL, "too_short");
    assert_policy(db, "法治法治Ab1!", NULL, NULL); /* 8 characters */
}

static void test_too_few_classes(void **state) {
    struct db *db = *state;
    assert_policy(db, "abcdefgh", NULL, "classes");
    assert_policy(db, "ABCDEFGH", NULL, "classes");
    assert_policy(db, "12345678", NULL, "classes");
    assert_policy(db, "abcdefg1", NULL, "classes");
    assert_policy(db, "abcd!@#$", NULL, "classes");
    assert_policy(db, "法治法治法治法治", NULL, "classes"); /* only "other" */
    assert_policy(db, "法治法治法治a1", NULL, NULL);        /* Chinese counts as "other" */
}

static void test_same_as_username(void **state) {
    struct db *db = *state;
    assert_policy(db, "Zhang.San1", "zhang.san1", "same_as_username");
    assert_policy(db, "ZHANG.SAN1", "zhang.san1", "same_as_username");
    assert_policy(db, "Zhang.San12", "zhang.san1", NULL);
    assert_policy(db, "Zhang.San1", NULL, NULL);
}

static void test_length_limit_128_characters(void **state) {
    struct db *db = *state;
    char pw[600] = "Aa1";
    for (int i = 0; i < 125; i++)
        strcat(pw, "法"); /* 128 characters, 378 bytes */
    assert_policy(db, pw, NULL, NULL);
    strcat(pw, "法"); /* 129 */
    assert_policy(db, pw, NULL, "too_long");

    char ascii[200];
    memset(ascii, 'a', 129);
    memcpy(ascii, "A1", 2);
    ascii[129] = 0;
    assert_policy(db, ascii, NULL, "too_long");
    ascii[128] = 0;
    assert_policy(db, ascii, NULL, NULL);

    /* 128 characters, 125 of them four bytes long: still within limits. */
    char emoji[600] = "Aa1";
    for (int i = 0; i < 125; i++)
        strcat(emoji, "\xf0\x9f\x98\x80");
    assert_policy(db, emoji, NULL, NULL);
}

static void test_invalid_utf8(void **state) {
    struct db *db = *state;
    assert_policy(db, "Abcdef1\xff", NULL, "invalid_utf8");
    assert_policy(db, "Abcdef1!\xe6\xb3", NULL, "invalid_utf8"); /* cut short */
    assert_policy(db,
                  "\x80"
                  "Abcdef1!",
                  NULL, "invalid_utf8");
    assert_policy(db, "\xff", NULL, "invalid_utf8"); /* checked before length */
}

static void test_setting_change_changes_rule(void **state) {
    struct db *db = *state;
    assert_policy(db, "Abcdef1!", NULL, NULL);
    set_setting(db, "password.min_length", "12");
    assert_int_equal(setting_int(db, "password.min_length"), 12);
    assert_policy(db, "Abcdef1!", NULL, "too_short");
    assert_policy(db, "Abcdefgh1!xy", NULL, NULL);

    set_setting(db, "password.min_classes", "4");
    assert_policy(db, "Abcdefghij12", NULL, "classes");
    assert_policy(db, "Abcdefghi12!", NULL, NULL);

    set_setting(db, "password.min_classes", "1");
    assert_policy(db, "abcdefghijkl", NULL, NULL);

    /* Removing the row brings the default back. */
    assert_int_equal(db_exec(db, "DELETE FROM settings", ""), DB_OK);
    settings_invalidate();
    assert_policy(db, "abcdefghijkl", NULL, "classes");
    assert_policy(db, "Abcdef1!", NULL, NULL);
}

static void test_hash_and_verify(void **state) {
    (void)state;
    char h1[PASSWORD_HASH_MAX], h2[PASSWORD_HASH_MAX];
    assert_int_equal(password_hash("Fazhi@2026", h1), 0);
    assert_non_null(strstr(h1, "$argon2id$"));
    assert_int_equal(password_verify(h1, "Fazhi@2026"), 1);
    assert_int_equal(password_verify(h1, "fazhi@2026"), 0);
    assert_int_equal(password_verify(h1, "Fazhi@2026 "), 0);
    assert_int_equal(password_verify(h1, ""), 0);
    /* Salted: the same password hashes differently, and both verify. */
    assert_int_equal(password_hash("Fazhi@2026", h2), 0);
    assert_string_not_equal(h1, h2);
    assert_int_equal(password_verify(h2, "Fazhi@2026"), 1);
    /* Non-ASCII passwords round-trip. */
    assert_int_equal(password_hash("依法治区Ab1", h2), 0);
    assert_int_equal(password_verify(h2, "依法治区Ab1"), 1);
    assert_int_equal(password_verify(h2, "依法治区Ab2"), 0);
    /* A damaged hash never verifies. */
    assert_int_equal(password_verify("not a hash", "Fazhi@2026"), 0);
    assert_int_equal(password_verify("", ""), 0);
}

/* Unknown names verify against the dummy hash, made once however many threads ask at once; a
 * dummy never matches, not even its own password. */
static void *verify_unknown(void *arg) {
    (void)arg;
    return (void *)(intptr_t)password_verify_or_dummy(NULL, "fazhi-dummy-password");
}

static void test_dummy_hash_shared_by_threads(void **state) {
    (void)state;
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&t[i], NULL, verify_unknown, NULL), 0);
    for (int i = 0; i < 4; i++) {
        void *v;
        assert_int_equal(pthread_join(t[i], &v), 0);
        assert_int_equal((intptr_t)v, 0);
    }
    char h[PASSWORD_HASH_MAX];
    assert_int_equal(password_hash("Fazhi@2026", h), 0);
    assert_int_equal(password_verify_or_dummy(h, "Fazhi@2026"), 1);
    assert_int_equal(password_verify_or_dummy(h, "Fazhi@2027"), 0);
}

static void check_generated(struct db *db, int rounds) {
    for (int i = 0; i < rounds; i++) {
        char pw[32];
        memset(pw, 'X', sizeof pw);
        password_generate(pw, sizeof pw);
        assert_non_null(memchr(pw, 0, sizeof pw));
        assert_true(strlen(pw) >= 12);
        if (strpbrk(pw, "0O1lI")) fail_msg("look-alike character in %s", pw);
        for (const char *p = pw; *p; p++)
            if (*p <= ' ' || *p > '~') fail_msg("unprintable character in %s", pw);
        const char *why = password_policy_check(db, pw, "clerk1");
        if (why) fail_msg("generated %s fails the policy: %s", pw, why);
    }
}

static void test_generate_meets_policy(void **state) {
    struct db *db = *state;
    check_generated(db, 200);
    /* Also the strictest class rule. */
    set_setting(db, "password.min_classes", "4");
    check_generated(db, 200);
    /* And different each time. */
    char a[32], b[32];
    password_generate(a, sizeof a);
    password_generate(b, sizeof b);
    assert_string_not_equal(a, b);
}

static void test_generate_small_buffer(void **state) {
    (void)state;
    char *small = malloc(8); /* ASan catches a write past the end */
    password_generate(small, 8);
    assert_non_null(memchr(small, 0, 8));
    free(small);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void) {
    if (modules_init() != 0) return 1; /* permissions, settings and schema of every module */
    if (crypto_init() != 0) return 1;
    const struct CMUnitTest tests[] = {
        T(test_defaults),
        T(test_too_short),
        T(test_too_few_classes),
        T(test_same_as_username),
        T(test_length_limit_128_characters),
        T(test_invalid_utf8),
        T(test_setting_change_changes_rule),
        cmocka_unit_test(test_hash_and_verify),
        cmocka_unit_test(test_dummy_hash_shared_by_threads),
        T(test_generate_meets_policy),
        cmocka_unit_test(test_generate_small_buffer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
