/* enforcement.c — 行政执法案件: the entity (fields, scope, writes, the record-step checklist) and
 * the workflow kind with the 三项制度 (国办发〔2018〕118号, 关于全面推行行政执法公示制度执法全过程
 * 记录制度重大执法决定法制审核制度的指导意见):
 *  - 执法公示: the decision published within 7 工作日 (许可, 处罚) or 20 工作日 (others) of the
 *    decision — the clock `publish`, started by 决定 and met by 公示;
 *  - 全过程记录: the steps of enforcement_steps[], each recorded with its date by the step of the
 *    kind that does it (or 补录 later); the case page lists what is missing;
 *  - 重大执法决定法制审核: a major case cannot be decided without a passed legal review (a guard).
 * The routes, list page, forms, buttons and export come from these declarations alone. */
#include <stdio.h>
#include <string.h>

#include "base/calendar.h"
#include "base/timeutil.h"
#include "features/enforcement/enforcement.h"
#include "features/org/org.h"
#include "store/query.h"
#include "store/settings.h"

/* Declarations leave trailing fields out: 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#define N(a) (int)(sizeof(a) / sizeof((a)[0]))

/* 行政行为的类型 (the categories the 三项制度 guidance names). */
const struct field_option enforcement_case_types[ENF_TYPES] = {
    {"license", "行政许可", "Licensing", "primary"},
    {"penalty", "行政处罚", "Penalty", "danger"},
    {"coercion", "行政强制", "Coercive measure", "warning"},
    {"inspection", "行政检查", "Inspection", "info"},
    {"levy", "行政征收", "Levy", "info"},
    {"payment", "行政给付", "Benefit payment", "success"},
    {"confirmation", "行政确认", "Confirmation", "info"},
};

const struct enforcement_step enforcement_steps[ENF_STEPS] = {
    {"file", "立案", "Case filed", 1},
    {"investigate", "调查取证", "Investigation and evidence", 1},
    {"notify", "告知", "Notice of rights", 1},
    {"hearing", "听证", "Hearing", 0},
    {"decide", "决定", "Decision", 1},
    {"serve", "送达", "Service", 1},
    {"execute", "执行", "Execution", 1},
};
const struct field_option enforcement_step_options[ENF_STEPS] = {
    {"file", "立案", "Case filed", ""},
    {"investigate", "调查取证", "Investigation and evidence", ""},
    {"notify", "告知", "Notice of rights", ""},
    {"hearing", "听证", "Hearing", ""},
    {"decide", "决定", "Decision", ""},
    {"serve", "送达", "Service", ""},
    {"execute", "执行", "Execution", ""},
};

static const struct field_option review_options[] = {
    {"none", "未审核", "Not reviewed", "info"},
    {"pending", "审核中", "Under review", "warning"},
    {"passed", "审核通过", "Passed", "success"},
    {"failed", "审核未通过", "Not passed", "danger"},
};

static const struct field_option party_roles[] = {
    {"counterpart", "当事人", "Counterpart", ""},
    {"interested", "利害关系人", "Interested party", ""},
};
/* 当事人: the administrative counterpart (a person or an organisation) — at least one. */
const struct entity_parties enforcement_parties = {"enforcement", party_roles, N(party_roles), 1,
                                                   20};

/* Stored codes of the states (the kind's states and the status field's options: one order). */
enum {
    EC_FILED,
    EC_INVESTIGATING,
    EC_NOTIFIED,
    EC_HEARING,
    EC_REVIEWING,
    EC_REVIEWED,
    EC_DECIDED,
    EC_SERVED,
    EC_EXECUTED,
    EC_CLOSED,
    EC_CANCELLED,
    EC_STATES
};

static const struct flow_state states[EC_STATES] = {
    [EC_FILED] = {"filed", "已立案", "Filed", 0, "warning"},
    [EC_INVESTIGATING] = {"investigating", "调查取证", "Investigating", 0, "primary"},
    [EC_NOTIFIED] = {"notified", "已告知", "Notified", 0, "primary"},
    [EC_HEARING] = {"hearing", "听证", "Hearing", 0, "warning"},
    [EC_REVIEWING] = {"reviewing", "法制审核中", "Under legal review", 0, "warning"},
    [EC_REVIEWED] = {"reviewed", "审核通过待决定", "Reviewed, to decide", 0, "primary"},
    [EC_DECIDED] = {"decided", "已决定", "Decided", 0, "success"},
    [EC_SERVED] = {"served", "已送达", "Served", 0, "success"},
    [EC_EXECUTED] = {"executed", "已执行", "Executed", 0, "success"},
    [EC_CLOSED] = {"closed", "已结案", "Closed", 1, "success"},
    [EC_CANCELLED] = {"cancelled", "已撤销", "Cancelled", 1, "info"},
};
static const struct field_option status_options[EC_STATES] = {
    [EC_FILED] = {"filed", "已立案", "Filed", "warning"},
    [EC_INVESTIGATING] = {"investigating", "调查取证", "Investigating", "primary"},
    [EC_NOTIFIED] = {"notified", "已告知", "Notified", "primary"},
    [EC_HEARING] = {"hearing", "听证", "Hearing", "warning"},
    [EC_REVIEWING] = {"reviewing", "法制审核中", "Under legal review", "warning"},
    [EC_REVIEWED] = {"reviewed", "审核通过待决定", "Reviewed, to decide", "primary"},
    [EC_DECIDED] = {"decided", "已决定", "Decided", "success"},
    [EC_SERVED] = {"served", "已送达", "Served", "success"},
    [EC_EXECUTED] = {"executed", "已执行", "Executed", "success"},
    [EC_CLOSED] = {"closed", "已结案", "Closed", "success"},
    [EC_CANCELLED] = {"cancelled", "已撤销", "Cancelled", "info"},
};

