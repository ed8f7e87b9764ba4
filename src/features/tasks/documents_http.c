/* documents_http.c — source documents (来源文件: 工作要点, 实施方案, 会议纪要 …) that tasks are
 * decomposed from. */
#include <string.h>

#include "base/calendar.h"
#include "base/timeutil.h"
#include "features/files/files.h"
#include "features/tasks/tasks.h"
#include "features/tasks/tasks_http.h"
#include "http/http.h"

static const char *const doc_kinds[] = {"work_points", "plan", "minutes", "notice", "other", NULL};

/* The document columns; task_count counts only the tasks the reader may see (their scope, no
 * drafts without task.manage): the same conditions as the task list. */
static void doc_select(struct req *r, struct query *q) {
    query_init(q, r->arena,
               "SELECT d.id, d.doc_no, d.title, d.issuer, d.issued_on, d.kind, d.summary, (");
    struct task_filter none = {0};
    task_query(r->db, q, &r->who, &none, TQ_COUNT);
    query_add(q,
              " AND t.document_id = d.id) AS task_count, d.created_at, d.updated_at, d.version "
              "FROM documents d WHERE 1 = 1",
              "");
}

static const struct sort_key doc_sorts[] = {{"issued_on", "d.issued_on"},
                                            {"title", "d.title"},
                                            {"updated_at", "d.updated_at"},
                                            {NULL, NULL}};

void documents_list(struct req *r) {
    struct page pg;
    const char *q, *kind, *order;
    int64_t year = 0;
    int has_year = 0;
    if (req_page_or_reply(r, &pg) || req_query_text_or_reply(r, "q", 50, &q) ||
        req_query_text_or_reply(r, "kind", 20, &kind) ||
        req_query_int_or_reply(r, "year", 1990, 2100, &year, &has_year) ||
        req_sort_or_reply(r, doc_sorts, "-issued_on", &order))
        return;
    struct query cnt, rows;
    query_init(&cnt, r->arena, "SELECT COUNT(*) FROM documents d WHERE 1 = 1");
    doc_select(r, &rows);
    struct query *both[] = {&cnt, &rows};
    for (int i = 0; i < 2; i++) {
        if (q) {
            char *like = query_contains(r->arena, q);
            query_add(both[i], " AND (d.title" QUERY_LIKE " OR d.doc_no" QUERY_LIKE ")", "ss", like,
                      like);
        }
        if (kind) query_add(both[i], " AND d.kind = ?", "s", kind);
        if (has_year)
            query_add(both[i], " AND d.issued_on >= ? AND d.issued_on <= ?", "ss",
                      arena_printf(r->arena, "%04lld-01-01", (long long)year),
                      arena_printf(r->arena, "%04lld-12-31", (long long)year));
    }
    query_add(&rows, arena_printf(r->arena, " ORDER BY %s, d.id LIMIT ? OFFSET ?", order), "ii",
              pg.per_page, pg.offset);
    int rc;
    json_t *out = query_list_json(r, &cnt, &rows, &rc);
    if (!out) {
        db_fail_reply(r, rc);
        return;
    }
    reply_json(r, 200, out);
}

static json_t *doc_or_reply(struct req *r, int64_t id) {
    struct query q;
    doc_select(r, &q);
    query_add(&q, " AND d.id = ?", "i", id);
    struct db_stmt *st = query_prepare(r->db, &q);
    int rc = st ? db_step(st) : DB_ERROR;
    json_t *d = rc == DB_ROW ? db_row_json(st) : NULL;
    db_done(st);
    if (rc < 0)
        db_fail_reply(r, rc);
    else if (!d)
        reply_error(r, ERR_NOT_FOUND, NULL);
    else {
        json_t *files = files_list_json(r->db, "document", id);
        json_object_set_new(d, "attachments", files ? files : json_array());
    }
    return d;
}

void documents_get(struct req *r) {
    int64_t id;
    if (req_id_or_reply(r, 0, &id)) return;
    json_t *d = doc_or_reply(r, id);
    if (d) reply_json(r, 200, d);
}

struct doc_input {
    const char *doc_no, *title, *issuer, *issued_on, *kind, *summary;
    int64_t files[20];
    int n_files;
};

static int doc_input_or_reply(struct req *r, json_t *body, struct doc_input *in, int64_t *version) {
    struct form f;
    form_init(&f, r, body);
    in->doc_no = form_text(&f, "doc_no", 0, 0, 60);
    in->title = form_text(&f, "title", 1, 1, 200);
    in->issuer = form_text(&f, "issuer", 0, 0, 100);
    in->issued_on = form_text(&f, "issued_on", 0, 0, 10);
    in->kind = form_text(&f, "kind", 1, 1, 20);
    in->summary = form_text(&f, "summary", 0, 0, 4000);
    int32_t d;
    if (in->issued_on && *in->issued_on && date_parse(in->issued_on, &d) != 0)
        form_error(&f, "issued_on", "日期格式应为 YYYY-MM-DD", "Use YYYY-MM-DD");
    int ok = 0;
    for (int i = 0; in->kind && doc_kinds[i]; i++)
        ok |= !strcmp(doc_kinds[i], in->kind);
    if (in->kind && !ok) form_error(&f, "kind", "文件类型无效", "Unknown document kind");
    in->n_files = 0;
    json_t *ids = json_object_get(body, "attachment_ids");
    if (ids && !json_is_null(ids)) {
        size_t i;
        json_t *x;
        if (!json_is_array(ids) || json_array_size(ids) > 20)
            form_error(&f, "attachment_ids", "须为附件编号列表（最多 20 个）",
                       "A list of at most 20 attachment ids");
        else
            json_array_foreach(ids, i, x) {
                if (!json_is_integer(x))
                    form_error(&f, "attachment_ids", "须为编号", "Must be ids");
                else
                    in->files[in->n_files++] = json_integer_value(x);
            }
    }
    if (version) *version = form_version(&f);
    return form_ok_or_reply(&f);
}

