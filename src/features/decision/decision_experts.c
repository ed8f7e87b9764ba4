/* decision_experts.c — the expert pool (专家库) of 重大行政决策: experts with their specialty and
 * employer, and the interests they declared in a matter (利害关系申报, 重大行政决策程序暂行条例
 * 第二十一条: 与决策事项有直接利害关系的专家不得参与论证). An expert with a declared interest in
 * a decision is never drawn for it and cannot be chosen (decision.c says why, naming the
 * interest). */
#include <string.h>

#include "base/timeutil.h"
#include "features/decision/decision.h"

/* Declarations leave trailing fields out: 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

int decision_expert_interest(struct db *db, struct arena *a, int64_t expert_id, int64_t decision_id,
                             const char **interest) {
    *interest = "";
    struct db_stmt *st = db_queryv(db,
                                   "SELECT interest FROM expert_interests WHERE expert_id = ? AND "
                                   "decision_id = ? ORDER BY id LIMIT 1",
                                   "ii", expert_id, decision_id);
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW) *interest = arena_printf(a, "%s", db_col_text(st, 0));
    db_done(st);
    return rc < 0 ? rc : DB_OK;
}

int decision_expert_insert(struct db *db, struct arena *a, const struct audit_actor *actor,
                           json_t *in, int64_t *id) {
    char now[21];
    now_iso(now);
    json_t *active = json_object_get(in, "active");
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO experts (name, specialty, title, employer, expertise, active, "
            "created_at, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1) RETURNING id");
    if (!st) return DB_ERROR;
    db_bind_text(st, 1, entity_text(in, "name"));
    db_bind_text(st, 2, entity_text(in, "specialty"));
    db_bind_text(st, 3, entity_text(in, "title"));
    db_bind_text(st, 4, entity_text(in, "employer"));
    db_bind_text(st, 5, entity_text(in, "expertise"));
    db_bind_int(st, 6,
                !active || json_is_true(active) ||
                    (json_is_integer(active) && json_integer_value(active) != 0));
    db_bind_text(st, 7, now);
    db_bind_text(st, 8, now);
    int rc = db_step(st);
    if (rc == DB_ROW) *id = db_col_int(st, 0);
    db_done(st);
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERROR;
    return audit_append(db, actor, "expert.create", "expert",
                        arena_printf(a, "%lld", (long long)*id), "ok", "");
}

static int expert_create(struct entity_write *w) {
    return decision_expert_insert(w->c->db, w->c->arena, w->actor, w->in, &w->id);
}

#define INTERESTS_SQL "(SELECT COUNT(*) FROM expert_interests i WHERE i.expert_id = x.id)"

static const struct field_option specialties[] = {
    {"law", "法律", "Law", ""},
    {"economy", "经济", "Economics", ""},
    {"planning", "城乡规划", "Planning", ""},
    {"environment", "生态环境", "Environment", ""},
    {"social", "社会治理", "Social governance", ""},
    {"engineering", "工程技术", "Engineering", ""},
    {"finance", "财政金融", "Finance", ""},
};

static const struct field expert_fields[] = {
    {"id", FT_INT, "序号", "ID", 0, 0, F_READONLY},
    {"name", FT_TEXT, "姓名", "Name", 1, 50,
     F_REQUIRED | F_LIST | F_SEARCH | F_SORT | F_EXPORT | F_IMPORT | F_CREATE | F_UPDATE},
    {"specialty", FT_ENUM, "专业领域", "Specialty", 0, 0,
     F_REQUIRED | F_LIST | F_FILTER | F_EXPORT | F_IMPORT | F_CREATE | F_UPDATE | F_LABEL,
     specialties, ENTITY_N(specialties)},
    {"title", FT_TEXT, "职称/职务", "Title", 0, 100,
     F_LIST | F_EXPORT | F_IMPORT | F_CREATE | F_UPDATE},
    {"employer", FT_TEXT, "工作单位", "Employer", 1, 200,
     F_REQUIRED | F_LIST | F_SEARCH | F_EXPORT | F_IMPORT | F_CREATE | F_UPDATE},
    {"expertise", FT_TEXT, "研究方向", "Expertise", 0, 500,
     F_EXPORT | F_IMPORT | F_CREATE | F_UPDATE},
    {"active", FT_BOOL, "在库", "In the pool", 0, 0,
     F_LIST | F_FILTER | F_EXPORT | F_CREATE | F_UPDATE},
    {"interests", FT_INT, "利害关系申报", "Declared interests", 0, 0, F_LIST | F_READONLY,
     .sql = INTERESTS_SQL},
    {"created_at", FT_DATETIME, "创建时间", "Created", 0, 0, F_READONLY},
    {"updated_at", FT_DATETIME, "更新时间", "Updated", 0, 0, F_READONLY},
    {"version", FT_INT, "版本", "Version", 0, 0, F_READONLY},
};

static const struct entity_child expert_children[] = {
    {"expert_interests", "expert_id"},
};

const struct entity entity_experts = {
    .name = "experts",
    .path = "/api/v1/experts",
    .zh = "决策咨询专家",
    .en = "Experts",
    .table = "experts",
    .alias = "x",
    .fields = expert_fields,
    .n_fields = ENTITY_N(expert_fields),
    .scope = {.unscoped = "the district's expert pool serves every unit's decisions: each lead "
                          "unit draws from and chooses in the whole pool"},
    .default_sort = "name",
    .perm_read = &perm_decision_view,
    .perm_create = &perm_decision_manage,
    .perm_update = &perm_decision_manage,
    .audit_type = "expert",
    .export_name = "experts",
    .export_sheet = "专家库",
    .create = expert_create,
    .children = expert_children,
    .n_children = ENTITY_N(expert_children),
};

/* ---- 利害关系申报: an interest an expert declared in one decision ---- */

