/* flow.c — the workflow engine: the registry of kinds and the checks of their declarations, the
 * input check, flow_apply and flow_allowed over the same table, and the declarations served by
 * GET /api/v1/kinds. SQL is built only from declared, checked identifiers (table and column
 * names of static declarations); every value is a bound parameter. */
#include "features/flow/flow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/calendar.h"
#include "base/timeutil.h"
#include "features/entity/entity.h"
#include "features/files/files.h"
#include "features/flow/flow_impl.h"
#include "features/notify/notify.h"
#include "store/query.h"
#include "store/settings.h"

const char *const clock_op_codes[] = {"start", "stop", "suspend", "resume", "extend"};

static const struct flow_kind *registry[FLOW_KINDS_MAX];
static int n_registry;

/* ---- registry ---- */

/* A lower-case SQL identifier or action code: [a-z_][a-z0-9_]*, at most 63 characters. */
static int ident_ok(const char *s) {
    if (!s || !*s || strlen(s) > 63 || (*s >= '0' && *s <= '9')) return 0;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_')) return 0;
    return 1;
}

static const struct flow_relation *relation_find(const struct flow_kind *k, const char *code) {
    for (int i = 0; code && i < k->n_relations; i++)
        if (!strcmp(k->relations[i].code, code)) return &k->relations[i];
    return NULL;
}

static const struct flow_party *party_find(const struct flow_kind *k, const char *code) {
    for (int i = 0; code && i < k->n_parties; i++)
        if (!strcmp(k->parties[i].code, code)) return &k->parties[i];
    return NULL;
}

static const struct field *arg_find(const struct flow_transition *t, const char *name) {
    for (int i = 0; name && i < t->n_args; i++)
        if (!strcmp(t->args[i].name, name)) return &t->args[i];
    return NULL;
}

const struct flow_clock_def *flow_clock_def_find(const struct flow_kind *k, const char *code) {
    for (int i = 0; code && i < k->n_clocks; i++)
        if (!strcmp(k->clocks[i].code, code)) return &k->clocks[i];
    return NULL;
}

static int perm_ok(const struct perm_def *p) {
    return p && (p == &perm_signed_in || p->id > 0);
}

static int style_ok(const char *s) {
    static const char *const styles[] = {"primary", "success", "warning",
                                         "danger",  "info",    "default"};
    if (!s) return 1;
    for (size_t i = 0; i < sizeof styles / sizeof styles[0]; i++)
        if (!strcmp(styles[i], s)) return 1;
    return 0;
}

#define FAIL(...)                                                                                  \
    do {                                                                                           \
        snprintf(err, errlen, __VA_ARGS__);                                                        \
        return -1;                                                                                 \
    } while (0)

static int check_transition(const struct flow_kind *k, const struct flow_transition *t, char *err,
                            size_t errlen) {
    const char *n = k->name, *a = t->action;
    if (!ident_ok(a) || !t->zh || !t->en) FAIL("kind %s: a transition has no valid code/labels", n);
    unsigned all = k->n_states >= 32 ? ~0u : (1u << k->n_states) - 1;
    if (!t->from || (t->from & ~all))
        FAIL("kind %s: %s starts from no (or an unknown) state", n, a);
    if (t->to < -1 || t->to >= k->n_states) FAIL("kind %s: %s leads to an unknown state", n, a);
    if (!perm_ok(t->perm)) FAIL("kind %s: %s names no registered permission", n, a);
    if (t->notify && !perm_ok(k->perm_work))
        FAIL("kind %s: %s tells a party: the kind needs perm_work (who of a unit is told)", n, a);
    if (t->relation && !relation_find(k, t->relation))
        FAIL("kind %s: %s names an unknown relation %s", n, a, t->relation);
    for (int i = 0; i < t->n_args; i++) {
        const struct field *g = &t->args[i];
        if (!ident_ok(g->name) || !strcmp(g->name, "version") || !strcmp(g->name, "note") ||
            !strcmp(g->name, "attachment_ids"))
            FAIL("kind %s: %s has an argument without a valid name", n, a);
        if ((unsigned)g->type >= FT_COUNT || !g->zh || !g->en)
            FAIL("kind %s: %s.%s has no valid type/labels", n, a, g->name);
        if (g->type == FT_ENUM && (!g->options || g->n_options <= 0))
            FAIL("kind %s: %s.%s is an enum without options", n, a, g->name);
        if (g->min > g->max && g->max != 0) FAIL("kind %s: %s.%s: min > max", n, a, g->name);
        for (int j = 0; j < i; j++)
            if (!strcmp(t->args[j].name, g->name))
                FAIL("kind %s: %s declares %s twice", n, a, g->name);
    }
    for (int i = 0; i < t->n_guards; i++)
        if (!t->guards[i].ok || !t->guards[i].zh || !t->guards[i].en)
            FAIL("kind %s: %s has a guard without a test or a message", n, a);
    if (t->notify && (!party_find(k, t->notify->party) || !t->notify->kind || !t->notify->zh))
        FAIL("kind %s: %s notifies an unknown party", n, a);
    if (!style_ok(t->style)) FAIL("kind %s: %s has an unknown style %s", n, a, t->style);
    if (!t->note_zh != !t->note_en) FAIL("kind %s: %s names its note in one language only", n, a);
    if (t->warn) {
        const struct field *g = arg_find(t, t->warn->arg);
        if (!g || g->type != FT_INT || !t->warn->zh || !t->warn->en)
            FAIL("kind %s: %s warns on %s, which is not a declared int argument", n, a,
                 t->warn->arg ? t->warn->arg : "(null)");
    }
    for (int i = 0; i < t->n_clocks; i++) {
        const struct flow_clock_step *s = &t->clocks[i];
        if (!flow_clock_def_find(k, s->clock))
            FAIL("kind %s: %s steps an unknown clock %s", n, a, s->clock ? s->clock : "(null)");
        if ((unsigned)s->op > CLOCK_EXTEND) FAIL("kind %s: %s: unknown clock step", n, a);
        if (s->arg) {
            const struct field *g = arg_find(t, s->arg);
            enum field_type want = s->op == CLOCK_EXTEND ? FT_INT : FT_DATE;
            if (!g || g->type != want)
                FAIL("kind %s: %s: clock step argument %s is not a declared %s", n, a, s->arg,
                     field_type_code(want));
        } else if (s->op == CLOCK_EXTEND && flow_clock_def_find(k, s->clock)->extend_period <= 0 &&
                   !flow_clock_def_find(k, s->clock)->extend_setting) {
            FAIL("kind %s: %s extends %s by neither an argument nor extend_period", n, a, s->clock);
        }
    }
    return 0;
}

