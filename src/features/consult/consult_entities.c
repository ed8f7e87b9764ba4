/* consult_entities.c — the entities of 公开征求意见: consultations (scope: the owning unit, an
 * office sees all), their comments and topics (分组/议题) as child records whose scope is the
 * consultation's. Every read first closes what has ended (consult_close_due), so a list or a
 * record shows 已截止 the moment the last day is over. Comments are shown masked (phone, ID and
 * e-mail in the text and in the contact, which is stored sealed) unless the reader holds
 * pii.reveal. */
#include <stdio.h>
#include <string.h>

#include "base/calendar.h"
#include "base/crypto.h"
#include "base/pii.h"
#include "base/timeutil.h"
#include "features/consult/consult.h"
#include "store/settings.h"

#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#define N(a) (int)(sizeof(a) / sizeof((a)[0]))

static const struct field_option status_options[] = {
    {"draft", "草稿", "Draft", "info"},
    {"open", "征求意见中", "Open for comment", "primary"},
    {"closed", "已截止", "Period ended", "warning"},
    {"published", "已公布", "Published", "success"},
};
static const struct field_option adoptions[] = {
    {"pending", "待处理", "Pending", "info"},
    {"adopted", "采纳", "Adopted", "success"},
    {"partly", "部分采纳", "Partly adopted", "warning"},
    {"rejected", "不予采纳", "Not adopted", "danger"},
};

/* Every read closes what has ended first (a few rows at most on any day). */
static int close_on_read(struct entity_ctx *c) {
    return consult_close_due(c->db, c->arena, date_today(), 50, NULL);
}

/* ---- consultations ---- */

