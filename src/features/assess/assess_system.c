/* assess_system.c — an indicator system's life (assess.h): its kind (草拟 → 发布 → 停用, 新版本),
 * the check that keeps a system from being published while its tree or rules are wrong (every
 * problem at once, in words naming the indicator codes), the copy a new version starts from and
 * what a version changed against the one it is based on. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/timeutil.h"
#include "features/assess/assess.h"
#include "features/assess/assess_ind.h"
#include "features/assess/assess_rule.h"

/* Declarations leave trailing fields out: 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#define N(a)    (int)(sizeof(a) / sizeof((a)[0]))
#define S(i)    (1u << (i))
#define ARGS(a) a, N(a)
#define NONE    NULL, 0

static void json_free(void *p) {
    json_decref(p);
}

/* ---- the indicators of a system, in memory ---- */

int assess_ind_load(struct db *db, struct arena *a, int64_t system_id, struct assess_ind **out,
                    int *n) {
    int64_t count = 0;
    if (db_query_int(db, &count, "SELECT COUNT(*) FROM assess_indicators WHERE system_id = ?", "i",
                     system_id) != DB_ROW)
        return DB_ERROR;
    struct assess_ind *v = arena_alloc(a, (size_t)(count ? count : 1) * sizeof *v);
    memset(v, 0, (size_t)(count ? count : 1) * sizeof *v);
    struct db_stmt *st = db_queryv(
        db,
        "SELECT id, COALESCE(parent_id, 0), level, code, name, weight, COALESCE(rule, ''), metric, "
        "params, method, evidence, sort_order FROM assess_indicators WHERE system_id = ? "
        "ORDER BY sort_order, code, id",
        "i", system_id);
    int rc = st ? DB_OK : DB_ERROR, k = 0;
    while (st && k < count && (rc = db_step(st)) == DB_ROW) {
        struct assess_ind *x = &v[k++];
        x->id = db_col_int(st, 0);
        x->parent_id = db_col_int(st, 1);
        x->level = db_col_int(st, 2);
        x->code = arena_strdup(a, db_col_text(st, 3));
        x->name = arena_strdup(a, db_col_text(st, 4));
        x->weight = db_col_int(st, 5);
        x->rule = arena_strdup(a, db_col_text(st, 6));
        x->metric = arena_strdup(a, db_col_text(st, 7));
        x->params = arena_strdup(a, db_col_text(st, 8));
        x->method = arena_strdup(a, db_col_text(st, 9));
        x->evidence = arena_strdup(a, db_col_text(st, 10));
        x->sort_order = db_col_int(st, 11);
        x->parent = -1;
    }
    db_done(st);
    if (rc < 0) return rc;
    for (int i = 0; i < k; i++)
        for (int j = 0; j < k && v[i].parent_id; j++)
            if (v[j].id == v[i].parent_id) v[i].parent = j;
    for (int i = 0; i < k; i++)
        if (v[i].parent >= 0) v[v[i].parent].children++;
    *out = v;
    *n = k;
    return DB_OK;
}

static const char *level_zh(int64_t level) {
    return level == 1 ? "一级" : level == 2 ? "二级" : level == 3 ? "三级" : "";
}
static const char *level_en(int64_t level) {
    return level == 1 ? "first-level" : level == 2 ? "second-level" : "third-level";
}

/* The weight a node's parent counts of it: bonus and veto leaves stand outside the sums. */
static int64_t counted(const struct assess_ind *x) {
    int t = assess_rule_type_of(x->rule);
    return !x->children && t >= 0 && !assess_rule_weighted(t) ? 0 : x->weight;
}

static void add(json_t *list, const char *code, const char *zh, const char *en) {
    json_array_append_new(list,
                          json_pack("{s:s,s:s,s:s}", "code", code ? code : "", "zh", zh, "en", en));
}

