/* flow.h — the workflow engine. A *kind* (督办 task, later case registers, legality reviews …) is
 * one static declaration: its states; its transitions (from-states, to-state, who may take it as
 * a permission plus a relation to the record, a note, typed arguments with bounds, guards with a
 * message users can read, the kind's own effect, the statutory clocks the step starts, stops,
 * suspends, resumes or extends, and who is told); the parties notified; the clocks.
 *
 * flow_apply() is the only engine: it checks the input against the declaration, claims the row
 * by its version, loads the record, checks state, permission, relation and guards, runs the
 * effect, changes the state, applies the clock steps, appends the timeline event, claims the
 * attachments, raises the notifications and appends the audit record — all in the caller's
 * write transaction, which the caller commits (or rolls back when it answers an error).
 * flow_allowed() walks the same table, so the UI's buttons, GET /api/v1/kinds/{kind} and the
 * 409 answer's allowed_actions can never disagree with what the engine accepts.
 *
 * Statutory clocks are stored (record_clocks, record_clock_parts; flow_clock.c): due_on is kept
 * current at every step, recomputed when the calendar changes, and a daily job of the flow
 * module reminds the responsible unit before each deadline and on the day it is overdue.
 *
 * Registration (flow_register) happens once at start-up, in modules_init(), before any thread.
 * Ownership: declarations are static; everything an apply allocates lives in the arena given;
 * JSON returned is a new reference. */
#ifndef FAZHI_FLOW_H
#define FAZHI_FLOW_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "audit/audit.h"
#include "auth/auth.h"
#include "base/arena.h"
#include "base/clock.h"
#include "features/entity/field.h"
#include "store/db.h"

#define FLOW_STATES_MAX      32   /* states of one kind (bits of `from`) */
#define FLOW_KINDS_MAX       32   /* kinds of one installation */
#define FLOW_NOTE_MAX        4000 /* characters of a transition's note */
#define FLOW_ATTACHMENTS_MAX 20   /* attachment ids one step may claim */
#define FLOW_RECIPIENTS_MAX  64   /* units (and users) one notice reaches */

enum flow_rc {
    FLOW_OK = 0,
    FLOW_NOT_ALLOWED = 1, /* not in this state / not for this actor / a guard: 409 with allowed */
    FLOW_INVALID = 2,     /* bad input: 400 with the problems */
    FLOW_NOT_FOUND = 3,   /* no such record or action: 404 */
    FLOW_STALE = 4,       /* the version given is not the record's: 409 stale_version */
    FLOW_DB = -1,
};

/* Who acts: the signed-in user (or the command line) and what the audit log records. */
struct flow_actor {
    const struct principal *who; /* permissions, unit, scope */
    const struct audit_actor *audit;
};

struct flow_kind;
struct flow_transition;

/* What the engine knows while it decides and applies one step. A kind that needs more declares
 * its own struct with this one as its first member (flow_kind.ctx_size) and fills it in load. */
struct flow_ctx {
    struct db *db;
    struct arena *a;
    const struct flow_kind *kind;
    const struct flow_transition *t; /* the step being taken; NULL in flow_allowed */
    const struct flow_actor *actor;
    int64_t id;    /* the record */
    int32_t today; /* local day of the step */
    /* set by the kind's load */
    int status;        /* index into kind->states; -1 when the stored code is unknown */
    const char *title; /* the record's title: notifications */
    /* the input, checked against the declaration (flow_apply only) */
    json_t *args;     /* declared argument → normalised value (absent ones missing) */
    const char *note; /* "" when none */
    struct problems *pr;
    /* what the step produces */
    int new_status;   /* the transition's `to`; an effect may change it (-1: unchanged) */
    json_t *detail;   /* the timeline event's and the audit record's detail */
    int64_t event_id; /* the timeline event, once appended */
    /* the record's origin (a kind with has_origin: the record of another kind it carries out),
     * read by the engine after load; NULL / 0 when it has none */
    const struct flow_kind *origin;
    int64_t origin_id;
    /* Set when an origin's effect takes the step (flow_apply_via; a finding's 验收 closing its
     * 督办 task): on a record whose origin is this kind the step is the origin's — its own
     * transition checked who may — so the record's permission and relation are not asked
     * again, its by_origin steps are allowed, and the origin's child_step is not called back. */
    const struct flow_kind *via;
};

