/* flow_test.c — the workflow engine on a kind of its own (a 行政复议-like review: accepted → may be
 * suspended, extended, decided), over the 2025 holiday calendar with its 调休 days:
 *   - the declared values' validator (field.h);
 *   - declarations that do not fit are refused at registration;
 *   - apply/allowed: permission + relation, guards with their message, argument bounds, a refusal
 *     writes nothing, the timeline event and the audit record;
 *   - stored clock steps: start (日 with the end rule, 工作日 across 调休), suspension and
 *     resumption, extension (reason and approver), stop (met, late), restart;
 *   - a calendar change moves the stored due dates (marked in the writer's transaction, settled in
 *     batches after it);
 *   - the daily clock job: one digest per account of the responsible unit and kind, on the
 *     reminder day and the day a clock becomes overdue, raised once. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/app.h"
#include "audit/audit.h"
#include "base/calendar.h"
#include "features/calendar/calendar.h"
#include "features/flow/flow.h"
#include "features/tasks/tasks.h"
#include "store/db.h"
#include "store/settings.h"

#define TS "2025-01-01T00:00:00Z"

static int32_t D(const char *s) {
    int32_t d = 0;
    assert_int_equal(date_parse(s, &d), 0);
    return d;
}

/* ---- field.h (the validator the engine checks arguments with) ---- */

static json_t *check(enum field_type type, int required, int64_t min, int64_t max, json_t *in,
                     struct problems *pr) {
    static const struct field_option opts[] = {{"aid", "法律援助", "Legal aid", "success"},
                                               {"notary", "公证", "Notarisation", NULL}};
    struct arena *a = arena_new(1024);
    const struct field f = {.name = "x",
                            .type = type,
                            .zh = "值",
                            .en = "Value",
                            .min = min,
                            .max = max,
                            .flags = required ? F_REQUIRED : 0,
                            .options = opts,
                            .n_options = 2};
    json_t *body = json_pack("{s:o}", "x", in);
    pr->arena = a;
    json_t *checked = fields_check(&f, 1, body, FV_ALL, pr);
    json_t *out = json_incref(json_object_get(checked, "x"));
    int rc = pr->n ? -1 : 0;
    json_decref(checked);
    json_decref(body);
    pr->arena = NULL;
    /* messages live in the arena: keep them for the assertions by copying the first */
    static char zh[200];
    if (pr->n) {
        snprintf(zh, sizeof zh, "%s", pr->p[0].zh);
        pr->p[0].zh = zh;
        pr->p[0].en = "";
    }
    arena_free(a);
    assert_true(rc == 0 ? out != NULL || type == FT_TEXT : pr->n == 1);
    return out;
}

static void test_field_values(void **state) {
    (void)state;
    struct problems pr = {0};
    json_t *v = check(FT_TEXT, 1, 1, 4, json_string("  法治政府 "), &pr);
    assert_string_equal(json_string_value(v), "法治政府"); /* trimmed, 4 characters */
    json_decref(v);
    assert_null(check(FT_TEXT, 1, 1, 4, json_string("法治政府建设"), &pr));
    assert_string_equal(pr.p[0].zh, "长度须为 1–4 个字符");
    memset(&pr, 0, sizeof pr);
    assert_null(check(FT_TEXT, 0, 0, 10, json_string("两\n行"), &pr)); /* one line */
    memset(&pr, 0, sizeof pr);
    v = check(FT_LONGTEXT, 0, 0, 10, json_string("两\n行"), &pr);
    assert_non_null(v);
    json_decref(v);
    assert_null(check(FT_TEXT, 0, 0, 10, json_string("   "), &pr)); /* blank optional: absent */
    assert_int_equal(pr.n, 0);
    assert_null(check(FT_TEXT, 1, 0, 10, json_null(), &pr));
    assert_string_equal(pr.p[0].zh, "必填");
    memset(&pr, 0, sizeof pr);
    v = check(FT_INT, 1, 0, 100, json_integer(100), &pr);
    assert_int_equal(json_integer_value(v), 100);
    json_decref(v);
    assert_null(check(FT_INT, 1, 0, 100, json_integer(101), &pr));
    assert_string_equal(pr.p[0].zh, "须在 0 到 100 之间");
    memset(&pr, 0, sizeof pr);
    assert_null(check(FT_INT, 1, 0, 100, json_string("5"), &pr));
    memset(&pr, 0, sizeof pr);
    assert_null(check(FT_REF, 1, 0, 0, json_integer(0), &pr)); /* ids are positive */
    memset(&pr, 0, sizeof pr);
    v = check(FT_DATE, 1, 0, 0, json_string("2025-05-06"), &pr);
    assert_string_equal(json_string_value(v), "2025-05-06");
    json_decref(v);
    assert_null(check(FT_DATE, 1, 0, 0, json_string("2025-02-30"), &pr));
    memset(&pr, 0, sizeof pr);
    v = check(FT_ENUM, 1, 0, 0, json_string("aid"), &pr);
    assert_string_equal(json_string_value(v), "aid");
    json_decref(v);
    assert_null(check(FT_ENUM, 1, 0, 0, json_string("court"), &pr));
    memset(&pr, 0, sizeof pr);
    v = check(FT_BOOL, 1, 0, 0, json_false(), &pr);
    assert_true(json_is_false(v));
    json_decref(v);
    assert_null(check(FT_BOOL, 1, 0, 0, json_integer(1), &pr));
    memset(&pr, 0, sizeof pr);
    v = check(FT_PHONE, 1, 0, 0, json_string("+86 (10) 12348"), &pr);
    json_decref(v);
    assert_null(check(FT_PHONE, 1, 0, 0, json_string("call me"), &pr));
}

/* ---- the test kind: 复议 (review) ---- */

enum { RS_RECEIVED, RS_ACCEPTED, RS_SUSPENDED, RS_DECIDED, RS_COUNT };
#define S(x) (1u << (x))

struct review_ctx {
    struct flow_ctx f;
    int64_t unit_id;
    int answered;
    char title[100];
};

static int review_load(struct flow_ctx *c) {
    struct review_ctx *r = (struct review_ctx *)c;
    struct db_stmt *st = db_queryv(
        c->db, "SELECT status, unit_id, answered, title FROM reviews WHERE id = ?", "i", c->id);
    if (!st) return DB_ERROR;
    int rc = db_step(st);
    if (rc == DB_ROW) {
        c->status = flow_state_index(c->kind, db_col_text(st, 0));
        r->unit_id = db_col_int(st, 1);
        r->answered = (int)db_col_int(st, 2);
        snprintf(r->title, sizeof r->title, "%s", db_col_text(st, 3));
        c->title = r->title;
    }
    db_done(st);
    return rc;
}

