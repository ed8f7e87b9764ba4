/* reply.c — error table, replies, input helpers and transaction helpers for handlers. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/json.h"
#include "base/num.h"
#include "base/log.h"
#include "base/utf8.h"
#include "http/http.h"
#include "http/metrics.h"

struct err_def {
    const char *code; /* stable machine code */
    int status;       /* HTTP status */
    const char *zh, *en;
};

static const struct err_def errs[ERR_COUNT] = {
    [ERR_INVALID] = {"invalid", 400, "提交的内容有误，请检查标出的字段", "Some fields are invalid"},
    [ERR_BAD_JSON] = {"bad_json", 400, "请求内容不是有效的 JSON",
                      "The request body is not valid JSON"},
    [ERR_UNAUTHENTICATED] = {"unauthenticated", 401, "未登录或登录已过期，请重新登录",
                             "Not signed in, or the session has expired"},
    [ERR_INVALID_CREDENTIALS] = {"invalid_credentials", 401, "用户名或密码错误",
                                 "Wrong user name or password"},
    [ERR_CSRF] = {"csrf_failed", 403, "安全校验失败，请刷新页面后重试",
                  "Security check failed; reload the page and try again"},
    [ERR_FORBIDDEN] = {"forbidden", 403, "没有执行此操作的权限", "You are not allowed to do this"},
    [ERR_PASSWORD_CHANGE_REQUIRED] = {"password_change_required", 403, "请先修改初始密码",
                                      "Change your initial password first"},
    [ERR_NOT_FOUND] = {"not_found", 404, "记录不存在或无权查看",
                       "Not found, or not visible to you"},
    [ERR_METHOD_NOT_ALLOWED] = {"method_not_allowed", 405, "不支持该请求方法",
                                "Method not allowed"},
    [ERR_STALE_VERSION] = {"stale_version", 409, "数据已被他人修改，请刷新后重试",
                           "Someone else changed this record; reload and try again"},
    [ERR_CONFLICT] = {"conflict", 409, "与已有数据冲突（编码或名称重复）",
                      "Conflicts with existing data (duplicate code or name)"},
    [ERR_IN_USE] = {"in_use", 409, "该记录已被引用，不能删除，请改为停用",
                    "This record is in use and cannot be deleted; deactivate it instead"},
    [ERR_TOO_LARGE] = {"too_large", 413, "提交的内容过大", "The request is too large"},
    [ERR_UNSUPPORTED_MEDIA_TYPE] = {"unsupported_media_type", 415,
                                    "不支持的内容类型，请使用 application/json",
                                    "Unsupported content type; send application/json"},
    [ERR_TOO_MANY_ATTEMPTS] = {"too_many_attempts", 429, "登录失败次数过多，账号已暂时锁定",
                               "Too many failed attempts; the account is locked for a while"},
    [ERR_INTERNAL] = {"internal", 500, "服务器内部错误，请稍后重试",
                      "Internal error; please try again later"},
    [ERR_UNAVAILABLE] = {"unavailable", 503, "服务暂不可用，请稍后重试",
                         "Service unavailable; please try again shortly"},
    [ERR_OUTCOME_UNKNOWN] =
        {"outcome_unknown", 503,
         "与数据库的连接中断，无法确认刚才的操作是否已保存；请刷新查看后再决定是否重做",
         "The database connection was lost and it is not known whether your "
         "change was saved; reload and check before doing it again"},
    [ERR_CAPTCHA_REQUIRED] = {"captcha_required", 400, "登录失败次数较多，请输入验证码",
                              "After several failed sign-ins, enter the code shown"},
    [ERR_CAPTCHA_WRONG] = {"captcha_wrong", 400, "验证码错误或已过期，请输入新的验证码",
                           "The code is wrong or has expired; enter the new one"},
    [ERR_IMPORT_DUPLICATES] = {"import_duplicates", 409,
                               "导入的行与已有记录或表内其他行疑似重复，请选择跳过或仍然导入",
                               "Some rows look like duplicates of existing records or of other "
                               "rows; choose to skip them or to import them anyway"},
    [ERR_CONSULTATION_CLOSED] = {"consultation_closed", 409, "征求意见期限已届满，不再接受意见",
                                 "The comment period has ended; no more comments are taken"},
    [ERR_CHALLENGE_FAILED] = {"challenge_failed", 400, "验证未通过，请回答新的验证问题后重新提交",
                              "The check failed; answer the new question and send again"},
    [ERR_RATE_LIMITED] = {"rate_limited", 429, "提交过于频繁，请稍后再试",
                          "Too many submissions from your address; try again later"},
};

