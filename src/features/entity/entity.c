/* entity.c — the entity registry, the one query builder (scope always added), lists, single
 * reads and counts. Validation is in entity_check.c, writes in entity_write.c. */
#include "features/entity/entity.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pthread.h>

#include "base/calendar.h"
#include "base/log.h"
#include "base/num.h"
#include "base/utf8.h"
#include "features/flow/flow.h"
#include "store/cache.h"

#define ENTITIES_MAX 128

static const struct entity *registry[ENTITIES_MAX];
static int n_registry;

/* ---- registry ---- */

static int identifier_ok(const char *s) {
    if (!s || !*s || strlen(s) > 63) return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_')) return 0;
    return 1;
}

/* Whether a kept page of e follows the data version `name`. */
static int deps_name(const struct entity *e, const char *name) {
    for (int k = 0; e->cache_deps && e->cache_deps[k]; k++)
        if (!strcmp(e->cache_deps[k], name)) return 1;
    return 0;
}

static int check_entity(const struct entity *e, char *err, size_t n) {
    if (!e->name || !identifier_ok(e->name) || !e->path || strncmp(e->path, "/api/", 5) ||
        !identifier_ok(e->table) || !identifier_ok(e->alias) || !e->zh || !e->en) {
        snprintf(err, n, "entity %s: name, path, table, alias and titles are required",
                 e->name ? e->name : "(unnamed)");
        return -1;
    }
    if (e->unversioned && (e->perm_update || !e->perm_delete || !e->remove)) {
        snprintf(err, n, "entity %s: unversioned rows are only deleted, by a remove hook", e->name);
        return -1;
    }
    const struct entity_parties *pd = e->parties;
    if (pd && (!pd->kind || !identifier_ok(pd->kind) || !pd->roles || pd->n_roles < 1 ||
               pd->min < 0 || pd->max < 1 || pd->min > pd->max || pd->max > 100)) {
        snprintf(err, n,
                 "entity %s: parties need a kind, at least one role and 0 <= min <= max "
                 "<= 100",
                 e->name);
        return -1;
    }
    /* a kept page must follow every table it reads: parties and clocks bump "cases" */
    int n_deps = 0;
    for (; e->cache_deps && e->cache_deps[n_deps]; n_deps++) {}
    if (n_deps > CACHE_DEPS_MAX) {
        snprintf(err, n, "entity %s: cache_deps names more than %d data versions", e->name,
                 CACHE_DEPS_MAX);
        return -1;
    }
    if (e->cache_deps && (pd || (e->kind && e->kind->n_clocks)) && !deps_name(e, "cases")) {
        snprintf(err, n, "entity %s: its pages show parties or clocks: cache_deps needs \"cases\"",
                 e->name);
        return -1;
    }
    for (int i = 0; i < e->n_fields; i++) { /* decimals: an FT_INT's, 1–4 places, no filter */
        const struct field *f = &e->fields[i];
        if (f->decimals && (f->type != FT_INT || f->decimals < 0 || f->decimals > 4 ||
                            (f->flags & (F_FILTER | F_MULTI)))) {
            snprintf(err, n,
                     "entity %s: field %s: decimals are 1-4 places of an FT_INT field "
                     "without F_FILTER or F_MULTI",
                     e->name, f->name);
            return -1;
        }
    }
    const struct entity_versions *vd = e->versions;
    if (vd && (!vd->kind || !identifier_ok(vd->kind) || !vd->zh || !vd->en || vd->max_chars < 1 ||
               vd->max_chars > ENTITY_VERSION_CHARS_MAX)) {
        snprintf(err, n, "entity %s: versions need a kind, names and 1 <= max_chars <= %d", e->name,
                 ENTITY_VERSION_CHARS_MAX);
        return -1;
    }
    for (int i = 0; e->edit_states && e->edit_states[i]; i++)
        if (!e->kind || flow_state_index(e->kind, e->edit_states[i]) < 0) {
            snprintf(err, n, "entity %s: edit state %s is no state of its kind", e->name,
                     e->edit_states[i]);
            return -1;
        }
    const struct entity_scope *s = &e->scope;
    int rules = !!s->unit_column + !!s->link.table + !!s->user_column + !!s->unscoped;
    if (rules != 1) {
        snprintf(err, n,
                 "entity %s: %s scope rule (unit_column, link, user_column or unscoped with the "
                 "reason)",
                 e->name, rules ? "more than one" : "no");
        return -1;
    }
    if (s->link.table && (!identifier_ok(s->link.table) || !identifier_ok(s->link.key) ||
                          !identifier_ok(s->link.unit))) {
        snprintf(err, n, "entity %s: the scope link needs table, key and unit columns", e->name);
        return -1;
    }
    if (s->assignee && !s->unit_column) {
        snprintf(err, n, "entity %s: scope.assignee widens a unit_column scope only", e->name);
        return -1;
    }
    if (s->unscoped && strlen(s->unscoped) < 10) {
        snprintf(err, n, "entity %s: an unscoped entity says why (unscoped = the reason)", e->name);
        return -1;
    }
    if (!e->perm_read) {
        snprintf(err, n, "entity %s: no read permission", e->name);
        return -1;
    }
    for (int i = 0; i < e->n_fields; i++) {
        const struct field *f = &e->fields[i];
        if (!f->name || !identifier_ok(f->name) || !f->zh || !f->en) {
            snprintf(err, n, "entity %s: field %d needs a name and labels", e->name, i);
            return -1;
        }
        for (int j = 0; j < i; j++)
            if (!strcmp(e->fields[j].name, f->name)) {
                snprintf(err, n, "entity %s: field %s declared twice", e->name, f->name);
                return -1;
            }
        int texty = f->type == FT_TEXT || f->type == FT_LONGTEXT || f->type == FT_PHONE;
        if (texty && (f->flags & (F_CREATE | F_UPDATE | F_IMPORT)) && f->max <= 0) {
            snprintf(err, n, "entity %s: text field %s has no maximum length", e->name, f->name);
            return -1;
        }
        if (f->type == FT_ENUM && (!f->options || f->n_options <= 0)) {
            snprintf(err, n, "entity %s: enum field %s has no options", e->name, f->name);
            return -1;
        }
        if (f->dict && (f->type != FT_ENUM || !identifier_ok(f->dict))) {
            snprintf(err, n, "entity %s: field %s names a dictionary but is no enum", e->name,
                     f->name);
            return -1;
        }
        /* a kept page carrying a dictionary's labels must follow the dictionary's changes */
        if (f->dict && (f->flags & F_LABEL) && e->cache_deps) {
            if (!deps_name(e, "dict")) {
                snprintf(err, n,
                         "entity %s: field %s labels dictionary items: cache_deps needs dict",
                         e->name, f->name);
                return -1;
            }
        }
        if ((f->flags & F_MULTI) && f->max_items <= 0) {
            snprintf(err, n, "entity %s: list field %s has no max_items", e->name, f->name);
            return -1;
        }
        if ((f->flags & F_REQUIRED) && !(f->flags & (F_CREATE | F_UPDATE | F_IMPORT))) {
            snprintf(err, n, "entity %s: required field %s is no input", e->name, f->name);
            return -1;
        }
    }
    int slots = e->n_filters; /* every filter of one request must fit entity_request */
    for (int i = 0; i < e->n_fields; i++)
        if (e->fields[i].flags & F_FILTER) slots += e->fields[i].type == FT_DATE ? 2 : 1;
    if (slots > ENTITY_FILTERS_MAX) {
        snprintf(err, n, "entity %s: more than %d filters", e->name, ENTITY_FILTERS_MAX);
        return -1;
    }
    if (e->default_sort && entity_order(e, NULL, e->default_sort, NULL) != 0) {
        snprintf(err, n, "entity %s: the default sort %s is no sort of it", e->name,
                 e->default_sort);
        return -1;
    }
    if (!e->default_sort) {
        snprintf(err, n, "entity %s: no default sort", e->name);
        return -1;
    }
    for (int i = 0; e->batch_actions && e->batch_actions[i]; i++)
        if (!entity_batch_perm(e, e->batch_actions[i])) {
            snprintf(err, n,
                     "entity %s: batch action %s is no transition of its kind (or delete "
                     "without perm_delete)",
                     e->name, e->batch_actions[i]);
            return -1;
        }
    if ((e->n_metrics || e->metrics) && !e->metric_date) {
        snprintf(err, n, "entity %s: metrics need a metric_date", e->name);
        return -1;
    }
    for (int i = 0; e->metric_by && e->metric_by[i]; i++) {
        const struct field *f = entity_field(e, e->metric_by[i]);
        if (!e->metric_date || !f || !(f->flags & F_FILTER) || (f->flags & F_MULTI) ||
            (f->type != FT_ENUM && f->type != FT_UNIT)) {
            snprintf(err, n,
                     "entity %s: metric_by %s is no F_FILTER enum or unit field (of an entity "
                     "with a metric_date)",
                     e->name, e->metric_by[i]);
            return -1;
        }
    }
    for (int i = 0; i < e->n_metrics; i++) {
        const struct entity_metric *m = &e->metrics[i];
        int dup = 0;
        for (int k = 0, nm = entity_metric_n(e); k < nm; k++) {
            const struct entity_metric *o = entity_metric_at(e, k);
            dup += o != m && m->code && !strcmp(o->code, m->code);
        }
        if (!identifier_ok(m->code) || !m->zh || !m->en || dup ||
            (m->type == METRIC_AVG && !m->value)) {
            snprintf(err, n,
                     "entity %s: metric %d needs a code of its own, labels (and a value to "
                     "average)",
                     e->name, i);
            return -1;
        }
    }
    for (int i = 0; e->duplicate_key && e->duplicate_key[i]; i++) {
        const struct field *f = entity_field(e, e->duplicate_key[i]);
        if (i >= ENTITY_DUP_KEY_MAX || !f || (f->flags & (F_VIRTUAL | F_MULTI)) || f->sql ||
            !(f->flags & F_CREATE)) {
            snprintf(err, n, "entity %s: duplicate key %s is no stored input column (at most %d)",
                     e->name, e->duplicate_key[i], ENTITY_DUP_KEY_MAX);
            return -1;
        }
    }
    return 0;
}

