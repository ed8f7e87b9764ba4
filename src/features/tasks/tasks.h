/* tasks.h — 督办: source documents decomposed into tasks (any depth), lead and co-units, the
 * state machine (task_flow.c, one table), progress reports and the timeline, extensions,
 * urging notices, the computed status light, Excel export and import.
 *
 * Writers expect an open write transaction and append their timeline event and audit record;
 * the caller commits. Strings handed back live in the arena given. */
#ifndef FAZHI_TASKS_H
#define FAZHI_TASKS_H

#include <jansson.h>
#include <stdint.h>

#include "audit/audit.h"
#include "auth/auth.h"
#include "base/arena.h"
#include "features/entity/entity.h"
#include "features/flow/flow.h"
#include "store/db.h"
#include "store/query.h"

enum task_status {
    TS_DRAFT,
    TS_ISSUED,
    TS_IN_PROGRESS,
    TS_CLOSING,
    TS_DONE,
    TS_CANCELLED,
    TS_COUNT
};
extern const char *const task_status_codes[TS_COUNT];
int task_status_parse(const char *s); /* -1 when unknown */

/* Who acts: the signed-in user (or the CLI) and what the audit log records. */
struct task_actor {
    const struct principal *who; /* permissions, unit, scope */
    const struct audit_actor *audit;
};

struct task_input {
    const char *title, *content, *category, *responsible;
    const char *start_on, *due_on;  /* YYYY-MM-DD; start may be "" */
    const char *rhythm;             /* none|monthly|quarterly|custom */
    json_t *custom_dates;           /* array of dates (custom rhythm) or NULL */
    const char *priority;           /* normal|high|urgent */
    int64_t document_id, parent_id; /* 0 = none */
    int64_t lead_unit_id;
    int64_t co_unit_ids[32];
    int n_co;
    json_t *tags;       /* array of strings or NULL */
    json_t *milestones; /* [{title, due_on}] or NULL */
    /* The record of another kind the task carries out (a finding's rectification): a flow
     * kind's name and the record's id, set only by that kind's effect (never from an API body:
     * task_input_from_json leaves them NULL / 0). */
    const char *origin_kind;
    int64_t origin_id;
};

/* Validation result: field and message (zh, en) of the first problem per field. */
struct task_problem {
    const char *field;
    const char *zh, *en;
};
#define TASK_MAX_PROBLEMS 16
struct task_problems {
    struct task_problem p[TASK_MAX_PROBLEMS];
    int n;
};
void task_problem(struct task_problems *pr, const char *field, const char *zh, const char *en);

/* Check an input against the database (units exist, dates, parent due date …) and, when who
 * is not NULL (the command line passes NULL), against the actor's data scope: the lead unit,
 * every co-unit and the parent task must lie inside it, else they read as missing. */
void task_input_check(struct db *db, const struct principal *who, const struct task_input *in,
                      struct task_problems *pr);
int task_create(struct db *db, struct arena *a, const struct task_actor *ta,
                const struct task_input *in, int64_t *id);
int task_update_draft(struct db *db, struct arena *a, const struct task_actor *ta, int64_t id,
                      const struct task_input *in);
/* Delete a draft with its units, tags, milestones and timeline, and its audit record:
 * DB_OK, ENTITY_IN_USE when it has subtasks, or < 0. */
int task_delete_draft(struct db *db, const struct task_actor *ta, int64_t id);
/* A task's extension requests and urging notices, oldest first (new references; NULL with *rc
 * on error). The caller checks that the task is visible. */
json_t *task_extensions_json(struct db *db, int64_t id, int *rc);
json_t *task_urgings_json(struct db *db, int64_t id, int *rc);

/* State machine (task_flow.c): the arguments of task_apply. */
struct task_action_args {
    const char *note;         /* 说明 / reason */
    int progress;             /* -1 = not given */
    const char *new_due_on;   /* request_extension */
    const char *reply_due_on; /* urge ("" = default: 3 working days) */
    int64_t unit_id;          /* urge: the urged unit */
    int64_t extension_id;     /* decide_extension */
    int64_t urging_id;        /* reply_urging */
    int64_t milestone_id;     /* complete_milestone */
    int approve;              /* decide_extension */
    const int64_t *attachment_ids;
    int n_attachments;
};
/* The 督办 kind of the workflow engine (features/flow/flow.h): states, transitions, relations,
 * guards and effects. tasks_action answers through flow_apply; task_apply is the same engine for
 * the command line and the demo (the row's current version, arguments as a struct); both return
 * enum flow_rc. */
extern const struct flow_kind task_kind;
int task_action_known(const char *action);
int task_apply(struct db *db, struct arena *a, const struct task_actor *ta, int64_t task_id,
               const char *action, const struct task_action_args *args, struct task_problems *pr);
/* An origin's effect taking a step on its task (task origin, flow.h flow_apply_via): 下发,
 * 审核办结 (accept) or 退回 (return) of a finding's task by its 验收, 撤销 with the finding.
 * The note is the step's; FLOW_* as task_apply. */
