/* auth.h — passwords (Argon2id), login throttling, sessions and the signed-in principal.
 * Policy values come from settings (password.*, login.*, session.*). */
#ifndef FAZHI_AUTH_H
#define FAZHI_AUTH_H

#include <stdint.h>

#include "auth/perm.h"
#include "base/arena.h"
#include "store/db.h"
#include "store/query.h"

#define PASSWORD_HASH_MAX  128 /* crypto_pwhash_STRBYTES */
#define PASSWORD_MAX_BYTES 512 /* 128 characters of up to 4 bytes */
#define TOKEN_TEXT         64  /* base64url of 32 random bytes, with room */

/* The signed-in user, loaded per request; strings live in the request arena. */
struct principal {
    int64_t user_id;    /* users.id */
    int64_t session_id; /* sessions.id */
    const char *username;
    const char *display_name;
    int64_t unit_id; /* own unit */
    const char *unit_name;
    const char *unit_path; /* "/1/7/" — own unit and ancestors, for subtree scope */
    const char *role;      /* role code, NULL when no role is assigned */
    const char *role_name;
    enum scope scope; /* data scope of the role */
    perm_set perms;   /* permissions of the role */
    int must_change_password;
    const char *csrf_token;
};

int password_hash(const char *password, char out[PASSWORD_HASH_MAX]); /* 0 ok */
int password_verify(const char *hash, const char *password);          /* 1 match, 0 not */
/* Check the policy: returns NULL when acceptable, else a reason code:
 * "too_short", "too_long", "classes", "same_as_username", "invalid_utf8". */
const char *password_policy_check(struct db *db, const char *password, const char *username);
/* A random one-time password: 16 characters from four classes, no look-alikes (0 O 1 l I).
 * password_generate_for makes it as long as the password.min_length setting asks. */
void password_generate(char *out, size_t n);
void password_generate_len(char *out, size_t n, size_t len);
void password_generate_for(struct db *db, char *out, size_t n); /* n >= 130 */

/* Verify against the account's hash or, for an unknown name (hash NULL), against a fixed dummy
 * hash of the same cost, so timing tells nothing. 1 only for a real match. Thread-safe. */
int password_verify_or_dummy(const char *hash, const char *password);

/* Sign-in throttling (throttle.c). Three kinds of counters share the table login_throttle, each
 * keyed by the client address (an IPv6 address by its /64, which one client usually holds):
 *   "a:<address>"             every failure from the address: login.ip_max_failures within
 *                             login.ip_window_minutes, then every sign-in from there answers 429
 *                             until the window has passed;
 *   "u:<id>:<address>"        one existing account from one address: login.max_failures, then
 *                             that account is locked login.lock_minutes *for that address only*,
 *                             so nobody elsewhere can keep its owner out;
 *   "n:<address>:<name hash>" a made-up name from one address: locks like a real account, so
 *                             unknown and known names answer alike.
 * The gate runs before any password hashing and writes nothing; only checked failures are
 * counted. So every row costs one password hash, an address adds at most
 * login.ip_max_failures + 1 rows per window, and rows whose window and lock are over are deleted
 * as new failures come: the table holds at most what the server could hash in one window. */
struct login_source {
    char ip[64];     /* the client address as the server sees it (--trust-proxy) */
    char prefix[64]; /* what is counted: the IPv4 address, the IPv6 /64, or the text */
};
void login_source_init(struct login_source *s, const char *ip);

enum login_gate { LOGIN_GATE_OPEN, LOGIN_GATE_ADDRESS, LOGIN_GATE_ACCOUNT };
/* May this attempt be checked at all? Returns LOGIN_GATE_* (or < 0 on a database error) with
 * *retry_after seconds when refused. user_id 0: no account of that name. */
int login_gate(struct db *db, const struct login_source *src, int64_t user_id, const char *username,
               int64_t *retry_after);

struct login_trip {
    int address;              /* this failure reached the address limit (now throttled) */
    int account;              /* this failure locked the account (or name) for this address */
    int account_first;        /* …and no other address holds that account locked right now */
    int64_t address_failures; /* failures counted for the address in its window */
    int64_t account_failures; /* failures counted for the account from this address */
};
/* Count a failed (hashed) attempt, inside the caller's write transaction. */
int login_record_failure(struct db *db, const struct login_source *src, int64_t user_id,
                         const char *username, struct login_trip *trip);
/* A successful sign-in forgets the account's failures from that address. */
int login_clear_failures(struct db *db, const struct login_source *src, int64_t user_id);
/* Unlock or password reset: forget the account's failures from every address. */
int login_clear_account(struct db *db, int64_t user_id);
/* The failures counted now for this attempt's address or account (the larger), within their
 * windows: what decides whether a captcha is asked. DB_OK or < 0. */
int login_failures(struct db *db, const struct login_source *src, int64_t user_id,
                   const char *username, int64_t *failures);

/* A rate limit per client address for anonymous writes (a public comment): the key
 * "r:<scope>:<address>" in login_throttle counts the attempts of a fixed window of `window`
 * seconds; the attempt that goes past `max` and every later one in the window are refused.
 * Counts this attempt, inside the caller's write transaction: 1 allowed, 0 refused with
 * *retry_after seconds until the window ends, < 0 error. */
int address_rate_hit(struct db *db, const char *scope, const struct login_source *src, int64_t max,
                     int64_t window, int64_t *retry_after);

