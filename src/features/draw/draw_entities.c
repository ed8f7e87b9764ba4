/* draw_entities.c — the directories of 双随机: inspectors (with their declared conflicts) and
 * inspectable objects, and the draws, as entities (list, filters, Excel export and import come
 * from the entity layer; a draw's create is draw_commit, its other steps draw_http.c). */
#include "features/draw/draw.h"

#include <string.h>

#include "features/draw/draw_algo.h"

/* Declarations leave trailing fields out: 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#define EDIT (F_EXPORT | F_IMPORT | F_CREATE | F_UPDATE)

/* ---- 督察人员库 ---- */

static const struct field_option inspector_categories[] = {
    {"staff", "机关工作人员", "Civil servant"},
    {"deputy", "人大代表", "People's congress deputy"},
    {"member", "政协委员", "CPPCC member"},
    {"expert", "专家学者", "Expert"},
    {"lawyer", "律师", "Lawyer"},
    {"journalist", "新闻媒体", "Journalist"},
    {"other", "其他", "Other"},
};

static const struct field inspector_fields[] = {
    {"id", FT_INT, "序号", "ID", 0, 0, F_READONLY},
    {"name", FT_TEXT, "姓名", "Name", 1, 50, F_REQUIRED | F_LIST | F_SEARCH | F_SORT | EDIT},
    {"category", FT_ENUM, "人员类别", "Category", 0, 0,
     F_REQUIRED | F_LIST | F_FILTER | F_LABEL | EDIT, inspector_categories,
     ENTITY_N(inspector_categories)},
    {"unit_id", FT_UNIT, "所在单位", "Unit", 0, 0, F_FILTER | EDIT, .ref = "units",
     .hint = "单位名录中的单位；人大代表、律师等单位外人员不填，写工作单位"},
    {"unit_name", FT_TEXT, "所在单位", "Unit", 0, 0, F_LIST | F_READONLY, .sql = "iu.name"},
    {"employer", FT_TEXT, "工作单位", "Employer", 0, 200, F_LIST | F_SEARCH | EDIT},
    {"title", FT_TEXT, "职务/职称", "Title", 0, 100, F_LIST | EDIT},
    {"qualifications", FT_TEXT, "资格与专长", "Qualifications", 0, 500, EDIT,
     .hint = "如：行政执法证、法律职业资格、督察员资格"},
    {"cert_no", FT_TEXT, "证件编号", "Certificate no.", 0, 50, EDIT},
    {"user_id", FT_USER, "系统账号", "Account", 0, 0, F_FILTER | F_CREATE | F_UPDATE,
     .hint = "有账号的督察人员可看到其所在督察组的方案"},
    {"active", FT_BOOL, "在库", "In the pool", 0, 0,
     F_LIST | F_FILTER | F_EXPORT | F_CREATE | F_UPDATE},
    {"created_at", FT_DATETIME, "创建时间", "Created", 0, 0, F_READONLY},
    {"updated_at", FT_DATETIME, "更新时间", "Updated", 0, 0, F_READONLY},
    {"version", FT_INT, "版本", "Version", 0, 0, F_READONLY},
};

static const struct entity_child inspector_children[] = {
    {"inspector_conflicts", "inspector_id"},
};

const struct entity entity_inspectors = {
    .name = "inspectors",
    .path = "/api/v1/inspectors",
    .zh = "督察人员库",
    .en = "Inspectors",
    .table = "inspectors",
    .alias = "i",
    .from = "inspectors i LEFT JOIN units iu ON iu.id = i.unit_id",
    .fields = inspector_fields,
    .n_fields = ENTITY_N(inspector_fields),
    .scope = {.unscoped = "the district's pool of inspectors: every plan's team and every draw "
                          "chooses from the whole pool, whatever the unit of the reader"},
    .default_sort = "name",
    .perm_read = &perm_draw_view,
    .perm_create = &perm_draw_manage,
    .perm_update = &perm_draw_manage,
    .audit_type = "inspector",
    .title_field = "name", /* its `title` is the person's 职务/职称 */
    .children = inspector_children,
    .n_children = ENTITY_N(inspector_children),
    .export_name = "inspectors",
    .export_sheet = "督察人员库",
};

