/* calendar.c — calendar exceptions as data: year listing, CSV import, year replacement, demo. */
#include "features/calendar/calendar.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/csv.h"
#include "base/timeutil.h"
#include "features/notify/notify.h"

const char *calendar_kind_parse(const char *s) {
    if (!s) return NULL;
    if (!strcmp(s, "holiday") || !strcmp(s, "休")) return "holiday";
    if (!strcmp(s, "workday") || !strcmp(s, "班")) return "workday";
    return NULL;
}

const char *calendar_entry_problem(int32_t day, const char *kind, int lang) {
    if (!strcmp(kind, "workday") && date_weekday(day) <= 5)
        return lang ? "A make-up working day must be a Saturday or Sunday"
                    : "调休上班日须为周六或周日";
    return NULL;
}

static void year_bounds(int year, char from[11], char to[11]) {
    snprintf(from, 11, "%04d-01-01", year);
    snprintf(to, 11, "%04d-12-31", year);
}

json_t *calendar_year_json(struct db *db, int year) {
    char from[11], to[11];
    year_bounds(year, from, to);
    struct db_stmt *st = db_queryv(db,
                                   "SELECT day AS date, kind, name, version FROM calendar_days "
                                   "WHERE day >= ? AND day <= ? ORDER BY day",
                                   "ss", from, to);
    if (!st) return NULL;
    json_t *items = json_array();
    int rc = db_rows_json(st, items);
    db_done(st);
    if (rc != DB_OK) {
        json_decref(items);
        return NULL;
    }
    return items;
}

/* ---- CSV import ---- */

/* Bounds of the reader (base/csv.h) for an import: 3 columns are used; a few more are read so
 * that the answer can say "needs 3 columns" rather than stop at the first extra comma. */
static const struct csv_limits import_limits = {
    .input_max = CALENDAR_CSV_MAX,
    .field_max = 1024,                 /* bytes in a cell: a name is at most 50 characters */
    .fields_max = 16,                  /* cells in a row */
    .rows_max = 3 * CALENDAR_ROWS_MAX, /* rows read, blank ones included */
};

static const char *trimmed(struct arena *a, const char *s) {
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    return arena_strndup(a, s, n);
}

static void row_error(json_t *errors, int row, const char *zh, const char *en, int lang) {
    if (json_array_size(errors) >= CALENDAR_ERRORS_MAX) return;
    json_array_append_new(errors, json_pack("{s:i,s:s}", "row", row, "message", lang ? en : zh));
}

/* The reader stopped: one error naming the row and, when it is about a cell, the column. */
static void csv_error(json_t *errors, const struct csv_reader *rd, int rc, int lang) {
    char text[256];
    json_t *e = json_pack("{s:i,s:s}", "row", rd->row > 0 ? rd->row : 1, "message",
                          csv_describe(rd, rc, lang, text, sizeof text));
    if (rd->col > 0) json_object_set_new(e, "column", json_integer(rd->col));
    json_array_append_new(errors, e);
}

static int text_ok(const char *s) {
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7f) return 0;
    return 1;
}

static int utf8_len(const char *s) { /* characters, or -1 when not UTF-8 */
    int n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; n++) {
        int len = *p < 0x80         ? 1
                  : (*p >> 5) == 6  ? 2
                  : (*p >> 4) == 14 ? 3
                  : (*p >> 3) == 30 ? 4
                                    : 0;
        if (!len) return -1;
        for (int i = 1; i < len; i++)
            if ((p[i] & 0xC0) != 0x80) return -1;
        p += len;
    }
    return n;
}