struct flow_state {
    const char *code, *zh, *en; /* stored code and labels */
    int final;                  /* nothing follows (done, cancelled) */
    const char *tag;            /* Element Plus tag type shown */
};

/* A transition's arguments are declared fields (features/entity/field.h): name, type, labels,
 * min/max, F_REQUIRED, options; checked by fields_check(…, FV_ALL, …). */

/* A relation of the actor to the record ("handler", "assigned unit", "lead unit acknowledged"),
 * decided on the loaded context. */
struct flow_relation {
    const char *code, *zh, *en;
    int (*holds)(const struct flow_ctx *c);
};

/* A precondition with the message shown when it is not met ("没有通过合法性审查的决策草案不能提交
 * 集体讨论"): an unmet guard leaves the action out of allowed_actions, and taking it anyway
 * answers 409 with this message. */
struct flow_guard {
    int (*ok)(const struct flow_ctx *c);
    const char *zh, *en;
};

/* Records of one kind that are still open (not in a final state) hold back a step of another
 * kind on the record they name: an open objection holds its run's 定档. Declared by the holding
 * kind (it knows its table and column; the held kind learns nothing of it), checked by the
 * engine after the held step's own guards (one indexed query per hold declared on that step),
 * refused like a guard: 409 with the message, the step left out of allowed_actions. */
struct flow_hold {
    const char *kind;   /* the held kind ("assess_run") */
    const char *action; /* its step ("finalize") */
    const char *column; /* the holding kind's table column naming the held record ("run_id") */
    struct flow_guard refusal; /* ok unused (NULL); zh/en: why the step must wait */
};

enum clock_op {
    CLOCK_START,   /* (re)start: start_on = the date, period from the declaration or its setting */
    CLOCK_STOP,    /* the closing event: stopped_on = the date (met, or late) */
    CLOCK_SUSPEND, /* 中止, hearing, 补正, appraisal: days from the date on are not counted */
    CLOCK_RESUME,  /* counting again from the date: the open suspension ends the day before */
    CLOCK_EXTEND,  /* 延长: a period added, with the note as reason and the actor as approver */
};
extern const char *const clock_op_codes[]; /* "start", "stop", … */

struct flow_clock_step {
    const char *clock; /* flow_clock_def.code */
    enum clock_op op;
    const char *arg; /* optional declared argument: FT_DATE, the step's date (default: today);
                      * CLOCK_EXTEND: FT_INT, the added period (default: extend_period) */
};

/* Who a notice reaches: units (their accounts holding the kind's perm_work, notify_raise_unit)
 * and users — or, for a party declared with `holders`, every account holding a permission. */
struct flow_recipients {
    int64_t units[FLOW_RECIPIENTS_MAX];
    int n_units;
    int64_t users[FLOW_RECIPIENTS_MAX];
    int n_users;
};
struct flow_party {
    const char *code, *zh, *en; /* "assigned_units", "lead_unit", "handler" */
    int (*find)(const struct flow_ctx *c, struct flow_recipients *out); /* DB_OK or < 0; NULL
                                                                         * with holders */
    const struct perm_def *holders; /* instead of find: the active accounts holding it (the
                                     * office: task.manage), one event (notify_raise_perm); the
                                     * actor is not told of their own step */
};
/* How often a notice is raised for one record. */
enum flow_notice_once {
    NOTICE_EACH = 0, /* every step */
    NOTICE_DAILY,    /* at most once per record, party and day (key
                      * "flow:<kind>:<notice kind>:<id>:<day>"): frequent steps such as reports */
};
/* A notification raised by a step to the party whose turn it is: "【zh】<title>", the note as its
 * body, a link to the record. */
struct flow_notice {
    const char *party; /* flow_party.code */
    const char *kind;  /* notifications.kind, e.g. "task_issued" */
    const char *zh;    /* title tag, e.g. "新任务" */
    enum flow_notice_once once;
    const char *en; /* the tag in English ("New task"), or NULL: the Chinese one */
};

struct flow_confirm {
    const char *zh, *en; /* asked before the step is taken */
};

/* A warning the step's dialog shows while a declared FT_INT argument (or, when it is left
 * empty, the record's field of the same name) is below a value — asking to close at 40%
 * progress. It warns; the engine still accepts the step. */
