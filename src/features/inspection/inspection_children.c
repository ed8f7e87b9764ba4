/* inspection_children.c — a plan's child records: 督察事项 (items, each with its legal basis),
 * 督察组 (team: inspectors of the directory, one leader), 被督察单位 (targets, whose receipt of
 * the notice is the kind inspection_target: a unit's own account acknowledges it) and 督察记录
 * (records per target while the plan is 实施中: method, date, participants, what was checked,
 * conclusion, evidence attachments, optionally a 案卷评查 sheet as the check list).
 *
 * Items, team and targets change only while the plan is drafted or returned; who reads them is
 * who reads the plan (inspection_plan_condition), targets and records also by their unit. */
#include <stdio.h>
#include <string.h>

#include "base/calendar.h"
#include "base/timeutil.h"
#include "features/files/files.h"
#include "features/inspection/inspection.h"

/* Declarations leave trailing fields out: 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#define N(a) (int)(sizeof(a) / sizeof((a)[0]))

/* ---- the plan a child belongs to ---- */

struct plan_row {
    char status[16];
    char methods[256];
    char start_on[11], end_on[11];
};

/* The plan `id` as the caller reads it (its visibility): DB_ROW, DB_DONE (none, or not theirs),
 * or < 0. */
static int plan_read(const struct entity_write *w, int64_t id, struct plan_row *out) {
    struct entity_ctx c;
    int rc = entity_ctx_init(&c, w->c->db, w->c->arena, &entity_inspection_plans, w->c->who,
                             w->c->lang, EP_GET);
    if (rc != DB_OK) return rc;
    struct query q;
    query_init(&q, w->c->arena,
               "SELECT p.status, p.methods, p.start_on, p.end_on FROM inspection_plans p "
               "WHERE p.id = ?");
    query_add(&q, "", "i", id);
    entity_conditions(&c, &q, NULL);
    struct db_stmt *st = query_prepare(w->c->db, &q);
    rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW) {
        snprintf(out->status, sizeof out->status, "%s", db_col_text(st, 0));
        snprintf(out->methods, sizeof out->methods, "%s", db_col_text(st, 1));
        snprintf(out->start_on, sizeof out->start_on, "%s", db_col_text(st, 2));
        snprintf(out->end_on, sizeof out->end_on, "%s", db_col_text(st, 3));
    }
    db_done(st);
    return rc;
}

static int64_t plan_of(const struct entity_write *w) {
    json_t *v = json_object_get(w->in, "plan_id");
    if (!json_is_integer(v) && w->cur) v = json_object_get(w->cur, "plan_id");
    return json_is_integer(v) ? (int64_t)json_integer_value(v) : 0;
}

static int editable(const char *status) {
    return !strcmp(status, "draft") || !strcmp(status, "returned");
}

/* A write of an item, a team member or a target: the plan is the caller's and still drafted or
 * returned. Adds the problem on plan_id; *row the plan. DB_OK (problems in w->pr) or < 0. */
static int plan_check(struct entity_write *w, struct plan_row *row, const char *zh,
                      const char *en) {
    int64_t id = plan_of(w);
    if (!id) return DB_OK;
    int rc = plan_read(w, id, row);
    if (rc < 0) return rc;
    if (rc != DB_ROW)
        problem_add(w->pr, "plan_id", "督察方案不存在或不在您的范围内",
                    "No such inspection plan in your scope");
    else if (!editable(row->status))
        problem_add(w->pr, "plan_id", zh, en);
    return DB_OK;
}

/* Removing a child: the same rule, answered 403 in words. */
static int plan_remove_check(struct entity_write *w, const char *zh, const char *en) {
    struct plan_row row;
    int rc = plan_read(w, plan_of(w), &row);
    if (rc < 0) return rc;
    if (rc != DB_ROW || !editable(row.status)) {
        w->zh = zh;
        w->en = en;
        return ENTITY_FORBIDDEN;
    }
    return DB_OK;
}

static int generic_remove(struct entity_write *w, const char *table, const char *type) {
    int rc = db_exec(w->c->db, arena_printf(w->c->arena, "DELETE FROM %s WHERE id = ?", table), "i",
                     w->id);
    if (rc == DB_CONSTRAINT) return ENTITY_IN_USE;
    if (rc != DB_OK) return rc;
    return audit_append(w->c->db, w->actor, arena_printf(w->c->arena, "%s.delete", type), type,
                        arena_printf(w->c->arena, "%lld", (long long)w->id), "ok", "");
}

static void by_plan(const struct entity_ctx *c, struct query *q, const char *alias) {
    inspection_plan_condition(c, q, arena_printf(c->arena, "%s.plan_id", alias), NULL);
}
static void by_plan_or_unit(const struct entity_ctx *c, struct query *q, const char *alias) {
    inspection_plan_condition(c, q, arena_printf(c->arena, "%s.plan_id", alias),
                              arena_printf(c->arena, "%s.unit_id", alias));
}

/* ---- 督察事项 ---- */

