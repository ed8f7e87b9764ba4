/* entity_xlsx.c — Excel for every entity from its declaration: export (the list's filters,
 * order and scope; the F_EXPORT fields under their Chinese labels), the import template (the
 * F_IMPORT fields, an example row, the unit names when a column names units) and import
 * (all-or-nothing; every problem of every row at once, by the sheet's row number). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "base/calendar.h"
#include "base/log.h"
#include "features/entity/entity_http.h"

#define EXPORT_MAX_ROWS   50000
#define IMPORT_MAX_ROWS   2000
#define IMPORT_ERRORS_MAX 1000 /* problems one answer lists (the count says how many there are) */
#define EXPORT_CHUNK      512  /* rows read and decorated at a time: a fixed few queries each */

static const struct entity *ent_of(struct req *r) {
    return r->route->ctx;
}

/* RFC 5987 percent-encoding of a UTF-8 file name. */
static char *pct(struct arena *a, const char *s) {
    char *out = arena_alloc(a, strlen(s) * 3 + 1), *o = out;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '.' || *p == '_')
            *o++ = (char)*p;
        else
            o += sprintf(o, "%%%02X", *p);
    }
    *o = 0;
    return out;
}

static char *temp_path(struct arena *a) {
    const char *dir = getenv("TMPDIR");
    char *p = arena_printf(a, "%s/fazhi-xlsx-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(p);
    if (fd < 0) return NULL;
    close(fd);
    return p;
}

/* A new workbook in a temporary file (its path in *path), or NULL after answering 500. */
static lxw_workbook *workbook_or_reply(struct req *r, char **path) {
    *path = temp_path(r->arena);
    lxw_workbook *wb = *path ? workbook_new(*path) : NULL;
    if (!wb) {
        if (*path) unlink(*path);
        reply_error(r, ERR_INTERNAL, NULL);
    }
    return wb;
}

/* Answer a finished workbook as an attachment, streamed from the file (unlinked at once: the
 * open descriptor keeps it). */
static void reply_file(struct req *r, const char *path, const char *ascii_name,
                       const char *utf8_name) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat sb;
    unlink(path);
    if (fd < 0 || fstat(fd, &sb) != 0) {
        if (fd >= 0) close(fd);
        reply_error(r, ERR_INTERNAL, NULL);
        return;
    }
    reply_header(r, "Content-Disposition",
                 arena_printf(r->arena, "attachment; filename=\"%s\"; filename*=UTF-8''%s",
                              ascii_name, pct(r->arena, utf8_name)));
    reply_fd(r, 200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", fd,
             (uint64_t)sb.st_size);
}

static const char *stem(const struct entity *e) {
    return e->export_name ? e->export_name : e->name;
}

static double width_of(const struct field *f) {
    if (f->type == FT_DATE || f->type == FT_DATETIME) return 12;
    if (f->type == FT_ENUM || f->type == FT_BOOL || f->type == FT_INT) return 10;
    if (f->flags & F_MULTI || f->type == FT_JSON) return 30;
    if ((f->type == FT_TEXT || f->type == FT_LONGTEXT) && f->max > 100) return 40;
    return 20;
}

static const struct field_option *option_of(const struct field *f, const char *code) {
    for (int i = 0; code && i < f->n_options; i++)
        if (!strcmp(f->options[i].code, code)) return &f->options[i];
    return NULL;
}

/* A list value as text: strings as they are, objects by their `ref` member, joined by 、. */
static char *joined(struct arena *a, const struct field *f, json_t *arr) {
    char *out = "";
    size_t i;
    json_t *x;
    json_array_foreach(arr, i, x) {
        const char *s = NULL;
        if (json_is_string(x))
            s = json_string_value(x);
        else if (json_is_integer(x))
            s = arena_printf(a, "%lld", (long long)json_integer_value(x));
        else if (json_is_object(x) && f->ref)
            s = json_string_value(json_object_get(x, f->ref));
        if (s && *s) out = arena_printf(a, "%s%s%s", out, *out ? "、" : "", s);
    }
    return out;
}

struct export_formats {
    lxw_format *hdr, *cell, *red;
};