struct flow_warning {
    const char *arg; /* a declared FT_INT argument of the transition */
    int64_t below;   /* shown while the value is < below */
    const char *zh, *en;
};

struct flow_transition {
    const char *action, *zh, *en; /* code (URL segment) and button labels */
    unsigned from;                /* bit i = states[i] */
    int to;                       /* resulting state, -1 keeps it */
    const struct perm_def *perm;  /* who may: a permission … */
    const char *relation;         /* … and, when set, a relation to the record */
    int note_required;            /* a reason or content is mandatory */
    const struct field *args;
    int n_args;
    const struct flow_guard *guards;
    int n_guards;
    int (*effect)(struct flow_ctx *c); /* the kind's own change (FLOW_OK/INVALID/DB), or NULL */
    const struct flow_clock_step *clocks;
    int n_clocks;
    const struct flow_notice *notify; /* NULL: nobody is told (or the effect tells) */
    const char *style;                /* button: primary, success, warning, danger, info, default */
    const struct flow_confirm *confirm; /* NULL: none */
    const struct flow_warning *warn;    /* NULL: none */
    /* What the note is called when it is more than a note (调整理由, 退回原因): the dialog's
     * label and the refusal's words ("请填写调整理由"). NULL: 说明 / Note. */
    const char *note_zh, *note_en;
    /* The dialog's arguments start as the record's values of the same names (调整: the item as it
     * is, changed where the user changes it); the effect compares. Served as `prefill`. */
    int prefill;
    /* On a record whose origin closes its records itself (flow_kind.closes_children), only the
     * origin's effect takes this step (flow_apply_via): anyone else is refused with a message
     * naming the origin — a finding's task is accepted or returned by the finding's 验收. */
    int by_origin;
};

struct flow_clock_def {
    const char *code, *zh, *en; /* e.g. "decide", "办理期限" */
    int period;                 /* length in `unit` (the statutory default) */
    enum clock_unit unit;
    const char *period_setting;      /* a setting that overrides the period (*local*), or NULL */
    const char *start_zh, *start_en; /* the start event, e.g. "受理" / "accepted" */
    int remind_days;                 /* the responsible unit is reminded this many days (in
                                      * `unit`) before the due date; 0 = only when overdue */
    int extend_period;               /* CLOCK_EXTEND without an argument adds this */
    /* The record's own period and unit when it has one (e.g. by the request's type, read from
     * settings): DB_OK or < 0. NULL: `period` (or its setting) in `unit`. */
    int (*period_of)(struct db *db, int64_t record_id, int *period, enum clock_unit *unit);
    /* A setting (int) that overrides extend_period (*local*: 备案审查 +20 日), or NULL. */
    const char *extend_setting;
};

