/* tasks_excel.c — Excel out (libxlsxwriter) and in (rows read by the browser, checked here).
 * Export follows the list's filters and scope; import is all-or-nothing with per-row errors. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "base/calendar.h"
#include "base/log.h"
#include "features/tasks/tasks.h"
#include "features/tasks/tasks_http.h"
#include "http/http.h"

#define EXPORT_MAX_ROWS 50000
#define IMPORT_MAX_ROWS 2000

int task_filter_or_reply(struct req *r, struct task_filter *f); /* tasks_http.c */

static const char *label(const char *code, const char *const map[][2]) {
    for (int i = 0; map[i][0]; i++)
        if (code && !strcmp(map[i][0], code)) return map[i][1];
    return code ? code : "";
}

static const char *const status_zh[][2] = {
    {"draft", "草稿"},     {"issued", "已下发"}, {"in_progress", "办理中"},
    {"closing", "待验收"}, {"done", "已办结"},   {"cancelled", "已撤销"},
    {NULL, NULL}};
static const char *const light_zh[][2] = {
    {"green", "绿灯"}, {"yellow", "黄灯"}, {"red", "红灯"}, {"none", "—"}, {NULL, NULL}};
static const char *const rhythm_zh[][2] = {{"none", "不报送"},
                                           {"monthly", "每月"},
                                           {"quarterly", "每季度"},
                                           {"custom", "自定义"},
                                           {NULL, NULL}};
static const char *const priority_zh[][2] = {
    {"normal", "一般"}, {"high", "重要"}, {"urgent", "紧急"}, {NULL, NULL}};

/* Reply with a finished workbook file as an attachment, streamed from the file (the caller may
 * unlink it at once: the open descriptor keeps it). */
static void reply_file(struct req *r, const char *path, const char *ascii_name,
                       const char *utf8_name_pct) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) != 0) {
        if (fd >= 0) close(fd);
        reply_error(r, ERR_INTERNAL, NULL);
        return;
    }
    reply_header(r, "Content-Disposition",
                 arena_printf(r->arena, "attachment; filename=\"%s\"; filename*=UTF-8''%s",
                              ascii_name, utf8_name_pct));
    reply_fd(r, 200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", fd,
             (uint64_t)sb.st_size);
}

static const char *temp_dir(void) {
    const char *dir = getenv("TMPDIR");
    return dir && *dir ? dir : "/tmp";
}

/* A new workbook at a fresh temp path (*path, in the arena), or NULL. Constant-memory mode: each
 * row goes to a temp file (in temp_dir) as soon as the next one starts, strings are written inline
 * rather than kept in a shared table, so the writer's memory does not grow with the rows. Rows
 * must therefore be written in order, each row's cells before the next row's (libxlsxwriter
 * ignores a cell of an earlier row), and column widths set before the first row. */
static lxw_workbook *xlsx_new(struct arena *a, char **path) {
    *path = arena_printf(a, "%s/fazhi-xlsx-XXXXXX", temp_dir());
    int fd = mkstemp(*path);
    if (fd < 0) return NULL;
    close(fd);
    lxw_workbook_options opt = {
        .constant_memory = LXW_TRUE, .tmpdir = arena_strdup(a, temp_dir()), .use_zip64 = LXW_FALSE};
    lxw_workbook *wb = workbook_new_opt(*path, &opt);
    if (!wb) unlink(*path);
    return wb;
}

/* task id → text, for co-units, tags and latest notes fetched in one query each. The query
 * selects (task_id, text) of the exported tasks only: export_decoration() below. */
static json_t *text_by_task(struct db *db, struct query *q) {
    json_t *m = json_object();
    struct db_stmt *st = query_prepare(db, q);
    while (st && db_step(st) == DB_ROW) {
        char key[24];
        snprintf(key, sizeof key, "%lld", (long long)db_col_int(st, 0));
        json_t *cur = json_object_get(m, key);
        const char *v = db_col_text(st, 1);
        if (!cur) {
            json_object_set_new(m, key, json_string(v));
        } else {
            size_t n = strlen(json_string_value(cur)) + strlen(v) + 4;
            char *s = malloc(n);
            snprintf(s, n, "%s、%s", json_string_value(cur), v);
            json_object_set_new(m, key, json_string(s));
            free(s);
        }
    }
    db_done(st);
    return m;
}

