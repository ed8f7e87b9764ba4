/* calendar.h — dates and the working-day calendar (工作日历).
 * Monday–Friday are working days and weekends rest days, except the exceptions an administrator
 * keeps as data (table calendar_days): `holiday` (法定节假日 on a weekday) and `workday` (调休上班
 * on a weekend). Dates are days since 1970-01-01 (int32_t) inside, "YYYY-MM-DD" outside. The
 * district's local date is UTC+8 (China Standard Time, no daylight saving).
 *
 * No database here: features/calendar loads the exceptions (calendar_load); calendar_new and
 * calendar_mark build one from any source.
 *
 * Ownership: a struct calendar lives in the arena passed to calendar_new (or calendar_load). */
#ifndef FAZHI_CALENDAR_H
#define FAZHI_CALENDAR_H

#include <stdint.h>

#include "base/arena.h"

int date_parse(const char *s, int32_t *day); /* 0 ok; -1 unless a real date "YYYY-MM-DD" */
void date_format(int32_t day, char out[11]); /* "YYYY-MM-DD" */
int32_t date_today(void);                    /* today in China Standard Time */
/* The local (UTC+8) day of a stored UTC timestamp "YYYY-MM-DDTHH:MM:SSZ"; 0 when not one. */
int32_t date_local_of_iso(const char *iso);
int date_weekday(int32_t day);                                      /* 1 = Monday … 7 = Sunday */
int32_t date_add_months(int32_t day, int months, int day_of_month); /* clamps to month end */
int date_year(int32_t day);

struct calendar; /* exceptions for a range of dates */

/* An empty calendar for [from, to] (at most 20 years): every day a plain weekday or weekend. */
struct calendar *calendar_new(struct arena *a, int32_t from, int32_t to);
/* Record an exception: kind "holiday" or "workday" (anything else makes the day plain); name
 * copied into the arena. -1 when the day is outside the calendar's range. */
int calendar_mark(struct calendar *c, struct arena *a, int32_t day, const char *kind,
                  const char *name);
/* The range it holds (calendar_new clamps what was asked). */
void calendar_range(const struct calendar *c, int32_t *from, int32_t *to);
int calendar_is_workday(const struct calendar *c, int32_t day);
int calendar_is_holiday(const struct calendar *c, int32_t day); /* a 法定节假日 exception */
const char *calendar_day_name(const struct calendar *c, int32_t day); /* exception's name or NULL */
/* A statutory holiday's name in the language (lang 1: English for the names in 全国年节及纪念日放假
 * 办法; others, and lang 0, as given). */
const char *calendar_holiday_name(const char *name, int lang);
/* The date n working days after `from` (n >= 0; n = 0 gives `from` itself when it is a working
 * day, else the next working day). */
int32_t calendar_add_workdays(const struct calendar *c, int32_t from, int n);
/* Working days after `from` up to and including `to` (0 when to <= from). */
int calendar_count_workdays(const struct calendar *c, int32_t from, int32_t to);
/* The same two computations explained in words (lang 0 zh-CN, 1 English), in the arena, e.g.
 * "自 2026-09-30 起 5 个工作日，跳过 国庆节（10-01 至 10-07），10-10 调休上班计入，截止
 * 2026-10-13". */
const char *calendar_explain_add(const struct calendar *c, struct arena *a, int32_t from, int n,
                                 int lang);
const char *calendar_explain_count(const struct calendar *c, struct arena *a, int32_t from,
                                   int32_t to, int lang);

#endif