int assess_ind_check(struct arena *a, const struct assess_ind *v, int n, int64_t total,
                     json_t *out) {
    if (!n) add(out, "", "指标体系还没有任何指标", "The system has no indicator yet");
    int64_t first = 0;
    for (int i = 0; i < n; i++) {
        const struct assess_ind *x = &v[i];
        const char *c = x->code;
        for (int j = 0; j < i; j++)
            if (!strcmp(v[j].code, c))
                add(out, c, arena_printf(a, "指标编号 %s 重复", c),
                    arena_printf(a, "The code %s is used twice", c));
        if (x->level < 1 || x->level > ASSESS_LEVELS)
            add(out, c,
                arena_printf(a, "指标 %s 的层级为 %lld：指标最多 %d 级", c, (long long)x->level,
                             ASSESS_LEVELS),
                arena_printf(a, "Indicator %s is at level %lld: at most %d levels", c,
                             (long long)x->level, ASSESS_LEVELS));
        else if (x->level == 1 && x->parent_id)
            add(out, c, arena_printf(a, "一级指标 %s 不应有上级指标", c),
                arena_printf(a, "First-level indicator %s cannot have a parent", c));
        else if (x->level > 1 && x->parent < 0)
            add(out, c, arena_printf(a, "%s指标 %s 没有上级指标", level_zh(x->level), c),
                arena_printf(a, "The %s indicator %s has no parent", level_en(x->level), c));
        else if (x->level > 1 && v[x->parent].level + 1 != x->level)
            add(out, c,
                arena_printf(a, "指标 %s 的层级为 %lld，应为上级指标 %s 的层级加 1（%lld）", c,
                             (long long)x->level, v[x->parent].code,
                             (long long)v[x->parent].level + 1),
                arena_printf(a, "Indicator %s is at level %lld: its parent %s's level + 1 is %lld",
                             c, (long long)x->level, v[x->parent].code,
                             (long long)v[x->parent].level + 1));
        if (x->level == 1) first += counted(x);
        if (x->children) {
            int64_t sum = 0;
            for (int j = 0; j < n; j++)
                if (v[j].parent == i) sum += counted(&v[j]);
            if (sum != x->weight)
                add(out, c,
                    arena_printf(a, "%s指标 %s 的下级分值合计 %s，应为 %s", level_zh(x->level), c,
                                 assess_hundredths(a, sum), assess_hundredths(a, x->weight)),
                    arena_printf(a, "The weights under %s indicator %s add up to %s, not its %s",
                                 level_en(x->level), c, assess_hundredths(a, sum),
                                 assess_hundredths(a, x->weight)));
            if (*x->rule)
                add(out, c,
                    arena_printf(a, "指标 %s 有下级指标，不设计分规则（由末级指标计分）", c),
                    arena_printf(a, "Indicator %s has children: only leaves have a rule", c));
            continue;
        }
        /* a leaf */
        int t = assess_rule_type_of(x->rule);
        if (t < 0) {
            add(out, c, arena_printf(a, "末级指标 %s 没有计分规则", c),
                arena_printf(a, "Leaf %s has no rule", c));
            continue;
        }
        struct assess_rule r;
        char zh[200], en[200];
        if (assess_rule_parse(t, x->params, x->weight, &r, zh, en, sizeof zh))
            add(out, c, arena_printf(a, "指标 %s 的计分规则有误：%s", c, zh),
                arena_printf(a, "Indicator %s: %s", c, en));
        /* a bonus counted from a metric needs its points per event (per=): without it every
         * unit would get 0 whatever the records say */
        if (t == AR_BONUS && *x->metric && !r.per &&
            !assess_rule_parse(t, x->params, x->weight, &r, zh, en, sizeof zh))
            add(out, c, arena_printf(a, "指标 %s 按数据指标加分，须给出 per=（每项加分）", c),
                arena_printf(a, "Indicator %s: a bonus from a metric needs per=", c));
        int use = assess_rule_metric_use(t);
        const struct entity *e;
        const struct entity_metric *m;
        if (use == 1 && !*x->metric)
            add(out, c,
                arena_printf(a, "指标 %s 的计分规则（%s）须选择数据指标", c,
                             assess_rule_types[t].zh),
                arena_printf(a, "Indicator %s: a %s rule needs a metric", c,
                             assess_rule_types[t].en));
        else if (use == 0 && *x->metric)
            add(out, c,
                arena_printf(a, "指标 %s 的计分规则（%s）不使用数据指标，请清空“%s”", c,
                             assess_rule_types[t].zh, x->metric),
                arena_printf(a, "Indicator %s: a %s rule takes no metric (remove \"%s\")", c,
                             assess_rule_types[t].en, x->metric));
        else if (*x->metric && assess_metric_resolve(x->metric, &e, &m))
            add(out, c, arena_printf(a, "指标 %s 的数据指标 %s 不存在", c, x->metric),
                arena_printf(a, "Indicator %s: no metric %s", c, x->metric));
    }
    if (n && first != total)
        add(out, "",
            arena_printf(a, "一级指标分值合计 %s，应为总分 %s", assess_hundredths(a, first),
                         assess_hundredths(a, total)),
            arena_printf(a, "The first-level weights add up to %s, not the total %s",
                         assess_hundredths(a, first), assess_hundredths(a, total)));
    return (int)json_array_size(out);
}

