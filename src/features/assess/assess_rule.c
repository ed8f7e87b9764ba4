/* assess_rule.c — the scoring rules of 年度考核 (assess_rule.h): reading a rule's parameter text
 * and computing a leaf's points from its metric's figures, in integer hundredths. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "features/assess/assess_rule.h"

const struct field_option assess_rule_types[AR_N] = {
    [AR_RATIO] = {"ratio", "比率计分", "Rate to points", ""},
    [AR_THRESHOLD] = {"threshold", "达标计分", "Threshold", ""},
    [AR_DEDUCT] = {"deduct", "扣分", "Deduction per event", "warning"},
    [AR_BONUS] = {"bonus", "加分", "Bonus", "success"},
    [AR_VETO] = {"veto", "一票否决", "Veto", "danger"},
    [AR_MANUAL] = {"manual", "人工评分", "Manual score", "info"},
};

int assess_rule_type_of(const char *code) {
    for (int i = 0; code && i < AR_N; i++)
        if (!strcmp(assess_rule_types[i].code, code)) return i;
    return -1;
}

int assess_rule_metric_use(enum assess_rule_type t) {
    switch (t) {
    case AR_RATIO:
    case AR_THRESHOLD:
    case AR_DEDUCT:
        return 1;
    case AR_BONUS:
    case AR_VETO:
        return 2;
    default:
        return 0;
    }
}

int assess_rule_weighted(enum assess_rule_type t) {
    return t != AR_BONUS && t != AR_VETO;
}

/* a / b rounded half away from zero (b > 0) */
static int64_t div_round(int64_t a, int64_t b) {
    return a >= 0 ? (a + b / 2) / b : -((-a + b / 2) / b);
}

const char *assess_hundredths(struct arena *a, int64_t v) {
    int64_t u = v < 0 ? -v : v;
    if (u % 100 == 0) return arena_printf(a, "%s%lld", v < 0 ? "-" : "", (long long)(u / 100));
    if (u % 10 == 0)
        return arena_printf(a, "%s%lld.%lld", v < 0 ? "-" : "", (long long)(u / 100),
                            (long long)(u % 100 / 10));
    return arena_printf(a, "%s%lld.%02lld", v < 0 ? "-" : "", (long long)(u / 100),
                        (long long)(u % 100));
}

int64_t assess_rate_value(int64_t num, int64_t den) {
    return den > 0 ? div_round(num * 10000, den) : 0;
}

/* ---- reading the parameter text ---- */

/* A decimal with at most two places (and an optional %) from s[0..len): hundredths. 0 or -1. */
static int decimal(const char *s, size_t len, int64_t *out) {
    if (len && s[len - 1] == '%') len--;
    int neg = 0;
    size_t i = 0;
    if (i < len && (s[i] == '-' || s[i] == '+')) neg = s[i++] == '-';
    int64_t whole = 0, frac = 0;
    int digits = 0, places = -1;
    for (; i < len; i++) {
        if (s[i] == '.' && places < 0) {
            places = 0;
            continue;
        }
        if (!isdigit((unsigned char)s[i])) return -1;
        if (places >= 0) {
            if (++places > 2) return -1;
            frac = frac * 10 + (s[i] - '0');
        } else {
            if (whole > 10000000) return -1;
            whole = whole * 10 + (s[i] - '0');
        }
        digits++;
    }
    if (!digits) return -1;
    if (places == 1) frac *= 10;
    *out = (whole * 100 + frac) * (neg ? -1 : 1);
    return 0;
}

static int fail(char *zh, char *en, size_t n, const char *z, const char *e) {
    snprintf(zh, n, "%s", z);
    snprintf(en, n, "%s", e);
    return -1;
}

