/* calendar.c — dates as days since 1970-01-01 and the working-day calendar (工作日历).
 * Civil-date conversion follows Howard Hinnant's days_from_civil / civil_from_days. */
#include "base/calendar.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"

#define DATE_YEAR_MIN     1900
#define DATE_YEAR_MAX     9999
#define CALENDAR_SPAN_MAX (366 * 20) /* days one calendar may hold */
#define CST_OFFSET        (8 * 3600) /* China Standard Time, UTC+8 */

enum day_kind { DAY_PLAIN = 0, DAY_HOLIDAY = 1, DAY_WORKDAY = 2 };

struct calendar {
    int32_t from, to;    /* loaded range, inclusive */
    unsigned char *kind; /* enum day_kind per day of the range */
    const char **name;   /* exception name per day (NULL when none) */
};

static int is_leap(int y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m) {
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

static int32_t days_from_civil(int y, int m, int d) {
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int32_t)(era * 146097 + doe - 719468);
}

static void civil_from_days(int32_t z, int *y, int *m, int *d) {
    z += 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yoe + era * 400 + (*m <= 2);
}

static int digits(const char *s, int n, int *out) {
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

int date_parse(const char *s, int32_t *day) {
    int y, m, d;
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-') return -1;
    if (digits(s, 4, &y) || digits(s + 5, 2, &m) || digits(s + 8, 2, &d)) return -1;
    if (y < DATE_YEAR_MIN || y > DATE_YEAR_MAX || m < 1 || m > 12 || d < 1 || d > month_days(y, m))
        return -1;
    *day = days_from_civil(y, m, d);
    return 0;
}

void date_format(int32_t day, char out[11]) {
    int y, m, d;
    civil_from_days(day, &y, &m, &d);
    if (y < 0 || y > 9999) y = 0; /* out of range: keeps the text 10 characters */
    snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
}

int32_t date_today(void) {
    int64_t t = (int64_t)time(NULL) + CST_OFFSET;
    int64_t day = t / 86400;
    if (t % 86400 < 0) day--;
    return (int32_t)day;
}

int32_t date_local_of_iso(const char *iso) {
    int32_t day;
    char date[11];
    if (!iso || strlen(iso) < 13) return 0;
    memcpy(date, iso, 10);
    date[10] = 0;
    if (date_parse(date, &day) != 0 || iso[10] != 'T') return 0;
    if (iso[11] < '0' || iso[11] > '9' || iso[12] < '0' || iso[12] > '9') return 0;
    int hour = (iso[11] - '0') * 10 + (iso[12] - '0');
    return hour * 3600 + CST_OFFSET >= 86400 ? day + 1 : day;
}

int date_weekday(int32_t day) {
    /* 1970-01-01 was a Thursday (4). */
    int w = (int)(((int64_t)day + 3) % 7);
    if (w < 0) w += 7;
    return w + 1;
}

int32_t date_add_months(int32_t day, int months, int day_of_month) {
    int y, m, d;
    civil_from_days(day, &y, &m, &d);
    int total = y * 12 + (m - 1) + months;
    y = total / 12;
    m = total % 12 + 1;
    if (day_of_month > 0) d = day_of_month;
    if (d > month_days(y, m)) d = month_days(y, m);
    return days_from_civil(y, m, d);
}

/* ---- the calendar ---- */

struct calendar *calendar_new(struct arena *a, int32_t from, int32_t to) {
    if (to < from) to = from;
    if (to - from > CALENDAR_SPAN_MAX) to = from + CALENDAR_SPAN_MAX;
    struct calendar *c = arena_alloc(a, sizeof(*c));
    size_t n = (size_t)(to - from) + 1;
    c->from = from;
    c->to = to;
    c->kind = arena_alloc(a, n);
    c->name = arena_alloc(a, n * sizeof(*c->name));
    return c;
}

int calendar_mark(struct calendar *c, struct arena *a, int32_t day, const char *kind,
                  const char *name) {
    if (!c || !kind || day < c->from || day > c->to) return -1;
    enum day_kind k = !strcmp(kind, "holiday")   ? DAY_HOLIDAY
                      : !strcmp(kind, "workday") ? DAY_WORKDAY
                                                 : DAY_PLAIN;
    size_t i = (size_t)(day - c->from);
    c->kind[i] = (unsigned char)k;
    c->name[i] = name && *name ? arena_strdup(a, name) : NULL;
    return 0;
}

void calendar_range(const struct calendar *c, int32_t *from, int32_t *to) {
    *from = c->from;
    *to = c->to;
}

static enum day_kind kind_of(const struct calendar *c, int32_t day) {
    if (!c || day < c->from || day > c->to) return DAY_PLAIN;
    return (enum day_kind)c->kind[day - c->from];
}

int calendar_is_workday(const struct calendar *c, int32_t day) {
    enum day_kind k = kind_of(c, day);
    if (k == DAY_HOLIDAY) return 0;
    if (k == DAY_WORKDAY) return 1;
    return date_weekday(day) <= 5;
}

int calendar_is_holiday(const struct calendar *c, int32_t day) {
    return kind_of(c, day) == DAY_HOLIDAY;
}

const char *calendar_day_name(const struct calendar *c, int32_t day) {
    if (!c || day < c->from || day > c->to) return NULL;
    return c->name[day - c->from];
}

int32_t calendar_add_workdays(const struct calendar *c, int32_t from, int n) {
    int32_t day = from;
    if (n <= 0) {
        while (!calendar_is_workday(c, day))
            day++;
        return day;
    }
    while (n > 0) {
        day++;
        if (calendar_is_workday(c, day)) n--;
    }
    return day;
}

int calendar_count_workdays(const struct calendar *c, int32_t from, int32_t to) {
    int n = 0;
    for (int32_t day = from + 1; day <= to; day++)
        n += calendar_is_workday(c, day);
    return n;
}

/* ---- explanations ---- */

/* English names of the statutory holidays (全国年节及纪念日放假办法); others stay as entered. */
static const struct {
    const char *zh, *en;
} holiday_names[] = {
    {"元旦", "New Year's Day"},       {"春节", "Spring Festival"},
    {"清明节", "Qingming Festival"},  {"清明", "Qingming Festival"},
    {"劳动节", "Labour Day"},         {"端午节", "Dragon Boat Festival"},
    {"端午", "Dragon Boat Festival"}, {"中秋节", "Mid-Autumn Festival"},
    {"中秋", "Mid-Autumn Festival"},  {"国庆节", "National Day"},
    {"国庆", "National Day"},
};

const char *calendar_holiday_name(const char *name, int lang) {
    if (!lang) return name;
    for (size_t i = 0; i < sizeof holiday_names / sizeof holiday_names[0]; i++)
        if (!strcmp(holiday_names[i].zh, name)) return holiday_names[i].en;
    return name;
}

/* "10-01" within `year`, else the full date. */
static void short_date(int32_t day, int year, char out[11]) {
    date_format(day, out);
    int y;
    if (!digits(out, 4, &y) && y == year) memmove(out, out + 5, 6);
}

#define EXPLAIN_GROUPS_MAX 24 /* holiday ranges and make-up days named; more are summarised */

/* Describe the days in [first, last]: runs of rest days that include a named holiday, and the
 * make-up working days (调休上班) counted. Appends to b. */
static void explain_days(const struct calendar *c, struct buf *b, int32_t first, int32_t last,
                         int year, int lang) {
    int groups = 0, any = 0;
    for (int32_t day = first; day <= last && groups < EXPLAIN_GROUPS_MAX;) {
        if (calendar_is_workday(c, day)) {
            day++;
            continue;
        }
        int32_t end = day;
        while (end + 1 <= last && !calendar_is_workday(c, end + 1))
            end++;
        /* The run's names, distinct, in order (e.g. 中秋节、国庆节 when they meet). */
        const char *names[4];
        int nn = 0;
        for (int32_t k = day; k <= end; k++) {
            const char *nm = kind_of(c, k) == DAY_HOLIDAY ? calendar_day_name(c, k) : NULL;
            if (kind_of(c, k) == DAY_HOLIDAY && !nm) nm = lang ? "public holiday" : "节假日";
            if (!nm) continue;
            int seen = 0;
            for (int i = 0; i < nn; i++)
                seen |= !strcmp(names[i], nm);
            if (!seen && nn < 4) names[nn++] = nm;
        }
        if (nn) {
            char a[11], z[11];
            short_date(day, year, a);
            short_date(end, year, z);
            buf_puts(b, any ? (lang ? ", " : "、") : (lang ? ", skipping " : "，跳过 "));
            for (int i = 0; i < nn; i++) {
                if (i) buf_puts(b, lang ? " and " : "、");
                buf_puts(b, calendar_holiday_name(names[i], lang));
            }
            int len = end - day + 1;
            if (len == 1)
                buf_printf(b, lang ? " %s (1 day)" : " %s（1天）", a);
            else
                buf_printf(b, lang ? " %s to %s (%d days)" : " %s至%s（%d天）", a, z, len);
            any = 1;
            groups++;
        }
        day = end + 1;
    }
    int makeups = 0;
    for (int32_t day = first; day <= last; day++) {
        if (kind_of(c, day) != DAY_WORKDAY || date_weekday(day) <= 5) continue;
        if (makeups < EXPLAIN_GROUPS_MAX) {
            char a[11];
            short_date(day, year, a);
            buf_puts(b, makeups ? "、" : (lang ? "; " : "，"));
            buf_puts(b, a);
        }
        makeups++;
    }
    if (makeups)
        buf_puts(b, lang ? (makeups > 1 ? " (make-up working days) counted"
                                        : " (make-up working day) counted")
                         : "（调休上班）计入");
}

int date_year(int32_t day) {
    int y, m, d;
    civil_from_days(day, &y, &m, &d);
    return y;
}

const char *calendar_explain_add(const struct calendar *c, struct arena *a, int32_t from, int n,
                                 int lang) {
    int32_t due = calendar_add_workdays(c, from, n);
    char f[11], d[11];
    date_format(from, f);
    date_format(due, d);
    struct buf b;
    buf_init(&b, a, 256);
    if (lang)
        buf_printf(&b, "%d working day%s from %s", n, n == 1 ? "" : "s", f);
    else
        buf_printf(&b, "自 %s 起 %d 个工作日", f, n);
    explain_days(c, &b, n > 0 ? from + 1 : from, due, date_year(from), lang);
    buf_printf(&b, lang ? "; due %s" : "，截止 %s", d);
    return b.data;
}

const char *calendar_explain_count(const struct calendar *c, struct arena *a, int32_t from,
                                   int32_t to, int lang) {
    int n = calendar_count_workdays(c, from, to);
    char f[11], t[11];
    date_format(from, f);
    date_format(to, t);
    struct buf b;
    buf_init(&b, a, 256);
    if (lang)
        buf_printf(&b, "%d working day%s after %s up to and including %s", n, n == 1 ? "" : "s", f,
                   t);
    else
        buf_printf(&b, "自 %s 起至 %s 共 %d 个工作日", f, t, n);
    if (to > from) explain_days(c, &b, from + 1, to, date_year(from), lang);
    return b.data;
}
