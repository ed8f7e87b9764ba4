/* accounts_module.c — the accounts module's declarations (http/module.h): permissions and their
 * grants, settings, routes and menu entries. */
#include "features/accounts/accounts.h"
#include "features/accounts/accounts_http.h"
#include "http/module.h"

/* Rows leave trailing fields out (route flags, setting secrecy): 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

struct perm_def perm_user_read = {"user.read", "system", "查看账号", "View accounts", 0, 0};
struct perm_def perm_user_manage = {"user.manage", "system", "管理账号", "Manage accounts", 1, 0};
struct perm_def perm_role_read = {"role.read", "security", "查看角色", "View roles", 0, 0};
struct perm_def perm_role_manage = {"role.manage",  "security", "管理角色与权限",
                                    "Manage roles", 1,          0};
struct perm_def perm_role_assign = {"role.assign", "security", "分配角色", "Assign roles", 1, 0};
struct perm_def perm_security_manage = {"security.manage",        "security", "修改安全策略",
                                        "Change security policy", 1,          0};
static struct perm_def *const perms[] = {&perm_user_read,   &perm_user_manage,
                                         &perm_role_read,   &perm_role_manage,
                                         &perm_role_assign, &perm_security_manage};

static const struct perm_grant grants[] = {
    {"sysadmin", "user.read user.manage role.read"},
    {"secadmin", "user.read role.read role.manage role.assign security.manage"},
    {"office", "user.read"},
};

static const struct setting_def settings[] = {
    {"password.min_length", SETTING_INT, "8", 8, 128, "security.manage", "security", "密码最小长度",
     "Minimum password length", "口令至少包含的字符数"},
    {"password.min_classes", SETTING_INT, "3", 1, 4, "security.manage", "security",
     "密码字符类别数", "Password character classes",
     "大写字母、小写字母、数字、其他字符中至少包含的类别数"},
    {"login.max_failures", SETTING_INT, "5", 3, 20, "security.manage", "security",
     "登录失败锁定次数", "Failures before lockout",
     "同一账号从同一地址登录失败达到该次数后，暂停该地址对该账号的登录（其他地址不受影响）"},
    {"login.lock_minutes", SETTING_INT, "15", 1, 1440, "security.manage", "security",
     "锁定时长（分钟）", "Lockout minutes",
     "上述暂停的时长，也是失败次数的计数窗口；三员账号被暂停时通知安全管理员"},
    {"login.ip_max_failures", SETTING_INT, "30", 5, 1000, "security.manage", "security",
     "同一地址登录失败上限", "Failed sign-ins per address",
     "同一客户端地址在时间窗口内登录失败达到该次数后，拒绝该地址的全部登录请求（429），直至窗口结束"
     "；"
     "不计算密码即拒绝"},
    {"login.ip_window_minutes", SETTING_INT, "15", 1, 1440, "security.manage", "security",
     "地址失败计数窗口（分钟）", "Address window (minutes)",
     "统计同一地址登录失败次数的时间窗口，也是达到上限后拒绝的时长"},
    {"password.admin_reset", SETTING_BOOL, "1", 0, 1, "security.manage", "security",
     "允许系统管理员重置业务账号密码", "System administrator may reset passwords",
     "开启时系统管理员可为业务账号生成一次性密码（记入审计日志，用户下次登录须修改）；"
     "三员账号只能在服务器上用 fazhi user passwd 重置"},
    {"session.idle_minutes", SETTING_INT, "30", 5, 480, "security.manage", "security",
     "空闲超时（分钟）", "Idle timeout (minutes)", "无操作超过该时间后需重新登录"},
    {"session.absolute_hours", SETTING_INT, "12", 1, 72, "security.manage", "security",
     "会话最长时长（小时）", "Absolute session limit (hours)", "登录后超过该时间必须重新登录"},
};

static const struct route routes[] = {
    {M_POST, "/api/v1/auth/login", &perm_public, auth_login},
    {M_POST, "/api/v1/auth/logout", &perm_signed_in, auth_logout},
    {M_GET, "/api/v1/auth/me", &perm_signed_in, auth_me},
    {M_GET, "/api/v1/auth/permissions", &perm_signed_in, auth_permissions},
    {M_POST, "/api/v1/auth/password", &perm_signed_in, auth_password},
    {M_POST, "/api/v1/users", &perm_user_manage, users_create},
    {M_PUT, "/api/v1/users/:id", &perm_user_manage, users_update},
    {M_POST, "/api/v1/users/:id/lock", &perm_user_manage, users_lock},
    {M_POST, "/api/v1/users/:id/unlock", &perm_user_manage, users_unlock},
    {M_POST, "/api/v1/users/:id/reset-password", &perm_user_manage, users_reset_password},
    {M_PUT, "/api/v1/users/:id/role", &perm_role_assign, users_set_role},
    {M_POST, "/api/v1/roles", &perm_role_manage, roles_create},
    {M_PUT, "/api/v1/roles/:id", &perm_role_manage, roles_update},
    {M_DELETE, "/api/v1/roles/:id", &perm_role_manage, roles_delete},
    {M_GET, "/api/v1/permissions", &perm_role_read, permissions_list},
};

/* list, get (and the accounts' export.xlsx): generated (accounts_entities.c) */
static const struct entity *const entities[] = {&entity_users, &entity_roles};

