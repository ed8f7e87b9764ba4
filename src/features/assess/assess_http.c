/* assess_http.c — the indicator systems' own routes beyond the generated ones: the check and
 * what a version changed (the editor shows them), the metric registry, a draft from the built-in
 * template, and the system as one Excel sheet (export of any, import into a new or a draft one). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "base/calendar.h"
#include "features/assess/assess.h"
#include "features/assess/assess_http.h"
#include "features/assess/assess_ind.h"
#include "features/assess/assess_rule.h"
#include "features/entity/entity_http.h"
#include "features/flow/flow.h"
#include "http/http.h"

static void json_free(void *p) {
    json_decref(p);
}

/* The system as the caller reads it, or 404. */
static json_t *system_or_reply(struct req *r, int64_t *id) {
    if (req_id_or_reply(r, 0, id)) return NULL;
    struct entity_ctx c;
    if (entity_ctx_or_reply(r, &entity_assess_systems, EP_GET, &c)) return NULL;
    return entity_get_or_reply(r, &c, *id);
}

void assess_check_route(struct req *r) {
    int64_t id;
    json_t *sys = system_or_reply(r, &id);
    if (!sys) return;
    json_decref(sys);
    json_t *problems = NULL;
    int rc = assess_system_check(r->db, r->arena, id, &problems);
    if (rc != DB_OK) {
        rc == DB_DONE ? reply_error(r, ERR_NOT_FOUND, NULL) : (void)db_fail_reply(r, rc);
        return;
    }
    json_t *out = json_array();
    size_t i;
    json_t *p;
    json_array_foreach(problems, i, p) {
        json_array_append_new(out,
                              json_pack("{s:O,s:O,s:O,s:O}", "code", json_object_get(p, "code"),
                                        "message", json_object_get(p, r->lang ? "en" : "zh"), "zh",
                                        json_object_get(p, "zh"), "en", json_object_get(p, "en")));
    }
    json_decref(problems);
    reply_json(r, 200, json_pack("{s:b,s:o}", "ok", json_array_size(out) == 0, "problems", out));
}

void assess_changes_route(struct req *r) {
    int64_t id;
    json_t *sys = system_or_reply(r, &id);
    if (!sys) return;
    json_decref(sys);
    json_t *out = NULL;
    int rc = assess_system_changes(r->db, r->arena, id, &out);
    if (rc != DB_OK) {
        rc == DB_DONE ? reply_error(r, ERR_NOT_FOUND, NULL) : (void)db_fail_reply(r, rc);
        return;
    }
    reply_json(r, 200, out);
}

void assess_metrics_route(struct req *r) {
    reply_json(r, 200, assess_metric_registry(r->lang));
}

/* The created or imported system as its entity answers it. */
static void reply_system(struct req *r, int64_t id, int status) {
    struct entity_ctx c;
    int rc = DB_OK;
    json_t *row = NULL;
    if (entity_ctx_init(&c, r->db, r->arena, &entity_assess_systems, &r->who, r->lang, EP_GET) ==
        DB_OK)
        row = entity_get(&c, id, &rc);
    if (!row) {
        reply_error(r, ERR_INTERNAL, NULL);
        return;
    }
    reply_json(r, status, row);
}

static int year_now(void) {
    char today[11];
    date_format(date_today(), today);
    return atoi(today);
}

/* POST /api/v1/assess-systems/default {year, name?}: a draft from the template. */
void assess_default_route(struct req *r) {
    json_t *body;
    if (req_json_or_reply(r, &body)) return;
    struct form f;
    form_init(&f, r, body);
    int64_t year = form_int(&f, "year", 1, 2000, 2100, year_now());
    const char *name = form_text(&f, "name", 0, 0, 200);
    if (form_ok_or_reply(&f) || tx_begin_or_reply(r)) return;
    int64_t id = 0;
    int rc = assess_template_create(r->db, r->arena, (int)year, r->who.user_id, &id);
    if (rc == DB_OK && *name)
        rc = db_exec(r->db, "UPDATE assess_systems SET name = ? WHERE id = ?", "si", name, id);
    if (rc != DB_OK) {
        db_fail_reply(r, rc);
        return;
    }
    if (tx_commit_or_reply(r)) return;
    reply_system(r, id, 201);
}