/* Rows of the export written together: their co-units, tags and latest notes are read for
 * these rows only, so what the export holds does not grow with the rows (with the writer's
 * constant-memory mode). */
#define EXPORT_BATCH 2000 /* city data: 13 MB, +4 % CPU over one batch (500: 12 MB, +10 %) */

/* One exported task, copied out of the list statement (in the batch's arena). */
struct export_row {
    int64_t id;
    const char *due_on; /* with id: the list's order, the batch's bounds */
    const char *v[14];  /* columns 2–15 of the sheet */
    int red, overdue;   /* light red; days past the due date */
};

/* A decoration of the batch b[0..n): (task id → text) from `select` (its rows' first column a
 * task id, `task_col`) for the tasks the export lists between the batch's first and last row —
 * the caller's scope and filters, the list's order — then `tail`. */
static json_t *batch_decoration(struct req *r, struct arena *a, const struct task_filter *f,
                                const struct task_light_dates *d, const struct export_row *b, int n,
                                const char *select, const char *task_col, const char *tail) {
    struct query q;
    query_init(&q, a, select);
    query_add(&q, arena_printf(a, " AND %s IN (", task_col), "");
    task_query_on(&q, &r->who, f, TQ_IDS, d);
    query_add(&q, " AND (t.due_on, t.id) >= (?, ?) AND (t.due_on, t.id) <= (?, ?))", "sisi",
              b[0].due_on, b[0].id, b[n - 1].due_on, b[n - 1].id);
    query_add(&q, tail, "");
    return text_by_task(r->db, &q);
}

/* Write the batch's rows (sheet rows *row + 1 …) with their decorations. */
static void write_batch(struct req *r, struct arena *a, const struct task_filter *f,
                        const struct task_light_dates *d, const struct export_row *b, int n,
                        lxw_worksheet *ws, lxw_format *cell, lxw_format *red, lxw_row_t *row) {
    json_t *co = batch_decoration(r, a, f, d, b, n,
                                  "SELECT tu.task_id, u.name FROM task_units tu JOIN units u "
                                  "ON u.id = tu.unit_id WHERE tu.role = 'co'",
                                  "tu.task_id", " ORDER BY tu.task_id, u.sort_order");
    json_t *tags = batch_decoration(r, a, f, d, b, n,
                                    "SELECT tg.task_id, tg.tag FROM task_tags tg WHERE 1 = 1",
                                    "tg.task_id", " ORDER BY tg.task_id, tg.tag");
    json_t *last = batch_decoration(r, a, f, d, b, n,
                                    "SELECT e.task_id, e.note FROM task_events e WHERE e.id = "
                                    "(SELECT MAX(id) FROM task_events x WHERE x.task_id = "
                                    "e.task_id AND x.action IN ('report', 'request_close'))",
                                    "e.task_id", "");
    for (int k = 0; k < n; k++) {
        char key[24];
        snprintf(key, sizeof key, "%lld", (long long)b[k].id);
        const char *v[14];
        memcpy(v, b[k].v, sizeof v);
        v[3] = json_string_value(json_object_get(tags, key));
        v[5] = json_string_value(json_object_get(co, key));
        ++*row;
        worksheet_write_number(ws, *row, 0, (double)*row, cell);
        for (int i = 0; i < 14; i++)
            worksheet_write_string(ws, *row, (lxw_col_t)(i + 1), v[i] ? v[i] : "",
                                   i == 13 && b[k].red ? red : cell);
        worksheet_write_number(ws, *row, 15, b[k].overdue, cell);
        const char *lr = json_string_value(json_object_get(last, key));
        worksheet_write_string(ws, *row, 16, lr ? lr : "", cell);
    }
    json_decref(co);
    json_decref(tags);
    json_decref(last);
}

static const char *const export_headers[] = {
    "序号",     "任务名称", "来源文件", "类别",     "标签",     "牵头单位",
    "配合单位", "责任人",   "开始日期", "截止日期", "报送频次", "优先级",
    "挂牌督办", "状态",     "预警",     "逾期天数", "最新进展", NULL};
static const double export_widths[] = {6,  40, 30, 14, 18, 20, 30, 10, 12,
                                       12, 10, 8,  10, 10, 8,  10, 40};

