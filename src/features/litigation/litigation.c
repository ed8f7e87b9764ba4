/* litigation.c — 行政应诉 cases and their hearings: the entities (fields, scope by the defendant
 * unit, writes, metrics, hearings as child records) and the kind (立案 → 答辩 → 判决/裁定 →
 * 上诉 → 二审 → 结案) with its statutory clocks. Routes, list page, forms, buttons and export
 * come from these declarations (features/entity, features/flow); the module is
 * litigation_module.c.
 *
 * Periods (行政诉讼法; 日 with the end rule of base/clock.h):
 *   答辩期限  15 日 from receiving the complaint's copy (第六十七条: 被告应当在收到起诉状副本之日起
 *             十五日内向人民法院提交作出行政行为的证据和所依据的规范性文件，并提出答辩状);
 *   上诉期限  15 日 from the judgment's service (第八十五条: 不服人民法院第一审判决的，有权在判决书
 *             送达之日起十五日内向上一级人民法院提起上诉); a 二审 judgment is final (no clock).
 *
 * Appeal: one record is one case. 上诉 keeps the record and moves it to 二审 (the first
 * instance's court, 案号 and result are kept in first_* columns and the timeline), so 败诉率
 * counts each case once, by its latest judgment, and its hearings stay on one page. */
#include <stdio.h>
#include <string.h>

#include "base/calendar.h"
#include "base/timeutil.h"
#include "features/litigation/litigation.h"
#include "features/org/org.h"

/* Declarations leave trailing fields out: 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#define N(a) (int)(sizeof(a) / sizeof((a)[0]))

static const struct field_option instances[] = {
    {"first", "一审", "First instance", ""},
    {"second", "二审", "Second instance", "warning"},
    {"retrial", "再审", "Retrial", "danger"},
};

/* 裁判结果 for the agency. 败诉率 = lost (败诉, 部分败诉) / judged (胜诉, 败诉, 部分败诉, 驳回起诉:
 * the court ruled); 撤诉 and 调解 end a case without a ruling on the agency's act and are not
 * judged. */
static const struct field_option results[] = {
    {"win", "胜诉（驳回诉讼请求）", "Won (claims dismissed)", "success"},
    {"lose", "败诉", "Lost", "danger"},
    {"partial", "部分败诉", "Partly lost", "danger"},
    {"dismissed", "驳回起诉", "Suit dismissed", "success"},
    {"withdrawn", "原告撤诉", "Withdrawn by the plaintiff", "info"},
    {"mediated", "调解结案", "Mediated", "warning"},
};
#define LOST_SQL   "e.result IN ('lose', 'partial')"
#define JUDGED_SQL "e.result IN ('win', 'lose', 'partial', 'dismissed')"

static const struct field_option appellants[] = {
    {"agency", "本机关上诉", "The agency", ""},
    {"plaintiff", "原告上诉", "The plaintiff", ""},
    {"third_party", "第三人上诉", "A third party", ""},
};

enum { LS_FILED, LS_ANSWERED, LS_JUDGED, LS_APPEALED, LS_CLOSED, LS_STATES };

static const struct flow_state states[LS_STATES] = {
    [LS_FILED] = {"filed", "待答辩", "Defence due", 0, "warning"},
    [LS_ANSWERED] = {"answered", "审理中", "In court", 0, "primary"},
    [LS_JUDGED] = {"judged", "已判决（上诉期内）", "Judged (appeal period)", 0, "warning"},
    [LS_APPEALED] = {"appealed", "二审中", "On appeal", 0, "primary"},
    [LS_CLOSED] = {"closed", "已结案", "Closed", 1, "success"},
};
static const struct field_option status_options[LS_STATES] = {
    [LS_FILED] = {"filed", "待答辩", "Defence due", "warning"},
    [LS_ANSWERED] = {"answered", "审理中", "In court", "primary"},
    [LS_JUDGED] = {"judged", "已判决（上诉期内）", "Judged (appeal period)", "warning"},
    [LS_APPEALED] = {"appealed", "二审中", "On appeal", "primary"},
    [LS_CLOSED] = {"closed", "已结案", "Closed", "success"},
};

static const struct field_option party_roles[] = {
    {"plaintiff", "原告", "Plaintiff", ""},
    {"third_party", "第三人", "Third party", ""},
    {"agent", "诉讼代理人", "Agent", ""},
};
const struct entity_parties litigation_parties = {"litigation", party_roles, N(party_roles), 1, 20};

static const struct flow_clock_def clocks[] = {
    {"defence", "答辩期限", "Defence", 15, CLOCK_DAYS, NULL, "收到起诉状副本", "complaint served",
     3, 0},
    {"appeal", "上诉期限", "Appeal period", 15, CLOCK_DAYS, NULL, "裁判文书送达", "judgment served",
     3, 0},
};