static const char *in_text(const struct entity_write *w, const char *key) {
    json_t *v = json_object_get(w->in, key);
    if (!v && w->cur) v = json_object_get(w->cur, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}
static int64_t in_id(const struct entity_write *w, const char *key) {
    json_t *v = json_object_get(w->in, key);
    if (!v && w->cur) v = json_object_get(w->cur, key);
    return json_is_integer(v) ? (int64_t)json_integer_value(v) : 0;
}

static int cs_validate(struct entity_write *w) {
    /* an opened one is never edited: the layer refused it already (edit_states) */
    const char *s = in_text(w, "starts_on"), *e = in_text(w, "ends_on");
    int32_t start = 0, end = 0;
    if (s && e && date_parse(s, &start) == 0 && date_parse(e, &end) == 0) {
        const char *reason = in_text(w, "short_reason");
        int64_t min_days = setting_int(w->c->db, "consult.min_days");
        if (end <= start)
            problem_add(w->pr, "ends_on", "截止日期须晚于开始日期", "Must be after the start date");
        else if (end - start < min_days && (!reason || !*reason))
            problem_add(
                w->pr, "short_reason",
                arena_printf(w->c->arena,
                             "征求意见期限一般不少于%lld日；缩短期限须说明理由（重大行政决策"
                             "程序暂行条例第十五条）",
                             (long long)min_days),
                arena_printf(w->c->arena,
                             "The period is normally at least %lld days; state the reason "
                             "for a shorter one",
                             (long long)min_days));
        if (end < date_today())
            problem_add(w->pr, "ends_on", "截止日期不能早于今天", "Cannot be before today");
    }
    if (in_id(w, "decision_id") && in_id(w, "normdoc_id"))
        problem_add(w->pr, "normdoc_id", "只能关联一个决策事项或一件规范性文件",
                    "Link a decision or a normative document, not both");
    const char *body = in_text(w, "body");
    if ((!body || !*body) && !in_id(w, "decision_id") && !in_id(w, "normdoc_id"))
        problem_add(w->pr, "body", "请填写草案文本，或关联决策事项、规范性文件",
                    "Give the draft's text, or link its decision or normative document");
    if (w->cur) return DB_OK; /* the unit is chosen at creation */
    return entity_check_unit(w, "unit_id", "只能为本单位发起征求意见", "Only for your own unit");
}

#define CS_COLUMNS                                                                                 \
    "title, body, explanation, decision_id, normdoc_id, unit_id, starts_on, ends_on, "             \
    "short_reason, mail_to, post_address, channel_note"

static void bind_columns(struct db_stmt *st, json_t *in, int *i) {
    db_bind_text(st, (*i)++, entity_text(in, "title"));
    db_bind_text(st, (*i)++, entity_text(in, "body"));
    db_bind_text(st, (*i)++, entity_text(in, "explanation"));
    json_t *d = json_object_get(in, "decision_id"), *nd = json_object_get(in, "normdoc_id");
    db_bind_id(st, (*i)++, json_is_integer(d) ? (int64_t)json_integer_value(d) : 0);
    db_bind_id(st, (*i)++, json_is_integer(nd) ? (int64_t)json_integer_value(nd) : 0);
    db_bind_id(st, (*i)++, (int64_t)json_integer_value(json_object_get(in, "unit_id")));
    db_bind_text(st, (*i)++, entity_text(in, "starts_on"));
    db_bind_text(st, (*i)++, entity_text(in, "ends_on"));
    db_bind_text(st, (*i)++, entity_text(in, "short_reason"));
    db_bind_text(st, (*i)++, entity_text(in, "mail_to"));
    db_bind_text(st, (*i)++, entity_text(in, "post_address"));
    db_bind_text(st, (*i)++, entity_text(in, "channel_note"));
}

static int cs_create(struct entity_write *w) {
    struct db *db = w->c->db;
    char now[21];
    now_iso(now);
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO consultations (consult_no, " CS_COLUMNS ", status, result_summary, "
            "created_by, created_at, updated_at, version) VALUES (NULL, ?, ?, ?, ?, ?, ?, ?, ?, "
            "?, ?, ?, ?, 'draft', '', ?, ?, ?, 1) RETURNING id");
    if (!st) return DB_ERROR;
    int i = 1;
    bind_columns(st, w->in, &i);
    db_bind_id(st, i++, w->actor->user_id);
    db_bind_text(st, i++, now);
    db_bind_text(st, i++, now);
    int rc = db_step(st);
    if (rc == DB_ROW) w->id = db_col_int(st, 0);
    db_done(st);
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERROR;
    const char *no = NULL;
    rc = entity_number_set(db, w->c->arena, &entity_consultations, w->id, now, &no);
    if (rc != DB_OK) return rc;
    struct flow_actor fa = {w->c->who, w->actor};
    if (flow_event_append(db, w->c->arena, &fa, &consultation_kind, w->id, "create", "", "", 1) !=
        FLOW_OK)
        return DB_ERROR;
    return audit_append(db, w->actor, "consultation.create", "consultation",
                        arena_printf(w->c->arena, "%lld", (long long)w->id), "ok",
                        arena_printf(w->c->arena, "{\"consult_no\":\"%s\"}", no));
}

/* Only a draft is edited (edit_states): once opened, its text and period stand. */
static const char *const cs_edit_states[] = {"draft", NULL};

static int cs_update(struct entity_write *w) {
    json_t *merged = json_deep_copy(w->cur);
    json_object_update(merged, w->in);
    struct db_stmt *st = db_prepare(
        w->c->db, "UPDATE consultations SET title = ?, body = ?, explanation = ?, "
                  "decision_id = ?, normdoc_id = ?, unit_id = ?, starts_on = ?, ends_on = ?, "
                  "short_reason = ?, mail_to = ?, post_address = ?, channel_note = ? WHERE id = ?");
    int rc = DB_ERROR;
    if (st) {
        int i = 1;
        bind_columns(st, merged, &i);
        db_bind_int(st, i, w->id);
        rc = db_step(st);
        db_done(st);
        rc = rc == DB_DONE ? DB_OK : rc < 0 ? rc : DB_ERROR;
    }
    json_decref(merged);
    if (rc != DB_OK) return rc;
    return audit_append(w->c->db, w->actor, "consultation.update", "consultation",
                        arena_printf(w->c->arena, "%lld", (long long)w->id), "ok", "");
}

static int cs_remove(struct entity_write *w) {
    const char *status = json_string_value(json_object_get(w->cur, "status"));
    if (!status || strcmp(status, "draft")) {
        w->zh = "只有草稿可以删除";
        w->en = "Only a draft can be deleted";
        return ENTITY_FORBIDDEN;
    }
    int rc =
        db_exec(w->c->db, "DELETE FROM consultation_topics WHERE consultation_id = ?", "i", w->id);
    if (rc == DB_OK)
        rc = db_exec(w->c->db, "DELETE FROM consultation_events WHERE consultation_id = ?", "i",
                     w->id);
    if (rc == DB_OK) rc = db_exec(w->c->db, "DELETE FROM consultations WHERE id = ?", "i", w->id);
    if (rc != DB_OK) return rc;
    return audit_append(w->c->db, w->actor, "consultation.delete", "consultation",
                        arena_printf(w->c->arena, "%lld", (long long)w->id), "ok", "");
}

#define COMMENTS_SQL "(SELECT COUNT(*) FROM consultation_comments m WHERE m.consultation_id = e.id)"
#define PENDING_SQL                                                                                \
    "(SELECT COUNT(*) FROM consultation_comments m WHERE m.consultation_id = e.id AND "            \
    "m.adoption = 'pending')"

static const struct field cs_fields[] = {
    {"id", FT_INT, "序号", "ID", 0, 0, F_READONLY},
    {"consult_no", FT_TEXT, "编号", "Number", 0, 20,
     F_LIST | F_SORT | F_SEARCH | F_EXPORT | F_READONLY},
    {"title", FT_TEXT, "草案名称", "Draft title", 1, 200,
     F_REQUIRED | F_LIST | F_SEARCH | F_EXPORT | F_CREATE | F_UPDATE},
    {"unit_id", FT_UNIT, "起草单位", "Drafting unit", 0, 0, F_REQUIRED | F_FILTER | F_CREATE,
     .ref = "units"},
    {"unit_name", FT_TEXT, "起草单位", "Drafting unit", 0, 0, F_LIST | F_EXPORT | F_READONLY,
     .sql = "u.name"},
    {"starts_on", FT_DATE, "开始日期", "Starts", 0, 0,
     F_REQUIRED | F_LIST | F_FILTER | F_SORT | F_EXPORT | F_CREATE | F_UPDATE,
     .hint = "发布征求意见之日起算；发布时以发布当日为开始日期"},
    {"ends_on", FT_DATE, "截止日期", "Last day", 0, 0,
     F_REQUIRED | F_LIST | F_FILTER | F_SORT | F_EXPORT | F_CREATE | F_UPDATE,
     .hint = "征求意见期限一般不少于30日（重大行政决策程序暂行条例第十五条），截止日当天仍可提交"},
    {"short_reason", FT_TEXT, "缩短期限理由", "Reason for a shorter period", 0, 500,
     F_EXPORT | F_CREATE | F_UPDATE, .hint = "期限少于30日时必填，并在公开页面上说明"},
    {"body", FT_LONGTEXT, "草案文本", "Draft text", 0, 50000, F_CREATE | F_UPDATE,
     .hint = "征求意见稿全文；也可只关联决策事项或规范性文件"},
    {"explanation", FT_LONGTEXT, "起草说明", "Explanatory note", 0, 20000, F_CREATE | F_UPDATE},
    {"decision_id", FT_REF, "关联重大行政决策", "Major decision", 0, FIELD_ID_MAX,
     F_FILTER | F_CREATE | F_UPDATE, .ref = "decisions"},
    {"normdoc_id", FT_REF, "关联规范性文件", "Normative document", 0, FIELD_ID_MAX,
     F_FILTER | F_CREATE | F_UPDATE, .ref = "normdocs"},
    {"mail_to", FT_TEXT, "电子邮箱", "E-mail for comments", 0, 100, F_CREATE | F_UPDATE,
     .hint = "社会公众可将意见发送至该邮箱"},
    {"post_address", FT_TEXT, "通信地址", "Postal address", 0, 200, F_CREATE | F_UPDATE,
     .hint = "信函请注明“征求意见”字样"},
    {"channel_note", FT_TEXT, "其他方式", "Other ways to comment", 0, 500, F_CREATE | F_UPDATE},
    {"status", FT_ENUM, "状态", "Status", 0, 0, F_LIST | F_FILTER | F_EXPORT | F_READONLY,
     status_options, N(status_options)},
    {"comments", FT_INT, "意见数", "Comments", 0, 0, F_LIST | F_EXPORT | F_READONLY,
     .sql = COMMENTS_SQL},
    {"pending", FT_INT, "待处理", "Pending", 0, 0, F_LIST | F_EXPORT | F_READONLY,
     .sql = PENDING_SQL},
    {"result_summary", FT_LONGTEXT, "采纳情况说明", "Account of adoption", 0, 0, F_READONLY},
    {"opened_at", FT_DATETIME, "发布时间", "Opened", 0, 0, F_READONLY},
    {"closed_at", FT_DATETIME, "截止时间", "Closed", 0, 0, F_READONLY},
    {"published_at", FT_DATETIME, "公布时间", "Published", 0, 0, F_READONLY},
    {"created_at", FT_DATETIME, "创建时间", "Created", 0, 0, F_SORT | F_READONLY},
    {"updated_at", FT_DATETIME, "更新时间", "Updated", 0, 0, F_READONLY},
    {"version", FT_INT, "版本", "Version", 0, 0, F_READONLY},
};

static const struct entity_child cs_children[] = {
    {"consultation_comments", "consultation_id"},
    {"consultation_topics", "consultation_id"},
};

static const struct entity_metric cs_metrics[] = {
    {"consultations", "征求意见件数", "Consultations", METRIC_COUNT, NULL, NULL, NULL,
     "按开始日期计入期间的征求意见（不含草稿）", "Consultations, by the start date"},
    {"short_period", "缩短期限件数", "Shortened periods", METRIC_COUNT, "e.short_reason <> ''",
     NULL, NULL, "说明理由后期限少于30日的征求意见", "Consultations with a stated shorter period"},
};

static const struct entity_number entity_consultations_number = {"consult_no", "ZQ"};

const struct entity entity_consultations = {
    .name = "consultations",
    .path = "/api/v1/consultations",
    .zh = "公开征求意见",
    .en = "Public consultations",
    .table = "consultations",
    .alias = "e",
    .from = "consultations e LEFT JOIN units u ON u.id = e.unit_id",
    .fields = cs_fields,
    .n_fields = N(cs_fields),
    /* the drafting unit sees its own; the office (scope all) every one */
    .scope = {.unit_column = "e.unit_id"},
    .default_sort = "-created_at",
    .perm_read = &perm_consult_view,
    .perm_create = &perm_consult_work,
    .perm_update = &perm_consult_work,
    .perm_delete = &perm_consult_work,
    .audit_type = "consultation",
    .export_name = "consultations",
    .export_sheet = "公开征求意见",
    .edit_states = cs_edit_states,
    .kind = &consultation_kind,
    .prepare = close_on_read,
    .validate = cs_validate,
    .create = cs_create,
    .update = cs_update,
    .remove = cs_remove,
    .children = cs_children,
    .n_children = N(cs_children),
    .metrics = cs_metrics,
    .n_metrics = N(cs_metrics),
    .metric_date = "e.starts_on",
    .number = &entity_consultations_number,
};

/* ---- the parent of a comment or topic: in the caller's scope, and still open to changes ---- */

static int parent_check(struct entity_write *w, int64_t parent, const char *field) {
    struct entity_ctx c;
    int rc = entity_ctx_init(&c, w->c->db, w->c->arena, &entity_consultations, w->c->who,
                             w->c->lang, EP_GET);
    if (rc != DB_OK) return rc;
    json_t *rec = entity_get(&c, parent, &rc);
    if (!rec && rc != DB_DONE) return rc;
    const char *status = rec ? json_string_value(json_object_get(rec, "status")) : NULL;
    if (!rec)
        problem_add(w->pr, field, "征求意见不存在或不在本单位范围内",
                    "No such consultation in your scope");
    else if (status && !strcmp(status, "published"))
        problem_add(w->pr, field, "采纳情况已公布，不能再修改",
                    "The outcome is published: nothing more can change");
    json_decref(rec);
    return DB_OK;
}

static int64_t parent_of(const struct entity_write *w) {
    json_t *v = json_object_get(w->in, "consultation_id");
    if (!json_is_integer(v) && w->cur) v = json_object_get(w->cur, "consultation_id");
    return json_is_integer(v) ? (int64_t)json_integer_value(v) : 0;
}

/* ---- topics (分组/议题) ---- */

static int topic_validate(struct entity_write *w) {
    int64_t parent = parent_of(w);
    return parent ? parent_check(w, parent, "consultation_id") : DB_OK;
}

static int topic_create(struct entity_write *w) {
    char now[21];
    now_iso(now);
    int64_t parent = parent_of(w);
    struct db_stmt *st = db_prepare(
        w->c->db, "INSERT INTO consultation_topics (consultation_id, name, note, sort_order, "
                  "created_at, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, 1) RETURNING id");
    if (!st) return DB_ERROR;
    json_t *order = json_object_get(w->in, "sort_order");
    db_bind_int(st, 1, parent);
    db_bind_text(st, 2, entity_text(w->in, "name"));
    db_bind_text(st, 3, entity_text(w->in, "note"));
    db_bind_int(st, 4, json_is_integer(order) ? (int64_t)json_integer_value(order) : 0);
    db_bind_text(st, 5, now);
    db_bind_text(st, 6, now);
    int rc = db_step(st);
    if (rc == DB_ROW) w->id = db_col_int(st, 0);
    db_done(st);
    if (rc != DB_ROW) return rc == DB_CONSTRAINT ? ENTITY_CONFLICT : rc < 0 ? rc : DB_ERROR;
    return audit_append(w->c->db, w->actor, "consultation_topic.create", "consultation_topic",
                        arena_printf(w->c->arena, "%lld", (long long)w->id), "ok",
                        arena_printf(w->c->arena, "{\"consultation_id\":%lld}", (long long)parent));
}

static int topic_remove(struct entity_write *w) {
    int rc =
        db_exec(w->c->db, "UPDATE consultation_comments SET topic_id = NULL WHERE topic_id = ?",
                "i", w->id);
    if (rc == DB_OK)
        rc = db_exec(w->c->db, "DELETE FROM consultation_topics WHERE id = ?", "i", w->id);
    if (rc != DB_OK) return rc;
    return audit_append(w->c->db, w->actor, "consultation_topic.delete", "consultation_topic",
                        arena_printf(w->c->arena, "%lld", (long long)w->id), "ok", "");
}

static const struct field topic_fields[] = {
    {"id", FT_INT, "序号", "ID", 0, 0, F_READONLY},
    {"consultation_id", FT_REF, "征求意见", "Consultation", 1, FIELD_ID_MAX,
     F_REQUIRED | F_FILTER | F_CREATE, .ref = "consultations"},
    {"unit_id", FT_UNIT, "起草单位", "Drafting unit", 0, 0, F_FILTER | F_READONLY,
     .sql = "c.unit_id", .ref = "units"},
    {"name", FT_TEXT, "分组（议题）", "Topic", 1, 100,
     F_REQUIRED | F_LIST | F_SEARCH | F_CREATE | F_UPDATE},
    {"note", FT_TEXT, "说明", "Note", 0, 500, F_LIST | F_CREATE | F_UPDATE},
    {"sort_order", FT_INT, "排序", "Order", 0, 1000, F_LIST | F_SORT | F_CREATE | F_UPDATE},
    {"comments", FT_INT, "意见数", "Comments", 0, 0, F_LIST | F_READONLY,
     .sql = "(SELECT COUNT(*) FROM consultation_comments m WHERE m.topic_id = t.id)"},
    {"created_at", FT_DATETIME, "创建时间", "Created", 0, 0, F_READONLY},
    {"updated_at", FT_DATETIME, "更新时间", "Updated", 0, 0, F_READONLY},
    {"version", FT_INT, "版本", "Version", 0, 0, F_READONLY},
};

const struct entity entity_consultation_topics = {
    .name = "consultation_topics",
    .path = "/api/v1/consultation-topics",
    .zh = "意见分组",
    .en = "Comment topics",
    .table = "consultation_topics",
    .alias = "t",
    .from = "consultation_topics t JOIN consultations c ON c.id = t.consultation_id",
    .filter_from = "consultation_topics t JOIN consultations c ON c.id = t.consultation_id",
    .fields = topic_fields,
    .n_fields = N(topic_fields),
    /* a topic is its consultation's: the drafting unit's, or the office's */
    .scope = {.unit_column = "c.unit_id"},
    .default_sort = "sort_order",
    .perm_read = &perm_consult_view,
    .perm_create = &perm_consult_work,
    .perm_update = &perm_consult_work,
    .perm_delete = &perm_consult_work,
    .audit_type = "consultation_topic",
    .validate = topic_validate,
    .create = topic_create,
    .remove = topic_remove,
};

/* ---- comments ---- */

/* Adopted or not, with the reason where it is not (wholly) adopted; the topic is one of this
 * consultation's. */
static int comment_validate(struct entity_write *w) {
    int64_t parent = parent_of(w);
    if (parent) {
        int rc = parent_check(w, parent, "consultation_id");
        if (rc != DB_OK) return rc;
    }
    const char *adoption = in_text(w, "adoption");
    const char *reason = in_text(w, "adoption_reason");
    if (adoption && (!strcmp(adoption, "partly") || !strcmp(adoption, "rejected")) &&
        (!reason || !*reason))
        problem_add(w->pr, "adoption_reason", "部分采纳或不予采纳的，须说明理由",
                    "State why it is not (wholly) adopted");
    json_t *topic = json_object_get(w->in, "topic_id");
    if (json_is_integer(topic) && parent) {
        int64_t n = 0;
        if (db_query_int(w->c->db, &n,
                         "SELECT COUNT(*) FROM consultation_topics WHERE id = ? AND "
                         "consultation_id = ?",
                         "ii", (int64_t)json_integer_value(topic), parent) != DB_ROW)
            return DB_ERROR;
        if (!n)
            problem_add(w->pr, "topic_id", "分组不属于该征求意见",
                        "Not a topic of this consultation");
    }
    return DB_OK;
}

/* Staff change only the handling: topic, answer, adoption and its reason. */
static int comment_update(struct entity_write *w) {
    const char *adoption = in_text(w, "adoption");
    json_t *topic = json_object_get(w->in, "topic_id");
    if (!topic) topic = json_object_get(w->cur, "topic_id");
    char now[21];
    now_iso(now);
    int decided = adoption && strcmp(adoption, "pending");
    struct db_stmt *st = db_prepare(
        w->c->db, "UPDATE consultation_comments SET topic_id = ?, answer = ?, adoption = ?, "
                  "adoption_reason = ?, handled_by = ?, handled_at = ? WHERE id = ?");
    if (!st) return DB_ERROR;
    db_bind_id(st, 1, json_is_integer(topic) ? (int64_t)json_integer_value(topic) : 0);
    db_bind_text(st, 2, in_text(w, "answer") ? in_text(w, "answer") : "");
    db_bind_text(st, 3, adoption ? adoption : "pending");
    db_bind_text(st, 4, in_text(w, "adoption_reason") ? in_text(w, "adoption_reason") : "");
    db_bind_id(st, 5, w->actor->user_id);
    db_bind_text(st, 6, now);
    db_bind_int(st, 7, w->id);
    int rc = db_step(st);
    db_done(st);
    if (rc != DB_DONE) return rc < 0 ? rc : DB_ERROR;
    (void)decided;
    return audit_append(
        w->c->db, w->actor, "consultation_comment.update", "consultation_comment",
        arena_printf(w->c->arena, "%lld", (long long)w->id), "ok",
        arena_printf(w->c->arena, "{\"adoption\":\"%s\",\"topic_id\":%lld}",
                     adoption ? adoption : "pending",
                     json_is_integer(topic) ? (long long)json_integer_value(topic) : 0LL));
}

/* The text and the contact masked (the contact opened from its seal first), or whole for a
 * reader holding pii.reveal. */
static int comment_decorate(const struct entity_ctx *c, json_t *items) {
    int whole = perm_gate(c->who->perms, &perm_pii_reveal);
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it) {
        json_t *id = json_object_get(it, "id");
        const char *sealed = json_string_value(json_object_get(it, "contact"));
        const char *contact = "";
        if (sealed && *sealed && json_is_integer(id)) {
            char *open = pii_open(c->arena,
                                  pii_ad(c->arena, "consultation_comments",
                                         (int64_t)json_integer_value(id), "contact"),
                                  sealed);
            contact = open ? (whole ? open : pii_mask_text(c->arena, open)) : "";
        }
        json_object_set_new(it, "contact", json_string(contact));
        if (!whole) {
            const char *body = json_string_value(json_object_get(it, "body"));
            if (body) json_object_set_new(it, "body", json_string(pii_mask_text(c->arena, body)));
        }
    }
    return DB_OK;
}