void tasks_export_xlsx(struct req *r) {
    struct task_filter f;
    if (task_filter_or_reply(r, &f)) return;
    struct task_light_dates d; /* one day for the whole export, every batch */
    if (task_light_dates(r->db, &d) != 0) {
        db_fail_reply(r, DB_ERROR);
        return;
    }
    struct query q;
    query_init(&q, r->arena, "");
    task_query_on(&q, &r->who, &f, TQ_FULL, &d);
    query_add(&q, " ORDER BY t.due_on, t.id LIMIT ?", "i", (int64_t)EXPORT_MAX_ROWS);
    struct db_stmt *st = query_prepare(r->db, &q);
    if (!st) {
        db_fail_reply(r, DB_ERROR);
        return;
    }
    char *path;
    lxw_workbook *wb = xlsx_new(r->arena, &path);
    if (!wb) {
        db_done(st);
        reply_error(r, ERR_INTERNAL, NULL);
        return;
    }
    lxw_worksheet *ws = workbook_add_worksheet(wb, "督办任务");
    lxw_format *hdr = workbook_add_format(wb);
    format_set_bold(hdr);
    format_set_bg_color(hdr, 0xDDEBF7);
    format_set_border(hdr, LXW_BORDER_THIN);
    format_set_align(hdr, LXW_ALIGN_CENTER);
    lxw_format *cell = workbook_add_format(wb);
    format_set_border(cell, LXW_BORDER_THIN);
    format_set_text_wrap(cell);
    format_set_align(cell, LXW_ALIGN_VERTICAL_TOP);
    lxw_format *red = workbook_add_format(wb);
    format_set_border(red, LXW_BORDER_THIN);
    format_set_font_color(red, LXW_COLOR_RED);
    int ncol = 0;
    for (; export_headers[ncol]; ncol++)
        worksheet_set_column(ws, (lxw_col_t)ncol, (lxw_col_t)ncol, export_widths[ncol], NULL);
    for (int i = 0; i < ncol; i++)
        worksheet_write_string(ws, 0, (lxw_col_t)i, export_headers[i], hdr);
    worksheet_freeze_panes(ws, 1, 0);
    int32_t today = date_today();
    lxw_row_t row = 0;
    /* The batch's copies and queries live in an arena of their own, freed after each batch:
     * the request's arena would keep every batch until the answer is sent. */
    struct export_row *b = arena_alloc(r->arena, sizeof *b * EXPORT_BATCH);
    struct arena *ba = arena_new(65536);
    int rc, n = 0;
    while ((rc = db_step(st)) == DB_ROW || n > 0) {
        if (rc == DB_ROW) {
            struct export_row *x = &b[n++];
            const char *light = db_col_text(st, db_col_count(st) - 1);
            int32_t due = 0;
            x->id = db_col_int(st, 0);
            x->due_on = arena_strdup(ba, db_col_text(st, 11));
            x->red = !strcmp(light, "red");
            x->overdue = strcmp(light, "none") && date_parse(x->due_on, &due) == 0 && due < today
                             ? today - due
                             : 0;
            const char *doc = db_col_text(st, 2);
            const char *v[14] = {db_col_text(st, 4),
                                 doc ? doc : "",
                                 db_col_text(st, 6),
                                 NULL, /* tags */
                                 db_col_text(st, 8),
                                 NULL, /* co-units */
                                 db_col_text(st, 9),
                                 db_col_text(st, 10),
                                 db_col_text(st, 11),
                                 label(db_col_text(st, 12), rhythm_zh),
                                 label(db_col_text(st, 15), priority_zh),
                                 db_col_int(st, 16) ? "是" : "否",
                                 label(db_col_text(st, 17), status_zh),
                                 label(light, light_zh)};
            for (int i = 0; i < 14; i++)
                x->v[i] = arena_strdup(ba, v[i]);
            if (n < EXPORT_BATCH) continue;
        }
        write_batch(r, ba, &f, &d, b, n, ws, cell, red, &row);
        n = 0;
        arena_free(ba);
        ba = arena_new(65536);
        if (rc != DB_ROW) break;
    }
    arena_free(ba);
    db_done(st);
    worksheet_autofilter(ws, 0, 0, row, (lxw_col_t)(ncol - 1));
    lxw_error err = workbook_close(wb);
    if (rc != DB_DONE || err != LXW_NO_ERROR) {
        if (err != LXW_NO_ERROR) log_error("xlsx export failed: %s", lxw_strerror(err));
        unlink(path);
        reply_error(r, ERR_INTERNAL, NULL);
        return;
    }
    char day[11];
    date_format(today, day);
    reply_file(
        r, path, arena_printf(r->arena, "tasks-%s.xlsx", day),
        arena_printf(r->arena, "%%E7%%9D%%A3%%E5%%8A%%9E%%E4%%BB%%BB%%E5%%8A%%A1-%s.xlsx", day));
    unlink(path);
}

