/* modules.c — the installation's modules, and the one place that registers what they declare
 * (http/module.h). Adding a module is adding its line to MODULES below. */
#include <stdio.h>
#include <string.h>

#include "app/app.h"
#include "features/entity/entity_http.h"
#include "features/files/files.h"
#include "features/flow/flow.h"
#include "http/module.h"
#include "http/system_http.h"

/* Registration order: a module's migrations may use the tables of the modules before it. */
#define MODULES(X)                                                                                 \
    X(system)                                                                                      \
    X(entity)                                                                                      \
    X(org)                                                                                         \
    X(accounts)                                                                                    \
    X(settings)                                                                                    \
    X(auditlog)                                                                                    \
    X(security)                                                                                    \
    X(calendar)                                                                                    \
    X(files)                                                                                       \
    X(notify)                                                                                      \
    X(flow)                                                                                        \
    X(tasks)                                                                                       \
    X(legalservice)                                                                                \
    X(notice)                                                                                      \
    X(dict)                                                                                        \
    X(reconsider)                                                                                  \
    X(litigation)                                                                                  \
    X(petition)                                                                                    \
    X(mediation)                                                                                   \
    X(enforcement)                                                                                 \
    X(campaign)                                                                                    \
    X(catalog)                                                                                     \
    X(consult)                                                                                     \
    X(normdoc)                                                                                     \
    X(decision)                                                                                    \
    X(draw)                                                                                        \
    X(inspection)                                                                                  \
    X(finding)                                                                                     \
    X(accountability)                                                                              \
    X(shufa)                                                                                       \
    X(assess)                                                                                      \
    X(scoring)                                                                                     \
    X(appeal)                                                                                      \
    X(metrics)

#define X(m) extern const struct module m##_module;
MODULES(X)
#undef X

const struct module *const fazhi_modules[] = {
#define X(m) &m##_module,
    MODULES(X)
#undef X
        NULL};

/* ---- the system module: health, metrics, the API document, the menu; server settings ---- */

/* Groups of the side menu, in order; a module's menu entries name one. */
static const struct {
    const char *key, *zh, *en, *icon;
} menu_groups[] = {
    {"workbench", "工作台", "Workbench", "HomeFilled"},
    {"tasks", "任务督办", "Task supervision", "Flag"},
    {"cases", "案件台账", "Case registers", "Tickets"},
    {"enforcement", "行政执法监督", "Law enforcement supervision", "Stamp"},
    {"legality", "合法性审查", "Legality review", "Checked"},
    {"inspection", "法治督察", "Inspection", "View"},
    {"assess", "年度考核", "Annual assessment", "TrendCharts"},
    {"legal", "公共法律服务", "Public legal services", "Service"},
    {"org", "组织机构", "Organisation", "OfficeBuilding"},
    {"system", "系统管理", "System", "Setting"},
    {"security", "安全管理", "Security", "Lock"},
    {"audit", "审计", "Audit", "Document"},
};
#define N_GROUPS (int)(sizeof menu_groups / sizeof menu_groups[0])

static int group_index(const char *key) {
    for (int i = 0; i < N_GROUPS; i++)
        if (!strcmp(menu_groups[i].key, key)) return i;
    return -1;
}

/* GET /api/v1/menu: the groups and pages the signed-in user may open, in the user's language
 * and the other (the web UI switches language without asking again). */