struct flow_kind {
    const char *name, *zh, *en; /* "task": GET /api/v1/kinds/task */
    const char *entity;         /* the entity whose records it moves ("tasks") */
    const char *table;          /* record table: id, status, version, updated_at */
    const char *audit_type;     /* audit object type and action prefix: "task" → task.issue */
    const char *web_path;       /* "/tasks": a record is /tasks/<id> (links) */
    const struct perm_def *perm_read; /* who may read the declaration (GET /api/v1/kinds) */
    const struct flow_state *states;
    int n_states;
    const struct flow_transition *transitions;
    int n_transitions;
    const struct flow_relation *relations;
    int n_relations;
    const struct flow_party *parties;
    int n_parties;
    const struct flow_clock_def *clocks;
    int n_clocks;
    const char *events_table, *events_key; /* the timeline and its record column, or NULL */
    const char *const *event_columns;      /* arguments also stored in a column of the same name
                                            * of events_table ("progress") */
    int n_event_columns;
    const char *file_owner; /* attachments of timeline events (attachment_ids on every step),
                             * or NULL: steps take none */
    int notify_task_id;     /* notifications carry the record as task_id (督办) */
    /* for the clock reminders (set when it has clocks): */
    const char *unit_column;          /* the record's column naming the unit that must act */
    const char *title_column;         /* the record's title column */
    const struct perm_def *perm_work; /* the unit's accounts holding it are reminded */
    /* A short text column describing the record (its matter, summary), shown where records of
     * many kinds are listed together (a campaign's items), or NULL: the title alone. */
    const char *summary_column;
    /* Records also answer blocked_actions (flow_blocked): the steps a guard refuses, with the
     * reason, shown as buttons that say why (a kind whose gates users must see). */
    int explain_guards;
    /* ---- task origin: records that carry out a record of another kind ----
     * has_origin: the table has origin_kind (a kind's name) and origin_id, written by the
     * module that creates the record for its origin (a 督办 task for a finding, a meeting's
     * resolution, a leader's 批示), never by an API body; the engine reads them with the
     * record (flow_ctx.origin). */
    int has_origin;
    /* Origin side: this kind closes its records itself — their by_origin steps (a task's 审核办结
     * and 退回) are refused on them and taken by this kind's effects through flow_apply_via. */
    int closes_children;
    /* Origin side: called inside the same transaction after a record whose origin is this one
     * took a step (not one this kind took through flow_apply_via): origin is this kind's
     * context, loaded (its actor the child step's actor, its note the child step's note);
     * child, child_id and action name the step. The hook may set origin->new_status: the engine
     * then writes the state, bumps the version and appends the timeline event and audit record
     * "<child kind>_<action>" (named by the module's audit names), detail {from, to, child_kind,
     * child_id}. FLOW_OK, or FLOW_DB / FLOW_INVALID (the child's step fails with it). */
    int (*child_step)(struct flow_ctx *origin, const struct flow_kind *child, int64_t child_id,
                      const char *action);
    /* Steps of other kinds this kind's open records hold back (struct flow_hold), or NULL. */
    const struct flow_hold *holds;
    int n_holds;
    size_t ctx_size; /* the kind's context struct (0: struct flow_ctx) */
    /* Fill the context for c->id: status, title and what relations, guards and effects read.
     * DB_ROW found, DB_DONE no such record, < 0 error. */
    int (*load)(struct flow_ctx *c);
};

/* ---- registry (start-up only) ---- */

/* Check the declaration (indices, permissions registered, names of relations, parties, clocks
 * and arguments, identifiers) and add it. 0 ok, -1 with the reason in err. */
int flow_register(const struct flow_kind *k, char *err, size_t errlen);
int flow_kind_count(void);
const char *flow_kind_name(const struct flow_kind *k); /* for holders of the opaque type */
const struct flow_kind *flow_kind_at(int i);
const struct flow_kind *flow_kind_by_name(const char *name); /* NULL when unknown */
const struct flow_transition *flow_transition_find(const struct flow_kind *k, const char *action);
int flow_state_index(const struct flow_kind *k, const char *code); /* -1 when unknown */
/* The action's label in the language; NULL when the kind has no such action. */
const char *flow_action_label(const struct flow_kind *k, const char *action, int lang);

/* ---- the engine ---- */

/* Check `in` (the action's body: version, note, attachment_ids and the declared arguments;
 * other keys are ignored) against the declaration, with no database: FLOW_OK, FLOW_INVALID with
 * the problems, FLOW_NOT_FOUND for an unknown action. flow_apply checks it again; handlers call
 * this first to answer bad input before opening a transaction. */
int flow_check_input(struct arena *a, const struct flow_kind *k, const char *action, json_t *in,
                     struct problems *pr);
/* Take `action` on record id, inside the caller's write transaction. The caller has checked that
 * the actor may see the record (its data scope). FLOW_NOT_ALLOWED sets pr->zh/en to the reason
 * (a guard's message, or "not possible now"); FLOW_INVALID records the problems. On any result
 * but FLOW_OK the caller rolls back. */
int flow_apply(struct db *db, struct arena *a, const struct flow_actor *actor,
               const struct flow_kind *k, int64_t id, const char *action, json_t *in,
               struct problems *pr);
/* The same as of local day `today` (its dates, clocks and "not after today" checks): `fazhi
 * demo --today` walks its records as of the demo's day. */
int flow_apply_on(struct db *db, struct arena *a, const struct flow_actor *actor,
                  const struct flow_kind *k, int64_t id, const char *action, json_t *in,
                  struct problems *pr, int32_t today);