/* ---- 检查对象名录 ---- */

static const struct field_option object_types[] = {
    {"unit", "机关单位", "Government unit"},
    {"market", "市场主体", "Market subject"},
    {"file", "执法案卷", "Enforcement file"},
};

static const struct field_option object_domains[] = {
    {"general", "综合", "General"},
    {"market", "市场监管", "Market regulation"},
    {"ecology", "生态环境", "Ecology and environment"},
    {"transport", "交通运输", "Transport"},
    {"emergency", "应急管理", "Emergency management"},
    {"agriculture", "农业农村", "Agriculture"},
    {"culture", "文化旅游", "Culture and tourism"},
    {"health", "卫生健康", "Health"},
    {"urban", "城市管理", "Urban management"},
    {"other", "其他", "Other"},
};

static const struct field_option risk_grades[] = {
    {"A", "A 低风险", "A low risk", "success"},
    {"B", "B 一般风险", "B ordinary risk", "info"},
    {"C", "C 较高风险", "C higher risk", "warning"},
    {"D", "D 高风险", "D high risk", "danger"},
};

static const struct field object_fields[] = {
    {"id", FT_INT, "序号", "ID", 0, 0, F_READONLY},
    {"name", FT_TEXT, "对象名称", "Name", 1, 200, F_REQUIRED | F_LIST | F_SEARCH | F_SORT | EDIT},
    {"object_type", FT_ENUM, "对象类型", "Type", 0, 0,
     F_REQUIRED | F_LIST | F_FILTER | F_LABEL | EDIT, object_types, ENTITY_N(object_types)},
    {"code", FT_TEXT, "统一社会信用代码/案卷号", "Credit code / file no.", 0, 50,
     F_LIST | F_SEARCH | EDIT},
    {"domain", FT_ENUM, "执法领域", "Domain", 0, 0, F_REQUIRED | F_LIST | F_FILTER | F_LABEL | EDIT,
     object_domains, ENTITY_N(object_domains), .dict = "inspect_domain"},
    {"unit_id", FT_UNIT, "所属/主管单位", "Unit", 0, 0, F_FILTER | EDIT, .ref = "units",
     .hint = "机关单位：该单位；市场主体、执法案卷：负责监管或办理的单位"},
    {"unit_name", FT_TEXT, "所属/主管单位", "Unit", 0, 0, F_LIST | F_READONLY, .sql = "ou.name"},
    {"risk", FT_ENUM, "风险等级", "Risk grade", 0, 0,
     F_REQUIRED | F_LIST | F_FILTER | F_SORT | F_LABEL | EDIT, risk_grades, ENTITY_N(risk_grades)},
    {"address", FT_TEXT, "地址", "Address", 0, 200, EDIT},
    {"active", FT_BOOL, "在册", "Listed", 0, 0, F_LIST | F_FILTER | F_EXPORT | F_CREATE | F_UPDATE},
    {"created_at", FT_DATETIME, "创建时间", "Created", 0, 0, F_READONLY},
    {"updated_at", FT_DATETIME, "更新时间", "Updated", 0, 0, F_READONLY},
    {"version", FT_INT, "版本", "Version", 0, 0, F_READONLY},
};

const struct entity entity_inspect_objects = {
    .name = "inspect_objects",
    .path = "/api/v1/inspect-objects",
    .zh = "检查对象名录",
    .en = "Inspectable objects",
    .table = "inspect_objects",
    .alias = "o",
    .from = "inspect_objects o LEFT JOIN units ou ON ou.id = o.unit_id",
    .fields = object_fields,
    .n_fields = ENTITY_N(object_fields),
    .scope = {.unscoped = "the office's directory of what a random inspection may draw: the "
                          "draws are the office's, read by its inspectors and leaders"},
    .default_sort = "name",
    .perm_read = &perm_draw_view,
    .perm_create = &perm_draw_manage,
    .perm_update = &perm_draw_manage,
    .audit_type = "inspect_object",
    .title_field = "name",
    .export_name = "inspect-objects",
    .export_sheet = "检查对象名录",
};

/* ---- 回避声明: an inspector's declared conflicts ---- */

