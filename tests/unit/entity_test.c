/* entity_test.c — the entity layer: a declaration without a scope rule is refused, no query is
 * built without a principal, every list/get/count applies the scope (own, subtree, all, link
 * table, own rows), a page costs the same queries whatever its size, the one validator keeps
 * every limit of the declaration, and the generic writers write with their audit records. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/crypto.h"

#include "app/app.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "features/entity/entity.h"
#include "features/org/org.h"
#include "store/db.h"

#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

static struct perm_def perm_thing_read = {"thing.read", "test", "读", "Read", 0, 0};

static const struct field_option colours[] = {
    {"red", "红", "Red", "danger"},
    {"blue", "蓝", "Blue", ""},
};

static const struct field thing_fields[] = {
    {"id", FT_INT, "编号", "ID", 0, 0, F_LIST | F_SORT | F_READONLY},
    {"unit_id", FT_UNIT, "单位", "Unit", 0, 0, F_REQUIRED | F_FILTER | F_CREATE | F_UPDATE},
    {"title", FT_TEXT, "标题", "Title", 2, 10,
     F_REQUIRED | F_LIST | F_SORT | F_SEARCH | F_CREATE | F_UPDATE},
    {"n", FT_INT, "数量", "Count", 0, 99, F_LIST | F_CREATE | F_UPDATE},
    {"colour", FT_ENUM, "颜色", "Colour", 0, 0, F_LIST | F_FILTER | F_CREATE | F_UPDATE | F_LABEL,
     colours, 2},
    {"due_on", FT_DATE, "日期", "Date", 0, 0, F_FILTER | F_CREATE},
    {"flag", FT_BOOL, "标记", "Flag", 0, 0, F_FILTER | F_CREATE},
    {"tags", FT_TEXT, "标签", "Tags", 1, 5, F_MULTI | F_VIRTUAL | F_CREATE, .max_items = 3},
    {"unit_name", FT_TEXT, "单位", "Unit", 0, 0, F_LIST | F_READONLY, .sql = "un.name"},
    {"version", FT_INT, "版本", "Version", 0, 0, F_READONLY},
};

static int decorations; /* calls of the decorate hook */
static int thing_decorate(const struct entity_ctx *c, json_t *items) {
    (void)c;
    (void)items;
    decorations++;
    return DB_OK;
}

static const struct entity things = {
    .name = "things",
    .path = "/api/v1/things",
    .zh = "物件",
    .en = "Things",
    .table = "things",
    .alias = "t",
    .from = "things t JOIN units un ON un.id = t.unit_id",
    .fields = thing_fields,
    .n_fields = ENTITY_N(thing_fields),
    .scope = {.unit_column = "t.unit_id"},
    .default_sort = "id",
    .perm_read = &perm_thing_read,
    .decorate = thing_decorate,
};

/* the same rows, scoped by a link table (like tasks by task_units) and by owner */
static const struct entity things_linked = {
    .name = "things_linked",
    .path = "/api/v1/things-linked",
    .zh = "物件",
    .en = "Things",
    .table = "things",
    .alias = "t",
    .fields = thing_fields,
    .n_fields = 4,
    .scope = {.link = {"thing_units", "thing_id", "unit_id"}},
    .default_sort = "id",
    .perm_read = &perm_thing_read,
};

static const struct entity things_owned = {
    .name = "things_owned",
    .path = "/api/v1/things-owned",
    .zh = "物件",
    .en = "Things",
    .table = "things",
    .alias = "t",
    .fields = thing_fields,
    .n_fields = 4,
    .scope = {.user_column = "t.owner_id"},
    .default_sort = "id",
    .perm_read = &perm_thing_read,
};

/* a maintained total for the unfiltered list, the layer's count for anything else */
static int counted(const struct entity_ctx *c, const struct entity_request *rq, int64_t *n) {
    (void)c;
    if (rq && (rq->n || rq->q)) return ENTITY_DECLINED;
    *n = 42;
    return DB_OK;
}

static const struct entity things_counted = {
    .name = "things_counted",
    .path = "/api/v1/things-counted",
    .zh = "物件",
    .en = "Things",
    .table = "things",
    .alias = "t",
    .fields = thing_fields,
    .n_fields = 4,
    .scope = {.unit_column = "t.unit_id"},
    .default_sort = "id",
    .perm_read = &perm_thing_read,
    .count = counted,
};

