/* flow_clock.c — statutory clocks stored and served.
 *
 * record_clocks holds one row per (kind, record, clock): the start date, the period and its unit,
 * the closing date, and what follows from them and the calendar — due_on, a stored state
 * (running, extended, suspended, met: "overdue" is due_on before today, so reminders and overdue
 * filters are index ranges) and late. record_clock_parts holds the extensions and suspensions.
 * Every step recomputes its clock at once; a calendar change marks the clocks whose due date may
 * move (stale = 1, in the writer's transaction) and they are recomputed in batches after the
 * commit (and by the daily job for any left). A suspended clock's due date moves each day it
 * stays suspended, so the daily job recomputes those too.
 *
 * The arithmetic is base/clock.c's (clock_compute), over the calendar loaded for the span. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/timeutil.h"
#include "features/calendar/calendar.h"
#include "features/flow/flow.h"
#include "features/flow/flow_impl.h"
#include "features/notify/notify.h"
#include "store/job.h"
#include "store/query.h"
#include "store/settings.h"

#define CALENDAR_SPAN_DAYS (366 * 20) /* what one loaded calendar may hold (base/calendar.c) */
#define DIGEST_UNITS       25         /* units whose digests one batch writes */
#define CATCHUP_DAYS       7          /* crossings older than this are not caught up */

/* One stored clock with its parts, ready for clock_compute. */
struct clock_row {
    int64_t id, version, record_id;
    const char *kind, *clock;
    const struct flow_clock_def *def; /* NULL when the declaration no longer has it */
    int32_t start, stopped;           /* stopped 0: running */
    int period;
    enum clock_unit unit;
    struct clock_extension ext[CLOCK_PARTS_MAX];
    int n_ext;
    struct clock_suspension susp[CLOCK_PARTS_MAX];
    int n_susp;
    int64_t open_part; /* the open suspension's part id, 0 when none */
};

static int32_t day_of(const char *s) {
    int32_t d = 0;
    return s && date_parse(s, &d) == 0 ? d : 0;
}

static const char *date_text(struct arena *a, int32_t d) {
    char *s = arena_alloc(a, 11);
    date_format(d, s);
    return s;
}

static const struct flow_clock_def *def_of(const char *kind, const char *clock) {
    const struct flow_kind *k = flow_kind_by_name(kind);
    return k ? flow_clock_def_find(k, clock) : NULL;
}

static void spec_of(const struct clock_row *r, struct clock_spec *s) {
    memset(s, 0, sizeof *s);
    s->start_zh = r->def ? r->def->start_zh : NULL;
    s->start_en = r->def ? r->def->start_en : NULL;
    s->start = r->start;
    s->period = r->period;
    s->unit = r->unit;
    s->ext = r->ext;
    s->n_ext = r->n_ext;
    s->susp = r->susp;
    s->n_susp = r->n_susp;
    s->stopped_on = r->stopped;
}

/* The stored state: what does not depend on today. */
static const char *stored_state(const struct clock_row *r) {
    if (r->stopped) return "met";
    if (r->open_part) return "suspended";
    return r->n_ext ? "extended" : "running";
}

#define ROW_COLUMNS                                                                                \
    "c.id, c.version, c.kind, c.record_id, c.clock, c.start_on, c.period, c.unit, c.stopped_on"

static void row_read(struct arena *a, struct db_stmt *st, struct clock_row *r) {
    memset(r, 0, sizeof *r);
    r->id = db_col_int(st, 0);
    r->version = db_col_int(st, 1);
    r->kind = arena_strdup(a, db_col_text(st, 2));
    r->record_id = db_col_int(st, 3);
    r->clock = arena_strdup(a, db_col_text(st, 4));
    r->start = day_of(db_col_text(st, 5));
    r->period = (int)db_col_int(st, 6);
    int u = clock_unit_parse(db_col_text(st, 7));
    r->unit = u < 0 ? CLOCK_DAYS : (enum clock_unit)u;
    r->stopped = day_of(db_col_text(st, 8));
    r->def = def_of(r->kind, r->clock);
}

/* Attach the parts selected by st (clock_id, part, period, unit, from_on, to_on, reason,
 * approver, id; ordered by clock_id, id) to rows[0..n) (ordered by id). */
