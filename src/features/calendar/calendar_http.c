/* calendar_http.c — the working-day calendar API (工作日历): read a year, compute deadlines,
 * change one exception, import a year. */
#include <stdio.h>
#include <string.h>
#include <xlsxwriter.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/timeutil.h"
#include "features/calendar/calendar.h"
#include "features/calendar/calendar_http.h"
#include "features/entity/entity_http.h"
#include "http/http.h"
#include "store/settings.h"

#define COMPUTE_ADD_MAX  1000       /* working days one computation may add */
#define COMPUTE_SPAN_MAX (366 * 10) /* calendar days one count may span */

static int field_error_or_reply(struct req *r, const char *key, const char *zh, const char *en) {
    json_t *f = json_object();
    json_object_set_new(f, key, json_string(tr(r, zh, en)));
    reply_error(r, ERR_INVALID, f);
    return -1;
}

static int year_or_reply(struct req *r, int *year) {
    int64_t y = 0;
    int present = 0;
    if (req_query_int_or_reply(r, "year", 1900, 9999, &y, &present)) return -1;
    if (!present) {
        char today[11];
        date_format(date_today(), today);
        y = (today[0] - '0') * 1000 + (today[1] - '0') * 100 + (today[2] - '0') * 10 +
            (today[3] - '0');
    }
    *year = (int)y;
    return 0;
}

static int query_date_or_reply(struct req *r, const char *name, int required, int32_t *day,
                               int *present) {
    const char *s = req_query(r, name);
    *present = s && *s;
    if (!*present) {
        if (required) return field_error_or_reply(r, name, "必填", "Required");
        return 0;
    }
    if (date_parse(s, day))
        return field_error_or_reply(r, name, "日期无效（格式 YYYY-MM-DD）",
                                    "Invalid date (YYYY-MM-DD)");
    return 0;
}

static void reply_year(struct req *r, int status, int year) {
    json_t *items = calendar_year_json(r->db, year);
    if (!items) {
        db_fail_reply(r, DB_ERROR);
        return;
    }
    reply_json(r, status, json_pack("{s:i,s:o}", "year", year, "items", items));
}

void calendar_get(struct req *r) {
    int year;
    if (year_or_reply(r, &year)) return;
    reply_year(r, 200, year);
}

/* The years that have a calendar (the task form warns of a deadline in another one). */
void calendar_years(struct req *r) {
    json_t *years = calendar_years_json(r->db);
    if (!years) {
        db_fail_reply(r, DB_ERROR);
        return;
    }
    reply_json(r, 200, json_pack("{s:o}", "years", years));
}

/* from + days 日 with the end rule (base/clock.c), explained. */
static void compute_days(struct req *r, int32_t from, int days) {
    struct clock_spec s = {.start = from, .period = days, .unit = CLOCK_DAYS};
    int32_t lo, hi;
    clock_span(&s, from, &lo, &hi);
    struct calendar *c;
    struct clock_result res;
    int rc = calendar_load(r->db, r->arena, lo, hi, &c);
    if (rc != DB_OK) {
        db_fail_reply(r, rc);
        return;
    }
    if (clock_compute(c, r->arena, &s, from, r->lang, &res) != 0) {
        db_fail_reply(r, DB_ERROR);
        return;
    }
    char f[11], d[11], last[11];
    date_format(from, f);
    date_format(res.due, d);
    date_format(from + days, last); /* nothing is suspended here: the last counted day */
    reply_json(r, 200,
               json_pack("{s:s,s:i,s:s,s:s,s:s}", "from", f, "days", days, "date", d, "last_day",
                         last, "explanation", res.explain));
}