#define ITEM_LOCKED_ZH "方案已报批，不能再修改督察事项"
#define ITEM_LOCKED_EN "The plan has been submitted: its items no longer change"

static int item_validate(struct entity_write *w) {
    struct plan_row row;
    return plan_check(w, &row, ITEM_LOCKED_ZH, ITEM_LOCKED_EN);
}
static int item_remove(struct entity_write *w) {
    int rc = plan_remove_check(w, ITEM_LOCKED_ZH, ITEM_LOCKED_EN);
    return rc != DB_OK ? rc : generic_remove(w, "inspection_items", "inspection_item");
}
static void items_visible(const struct entity_ctx *c, struct query *q) {
    by_plan(c, q, "i");
}

static const struct field item_fields[] = {
    {"id", FT_INT, "序号", "ID", 0, 0, F_READONLY},
    {"plan_id", FT_REF, "督察方案", "Plan", 1, FIELD_ID_MAX,
     F_REQUIRED | F_FILTER | F_CREATE | F_IMPORT | F_EXPORT, .ref = "inspection_plans",
     .hint = "方案的序号（方案详情页地址中的数字）"},
    {"plan_no", FT_TEXT, "方案编号", "Plan number", 0, 0, F_EXPORT | F_READONLY,
     .sql = "ip.plan_no"},
    {"seq", FT_INT, "顺序", "Order", 1, 999,
     F_REQUIRED | F_LIST | F_SORT | F_CREATE | F_UPDATE | F_IMPORT | F_EXPORT},
    {"content", FT_TEXT, "督察事项", "Item", 1, 500,
     F_REQUIRED | F_LIST | F_SEARCH | F_CREATE | F_UPDATE | F_IMPORT | F_EXPORT},
    {"basis", FT_TEXT, "法律依据", "Legal basis", 1, 500,
     F_REQUIRED | F_LIST | F_SEARCH | F_CREATE | F_UPDATE | F_IMPORT | F_EXPORT,
     .hint = "如：《中华人民共和国行政处罚法》第三十九条"},
    {"method", FT_ENUM, "检查方式", "Method", 0, 0,
     F_LIST | F_FILTER | F_LABEL | F_CREATE | F_UPDATE | F_IMPORT | F_EXPORT, inspection_methods,
     INSPECTION_METHODS},
    {"created_at", FT_DATETIME, "创建时间", "Created", 0, 0, F_READONLY},
    {"updated_at", FT_DATETIME, "更新时间", "Updated", 0, 0, F_READONLY},
    {"version", FT_INT, "版本", "Version", 0, 0, F_READONLY},
};

static const char *const item_example[] = {"1", "1", "行政执法公示制度落实情况",
                                           "《中华人民共和国行政处罚法》第三十九条",
                                           "查阅资料/案卷"};

const struct entity entity_inspection_items = {
    .name = "inspection_items",
    .path = "/api/v1/inspection-items",
    .zh = "督察事项",
    .en = "Inspection items",
    .table = "inspection_items",
    .alias = "i",
    .from = "inspection_items i JOIN inspection_plans ip ON ip.id = i.plan_id",
    .fields = item_fields,
    .n_fields = ENTITY_N(item_fields),
    .scope = {.unscoped = "an item is its plan's: whoever reads the plan reads its items (the "
                          "visible hook applies the plan's rule)"},
    .default_sort = "seq",
    .per_page = 50,
    .perm_read = &perm_inspection_view,
    .perm_create = &perm_inspection_manage,
    .perm_update = &perm_inspection_manage,
    .perm_delete = &perm_inspection_manage,
    .audit_type = "inspection_item",
    .export_name = "inspection-items",
    .export_sheet = "督察事项",
    .visible = items_visible,
    .validate = item_validate,
    .remove = item_remove,
    .import_example = item_example,
};

/* ---- 督察组 ---- */

static const struct field_option team_roles[] = {
    {"leader", "组长", "Leader", "danger"},
    {"member", "成员", "Member", ""},
};

#define TEAM_LOCKED_ZH "方案已报批，不能再调整督察组"
#define TEAM_LOCKED_EN "The plan has been submitted: its team no longer changes"