static int parts_read(struct arena *a, struct db_stmt *st, struct clock_row *rows, int n) {
    int rc, k = 0;
    while ((rc = db_step(st)) == DB_ROW) {
        int64_t cid = db_col_int(st, 0);
        while (k < n && rows[k].id < cid)
            k++;
        if (k >= n) break;
        if (rows[k].id != cid) continue;
        struct clock_row *r = &rows[k];
        const char *part = db_col_text(st, 1);
        if (part && !strcmp(part, "extension") && r->n_ext < CLOCK_PARTS_MAX) {
            int u = clock_unit_parse(db_col_text(st, 3));
            r->ext[r->n_ext++] = (struct clock_extension){
                (int)db_col_int(st, 2), u < 0 ? r->unit : (enum clock_unit)u,
                arena_strdup(a, db_col_text(st, 6)), arena_strdup(a, db_col_text(st, 7))};
        } else if (part && !strcmp(part, "suspension") && r->n_susp < CLOCK_PARTS_MAX) {
            int32_t to = day_of(db_col_text(st, 5));
            r->susp[r->n_susp++] = (struct clock_suspension){day_of(db_col_text(st, 4)), to,
                                                             arena_strdup(a, db_col_text(st, 6))};
            if (!to) r->open_part = db_col_int(st, 8);
        }
    }
    db_done(st);
    return rc < 0 ? rc : DB_OK;
}

#define PART_COLUMNS                                                                               \
    "p.clock_id, p.part, p.period, p.unit, p.from_on, p.to_on, p.reason, p.approver, p.id"

/* A calendar covering every row's span as of today (one load), or per row when they are too far
 * apart for one. */
struct span_calendar {
    struct calendar *cal;
    int32_t from, to;
};

static int calendar_for(struct db *db, struct arena *a, const struct clock_row *rows, int n,
                        int32_t today, struct span_calendar *out) {
    out->cal = NULL;
    out->from = out->to = 0;
    for (int i = 0; i < n; i++) {
        struct clock_spec s;
        int32_t f, t;
        spec_of(&rows[i], &s);
        clock_span(&s, today, &f, &t);
        if (!i || f < out->from) out->from = f;
        if (!i || t > out->to) out->to = t;
    }
    if (!n || out->to - out->from > CALENDAR_SPAN_DAYS) return DB_OK;
    return calendar_load(db, a, out->from, out->to, &out->cal);
}

static int row_compute(struct db *db, struct arena *a, const struct span_calendar *sc,
                       const struct clock_row *r, int32_t today, int lang,
                       struct clock_result *out) {
    struct clock_spec s;
    spec_of(r, &s);
    const struct calendar *cal = sc ? sc->cal : NULL;
    if (!cal) { /* rows too far apart for one calendar: this row's own */
        int32_t f, t;
        struct calendar *own;
        clock_span(&s, today, &f, &t);
        int rc = calendar_load(db, a, f, t, &own);
        if (rc != DB_OK) return rc;
        cal = own;
    }
    return clock_compute(cal, a, &s, today, lang, out) == 0 ? DB_OK : DB_ERROR;
}

/* Write what a recomputation found, unless the clock changed meanwhile (its version). */
static int row_store(struct db *db, const struct clock_row *r, const struct clock_result *res,
                     int check_version) {
    char now[21], due[11];
    now_iso(now);
    date_format(res->due, due);
    if (check_version)
        return db_exec(db,
                       "UPDATE record_clocks SET due_on = ?, state = ?, late = ?, stale = 0, "
                       "updated_at = ?, version = version + 1 WHERE id = ? AND version = ?",
                       "ssisii", due, stored_state(r), (int64_t)res->late, now, r->id, r->version);
    return db_exec(db,
                   "UPDATE record_clocks SET due_on = ?, state = ?, late = ?, stale = 0, "
                   "updated_at = ?, version = version + 1 WHERE id = ?",
                   "ssisi", due, stored_state(r), (int64_t)res->late, now, r->id);
}

/* ---- steps (inside flow_apply's transaction) ---- */

/* The record's clock `code` with its parts; *found 0 when it has none. */
static int row_load(struct flow_ctx *c, const char *code, struct clock_row *r, int *found) {
    *found = 0;
    struct db_stmt *st = db_queryv(c->db,
                                   "SELECT " ROW_COLUMNS " FROM record_clocks c WHERE c.kind = ? "
                                   "AND c.record_id = ? AND c.clock = ?",
                                   "sis", c->kind->name, c->id, code);
    if (!st) return DB_ERROR;
    int rc = db_step(st);
    if (rc == DB_ROW) row_read(c->a, st, r);
    db_done(st);
    if (rc != DB_ROW) return rc == DB_DONE ? DB_OK : rc;
    *found = 1;
    st = db_queryv(c->db,
                   "SELECT " PART_COLUMNS " FROM record_clock_parts p WHERE p.clock_id = ? "
                   "ORDER BY p.clock_id, p.id",
                   "i", r->id);
    return st ? parts_read(c->a, st, r, 1) : DB_ERROR;
}

/* End the open suspension the day before `day` (a suspension that would cover no day goes). */
static int suspension_end(struct flow_ctx *c, struct clock_row *r, int32_t day) {
    if (!r->open_part) return DB_OK;
    int32_t from = 0;
    for (int i = 0; i < r->n_susp; i++)
        if (!r->susp[i].to) from = r->susp[i].from;
    int rc;
    if (day <= from) {
        rc = db_exec(c->db, "DELETE FROM record_clock_parts WHERE id = ?", "i", r->open_part);
    } else {
        char to[11];
        date_format(day - 1, to);
        rc = db_exec(c->db, "UPDATE record_clock_parts SET to_on = ? WHERE id = ?", "si", to,
                     r->open_part);
    }
    return rc;
}