static int rel_handler(const struct flow_ctx *c) {
    return c->actor->who && c->actor->who->unit_id == ((const struct review_ctx *)c)->unit_id;
}
static int g_answered(const struct flow_ctx *c) {
    return ((const struct review_ctx *)c)->answered;
}
static int fx_answer(struct flow_ctx *c) {
    return db_exec(c->db, "UPDATE reviews SET answered = 1 WHERE id = ?", "i", c->id) == DB_OK
               ? FLOW_OK
               : FLOW_DB;
}
static int party_handler(const struct flow_ctx *c, struct flow_recipients *out) {
    out->units[out->n_units++] = ((const struct review_ctx *)c)->unit_id;
    return DB_OK;
}

static const struct flow_state review_states[RS_COUNT] = {
    {"received", "已收到", "Received", 0, "info"},
    {"accepted", "已受理", "Accepted", 0, "primary"},
    {"suspended", "中止", "Suspended", 0, "warning"},
    {"decided", "已决定", "Decided", 1, "success"},
};
static const struct flow_relation review_relations[] = {
    {"handler", "承办单位", "The handling unit", rel_handler}};
static const struct flow_party review_parties[] = {
    {"handler", "承办单位", "The handling unit", party_handler, NULL}};
static const struct flow_guard guard_answered[] = {
    {g_answered, "被申请人未提交答复书，不能作出复议决定",
     "No answer from the respondent yet: no decision"}};
/* Declarations leave trailing fields out: 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

static const struct field args_on[] = {
    {.name = "on", .type = FT_DATE, .zh = "日期", .en = "Date", .flags = F_REQUIRED}};
static const struct field args_extend[] = {{.name = "days",
                                            .type = FT_INT,
                                            .zh = "延长日数",
                                            .en = "Days added",
                                            .min = 1,
                                            .max = 30,
                                            .flags = F_REQUIRED}};
/* 行政复议法 (2023) 第62条: decided within 60 日 of acceptance, extendable by at most 30;
 * 第48条: the respondent answers within 10 日 (as 工作日 here, to count across 调休). */
static const struct flow_clock_def review_clocks[] = {
    {"decide", "复议决定期限", "Time to decide", 60, CLOCK_DAYS, NULL, "受理", "accepted", 7, 30},
    {"answer", "答复期限", "Time to answer", 10, CLOCK_WORKDAYS, NULL, "受理", "accepted", 3, 0},
};
static const struct flow_clock_step steps_accept[] = {{"decide", CLOCK_START, "on"},
                                                      {"answer", CLOCK_START, "on"}};
static const struct flow_clock_step steps_answer[] = {{"answer", CLOCK_STOP, "on"}};
static const struct flow_clock_step steps_suspend[] = {{"decide", CLOCK_SUSPEND, "on"}};
static const struct flow_clock_step steps_resume[] = {{"decide", CLOCK_RESUME, "on"}};
static const struct flow_clock_step steps_extend[] = {{"decide", CLOCK_EXTEND, "days"}};
static const struct flow_clock_step steps_extend30[] = {{"decide", CLOCK_EXTEND, NULL}};
static const struct flow_clock_step steps_decide[] = {{"decide", CLOCK_STOP, "on"}};
static const struct flow_notice tell_handler = {"handler", "review_accepted", "已受理"};

static const struct flow_transition review_transitions[] = {
    {"accept", "受理", "Accept", S(RS_RECEIVED), RS_ACCEPTED, &perm_task_manage, NULL, 0, args_on,
     1, NULL, 0, NULL, steps_accept, 2, &tell_handler, "primary"},
    {"answer", "提交答复", "Answer", S(RS_ACCEPTED) | S(RS_SUSPENDED), -1, &perm_task_work,
     "handler", 0, args_on, 1, NULL, 0, fx_answer, steps_answer, 1},
    {"suspend", "中止", "Suspend", S(RS_ACCEPTED), RS_SUSPENDED, &perm_task_manage, NULL, 1,
     args_on, 1, NULL, 0, NULL, steps_suspend, 1},
    {"resume", "恢复审理", "Resume", S(RS_SUSPENDED), RS_ACCEPTED, &perm_task_manage, NULL, 0,
     args_on, 1, NULL, 0, NULL, steps_resume, 1},
    {"extend", "延长期限", "Extend", S(RS_ACCEPTED), -1, &perm_task_manage, NULL, 1, args_extend, 1,
     NULL, 0, NULL, steps_extend, 1},
    {"extend_30", "延长 30 日", "Extend by 30 days", S(RS_ACCEPTED), -1, &perm_task_manage, NULL, 1,
     NULL, 0, NULL, 0, NULL, steps_extend30, 1},
    {"decide", "作出决定", "Decide", S(RS_ACCEPTED), RS_DECIDED, &perm_task_manage, NULL, 0,
     args_on, 1, guard_answered, 1, NULL, steps_decide, 1, NULL, "success"},
};
static const char *const review_event_columns[] = {"days"};

static const struct flow_kind review_kind = {
    .name = "review_test",
    .zh = "行政复议（测试）",
    .en = "Administrative review (test)",
    .entity = "reviews",
    .table = "reviews",
    .audit_type = "review",
    .web_path = "/reviews",
    .perm_read = &perm_task_read,
    .states = review_states,
    .n_states = RS_COUNT,
    .transitions = review_transitions,
    .n_transitions = 7,
    .relations = review_relations,
    .n_relations = 1,
    .parties = review_parties,
    .n_parties = 1,
    .clocks = review_clocks,
    .n_clocks = 2,
    .events_table = "review_events",
    .events_key = "review_id",
    .event_columns = review_event_columns,
    .n_event_columns = 1,
    .unit_column = "unit_id",
    .title_column = "title",
    .perm_work = &perm_task_work,
    .ctx_size = sizeof(struct review_ctx),
    .load = review_load,
};

/* ---- fixture ---- */

struct fixture {
    struct db *db;
    struct arena *a;
    int64_t unit, other, clerk, clerk2, stranger;
    struct principal office, handler;
    struct audit_actor office_au, handler_au;
};

static int64_t exec_id(struct db *db, const char *sql, const char *types, ...) {
    va_list ap;
    va_start(ap, types);
    struct db_stmt *st = db_prepare(db, sql);
    assert_non_null(st);
    for (int i = 0; types[i]; i++) {
        if (types[i] == 's')
            db_bind_text(st, i + 1, va_arg(ap, const char *));
        else
            db_bind_int(st, i + 1, va_arg(ap, int64_t));
    }
    va_end(ap);
    assert_int_equal(db_step(st), DB_ROW);
    int64_t id = db_col_int(st, 0);
    db_step(st);
    db_done(st);
    return id;
}