/* Exactly one of a unit and an object (the merged record on update). */
static int conflict_validate(struct entity_write *w) {
    json_t *u = json_object_get(w->in, "unit_id"), *o = json_object_get(w->in, "object_id");
    if (w->cur) {
        if (!json_object_get(w->body ? w->body : w->in, "unit_id"))
            u = json_object_get(w->cur, "unit_id");
        if (!json_object_get(w->body ? w->body : w->in, "object_id"))
            o = json_object_get(w->cur, "object_id");
    }
    int has_u = json_is_integer(u) && json_integer_value(u) > 0,
        has_o = json_is_integer(o) && json_integer_value(o) > 0;
    if (has_u == has_o && !problems_has(w->pr, "unit_id") && !problems_has(w->pr, "object_id"))
        problem_add(w->pr, has_u ? "object_id" : "unit_id",
                    "回避对象填写一个单位或一个检查对象（二选一）",
                    "Name either a unit or an inspectable object (one of them)");
    return DB_OK;
}

static const struct field conflict_fields[] = {
    {"id", FT_INT, "序号", "ID", 0, 0, F_READONLY},
    {"inspector_id", FT_REF, "督察人员", "Inspector", 1, FIELD_ID_MAX,
     F_REQUIRED | F_FILTER | F_CREATE, .ref = "inspectors"},
    {"inspector_name", FT_TEXT, "督察人员", "Inspector", 0, 0, F_LIST | F_READONLY,
     .sql = "ci.name"},
    {"unit_id", FT_UNIT, "回避单位", "Unit", 0, 0, F_FILTER | F_CREATE | F_UPDATE, .ref = "units",
     .hint = "与该单位有利害关系：不抽取其检查该单位及其监管的对象"},
    {"unit_name", FT_TEXT, "回避单位", "Unit", 0, 0, F_LIST | F_READONLY, .sql = "cu.name"},
    {"object_id", FT_REF, "回避检查对象", "Inspectable object", 0, FIELD_ID_MAX,
     F_FILTER | F_CREATE | F_UPDATE, .ref = "inspect_objects",
     .hint = "与该检查对象有利害关系（亲属任职、曾任职、代理关系等）"},
    {"object_name", FT_TEXT, "回避检查对象", "Inspectable object", 0, 0, F_LIST | F_READONLY,
     .sql = "co.name"},
    {"reason", FT_TEXT, "回避事由", "Reason", 1, 500, F_REQUIRED | F_LIST | F_CREATE | F_UPDATE},
    {"declared_on", FT_DATE, "申报日期", "Declared on", 0, 0,
     F_REQUIRED | F_LIST | F_SORT | F_CREATE | F_UPDATE},
    {"created_at", FT_DATETIME, "创建时间", "Created", 0, 0, F_READONLY},
    {"updated_at", FT_DATETIME, "更新时间", "Updated", 0, 0, F_READONLY},
    {"version", FT_INT, "版本", "Version", 0, 0, F_READONLY},
};

const struct entity entity_inspector_conflicts = {
    .name = "inspector_conflicts",
    .path = "/api/v1/inspector-conflicts",
    .zh = "回避声明",
    .en = "Declared conflicts",
    .table = "inspector_conflicts",
    .alias = "c",
    .from = "inspector_conflicts c JOIN inspectors ci ON ci.id = c.inspector_id "
            "LEFT JOIN units cu ON cu.id = c.unit_id "
            "LEFT JOIN inspect_objects co ON co.id = c.object_id",
    .fields = conflict_fields,
    .n_fields = ENTITY_N(conflict_fields),
    .scope = {.unscoped = "part of the district's pool of inspectors: every draw reads them, "
                          "and they are published with the draws they bound"},
    .default_sort = "-declared_on",
    .perm_read = &perm_draw_view,
    .perm_create = &perm_draw_manage,
    .perm_update = &perm_draw_manage,
    .perm_delete = &perm_draw_manage,
    .audit_type = "inspector_conflict",
    .validate = conflict_validate,
};

/* ---- 抽查记录: the draws ---- */

