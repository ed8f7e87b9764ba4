/* crypto.h — hashing, random tokens and authenticated encryption (libsodium). */
#ifndef FAZHI_CRYPTO_H
#define FAZHI_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"

#define CRYPTO_KEY_BYTES 32

int crypto_init(void); /* 0 ok; call once at start */
void sha256_hex(const void *data, size_t n, char out[65]);
void sha256_raw(const void *data, size_t n, unsigned char out[32]); /* the 32 bytes */
void random_token(char *out, size_t bytes); /* bytes random → base64url text in out (>= 2*bytes) */
void hex_encode(const unsigned char *in, size_t n, char *out); /* out: 2n+1 */
uint64_t random_u64(void);

/* Secret key for personal data, kept outside the database (a file under the data dir). */
int secret_key_load_or_create(const char *path, unsigned char key[CRYPTO_KEY_BYTES]);
/* AEAD seal: returns base64 of nonce||ciphertext, in arena. */
char *seal_text(struct arena *a, const unsigned char key[CRYPTO_KEY_BYTES], const char *plain);
/* AEAD open: NULL when the text was altered or the key is wrong. */
char *open_text(struct arena *a, const unsigned char key[CRYPTO_KEY_BYTES], const char *sealed);

/* ---- the keyring of personal data ----
 * Key 1 is <key_path> (secret.key: installations made before rotation keep working); key n > 1
 * is <key_path>.<n>. The current key (new seals) is the highest id present. Loaded once at
 * start-up, read-only afterwards. Sealed text is "k<id>:" + base64(nonce || ciphertext) with
 * associated data "<table>:<row id>:<column>" (pii_ad), so a value copied to another row or
 * column does not open. Text without the prefix (sealed before key ids) opens with key 1 and
 * no associated data; `fazhi keys reseal` seals it again under the current key. */
#define PII_KEYS_MAX 64
/* Load key 1 (made when absent, 0600) and every <key_path>.<n> present: 0, or -1 (errno). */
int pii_keys_load(const char *key_path);
/* Write key <key_path>.<n> for the next n (0600, never overwriting) and make it current:
 * its id, or -1. */
int pii_key_rotate(const char *key_path);
int pii_key_current(void);  /* the current key's id; 0 when none is loaded */
int pii_key_loaded(int id); /* 1 when key id is in the ring */
/* The associated data of a sealed column of a row (arena). */
const char *pii_ad(struct arena *a, const char *table, int64_t id, const char *column);
/* Seal plain under the current key with associated data ad (arena); NULL when no key. */
char *pii_seal(struct arena *a, const char *ad, const char *plain);
/* Open sealed text (prefixed, or the legacy form with key 1 and no ad): NULL when altered,
 * moved to another row or column, or sealed under a key not in the ring. */
char *pii_open(struct arena *a, const char *ad, const char *sealed);
/* The key id a sealed text names (0: the legacy form without prefix, -1: not sealed text). */
int pii_sealed_key(const char *sealed);
/* The blind index of a normalised value: keyed BLAKE2b-256 (crypto_generichash) under a key
 * derived from key 1 (crypto_kdf, context "fazhibix"), hex in out. It never changes on
 * rotation, so the index needs no rebuild. -1 when no key is loaded. */
int pii_blind_index(const char *normalised, char out[65]);

/* Overwrite an opened value before its memory is reused. */
void pii_wipe(char *plain);

/* Compatibility: key 1, or NULL when the ring is empty; pii_key_set puts key 1. */
const unsigned char *pii_key(void);
void pii_key_set(const unsigned char key[CRYPTO_KEY_BYTES]);
/* Tests: put key material into the ring directly (id 1..PII_KEYS_MAX), current = the highest. */
void pii_key_put(int id, const unsigned char key[CRYPTO_KEY_BYTES]);
void pii_keys_clear(void);

#endif
