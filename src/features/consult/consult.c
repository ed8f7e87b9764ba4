/* consult.c — 公开征求意见, the staff side: the consultation's kind (草稿 → 征求意见中 →
 * 已截止 → 已公布) and its entities — consultations (scope: the owning unit), their comments
 * and topics (child records, scope through the consultation) —, closing at the period's end
 * (the daily job in batches, and every read), and the tally. See consult.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/calendar.h"
#include "base/crypto.h"
#include "base/pii.h"
#include "base/timeutil.h"
#include "features/consult/consult.h"
#include "store/settings.h"

/* Declarations leave trailing fields out: 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#define N(a) (int)(sizeof(a) / sizeof((a)[0]))

enum { CS_DRAFT, CS_OPEN, CS_CLOSED, CS_PUBLISHED, CS_STATES };

static const struct flow_state states[CS_STATES] = {
    [CS_DRAFT] = {"draft", "草稿", "Draft", 0, "info"},
    [CS_OPEN] = {"open", "征求意见中", "Open for comment", 0, "primary"},
    [CS_CLOSED] = {"closed", "已截止", "Period ended", 0, "warning"},
    [CS_PUBLISHED] = {"published", "已公布", "Published", 1, "success"},
};

static const struct field_option adoptions[] = {
    {"pending", "待处理", "Pending", "info"},
    {"adopted", "采纳", "Adopted", "success"},
    {"partly", "部分采纳", "Partly adopted", "warning"},
    {"rejected", "不予采纳", "Not adopted", "danger"},
};

static const struct audit_actor system_actor = {0, "system", "system", 0, "local", ""};

/* ---- the period rule ---- */

/* 第十五条: not less than consult.min_days (30) from the day it starts to its last day, or a
 * stated reason for a shorter one. Problems on `ends_on` (and `short_reason`). */
static void period_check(struct db *db, int32_t start, int32_t end, const char *reason,
                         struct problems *pr, const char *end_field) {
    int64_t min_days = setting_int(db, "consult.min_days");
    if (end <= start) {
        problem_add(pr, end_field, "截止日期须晚于开始日期", "Must be after the start date");
        return;
    }
    if (end - start < min_days && (!reason || !*reason)) {
        const char *zh = pr->arena ? arena_printf(pr->arena,
                                                  "征求意见期限一般不少于%lld日；缩短期限须说明理由"
                                                  "（重大行政决策程序暂行条例第十五条）",
                                                  (long long)min_days)
                                   : "征求意见期限不足，缩短期限须说明理由";
        const char *en = pr->arena ? arena_printf(pr->arena,
                                                  "The period is normally at least %lld days; "
                                                  "state the reason for a shorter one",
                                                  (long long)min_days)
                                   : "The period is too short without a reason";
        problem_add(pr, "short_reason", zh, en);
    }
}

/* ---- the kind ---- */

struct cs_ctx {
    struct flow_ctx base;
    int64_t unit_id;
    int32_t starts, ends;
    int64_t pending; /* comments without an adoption decision */
    char no[32];
    char reason[2048];
};
#define CS(c) ((struct cs_ctx *)(c))

static int load(struct flow_ctx *fc) {
    struct cs_ctx *c = CS(fc);
    struct db_stmt *st = db_queryv(
        fc->db,
        "SELECT e.status, e.unit_id, e.starts_on, e.ends_on, COALESCE(e.consult_no, ''), "
        "e.short_reason, (SELECT COUNT(*) FROM consultation_comments m WHERE "
        "m.consultation_id = e.id AND m.adoption = 'pending') FROM consultations e WHERE e.id = ?",
        "i", fc->id);
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW) {
        fc->status = flow_state_index(fc->kind, db_col_text(st, 0));
        c->unit_id = db_col_int(st, 1);
        date_parse(db_col_text(st, 2), &c->starts);
        date_parse(db_col_text(st, 3), &c->ends);
        snprintf(c->no, sizeof c->no, "%s", db_col_text(st, 4));
        snprintf(c->reason, sizeof c->reason, "%s", db_col_text(st, 5));
        c->pending = db_col_int(st, 6);
        fc->title = c->no;
        /* ended but not closed yet (a read closes it; the day's job too): it is closed */
        if (fc->status == CS_OPEN && c->ends < (fc->today ? fc->today : date_today()))
            fc->status = CS_CLOSED;
    }
    db_done(st);
    return rc;
}

