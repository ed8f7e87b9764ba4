/* notice.c — 通知公告: the entity (fields, scope, writes, decoration), its workflow kind and
 * the read receipts. The module descriptor is notice_module.c; the list, form, export and the
 * action routes come from these declarations (features/entity, features/flow). */
#include <stdio.h>
#include <string.h>

#include "base/timeutil.h"
#include "features/files/files.h"
#include "features/notice/notice.h"

/* Declarations leave trailing fields out: 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#define NOTICE_UNITS_MAX       500 /* chosen units of one notice */
#define NOTICE_ATTACHMENTS_MAX 20

enum { NS_DRAFT, NS_PUBLISHED, NS_WITHDRAWN, NS_STATES };

static const struct flow_state states[NS_STATES] = {
    [NS_DRAFT] = {"draft", "草稿", "Draft", 0, "info"},
    [NS_PUBLISHED] = {"published", "已发布", "Published", 0, "success"},
    [NS_WITHDRAWN] = {"withdrawn", "已撤回", "Withdrawn", 0, "warning"},
};
static const struct field_option status_options[NS_STATES] = {
    [NS_DRAFT] = {"draft", "草稿", "Draft", "info"},
    [NS_PUBLISHED] = {"published", "已发布", "Published", "success"},
    [NS_WITHDRAWN] = {"withdrawn", "已撤回", "Withdrawn", "warning"},
};

static char *id_text(struct arena *a, int64_t id) {
    return arena_printf(a, "%lld", (long long)id);
}

/* The units a notice is addressed to: every active unit, or the chosen ones (checked by
 * notice_validate). Replaces what was there. */
static int store_units(struct db *db, int64_t id, int all_units, json_t *unit_ids) {
    int rc = db_exec(db, "DELETE FROM notice_units WHERE notice_id = ?", "i", id);
    if (rc != DB_OK) return rc;
    if (all_units)
        return db_exec(db,
                       "INSERT INTO notice_units (notice_id, unit_id) SELECT ?, id FROM units "
                       "WHERE active = 1",
                       "i", id);
    size_t i;
    json_t *u;
    json_array_foreach(unit_ids, i, u) {
        rc = db_exec(db,
                     "INSERT INTO notice_units (notice_id, unit_id) VALUES (?, ?) "
                     "ON CONFLICT (notice_id, unit_id) DO NOTHING",
                     "ii", id, (int64_t)json_integer_value(u));
        if (rc != DB_OK) return rc;
    }
    return DB_OK;
}

/* attachment_ids of the body: uploads of the writer, given to the notice. */
static int claim_attachments(struct entity_write *w) {
    return entity_claim_files(w, w->body ? json_object_get(w->body, "attachment_ids") : NULL,
                              "notice", NOTICE_ATTACHMENTS_MAX);
}

static int as_bool(json_t *in, const char *key, int def) {
    json_t *v = json_object_get(in, key);
    return v ? json_is_true(v) : def;
}

/* Chosen units must exist and be active; "all units" needs none, else one at least. */
static int notice_validate(struct entity_write *w) {
    if (as_bool(w->in, "all_units", 1)) return DB_OK;
    json_t *ids = json_object_get(w->in, "unit_ids");
    size_t n = json_is_array(ids) ? json_array_size(ids) : 0;
    if (!n) {
        problem_add(w->pr, "unit_ids", "请选择接收单位，或选择全部单位",
                    "Choose the units, or all units");
        return DB_OK;
    }
    int64_t list[NOTICE_UNITS_MAX];
    int k = 0;
    for (size_t i = 0; i < n && k < NOTICE_UNITS_MAX; i++)
        list[k++] = (int64_t)json_integer_value(json_array_get(ids, i));
    struct query q;
    query_init(&q, w->c->arena, "SELECT COUNT(DISTINCT id) FROM units WHERE active = 1 AND id");
    query_add_ids(&q, list, k);
    struct db_stmt *st = query_prepare(w->c->db, &q);
    if (!st) return DB_ERROR;
    int rc = db_step(st);
    int64_t found = rc == DB_ROW ? db_col_int(st, 0) : 0;
    db_done(st);
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERROR;
    int64_t distinct = 0; /* the ids given, without repeats */
    for (int i = 0; i < k; i++) {
        int seen = 0;
        for (int j = 0; j < i && !seen; j++)
            seen = list[j] == list[i];
        distinct += !seen;
    }
    if (found != distinct)
        problem_add(w->pr, "unit_ids", "接收单位不存在或已停用",
                    "A unit is unknown or deactivated");
    return DB_OK;
}

