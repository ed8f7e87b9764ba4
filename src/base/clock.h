/* clock.h — statutory clocks (法定期限): a period counted in 日 (calendar days) or 工作日 (working
 * days) from a start event, with extensions and suspensions, its state today and a plain
 * explanation. Pure computation over a loaded struct calendar: no database here.
 *
 * Counting rule (民事诉讼法 第85条, applied by 行政复议法 2023 第88条 and to administrative periods
 * generally): the day of the start event is not counted; when the last day of a period counted in
 * 日 falls on a 法定休假日 (a statutory holiday or a weekly rest day; a 调休 make-up working day is
 * a working day), the period ends on the first working day after it. A period in 工作日 always ends
 * on a working day. Suspended days (中止, hearing, 补正, appraisal: "不计入") are not counted.
 *
 * Ownership: everything the result points to lives in the arena passed to clock_compute. */
#ifndef FAZHI_CLOCK_H
#define FAZHI_CLOCK_H

#include <stdint.h>

#include "base/arena.h"
#include "base/calendar.h"

#define CLOCK_PERIOD_MAX 3660 /* days or working days one period may count (ten years) */
#define CLOCK_PARTS_MAX  16   /* extensions, and suspensions, one clock may hold */

enum clock_unit {
    CLOCK_DAYS,     /* 日: calendar days, end rule applies */
    CLOCK_WORKDAYS, /* 工作日 */
};

enum clock_state {
    CLOCK_RUNNING,   /* counting, due date ahead (or today) */
    CLOCK_SUSPENDED, /* inside a suspension today (or one with no end yet) */
    CLOCK_EXTENDED,  /* counting, an extension granted, due date ahead */
    CLOCK_OVERDUE,   /* not stopped and the due date has passed */
    CLOCK_MET,       /* stopped by its closing event (see clock_result.late) */
};
extern const char *const clock_state_codes[]; /* "running", "suspended", … */
extern const char *const clock_unit_codes[];  /* "days", "workdays" */
int clock_unit_parse(const char *s);          /* -1 when unknown */

struct clock_extension {
    int period;           /* added length, in `unit` */
    enum clock_unit unit; /* usually the clock's own unit */
    const char *reason;   /* why (may be NULL) */
    const char *approver; /* who approved (may be NULL) */
};

struct clock_suspension {
    int32_t from;       /* first day not counted */
    int32_t to;         /* last day not counted; 0 = not ended yet (counts through today) */
    const char *reason; /* e.g. "听证" (may be NULL) */
};

struct clock_spec {
    const char *start_zh, *start_en; /* the start event's name, e.g. "受理" / "accepted" */
    int32_t start;                   /* the start event's date (not counted) */
    int period;                      /* length, in `unit` */
    enum clock_unit unit;
    const struct clock_extension *ext; /* n_ext entries, in the order granted */
    int n_ext;
    const struct clock_suspension *susp; /* n_susp entries, any order, may not overlap */
    int n_susp;
    int32_t stopped_on; /* the closing event's date; 0 while the clock runs */
};

struct clock_result {
    int32_t due;            /* the last day of the period (after the end rule) */
    enum clock_state state; /* as of `today` */
    int late;               /* MET after the due date, or OVERDUE */
    int left;               /* days (or working days, by the clock's unit) from today to the due
                             * date; negative when overdue: -(days overdue) */
    int suspended_days;     /* days not counted */
    const char *explain; /* e.g. "2025-03-03 受理，60 日，末日 05-02 为法定节假日，顺延至
                          * 2025-05-06" */
};

/* The range of dates the calendar must hold for clock_compute to be exact: load [*from, *to]. */
void clock_span(const struct clock_spec *s, int32_t today, int32_t *from, int32_t *to);

/* Compute the clock as of `today` (lang 0 zh-CN, 1 English). 0 ok; -1 when the spec is out of
 * bounds (period < 0 or > CLOCK_PERIOD_MAX, too many parts, a suspension ending before it
 * starts). */
int clock_compute(const struct calendar *cal, struct arena *a, const struct clock_spec *s,
                  int32_t today, int lang, struct clock_result *out);

#endif
