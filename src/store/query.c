#include "store/query.h"

#include <stdarg.h>
#include <string.h>

#include "base/log.h"

void query_init(struct query *q, struct arena *a, const char *sql) {
    buf_init(&q->sql, a, 512);
    buf_puts(&q->sql, sql);
    q->n = 0;
    q->overflow = 0;
}

void query_add(struct query *q, const char *fragment, const char *types, ...) {
    buf_puts(&q->sql, fragment);
    va_list ap;
    va_start(ap, types);
    for (const char *t = types ? types : ""; *t; t++) {
        if (q->n >= QUERY_MAX_PARAMS) {
            q->overflow = 1;
            break;
        }
        struct query_param *p = &q->p[q->n++];
        p->type = *t;
        if (*t == 'i')
            p->i = va_arg(ap, int64_t);
        else
            p->s = arena_strdup(q->sql.arena,
                                va_arg(ap, const char *)); /* outlives the caller's buffers */
    }
    va_end(ap);
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
