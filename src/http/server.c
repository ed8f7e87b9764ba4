/* server.c — request lifecycle: read the body within limits, route, authenticate, authorise,
 * check CSRF, call the handler, add security headers, log one JSON line, count metrics. */
#include "http/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/crypto.h"
#include "base/json.h"
#include "base/log.h"
#include "base/timeutil.h"
#include "http/assets.h"
#include "http/deadline.h"
#include "http/http.h"
#include "http/metrics.h"
#include "store/dataver.h"
#include "store/settings.h"

const char *server_db_url;

static atomic_int in_flight; /* requests being handled */
static atomic_uint_fast64_t request_counter;
static int trust_proxy;
static pthread_key_t db_key; /* this worker thread's connection */
static pthread_once_t db_key_once = PTHREAD_ONCE_INIT;

static void db_key_destroy(void *p) {
    db_close(p);
}
static void db_key_make(void) {
    pthread_key_create(&db_key, db_key_destroy);
}

#define OPEN_RETRY_GAP        0.2  /* seconds between failed first connections of one thread */
#define SESSION_CACHE_ENTRIES 8192 /* live sessions kept in memory (auth.h session_lookup) */
#define LOG_FIELD_MAX         4096 /* bytes of a path in the access log (longer ones are cut) */

/* This worker thread's connection, opened at its first request. Once open it is kept for the
 * thread's life; when the database goes away it is marked lost and reconnected by the store at
 * the start of a later request (db_unit_start), so it is never replaced here. */
static struct db *thread_db(void) {
    static _Thread_local double retry_at;
    pthread_once(&db_key_once, db_key_make);
    struct db *db = pthread_getspecific(db_key);
    if (db) return db;
    if (now_mono() < retry_at) return NULL;
    char err[256];
    if (db_open(server_db_url, &db, err, sizeof err) != DB_OK) {
        log_error("cannot open database: %s", err);
        retry_at = now_mono() + OPEN_RETRY_GAP;
        return NULL;
    }
    pthread_setspecific(db_key, db);
    return db;
}

/* The memory one request may use (setting server.request_memory_mb, base/arena.h). Read
 * through the thread's connection when it has one; never opens one (static files and /healthz
 * must not wait for the database): the last value read by any thread is used otherwise. */
static size_t request_budget(void) {
    static atomic_size_t last = (size_t)128 << 20;
    pthread_once(&db_key_once, db_key_make);
    struct db *db = pthread_getspecific(db_key);
    if (db) atomic_store(&last, (size_t)setting_int(db, "server.request_memory_mb") << 20);
    return atomic_load(&last);
}

int server_attach_db(struct req *r) {
    r->db = thread_db();
    if (!r->db) return -1;
    db_unit_start(
        r->db); /* one request, one unit: a lost connection is replaced at its first call */
    return 0;
}

/* Per-connection-request state kept across libmicrohttpd callbacks. */
struct conn_ctx {
    struct arena *arena; /* becomes the request arena */
    char *body;          /* accumulated body */
    size_t len, cap;
    size_t limit;  /* body limit for this request */
    int too_large; /* body exceeded the limit */
    double start;  /* monotonic start time */
    /* ROUTE_UPLOAD routes: the multipart body is streamed into up->file, never into body. */
    struct upload *up;            /* NULL for other routes */
    struct MHD_PostProcessor *pp; /* NULL unless multipart and allowed */
    crypto_hash_sha256_state sha; /* running digest of the file part */
    int64_t upload_limit;         /* bytes allowed for the file (files.max_mb) */
    int discard;                  /* not signed in or not permitted: drain the body unread */
    int in_file;                  /* the last part seen was `file` */
    int64_t part_bytes;           /* bytes of the current `file` part */
    int db_lost;                  /* the connection was lost while checking the upload: 503 */
    /* The route, matched once at the first call (upload_begin) and used by dispatch. */
    const struct route *route;            /* NULL: no route for the method */
    int route_index;                      /* -1 without a route */
    int route_known;                      /* the path has routes (405 rather than 404) */
    const char *params[ROUTE_MAX_PARAMS]; /* in the connection's arena */
};

#define UPLOAD_OVERHEAD (64 * 1024) /* multipart boundaries and part headers beyond the file */