/* ---- the kind's context, relations, guards and effects ---- */

struct lt_ctx {
    struct flow_ctx base;
    int64_t defendant_id;
    int32_t filed;
    int second;      /* the current instance is 二审 (its judgment is final) */
    int agreed;      /* the result needs no appeal period (调解, 撤诉) */
    int appeal_over; /* the appeal period has run out */
    char case_no[32];
};
#define LT(c) ((struct lt_ctx *)(c))

static int load(struct flow_ctx *fc) {
    struct lt_ctx *c = LT(fc);
    char today[11];
    date_format(fc->today ? fc->today : date_today(), today);
    struct db_stmt *st = db_queryv(
        fc->db,
        "SELECT e.status, e.defendant_unit_id, e.filed_on, e.instance, COALESCE(e.result, ''), "
        "(SELECT COUNT(*) FROM record_clocks rc WHERE rc.kind = 'litigation' AND "
        "rc.record_id = e.id AND rc.clock = 'appeal' AND rc.due_on < ?), e.case_no "
        "FROM litigations e WHERE e.id = ?",
        "si", today, fc->id);
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW) {
        fc->status = flow_state_index(fc->kind, db_col_text(st, 0));
        c->defendant_id = db_col_int(st, 1);
        date_parse(db_col_text(st, 2), &c->filed);
        c->second = !strcmp(db_col_text(st, 3), "second");
        const char *result = db_col_text(st, 4);
        c->agreed = !strcmp(result, "withdrawn") || !strcmp(result, "mediated");
        c->appeal_over = db_col_int(st, 5) > 0;
        snprintf(c->case_no, sizeof c->case_no, "%s", db_col_text(st, 6));
        fc->title = c->case_no;
    }
    db_done(st);
    return rc;
}

/* The defendant unit's own accounts, or the office (litigation.manage) on its behalf. */
static int r_handles(const struct flow_ctx *c) {
    const struct principal *p = c->actor ? c->actor->who : NULL;
    return p && (p->unit_id == LT(c)->defendant_id || perm_has(p->perms, &perm_litigation_manage));
}

static const struct flow_relation relations[] = {
    {"handles", "被告单位或依法治区办", "Defendant unit or the office", r_handles},
};

static int g_not_second(const struct flow_ctx *c) {
    return !LT(c)->second;
}
static int g_second(const struct flow_ctx *c) {
    return LT(c)->second;
}
static int g_effective(const struct flow_ctx *c) {
    return LT(c)->appeal_over || LT(c)->agreed;
}

static const struct flow_guard guards_judge[] = {
    {g_not_second, "二审判决为终审判决，请用“终审判决”", "A second-instance judgment is final"},
};
static const struct flow_guard guards_final[] = {
    {g_second, "只有二审案件有终审判决", "Only a second-instance case has a final judgment"},
};
static const struct flow_guard guards_close[] = {
    {g_effective, "上诉期限尚未届满，裁判尚未生效",
     "The appeal period has not run out: the judgment is not yet effective"},
};

/* A step's date argument (default today): not later than today, not before the case was filed. */
static int32_t step_day(struct flow_ctx *c, const char *arg) {
    return flow_arg_day(c, arg, LT(c)->filed, "不能早于立案日期",
                        "Cannot be before the case was filed");
}

static int fx_defend(struct flow_ctx *c) {
    int32_t day = step_day(c, "submitted_on");
    if (!day) return FLOW_INVALID;
    char d[11];
    date_format(day, d);
    return db_exec(c->db, "UPDATE litigations SET defence_on = ? WHERE id = ?", "si", d, c->id) ==
                   DB_OK
               ? FLOW_OK
               : FLOW_DB;
}

static int fx_judge(struct flow_ctx *c) {
    int32_t day = step_day(c, "judged_on");
    int32_t served = flow_arg_text(c, "served_on") ? step_day(c, "served_on") : day;
    if (!day || !served) return FLOW_INVALID;
    if (served < day) {
        flow_problem(c, "served_on", "送达日期不能早于裁判日期",
                     "Cannot be served before it was given");
        return FLOW_INVALID;
    }
    const char *result = flow_arg_text(c, "result");
    char d[11];
    date_format(day, d);
    json_object_set_new(c->detail, "result", json_string(result));
    return db_exec(c->db,
                   "UPDATE litigations SET result = ?, judged_on = ?, judgment_note = ? "
                   "WHERE id = ?",
                   "sssi", result, d, c->note, c->id) == DB_OK
               ? FLOW_OK
               : FLOW_DB;
}