int entity_register(const struct entity *const *ents, int n, char *err, size_t errlen) {
    for (int i = 0; i < n; i++) {
        const struct entity *e = ents[i];
        if (check_entity(e, err, errlen)) return -1;
        if (entity_by_name(e->name)) {
            snprintf(err, errlen, "entity %s declared twice", e->name);
            return -1;
        }
        if (n_registry >= ENTITIES_MAX) {
            snprintf(err, errlen, "more than %d entities", ENTITIES_MAX);
            return -1;
        }
        registry[n_registry++] = e;
    }
    return 0;
}

static struct cache *page_caches[ENTITIES_MAX];
static pthread_mutex_t page_caches_lock = PTHREAD_MUTEX_INITIALIZER;

struct cache *entity_page_cache(const struct entity *e) {
    if (!e->cache_deps || e->audit_read) return NULL;
    for (int i = 0; i < n_registry; i++) {
        if (registry[i] != e) continue;
        pthread_mutex_lock(&page_caches_lock);
        if (!page_caches[i]) page_caches[i] = cache_new(e->name, 256, e->cache_deps);
        struct cache *c = page_caches[i];
        pthread_mutex_unlock(&page_caches_lock);
        return c;
    }
    return NULL;
}

int entity_count_registered(void) {
    return n_registry;
}

const struct entity *entity_at(int i) {
    return i >= 0 && i < n_registry ? registry[i] : NULL;
}

