/* entity.h — the entity and list layer: a static declaration of a record type (its table,
 * fields with types, labels and limits, the scope rule, filters, sorts, export and import
 * columns) drives list, get, count, create, update, delete, XLSX export and import for it.
 *
 * What the layer guarantees:
 *  - Scope cannot be forgotten. The only way to build an entity query is entity_query() (and the
 *    functions on top of it: entity_list, entity_get, entity_count, entity_count_by), and each
 *    takes a context holding the caller's principal; the layer itself appends the scope
 *    condition the declaration states. A declaration without a scope rule fails modules_init.
 *    Single reads use the same query, so a row outside the scope answers like a missing one.
 *  - One source of limits. A field's type, min/max, required flag and options drive the API's
 *    validation (entity_input_check, fields_check), the declaration served to the web
 *    (GET /api/v1/entities/{name}) and a test against the request schemas of docs/openapi.yaml.
 *  - A page is a fixed number of queries whatever its size: the count, the page (its ids chosen
 *    first, then only those rows read with their display columns), and the declaration's
 *    `decorate` hook, which must be set-based (one or a fixed few queries for the whole page).
 *
 * The routes of an entity are generated from its declaration (entity_http.c, registered by
 * modules_init from struct module's `entities`): GET path, GET path/{id}, POST path,
 * PUT path/{id}, DELETE path/{id}, GET path/export.xlsx, GET path/import-template.xlsx,
 * POST path/import and POST path/batch — each only when the declaration asks for it (a
 * permission, export or import columns, batch actions), and a module may keep its own handler
 * for one of them (ENTITY_OWN_*).
 *
 * Memory: everything handed back lives in the context's arena or is a new json_t reference the
 * caller owns (said per function). Declarations are static const tables. */
#ifndef FAZHI_ENTITY_H
#define FAZHI_ENTITY_H

#include <jansson.h>
#include <stdint.h>

#include "audit/audit.h"
#include "features/entity/field.h"
#include "auth/auth.h"
#include "base/arena.h"
#include "store/db.h"
#include "store/query.h"

#define ENTITY_N(a) ((int)(sizeof(a) / sizeof((a)[0]))) /* rows of a static table */

struct flow_kind; /* features/flow: the record's workflow, when it has one */
struct entity;
struct entity_ctx;
struct entity_request;

/* An explicit ?name= filter beyond the F_FILTER fields (other names, conditions of their own). */
struct entity_filter {
    const char *name;     /* ?name= */
    enum field_type type; /* how the value is read: FT_INT/FT_UNIT/FT_USER/FT_REF (an id),
                           * FT_TEXT (at most `max` characters), FT_ENUM (one of options),
                           * FT_BOOL, FT_DATE */
    const char *zh, *en;
    const char *sql;       /* the condition, ? = the value; FT_BOOL: applied when true */
    const char *sql_false; /* FT_BOOL: the condition when false (NULL: none) */
    int64_t max;           /* FT_TEXT: characters */
    const struct field_option *options; /* FT_ENUM */
    int n_options;                      /* … */
    int (*valid)(const char *value);    /* more checks of the value (0 = 400) */
    const char *bad_zh, *bad_en;        /* the 400's message for a bad value (or NULL) */
    /* instead of sql: append " AND …" for the value itself */
    void (*apply)(const struct entity_ctx *c, struct query *q, const char *value);
};

/* A named order beyond the F_SORT fields (?sort=name / -name). */
struct entity_sort {
    const char *name;
    const char *sql; /* ORDER BY expression (ascending) */
};

/* How the caller's data scope applies — REQUIRED, exactly one of these. */
struct entity_scope {
    const char *unit_column;  /* scope_filter on this column, e.g. "p.unit_id" */
    struct entity_unit_link { /* or: the record's units are rows of a link table */
        const char *table;    /* "task_units" */
        const char *key;      /* its column naming the record: "task_id" */
        const char *unit;     /* its unit column: "unit_id" */
    } link;
    const char *user_column; /* or: the caller's own rows (e.g. "n.user_id") */
    const char *unscoped;    /* or: every reader sees every row — and this says why */
    /* With unit_column: the rows where this column is the caller are visible too, whatever
     * their unit (a reviewer sees what is assigned to them: "e.reviewer_id"). */
    const char *assignee;
};

enum entity_purpose { EP_LIST, EP_GET, EP_EXPORT, EP_COUNT };

/* One request's view of an entity: given to every hook. */
struct entity_ctx {
    struct db *db;
    struct arena *arena;
    const struct entity *ent;
    const struct principal *who; /* the caller: never NULL (entity_ctx_init refuses) */
    int lang;                    /* 0 zh-CN, 1 en */
    enum entity_purpose purpose;
    void *state; /* the entity's own, made by its `prepare` hook (e.g. today's dates) */
};