const char *tr(const struct req *r, const char *zh, const char *en) {
    return r->lang ? en : zh;
}

char *json_text(struct arena *a, json_t *j) {
    char *out = json_text_arena(a, j, NULL); /* what json_dumps writes, faster (base/json.h) */
    return out ? out : arena_strdup(a, "null");
}

static void stream_drop(struct req *r) {
    if (r->stream.read && r->stream.free_fn) r->stream.free_fn(r->stream.cls);
    memset(&r->stream, 0, sizeof r->stream);
}

void reply_raw(struct req *r, int status, const char *ctype, const char *data, size_t n) {
    stream_drop(r); /* a later answer replaces a streamed one */
    r->status = status;
    r->content_type = ctype;
    r->resp = data;
    r->resp_len = n;
    r->replied = 1;
}

void reply_json(struct req *r, int status, json_t *body) {
    size_t n = 0;
    char *s = json_text_arena(r->arena, body, &n);
    json_decref(body);
    if (!s) s = arena_strdup(r->arena, "null"), n = 4;
    reply_raw(r, status, "application/json; charset=utf-8", s, n);
}

void reply_stream(struct req *r, int status, const char *ctype, uint64_t size, size_t block,
                  reply_read_fn read, void (*free_fn)(void *), void *cls) {
    reply_raw(r, status, ctype, "", 0);
    r->resp_len = (size_t)size; /* for the access log */
    r->stream = (struct reply_stream){read, free_fn, cls, size, block};
}

struct fd_stream {
    int fd;
};

static int64_t fd_read(void *cls, struct db *db, uint64_t offset, char *buf, size_t n) {
    (void)db;
    ssize_t got = pread(((struct fd_stream *)cls)->fd, buf, n, (off_t)offset);
    return got > 0 ? got : -1;
}

static void fd_free(void *cls) {
    close(((struct fd_stream *)cls)->fd);
    free(cls);
}

void reply_fd(struct req *r, int status, const char *ctype, int fd, uint64_t size) {
    struct fd_stream *s = malloc(sizeof(*s));
    if (!s) {
        close(fd);
        reply_error(r, ERR_INTERNAL, NULL);
        return;
    }
    s->fd = fd;
    reply_stream(r, status, ctype, size, 0, fd_read, fd_free, s);
}

void reply_header(struct req *r, const char *name, const char *value) {
    if (r->n_headers < (int)(sizeof r->headers / sizeof r->headers[0]))
        r->headers[r->n_headers++] = (struct http_header){name, value};
}

static void reply_error_text(struct req *r, enum err code, const char *message, json_t *fields) {
    const struct err_def *d = &errs[code];
    json_t *e = json_pack("{s:s,s:s}", "code", d->code, "message", message);
    json_object_set_new(e, "fields", fields ? fields : json_object());
    reply_json(r, d->status, json_pack("{s:o}", "error", e));
    if (d->status == 503) reply_header(r, "Retry-After", RETRY_AFTER_SECONDS);
}

json_t *error_json(const struct req *r, enum err code, const char *zh, const char *en) {
    const struct err_def *d = &errs[code];
    return json_pack("{s:s,s:s}", "code", d->code, "message",
                     zh ? tr(r, zh, en ? en : zh) : tr(r, d->zh, d->en));
}

void reply_error(struct req *r, enum err code, json_t *fields) {
    reply_error_text(r, code, tr(r, errs[code].zh, errs[code].en), fields);
}

void reply_error_msg(struct req *r, enum err code, const char *zh, const char *en) {
    reply_error_text(r, code, tr(r, zh, en), NULL);
}

void reply_error_with(struct req *r, enum err code, const char *zh, const char *en,
                      json_t *fields) {
    reply_error_text(r, code, tr(r, zh, en), fields);
}

void reply_field_error(struct req *r, enum err code, const char *field, const char *zh,
                       const char *en) {
    json_t *f = json_object();
    json_object_set_new(f, field, json_string(tr(r, zh, en)));
    reply_error(r, code, f);
}

