/* cache.h — in-process caches whose entries are labelled with data versions (dataver.h).
 *
 * A cache maps a key (bytes) to a value (bytes) computed from the database, and names the data
 * versions it depends on ("auth"; "tasks", "org", "settings" …). An entry is used only while
 * every one of them is what it was read as *before* the value was computed; otherwise it is
 * computed again. So a write anywhere — this server, another server, a command — is honoured
 * within DV_CHECK_SECONDS (at once on the server that wrote it), and a cached answer is never
 * older than that.
 *
 * Single flight: when many requests miss the same key at once, one computes and the others
 * wait for its value (bounded by CACHE_WAIT_SECONDS), so a burst costs one computation.
 *
 * Use:
 *     struct cache_ticket t;
 *     int rc = cache_get(c, db, key, n, arena, &val, &len, &t);
 *     if (rc == CACHE_HIT) → use val/len (a copy in the arena)
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

#define CACHE_DEPS_MAX     4         /* data versions one cache depends on */
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
};

/* name: for logs and metrics; capacity: entries (rounded up to a multiple of 4); deps: the
 * data version names, NULL-terminated (at most CACHE_DEPS_MAX). */
struct cache *cache_new(const char *name, int capacity, const char *const *deps);
void cache_free(struct cache *c); /* no request may hold or wait for one of its values */

/* CACHE_HIT: *val and *len are set: the cached bytes themselves (followed by a NUL, 16-byte
 * aligned), shared and read-only, valid until the arena `a` is freed (it holds a reference).
 * CACHE_MISS: compute, then cache_put or cache_cancel. When the data versions cannot be read
 * the answer is CACHE_MISS with nothing reserved (the put then keeps nothing). */
int cache_get(struct cache *c, struct db *db, const void *key, size_t key_len, struct arena *a,
              void **val, size_t *len, struct cache_ticket *t);
void cache_put(struct cache_ticket *t, const void *val, size_t len);
void cache_cancel(struct cache_ticket *t);
/* After a hit: replace that entry's value, keeping its label (a session's last-seen time moved
 * on). Nothing happens when the entry has changed since. */
void cache_update(struct cache_ticket *t, const void *val, size_t len);
/* Forget a key (the caller found its value no longer usable). */
void cache_drop(struct cache *c, const void *key, size_t key_len);

struct cache_stats {
    uint64_t hits, misses, waits; /* waits: misses that took another request's value */
};
void cache_stats_get(struct cache *c, struct cache_stats *out);

#endif