const char *req_header(struct req *r, const char *name) {
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *req_query(struct req *r, const char *name) {
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

static enum http_method parse_method(const char *m) {
    if (!strcmp(m, "GET") || !strcmp(m, "HEAD")) return M_GET;
    if (!strcmp(m, "POST")) return M_POST;
    if (!strcmp(m, "PUT")) return M_PUT;
    if (!strcmp(m, "DELETE")) return M_DELETE;
    if (!strcmp(m, "PATCH")) return M_PATCH;
    return M_OTHER;
}

static void client_ip(struct req *r) {
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    snprintf(r->ip, sizeof r->ip, "?");
    if (ci && ci->client_addr) {
        const struct sockaddr *sa = ci->client_addr;
        if (sa->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, r->ip, sizeof r->ip);
        else if (sa->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, r->ip, sizeof r->ip);
    }
    if (trust_proxy) {
        /* The proxy appends the peer it saw: take the last address in the list. */
        const char *xff = req_header(r, "X-Forwarded-For");
        if (xff && strlen(xff) < 512) {
            const char *last = strrchr(xff, ',');
            last = last ? last + 1 : xff;
            while (*last == ' ')
                last++;
            if (*last && strlen(last) < sizeof r->ip) snprintf(r->ip, sizeof r->ip, "%s", last);
        }
        const char *proto = req_header(r, "X-Forwarded-Proto");
        if (proto && !strcasecmp(proto, "https")) r->tls = 1;
    }
}

static int is_state_changing(enum http_method m) {
    return m != M_GET;
}

void reply_denied(struct req *r, const char *why) {
    if (db_begin(r->db) != DB_OK) return;
    json_t *d =
        json_pack("{s:s,s:s,s:s}", "method", r->method_text, "path", r->path, "reason", why);
    char *text = json_text(r->arena, d);
    json_decref(d);
    if (audit_append(r->db, &r->actor, "access.denied", "route", r->route->pattern, "denied",
                     text) == DB_OK)
        db_commit(r->db);
    else
        db_rollback(r->db);
    if (strcmp(why, "csrf") == 0)
        reply_error(r, ERR_CSRF, NULL);
    else
        reply_error(r, ERR_FORBIDDEN, NULL);
}

/* Routes a user who must change the initial password may still use. */
static int allowed_before_password_change(const struct route *rt) {
    return !strcmp(rt->pattern, "/api/v1/auth/me") || !strcmp(rt->pattern, "/api/v1/auth/logout") ||
           !strcmp(rt->pattern, "/api/v1/auth/password");
}

static void serve_static(struct req *r) {
    if (r->method != M_GET) {
        reply_error(r, ERR_METHOD_NOT_ALLOWED, NULL);
        return;
    }
    const struct asset *hit = NULL, *index = NULL;
    for (int i = 0; i < asset_count; i++) {
        if (!strcmp(assets[i].path, r->path)) hit = &assets[i];
        if (!strcmp(assets[i].path, "/index.html")) index = &assets[i];
    }
    /* History-mode routing: paths without a file extension are pages of the app. */
    const char *last = strrchr(r->path, '/');
    if (!hit && last && !strchr(last, '.')) hit = index;
    if (!hit) {
        reply_raw(r, 404, "text/plain; charset=utf-8", "not found\n", 10);
        return;
    }
    const char *inm = req_header(r, "If-None-Match");
    reply_header(r, "ETag", hit->etag);
    reply_header(r, "Cache-Control",
                 strncmp(hit->path, "/assets/", 8) == 0 ? "public, max-age=31536000, immutable"
                                                        : "no-cache");
    if (inm && !strcmp(inm, hit->etag)) {
        reply_raw(r, 304, hit->content_type, "", 0);
        return;
    }
    reply_raw(r, 200, hit->content_type, (const char *)hit->data, hit->len);
}

static void dispatch(struct req *r, const struct conn_ctx *cx) {
    int api = strncmp(r->path, "/api/", 5) == 0 || !strcmp(r->path, "/healthz") ||
              !strcmp(r->path, "/readyz") || !strcmp(r->path, "/metrics");
    if (!api) {
        serve_static(r);
        return;
    }
    r->route = cx->route; /* matched at the request's first call (upload_begin) */
    r->route_index = cx->route_index;
    memcpy(r->params, cx->params, sizeof r->params);
    if (!r->route) {
        reply_error(r, cx->route_known ? ERR_METHOD_NOT_ALLOWED : ERR_NOT_FOUND, NULL);
        return;
    }
    if (r->route->flags & ROUTE_NO_DB) {
        r->route->handler(r);
        return;
    }
    if (server_attach_db(r)) {
        reply_error(r, ERR_UNAVAILABLE, NULL);
        return;
    }
    if (r->route->perm == &perm_public) {
        r->route->handler(r);
        return;
    }
    const char *token = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, "fazhi_session");
    int rc = token ? session_lookup(r->db, r->arena, token, &r->who) : DB_DONE;
    if (rc < 0) {
        reply_db_error(r, rc);
        return;
    }
    if (rc != DB_ROW) {
        reply_error(r, ERR_UNAUTHENTICATED, NULL);
        return;
    }
    r->signed_in = 1;
    r->actor.user_id = r->who.user_id;
    r->actor.username = r->who.username;
    r->actor.role = r->who.role ? r->who.role : "";
    r->actor.unit_id = r->who.unit_id;
    if (is_state_changing(r->method)) {
        const char *csrf = req_header(r, "X-CSRF-Token");
        if (!csrf || !r->who.csrf_token || strcmp(csrf, r->who.csrf_token) != 0) {
            reply_denied(r, "csrf");
            return;
        }
    }
    if (r->who.must_change_password && !allowed_before_password_change(r->route)) {
        reply_error(r, ERR_PASSWORD_CHANGE_REQUIRED, NULL);
        return;
    }
    if (!perm_gate(r->who.perms, r->route->perm)) {
        reply_denied(r, perm_code(r->route->perm));
        return;
    }
    r->route->handler(r);
}

static void add_security_headers(struct MHD_Response *resp, int api) {
    MHD_add_response_header(resp, "Content-Security-Policy",
                            "default-src 'self'; script-src 'self'; style-src 'self'; "
                            "img-src 'self' data:; connect-src 'self'; font-src 'self' data:; "
                            "object-src 'none'; frame-ancestors 'none'; base-uri 'none'; "
                            "form-action 'self'");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "Cross-Origin-Opener-Policy", "same-origin");
    MHD_add_response_header(resp, "Permissions-Policy", "camera=(), microphone=(), geolocation=()");
    if (api) MHD_add_response_header(resp, "Cache-Control", "no-store");
}