void calendar_compute(struct req *r) {
    int32_t from, to = 0;
    int has_from, has_to, has_add, has_days;
    int64_t add = 0, days = 0;
    if (query_date_or_reply(r, "from", 1, &from, &has_from) ||
        query_date_or_reply(r, "to", 0, &to, &has_to) ||
        req_query_int_or_reply(r, "add", 0, COMPUTE_ADD_MAX, &add, &has_add) ||
        req_query_int_or_reply(r, "days", 0, CLOCK_PERIOD_MAX, &days, &has_days))
        return;
    if (has_to + has_add + has_days != 1) {
        field_error_or_reply(r, has_days ? "days" : "add", "须给出 add、days 或 to 之一",
                             "Give one of add, days and to");
        return;
    }
    if (has_days) {
        compute_days(r, from, (int)days);
        return;
    }
    if (has_to && (to - from > COMPUTE_SPAN_MAX || from - to > COMPUTE_SPAN_MAX)) {
        field_error_or_reply(r, "to", "日期跨度过大（最多 10 年）",
                             "The span is too long (at most 10 years)");
        return;
    }
    int32_t last = has_to ? (to > from ? to : from) : from + 2 * (int32_t)add + 60;
    struct calendar *c;
    int rc = calendar_load(r->db, r->arena, from - 1, last, &c);
    if (rc != DB_OK) {
        db_fail_reply(r, rc);
        return;
    }
    char f[11], d[11];
    date_format(from, f);
    if (has_add) {
        date_format(calendar_add_workdays(c, from, (int)add), d);
        reply_json(r, 200,
                   json_pack("{s:s,s:I,s:s,s:s}", "from", f, "add", (json_int_t)add, "date", d,
                             "explanation",
                             calendar_explain_add(c, r->arena, from, (int)add, r->lang)));
    } else {
        date_format(to, d);
        reply_json(r, 200,
                   json_pack("{s:s,s:s,s:i,s:s}", "from", f, "to", d, "working_days",
                             calendar_count_workdays(c, from, to), "explanation",
                             calendar_explain_count(c, r->arena, from, to, r->lang)));
    }
}

/* The :date path parameter, normalised. */
static int path_date_or_reply(struct req *r, int32_t *day, char out[11]) {
    if (!r->params[0] || date_parse(r->params[0], day))
        return field_error_or_reply(r, "date", "日期无效（格式 YYYY-MM-DD）",
                                    "Invalid date (YYYY-MM-DD)");
    date_format(*day, out);
    return 0;
}

static json_t *day_json(struct req *r, const char *date) {
    struct db_stmt *st =
        db_queryv(r->db,
                  "SELECT day AS date, kind, name, created_at, updated_at, version "
                  "FROM calendar_days WHERE day = ?",
                  "s", date);
    int rc = st ? db_step(st) : DB_ERROR;
    json_t *j = rc == DB_ROW ? db_row_json(st) : NULL;
    db_done(st);
    return j;
}

void calendar_day_put(struct req *r) {
    int32_t day;
    char date[11];
    json_t *body;
    if (path_date_or_reply(r, &day, date) || req_json_or_reply(r, &body)) return;
    struct form f;
    form_init(&f, r, body);
    const char *kind_text = form_text(&f, "kind", 1, 1, 10);
    const char *name = form_text(&f, "name", 0, 0, CALENDAR_NAME_MAX);
    int has_version = form_has(&f, "version");
    int64_t version = has_version ? form_version(&f) : 0;
    const char *kind = kind_text ? calendar_kind_parse(kind_text) : NULL;
    if (kind_text && !kind)
        form_error(&f, "kind", "类型须为 holiday 或 workday", "Kind must be holiday or workday");
    const char *why = kind ? calendar_entry_problem(day, kind, r->lang) : NULL;
    if (why) form_error(&f, "kind", why, why);
    if (form_ok_or_reply(&f)) return;
    if (tx_begin_or_reply(r)) return;
    int64_t current = 0;
    int rc =
        db_query_int(r->db, &current, "SELECT version FROM calendar_days WHERE day = ?", "s", date);
    if (rc < 0) {
        db_fail_reply(r, rc);
        return;
    }
    int exists = rc == DB_ROW;
    if (exists && !has_version) {
        db_rollback(r->db);
        field_error_or_reply(r, "version", "该日期已有设置，须提交 version",
                             "This date exists; send its version");
        return;
    }
    if (exists != has_version || (exists && version != current)) { /* changed or removed */
        db_rollback(r->db);
        reply_error(r, ERR_STALE_VERSION, NULL);
        return;
    }
    char now[21];
    now_iso(now);
    if (exists)
        rc = db_exec(r->db,
                     "UPDATE calendar_days SET kind = ?, name = ?, updated_at = ?, "
                     "version = version + 1 WHERE day = ? AND version = ?",
                     "ssssi", kind, name, now, date, version);
    else
        rc = db_exec(r->db,
                     "INSERT INTO calendar_days (day, kind, name, created_at, updated_at, "
                     "version) VALUES (?, ?, ?, ?, ?, 1)",
                     "sssss", date, kind, name, now, now);
    if (rc == DB_OK) rc = calendar_changed(r->db, day, day);
    if (rc != DB_OK) {
        db_fail_reply(r, rc);
        return;
    }
    if (audit_key_or_reply(
            r, "calendar.update", "calendar_day", date,
            json_pack("{s:s,s:s,s:b}", "kind", kind, "name", name, "created", !exists)))
        return;
    if (tx_commit_or_reply(r)) return;
    settings_invalidate();  /* deadlines computed from the calendar change too */
    calendar_settle(r->db); /* and the stored clocks' due dates, in batches */
    json_t *j = day_json(r, date);
    if (j)
        reply_json(r, exists ? 200 : 201, j);
    else
        db_fail_reply(r, DB_ERROR);
}