/* The import columns, in the template's order: header text and JSON key. */
static const char *const import_cols[][2] = {
    {"任务名称*", "title"},    {"任务内容", "content"},    {"类别", "category"},
    {"标签", "tags"},          {"牵头单位*", "lead_unit"}, {"配合单位", "co_units"},
    {"责任人", "responsible"}, {"开始日期", "start_on"},   {"截止日期*", "due_on"},
    {"报送频次", "rhythm"},    {"优先级", "priority"},     {NULL, NULL}};

void tasks_import_template(struct req *r) {
    char *path;
    lxw_workbook *wb = xlsx_new(r->arena, &path);
    if (!wb) {
        reply_error(r, ERR_INTERNAL, NULL);
        return;
    }
    lxw_worksheet *ws = workbook_add_worksheet(wb, "任务导入");
    lxw_worksheet *us = workbook_add_worksheet(wb, "单位名称");
    lxw_format *hdr = workbook_add_format(wb);
    format_set_bold(hdr);
    format_set_bg_color(hdr, 0xDDEBF7);
    format_set_border(hdr, LXW_BORDER_THIN);
    static const char *const example[] = {"完善行政规范性文件合法性审核机制",
                                          "制定审核工作规程，实现审核率100%",
                                          "法治政府建设",
                                          "制度建设、合法性审核",
                                          "区司法局",
                                          "区政务服务和数据管理局、区财政局",
                                          "张三",
                                          "2026-03-01",
                                          "2026-06-30",
                                          "每月",
                                          "重要"};
    /* row by row (constant-memory mode): widths, the header row, then the example row */
    for (int i = 0; import_cols[i][0]; i++)
        worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, i < 2 ? 36 : 16, NULL);
    for (int i = 0; import_cols[i][0]; i++)
        worksheet_write_string(ws, 0, (lxw_col_t)i, import_cols[i][0], hdr);
    for (int i = 0; import_cols[i][0]; i++)
        worksheet_write_string(ws, 1, (lxw_col_t)i, example[i], NULL);
    worksheet_set_column(us, 0, 2, 28, NULL);
    worksheet_write_string(us, 0, 0, "单位名称", hdr);
    worksheet_write_string(us, 0, 1, "简称", hdr);
    worksheet_write_string(us, 0, 2, "编码", hdr);
    struct db_stmt *st = db_prepare(r->db, "SELECT name, short_name, code FROM units "
                                           "WHERE active = 1 ORDER BY sort_order, id");
    lxw_row_t row = 0;
    while (st && db_step(st) == DB_ROW) {
        row++;
        for (int i = 0; i < 3; i++)
            worksheet_write_string(us, row, (lxw_col_t)i, db_col_text(st, i), NULL);
    }
    db_done(st);
    if (workbook_close(wb) != LXW_NO_ERROR) {
        unlink(path);
        reply_error(r, ERR_INTERNAL, NULL);
        return;
    }
    reply_file(r, path, "task-import-template.xlsx",
               "%E7%9D%A3%E5%8A%9E%E4%BB%BB%E5%8A%A1%E5%AF%BC%E5%85%A5%E6%A8%A1%E6%9D%BF.xlsx");
    unlink(path);
}

/* ---- import ---- */

static int64_t unit_by_label(struct db *db, const char *s) {
    int64_t id = 0;
    if (db_query_int(db, &id,
                     "SELECT id FROM units WHERE active = 1 AND (name = ? OR short_name = ? OR "
                     "code = ?) ORDER BY id LIMIT 1",
                     "sss", s, s, s) == DB_ROW)
        return id;
    return 0;
}

