/* urlmask.c — see urlmask.h. */
#include "base/urlmask.h"

#include <ctype.h>
#include <string.h>

#include "base/buf.h"

/* Query names that carry credentials: a name containing one of these (case-insensitive). */
static const char *const secret_words[] = {"key",  "token",   "secret",     "sign",
                                           "pass", "pwd",     "auth",       "ticket",
                                           "sig",  "session", "credential", NULL};

static int name_is_secret(const char *s, size_t n) {
    char low[64];
    if (n == 0) return 0;
    if (n >= sizeof low) return 1; /* an unusually long name: mask rather than guess */
    for (size_t i = 0; i < n; i++)
        low[i] = (char)tolower((unsigned char)s[i]);
    low[n] = 0;
    for (int i = 0; secret_words[i]; i++)
        if (strstr(low, secret_words[i])) return 1;
    return 0;
}

/* A path segment that looks like a key: 16+ characters of [A-Za-z0-9_-] with letters and
 * digits mixed (UUIDs, robot tokens). */
static int segment_is_token(const char *s, size_t n) {
    if (n < 16) return 0;
    int digits = 0, letters = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (isdigit(c))
            digits++;
        else if (isalpha(c))
            letters++;
        else if (c != '-' && c != '_')
            return 0;
    }
    return digits >= 2 && letters >= 2;
}

const char *url_mask_secrets(struct arena *a, const char *url) {
    if (!url || !*url) return url;
    struct buf b;
    buf_init(&b, a, strlen(url) + 32);
    const char *p = url;
    const char *scheme = strstr(url, "://");
    if (scheme && scheme < url + strcspn(url, "/?#")) { /* scheme://authority */
        buf_add(&b, url, (size_t)(scheme + 3 - url));
        p = scheme + 3;
        size_t auth_len = strcspn(p, "/?#");
        const char *at = NULL;
        for (const char *q = p; q < p + auth_len; q++)
            if (*q == '@') at = q;
        if (at) {
            buf_puts(&b, URL_MASK "@");
            buf_add(&b, at + 1, (size_t)(p + auth_len - at - 1));
        } else {
            buf_add(&b, p, auth_len);
        }
        p += auth_len;
    }
    /* path: segment by segment */
    size_t path_len = strcspn(p, "?#");
    const char *end = p + path_len;
    while (p < end) {
        size_t seg = strcspn(p, "/");
        if (p + seg > end) seg = (size_t)(end - p);
        if (segment_is_token(p, seg))
            buf_puts(&b, URL_MASK);
        else
            buf_add(&b, p, seg);
        p += seg;
        if (p < end) buf_add(&b, p++, 1); /* the '/' */
    }
    if (*p == '?') {
        buf_add(&b, p++, 1);
        size_t query_len = strcspn(p, "#");
        const char *qend = p + query_len;
        while (p < qend) {
            size_t part = strcspn(p, "&;");
            if (p + part > qend) part = (size_t)(qend - p);
            const char *eq = memchr(p, '=', part);
            if (eq && name_is_secret(p, (size_t)(eq - p))) {
                buf_add(&b, p, (size_t)(eq - p + 1));
                buf_puts(&b, URL_MASK);
            } else {
                buf_add(&b, p, part);
            }
            p += part;
            if (p < qend) buf_add(&b, p++, 1); /* the '&' */
        }
    }
    buf_puts(&b, p); /* #fragment, never sent */
    return strcmp(b.data, url) == 0 ? url : b.data;
}
