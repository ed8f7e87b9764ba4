/* buf.h — growable byte buffer inside an arena (for SQL text, CSV, canonical encodings). */
#ifndef FAZHI_BUF_H
#define FAZHI_BUF_H

#include <stddef.h>

#include "base/arena.h"

struct buf {
    struct arena *arena; /* owner of data */
    char *data;          /* NUL-terminated */
    size_t len;          /* bytes used, excluding NUL */
    size_t cap;          /* bytes allocated */
};

void buf_init(struct buf *b, struct arena *a, size_t cap);
void buf_add(struct buf *b, const void *p, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_csv_field(struct buf *b, const char *s); /* RFC 4180 quoting; neutralises =+-@ */

#endif