static int64_t count(struct db *db, const char *sql, const char *types, ...) {
    va_list ap;
    va_start(ap, types);
    struct db_stmt *st = db_prepare(db, sql);
    assert_non_null(st);
    for (int i = 0; types[i]; i++) {
        if (types[i] == 's')
            db_bind_text(st, i + 1, va_arg(ap, const char *));
        else
            db_bind_int(st, i + 1, va_arg(ap, int64_t));
    }
    va_end(ap);
    assert_int_equal(db_step(st), DB_ROW);
    int64_t n = db_col_int(st, 0);
    db_done(st);
    return n;
}

/* The 2025 arrangement (国办发明电〔2024〕12号), the way an administrator imports it. */
static const char *const holidays_2025[][3] = {
    {"2025-01-01", "2025-01-01", "元旦"},   {"2025-01-28", "2025-02-04", "春节"},
    {"2025-04-04", "2025-04-06", "清明节"}, {"2025-05-01", "2025-05-05", "劳动节"},
    {"2025-05-31", "2025-06-02", "端午节"}, {"2025-10-01", "2025-10-08", "国庆节"},
};
static const char *const workdays_2025[] = {"2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28",
                                            "2025-10-11"};

/* Replace 2025 in a transaction of its own; without_labour_day leaves 05-02…05-05 plain. */
static void import_2025(struct fixture *x, int without_labour_day) {
    struct calendar_entry rows[64];
    int n = 0;
    for (size_t i = 0; i < sizeof holidays_2025 / sizeof holidays_2025[0]; i++)
        for (int32_t d = D(holidays_2025[i][0]); d <= D(holidays_2025[i][1]); d++) {
            if (without_labour_day && d > D("2025-05-01") && d <= D("2025-05-05")) continue;
            date_format(d, rows[n].date);
            rows[n].kind = "holiday";
            rows[n++].name = holidays_2025[i][2];
        }
    for (size_t i = 0; i < sizeof workdays_2025 / sizeof workdays_2025[0]; i++) {
        if (without_labour_day && !strcmp(workdays_2025[i], "2025-04-27")) continue;
        snprintf(rows[n].date, sizeof rows[n].date, "%s", workdays_2025[i]);
        rows[n].kind = "workday";
        rows[n++].name = "调休";
    }
    assert_int_equal(db_begin(x->db), DB_OK);
    assert_int_equal(calendar_replace_year(x->db, 2025, rows, n), DB_OK);
    assert_int_equal(db_commit(x->db), DB_OK);
}

static int setup(void **state) {
    struct fixture *x = calloc(1, sizeof(*x));
    char err[200];
    int applied;
    if (db_open("sqlite::memory:", &x->db, err, sizeof err) != DB_OK) return -1;
    if (db_migrate(x->db, &applied) != DB_OK) return -1;
    if (settings_seed(x->db) != DB_OK) return -1;
    settings_invalidate();
    x->a = arena_new(8192);
    assert_int_equal(db_exec(x->db,
                             "CREATE TABLE reviews (id INTEGER PRIMARY KEY, status TEXT NOT NULL, "
                             "unit_id BIGINT NOT NULL, answered BIGINT NOT NULL DEFAULT 0, "
                             "title TEXT NOT NULL, version BIGINT NOT NULL DEFAULT 1, "
                             "updated_at TEXT)",
                             ""),
                     DB_OK);
    assert_int_equal(db_exec(x->db,
                             "CREATE TABLE review_events (id INTEGER PRIMARY KEY, review_id "
                             "BIGINT, at TEXT, actor_id BIGINT, actor_name TEXT, unit_id BIGINT, "
                             "action TEXT, note TEXT, detail TEXT, days BIGINT)",
                             ""),
                     DB_OK);
    x->unit = exec_id(x->db,
                      "INSERT INTO units (code, name, kind, path, created_at, updated_at) "
                      "VALUES ('sfj', '区司法局', 'department', '/', '" TS "', '" TS "') "
                      "RETURNING id",
                      "");
    x->other = exec_id(x->db,
                       "INSERT INTO units (code, name, kind, path, created_at, updated_at) "
                       "VALUES ('ga', '区公安分局', 'department', '/', '" TS "', '" TS "') "
                       "RETURNING id",
                       "");
    int64_t role = exec_id(x->db,
                           "INSERT INTO roles (code, name, scope, created_at, updated_at) "
                           "VALUES ('clerk', 'clerk', 'own', '" TS "', '" TS "') RETURNING id",
                           "");
    assert_int_equal(db_exec(x->db,
                             "INSERT INTO role_permissions (role_id, permission) VALUES (?, "
                             "'task.work')",
                             "i", role),
                     DB_OK);
    const char *names[] = {"clerk", "clerk2", "stranger"};
    int64_t *ids[] = {&x->clerk, &x->clerk2, &x->stranger};
    for (int i = 0; i < 3; i++)
        *ids[i] = exec_id(x->db,
                          "INSERT INTO users (username, display_name, unit_id, role_id, "
                          "password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, 'x', '" TS
                          "', '" TS "') RETURNING id",
                          "ssii", names[i], names[i], i < 2 ? x->unit : x->other, role);
    perm_set manager = {0}, worker = {0};
    perm_add(&manager, &perm_task_manage);
    perm_add(&manager, &perm_task_read);
    perm_add(&worker, &perm_task_work);
    x->office = (struct principal){.username = "office",
                                   .display_name = "复议机构",
                                   .unit_id = x->other,
                                   .unit_path = "/",
                                   .scope = SCOPE_ALL,
                                   .perms = manager};
    x->handler = (struct principal){.user_id = x->clerk,
                                    .username = "clerk",
                                    .display_name = "clerk",
                                    .unit_id = x->unit,
                                    .unit_path = "/",
                                    .scope = SCOPE_OWN,
                                    .perms = worker};
    x->office_au =
        (struct audit_actor){.username = "office", .role = "", .ip = "", .request_id = ""};
    x->handler_au = (struct audit_actor){
        .user_id = x->clerk, .username = "clerk", .role = "", .ip = "", .request_id = ""};
    import_2025(x, 0);
    *state = x;
    return 0;
}

static int teardown(void **state) {
    struct fixture *x = *state;
    db_close(x->db);
    arena_free(x->a);
    free(x);
    settings_invalidate();
    return 0;
}

static int64_t add_review(struct fixture *x, const char *title) {
    return exec_id(x->db,
                   "INSERT INTO reviews (status, unit_id, title) VALUES ('received', ?, ?) "
                   "RETURNING id",
                   "is", x->unit, title);
}

static int64_t version_of(struct fixture *x, int64_t id) {
    return count(x->db, "SELECT COALESCE((SELECT version FROM reviews WHERE id = ?), 1)", "i", id);
}

