/* router.c — match a path against the route table. Patterns are literal segments and ":name"
 * parameters; the first route whose segments all match wins. */
#include <stdio.h>
#include <string.h>

#include "http/http.h"

#define MAX_SEGMENTS 12

/* A registered route with its pattern split once: literal segments, or NULL for ":name". */
struct entry {
    const struct route *route;
    int nseg;
    int literals; /* segments that are not parameters */
    char *seg[MAX_SEGMENTS];
    char text[256]; /* the pattern's copy that seg[] points into */
};
static struct entry entries[ROUTES_MAX];
static int n_entries;

static int split(char *path, char **seg) {
    int n = 0;
    for (char *p = path; *p && n <= MAX_SEGMENTS;) {
        while (*p == '/')
            p++;
        if (!*p) break;
        if (n == MAX_SEGMENTS) return MAX_SEGMENTS + 1; /* too many */
        seg[n++] = p;
        while (*p && *p != '/')
            p++;
        if (*p) *p++ = 0;
    }
    return n;
}

int router_add(const struct route *rt, int n, char *err, size_t errlen) {
    for (int i = 0; i < n; i++) {
        const struct route *r = &rt[i];
        if (n_entries >= ROUTES_MAX) {
            snprintf(err, errlen, "more than %d routes", ROUTES_MAX);
            return -1;
        }
        struct entry *e = &entries[n_entries];
        if (snprintf(e->text, sizeof e->text, "%s", r->pattern) >= (int)sizeof e->text ||
            (e->nseg = split(e->text, e->seg)) > MAX_SEGMENTS) {
            snprintf(err, errlen, "route %s: pattern too long", r->pattern);
            return -1;
        }
        int params = 0;
        for (int k = 0; k < e->nseg; k++)
            if (e->seg[k][0] == ':') {
                e->seg[k] = NULL;
                params++;
            }
        if (params > ROUTE_MAX_PARAMS) {
            snprintf(err, errlen, "route %s: more than %d parameters", r->pattern,
                     ROUTE_MAX_PARAMS);
            return -1;
        }
        e->literals = e->nseg - params;
        e->route = r;
        n_entries++;
    }
    return 0;
}

int route_total(void) {
    return n_entries;
}

const struct route *route_at(int i) {
    return i >= 0 && i < n_entries ? entries[i].route : NULL;
}

static int match(const struct entry *e, char **seg, int nseg, const char **params) {
    if (e->nseg != nseg) return 0;
    int k = 0;
    for (int i = 0; i < nseg; i++) {
        if (!e->seg[i])
            params[k++] = seg[i];
        else if (strcmp(e->seg[i], seg[i]) != 0)
            return 0;
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
    /* The route with the most literal segments wins (/tasks/stats before /tasks/:id), whatever
     * the order modules registered them in. */
    const struct entry *best = NULL;
    int best_literals = -1;
    const char *best_params[ROUTE_MAX_PARAMS] = {0};
    for (int i = 0; i < n_entries; i++) {
        const char *params[ROUTE_MAX_PARAMS] = {0};
        if (!match(&entries[i], seg, nseg, params)) continue;
        *path_known = 1;
        if (entries[i].route->method != m || entries[i].literals <= best_literals) continue;
        best = &entries[i];
        best_literals = entries[i].literals;
        memcpy(best_params, params, sizeof params);
    }
    if (best) {
        memcpy(r->params, best_params, sizeof best_params);
        r->route_index = (int)(best - entries);
        return best->route;
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
    for (int i = 0; i < n_entries; i++) {
        const struct route *r = entries[i].route;
        if (!r->perm || (r->perm != &perm_public && r->perm != &perm_signed_in &&
                         r->perm != &perm_per_setting && r->perm->id <= 0)) {
            snprintf(err, errlen, "route %s declares no registered permission", r->pattern);
            return -1;
        }
        if (!r->handler) {
            snprintf(err, errlen, "route %s has no handler", r->pattern);
            return -1;
        }
        for (int j = 0; j < i; j++)
            if (entries[j].route->method == r->method &&
                strcmp(entries[j].route->pattern, r->pattern) == 0) {
                snprintf(err, errlen, "route %s is declared twice", r->pattern);
                return -1;
            }
    }
    return 0;
}
