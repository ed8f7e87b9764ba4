#include "base/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void buf_init(struct buf *b, struct arena *a, size_t cap) {
    b->arena = a;
    b->cap = cap ? cap : 256;
    b->data = arena_alloc(a, b->cap);
    b->len = 0;
}

static void buf_reserve(struct buf *b, size_t extra) {
    if (b->len + extra + 1 <= b->cap) return;
    size_t cap = b->cap * 2;
    while (cap < b->len + extra + 1)
        cap *= 2;
    char *d = arena_alloc(b->arena, cap);
    memcpy(d, b->data, b->len);
    b->data = d;
    b->cap = cap;
}

void buf_add(struct buf *b, const void *p, size_t n) {
    buf_reserve(b, n);
    memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = 0;
}

void buf_puts(struct buf *b, const char *s) {
    buf_add(b, s, strlen(s));
}

void buf_printf(struct buf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n > 0) {
        buf_reserve(b, (size_t)n);
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
        b->len += (size_t)n;
    }
    va_end(ap);
}

void buf_csv_field(struct buf *b, const char *s) {
    if (!s) s = "";
    /* A leading = + - @ makes spreadsheets evaluate a formula: prefix a quote (OWASP CSV). */
    int formula = s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@';
    buf_add(b, "\"", 1);
    if (formula) buf_add(b, "'", 1);
    for (const char *p = s; *p; p++) {
        if (*p == '"') buf_add(b, "\"", 1);
        buf_add(b, p, 1);
    }
    buf_add(b, "\"", 1);
}
