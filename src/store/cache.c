/* cache.c — caches labelled with data versions (cache.h): 4-way sets, least recently used out,
 * values as shared reference-counted blobs (a hit copies nothing), one computation per key at
 * a time. */
#include "store/cache.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/log.h"
#include "base/timeutil.h"
#include "store/dataver.h"

#define WAYS 4

struct blob {
    atomic_int refs; /* the entry's, plus one per request holding it */
    size_t len;
    _Alignas(16) char data[]; /* len bytes and a NUL */
};

struct entry {
    uint64_t hash;
    uint64_t gen; /* changes whenever the entry gets another key, value or computation */
    char *key;    /* malloc; NULL = empty */
    size_t key_len;
    struct blob *val;           /* NULL until a value is put */
    int64_t v[CACHE_DEPS_MAX];  /* label of val */
    int flight;                 /* a computation is running for this key … */
    int64_t fv[CACHE_DEPS_MAX]; /* … and will be labelled with these */
    double read_at, fread_at;   /* when the label's versions were read (of val / of the flight) */
    uint64_t used;              /* LRU clock */
};

struct cache {
    const char *name;
    const char *deps[CACHE_DEPS_MAX];
    int n_deps;
    int n_sets;
    double max_stale; /* seconds a value may serve past a change, 0: none */
    struct entry *e;  /* n_sets * WAYS */
    pthread_mutex_t lock;
    pthread_cond_t done; /* a computation finished (put or cancel) */
    uint64_t clock;
    struct cache_stats stats;
};

static void blob_unref(void *p) {
    struct blob *b = p;
    if (b && atomic_fetch_sub(&b->refs, 1) == 1) free(b);
}

static struct blob *blob_new(const void *val, size_t len) {
    struct blob *b = malloc(sizeof(*b) + len + 1);
    if (!b) return NULL;
    atomic_init(&b->refs, 1);
    b->len = len;
    memcpy(b->data, val, len);
    b->data[len] = 0;
    return b;
}

struct cache *cache_new(const char *name, int capacity, const char *const *deps) {
    return cache_new_stale(name, capacity, deps, 0);
}

#define CACHES_MAX 32
static struct cache *_Atomic caches[CACHES_MAX]; /* every cache made, for metrics */
static atomic_int n_caches;

int cache_count(void) {
    int n = atomic_load(&n_caches);
    return n < CACHES_MAX ? n : CACHES_MAX;
}

struct cache *cache_at(int i) {
    return i >= 0 && i < cache_count() ? atomic_load(&caches[i]) : NULL;
}

const char *cache_name(const struct cache *c) {
    return c->name;
}

struct cache *cache_new_stale(const char *name, int capacity, const char *const *deps,
                              double max_stale) {
    struct cache *c = calloc(1, sizeof(*c));
    if (!c) abort();
    c->name = name;
    c->max_stale = max_stale;
    while (deps && deps[c->n_deps]) {
        if (c->n_deps == CACHE_DEPS_MAX) abort(); /* a programming error */
        c->deps[c->n_deps] = deps[c->n_deps];
        c->n_deps++;
    }
    c->n_sets = capacity > WAYS ? (capacity + WAYS - 1) / WAYS : 1;
    c->e = calloc((size_t)c->n_sets * WAYS, sizeof(*c->e));
    if (!c->e) abort();
    pthread_mutex_init(&c->lock, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&c->done, &ca);
    pthread_condattr_destroy(&ca);
    int i = atomic_fetch_add(&n_caches, 1);
    if (i < CACHES_MAX) atomic_store(&caches[i], c);
    return c;
}

