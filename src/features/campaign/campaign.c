/* campaign.c — 专项行动 (the speech's "五项行动"): the campaigns entity (owning units as the
 * scope's link table, the clearing rate by decoration), its kind (进行中 ⇄ 已结束), the campaign
 * items entity (a record of any kind tagged with a campaign: its number, summary, state and whether
 * it is cleared, read in one query for the page) and tagging. Whether a record is cleared is
 * its kind's declaration (a final state): every registered kind counts, none is named here. */
#include <stdio.h>
#include <string.h>

#include "base/calendar.h"
#include "base/timeutil.h"
#include "features/campaign/campaign.h"

/* Declarations leave trailing fields out: 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#define N(a)    (int)(sizeof(a) / sizeof((a)[0]))
#define S(i)    (1u << (i))
#define ARGS(a) a, N(a)
#define NONE    NULL, 0

static char *id_text(struct arena *a, int64_t id) {
    return arena_printf(a, "%lld", (long long)id);
}

/* ---- cleared: a record in a final state of its kind ---- */

/* " AND (…)" (cleared) or " AND NOT (…)" over every registered kind with a final state: the item
 * `alias` names a record of that kind whose status is one of them. Table and column names come
 * from the kinds' declarations (checked identifiers), the codes are bound. */
static void add_cleared(struct arena *a, struct query *q, const char *alias, int cleared) {
    query_add(q, cleared ? " AND (1 = 0" : " AND NOT (1 = 0", "");
    for (int k = 0; k < flow_kind_count(); k++) {
        const struct flow_kind *fk = flow_kind_at(k);
        int finals = 0;
        for (int i = 0; i < fk->n_states; i++)
            finals += fk->states[i].final;
        if (!finals) continue;
        query_add(q,
                  arena_printf(a,
                               " OR (%s.kind = ? AND EXISTS (SELECT 1 FROM %s r WHERE r.id = "
                               "%s.record_id AND r.status IN (",
                               alias, fk->table, alias),
                  "s", fk->name);
        int n = 0;
        for (int i = 0; i < fk->n_states; i++)
            if (fk->states[i].final) query_add(q, n++ ? ", ?" : "?", "s", fk->states[i].code);
        query_add(q, ")))", "");
    }
    query_add(q, ")", "");
}

/* ---- the kind: 进行中 ⇄ 已结束 ---- */

enum { CS_ACTIVE, CS_ENDED, CS_N };

static const struct flow_state states[CS_N] = {
    [CS_ACTIVE] = {"active", "进行中", "In progress", 0, "primary"},
    [CS_ENDED] = {"ended", "已结束", "Ended", 0, "info"},
};
static const struct field_option status_options[CS_N] = {
    [CS_ACTIVE] = {"active", "进行中", "In progress", "primary"},
    [CS_ENDED] = {"ended", "已结束", "Ended", "info"},
};

struct campaign_ctx {
    struct flow_ctx base;
    char name[404];
};

static int load(struct flow_ctx *fc) {
    struct campaign_ctx *c = (struct campaign_ctx *)fc;
    struct db_stmt *st =
        db_queryv(fc->db, "SELECT status, name FROM campaigns WHERE id = ?", "i", fc->id);
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW) {
        fc->status = flow_state_index(fc->kind, db_col_text(st, 0));
        snprintf(c->name, sizeof c->name, "%s", db_col_text(st, 1));
        fc->title = c->name;
    }
    db_done(st);
    return rc;
}

static const struct flow_confirm confirm_end = {
    "结束后不能再纳入事项，已纳入事项的清理情况继续统计。",
    "Once ended no item is added; the items' clearing is still counted."};

static const struct flow_transition transitions[] = {
    {"end", "结束行动", "End", S(CS_ACTIVE), CS_ENDED, &perm_campaign_manage, NULL, 0, NONE, NONE,
     NULL, NONE, NULL, "warning", &confirm_end},
    {"reopen", "重新开展", "Reopen", S(CS_ENDED), CS_ACTIVE, &perm_campaign_manage, NULL, 1, NONE,
     NONE, NULL, NONE, NULL, "default"},
};

