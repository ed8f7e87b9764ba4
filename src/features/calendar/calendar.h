/* calendar.h — the working-day calendar's exceptions (工作日历): one row per date in
 * calendar_days, kind `holiday` (法定节假日) or `workday` (调休上班). The arithmetic itself is in
 * base/calendar.h (and base/clock.h); this is the data: loading it for the arithmetic, reading a
 * year, parsing an import, replacing a year, the demo arrangement, and telling those who keep
 * dates computed from it (stored statutory clocks) that it changed.
 *
 * Ownership: strings and arrays come from the arena passed in; JSON is a new reference. */
#ifndef FAZHI_FEATURES_CALENDAR_H
#define FAZHI_FEATURES_CALENDAR_H

#include <jansson.h>
#include <stdint.h>

#include "audit/audit.h"
#include "base/arena.h"
#include "base/calendar.h"
#include "store/db.h"

#define CALENDAR_NAME_MAX   50     /* characters in an exception's name */
#define CALENDAR_CSV_MAX    100000 /* characters in an import */
#define CALENDAR_ROWS_MAX   400    /* data rows in an import (a year has at most 366 days) */
#define CALENDAR_ERRORS_MAX 100    /* row errors reported */

struct calendar_entry {
    char date[11];    /* "YYYY-MM-DD" */
    const char *kind; /* "holiday" or "workday" (static text) */
    const char *name; /* 国庆节, 国庆节调休 ... ("" when none) */
};

/* "holiday"/"休" → "holiday", "workday"/"班" → "workday", else NULL. */
const char *calendar_kind_parse(const char *s);
/* Why an exception is not acceptable (kind/day mismatch), or NULL when fine: a make-up working
 * day must fall on a weekend. lang 0 zh-CN, 1 English. */
const char *calendar_entry_problem(int32_t day, const char *kind, int lang);

/* The years that have at least one exception, ascending ([2025, 2026]); NULL on db error. */
json_t *calendar_years_json(struct db *db);
/* *loaded = 1 when `year` has any exception. DB_OK or < 0. */
int calendar_year_loaded(struct db *db, int year, int *loaded);
/* Tell every active holder of calendar.manage, once per account and year (dedup key
 * calendar_missing:<year>), that `year` has no calendar yet. Inside the caller's transaction;
 * the number newly told (>= 0) or < 0. */
int calendar_missing_notify(struct db *db, int year);

/* The exceptions of one year as [{date, kind, name, version}] (by date); NULL on db error. */
json_t *calendar_year_json(struct db *db, int year);

/* Parse import CSV (header `date,kind,name`; kind holiday|workday|休|班; every date in `year`,
 * no duplicates). Row numbers as in a sheet: the header is row 1. Every problem is appended to
 * `errors` as {row, message}; *rows and *n are the parsed rows (valid only when errors stays
 * empty). */
void calendar_csv_parse(struct arena *a, int year, const char *csv, int lang,
                        struct calendar_entry **rows, int *n, json_t *errors);

/* Inside the caller's write transaction: replace the exceptions of `year` by rows[0..n). Dates
 * that stay keep created_at and get version + 1; the watchers hear of the year (calendar_changed).
 * 0 ok, < 0 db error. */
int calendar_replace_year(struct db *db, int year, const struct calendar_entry *rows, int n);

/* Demo data, inside the caller's write transaction: the 2026 national holiday arrangement
 * (国务院办公厅关于2026年部分节假日安排的通知), audited as calendar.import. 0 ok, < 0 error. */
int calendar_seed_demo(struct db *db, const struct audit_actor *who);

/* Load the exceptions between from and to (inclusive; callers pass a generous range: arithmetic
 * beyond it treats days as plain weekday/weekend). 0 ok, < 0 database error. */
int calendar_load(struct db *db, struct arena *a, int32_t from, int32_t to, struct calendar **out);
/* Convenience for one computation: the date n working days after `from`. 0 ok. */
int workdays_add(struct db *db, const char *from, int n, char out[11]);

/* Whoever keeps dates computed from the calendar (features/flow's stored clocks) registers here
 * at start-up (before any thread); every writer of calendar_days calls calendar_changed inside
 * its transaction and calendar_settle after its commit. */
struct calendar_watcher {
    int (*changed)(struct db *db, int32_t from, int32_t to); /* in the transaction: DB_OK or < 0 */
    void (*settle)(struct db *db); /* after the commit, no transaction open; best effort */
};
void calendar_watch(const struct calendar_watcher *w); /* at most 8 */
int calendar_changed(struct db *db, int32_t from, int32_t to);
void calendar_settle(struct db *db);

#endif