static void menu_list(struct req *r) {
    json_t *groups = json_array();
    for (int g = 0; g < N_GROUPS; g++) {
        json_t *items = json_array();
        for (int order = -1;;) { /* entries of the group by `order`, module order for ties */
            int next = -1;
            for (int m = 0; fazhi_modules[m]; m++)
                for (int i = 0; i < fazhi_modules[m]->n_menu; i++) {
                    const struct menu_item *e = &fazhi_modules[m]->menu[i];
                    if (group_index(e->group) == g && e->order > order &&
                        (next < 0 || e->order < next))
                        next = e->order;
                }
            if (next < 0) break;
            for (int m = 0; fazhi_modules[m]; m++)
                for (int i = 0; i < fazhi_modules[m]->n_menu; i++) {
                    const struct menu_item *e = &fazhi_modules[m]->menu[i];
                    if (group_index(e->group) != g || e->order != next) continue;
                    if (!perm_gate(r->who.perms, e->perm)) continue;
                    json_t *o =
                        json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:b,s:s}", "path", e->path, "page",
                                  e->page, "title", tr(r, e->zh, e->en), "zh", e->zh, "en", e->en,
                                  "icon", e->icon, "hidden", e->hidden, "perm", perm_code(e->perm));
                    json_object_set_new(o, "active", json_string(e->active ? e->active : e->path));
                    json_object_set_new(o, "module", json_string(fazhi_modules[m]->name));
                    json_array_append_new(items, o);
                }
            order = next;
        }
        if (!json_array_size(items)) {
            json_decref(items);
            continue;
        }
        json_array_append_new(groups,
                              json_pack("{s:s,s:s,s:s,s:s,s:s,s:o}", "key", menu_groups[g].key,
                                        "title", tr(r, menu_groups[g].zh, menu_groups[g].en), "zh",
                                        menu_groups[g].zh, "en", menu_groups[g].en, "icon",
                                        menu_groups[g].icon, "items", items));
    }
    reply_json(r, 200, json_pack("{s:o}", "groups", groups));
}

/* Rows leave trailing fields out (route flags): 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

static const struct setting_def system_settings[] = {
    {"http.max_connections_per_ip", SETTING_INT, "128", 0, 100000, "security.manage", "security",
     "每个地址的连接上限", "Connections per client address",
     "同一客户端地址同时打开的连接数上限（0 为不限）；重启服务后生效；使用 --trust-proxy 时"
     "连接都来自代理，此项不生效，应在代理上按客户端限制"},
    {"http.receive_seconds", SETTING_INT, "30", 5, 600, "security.manage", "security",
     "接收请求时限（秒）", "Time to receive a request (seconds)",
     "客户端须在该时间内发完请求头；请求体另按每秒至少 1 KB 延长；超时即断开连接；重启服务后生效"},
    {"server.request_memory_mb", SETTING_INT, "128", 16, 4096, "setting.manage", "general",
     "单个请求内存上限（MB）", "Memory limit per request (MB)",
     "处理一个请求最多可使用的内存；超出的请求以 413 拒绝且不作任何修改，服务不受影响"},
    {"jobs.daily_hour", SETTING_INT, "8", 0, 24, "setting.manage", "notify", "每日提醒时间（时）",
     "Daily reminder hour",
     "每天该时（北京时间）生成到期、逾期等提醒；设为 24 时服务自身不运行每日任务（由 cron 调用 "
     "fazhi jobs run）"},
};

static const struct route system_routes[] = {
    {M_GET, "/healthz", &perm_public, system_healthz, ROUTE_NO_DB},
    {M_GET, "/readyz", &perm_public, system_readyz, ROUTE_NO_DB}, /* attaches it itself */
    {M_GET, "/metrics", &perm_public, system_metrics, ROUTE_NO_DB},
    {M_GET, "/api/v1/openapi.json", &perm_public, system_openapi, ROUTE_NO_DB},
    {M_GET, "/api/v1/menu", &perm_signed_in, menu_list},
};

static const struct menu_item system_menu[] = {
    {"workbench", "/", "home", "工作台", "Workbench", "HomeFilled", &perm_signed_in, 10, 0, NULL},
};

static const struct audit_name audit_names[] = {
    {"route", "接口", "API route"},
    {"job", "定时任务", "Scheduled job"},
    {"database", "数据库", "Database"},
    {"access.denied", "越权访问", "Access denied"},
    {"system.restore", "恢复备份", "Restore from backup"},
    {"system.keys_reseal", "个人信息密钥重新加密", "Re-seal personal data under the current key"},
    {"job.run", "运行定时任务", "Run scheduled job"},
};

