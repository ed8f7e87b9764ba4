/* entity_write.c — writes (the declaration's hooks, or generic INSERT/UPDATE/DELETE of the
 * declared columns with their audit record) and the declaration as served to the web. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/calendar.h"
#include "base/timeutil.h"
#include "features/entity/entity.h"
#include "features/files/files.h"
#include "features/flow/flow.h"

static const char *audit_type(const struct entity *e) {
    return e->audit_type ? e->audit_type : e->name;
}

static int audit_write(struct entity_write *w, const char *verb, json_t *detail) {
    const struct entity *e = w->c->ent;
    char oid[24], *text = detail ? json_dumps(detail, JSON_COMPACT) : NULL;
    snprintf(oid, sizeof oid, "%lld", (long long)w->id);
    int rc =
        audit_append(w->c->db, w->actor, arena_printf(w->c->arena, "%s.%s", audit_type(e), verb),
                     audit_type(e), oid, "ok", text ? text : "");
    free(text);
    return rc;
}

/* A checked value as a bound parameter: integers and booleans as 'i', text as 's' ("" dates
 * and nulls as NULL). */
static void bind_value(struct query *q, const struct field *f, json_t *v) {
    if (json_is_integer(v))
        query_add(q, "?", "i", (int64_t)json_integer_value(v));
    else if (json_is_boolean(v))
        query_add(q, "?", "i", (int64_t)json_is_true(v));
    else if (json_is_string(v) && !(f->type == FT_DATE && !*json_string_value(v)))
        query_add(q, "?", "s", json_string_value(v));
    else
        query_add(q, "?", "s", (const char *)NULL);
}

int entity_number_set(struct db *db, struct arena *a, const struct entity *e, int64_t id,
                      const char *day, const char **no) {
    char today[11];
    if (!day || strlen(day) < 4) {
        date_format(date_today(), today);
        day = today;
    }
    *no = arena_printf(a, "%s%.4s-%06lld", e->number->prefix, day, (long long)id);
    return db_exec(db,
                   arena_printf(a, "UPDATE %s SET %s = ? WHERE %s = ?", e->table, e->number->column,
                                e->key ? e->key : "id"),
                   "si", *no, id);
}

static int generic_insert(struct entity_write *w) {
    const struct entity *e = w->c->ent;
    struct arena *a = w->c->arena;
    char now[21];
    now_iso(now);
    struct query q;
    query_init(&q, a, arena_printf(a, "INSERT INTO %s (", e->table));
    int n = 0;
    for (int i = 0; i < e->n_fields; i++)
        if (json_object_get(w->in, e->fields[i].name) && !(e->fields[i].flags & F_VIRTUAL))
            query_add(&q, arena_printf(a, "%s%s", n++ ? ", " : "", e->fields[i].name), "");
    query_add(&q, n ? ", created_at, updated_at) VALUES (" : "created_at, updated_at) VALUES (",
              "");
    for (int i = 0; i < e->n_fields; i++) {
        json_t *v = json_object_get(w->in, e->fields[i].name);
        if (!v || (e->fields[i].flags & F_VIRTUAL)) continue;
        bind_value(&q, &e->fields[i], v);
        query_add(&q, ", ", "");
    }
    query_add(&q, arena_printf(a, "?, ?) RETURNING %s", e->key ? e->key : "id"), "ss", now, now);
    struct db_stmt *st = query_prepare(w->c->db, &q);
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW) w->id = db_col_int(st, 0);
    db_done(st);
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERROR;
    const char *no;
    if (e->number && (rc = entity_number_set(
                          w->c->db, a, e, w->id,
                          e->number->date_field ? entity_text(w->in, e->number->date_field) : NULL,
                          &no)) != DB_OK)
        return rc;
    return audit_write(w, "create", w->in);
}

