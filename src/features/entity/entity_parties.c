/* entity_parties.c — 当事人 of case records (entity.h: struct entity_parties): one table,
 * case_parties, for every register. Per party the name, the 居民身份证 number and the phone are
 * each kept sealed (base/crypto.h: the row's id and the column as associated data), masked
 * (what answers show) and — name and ID number — as a keyed blind index (exact search without
 * decrypting). Nothing here writes a whole value anywhere but into the sealed columns. */
#include <stdio.h>
#include <string.h>

#include "base/crypto.h"
#include "base/pii.h"
#include "base/timeutil.h"
#include "base/utf8.h"
#include "features/entity/entity.h"

/* Declarations leave trailing fields out: 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#define PARTY_NAME_MAX 50 /* characters of a party's name */

/* The blind index of a value of one kind: "id:" / "name:" keep the two apart. */
static const char *bidx(struct arena *a, const char *what, const char *value) {
    char hex[65];
    if (pii_blind_index(arena_printf(a, "%s:%s", what, value), hex) != 0) return NULL;
    return arena_strdup(a, hex);
}

const char *entity_parties_id_index(struct arena *a, const char *id_no) {
    char n[PII_ID_LEN + 1];
    pii_id_normalise(id_no, n);
    return bidx(a, "id", n);
}

static const char *name_index(struct arena *a, const char *name) {
    return bidx(a, "name", name);
}

/* ---- checking a body's parties ---- */

int entity_parties_check(struct arena *a, const struct entity_parties *d, json_t *v, unsigned mode,
                         struct problems *pr, json_t **out) {
    *out = NULL;
    if (!v || json_is_null(v)) {
        if (!(mode & FV_CREATE)) return DB_OK; /* update: absent = unchanged */
        v = NULL;
    } else if (!json_is_array(v)) {
        problem_add(pr, "parties", "须为当事人列表", "Must be a list of parties");
        return ENTITY_INVALID;
    }
    int n = v ? (int)json_array_size(v) : 0, bad = pr->n;
    if (n < d->min || n > d->max) {
        problem_add(pr, "parties",
                    d->min == d->max ? arena_printf(a, "须有 %d 名当事人", d->min)
                                     : arena_printf(a, "当事人须为 %d 到 %d 名", d->min, d->max),
                    d->min == d->max ? arena_printf(a, "Exactly %d parties", d->min)
                                     : arena_printf(a, "%d to %d parties", d->min, d->max));
        if (n > d->max) return ENTITY_INVALID; /* do not walk a huge list */
    }
    const struct field pf[] = {
        {"role", FT_ENUM, "身份", "Role", 0, 0, F_REQUIRED, d->roles, d->n_roles},
        {"name", FT_TEXT, "姓名", "Name", 1, PARTY_NAME_MAX, F_REQUIRED},
        {"id_no", FT_TEXT, "身份证号码", "ID number", 0, PII_ID_LEN, 0},
        {"phone", FT_PHONE, "联系电话", "Phone", 0, 20, 0},
    };
    json_t *res = json_array();
    for (int i = 0; i < n; i++) {
        json_t *item = json_array_get(v, (size_t)i);
        const char *at = arena_printf(a, "parties[%d]", i);
        if (!json_is_object(item)) {
            problem_add(pr, at, "须为对象", "Must be an object");
            continue;
        }
        struct problems one = {.arena = a};
        json_t *x = fields_check(pf, ENTITY_N(pf), item, FV_ALL, &one);
        const char *id_no = entity_text(x, "id_no"), *phone = entity_text(x, "phone");
        /* the messages never repeat the value: errors are logged and shown */
        if (*id_no && !problems_has(&one, "id_no") && !pii_id_valid(id_no))
            problem_add(&one, "id_no", "身份证号码无效（须为 18 位，出生日期和校验位正确）",
                        "Not a valid ID card number (18 characters, a real birth date and the "
                        "right check digit)");
        if (*phone && !problems_has(&one, "phone") && !pii_phone_valid(phone))
            problem_add(&one, "phone", "电话号码格式不正确", "Not a valid phone number");
        for (int k = 0; k < one.n; k++)
            problem_add(pr, arena_printf(a, "%s.%s", at, one.p[k].field), one.p[k].zh, one.p[k].en);
        if (*id_no) {
            char norm[PII_ID_LEN + 1];
            pii_id_normalise(id_no, norm);
            json_object_set_new(x, "id_no", json_string(norm));
        }
        json_array_append_new(res, x);
    }
    if (pr->n > bad) {
        json_decref(res);
        return ENTITY_INVALID;
    }
    *out = res;
    return DB_OK;
}

/* ---- writing ---- */

