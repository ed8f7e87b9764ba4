/* legalservice.c — 公共法律服务 (12348) requests: the entity (fields, scope, writes) and the
 * workflow kind (登记 → 分派 → 受理 → 办结 → 回访, 退回 and 撤销) with its statutory clock. The
 * routes, list page, form, action buttons and export come from these declarations alone
 * (features/entity, features/flow); the module descriptor is legalservice_module.c. */
#include <stdio.h>
#include <string.h>

#include "base/calendar.h"
#include "base/crypto.h"
#include "base/timeutil.h"
#include "features/legalservice/legalservice.h"
#include "features/org/org.h"
#include "store/settings.h"

/* Declarations leave trailing fields out: 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

/* ---- service types and their time limits ---- */

/* The types a 12348 centre takes, each with the setting keys of its time limit (legalservice_
 * module.c declares them with their statutory or local defaults). */
const struct field_option legal_service_types[LS_TYPES] = {
    {"consultation", "法律咨询", "Legal consultation", "primary"},
    {"legal_aid", "法律援助", "Legal aid", "success"},
    {"mediation", "人民调解", "People's mediation", "warning"},
    {"notarisation", "公证", "Notarisation", "info"},
    {"appraisal", "司法鉴定", "Judicial appraisal", "info"},
    {"lawyer", "律师服务", "Lawyer services", "info"},
};

static const struct field_option channel_options[] = {
    {"hotline", "12348热线", "12348 hotline", ""},
    {"window", "窗口", "Service window", ""},
    {"online", "网上平台", "Online", ""},
    {"letter", "来信", "Letter", ""},
};

/* Stored codes of the states (the kind's states and the status field's options: one order). */
enum { LS_RECEIVED, LS_ASSIGNED, LS_ACCEPTED, LS_COMPLETED, LS_CLOSED, LS_CANCELLED, LS_STATES };

static const struct flow_state states[LS_STATES] = {
    [LS_RECEIVED] = {"received", "待分派", "To assign", 0, "warning"},
    [LS_ASSIGNED] = {"assigned", "待受理", "To accept", 0, "warning"},
    [LS_ACCEPTED] = {"accepted", "办理中", "In progress", 0, "primary"},
    [LS_COMPLETED] = {"completed", "待回访", "To visit", 0, "success"},
    [LS_CLOSED] = {"closed", "已办结", "Closed", 1, "success"},
    [LS_CANCELLED] = {"cancelled", "已撤销", "Cancelled", 1, "info"},
};
const struct field_option legal_service_status_options[LS_STATES] = {
    [LS_RECEIVED] = {"received", "待分派", "To assign", "warning"},
    [LS_ASSIGNED] = {"assigned", "待受理", "To accept", "warning"},
    [LS_ACCEPTED] = {"accepted", "办理中", "In progress", "primary"},
    [LS_COMPLETED] = {"completed", "待回访", "To visit", "success"},
    [LS_CLOSED] = {"closed", "已办结", "Closed", "success"},
    [LS_CANCELLED] = {"cancelled", "已撤销", "Cancelled", "info"},
};

int legal_service_type_index(const char *code) {
    for (int i = 0; code && i < LS_TYPES; i++)
        if (!strcmp(legal_service_types[i].code, code)) return i;
    return -1;
}

/* The record's handling period: its type's settings (legal_service.days.<type>, and
 * legal_service.workdays.<type> for 工作日 rather than 日). */
static int period_of_type(struct db *db, int64_t id, int *period, enum clock_unit *unit) {
    char type[32] = "";
    struct db_stmt *st =
        db_queryv(db, "SELECT service_type FROM legal_services WHERE id = ?", "i", id);
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW) snprintf(type, sizeof type, "%s", db_col_text(st, 0));
    db_done(st);
    if (rc != DB_ROW) return rc == DB_DONE ? DB_OK : rc;
    if (legal_service_type_index(type) < 0) return DB_OK;
    char key[64];
    snprintf(key, sizeof key, "legal_service.days.%s", type);
    *period = (int)setting_int(db, key);
    snprintf(key, sizeof key, "legal_service.workdays.%s", type);
    *unit = setting_int(db, key) ? CLOCK_WORKDAYS : CLOCK_DAYS;
    return DB_OK;
}