/* a page hook that answers every row, in the scope or not: the layer must keep only the
 * caller's (a wrong hook shortens a page, it never widens it) */
static int every_id(const struct entity_ctx *c, const struct entity_request *rq, int64_t **ids,
                    int *n) {
    (void)rq;
    *ids = arena_alloc(c->arena, 30 * sizeof(int64_t));
    for (*n = 0; *n < 30; (*n)++)
        (*ids)[*n] = *n + 1;
    return DB_OK;
}

static const struct entity things_paged = {
    .name = "things_paged",
    .path = "/api/v1/things-paged",
    .zh = "物件",
    .en = "Things",
    .table = "things",
    .alias = "t",
    .fields = thing_fields,
    .n_fields = 4,
    .scope = {.link = {"thing_units", "thing_id", "unit_id"}},
    .default_sort = "id",
    .perm_read = &perm_thing_read,
    .page = every_id,
};

struct fixture {
    struct db *db;
    struct arena *a;
    int64_t unit[4]; /* root /r/, child /r/c/, grandchild /r/c/g/, other /o/ */
};

static const struct audit_actor actor = {
    .user_id = 0, .username = "test", .role = "sysadmin", .ip = "127.0.0.1", .request_id = "t"};

static int setup(void **state) {
    struct fixture *x = calloc(1, sizeof(*x));
    char err[200];
    int applied;
    if (db_open("sqlite::memory:", &x->db, err, sizeof err) != DB_OK) return -1;
    if (db_migrate(x->db, &applied) != DB_OK) return -1;
    x->a = arena_new(0);
    const char *codes[] = {"r", "c", "g", "o"};
    int parent[] = {-1, 0, 1, -1};
    if (db_begin(x->db) != DB_OK) return -1;
    for (int i = 0; i < 4; i++)
        if (unit_create(x->db, &actor, codes[i], codes[i], "", "other",
                        parent[i] < 0 ? 0 : x->unit[parent[i]], i, &x->unit[i]) != DB_OK)
            return -1;
    if (db_exec(x->db,
                "CREATE TABLE things (id INTEGER PRIMARY KEY, unit_id BIGINT NOT NULL, "
                "owner_id BIGINT NOT NULL DEFAULT 0, title TEXT NOT NULL, n BIGINT NOT NULL "
                "DEFAULT 0, colour TEXT NOT NULL DEFAULT 'blue', due_on TEXT, flag BIGINT NOT "
                "NULL DEFAULT 0, created_at TEXT, updated_at TEXT, version BIGINT NOT NULL "
                "DEFAULT 1)",
                "") != DB_OK ||
        db_exec(x->db, "CREATE TABLE thing_units (thing_id BIGINT, unit_id BIGINT)", "") != DB_OK)
        return -1;
    /* 30 things: thing i in unit i % 4, owned by user i % 2 + 1, linked to its unit and the next */
    for (int i = 1; i <= 30; i++) {
        if (db_exec(x->db,
                    "INSERT INTO things (id, unit_id, owner_id, title, n, colour) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    "iiisis", (int64_t)i, x->unit[i % 4], (int64_t)(i % 2 + 1), "物件标题",
                    (int64_t)i, i % 3 ? "blue" : "red") != DB_OK ||
            db_exec(x->db, "INSERT INTO thing_units VALUES (?, ?), (?, ?)", "iiii", (int64_t)i,
                    x->unit[i % 4], (int64_t)i, x->unit[(i + 1) % 4]) != DB_OK)
            return -1;
    }
    if (db_commit(x->db) != DB_OK) return -1;
    *state = x;
    return 0;
}

static int teardown(void **state) {
    struct fixture *x = *state;
    db_close(x->db);
    arena_free(x->a);
    free(x);
    return 0;
}

static struct principal reader(struct fixture *x, enum scope s, int unit, int64_t user) {
    struct principal p = {.user_id = user, .unit_id = x->unit[unit], .scope = s};
    p.unit_path = unit == 0   ? arena_printf(x->a, "/%lld/", (long long)x->unit[0])
                  : unit == 1 ? arena_printf(x->a, "/%lld/%lld/", (long long)x->unit[0],
                                             (long long)x->unit[1])
                              : "/none/";
    perm_add(&p.perms, &perm_thing_read);
    return p;
}