int assess_system_check(struct db *db, struct arena *a, int64_t system_id, json_t **problems) {
    int64_t total = 0;
    int rc = db_query_int(db, &total, "SELECT total_points FROM assess_systems WHERE id = ?", "i",
                          system_id);
    if (rc != DB_ROW) return rc == DB_DONE ? DB_DONE : rc;
    struct assess_ind *v;
    int n;
    if ((rc = assess_ind_load(db, a, system_id, &v, &n)) != DB_OK) return rc;
    *problems = json_array();
    assess_ind_check(a, v, n, total, *problems);
    return DB_OK;
}

/* ---- what a version changed ---- */

static json_t *ind_json(const struct assess_ind *x) {
    return json_pack("{s:s,s:s,s:I,s:o,s:s,s:s,s:s}", "code", x->code, "name", x->name, "level",
                     (json_int_t)x->level, "weight", assess_points_json(x->weight), "rule", x->rule,
                     "metric", x->metric, "params", x->params);
}

json_t *assess_points_json(int64_t hundredths) {
    if (hundredths % 100 == 0) return json_integer(hundredths / 100);
    return json_real((double)hundredths / 100.0);
}

static void diff(json_t *fields, const char *name, const char *was, const char *now) {
    if (strcmp(was, now))
        json_array_append_new(fields,
                              json_pack("{s:s,s:s,s:s}", "field", name, "old", was, "new", now));
}

int assess_system_changes(struct db *db, struct arena *a, int64_t system_id, json_t **out) {
    int64_t base = 0, base_version = 0;
    struct db_stmt *st = db_queryv(db,
                                   "SELECT COALESCE(s.based_on_id, 0), COALESCE(b.version_no, 0) "
                                   "FROM assess_systems s LEFT JOIN assess_systems b ON b.id = "
                                   "s.based_on_id WHERE s.id = ?",
                                   "i", system_id);
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW) base = db_col_int(st, 0), base_version = db_col_int(st, 1);
    db_done(st);
    if (rc != DB_ROW) return rc == DB_DONE ? DB_DONE : rc;
    json_t *added = json_array(), *removed = json_array(), *changed = json_array();
    *out =
        json_pack("{s:o,s:o,s:o,s:o,s:o}", "based_on_id", base ? json_integer(base) : json_null(),
                  "based_on_version", base ? json_integer(base_version) : json_null(), "added",
                  added, "removed", removed, "changed", changed);
    if (!base) return DB_OK;
    struct assess_ind *now, *was;
    int n, m;
    if ((rc = assess_ind_load(db, a, system_id, &now, &n)) != DB_OK ||
        (rc = assess_ind_load(db, a, base, &was, &m)) != DB_OK) {
        json_decref(*out);
        return rc;
    }
    for (int i = 0; i < n; i++) {
        int j = 0;
        for (; j < m && strcmp(was[j].code, now[i].code); j++) {}
        if (j == m) {
            json_array_append_new(added, ind_json(&now[i]));
            continue;
        }
        json_t *fields = json_array();
        diff(fields, "name", was[j].name, now[i].name);
        if (was[j].weight != now[i].weight)
            json_array_append_new(fields, json_pack("{s:s,s:o,s:o}", "field", "weight", "old",
                                                    assess_points_json(was[j].weight), "new",
                                                    assess_points_json(now[i].weight)));
        diff(fields, "rule", was[j].rule, now[i].rule);
        diff(fields, "metric", was[j].metric, now[i].metric);
        diff(fields, "params", was[j].params, now[i].params);
        diff(fields, "method", was[j].method, now[i].method);
        diff(fields, "evidence", was[j].evidence, now[i].evidence);
        const char *pw = was[j].parent >= 0 ? was[was[j].parent].code : "";
        const char *pn = now[i].parent >= 0 ? now[now[i].parent].code : "";
        diff(fields, "parent_code", pw, pn);
        if (json_array_size(fields))
            json_array_append_new(changed, json_pack("{s:s,s:s,s:o}", "code", now[i].code, "name",
                                                     now[i].name, "fields", fields));
        else
            json_decref(fields);
    }
    for (int j = 0; j < m; j++) {
        int i = 0;
        for (; i < n && strcmp(was[j].code, now[i].code); i++) {}
        if (i == n) json_array_append_new(removed, ind_json(&was[j]));
    }
    return DB_OK;
}

