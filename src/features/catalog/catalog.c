/* catalog.c — 决策事项目录: the year's catalogue and its items as declarations (entities, kinds)
 * with the writes they need: the catalogue's steps move its items (flow_follow), an item is
 * changed after publication only by 调整 / 调出 with a reason, or added by 增补 with one, and each
 * of these is kept (decision_item_adjustments) and shown as the item's 调整说明; the public
 * answer of a published catalogue. The module descriptor is catalog_module.c. */
#include <stdio.h>
#include <string.h>

#include "base/calendar.h"
#include "base/timeutil.h"
#include "features/catalog/catalog.h"
#include "store/query.h"

/* Declarations leave trailing fields out: 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#define N(a)    (int)(sizeof(a) / sizeof((a)[0]))
#define S(i)    (1u << (i))
#define ARGS(a) a, N(a)
#define NONE    NULL, 0

/* ---- options ---- */

static const struct field_option quarters[] = {
    {"q1", "第一季度", "Q1", ""},
    {"q2", "第二季度", "Q2", ""},
    {"q3", "第三季度", "Q3", ""},
    {"q4", "第四季度", "Q4", ""},
};

/* 重大行政决策程序暂行条例 第三条: the matters a major administrative decision is about. */
static const struct field_option matter_types[] = {
    {"policy", "重大公共政策和措施", "Major public policy or measure", "primary"},
    {"plan", "经济社会发展重要规划", "Major development plan", "success"},
    {"resources", "重要自然和文化资源开发利用保护", "Natural or cultural resources", "warning"},
    {"project", "重大公共建设项目", "Major public construction project", "danger"},
    {"other", "其他重大事项", "Other major matter", "info"},
};

enum { DC_DRAFTING, DC_SUBMITTED, DC_APPROVED, DC_PUBLISHED, DC_STATES };
static const struct flow_state catalogue_states[DC_STATES] = {
    [DC_DRAFTING] = {"drafting", "编制中", "Drafting", 0, "info"},
    [DC_SUBMITTED] = {"submitted", "报审中", "Submitted", 0, "warning"},
    [DC_APPROVED] = {"approved", "已审定", "Approved", 0, "primary"},
    [DC_PUBLISHED] = {"published", "已公布", "Published", 0, "success"},
};
static const struct field_option catalogue_status_options[DC_STATES] = {
    [DC_DRAFTING] = {"drafting", "编制中", "Drafting", "info"},
    [DC_SUBMITTED] = {"submitted", "报审中", "Submitted", "warning"},
    [DC_APPROVED] = {"approved", "已审定", "Approved", "primary"},
    [DC_PUBLISHED] = {"published", "已公布", "Published", "success"},
};

enum {
    DI_DRAFT,
    DI_SUBMITTED,
    DI_APPROVED,
    DI_PUBLISHED,
    DI_FILED,
    DI_DONE,
    DI_REMOVED,
    DI_STATES
};
static const struct flow_state item_states[DI_STATES] = {
    [DI_DRAFT] = {"draft", "编制中", "Drafting", 0, "info"},
    [DI_SUBMITTED] = {"submitted", "报审中", "Submitted", 0, "warning"},
    [DI_APPROVED] = {"approved", "已审定", "Approved", 0, "primary"},
    [DI_PUBLISHED] = {"published", "已公布", "Published", 0, "success"},
    [DI_FILED] = {"filed", "已建档", "File opened", 0, "primary"},
    [DI_DONE] = {"done", "已完成", "Decided", 1, "success"},
    [DI_REMOVED] = {"removed", "已调出", "Removed", 1, "info"},
};
static const struct field_option item_status_options[DI_STATES] = {
    [DI_DRAFT] = {"draft", "编制中", "Drafting", "info"},
    [DI_SUBMITTED] = {"submitted", "报审中", "Submitted", "warning"},
    [DI_APPROVED] = {"approved", "已审定", "Approved", "primary"},
    [DI_PUBLISHED] = {"published", "已公布", "Published", "success"},
    [DI_FILED] = {"filed", "已建档", "File opened", "primary"},
    [DI_DONE] = {"done", "已完成", "Decided", "success"},
    [DI_REMOVED] = {"removed", "已调出", "Removed", "info"},
};

static const char *option_label(const struct field_option *o, int n, const char *code, int lang) {
    for (int i = 0; code && i < n; i++)
        if (!strcmp(o[i].code, code)) return lang ? o[i].en : o[i].zh;
    return code ? code : "";
}

/* The first day of the planned month (or of the quarter's first month): the day that places an
 * item in a period (metrics) and orders the catalogue. */
static const char *planned_on(struct arena *a, int64_t year, const char *quarter, int64_t month) {
    int q = quarter && quarter[0] == 'q' ? quarter[1] - '0' : 1;
    if (q < 1 || q > 4) q = 1;
    int m = month >= 1 && month <= 12 ? (int)month : 3 * (q - 1) + 1;
    return arena_printf(a, "%04lld-%02d-01", (long long)year, m);
}

static void check_month(struct problems *pr, const char *quarter, int64_t month) {
    if (!quarter || month < 1 || month > 12) return;
    int q = quarter[0] == 'q' ? quarter[1] - '0' : 0;
    if (q >= 1 && q <= 4 && (month - 1) / 3 + 1 != q)
        problem_add(pr, "planned_month", "计划月份须在所选季度内",
                    "The planned month must lie in the planned quarter");
}

static int64_t json_int_or(json_t *o, const char *key, int64_t def) {
    json_t *v = json_object_get(o, key);
    return json_is_integer(v) ? json_integer_value(v) : def;
}

/* A day given as a step's argument (default today), never after today. */
static const char *step_day(struct flow_ctx *c, const char *arg) {
    const char *d = flow_arg_text(c, arg);
    int32_t day = c->today;
    if (d && date_parse(d, &day) != 0) day = c->today;
    if (day > c->today) flow_problem(c, arg, "不能晚于今天", "Cannot be later than today");
    char *out = arena_alloc(c->a, 11);
    date_format(day, out);
    return out;
}

/* One adjustment kept: its type (add, change, remove), reason and changes (JSON or ""); and
 * the item's 调整说明 gains a line "2026-05-10 调整（计划时间）：reason". */