static int notice_create(struct entity_write *w) {
    char now[21];
    now_iso(now);
    struct db_stmt *st =
        db_prepare(w->c->db, "INSERT INTO notices (title, body, pinned, all_units, status, "
                             "author_id, created_at, updated_at, version) VALUES (?, ?, 0, ?, "
                             "'draft', ?, ?, ?, 1) RETURNING id");
    if (!st) return DB_ERROR;
    int all = as_bool(w->in, "all_units", 1);
    db_bind_text(st, 1, json_string_value(json_object_get(w->in, "title")));
    db_bind_text(st, 2, json_string_value(json_object_get(w->in, "body")));
    db_bind_int(st, 3, all);
    db_bind_id(st, 4, w->actor->user_id);
    db_bind_text(st, 5, now);
    db_bind_text(st, 6, now);
    int rc = db_step(st);
    if (rc == DB_ROW) w->id = db_col_int(st, 0);
    db_done(st);
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERROR;
    rc = store_units(w->c->db, w->id, all, json_object_get(w->in, "unit_ids"));
    if (rc == DB_OK) rc = claim_attachments(w);
    if (rc != DB_OK) return rc;
    return audit_append(w->c->db, w->actor, "notice.create", "notice", id_text(w->c->arena, w->id),
                        "ok", "");
}

/* A draft or a withdrawn notice is edited; a published one is withdrawn first (readers have
 * read what it says). */
static int notice_update(struct entity_write *w) {
    const char *status = json_string_value(json_object_get(w->cur, "status"));
    if (status && !strcmp(status, "published")) {
        w->zh = "已发布的公告不能修改，请先撤回";
        w->en = "A published notice cannot be edited; withdraw it first";
        return ENTITY_FORBIDDEN;
    }
    char now[21];
    now_iso(now);
    int all = as_bool(w->in, "all_units", 1);
    int rc = db_exec(w->c->db,
                     "UPDATE notices SET title = ?, body = ?, all_units = ?, updated_at = ? "
                     "WHERE id = ?",
                     "ssisi", json_string_value(json_object_get(w->in, "title")),
                     json_string_value(json_object_get(w->in, "body")), (int64_t)all, now, w->id);
    if (rc == DB_OK) rc = store_units(w->c->db, w->id, all, json_object_get(w->in, "unit_ids"));
    if (rc == DB_OK) rc = claim_attachments(w);
    if (rc != DB_OK) return rc;
    return audit_append(w->c->db, w->actor, "notice.update", "notice", id_text(w->c->arena, w->id),
                        "ok", "");
}

/* Only a draft is deleted (a published one has readers: it is withdrawn). */
static int notice_remove(struct entity_write *w) {
    const char *status = json_string_value(json_object_get(w->cur, "status"));
    if (!status || strcmp(status, "draft")) {
        w->zh = "只能删除草稿；已发布的公告请撤回";
        w->en = "Only drafts are deleted; withdraw a published notice";
        return ENTITY_FORBIDDEN;
    }
    int rc = db_exec(w->c->db, "DELETE FROM notice_units WHERE notice_id = ?", "i", w->id);
    if (rc == DB_OK)
        rc = db_exec(w->c->db, "DELETE FROM notice_events WHERE notice_id = ?", "i", w->id);
    if (rc == DB_OK) rc = db_exec(w->c->db, "DELETE FROM notices WHERE id = ?", "i", w->id);
    if (rc != DB_OK) return rc;
    return audit_append(w->c->db, w->actor, "notice.delete", "notice", id_text(w->c->arena, w->id),
                        "ok", "");
}