/* ---- writing a tree ---- */

int assess_ind_insert(struct db *db, struct arena *a, int64_t system_id, struct assess_ind *v,
                      int n) {
    char now[21];
    now_iso(now);
    int rc = DB_OK;
    /* parents first: by level (each parent's id is known when its children are written) */
    for (int level = 1; level <= ASSESS_LEVELS && rc == DB_OK; level++)
        for (int i = 0; i < n && rc == DB_OK; i++) {
            struct assess_ind *x = &v[i];
            if (x->level != level) continue;
            int64_t parent = x->parent >= 0 ? v[x->parent].new_id : 0;
            struct db_stmt *st = db_queryv(
                db,
                "INSERT INTO assess_indicators (system_id, parent_id, level, code, name, weight, "
                "rule, metric, params, method, evidence, sort_order, created_at, updated_at, "
                "version) VALUES (?, NULLIF(?, 0), ?, ?, ?, ?, NULLIF(?, ''), ?, ?, ?, ?, ?, ?, "
                "?, 1) RETURNING id",
                "iiississsssiss", system_id, parent, x->level, x->code, x->name, x->weight, x->rule,
                x->metric, x->params, x->method, x->evidence, x->sort_order, now, now);
            rc = st ? db_step(st) : DB_ERROR;
            if (rc == DB_ROW)
                x->new_id = db_col_int(st, 0), rc = DB_OK;
            else if (rc >= 0)
                rc = DB_ERROR;
            db_done(st);
        }
    (void)a;
    return rc;
}

int assess_system_new(struct db *db, struct arena *a, int64_t year, const char *name,
                      int64_t version_no, int64_t based_on, const char *note, int64_t total,
                      int64_t by_user, int64_t *id) {
    char now[21];
    now_iso(now);
    (void)a;
    struct db_stmt *st = db_queryv(
        db,
        "INSERT INTO assess_systems (year, name, version_no, based_on_id, change_note, "
        "total_points, status, created_by, created_at, updated_at, version) VALUES (?, ?, ?, "
        "NULLIF(?, 0), ?, ?, 'draft', NULLIF(?, 0), ?, ?, 1) RETURNING id",
        "isiisiiss", year, name, version_no, based_on, note ? note : "", total, by_user, now, now);
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW) *id = db_col_int(st, 0);
    db_done(st);
    return rc == DB_ROW ? DB_OK : rc < 0 ? rc : DB_ERROR;
}

/* ---- the kind ---- */

enum { SS_DRAFT, SS_PUBLISHED, SS_RETIRED, SS_N };