static int adjustment_add(struct db *db, struct arena *a, const struct principal *p,
                          const struct audit_actor *au, int64_t item, int64_t catalogue,
                          const char *type, const char *reason, const char *changes,
                          const char *changed, const char *day) {
    char now[21];
    now_iso(now);
    int rc = db_exec(db,
                     "INSERT INTO decision_item_adjustments (item_id, catalogue_id, adjust_type, "
                     "reason, changes, adjusted_on, actor_id, actor_name, created_at) VALUES (?, "
                     "?, ?, ?, ?, ?, ?, ?, ?)",
                     "iissssiss", item, catalogue, type, reason, changes ? changes : "", day,
                     p && p->user_id ? p->user_id : 0,
                     p && p->display_name ? p->display_name : au->username, now);
    if (rc != DB_OK) return rc;
    struct db_stmt *st =
        db_queryv(db, "SELECT adjustment_note FROM decision_items WHERE id = ?", "i", item);
    rc = st ? db_step(st) : DB_ERROR;
    const char *old = rc == DB_ROW ? arena_strdup(a, db_col_text(st, 0)) : "";
    db_done(st);
    if (rc != DB_ROW) return DB_ERROR;
    const char *what = !strcmp(type, "add") ? "增补" : !strcmp(type, "remove") ? "调出" : "调整";
    const char *line = changed && *changed
                           ? arena_printf(a, "%s %s（%s）：%s", day, what, changed, reason)
                           : arena_printf(a, "%s %s：%s", day, what, reason);
    const char *note = old && *old ? arena_printf(a, "%s\n%s", old, line) : line;
    return db_exec(db,
                   "UPDATE decision_items SET adjustment_note = ?, adjusted_on = ? WHERE id = ?",
                   "ssi", note, day, item);
}

/* ================= the year's catalogue ================= */

struct dc_ctx {
    struct flow_ctx base;
    int64_t year, drafts;
    char title[64];
};
#define DC(c) ((struct dc_ctx *)(c))

static int dc_load(struct flow_ctx *fc) {
    struct dc_ctx *c = DC(fc);
    struct db_stmt *st = db_queryv(fc->db,
                                   "SELECT status, year, (SELECT COUNT(*) FROM decision_items i "
                                   "WHERE i.catalogue_id = dc.id AND i.status = 'draft') "
                                   "FROM decision_catalogues dc WHERE dc.id = ?",
                                   "i", fc->id);
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW) {
        fc->status = flow_state_index(fc->kind, db_col_text(st, 0));
        c->year = db_col_int(st, 1);
        c->drafts = db_col_int(st, 2);
        snprintf(c->title, sizeof c->title, "%lld年度重大行政决策事项目录", (long long)c->year);
        fc->title = c->title;
    }
    db_done(st);
    return rc;
}

static int g_has_drafts(const struct flow_ctx *c) {
    return DC(c)->drafts > 0;
}

/* Its items follow the step: those in `from` move to `to`, each with its event and audit. */
static int follow(struct flow_ctx *c, int from, int to, const char *action) {
    int64_t n = 0;
    int rc = flow_follow(c->db, c->a, c->actor, &decision_item_kind, "catalogue_id", c->id, from,
                         to, action, c->note, &n);
    json_object_set_new(c->detail, "items", json_integer(n));
    return rc;
}

static int fx_submit(struct flow_ctx *c) {
    char day[11];
    date_format(c->today, day);
    if (db_exec(c->db, "UPDATE decision_catalogues SET submitted_on = ? WHERE id = ?", "si", day,
                c->id) != DB_OK)
        return FLOW_DB;
    return follow(c, DI_DRAFT, DI_SUBMITTED, "submit");
}

static int fx_return(struct flow_ctx *c) {
    return follow(c, DI_SUBMITTED, DI_DRAFT, "return");
}

static int fx_approve(struct flow_ctx *c) {
    const char *day = step_day(c, "approved_on"), *ref = flow_arg_text(c, "approval_ref");
    if (c->pr->n) return FLOW_INVALID;
    json_object_set_new(c->detail, "approved_on", json_string(day));
    if (db_exec(c->db,
                "UPDATE decision_catalogues SET approved_on = ?, approval_ref = ? WHERE id = ?",
                "ssi", day, ref ? ref : "", c->id) != DB_OK)
        return FLOW_DB;
    return follow(c, DI_SUBMITTED, DI_APPROVED, "approve");
}

static int fx_publish(struct flow_ctx *c) {
    const char *day = step_day(c, "published_on"), *where = flow_arg_text(c, "publish_channel");
    if (c->pr->n) return FLOW_INVALID;
    json_object_set_new(c->detail, "published_on", json_string(day));
    if (db_exec(c->db,
                "UPDATE decision_catalogues SET published_on = ?, publish_channel = ? WHERE id = ?",
                "ssi", day, where ? where : "", c->id) != DB_OK ||
        db_exec(c->db,
                "UPDATE decision_items SET published_on = ? WHERE catalogue_id = ? AND "
                "status = 'approved'",
                "si", day, c->id) != DB_OK)
        return FLOW_DB;
    return follow(c, DI_APPROVED, DI_PUBLISHED, "publish");
}

static const struct flow_guard has_drafts[] = {
    {g_has_drafts, "目录中没有编制中的事项，不能报审", "The catalogue has no items to submit"},
};
static const struct field args_approve[] = {
    {"approved_on", FT_DATE, "审定日期", "Approved on", 0, 0, 0},
    {"approval_ref", FT_TEXT, "审定依据（会议或文件）", "Approved by (meeting or document)", 1, 200,
     F_REQUIRED},
};
static const struct field args_publish[] = {
    {"published_on", FT_DATE, "公布日期", "Published on", 0, 0, 0},
    {"publish_channel", FT_TEXT, "公布载体", "Published in", 1, 200, F_REQUIRED},
};
static const struct flow_confirm confirm_publish = {
    "公布后，目录事项只能以调整、增补、调出的方式变更，且须说明理由。",
    "Once published, items change only by adjustment, addition or removal, each with a reason."};

static const struct flow_transition catalogue_transitions[] = {
    {"submit", "报审", "Submit", S(DC_DRAFTING), DC_SUBMITTED, &perm_catalog_manage, NULL, 0, NONE,
     ARGS(has_drafts), fx_submit, NONE, NULL, "primary"},
    {"return", "退回修改", "Return for revision", S(DC_SUBMITTED), DC_DRAFTING,
     &perm_catalog_manage, NULL, 1, NONE, NONE, fx_return, NONE, NULL, "warning",
     .note_zh = "退回原因", .note_en = "Reason for returning"},
    {"approve", "审定", "Approve", S(DC_SUBMITTED), DC_APPROVED, &perm_catalog_manage, NULL, 0,
     ARGS(args_approve), NONE, fx_approve, NONE, NULL, "success"},
    {"publish", "公布", "Publish", S(DC_APPROVED), DC_PUBLISHED, &perm_catalog_manage, NULL, 0,
     ARGS(args_publish), NONE, fx_publish, NONE, NULL, "success", &confirm_publish},
};

