/* field.c — the one validator of declared values (field.h): API bodies, import rows and workflow
 * arguments are checked here, with the messages the forms show. */
#include "features/entity/field.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/calendar.h"
#include "base/timeutil.h"
#include "base/utf8.h"

const char *field_type_code(enum field_type t) {
    static const char *const codes[FT_COUNT] = {"int",      "text", "longtext", "date",
                                                "datetime", "bool", "enum",     "unit",
                                                "user",     "ref",  "phone",    "json"};
    return (unsigned)t < FT_COUNT ? codes[t] : "text";
}

void problem_add(struct problems *pr, const char *field, const char *zh, const char *en) {
    if (!pr || problems_has(pr, field)) return;
    if (pr->n < PROBLEMS_MAX) pr->p[pr->n++] = (struct problem){field, zh, en};
}

int problems_has(const struct problems *pr, const char *field) {
    for (int i = 0; pr && field && i < pr->n; i++)
        if (pr->p[i].field && !strcmp(pr->p[i].field, field)) return 1;
    return 0;
}

json_t *problems_json(const struct problems *pr, int lang) {
    json_t *o = json_object();
    for (int i = 0; i < pr->n; i++)
        if (pr->p[i].field)
            json_object_set_new(o, pr->p[i].field, json_string(lang ? pr->p[i].en : pr->p[i].zh));
    return o;
}

const char *field_option_label(const struct field_option *options, int n, const char *code,
                               int lang) {
    for (int i = 0; code && i < n; i++)
        if (!strcmp(options[i].code, code)) return lang ? options[i].en : options[i].zh;
    return NULL;
}

static int phone_ok(const char *s) {
    int digits = 0;
    for (const char *p = s; *p; p++) {
        if (*p >= '0' && *p <= '9')
            digits++;
        else if (!strchr(" +-()", *p))
            return 0;
    }
    return digits >= 3 && strlen(s) <= 20;
}

static const char *fmt(struct problems *pr, const char *fallback, const char *f, ...)
    __attribute__((format(printf, 3, 4)));
static const char *fmt(struct problems *pr, const char *fallback, const char *f, ...) {
    if (!pr->arena) return fallback;
    va_list ap;
    va_start(ap, f);
    char *s = arena_vprintf(pr->arena, f, ap);
    va_end(ap);
    return s;
}

static int is_texty(enum field_type t) {
    return t == FT_TEXT || t == FT_LONGTEXT || t == FT_PHONE;
}

static int is_id(enum field_type t) {
    return t == FT_UNIT || t == FT_USER || t == FT_REF;
}

/* Trimmed copy of a JSON string (spaces, tabs, newlines at both ends). */
json_t *field_trimmed(json_t *v) {
    size_t len;
    const char *s = text_trim(json_string_value(v), &len);
    return json_stringn(s, len);
}

static void options_text(const struct field *f, struct problems *pr, const char **zh,
                         const char **en) {
    if (!pr->arena) {
        *zh = "取值无效";
        *en = "Invalid value";
        return;
    }
    char *z = arena_strdup(pr->arena, "须为以下之一：");
    char *e = arena_strdup(pr->arena, "Must be one of: ");
    for (int i = 0; i < f->n_options; i++) {
        z = arena_printf(pr->arena, "%s%s%s", z, i ? "、" : "", f->options[i].code);
        e = arena_printf(pr->arena, "%s%s%s", e, i ? ", " : "", f->options[i].code);
    }
    *zh = z;
    *en = e;
}

int64_t field_scale(const struct field *f) {
    int64_t k = 1;
    for (int i = 0; f->type == FT_INT && i < f->decimals && i < 6; i++)
        k *= 10;
    return k;
}

json_t *field_decimal_json(const struct field *f, int64_t stored) {
    int64_t k = field_scale(f);
    if (k == 1 || stored % k == 0) return json_integer(stored / k);
    return json_real((double)stored / (double)k);
}

const char *field_decimal_text(const struct field *f, int64_t stored, char *buf, size_t n) {
    int64_t k = field_scale(f), u = stored < 0 ? -stored : stored;
    if (k == 1 || u % k == 0) {
        snprintf(buf, n, "%lld", (long long)(stored / k));
        return buf;
    }
    char frac[24];
    snprintf(frac, sizeof frac, "%06lld", (long long)(u % k));
    size_t len = strlen(frac), keep = (size_t)(f->decimals < 6 ? f->decimals : 6);
    char *d = frac + (len - keep); /* the last `decimals` digits, trailing zeros dropped */
    for (size_t i = keep; i > 1 && d[i - 1] == '0'; i--)
        d[i - 1] = 0;
    snprintf(buf, n, "%s%lld.%s", stored < 0 ? "-" : "", (long long)(u / k), d);
    return buf;
}