/* A refused step recorded (FLOW_NOT_ALLOWED: not in this state, not this actor's to take, or a
 * guard unmet — zh/en its reason): after the caller rolled back, in its own short transaction,
 * the audit record <audit_type>.refused with the action and the reason, result "denied". The
 * attempt changes nothing else. At most one identical record (user, record, action, reason) per
 * FLOW_REFUSAL_WINDOW seconds, so a burst of retries cannot flood the log. DB_OK or < 0. */
#define FLOW_REFUSAL_WINDOW 60
int flow_refusal_audit(struct db *db, struct arena *a, const struct flow_actor *actor,
                       const struct flow_kind *k, int64_t id, const char *action, const char *zh,
                       const char *en);
/* The actions the actor may take on the record now (JSON array of codes; [] when missing). */
json_t *flow_allowed(struct db *db, const struct flow_actor *actor, const struct flow_kind *k,
                     int64_t id);

/* The actions the actor could take in the record's state but a guard refuses now, each with the
 * guard's message in the language: [{action, reason}] (a kind with explain_guards shows them,
 * so a user sees why 集体讨论决定 is not possible yet and may try it to hear the refusal). */
json_t *flow_blocked(struct db *db, const struct flow_actor *actor, const struct flow_kind *k,
                     int64_t id, int lang);

/* The record's timeline (the kind's events_table), oldest first: [{id, at, actor_id, actor_name,
 * unit_id, unit_name, action, action_name, note, detail, files}] — action_name is the
 * transition's label in the language (null for an event that is no transition: the caller names
 * it), detail the parsed JSON, files the event's attachments when the kind has a file_owner
 * ([] otherwise). Two queries whatever the length. The caller checks the record is in the
 * reader's scope. New reference, or NULL on a database error. */
json_t *flow_timeline_json(struct db *db, struct arena *a, const struct flow_kind *k, int64_t id,
                           int lang);

/* Append an event that is no transition — the record's creation ("create") — to its timeline,
 * inside the caller's write transaction: the actor, action, note and detail (JSON text or "");
 * the timeline names it as the audit log names "<audit_type>.<action>". With only_first, nothing
 * when the record has an event already (a create hook that wrote its own). FLOW_OK (also when
 * the kind keeps no timeline) or FLOW_DB. */
int flow_event_append(struct db *db, struct arena *a, const struct flow_actor *actor,
                      const struct flow_kind *k, int64_t id, const char *action, const char *note,
                      const char *detail, int only_first);
/* The record a timeline event of kind k belongs to: DB_ROW with *record_id, DB_DONE when there
 * is no such event (or the kind keeps no timeline), < 0 on error. */
int flow_event_record(struct db *db, struct arena *a, const struct flow_kind *k, int64_t event_id,
                      int64_t *record_id);

/* Records that follow a step of the record they belong to (a year's catalogue approved: its
 * items are approved with it): every record of kind k whose `column` is parent_id and whose
 * state is `from` moves to state `to` — its version bumped, a timeline event `action` (no
 * transition of k: named by the audit names, "<audit_type>.<action>") with the note, and its
 * audit record — inside the caller's write transaction (an effect of the parent's step). Set-
 * based: one UPDATE and one INSERT … SELECT for the events whatever their number, one audit
 * record each. *n: how many moved. `column` is a declared identifier, never input. FLOW_OK or
 * FLOW_DB. */
int flow_follow(struct db *db, struct arena *a, const struct flow_actor *actor,
                const struct flow_kind *k, const char *column, int64_t parent_id, int from, int to,
                const char *action, const char *note, int64_t *n);

/* An origin's effect taking a step on a record that carries it out (k has_origin; the record's
 * origin must be `origin`, else the step is the actor's own): flow_apply_on as the origin (see
 * flow_ctx.via). The body is built here: the row's version, the note
 * and `extra` (arguments; may be NULL). */
int flow_apply_via(struct db *db, struct arena *a, const struct flow_actor *actor,
                   const struct flow_kind *origin, const struct flow_kind *k, int64_t id,
                   const char *action, const char *note, json_t *extra, struct problems *pr,
                   int32_t today);
/* A record's origin as answered with it: {kind, kind_name, id, title, path} (title from the
 * origin kind's load, path <web_path>/<id>), or JSON null when it has none or the kind is not
 * registered. New reference. */
json_t *flow_origin_json(struct db *db, struct arena *a, const struct flow_actor *actor,
                         const char *origin_kind, int64_t origin_id, int lang);