int entity_children_check(char *err, size_t errlen) {
    for (int i = 0; i < n_registry; i++) {
        const struct entity *e = registry[i];
        for (int k = 0; k < e->n_children; k++) {
            const struct entity_child *ch = &e->children[k];
            const struct entity *c = ch->entity ? entity_by_name(ch->entity) : NULL;
            const struct field *f = c && ch->column ? entity_field(c, ch->column) : NULL;
            if (!c) {
                snprintf(err, errlen, "entity %s: child %s is not a registered entity", e->name,
                         ch->entity ? ch->entity : "(null)");
                return -1;
            }
            if (!f || !(f->flags & F_FILTER) ||
                !(f->type == FT_INT ||
                  (f->type == FT_REF && (!f->ref || !strcmp(f->ref, e->name))))) {
                snprintf(err, errlen,
                         "entity %s: child %s's column %s is not a filter field naming the parent "
                         "(FT_REF to %s, F_FILTER)",
                         e->name, c->name, ch->column ? ch->column : "(null)", e->name);
                return -1;
            }
        }
    }
    return 0;
}

const struct entity *entity_by_name(const char *name) {
    for (int i = 0; name && i < n_registry; i++)
        if (!strcmp(registry[i]->name, name)) return registry[i];
    return NULL;
}

const struct field *entity_field(const struct entity *e, const char *name) {
    for (int i = 0; name && i < e->n_fields; i++)
        if (!strcmp(e->fields[i].name, name)) return &e->fields[i];
    return NULL;
}

const struct entity_verb entity_write_verbs[ENTITY_WRITE_VERBS] = {
    {"create", "新建", "Create"},
    {"update", "修改", "Edit"},
    {"delete", "删除", "Delete"},
    {"import", "导入", "Import"},
};

const struct entity_verb *entity_write_verb(const char *verb) {
    for (int i = 0; verb && i < ENTITY_WRITE_VERBS; i++)
        if (!strcmp(entity_write_verbs[i].verb, verb)) return &entity_write_verbs[i];
    return NULL;
}

const char *entity_en_inner(struct arena *a, const char *en) {
    char *s = arena_printf(a, "%s", en);
    if (s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'a' && s[1] <= 'z') s[0] = (char)(s[0] - 'A' + 'a');
    return s;
}

int entity_can_read(const struct entity *e, const struct principal *who) {
    return who && perm_gate(who->perms, e->perm_read);
}

int entity_ctx_with(struct entity_ctx *c, struct db *db, struct arena *a, const struct entity *e,
                    const struct principal *who, int lang, enum entity_purpose purpose,
                    void *state) {
    memset(c, 0, sizeof(*c));
    if (!who) {
        log_error("entity %s: a query without a principal was refused", e->name);
        return DB_ERROR;
    }
    *c = (struct entity_ctx){db, a, e, who, lang, purpose, state};
    return DB_OK;
}

int entity_ctx_init(struct entity_ctx *c, struct db *db, struct arena *a, const struct entity *e,
                    const struct principal *who, int lang, enum entity_purpose purpose) {
    int rc = entity_ctx_with(c, db, a, e, who, lang, purpose, NULL);
    return rc == DB_OK && e->prepare ? e->prepare(c) : rc;
}

/* ---- filters ---- */

static const char *key_col(const struct entity *e) {
    return e->key ? e->key : "id";
}

/* The expression of a field in SQL: its `sql` or alias.name. */
static const char *field_expr(const struct entity *e, struct arena *a, const struct field *f) {
    if (f->sql) return f->sql;
    return a ? arena_printf(a, "%s.%s", e->alias, f->name) : f->name;
}

static int option_known(const struct field_option *o, int n, const char *code) {
    for (int i = 0; i < n; i++)
        if (!strcmp(o[i].code, code)) return 1;
    return 0;
}

static int parse_id(const char *s, int64_t min, int64_t max, int64_t *out) {
    int64_t v;
    if (num_parse(s, &v) != 0) return -1;
    if (v < min || v > max) return -2;
    *out = v;
    return 0;
}

/* A query integer, with the message the other query readers give (http/reply.c). */
static int query_int(struct problems *pr, const char *name, const char *s, int64_t min, int64_t max,
                     int64_t *out) {
    int rc = parse_id(s, min, max, out);
    if (rc == -1)
        problem_add(pr, name, "参数须为十进制整数（不含空格、正号或前导零）",
                    "Must be a decimal integer (no spaces, plus sign or leading zeros)");
    else if (rc)
        problem_add(pr, name, "参数超出范围", "Out of range");
    return rc;
}

static int parse_bool(const char *s, int *out) {
    if (!strcmp(s, "1") || !strcmp(s, "true"))
        *out = 1;
    else if (!strcmp(s, "0") || !strcmp(s, "false"))
        *out = 0;
    else
        return -1;
    return 0;
}

/* Check a filter value by its type; adds the problem under `name`. */
static int filter_value_ok(enum field_type t, const char *name, const char *v, int64_t max_chars,
                           const struct field_option *o, int no, int64_t min, int64_t max,
                           struct problems *pr) {
    int64_t i;
    int b;
    int32_t d;
    switch (t) {
    case FT_INT:
    case FT_UNIT:
    case FT_USER:
    case FT_REF:
        return query_int(pr, name, v, min, max, &i) ? -1 : 0;
    case FT_BOOL:
        if (parse_bool(v, &b)) {
            problem_add(pr, name, "参数须为 true 或 false", "Must be true or false");
            return -1;
        }
        return 0;
    case FT_DATE:
        if (strlen(v) > 10 || date_parse(v, &d)) {
            problem_add(pr, name, "日期格式应为 YYYY-MM-DD", "Use YYYY-MM-DD");
            return -1;
        }
        return 0;
    case FT_ENUM:
        if (!option_known(o, no, v)) {
            problem_add(pr, name, "取值无效", "Invalid value");
            return -1;
        }
        return 0;
    default: {
        int n = utf8_text_chars(v);
        if (n < 0 || n > (max_chars > 0 ? max_chars : 100)) {
            problem_add(pr, name, "参数过长或包含非法字符",
                        "Too long or contains invalid characters");
            return -1;
        }
        return 0;
    }
    }
}

static void id_bounds(const struct field *f, int64_t *min, int64_t *max) {
    *min = 1;
    *max = INT64_MAX / 2;
    if (f->type == FT_INT && (f->min || f->max)) {
        *min = f->min;
        *max = f->max;
    }
}