/* Take an action with body `json` (version added); commits on success. */
static int act(struct fixture *x, int office, int64_t id, const char *action, const char *json,
               struct problems *pr) {
    json_error_t e;
    json_t *in = json_loads(json, 0, &e);
    assert_non_null(in);
    json_object_set_new(in, "version", json_integer(version_of(x, id)));
    struct flow_actor actor = {office ? &x->office : &x->handler,
                               office ? &x->office_au : &x->handler_au};
    memset(pr, 0, sizeof *pr);
    assert_int_equal(db_begin(x->db), DB_OK);
    int rc = flow_apply(x->db, x->a, &actor, &review_kind, id, action, in, pr);
    if (rc == FLOW_OK)
        assert_int_equal(db_commit(x->db), DB_OK);
    else
        db_rollback(x->db);
    json_decref(in);
    return rc;
}

static const char *stored(struct fixture *x, int64_t id, const char *clock, const char *col) {
    struct db_stmt *st = db_queryv(
        x->db,
        "SELECT due_on, state, late, COALESCE(stopped_on, '') FROM record_clocks WHERE kind = "
        "'review_test' AND record_id = ? AND clock = ?",
        "is", id, clock);
    assert_int_equal(db_step(st), DB_ROW);
    int c = !strcmp(col, "due_on") ? 0 : !strcmp(col, "state") ? 1 : !strcmp(col, "late") ? 2 : 3;
    const char *v = arena_strdup(x->a, db_col_text(st, c));
    db_done(st);
    return v;
}

static json_t *clock_json(struct fixture *x, int64_t id, const char *code, const char *today,
                          int lang) {
    json_t *all = flow_clocks_json(x->db, x->a, &review_kind, id, D(today), lang);
    assert_non_null(all);
    size_t i;
    json_t *c, *out = NULL;
    json_array_foreach(all, i, c) if (!strcmp(json_string_value(json_object_get(c, "code")), code))
        out = json_incref(c);
    json_decref(all);
    assert_non_null(out);
    return out;
}

/* ---- registration ---- */

static void test_register_refuses(void **state) {
    (void)state;
    char err[300];
    struct flow_kind k = review_kind;
    k.name = "review_bad";
    struct flow_transition t[1] = {review_transitions[0]};
    k.transitions = t;
    k.n_transitions = 1;

    t[0].relation = "owner"; /* not a relation of the kind */
    assert_int_equal(flow_register(&k, err, sizeof err), -1);
    assert_non_null(strstr(err, "unknown relation"));
    t[0] = review_transitions[0];
    t[0].to = RS_COUNT;
    assert_int_equal(flow_register(&k, err, sizeof err), -1);
    assert_non_null(strstr(err, "unknown state"));
    t[0] = review_transitions[0];
    static struct perm_def never = {"never.registered", "x", "x", "x", 0, 0};
    t[0].perm = &never;
    assert_int_equal(flow_register(&k, err, sizeof err), -1);
    assert_non_null(strstr(err, "permission"));
    t[0] = review_transitions[5]; /* extend_30 … of a clock that cannot be extended */
    static const struct flow_clock_step answer30[] = {{"answer", CLOCK_EXTEND, NULL}};
    t[0].clocks = answer30;
    assert_int_equal(flow_register(&k, err, sizeof err), -1);
    assert_non_null(strstr(err, "extend_period"));
    t[0] = review_transitions[0];
    static const struct flow_clock_step bad_arg[] = {{"decide", CLOCK_START, "days"}};
    t[0].clocks = bad_arg; /* "days" is not an argument of accept */
    assert_int_equal(flow_register(&k, err, sizeof err), -1);
    assert_non_null(strstr(err, "argument"));
    t[0] = review_transitions[0];
    /* a party is found by a function or is the holders of a registered permission, not both */
    static struct flow_party both[] = {{"handler", "x", "x", party_handler, &perm_signed_in}};
    static struct flow_party unregistered[] = {{"handler", "x", "x", NULL, &never}};
    k.parties = both;
    assert_int_equal(flow_register(&k, err, sizeof err), -1);
    assert_non_null(strstr(err, "party"));
    k.parties = unregistered;
    assert_int_equal(flow_register(&k, err, sizeof err), -1);
    assert_non_null(strstr(err, "party"));
    k.parties = review_parties;
    k.name = "review_test"; /* declared already */
    assert_int_equal(flow_register(&k, err, sizeof err), -1);
    assert_non_null(strstr(err, "twice"));
    assert_null(flow_kind_by_name("review_bad"));
    assert_non_null(flow_kind_by_name("task"));
}

/* ---- apply and allowed ---- */

static int has(json_t *arr, const char *action) {
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v) if (!strcmp(json_string_value(v), action)) return 1;
    return 0;
}