int assess_rule_parse(enum assess_rule_type t, const char *params, int64_t weight,
                      struct assess_rule *r, char *zh, char *en, size_t n) {
    memset(r, 0, sizeof *r);
    r->type = t;
    if (n) zh[0] = en[0] = 0;
    if (t < 0 || t >= AR_N) return fail(zh, en, n, "计分规则类型无效", "Invalid rule type");
    if (!params) params = "";
    if (strlen(params) > ASSESS_PARAMS_MAX)
        return fail(zh, en, n, "规则参数过长（最多 200 个字符）",
                    "The rule's parameters are too long (at most 200 characters)");
    if (assess_rule_weighted(t) ? weight <= 0 : weight != 0)
        return fail(zh, en, n,
                    assess_rule_weighted(t) ? "该类指标的分值须大于 0"
                                            : "加分项和一票否决项不占分值，分值须为 0",
                    assess_rule_weighted(t)
                        ? "This kind of indicator needs a weight above 0"
                        : "Bonus and veto items carry no weight: the weight must be 0");
    if (weight > ASSESS_POINTS_MAX || weight < 0)
        return fail(zh, en, n, "分值超出范围", "The weight is out of range");
    int curve = -1, has_per = 0, has_cap = 0;
    const char *p = params;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == ',' || *p == ';')
            p++;
        if (!*p) break;
        size_t len = strcspn(p, " \t,;");
        const char *eq = memchr(p, '=', len), *colon = memchr(p, ':', len);
        if (t == AR_RATIO && curve < 0 && !eq && !colon) {
            if (len == 6 && !strncmp(p, "linear", 6))
                curve = AC_LINEAR;
            else if (len == 4 && !strncmp(p, "step", 4))
                curve = AC_STEP;
            else if (len == 8 && !strncmp(p, "stepdown", 8))
                curve = AC_STEPDOWN;
            else
                return fail(zh, en, n, "比率计分须以 linear、step 或 stepdown 开头",
                            "A rate rule starts with linear, step or stepdown");
        } else if (t == AR_RATIO && curve >= 0 && colon && !eq) {
            int64_t x, y;
            if (r->n >= ASSESS_CURVE_MAX)
                return fail(zh, en, n, "曲线最多 10 个点", "A curve has at most 10 points");
            if (decimal(p, (size_t)(colon - p), &x) ||
                decimal(colon + 1, len - (size_t)(colon - p) - 1, &y) || y < 0 || y > 10000)
                return fail(zh, en, n,
                            "曲线的点应写作 指标值:得分比例（如 80:0 100:100，比例 0–100）",
                            "Curve points are value:percent of the weight (80:0 100:100, "
                            "percent 0–100)");
            if (r->n && x <= r->x[r->n - 1])
                return fail(zh, en, n, "曲线各点的指标值须从小到大排列",
                            "The curve's values must increase from point to point");
            r->x[r->n] = x;
            r->y[r->n++] = y;
        } else if (eq && !colon) {
            size_t klen = (size_t)(eq - p);
            const char *v = eq + 1;
            size_t vlen = len - klen - 1;
            int64_t d;
            if (klen == 2 && !strncmp(p, "na", 2) && (t == AR_RATIO || t == AR_THRESHOLD)) {
                if (vlen == 4 && !strncmp(v, "zero", 4))
                    r->na_zero = 1;
                else if (vlen == 4 && !strncmp(v, "full", 4))
                    r->na_zero = 0;
                else
                    return fail(zh, en, n, "na 须为 full（无记录计满分）或 zero（无记录计 0 分）",
                                "na is full (no record: full points) or zero");
            } else if (decimal(v, vlen, &d)) {
                return fail(zh, en, n, "参数值须为最多两位小数的数字",
                            "A parameter's value is a number with at most two decimals");
            } else if (klen == 3 && !strncmp(p, "per", 3) && (t == AR_DEDUCT || t == AR_BONUS)) {
                if (d <= 0 || d > ASSESS_POINTS_MAX)
                    return fail(zh, en, n, "每次扣（加）分须大于 0", "per must be above 0");
                r->per = d, has_per = 1;
            } else if (klen == 3 && !strncmp(p, "cap", 3) && (t == AR_DEDUCT || t == AR_BONUS)) {
                if (d <= 0 || d > ASSESS_POINTS_MAX)
                    return fail(zh, en, n, "封顶分须大于 0", "cap must be above 0");
                r->cap = d, has_cap = 1;
            } else if (klen == 3 && !strncmp(p, "min", 3) && t == AR_THRESHOLD && !r->has_max) {
                r->min = d, r->has_min = 1;
            } else if (klen == 3 && !strncmp(p, "max", 3) && t == AR_THRESHOLD && !r->has_min) {
                r->max = d, r->has_max = 1;
            } else {
                return fail(zh, en, n, "规则参数中有该类规则不认识的项",
                            "The parameters name something this rule type does not take");
            }
        } else {
            return fail(zh, en, n, "规则参数中有无法识别的内容",
                        "The parameters hold something that cannot be read");
        }
        p += len;
    }
    switch (t) {
    case AR_RATIO:
        if (curve < 0 || r->n < (curve == AC_LINEAR ? 2 : 1))
            return fail(zh, en, n, "比率计分须给出曲线，如 linear 80:0 100:100（线性至少两个点）",
                        "A rate rule needs a curve such as linear 80:0 100:100 (linear: at "
                        "least two points)");
        r->curve = (enum assess_curve)curve;
        break;
    case AR_THRESHOLD:
        if (!r->has_min && !r->has_max)
            return fail(zh, en, n, "达标计分须给出 min=（不低于）或 max=（不高于）",
                        "A threshold needs min= (at least) or max= (at most)");
        break;
    case AR_DEDUCT:
        if (!has_per)
            return fail(zh, en, n, "扣分项须给出 per=（每次扣分）", "A deduction needs per=");
        if (!has_cap) r->cap = weight;
        if (r->cap > weight)
            return fail(zh, en, n, "扣分封顶不能超过该项分值",
                        "A deduction's cap cannot exceed the indicator's weight");
        break;
    case AR_BONUS:
        if (!has_cap) return fail(zh, en, n, "加分项须给出 cap=（加分上限）", "A bonus needs cap=");
        break;
    default:
        break;
    }
    return 0;
}

