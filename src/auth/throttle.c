/* throttle.c — sign-in throttling: bounded counters per client address, per account and
 * address, and per made-up name and address, all in the table login_throttle (see auth.h).
 *
 * Why in the database and not in the process: several `fazhi serve` behind a load balancer share
 * one PostgreSQL, and a limit kept per process would give an attacker one budget per server. The
 * table stays bounded because addresses are hashed into LOGIN_BUCKETS buckets with a key only the
 * servers know (derived from the data directory's secret key), so no input adds rows without
 * bound and nobody can choose an address that lands on someone else's bucket. */
#include <arpa/inet.h>
#include <ctype.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "auth/auth.h"
#include "base/crypto.h"
#include "base/timeutil.h"
#include "store/settings.h"

static unsigned char bucket_key[crypto_generichash_KEYBYTES];
static int bucket_keyed;
static pthread_once_t bucket_once = PTHREAD_ONCE_INIT;

static void bucket_key_make(void) {
    const unsigned char *k = pii_key();
    if (!k) return; /* unit tests and tools without a data dir: unkeyed, still bounded */
    static const char label[] = "fazhi login throttle buckets v1";
    crypto_generichash(bucket_key, sizeof bucket_key, (const unsigned char *)label,
                       sizeof label - 1, k, CRYPTO_KEY_BYTES);
    bucket_keyed = 1;
}

/* Keyed hash of (kind, a, b) into [0, LOGIN_BUCKETS). */
static uint32_t bucket_of(char kind, const void *a, size_t na, const void *b, size_t nb) {
    pthread_once(&bucket_once, bucket_key_make);
    crypto_generichash_state st;
    crypto_generichash_init(&st, bucket_keyed ? bucket_key : NULL,
                            bucket_keyed ? sizeof bucket_key : 0, 8);
    unsigned char sep = 0;
    crypto_generichash_update(&st, (const unsigned char *)&kind, 1);
    crypto_generichash_update(&st, a, na);
    crypto_generichash_update(&st, &sep, 1);
    if (nb) crypto_generichash_update(&st, b, nb);
    unsigned char out[8];
    crypto_generichash_final(&st, out, sizeof out);
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | out[i];
    return (uint32_t)(v % LOGIN_BUCKETS);
}

void login_source_init(struct login_source *s, const char *ip) {
    memset(s, 0, sizeof(*s));
    snprintf(s->ip, sizeof s->ip, "%s", ip && *ip ? ip : "?");
    unsigned char a6[16];
    struct in_addr a4;
    /* One attacker usually holds a whole IPv6 /64: count it as one address. */
    if (inet_pton(AF_INET, s->ip, &a4) == 1) {
        memcpy(s->prefix, &a4, 4);
        s->prefix_len = 4;
    } else if (inet_pton(AF_INET6, s->ip, a6) == 1) {
        static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
        if (!memcmp(a6, mapped, 12)) {
            memcpy(s->prefix, a6 + 12, 4);
            s->prefix_len = 4;
        } else {
            memcpy(s->prefix, a6, 8);
            s->prefix_len = 8;
        }
    } else { /* not an address (a proxy sent something else): the text itself */
        size_t n = strlen(s->ip);
        s->prefix_len = n < sizeof s->prefix ? n : sizeof s->prefix;
        memcpy(s->prefix, s->ip, s->prefix_len);
    }
    s->bucket = bucket_of('a', s->prefix, s->prefix_len, NULL, 0);
}

/* The counter keys of one attempt: the address's, and the account's (or the unknown name's) from
 * that address. */
static void keys_for(const struct login_source *src, int64_t user_id, const char *username,
                     char address[24], char account[48]) {
    snprintf(address, 24, "a:%u", src->bucket);
    if (user_id) {
        snprintf(account, 48, "u:%lld:%u", (long long)user_id, src->bucket);
        return;
    }
    char lower[80];
    size_t n = 0;
    for (; username[n] && n < sizeof lower - 1; n++)
        lower[n] = (char)tolower((unsigned char)username[n]);
    lower[n] = 0;
    snprintf(account, 48, "n:%u", bucket_of('n', lower, n, src->prefix, src->prefix_len));
}

int login_gate(struct db *db, const struct login_source *src, int64_t user_id, const char *username,
               int64_t *retry_after) {
    char address[24], account[48];
    keys_for(src, user_id, username, address, account);
    *retry_after = 0;
    int64_t now = now_unix();
    struct db_stmt *st =
        db_queryv(db,
                  "SELECT key, locked_until FROM login_throttle WHERE key IN (?, ?) "
                  "AND locked_until > ?",
                  "ssi", address, account, now);
    if (!st) return DB_ERROR;
    int gate = LOGIN_GATE_OPEN, rc;
    while ((rc = db_step(st)) == DB_ROW) {
        int is_address = db_col_text(st, 0)[0] == 'a';
        int64_t left = db_col_int(st, 1) - now;
        /* The address limit answers first: it is the one that says why everyone there waits. */
        if (is_address || gate == LOGIN_GATE_OPEN) {
            gate = is_address ? LOGIN_GATE_ADDRESS : LOGIN_GATE_ACCOUNT;
            *retry_after = left > 0 ? left : 1;
        }
    }
    db_done(st);
    return rc == DB_DONE ? gate : rc;
}

