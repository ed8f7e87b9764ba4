/* settings.h — typed settings declared as tables by the modules (key, type, default, bounds,
 * permission), stored in the `settings` table. Reads go through a process-wide cache that
 * follows the "settings" data version, so several servers on one database agree within a
 * second. */
#ifndef FAZHI_SETTINGS_H
#define FAZHI_SETTINGS_H

#include <stdint.h>

#include "base/arena.h"
#include "store/db.h"

enum setting_type { SETTING_INT, SETTING_TEXT, SETTING_BOOL };

/* How a value is shown in answers and audit records. */
enum setting_secret {
    SECRET_NONE,  /* as it is */
    SECRET_WHOLE, /* never: SETTING_MASK when set, "" when not (a password) */
    SECRET_URL,   /* a URL with its credentials masked (base/urlmask.h): host and path stay */
};
#define SETTING_MASK "********"

struct setting_def {
    const char *key;        /* stable key */
    enum setting_type type; /* value type */
    const char *def;        /* default, as text */
    int64_t min, max;       /* bounds: value for ints, length in characters for text */
    const char *perm;       /* code of the permission needed to change it */
    const char *group;      /* UI grouping */
    const char *name, *name_en;
    const char *description;    /* 中文说明 */
    enum setting_secret secret; /* SECRET_NONE unless the row says otherwise */
};

/* Modules declare their settings (http/module.h); registered at start-up, before any thread.
 * 0 ok, -1 with the reason (a key declared twice, too many). */
int settings_register(const struct setting_def *defs, int n, char *err, size_t errlen);
int setting_count(void);
const struct setting_def *setting_at(int i); /* 0 … setting_count()-1 */
const struct setting_def *setting_def_by_key(const char *key);

int64_t setting_int(struct db *db, const char *key); /* cached; default when unset */
/* Validate a value against its definition: 0 ok, else -1 with a reason code in *why
 * ("type", "range", "length"). */
int setting_validate(const struct setting_def *d, const char *value, const char **why);
/* The value as answered and audited (in the arena when masked). Sending back what was shown
 * means "unchanged": see setting_unchanged(). */
const char *setting_shown(struct arena *a, const struct setting_def *d, const char *value);
/* 1 when `given` is what setting_shown() makes of `stored` for a secret setting (the UI sent
 * back the masked value): keep the stored one. */
int setting_unchanged(struct arena *a, const struct setting_def *d, const char *stored,
                      const char *given);
/* After a write of settings or of anything values are derived from (the working-day calendar):
 * drops this process's caches. Other processes notice through the "settings" data version
 * (store/dataver.h) within a second (settings_follow). */
void settings_invalidate(void);
/* Changes whenever settings_invalidate() runs or a change made elsewhere is noticed. */
unsigned settings_generation(void);
/* Notice a change of settings or the calendar made by another process (at most one cheap query
 * a second); setting_int does it too. Call before trusting settings_generation(). */
void settings_follow(struct db *db);
/* Store every declared setting that has no row yet, with its default (idempotent). */
int settings_seed(struct db *db);

#endif