/* A write: what the create/update/remove hooks see. Each runs inside the caller's write
 * transaction and appends its own audit record (the generic writers do for entities without
 * hooks). Return DB_OK, a DB_* error, or ENTITY_INVALID with `pr` filled (400),
 * ENTITY_FORBIDDEN with `zh`/`en` (403), ENTITY_IN_USE (409 in_use), ENTITY_CONFLICT with
 * `pr` naming the field (409 conflict). */
enum {
    ENTITY_INVALID = 10,
    ENTITY_FORBIDDEN,
    ENTITY_IN_USE,
    ENTITY_CONFLICT,
    ENTITY_NOT_FOUND,
    ENTITY_DECLINED /* a `count` hook leaves this request to the layer */
};
struct entity_write {
    const struct entity_ctx *c;
    const struct audit_actor *actor;
    int64_t id;          /* update/remove: the record; create: set by the hook */
    json_t *in;          /* the checked body: declared fields only, typed, trimmed (borrowed) */
    json_t *body;        /* the whole body as sent (borrowed; NULL for remove and import) */
    json_t *cur;         /* update/remove: the record as the caller reads it (borrowed) */
    struct problems *pr; /* ENTITY_INVALID / ENTITY_CONFLICT */
    const char *zh, *en; /* ENTITY_FORBIDDEN */
    int importing;       /* create: one row of an import */
    json_t *answer;      /* create while importing: what the import's answer tells of this row
                          * (a new reference the layer takes, e.g. an account's initial
                          * password), or NULL */
    json_t *parties;     /* an entity with parties: the checked 当事人 of the body (borrowed),
                          * written by entity_create/entity_update after the hook; NULL: none
                          * given (update: unchanged). Never part of `in` nor of audit details */
};

#define ENTITY_OWN_CREATE 0x1  /* the module routes POST path itself */
#define ENTITY_OWN_UPDATE 0x2  /* … PUT path/{id} */
#define ENTITY_OWN_DELETE 0x4  /* … DELETE path/{id} */
#define ENTITY_OWN_GET    0x8  /* … GET path/{id} */
#define ENTITY_OWN_LIST   0x10 /* … GET path (and export) */