static int generic_update(struct entity_write *w) {
    const struct entity *e = w->c->ent;
    struct arena *a = w->c->arena;
    struct query q;
    query_init(&q, a, arena_printf(a, "UPDATE %s SET ", e->table));
    int n = 0;
    for (int i = 0; i < e->n_fields; i++) {
        json_t *v = json_object_get(w->in, e->fields[i].name);
        if (!v || (e->fields[i].flags & F_VIRTUAL)) continue;
        query_add(&q, arena_printf(a, "%s%s = ", n++ ? ", " : "", e->fields[i].name), "");
        bind_value(&q, &e->fields[i], v);
    }
    if (!n) return audit_write(w, "update", w->in);
    query_add(&q, arena_printf(a, " WHERE %s = ?", e->key ? e->key : "id"), "i", w->id);
    struct db_stmt *st = query_prepare(w->c->db, &q);
    int rc = st ? db_step(st) : DB_ERROR;
    db_done(st);
    if (rc != DB_DONE) return rc < 0 ? rc : DB_ERROR;
    return audit_write(w, "update", w->in);
}

static int generic_remove(struct entity_write *w) {
    const struct entity *e = w->c->ent;
    int rc = db_exec(
        w->c->db,
        arena_printf(w->c->arena, "DELETE FROM %s WHERE %s = ?", e->table, e->key ? e->key : "id"),
        "i", w->id);
    if (rc == DB_CONSTRAINT) return ENTITY_IN_USE; /* still referenced */
    if (rc != DB_OK) return rc;
    return audit_write(w, "delete", NULL);
}

/* 当事人 after the record's own write, in the same transaction (the record's id is known). */
static int write_parties(struct entity_write *w, int rc) {
    const struct entity *e = w->c->ent;
    if (rc != DB_OK || !e->parties || !w->parties) return rc;
    return entity_parties_write(w->c->db, w->c->arena, e->parties, w->id, w->parties);
}

/* The record, its parties, what follows from them (a repeat petition's link); and a record of a
 * kind with a timeline starts it with its creation (登记: who, when, in which unit), unless the
 * create hook wrote a first event itself. */
int entity_generic_create(struct entity_write *w) {
    return generic_insert(w);
}
int entity_generic_update(struct entity_write *w) {
    return generic_update(w);
}
int entity_generic_remove(struct entity_write *w) {
    return generic_remove(w);
}

int entity_create(struct entity_write *w) {
    const struct entity *e = w->c->ent;
    int rc = write_parties(w, e->create ? e->create(w) : generic_insert(w));
    if (rc == DB_OK && e->created) rc = e->created(w);
    if (rc != DB_OK || !e->kind || !w->id) return rc;
    struct flow_actor actor = {w->c->who, w->actor};
    return flow_event_append(w->c->db, w->c->arena, &actor, e->kind, w->id, "create", "", "", 1) ==
                   FLOW_OK
               ? DB_OK
               : DB_ERROR;
}

int entity_edit_refused(struct entity_write *w) {
    const struct entity *e = w->c->ent;
    if (!e->edit_states || !e->kind || !w->cur) return 0;
    const char *status = json_string_value(json_object_get(w->cur, "status"));
    for (int i = 0; status && e->edit_states[i]; i++)
        if (!strcmp(e->edit_states[i], status)) return 0;
    int k = status ? flow_state_index(e->kind, status) : -1;
    const char *zh = k >= 0 ? e->kind->states[k].zh : (status ? status : "");
    const char *en = k >= 0 ? e->kind->states[k].en : (status ? status : "");
    w->zh = arena_printf(w->c->arena, "%s的记录不能修改", zh);
    w->en = arena_printf(w->c->arena, "A record that is %s cannot be edited", en);
    return 1;
}

int entity_update(struct entity_write *w) {
    if (entity_edit_refused(w)) return ENTITY_FORBIDDEN;
    return write_parties(w, w->c->ent->update ? w->c->ent->update(w) : generic_update(w));
}

/* A record removed takes its parties with it (their sealed values leave the database). */
int entity_remove(struct entity_write *w) {
    const struct entity *e = w->c->ent;
    int rc = e->remove ? e->remove(w) : generic_remove(w);
    if (rc == DB_OK && e->parties)
        rc = db_exec(w->c->db, "DELETE FROM case_parties WHERE kind = ? AND record_id = ?", "si",
                     e->parties->kind, w->id);
    return rc;
}

/* ---- the declaration served to the web ---- */