const struct flow_kind decision_catalogue_kind = {
    .name = "decision_catalogue",
    .zh = "决策事项目录",
    .en = "Decision catalogue",
    .entity = "decision_catalogues",
    .table = "decision_catalogues",
    .audit_type = "decision_catalogue",
    .web_path = "/decision-catalogues",
    .perm_read = &perm_catalog_view,
    .states = catalogue_states,
    .n_states = DC_STATES,
    .transitions = catalogue_transitions,
    .n_transitions = N(catalogue_transitions),
    .events_table = "decision_catalogue_events",
    .events_key = "catalogue_id",
    .file_owner = "decision_catalogue_event", /* the approval minutes, the published text */
    .title_column = "title",
    .ctx_size = sizeof(struct dc_ctx),
    .load = dc_load,
};

static int dc_validate(struct entity_write *w) {
    if (w->cur) return DB_OK;
    int64_t year = json_int_or(w->in, "year", 0), n = 0;
    if (!year) return DB_OK;
    if (db_query_int(w->c->db, &n, "SELECT COUNT(*) FROM decision_catalogues WHERE year = ?", "i",
                     year) != DB_ROW)
        return DB_ERROR;
    if (n) problem_add(w->pr, "year", "该年度的目录已存在", "That year has a catalogue already");
    return DB_OK;
}

/* A year's catalogue, drafting: inside the caller's transaction, audited. */
static int catalogue_insert(struct db *db, struct arena *a, const struct audit_actor *actor,
                            const struct principal *p, int64_t year, const char *body,
                            int64_t *id) {
    char now[21];
    now_iso(now);
    const char *title = arena_printf(a, "%lld年度重大行政决策事项目录", (long long)year);
    struct db_stmt *st = db_prepare(db, "INSERT INTO decision_catalogues (year, title, "
                                        "deciding_body, status, created_by, created_at, "
                                        "updated_at, version) VALUES (?, ?, ?, 'drafting', ?, ?, "
                                        "?, 1) RETURNING id");
    if (!st) return DB_ERROR;
    db_bind_int(st, 1, year);
    db_bind_text(st, 2, title);
    db_bind_text(st, 3, body);
    db_bind_id(st, 4, actor->user_id);
    db_bind_text(st, 5, now);
    db_bind_text(st, 6, now);
    int rc = db_step(st);
    if (rc == DB_ROW) *id = db_col_int(st, 0);
    db_done(st);
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERROR;
    struct flow_actor fa = {p, actor};
    if (p && flow_event_append(db, a, &fa, &decision_catalogue_kind, *id, "create", "", "", 0) !=
                 FLOW_OK)
        return DB_ERROR;
    return audit_append(db, actor, "decision_catalogue.create", "decision_catalogue",
                        arena_printf(a, "%lld", (long long)*id), "ok",
                        arena_printf(a, "{\"year\":%lld}", (long long)year));
}

static int dc_create(struct entity_write *w) {
    return catalogue_insert(w->c->db, w->c->arena, w->actor, w->c->who,
                            json_int_or(w->in, "year", 0), entity_text(w->in, "deciding_body"),
                            &w->id);
}

static int dc_update(struct entity_write *w) {
    const char *status = json_string_value(json_object_get(w->cur, "status"));
    if (!status || strcmp(status, "drafting")) {
        w->zh = "目录报审后不能修改";
        w->en = "A catalogue cannot be edited once submitted";
        return ENTITY_FORBIDDEN;
    }
    int rc = db_exec(w->c->db, "UPDATE decision_catalogues SET deciding_body = ? WHERE id = ?",
                     "si", entity_text(w->in, "deciding_body"), w->id);
    if (rc != DB_OK) return rc;
    return audit_append(w->c->db, w->actor, "decision_catalogue.update", "decision_catalogue",
                        arena_printf(w->c->arena, "%lld", (long long)w->id), "ok", "");
}

static const struct field catalogue_fields[] = {
    {"id", FT_INT, "序号", "ID", 0, 0, F_READONLY},
    {"year", FT_INT, "年度", "Year", 2000, 2100,
     F_REQUIRED | F_LIST | F_FILTER | F_SORT | F_CREATE},
    {"title", FT_TEXT, "目录名称", "Title", 0, 60, F_LIST | F_SEARCH | F_READONLY},
    {"deciding_body", FT_TEXT, "决策机关", "Deciding body", 1, 100,
     F_REQUIRED | F_LIST | F_CREATE | F_UPDATE, .hint = "如：区人民政府"},
    {"item_count", FT_INT, "事项数", "Items", 0, 0, F_LIST | F_READONLY,
     .sql = "(SELECT COUNT(*) FROM decision_items i WHERE i.catalogue_id = dc.id "
            "AND i.status <> 'removed')"},
    {"status", FT_ENUM, "状态", "Status", 0, 0, F_LIST | F_FILTER | F_READONLY,
     catalogue_status_options, DC_STATES},
    {"submitted_on", FT_DATE, "报审日期", "Submitted on", 0, 0, F_READONLY},
    {"approved_on", FT_DATE, "审定日期", "Approved on", 0, 0, F_LIST | F_READONLY},
    {"approval_ref", FT_TEXT, "审定依据", "Approved by", 0, 0, F_READONLY},
    {"published_on", FT_DATE, "公布日期", "Published on", 0, 0, F_LIST | F_SORT | F_READONLY},
    {"publish_channel", FT_TEXT, "公布载体", "Published in", 0, 0, F_READONLY},
    {"created_at", FT_DATETIME, "创建时间", "Created", 0, 0, F_READONLY},
    {"updated_at", FT_DATETIME, "更新时间", "Updated", 0, 0, F_READONLY},
    {"version", FT_INT, "版本", "Version", 0, 0, F_READONLY},
};

static const struct entity_child catalogue_children[] = {{"decision_items", "catalogue_id"}};

const struct entity entity_decision_catalogues = {
    .name = "decision_catalogues",
    .path = "/api/v1/decision-catalogues",
    .zh = "年度决策事项目录",
    .en = "Yearly decision catalogues",
    .table = "decision_catalogues",
    .alias = "dc",
    .fields = catalogue_fields,
    .n_fields = ENTITY_N(catalogue_fields),
    /* one catalogue per year of the whole government: which years exist, their state and dates
     * are no unit's own (the public reads them too); the items in it are scoped to their lead
     * unit, and the count shown is of the whole list */
    .scope = {.unscoped = "the year's catalogue belongs to the government, not to a unit"},
    .default_sort = "-year",
    .perm_read = &perm_catalog_view,
    .perm_create = &perm_catalog_manage,
    .perm_update = &perm_catalog_manage,
    .audit_type = "decision_catalogue",
    .kind = &decision_catalogue_kind,
    .validate = dc_validate,
    .create = dc_create,
    .update = dc_update,
    .children = catalogue_children,
    .n_children = ENTITY_N(catalogue_children),
};

/* ================= the items ================= */

struct di_ctx {
    struct flow_ctx base;
    int64_t catalogue_id, unit_id, year;
    char item_no[32];
};
#define DI(c) ((struct di_ctx *)(c))