void calendar_day_delete(struct req *r) {
    int32_t day;
    char date[11];
    int64_t version = 0;
    int present = 0;
    if (path_date_or_reply(r, &day, date) ||
        req_query_int_or_reply(r, "version", 1, INT64_MAX / 2, &version, &present))
        return;
    if (!present) {
        field_error_or_reply(r, "version", "必填", "Required");
        return;
    }
    if (tx_begin_or_reply(r)) return;
    int64_t current = 0;
    int rc =
        db_query_int(r->db, &current, "SELECT version FROM calendar_days WHERE day = ?", "s", date);
    if (rc < 0) {
        db_fail_reply(r, rc);
        return;
    }
    if (rc != DB_ROW || current != version) {
        db_rollback(r->db);
        reply_error(r, rc == DB_ROW ? ERR_STALE_VERSION : ERR_NOT_FOUND, NULL);
        return;
    }
    rc = db_exec(r->db, "DELETE FROM calendar_days WHERE day = ? AND version = ?", "si", date,
                 version);
    if (rc == DB_OK) rc = calendar_changed(r->db, day, day);
    if (rc != DB_OK) {
        db_fail_reply(r, rc);
        return;
    }
    if (audit_key_or_reply(r, "calendar.delete", "calendar_day", date,
                           json_pack("{s:I}", "version", (json_int_t)version)))
        return;
    if (tx_commit_or_reply(r)) return;
    settings_invalidate();  /* deadlines computed from the calendar change too */
    calendar_settle(r->db); /* and the stored clocks' due dates, in batches */
    reply_ok(r);
}

/* An XLSX import's rows ({date, kind, name} cells as the sheet has them) as the CSV text the
 * one import reader takes: the same checks and the same row numbers (header = row 1). NULL with
 * a form error when the rows are not that. */
static const char *rows_csv(struct req *r, struct form *f, json_t *rows) {
    static const char *const keys[3] = {"date", "kind", "name"};
    if (!json_is_array(rows) || json_array_size(rows) == 0 ||
        json_array_size(rows) > CALENDAR_ROWS_MAX) {
        form_error(f, "rows", "须为 1 到 400 行", "Give 1 to 400 rows");
        return NULL;
    }
    struct buf b;
    buf_init(&b, r->arena, 4096);
    buf_puts(&b, "date,kind,name\n");
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        for (int k = 0; k < 3; k++) {
            json_t *v = json_is_object(row) ? json_object_get(row, keys[k]) : NULL;
            const char *s = json_is_string(v) ? json_string_value(v) : "";
            if ((v && !json_is_string(v) && !json_is_null(v)) || strlen(s) > 300 ||
                (json_is_string(v) && strlen(s) != json_string_length(v)) || strpbrk(s, "\r\n")) {
                form_error(f, "rows", "每格须为一行不超过 100 字的文本",
                           "Every cell must be one line of at most 100 characters");
                return NULL;
            }
            buf_add(&b, "\"", 1);
            for (const char *p = s; *p; p++) /* RFC 4180: a quote doubled */
                buf_add(&b, *p == '"' ? "\"\"" : p, *p == '"' ? 2 : 1);
            buf_puts(&b, k < 2 ? "\"," : "\"\n");
        }
    }
    return b.data;
}

