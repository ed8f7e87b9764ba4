/* auditlog_http.c — the audit log for 审计管理员: query, CSV export, chain verification.
 * Looking at the log is itself logged. */
#include <string.h>

#include "audit/audit.h"
#include "base/buf.h"
#include "base/log.h"
#include "base/timeutil.h"
#include "features/auditlog/auditlog_http.h"
#include "http/http.h"

#define AUDIT_COLUMNS                                                                              \
    "seq, ts, actor, actor_id, role, unit_id, ip, request_id, action, object_type, object_id, "    \
    "result, detail"
#define EXPORT_MAX 100000 /* rows in one CSV export */

struct audit_filter {
    const char *from, *to, *actor, *action, *object_type, *object_id, *result;
};

static int filter_or_reply(struct req *r, struct audit_filter *f) {
    if (req_query_text_or_reply(r, "from", 20, &f->from) ||
        req_query_text_or_reply(r, "to", 20, &f->to) ||
        req_query_text_or_reply(r, "actor", 64, &f->actor) ||
        req_query_text_or_reply(r, "action", 64, &f->action) ||
        req_query_text_or_reply(r, "object_type", 32, &f->object_type) ||
        req_query_text_or_reply(r, "object_id", 64, &f->object_id) ||
        req_query_text_or_reply(r, "result", 10, &f->result))
        return -1;
    const char *bad = f->from && !iso_valid(f->from) ? "from"
                      : f->to && !iso_valid(f->to)   ? "to"
                      : f->result && strcmp(f->result, "ok") && strcmp(f->result, "denied") &&
                              strcmp(f->result, "failed")
                          ? "result"
                          : NULL;
    if (bad) {
        json_t *fe = json_object();
        json_object_set_new(
            fe, bad,
            json_string(
                !strcmp(bad, "result")
                    ? tr(r, "结果须为 ok、denied 或 failed", "Result is ok, denied or failed")
                    : tr(r, "日期格式应为 YYYY-MM-DD 或 YYYY-MM-DDTHH:MM:SSZ",
                         "Dates are YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ")));
        reply_error(r, ERR_INVALID, fe);
        return -1;
    }
    return 0;
}

static void filter_apply(struct req *r, struct query *q, const struct audit_filter *f) {
    if (f->from) query_add(q, " AND ts >= ?", "s", f->from);
    /* A bare date as the upper bound includes that whole day. */
    if (f->to)
        query_add(q, " AND ts < ?", "s",
                  strlen(f->to) == 10 ? arena_printf(r->arena, "%sT99", f->to) : f->to);
    if (f->actor) query_add(q, " AND actor = ?", "s", f->actor);
    if (f->action) {
        /* "user" matches user.create, user.update … ; "user.create" matches exactly. */
        if (strchr(f->action, '.'))
            query_add(q, " AND action = ?", "s", f->action);
        else
            query_add(q, " AND action LIKE ? ESCAPE '\\'", "s",
                      arena_printf(r->arena, "%s.%%", query_like_escape(r->arena, f->action)));
    }
    if (f->object_type) query_add(q, " AND object_type = ?", "s", f->object_type);
    if (f->object_id) query_add(q, " AND object_id = ?", "s", f->object_id);
    if (f->result) query_add(q, " AND result = ?", "s", f->result);
}

static json_t *filter_json(const struct audit_filter *f) {
    json_t *o = json_object();
    const char *k[] = {"from", "to", "actor", "action", "object_type", "object_id", "result"};
    const char *v[] = {f->from,        f->to,        f->actor, f->action,
                       f->object_type, f->object_id, f->result};
    for (int i = 0; i < 7; i++)
        if (v[i]) json_object_set_new(o, k[i], json_string(v[i]));
    return o;
}

/* Record that someone looked (in its own transaction, before answering). */
static int audit_access_or_reply(struct req *r, const char *action, json_t *detail) {
    if (tx_begin_or_reply(r)) {
        json_decref(detail);
        return -1;
    }
    if (audit_or_reply(r, action, "audit", 0, detail)) return -1;
    return tx_commit_or_reply(r);
}

