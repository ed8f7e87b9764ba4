/* task_reminders.c — the daily reminders (提醒) in bounded batches: per-task notifications to the
 * unit that must act on the day a threshold is crossed, and one digest a day per account and
 * kind for everything else (tasks.h explains the rules).
 *
 * Each batch reads at most a fixed number of tasks, urgings, units or accounts with set-based
 * queries (no query per row), builds its notifications in the arena, and is written by the
 * caller in one short transaction. The thresholds are fixed when the run starts and saved with
 * it, so a batch read twice (a crash before its commit, another server resuming) decides the
 * same and its dedup keys make the second write raise nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "features/calendar/calendar.h"
#include "features/notify/notify.h"
#include "features/tasks/tasks.h"
#include "store/settings.h"

#define BATCH_TASKS    200 /* tasks (or urgings) read per batch … */
#define BATCH_MESSAGES 500 /* … fewer when their notifications reach this many */
#define BATCH_UNITS    25  /* units whose digests one batch writes (~20 accounts each) */
#define BATCH_MANAGERS 200 /* task.manage accounts one batch writes */
#define CALENDAR_AFTER 400 /* days of calendar exceptions loaded after today (yellow_days ≤ 60) */
#define ACTIVE         "('issued', 'in_progress', 'closing')"

enum kind {
    K_DUE_SOON,
    K_OVERDUE,
    K_REPORT_DUE,
    K_URGING_OVERDUE,
    K_DIGEST_UNIT,
    K_DIGEST_OFFICE,
    K_COUNT
};
static const char *const kind_codes[K_COUNT] = {"due_soon",       "overdue",     "report_due",
                                                "urging_overdue", "digest_unit", "digest_office"};

struct msg_list {
    struct notify_msg *m; /* in the batch's arena */
    int n, cap;
};

struct reminder_batch {
    int next_phase;               /* the run's phase once written */
    int64_t next_after;           /* and its position */
    int64_t seen;                 /* rows this batch looked at */
    struct msg_list out[K_COUNT]; /* notifications by kind */
};

/* Who must act for a unit: its active accounts holding task.work. */
struct worker {
    int64_t id, unit_id;
    const char *email, *name;
};
struct workers {
    struct worker *w; /* ordered by unit_id, id */
    int n;
};

/* One recipient's copy of an event. The group robot (notify.webhook_url) hears of the event
 * once: key_prefix is the event's key and audience its last line ("承办单位：…"); audience NULL
 * and no_webhook 1 keep a copy out of the group (notify.h). */
static void add_msg(struct arena *a, struct reminder_batch *b, enum kind k, const struct worker *to,
                    const char *title, const char *body, const char *title_en, const char *body_en,
                    const char *link, int64_t task_id, const char *key_prefix, const char *audience,
                    int no_webhook) {
    struct msg_list *l = &b->out[k];
    if (l->n == l->cap) {
        int cap = l->cap ? l->cap * 2 : 64;
        struct notify_msg *m = arena_alloc(a, sizeof *m * (size_t)cap);
        if (l->n) memcpy(m, l->m, sizeof *m * (size_t)l->n);
        l->m = m;
        l->cap = cap;
    }
    l->m[l->n++] = (struct notify_msg){
        .user_id = to->id,
        .email = to->email,
        .name = to->name,
        .kind = kind_codes[k],
        .title = title,
        .body = body,
        .title_en = title_en,
        .body_en = body_en,
        .link = link,
        .task_id = task_id,
        .dedup_key = arena_printf(a, "%s:%lld", key_prefix, (long long)to->id),
        .event_key = key_prefix,
        .audience = audience,
        .no_webhook = no_webhook,
    };
}

static const char *text(struct arena *a, struct db_stmt *st, int col) {
    const char *s = db_col_text(st, col);
    return arena_strdup(a, s ? s : "");
}

static int32_t local_day_of(const char *iso) {
    return date_local_of_iso(iso);
}

/* The workers a query selects (WORKERS_SELECT plus its unit condition and ORDER BY u.unit_id,
 * u.id), into the arena. */
static int load_workers(struct db *db, struct arena *a, struct query *q, struct workers *out) {
    out->w = NULL;
    out->n = 0;
    struct db_stmt *st = query_prepare(db, q);
    if (!st) return DB_ERROR;
    int rc, cap = 0;
    while ((rc = db_step(st)) == DB_ROW) {
        if (out->n == cap) {
            cap = cap ? cap * 2 : 64;
            struct worker *w = arena_alloc(a, sizeof *w * (size_t)cap);
            if (out->n) memcpy(w, out->w, sizeof *w * (size_t)out->n);
            out->w = w;
        }
        out->w[out->n++] =
            (struct worker){db_col_int(st, 0), db_col_int(st, 1), text(a, st, 2), text(a, st, 3)};
    }
    db_done(st);
    return rc < 0 ? rc : DB_OK;
}