int entity_parties_write(struct db *db, struct arena *a, const struct entity_parties *d,
                         int64_t record_id, json_t *parties) {
    if (!pii_key_current()) return DB_ERROR; /* never a party without its key */
    int rc = db_exec(db, "DELETE FROM case_parties WHERE kind = ? AND record_id = ?", "si", d->kind,
                     record_id);
    char now[21];
    now_iso(now);
    size_t i;
    json_t *p;
    json_array_foreach(parties, i, p) {
        if (rc != DB_OK) break;
        const char *role = entity_text(p, "role"), *name = entity_text(p, "name");
        const char *id_raw = entity_text(p, "id_no"), *phone = entity_text(p, "phone");
        char id_no[PII_ID_LEN + 1];
        pii_id_normalise(id_raw, id_no);
        struct db_stmt *st = db_prepare(
            db, "INSERT INTO case_parties (kind, record_id, role, name_masked, name_bidx, "
                "id_masked, id_bidx, phone_masked, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "RETURNING id");
        if (!st) return DB_ERROR;
        db_bind_text(st, 1, d->kind);
        db_bind_int(st, 2, record_id);
        db_bind_text(st, 3, role);
        db_bind_text(st, 4, pii_name_mask(a, name));
        db_bind_text(st, 5, *name ? name_index(a, name) : NULL);
        db_bind_text(st, 6, pii_id_mask(a, id_no));
        db_bind_text(st, 7, *id_no ? entity_parties_id_index(a, id_no) : NULL);
        db_bind_text(st, 8, pii_phone_mask(a, phone));
        db_bind_text(st, 9, now);
        int64_t pid = 0;
        rc = db_step(st);
        if (rc == DB_ROW) pid = db_col_int(st, 0);
        db_done(st);
        if (rc != DB_ROW) return rc < 0 ? rc : DB_ERROR;
        /* sealed once the row has its id: the associated data names it */
        rc = db_exec(
            db, "UPDATE case_parties SET name_enc = ?, id_enc = ?, phone_enc = ? WHERE id = ?",
            "sssi", *name ? pii_seal(a, pii_ad(a, "case_parties", pid, "name_enc"), name) : NULL,
            *id_no ? pii_seal(a, pii_ad(a, "case_parties", pid, "id_enc"), id_no) : NULL,
            *phone ? pii_seal(a, pii_ad(a, "case_parties", pid, "phone_enc"), phone) : NULL, pid);
    }
    return rc;
}

int entity_parties_same_person(struct db *db, struct arena *a, const struct entity_parties *d,
                               int64_t record_id, int max, int64_t **ids, int *n) {
    *n = 0;
    *ids = arena_alloc(a, (size_t)(max > 0 ? max : 1) * sizeof(int64_t));
    struct db_stmt *st =
        db_queryv(db,
                  "SELECT DISTINCT o.record_id FROM case_parties m JOIN case_parties o "
                  "ON o.id_bidx = m.id_bidx AND o.kind = m.kind AND o.record_id <> m.record_id "
                  "WHERE m.kind = ? AND m.record_id = ? AND m.id_bidx IS NOT NULL "
                  "ORDER BY o.record_id DESC LIMIT ?",
                  "sii", d->kind, record_id, (int64_t)max);
    int rc = DB_ERROR;
    while (st && (rc = db_step(st)) == DB_ROW && *n < max)
        (*ids)[(*n)++] = db_col_int(st, 0);
    db_done(st);
    return rc == DB_DONE || rc == DB_ROW ? DB_OK : rc;
}

/* ---- reading: masked, set-based ---- */

static const char *key_of(const struct entity *e) {
    return e->key ? e->key : "id";
}

/* The ids of a page's items (at most QUERY_IDS_MAX), arena. */
static int item_ids(const struct entity_ctx *c, json_t *items, int64_t **ids) {
    int n = 0;
    size_t i;
    json_t *it;
    *ids = arena_alloc(c->arena, (json_array_size(items) + 1) * sizeof(int64_t));
    json_array_foreach(items, i, it) {
        if (n >= QUERY_IDS_MAX) break;
        (*ids)[n++] = json_integer_value(json_object_get(it, key_of(c->ent)));
    }
    return n;
}

static json_t *item_of(const struct entity_ctx *c, json_t *items, int64_t id) {
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it) {
        if (json_integer_value(json_object_get(it, key_of(c->ent))) == id) return it;
    }
    return NULL;
}

enum parties_read { PR_FULL, PR_NAMES, PR_EXPORT_MASKED, PR_EXPORT_WHOLE };