static void write_cell(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, struct arena *a,
                       const struct field *f, json_t *v, const struct export_formats *fm) {
    if (f->type == FT_ENUM) {
        const struct field_option *o = option_of(f, json_string_value(v));
        const char *tag = o && o->tag ? o->tag : "";
        worksheet_write_string(ws, row, col, o ? o->zh : "",
                               !strcmp(tag, "danger") ? fm->red : fm->cell);
    } else if (json_is_boolean(v)) {
        worksheet_write_string(ws, row, col, json_is_true(v) ? "是" : "否", fm->cell);
    } else if (json_is_number(v) && f->type == FT_INT) { /* a decimal field's answer: 2.5 */
        worksheet_write_number(ws, row, col, json_number_value(v), fm->cell);
    } else if (json_is_array(v)) {
        worksheet_write_string(ws, row, col, joined(a, f, v), fm->cell);
    } else if (json_is_string(v)) {
        worksheet_write_string(ws, row, col, json_string_value(v), fm->cell);
    } else if (json_is_integer(v)) {
        worksheet_write_string(ws, row, col,
                               arena_printf(a, "%lld", (long long)json_integer_value(v)), fm->cell);
    } else {
        worksheet_write_string(ws, row, col, "", fm->cell);
    }
}

void entity_export_route(struct req *r) {
    const struct entity *e = ent_of(r);
    struct entity_request rq;
    struct entity_ctx c;
    if (entity_request_or_reply(r, e, &rq) || entity_ctx_or_reply(r, e, EP_EXPORT, &c)) return;
    int64_t *ids;
    int n = 0;
    int rc = entity_ids(&c, &rq, e->export_max ? e->export_max : EXPORT_MAX_ROWS, &ids, &n);
    if (rc != DB_OK) {
        db_fail_reply(r, rc);
        return;
    }
    const struct entity *re = entity_resolved(&c, FO_ALL); /* a dictionary's labels */
    char *path;
    lxw_workbook *wb = xlsx_new_or_reply(r, &path, 1); /* rows go to the file as written */
    if (!wb) return;
    lxw_worksheet *ws = workbook_add_worksheet(wb, e->export_sheet ? e->export_sheet : e->zh);
    struct export_formats fm = {workbook_add_format(wb), workbook_add_format(wb),
                                workbook_add_format(wb)};
    format_set_bold(fm.hdr);
    format_set_bg_color(fm.hdr, 0xDDEBF7);
    format_set_border(fm.hdr, LXW_BORDER_THIN);
    format_set_align(fm.hdr, LXW_ALIGN_CENTER);
    format_set_border(fm.cell, LXW_BORDER_THIN);
    format_set_text_wrap(fm.cell);
    format_set_align(fm.cell, LXW_ALIGN_VERTICAL_TOP);
    format_set_border(fm.red, LXW_BORDER_THIN);
    format_set_font_color(fm.red, LXW_COLOR_RED);
    worksheet_write_string(ws, 0, 0, "序号", fm.hdr);
    worksheet_set_column(ws, 0, 0, 6, NULL);
    lxw_col_t ncol = 1;
    for (int i = 0; i < e->n_fields; i++) {
        if (!(e->fields[i].flags & F_EXPORT)) continue;
        worksheet_write_string(ws, 0, ncol, e->fields[i].zh, fm.hdr);
        worksheet_set_column(ws, ncol, ncol, width_of(&e->fields[i]), NULL);
        ncol++;
    }
    /* 当事人: masked unless the exporter may see them whole (then the audit record says so) */
    static const char *const party_cols[3] = {"当事人", "证件号码", "联系电话"};
    static const char *const party_keys[3] = {"party_names", "party_id_nos", "party_phones"};
    int whole = e->parties && perm_gate(r->who.perms, &perm_pii_reveal);
    for (int k = 0; e->parties && k < 3; k++) {
        worksheet_write_string(ws, 0, ncol, party_cols[k], fm.hdr);
        worksheet_set_column(ws, ncol, ncol, k == 0 ? 20 : 24, NULL);
        ncol++;
    }
    worksheet_freeze_panes(ws, 1, 0);
    lxw_row_t row = 0;
    for (int at = 0; at < n && rc == DB_OK; at += EXPORT_CHUNK) {
        int k = n - at < EXPORT_CHUNK ? n - at : EXPORT_CHUNK;
        json_t *items = entity_items_of(&c, &rq, ids + at, k, &rc);
        if (items && e->parties && (rc = entity_parties_export(&c, items, whole)) != DB_OK) {
            json_decref(items);
            break;
        }
        size_t i;
        json_t *item;
        json_array_foreach(items, i, item) {
            row++;
            worksheet_write_number(ws, row, 0, (double)row, fm.cell);
            lxw_col_t col = 1;
            for (int f = 0; f < e->n_fields; f++) {
                if (!(e->fields[f].flags & F_EXPORT)) continue;
                write_cell(ws, row, col++, r->arena, &re->fields[f],
                           json_object_get(item, e->fields[f].name), &fm);
            }
            for (int p = 0; e->parties && p < 3; p++) {
                const char *t = json_string_value(json_object_get(item, party_keys[p]));
                worksheet_write_string(ws, row, col++, t ? t : "", fm.cell);
            }
        }
        json_decref(items);
    }
    worksheet_autofilter(ws, 0, 0, row, (lxw_col_t)(ncol - 1));
    lxw_error err = workbook_close(wb);
    if (rc != DB_OK || err != LXW_NO_ERROR) {
        if (err != LXW_NO_ERROR) log_error("xlsx export failed: %s", lxw_strerror(err));
        unlink(path);
        if (rc != DB_OK)
            db_fail_reply(r, rc);
        else
            reply_error(r, ERR_INTERNAL, NULL);
        return;
    }
    /* an export of parties is recorded: how many rows, and whether their data was whole */
    if (e->parties) {
        const char *type = e->audit_type ? e->audit_type : e->name;
        if (tx_begin_or_reply(r) ||
            audit_or_reply(
                r, arena_printf(r->arena, "%s.export", type), type, 0,
                json_pack("{s:I,s:b}", "rows", (json_int_t)row, "personal_data_whole", whole)) ||
            tx_commit_or_reply(r)) {
            unlink(path);
            return;
        }
    }
    char day[11];
    date_format(date_today(), day);
    reply_file(r, path, arena_printf(r->arena, "%s-%s.xlsx", stem(e), day),
               arena_printf(r->arena, "%s-%s.xlsx", e->zh, day));
}