int flow_register(const struct flow_kind *k, char *err, size_t errlen) {
    if (!k || !ident_ok(k->name) || !k->zh || !k->en) FAIL("a kind without a valid name");
    const char *n = k->name;
    if (flow_kind_by_name(n)) FAIL("kind %s is declared twice", n);
    if (n_registry >= FLOW_KINDS_MAX) FAIL("too many kinds (at most %d)", FLOW_KINDS_MAX);
    if (!ident_ok(k->table) || !ident_ok(k->audit_type) || !k->load || !k->web_path)
        FAIL("kind %s: table, audit type, web path and load are required", n);
    if (!perm_ok(k->perm_read)) FAIL("kind %s: perm_read names no registered permission", n);
    if (k->n_states < 1 || k->n_states > FLOW_STATES_MAX)
        FAIL("kind %s: 1–%d states", n, FLOW_STATES_MAX);
    for (int i = 0; i < k->n_states; i++) {
        if (!ident_ok(k->states[i].code) || !k->states[i].zh || !k->states[i].en)
            FAIL("kind %s: state %d has no valid code/labels", n, i);
        for (int j = 0; j < i; j++)
            if (!strcmp(k->states[i].code, k->states[j].code))
                FAIL("kind %s: state %s declared twice", n, k->states[i].code);
    }
    for (int i = 0; i < k->n_relations; i++)
        if (!ident_ok(k->relations[i].code) || !k->relations[i].holds)
            FAIL("kind %s: relation %d has no code or test", n, i);
    for (int i = 0; i < k->n_parties; i++)
        if (!ident_ok(k->parties[i].code) || !k->parties[i].find == !k->parties[i].holders ||
            (k->parties[i].holders && !perm_ok(k->parties[i].holders)))
            FAIL("kind %s: party %d has no code, or not exactly one of a finder and a "
                 "registered permission whose holders are told",
                 n, i);
    for (int i = 0; i < k->n_holds; i++) { /* the held kind registers first (module order) */
        const struct flow_hold *x = &k->holds[i];
        const struct flow_kind *held_kind = x->kind ? flow_kind_by_name(x->kind) : NULL;
        if (!held_kind || !x->action || !flow_transition_find(held_kind, x->action) ||
            !ident_ok(x->column) || !x->refusal.zh || !x->refusal.en)
            FAIL("kind %s: hold %d names no registered kind's step, or no column or message", n, i);
    }
    if (!k->events_table != !k->events_key ||
        (k->events_table && (!ident_ok(k->events_table) || !ident_ok(k->events_key))))
        FAIL("kind %s: events table and key go together", n);
    for (int i = 0; i < k->n_event_columns; i++)
        if (!k->events_table || !ident_ok(k->event_columns[i]))
            FAIL("kind %s: event column %d is not a valid column of its events table", n, i);
    if (k->file_owner && !k->events_table) FAIL("kind %s: attachments need a timeline", n);
    for (int i = 0; i < k->n_clocks; i++) {
        const struct flow_clock_def *d = &k->clocks[i];
        if (!ident_ok(d->code) || !d->zh || !d->en)
            FAIL("kind %s: clock %d has no code/labels", n, i);
        if (d->period < 0 || d->period > CLOCK_PERIOD_MAX || d->extend_period < 0 ||
            d->extend_period > CLOCK_PERIOD_MAX || d->remind_days < 0 || d->remind_days > 366 ||
            (d->unit != CLOCK_DAYS && d->unit != CLOCK_WORKDAYS))
            FAIL("kind %s: clock %s is out of bounds", n, d->code);
        for (int j = 0; j < i; j++)
            if (!strcmp(k->clocks[j].code, d->code)) FAIL("kind %s: clock %s twice", n, d->code);
    }
    if (k->n_clocks &&
        (!ident_ok(k->unit_column) || !ident_ok(k->title_column) || !perm_ok(k->perm_work)))
        FAIL("kind %s: clocks need unit_column, title_column and perm_work (reminders)", n);
    if ((k->summary_column && !ident_ok(k->summary_column)) ||
        (k->summary_column && !ident_ok(k->title_column)))
        FAIL("kind %s: summary_column is no column name (or the kind has no title_column)", n);
    for (int i = 0; i < k->n_transitions; i++) {
        if (check_transition(k, &k->transitions[i], err, errlen)) return -1;
        for (int j = 0; j < i; j++)
            if (!strcmp(k->transitions[i].action, k->transitions[j].action))
                FAIL("kind %s: action %s declared twice", n, k->transitions[i].action);
    }
    registry[n_registry++] = k;
    if (k->n_clocks) flow_clock_watch_calendar();
    return 0;
}

#undef FAIL

const char *flow_kind_name(const struct flow_kind *k) {
    return k->name;
}

int flow_kind_count(void) {
    return n_registry;
}

const struct flow_kind *flow_kind_at(int i) {
    return i >= 0 && i < n_registry ? registry[i] : NULL;
}

const struct flow_kind *flow_kind_by_name(const char *name) {
    for (int i = 0; name && i < n_registry; i++)
        if (!strcmp(registry[i]->name, name)) return registry[i];
    return NULL;
}

const struct flow_transition *flow_transition_find(const struct flow_kind *k, const char *action) {
    for (int i = 0; k && action && i < k->n_transitions; i++)
        if (!strcmp(k->transitions[i].action, action)) return &k->transitions[i];
    return NULL;
}

int flow_state_index(const struct flow_kind *k, const char *code) {
    for (int i = 0; code && i < k->n_states; i++)
        if (!strcmp(k->states[i].code, code)) return i;
    return -1;
}

const char *flow_action_label(const struct flow_kind *k, const char *action, int lang) {
    const struct flow_transition *t = flow_transition_find(k, action);
    return t ? (lang ? t->en : t->zh) : NULL;
}

/* ---- arguments ---- */

const char *flow_arg_text(const struct flow_ctx *c, const char *name) {
    return json_string_value(json_object_get(c->args, name));
}

int64_t flow_arg_int(const struct flow_ctx *c, const char *name, int64_t def) {
    json_t *v = json_object_get(c->args, name);
    return json_is_integer(v) ? json_integer_value(v) : def;
}

int32_t flow_arg_day(struct flow_ctx *c, const char *arg, int32_t floor, const char *floor_zh,
                     const char *floor_en) {
    const char *s = flow_arg_text(c, arg);
    int32_t day = c->today;
    if (s && date_parse(s, &day) != 0) day = 0;
    if (day && day > c->today) {
        flow_problem(c, arg, "不能晚于今天", "Cannot be later than today");
        return 0;
    }
    if (day && floor && day < floor) {
        flow_problem(c, arg, floor_zh, floor_en);
        return 0;
    }
    return day;
}

int flow_arg_unit_check(struct flow_ctx *c, const char *arg) {
    int ok = 0;
    if (entity_unit_active(c->db, flow_arg_int(c, arg, 0), &ok) != DB_OK) return FLOW_DB;
    if (!ok) flow_problem(c, arg, "单位不存在或已停用", "No such active unit");
    return FLOW_OK;
}