/* A text field of the access log, at most `max` bytes of v (a longer one is cut at a character
 * boundary); text that is not UTF-8 (a path, a forwarded address) is written with its bytes
 * above 0x7F as %XX — jansson, used before, refused the whole line. Writes at most
 * 6 * (3 * max + strlen(key)) + 3 bytes. */
static char *log_field(char *out, const char *key, const char *v, size_t max) {
    size_t n = strnlen(v, max + 1);
    if (n > max) {
        n = max;
        while (n > 0 && ((unsigned char)v[n] & 0xc0) == 0x80)
            n--;
    }
    out = json_string_text(out, key, strlen(key));
    *out++ = ':';
    if (json_utf8_valid(v, n)) return json_string_text(out, v, n);
    char tmp[3 * LOG_FIELD_MAX], *t = tmp;
    for (size_t i = 0; i < n && i < LOG_FIELD_MAX; i++) {
        unsigned char c = (unsigned char)v[i];
        if (c < 0x80) {
            *t++ = (char)c;
        } else {
            static const char hex[] = "0123456789ABCDEF";
            *t++ = '%';
            *t++ = hex[c >> 4];
            *t++ = hex[c & 15];
        }
    }
    return json_string_text(out, tmp, (size_t)(t - tmp));
}

/* One JSON line per request, written by hand: a tenth of the instructions of building it with
 * jansson (docs/performance.md). The same fields and order as before. */
