/* appeal_charts.c — the leaders' charts of a scoring run (考核分析): the ranking per category, a
 * radar of one unit over the first-level areas against its category's average, and the unit's
 * totals and category ranks year on year. Five queries whatever the number of units and
 * indicators, all reading what the run wrote (assess_results, assess_scores), so every number
 * equals the results page's. */
#include <string.h>

#include "features/appeal/appeal.h"
#include "features/assess/assess.h"

#define CHARTS_AREAS_MAX 32 /* first-level areas of one system (the template has 9) */

/* Rounded half up (a, b ≥ 0, b > 0). */
static int64_t div_round(int64_t a, int64_t b) {
    return b > 0 ? (2 * a + b) / (2 * b) : 0;
}

struct run_row {
    int64_t id, year, system_id;
    char status[16];
};

/* Hundredths of 分 (or of a percent) as the answer's number: 95.15, 12 (the decimal fields'). */
static json_t *fen(int64_t hundredths) {
    return hundredths % 100 ? json_real((double)hundredths / 100) : json_integer(hundredths / 100);
}

static int run_read(struct db *db, const struct principal *who, int narrowed, int64_t run_id,
                    struct run_row *out) {
    struct db_stmt *st;
    if (run_id)
        st = db_queryv(db, "SELECT id, year, system_id, status FROM assess_runs WHERE id = ?", "i",
                       run_id);
    else
        st = db_queryv(db,
                       "SELECT id, year, system_id, status FROM assess_runs WHERE ? = 0 OR status "
                       "IN ('published', 'final') ORDER BY year DESC, id DESC LIMIT 1",
                       "i", (int64_t)narrowed);
    (void)who;
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW) {
        out->id = db_col_int(st, 0);
        out->year = db_col_int(st, 1);
        out->system_id = db_col_int(st, 2);
        const char *s = db_col_text(st, 3);
        size_t n = strlen(s);
        if (n >= sizeof out->status) n = sizeof out->status - 1;
        memcpy(out->status, s, n);
        out->status[n] = 0;
    }
    db_done(st);
    if (rc == DB_ROW && narrowed && strcmp(out->status, "published") &&
        strcmp(out->status, "final"))
        rc = DB_DONE; /* a unit learns its results once they are published */
    return rc;
}