static const struct flow_state states[SS_N] = {
    [SS_DRAFT] = {"draft", "草拟", "Draft", 0, "info"},
    [SS_PUBLISHED] = {"published", "已发布", "Published", 0, "success"},
    [SS_RETIRED] = {"retired", "已停用", "Retired", 1, ""},
};

struct system_ctx {
    struct flow_ctx base;
    int64_t year, version_no, total, drafts;
    char name[256];
};
#define SC(c) ((struct system_ctx *)(c))

static int load(struct flow_ctx *fc) {
    struct system_ctx *c = SC(fc);
    struct db_stmt *st = db_queryv(
        fc->db,
        "SELECT s.status, s.year, s.version_no, s.total_points, s.name, (SELECT COUNT(*) FROM "
        "assess_systems d WHERE d.based_on_id = s.id AND d.status = 'draft') FROM assess_systems "
        "s WHERE s.id = ?",
        "i", fc->id);
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW) {
        fc->status = flow_state_index(fc->kind, db_col_text(st, 0));
        c->year = db_col_int(st, 1);
        c->version_no = db_col_int(st, 2);
        c->total = db_col_int(st, 3);
        snprintf(c->name, sizeof c->name, "%s", db_col_text(st, 4));
        c->drafts = db_col_int(st, 5);
        fc->title = c->name;
    }
    db_done(st);
    return rc;
}

static int g_no_draft(const struct flow_ctx *c) {
    return SC(c)->drafts == 0;
}
static const struct flow_guard guard_no_draft[] = {
    {g_no_draft, "该版本已有草拟中的新版本，请在新版本上修改",
     "A new version of this one is being drafted: edit that one"}};

/* 发布: refused with every problem of the check at once; the published system of the same year
 * (an older version) is retired. */
static int fx_publish(struct flow_ctx *c) {
    json_t *problems = NULL;
    int rc = assess_system_check(c->db, c->a, c->id, &problems);
    if (rc != DB_OK) return FLOW_DB;
    arena_on_free(c->a, json_free, problems);
    if (json_array_size(problems)) {
        char *zh = "指标体系不能发布：", *en = "The system cannot be published: ";
        size_t i;
        json_t *p;
        json_array_foreach(problems, i, p) {
            zh = arena_printf(c->a, "%s%s%s", zh, i ? "；" : "",
                              json_string_value(json_object_get(p, "zh")));
            en = arena_printf(c->a, "%s%s%s", en, i ? "; " : "",
                              json_string_value(json_object_get(p, "en")));
        }
        c->pr->zh = zh;
        c->pr->en = en;
        return FLOW_NOT_ALLOWED;
    }
    char now[21];
    now_iso(now);
    struct db_stmt *st =
        db_queryv(c->db,
                  "SELECT id FROM assess_systems WHERE year = ? AND status = 'published' AND id <> "
                  "? ORDER BY id",
                  "ii", SC(c)->year, c->id);
    int64_t old[16];
    int n = 0;
    while (st && (rc = db_step(st)) == DB_ROW && n < 16)
        old[n++] = db_col_int(st, 0);
    db_done(st);
    if (rc < 0) return FLOW_DB;
    json_t *retired = json_array();
    json_object_set_new(c->detail, "retired", retired);
    for (int i = 0; i < n; i++) {
        if (db_exec(c->db,
                    "UPDATE assess_systems SET status = 'retired', version = version + 1, "
                    "updated_at = ? WHERE id = ?",
                    "si", now, old[i]) != DB_OK ||
            flow_event_append(c->db, c->a, c->actor, c->kind, old[i], "retire",
                              arena_printf(c->a, "由第 %lld 版取代", (long long)SC(c)->version_no),
                              "", 0) != FLOW_OK ||
            audit_append(c->db, c->actor->audit, "assess_system.retire", "assess_system",
                         arena_printf(c->a, "%lld", (long long)old[i]), "ok",
                         arena_printf(c->a, "{\"replaced_by\":%lld}", (long long)c->id)) != DB_OK)
            return FLOW_DB;
        json_array_append_new(retired, json_integer(old[i]));
    }
    return db_exec(c->db,
                   "UPDATE assess_systems SET published_at = ?, published_by = NULLIF(?, 0) WHERE "
                   "id = ?",
                   "sii", now, c->actor->audit ? c->actor->audit->user_id : 0, c->id) == DB_OK
               ? FLOW_OK
               : FLOW_DB;
}

