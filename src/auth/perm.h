/* perm.h — the permission table, the built-in roles, and data scopes.
 * Every route names one permission from here (or PERM_PUBLIC / PERM_SIGNED_IN); a route without
 * one is rejected by router_check() at start-up and by tests. */
#ifndef FAZHI_PERM_H
#define FAZHI_PERM_H

#include <stdint.h>

/* X(id, code, group, zh, en, admin) — admin: belongs to one of the three administrators and can
 * never be granted to a business role (三员分立). */
#define PERMISSIONS(X)                                                                             \
    X(UNIT_READ, "unit.read", "org", "查看机构", "View units", 0)                                  \
    X(UNIT_MANAGE, "unit.manage", "org", "管理机构", "Manage units", 0)                            \
    X(PERSON_READ, "person.read", "org", "查看人员", "View people", 0)                             \
    X(PERSON_MANAGE, "person.manage", "org", "管理人员", "Manage people", 0)                       \
    X(PERSON_REVEAL, "person.reveal", "org", "查看完整个人信息", "See unmasked personal data", 0)  \
    X(USER_READ, "user.read", "system", "查看账号", "View accounts", 0)                            \
    X(USER_MANAGE, "user.manage", "system", "管理账号", "Manage accounts", 1)                      \
    X(SETTING_READ, "setting.read", "system", "查看系统设置", "View settings", 0)                  \
    X(SETTING_MANAGE, "setting.manage", "system", "修改系统设置", "Change settings", 1)            \
    X(ROLE_READ, "role.read", "security", "查看角色", "View roles", 0)                             \
    X(ROLE_MANAGE, "role.manage", "security", "管理角色与权限", "Manage roles", 1)                 \
    X(ROLE_ASSIGN, "role.assign", "security", "分配角色", "Assign roles", 1)                       \
    X(SECURITY_MANAGE, "security.manage", "security", "修改安全策略", "Change security policy", 1) \
    X(AUDIT_READ, "audit.read", "audit", "查看审计日志", "Read the audit log", 1)                  \
    X(AUDIT_EXPORT, "audit.export", "audit", "导出审计日志", "Export the audit log", 1)            \
    X(AUDIT_VERIFY, "audit.verify", "audit", "校验审计日志", "Verify the audit log", 1)            \
    X(TASK_READ, "task.read", "tasks", "查看督办任务", "View supervised tasks", 0)                 \
    X(TASK_MANAGE, "task.manage", "tasks", "管理督办任务", "Manage supervised tasks", 0)           \
    X(TASK_WORK, "task.work", "tasks", "办理督办任务", "Work on assigned tasks", 0)                \
    X(FILE_UPLOAD, "file.upload", "tasks", "上传附件", "Upload attachments", 0)                    \
    X(CALENDAR_MANAGE, "calendar.manage", "system", "维护工作日历", "Maintain the calendar", 1)    \
    X(NOTIFY_MANAGE, "notify.manage", "system", "配置消息推送", "Configure notifications", 1)

enum perm {
    PERM_UNDECLARED = 0, /* a route that forgot its permission: refused at start-up */
    PERM_PUBLIC,         /* no session needed */
    PERM_SIGNED_IN,      /* any signed-in user */
    PERM_PER_SETTING,    /* signed in; the handler checks the permission the setting's row names
                            (store/settings.c), shown as "per_setting" */
#define X(id, code, group, zh, en, admin) PERM_##id,
    PERMISSIONS(X)
#undef X
        PERM_COUNT
};

struct perm_def {
    enum perm id;      /* enum value */
    const char *code;  /* stable text code stored in role_permissions */
    const char *group; /* UI grouping */
    const char *name;  /* 中文名 */
    const char *name_en;
    int admin; /* reserved for the three administrators */
};

extern const struct perm_def perm_defs[];
extern const int perm_def_count;
const struct perm_def *perm_by_code(const char *code); /* NULL if unknown */
const char *perm_code(enum perm p);                    /* "public", "signed_in" or the code */

typedef uint64_t perm_set; /* bit i = enum perm i */
static inline int perm_has(perm_set s, enum perm p) {
    return (int)((s >> p) & 1u);
}
/* The route gate: does a signed-in holder of s pass a route declaring p? Routes whose
 * permission depends on the object (PERM_PER_SETTING) pass here and check in the handler. */
static inline int perm_gate(perm_set s, enum perm p) {
    return p == PERM_SIGNED_IN || p == PERM_PER_SETTING || perm_has(s, p);
}

enum scope { SCOPE_OWN, SCOPE_SUBTREE, SCOPE_ALL };
const char *scope_code(enum scope s);
int scope_parse(const char *s, enum scope *out); /* 0 ok */

struct builtin_role {
    const char *code; /* role code */
    const char *name; /* 中文名 */
    const char *name_en;
    enum scope scope;
    int admin;               /* one of the three administrators: fixed, CLI-granted only */
    const char *permissions; /* space-separated codes */
};
extern const struct builtin_role builtin_roles[];
extern const int builtin_role_count;
const struct builtin_role *builtin_role_by_code(const char *code);

#endif