int field_decimal_parse(const struct field *f, const char *s, int64_t *stored) {
    int64_t k = field_scale(f), whole = 0, frac = 0;
    int neg = 0, digits = 0, places = -1;
    if (*s == '-' || *s == '+') neg = *s++ == '-';
    for (; *s; s++) {
        if (*s == '.' && places < 0) {
            places = 0;
            continue;
        }
        if (*s < '0' || *s > '9') return -1;
        if (places >= 0) {
            if (++places > f->decimals) {
                if (*s != '0') return -1; /* 2.500 is 2.5; 2.345 has too many places */
                continue;
            }
            frac = frac * 10 + (*s - '0');
        } else {
            if (whole > INT64_MAX / 1000000 / 10) return -1;
            whole = whole * 10 + (*s - '0');
        }
        digits++;
    }
    if (!digits) return -1;
    for (int p = places < 0 ? 0 : places > f->decimals ? f->decimals : places; p < f->decimals; p++)
        frac *= 10;
    *stored = (whole * k + frac) * (neg ? -1 : 1);
    return 0;
}

/* A JSON number → the stored integer of a decimal field; -1 when it has more places. The
 * number's shortest text decides (2.5 is 2.5, 2.345 has three places). */
static int decimal_of_json(const struct field *f, json_t *v, int64_t *stored) {
    if (json_is_integer(v)) {
        json_int_t x = json_integer_value(v);
        if (x > INT64_MAX / 2 / field_scale(f) || x < INT64_MIN / 2 / field_scale(f)) return -1;
        *stored = (int64_t)x * field_scale(f);
        return 0;
    }
    double d = json_real_value(v);
    if (!(d > -1e15 && d < 1e15)) return -1;
    char buf[64];
    for (int prec = 15; prec <= 17; prec++) { /* the shortest text that reads back as d */
        snprintf(buf, sizeof buf, "%.*g", prec, d);
        if (strtod(buf, NULL) == d) break;
    }
    if (strchr(buf, 'e') || strchr(buf, 'E')) {
        snprintf(buf, sizeof buf, "%.*f", f->decimals + 1, d);
        size_t len = strlen(buf);
        if (buf[len - 1] != '0') return -1;
    }
    return field_decimal_parse(f, buf, stored);
}

int64_t field_stored_int(const struct field *f, json_t *v) {
    int64_t x;
    if (!v || json_is_null(v)) return 0;
    if (f && f->decimals > 0 && json_is_number(v) && !decimal_of_json(f, v, &x)) return x;
    return json_is_integer(v) ? (int64_t)json_integer_value(v) : 0;
}