/* ---- 执法人员 ---- */

/* 执法证号: the issuing province's abbreviation (one CJK character) may lead, then 6–18 letters
 * and digits (local formats differ: 国家统一 8 位数字, 省级 "晋A0101001" …). */
int enforcement_cert_valid(const char *s) {
    if (!s) return 0;
    const unsigned char *p = (const unsigned char *)s;
    if (p[0] >= 0xE0 && p[0] < 0xF0 && p[1] >= 0x80 && p[2] >= 0x80) p += 3;
    size_t n = 0;
    for (; *p; p++, n++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z'))) return 0;
    return n >= 6 && n <= 18;
}

#define OFFICERS_MAX 10

/* One officer as given: {name, cert_no}, or the text "姓名:证号" (also "：") of an import cell. */
static json_t *officer_of(json_t *x) {
    char name[160] = "", cert[80] = "";
    if (json_is_object(x)) {
        const char *n = json_string_value(json_object_get(x, "name"));
        const char *k = json_string_value(json_object_get(x, "cert_no"));
        snprintf(name, sizeof name, "%s", n ? n : "");
        snprintf(cert, sizeof cert, "%s", k ? k : "");
    } else if (json_is_string(x)) {
        const char *s = json_string_value(x), *colon = strstr(s, "：");
        size_t skip = 3;
        if (!colon) colon = strchr(s, ':'), skip = 1;
        if (!colon) return NULL;
        snprintf(name, sizeof name, "%.*s", (int)(colon - s), s);
        snprintf(cert, sizeof cert, "%s", colon + skip);
    } else {
        return NULL;
    }
    json_t *n = json_string(name), *k = json_string(cert); /* NULL when not UTF-8 */
    json_t *o = n && k
                    ? json_pack("{s:o,s:o}", "name", field_trimmed(n), "cert_no", field_trimmed(k))
                    : NULL;
    json_decref(n);
    json_decref(k);
    return o;
}

json_t *enforcement_officers_check(json_t *officers, struct problems *pr) {
    if (!json_is_array(officers) || json_array_size(officers) > OFFICERS_MAX) {
        problem_add(pr, "officers", "执法人员须为列表，最多 10 人",
                    "Officers must be a list of at most 10");
        return NULL;
    }
    json_t *out = json_array();
    size_t i;
    json_t *x;
    json_array_foreach(officers, i, x) {
        json_t *o = officer_of(x);
        const char *name = o ? json_string_value(json_object_get(o, "name")) : NULL;
        const char *cert = o ? json_string_value(json_object_get(o, "cert_no")) : NULL;
        size_t chars = 0;
        for (const char *p = name ? name : ""; *p; p++)
            chars += ((unsigned char)*p & 0xC0) != 0x80;
        if (!o || !chars || chars > 50) {
            problem_add(pr, "officers", "每名执法人员须有姓名（不超过 50 字）和执法证号",
                        "Each officer needs a name (at most 50 characters) and a certificate "
                        "number");
            json_decref(o);
            json_decref(out);
            return NULL;
        }
        if (!enforcement_cert_valid(cert)) {
            problem_add(pr, "officers",
                        arena_printf(pr->arena,
                                     "执法证号“%s”格式不正确（6–18 位大写字母或数字，"
                                     "可冠以省份简称）",
                                     cert),
                        arena_printf(pr->arena,
                                     "Certificate number “%s” is not valid (6–18 capital "
                                     "letters or digits, optionally after the province)",
                                     cert));
            json_decref(o);
            json_decref(out);
            return NULL;
        }
        size_t j;
        json_t *y;
        json_array_foreach(out, j, y) {
            if (!strcmp(json_string_value(json_object_get(y, "cert_no")), cert)) {
                problem_add(pr, "officers", "执法证号重复：每名执法人员的证号须不同",
                            "A certificate number appears twice");
                json_decref(o);
                json_decref(out);
                return NULL;
            }
        }
        json_object_set_new(o, "text", json_string(arena_printf(pr->arena, "%s:%s", name, cert)));
        json_array_append_new(out, o);
    }
    /* 行政处罚法 第42条, 行政许可法 第34条 …: 执法人员不得少于两人 */
    if (json_array_size(out) < 2) {
        problem_add(pr, "officers", "执法人员不得少于两人，且须持有执法证",
                    "At least two officers holding certificates");
        json_decref(out);
        return NULL;
    }
    return out;
}

/* ---- publication time limit (执法公示) ---- */

/* 许可 and 处罚: 7 工作日; every other decision: 20 工作日 (settings, 118号文). */
static int publish_period(struct db *db, int64_t id, int *period, enum clock_unit *unit) {
    char type[32] = "";
    struct db_stmt *st =
        db_queryv(db, "SELECT case_type FROM enforcement_cases WHERE id = ?", "i", id);
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW) snprintf(type, sizeof type, "%s", db_col_text(st, 0));
    db_done(st);
    if (rc != DB_ROW) return rc == DB_DONE ? DB_OK : rc;
    int fast = !strcmp(type, "license") || !strcmp(type, "penalty");
    *period = (int)setting_int(db, fast ? "enforcement.publish_days.license_penalty"
                                        : "enforcement.publish_days.other");
    *unit = CLOCK_WORKDAYS;
    return DB_OK;
}

static const struct flow_clock_def clocks[] = {
    {"publish", "执法公示期限", "Publication", 20, CLOCK_WORKDAYS, NULL, "作出决定", "decided", 2,
     0, publish_period},
};