/* 新版本: a draft copy (version_no + 1, based_on_id, the change note), the indicators with it. */
static int fx_new_version(struct flow_ctx *c) {
    const char *note = json_string_value(json_object_get(c->args, "change_note"));
    int64_t version_no = 0, id = 0;
    if (db_query_int(c->db, &version_no,
                     "SELECT COALESCE(MAX(version_no), 0) + 1 FROM assess_systems WHERE year = ?",
                     "i", SC(c)->year) != DB_ROW)
        return FLOW_DB;
    struct assess_ind *v;
    int n;
    if (assess_system_new(c->db, c->a, SC(c)->year, SC(c)->name, version_no, c->id, note,
                          SC(c)->total, c->actor->audit ? c->actor->audit->user_id : 0,
                          &id) != DB_OK ||
        assess_ind_load(c->db, c->a, c->id, &v, &n) != DB_OK ||
        assess_ind_insert(c->db, c->a, id, v, n) != DB_OK)
        return FLOW_DB;
    if (flow_event_append(
            c->db, c->a, c->actor, c->kind, id, "create",
            arena_printf(c->a, "由第 %lld 版生成：%s", (long long)SC(c)->version_no, note), "",
            1) != FLOW_OK ||
        audit_append(c->db, c->actor->audit, "assess_system.create", "assess_system",
                     arena_printf(c->a, "%lld", (long long)id), "ok",
                     arena_printf(c->a, "{\"based_on_id\":%lld,\"version_no\":%lld}",
                                  (long long)c->id, (long long)version_no)) != DB_OK)
        return FLOW_DB;
    json_object_set_new(c->detail, "new_id", json_integer(id));
    json_object_set_new(c->detail, "version_no", json_integer(version_no));
    return FLOW_OK;
}

static const struct field new_version_args[] = {
    {"change_note", FT_LONGTEXT, "修订说明", "What changes", 1, 2000, F_REQUIRED,
     .hint = "本版本修订的内容和理由，如：调整 2.1.1 与 2.1.2 的分值"},
};

static const struct flow_confirm confirm_publish = {
    "发布后指标体系及其指标不能再修改（修改须生成新版本）；同一年度已发布的旧版本将停用。",
    "Once published the system and its indicators cannot change (make a new version); the "
    "year's published older version is retired."};

static const struct flow_transition transitions[] = {
    {"publish", "发布", "Publish", S(SS_DRAFT), SS_PUBLISHED, &perm_assess_manage, NULL, 0, NONE,
     NONE, fx_publish, NONE, NULL, "success", &confirm_publish},
    {"new_version", "新版本", "New version", S(SS_PUBLISHED) | S(SS_RETIRED), -1,
     &perm_assess_manage, NULL, 0, ARGS(new_version_args), ARGS(guard_no_draft), fx_new_version,
     NONE, NULL, "primary"},
    {"retire", "停用", "Retire", S(SS_PUBLISHED), SS_RETIRED, &perm_assess_manage, NULL, 1, NONE,
     NONE, NULL, NONE, NULL, "warning", NULL, NULL, "停用理由", "Why it is retired"},
};

const struct flow_kind assess_system_kind = {
    .name = "assess_system",
    .zh = "考核指标体系",
    .en = "Indicator system",
    .entity = "assess_systems",
    .table = "assess_systems",
    .audit_type = "assess_system",
    .web_path = "/assess-systems",
    .perm_read = &perm_assess_view,
    .states = states,
    .n_states = SS_N,
    .transitions = transitions,
    .n_transitions = N(transitions),
    .events_table = "assess_system_events",
    .events_key = "system_id",
    .title_column = "name",
    .perm_work = &perm_assess_manage,
    .ctx_size = sizeof(struct system_ctx),
    .load = load,
};
