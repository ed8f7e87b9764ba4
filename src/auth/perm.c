#include "auth/perm.h"

#include <string.h>

const struct perm_def perm_defs[] = {
#define X(id, code, group, zh, en, admin) {PERM_##id, code, group, zh, en, admin},
    PERMISSIONS(X)
#undef X
};
const int perm_def_count = (int)(sizeof perm_defs / sizeof perm_defs[0]);

_Static_assert(PERM_COUNT <= 64, "perm_set holds 64 permissions");

const struct perm_def *perm_by_code(const char *code) {
    for (int i = 0; i < perm_def_count; i++)
        if (strcmp(perm_defs[i].code, code) == 0) return &perm_defs[i];
    return NULL;
}

const char *perm_code(enum perm p) {
    if (p == PERM_PUBLIC) return "public";
    if (p == PERM_SIGNED_IN) return "signed_in";
    if (p == PERM_PER_SETTING) return "per_setting";
    for (int i = 0; i < perm_def_count; i++)
        if (perm_defs[i].id == p) return perm_defs[i].code;
    return "undeclared";
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
 * policy; 审计管理员 only the audit log. None holds another's permissions. */
const struct builtin_role builtin_roles[] = {
    {"sysadmin", "系统管理员", "System administrator", SCOPE_ALL, 1,
     "unit.read unit.manage person.read person.manage user.read user.manage role.read "
     "setting.read setting.manage calendar.manage notify.manage"},
    {"secadmin", "安全管理员", "Security administrator", SCOPE_ALL, 1,
     "unit.read user.read role.read role.manage role.assign setting.read security.manage"},
    {"auditor", "审计管理员", "Audit administrator", SCOPE_ALL, 1,
     "audit.read audit.export audit.verify"},
    {"office", "依法治区办", "Rule-of-law office", SCOPE_ALL, 0,
     "unit.read unit.manage person.read person.manage person.reveal user.read task.read "
     "task.manage task.work file.upload"},
    {"leader", "区领导", "District leader", SCOPE_ALL, 0, "unit.read person.read task.read"},
    {"reviewer", "审核员", "Legality reviewer", SCOPE_ALL, 0, "unit.read person.read task.read"},
    {"inspector", "督察员", "Inspector", SCOPE_ALL, 0, "unit.read person.read task.read"},
    {"clerk", "联络员", "Unit liaison", SCOPE_OWN, 0,
     "unit.read person.read person.manage task.read task.work file.upload"},
};
const int builtin_role_count = (int)(sizeof builtin_roles / sizeof builtin_roles[0]);

const struct builtin_role *builtin_role_by_code(const char *code) {
    for (int i = 0; i < builtin_role_count; i++)
        if (strcmp(builtin_roles[i].code, code) == 0) return &builtin_roles[i];
    return NULL;
}
