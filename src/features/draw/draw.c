/* draw.c — commit, value, redraw, publish and verify a random draw (draw.h, docs/draw.md). The
 * algorithm itself is draw_algo.c: this file reads the directories and stores the draws. */
#include "features/draw/draw.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/crypto.h"
#include "base/timeutil.h"
#include "features/draw/draw_algo.h"
#include "store/query.h"
#include "store/settings.h"

#define DRAW_OBJECTS_MAX    20000 /* candidates of one draw: its canonical text stays ~1 MB */
#define DRAW_INSPECTORS_MAX 5000
#define DRAW_CONFLICTS_MAX  20000

static const char *nz(const char *s) {
    return s && *s ? s : NULL;
}

/* The candidate objects: active, by the draw's filters, ascending id. */
static int read_objects(struct db *db, struct arena *a, const struct draw_params *p,
                        struct draw_input *in) {
    struct query q;
    query_init(&q, a, "SELECT id, risk, unit_id, name FROM inspect_objects WHERE active = 1");
    if (nz(p->obj_domain)) query_add(&q, " AND domain = ?", "s", p->obj_domain);
    if (nz(p->obj_type)) query_add(&q, " AND object_type = ?", "s", p->obj_type);
    if (nz(p->obj_risk)) query_add(&q, " AND risk = ?", "s", p->obj_risk);
    if (p->obj_unit_id) query_add(&q, " AND unit_id = ?", "i", p->obj_unit_id);
    query_add(&q, " ORDER BY id LIMIT ?", "i", (int64_t)DRAW_OBJECTS_MAX + 1);
    struct db_stmt *st = query_prepare(db, &q);
    if (!st) return DB_ERROR;
    in->objects = arena_alloc(a, sizeof *in->objects * (DRAW_OBJECTS_MAX + 1));
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        struct draw_object *o = &in->objects[in->n_objects++];
        o->id = db_col_int(st, 0);
        o->risk = db_col_text(st, 1)[0];
        o->unit_id = db_col_int(st, 2);
        o->name = arena_strdup(a, db_col_text(st, 3));
    }
    db_done(st);
    return rc == DB_DONE ? DB_OK : rc;
}

static int read_inspectors(struct db *db, struct arena *a, const struct draw_params *p,
                           struct draw_input *in) {
    struct query q;
    query_init(&q, a, "SELECT id, unit_id, name FROM inspectors WHERE active = 1");
    if (nz(p->insp_category)) query_add(&q, " AND category = ?", "s", p->insp_category);
    query_add(&q, " ORDER BY id LIMIT ?", "i", (int64_t)DRAW_INSPECTORS_MAX + 1);
    struct db_stmt *st = query_prepare(db, &q);
    if (!st) return DB_ERROR;
    in->inspectors = arena_alloc(a, sizeof *in->inspectors * (DRAW_INSPECTORS_MAX + 1));
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        struct draw_inspector *i = &in->inspectors[in->n_inspectors++];
        i->id = db_col_int(st, 0);
        i->unit_id = db_col_int(st, 1);
        i->name = arena_strdup(a, db_col_text(st, 2));
    }
    db_done(st);
    if (rc != DB_DONE) return rc;
    /* the declared conflicts of the candidate inspectors (the pool is read whole: one query) */
    query_init(&q, a,
               "SELECT c.inspector_id, c.object_id, c.unit_id FROM inspector_conflicts c JOIN "
               "inspectors i ON i.id = c.inspector_id WHERE i.active = 1");
    if (nz(p->insp_category)) query_add(&q, " AND i.category = ?", "s", p->insp_category);
    query_add(&q, " LIMIT ?", "i", (int64_t)DRAW_CONFLICTS_MAX + 1);
    st = query_prepare(db, &q);
    if (!st) return DB_ERROR;
    in->conflicts = arena_alloc(a, sizeof *in->conflicts * (DRAW_CONFLICTS_MAX + 1));
    while ((rc = db_step(st)) == DB_ROW) {
        struct draw_conflict *c = &in->conflicts[in->n_conflicts];
        c->inspector_id = db_col_int(st, 0);
        c->object = db_col_int(st, 1) != 0;
        c->id = c->object ? db_col_int(st, 1) : db_col_int(st, 2);
        if (c->id) in->n_conflicts++; /* a conflict declared twice: draw_normalise keeps one */
    }
    db_done(st);
    return rc == DB_DONE ? DB_OK : rc;
}