static const struct menu_item menu[] = {
    {"system", "/system/users", "users", "账号管理", "Accounts", "User", &perm_user_read, 10, 0,
     NULL},
    {"security", "/security/roles", "roles", "角色权限", "Roles", "Stamp", &perm_role_read, 10, 0,
     NULL},
};

/* Which permissions have been seen here (accounts.h roles_sync): those a module adds later are
 * granted to its built-in roles once. The codes known when it was made are seen already. */
static const struct migration migrations[] = {
    {1, "permissions seen, so a module added later grants its own to the built-in roles",
     "CREATE TABLE permissions_seen (code TEXT PRIMARY KEY);"
     "INSERT INTO permissions_seen (code) VALUES ('unit.read'), ('unit.manage'), ('person.read'), "
     "('person.manage'), ('person.reveal'), ('user.read'), ('user.manage'), ('setting.read'), "
     "('setting.manage'), ('role.read'), ('role.manage'), ('role.assign'), ('security.manage'), "
     "('audit.read'), ('audit.export'), ('audit.verify'), ('task.read'), ('task.manage'), "
     "('task.work'), ('file.upload'), ('calendar.manage'), ('notify.manage');",
     NULL, NULL},
};

static const struct copy_table tables[] = {
    {"permissions_seen", "code", 0},
};

static const struct audit_name audit_names[] = {
    {"user", "账号", "Account"},
    {"role", "角色", "Role"},
    {"session", "会话", "Session"},
    {"address", "地址", "Address"},
    {"auth.login", "登录", "Sign in"},
    {"auth.login_failed", "登录失败", "Sign-in failed"},
    {"auth.login_throttled", "登录受限", "Sign-in throttled"},
    {"auth.logout", "退出", "Sign out"},
    {"auth.password", "修改密码", "Change password"},
    {"user.create", "新建账号", "Create account"},
    {"user.update", "修改账号", "Edit account"},
    {"user.lock", "锁定账号", "Lock account"},
    {"user.unlock", "解锁账号", "Unlock account"},
    {"user.reset_password", "重置密码", "Reset password"},
    {"user.role", "分配角色", "Assign role"},
    {"role.create", "新增角色", "Create role"},
    {"role.update", "修改角色", "Edit role"},
    {"role.delete", "删除角色", "Delete role"},
};

const struct module accounts_module = {
    .name = "accounts",
    .zh = "账号与权限",
    .en = "Accounts and roles",
    .perms = perms,
    .n_perms = MODULE_N(perms),
    .grants = grants,
    .n_grants = MODULE_N(grants),
    .settings = settings,
    .n_settings = MODULE_N(settings),
    .migrations = migrations,
    .n_migrations = MODULE_N(migrations),
    .tables = tables,
    .n_tables = MODULE_N(tables),
    .routes = routes,
    .n_routes = MODULE_N(routes),
    .menu = menu,
    .n_menu = MODULE_N(menu),
    .entities = entities,
    .n_entities = MODULE_N(entities),
    .audit_names = audit_names,
    .n_audit_names = MODULE_N(audit_names),
};