static int step_start(struct flow_ctx *c, const struct flow_clock_def *d, int32_t day,
                      const struct clock_row *old, int found) {
    int64_t period = d->period;
    enum clock_unit unit = d->unit;
    if (d->period_setting) period = setting_int(c->db, d->period_setting);
    if (d->period_of) {
        int own = d->period;
        if (d->period_of(c->db, c->id, &own, &unit) != DB_OK) return DB_ERROR;
        period = own;
    }
    if (period < 0 || period > CLOCK_PERIOD_MAX) period = d->period;
    char now[21], start[11];
    now_iso(now);
    date_format(day, start);
    if (found) { /* a restart (e.g. after 补正): the period counts again from the date */
        if (db_exec(c->db, "DELETE FROM record_clock_parts WHERE clock_id = ?", "i", old->id) !=
            DB_OK)
            return DB_ERROR;
        return db_exec(c->db,
                       "UPDATE record_clocks SET start_on = ?, period = ?, unit = ?, "
                       "stopped_on = NULL, updated_at = ?, version = version + 1 WHERE id = ?",
                       "sissi", start, period, clock_unit_codes[unit], now, old->id);
    }
    return db_exec(c->db,
                   "INSERT INTO record_clocks (kind, record_id, clock, start_on, period, unit, "
                   "due_on, state, late, stale, created_at, updated_at, version) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, 'running', 0, 0, ?, ?, 1)",
                   "sississss", c->kind->name, c->id, d->code, start, period,
                   clock_unit_codes[unit], start, now, now);
}

static int part_insert(struct flow_ctx *c, const struct clock_row *r, const char *part,
                       int64_t period, const char *unit, const char *from, const char *reason,
                       const char *approver) {
    char now[21];
    now_iso(now);
    return db_exec(c->db,
                   "INSERT INTO record_clock_parts (clock_id, part, period, unit, from_on, to_on, "
                   "reason, approver, created_at) VALUES (?, ?, ?, ?, ?, NULL, ?, ?, ?)",
                   "isisssss", r->id, part, period, unit, from, reason, approver, now);
}

int flow_clock_steps(struct flow_ctx *c) {
    json_t *done = json_array();
    json_object_set_new(c->detail, "clocks", done);
    for (int i = 0; i < c->t->n_clocks; i++) {
        const struct flow_clock_step *s = &c->t->clocks[i];
        const struct flow_clock_def *d = flow_clock_def_find(c->kind, s->clock);
        int32_t day = c->today;
        if (s->arg && s->op != CLOCK_EXTEND && flow_arg_text(c, s->arg))
            day = day_of(flow_arg_text(c, s->arg));
        struct clock_row r;
        memset(&r, 0, sizeof r);
        int found, rc = row_load(c, d->code, &r, &found);
        if (rc != DB_OK) return FLOW_DB;
        /* Steps on a clock that is not running (never started, or already met) change nothing:
         * a record may predate its clock, and a stopped clock stays as it was closed. */
        int skip = s->op != CLOCK_START && (!found || r.stopped);
        const char *reason = *c->note ? c->note : c->t->zh;
        switch (skip ? -1 : (int)s->op) {
        case CLOCK_START:
            rc = step_start(c, d, day, &r, found);
            break;
        case CLOCK_STOP: {
            char stop[11];
            date_format(day, stop);
            rc = suspension_end(c, &r, day);
            if (rc == DB_OK)
                rc = db_exec(c->db, "UPDATE record_clocks SET stopped_on = ? WHERE id = ?", "si",
                             stop, r.id);
            break;
        }
        case CLOCK_SUSPEND:
            if (r.open_part) break; /* already suspended */
            if (r.n_susp >= CLOCK_PARTS_MAX) {
                flow_problem(c, s->arg ? s->arg : "note", "该期限中止次数已达上限",
                             "This time limit has been suspended too often");
                return FLOW_INVALID;
            }
            rc = part_insert(c, &r, "suspension", 0, clock_unit_codes[r.unit], date_text(c->a, day),
                             reason, "");
            break;
        case CLOCK_RESUME:
            rc = suspension_end(c, &r, day);
            break;
        case CLOCK_EXTEND: {
            int64_t by =
                d->extend_setting ? setting_int(c->db, d->extend_setting) : d->extend_period;
            int64_t add = s->arg ? flow_arg_int(c, s->arg, by) : by;
            if (r.n_ext >= CLOCK_PARTS_MAX || add <= 0 || add > CLOCK_PERIOD_MAX) {
                flow_problem(c, s->arg ? s->arg : "note", "该期限不能再延长",
                             "This time limit cannot be extended further");
                return FLOW_INVALID;
            }
            const struct principal *p = c->actor->who;
            const char *approver =
                p && p->display_name ? p->display_name : c->actor->audit->username;
            rc = part_insert(c, &r, "extension", add, clock_unit_codes[r.unit], NULL, reason,
                             approver ? approver : "");
            break;
        }
        default:
            break;
        }
        if (rc != DB_OK) return FLOW_DB;
        if (skip) continue;
        /* Recompute from what is stored now. */
        if ((rc = row_load(c, d->code, &r, &found)) != DB_OK || !found) return FLOW_DB;
        struct clock_result res;
        if (row_compute(c->db, c->a, NULL, &r, c->today, 0, &res) != DB_OK ||
            row_store(c->db, &r, &res, 0) != DB_OK)
            return FLOW_DB;
        json_array_append_new(done,
                              json_pack("{s:s,s:s,s:s}", "clock", d->code, "op",
                                        clock_op_codes[s->op], "due_on", date_text(c->a, res.due)));
    }
    return FLOW_OK;
}