const struct flow_kind campaign_kind = {
    .name = "campaign",
    .zh = "专项行动",
    .en = "Campaign",
    .entity = "campaigns",
    .table = "campaigns",
    .audit_type = "campaign",
    .web_path = "/campaigns",
    .perm_read = &perm_campaign_view,
    .states = states,
    .n_states = CS_N,
    .transitions = transitions,
    .n_transitions = N(transitions),
    .events_table = "campaign_events",
    .events_key = "campaign_id",
    .ctx_size = sizeof(struct campaign_ctx),
    .load = load,
};

/* ---- the campaigns entity ---- */

/* The owning units: the ones given and the lead unit. Replaces what was there. */
static int store_units(struct db *db, int64_t id, int64_t lead, json_t *unit_ids) {
    int rc = db_exec(db, "DELETE FROM campaign_units WHERE campaign_id = ?", "i", id);
    if (rc == DB_OK)
        rc = db_exec(db, "INSERT INTO campaign_units (campaign_id, unit_id) VALUES (?, ?)", "ii",
                     id, lead);
    size_t i;
    json_t *u;
    json_array_foreach(unit_ids, i, u) {
        if (rc != DB_OK) break;
        rc = db_exec(db,
                     "INSERT INTO campaign_units (campaign_id, unit_id) VALUES (?, ?) "
                     "ON CONFLICT (campaign_id, unit_id) DO NOTHING",
                     "ii", id, (int64_t)json_integer_value(u));
    }
    return rc;
}

/* The period's end not before its start; the units exist and are active. */
static int campaign_validate(struct entity_write *w) {
    const char *from = json_string_value(json_object_get(w->in, "starts_on"));
    const char *to = json_string_value(json_object_get(w->in, "ends_on"));
    if (from && to && strcmp(to, from) < 0)
        problem_add(w->pr, "ends_on", "结束日期不能早于开始日期", "Cannot end before it starts");
    int64_t list[CAMPAIGN_UNITS_MAX + 1];
    int k = 0;
    json_t *lead = json_object_get(w->in, "lead_unit_id");
    json_t *ids = json_object_get(w->in, "unit_ids");
    for (size_t i = 0; json_is_array(ids) && i < json_array_size(ids) && k < CAMPAIGN_UNITS_MAX;
         i++)
        list[k++] = (int64_t)json_integer_value(json_array_get(ids, i));
    if (json_is_integer(lead)) list[k++] = (int64_t)json_integer_value(lead);
    if (!k) return DB_OK;
    struct query q;
    query_init(&q, w->c->arena, "SELECT COUNT(DISTINCT id) FROM units WHERE active = 1 AND id");
    query_add_ids(&q, list, k);
    struct db_stmt *st = query_prepare(w->c->db, &q);
    if (!st) return DB_ERROR;
    int rc = db_step(st);
    int64_t found = rc == DB_ROW ? db_col_int(st, 0) : 0;
    db_done(st);
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERROR;
    int64_t distinct = 0;
    for (int i = 0; i < k; i++) {
        int seen = 0;
        for (int j = 0; j < i && !seen; j++)
            seen = list[j] == list[i];
        distinct += !seen;
    }
    if (found != distinct)
        problem_add(w->pr, "unit_ids", "单位不存在或已停用", "A unit is unknown or deactivated");
    return DB_OK;
}

static int campaign_create(struct entity_write *w) {
    char now[21];
    now_iso(now);
    struct db_stmt *st = db_prepare(
        w->c->db, "INSERT INTO campaigns (name, starts_on, ends_on, target, lead_unit_id, "
                  "description, status, created_by, created_at, updated_at, version) VALUES "
                  "(?, ?, ?, ?, ?, ?, 'active', ?, ?, ?, 1) RETURNING id");
    if (!st) return DB_ERROR;
    int64_t lead = (int64_t)json_integer_value(json_object_get(w->in, "lead_unit_id"));
    db_bind_text(st, 1, entity_text(w->in, "name"));
    db_bind_text(st, 2, entity_text(w->in, "starts_on"));
    db_bind_text(st, 3, entity_text(w->in, "ends_on"));
    db_bind_int(st, 4, json_integer_value(json_object_get(w->in, "target")));
    db_bind_id(st, 5, lead);
    db_bind_text(st, 6, entity_text(w->in, "description"));
    db_bind_id(st, 7, w->actor->user_id);
    db_bind_text(st, 8, now);
    db_bind_text(st, 9, now);
    int rc = db_step(st);
    if (rc == DB_ROW) w->id = db_col_int(st, 0);
    db_done(st);
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERROR;
    rc = store_units(w->c->db, w->id, lead, json_object_get(w->in, "unit_ids"));
    if (rc != DB_OK) return rc;
    return audit_append(w->c->db, w->actor, "campaign.create", "campaign",
                        id_text(w->c->arena, w->id), "ok", "");
}