int flow_arg_bool(const struct flow_ctx *c, const char *name, int def) {
    json_t *v = json_object_get(c->args, name);
    return json_is_boolean(v) ? json_is_true(v) : def;
}

void flow_problem(struct flow_ctx *c, const char *field, const char *zh, const char *en) {
    problem_add(c->pr, field, zh, en);
}

static void json_decref_cb(void *p) {
    json_decref(p);
}

/* The input of one step, checked. */
struct input {
    json_t *args; /* owned by the arena */
    const char *note;
    int64_t version;
    int64_t attachments[FLOW_ATTACHMENTS_MAX];
    int n_attachments;
};

static int check_input(struct arena *a, const struct flow_kind *k, const struct flow_transition *t,
                       json_t *in, struct problems *pr, struct input *out) {
    memset(out, 0, sizeof *out);
    if (!pr->arena) pr->arena = a; /* the messages name the limits */
    out->args = json_object();
    arena_on_free(a, json_decref_cb, out->args);
    out->note = "";
    static const struct field version_f = {.name = "version",
                                           .type = FT_INT,
                                           .zh = "版本",
                                           .en = "Version",
                                           .min = 1,
                                           .max = FIELD_ID_MAX,
                                           .flags = F_REQUIRED};
    static const struct field note_f = {
        .name = "note", .type = FT_LONGTEXT, .zh = "说明", .en = "Note", .max = FLOW_NOTE_MAX};
    json_t *fixed = fields_check(&version_f, 1, in, FV_ALL, pr);
    json_t *v = json_object_get(fixed, "version");
    if (v) out->version = json_integer_value(v);
    json_decref(fixed);
    fixed = fields_check(&note_f, 1, in, FV_ALL, pr);
    v = json_object_get(fixed, "note");
    if (v) out->note = arena_strdup(a, json_string_value(v));
    json_decref(fixed);
    json_t *ids = k->file_owner ? json_object_get(in, "attachment_ids") : NULL;
    if (ids && !json_is_null(ids)) {
        size_t i;
        json_t *x;
        if (!json_is_array(ids) || json_array_size(ids) > FLOW_ATTACHMENTS_MAX)
            problem_add(pr, "attachment_ids", "须为编号列表（不超过上限）",
                        "Must be a list of ids (within the limit)");
        else
            json_array_foreach(ids, i, x) {
                if (!json_is_integer(x) || json_integer_value(x) <= 0) {
                    problem_add(pr, "attachment_ids", "须为编号列表", "Must be a list of ids");
                    break;
                }
                out->attachments[out->n_attachments++] = json_integer_value(x);
            }
    }
    json_t *args = fields_check(t->args, t->n_args, in, FV_ALL, pr);
    json_object_update(out->args, args);
    json_decref(args);
    return pr->n ? FLOW_INVALID : FLOW_OK;
}

int flow_check_input(struct arena *a, const struct flow_kind *k, const char *action, json_t *in,
                     struct problems *pr) {
    const struct flow_transition *t = flow_transition_find(k, action);
    if (!t) return FLOW_NOT_FOUND;
    struct input inp;
    return check_input(a, k, t, in, pr, &inp);
}

/* ---- deciding ---- */

static struct flow_ctx *ctx_new(struct db *db, struct arena *a, const struct flow_actor *actor,
                                const struct flow_kind *k, int64_t id) {
    struct flow_ctx *c = arena_alloc(a, k->ctx_size > sizeof *c ? k->ctx_size : sizeof *c);
    c->db = db;
    c->a = a;
    c->kind = k;
    c->actor = actor;
    c->id = id;
    c->today = date_today();
    c->status = -1;
    c->title = "";
    c->note = "";
    c->new_status = -1;
    return c;
}

/* The record's origin (a kind with has_origin), after load: c->origin, c->origin_id. An
 * origin naming a kind that is not registered reads as none. DB_OK or < 0. */
static int origin_read(struct flow_ctx *c) {
    if (!c->kind->has_origin) return DB_OK;
    struct db_stmt *st = db_queryv(
        c->db,
        arena_printf(c->a, "SELECT origin_kind, origin_id FROM %s WHERE id = ?", c->kind->table),
        "i", c->id);
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW && db_col_text(st, 0)) {
        c->origin = flow_kind_by_name(db_col_text(st, 0));
        c->origin_id = c->origin ? db_col_int(st, 1) : 0;
        if (!c->origin_id) c->origin = NULL;
    }
    db_done(st);
    return rc < 0 ? rc : DB_OK;
}

static int load_with_origin(struct flow_ctx *c) {
    int rc = c->kind->load(c);
    if (rc == DB_ROW && origin_read(c) != DB_OK) return DB_ERROR;
    return rc;
}

/* The step is the origin's (flow_apply_via on a record of that origin). */
static int via_origin(const struct flow_ctx *c) {
    return c->origin && c->via == c->origin;
}

/* Only the origin takes t on this record (a by_origin step of a record whose origin closes its
 * records itself), and the actor is not the origin. */
static int origin_reserved(const struct flow_transition *t, const struct flow_ctx *c) {
    return t->by_origin && c->origin && c->origin->closes_children && !via_origin(c);
}

/* State, permission and relation: may the actor take t at all? */
static int may_take(const struct flow_transition *t, const struct flow_ctx *c) {
    if (c->status < 0 || !(t->from & (1u << c->status))) return 0;
    if (origin_reserved(t, c)) return 0;
    if (via_origin(c)) return 1; /* the origin's transition checked who may */
    const struct principal *p = c->actor ? c->actor->who : NULL;
    if (!p || !(t->perm == &perm_signed_in || perm_has(p->perms, t->perm))) return 0;
    const struct flow_relation *rel = relation_find(c->kind, t->relation);
    return !t->relation || (rel && rel->holds(c));
}

/* The first hold another kind's open records put on this step of c's record (struct
 * flow_hold), or NULL: one query per hold declared on (kind, action). */
static const struct flow_guard *held(const struct flow_transition *t, const struct flow_ctx *c) {
    for (int i = 0; i < flow_kind_count(); i++) {
        const struct flow_kind *h = flow_kind_at(i);
        for (int j = 0; j < h->n_holds; j++) {
            const struct flow_hold *x = &h->holds[j];
            if (strcmp(x->kind, c->kind->name) || strcmp(x->action, t->action)) continue;
            struct query q;
            query_init(&q, c->a, "");
            query_add(
                &q, arena_printf(c->a, "SELECT COUNT(*) FROM %s WHERE %s = ?", h->table, x->column),
                "i", c->id);
            int finals = 0;
            for (int s = 0; s < h->n_states; s++)
                if (h->states[s].final)
                    query_add(&q, finals++ ? ", ?" : " AND status NOT IN (?", "s",
                              h->states[s].code);
            if (finals) query_add(&q, ")", "");
            struct db_stmt *st = query_prepare(c->db, &q);
            int rc = st ? db_step(st) : DB_ERROR;
            int64_t n = rc == DB_ROW ? db_col_int(st, 0) : 1; /* an error holds: never lets by */
            db_done(st);
            if (n > 0) return &x->refusal;
        }
    }
    return NULL;
}

