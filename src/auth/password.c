/* password.c — Argon2id hashes (libsodium) and the password policy. */
#include <pthread.h>
#include <sodium.h>
#include <string.h>

#include "auth/auth.h"
#include "base/crypto.h"
#include "base/utf8.h"
#include "store/settings.h"

/* OWASP's Argon2id floor (m=19 MiB, t=2): keeps a login well under 100 ms and the server's
 * memory bounded when several people sign in at once. */
#define PW_OPS 2
#define PW_MEM (19u * 1024u * 1024u)

_Static_assert(crypto_pwhash_STRBYTES <= PASSWORD_HASH_MAX, "hash buffer");

int password_hash(const char *password, char out[PASSWORD_HASH_MAX]) {
    return crypto_pwhash_str_alg(out, password, strlen(password), PW_OPS, PW_MEM,
                                 crypto_pwhash_ALG_ARGON2ID13);
}

int password_verify(const char *hash, const char *password) {
    return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

/* The dummy hash is made once, by whichever thread first needs it (pthread_once): a hash of the
 * same cost as a real one, so an unknown name takes as long to refuse as a wrong password. */
static char dummy_hash[PASSWORD_HASH_MAX];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void dummy_make(void) {
    if (password_hash("fazhi-dummy-password", dummy_hash) != 0) dummy_hash[0] = 0;
}

int password_verify_or_dummy(const char *hash, const char *password) {
    pthread_once(&dummy_once, dummy_make);
    int match = password_verify(hash ? hash : dummy_hash, password);
    return hash && match;
}

const char *password_policy_check(struct db *db, const char *pw, const char *username) {
    int n = utf8_text_chars(pw);
    if (n < 0) return "invalid_utf8";
    if (n < setting_int(db, "password.min_length")) return "too_short";
    if (n > 128 || strlen(pw) > PASSWORD_MAX_BYTES) return "too_long";
    int upper = 0, lower = 0, digit = 0, other = 0;
    for (const unsigned char *p = (const unsigned char *)pw; *p; p++) {
        if (*p >= 'A' && *p <= 'Z')
            upper = 1;
        else if (*p >= 'a' && *p <= 'z')
            lower = 1;
        else if (*p >= '0' && *p <= '9')
            digit = 1;
        else
            other = 1;
    }
    if (upper + lower + digit + other < setting_int(db, "password.min_classes")) return "classes";
    if (username && strcasecmp(pw, username) == 0) return "same_as_username";
    return NULL;
}

void password_generate(char *out, size_t n) {
    password_generate_len(out, n, 16);
}

void password_generate_len(char *out, size_t n, size_t len) {
    /* No look-alike characters (0/O, 1/l/I): officials type these from a printout. */
    static const char up[] = "ABCDEFGHJKLMNPQRSTUVWXYZ", lo[] = "abcdefghijkmnpqrstuvwxyz",
                      dg[] = "23456789", sy[] = "@#%+=";
    static const char *sets[] = {up, lo, dg, sy};
    if (len < 16) len = 16;
    if (n < len + 1) {
        out[0] = 0;
        return;
    }
    for (size_t i = 0; i < len; i++) {
        const char *set = i < 4 ? sets[i] : sets[randombytes_uniform(3)];
        out[i] = set[randombytes_uniform((uint32_t)strlen(set))];
    }
    for (size_t i = len - 1; i > 0; i--) { /* shuffle so the classes are not in fixed places */
        size_t j = randombytes_uniform((uint32_t)(i + 1));
        char t = out[i];
        out[i] = out[j];
        out[j] = t;
    }
    out[len] = 0;
}

void password_generate_for(struct db *db, char *out, size_t n) {
    int64_t min = setting_int(db, "password.min_length");
    password_generate_len(out, n, min > 16 ? (size_t)min : 16);
}