static int campaign_update(struct entity_write *w) {
    char now[21];
    now_iso(now);
    int64_t lead = (int64_t)json_integer_value(json_object_get(w->in, "lead_unit_id"));
    int rc = db_exec(w->c->db,
                     "UPDATE campaigns SET name = ?, starts_on = ?, ends_on = ?, target = ?, "
                     "lead_unit_id = ?, description = ?, updated_at = ? WHERE id = ?",
                     "sssiissi", entity_text(w->in, "name"), entity_text(w->in, "starts_on"),
                     entity_text(w->in, "ends_on"),
                     (int64_t)json_integer_value(json_object_get(w->in, "target")), lead,
                     entity_text(w->in, "description"), now, w->id);
    if (rc == DB_OK) rc = store_units(w->c->db, w->id, lead, json_object_get(w->in, "unit_ids"));
    if (rc != DB_OK) return rc;
    return audit_append(w->c->db, w->actor, "campaign.update", "campaign",
                        id_text(w->c->arena, w->id), "ok", "");
}

static const char *percent(struct arena *a, int64_t num, int64_t den) {
    if (den <= 0) return "";
    return arena_printf(a, "%.1f%%", 100.0 * (double)num / (double)den);
}

/* Per campaign: items, cleared items (two queries for the page) and the rates; one record also
 * its owning units. */
static int campaign_decorate(const struct entity_ctx *c, json_t *items) {
    size_t n = json_array_size(items);
    if (!n) return DB_OK;
    int64_t *ids = arena_alloc(c->arena, n * sizeof *ids);
    int64_t *total = arena_alloc(c->arena, n * sizeof *total);
    int64_t *cleared = arena_alloc(c->arena, n * sizeof *cleared);
    for (size_t i = 0; i < n; i++) {
        ids[i] = (int64_t)json_integer_value(json_object_get(json_array_get(items, i), "id"));
        total[i] = cleared[i] = 0;
    }
    for (int pass = 0; pass < 2; pass++) {
        struct query q;
        query_init(&q, c->arena,
                   "SELECT i.campaign_id, COUNT(*) FROM campaign_items i WHERE i.campaign_id");
        query_add_ids(&q, ids, (int)n);
        if (pass) add_cleared(c->arena, &q, "i", 1);
        query_add(&q, " GROUP BY i.campaign_id", "");
        struct db_stmt *st = query_prepare(c->db, &q);
        if (!st) return DB_ERROR;
        int rc;
        while ((rc = db_step(st)) == DB_ROW)
            for (size_t i = 0; i < n; i++)
                if (ids[i] == db_col_int(st, 0)) (pass ? cleared : total)[i] = db_col_int(st, 1);
        db_done(st);
        if (rc != DB_DONE) return rc;
    }
    for (size_t i = 0; i < n; i++) {
        json_t *it = json_array_get(items, i);
        int64_t target = (int64_t)json_integer_value(json_object_get(it, "target"));
        json_object_set_new(it, "items_total", json_integer(total[i]));
        json_object_set_new(it, "items_cleared", json_integer(cleared[i]));
        json_object_set_new(it, "items_uncleared", json_integer(total[i] - cleared[i]));
        json_object_set_new(it, "clearing_rate",
                            json_string(percent(c->arena, cleared[i], total[i])));
        json_object_set_new(it, "target_rate", json_string(percent(c->arena, cleared[i], target)));
    }
    if (c->purpose != EP_GET || n != 1) return DB_OK;
    json_t *units = json_array();
    struct db_stmt *st = db_queryv(
        c->db, "SELECT unit_id FROM campaign_units WHERE campaign_id = ? ORDER BY unit_id", "i",
        ids[0]);
    if (!st) {
        json_decref(units);
        return DB_ERROR;
    }
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        json_array_append_new(units, json_integer(db_col_int(st, 0)));
    db_done(st);
    json_object_set_new(json_array_get(items, 0), "unit_ids", units);
    return rc == DB_DONE ? DB_OK : rc;
}

