/* router.c — match a path against the route table. Patterns are literal segments and ":name"
 * parameters; the first route whose segments all match wins. */
#include <stdio.h>
#include <string.h>

#include "http/http.h"

#define MAX_SEGMENTS 12

static int split(char *path, char **seg) {
    int n = 0;
    for (char *p = path; *p && n < MAX_SEGMENTS;) {
        while (*p == '/')
            p++;
        if (!*p) break;
        seg[n++] = p;
        while (*p && *p != '/')
            p++;
        if (*p) *p++ = 0;
    }
    return n;
}

static int match(const char *pattern, char **seg, int nseg, const char **params) {
    char pat[256];
    snprintf(pat, sizeof pat, "%s", pattern);
    char *ps[MAX_SEGMENTS];
    int np = split(pat, ps), k = 0;
    if (np != nseg) return 0;
    for (int i = 0; i < np; i++) {
        if (ps[i][0] == ':') {
            if (params && k < ROUTE_MAX_PARAMS) params[k] = seg[i];
            k++;
        } else if (strcmp(ps[i], seg[i]) != 0) {
            return 0;
        }
    }
    return 1;
}

const struct route *router_match(struct req *r, const char *path, enum http_method m,
                                 int *path_known) {
    *path_known = 0;
    size_t n = strlen(path);
    if (n > 1000) return NULL;
    char *copy = arena_strndup(r->arena, path, n);
    char *seg[MAX_SEGMENTS + 1];
    int nseg = split(copy, seg);
    if (nseg > MAX_SEGMENTS) return NULL;
    for (int i = 0; i < route_count; i++) {
        const char *params[ROUTE_MAX_PARAMS] = {0};
        if (!match(routes[i].pattern, seg, nseg, params)) continue;
        *path_known = 1;
        if (routes[i].method != m) continue;
        memcpy(r->params, params, sizeof params);
        r->route_index = i;
        return &routes[i];
    }
    return NULL;
}

static int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

size_t url_unescape(char *s) {
    char *out = s;
    for (const char *p = s; *p;) {
        int hi = p[0] == '%' ? hex_value(p[1]) : -1, lo = hi >= 0 ? hex_value(p[2]) : -1;
        if (lo >= 0 && (hi | lo)) { /* %00 is kept as text: see http.h */
            *out++ = (char)(hi << 4 | lo);
            p += 3;
        } else {
            *out++ = *p++;
        }
    }
    *out = 0;
    return (size_t)(out - s);
}

int router_check(char *err, size_t errlen) {
    for (int i = 0; i < route_count; i++) {
        if (routes[i].perm == PERM_UNDECLARED || routes[i].perm >= PERM_COUNT) {
            snprintf(err, errlen, "route %s declares no permission", routes[i].pattern);
            return -1;
        }
        if (!routes[i].handler) {
            snprintf(err, errlen, "route %s has no handler", routes[i].pattern);
            return -1;
        }
        for (int j = 0; j < i; j++)
            if (routes[j].method == routes[i].method &&
                strcmp(routes[j].pattern, routes[i].pattern) == 0) {
                snprintf(err, errlen, "route %s is declared twice", routes[i].pattern);
                return -1;
            }
    }
    return 0;
}