/* The owning unit's accounts, or the office (consult.manage) for any unit. */
static int r_owns(const struct flow_ctx *c) {
    const struct principal *p = c->actor ? c->actor->who : NULL;
    return p && (p->unit_id == CS(c)->unit_id || perm_has(p->perms, &perm_consult_manage));
}

static const struct flow_relation relations[] = {
    {"owns", "起草单位或依法治区办", "Drafting unit or the office", r_owns},
};

static int g_all_decided(const struct flow_ctx *c) {
    return CS(c)->pending == 0;
}
static const struct flow_guard guards_publish[] = {
    {g_all_decided, "尚有意见未标注采纳情况，请逐条处理后再公布",
     "Some comments have no adoption decision yet: decide each before publishing"},
};

/* 发布征求意见: the period starts today and runs to the planned last day. */
static int fx_open(struct flow_ctx *c) {
    struct cs_ctx *s = CS(c);
    if (s->ends <= c->today) {
        flow_problem(c, "ends_on", "截止日期已过，请先修改截止日期",
                     "The last day has passed: change it first");
        return FLOW_INVALID;
    }
    period_check(c->db, c->today, s->ends, s->reason, c->pr, "ends_on");
    if (c->pr->n) return FLOW_INVALID;
    char d[11], now[21];
    date_format(c->today, d);
    now_iso(now);
    json_object_set_new(c->detail, "starts_on", json_string(d));
    return db_exec(c->db, "UPDATE consultations SET starts_on = ?, opened_at = ? WHERE id = ?",
                   "ssi", d, now, c->id) == DB_OK
               ? FLOW_OK
               : FLOW_DB;
}

/* 公布采纳情况: the summary text; closed_at is set when a read had not closed it yet. */
static int fx_publish(struct flow_ctx *c) {
    char now[21];
    now_iso(now);
    return db_exec(c->db,
                   "UPDATE consultations SET result_summary = ?, published_at = ?, "
                   "closed_at = COALESCE(closed_at, ?) WHERE id = ?",
                   "sssi", flow_arg_text(c, "summary"), now, now, c->id) == DB_OK
               ? FLOW_OK
               : FLOW_DB;
}

static const struct field args_publish[] = {
    {"summary", FT_LONGTEXT, "采纳情况说明", "Account of adoption", 1, 10000, F_REQUIRED,
     .hint = "概述意见总体情况、采纳情况及未采纳的主要理由，随统计结果向社会公布"},
};

#define S(i)    (1u << (i))
#define ARGS(a) a, N(a)
#define NONE    NULL, 0

static const struct flow_confirm confirm_open = {
    "发布后草案将在公开页面上接受社会公众意见，确认发布？",
    "The draft will be public and take comments from anyone. Open it?"};
static const struct flow_confirm confirm_publish = {
    "公布后统计结果、采纳情况和（脱敏后的）意见将在公开页面上展示，确认公布？",
    "The tally, the adoption account and the masked comments become public. Publish?"};

static const struct flow_transition transitions[] = {
    {"open", "发布征求意见", "Open for comment", S(CS_DRAFT), CS_OPEN, &perm_consult_work, "owns",
     0, NONE, NONE, fx_open, NONE, NULL, "primary", &confirm_open},
    {"publish", "公布采纳情况", "Publish the outcome", S(CS_CLOSED), CS_PUBLISHED,
     &perm_consult_work, "owns", 0, ARGS(args_publish), ARGS(guards_publish), fx_publish, NONE,
     NULL, "success", &confirm_publish},
};