static const struct field fields[] = {
    {"id", FT_INT, "序号", "ID", 0, 0, F_READONLY},
    {"name", FT_TEXT, "行动名称", "Name", 1, 100,
     F_REQUIRED | F_LIST | F_SORT | F_SEARCH | F_EXPORT | F_CREATE | F_UPDATE},
    {"items_total", FT_INT, "纳入事项", "Items", 0, 0, F_LIST | F_EXPORT | F_VIRTUAL | F_READONLY},
    {"items_cleared", FT_INT, "已清理", "Cleared", 0, 0,
     F_LIST | F_EXPORT | F_VIRTUAL | F_READONLY},
    {"items_uncleared", FT_INT, "未清理", "Not cleared", 0, 0, F_VIRTUAL | F_READONLY},
    {"clearing_rate", FT_TEXT, "清理率", "Clearing rate", 0, 0,
     F_LIST | F_EXPORT | F_VIRTUAL | F_READONLY, .hint = "已清理事项 / 纳入事项"},
    {"target_rate", FT_TEXT, "目标完成率", "Of target", 0, 0,
     F_LIST | F_EXPORT | F_VIRTUAL | F_READONLY, .hint = "已清理事项 / 目标数"},
    {"starts_on", FT_DATE, "开始日期", "Starts on", 0, 0,
     F_REQUIRED | F_LIST | F_FILTER | F_SORT | F_EXPORT | F_CREATE | F_UPDATE},
    {"ends_on", FT_DATE, "结束日期", "Ends on", 0, 0,
     F_REQUIRED | F_LIST | F_EXPORT | F_CREATE | F_UPDATE},
    {"target", FT_INT, "目标数", "Target", 0, 1000000,
     F_REQUIRED | F_LIST | F_EXPORT | F_CREATE | F_UPDATE, .hint = "计划清理（办结）的事项数"},
    {"lead_unit_id", FT_UNIT, "牵头单位", "Lead unit", 0, 0,
     F_REQUIRED | F_FILTER | F_CREATE | F_UPDATE, .ref = "units"},
    {"lead_unit_name", FT_TEXT, "牵头单位", "Lead unit", 0, 0, F_LIST | F_EXPORT | F_READONLY,
     .sql = "lu.name"},
    {"unit_ids", FT_UNIT, "责任单位", "Owning units", 0, 0,
     F_MULTI | F_VIRTUAL | F_CREATE | F_UPDATE, .ref = "units", .max_items = CAMPAIGN_UNITS_MAX,
     .hint = "牵头单位自动纳入"},
    {"description", FT_LONGTEXT, "行动内容", "Description", 0, 4000,
     F_SEARCH | F_EXPORT | F_CREATE | F_UPDATE},
    {"status", FT_ENUM, "状态", "Status", 0, 0, F_LIST | F_FILTER | F_EXPORT | F_READONLY,
     status_options, CS_N},
    {"created_at", FT_DATETIME, "创建时间", "Created", 0, 0, F_SORT | F_READONLY},
    {"updated_at", FT_DATETIME, "更新时间", "Updated", 0, 0, F_READONLY},
    {"version", FT_INT, "版本", "Version", 0, 0, F_READONLY},
};

static const struct entity_child children[] = {
    {"campaign_items", "campaign_id"},
};

/* What its pages read (kept per caller, request and day: entity cache_deps): the register's
 * tables, parties and clocks ("cases"), unit names, accounts and scope, settings and the
 * calendar, dictionary labels. */
static const char *const campaign_page_deps[] = {"campaign", "cases", "org", "auth",
                                                 "settings", "dict",  NULL};

