/* crypto_test.c — hashing, tokens, sealing personal data, the key file, phone masking. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "app/app.h"
#include "base/arena.h"
#include "base/crypto.h"
#include "features/org/org.h"

static void make_key(unsigned char key[CRYPTO_KEY_BYTES], unsigned char seed) {
    for (int i = 0; i < CRYPTO_KEY_BYTES; i++)
        key[i] = (unsigned char)(seed + i * 7);
}

static void test_sha256_vectors(void **state) {
    (void)state;
    char out[65];
    sha256_hex("abc", 3, out);
    assert_string_equal(out, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    sha256_hex("", 0, out);
    assert_string_equal(out, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, out);
    assert_string_equal(out, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void test_hex_encode(void **state) {
    (void)state;
    const unsigned char in[] = {0x00, 0x01, 0x7f, 0x80, 0xab, 0xff};
    char out[13];
    memset(out, 'X', sizeof out);
    hex_encode(in, sizeof in, out);
    assert_string_equal(out, "00017f80abff");
    hex_encode(in, 0, out);
    assert_string_equal(out, "");
}

static void test_random_token(void **state) {
    (void)state;
    char a[64], b[64];
    random_token(a, 32);
    random_token(b, 32);
    assert_int_equal(strlen(a), 43); /* 32 bytes in unpadded base64url */
    assert_int_equal(strspn(a, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
                     43);
    assert_string_not_equal(a, b);
    assert_true(random_u64() != random_u64() || random_u64() != random_u64());
}

static void test_seal_open_round_trip(void **state) {
    (void)state;
    struct arena *a = arena_new(0);
    unsigned char key[CRYPTO_KEY_BYTES];
    make_key(key, 1);
    const char *texts[] = {"13812345678", "", "张三 13800138000", "a\"b\\c\n"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        char *sealed = seal_text(a, key, texts[i]);
        assert_non_null(sealed);
        if (*texts[i]) assert_null(strstr(sealed, texts[i])); /* not readable in the database */
        char *plain = open_text(a, key, sealed);
        assert_non_null(plain);
        assert_string_equal(plain, texts[i]);
    }
    /* A fresh nonce each time: equal phone numbers do not give equal ciphertexts. */
    char *s1 = seal_text(a, key, "13812345678"), *s2 = seal_text(a, key, "13812345678");
    assert_string_not_equal(s1, s2);
    arena_free(a);
}

static void test_tampered_or_wrong_key_fails(void **state) {
    (void)state;
    struct arena *a = arena_new(0);
    unsigned char key[CRYPTO_KEY_BYTES], other[CRYPTO_KEY_BYTES];
    make_key(key, 1);
    make_key(other, 2);
    char *sealed = seal_text(a, key, "13812345678");
    size_t n = strlen(sealed);
    assert_null(open_text(a, other, sealed));

    /* Change one base64 character anywhere: nonce, ciphertext or tag. */
    for (size_t i = 0; i + 2 < n; i += 3) {
        char *t = arena_strdup(a, sealed);
        t[i] = t[i] == 'A' ? 'B' : 'A';
        if (open_text(a, key, t)) fail_msg("altered character %zu still opens", i);
    }
    /* Cut short, empty, not base64. */
    assert_null(open_text(a, key, arena_strndup(a, sealed, n - 4)));
    assert_null(open_text(a, key, ""));
    assert_null(open_text(a, key, "AAAA"));
    assert_null(open_text(a, key, "not base64 at all!"));
    /* The original still opens. */
    assert_string_equal(open_text(a, key, sealed), "13812345678");
    arena_free(a);
}

static void test_secret_key_file(void **state) {
    (void)state;
    char dir[] = "/tmp/fazhi-crypto-test-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[128], bad[128];
    snprintf(path, sizeof path, "%s/secret.key", dir);
    snprintf(bad, sizeof bad, "%s/short.key", dir);
    unsigned char k1[CRYPTO_KEY_BYTES], k2[CRYPTO_KEY_BYTES], zero[CRYPTO_KEY_BYTES] = {0};
    assert_int_equal(secret_key_load_or_create(path, k1), 0);
    assert_memory_not_equal(k1, zero, sizeof zero);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600); /* readable by the service only */
    assert_int_equal(st.st_size, CRYPTO_KEY_BYTES);
    /* Loading again gives the same key: sealed data stays readable after a restart. */
    assert_int_equal(secret_key_load_or_create(path, k2), 0);
    assert_memory_equal(k1, k2, sizeof k1);
    /* A damaged key file is an error, never a silently new key. */
    FILE *f = fopen(bad, "w");
    assert_non_null(f);
    fputs("short", f);
    fclose(f);
    assert_int_equal(secret_key_load_or_create(bad, k2), -1);
    unlink(path);
    unlink(bad);
    rmdir(dir);
}

static void test_pii_key(void **state) {
    (void)state;
    unsigned char key[CRYPTO_KEY_BYTES];
    make_key(key, 9);
    pii_key_set(key);
    const unsigned char *k = pii_key();
    assert_non_null(k);
    assert_memory_equal(k, key, CRYPTO_KEY_BYTES);
}

static void test_phone_mask(void **state) {
    (void)state;
    struct arena *a = arena_new(0);
    assert_string_equal(phone_mask(a, "13812345678"), "138****5678");
    assert_string_equal(phone_mask(a, ""), "");
    assert_string_equal(phone_mask(a, "010-12345678"), "010-****5678");
    assert_string_equal(phone_mask(a, "82345678"), "82****78");
    assert_string_equal(phone_mask(a, "12345"), "****5");
    /* The original is not modified. */
    char phone[] = "13912345678";
    phone_mask(a, phone);
    assert_string_equal(phone, "13912345678");
    /* A masked mobile number never shows more than 7 of its 11 digits. */
    const char *m = phone_mask(a, "+86 13812345678");
    int digits = 0;
    for (const char *p = m; *p; p++)
        digits += *p >= '0' && *p <= '9';
    assert_true(digits <= 7);
    assert_int_equal(strlen(m), strlen("+86 13812345678"));
    arena_free(a);
}

static void test_phone_valid(void **state) {
    (void)state;
    assert_true(phone_valid("13812345678"));
    assert_true(phone_valid("010-1234 5678"));
    assert_true(phone_valid("+86 (10) 12345678"));
    assert_false(phone_valid(""));
    assert_false(phone_valid("12"));
    assert_false(phone_valid("138abc45678"));
    assert_false(phone_valid("123456789012345678901")); /* 21 characters */
    assert_false(phone_valid("---"));
}

int main(void) {
    if (modules_init() != 0) return 1; /* permissions, settings and schema of every module */
    if (crypto_init() != 0) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha256_vectors),
        cmocka_unit_test(test_hex_encode),
        cmocka_unit_test(test_random_token),
        cmocka_unit_test(test_seal_open_round_trip),
        cmocka_unit_test(test_tampered_or_wrong_key_fails),
        cmocka_unit_test(test_secret_key_file),
        cmocka_unit_test(test_pii_key),
        cmocka_unit_test(test_phone_mask),
        cmocka_unit_test(test_phone_valid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