const struct flow_kind consultation_kind = {
    .name = "consultation",
    .zh = "公开征求意见",
    .en = "Public consultation",
    .entity = "consultations",
    .table = "consultations",
    .audit_type = "consultation",
    .web_path = "/consultations",
    .perm_read = &perm_consult_view,
    .states = states,
    .n_states = CS_STATES,
    .transitions = transitions,
    .n_transitions = N(transitions),
    .relations = relations,
    .n_relations = N(relations),
    .events_table = "consultation_events",
    .events_key = "consultation_id",
    .unit_column = "unit_id",
    .title_column = "consult_no",
    .perm_work = &perm_consult_work,
    .summary_column = "title",
    .ctx_size = sizeof(struct cs_ctx),
    .load = load,
};

/* ---- closing at the period's end ---- */

static int close_ids(struct db *db, struct arena *a, const int64_t *ids, int n, int *closed) {
    struct flow_actor fa = {NULL, &system_actor};
    char now[21];
    now_iso(now);
    for (int i = 0; i < n; i++) {
        int rc = db_exec(db,
                         "UPDATE consultations SET status = 'closed', closed_at = ?, "
                         "version = version + 1, updated_at = ? WHERE id = ? AND status = 'open'",
                         "ssi", now, now, ids[i]);
        if (rc != DB_OK) return rc;
        if (db_changes(db) == 0) continue; /* another reader closed it meanwhile */
        if (flow_event_append(db, a, &fa, &consultation_kind, ids[i], "close",
                              "征求意见期限届满，自动截止", "", 0) != FLOW_OK)
            return DB_ERROR;
        rc = audit_append(db, &system_actor, "consultation.close", "consultation",
                          arena_printf(a, "%lld", (long long)ids[i]), "ok", "");
        if (rc != DB_OK) return rc;
        if (closed) (*closed)++;
    }
    return DB_OK;
}

/* The ended ones still open, at most max (arena). */
static int due_ids(struct db *db, struct arena *a, int32_t today, int max, int64_t **ids, int *n) {
    char d[11];
    date_format(today, d);
    *ids = arena_alloc(a, sizeof(int64_t) * (size_t)(max > 0 ? max : 1));
    *n = 0;
    struct db_stmt *st = db_queryv(db,
                                   "SELECT id FROM consultations WHERE status = 'open' AND "
                                   "ends_on < ? ORDER BY ends_on, id LIMIT ?",
                                   "si", d, (int64_t)max);
    if (!st) return DB_ERROR;
    int rc;
    while ((rc = db_step(st)) == DB_ROW && *n < max)
        (*ids)[(*n)++] = db_col_int(st, 0);
    db_done(st);
    return rc == DB_DONE || rc == DB_ROW ? DB_OK : rc;
}

int consult_close_due(struct db *db, struct arena *a, int32_t today, int max, int *closed) {
    if (closed) *closed = 0;
    int64_t *ids;
    int n, rc = due_ids(db, a, today, max, &ids, &n);
    if (rc != DB_OK || n == 0) return rc;
    if (db_in_tx(db)) return close_ids(db, a, ids, n, closed);
    if ((rc = db_begin(db)) != DB_OK) return rc;
    rc = close_ids(db, a, ids, n, closed);
    if (rc == DB_OK) rc = db_commit(db);
    if (rc != DB_OK) db_rollback(db);
    return rc;
}

/* The daily job: batches of CLOSE_BATCH, each its own transaction. state "<closed> more|done" */
#define CLOSE_BATCH 100

struct close_batch {
    int32_t today;
    int64_t *ids;
    int n;
    struct arena *a;
};

