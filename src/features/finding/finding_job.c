/* finding_job.c — the daily escalation of findings (升级督办). A finding under rectification
 * rises to level 1 when its task is overdue (issued or in progress past its deadline) or a
 * verification failed, to level 2 when it is overdue by more than finding.escalate_days or two
 * verifications failed. Each rise is raised once: the office (holders of finding.manage) and
 * the accounts of the unit's first responsible persons (people.user_id) are told, the finding
 * keeps the level and the time, its timeline an event `escalate` and the audit log
 * finding.escalate. Batches of 200 findings by id, two set-based queries to read, one UPDATE and
 * one INSERT … SELECT per level to write; a run written twice raises nothing twice (the level
 * only rises, and every notification's key names the finding and the level). */
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/calendar.h"
#include "base/log.h"
#include "base/timeutil.h"
#include "features/finding/finding.h"
#include "features/notify/notify.h"
#include "store/query.h"
#include "store/settings.h"

#define FINDING_JOB_BATCH 200

struct esc_run {
    int32_t today;
    int64_t after, seen, escalated;
    int escalate_days;
};

static void run_format(const struct esc_run *r, char *out, size_t n) {
    snprintf(out, n, "today=%d after=%lld seen=%lld escalated=%lld days=%d", (int)r->today,
             (long long)r->after, (long long)r->seen, (long long)r->escalated, r->escalate_days);
}
static int run_parse(const char *s, struct esc_run *r) {
    int today = 0, days = 0;
    long long after = 0, seen = 0, esc = 0;
    if (sscanf(s, "today=%d after=%lld seen=%lld escalated=%lld days=%d", &today, &after, &seen,
               &esc, &days) != 5)
        return -1;
    *r = (struct esc_run){today, after, seen, esc, days};
    return 0;
}

int finding_job_start(struct db *db, int32_t today, int32_t last_ok, char *state) {
    (void)last_ok;
    struct esc_run r = {today, 0, 0, 0, (int)setting_int(db, "finding.escalate_days")};
    run_format(&r, state, JOB_STATE_MAX);
    return DB_OK;
}

struct esc_batch {
    int n;
    int64_t ids[FINDING_JOB_BATCH], units[FINDING_JOB_BATCH];
    int level[FINDING_JOB_BATCH];
    char no[FINDING_JOB_BATCH][32];
    int overdue[FINDING_JOB_BATCH];
    int64_t failures[FINDING_JOB_BATCH];
    int64_t last;
};

/* the level a finding has reached (params: today, the level-2 day, today) */
#define LEVEL_SQL                                                                                  \
    "CASE WHEN (t.status IN ('issued', 'in_progress') AND t.due_on < ?) OR f.failures >= 2 "       \
    "THEN 2 WHEN (t.status IN ('issued', 'in_progress') AND t.due_on < ?) OR f.failures >= 1 "     \
    "THEN 1 ELSE 0 END"

int finding_job_read(struct db *db, struct arena *a, const char *state, void **batch) {
    struct esc_run r;
    *batch = NULL;
    if (run_parse(state, &r) != 0) return DB_ERROR;
    char today[11], late2[11];
    date_format(r.today, today);
    date_format(r.today - r.escalate_days, late2);
    struct db_stmt *st = db_queryv(
        db,
        "SELECT f.id, f.finding_no, f.unit_id, " LEVEL_SQL ", "
        "CASE WHEN t.status IN ('issued', 'in_progress') AND t.due_on < ? THEN 1 ELSE 0 END, "
        "f.failures FROM inspection_findings f JOIN tasks t ON t.id = f.task_id "
        "WHERE f.status = 'rectifying' AND f.id > ? AND " LEVEL_SQL " > f.escalated_level "
        "ORDER BY f.id LIMIT 200",
        "sssiss", late2, today, today, r.after, late2, today);
    if (!st) return DB_ERROR;
    struct esc_batch *b = arena_alloc(a, sizeof *b);
    memset(b, 0, sizeof *b);
    int rc;
    while ((rc = db_step(st)) == DB_ROW && b->n < FINDING_JOB_BATCH) {
        int i = b->n++;
        b->ids[i] = db_col_int(st, 0);
        snprintf(b->no[i], sizeof b->no[i], "%s", db_col_text(st, 1) ? db_col_text(st, 1) : "");
        b->units[i] = db_col_int(st, 2);
        b->level[i] = (int)db_col_int(st, 3);
        b->overdue[i] = (int)db_col_int(st, 4);
        b->failures[i] = db_col_int(st, 5);
        b->last = b->ids[i];
    }
    db_done(st);
    if (rc < 0) return rc;
    if (b->n) *batch = b;
    return DB_OK;
}

static const struct audit_actor system_actor = {0, "system", "system", 0, "local", ""};