/* Drafts and withdrawn notices only for the office. */
static void notice_visible(const struct entity_ctx *c, struct query *q) {
    if (!perm_has(c->who->perms, &perm_notice_manage))
        query_add(q, " AND n.status = 'published'", "");
}

/* `read` for the caller on every row (one query); one record also gets its units and its
 * attachments (two more). */
static int notice_decorate(const struct entity_ctx *c, json_t *items) {
    size_t n = json_array_size(items);
    if (!n) return DB_OK;
    int64_t *ids = arena_alloc(c->arena, n * sizeof *ids);
    for (size_t i = 0; i < n; i++) {
        json_t *it = json_array_get(items, i);
        ids[i] = (int64_t)json_integer_value(json_object_get(it, "id"));
        json_object_set_new(it, "read", json_false());
    }
    struct query q;
    query_init(&q, c->arena, "SELECT notice_id, read_at FROM notice_reads WHERE user_id = ?");
    query_add(&q, "", "i", c->who->user_id);
    query_add(&q, " AND notice_id", "");
    query_add_ids(&q, ids, (int)n);
    struct db_stmt *st = query_prepare(c->db, &q);
    if (!st) return DB_ERROR;
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        for (size_t i = 0; i < n; i++)
            if (ids[i] == db_col_int(st, 0)) {
                json_t *it = json_array_get(items, i);
                json_object_set_new(it, "read", json_true());
                json_object_set_new(it, "read_at", json_string(db_col_text(st, 1)));
            }
    db_done(st);
    if (rc != DB_DONE) return rc;
    if (c->purpose != EP_GET || n != 1) return DB_OK;
    json_t *it = json_array_get(items, 0);
    json_t *units = json_array();
    st = db_queryv(c->db, "SELECT unit_id FROM notice_units WHERE notice_id = ? ORDER BY unit_id",
                   "i", ids[0]);
    if (!st) {
        json_decref(units);
        return DB_ERROR;
    }
    while ((rc = db_step(st)) == DB_ROW)
        json_array_append_new(units, json_integer(db_col_int(st, 0)));
    db_done(st);
    json_object_set_new(it, "unit_ids", units);
    if (rc != DB_DONE) return rc;
    json_t *files = files_list_json(c->db, "notice", ids[0]);
    if (!files) return DB_ERROR;
    json_object_set_new(it, "attachments", files);
    return DB_OK;
}

static const struct field fields[] = {
    {"id", FT_INT, "编号", "ID", 0, 0, F_READONLY},
    {"title", FT_TEXT, "标题", "Title", 1, 100,
     F_REQUIRED | F_LIST | F_SORT | F_SEARCH | F_EXPORT | F_CREATE | F_UPDATE},
    {"body", FT_LONGTEXT, "正文", "Text", 1, 10000, F_REQUIRED | F_SEARCH | F_CREATE | F_UPDATE,
     .hint = "纯文本，按原样显示（不解释 HTML）"},
    {"all_units", FT_BOOL, "发送全部单位", "All units", 0, 0, F_EXPORT | F_CREATE | F_UPDATE},
    {"unit_ids", FT_UNIT, "接收单位", "Units", 0, 0, F_MULTI | F_VIRTUAL | F_CREATE | F_UPDATE,
     .ref = "units", .max_items = NOTICE_UNITS_MAX, .hint = "未选“发送全部单位”时选择"},
    {"pinned", FT_BOOL, "置顶", "Pinned", 0, 0, F_LIST | F_FILTER | F_EXPORT | F_READONLY},
    {"status", FT_ENUM, "状态", "Status", 0, 0, F_LIST | F_FILTER | F_EXPORT | F_READONLY,
     status_options, NS_STATES},
    {"published_at", FT_DATETIME, "发布时间", "Published", 0, 0,
     F_LIST | F_SORT | F_EXPORT | F_READONLY},
    {"author_name", FT_TEXT, "发布人", "Author", 0, 0, F_LIST | F_EXPORT | F_READONLY,
     .sql = "au.display_name"},
    {"read", FT_BOOL, "已读", "Read", 0, 0, F_VIRTUAL | F_READONLY},
    {"read_at", FT_DATETIME, "阅读时间", "Read at", 0, 0, F_VIRTUAL | F_READONLY},
    {"attachments", FT_JSON, "附件", "Attachments", 0, 0, F_VIRTUAL | F_READONLY},
    {"created_at", FT_DATETIME, "创建时间", "Created", 0, 0, F_SORT | F_READONLY},
    {"updated_at", FT_DATETIME, "更新时间", "Updated", 0, 0, F_READONLY},
    {"version", FT_INT, "版本", "Version", 0, 0, F_READONLY},
};