static const struct flow_clock_def clocks[] = {
    {"handle", "办理期限", "Time limit", 15, CLOCK_WORKDAYS, NULL, "登记", "received", 1, 0,
     period_of_type},
};

/* ---- the kind's context, relations and effects ---- */

struct ls_ctx {
    struct flow_ctx base;
    int64_t unit_id, handler_id; /* 承办单位, 承办人 (0: none) */
    char request_no[32];
};
#define LC(c) ((struct ls_ctx *)(c))

static int load(struct flow_ctx *fc) {
    struct ls_ctx *c = LC(fc);
    struct db_stmt *st = db_queryv(fc->db,
                                   "SELECT status, COALESCE(handling_unit_id, 0), "
                                   "COALESCE(handler_id, 0), request_no FROM legal_services "
                                   "WHERE id = ?",
                                   "i", fc->id);
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW) {
        fc->status = flow_state_index(fc->kind, db_col_text(st, 0));
        c->unit_id = db_col_int(st, 1);
        c->handler_id = db_col_int(st, 2);
        snprintf(c->request_no, sizeof c->request_no, "%s", db_col_text(st, 3));
        fc->title = c->request_no;
    }
    db_done(st);
    return rc;
}

/* The actor works in the unit the request is assigned to. */
static int r_handling_unit(const struct flow_ctx *c) {
    const struct principal *p = c->actor ? c->actor->who : NULL;
    return p && LC(c)->unit_id && p->unit_id == LC(c)->unit_id;
}

static const struct flow_relation relations[] = {
    {"handling_unit", "承办单位", "Handling unit", r_handling_unit},
};

/* Whose turn it is after 分派: the unit assigned — its accounts holding legal_service.work (the
 * handler, when named, is one of them). */
static int p_assigned(const struct flow_ctx *c, struct flow_recipients *out) {
    int64_t unit = flow_arg_int(c, "unit_id", LC(c)->unit_id);
    if (unit) out->units[out->n_units++] = unit;
    return DB_OK;
}

static const struct flow_party parties[] = {
    {"assigned_unit", "承办单位", "Assigned unit", p_assigned},
};

static int fx_assign(struct flow_ctx *c) {
    int64_t unit = flow_arg_int(c, "unit_id", 0), handler = flow_arg_int(c, "handler_id", 0);
    int64_t n = 0;
    if (flow_arg_unit_check(c, "unit_id") != FLOW_OK) return FLOW_DB;
    if (handler) {
        n = 0;
        if (db_query_int(c->db, &n,
                         "SELECT COUNT(*) FROM users WHERE id = ? AND unit_id = ? AND locked = 0",
                         "ii", handler, unit) != DB_ROW)
            return FLOW_DB;
        if (!n)
            flow_problem(c, "handler_id", "承办人须为承办单位的在用账号",
                         "The handler must be an active account of the handling unit");
    }
    if (c->pr->n) return FLOW_INVALID;
    json_object_set_new(c->detail, "unit_id", json_integer(unit));
    int rc = handler ? db_exec(c->db,
                               "UPDATE legal_services SET handling_unit_id = ?, handler_id = ? "
                               "WHERE id = ?",
                               "iii", unit, handler, c->id)
                     : db_exec(c->db,
                               "UPDATE legal_services SET handling_unit_id = ?, handler_id = NULL "
                               "WHERE id = ?",
                               "ii", unit, c->id);
    return rc == DB_OK ? FLOW_OK : FLOW_DB;
}

/* 受理: whoever accepts handles it unless the centre named a handler. */
static int fx_accept(struct flow_ctx *c) {
    if (LC(c)->handler_id) return FLOW_OK;
    return db_exec(c->db, "UPDATE legal_services SET handler_id = ? WHERE id = ?", "ii",
                   c->actor->who->user_id, c->id) == DB_OK
               ? FLOW_OK
               : FLOW_DB;
}