static int di_load(struct flow_ctx *fc) {
    struct di_ctx *c = DI(fc);
    struct db_stmt *st = db_queryv(fc->db,
                                   "SELECT status, catalogue_id, lead_unit_id, year, item_no "
                                   "FROM decision_items WHERE id = ?",
                                   "i", fc->id);
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW) {
        fc->status = flow_state_index(fc->kind, db_col_text(st, 0));
        c->catalogue_id = db_col_int(st, 1);
        c->unit_id = db_col_int(st, 2);
        c->year = db_col_int(st, 3);
        snprintf(c->item_no, sizeof c->item_no, "%s", db_col_text(st, 4));
        fc->title = c->item_no;
    }
    db_done(st);
    return rc;
}

/* The columns 调整 may change, in the order the 调整说明 names them. */
static const struct field args_adjust[] = {
    {"title", FT_TEXT, "事项名称", "Matter", 1, 200, 0},
    {"deciding_body", FT_TEXT, "决策机关", "Deciding body", 1, 100, 0},
    {"lead_unit_id", FT_UNIT, "承办单位", "Lead unit", 0, 0, 0, .ref = "units"},
    {"legal_basis", FT_LONGTEXT, "决策依据", "Legal basis", 1, 2000, 0},
    {"planned_quarter", FT_ENUM, "计划季度", "Planned quarter", 0, 0, 0, quarters, N(quarters)},
    {"planned_month", FT_INT, "计划月份", "Planned month", 1, 12, 0},
    {"matter_type", FT_ENUM, "事项类别", "Matter type", 0, 0, 0, matter_types, N(matter_types)},
    {"summary", FT_LONGTEXT, "事项概述", "Summary", 1, 2000, 0},
};

/* 调整: the arguments given that differ from the item are its changes ({field: {from, to}});
 * none is refused. The planned day follows the quarter and month. */
static int fx_adjust(struct flow_ctx *c) {
    struct db_stmt *st = db_queryv(c->db,
                                   "SELECT title, deciding_body, lead_unit_id, legal_basis, "
                                   "planned_quarter, planned_month, matter_type, summary "
                                   "FROM decision_items WHERE id = ?",
                                   "i", c->id);
    json_t *cur = NULL;
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW) cur = db_row_json(st);
    db_done(st);
    if (!cur) return FLOW_DB;
    json_t *changes = json_object();
    struct query q;
    query_init(&q, c->a, "UPDATE decision_items SET updated_at = updated_at");
    const char *names = "";
    for (int i = 0; i < N(args_adjust); i++) {
        const struct field *f = &args_adjust[i];
        json_t *to = json_object_get(c->args, f->name), *from = json_object_get(cur, f->name);
        if (!to || json_is_null(to) || json_equal(to, from)) continue;
        json_object_set_new(changes, f->name, json_pack("{s:O,s:O}", "from", from, "to", to));
        names = *names ? arena_printf(c->a, "%s、%s", names, f->zh) : f->zh;
        query_add(&q, arena_printf(c->a, ", %s = ?", f->name), "");
        if (json_is_integer(to))
            query_add(&q, "", "i", (int64_t)json_integer_value(to));
        else
            query_add(&q, "", "s", json_string_value(to));
        json_object_set(cur, f->name, to);
    }
    if (!json_object_size(changes))
        flow_problem(c, "title", "调整须至少改变一项内容（事项名称、承办单位、计划时间等）",
                     "An adjustment must change something (matter, lead unit, planned time …)");
    if (json_object_get(changes, "lead_unit_id")) {
        int ok = 0;
        if (entity_unit_active(c->db, json_int_or(cur, "lead_unit_id", 0), &ok) != DB_OK)
            rc = DB_ERROR;
        if (!ok) flow_problem(c, "lead_unit_id", "单位不存在或已停用", "No such active unit");
    }
    const char *quarter = json_string_value(json_object_get(cur, "planned_quarter"));
    int64_t month = json_int_or(cur, "planned_month", 0);
    check_month(c->pr, quarter, month);
    if (rc < 0 || c->pr->n) {
        json_decref(cur);
        json_decref(changes);
        return rc < 0 ? FLOW_DB : FLOW_INVALID;
    }
    query_add(&q, ", planned_on = ? WHERE id = ?", "si",
              planned_on(c->a, DI(c)->year, quarter, month), c->id);
    json_decref(cur);
    char *text = json_dumps(changes, JSON_COMPACT | JSON_ENSURE_ASCII);
    json_object_set_new(c->detail, "changes", changes);
    const char *changes_text = arena_strdup(c->a, text ? text : "{}");
    free(text);
    st = query_prepare(c->db, &q);
    rc = st ? db_step(st) : DB_ERROR;
    db_done(st);
    if (rc != DB_DONE) return FLOW_DB;
    char day[11];
    date_format(c->today, day);
    return adjustment_add(c->db, c->a, c->actor->who, c->actor->audit, c->id, DI(c)->catalogue_id,
                          "change", c->note, changes_text, names, day) == DB_OK
               ? FLOW_OK
               : FLOW_DB;
}

/* 调出: the item leaves the published catalogue; the public answer still tells why. */
static int fx_remove(struct flow_ctx *c) {
    char day[11];
    date_format(c->today, day);
    return adjustment_add(c->db, c->a, c->actor->who, c->actor->audit, c->id, DI(c)->catalogue_id,
                          "remove", c->note, "", "", day) == DB_OK
               ? FLOW_OK
               : FLOW_DB;
}

static const struct flow_confirm confirm_remove = {
    "调出后该事项不再列入本年度目录（公开目录的调整说明中保留调出理由）。",
    "The item leaves this year's catalogue (the public catalogue keeps the reason)."};

static const struct flow_transition item_transitions[] = {
    {"adjust", "调整", "Adjust", S(DI_PUBLISHED) | S(DI_FILED), -1, &perm_catalog_manage, NULL, 1,
     ARGS(args_adjust), NONE, fx_adjust, NONE, NULL, "warning", .note_zh = "调整理由",
     .note_en = "Reason for the adjustment", .prefill = 1},
    {"remove", "调出目录", "Remove from the catalogue", S(DI_PUBLISHED), DI_REMOVED,
     &perm_catalog_manage, NULL, 1, NONE, NONE, fx_remove, NONE, NULL, "danger", &confirm_remove,
     .note_zh = "调出理由", .note_en = "Reason for the removal"},
    {"complete", "决策完成", "Decided", S(DI_FILED), DI_DONE, &perm_catalog_manage, NULL, 0, NONE,
     NONE, NULL, NONE, NULL, "success"},
};