/* Split "a、b,c；d" into trimmed parts (in the arena); returns the count. */
static int split_list(struct arena *a, const char *s, const char **out, int max) {
    int n = 0;
    char *copy = arena_strdup(a, s ? s : "");
    char *p = copy;
    while (*p && n < max) {
        char *start = p;
        char *end = NULL;
        for (char *q = p; *q; q++) {
            if (*q == ',' || *q == ';') {
                end = q;
                p = q + 1;
                break;
            }
            if (!strncmp(q, "、", 3) || !strncmp(q, "，", 3) || !strncmp(q, "；", 3)) {
                end = q;
                p = q + 3;
                break;
            }
        }
        if (!end) {
            end = start + strlen(start);
            p = end;
        }
        *end = 0;
        while (*start == ' ')
            start++;
        size_t len = strlen(start);
        while (len && start[len - 1] == ' ')
            start[--len] = 0;
        if (*start) out[n++] = start;
    }
    return n;
}

static const char *map_choice(const char *s, const char *const map[][2], const char *def) {
    if (!s || !*s) return def;
    for (int i = 0; map[i][0]; i++)
        if (!strcmp(s, map[i][0]) || !strcmp(s, map[i][1])) return map[i][0];
    return NULL;
}

static const char *cell_text(struct arena *a, json_t *row, const char *key) {
    json_t *v = json_object_get(row, key);
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        while (*s == ' ')
            s++;
        char *t = arena_strdup(a, s);
        size_t n = strlen(t);
        while (n && (t[n - 1] == ' ' || t[n - 1] == '\n' || t[n - 1] == '\r'))
            t[--n] = 0;
        return t;
    }
    if (json_is_integer(v)) return arena_printf(a, "%lld", (long long)json_integer_value(v));
    return "";
}

static void json_free_cb(void *p) {
    json_decref(p);
}

static void row_error(struct req *r, json_t *errors, int row, const char *field, const char *zh,
                      const char *en) {
    json_array_append_new(
        errors, json_pack("{s:i,s:s,s:s}", "row", row, "field", field, "message", tr(r, zh, en)));
}