static int team_validate(struct entity_write *w) {
    struct plan_row row;
    int rc = plan_check(w, &row, TEAM_LOCKED_ZH, TEAM_LOCKED_EN);
    if (rc != DB_OK) return rc;
    int64_t plan = plan_of(w);
    json_t *who = json_object_get(w->in, "inspector_id");
    if (json_is_integer(who)) {
        int64_t n = 0;
        rc = db_query_int(w->c->db, &n,
                          "SELECT COUNT(*) FROM inspectors WHERE id = ? AND active = 1", "i",
                          (int64_t)json_integer_value(who));
        if (rc != DB_ROW) return rc < 0 ? rc : DB_ERROR;
        if (!n)
            problem_add(w->pr, "inspector_id", "督察人员不存在或不在库",
                        "No such inspector in the pool");
        rc = db_query_int(w->c->db, &n,
                          "SELECT COUNT(*) FROM inspection_team WHERE plan_id = ? AND "
                          "inspector_id = ? AND id <> ?",
                          "iii", plan, (int64_t)json_integer_value(who), w->id);
        if (rc != DB_ROW) return rc < 0 ? rc : DB_ERROR;
        if (n)
            problem_add(w->pr, "inspector_id", "该人员已在本督察组",
                        "This inspector is on the team already");
    }
    const char *role = json_string_value(json_object_get(w->in, "role"));
    if (role && !strcmp(role, "leader")) {
        int64_t n = 0;
        rc = db_query_int(w->c->db, &n,
                          "SELECT COUNT(*) FROM inspection_team WHERE plan_id = ? AND "
                          "role = 'leader' AND id <> ?",
                          "ii", plan, w->id);
        if (rc != DB_ROW) return rc < 0 ? rc : DB_ERROR;
        if (n) problem_add(w->pr, "role", "督察组已有组长", "The team has a leader already");
    }
    return DB_OK;
}
static int team_remove(struct entity_write *w) {
    int rc = plan_remove_check(w, TEAM_LOCKED_ZH, TEAM_LOCKED_EN);
    return rc != DB_OK ? rc : generic_remove(w, "inspection_team", "inspection_member");
}
static void team_visible(const struct entity_ctx *c, struct query *q) {
    by_plan(c, q, "m");
}

static const struct field team_fields[] = {
    {"id", FT_INT, "序号", "ID", 0, 0, F_READONLY},
    {"plan_id", FT_REF, "督察方案", "Plan", 1, FIELD_ID_MAX, F_REQUIRED | F_FILTER | F_CREATE,
     .ref = "inspection_plans"},
    {"inspector_id", FT_REF, "督察人员", "Inspector", 1, FIELD_ID_MAX,
     F_REQUIRED | F_FILTER | F_CREATE | F_UPDATE, .ref = "inspectors",
     .hint = "从督察人员库中选择，可为人大代表、专家、律师等单位外人员"},
    {"inspector_name", FT_TEXT, "姓名", "Name", 0, 0, F_LIST | F_EXPORT | F_READONLY,
     .sql = "ii.name"},
    {"role", FT_ENUM, "组内职务", "Role", 0, 0,
     F_REQUIRED | F_LIST | F_FILTER | F_LABEL | F_CREATE | F_UPDATE | F_EXPORT, team_roles,
     N(team_roles)},
    {"employer", FT_TEXT, "单位", "Unit or employer", 0, 0, F_LIST | F_EXPORT | F_READONLY,
     .sql = "COALESCE(iu.name, ii.employer)"},
    {"title", FT_TEXT, "职务/职称", "Title", 0, 0, F_LIST | F_EXPORT | F_READONLY,
     .sql = "ii.title"},
    {"created_at", FT_DATETIME, "创建时间", "Created", 0, 0, F_READONLY},
    {"updated_at", FT_DATETIME, "更新时间", "Updated", 0, 0, F_READONLY},
    {"version", FT_INT, "版本", "Version", 0, 0, F_READONLY},
};

static const struct entity_sort team_sorts[] = {
    {"leader_first", "CASE WHEN m.role = 'leader' THEN 0 ELSE 1 END, m.id"},
};

const struct entity entity_inspection_team = {
    .name = "inspection_team",
    .path = "/api/v1/inspection-team",
    .zh = "督察组成员",
    .en = "Inspection team",
    .table = "inspection_team",
    .alias = "m",
    .from = "inspection_team m JOIN inspectors ii ON ii.id = m.inspector_id "
            "LEFT JOIN units iu ON iu.id = ii.unit_id",
    .fields = team_fields,
    .n_fields = ENTITY_N(team_fields),
    .scope = {.unscoped = "a team is its plan's: whoever reads the plan reads its team (the "
                          "visible hook applies the plan's rule); members may be outside the "
                          "unit tree"},
    .sorts = team_sorts,
    .n_sorts = N(team_sorts),
    .default_sort = "leader_first",
    .perm_read = &perm_inspection_view,
    .perm_create = &perm_inspection_manage,
    .perm_update = &perm_inspection_manage,
    .perm_delete = &perm_inspection_manage,
    .audit_type = "inspection_member",
    .visible = team_visible,
    .validate = team_validate,
    .remove = team_remove,
};

/* ---- 被督察单位 and the receipt of the notice ---- */

enum { TS_PENDING, TS_ACKED, TS_STATES };
static const struct flow_state target_states[TS_STATES] = {
    [TS_PENDING] = {"pending", "待签收", "Not acknowledged", 0, "warning"},
    [TS_ACKED] = {"acknowledged", "已签收", "Acknowledged", 0, "success"},
};
static const struct field_option target_status_options[TS_STATES] = {
    [TS_PENDING] = {"pending", "待签收", "Not acknowledged", "warning"},
    [TS_ACKED] = {"acknowledged", "已签收", "Acknowledged", "success"},
};