static void access_log(struct req *r, double ms) {
    char line[6 * 3 * (LOG_FIELD_MAX + 3 * 64) + 512], num[64];
    static _Thread_local int64_t ts_second = -1; /* the time stamp changes once a second */
    static _Thread_local char ts[21];
    int64_t now = now_unix();
    if (now != ts_second) {
        iso_utc(now, ts);
        ts_second = now;
    }
    char *o = line;
    o += snprintf(o, 64, "{\"type\":\"access\",");
    o = log_field(o, "method", r->method_text ? r->method_text : "", 32);
    *o++ = ',';
    o = log_field(o, "path", r->path, LOG_FIELD_MAX);
    *o++ = ',';
    o = log_field(o, "request_id", r->request_id, 32);
    o += snprintf(o, 64, ",\"status\":%d,\"ms\":", r->status);
    size_t k = json_real_text(num, sizeof num, ms);
    memcpy(o, num, k);
    o += k;
    *o++ = ',';
    o = log_field(o, "ip", r->ip, 64);
    o += snprintf(o, 64, ",\"bytes\":%lld,", (long long)r->resp_len);
    o = log_field(o, "ts", ts, 32);
    if (r->signed_in && r->who.username) {
        *o++ = ',';
        o = log_field(o, "user", r->who.username, 64);
    }
    if (r->db) o += snprintf(o, 64, ",\"queries\":%lld", (long long)db_unit_statements(r->db));
    *o++ = '}';
    *o = 0;
    log_line(line);
}

/* ---- streamed uploads (ROUTE_UPLOAD) ---- */

static void upload_close_file(void *p) {
    fclose(p);
}

/* The multipart iterator: the first part named `file` goes to an unlinked temp file, hashed as
 * it comes; other parts are ignored, further `file` parts only counted. */
static enum MHD_Result upload_part(void *cls, enum MHD_ValueKind kind, const char *key,
                                   const char *filename, const char *content_type,
                                   const char *transfer_encoding, const char *data, uint64_t off,
                                   size_t size) {
    (void)kind;
    (void)content_type;
    (void)transfer_encoding;
    struct conn_ctx *cx = cls;
    struct upload *up = cx->up;
    if (!key || strcmp(key, "file") != 0) {
        cx->in_file = 0;
        return MHD_YES;
    }
    if (off == 0 && (!cx->in_file || cx->part_bytes > 0)) { /* a new `file` part */
        up->parts++;
        cx->part_bytes = 0;
        if (up->parts == 1) {
            up->name = filename ? arena_strdup(cx->arena, filename) : NULL;
            up->file = tmpfile();
            if (!up->file) {
                log_error("upload: cannot create a temp file: %s", strerror(errno));
                up->failed = 1;
                return MHD_NO;
            }
            arena_on_free(cx->arena, upload_close_file, up->file);
        }
    }
    cx->in_file = 1;
    cx->part_bytes += (int64_t)size;
    if (up->parts > 1 || size == 0) return MHD_YES;
    if (up->size + (int64_t)size > cx->upload_limit) {
        cx->too_large = 1;
        return MHD_NO;
    }
    if (fwrite(data, 1, size, up->file) != size) {
        log_error("upload: cannot write the temp file: %s", strerror(errno));
        up->failed = 1;
        return MHD_NO;
    }
    crypto_hash_sha256_update(&cx->sha, (const unsigned char *)data, size);
    if (up->head_len < UPLOAD_HEAD) {
        size_t n = UPLOAD_HEAD - up->head_len < size ? UPLOAD_HEAD - up->head_len : size;
        memcpy(up->head + up->head_len, data, n);
        up->head_len += n;
    }
    up->size += (int64_t)size;
    return MHD_YES;
}

/* May this request stream an upload? The full checks (and their answers) run later in
 * dispatch(); this only keeps strangers from filling a temp file. */
static int upload_allowed(struct MHD_Connection *conn, struct conn_ctx *cx, struct db *db,
                          const struct route *rt) {
    const char *token = MHD_lookup_connection_value(conn, MHD_COOKIE_KIND, "fazhi_session");
    struct principal p;
    if (!token || session_lookup(db, cx->arena, token, &p) != DB_ROW) return 0;
    const char *csrf = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-CSRF-Token");
    if (!csrf || !p.csrf_token || strcmp(csrf, p.csrf_token) != 0) return 0;
    if (p.must_change_password) return 0;
    return perm_gate(p.perms, rt->perm);
}

/* First call of a request: route it; for an upload route prepare the streaming. Returns 1 for
 * an upload route. */