static int64_t total(struct fixture *x, const struct entity *e, const struct principal *p) {
    struct entity_ctx c;
    assert_int_equal(entity_ctx_init(&c, x->db, x->a, e, p, 0, EP_LIST), DB_OK);
    int64_t n = -1;
    assert_int_equal(entity_count(&c, NULL, &n), DB_OK);
    return n;
}

static void test_declarations_are_checked(void **state) {
    (void)state;
    char err[200];
    struct entity bad = things;
    bad.name = "bad1";
    bad.scope = (struct entity_scope){0};
    const struct entity *one[] = {&bad};
    assert_int_equal(entity_register(one, 1, err, sizeof err), -1);
    assert_non_null(strstr(err, "no scope rule"));
    bad.scope = (struct entity_scope){.unit_column = "t.unit_id", .user_column = "t.owner_id"};
    assert_int_equal(entity_register(one, 1, err, sizeof err), -1);
    assert_non_null(strstr(err, "more than one"));
    bad.scope = (struct entity_scope){.unscoped = "x"};
    assert_int_equal(entity_register(one, 1, err, sizeof err), -1);
    assert_non_null(strstr(err, "says why"));
    struct field nomax = {"t", FT_TEXT, "标题", "Title", 0, 0, F_CREATE};
    bad = things;
    bad.name = "bad2";
    bad.fields = &nomax;
    bad.n_fields = 1;
    bad.default_sort = "t";
    assert_int_equal(entity_register(one, 1, err, sizeof err), -1);
    assert_non_null(strstr(err, "maximum length"));
    bad = things;
    bad.name = "bad3";
    bad.default_sort = "nope";
    assert_int_equal(entity_register(one, 1, err, sizeof err), -1);
    /* metric_by: F_FILTER enum or unit fields of an entity with a metric_date */
    static const char *const by_ok[] = {"colour", "unit_id", NULL};
    static const char *const by_title[] = {"title", NULL}; /* text: no breakdown */
    static const char *const by_date[] = {"due_on", NULL}; /* a filter, but no enum nor unit */
    static const char *const by_none[] = {"nope", NULL};
    const char *const *bys[] = {by_title, by_date, by_none};
    for (int i = 0; i < 3; i++) {
        bad = things;
        bad.name = "bad_by";
        bad.metric_date = "t.due_on";
        bad.metric_by = bys[i];
        assert_int_equal(entity_register(one, 1, err, sizeof err), -1);
        assert_non_null(strstr(err, "metric_by"));
    }
    bad = things;
    bad.name = "bad_by";
    bad.metric_by = by_ok; /* without a metric_date */
    assert_int_equal(entity_register(one, 1, err, sizeof err), -1);
    assert_non_null(strstr(err, "metric_by colour"));
    /* 草案版本: a kind, names and a bounded text */
    static const struct entity_versions unbounded = {"thing", "草稿", "Draft", 0};
    static const struct entity_versions huge = {"thing", "草稿", "Draft", 10000000};
    bad = things;
    bad.name = "bad4";
    bad.versions = &unbounded;
    assert_int_equal(entity_register(one, 1, err, sizeof err), -1);
    assert_non_null(strstr(err, "max_chars"));
    bad.versions = &huge;
    assert_int_equal(entity_register(one, 1, err, sizeof err), -1);
    assert_non_null(strstr(err, "max_chars"));
    /* no principal, no query */
    struct fixture *x = *state;
    struct entity_ctx c;
    assert_int_equal(entity_ctx_init(&c, x->db, x->a, &things, NULL, 0, EP_LIST), DB_ERROR);
}