struct it_ctx {
    struct flow_ctx base;
    int64_t unit_id;
    int notified;
};
#define IT(c) ((struct it_ctx *)(c))

static int target_load(struct flow_ctx *fc) {
    struct db_stmt *st = db_queryv(fc->db,
                                   "SELECT t.status, p.title, u.name, t.unit_id, "
                                   "t.notified_at IS NOT NULL FROM inspection_targets t JOIN "
                                   "inspection_plans p ON p.id = t.plan_id JOIN units u ON "
                                   "u.id = t.unit_id WHERE t.id = ?",
                                   "i", fc->id);
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW) {
        fc->status = flow_state_index(fc->kind, db_col_text(st, 0));
        fc->title = arena_printf(fc->a, "%s（%s）", db_col_text(st, 1), db_col_text(st, 2));
        IT(fc)->unit_id = db_col_int(st, 3);
        IT(fc)->notified = (int)db_col_int(st, 4);
    }
    db_done(st);
    return rc;
}

/* The inspected unit's own accounts acknowledge (not the office on its behalf: the receipt is
 * the unit's word that it has the notice). */
static int r_own_unit(const struct flow_ctx *c) {
    const struct principal *p = c->actor ? c->actor->who : NULL;
    return p && p->unit_id == IT(c)->unit_id;
}
static const struct flow_relation target_relations[] = {
    {"own_unit", "被督察单位本单位", "The inspected unit itself", r_own_unit},
};
static int g_notified(const struct flow_ctx *c) {
    return IT(c)->notified;
}
static const struct flow_guard guards_ack[] = {
    {g_notified, "督察通知尚未发出，无需签收", "The notice has not been sent yet"},
};

static int fx_acknowledge(struct flow_ctx *c) {
    char now[21];
    now_iso(now);
    return db_exec(c->db,
                   "UPDATE inspection_targets SET acknowledged_at = ?, acknowledged_by = ? "
                   "WHERE id = ?",
                   "sii", now, c->actor->audit->user_id, c->id) == DB_OK
               ? FLOW_OK
               : FLOW_DB;
}

static const struct flow_transition target_transitions[] = {
    {"acknowledge", "签收督察通知", "Acknowledge the notice", 1u << TS_PENDING, TS_ACKED,
     &perm_inspection_view, "own_unit", 0, NULL, 0, guards_ack, N(guards_ack), fx_acknowledge, NULL,
     0, NULL, "primary"},
};

const struct flow_kind inspection_target_kind = {
    .name = "inspection_target",
    .zh = "督察通知签收",
    .en = "Inspection notice receipt",
    .entity = "inspection_targets",
    .table = "inspection_targets",
    .audit_type = "inspection_target",
    .web_path = "/inspection-targets",
    .perm_read = &perm_inspection_view,
    .states = target_states,
    .n_states = TS_STATES,
    .transitions = target_transitions,
    .n_transitions = N(target_transitions),
    .relations = target_relations,
    .n_relations = N(target_relations),
    .ctx_size = sizeof(struct it_ctx),
    .load = target_load,
};

#define TARGET_LOCKED_ZH "方案已报批，不能再调整被督察单位"
#define TARGET_LOCKED_EN "The plan has been submitted: its targets no longer change"