const struct entity entity_campaigns = {
    .name = "campaigns",
    .path = "/api/v1/campaigns",
    .zh = "专项行动",
    .en = "Campaigns",
    .table = "campaigns",
    .alias = "e",
    .from = "campaigns e LEFT JOIN units lu ON lu.id = e.lead_unit_id",
    .fields = fields,
    .n_fields = N(fields),
    /* a unit reads the campaigns it owns (or leads); the office (scope all) every one */
    .scope = {.link = {"campaign_units", "campaign_id", "unit_id"}},
    .default_sort = "starts_on",
    .perm_read = &perm_campaign_view,
    .perm_create = &perm_campaign_manage,
    .perm_update = &perm_campaign_manage,
    .audit_type = "campaign",
    .export_name = "campaigns",
    .export_sheet = "专项行动",
    .kind = &campaign_kind,
    .validate = campaign_validate,
    .create = campaign_create,
    .update = campaign_update,
    .decorate = campaign_decorate,
    .children = children,
    .n_children = N(children),
    .cache_deps = campaign_page_deps,
};

/* ---- campaign items ---- */

static void cleared_filter(const struct entity_ctx *c, struct query *q, const char *value) {
    add_cleared(c->arena, q, "i", !strcmp(value, "1") || !strcmp(value, "true"));
}

static const struct entity_filter item_filters[] = {
    {"cleared", FT_BOOL, "已清理", "Cleared", .apply = cleared_filter},
};

/* Each item's record — number, summary, state, cleared — in one query for the page (a SELECT per
 * kind on it, UNION ALL). */
static int items_decorate(const struct entity_ctx *c, json_t *items) {
    size_t n = json_array_size(items);
    if (!n) return DB_OK;
    int64_t *ids = arena_alloc(c->arena, n * sizeof *ids);
    for (size_t i = 0; i < n; i++) {
        json_t *it = json_array_get(items, i);
        json_object_set_new(it, "record_no", json_null());
        json_object_set_new(it, "record_title", json_null());
        json_object_set_new(it, "record_status", json_null());
        json_object_set_new(it, "record_status_name", json_null());
        json_object_set_new(it, "kind_name", json_null());
        json_object_set_new(it, "record_link", json_null());
        json_object_set_new(it, "cleared", json_false());
    }
    /* one statement for the page: a SELECT per kind present, UNION ALL, each row tagged with
     * its kind's index */
    struct query q;
    query_init(&q, c->arena, "");
    int parts = 0;
    for (int k = 0; k < flow_kind_count(); k++) {
        const struct flow_kind *fk = flow_kind_at(k);
        int m = 0;
        for (size_t i = 0; i < n; i++) {
            json_t *it = json_array_get(items, i);
            const char *kind = json_string_value(json_object_get(it, "kind"));
            if (!kind || strcmp(kind, fk->name)) continue;
            ids[m++] = (int64_t)json_integer_value(json_object_get(it, "record_id"));
            json_object_set_new(it, "kind_name", json_string(c->lang ? fk->en : fk->zh));
        }
        if (!m) continue;
        query_add(&q,
                  arena_printf(c->arena,
                               "%sSELECT CAST(? AS BIGINT), r.id, %s, %s, r.status FROM %s r "
                               "WHERE r.id",
                               parts++ ? " UNION ALL " : "",
                               fk->title_column ? arena_printf(c->arena, "r.%s", fk->title_column)
                                                : "CAST(r.id AS TEXT)",
                               fk->summary_column
                                   ? arena_printf(c->arena, "r.%s", fk->summary_column)
                                   : "''",
                               fk->table),
                  "i", (int64_t)k);
        query_add_ids(&q, ids, m);
    }
    if (!parts) return DB_OK;
    struct db_stmt *st = query_prepare(c->db, &q);
    if (!st) return DB_ERROR;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        const struct flow_kind *fk = flow_kind_at((int)db_col_int(st, 0));
        int64_t rid = db_col_int(st, 1);
        int s = flow_state_index(fk, db_col_text(st, 4));
        for (size_t i = 0; i < n; i++) {
            json_t *it = json_array_get(items, i);
            const char *kind = json_string_value(json_object_get(it, "kind"));
            if (!kind || strcmp(kind, fk->name) ||
                json_integer_value(json_object_get(it, "record_id")) != rid)
                continue;
            json_object_set_new(it, "record_no", json_string(db_col_text(st, 2)));
            json_object_set_new(it, "record_title", json_string(db_col_text(st, 3)));
            json_object_set_new(it, "record_status", json_string(db_col_text(st, 4)));
            if (s >= 0) {
                json_object_set_new(it, "record_status_name",
                                    json_string(c->lang ? fk->states[s].en : fk->states[s].zh));
                json_object_set_new(it, "cleared", json_boolean(fk->states[s].final));
            }
            if (fk->web_path)
                json_object_set_new(
                    it, "record_link",
                    json_string(arena_printf(c->arena, "%s/%lld", fk->web_path, (long long)rid)));
        }
    }
    db_done(st);
    if (rc != DB_DONE) return rc;
    return DB_OK;
}