int flow_clock_start(struct db *db, struct arena *a, const struct flow_kind *k, int64_t id,
                     const char *code, int32_t day) {
    const struct flow_clock_def *d = flow_clock_def_find(k, code);
    if (!d) return FLOW_NOT_FOUND;
    struct flow_ctx c = {.db = db, .a = a, .kind = k, .id = id, .today = date_today()};
    struct clock_row r;
    memset(&r, 0, sizeof r);
    int found;
    struct clock_result res;
    if (row_load(&c, d->code, &r, &found) != DB_OK || step_start(&c, d, day, &r, found) != DB_OK)
        return FLOW_DB;
    memset(&r, 0, sizeof r);
    if (row_load(&c, d->code, &r, &found) != DB_OK || !found ||
        row_compute(db, a, NULL, &r, c.today, 0, &res) != DB_OK ||
        row_store(db, &r, &res, 0) != DB_OK)
        return FLOW_DB;
    return FLOW_OK;
}

int flow_clock_stop(struct db *db, struct arena *a, const struct flow_kind *k, int64_t id,
                    const char *code, int32_t day) {
    const struct flow_clock_def *d = flow_clock_def_find(k, code);
    if (!d) return FLOW_NOT_FOUND;
    struct flow_ctx c = {.db = db, .a = a, .kind = k, .id = id, .today = date_today()};
    struct clock_row r;
    memset(&r, 0, sizeof r);
    int found;
    if (row_load(&c, d->code, &r, &found) != DB_OK) return FLOW_DB;
    if (!found || r.stopped) return FLOW_OK;
    char stop[11];
    date_format(day, stop);
    struct clock_result res;
    if (suspension_end(&c, &r, day) != DB_OK ||
        db_exec(db, "UPDATE record_clocks SET stopped_on = ? WHERE id = ?", "si", stop, r.id) !=
            DB_OK)
        return FLOW_DB;
    memset(&r, 0, sizeof r);
    if (row_load(&c, d->code, &r, &found) != DB_OK || !found ||
        row_compute(db, a, NULL, &r, c.today, 0, &res) != DB_OK ||
        row_store(db, &r, &res, 0) != DB_OK)
        return FLOW_DB;
    return FLOW_OK;
}

/* ---- the record's clocks served ---- */

json_t *flow_clocks_json(struct db *db, struct arena *a, const struct flow_kind *k, int64_t id,
                         int32_t today, int lang) {
    struct clock_row *rows = arena_alloc(a, sizeof *rows * (size_t)(k->n_clocks + 1));
    int n = 0, rc;
    struct db_stmt *st = db_queryv(db,
                                   "SELECT " ROW_COLUMNS " FROM record_clocks c WHERE c.kind = ? "
                                   "AND c.record_id = ? ORDER BY c.id",
                                   "si", k->name, id);
    if (!st) return NULL;
    while ((rc = db_step(st)) == DB_ROW && n <= k->n_clocks)
        row_read(a, st, &rows[n++]);
    db_done(st);
    if (rc < 0) return NULL;
    if (n) {
        st = db_queryv(db,
                       "SELECT " PART_COLUMNS " FROM record_clock_parts p WHERE p.clock_id IN "
                       "(SELECT id FROM record_clocks WHERE kind = ? AND record_id = ?) "
                       "ORDER BY p.clock_id, p.id",
                       "si", k->name, id);
        if (!st || parts_read(a, st, rows, n) != DB_OK) return NULL;
    }
    struct span_calendar sc;
    if (calendar_for(db, a, rows, n, today, &sc) != DB_OK) return NULL;
    json_t *out = json_array();
    for (int i = 0; i < n; i++) {
        const struct clock_row *r = &rows[i];
        struct clock_result res;
        if (row_compute(db, a, &sc, r, today, lang, &res) != DB_OK) {
            json_decref(out);
            return NULL;
        }
        const char *zh = r->def ? r->def->zh : r->clock, *en = r->def ? r->def->en : r->clock;
        json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:i,s:s,s:s,s:i,s:s,s:b,s:i,s:s}", "code",
                              r->clock, "label", lang ? en : zh, "zh", zh, "en", en, "start_on",
                              date_text(a, r->start), "period", r->period, "unit",
                              clock_unit_codes[r->unit], "due_on", date_text(a, res.due), "left",
                              res.left, "state", clock_state_codes[res.state], "late", res.late,
                              "suspended_days", res.suspended_days, "explain", res.explain);
        json_object_set_new(o, "stopped_on",
                            r->stopped ? json_string(date_text(a, r->stopped)) : json_null());
        json_array_append_new(out, o);
    }
    return out;
}