static int target_validate(struct entity_write *w) {
    struct plan_row row;
    memset(&row, 0, sizeof row);
    int rc = plan_check(w, &row, TARGET_LOCKED_ZH, TARGET_LOCKED_EN);
    if (rc != DB_OK) return rc;
    if ((rc = entity_check_unit(w, "unit_id", NULL, NULL)) != DB_OK) return rc;
    json_t *unit = json_object_get(w->in, "unit_id");
    if (json_is_integer(unit)) {
        int64_t n = 0;
        rc = db_query_int(w->c->db, &n,
                          "SELECT COUNT(*) FROM inspection_targets WHERE plan_id = ? AND "
                          "unit_id = ? AND id <> ?",
                          "iii", plan_of(w), (int64_t)json_integer_value(unit), w->id);
        if (rc != DB_ROW) return rc < 0 ? rc : DB_ERROR;
        if (n)
            problem_add(w->pr, "unit_id", "该单位已是本方案的被督察单位",
                        "This unit is a target of the plan already");
        rc = db_query_int(w->c->db, &n, "SELECT COUNT(*) FROM inspection_targets WHERE plan_id = ?",
                          "i", plan_of(w));
        if (rc != DB_ROW) return rc < 0 ? rc : DB_ERROR;
        if (!w->cur && n >= INSPECTION_TARGETS_MAX)
            problem_add(w->pr, "unit_id", "一个方案的被督察单位已达上限（500 个）",
                        "A plan names at most 500 units");
    }
    const char *planned = json_string_value(json_object_get(w->in, "planned_on"));
    if (planned && *planned && *row.start_on &&
        (strcmp(planned, row.start_on) < 0 || strcmp(planned, row.end_on) > 0))
        problem_add(w->pr, "planned_on", "计划督察日期须在方案的督察时间内",
                    "The planned day must lie within the plan's schedule");
    return DB_OK;
}
static int target_remove(struct entity_write *w) {
    int rc = plan_remove_check(w, TARGET_LOCKED_ZH, TARGET_LOCKED_EN);
    return rc != DB_OK ? rc : generic_remove(w, "inspection_targets", "inspection_target");
}
static int target_create(struct entity_write *w) {
    char now[21];
    now_iso(now);
    const char *planned = entity_text(w->in, "planned_on");
    struct db_stmt *st =
        db_prepare(w->c->db, "INSERT INTO inspection_targets (plan_id, unit_id, planned_on,"
                             " status, created_at, updated_at, version) VALUES (?, ?, ?,"
                             " 'pending', ?, ?, 1) RETURNING id");
    if (!st) return DB_ERROR;
    db_bind_id(st, 1, plan_of(w));
    db_bind_id(st, 2, (int64_t)json_integer_value(json_object_get(w->in, "unit_id")));
    if (*planned)
        db_bind_text(st, 3, planned);
    else
        db_bind_null(st, 3);
    db_bind_text(st, 4, now);
    db_bind_text(st, 5, now);
    int rc = db_step(st);
    if (rc == DB_ROW) w->id = db_col_int(st, 0);
    db_done(st);
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERROR;
    return audit_append(w->c->db, w->actor, "inspection_target.create", "inspection_target",
                        arena_printf(w->c->arena, "%lld", (long long)w->id), "ok",
                        arena_printf(w->c->arena, "{\"plan_id\":%lld}", (long long)plan_of(w)));
}
static void targets_visible(const struct entity_ctx *c, struct query *q) {
    by_plan_or_unit(c, q, "t");
}

static const struct field target_fields[] = {
    {"id", FT_INT, "序号", "ID", 0, 0, F_READONLY},
    {"plan_id", FT_REF, "督察方案", "Plan", 1, FIELD_ID_MAX, F_REQUIRED | F_FILTER | F_CREATE,
     .ref = "inspection_plans"},
    {"plan_title", FT_TEXT, "督察方案", "Plan", 0, 0, F_LIST | F_EXPORT | F_READONLY,
     .sql = "tp.title"},
    {"title", FT_TEXT, "督察通知", "Notice", 0, 0, F_READONLY,
     .sql = "tp.title || '（' || tu.name || '）'"},
    {"unit_id", FT_UNIT, "被督察单位", "Inspected unit", 0, 0, F_REQUIRED | F_FILTER | F_CREATE,
     .ref = "units"},
    {"unit_name", FT_TEXT, "被督察单位", "Inspected unit", 0, 0, F_LIST | F_EXPORT | F_READONLY,
     .sql = "tu.name"},
    {"planned_on", FT_DATE, "计划督察日期", "Planned day", 0, 0,
     F_LIST | F_SORT | F_CREATE | F_UPDATE | F_EXPORT},
    {"plan_start_on", FT_DATE, "督察开始", "Inspection begins", 0, 0, F_READONLY,
     .sql = "tp.start_on"},
    {"plan_end_on", FT_DATE, "督察结束", "Inspection ends", 0, 0, F_READONLY, .sql = "tp.end_on"},
    {"plan_prepare", FT_LONGTEXT, "需准备事项", "What to prepare", 0, 0, F_READONLY,
     .sql = "tp.prepare"},
    {"notified_at", FT_DATETIME, "通知时间", "Notified", 0, 0, F_LIST | F_EXPORT | F_READONLY},
    {"acknowledged_at", FT_DATETIME, "签收时间", "Acknowledged", 0, 0,
     F_LIST | F_EXPORT | F_READONLY},
    {"acknowledged_by_name", FT_TEXT, "签收人", "Acknowledged by", 0, 0,
     F_LIST | F_EXPORT | F_READONLY, .sql = "ta.display_name"},
    {"status", FT_ENUM, "签收状态", "Receipt", 0, 0, F_LIST | F_FILTER | F_EXPORT | F_READONLY,
     target_status_options, TS_STATES},
    {"created_at", FT_DATETIME, "创建时间", "Created", 0, 0, F_READONLY},
    {"updated_at", FT_DATETIME, "更新时间", "Updated", 0, 0, F_READONLY},
    {"version", FT_INT, "版本", "Version", 0, 0, F_READONLY},
};

