#include "base/utf8.h"
#include "store/settings.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/timeutil.h"
#include "base/urlmask.h"
#include "store/dataver.h"

#define MAX_SETTINGS 256 /* settings all modules may declare */

static const struct setting_def *registry[MAX_SETTINGS]; /* in registration order */
static int n_registered;

int settings_register(const struct setting_def *defs, int n, char *err, size_t errlen) {
    for (int i = 0; i < n; i++) {
        if (setting_def_by_key(defs[i].key)) {
            snprintf(err, errlen, "setting %s is declared twice", defs[i].key);
            return -1;
        }
        if (n_registered >= MAX_SETTINGS) {
            snprintf(err, errlen, "more than %d settings", MAX_SETTINGS);
            return -1;
        }
        registry[n_registered++] = &defs[i];
    }
    return 0;
}

int setting_count(void) {
    return n_registered;
}

const struct setting_def *setting_at(int i) {
    return i >= 0 && i < n_registered ? registry[i] : NULL;
}

/* The integer values of every setting, read by any thread without a lock; refreshed under
 * cache_lock when a setting changed: in this process (settings_invalidate), or anywhere, as the
 * "settings" data version tells (dataver.h), looked at every quarter second (a cheap look at
 * this process's view of the versions, itself at most a second old). Without data
 * versions (an older schema) the values are read again every SETTINGS_STALE_SECONDS. */
#define SETTINGS_CHECK_SECONDS 0.25 /* the data versions themselves are read once a second */
#define SETTINGS_STALE_SECONDS 5.0
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static _Atomic int64_t cache_int[MAX_SETTINGS]; /* current integer values */
static _Atomic double cache_checked = -1e9;     /* monotonic time values were last confirmed */
static double cache_read_at = -1e9;             /* … and last read from the table */
static atomic_int cache_valid;
static int64_t cache_dv = -1;  /* the settings data version they were read at */
static atomic_uint generation; /* bumped by every change of settings or the calendar seen */

const struct setting_def *setting_def_by_key(const char *key) {
    for (int i = 0; key && i < n_registered; i++)
        if (strcmp(registry[i]->key, key) == 0) return registry[i];
    return NULL;
}

void settings_invalidate(void) {
    atomic_store(&cache_valid, 0);
    atomic_fetch_add(&generation, 1);
}

unsigned settings_generation(void) {
    return atomic_load(&generation);
}

/* Read every value; each one goes from its old value straight to its new one (readers take no
 * lock). Nothing changes when the table cannot be read. */
static void refresh(struct db *db) {
    int64_t vals[MAX_SETTINGS];
    for (int i = 0; i < n_registered; i++)
        vals[i] = strtoll(registry[i]->def, NULL, 10);
    struct db_stmt *st = db_prepare(db, "SELECT key, value FROM settings");
    if (!st) return;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        const char *key = db_col_text(st, 0);
        for (int i = 0; i < n_registered; i++)
            if (!strcmp(registry[i]->key, key) && registry[i]->type != SETTING_TEXT) {
                vals[i] = strtoll(db_col_text(st, 1), NULL, 10);
                break;
            }
    }
    db_done(st);
    if (rc != DB_DONE) return;
    for (int i = 0; i < n_registered; i++)
        atomic_store(&cache_int[i], vals[i]);
    cache_read_at = now_mono();
    atomic_store(&cache_valid, 1);
}

/* Under cache_lock: make the values current. */
static void settings_check(struct db *db) {
    static const char *const deps[] = {"settings"};
    double now = now_mono();
    if (atomic_load(&cache_valid) && now - atomic_load(&cache_checked) < SETTINGS_CHECK_SECONDS)
        return; /* another thread did it meanwhile */
    int64_t v;
    int have_dv = dv_read(db, deps, 1, &v) == DB_OK;
    if (have_dv && v != cache_dv) {
        if (cache_dv >= 0) atomic_fetch_add(&generation, 1); /* changed elsewhere */
        cache_dv = v;
        atomic_store(&cache_valid, 0);
    }
    if (!atomic_load(&cache_valid) || (!have_dv && now - cache_read_at > SETTINGS_STALE_SECONDS))
        refresh(db);
    atomic_store(&cache_checked, now);
}

void settings_follow(struct db *db) {
    if (atomic_load(&cache_valid) &&
        now_mono() - atomic_load(&cache_checked) < SETTINGS_CHECK_SECONDS)
        return;
    pthread_mutex_lock(&cache_lock);
    settings_check(db);
    pthread_mutex_unlock(&cache_lock);
}

/* Keys are mostly string literals: remember where each one is (by its address), so a read is
 * one compare instead of a walk over every key (checked, should the address hold another). */
#define KEY_MEMO 64
static _Thread_local struct {
    const char *key;
    int index;
} key_memo[KEY_MEMO];

static int key_index(const char *key) {
    size_t h = ((uintptr_t)key >> 3) % KEY_MEMO;
    if (key_memo[h].key == key && !strcmp(registry[key_memo[h].index]->key, key))
        return key_memo[h].index;
    for (int i = 0; i < n_registered; i++)
        if (strcmp(registry[i]->key, key) == 0) {
            key_memo[h].key = key;
            key_memo[h].index = i;
            return i;
        }
    /* a programming error: every key is declared by a module (modules_init) */
    fprintf(stderr, "fazhi: setting %s is not declared\n", key);
    abort();
}

int64_t setting_int(struct db *db, const char *key) {
    int i = key_index(key);
    settings_follow(db);
    return atomic_load(&cache_int[i]);
}

int settings_seed(struct db *db) {
    char now[21];
    now_iso(now);
    for (int i = 0; i < n_registered; i++) {
        int rc =
            db_exec(db,
                    "INSERT INTO settings (key, value, updated_at, version) VALUES (?, ?, ?, 1) "
                    "ON CONFLICT (key) DO NOTHING",
                    "sss", registry[i]->key, registry[i]->def, now);
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

int setting_validate(const struct setting_def *d, const char *v, const char **why) {
    if (d->type == SETTING_TEXT) {
        int n = utf8_text_chars(v); /* -1 (not acceptable text) is out of range too */
        if (n < 0 || n < d->min || n > d->max) {
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
