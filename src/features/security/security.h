/* security.h — the security administrator's pages (安全管理): the sign-in log (登录日志) and
 * the online users (在线用户, with force sign-out), and the captcha route of the sign-in page.
 * What they read and write is auth's (auth/auth.h: login_log_add, captcha_*, sessions); this
 * module declares the entities, permissions, settings, the log's retention job and the menu. */
#ifndef FAZHI_SECURITY_H
#define FAZHI_SECURITY_H

#include "features/entity/entity.h"

extern struct perm_def perm_loginlog_read;  /* loginlog.read: the sign-in log */
extern struct perm_def perm_session_manage; /* session.manage: online users, force sign-out */
extern const struct entity entity_login_log;
extern const struct entity entity_sessions;

/* Delete sign-in log rows older than login.log_days and spent captchas, at most `batch` rows
 * of each: how many log rows went, or < 0. */
int login_log_purge(struct db *db, int batch);

#endif
