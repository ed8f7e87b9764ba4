#include "store/settings.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/timeutil.h"
#include "base/urlmask.h"

/* Rows leave `secret` out unless the value must be masked: SECRET_NONE by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

const struct setting_def setting_defs[] = {
    {"site.name", SETTING_TEXT, "全面依法治区信息平台", 1, 60, PERM_SETTING_MANAGE, "general",
     "系统名称", "System name", "显示在页面标题和登录页"},
    {"site.district", SETTING_TEXT, "示范区", 1, 40, PERM_SETTING_MANAGE, "general", "行政区名称",
     "District name", "本系统服务的区（县）名称"},
    {"password.min_length", SETTING_INT, "8", 8, 128, PERM_SECURITY_MANAGE, "security",
     "密码最小长度", "Minimum password length", "口令至少包含的字符数"},
    {"password.min_classes", SETTING_INT, "3", 1, 4, PERM_SECURITY_MANAGE, "security",
     "密码字符类别数", "Password character classes",
     "大写字母、小写字母、数字、其他字符中至少包含的类别数"},
    {"login.max_failures", SETTING_INT, "5", 3, 20, PERM_SECURITY_MANAGE, "security",
     "登录失败锁定次数", "Failures before lockout",
     "同一账号从同一地址登录失败达到该次数后，暂停该地址对该账号的登录（其他地址不受影响）"},
    {"login.lock_minutes", SETTING_INT, "15", 1, 1440, PERM_SECURITY_MANAGE, "security",
     "锁定时长（分钟）", "Lockout minutes",
     "上述暂停的时长，也是失败次数的计数窗口；三员账号被暂停时通知安全管理员"},
    {"login.ip_max_failures", SETTING_INT, "30", 5, 1000, PERM_SECURITY_MANAGE, "security",
     "同一地址登录失败上限", "Failed sign-ins per address",
     "同一客户端地址在时间窗口内登录失败达到该次数后，拒绝该地址的全部登录请求（429），直至窗口结束"
     "；"
     "不计算密码即拒绝"},
    {"login.ip_window_minutes", SETTING_INT, "15", 1, 1440, PERM_SECURITY_MANAGE, "security",
     "地址失败计数窗口（分钟）", "Address window (minutes)",
     "统计同一地址登录失败次数的时间窗口，也是达到上限后拒绝的时长"},
    {"password.admin_reset", SETTING_BOOL, "1", 0, 1, PERM_SECURITY_MANAGE, "security",
     "允许系统管理员重置业务账号密码", "System administrator may reset passwords",
     "开启时系统管理员可为业务账号生成一次性密码（记入审计日志，用户下次登录须修改）；"
     "三员账号只能在服务器上用 fazhi user passwd 重置"},
    {"http.max_connections_per_ip", SETTING_INT, "128", 0, 100000, PERM_SECURITY_MANAGE, "security",
     "每个地址的连接上限", "Connections per client address",
     "同一客户端地址同时打开的连接数上限（0 为不限）；重启服务后生效；使用 --trust-proxy 时"
     "连接都来自代理，此项不生效，应在代理上按客户端限制"},
    {"http.receive_seconds", SETTING_INT, "30", 5, 600, PERM_SECURITY_MANAGE, "security",
     "接收请求时限（秒）", "Time to receive a request (seconds)",
     "客户端须在该时间内发完请求头；请求体另按每秒至少 1 KB 延长；超时即断开连接；重启服务后生效"},
    {"session.idle_minutes", SETTING_INT, "30", 5, 480, PERM_SECURITY_MANAGE, "security",
     "空闲超时（分钟）", "Idle timeout (minutes)", "无操作超过该时间后需重新登录"},
    {"session.absolute_hours", SETTING_INT, "12", 1, 72, PERM_SECURITY_MANAGE, "security",
     "会话最长时长（小时）", "Absolute session limit (hours)", "登录后超过该时间必须重新登录"},
    {"task.yellow_days", SETTING_INT, "7", 1, 60, PERM_SETTING_MANAGE, "tasks",
     "临期预警天数（工作日）", "Yellow light: due within N working days",
     "截止日期前该工作日数内的任务显示黄灯"},
    {"task.report_day", SETTING_INT, "25", 1, 28, PERM_SETTING_MANAGE, "tasks", "进展报送日",
     "Report day of the month", "按月（季）报送的任务每月（季末月）该日前报送进展"},
    {"files.max_mb", SETTING_INT, "50", 1, 500, PERM_SETTING_MANAGE, "files", "附件大小上限（MB）",
     "Attachment size limit (MB)", "单个上传文件的最大大小"},
    {"server.request_memory_mb", SETTING_INT, "128", 16, 4096, PERM_SETTING_MANAGE, "general",
     "单个请求内存上限（MB）", "Memory limit per request (MB)",
     "处理一个请求最多可使用的内存；超出的请求以 413 拒绝且不作任何修改，服务不受影响"},
    {"jobs.daily_hour", SETTING_INT, "8", 0, 23, PERM_SETTING_MANAGE, "notify",
     "每日提醒时间（时）", "Daily reminder hour", "每天该时（北京时间）生成到期、逾期等提醒"},
    {"notify.webhook_url", SETTING_TEXT, "", 0, 500, PERM_NOTIFY_MANAGE, "notify", "Webhook 地址",
     "Webhook URL",
     "政务微信、钉钉等群机器人地址，须为 https:// 公网地址（内网网关见下一项白名单）；"
     "其中的密钥显示为 ********；为空则不推送",
     SECRET_URL},
    {"notify.webhook_allow", SETTING_TEXT, "", 0, 500, PERM_NOTIFY_MANAGE, "notify",
     "Webhook 内网白名单", "Webhook allow-list",
     "允许 Webhook 访问的内网机器人网关：主机名、IP 地址或网段（如 robot.gov.internal、"
     "10.1.2.3、10.8.0.0/16），以逗号分隔；列入的目标也可使用 http://。"
     "为空则只允许解析到公网地址的 https:// 地址"},
    {"notify.smtp_url", SETTING_TEXT, "", 0, 200, PERM_NOTIFY_MANAGE, "notify", "SMTP 服务器",
     "SMTP server", "如 smtps://mail.example.gov.cn:465；为空则不发邮件", SECRET_URL},
    {"notify.smtp_from", SETTING_TEXT, "", 0, 100, PERM_NOTIFY_MANAGE, "notify", "发件人地址",
     "Sender address", "邮件发件人"},
    {"notify.smtp_user", SETTING_TEXT, "", 0, 100, PERM_NOTIFY_MANAGE, "notify", "SMTP 用户名",
     "SMTP user", "SMTP 登录用户名"},
    {"notify.smtp_password", SETTING_TEXT, "", 0, 100, PERM_NOTIFY_MANAGE, "notify", "SMTP 密码",
     "SMTP password", "SMTP 登录密码", SECRET_WHOLE},
};
const int setting_def_count = (int)(sizeof setting_defs / sizeof setting_defs[0]);

#define MAX_SETTINGS 64
_Static_assert(sizeof setting_defs / sizeof setting_defs[0] <= MAX_SETTINGS, "settings cache");

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static int64_t cache_int[MAX_SETTINGS]; /* current integer values */
static double cache_time = -1e9;        /* monotonic time of the last refresh */
static int cache_valid;