/* ?ids=1,2,3: canonical decimal ids, at most ENTITY_BATCH_MAX (the selection of a list). */
static void ids_parse(const char *s, struct entity_request *rq, struct problems *pr) {
    int n = 0;
    while (*s) {
        const char *end = strchr(s, ',');
        size_t len = end ? (size_t)(end - s) : strlen(s);
        char one[24];
        int64_t v;
        if (n >= ENTITY_BATCH_MAX || len == 0 || len >= sizeof one) goto bad;
        memcpy(one, s, len);
        one[len] = 0;
        if (parse_id(one, 1, INT64_MAX / 2, &v)) goto bad;
        rq->ids[n++] = v;
        s += len + (end ? 1 : 0);
        if (end && !*s) goto bad;
    }
    rq->n_ids = n;
    return;
bad:
    problem_add(pr, "ids", "须为以逗号分隔的编号，最多 500 个",
                "Must be comma-separated ids, at most 500");
}

int entity_request_parse(const struct entity *e, const char *(*get)(void *cls, const char *name),
                         void *cls, struct entity_request *rq, struct problems *pr) {
    memset(rq, 0, sizeof(*rq));
    /* explicit filters first: a name they take is not a field filter too */
    for (int i = 0; i < e->n_filters; i++) {
        const struct entity_filter *x = &e->filters[i];
        const char *v = get(cls, x->name);
        if (!v || !*v) continue;
        struct problems one = {0};
        if (filter_value_ok(x->type, x->name, v, x->max, x->options, x->n_options, 1, INT64_MAX / 2,
                            &one)) {
            problem_add(pr, x->name, x->bad_zh ? x->bad_zh : one.p[0].zh,
                        x->bad_en ? x->bad_en : one.p[0].en);
            continue;
        }
        if (x->valid && !x->valid(v)) {
            problem_add(pr, x->name, x->bad_zh ? x->bad_zh : "取值无效",
                        x->bad_en ? x->bad_en : "Invalid value");
            continue;
        }
        if (rq->n < ENTITY_FILTERS_MAX)
            rq->f[rq->n++] = (struct entity_filter_value){NULL, x, 0, v};
    }
    /* 当事人: ?id_no= (a bad number is a 400 that does not repeat it) and ?party_name= */
    int n_pf = 0;
    const struct entity_filter *pf = e->parties ? entity_parties_filters(&n_pf) : NULL;
    for (int i = 0; i < n_pf; i++) {
        const char *v = get(cls, pf[i].name);
        if (!v || !*v) continue;
        int chars = utf8_text_chars(v);
        if (chars < 0 || chars > pf[i].max || (pf[i].valid && !pf[i].valid(v)))
            problem_add(pr, pf[i].name, pf[i].bad_zh ? pf[i].bad_zh : "参数过长或包含非法字符",
                        pf[i].bad_en ? pf[i].bad_en : "Too long or contains invalid characters");
        else if (rq->n < ENTITY_FILTERS_MAX)
            rq->f[rq->n++] = (struct entity_filter_value){NULL, &pf[i], 0, v};
    }
    char name[80];
    for (int i = 0; i < e->n_fields; i++) {
        const struct field *f = &e->fields[i];
        if (!(f->flags & F_FILTER)) continue;
        for (int upper = 0; upper < (f->type == FT_DATE ? 2 : 1); upper++) {
            if (f->type == FT_DATE)
                snprintf(name, sizeof name, "%s_%s", f->name, upper ? "to" : "from");
            else
                snprintf(name, sizeof name, "%s", f->name);
            int taken = 0;
            for (int k = 0; k < e->n_filters; k++)
                taken |= !strcmp(e->filters[k].name, name);
            const char *v = taken ? NULL : get(cls, name);
            if (!v || !*v) continue;
            int64_t min, max;
            id_bounds(f, &min, &max);
            /* a dictionary's codes are checked by no list: an unknown one matches nothing */
            if (filter_value_ok(f->dict ? FT_TEXT : f->type, f->name, v, f->dict ? 64 : f->max,
                                f->options, f->n_options, min, max, pr))
                continue;
            if (rq->n < ENTITY_FILTERS_MAX)
                rq->f[rq->n++] = (struct entity_filter_value){f, NULL, upper, v};
        }
    }
    const char *q = get(cls, "q");
    int searchable = 0;
    for (int i = 0; i < e->n_fields; i++)
        searchable |= !!(e->fields[i].flags & F_SEARCH);
    if (q && *q && searchable) { /* an entity without search fields ignores ?q= */
        int n = utf8_text_chars(q);
        if (n < 0 || n > 50)
            problem_add(pr, "q", "参数过长或包含非法字符",
                        "Too long or contains invalid characters");
        else
            rq->q = q;
    }
    const char *sort = get(cls, "sort");
    if (entity_order(e, NULL, sort && *sort ? sort : e->default_sort, NULL))
        problem_add(pr, "sort", "不支持按该字段排序", "Cannot sort by this field");
    else
        rq->sort = sort && *sort ? sort : e->default_sort;
    rq->page = 1;
    rq->per_page = e->per_page ? e->per_page : 20;
    const char *p = get(cls, "page"), *pp = get(cls, "per_page");
    if (p && *p) query_int(pr, "page", p, 1, 1000000, &rq->page);
    if (pp && *pp) query_int(pr, "per_page", pp, 1, 200, &rq->per_page);
    const char *ids = get(cls, "ids");
    if (ids && *ids) ids_parse(ids, rq, pr);
    if (e->metric_date) entity_metric_parse(e, get, cls, &rq->metric, pr);
    return pr->n ? ENTITY_INVALID : DB_OK;
}

struct one_value {
    const char *name, *value;
};

static const char *one_get(void *cls, const char *name) {
    struct one_value *o = cls;
    return !strcmp(o->name, name) ? o->value : NULL;
}

int entity_request_set(const struct entity *e, struct entity_request *rq, const char *name,
                       const char *value) {
    struct entity_request one;
    struct problems pr = {0};
    struct one_value o = {name, value};
    entity_request_parse(e, one_get, &o, &one, &pr);
    if (pr.n || one.n != 1 || rq->n >= ENTITY_FILTERS_MAX) return -1;
    rq->f[rq->n++] = one.f[0];
    return 0;
}