struct entity {
    const char *name; /* "units": GET /api/v1/entities/units */
    const char *path; /* "/api/v1/units" */
    const char *zh, *en;
    const char *table, *alias; /* "units", "u" */
    const char *key;           /* the id column (default "id") */
    const char *from;          /* FROM … with JOINs for display columns; NULL = table alias */
    const char *filter_from;   /* FROM of counts and of the page's ids, when filters or sorts
                                * read joined columns; NULL = table alias (no join) */
    const struct field *fields;
    int n_fields;
    struct entity_scope scope;
    const struct entity_filter *filters; /* explicit filters (the F_FILTER fields are added) */
    int n_filters;
    const struct entity_sort *sorts; /* named orders (the F_SORT fields are added) */
    int n_sorts;
    const char *default_sort; /* "-created_at" */
    int per_page;             /* default page size (0: 20) */
    const struct perm_def *perm_read, *perm_create, *perm_update, *perm_delete; /* NULL: no route */
    const struct perm_def *perm_export; /* default perm_read (when it has export columns) */
    const struct perm_def *perm_import; /* default perm_create (when it has import columns) */
    unsigned own;                       /* ENTITY_OWN_*: routes the module keeps */
    const char *audit_type;             /* audit object type, e.g. "unit" (default name) */
    const char *audit_read;             /* reading is itself audited: this action, with the
                                         * filters, in its own transaction (e.g. audit.query) */
    const char *export_name;            /* file name stem, ASCII ("tasks") */
    const char *export_sheet;           /* sheet title (zh) */
    int export_max;                     /* rows one export writes (0: 50000) */
    int import_max;                     /* rows one import takes (0: 2000) */
    const struct flow_kind *kind;       /* workflow, or NULL */
    /* With a kind: the states in which PUT may change a record (codes, NULL-terminated; NULL:
     * the update hook decides). In any other state the layer answers 403 naming the state, and
     * the declaration serves them so the web offers 编辑 only there (草稿 of a consultation). */
    const char *const *edit_states;
    /* The data versions (store/dataver.h) of every table its list reads, at most 6, or NULL.
     * When set, list pages are kept per caller, request, language and day in a labelled cache
     * (store/cache.h): a write through this server shows at once, one elsewhere within
     * DV_CHECK_SECONDS. Never for an entity whose reads are audited. */
    const char *const *cache_deps;
    /* Its rows carry no `version` (sessions: ending one twice is ending it once): DELETE takes
     * none and claims nothing; the remove hook answers ENTITY_NOT_FOUND for a row gone
     * meanwhile. Only with perm_delete and without update routes. */
    int unversioned;
    /* ---- hooks (all optional) ---- */
    /* Make c->state for this request (e.g. today's light dates). DB_OK or < 0. */
    int (*prepare)(struct entity_ctx *c);
    /* Conditions every query of the entity gets beyond the unit scope (e.g. drafts only for
     * task.manage holders): " AND …". */
    void (*visible)(const struct entity_ctx *c, struct query *q);
    /* Extra select columns with parameters: ", expr AS name". */
    void (*columns)(const struct entity_ctx *c, struct query *q);
    /* An exact total cheaper than COUNT(*) for the requests it knows (a maintained count, a
     * covering index): DB_OK with *n, ENTITY_DECLINED to let the layer count, or < 0. It must
     * answer what entity_count would, in the caller's scope. */
    int (*count)(const struct entity_ctx *c, const struct entity_request *rq, int64_t *n);
    /* The page's ids from a cheaper query for the requests it knows (an index range that
     * holds the order): DB_OK with ids[0..n) (arena) in rq's order, ENTITY_DECLINED to let the
     * layer choose them, or < 0. The layer then reads those rows with the caller's scope and
     * visibility applied again, so a wrong answer can only shorten a page, never widen it. */
    int (*page)(const struct entity_ctx *c, const struct entity_request *rq, int64_t **ids, int *n);
    /* Set-based decoration of a page (or one record): ONE query, or a fixed few, for all the
     * items, never one per row. DB_OK or < 0. */
    int (*decorate)(const struct entity_ctx *c, json_t *items);
    /* More checks of a create/update/import row after the declared limits (database lookups,
     * cross-field rules); adds to pr. Runs even when a declared limit failed (every problem is
     * answered at once): it sees only the values that passed, in w->in. DB_OK or < 0. */
    int (*validate)(struct entity_write *w);
    int (*create)(struct entity_write *w); /* default: INSERT of the F_CREATE fields */
    /* After the record and its parties are written (the layer writes `parties` between create
     * and created): what is derived from them (信访's repeat link by a party's ID number). */
    int (*created)(struct entity_write *w);
    int (*update)(struct entity_write *w); /* default: UPDATE of the F_UPDATE fields */
    int (*remove)(struct entity_write *w); /* default: DELETE of the row */
    /* The import template's example row: one text per import column, in order (or NULL). */
    const char *const *import_example;
    /* The fields whose equal values make an imported row a likely duplicate — of a record the
     * caller reads, or of an earlier row of the same sheet (e.g. a task's title, lead unit and
     * deadline): stored columns of the table, at most ENTITY_DUP_KEY_MAX, NULL-terminated.
     * The import preview lists them and the import asks the caller to choose (skip or allow). */
    const char *const *duplicate_key;
    /* POST {path}/batch {action, ids, args}: what a selection of the list may do at once —
     * transitions of the kind (`kind`, else `batch_kind`: a module that keeps its own action
     * route) and "delete" (perm_delete, through the remove hook). NULL-terminated, or NULL: no
     * batch route. Each record is checked and written as its own action would be. */
    const char *const *batch_actions;
    const struct flow_kind *batch_kind;
    /* ---- case registers: parties, metrics, child records ---- */
    /* 当事人 of the record (entity_parties.c): sealed at rest, answered masked, findable by
     * exact ID number, revealed with a permission and a reason. NULL: the record has none. */
    const struct entity_parties *parties;
    /* Metrics computed from the records (never typed in), each answering with the records it
     * counts (features/metrics). The kind's clock gives the standard ones (by state, on time,
     * overdue, average days); these are the entity's own (纠错率, 败诉率 …). */
    const struct entity_metric *metrics;
    int n_metrics;
    const char *metric_date; /* the column that places a record in a period: "e.received_on" */
    /* The unit a record's metrics belong to, when it is not the entity's F_FILTER unit field
     * (a task's lead unit: its scope is a link table): a column on the alias ("t.lead_unit_id").
     * NULL: entity_metric_unit_column's choice. */
    const char *metric_unit;
    /* Breakdowns of the period's records by a field (NULL-terminated names, or NULL): each an
     * F_FILTER field of type FT_ENUM or FT_UNIT, so that a value's drill is the list filtered
     * by it (?<field>=<value>). The metrics answer `by: {field: [{value, label, count, drill}]}`,
     * one grouped query per field (features/metrics). Checked at registration. */
    const char *const *metric_by;
    /* Records of other entities shown (and added) on this record's page. */
    const struct entity_child *children;
    int n_children;
    /* ---- legality review: drafts ---- */
    /* Numbered text versions of the record (草案 1, 2 …: entity_versions.c), never changed once
     * written. NULL: the record has none. */
    const struct entity_versions *versions;
    /* 编号 of the records (entity_number_set), or NULL: they have none. */
    const struct entity_number *number;
    /* The field a record is called by on its page (its number, its name), for an entity whose
     * kind names none or that has no kind (NULL: the kind's title column). */
    const char *title_field;
};
#define ENTITY_DUP_KEY_MAX 4