static const struct flow_guard *unmet_guard(const struct flow_transition *t,
                                            const struct flow_ctx *c) {
    for (int i = 0; i < t->n_guards; i++)
        if (!t->guards[i].ok(c)) return &t->guards[i];
    return held(t, c);
}

json_t *flow_allowed(struct db *db, const struct flow_actor *actor, const struct flow_kind *k,
                     int64_t id) {
    struct arena *a = arena_new(4096);
    struct flow_ctx *c = ctx_new(db, a, actor, k, id);
    json_t *out = json_array();
    if (load_with_origin(c) == DB_ROW)
        for (int i = 0; i < k->n_transitions; i++) {
            const struct flow_transition *t = &k->transitions[i];
            c->t = t;
            if (may_take(t, c) && !unmet_guard(t, c))
                json_array_append_new(out, json_string(t->action));
        }
    arena_free(a);
    return out;
}

json_t *flow_blocked(struct db *db, const struct flow_actor *actor, const struct flow_kind *k,
                     int64_t id, int lang) {
    struct arena *a = arena_new(4096);
    struct flow_ctx *c = ctx_new(db, a, actor, k, id);
    json_t *out = json_array();
    if (load_with_origin(c) == DB_ROW)
        for (int i = 0; i < k->n_transitions; i++) {
            const struct flow_transition *t = &k->transitions[i];
            c->t = t;
            const struct flow_guard *g = may_take(t, c) ? unmet_guard(t, c) : NULL;
            if (g)
                json_array_append_new(out, json_pack("{s:s,s:s}", "action", t->action, "reason",
                                                     lang ? g->en : g->zh));
        }
    arena_free(a);
    return out;
}

/* ---- applying ---- */

/* Claim the row: version + 1 when `version` is current. FLOW_OK, FLOW_STALE, FLOW_NOT_FOUND. */
static int claim(struct db *db, struct arena *a, const struct flow_kind *k, int64_t id,
                 int64_t version) {
    char now[21];
    now_iso(now);
    int rc = db_exec(db,
                     arena_printf(a,
                                  "UPDATE %s SET version = version + 1, updated_at = ? "
                                  "WHERE id = ? AND version = ?",
                                  k->table),
                     "sii", now, id, version);
    if (rc != DB_OK) return FLOW_DB;
    if (db_changes(db) == 1) return FLOW_OK;
    int64_t n = 0;
    rc = db_query_int(db, &n, arena_printf(a, "SELECT COUNT(*) FROM %s WHERE id = ?", k->table),
                      "i", id);
    if (rc != DB_ROW) return FLOW_DB;
    return n ? FLOW_STALE : FLOW_NOT_FOUND;
}

static void bind_value(struct db_stmt *st, int idx, json_t *v) {
    if (json_is_integer(v))
        db_bind_int(st, idx, json_integer_value(v));
    else if (json_is_boolean(v))
        db_bind_int(st, idx, json_is_true(v));
    else if (json_is_string(v))
        db_bind_text(st, idx, json_string_value(v));
    else
        db_bind_null(st, idx);
}

/* Insert one timeline event of record id: the actor (its account, name and unit), the action,
 * note and detail, and the declared event columns from args (NULL: none). *event_id. */
static int event_insert(struct db *db, struct arena *a, const struct flow_kind *k,
                        const struct flow_actor *actor, int64_t id, const char *action,
                        const char *note, const char *detail, json_t *args, int64_t *event_id) {
    const struct principal *p = actor->who;
    char cols[512] = "", marks[128] = "";
    size_t cl = 0, ml = 0;
    for (int i = 0; i < k->n_event_columns; i++) {
        cl += (size_t)snprintf(cols + cl, sizeof cols - cl, ", %s", k->event_columns[i]);
        ml += (size_t)snprintf(marks + ml, sizeof marks - ml, ", ?");
        if (cl >= sizeof cols || ml >= sizeof marks) return FLOW_DB;
    }
    struct db_stmt *st =
        db_prepare(db, arena_printf(a,
                                    "INSERT INTO %s (%s, at, actor_id, actor_name, unit_id, "
                                    "action, note, detail%s) VALUES (?, ?, ?, ?, ?, ?, ?, ?%s) "
                                    "RETURNING id",
                                    k->events_table, k->events_key, cols, marks));
    if (!st) return FLOW_DB;
    char now[21];
    now_iso(now);
    db_bind_int(st, 1, id);
    db_bind_text(st, 2, now);
    if (p && p->user_id)
        db_bind_int(st, 3, p->user_id);
    else
        db_bind_null(st, 3);
    db_bind_text(st, 4, p && p->display_name ? p->display_name : actor->audit->username);
    if (p && p->unit_id)
        db_bind_int(st, 5, p->unit_id);
    else
        db_bind_null(st, 5);
    db_bind_text(st, 6, action);
    db_bind_text(st, 7, note ? note : "");
    db_bind_text(st, 8, detail ? detail : "");
    for (int i = 0; i < k->n_event_columns; i++)
        bind_value(st, 9 + i, args ? json_object_get(args, k->event_columns[i]) : NULL);
    int rc = db_step(st);
    if (rc == DB_ROW && event_id) *event_id = db_col_int(st, 0);
    db_done(st);
    return rc == DB_ROW ? FLOW_OK : FLOW_DB;
}

/* Append the transition's timeline event; c->event_id. */
static int event_add(struct flow_ctx *c, const char *detail) {
    return event_insert(c->db, c->a, c->kind, c->actor, c->id, c->t->action, c->note, detail,
                        c->args, &c->event_id);
}

int flow_event_append(struct db *db, struct arena *a, const struct flow_actor *actor,
                      const struct flow_kind *k, int64_t id, const char *action, const char *note,
                      const char *detail, int only_first) {
    if (!k->events_table) return FLOW_OK;
    if (only_first) {
        int64_t seen = 0;
        int rc = db_query_int(
            db, &seen,
            arena_printf(a, "SELECT COUNT(*) FROM %s WHERE %s = ?", k->events_table, k->events_key),
            "i", id);
        if (rc != DB_ROW) return FLOW_DB;
        if (seen) return FLOW_OK;
    }
    return event_insert(db, a, k, actor, id, action, note, detail, NULL, NULL);
}