json_t *entity_request_json(const struct entity_request *rq) {
    json_t *o = json_object();
    char name[80];
    for (int i = 0; i < rq->n; i++) {
        const struct entity_filter_value *v = &rq->f[i];
        if (v->extra)
            snprintf(name, sizeof name, "%s", v->extra->name);
        else if (v->field->type == FT_DATE)
            snprintf(name, sizeof name, "%s_%s", v->field->name, v->upper ? "to" : "from");
        else
            snprintf(name, sizeof name, "%s", v->field->name);
        /* a party's ID number or name never goes into an audit record whole */
        int pii =
            v->extra && (!strcmp(v->extra->name, "id_no") || !strcmp(v->extra->name, "party_name"));
        json_object_set_new(o, name, json_string(pii ? "***" : v->text));
    }
    if (rq->q) json_object_set_new(o, "q", json_string(rq->q));
    const struct entity_metric_sel *m = &rq->metric;
    if (m->on && m->m) {
        json_object_set_new(o, "metric", json_string(m->m->code));
        json_object_set_new(o, "metric_part", json_string(m->part == METRIC_DEN ? "den" : "num"));
        if (m->from[0]) json_object_set_new(o, "metric_from", json_string(m->from));
        if (m->to[0]) json_object_set_new(o, "metric_to", json_string(m->to));
        if (m->unit_id) json_object_set_new(o, "metric_unit", json_integer(m->unit_id));
        if (m->subtree) json_object_set_new(o, "metric_subtree", json_true());
        if (m->state) json_object_set_new(o, "metric_state", json_string(m->state));
    }
    if (rq->n_ids) {
        json_t *ids = json_array();
        for (int i = 0; i < rq->n_ids; i++)
            json_array_append_new(ids, json_integer(rq->ids[i]));
        json_object_set_new(o, "ids", ids);
    }
    return o;
}

int entity_order(const struct entity *e, struct arena *a, const char *sort, const char **order_by) {
    if (!sort || !*sort) return -1;
    int desc = sort[0] == '-';
    const char *name = desc ? sort + 1 : sort, *expr = NULL;
    for (int i = 0; !expr && i < e->n_sorts; i++)
        if (!strcmp(e->sorts[i].name, name)) expr = e->sorts[i].sql;
    for (int i = 0; !expr && i < e->n_fields; i++)
        if ((e->fields[i].flags & F_SORT) && !strcmp(e->fields[i].name, name))
            expr = a ? field_expr(e, a, &e->fields[i]) : "";
    if (!expr) return -1;
    if (order_by) *order_by = arena_printf(a, "%s %s", expr, desc ? "DESC" : "ASC");
    return 0;
}

/* ---- the query builder ---- */

/* few: the query reads a few given rows (one record, a page's ids): a linked scope is then
 * checked row by row through the link table's key instead of reading the scope's whole list. */
static void add_scope(const struct entity_ctx *c, struct query *q, int few) {
    const struct entity *e = c->ent;
    const struct entity_scope *s = &e->scope;
    if (s->unit_column && s->assignee && c->who->scope != SCOPE_ALL) {
        /* (in the unit scope) OR assigned to the caller */
        query_add(q, " AND (1 = 1", "");
        scope_filter(q, c->who, s->unit_column);
        query_add(q, arena_printf(c->arena, " OR %s = ?)", s->assignee), "i", c->who->user_id);
    } else if (s->unit_column) {
        scope_filter(q, c->who, s->unit_column);
    } else if (s->link.table) {
        if (c->who->scope == SCOPE_ALL) return;
        if (few) { /* the link's key index, a row at a time */
            query_add(q,
                      arena_printf(c->arena, " AND EXISTS (SELECT 1 FROM %s sl WHERE sl.%s = %s.%s",
                                   s->link.table, s->link.key, e->alias, key_col(e)),
                      "");
            scope_filter(q, c->who, arena_printf(c->arena, "sl.%s", s->link.unit));
            query_add(q, ")", "");
            return;
        }
        /* the link table read by unit (its index on the unit column), not record by record */
        query_add(q,
                  arena_printf(c->arena, " AND %s.%s IN (SELECT sl.%s FROM %s sl WHERE 1 = 1",
                               e->alias, key_col(e), s->link.key, s->link.table),
                  "");
        scope_filter(q, c->who, arena_printf(c->arena, "sl.%s", s->link.unit));
        query_add(q, ")", "");
    } else if (s->user_column) {
        query_add(q, arena_printf(c->arena, " AND %s = ?", s->user_column), "i", c->who->user_id);
    }
    /* unscoped: every reader of the entity sees every row (the declaration says why) */
}

static void add_filter(const struct entity_ctx *c, struct query *q,
                       const struct entity_filter_value *v) {
    const struct entity *e = c->ent;
    enum field_type t = v->extra ? v->extra->type : v->field->type;
    int b = 0;
    if (v->extra) {
        const struct entity_filter *x = v->extra;
        if (x->apply) {
            x->apply(c, q, v->text);
            return;
        }
        if (t == FT_BOOL) {
            parse_bool(v->text, &b);
            const char *cond = b ? x->sql : x->sql_false;
            if (cond) query_add(q, arena_printf(c->arena, " AND %s", cond), "");
            return;
        }
        int64_t i = 0;
        if (t == FT_INT || t == FT_UNIT || t == FT_USER || t == FT_REF) {
            parse_id(v->text, INT64_MIN / 2, INT64_MAX / 2, &i);
            query_add(q, arena_printf(c->arena, " AND %s", x->sql), "i", i);
        } else {
            query_add(q, arena_printf(c->arena, " AND %s", x->sql), "s", v->text);
        }
        return;
    }
    const char *expr = field_expr(e, c->arena, v->field);
    if (t == FT_BOOL) {
        parse_bool(v->text, &b);
        query_add(q, arena_printf(c->arena, " AND %s = ?", expr), "i", (int64_t)b);
    } else if (t == FT_INT || t == FT_UNIT || t == FT_USER || t == FT_REF) {
        int64_t i = 0;
        parse_id(v->text, INT64_MIN / 2, INT64_MAX / 2, &i);
        query_add(q, arena_printf(c->arena, " AND %s = ?", expr), "i", i);
    } else if (t == FT_DATE) {
        query_add(q, arena_printf(c->arena, " AND %s %s ?", expr, v->upper ? "<=" : ">="), "s",
                  v->text);
    } else {
        query_add(q, arena_printf(c->arena, " AND %s = ?", expr), "s", v->text);
    }
}