/* 退回: back to the centre for another unit; the unit no longer sees it. */
static int fx_return(struct flow_ctx *c) {
    json_object_set_new(c->detail, "unit_id", json_integer(LC(c)->unit_id));
    return db_exec(c->db,
                   "UPDATE legal_services SET handling_unit_id = NULL, handler_id = NULL "
                   "WHERE id = ?",
                   "i", c->id) == DB_OK
               ? FLOW_OK
               : FLOW_DB;
}

static int fx_complete(struct flow_ctx *c) {
    char now[21];
    now_iso(now);
    return db_exec(c->db, "UPDATE legal_services SET outcome = ?, completed_at = ? WHERE id = ?",
                   "ssi", c->note, now, c->id) == DB_OK
               ? FLOW_OK
               : FLOW_DB;
}

static int fx_visit(struct flow_ctx *c) {
    int64_t score = flow_arg_int(c, "satisfaction", 0);
    json_object_set_new(c->detail, "satisfaction", json_integer(score));
    return db_exec(c->db, "UPDATE legal_services SET satisfaction = ?, visit_note = ? WHERE id = ?",
                   "isi", score, c->note, c->id) == DB_OK
               ? FLOW_OK
               : FLOW_DB;
}

static const struct field args_assign[] = {
    {"unit_id", FT_UNIT, "承办单位", "Handling unit", 0, 0, F_REQUIRED, .ref = "units"},
    {"handler_id", FT_USER, "承办人（可不指定）", "Handler (optional)", 0, 0, 0},
};
static const struct field args_visit[] = {
    {"satisfaction", FT_INT, "满意度（1–5）", "Satisfaction (1–5)", 1, 5, F_REQUIRED},
};

static const struct flow_clock_step stop_clock[] = {{"handle", CLOCK_STOP}};

static const struct flow_notice tell_assigned = {"assigned_unit", "legal_service_assigned",
                                                 "12348 新分派", NOTICE_EACH, "New 12348 request"};

static const struct flow_confirm confirm_cancel = {"撤销后该事项终止办理。",
                                                   "Cancelling ends the request."};

#define N(a)    (int)(sizeof(a) / sizeof((a)[0]))
#define S(i)    (1u << (i))
#define ARGS(a) a, N(a)
#define NONE    NULL, 0
#define OPEN    (S(LS_RECEIVED) | S(LS_ASSIGNED) | S(LS_ACCEPTED))

static const struct flow_transition transitions[] = {
    {"assign", "分派", "Assign", S(LS_RECEIVED), LS_ASSIGNED, &perm_legal_service_manage, NULL, 0,
     ARGS(args_assign), NONE, fx_assign, NONE, &tell_assigned, "primary"},
    {"accept", "受理", "Accept", S(LS_ASSIGNED), LS_ACCEPTED, &perm_legal_service_work,
     "handling_unit", 0, NONE, NONE, fx_accept, NONE, NULL, "primary"},
    {"return", "退回", "Return", S(LS_ASSIGNED) | S(LS_ACCEPTED), LS_RECEIVED,
     &perm_legal_service_work, "handling_unit", 1, NONE, NONE, fx_return, NONE, NULL, "warning"},
    {"complete", "办结", "Complete", S(LS_ACCEPTED), LS_COMPLETED, &perm_legal_service_work,
     "handling_unit", 1, NONE, NONE, fx_complete, ARGS(stop_clock), NULL, "success"},
    {"visit", "回访", "Follow-up visit", S(LS_COMPLETED), LS_CLOSED, &perm_legal_service_manage,
     NULL, 0, ARGS(args_visit), NONE, fx_visit, NONE, NULL, "success"},
    {"cancel", "撤销", "Cancel", OPEN, LS_CANCELLED, &perm_legal_service_manage, NULL, 1, NONE,
     NONE, NULL, ARGS(stop_clock), NULL, "danger", &confirm_cancel},
};