static const char *joined(struct arena *a, const char *had, const char *add) {
    if (!add || !*add) add = "-";
    return *had ? arena_printf(a, "%s、%s", had, add) : add;
}

/* One query for the page: every party of every item, in order. */
static int parties_read(const struct entity_ctx *c, json_t *items, enum parties_read how) {
    const struct entity_parties *d = c->ent->parties;
    int64_t *ids;
    int n = item_ids(c, items, &ids);
    if (!n) return DB_OK;
    size_t k;
    json_t *it;
    json_array_foreach(items, k, it) {
        if (how == PR_FULL) json_object_set_new(it, "parties", json_array());
        json_object_set_new(it, "party_names", json_string(""));
        if (how >= PR_EXPORT_MASKED) {
            json_object_set_new(it, "party_id_nos", json_string(""));
            json_object_set_new(it, "party_phones", json_string(""));
        }
    }
    struct query q;
    query_init(&q, c->arena,
               "SELECT record_id, id, role, name_masked, id_masked, phone_masked, name_enc, "
               "id_enc, phone_enc FROM case_parties WHERE kind = ?");
    query_add(&q, "", "s", d->kind);
    query_add(&q, " AND record_id", "");
    query_add_ids(&q, ids, n);
    query_add(&q, " ORDER BY record_id, id", "");
    struct db_stmt *st = query_prepare(c->db, &q);
    int rc = DB_ERROR;
    while (st && (rc = db_step(st)) == DB_ROW) {
        json_t *row = item_of(c, items, db_col_int(st, 0));
        if (!row) continue;
        int64_t pid = db_col_int(st, 1);
        const char *role = db_col_text(st, 2);
        const char *name = db_col_text(st, 3), *id_no = db_col_text(st, 4);
        const char *phone = db_col_text(st, 5);
        if (how == PR_EXPORT_WHOLE) { /* the exporter holds pii.reveal */
            const char *s;
            s = db_col_text(st, 6);
            if (s) name = pii_open(c->arena, pii_ad(c->arena, "case_parties", pid, "name_enc"), s);
            s = db_col_text(st, 7);
            if (s) id_no = pii_open(c->arena, pii_ad(c->arena, "case_parties", pid, "id_enc"), s);
            s = db_col_text(st, 8);
            if (s)
                phone = pii_open(c->arena, pii_ad(c->arena, "case_parties", pid, "phone_enc"), s);
        }
        if (how == PR_FULL) {
            const char *rn = field_option_label(d->roles, d->n_roles, role, c->lang);
            json_array_append_new(json_object_get(row, "parties"),
                                  json_pack("{s:I,s:s,s:s,s:s,s:s,s:s}", "id", (json_int_t)pid,
                                            "role", role ? role : "", "role_name",
                                            rn ? rn : (role ? role : ""), "name", name ? name : "",
                                            "id_no", id_no ? id_no : "", "phone",
                                            phone ? phone : ""));
        }
        json_object_set_new(row, "party_names",
                            json_string(joined(c->arena, entity_text(row, "party_names"), name)));
        if (how >= PR_EXPORT_MASKED) {
            json_object_set_new(
                row, "party_id_nos",
                json_string(joined(c->arena, entity_text(row, "party_id_nos"), id_no)));
            json_object_set_new(
                row, "party_phones",
                json_string(joined(c->arena, entity_text(row, "party_phones"), phone)));
        }
    }
    db_done(st);
    return rc == DB_DONE ? DB_OK : rc < 0 ? rc : DB_ERROR;
}

int entity_parties_decorate(const struct entity_ctx *c, json_t *items) {
    if (!c->ent->parties || !json_array_size(items)) return DB_OK;
    return parties_read(c, items, c->purpose == EP_GET ? PR_FULL : PR_NAMES);
}

int entity_parties_export(const struct entity_ctx *c, json_t *items, int whole) {
    if (!c->ent->parties || !json_array_size(items)) return DB_OK;
    return parties_read(c, items, whole ? PR_EXPORT_WHOLE : PR_EXPORT_MASKED);
}

int entity_parties_reveal(const struct entity_ctx *c, int64_t record_id, int64_t party_id,
                          const char *field, const char **value) {
    static const struct {
        const char *field, *column;
    } cols[] = {{"name", "name_enc"}, {"id_no", "id_enc"}, {"phone", "phone_enc"}};
    const char *col = NULL;
    for (int i = 0; i < 3; i++)
        if (!strcmp(cols[i].field, field)) col = cols[i].column;
    *value = NULL;
    if (!col || !c->ent->parties) return DB_DONE;
    struct db_stmt *st = db_queryv(
        c->db,
        arena_printf(c->arena,
                     "SELECT %s FROM case_parties WHERE id = ? AND kind = ? AND record_id = ?",
                     col),
        "isi", party_id, c->ent->parties->kind, record_id);
    int rc = st ? db_step(st) : DB_ERROR;
    const char *sealed = rc == DB_ROW ? arena_strdup(c->arena, db_col_text(st, 0)) : NULL;
    db_done(st);
    if (rc != DB_ROW) return rc;
    if (!sealed) {
        *value = "";
        return DB_OK;
    }
    *value = pii_open(c->arena, pii_ad(c->arena, "case_parties", party_id, col), sealed);
    return *value ? DB_OK : DB_ERROR; /* a key missing or the value altered */
}