int task_origin_step(struct db *db, struct arena *a, const struct flow_actor *actor,
                     const struct flow_kind *origin, int64_t task_id, const char *action,
                     const char *note, struct problems *pr, int32_t today);
/* Actions the actor may take on the task now (JSON array of codes). */
json_t *task_allowed_actions(struct db *db, const struct task_actor *ta, int64_t task_id);
const char *task_action_label(const char *action, int lang);

/* Reading. */
struct task_filter {
    const char *q, *status, *light, *category, *tag, *due_from, *due_to;
    int64_t unit_id, document_id, parent_id;
    int root, supervised, mine; /* flags */
};
/* Dates the light needs today: today and the yellow threshold (working days ahead). */
/* A task still to be done (the stats' overdue count and the list's overdue filter share it). */
#define TASK_ACTIVE_SQL "t.status IN ('issued', 'in_progress', 'closing')"

struct task_light_dates {
    char today[11];        /* YYYY-MM-DD; due before it: red */
    char yellow_until[11]; /* due on or before it: yellow (task.yellow_days working days on) */
    char
        report_until[11]; /* a report due on or before it is 待报送 (REMINDER_REPORT_WORKDAYS on) */
    int accept_days;      /* task.accept_days: a close request waiting longer is 验收超期 */
};

/* The entities (tasks_entities.c): lists, reads, export and import of tasks and documents go
 * through the entity layer, which adds the reader's scope to every query. */
extern const struct entity entity_tasks, entity_documents;

/* What a task query for counting selects. TQ_LIGHT: id, status, lead_unit_id and light only (for
 * counting by light); TQ_IDS: ids only; TQ_COUNT: COUNT(*). All apply the tasks entity's scope,
 * visibility and filters: "… WHERE 1 = 1 AND …", so the caller may append more conditions,
 * ORDER BY and LIMIT. Lists and single reads use the entity layer (entity_list, entity_get). */
enum task_select { TQ_LIGHT, TQ_IDS, TQ_COUNT, TQ_DIGEST };
/* TQ_DIGEST: id, due_on, report_due_on, status, waiting_since, light, urged (1 when an urging
 * waits for its reply past the reply date), late and report_late (1/0, the light rule's parts),
 * for counting by reason (the daily reminders' digests). */
void task_query(struct db *db, struct query *q, const struct principal *who,
                const struct task_filter *f, enum task_select what);
/* The same for the light of a given day (task_light_dates_on). */
void task_query_on(struct query *q, const struct principal *who, const struct task_filter *f,
                   enum task_select what, const struct task_light_dates *d);
/* The filter as the tasks entity's request (its filters by name): 0, or -1 when a value is not
 * one the entity takes (then the request lacks it: callers match nothing). */
int task_filter_request(const struct task_filter *f, struct arena *a, struct entity_request *rq);
/* A checked body (entity_input_check over entity_tasks) as the C input. */
void task_input_from_json(json_t *in, struct task_input *t);
/* The task as the caller reads it (its scope, 404 otherwise → NULL): with co-units, tags,
 * light reasons, milestones and allowed_actions. */
json_t *task_get_json(struct db *db, struct arena *a, const struct task_actor *ta, int64_t id,
                      int lang);
/* Append a timeline event (inside the caller's transaction). */
int task_event_add(struct db *db, const struct task_actor *ta, int64_t task_id, const char *action,
                   const char *note, int progress, const char *detail, int64_t *event_id);
int task_visible(struct db *db, const struct principal *who, int64_t id);
json_t *task_timeline_json(struct db *db, struct arena *a, int64_t id, int lang);

/* Today's (task_light_dates): cached for 30 s, and recomputed at once after settings_invalidate()
 * (a setting or the calendar changed in this process). */
int task_light_dates(struct db *db, struct task_light_dates *d);
/* The dates for local day `today` (days since 1970-01-01), computed now, not cached. 0 ok. */
int task_light_dates_on(struct db *db, int32_t today, struct task_light_dates *d);
/* The light rule as SQL over `tasks t` ("CASE … END" → 'red' | 'yellow' | 'green' | 'none'), and
 * its urging part ("CASE … END" → 1 | 0), appended with their parameters: the one place the rule
 * is written, for queries that count by light. */
void task_light_sql(struct query *q, const struct task_light_dates *d);
void task_urged_sql(struct query *q, const struct task_light_dates *d);
/* The rule's parts as conditions over `tasks t`, for counts split into index ranges (the
 * dashboard): red = active and (late or urged); yellow = not red and (due soon or report late).
 * late: due before today, or — while a request of the unit waits for the office
 * (t.waiting_since, the local day it was made) — before that day; urged: an urging unanswered
 * past its reply date; due soon: not awaiting acceptance and due by the yellow threshold (a
 * pending extension leaves it: the office may refuse); report late: not awaiting acceptance and
 * the periodic report is past its date. */
#define TASK_ACTIVE_SQL "t.status IN ('issued', 'in_progress', 'closing')"
void task_late_sql(struct query *q, const struct task_light_dates *d);
void task_urged_cond_sql(struct query *q, const struct task_light_dates *d);
void task_due_soon_sql(struct query *q, const struct task_light_dates *d);
void task_report_late_sql(struct query *q, const struct task_light_dates *d);

