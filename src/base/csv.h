/* csv.h — the one CSV reader for every import (RFC 4180). Fields are separated by commas and
 * records by CRLF, LF or a lone CR; a field in double quotes may hold commas, line breaks and
 * "" for a quote; spaces before an opening quote and after a closing one are ignored; a UTF-8
 * byte order mark at the start (spreadsheet programs write one) is skipped. Fields must be
 * UTF-8 text (base/utf8.h: no NUL or control characters but tab and line breaks).
 *
 * Everything is bounded by struct csv_limits, checked while reading, so a hostile input stops
 * at the first byte past a limit. Memory is one record buffer allocated once from the arena
 * (sized by the limits, at most the input's length) and reused for every record: it does not
 * grow with the input or with the number of fields.
 *
 * Positions are as a spreadsheet shows them: row = record number from 1 (a line break inside
 * quotes does not start a row), column = field number from 1.
 *
 * Ownership: fields returned by csv_next point into the reader's buffer and stay valid until
 * the next csv_next; copy what you keep. */
#ifndef FAZHI_CSV_H
#define FAZHI_CSV_H

#include <stddef.h>

#include "base/arena.h"

struct csv_limits {
    size_t input_max; /* bytes in the whole input (BOM included) */
    size_t field_max; /* bytes in one field, after unquoting */
    int fields_max;   /* fields in one record */
    int rows_max;     /* records, blank ones included */
};

enum csv_rc {
    CSV_ROW = 1,                 /* csv_next: a record is ready */
    CSV_END = 0,                 /* csv_next: no more records */
    CSV_ERR_INPUT_TOO_LONG = -1, /* the input is longer than input_max */
    CSV_ERR_TOO_MANY_ROWS = -2,  /* more than rows_max records */
    CSV_ERR_TOO_MANY_FIELDS = -3,
    CSV_ERR_FIELD_TOO_LONG = -4,
    CSV_ERR_QUOTE = -5,    /* a quoted field is not closed, or text follows its closing quote */
    CSV_ERR_ENCODING = -6, /* not UTF-8 text (or a NUL byte) */
    CSV_ERR_MEMORY = -7,   /* the arena's budget cannot hold the record buffer */
};

struct csv_reader {
    const char *p, *end;   /* input not yet read */
    struct csv_limits lim; /* as given */
    char *buf;             /* unquoted fields of the current record, each NUL-terminated */
    size_t cap;            /* bytes in buf */
    const char **fields;   /* lim.fields_max pointers into buf */
    int row;               /* record of the last csv_next (on error: where it stopped) */
    int col;               /* on error: the field (0 when the error is not about a field) */
    int err;               /* sticky: the first error, returned again by csv_next */
};

/* Start reading data[0..len). Limits of 0 are taken as 1 (rows_max 0: no limit on rows). An
 * input past input_max, or a buffer the arena cannot hold, makes the first csv_next fail. */
void csv_open(struct csv_reader *c, struct arena *a, const char *data, size_t len,
              const struct csv_limits *lim);
/* The next record: CSV_ROW with *n fields in *fields (n >= 1: a blank line is one empty
 * field), CSV_END, or an error (< 0, with c->row and c->col saying where). */
int csv_next(struct csv_reader *c, int *n, const char *const **fields);
/* What an error means, for a person (lang 0 zh-CN, 1 English), without position or limit. */
const char *csv_strerror(int rc, int lang);
/* The whole message for the error rc of c: the column when there is one, what went wrong and
 * the limit that was passed ("第 17 列：列数过多（最多 16 列）"). Returns out. */
char *csv_describe(const struct csv_reader *c, int rc, int lang, char *out, size_t n);

#endif