/* 移出: while the campaign is in progress. */
static int item_remove(struct entity_write *w) {
    int64_t campaign = (int64_t)json_integer_value(json_object_get(w->cur, "campaign_id"));
    char status[16] = "";
    struct db_stmt *st =
        db_queryv(w->c->db, "SELECT status FROM campaigns WHERE id = ?", "i", campaign);
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW) snprintf(status, sizeof status, "%s", db_col_text(st, 0));
    db_done(st);
    if (rc < 0) return rc;
    if (strcmp(status, "active")) {
        w->zh = "已结束的专项行动不能移出事项";
        w->en = "Items of an ended campaign stay";
        return ENTITY_FORBIDDEN;
    }
    int64_t gone = 0;
    if (db_query_int(w->c->db, &gone, "DELETE FROM campaign_items WHERE id = ? RETURNING 1", "i",
                     w->id) == DB_DONE)
        return ENTITY_NOT_FOUND;
    const char *kind = json_string_value(json_object_get(w->cur, "kind"));
    return audit_append(
        w->c->db, w->actor, "campaign.untag", "campaign", id_text(w->c->arena, campaign), "ok",
        arena_printf(w->c->arena, "{\"kind\":\"%s\",\"record_id\":%lld}", kind ? kind : "",
                     (long long)json_integer_value(json_object_get(w->cur, "record_id"))));
}

static const struct field item_fields[] = {
    {"id", FT_INT, "序号", "ID", 0, 0, F_READONLY},
    {"campaign_id", FT_REF, "专项行动", "Campaign", 0, 0, F_FILTER | F_READONLY,
     .ref = "campaigns"},
    {"campaign_name", FT_TEXT, "专项行动", "Campaign", 0, 0, F_LIST | F_EXPORT | F_READONLY,
     .sql = "cp.name"},
    {"kind", FT_TEXT, "事项类型", "Kind", 0, 32, F_FILTER | F_READONLY},
    {"kind_name", FT_TEXT, "事项类型", "Kind", 0, 0, F_LIST | F_EXPORT | F_VIRTUAL | F_READONLY},
    {"record_id", FT_INT, "事项序号", "Record", 0, 0, F_READONLY},
    {"record_no", FT_TEXT, "编号", "Number", 0, 0, F_LIST | F_EXPORT | F_VIRTUAL | F_READONLY},
    {"record_title", FT_TEXT, "事项摘要", "Summary", 0, 0,
     F_LIST | F_EXPORT | F_VIRTUAL | F_READONLY},
    {"record_status", FT_TEXT, "状态", "State", 0, 0, F_VIRTUAL | F_READONLY},
    {"record_status_name", FT_TEXT, "状态", "State", 0, 0,
     F_LIST | F_EXPORT | F_VIRTUAL | F_READONLY},
    {"cleared", FT_BOOL, "已清理", "Cleared", 0, 0, F_LIST | F_EXPORT | F_VIRTUAL | F_READONLY},
    {"record_link", FT_TEXT, "链接", "Link", 0, 0, F_VIRTUAL | F_READONLY},
    {"unit_id", FT_UNIT, "责任单位", "Unit", 0, 0, F_FILTER | F_READONLY, .ref = "units"},
    {"unit_name", FT_TEXT, "责任单位", "Unit", 0, 0, F_LIST | F_EXPORT | F_READONLY,
     .sql = "un.name"},
    {"tagged_at", FT_DATETIME, "纳入时间", "Tagged", 0, 0, F_LIST | F_SORT | F_EXPORT | F_READONLY},
    {"tagged_by_name", FT_TEXT, "纳入人", "Tagged by", 0, 0, F_READONLY, .sql = "tb.display_name"},
};

