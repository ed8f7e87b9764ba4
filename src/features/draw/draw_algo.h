/* draw_algo.h — the verifiable random draw of 双随机一公开, pure (no database): the canonical
 * form of a draw's inputs, its commitment, the seed from the commitment and the public random
 * value, and the draw as a deterministic function of the seed. docs/draw.md is the standard;
 * tools/draw-verify.py implements the same steps in Python and must stay identical.
 *
 * Memory: everything returned lives in the arena given. */
#ifndef FAZHI_DRAW_ALGO_H
#define FAZHI_DRAW_ALGO_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"

#define DRAW_ALGORITHM      "fazhi-draw/1"
#define DRAW_RECUSAL        "own-unit,declared-conflicts"
#define DRAW_GRADES         "ABCD" /* risk grades, in the order they are drawn */
#define DRAW_PER_OBJECT_MAX 10     /* inspectors per object at most */

struct draw_object {
    int64_t id;
    char risk;       /* 'A' … 'D' */
    int64_t unit_id; /* 0: none */
    const char *name;
};
struct draw_inspector {
    int64_t id;
    int64_t unit_id; /* 0: outside the unit tree */
    const char *name;
};
struct draw_conflict {
    int64_t inspector_id;
    int object; /* 1: id is an inspectable object, 0: a unit */
    int64_t id;
};

struct draw_input {
    const char *source_kind;     /* "witness" | "public" */
    const char *source;          /* which value: the witness, or the named future public draw */
    const char *supersedes;      /* commitment (hex) of the draw this one replaces, or NULL */
    int per_object;              /* inspectors per drawn object (≥ 2) */
    int ratio[4];                /* per grade: percent, or -1 when the count was given */
    int count[4];                /* per grade: objects to draw */
    struct draw_object *objects; /* ascending id */
    int n_objects;
    struct draw_inspector *inspectors; /* ascending id */
    int n_inspectors;
    struct draw_conflict *conflicts; /* ascending (inspector_id, "object" < "unit", id) */
    int n_conflicts;
};

struct draw_pick {
    int64_t object;                          /* an id of objects */
    int64_t inspectors[DRAW_PER_OBJECT_MAX]; /* per_object ids, in the order drawn */
};

/* Put conflicts in canonical order (a duplicate once) and replace control characters of the
 * texts by spaces. */
void draw_normalise(struct draw_input *in);
/* The canonical text (UTF-8, LF-terminated lines: docs/draw.md), NUL-terminated, in a. */
char *draw_canonical(struct arena *a, const struct draw_input *in, size_t *len);
/* Read a canonical text back: 0, or -1 when it is not one (order, format, counts). */
int draw_parse(struct arena *a, const char *text, struct draw_input *out);
/* hex SHA-256 of the canonical text */
void draw_commitment(const char *canonical, size_t len, char hex[65]);
/* seed = SHA-256(the 32 bytes of the commitment ‖ the value's UTF-8 bytes): 0, -1 bad hex */
int draw_seed(const char *commitment_hex, const char *value, unsigned char seed[32]);
/* 1 when inspector ins may inspect object obj (not their own unit, no declared conflict). */
int draw_eligible(const struct draw_input *in, const struct draw_object *obj,
                  const struct draw_inspector *ins);
/* The first object (index) with fewer eligible inspectors than per_object among the grades
 * that are drawn, or -1 when every one has enough; *have its count. */
int draw_short_object(const struct draw_input *in, int *have);
/* The draw: objects per grade without replacement, then per_object inspectors per object
 * among the eligible. 0 with *picks (arena) and *n, or -1 when an object lacks inspectors. */
int draw_run(struct arena *a, const struct draw_input *in, const unsigned char seed[32],
             struct draw_pick **picks, int *n);
/* The result as text: one line "<object id>\t<inspector id>,<inspector id>…\n" per pick. */
char *draw_result_text(struct arena *a, const struct draw_pick *picks, int n, int per_object);

#endif
