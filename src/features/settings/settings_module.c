/* settings_module.c — the settings module's declarations (http/module.h): permissions and their
 * grants, settings, routes and menu entries. */
#include "features/settings/settings_http.h"
#include "http/module.h"

/* Rows leave trailing fields out (route flags, setting secrecy): 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

struct perm_def perm_setting_read = {"setting.read",  "system", "查看系统设置",
                                     "View settings", 0,        0};
struct perm_def perm_setting_manage = {"setting.manage",  "system", "修改系统设置",
                                       "Change settings", 1,        0};
static struct perm_def *const perms[] = {&perm_setting_read, &perm_setting_manage};

static const struct perm_grant grants[] = {
    {"sysadmin", "setting.read setting.manage"},
    {"secadmin", "setting.read"},
};

static const struct setting_def settings[] = {
    {"site.name", SETTING_TEXT, "全面依法治区信息平台", 1, 60, "setting.manage", "general",
     "系统名称", "System name", "显示在页面标题和登录页"},
    {"site.district", SETTING_TEXT, "示范区", 1, 40, "setting.manage", "general", "行政区名称",
     "District name", "本系统服务的区（县）名称"},
};

static const struct route routes[] = {
    {M_GET, "/api/v1/settings", &perm_setting_read, settings_list},
    {M_PUT, "/api/v1/settings/:key", &perm_per_setting, settings_update},
};

static const struct menu_item menu[] = {
    {"system", "/system/settings", "settings", "系统设置", "Settings", "Setting",
     &perm_setting_read, 20, 0, NULL},
};

static const struct audit_name audit_names[] = {
    {"setting", "设置", "Setting"},
    {"setting.update", "修改设置", "Change setting"},
};

const struct module settings_module = {
    .name = "settings",
    .zh = "系统设置",
    .en = "Settings",
    .perms = perms,
    .n_perms = MODULE_N(perms),
    .grants = grants,
    .n_grants = MODULE_N(grants),
    .settings = settings,
    .n_settings = MODULE_N(settings),
    .routes = routes,
    .n_routes = MODULE_N(routes),
    .menu = menu,
    .n_menu = MODULE_N(menu),
    .audit_names = audit_names,
    .n_audit_names = MODULE_N(audit_names),
};
