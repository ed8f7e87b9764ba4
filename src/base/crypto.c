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

static unsigned char the_pii_key[CRYPTO_KEY_BYTES];
static int pii_key_is_set;

void pii_key_set(const unsigned char key[CRYPTO_KEY_BYTES]) {
    memcpy(the_pii_key, key, CRYPTO_KEY_BYTES);
    pii_key_is_set = 1;
}

const unsigned char *pii_key(void) {
    return pii_key_is_set ? the_pii_key : NULL;
}
