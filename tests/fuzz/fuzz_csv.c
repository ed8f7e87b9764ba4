/* fuzz_csv.c — the CSV reader (base/csv.h) every import uses. Whatever the bytes: no crash, no
 * read out of bounds; every limit holds; fields are valid UTF-8 text; memory is what csv_open
 * took, whatever the input; and what it reads, written back fully quoted, reads back the same. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/csv.h"
#include "base/utf8.h"

#define RECORDS_CHECKED 64 /* records written back and read again */

static void quote_field(struct buf *b, const char *s) {
    buf_add(b, "\"", 1);
    for (; *s; s++) {
        if (*s == '"') buf_add(b, "\"", 1);
        buf_add(b, s, 1);
    }
    buf_add(b, "\"", 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    /* The first byte picks the limits, so small limits are exercised as well as roomy ones. */
    unsigned char pick = size ? data[0] : 0;
    struct csv_limits lim = {
        .input_max = pick & 1 ? 64 : 1 << 20,
        .field_max = (size_t)1 << (pick >> 1 & 7), /* 1 .. 128 bytes */
        .fields_max = 1 + (pick >> 4),             /* 1 .. 16 */
        .rows_max = pick & 2 ? 3 : 0,
    };
    const char *text = size ? (const char *)data + 1 : "";
    size_t len = size ? size - 1 : 0;

    struct arena *a = arena_new(256);
    struct arena *back = arena_new(256);
    struct csv_reader c;
    csv_open(&c, a, text, len, &lim);
    size_t taken = arena_used(a);
    int n, rc, rows = 0;
    const char *const *f;
    struct buf w;
    buf_init(&w, back, 64);
    while ((rc = csv_next(&c, &n, &f)) == CSV_ROW) {
        rows++;
        if (n < 1 || n > lim.fields_max) abort();
        if (c.row != rows) abort();
        if (lim.rows_max && rows > lim.rows_max) abort();
        for (int i = 0; i < n; i++) {
            if (strlen(f[i]) > lim.field_max) abort();
            if (utf8_text_chars(f[i]) < 0) abort();
        }
        if (rows <= RECORDS_CHECKED) {
            for (int i = 0; i < n; i++) {
                if (i) buf_add(&w, ",", 1);
                quote_field(&w, f[i]);
            }
            buf_add(&w, "\r\n", 2);
        }
    }
    if (rc > 0 || rc < CSV_ERR_MEMORY) abort();
    if (rc == CSV_ERR_INPUT_TOO_LONG && len <= lim.input_max) abort();
    if (rc < 0 && (c.col < 0 || c.col > lim.fields_max + 1)) abort();
    if (arena_used(a) != taken) abort(); /* nothing per record or per field */
    if (csv_next(&c, &n, &f) != rc) abort();

    /* Read the written-back records again: the same fields. */
    if (rc == CSV_END && rows <= RECORDS_CHECKED) {
        struct csv_limits wide = {w.len + 1, 1 << 20, lim.fields_max, 0};
        struct csv_reader again, first;
        csv_open(&again, back, w.data, w.len, &wide);
        csv_open(&first, back, text, len, &lim);
        int n1, n2;
        const char *const *f1, *const *f2;
        for (;;) {
            int r1 = csv_next(&first, &n1, &f1), r2 = csv_next(&again, &n2, &f2);
            if (r1 != r2 || (r1 == CSV_ROW && n1 != n2)) abort();
            if (r1 != CSV_ROW) break;
            for (int i = 0; i < n1; i++)
                if (strcmp(f1[i], f2[i]) != 0) abort();
        }
    }
    arena_free(back);
    arena_free(a);
    return 0;
}