/* ---- calendar changes ---- */

int flow_clocks_mark(struct db *db, int32_t from, int32_t to) {
    /* A day D changes a due date only when the clock started before D and is due on or after
     * it (the end rule's skipped days lie before the due date too). */
    char f[11], t[11];
    date_format(from, f);
    date_format(to, t);
    return db_exec(db,
                   "UPDATE record_clocks SET stale = 1, version = version + 1 "
                   "WHERE start_on < ? AND due_on >= ?",
                   "ss", t, f);
}

/* A batch of recomputed clocks, read with no transaction open. */
struct recompute {
    struct clock_row *rows;
    struct clock_result *res;
    int n;
};

static int recompute_read(struct db *db, struct arena *a, int suspended, int64_t after,
                          int32_t today, struct recompute *out) {
    out->n = 0;
    out->rows = arena_alloc(a, sizeof *out->rows * FLOW_CLOCK_BATCH);
    out->res = arena_alloc(a, sizeof *out->res * FLOW_CLOCK_BATCH);
    struct db_stmt *st =
        db_queryv(db,
                  suspended ? "SELECT " ROW_COLUMNS " FROM record_clocks c WHERE c.state = "
                              "'suspended' AND c.id > ? ORDER BY c.id LIMIT ?"
                            : "SELECT " ROW_COLUMNS " FROM record_clocks c WHERE c.stale = 1 "
                              "AND c.id > ? ORDER BY c.id LIMIT ?",
                  "ii", after, (int64_t)FLOW_CLOCK_BATCH);
    if (!st) return DB_ERROR;
    int rc;
    while ((rc = db_step(st)) == DB_ROW && out->n < FLOW_CLOCK_BATCH)
        row_read(a, st, &out->rows[out->n++]);
    db_done(st);
    if (rc < 0) return rc;
    if (!out->n) return DB_OK;
    /* the batch's parts only: the same condition over the same id range */
    st = db_queryv(db,
                   suspended ? "SELECT " PART_COLUMNS " FROM record_clock_parts p JOIN "
                               "record_clocks c ON c.id = p.clock_id WHERE c.state = 'suspended' "
                               "AND c.id > ? AND c.id <= ? ORDER BY p.clock_id, p.id"
                             : "SELECT " PART_COLUMNS " FROM record_clock_parts p JOIN "
                               "record_clocks c ON c.id = p.clock_id WHERE c.stale = 1 "
                               "AND c.id > ? AND c.id <= ? ORDER BY p.clock_id, p.id",
                   "ii", after, out->rows[out->n - 1].id);
    if (!st || (rc = parts_read(a, st, out->rows, out->n)) != DB_OK) return st ? rc : DB_ERROR;
    struct span_calendar sc;
    if ((rc = calendar_for(db, a, out->rows, out->n, today, &sc)) != DB_OK) return rc;
    for (int i = 0; i < out->n; i++)
        if ((rc = row_compute(db, a, &sc, &out->rows[i], today, 0, &out->res[i])) != DB_OK)
            return rc;
    return DB_OK;
}

static int recompute_write(struct db *db, const struct recompute *b) {
    for (int i = 0; i < b->n; i++) {
        int rc = row_store(db, &b->rows[i], &b->res[i], 1); /* skipped when changed meanwhile */
        if (rc != DB_OK) return rc;
    }
    return DB_OK;
}

int flow_clocks_recompute_batch(struct db *db, int suspended_too, int64_t *after, int *n) {
    struct arena *a = arena_new(16384);
    struct recompute b;
    int rc = recompute_read(db, a, suspended_too, *after, date_today(), &b);
    if (rc == DB_OK && b.n) {
        rc = db_begin(db);
        if (rc == DB_OK) rc = recompute_write(db, &b);
        if (rc == DB_OK)
            rc = db_commit(db);
        else
            db_rollback(db);
    }
    *n = rc == DB_OK ? b.n : 0;
    if (rc == DB_OK && b.n) *after = b.rows[b.n - 1].id;
    arena_free(a);
    return rc;
}