static int upload_begin(struct MHD_Connection *conn, struct conn_ctx *cx, const char *url,
                        const char *method) {
    struct req probe = {0};
    probe.arena = cx->arena;
    const struct route *rt = router_match(&probe, url, parse_method(method), &cx->route_known);
    cx->route = rt;
    cx->route_index = rt ? probe.route_index : -1;
    memcpy(cx->params, probe.params, sizeof cx->params);
    if (!rt || !(rt->flags & ROUTE_UPLOAD)) return 0;
    cx->up = arena_alloc(cx->arena, sizeof(*cx->up));
    struct db *db = thread_db();
    int allowed = 0;
    for (int attempt = 0; db && attempt < 2; attempt++) {
        db_unit_start(db);
        allowed = upload_allowed(conn, cx, db, rt);
        if (!db_lost(db) || db_unit_sent_writes(db)) break; /* else: nothing sent, try again */
    }
    if (!allowed) {
        cx->discard = 1;
        cx->db_lost = !db || db_lost(db);
        return 1;
    }
    cx->upload_limit = setting_int(db, "files.max_mb") * 1024 * 1024;
    const char *ct = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Type");
    if (!ct || strncasecmp(ct, "multipart/form-data", 19) != 0) return 1; /* handler: 415 */
    cx->pp = MHD_create_post_processor(conn, 16 * 1024, upload_part, cx);
    if (!cx->pp) return 1;
    cx->up->multipart = 1;
    crypto_hash_sha256_init(&cx->sha);
    return 1;
}

/* Last call: flush the post processor, finish the digest, rewind the file. */
static void upload_finish(struct conn_ctx *cx) {
    struct upload *up = cx->up;
    if (MHD_destroy_post_processor(cx->pp) != MHD_YES && !cx->too_large) up->failed = 1;
    cx->pp = NULL;
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&cx->sha, h);
    hex_encode(h, sizeof h, up->sha256);
    if (up->file && (fflush(up->file) != 0 || ferror(up->file))) up->failed = 1;
    if (up->file) rewind(up->file);
}

/* ---- streamed answers (reply_stream) ---- */

/* Bytes asked of a reader at a time unless it says (struct reply_stream.block): about the memory
 * of one download, whatever its size. */
#define STREAM_BLOCK (1024 * 1024)

struct stream_ctx {
    struct reply_stream s; /* the handler's reader */
    char request_id[24];   /* for the log */
};

static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max) {
    struct stream_ctx *sc = cls;
    if (pos >= sc->s.size) return MHD_CONTENT_READER_END_OF_STREAM;
    struct db *db = thread_db();
    int64_t n = db ? sc->s.read(sc->s.cls, db, pos, buf, max) : -1;
    if (n > 0 && (size_t)n <= max) return (ssize_t)n;
    /* 0 would make libmicrohttpd wait for data that never comes: cut the connection instead. */
    log_error("request %s: the streamed answer failed at byte %llu of %llu", sc->request_id,
              (unsigned long long)pos, (unsigned long long)sc->s.size);
    return MHD_CONTENT_READER_END_WITH_ERROR;
}

static void stream_free(void *cls) {
    struct stream_ctx *sc = cls;
    if (sc->s.free_fn) sc->s.free_fn(sc->s.cls);
    free(sc);
}

/* The response for r->stream; takes the reader (freed with the response, or now on failure). */
static struct MHD_Response *stream_response(struct req *r) {
    struct stream_ctx *sc = malloc(sizeof(*sc));
    struct MHD_Response *resp = NULL;
    if (sc) {
        sc->s = r->stream;
        snprintf(sc->request_id, sizeof sc->request_id, "%s", r->request_id);
        size_t block = r->stream.block ? r->stream.block : STREAM_BLOCK;
        if (r->stream.size < block) block = (size_t)r->stream.size + 1;
        resp =
            MHD_create_response_from_callback(r->stream.size, block, stream_read, sc, stream_free);
        if (!resp) free(sc);
    }
    if (!resp && r->stream.free_fn) r->stream.free_fn(r->stream.cls);
    memset(&r->stream, 0, sizeof r->stream);
    return resp;
}

/* A fresh request state for one run of the handler (the arena, body and upload are the
 * connection's and stay). */
static void req_init(struct req *r, struct conn_ctx *cx, struct MHD_Connection *conn,
                     const char *url, const char *method, const char *request_id) {
    memset(r, 0, sizeof(*r));
    r->arena = cx->arena;
    r->conn = conn;
    r->method_text = method;
    r->method = parse_method(method);
    r->path = url;
    r->route_index = -1;
    r->body = cx->body;
    r->body_len = cx->len;
    r->upload = cx->up;
    snprintf(r->request_id, sizeof r->request_id, "%s", request_id);
    client_ip(r);
    r->actor.ip = r->ip;
    r->actor.request_id = r->request_id;
    r->actor.username = "";
    r->actor.role = "";
    const char *al = req_header(r, "Accept-Language");
    r->lang = al && !strncasecmp(al, "en", 2);
}