/* 上诉: the same case goes on in 二审 — the first instance's court, 案号 and result are kept. */
static int fx_appeal(struct flow_ctx *c) {
    int32_t day = step_day(c, "appealed_on");
    if (!day) return FLOW_INVALID;
    char d[11];
    date_format(day, d);
    const char *court = flow_arg_text(c, "court"), *no = flow_arg_text(c, "court_case_no");
    const char *by = flow_arg_text(c, "appellant");
    json_object_set_new(c->detail, "appellant", json_string(by));
    return db_exec(c->db,
                   "UPDATE litigations SET first_court = court, first_case_no = court_case_no, "
                   "first_result = result, first_judged_on = judged_on, court = ?, "
                   "court_case_no = ?, instance = 'second', result = NULL, judged_on = NULL, "
                   "judgment_note = '', appealed_on = ?, appellant = ? WHERE id = ?",
                   "ssssi", court, no ? no : "", d, by, c->id) == DB_OK
               ? FLOW_OK
               : FLOW_DB;
}

/* 结案: the judgment became effective. The appeal period ends as it ran — on its last day when
 * it ran out unused (not late: nobody had to act), on the day closed when a 调解 or 撤诉 ended
 * it earlier. */
static int fx_close(struct flow_ctx *c) {
    int32_t day = flow_arg_text(c, "closed_on") ? step_day(c, "closed_on") : c->today;
    if (!day) return FLOW_INVALID;
    char due_text[11] = "";
    struct db_stmt *st = db_queryv(c->db,
                                   "SELECT due_on FROM record_clocks WHERE kind = ? AND "
                                   "record_id = ? AND clock = 'appeal' AND stopped_on IS NULL",
                                   "si", c->kind->name, c->id);
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW) snprintf(due_text, sizeof due_text, "%s", db_col_text(st, 0));
    db_done(st);
    if (rc < 0) return FLOW_DB;
    int32_t due = 0;
    if (*due_text && date_parse(due_text, &due) == 0 && due < day) day = due;
    if (*due_text && flow_clock_stop(c->db, c->a, c->kind, c->id, "appeal", day) != FLOW_OK)
        return FLOW_DB;
    char now[21];
    now_iso(now);
    return db_exec(c->db, "UPDATE litigations SET closed_at = ? WHERE id = ?", "si", now, c->id) ==
                   DB_OK
               ? FLOW_OK
               : FLOW_DB;
}

static int fx_judge_final(struct flow_ctx *c) {
    int rc = fx_judge(c);
    return rc == FLOW_OK ? fx_close(c) : rc;
}

static const struct field args_defend[] = {
    {"submitted_on", FT_DATE, "提交答辩状日期（默认今天）", "Submitted on (default today)", 0, 0,
     0},
};
static const struct field args_judge[] = {
    {"result", FT_ENUM, "裁判结果", "Result", 0, 0, F_REQUIRED, results, N(results)},
    {"judged_on", FT_DATE, "裁判日期", "Judged on", 0, 0, F_REQUIRED},
    {"served_on", FT_DATE, "裁判文书送达日期（默认裁判日期）", "Served on (default: judged on)", 0,
     0, 0, .hint = "上诉期限自送达之日起计算十五日（行政诉讼法第八十五条）"},
};
static const struct field args_final[] = {
    {"result", FT_ENUM, "裁判结果", "Result", 0, 0, F_REQUIRED, results, N(results)},
    {"judged_on", FT_DATE, "裁判日期", "Judged on", 0, 0, F_REQUIRED},
};
static const struct field args_appeal[] = {
    {"appellant", FT_ENUM, "上诉人", "Appellant", 0, 0, F_REQUIRED, appellants, N(appellants)},
    {"appealed_on", FT_DATE, "上诉日期", "Appealed on", 0, 0, F_REQUIRED},
    {"court", FT_TEXT, "二审法院", "Appeal court", 1, 100, F_REQUIRED},
    {"court_case_no", FT_TEXT, "二审案号", "Appeal case number", 0, 60, 0},
};

static const struct flow_clock_step steps_defend[] = {{"defence", CLOCK_STOP, "submitted_on"}};
static const struct flow_clock_step steps_judge[] = {
    {"defence", CLOCK_STOP, "judged_on"},
    {"appeal", CLOCK_START, "served_on"},
};
static const struct flow_clock_step steps_final[] = {{"defence", CLOCK_STOP, "judged_on"}};
static const struct flow_clock_step steps_appeal[] = {{"appeal", CLOCK_STOP, "appealed_on"}};
static const struct field args_close[] = {
    {"closed_on", FT_DATE, "裁判生效日期（默认今天）", "Effective on (default today)", 0, 0, 0},
};

#define S(i)    (1u << (i))
#define ARGS(a) a, N(a)
#define NONE    NULL, 0