void flow_clocks_settle(struct db *db) {
    int64_t after = 0;
    int n = 0;
    for (int i = 0; i < FLOW_SETTLE_BATCHES; i++) {
        int rc = flow_clocks_recompute_batch(db, 0, &after, &n);
        if (rc != DB_OK) {
            log_error("clocks: recomputing after a calendar change failed (%d); the daily job "
                      "finishes it",
                      rc);
            return;
        }
        if (n < FLOW_CLOCK_BATCH) return;
    }
}

static int watch_changed(struct db *db, int32_t from, int32_t to) {
    return flow_clocks_mark(db, from, to);
}

static const struct calendar_watcher watcher = {watch_changed, flow_clocks_settle};

void flow_clock_watch_calendar(void) {
    static int done;
    if (!done) calendar_watch(&watcher);
    done = 1;
}

/* ---- the daily job ---- */

enum { P_STALE, P_SUSPENDED, P_DIGEST, P_DONE };

struct clock_run {
    int32_t today, from; /* the run's day; first day whose crossings are raised */
    int phase, kind;     /* P_*; in P_DIGEST the index of the kind (flow_kind_at) */
    int64_t after;       /* last id (clock or unit) done */
    int64_t recomputed, units, digests;
};

#define RUN_FORMAT "v1 today=%d from=%d phase=%d kind=%d after=%lld rc=%lld units=%lld dg=%lld"

static void run_format(const struct clock_run *r, char *out) {
    snprintf(out, JOB_STATE_MAX, RUN_FORMAT, r->today, r->from, r->phase, r->kind,
             (long long)r->after, (long long)r->recomputed, (long long)r->units,
             (long long)r->digests);
}

static int run_parse(const char *s, struct clock_run *r) {
    memset(r, 0, sizeof *r);
    long long after, rc, units, dg;
    if (sscanf(s ? s : "", RUN_FORMAT, &r->today, &r->from, &r->phase, &r->kind, &after, &rc,
               &units, &dg) != 8 ||
        r->phase < P_STALE || r->phase > P_DONE) {
        log_error("job clocks: unreadable state '%s'", s ? s : "");
        return -1;
    }
    r->after = after;
    r->recomputed = rc;
    r->units = units;
    r->digests = dg;
    return 0;
}

/* The next kind with clocks at or after index i (flow_kind_count() when none). */
static int next_clock_kind(int i) {
    while (i < flow_kind_count() && !flow_kind_at(i)->n_clocks)
        i++;
    return i;
}

int flow_clock_job_start(struct db *db, int32_t today, int32_t last_ok, char *state) {
    (void)db;
    struct clock_run r = {.today = today, .phase = P_STALE};
    r.from = last_ok > 0 && last_ok < today ? last_ok + 1 : today;
    if (r.from < today - CATCHUP_DAYS + 1) r.from = today - CATCHUP_DAYS + 1;
    run_format(&r, state);
    return DB_OK;
}

struct clock_batch {
    int next_phase, next_kind;
    int64_t next_after;
    struct recompute re;  /* P_STALE, P_SUSPENDED */
    struct notify_msg *m; /* P_DIGEST */
    int n_msgs, n_units;
};

/* The clocks of kind k reaching their reminder day, or overdue, on a day in [from, today]:
 * appended to q with its parameters. */
static int digest_condition(struct db *db, struct arena *a, const struct flow_kind *k,
                            const struct clock_run *r, struct query *q) {
    int max_remind = 0;
    for (int i = 0; i < k->n_clocks; i++)
        if (k->clocks[i].remind_days > max_remind) max_remind = k->clocks[i].remind_days;
    struct calendar *cal;
    int rc = calendar_load(db, a, r->from - 2, r->today + 2 * max_remind + 60, &cal);
    if (rc != DB_OK) return rc;
    const char *today = date_text(a, r->today), *from = date_text(a, r->from);
    query_add(q,
              " c.kind = ? AND c.state IN ('running', 'extended') AND ((c.due_on >= ? AND "
              "c.due_on < ?)",
              "sss", k->name, date_text(a, r->from - 1), today);
    for (int i = 0; i < k->n_clocks; i++) {
        const struct flow_clock_def *d = &k->clocks[i];
        if (!d->remind_days) continue;
        /* the reminder day: remind_days (in the clock's unit) before the due date */
        int32_t soon_today = d->unit == CLOCK_WORKDAYS
                                 ? calendar_add_workdays(cal, r->today, d->remind_days)
                                 : r->today + d->remind_days;
        int32_t soon_before = d->unit == CLOCK_WORKDAYS
                                  ? calendar_add_workdays(cal, r->from - 1, d->remind_days)
                                  : r->from - 1 + d->remind_days;
        const char *hi = date_text(a, soon_today);
        /* crossed since the last run, or started since inside its reminder window */
        query_add(q,
                  " OR (c.clock = ? AND ((c.due_on > ? AND c.due_on <= ?) OR (c.start_on >= ? "
                  "AND c.due_on >= ? AND c.due_on <= ?)))",
                  "ssssss", d->code, date_text(a, soon_before), hi, from, today, hi);
    }
    query_add(q, ")", "");
    return DB_OK;
}