/* The sign-in log (loginlog.c, table login_log): one row per attempt, sign-out and session end.
 * `result` is one of the LOGIN_* codes below; `coalesce`: keep at most one row a minute per
 * address, name and result (refusals that change nothing, which a flood could repeat). The
 * name is kept as typed, the user agent cut to LOGIN_LOG_UA_MAX bytes on a character boundary.
 * Inside the caller's transaction (or on its own). DB_OK or < 0. */
#define LOGIN_LOG_UA_MAX   255
#define LOGIN_LOG_NAME_MAX 256                /* bytes: 64 characters of up to 4 */
#define LOGIN_OK           "ok"               /* signed in */
#define LOGIN_WRONG        "wrong_password"   /* the account exists, the password is wrong */
#define LOGIN_UNKNOWN      "unknown_user"     /* no account of that name */
#define LOGIN_DISABLED     "disabled"         /* the account is locked by an administrator */
#define LOGIN_LOCKED       "locked"           /* refused: the account is throttled from there */
#define LOGIN_THROTTLED    "throttled"        /* refused: the address is throttled */
#define LOGIN_CAPTCHA      "captcha_required" /* refused: no captcha answer where one is due */
#define LOGIN_CAPTCHA_BAD  "captcha_wrong"    /* refused: a wrong or expired captcha answer */
#define LOGIN_LOGOUT       "logout"           /* signed out */
#define LOGIN_EXPIRED      "expired"          /* the session ran past its idle or absolute limit */
#define LOGIN_REVOKED      "revoked"          /* the session was ended by the security admin */
int login_log_add(struct db *db, const char *username, int64_t user_id, const char *ip,
                  const char *user_agent, const char *result, int coalesce);
/* 1 when this address, name and result were logged within the last minute, 0 when not, < 0
 * error: a flood's refusal asks this with no transaction open and writes nothing. */
int login_log_recent(struct db *db, const char *username, const char *ip, const char *result);

/* Captchas (captcha.c, table captchas). CAPTCHA_LENGTH characters, valid CAPTCHA_SECONDS,
 * bound to the address prefix that asked for it, answered once. */
#define CAPTCHA_LENGTH     5
#define CAPTCHA_SECONDS    120
#define CAPTCHA_ANSWER_MAX 16
/* A new captcha: its id, and *image a data: URI of its SVG (arena). DB_OK or < 0. */
int captcha_create(struct db *db, struct arena *a, const struct login_source *src,
                   char id[TOKEN_TEXT], char **image);
/* Consume captcha `id` (deleted whatever the answer): 1 right, 0 wrong, expired, unknown or
 * asked from another address; < 0 error. */
int captcha_check(struct db *db, const struct login_source *src, const char *id,
                  const char *answer);
/* 1 when this attempt must answer a captcha (login.captcha_after failures counted for the
 * address or the account; 0 turns it off), 0 when not, < 0 error. */
int captcha_needed(struct db *db, const struct login_source *src, int64_t user_id,
                   const char *username);

/* Sessions: the token goes to the cookie; only its SHA-256 is stored. */
int session_create(struct db *db, int64_t user_id, const char *ip, const char *user_agent,
                   char token[TOKEN_TEXT], char csrf[TOKEN_TEXT]);
/* Finds a live session and loads the principal. DB_ROW found; DB_DONE none/expired; < 0 error.
 * Touches last_seen_at at most once a minute. The principal's strings live in (or are held by)
 * the arena `a`. With the session cache started, a session seen before comes from memory while
 * the "auth" data version is unchanged (store/dataver.h): a change to the session, its user,
 * role, permissions or unit — through any server or command — is honoured within
 * DV_CHECK_SECONDS (at once through this process); idle and absolute timeouts stay exact
 * (checked on every request, a cached session that looks over is read again). */
int session_lookup(struct db *db, struct arena *a, const char *token, struct principal *p);
/* Keep up to `capacity` live sessions in memory for session_lookup (the server; start-up). */
void session_cache_start(int capacity);
/* A request of this session committed a write (the server, after the handler); when it last
 * did (monotonic seconds, 0 = never): caches that may lag a change show a session its own
 * writes at once (store/cache.h cache_get_since). */
void session_wrote(int64_t session_id);
double session_wrote_at(int64_t session_id);
int session_delete(struct db *db, int64_t session_id);
/* End up to SESSION_SWEEP_MAX sessions past their idle or absolute limit that no request came
 * back to, each logged `expired` (only those this call deleted: a server that found one over
 * first logged it). `scratch` holds the batch (a caller's arena: it is big). Count, or < 0. */
#define SESSION_SWEEP_MAX 200
struct session_sweep {
    int64_t user_id[SESSION_SWEEP_MAX];
    char ip[SESSION_SWEEP_MAX][64];
    char user_agent[SESSION_SWEEP_MAX][256];
};
int session_end_expired(struct db *db, struct session_sweep *scratch);
int session_delete_user(struct db *db, int64_t user_id);

/* Load a user's principal (no session). DB_ROW found, DB_DONE none. */
int principal_load(struct db *db, struct arena *a, int64_t user_id, struct principal *p);

/* Data scope: appends " AND <unit_col> ..." limiting rows to the principal's units. */
void scope_filter(struct query *q, const struct principal *p, const char *unit_col);
/* 1 when unit_id is inside the principal's scope. */
int scope_allows_unit(struct db *db, const struct principal *p, int64_t unit_id);

#endif
