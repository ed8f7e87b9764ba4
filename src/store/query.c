#include "store/query.h"

#include <stdarg.h>
#include <string.h>

#include "base/log.h"

void query_init(struct query *q, struct arena *a, const char *sql) {
    buf_init(&q->sql, a, 512);
    buf_puts(&q->sql, sql);
    q->n = 0;
    q->cap = 16;
    q->p = arena_alloc(a, (size_t)q->cap * sizeof(*q->p));
    q->overflow = 0;
}

static struct query_param *next_param(struct query *q) {
    if (q->n >= QUERY_MAX_PARAMS) {
        q->overflow = 1;
        return NULL;
    }
    if (q->n == q->cap) {
        struct query_param *p = arena_alloc(q->sql.arena, (size_t)q->cap * 2 * sizeof(*p));
        memcpy(p, q->p, (size_t)q->n * sizeof(*p));
        q->p = p;
        q->cap *= 2;
    }
    return &q->p[q->n++];
}

void query_add(struct query *q, const char *fragment, const char *types, ...) {
    buf_puts(&q->sql, fragment);
    va_list ap;
    va_start(ap, types);
    for (const char *t = types ? types : ""; *t; t++) {
        struct query_param *p = next_param(q);
        if (!p) break;
        p->type = *t;
        if (*t == 'i')
            p->i = va_arg(ap, int64_t);
        else
            p->s = arena_strdup(q->sql.arena,
                                va_arg(ap, const char *)); /* outlives the caller's buffers */
    }
    va_end(ap);
}

void query_add_ids(struct query *q, const int64_t *ids, int n) {
    static const int sizes[] = {8, 32, 128, 512, QUERY_IDS_MAX};
    if (n < 1 || n > QUERY_IDS_MAX) {
        q->overflow = 1; /* a caller's bug: the statement fails rather than lose ids */
        return;
    }
    int places = QUERY_IDS_MAX;
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        if (n <= sizes[i]) {
            places = sizes[i];
            break;
        }
    buf_puts(&q->sql, " IN (");
    for (int i = 0; i < places; i++) {
        buf_puts(&q->sql, i ? ", ?" : "?");
        struct query_param *p = next_param(q);
        if (!p) return;
        p->type = 'i';
        p->i = ids[i < n ? i : n - 1];
    }
    buf_puts(&q->sql, ")");
}

char *query_like_escape(struct arena *a, const char *text) {
    struct buf b;
    buf_init(&b, a, strlen(text) * 2 + 3);
    for (const char *p = text; *p; p++) {
        if (*p == '%' || *p == '_' || *p == '\\') buf_add(&b, "\\", 1);
        buf_add(&b, p, 1);
    }
    return b.data;
}

char *query_contains(struct arena *a, const char *text) {
    return arena_printf(a, "%%%s%%", query_like_escape(a, text));
}

struct db_stmt *query_prepare(struct db *db, struct query *q) {
    if (q->overflow) {
        log_error("query has more than %d parameters", QUERY_MAX_PARAMS);
        return NULL;
    }
    struct db_stmt *st = db_prepare(db, q->sql.data);
    if (!st) return NULL;
    for (int i = 0; i < q->n; i++) {
        if (q->p[i].type == 'i')
            db_bind_int(st, i + 1, q->p[i].i);
        else
            db_bind_text(st, i + 1, q->p[i].s);
    }
    return st;
}
