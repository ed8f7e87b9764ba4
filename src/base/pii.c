/* pii.c — ID card numbers, phone numbers and their masked forms (pii.h). */
#include "base/pii.h"

#include <string.h>

#include "base/calendar.h"

char pii_id_check_char(const char *s) {
    static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    static const char code[] = "10X98765432";
    int sum = 0;
    for (int i = 0; i < 17; i++) {
        if (s[i] < '0' || s[i] > '9') return 0;
        sum += (s[i] - '0') * w[i];
    }
    return code[sum % 11];
}

static int province_known(int p) {
    return (p >= 11 && p <= 15) || (p >= 21 && p <= 23) || (p >= 31 && p <= 37) ||
           (p >= 41 && p <= 46) || (p >= 50 && p <= 54) || (p >= 61 && p <= 65) || p == 71 ||
           p == 81 || p == 82 || p == 91;
}

int pii_id_valid(const char *s) {
    if (!s || strlen(s) != PII_ID_LEN) return 0;
    char c = pii_id_check_char(s);
    char last = s[17] == 'x' ? 'X' : s[17];
    if (!c || c != last) return 0;
    if (!province_known((s[0] - '0') * 10 + (s[1] - '0'))) return 0;
    char date[11] = {s[6], s[7], s[8], s[9], '-', s[10], s[11], '-', s[12], s[13], 0};
    int32_t day;
    if (date_parse(date, &day) != 0) return 0;
    int32_t first;
    date_parse("1900-01-01", &first);
    return day >= first && day <= date_today();
}

void pii_id_normalise(const char *s, char out[PII_ID_LEN + 1]) {
    size_t n = strlen(s);
    if (n > PII_ID_LEN) n = PII_ID_LEN;
    for (size_t i = 0; i < n; i++)
        out[i] = s[i] == 'x' ? 'X' : s[i];
    out[n] = 0;
}

const char *pii_id_mask(struct arena *a, const char *id) {
    size_t n = strlen(id);
    if (!n) return "";
    char *m = arena_strdup(a, id);
    size_t head = n >= 10 ? 6 : 0, tail = n >= 10 ? 4 : 1;
    for (size_t i = head; i + tail < n; i++)
        m[i] = '*';
    return m;
}

int pii_phone_valid(const char *p) {
    size_t n = strlen(p), digits = 0;
    if (n < 3 || n > 20) return 0;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (c >= '0' && c <= '9')
            digits++;
        else if (!(c == '+' || c == '-' || c == ' ' || c == '(' || c == ')'))
            return 0;
    }
    return digits >= 3;
}

const char *pii_phone_mask(struct arena *a, const char *phone) {
    size_t n = strlen(phone);
    if (!n) return "";
    char *m = arena_strdup(a, phone);
    /* 138****5678: keep the first 3 and last 4 where the number is long enough. */
    size_t keep_head = n >= 11 ? 3 : n >= 7 ? 2 : 0, keep_tail = n >= 11 ? 4 : n >= 7 ? 2 : 1;
    for (size_t i = keep_head; i + keep_tail < n; i++)
        if (m[i] >= '0' && m[i] <= '9') m[i] = '*';
    return m;
}

/* Bytes of the UTF-8 character starting with c (1 for a stray byte). */
static size_t char_len(unsigned char c) {
    return c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
}

const char *pii_name_mask(struct arena *a, const char *name) {
    size_t n = strlen(name), chars = 0, first = 0, last = 0;
    if (!n) return "";
    for (size_t i = 0; i < n; i += char_len((unsigned char)name[i])) {
        if (!chars) first = char_len((unsigned char)name[i]);
        last = i;
        chars++;
    }
    if (chars == 1) return "*";
    if (last + char_len((unsigned char)name[last]) > n) return "*"; /* cut short: hide it */
    size_t stars = chars == 2 ? 1 : chars - 2;
    size_t tail = chars == 2 ? 0 : n - last;
    char *m = arena_alloc(a, first + stars + tail + 1), *o = m;
    memcpy(o, name, first);
    o += first;
    memset(o, '*', stars);
    o += stars;
    memcpy(o, name + last, tail);
    o[tail] = 0;
    return m;
}

static int is_digit(char c) {
    return c >= '0' && c <= '9';
}
static int is_mail_local(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '.' ||
           c == '_' || c == '%' || c == '+' || c == '-';
}
static int is_mail_domain(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '.' || c == '-';
}

/* The e-mail address whose '@' is at text[at]: its local part starts at *from and the domain
 * ends before *to (a dot and two letters at least); 0 when it is none. */
static int mail_at(const char *text, size_t at, size_t n, size_t *from, size_t *to) {
    size_t b = at, e = at + 1, dot = 0;
    while (b > 0 && is_mail_local(text[b - 1]))
        b--;
    while (e < n && is_mail_domain(text[e])) {
        if (text[e] == '.') dot = e;
        e++;
    }
    while (e > at + 1 && (text[e - 1] == '.' || text[e - 1] == '-'))
        e--;                              /* a sentence's full stop is not the domain's */
    for (dot = 0, b = e; b > at + 1; b--) /* the last dot inside the domain */
        if (text[b - 1] == '.') {
            dot = b - 1;
            break;
        }
    b = at;
    while (b > 0 && is_mail_local(text[b - 1]))
        b--;
    if (b == at || !dot || dot >= e || e - dot < 3 || dot == at + 1) return 0;
    *from = b;
    *to = e;
    return 1;
}

const char *pii_mask_text(struct arena *a, const char *text) {
    if (!text || !*text) return text ? text : "";
    size_t n = strlen(text);
    char *m = arena_strdup(a, text);
    for (size_t i = 0; i < n;) {
        if (text[i] == '@') {
            size_t from, to;
            if (mail_at(text, i, n, &from, &to)) {
                /* z***@example.com: the first character of the name kept, the domain too */
                for (size_t k = from + 1; k < i; k++)
                    m[k] = '*';
                i = to;
                continue;
            }
            i++;
            continue;
        }
        if (!is_digit(text[i]) || (i > 0 && (is_digit(text[i - 1]) || text[i - 1] == '@'))) {
            i++;
            continue;
        }
        size_t e = i;
        while (e < n && is_digit(text[e]))
            e++;
        size_t len = e - i;
        if (len == 17 && e < n && (text[e] == 'X' || text[e] == 'x')) e++, len++;
        if (len == PII_ID_LEN) { /* an ID number: the region and the last 4 kept */
            for (size_t k = i + 6; k + 4 < e; k++)
                m[k] = '*';
        } else if (len >= 7) { /* a phone number (mobile, or a landline without its area code) */
            size_t head = len >= 11 ? 3 : 2, tail = len >= 11 ? 4 : 2;
            for (size_t k = i + head; k + tail < e; k++)
                m[k] = '*';
        }
        i = e;
    }
    return m;
}
