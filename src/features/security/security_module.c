/* security_module.c — the security module's declarations (http/module.h): the permissions of
 * the sign-in log and of the online users (the 安全管理员's), the captcha and log settings, the
 * captcha route, the log's retention job, the entities and their menu entries. */
#include <stdio.h>
#include <string.h>

#include "features/security/security.h"
#include "features/security/security_http.h"
#include "http/module.h"

/* Rows leave trailing fields out (route flags, setting secrecy): 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

struct perm_def perm_loginlog_read = {"loginlog.read",        "security", "查看登录日志",
                                      "Read the sign-in log", 1,          0};
struct perm_def perm_session_manage = {"session.manage",
                                       "security",
                                       "管理在线用户（强制下线）",
                                       "Manage online users (force sign-out)",
                                       1,
                                       0};
static struct perm_def *const perms[] = {&perm_loginlog_read, &perm_session_manage};

static const struct perm_grant grants[] = {
    {"secadmin", "loginlog.read session.manage"},
};

static const struct setting_def settings[] = {
    {"login.captcha_after", SETTING_INT, "3", 0, 20, "security.manage", "security",
     "失败几次后需要验证码", "Failures before a captcha",
     "同一账号或同一地址登录失败达到该次数后，登录须输入验证码（0 表示不使用验证码）"},
    {"login.log_days", SETTING_INT, "180", 7, 3650, "security.manage", "security",
     "登录日志保留天数", "Sign-in log kept (days)", "超过该天数的登录日志每天清理一次"},
};

static const struct route routes[] = {
    {M_GET, "/api/v1/auth/captcha", &perm_public, security_captcha},
};

/* ---- login_log_purge: batches of 2000 rows until none is older than login.log_days ---- */

#define PURGE_BATCH 2000

static int job_purge_start(struct db *db, int32_t today, int32_t last_ok, char *state) {
    (void)db, (void)today, (void)last_ok;
    snprintf(state, JOB_STATE_MAX, "0 0 more");
    return DB_OK;
}

/* state: "<log rows removed> <sessions ended> more|done" */
static int job_purge_read(struct db *db, struct arena *a, const char *state, void **batch) {
    (void)db;
    *batch = strstr(state, "more") ? arena_alloc(a, sizeof(struct session_sweep)) : NULL;
    return DB_OK;
}

/* One batch: the log's old rows, and the sessions past their limits that no request came back
 * to (ended and logged `expired`, as a request finding them over would). */
static int job_purge_write(struct db *db, void *batch, char *state) {
    long long removed_before = 0, ended_before = 0;
    sscanf(state, "%lld %lld", &removed_before, &ended_before);
    int ended = session_end_expired(db, batch);
    if (ended < 0) return ended;
    int removed = login_log_purge(db, PURGE_BATCH);
    if (removed < 0) return removed;
    snprintf(state, JOB_STATE_MAX, "%lld %lld %s", removed_before + removed, ended_before + ended,
             removed == PURGE_BATCH || ended == SESSION_SWEEP_MAX ? "more" : "done");
    return DB_OK;
}

static void job_purge_result(const char *state, char *out, size_t n) {
    long long removed = 0, ended = 0;
    sscanf(state, "%lld %lld", &removed, &ended);
    snprintf(out, n, "removed=%lld sessions_ended=%lld", removed, ended);
}

static const struct daily_job jobs[] = {
    {"login_log_purge", "清理超过保留天数的登录日志和过期验证码；结束已超时的会话并记入登录日志",
     job_purge_start, job_purge_read, job_purge_write, job_purge_result},
};

/* list, export.xlsx and DELETE /sessions/{id}: generated (security_entities.c) */
static const struct entity *const entities[] = {&entity_login_log, &entity_sessions};

static const struct menu_item menu[] = {
    {"security", "/security/login-log", "entity", "登录日志", "Sign-in log", "Tickets",
     &perm_loginlog_read, 20, 0, NULL},
    {"security", "/security/sessions", "security/sessions", "在线用户", "Online users",
     "Connection", &perm_session_manage, 30, 0, NULL},
};

const struct module security_module = {
    .name = "security",
    .zh = "安全管理",
    .en = "Security",
    .perms = perms,
    .n_perms = MODULE_N(perms),
    .grants = grants,
    .n_grants = MODULE_N(grants),
    .settings = settings,
    .n_settings = MODULE_N(settings),
    .routes = routes,
    .n_routes = MODULE_N(routes),
    .jobs = jobs,
    .n_jobs = MODULE_N(jobs),
    .menu = menu,
    .n_menu = MODULE_N(menu),
    .entities = entities,
    .n_entities = MODULE_N(entities),
};