static const struct flow_transition transitions[] = {
    {"defend", "提交答辩状", "Submit defence", S(LS_FILED), LS_ANSWERED, &perm_litigation_work,
     "handles", 0, ARGS(args_defend), NONE, fx_defend, ARGS(steps_defend), NULL, "primary"},
    {"judge", "判决/裁定", "Judgment", S(LS_FILED) | S(LS_ANSWERED), LS_JUDGED,
     &perm_litigation_work, "handles", 0, ARGS(args_judge), ARGS(guards_judge), fx_judge,
     ARGS(steps_judge), NULL, "success"},
    {"judge_final", "终审判决", "Final judgment", S(LS_FILED) | S(LS_ANSWERED) | S(LS_APPEALED),
     LS_CLOSED, &perm_litigation_work, "handles", 0, ARGS(args_final), ARGS(guards_final),
     fx_judge_final, ARGS(steps_final), NULL, "success"},
    {"appeal", "上诉", "Appeal", S(LS_JUDGED), LS_APPEALED, &perm_litigation_work, "handles", 0,
     ARGS(args_appeal), NONE, fx_appeal, ARGS(steps_appeal), NULL, "warning"},
    {"close", "裁判生效结案", "Close (effective)", S(LS_JUDGED), LS_CLOSED, &perm_litigation_work,
     "handles", 0, ARGS(args_close), ARGS(guards_close), fx_close, NONE, NULL, "success"},
};

const struct flow_kind litigation_kind = {
    .name = "litigation",
    .zh = "行政应诉案件",
    .en = "Administrative litigation",
    .entity = "litigations",
    .table = "litigations",
    .audit_type = "litigation",
    .web_path = "/litigations",
    .perm_read = &perm_litigation_view,
    .states = states,
    .n_states = LS_STATES,
    .transitions = transitions,
    .n_transitions = N(transitions),
    .relations = relations,
    .n_relations = N(relations),
    .clocks = clocks,
    .n_clocks = N(clocks),
    .events_table = "litigation_events",
    .events_key = "litigation_id",
    .unit_column = "defendant_unit_id",
    .title_column = "case_no",
    .perm_work = &perm_litigation_work,
    .ctx_size = sizeof(struct lt_ctx),
    .load = load,
};

/* ---- the case entity ---- */

static int lt_validate(struct entity_write *w) {
    int32_t filed = 0, served = 0, today = date_today();
    const char *f = json_string_value(json_object_get(w->in, "filed_on"));
    const char *s = json_string_value(json_object_get(w->in, "served_on"));
    if (f && date_parse(f, &filed) == 0 && filed > today)
        problem_add(w->pr, "filed_on", "立案日期不能晚于今天", "Cannot be later than today");
    if (s && date_parse(s, &served) == 0 && served > today)
        problem_add(w->pr, "served_on", "收到起诉状副本日期不能晚于今天",
                    "Cannot be later than today");
    if (served && filed && served < filed)
        problem_add(w->pr, "served_on", "不能早于立案日期", "Cannot be before the case was filed");
    return entity_check_unit(w, "defendant_unit_id", "只能登记本单位作为被告的案件",
                             "Only cases against your own unit");
}

int litigation_insert(struct db *db, struct arena *a, const struct audit_actor *actor, json_t *in,
                      int64_t *id) {
    char now[21];
    now_iso(now);
    const char *filed = entity_text(in, "filed_on"), *served = entity_text(in, "served_on");
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO litigations (case_no, court_case_no, court, instance, cause, "
            "defendant_unit_id, filed_on, served_on, claim, status, created_by, created_at, "
            "updated_at, version) VALUES (NULL, ?, ?, ?, ?, ?, ?, ?, ?, 'filed', ?, ?, ?, 1) "
            "RETURNING id");
    if (!st) return DB_ERROR;
    db_bind_text(st, 1, entity_text(in, "court_case_no"));
    db_bind_text(st, 2, entity_text(in, "court"));
    db_bind_text(st, 3, entity_text(in, "instance"));
    db_bind_text(st, 4, entity_text(in, "cause"));
    db_bind_id(st, 5, (int64_t)json_integer_value(json_object_get(in, "defendant_unit_id")));
    db_bind_text(st, 6, filed);
    db_bind_text(st, 7, served);
    db_bind_text(st, 8, entity_text(in, "claim"));
    db_bind_id(st, 9, actor->user_id);
    db_bind_text(st, 10, now);
    db_bind_text(st, 11, now);
    int rc = db_step(st);
    if (rc == DB_ROW) *id = db_col_int(st, 0);
    db_done(st);
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERROR;
    const char *no = NULL;
    rc = entity_number_set(db, a, &entity_litigations, *id, filed, &no);
    int32_t day = 0;
    if (rc == DB_OK && date_parse(served, &day) != 0) rc = DB_ERROR;
    if (rc == DB_OK && flow_clock_start(db, a, &litigation_kind, *id, "defence", day) != FLOW_OK)
        rc = DB_ERROR;
    if (rc != DB_OK) return rc;
    return audit_append(db, actor, "litigation.create", "litigation",
                        arena_printf(a, "%lld", (long long)*id), "ok",
                        arena_printf(a, "{\"case_no\":\"%s\"}", no));
}