const struct module system_module = {
    .name = "system",
    .zh = "系统",
    .en = "System",
    .settings = system_settings,
    .n_settings = MODULE_N(system_settings),
    .routes = system_routes,
    .n_routes = MODULE_N(system_routes),
    .menu = system_menu,
    .n_menu = MODULE_N(system_menu),
    .audit_names = audit_names,
    .n_audit_names = MODULE_N(audit_names),
};

/* ---- registration ---- */

static int check_menu(const struct module *m, char *err, size_t n) {
    for (int i = 0; i < m->n_menu; i++) {
        const struct menu_item *e = &m->menu[i];
        if (group_index(e->group) < 0) {
            snprintf(err, n, "module %s: menu entry %s names an unknown group %s", m->name, e->path,
                     e->group);
            return -1;
        }
        if (!e->perm || (e->perm != &perm_signed_in && e->perm->id <= 0)) {
            snprintf(err, n, "module %s: menu entry %s names no registered permission", m->name,
                     e->path);
            return -1;
        }
    }
    return 0;
}

/* A web page's path must not be a route of the server (the page of /metrics would be answered
 * by Prometheus' text on a reload or a shared link). Once every route is registered. */
static int check_menu_paths(char *err, size_t n) {
    for (int m = 0; fazhi_modules[m]; m++)
        for (int i = 0; i < fazhi_modules[m]->n_menu; i++) {
            const char *path = fazhi_modules[m]->menu[i].path;
            for (int k = 0; k < route_total(); k++)
                if (!strcmp(route_at(k)->pattern, path)) {
                    snprintf(err, n, "module %s: menu entry %s is a route of the server",
                             fazhi_modules[m]->name, path);
                    return -1;
                }
        }
    return 0;
}

static int check_settings(const struct module *m, char *err, size_t n) {
    for (int i = 0; i < m->n_settings; i++)
        if (!perm_by_code(m->settings[i].perm)) {
            snprintf(err, n, "setting %s: unknown permission %s", m->settings[i].key,
                     m->settings[i].perm ? m->settings[i].perm : "(none)");
            return -1;
        }
    return 0;
}

int modules_init(void) {
    static int done;
    if (done) return 0;
    char err[300] = "";
    int rc = 0;
    /* Permissions first: grants, settings and routes name them. */
    for (int m = 0; !rc && fazhi_modules[m]; m++)
        for (int i = 0; !rc && i < fazhi_modules[m]->n_perms; i++)
            rc = perm_register(fazhi_modules[m]->perms[i], err, sizeof err);
    for (int m = 0; !rc && fazhi_modules[m]; m++) {
        const struct module *mod = fazhi_modules[m];
        for (int i = 0; !rc && i < mod->n_grants; i++)
            rc = perm_grant_register(&mod->grants[i], err, sizeof err);
        if (!rc) rc = settings_register(mod->settings, mod->n_settings, err, sizeof err);
        if (!rc) rc = check_settings(mod, err, sizeof err);
        if (!rc)
            rc = schema_register(mod->name, mod->migrations, mod->n_migrations, mod->tables,
                                 mod->n_tables, err, sizeof err);
        if (!rc) rc = router_add(mod->routes, mod->n_routes, err, sizeof err);
        /* Its entities: checked (a scope rule each) and their routes generated. */
        if (!rc) rc = entity_register(mod->entities, mod->n_entities, err, sizeof err);
        if (!rc) rc = entity_routes_register(mod->entities, mod->n_entities, err, sizeof err);
        if (!rc) rc = check_menu(mod, err, sizeof err);
        for (int i = 0; !rc && i < mod->n_file_owners; i++)
            files_register_owner(mod->file_owners[i].type, mod->file_owners[i].can_read);
        for (int i = 0; !rc && i < mod->n_kinds; i++)
            rc = flow_register(mod->kinds[i], err, sizeof err);
    }
    if (!rc) rc = router_check(err, sizeof err);
    if (!rc) rc = check_menu_paths(err, sizeof err);
    /* child records name entities of any module: checked once all are registered */
    if (!rc) rc = entity_children_check(err, sizeof err);
    if (rc) {
        fprintf(stderr, "fazhi: the modules' declarations do not fit: %s\n", err);
        return -1;
    }
    done = 1;
    return 0;
}
