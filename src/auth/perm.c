#include "auth/perm.h"

#include <stdio.h>
#include <string.h>

struct perm_def perm_public = {"public", "", "公开", "Public", 0, 0};
struct perm_def perm_signed_in = {"signed_in", "", "已登录", "Signed in", 0, 0};
struct perm_def perm_per_setting = {"per_setting", "", "按设置项", "Per setting", 0, 0};

static struct perm_def *registry[PERM_MAX]; /* registry[0] unused: id 0 = not registered */
static int n_registered;

int perm_register(struct perm_def *p, char *err, size_t errlen) {
    if (!p || !p->code || !*p->code) {
        snprintf(err, errlen, "a permission without a code");
        return -1;
    }
    if (p->id) return 0; /* listed by two modules, or registered again: the same object */
    if (perm_by_code(p->code) || !strcmp(p->code, perm_public.code) ||
        !strcmp(p->code, perm_signed_in.code) || !strcmp(p->code, perm_per_setting.code)) {
        snprintf(err, errlen, "permission %s is declared twice", p->code);
        return -1;
    }
    if (n_registered + 1 >= PERM_MAX) {
        snprintf(err, errlen, "more than %d permissions", PERM_MAX - 1);
        return -1;
    }
    registry[++n_registered] = p;
    p->id = n_registered;
    return 0;
}

int perm_count(void) {
    return n_registered;
}

const struct perm_def *perm_at(int i) {
    return i >= 0 && i < n_registered ? registry[i + 1] : NULL;
}

const struct perm_def *perm_by_code(const char *code) {
    for (int i = 1; code && i <= n_registered; i++)
        if (strcmp(registry[i]->code, code) == 0) return registry[i];
    return NULL;
}

const char *perm_code(const struct perm_def *p) {
    return p && p->code ? p->code : "undeclared";
}

const char *scope_code(enum scope s) {
    return s == SCOPE_ALL ? "all" : s == SCOPE_SUBTREE ? "subtree" : "own";
}

int scope_parse(const char *s, enum scope *out) {
    if (!s) return -1;
    if (strcmp(s, "own") == 0)
        *out = SCOPE_OWN;
    else if (strcmp(s, "subtree") == 0)
        *out = SCOPE_SUBTREE;
    else if (strcmp(s, "all") == 0)
        *out = SCOPE_ALL;
    else
        return -1;
    return 0;
}

/* 三员分立: 系统管理员 runs accounts, units and settings; 安全管理员 roles, grants and security
 * policy; 审计管理员 only the audit log. None holds another's permissions (the modules' grants). */
const struct builtin_role builtin_roles[] = {
    {"sysadmin", "系统管理员", "System administrator", SCOPE_ALL, 1},
    {"secadmin", "安全管理员", "Security administrator", SCOPE_ALL, 1},
    {"auditor", "审计管理员", "Audit administrator", SCOPE_ALL, 1},
    {"office", "依法治区办", "Rule-of-law office", SCOPE_ALL, 0},
    {"leader", "区领导", "District leader", SCOPE_ALL, 0},
    {"reviewer", "审核员", "Legality reviewer", SCOPE_ALL, 0},
    {"inspector", "督察员", "Inspector", SCOPE_ALL, 0},
    {"clerk", "联络员", "Unit liaison", SCOPE_OWN, 0},
};
const int builtin_role_count = (int)(sizeof builtin_roles / sizeof builtin_roles[0]);

const struct builtin_role *builtin_role_by_code(const char *code) {
    for (int i = 0; code && i < builtin_role_count; i++)
        if (strcmp(builtin_roles[i].code, code) == 0) return &builtin_roles[i];
    return NULL;
}

#define GRANTS_MAX 2048 /* (role, permission) pairs all modules may grant */

static struct {
    const struct builtin_role *role;
    const struct perm_def *perm;
} grants[GRANTS_MAX];
static int n_grants;

int perm_grant_register(const struct perm_grant *g, char *err, size_t errlen) {
    const struct builtin_role *role = builtin_role_by_code(g->role);
    if (!role) {
        snprintf(err, errlen, "grant to an unknown role %s", g->role ? g->role : "(none)");
        return -1;
    }
    char codes[1024];
    if (snprintf(codes, sizeof codes, "%s", g->perms ? g->perms : "") >= (int)sizeof codes) {
        snprintf(err, errlen, "grant to %s: the list is too long", g->role);
        return -1;
    }
    for (char *save = NULL, *c = strtok_r(codes, " ", &save); c; c = strtok_r(NULL, " ", &save)) {
        const struct perm_def *p = perm_by_code(c);
        if (!p) {
            snprintf(err, errlen, "grant to %s: unknown permission %s", g->role, c);
            return -1;
        }
        if (p->admin && !role->admin) {
            snprintf(err, errlen, "grant to %s: %s belongs to the three administrators", g->role,
                     c);
            return -1;
        }
        if (perm_granted(role->code, c)) continue;
        if (n_grants >= GRANTS_MAX) {
            snprintf(err, errlen, "more than %d grants", GRANTS_MAX);
            return -1;
        }
        grants[n_grants].role = role;
        grants[n_grants++].perm = p;
    }
    return 0;
}

int perm_granted(const char *role, const char *code) {
    for (int i = 0; i < n_grants; i++)
        if (!strcmp(grants[i].role->code, role) && !strcmp(grants[i].perm->code, code)) return 1;
    return 0;
}