/* ---- numbers (编号) ----
 * A register's records are numbered <prefix><year>-<id, 6 digits> (XF2026-000123): the year of
 * the record's date, the id of its row, so a number is unique without a counter and tells the
 * year at a glance. */
struct entity_number {
    const char *column; /* "petition_no" */
    const char *prefix; /* "XF" */
    /* the input field whose date gives the year when the layer inserts the record itself
     * ("decided_on"); NULL: today */
    const char *date_field;
};
/* Number record id of e: the year from `day` ("2026-…"; NULL or shorter than a year: today in
 * China Standard Time), written to e->number->column. *no: the number (arena). Inside the
 * caller's transaction. DB_OK or < 0. A record created by the layer without a create hook is
 * numbered (the year of its date_field, else today's) before its audit record is written. */
int entity_number_set(struct db *db, struct arena *a, const struct entity *e, int64_t id,
                      const char *day, const char **no);

/* attachment_ids of a write (ids: the body's or the checked input's value, NULL: none given):
 * the writer's unclaimed uploads, at most `max`, given to record w->id as `owner` (a module's
 * file owner) inside the write's transaction. Not an array or too many, an id that is not a
 * positive integer, an upload unknown or already used: a problem on attachment_ids and
 * ENTITY_INVALID. DB_OK or < 0. */
int entity_claim_files(struct entity_write *w, json_t *ids, const char *owner, int max);

/* ---- text versions (entity_versions.c) ----
 * One table, record_versions (kind, record_id, number, title, body, note, created_by,
 * created_at), for the drafts of every entity that declares `versions`. Numbers start at 1 and
 * grow by one per record; a version is never changed or removed, so a step that saw version 2
 * can always show what it saw. */
struct entity_versions {
    const char *kind;    /* stored with each version: "decision" */
    const char *zh, *en; /* what a version is called: "决策草案", "Draft" */
    int64_t max_chars;   /* a body's length limit (characters) */
};
/* Append a version of record_id: *number is its number (1 for the first). Inside the caller's
 * transaction; the caller audits. DB_OK or < 0. */
int entity_version_add(struct db *db, const struct entity_versions *d, int64_t record_id,
                       const char *title, const char *body, const char *note, int64_t user_id,
                       int64_t *number);
/* The newest version's number of record_id (0 when it has none). DB_OK or < 0. */
int entity_version_latest(struct db *db, const struct entity_versions *d, int64_t record_id,
                          int64_t *number);
/* A version's text at most: 3 bytes a character stays within a JSON body (REQUEST_BODY_MAX). */
#define ENTITY_VERSION_CHARS_MAX 200000
#define ENTITY_VERSION_TITLE_MAX 200 /* characters of a version's title */
#define ENTITY_VERSION_NOTE_MAX  500 /* characters of a version's note (what changed) */
/* The versions of record_id, newest first: [{number, title, note, chars, created_by,
 * created_by_name, created_at}] (no bodies). New reference, or NULL with *rc < 0. */
json_t *entity_versions_json(struct db *db, const struct entity_versions *d, int64_t record_id,
                             int *rc);
/* Version `number` of record_id with its body: {number, title, note, body, chars, created_by,
 * created_by_name, created_at}. New reference; NULL with *rc DB_DONE (no such version) or < 0. */
json_t *entity_version_json(struct db *db, const struct entity_versions *d, int64_t record_id,
                            int64_t number, int *rc);

/* ---- 当事人 (entity_parties.c) ----
 * One table for the parties of every register (case_parties: kind, record_id, role, and per
 * value: the sealed text, its masked form, and for ID numbers and names a keyed blind index).
 * An entity that declares `parties` takes `parties: [{role, name, id_no, phone}]` on create
 * (update: replaces them), answers them masked on get (`parties: [{id, role, role_name, name,
 * id_no, phone}]`: 张*明, 110101********1234, 138****1234), lists the masked names
 * (`party_names`), filters `?id_no=` (exact, 18 digits with a valid check digit) and exports
 * masked unless the exporter holds pii.reveal. */
struct entity_parties {
    const char *kind;                 /* stored with each party: "petition" */
    const struct field_option *roles; /* 信访人 / 被反映人, 申请人 / 被申请人 … */
    int n_roles;
    int min, max; /* parties per record (create): e.g. 1 and 20 */
};
/* Write the checked parties array ([{role, name, id_no, phone}]) of a record, replacing what it
 * had: sealed with the record's id as associated data. Inside the caller's transaction (demo
 * data too). DB_OK or < 0. */