#define WORKERS_SELECT                                                                             \
    "SELECT u.id, u.unit_id, u.email, u.display_name FROM users u JOIN role_permissions rp "       \
    "ON rp.role_id = u.role_id AND rp.permission = 'task.work' WHERE u.locked = 0 "

/* The first worker of unit_id (ws is ordered by unit), or NULL. */
static const struct worker *first_worker(const struct workers *ws, int64_t unit_id) {
    int lo = 0, hi = ws->n;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (ws->w[mid].unit_id < unit_id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < ws->n && ws->w[lo].unit_id == unit_id ? &ws->w[lo] : NULL;
}

#define EACH_WORKER(ws, unit, w)                                                                   \
    for (const struct worker *w = first_worker(ws, unit);                                          \
         w && w < (ws)->w + (ws)->n && w->unit_id == (unit); w++)

/* ---- the run ---- */

int reminders_start(struct db *db, int32_t today, int32_t last_ok, struct reminder_run *r) {
    memset(r, 0, sizeof *r);
    r->today = today;
    r->from = last_ok > 0 && last_ok < today ? last_ok + 1 : today;
    if (r->from < today - REMINDER_CATCHUP_DAYS + 1) r->from = today - REMINDER_CATCHUP_DAYS + 1;
    r->yellow_days = (int)setting_int(db, "task.yellow_days");
    struct arena *a = arena_new(8192);
    struct calendar *cal = NULL;
    int rc = calendar_load(db, a, r->from - 31, today + CALENDAR_AFTER, &cal);
    if (rc == 0) {
        r->yellow_today = calendar_add_workdays(cal, today, r->yellow_days);
        r->yellow_before = calendar_add_workdays(cal, r->from - 1, r->yellow_days);
        r->report_today = calendar_add_workdays(cal, today, REMINDER_REPORT_WORKDAYS);
        r->report_before = calendar_add_workdays(cal, r->from - 1, REMINDER_REPORT_WORKDAYS);
    }
    arena_free(a);
    r->phase = RP_DUE;
    return rc == 0 ? DB_OK : DB_ERROR;
}

#define RUN_FORMAT                                                                                 \
    "v1 today=%d from=%d yt=%d yb=%d rt=%d rb=%d yd=%d phase=%d after=%lld seen=%lld,%lld,%lld,"   \
    "%lld,%lld ds=%lld od=%lld rd=%lld uo=%lld du=%lld do=%lld"

void reminders_format(const struct reminder_run *r, char *out, size_t n) {
    snprintf(out, n, RUN_FORMAT, r->today, r->from, r->yellow_today, r->yellow_before,
             r->report_today, r->report_before, r->yellow_days, r->phase, (long long)r->after,
             (long long)r->seen[0], (long long)r->seen[1], (long long)r->seen[2],
             (long long)r->seen[3], (long long)r->seen[4], (long long)r->due_soon,
             (long long)r->overdue, (long long)r->report_due, (long long)r->urging_overdue,
             (long long)r->digest_unit, (long long)r->digest_office);
}

int reminders_parse(const char *s, struct reminder_run *r) {
    memset(r, 0, sizeof *r);
    long long after, seen[RP_DONE], ds, od, rd, uo, du, dof;
    int got =
        sscanf(s ? s : "", RUN_FORMAT, &r->today, &r->from, &r->yellow_today, &r->yellow_before,
               &r->report_today, &r->report_before, &r->yellow_days, &r->phase, &after, &seen[0],
               &seen[1], &seen[2], &seen[3], &seen[4], &ds, &od, &rd, &uo, &du, &dof);
    if (got != 20 || r->phase < RP_DUE || r->phase > RP_DONE) return -1;
    r->after = after;
    for (int i = 0; i < RP_DONE; i++)
        r->seen[i] = seen[i];
    r->due_soon = ds;
    r->overdue = od;
    r->report_due = rd;
    r->urging_overdue = uo;
    r->digest_unit = du;
    r->digest_office = dof;
    return 0;
}

void reminders_summary(const struct reminder_run *r, char *out, size_t n) {
    char from[11];
    date_format(r->from, from);
    snprintf(out, n,
             "tasks=%lld due_soon=%lld overdue=%lld report_due=%lld urging_overdue=%lld "
             "digest_unit=%lld digest_office=%lld urgings=%lld units=%lld managers=%lld from=%s",
             (long long)(r->seen[RP_DUE] + r->seen[RP_REPORT]), (long long)r->due_soon,
             (long long)r->overdue, (long long)r->report_due, (long long)r->urging_overdue,
             (long long)r->digest_unit, (long long)r->digest_office, (long long)r->seen[RP_URGING],
             (long long)r->seen[RP_UNITS], (long long)r->seen[RP_OFFICE], from);
}

/* ---- per task: due soon and overdue (RP_DUE), report due (RP_REPORT) ---- */

struct candidate {
    int64_t id, unit_id;
    const char *title;
    const char *audience; /* "承办单位：<the unit's name>", for the group robot */
    int32_t date;         /* due_on, report_due_on or reply_due_on */
    int32_t issued;       /* local day of issued_at, 0 unknown */
    int64_t urging_id;    /* RP_URGING */
    int64_t cursor;       /* its id in the phase's order (task or urging) */
    int bad;              /* a date that does not parse: skipped (never stored so) */
};

/* Read up to BATCH_TASKS candidates of the phase after r->after, and the workers of their units. */
static int read_candidates(struct db *db, struct arena *a, const struct reminder_run *r,
                           struct candidate **out, int *n, struct workers *ws) {
    char lo[11], hi[11];
    struct query q, wq;
    const char *cond;
    if (r->phase == RP_DUE) {
        /* overdue since from (due on from - 1 or later), or yellow by today */
        date_format(r->from - 1, lo);
        date_format(r->yellow_today, hi);
        /* whose turn it is: nothing while awaiting acceptance; while an extension request waits
         * for the office, due soon but not overdue ("请尽快办结或申请延期": it did) */
        cond = "t.status IN ('issued', 'in_progress') AND t.due_on >= ? AND t.due_on <= ? AND "
               "(t.waiting_since IS NULL OR t.due_on >= ?)";
        query_init(&q, a,
                   "SELECT t.id, t.lead_unit_id, t.title, t.due_on, t.issued_at, 0, un.name "
                   "FROM tasks t JOIN units un ON un.id = t.lead_unit_id WHERE ");
    } else if (r->phase == RP_REPORT) {
        /* a task awaiting acceptance reports no more */
        date_format(r->from, lo);
        date_format(r->report_today, hi);
        cond = "t.status IN ('issued', 'in_progress') AND t.report_due_on >= ? AND "
               "t.report_due_on <= ?";
        query_init(&q, a,
                   "SELECT t.id, t.lead_unit_id, t.title, t.report_due_on, t.issued_at, 0, "
                   "un.name FROM tasks t JOIN units un ON un.id = t.lead_unit_id WHERE ");
    } else {
        /* the reply date passed on from - 1 … yesterday */
        date_format(r->from - 1, lo);
        date_format(r->today, hi);
        cond = "g.replied_at IS NULL AND g.reply_due_on >= ? AND g.reply_due_on < ? AND "
               "t.status IN " ACTIVE;
        query_init(&q, a,
                   "SELECT t.id, g.unit_id, t.title, g.reply_due_on, t.issued_at, g.id, un.name "
                   "FROM task_urgings g JOIN tasks t ON t.id = g.task_id "
                   "JOIN units un ON un.id = g.unit_id WHERE ");
    }
    const char *id_col = r->phase == RP_URGING ? "g.id" : "t.id";
    char today_s[11];
    date_format(r->today, today_s);
    const char *params = r->phase == RP_DUE ? "sss" : "ss"; /* RP_DUE: and today */
    query_add(&q, cond, params, lo, hi, today_s);
    query_add(&q, arena_printf(a, " AND %s > ? ORDER BY %s LIMIT ?", id_col, id_col), "ii",
              r->after, (int64_t)BATCH_TASKS);
    struct db_stmt *st = query_prepare(db, &q);
    if (!st) return DB_ERROR;
    struct candidate *c = arena_alloc(a, sizeof *c * BATCH_TASKS);
    int rc, k = 0;
    while ((rc = db_step(st)) == DB_ROW && k < BATCH_TASKS) {
        c[k].id = db_col_int(st, 0);
        c[k].unit_id = db_col_int(st, 1);
        c[k].title = text(a, st, 2);
        c[k].bad = date_parse(db_col_text(st, 3), &c[k].date) != 0;
        c[k].issued = local_day_of(db_col_text(st, 4));
        c[k].urging_id = db_col_int(st, 5);
        c[k].cursor = r->phase == RP_URGING ? c[k].urging_id : c[k].id;
        c[k].audience =
            arena_printf(a, "承办单位：%s", db_col_text(st, 6) ? db_col_text(st, 6) : "");
        k++;
    }
    db_done(st);
    if (rc < 0) return rc;
    *out = c;
    *n = k;
    if (!k) {
        ws->w = NULL;
        ws->n = 0;
        return DB_OK;
    }
    /* Their units' workers, in one query over the same rows. */
    query_init(&wq, a, WORKERS_SELECT "AND u.unit_id IN (SELECT ");
    query_add(&wq,
              r->phase == RP_URGING ? "g.unit_id FROM task_urgings g JOIN tasks t ON "
                                      "t.id = g.task_id WHERE "
                                    : "t.lead_unit_id FROM tasks t WHERE ",
              "");
    query_add(&wq, cond, params, lo, hi, today_s);
    query_add(&wq, arena_printf(a, " AND %s > ? AND %s <= ?)", id_col, id_col), "ii", r->after,
              c[k - 1].cursor);
    query_add(&wq, " ORDER BY u.unit_id, u.id", "");
    return load_workers(db, a, &wq, ws);
}

static int read_tasks(struct db *db, struct arena *a, const struct reminder_run *r,
                      struct reminder_batch *b) {
    struct candidate *c;
    int n;
    struct workers ws;
    int rc = read_candidates(db, a, r, &c, &n, &ws);
    if (rc != DB_OK) return rc;
    struct calendar *cal = NULL;
    if (r->phase == RP_DUE && n &&
        (rc = calendar_load(db, a, r->today - 1, r->today + CALENDAR_AFTER, &cal)) != 0)
        return DB_ERROR;
    char today_text[11];
    date_format(r->today, today_text);
    int done = 0; /* candidates handled */
    while (done < n) {
        const struct candidate *t = &c[done++];
        if (t->bad) continue;
        char date[11];
        date_format(t->date, date);
        /* issued after the threshold passed: its crossing is the day it was issued */
        int issued_since = t->issued >= r->from;
        const char *link = arena_printf(a, "/tasks/%lld", (long long)t->id);
        if (r->phase == RP_DUE && t->date < r->today) {
            int days = (int)(r->today - t->date);
            const char *title = arena_printf(a, "【逾期】《%s》已逾期 %d 天", t->title, days);
            const char *body =
                arena_printf(a, "任务《%s》截止日期为 %s，已逾期 %d 天，请尽快办结或申请延期。",
                             t->title, date, days);
            const char *title_en = arena_printf(a, "[Overdue] \"%s\" is %d day%s overdue", t->title,
                                                days, days == 1 ? "" : "s");
            const char *body_en = arena_printf(
                a,
                "Task \"%s\" was due on %s and is %d day%s overdue: close it or ask for more time.",
                t->title, date, days, days == 1 ? "" : "s");
            const char *key = arena_printf(a, "overdue:%lld:%s", (long long)t->id, date);
            EACH_WORKER(&ws, t->unit_id, w)
            add_msg(a, b, K_OVERDUE, w, title, body, title_en, body_en, link, t->id, key,
                    t->audience, 0);
        } else if (r->phase == RP_DUE && (t->date > r->yellow_before || issued_since)) {
            int left = calendar_count_workdays(cal, r->today, t->date);
            const char *title = arena_printf(a, "【临期】《%s》%s", t->title,
                                             t->date == r->today ? "今天到期" : "即将到期");
            const char *body =
                t->date == r->today
                    ? arena_printf(a, "任务《%s》今天（%s）到期，请抓紧办理。", t->title, date)
                    : arena_printf(a, "任务《%s》将于 %s 到期，还剩 %d 个工作日，请抓紧办理。",
                                   t->title, date, left);
            const char *title_en =
                arena_printf(a, "[Due soon] \"%s\" %s", t->title,
                             t->date == r->today ? "is due today" : "is due soon");
            const char *body_en =
                t->date == r->today
                    ? arena_printf(a, "Task \"%s\" is due today (%s).", t->title, date)
                    : arena_printf(a, "Task \"%s\" is due on %s, in %d working day%s.", t->title,
                                   date, left, left == 1 ? "" : "s");
            const char *key = arena_printf(a, "due_soon:%lld:%s", (long long)t->id, date);
            EACH_WORKER(&ws, t->unit_id, w)
            add_msg(a, b, K_DUE_SOON, w, title, body, title_en, body_en, link, t->id, key,
                    t->audience, 0);
        } else if (r->phase == RP_REPORT && (t->date > r->report_before || issued_since)) {
            int missed = t->date < r->today;
            const char *title = arena_printf(a, "【报送提醒】《%s》%s", t->title,
                                             missed ? "进展未按期报送" : "请按期报送进展");
            const char *body =
                missed
                    ? arena_printf(a, "任务《%s》本期进展应于 %s 前报送，至今未报送，请尽快报送。",
                                   t->title, date)
                    : arena_printf(a, "任务《%s》本期进展请于 %s 前报送。", t->title, date);
            const char *title_en =
                arena_printf(a, "[Report due] \"%s\" %s", t->title,
                             missed ? "progress report is late" : "progress report due");
            const char *body_en =
                missed
                    ? arena_printf(a,
                                   "The progress report of task \"%s\" was due by %s and has "
                                   "not been made: report as soon as possible.",
                                   t->title, date)
                    : arena_printf(a, "Report the progress of task \"%s\" by %s.", t->title, date);
            const char *key = arena_printf(a, "report_due:%lld:%s", (long long)t->id, date);
            EACH_WORKER(&ws, t->unit_id, w)
            add_msg(a, b, K_REPORT_DUE, w, title, body, title_en, body_en, link, t->id, key,
                    t->audience, 0);
        } else if (r->phase == RP_URGING) {
            const char *title = arena_printf(a, "【催办未回复】《%s》", t->title);
            const char *body =
                arena_printf(a, "任务《%s》的催办通知要求于 %s 前回复，至今未回复，请尽快回复。",
                             t->title, date);
            const char *key =
                arena_printf(a, "urging_overdue:%lld:%s", (long long)t->urging_id, date);
            const char *title_en = arena_printf(a, "[Urging unanswered] \"%s\"", t->title);
            const char *body_en = arena_printf(
                a,
                "The urging notice on task \"%s\" asked for a reply by %s: reply as soon as "
                "possible.",
                t->title, date);
            EACH_WORKER(&ws, t->unit_id, w)
            add_msg(a, b, K_URGING_OVERDUE, w, title, body, title_en, body_en, link, t->id, key,
                    t->audience, 0);
        }
        int msgs = 0;
        for (int k = 0; k < K_COUNT; k++)
            msgs += b->out[k].n;
        if (msgs >= BATCH_MESSAGES) break; /* the rest in the next batch */
    }
    b->seen = done;
    if (done) b->next_after = c[done - 1].cursor;
    if (done == n && n < BATCH_TASKS) { /* the phase is done */
        b->next_phase = r->phase + 1;
        b->next_after = 0;
    }
    return DB_OK;
}

/* ---- digests ---- */

struct counts {
    int64_t red, yellow;                                        /* by light: the lists' sizes */
    int64_t due_today, overdue, due_soon, urged, report_missed; /* by reason */
    int64_t accept_late; /* awaiting acceptance longer than task.accept_days (the office's) */
};

/* The sums over x (a row per active task: due_on, status, waiting_since, light, urged, late,
 * report_late — the light rule's parts, tasks.h); 4 parameters. A task awaiting acceptance is
 * neither due today nor due soon for its unit. */
#define COUNTS_SQL                                                                                 \
    "SUM(CASE WHEN x.light = 'red' THEN 1 ELSE 0 END), "                                           \
    "SUM(CASE WHEN x.light = 'yellow' THEN 1 ELSE 0 END), "                                        \
    "SUM(CASE WHEN x.status <> 'closing' AND x.due_on = ? THEN 1 ELSE 0 END), "                    \
    "SUM(x.late), "                                                                                \
    "SUM(CASE WHEN x.status <> 'closing' AND x.due_on > ? AND x.due_on <= ? THEN 1 ELSE 0 "        \
    "END), "                                                                                       \
    "SUM(x.urged), SUM(x.report_late), "                                                           \
    "SUM(CASE WHEN x.status = 'closing' AND x.waiting_since < ? THEN 1 ELSE 0 END)"

/* accept_before: the local day before which a close request waits too long (today minus
 * task.accept_days). */
static void counts_sql(struct query *q, const struct task_light_dates *d,
                       const char *accept_before) {
    query_add(q, COUNTS_SQL, "ssss", d->today, d->today, d->yellow_until, accept_before);
}

static void counts_read(struct db_stmt *st, int first, struct counts *c) {
    int64_t *f[] = {&c->red,      &c->yellow, &c->due_today,     &c->overdue,
                    &c->due_soon, &c->urged,  &c->report_missed, &c->accept_late};
    for (int i = 0; i < 8; i++)
        *f[i] = db_col_int(st, first + i);
}

/* "今日到期 2 项、逾期 3 项…" / "2 due today, 3 overdue…" — the reasons worth a look, in the
 * order a clerk acts on them; one table for both languages, so both name the same reasons. */
static const char *reasons_text_in(struct arena *a, const struct counts *c, int en) {
    const struct {
        int64_t n;
        const char *zh, *en;
    } parts[] = {{c->due_today, "今日到期", "due today"},
                 {c->overdue, "逾期", "overdue"},
                 {c->due_soon, "临期", "due soon"},
                 {c->urged, "催办超期未回复", "with an urging unanswered"},
                 {c->report_missed, "进展未按期报送", "with a progress report late"},
                 {c->accept_late, "验收超期", "waiting too long for acceptance"}};
    const char *s = "";
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        if (!parts[i].n) continue;
        s = en ? arena_printf(a, "%s%s%lld %s", s, *s ? ", " : "", (long long)parts[i].n,
                              parts[i].en)
               : arena_printf(a, "%s%s%lld 项%s%s", s, *s ? "、" : "", (long long)parts[i].n,
                              *s ? "" : "任务", parts[i].zh);
    }
    return s;
}

