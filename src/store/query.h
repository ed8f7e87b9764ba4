/* query.h — build SQL with filters and bound parameters together, so dynamic WHERE clauses
 * never splice values into SQL text. All memory comes from the caller's arena. */
#ifndef FAZHI_QUERY_H
#define FAZHI_QUERY_H

#include <stdint.h>

#include "base/buf.h"
#include "store/db.h"

#define QUERY_MAX_PARAMS 1100 /* a page's id list (query_add_ids, up to 1024) and the rest */
#define QUERY_IDS_MAX    1024 /* ids one query_add_ids call takes */

struct query_param {
    char type;     /* 'i' or 's' */
    int64_t i;     /* when type == 'i' */
    const char *s; /* when type == 's' (NULL binds NULL) */
};

struct query {
    struct buf sql;        /* text with ? placeholders */
    struct query_param *p; /* parameters in order (the arena's; grows as they come) */
    int n, cap;            /* parameters used, room for */
    int overflow;          /* too many parameters: prepare fails */
};

void query_init(struct query *q, struct arena *a, const char *sql);
/* Append a fragment and its parameters: types as in db_exec ('i' int64_t, 's' const char *). */
void query_add(struct query *q, const char *fragment, const char *types, ...);
/* " IN (?, ?, …)" over the ids (n ≥ 1, at most QUERY_IDS_MAX): the list is padded to 8, 32, 128,
 * 512 or 1024 places with the last id, so a page of any size reuses one of five statements. */
void query_add_ids(struct query *q, const int64_t *ids, int n);
struct db_stmt *query_prepare(struct db *db, struct query *q); /* NULL on error */
/* "%text%" with % _ and \ escaped, for use as `LIKE ? ESCAPE '\'` (QUERY_LIKE). */
char *query_contains(struct arena *a, const char *text);
char *query_like_escape(struct arena *a, const char *text); /* escaped, without the % ends */
#define QUERY_LIKE " LIKE ? ESCAPE '\\'"

#endif