static int notice_raise(struct flow_ctx *c, const struct flow_notice *n) {
    const struct flow_kind *k = c->kind;
    const struct flow_party *party = party_find(k, n->party);
    const char *title = arena_printf(c->a, "【%s】%s", n->zh, c->title ? c->title : "");
    const char *title_en =
        arena_printf(c->a, "[%s] %s", n->en ? n->en : n->zh, c->title ? c->title : "");
    const char *link = arena_printf(c->a, "%s/%lld", k->web_path, (long long)c->id);
    int64_t task_id = k->notify_task_id ? c->id : 0;
    const char *key = NULL; /* NOTICE_EACH: none */
    if (n->once == NOTICE_DAILY) {
        char day[11];
        date_format(c->today, day);
        key = arena_printf(c->a, "flow:%s:%s:%lld:%s", k->name, n->kind, (long long)c->id, day);
    }
    /* the body is the actor's own words: the same in both languages */
    struct notify_event ev = {n->kind, title, c->note, title_en, c->note, link, task_id, NULL};
    if (party->holders) {
        const struct principal *p = c->actor ? c->actor->who : NULL;
        ev.dedup_prefix = key;
        return notify_event_perm(c->db, perm_code(party->holders), p ? p->user_id : 0, &ev) < 0
                   ? FLOW_DB
                   : FLOW_OK;
    }
    struct flow_recipients to;
    memset(&to, 0, sizeof to);
    if (party->find(c, &to) != DB_OK) return FLOW_DB;
    for (int i = 0; i < to.n_units && i < FLOW_RECIPIENTS_MAX; i++) {
        const char *ukey =
            key ? arena_printf(c->a, "%s:unit:%lld", key, (long long)to.units[i]) : NULL;
        ev.dedup_prefix = ukey;
        if (notify_event_unit(c->db, to.units[i], perm_code(k->perm_work), &ev) < 0) return FLOW_DB;
    }
    for (int i = 0; i < to.n_users && i < FLOW_RECIPIENTS_MAX; i++) {
        const char *ukey =
            key ? arena_printf(c->a, "%s:user:%lld", key, (long long)to.users[i]) : NULL;
        ev.dedup_prefix = ukey;
        if (notify_event_user(c->db, to.users[i], &ev) < 0) return FLOW_DB;
    }
    return FLOW_OK;
}

static const char *origin_title(const struct flow_ctx *c);
static int origin_follow(struct flow_ctx *c, const char *action);

int flow_apply(struct db *db, struct arena *a, const struct flow_actor *actor,
               const struct flow_kind *k, int64_t id, const char *action, json_t *in,
               struct problems *pr) {
    return flow_apply_on(db, a, actor, k, id, action, in, pr, date_today());
}

static int apply(struct db *db, struct arena *a, const struct flow_actor *actor,
                 const struct flow_kind *k, int64_t id, const char *action, json_t *in,
                 struct problems *pr, int32_t today, const struct flow_kind *via);

int flow_apply_on(struct db *db, struct arena *a, const struct flow_actor *actor,
                  const struct flow_kind *k, int64_t id, const char *action, json_t *in,
                  struct problems *pr, int32_t today) {
    return apply(db, a, actor, k, id, action, in, pr, today, NULL);
}

static int apply(struct db *db, struct arena *a, const struct flow_actor *actor,
                 const struct flow_kind *k, int64_t id, const char *action, json_t *in,
                 struct problems *pr, int32_t today, const struct flow_kind *via) {
    const struct flow_transition *t = flow_transition_find(k, action);
    if (!t) return FLOW_NOT_FOUND;
    struct input inp;
    if (check_input(a, k, t, in, pr, &inp) != FLOW_OK) return FLOW_INVALID;
    int rc = claim(db, a, k, id, inp.version);
    if (rc != FLOW_OK) return rc;

    struct flow_ctx *c = ctx_new(db, a, actor, k, id);
    c->today = today;
    c->via = via;
    c->t = t;
    c->args = inp.args;
    c->note = inp.note;
    c->pr = pr;
    rc = load_with_origin(c);
    if (rc == DB_DONE) return FLOW_NOT_FOUND;
    if (rc != DB_ROW) return FLOW_DB;
    if (origin_reserved(t, c) && c->status >= 0 && (t->from & (1u << c->status))) {
        const char *title = origin_title(c);
        pr->zh = arena_printf(a, "该%s来源于%s“%s”，“%s”须在来源记录上办理", k->zh, c->origin->zh,
                              title, t->zh);
        pr->en = arena_printf(a, "This %s carries out %s “%s”: “%s” is taken on that record", k->en,
                              c->origin->en, title, t->en);
        return FLOW_NOT_ALLOWED;
    }
    if (!may_take(t, c)) {
        pr->zh = arena_printf(a, "当前状态下不能执行“%s”", t->zh);
        pr->en = arena_printf(a, "“%s” is not possible now", t->en);
        return FLOW_NOT_ALLOWED;
    }
    const struct flow_guard *g = unmet_guard(t, c);
    if (g) {
        pr->zh = g->zh;
        pr->en = g->en;
        return FLOW_NOT_ALLOWED;
    }
    if (t->note_required && !*c->note) {
        if (t->note_zh) {
            char *en = arena_printf(a, "Please give the %s", t->note_en);
            char *w = en + strlen("Please give the "); /* "Reason …" inside the sentence */
            if (w[0] >= 'A' && w[0] <= 'Z' && w[1] >= 'a' && w[1] <= 'z') w[0] += 'a' - 'A';
            problem_add(pr, "note", arena_printf(a, "请填写%s", t->note_zh), en);
        } else
            problem_add(pr, "note", "请填写说明", "Please write a note");
        return FLOW_INVALID;
    }

    c->detail = json_object();
    arena_on_free(a, json_decref_cb, c->detail);
    c->new_status = t->to;
    rc = t->effect ? t->effect(c) : FLOW_OK;
    if (rc != FLOW_OK) return rc;
    if (c->new_status >= 0 && c->new_status != c->status) {
        if (db_exec(db, arena_printf(a, "UPDATE %s SET status = ? WHERE id = ?", k->table), "si",
                    k->states[c->new_status].code, id) != DB_OK)
            return FLOW_DB;
        json_object_set_new(c->detail, "from", json_string(k->states[c->status].code));
        json_object_set_new(c->detail, "to", json_string(k->states[c->new_status].code));
    }
    if (t->n_clocks && (rc = flow_clock_steps(c)) != FLOW_OK) return rc;

    char *s = json_dumps(c->detail, JSON_COMPACT);
    const char *detail = arena_strdup(a, s ? s : "{}");
    free(s);
    if (k->events_table && (rc = event_add(c, detail)) != FLOW_OK) return rc;
    if (inp.n_attachments > 0 && actor->who) {
        int crc = files_claim(db, actor->who->user_id, inp.attachments, inp.n_attachments,
                              k->file_owner, c->event_id);
        if (crc != DB_OK) {
            problem_add(pr, "attachment_ids", "附件无效或已被使用",
                        "An attachment is invalid or already used");
            return crc == DB_ERROR ? FLOW_DB : FLOW_INVALID;
        }
    }
    if (t->notify && (rc = notice_raise(c, t->notify)) != FLOW_OK) return rc;
    char oid[24];
    snprintf(oid, sizeof oid, "%lld", (long long)id);
    if (audit_append(db, actor->audit, arena_printf(a, "%s.%s", k->audit_type, action),
                     k->audit_type, oid, "ok", detail) != DB_OK)
        return FLOW_DB;
    if (c->origin && c->origin->child_step && !via_origin(c)) return origin_follow(c, action);
    return FLOW_OK;
}