void calendar_csv_parse(struct arena *a, int year, const char *csv, int lang,
                        struct calendar_entry **rows, int *n, json_t *errors) {
    *n = 0;
    *rows = arena_alloc(a, sizeof(**rows) * CALENDAR_ROWS_MAX);
    int first_row_of[366] = {0}; /* day of year → row that named it (duplicates) */
    int32_t jan1;
    char y1[11];
    snprintf(y1, sizeof y1, "%04d-01-01", year);
    if (date_parse(y1, &jan1)) {
        row_error(errors, 1, "年份无效", "Invalid year", lang);
        return;
    }
    struct csv_reader rd;
    csv_open(&rd, a, csv, strlen(csv), &import_limits);
    int header_seen = 0, nf, rc;
    const char *const *cell;
    while ((rc = csv_next(&rd, &nf, &cell)) == CSV_ROW) {
        int row = rd.row;
        const char *f[3] = {"", "", ""};
        int blank = 1;
        for (int i = 0; i < nf; i++) {
            if (i < 3) f[i] = trimmed(a, cell[i]);
            if (cell[i][strspn(cell[i], " \t")]) blank = 0;
        }
        if (blank && header_seen) continue; /* empty lines (a trailing newline) */
        if (!header_seen) {
            header_seen = 1;
            if (nf != 3 || strcasecmp(f[0], "date") || strcasecmp(f[1], "kind") ||
                strcasecmp(f[2], "name")) {
                row_error(errors, row, "首行须为表头 date,kind,name",
                          "The first row must be the header date,kind,name", lang);
                return;
            }
            continue;
        }
        if (*n >= CALENDAR_ROWS_MAX) {
            row_error(errors, row, "行数过多（最多 400 行）", "Too many rows (at most 400)", lang);
            return;
        }
        if (nf != 3) {
            row_error(errors, row, "须有 3 列：date,kind,name", "Needs 3 columns: date,kind,name",
                      lang);
            continue;
        }
        int32_t day;
        const char *kind = calendar_kind_parse(f[1]);
        if (date_parse(f[0], &day)) {
            row_error(errors, row, "日期无效（格式 YYYY-MM-DD）", "Invalid date (YYYY-MM-DD)",
                      lang);
            continue;
        }
        int doy = day - jan1;
        if (doy < 0 || doy > 365 || strncmp(f[0], y1, 4) != 0) {
            char zh[64], en[64];
            snprintf(zh, sizeof zh, "日期不在 %d 年内", year);
            snprintf(en, sizeof en, "The date is not in %d", year);
            row_error(errors, row, zh, en, lang);
            continue;
        }
        if (first_row_of[doy]) {
            char zh[64], en[64];
            snprintf(zh, sizeof zh, "日期重复（与第 %d 行）", first_row_of[doy]);
            snprintf(en, sizeof en, "Duplicate date (see row %d)", first_row_of[doy]);
            row_error(errors, row, zh, en, lang);
            continue;
        }
        first_row_of[doy] = row;
        if (!kind) {
            row_error(errors, row, "类型须为 holiday、workday、休 或 班",
                      "Kind must be holiday, workday, 休 or 班", lang);
            continue;
        }
        int nl = utf8_len(f[2]);
        if (nl < 0 || !text_ok(f[2]) || nl > CALENDAR_NAME_MAX) {
            row_error(errors, row, "名称无效或过长（最多 50 个字符）",
                      "Name invalid or too long (at most 50 characters)", lang);
            continue;
        }
        const char *why = calendar_entry_problem(day, kind, lang);
        if (why) {
            row_error(errors, row, why, why, lang);
            continue;
        }
        struct calendar_entry *e = &(*rows)[(*n)++];
        date_format(day, e->date);
        e->kind = kind;
        e->name = f[2];
    }
    if (rc < 0) {
        csv_error(errors, &rd, rc, lang);
        return;
    }
    if (!header_seen)
        row_error(errors, 1, "首行须为表头 date,kind,name",
                  "The first row must be the header date,kind,name", lang);
}