/* Report rhythm: the next report due date after `after` for the task's rhythm, capped at
 * due_on; "" when no more periodic report is due. */
void task_next_report_due(const char *rhythm, const char *custom_dates, int report_day,
                          const char *after, const char *due_on, char out[11]);

/* Files attached to timeline events and documents may be read by those who read the task
 * (the module's attachment owners "task_event" and "document"). */
int task_event_file_readable(struct db *db, const struct principal *who, int64_t event_id);
int task_document_file_readable(struct db *db, const struct principal *who, int64_t id);

/* Queues (待办): what waits for the caller, as the tasks entity's filter `queue=<code>`.
 * office: for holders of task.manage (待验收, 待审批延期, 待回复催办 — the last one waits for the
 * units, so it is not the office's turn); otherwise for the caller's unit (task.work). */
struct task_queue {
    const char *code, *zh, *en;
    int office;   /* 1: the office's queue; 0: the caller's unit's */
    int own_turn; /* 1: the caller must act (counted in the menu's badge) */
};
extern const struct task_queue task_queues[];
extern const int task_n_queues;
int task_queue_holds(const struct principal *who, const struct task_queue *q);
/* {items:[{code, label, zh, en, party, own_turn, count}], total, recent:[…]}: the caller's
 * queues, each counted with the tasks entity (one count query per queue the caller holds), and
 * the caller's own last steps on tasks it still reads (已办; two queries). NULL with *rc. */
json_t *task_queues_json(struct db *db, struct arena *a, const struct principal *who, int lang,
                         int *rc);

/* The module's permissions (tasks_module.c). */
extern struct perm_def perm_task_read, perm_task_manage, perm_task_work;

/* ---- the daily reminders (task_reminders.c) ----
 *
 * Per task, to the accounts (task.work) of the unit that must act, on the day a threshold is
 * crossed: due_soon (the task turns yellow by its due date), overdue (the day after the due
 * date), report_due (REMINDER_REPORT_WORKDAYS working days before a progress report is due; the
 * lead unit), urging_overdue (the day after an urging's reply date; the urged unit). Crossings
 * since the last day the job finished are caught up, at most REMINDER_CATCHUP_DAYS back.
 * Then one digest a day per account and kind: digest_unit to the task.work accounts of each unit
 * with red or yellow tasks (the counts of /tasks/mine), digest_office to the task.manage accounts
 * (the counts of /tasks in their scope). Each notification's dedup key names the task and date
 * (or the day and user), so a batch written twice raises nothing twice.
 *
 * The job runs as batches: reminders_read finds the next batch with no transaction open,
 * reminders_write raises it inside the caller's short transaction and advances the run. The run
 * (struct reminder_run) is saved as text between batches, so another server can finish it. */

#define REMINDER_CATCHUP_DAYS    7 /* a server down longer: older crossings are digest-only */
#define REMINDER_REPORT_WORKDAYS 3 /* report_due: this many working days before the date */

enum reminder_phase { RP_DUE, RP_REPORT, RP_URGING, RP_UNITS, RP_OFFICE, RP_DONE };

struct reminder_run {
    int32_t today; /* the run's local day (days since 1970-01-01) */
    int32_t from;  /* first day whose crossings are raised: the day after the last run */
    /* thresholds, fixed at the start so a resumed run decides as the first part did */
    int32_t yellow_today, yellow_before; /* yellow_until of today and of from - 1 */
    int32_t report_today, report_before; /* today / from - 1 + REMINDER_REPORT_WORKDAYS */
    int yellow_days;                     /* task.yellow_days */
    int phase;                           /* enum reminder_phase */
    int64_t after;                       /* last id done in the phase */
    int64_t seen[RP_DONE];               /* rows looked at, by phase */
    int64_t due_soon, overdue, report_due, urging_overdue, digest_unit, digest_office; /* raised */
};

/* A new run for local day `today`; last_ok is the last day a run finished (0 = never: only
 * today's crossings). Reads settings and the calendar. DB_OK or < 0. */
int reminders_start(struct db *db, int32_t today, int32_t last_ok, struct reminder_run *r);
/* The run as one line of text (job_runs.state) and back (0 ok, -1 not a run). */
void reminders_format(const struct reminder_run *r, char *out, size_t n);
int reminders_parse(const char *text, struct reminder_run *r);
/* "tasks=… due_soon=… overdue=… report_due=… urging_overdue=… digest_unit=… digest_office=…" */
void reminders_summary(const struct reminder_run *r, char *out, size_t n);

struct reminder_batch; /* lives in the arena given to reminders_read */
/* The next batch (reads only; no transaction may be open): *out, or NULL when the run is done. */
int reminders_read(struct db *db, struct arena *a, const struct reminder_run *r,
                   struct reminder_batch **out);
/* Raise the batch inside the caller's write transaction and advance r. DB_OK or < 0. */
int reminders_write(struct db *db, const struct reminder_batch *b, struct reminder_run *r);

#endif