const struct flow_kind decision_item_kind = {
    .name = "decision_item",
    .zh = "决策事项",
    .en = "Decision catalogue item",
    .entity = "decision_items",
    .table = "decision_items",
    .audit_type = "decision_item",
    .web_path = "/decision-items",
    .perm_read = &perm_catalog_view,
    .states = item_states,
    .n_states = DI_STATES,
    .transitions = item_transitions,
    .n_transitions = N(item_transitions),
    .events_table = "decision_item_events",
    .events_key = "item_id",
    .unit_column = "lead_unit_id",
    .title_column = "item_no",
    .summary_column = "title",
    .ctx_size = sizeof(struct di_ctx),
    .load = di_load,
};

int catalog_item_filed(struct db *db, struct arena *a, const struct flow_actor *actor,
                       int64_t item_id, int64_t decision_id) {
    struct db_stmt *st =
        db_queryv(db, "SELECT status FROM decision_items WHERE id = ?", "i", item_id);
    int rc = st ? db_step(st) : DB_ERROR;
    int s = rc == DB_ROW ? flow_state_index(&decision_item_kind, db_col_text(st, 0)) : -1;
    db_done(st);
    if (rc < 0) return FLOW_DB;
    if (s == DI_FILED || s == DI_DONE) return FLOW_OK;
    if (s != DI_PUBLISHED) return FLOW_NOT_ALLOWED;
    char now[21];
    now_iso(now);
    const char *detail = arena_printf(a, "{\"decision_id\":%lld}", (long long)decision_id);
    if (db_exec(db,
                "UPDATE decision_items SET status = 'filed', version = version + 1, "
                "updated_at = ? WHERE id = ?",
                "si", now, item_id) != DB_OK ||
        flow_event_append(db, a, actor, &decision_item_kind, item_id, "file", "", detail, 0) !=
            FLOW_OK ||
        audit_append(db, actor->audit, "decision_item.file", "decision_item",
                     arena_printf(a, "%lld", (long long)item_id), "ok", detail) != DB_OK)
        return FLOW_DB;
    return FLOW_OK;
}

/* The catalogue an item goes in: by id, or by year (made, drafting, when the year has none —
 * an imported sheet of next year's items starts its catalogue). *status its state. */
static int catalogue_of(struct entity_write *w, int create, int64_t *id, int *status,
                        int64_t *year) {
    int64_t want = json_int_or(w->in, "catalogue_id", 0), y = json_int_or(w->in, "year", 0);
    struct db_stmt *st =
        want ? db_queryv(w->c->db, "SELECT id, status, year FROM decision_catalogues WHERE id = ?",
                         "i", want)
             : db_queryv(w->c->db,
                         "SELECT id, status, year FROM decision_catalogues WHERE year = ?", "i", y);
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW) {
        *id = db_col_int(st, 0);
        *status = flow_state_index(&decision_catalogue_kind, db_col_text(st, 1));
        *year = db_col_int(st, 2);
    }
    db_done(st);
    if (rc < 0) return rc;
    if (rc == DB_ROW) {
        if (y && y != *year)
            problem_add(w->pr, "year", "年度与所选目录不一致",
                        "The year is not the catalogue's year");
        return DB_OK;
    }
    if (want) {
        problem_add(w->pr, "catalogue_id", "目录不存在", "No such catalogue");
        return DB_OK;
    }
    if (!y) {
        problem_add(w->pr, "year", "请填写年度或选择目录", "Give the year or the catalogue");
        return DB_OK;
    }
    *id = 0;
    *status = DC_DRAFTING;
    *year = y;
    if (!create) return DB_OK;
    return catalogue_insert(w->c->db, w->c->arena, w->actor, w->c->who, y,
                            entity_text(w->in, "deciding_body"), id);
}

static int di_validate(struct entity_write *w) {
    int64_t unit = json_int_or(w->in, "lead_unit_id", 0);
    if (unit) {
        int ok = 0;
        if (entity_unit_active(w->c->db, unit, &ok) != DB_OK) return DB_ERROR;
        if (!ok) problem_add(w->pr, "lead_unit_id", "单位不存在或已停用", "No such active unit");
    }
    check_month(w->pr, json_string_value(json_object_get(w->in, "planned_quarter")),
                json_int_or(w->in, "planned_month", 0));
    if (w->cur) return DB_OK;
    int64_t id = 0, year = 0;
    int status = 0;
    int rc = catalogue_of(w, 0, &id, &status, &year);
    if (rc != DB_OK || problems_has(w->pr, "year") || problems_has(w->pr, "catalogue_id"))
        return rc;
    const char *reason = entity_text(w->in, "adjust_reason");
    if (status == DC_PUBLISHED && !reason[strspn(reason, " \t\r\n")])
        problem_add(w->pr, "adjust_reason", "目录已公布：增补事项须说明增补理由",
                    "The catalogue is published: an added item needs the reason for adding it");
    if (status == DC_SUBMITTED || status == DC_APPROVED)
        problem_add(w->pr, "catalogue_id",
                    status == DC_SUBMITTED ? "目录已报审：退回修改后才能增加事项"
                                           : "目录已审定待公布：公布后以增补方式增加事项",
                    status == DC_SUBMITTED
                        ? "The catalogue is submitted: it must be returned before items are added"
                        : "The catalogue is approved: add items after publication, with a reason");
    return DB_OK;
}

/* 新增 / 增补: into a drafting catalogue as a draft; into a published one, published at once
 * with the reason kept as an adjustment (增补). Numbered SX<year>-<id>. */