static json_t *options_json(const struct field_option *o, const unsigned char *off, int n,
                            int lang) {
    json_t *a = json_array();
    for (int i = 0; i < n; i++) {
        json_t *x = json_pack("{s:s,s:s,s:s,s:s,s:s}", "value", o[i].code, "label",
                              lang ? o[i].en : o[i].zh, "zh", o[i].zh, "en", o[i].en, "tag",
                              o[i].tag ? o[i].tag : "");
        /* a dictionary's disabled item: shown for the records that have it, not offered */
        if (off && off[i]) json_object_set_new(x, "disabled", json_true());
        json_array_append_new(a, x);
    }
    return a;
}

static int has_limits(const struct field *f) {
    return f->type == FT_TEXT || f->type == FT_LONGTEXT || f->type == FT_PHONE ||
           (f->type == FT_INT && (f->min || f->max));
}

json_t *fields_json(const struct field *fields, int n, int lang) {
    json_t *out = json_array();
    for (int i = 0; i < n; i++) {
        const struct field *f = &fields[i];
        if (f->flags & F_INTERNAL) continue;
        unsigned g = f->flags;
        json_t *o = json_pack(
            "{s:s,s:s,s:s,s:s,s:s,s:b,s:b,s:b,s:b,s:b,s:b,s:b,s:b,s:b,s:b,s:b,s:b}", "name",
            f->name, "type", field_type_code(f->type), "label", lang ? f->en : f->zh, "zh", f->zh,
            "en", f->en, "required", !!(g & F_REQUIRED), "list", !!(g & F_LIST), "filter",
            !!(g & F_FILTER), "sort", !!(g & F_SORT), "search", !!(g & F_SEARCH), "export",
            !!(g & F_EXPORT), "import", !!(g & F_IMPORT), "create", !!(g & F_CREATE), "update",
            !!(g & F_UPDATE), "readonly", !!(g & F_READONLY), "multi", !!(g & F_MULTI),
            "label_field", !!(g & F_LABEL));
        json_object_set_new(o, "min",
                            !has_limits(f) ? json_null()
                            : f->decimals  ? field_decimal_json(f, f->min)
                                           : json_integer(f->min));
        json_object_set_new(o, "max",
                            !has_limits(f) ? json_null()
                            : f->decimals  ? field_decimal_json(f, f->max)
                                           : json_integer(f->max));
        if (f->type == FT_INT && f->decimals)
            json_object_set_new(o, "decimals", json_integer(f->decimals));
        json_object_set_new(o, "max_items", g & F_MULTI ? json_integer(f->max_items) : json_null());
        json_object_set_new(o, "options",
                            f->type == FT_ENUM
                                ? options_json(f->options, f->disabled, f->n_options, lang)
                                : json_array());
        json_object_set_new(o, "ref", f->ref ? json_string(f->ref) : json_null());
        json_object_set_new(o, "import_key",
                            g & F_IMPORT ? json_string(field_import_key(f)) : json_null());
        json_object_set_new(o, "hint", f->hint ? json_string(f->hint) : json_null());
        json_object_set_new(o, "dict", f->dict ? json_string(f->dict) : json_null());
        json_array_append_new(out, o);
    }
    return out;
}

const struct flow_kind *entity_batch_kind(const struct entity *e) {
    return e->kind ? e->kind : e->batch_kind;
}

const struct perm_def *entity_batch_perm(const struct entity *e, const char *action) {
    for (int i = 0; e->batch_actions && e->batch_actions[i]; i++) {
        if (strcmp(e->batch_actions[i], action)) continue;
        if (!strcmp(action, "delete")) return e->perm_delete;
        const struct flow_kind *k = entity_batch_kind(e);
        const struct flow_transition *t = k ? flow_transition_find(k, action) : NULL;
        return t ? t->perm : NULL;
    }
    return NULL;
}

/* The batch actions the caller holds the permission of: [{action, label, zh, en, style,
 * note_required}], in the declaration's order. */