const struct entity entity_inspection_targets = {
    .name = "inspection_targets",
    .path = "/api/v1/inspection-targets",
    .zh = "被督察单位",
    .en = "Inspected units",
    .table = "inspection_targets",
    .alias = "t",
    .from = "inspection_targets t JOIN inspection_plans tp ON tp.id = t.plan_id "
            "JOIN units tu ON tu.id = t.unit_id LEFT JOIN users ta ON ta.id = t.acknowledged_by",
    .fields = target_fields,
    .n_fields = ENTITY_N(target_fields),
    .scope = {.unscoped = "a target is its plan's: the plans one is on, and (with a unit scope) "
                          "the rows of one's own units (the visible hook)"},
    .default_sort = "planned_on",
    .perm_read = &perm_inspection_view,
    .perm_create = &perm_inspection_manage,
    .perm_update = &perm_inspection_manage,
    .perm_delete = &perm_inspection_manage,
    .audit_type = "inspection_target",
    .export_name = "inspection-targets",
    .export_sheet = "被督察单位",
    .kind = &inspection_target_kind,
    .visible = targets_visible,
    .validate = target_validate,
    .create = target_create,
    .remove = target_remove,
};

/* ---- 督察记录 ---- */

#define ATTACHMENTS_MAX 20

static int record_validate(struct entity_write *w) {
    int64_t plan = plan_of(w);
    struct plan_row row;
    memset(&row, 0, sizeof row);
    if (plan) {
        int rc = plan_read(w, plan, &row);
        if (rc < 0) return rc;
        if (rc != DB_ROW) {
            problem_add(w->pr, "plan_id", "督察方案不存在或不在您的范围内",
                        "No such inspection plan in your scope");
            return DB_OK;
        }
        if (strcmp(row.status, "in_progress")) {
            problem_add(w->pr, "plan_id", "督察方案不在实施中，不能登记督察记录",
                        "The plan is not in progress: no inspection record can be added");
            return DB_OK;
        }
        const struct principal *p = w->c->who;
        if (!perm_has(p->perms, &perm_inspection_manage)) {
            int64_t n = 0;
            int rc2 = db_query_int(w->c->db, &n,
                                   "SELECT COUNT(*) FROM inspection_team m JOIN inspectors vi ON "
                                   "vi.id = m.inspector_id WHERE m.plan_id = ? AND vi.user_id = ?",
                                   "ii", plan, p->user_id);
            if (rc2 != DB_ROW) return rc2 < 0 ? rc2 : DB_ERROR;
            if (!n)
                problem_add(w->pr, "plan_id", "只有督察组成员可以登记督察记录",
                            "Only a member of the plan's team records an inspection");
        }
    }
    json_t *unit = json_object_get(w->in, "unit_id");
    if (!json_is_integer(unit) && w->cur) unit = json_object_get(w->cur, "unit_id");
    if (plan && json_is_integer(unit)) {
        int64_t n = 0;
        int rc = db_query_int(w->c->db, &n,
                              "SELECT COUNT(*) FROM inspection_targets WHERE plan_id = ? AND "
                              "unit_id = ?",
                              "ii", plan, (int64_t)json_integer_value(unit));
        if (rc != DB_ROW) return rc < 0 ? rc : DB_ERROR;
        if (!n)
            problem_add(w->pr, "unit_id", "该单位不是本方案的被督察单位",
                        "This unit is not inspected under the plan");
    }
    const char *method = json_string_value(json_object_get(w->in, "method"));
    if (plan && method) {
        char list[260];
        snprintf(list, sizeof list, ",%s,", row.methods);
        if (!strstr(list, arena_printf(w->c->arena, ",%s,", method)))
            problem_add(w->pr, "method", "督察方式须为方案确定的方式之一",
                        "The method must be one of the plan's methods");
    }
    const char *day = json_string_value(json_object_get(w->in, "inspected_on"));
    int32_t d = 0;
    if (day && date_parse(day, &d) == 0) {
        if (d > date_today())
            problem_add(w->pr, "inspected_on", "不能晚于今天", "Cannot be later than today");
        else if (*row.start_on && strcmp(day, row.start_on) < 0)
            problem_add(w->pr, "inspected_on", "不能早于方案的督察开始日期",
                        "Cannot be before the plan's inspection begins");
    }
    json_t *review = json_object_get(w->in, "case_review_id");
    if (json_is_integer(review) && json_is_integer(unit)) {
        int64_t n = 0;
        int rc = db_query_int(
            w->c->db, &n, "SELECT COUNT(*) FROM case_reviews WHERE id = ? AND unit_id = ?", "ii",
            (int64_t)json_integer_value(review), (int64_t)json_integer_value(unit));
        if (rc != DB_ROW) return rc < 0 ? rc : DB_ERROR;
        if (!n)
            problem_add(w->pr, "case_review_id", "案卷评查表不存在或不是该被督察单位的案卷",
                        "No such case-file review of the inspected unit");
    }
    return DB_OK;
}

/* attachment_ids of the body: the writer's uploads, given to the record as its evidence. */
static int claim_evidence(struct entity_write *w) {
    return entity_claim_files(w, json_object_get(w->in, "attachment_ids"), "inspection_record",
                              ATTACHMENTS_MAX);
}

static void bind_opt_id(struct db_stmt *st, int idx, json_t *v) {
    if (json_is_integer(v))
        db_bind_id(st, idx, (int64_t)json_integer_value(v));
    else
        db_bind_null(st, idx);
}