static const char *reasons_text(struct arena *a, const struct counts *c) {
    return reasons_text_in(a, c, 0);
}

static const char *reasons_text_en(struct arena *a, const struct counts *c) {
    return reasons_text_in(a, c, 1);
}

static const char *digest_body_en(struct arena *a, const struct reminder_run *r,
                                  const struct counts *c, const char *list) {
    char today[11];
    date_format(r->today, today);
    return arena_printf(a,
                        "As of %s: %lld red (overdue or an urging unanswered), %lld yellow (due "
                        "within %d working days or a progress report late). Open the %s.",
                        today, (long long)c->red, (long long)c->yellow, r->yellow_days, list);
}

static const char *digest_body(struct arena *a, const struct reminder_run *r,
                               const struct counts *c, const char *list) {
    char today[11];
    date_format(r->today, today);
    return arena_printf(a,
                        "截至 %s：红灯 %lld 项（逾期或催办超期未回复），黄灯 %lld 项（%d "
                        "个工作日内到期或进展未按期报送）。点击查看%s。",
                        today, (long long)c->red, (long long)c->yellow, r->yellow_days, list);
}

static int read_units(struct db *db, struct arena *a, const struct reminder_run *r,
                      struct reminder_batch *b) {
    /* the next BATCH_UNITS units */
    int64_t last = 0, n_units = 0;
    struct db_stmt *st = db_queryv(db, "SELECT id FROM units WHERE id > ? ORDER BY id LIMIT ?",
                                   "ii", r->after, (int64_t)BATCH_UNITS);
    if (!st) return DB_ERROR;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        last = db_col_int(st, 0);
        n_units++;
    }
    db_done(st);
    if (rc < 0) return rc;
    b->seen = n_units;
    b->next_after = last;
    if (n_units < BATCH_UNITS) {
        b->next_phase = RP_OFFICE;
        b->next_after = 0;
    }
    if (!n_units) return DB_OK;

    /* their counts: what /tasks/mine lists for the unit's clerks (task_units: lead or co) */
    struct task_light_dates d;
    date_format(r->today, d.today);
    date_format(r->yellow_today, d.yellow_until);
    struct query q;
    query_init(&q, a, "SELECT x.unit_id, ");
    counts_sql(&q, &d, ""); /* acceptance is the office's: nothing is before "" */
    query_add(&q, " FROM (SELECT tu.unit_id, t.due_on, t.report_due_on, t.status, ", "");
    query_add(&q, "t.waiting_since, ", "");
    task_light_sql(&q, &d);
    query_add(&q, " AS light, ", "");
    task_urged_sql(&q, &d);
    query_add(&q, " AS urged, CASE WHEN ", "");
    task_late_sql(&q, &d);
    query_add(&q, " THEN 1 ELSE 0 END AS late, CASE WHEN ", "");
    task_report_late_sql(&q, &d);
    query_add(
        &q,
        " THEN 1 ELSE 0 END AS report_late FROM task_units tu JOIN tasks t ON t.id = tu.task_id "
        "WHERE tu.unit_id > ? AND tu.unit_id <= ? AND t.status IN " ACTIVE
        ") x GROUP BY x.unit_id ORDER BY x.unit_id",
        "ii", r->after, last);
    st = query_prepare(db, &q);
    if (!st) return DB_ERROR;
    int64_t *unit_ids = arena_alloc(a, sizeof(int64_t) * (size_t)n_units);
    struct counts *uc = arena_alloc(a, sizeof(struct counts) * (size_t)n_units);
    int n = 0;
    while ((rc = db_step(st)) == DB_ROW && n < n_units) {
        unit_ids[n] = db_col_int(st, 0);
        counts_read(st, 1, &uc[n]);
        if (uc[n].red + uc[n].yellow > 0) n++;
    }
    db_done(st);
    if (rc < 0) return rc;
    if (!n) return DB_OK;

    struct workers ws;
    struct query wq;
    query_init(&wq, a, WORKERS_SELECT);
    query_add(&wq, "AND u.unit_id > ? AND u.unit_id <= ? ORDER BY u.unit_id, u.id", "ii", r->after,
              last);
    if ((rc = load_workers(db, a, &wq, &ws)) != DB_OK) return rc;
    char today[11];
    date_format(r->today, today);
    for (int i = 0; i < n; i++) {
        const struct counts *c = &uc[i];
        const char *title = arena_printf(a, "【每日提醒】你单位有 %s", reasons_text(a, c));
        const char *body = digest_body(a, r, c, c->red ? "红灯任务" : "黄灯任务");
        const char *link = c->red ? "/tasks/mine?light=red" : "/tasks/mine?light=yellow";
        const char *key = arena_printf(a, "digest_unit:%s", today);
        /* a clerk's own to-do list: inbox and e-mail, not the group (the office digest is) */
        const char *title_en =
            arena_printf(a, "[Daily reminder] Your unit's tasks: %s", reasons_text_en(a, c));
        const char *body_en = digest_body_en(a, r, c, c->red ? "red tasks" : "yellow tasks");
        EACH_WORKER(&ws, unit_ids[i], w)
        add_msg(a, b, K_DIGEST_UNIT, w, title, body, title_en, body_en, link, 0, key, NULL, 1);
    }
    return DB_OK;
}