/* ---- filters: ?id_no= (exact, by the blind index) and ?party_name= ---- */

static void apply_id_no(const struct entity_ctx *c, struct query *q, const char *value) {
    const struct entity *e = c->ent;
    const char *ix = entity_parties_id_index(c->arena, value);
    query_add(q,
              arena_printf(c->arena,
                           " AND %s.%s IN (SELECT cp.record_id FROM case_parties cp WHERE "
                           "cp.id_bidx = ? AND cp.kind = ?)",
                           e->alias, key_of(e)),
              "ss", ix ? ix : "", e->parties->kind);
}

static void apply_name(const struct entity_ctx *c, struct query *q, const char *value) {
    const struct entity *e = c->ent;
    size_t len;
    const char *t = text_trim(value, &len);
    const char *ix = name_index(c->arena, arena_strndup(c->arena, t, len));
    query_add(q,
              arena_printf(c->arena,
                           " AND %s.%s IN (SELECT cp.record_id FROM case_parties cp WHERE "
                           "cp.name_bidx = ? AND cp.kind = ?)",
                           e->alias, key_of(e)),
              "ss", ix ? ix : "", e->parties->kind);
}

static int id_no_ok(const char *v) {
    return pii_id_valid(v);
}

static const struct entity_filter party_filters[] = {
    {"id_no", FT_TEXT, "身份证号码", "ID number", NULL, NULL, PII_ID_LEN, NULL, 0, id_no_ok,
     "身份证号码无效（须为 18 位，出生日期和校验位正确）",
     "Not a valid ID card number (18 characters, a real birth date and the right check digit)",
     apply_id_no},
    {"party_name", FT_TEXT, "当事人姓名", "Party name", NULL, NULL, PARTY_NAME_MAX, NULL, 0, NULL,
     NULL, NULL, apply_name},
};

const struct entity_filter *entity_parties_filters(int *n) {
    *n = ENTITY_N(party_filters);
    return party_filters;
}

json_t *entity_parties_json(const struct entity_parties *d, int lang) {
    json_t *roles = json_array();
    for (int i = 0; i < d->n_roles; i++)
        json_array_append_new(roles, json_pack("{s:s,s:s,s:s,s:s}", "value", d->roles[i].code,
                                               "label", lang ? d->roles[i].en : d->roles[i].zh,
                                               "zh", d->roles[i].zh, "en", d->roles[i].en));
    return json_pack("{s:s,s:o,s:i,s:i,s:i,s:[{s:s,s:s,s:s},{s:s,s:s,s:s},{s:s,s:s,s:s}]}", "kind",
                     d->kind, "roles", roles, "min", d->min, "max", d->max, "name_max",
                     PARTY_NAME_MAX, "import", "key", "party_name", "zh", ENTITY_PARTY_COL_NAME,
                     "en", "Party name", "key", "party_id_no", "zh", ENTITY_PARTY_COL_ID, "en",
                     "ID number", "key", "party_phone", "zh", ENTITY_PARTY_COL_PHONE, "en",
                     "Party phone");
}

json_t *entity_parties_import_row(struct arena *a_, const struct entity_parties *d, json_t *row) {
    const char *keys[3] = {"party_name", "party_id_no", "party_phone"};
    const char *vals[3];
    int any = 0;
    for (int i = 0; i < 3; i++) {
        json_t *v = json_object_get(row, keys[i]);
        vals[i] = json_is_string(v)    ? json_string_value(v)
                  : json_is_integer(v) ? arena_printf(a_, "%lld", (long long)json_integer_value(v))
                                       : "";
        any |= !!*vals[i];
    }
    json_t *a = json_array();
    if (!any) return a;
    json_t *p = json_pack("{s:s,s:s}", "role", d->n_roles ? d->roles[0].code : "", "name", vals[0]);
    if (*vals[1]) json_object_set_new(p, "id_no", json_string(vals[1]));
    if (*vals[2]) json_object_set_new(p, "phone", json_string(vals[2]));
    json_array_append_new(a, p);
    return a;
}