static const char *const ratio_keys[4] = {"draw.ratio_A", "draw.ratio_B", "draw.ratio_C",
                                          "draw.ratio_D"};
static const char *const sample_fields[4] = {"sample_a", "sample_b", "sample_c", "sample_d"};

/* The inputs of a draw from its parameters and the directories now: DB_OK, ENTITY_INVALID with
 * pr, or < 0. */
static int freeze(struct db *db, struct arena *a, const struct draw_params *p,
                  const char *supersedes, struct problems *pr, struct draw_input *in) {
    memset(in, 0, sizeof *in);
    in->source_kind = p->source_kind;
    in->source = arena_strdup(a, p->source);
    in->supersedes = supersedes;
    int64_t min = setting_int(db, "draw.min_inspectors");
    in->per_object = (int)(p->per_object ? p->per_object : min);
    if (in->per_object < min || in->per_object > DRAW_PER_OBJECT_MAX)
        problem_add(pr, "per_object",
                    arena_printf(a, "每个对象至少抽取 %lld 名检查人员，至多 %d 名", (long long)min,
                                 DRAW_PER_OBJECT_MAX),
                    arena_printf(a, "At least %lld and at most %d inspectors per object",
                                 (long long)min, DRAW_PER_OBJECT_MAX));
    int rc = read_objects(db, a, p, in);
    if (rc == DB_OK) rc = read_inspectors(db, a, p, in);
    if (rc != DB_OK) return rc;
    if (in->n_objects > DRAW_OBJECTS_MAX)
        problem_add(pr, "obj_domain", "候选检查对象超过 20000 个，请缩小范围",
                    "More than 20000 candidate objects: narrow the filter");
    if (in->n_inspectors > DRAW_INSPECTORS_MAX || in->n_conflicts > DRAW_CONFLICTS_MAX)
        problem_add(pr, "insp_category", "候选检查人员过多，请缩小范围",
                    "Too many candidate inspectors: narrow the filter");
    if (!in->n_objects)
        problem_add(pr, "obj_domain", "没有符合条件的在册检查对象",
                    "No listed object matches the filter");
    int ratio = !p->sample_mode || strcmp(p->sample_mode, "count");
    int have[4] = {0}, total = 0;
    for (int i = 0; i < in->n_objects && i < DRAW_OBJECTS_MAX; i++) {
        const char *g = strchr(DRAW_GRADES, in->objects[i].risk);
        if (g) have[g - DRAW_GRADES]++;
    }
    for (int g = 0; g < 4; g++) {
        int64_t v = p->sample[g] >= 0 ? p->sample[g] : ratio ? setting_int(db, ratio_keys[g]) : 0;
        if (ratio) {
            if (v < 0 || v > 100) {
                problem_add(pr, sample_fields[g], "抽查比例须在 0–100% 之间",
                            "A ratio is between 0 and 100 %");
                continue;
            }
            in->ratio[g] = (int)v;
            in->count[g] = (int)((have[g] * v + 99) / 100); /* rounded up: a ratio > 0 draws one */
        } else {
            in->ratio[g] = -1;
            if (v < 0 || v > 100000) {
                problem_add(pr, sample_fields[g], "抽取数量不能为负数", "A count is not negative");
                continue;
            }
            if (v > have[g]) {
                problem_add(pr, sample_fields[g],
                            arena_printf(a, "该风险等级只有 %d 个候选对象", have[g]),
                            arena_printf(a, "Only %d candidates of this grade", have[g]));
                continue;
            }
            in->count[g] = (int)v;
        }
        total += in->count[g];
    }
    if (in->n_objects && !total && !pr->n)
        problem_add(pr, "sample_mode", "抽取数量为 0：请设置比例或数量",
                    "Nothing would be drawn: set a ratio or a count");
    if (pr->n) return ENTITY_INVALID;
    draw_normalise(in);
    int short_have = 0, k = draw_short_object(in, &short_have);
    if (k >= 0) {
        const struct draw_object *o = &in->objects[k];
        problem_add(pr, "per_object",
                    arena_printf(a,
                                 "检查对象“%s”回避后只有 %d 名可选检查人员，少于每个对象 %d 名："
                                 "请补充检查人员库或缩小对象范围",
                                 o->name, short_have, in->per_object),
                    arena_printf(a,
                                 "Object \"%s\" has %d eligible inspectors after recusal, fewer "
                                 "than %d per object: add inspectors or narrow the objects",
                                 o->name, short_have, in->per_object));
        return ENTITY_INVALID;
    }
    return DB_OK;
}

