/* throttle.c — sign-in throttling: counters per client address, per account and address, and
 * per made-up name and address, all in the table login_throttle (see auth.h).
 *
 * Why in the database and not in the process: several `fazhi serve` behind a load balancer share
 * one PostgreSQL, and a limit kept per process would give an attacker one budget per server.
 * Why keyed by the address itself and not by a hash bucket: a bucket shared by two addresses
 * would let an attacker's failures lock out whoever else lands in it. */
#include <arpa/inet.h>
#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "auth/auth.h"
#include "base/crypto.h"
#include "base/timeutil.h"
#include "store/settings.h"

#define PURGE_BATCH 50 /* spent rows deleted per recorded failure */

void login_source_init(struct login_source *s, const char *ip) {
    memset(s, 0, sizeof(*s));
    snprintf(s->ip, sizeof s->ip, "%s", ip && *ip ? ip : "?");
    unsigned char a6[16];
    struct in_addr a4;
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (inet_pton(AF_INET, s->ip, &a4) == 1) {
        inet_ntop(AF_INET, &a4, s->prefix, sizeof s->prefix);
    } else if (inet_pton(AF_INET6, s->ip, a6) == 1 && !memcmp(a6, mapped, 12)) {
        inet_ntop(AF_INET, a6 + 12, s->prefix, sizeof s->prefix); /* ::ffff:a.b.c.d is IPv4 */
    } else if (inet_pton(AF_INET6, s->ip, a6) == 1) {
        /* One client usually holds a whole /64 (SLAAC, privacy addresses): count it as one. */
        memset(a6 + 8, 0, 8);
        char text[INET6_ADDRSTRLEN];
        inet_ntop(AF_INET6, a6, text, sizeof text);
        snprintf(s->prefix, sizeof s->prefix, "%s/64", text);
    } else { /* not an address (a proxy sent something else): the text itself, cut */
        snprintf(s->prefix, sizeof s->prefix, "%s", s->ip);
    }
}

/* The counter keys of one attempt: the address's, and the account's (or the made-up name's)
 * from that address. A name is kept only as a hash: the table holds no text a stranger chose
 * beyond the address. */
static void keys_for(const struct login_source *src, int64_t user_id, const char *username,
                     char address[80], char account[120]) {
    snprintf(address, 80, "a:%s", src->prefix);
    if (user_id) {
        snprintf(account, 120, "u:%lld:%s", (long long)user_id, src->prefix);
        return;
    }
    unsigned char lower[80], h[8];
    size_t n = 0;
    for (; username[n] && n < sizeof lower; n++)
        lower[n] = (unsigned char)tolower((unsigned char)username[n]);
    crypto_generichash(h, sizeof h, lower, n, NULL, 0);
    char hex[17];
    hex_encode(h, sizeof h, hex);
    snprintf(account, 120, "n:%s:%s", src->prefix, hex);
}

int login_gate(struct db *db, const struct login_source *src, int64_t user_id, const char *username,
               int64_t *retry_after) {
    char address[80], account[120];
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
    char address[80], account[120];
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
    /* Rows whose window and lock are both over count nothing any more: delete a few each time,
     * so the table holds about one window's failures. */
    int64_t spent = now_unix() - (window > lock ? window : lock);
    if (rc == DB_OK)
        rc = db_exec(db,
                     "DELETE FROM login_throttle WHERE key IN (SELECT key FROM login_throttle "
                     "WHERE window_start <= ? AND locked_until <= ? AND key <> ? AND key <> ? "
                     "LIMIT ?)",
                     "iissi", spent, now_unix(), address, account, (int64_t)PURGE_BATCH);
    return rc;
}

int login_clear_failures(struct db *db, const struct login_source *src, int64_t user_id) {
    char address[80], account[120];
    keys_for(src, user_id, "", address, account);
    return db_exec(db, "DELETE FROM login_throttle WHERE key = ?", "s", account);
}

int login_clear_account(struct db *db, int64_t user_id) {
    return db_exec(db, "DELETE FROM login_throttle WHERE user_id = ?", "i", user_id);
}

int login_failures(struct db *db, const struct login_source *src, int64_t user_id,
                   const char *username, int64_t *failures) {
    char address[80], account[120];
    keys_for(src, user_id, username, address, account);
    int64_t now = now_unix();
    int64_t ip_window = setting_int(db, "login.ip_window_minutes") * 60;
    int64_t lock = setting_int(db, "login.lock_minutes") * 60;
    /* A key counts while it is locked, or while its window runs and no lock has lapsed (a
     * lapsed lock starts the next failure afresh, as bump() does). */
    return db_query_int(
               db, failures,
               "SELECT COALESCE(MAX(failures), 0) FROM login_throttle WHERE "
               "(key = ? AND (locked_until > ? OR (locked_until = 0 AND window_start > ?)))"
               " OR (key = ? AND (locked_until > ? OR (locked_until = 0 AND "
               "window_start > ?)))",
               "siisii", address, now, now - ip_window, account, now, now - lock) == DB_ROW
               ? DB_OK
               : DB_ERROR;
}

int address_rate_hit(struct db *db, const char *scope, const struct login_source *src, int64_t max,
                     int64_t window, int64_t *retry_after) {
    char key[120];
    snprintf(key, sizeof key, "r:%s:%s", scope, src->prefix);
    int64_t now = now_unix(), count = 0, until = 0;
    *retry_after = 0;
    /* locked_until is the window's end: a row whose window is over starts afresh here, and the
     * sign-in purge (which deletes rows whose window and lock are over) may delete it. */
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO login_throttle (key, user_id, failures, window_start, locked_until, ip) "
            "VALUES (?, NULL, 1, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET "
            "failures = CASE WHEN login_throttle.locked_until <= ? THEN 1 "
            "ELSE login_throttle.failures + 1 END, "
            "window_start = CASE WHEN login_throttle.locked_until <= ? THEN ? "
            "ELSE login_throttle.window_start END, "
            "locked_until = CASE WHEN login_throttle.locked_until <= ? THEN ? "
            "ELSE login_throttle.locked_until END, ip = excluded.ip "
            "RETURNING failures, locked_until");
    if (!st) return DB_ERROR;
    db_bind_text(st, 1, key);
    db_bind_int(st, 2, now);
    db_bind_int(st, 3, now + window);
    db_bind_text(st, 4, src->ip);
    db_bind_int(st, 5, now);
    db_bind_int(st, 6, now);
    db_bind_int(st, 7, now);
    db_bind_int(st, 8, now);
    db_bind_int(st, 9, now + window);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        count = db_col_int(st, 0);
        until = db_col_int(st, 1);
    }
    db_done(st);
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERROR;
    if (count <= max) return 1;
    *retry_after = until > now ? until - now : 1;
    return 0;
}