int finding_job_write(struct db *db, void *batch, char *state) {
    struct esc_run r;
    if (run_parse(state, &r) != 0) return DB_ERROR;
    struct esc_batch *b = batch;
    struct arena *a = arena_new(1 << 16);
    char now[21];
    now_iso(now);
    int rc = DB_OK;
    /* the findings that rise, by level: one UPDATE and one INSERT … SELECT each */
    for (int level = 1; level <= 2 && rc == DB_OK; level++) {
        int64_t ids[FINDING_JOB_BATCH];
        int n = 0;
        for (int i = 0; i < b->n; i++)
            if (b->level[i] == level) ids[n++] = b->ids[i];
        if (!n) continue;
        const char *note = level == 2 ? "整改严重逾期或多次验收不通过，升级督办（二级）"
                                      : "整改逾期或验收不通过，升级督办（一级）";
        struct query q;
        query_init(&q, a,
                   "INSERT INTO finding_events (finding_id, at, actor_id, actor_name, unit_id, "
                   "action, note, detail) SELECT id, ?, NULL, 'system', NULL, 'escalate', ?, ? "
                   "FROM inspection_findings WHERE escalated_level < ? AND id");
        query_add(&q, "", "sssi", now, note, arena_printf(a, "{\"level\":%d}", level),
                  (int64_t)level);
        query_add_ids(&q, ids, n);
        struct db_stmt *st = query_prepare(db, &q);
        rc = st ? db_step(st) : DB_ERROR;
        db_done(st);
        if (rc != DB_DONE) {
            rc = DB_ERROR;
            break;
        }
        query_init(&q, a,
                   "UPDATE inspection_findings SET escalated_level = ?, escalated_at = ? "
                   "WHERE escalated_level < ? AND id");
        query_add(&q, "", "isi", (int64_t)level, now, (int64_t)level);
        query_add_ids(&q, ids, n);
        st = query_prepare(db, &q);
        rc = st ? db_step(st) : DB_ERROR;
        db_done(st);
        rc = rc == DB_DONE ? DB_OK : DB_ERROR;
    }
    /* the first responsible persons' accounts of the batch's units: one query */
    int64_t fr_unit[256], fr_user[256];
    int n_fr = 0;
    if (rc == DB_OK) {
        struct query q;
        query_init(&q, a,
                   "SELECT p.unit_id, p.user_id FROM people p JOIN users us ON us.id = p.user_id "
                   "WHERE p.is_first_responsible = 1 AND p.active = 1 AND us.locked = 0 AND "
                   "p.unit_id");
        query_add_ids(&q, b->units, b->n);
        struct db_stmt *st = query_prepare(db, &q);
        if (!st) rc = DB_ERROR;
        while (st && db_step(st) == DB_ROW && n_fr < 256) {
            fr_unit[n_fr] = db_col_int(st, 0);
            fr_user[n_fr++] = db_col_int(st, 1);
        }
        db_done(st);
    }
    /* who is told: one message per batch to the office and one per unit to its first
     * responsible person — a finding by itself, several as the list of the escalated ones —
     * never one per finding to everybody (FINDING_JOB_BATCH findings a batch at most) */
    char day[11];
    date_format(r.today, day);
    int top = 1;
    for (int i = 0; i < b->n; i++)
        if (b->level[i] > top) top = b->level[i];
    const char *key =
        arena_printf(a, "finding_escalated:%s:%lld:%d", day, (long long)b->ids[0], top);
    for (int k = -1; k < n_fr && rc == DB_OK; k++) { /* k = -1: the office */
        int n = 0, first = -1;
        struct buf nos;
        buf_init(&nos, a, 256);
        for (int i = 0; i < b->n; i++) {
            if (k >= 0 && b->units[i] != fr_unit[k]) continue;
            if (first < 0) first = i;
            if (n < 10) buf_printf(&nos, "%s%s", n ? "、" : "", b->no[i]);
            n++;
        }
        if (!n) continue;
        const char *title, *body, *link;
        if (n == 1) {
            int i = first;
            const char *why =
                b->overdue[i] && b->failures[i]
                    ? arena_printf(a, "整改逾期，且验收不通过 %lld 次", (long long)b->failures[i])
                : b->overdue[i] ? "整改任务已逾期"
                                : arena_printf(a, "验收不通过 %lld 次", (long long)b->failures[i]);
            title = arena_printf(a, "【升级督办】%s", b->no[i]);
            body = arena_printf(a, "问题 %s %s，升级为%s级督办。", b->no[i], why,
                                b->level[i] == 2 ? "二" : "一");
            link = arena_printf(a, "/inspection-findings/%lld", (long long)b->ids[i]);
        } else {
            title = arena_printf(a, "【升级督办】%d 个问题", n);
            body = arena_printf(a, "以下问题整改逾期或验收不通过，已升级督办：%s%s。", nos.data,
                                n > 10 ? arena_printf(a, " 等 %d 个", n) : "");
            link = k < 0 ? "/inspection-findings?escalated=1"
                         : arena_printf(a, "/inspection-findings?escalated=1&unit_id=%lld",
                                        (long long)fr_unit[k]);
        }
        if (k < 0)
            rc = notify_raise_perm(db, "finding.manage", "finding_escalated", title, body, link, 0,
                                   key) < 0
                     ? DB_ERROR
                     : DB_OK;
        else
            rc = notify_raise(db, fr_user[k], "finding_escalated", title, body, link, 0,
                              arena_printf(a, "%s:fr:%lld", key, (long long)fr_user[k])) < 0
                     ? DB_ERROR
                     : DB_OK;
    }
    /* one audit record per level of the batch, naming its findings */
    for (int level = 1; level <= 2 && rc == DB_OK; level++) {
        struct buf ids;
        buf_init(&ids, a, 256);
        int n = 0;
        for (int i = 0; i < b->n; i++)
            if (b->level[i] == level)
                buf_printf(&ids, "%s%lld", n++ ? "," : "", (long long)b->ids[i]);
        if (n)
            rc = audit_append(db, &system_actor, "finding.escalate", "finding", ids.data, "ok",
                              arena_printf(a, "{\"level\":%d,\"findings\":%d}", level, n));
    }
    if (rc == DB_OK) r.escalated += b->n;
    arena_free(a);
    if (rc != DB_OK) return rc;
    r.seen += b->n;
    r.after = b->last;
    run_format(&r, state, JOB_STATE_MAX);
    return DB_OK;
}

void finding_job_result(const char *state, char *out, size_t n) {
    struct esc_run r;
    if (run_parse(state, &r) == 0)
        snprintf(out, n, "findings=%lld escalated=%lld", (long long)r.seen, (long long)r.escalated);
    else
        snprintf(out, n, "?");
}