const struct flow_kind legal_service_kind = {
    .name = "legal_service",
    .zh = "公共法律服务事项",
    .en = "Public legal service request",
    .entity = "legal_services",
    .table = "legal_services",
    .audit_type = "legal_service",
    .web_path = "/legal-services",
    .perm_read = &perm_legal_service_view,
    .states = states,
    .n_states = LS_STATES,
    .transitions = transitions,
    .n_transitions = N(transitions),
    .relations = relations,
    .n_relations = N(relations),
    .parties = parties,
    .n_parties = N(parties),
    .clocks = clocks,
    .n_clocks = N(clocks),
    .events_table = "legal_service_events",
    .events_key = "request_id",
    .file_owner = "legal_service_event", /* materials of a step (the case file's attachments) */
    .unit_column = "handling_unit_id",
    .title_column = "request_no",
    .summary_column = "summary",
    .perm_work = &perm_legal_service_work,
    .ctx_size = sizeof(struct ls_ctx),
    .load = load,
};

/* ---- the entity ---- */

static int ls_validate(struct entity_write *w) {
    const char *received = json_string_value(json_object_get(w->in, "received_on"));
    int32_t day;
    if (received && date_parse(received, &day) == 0 && day > date_today())
        problem_add(w->pr, "received_on", "登记日期不能晚于今天", "Cannot be later than today");
    return DB_OK;
}

/* 登记: the number follows the year received and the id (GF2026-000123); the time limit starts
 * on the day received (法律援助法 第43条: 自收到申请之日起). */
int legal_service_insert(struct db *db, struct arena *a, const struct audit_actor *actor,
                         json_t *in, int64_t *id) {
    char now[21];
    now_iso(now);
    const char *received = entity_text(in, "received_on");
    struct db_stmt *st = db_prepare(db, "INSERT INTO legal_services (request_no, received_on, "
                                        "channel, service_type, summary, status, outcome, "
                                        "visit_note, created_by, created_at, updated_at, version) "
                                        "VALUES (NULL, ?, ?, ?, ?, 'received', '', '', ?, ?, ?, 1) "
                                        "RETURNING id");
    if (!st) return DB_ERROR;
    db_bind_text(st, 1, received);
    db_bind_text(st, 2, entity_text(in, "channel"));
    db_bind_text(st, 3, entity_text(in, "service_type"));
    db_bind_text(st, 4, entity_text(in, "summary"));
    db_bind_id(st, 5, actor->user_id);
    db_bind_text(st, 6, now);
    db_bind_text(st, 7, now);
    int rc = db_step(st);
    if (rc == DB_ROW) *id = db_col_int(st, 0);
    db_done(st);
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERROR;
    const char *no = NULL;
    rc = entity_number_set(db, a, &entity_legal_services, *id, received, &no);
    int32_t day = 0;
    if (rc == DB_OK && date_parse(received, &day) != 0) rc = DB_ERROR;
    if (rc == DB_OK && flow_clock_start(db, a, &legal_service_kind, *id, "handle", day) != FLOW_OK)
        rc = DB_ERROR;
    if (rc != DB_OK) return rc;
    return audit_append(db, actor, "legal_service.create", "legal_service",
                        arena_printf(a, "%lld", (long long)*id), "ok",
                        arena_printf(a, "{\"request_no\":\"%s\"}", no));
}

/* The applicant (申请人) is written by the layer after this hook: a party. */
static int ls_create(struct entity_write *w) {
    return legal_service_insert(w->c->db, w->c->arena, w->actor, w->in, &w->id);
}

/* 修改: the channel and the summary (the applicant: parties, by the layer), while open. The type
 * and the day received stay: they decided the time limit. */
static int ls_update(struct entity_write *w) {
    const char *status = json_string_value(json_object_get(w->cur, "status"));
    int i = status ? flow_state_index(&legal_service_kind, status) : -1;
    if (i < 0 || states[i].final) {
        w->zh = "已办结或已撤销的事项不能修改";
        w->en = "A closed or cancelled request cannot be edited";
        return ENTITY_FORBIDDEN;
    }
    json_t *in = w->in;
    int rc = db_exec(w->c->db, "UPDATE legal_services SET channel = ?, summary = ? WHERE id = ?",
                     "ssi", entity_text(in, "channel"), entity_text(in, "summary"), w->id);
    if (rc != DB_OK) return rc;
    return audit_append(w->c->db, w->actor, "legal_service.update", "legal_service",
                        arena_printf(w->c->arena, "%lld", (long long)w->id), "ok", "");
}

