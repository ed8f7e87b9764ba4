/* accounts.h — user accounts and roles: the logic shared by the HTTP API and the CLI.
 * Functions that write expect an open write transaction and append their audit record. */
#ifndef FAZHI_ACCOUNTS_H
#define FAZHI_ACCOUNTS_H

#include <stdint.h>

#include "audit/audit.h"
#include "store/db.h"

/* Seed the built-in roles and their permissions (idempotent). */
int roles_seed(struct db *db);
int64_t role_id_by_code(struct db *db, const char *code); /* 0 when absent */

/* Create an account. role may be NULL (no role yet). Returns DB_OK, DB_CONSTRAINT (name taken)
 * or an error; *id receives the new id. */
int account_create(struct db *db, const struct audit_actor *who, const char *username,
                   const char *display_name, int64_t unit_id, const char *role,
                   const char *password, int must_change, int64_t *id);
/* Set a new password (must_change as given); ends the user's sessions. */
int account_set_password(struct db *db, const struct audit_actor *who, int64_t user_id,
                         const char *password, int must_change, const char *action);
/* Lock (1) or unlock (0); unlock also clears failed attempts. */
int account_set_locked(struct db *db, const struct audit_actor *who, int64_t user_id, int locked);
int64_t account_id_by_username(struct db *db, const char *username); /* 0 when absent */

/* Username rule: 3–32 of [a-z0-9_.-], starting with a letter or digit. */
int username_valid(const char *s);

#endif
