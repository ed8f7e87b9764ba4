/* draw.h — 双随机一公开: the directories a random inspection draws from — inspectors (督察人员库:
 * staff of the unit tree and people outside it: deputies, experts, lawyers, journalists), their
 * declared conflicts, and inspectable objects (检查对象名录: units, market subjects, enforcement
 * files, with a risk grade) — and the verifiable draws themselves (docs/draw.md):
 *
 *   commit   the candidate lists (by the draw's filters), the sample sizes or risk-graded ratios,
 *            the recusal rules, the conflicts and which public random value will be used are
 *            frozen into a canonical text (draw_algo.h); its SHA-256 is the commitment,
 *            published before the value exists. An object with fewer eligible inspectors than
 *            required refuses the draw here.
 *   value    entered once, with the witness's name: seed = SHA-256(commitment ‖ value); the
 *            result is draw_run(seed).
 *   redraw   never deletes nor redoes a draw: with a reason the old one becomes 已作废 (its
 *            result kept) and a new commitment names it.
 *   verify   recomputes commitment, seed and result from what is stored (the published inputs).
 *
 * Every step is one transaction with its audit record (the caller's). Memory: the arena's. */
#ifndef FAZHI_DRAW_H
#define FAZHI_DRAW_H

#include <jansson.h>

#include "features/entity/entity.h"

extern struct perm_def perm_draw_view, perm_draw_manage;

extern const struct entity entity_inspectors;
extern const struct entity entity_inspect_objects;
extern const struct entity entity_inspector_conflicts;
extern const struct entity entity_draws;

enum {
    DRAW_NOT_FOUND = 20, /* no such draw */
    DRAW_HAS_VALUE,      /* the value was entered already */
    DRAW_SUPERSEDED,     /* the draw was redrawn: it takes no more steps */
};

/* What a draw is made from (the create body, or copied from the draw a redraw replaces). */
struct draw_params {
    const char *title;
    int64_t plan_id;                              /* 0: none */
    const char *obj_domain, *obj_type, *obj_risk; /* NULL or "": any */
    int64_t obj_unit_id;                          /* 0: any */
    const char *insp_category;                    /* NULL or "": any */
    const char *sample_mode;                      /* "ratio" | "count" */
    int64_t sample[4];                            /* per grade A–D; -1: the setting's ratio */
    int64_t per_object;                           /* 0: the setting draw.min_inspectors */
    const char *source_kind, *source;             /* which public value will be used */
};

/* Freeze the inputs and insert the draw (status committed): DB_OK with *id, ENTITY_INVALID with
 * pr (a ratio out of range, a count above the candidates, no candidate, an object with too few
 * eligible inspectors …), or < 0. supersedes: the draw this one replaces (0: none). Audited
 * draw.create (draw.redraw by the caller of draw_redraw). */
int draw_commit(struct db *db, struct arena *a, const struct audit_actor *actor,
                const struct draw_params *p, int64_t supersedes, struct problems *pr, int64_t *id);
/* Enter the public random value (once): DB_OK, DRAW_NOT_FOUND, DRAW_HAS_VALUE, DRAW_SUPERSEDED,
 * or < 0. Audited draw.value. */
int draw_enter_value(struct db *db, struct arena *a, const struct audit_actor *actor, int64_t id,
                     const char *witness, const char *value);
/* Redraw with a reason: the old draw is superseded (kept) and a new one committed with the same
 * parameters, the directories as they are now and (when given) a new source. As draw_commit,
 * plus DRAW_NOT_FOUND, DRAW_SUPERSEDED. */
int draw_redraw(struct db *db, struct arena *a, const struct audit_actor *actor, int64_t id,
                const char *reason, const char *source_kind, const char *source,
                struct problems *pr, int64_t *new_id);
/* The published document: {draw_no, title, status, inputs, commitment, value, seed, result,
 * supersedes, superseded_by, superseded_reason} — no internal field. New reference; NULL with
 * *rc DRAW_NOT_FOUND or < 0. */
json_t *draw_published(struct db *db, struct arena *a, int64_t id, int *rc);

struct draw_check {
    int drawn;                             /* the value has been entered */
    int commitment_ok, seed_ok, result_ok; /* each recomputed equal to what is stored */
    char commitment[65], seed[65];         /* recomputed */
    const char *result;                    /* recomputed result text (draw_result_text), or NULL */
    const char *why;                       /* when something does not match or cannot be read */
};
/* Recompute a stored draw: DB_OK with *out, DRAW_NOT_FOUND, or < 0. */
int draw_verify(struct db *db, struct arena *a, int64_t id, struct draw_check *out);
int draw_demo(struct db *db, struct arena *a, int32_t today);
int draw_demo_scale(struct db *db, int64_t volume, int32_t today);

#endif
