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

/* Login throttle per user name (known or not, so both answer the same). */
int login_locked_for(struct db *db, const char *username, int64_t *seconds_left); /* 1 locked */
int login_record_failure(struct db *db, const char *username); /* inside a write tx */
int login_clear_failures(struct db *db, const char *username);

/* Sessions: the token goes to the cookie; only its SHA-256 is stored. */
int session_create(struct db *db, int64_t user_id, const char *ip, const char *user_agent,
                   char token[TOKEN_TEXT], char csrf[TOKEN_TEXT]);
/* Finds a live session and loads the principal. DB_ROW found; DB_DONE none/expired; < 0 error.
 * Touches last_seen_at at most once a minute. */
int session_lookup(struct db *db, struct arena *a, const char *token, struct principal *p);
int session_delete(struct db *db, int64_t session_id);
int session_delete_user(struct db *db, int64_t user_id);

/* Load a user's principal (no session). DB_ROW found, DB_DONE none. */
int principal_load(struct db *db, struct arena *a, int64_t user_id, struct principal *p);

/* Data scope: appends " AND <unit_col> ..." limiting rows to the principal's units. */
void scope_filter(struct query *q, const struct principal *p, const char *unit_col);
/* 1 when unit_id is inside the principal's scope. */
int scope_allows_unit(struct db *db, const struct principal *p, int64_t unit_id);

#endif
