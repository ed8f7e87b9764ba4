#include "base/utf8.h"
#include "store/settings.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/timeutil.h"
#include "base/urlmask.h"

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

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static int64_t cache_int[MAX_SETTINGS]; /* current integer values */
static double cache_time = -1e9;        /* monotonic time of the last refresh */
static int cache_valid;

const struct setting_def *setting_def_by_key(const char *key) {
    for (int i = 0; key && i < n_registered; i++)
        if (strcmp(registry[i]->key, key) == 0) return registry[i];
    return NULL;
}

static int index_of(const struct setting_def *d) {
    for (int i = 0; i < n_registered; i++)
        if (registry[i] == d) return i;
    return -1;
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
    for (int i = 0; i < n_registered; i++)
        cache_int[i] = strtoll(registry[i]->def, NULL, 10);
    struct db_stmt *st = db_prepare(db, "SELECT key, value FROM settings");
    if (!st) return;
    while (db_step(st) == DB_ROW) {
        const struct setting_def *d = setting_def_by_key(db_col_text(st, 0));
        if (d && d->type != SETTING_TEXT)
            cache_int[index_of(d)] = strtoll(db_col_text(st, 1), NULL, 10);
    }
    db_done(st);
    cache_time = now_mono();
    cache_valid = 1;
}

int64_t setting_int(struct db *db, const char *key) {
    const struct setting_def *d = setting_def_by_key(key);
    if (!d) { /* a programming error: every key is declared by a module (modules_init) */
        fprintf(stderr, "fazhi: setting %s is not declared\n", key);
        abort();
    }
    pthread_mutex_lock(&cache_lock);
    if (!cache_valid || now_mono() - cache_time > 5.0) refresh(db);
    int64_t v = cache_int[index_of(d)];
    pthread_mutex_unlock(&cache_lock);
    return v;
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