int entity_parties_write(struct db *db, struct arena *a, const struct entity_parties *d,
                         int64_t record_id, json_t *parties);
/* The other records of d->kind with a party whose ID number equals one of record_id's parties
 * (the blind index), newest first, at most max (arena array). DB_OK or < 0. */
int entity_parties_same_person(struct db *db, struct arena *a, const struct entity_parties *d,
                               int64_t record_id, int max, int64_t **ids, int *n);

/* The layer's side of parties (entity_parties.c). */
#define ENTITY_PARTY_COL_NAME  "当事人姓名" /* import columns: the first party */
#define ENTITY_PARTY_COL_ID    "身份证号"
#define ENTITY_PARTY_COL_PHONE "联系电话"
/* Check a body's `parties` (mode FV_CREATE: absent = none; FV_UPDATE: absent = unchanged):
 * problems named parties, parties[i].role/name/id_no/phone, every one at once; *out the checked
 * array (ID numbers upper-case X; new reference) or NULL. DB_OK or ENTITY_INVALID. */
int entity_parties_check(struct arena *a, const struct entity_parties *d, json_t *v, unsigned mode,
                         struct problems *pr, json_t **out);
/* The blind index of an ID number (hex, arena), or NULL without a key. */
const char *entity_parties_id_index(struct arena *a, const char *id_no);
/* Items of a page: `party_names` (masked, joined by 、) and, for EP_GET, `parties` [{id, role,
 * role_name, name, id_no, phone}] masked: one query for the page. DB_OK or < 0. */
int entity_parties_decorate(const struct entity_ctx *c, json_t *items);
/* Export columns party_names, party_id_nos, party_phones: masked, or whole (the exporter holds
 * pii.reveal). One query per chunk. */
int entity_parties_export(const struct entity_ctx *c, json_t *items, int whole);
/* The whole value of one party's field ("name", "id_no", "phone") of record_id: DB_OK with
 * *value (arena; "" when none), DB_DONE when there is no such party, < 0. */
int entity_parties_reveal(const struct entity_ctx *c, int64_t record_id, int64_t party_id,
                          const char *field, const char **value);
/* The filters ?id_no= and ?party_name= every entity with parties takes. */
const struct entity_filter *entity_parties_filters(int *n);
/* {kind, roles:[{value,label,zh,en}], min, max, name_max, import:[{key,zh,en}]} (new ref). */
json_t *entity_parties_json(const struct entity_parties *d, int lang);
/* The first party of an import row (party_name, party_id_no, party_phone; role = the first
 * role), as a body's parties array (new reference; empty when the cells are). */
json_t *entity_parties_import_row(struct arena *a, const struct entity_parties *d, json_t *row);
extern struct perm_def perm_pii_reveal; /* pii.reveal: see personal data whole (entity module) */

/* ---- metrics (features/metrics) ---- */
enum entity_metric_type {
    METRIC_COUNT, /* records matching num */
    METRIC_RATE,  /* records matching num / records matching den (a percentage) */
    METRIC_AVG    /* the average of `value` over the records matching num */
};
struct entity_metric {
    const char *code, *zh, *en;
    enum entity_metric_type type;
    const char *num;   /* condition on the entity's alias (SQL, no parameters): counted records,
                        * or the rate's numerator; NULL = every record of the period */
    const char *den;   /* METRIC_RATE: the denominator's condition (NULL = every record) */
    const char *value; /* METRIC_AVG: the averaged expression (e.g. days) */
    const char *hint_zh, *hint_en; /* how it is defined (DOMAIN.md), shown beside the value */
};

/* The metrics of an entity with a metric_date: the standard ones of its kind first (received,
 * closed — with final states —, and with a clock: on_time, overdue, avg_days, from its first
 * clock in record_clocks), then its declared ones. 0 when it has no metric_date. */
int entity_metric_n(const struct entity *e);
const struct entity_metric *entity_metric_at(const struct entity *e, int i);
const struct entity_metric *entity_metric_find(const struct entity *e, const char *code);
/* Whether m is a standard metric counted over the kind's first clock (joined as `mrc`). */
int entity_metric_clocked(const struct entity *e, const struct entity_metric *m);
/* Append the boolean SQL expression selecting the records of m's part (no leading AND): over the
 * joined clock `mrc` when `joined` (a query that appended entity_metric_join), else through an
 * EXISTS on record_clocks. Parameters are bound (today for overdue, the kind, its clock). */
void entity_metric_expr(const struct entity_ctx *c, struct query *q, const struct entity_metric *m,
                        int part, int joined);
