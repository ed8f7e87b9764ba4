/* http.h — what a route handler sees: the request, reply helpers and `..._or_reply` helpers
 * that send the error themselves and return non-zero, so handlers read top to bottom:
 *
 *     json_t *body;
 *     if (req_json_or_reply(r, &body)) return;
 *
 * Memory: everything here lives in r->arena (freed when the response is sent). json_t values
 * passed to reply_json are stolen. */
#ifndef FAZHI_HTTP_H
#define FAZHI_HTTP_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "audit/audit.h"
#include "auth/auth.h"
#include "base/arena.h"
#include "store/db.h"
#include "store/query.h"

enum http_method { M_GET, M_POST, M_PUT, M_DELETE, M_PATCH, M_OTHER };

#define ROUTE_MAX_PARAMS 4
#define REQUEST_BODY_MAX (1024 * 1024) /* JSON bodies */
#define JSON_MAX_DEPTH   16
#define JSON_MAX_STRING  4000 /* characters, unless a field says less */
/* Retry-After of every 503: a PostgreSQL restart or failover takes seconds. */
#define RETRY_AFTER_SECONDS "2"

enum err {
    ERR_INVALID,
    ERR_BAD_JSON,
    ERR_UNAUTHENTICATED,
    ERR_INVALID_CREDENTIALS,
    ERR_CSRF,
    ERR_FORBIDDEN,
    ERR_PASSWORD_CHANGE_REQUIRED,
    ERR_NOT_FOUND,
    ERR_METHOD_NOT_ALLOWED,
    ERR_STALE_VERSION,
    ERR_CONFLICT,
    ERR_IN_USE,
    ERR_TOO_LARGE,
    ERR_UNSUPPORTED_MEDIA_TYPE,
    ERR_TOO_MANY_ATTEMPTS,
    ERR_INTERNAL,
    ERR_UNAVAILABLE,
    ERR_OUTCOME_UNKNOWN,
    ERR_CAPTCHA_REQUIRED,
    ERR_CAPTCHA_WRONG,
    ERR_IMPORT_DUPLICATES,
    ERR_CONSULTATION_CLOSED,
    ERR_CHALLENGE_FAILED,
    ERR_RATE_LIMITED,
    ERR_COUNT
};

struct req;
typedef void (*handler_fn)(struct req *r);

/* Route flags. ROUTE_UPLOAD: the body is multipart/form-data streamed by server.c into a temp
 * file (part `file`, limit setting files.max_mb) and handed over as req->upload. ROUTE_NO_DB:
 * the route needs no database, so it answers while the database is away — r->db stays NULL
 * unless the handler attaches the connection itself (server_attach_db). */
#define ROUTE_UPLOAD 1u
#define ROUTE_NO_DB  2u

struct route {
    enum http_method method;     /* GET, POST, ... */
    const char *pattern;         /* "/api/v1/units/:id" */
    const struct perm_def *perm; /* required permission (or &perm_public, &perm_signed_in,
                                  * &perm_per_setting); none is refused at start-up */
    handler_fn handler;          /* the function */
    unsigned flags;              /* ROUTE_* (0 by omission) */
    const void *ctx;             /* what a generic handler serves (an entity), via r->route */
};

#define UPLOAD_HEAD 512 /* first bytes kept for type sniffing */

/* What server.c streamed for a ROUTE_UPLOAD route. Lives in the request arena; the temp file is
 * unlinked and closed with the arena. */
struct upload {
    int multipart;                   /* the body was multipart/form-data */
    int parts;                       /* parts named `file` seen (one expected) */
    int failed;                      /* malformed multipart or a temp-file I/O error */
    const char *name;                /* the part's file name as sent (arena), NULL when none */
    int64_t size;                    /* bytes of the file */
    char sha256[65];                 /* hex digest of the file */
    unsigned char head[UPLOAD_HEAD]; /* first bytes */
    size_t head_len;
    FILE *file; /* the bytes, rewound; NULL when no temp file */
};

struct http_header {
    const char *name;
    const char *value;
};

/* A body produced piece by piece (reply_stream), e.g. an attachment read from the database:
 * read() puts up to n bytes of the body at `offset` into buf and returns how many (> 0), or < 0
 * on error (the connection is then cut; the client sees a body shorter than Content-Length).
 * libmicrohttpd calls it as the client takes the bytes, after the handler has returned — on the
 * worker thread, with that thread's connection `db`, outside any transaction. */