/* ---- task origin ---- */

/* The origin's title (its kind's load), "" when it cannot be read. */
static const char *origin_title(const struct flow_ctx *c) {
    struct flow_ctx *oc = ctx_new(c->db, c->a, c->actor, c->origin, c->origin_id);
    return c->origin->load(oc) == DB_ROW && oc->title ? oc->title : "";
}

/* A record of origin c->origin took a step: the origin's hook decides what follows; a new
 * state is written with its timeline event and audit record "<child kind>_<action>". */
static int origin_follow(struct flow_ctx *c, const char *action) {
    const struct flow_kind *ok = c->origin;
    struct flow_ctx *oc = ctx_new(c->db, c->a, c->actor, ok, c->origin_id);
    oc->today = c->today;
    oc->note = c->note;
    oc->pr = c->pr;
    oc->detail = json_object();
    arena_on_free(c->a, json_decref_cb, oc->detail);
    int rc = ok->load(oc);
    if (rc == DB_DONE) return FLOW_OK; /* the origin is gone: nothing follows */
    if (rc != DB_ROW) return FLOW_DB;
    rc = ok->child_step(oc, c->kind, c->id, action);
    if (rc != FLOW_OK || oc->new_status < 0 || oc->new_status == oc->status) return rc;
    char now[21];
    now_iso(now);
    if (db_exec(c->db,
                arena_printf(c->a,
                             "UPDATE %s SET status = ?, version = version + 1, updated_at = ? "
                             "WHERE id = ?",
                             ok->table),
                "ssi", ok->states[oc->new_status].code, now, oc->id) != DB_OK)
        return FLOW_DB;
    json_object_set_new(oc->detail, "from", json_string(ok->states[oc->status].code));
    json_object_set_new(oc->detail, "to", json_string(ok->states[oc->new_status].code));
    json_object_set_new(oc->detail, "child_kind", json_string(c->kind->name));
    json_object_set_new(oc->detail, "child_id", json_integer(c->id));
    char *s = json_dumps(oc->detail, JSON_COMPACT);
    const char *detail = arena_strdup(c->a, s ? s : "{}");
    free(s);
    const char *ev = arena_printf(c->a, "%s_%s", c->kind->name, action);
    if (ok->events_table &&
        event_insert(c->db, c->a, ok, c->actor, oc->id, ev, c->note, detail, NULL, NULL) != FLOW_OK)
        return FLOW_DB;
    char oid[24];
    snprintf(oid, sizeof oid, "%lld", (long long)oc->id);
    return audit_append(c->db, c->actor->audit, arena_printf(c->a, "%s.%s", ok->audit_type, ev),
                        ok->audit_type, oid, "ok", detail) == DB_OK
               ? FLOW_OK
               : FLOW_DB;
}

int flow_apply_via(struct db *db, struct arena *a, const struct flow_actor *actor,
                   const struct flow_kind *origin, const struct flow_kind *k, int64_t id,
                   const char *action, const char *note, json_t *extra, struct problems *pr,
                   int32_t today) {
    int64_t version = 0;
    int rc = db_query_int(
        db, &version, arena_printf(a, "SELECT version FROM %s WHERE id = ?", k->table), "i", id);
    if (rc == DB_DONE) return FLOW_NOT_FOUND;
    if (rc != DB_ROW) return FLOW_DB;
    json_t *in = extra ? json_deep_copy(extra) : json_object();
    json_object_set_new(in, "version", json_integer(version));
    if (note && *note) json_object_set_new(in, "note", json_string(note));
    rc = apply(db, a, actor, k, id, action, in, pr, today, origin);
    json_decref(in);
    return rc;
}

json_t *flow_origin_json(struct db *db, struct arena *a, const struct flow_actor *actor,
                         const char *origin_kind, int64_t origin_id, int lang) {
    const struct flow_kind *ok = origin_kind ? flow_kind_by_name(origin_kind) : NULL;
    if (!ok || !origin_id) return json_null();
    struct flow_ctx *oc = ctx_new(db, a, actor, ok, origin_id);
    const char *title = ok->load(oc) == DB_ROW && oc->title ? oc->title : "";
    return json_pack("{s:s,s:s,s:I,s:s,s:s}", "kind", ok->name, "kind_name", lang ? ok->en : ok->zh,
                     "id", (json_int_t)origin_id, "title", title, "path",
                     ok->web_path ? arena_printf(a, "%s/%lld", ok->web_path, (long long)origin_id)
                                  : "");
}

/* ---- records following their parent's step ---- */

int flow_follow(struct db *db, struct arena *a, const struct flow_actor *actor,
                const struct flow_kind *k, const char *column, int64_t parent_id, int from, int to,
                const char *action, const char *note, int64_t *n) {
    *n = 0;
    if (from < 0 || from >= k->n_states || to < 0 || to >= k->n_states || !ident_ok(column))
        return FLOW_DB;
    const char *fc = k->states[from].code, *tc = k->states[to].code;
    /* the records, for their audit records (the events and the change are set-based) */
    struct db_stmt *st =
        db_queryv(db,
                  arena_printf(a, "SELECT id FROM %s WHERE %s = ? AND status = ? ORDER BY id",
                               k->table, column),
                  "is", parent_id, fc);
    int rc;
    int64_t cap = 64, *ids = arena_alloc(a, (size_t)cap * sizeof *ids);
    while (st && (rc = db_step(st)) == DB_ROW) {
        if (*n == cap) {
            int64_t *more = arena_alloc(a, (size_t)(cap * 2) * sizeof *ids);
            memcpy(more, ids, (size_t)cap * sizeof *ids);
            ids = more;
            cap *= 2;
        }
        ids[(*n)++] = db_col_int(st, 0);
    }
    db_done(st);
    if (!st || rc != DB_DONE) return FLOW_DB;
    if (!*n) return FLOW_OK;
    const struct principal *p = actor->who;
    char now[21];
    now_iso(now);
    if (k->events_table) {
        struct db_stmt *ev = db_prepare(
            db, arena_printf(a,
                             "INSERT INTO %s (%s, at, actor_id, actor_name, unit_id, action, note, "
                             "detail) SELECT id, ?, ?, ?, ?, ?, ?, ? FROM %s WHERE %s = ? AND "
                             "status = ?",
                             k->events_table, k->events_key, k->table, column));
        if (!ev) return FLOW_DB;
        db_bind_text(ev, 1, now);
        if (p && p->user_id)
            db_bind_int(ev, 2, p->user_id);
        else
            db_bind_null(ev, 2);
        db_bind_text(ev, 3, p && p->display_name ? p->display_name : actor->audit->username);
        if (p && p->unit_id)
            db_bind_int(ev, 4, p->unit_id);
        else
            db_bind_null(ev, 4);
        db_bind_text(ev, 5, action);
        db_bind_text(ev, 6, note ? note : "");
        db_bind_text(ev, 7, arena_printf(a, "{\"from\":\"%s\",\"to\":\"%s\"}", fc, tc));
        db_bind_int(ev, 8, parent_id);
        db_bind_text(ev, 9, fc);
        rc = db_step(ev);
        db_done(ev);
        if (rc != DB_DONE) return FLOW_DB;
    }
    if (db_exec(db,
                arena_printf(a,
                             "UPDATE %s SET status = ?, version = version + 1, updated_at = ? "
                             "WHERE %s = ? AND status = ?",
                             k->table, column),
                "ssis", tc, now, parent_id, fc) != DB_OK)
        return FLOW_DB;
    const char *code = arena_printf(a, "%s.%s", k->audit_type, action);
    const char *detail = arena_printf(a, "{\"from\":\"%s\",\"to\":\"%s\",\"%s\":%lld}", fc, tc,
                                      column, (long long)parent_id);
    for (int64_t i = 0; i < *n; i++)
        if (audit_append(db, actor->audit, code, k->audit_type,
                         arena_printf(a, "%lld", (long long)ids[i]), "ok", detail) != DB_OK)
            return FLOW_DB;
    return FLOW_OK;
}