static void bind_opt_text(struct db_stmt *st, int i, const char *s) {
    if (nz(s))
        db_bind_text(st, i, s);
    else
        db_bind_null(st, i);
}
static void bind_opt_int(struct db_stmt *st, int i, int64_t v, int64_t none) {
    if (v != none)
        db_bind_int(st, i, v);
    else
        db_bind_null(st, i);
}

int draw_commit(struct db *db, struct arena *a, const struct audit_actor *actor,
                const struct draw_params *p, int64_t supersedes, struct problems *pr, int64_t *id) {
    const char *old_commitment = NULL;
    if (supersedes) {
        struct db_stmt *st =
            db_queryv(db, "SELECT commitment FROM draws WHERE id = ?", "i", supersedes);
        int rc = st ? db_step(st) : DB_ERROR;
        if (rc == DB_ROW) old_commitment = arena_strdup(a, db_col_text(st, 0));
        db_done(st);
        if (rc != DB_ROW) return rc < 0 ? rc : DRAW_NOT_FOUND;
    }
    struct draw_input in;
    int rc = freeze(db, a, p, old_commitment, pr, &in);
    if (rc != DB_OK) return rc;
    size_t len;
    char *text = draw_canonical(a, &in, &len);
    char commitment[65];
    draw_commitment(text, len, commitment);
    char now[21];
    now_iso(now);
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO draws (title, plan_id, status, obj_domain, obj_type, obj_risk, "
            "obj_unit_id, insp_category, sample_mode, sample_a, sample_b, sample_c, sample_d, "
            "per_object, source_kind, source, inputs, commitment, n_objects, n_inspectors, "
            "n_drawn, supersedes_id, created_by, created_at, updated_at, version) VALUES (?, ?, "
            "'committed', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1) "
            "RETURNING id");
    if (!st) return DB_ERROR;
    int n_drawn = 0;
    for (int g = 0; g < 4; g++)
        n_drawn += in.count[g];
    db_bind_text(st, 1, p->title);
    bind_opt_int(st, 2, p->plan_id, 0);
    bind_opt_text(st, 3, p->obj_domain);
    bind_opt_text(st, 4, p->obj_type);
    bind_opt_text(st, 5, p->obj_risk);
    bind_opt_int(st, 6, p->obj_unit_id, 0);
    bind_opt_text(st, 7, p->insp_category);
    db_bind_text(st, 8, p->sample_mode && !strcmp(p->sample_mode, "count") ? "count" : "ratio");
    for (int g = 0; g < 4; g++)
        bind_opt_int(st, 9 + g, p->sample[g], -1);
    db_bind_int(st, 13, in.per_object);
    db_bind_text(st, 14, p->source_kind);
    db_bind_text(st, 15, in.source);
    db_bind_text(st, 16, text);
    db_bind_text(st, 17, commitment);
    db_bind_int(st, 18, in.n_objects);
    db_bind_int(st, 19, in.n_inspectors);
    db_bind_int(st, 20, n_drawn);
    bind_opt_int(st, 21, supersedes, 0);
    if (actor->user_id)
        db_bind_id(st, 22, actor->user_id);
    else
        db_bind_null(st, 22);
    db_bind_text(st, 23, now);
    db_bind_text(st, 24, now);
    rc = db_step(st);
    if (rc == DB_ROW) *id = db_col_int(st, 0);
    db_done(st);
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERROR;
    const char *no = NULL;
    rc = entity_number_set(db, a, &entity_draws, *id, NULL, &no);
    if (rc != DB_OK) return rc;
    return audit_append(db, actor, supersedes ? "draw.redraw" : "draw.create", "draw",
                        arena_printf(a, "%lld", (long long)*id), "ok",
                        arena_printf(a,
                                     "{\"draw_no\":\"%s\",\"commitment\":\"%s\",\"objects\":%d,"
                                     "\"inspectors\":%d,\"drawn\":%d,\"supersedes\":%lld}",
                                     no, commitment, in.n_objects, in.n_inspectors, n_drawn,
                                     (long long)supersedes));
}