/* ---- record steps ---- */

int enforcement_step_record(struct db *db, int64_t case_id, const char *step, int32_t day,
                            int64_t actor_id) {
    char on[11], now[21];
    date_format(day, on);
    now_iso(now);
    int rc = db_exec(db,
                     "INSERT INTO enforcement_case_steps (case_id, step, done_on, actor_id, "
                     "created_at) VALUES (?, ?, ?, NULLIF(?, 0), ?) ON CONFLICT (case_id, step) "
                     "DO UPDATE SET done_on = excluded.done_on, actor_id = excluded.actor_id",
                     "issis", case_id, step, on, actor_id, now);
    if (rc != DB_OK) return rc;
    /* the count of required steps not recorded: the list's column and the metric's condition */
    struct arena *a = arena_new(1 << 12);
    struct query q;
    int required = 0;
    for (int i = 0; i < ENF_STEPS; i++)
        required += enforcement_steps[i].required;
    query_init(&q, a, "UPDATE enforcement_cases SET missing_steps = ");
    query_add(&q,
              "CAST(? AS BIGINT) - (SELECT COUNT(*) FROM enforcement_case_steps s "
              "WHERE s.case_id = ? AND s.step IN (",
              "ii", (int64_t)required, case_id);
    int first = 1;
    for (int i = 0; i < ENF_STEPS; i++) {
        if (!enforcement_steps[i].required) continue;
        query_add(&q, first ? "?" : ", ?", "s", enforcement_steps[i].code);
        first = 0;
    }
    query_add(&q, ")) WHERE id = ?", "i", case_id);
    struct db_stmt *st = query_prepare(db, &q);
    rc = st ? db_step(st) : DB_ERROR;
    db_done(st);
    arena_free(a);
    return rc == DB_DONE ? DB_OK : rc < 0 ? rc : DB_ERROR;
}

/* ---- the kind's context, relations, guards and effects ---- */

struct ec_ctx {
    struct flow_ctx base;
    int64_t unit_id; /* 执法单位 */
    int major;       /* 重大执法决定 */
    char legal_review[16];
    int32_t filed_on, decided_on; /* 0: not decided */
    int published;
    char case_no[32];
};
#define EC(c) ((struct ec_ctx *)(c))

static int load(struct flow_ctx *fc) {
    struct ec_ctx *c = EC(fc);
    struct db_stmt *st = db_queryv(fc->db,
                                   "SELECT status, unit_id, major, legal_review, filed_on, "
                                   "decided_on, published_on, case_no FROM enforcement_cases "
                                   "WHERE id = ?",
                                   "i", fc->id);
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW) {
        fc->status = flow_state_index(fc->kind, db_col_text(st, 0));
        c->unit_id = db_col_int(st, 1);
        c->major = db_col_int(st, 2) != 0;
        snprintf(c->legal_review, sizeof c->legal_review, "%s", db_col_text(st, 3));
        if (date_parse(db_col_text(st, 4), &c->filed_on) != 0) c->filed_on = 0;
        const char *d = db_col_text(st, 5);
        if (!d || date_parse(d, &c->decided_on) != 0) c->decided_on = 0;
        c->published = db_col_text(st, 6) != NULL;
        snprintf(c->case_no, sizeof c->case_no, "%s", db_col_text(st, 7));
        fc->title = c->case_no;
    }
    db_done(st);
    return rc;
}

/* The actor works in the enforcing unit. */
static int r_enforcing_unit(const struct flow_ctx *c) {
    const struct principal *p = c->actor ? c->actor->who : NULL;
    return p && EC(c)->unit_id && p->unit_id == EC(c)->unit_id;
}

static const struct flow_relation relations[] = {
    {"enforcing_unit", "执法单位", "Enforcing unit", r_enforcing_unit},
};

static int p_unit(const struct flow_ctx *c, struct flow_recipients *out) {
    if (EC(c)->unit_id) out->units[out->n_units++] = EC(c)->unit_id;
    return DB_OK;
}

static const struct flow_party parties[] = {
    {"enforcing_unit", "执法单位", "Enforcing unit", p_unit},
    {"legal_review", "法制审核机构", "Legal review", NULL, &perm_enforcement_manage},
};

static int g_major(const struct flow_ctx *c) {
    return EC(c)->major;
}
/* 重大执法决定法制审核: no decision on a major case before its legal review passed. */
static int g_reviewed(const struct flow_ctx *c) {
    return !EC(c)->major || !strcmp(EC(c)->legal_review, "passed");
}
static int g_unpublished(const struct flow_ctx *c) {
    return !EC(c)->published;
}

static const struct flow_guard guard_major[] = {
    {g_major, "非重大执法决定无需法制审核", "Only major decisions go to legal review"},
};
static const struct flow_guard guard_reviewed[] = {
    {g_reviewed, "重大执法决定须经法制审核通过后方可作出决定，请先提请法制审核",
     "A major enforcement decision needs a passed legal review first"},
};
static const struct flow_guard guard_unpublished[] = {
    {g_unpublished, "该案件的执法决定已公示", "The decision has been published already"},
};

/* The date of a step: the argument (not after today, not before the case was filed), else today.
 * 0 with *day, -1 with a problem. */
static int step_day(struct flow_ctx *c, const char *arg, int32_t not_before, int32_t *day) {
    const char *s = flow_arg_text(c, arg);
    *day = c->today;
    if (s && date_parse(s, day) != 0) return -1; /* checked by the declaration already */
    if (*day > c->today) {
        flow_problem(c, arg, "日期不能晚于今天", "Cannot be later than today");
        return -1;
    }
    if (not_before && *day < not_before) {
        flow_problem(c, arg, "日期不能早于立案或决定日期",
                     "Cannot be before the case was filed or decided");
        return -1;
    }
    return 0;
}