static int lt_create(struct entity_write *w) {
    return litigation_insert(w->c->db, w->c->arena, w->actor, w->in, &w->id);
}

/* 修改: the court's particulars, the cause and the claim while the case is open. */
static int lt_update(struct entity_write *w) {
    const char *status = json_string_value(json_object_get(w->cur, "status"));
    if (!status || !strcmp(status, "closed")) {
        w->zh = "已结案的案件不能修改";
        w->en = "A closed case cannot be edited";
        return ENTITY_FORBIDDEN;
    }
    int rc = db_exec(w->c->db,
                     "UPDATE litigations SET court_case_no = ?, court = ?, cause = ?, claim = ? "
                     "WHERE id = ?",
                     "ssssi", entity_text(w->in, "court_case_no"), entity_text(w->in, "court"),
                     entity_text(w->in, "cause"), entity_text(w->in, "claim"), w->id);
    if (rc != DB_OK) return rc;
    return audit_append(w->c->db, w->actor, "litigation.update", "litigation",
                        arena_printf(w->c->arena, "%lld", (long long)w->id), "ok", "");
}

#define DUE_SQL                                                                                    \
    "(SELECT rc.due_on FROM record_clocks rc WHERE rc.kind = 'litigation' AND "                    \
    "rc.record_id = e.id AND rc.stopped_on IS NULL ORDER BY rc.id DESC LIMIT 1)"
#define HEARINGS_SQL "(SELECT COUNT(*) FROM litigation_hearings h WHERE h.litigation_id = e.id)"
#define HEAD_SQL                                                                                   \
    "(SELECT COUNT(*) FROM litigation_hearings h WHERE h.litigation_id = e.id AND "                \
    "h.head_appeared = 1)"

static const struct field fields[] = {
    {"id", FT_INT, "序号", "ID", 0, 0, F_READONLY},
    {"case_no", FT_TEXT, "登记编号", "Register number", 0, 20,
     F_LIST | F_SORT | F_SEARCH | F_EXPORT | F_READONLY},
    {"court_case_no", FT_TEXT, "案号", "Court case number", 1, 60,
     F_REQUIRED | F_LIST | F_SEARCH | F_EXPORT | F_IMPORT | F_CREATE | F_UPDATE,
     .hint = "如（2026）浙0102行初123号"},
    {"court", FT_TEXT, "审理法院", "Court", 1, 100,
     F_REQUIRED | F_LIST | F_EXPORT | F_IMPORT | F_CREATE | F_UPDATE},
    {"instance", FT_ENUM, "审级", "Instance", 0, 0,
     F_REQUIRED | F_LIST | F_FILTER | F_EXPORT | F_IMPORT | F_CREATE | F_LABEL, instances,
     N(instances)},
    {"cause", FT_TEXT, "案由", "Cause", 1, 200,
     F_REQUIRED | F_LIST | F_SEARCH | F_EXPORT | F_IMPORT | F_CREATE | F_UPDATE},
    {"defendant_unit_id", FT_UNIT, "被告单位", "Defendant", 0, 0,
     F_REQUIRED | F_FILTER | F_IMPORT | F_CREATE, .ref = "units", .import = "defendant_unit"},
    {"defendant_unit_name", FT_TEXT, "被告单位", "Defendant", 0, 0, F_LIST | F_EXPORT | F_READONLY,
     .sql = "du.name"},
    {"filed_on", FT_DATE, "立案日期", "Filed", 0, 0,
     F_REQUIRED | F_LIST | F_FILTER | F_SORT | F_EXPORT | F_IMPORT | F_CREATE},
    {"served_on", FT_DATE, "收到起诉状副本日期", "Complaint served", 0, 0,
     F_REQUIRED | F_EXPORT | F_IMPORT | F_CREATE,
     .hint = "自此起算十五日答辩期限（行政诉讼法第六十七条）"},
    {"claim", FT_LONGTEXT, "诉讼请求", "Claims", 1, 2000,
     F_REQUIRED | F_EXPORT | F_IMPORT | F_CREATE | F_UPDATE},
    {"defence_on", FT_DATE, "答辩日期", "Defence submitted", 0, 0, F_EXPORT | F_READONLY},
    {"hearings", FT_INT, "庭审次数", "Hearings", 0, 0, F_EXPORT | F_READONLY, .sql = HEARINGS_SQL},
    {"head_appearances", FT_INT, "负责人出庭次数", "Head appeared", 0, 0, F_EXPORT | F_READONLY,
     .sql = HEAD_SQL},
    {"result", FT_ENUM, "裁判结果", "Result", 0, 0,
     F_LIST | F_FILTER | F_EXPORT | F_READONLY | F_LABEL, results, N(results)},
    {"judged_on", FT_DATE, "裁判日期", "Judged", 0, 0, F_FILTER | F_EXPORT | F_READONLY},
    {"judgment_note", FT_LONGTEXT, "裁判要旨", "Judgment summary", 0, 0, F_EXPORT | F_READONLY},
    {"appealed_on", FT_DATE, "上诉日期", "Appealed", 0, 0, F_EXPORT | F_READONLY},
    {"appellant", FT_ENUM, "上诉人", "Appellant", 0, 0, F_EXPORT | F_READONLY, appellants,
     N(appellants)},
    {"first_court", FT_TEXT, "一审法院", "First-instance court", 0, 0, F_EXPORT | F_READONLY},
    {"first_case_no", FT_TEXT, "一审案号", "First-instance case number", 0, 0,
     F_EXPORT | F_READONLY},
    {"first_result", FT_ENUM, "一审结果", "First-instance result", 0, 0,
     F_FILTER | F_EXPORT | F_READONLY, results, N(results)},
    {"first_judged_on", FT_DATE, "一审裁判日期", "First-instance judgment", 0, 0,
     F_EXPORT | F_READONLY},
    {"due_on", FT_DATE, "期限", "Due", 0, 0, F_LIST | F_SORT | F_EXPORT | F_READONLY,
     .sql = DUE_SQL},
    {"status", FT_ENUM, "状态", "Status", 0, 0, F_LIST | F_FILTER | F_EXPORT | F_READONLY,
     status_options, LS_STATES},
    {"closed_at", FT_DATETIME, "结案时间", "Closed", 0, 0, F_READONLY},
    {"created_at", FT_DATETIME, "创建时间", "Created", 0, 0, F_SORT | F_READONLY},
    {"updated_at", FT_DATETIME, "更新时间", "Updated", 0, 0, F_READONLY},
    {"version", FT_INT, "版本", "Version", 0, 0, F_READONLY},
};