json_t *entity_batch_json(const struct entity *e, const struct principal *who, int lang) {
    json_t *out = json_array();
    const struct flow_kind *k = entity_batch_kind(e);
    for (int i = 0; e->batch_actions && e->batch_actions[i]; i++) {
        const char *a = e->batch_actions[i];
        const struct perm_def *p = entity_batch_perm(e, a);
        if (!p || !perm_gate(who->perms, p)) continue;
        const struct flow_transition *t =
            strcmp(a, "delete") && k ? flow_transition_find(k, a) : NULL;
        const char *zh = t ? t->zh : "删除", *en = t ? t->en : "Delete";
        json_array_append_new(out, json_pack("{s:s,s:s,s:s,s:s,s:s,s:b}", "action", a, "label",
                                             lang ? en : zh, "zh", zh, "en", en, "style",
                                             t && t->style ? t->style : "danger", "note_required",
                                             t ? t->note_required : 0));
    }
    return out;
}

static int has_flag(const struct entity *e, unsigned flag) {
    for (int i = 0; i < e->n_fields; i++)
        if (e->fields[i].flags & flag) return 1;
    return 0;
}

/* The child records shown on a record's page that the caller may read: [{entity, column, path,
 * title, zh, en, can_create}] — the child's list filtered by `column` = the record's id, its
 * create form with that column filled in. */
static json_t *children_json(const struct entity *e, const struct principal *who, int lang) {
    json_t *out = json_array();
    for (int i = 0; i < e->n_children; i++) {
        const struct entity_child *ch = &e->children[i];
        const struct entity *c = entity_by_name(ch->entity);
        if (!c || !entity_can_read(c, who)) continue;
        json_array_append_new(
            out, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:b}", "entity", c->name, "column", ch->column,
                           "path", c->path, "title", lang ? c->en : c->zh, "zh", c->zh, "en", c->en,
                           "can_create", c->perm_create && perm_gate(who->perms, c->perm_create)));
    }
    return out;
}