static int record(struct flow_ctx *c, const char *step, int32_t day) {
    char on[11];
    date_format(day, on);
    json_object_set_new(c->detail, "step", json_string(step));
    json_object_set_new(c->detail, "on", json_string(on));
    int64_t actor = c->actor && c->actor->who ? c->actor->who->user_id : 0;
    return enforcement_step_record(c->db, c->id, step, day, actor) == DB_OK ? FLOW_OK : FLOW_DB;
}

/* 调查取证, 告知, 听证, 送达, 执行: the step of the same name, recorded on `on`. */
static int fx_step(struct flow_ctx *c) {
    int32_t day;
    if (step_day(c, "on", EC(c)->decided_on ? EC(c)->decided_on : EC(c)->filed_on, &day))
        return FLOW_INVALID;
    return record(c, c->t->action, day);
}

static int set_review(struct flow_ctx *c, const char *state) {
    char now[21];
    now_iso(now);
    json_object_set_new(c->detail, "legal_review", json_string(state));
    return db_exec(c->db,
                   "UPDATE enforcement_cases SET legal_review = ?, legal_review_note = ?, "
                   "legal_review_at = ? WHERE id = ?",
                   "sssi", state, c->note, now, c->id) == DB_OK
               ? FLOW_OK
               : FLOW_DB;
}
static int fx_submit_review(struct flow_ctx *c) {
    return set_review(c, "pending");
}
static int fx_pass_review(struct flow_ctx *c) {
    return set_review(c, "passed");
}
static int fx_reject_review(struct flow_ctx *c) {
    return set_review(c, "failed");
}

/* 决定: the decision's day starts the publication clock (its step reads the same argument). */
static int fx_decide(struct flow_ctx *c) {
    int32_t day;
    if (step_day(c, "decided_on", EC(c)->filed_on, &day)) return FLOW_INVALID;
    char on[11];
    date_format(day, on);
    if (db_exec(c->db, "UPDATE enforcement_cases SET decided_on = ?, decision = ? WHERE id = ?",
                "ssi", on, c->note, c->id) != DB_OK)
        return FLOW_DB;
    return record(c, "decide", day);
}

/* 公示: the day published stops the publication clock (met, or late). */
static int fx_publish(struct flow_ctx *c) {
    int32_t day;
    if (step_day(c, "published_on", EC(c)->decided_on, &day)) return FLOW_INVALID;
    char on[11];
    date_format(day, on);
    json_object_set_new(c->detail, "published_on", json_string(on));
    return db_exec(c->db, "UPDATE enforcement_cases SET published_on = ? WHERE id = ?", "si", on,
                   c->id) == DB_OK
               ? FLOW_OK
               : FLOW_DB;
}

static int fx_close(struct flow_ctx *c) {
    int32_t day;
    if (step_day(c, "on", EC(c)->decided_on, &day)) return FLOW_INVALID;
    char on[11];
    date_format(day, on);
    return db_exec(c->db, "UPDATE enforcement_cases SET closed_on = ? WHERE id = ?", "si", on,
                   c->id) == DB_OK
               ? FLOW_OK
               : FLOW_DB;
}

/* 补录: a step done but not recorded when it happened (the checklist's missing one). */
static int fx_record(struct flow_ctx *c) {
    const char *step = flow_arg_text(c, "step");
    int after_decision = !strcmp(step, "serve") || !strcmp(step, "execute");
    /* 立案 and 决定 are recorded by their own steps (the decision starts the publication clock
     * and passes the legal-review gate): never by 补录 */
    if (!strcmp(step, "file") || !strcmp(step, "decide")) {
        flow_problem(c, "step", "立案、决定环节由立案和作出决定记录，不能补录",
                     "Filing and the decision are recorded by their own steps");
        return FLOW_INVALID;
    }
    if (after_decision && !EC(c)->decided_on) {
        flow_problem(c, "step", "送达、执行须在作出决定之后",
                     "Service and execution follow the decision");
        return FLOW_INVALID;
    }
    int32_t day;
    if (step_day(c, "on", after_decision ? EC(c)->decided_on : EC(c)->filed_on, &day))
        return FLOW_INVALID;
    return record(c, step, day);
}

static const struct field args_on[] = {
    {"on", FT_DATE, "日期（默认今天）", "Date (default today)", 0, 0, 0},
};
static const struct field args_decide[] = {
    {"decided_on", FT_DATE, "决定日期（默认今天）", "Decided on (default today)", 0, 0, 0},
};
static const struct field args_publish[] = {
    {"published_on", FT_DATE, "公示日期（默认今天）", "Published on (default today)", 0, 0, 0},
};
static const struct field args_record[] = {
    {"step", FT_ENUM, "记录环节", "Step", 0, 0, F_REQUIRED, enforcement_step_options, ENF_STEPS},
    {"on", FT_DATE, "日期", "Date", 0, 0, F_REQUIRED},
};

static const struct flow_clock_step start_publish[] = {{"publish", CLOCK_START, "decided_on"}};
static const struct flow_clock_step stop_publish[] = {{"publish", CLOCK_STOP, "published_on"}};

static const struct flow_notice tell_review = {"legal_review", "enforcement_review", "法制审核",
                                               NOTICE_EACH, "Legal review"};
static const struct flow_notice tell_unit = {"enforcing_unit", "enforcement_reviewed",
                                             "法制审核意见", NOTICE_EACH, "Legal review opinion"};