/* After the handler, when the database connection was lost during the request. The rules
 * (docs/scaling.md): a request that sent nothing durable — no COMMIT, no write outside a
 * transaction — is run once more from the start (the store reconnects first); one whose COMMIT
 * or autocommit write went out is never run again: a success it already answered stands,
 * anything else becomes 503 outcome_unknown. Every other answer computed on a lost connection
 * (a 500, or a 404 from a read that failed) becomes 503 unavailable with Retry-After; never 500.
 * Returns 1 to run the request again. */
static int after_lost_connection(struct req *r, int attempt) {
    if (!r->db || !db_lost(r->db)) return 0;
    int sent = db_unit_sent_writes(r->db);
    if (!sent && attempt == 0) return 1;
    if (sent ? r->status >= 200 && r->status < 400 /* committed, and said so */
             : r->status == 503)                   /* the handler's own 503 (/readyz) */
        return 0;
    r->n_headers = 0;
    r->replied = 0;
    /* GET changes nothing the user asked for (its writes are session upkeep and audit). */
    reply_error(r, sent && r->method != M_GET ? ERR_OUTCOME_UNKNOWN : ERR_UNAVAILABLE, NULL);
    return 0;
}

/* The random half of a request id: it only tells requests apart in logs, so a per-thread
 * xorshift seeded once from the system (no getrandom(2) per request). */
static uint64_t request_id_random(void) {
    static _Thread_local uint64_t x;
    while (!x)
        x = random_u64();
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x >> 16;
}