static const struct entity_filter filters[] = {
    {"lost", FT_BOOL, "败诉（败诉率分子）", "Lost", LOST_SQL},
    {"judged", FT_BOOL, "已裁判（败诉率分母）", "Judged", JUDGED_SQL},
};

static const struct entity_metric metrics[] = {
    {"cases", "应诉案件数", "Cases", METRIC_COUNT, NULL, NULL, NULL, "按立案日期计入期间的应诉案件",
     "Cases, by the day filed"},
    {"loss_rate", "败诉率", "Loss rate", METRIC_RATE, LOST_SQL, JUDGED_SQL, NULL,
     "败诉、部分败诉 ÷ 已裁判（胜诉、败诉、部分败诉、驳回起诉；撤诉、调解不计入），按最近一审级的"
     "裁判计，一案只计一次",
     "Lost or partly lost / judged (won, lost, partly lost, suit dismissed; withdrawn and "
     "mediated not counted), by the latest instance's judgment, each case once"},
    {"lost", "败诉案件数", "Cases lost", METRIC_COUNT, LOST_SQL, NULL, NULL,
     "裁判结果为败诉或部分败诉的案件", "Cases lost or partly lost"},
};

static const struct entity_child children[] = {
    {"litigation_hearings", "litigation_id"},
};

/* What its pages read (kept per caller, request and day: entity cache_deps): the register's
 * tables, parties and clocks ("cases"), unit names, accounts and scope, settings and the
 * calendar, dictionary labels. */
static const char *const litigation_page_deps[] = {"litigation", "cases", "org", "auth",
                                                   "settings",   "dict",  NULL};

static const struct entity_number entity_litigations_number = {"case_no", "YS"};

const struct entity entity_litigations = {
    .name = "litigations",
    .path = "/api/v1/litigations",
    .zh = "行政应诉",
    .en = "Administrative litigation",
    .table = "litigations",
    .alias = "e",
    .from = "litigations e LEFT JOIN units du ON du.id = e.defendant_unit_id",
    .fields = fields,
    .n_fields = ENTITY_N(fields),
    /* the defendant unit reads its own cases; the office (scope all) reads every one */
    .scope = {.unit_column = "e.defendant_unit_id"},
    .filters = filters,
    .n_filters = ENTITY_N(filters),
    .default_sort = "-filed_on",
    .perm_read = &perm_litigation_view,
    .perm_create = &perm_litigation_work,
    .perm_update = &perm_litigation_work,
    .audit_type = "litigation",
    .export_name = "litigations",
    .export_sheet = "行政应诉",
    .kind = &litigation_kind,
    .validate = lt_validate,
    .create = lt_create,
    .update = lt_update,
    .parties = &litigation_parties,
    .metrics = metrics,
    .n_metrics = ENTITY_N(metrics),
    .metric_date = "e.filed_on",
    .children = children,
    .n_children = ENTITY_N(children),
    .cache_deps = litigation_page_deps,
    .number = &entity_litigations_number,
};