static const struct flow_confirm confirm_cancel = {"撤销立案后该案件终止办理。",
                                                   "Cancelling ends the case."};

#define S(i)    (1u << (i))
#define ARGS(a) a, N(a)
#define NONE    NULL, 0
#define W       &perm_enforcement_work, "enforcing_unit"
#define OPEN                                                                                       \
    (S(EC_FILED) | S(EC_INVESTIGATING) | S(EC_NOTIFIED) | S(EC_HEARING) | S(EC_REVIEWING) |        \
     S(EC_REVIEWED))
#define AFTER_DECISION (S(EC_DECIDED) | S(EC_SERVED) | S(EC_EXECUTED) | S(EC_CLOSED))

static const struct flow_transition transitions[] = {
    {"investigate", "调查取证", "Investigate", S(EC_FILED), EC_INVESTIGATING, W, 0, ARGS(args_on),
     NONE, fx_step, NONE, NULL, "primary"},
    {"notify", "告知", "Notify", S(EC_INVESTIGATING), EC_NOTIFIED, W, 0, ARGS(args_on), NONE,
     fx_step, NONE, NULL, "primary"},
    {"hearing", "听证", "Hearing", S(EC_NOTIFIED), EC_HEARING, W, 0, ARGS(args_on), NONE, fx_step,
     NONE, NULL, "default"},
    {"submit_review", "提请法制审核", "Submit for legal review", S(EC_NOTIFIED) | S(EC_HEARING),
     EC_REVIEWING, W, 0, NONE, ARGS(guard_major), fx_submit_review, NONE, &tell_review, "warning"},
    {"pass_review", "法制审核通过", "Pass legal review", S(EC_REVIEWING), EC_REVIEWED,
     &perm_enforcement_manage, NULL, 0, NONE, NONE, fx_pass_review, NONE, &tell_unit, "success"},
    {"reject_review", "法制审核不通过", "Reject in legal review", S(EC_REVIEWING), EC_INVESTIGATING,
     &perm_enforcement_manage, NULL, 1, NONE, NONE, fx_reject_review, NONE, &tell_unit, "danger"},
    {"decide", "作出决定", "Decide",
     S(EC_NOTIFIED) | S(EC_HEARING) | S(EC_REVIEWING) | S(EC_REVIEWED), EC_DECIDED, W, 1,
     ARGS(args_decide), ARGS(guard_reviewed), fx_decide, ARGS(start_publish), NULL, "success"},
    {"serve", "送达", "Serve", S(EC_DECIDED), EC_SERVED, W, 0, ARGS(args_on), NONE, fx_step, NONE,
     NULL, "primary"},
    {"execute", "执行", "Execute", S(EC_SERVED), EC_EXECUTED, W, 0, ARGS(args_on), NONE, fx_step,
     NONE, NULL, "primary"},
    {"close", "结案", "Close", S(EC_SERVED) | S(EC_EXECUTED), EC_CLOSED, W, 0, ARGS(args_on), NONE,
     fx_close, NONE, NULL, "success"},
    {"publish", "公示", "Publish", AFTER_DECISION, -1, W, 0, ARGS(args_publish),
     ARGS(guard_unpublished), fx_publish, ARGS(stop_publish), NULL, "success"},
    {"record", "补录记录", "Record a step",
     (OPEN & ~S(EC_FILED)) | S(EC_DECIDED) | S(EC_SERVED) | S(EC_EXECUTED), -1, W, 1,
     ARGS(args_record), NONE, fx_record, NONE, NULL, "default"},
    {"cancel", "撤销立案", "Cancel", OPEN, EC_CANCELLED, W, 1, NONE, NONE, NULL, NONE, NULL,
     "danger", &confirm_cancel},
};

const struct flow_kind enforcement_case_kind = {
    .name = "enforcement_case",
    .zh = "行政执法案件",
    .en = "Enforcement case",
    .entity = "enforcement_cases",
    .table = "enforcement_cases",
    .audit_type = "enforcement_case",
    .web_path = "/enforcement-cases",
    .perm_read = &perm_enforcement_view,
    .states = states,
    .n_states = EC_STATES,
    .transitions = transitions,
    .n_transitions = N(transitions),
    .relations = relations,
    .n_relations = N(relations),
    .parties = parties,
    .n_parties = N(parties),
    .clocks = clocks,
    .n_clocks = N(clocks),
    .events_table = "enforcement_case_events",
    .events_key = "case_id",
    .unit_column = "unit_id",
    .title_column = "case_no",
    .perm_work = &perm_enforcement_work,
    .ctx_size = sizeof(struct ec_ctx),
    .load = load,
};

/* ---- the entity ---- */

static int ec_validate(struct entity_write *w) {
    const char *filed = json_string_value(json_object_get(w->in, "filed_on"));
    int32_t day;
    if (filed && date_parse(filed, &day) == 0 && day > date_today())
        problem_add(w->pr, "filed_on", "立案日期不能晚于今天", "Cannot be later than today");
    json_t *unit = json_object_get(w->in, "unit_id");
    if (unit && !scope_allows_unit(w->c->db, w->c->who, json_integer_value(unit)))
        problem_add(w->pr, "unit_id", "只能登记本单位（数据范围内）的执法案件",
                    "Only cases of units in your data scope");
    json_t *officers = json_object_get(w->in, "officers");
    if (officers && !problems_has(w->pr, "officers")) {
        json_t *ok = enforcement_officers_check(officers, w->pr);
        if (ok) json_object_set_new(w->in, "officers", ok);
    }
    return DB_OK;
}