static int job_start(struct db *db, int32_t today, int32_t last_ok, char *state) {
    (void)db, (void)last_ok;
    snprintf(state, JOB_STATE_MAX, "0 more %d", (int)today);
    return DB_OK;
}
static int job_read(struct db *db, struct arena *a, const char *state, void **batch) {
    int closed = 0, today = 0;
    char more[8] = "";
    sscanf(state, "%d %7s %d", &closed, more, &today);
    *batch = NULL;
    if (strcmp(more, "more")) return DB_OK;
    struct close_batch *b = arena_alloc(a, sizeof *b);
    b->today = today;
    b->a = a;
    int rc = due_ids(db, a, today, CLOSE_BATCH, &b->ids, &b->n);
    if (rc == DB_OK) *batch = b;
    return rc;
}
static int job_write(struct db *db, void *batch, char *state) {
    struct close_batch *b = batch;
    int closed = 0, before = 0, today = 0;
    char more[8] = "";
    sscanf(state, "%d %7s %d", &before, more, &today);
    int rc = close_ids(db, b->a, b->ids, b->n, &closed);
    if (rc != DB_OK) return rc;
    snprintf(state, JOB_STATE_MAX, "%d %s %d", before + closed,
             b->n == CLOSE_BATCH ? "more" : "done", today);
    return DB_OK;
}
static void job_result(const char *state, char *out, size_t n) {
    int closed = 0;
    sscanf(state, "%d", &closed);
    snprintf(out, n, "closed=%d", closed);
}

const struct daily_job consult_close_job = {"consult_close", "征求意见期限届满的自动截止（分批）",
                                            job_start,       job_read,
                                            job_write,       job_result};

/* ---- the tally ---- */

static int adoption_index(const char *code) {
    for (int i = 0; i < N(adoptions); i++)
        if (!strcmp(adoptions[i].code, code)) return i;
    return 0;
}

static json_t *counts_json(const int64_t k[4]) {
    int64_t total = k[0] + k[1] + k[2] + k[3];
    return json_pack("{s:I,s:I,s:I,s:I,s:I}", "total", (json_int_t)total, "pending",
                     (json_int_t)k[0], "adopted", (json_int_t)k[1], "partly", (json_int_t)k[2],
                     "rejected", (json_int_t)k[3]);
}

#define TALLY_TOPICS_MAX 200

json_t *consult_tally_json(struct db *db, int64_t id) {
    struct {
        int64_t id;
        char name[404];
        int64_t k[4];
    } *t = calloc(TALLY_TOPICS_MAX + 1, sizeof *t);
    if (!t) return NULL;
    int n = 0, rc;
    struct db_stmt *st = db_queryv(db,
                                   "SELECT id, name FROM consultation_topics WHERE "
                                   "consultation_id = ? ORDER BY sort_order, id LIMIT ?",
                                   "ii", id, (int64_t)TALLY_TOPICS_MAX);
    if (!st) goto fail;
    while ((rc = db_step(st)) == DB_ROW) {
        t[n].id = db_col_int(st, 0);
        snprintf(t[n].name, sizeof t[n].name, "%s", db_col_text(st, 1));
        n++;
    }
    db_done(st);
    if (rc != DB_DONE) goto fail;
    int64_t all[4] = {0}, none[4] = {0};
    st = db_queryv(db,
                   "SELECT COALESCE(topic_id, 0), adoption, COUNT(*) FROM consultation_comments "
                   "WHERE consultation_id = ? GROUP BY topic_id, adoption",
                   "i", id);
    if (!st) goto fail;
    while ((rc = db_step(st)) == DB_ROW) {
        int64_t topic = db_col_int(st, 0), count = db_col_int(st, 2);
        int k = adoption_index(db_col_text(st, 1));
        all[k] += count;
        int found = 0;
        for (int i = 0; i < n && topic; i++)
            if (t[i].id == topic) t[i].k[k] += count, found = 1;
        if (!found) none[k] += count;
    }
    db_done(st);
    if (rc != DB_DONE) goto fail;
    json_t *topics = json_array();
    for (int i = 0; i < n; i++) {
        json_t *o = counts_json(t[i].k);
        json_object_set_new(o, "topic_id", json_integer(t[i].id));
        json_object_set_new(o, "name", json_string(t[i].name));
        json_array_append_new(topics, o);
    }
    if (none[0] + none[1] + none[2] + none[3]) {
        json_t *o = counts_json(none);
        json_object_set_new(o, "topic_id", json_null());
        json_object_set_new(o, "name", json_string("未分组"));
        json_array_append_new(topics, o);
    }
    free(t);
    json_t *out = counts_json(all);
    json_object_set_new(out, "topics", topics);
    return out;
fail:
    free(t);
    return NULL;
}
