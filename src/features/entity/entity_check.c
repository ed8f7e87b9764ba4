/* entity_check.c — the one validator of declared fields (API bodies, import rows, workflow
 * arguments): types, limits, options, required fields; and import cells to typed values. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/calendar.h"
#include "base/utf8.h"
#include "features/entity/entity.h"

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
static json_t *trimmed(json_t *v) {
    const char *s = json_string_value(v);
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    size_t len = strlen(s);
    while (len &&
           (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\n' || s[len - 1] == '\r'))
        len--;
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
        json_t *t = trimmed(v);
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
        /* an empty optional text is "" (a list's element is a value: it has the minimum) */
        if (is_texty(f->type) &&
            ((f->max > 0 && n > f->max) || (n < f->min && (n > 0 || (f->flags & F_MULTI))))) {
            json_decref(t);
            problem_add(pr, name,
                        fmt(pr, "长度超出范围", "长度须为 %lld–%lld 个字符", (long long)f->min,
                            (long long)f->max),
                        fmt(pr, "Length out of range", "Must be %lld–%lld characters",
                            (long long)f->min, (long long)f->max));
            return NULL;
        }
        return t;
    }
    switch (f->type) {
    case FT_INT:
    case FT_UNIT:
    case FT_USER:
    case FT_REF: {
        if (!json_is_integer(v)) {
            problem_add(pr, name, "须为整数", "Must be an integer");
            return NULL;
        }
        int64_t min = f->min, max = f->max;
        if (is_id(f->type) || (!min && !max)) {
            min = is_id(f->type) ? 1 : INT64_MIN / 2;
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
        unsigned want = mode & FV_ALL ? ~0u : mode & FV_CREATE ? F_CREATE : F_UPDATE;
        if (!(f->flags & want) || (f->flags & F_READONLY)) continue;
        json_t *v = json_object_get(in, f->name);
        if (!v || json_is_null(v)) {
            if (f->flags & F_REQUIRED) problem_add(pr, f->name, "必填", "Required");
            continue;
        }
        json_t *ok = field_value_check(f, v, pr);
        if (ok) json_object_set_new(out, f->name, ok);
    }
    return out;
}

static void json_free(void *p) {
    json_decref(p);
}

json_t *entity_input_check(struct entity_write *w, json_t *body, unsigned mode, int *rc) {
    const struct entity *e = w->c->ent;
    w->body = body;
    w->in = fields_check(e->fields, e->n_fields, body, mode, w->pr);
    arena_on_free(w->c->arena, json_free, w->in);
    *rc = DB_OK;
    /* every problem at once: the hook runs too, on the values that passed (w->in) */
    if (e->validate) *rc = e->validate(w);
    if (*rc == DB_OK && w->pr->n) *rc = ENTITY_INVALID;
    return w->in;
}

/* ---- import cells ---- */

const char *field_import_key(const struct field *f) {
    return f->import ? f->import : f->name;
}

struct entity_unit_labels {
    json_t *by_label; /* label → id (the lowest id that has it as name, short name or code) */
    json_t *rows;     /* [[name, short name, code], …] in the units' order (the template) */
};

static void labels_free(void *p) {
    json_decref(((struct entity_unit_labels *)p)->by_label);
    json_decref(((struct entity_unit_labels *)p)->rows);
}

json_t *entity_unit_label_rows(const struct entity_unit_labels *u) {
    return u->rows;
}

struct entity_unit_labels *entity_unit_labels_load(struct db *db, struct arena *a, int *rc) {
    struct entity_unit_labels *u = arena_alloc(a, sizeof(*u));
    u->by_label = json_object();
    u->rows = json_array();
    arena_on_free(a, labels_free, u);
    struct db_stmt *st = db_prepare(db, "SELECT id, name, short_name, code FROM units "
                                        "WHERE active = 1 ORDER BY sort_order, id");
    *rc = DB_ERROR;
    while (st && (*rc = db_step(st)) == DB_ROW) {
        int64_t id = db_col_int(st, 0);
        for (int i = 1; i <= 3; i++) { /* a label shared by several units names the oldest */
            const char *l = db_col_text(st, i);
            json_t *had = l && *l ? json_object_get(u->by_label, l) : NULL;
            if (l && *l && (!had || json_integer_value(had) > id))
                json_object_set_new(u->by_label, l, json_integer(id));
        }
        const char *sh = db_col_text(st, 2);
        json_array_append_new(
            u->rows, json_pack("[s,s,s]", db_col_text(st, 1), sh ? sh : "", db_col_text(st, 3)));
    }
    db_done(st);
    if (*rc == DB_DONE) *rc = DB_OK;
    return u;
}

int64_t entity_unit_by_label(const struct entity_unit_labels *u, const char *label) {
    json_t *v = u && label ? json_object_get(u->by_label, label) : NULL;
    return v ? (int64_t)json_integer_value(v) : 0;
}

/* The cell as trimmed text (numbers as their digits), "" when empty or absent. */
static const char *cell_text(struct arena *a, json_t *row, const char *key) {
    json_t *v = json_object_get(row, key);
    if (json_is_integer(v)) return arena_printf(a, "%lld", (long long)json_integer_value(v));
    if (!json_is_string(v)) return "";
    json_t *t = trimmed(v);
    char *s = arena_strdup(a, json_string_value(t));
    json_decref(t);
    return s;
}

/* Split "a、b,c；d" into trimmed parts; returns the count. */
static int split_list(struct arena *a, const char *s, const char **out, int max) {
    int n = 0;
    char *p = arena_strdup(a, s);
    while (*p && n < max) {
        char *start = p, *end = NULL;
        for (char *q = p; *q; q++) {
            if (*q == ',' || *q == ';') {
                end = q;
                p = q + 1;
                break;
            }
            if (!strncmp(q, "、", 3) || !strncmp(q, "，", 3) || !strncmp(q, "；", 3)) {
                end = q;
                p = q + 3;
                break;
            }
        }
        if (!end) {
            end = start + strlen(start);
            p = end;
        }
        *end = 0;
        while (*start == ' ')
            start++;
        size_t len = strlen(start);
        while (len && start[len - 1] == ' ')
            start[--len] = 0;
        if (*start) out[n++] = start;
    }
    return n;
}

/* One cell → the JSON value the API takes, or NULL (absent) with a problem when unreadable. */
static json_t *cell_value(const struct field *f, const struct entity_unit_labels *units,
                          struct arena *a, const char *text, struct problems *pr, int *bad) {
    *bad = 0;
    if (!*text) return NULL;
    switch (f->type) {
    case FT_ENUM:
        for (int i = 0; i < f->n_options; i++)
            if (!strcmp(text, f->options[i].code) || !strcmp(text, f->options[i].zh) ||
                !strcmp(text, f->options[i].en))
                return json_string(f->options[i].code);
        {
            char *zh = arena_printf(a, "%s须为", f->zh), *en = arena_printf(a, "%s is", f->en);
            for (int i = 0; i < f->n_options; i++) {
                zh = arena_printf(a, "%s%s%s", zh, i ? "、" : " ", f->options[i].zh);
                en = arena_printf(a, "%s%s%s", en, i ? ", " : " ", f->options[i].zh);
            }
            problem_add(pr, f->name, zh, en);
        }
        *bad = 1;
        return NULL;
    case FT_UNIT: {
        int64_t id = entity_unit_by_label(units, text);
        if (!id) {
            problem_add(pr, f->name, arena_printf(a, "找不到单位“%s”", text),
                        arena_printf(a, "Unknown unit \"%s\"", text));
            *bad = 1;
            return NULL;
        }
        return json_integer(id);
    }
    case FT_INT:
    case FT_USER:
    case FT_REF: {
        char *end = NULL;
        long long v = strtoll(text, &end, 10);
        if (*end || strlen(text) > 18) {
            problem_add(pr, f->name, "须为整数", "Must be an integer");
            *bad = 1;
            return NULL;
        }
        return json_integer(v);
    }
    case FT_BOOL:
        if (!strcmp(text, "是") || !strcmp(text, "1") || !strcmp(text, "true")) return json_true();
        if (!strcmp(text, "否") || !strcmp(text, "0") || !strcmp(text, "false"))
            return json_false();
        problem_add(pr, f->name, "须为 是 或 否", "Must be 是 or 否");
        *bad = 1;
        return NULL;
    default:
        return json_string(text);
    }
}

json_t *entity_import_row(const struct entity *e, const struct entity_unit_labels *units,
                          struct arena *a, json_t *row, struct problems *pr) {
    json_t *in = json_object();
    for (int i = 0; i < e->n_fields; i++) {
        const struct field *f = &e->fields[i];
        if (!(f->flags & F_IMPORT)) continue;
        const char *text = cell_text(a, row, field_import_key(f));
        int bad = 0;
        if (f->flags & F_MULTI) {
            const char *parts[64];
            int n = split_list(a, text, parts, 64);
            if (!n) continue;
            json_t *arr = json_array();
            for (int k = 0; k < n && !bad; k++) {
                json_t *v = cell_value(f, units, a, parts[k], pr, &bad);
                if (v) json_array_append_new(arr, v);
            }
            if (bad)
                json_decref(arr);
            else
                json_object_set_new(in, f->name, arr);
            continue;
        }
        json_t *v = cell_value(f, units, a, text, pr, &bad);
        if (v) json_object_set_new(in, f->name, v);
    }
    return in;
}