/* The averaged expression of a METRIC_AVG (over the joined clock for avg_days). */
const char *entity_metric_value(const struct entity_ctx *c, const struct entity_metric *m);
/* " LEFT JOIN record_clocks mrc ON …" (the kind's first clock; at most one row per record), or
 * nothing when the kind has no clock. */
void entity_metric_join(const struct entity_ctx *c, struct query *q);
/* A query driven by the kind's first clock rather than by the records (few clocks match: the
 * overdue ones, an index range): " FROM record_clocks mrc CROSS JOIN <count from>" (CROSS JOIN:
 * SQLite keeps that order), then, after the WHERE, " AND mrc.kind = ? AND mrc.clock = ? AND
 * mrc.record_id = <alias>.id". Only for an entity whose kind has a clock. */
void entity_metric_clock_first(const struct entity_ctx *c, struct query *q);
void entity_metric_clock_on(const struct entity_ctx *c, struct query *q);
/* The unit a metric filters by: the entity's F_FILTER unit field (the scope's column first). */
const char *entity_metric_unit_column(const struct entity *e, struct arena *a);
/* FROM of counts (filter_from, or the table under its alias). */
const char *entity_count_from(const struct entity_ctx *c);

/* ---- child records ---- */
struct entity_child {
    const char *entity; /* the child entity's name: "litigation_hearings" */
    const char *column; /* its F_FILTER field naming the parent record: "litigation_id" */
};

/* ---- registry (start-up, one thread) ---- */
/* Check and register a module's entities: 0, or -1 with the reason (no scope rule, two rules,
 * a field without a type's limits, a duplicate name …). */
int entity_register(const struct entity *const *ents, int n, char *err, size_t errlen);
/* Once every module has registered: each declared child names a registered entity and, as its
 * `column`, an F_FILTER field of that entity referring to the parent (FT_REF with ref = the
 * parent's name, or an FT_INT/FT_REF id). 0, or -1 with the reason. */
int entity_children_check(char *err, size_t errlen);
int entity_count_registered(void);
const struct entity *entity_at(int i);
const struct entity *entity_by_name(const char *name);

/* The page cache of an entity with cache_deps (made on first use), or NULL. */
struct cache *entity_page_cache(const struct entity *e);

/* ---- a request's context ---- */
/* DB_OK, or < 0 when the prepare hook failed; who may not be NULL (refused: DB_ERROR). */
int entity_ctx_init(struct entity_ctx *c, struct db *db, struct arena *a, const struct entity *e,
                    const struct principal *who, int lang, enum entity_purpose purpose);
/* The same with the entity's state given (its prepare hook is not run): e.g. the reminders
 * count the tasks of a past day with that day's light dates. */
int entity_ctx_with(struct entity_ctx *c, struct db *db, struct arena *a, const struct entity *e,
                    const struct principal *who, int lang, enum entity_purpose purpose,
                    void *state);

/* ---- filters ---- */
struct entity_filter_value {
    const struct field *field;         /* an F_FILTER field, or */
    const struct entity_filter *extra; /* an explicit filter */
    int upper;                         /* date fields: 0 name_from (≥), 1 name_to (≤) */
    const char *text;                  /* the value as given (ids, codes, dates, 0/1) */
};
#define ENTITY_FILTERS_MAX 24
#define ENTITY_BATCH_MAX   500 /* records one batch action or one ?ids= selection names */
/* The records a metric counts (entity_metric.c): a list asked ?metric=<code>&metric_part=num|den
 * &metric_from=&metric_to=&metric_unit=&metric_subtree=1&metric_state= opens exactly them, and
 * the metrics engine (features/metrics) counts with the same conditions. */
enum { METRIC_NUM, METRIC_DEN };
struct entity_metric_sel {
    int on;                        /* the period and unit below apply */
    const struct entity_metric *m; /* the metric (entity_metric_find), or NULL: the period only */
    int part;                      /* METRIC_NUM (its records) or METRIC_DEN (a rate's base) */
    char from[11], to[11];         /* the period on metric_date, inclusive ("" = open) */
    int64_t unit_id;               /* 0: every unit of the caller's scope */
    int subtree;                   /* 1: unit_id and every unit below it; 0: that unit only */
    const char *state;             /* only the records in this state of the kind, or NULL */
};
struct entity_request {
    struct entity_filter_value f[ENTITY_FILTERS_MAX];
    int n;
    const char *q;    /* ?q= */
    const char *sort; /* ?sort= as given ("-due_on"), or the default */
    int64_t page, per_page;
    int64_t id; /* > 0: this record only (single reads, children's parent check …) */
    int64_t ids[ENTITY_BATCH_MAX];   /* ?ids=1,2,3: these records only (a selection's export) */
    int n_ids;                       /* … 0: no such filter */
    struct entity_metric_sel metric; /* ?metric=…: a metric's records (on = 0: none) */
};
/* Read the request's filters, q, sort and page through get(cls, name) (NULL when absent). Bad
 * values are field problems (pr): the caller answers 400. DB_OK, or ENTITY_INVALID. */