/* The handling clock's due date: one indexed lookup per row inside the page's one query. */
#define DUE_SQL                                                                                    \
    "(SELECT rc.due_on FROM record_clocks rc WHERE rc.kind = 'legal_service' "                     \
    "AND rc.record_id = e.id AND rc.clock = 'handle')"

static const struct field fields[] = {
    {"id", FT_INT, "序号", "ID", 0, 0, F_READONLY},
    {"request_no", FT_TEXT, "编号", "Number", 0, 20,
     F_LIST | F_SORT | F_SEARCH | F_EXPORT | F_READONLY},
    {"received_on", FT_DATE, "登记日期", "Received", 0, 0,
     F_REQUIRED | F_LIST | F_FILTER | F_SORT | F_EXPORT | F_CREATE | F_IMPORT},
    {"channel", FT_ENUM, "渠道", "Channel", 0, 0,
     F_REQUIRED | F_FILTER | F_EXPORT | F_CREATE | F_UPDATE | F_IMPORT, channel_options,
     ENTITY_N(channel_options), .dict = "legal_service_channel"},
    {"service_type", FT_ENUM, "服务类型", "Type", 0, 0,
     F_REQUIRED | F_LIST | F_FILTER | F_EXPORT | F_CREATE | F_IMPORT, legal_service_types, LS_TYPES,
     .hint = "类型决定办理期限（系统设置 › 公共法律服务）", .dict = "legal_service_type"},
    /* the applicant is a party (当事人, sealed): the list shows the masked name */
    {"party_names", FT_TEXT, "申请人", "Applicant", 0, 0, F_LIST | F_VIRTUAL | F_READONLY},
    {"summary", FT_LONGTEXT, "事项摘要", "Summary", 1, 2000,
     F_REQUIRED | F_SEARCH | F_EXPORT | F_CREATE | F_UPDATE | F_IMPORT},
    {"handling_unit_id", FT_UNIT, "承办单位", "Handling unit", 0, 0, F_FILTER | F_READONLY,
     .ref = "units"},
    {"handling_unit_name", FT_TEXT, "承办单位", "Handling unit", 0, 0,
     F_LIST | F_EXPORT | F_READONLY, .sql = "hu.name"},
    {"handler_id", FT_USER, "承办人", "Handler", 0, 0, F_FILTER | F_READONLY},
    {"handler_name", FT_TEXT, "承办人", "Handler", 0, 0, F_EXPORT | F_READONLY,
     .sql = "hd.display_name"},
    {"due_on", FT_DATE, "办理期限", "Due", 0, 0, F_LIST | F_SORT | F_EXPORT | F_READONLY,
     .sql = DUE_SQL},
    {"status", FT_ENUM, "状态", "Status", 0, 0, F_LIST | F_FILTER | F_EXPORT | F_READONLY,
     legal_service_status_options, LS_STATES},
    {"outcome", FT_LONGTEXT, "办理结果", "Outcome", 0, 0, F_EXPORT | F_READONLY},
    {"satisfaction", FT_INT, "满意度", "Satisfaction", 1, 5,
     F_LIST | F_FILTER | F_EXPORT | F_READONLY},
    {"visit_note", FT_LONGTEXT, "回访记录", "Visit note", 0, 0, F_EXPORT | F_READONLY},
    {"completed_at", FT_DATETIME, "办结时间", "Completed", 0, 0, F_READONLY},
    {"created_at", FT_DATETIME, "创建时间", "Created", 0, 0, F_SORT | F_READONLY},
    {"updated_at", FT_DATETIME, "更新时间", "Updated", 0, 0, F_READONLY},
    {"version", FT_INT, "版本", "Version", 0, 0, F_READONLY},
};

static const struct field_option party_roles[] = {
    {"applicant", "申请人", "Applicant", ""},
    {"agent", "代理人", "Agent", ""},
};
const struct entity_parties legal_service_parties = {"legal_service", party_roles,
                                                     ENTITY_N(party_roles), 1, 5};

/* Migration 2: each row's applicant_name (plaintext) and phone_enc (sealed before key ids, no
 * associated data) become its 申请人 in case_parties, sealed with key ids; the statements then
 * drop the columns. In pages of 500 rows by id. */
