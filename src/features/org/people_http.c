/* people_http.c — people of each unit, 第一责任人 and 联络员. Phone numbers are stored sealed and
 * answered masked; the whole number needs person.reveal and leaves an audit record. */
#include <string.h>

#include "base/crypto.h"
#include "base/timeutil.h"
#include "features/org/org.h"
#include "features/org/org_http.h"
#include "http/http.h"

#define PERSON_SELECT                                                                              \
    "SELECT p.id, p.unit_id, un.name AS unit_name, p.name, p.position, p.phone_masked AS phone, "  \
    "p.is_first_responsible, p.is_liaison, p.sort_order, p.active, p.created_at, p.updated_at, "   \
    "p.version FROM people p JOIN units un ON un.id = p.unit_id WHERE 1 = 1"

static const struct sort_key person_sorts[] = {{"sort_order", "un.sort_order, p.sort_order"},
                                               {"name", "p.name"},
                                               {"unit", "un.sort_order"},
                                               {"updated_at", "p.updated_at"},
                                               {NULL, NULL}};

void people_list(struct req *r) {
    struct page pg;
    const char *q, *order;
    int64_t unit_id = 0;
    int has_unit = 0, first = 0, has_first = 0, liaison = 0, has_liaison = 0, active = 0,
        has_active = 0;
    if (req_page_or_reply(r, &pg) || req_query_text_or_reply(r, "q", 50, &q) ||
        req_query_int_or_reply(r, "unit_id", 1, INT64_MAX / 2, &unit_id, &has_unit) ||
        req_query_bool_or_reply(r, "first_responsible", &first, &has_first) ||
        req_query_bool_or_reply(r, "liaison", &liaison, &has_liaison) ||
        req_query_bool_or_reply(r, "active", &active, &has_active) ||
        req_sort_or_reply(r, person_sorts, "sort_order", &order))
        return;
    struct query cnt, rows;
    query_init(&cnt, r->arena, "SELECT COUNT(*) FROM people p WHERE 1 = 1");
    query_init(&rows, r->arena, PERSON_SELECT);
    struct query *both[] = {&cnt, &rows};
    for (int i = 0; i < 2; i++) {
        struct query *x = both[i];
        scope_filter(x, &r->who, "p.unit_id");
        if (q) {
            char *like = query_contains(r->arena, q);
            query_add(x, " AND (p.name" QUERY_LIKE " OR p.position" QUERY_LIKE ")", "ss", like,
                      like);
        }
        if (has_unit) query_add(x, " AND p.unit_id = ?", "i", unit_id);
        if (has_first) query_add(x, " AND p.is_first_responsible = ?", "i", (int64_t)first);
        if (has_liaison) query_add(x, " AND p.is_liaison = ?", "i", (int64_t)liaison);
        if (has_active) query_add(x, " AND p.active = ?", "i", (int64_t)active);
    }
    query_add(&rows, arena_printf(r->arena, " ORDER BY %s, p.id LIMIT ? OFFSET ?", order), "ii",
              pg.per_page, pg.offset);
    int rc;
    json_t *out = query_list_json(r, &cnt, &rows, &rc);
    if (!out) {
        db_fail_reply(r, rc);
        return;
    }
    reply_json(r, 200, out);
}

static json_t *person_or_reply(struct req *r, int64_t id) {
    struct query q;
    query_init(&q, r->arena, PERSON_SELECT);
    query_add(&q, " AND p.id = ?", "i", id);
    scope_filter(&q, &r->who, "p.unit_id");
    return query_row_or_reply(r, &q);
}

void people_get(struct req *r) {
    int64_t id;
    if (req_id_or_reply(r, 0, &id)) return;
    json_t *p = person_or_reply(r, id);
    if (p) reply_json(r, 200, p);
}

void people_phone(struct req *r) {
    int64_t id;
    if (req_id_or_reply(r, 0, &id)) return;
    json_t *p = person_or_reply(r, id);
    if (!p) return;
    json_decref(p);
    char *sealed = NULL;
    struct db_stmt *st = db_queryv(r->db, "SELECT phone_enc FROM people WHERE id = ?", "i", id);
    if (st && db_step(st) == DB_ROW) sealed = arena_strdup(r->arena, db_col_text(st, 0));
    db_done(st);
    const char *phone = sealed && pii_key() ? open_text(r->arena, pii_key(), sealed) : "";
    if (sealed && !phone) {
        reply_error_msg(r, ERR_INTERNAL, "个人信息无法解密（密钥不匹配）",
                        "Personal data cannot be decrypted (wrong key)");
        return;
    }
    /* Seeing personal data whole is itself recorded. */
    if (tx_begin_or_reply(r)) return;
    if (audit_or_reply(r, "person.reveal", "person", id, json_pack("{s:s}", "field", "phone")))
        return;
    if (tx_commit_or_reply(r)) return;
    reply_json(r, 200, json_pack("{s:s}", "phone", phone ? phone : ""));
}