void reply_ok(struct req *r) {
    reply_json(r, 200, json_pack("{s:b}", "ok", 1));
}

void reply_over_budget(struct req *r) {
    size_t mb = arena_budget(r->arena) >> 20;
    char zh[200], en[200];
    snprintf(zh, sizeof zh,
             "处理该请求所需内存超过单个请求的上限（%zu MB），未作任何修改；请分批提交或缩小范围",
             mb);
    snprintf(en, sizeof en,
             "The request needs more than the %zu MB of memory one request may use; nothing was "
             "changed. Send less at a time, or narrow it down",
             mb);
    r->n_headers = 0;
    reply_error_msg(r, ERR_TOO_LARGE, zh, en);
}

/* ---- inputs ---- */

static int json_depth_ok(json_t *j, int depth) {
    if (depth > JSON_MAX_DEPTH) return 0;
    if (json_is_object(j)) {
        const char *k;
        json_t *v;
        json_object_foreach(j, k, v) if (!json_depth_ok(v, depth + 1)) return 0;
    } else if (json_is_array(j)) {
        size_t i;
        json_t *v;
        json_array_foreach(j, i, v) if (!json_depth_ok(v, depth + 1)) return 0;
    }
    return 1;
}

static void arena_json_decref(void *p) {
    json_decref(p);
}

int req_json_or_reply(struct req *r, json_t **out) {
    const char *ct = req_header(r, "Content-Type");
    if (!ct || strncasecmp(ct, "application/json", 16) != 0) {
        reply_error(r, ERR_UNSUPPORTED_MEDIA_TYPE, NULL);
        return -1;
    }
    json_error_t e;
    /* Parsing is where a small body can become a lot of memory: past the budget jansson gets
     * NULL from its allocator, unwinds, and the answer is 413. */
    int was = arena_refuse_over_budget(r->arena, 1);
    json_t *j = r->body ? json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &e) : NULL;
    arena_refuse_over_budget(r->arena, was);
    if (!j) {
        if (arena_exhausted(r->arena))
            reply_over_budget(r);
        else
            reply_error(r, ERR_BAD_JSON, NULL);
        return -1;
    }
    arena_on_free(r->arena, arena_json_decref, j);
    if (!json_is_object(j)) {
        reply_error_msg(r, ERR_INVALID, "请求内容必须是 JSON 对象",
                        "The body must be a JSON object");
        return -1;
    }
    if (!json_depth_ok(j, 0)) {
        reply_error_msg(r, ERR_BAD_JSON, "JSON 嵌套层级过深", "JSON nesting is too deep");
        return -1;
    }
    *out = j;
    return 0;
}

int req_id_or_reply(struct req *r, int param, int64_t *out) {
    int64_t v;
    if (num_parse(r->params[param], &v) != 0 || v < 1) {
        reply_error(r, ERR_NOT_FOUND, NULL);
        return -1;
    }
    *out = v;
    return 0;
}

static int bad_query(struct req *r, const char *name, const char *zh, const char *en) {
    reply_field_error(r, ERR_INVALID, name, zh, en);
    return -1;
}

int req_query_int_or_reply(struct req *r, const char *name, int64_t min, int64_t max, int64_t *out,
                           int *present) {
    const char *s = req_query(r, name);
    if (present) *present = 0;
    if (!s || !*s) return 0;
    int64_t v;
    if (num_parse(s, &v) != 0)
        return bad_query(r, name, "参数须为十进制整数（不含空格、正号或前导零）",
                         "Must be a decimal integer (no spaces, plus sign or leading zeros)");
    if (v < min || v > max) return bad_query(r, name, "参数超出范围", "Out of range");
    *out = v;
    if (present) *present = 1;
    return 0;
}

int req_query_text_or_reply(struct req *r, const char *name, size_t max_chars, const char **out) {
    const char *s = req_query(r, name);
    *out = NULL;
    if (!s || !*s) return 0;
    int n = utf8_text_chars(s);
    if (n < 0 || (size_t)n > max_chars)
        return bad_query(r, name, "参数过长或包含非法字符",
                         "Too long or contains invalid characters");
    *out = s;
    return 0;
}

