/* json.c — JSON text of jansson values, as json_dumps(JSON_COMPACT | JSON_ENCODE_ANY) writes it
 * (json.h); tests/unit/json_test.c compares the two on many values. */
#include "base/json.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Bytes a byte takes in a JSON string: 1 as it is, 2 for \" \\ \b \f \n \r \t, 6 for \u00XX. */
static inline size_t escaped_len(unsigned char c) {
    if (c >= 0x20) return c == '"' || c == '\\' ? 2 : 1;
    return c == '\b' || c == '\f' || c == '\n' || c == '\r' || c == '\t' ? 2 : 6;
}

size_t json_string_text_len(const char *s, size_t n) {
    size_t len = 2;
    for (size_t i = 0; i < n; i++)
        len += escaped_len((unsigned char)s[i]);
    return len;
}

char *json_string_text(char *out, const char *s, size_t n) {
    static const char hex[] = "0123456789ABCDEF"; /* jansson writes \u001F */
    *out++ = '"';
    size_t run = 0; /* bytes copied as they are, written in one go */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (escaped_len(c) == 1) {
            run++;
            continue;
        }
        memcpy(out, s + i - run, run);
        out += run;
        run = 0;
        *out++ = '\\';
        switch (c) {
        case '"':
            *out++ = '"';
            break;
        case '\\':
            *out++ = '\\';
            break;
        case '\b':
            *out++ = 'b';
            break;
        case '\f':
            *out++ = 'f';
            break;
        case '\n':
            *out++ = 'n';
            break;
        case '\r':
            *out++ = 'r';
            break;
        case '\t':
            *out++ = 't';
            break;
        default:
            memcpy(out, "u00", 3);
            out[3] = hex[c >> 4];
            out[4] = hex[c & 15];
            out += 5;
        }
    }
    memcpy(out, s + n - run, run);
    out += run;
    *out++ = '"';
    return out;
}

/* jansson's jsonp_dtostr: "%.17g", ".0" when it would read as an integer, no '+' and no
 * leading zeros in the exponent. */
size_t json_real_text(char *buf, size_t size, double v) {
    int r = snprintf(buf, size, "%.17g", v);
    if (r < 0 || (size_t)r >= size - 3) return 0;
    size_t len = (size_t)r;
    for (char *p = buf; *p; p++)
        if (*p == ',') *p = '.'; /* a locale's decimal comma (we never set one) */
    if (!strchr(buf, '.') && !strchr(buf, 'e')) {
        memcpy(buf + len, ".0", 3);
        len += 2;
    }
    char *start = strchr(buf, 'e');
    if (start) {
        start++;
        char *end = start + 1;
        if (*start == '-') start++;
        while (*end == '0')
            end++;
        if (end != start) {
            memmove(start, end, len - (size_t)(end - buf) + 1);
            len -= (size_t)(end - start);
        }
    }
    return len;
}

int json_utf8_valid(const char *s, size_t n) {
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    while (p < end) {
        unsigned c = *p;
        if (c < 0x80) {
            p++;
            continue;
        }
        int k = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc2 ? 1 : -1;
        if (k < 0 || c > 0xf4 || end - p <= k) return 0;
        unsigned v = c & (0x3f >> k);
        for (int i = 1; i <= k; i++) {
            if ((p[i] & 0xc0) != 0x80) return 0;
            v = v << 6 | (p[i] & 0x3f);
        }
        if ((k == 2 && (v < 0x800 || (v >= 0xd800 && v <= 0xdfff))) ||
            (k == 3 && (v < 0x10000 || v > 0x10ffff)))
            return 0;
        p += k + 1;
    }
    return 1;
}

/* Decimal digits of v, as "%lld" writes them (buf: 21 bytes at least). */
static size_t int_text(char *buf, size_t size, json_int_t v) {
    (void)size;
    char tmp[24], *p = tmp + sizeof tmp;
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0) *--p = '-';
    size_t n = (size_t)(tmp + sizeof tmp - p);
    memcpy(buf, p, n);
    return n;
}

/* Pass 1: the length; (size_t)-1 when too deep. */
static size_t measure(const json_t *j, int depth) {
    if (depth > JSON_TEXT_DEPTH) return (size_t)-1;
    char num[64];
    size_t n = 0, k, i;
    switch (json_typeof(j)) {
    case JSON_OBJECT: {
        const char *key;
        json_t *v;
        n = 2 + (json_object_size(j) ? json_object_size(j) - 1 : 0); /* {} and commas */
        void *it = json_object_iter((json_t *)j);
        while (it) {
            key = json_object_iter_key(it);
            v = json_object_iter_value(it);
            size_t m = measure(v, depth + 1);
            if (m == (size_t)-1) return m;
            n += json_string_text_len(key, json_object_iter_key_len(it)) + 1 + m;
            it = json_object_iter_next((json_t *)j, it);
        }
        return n;
    }
    case JSON_ARRAY:
        k = json_array_size(j);
        n = 2 + (k ? k - 1 : 0);
        for (i = 0; i < k; i++) {
            size_t m = measure(json_array_get(j, i), depth + 1);
            if (m == (size_t)-1) return m;
            n += m;
        }
        return n;
    case JSON_STRING:
        return json_string_text_len(json_string_value(j), json_string_length(j));
    case JSON_INTEGER:
        return int_text(num, sizeof num, json_integer_value(j));
    case JSON_REAL:
        return json_real_text(num, sizeof num, json_real_value(j));
    case JSON_TRUE:
        return 4;
    case JSON_FALSE:
        return 5;
    case JSON_NULL:
        return 4;
    }
    return 0;
}

/* Pass 2: write; returns the end. */
static char *write_value(char *out, const json_t *j) {
    char num[64];
    size_t k, i, n;
    switch (json_typeof(j)) {
    case JSON_OBJECT: {
        *out++ = '{';
        int first = 1;
        void *it = json_object_iter((json_t *)j);
        while (it) {
            if (!first) *out++ = ',';
            first = 0;
            out = json_string_text(out, json_object_iter_key(it), json_object_iter_key_len(it));
            *out++ = ':';
            out = write_value(out, json_object_iter_value(it));
            it = json_object_iter_next((json_t *)j, it);
        }
        *out++ = '}';
        return out;
    }
    case JSON_ARRAY:
        *out++ = '[';
        k = json_array_size(j);
        for (i = 0; i < k; i++) {
            if (i) *out++ = ',';
            out = write_value(out, json_array_get(j, i));
        }
        *out++ = ']';
        return out;
    case JSON_STRING:
        return json_string_text(out, json_string_value(j), json_string_length(j));
    case JSON_INTEGER:
        n = int_text(num, sizeof num, json_integer_value(j));
        memcpy(out, num, n);
        return out + n;
    case JSON_REAL:
        n = json_real_text(num, sizeof num, json_real_value(j));
        memcpy(out, num, n);
        return out + n;
    case JSON_TRUE:
        memcpy(out, "true", 4);
        return out + 4;
    case JSON_FALSE:
        memcpy(out, "false", 5);
        return out + 5;
    case JSON_NULL:
        memcpy(out, "null", 4);
        return out + 4;
    }
    return out;
}

char *json_text_arena(struct arena *a, const json_t *j, size_t *len) {
    size_t n = j ? measure(j, 0) : (size_t)-1;
    if (n == (size_t)-1) return NULL;
    char *out = arena_alloc(a, n + 1);
    char *end = write_value(out, j);
    *end = 0;
    if (len) *len = (size_t)(end - out);
    return out;
}
