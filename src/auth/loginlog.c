/* loginlog.c — the sign-in log (登录日志): one row per sign-in attempt, sign-out and session
 * end, in the table login_log (core migration 11). It is not the audit log: the audit log is
 * append-only and kept for ever, while this log is bounded (login.log_days, deleted by the
 * security module's daily job) and also records refusals that change nothing (throttled
 * attempts, a missing captcha), which a flood could repeat at request rate — those are kept at
 * most once a minute per address, name and result. */
#include <stdio.h>
#include <string.h>

#include "auth/auth.h"
#include "base/timeutil.h"
#include "base/utf8.h"

static void text_bounded(char *out, size_t outsz, const char *s, size_t max) {
    utf8_clean(out, max < outsz ? max : outsz - 1, s);
}

int login_log_recent(struct db *db, const char *username, const char *ip, const char *result) {
    char since[21], name[LOGIN_LOG_NAME_MAX + 1];
    iso_utc(now_unix() - 60, since);
    text_bounded(name, sizeof name, username, LOGIN_LOG_NAME_MAX);
    int64_t n = 0;
    int rc = db_query_int(db, &n,
                          "SELECT COUNT(*) FROM login_log WHERE ip = ? AND at > ? "
                          "AND username = ? AND result = ?",
                          "ssss", ip ? ip : "", since, name, result);
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERROR;
    return n > 0;
}

int login_log_add(struct db *db, const char *username, int64_t user_id, const char *ip,
                  const char *user_agent, const char *result, int coalesce) {
    char at[21], ua[LOGIN_LOG_UA_MAX + 1], name[LOGIN_LOG_NAME_MAX + 1];
    now_iso(at);
    text_bounded(ua, sizeof ua, user_agent, LOGIN_LOG_UA_MAX);
    text_bounded(name, sizeof name, username, LOGIN_LOG_NAME_MAX);
    if (!ip) ip = "";
    if (coalesce) {
        int seen = login_log_recent(db, username, ip, result);
        if (seen < 0) return seen;
        if (seen) return DB_OK;
    }
    return db_exec(db,
                   "INSERT INTO login_log (at, username, user_id, ip, user_agent, result) "
                   "VALUES (?, ?, NULLIF(?, 0), ?, ?, ?)",
                   "ssisss", at, name, user_id, ip, ua, result);
}
