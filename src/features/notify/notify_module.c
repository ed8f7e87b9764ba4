/* notify_module.c — the notify module's declarations (http/module.h): permissions and their
 * grants, settings, routes and menu entries. */
#include "features/notify/notify.h"
#include "features/notify/notify_http.h"
#include "http/module.h"

/* Rows leave trailing fields out (route flags, setting secrecy): 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

struct perm_def perm_notify_manage = {"notify.manage",           "system", "配置消息推送",
                                      "Configure notifications", 1,        0};
static struct perm_def *const perms[] = {&perm_notify_manage};

static const struct perm_grant grants[] = {
    {"sysadmin", "notify.manage"},
};

static const struct setting_def settings[] = {
    {"notify.webhook_url", SETTING_TEXT, "", 0, 500, "notify.manage", "notify", "Webhook 地址",
     "Webhook URL",
     "政务微信、钉钉等群机器人地址，须为 https:// 公网地址（内网网关见下一项白名单）；"
     "其中的密钥显示为 ********；为空则不推送",
     SECRET_URL},
    {"notify.webhook_allow", SETTING_TEXT, "", 0, 500, "notify.manage", "notify",
     "Webhook 内网白名单", "Webhook allow-list",
     "允许 Webhook 访问的内网机器人网关：主机名、IP 地址或网段（如 robot.gov.internal、"
     "10.1.2.3、10.8.0.0/16），以逗号分隔；列入的目标也可使用 http://。"
     "为空则只允许解析到公网地址的 https:// 地址"},
    {"notify.smtp_url", SETTING_TEXT, "", 0, 200, "notify.manage", "notify", "SMTP 服务器",
     "SMTP server", "如 smtps://mail.example.gov.cn:465；为空则不发邮件", SECRET_URL},
    {"notify.smtp_from", SETTING_TEXT, "", 0, 100, "notify.manage", "notify", "发件人地址",
     "Sender address", "邮件发件人"},
    {"notify.smtp_user", SETTING_TEXT, "", 0, 100, "notify.manage", "notify", "SMTP 用户名",
     "SMTP user", "SMTP 登录用户名"},
    {"notify.smtp_password", SETTING_TEXT, "", 0, 100, "notify.manage", "notify", "SMTP 密码",
     "SMTP password", "SMTP 登录密码", SECRET_WHOLE},
};

static const struct route routes[] = {
    {M_GET, "/api/v1/notifications/unread-count", &perm_signed_in, notifications_unread_count},
    {M_POST, "/api/v1/notifications/read-all", &perm_signed_in, notifications_read_all},
    {M_POST, "/api/v1/notifications/:id/read", &perm_signed_in, notifications_read},
};

/* list and get of each: generated (notify_entities.c) */
static const struct entity *const entities[] = {&entity_notifications, &entity_deliveries};

static const struct menu_item menu[] = {
    {"workbench", "/notifications", "notifications", "消息中心", "Messages", "Message",
     &perm_signed_in, 20, 1, NULL},
    {"system", "/system/deliveries", "deliveries", "消息推送记录", "Push outbox", "Promotion",
     &perm_notify_manage, 40, 0, NULL},
};

static const struct audit_name audit_names[] = {
    {"notification", "消息", "Notification"},
    {"delivery", "推送记录", "Delivery"},
};

/* The notify module's own versions (the inbox table itself is core: store/migrate.c). */
static const struct migration migrations[] = {
    {1, "notifications in English too (the reader of the English UI sees them)",
     "ALTER TABLE notifications ADD COLUMN title_en TEXT NOT NULL DEFAULT '';"
     "ALTER TABLE notifications ADD COLUMN body_en TEXT NOT NULL DEFAULT '';",
     NULL, NULL},
};

const struct module notify_module = {
    .name = "notify",
    .zh = "消息",
    .en = "Notifications",
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
    .entities = entities,
    .n_entities = MODULE_N(entities),
    .migrations = migrations,
    .n_migrations = MODULE_N(migrations),
    .audit_names = audit_names,
    .n_audit_names = MODULE_N(audit_names),
};