static int has_unit_import(const struct entity *e) {
    for (int i = 0; i < e->n_fields; i++)
        if ((e->fields[i].flags & F_IMPORT) && e->fields[i].type == FT_UNIT) return 1;
    return 0;
}

/* ---- the import template: headers, notes, drop-down cells ---- */

#define TEMPLATE_ROWS   2000 /* the rows the drop-downs cover (the import's own limit) */
#define INLINE_LIST_MAX 255  /* Excel's limit of an inline list, in characters with commas */

/* Column letters of a 0-based column ("A", "AB"). */
static const char *col_name(struct arena *a, lxw_col_t col) {
    char buf[8], *p = buf + sizeof buf - 1;
    *p = 0;
    unsigned n = (unsigned)col + 1;
    while (n && p > buf) {
        *--p = (char)('A' + (n - 1) % 26);
        n = (n - 1) / 26;
    }
    return arena_strdup(a, p);
}

/* The labels a template column offers, NULL-terminated (arena), or NULL when it offers none:
 * an enum's options (the dictionary's enabled items when the field names one), 是/否. */
static const char **template_choices(struct entity_ctx *c, const struct field *f, int *n) {
    *n = 0;
    if (f->flags & F_MULTI) return NULL; /* several values in one cell: no drop-down */
    if (f->type == FT_BOOL) {
        static const char *yes_no[] = {"是", "否", NULL};
        *n = 2;
        return yes_no;
    }
    if (f->type != FT_ENUM) return NULL;
    int k = 0;
    const struct field_option *o = entity_field_options(c, f, FO_NEW, &k);
    const char **out = arena_alloc(c->arena, sizeof(*out) * (size_t)(k + 1));
    for (int i = 0; i < k; i++)
        out[(*n)++] = o[i].zh;
    out[*n] = NULL;
    return out;
}

