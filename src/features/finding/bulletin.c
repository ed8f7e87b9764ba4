/* bulletin.c — 督察通报: the bulletins entity (TB<year>-<id>, the text as 草案版本) and the kind
 * `bulletin` (生成草稿 from the plan's findings → 送审 → 批准 / 退回 → 发布 → 撤回 with a
 * reason). The public page comes with the portal: nothing here is public. */
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/calendar.h"
#include "base/timeutil.h"
#include "features/finding/finding.h"

#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#define N(a)    (int)(sizeof(a) / sizeof((a)[0]))
#define S(i)    (1u << (i))
#define ARGS(a) a, N(a)
#define NONE    NULL, 0

extern const struct field_option finding_severity_options[3];

const struct entity_versions bulletin_versions = {"bulletin", "通报文稿", "Bulletin text", 50000};

enum { BS_DRAFT, BS_REVIEWING, BS_APPROVED, BS_PUBLISHED, BS_WITHDRAWN, BS_STATES };

static const struct flow_state states[BS_STATES] = {
    [BS_DRAFT] = {"draft", "草稿", "Draft", 0, "info"},
    [BS_REVIEWING] = {"reviewing", "待审批", "Awaiting approval", 0, "warning"},
    [BS_APPROVED] = {"approved", "已批准", "Approved", 0, "primary"},
    [BS_PUBLISHED] = {"published", "已发布", "Published", 0, "success"},
    [BS_WITHDRAWN] = {"withdrawn", "已撤回", "Withdrawn", 1, "info"},
};
static const struct field_option status_options[BS_STATES] = {
    [BS_DRAFT] = {"draft", "草稿", "Draft", "info"},
    [BS_REVIEWING] = {"reviewing", "待审批", "Awaiting approval", "warning"},
    [BS_APPROVED] = {"approved", "已批准", "Approved", "primary"},
    [BS_PUBLISHED] = {"published", "已发布", "Published", "success"},
    [BS_WITHDRAWN] = {"withdrawn", "已撤回", "Withdrawn", "info"},
};

struct bulletin_ctx {
    struct flow_ctx base;
    char no[32];
    int64_t plan_id, versions;
    const char *title_text;
};
#define BC(c) ((struct bulletin_ctx *)(c))

static int load(struct flow_ctx *fc) {
    struct bulletin_ctx *c = BC(fc);
    struct db_stmt *st =
        db_queryv(fc->db,
                  "SELECT status, bulletin_no, COALESCE(plan_id, 0), title, (SELECT COUNT(*) FROM "
                  "record_versions v WHERE v.kind = 'bulletin' AND v.record_id = b.id) "
                  "FROM bulletins b WHERE id = ?",
                  "i", fc->id);
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW) {
        fc->status = flow_state_index(fc->kind, db_col_text(st, 0));
        snprintf(c->no, sizeof c->no, "%s", db_col_text(st, 1) ? db_col_text(st, 1) : "");
        c->plan_id = db_col_int(st, 2);
        c->title_text = arena_strdup(fc->a, db_col_text(st, 3));
        c->versions = db_col_int(st, 4);
        fc->title = c->no;
    }
    db_done(st);
    return rc;
}