int req_query_bool_or_reply(struct req *r, const char *name, int *out, int *present) {
    const char *s = req_query(r, name);
    *present = 0;
    if (!s || !*s) return 0;
    if (!strcmp(s, "1") || !strcmp(s, "true"))
        *out = 1;
    else if (!strcmp(s, "0") || !strcmp(s, "false"))
        *out = 0;
    else
        return bad_query(r, name, "参数须为 true 或 false", "Must be true or false");
    *present = 1;
    return 0;
}

int req_page_or_reply(struct req *r, struct page *p) {
    p->page = 1;
    p->per_page = 20;
    if (req_query_int_or_reply(r, "page", 1, 1000000, &p->page, NULL)) return -1;
    if (req_query_int_or_reply(r, "per_page", 1, 200, &p->per_page, NULL)) return -1;
    p->offset = (p->page - 1) * p->per_page;
    return 0;
}

int req_sort_or_reply(struct req *r, const struct sort_key *keys, const char *def,
                      const char **order_by) {
    const char *s = req_query(r, "sort");
    if (!s || !*s) s = def;
    int desc = s[0] == '-';
    const char *name = desc ? s + 1 : s;
    for (const struct sort_key *k = keys; k->name; k++) {
        if (strcmp(k->name, name) == 0) {
            *order_by = arena_printf(r->arena, "%s %s", k->sql, desc ? "DESC" : "ASC");
            return 0;
        }
    }
    return bad_query(r, "sort", "不支持按该字段排序", "Cannot sort by this field");
}

/* ---- body fields ---- */

void form_init(struct form *f, struct req *r, json_t *body) {
    f->r = r;
    f->body = body;
    f->errors = json_object();
    arena_on_free(r->arena, arena_json_decref, f->errors);
}

int form_has(struct form *f, const char *key) {
    json_t *v = json_object_get(f->body, key);
    return v && !json_is_null(v);
}

void form_error(struct form *f, const char *key, const char *zh, const char *en) {
    if (!json_object_get(f->errors, key))
        json_object_set_new(f->errors, key, json_string(tr(f->r, zh, en)));
}

const char *form_text(struct form *f, const char *key, int required, size_t min_chars,
                      size_t max_chars) {
    json_t *v = json_object_get(f->body, key);
    if (!v || json_is_null(v)) {
        if (required) form_error(f, key, "必填", "Required");
        return required ? NULL : "";
    }
    if (!json_is_string(v)) {
        form_error(f, key, "须为文本", "Must be text");
        return NULL;
    }
    size_t len;
    const char *s = text_trim(json_string_value(v), &len);
    char *t = arena_strndup(f->r->arena, s, len);
    if (memchr(json_string_value(v), 0, json_string_length(v))) {
        form_error(f, key, "包含非法字符", "Contains invalid characters");
        return NULL;
    }
    int n = utf8_text_chars(t);
    if (n < 0) {
        form_error(f, key, "包含非法字符", "Contains invalid characters");
        return NULL;
    }
    if (n == 0 && required) {
        form_error(f, key, "必填", "Required");
        return NULL;
    }
    if ((size_t)n > max_chars || (n > 0 && (size_t)n < min_chars)) {
        char zh[80], en[80];
        snprintf(zh, sizeof zh, "长度须为 %zu–%zu 个字符", min_chars, max_chars);
        snprintf(en, sizeof en, "Must be %zu–%zu characters", min_chars, max_chars);
        form_error(f, key, zh, en);
        return NULL;
    }
    return t;
}

int64_t form_int(struct form *f, const char *key, int required, int64_t min, int64_t max,
                 int64_t def) {
    json_t *v = json_object_get(f->body, key);
    if (!v || json_is_null(v)) {
        if (required) form_error(f, key, "必填", "Required");
        return def;
    }
    if (!json_is_integer(v)) {
        form_error(f, key, "须为整数", "Must be an integer");
        return def;
    }
    json_int_t x = json_integer_value(v);
    if (x < min || x > max) {
        char zh[80], en[80];
        snprintf(zh, sizeof zh, "须在 %lld 到 %lld 之间", (long long)min, (long long)max);
        snprintf(en, sizeof en, "Must be between %lld and %lld", (long long)min, (long long)max);
        form_error(f, key, zh, en);
        return def;
    }
    return x;
}