/* The office's digest: for each task.manage account, the counts of the task list in its scope.
 * Accounts sharing a scope (the same role scope and, unless it is "all", the same unit) share
 * one count query. */
static int read_office(struct db *db, struct arena *a, const struct reminder_run *r,
                       struct reminder_batch *b) {
    struct manager {
        struct worker w;
        int64_t role_id;
        const char *scope;
        int group; /* index into groups */
    } *m = arena_alloc(a, sizeof *m * BATCH_MANAGERS);
    struct db_stmt *st = db_queryv(
        db,
        "SELECT u.id, u.unit_id, u.email, u.display_name, u.role_id, ro.scope FROM users u "
        "JOIN roles ro ON ro.id = u.role_id JOIN role_permissions rp ON rp.role_id = u.role_id "
        "AND rp.permission = 'task.manage' WHERE u.locked = 0 AND u.id > ? ORDER BY u.id LIMIT ?",
        "ii", r->after, (int64_t)BATCH_MANAGERS);
    if (!st) return DB_ERROR;
    int rc, n = 0;
    while ((rc = db_step(st)) == DB_ROW && n < BATCH_MANAGERS) {
        m[n].w =
            (struct worker){db_col_int(st, 0), db_col_int(st, 1), text(a, st, 2), text(a, st, 3)};
        m[n].role_id = db_col_int(st, 4);
        m[n].scope = text(a, st, 5);
        n++;
    }
    db_done(st);
    if (rc < 0) return rc;
    b->seen = n;
    if (n) b->next_after = m[n - 1].w.id;
    if (n < BATCH_MANAGERS) {
        b->next_phase = RP_DONE;
        b->next_after = 0;
    }
    struct task_light_dates d;
    date_format(r->today, d.today);
    date_format(r->yellow_today, d.yellow_until);
    char accept_before[11];
    date_format(r->today - (int32_t)setting_int(db, "task.accept_days"), accept_before);
    struct counts *gc = arena_alloc(a, sizeof *gc * (size_t)(n ? n : 1));
    int *g_all = arena_alloc(a, sizeof(int) * (size_t)(n ? n : 1));
    int groups = 0;
    for (int i = 0; i < n; i++) {
        int all = !strcmp(m[i].scope, "all"), g = -1;
        for (int j = 0; j < i && g < 0; j++)
            if (m[j].role_id == m[i].role_id && (all || m[j].w.unit_id == m[i].w.unit_id))
                g = m[j].group;
        if (g >= 0) {
            m[i].group = g;
            continue;
        }
        struct principal p;
        if ((rc = principal_load(db, a, m[i].w.id, &p)) != DB_ROW) return rc < 0 ? rc : DB_ERROR;
        struct query q;
        struct task_filter f = {0};
        query_init(&q, a, "SELECT ");
        counts_sql(&q, &d, accept_before);
        query_add(&q, " FROM (", "");
        task_query_on(&q, &p, &f, TQ_DIGEST, &d);
        query_add(&q, " AND t.status IN " ACTIVE ") x", "");
        st = query_prepare(db, &q);
        rc = st ? db_step(st) : DB_ERROR;
        if (rc == DB_ROW) counts_read(st, 0, &gc[groups]);
        db_done(st);
        if (rc != DB_ROW) return rc < 0 ? rc : DB_ERROR;
        g_all[groups] = p.scope == SCOPE_ALL;
        m[i].group = groups++;
    }
    char today[11];
    date_format(r->today, today);
    for (int i = 0; i < n; i++) {
        const struct counts *c = &gc[m[i].group];
        if (c->red + c->yellow + c->accept_late == 0) continue;
        const char *title =
            arena_printf(a, "【督办日报】%s有 %s",
                         g_all[m[i].group] ? "全部督办任务中" : "你负责范围内", reasons_text(a, c));
        const char *body = digest_body(a, r, c, c->red ? "红灯任务清单" : "黄灯任务清单");
        if (c->accept_late)
            body = arena_printf(a, "%s其中 %lld 项申请办结已等待验收超过 %lld 天，请及时验收。",
                                body, (long long)c->accept_late,
                                (long long)setting_int(db, "task.accept_days"));
        const char *link = c->red      ? "/tasks?light=red"
                           : c->yellow ? "/tasks?light=yellow"
                                       : "/tasks/mine?queue=accept";
        /* The group hears the district-wide digest once a day: the copies of every account
         * whose scope is all are one event; a narrower scope's digest stays personal. */
        const char *title_en = arena_printf(a, "[Daily report] %s: %s",
                                            g_all[m[i].group] ? "All tasks" : "Tasks in your scope",
                                            reasons_text_en(a, c));
        const char *body_en =
            digest_body_en(a, r, c, c->red ? "list of red tasks" : "list of yellow tasks");
        add_msg(a, b, K_DIGEST_OFFICE, &m[i].w, title, body, title_en, body_en, link, 0,
                arena_printf(a, "digest_office:%s", today), NULL, !g_all[m[i].group]);
    }
    return DB_OK;
}