/* status, inputs, commitment, random_value, seed, result of a draw (arena copies). */
struct stored {
    const char *status, *inputs, *commitment, *value, *seed, *result;
};
static int read_stored(struct db *db, struct arena *a, int64_t id, struct stored *s) {
    struct db_stmt *st = db_queryv(
        db, "SELECT status, inputs, commitment, random_value, seed, result FROM draws WHERE id = ?",
        "i", id);
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW) {
        s->status = arena_strdup(a, db_col_text(st, 0));
        s->inputs = arena_strdup(a, db_col_text(st, 1));
        s->commitment = arena_strdup(a, db_col_text(st, 2));
        s->value = arena_strdup(a, db_col_text(st, 3));
        s->seed = arena_strdup(a, db_col_text(st, 4));
        s->result = arena_strdup(a, db_col_text(st, 5));
    }
    db_done(st);
    return rc == DB_ROW ? DB_OK : rc < 0 ? rc : DRAW_NOT_FOUND;
}

/* seed and result of stored inputs and a value: DB_OK, or DB_ERROR when not canonical. */
static int compute(struct arena *a, const char *inputs, const char *commitment, const char *value,
                   char seed_hex[65], const char **result) {
    struct draw_input in;
    unsigned char seed[32];
    struct draw_pick *picks;
    int n;
    if (draw_parse(a, inputs, &in) || draw_seed(commitment, value, seed) ||
        draw_run(a, &in, seed, &picks, &n))
        return DB_ERROR;
    hex_encode(seed, 32, seed_hex);
    *result = draw_result_text(a, picks, n, in.per_object);
    return DB_OK;
}

int draw_enter_value(struct db *db, struct arena *a, const struct audit_actor *actor, int64_t id,
                     const char *witness, const char *value) {
    struct stored s;
    int rc = read_stored(db, a, id, &s);
    if (rc != DB_OK) return rc;
    if (!strcmp(s.status, "superseded")) return DRAW_SUPERSEDED;
    if (s.value) return DRAW_HAS_VALUE;
    char seed[65];
    const char *result;
    if (compute(a, s.inputs, s.commitment, value, seed, &result) != DB_OK) return DB_ERROR;
    char now[21];
    now_iso(now);
    /* the condition makes it once even against a concurrent entry */
    struct db_stmt *st = db_prepare(
        db, "UPDATE draws SET status = 'drawn', witness = ?, random_value = ?, value_at = ?, "
            "value_by = ?, seed = ?, result = ?, updated_at = ?, version = version + 1 "
            "WHERE id = ? AND random_value IS NULL AND status = 'committed'");
    if (!st) return DB_ERROR;
    db_bind_text(st, 1, witness);
    db_bind_text(st, 2, value);
    db_bind_text(st, 3, now);
    if (actor->user_id)
        db_bind_id(st, 4, actor->user_id);
    else
        db_bind_null(st, 4);
    db_bind_text(st, 5, seed);
    db_bind_text(st, 6, result);
    db_bind_text(st, 7, now);
    db_bind_int(st, 8, id);
    rc = db_step(st);
    db_done(st);
    if (rc != DB_DONE) return rc < 0 ? rc : DB_ERROR;
    if (db_changes(db) != 1) return DRAW_HAS_VALUE;
    json_t *d = json_pack("{s:s, s:s, s:s}", "witness", witness, "value", value, "seed", seed);
    char *dt = json_dumps(d, JSON_COMPACT);
    json_decref(d);
    rc = audit_append(db, actor, "draw.value", "draw", arena_printf(a, "%lld", (long long)id), "ok",
                      dt ? dt : "");
    free(dt);
    return rc;
}

