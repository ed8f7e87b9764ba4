/* enforcement_review.c — 案卷评查: the scoring sheet as data (veto items 否决项 that make a file
 * fail with 0 points; the form section 形式 20 and the content section 内容 80, each item with
 * its points and its deduction per defect), the server's score of a review's findings (never
 * typed in), the grade by the settings' thresholds, and the entities of reviews and of their
 * findings (the ones to rectify are what issue 13's 整改 items start from). */
#include <stdio.h>
#include <string.h>

#include "base/calendar.h"
#include "base/timeutil.h"
#include "features/enforcement/enforcement.h"
#include "store/query.h"
#include "store/settings.h"

#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#define N(a) (int)(sizeof(a) / sizeof((a)[0]))

const struct review_section_def review_sections[RS_SECTIONS] = {
    [RS_VETO] = {"veto", "否决项", "Veto items", 0},
    [RS_FORM] = {"form", "形式评查", "Form", 20},
    [RS_CONTENT] = {"content", "内容评查", "Content", 80},
};

/* The standard (DOMAIN.md 案卷评查; the points follow the provinces' 行政执法案卷评查标准). */
const struct review_item review_items[] = {
    {"no_subject", RS_VETO, "执法主体不合法（无执法主体资格）", "No lawful enforcing body", 0, 0},
    {"beyond_power", RS_VETO, "超越法定职权", "Beyond statutory powers", 0, 0},
    {"no_certificate", RS_VETO, "执法人员不足两人或未持执法证", "Fewer than two certified officers",
     0, 0},
    {"insufficient_evidence", RS_VETO, "主要证据不足", "Main evidence insufficient", 0, 0},
    {"facts_unclear", RS_VETO, "认定事实不清", "Facts unclear", 0, 0},
    {"wrong_law", RS_VETO, "适用法律错误", "Wrong law applied", 0, 0},
    {"illegal_procedure", RS_VETO, "严重违反法定程序", "Serious breach of procedure", 0, 0},
    {"filing_form", RS_FORM, "立案审批手续完备", "Filing approval complete", 3, 1},
    {"evidence_list", RS_FORM, "证据材料目录及编号规范", "Evidence list and numbering", 4, 1},
    {"documents", RS_FORM, "文书制作规范（文号、签名、印章、日期）", "Documents well made", 5, 1},
    {"service_proof", RS_FORM, "送达回证齐全", "Proof of service", 4, 2},
    {"archive", RS_FORM, "卷宗装订归档规范", "Filed and bound", 4, 1},
    {"facts", RS_CONTENT, "事实认定清楚", "Facts established", 20, 5},
    {"evidence", RS_CONTENT, "证据确实充分、收集合法", "Evidence sufficient and lawful", 15, 3},
    {"law", RS_CONTENT, "适用法律准确", "Law correctly applied", 15, 5},
    {"procedure", RS_CONTENT, "程序合法（告知、听证、期限）", "Lawful procedure", 15, 3},
    {"discretion", RS_CONTENT, "自由裁量适当（裁量基准）", "Discretion within the standard", 10, 2},
    {"legal_review", RS_CONTENT, "法制审核与集体讨论", "Legal review and collective discussion", 5,
     5},
};
const int n_review_items = N(review_items);

static int item_index(const char *code) {
    for (int i = 0; code && i < n_review_items; i++)
        if (!strcmp(review_items[i].code, code)) return i;
    return -1;
}

#define DEFECTS_MAX 99
#define NOTE_MAX    500

void case_review_score(json_t *items, struct review_score *out) {
    int lost[RS_SECTIONS] = {0};
    *out = (struct review_score){0};
    size_t i;
    json_t *x;
    json_array_foreach(items, i, x) {
        int k = item_index(json_string_value(json_object_get(x, "code")));
        if (k < 0) continue;
        const struct review_item *it = &review_items[k];
        if (it->section == RS_VETO) {
            if (json_is_true(json_object_get(x, "veto"))) out->vetoed = 1;
            continue;
        }
        json_int_t d = json_integer_value(json_object_get(x, "defects"));
        if (d <= 0) continue;
        /* an item loses at most its own points */
        int loss = d * it->deduct > it->max ? it->max : (int)d * it->deduct;
        lost[it->section] += loss;
    }
    if (out->vetoed) return; /* a veto item: the file fails with 0 points */
    out->form = review_sections[RS_FORM].max - lost[RS_FORM];
    out->content = review_sections[RS_CONTENT].max - lost[RS_CONTENT];
    if (out->form < 0) out->form = 0; /* never below 0 per section */
    if (out->content < 0) out->content = 0;
    out->total = out->form + out->content;
}