static const char *const sheet_headers[] = {"编号",     "层级",     "上级编号", "指标名称",
                                            "分值",     "计分规则", "数据指标", "规则参数",
                                            "评分标准", "佐证材料"};
static const double sheet_widths[] = {10, 6, 10, 40, 8, 12, 32, 32, 50, 40};
#define SHEET_COLS 10

/* GET /api/v1/assess-systems/{id}/export.xlsx: the tree, parents before children. */
void assess_export_route(struct req *r) {
    int64_t id;
    json_t *sys = system_or_reply(r, &id);
    if (!sys) return;
    arena_on_free(r->arena, json_free, sys);
    struct assess_ind *v;
    int n;
    int rc = assess_ind_load(r->db, r->arena, id, &v, &n);
    if (rc != DB_OK) {
        db_fail_reply(r, rc);
        return;
    }
    char *path;
    lxw_workbook *wb = xlsx_new_or_reply(r, &path, 0);
    if (!wb) return;
    lxw_worksheet *ws = workbook_add_worksheet(wb, "指标体系");
    lxw_format *hdr = workbook_add_format(wb), *cellf = workbook_add_format(wb);
    format_set_bold(hdr);
    format_set_bg_color(hdr, 0xDDEBF7);
    format_set_text_wrap(cellf);
    format_set_align(cellf, LXW_ALIGN_VERTICAL_TOP);
    for (int i = 0; i < SHEET_COLS; i++) {
        worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, sheet_widths[i], NULL);
        worksheet_write_string(ws, 0, (lxw_col_t)i, sheet_headers[i], hdr);
    }
    worksheet_freeze_panes(ws, 1, 0);
    lxw_row_t row = 0;
    /* depth first: each node then its children, in their order */
    int *stack = arena_alloc(r->arena, (size_t)(n + 1) * sizeof(int));
    int top = 0;
    for (int i = n - 1; i >= 0; i--)
        if (v[i].parent < 0) stack[top++] = i;
    while (top) {
        const struct assess_ind *x = &v[stack[--top]];
        int self = (int)(x - v);
        row++;
        worksheet_write_string(ws, row, 0, x->code, cellf);
        worksheet_write_number(ws, row, 1, (double)x->level, cellf);
        worksheet_write_string(ws, row, 2, x->parent >= 0 ? v[x->parent].code : "", cellf);
        worksheet_write_string(ws, row, 3, x->name, cellf);
        worksheet_write_number(ws, row, 4, (double)x->weight / 100.0, cellf);
        int t = assess_rule_type_of(x->rule);
        worksheet_write_string(ws, row, 5, t >= 0 ? assess_rule_types[t].zh : "", cellf);
        worksheet_write_string(ws, row, 6, x->metric, cellf);
        worksheet_write_string(ws, row, 7, x->params, cellf);
        worksheet_write_string(ws, row, 8, x->method, cellf);
        worksheet_write_string(ws, row, 9, x->evidence, cellf);
        for (int i = n - 1; i >= 0; i--)
            if (v[i].parent == self) stack[top++] = i;
    }
    const char *name = json_string_value(json_object_get(sys, "name"));
    int64_t year = (int64_t)json_integer_value(json_object_get(sys, "year"));
    int64_t vno = (int64_t)json_integer_value(json_object_get(sys, "version_no"));
    xlsx_finish_reply(
        r, wb, path,
        arena_printf(r->arena, "assess-system-%lld-v%lld.xlsx", (long long)year, (long long)vno),
        arena_printf(r->arena, "%s-第%lld版.xlsx", name ? name : "指标体系", (long long)vno));
}

static int import_or_reply(struct req *r, int64_t id, json_t *rows) {
    json_t *errors = NULL;
    int rc = assess_system_import(r->db, r->arena, id, rows, r->lang, &r->actor, &errors);
    if (errors) arena_on_free(r->arena, json_free, errors);
    if (rc != DB_OK) return db_fail_reply(r, rc);
    if (json_array_size(errors)) {
        db_rollback(r->db);
        reply_error_with(r, ERR_INVALID, "指标体系表有误，未导入任何内容",
                         "The sheet has problems: nothing was imported",
                         json_pack("{s:O}", "rows", errors));
        return -1;
    }
    return 0;
}

