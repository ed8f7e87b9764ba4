/* appeal_demo.c — the demo's objections (`fazhi demo`): on the 2026 run, once the scoring demo
 * has published it, three objections by units' clerks walked through the kind as the right
 * accounts — one changed (a unit just below another in its category gets enough points back to
 * pass it: its rank moves), one upheld, one waiting for its re-reviewer, so the run stays
 * published (not finalized) while an objection is open. Nothing when there is no such run. */
#include <stdio.h>
#include <string.h>

#include "features/appeal/appeal.h"
#include "features/flow/flow_demo.h"

#define DEMO_CELLS_MAX 4096 /* assessed units of the demo district (27), with room */

struct cand {
    int64_t score_id, unit_id, final_points, max_points, assessor_id;
};
struct standing {
    int64_t unit_id, total;
    char category[16];
};

/* The unit's first active clerk account (arena), or NULL. */
static const char *clerk_of(struct db *db, struct arena *a, int64_t unit_id) {
    struct db_stmt *st = db_queryv(db,
                                   "SELECT u.username FROM users u JOIN roles r ON r.id = "
                                   "u.role_id WHERE u.unit_id = ? AND r.code = 'clerk' AND "
                                   "u.locked = 0 ORDER BY u.id LIMIT 1",
                                   "i", unit_id);
    const char *name = NULL;
    if (st && db_step(st) == DB_ROW) name = arena_strdup(a, db_col_text(st, 0));
    db_done(st);
    return name;
}

/* A re-reviewer for a cell scored by assessor_id: the demo's second assessor `assessor` when it
 * may, else any active holder of assess.score but the cell's assessor. */
static int reviewer_for(struct db *db, struct arena *a, int64_t assessor_id, const char **name,
                        int64_t *id) {
    struct db_stmt *st = db_queryv(
        db,
        "SELECT u.id, u.username FROM users u WHERE u.locked = 0 AND u.id <> ? AND EXISTS "
        "(SELECT 1 FROM role_permissions rp WHERE rp.role_id = u.role_id AND rp.permission = "
        "'assess.score') ORDER BY CASE WHEN u.username = 'assessor' THEN 0 ELSE 1 END, u.id "
        "LIMIT 1",
        "i", assessor_id);
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW) {
        *id = db_col_int(st, 0);
        *name = arena_strdup(a, db_col_text(st, 1));
    }
    db_done(st);
    return rc;
}

/* An objection made as the unit's clerk through the entity layer (number, timeline, audit). */
static int object(struct db *db, struct arena *a, const char *clerk, int64_t score_id,
                  const char *reason, int64_t requested, int32_t today, int64_t *id) {
    struct principal p;
    struct audit_actor au;
    struct entity_ctx c;
    if (flow_demo_actor(db, a, clerk, &p, &au) ||
        entity_ctx_init(&c, db, a, &entity_assess_objections, &p, 0, EP_GET) != DB_OK)
        return DB_ERROR;
    struct problems pr = {.arena = a};
    json_t *in = json_pack("{s:I,s:s,s:I}", "score_id", (json_int_t)score_id, "reason", reason,
                           "requested_points", (json_int_t)requested);
    struct entity_write w = {.c = &c, .actor = &au, .in = in, .pr = &pr};
    int rc = appeal_objection_create(&w, today);
    json_decref(in);
    *id = w.id;
    if (rc == DB_OK) rc = flow_demo_created(db, a, &assess_objection_kind, clerk, w.id);
    if (rc != DB_OK)
        fprintf(stderr, "fazhi demo: objection by %s: %d %s\n", clerk, rc,
                pr.n ? pr.p[0].zh : (w.zh ? w.zh : ""));
    return rc == DB_OK ? DB_OK : DB_ERROR;
}

static int assign(struct db *db, struct arena *a, int64_t id, int64_t assessor_id, int32_t today,
                  const char **reviewer) {
    int64_t rid = 0;
    if (reviewer_for(db, a, assessor_id, reviewer, &rid) != DB_ROW) return DB_ERROR;
    return flow_demo_act(db, a, &assess_objection_kind, "office", id, "assign",
                         json_pack("{s:I,s:s}", "reviewer_id", (json_int_t)rid, "note",
                                   "请按评分标准复核，并在复核期限内作出决定"),
                         today, 0);
}