int draw_redraw(struct db *db, struct arena *a, const struct audit_actor *actor, int64_t id,
                const char *reason, const char *source_kind, const char *source,
                struct problems *pr, int64_t *new_id) {
    struct db_stmt *st =
        db_queryv(db,
                  "SELECT status, title, plan_id, obj_domain, obj_type, obj_risk, obj_unit_id, "
                  "insp_category, sample_mode, sample_a, sample_b, sample_c, sample_d, per_object, "
                  "source_kind, source FROM draws WHERE id = ?",
                  "i", id);
    int rc = st ? db_step(st) : DB_ERROR;
    struct draw_params p = {0};
    const char *status = NULL;
    if (rc == DB_ROW) {
        status = arena_strdup(a, db_col_text(st, 0));
        p.title = arena_strdup(a, db_col_text(st, 1));
        p.plan_id = db_col_int(st, 2);
        p.obj_domain = arena_strdup(a, db_col_text(st, 3));
        p.obj_type = arena_strdup(a, db_col_text(st, 4));
        p.obj_risk = arena_strdup(a, db_col_text(st, 5));
        p.obj_unit_id = db_col_int(st, 6);
        p.insp_category = arena_strdup(a, db_col_text(st, 7));
        p.sample_mode = arena_strdup(a, db_col_text(st, 8));
        for (int g = 0; g < 4; g++)
            p.sample[g] = db_col_text(st, 9 + g) ? db_col_int(st, 9 + g) : -1;
        p.per_object = db_col_int(st, 13);
        p.source_kind = arena_strdup(a, db_col_text(st, 14));
        p.source = arena_strdup(a, db_col_text(st, 15));
    }
    db_done(st);
    if (rc != DB_ROW) return rc < 0 ? rc : DRAW_NOT_FOUND;
    if (!strcmp(status, "superseded")) return DRAW_SUPERSEDED;
    if (nz(source_kind)) p.source_kind = source_kind;
    if (nz(source)) p.source = source;
    /* the old one first: a second redraw of it racing this one finds it superseded */
    char now[21];
    now_iso(now);
    rc = db_exec(db,
                 "UPDATE draws SET status = 'superseded', superseded_reason = ?, updated_at = ?, "
                 "version = version + 1 WHERE id = ? AND status <> 'superseded'",
                 "ssi", reason, now, id);
    if (rc != DB_OK) return rc;
    if (db_changes(db) != 1) return DRAW_SUPERSEDED;
    rc = draw_commit(db, a, actor, &p, id, pr, new_id);
    if (rc != DB_OK) return rc;
    rc = db_exec(db, "UPDATE draws SET superseded_by = ? WHERE id = ?", "ii", *new_id, id);
    if (rc != DB_OK) return rc;
    json_t *d = json_pack("{s:s, s:I}", "reason", reason, "redrawn_as", (json_int_t)*new_id);
    char *dt = json_dumps(d, JSON_COMPACT);
    json_decref(d);
    rc = audit_append(db, actor, "draw.supersede", "draw", arena_printf(a, "%lld", (long long)id),
                      "ok", dt ? dt : "");
    free(dt);
    return rc;
}