static const struct field_option draw_states[] = {
    {"committed", "已公示承诺", "Committed", "warning"},
    {"drawn", "已抽取", "Drawn", "success"},
    {"superseded", "已作废重抽", "Superseded", "info"},
};
static const struct field_option sample_modes[] = {
    {"ratio", "按风险等级比例", "Risk-graded ratios"},
    {"count", "按数量", "Counts"},
};
static const struct field_option source_kinds[] = {
    {"witness", "见证人现场提供", "Given by a witness"},
    {"public", "公开开奖结果", "A future public draw"},
};

#define SAMPLE_HINT                                                                                                                       \
    "按比例：该风险等级候选对象的百分比（0–100，向上取整；不填取系统设置 draw.ratio_*）；按数量：" \
    "抽取个数"

static const struct field draw_fields[] = {
    {"id", FT_INT, "序号", "ID", 0, 0, F_READONLY},
    {"draw_no", FT_TEXT, "抽取编号", "Number", 0, 0, F_LIST | F_SORT | F_SEARCH | F_READONLY},
    {"title", FT_TEXT, "名称", "Title", 1, 200, F_REQUIRED | F_LIST | F_SEARCH | F_CREATE},
    {"plan_id", FT_REF, "督察方案", "Plan", 1, FIELD_ID_MAX, F_FILTER | F_CREATE,
     .hint = "所属督察方案（可不填）", .ref = "inspection_plans"},
    {"plan_title", FT_TEXT, "督察方案", "Plan", 0, 0, F_READONLY,
     .sql = "(SELECT p.title FROM inspection_plans p WHERE p.id = d.plan_id)"},
    {"status", FT_ENUM, "状态", "Status", 0, 0, F_LIST | F_FILTER | F_READONLY | F_LABEL,
     draw_states, ENTITY_N(draw_states)},
    {"obj_domain", FT_ENUM, "对象执法领域", "Objects' domain", 0, 0, F_FILTER | F_CREATE,
     object_domains, ENTITY_N(object_domains), .dict = "inspect_domain",
     .hint = "候选对象的范围（不填：不限）"},
    {"obj_type", FT_ENUM, "对象类型", "Objects' type", 0, 0, F_CREATE, object_types,
     ENTITY_N(object_types)},
    {"obj_risk", FT_ENUM, "对象风险等级", "Objects' risk grade", 0, 0, F_CREATE, risk_grades,
     ENTITY_N(risk_grades), .hint = "不填：各风险等级按比例分别抽取"},
    {"obj_unit_id", FT_UNIT, "对象所属单位", "Objects' unit", 0, 0, F_CREATE, .ref = "units"},
    {"insp_category", FT_ENUM, "检查人员类别", "Inspectors' category", 0, 0, F_CREATE,
     inspector_categories, ENTITY_N(inspector_categories),
     .hint = "候选检查人员的范围（在库人员；不填：不限类别）"},
    {"sample_mode", FT_ENUM, "抽取方式", "Sampling", 0, 0, F_REQUIRED | F_CREATE, sample_modes,
     ENTITY_N(sample_modes)},
    {"sample_a", FT_INT, "A 级（低风险）", "Grade A", 0, 0, F_CREATE, .hint = SAMPLE_HINT},
    {"sample_b", FT_INT, "B 级（一般风险）", "Grade B", 0, 0, F_CREATE, .hint = SAMPLE_HINT},
    {"sample_c", FT_INT, "C 级（较高风险）", "Grade C", 0, 0, F_CREATE, .hint = SAMPLE_HINT},
    {"sample_d", FT_INT, "D 级（高风险）", "Grade D", 0, 0, F_CREATE, .hint = SAMPLE_HINT},
    {"per_object", FT_INT, "每个对象检查人员数", "Inspectors per object", 2, DRAW_PER_OBJECT_MAX,
     F_LIST | F_CREATE, .hint = "不少于 2 名（系统设置 draw.min_inspectors）"},
    {"source_kind", FT_ENUM, "随机数来源", "Random value from", 0, 0,
     F_REQUIRED | F_LIST | F_CREATE | F_LABEL, source_kinds, ENTITY_N(source_kinds)},
    {"source", FT_TEXT, "随机数说明", "Which value", 1, 200, F_REQUIRED | F_CREATE,
     .hint = "如：见证人公证员某某现场报出的五位数；或“中国福利彩票双色球2026140期开奖号码（"
             "2026-12-03）”"},
    {"commitment", FT_TEXT, "承诺值（SHA-256）", "Commitment (SHA-256)", 0, 0, F_READONLY},
    {"n_objects", FT_INT, "候选对象数", "Candidate objects", 0, 0, F_LIST | F_READONLY},
    {"n_inspectors", FT_INT, "候选人员数", "Candidate inspectors", 0, 0, F_READONLY},
    {"n_drawn", FT_INT, "抽取对象数", "Objects drawn", 0, 0, F_LIST | F_READONLY},
    {"witness", FT_TEXT, "见证人/录入人", "Witness", 0, 0, F_READONLY},
    {"random_value", FT_TEXT, "随机数", "Random value", 0, 0, F_READONLY},
    {"value_at", FT_DATETIME, "随机数录入时间", "Value entered", 0, 0, F_READONLY},
    {"seed", FT_TEXT, "种子", "Seed", 0, 0, F_READONLY},
    {"supersedes_id", FT_REF, "重抽自", "Redraw of", 0, 0, F_READONLY, .ref = "draws"},
    {"superseded_by", FT_REF, "重抽为", "Redrawn as", 0, 0, F_READONLY, .ref = "draws"},
    {"superseded_reason", FT_TEXT, "重抽理由", "Reason for the redraw", 0, 0, F_READONLY},
    {"created_at", FT_DATETIME, "创建时间", "Created", 0, 0, F_LIST | F_SORT | F_READONLY},
    {"updated_at", FT_DATETIME, "更新时间", "Updated", 0, 0, F_READONLY},
    {"version", FT_INT, "版本", "Version", 0, 0, F_READONLY},
};