/* One value of the field's base type (an element, for F_MULTI). */
static json_t *scalar_check(const struct field *f, json_t *v, struct problems *pr) {
    const char *name = f->name;
    if (is_texty(f->type) || f->type == FT_DATE || f->type == FT_DATETIME) {
        if (!json_is_string(v)) {
            problem_add(pr, name, "须为文本", "Must be text");
            return NULL;
        }
        if (memchr(json_string_value(v), 0, json_string_length(v))) {
            problem_add(pr, name, "包含非法字符", "Contains invalid characters");
            return NULL;
        }
        json_t *t = field_trimmed(v);
        const char *s = json_string_value(t);
        int n = utf8_text_chars(s);
        if (n < 0) {
            json_decref(t);
            problem_add(pr, name, "包含非法字符", "Contains invalid characters");
            return NULL;
        }
        if (n == 0 && (f->flags & F_REQUIRED) && !(f->flags & F_MULTI)) {
            json_decref(t);
            problem_add(pr, name, "必填", "Required");
            return NULL;
        }
        int32_t d;
        if (f->type == FT_DATE && n > 0 && date_parse(s, &d) != 0) {
            json_decref(t);
            problem_add(pr, name, "日期格式应为 YYYY-MM-DD", "Use YYYY-MM-DD");
            return NULL;
        }
        if (f->type == FT_DATETIME && n > 0 && (strlen(s) != 20 || !iso_valid(s))) {
            json_decref(t);
            problem_add(pr, name, "时间格式应为 YYYY-MM-DDTHH:MM:SSZ", "Use YYYY-MM-DDTHH:MM:SSZ");
            return NULL;
        }
        if (f->type == FT_PHONE && n > 0 && !phone_ok(s)) {
            json_decref(t);
            problem_add(pr, name, "电话号码无效", "Invalid telephone number");
            return NULL;
        }
        if (f->type == FT_TEXT && strpbrk(s, "\r\n")) {
            json_decref(t);
            problem_add(pr, name, "须为一行文本", "Must be one line");
            return NULL;
        }
        /* every text is bounded: a declaration without max gets the type's default */
        int64_t hi = f->max > 0               ? f->max
                     : f->type == FT_LONGTEXT ? FIELD_LONGTEXT_MAX
                                              : FIELD_TEXT_MAX;
        int64_t lo = f->min > 0 ? f->min : 0;
        /* an empty optional text is "" (a list's element is a value: it has the minimum) */
        if (is_texty(f->type) && (n > hi || (n < lo && (n > 0 || (f->flags & F_MULTI))))) {
            json_decref(t);
            problem_add(
                pr, name,
                fmt(pr, "长度超出范围", "长度须为 %lld–%lld 个字符", (long long)lo, (long long)hi),
                fmt(pr, "Length out of range", "Must be %lld–%lld characters", (long long)lo,
                    (long long)hi));
            return NULL;
        }
        return t;
    }
    switch (f->type) {
    case FT_INT:
        if (f->decimals > 0) {
            int64_t x;
            char lo[32], hi[32];
            if (!json_is_number(v)) {
                problem_add(pr, name, "须为数字", "Must be a number");
                return NULL;
            }
            if (decimal_of_json(f, v, &x)) {
                problem_add(pr, name,
                            fmt(pr, "小数位数过多", "须为数字，最多 %d 位小数", f->decimals),
                            fmt(pr, "Too many decimal places",
                                "Must be a number with at most %d decimal places", f->decimals));
                return NULL;
            }
            if ((f->min || f->max) && (x < f->min || x > f->max)) {
                field_decimal_text(f, f->min, lo, sizeof lo);
                field_decimal_text(f, f->max, hi, sizeof hi);
                problem_add(pr, name, fmt(pr, "超出范围", "须在 %s 到 %s 之间", lo, hi),
                            fmt(pr, "Out of range", "Must be between %s and %s", lo, hi));
                return NULL;
            }
            return json_integer(x);
        }
        /* fall through */
    case FT_UNIT:
    case FT_USER:
    case FT_REF: {
        if (!json_is_integer(v)) {
            problem_add(pr, name, "须为整数", "Must be an integer");
            return NULL;
        }
        int64_t min = f->min, max = f->max;
        if (is_id(f->type)) { /* ids: positive, the declaration may narrow it */
            if (min < 1) min = 1;
            if (max <= 0 || max > FIELD_ID_MAX) max = FIELD_ID_MAX;
        } else if (!min && !max) {
            min = INT64_MIN / 2;
            max = INT64_MAX / 2;
        }
        json_int_t x = json_integer_value(v);
        if (x < min || x > max) {
            problem_add(
                pr, name,
                fmt(pr, "超出范围", "须在 %lld 到 %lld 之间", (long long)min, (long long)max),
                fmt(pr, "Out of range", "Must be between %lld and %lld", (long long)min,
                    (long long)max));
            return NULL;
        }
        return json_integer(x);
    }
    case FT_BOOL:
        if (!json_is_boolean(v)) {
            problem_add(pr, name, "须为 true 或 false", "Must be true or false");
            return NULL;
        }
        return json_incref(v);
    case FT_ENUM: {
        const char *s = json_string_value(v);
        /* a dictionary field left empty: "" like an optional text */
        if (f->dict && s && !*s && !(f->flags & F_REQUIRED)) return json_string("");
        for (int i = 0; s && i < f->n_options; i++)
            if (!strcmp(f->options[i].code, s)) return json_string(s);
        const char *zh, *en;
        options_text(f, pr, &zh, &en);
        problem_add(pr, name, zh, en);
        return NULL;
    }
    case FT_JSON:
        return json_incref(v);
    default:
        problem_add(pr, name, "取值无效", "Invalid value");
        return NULL;
    }
}

json_t *field_value_check(const struct field *f, json_t *v, struct problems *pr) {
    if (!(f->flags & F_MULTI)) return scalar_check(f, v, pr);
    int max = f->max_items;
    if (!json_is_array(v) || (int)json_array_size(v) > max) {
        problem_add(
            pr, f->name, fmt(pr, "须为列表（不超过上限）", "须为列表，最多 %d 项", max),
            fmt(pr, "Must be a list within the limit", "Must be a list of at most %d", max));
        return NULL;
    }
    json_t *out = json_array();
    size_t i;
    json_t *x;
    json_array_foreach(v, i, x) {
        json_t *one = scalar_check(f, x, pr);
        if (!one) {
            json_decref(out);
            return NULL;
        }
        json_array_append_new(out, one);
    }
    return out;
}

json_t *fields_check(const struct field *fields, int n, json_t *in, unsigned mode,
                     struct problems *pr) {
    json_t *out = json_object();
    for (int i = 0; i < n; i++) {
        const struct field *f = &fields[i];
        if (!(mode & FV_ALL) &&
            (!(f->flags & (mode & FV_CREATE ? F_CREATE : F_UPDATE)) || (f->flags & F_READONLY)))
            continue;
        json_t *v = json_object_get(in, f->name);
        if (!v || json_is_null(v)) {
            if (f->flags & F_REQUIRED) problem_add(pr, f->name, "必填", "Required");
            continue;
        }
        /* a workflow argument given as "" is absent, like null */
        if ((mode & FV_ALL) && !(f->flags & F_REQUIRED) && json_is_string(v) &&
            !json_string_value(v)[strspn(json_string_value(v), " \t\r\n")])
            continue;
        json_t *ok = field_value_check(f, v, pr);
        if (ok) json_object_set_new(out, f->name, ok);
    }
    return out;
}