static void add_search(const struct entity_ctx *c, struct query *q, const char *text) {
    const struct entity *e = c->ent;
    char *like = query_contains(c->arena, text);
    int n = 0;
    for (int i = 0; i < e->n_fields; i++) {
        const struct field *f = &e->fields[i];
        if (!(f->flags & F_SEARCH)) continue;
        const char *expr = f->search ? f->search : field_expr(e, c->arena, f);
        query_add(q, arena_printf(c->arena, "%s%s" QUERY_LIKE, n++ ? " OR " : " AND (", expr), "s",
                  like);
    }
    if (n) query_add(q, ")", "");
}

/* Every condition of the entity's queries: scope, visibility, filters, search, one id. */
static void add_conditions_few(const struct entity_ctx *c, struct query *q,
                               const struct entity_request *rq, int few) {
    add_scope(c, q, few || (rq && rq->id > 0));
    if (c->ent->visible) c->ent->visible(c, q);
    if (!rq) return;
    for (int i = 0; i < rq->n; i++)
        add_filter(c, q, &rq->f[i]);
    if (rq->q) add_search(c, q, rq->q);
    if (rq->metric.on) entity_metric_conditions(c, q, &rq->metric);
    if (rq->n_ids > 0) {
        query_add(q, arena_printf(c->arena, " AND %s.%s", c->ent->alias, key_col(c->ent)), "");
        query_add_ids(q, rq->ids, rq->n_ids);
    }
    if (rq->id > 0)
        query_add(q, arena_printf(c->arena, " AND %s.%s = ?", c->ent->alias, key_col(c->ent)), "i",
                  rq->id);
}

static void add_conditions(const struct entity_ctx *c, struct query *q,
                           const struct entity_request *rq) {
    add_conditions_few(c, q, rq, 0);
}

void entity_conditions(const struct entity_ctx *c, struct query *q,
                       const struct entity_request *rq) {
    add_conditions(c, q, rq);
}

static const char *base_from(const struct entity_ctx *c) {
    const struct entity *e = c->ent;
    return e->filter_from ? e->filter_from : arena_printf(c->arena, "%s %s", e->table, e->alias);
}

const char *entity_count_from(const struct entity_ctx *c) {
    return base_from(c);
}

static void select_columns(const struct entity_ctx *c, struct query *q) {
    const struct entity *e = c->ent;
    query_add(q, "SELECT ", "");
    int n = 0;
    for (int i = 0; i < e->n_fields; i++) {
        const struct field *f = &e->fields[i];
        if (f->flags & F_VIRTUAL) continue;
        const char *col = f->sql ? arena_printf(c->arena, "%s AS %s", f->sql, f->name)
                                 : arena_printf(c->arena, "%s.%s", e->alias, f->name);
        query_add(q, arena_printf(c->arena, "%s%s", n++ ? ", " : "", col), "");
    }
    if (e->columns) e->columns(c, q);
    query_add(q,
              arena_printf(c->arena, " FROM %s WHERE 1 = 1",
                           e->from ? e->from : arena_printf(c->arena, "%s %s", e->table, e->alias)),
              "");
}

static const char *order_of(const struct entity_ctx *c, const struct entity_request *rq) {
    const char *order = NULL;
    if (entity_order(c->ent, c->arena, rq && rq->sort ? rq->sort : c->ent->default_sort, &order))
        entity_order(c->ent, c->arena, c->ent->default_sort, &order);
    return arena_printf(c->arena, "%s, %s.%s", order, c->ent->alias, key_col(c->ent));
}

void entity_query(const struct entity_ctx *c, struct query *q, const struct entity_request *rq,
                  enum entity_what what) {
    const struct entity *e = c->ent;
    switch (what) {
    case EQ_COUNT:
        query_add(q, arena_printf(c->arena, "SELECT COUNT(*) FROM %s WHERE 1 = 1", base_from(c)),
                  "");
        add_conditions(c, q, rq);
        return;
    case EQ_IDS:
        query_add(q,
                  arena_printf(c->arena, "SELECT %s.%s FROM %s WHERE 1 = 1", e->alias, key_col(e),
                               base_from(c)),
                  "");
        add_conditions(c, q, rq);
        query_add(q, arena_printf(c->arena, " ORDER BY %s", order_of(c, rq)), "");
        return;
    case EQ_ROWS: {
        /* The page's ids first (filters, order, limit over the filter tables alone), then only
         * those rows get their display columns and computed values. */
        const char *order = order_of(c, rq);
        select_columns(c, q);
        if (rq && rq->id > 0) { /* one record */
            add_conditions(c, q, rq);
            return;
        }
        int64_t per = rq ? rq->per_page : 20, page = rq ? rq->page : 1;
        query_add(q,
                  arena_printf(c->arena, " AND %s.%s IN (SELECT %s.%s FROM %s WHERE 1 = 1",
                               e->alias, key_col(e), e->alias, key_col(e), base_from(c)),
                  "");
        add_conditions(c, q, rq);
        query_add(q, arena_printf(c->arena, " ORDER BY %s LIMIT ? OFFSET ?)", order), "ii", per,
                  (page - 1) * per);
        query_add(q, arena_printf(c->arena, " ORDER BY %s", order), "");
        return;
    }
    }
}

