#include "store/settings.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/timeutil.h"

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
     "登录失败锁定次数", "Failures before lockout", "连续登录失败达到该次数后锁定账号"},
    {"login.lock_minutes", SETTING_INT, "15", 1, 1440, PERM_SECURITY_MANAGE, "security",
     "锁定时长（分钟）", "Lockout minutes", "账号被锁定后自动解锁前的等待时间"},
    {"session.idle_minutes", SETTING_INT, "30", 5, 480, PERM_SECURITY_MANAGE, "security",
     "空闲超时（分钟）", "Idle timeout (minutes)", "无操作超过该时间后需重新登录"},
    {"session.absolute_hours", SETTING_INT, "12", 1, 72, PERM_SECURITY_MANAGE, "security",
     "会话最长时长（小时）", "Absolute session limit (hours)", "登录后超过该时间必须重新登录"},
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

void settings_invalidate(void) {
    pthread_mutex_lock(&cache_lock);
    cache_valid = 0;
    pthread_mutex_unlock(&cache_lock);
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
        int rc = db_exec(db,
                         "INSERT INTO settings (key, value, updated_at, version) VALUES (?, ?, ?, 1) "
                         "ON CONFLICT (key) DO NOTHING",
                         "sss", setting_defs[i].key, setting_defs[i].def, now);
        if (rc != DB_OK) return rc;
    }
    return DB_OK;
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