int entity_request_parse(const struct entity *e, const char *(*get)(void *cls, const char *name),
                         void *cls, struct entity_request *rq, struct problems *pr);
/* The layer's own (entity_metric.c): read ?metric=… (an entity with metric_date), and append
 * its " AND …" conditions (period, unit, state, the metric's part). */
void entity_metric_parse(const struct entity *e, const char *(*get)(void *cls, const char *name),
                         void *cls, struct entity_metric_sel *s, struct problems *pr);
void entity_metric_conditions(const struct entity_ctx *c, struct query *q,
                              const struct entity_metric_sel *s);
/* Add a filter by name from code (e.g. a document's tasks: "document_id", "12"). 0, or -1 when
 * the entity has no such filter. */
int entity_request_set(const struct entity *e, struct entity_request *rq, const char *name,
                       const char *value);
/* The filters as a JSON object (name → value), for audit records of reads. New reference. */
json_t *entity_request_json(const struct entity_request *rq);

/* ---- reading: every function applies the caller's scope ---- */
enum entity_what {
    EQ_COUNT, /* SELECT COUNT(*) */
    EQ_IDS,   /* SELECT key: the page's ids (ordered, limited) */
    EQ_ROWS,  /* the full rows of the page: ids first, then those rows with their columns */
};
/* The one builder of entity SQL: SELECT … FROM … WHERE <scope> <visible> <filters> [ORDER BY
 * … LIMIT …]. rq may be NULL (no filter). */
void entity_query(const struct entity_ctx *c, struct query *q, const struct entity_request *rq,
                  enum entity_what what);
/* Append " AND …" — the caller's scope, the visibility hook, then rq's filters (may be NULL) —
 * to a query of the entity's own that selects FROM its table under its alias (counts by light,
 * digests): the scope comes with every condition, it cannot be left out. */
void entity_conditions(const struct entity_ctx *c, struct query *q,
                       const struct entity_request *rq);
/* One page: {"items":[…],"total":N} (new reference) or NULL with *rc. */
json_t *entity_list(const struct entity_ctx *c, const struct entity_request *rq, int *rc);
/* Items of the page only (no count), decorated (new reference), or NULL with *rc. */
json_t *entity_items(const struct entity_ctx *c, const struct entity_request *rq, int *rc);
/* The record in the caller's scope (new reference), or NULL: *rc DB_DONE (none, or outside the
 * scope: 404) or < 0. */
json_t *entity_get(const struct entity_ctx *c, int64_t id, int *rc);
/* The ids of the rows matching rq, in its order, at most `limit` (arena array). DB_OK or < 0. */
int entity_ids(const struct entity_ctx *c, const struct entity_request *rq, int64_t limit,
               int64_t **ids, int *n);
/* The rows ids[0..n) (n ≤ QUERY_IDS_MAX) that the caller reads, in rq's order, decorated: an
 * export writes a long list chunk by chunk. New reference, or NULL with *rc. */
json_t *entity_items_of(const struct entity_ctx *c, const struct entity_request *rq,
                        const int64_t *ids, int n, int *rc);
/* Rows matching rq in the caller's scope. DB_OK or < 0. */
int entity_count(const struct entity_ctx *c, const struct entity_request *rq, int64_t *n);
/* Counts grouped by an F_FILTER int field, for keys[0..n) (at most QUERY_IDS_MAX): counts[i]
 * for keys[i], in the caller's scope (e.g. each document's tasks the reader may see). */
int entity_count_by(const struct entity_ctx *c, const char *field, const int64_t *keys, int n,
                    int64_t *counts);
/* The ORDER BY for ?sort= (or the default): 0, or -1 when the name is not sortable. */
int entity_order(const struct entity *e, struct arena *a, const char *sort, const char **order_by);

/* Likely duplicates among an import's checked rows (json array; null = a row with problems,
 * skipped), by the declaration's duplicate_key: dup[i] = 0 none, > 0 the id of a record the
 * caller reads with the same key, < 0 -(j + 1) for an earlier row j with the same key. Existing
 * records are read with the caller's scope in one query per 1000 distinct values of the key's
 * first field (two at most for a 2000-row import), never one per row. DB_OK or < 0. */
int entity_duplicates(const struct entity_ctx *c, json_t *rows, int64_t *dup);

/* The text of a checked body's field, "" when absent or not a string (write hooks). */
const char *entity_text(json_t *in, const char *key);

