/* field.h — the declared type and limits of one input value, and the one validator that checks a
 * JSON value against them. A kind's transition arguments (flow.h) are declared with these types;
 * the entity layer's fields use the same types, options and problems, so a limit is written once
 * and the API, the served declaration and the web forms all read it from there.
 *
 * Ownership: messages and normalised values live in the arena passed in; JSON handed back is a
 * new reference. */
#ifndef FAZHI_FIELD_H
#define FAZHI_FIELD_H

#include <jansson.h>
#include <stdint.h>

#include "base/arena.h"

enum field_type {
    FT_INT,      /* integer within [min, max] */
    FT_TEXT,     /* one line of text: min..max characters (max 0: FIELD_TEXT_MAX) */
    FT_LONGTEXT, /* text with line breaks: min..max characters (max 0: FIELD_LONGTEXT_MAX) */
    FT_DATE,     /* "YYYY-MM-DD", a real date */
    FT_DATETIME, /* "YYYY-MM-DDTHH:MM:SSZ" (UTC) */
    FT_BOOL,     /* true | false */
    FT_ENUM,     /* one of the options' codes */
    FT_UNIT,     /* units.id (a positive integer; whether it may be used is the kind's check) */
    FT_USER,     /* users.id */
    FT_REF,      /* the id of another record (positive integer) */
    FT_PHONE,    /* a telephone number: digits, spaces, + - ( ), 3–20 characters */
    FT_COUNT
};
extern const char *const field_type_codes[FT_COUNT]; /* "int", "text", … as served */

#define FIELD_TEXT_MAX     200  /* characters of FT_TEXT when max is 0 */
#define FIELD_LONGTEXT_MAX 4000 /* characters of FT_LONGTEXT when max is 0 */
#define FIELD_ID_MAX       (INT64_MAX / 2)

struct field_option {
    const char *code, *zh, *en; /* stored code and its labels */
    const char *tag; /* Element Plus tag type shown for it ("success", …), may be NULL */
};

/* What is wrong with an input: a field and its message, the first per field; and, for refusals
 * that are not about one field (a guard), the answer's message. */
struct problem {
    const char *field;
    const char *zh, *en;
};
#define PROBLEMS_MAX 16
struct problems {
    struct problem p[PROBLEMS_MAX];
    int n;
    const char *zh, *en; /* the answer's own message, NULL for the default one */
};
/* Record a problem of `field` (only its first is kept). Strings must outlive pr. */
void problem_add(struct problems *pr, const char *field, const char *zh, const char *en);
/* 1 when field already has a problem. */
int problem_has(const struct problems *pr, const char *field);
/* {field: message} in the language (lang 0 zh-CN, 1 English), a new reference. */
json_t *problems_json(const struct problems *pr, int lang);

/* Check the value `in` (NULL or JSON null: absent) of `name` against its declaration. Text is
 * trimmed; dates are normalised; absent optional values give *out = NULL. Returns 0 and *out (a
 * new reference, or NULL) when acceptable, else -1 with the problem recorded under `name`. */
int field_value_check(struct arena *a, const char *name, enum field_type type, int required,
                      int64_t min, int64_t max, const struct field_option *options, int n_options,
                      json_t *in, json_t **out, struct problems *pr);

/* The label of option `code` in the language, or NULL when it is not one of them. */
const char *field_option_label(const struct field_option *options, int n, const char *code,
                               int lang);

#endif
