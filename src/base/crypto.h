/* crypto.h — hashing, random tokens and authenticated encryption (libsodium). */
#ifndef FAZHI_CRYPTO_H
#define FAZHI_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"

#define CRYPTO_KEY_BYTES 32

int crypto_init(void); /* 0 ok; call once at start */
void sha256_hex(const void *data, size_t n, char out[65]);
void random_token(char *out, size_t bytes); /* bytes random → base64url text in out (>= 2*bytes) */
void hex_encode(const unsigned char *in, size_t n, char *out); /* out: 2n+1 */
uint64_t random_u64(void);

/* Secret key for personal data, kept outside the database (a file under the data dir). */
int secret_key_load_or_create(const char *path, unsigned char key[CRYPTO_KEY_BYTES]);
/* AEAD seal: returns base64 of nonce||ciphertext, in arena. */
char *seal_text(struct arena *a, const unsigned char key[CRYPTO_KEY_BYTES], const char *plain);
/* AEAD open: NULL when the text was altered or the key is wrong. */
char *open_text(struct arena *a, const unsigned char key[CRYPTO_KEY_BYTES], const char *sealed);

/* The process-wide key for personal data (set once at start-up, read-only afterwards). */
void pii_key_set(const unsigned char key[CRYPTO_KEY_BYTES]);
const unsigned char *pii_key(void); /* NULL when not set */

#endif