static void test_apply_rules(void **state) {
    struct fixture *x = *state;
    struct problems pr;
    int64_t id = add_review(x, "某甲诉区市场监管局行政处罚");
    struct flow_actor office = {&x->office, &x->office_au}, clerk = {&x->handler, &x->handler_au};
    json_t *a = flow_allowed(x->db, &office, &review_kind, id);
    assert_true(has(a, "accept"));
    assert_int_equal(json_array_size(a), 1);
    json_decref(a);
    a = flow_allowed(x->db, &clerk, &review_kind, id);
    assert_int_equal(json_array_size(a), 0); /* the handler holds no task.manage */
    json_decref(a);

    /* input: the declared bounds and the required date, before anything is read or written */
    int64_t v0 = version_of(x, id);
    assert_int_equal(act(x, 1, id, "accept", "{}", &pr), FLOW_INVALID);
    assert_string_equal(pr.p[0].field, "on");
    assert_int_equal(act(x, 1, id, "accept", "{\"on\": \"2025-02-30\"}", &pr), FLOW_INVALID);
    assert_int_equal(act(x, 0, id, "accept", "{\"on\": \"2025-03-03\"}", &pr), FLOW_NOT_ALLOWED);
    assert_non_null(strstr(pr.zh, "受理"));
    assert_int_equal(version_of(x, id), v0); /* refused: nothing written */
    assert_int_equal(
        count(x->db, "SELECT COUNT(*) FROM record_clocks WHERE record_id = ?", "i", id), 0);

    assert_int_equal(
        act(x, 1, id, "accept", "{\"on\": \"2025-03-03\", \"note\": \"材料齐全\"}", &pr), FLOW_OK);
    assert_int_equal(version_of(x, id), v0 + 1);
    assert_int_equal(count(x->db,
                           "SELECT COUNT(*) FROM reviews WHERE id = ? AND status = "
                           "'accepted'",
                           "i", id),
                     1);
    /* the handling unit's accounts are told */
    assert_int_equal(count(x->db,
                           "SELECT COUNT(*) FROM notifications WHERE kind = 'review_accepted' AND "
                           "title = '【已受理】某甲诉区市场监管局行政处罚' AND link = ?",
                           "s", arena_printf(x->a, "/reviews/%lld", (long long)id)),
                     2);
    /* timeline and audit */
    assert_int_equal(count(x->db,
                           "SELECT COUNT(*) FROM review_events WHERE review_id = ? AND action = "
                           "'accept' AND note = '材料齐全' AND detail LIKE '%\"to\":\"accepted\"%'",
                           "i", id),
                     1);
    assert_int_equal(count(x->db,
                           "SELECT COUNT(*) FROM audit_log WHERE action = 'review.accept' AND "
                           "object_type = 'review'",
                           ""),
                     1);

    /* a guard: not in allowed_actions, and its message when taken anyway */
    a = flow_allowed(x->db, &office, &review_kind, id);
    assert_false(has(a, "decide"));
    assert_true(has(a, "extend"));
    json_decref(a);
    assert_int_equal(act(x, 1, id, "decide", "{\"on\": \"2025-04-01\"}", &pr), FLOW_NOT_ALLOWED);
    assert_string_equal(pr.zh, "被申请人未提交答复书，不能作出复议决定");
    /* a relation: only the handling unit answers */
    a = flow_allowed(x->db, &clerk, &review_kind, id);
    assert_true(has(a, "answer"));
    json_decref(a);
    x->handler.unit_id = x->other;
    assert_int_equal(act(x, 0, id, "answer", "{\"on\": \"2025-03-10\"}", &pr), FLOW_NOT_ALLOWED);
    x->handler.unit_id = x->unit;
    /* argument bounds from the declaration; a note where required */
    assert_int_equal(act(x, 1, id, "extend", "{\"days\": 31, \"note\": \"复杂\"}", &pr),
                     FLOW_INVALID);
    assert_string_equal(pr.p[0].field, "days");
    assert_string_equal(pr.p[0].zh, "须在 1 到 30 之间");
    assert_int_equal(act(x, 1, id, "extend", "{\"days\": 30}", &pr), FLOW_INVALID);
    assert_string_equal(pr.p[0].field, "note");
    /* a stale version */
    json_t *in =
        json_pack("{s:I,s:s}", "version", (json_int_t)(version_of(x, id) - 1), "on", "2025-03-10");
    memset(&pr, 0, sizeof pr);
    assert_int_equal(db_begin(x->db), DB_OK);
    assert_int_equal(flow_apply(x->db, x->a, &clerk, &review_kind, id, "answer", in, &pr),
                     FLOW_STALE);
    db_rollback(x->db);
    json_decref(in);
    assert_int_equal(act(x, 1, 999999, "extend", "{\"days\": 3, \"note\": \"x\"}", &pr),
                     FLOW_NOT_FOUND);
    assert_int_equal(act(x, 1, id, "explode", "{}", &pr), FLOW_NOT_FOUND);

    assert_int_equal(act(x, 0, id, "answer", "{\"on\": \"2025-03-10\"}", &pr), FLOW_OK);
    a = flow_allowed(x->db, &office, &review_kind, id);
    assert_true(has(a, "decide"));
    json_decref(a);
    struct audit_verify_result vr;
    assert_int_equal(audit_verify(x->db, &vr), DB_OK);
    assert_true(vr.ok);
}

/* ---- stored clocks ---- */

static void test_clock_steps(void **state) {
    struct fixture *x = *state;
    struct problems pr;
    int64_t id = add_review(x, "某乙诉区人社局");
    /* 2025-03-03 受理, 60 日: the last day 05-02 falls in 劳动节 (05-01…05-05) → 05-06 */
    assert_int_equal(act(x, 1, id, "accept", "{\"on\": \"2025-03-03\"}", &pr), FLOW_OK);
    assert_string_equal(stored(x, id, "decide", "due_on"), "2025-05-06");
    assert_string_equal(stored(x, id, "decide", "state"), "running");
    json_t *c = clock_json(x, id, "decide", "2025-03-10", 0);
    assert_string_equal(json_string_value(json_object_get(c, "explain")),
                        "2025-03-03 受理，60 日，末日 05-02 为法定节假日（劳动节），顺延至 "
                        "2025-05-06");
    assert_int_equal(json_integer_value(json_object_get(c, "left")), 57);
    assert_string_equal(json_string_value(json_object_get(c, "state")), "running");
    json_decref(c);
    /* 10 工作日 from 03-03: 03-17 */
    assert_string_equal(stored(x, id, "answer", "due_on"), "2025-03-17");

    /* 中止 for a hearing 03-10, resumed 03-20: 03-10…03-19 not counted → 05-12 */
    assert_int_equal(act(x, 1, id, "suspend", "{\"on\": \"2025-03-10\", \"note\": \"听证\"}", &pr),
                     FLOW_OK);
    assert_string_equal(stored(x, id, "decide", "state"), "suspended");
    c = clock_json(x, id, "decide", "2025-03-15", 0);
    assert_string_equal(json_string_value(json_object_get(c, "state")), "suspended");
    assert_int_equal(json_integer_value(json_object_get(c, "suspended_days")), 6);
    json_decref(c);
    assert_int_equal(act(x, 1, id, "resume", "{\"on\": \"2025-03-20\"}", &pr), FLOW_OK);
    assert_string_equal(stored(x, id, "decide", "due_on"), "2025-05-12");
    assert_string_equal(stored(x, id, "decide", "state"), "running");
    c = clock_json(x, id, "decide", "2025-04-01", 0);
    assert_int_equal(json_integer_value(json_object_get(c, "suspended_days")), 10);
    assert_non_null(strstr(json_string_value(json_object_get(c, "explain")),
                           "听证 03-10 至 03-19（10 日不计入）"));
    json_decref(c);

    /* 延长 30 日 (案情复杂, approved by the review body): 05-12 + 30 = 06-11 */
    assert_int_equal(act(x, 1, id, "extend", "{\"days\": 30, \"note\": \"案情复杂\"}", &pr),
                     FLOW_OK);
    assert_string_equal(stored(x, id, "decide", "due_on"), "2025-06-11");
    assert_string_equal(stored(x, id, "decide", "state"), "extended");
    c = clock_json(x, id, "decide", "2025-06-01", 1);
    assert_string_equal(json_string_value(json_object_get(c, "state")), "extended");
    assert_non_null(strstr(json_string_value(json_object_get(c, "explain")),
                           "extended by 30 days (案情复杂; approved by 复议机构)"));
    assert_int_equal(json_integer_value(json_object_get(c, "left")), 10);
    json_decref(c);
    assert_int_equal(count(x->db,
                           "SELECT COUNT(*) FROM review_events WHERE review_id = ? AND "
                           "action = 'extend' AND days = 30",
                           "i", id),
                     1);
    /* overdue as of a later day (not stored: it is a range of due_on) */
    c = clock_json(x, id, "decide", "2025-06-13", 0);
    assert_string_equal(json_string_value(json_object_get(c, "state")), "overdue");
    assert_int_equal(json_integer_value(json_object_get(c, "left")), -2);
    assert_true(json_is_true(json_object_get(c, "late")));
    json_decref(c);

    /* the answer came late (03-20 after 03-17), the decision in time (06-05) */
    assert_int_equal(act(x, 0, id, "answer", "{\"on\": \"2025-03-20\"}", &pr), FLOW_OK);
    assert_string_equal(stored(x, id, "answer", "state"), "met");
    assert_string_equal(stored(x, id, "answer", "late"), "1");
    assert_int_equal(act(x, 1, id, "decide", "{\"on\": \"2025-06-05\"}", &pr), FLOW_OK);
    assert_string_equal(stored(x, id, "decide", "state"), "met");
    assert_string_equal(stored(x, id, "decide", "late"), "0");
    assert_string_equal(stored(x, id, "decide", "stopped_on"), "2025-06-05");
    c = clock_json(x, id, "decide", "2025-07-01", 0);
    assert_string_equal(json_string_value(json_object_get(c, "state")), "met");
    assert_int_equal(json_integer_value(json_object_get(c, "left")), 6); /* days to spare */
    json_decref(c);
}

