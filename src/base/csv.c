#include "base/csv.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/utf8.h"

static int fail(struct csv_reader *c, int rc, int col) {
    c->err = rc;
    c->col = col;
    return rc;
}

void csv_open(struct csv_reader *c, struct arena *a, const char *data, size_t len,
              const struct csv_limits *lim) {
    memset(c, 0, sizeof(*c));
    c->lim = *lim;
    if (c->lim.field_max < 1) c->lim.field_max = 1;
    if (c->lim.fields_max < 1) c->lim.fields_max = 1;
    if (c->lim.input_max < 1) c->lim.input_max = 1;
    if (c->lim.rows_max < 0) c->lim.rows_max = 0;
    c->p = data;
    c->end = data + len;
    if (len > c->lim.input_max) {
        fail(c, CSV_ERR_INPUT_TOO_LONG, 0);
        return;
    }
    if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3)) c->p += 3;
    /* Unquoted text is never longer than the input it came from, nor than the field limits. */
    size_t fields = (size_t)c->lim.fields_max, text = len;
    if (c->lim.field_max <= SIZE_MAX / fields && fields * c->lim.field_max < text)
        text = fields * c->lim.field_max;
    c->cap = text + fields + 1; /* one NUL per field */
    c->buf = arena_try_alloc(a, c->cap);
    c->fields = c->buf ? arena_try_alloc(a, fields * sizeof(*c->fields)) : NULL;
    if (!c->buf || !c->fields) fail(c, CSV_ERR_MEMORY, 0);
}

static int blank(char ch) {
    return ch == ' ' || ch == '\t';
}

static int ends_field(char ch) {
    return ch == ',' || ch == '\n' || ch == '\r';
}

int csv_next(struct csv_reader *c, int *n, const char *const **fields) {
    *n = 0;
    *fields = c->fields;
    if (c->err) return c->err;
    if (c->p >= c->end) return CSV_END;
    if (c->lim.rows_max && c->row >= c->lim.rows_max) {
        c->row++;
        return fail(c, CSV_ERR_TOO_MANY_ROWS, 0);
    }
    c->row++;
    const char *p = c->p, *end = c->end;
    size_t k = 0; /* bytes used in buf */
    int nf = 0;
    for (;;) {
        int col = nf + 1;
        if (nf >= c->lim.fields_max) return fail(c, CSV_ERR_TOO_MANY_FIELDS, col);
        size_t start = k;
        const char *q = p;
        while (q < end && blank(*q))
            q++;
        int quoted = q < end && *q == '"';
        if (quoted) p = q + 1;
        for (;;) {
            char ch;
            if (quoted) {
                if (p >= end) return fail(c, CSV_ERR_QUOTE, col);
                ch = *p++;
                if (ch == '"') {
                    if (p >= end || *p != '"') break; /* the closing quote */
                    p++;                              /* "" is one quote */
                }
            } else {
                if (p >= end || ends_field(*p)) break;
                ch = *p++;
            }
            if (!ch) return fail(c, CSV_ERR_ENCODING, col);
            if (k - start >= c->lim.field_max || k + 1 >= c->cap)
                return fail(c, CSV_ERR_FIELD_TOO_LONG, col);
            c->buf[k++] = ch;
        }
        if (quoted) {
            while (p < end && blank(*p))
                p++;
            if (p < end && !ends_field(*p)) return fail(c, CSV_ERR_QUOTE, col);
        }
        c->buf[k++] = 0;
        if (utf8_text_chars(c->buf + start) < 0) return fail(c, CSV_ERR_ENCODING, col);
        c->fields[nf++] = c->buf + start;
        if (p < end && *p == ',') {
            p++;
            continue;
        }
        if (p < end && *p == '\r') { /* CRLF, or a lone CR (old Mac files) */
            p++;
            if (p < end && *p == '\n') p++;
        } else if (p < end && *p == '\n') {
            p++;
        }
        break;
    }
    c->p = p;
    *n = nf;
    return CSV_ROW;
}

const char *csv_strerror(int rc, int lang) {
    switch (rc) {
    case CSV_ERR_INPUT_TOO_LONG:
        return lang ? "The content is too long" : "内容过长";
    case CSV_ERR_TOO_MANY_ROWS:
        return lang ? "Too many rows" : "行数过多";
    case CSV_ERR_TOO_MANY_FIELDS:
        return lang ? "Too many columns" : "列数过多";
    case CSV_ERR_FIELD_TOO_LONG:
        return lang ? "A cell is too long" : "单元格内容过长";
    case CSV_ERR_QUOTE:
        return lang ? "Unbalanced quotes: a cell that starts with a quote must end with one, "
                      "followed by a comma or a line break"
                    : "引号不匹配：以引号开始的单元格须以引号结束，其后只能是逗号或换行";
    case CSV_ERR_ENCODING:
        return lang ? "Not UTF-8 text, or holds control characters (from Excel, save as "
                      "\"CSV UTF-8\")"
                    : "不是 UTF-8 文本或含控制字符（如由 Excel 导出，请另存为“CSV UTF-8”格式）";
    case CSV_ERR_MEMORY:
        return lang ? "Too large for the memory one request may use"
                    : "内容过大，超出单个请求的内存上限";
    default:
        return lang ? "Unreadable CSV" : "无法读取的 CSV 内容";
    }
}

char *csv_describe(const struct csv_reader *c, int rc, int lang, char *out, size_t n) {
    char where[48] = "", limit[64] = "";
    if (c->col > 0) snprintf(where, sizeof where, lang ? "Column %d: " : "第 %d 列：", c->col);
    if (rc == CSV_ERR_TOO_MANY_FIELDS)
        snprintf(limit, sizeof limit, lang ? " (at most %d)" : "（最多 %d 列）", c->lim.fields_max);
    else if (rc == CSV_ERR_FIELD_TOO_LONG)
        snprintf(limit, sizeof limit, lang ? " (at most %zu bytes)" : "（最多 %zu 字节）",
                 c->lim.field_max);
    else if (rc == CSV_ERR_TOO_MANY_ROWS)
        snprintf(limit, sizeof limit, lang ? " (at most %d)" : "（最多 %d 行）", c->lim.rows_max);
    else if (rc == CSV_ERR_INPUT_TOO_LONG)
        snprintf(limit, sizeof limit, lang ? " (at most %zu bytes)" : "（最多 %zu 字节）",
                 c->lim.input_max);
    snprintf(out, n, "%s%s%s", where, csv_strerror(rc, lang), limit);
    return out;
}