void audit_list(struct req *r) {
    struct page pg;
    struct audit_filter f = {0};
    if (req_page_or_reply(r, &pg) || filter_or_reply(r, &f)) return;
    if (audit_access_or_reply(r, "audit.query", filter_json(&f))) return;
    struct query cnt, rows;
    query_init(&cnt, r->arena, "SELECT COUNT(*) FROM audit_log WHERE 1 = 1");
    query_init(&rows, r->arena, "SELECT " AUDIT_COLUMNS " FROM audit_log WHERE 1 = 1");
    filter_apply(r, &cnt, &f);
    filter_apply(r, &rows, &f);
    query_add(&rows, " ORDER BY seq DESC LIMIT ? OFFSET ?", "ii", pg.per_page, pg.offset);
    int rc;
    json_t *out = query_list_json(r, &cnt, &rows, &rc);
    if (!out) {
        db_fail_reply(r, rc);
        return;
    }
    reply_json(r, 200, out);
}

void audit_export_csv(struct req *r) {
    struct audit_filter f = {0};
    if (filter_or_reply(r, &f)) return;
    if (audit_access_or_reply(r, "audit.export", filter_json(&f))) return;
    struct query q;
    query_init(&q, r->arena, "SELECT " AUDIT_COLUMNS " FROM audit_log WHERE 1 = 1");
    filter_apply(r, &q, &f);
    query_add(&q, " ORDER BY seq DESC LIMIT ?", "i", (int64_t)EXPORT_MAX);
    struct db_stmt *st = query_prepare(r->db, &q);
    if (!st) {
        db_fail_reply(r, DB_ERROR);
        return;
    }
    struct buf b;
    buf_init(&b, r->arena, 65536);
    buf_puts(&b, "\xEF\xBB\xBF"); /* BOM: Excel then reads UTF-8 Chinese correctly */
    buf_puts(
        &b,
        "序号,时间,操作人,操作人ID,角色,单位ID,IP地址,请求ID,操作,对象类型,对象ID,结果,详情\r\n");
    int rc, n = db_col_count(st);
    while ((rc = db_step(st)) == DB_ROW) {
        for (int i = 0; i < n; i++) {
            if (i) buf_add(&b, ",", 1);
            buf_csv_field(&b, db_col_text(st, i));
        }
        buf_puts(&b, "\r\n");
    }
    db_done(st);
    if (rc != DB_DONE) {
        db_fail_reply(r, rc);
        return;
    }
    char ts[21];
    now_iso(ts);
    ts[10] = 0;
    reply_header(
        r, "Content-Disposition",
        arena_printf(r->arena,
                     "attachment; filename=\"audit-%s.csv\"; "
                     "filename*=UTF-8''%%E5%%AE%%A1%%E8%%AE%%A1%%E6%%97%%A5%%E5%%BF%%97-%s.csv",
                     ts, ts));
    reply_raw(r, 200, "text/csv; charset=utf-8", b.data, b.len);
}

void audit_verify_route(struct req *r) {
    struct audit_verify_result v;
    int rc = audit_verify(r->db, &v);
    if (rc < 0) {
        db_fail_reply(r, rc);
        return;
    }
    json_t *detail = json_pack("{s:b,s:I,s:I}", "ok", v.ok, "records", (json_int_t)v.records,
                               "first_bad_seq", (json_int_t)v.first_bad_seq);
    if (v.ok) {
        if (audit_access_or_reply(r, "audit.verify", detail)) return;
    } else {
        /* A broken log may refuse every append (its head row gone): the auditor is still told
         * what is wrong, and the server log says the access record could not be written. */
        const char *d = json_text(r->arena, detail);
        json_decref(detail);
        if (db_begin(r->db) != DB_OK ||
            audit_append(r->db, &r->actor, "audit.verify", "audit", "", "ok", d) != DB_OK ||
            db_commit(r->db) != DB_OK) {
            log_error("audit.verify on a broken log: its access record could not be written: %s",
                      db_errmsg(r->db));
            db_rollback(r->db);
        }
    }
    json_t *out = json_pack("{s:b,s:I,s:s}", "ok", v.ok, "records", (json_int_t)v.records,
                            "message", v.message);
    json_object_set_new(out, "first_bad_seq",
                        v.first_bad_seq ? json_integer(v.first_bad_seq) : json_null());
    reply_json(r, 200, out);
}
