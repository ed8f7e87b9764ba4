/* field.h — the declared type and limits of one input value, and the one validator that checks
 * JSON against them. Entity fields (entity.h) and a workflow transition's arguments (flow.h) are
 * both `struct field`, so a limit is written once and the API, the served declarations and the web
 * forms all read it from there.
 *
 * Ownership: messages live in the problems' arena (or are static); JSON handed back is a new
 * reference. */
#ifndef FAZHI_FIELD_H
#define FAZHI_FIELD_H

#include <jansson.h>
#include <stdint.h>

#include "base/arena.h"

enum field_type {
    FT_INT,
    FT_TEXT,
    FT_LONGTEXT,
    FT_DATE,     /* YYYY-MM-DD */
    FT_DATETIME, /* ISO 8601 UTC, set by the server */
    FT_BOOL,
    FT_ENUM,  /* one of `options` */
    FT_UNIT,  /* units.id; imported by name, short name or code */
    FT_USER,  /* users.id */
    FT_REF,   /* another record's id (`ref` names its entity) */
    FT_PHONE, /* personal data: sealed at rest, answered masked */
    FT_JSON,  /* a computed value (array or object) set by the decorate hook */
    FT_COUNT
};
const char *field_type_code(enum field_type t); /* "int", "text", … as served */

#define FIELD_TEXT_MAX     200  /* characters of FT_TEXT when max is 0 */
#define FIELD_LONGTEXT_MAX 4000 /* characters of FT_LONGTEXT when max is 0 */
#define FIELD_ID_MAX       (INT64_MAX / 2)

struct field_option {
    const char *code, *zh, *en;
    const char *tag; /* el-tag type ("success", "warning", "danger", "info", ""); "danger" cells
                      * are written red in exports */
};

#define F_REQUIRED 0x001 /* on create (and on update, which replaces the record) */
#define F_LIST     0x002 /* a column of the list */
#define F_FILTER   0x004 /* ?name= filter (int/unit/enum/bool/text: equality; date: name_from/to) */
#define F_SORT     0x008 /* ?sort=name|-name */
#define F_SEARCH   0x010 /* part of ?q= (LIKE, escaped) */
#define F_EXPORT   0x020 /* XLSX export column */
#define F_IMPORT   0x040 /* XLSX import column (template) */
#define F_CREATE   0x080 /* settable on create */
#define F_UPDATE   0x100 /* settable on update */
#define F_READONLY 0x200 /* computed or owned by the server (status, timestamps) */
#define F_VIRTUAL  0x400 /* not selected by the layer: the `columns` or `decorate` hook sets it */
#define F_MULTI    0x800 /* a list of values of the type (max_items); imported as "a、b,c;d" */
#define F_LABEL    0x1000 /* FT_ENUM: the answer also carries "<name>_name", the option's label */
#define F_INTERNAL 0x2000 /* selected for hooks, left out of answers and of the served fields */

struct field {
    const char *name; /* JSON key; the column `alias.name` unless `sql` */
    enum field_type type;
    const char *zh, *en; /* label (zh is the export and import header) */
    int64_t min, max;    /* text: characters; int: value; F_MULTI: see max_items */
    unsigned flags;
    const struct field_option *options; /* FT_ENUM */
    int n_options;
    const char *sql;    /* select expression instead of the column (e.g. a joined name) */
    const char *ref;    /* FT_REF: entity name; FT_JSON arrays of objects: the member exported */
    const char *search; /* F_SEARCH: the expression matched instead of the column */
    const char *import; /* F_IMPORT: the key of the column in import rows (default: name) */
    int max_items;      /* F_MULTI: at most this many values (0: 1) */
    const char *hint;   /* a short help text for forms and the template (zh), may be NULL */
    const char *dict;   /* FT_ENUM: the data dictionary (features/dict) whose items are the
                         * options; `options` are its seed and the fallback */
    const unsigned char *disabled; /* per option, set for a request (entity_resolved): a
                                    * dictionary's disabled item, readable, not offered anew */
    int decimals; /* FT_INT: a decimal with at most this many places (1 or 2), stored × 10^n as
                   * an integer (2.5 分 = 250); min/max are in the stored unit. The API takes and
                   * answers a JSON number, exports and imports write the number, the served
                   * declaration says `decimals` (min/max as numbers) */
};

/* Decimal fields (FT_INT with `decimals`): the factor 10^decimals (1 for a plain integer). */
int64_t field_scale(const struct field *f);
/* A stored value as the answer's number: an integer when whole, else a real (new reference). */
json_t *field_decimal_json(const struct field *f, int64_t stored);
/* The stored integer of an answer's value (a row as the layer answers it: a hook's w->cur):
 * a decimal field's number × 10^decimals, a plain integer as it is; 0 for null, absent or not a
 * number. f may be NULL (a plain integer). */
int64_t field_stored_int(const struct field *f, json_t *v);
/* The stored value as text with at most the field's places ("2.5", "-3", "0.05"), in buf. */
const char *field_decimal_text(const struct field *f, int64_t stored, char *buf, size_t n);
/* Text ("2.5", "2.50", "-3") → the stored integer; -1 when it is not a decimal with at most the
 * field's places. */
int field_decimal_parse(const struct field *f, const char *s, int64_t *stored);

/* What is wrong with an input: a field and its message, the first per field; and, for refusals
 * that are not about one field (a workflow guard), the answer's own message. */
#define PROBLEMS_MAX 32
struct problem {
    const char *field, *zh, *en;
};
struct problems {
    struct arena *arena; /* for formatted messages; may be NULL (then messages are generic) */
    struct problem p[PROBLEMS_MAX];
    int n;
    const char *zh, *en; /* the answer's own message, NULL for the default one */
};
/* Record a problem of `field` (only its first is kept). Strings must outlive pr. */
void problem_add(struct problems *pr, const char *field, const char *zh, const char *en);
/* 1 when field already has a problem. */
int problems_has(const struct problems *pr, const char *field);
/* {field: message} in the language (lang 0 zh-CN, 1 English), a new reference. */
json_t *problems_json(const struct problems *pr, int lang);
/* The label of option `code` in the language, or NULL when it is not one of them. */
const char *field_option_label(const struct field_option *options, int n, const char *code,
                               int lang);

/* ---- validation: the one validator of declared fields ---- */
#define FV_CREATE 0x1 /* fields with F_CREATE; F_REQUIRED ones must be there */
#define FV_UPDATE 0x2 /* fields with F_UPDATE; F_REQUIRED ones must be there */
#define FV_ALL    0x4 /* every field given (transition arguments: all are inputs) */
/* Check one value against its field: type, limits, options. Returns the value to store (new
 * reference: trimmed text, integer, boolean, array for F_MULTI) or NULL with a problem added.
 * A JSON null or absent value is handled by fields_check. */
json_t *field_value_check(const struct field *f, json_t *v, struct problems *pr);
/* Check `in` against fields[0..n) for `mode` (FV_*): every problem at once. Returns an object
 * of the checked values (only the fields the mode takes, those given; new reference). Absent
 * required fields are problems ("必填"). The flow engine checks transition arguments with it. */
json_t *fields_check(const struct field *fields, int n, json_t *in, unsigned mode,
                     struct problems *pr);
/* A trimmed copy of a JSON string (spaces, tabs, line breaks at both ends), a new reference. */
json_t *field_trimmed(json_t *v);

#endif