int form_bool(struct form *f, const char *key, int def) {
    json_t *v = json_object_get(f->body, key);
    if (!v || json_is_null(v)) return def;
    if (!json_is_boolean(v)) {
        form_error(f, key, "须为 true 或 false", "Must be true or false");
        return def;
    }
    return json_is_true(v);
}

int64_t form_version(struct form *f) {
    return form_int(f, "version", 1, 1, INT64_MAX / 2, 0);
}

int form_ok_or_reply(struct form *f) {
    if (json_object_size(f->errors) == 0) return 0;
    reply_error(f->r, ERR_INVALID, json_incref(f->errors));
    return -1;
}

/* ---- transactions ---- */

void reply_db_error(struct req *r, int rc) {
    int lost = rc == DB_UNAVAILABLE || (r->db && db_lost(r->db));
    if (rc != DB_CONSTRAINT && !lost) metrics_db_error();
    reply_error(r,
                rc == DB_CONSTRAINT     ? ERR_CONFLICT
                : rc == DB_BUSY || lost ? ERR_UNAVAILABLE
                                        : ERR_INTERNAL,
                NULL);
}

int tx_begin_or_reply(struct req *r) {
    int rc = db_begin(r->db);
    if (rc == DB_OK) return 0;
    log_error("begin failed: %s", db_errmsg(r->db));
    reply_db_error(r, rc);
    return -1;
}

/* A COMMIT cut off by a lost connection may or may not have been applied: server.c answers that
 * request 503 outcome_unknown (it is never run again). */
int tx_commit_or_reply(struct req *r) {
    if (arena_exhausted(r->arena)) { /* past the memory budget: the request changes nothing */
        db_rollback(r->db);
        reply_over_budget(r);
        return -1;
    }
    int rc = db_commit(r->db);
    if (rc == DB_OK) {
        r->committed = 1;
        return 0;
    }
    log_error("commit failed: %s", db_errmsg(r->db));
    reply_db_error(r, rc == DB_CONSTRAINT ? DB_ERROR : rc);
    return -1;
}

int audit_or_reply(struct req *r, const char *action, const char *object_type, int64_t object_id,
                   json_t *detail) {
    char id[24] = "";
    if (object_id) snprintf(id, sizeof id, "%lld", (long long)object_id);
    return audit_key_or_reply(r, action, object_type, id, detail);
}

int audit_key_or_reply(struct req *r, const char *action, const char *object_type,
                       const char *object_key, json_t *detail) {
    const char *d = detail ? json_text(r->arena, detail) : "";
    if (detail) json_decref(detail);
    int rc = audit_append(r->db, &r->actor, action, object_type, object_key, "ok", d);
    if (rc == DB_OK) return 0;
    log_error("audit append failed: %s", db_errmsg(r->db));
    db_rollback(r->db);
    reply_db_error(r, rc == DB_CONSTRAINT ? DB_ERROR : rc);
    return -1;
}

int db_fail_reply(struct req *r, int rc) {
    if (arena_exhausted(r->arena)) { /* the failure is the budget's (base/arena.h) */
        db_rollback(r->db);
        reply_over_budget(r);
        return -1;
    }
    if (rc != DB_CONSTRAINT) {
        log_error("database error: %s", db_errmsg(r->db));
        metrics_db_error();
    }
    db_rollback(r->db);
    reply_db_error(r, rc);
    return -1;
}

void reply_stale_or_missing(struct req *r, const char *table, int64_t id) {
    int rc = db_row_exists(r->db, table, id);
    if (rc < 0) {
        db_fail_reply(r, rc);
        return;
    }
    db_rollback(r->db);
    reply_error(r, rc ? ERR_STALE_VERSION : ERR_NOT_FOUND, NULL);
}

int version_bump_or_reply(struct req *r, const char *table, int64_t id, int64_t version) {
    int exists = 0;
    int rc = db_claim_version(r->db, table, id, version, &exists);
    if (rc == DB_OK) return 0;
    if (rc < 0) return db_fail_reply(r, rc);
    db_rollback(r->db);
    reply_error(r, exists ? ERR_STALE_VERSION : ERR_NOT_FOUND, NULL);
    return -1;
}