static enum MHD_Result respond(struct MHD_Connection *conn, struct conn_ctx *cx, const char *url,
                               const char *method) {
    struct req r;
    char request_id[sizeof r.request_id];
    snprintf(request_id, sizeof request_id, "%08llx%08llx",
             (unsigned long long)(request_id_random() & 0xffffffffu),
             (unsigned long long)atomic_fetch_add(&request_counter, 1) & 0xffffffffu);
    int api = strncmp(url, "/api/", 5) == 0;
    arena_set_current(cx->arena); /* jansson's memory counts against the request's budget */
    for (int attempt = 0;; attempt++) {
        req_init(&r, cx, conn, url, method, request_id);
        if (cx->too_large)
            reply_error(&r, ERR_TOO_LARGE, NULL);
        else if (strlen(url) > 2000)
            reply_error(&r, ERR_NOT_FOUND, NULL);
        else if (cx->db_lost)
            reply_error(&r, ERR_UNAVAILABLE, NULL);
        else
            dispatch(&r, cx);
        if (!r.replied) reply_error(&r, ERR_INTERNAL, NULL);
        /* A handler that forgot to finish never leaves a write open. */
        if (r.db && db_in_tx(r.db)) {
            log_error("request %s left a transaction open: rolled back", r.request_id);
            db_rollback(r.db);
        }
        if (!after_lost_connection(&r, attempt)) break;
        log_info("request %s: database connection lost before anything was sent: running it again",
                 r.request_id);
        metrics_request_retry();
        if (r.stream.read && r.stream.free_fn) r.stream.free_fn(r.stream.cls);
        if (r.upload && r.upload->file) rewind(r.upload->file);
    }
    /* Before the answer leaves: the session's next request sees what this one wrote. */
    if (r.signed_in && r.db && db_unit_sent_writes(r.db)) session_wrote(r.who.session_id);
    if (arena_exhausted(r.arena)) {
        log_error("request %s went past its memory budget (%zu MB)%s", r.request_id,
                  arena_budget(r.arena) >> 20,
                  r.committed ? " after its commit: answer kept" : ": answered 413");
        if (!r.committed) reply_over_budget(&r); /* whatever the handler built is dropped */
    }
    arena_set_current(NULL);

    /* The body stays in the arena until on_completed, after libmicrohttpd has sent it: no copy. */
    struct MHD_Response *resp =
        r.stream.read
            ? stream_response(&r)
            : MHD_create_response_from_buffer(r.resp_len, (void *)r.resp, MHD_RESPMEM_PERSISTENT);
    if (!resp) return MHD_NO;
    if (r.content_type) MHD_add_response_header(resp, "Content-Type", r.content_type);
    MHD_add_response_header(resp, "X-Request-Id", r.request_id);
    add_security_headers(resp, api || r.route != NULL);
    for (int i = 0; i < r.n_headers; i++)
        MHD_add_response_header(resp, r.headers[i].name, r.headers[i].value);
    enum MHD_Result ret = MHD_queue_response(conn, (unsigned)r.status, resp);
    MHD_destroy_response(resp);
    double secs = now_mono() - cx->start;
    metrics_request(r.route ? r.route_index : -1, r.status, secs);
    access_log(&r, secs * 1000.0);
    return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls) {
    (void)cls;
    (void)version;
    struct conn_ctx *cx = *con_cls;
    if (!cx) {
        cx = calloc(1, sizeof(*cx));
        if (!cx) return MHD_NO;
        cx->arena = arena_new(16384);
        arena_set_budget(cx->arena, request_budget());
        cx->start = now_mono();
        cx->limit = REQUEST_BODY_MAX;
        *con_cls = cx;
        atomic_fetch_add(&in_flight, 1);
        deadline_body(conn, 0); /* the headers are in: the body's clock starts */
        const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
        unsigned long long clen = cl ? strtoull(cl, NULL, 10) : 0;
        if (upload_begin(conn, cx, url, method)) {
            if (!cx->discard && clen > (unsigned long long)cx->upload_limit + UPLOAD_OVERHEAD)
                cx->too_large = 1;
        } else if (clen > cx->limit) {
            cx->too_large = 1;
        }
        return MHD_YES;
    }
    if (*upload_size) deadline_body(conn, *upload_size);
    if (*upload_size && cx->up) {
        if (cx->pp && !cx->too_large && !cx->up->failed &&
            MHD_post_process(cx->pp, upload, *upload_size) != MHD_YES && !cx->too_large)
            cx->up->failed = 1;
        *upload_size = 0; /* streamed, or drained unread */
        return MHD_YES;
    }
    if (*upload_size) {
        if (!cx->too_large) {
            if (cx->len + *upload_size > cx->limit) {
                cx->too_large = 1;
            } else {
                if (cx->len + *upload_size + 1 > cx->cap) {
                    size_t cap = cx->cap ? cx->cap * 2 : 4096;
                    while (cap < cx->len + *upload_size + 1)
                        cap *= 2;
                    char *nb = realloc(cx->body, cap);
                    if (!nb) return MHD_NO;
                    cx->body = nb;
                    cx->cap = cap;
                }
                memcpy(cx->body + cx->len, upload, *upload_size);
                cx->len += *upload_size;
                cx->body[cx->len] = 0;
            }
        }
        *upload_size = 0; /* consumed (or discarded when too large) */
        return MHD_YES;
    }
    deadline_answering(conn);
    if (cx->pp) upload_finish(cx);
    return respond(conn, cx, url, method);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe) {
    (void)cls;
    (void)toe;
    deadline_next(conn);
    struct conn_ctx *cx = *con_cls;
    if (!cx) return;
    if (cx->pp) MHD_destroy_post_processor(cx->pp);
    arena_free(cx->arena);
    free(cx->body);
    free(cx);
    *con_cls = NULL;
    atomic_fetch_sub(&in_flight, 1);
}

static size_t on_unescape(void *cls, struct MHD_Connection *conn, char *s) {
    (void)cls;
    (void)conn;
    return url_unescape(s);
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap) {
    (void)cls;
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    size_t n = strlen(msg);
    while (n && msg[n - 1] == '\n')
        msg[--n] = 0;
    log_error("httpd: %s", msg);
}

static int parse_listen(const char *listen, struct sockaddr_storage *ss, socklen_t *len) {
    char host[128];
    const char *colon = strrchr(listen, ':');
    if (!colon || colon - listen >= (long)sizeof host) return -1;
    memcpy(host, listen, (size_t)(colon - listen));
    host[colon - listen] = 0;
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (*end || port < 0 || port > 65535) return -1;
    memset(ss, 0, sizeof(*ss));
    if (host[0] == '[') {
        size_t n = strlen(host);
        if (n < 3 || host[n - 1] != ']') return -1;
        host[n - 1] = 0;
        struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
        s6->sin6_family = AF_INET6;
        s6->sin6_port = htons((uint16_t)port);
        if (inet_pton(AF_INET6, host + 1, &s6->sin6_addr) != 1) return -1;
        *len = sizeof(*s6);
        return 0;
    }
    struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
    s4->sin_family = AF_INET;
    s4->sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, host[0] ? host : "0.0.0.0", &s4->sin_addr) != 1) return -1;
    *len = sizeof(*s4);
    return 0;
}