static int store_officers(struct entity_write *w) {
    json_t *o = json_object_get(w->in, "officers");
    if (!o) return DB_OK;
    json_t *plain = json_array();
    size_t i;
    json_t *x;
    json_array_foreach(o, i, x)
        json_array_append_new(plain, json_pack("{s:O,s:O}", "name", json_object_get(x, "name"),
                                               "cert_no", json_object_get(x, "cert_no")));
    char *s = json_dumps(plain, JSON_COMPACT);
    json_decref(plain);
    int rc = s ? db_exec(w->c->db, "UPDATE enforcement_cases SET officers = ? WHERE id = ?", "si",
                         s, w->id)
               : DB_ERROR;
    free(s);
    return rc;
}

int enforcement_case_insert(struct db *db, struct arena *a, const struct audit_actor *actor,
                            json_t *in, int64_t *id) {
    char now[21];
    now_iso(now);
    const char *filed = entity_text(in, "filed_on");
    int32_t day = 0;
    if (date_parse(filed, &day) != 0) return DB_ERROR;
    json_t *major = json_object_get(in, "major");
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO enforcement_cases (case_no, filed_on, unit_id, case_type, cause, "
            "summary, officers, major, legal_review, missing_steps, status, created_by, "
            "created_at, updated_at, version) VALUES (NULL, ?, ?, ?, ?, ?, '[]', ?, 'none', 0, "
            "'filed', ?, ?, ?, 1) RETURNING id");
    if (!st) return DB_ERROR;
    db_bind_text(st, 1, filed);
    db_bind_id(st, 2, json_integer_value(json_object_get(in, "unit_id")));
    db_bind_text(st, 3, entity_text(in, "case_type"));
    db_bind_text(st, 4, entity_text(in, "cause"));
    db_bind_text(st, 5, entity_text(in, "summary"));
    db_bind_int(st, 6, json_is_true(major) ? 1 : 0);
    db_bind_id(st, 7, actor->user_id);
    db_bind_text(st, 8, now);
    db_bind_text(st, 9, now);
    int rc = db_step(st);
    if (rc == DB_ROW) *id = db_col_int(st, 0);
    db_done(st);
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERROR;
    const char *no = NULL;
    rc = entity_number_set(db, a, &entity_enforcement_cases, *id, filed, &no);
    if (rc == DB_OK) rc = enforcement_step_record(db, *id, "file", day, actor->user_id);
    if (rc != DB_OK) return rc;
    return audit_append(db, actor, "enforcement_case.create", "enforcement_case",
                        arena_printf(a, "%lld", (long long)*id), "ok",
                        arena_printf(a, "{\"case_no\":\"%s\"}", no));
}

static int ec_create(struct entity_write *w) {
    int rc = enforcement_case_insert(w->c->db, w->c->arena, w->actor, w->in, &w->id);
    return rc == DB_OK ? store_officers(w) : rc;
}

/* 修改: cause, summary, officers and the major flag, until the decision (which they decided). */
static int ec_update(struct entity_write *w) {
    const char *status = json_string_value(json_object_get(w->cur, "status"));
    int i = status ? flow_state_index(&enforcement_case_kind, status) : -1;
    if (i < 0 || i >= EC_DECIDED) {
        w->zh = "已作出决定、已结案或已撤销的案件不能修改";
        w->en = "A decided, closed or cancelled case cannot be edited";
        return ENTITY_FORBIDDEN;
    }
    if (i == EC_REVIEWING || i == EC_REVIEWED) {
        json_t *major = json_object_get(w->in, "major");
        if (major && !json_is_true(major)) {
            w->zh = "已提请法制审核的案件不能取消重大执法决定标记";
            w->en = "A case under legal review stays major";
            return ENTITY_FORBIDDEN;
        }
    }
    json_t *in = w->in, *major = json_object_get(in, "major");
    int rc = db_exec(
        w->c->db, "UPDATE enforcement_cases SET cause = ?, summary = ?, major = ? WHERE id = ?",
        "ssii", entity_text(in, "cause"), entity_text(in, "summary"),
        (int64_t)(major ? json_is_true(major) : json_is_true(json_object_get(w->cur, "major"))),
        w->id);
    if (rc == DB_OK) rc = store_officers(w);
    if (rc != DB_OK) return rc;
    return audit_append(w->c->db, w->actor, "enforcement_case.update", "enforcement_case",
                        arena_printf(w->c->arena, "%lld", (long long)w->id), "ok", "");
}