/* For effects, guards and relations: the checked arguments and problems. */
const char *flow_arg_text(const struct flow_ctx *c, const char *name); /* NULL when absent */
int64_t flow_arg_int(const struct flow_ctx *c, const char *name, int64_t def);
/* A step's date argument (absent: the step's day): not later than the step's day, not before
 * `floor` (0: any). The day, or 0 with a problem on the argument — "不能晚于今天", or
 * floor_zh/floor_en saying what it may not precede. */
int32_t flow_arg_day(struct flow_ctx *c, const char *arg, int32_t floor, const char *floor_zh,
                     const char *floor_en);
int flow_arg_bool(const struct flow_ctx *c, const char *name, int def);
/* A step's unit argument: an active unit, else the problem 单位不存在或已停用 on it. FLOW_OK
 * (with or without the problem) or FLOW_DB. */
int flow_arg_unit_check(struct flow_ctx *c, const char *arg);
void flow_problem(struct flow_ctx *c, const char *field, const char *zh, const char *en);

/* ---- declarations served (GET /api/v1/kinds[/{kind}]) ---- */

json_t *flow_kind_summary_json(const struct flow_kind *k, int lang); /* {name, title, zh, en,
                                                                      * entity} */
/* The whole declaration; a clock's period is its setting's value where it has one. */
json_t *flow_kind_json(struct db *db, const struct flow_kind *k, int lang);

/* ---- statutory clocks (flow_clock.c) ---- */

/* Start clock `code` of record id on `day` outside any transition of the kind — the record's
 * creation (e.g. a request's time limit counts from the day it was received), inside the
 * caller's write transaction. FLOW_OK, FLOW_NOT_FOUND (no such clock) or FLOW_DB. */
int flow_clock_start(struct db *db, struct arena *a, const struct flow_kind *k, int64_t id,
                     const char *code, int32_t day);
/* Stop clock `code` of record id on `day` outside any transition — a period that ended before
 * the record was registered (the 60 日 to apply for 行政复议 run from the day the applicant knew
 * of the act to the day the application was received: met, or late). Inside the caller's write
 * transaction. FLOW_OK (also when the record has no such clock running: nothing to stop),
 * FLOW_NOT_FOUND (no such clock declared) or FLOW_DB. */
int flow_clock_stop(struct db *db, struct arena *a, const struct flow_kind *k, int64_t id,
                    const char *code, int32_t day);
/* The record's clocks as of `today`: [{code, label, zh, en, start_on, period, unit, due_on,
 * left, state, late, suspended_days, stopped_on, explain}] (explain in the language); NULL on a
 * database error. */
json_t *flow_clocks_json(struct db *db, struct arena *a, const struct flow_kind *k, int64_t id,
                         int32_t today, int lang);
/* The calendar changed on [from, to]: inside the writer's transaction, mark the clocks whose
 * due date may move (one UPDATE). DB_OK or < 0. */
int flow_clocks_mark(struct db *db, int32_t from, int32_t to);
/* Recompute marked clocks (and those suspended, whose due date moves daily) after *after, one
 * batch of at most FLOW_CLOCK_BATCH in its own short transaction (none may be open). *after
 * advances; *n is how many were looked at (0: none left). DB_OK or < 0. */
#define FLOW_CLOCK_BATCH 200
int flow_clocks_recompute_batch(struct db *db, int suspended_too, int64_t *after, int *n);
/* After a calendar change has committed: recompute in batches, at most FLOW_SETTLE_BATCHES of
 * them (the rest waits for the daily job). */
#define FLOW_SETTLE_BATCHES 25
void flow_clocks_settle(struct db *db);

/* The daily clock job (the flow module's "clocks"): recompute what the calendar left marked and
 * the suspended clocks, then per kind one digest per account of each responsible unit with
 * clocks reaching their reminder day (remind_days before the due date) or overdue since the
 * last run: "clock_digest:<kind>:<day>:<user>", so a batch written twice raises nothing twice. */
int flow_clock_job_start(struct db *db, int32_t today, int32_t last_ok, char *state);
int flow_clock_job_read(struct db *db, struct arena *a, const char *state, void **batch);
int flow_clock_job_write(struct db *db, void *batch, char *state);
void flow_clock_job_result(const char *state, char *out, size_t n);

#endif