static void test_clock_workdays_and_default_extension(void **state) {
    struct fixture *x = *state;
    struct problems pr;
    int64_t id = add_review(x, "某丙诉区住建局");
    /* 2025-04-24 受理: 10 工作日 counts 04-27 (Sunday, 调休上班) and skips 05-01…05-05 → 05-12;
     * 60 日 → 06-23 (a Monday: no end rule) */
    assert_int_equal(act(x, 1, id, "accept", "{\"on\": \"2025-04-24\"}", &pr), FLOW_OK);
    assert_string_equal(stored(x, id, "answer", "due_on"), "2025-05-12");
    assert_string_equal(stored(x, id, "decide", "due_on"), "2025-06-23");
    json_t *c = clock_json(x, id, "answer", "2025-04-25", 0);
    assert_int_equal(json_integer_value(json_object_get(c, "left")), 9); /* working days */
    assert_string_equal(json_string_value(json_object_get(c, "unit")), "workdays");
    json_decref(c);
    /* extend_period (30) when the step names no argument: 06-23 + 30 = 07-23 */
    assert_int_equal(act(x, 1, id, "extend_30", "{\"note\": \"需要鉴定\"}", &pr), FLOW_OK);
    assert_string_equal(stored(x, id, "decide", "due_on"), "2025-07-23");
}

static void test_calendar_change_moves_due_dates(void **state) {
    struct fixture *x = *state;
    struct problems pr;
    int64_t id = add_review(x, "某丁诉区城管局");
    assert_int_equal(act(x, 1, id, "accept", "{\"on\": \"2025-03-03\"}", &pr), FLOW_OK);
    assert_string_equal(stored(x, id, "decide", "due_on"), "2025-05-06");
    /* a corrected arrangement without 05-02…05-05: the last day 05-02 is a Friday at work */
    import_2025(x, 1);
    assert_int_equal(count(x->db, "SELECT COUNT(*) FROM record_clocks WHERE stale = 1", ""), 2);
    calendar_settle(x->db); /* what the calendar's routes do after their commit */
    assert_int_equal(count(x->db, "SELECT COUNT(*) FROM record_clocks WHERE stale = 1", ""), 0);
    assert_string_equal(stored(x, id, "decide", "due_on"), "2025-05-02");
    /* and back, through the batch function the daily job uses too */
    import_2025(x, 0);
    int64_t after = 0;
    int n = 0;
    assert_int_equal(flow_clocks_recompute_batch(x->db, 0, &after, &n), DB_OK);
    assert_int_equal(n, 2);
    assert_string_equal(stored(x, id, "decide", "due_on"), "2025-05-06");
    assert_int_equal(flow_clocks_recompute_batch(x->db, 0, &after, &n), DB_OK);
    assert_int_equal(n, 0);
}

/* ---- the daily job ---- */

static int64_t digests(struct fixture *x, int64_t user) {
    return count(x->db,
                 "SELECT COUNT(*) FROM notifications WHERE kind = 'clock_digest' AND user_id = ?",
                 "i", user);
}

static void run_day(struct fixture *x, const char *day) {
    int ran = -1;
    int64_t now = (int64_t)D(day) * 86400 + 3600; /* 09:00 in China */
    assert_int_equal(jobs_run_daily(x->db, now, "clocks", 1, &ran), DB_OK);
}

/* flow_follow: the records of a parent (here: the unit) in one state move to another at once,
 * each with its timeline event and audit record; another parent's and other states' stay. */
static void test_follow(void **state) {
    struct fixture *x = *state;
    int64_t a = add_review(x, "甲"), b = add_review(x, "乙");
    int64_t c = exec_id(x->db,
                        "INSERT INTO reviews (status, unit_id, title) VALUES ('received', ?, ?) "
                        "RETURNING id",
                        "is", x->other, "丙");
    struct flow_actor office = {&x->office, &x->office_au};
    int64_t va = version_of(x, a), vc = version_of(x, c), n = -1;
    assert_int_equal(db_begin(x->db), DB_OK);
    assert_int_equal(flow_follow(x->db, x->a, &office, &review_kind, "unit_id", x->unit,
                                 RS_RECEIVED, RS_ACCEPTED, "follow", "随目录审定", &n),
                     FLOW_OK);
    assert_int_equal(db_commit(x->db), DB_OK);
    assert_int_equal(n, 2);
    assert_int_equal(version_of(x, a), va + 1);
    assert_int_equal(version_of(x, c), vc);
    assert_int_equal(count(x->db,
                           "SELECT COUNT(*) FROM reviews WHERE id IN (?, ?) AND status = "
                           "'accepted'",
                           "ii", a, b),
                     2);
    assert_int_equal(
        count(x->db, "SELECT COUNT(*) FROM reviews WHERE id = ? AND status = 'received'", "i", c),
        1);
    assert_int_equal(count(x->db,
                           "SELECT COUNT(*) FROM review_events WHERE action = 'follow' AND note = "
                           "'随目录审定' AND detail LIKE '%\"to\":\"accepted\"%'",
                           ""),
                     2);
    assert_int_equal(
        count(x->db, "SELECT COUNT(*) FROM audit_log WHERE action = 'review.follow'", ""), 2);
    /* nothing left in that state: nothing moves; a column that is no identifier is refused */
    assert_int_equal(db_begin(x->db), DB_OK);
    assert_int_equal(flow_follow(x->db, x->a, &office, &review_kind, "unit_id", x->unit,
                                 RS_RECEIVED, RS_ACCEPTED, "follow", "", &n),
                     FLOW_OK);
    assert_int_equal(n, 0);
    assert_int_equal(flow_follow(x->db, x->a, &office, &review_kind, "unit_id; --", x->unit,
                                 RS_RECEIVED, RS_ACCEPTED, "follow", "", &n),
                     FLOW_DB);
    db_rollback(x->db);
}

