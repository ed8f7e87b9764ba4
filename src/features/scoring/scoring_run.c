/* scoring_run.c — one pass of a scoring run (scoring_run.h). */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/log.h"
#include "base/timeutil.h"
#include "features/assess/assess_rule.h"
#include "features/metrics/metrics.h"
#include "features/scoring/scoring.h"
#include "features/scoring/scoring_run.h"
#include "store/settings.h"

const char *scoring_category(const char *kind) {
    return kind && (!strcmp(kind, "street") || !strcmp(kind, "township")) ? "township"
                                                                          : "department";
}

int scoring_begin(struct db *db, int64_t run_id, int64_t unit_id, int64_t *token) {
    char now[21];
    now_iso(now);
    int64_t runs = 0;
    if (db_query_int(db, &runs, "SELECT runs FROM assess_runs WHERE id = ?", "i", run_id) != DB_ROW)
        return DB_ERROR;
    *token = runs + 1;
    /* the units counted: a whole pass the assessed units, a unit's pass that one */
    return db_exec(
        db,
        "UPDATE assess_runs SET runs = ?, started_at = ?, finished_at = NULL,"
        " units_done = CASE WHEN CAST(? AS BIGINT) > 0 THEN units_done ELSE 0 END WHERE id = ?",
        "isii", *token, now, unit_id, run_id);
}

/* ---- the background thread ---- */

struct bg {
    char *url;
    int64_t run_id, token;
};