/* The page's officers (parsed from their column) and record-step checklist: one query. */
static int ec_decorate(const struct entity_ctx *c, json_t *items) {
    size_t n = json_array_size(items), i;
    int64_t *ids = arena_alloc(c->arena, (n ? n : 1) * sizeof(int64_t));
    json_t *x;
    json_array_foreach(items, i, x) {
        ids[i] = json_integer_value(json_object_get(x, "id"));
        json_t *o = json_loads(entity_text(x, "officers_json"), 0, NULL);
        if (!json_is_array(o)) {
            json_decref(o);
            o = json_array();
        }
        size_t j;
        json_t *y;
        json_array_foreach(o, j, y)
            json_object_set_new(y, "text",
                                json_string(arena_printf(c->arena, "%s:%s", entity_text(y, "name"),
                                                         entity_text(y, "cert_no"))));
        json_object_set_new(x, "officers", o);
    }
    if (c->purpose == EP_LIST || c->purpose == EP_COUNT) return DB_OK;
    json_t **steps = arena_alloc(c->arena, (n ? n : 1) * sizeof(json_t *));
    for (i = 0; i < n; i++)
        steps[i] = json_object();
    struct query q;
    query_init(&q, c->arena,
               "SELECT case_id, step, done_on FROM enforcement_case_steps WHERE case_id");
    query_add_ids(&q, ids, (int)n);
    struct db_stmt *st = query_prepare(c->db, &q);
    int rc = DB_ERROR;
    while (st && (rc = db_step(st)) == DB_ROW) {
        int64_t id = db_col_int(st, 0);
        for (i = 0; i < n; i++)
            if (ids[i] == id)
                json_object_set_new(steps[i], db_col_text(st, 1), json_string(db_col_text(st, 2)));
    }
    db_done(st);
    if (rc == DB_DONE) {
        json_array_foreach(items, i, x) {
            json_t *list = json_array(), *missing = json_array();
            for (int k = 0; k < ENF_STEPS; k++) {
                const struct enforcement_step *s = &enforcement_steps[k];
                json_t *done = json_object_get(steps[i], s->code);
                const char *label = c->lang ? s->en : s->zh;
                /* the checklist's line as the detail page shows it */
                const char *text =
                    done ? arena_printf(c->arena, "✓ %s %s", label, json_string_value(done))
                    : s->required
                        ? arena_printf(c->arena, "✗ %s %s", label,
                                       c->lang ? "not recorded" : "未记录")
                        : arena_printf(c->arena, "○ %s %s", label, c->lang ? "not held" : "未举行");
                json_array_append_new(list, json_pack("{s:s,s:s,s:s,s:s,s:b,s:O,s:s}", "code",
                                                      s->code, "label", label, "zh", s->zh, "en",
                                                      s->en, "required", s->required, "done_on",
                                                      done ? done : json_null(), "text", text));
                if (s->required && !done)
                    json_array_append_new(missing,
                                          json_pack("{s:s,s:s}", "code", s->code, "label", label));
            }
            json_object_set_new(x, "record_steps", list);
            json_object_set_new(x, "missing_record_steps", missing);
        }
    }
    for (i = 0; i < n; i++)
        json_decref(steps[i]);
    return rc == DB_DONE ? DB_OK : rc < 0 ? rc : DB_ERROR;
}

/* The publication clock's due date: one indexed lookup per row inside the page's one query. */
#define PUBLISH_CLOCK                                                                              \
    "FROM record_clocks rc WHERE rc.kind = 'enforcement_case' AND rc.record_id = e.id "            \
    "AND rc.clock = 'publish'"
#define DUE_SQL  "(SELECT rc.due_on " PUBLISH_CLOCK ")"
#define ON_TIME  "EXISTS (SELECT 1 " PUBLISH_CLOCK " AND rc.state = 'met' AND rc.late = 0)"
#define PUB_LATE "EXISTS (SELECT 1 " PUBLISH_CLOCK " AND rc.late = 1)"

static const struct field fields[] = {
    {"id", FT_INT, "序号", "ID", 0, 0, F_READONLY},
    {"case_no", FT_TEXT, "案件编号", "Case number", 0, 20,
     F_LIST | F_SORT | F_SEARCH | F_EXPORT | F_READONLY},
    {"title", FT_TEXT, "案件", "Case", 0, 0, F_READONLY, .sql = "(e.case_no || ' ' || e.cause)"},
    {"filed_on", FT_DATE, "立案日期", "Filed on", 0, 0,
     F_REQUIRED | F_LIST | F_FILTER | F_SORT | F_EXPORT | F_IMPORT | F_CREATE},
    {"unit_id", FT_UNIT, "执法单位", "Enforcing unit", 0, 0,
     F_REQUIRED | F_FILTER | F_CREATE | F_IMPORT, .ref = "units", .import = "unit"},
    {"unit_name", FT_TEXT, "执法单位", "Enforcing unit", 0, 0, F_LIST | F_EXPORT | F_READONLY,
     .sql = "u.name"},
    {"case_type", FT_ENUM, "执法类别", "Type", 0, 0,
     F_REQUIRED | F_LIST | F_FILTER | F_EXPORT | F_IMPORT | F_CREATE, enforcement_case_types,
     ENF_TYPES, .hint = "许可、处罚决定 7 个工作日内公示，其他决定 20 个工作日内公示"},
    {"cause", FT_TEXT, "案由", "Cause", 1, 200,
     F_REQUIRED | F_LIST | F_SEARCH | F_EXPORT | F_IMPORT | F_CREATE | F_UPDATE},
    {"summary", FT_LONGTEXT, "案情摘要", "Summary", 0, 2000,
     F_SEARCH | F_EXPORT | F_IMPORT | F_CREATE | F_UPDATE},
    {"officers", FT_JSON, "执法人员", "Officers", 0, 0,
     F_REQUIRED | F_MULTI | F_VIRTUAL | F_EXPORT | F_IMPORT | F_CREATE | F_UPDATE, .ref = "text",
     .max_items = 10, .hint = "至少 2 人，每人“姓名:执法证号”，如 张三:A1234567"},
    {"major", FT_BOOL, "重大执法决定", "Major decision", 0, 0,
     F_LIST | F_FILTER | F_EXPORT | F_IMPORT | F_CREATE | F_UPDATE,
     .hint = "重大执法决定须经法制审核后方可作出"},
    {"legal_review", FT_ENUM, "法制审核", "Legal review", 0, 0,
     F_LIST | F_FILTER | F_EXPORT | F_READONLY, review_options, N(review_options)},
    {"legal_review_note", FT_LONGTEXT, "法制审核意见", "Legal review opinion", 0, 0, F_READONLY},
    {"decided_on", FT_DATE, "决定日期", "Decided on", 0, 0,
     F_FILTER | F_SORT | F_EXPORT | F_READONLY},
    {"decision", FT_LONGTEXT, "决定内容", "Decision", 0, 0, F_EXPORT | F_READONLY},
    {"publish_due_on", FT_DATE, "公示期限", "Publish by", 0, 0,
     F_LIST | F_SORT | F_EXPORT | F_READONLY, .sql = DUE_SQL},
    {"published_on", FT_DATE, "公示日期", "Published on", 0, 0,
     F_LIST | F_FILTER | F_EXPORT | F_READONLY},
    {"closed_on", FT_DATE, "结案日期", "Closed on", 0, 0, F_FILTER | F_EXPORT | F_READONLY},
    {"missing_steps", FT_INT, "缺失记录环节数", "Missing record steps", 0, 99,
     F_FILTER | F_EXPORT | F_READONLY},
    {"record_steps", FT_JSON, "全过程记录", "Record steps", 0, 0, F_VIRTUAL | F_READONLY},
    {"missing_record_steps", FT_JSON, "缺失记录环节", "Missing record steps", 0, 0,
     F_VIRTUAL | F_READONLY},
    {"status", FT_ENUM, "状态", "Status", 0, 0, F_LIST | F_FILTER | F_EXPORT | F_READONLY,
     status_options, EC_STATES},
    {"officers_json", FT_TEXT, "执法人员", "Officers", 0, 0, F_INTERNAL | F_READONLY,
     .sql = "e.officers"},
    {"created_at", FT_DATETIME, "创建时间", "Created", 0, 0, F_SORT | F_READONLY},
    {"updated_at", FT_DATETIME, "更新时间", "Updated", 0, 0, F_READONLY},
    {"version", FT_INT, "版本", "Version", 0, 0, F_READONLY},
};

