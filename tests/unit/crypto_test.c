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
#include "base/pii.h"
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

/* Personal data typed into free text (a public comment) is masked wherever it stands. */
static void test_mask_text(void **state) {
    (void)state;
    struct arena *a = arena_new(0);
    assert_string_equal(pii_mask_text(a, "电话13812345678，谢谢"), "电话138****5678，谢谢");
    assert_string_equal(pii_mask_text(a, "身份证110101199003071234。"),
                        "身份证110101********1234。");
    assert_string_equal(pii_mask_text(a, "id 11010119900307123X end"), "id 110101********123X end");
    assert_string_equal(pii_mask_text(a, "写信至 zhang.san@example.com."),
                        "写信至 z********@example.com.");
    assert_string_equal(pii_mask_text(a, "座机 0571-88123456"), "座机 0571-88****56");
    assert_string_equal(pii_mask_text(a, "第30条、2026年、@所有人"), "第30条、2026年、@所有人");
    assert_string_equal(pii_mask_text(a, ""), "");
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

/* Sealing with key ids and associated data: a value opens only in its own row and column; the
 * legacy form (no prefix) opens with key 1; rotation keeps old values readable. */
static void test_keyring_seal(void **state) {
    (void)state;
    struct arena *a = arena_new(0);
    unsigned char k1[CRYPTO_KEY_BYTES], k2[CRYPTO_KEY_BYTES];
    make_key(k1, 1);
    make_key(k2, 2);
    pii_keys_clear();
    assert_null(pii_seal(a, "t:1:c", "x")); /* no key, no seal */
    pii_key_put(1, k1);
    const char *ad = pii_ad(a, "case_parties", 7, "id_enc");
    assert_string_equal(ad, "case_parties:7:id_enc");
    char *s1 = pii_seal(a, ad, "110101199003071234");
    assert_int_equal(strncmp(s1, "k1:", 3), 0);
    assert_int_equal(pii_sealed_key(s1), 1);
    assert_null(strstr(s1, "110101199003071234"));
    assert_string_equal(pii_open(a, ad, s1), "110101199003071234");
    /* moved to another row or column: does not open */
    assert_null(pii_open(a, pii_ad(a, "case_parties", 8, "id_enc"), s1));
    assert_null(pii_open(a, pii_ad(a, "case_parties", 7, "name_enc"), s1));
    assert_null(pii_open(a, NULL, s1));
    /* the legacy form: key 1, no associated data */
    char *old = seal_text(a, k1, "13812345678");
    assert_int_equal(pii_sealed_key(old), 0);
    assert_string_equal(pii_open(a, "people:3:phone_enc", old), "13812345678");
    assert_int_equal(pii_sealed_key(""), -1);
    /* rotation: key 2 current, key 1 values still open */
    pii_key_put(2, k2);
    assert_int_equal(pii_key_current(), 2);
    char *s2 = pii_seal(a, ad, "张三");
    assert_int_equal(pii_sealed_key(s2), 2);
    assert_string_equal(pii_open(a, ad, s2), "张三");
    assert_string_equal(pii_open(a, ad, s1), "110101199003071234");
    /* a ring without key 2 cannot open it */
    pii_keys_clear();
    pii_key_put(1, k1);
    assert_null(pii_open(a, ad, s2));
    /* tampering with the key id fails */
    char *t = arena_strdup(a, s1);
    t[1] = '2';
    assert_null(pii_open(a, ad, t));
    arena_free(a);
}

/* The blind index: the same for the same value, keyed (another key 1 gives another index),
 * unchanged by rotation. */
static void test_blind_index(void **state) {
    (void)state;
    unsigned char k1[CRYPTO_KEY_BYTES], k2[CRYPTO_KEY_BYTES];
    make_key(k1, 1);
    make_key(k2, 2);
    char a[65], b[65], c[65], d[65];
    pii_keys_clear();
    assert_int_equal(pii_blind_index("x", a), -1);
    pii_key_put(1, k1);
    assert_int_equal(pii_blind_index("110101199003071234", a), 0);
    assert_int_equal(strlen(a), 64);
    pii_blind_index("110101199003071235", b);
    assert_string_not_equal(a, b);
    pii_key_put(2, k2); /* rotation */
    pii_blind_index("110101199003071234", c);
    assert_string_equal(a, c);
    pii_keys_clear();
    pii_key_put(1, k2);
    pii_blind_index("110101199003071234", d);
    assert_string_not_equal(a, d);
    pii_keys_clear();
}

/* Key files: key 1 is the file given, rotation writes <file>.2 (0600) and makes it current;
 * loading again finds both. */
static void test_key_rotation_files(void **state) {
    (void)state;
    char dir[] = "/tmp/fazhi-keys-test-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[128], p2[140];
    snprintf(path, sizeof path, "%s/secret.key", dir);
    snprintf(p2, sizeof p2, "%s.2", path);
    assert_int_equal(pii_keys_load(path), 0);
    assert_int_equal(pii_key_current(), 1);
    struct arena *a = arena_new(0);
    char *s1 = pii_seal(a, "t:1:c", "v1");
    assert_int_equal(pii_key_rotate(path), 2);
    struct stat st;
    assert_int_equal(stat(p2, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    char *s2 = pii_seal(a, "t:1:c", "v2");
    assert_int_equal(pii_keys_load(path), 0);
    assert_int_equal(pii_key_current(), 2);
    assert_string_equal(pii_open(a, "t:1:c", s1), "v1");
    assert_string_equal(pii_open(a, "t:1:c", s2), "v2");
    arena_free(a);
    unlink(p2);
    unlink(path);
    rmdir(dir);
    pii_keys_clear();
}

/* GB 11643: the check digit (X for 10), the region and the birth date. */
static void test_id_numbers(void **state) {
    (void)state;
    assert_int_equal(pii_id_check_char("11010519491231002"), 'X');
    assert_true(pii_id_valid("11010519491231002X"));
    assert_true(pii_id_valid("11010519491231002x"));
    assert_true(pii_id_valid("110101199003071233") || pii_id_valid("110101199003071234") ||
                pii_id_valid("110101199003071235"));
    char ok[19] = "44030419850615201";
    ok[17] = pii_id_check_char(ok);
    ok[18] = 0;
    assert_true(pii_id_valid(ok));
    char bad[19];
    memcpy(bad, ok, 19);
    bad[17] = bad[17] == '0' ? '1' : '0'; /* wrong check digit */
    assert_false(pii_id_valid(bad));
    assert_false(pii_id_valid("11010519491231002"));   /* 17 characters */
    assert_false(pii_id_valid("11010519491231002XX")); /* 19 */
    assert_false(pii_id_valid(""));
    char region[19] = "99010519491231002"; /* no province 99 */
    region[17] = pii_id_check_char(region);
    region[18] = 0;
    assert_false(pii_id_valid(region));
    char date[19] = "11010519490231002"; /* 31 February */
    date[17] = pii_id_check_char(date);
    date[18] = 0;
    assert_false(pii_id_valid(date));
    char future[19] = "11010530000101002";
    future[17] = pii_id_check_char(future);
    future[18] = 0;
    assert_false(pii_id_valid(future));
    char n[19];
    pii_id_normalise("11010519491231002x", n);
    assert_string_equal(n, "11010519491231002X");
}

static void test_masks(void **state) {
    (void)state;
    struct arena *a = arena_new(0);
    assert_string_equal(pii_id_mask(a, "110101199003071234"), "110101********1234");
    assert_string_equal(pii_phone_mask(a, "13812341234"), "138****1234");
    assert_string_equal(pii_name_mask(a, "张三明"), "张*明");
    assert_string_equal(pii_name_mask(a, "张三"), "张*");
    assert_string_equal(pii_name_mask(a, "欧阳娜娜"), "欧**娜");
    assert_string_equal(pii_name_mask(a, "张"), "*");
    assert_string_equal(pii_name_mask(a, ""), "");
    assert_string_equal(pii_name_mask(a, "Li Lei"), "L****i");
    arena_free(a);
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
        cmocka_unit_test(test_keyring_seal),
        cmocka_unit_test(test_blind_index),
        cmocka_unit_test(test_key_rotation_files),
        cmocka_unit_test(test_id_numbers),
        cmocka_unit_test(test_masks),
        cmocka_unit_test(test_phone_mask),
        cmocka_unit_test(test_mask_text),
        cmocka_unit_test(test_phone_valid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