static void *bg_main(void *arg) {
    struct bg *b = arg;
    struct db *db = NULL;
    char err[300];
    if (db_open(b->url, &db, err, sizeof err) != DB_OK) {
        log_error("scoring: cannot open the database: %s", err);
        goto out;
    }
    /* the pass's transaction commits after the step answers: wait for its token (30 s) */
    int seen = 0;
    for (int i = 0; i < 300 && !seen; i++) {
        int64_t runs = 0;
        db_unit_start(db);
        if (db_query_int(db, &runs, "SELECT runs FROM assess_runs WHERE id = ?", "i", b->run_id) ==
                DB_ROW &&
            runs >= b->token) {
            seen = runs == b->token;
            break;
        }
        struct timespec ts = {0, 100 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    if (seen) {
        db_unit_start(db);
        int rc = scoring_compute(db, b->run_id, 0, b->token, NULL, NULL, err, sizeof err);
        if (rc < 0) log_error("scoring: run %lld failed: %s", (long long)b->run_id, err);
    }
out:
    db_close(db);
    free(b->url);
    free(b);
    return NULL;
}

int scoring_start_background(struct db *db, int64_t run_id, int64_t token) {
    const char *url = db_url(db);
    if (!url) return -1;
    struct bg *b = calloc(1, sizeof *b);
    if (!b) return -1;
    b->url = strdup(url);
    b->run_id = run_id;
    b->token = token;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    /* SIGTERM/SIGINT belong to the server's sigwait */
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGINT);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    pthread_t t;
    int rc = pthread_create(&t, &attr, bg_main, b);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    pthread_attr_destroy(&attr);
    if (rc) {
        free(b->url);
        free(b);
        return -1;
    }
    return 0;
}

/* ---- the computation ---- */

struct leaf {
    int64_t id, weight;
    const char *code, *name, *rule_code, *metric_code, *params;
    struct assess_rule rule;
    int rule_ok;
    char rule_zh[200], rule_en[200];
    const struct entity *e;
    const struct entity_metric *m;
    int slot; /* index into the figures of a unit, -1 without a metric */
};

struct unit {
    int64_t id;
    const char *path, *kind;
    int assessed; /* index among the assessed + 1, or 0 */
};

struct fig {
    int64_t num, den;
    double sum;
};

struct cell {
    int64_t id, num, den, value, points, final_points, assessor;
    int has_assessor, has_value, veto, pending, exists;
};

static int by_id(const void *k, const void *x) {
    int64_t a = *(const int64_t *)k, b = ((const struct unit *)x)->id;
    return a < b ? -1 : a > b;
}

static int leaf_of(const struct leaf *l, int n, int64_t id) {
    for (int i = 0; i < n; i++)
        if (l[i].id == id) return i;
    return -1;
}

static int fail(char *err, size_t n, struct db *db, const char *what) {
    snprintf(err, n, "%s: %s", what, db_errmsg(db));
    return DB_ERROR;
}

/* Whether pass `token` is still the run's newest. 1, 0, or < 0. */
static int current(struct db *db, int64_t run_id, int64_t token) {
    int64_t runs = 0;
    int rc = db_query_int(db, &runs, "SELECT runs FROM assess_runs WHERE id = ?", "i", run_id);
    return rc == DB_ROW ? runs == token : rc < 0 ? rc : 0;
}

/* The pass's own transactions, or none inside the caller's (the demo). */
static int in_caller_tx;
static int tx_begin(struct db *db) {
    return in_caller_tx ? DB_OK : db_begin(db);
}
static int tx_commit(struct db *db) {
    return in_caller_tx ? DB_OK : db_commit(db);
}
static void tx_rollback(struct db *db) {
    if (!in_caller_tx) db_rollback(db);
}

int scoring_compute_in_tx(struct db *db, int64_t run_id, int64_t unit_id, int64_t token, char *err,
                          size_t errlen) {
    in_caller_tx = 1;
    int rc = scoring_compute(db, run_id, unit_id, token, NULL, NULL, err, errlen);
    in_caller_tx = 0;
    return rc;
}

int scoring_compute(struct db *db, int64_t run_id, int64_t unit_id, int64_t token,
                    scoring_progress_fn progress, void *cls, char *err, size_t errlen) {
    struct arena *a = arena_new(1 << 20);
    int rc = DB_ERROR;
    err[0] = 0;
    /* the run */
    int64_t system_id = 0, created_by = 0;
    char from[11] = "", to[11] = "";
    struct db_stmt *st = db_queryv(
        db, "SELECT system_id, period_from, period_to, created_by FROM assess_runs WHERE id = ?",
        "i", run_id);
    rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW) {
        system_id = db_col_int(st, 0);
        snprintf(from, sizeof from, "%s", db_col_text(st, 1));
        snprintf(to, sizeof to, "%s", db_col_text(st, 2));
        created_by = db_col_int(st, 3);
    }
    db_done(st);
    if (rc != DB_ROW) {
        rc = rc == DB_DONE ? DB_DONE : fail(err, errlen, db, "the run");
        goto out;
    }

    /* the leaves with a rule */
    int64_t n_ind = 0;
    if (db_query_int(db, &n_ind, "SELECT COUNT(*) FROM assess_indicators WHERE system_id = ?", "i",
                     system_id) != DB_ROW) {
        rc = fail(err, errlen, db, "the indicators");
        goto out;
    }
    struct leaf *lv = arena_alloc(a, (size_t)(n_ind + 1) * sizeof *lv);
    int nl = 0, n_slots = 0;
    st = db_queryv(db,
                   "SELECT i.id, i.code, i.name, i.weight, i.rule, i.metric, i.params"
                   " FROM assess_indicators i WHERE i.system_id = ? AND i.rule IS NOT NULL"
                   " AND i.rule <> '' AND NOT EXISTS (SELECT 1 FROM assess_indicators k"
                   " WHERE k.parent_id = i.id) ORDER BY i.sort_order, i.code, i.id",
                   "i", system_id);
    while (st && (rc = db_step(st)) == DB_ROW && nl < n_ind) {
        struct leaf *l = &lv[nl++];
        memset(l, 0, sizeof *l);
        l->id = db_col_int(st, 0);
        l->code = arena_strdup(a, db_col_text(st, 1));
        l->name = arena_strdup(a, db_col_text(st, 2));
        l->weight = db_col_int(st, 3);
        l->rule_code = arena_strdup(a, db_col_text(st, 4));
        l->metric_code = arena_strdup(a, db_col_text(st, 5) ? db_col_text(st, 5) : "");
        l->params = arena_strdup(a, db_col_text(st, 6) ? db_col_text(st, 6) : "");
        l->slot = -1;
        int t = assess_rule_type_of(l->rule_code);
        l->rule_ok =
            t >= 0 && assess_rule_parse((enum assess_rule_type)t, l->params, l->weight, &l->rule,
                                        l->rule_zh, l->rule_en, sizeof l->rule_zh) == 0;
        if (l->metric_code[0] && assess_metric_resolve(l->metric_code, &l->e, &l->m) != 0)
            l->e = NULL, l->m = NULL;
    }
    db_done(st);
    if (!st || (rc != DB_DONE && rc != DB_ROW)) {
        rc = fail(err, errlen, db, "the leaves");
        goto out;
    }
    /* one slot per distinct (entity, metric) */
    for (int i = 0; i < nl; i++) {
        if (!lv[i].m) continue;
        for (int j = 0; j < i; j++)
            if (lv[j].m == lv[i].m && lv[j].e == lv[i].e) lv[i].slot = lv[j].slot;
        if (lv[i].slot < 0) lv[i].slot = n_slots++;
    }

    /* the units: every unit (the roll-up reads the paths), the assessed ones marked */
    char kinds[300];
    if (scoring_setting_text(db, "assess.unit_kinds", kinds, sizeof kinds) != DB_OK) {
        rc = fail(err, errlen, db, "settings");
        goto out;
    }
    int64_t n_all = 0;
    if (db_query_int(db, &n_all, "SELECT COUNT(*) FROM units", "") != DB_ROW) {
        rc = fail(err, errlen, db, "units");
        goto out;
    }
    struct unit *us = arena_alloc(a, (size_t)(n_all + 1) * sizeof *us);
    int nu = 0, na = 0;
    int64_t *assessed = arena_alloc(a, (size_t)(n_all + 1) * sizeof *assessed);
    const char **acat = arena_alloc(a, (size_t)(n_all + 1) * sizeof *acat);
    st = db_queryv(db, "SELECT id, path, kind, active FROM units ORDER BY id", "");
    while (st && (rc = db_step(st)) == DB_ROW && nu < n_all) {
        struct unit *u = &us[nu++];
        u->id = db_col_int(st, 0);
        u->path = arena_strdup(a, db_col_text(st, 1));
        u->kind = arena_strdup(a, db_col_text(st, 2));
        u->assessed = 0;
        char probe[64];
        snprintf(probe, sizeof probe, ",%s,", u->kind);
        char list[310];
        snprintf(list, sizeof list, ",%s,", kinds);
        for (char *p = list; *p; p++)
            if (*p == ' ') memmove(p, p + 1, strlen(p));
        if (db_col_int(st, 3) && strstr(list, probe) && (!unit_id || u->id == unit_id)) {
            assessed[na] = u->id;
            acat[na] = scoring_category(u->kind);
            u->assessed = ++na;
        }
    }
    db_done(st);
    if (!st || (rc != DB_DONE && rc != DB_ROW)) {
        rc = fail(err, errlen, db, "units");
        goto out;
    }
    if (unit_id && !na) {
        snprintf(err, errlen, "unit %lld is not an assessed unit", (long long)unit_id);
        rc = DB_ERROR;
        goto out;
    }

    /* the figures: one grouped query per entity, rolled up to every assessed ancestor */
    struct fig *figs =
        arena_alloc(a, (size_t)(na ? na : 1) * (size_t)(n_slots ? n_slots : 1) * sizeof *figs);
    memset(figs, 0, (size_t)(na ? na : 1) * (size_t)(n_slots ? n_slots : 1) * sizeof *figs);
    struct principal sys;
    memset(&sys, 0, sizeof sys);
    sys.user_id = created_by;
    sys.scope = SCOPE_ALL;
    sys.username = "scoring";
    sys.display_name = "scoring";
    memset(&sys.perms, 0xff, sizeof sys.perms);
    for (int i = 0; i < nl; i++) {
        if (!lv[i].m) continue;
        int first = 1;
        for (int j = 0; j < i; j++)
            if (lv[j].e == lv[i].e && lv[j].m) first = 0;
        if (!first) continue;
        const struct entity *e = lv[i].e;
        const struct entity_metric *ms[256];
        int slot_of[256], nm = 0;
        for (int j = i; j < nl && nm < 256; j++) {
            if (lv[j].e != e || !lv[j].m) continue;
            int dup = 0;
            for (int k = 0; k < nm; k++)
                if (ms[k] == lv[j].m) dup = 1;
            if (dup) continue;
            ms[nm] = lv[j].m;
            slot_of[nm++] = lv[j].slot;
        }
        struct entity_ctx c;
        if (entity_ctx_init(&c, db, a, e, &sys, 0, EP_COUNT) != DB_OK) {
            rc = fail(err, errlen, db, e->name);
            goto out;
        }
        struct metrics_per_unit pu;
        rc = metrics_per_unit(&c, ms, nm, from, to, unit_id, &pu);
        if (rc == DB_DONE) continue;
        if (rc != DB_OK) {
            rc = fail(err, errlen, db, e->name);
            goto out;
        }
        for (int r = 0; r < pu.n_units; r++) {
            const struct unit *u = bsearch(&pu.rows[r].unit_id, us, (size_t)nu, sizeof *us, by_id);
            if (!u) continue;
            /* the path "/1/7/12/": each id on it that is assessed gets the figures */
            for (const char *p = u->path; p && *p;) {
                while (*p == '/')
                    p++;
                if (!*p) break;
                int64_t anc = strtoll(p, NULL, 10);
                while (*p && *p != '/')
                    p++;
                const struct unit *x = bsearch(&anc, us, (size_t)nu, sizeof *us, by_id);
                if (!x || !x->assessed) continue;
                struct fig *f = &figs[(size_t)(x->assessed - 1) * (size_t)n_slots];
                for (int k = 0; k < nm; k++) {
                    f[slot_of[k]].num += pu.rows[r].num[k];
                    f[slot_of[k]].den += pu.rows[r].den[k];
                    f[slot_of[k]].sum += pu.rows[r].sum[k];
                }
            }
        }
    }

    /* the cells as they are */
    size_t n_cells = (size_t)na * (size_t)(nl ? nl : 1);
    struct cell *cells = arena_alloc(a, (n_cells ? n_cells : 1) * sizeof *cells);
    memset(cells, 0, (n_cells ? n_cells : 1) * sizeof *cells);
    char *has_result = arena_alloc(a, (size_t)(na ? na : 1));
    memset(has_result, 0, (size_t)(na ? na : 1));
    st = unit_id ? db_queryv(db,
                             "SELECT id, unit_id, indicator_id, num, den, value, points,"
                             " final_points, assessor_points, has_value, veto, pending"
                             " FROM assess_scores WHERE run_id = ? AND unit_id = ?",
                             "ii", run_id, unit_id)
                 : db_queryv(db,
                             "SELECT id, unit_id, indicator_id, num, den, value, points,"
                             " final_points, assessor_points, has_value, veto, pending"
                             " FROM assess_scores WHERE run_id = ?",
                             "i", run_id);
    while (st && (rc = db_step(st)) == DB_ROW) {
        int64_t uid = db_col_int(st, 1);
        const struct unit *u = bsearch(&uid, us, (size_t)nu, sizeof *us, by_id);
        int li = leaf_of(lv, nl, db_col_int(st, 2));
        if (!u || !u->assessed || li < 0) continue;
        struct cell *x = &cells[(size_t)(u->assessed - 1) * (size_t)nl + (size_t)li];
        x->exists = 1;
        x->id = db_col_int(st, 0);
        x->num = db_col_int(st, 3);
        x->den = db_col_int(st, 4);
        x->value = db_col_int(st, 5);
        x->points = db_col_int(st, 6);
        x->final_points = db_col_int(st, 7);
        x->has_assessor = db_col_type(st, 8) != DB_T_NULL;
        x->assessor = db_col_int(st, 8);
        x->has_value = (int)db_col_int(st, 9);
        x->veto = (int)db_col_int(st, 10);
        x->pending = (int)db_col_int(st, 11);
    }
    db_done(st);
    if (!st || rc != DB_DONE) {
        rc = fail(err, errlen, db, "the cells");
        goto out;
    }
    st = db_queryv(db, "SELECT unit_id FROM assess_results WHERE run_id = ?", "i", run_id);
    while (st && (rc = db_step(st)) == DB_ROW) {
        int64_t uid = db_col_int(st, 0);
        const struct unit *u = bsearch(&uid, us, (size_t)nu, sizeof *us, by_id);
        if (u && u->assessed) has_result[u->assessed - 1] = 1;
    }
    db_done(st);
    if (!st || rc != DB_DONE) {
        rc = fail(err, errlen, db, "the results");
        goto out;
    }

    /* write: batches of about SCORING_BATCH cells, whole units each */
    char now[21];
    now_iso(now);
    if (!unit_id) {
        if (tx_begin(db) != DB_OK) {
            rc = fail(err, errlen, db, "begin");
            goto out;
        }
        rc = current(db, run_id, token);
        if (rc == 1)
            rc = db_exec(db, "UPDATE assess_runs SET units_total = ?, units_done = 0 WHERE id = ?",
                         "ii", (int64_t)na, run_id);
        else if (rc == 0)
            rc = DB_DONE;
        if (rc != DB_OK || tx_commit(db) != DB_OK) {
            tx_rollback(db);
            if (rc == DB_OK) rc = fail(err, errlen, db, "commit");
            goto out;
        }
    }
    if (progress) progress(cls, 0, na);
    int ui = 0;
    while (ui < na) {
        struct arena *b = arena_new(1 << 16);
        int uend = ui, cells_in = 0;
        while (uend < na && (cells_in == 0 || cells_in + nl <= SCORING_BATCH)) {
            cells_in += nl;
            uend++;
        }
        if (tx_begin(db) != DB_OK) {
            arena_free(b);
            rc = fail(err, errlen, db, "begin");
            goto out;
        }
        rc = current(db, run_id, token);
        if (rc == 0) rc = DB_DONE;
        if (rc == 1) rc = DB_OK;
        for (int k = ui; rc == DB_OK && k < uend; k++) {
            int64_t uid = assessed[k];
            if (!has_result[k]) {
                rc = db_exec(db,
                             "INSERT INTO assess_results (run_id, unit_id, category, updated_at)"
                             " VALUES (?, ?, ?, ?)",
                             "iiss", run_id, uid, acat[k], now);
                has_result[k] = 1;
            }
            for (int li = 0; rc == DB_OK && li < nl; li++) {
                const struct leaf *l = &lv[li];
                struct cell *x = &cells[(size_t)k * (size_t)nl + (size_t)li];
                struct assess_input in;
                memset(&in, 0, sizeof in);
                in.label_zh = l->m ? l->m->zh : l->name;
                in.label_en = l->m ? l->m->en : l->name;
                const char *drill = "";
                if (l->m) {
                    const struct fig *f = &figs[(size_t)k * (size_t)n_slots + (size_t)l->slot];
                    in.metric = 1;
                    in.rate = l->m->type == METRIC_RATE;
                    in.num = f->num;
                    in.den = f->den;
                    if (l->m->type == METRIC_RATE) {
                        in.has_value = f->den > 0;
                        in.value = f->den > 0 ? assess_rate_value(f->num, f->den) : 0;
                    } else if (l->m->type == METRIC_AVG) {
                        in.has_value = f->num > 0;
                        double v = f->num ? f->sum * 100.0 / (double)f->num : 0;
                        in.value = (int64_t)(v + (v < 0 ? -0.5 : 0.5));
                    } else {
                        in.has_value = 1;
                        in.value = f->num * 100;
                    }
                    drill = metrics_unit_drill(b, l->e, l->m, 0, from, to, uid);
                }
                in.has_manual = x->has_assessor;
                in.manual = x->assessor;
                struct assess_outcome o;
                memset(&o, 0, sizeof o);
                if (l->rule_ok && (!l->metric_code[0] || l->m)) {
                    assess_rule_eval(&l->rule, l->weight, &in, &o, b);
                } else {
                    o.pending = 1;
                    o.zh = l->metric_code[0] && !l->m
                               ? arena_printf(b, "数据指标 %s 不存在，无法计分", l->metric_code)
                               : arena_printf(b, "计分规则无效：%s", l->rule_zh);
                    o.en = l->metric_code[0] && !l->m
                               ? arena_printf(b, "No metric %s: cannot score", l->metric_code)
                               : arena_printf(b, "Invalid rule: %s", l->rule_en);
                }
                int64_t final = x->has_assessor ? x->assessor : o.points;
                if (!strcmp(l->rule_code, "veto") && x->has_assessor) o.veto = x->assessor > 0;
                int pending = o.pending && !x->has_assessor;
                if (!x->exists) {
                    rc = db_exec(db,
                                 "INSERT INTO assess_scores (run_id, unit_id, indicator_id, rule,"
                                 " metric, num, den, value, has_value, points, veto, pending,"
                                 " final_points, explain_zh, explain_en, drill, computed_at,"
                                 " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                                 " ?, ?, ?, ?)",
                                 "iiissiiiiiiiisssss", run_id, uid, l->id, l->rule_code,
                                 l->metric_code, in.num, in.den, in.value, (int64_t)in.has_value,
                                 o.points, (int64_t)o.veto, (int64_t)pending, final,
                                 o.zh ? o.zh : "", o.en ? o.en : "", drill, now, now);
                    continue;
                }
                int changed = x->num != in.num || x->den != in.den || x->points != o.points;
                rc = db_exec(db,
                             "UPDATE assess_scores SET rule = ?, metric = ?, num = ?, den = ?,"
                             " value = ?, has_value = ?, points = ?, veto = ?, pending = ?,"
                             " final_points = ?, explain_zh = ?, explain_en = ?, drill = ?,"
                             " computed_at = ?, updated_at = CASE WHEN CAST(? AS BIGINT) = 1 THEN "
                             "CAST(? AS TEXT) ELSE"
                             " updated_at END, version = version + ? WHERE id = ?",
                             "ssiiiiiiiissssisii", l->rule_code, l->metric_code, in.num, in.den,
                             in.value, (int64_t)in.has_value, o.points, (int64_t)o.veto,
                             (int64_t)pending, final, o.zh ? o.zh : "", o.en ? o.en : "", drill,
                             now, (int64_t)changed, now, (int64_t)changed, x->id);
                if (rc == DB_OK && changed)
                    rc = db_exec(
                        db,
                        "INSERT INTO assess_changes (run_id, unit_id, indicator_id, pass, cause,"
                        " old_points, new_points, old_num, new_num, old_den, new_den, reason, at)"
                        " VALUES (?, ?, ?, ?, 'rerun', ?, ?, ?, ?, ?, ?, ?, ?)",
                        "iiiiiiiiiiss", run_id, uid, l->id, token, x->points, o.points, x->num,
                        in.num, x->den, in.den,
                        arena_printf(b, "重新计分：计数 %lld→%lld，基数 %lld→%lld，得分 %s→%s",
                                     (long long)x->num, (long long)in.num, (long long)x->den,
                                     (long long)in.den, assess_hundredths(b, x->points),
                                     assess_hundredths(b, o.points)),
                        now);
            }
        }
        if (rc == DB_OK && !unit_id)
            rc = db_exec(db, "UPDATE assess_runs SET units_done = ? WHERE id = ?", "ii",
                         (int64_t)uend, run_id);
        if (rc == DB_OK && tx_commit(db) != DB_OK) rc = fail(err, errlen, db, "commit");
        arena_free(b);
        if (rc != DB_OK) {
            tx_rollback(db);
            if (rc < 0 && !err[0]) fail(err, errlen, db, "the cells");
            goto out;
        }
        ui = uend;
        if (progress) progress(cls, ui, na);
    }

    /* the totals, ranks and grades, and the pass closed */
    if (tx_begin(db) != DB_OK) {
        rc = fail(err, errlen, db, "begin");
        goto out;
    }
    rc = current(db, run_id, token);
    if (rc == 0) rc = DB_DONE;
    if (rc == 1) rc = DB_OK;
    /* the sums, one statement for the pass's units */
    if (rc == DB_OK)
        rc = db_exec(db,
                     "UPDATE assess_results SET auto_total = (SELECT COALESCE(SUM(CASE WHEN"
                     " c.rule IN ('bonus', 'veto') THEN 0 ELSE c.points END), 0) FROM assess_scores"
                     " c WHERE c.run_id = assess_results.run_id AND c.unit_id ="
                     " assess_results.unit_id), self_total = (SELECT SUM(CASE WHEN c.rule IN"
                     " ('bonus', 'veto') THEN 0 ELSE COALESCE(c.self_points, c.points) END) FROM"
                     " assess_scores c WHERE c.run_id = assess_results.run_id AND c.unit_id ="
                     " assess_results.unit_id), bonus = (SELECT COALESCE(SUM(CASE WHEN c.rule ="
                     " 'bonus' THEN c.final_points ELSE 0 END), 0) FROM assess_scores c WHERE"
                     " c.run_id = assess_results.run_id AND c.unit_id = assess_results.unit_id),"
                     " total = (SELECT COALESCE(SUM(CASE WHEN c.rule = 'veto' THEN 0 ELSE"
                     " c.final_points END), 0) FROM assess_scores c WHERE c.run_id ="
                     " assess_results.run_id AND c.unit_id = assess_results.unit_id), veto ="
                     " (SELECT COALESCE(MAX(c.veto), 0) FROM assess_scores c WHERE c.run_id ="
                     " assess_results.run_id AND c.unit_id = assess_results.unit_id), pending ="
                     " (SELECT COALESCE(SUM(c.pending), 0) FROM assess_scores c WHERE c.run_id ="
                     " assess_results.run_id AND c.unit_id = assess_results.unit_id), updated_at"
                     " = ? WHERE run_id = ? AND (CAST(? AS BIGINT) = 0 OR unit_id = ?)",
                     "siii", now, run_id, unit_id, unit_id);
    if (rc == DB_OK) rc = scoring_rank(db, a, run_id);
    if (rc == DB_OK) {
        char done[21];
        now_iso(done);
        rc = db_exec(
            db, "UPDATE assess_runs SET finished_at = ?, units_done = units_total WHERE id = ?",
            "si", done, run_id);
    }
    if (rc == DB_OK && tx_commit(db) != DB_OK) rc = fail(err, errlen, db, "commit");
    if (rc != DB_OK) {
        tx_rollback(db);
        if (rc < 0 && !err[0]) fail(err, errlen, db, "the totals");
    }