static int record_create(struct entity_write *w) {
    char now[21];
    now_iso(now);
    json_t *in = w->in;
    struct db_stmt *st = db_prepare(
        w->c->db,
        "INSERT INTO inspection_records (plan_id, unit_id, method, inspected_on, participants,"
        " checked, conclusion, case_review_id, created_by, created_at, updated_at, version)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1) RETURNING id");
    if (!st) return DB_ERROR;
    db_bind_id(st, 1, plan_of(w));
    db_bind_id(st, 2, (int64_t)json_integer_value(json_object_get(in, "unit_id")));
    db_bind_text(st, 3, entity_text(in, "method"));
    db_bind_text(st, 4, entity_text(in, "inspected_on"));
    db_bind_text(st, 5, entity_text(in, "participants"));
    db_bind_text(st, 6, entity_text(in, "checked"));
    db_bind_text(st, 7, entity_text(in, "conclusion"));
    bind_opt_id(st, 8, json_object_get(in, "case_review_id"));
    db_bind_id(st, 9, w->actor->user_id);
    db_bind_text(st, 10, now);
    db_bind_text(st, 11, now);
    int rc = db_step(st);
    if (rc == DB_ROW) w->id = db_col_int(st, 0);
    db_done(st);
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERROR;
    if ((rc = claim_evidence(w)) != DB_OK) return rc;
    return audit_append(w->c->db, w->actor, "inspection_record.create", "inspection_record",
                        arena_printf(w->c->arena, "%lld", (long long)w->id), "ok",
                        arena_printf(w->c->arena, "{\"plan_id\":%lld}", (long long)plan_of(w)));
}

static int record_update(struct entity_write *w) {
    json_t *in = w->in;
    struct db_stmt *st = db_prepare(
        w->c->db, "UPDATE inspection_records SET method = ?, inspected_on = ?, participants = ?,"
                  " checked = ?, conclusion = ?, case_review_id = ? WHERE id = ?");
    if (!st) return DB_ERROR;
    db_bind_text(st, 1, entity_text(in, "method"));
    db_bind_text(st, 2, entity_text(in, "inspected_on"));
    db_bind_text(st, 3, entity_text(in, "participants"));
    db_bind_text(st, 4, entity_text(in, "checked"));
    db_bind_text(st, 5, entity_text(in, "conclusion"));
    bind_opt_id(st, 6, json_object_get(in, "case_review_id"));
    db_bind_id(st, 7, w->id);
    int rc = db_step(st);
    db_done(st);
    if (rc != DB_DONE) return rc < 0 ? rc : DB_ERROR;
    if ((rc = claim_evidence(w)) != DB_OK) return rc;
    return audit_append(w->c->db, w->actor, "inspection_record.update", "inspection_record",
                        arena_printf(w->c->arena, "%lld", (long long)w->id), "ok", "");
}

/* One record: its evidence (the files). A page shows none (one query per page would be a list
 * of lists; the record's page is where evidence is read). */
static int record_decorate(const struct entity_ctx *c, json_t *items) {
    if (c->purpose != EP_GET || json_array_size(items) != 1) return DB_OK;
    json_t *it = json_array_get(items, 0);
    json_t *files =
        files_list_json(c->db, "inspection_record", json_integer_value(json_object_get(it, "id")));
    if (!files) return DB_ERROR;
    json_object_set_new(it, "attachments", files);
    return DB_OK;
}

static void records_visible(const struct entity_ctx *c, struct query *q) {
    by_plan_or_unit(c, q, "r");
}

int inspection_record_file_readable(struct db *db, const struct principal *who, int64_t id) {
    if (!perm_has(who->perms, &perm_inspection_view)) return 0;
    int64_t n = 0;
    if (!inspection_narrowed(who))
        return db_query_int(db, &n, "SELECT COUNT(*) FROM inspection_records WHERE id = ?", "i",
                            id) == DB_ROW &&
               n > 0;
    /* the entity's own rule, for one record: on the plan's team, or the unit in one's scope */
    char like[300];
    snprintf(like, sizeof like, "%s%%", who->unit_path ? who->unit_path : "/");
    int rc = db_query_int(
        db, &n,
        "SELECT COUNT(*) FROM inspection_records r WHERE r.id = ? AND (EXISTS (SELECT 1 FROM "
        "inspection_team vm JOIN inspectors vi ON vi.id = vm.inspector_id WHERE vm.plan_id = "
        "r.plan_id AND vi.user_id = ?) OR (? = 1 AND r.unit_id = ?) OR (? = 1 AND r.unit_id IN "
        "(SELECT id FROM units WHERE path LIKE ?)))",
        "iiiiis", id, who->user_id, (int64_t)(who->scope == SCOPE_OWN), who->unit_id,
        (int64_t)(who->scope == SCOPE_SUBTREE), like);
    return rc == DB_ROW && n > 0;
}