static int di_create(struct entity_write *w) {
    struct db *db = w->c->db;
    struct arena *a = w->c->arena;
    json_t *in = w->in;
    int64_t cat = 0, year = 0;
    int status = 0;
    int rc = catalogue_of(w, 1, &cat, &status, &year);
    if (rc != DB_OK) return rc;
    if (w->pr->n) return ENTITY_INVALID;
    int added = status == DC_PUBLISHED;
    char now[21], day[11];
    now_iso(now);
    date_format(date_today(), day);
    int64_t month = json_int_or(in, "planned_month", 0);
    const char *quarter = entity_text(in, "planned_quarter");
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO decision_items (catalogue_id, year, title, deciding_body, lead_unit_id, "
            "legal_basis, planned_quarter, planned_month, planned_on, matter_type, summary, "
            "status, published_on, adjustment_note, created_by, created_at, updated_at, version) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?, 1) RETURNING id");
    if (!st) return DB_ERROR;
    db_bind_int(st, 1, cat);
    db_bind_int(st, 2, year);
    db_bind_text(st, 3, entity_text(in, "title"));
    db_bind_text(st, 4, entity_text(in, "deciding_body"));
    db_bind_int(st, 5, json_int_or(in, "lead_unit_id", 0));
    db_bind_text(st, 6, entity_text(in, "legal_basis"));
    db_bind_text(st, 7, quarter);
    if (month)
        db_bind_int(st, 8, month);
    else
        db_bind_null(st, 8);
    db_bind_text(st, 9, planned_on(a, year, quarter, month));
    db_bind_text(st, 10, entity_text(in, "matter_type"));
    db_bind_text(st, 11, entity_text(in, "summary"));
    db_bind_text(st, 12, added ? "published" : "draft");
    if (added)
        db_bind_text(st, 13, day);
    else
        db_bind_null(st, 13);
    db_bind_id(st, 14, w->actor->user_id);
    db_bind_text(st, 15, now);
    db_bind_text(st, 16, now);
    rc = db_step(st);
    if (rc == DB_ROW) w->id = db_col_int(st, 0);
    db_done(st);
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERROR;
    const char *no = NULL;
    rc = entity_number_set(db, a, &entity_decision_items, w->id,
                           arena_printf(a, "%04lld", (long long)year), &no);
    const char *reason = added ? entity_text(in, "adjust_reason") : "";
    if (rc == DB_OK && added)
        rc = adjustment_add(db, a, w->c->who, w->actor, w->id, cat, "add", reason, "", "", day);
    struct flow_actor fa = {w->c->who, w->actor};
    if (rc == DB_OK && flow_event_append(db, a, &fa, &decision_item_kind, w->id,
                                         added ? "add" : "create", reason, "", 0) != FLOW_OK)
        rc = DB_ERROR;
    if (rc != DB_OK) return rc;
    return audit_append(db, w->actor, added ? "decision_item.add" : "decision_item.create",
                        "decision_item", arena_printf(a, "%lld", (long long)w->id), "ok",
                        arena_printf(a, "{\"item_no\":\"%s\"}", no));
}

static int draft_only(struct entity_write *w, const char *zh, const char *en) {
    const char *status = json_string_value(json_object_get(w->cur, "status"));
    if (status && !strcmp(status, "draft")) return DB_OK;
    w->zh = zh;
    w->en = en;
    return ENTITY_FORBIDDEN;
}

/* 修改: while the catalogue is drafted; afterwards only 调整 with a reason. */
static int di_update(struct entity_write *w) {
    int rc = draft_only(w, "报审后的事项不能直接修改；目录公布后请使用“调整”并说明理由",
                        "A submitted item cannot be edited; after publication use “Adjust” "
                        "with a reason");
    if (rc != DB_OK) return rc;
    json_t *in = w->in;
    int64_t year = json_int_or(w->cur, "year", 0), month = json_int_or(in, "planned_month", 0);
    const char *quarter = entity_text(in, "planned_quarter");
    struct db_stmt *st = db_prepare(
        w->c->db, "UPDATE decision_items SET title = ?, deciding_body = ?, lead_unit_id = ?, "
                  "legal_basis = ?, planned_quarter = ?, planned_month = ?, planned_on = ?, "
                  "matter_type = ?, summary = ? WHERE id = ?");
    if (!st) return DB_ERROR;
    db_bind_text(st, 1, entity_text(in, "title"));
    db_bind_text(st, 2, entity_text(in, "deciding_body"));
    db_bind_int(st, 3, json_int_or(in, "lead_unit_id", 0));
    db_bind_text(st, 4, entity_text(in, "legal_basis"));
    db_bind_text(st, 5, quarter);
    if (month)
        db_bind_int(st, 6, month);
    else
        db_bind_null(st, 6);
    db_bind_text(st, 7, planned_on(w->c->arena, year, quarter, month));
    db_bind_text(st, 8, entity_text(in, "matter_type"));
    db_bind_text(st, 9, entity_text(in, "summary"));
    db_bind_int(st, 10, w->id);
    rc = db_step(st);
    db_done(st);
    if (rc != DB_DONE) return rc < 0 ? rc : DB_ERROR;
    return audit_append(w->c->db, w->actor, "decision_item.update", "decision_item",
                        arena_printf(w->c->arena, "%lld", (long long)w->id), "ok", "");
}

/* 删除: a draft item only; a published one is 调出 with its reason. */
static int di_remove(struct entity_write *w) {
    int rc = draft_only(w, "只能删除编制中的事项；已公布的事项请“调出目录”并说明理由",
                        "Only a draft item can be deleted; a published one is removed from the "
                        "catalogue with a reason");
    if (rc != DB_OK) return rc;
    if (db_exec(w->c->db, "DELETE FROM decision_item_events WHERE item_id = ?", "i", w->id) !=
            DB_OK ||
        db_exec(w->c->db, "DELETE FROM decision_items WHERE id = ?", "i", w->id) != DB_OK)
        return DB_ERROR;
    return audit_append(w->c->db, w->actor, "decision_item.delete", "decision_item",
                        arena_printf(w->c->arena, "%lld", (long long)w->id), "ok", "");
}

/* The decision files of a page of items (decision_id, decision_no): one query on decisions. */
static int catalog_items_decision_decorate(const struct entity_ctx *c, json_t *items) {
    size_t n = json_array_size(items), i;
    json_t *x;
    json_array_foreach(items, i, x) {
        json_object_set_new(x, "decision_id", json_null());
        json_object_set_new(x, "decision_no", json_null());
    }
    if (!n || n > QUERY_IDS_MAX) return DB_OK;
    int64_t *ids = arena_alloc(c->arena, n * sizeof *ids);
    json_array_foreach(items, i, x) ids[i] = json_int_or(x, "id", 0);
    /* the decision files opened on the page's items (decisions_item index): one query; the
     * newest when an item had more than one (a file ended 不予通过 and a new one opened) */
    struct query q;
    query_init(&q, c->arena, "SELECT item_id, id, decision_no FROM decisions WHERE item_id");
    query_add_ids(&q, ids, (int)n);
    query_add(&q, " ORDER BY id", "");
    struct db_stmt *st = query_prepare(c->db, &q);
    int rc = st ? DB_OK : DB_ERROR;
    while (st && (rc = db_step(st)) == DB_ROW) {
        int64_t item = db_col_int(st, 0);
        json_array_foreach(items, i, x) {
            if (json_int_or(x, "id", 0) != item) continue;
            json_object_set_new(x, "decision_id", json_integer(db_col_int(st, 1)));
            json_object_set_new(x, "decision_no", json_string(db_col_text(st, 2)));
        }
    }
    db_done(st);
    return rc == DB_DONE || rc == DB_OK ? DB_OK : rc;
}

/* The item's decision file (重大行政决策): opened from the item's page, item filled in. */
static const struct entity_child item_children[] = {{"decisions", "item_id"}};