int appeal_charts_json(struct db *db, struct arena *a, const struct principal *who, int64_t run_id,
                       int64_t unit_id, int lang, json_t **out) {
    (void)lang;
    *out = NULL;
    int narrowed = who->scope != SCOPE_ALL;
    struct run_row run = {0};
    int rc = run_read(db, who, narrowed, run_id, &run);
    if (rc != DB_ROW) return rc < 0 ? rc : DB_DONE;
    if (narrowed) {
        if (!unit_id) unit_id = who->unit_id;
        if (!scope_allows_unit(db, who, unit_id)) return DB_DONE;
    }

    /* 1. the results of every unit, by category and rank */
    struct db_stmt *st = db_queryv(
        db,
        "SELECT res.unit_id, u.name, res.category, res.total, res.grade, res.rank_category, "
        "res.rank_all FROM assess_results res JOIN units u ON u.id = res.unit_id WHERE "
        "res.run_id = ? ORDER BY res.category, res.rank_category, u.name, res.unit_id",
        "i", run.id);
    if (!st) return DB_ERROR;
    struct rank_row {
        int64_t unit_id, total, rank, rank_all;
        const char *name, *category, *grade;
    } *rows = NULL;
    int n_rows = 0, cap = 0;
    while ((rc = db_step(st)) == DB_ROW) {
        if (n_rows == cap) {
            int ncap = cap ? cap * 2 : 64;
            struct rank_row *nr = arena_alloc(a, sizeof *nr * (size_t)ncap);
            if (rows) memcpy(nr, rows, sizeof *nr * (size_t)n_rows);
            rows = nr;
            cap = ncap;
        }
        struct rank_row *r = &rows[n_rows++];
        r->unit_id = db_col_int(st, 0);
        r->name = arena_strdup(a, db_col_text(st, 1));
        r->category = arena_strdup(a, db_col_text(st, 2));
        r->total = db_col_int(st, 3);
        r->grade = (db_col_type(st, 4) == DB_T_NULL) ? NULL : arena_strdup(a, db_col_text(st, 4));
        r->rank = (db_col_type(st, 5) == DB_T_NULL) ? 0 : db_col_int(st, 5);
        r->rank_all = (db_col_type(st, 6) == DB_T_NULL) ? 0 : db_col_int(st, 6);
    }
    db_done(st);
    if (rc != DB_DONE) return rc < 0 ? rc : DB_ERROR;

    /* the unit of the radar and the years: the one asked for, else the caller's own when it was
     * assessed, else the first overall */
    if (!unit_id)
        for (int i = 0; i < n_rows; i++)
            if (rows[i].unit_id == who->unit_id) unit_id = who->unit_id;
    if (!unit_id) {
        const struct rank_row *best = NULL;
        for (int i = 0; i < n_rows; i++)
            if (!best ||
                (rows[i].rank_all && (!best->rank_all || rows[i].rank_all < best->rank_all)))
                best = &rows[i];
        if (best) unit_id = best->unit_id;
    }
    const struct rank_row *me = NULL;
    for (int i = 0; i < n_rows; i++)
        if (rows[i].unit_id == unit_id) me = &rows[i];

    json_t *ranking = json_pack("{s:[],s:[]}", "department", "township");
    int64_t in_category = 0;
    for (int i = 0; i < n_rows; i++) {
        const struct rank_row *r = &rows[i];
        if (me && !strcmp(r->category, me->category)) in_category++;
        json_t *list = json_object_get(ranking, r->category);
        if (!list) continue;
        if (narrowed && (!me || strcmp(r->category, me->category))) continue;
        int named = !narrowed || r->unit_id == unit_id;
        json_t *it = json_pack("{s:o,s:o,s:o,s:o,s:o}", "unit_id",
                               named ? json_integer(r->unit_id) : json_null(), "name",
                               named ? json_string(r->name) : json_null(), "total", fen(r->total),
                               "grade", named && r->grade ? json_string(r->grade) : json_null(),
                               "rank", r->rank ? json_integer(r->rank) : json_null());
        json_array_append_new(list, it);
    }

    /* 2. the first-level areas */
    st = db_queryv(db,
                   "SELECT id, code, name, weight FROM assess_indicators WHERE system_id = ? AND "
                   "level = 1 ORDER BY sort_order, code",
                   "i", run.system_id);
    if (!st) {
        json_decref(ranking);
        return DB_ERROR;
    }
    json_t *areas = json_array();
    int64_t area_id[CHARTS_AREAS_MAX], area_weight[CHARTS_AREAS_MAX];
    int n_areas = 0;
    while ((rc = db_step(st)) == DB_ROW && n_areas < CHARTS_AREAS_MAX) {
        area_id[n_areas] = db_col_int(st, 0);
        area_weight[n_areas] = db_col_int(st, 3);
        n_areas++;
        json_array_append_new(areas, json_pack("{s:I,s:s,s:s,s:o}", "indicator_id",
                                               (json_int_t)db_col_int(st, 0), "code",
                                               db_col_text(st, 1), "name", db_col_text(st, 2),
                                               "weight", fen(db_col_int(st, 3))));
    }
    db_done(st);
    if (rc < 0) {
        json_decref(ranking);
        json_decref(areas);
        return rc;
    }

    /* 3. each area's final points: the unit's and its category's sum (one grouped pass) */
    int64_t mine[CHARTS_AREAS_MAX] = {0}, sums[CHARTS_AREAS_MAX] = {0};
    st = db_queryv(
        db,
        "SELECT CASE i.level WHEN 1 THEN i.id WHEN 2 THEN i.parent_id ELSE p.parent_id END AS "
        "area, SUM(CASE WHEN s.unit_id = ? THEN s.final_points ELSE 0 END), SUM(s.final_points) "
        "FROM assess_scores s JOIN assess_indicators i ON i.id = s.indicator_id LEFT JOIN "
        "assess_indicators p ON p.id = i.parent_id JOIN assess_results res ON res.run_id = "
        "s.run_id AND res.unit_id = s.unit_id WHERE s.run_id = ? AND (? = '' OR res.category = "
        "?) GROUP BY CASE i.level WHEN 1 THEN i.id WHEN 2 THEN i.parent_id ELSE p.parent_id END",
        "iiss", unit_id, run.id, me ? me->category : "", me ? me->category : "");
    if (!st) {
        json_decref(ranking);
        json_decref(areas);
        return DB_ERROR;
    }
    while ((rc = db_step(st)) == DB_ROW) {
        int64_t area = db_col_int(st, 0);
        for (int k = 0; k < n_areas; k++)
            if (area_id[k] == area) {
                mine[k] = db_col_int(st, 1);
                sums[k] = db_col_int(st, 2);
            }
    }
    db_done(st);
    if (rc != DB_DONE) {
        json_decref(ranking);
        json_decref(areas);
        return rc < 0 ? rc : DB_ERROR;
    }
    int64_t n_units = me ? in_category : n_rows;
    json_t *values = json_array(), *rates = json_array(), *average = json_array(),
           *average_rates = json_array();
    for (int k = 0; k < n_areas; k++) {
        int64_t avg = div_round(sums[k], n_units);
        json_array_append_new(values, fen(mine[k]));
        json_array_append_new(rates, fen(div_round(mine[k] * 10000, area_weight[k])));
        json_array_append_new(average, fen(avg));
        json_array_append_new(average_rates, fen(div_round(avg * 10000, area_weight[k])));
    }
    json_t *radar =
        me ? json_pack("{s:I,s:s,s:s,s:o,s:o}", "unit_id", (json_int_t)unit_id, "name", me->name,
                       "category", me->category, "values", values, "rates", rates)
           : json_null();
    if (!me) {
        json_decref(values);
        json_decref(rates);
    }

    /* 4. the unit year on year: this run, and each earlier year's newest published run */
    json_t *years = json_array();
    st = db_queryv(db,
                   "SELECT r.year, r.id, res.total, res.rank_category FROM assess_results res "
                   "JOIN assess_runs r ON r.id = res.run_id WHERE res.unit_id = ? AND (r.id = ? "
                   "OR (r.year < ? AND r.id = (SELECT MAX(r2.id) FROM assess_runs r2 WHERE "
                   "r2.year = r.year AND r2.status IN ('published', 'final')))) ORDER BY r.year",
                   "iii", unit_id, run.id, run.year);
    if (!st) rc = DB_ERROR;
    while (st && (rc = db_step(st)) == DB_ROW)
        json_array_append_new(
            years, json_pack("{s:I,s:I,s:o,s:o}", "year", (json_int_t)db_col_int(st, 0), "run_id",
                             (json_int_t)db_col_int(st, 1), "total", fen(db_col_int(st, 2)),
                             "rank_category",
                             (db_col_type(st, 3) == DB_T_NULL) ? json_null()
                                                               : json_integer(db_col_int(st, 3))));
    db_done(st);
    if (rc != DB_DONE) {
        json_decref(ranking);
        json_decref(areas);
        json_decref(radar);
        json_decref(average);
        json_decref(average_rates);
        json_decref(years);
        return rc < 0 ? rc : DB_ERROR;
    }
    *out = json_pack("{s:I,s:I,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "run_id", (json_int_t)run.id,
                     "year", (json_int_t)run.year, "status", run.status, "unit_id",
                     me ? json_integer(unit_id) : json_null(), "ranking", ranking, "areas", areas,
                     "radar", radar, "average", average, "average_rates", average_rates, "years",
                     years);
    return *out ? DB_OK : DB_ERROR;
}