static void test_daily_digest(void **state) {
    struct fixture *x = *state;
    struct problems pr;
    /* due 05-06 (reminder day 04-29: 7 日 before), due 04-28 (overdue from 04-29), due 05-12 */
    int64_t soon = add_review(x, "临期案件"), late = add_review(x, "逾期案件"),
            later = add_review(x, "稍后案件");
    assert_int_equal(act(x, 1, soon, "accept", "{\"on\": \"2025-03-03\"}", &pr), FLOW_OK);
    assert_int_equal(act(x, 1, late, "accept", "{\"on\": \"2025-02-27\"}", &pr), FLOW_OK);
    assert_int_equal(act(x, 1, later, "accept", "{\"on\": \"2025-03-13\"}", &pr), FLOW_OK);
    assert_string_equal(stored(x, late, "decide", "due_on"), "2025-04-28");
    assert_string_equal(stored(x, later, "decide", "due_on"), "2025-05-12");
    for (int64_t r = soon; r <= later; r++) /* the answers are in: only "decide" runs */
        assert_int_equal(act(x, 0, r, "answer", "{\"on\": \"2025-03-14\"}", &pr), FLOW_OK);
    /* suspended since 04-01 (a hearing): not reminded, but its due date moves day by day */
    int64_t heard = add_review(x, "听证案件");
    assert_int_equal(act(x, 1, heard, "accept", "{\"on\": \"2025-03-03\"}", &pr), FLOW_OK);
    assert_int_equal(act(x, 0, heard, "answer", "{\"on\": \"2025-03-14\"}", &pr), FLOW_OK);
    assert_int_equal(
        act(x, 1, heard, "suspend", "{\"on\": \"2025-04-01\", \"note\": \"听证\"}", &pr), FLOW_OK);
    int64_t before = count(x->db, "SELECT COUNT(*) FROM notifications", "");

    run_day(x, "2025-04-29");
    /* 28 days counted in March, 04-01…04-29 not counted, 32 more from 04-30: 05-31 (端午) → 06-03
     */
    assert_string_equal(stored(x, heard, "decide", "due_on"), "2025-06-03");
    assert_int_equal(digests(x, x->clerk), 1); /* one per account and kind */
    assert_int_equal(digests(x, x->clerk2), 1);
    assert_int_equal(digests(x, x->stranger), 0); /* another unit */
    assert_int_equal(
        count(x->db,
              "SELECT COUNT(*) FROM notifications WHERE kind = 'clock_digest' AND "
              "title = '【法定期限】行政复议（测试）：1 项临近届满、1 项已逾期' AND "
              "body LIKE '%最早 2025-05-06%' AND title_en = '[Statutory time limits] "
              "Administrative review (test): 1 due soon, 1 overdue' AND "
              "body_en LIKE '%first ends on 2025-05-06%' AND link = '/reviews' AND dedup_key = ?",
              "s",
              arena_printf(x->a, "clock_digest:review_test:2025-04-29:%lld", (long long)x->clerk)),
        1);
    assert_int_equal(count(x->db, "SELECT COUNT(*) FROM notifications", ""), before + 2);
    /* once a day: the same day again raises nothing, even with its run forgotten */
    run_day(x, "2025-04-29");
    assert_int_equal(db_exec(x->db, "DELETE FROM job_runs WHERE job = 'clocks'", ""), DB_OK);
    run_day(x, "2025-04-29");
    assert_int_equal(count(x->db, "SELECT COUNT(*) FROM notifications", ""), before + 2);
    /* the next day crosses nothing; 05-05 is the reminder day of the one due 05-12 */
    run_day(x, "2025-04-30");
    assert_int_equal(digests(x, x->clerk), 1);
    run_day(x, "2025-05-05");
    assert_int_equal(digests(x, x->clerk), 2);
    assert_int_equal(count(x->db,
                           "SELECT COUNT(*) FROM job_runs WHERE job = 'clocks' AND run_key = "
                           "'2025-05-05' AND finished_at IS NOT NULL AND result LIKE "
                           "'recomputed=1 units=1 clock_digest=2 from=2025-05-01%'",
                           ""),
                     1);
    /* a met clock is not reminded: decided before its reminder day */
    assert_int_equal(act(x, 1, later, "decide", "{\"on\": \"2025-05-06\"}", &pr), FLOW_OK);
    assert_string_equal(stored(x, later, "decide", "state"), "met");
}

/* ---- task origin: a record (a 督办 task) carrying out a record of another kind ---- */

enum { OS_OPEN, OS_WAITING, OS_DONE, OS_COUNT };
static const struct flow_state origin_states[OS_COUNT] = {
    {"open", "整改中", "Open", 0, "primary"},
    {"waiting", "待验收", "Waiting", 0, "warning"},
    {"done", "已验收", "Done", 1, "success"},
};
static int64_t origin_child; /* the task the test's origin closes */
static int origin_load(struct flow_ctx *c) {
    struct db_stmt *st =
        db_queryv(c->db, "SELECT status, title FROM origin_tests WHERE id = ?", "i", c->id);
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW) {
        c->status = flow_state_index(c->kind, db_col_text(st, 0));
        c->title = arena_strdup(c->a, db_col_text(st, 1));
    }
    db_done(st);
    return rc;
}
static int origin_calls;
static int origin_child_step(struct flow_ctx *o, const struct flow_kind *child, int64_t child_id,
                             const char *action) {
    origin_calls++;
    assert_string_equal(child->name, "task");
    assert_int_equal(child_id, origin_child);
    if (!strcmp(action, "request_close") && o->status == OS_OPEN) o->new_status = OS_WAITING;
    return FLOW_OK;
}
static const struct flow_kind origin_kind;
static int fx_origin_close(struct flow_ctx *c) {
    return flow_apply_via(c->db, c->a, c->actor, &origin_kind, &task_kind, origin_child, "accept",
                          "验收通过", NULL, c->pr, c->today);
}
static const struct flow_transition origin_transitions[] = {
    {"close", "验收", "Verify", S(OS_WAITING), OS_DONE, &perm_task_read, NULL, 0, NULL, 0, NULL, 0,
     fx_origin_close},
};
static const struct flow_kind origin_kind = {
    .name = "origin_test",
    .zh = "问题（测试）",
    .en = "finding (test)",
    .entity = "origin_tests",
    .table = "origin_tests",
    .audit_type = "origin",
    .web_path = "/origins",
    .perm_read = &perm_task_read,
    .states = origin_states,
    .n_states = OS_COUNT,
    .transitions = origin_transitions,
    .n_transitions = 1,
    .closes_children = 1,
    .child_step = origin_child_step,
    .load = origin_load,
};