int calendar_replace_year(struct db *db, int year, const struct calendar_entry *rows, int n) {
    struct {
        char day[11];
        int64_t version;
        char created_at[21];
    } old[366];
    int n_old = 0;
    char from[11], to[11], now[21];
    year_bounds(year, from, to);
    now_iso(now);
    struct db_stmt *st = db_queryv(
        db, "SELECT day, version, created_at FROM calendar_days WHERE day >= ? AND day <= ?", "ss",
        from, to);
    if (!st) return DB_ERROR;
    int rc;
    while ((rc = db_step(st)) == DB_ROW && n_old < 366) {
        snprintf(old[n_old].day, sizeof old[n_old].day, "%s", db_col_text(st, 0));
        old[n_old].version = db_col_int(st, 1);
        snprintf(old[n_old].created_at, sizeof old[n_old].created_at, "%s", db_col_text(st, 2));
        n_old++;
    }
    db_done(st);
    if (rc < 0) return rc;
    rc = db_exec(db, "DELETE FROM calendar_days WHERE day >= ? AND day <= ?", "ss", from, to);
    for (int i = 0; i < n && rc == DB_OK; i++) {
        int64_t version = 1;
        const char *created = now;
        for (int k = 0; k < n_old; k++)
            if (!strcmp(old[k].day, rows[i].date)) {
                version = old[k].version + 1;
                created = old[k].created_at;
            }
        rc = db_exec(db,
                     "INSERT INTO calendar_days (day, kind, name, created_at, updated_at, version) "
                     "VALUES (?, ?, ?, ?, ?, ?)",
                     "sssssi", rows[i].date, rows[i].kind, rows[i].name ? rows[i].name : "",
                     created, now, version);
    }
    int32_t first, last;
    if (rc == DB_OK && date_parse(from, &first) == 0 && date_parse(to, &last) == 0)
        rc = calendar_changed(db, first, last); /* the clocks computed over the year */
    return rc;
}

/* ---- demo data ---- */

/* 国务院办公厅关于2026年部分节假日安排的通知 (published November 2025). Every day of each break
 * is listed as a holiday (weekend days too, so the explanation names the whole break), and each
 * make-up working day (调休上班) as a workday. Administrators should check these against the
 * published notice; they were entered as: 元旦 1-1..1-3, 1-4 (Sun) worked; 春节 2-15..2-23,
 * 2-14 (Sat) and 2-28 (Sat) worked; 清明节 4-4..4-6; 劳动节 5-1..5-5, 5-9 (Sat) worked;
 * 端午节 6-19..6-21; 中秋节 9-25..9-27; 国庆节 10-1..10-7, 9-20 (Sun) and 10-10 (Sat) worked. */
static const struct {
    const char *from, *to; /* inclusive */
    const char *kind;
    const char *name;
} demo_2026[] = {
    {"2026-01-01", "2026-01-03", "holiday", "元旦"},
    {"2026-01-04", "2026-01-04", "workday", "元旦调休"},
    {"2026-02-14", "2026-02-14", "workday", "春节调休"},
    {"2026-02-15", "2026-02-23", "holiday", "春节"},
    {"2026-02-28", "2026-02-28", "workday", "春节调休"},
    {"2026-04-04", "2026-04-06", "holiday", "清明节"},
    {"2026-05-01", "2026-05-05", "holiday", "劳动节"},
    {"2026-05-09", "2026-05-09", "workday", "劳动节调休"},
    {"2026-06-19", "2026-06-21", "holiday", "端午节"},
    {"2026-09-20", "2026-09-20", "workday", "国庆节调休"},
    {"2026-09-25", "2026-09-27", "holiday", "中秋节"},
    {"2026-10-01", "2026-10-07", "holiday", "国庆节"},
    {"2026-10-10", "2026-10-10", "workday", "国庆节调休"},
};

int calendar_seed_demo(struct db *db, const struct audit_actor *who) {
    struct calendar_entry rows[64];
    int n = 0, holidays = 0, workdays = 0;
    for (size_t i = 0; i < sizeof demo_2026 / sizeof demo_2026[0]; i++) {
        int32_t a, z;
        if (date_parse(demo_2026[i].from, &a) || date_parse(demo_2026[i].to, &z)) return DB_ERROR;
        for (int32_t d = a; d <= z && n < (int)(sizeof rows / sizeof rows[0]); d++) {
            date_format(d, rows[n].date);
            rows[n].kind = demo_2026[i].kind;
            rows[n].name = demo_2026[i].name;
            if (calendar_entry_problem(d, rows[n].kind, 0)) return DB_ERROR;
            holidays += !strcmp(rows[n].kind, "holiday");
            workdays += !strcmp(rows[n].kind, "workday");
            n++;
        }
    }
    int rc = calendar_replace_year(db, 2026, rows, n);
    if (rc != DB_OK) return rc;
    char detail[128];
    snprintf(detail, sizeof detail, "{\"year\":2026,\"holidays\":%d,\"workdays\":%d,\"demo\":true}",
             holidays, workdays);
    return audit_append(db, who, "calendar.import", "calendar", "2026", "ok", detail);
}

