/* entity_check.c — the one validator of declared fields (API bodies, import rows, workflow
 * arguments): types, limits, options, required fields; and import cells to typed values. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/calendar.h"
#include "base/utf8.h"
#include "features/entity/entity.h"

static void json_free(void *p) {
    json_decref(p);
}

/* A write's references (FT_REF to a registered entity): each names a record the caller reads —
 * through that entity's scope and visible hook, one count per reference — else the problem
 * 所引用的<entity>不存在或不在您的数据范围内 on the field (unless the validate hook already said
 * something about it). DB_OK or < 0. */
static int refs_check(struct entity_write *w) {
    const struct entity *e = w->c->ent;
    for (int i = 0; i < e->n_fields; i++) {
        const struct field *f = &e->fields[i];
        json_t *v = json_object_get(w->in, f->name);
        if (f->type != FT_REF || (f->flags & F_MULTI) || !f->ref || !json_is_integer(v) ||
            problems_has(w->pr, f->name))
            continue;
        const struct entity *to = entity_by_name(f->ref);
        if (!to) continue;
        struct entity_ctx c;
        int rc = entity_ctx_init(&c, w->c->db, w->c->arena, to, w->c->who, w->c->lang, EP_COUNT);
        if (rc != DB_OK) return rc;
        struct entity_request rq;
        memset(&rq, 0, sizeof rq);
        rq.ids[0] = (int64_t)json_integer_value(v);
        rq.n_ids = 1;
        int64_t n = 0;
        if ((rc = entity_count(&c, &rq, &n)) != DB_OK) return rc;
        if (!n)
            problem_add(w->pr, f->name,
                        arena_printf(w->c->arena, "所引用的%s不存在或不在您的数据范围内", to->zh),
                        arena_printf(w->c->arena, "No such %s in your scope", to->en));
    }
    return DB_OK;
}

json_t *entity_input_check(struct entity_write *w, json_t *body, unsigned mode, int *rc) {
    const struct entity *e = w->c->ent;
    /* a dictionary's disabled item is kept by an update, never chosen anew */
    const struct entity *re = entity_resolved(w->c, mode & FV_CREATE ? FO_NEW : FO_ALL);
    w->body = body;
    w->in = fields_check(re->fields, re->n_fields, body, mode, w->pr);
    arena_on_free(w->c->arena, json_free, w->in);
    *rc = DB_OK;
    if (e->parties) { /* 当事人: checked here, written after the hook (entity_create/update) */
        entity_parties_check(w->c->arena, e->parties, json_object_get(body, "parties"), mode, w->pr,
                             &w->parties);
        if (w->parties) arena_on_free(w->c->arena, json_free, w->parties);
    }
    /* every problem at once: the hook runs too, on the values that passed (w->in) */
    if (e->validate) *rc = e->validate(w);
    if (*rc == DB_OK) *rc = refs_check(w); /* after the hook: its own words on a field first */
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

int entity_unit_active(struct db *db, int64_t id, int *ok) {
    int64_t n = 0;
    int rc =
        db_query_int(db, &n, "SELECT COUNT(*) FROM units WHERE id = ? AND active = 1", "i", id);
    *ok = n > 0;
    return rc == DB_ROW ? DB_OK : rc < 0 ? rc : DB_ERROR;
}

int entity_check_unit(struct entity_write *w, const char *field, const char *scope_zh,
                      const char *scope_en) {
    json_t *v = json_object_get(w->in, field);
    if (!json_is_integer(v)) return DB_OK;
    int64_t id = (int64_t)json_integer_value(v);
    int ok = 0;
    int rc = entity_unit_active(w->c->db, id, &ok);
    if (rc != DB_OK) return rc;
    if (!ok)
        problem_add(w->pr, field, "单位不存在或已停用", "No such active unit");
    else if (scope_zh && !scope_allows_unit(w->c->db, w->c->who, id))
        problem_add(w->pr, field, scope_zh, scope_en);
    return DB_OK;
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
    json_t *t = field_trimmed(v);
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
        if (f->decimals) { /* a number cell's text ("2.5") or a typed one */
            int64_t x;
            char *end = NULL;
            double d = strtod(text, &end);
            /* the number the API takes; more places than the field's: the validator refuses */
            if (field_decimal_parse(f, text, &x) == 0) return field_decimal_json(f, x);
            if (end && !*end && end != text) return json_real(d);
            problem_add(
                pr, f->name, arena_printf(a, "须为数字，最多 %d 位小数", f->decimals),
                arena_printf(a, "Must be a number with at most %d decimal places", f->decimals));
            *bad = 1;
            return NULL;
        }
        /* fall through */
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