json_t *entity_declaration_json(const struct entity *e, const struct principal *who, int lang) {
    const struct perm_def *exp = e->perm_export ? e->perm_export : e->perm_read;
    const struct perm_def *imp = e->perm_import ? e->perm_import : e->perm_create;
    json_t *can =
        json_pack("{s:b,s:b,s:b,s:b,s:b,s:b}", "read", perm_gate(who->perms, e->perm_read),
                  "create", e->perm_create && perm_gate(who->perms, e->perm_create), "update",
                  e->perm_update && perm_gate(who->perms, e->perm_update), "delete",
                  e->perm_delete && perm_gate(who->perms, e->perm_delete), "export",
                  has_flag(e, F_EXPORT) && perm_gate(who->perms, exp), "import",
                  has_flag(e, F_IMPORT) && imp && perm_gate(who->perms, imp));
    const struct entity_scope *s = &e->scope;
    json_t *scope = json_pack("{s:s}", "rule",
                              s->unit_column   ? "unit"
                              : s->link.table  ? "unit_link"
                              : s->user_column ? "user"
                                               : "all");
    if (s->unscoped) json_object_set_new(scope, "why", json_string(s->unscoped));
    /* unit scope: the field of the answer that holds the unit deciding it */
    for (int i = 0; s->unit_column && i < e->n_fields; i++) {
        const struct field *f = &e->fields[i];
        size_t an = strlen(e->alias);
        int same = f->sql ? !strcmp(f->sql, s->unit_column)
                          : !strncmp(s->unit_column, e->alias, an) && s->unit_column[an] == '.' &&
                                !strcmp(s->unit_column + an + 1, f->name);
        if (same && !(f->flags & (F_VIRTUAL | F_INTERNAL))) {
            json_object_set_new(scope, "field", json_string(f->name));
            break;
        }
    }
    json_t *filters = json_array();
    for (int i = 0; i < e->n_filters; i++) {
        const struct entity_filter *x = &e->filters[i];
        json_t *o =
            json_pack("{s:s,s:s,s:s,s:s,s:s}", "name", x->name, "type", field_type_code(x->type),
                      "label", lang ? x->en : x->zh, "zh", x->zh, "en", x->en);
        json_object_set_new(o, "options",
                            x->type == FT_ENUM ? options_json(x->options, NULL, x->n_options, lang)
                                               : json_array());
        json_array_append_new(filters, o);
    }
    json_t *sorts = json_array();
    for (int i = 0; i < e->n_sorts; i++)
        json_array_append_new(sorts, json_string(e->sorts[i].name));
    for (int i = 0; i < e->n_fields; i++) {
        int dup = 0;
        for (int k = 0; k < e->n_sorts; k++)
            dup |= !strcmp(e->sorts[k].name, e->fields[i].name);
        if ((e->fields[i].flags & F_SORT) && !dup)
            json_array_append_new(sorts, json_string(e->fields[i].name));
    }
    json_t *o = json_pack(
        "{s:s,s:s,s:s,s:s,s:s,s:s,s:i,s:o,s:o,s:o,s:o,s:o}", "name", e->name, "path", e->path,
        "title", lang ? e->en : e->zh, "zh", e->zh, "en", e->en, "default_sort", e->default_sort,
        "per_page", e->per_page ? e->per_page : 20, "scope", scope, "can", can, "fields",
        fields_json(e->fields, e->n_fields, lang), "filters", filters, "sorts", sorts);
    json_object_set_new(o, "batch", entity_batch_json(e, who, lang));
    /* the workflow whose buttons the record's allowed_actions open (GET /api/v1/kinds/{kind}) */
    json_object_set_new(o, "kind", e->kind ? json_string(flow_kind_name(e->kind)) : json_null());
    /* 当事人: the editor's roles and limits; whether the caller may see values whole */
    if (e->parties) {
        json_t *p = entity_parties_json(e->parties, lang);
        json_object_set_new(p, "can_reveal", json_boolean(perm_gate(who->perms, &perm_pii_reveal)));
        json_object_set_new(o, "parties", p);
    } else {
        json_object_set_new(o, "parties", json_null());
    }
    /* 草案版本: {path}/{id}/versions exists (entity_versions_http.c), with the body's limit */
    json_object_set_new(o, "versions",
                        e->versions ? json_pack("{s:s,s:s,s:s,s:I}", "label",
                                                lang ? e->versions->en : e->versions->zh, "zh",
                                                e->versions->zh, "en", e->versions->en, "max_chars",
                                                (json_int_t)e->versions->max_chars)
                                    : json_null());
    /* the states whose records 编辑 may change (null: every state not final) */
    json_t *es = e->edit_states ? json_array() : json_null();
    for (int i = 0; e->edit_states && e->edit_states[i]; i++)
        json_array_append_new(es, json_string(e->edit_states[i]));
    json_object_set_new(o, "edit_states", es);
    /* GET {path}/{id}/timeline exists (entity_http.c) */
    json_object_set_new(o, "timeline", json_boolean(e->kind && e->kind->events_table));
    json_object_set_new(o, "children", children_json(e, who, lang));
    /* the field a record is called by (its number: the kind's title column), for its page */
    const char *tf = e->title_field ? e->title_field
                     : e->kind      ? e->kind->title_column
                     : e->number    ? e->number->column
                                    : NULL;
    json_object_set_new(o, "title_field",
                        tf && entity_field(e, tf) ? json_string(tf) : json_null());
    return o;
}

const char *entity_text(json_t *in, const char *key) {
    const char *s = json_string_value(json_object_get(in, key));
    return s ? s : "";
}

int entity_claim_files(struct entity_write *w, json_t *ids, const char *owner, int max) {
    if (!ids) return DB_OK;
    if (!json_is_array(ids) || json_array_size(ids) > (size_t)max) {
        problem_add(w->pr, "attachment_ids", arena_printf(w->c->arena, "至多 %d 个附件", max),
                    arena_printf(w->c->arena, "At most %d attachments", max));
        return ENTITY_INVALID;
    }
    int64_t *list = arena_alloc(w->c->arena, sizeof *list * (size_t)(max > 0 ? max : 1));
    int n = 0;
    size_t i;
    json_t *v;
    json_array_foreach(ids, i, v) {
        if (!json_is_integer(v) || json_integer_value(v) < 1) {
            problem_add(w->pr, "attachment_ids", "附件无效", "Not an attachment");
            return ENTITY_INVALID;
        }
        list[n++] = (int64_t)json_integer_value(v);
    }
    if (!n) return DB_OK;
    int rc = files_claim(w->c->db, w->actor->user_id, list, n, owner, w->id);
    if (rc == FILES_ERR_UNCLAIMABLE) {
        problem_add(w->pr, "attachment_ids", "附件不存在或已被使用，请重新上传",
                    "An attachment is unknown or already used; upload it again");
        return ENTITY_INVALID;
    }
    return rc;
}
