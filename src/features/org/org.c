#include "features/org/org.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/crypto.h"
#include "base/pii.h"
#include "base/timeutil.h"

const struct field_option unit_kinds[] = {
    {"committee", "委员会", "Committee", ""},
    {"office", "办公室", "Office", ""},
    {"group", "协调小组", "Coordination group", ""},
    {"department", "政府部门", "Government department", ""},
    {"court", "法院", "Court", ""},
    {"procuratorate", "检察院", "Procuratorate", ""},
    {"street", "街道", "Street (sub-district)", ""},
    {"township", "乡镇", "Township", ""},
    {"village", "村（社区）", "Village / community", ""},
    {"other", "其他", "Other", ""},
};
const int unit_kind_count = (int)(sizeof unit_kinds / sizeof unit_kinds[0]);

const struct field_option *unit_kind_by_code(const char *code) {
    for (int i = 0; i < unit_kind_count; i++)
        if (!strcmp(unit_kinds[i].code, code)) return &unit_kinds[i];
    return NULL;
}

int unit_code_valid(const char *code) {
    size_t n = strlen(code);
    if (n < 1 || n > 32) return 0;
    for (size_t i = 0; i < n; i++) {
        char c = code[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-'))
            return 0;
    }
    return 1;
}

int64_t unit_id_by_code(struct db *db, const char *code) {
    int64_t id = 0;
    return db_query_int(db, &id, "SELECT id FROM units WHERE code = ?", "s", code) == DB_ROW ? id
                                                                                             : 0;
}

static int unit_path(struct db *db, int64_t id, char *out, size_t n) {
    struct db_stmt *st = db_queryv(db, "SELECT path FROM units WHERE id = ?", "i", id);
    if (!st) return DB_ERROR;
    int rc = db_step(st);
    if (rc == DB_ROW) snprintf(out, n, "%s", db_col_text(st, 0));
    db_done(st);
    return rc;
}

int unit_create(struct db *db, const struct audit_actor *who, const char *code, const char *name,
                const char *short_name, const char *kind, int64_t parent_id, int64_t sort_order,
                int64_t *id) {
    char now[21], path[512] = "/";
    now_iso(now);
    if (parent_id && unit_path(db, parent_id, path, sizeof path - 24) != DB_ROW) return DB_ERROR;
    struct db_stmt *st =
        db_prepare(db, "INSERT INTO units (code, name, short_name, kind, parent_id, "
                       "path, sort_order, created_at, updated_at) "
                       "VALUES (?, ?, ?, ?, ?, '', ?, ?, ?) RETURNING id");
    if (!st) return DB_ERROR;
    db_bind_text(st, 1, code);
    db_bind_text(st, 2, name);
    db_bind_text(st, 3, short_name ? short_name : "");
    db_bind_text(st, 4, kind);
    db_bind_id(st, 5, parent_id);
    db_bind_int(st, 6, sort_order);
    db_bind_text(st, 7, now);
    db_bind_text(st, 8, now);
    int rc = db_step(st);
    if (rc == DB_ROW) *id = db_col_int(st, 0);
    db_done(st);
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERROR;
    char full[560], oid[24];
    snprintf(full, sizeof full, "%s%lld/", path, (long long)*id);
    rc = db_exec(db, "UPDATE units SET path = ? WHERE id = ?", "si", full, *id);
    if (rc != DB_OK) return rc;
    snprintf(oid, sizeof oid, "%lld", (long long)*id);
    json_t *d = json_pack("{s:s,s:s,s:s,s:I}", "code", code, "name", name, "kind", kind,
                          "parent_id", (json_int_t)parent_id);
    char *detail = json_dumps(d, JSON_COMPACT); /* whole, never cut inside a character */
    json_decref(d);
    rc = detail ? audit_append(db, who, "unit.create", "unit", oid, "ok", detail) : DB_ERROR;
    free(detail);
    return rc;
}

int unit_is_descendant(struct db *db, int64_t id, int64_t candidate) {
    char path[512], like[520];
    if (unit_path(db, id, path, sizeof path) != DB_ROW) return 0;
    snprintf(like, sizeof like, "%s%%", path);
    int64_t n = 0;
    return db_query_int(db, &n, "SELECT COUNT(*) FROM units WHERE id = ? AND path LIKE ?", "is",
                        candidate, like) == DB_ROW &&
           n > 0;
}

int unit_move(struct db *db, int64_t id, int64_t new_parent) {
    char old[512], parent[512] = "/", fresh[560], like[520];
    if (unit_path(db, id, old, sizeof old) != DB_ROW) return DB_ERROR;
    if (new_parent && unit_path(db, new_parent, parent, sizeof parent) != DB_ROW) return DB_ERROR;
    snprintf(fresh, sizeof fresh, "%s%lld/", parent, (long long)id);
    snprintf(like, sizeof like, "%s%%", old);
    struct db_stmt *st = db_prepare(db, "UPDATE units SET parent_id = ? WHERE id = ?");
    if (!st) return DB_ERROR;
    db_bind_id(st, 1, new_parent);
    db_bind_int(st, 2, id);
    int rc = db_step(st);
    db_done(st);
    if (rc != DB_DONE) return rc < 0 ? rc : DB_ERROR;
    /* Rewrite the path prefix of the unit and everything below it. */
    return db_exec(db, "UPDATE units SET path = ? || substr(path, ?) WHERE path LIKE ?", "sis",
                   fresh, (int64_t)strlen(old) + 1, like);
}

int phone_valid(const char *p) {
    return pii_phone_valid(p);
}

const char *phone_mask(struct arena *a, const char *phone) {
    return pii_phone_mask(a, phone);
}

int person_create(struct db *db, struct arena *a, const struct audit_actor *who, int64_t unit_id,
                  const char *name, const char *position, const char *phone, int first_responsible,
                  int liaison, int64_t sort_order, int64_t *id) {
    char now[21], oid[24];
    now_iso(now);
    if (phone && *phone && !pii_key_current()) return DB_ERROR;
    struct db_stmt *st = db_prepare(db, "INSERT INTO people (unit_id, name, position, phone_enc, "
                                        "phone_masked, is_first_responsible, is_liaison, "
                                        "sort_order, created_at, updated_at) "
                                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
    if (!st) return DB_ERROR;
    db_bind_int(st, 1, unit_id);
    db_bind_text(st, 2, name);
    db_bind_text(st, 3, position ? position : "");
    db_bind_text(st, 4, NULL); /* sealed below: the row id is its associated data */
    db_bind_text(st, 5, phone ? phone_mask(a, phone) : "");
    db_bind_int(st, 6, first_responsible ? 1 : 0);
    db_bind_int(st, 7, liaison ? 1 : 0);
    db_bind_int(st, 8, sort_order);
    db_bind_text(st, 9, now);
    db_bind_text(st, 10, now);
    int rc = db_step(st);
    if (rc == DB_ROW) *id = db_col_int(st, 0);
    db_done(st);
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERROR;
    if (phone && *phone &&
        (rc = db_exec(db, "UPDATE people SET phone_enc = ? WHERE id = ?", "si",
                      pii_seal(a, pii_ad(a, "people", *id, "phone_enc"), phone), *id)) != DB_OK)
        return rc;
    snprintf(oid, sizeof oid, "%lld", (long long)*id);
    char *detail = arena_printf(a, "{\"unit_id\":%lld}", (long long)unit_id);
    return audit_append(db, who, "person.create", "person", oid, "ok", detail);
}