/* Rows of a prepared query → items with the declared types, then the decoration. */
static int rows_json(const struct entity_ctx *c, struct query *q, json_t *items) {
    struct db_stmt *st = query_prepare(c->db, q);
    int rc = st ? db_rows_json(st, items) : DB_ERROR;
    db_done(st);
    if (rc != DB_OK) return rc;
    const struct entity *e = c->ent, *re = entity_resolved(c, FO_ALL); /* labels: every item */
    size_t i;
    json_t *row;
    json_array_foreach(items, i, row) {
        for (int k = 0; k < e->n_fields; k++) {
            const struct field *f = &re->fields[k];
            json_t *v = json_object_get(row, f->name);
            if (f->type == FT_BOOL && json_is_integer(v))
                json_object_set_new(row, f->name, json_boolean(json_integer_value(v) != 0));
            if (f->decimals && f->type == FT_INT && json_is_integer(v))
                json_object_set_new(row, f->name, field_decimal_json(f, json_integer_value(v)));
            if ((f->flags & F_LABEL) && f->type == FT_ENUM) {
                const char *code = json_string_value(v), *label = "";
                for (int o = 0; code && o < f->n_options; o++)
                    if (!strcmp(f->options[o].code, code))
                        label = c->lang ? f->options[o].en : f->options[o].zh;
                json_object_set_new(row, arena_printf(c->arena, "%s_name", f->name),
                                    json_string(label));
            }
        }
    }
    if (e->decorate && json_array_size(items) && (rc = e->decorate(c, items)) != DB_OK) return rc;
    if (e->parties && (rc = entity_parties_decorate(c, items)) != DB_OK) return rc;
    json_array_foreach(items, i, row) {
        for (int k = 0; k < e->n_fields; k++)
            if (e->fields[k].flags & F_INTERNAL) json_object_del(row, e->fields[k].name);
    }
    return DB_OK;
}

json_t *entity_items(const struct entity_ctx *c, const struct entity_request *rq, int *rc) {
    if (c->ent->page && rq && rq->id <= 0 && !rq->n_ids) {
        int64_t *ids = NULL;
        int n = 0;
        *rc = c->ent->page(c, rq, &ids, &n);
        if (*rc == DB_OK && n <= QUERY_IDS_MAX)
            return n ? entity_items_of(c, rq, ids, n, rc) : json_array();
        if (*rc != DB_OK && *rc != ENTITY_DECLINED) return NULL;
    }
    struct query q;
    query_init(&q, c->arena, "");
    entity_query(c, &q, rq, EQ_ROWS);
    json_t *items = json_array();
    *rc = rows_json(c, &q, items);
    if (*rc != DB_OK) {
        json_decref(items);
        return NULL;
    }
    return items;
}

int entity_ids(const struct entity_ctx *c, const struct entity_request *rq, int64_t limit,
               int64_t **ids, int *n) {
    struct query q;
    query_init(&q, c->arena, "");
    entity_query(c, &q, rq, EQ_IDS);
    query_add(&q, " LIMIT ?", "i", limit);
    *n = 0;
    int64_t cap = 1024;
    *ids = arena_alloc(c->arena, (size_t)cap * sizeof(int64_t));
    struct db_stmt *st = query_prepare(c->db, &q);
    int rc = DB_ERROR;
    while (st && (rc = db_step(st)) == DB_ROW && *n < limit) {
        if (*n == cap) { /* grows with the rows there are, within the request's budget */
            int64_t *more = arena_try_alloc(c->arena, (size_t)cap * 2 * sizeof(int64_t));
            if (!more) {
                rc = DB_ERROR;
                break;
            }
            memcpy(more, *ids, (size_t)cap * sizeof(int64_t));
            *ids = more;
            cap *= 2;
        }
        (*ids)[(*n)++] = db_col_int(st, 0);
    }
    db_done(st);
    return rc == DB_DONE || rc == DB_ROW ? DB_OK : rc;
}

json_t *entity_items_of(const struct entity_ctx *c, const struct entity_request *rq,
                        const int64_t *ids, int n, int *rc) {
    const struct entity *e = c->ent;
    struct query q;
    query_init(&q, c->arena, "");
    select_columns(c, &q);
    add_conditions_few(c, &q, NULL, 1); /* the scope again: ids never widen what is read */
    query_add(&q, arena_printf(c->arena, " AND %s.%s", e->alias, key_col(e)), "");
    query_add_ids(&q, ids, n);
    query_add(&q, arena_printf(c->arena, " ORDER BY %s", order_of(c, rq)), "");
    json_t *items = json_array();
    *rc = rows_json(c, &q, items);
    if (*rc != DB_OK) {
        json_decref(items);
        return NULL;
    }
    return items;
}

int entity_count(const struct entity_ctx *c, const struct entity_request *rq, int64_t *n) {
    if (c->ent->count && !(rq && rq->n_ids)) { /* hooks know filters, not selections */
        int rc = c->ent->count(c, rq, n);
        if (rc != ENTITY_DECLINED) return rc;
    }
    struct query q;
    query_init(&q, c->arena, "");
    entity_query(c, &q, rq, EQ_COUNT);
    struct db_stmt *st = query_prepare(c->db, &q);
    int rc = st ? db_step(st) : DB_ERROR;
    *n = rc == DB_ROW ? db_col_int(st, 0) : 0;
    db_done(st);
    return rc == DB_ROW ? DB_OK : rc < 0 ? rc : DB_ERROR;
}

json_t *entity_list(const struct entity_ctx *c, const struct entity_request *rq, int *rc) {
    int64_t total = 0;
    *rc = entity_count(c, rq, &total);
    if (*rc != DB_OK) return NULL;
    json_t *items = entity_items(c, rq, rc);
    if (!items) return NULL;
    return json_pack("{s:o,s:I}", "items", items, "total", (json_int_t)total);
}

json_t *entity_get(const struct entity_ctx *c, int64_t id, int *rc) {
    struct entity_request rq;
    memset(&rq, 0, sizeof rq);
    rq.id = id;
    json_t *items = entity_items(c, &rq, rc);
    if (!items) return NULL;
    json_t *row = json_incref(json_array_get(items, 0));
    json_decref(items);
    if (!row) *rc = DB_DONE;
    return row;
}