struct person_input {
    int64_t unit_id, sort_order;
    const char *name, *position, *phone; /* phone NULL = unchanged (update) */
    int first, liaison;
};

static void person_fields(struct req *r, struct form *f, struct person_input *in) {
    in->unit_id = form_int(f, "unit_id", 1, 1, INT64_MAX / 2, 0);
    in->name = form_text(f, "name", 1, 1, 50);
    in->position = form_text(f, "position", 0, 0, 100);
    in->phone = form_has(f, "phone") ? form_text(f, "phone", 0, 0, 20) : NULL;
    in->first = form_bool(f, "is_first_responsible", 0);
    in->liaison = form_bool(f, "is_liaison", 0);
    in->sort_order = form_int(f, "sort_order", 0, 0, 1000000, 0);
    if (in->phone && *in->phone && !phone_valid(in->phone))
        form_error(f, "phone", "电话号码格式不正确", "Not a valid phone number");
    if (in->unit_id) {
        int64_t n = 0;
        if (db_query_int(r->db, &n, "SELECT COUNT(*) FROM units WHERE id = ?", "i", in->unit_id) !=
                DB_ROW ||
            !n || !scope_allows_unit(r->db, &r->who, in->unit_id))
            form_error(f, "unit_id", "单位不存在", "No such unit");
    }
}

void people_create(struct req *r) {
    json_t *body;
    if (req_json_or_reply(r, &body)) return;
    struct form f;
    form_init(&f, r, body);
    struct person_input in;
    person_fields(r, &f, &in);
    if (form_ok_or_reply(&f)) return;
    if (tx_begin_or_reply(r)) return;
    int64_t id = 0;
    int rc = person_create(r->db, r->arena, &r->actor, in.unit_id, in.name, in.position, in.phone,
                           in.first, in.liaison, in.sort_order, &id);
    if (rc != DB_OK) {
        db_fail_reply(r, rc);
        return;
    }
    if (tx_commit_or_reply(r)) return;
    json_t *p = person_or_reply(r, id);
    if (p) reply_json(r, 201, p);
}

void people_update(struct req *r) {
    int64_t id;
    json_t *body;
    if (req_id_or_reply(r, 0, &id) || req_json_or_reply(r, &body)) return;
    json_t *cur = person_or_reply(r, id);
    if (!cur) return;
    json_decref(cur);
    struct form f;
    form_init(&f, r, body);
    struct person_input in;
    person_fields(r, &f, &in);
    int64_t version = form_version(&f);
    int active = form_bool(&f, "active", 1);
    if (form_ok_or_reply(&f)) return;
    if (tx_begin_or_reply(r)) return;
    if (version_bump_or_reply(r, "people", id, version)) return;
    int rc = db_exec(r->db,
                     "UPDATE people SET unit_id = ?, name = ?, position = ?, "
                     "is_first_responsible = ?, is_liaison = ?, sort_order = ?, active = ? "
                     "WHERE id = ?",
                     "issiiiii", in.unit_id, in.name, in.position, (int64_t)in.first,
                     (int64_t)in.liaison, in.sort_order, (int64_t)active, id);
    if (rc == DB_OK && in.phone) {
        if (*in.phone && !pii_key())
            rc = DB_ERROR;
        else
            rc = db_exec(r->db, "UPDATE people SET phone_enc = ?, phone_masked = ? WHERE id = ?",
                         "ssi", *in.phone ? seal_text(r->arena, pii_key(), in.phone) : NULL,
                         phone_mask(r->arena, in.phone), id);
    }
    if (rc != DB_OK) {
        db_fail_reply(r, rc);
        return;
    }
    if (audit_or_reply(r, "person.update", "person", id,
                       json_pack("{s:I,s:b,s:b,s:b}", "unit_id", (json_int_t)in.unit_id,
                                 "is_first_responsible", in.first, "is_liaison", in.liaison,
                                 "phone_changed", in.phone != NULL)))
        return;
    if (tx_commit_or_reply(r)) return;
    json_t *p = person_or_reply(r, id);
    if (p) reply_json(r, 200, p);
}

void people_delete(struct req *r) {
    int64_t id, version = 0;
    int has_version = 0;
    if (req_id_or_reply(r, 0, &id) ||
        req_query_int_or_reply(r, "version", 1, INT64_MAX / 2, &version, &has_version))
        return;
    json_t *cur = person_or_reply(r, id);
    if (!cur) return;
    json_decref(cur);
    if (!has_version) {
        reply_field_error(r, ERR_INVALID, "version", "必填", "Required");
        return;
    }
    if (tx_begin_or_reply(r)) return;
    if (version_bump_or_reply(r, "people", id, version)) return;
    int rc = db_exec(r->db, "DELETE FROM people WHERE id = ?", "i", id);
    if (rc != DB_OK) {
        db_fail_reply(r, rc);
        return;
    }
    if (audit_or_reply(r, "person.delete", "person", id, NULL)) return;
    if (tx_commit_or_reply(r)) return;
    reply_ok(r);
}