/* ---- the published document ---- */

static json_t *id_or_null(int64_t v) {
    return v ? json_integer(v) : json_null();
}

static json_t *inputs_json(const struct draw_input *in) {
    json_t *samples = json_array(), *objects = json_array(), *inspectors = json_array(),
           *conflicts = json_array();
    for (int g = 0; g < 4; g++)
        json_array_append_new(
            samples, json_pack("{s:s#, s:o, s:i}", "grade", DRAW_GRADES + g, 1, "ratio",
                               in->ratio[g] >= 0 ? json_integer(in->ratio[g]) : json_null(),
                               "count", in->count[g]));
    for (int i = 0; i < in->n_objects; i++) {
        const struct draw_object *o = &in->objects[i];
        json_array_append_new(objects, json_pack("{s:I, s:s#, s:o, s:s}", "id", (json_int_t)o->id,
                                                 "risk", &o->risk, 1, "unit_id",
                                                 id_or_null(o->unit_id), "name", o->name));
    }
    for (int i = 0; i < in->n_inspectors; i++) {
        const struct draw_inspector *p = &in->inspectors[i];
        json_array_append_new(inspectors,
                              json_pack("{s:I, s:o, s:s}", "id", (json_int_t)p->id, "unit_id",
                                        id_or_null(p->unit_id), "name", p->name));
    }
    for (int i = 0; i < in->n_conflicts; i++) {
        const struct draw_conflict *c = &in->conflicts[i];
        json_array_append_new(
            conflicts, json_pack("{s:I, s:s, s:I}", "inspector_id", (json_int_t)c->inspector_id,
                                 "kind", c->object ? "object" : "unit", "id", (json_int_t)c->id));
    }
    return json_pack("{s:s, s:{s:s, s:s}, s:o, s:i, s:s, s:o, s:o, s:o, s:o}", "algorithm",
                     DRAW_ALGORITHM, "source", "kind", in->source_kind, "description", in->source,
                     "supersedes", in->supersedes ? json_string(in->supersedes) : json_null(),
                     "per_object", in->per_object, "recusal", DRAW_RECUSAL, "samples", samples,
                     "objects", objects, "inspectors", inspectors, "conflicts", conflicts);
}

static const char *name_of_object(const struct draw_input *in, int64_t id) {
    for (int i = 0; i < in->n_objects; i++)
        if (in->objects[i].id == id) return in->objects[i].name;
    return "";
}
static const char *name_of_inspector(const struct draw_input *in, int64_t id) {
    for (int i = 0; i < in->n_inspectors; i++)
        if (in->inspectors[i].id == id) return in->inspectors[i].name;
    return "";
}

/* The stored result text as [{object_id, object_name, risk, inspector_ids, inspector_names}]. */
static json_t *result_json(const struct draw_input *in, const char *text) {
    json_t *out = json_array();
    for (const char *p = text; p && *p;) {
        long long obj = 0;
        int used = 0;
        if (sscanf(p, "%lld%n", &obj, &used) != 1) break;
        p += used;
        json_t *ids = json_array(), *names = json_array();
        while (*p == '\t' || *p == ',') {
            long long ins = 0;
            if (sscanf(p + 1, "%lld%n", &ins, &used) != 1) break;
            p += 1 + used;
            json_array_append_new(ids, json_integer(ins));
            json_array_append_new(names, json_string(name_of_inspector(in, ins)));
        }
        char risk[2] = {0, 0};
        for (int i = 0; i < in->n_objects; i++)
            if (in->objects[i].id == obj) risk[0] = in->objects[i].risk;
        json_array_append_new(out,
                              json_pack("{s:I, s:s, s:s, s:o, s:o}", "object_id", (json_int_t)obj,
                                        "object_name", name_of_object(in, obj), "risk", risk,
                                        "inspector_ids", ids, "inspector_names", names));
        if (*p == '\n') p++;
    }
    return out;
}

