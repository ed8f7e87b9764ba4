/* clock.c — statutory clocks: walk the period day by day over the calendar (at most
 * CLOCK_PERIOD_MAX counted days per part, so the walk is bounded), skipping suspended days, then
 * apply the end rule for periods in 日. */
#include "base/clock.h"

#include <stdio.h>
#include <string.h>

#include "base/buf.h"

const char *const clock_state_codes[] = {"running", "suspended", "extended", "overdue", "met"};
const char *const clock_unit_codes[] = {"days", "workdays"};

int clock_unit_parse(const char *s) {
    for (int i = 0; s && i < 2; i++)
        if (!strcmp(s, clock_unit_codes[i])) return i;
    return -1;
}

/* The last day a suspension covers as of today (an open one runs through today). */
static int32_t susp_end(const struct clock_suspension *s, int32_t today) {
    if (s->to) return s->to;
    return today >= s->from ? today : s->from - 1;
}

static int suspended_on(const struct clock_spec *s, int32_t day, int32_t today) {
    for (int i = 0; i < s->n_susp; i++)
        if (day >= s->susp[i].from && day <= susp_end(&s->susp[i], today)) return 1;
    return 0;
}

static int spec_valid(const struct clock_spec *s) {
    if (s->period < 0 || s->period > CLOCK_PERIOD_MAX) return 0;
    if (s->n_ext < 0 || s->n_ext > CLOCK_PARTS_MAX || s->n_susp < 0 || s->n_susp > CLOCK_PARTS_MAX)
        return 0;
    for (int i = 0; i < s->n_ext; i++)
        if (s->ext[i].period < 0 || s->ext[i].period > CLOCK_PERIOD_MAX) return 0;
    for (int i = 0; i < s->n_susp; i++)
        if (s->susp[i].to && s->susp[i].to < s->susp[i].from) return 0;
    return 1;
}

void clock_span(const struct clock_spec *s, int32_t today, int32_t *from, int32_t *to) {
    int64_t days = s->period;
    for (int i = 0; i < s->n_ext && i < CLOCK_PARTS_MAX; i++)
        days += s->ext[i].period;
    for (int i = 0; i < s->n_susp && i < CLOCK_PARTS_MAX; i++) {
        int32_t end = susp_end(&s->susp[i], today);
        if (end >= s->susp[i].from) days += end - s->susp[i].from + 1;
    }
    /* Working days need about 7/5 calendar days each plus the longest break (春节, 国庆). */
    *from = s->start - 1;
    *to = s->start + (int32_t)(days * 2 + 60);
    if (today + 1 > *to) *to = today + 1;
}

/* "05-02" within `year`, else the whole date. */
static void short_date(int32_t day, int year, char out[11]) {
    date_format(day, out);
    if (date_year(day) == year) memmove(out, out + 5, 6);
}

static const char *unit_word(enum clock_unit u, int n, int lang) {
    if (!lang) return u == CLOCK_DAYS ? "日" : "个工作日";
    if (u == CLOCK_DAYS) return n == 1 ? "day" : "days";
    return n == 1 ? "working day" : "working days";
}