static json_t *rows_or_reply(struct req *r, json_t *body) {
    json_t *rows = json_object_get(body, "rows");
    if (!json_is_array(rows) || !json_array_size(rows) || json_array_size(rows) > 2000) {
        reply_field_error(r, ERR_INVALID, "rows", "请提供指标体系表的行（最多 2000 行）",
                          "Give the sheet's rows (at most 2000)");
        return NULL;
    }
    return rows;
}

/* POST /api/v1/assess-systems/import {year, name, total_points?, rows}: a new draft. */
void assess_import_new_route(struct req *r) {
    json_t *body, *rows;
    if (req_json_or_reply(r, &body) || !(rows = rows_or_reply(r, body))) return;
    struct form f;
    form_init(&f, r, body);
    int64_t year = form_int(&f, "year", 1, 2000, 2100, 0);
    const char *name = form_text(&f, "name", 1, 1, 200);
    json_t *tp = json_object_get(body, "total_points");
    int64_t total = 10000;
    if (tp && !json_is_null(tp)) {
        double x = json_is_number(tp) ? json_number_value(tp) * 100 : -1;
        int64_t h = (int64_t)(x + 0.5);
        if (x < 100 || x > 100000 || (double)h - x > 1e-6 || x - (double)h > 1e-6)
            form_error(&f, "total_points", "总分须为 1–1000 之间最多两位小数的数字",
                       "The total is a number 1–1000 with at most two decimals");
        else
            total = h;
    }
    if (form_ok_or_reply(&f) || tx_begin_or_reply(r)) return;
    int64_t id = 0, vno = 0;
    int rc = db_query_int(r->db, &vno,
                          "SELECT COALESCE(MAX(version_no), 0) + 1 FROM assess_systems WHERE "
                          "year = ?",
                          "i", year) == DB_ROW
                 ? DB_OK
                 : DB_ERROR;
    if (rc == DB_OK)
        rc = assess_system_new(r->db, r->arena, year, name, vno, 0, "", total, r->who.user_id, &id);
    struct flow_actor actor = {&r->who, &r->actor};
    if (rc == DB_OK && flow_event_append(r->db, r->arena, &actor, &assess_system_kind, id, "create",
                                         "由 Excel 导入", "", 1) != FLOW_OK)
        rc = DB_ERROR;
    if (rc == DB_OK)
        rc = audit_append(
            r->db, &r->actor, "assess_system.create", "assess_system",
            arena_printf(r->arena, "%lld", (long long)id), "ok",
            arena_printf(r->arena, "{\"year\":%lld,\"import\":true}", (long long)year));
    if (rc != DB_OK) {
        db_fail_reply(r, rc);
        return;
    }
    if (import_or_reply(r, id, rows) || tx_commit_or_reply(r)) return;
    reply_system(r, id, 201);
}

/* POST /api/v1/assess-systems/{id}/import {rows, version}: a draft's indicators replaced. */
void assess_import_route(struct req *r) {
    int64_t id;
    json_t *body, *rows;
    if (req_json_or_reply(r, &body)) return;
    json_t *sys = system_or_reply(r, &id);
    if (!sys) return;
    arena_on_free(r->arena, json_free, sys);
    const char *status = json_string_value(json_object_get(sys, "status"));
    if (!status || strcmp(status, "draft")) {
        reply_error_msg(r, ERR_FORBIDDEN,
                        !strcmp(status ? status : "", "published")
                            ? "指标体系已发布，不能导入替换其指标；请生成新版本后导入"
                            : "指标体系已停用，不能导入替换其指标",
                        "Only a draft system's indicators can be replaced");
        return;
    }
    if (!(rows = rows_or_reply(r, body))) return;
    struct form f;
    form_init(&f, r, body);
    int64_t version = form_version(&f);
    if (form_ok_or_reply(&f) || tx_begin_or_reply(r) ||
        version_bump_or_reply(r, "assess_systems", id, version) || import_or_reply(r, id, rows) ||
        tx_commit_or_reply(r))
        return;
    reply_system(r, id, 200);
}