static int task_step(struct fixture *x, int office, int64_t id, const char *action,
                     const char *json, struct problems *pr) {
    json_t *in = json_loads(json, 0, NULL);
    json_object_set_new(in, "version",
                        json_integer(count(x->db,
                                           "SELECT version FROM tasks "
                                           "WHERE id = ?",
                                           "i", id)));
    struct flow_actor actor = {office ? &x->office : &x->handler,
                               office ? &x->office_au : &x->handler_au};
    memset(pr, 0, sizeof *pr);
    pr->arena = x->a;
    assert_int_equal(db_begin(x->db), DB_OK);
    int rc = flow_apply(x->db, x->a, &actor, &task_kind, id, action, in, pr);
    if (rc == FLOW_OK)
        assert_int_equal(db_commit(x->db), DB_OK);
    else
        db_rollback(x->db);
    json_decref(in);
    return rc;
}

static void test_task_origin(void **state) {
    struct fixture *x = *state;
    assert_int_equal(db_exec(x->db,
                             "CREATE TABLE origin_tests (id INTEGER PRIMARY KEY, status TEXT, "
                             "title TEXT, version BIGINT NOT NULL DEFAULT 1, updated_at TEXT)",
                             ""),
                     DB_OK);
    int64_t o = exec_id(x->db,
                        "INSERT INTO origin_tests (status, title) VALUES ('open', 'WT-1') "
                        "RETURNING id",
                        "");
    struct task_actor ta = {&x->office, &x->office_au};
    struct task_input in = {.title = "整改",
                            .due_on = "2025-06-30",
                            .start_on = "",
                            .rhythm = "none",
                            .priority = "normal",
                            .lead_unit_id = x->unit,
                            .origin_kind = "origin_test",
                            .origin_id = o};
    struct problems pr;
    assert_int_equal(db_begin(x->db), DB_OK);
    assert_int_equal(task_create(x->db, x->a, &ta, &in, &origin_child), DB_OK);
    assert_int_equal(db_commit(x->db), DB_OK);
    origin_calls = 0;
    assert_int_equal(task_step(x, 1, origin_child, "issue", "{}", &pr), FLOW_OK);
    assert_int_equal(origin_calls, 1); /* told of every step, moved by none but the close request */
    assert_int_equal(task_step(x, 0, origin_child, "acknowledge", "{}", &pr), FLOW_OK);
    int64_t v = count(x->db, "SELECT version FROM origin_tests WHERE id = ?", "i", o);
    assert_int_equal(task_step(x, 0, origin_child, "request_close",
                               "{\"note\": \"整改报告\", \"progress\": 100}", &pr),
                     FLOW_OK);
    /* the origin moved in the same transaction: state, version, audit record */
    assert_int_equal(count(x->db,
                           "SELECT COUNT(*) FROM origin_tests WHERE id = ? AND status = 'waiting'",
                           "i", o),
                     1);
    assert_int_equal(count(x->db, "SELECT version FROM origin_tests WHERE id = ?", "i", o), v + 1);
    assert_int_equal(count(x->db,
                           "SELECT COUNT(*) FROM audit_log WHERE action = "
                           "'origin.task_request_close' AND object_id = ?",
                           "s", arena_printf(x->a, "%lld", (long long)o)),
                     1);
    /* the task's accept is the origin's: refused on the task, naming it; not among its actions */
    assert_int_equal(task_step(x, 1, origin_child, "accept", "{}", &pr), FLOW_NOT_ALLOWED);
    assert_non_null(strstr(pr.zh, "问题（测试）“WT-1”"));
    assert_non_null(strstr(pr.en, "finding (test) “WT-1”"));
    struct flow_actor office = {&x->office, &x->office_au};
    json_t *allowed = flow_allowed(x->db, &office, &task_kind, origin_child);
    for (size_t i = 0; i < json_array_size(allowed); i++)
        assert_string_not_equal(json_string_value(json_array_get(allowed, i)), "accept");
    json_decref(allowed);
    /* the origin's step closes it (a holder of task.read only: the origin checked who may) */
    x->office.perms = (perm_set){0};
    perm_add(&x->office.perms, &perm_task_read);
    json_t *body = json_pack("{s:I}", "version",
                             (json_int_t)count(x->db,
                                               "SELECT version FROM origin_tests WHERE id "
                                               "= ?",
                                               "i", o));
    memset(&pr, 0, sizeof pr);
    pr.arena = x->a;
    origin_calls = 0;
    assert_int_equal(db_begin(x->db), DB_OK);
    assert_int_equal(flow_apply(x->db, x->a, &office, &origin_kind, o, "close", body, &pr),
                     FLOW_OK);
    assert_int_equal(db_commit(x->db), DB_OK);
    json_decref(body);
    assert_int_equal(origin_calls, 0); /* not called back for its own step */
    assert_int_equal(count(x->db, "SELECT COUNT(*) FROM tasks WHERE id = ? AND status = 'done'",
                           "i", origin_child),
                     1);
    assert_int_equal(
        count(x->db, "SELECT COUNT(*) FROM origin_tests WHERE id = ? AND status = 'done'", "i", o),
        1);
    /* the task answers its origin */
    json_t *oj = flow_origin_json(x->db, x->a, &office, "origin_test", o, 0);
    assert_string_equal(json_string_value(json_object_get(oj, "title")), "WT-1");
    assert_string_equal(json_string_value(json_object_get(oj, "path")),
                        arena_printf(x->a, "/origins/%lld", (long long)o));
    json_decref(oj);
    json_t *none = flow_origin_json(x->db, x->a, &office, "no_such_kind", o, 0);
    assert_true(json_is_null(none));
}

int main(void) {
    if (modules_init() != 0) return 1;
    char err[300];
    if (flow_register(&review_kind, err, sizeof err) != 0 ||
        flow_register(&origin_kind, err, sizeof err) != 0) {
        fprintf(stderr, "review_kind: %s\n", err);
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_field_values),
        cmocka_unit_test(test_register_refuses),
        cmocka_unit_test_setup_teardown(test_apply_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_clock_steps, setup, teardown),
        cmocka_unit_test_setup_teardown(test_clock_workdays_and_default_extension, setup, teardown),
        cmocka_unit_test_setup_teardown(test_calendar_change_moves_due_dates, setup, teardown),
        cmocka_unit_test_setup_teardown(test_daily_digest, setup, teardown),
        cmocka_unit_test_setup_teardown(test_follow, setup, teardown),
        cmocka_unit_test_setup_teardown(test_task_origin, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