static size_t choices_chars(const char *const *v) {
    size_t len = 0;
    for (int i = 0; v[i]; i++)
        len += strlen(v[i]) + 1;
    return len;
}

/* The note on a column's header: required or not, the hint, how to fill it in. */
static const char *template_note(struct arena *a, const struct field *f, int has_list) {
    const char *note = f->flags & F_REQUIRED ? "必填。" : "选填。";
    if (f->hint) note = arena_printf(a, "%s%s。", note, f->hint);
    if (f->type == FT_DATE) note = arena_printf(a, "%s日期格式 YYYY-MM-DD。", note);
    if (f->type == FT_UNIT && (f->flags & F_MULTI))
        note = arena_printf(a, "%s多个单位用“、”分隔，名称见“单位名称”表。", note);
    else if (f->type == FT_UNIT)
        note = arena_printf(a, "%s从下拉列表选择单位（名称、简称或编码均可）。", note);
    else if (f->flags & F_MULTI)
        note = arena_printf(a, "%s多个值用“、”分隔。", note);
    else if (has_list)
        note = arena_printf(a, "%s从下拉列表选择。", note);
    if ((f->type == FT_TEXT || f->type == FT_LONGTEXT) && f->max > 0)
        note = arena_printf(a, "%s最多 %lld 个字。", note, (long long)f->max);
    return note;
}

/* Make the data validation just added a list from the range `ref` ("='sheet'!$A$2:$A$9").
 * libxlsxwriter before 1.1.5 copies a LIST_FORMULA's formula twice and leaks one copy per
 * validation (upstream 5c5b3046), so the template adds an inline list and then points the copy
 * it keeps at the range (the copy's formula is freed with the worksheet). */
static void list_from_range(lxw_worksheet *ws, const char *ref) {
    lxw_data_val_obj *last = NULL, *v;
    STAILQ_FOREACH(v, ws->data_validations, list_pointers) {
        last = v;
    }
    char *f = last ? strdup(ref[0] == '=' ? ref + 1 : ref) : NULL;
    if (!f) return; /* out of memory: the placeholder list stays */
    free(last->value_formula);
    last->value_formula = f;
}

/* A drop-down on rows 2…TEMPLATE_ROWS+1 of column col: inline when short, else the range
 * `ref` (a hidden sheet's column). */
static void template_list(lxw_worksheet *ws, lxw_col_t col, const char **inline_list,
                          const char *ref, const char *title, const char *note) {
    static const char *placeholder[] = {"-", NULL};
    lxw_data_validation dv = {0};
    dv.validate = LXW_VALIDATION_TYPE_LIST;
    dv.value_list = (char **)(inline_list ? inline_list : placeholder);
    dv.ignore_blank = LXW_VALIDATION_ON;
    dv.show_input = LXW_VALIDATION_ON;
    dv.input_title = (char *)title;
    dv.input_message = (char *)note;
    dv.show_error = LXW_VALIDATION_ON;
    dv.error_type = LXW_VALIDATION_ERROR_TYPE_STOP;
    dv.error_title = (char *)title;
    dv.error_message = "请从下拉列表中选择";
    if (worksheet_data_validation_range(ws, 1, col, TEMPLATE_ROWS, col, &dv) == LXW_NO_ERROR &&
        !inline_list)
        list_from_range(ws, ref);
}

/* Excel caps an input title at 32 characters and a message at 255: cut in characters. */
static const char *utf8_cut(struct arena *a, const char *s, size_t max_chars) {
    size_t i = 0, chars = 0;
    while (s[i] && chars < max_chars) {
        i++;
        while ((s[i] & 0xC0) == 0x80)
            i++;
        chars++;
    }
    return arena_printf(a, "%.*s", (int)i, s);
}