static const struct field record_fields[] = {
    {"id", FT_INT, "序号", "ID", 0, 0, F_READONLY},
    {"plan_id", FT_REF, "督察方案", "Plan", 1, FIELD_ID_MAX, F_REQUIRED | F_FILTER | F_CREATE,
     .ref = "inspection_plans"},
    {"plan_title", FT_TEXT, "督察方案", "Plan", 0, 0, F_LIST | F_EXPORT | F_READONLY,
     .sql = "rp.title"},
    {"title", FT_TEXT, "督察记录", "Record", 0, 0, F_READONLY,
     .sql = "ru.name || ' ' || r.inspected_on || ' 督察记录'"},
    {"unit_id", FT_UNIT, "被督察单位", "Inspected unit", 0, 0, F_REQUIRED | F_FILTER | F_CREATE,
     .ref = "units", .hint = "须为本方案的被督察单位"},
    {"unit_name", FT_TEXT, "被督察单位", "Inspected unit", 0, 0, F_LIST | F_EXPORT | F_READONLY,
     .sql = "ru.name"},
    {"method", FT_ENUM, "督察方式", "Method", 0, 0,
     F_REQUIRED | F_LIST | F_FILTER | F_LABEL | F_CREATE | F_UPDATE | F_EXPORT, inspection_methods,
     INSPECTION_METHODS, .hint = "方案确定的督察方式之一"},
    {"inspected_on", FT_DATE, "督察日期", "Date", 0, 0,
     F_REQUIRED | F_LIST | F_FILTER | F_SORT | F_CREATE | F_UPDATE | F_EXPORT},
    {"participants", FT_TEXT, "参加人员", "Participants", 0, 500,
     F_LIST | F_CREATE | F_UPDATE | F_EXPORT},
    {"checked", FT_LONGTEXT, "督察内容", "What was checked", 1, 4000,
     F_REQUIRED | F_SEARCH | F_CREATE | F_UPDATE | F_EXPORT},
    {"conclusion", FT_LONGTEXT, "督察结论", "Conclusion", 0, 4000,
     F_SEARCH | F_CREATE | F_UPDATE | F_EXPORT},
    {"case_review_id", FT_REF, "案卷评查表", "Case-file review", 1, FIELD_ID_MAX,
     F_FILTER | F_CREATE | F_UPDATE, .ref = "case_reviews",
     .hint = "以该单位的一份案卷评查表作为检查清单（可不填）"},
    {"case_review_no", FT_TEXT, "评查编号", "Review number", 0, 0, F_EXPORT | F_READONLY,
     .sql = "rr.review_no"},
    {"case_review_score", FT_INT, "评查得分", "Review score", 0, 100,
     F_LIST | F_EXPORT | F_READONLY, .sql = "rr.score"},
    {"case_review_grade", FT_TEXT, "评查等次", "Review grade", 0, 0, F_EXPORT | F_READONLY,
     .sql = "rr.grade"},
    {"attachment_ids", FT_REF, "证据材料", "Evidence", 0, 0,
     F_MULTI | F_VIRTUAL | F_CREATE | F_UPDATE, .ref = "files", .max_items = ATTACHMENTS_MAX},
    {"attachments", FT_JSON, "证据材料", "Evidence", 0, 0, F_VIRTUAL | F_READONLY},
    {"created_by_name", FT_TEXT, "登记人", "Recorded by", 0, 0, F_EXPORT | F_READONLY,
     .sql = "rb.display_name"},
    {"created_at", FT_DATETIME, "登记时间", "Recorded", 0, 0, F_SORT | F_READONLY},
    {"updated_at", FT_DATETIME, "更新时间", "Updated", 0, 0, F_READONLY},
    {"version", FT_INT, "版本", "Version", 0, 0, F_READONLY},
};

static const struct entity_child record_children[] = {
    {"inspection_findings", "record_id"},
};

const struct entity entity_inspection_records = {
    .name = "inspection_records",
    .path = "/api/v1/inspection-records",
    .zh = "督察记录",
    .en = "Inspection records",
    .table = "inspection_records",
    .alias = "r",
    .from = "inspection_records r JOIN inspection_plans rp ON rp.id = r.plan_id "
            "JOIN units ru ON ru.id = r.unit_id LEFT JOIN case_reviews rr ON rr.id = "
            "r.case_review_id LEFT JOIN users rb ON rb.id = r.created_by",
    .fields = record_fields,
    .n_fields = ENTITY_N(record_fields),
    .scope = {.unscoped = "a record follows its plan: the plan's team reads it, and (with a unit "
                          "scope) the inspected unit reads its own (the visible hook)"},
    .default_sort = "-inspected_on",
    .perm_read = &perm_inspection_view,
    .perm_create = &perm_inspection_work,
    .perm_update = &perm_inspection_work,
    .audit_type = "inspection_record",
    .export_name = "inspection-records",
    .export_sheet = "督察记录",
    .visible = records_visible,
    .validate = record_validate,
    .create = record_create,
    .update = record_update,
    .decorate = record_decorate,
    .children = record_children,
    .n_children = ENTITY_N(record_children),
};
