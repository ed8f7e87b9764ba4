#include "base/crypto.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int crypto_init(void) {
    return sodium_init() < 0 ? -1 : 0;
}

void hex_encode(const unsigned char *in, size_t n, char *out) {
    static const char hx[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hx[in[i] >> 4];
        out[2 * i + 1] = hx[in[i] & 15];
    }
    out[2 * n] = 0;
}

void sha256_hex(const void *data, size_t n, char out[65]) {
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, data, n);
    hex_encode(h, sizeof h, out);
}

void sha256_raw(const void *data, size_t n, unsigned char out[32]) {
    crypto_hash_sha256(out, data, n);
}

void random_token(char *out, size_t bytes) {
    unsigned char raw[64];
    if (bytes > sizeof raw) bytes = sizeof raw;
    randombytes_buf(raw, bytes);
    sodium_bin2base64(out,
                      sodium_base64_ENCODED_LEN(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                      raw, bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

uint64_t random_u64(void) {
    uint64_t v;
    randombytes_buf(&v, sizeof v);
    return v;
}

int secret_key_load_or_create(const char *path, unsigned char key[CRYPTO_KEY_BYTES]) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        ssize_t n = read(fd, key, CRYPTO_KEY_BYTES);
        close(fd);
        return n == CRYPTO_KEY_BYTES ? 0 : -1;
    }
    if (errno != ENOENT) return -1;
    randombytes_buf(key, CRYPTO_KEY_BYTES);
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return -1;
    ssize_t n = write(fd, key, CRYPTO_KEY_BYTES);
    int rc = (n == CRYPTO_KEY_BYTES && fsync(fd) == 0) ? 0 : -1;
    close(fd);
    return rc;
}

#define NONCE crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define TAG   crypto_aead_xchacha20poly1305_ietf_ABYTES

char *seal_text(struct arena *a, const unsigned char key[CRYPTO_KEY_BYTES], const char *plain) {
    size_t n = strlen(plain);
    unsigned char *raw = arena_alloc(a, NONCE + n + TAG);
    randombytes_buf(raw, NONCE);
    unsigned long long clen = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(raw + NONCE, &clen, (const unsigned char *)plain, n,
                                               NULL, 0, NULL, raw, key);
    size_t total = NONCE + (size_t)clen;
    size_t blen = sodium_base64_ENCODED_LEN(total, sodium_base64_VARIANT_ORIGINAL);
    char *out = arena_alloc(a, blen);
    sodium_bin2base64(out, blen, raw, total, sodium_base64_VARIANT_ORIGINAL);
    return out;
}

char *open_text(struct arena *a, const unsigned char key[CRYPTO_KEY_BYTES], const char *sealed) {
    size_t slen = strlen(sealed);
    unsigned char *raw = arena_alloc(a, slen + 1);
    size_t rlen = 0;
    if (sodium_base642bin(raw, slen, sealed, slen, NULL, &rlen, NULL,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        rlen < NONCE + TAG)
        return NULL;
    char *plain = arena_alloc(a, rlen - NONCE - TAG + 1);
    unsigned long long plen = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt((unsigned char *)plain, &plen, NULL, raw + NONCE,
                                                   rlen - NONCE, NULL, 0, raw, key) != 0)
        return NULL;
    plain[plen] = 0;
    return plain;
}

/* ---- the keyring ---- */

static unsigned char ring[PII_KEYS_MAX + 1][CRYPTO_KEY_BYTES]; /* [id]: key id's material */
static unsigned char ring_has[PII_KEYS_MAX + 1];
static unsigned char index_key[crypto_generichash_KEYBYTES]; /* from key 1 (crypto_kdf) */
static int ring_current;

void pii_key_put(int id, const unsigned char key[CRYPTO_KEY_BYTES]) {
    if (id < 1 || id > PII_KEYS_MAX) return;
    memcpy(ring[id], key, CRYPTO_KEY_BYTES);
    ring_has[id] = 1;
    if (id > ring_current) ring_current = id;
    if (id == 1) crypto_kdf_derive_from_key(index_key, sizeof index_key, 1, "fazhibix", ring[1]);
}

void pii_keys_clear(void) {
    sodium_memzero(ring, sizeof ring);
    sodium_memzero(index_key, sizeof index_key);
    memset(ring_has, 0, sizeof ring_has);
    ring_current = 0;
}

static int key_read(const char *path, unsigned char key[CRYPTO_KEY_BYTES]) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t n = read(fd, key, CRYPTO_KEY_BYTES);
    close(fd);
    if (n != CRYPTO_KEY_BYTES) {
        errno = EINVAL;
        return -1;
    }
    return 0;
}

