/* accounts_http.h — routes for sign-in, accounts and roles. */
#ifndef FAZHI_ACCOUNTS_HTTP_H
#define FAZHI_ACCOUNTS_HTTP_H

#include <jansson.h>
#include <stddef.h>

#include "auth/auth.h"

struct req;
json_t *principal_json(const struct principal *p);
void password_policy_message(struct req *r, const char *why, char *zh, char *en, size_t n);

void auth_login(struct req *r);
void auth_logout(struct req *r);
void auth_me(struct req *r);
void auth_permissions(struct req *r);
void auth_password(struct req *r);

void users_create(struct req *r);
void users_update(struct req *r);
void users_lock(struct req *r);
void users_unlock(struct req *r);
void users_reset_password(struct req *r);
void users_set_role(struct req *r);

void roles_create(struct req *r);
void roles_update(struct req *r);
void roles_delete(struct req *r);
void permissions_list(struct req *r);

#endif