int server_run(const struct server_config *cfg) {
    char err[256];
    if (router_check(err, sizeof err) != 0) {
        fprintf(stderr, "fazhi: %s\n", err);
        return 1;
    }
    server_db_url = cfg->db_url;
    trust_proxy = cfg->trust_proxy;
    struct db *probe = thread_db();
    if (!probe) return 1;
    int version = db_schema_version(probe);
    if (version < 1) {
        fprintf(stderr, "fazhi: the database has no schema; run `fazhi init` or `fazhi demo`\n");
        return 1;
    }
    /* Planner statistics: a database never analyzed is, once (bounded: milliseconds). */
    if (db_optimize(probe, DB_OPTIMIZE_START) != DB_OK)
        log_error("cannot gather planner statistics: %s", db_errmsg(probe));
    /* Signed-in principals come from memory while nothing they are made of changed. */
    session_cache_start(SESSION_CACHE_ENTRIES);
    if (dv_compact(probe) != DB_OK)
        log_error("data versions: cannot fold the counters of gone connections: %s",
                  db_errmsg(probe));
    /* Read at start-up (a change applies at the next start). Behind --trust-proxy every
     * connection comes from the proxy: limiting per client is then the proxy's job. */
    unsigned per_ip =
        trust_proxy ? 0u : (unsigned)setting_int(probe, "http.max_connections_per_ip");
    unsigned receive_seconds = (unsigned)setting_int(probe, "http.receive_seconds");
    struct sockaddr_storage ss;
    socklen_t sl;
    if (parse_listen(cfg->listen, &ss, &sl) != 0) {
        fprintf(stderr, "fazhi: --listen must be ADDR:PORT, got %s\n", cfg->listen);
        return 2;
    }
    /* Signals are taken by sigwait below; worker threads inherit the blocked mask. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    if (deadline_start(receive_seconds, (unsigned)cfg->timeout_seconds) != 0) return 1;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC | MHD_USE_TURBO |
                     MHD_USE_ERROR_LOG;
    if (ss.ss_family == AF_INET6) flags |= MHD_USE_IPv6;
    struct MHD_Daemon *d = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, NULL, MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned)cfg->threads, MHD_OPTION_CONNECTION_LIMIT, (unsigned)cfg->max_connections,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)cfg->timeout_seconds,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024), MHD_OPTION_NOTIFY_COMPLETED,
        on_completed, NULL, MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u, MHD_OPTION_UNESCAPE_CALLBACK,
        on_unescape, NULL, MHD_OPTION_NOTIFY_CONNECTION, deadline_notify, NULL,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, per_ip, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "fazhi: cannot listen on %s: %s\n", cfg->listen, strerror(errno));
        deadline_stop();
        return 1;
    }
    log_info("connections: %u per address%s, requests received within %u s", per_ip,
             trust_proxy ? " (not applied: --trust-proxy)"
             : per_ip    ? ""
                         : " (no limit)",
             receive_seconds);
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    log_info("fazhi serving on %s (port %u, %d threads, schema %d)", cfg->listen, di ? di->port : 0,
             cfg->threads, version);
    if (cfg->on_listening) cfg->on_listening();
    int sig = 0;
    sigwait(&set, &sig);
    log_info("signal %d: finishing requests in flight", sig);
    MHD_quiesce_daemon(d); /* stop accepting; connections already open finish */
    double until = now_mono() + 30.0;
    while (atomic_load(&in_flight) > 0 && now_mono() < until)
        usleep(10000);
    MHD_stop_daemon(d);
    deadline_stop();
    log_info("stopped");
    return 0;
}

/* Session cookie, Secure when the request came over TLS. */
void reply_session_cookie(struct req *r, const char *token) {
    const char *secure = r->tls ? "; Secure" : "";
    if (token)
        reply_header(r, "Set-Cookie",
                     arena_printf(r->arena, "fazhi_session=%s; Path=/; HttpOnly; SameSite=Strict%s",
                                  token, secure));
    else
        reply_header(r, "Set-Cookie",
                     arena_printf(r->arena,
                                  "fazhi_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0%s",
                                  secure));
}