int pii_keys_load(const char *key_path) {
    unsigned char key[CRYPTO_KEY_BYTES];
    if (secret_key_load_or_create(key_path, key) != 0) return -1;
    pii_keys_clear();
    pii_key_put(1, key);
    char path[1200];
    for (int id = 2; id <= PII_KEYS_MAX; id++) {
        snprintf(path, sizeof path, "%s.%d", key_path, id);
        if (key_read(path, key) == 0)
            pii_key_put(id, key);
        else if (errno != ENOENT)
            return -1;
    }
    sodium_memzero(key, sizeof key);
    return 0;
}

int pii_key_rotate(const char *key_path) {
    int id = ring_current + 1;
    if (ring_current < 1 || id > PII_KEYS_MAX) {
        errno = ERANGE;
        return -1;
    }
    char path[1200];
    snprintf(path, sizeof path, "%s.%d", key_path, id);
    unsigned char key[CRYPTO_KEY_BYTES];
    randombytes_buf(key, sizeof key);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return -1;
    ssize_t n = write(fd, key, sizeof key);
    int rc = (n == CRYPTO_KEY_BYTES && fsync(fd) == 0) ? 0 : -1;
    close(fd);
    if (rc == 0) pii_key_put(id, key);
    sodium_memzero(key, sizeof key);
    return rc == 0 ? id : -1;
}

int pii_key_current(void) {
    return ring_current;
}

int pii_key_loaded(int id) {
    return id >= 1 && id <= PII_KEYS_MAX && ring_has[id];
}

const unsigned char *pii_key(void) {
    return ring_has[1] ? ring[1] : NULL;
}

void pii_wipe(char *plain) {
    if (plain) sodium_memzero(plain, strlen(plain));
}

void pii_key_set(const unsigned char key[CRYPTO_KEY_BYTES]) {
    pii_key_put(1, key);
}

const char *pii_ad(struct arena *a, const char *table, int64_t id, const char *column) {
    return arena_printf(a, "%s:%lld:%s", table, (long long)id, column);
}

static char *seal_with(struct arena *a, int id, const char *ad, const char *plain) {
    size_t n = strlen(plain), adn = ad ? strlen(ad) : 0;
    unsigned char *raw = arena_alloc(a, NONCE + n + TAG);
    randombytes_buf(raw, NONCE);
    unsigned long long clen = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(raw + NONCE, &clen, (const unsigned char *)plain, n,
                                               (const unsigned char *)ad, adn, NULL, raw, ring[id]);
    size_t total = NONCE + (size_t)clen;
    size_t blen = sodium_base64_ENCODED_LEN(total, sodium_base64_VARIANT_ORIGINAL);
    char *out = arena_alloc(a, blen + 8);
    int k = snprintf(out, 8, "k%d:", id);
    sodium_bin2base64(out + k, blen, raw, total, sodium_base64_VARIANT_ORIGINAL);
    return out;
}

char *pii_seal(struct arena *a, const char *ad, const char *plain) {
    if (!ring_current || !plain) return NULL;
    return seal_with(a, ring_current, ad, plain);
}

int pii_sealed_key(const char *sealed) {
    if (!sealed || !*sealed) return -1;
    if (sealed[0] != 'k') return 0; /* base64 of the legacy form never holds ':' */
    int id = 0, i = 1;
    while (sealed[i] >= '0' && sealed[i] <= '9' && i < 4)
        id = id * 10 + (sealed[i++] - '0');
    return i > 1 && sealed[i] == ':' ? id : 0;
}

char *pii_open(struct arena *a, const char *ad, const char *sealed) {
    int id = pii_sealed_key(sealed);
    if (id < 0) return NULL;
    if (id == 0) return pii_key() ? open_text(a, ring[1], sealed) : NULL; /* legacy: no ad */
    if (!pii_key_loaded(id)) return NULL;
    const char *b64 = strchr(sealed, ':') + 1;
    size_t slen = strlen(b64), adn = ad ? strlen(ad) : 0;
    unsigned char *raw = arena_alloc(a, slen + 1);
    size_t rlen = 0;
    if (sodium_base642bin(raw, slen, b64, slen, NULL, &rlen, NULL,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        rlen < NONCE + TAG)
        return NULL;
    char *plain = arena_alloc(a, rlen - NONCE - TAG + 1);
    unsigned long long plen = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt((unsigned char *)plain, &plen, NULL, raw + NONCE,
                                                   rlen - NONCE, (const unsigned char *)ad, adn,
                                                   raw, ring[id]) != 0)
        return NULL;
    plain[plen] = 0;
    return plain;
}

int pii_blind_index(const char *normalised, char out[65]) {
    if (!ring_has[1]) return -1;
    unsigned char h[32];
    crypto_generichash(h, sizeof h, (const unsigned char *)normalised, strlen(normalised),
                       index_key, sizeof index_key);
    hex_encode(h, sizeof h, out);
    return 0;
}