static void test_scope_is_always_applied(void **state) {
    struct fixture *x = *state;
    struct principal own = reader(x, SCOPE_OWN, 1, 1), sub = reader(x, SCOPE_SUBTREE, 1, 1),
                     root = reader(x, SCOPE_SUBTREE, 0, 1), all = reader(x, SCOPE_ALL, 3, 2);
    /* things i ≡ 1, 2, 3, 0 (mod 4) sit in child, grandchild, other, root: 8, 8, 7, 7 of 30 */
    assert_int_equal(total(x, &things, &own), 8);
    assert_int_equal(total(x, &things, &sub), 16); /* child and grandchild */
    assert_int_equal(total(x, &things, &root), 23);
    assert_int_equal(total(x, &things, &all), 30);
    /* linked to the child unit: its own and those of the unit before it (root) */
    assert_int_equal(total(x, &things_linked, &own), 15);
    assert_int_equal(total(x, &things_linked, &all), 30);
    /* one's own rows */
    assert_int_equal(total(x, &things_owned, &own), 15);
    /* a count hook answers what it knows, the layer the rest */
    assert_int_equal(total(x, &things_counted, &own), 42);
    /* a single read outside the scope reads like a missing row */
    struct entity_ctx c;
    assert_int_equal(entity_ctx_init(&c, x->db, x->a, &things, &own, 0, EP_GET), DB_OK);
    int rc;
    json_t *t = entity_get(&c, 5, &rc); /* unit 5 % 4 = 1: the child */
    assert_non_null(t);
    assert_string_equal(json_string_value(json_object_get(t, "colour_name")), "蓝");
    assert_true(json_is_string(json_object_get(t, "unit_name")));
    json_decref(t);
    assert_null(entity_get(&c, 6, &rc));
    assert_int_equal(rc, DB_DONE);
    /* a filter never widens it */
    struct entity_request rq = {0};
    assert_int_equal(entity_request_set(&things, &rq, "unit_id",
                                        arena_printf(x->a, "%lld", (long long)x->unit[3])),
                     0);
    int64_t n = -1;
    assert_int_equal(entity_count(&c, &rq, &n), DB_OK);
    assert_int_equal(n, 0);
    /* grouped counts in the same scope */
    int64_t keys[] = {x->unit[1], x->unit[2], x->unit[3]}, counts[3];
    assert_int_equal(entity_ctx_init(&c, x->db, x->a, &things, &sub, 0, EP_COUNT), DB_OK);
    assert_int_equal(entity_count_by(&c, "unit_id", keys, 3, counts), DB_OK);
    assert_int_equal(counts[0], 8);
    assert_int_equal(counts[1], 8);
    assert_int_equal(counts[2], 0);
}

static const char *get_of(void *cls, const char *name) {
    const char *const *kv = cls;
    for (int i = 0; kv[i]; i += 2)
        if (!strcmp(kv[i], name)) return kv[i + 1];
    return NULL;
}

static void test_a_page_is_a_fixed_number_of_queries(void **state) {
    struct fixture *x = *state;
    struct principal all = reader(x, SCOPE_ALL, 3, 2);
    int64_t cost[2];
    const char *per[] = {"2", "30"};
    for (int k = 0; k < 2; k++) {
        const char *kv[] = {"per_page", per[k], "sort", "-title", "q", "标题", NULL};
        struct entity_request rq;
        struct problems pr = {.arena = x->a};
        assert_int_equal(entity_request_parse(&things, get_of, kv, &rq, &pr), DB_OK);
        struct entity_ctx c;
        assert_int_equal(entity_ctx_init(&c, x->db, x->a, &things, &all, 0, EP_LIST), DB_OK);
        db_unit_start(x->db);
        decorations = 0;
        int rc;
        json_t *out = entity_list(&c, &rq, &rc);
        assert_non_null(out);
        cost[k] = db_unit_statements(x->db);
        assert_int_equal(json_array_size(json_object_get(out, "items")), k ? 30 : 2);
        assert_int_equal(json_integer_value(json_object_get(out, "total")), 30);
        assert_int_equal(decorations, 1); /* once for the page */
        json_decref(out);
    }
    assert_int_equal(cost[0], 2); /* the count and the page */
    assert_int_equal(cost[1], cost[0]);
}