/* The page's decision files, and on a single read its adjustments (one query). */
static int di_decorate(const struct entity_ctx *c, json_t *items) {
    int rc = catalog_items_decision_decorate(c, items);
    size_t n = json_array_size(items);
    if (rc != DB_OK || c->purpose != EP_GET || !n || n > QUERY_IDS_MAX) return rc;
    int64_t *ids = arena_alloc(c->arena, n * sizeof *ids);
    size_t i;
    json_t *x;
    json_array_foreach(items, i, x) {
        ids[i] = json_int_or(x, "id", 0);
        json_object_set_new(x, "adjustments", json_array());
        json_object_set_new(x, "adjust_reason", json_null());
    }
    struct query q;
    query_init(&q, c->arena,
               "SELECT item_id, adjust_type, reason, changes, adjusted_on, actor_name "
               "FROM decision_item_adjustments WHERE item_id");
    query_add_ids(&q, ids, (int)n);
    query_add(&q, " ORDER BY id", "");
    struct db_stmt *st = query_prepare(c->db, &q);
    json_t *rows = json_array();
    rc = st ? db_rows_json(st, rows) : DB_ERROR;
    db_done(st);
    json_array_foreach(rows, i, x) {
        int64_t item = json_int_or(x, "item_id", 0);
        const char *type = json_string_value(json_object_get(x, "adjust_type"));
        json_object_set_new(x, "type_name",
                            json_string(!strcmp(type, "add") ? (c->lang ? "Added" : "增补")
                                        : !strcmp(type, "remove")
                                            ? (c->lang ? "Removed" : "调出")
                                            : (c->lang ? "Changed" : "调整")));
        const char *ch = json_string_value(json_object_get(x, "changes"));
        json_t *parsed = ch && *ch ? json_loads(ch, 0, NULL) : NULL;
        json_object_set_new(x, "changes", parsed ? parsed : json_object());
        size_t k;
        json_t *it;
        json_array_foreach(items, k, it) {
            if (json_int_or(it, "id", 0) == item) {
                json_object_del(x, "item_id");
                if (!strcmp(type, "add")) /* 增补: the reason it was added with */
                    json_object_set(it, "adjust_reason", json_object_get(x, "reason"));
                json_array_append(json_object_get(it, "adjustments"), x);
                break;
            }
        }
    }
    json_decref(rows);
    return rc;
}

static const struct field item_fields[] = {
    {"id", FT_INT, "序号", "ID", 0, 0, F_READONLY},
    {"item_no", FT_TEXT, "事项编号", "Number", 0, 20,
     F_LIST | F_SORT | F_SEARCH | F_EXPORT | F_READONLY},
    {"year", FT_INT, "年度", "Year", 2000, 2100,
     F_LIST | F_FILTER | F_SORT | F_EXPORT | F_IMPORT | F_CREATE,
     .hint = "目录年度（未选择目录时必填）"},
    {"catalogue_id", FT_REF, "所属目录", "Catalogue", 0, 0, F_FILTER | F_CREATE,
     .ref = "decision_catalogues"},
    {"catalogue_title", FT_TEXT, "所属目录", "Catalogue", 0, 0, F_READONLY, .sql = "dc.title"},
    {"title", FT_TEXT, "事项名称", "Matter", 1, 200,
     F_REQUIRED | F_LIST | F_SEARCH | F_EXPORT | F_IMPORT | F_CREATE | F_UPDATE},
    {"deciding_body", FT_TEXT, "决策机关", "Deciding body", 1, 100,
     F_REQUIRED | F_EXPORT | F_IMPORT | F_CREATE | F_UPDATE, .hint = "如：区人民政府"},
    {"lead_unit_id", FT_UNIT, "承办单位", "Lead unit", 0, 0,
     F_REQUIRED | F_FILTER | F_IMPORT | F_CREATE | F_UPDATE, .ref = "units", .import = "lead_unit"},
    {"lead_unit_name", FT_TEXT, "承办单位", "Lead unit", 0, 0, F_LIST | F_EXPORT | F_READONLY,
     .sql = "lu.name"},
    {"legal_basis", FT_LONGTEXT, "决策依据", "Legal basis", 1, 2000,
     F_REQUIRED | F_EXPORT | F_IMPORT | F_CREATE | F_UPDATE},
    {"planned_quarter", FT_ENUM, "计划季度", "Planned quarter", 0, 0,
     F_REQUIRED | F_LIST | F_FILTER | F_EXPORT | F_IMPORT | F_CREATE | F_UPDATE, quarters,
     N(quarters)},
    {"planned_month", FT_INT, "计划月份", "Planned month", 1, 12,
     F_EXPORT | F_IMPORT | F_CREATE | F_UPDATE, .hint = "可不填；须在计划季度内"},
    {"matter_type", FT_ENUM, "事项类别", "Matter type", 0, 0,
     F_REQUIRED | F_LIST | F_FILTER | F_EXPORT | F_IMPORT | F_CREATE | F_UPDATE, matter_types,
     N(matter_types)},
    {"summary", FT_LONGTEXT, "事项概述", "Summary", 1, 2000,
     F_REQUIRED | F_SEARCH | F_EXPORT | F_IMPORT | F_CREATE | F_UPDATE},
    {"status", FT_ENUM, "状态", "Status", 0, 0, F_LIST | F_FILTER | F_EXPORT | F_READONLY,
     item_status_options, DI_STATES},
    {"published_on", FT_DATE, "公布日期", "Published on", 0, 0,
     F_LIST | F_FILTER | F_SORT | F_EXPORT | F_READONLY},
    {"adjusted_on", FT_DATE, "最近调整", "Last adjusted", 0, 0, F_FILTER | F_SORT | F_READONLY},
    {"adjustment_note", FT_LONGTEXT, "调整说明", "Adjustments", 0, 0, F_EXPORT | F_READONLY},
    {"adjust_reason", FT_LONGTEXT, "增补理由", "Reason for adding", 0, 1000,
     F_CREATE | F_IMPORT | F_VIRTUAL, .hint = "目录已公布后增补事项时必填"},
    {"decision_id", FT_INT, "决策档案", "Decision file", 0, 0, F_VIRTUAL | F_READONLY},
    {"decision_no", FT_TEXT, "决策档案编号", "Decision file", 0, 0, F_VIRTUAL | F_READONLY},
    {"planned_on", FT_DATE, "计划时间", "Planned", 0, 0, F_SORT | F_READONLY},
    {"created_at", FT_DATETIME, "创建时间", "Created", 0, 0, F_SORT | F_READONLY},
    {"updated_at", FT_DATETIME, "更新时间", "Updated", 0, 0, F_READONLY},
    {"version", FT_INT, "版本", "Version", 0, 0, F_READONLY},
};

static const struct entity_filter item_filters[] = {
    {"adjusted", FT_BOOL, "已调整", "Adjusted", "e.adjusted_on IS NOT NULL",
     "e.adjusted_on IS NULL"},
};

/* The import template's example row, in the order of the import columns. */
static const char *const import_example[] = {"2027",
                                             "区城市更新三年行动计划（2027—2029年）",
                                             "区人民政府",
                                             "区住房和城乡建设局",
                                             "《重大行政决策程序暂行条例》第三条；《城市更新条例》",
                                             "第二季度",
                                             "5",
                                             "经济社会发展重要规划",
                                             "统筹老旧小区改造、历史街区保护与公共服务设施补短板。",
                                             ""};