const struct entity entity_campaign_items = {
    .name = "campaign_items",
    .path = "/api/v1/campaign-items",
    .zh = "专项行动事项",
    .en = "Campaign items",
    .table = "campaign_items",
    .alias = "i",
    .from = "campaign_items i JOIN campaigns cp ON cp.id = i.campaign_id "
            "LEFT JOIN units un ON un.id = i.unit_id LEFT JOIN users tb ON tb.id = i.tagged_by",
    .fields = item_fields,
    .n_fields = N(item_fields),
    /* an item is read by the unit responsible for its record (when it was tagged); the office
     * (scope all) reads every one */
    .scope = {.unit_column = "i.unit_id"},
    .filters = item_filters,
    .n_filters = N(item_filters),
    .default_sort = "-tagged_at",
    .perm_read = &perm_campaign_view,
    .perm_delete = &perm_campaign_work,
    .unversioned = 1,
    .audit_type = "campaign",
    .export_name = "campaign-items",
    .export_sheet = "专项行动事项",
    .decorate = items_decorate,
    .remove = item_remove,
};

/* ---- tagging ---- */

int campaign_tag(struct db *db, struct arena *a, const struct principal *who,
                 const struct audit_actor *actor, int lang, int64_t campaign_id, const char *kind,
                 int64_t record_id, int64_t *item_id) {
    struct entity_ctx cc;
    int rc = entity_ctx_init(&cc, db, a, &entity_campaigns, who, lang, EP_GET);
    if (rc != DB_OK) return rc;
    json_t *cp = entity_get(&cc, campaign_id, &rc);
    if (!cp) return rc == DB_DONE ? CAMPAIGN_NOT_FOUND : rc;
    int active = !strcmp(entity_text(cp, "status"), "active");
    json_decref(cp);
    const struct flow_kind *fk = flow_kind_by_name(kind);
    const struct entity *e = fk && fk->entity ? entity_by_name(fk->entity) : NULL;
    if (!e || e == &entity_campaigns) return CAMPAIGN_BAD_KIND;
    struct entity_ctx rc_ctx;
    rc = entity_ctx_init(&rc_ctx, db, a, e, who, lang, EP_GET);
    if (rc != DB_OK) return rc;
    if (!entity_can_read(e, who)) return CAMPAIGN_RECORD_NOT_FOUND;
    json_t *rec = entity_get(&rc_ctx, record_id, &rc);
    if (!rec) return rc == DB_DONE ? CAMPAIGN_RECORD_NOT_FOUND : rc;
    json_decref(rec);
    if (!active) return CAMPAIGN_ENDED;
    int64_t n = 0;
    if (db_query_int(db, &n,
                     "SELECT COUNT(*) FROM campaign_items WHERE campaign_id = ? AND kind = ? AND "
                     "record_id = ?",
                     "isi", campaign_id, kind, record_id) != DB_ROW)
        return DB_ERROR;
    if (n) return CAMPAIGN_TAGGED;
    int64_t unit = 0;
    if (fk->unit_column) {
        rc = db_query_int(db, &unit,
                          arena_printf(a, "SELECT COALESCE(%s, 0) FROM %s WHERE id = ?",
                                       fk->unit_column, fk->table),
                          "i", record_id);
        if (rc != DB_ROW) return rc < 0 ? rc : DB_ERROR;
    }
    char now[21];
    now_iso(now);
    struct db_stmt *st = db_prepare(db, "INSERT INTO campaign_items (campaign_id, kind, record_id, "
                                        "unit_id, tagged_at, tagged_by) VALUES (?, ?, ?, ?, ?, ?) "
                                        "RETURNING id");
    if (!st) return DB_ERROR;
    db_bind_id(st, 1, campaign_id);
    db_bind_text(st, 2, kind);
    db_bind_id(st, 3, record_id);
    db_bind_id(st, 4, unit);
    db_bind_text(st, 5, now);
    db_bind_id(st, 6, actor->user_id);
    rc = db_step(st);
    if (rc == DB_ROW) *item_id = db_col_int(st, 0);
    db_done(st);
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERROR;
    return audit_append(db, actor, "campaign.tag", "campaign", id_text(a, campaign_id), "ok",
                        arena_printf(a, "{\"kind\":\"%s\",\"record_id\":%lld,\"item_id\":%lld}",
                                     kind, (long long)record_id, (long long)*item_id));
}