int clock_compute(const struct calendar *cal, struct arena *a, const struct clock_spec *s,
                  int32_t today, int lang, struct clock_result *out) {
    memset(out, 0, sizeof(*out));
    if (!spec_valid(s)) return -1;
    int year = date_year(s->start);

    /* Walk: the base period, then each extension from where the last part ended. */
    int32_t day = s->start;
    int suspended = 0;
    enum clock_unit last_unit = s->unit;
    for (int part = -1; part < s->n_ext; part++) {
        int left = part < 0 ? s->period : s->ext[part].period;
        enum clock_unit u = part < 0 ? s->unit : s->ext[part].unit;
        if (left > 0) last_unit = u;
        while (left > 0) {
            day++;
            if (suspended_on(s, day, today)) {
                suspended++;
                continue;
            }
            if (u == CLOCK_DAYS || calendar_is_workday(cal, day)) left--;
        }
    }
    int32_t last = day; /* the period's last counted day, before the end rule */
    if (last_unit == CLOCK_DAYS)
        while (!calendar_is_workday(cal, day))
            day++;
    out->due = day;
    out->suspended_days = suspended;

    /* State as of today. */
    int in_susp = 0;
    for (int i = 0; i < s->n_susp; i++)
        if (today >= s->susp[i].from && (!s->susp[i].to || today <= s->susp[i].to)) in_susp = 1;
    if (s->stopped_on) {
        out->state = CLOCK_MET;
        out->late = s->stopped_on > out->due;
    } else if (in_susp) {
        out->state = CLOCK_SUSPENDED;
    } else if (today > out->due) {
        out->state = CLOCK_OVERDUE;
        out->late = 1;
    } else {
        out->state = s->n_ext > 0 ? CLOCK_EXTENDED : CLOCK_RUNNING;
    }
    int32_t ref = s->stopped_on ? s->stopped_on : today;
    if (s->unit == CLOCK_WORKDAYS)
        out->left = ref <= out->due ? calendar_count_workdays(cal, ref, out->due)
                                    : -calendar_count_workdays(cal, out->due, ref);
    else
        out->left = (int)(out->due - ref);

    /* Explanation. */
    struct buf b;
    buf_init(&b, a, 256);
    char d[11], e[11];
    date_format(s->start, d);
    const char *start_name =
        lang ? (s->start_en ? s->start_en : "start") : (s->start_zh ? s->start_zh : "起算");
    if (lang)
        buf_printf(&b, "%s %s, %d %s", start_name, d, s->period, unit_word(s->unit, s->period, 1));
    else
        buf_printf(&b, "%s %s，%d %s", d, start_name, s->period, unit_word(s->unit, s->period, 0));
    for (int i = 0; i < s->n_ext; i++) {
        const struct clock_extension *x = &s->ext[i];
        buf_printf(&b, lang ? ", extended by %d %s" : "，延长 %d %s", x->period,
                   unit_word(x->unit, x->period, lang));
        int has_reason = x->reason && *x->reason, has_approver = x->approver && *x->approver;
        if (has_reason || has_approver) {
            buf_puts(&b, lang ? " (" : "（");
            if (has_reason) buf_puts(&b, x->reason);
            if (has_reason && has_approver) buf_puts(&b, lang ? "; " : "；");
            if (has_approver) buf_printf(&b, lang ? "approved by %s" : "批准：%s", x->approver);
            buf_puts(&b, lang ? ")" : "）");
        }
    }
    for (int i = 0; i < s->n_susp; i++) {
        const struct clock_suspension *x = &s->susp[i];
        int32_t end = susp_end(x, today);
        int n = 0;
        for (int32_t k = x->from; k <= end; k++)
            n += k > s->start && k <= last;
        short_date(x->from, year, d);
        const char *reason = x->reason && *x->reason ? x->reason : (lang ? "suspension" : "中止");
        const char *days = lang ? (n == 1 ? "day" : "days") : "日";
        if (!x->to) {
            if (lang)
                buf_printf(&b, ", %s since %s (%d %s so far, not counted)", reason, d, n, days);
            else
                buf_printf(&b, "，%s 自 %s 起（至今 %d %s，不计入）", reason, d, n, days);
        } else {
            short_date(x->to, year, e);
            if (lang)
                buf_printf(&b, ", %s %s to %s (%d %s not counted)", reason, d, e, n, days);
            else
                buf_printf(&b, "，%s %s 至 %s（%d %s不计入）", reason, d, e, n, days);
        }
    }
    date_format(out->due, e);
    if (last != out->due) {
        short_date(last, year, d);
        const char *name = calendar_day_name(cal, last);
        if (calendar_is_holiday(cal, last)) {
            if (name)
                buf_printf(&b,
                           lang ? "; the last day %s is a public holiday (%s), moved to %s"
                                : "，末日 %s 为法定节假日（%s），顺延至 %s",
                           d, calendar_holiday_name(name, lang), e);
            else
                buf_printf(&b,
                           lang ? "; the last day %s is a public holiday, moved to %s"
                                : "，末日 %s 为法定节假日，顺延至 %s",
                           d, e);
        } else {
            buf_printf(&b,
                       lang ? "; the last day %s is a rest day, moved to %s"
                            : "，末日 %s 为休息日，顺延至 %s",
                       d, e);
        }
    } else {
        buf_printf(&b, lang ? "; due %s" : "，截止 %s", e);
    }
    out->explain = b.data;
    return 0;
}