static const char *const item_dup_key[] = {"year", "title", NULL};

static const char *const item_batch[] = {"delete", NULL};

/* 建档率 and the catalogue's own counts beside the kind's (by state, closed). */
static const struct entity_metric item_metrics[] = {
    {"in_catalogue", "目录内事项", "Items in the catalogue", METRIC_COUNT,
     "e.status IN ('published', 'filed', 'done')", NULL, NULL,
     "已公布且未调出的目录事项（按计划时间计入期间）",
     "Published items not removed (placed in the period by their planned time)"},
    {"filed_rate", "建档率", "Filed rate", METRIC_RATE, "e.status IN ('filed', 'done')",
     "e.status IN ('published', 'filed', 'done')", NULL,
     "已建立决策档案的事项 / 目录内事项（决策档案关联目录事项后计数）",
     "Items whose decision file is opened / items in the catalogue"},
    {"unfiled", "未建档", "Not filed", METRIC_COUNT, "e.status = 'published'", NULL, NULL,
     "已公布但尚未建立决策档案的事项", "Published items without a decision file yet"},
    {"adjusted", "调整事项", "Adjusted items", METRIC_COUNT, "e.adjusted_on IS NOT NULL", NULL,
     NULL, "公布后调整、增补或调出过的事项", "Items changed, added or removed after publication"},
};

static const struct entity_number entity_decision_items_number = {"item_no", "SX"};

const struct entity entity_decision_items = {
    .name = "decision_items",
    .path = "/api/v1/decision-items",
    .zh = "决策事项目录",
    .en = "Decision catalogue items",
    .table = "decision_items",
    .alias = "e",
    .from = "decision_items e LEFT JOIN units lu ON lu.id = e.lead_unit_id "
            "LEFT JOIN decision_catalogues dc ON dc.id = e.catalogue_id",
    .fields = item_fields,
    .n_fields = ENTITY_N(item_fields),
    .filters = item_filters,
    .n_filters = ENTITY_N(item_filters),
    /* a unit reads the items it leads (承办单位); the office (scope all) reads every one */
    .scope = {.unit_column = "e.lead_unit_id"},
    .default_sort = "planned_on",
    .perm_read = &perm_catalog_view,
    .perm_create = &perm_catalog_manage,
    .perm_update = &perm_catalog_manage,
    .perm_delete = &perm_catalog_manage,
    .audit_type = "decision_item",
    .export_name = "decision-items",
    .export_sheet = "决策事项目录",
    .kind = &decision_item_kind,
    .import_example = import_example,
    .duplicate_key = item_dup_key,
    .batch_actions = item_batch,
    .children = item_children,
    .n_children = ENTITY_N(item_children),
    .decorate = di_decorate,
    .validate = di_validate,
    .create = di_create,
    .update = di_update,
    .remove = di_remove,
    .metrics = item_metrics,
    .n_metrics = ENTITY_N(item_metrics),
    .metric_date = "e.planned_on",
    .number = &entity_decision_items_number,
};

/* ================= the public answer ================= */

json_t *catalog_public_json(struct db *db, struct arena *a, int64_t year, int lang, int *rc) {
    struct db_stmt *st =
        year ? db_queryv(db,
                         "SELECT id, year, title, deciding_body, published_on, publish_channel "
                         "FROM decision_catalogues WHERE year = ? AND status = 'published'",
                         "i", year)
             : db_queryv(db,
                         "SELECT id, year, title, deciding_body, published_on, publish_channel "
                         "FROM decision_catalogues WHERE status = 'published' "
                         "ORDER BY year DESC LIMIT 1",
                         "");
    *rc = st ? db_step(st) : DB_ERROR;
    json_t *out = *rc == DB_ROW ? db_row_json(st) : NULL;
    db_done(st);
    if (!out) {
        if (*rc == DB_ROW) *rc = DB_ERROR;
        return NULL;
    }
    int64_t id = json_int_or(out, "id", 0);
    json_object_del(out, "id");
    json_t *items = json_array(), *adjustments = json_array();
    json_object_set_new(out, "items", items);
    json_object_set_new(out, "adjustments", adjustments);
    st = db_queryv(db,
                   "SELECT e.item_no, e.title, e.deciding_body, u.name AS lead_unit, "
                   "e.legal_basis, e.planned_quarter, e.planned_month, e.matter_type, e.summary, "
                   "e.status, e.adjustment_note FROM decision_items e "
                   "LEFT JOIN units u ON u.id = e.lead_unit_id WHERE e.catalogue_id = ? "
                   "AND e.status IN ('published', 'filed', 'done') ORDER BY e.planned_on, e.id",
                   "i", id);
    *rc = st ? db_rows_json(st, items) : DB_ERROR;
    db_done(st);
    if (*rc == DB_OK) {
        st = db_queryv(db,
                       "SELECT d.adjusted_on, d.adjust_type AS type, e.item_no, e.title, d.reason "
                       "FROM decision_item_adjustments d JOIN decision_items e ON e.id = "
                       "d.item_id WHERE d.catalogue_id = ? ORDER BY d.adjusted_on, d.id",
                       "i", id);
        *rc = st ? db_rows_json(st, adjustments) : DB_ERROR;
        db_done(st);
    }
    if (*rc != DB_OK) {
        json_decref(out);
        return NULL;
    }
    size_t i;
    json_t *x;
    json_array_foreach(items, i, x) {
        const char *q = json_string_value(json_object_get(x, "planned_quarter"));
        int64_t m = json_int_or(x, "planned_month", 0);
        const char *ql = option_label(quarters, N(quarters), q, lang);
        json_object_set_new(
            x, "planned",
            json_string(m ? (lang ? arena_printf(a, "%s, month %lld", ql, (long long)m)
                                  : arena_printf(a, "%s（%lld月）", ql, (long long)m))
                          : ql));
        json_object_set_new(
            x, "matter_type_name",
            json_string(option_label(matter_types, N(matter_types),
                                     json_string_value(json_object_get(x, "matter_type")), lang)));
        const char *s = json_string_value(json_object_get(x, "status"));
        json_object_set_new(x, "status_name",
                            json_string(option_label(item_status_options, DI_STATES, s, lang)));
    }
    json_array_foreach(adjustments, i, x) {
        const char *t = json_string_value(json_object_get(x, "type"));
        json_object_set_new(x, "type_name",
                            json_string(!strcmp(t, "add")      ? (lang ? "Added" : "增补")
                                        : !strcmp(t, "remove") ? (lang ? "Removed" : "调出")
                                                               : (lang ? "Changed" : "调整")));
    }
    *rc = DB_OK;
    return out;
}