void entity_template_route(struct req *r) {
    const struct entity *e = ent_of(r);
    struct entity_ctx c;
    if (entity_ctx_or_reply(r, e, EP_GET, &c)) return;
    int rc = DB_OK;
    struct entity_unit_labels *units =
        has_unit_import(e) ? entity_unit_labels_load(r->db, r->arena, &rc) : NULL;
    if (rc != DB_OK) {
        db_fail_reply(r, rc);
        return;
    }
    char *path;
    lxw_workbook *wb = workbook_or_reply(r, &path);
    if (!wb) return;
    lxw_worksheet *ws = workbook_add_worksheet(wb, arena_printf(r->arena, "%s导入", e->zh));
    lxw_worksheet *us = units ? workbook_add_worksheet(wb, "单位名称") : NULL;
    lxw_worksheet *lists = NULL; /* hidden: lists too long for an inline drop-down */
    lxw_col_t list_col = 0;
    lxw_format *hdr = workbook_add_format(wb);
    format_set_bold(hdr);
    format_set_bg_color(hdr, 0xDDEBF7);
    format_set_border(hdr, LXW_BORDER_THIN);
    size_t n_units = units ? json_array_size(entity_unit_label_rows(units)) : 0;
    lxw_col_t col = 0;
    for (int i = 0; i < e->n_fields; i++) {
        const struct field *f = &e->fields[i];
        if (!(f->flags & F_IMPORT)) continue;
        worksheet_write_string(
            ws, 0, col, f->flags & F_REQUIRED ? arena_printf(r->arena, "%s*", f->zh) : f->zh, hdr);
        if (e->import_example && e->import_example[col])
            worksheet_write_string(ws, 1, col, e->import_example[col], NULL);
        worksheet_set_column(ws, col, col, width_of(f) < 16 ? 16 : width_of(f), NULL);
        int n = 0;
        const char **choices = template_choices(&c, f, &n);
        int unit_list = f->type == FT_UNIT && !(f->flags & F_MULTI) && n_units > 0;
        const char *note = template_note(r->arena, f, choices || unit_list);
        worksheet_write_comment(ws, 0, col, note);
        const char *title = utf8_cut(r->arena, f->zh, 30), *msg = utf8_cut(r->arena, note, 250);
        if (unit_list) {
            template_list(ws, col, NULL,
                          arena_printf(r->arena, "='单位名称'!$A$2:$A$%zu", n_units + 1), title,
                          msg);
        } else if (choices && n > 0 && choices_chars(choices) <= INLINE_LIST_MAX) {
            template_list(ws, col, choices, NULL, title, msg);
        } else if (choices && n > 0) {
            if (!lists) lists = workbook_add_worksheet(wb, "下拉选项");
            for (int k = 0; k < n; k++)
                worksheet_write_string(lists, (lxw_row_t)k, list_col, choices[k], NULL);
            const char *cn = col_name(r->arena, list_col++);
            template_list(ws, col, NULL,
                          arena_printf(r->arena, "='下拉选项'!$%s$1:$%s$%d", cn, cn, n), title,
                          msg);
        }
        col++;
    }
    if (e->parties) { /* the first party: name, ID number (kept as text), phone */
        static const char *const heads[3] = {ENTITY_PARTY_COL_NAME, ENTITY_PARTY_COL_ID,
                                             ENTITY_PARTY_COL_PHONE};
        static const char *const notes[3] = {"当事人姓名（身份为第一种身份）",
                                             "18 位居民身份证号码，末位可为 X；请以文本格式填写",
                                             "当事人联系电话"};
        lxw_format *text = workbook_add_format(wb);
        format_set_num_format(text, "@");
        for (int k = 0; k < 3; k++, col++) {
            worksheet_write_string(
                ws, 0, col,
                k == 0 && e->parties->min > 0 ? arena_printf(r->arena, "%s*", heads[k]) : heads[k],
                hdr);
            worksheet_set_column(ws, col, col, k == 1 ? 24 : 16, k ? text : NULL);
            worksheet_write_comment(ws, 0, col, notes[k]);
        }
    }
    if (lists) worksheet_hide(lists);
    if (us) {
        worksheet_write_string(us, 0, 0, "单位名称", hdr);
        worksheet_write_string(us, 0, 1, "简称", hdr);
        worksheet_write_string(us, 0, 2, "编码", hdr);
        worksheet_set_column(us, 0, 2, 28, NULL);
        size_t i;
        json_t *u;
        json_array_foreach(entity_unit_label_rows(units), i, u) {
            for (int k = 0; k < 3; k++)
                worksheet_write_string(us, (lxw_row_t)(i + 1), (lxw_col_t)k,
                                       json_string_value(json_array_get(u, (size_t)k)), NULL);
        }
    }
    if (workbook_close(wb) != LXW_NO_ERROR) {
        unlink(path);
        reply_error(r, ERR_INTERNAL, NULL);
        return;
    }
    reply_file(r, path, arena_printf(r->arena, "%s-import-template.xlsx", stem(e)),
               arena_printf(r->arena, "%s导入模板.xlsx", e->zh));
}