/* ---- hearings: child records of a case ---- */

/* The case a hearing belongs to, as the caller reads it (404 outside the scope), and open. */
static int hearing_validate(struct entity_write *w) {
    json_t *parent = json_object_get(w->in, "litigation_id");
    int64_t case_id = json_is_integer(parent) ? (int64_t)json_integer_value(parent)
                      : w->cur
                          ? (int64_t)json_integer_value(json_object_get(w->cur, "litigation_id"))
                          : 0;
    if (case_id) {
        struct entity_ctx c;
        int rc = entity_ctx_init(&c, w->c->db, w->c->arena, &entity_litigations, w->c->who,
                                 w->c->lang, EP_GET);
        if (rc != DB_OK) return rc;
        json_t *rec = entity_get(&c, case_id, &rc);
        if (!rec && rc != DB_DONE) return rc;
        const char *status = rec ? json_string_value(json_object_get(rec, "status")) : NULL;
        if (!rec)
            problem_add(w->pr, "litigation_id", "案件不存在或不在本单位范围内",
                        "No such case in your scope");
        else if (status && !strcmp(status, "closed") && !w->cur)
            problem_add(w->pr, "litigation_id", "已结案的案件不能再登记庭审",
                        "A closed case takes no more hearings");
        const char *held = json_string_value(json_object_get(w->in, "held_on"));
        const char *filed = rec ? json_string_value(json_object_get(rec, "filed_on")) : NULL;
        if (held && filed && strcmp(held, filed) < 0)
            problem_add(w->pr, "held_on", "庭审日期不能早于立案日期",
                        "Cannot be before the case was filed");
        json_decref(rec);
    }
    json_t *appeared = json_object_get(w->in, "head_appeared");
    const char *name = json_string_value(json_object_get(w->in, "head_name"));
    const char *position = json_string_value(json_object_get(w->in, "head_position"));
    const char *reason = json_string_value(json_object_get(w->in, "absence_reason"));
    if (json_is_true(appeared)) {
        if (!name || !*name)
            problem_add(w->pr, "head_name", "负责人出庭时须填写姓名", "Name the head who appeared");
        if (!position || !*position)
            problem_add(w->pr, "head_position", "负责人出庭时须填写职务",
                        "State the head's position");
    } else if (json_is_false(appeared) && (!reason || !*reason)) {
        problem_add(w->pr, "absence_reason", "负责人未出庭时须说明理由",
                    "State why the head did not appear");
    }
    return DB_OK;
}

int litigation_hearing_insert(struct db *db, struct arena *a, const struct audit_actor *actor,
                              json_t *in, int64_t *id) {
    char now[21];
    now_iso(now);
    int64_t case_id = (int64_t)json_integer_value(json_object_get(in, "litigation_id"));
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO litigation_hearings (litigation_id, instance, held_on, court_room, "
            "head_appeared, head_name, head_position, absence_reason, attendees, note, "
            "created_at, updated_at, version) SELECT id, instance, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
            "?, 1 FROM litigations WHERE id = ? RETURNING id");
    if (!st) return DB_ERROR;
    db_bind_text(st, 1, entity_text(in, "held_on"));
    db_bind_text(st, 2, entity_text(in, "court_room"));
    db_bind_int(st, 3, json_is_true(json_object_get(in, "head_appeared")));
    db_bind_text(st, 4, entity_text(in, "head_name"));
    db_bind_text(st, 5, entity_text(in, "head_position"));
    db_bind_text(st, 6, entity_text(in, "absence_reason"));
    db_bind_text(st, 7, entity_text(in, "attendees"));
    db_bind_text(st, 8, entity_text(in, "note"));
    db_bind_text(st, 9, now);
    db_bind_text(st, 10, now);
    db_bind_id(st, 11, case_id);
    int rc = db_step(st);
    if (rc == DB_ROW) *id = db_col_int(st, 0);
    db_done(st);
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERROR;
    return audit_append(
        db, actor, "litigation_hearing.create", "litigation_hearing",
        arena_printf(a, "%lld", (long long)*id), "ok",
        arena_printf(a, "{\"litigation_id\":%lld,\"head_appeared\":%s}", (long long)case_id,
                     json_is_true(json_object_get(in, "head_appeared")) ? "true" : "false"));
}

static int hearing_create(struct entity_write *w) {
    return litigation_hearing_insert(w->c->db, w->c->arena, w->actor, w->in, &w->id);
}

