/* field.c — one validator for declared values (field.h), with the messages the HTTP forms use,
 * so an argument checked here reads like a field checked by form_text/form_int. */
#include "features/flow/field.h"

#include <string.h>

#include "base/calendar.h"
#include "base/timeutil.h"
#include "base/utf8.h"

const char *const field_type_codes[FT_COUNT] = {
    "int", "text", "longtext", "date", "datetime", "bool", "enum", "unit", "user", "ref", "phone"};

void problem_add(struct problems *pr, const char *field, const char *zh, const char *en) {
    if (!pr || problem_has(pr, field)) return;
    if (pr->n < PROBLEMS_MAX) pr->p[pr->n++] = (struct problem){field, zh, en};
}

int problem_has(const struct problems *pr, const char *field) {
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

/* Trimmed copy of text in the arena, or NULL with a problem (not text, NUL, bad UTF-8). */
static const char *text_of(struct arena *a, const char *name, json_t *in, int *chars,
                           struct problems *pr) {
    if (!json_is_string(in)) {
        problem_add(pr, name, "须为文本", "Must be text");
        return NULL;
    }
    const char *s = json_string_value(in);
    if (memchr(s, 0, json_string_length(in))) {
        problem_add(pr, name, "包含非法字符", "Contains invalid characters");
        return NULL;
    }
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    size_t len = strlen(s);
    while (len &&
           (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\n' || s[len - 1] == '\r'))
        len--;
    char *t = arena_strndup(a, s, len);
    *chars = utf8_text_chars(t);
    if (*chars < 0) {
        problem_add(pr, name, "包含非法字符", "Contains invalid characters");
        return NULL;
    }
    return t;
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

int field_value_check(struct arena *a, const char *name, enum field_type type, int required,
                      int64_t min, int64_t max, const struct field_option *options, int n_options,
                      json_t *in, json_t **out, struct problems *pr) {
    *out = NULL;
    if (!in || json_is_null(in)) {
        if (!required) return 0;
        problem_add(pr, name, "必填", "Required");
        return -1;
    }
    switch (type) {
    case FT_INT:
    case FT_UNIT:
    case FT_USER:
    case FT_REF: {
        if (!json_is_integer(in)) {
            problem_add(pr, name, "须为整数", "Must be an integer");
            return -1;
        }
        int64_t lo = min, hi = max;
        if (type != FT_INT) { /* ids: positive, the declaration may narrow it */
            if (lo < 1) lo = 1;
            if (hi <= 0 || hi > FIELD_ID_MAX) hi = FIELD_ID_MAX;
        }
        json_int_t x = json_integer_value(in);
        if (x < lo || x > hi) {
            problem_add(
                pr, name, arena_printf(a, "须在 %lld 到 %lld 之间", (long long)lo, (long long)hi),
                arena_printf(a, "Must be between %lld and %lld", (long long)lo, (long long)hi));
            return -1;
        }
        *out = json_integer(x);
        return 0;
    }
    case FT_BOOL:
        if (!json_is_boolean(in)) {
            problem_add(pr, name, "须为 true 或 false", "Must be true or false");
            return -1;
        }
        *out = json_boolean(json_is_true(in));
        return 0;
    default:
        break;
    }
    int chars = 0;
    const char *s = text_of(a, name, in, &chars, pr);
    if (!s) return -1;
    if (chars == 0) {
        if (!required) return 0; /* "" is absent */
        problem_add(pr, name, "必填", "Required");
        return -1;
    }
    switch (type) {
    case FT_DATE: {
        int32_t d;
        if (date_parse(s, &d)) {
            problem_add(pr, name, "日期格式应为 YYYY-MM-DD", "Use YYYY-MM-DD");
            return -1;
        }
        break;
    }
    case FT_DATETIME:
        if (strlen(s) != 20 || !iso_valid(s)) {
            problem_add(pr, name, "时间格式应为 YYYY-MM-DDTHH:MM:SSZ", "Use YYYY-MM-DDTHH:MM:SSZ");
            return -1;
        }
        break;
    case FT_ENUM:
        if (!field_option_label(options, n_options, s, 0)) {
            problem_add(pr, name, "取值无效", "Invalid value");
            return -1;
        }
        break;
    case FT_PHONE:
        if (!phone_ok(s)) {
            problem_add(pr, name, "电话号码无效", "Invalid telephone number");
            return -1;
        }
        break;
    default: { /* FT_TEXT, FT_LONGTEXT */
        int64_t hi = max > 0 ? max : type == FT_TEXT ? FIELD_TEXT_MAX : FIELD_LONGTEXT_MAX;
        int64_t lo = min > 0 ? min : 0;
        if (type == FT_TEXT && strpbrk(s, "\r\n")) {
            problem_add(pr, name, "须为一行文本", "Must be one line");
            return -1;
        }
        if (chars > hi || chars < lo) {
            problem_add(
                pr, name,
                arena_printf(a, "长度须为 %lld–%lld 个字符", (long long)lo, (long long)hi),
                arena_printf(a, "Must be %lld–%lld characters", (long long)lo, (long long)hi));
            return -1;
        }
    }
    }
    *out = json_string(s);
    return 0;
}