const struct setting_def *setting_def_by_key(const char *key) {
    for (int i = 0; i < setting_def_count; i++)
        if (strcmp(setting_defs[i].key, key) == 0) return &setting_defs[i];
    return NULL;
}

static unsigned generation; /* bumped by every change of settings or the calendar */

void settings_invalidate(void) {
    pthread_mutex_lock(&cache_lock);
    cache_valid = 0;
    generation++;
    pthread_mutex_unlock(&cache_lock);
}

unsigned settings_generation(void) {
    pthread_mutex_lock(&cache_lock);
    unsigned g = generation;
    pthread_mutex_unlock(&cache_lock);
    return g;
}

static void refresh(struct db *db) {
    for (int i = 0; i < setting_def_count; i++)
        cache_int[i] = strtoll(setting_defs[i].def, NULL, 10);
    struct db_stmt *st = db_prepare(db, "SELECT key, value FROM settings");
    if (!st) return;
    while (db_step(st) == DB_ROW) {
        const struct setting_def *d = setting_def_by_key(db_col_text(st, 0));
        if (d && d->type != SETTING_TEXT)
            cache_int[d - setting_defs] = strtoll(db_col_text(st, 1), NULL, 10);
    }
    db_done(st);
    cache_time = now_mono();
    cache_valid = 1;
}

int64_t setting_int(struct db *db, const char *key) {
    const struct setting_def *d = setting_def_by_key(key);
    if (!d) abort(); /* a programming error: every key is declared above */
    pthread_mutex_lock(&cache_lock);
    if (!cache_valid || now_mono() - cache_time > 5.0) refresh(db);
    int64_t v = cache_int[d - setting_defs];
    pthread_mutex_unlock(&cache_lock);
    return v;
}

int settings_seed(struct db *db) {
    char now[21];
    now_iso(now);
    for (int i = 0; i < setting_def_count; i++) {
        int rc =
            db_exec(db,
                    "INSERT INTO settings (key, value, updated_at, version) VALUES (?, ?, ?, 1) "
                    "ON CONFLICT (key) DO NOTHING",
                    "sss", setting_defs[i].key, setting_defs[i].def, now);
        if (rc != DB_OK) return rc;
    }
    return DB_OK;
}

const char *setting_shown(struct arena *a, const struct setting_def *d, const char *value) {
    switch (d->secret) {
    case SECRET_WHOLE:
        return value && *value ? SETTING_MASK : "";
    case SECRET_URL:
        return url_mask_secrets(a, value ? value : "");
    case SECRET_NONE:
        break;
    }
    return value ? value : "";
}

int setting_unchanged(struct arena *a, const struct setting_def *d, const char *stored,
                      const char *given) {
    if (d->secret == SECRET_NONE || !stored || !given) return 0;
    if (d->secret == SECRET_WHOLE && !strcmp(given, SETTING_MASK)) return 1;
    return strcmp(given, stored) != 0 && strcmp(given, setting_shown(a, d, stored)) == 0;
}

static size_t utf8_chars(const char *s) {
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) n++;
    return n;
}

int setting_validate(const struct setting_def *d, const char *v, const char **why) {
    if (d->type == SETTING_TEXT) {
        size_t n = utf8_chars(v);
        if ((int64_t)n < d->min || (int64_t)n > d->max) {
            *why = "length";
            return -1;
        }
        return 0;
    }
    char *end = NULL;
    if (!*v) {
        *why = "type";
        return -1;
    }
    long long x = strtoll(v, &end, 10);
    if (*end) {
        *why = "type";
        return -1;
    }
    int64_t lo = d->type == SETTING_BOOL ? 0 : d->min, hi = d->type == SETTING_BOOL ? 1 : d->max;
    if (x < lo || x > hi) {
        *why = "range";
        return -1;
    }
    return 0;
}
