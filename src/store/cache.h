/* cache.h — in-process caches whose entries are labelled with data versions (dataver.h).
 *
 * A cache maps a key (bytes) to a value (bytes) computed from the database, and names the data
 * versions it depends on ("auth"; "tasks", "org", "settings" …). A value is labelled with the
 * versions read *before* it was computed, and serves a request only when its label is at
 * least what the request read (versions only grow): it was computed after every change the
 * request may know of. So a write anywhere — this server, another server, a command — is
 * honoured within DV_CHECK_SECONDS (at once on the server that wrote it).
 *
 * Single flight: a key is computed by one request at a time; the others wait for its value
 * (bounded by CACHE_WAIT_SECONDS). When the data changed while it was computed, one of them
 * computes next from versions read after it ended, for all who waited. So a burst costs one
 * computation, data that changes all the time costs one at a time, and a request waits for
 * two at most.
 *
 * Staleness (cache_new_stale, for answers such as dashboard counts; never for who may do
 * what): a value may also serve requests that know of newer versions while it is at most
 * `max_stale` seconds old — as old as another server's change may be anyway — unless the
 * request's own session wrote after the value's versions were read (`since`: the session
 * sees its own writes at once). A request that finds the value past half that age computes
 * the next one while the others go on being served, so data that changes all the time costs
 * one computation per max_stale / 2 and nobody waits for it.
 *
 * Use:
 *     struct cache_ticket t;
 *     int rc = cache_get(c, db, key, n, arena, &val, &len, &t);
 *     if (rc == CACHE_HIT) → use val/len (shared bytes, held by the arena)
 *     else → compute from the database; then cache_put(&t, bytes, len) — or cache_cancel(&t)
 *            when it failed. Every CACHE_MISS is followed by exactly one of the two.
 *
 * Bounded: `capacity` entries (least recently used out), values up to CACHE_VALUE_MAX bytes.
 * Thread-safe. Caches live for the process (made at start-up; cache_free is for tests). */
#ifndef FAZHI_CACHE_H
#define FAZHI_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "store/db.h"

#define CACHE_DEPS_MAX     6         /* data versions one cache depends on */
#define CACHE_KEY_MAX      256       /* bytes of a key */
#define CACHE_VALUE_MAX    (1 << 20) /* bytes of a value: larger ones are not kept */
#define CACHE_WAIT_SECONDS 10.0      /* longest wait for another request's computation */

struct cache;

enum cache_rc { CACHE_MISS = 0, CACHE_HIT = 1 };

/* What a miss hands to its caller: the versions the value will be labelled with. */
struct cache_ticket {
    struct cache *c;
    int slot;     /* the entry reserved for this computation, -1: none (not kept) */
    uint64_t gen; /* that entry's generation when reserved */
    int64_t v[CACHE_DEPS_MAX];
    double read_at; /* monotonic time before the versions were read */
};

/* name: for logs and metrics; capacity: entries (rounded up to a multiple of 4); deps: the
 * data version names, NULL-terminated (at most CACHE_DEPS_MAX). */
struct cache *cache_new(const char *name, int capacity, const char *const *deps);
/* The same, whose values may serve up to max_stale seconds past a change (above). */
struct cache *cache_new_stale(const char *name, int capacity, const char *const *deps,
                              double max_stale);
void cache_free(struct cache *c); /* no request may hold or wait for one of its values */

/* CACHE_HIT: *val and *len are set: the cached bytes themselves (followed by a NUL, 16-byte
 * aligned), shared and read-only, valid until the arena `a` is freed (it holds a reference).
 * CACHE_MISS: compute, then cache_put or cache_cancel. When the data versions cannot be read
 * the answer is CACHE_MISS with nothing reserved (the put then keeps nothing). */
int cache_get(struct cache *c, struct db *db, const void *key, size_t key_len, struct arena *a,
              void **val, size_t *len, struct cache_ticket *t);
/* cache_get for a request whose session last wrote at monotonic time `since` (0: never). */
int cache_get_since(struct cache *c, struct db *db, const void *key, size_t key_len, double since,
                    struct arena *a, void **val, size_t *len, struct cache_ticket *t);
void cache_put(struct cache_ticket *t, const void *val, size_t len);
void cache_cancel(struct cache_ticket *t);
/* After a hit: replace that entry's value, keeping its label (a session's last-seen time moved
 * on). Nothing happens when the entry has changed since. */
void cache_update(struct cache_ticket *t, const void *val, size_t len);
/* Forget a key (the caller found its value no longer usable). */
void cache_drop(struct cache *c, const void *key, size_t key_len);

struct cache_stats {
    uint64_t hits, misses, waits; /* waits: hits that waited for another request's value */
    uint64_t stale;               /* hits served past a change (within max_stale) */
};
void cache_stats_get(struct cache *c, struct cache_stats *out);
/* Every cache made so far (for /metrics); cache_at may answer NULL for one freed. */
int cache_count(void);
struct cache *cache_at(int i);
const char *cache_name(const struct cache *c);

#endif