/* ---- computing a leaf's points ---- */

/* Percent of the weight (hundredths of a percent) the curve gives value v. */
static int64_t curve_at(const struct assess_rule *r, int64_t v) {
    switch (r->curve) {
    case AC_LINEAR:
        if (v <= r->x[0]) return r->y[0];
        for (int i = 1; i < r->n; i++)
            if (v <= r->x[i])
                return r->y[i - 1] + div_round((v - r->x[i - 1]) * (r->y[i] - r->y[i - 1]),
                                               r->x[i] - r->x[i - 1]);
        return r->y[r->n - 1];
    case AC_STEP: {
        int64_t y = 0;
        for (int i = 0; i < r->n; i++)
            if (v >= r->x[i]) y = r->y[i];
        return y;
    }
    default:
        for (int i = 0; i < r->n; i++)
            if (v <= r->x[i]) return r->y[i];
        return 0;
    }
}

static const char *curve_text(const struct assess_rule *r, struct arena *a, int en) {
    const char *s = r->curve == AC_LINEAR ? (en ? "linear" : "线性")
                    : r->curve == AC_STEP ? (en ? "steps (at least)" : "分档（不低于）")
                                          : (en ? "steps (at most)" : "分档（不高于）");
    for (int i = 0; i < r->n; i++)
        s = arena_printf(a, "%s%s%s→%s%%", s, i ? (en ? ", " : "、") : " ",
                         assess_hundredths(a, r->x[i]), assess_hundredths(a, r->y[i]));
    return s;
}

/* The metric's figures in words: "96.5%（193/200）", "7 件", "平均 12.5". */
static const char *figures(const struct assess_input *in, struct arena *a, int en) {
    if (!in->has_value) return en ? "no record" : "无相关记录";
    if (in->rate)
        return arena_printf(a, "%s%% (%lld/%lld)", assess_hundredths(a, in->value),
                            (long long)in->num, (long long)in->den);
    return arena_printf(a, "%s", assess_hundredths(a, in->value));
}