/* fields_check over the entity's fields, then its validate hook. */
json_t *entity_input_check(struct entity_write *w, json_t *body, unsigned mode, int *rc);

/* ---- writing (inside the caller's write transaction) ---- */
/* Run the create/update/remove hook or the generic writer. Returns as the hooks do. */
int entity_create(struct entity_write *w);
int entity_update(struct entity_write *w);
/* w->cur's state admits no edit (entity.edit_states): 1 with w->zh/en naming the state (403). */
int entity_edit_refused(struct entity_write *w);
int entity_remove(struct entity_write *w);
/* The layer's own INSERT / UPDATE / DELETE of the declared columns with their audit record: a
 * hook that only refuses (a parent's state) does its check, then calls these. */
int entity_generic_create(struct entity_write *w);
int entity_generic_update(struct entity_write *w);
int entity_generic_remove(struct entity_write *w);

/* ---- data dictionary fields (field.dict; entity_dict.c) ---- */
enum { FO_ALL, FO_NEW }; /* every item (labels, updates) / the enabled ones (new values) */
/* The options of field f for this request: the dictionary's items when it names one, else
 * its declared options (arena or static). Never fails: a dictionary that cannot be read leaves
 * the declared options. */
const struct field_option *entity_field_options(const struct entity_ctx *c, const struct field *f,
                                                int which, int *n);
/* The entity as this request sees it: c->ent itself when no field names a dictionary, else an
 * arena copy whose dictionary fields carry entity_field_options(which). */
const struct entity *entity_resolved(const struct entity_ctx *c, int which);
/* *used = 1 when a record of any registered entity stores `code` in a field of dictionary
 * `type`. DB_OK or < 0. */
int entity_dict_in_use(struct db *db, const char *type, const char *code, int *used);

/* ---- the served declaration ---- */
/* {name, path, title, zh, en, kind, scope, default_sort, per_page, can:{…}, fields:[…],
 * filters:[…], sorts:[…]} for the caller (new reference). */
json_t *entity_declaration_json(const struct entity *e, const struct principal *who, int lang);
/* The fields of a declaration as served (also the flow engine's arguments): new reference. */
json_t *fields_json(const struct field *fields, int n, int lang);
const struct field *entity_field(const struct entity *e, const char *name);
/* The kind whose transitions the batch actions are (kind, else batch_kind), or NULL. */
const struct flow_kind *entity_batch_kind(const struct entity *e);
/* The permission a batch action needs, or NULL when the entity declares no such action. */
const struct perm_def *entity_batch_perm(const struct entity *e, const char *action);
json_t *entity_batch_json(const struct entity *e, const struct principal *who, int lang);
int entity_can_read(const struct entity *e, const struct principal *who);
/* The generic writes' verbs as the audit log (GET /api/v1/audit/names) and a record's timeline
 * name them: "<audit type>.create" → 新建 + the object's name / "Create " + its name. */
#define ENTITY_WRITE_VERBS 4
struct entity_verb {
    const char *verb, *zh, *en;
};
extern const struct entity_verb entity_write_verbs[ENTITY_WRITE_VERBS];
const struct entity_verb *entity_write_verb(const char *verb); /* NULL: not a generic write */
/* "Task" → "task" inside a sentence ("Create task"); "SMS" stays. Arena copy. */
const char *entity_en_inner(struct arena *a, const char *en);

/* Import rows. The active units' names, short names and codes are read once per import
 * (entity_unit_labels_load, arena-owned); entity_import_row turns one row's cells (text or
 * numbers, by import key) into the body the API takes — enum labels to codes, unit labels to
 * ids, "a、b,c;d" lists to arrays — adding a problem (named by the field) for a cell it cannot
 * read; the caller checks the result with entity_input_check. New reference. */
struct entity_unit_labels;
struct entity_unit_labels *entity_unit_labels_load(struct db *db, struct arena *a, int *rc);
int64_t entity_unit_by_label(const struct entity_unit_labels *u, const char *label);
/* Whether unit id exists and is active: *ok. DB_OK or < 0. */
int entity_unit_active(struct db *db, int64_t id, int *ok);
/* A write's unit w->in[field] (when given): an active unit, else the problem 单位不存在或已停用 on
 * the field; and, with scope_zh, one in the caller's data scope, else that problem. DB_OK or < 0.
 */
int entity_check_unit(struct entity_write *w, const char *field, const char *scope_zh,
                      const char *scope_en);
/* [[name, short name, code], …] of the active units, by sort order (borrowed). */
json_t *entity_unit_label_rows(const struct entity_unit_labels *u);
json_t *entity_import_row(const struct entity *e, const struct entity_unit_labels *units,
                          struct arena *a, json_t *row, struct problems *pr);
/* The key of a field in import rows. */
const char *field_import_key(const struct field *f);

#endif