static size_t chars_of(const char *s) {
    size_t n = 0;
    for (; s && *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

json_t *case_review_items_check(json_t *items, struct problems *pr) {
    if (!json_is_array(items) || json_array_size(items) > (size_t)n_review_items) {
        problem_add(pr, "items", "评查结果须为列表，每个评查项至多一条",
                    "Items must be a list, one entry per sheet item at most");
        return NULL;
    }
    json_t *out = json_array();
    unsigned char seen[64] = {0};
    size_t i;
    json_t *x;
    json_array_foreach(items, i, x) {
        const char *code = json_string_value(json_object_get(x, "code"));
        int k = json_is_object(x) ? item_index(code) : -1;
        const char *why_zh = NULL, *why_en = NULL;
        json_t *defects = json_object_get(x, "defects"), *veto = json_object_get(x, "veto");
        json_t *note = json_object_get(x, "note");
        if (k < 0) {
            why_zh = arena_printf(pr->arena, "评查表中没有评查项“%s”", code ? code : "");
            why_en = arena_printf(pr->arena, "The sheet has no item “%s”", code ? code : "");
        } else if (seen[k]) {
            why_zh = arena_printf(pr->arena, "评查项“%s”重复", review_items[k].zh);
            why_en = arena_printf(pr->arena, "Item “%s” appears twice", review_items[k].en);
        } else if (review_items[k].section == RS_VETO
                       ? (veto && !json_is_boolean(veto)) || (defects && !json_is_null(defects))
                       : (veto && !json_is_null(veto) && !json_is_false(veto)) ||
                             (defects &&
                              (!json_is_integer(defects) || json_integer_value(defects) < 0 ||
                               json_integer_value(defects) > DEFECTS_MAX))) {
            why_zh = review_items[k].section == RS_VETO
                         ? arena_printf(pr->arena, "否决项“%s”只能勾选是否存在", review_items[k].zh)
                         : arena_printf(pr->arena, "评查项“%s”的问题数须为 0 到 99 的整数",
                                        review_items[k].zh);
            why_en = review_items[k].section == RS_VETO
                         ? arena_printf(pr->arena, "Veto item “%s” takes only a yes/no flag",
                                        review_items[k].en)
                         : arena_printf(pr->arena, "Defects of “%s” must be an integer 0–99",
                                        review_items[k].en);
        } else if (note &&
                   (!json_is_string(note) || chars_of(json_string_value(note)) > NOTE_MAX)) {
            why_zh = "说明不超过 500 字";
            why_en = "A note of at most 500 characters";
        }
        if (why_zh) {
            problem_add(pr, "items", why_zh, why_en);
            json_decref(out);
            return NULL;
        }
        seen[k] = 1;
        json_t *o = json_pack("{s:s}", "code", review_items[k].code);
        if (review_items[k].section == RS_VETO)
            json_object_set_new(o, "veto", json_boolean(json_is_true(veto)));
        else
            json_object_set_new(o, "defects",
                                json_integer(defects ? json_integer_value(defects) : 0));
        json_object_set_new(o, "note", note ? field_trimmed(note) : json_string(""));
        json_array_append_new(out, o);
    }
    return out;
}

const char *case_review_grade(struct db *db, const struct review_score *s) {
    if (s->vetoed) return "fail";
    if (s->total >= setting_int(db, "enforcement.review.excellent")) return "excellent";
    if (s->total >= setting_int(db, "enforcement.review.pass")) return "pass";
    return "fail";
}

json_t *case_review_sheet_json(struct db *db, int lang) {
    json_t *sections = json_array();
    for (int s = 0; s < RS_SECTIONS; s++) {
        const struct review_section_def *d = &review_sections[s];
        json_t *items = json_array();
        for (int i = 0; i < n_review_items; i++) {
            const struct review_item *it = &review_items[i];
            if ((int)it->section != s) continue;
            json_array_append_new(items,
                                  json_pack("{s:s,s:s,s:s,s:s,s:i,s:i}", "code", it->code, "label",
                                            lang ? it->en : it->zh, "zh", it->zh, "en", it->en,
                                            "max", it->max, "deduct", it->deduct));
        }
        json_array_append_new(sections,
                              json_pack("{s:s,s:s,s:s,s:s,s:i,s:b,s:o}", "code", d->code, "label",
                                        lang ? d->en : d->zh, "zh", d->zh, "en", d->en, "max",
                                        d->max, "veto", s == RS_VETO, "items", items));
    }
    return json_pack(
        "{s:o,s:i,s:{s:I,s:I},s:s}", "sections", sections, "total",
        review_sections[RS_FORM].max + review_sections[RS_CONTENT].max, "grades", "excellent",
        (json_int_t)setting_int(db, "enforcement.review.excellent"), "pass",
        (json_int_t)setting_int(db, "enforcement.review.pass"), "rule",
        lang ? "Any veto item: the file fails with 0 points. Otherwise each section scores its "
               "points less the deductions (defects × deduction, at most the item's points), "
               "never below 0; the grade follows the thresholds."
             : "存在任一否决项的，案卷不合格，得 0 分；否则各部分按“问题数 × "
               "每处扣分”扣分（每项扣完为止），"
               "各部分最低 0 分，总分对照等次分数线评定等次。");
}

/* ---- the entity of reviews ---- */

static const struct field_option grade_options[] = {
    {"excellent", "优秀", "Excellent", "success"},
    {"pass", "合格", "Pass", "primary"},
    {"fail", "不合格", "Fail", "danger"},
};

#define FINDINGS_MAX 50

/* Findings: [{item (a sheet item's code, or ""), description 1–500, rectify}] → normalised. */
static json_t *findings_check(json_t *findings, struct problems *pr) {
    if (!json_is_array(findings) || json_array_size(findings) > FINDINGS_MAX) {
        problem_add(pr, "findings", "发现的问题须为列表，最多 50 条",
                    "Findings must be a list of at most 50");
        return NULL;
    }
    json_t *out = json_array();
    size_t i;
    json_t *x;
    json_array_foreach(findings, i, x) {
        const char *item = json_string_value(json_object_get(x, "item"));
        json_t *d = field_trimmed(json_object_get(x, "description"));
        const char *desc = json_string_value(d);
        json_t *rectify = json_object_get(x, "rectify");
        if (!json_is_object(x) || (item && *item && item_index(item) < 0) || !desc ||
            !chars_of(desc) || chars_of(desc) > NOTE_MAX ||
            (rectify && !json_is_boolean(rectify))) {
            problem_add(pr, "findings", "每条问题须有描述（1–500 字），关联的评查项须在评查表中",
                        "Each finding needs a description (1–500 characters) and a sheet item "
                        "when it names one");
            json_decref(d);
            json_decref(out);
            return NULL;
        }
        json_array_append_new(out, json_pack("{s:s,s:o,s:b}", "item", item ? item : "",
                                             "description", d, "rectify", json_is_true(rectify)));
    }
    return out;
}

/* The case must be one the caller reads, with a decision (a case file to review). */
static int review_validate(struct entity_write *w) {
    const char *on = json_string_value(json_object_get(w->in, "reviewed_on"));
    int32_t day;
    if (on && date_parse(on, &day) == 0 && day > date_today())
        problem_add(w->pr, "reviewed_on", "评查日期不能晚于今天", "Cannot be later than today");
    json_t *cid = json_object_get(w->in, "case_id");
    if (cid) {
        struct entity_ctx cc;
        int rc = entity_ctx_init(&cc, w->c->db, w->c->arena, &entity_enforcement_cases, w->c->who,
                                 w->c->lang, EP_GET);
        if (rc != DB_OK) return rc;
        json_t *ec = entity_get(&cc, json_integer_value(cid), &rc);
        if (!ec && rc < 0) return rc;
        const char *status = ec ? entity_text(ec, "status") : "";
        if (!ec)
            problem_add(w->pr, "case_id", "案件不存在或不在数据范围内",
                        "No such case in your data scope");
        else if (strcmp(status, "decided") && strcmp(status, "served") &&
                 strcmp(status, "executed") && strcmp(status, "closed"))
            problem_add(w->pr, "case_id", "只能评查已作出决定的案卷",
                        "Only the file of a decided case can be reviewed");
        json_decref(ec);
    }
    json_t *items = json_object_get(w->in, "items");
    if (items) {
        json_t *ok = case_review_items_check(items, w->pr);
        if (ok) json_object_set_new(w->in, "items", ok);
    }
    json_t *findings = json_object_get(w->in, "findings");
    if (findings) {
        json_t *ok = findings_check(findings, w->pr);
        if (ok) json_object_set_new(w->in, "findings", ok);
    }
    return DB_OK;
}

/* Score, grade and findings of the review from its items (the server's, never the caller's). */
static int review_store(struct entity_write *w) {
    struct db *db = w->c->db;
    json_t *items = json_object_get(w->in, "items");
    json_t *findings = json_object_get(w->in, "findings");
    struct review_score s;
    case_review_score(items, &s);
    char *text = json_dumps(items ? items : json_array(), JSON_COMPACT);
    int rectify = 0;
    size_t i;
    json_t *x;
    json_array_foreach(findings, i, x) rectify += json_is_true(json_object_get(x, "rectify"));
    int rc = text ? db_exec(db,
                            "UPDATE case_reviews SET items = ?, form_score = ?, content_score = ?, "
                            "score = ?, vetoed = ?, grade = ?, rectify_count = ? WHERE id = ?",
                            "siiiisii", text, (int64_t)s.form, (int64_t)s.content, (int64_t)s.total,
                            (int64_t)s.vetoed, case_review_grade(db, &s), (int64_t)rectify, w->id)
                  : DB_ERROR;
    free(text);
    if (rc != DB_OK) return rc;
    if ((rc = db_exec(db, "DELETE FROM case_review_findings WHERE review_id = ?", "i", w->id)) !=
        DB_OK)
        return rc;
    char now[21];
    now_iso(now);
    json_array_foreach(findings, i, x) {
        rc = db_exec(db,
                     "INSERT INTO case_review_findings (review_id, seq, item, description, "
                     "rectify, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                     "iissis", w->id, (int64_t)i + 1, entity_text(x, "item"),
                     entity_text(x, "description"),
                     (int64_t)json_is_true(json_object_get(x, "rectify")), now);
        if (rc != DB_OK) return rc;
    }
    return audit_append(db, w->actor, "case_review.score", "case_review",
                        arena_printf(w->c->arena, "%lld", (long long)w->id), "ok",
                        arena_printf(w->c->arena, "{\"score\":%d,\"vetoed\":%s,\"grade\":\"%s\"}",
                                     s.total, s.vetoed ? "true" : "false",
                                     case_review_grade(db, &s)));
}

static int review_create(struct entity_write *w) {
    struct db *db = w->c->db;
    char now[21];
    now_iso(now);
    int64_t case_id = json_integer_value(json_object_get(w->in, "case_id"));
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO case_reviews (review_no, case_id, unit_id, reviewed_on, reviewer, note, "
            "items, form_score, content_score, score, vetoed, grade, rectify_count, created_by, "
            "created_at, updated_at, version) SELECT NULL, c.id, c.unit_id, ?, ?, ?, '[]', 0, 0, "
            "0, 0, 'fail', 0, ?, ?, ?, 1 FROM enforcement_cases c WHERE c.id = ? RETURNING id");
    if (!st) return DB_ERROR;
    db_bind_text(st, 1, entity_text(w->in, "reviewed_on"));
    db_bind_text(st, 2, entity_text(w->in, "reviewer"));
    db_bind_text(st, 3, entity_text(w->in, "note"));
    db_bind_id(st, 4, w->actor->user_id);
    db_bind_text(st, 5, now);
    db_bind_text(st, 6, now);
    db_bind_id(st, 7, case_id);
    int rc = db_step(st);
    if (rc == DB_ROW) w->id = db_col_int(st, 0);
    db_done(st);
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERROR;
    const char *no = NULL;
    if ((rc = entity_number_set(db, w->c->arena, &entity_case_reviews, w->id,
                                entity_text(w->in, "reviewed_on"), &no)) != DB_OK)
        return rc;
    if ((rc = audit_append(db, w->actor, "case_review.create", "case_review",
                           arena_printf(w->c->arena, "%lld", (long long)w->id), "ok",
                           arena_printf(w->c->arena, "{\"review_no\":\"%s\",\"case_id\":%lld}", no,
                                        (long long)case_id))) != DB_OK)
        return rc;
    return review_store(w);
}

static int review_update(struct entity_write *w) {
    int rc = db_exec(w->c->db,
                     "UPDATE case_reviews SET reviewed_on = ?, reviewer = ?, note = ? WHERE id = ?",
                     "sssi", entity_text(w->in, "reviewed_on"), entity_text(w->in, "reviewer"),
                     entity_text(w->in, "note"), w->id);
    if (rc != DB_OK) return rc;
    if (!json_object_get(w->in, "findings")) {
        /* keep the findings when the caller does not send them */
        json_t *kept = json_array();
        struct db_stmt *st = db_queryv(w->c->db,
                                       "SELECT item, description, rectify FROM "
                                       "case_review_findings WHERE review_id = ? ORDER BY seq",
                                       "i", w->id);
        while (st && (rc = db_step(st)) == DB_ROW)
            json_array_append_new(kept, json_pack("{s:s,s:s,s:b}", "item", db_col_text(st, 0),
                                                  "description", db_col_text(st, 1), "rectify",
                                                  db_col_int(st, 2) != 0));
        db_done(st);
        json_object_set_new(w->in, "findings", kept);
        if (rc != DB_DONE) return rc < 0 ? rc : DB_ERROR;
    }
    return review_store(w);
}

/* The page's items (from their column) and findings: one query for the findings. */
static int review_decorate(const struct entity_ctx *c, json_t *items) {
    size_t n = json_array_size(items), i;
    int64_t *ids = arena_alloc(c->arena, (n ? n : 1) * sizeof(int64_t));
    json_t *x;
    json_array_foreach(items, i, x) {
        ids[i] = json_integer_value(json_object_get(x, "id"));
        json_t *o = json_loads(entity_text(x, "items_json"), 0, NULL);
        json_object_set_new(x, "items", json_is_array(o) ? o : json_array());
        if (!json_is_array(o)) json_decref(o);
        json_object_set_new(x, "findings", json_array());
    }
    if (c->purpose == EP_LIST) return DB_OK;
    struct query q;
    query_init(&q, c->arena,
               "SELECT review_id, item, description, rectify FROM case_review_findings "
               "WHERE review_id");
    query_add_ids(&q, ids, (int)n);
    query_add(&q, " ORDER BY review_id, seq", "");
    struct db_stmt *st = query_prepare(c->db, &q);
    int rc = DB_ERROR;
    while (st && (rc = db_step(st)) == DB_ROW) {
        int64_t id = db_col_int(st, 0);
        for (i = 0; i < n; i++)
            if (ids[i] == id)
                json_array_append_new(json_object_get(json_array_get(items, i), "findings"),
                                      json_pack("{s:s,s:s,s:b}", "item", db_col_text(st, 1),
                                                "description", db_col_text(st, 2), "rectify",
                                                db_col_int(st, 3) != 0));
    }
    db_done(st);
    return rc == DB_DONE ? DB_OK : rc < 0 ? rc : DB_ERROR;
}

static const struct field fields[] = {
    {"id", FT_INT, "序号", "ID", 0, 0, F_READONLY},
    {"review_no", FT_TEXT, "评查编号", "Review number", 0, 20,
     F_LIST | F_SORT | F_SEARCH | F_EXPORT | F_READONLY},
    {"case_id", FT_REF, "被评查案件", "Case", 0, 0, F_REQUIRED | F_FILTER | F_CREATE,
     .ref = "enforcement_cases"},
    {"case_no", FT_TEXT, "案件编号", "Case number", 0, 0, F_LIST | F_SEARCH | F_EXPORT | F_READONLY,
     .sql = "c.case_no", .search = "c.case_no"},
    {"case_cause", FT_TEXT, "案由", "Cause", 0, 0, F_LIST | F_EXPORT | F_READONLY,
     .sql = "c.cause"},
    {"unit_id", FT_UNIT, "执法单位", "Enforcing unit", 0, 0, F_FILTER | F_READONLY, .ref = "units"},
    {"unit_name", FT_TEXT, "执法单位", "Enforcing unit", 0, 0, F_LIST | F_EXPORT | F_READONLY,
     .sql = "u.name"},
    {"reviewed_on", FT_DATE, "评查日期", "Reviewed on", 0, 0,
     F_REQUIRED | F_LIST | F_FILTER | F_SORT | F_EXPORT | F_CREATE | F_UPDATE},
    {"reviewer", FT_TEXT, "评查人", "Reviewer", 1, 50,
     F_REQUIRED | F_LIST | F_SEARCH | F_EXPORT | F_CREATE | F_UPDATE},
    {"items", FT_JSON, "评查结果", "Findings per item", 0, 0,
     F_REQUIRED | F_MULTI | F_VIRTUAL | F_CREATE | F_UPDATE, .max_items = 64,
     .hint = "每个评查项：问题数 defects 或否决 veto，及说明 note；得分由系统按评查标准计算"},
    {"findings", FT_JSON, "发现的问题", "Findings", 0, 0, F_MULTI | F_VIRTUAL | F_CREATE | F_UPDATE,
     .max_items = FINDINGS_MAX, .ref = "description"},
    {"form_score", FT_INT, "形式得分", "Form score", 0, 20, F_LIST | F_EXPORT | F_READONLY},
    {"content_score", FT_INT, "内容得分", "Content score", 0, 80, F_LIST | F_EXPORT | F_READONLY},
    {"score", FT_INT, "总分", "Score", 0, 100, F_LIST | F_SORT | F_EXPORT | F_READONLY},
    {"vetoed", FT_BOOL, "否决", "Vetoed", 0, 0, F_LIST | F_FILTER | F_EXPORT | F_READONLY},
    {"grade", FT_ENUM, "等次", "Grade", 0, 0, F_LIST | F_FILTER | F_EXPORT | F_READONLY | F_LABEL,
     grade_options, N(grade_options)},
    {"rectify_count", FT_INT, "待整改问题数", "To rectify", 0, FINDINGS_MAX,
     F_LIST | F_EXPORT | F_READONLY},
    {"note", FT_LONGTEXT, "评查意见", "Opinion", 0, 2000, F_EXPORT | F_CREATE | F_UPDATE},
    {"items_json", FT_TEXT, "评查结果", "Items", 0, 0, F_INTERNAL | F_READONLY, .sql = "r.items"},
    {"created_at", FT_DATETIME, "创建时间", "Created", 0, 0, F_SORT | F_READONLY},
    {"updated_at", FT_DATETIME, "更新时间", "Updated", 0, 0, F_READONLY},
    {"version", FT_INT, "版本", "Version", 0, 0, F_READONLY},
};

static const struct entity_filter filters[] = {
    {"rectify", FT_BOOL, "有待整改问题", "Has findings to rectify", "r.rectify_count > 0",
     "r.rectify_count = 0"},
};

static const struct entity_metric metrics[] = {
    {"review_avg_score", "评查平均分", "Average review score", METRIC_AVG, NULL, NULL, "r.score",
     "评查案卷的平均得分（否决的案卷计 0 分）", "Average score of the reviewed files (vetoed: 0)"},
    {"review_failed", "不合格案卷数", "Failing files", METRIC_COUNT, "r.grade = 'fail'", NULL, NULL,
     "等次为不合格的评查案卷数（含否决）", "Reviewed files graded fail (vetoed included)"},
    {"review_fail_rate", "不合格率", "Failing rate", METRIC_RATE, "r.grade = 'fail'", NULL, NULL,
     "不合格案卷数 / 评查案卷数", "Failing files / reviewed files"},
};

/* What its pages read (kept per caller, request and day: entity cache_deps): the register's
 * tables, parties and clocks ("cases"), unit names, accounts and scope, settings and the
 * calendar, dictionary labels. */
static const char *const enforcement_page_deps[] = {"enforcement", "cases", "org", "auth",
                                                    "settings",    "dict",  NULL};

static const struct entity_number entity_case_reviews_number = {"review_no", "PC"};

const struct entity entity_case_reviews = {
    .name = "case_reviews",
    .path = "/api/v1/case-reviews",
    .zh = "案卷评查",
    .en = "Case-file reviews",
    .table = "case_reviews",
    .alias = "r",
    .from = "case_reviews r JOIN enforcement_cases c ON c.id = r.case_id "
            "JOIN units u ON u.id = r.unit_id",
    .fields = fields,
    .n_fields = N(fields),
    .filters = filters,
    .n_filters = N(filters),
    /* a unit reads the reviews of its own case files; the office reads every one */
    .scope = {.unit_column = "r.unit_id"},
    .default_sort = "-reviewed_on",
    .perm_read = &perm_enforcement_view,
    .perm_create = &perm_enforcement_manage,
    .perm_update = &perm_enforcement_manage,
    .audit_type = "case_review",
    .export_name = "case-reviews",
    .export_sheet = "案卷评查",
    .validate = review_validate,
    .create = review_create,
    .update = review_update,
    .decorate = review_decorate,
    .metrics = metrics,
    .n_metrics = N(metrics),
    .metric_date = "r.reviewed_on",
    .cache_deps = enforcement_page_deps,
    .number = &entity_case_reviews_number,
};

/* ---- findings, queryable on their own (整改 items start from those to rectify) ---- */

static const struct field finding_fields[] = {
    {"id", FT_INT, "序号", "ID", 0, 0, F_READONLY},
    {"review_id", FT_REF, "评查", "Review", 0, 0, F_FILTER | F_READONLY, .ref = "case_reviews"},
    {"review_no", FT_TEXT, "评查编号", "Review number", 0, 0, F_LIST | F_EXPORT | F_READONLY,
     .sql = "r.review_no"},
    {"case_no", FT_TEXT, "案件编号", "Case number", 0, 0, F_LIST | F_EXPORT | F_READONLY,
     .sql = "c.case_no"},
    {"unit_id", FT_UNIT, "执法单位", "Enforcing unit", 0, 0, F_FILTER | F_READONLY, .ref = "units",
     .sql = "r.unit_id"},
    {"unit_name", FT_TEXT, "执法单位", "Enforcing unit", 0, 0, F_LIST | F_EXPORT | F_READONLY,
     .sql = "u.name"},
    {"item", FT_TEXT, "评查项", "Sheet item", 0, 0, F_LIST | F_FILTER | F_EXPORT | F_READONLY},
    {"description", FT_LONGTEXT, "问题描述", "Description", 0, 0,
     F_LIST | F_SEARCH | F_EXPORT | F_READONLY},
    {"rectify", FT_BOOL, "需整改", "To rectify", 0, 0, F_LIST | F_FILTER | F_EXPORT | F_READONLY},
    {"reviewed_on", FT_DATE, "评查日期", "Reviewed on", 0, 0,
     F_LIST | F_FILTER | F_SORT | F_EXPORT | F_READONLY, .sql = "r.reviewed_on"},
};

const struct entity entity_case_review_findings = {
    .name = "case_review_findings",
    .path = "/api/v1/case-review-findings",
    .zh = "评查发现的问题",
    .en = "Review findings",
    .table = "case_review_findings",
    .alias = "f",
    .from = "case_review_findings f JOIN case_reviews r ON r.id = f.review_id "
            "JOIN enforcement_cases c ON c.id = r.case_id JOIN units u ON u.id = r.unit_id",
    .filter_from = "case_review_findings f JOIN case_reviews r ON r.id = f.review_id",
    .fields = finding_fields,
    .n_fields = N(finding_fields),
    .scope = {.unit_column = "r.unit_id"},
    .default_sort = "-reviewed_on",
    .perm_read = &perm_enforcement_view,
    .audit_type = "case_review",
    .export_name = "case-review-findings",
    .export_sheet = "评查发现的问题",
    .cache_deps = enforcement_page_deps,
};