/* 一 … 九十九 */
static const char *cn_number(struct arena *a, int n) {
    static const char *const d[] = {"", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
    if (n < 10) return d[n];
    if (n < 20) return arena_printf(a, "十%s", d[n % 10]);
    return arena_printf(a, "%s十%s", d[(n / 10) % 10], d[n % 10]);
}

static const char *severity_label(const char *code) {
    for (int i = 0; i < 3; i++)
        if (!strcmp(finding_severity_options[i].code, code)) return finding_severity_options[i].zh;
    return code;
}

static void decref_cb(void *p) {
    json_decref(p);
}

/* The dictionary's labels of finding_category (code → zh), read before the findings. */
static json_t *category_labels(struct db *db) {
    json_t *o = json_object();
    struct db_stmt *st = db_queryv(db,
                                   "SELECT i.code, i.zh FROM dict_items i JOIN dict_types t ON "
                                   "t.id = i.type_id WHERE t.code = 'finding_category'",
                                   "");
    while (st && db_step(st) == DB_ROW)
        json_object_set_new(o, db_col_text(st, 0), json_string(db_col_text(st, 1)));
    db_done(st);
    return o;
}

const char *bulletin_draft_text(struct db *db, struct arena *a, int64_t plan_id, int lang) {
    (void)lang;
    json_t *labels = category_labels(db);
    arena_on_free(a, decref_cb, labels);
    /* one pass over the plan's findings in order of unit and category; counts per group come
     * from the grouped query beside it */
    struct db_stmt *st = db_queryv(
        db,
        "SELECT u.name, f.category, f.finding_no, f.rule, f.severity, f.description, "
        "(SELECT COUNT(*) FROM inspection_findings g WHERE g.unit_id = f.unit_id AND "
        "COALESCE(g.plan_id, 0) = ? AND g.status <> 'cancelled'), "
        "(SELECT COUNT(*) FROM inspection_findings g WHERE g.unit_id = f.unit_id AND "
        "g.category = f.category AND COALESCE(g.plan_id, 0) = ? AND g.status <> 'cancelled') "
        "FROM inspection_findings f JOIN units u ON u.id = f.unit_id "
        "WHERE COALESCE(f.plan_id, 0) = ? AND f.status <> 'cancelled' "
        "ORDER BY u.sort_order, u.id, f.category, f.id",
        "iii", plan_id, plan_id, plan_id);
    if (!st) return NULL;
    struct buf body;
    buf_init(&body, a, 4096);
    char prev_unit[256] = "", prev_cat[64] = "";
    int units = 0, cats = 0, item = 0, total = 0, rc;
    struct buf list;
    buf_init(&list, a, 4096);
    while ((rc = db_step(st)) == DB_ROW) {
        const char *unit = db_col_text(st, 0), *cat = db_col_text(st, 1);
        if (strcmp(unit, prev_unit)) {
            snprintf(prev_unit, sizeof prev_unit, "%s", unit);
            prev_cat[0] = 0;
            cats = 0;
            buf_printf(&list, "\n%s、%s（%lld 个问题）\n", cn_number(a, ++units), unit,
                       (long long)db_col_int(st, 6));
        }
        if (strcmp(cat, prev_cat)) {
            snprintf(prev_cat, sizeof prev_cat, "%s", cat);
            item = 0;
            buf_printf(&list, "（%s）%s（%lld 个）\n", cn_number(a, ++cats),
                       json_object_get(labels, cat)
                           ? json_string_value(json_object_get(labels, cat))
                           : cat,
                       (long long)db_col_int(st, 7));
        }
        const char *desc = db_col_text(st, 5);
        buf_printf(&list, "%d. %s【%s】%s%s%s\n", ++item, db_col_text(st, 2),
                   severity_label(db_col_text(st, 4)), desc && *desc ? desc : "",
                   desc && *desc ? "。违反：" : "违反：", db_col_text(st, 3));
        total++;
    }
    db_done(st);
    if (rc != DB_DONE) return NULL;
    struct db_stmt *p = plan_id
                            ? db_queryv(db,
                                        "SELECT title, COALESCE(plan_no, '') FROM inspection_plans "
                                        "WHERE id = ?",
                                        "i", plan_id)
                            : NULL;
    if (plan_id && !p) return NULL;
    rc = p ? db_step(p) : DB_DONE;
    if (rc == DB_ROW)
        buf_printf(&body, "根据《%s》（%s）的安排，督察组对有关单位开展了法治督察。",
                   db_col_text(p, 0), db_col_text(p, 1));
    db_done(p);
    if (rc < 0) return NULL;
    if (rc != DB_ROW) buf_printf(&body, "根据法治督察工作安排，督察组对有关单位开展了法治督察。");
    buf_printf(&body, "本次督察共发现问题 %d 个，涉及 %d 个单位。现将问题按单位和类别通报如下：\n",
               total, units);
    buf_printf(&body, "%s", list.data);
    buf_printf(
        &body,
        "\n请各有关单位对照问题清单逐项整改，在整改期限内通过督办任务报送整改情况及佐证材料；"
        "督察办公室将组织验收，并适时开展“回头看”。\n");
    return body.data;
}

static int g_has_text(const struct flow_ctx *c) {
    return BC(c)->versions > 0;
}
static const struct flow_guard guard_text[] = {
    {g_has_text, "请先起草通报正文（生成草稿或新增版本）",
     "Write the bulletin's text first (draft it from the findings or add a version)"}};

static int fx_generate(struct flow_ctx *c) {
    const char *text = bulletin_draft_text(c->db, c->a, BC(c)->plan_id, 0);
    if (!text) return FLOW_DB;
    int64_t n = 0;
    if (entity_version_add(c->db, &bulletin_versions, c->id, BC(c)->title_text, text,
                           "由问题清单生成", c->actor->who ? c->actor->who->user_id : 0,
                           &n) != DB_OK)
        return FLOW_DB;
    json_object_set_new(c->detail, "version", json_integer(n));
    return FLOW_OK;
}

static int fx_publish(struct flow_ctx *c) {
    char today[11];
    date_format(c->today, today);
    json_object_set_new(c->detail, "published_on", json_string(today));
    return db_exec(c->db, "UPDATE bulletins SET published_on = ? WHERE id = ?", "si", today,
                   c->id) == DB_OK
               ? FLOW_OK
               : FLOW_DB;
}

static int fx_withdraw(struct flow_ctx *c) {
    return db_exec(c->db, "UPDATE bulletins SET withdrawn_reason = ? WHERE id = ?", "si", c->note,
                   c->id) == DB_OK
               ? FLOW_OK
               : FLOW_DB;
}

static const struct flow_confirm confirm_generate = {
    "将按单位和类别汇总本方案的问题清单，生成一个新的通报文稿版本。",
    "Drafts a new version of the text from the plan's findings, by unit and category."};
static const struct flow_confirm confirm_publish = {"发布后通报生效。",
                                                    "Publishing puts the bulletin in force."};

static const struct flow_transition transitions[] = {
    {"generate", "生成草稿", "Draft from findings", S(BS_DRAFT), -1, &perm_finding_work, NULL, 0,
     NONE, NONE, fx_generate, NONE, NULL, "primary", &confirm_generate},
    {"submit", "送审", "Submit for approval", S(BS_DRAFT), BS_REVIEWING, &perm_finding_work, NULL,
     0, NONE, guard_text, 1, NULL, NONE, NULL, "primary"},
    {"approve", "批准", "Approve", S(BS_REVIEWING), BS_APPROVED, &perm_finding_manage, NULL, 0,
     NONE, NONE, NULL, NONE, NULL, "success"},
    {"reject", "退回", "Return", S(BS_REVIEWING), BS_DRAFT, &perm_finding_manage, NULL, 1, NONE,
     NONE, NULL, NONE, NULL, "warning", NULL, NULL, "退回理由", "Reason"},
    {"publish", "发布", "Publish", S(BS_APPROVED), BS_PUBLISHED, &perm_finding_manage, NULL, 0,
     NONE, NONE, fx_publish, NONE, NULL, "success", &confirm_publish},
    {"withdraw", "撤回", "Withdraw", S(BS_PUBLISHED), BS_WITHDRAWN, &perm_finding_manage, NULL, 1,
     NONE, NONE, fx_withdraw, NONE, NULL, "danger", NULL, NULL, "撤回理由", "Reason"},
};

const struct flow_kind bulletin_kind = {
    .name = "bulletin",
    .zh = "督察通报",
    .en = "Inspection bulletin",
    .entity = "bulletins",
    .table = "bulletins",
    .audit_type = "bulletin",
    .web_path = "/bulletins",
    .perm_read = &perm_finding_view,
    .states = states,
    .n_states = BS_STATES,
    .transitions = transitions,
    .n_transitions = N(transitions),
    .events_table = "bulletin_events",
    .events_key = "bulletin_id",
    .title_column = "bulletin_no",
    .summary_column = "title",
    .ctx_size = sizeof(struct bulletin_ctx),
    .load = load,
};

static int bulletins_create(struct entity_write *w) {
    struct db *db = w->c->db;
    struct arena *a = w->c->arena;
    char now[21], today[11];
    now_iso(now);
    date_format(date_today(), today);
    struct db_stmt *st = db_prepare(db, "INSERT INTO bulletins (plan_id, title, status, "
                                        "created_by, created_at, updated_at) "
                                        "VALUES (?, ?, 'draft', ?, ?, ?) RETURNING id");
    if (!st) return DB_ERROR;
    db_bind_id(st, 1, json_integer_value(json_object_get(w->in, "plan_id")));
    db_bind_text(st, 2, entity_text(w->in, "title"));
    db_bind_id(st, 3, w->actor->user_id);
    db_bind_text(st, 4, now);
    db_bind_text(st, 5, now);
    int rc = db_step(st);
    if (rc == DB_ROW) w->id = db_col_int(st, 0);
    db_done(st);
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERROR;
    const char *no = NULL;
    rc = entity_number_set(db, a, &entity_bulletins, w->id, today, &no);
    if (rc != DB_OK) return rc;
    return audit_append(db, w->actor, "bulletin.create", "bulletin",
                        arena_printf(a, "%lld", (long long)w->id), "ok",
                        arena_printf(a, "{\"bulletin_no\":\"%s\"}", no));
}

/* Drafts and those awaiting approval are the inspectors' and the office's: a reader without
 * finding.work sees the bulletins once approved. */
static void bulletins_visible(const struct entity_ctx *c, struct query *q) {
    if (!perm_has(c->who->perms, &perm_finding_work))
        query_add(q, " AND b.status IN ('approved', 'published', 'withdrawn')", "");
}

static const struct field fields[] = {
    {"id", FT_INT, "序号", "ID", 0, 0, F_READONLY},
    {"bulletin_no", FT_TEXT, "编号", "Number", 0, 20,
     F_LIST | F_SORT | F_SEARCH | F_EXPORT | F_READONLY},
    {"plan_id", FT_REF, "督察方案", "Inspection plan", 1, FIELD_ID_MAX,
     F_LIST | F_FILTER | F_CREATE | F_UPDATE | F_EXPORT, .hint = "生成草稿汇总该方案的问题清单",
     .ref = "inspection_plans"},
    {"plan_title", FT_TEXT, "督察方案", "Inspection plan", 0, 0, F_EXPORT | F_READONLY,
     .sql = "(SELECT p.title FROM inspection_plans p WHERE p.id = b.plan_id)"},
    {"title", FT_TEXT, "通报标题", "Title", 1, 200,
     F_REQUIRED | F_LIST | F_SEARCH | F_CREATE | F_UPDATE | F_EXPORT},
    {"status", FT_ENUM, "状态", "Status", 0, 0, F_LIST | F_FILTER | F_EXPORT | F_READONLY,
     status_options, BS_STATES},
    {"latest_version", FT_INT, "文稿版本", "Text version", 0, 0, F_LIST | F_READONLY,
     .sql = "(SELECT MAX(v.number) FROM record_versions v WHERE v.kind = 'bulletin' AND "
            "v.record_id = b.id)"},
    {"published_on", FT_DATE, "发布日期", "Published on", 0, 0,
     F_LIST | F_SORT | F_EXPORT | F_READONLY},
    {"withdrawn_reason", FT_LONGTEXT, "撤回理由", "Reason withdrawn", 0, 0, F_EXPORT | F_READONLY},
    {"created_at", FT_DATETIME, "创建时间", "Created", 0, 0, F_SORT | F_READONLY},
    {"updated_at", FT_DATETIME, "更新时间", "Updated", 0, 0, F_READONLY},
    {"version", FT_INT, "版本", "Version", 0, 0, F_READONLY},
};

static const char *const bulletin_edit_states[] = {"draft", NULL};

static const struct entity_number entity_bulletins_number = {"bulletin_no", "TB"};

const struct entity entity_bulletins = {
    .name = "bulletins",
    .path = "/api/v1/bulletins",
    .zh = "督察通报",
    .en = "Inspection bulletins",
    .table = "bulletins",
    .alias = "b",
    .fields = fields,
    .n_fields = N(fields),
    .scope = {.unscoped = "通报由督察办公室面向全区编发，不属于某一单位的数据；"
                          "草稿和待审批的通报仅督察人员和办公室可见"},
    .default_sort = "-created_at",
    .perm_read = &perm_finding_view,
    .perm_create = &perm_finding_work,
    .perm_update = &perm_finding_work,
    .audit_type = "bulletin",
    .export_name = "bulletins",
    .export_sheet = "督察通报",
    .kind = &bulletin_kind,
    .edit_states = bulletin_edit_states,
    .versions = &bulletin_versions,
    .create = bulletins_create,
    .visible = bulletins_visible,
    .number = &entity_bulletins_number,
};