static void test_request_values_are_checked(void **state) {
    struct fixture *x = *state;
    const char *kv[] = {"colour",     "green", "unit_id", "x1",   "due_on_from",
                        "2026-02-30", "flag",  "maybe",   "sort", "n",
                        "per_page",   "201",   NULL};
    struct entity_request rq;
    struct problems pr = {.arena = x->a};
    assert_int_equal(entity_request_parse(&things, get_of, kv, &rq, &pr), ENTITY_INVALID);
    const char *bad[] = {"colour", "unit_id", "due_on", "flag", "sort", "per_page"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_true(problems_has(&pr, bad[i]));
}

static void test_one_validator_for_every_limit(void **state) {
    struct fixture *x = *state;
    struct problems pr = {.arena = x->a};
    json_t *in =
        json_pack("{s:s,s:i,s:s,s:s,s:[s,s,s,s],s:s}", "title", " a ", "n", 100, "colour", "green",
                  "due_on", "2026-13-01", "tags", "a", "b", "c", "d", "flag", "yes");
    json_t *out = fields_check(things.fields, things.n_fields, in, FV_CREATE, &pr);
    const char *bad[] = {"title", "n", "colour", "due_on", "tags", "flag", "unit_id"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_true(problems_has(&pr, bad[i]));
    assert_int_equal(pr.n, 7);
    json_decref(out);
    json_decref(in);
    /* the values that pass come back trimmed and typed; fields of another mode are ignored */
    pr.n = 0;
    in = json_pack("{s:I,s:s,s:[s],s:b,s:i}", "unit_id", (json_int_t)x->unit[1], "title",
                   "  两个字  ", "tags", "标签", "flag", 1, "version", 3);
    out = fields_check(things.fields, things.n_fields, in, FV_CREATE, &pr);
    assert_int_equal(pr.n, 0);
    assert_string_equal(json_string_value(json_object_get(out, "title")), "两个字");
    assert_null(json_object_get(out, "version"));
    json_decref(out);
    out = fields_check(things.fields, things.n_fields, in, FV_UPDATE, &pr);
    assert_null(json_object_get(out, "tags")); /* not settable on update */
    assert_null(json_object_get(out, "flag"));
    json_decref(out);
    json_decref(in);
}

static void test_generic_writes_are_audited(void **state) {
    struct fixture *x = *state;
    struct principal all = reader(x, SCOPE_ALL, 3, 2);
    struct entity_ctx c;
    assert_int_equal(entity_ctx_init(&c, x->db, x->a, &things, &all, 0, EP_GET), DB_OK);
    struct problems pr = {.arena = x->a};
    json_t *body = json_pack("{s:I,s:s,s:i,s:s}", "unit_id", (json_int_t)x->unit[2], "title",
                             "新的物件", "n", 7, "colour", "red");
    struct entity_write w = {.c = &c, .actor = &actor, .pr = &pr};
    int rc;
    entity_input_check(&w, body, FV_CREATE, &rc);
    assert_int_equal(rc, DB_OK);
    int64_t before = 0, after = 0;
    db_query_int(x->db, &before, "SELECT COUNT(*) FROM audit_log", "");
    assert_int_equal(db_begin(x->db), DB_OK);
    assert_int_equal(entity_create(&w), DB_OK);
    assert_true(w.id > 30);
    assert_int_equal(db_commit(x->db), DB_OK);
    json_t *t = entity_get(&c, w.id, &rc);
    assert_non_null(t);
    assert_int_equal(json_integer_value(json_object_get(t, "n")), 7);
    json_decref(t);
    /* update, then remove */
    json_decref(body);
    body = json_pack("{s:I,s:s,s:i,s:s}", "unit_id", (json_int_t)x->unit[2], "title", "改过", "n",
                     8, "colour", "blue");
    entity_input_check(&w, body, FV_UPDATE, &rc);
    assert_int_equal(db_begin(x->db), DB_OK);
    assert_int_equal(entity_update(&w), DB_OK);
    assert_int_equal(entity_remove(&w), DB_OK);
    assert_int_equal(db_commit(x->db), DB_OK);
    assert_null(entity_get(&c, w.id, &rc));
    db_query_int(x->db, &after, "SELECT COUNT(*) FROM audit_log", "");
    assert_int_equal(after, before + 3);
    int64_t n = 0;
    db_query_int(x->db, &n, "SELECT COUNT(*) FROM audit_log WHERE action = 'things.update'", "");
    assert_int_equal(n, 1);
    json_decref(body);
}

static void test_a_page_hook_cannot_widen_the_scope(void **state) {
    struct fixture *x = *state;
    struct principal own = reader(x, SCOPE_OWN, 1, 1), all = reader(x, SCOPE_ALL, 3, 2);
    struct entity_ctx c;
    struct entity_request rq = {.page = 1, .per_page = 30};
    int rc;
    /* linked to the child unit: things i ≡ 1 or 0 (mod 4), 15 of 30, in the layer's order */
    assert_int_equal(entity_ctx_init(&c, x->db, x->a, &things_paged, &own, 0, EP_LIST), DB_OK);
    json_t *items = entity_items(&c, &rq, &rc);
    assert_non_null(items);
    assert_int_equal(json_array_size(items), 15);
    size_t i;
    json_t *t;
    int64_t last = 0;
    json_array_foreach(items, i, t) {
        int64_t id = json_integer_value(json_object_get(t, "id"));
        assert_true(id % 4 == 1 || id % 4 == 0);
        assert_true(id > last);
        last = id;
    }
    json_decref(items);
    assert_int_equal(entity_ctx_init(&c, x->db, x->a, &things_paged, &all, 0, EP_LIST), DB_OK);
    items = entity_items(&c, &rq, &rc);
    assert_int_equal(json_array_size(items), 30);
    json_decref(items);
}

/* 当事人: written sealed and masked, found again by the ID number's blind index (the other
 * records of the kind with the same person), replaced on a second write; the check names each
 * problem by its party. */
static void test_parties_write_and_same_person(void **state) {
    struct fixture *x = *state;
    unsigned char key[CRYPTO_KEY_BYTES] = {7};
    pii_key_put(1, key);
    static const struct field_option roles[] = {{"applicant", "申请人", "Applicant", ""}};
    static const struct entity_parties d = {"unit_test_kind", roles, 1, 1, 3};
    const char *same = "11010519491231002X";
    assert_int_equal(db_begin(x->db), DB_OK);
    for (int64_t rec = 1; rec <= 3; rec++) {
        json_t *p = json_pack("[{s:s,s:s,s:s}]", "role", "applicant", "name", "张三明", "id_no",
                              rec == 2 ? "440304198706153715" : same);
        assert_int_equal(entity_parties_write(x->db, x->a, &d, rec, p), DB_OK);
        json_decref(p);
    }
    assert_int_equal(db_commit(x->db), DB_OK);
    int64_t *ids;
    int n;
    assert_int_equal(entity_parties_same_person(x->db, x->a, &d, 1, 10, &ids, &n), DB_OK);
    assert_int_equal(n, 1);
    assert_int_equal(ids[0], 3);
    assert_int_equal(entity_parties_same_person(x->db, x->a, &d, 2, 10, &ids, &n), DB_OK);
    assert_int_equal(n, 0);
    /* stored: masked and sealed, never whole */
    struct db_stmt *st = db_queryv(x->db,
                                   "SELECT name_masked, id_masked, id_enc FROM case_parties WHERE "
                                   "kind = ? AND record_id = 1",
                                   "s", d.kind);
    assert_int_equal(db_step(st), DB_ROW);
    assert_string_equal(db_col_text(st, 0), "张*明");
    assert_string_equal(db_col_text(st, 1), "110105********002X");
    assert_int_equal(strncmp(db_col_text(st, 2), "k1:", 3), 0);
    db_done(st);
    /* a second write replaces: record 3 now another person */
    json_t *p = json_pack("[{s:s,s:s}]", "role", "applicant", "name", "李四");
    assert_int_equal(db_begin(x->db), DB_OK);
    assert_int_equal(entity_parties_write(x->db, x->a, &d, 3, p), DB_OK);
    assert_int_equal(db_commit(x->db), DB_OK);
    json_decref(p);
    assert_int_equal(entity_parties_same_person(x->db, x->a, &d, 1, 10, &ids, &n), DB_OK);
    assert_int_equal(n, 0);
    /* the check: every problem, by party */
    struct problems pr = {.arena = x->a};
    json_t *out = NULL;
    json_t *bad = json_pack("[{s:s,s:s,s:s},{s:s}]", "role", "judge", "name", "", "id_no",
                            "11010519491231002Y", "role", "applicant");
    assert_int_equal(entity_parties_check(x->a, &d, bad, FV_CREATE, &pr, &out), ENTITY_INVALID);
    assert_null(out);
    assert_true(problems_has(&pr, "parties[0].role"));
    assert_true(problems_has(&pr, "parties[0].name"));
    assert_true(problems_has(&pr, "parties[0].id_no"));
    assert_true(problems_has(&pr, "parties[1].name"));
    json_decref(bad);
    struct problems none = {.arena = x->a};
    assert_int_equal(entity_parties_check(x->a, &d, NULL, FV_CREATE, &none, &out), ENTITY_INVALID);
    assert_true(problems_has(&none, "parties")); /* min 1 */
    struct problems upd = {.arena = x->a};
    assert_int_equal(entity_parties_check(x->a, &d, NULL, FV_UPDATE, &upd, &out), DB_OK);
    assert_null(out); /* update without parties: unchanged */
    pii_keys_clear();
}

/* ---- child records ---- */

static const struct field part_fields[] = {
    {"id", FT_INT, "编号", "ID", 0, 0, F_LIST | F_SORT | F_READONLY},
    {"thing_id", FT_REF, "物件", "Thing", 0, 0, F_REQUIRED | F_FILTER | F_CREATE, .ref = "things"},
    {"unit_id", FT_UNIT, "单位", "Unit", 0, 0, F_FILTER | F_CREATE},
};
static const struct entity parts = {
    .name = "thing_parts",
    .path = "/api/v1/thing-parts",
    .zh = "部件",
    .en = "Parts",
    .table = "thing_parts",
    .alias = "p",
    .fields = part_fields,
    .n_fields = ENTITY_N(part_fields),
    .scope = {.unscoped = "a test's parts"},
    .default_sort = "id",
    .perm_read = &perm_thing_read,
    .perm_create = &perm_thing_read,
};

/* A declared child must name a registered entity and a filter field of it naming the parent;
 * the served declaration lists the children the caller may read, with whether it may add one.
 */
static void test_children_are_checked_and_served(void **state) {
    struct fixture *x = *state;
    char err[300];
    static const struct entity_child good[] = {{"thing_parts", "thing_id"}};
    static struct entity parent;
    parent = things;
    parent.name = "things_with_parts";
    parent.path = "/api/v1/things-with-parts";
    parent.children = good;
    parent.n_children = 1;
    const struct entity *both[] = {&parts, &parent};
    assert_int_equal(entity_register(both, 2, err, sizeof err), 0);
    /* the child's FT_REF names `things`, not this parent: refused */
    assert_int_equal(entity_children_check(err, sizeof err), -1);
    assert_non_null(strstr(err, "thing_id"));
    static const struct entity_child by_id[] = {{"thing_parts", "id"}};
    parent.children = by_id;                                      /* an FT_INT filter… */
    assert_int_equal(entity_children_check(err, sizeof err), -1); /* …that is no filter */
    static const struct entity_child unit_col[] = {{"thing_parts", "unit_id"}};
    parent.children = unit_col;
    assert_int_equal(entity_children_check(err, sizeof err), -1);
    static const struct entity_child missing[] = {{"no_such_entity", "thing_id"}};
    parent.children = missing;
    assert_int_equal(entity_children_check(err, sizeof err), -1);
    assert_non_null(strstr(err, "no_such_entity"));
    static const struct entity_child fits[] = {{"thing_parts", "thing_id"}};
    parent.name = "things"; /* what the child's reference names */
    parent.children = fits;
    struct principal p = reader(x, SCOPE_ALL, 0, 1);
    json_t *d = entity_declaration_json(&parent, &p, 1);
    json_t *ch = json_array_get(json_object_get(d, "children"), 0);
    assert_string_equal(json_string_value(json_object_get(ch, "entity")), "thing_parts");
    assert_string_equal(json_string_value(json_object_get(ch, "column")), "thing_id");
    assert_string_equal(json_string_value(json_object_get(ch, "title")), "Parts");
    assert_true(json_is_true(json_object_get(ch, "can_create")));
    assert_true(json_is_false(json_object_get(d, "timeline")));
    json_decref(d);
    struct principal none = {.user_id = 9, .scope = SCOPE_ALL};
    d = entity_declaration_json(&parent, &none, 0);
    assert_int_equal(json_array_size(json_object_get(d, "children")), 0); /* may not read it */
    json_decref(d);
    parent.name = "things_with_parts";
    parent.n_children = 0; /* leave the registry as it fits */
    assert_int_equal(entity_children_check(err, sizeof err), 0);
}

/* Decimal fields (FT_INT with decimals): a number in, hundredths stored, a number out. */
static void test_decimal_fields(void **state) {
    (void)state;
    struct arena *a = arena_new(0);
    const struct field w = {"weight", FT_INT, "分值", "Weight", 0, 100000, 0, .decimals = 2};
    struct problems pr = {.arena = a};
    const struct {
        double in;
        int64_t stored;
    } good[] = {{2.5, 250}, {0.1, 10}, {0.07, 7}, {12.34, 1234}, {15, 1500}, {999.99, 99999}};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        json_t *v = json_real(good[i].in), *out = field_value_check(&w, v, &pr);
        assert_non_null(out);
        assert_int_equal(json_integer_value(out), good[i].stored);
        json_decref(out);
        json_decref(v);
    }
    json_t *i15 = json_integer(15), *o15 = field_value_check(&w, i15, &pr);
    assert_int_equal(json_integer_value(o15), 1500);
    json_decref(o15);
    json_decref(i15);
    assert_int_equal(pr.n, 0);
    json_t *bad = json_real(2.345);
    assert_null(field_value_check(&w, bad, &pr));
    assert_string_equal(pr.p[0].zh, "须为数字，最多 2 位小数");
    json_decref(bad);
    pr.n = 0;
    bad = json_real(1000.01);
    assert_null(field_value_check(&w, bad, &pr));
    assert_string_equal(pr.p[0].zh, "须在 0 到 1000 之间");
    json_decref(bad);
    pr.n = 0;
    bad = json_string("2.5");
    assert_null(field_value_check(&w, bad, &pr));
    json_decref(bad);
    /* out: whole → integer, else a real; text with at most the places */
    json_t *o = field_decimal_json(&w, 1500);
    assert_true(json_is_integer(o) && json_integer_value(o) == 15);
    json_decref(o);
    o = field_decimal_json(&w, 250);
    assert_true(json_is_real(o) && json_real_value(o) == 2.5);
    json_decref(o);
    char buf[32];
    assert_string_equal(field_decimal_text(&w, 250, buf, sizeof buf), "2.5");
    assert_string_equal(field_decimal_text(&w, 7, buf, sizeof buf), "0.07");
    assert_string_equal(field_decimal_text(&w, -305, buf, sizeof buf), "-3.05");
    assert_string_equal(field_decimal_text(&w, 1500, buf, sizeof buf), "15");
    int64_t x;
    assert_int_equal(field_decimal_parse(&w, "2.50", &x), 0);
    assert_int_equal(x, 250);
    assert_int_equal(field_decimal_parse(&w, "2.500", &x), 0);
    assert_int_equal(x, 250);
    assert_int_equal(field_decimal_parse(&w, "-0.5", &x), 0);
    assert_int_equal(x, -50);
    assert_int_equal(field_decimal_parse(&w, "2.345", &x), -1);
    assert_int_equal(field_decimal_parse(&w, "2,5", &x), -1);
    assert_int_equal(field_decimal_parse(&w, ".", &x), -1);
    assert_int_equal(field_scale(&w), 100);
    const struct field plain = {"n", FT_INT, "n", "n", 0, 10, 0};
    assert_int_equal(field_scale(&plain), 1);
    arena_free(a);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void) {
    if (modules_init() != 0) return 1;
    char err[200];
    static struct perm_def *const perms[] = {&perm_thing_read};
    if (perm_register(perms[0], err, sizeof err)) return 1;
    const struct entity *mine[] = {&things, &things_linked, &things_owned, &things_counted,
                                   &things_paged};
    if (entity_register(mine, 5, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decimal_fields),       T(test_declarations_are_checked),
        T(test_parties_write_and_same_person),       T(test_scope_is_always_applied),
        T(test_a_page_is_a_fixed_number_of_queries), T(test_a_page_hook_cannot_widen_the_scope),
        T(test_request_values_are_checked),          T(test_one_validator_for_every_limit),
        T(test_generic_writes_are_audited),          T(test_children_are_checked_and_served),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