static const struct field comment_fields[] = {
    {"id", FT_INT, "序号", "ID", 0, 0, F_SORT | F_READONLY},
    {"consultation_id", FT_REF, "征求意见", "Consultation", 1, FIELD_ID_MAX, F_FILTER | F_READONLY,
     .ref = "consultations"},
    {"consult_no", FT_TEXT, "编号", "Number", 0, 0, F_EXPORT | F_READONLY, .sql = "c.consult_no"},
    {"unit_id", FT_UNIT, "起草单位", "Drafting unit", 0, 0, F_FILTER | F_READONLY,
     .sql = "c.unit_id", .ref = "units"},
    {"submitted_at", FT_DATETIME, "提交时间", "Submitted", 0, 0, F_SORT | F_EXPORT | F_READONLY},
    {"body", FT_LONGTEXT, "意见内容", "Comment", 0, 0, F_LIST | F_SEARCH | F_EXPORT | F_READONLY},
    {"contact", FT_TEXT, "联系方式", "Contact", 0, 0, F_READONLY},
    {"topic_id", FT_REF, "分组（议题）", "Topic", 0, FIELD_ID_MAX, F_FILTER | F_UPDATE,
     .ref = "consultation_topics"},
    {"topic_name", FT_TEXT, "分组（议题）", "Topic", 0, 0, F_EXPORT | F_READONLY, .sql = "t.name"},
    {"adoption", FT_ENUM, "采纳情况", "Adoption", 0, 0,
     F_LIST | F_FILTER | F_EXPORT | F_UPDATE | F_LABEL, adoptions, N(adoptions)},
    {"adoption_reason", FT_TEXT, "理由", "Reason", 0, 1000, F_EXPORT | F_UPDATE,
     .hint = "部分采纳或不予采纳的须说明理由，随采纳情况公布"},
    {"answer", FT_LONGTEXT, "答复", "Answer", 0, 2000, F_EXPORT | F_UPDATE},
    {"handled_at", FT_DATETIME, "处理时间", "Handled", 0, 0, F_READONLY},
    {"handled_by_name", FT_TEXT, "处理人", "Handled by", 0, 0, F_READONLY,
     .sql = "hu.display_name"},
    {"updated_at", FT_DATETIME, "更新时间", "Updated", 0, 0, F_READONLY},
    {"version", FT_INT, "版本", "Version", 0, 0, F_READONLY},
};