typedef int64_t (*reply_read_fn)(void *cls, struct db *db, uint64_t offset, char *buf, size_t n);
struct reply_stream {
    reply_read_fn read;      /* NULL: the body is resp/resp_len */
    void (*free_fn)(void *); /* frees cls when the answer is done or dropped (may be NULL) */
    void *cls;               /* the reader's state: malloc'd, it outlives the request arena */
    uint64_t size;           /* bytes of the body */
    size_t block;            /* bytes asked of read() at a time (0: 1 MiB): a download's memory */
};

struct req {
    struct arena *arena; /* everything request-scoped */
    struct db *db;       /* this worker thread's connection */
    void *conn;          /* struct MHD_Connection * */
    enum http_method method;
    const char *method_text;
    const char *path;                     /* without query string */
    const struct route *route;            /* matched route, NULL for static files and 404 */
    int route_index;                      /* for metrics */
    const char *params[ROUTE_MAX_PARAMS]; /* ":name" path segments, in order */
    const char *body;                     /* request body (NUL-terminated), NULL when none */
    size_t body_len;
    struct upload *upload;    /* ROUTE_UPLOAD routes only, else NULL */
    int signed_in;            /* who is valid */
    struct principal who;     /* the signed-in user */
    struct audit_actor actor; /* for audit_append */
    char request_id[24];
    char ip[64];
    int lang; /* 0 zh-CN, 1 en */
    int tls;  /* request arrived over TLS (or X-Forwarded-Proto: https) */
    /* response */
    int status;
    const char *content_type;
    const char *resp; /* the body (arena), unless stream.read is set */
    size_t resp_len;
    struct reply_stream stream; /* a streamed body (reply_stream) */
    struct http_header headers[8];
    int n_headers;
    int replied;
    int committed; /* a write transaction of this request was committed */
};

/* Replies */
void reply_json(struct req *r, int status, json_t *body); /* steals body */
void reply_raw(struct req *r, int status, const char *content_type, const char *data, size_t n);
/* Answer `size` bytes produced by read(cls, …) (see struct reply_stream); takes cls, and frees it
 * with free_fn even when the answer is replaced by a later reply. */
void reply_stream(struct req *r, int status, const char *content_type, uint64_t size, size_t block,
                  reply_read_fn read, void (*free_fn)(void *), void *cls);
/* Stream an open file's first `size` bytes (fd is taken and closed when done). */
void reply_fd(struct req *r, int status, const char *content_type, int fd, uint64_t size);
void reply_header(struct req *r, const char *name, const char *value);
void reply_error(struct req *r, enum err code, json_t *fields); /* steals fields (may be NULL) */
/* {code, message} of an error without answering it (one item of a batch's results): the table's
 * message, or zh/en when given. New reference. */
json_t *error_json(const struct req *r, enum err code, const char *zh, const char *en);
void reply_error_msg(struct req *r, enum err code, const char *zh, const char *en);
/* The error `code` with its own message and `fields` (stolen, may be NULL). */
void reply_error_with(struct req *r, enum err code, const char *zh, const char *en, json_t *fields);
/* The error `code` with one field's message: {"error":{…,"fields":{field: message}}}. */
void reply_field_error(struct req *r, enum err code, const char *field, const char *zh,
                       const char *en);
void reply_ok(struct req *r); /* 200 {"ok":true} */
/* 413 too_large "the request needs more memory than one request may use" (the arena's budget,
 * setting server.request_memory_mb); drops headers already set. server.c answers this for any
 * request whose arena ended exhausted without a commit; tx_commit_or_reply refuses to commit
 * for one, so such a request changes nothing. */
void reply_over_budget(struct req *r);
/* Record the refusal in the audit log (its own transaction) and answer 403. why: a permission
 * code or "csrf" (then the answer is csrf_failed). */
void reply_denied(struct req *r, const char *why);
void reply_session_cookie(struct req *r, const char *token); /* NULL clears it */
/* Attach this worker thread's connection to r (opened at the thread's first use) and begin the
 * request's unit of work on it (db_unit_start). -1 when the database cannot be opened. */
int server_attach_db(struct req *r);
const char *tr(const struct req *r, const char *zh, const char *en); /* pick by language */