void tasks_import(struct req *r) {
    json_t *body;
    if (req_json_or_reply(r, &body)) return;
    json_t *rows = json_object_get(body, "rows");
    struct form f;
    form_init(&f, r, body);
    int64_t document_id = form_int(&f, "document_id", 0, 1, INT64_MAX / 2, 0);
    if (!json_is_array(rows) || json_array_size(rows) == 0)
        form_error(&f, "rows", "请提供要导入的行", "Give the rows to import");
    else if (json_array_size(rows) > IMPORT_MAX_ROWS)
        form_error(&f, "rows", "一次最多导入 2000 行", "At most 2000 rows at once");
    if (form_ok_or_reply(&f)) return;
    size_t n = json_array_size(rows);
    struct task_input *in = arena_alloc(r->arena, n * sizeof(*in));
    json_t *errors = json_array();
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        int line = (int)i + 2; /* the sheet's row number: row 1 is the header */
        struct task_input *t = &in[i];
        if (!json_is_object(row)) {
            row_error(r, errors, line, "", "行格式无效", "Invalid row");
            continue;
        }
        t->document_id = document_id;
        t->title = cell_text(r->arena, row, "title");
        t->content = cell_text(r->arena, row, "content");
        t->category = cell_text(r->arena, row, "category");
        t->responsible = cell_text(r->arena, row, "responsible");
        t->start_on = cell_text(r->arena, row, "start_on");
        t->due_on = cell_text(r->arena, row, "due_on");
        const char *rh = cell_text(r->arena, row, "rhythm"),
                   *pri = cell_text(r->arena, row, "priority");
        t->rhythm = map_choice(rh, rhythm_zh, "none");
        t->priority = map_choice(pri, priority_zh, "normal");
        int len = utf8_chars(t->title);
        if (len <= 0 || len > 200)
            row_error(r, errors, line, "title", "任务名称必填，最多 200 字",
                      "Title is required, at most 200 characters");
        if (utf8_chars(t->content) < 0 || utf8_chars(t->content) > 4000)
            row_error(r, errors, line, "content", "任务内容最多 4000 字",
                      "Content: at most 4000 characters");
        if (utf8_chars(t->category) < 0 || utf8_chars(t->category) > 30)
            row_error(r, errors, line, "category", "类别最多 30 字",
                      "Category: at most 30 characters");
        if (utf8_chars(t->responsible) < 0 || utf8_chars(t->responsible) > 50)
            row_error(r, errors, line, "responsible", "责任人最多 50 字",
                      "Responsible person: at most 50 characters");
        if (!t->rhythm || !strcmp(t->rhythm, "custom"))
            row_error(r, errors, line, "rhythm", "报送频次须为 不报送、每月 或 每季度",
                      "Rhythm is 不报送, 每月 or 每季度");
        if (!t->priority)
            row_error(r, errors, line, "priority", "优先级须为 一般、重要 或 紧急",
                      "Priority is 一般, 重要 or 紧急");
        const char *lead = cell_text(r->arena, row, "lead_unit");
        t->lead_unit_id = *lead ? unit_by_label(r->db, lead) : 0;
        if (!t->lead_unit_id)
            row_error(r, errors, line, "lead_unit", *lead ? "找不到该牵头单位" : "牵头单位必填",
                      *lead ? "Unknown lead unit" : "The lead unit is required");
        const char *parts[40];
        int np = split_list(r->arena, cell_text(r->arena, row, "co_units"), parts, 40);
        for (int k = 0; k < np; k++) {
            int64_t u = unit_by_label(r->db, parts[k]);
            if (!u) {
                row_error(r, errors, line, "co_units",
                          arena_printf(r->arena, "找不到配合单位“%s”", parts[k]),
                          arena_printf(r->arena, "Unknown co-unit \"%s\"", parts[k]));
                break;
            }
            if (t->n_co < 32) t->co_unit_ids[t->n_co++] = u;
        }
        const char *tagv[12];
        int nt = split_list(r->arena, cell_text(r->arena, row, "tags"), tagv, 12);
        if (nt) {
            t->tags = json_array();
            for (int k = 0; k < nt; k++)
                json_array_append_new(t->tags, json_string(tagv[k]));
            arena_on_free(r->arena, json_free_cb, t->tags);
        }
        if (t->rhythm && t->priority && t->lead_unit_id && len > 0) {
            struct task_problems pr = {0};
            task_input_check(r->db, &r->who, t, &pr);
            for (int k = 0; k < pr.n; k++)
                row_error(r, errors, line,
                          !strcmp(pr.p[k].field, "lead_unit_id")  ? "lead_unit"
                          : !strcmp(pr.p[k].field, "co_unit_ids") ? "co_units"
                                                                  : pr.p[k].field,
                          pr.p[k].zh, pr.p[k].en);
        }
    }
    if (json_array_size(errors) > 0) {
        json_t *fe = json_pack("{s:o}", "rows", errors);
        char zh[120], en[120];
        snprintf(zh, sizeof zh, "有 %zu 处错误，未导入任何任务，请修改后重新导入",
                 json_array_size(errors));
        snprintf(en, sizeof en, "%zu problems; nothing was imported", json_array_size(errors));
        json_t *e =
            json_pack("{s:s,s:s,s:o}", "code", "invalid", "message", tr(r, zh, en), "fields", fe);
        reply_json(r, 400, json_pack("{s:o}", "error", e));
        return;
    }
    json_decref(errors);
    struct task_actor ta = {&r->who, &r->actor};
    if (tx_begin_or_reply(r)) return;
    json_t *ids = json_array();
    for (i = 0; i < n; i++) {
        int64_t id = 0;
        int rc = task_create(r->db, r->arena, &ta, &in[i], &id);
        if (rc != DB_OK) {
            json_decref(ids);
            db_fail_reply(r, rc);
            return;
        }
        json_array_append_new(ids, json_integer(id));
    }
    if (audit_or_reply(r, "task.import", "task", 0,
                       json_pack("{s:I,s:I}", "rows", (json_int_t)n, "document_id",
                                 (json_int_t)document_id))) {
        json_decref(ids);
        return;
    }
    if (tx_commit_or_reply(r)) {
        json_decref(ids);
        return;
    }
    reply_json(r, 201, json_pack("{s:I,s:o}", "created", (json_int_t)n, "ids", ids));
}