int reminders_read(struct db *db, struct arena *a, const struct reminder_run *r,
                   struct reminder_batch **out) {
    *out = NULL;
    if (r->phase >= RP_DONE) return DB_OK;
    struct reminder_batch *b = arena_alloc(a, sizeof *b);
    memset(b, 0, sizeof *b);
    b->next_phase = r->phase;
    b->next_after = r->after;
    int rc = r->phase <= RP_URGING  ? read_tasks(db, a, r, b)
             : r->phase == RP_UNITS ? read_units(db, a, r, b)
                                    : read_office(db, a, r, b);
    if (rc != DB_OK) return rc;
    *out = b;
    return DB_OK;
}

int reminders_write(struct db *db, const struct reminder_batch *b, struct reminder_run *r) {
    int64_t *counter[K_COUNT] = {&r->due_soon,       &r->overdue,     &r->report_due,
                                 &r->urging_overdue, &r->digest_unit, &r->digest_office};
    int64_t raised[K_COUNT];
    for (int k = 0; k < K_COUNT; k++) {
        int rc = notify_raise_batch(db, b->out[k].m, b->out[k].n);
        if (rc < 0) return rc;
        raised[k] = rc;
    }
    /* Only once every write succeeded: the caller may roll back and read the batch again. */
    for (int k = 0; k < K_COUNT; k++)
        *counter[k] += raised[k];
    r->seen[r->phase] += b->seen;
    r->phase = b->next_phase;
    r->after = b->next_after;
    return DB_OK;
}
