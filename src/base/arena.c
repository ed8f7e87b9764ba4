#include "base/arena.h"

#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK_MAX                                                                                  \
    (1u << 20) /* blocks grow by doubling up to this, unless one allocation is larger */

struct block {
    struct block *next; /* older block */
    size_t size;        /* usable bytes in data[] */
    size_t used;        /* bytes handed out from data[] */
    _Alignas(16) unsigned char data[];
};

struct cleanup {
    struct cleanup *next;
    void (*fn)(void *);
    void *arg;
};

struct arena {
    struct block *head;       /* current block */
    struct cleanup *cleanups; /* run LIFO on free */
    size_t total;             /* bytes handed out */
    size_t reserved;          /* bytes of every block (what malloc gave) */
    long long counted;        /* bytes charged by counted allocations (may go below 0) */
    size_t budget;            /* bytes allowed; 0 = none */
    int exhausted;            /* something went past the budget */
    int refuse;               /* counted allocations past the budget answer NULL */
};

static _Thread_local struct arena *current; /* charged by arena_counted_malloc */

static void *oom(size_t n) {
    fprintf(stderr, "fazhi: out of memory allocating %zu bytes\n", n);
    abort();
}

/* Would `more` bytes on top of what the arena holds pass its budget? */
static int over_budget(const struct arena *a, size_t more) {
    if (!a->budget) return 0;
    size_t held = a->reserved + (a->counted > 0 ? (size_t)a->counted : 0);
    return more > a->budget || held > a->budget - more;
}

static struct block *block_new(size_t size) {
    if (size > SIZE_MAX - sizeof(struct block)) return NULL;
    struct block *b = malloc(sizeof(*b) + size);
    if (!b) return NULL;
    b->next = NULL;
    b->size = size;
    b->used = 0;
    return b;
}

struct arena *arena_new(size_t first_block) {
    struct arena *a = calloc(1, sizeof(*a));
    if (!a) oom(sizeof(*a));
    size_t size = first_block ? first_block : 8192;
    a->head = block_new(size);
    if (!a->head) oom(size);
    a->reserved = size;
    return a;
}

void arena_free(struct arena *a) {
    if (!a) return;
    while (a->cleanups) {
        struct cleanup *c = a->cleanups;
        a->cleanups = c->next;
        c->fn(c->arg);
    }
    struct block *b = a->head;
    while (b) {
        struct block *n = b->next;
        free(b);
        b = n;
    }
    if (current == a) current = NULL;
    free(a);
}

/* The block size for an allocation of `need` bytes that does not fit the current block. */
static size_t next_block_size(const struct arena *a, size_t need) {
    size_t size = a->head->size * 2;
    if (size < need) size = need;
    if (size > BLOCK_MAX && need <= BLOCK_MAX) size = BLOCK_MAX;
    return size;
}

static void *take(struct arena *a, struct block *b, size_t n, size_t need) {
    void *p = b->data + b->used;
    b->used += need;
    a->total += need;
    memset(p, 0, n);
    return p;
}

static void push_block(struct arena *a, struct block *nb) {
    nb->next = a->head;
    a->head = nb;
    a->reserved += nb->size;
}

void *arena_alloc(struct arena *a, size_t n) {
    size_t need = (n + 15) & ~(size_t)15;
    if (need < n) oom(n);
    struct block *b = a->head;
    if (b->size - b->used < need) {
        size_t size = next_block_size(a, need);
        if (over_budget(a, size)) a->exhausted = 1; /* still served: see arena.h */
        b = block_new(size);
        if (!b) oom(size);
        push_block(a, b);
    }
    return take(a, b, n, need);
}

void *arena_try_alloc(struct arena *a, size_t n) {
    size_t need = (n + 15) & ~(size_t)15;
    if (need < n) {
        a->exhausted = 1;
        return NULL;
    }
    struct block *b = a->head;
    if (b->size - b->used < need) {
        size_t size = next_block_size(a, need);
        if (over_budget(a, size)) size = need; /* the doubled block would not fit: exact size */
        if (over_budget(a, size)) {
            a->exhausted = 1;
            return NULL;
        }
        b = block_new(size);
        if (!b) {
            a->exhausted = 1;
            return NULL;
        }
        push_block(a, b);
    }
    return take(a, b, n, need);
}

int arena_fits(struct arena *a, size_t n) {
    if (!over_budget(a, n)) return 1;
    a->exhausted = 1;
    return 0;
}

char *arena_strndup(struct arena *a, const char *s, size_t n) {
    if (!s) return NULL;
    char *p = arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

char *arena_strdup(struct arena *a, const char *s) {
    return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_vprintf(struct arena *a, const char *fmt, va_list ap) {
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0) n = 0;
    char *p = arena_alloc(a, (size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *arena_printf(struct arena *a, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *p = arena_vprintf(a, fmt, ap);
    va_end(ap);
    return p;
}

void arena_on_free(struct arena *a, void (*fn)(void *), void *arg) {
    struct cleanup *c = arena_alloc(a, sizeof(*c));
    c->fn = fn;
    c->arg = arg;
    c->next = a->cleanups;
    a->cleanups = c;
}

size_t arena_used(const struct arena *a) {
    return a->total;
}

/* ---- budget ---- */

void arena_set_budget(struct arena *a, size_t bytes) {
    a->budget = bytes;
}

size_t arena_budget(const struct arena *a) {
    return a->budget;
}

size_t arena_memory(const struct arena *a) {
    return a->reserved + (a->counted > 0 ? (size_t)a->counted : 0);
}

int arena_exhausted(const struct arena *a) {
    return a->exhausted;
}

/* ---- counted allocations ---- */

void arena_set_current(struct arena *a) {
    current = a;
}

struct arena *arena_current(void) {
    return current;
}

int arena_refuse_over_budget(struct arena *a, int on) {
    int was = a->refuse;
    a->refuse = on;
    return was;
}

void *arena_counted_malloc(size_t n) {
    struct arena *a = current;
    if (a && over_budget(a, n)) {
        a->exhausted = 1;
        if (a->refuse) return NULL;
    }
    void *p = malloc(n);
    if (p && a) a->counted += (long long)malloc_usable_size(p);
    return p;
}

void arena_counted_free(void *p) {
    if (!p) return;
    if (current) current->counted -= (long long)malloc_usable_size(p);
    free(p);
}