/* ---- refusals ---- */

int flow_refusal_audit(struct db *db, struct arena *a, const struct flow_actor *actor,
                       const struct flow_kind *k, int64_t id, const char *action, const char *zh,
                       const char *en) {
    const struct flow_transition *t = flow_transition_find(k, action);
    json_t *d = json_pack("{s:s,s:s,s:s,s:s}", "action", action, "action_name", t ? t->zh : action,
                          "message", zh ? zh : "", "message_en", en ? en : "");
    char *s = json_dumps(d, JSON_COMPACT);
    json_decref(d);
    const char *detail = arena_strdup(a, s ? s : "{}");
    free(s);
    const char *code = arena_printf(a, "%s.refused", k->audit_type);
    char oid[24], since[21];
    snprintf(oid, sizeof oid, "%lld", (long long)id);
    iso_utc(now_unix() - FLOW_REFUSAL_WINDOW, since);
    int rc = db_begin(db);
    if (rc != DB_OK) return rc < 0 ? rc : DB_ERROR;
    /* the window's records first (audit_log_ts): a burst reads a minute of the log, not all */
    int64_t seen = 0;
    rc = db_query_int(db, &seen,
                      "SELECT COUNT(*) FROM audit_log WHERE ts >= ? AND action = ? "
                      "AND object_id = ? AND COALESCE(actor_id, 0) = ? AND detail = ?",
                      "sssis", since, code, oid, actor->audit->user_id, detail);
    rc = rc == DB_ROW ? DB_OK : rc < 0 ? rc : DB_ERROR;
    if (rc == DB_OK && !seen)
        rc = audit_append(db, actor->audit, code, k->audit_type, oid, "denied", detail);
    if (rc == DB_OK) rc = db_commit(db);
    if (rc != DB_OK) db_rollback(db);
    return rc;
}

/* ---- declarations served ---- */

static json_t *label_json(json_t *o, const char *zh, const char *en, int lang) {
    json_object_set_new(o, "label", json_string(lang ? en : zh));
    json_object_set_new(o, "zh", json_string(zh));
    json_object_set_new(o, "en", json_string(en));
    return o;
}

json_t *flow_kind_summary_json(const struct flow_kind *k, int lang) {
    json_t *o = json_pack("{s:s,s:s,s:s,s:s}", "name", k->name, "title", lang ? k->en : k->zh, "zh",
                          k->zh, "en", k->en);
    json_object_set_new(o, "entity", k->entity ? json_string(k->entity) : json_null());
    return o;
}

static json_t *options_json(const struct field_option *opt, int n, int lang) {
    json_t *arr = json_array();
    for (int i = 0; i < n; i++) {
        json_t *o =
            label_json(json_pack("{s:s}", "value", opt[i].code), opt[i].zh, opt[i].en, lang);
        json_object_set_new(o, "tag", opt[i].tag ? json_string(opt[i].tag) : json_null());
        json_array_append_new(arr, o);
    }
    return arr;
}

/* The limits a client must respect: characters for text, the value for integers, none else. */
static void limits_json(json_t *o, enum field_type type, int64_t min, int64_t max) {
    int text = type == FT_TEXT || type == FT_LONGTEXT, number = type == FT_INT;
    int64_t hi = max;
    if (text && hi <= 0) hi = type == FT_TEXT ? FIELD_TEXT_MAX : FIELD_LONGTEXT_MAX;
    json_object_set_new(o, "min",
                        text || number ? json_integer(min > 0 || number ? min : 0) : json_null());
    json_object_set_new(o, "max", text || number ? json_integer(hi) : json_null());
}

static json_t *arg_json(const struct field *g, int lang) {
    json_t *o =
        label_json(json_pack("{s:s,s:s,s:b}", "name", g->name, "type", field_type_code(g->type),
                             "required", (g->flags & F_REQUIRED) != 0),
                   g->zh, g->en, lang);
    limits_json(o, g->type, g->min, g->max);
    if (g->type == FT_INT && g->decimals) { /* a decimal argument: its limits in its unit */
        json_object_set_new(o, "min", field_decimal_json(g, g->min));
        json_object_set_new(o, "max", field_decimal_json(g, g->max));
        json_object_set_new(o, "decimals", json_integer(g->decimals));
    }
    json_object_set_new(o, "options",
                        g->type == FT_ENUM ? options_json(g->options, g->n_options, lang)
                                           : json_array());
    return o;
}

