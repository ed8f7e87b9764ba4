#include "base/arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
};

static void *oom(size_t n) {
    fprintf(stderr, "fazhi: out of memory allocating %zu bytes\n", n);
    abort();
}

static struct block *block_new(size_t size) {
    struct block *b = malloc(sizeof(*b) + size);
    if (!b) oom(size);
    b->next = NULL;
    b->size = size;
    b->used = 0;
    return b;
}

struct arena *arena_new(size_t first_block) {
    struct arena *a = calloc(1, sizeof(*a));
    if (!a) oom(sizeof(*a));
    a->head = block_new(first_block ? first_block : 8192);
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
    free(a);
}

void *arena_alloc(struct arena *a, size_t n) {
    size_t need = (n + 15) & ~(size_t)15;
    if (need < n) oom(n);
    struct block *b = a->head;
    if (b->size - b->used < need) {
        size_t size = b->size * 2;
        if (size < need) size = need;
        if (size > (1u << 20) && need <= (1u << 20)) size = 1u << 20;
        struct block *nb = block_new(size);
        nb->next = b;
        a->head = nb;
        b = nb;
    }
    void *p = b->data + b->used;
    b->used += need;
    a->total += need;
    memset(p, 0, n);
    return p;
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