out:
    arena_free(a);
    return rc;
}

int scoring_pass_begin(struct db *db, struct arena *a, int64_t run_id, int64_t unit_id,
                       const struct audit_actor *who, int64_t *token, const char **why) {
    *why = NULL;
    struct db_stmt *st = db_queryv(db,
                                   "SELECT r.status, s.status FROM assess_runs r JOIN"
                                   " assess_systems s ON s.id = r.system_id WHERE r.id = ?",
                                   "i", run_id);
    int rc = st ? db_step(st) : DB_ERROR;
    int ok_state = 0, published = 0;
    if (rc == DB_ROW) {
        const char *status = db_col_text(st, 0);
        ok_state = !strcmp(status, "draft") || !strcmp(status, "scored") ||
                   !strcmp(status, "self") || !strcmp(status, "review");
        published = !strcmp(db_col_text(st, 1), "published");
    }
    db_done(st);
    if (rc == DB_DONE) {
        *why = "no such run";
        return DB_DONE;
    }
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERROR;
    if (!published) *why = "only a published indicator system can be scored";
    if (!ok_state) *why = "the run is published or final: it can no longer be scored";
    if (*why) return DB_DONE;
    rc = scoring_begin(db, run_id, unit_id, token);
    if (rc == DB_OK)
        rc = db_exec(db,
                     "UPDATE assess_runs SET status = 'scored' WHERE id = ? AND status = 'draft'",
                     "i", run_id);
    if (rc == DB_OK)
        rc = audit_append(db, who, "assess_run.score", "assess_run",
                          arena_printf(a, "%lld", (long long)run_id), "ok",
                          arena_printf(a, "{\"pass\":%lld,\"unit_id\":%lld}", (long long)*token,
                                       (long long)unit_id));
    return rc;
}