void calendar_import(struct req *r) {
    json_t *body;
    if (req_json_or_reply(r, &body)) return;
    struct form f;
    form_init(&f, r, body);
    int year = (int)form_int(&f, "year", 1, 1900, 9999, 0);
    json_t *csv = json_object_get(body, "csv"), *rows_in = json_object_get(body, "rows");
    const char *text = NULL;
    if (rows_in && !csv)
        text = rows_csv(r, &f, rows_in); /* the XLSX template's rows */
    else if (!json_is_string(csv))
        form_error(&f, "csv", "必填", "Required");
    else if (json_string_length(csv) > CALENDAR_CSV_MAX ||
             memchr(json_string_value(csv), 0, json_string_length(csv)))
        form_error(&f, "csv", "内容过长或包含非法字符", "Too long or contains invalid characters");
    else
        text = json_string_value(csv);
    if (form_ok_or_reply(&f)) return;
    struct calendar_entry *rows;
    int n;
    json_t *errors = json_array();
    calendar_csv_parse(r->arena, year, text, r->lang, &rows, &n, errors);
    if (json_array_size(errors)) {
        reply_error(r, ERR_INVALID, json_pack("{s:o}", "rows", errors));
        return;
    }
    json_decref(errors);
    int holidays = 0;
    for (int i = 0; i < n; i++)
        holidays += !strcmp(rows[i].kind, "holiday");
    if (tx_begin_or_reply(r)) return;
    int rc = calendar_replace_year(r->db, year, rows, n);
    if (rc != DB_OK) {
        db_fail_reply(r, rc);
        return;
    }
    char key[8];
    snprintf(key, sizeof key, "%d", year);
    if (audit_key_or_reply(r, "calendar.import", "calendar", key,
                           json_pack("{s:i,s:i,s:i}", "year", year, "holidays", holidays,
                                     "workdays", n - holidays)))
        return;
    if (tx_commit_or_reply(r)) return;
    settings_invalidate();  /* deadlines computed from the calendar change too */
    calendar_settle(r->db); /* and the stored clocks' due dates, in batches */
    reply_year(r, 200, year);
}

/* GET /api/v1/calendar/import-template.xlsx?year=: 日期 / 类型 (a 休/班 drop-down) / 名称, filled
 * with the year's exceptions as they are (or an example), to be edited and imported again. */
void calendar_template(struct req *r) {
    int year;
    if (year_or_reply(r, &year)) return;
    json_t *items = calendar_year_json(r->db, year);
    if (!items) {
        db_fail_reply(r, DB_ERROR);
        return;
    }
    char *path;
    lxw_workbook *wb = xlsx_new_or_reply(r, &path, 0);
    if (!wb) {
        json_decref(items);
        return;
    }
    lxw_worksheet *ws = workbook_add_worksheet(wb, arena_printf(r->arena, "%d年工作日历", year));
    lxw_format *hdr = workbook_add_format(wb), *text = workbook_add_format(wb);
    format_set_bold(hdr);
    format_set_bg_color(hdr, 0xDDEBF7);
    format_set_border(hdr, LXW_BORDER_THIN);
    format_set_num_format(text, "@"); /* dates stay text: Excel keeps 2026-10-01 as typed */
    static const char *const heads[3] = {"日期*", "类型*", "名称"};
    static const char *const notes[3] = {
        "必填。格式 YYYY-MM-DD，须在导入的年份内，不能重复。",
        "必填。从下拉列表选择：休（放假）或 班（调休上班）。",
        "选填。如 国庆节、国庆节调休。",
    };
    for (int k = 0; k < 3; k++) {
        worksheet_write_string(ws, 0, (lxw_col_t)k, heads[k], hdr);
        worksheet_write_comment(ws, 0, (lxw_col_t)k, notes[k]);
    }
    worksheet_set_column(ws, 0, 0, 14, text);
    worksheet_set_column(ws, 1, 1, 10, NULL);
    worksheet_set_column(ws, 2, 2, 24, NULL);
    static const char *kinds[] = {"休", "班", NULL};
    xlsx_list_column(ws, 1, kinds, "类型", notes[1]);
    size_t i;
    json_t *d;
    json_array_foreach(items, i, d) {
        const char *kind = json_string_value(json_object_get(d, "kind"));
        worksheet_write_string(ws, (lxw_row_t)(i + 1), 0,
                               json_string_value(json_object_get(d, "date")), text);
        worksheet_write_string(ws, (lxw_row_t)(i + 1), 1,
                               kind && !strcmp(kind, "workday") ? "班" : "休", NULL);
        const char *name = json_string_value(json_object_get(d, "name"));
        worksheet_write_string(ws, (lxw_row_t)(i + 1), 2, name ? name : "", NULL);
    }
    if (!json_array_size(items)) {
        worksheet_write_string(ws, 1, 0, arena_printf(r->arena, "%d-10-01", year), text);
        worksheet_write_string(ws, 1, 1, "休", NULL);
        worksheet_write_string(ws, 1, 2, "国庆节", NULL);
    }
    json_decref(items);
    xlsx_finish_reply(r, wb, path, arena_printf(r->arena, "calendar-%d-template.xlsx", year),
                      arena_printf(r->arena, "%d年工作日历导入模板.xlsx", year));
}