static const struct field hearing_fields[] = {
    {"id", FT_INT, "序号", "ID", 0, 0, F_READONLY},
    {"litigation_id", FT_REF, "案件", "Case", 1, FIELD_ID_MAX, F_REQUIRED | F_FILTER | F_CREATE,
     .ref = "litigations"},
    {"case_no", FT_TEXT, "登记编号", "Register number", 0, 0, F_LIST | F_EXPORT | F_READONLY,
     .sql = "l.case_no"},
    {"court_case_no", FT_TEXT, "案号", "Court case number", 0, 0, F_LIST | F_EXPORT | F_READONLY,
     .sql = "l.court_case_no"},
    {"defendant_unit_id", FT_UNIT, "被告单位", "Defendant", 0, 0, F_FILTER | F_READONLY,
     .sql = "l.defendant_unit_id", .ref = "units"},
    {"defendant_unit_name", FT_TEXT, "被告单位", "Defendant", 0, 0, F_LIST | F_EXPORT | F_READONLY,
     .sql = "du.name"},
    {"instance", FT_ENUM, "审级", "Instance", 0, 0, F_LIST | F_EXPORT | F_READONLY, instances,
     N(instances)},
    {"held_on", FT_DATE, "开庭日期", "Hearing date", 0, 0,
     F_REQUIRED | F_LIST | F_FILTER | F_SORT | F_EXPORT | F_CREATE | F_UPDATE},
    {"court_room", FT_TEXT, "法庭", "Court room", 0, 100, F_LIST | F_EXPORT | F_CREATE | F_UPDATE},
    {"head_appeared", FT_BOOL, "负责人出庭", "Head appeared", 0, 0,
     F_REQUIRED | F_LIST | F_FILTER | F_EXPORT | F_CREATE | F_UPDATE,
     .hint = "行政机关负责人出庭应诉（行政诉讼法第三条第三款）"},
    {"head_name", FT_TEXT, "出庭负责人", "Head's name", 0, 50,
     F_LIST | F_EXPORT | F_CREATE | F_UPDATE},
    {"head_position", FT_TEXT, "负责人职务", "Head's position", 0, 50,
     F_LIST | F_EXPORT | F_CREATE | F_UPDATE},
    {"absence_reason", FT_TEXT, "未出庭理由", "Reason absent", 0, 500,
     F_EXPORT | F_CREATE | F_UPDATE},
    {"attendees", FT_TEXT, "出庭人员", "Attending for the agency", 0, 200,
     F_EXPORT | F_CREATE | F_UPDATE},
    {"note", FT_LONGTEXT, "庭审情况", "Notes", 0, 2000, F_EXPORT | F_CREATE | F_UPDATE},
    {"created_at", FT_DATETIME, "创建时间", "Created", 0, 0, F_READONLY},
    {"updated_at", FT_DATETIME, "更新时间", "Updated", 0, 0, F_READONLY},
    {"version", FT_INT, "版本", "Version", 0, 0, F_READONLY},
};

static const struct entity_metric hearing_metrics[] = {
    {"head_appearance_rate", "负责人出庭应诉率", "Head appearance rate", METRIC_RATE,
     "h.head_appeared = 1", NULL, NULL, "行政机关负责人出庭的庭审 ÷ 全部庭审，按开庭日期计入期间",
     "Hearings where the agency head appeared / all hearings, by the hearing date"},
    {"hearings", "庭审次数", "Hearings", METRIC_COUNT, NULL, NULL, NULL, "按开庭日期计入期间的庭审",
     "Hearings, by the hearing date"},
    {"head_appeared", "负责人出庭次数", "Head appeared", METRIC_COUNT, "h.head_appeared = 1", NULL,
     NULL, "行政机关负责人出庭的庭审", "Hearings where the agency head appeared"},
};

const struct entity entity_litigation_hearings = {
    .name = "litigation_hearings",
    .path = "/api/v1/litigation-hearings",
    .zh = "应诉庭审",
    .en = "Litigation hearings",
    .table = "litigation_hearings",
    .alias = "h",
    .from = "litigation_hearings h JOIN litigations l ON l.id = h.litigation_id "
            "LEFT JOIN units du ON du.id = l.defendant_unit_id",
    .filter_from = "litigation_hearings h JOIN litigations l ON l.id = h.litigation_id",
    .fields = hearing_fields,
    .n_fields = ENTITY_N(hearing_fields),
    /* a hearing is its case's: the defendant unit reads its own, the office every one */
    .scope = {.unit_column = "l.defendant_unit_id"},
    .default_sort = "-held_on",
    .perm_read = &perm_litigation_view,
    .perm_create = &perm_litigation_work,
    .perm_update = &perm_litigation_work,
    .perm_delete = &perm_litigation_work,
    .audit_type = "litigation_hearing",
    .export_name = "litigation-hearings",
    .export_sheet = "应诉庭审",
    .validate = hearing_validate,
    .create = hearing_create,
    .metrics = hearing_metrics,
    .n_metrics = ENTITY_N(hearing_metrics),
    .metric_date = "h.held_on",
    .cache_deps = litigation_page_deps,
};