static const struct entity_filter filters[] = {
    {"decided", FT_BOOL, "已作出决定", "Decided", "e.decided_on IS NOT NULL",
     "e.decided_on IS NULL"},
    {"published_on_time", FT_BOOL, "按期公示", "Published on time", ON_TIME, "NOT " ON_TIME},
    {"publish_late", FT_BOOL, "公示超期", "Published late", PUB_LATE, "NOT " PUB_LATE},
};

/* 三项制度 metrics: conditions on the case (the alias e), no parameters. */
static const struct entity_metric metrics[] = {
    {"publish_on_time_rate", "公示及时率", "Published on time", METRIC_RATE,
     "e.decided_on IS NOT NULL AND " ON_TIME, "e.decided_on IS NOT NULL", NULL,
     "已作出决定的案件中，在期限内（许可、处罚 7 个工作日，其他 20 个工作日）公示的比例；"
     "尚未公示的计入分母",
     "Decided cases published within the limit (7 working days for licences and penalties, 20 "
     "otherwise); those not yet published count in the denominator"},
    {"record_complete_rate", "全过程记录完整率", "Full-process record complete", METRIC_RATE,
     "e.status = 'closed' AND e.missing_steps = 0", "e.status = 'closed'", NULL,
     "已结案案件中立案、调查取证、告知、决定、送达、执行各环节均有记录的比例",
     "Closed cases with every required step recorded (filing, evidence, notice, decision, "
     "service, execution)"},
    {"legal_review_rate", "重大决定法制审核率", "Major decisions legally reviewed", METRIC_RATE,
     "e.major = 1 AND e.decided_on IS NOT NULL AND e.legal_review = 'passed'",
     "e.major = 1 AND e.decided_on IS NOT NULL", NULL,
     "已作出的重大执法决定中经法制审核通过的比例（系统内办理的均经审核；导入或迁移的历史案件可能没"
     "有）",
     "Major decisions made after a passed legal review (the gate holds for cases handled here; "
     "imported history may lack it)"},
};

static const struct entity_child children[] = {
    {"case_reviews", "case_id"},
};

/* What its pages read (kept per caller, request and day: entity cache_deps): the register's
 * tables, parties and clocks ("cases"), unit names, accounts and scope, settings and the
 * calendar, dictionary labels. */
static const char *const enforcement_page_deps[] = {"enforcement", "cases", "org", "auth",
                                                    "settings",    "dict",  NULL};

static const struct entity_number entity_enforcement_cases_number = {"case_no", "ZF"};

const struct entity entity_enforcement_cases = {
    .name = "enforcement_cases",
    .path = "/api/v1/enforcement-cases",
    .zh = "行政执法案件",
    .en = "Enforcement cases",
    .table = "enforcement_cases",
    .alias = "e",
    .from = "enforcement_cases e JOIN units u ON u.id = e.unit_id",
    .fields = fields,
    .n_fields = N(fields),
    .filters = filters,
    .n_filters = N(filters),
    /* a unit reads the cases it enforces; the office (scope all) reads every one */
    .scope = {.unit_column = "e.unit_id"},
    .default_sort = "-filed_on",
    .perm_read = &perm_enforcement_view,
    .perm_create = &perm_enforcement_work,
    .perm_update = &perm_enforcement_work,
    .audit_type = "enforcement_case",
    .export_name = "enforcement-cases",
    .export_sheet = "行政执法案件",
    .kind = &enforcement_case_kind,
    .validate = ec_validate,
    .create = ec_create,
    .update = ec_update,
    .decorate = ec_decorate,
    .parties = &enforcement_parties,
    .metrics = metrics,
    .n_metrics = N(metrics),
    .metric_date = "e.filed_on",
    .children = children,
    .n_children = N(children),
    .cache_deps = enforcement_page_deps,
    .number = &entity_enforcement_cases_number,
};