/* Request inputs */
const char *req_header(struct req *r, const char *name);
const char *req_query(struct req *r, const char *name); /* NULL when absent */
int req_json_or_reply(struct req *r, json_t **out);     /* body must be a JSON object */
/* Path parameter `param` as an id: canonical decimal only (1-9 then digits, at most 18), so
 * "010", "+10", " 10" and "10abc" answer 404 like an id that does not exist. */
int req_id_or_reply(struct req *r, int param, int64_t *out);
struct page {
    int64_t page, per_page, offset;
};
int req_page_or_reply(struct req *r, struct page *p);
struct sort_key {
    const char *name; /* as in ?sort=name or -name */
    const char *sql;  /* column expression */
};
/* ORDER BY text for ?sort=, from a whitelist; `def` when absent. */
int req_sort_or_reply(struct req *r, const struct sort_key *keys, const char *def,
                      const char **order_by);
/* Query filters: optional integer/boolean/text/date with bounds; reply 400 on bad values (an
 * integer is canonical decimal, as an id: "+1", "01", " 10" are 400, not 1 or 10). */
int req_query_int_or_reply(struct req *r, const char *name, int64_t min, int64_t max, int64_t *out,
                           int *present);
int req_query_text_or_reply(struct req *r, const char *name, size_t max_chars, const char **out);
int req_query_bool_or_reply(struct req *r, const char *name, int *out, int *present);

/* Body fields: collect every problem, then form_ok_or_reply() answers 400 with `fields`. */
struct form {
    struct req *r;
    json_t *body;   /* borrowed */
    json_t *errors; /* field → message */
};
void form_init(struct form *f, struct req *r, json_t *body);
int form_has(struct form *f, const char *key);
const char *form_text(struct form *f, const char *key, int required, size_t min_chars,
                      size_t max_chars); /* trimmed; "" when optional and absent */
int64_t form_int(struct form *f, const char *key, int required, int64_t min, int64_t max,
                 int64_t def);
int form_bool(struct form *f, const char *key, int def);
int64_t form_version(struct form *f); /* required positive integer "version" */
void form_error(struct form *f, const char *key, const char *zh, const char *en);
int form_ok_or_reply(struct form *f);

/* Transactions with their audit record. Each *_or_reply rolls back and replies on failure. */
int tx_begin_or_reply(struct req *r);
int tx_commit_or_reply(struct req *r);
int audit_or_reply(struct req *r, const char *action, const char *object_type, int64_t object_id,
                   json_t *detail /* stolen, may be NULL */);
int audit_key_or_reply(struct req *r, const char *action, const char *object_type,
                       const char *object_key, json_t *detail); /* object named by text */
/* Map a store error: DB_CONSTRAINT → 409 conflict, DB_BUSY and DB_UNAVAILABLE (or a lost
 * connection) → 503 unavailable with Retry-After, others → 500; rolls back. Returns -1. */
int db_fail_reply(struct req *r, int rc);
/* The same mapping without the rollback: the one place a store result becomes an answer. */
void reply_db_error(struct req *r, int rc);
/* Claim a row for update: bumps version and updated_at when `version` is current; otherwise
 * rolls back and replies 409 stale_version (or 404). Call inside the write transaction. */
int version_bump_or_reply(struct req *r, const char *table, int64_t id, int64_t version);
/* After an UPDATE ... WHERE id = ? AND version = ? changed nothing: 404 or 409. */
void reply_stale_or_missing(struct req *r, const char *table, int64_t id);

/* Helpers for handlers */
char *json_text(struct arena *a, json_t *j); /* compact JSON in the arena */

/* The router (router.c): the modules' route tables, registered at start-up (app/modules.c). */
#define ROUTES_MAX 1536
int router_add(const struct route *routes, int n, char *err, size_t errlen); /* 0 ok */
int route_total(void);
const struct route *route_at(int i); /* 0 … route_total()-1, in registration order */
/* Match path and method; returns the route or NULL; *path_known tells 405 from 404. */
const struct route *router_match(struct req *r, const char *path, enum http_method m,
                                 int *path_known);
int router_check(char *err, size_t errlen); /* every route declares a permission, no duplicates */
/* The URL unescaper given to libmicrohttpd (path and query values): %HH becomes the byte,
 * except %00, which stays the three characters "%00" — a NUL would cut the C string the router
 * and handlers see, so that /units/10%00abc read as /units/10 and site.name%00junk as site.name.
 * In place; returns the new length. */
size_t url_unescape(char *s);

#endif
