/* perm.h — permissions, built-in roles and data scopes.
 *
 * A permission is a `struct perm_def` declared by the module that owns it (its code, group,
 * names and whether it belongs to one of the three administrators) and listed in that module's
 * descriptor (http/module.h). At start-up, before any thread, perm_register() gives each one its
 * id, its bit in a perm_set; a permission that was never registered has id 0 and is held by
 * nobody. Routes name a permission object, or perm_public / perm_signed_in / perm_per_setting;
 * a route without one is refused by router_check() at start-up.
 *
 * Built-in roles are declared here (code, names, scope); which permissions each one holds is
 * declared by the modules as grants (perm_grant_register), so a new module grants its own. */
#ifndef FAZHI_PERM_H
#define FAZHI_PERM_H

#include <stddef.h>
#include <stdint.h>

#define PERM_MAX 256 /* permissions one installation may declare (perm_set bits) */

struct perm_def {
    const char *code;    /* stable text code stored in role_permissions, e.g. "task.read" */
    const char *group;   /* UI grouping, e.g. "tasks" */
    const char *name;    /* 中文名 */
    const char *name_en; /* English name */
    int admin;           /* reserved for the three administrators: never granted to others */
    int id;              /* assigned by perm_register (1…); 0 = not registered */
};

/* Route gates that are not permissions: never granted, never listed. */
extern struct perm_def perm_public;      /* no session needed */
extern struct perm_def perm_signed_in;   /* any signed-in user */
extern struct perm_def perm_per_setting; /* the setting's own permission, checked by the handler */

typedef struct {
    uint64_t w[PERM_MAX / 64];
} perm_set;

static inline int perm_has(perm_set s, const struct perm_def *p) {
    return p && p->id > 0 && p->id < PERM_MAX && (int)((s.w[p->id / 64] >> (p->id % 64)) & 1u);
}
static inline void perm_add(perm_set *s, const struct perm_def *p) {
    if (p && p->id > 0 && p->id < PERM_MAX) s->w[p->id / 64] |= (uint64_t)1 << (p->id % 64);
}
/* The route gate: does a signed-in holder of s pass a route declaring p? */
static inline int perm_gate(perm_set s, const struct perm_def *p) {
    return p == &perm_signed_in || p == &perm_per_setting || perm_has(s, p);
}

/* Registry (start-up only, one thread). perm_register: 0 ok, -1 with a reason in err (a code
 * declared twice, too many permissions). */
int perm_register(struct perm_def *p, char *err, size_t errlen);
int perm_count(void);                                  /* registered permissions */
const struct perm_def *perm_at(int i);                 /* 0 … perm_count()-1, in order */
const struct perm_def *perm_by_code(const char *code); /* NULL if unknown */
const char *perm_code(const struct perm_def *p);       /* "public", "signed_in", … or the code */

enum scope { SCOPE_OWN, SCOPE_SUBTREE, SCOPE_ALL };
const char *scope_code(enum scope s);
int scope_parse(const char *s, enum scope *out); /* 0 ok */

struct builtin_role {
    const char *code; /* role code */
    const char *name; /* 中文名 */
    const char *name_en;
    enum scope scope;
    int admin; /* one of the three administrators: fixed, CLI-granted only */
};
extern const struct builtin_role builtin_roles[];
extern const int builtin_role_count;
const struct builtin_role *builtin_role_by_code(const char *code);

/* A module's grant: built-in role `role` holds the space-separated permission codes `perms`. */
struct perm_grant {
    const char *role;
    const char *perms;
};
/* Start-up only: 0 ok, -1 with a reason (unknown role or permission, an administrator's
 * permission granted to a business role or the other way round). */
int perm_grant_register(const struct perm_grant *g, char *err, size_t errlen);
/* 1 when the built-in role `role` is granted permission `code` by some module. */
int perm_granted(const char *role, const char *code);

#endif