static int claim_or_reply(struct req *r, int64_t id, const struct doc_input *in) {
    if (!in->n_files) return 0;
    int rc = files_claim(r->db, r->who.user_id, in->files, in->n_files, "document", id);
    if (rc == DB_OK) return 0;
    if (rc == DB_ERROR) return db_fail_reply(r, rc);
    db_rollback(r->db);
    reply_field_error(r, ERR_INVALID, "attachment_ids", "附件无效或已被使用",
                      "An attachment is invalid or already used");
    return -1;
}

void documents_create(struct req *r) {
    json_t *body;
    struct doc_input in;
    if (req_json_or_reply(r, &body) || doc_input_or_reply(r, body, &in, NULL)) return;
    char now[21];
    now_iso(now);
    if (tx_begin_or_reply(r)) return;
    struct db_stmt *st =
        db_prepare(r->db, "INSERT INTO documents (doc_no, title, issuer, issued_on, "
                          "kind, summary, created_by, created_at, updated_at) "
                          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
    int rc = DB_ERROR;
    int64_t id = 0;
    if (st) {
        db_bind_text(st, 1, in.doc_no);
        db_bind_text(st, 2, in.title);
        db_bind_text(st, 3, in.issuer);
        db_bind_text(st, 4, *in.issued_on ? in.issued_on : NULL);
        db_bind_text(st, 5, in.kind);
        db_bind_text(st, 6, in.summary);
        db_bind_int(st, 7, r->who.user_id);
        db_bind_text(st, 8, now);
        db_bind_text(st, 9, now);
        rc = db_step(st);
        if (rc == DB_ROW) id = db_col_int(st, 0), rc = DB_OK;
        db_done(st);
    }
    if (rc != DB_OK) {
        db_fail_reply(r, rc);
        return;
    }
    if (claim_or_reply(r, id, &in)) return;
    if (audit_or_reply(r, "document.create", "document", id,
                       json_pack("{s:s,s:s}", "doc_no", in.doc_no, "title", in.title)))
        return;
    if (tx_commit_or_reply(r)) return;
    json_t *d = doc_or_reply(r, id);
    if (d) reply_json(r, 201, d);
}

void documents_update(struct req *r) {
    int64_t id, version;
    json_t *body;
    struct doc_input in;
    if (req_id_or_reply(r, 0, &id) || req_json_or_reply(r, &body)) return;
    json_t *cur = doc_or_reply(r, id);
    if (!cur) return;
    json_decref(cur);
    if (doc_input_or_reply(r, body, &in, &version)) return;
    if (tx_begin_or_reply(r)) return;
    if (version_bump_or_reply(r, "documents", id, version)) return;
    struct db_stmt *st =
        db_prepare(r->db, "UPDATE documents SET doc_no = ?, title = ?, issuer = ?, "
                          "issued_on = ?, kind = ?, summary = ? WHERE id = ?");
    int rc = DB_ERROR;
    if (st) {
        db_bind_text(st, 1, in.doc_no);
        db_bind_text(st, 2, in.title);
        db_bind_text(st, 3, in.issuer);
        db_bind_text(st, 4, *in.issued_on ? in.issued_on : NULL);
        db_bind_text(st, 5, in.kind);
        db_bind_text(st, 6, in.summary);
        db_bind_int(st, 7, id);
        rc = db_step(st) == DB_DONE ? DB_OK : DB_ERROR;
        db_done(st);
    }
    if (rc != DB_OK) {
        db_fail_reply(r, rc);
        return;
    }
    if (claim_or_reply(r, id, &in)) return;
    if (audit_or_reply(r, "document.update", "document", id, NULL)) return;
    if (tx_commit_or_reply(r)) return;
    json_t *d = doc_or_reply(r, id);
    if (d) reply_json(r, 200, d);
}

void documents_delete(struct req *r) {
    int64_t id, version = 0;
    int has = 0;
    if (req_id_or_reply(r, 0, &id) ||
        req_query_int_or_reply(r, "version", 1, INT64_MAX / 2, &version, &has))
        return;
    json_t *cur = doc_or_reply(r, id);
    if (!cur) return;
    json_decref(cur);
    /* Every task that names it, not only those the reader sees (task_count). */
    int64_t tasks = 0;
    int rc =
        db_query_int(r->db, &tasks, "SELECT COUNT(*) FROM tasks WHERE document_id = ?", "i", id);
    if (rc != DB_ROW) {
        db_fail_reply(r, rc < 0 ? rc : DB_ERROR);
        return;
    }
    if (!has) {
        reply_field_error(r, ERR_INVALID, "version", "必填", "Required");
        return;
    }
    if (tasks > 0) {
        reply_error(r, ERR_IN_USE, NULL);
        return;
    }
    if (tx_begin_or_reply(r)) return;
    if (version_bump_or_reply(r, "documents", id, version)) return;
    rc = db_exec(r->db,
                 "UPDATE attachments SET owner_type = NULL, owner_id = NULL "
                 "WHERE owner_type = 'document' AND owner_id = ?",
                 "i", id);
    if (rc == DB_OK) rc = db_exec(r->db, "DELETE FROM documents WHERE id = ?", "i", id);
    if (rc != DB_OK) {
        db_fail_reply(r, rc);
        return;
    }
    if (audit_or_reply(r, "document.delete", "document", id, NULL)) return;
    if (tx_commit_or_reply(r)) return;
    reply_ok(r);
}