int appeal_demo(struct db *db, struct arena *a, int32_t today) {
    int64_t run = 0;
    int rc = db_query_int(db, &run,
                          "SELECT COALESCE(MAX(id), 0) FROM assess_runs WHERE year = 2026 AND "
                          "status = 'published'",
                          "");
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERROR;
    if (!run) return DB_OK; /* the scoring demo published no 2026 run */

    /* the standings, and each unit's assessor-scored cell with the most points to give back */
    struct standing *res = arena_alloc(a, sizeof *res * DEMO_CELLS_MAX);
    struct cand *best = arena_alloc(a, sizeof *best * DEMO_CELLS_MAX);
    int n_res = 0, n_best = 0;
    struct db_stmt *st = db_queryv(db,
                                   "SELECT unit_id, total, category FROM assess_results WHERE "
                                   "run_id = ? ORDER BY category, total DESC, unit_id",
                                   "i", run);
    while (st && (rc = db_step(st)) == DB_ROW && n_res < DEMO_CELLS_MAX) {
        res[n_res].unit_id = db_col_int(st, 0);
        res[n_res].total = db_col_int(st, 1);
        snprintf(res[n_res].category, sizeof res[n_res].category, "%s", db_col_text(st, 2));
        n_res++;
    }
    db_done(st);
    if (!st || rc < 0) return DB_ERROR;
    st = db_queryv(db,
                   "SELECT s.id, s.unit_id, s.final_points, i.weight, s.assessor_id FROM "
                   "assess_scores s JOIN assess_indicators i ON i.id = s.indicator_id WHERE "
                   "s.run_id = ? AND s.rule = 'manual' AND s.assessor_id IS NOT NULL AND "
                   "s.final_points < i.weight ORDER BY s.unit_id, i.weight - s.final_points DESC, "
                   "s.id",
                   "i", run);
    while (st && (rc = db_step(st)) == DB_ROW && n_best < DEMO_CELLS_MAX) {
        int64_t unit = db_col_int(st, 1);
        if (n_best && best[n_best - 1].unit_id == unit) continue;
        best[n_best++] = (struct cand){db_col_int(st, 0), unit, db_col_int(st, 2),
                                       db_col_int(st, 3), db_col_int(st, 4)};
    }
    db_done(st);
    if (!st || rc < 0) return DB_ERROR;
    const struct cand **by_unit = arena_alloc(a, sizeof *by_unit * (size_t)(n_res ? n_res : 1));
    for (int i = 0; i < n_res; i++)
        for (int k = 0; k < n_best; k++)
            if (best[k].unit_id == res[i].unit_id) by_unit[i] = &best[k];

    /* changed: the first unit below another of its category whose cell can pass it */
    int changed = -1;
    int64_t new_points = 0;
    for (int i = 1; i < n_res && changed < 0; i++) {
        if (strcmp(res[i].category, res[i - 1].category) || !by_unit[i] ||
            !clerk_of(db, a, res[i].unit_id))
            continue;
        int64_t gap = res[i - 1].total - res[i].total,
                room = by_unit[i]->max_points - by_unit[i]->final_points;
        if (gap <= 0 || room <= gap) continue; /* strictly below: passing it moves the rank */
        changed = i;
        new_points = by_unit[i]->final_points + gap + 50 <= by_unit[i]->max_points
                         ? by_unit[i]->final_points + gap + 50
                         : by_unit[i]->max_points;
    }
    /* upheld and pending: two other units with a cell and a clerk, not the changed one's
     * neighbour */
    int upheld = -1, pending = -1;
    for (int i = n_res - 1; i >= 0 && (upheld < 0 || pending < 0); i--) {
        if (i == changed || i == changed - 1 || !by_unit[i] || !clerk_of(db, a, res[i].unit_id))
            continue;
        if (upheld < 0)
            upheld = i;
        else
            pending = i;
    }

    int64_t id = 0;
    const char *reviewer = NULL;
    if (changed >= 0) {
        const struct cand *cd = by_unit[changed];
        if (object(db, a, clerk_of(db, a, res[changed].unit_id), cd->score_id,
                   "本单位已在考核年度内完成全部行政执法案卷的补正和归档，评查整改报告已于自评阶段"
                   "上传，但审核评分未予采纳，请求按评分标准复核该项得分。",
                   new_points, today, &id) != DB_OK ||
            assign(db, a, id, cd->assessor_id, today, &reviewer) != DB_OK ||
            flow_demo_act(db, a, &assess_objection_kind, reviewer, id, "change",
                          json_pack("{s:f,s:s}", "points", (double)new_points / 100, "note",
                                    "经复核，申辩单位提供的案卷补正和归档材料属实，依据评分标准"
                                    "改分。"),
                          today, 0) != DB_OK)
            return DB_ERROR;
    }
    if (upheld >= 0) {
        const struct cand *cd = by_unit[upheld];
        if (object(db, a, clerk_of(db, a, res[upheld].unit_id), cd->score_id,
                   "该项扣分所涉问题已于次年一月整改到位，请求在评分时予以考虑。", cd->max_points,
                   today, &id) != DB_OK ||
            assign(db, a, id, cd->assessor_id, today, &reviewer) != DB_OK ||
            flow_demo_act(db, a, &assess_objection_kind, reviewer, id, "uphold",
                          json_pack("{s:s}", "note",
                                    "经复核，扣分事项发生在考核年度内，事后整改不影响本年度评分，"
                                    "维持原评分。"),
                          today, 0) != DB_OK)
            return DB_ERROR;
    }
    if (pending >= 0) {
        const struct cand *cd = by_unit[pending];
        if (object(db, a, clerk_of(db, a, res[pending].unit_id), cd->score_id,
                   "佐证材料（年度工作台账、会议纪要）已在自评阶段上传，审核时未被采纳，请求复核。",
                   cd->max_points, today, &id) != DB_OK)
            return DB_ERROR;
    }
    return DB_OK;
}
