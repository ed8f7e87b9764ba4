/* entity_dict.c — enum fields whose options come from the data dictionary (field.dict): the
 * entity as one request sees it, with the dictionary's items as those fields' options. */
#include <stdio.h>
#include <string.h>

#include "features/dict/dict.h"
#include "features/entity/entity.h"

/* The dictionary's items of f (all, with their disabled marks), or 0 when it names none or
 * the dictionary cannot be read (the declared options then apply). */
static int dict_items_of(const struct entity_ctx *c, const struct field *f,
                         const struct field_option **all, const unsigned char **off) {
    int k = 0;
    if (!f->dict || dict_options(c->db, c->arena, f->dict, all, off, &k) != DB_OK) return 0;
    return k;
}

const struct field_option *entity_field_options(const struct entity_ctx *c, const struct field *f,
                                                int which, int *n) {
    const struct field_option *all;
    const unsigned char *off;
    int k = dict_items_of(c, f, &all, &off);
    *n = f->n_options;
    if (!k) return f->options;
    if (which == FO_ALL) {
        *n = k;
        return all;
    }
    struct field_option *on = arena_alloc(c->arena, sizeof(*on) * (size_t)k);
    int m = 0;
    for (int i = 0; i < k; i++)
        if (!off[i]) on[m++] = all[i];
    *n = m;
    return on;
}

static int has_dict_field(const struct entity *e) {
    for (int i = 0; i < e->n_fields; i++)
        if (e->fields[i].dict) return 1;
    return 0;
}

const struct entity *entity_resolved(const struct entity_ctx *c, int which) {
    const struct entity *e = c->ent;
    if (!has_dict_field(e)) return e;
    struct entity *copy = arena_alloc(c->arena, sizeof(*copy));
    *copy = *e;
    struct field *fields = arena_alloc(c->arena, sizeof(*fields) * (size_t)e->n_fields);
    memcpy(fields, e->fields, sizeof(*fields) * (size_t)e->n_fields);
    for (int i = 0; i < e->n_fields; i++) {
        if (!fields[i].dict) continue;
        const struct field_option *all;
        const unsigned char *off;
        int k = dict_items_of(c, &e->fields[i], &all, &off);
        if (!k) continue;
        if (which == FO_ALL) {
            fields[i].options = all;
            fields[i].disabled = off;
            fields[i].n_options = k;
        } else { /* no enabled item left: nothing can be chosen, never the seed */
            fields[i].options =
                entity_field_options(c, &e->fields[i], FO_NEW, &fields[i].n_options);
            fields[i].disabled = NULL;
        }
    }
    copy->fields = fields;
    return copy;
}

int entity_dict_in_use(struct db *db, const char *type, const char *code, int *used) {
    *used = 0;
    for (int i = 0; i < entity_count_registered() && !*used; i++) {
        const struct entity *e = entity_at(i);
        for (int k = 0; k < e->n_fields && !*used; k++) {
            const struct field *f = &e->fields[k];
            if (!f->dict || strcmp(f->dict, type) || f->sql || (f->flags & F_VIRTUAL)) continue;
            char sql[256]; /* identifiers of a static declaration, checked at registration */
            snprintf(sql, sizeof sql, "SELECT 1 FROM %s WHERE %s = ? LIMIT 1", e->table, f->name);
            struct db_stmt *st = db_queryv(db, sql, "s", code);
            int rc = st ? db_step(st) : DB_ERROR;
            db_done(st);
            if (rc == DB_ROW)
                *used = 1;
            else if (rc != DB_DONE)
                return rc < 0 ? rc : DB_ERROR;
        }
    }
    return DB_OK;
}
