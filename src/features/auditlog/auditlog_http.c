/* auditlog_http.c — the audit log for 审计管理员: CSV export and chain verification. The list
 * and one record are the audit entity's generated routes (auditlog_entities.c). Looking at the
 * log is itself logged. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "audit/audit.h"
#include "base/buf.h"
#include "base/log.h"
#include "base/timeutil.h"
#include "features/auditlog/auditlog.h"
#include "features/auditlog/auditlog_http.h"
#include "features/entity/entity_http.h"
#include "features/flow/flow.h"
#include "http/http.h"
#include "http/module.h"

#define EXPORT_MAX 100000 /* rows in one CSV export */

/* Record that someone looked (in its own transaction, before answering). */
static int audit_access_or_reply(struct req *r, const char *action, json_t *detail) {
    if (tx_begin_or_reply(r)) {
        json_decref(detail);
        return -1;
    }
    if (audit_or_reply(r, action, "audit", 0, detail)) return -1;
    return tx_commit_or_reply(r);
}

void audit_export_csv(struct req *r) {
    struct entity_request rq;
    if (entity_request_or_reply(r, &entity_audit, &rq) ||
        audit_access_or_reply(r, "audit.export", entity_request_json(&rq)))
        return;
    struct buf b;
    buf_init(&b, r->arena, 65536);
    int rc = audit_csv(r->db, r->arena, &r->who, &rq, EXPORT_MAX, &b);
    if (rc != DB_OK) {
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

/* The workbook being written by audit_each's rows (constant memory: each row goes to the file
 * as it is finished). */
struct audit_sheet {
    lxw_worksheet *ws;
    lxw_format *cell;
    lxw_row_t row;
};

static int audit_sheet_row(void *cls, const char *const *cells) {
    struct audit_sheet *s = cls;
    s->row++;
    for (int i = 0; i < AUDIT_EXPORT_COLUMNS; i++) {
        const char *v = cells[i] ? cells[i] : "";
        if (i == 0)
            worksheet_write_number(s->ws, s->row, 0, strtod(v, NULL), s->cell);
        else
            worksheet_write_string(s->ws, s->row, (lxw_col_t)i, v, s->cell);
    }
    return 0;
}

/* GET /api/v1/audit/export.xlsx: what export.csv writes, as a workbook, written row by row to
 * a temporary file in libxlsxwriter's constant-memory mode from batches of AUDIT_EACH_BATCH, so
 * neither the rows nor the sheet are ever held whole (docs/performance.md: peak RSS). */
void audit_export_xlsx(struct req *r) {
    struct entity_request rq;
    if (entity_request_or_reply(r, &entity_audit, &rq) ||
        audit_access_or_reply(r, "audit.export", entity_request_json(&rq)))
        return;
    char *path;
    lxw_workbook *wb = xlsx_new_or_reply(r, &path, 1);
    if (!wb) return;
    struct audit_sheet s = {workbook_add_worksheet(wb, "审计日志"), workbook_add_format(wb), 0};
    lxw_format *hdr = workbook_add_format(wb);
    format_set_bold(hdr);
    format_set_bg_color(hdr, 0xDDEBF7);
    static const double widths[AUDIT_EXPORT_COLUMNS] = {8,  21, 14, 9,  12, 8, 15,
                                                        18, 18, 12, 10, 7,  60};
    for (int i = 0; i < AUDIT_EXPORT_COLUMNS; i++) {
        worksheet_set_column(s.ws, (lxw_col_t)i, (lxw_col_t)i, widths[i], NULL);
        worksheet_write_string(s.ws, 0, (lxw_col_t)i, audit_export_headers[i], hdr);
    }
    worksheet_freeze_panes(s.ws, 1, 0);
    int rc = audit_each(r->db, r->arena, &r->who, &rq, EXPORT_MAX, audit_sheet_row, &s);
    if (rc != DB_OK) {
        workbook_close(wb);
        unlink(path);
        db_fail_reply(r, rc);
        return;
    }
    char ts[21];
    now_iso(ts);
    ts[10] = 0;
    xlsx_finish_reply(r, wb, path, arena_printf(r->arena, "audit-%s.xlsx", ts),
                      arena_printf(r->arena, "审计日志-%s.xlsx", ts));
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

/* One name of the map; the first declaration of a code wins. */
static void name_put(json_t *map, const char *code, const char *zh, const char *en) {
    if (!code || !zh || !en || json_object_get(map, code)) return;
    json_object_set_new(map, code, json_pack("{s:s,s:s}", "zh", zh, "en", en));
}

/* GET /api/v1/audit/names: what people read for the log's action and object codes, in both
 * languages — the modules' declared names (audit_names), their workflow kinds' transitions and
 * their entities' generic writes (新建/修改/删除/导入 + the object's name). A code that is in no
 * declaration is not named; the web shows it as it is. */
void audit_names_route(struct req *r) {
    json_t *actions = json_object(), *objects = json_object();
    for (int m = 0; fazhi_modules[m]; m++)
        for (int i = 0; i < fazhi_modules[m]->n_audit_names; i++) {
            const struct audit_name *n = &fazhi_modules[m]->audit_names[i];
            name_put(strchr(n->code, '.') ? actions : objects, n->code, n->zh, n->en);
        }
    for (int m = 0; fazhi_modules[m]; m++)
        for (int i = 0; i < fazhi_modules[m]->n_kinds; i++) {
            const struct flow_kind *k = fazhi_modules[m]->kinds[i];
            name_put(objects, k->audit_type, k->zh, k->en);
            name_put(actions, arena_printf(r->arena, "%s.refused", k->audit_type),
                     arena_printf(r->arena, "%s操作被拒绝", k->zh),
                     arena_printf(r->arena, "%s: action refused", k->en));
            for (int j = 0; j < k->n_transitions; j++)
                name_put(actions,
                         arena_printf(r->arena, "%s.%s", k->audit_type, k->transitions[j].action),
                         k->transitions[j].zh, k->transitions[j].en);
        }
    for (int m = 0; fazhi_modules[m]; m++)
        for (int i = 0; i < fazhi_modules[m]->n_entities; i++) {
            const struct entity *e = fazhi_modules[m]->entities[i];
            const char *type = e->audit_type ? e->audit_type : e->name;
            name_put(objects, type, e->zh, e->en);
            json_t *o = json_object_get(objects, type);
            const char *zh = json_string_value(json_object_get(o, "zh"));
            const char *en = json_string_value(json_object_get(o, "en"));
            for (int v = 0; v < ENTITY_WRITE_VERBS; v++) {
                const struct entity_verb *w = &entity_write_verbs[v];
                name_put(actions, arena_printf(r->arena, "%s.%s", type, w->verb),
                         arena_printf(r->arena, "%s%s", w->zh, zh),
                         arena_printf(r->arena, "%s %s", w->en, entity_en_inner(r->arena, en)));
            }
            if (e->versions)
                name_put(
                    actions, arena_printf(r->arena, "%s.version", type),
                    arena_printf(r->arena, "新增%s", e->versions->zh),
                    arena_printf(r->arena, "Add %s", entity_en_inner(r->arena, e->versions->en)));
        }
    reply_json(r, 200, json_pack("{s:o,s:o}", "actions", actions, "objects", objects));
}