static const char *text_or_null(json_t *in, const char *key) {
    const char *s = json_string_value(json_object_get(in, key));
    return s && *s ? s : NULL;
}
static int64_t int_or(json_t *in, const char *key, int64_t none) {
    json_t *v = json_object_get(in, key);
    return json_is_integer(v) ? (int64_t)json_integer_value(v) : none;
}

static int draw_create(struct entity_write *w) {
    if (int_or(w->in, "plan_id", 0) < 0)
        problem_add(w->pr, "plan_id", "督察方案编号无效", "Not a plan");
    struct draw_params p = {
        .title = entity_text(w->in, "title"),
        .plan_id = int_or(w->in, "plan_id", 0),
        .obj_domain = text_or_null(w->in, "obj_domain"),
        .obj_type = text_or_null(w->in, "obj_type"),
        .obj_risk = text_or_null(w->in, "obj_risk"),
        .obj_unit_id = int_or(w->in, "obj_unit_id", 0),
        .insp_category = text_or_null(w->in, "insp_category"),
        .sample_mode = entity_text(w->in, "sample_mode"),
        .per_object = int_or(w->in, "per_object", 0),
        .source_kind = entity_text(w->in, "source_kind"),
        .source = entity_text(w->in, "source"),
    };
    static const char *const keys[4] = {"sample_a", "sample_b", "sample_c", "sample_d"};
    for (int g = 0; g < 4; g++)
        p.sample[g] = int_or(w->in, keys[g], -1);
    return draw_commit(w->c->db, w->c->arena, w->actor, &p, 0, w->pr, &w->id);
}

static const struct entity_number draw_number = {"draw_no", "CQ"}; /* CQ2026-000001 */

const struct entity entity_draws = {
    .name = "draws",
    .path = "/api/v1/draws",
    .zh = "双随机抽取",
    .en = "Random draws",
    .table = "draws",
    .alias = "d",
    .fields = draw_fields,
    .n_fields = ENTITY_N(draw_fields),
    .scope = {.unscoped = "a draw is published (双随机一公开): its inputs and result are public "
                          "to every reader of the directories"},
    .default_sort = "-created_at",
    .perm_read = &perm_draw_view,
    .perm_create = &perm_draw_manage,
    .audit_type = "draw",
    .number = &draw_number,
    .create = draw_create,
};