/* ---- import ---- */

static void json_free(void *p) {
    json_decref(p);
}

/* The values given beside `rows` (e.g. the document every imported task belongs to): the
 * F_CREATE fields that are no import column, checked once, added to every row. */
static json_t *import_defaults(const struct entity *e, json_t *body, struct problems *pr) {
    json_t *out = json_object();
    for (int i = 0; i < e->n_fields; i++) {
        const struct field *f = &e->fields[i];
        if (!(f->flags & F_CREATE) || (f->flags & (F_IMPORT | F_READONLY))) continue;
        json_t *v = json_object_get(body, f->name);
        if (!v || json_is_null(v)) continue;
        json_t *ok = field_value_check(f, v, pr);
        if (ok) json_object_set_new(out, f->name, ok);
    }
    return out;
}

/* A problem of the first party (parties[0].id_no) names its import column. */
static const char *party_column(const char *field, int key) {
    if (strncmp(field, "parties", 7)) return NULL;
    const char *dot = strrchr(field, '.');
    if (dot && !strcmp(dot, ".id_no")) return key ? "party_id_no" : ENTITY_PARTY_COL_ID;
    if (dot && !strcmp(dot, ".phone")) return key ? "party_phone" : ENTITY_PARTY_COL_PHONE;
    return key ? "party_name" : ENTITY_PARTY_COL_NAME;
}

static const char *import_key_of(const struct entity *e, const char *field) {
    if (e->parties && party_column(field, 1)) return party_column(field, 1);
    const struct field *f = entity_field(e, field);
    return f && (f->flags & F_IMPORT) ? field_import_key(f) : field;
}

static const char *import_column_of(const struct entity *e, const char *field) {
    if (e->parties && party_column(field, 0)) return party_column(field, 0);
    const struct field *f = entity_field(e, field);
    return f ? f->zh : "";
}

/* How an import treats likely duplicates (the declaration's duplicate_key): asked, skipped or
 * imported anyway. */
enum import_dups { DUPS_ASK, DUPS_SKIP, DUPS_ALLOW };

static int import_dups_of(json_t *body, enum import_dups *out, struct problems *pr) {
    json_t *v = json_object_get(body, "duplicates");
    *out = DUPS_ASK;
    if (!v || json_is_null(v)) return 0;
    const char *s = json_string_value(v);
    if (s && !strcmp(s, "skip"))
        *out = DUPS_SKIP;
    else if (s && !strcmp(s, "allow"))
        *out = DUPS_ALLOW;
    else
        problem_add(pr, "duplicates", "须为 skip 或 allow", "Must be skip or allow");
    return 0;
}

/* POST {path}/import: every cell of every row is checked (the declaration, then its validate
 * hook, which sees every row even when a cell failed) and every problem is answered at once —
 * row, column, message — up to IMPORT_ERRORS_MAX. With "preview": true nothing is written: the
 * answer lists the problems and the likely duplicates (the web shows them before the user
 * commits). Otherwise all or nothing: any problem answers 400 and writes nothing; likely
 * duplicates answer 409 import_duplicates unless "duplicates" says skip or allow. */