static const struct entity_filter comment_filters[] = {
    {"ungrouped", FT_BOOL, "未分组", "Without a topic", "m.topic_id IS NULL"},
};

const struct entity entity_consultation_comments = {
    .name = "consultation_comments",
    .path = "/api/v1/consultation-comments",
    .zh = "征求意见意见",
    .en = "Public comments",
    .table = "consultation_comments",
    .alias = "m",
    .from = "consultation_comments m JOIN consultations c ON c.id = m.consultation_id "
            "LEFT JOIN consultation_topics t ON t.id = m.topic_id "
            "LEFT JOIN users hu ON hu.id = m.handled_by",
    .filter_from = "consultation_comments m JOIN consultations c ON c.id = m.consultation_id",
    .fields = comment_fields,
    .n_fields = N(comment_fields),
    /* a comment is its consultation's: the drafting unit's, or the office's */
    .scope = {.unit_column = "c.unit_id"},
    .filters = comment_filters,
    .n_filters = N(comment_filters),
    .default_sort = "-submitted_at",
    .perm_read = &perm_consult_view,
    .perm_update = &perm_consult_work,
    .audit_type = "consultation_comment",
    .export_name = "consultation-comments",
    .export_sheet = "征求意见意见",
    .validate = comment_validate,
    .update = comment_update,
    .decorate = comment_decorate,
};