void assess_rule_eval(const struct assess_rule *r, int64_t weight, const struct assess_input *in,
                      struct assess_outcome *out, struct arena *a) {
    memset(out, 0, sizeof *out);
    const char *lz = in->label_zh ? in->label_zh : "", *le = in->label_en ? in->label_en : "";
    const char *wz = assess_hundredths(a, weight);
    switch (r->type) {
    case AR_RATIO:
    case AR_THRESHOLD: {
        if (!in->has_value) {
            out->points = r->na_zero ? 0 : weight;
            out->zh =
                arena_printf(a, "%s：无相关记录，按%s计 %s 分", lz,
                             r->na_zero ? "未达标" : "不涉及", assess_hundredths(a, out->points));
            out->en = arena_printf(a, "%s: no record, %s: %s points", le,
                                   r->na_zero ? "counted as not met" : "not applicable",
                                   assess_hundredths(a, out->points));
            break;
        }
        if (r->type == AR_RATIO) {
            int64_t pct = curve_at(r, in->value);
            out->points = div_round(weight * pct, 10000);
            out->zh = arena_printf(a, "%s %s，%s，得 %s%% × %s = %s 分", lz, figures(in, a, 0),
                                   curve_text(r, a, 0), assess_hundredths(a, pct), wz,
                                   assess_hundredths(a, out->points));
            out->en = arena_printf(a, "%s %s, %s: %s%% × %s = %s points", le, figures(in, a, 1),
                                   curve_text(r, a, 1), assess_hundredths(a, pct), wz,
                                   assess_hundredths(a, out->points));
        } else {
            int met = r->has_min ? in->value >= r->min : in->value <= r->max;
            const char *lim = assess_hundredths(a, r->has_min ? r->min : r->max);
            out->points = met ? weight : 0;
            out->zh = arena_printf(a, "%s %s，标准%s %s：%s，得 %s 分", lz, figures(in, a, 0),
                                   r->has_min ? "不低于" : "不高于", lim, met ? "达标" : "未达标",
                                   assess_hundredths(a, out->points));
            out->en = arena_printf(a, "%s %s, standard %s %s: %s, %s points", le, figures(in, a, 1),
                                   r->has_min ? "at least" : "at most", lim,
                                   met ? "met" : "not met", assess_hundredths(a, out->points));
        }
        break;
    }
    case AR_DEDUCT: {
        int64_t cut = r->per * in->num, capped = cut > r->cap ? r->cap : cut;
        out->points = weight - capped;
        const char *cut_text = /* never "−0" */
            cut ? arena_printf(a, "−%s", assess_hundredths(a, cut)) : "0";
        out->zh = arena_printf(
            a, "%s %lld 件 × −%s = %s%s，得 %s − %s = %s 分", lz, (long long)in->num,
            assess_hundredths(a, r->per), cut_text,
            cut > r->cap ? arena_printf(a, "（封顶 −%s）", assess_hundredths(a, r->cap)) : "", wz,
            assess_hundredths(a, capped), assess_hundredths(a, out->points));
        out->en = arena_printf(
            a, "%s %lld × −%s = %s%s: %s − %s = %s points", le, (long long)in->num,
            assess_hundredths(a, r->per), cut_text,
            cut > r->cap ? arena_printf(a, " (capped at −%s)", assess_hundredths(a, r->cap)) : "",
            wz, assess_hundredths(a, capped), assess_hundredths(a, out->points));
        break;
    }
    case AR_BONUS: {
        int64_t raw;
        if (in->metric) {
            raw = r->per * in->num;
            out->points = raw > r->cap ? r->cap : raw;
            out->zh =
                arena_printf(a, "%s %lld 项 × %s = %s，上限 %s，加 %s 分", lz, (long long)in->num,
                             assess_hundredths(a, r->per), assess_hundredths(a, raw),
                             assess_hundredths(a, r->cap), assess_hundredths(a, out->points));
            out->en =
                arena_printf(a, "%s %lld × %s = %s, cap %s: +%s points", le, (long long)in->num,
                             assess_hundredths(a, r->per), assess_hundredths(a, raw),
                             assess_hundredths(a, r->cap), assess_hundredths(a, out->points));
        } else if (in->has_manual) {
            raw = in->manual < 0 ? 0 : in->manual;
            out->points = raw > r->cap ? r->cap : raw;
            out->zh = arena_printf(a, "评分人认定加 %s 分（上限 %s）%s", assess_hundredths(a, raw),
                                   assess_hundredths(a, r->cap),
                                   raw > r->cap ? arena_printf(a, "，按上限计 %s 分",
                                                               assess_hundredths(a, out->points))
                                                : "");
            out->en = arena_printf(
                a, "the assessor gave +%s (cap %s)%s", assess_hundredths(a, raw),
                assess_hundredths(a, r->cap),
                raw > r->cap ? arena_printf(a, ": %s counted", assess_hundredths(a, out->points))
                             : "");
        } else {
            out->zh = "无加分";
            out->en = "no bonus";
        }
        break;
    }
    case AR_VETO:
        out->veto = in->metric ? in->num > 0 : in->has_manual && in->manual > 0;
        if (in->metric) {
            out->zh = arena_printf(a, "%s %lld 件：%s", lz, (long long)in->num,
                                   out->veto ? "一票否决" : "未触发否决");
            out->en = arena_printf(a, "%s %lld: %s", le, (long long)in->num,
                                   out->veto ? "vetoed" : "no veto");
        } else {
            out->zh = out->veto ? "评分人认定一票否决" : "未触发否决";
            out->en = out->veto ? "vetoed by the assessor" : "no veto";
        }
        break;
    case AR_MANUAL:
    default:
        if (!in->has_manual) {
            out->pending = 1;
            out->zh = "待评分";
            out->en = "not scored yet";
            break;
        }
        out->points = in->manual < 0 ? 0 : in->manual > weight ? weight : in->manual;
        out->zh =
            arena_printf(a, "评分人评定 %s 分（满分 %s）", assess_hundredths(a, out->points), wz);
        out->en = arena_printf(a, "the assessor gave %s of %s points",
                               assess_hundredths(a, out->points), wz);
        break;
    }
}