/* Count one failure on `key`. A lapsed lock or a window older than `window` seconds starts
 * afresh; reaching `max` locks the key for `lock` seconds. *tripped: this failure set the lock. */
static int bump(struct db *db, const char *key, int64_t user_id, const char *ip, int64_t max,
                int64_t window, int64_t lock, int64_t *failures, int *tripped) {
    int64_t now = now_unix();
    *failures = 0;
    *tripped = 0;
#define FRESH                                                                                      \
    "(login_throttle.locked_until <= ? AND (login_throttle.locked_until > 0 OR "                   \
    "login_throttle.window_start <= ?))"
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO login_throttle (key, user_id, failures, window_start, locked_until, ip) "
            "VALUES (?, ?, 1, ?, 0, ?) ON CONFLICT (key) DO UPDATE SET "
            "failures = CASE WHEN " FRESH " THEN 1 ELSE login_throttle.failures + 1 END, "
            "window_start = CASE WHEN " FRESH " THEN ? ELSE login_throttle.window_start END, "
            "locked_until = CASE WHEN " FRESH " THEN 0 ELSE login_throttle.locked_until END, "
            "ip = excluded.ip RETURNING failures");
#undef FRESH
    if (!st) return DB_ERROR;
    int i = 1;
    db_bind_text(st, i++, key);
    if (user_id)
        db_bind_int(st, i++, user_id);
    else
        db_bind_null(st, i++);
    db_bind_int(st, i++, now);
    db_bind_text(st, i++, ip);
    for (int k = 0; k < 3; k++) {
        db_bind_int(st, i++, now);
        db_bind_int(st, i++, now - window);
        if (k == 1) db_bind_int(st, i++, now);
    }
    int rc = db_step(st);
    if (rc == DB_ROW) *failures = db_col_int(st, 0);
    db_done(st);
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERROR;
    if (*failures < max) return DB_OK;
    rc = db_exec(db,
                 "UPDATE login_throttle SET locked_until = ? WHERE key = ? AND locked_until <= ?",
                 "isi", now + lock, key, now);
    if (rc == DB_OK) *tripped = db_changes(db) > 0;
    return rc;
}

int login_record_failure(struct db *db, const struct login_source *src, int64_t user_id,
                         const char *username, struct login_trip *trip) {
    char address[24], account[48];
    keys_for(src, user_id, username, address, account);
    memset(trip, 0, sizeof(*trip));
    int64_t window = setting_int(db, "login.ip_window_minutes") * 60;
    int64_t lock = setting_int(db, "login.lock_minutes") * 60;
    int rc = bump(db, address, 0, src->ip, setting_int(db, "login.ip_max_failures"), window, window,
                  &trip->address_failures, &trip->address);
    if (rc == DB_OK)
        rc = bump(db, account, user_id, src->ip, setting_int(db, "login.max_failures"), lock, lock,
                  &trip->account_failures, &trip->account);
    if (rc == DB_OK && trip->account && user_id) {
        int64_t others = 0;
        rc = db_query_int(db, &others,
                          "SELECT COUNT(*) FROM login_throttle WHERE user_id = ? AND key <> ? "
                          "AND locked_until > ?",
                          "isi", user_id, account, now_unix());
        rc = rc == DB_ROW ? DB_OK : rc < 0 ? rc : DB_ERROR;
        trip->account_first = others == 0;
    }
    /* An account's rows from addresses that went quiet are of no more use: keep only live ones. */
    if (rc == DB_OK && user_id)
        rc = db_exec(db,
                     "DELETE FROM login_throttle WHERE user_id = ? AND key <> ? "
                     "AND locked_until <= ? AND window_start <= ?",
                     "isii", user_id, account, now_unix(), now_unix() - lock);
    return rc;
}

int login_clear_failures(struct db *db, const struct login_source *src, int64_t user_id) {
    char address[24], account[48];
    keys_for(src, user_id, "", address, account);
    return db_exec(db, "DELETE FROM login_throttle WHERE key = ?", "s", account);
}

int login_clear_account(struct db *db, int64_t user_id) {
    return db_exec(db, "DELETE FROM login_throttle WHERE user_id = ?", "i", user_id);
}