int legal_service_parties_migrate(struct db *db) {
    int64_t last = 0;
    for (;;) {
        struct arena *a = arena_new(1 << 16);
        int64_t ids[500];
        const char *names[500], *phones[500];
        int n = 0, rc = DB_ERROR;
        struct db_stmt *st = db_queryv(db,
                                       "SELECT id, applicant_name, phone_enc FROM legal_services "
                                       "WHERE id > ? ORDER BY id LIMIT 500",
                                       "i", last);
        while (st && (rc = db_step(st)) == DB_ROW && n < 500) {
            ids[n] = db_col_int(st, 0);
            names[n] = arena_strdup(a, db_col_text(st, 1));
            const char *sealed = db_col_text(st, 2);
            phones[n] = sealed && *sealed
                            ? pii_open(a, pii_ad(a, "legal_services", ids[n], "phone_enc"), sealed)
                            : NULL;
            n++;
        }
        db_done(st);
        if (!st || rc < 0) {
            arena_free(a);
            return DB_ERROR;
        }
        for (int i = 0; i < n; i++) {
            json_t *p = json_pack("[{s:s,s:s}]", "role", "applicant", "name",
                                  names[i] && *names[i] ? names[i] : "-");
            if (phones[i] && *phones[i])
                json_object_set_new(json_array_get(p, 0), "phone", json_string(phones[i]));
            rc = entity_parties_write(db, a, &legal_service_parties, ids[i], p);
            json_decref(p);
            if (rc != DB_OK) {
                arena_free(a);
                return rc;
            }
        }
        arena_free(a);
        if (n < 500) return DB_OK;
        last = ids[n - 1];
    }
}

/* The import template's example row (登记日期, 渠道, 服务类型, 事项摘要); the first party's
 * columns (当事人姓名, 身份证号, 联系电话) follow them. */
static const char *const import_example[] = {"2026-11-02", "12348热线", "法律援助",
                                             "工伤赔偿纠纷，申请法律援助。"};

/* The centre's own measure beside the kind's standard ones (counts by state, on time, overdue,
 * average days: features/metrics). */
static const struct entity_metric metrics[] = {
    {"satisfaction", "满意率", "Satisfaction rate", METRIC_RATE, "e.satisfaction >= 4",
     "e.satisfaction IS NOT NULL", NULL, "回访满意度 4 分及以上的事项 / 已回访的事项",
     "Requests rated 4 or 5 at the follow-up visit / requests visited"},
};

/* What its pages read (kept per caller, request and day: entity cache_deps): the register's
 * tables, parties and clocks ("cases"), unit names, accounts and scope, settings and the
 * calendar, dictionary labels. */
static const char *const legalservice_page_deps[] = {"legalservice", "cases", "org", "auth",
                                                     "settings",     "dict",  NULL};

static const struct entity_number entity_legal_services_number = {"request_no", "GF"};

const struct entity entity_legal_services = {
    .name = "legal_services",
    .path = "/api/v1/legal-services",
    .zh = "公共法律服务",
    .en = "Public legal services",
    .table = "legal_services",
    .alias = "e",
    .from = "legal_services e LEFT JOIN units hu ON hu.id = e.handling_unit_id "
            "LEFT JOIN users hd ON hd.id = e.handler_id",
    .fields = fields,
    .n_fields = ENTITY_N(fields),
    /* a unit reads the requests assigned to it; the centre (scope all) reads every one,
     * including those not yet assigned */
    .scope = {.unit_column = "e.handling_unit_id"},
    .default_sort = "-received_on",
    .perm_read = &perm_legal_service_view,
    .perm_create = &perm_legal_service_manage,
    .perm_update = &perm_legal_service_manage,
    .audit_type = "legal_service",
    .export_name = "legal-services",
    .export_sheet = "公共法律服务",
    .kind = &legal_service_kind,
    .parties = &legal_service_parties,
    .import_example = import_example,
    .validate = ls_validate,
    .create = ls_create,
    .update = ls_update,
    .metrics = metrics,
    .n_metrics = ENTITY_N(metrics),
    .metric_date = "e.received_on",
    .cache_deps = legalservice_page_deps,
    .number = &entity_legal_services_number,
};