void entity_import_route(struct req *r) {
    const struct entity *e = ent_of(r);
    json_t *body;
    struct entity_ctx c;
    if (req_json_or_reply(r, &body) || entity_ctx_or_reply(r, e, EP_GET, &c)) return;
    int max = e->import_max ? e->import_max : IMPORT_MAX_ROWS;
    json_t *rows = json_object_get(body, "rows");
    struct problems top = {.arena = r->arena};
    if (!json_is_array(rows) || json_array_size(rows) == 0)
        problem_add(&top, "rows", "请提供要导入的行", "Give the rows to import");
    else if ((int)json_array_size(rows) > max)
        problem_add(&top, "rows", arena_printf(r->arena, "一次最多导入 %d 行", max),
                    arena_printf(r->arena, "At most %d rows at once", max));
    json_t *pv = json_object_get(body, "preview");
    if (pv && !json_is_boolean(pv) && !json_is_null(pv))
        problem_add(&top, "preview", "须为 true 或 false", "Must be true or false");
    int preview = json_is_true(pv);
    enum import_dups dups;
    import_dups_of(body, &dups, &top);
    json_t *defaults = import_defaults(e, body, &top);
    arena_on_free(r->arena, json_free, defaults);
    if (top.n) {
        entity_reply_problems(r, &top);
        return;
    }
    int rc = DB_OK;
    struct entity_unit_labels *units =
        has_unit_import(e) ? entity_unit_labels_load(r->db, r->arena, &rc) : NULL;
    if (rc != DB_OK) {
        db_fail_reply(r, rc);
        return;
    }
    json_t *checked = json_array(), *errors = json_array(), *parties = json_array();
    arena_on_free(r->arena, json_free, parties);
    arena_on_free(r->arena, json_free, checked);
    arena_on_free(r->arena, json_free, errors);
    size_t i, bad = 0, valid = 0;
    json_t *row;
    json_array_foreach(rows, i, row) {
        int line = (int)i + 2; /* the sheet's row number: row 1 is the header */
        struct problems pr = {.arena = r->arena};
        json_t *in = NULL;
        if (!json_is_object(row)) {
            problem_add(&pr, "", "行格式无效", "Invalid row");
            json_array_append_new(parties, json_null());
        } else {
            json_t *cells =
                entity_import_row(entity_resolved(&c, FO_NEW), units, r->arena, row, &pr);
            json_object_update(cells, defaults);
            if (e->parties) /* the first party from its three columns */
                json_object_set_new(cells, "parties",
                                    entity_parties_import_row(r->arena, e->parties, row));
            struct entity_write w = {.c = &c, .actor = &r->actor, .pr = &pr, .importing = 1};
            in = entity_input_check(&w, cells, FV_CREATE, &rc);
            json_decref(cells);
            json_array_append(parties, w.parties ? w.parties : json_null());
            if (rc < 0) {
                db_fail_reply(r, rc);
                return;
            }
        }
        bad += (size_t)pr.n;
        for (int k = 0; k < pr.n && json_array_size(errors) < IMPORT_ERRORS_MAX; k++)
            json_array_append_new(errors, json_pack("{s:i,s:s,s:s,s:s}", "row", line, "field",
                                                    import_key_of(e, pr.p[k].field), "column",
                                                    import_column_of(e, pr.p[k].field), "message",
                                                    tr(r, pr.p[k].zh, pr.p[k].en)));
        valid += !pr.n && in;
        json_array_append(checked, pr.n || !in ? json_null() : in);
    }
    size_t n = json_array_size(checked);
    int64_t *dup = arena_alloc(r->arena, (n ? n : 1) * sizeof(int64_t));
    if ((rc = entity_duplicates(&c, checked, dup)) != DB_OK) {
        db_fail_reply(r, rc);
        return;
    }
    json_t *dlist = json_array();
    arena_on_free(r->arena, json_free, dlist);
    for (i = 0; i < n; i++)
        if (dup[i])
            json_array_append_new(
                dlist, json_pack("{s:i,s:o,s:o}", "row", (int)i + 2, "existing_id",
                                 dup[i] > 0 ? json_integer(dup[i]) : json_null(), "same_as_row",
                                 dup[i] < 0 ? json_integer(-dup[i] - 1 + 2) : json_null()));
    int truncated = bad > json_array_size(errors);
    if (preview) {
        reply_json(r, 200,
                   json_pack("{s:I,s:I,s:I,s:O,s:b,s:O}", "rows", (json_int_t)n, "valid",
                             (json_int_t)valid, "error_count", (json_int_t)bad, "errors", errors,
                             "truncated", truncated, "duplicates", dlist));
        return;
    }
    if (bad) {
        json_t *f = json_pack("{s:O,s:b,s:I}", "rows", errors, "truncated", truncated, "count",
                              (json_int_t)bad);
        reply_error_with(
            r, ERR_INVALID,
            truncated
                ? arena_printf(r->arena,
                               "有 %zu 处错误（只列出前 %d 处），未导入任何%s，请修改后重新导入",
                               bad, IMPORT_ERRORS_MAX, e->zh)
                : arena_printf(r->arena, "有 %zu 处错误，未导入任何%s，请修改后重新导入", bad,
                               e->zh),
            truncated
                ? arena_printf(r->arena, "%zu problems (the first %d listed); nothing was imported",
                               bad, IMPORT_ERRORS_MAX)
                : arena_printf(r->arena, "%zu problems; nothing was imported", bad),
            f);
        return;
    }
    if (json_array_size(dlist) && dups == DUPS_ASK) {
        reply_error(r, ERR_IMPORT_DUPLICATES, json_pack("{s:O}", "duplicates", dlist));
        return;
    }
    if (tx_begin_or_reply(r)) return;
    json_t *ids = json_array(), *details = json_array();
    arena_on_free(r->arena, json_free, ids);
    size_t skipped = 0;
    arena_on_free(r->arena, json_free, details);
    json_array_foreach(checked, i, row) {
        if (dup[i] && dups == DUPS_SKIP) {
            skipped++;
            continue;
        }
        struct problems pr = {.arena = r->arena};
        json_t *pp = json_array_get(parties, i);
        struct entity_write w = {.c = &c,
                                 .actor = &r->actor,
                                 .pr = &pr,
                                 .in = row,
                                 .importing = 1,
                                 .parties = json_is_array(pp) ? pp : NULL};
        int wrc = entity_create(&w);
        if (w.answer) json_array_append_new(details, w.answer);
        if (entity_write_or_reply(r, &w, wrc)) return;
        json_array_append_new(ids, json_integer(w.id));
    }
    json_t *detail = json_deep_copy(defaults);
    json_object_set_new(detail, "rows", json_integer((json_int_t)json_array_size(ids)));
    if (skipped)
        json_object_set_new(detail, "skipped_duplicates", json_integer((json_int_t)skipped));
    if (dups == DUPS_ALLOW && json_array_size(dlist))
        json_object_set_new(detail, "allowed_duplicates",
                            json_integer((json_int_t)json_array_size(dlist)));
    if (audit_or_reply(r,
                       arena_printf(r->arena, "%s.import", e->audit_type ? e->audit_type : e->name),
                       e->audit_type ? e->audit_type : e->name, 0, detail) ||
        tx_commit_or_reply(r))
        return;
    json_t *answer = json_pack("{s:I,s:O,s:I}", "created", (json_int_t)json_array_size(ids), "ids",
                               ids, "skipped", (json_int_t)skipped);
    if (json_array_size(details)) json_object_set(answer, "rows", details);
    reply_json(r, 201, answer);
}