#define RECIPIENTS_SELECT                                                                          \
    "SELECT u.id, u.unit_id, u.email, u.display_name FROM users u JOIN role_permissions rp "       \
    "ON rp.role_id = u.role_id AND rp.permission = ? WHERE u.locked = 0 AND u.unit_id > ? "        \
    "AND u.unit_id <= ? ORDER BY u.unit_id, u.id"

static int digest_read(struct db *db, struct arena *a, const struct clock_run *r,
                       struct clock_batch *b) {
    const struct flow_kind *k = flow_kind_at(r->kind);
    /* the next DIGEST_UNITS responsible units with something to say */
    struct query q;
    query_init(&q, a,
               arena_printf(a,
                            "SELECT DISTINCT x.%s FROM record_clocks c JOIN %s x ON x.id = "
                            "c.record_id WHERE",
                            k->unit_column, k->table));
    int rc = digest_condition(db, a, k, r, &q);
    if (rc != DB_OK) return rc;
    query_add(&q, arena_printf(a, " AND x.%s > ? ORDER BY 1 LIMIT ?", k->unit_column), "ii",
              r->after, (int64_t)DIGEST_UNITS);
    struct db_stmt *st = query_prepare(db, &q);
    if (!st) return DB_ERROR;
    int n = 0;
    int64_t last = r->after;
    while ((rc = db_step(st)) == DB_ROW) {
        last = db_col_int(st, 0);
        n++;
    }
    db_done(st);
    if (rc < 0) return rc;
    b->n_units = n;
    b->next_after = last;
    if (n < DIGEST_UNITS) { /* the kind is done: the next one */
        b->next_kind = next_clock_kind(r->kind + 1);
        b->next_after = 0;
        if (b->next_kind >= flow_kind_count()) b->next_phase = P_DONE;
    }
    if (!n) return DB_OK;

    /* their counts, in one query */
    const char *today = date_text(a, r->today);
    query_init(&q, a, "");
    query_add(&q,
              arena_printf(a,
                           "SELECT x.%s, SUM(CASE WHEN c.due_on < ? THEN 1 ELSE 0 END), "
                           "COUNT(*), MIN(CASE WHEN c.due_on >= ? THEN c.due_on END) "
                           "FROM record_clocks c JOIN %s x ON x.id = c.record_id WHERE",
                           k->unit_column, k->table),
              "ss", today, today);
    if ((rc = digest_condition(db, a, k, r, &q)) != DB_OK) return rc;
    query_add(&q,
              arena_printf(a, " AND x.%s > ? AND x.%s <= ? GROUP BY x.%s ORDER BY 1",
                           k->unit_column, k->unit_column, k->unit_column),
              "ii", r->after, last);
    struct unit_counts {
        int64_t unit, overdue, soon;
        const char *first_due;
    } *uc = arena_alloc(a, sizeof *uc * DIGEST_UNITS);
    int nu = 0;
    if (!(st = query_prepare(db, &q))) return DB_ERROR;
    while ((rc = db_step(st)) == DB_ROW && nu < DIGEST_UNITS) {
        uc[nu].unit = db_col_int(st, 0);
        uc[nu].overdue = db_col_int(st, 1);
        uc[nu].soon = db_col_int(st, 2) - uc[nu].overdue;
        uc[nu].first_due = arena_strdup(a, db_col_text(st, 3));
        nu++;
    }
    db_done(st);
    if (rc < 0) return rc;

    /* their accounts, in one query; one digest each */
    st = db_queryv(db, RECIPIENTS_SELECT, "sii", perm_code(k->perm_work), r->after, last);
    if (!st) return DB_ERROR;
    int cap = 64, j = 0;
    b->m = arena_alloc(a, sizeof *b->m * (size_t)cap);
    const char *key = arena_printf(a, "clock_digest:%s:%s", k->name, today);
    while ((rc = db_step(st)) == DB_ROW) {
        int64_t unit = db_col_int(st, 1);
        while (j < nu && uc[j].unit < unit)
            j++;
        if (j >= nu || uc[j].unit != unit) continue;
        const struct unit_counts *u = &uc[j];
        if (b->n_msgs == cap) {
            struct notify_msg *m = arena_alloc(a, sizeof *m * (size_t)cap * 2);
            memcpy(m, b->m, sizeof *m * (size_t)cap);
            b->m = m;
            cap *= 2;
        }
        const char *parts = u->soon && u->overdue
                                ? arena_printf(a, "%lld 项临近届满、%lld 项已逾期",
                                               (long long)u->soon, (long long)u->overdue)
                            : u->soon ? arena_printf(a, "%lld 项临近届满", (long long)u->soon)
                                      : arena_printf(a, "%lld 项已逾期", (long long)u->overdue);
        const char *parts_en = u->soon && u->overdue
                                   ? arena_printf(a, "%lld due soon, %lld overdue",
                                                  (long long)u->soon, (long long)u->overdue)
                               : u->soon ? arena_printf(a, "%lld due soon", (long long)u->soon)
                                         : arena_printf(a, "%lld overdue", (long long)u->overdue);
        const char *kind_en = k->en ? k->en : k->zh;
        int64_t user = db_col_int(st, 0);
        b->m[b->n_msgs++] = (struct notify_msg){
            .user_id = user,
            .email = arena_strdup(a, db_col_text(st, 2)),
            .name = arena_strdup(a, db_col_text(st, 3)),
            .kind = "clock_digest",
            .title = arena_printf(a, "【法定期限】%s：%s", k->zh, parts),
            .body = u->soon ? arena_printf(a,
                                           "截至 %s，你单位%s的法定期限%s（最早 %s 届满），请在期限"
                                           "内办结。",
                                           today, k->zh, parts, u->first_due ? u->first_due : "")
                            : arena_printf(a, "截至 %s，你单位%s的法定期限%s，请尽快办结。", today,
                                           k->zh, parts),
            .title_en = arena_printf(a, "[Statutory time limits] %s: %s", kind_en, parts_en),
            .body_en =
                u->soon ? arena_printf(a,
                                       "As of %s, your unit's %s: %s by their statutory "
                                       "time limits (the first ends on %s); finish them "
                                       "in time.",
                                       today, kind_en, parts_en, u->first_due ? u->first_due : "")
                        : arena_printf(a,
                                       "As of %s, your unit's %s: %s by their statutory "
                                       "time limits; finish them as soon as possible.",
                                       today, kind_en, parts_en),
            .link = k->web_path,
            .dedup_key = arena_printf(a, "%s:%lld", key, (long long)user),
            .no_webhook = 1, /* a digest is per account: inbox and e-mail, not the group robot */
        };
    }
    db_done(st);
    return rc < 0 ? rc : DB_OK;
}

