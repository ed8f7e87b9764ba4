/* assess_rule.h — the scoring rules of 年度考核 as data: an indicator's rule type and its
 * parameter text, read once (assess_rule_parse: the one reader, used when a system is edited,
 * imported or published and when a run scores), and the pure computation of a leaf's points
 * from its metric's figures (assess_rule_eval). No database: the figures come from the metrics
 * engine, the points go to the scoring run.
 *
 * Every amount is an integer in hundredths, so a score is exact and equals a hand computation:
 *   - points and weights: 分 × 100 (2.5 分 = 250);
 *   - a rate's value: percent × 100 (96.5 % = 9650), from num/den rounded half up;
 *   - a count's value: count × 100; an average's: the average × 100;
 *   - a curve's y: percent of the weight × 100 (100 % = 10000).
 * Rounding is half away from zero at each step, in the order the explanation shows.
 *
 * The parameter text (the indicator's `params`, also the 规则参数 column of the Excel file):
 *   ratio      linear X:Y X:Y …     piecewise linear through the points (X increasing), clamped
 *                                   outside them: "linear 80:0 100:100" — 80 % or less 0, 100 %
 * full step X:Y …           at least X → Y (the last X reached; below the first: 0): "step 80:50
 * 90:80 95:100" stepdown X:Y …       at most X → Y (the first X not exceeded; above the last: 0),
 *                                   for lower-is-better metrics (败诉率): "stepdown 0:100 5:60
 * 10:0" threshold  min=X | max=X        met (value ≥ X, or ≤ X) → the full weight, else 0 deduct
 * per=P [cap=C]        weight − min(P × events, C); C ≤ weight (default the weight) bonus cap=C
 * [per=P]        with a metric min(P × events, C) (P required), without one the assessor's points ≤
 * C; weight 0 (outside the sums) veto       (nothing)            with a metric: vetoed when it has
 * events; without: the assessor's decision; weight 0 manual     (nothing)            the assessor's
 * points, 0 … weight, with evidence ratio and threshold also take na=full (default) or na=zero:
 * what a unit without any record of the metric (a rate with no denominator) gets — 不涉及 counts as
 * met unless said otherwise. X and Y are decimals with at most two places; a trailing % is allowed.
 * Events are the metric's counted records (its num). */
#ifndef FAZHI_ASSESS_RULE_H
#define FAZHI_ASSESS_RULE_H

#include <stdint.h>

#include "base/arena.h"
#include "features/entity/entity.h"

enum assess_rule_type { AR_RATIO, AR_THRESHOLD, AR_DEDUCT, AR_BONUS, AR_VETO, AR_MANUAL, AR_N };
enum assess_curve { AC_LINEAR, AC_STEP, AC_STEPDOWN };

#define ASSESS_CURVE_MAX  10
#define ASSESS_PARAMS_MAX 200    /* characters of the parameter text */
#define ASSESS_POINTS_MAX 100000 /* 1,000 分 in hundredths: any weight, cap or per */

/* The rule types as options (code, zh, en): the indicator field's `options`. */
extern const struct field_option assess_rule_types[AR_N];
/* The type of a code ("ratio"), or -1. */
int assess_rule_type_of(const char *code);
/* Whether a rule of this type needs a metric (1), may have one (2) or has none (0). */
int assess_rule_metric_use(enum assess_rule_type t);
/* Whether the type's leaves carry a weight that counts in the sums (ratio, threshold, deduct,
 * manual) — bonus and veto have weight 0. */
int assess_rule_weighted(enum assess_rule_type t);

struct assess_rule {
    enum assess_rule_type type;
    enum assess_curve curve;
    int n;                                            /* curve points */
    int64_t x[ASSESS_CURVE_MAX], y[ASSESS_CURVE_MAX]; /* hundredths (see above) */
    int64_t per, cap;                                 /* deduct, bonus: hundredths of points */
    int has_min, has_max;                             /* threshold */
    int64_t min, max;
    int na_zero; /* ratio, threshold: no records → 0 instead of the full weight */
};

/* Read `params` (NULL = "") for a rule of type t on a leaf of `weight` (hundredths). 0, or -1
 * with the reason in zh/en (each at most `n` bytes, always terminated): an unknown word, a point
 * out of order, a cap above the weight, a bonus without a cap … */
int assess_rule_parse(enum assess_rule_type t, const char *params, int64_t weight,
                      struct assess_rule *r, char *zh, char *en, size_t n);

/* What the metric said for one unit. */
struct assess_input {
    int metric;       /* the leaf has a metric: the figures below are its */
    int rate;         /* the metric is a rate (value = num/den) */
    int64_t num, den; /* the counted records (a rate's numerator) and a rate's denominator */
    int64_t value;    /* hundredths: percent for a rate, the count, the average */
    int has_value;    /* 0: no record at all (a rate without a denominator, an average of none) */
    int has_manual;   /* the assessor (manual, bonus without metric, veto without metric) gave */
    int64_t manual;   /* … these points (hundredths), or for a veto 1 = vetoed */
    const char *label_zh, *label_en; /* the metric's (or the indicator's) name for the text */
};

struct assess_outcome {
    int64_t points;      /* hundredths: 0 … weight (bonus: 0 … cap) */
    int veto;            /* a veto leaf that fired */
    int pending;         /* a manual leaf not scored yet (points 0) */
    const char *zh, *en; /* how the points were found, in words (arena) */
};

/* The rate's value in hundredths of a percent from num/den (den > 0), rounded half up. */
int64_t assess_rate_value(int64_t num, int64_t den);
/* Points of a leaf (weight in hundredths) under rule r for the unit's input. Pure. */
void assess_rule_eval(const struct assess_rule *r, int64_t weight, const struct assess_input *in,
                      struct assess_outcome *out, struct arena *a);

/* "12.5" for 1250, "-3" for -300, "0.05" for 5 (arena). */
const char *assess_hundredths(struct arena *a, int64_t v);

/* The metric registry: every metric of every entity with metrics is `<entity>.<code>`
 * ("reconsiderations.corrected_rate"). *e and *m for a code, 0; -1 when there is none. */
int assess_metric_resolve(const char *code, const struct entity **e,
                          const struct entity_metric **m);

#endif