json_t *draw_published(struct db *db, struct arena *a, int64_t id, int *rc) {
    struct db_stmt *st =
        db_queryv(db,
                  "SELECT d.draw_no, d.title, d.status, d.inputs, d.commitment, d.witness, "
                  "d.random_value, d.value_at, d.seed, d.result, d.supersedes_id, d.superseded_by, "
                  "d.superseded_reason, d.created_at, p.draw_no, n.draw_no FROM draws d LEFT JOIN "
                  "draws p ON p.id = d.supersedes_id LEFT JOIN draws n ON n.id = d.superseded_by "
                  "WHERE d.id = ?",
                  "i", id);
    *rc = st ? db_step(st) : DB_ERROR;
    if (*rc != DB_ROW) {
        db_done(st);
        if (*rc == DB_DONE) *rc = DRAW_NOT_FOUND;
        return NULL;
    }
    struct draw_input in;
    if (draw_parse(a, db_col_text(st, 3), &in)) {
        db_done(st);
        *rc = DB_ERROR;
        return NULL;
    }
    const char *value = db_col_text(st, 6);
    json_t *out = json_pack("{s:I, s:s, s:s, s:s, s:o, s:s, s:s}", "id", (json_int_t)id, "draw_no",
                            db_col_text(st, 0), "title", db_col_text(st, 1), "status",
                            db_col_text(st, 2), "inputs", inputs_json(&in), "commitment",
                            db_col_text(st, 4), "committed_at", db_col_text(st, 13));
    json_object_set_new(out, "value",
                        value ? json_pack("{s:s, s:s, s:s}", "witness", db_col_text(st, 5), "value",
                                          value, "entered_at", db_col_text(st, 7))
                              : json_null());
    json_object_set_new(out, "seed", value ? json_string(db_col_text(st, 8)) : json_null());
    json_object_set_new(out, "result", value ? result_json(&in, db_col_text(st, 9)) : json_null());
    json_object_set_new(out, "supersedes",
                        db_col_int(st, 10)
                            ? json_pack("{s:I, s:s}", "id", (json_int_t)db_col_int(st, 10),
                                        "draw_no", db_col_text(st, 14))
                            : json_null());
    json_object_set_new(out, "superseded_by",
                        db_col_int(st, 11)
                            ? json_pack("{s:I, s:s, s:s}", "id", (json_int_t)db_col_int(st, 11),
                                        "draw_no", db_col_text(st, 15), "reason",
                                        db_col_text(st, 12))
                            : json_null());
    db_done(st);
    *rc = DB_OK;
    return out;
}

int draw_verify(struct db *db, struct arena *a, int64_t id, struct draw_check *out) {
    memset(out, 0, sizeof *out);
    struct stored s;
    int rc = read_stored(db, a, id, &s);
    if (rc != DB_OK) return rc;
    struct draw_input in;
    if (draw_parse(a, s.inputs, &in)) {
        out->why = "the stored inputs are not a canonical text";
        return DB_OK;
    }
    size_t len;
    char *text = draw_canonical(a, &in, &len);
    draw_commitment(text, len, out->commitment);
    out->commitment_ok = !strcmp(text, s.inputs) && !strcmp(out->commitment, s.commitment);
    if (!out->commitment_ok) out->why = "the commitment does not match the inputs";
    out->drawn = s.value != NULL;
    if (!s.value) return DB_OK;
    const char *result;
    if (compute(a, s.inputs, s.commitment, s.value, out->seed, &result) != DB_OK) {
        out->why = "the draw cannot be recomputed";
        return DB_OK;
    }
    out->result = result;
    out->seed_ok = s.seed && !strcmp(out->seed, s.seed);
    out->result_ok = s.result && !strcmp(result, s.result);
    if (out->commitment_ok && !out->seed_ok) out->why = "the seed does not match";
    if (out->commitment_ok && out->seed_ok && !out->result_ok)
        out->why = "the result does not match";
    return DB_OK;
}