/* ---- the metric registry ---- */

int assess_metric_resolve(const char *code, const struct entity **e,
                          const struct entity_metric **m) {
    const char *dot = code ? strrchr(code, '.') : NULL;
    if (!dot || dot == code || !dot[1] || dot - code > 63) return -1;
    char name[64];
    memcpy(name, code, (size_t)(dot - code));
    name[dot - code] = 0;
    const struct entity *ent = entity_by_name(name);
    const struct entity_metric *met = ent ? entity_metric_find(ent, dot + 1) : NULL;
    if (!met) return -1;
    *e = ent;
    *m = met;
    return 0;
}

json_t *assess_metric_registry(int lang) {
    static const char *const types[] = {"count", "rate", "avg"};
    json_t *items = json_array();
    for (int i = 0; i < entity_count_registered(); i++) {
        const struct entity *e = entity_at(i);
        for (int k = 0; k < entity_metric_n(e); k++) {
            const struct entity_metric *m = entity_metric_at(e, k);
            const char *hint = lang ? m->hint_en : m->hint_zh;
            json_array_append_new(items,
                                  json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "code", "",
                                            "entity", e->name, "entity_title", lang ? e->en : e->zh,
                                            "metric", m->code, "zh", m->zh, "en", m->en, "type",
                                            (unsigned)m->type < 3 ? types[m->type] : "count",
                                            "hint", hint ? hint : ""));
            char code[160];
            snprintf(code, sizeof code, "%s.%s", e->name, m->code);
            json_object_set_new(json_array_get(items, json_array_size(items) - 1), "code",
                                json_string(code));
        }
    }
    return json_pack("{s:o}", "items", items);
}