void cache_free(struct cache *c) {
    if (!c) return;
    for (int i = 0; i < cache_count(); i++)
        if (atomic_load(&caches[i]) == c) atomic_store(&caches[i], NULL);
    for (int i = 0; i < c->n_sets * WAYS; i++) {
        free(c->e[i].key);
        blob_unref(c->e[i].val);
    }
    free(c->e);
    pthread_cond_destroy(&c->done);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

static uint64_t hash_key(const void *key, size_t n) {
    const unsigned char *p = key;
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 1099511628211ull;
    return h;
}

static int same_label(const int64_t *a, const int64_t *b, int n) {
    for (int i = 0; i < n; i++)
        if (a[i] != b[i]) return 0;
    return 1;
}

/* A value labelled `have` is good for a request that read `want`: it was computed after every
 * change the request may know of (versions only grow: dataver.h). */
static int label_covers(const int64_t *have, const int64_t *want, int n) {
    for (int i = 0; i < n; i++)
        if (have[i] < want[i]) return 0;
    return 1;
}

static struct entry *find(struct cache *c, uint64_t h, const void *key, size_t n) {
    struct entry *set = &c->e[(h % (uint64_t)c->n_sets) * WAYS];
    for (int i = 0; i < WAYS; i++)
        if (set[i].key && set[i].hash == h && set[i].key_len == n && !memcmp(set[i].key, key, n))
            return &set[i];
    return NULL;
}

/* An entry of the key's set for a new key: an empty one, else the least recently used that no
 * computation holds; NULL when every one is busy. */
static struct entry *victim(struct cache *c, uint64_t h) {
    struct entry *set = &c->e[(h % (uint64_t)c->n_sets) * WAYS], *best = NULL;
    for (int i = 0; i < WAYS; i++) {
        if (!set[i].key) return &set[i];
        if (!set[i].flight && (!best || set[i].used < best->used)) best = &set[i];
    }
    return best;
}

static void deadline_in(struct timespec *ts, double secs) {
    clock_gettime(CLOCK_MONOTONIC, ts);
    ts->tv_sec += (time_t)secs;
    ts->tv_nsec += (long)((secs - (double)(time_t)secs) * 1e9);
    if (ts->tv_nsec >= 1000000000L) {
        ts->tv_sec++;
        ts->tv_nsec -= 1000000000L;
    }
}

int cache_get(struct cache *c, struct db *db, const void *key, size_t key_len, struct arena *a,
              void **val, size_t *len, struct cache_ticket *t) {
    return cache_get_since(c, db, key, key_len, 1e300, a, val, len, t);
}

static int hit(struct cache *c, struct entry *e, struct arena *a, void **val, size_t *len,
               struct cache_ticket *t) {
    struct blob *b = e->val;
    atomic_fetch_add(&b->refs, 1);
    e->used = ++c->clock;
    t->slot = (int)(e - c->e);
    t->gen = e->gen;
    memcpy(t->v, e->v, sizeof t->v); /* the ticket of a hit carries the entry's label */
    t->read_at = e->read_at;
    c->stats.hits++;
    pthread_mutex_unlock(&c->lock);
    arena_on_free(a, blob_unref, b);
    *val = b->data;
    *len = b->len;
    return CACHE_HIT;
}

int cache_get_since(struct cache *c, struct db *db, const void *key, size_t key_len, double since,
                    struct arena *a, void **val, size_t *len, struct cache_ticket *t) {
    memset(t, 0, sizeof(*t));
    t->c = c;
    t->slot = -1;
    t->read_at = now_mono();
    if (key_len > CACHE_KEY_MAX || dv_read(db, c->deps, c->n_deps, t->v) != DB_OK) {
        pthread_mutex_lock(&c->lock);
        c->stats.misses++;
        pthread_mutex_unlock(&c->lock);
        return CACHE_MISS;
    }
    uint64_t h = hash_key(key, key_len);
    struct timespec until;
    int waited = 0, reread = 0;
    pthread_mutex_lock(&c->lock);
    for (;;) {
        struct entry *e = find(c, h, key, key_len);
        if (e && e->val && label_covers(e->v, t->v, c->n_deps)) {
            if (waited) c->stats.waits++;
            return hit(c, e, a, val, len, t);
        }
        /* Past a change, within max_stale, made after this session's last write: good enough,
         * unless it is half that old and nobody computes the next one yet (then we do). */
        double age = e && e->val ? t->read_at - e->read_at : 1e300;
        if (e && e->val && c->max_stale > 0 && age <= c->max_stale && e->read_at > since &&
            (age < c->max_stale / 2 || e->flight)) {
            c->stats.stale++;
            return hit(c, e, a, val, len, t);
        }
        if (e && e->flight) {
            /* One computation per key at a time, whatever it is labelled with: its value
             * serves us if it saw our versions; if not, we compute next, from versions read
             * after it ended, and that value serves everyone who waited meanwhile. So however
             * often the data changes, a key costs one computation at a time, and a request
             * waits for two at most. */
            if (!waited) deadline_in(&until, CACHE_WAIT_SECONDS);
            waited = 1;
            if (pthread_cond_timedwait(&c->done, &c->lock, &until) == 0) continue;
            break; /* waited long enough: compute it here, keep nothing */
        }
        if (waited && !reread) {
            pthread_mutex_unlock(&c->lock);
            double at = now_mono();
            int rc = dv_read(db, c->deps, c->n_deps, t->v);
            pthread_mutex_lock(&c->lock);
            if (rc != DB_OK) break;
            t->read_at = at;
            reread = 1;
            continue;
        }
        if (!e) {
            e = victim(c, h);
            if (!e) break;
            free(e->key);
            blob_unref(e->val);
            e->val = NULL;
            e->key = malloc(key_len ? key_len : 1);
            if (!e->key) break;
            memcpy(e->key, key, key_len);
            e->key_len = key_len;
            e->hash = h;
        }
        e->flight = 1;
        memcpy(e->fv, t->v, sizeof e->fv);
        e->fread_at = t->read_at;
        e->gen++;
        e->used = ++c->clock;
        t->slot = (int)(e - c->e);
        t->gen = e->gen;
        break;
    }
    c->stats.misses++;
    pthread_mutex_unlock(&c->lock);
    return CACHE_MISS;
}

static void finish(struct cache_ticket *t, const void *val, size_t len, int keep) {
    if (!t->c || t->slot < 0) return;
    struct cache *c = t->c;
    struct blob *b = keep && len <= CACHE_VALUE_MAX ? blob_new(val, len) : NULL;
    pthread_mutex_lock(&c->lock);
    struct entry *e = &c->e[t->slot];
    if (e->gen == t->gen && e->flight) {
        e->flight = 0;
        if (b) {
            blob_unref(e->val);
            e->val = b;
            memcpy(e->v, t->v, sizeof e->v);
            e->read_at = e->fread_at;
            b = NULL;
        }
        e->gen++;
        pthread_cond_broadcast(&c->done);
    }
    pthread_mutex_unlock(&c->lock);
    blob_unref(b); /* not kept: the entry went to another key meanwhile */
    t->slot = -1;
}

void cache_put(struct cache_ticket *t, const void *val, size_t len) {
    finish(t, val, len, 1);
}

void cache_cancel(struct cache_ticket *t) {
    finish(t, NULL, 0, 0);
}

void cache_update(struct cache_ticket *t, const void *val, size_t len) {
    if (!t->c || t->slot < 0 || len > CACHE_VALUE_MAX) return;
    struct cache *c = t->c;
    struct blob *b = blob_new(val, len);
    if (!b) return;
    pthread_mutex_lock(&c->lock);
    struct entry *e = &c->e[t->slot];
    if (e->gen == t->gen && !e->flight && e->val && same_label(e->v, t->v, c->n_deps)) {
        blob_unref(e->val);
        e->val = b;
        e->gen++;
        b = NULL;
    }
    pthread_mutex_unlock(&c->lock);
    blob_unref(b);
}

void cache_drop(struct cache *c, const void *key, size_t key_len) {
    uint64_t h = hash_key(key, key_len);
    pthread_mutex_lock(&c->lock);
    struct entry *e = find(c, h, key, key_len);
    if (e && !e->flight) {
        blob_unref(e->val);
        e->val = NULL;
        e->gen++;
    }
    pthread_mutex_unlock(&c->lock);
}

void cache_stats_get(struct cache *c, struct cache_stats *out) {
    pthread_mutex_lock(&c->lock);
    *out = c->stats;
    pthread_mutex_unlock(&c->lock);
}