static int interest_validate(struct entity_write *w) {
    json_t *e = json_object_get(w->in, "expert_id"), *d = json_object_get(w->in, "decision_id");
    int64_t n = 0;
    if (json_is_integer(e)) {
        if (db_query_int(w->c->db, &n, "SELECT COUNT(*) FROM experts WHERE id = ?", "i",
                         (int64_t)json_integer_value(e)) != DB_ROW)
            return DB_ERROR;
        if (!n) problem_add(w->pr, "expert_id", "专家库中没有该专家", "No such expert");
    }
    if (json_is_integer(d)) { /* a decision the caller reads (the lead unit, the office) */
        struct entity_ctx c;
        int rc = entity_ctx_init(&c, w->c->db, w->c->arena, &entity_decisions, w->c->who,
                                 w->c->lang, EP_COUNT);
        if (rc != DB_OK) return rc;
        json_t *rec = entity_get(&c, (int64_t)json_integer_value(d), &rc);
        if (!rec && rc != DB_DONE) return rc;
        if (!rec)
            problem_add(w->pr, "decision_id", "决策不存在或不在本单位范围内",
                        "No such decision in your scope");
        json_decref(rec);
    }
    return DB_OK;
}

int decision_interest_insert(struct db *db, struct arena *a, const struct audit_actor *actor,
                             json_t *in, int64_t *id) {
    char now[21];
    now_iso(now);
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO expert_interests (expert_id, decision_id, interest, declared_on, "
            "created_at, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, 1) RETURNING id");
    if (!st) return DB_ERROR;
    db_bind_id(st, 1, (int64_t)json_integer_value(json_object_get(in, "expert_id")));
    db_bind_id(st, 2, (int64_t)json_integer_value(json_object_get(in, "decision_id")));
    db_bind_text(st, 3, entity_text(in, "interest"));
    db_bind_text(st, 4, entity_text(in, "declared_on"));
    db_bind_text(st, 5, now);
    db_bind_text(st, 6, now);
    int rc = db_step(st);
    if (rc == DB_ROW) *id = db_col_int(st, 0);
    db_done(st);
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERROR;
    return audit_append(db, actor, "expert_interest.create", "expert_interest",
                        arena_printf(a, "%lld", (long long)*id), "ok", "");
}

static int interest_create(struct entity_write *w) {
    return decision_interest_insert(w->c->db, w->c->arena, w->actor, w->in, &w->id);
}

static const struct field interest_fields[] = {
    {"id", FT_INT, "序号", "ID", 0, 0, F_READONLY},
    {"expert_id", FT_REF, "专家", "Expert", 1, FIELD_ID_MAX, F_REQUIRED | F_FILTER | F_CREATE,
     .ref = "experts"},
    {"expert_name", FT_TEXT, "专家", "Expert", 0, 0, F_LIST | F_EXPORT | F_READONLY,
     .sql = "x.name"},
    {"decision_id", FT_INT, "决策", "Decision", 1, FIELD_ID_MAX, F_REQUIRED | F_FILTER | F_CREATE,
     .hint = "申报存在利害关系的决策"},
    {"decision_no", FT_TEXT, "决策编号", "Decision number", 0, 0, F_LIST | F_EXPORT | F_READONLY,
     .sql = "d.decision_no"},
    {"decision_title", FT_TEXT, "决策事项", "Decision", 0, 0, F_LIST | F_EXPORT | F_READONLY,
     .sql = "d.title"},
    {"interest", FT_TEXT, "利害关系", "Interest", 1, 500,
     F_REQUIRED | F_LIST | F_EXPORT | F_CREATE | F_UPDATE},
    {"declared_on", FT_DATE, "申报日期", "Declared on", 0, 0,
     F_REQUIRED | F_LIST | F_SORT | F_EXPORT | F_CREATE},
    {"created_at", FT_DATETIME, "创建时间", "Created", 0, 0, F_READONLY},
    {"updated_at", FT_DATETIME, "更新时间", "Updated", 0, 0, F_READONLY},
    {"version", FT_INT, "版本", "Version", 0, 0, F_READONLY},
};

const struct entity entity_expert_interests = {
    .name = "expert_interests",
    .path = "/api/v1/expert-interests",
    .zh = "专家利害关系申报",
    .en = "Experts' declared interests",
    .table = "expert_interests",
    .alias = "i",
    .from = "expert_interests i JOIN experts x ON x.id = i.expert_id "
            "LEFT JOIN decisions d ON d.id = i.decision_id",
    .fields = interest_fields,
    .n_fields = ENTITY_N(interest_fields),
    .scope = {.unscoped = "declarations belong to the shared expert pool: whoever draws or "
                          "chooses experts must see who is excluded and why"},
    .default_sort = "-declared_on",
    .perm_read = &perm_decision_view,
    .perm_create = &perm_decision_work,
    .perm_delete = &perm_decision_manage,
    .audit_type = "expert_interest",
    .export_name = "expert-interests",
    .export_sheet = "利害关系申报",
    .validate = interest_validate,
    .create = interest_create,
};