/* Pinned first, then the newest: one expression, so "-top" and "top" are both an order. */
static const struct entity_sort sorts[] = {
    {"top", "n.pinned || COALESCE(n.published_at, n.created_at)"},
};

const struct entity entity_notices = {
    .name = "notices",
    .path = "/api/v1/notices",
    .zh = "通知公告",
    .en = "Announcements",
    .table = "notices",
    .alias = "n",
    .from = "notices n LEFT JOIN users au ON au.id = n.author_id",
    .fields = fields,
    .n_fields = ENTITY_N(fields),
    /* a unit reads what is addressed to it; the office (scope all) reads every notice */
    .scope = {.link = {"notice_units", "notice_id", "unit_id"}},
    .sorts = sorts,
    .n_sorts = ENTITY_N(sorts),
    .default_sort = "-top",
    .perm_read = &perm_notice_read,
    .perm_create = &perm_notice_manage,
    .perm_update = &perm_notice_manage,
    .perm_delete = &perm_notice_manage,
    .audit_type = "notice",
    .export_name = "notices",
    .export_sheet = "通知公告",
    .kind = &notice_kind,
    .visible = notice_visible,
    .decorate = notice_decorate,
    .validate = notice_validate,
    .create = notice_create,
    .update = notice_update,
    .remove = notice_remove,
};

/* ---- the kind ---- */

struct notice_ctx {
    struct flow_ctx base;
    int pinned, all_units;
    char title[404];
};
#define NC(c) ((struct notice_ctx *)(c))

static int load(struct flow_ctx *fc) {
    struct db_stmt *st = db_queryv(
        fc->db, "SELECT status, pinned, all_units, title FROM notices WHERE id = ?", "i", fc->id);
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW) {
        fc->status = flow_state_index(fc->kind, db_col_text(st, 0));
        NC(fc)->pinned = (int)db_col_int(st, 1);
        NC(fc)->all_units = (int)db_col_int(st, 2);
        snprintf(NC(fc)->title, sizeof NC(fc)->title, "%s", db_col_text(st, 3));
        fc->title = NC(fc)->title;
    }
    db_done(st);
    return rc;
}

/* 发布: now; a notice to all units reaches every unit active now (one added since it was
 * written too). */
static int fx_publish(struct flow_ctx *c) {
    char now[21];
    now_iso(now);
    if (db_exec(c->db, "UPDATE notices SET published_at = ? WHERE id = ?", "si", now, c->id) !=
        DB_OK)
        return FLOW_DB;
    if (NC(c)->all_units && store_units(c->db, c->id, 1, NULL) != DB_OK) return FLOW_DB;
    return FLOW_OK;
}

static int fx_withdraw(struct flow_ctx *c) {
    return db_exec(c->db, "UPDATE notices SET pinned = 0 WHERE id = ?", "i", c->id) == DB_OK
               ? FLOW_OK
               : FLOW_DB;
}

static int fx_pin(struct flow_ctx *c) {
    return db_exec(c->db, "UPDATE notices SET pinned = 1 WHERE id = ?", "i", c->id) == DB_OK
               ? FLOW_OK
               : FLOW_DB;
}

static int fx_unpin(struct flow_ctx *c) {
    return db_exec(c->db, "UPDATE notices SET pinned = 0 WHERE id = ?", "i", c->id) == DB_OK
               ? FLOW_OK
               : FLOW_DB;
}