int flow_clock_job_read(struct db *db, struct arena *a, const char *state, void **batch) {
    *batch = NULL;
    struct clock_run r;
    if (run_parse(state, &r)) return DB_ERROR;
    if (r.phase >= P_DONE) return DB_OK;
    struct clock_batch *b = arena_alloc(a, sizeof *b);
    b->next_phase = r.phase;
    b->next_kind = r.kind;
    b->next_after = r.after;
    int rc = DB_OK;
    if (r.phase == P_DIGEST) {
        if (r.kind >= flow_kind_count()) {
            b->next_phase = P_DONE;
        } else {
            rc = digest_read(db, a, &r, b);
        }
    } else {
        rc = recompute_read(db, a, r.phase == P_SUSPENDED, r.after, r.today, &b->re);
        if (rc == DB_OK && b->re.n) b->next_after = b->re.rows[b->re.n - 1].id;
        if (rc == DB_OK && b->re.n < FLOW_CLOCK_BATCH) {
            b->next_phase = r.phase + 1;
            b->next_after = 0;
            if (b->next_phase == P_DIGEST) {
                b->next_kind = next_clock_kind(0);
                if (b->next_kind >= flow_kind_count()) b->next_phase = P_DONE;
            }
        }
    }
    if (rc != DB_OK) return rc;
    *batch = b;
    return DB_OK;
}

int flow_clock_job_write(struct db *db, void *batch, char *state) {
    struct clock_run r;
    if (run_parse(state, &r)) return DB_ERROR;
    const struct clock_batch *b = batch;
    int raised = 0;
    int rc = recompute_write(db, &b->re);
    if (rc == DB_OK && b->n_msgs) {
        raised = notify_raise_batch(db, b->m, b->n_msgs);
        if (raised < 0) rc = raised;
    }
    if (rc != DB_OK) return rc;
    r.recomputed += b->re.n;
    r.units += b->n_units;
    r.digests += raised;
    r.phase = b->next_phase;
    r.kind = b->next_kind;
    r.after = b->next_after;
    run_format(&r, state);
    return DB_OK;
}

void flow_clock_job_result(const char *state, char *out, size_t n) {
    struct clock_run r;
    if (run_parse(state, &r)) {
        snprintf(out, n, "?");
        return;
    }
    char from[11];
    date_format(r.from, from);
    snprintf(out, n, "recomputed=%lld units=%lld clock_digest=%lld from=%s",
             (long long)r.recomputed, (long long)r.units, (long long)r.digests, from);
}