int entity_count_by(const struct entity_ctx *c, const char *field, const int64_t *keys, int n,
                    int64_t *counts) {
    const struct field *f = entity_field(c->ent, field);
    for (int i = 0; i < n; i++)
        counts[i] = 0;
    if (!f || n <= 0) return f ? DB_OK : DB_ERROR;
    const char *expr = field_expr(c->ent, c->arena, f);
    struct query q;
    query_init(&q, c->arena, "");
    query_add(&q,
              arena_printf(c->arena, "SELECT %s, COUNT(*) FROM %s WHERE 1 = 1", expr, base_from(c)),
              "");
    add_conditions(c, &q, NULL);
    query_add(&q, arena_printf(c->arena, " AND %s", expr), "");
    query_add_ids(&q, keys, n);
    query_add(&q, arena_printf(c->arena, " GROUP BY %s", expr), "");
    struct db_stmt *st = query_prepare(c->db, &q);
    int rc = DB_ERROR;
    while (st && (rc = db_step(st)) == DB_ROW) {
        int64_t k = db_col_int(st, 0);
        for (int i = 0; i < n; i++)
            if (keys[i] == k) counts[i] = db_col_int(st, 1);
    }
    db_done(st);
    return rc == DB_DONE ? DB_OK : rc;
}

/* ---- likely duplicates of an import ---- */

/* The key of a checked row (or of a stored record's columns) as one text: each part's canonical
 * text, separated by US (0x1f), which no checked text contains. */
static const char *dup_text_of(json_t *v, char *num, size_t n) {
    if (json_is_integer(v)) {
        snprintf(num, n, "%lld", (long long)json_integer_value(v));
        return num;
    }
    return json_is_string(v) ? json_string_value(v) : "";
}

static char *dup_key_row(struct arena *a, const struct entity *e, json_t *row) {
    char *out = "";
    char num[24];
    for (int i = 0; e->duplicate_key[i]; i++)
        out = arena_printf(a, "%s%s%s", out, i ? "\x1f" : "",
                           dup_text_of(json_object_get(row, e->duplicate_key[i]), num, sizeof num));
    return out;
}

#define DUP_CHUNK 1000 /* distinct values of the key's first field one query binds */

/* The stored records in the caller's scope whose first key field is one of vals[0..n): their
 * keys into `existing` (key → lowest id). */
static int dup_read(const struct entity_ctx *c, const struct field *first, const char **vals, int n,
                    json_t *existing) {
    const struct entity *e = c->ent;
    struct query q;
    query_init(&q, c->arena, arena_printf(c->arena, "SELECT %s.%s", e->alias, key_col(e)));
    for (int i = 0; e->duplicate_key[i]; i++)
        query_add(&q, arena_printf(c->arena, ", %s.%s", e->alias, e->duplicate_key[i]), "");
    query_add(&q, arena_printf(c->arena, " FROM %s %s WHERE 1 = 1", e->table, e->alias), "");
    entity_conditions(c, &q, NULL);
    query_add(&q, arena_printf(c->arena, " AND %s.%s IN (", e->alias, first->name), "");
    int ints = first->type == FT_INT || first->type == FT_UNIT || first->type == FT_USER ||
               first->type == FT_REF;
    for (int i = 0; i < n; i++) {
        query_add(&q, i ? ", " : "", "");
        if (ints)
            query_add(&q, "?", "i", (int64_t)strtoll(vals[i], NULL, 10));
        else
            query_add(&q, "?", "s", vals[i]);
    }
    query_add(&q, ")", "");
    struct db_stmt *st = query_prepare(c->db, &q);
    int rc = DB_ERROR;
    while (st && (rc = db_step(st)) == DB_ROW) {
        int64_t id = db_col_int(st, 0);
        char *key = "";
        for (int i = 0; e->duplicate_key[i]; i++) {
            const char *t = db_col_text(st, i + 1);
            key = arena_printf(c->arena, "%s%s%s", key, i ? "\x1f" : "", t ? t : "");
        }
        json_t *had = json_object_get(existing, key);
        if (!had || json_integer_value(had) > id)
            json_object_set_new(existing, key, json_integer(id));
    }
    db_done(st);
    return rc == DB_DONE ? DB_OK : rc < 0 ? rc : DB_ERROR;
}

int entity_duplicates(const struct entity_ctx *c, json_t *rows, int64_t *dup) {
    const struct entity *e = c->ent;
    size_t n = json_array_size(rows);
    for (size_t i = 0; i < n; i++)
        dup[i] = 0;
    if (!e->duplicate_key || !e->duplicate_key[0] || !n) return DB_OK;
    const struct field *first = entity_field(e, e->duplicate_key[0]);
    json_t *existing = json_object(), *seen = json_object(), *firsts = json_object();
    char **keys = arena_alloc(c->arena, n * sizeof(char *));
    const char **vals = arena_alloc(c->arena, n * sizeof(char *));
    int nv = 0, rc = DB_OK;
    char num[24];
    for (size_t i = 0; i < n; i++) {
        json_t *row = json_array_get(rows, i);
        keys[i] = json_is_object(row) ? dup_key_row(c->arena, e, row) : NULL;
        if (!keys[i]) continue;
        const char *v = dup_text_of(json_object_get(row, first->name), num, sizeof num);
        if (!json_object_get(firsts, v)) {
            json_object_set_new(firsts, v, json_true());
            vals[nv++] = arena_strdup(c->arena, v);
        }
    }
    for (int at = 0; at < nv && rc == DB_OK; at += DUP_CHUNK)
        rc = dup_read(c, first, vals + at, nv - at < DUP_CHUNK ? nv - at : DUP_CHUNK, existing);
    for (size_t i = 0; i < n && rc == DB_OK; i++) {
        if (!keys[i]) continue;
        json_t *id = json_object_get(existing, keys[i]), *row = json_object_get(seen, keys[i]);
        if (id)
            dup[i] = json_integer_value(id);
        else if (row)
            dup[i] = -(json_integer_value(row) + 1);
        if (!row) json_object_set_new(seen, keys[i], json_integer((json_int_t)i));
    }
    json_decref(existing);
    json_decref(seen);
    json_decref(firsts);
    return rc;
}