static int g_unpinned(const struct flow_ctx *c) {
    return !NC(c)->pinned;
}
static int g_pinned(const struct flow_ctx *c) {
    return NC(c)->pinned;
}
static const struct flow_guard guard_unpinned[] = {{g_unpinned, "已置顶", "Already pinned"}};
static const struct flow_guard guard_pinned[] = {{g_pinned, "未置顶", "Not pinned"}};

static const struct flow_confirm confirm_withdraw = {
    "撤回后各单位不再看到该公告，已读记录保留。",
    "Once withdrawn the units no longer see it; the read receipts are kept."};

#define N(a)    (int)(sizeof(a) / sizeof((a)[0]))
#define S(i)    (1u << (i))
#define ARGS(a) a, N(a)
#define NONE    NULL, 0

static const struct flow_transition transitions[] = {
    {"publish", "发布", "Publish", S(NS_DRAFT) | S(NS_WITHDRAWN), NS_PUBLISHED, &perm_notice_manage,
     NULL, 0, NONE, NONE, fx_publish, NONE, NULL, "primary"},
    {"pin", "置顶", "Pin", S(NS_PUBLISHED), -1, &perm_notice_manage, NULL, 0, NONE,
     ARGS(guard_unpinned), fx_pin, NONE, NULL, "default"},
    {"unpin", "取消置顶", "Unpin", S(NS_PUBLISHED), -1, &perm_notice_manage, NULL, 0, NONE,
     ARGS(guard_pinned), fx_unpin, NONE, NULL, "default"},
    {"withdraw", "撤回", "Withdraw", S(NS_PUBLISHED), NS_WITHDRAWN, &perm_notice_manage, NULL, 0,
     NONE, NONE, fx_withdraw, NONE, NULL, "warning", &confirm_withdraw},
};

const struct flow_kind notice_kind = {
    .name = "notice",
    .zh = "通知公告",
    .en = "Announcement",
    .entity = "notices",
    .table = "notices",
    .audit_type = "notice",
    .web_path = "/notices",
    .perm_read = &perm_notice_read,
    .states = states,
    .n_states = NS_STATES,
    .transitions = transitions,
    .n_transitions = N(transitions),
    .events_table = "notice_events",
    .events_key = "notice_id",
    .ctx_size = sizeof(struct notice_ctx),
    .load = load,
};

/* ---- read receipts ---- */

int notice_mark_read(struct db *db, struct arena *a, const struct principal *who, int64_t id,
                     const char **read_at) {
    char now[21];
    now_iso(now);
    int rc = db_exec(db,
                     "INSERT INTO notice_reads (notice_id, user_id, unit_id, read_at) "
                     "VALUES (?, ?, ?, ?) ON CONFLICT (notice_id, user_id) DO NOTHING",
                     "iiis", id, who->user_id, who->unit_id, now);
    if (rc != DB_OK) return rc;
    struct db_stmt *st =
        db_queryv(db, "SELECT read_at FROM notice_reads WHERE notice_id = ? AND user_id = ?", "ii",
                  id, who->user_id);
    rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW) *read_at = arena_strdup(a, db_col_text(st, 0));
    db_done(st);
    return rc == DB_ROW ? DB_OK : rc < 0 ? rc : DB_ERROR;
}

