/* accounts.h — user accounts and roles: the logic shared by the HTTP API and the CLI.
 * Functions that write expect an open write transaction and append their audit record. */
#ifndef FAZHI_ACCOUNTS_H
#define FAZHI_ACCOUNTS_H

#include <stdint.h>

#include <jansson.h>

#include "audit/audit.h"
#include "auth/auth.h"
#include "features/entity/entity.h"
#include "store/db.h"

/* The entities (accounts_entities.c): lists and reads of accounts and roles. */
extern const struct entity entity_users, entity_roles;

/* Seed the built-in roles and their permissions (idempotent). */
int roles_seed(struct db *db);
/* A permission a module declares for the first time here (a module added by an upgrade) is
 * given to the built-in roles its module grants it to; one seen before is never given again, so
 * what an administrator took away stays away. Inside a write transaction; idempotent. */
int roles_sync(struct db *db);

/* The module's permissions (accounts_module.c). */
extern struct perm_def perm_user_read, perm_user_manage, perm_role_read, perm_role_manage,
    perm_role_assign, perm_security_manage;
int64_t role_id_by_code(struct db *db, const char *code); /* 0 when absent */

/* Create an account. role may be NULL (no role yet). Returns DB_OK, DB_CONSTRAINT (name taken)
 * or an error; *id receives the new id. */
int account_create(struct db *db, const struct audit_actor *who, const char *username,
                   const char *display_name, int64_t unit_id, const char *role,
                   const char *password, int must_change, int64_t *id);
/* Set a new password (must_change as given); ends the user's sessions and forgets failed
 * sign-ins. */
int account_set_password(struct db *db, const struct audit_actor *who, int64_t user_id,
                         const char *password, int must_change, const char *action);
/* Change an account's display name and unit, audited as user.update. */
int account_update(struct db *db, const struct audit_actor *who, int64_t id,
                   const char *display_name, int64_t unit_id);
/* Roles: create (*id set), update, delete with their permissions and audit records
 * (role.create / role.update / role.delete). perms: an array of permission codes (checked). */
int role_create(struct db *db, const struct audit_actor *who, const char *code, const char *name,
                const char *name_en, const char *scope, json_t *perms, int64_t *id);
int role_update(struct db *db, const struct audit_actor *who, int64_t id, const char *name,
                const char *name_en, const char *scope, json_t *perms);
int role_delete(struct db *db, const struct audit_actor *who, int64_t id);
/* Lock (1) or unlock (0); unlock also clears failed attempts from every address. */
int account_set_locked(struct db *db, const struct audit_actor *who, int64_t user_id, int locked);
int64_t account_id_by_username(struct db *db, const char *username); /* 0 when absent */

/* 三员分立 for accounts — the one place that says which administrator may do what to which
 * account through the API. The three administrators' own accounts (and one's own account) are
 * never changed, locked, unlocked, reset or re-roled through the API: they are kept on the
 * server with `fazhi user` (audited). Business accounts: 系统管理员 maintains them (a password
 * reset only while the setting password.admin_reset allows it), 安全管理员 assigns their roles. */
enum account_action {
    ACCOUNT_UPDATE,         /* PUT /users/:id (display name, unit) */
    ACCOUNT_LOCK,           /* POST /users/:id/lock */
    ACCOUNT_UNLOCK,         /* POST /users/:id/unlock */
    ACCOUNT_RESET_PASSWORD, /* POST /users/:id/reset-password */
    ACCOUNT_SET_ROLE,       /* PUT /users/:id/role */
    ACCOUNT_ACTION_COUNT
};
extern const char *const account_action_codes[ACCOUNT_ACTION_COUNT]; /* "update", "lock", … */

/* Why an action is refused: a stable code and its message. */
struct account_refusal {
    const char *reason; /* "permission", "self", "administrator", "reset_disabled" */
    const char *zh, *en;
};
/* NULL when `actor` may take `action` on account `target_id` whose role code is `target_role`
 * (NULL: no role); else the refusal. Pure apart from reading the setting. */
const struct account_refusal *account_action_refusal(struct db *db, const struct principal *actor,
                                                     int64_t target_id, const char *target_role,
                                                     enum account_action action);
/* 1 when the role code is one of the three administrators'. */
int role_is_administrator(const char *role);

/* A role that may be granted through the API: NULL and *role_id set, or the field message
 * (an administrator role, or no such role). */
const char *account_role_grantable(struct db *db, const char *role, int64_t *role_id,
                                   const char **en);
/* Give the account a (business) role, audited as user.role. */
int account_set_role(struct db *db, const struct audit_actor *who, int64_t user_id, int64_t role_id,
                     const char *role);

/* An administrator's account was locked from one address after `failures` failed sign-ins,
 * and no other address holds it locked (the first lock of an attack): tell every 安全管理员
 * (security.manage). Inside the caller's write transaction. */
int account_alert_lockout(struct db *db, const char *username, const char *ip, int64_t failures,
                          int64_t minutes);

/* Username rule: 3–32 of [a-z0-9_.-], starting with a letter or digit. */
int username_valid(const char *s);

#endif