/* ---- workbooks of a module's own (entity_http.h): the calendar's template, the audit log ---- */

lxw_workbook *xlsx_new_or_reply(struct req *r, char **path, int constant_memory) {
    *path = temp_path(r->arena);
    lxw_workbook_options opt = {.constant_memory = constant_memory ? LXW_TRUE : LXW_FALSE};
    const char *dir = getenv("TMPDIR");
    opt.tmpdir = (char *)(dir && *dir ? dir : "/tmp");
    lxw_workbook *wb = *path ? workbook_new_opt(*path, &opt) : NULL;
    if (!wb) {
        if (*path) unlink(*path);
        reply_error(r, ERR_INTERNAL, NULL);
    }
    return wb;
}

void xlsx_finish_reply(struct req *r, lxw_workbook *wb, const char *path, const char *ascii_name,
                       const char *utf8_name) {
    lxw_error err = workbook_close(wb);
    if (err != LXW_NO_ERROR) {
        log_error("xlsx failed: %s", lxw_strerror(err));
        unlink(path);
        reply_error(r, ERR_INTERNAL, NULL);
        return;
    }
    reply_file(r, path, ascii_name, utf8_name);
}

void xlsx_list_column(lxw_worksheet *ws, lxw_col_t col, const char **list, const char *title,
                      const char *note) {
    template_list(ws, col, list, NULL, title, note);
}