json_t *notice_receipts(struct db *db, int64_t id, int *rc) {
    /* the addressed units, their readers-to-be (active accounts holding notice.read) and how
     * many have read it */
    struct db_stmt *st = db_queryv(
        db,
        "SELECT nu.unit_id, un.name, "
        "(SELECT COUNT(*) FROM users u JOIN role_permissions rp ON rp.role_id = u.role_id "
        " WHERE u.unit_id = nu.unit_id AND u.locked = 0 AND rp.permission = 'notice.read'), "
        "(SELECT COUNT(*) FROM notice_reads r WHERE r.notice_id = nu.notice_id "
        " AND r.unit_id = nu.unit_id) "
        "FROM notice_units nu JOIN units un ON un.id = nu.unit_id WHERE nu.notice_id = ? "
        "ORDER BY un.sort_order, un.id",
        "i", id);
    if (!st) {
        *rc = DB_ERROR;
        return NULL;
    }
    json_t *units = json_array();
    int64_t users_total = 0, users_read = 0, units_read = 0;
    while ((*rc = db_step(st)) == DB_ROW) {
        int64_t users = db_col_int(st, 2), read = db_col_int(st, 3);
        users_total += users;
        users_read += read;
        units_read += read > 0;
        json_array_append_new(units, json_pack("{s:I,s:s,s:I,s:I,s:[]}", "unit_id",
                                               (json_int_t)db_col_int(st, 0), "unit_name",
                                               db_col_text(st, 1), "users", (json_int_t)users,
                                               "read", (json_int_t)read, "readers"));
    }
    db_done(st);
    if (*rc != DB_DONE) {
        json_decref(units);
        return NULL;
    }
    st = db_queryv(db,
                   "SELECT r.unit_id, r.user_id, u.display_name, r.read_at FROM notice_reads r "
                   "JOIN users u ON u.id = r.user_id WHERE r.notice_id = ? ORDER BY r.read_at",
                   "i", id);
    if (!st) {
        json_decref(units);
        *rc = DB_ERROR;
        return NULL;
    }
    while ((*rc = db_step(st)) == DB_ROW) {
        size_t i;
        json_t *u;
        json_array_foreach(units, i, u) {
            if (json_integer_value(json_object_get(u, "unit_id")) != db_col_int(st, 0)) continue;
            json_array_append_new(json_object_get(u, "readers"),
                                  json_pack("{s:I,s:s,s:s}", "user_id",
                                            (json_int_t)db_col_int(st, 1), "display_name",
                                            db_col_text(st, 2), "read_at", db_col_text(st, 3)));
            break;
        }
    }
    db_done(st);
    if (*rc != DB_DONE) {
        json_decref(units);
        return NULL;
    }
    *rc = DB_OK;
    return json_pack("{s:o,s:I,s:I,s:I,s:I}", "units", units, "units_total",
                     (json_int_t)json_array_size(units), "units_read", (json_int_t)units_read,
                     "users_total", (json_int_t)users_total, "users_read", (json_int_t)users_read);
}

int notice_file_readable(struct db *db, const struct principal *who, int64_t notice_id) {
    int64_t n = 0;
    int manage = perm_has(who->perms, &perm_notice_manage);
    if (!manage && !perm_has(who->perms, &perm_notice_read)) return 0;
        /* the entity's own rule, for one record: published (or the office's), addressed to a unit
         * in the reader's scope */
#define READABLE                                                                                   \
    "SELECT COUNT(*) FROM notices n WHERE n.id = ? AND (n.status = 'published' OR ? = 1) "
    int rc;
    if (who->scope == SCOPE_ALL)
        rc = db_query_int(db, &n,
                          READABLE "AND (? = 1 OR EXISTS (SELECT 1 FROM notice_units nu "
                                   "WHERE nu.notice_id = n.id))",
                          "iii", notice_id, (int64_t)manage, (int64_t)manage);
    else if (who->scope == SCOPE_OWN)
        rc = db_query_int(db, &n,
                          READABLE "AND EXISTS (SELECT 1 FROM notice_units nu "
                                   "WHERE nu.notice_id = n.id AND nu.unit_id = ?)",
                          "iii", notice_id, (int64_t)manage, who->unit_id);
    else {
        char like[300];
        snprintf(like, sizeof like, "%s%%", who->unit_path ? who->unit_path : "/");
        rc = db_query_int(db, &n,
                          READABLE "AND EXISTS (SELECT 1 FROM notice_units nu "
                                   "WHERE nu.notice_id = n.id AND nu.unit_id IN "
                                   "(SELECT id FROM units WHERE path LIKE ?))",
                          "iis", notice_id, (int64_t)manage, like);
    }
#undef READABLE
    return rc == DB_ROW && n > 0;
}