/* ---- loading for the arithmetic (base/calendar.h knows no database) ---- */

int calendar_load(struct db *db, struct arena *a, int32_t from, int32_t to, struct calendar **out) {
    struct calendar *c = calendar_new(a, from, to);
    char f[11], t[11];
    calendar_range(c, &from, &to);
    date_format(from, f);
    date_format(to, t);
    struct db_stmt *st = db_queryv(
        db, "SELECT day, kind, name FROM calendar_days WHERE day >= ? AND day <= ?", "ss", f, t);
    if (!st) return DB_ERROR;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        int32_t day;
        if (date_parse(db_col_text(st, 0), &day)) continue;
        calendar_mark(c, a, day, db_col_text(st, 1), db_col_text(st, 2));
    }
    db_done(st);
    if (rc < 0) return rc;
    *out = c;
    return DB_OK;
}

int workdays_add(struct db *db, const char *from, int n, char out[11]) {
    int32_t day;
    if (date_parse(from, &day) || n < 0 || n > 100000) return -1;
    struct arena *a = arena_new(4096);
    struct calendar *c;
    /* n working days never need more than about twice n calendar days plus the longest break. */
    int rc = calendar_load(db, a, day - 1, day + 2 * n + 60, &c);
    if (rc == DB_OK) date_format(calendar_add_workdays(c, day, n), out);
    arena_free(a);
    return rc == DB_OK ? 0 : rc;
}

/* ---- who hears of a change ---- */

#define CALENDAR_WATCHERS_MAX 8

static const struct calendar_watcher *watchers[CALENDAR_WATCHERS_MAX];
static int n_watchers;

void calendar_watch(const struct calendar_watcher *w) {
    if (n_watchers < CALENDAR_WATCHERS_MAX) watchers[n_watchers++] = w;
}

int calendar_changed(struct db *db, int32_t from, int32_t to) {
    for (int i = 0; i < n_watchers; i++) {
        int rc = watchers[i]->changed ? watchers[i]->changed(db, from, to) : DB_OK;
        if (rc != DB_OK) return rc;
    }
    return DB_OK;
}

void calendar_settle(struct db *db) {
    for (int i = 0; i < n_watchers; i++)
        if (watchers[i]->settle) watchers[i]->settle(db);
}

/* ---- which years have a calendar; the reminder that next year's is missing ---- */

json_t *calendar_years_json(struct db *db) {
    struct db_stmt *st = db_prepare(db, "SELECT DISTINCT substr(day, 1, 4) FROM calendar_days "
                                        "ORDER BY 1");
    json_t *out = json_array();
    int rc = DB_ERROR;
    while (st && (rc = db_step(st)) == DB_ROW) {
        const char *y = db_col_text(st, 0);
        if (y) json_array_append_new(out, json_integer(strtol(y, NULL, 10)));
    }
    db_done(st);
    if (rc == DB_DONE) return out;
    json_decref(out);
    return NULL;
}

int calendar_year_loaded(struct db *db, int year, int *loaded) {
    char from[11], to[11];
    year_bounds(year, from, to);
    int64_t n = 0;
    int rc = db_query_int(db, &n, "SELECT COUNT(*) FROM calendar_days WHERE day >= ? AND day <= ?",
                          "ss", from, to);
    *loaded = rc == DB_ROW && n > 0;
    return rc == DB_ROW ? DB_OK : rc < 0 ? rc : DB_ERROR;
}

int calendar_missing_notify(struct db *db, int year) {
    char title[160], body[400], key[48];
    snprintf(title, sizeof title, "【工作日历】%d 年节假日尚未导入", year);
    snprintf(body, sizeof body,
             "%d 年的法定节假日和调休安排尚未导入工作日历，按工作日计算的截止日期和提醒可能不准确。"
             "请在国务院办公厅发布放假安排后，到“系统管理 → 工作日历”导入 %d 年。",
             year, year);
    snprintf(key, sizeof key, "calendar_missing:%d", year);
    return notify_raise_perm(db, "calendar.manage", "calendar_missing", title, body,
                             "/system/calendar", 0, key);
}
