/* entity_versions.c — numbered text versions of a record (entity.h: struct entity_versions):
 * the drafts of a major decision or a normative document, one table for every entity that
 * declares them. A version is appended, never changed: a step that saw draft 2 keeps seeing it. */
#include "features/entity/entity.h"

#include "base/timeutil.h"

int entity_version_latest(struct db *db, const struct entity_versions *d, int64_t record_id,
                          int64_t *number) {
    *number = 0;
    int rc = db_query_int(db, number,
                          "SELECT COALESCE(MAX(number), 0) FROM record_versions "
                          "WHERE kind = ? AND record_id = ?",
                          "si", d->kind, record_id);
    return rc == DB_ROW ? DB_OK : rc < 0 ? rc : DB_ERROR;
}

int entity_version_add(struct db *db, const struct entity_versions *d, int64_t record_id,
                       const char *title, const char *body, const char *note, int64_t user_id,
                       int64_t *number) {
    int64_t last = 0;
    int rc = entity_version_latest(db, d, record_id, &last);
    if (rc != DB_OK) return rc;
    char now[21];
    now_iso(now);
    *number = last + 1;
    /* (kind, record_id, number) is unique: two writers racing for the same number fail one */
    return db_exec(db,
                   "INSERT INTO record_versions (kind, record_id, number, title, body, note, "
                   "created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                   "siisssis", d->kind, record_id, *number, title ? title : "", body,
                   note ? note : "", user_id, now);
}

/* LENGTH counts characters of TEXT on both engines (SQLite and PostgreSQL). */
#define VERSION_COLUMNS                                                                            \
    "v.number, v.title, v.note, LENGTH(v.body) AS chars, v.created_by, "                           \
    "u.display_name AS created_by_name, v.created_at"

json_t *entity_versions_json(struct db *db, const struct entity_versions *d, int64_t record_id,
                             int *rc) {
    json_t *items = json_array();
    struct db_stmt *st = db_queryv(db,
                                   "SELECT " VERSION_COLUMNS " FROM record_versions v "
                                   "LEFT JOIN users u ON u.id = v.created_by "
                                   "WHERE v.kind = ? AND v.record_id = ? ORDER BY v.number DESC",
                                   "si", d->kind, record_id);
    *rc = st ? db_rows_json(st, items) : DB_ERROR;
    db_done(st);
    if (*rc == DB_OK) return items;
    json_decref(items);
    return NULL;
}

json_t *entity_version_json(struct db *db, const struct entity_versions *d, int64_t record_id,
                            int64_t number, int *rc) {
    struct db_stmt *st = db_queryv(db,
                                   "SELECT " VERSION_COLUMNS ", v.body FROM record_versions v "
                                   "LEFT JOIN users u ON u.id = v.created_by "
                                   "WHERE v.kind = ? AND v.record_id = ? AND v.number = ?",
                                   "sii", d->kind, record_id, number);
    *rc = st ? db_step(st) : DB_ERROR;
    json_t *row = *rc == DB_ROW ? db_row_json(st) : NULL;
    db_done(st);
    if (*rc == DB_ROW) *rc = DB_OK;
    return row;
}