static json_t *transition_json(const struct flow_kind *k, const struct flow_transition *t,
                               int lang) {
    json_t *from = json_array();
    for (int i = 0; i < k->n_states; i++)
        if (t->from & (1u << i)) json_array_append_new(from, json_string(k->states[i].code));
    json_t *o = label_json(json_pack("{s:s}", "action", t->action), t->zh, t->en, lang);
    json_object_set_new(o, "from", from);
    json_object_set_new(o, "to", t->to >= 0 ? json_string(k->states[t->to].code) : json_null());
    json_object_set_new(o, "perm", json_string(perm_code(t->perm)));
    const struct flow_relation *rel = relation_find(k, t->relation);
    json_object_set_new(
        o, "relation",
        rel ? label_json(json_pack("{s:s}", "code", rel->code), rel->zh, rel->en, lang)
            : json_null());
    json_object_set_new(o, "note_required", json_boolean(t->note_required));
    json_object_set_new(o, "note_max", json_integer(FLOW_NOTE_MAX));
    json_object_set_new(o, "prefill", json_boolean(t->prefill));
    json_object_set_new(o, "note_label",
                        t->note_zh ? label_json(json_object(), t->note_zh, t->note_en, lang)
                                   : json_null());
    json_object_set_new(o, "attachments", json_boolean(k->file_owner != NULL));
    json_t *args = json_array();
    for (int i = 0; i < t->n_args; i++)
        json_array_append_new(args, arg_json(&t->args[i], lang));
    json_object_set_new(o, "args", args);
    json_t *guards = json_array();
    for (int i = 0; i < t->n_guards; i++)
        json_array_append_new(guards,
                              label_json(json_object(), t->guards[i].zh, t->guards[i].en, lang));
    json_object_set_new(o, "guards", guards);
    json_t *clocks = json_array();
    for (int i = 0; i < t->n_clocks; i++)
        json_array_append_new(clocks, json_pack("{s:s,s:s}", "clock", t->clocks[i].clock, "op",
                                                clock_op_codes[t->clocks[i].op]));
    json_object_set_new(o, "clocks", clocks);
    json_object_set_new(o, "style", json_string(t->style ? t->style : "default"));
    json_object_set_new(o, "confirm",
                        t->confirm
                            ? json_pack("{s:s,s:s,s:s}", "zh", t->confirm->zh, "en", t->confirm->en,
                                        "text", lang ? t->confirm->en : t->confirm->zh)
                            : json_null());
    json_object_set_new(o, "warn",
                        t->warn ? json_pack("{s:s,s:I,s:s,s:s,s:s}", "arg", t->warn->arg, "below",
                                            (json_int_t)t->warn->below, "zh", t->warn->zh, "en",
                                            t->warn->en, "text", lang ? t->warn->en : t->warn->zh)
                                : json_null());
    return o;
}

json_t *flow_kind_json(struct db *db, const struct flow_kind *k, int lang) {
    json_t *o = flow_kind_summary_json(k, lang);
    json_t *states = json_array();
    for (int i = 0; i < k->n_states; i++) {
        const struct flow_state *s = &k->states[i];
        json_t *so = label_json(json_pack("{s:s,s:b}", "code", s->code, "final", s->final), s->zh,
                                s->en, lang);
        json_object_set_new(so, "tag", s->tag ? json_string(s->tag) : json_null());
        json_array_append_new(states, so);
    }
    json_object_set_new(o, "states", states);
    json_t *ts = json_array();
    for (int i = 0; i < k->n_transitions; i++)
        json_array_append_new(ts, transition_json(k, &k->transitions[i], lang));
    json_object_set_new(o, "transitions", ts);
    json_t *clocks = json_array();
    for (int i = 0; i < k->n_clocks; i++) {
        const struct flow_clock_def *d = &k->clocks[i];
        int64_t period = d->period_setting ? setting_int(db, d->period_setting) : d->period;
        json_t *co =
            label_json(json_pack("{s:s,s:I,s:s,s:i}", "code", d->code, "period", (json_int_t)period,
                                 "unit", clock_unit_codes[d->unit], "remind_days", d->remind_days),
                       d->zh, d->en, lang);
        json_object_set_new(co, "period_setting",
                            d->period_setting ? json_string(d->period_setting) : json_null());
        json_array_append_new(clocks, co);
    }
    json_object_set_new(o, "clocks", clocks);
    return o;
}

/* ---- the timeline ---- */

/* Every event of the record, oldest first, in two queries whatever their number: the events
 * (with the acting unit's name), and when the kind takes attachments all those of the record's
 * events at once (the attachments table joined to the timeline by the event id). */
json_t *flow_timeline_json(struct db *db, struct arena *a, const struct flow_kind *k, int64_t id,
                           int lang) {
    if (!k->events_table) return json_array();
    json_t *items = json_array();
    struct db_stmt *st = db_queryv(
        db,
        arena_printf(a,
                     "SELECT ev.id, ev.at, ev.actor_id, ev.actor_name, ev.unit_id, u.name AS "
                     "unit_name, ev.action, ev.note, ev.detail FROM %s ev "
                     "LEFT JOIN units u ON u.id = ev.unit_id WHERE ev.%s = ? ORDER BY ev.id",
                     k->events_table, k->events_key),
        "i", id);
    int rc = st ? db_rows_json(st, items) : DB_ERROR;
    db_done(st);
    json_t *files = k->file_owner ? json_array() : NULL;
    if (rc == DB_OK && files && json_array_size(items)) {
        st = db_queryv(db,
                       arena_printf(a,
                                    "SELECT f.owner_id AS event_id, f.id, f.name, f.size, f.mime "
                                    "FROM attachments f JOIN %s ev ON ev.id = f.owner_id "
                                    "WHERE f.owner_type = ? AND ev.%s = ? ORDER BY f.id",
                                    k->events_table, k->events_key),
                       "si", k->file_owner, id);
        rc = st ? db_rows_json(st, files) : DB_ERROR;
        db_done(st);
    }
    if (rc != DB_OK) {
        json_decref(items);
        json_decref(files);
        return NULL;
    }
    size_t i;
    json_t *e;
    json_array_foreach(items, i, e) {
        const char *action = json_string_value(json_object_get(e, "action"));
        const char *name = flow_action_label(k, action, lang);
        /* "<action>_refused": an attempt the engine refused, kept on the timeline with its
         * reason as the note (e.g. 集体讨论决定 before the legality review) */
        size_t n = action ? strlen(action) : 0;
        if (!name && n > 8 && !strcmp(action + n - 8, "_refused")) {
            const char *base = arena_printf(a, "%.*s", (int)(n - 8), action);
            const char *label = flow_action_label(k, base, lang);
            if (label) name = arena_printf(a, lang ? "%s (refused)" : "%s（被拒绝）", label);
        }
        json_object_set_new(e, "action_name", name ? json_string(name) : json_null());
        const char *detail = json_string_value(json_object_get(e, "detail"));
        json_t *d = detail && *detail ? json_loads(detail, 0, NULL) : NULL;
        json_object_set_new(e, "detail", json_is_object(d) ? d : json_object());
        if (d && !json_is_object(d)) json_decref(d);
        json_t *own = json_array();
        int64_t ev = json_integer_value(json_object_get(e, "id"));
        size_t j;
        json_t *f;
        json_array_foreach(files, j, f) {
            if (json_integer_value(json_object_get(f, "event_id")) != ev) continue;
            json_t *copy = json_deep_copy(f);
            json_object_del(copy, "event_id");
            json_array_append_new(own, copy);
        }
        json_object_set_new(e, "files", own);
    }
    json_decref(files);
    return items;
}

int flow_event_record(struct db *db, struct arena *a, const struct flow_kind *k, int64_t event_id,
                      int64_t *record_id) {
    if (!k->events_table) return DB_DONE;
    return db_query_int(
        db, record_id,
        arena_printf(a, "SELECT %s FROM %s WHERE id = ?", k->events_key, k->events_table), "i",
        event_id);
}
