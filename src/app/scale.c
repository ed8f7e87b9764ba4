/* scale.c — `fazhi demo --scale district|city|province`: realistic volumes for benchmarks,
 * deterministic (the same seed gives the same rows; only the password hash's salt differs).
 *
 * A unit tree (committee → office, coordination groups; departments with their divisions,
 * courts, procuratorates; streets and townships with their communities), users (clerks of every
 * unit, office staff, leaders, and the demo accounts sysadmin … clerk1 clerk2 so benchmarks can
 * sign in), source documents decomposed into tasks and subtasks (lead and co-units, tags, every
 * state, due dates spread over the year so the status lights vary), their timelines with the
 * progress reports (task_events action 'report'), and an audit log whose hash chain verifies:
 * every generated write has its record, then sign-in and audit-query records fill the volume.
 *
 * Rows go in through the store interface (prepared statements, bound parameters) with explicit
 * ids, in transactions of SCALE_TX_ROWS rows. The first `sample` rows of each table are also
 * written as SQL text; afterwards (SQLite only) the `sqlite3` command-line tool loads that file
 * into a fresh copy of the schema in one transaction, and both speeds are printed. */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "app/app.h"
#include "http/module.h"
#include "auth/auth.h"
#include "base/arena.h"
#include "base/calendar.h"
#include "features/accounts/accounts.h"
#include "features/flow/flow.h"

#define SCALE_TX_ROWS       50000 /* rows per transaction */
#define SCALE_MAX_CO        3     /* co-units per task */
#define SCALE_TASKS_PER_DOC 40    /* tasks decomposed from one source document */
/* The data ages with its generation day `today`: no generated event is later than the day
 * before (data_now), and the generated year starts SCALE_YEAR_SO_FAR days before that, so its
 * tasks fall due from ten months ago to a year ahead, most within four months of today, and
 * every light occurs whenever the set is made. */
#define SCALE_YEAR_SO_FAR 324

struct scale_plan {
    const char *name;
    int units, users, tasks;
    int64_t reports, audit;
    int subunits; /* divisions per department, communities per street */
};

static const struct scale_plan plans[] = {
    {"district", 40, 400, 4000, 20000, 100000, 0},
    {"city", 200, 4000, 40000, 200000, 1000000, 2},
    {"province", 1000, 20000, 200000, 1000000, 5000000, 4},
};

enum table {
    T_UNITS,
    T_USERS,
    T_DOCUMENTS,
    T_TASKS,
    T_TASK_UNITS,
    T_TASK_TAGS,
    T_EVENTS,
    T_AUDIT,
    T_COUNT
};
static const char *const table_names[T_COUNT] = {
    "units", "users", "documents", "tasks", "task_units", "task_tags", "task_events", "audit_log"};

struct unit {
    int64_t id;
    int parent; /* index, -1 = root */
    const char *code, *name, *short_name, *kind, *path;
    int first_user, n_users; /* users of the unit: indexes [first_user, first_user + n) */
    int is_member;           /* may lead or co-operate on tasks */
};

struct user {
    const char *username, *display_name, *role;
    int unit; /* index */
};

struct gen {
    struct db *db;
    struct arena *a;   /* the world: units, users, names */
    struct arena *tmp; /* one task's strings; renewed per task */
    const struct scale_plan *plan;
    int64_t reports; /* progress reports generated */
    uint64_t rng;
    int32_t anchor, data_now; /* day numbers */
    /* the audit chain */
    int64_t seq;
    char prev[65];
    /* rows and time per table */
    int64_t rows[T_COUNT];
    double secs[T_COUNT];
    int64_t since_commit, total, expected;
    double t0, last_report;
    /* the SQL sample for the sqlite3 comparison */
    FILE *sample;
    int64_t sample_max, sampled[T_COUNT];
    /* the world */
    struct unit *units;
    int n_units;
    struct user *users;
    int n_users;
    int *members, n_members; /* unit indexes that take tasks */
    int *top_members, n_top; /* departments, court, procuratorate at the top level */
    int office_user, auditor_user, office_unit;
    int64_t role_ids[8]; /* by role_codes[] */
};

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* splitmix64: small, fast, and the same everywhere. */
static uint64_t rnd(struct gen *g) {
    uint64_t z = (g->rng += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}
static int rnd_int(struct gen *g, int n) {
    return n <= 0 ? 0 : (int)(rnd(g) % (uint64_t)n);
}
static int chance(struct gen *g, int percent) {
    return rnd_int(g, 100) < percent;
}

/* ---- one row: bind, step, time it, sample it, commit every SCALE_TX_ROWS ---- */

enum { V_NULL, V_INT, V_TEXT };
struct val {
    int kind;
    int64_t i;
    const char *s;
};
#define VI(x)  ((struct val){V_INT, (int64_t)(x), NULL})
#define VS(x)  ((struct val){V_TEXT, 0, (x)})
#define VN     ((struct val){V_NULL, 0, NULL})
#define VIN(x) ((x) ? VI(x) : VN) /* 0 → NULL */

static void sample_literal(FILE *f, const struct val *v) {
    if (v->kind == V_NULL || (v->kind == V_TEXT && !v->s)) {
        fputs("NULL", f);
    } else if (v->kind == V_INT) {
        fprintf(f, "%lld", (long long)v->i);
    } else {
        fputc('\'', f);
        for (const char *p = v->s; *p; p++) {
            if (*p == '\'') fputc('\'', f);
            fputc(*p, f);
        }
        fputc('\'', f);
    }
}

/* The statement text with each `?` replaced by its value. */
static void sample_row(struct gen *g, const char *sql, const struct val *v, int n) {
    int k = 0;
    for (const char *p = sql; *p; p++) {
        if (*p == '?' && k < n)
            sample_literal(g->sample, &v[k++]);
        else
            fputc(*p, g->sample);
    }
    fputs(";\n", g->sample);
}

static void progress(struct gen *g, int final) {
    double t = now_s();
    if (!final && t - g->last_report < 2.0) return;
    g->last_report = t;
    double el = t - g->t0;
    double rate = el > 0 ? g->total / el : 0;
    double eta = rate > 0 && g->expected > g->total ? (g->expected - g->total) / rate : 0;
    fprintf(stderr, "scale %s: %6.1f s  %lld rows  %.0f rows/s  ETA %.0f s  |", g->plan->name, el,
            (long long)g->total, rate, eta);
    for (int i = 0; i < T_COUNT; i++)
        if (g->rows[i])
            fprintf(stderr, " %s %lld (%.0f/s)", table_names[i], (long long)g->rows[i],
                    g->secs[i] > 0 ? g->rows[i] / g->secs[i] : 0);
    fputc('\n', stderr);
}

static int put_row(struct gen *g, enum table t, const char *sql, const struct val *v, int n) {
    double t0 = now_s();
    struct db_stmt *st = db_prepare(g->db, sql);
    if (!st) return DB_ERROR;
    for (int i = 0; i < n; i++) {
        if (v[i].kind == V_INT)
            db_bind_int(st, i + 1, v[i].i);
        else if (v[i].kind == V_TEXT)
            db_bind_text(st, i + 1, v[i].s);
        else
            db_bind_null(st, i + 1);
    }
    int rc = db_step(st);
    db_done(st);
    if (rc != DB_DONE) {
        fprintf(stderr, "fazhi demo --scale: insert into %s failed: %s\n", table_names[t],
                db_errmsg(g->db));
        return rc < 0 ? rc : DB_ERROR;
    }
    if (g->sample && g->sampled[t] < g->sample_max) {
        sample_row(g, sql, v, n);
        g->sampled[t]++;
    }
    g->secs[t] += now_s() - t0;
    g->rows[t]++;
    g->total++;
    if (++g->since_commit >= SCALE_TX_ROWS) {
        g->since_commit = 0;
        rc = db_commit(g->db);
        if (rc == DB_OK) rc = db_begin(g->db);
        if (rc != DB_OK) return rc;
        progress(g, 0);
    }
    return DB_OK;
}
#define ROW(g, t, sql, ...)                                                                        \
    put_row(g, t, sql, (struct val[]){__VA_ARGS__},                                                \
            (int)(sizeof((struct val[]){__VA_ARGS__}) / sizeof(struct val)))

/* ---- time: minutes since the anchor day, as ISO text ---- */

static const char *iso_at(struct gen *g, int64_t minute) {
    char day[11];
    date_format(g->anchor + (int32_t)(minute / 1440), day);
    int m = (int)(minute % 1440);
    return arena_printf(g->tmp, "%sT%02d:%02d:%02dZ", day, m / 60, m % 60,
                        (int)((minute * 7) % 60));
}
static const char *date_at(struct gen *g, int32_t day) {
    char *s = arena_alloc(g->tmp, 11);
    date_format(day, s);
    return s;
}
static int64_t minute_of(struct gen *g, int32_t day, int hour, int minute) {
    return (int64_t)(day - g->anchor) * 1440 + hour * 60 + minute;
}

/* ---- the audit chain ---- */

static int audit_row(struct gen *g, int64_t minute, int user, const char *action,
                     const char *object_type, int64_t object_id, const char *detail) {
    const struct user *u = user >= 0 ? &g->users[user] : NULL;
    double t0 = now_s();
    int64_t seq = ++g->seq;
    const char *ts = iso_at(g, minute);
    int64_t actor_id = u ? user + 1 : 0, unit_id = u ? g->units[u->unit].id : 0;
    const char *actor = u ? u->username : "cli:demo", *role = u ? u->role : "";
    char ip[20], rid[17], oid[24], hash[65];
    if (u)
        snprintf(ip, sizeof ip, "10.%d.%d.%d", 20 + user / 65536, (user / 256) % 256, user % 256);
    else
        snprintf(ip, sizeof ip, "local");
    uint64_t r = rnd(g);
    snprintf(rid, sizeof rid, "%016llx", (unsigned long long)r);
    snprintf(oid, sizeof oid, "%lld", (long long)object_id);
    audit_hash(g->prev, seq, ts, actor_id, actor, role, unit_id, ip, rid, action, object_type, oid,
               "ok", detail, hash);
    g->secs[T_AUDIT] += now_s() - t0;
    int rc = ROW(g, T_AUDIT,
                 "INSERT INTO audit_log (seq, ts, actor_id, actor, role, unit_id, ip, request_id, "
                 "action, object_type, object_id, result, detail, hash_alg, prev_hash, hash) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'ok', ?, '" AUDIT_HASH_ALG "', ?, ?)",
                 VI(seq), VS(ts), VIN(actor_id), VS(actor), VS(role), VIN(unit_id), VS(ip), VS(rid),
                 VS(action), VS(object_type), VS(oid), VS(detail), VS(g->prev), VS(hash));
    memcpy(g->prev, hash, sizeof hash);
    return rc;
}

/* ---- names ---- */

static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴",
                                       "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗",
                                       "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "萧"};
static const char *const given[] = {"建国", "志强", "秀英", "海涛", "丽华", "文博", "晓东", "春燕",
                                    "国庆", "明辉", "静怡", "立新", "红梅", "卫东", "思远", "雅琴",
                                    "振华", "玉兰", "俊杰", "慧敏", "德明", "晨曦", "永刚", "佳宁",
                                    "子涵", "浩然", "欣怡", "宇航", "梦洁", "天佑", "雨桐", "博文"};
static const char *const place1[] = {"东", "西", "南", "北", "中", "新", "长", "青", "白", "红",
                                     "金", "石", "柳", "桃", "梅", "松", "清", "安", "平", "永"};
static const char *const place2[] = {"关", "城", "湖", "山", "河", "桥", "坪", "塘", "岭", "溪",
                                     "林", "岗", "湾", "洲", "庄", "营", "口", "泉", "园", "峰"};

static const struct {
    const char *code, *name, *short_name, *kind;
} departments[] = {
    {"justice", "司法局", "司法局", "department"},
    {"police", "公安局", "公安局", "department"},
    {"market", "市场监督管理局", "市场监管局", "department"},
    {"drc", "发展和改革委员会", "发改委", "department"},
    {"finance", "财政局", "财政局", "department"},
    {"hrss", "人力资源和社会保障局", "人社局", "department"},
    {"natres", "自然资源局", "自然资源局", "department"},
    {"ecology", "生态环境局", "生态环境局", "department"},
    {"housing", "住房和城乡建设局", "住建局", "department"},
    {"urban", "城市管理综合执法局", "城管执法局", "department"},
    {"education", "教育局", "教育局", "department"},
    {"health", "卫生健康委员会", "卫健委", "department"},
    {"emergency", "应急管理局", "应急局", "department"},
    {"petition", "信访局", "信访局", "department"},
    {"civil", "民政局", "民政局", "department"},
    {"agri", "农业农村局", "农业农村局", "department"},
    {"culture", "文化和旅游局", "文旅局", "department"},
    {"govservice", "政务服务和数据管理局", "政数局", "department"},
    {"transport", "交通运输局", "交通局", "department"},
    {"water", "水利局", "水利局", "department"},
    {"commerce", "商务局", "商务局", "department"},
    {"audit", "审计局", "审计局", "department"},
    {"tax", "税务局", "税务局", "department"},
    {"stats", "统计局", "统计局", "department"},
    {"court", "人民法院", "法院", "court"},
    {"procuratorate", "人民检察院", "检察院", "procuratorate"},
};
#define N_DEPTS (int)(sizeof departments / sizeof departments[0])
static const char *const divisions[] = {"法制科",     "执法监督科", "综合科",
                                        "政策法规科", "办公室",     "普法宣传科"};
static const char *const demo_streets[][3] = {
    {"chengguan", "城关街道", "street"}, {"dongcheng", "东城街道", "street"},
    {"xicheng", "西城街道", "street"},   {"nanhu", "南湖街道", "street"},
    {"beishan", "北山镇", "township"},   {"qingshi", "青石镇", "township"},
    {"liuhe", "柳河乡", "township"}};
static const char *const groups[][2] = {{"grp-legislation", "立法（制度建设）协调小组"},
                                        {"grp-enforcement", "执法协调小组"},
                                        {"grp-judicial", "司法协调小组"},
                                        {"grp-publicity", "守法普法协调小组"}};

static const char *const topics[] = {
    "重大行政决策程序",   "行政规范性文件合法性审核", "行政执法“三项制度”",   "行政执法案卷评查",
    "行政复议和行政应诉", "政务公开标准化",           "“八五”普法",           "公共法律服务平台",
    "矛盾纠纷多元化解",   "法治政府建设示范创建",     "信访积案清理",         "打击非法集资",
    "打击电信网络诈骗",   "优化法治化营商环境",       "基层综合行政执法改革", "安全生产执法检查",
    "生态环境执法",       "食品药品安全监管",         "民营企业合法权益保护", "证明事项告知承诺制"};
static const char *const verbs[] = {"全面推进", "深化", "健全", "开展",     "落实",
                                    "规范",     "加强", "完善", "组织实施", "持续推进"};
static const char *const tags_pool[] = {
    "重大行政决策", "合法性审核",   "三项制度",     "案卷评查", "行政复议", "行政应诉", "政务公开",
    "普法",         "公共法律服务", "矛盾纠纷化解", "人民调解", "示范创建", "五项行动", "信访积案",
    "非法集资",     "电信网络诈骗", "营商环境",     "执法监督", "安全生产", "生态环境", "食品安全",
    "企业权益",     "告知承诺",     "基层治理",     "数字法治"};
#define N_TAGS_POOL (int)(sizeof tags_pool / sizeof tags_pool[0])
static const char *const categories[] = {"法治政府建设", "执法监督", "普法宣传", "公共法律服务",
                                         "基层治理",     "五项行动", "营商环境"};
static const char *const report_notes[] = {
    "已制定工作方案，明确责任分工和时间节点，各项工作有序推进。",
    "按计划推进，已完成阶段性目标，下一步将继续加强督促落实。",
    "召开专题推进会，梳理问题清单，逐项明确整改措施和完成时限。",
    "已完成摸底排查，形成工作台账，正在推进重点事项落实。",
    "本期完成既定任务，相关佐证材料已整理归档。"};

/* ---- the unit tree ---- */

static int add_unit(struct gen *g, int parent, const char *code, const char *name,
                    const char *short_name, const char *kind, int member) {
    if (g->n_units >= g->plan->units + 64) return -1;
    struct unit *u = &g->units[g->n_units];
    u->id = g->n_units + 1;
    u->parent = parent;
    u->code = code;
    u->name = name;
    u->short_name = short_name;
    u->kind = kind;
    u->path =
        arena_printf(g->a, "%s%lld/", parent >= 0 ? g->units[parent].path : "/", (long long)u->id);
    u->is_member = member;
    return g->n_units++;
}

static void build_units(struct gen *g) {
    const char *lvl = !strcmp(g->plan->name, "province") ? "省"
                      : !strcmp(g->plan->name, "city")   ? "市"
                                                         : "区";
    int sub = g->plan->subunits;
    int root = add_unit(g, -1, "committee", arena_printf(g->a, "%s委全面依法治%s委员会", lvl, lvl),
                        arena_printf(g->a, "依法治%s委", lvl), "committee", 0);
    g->office_unit = add_unit(g, root, "office", arena_printf(g->a, "%s委依法治%s办", lvl, lvl),
                              arena_printf(g->a, "依法治%s办", lvl), "office", 1);
    for (int i = 0; i < 4; i++)
        add_unit(g, root, groups[i][0], groups[i][1], groups[i][1], "group", 0);
    for (int i = 0; i < N_DEPTS; i++) {
        int d = add_unit(g, root, departments[i].code,
                         arena_printf(g->a, "%s%s", lvl, departments[i].name),
                         departments[i].short_name, departments[i].kind, 1);
        g->top_members[g->n_top++] = d;
        for (int k = 0; k < sub && k < 6; k++)
            add_unit(g, d, arena_printf(g->a, "%s-d%d", departments[i].code, k + 1),
                     arena_printf(g->a, "%s%s%s", lvl, departments[i].name, divisions[k]),
                     arena_printf(g->a, "%s%s", departments[i].short_name, divisions[k]), "other",
                     1);
    }
    /* Lower courts and procuratorates below the top ones (city and province). */
    for (int i = 0; i < sub * 2; i++) {
        int court = 24, proc = 25; /* indexes in departments[] */
        const char *pl = arena_printf(g->a, "%s%s", place1[i % 20], place2[(i * 7 + 3) % 20]);
        for (int j = 0; j < 2; j++) {
            int parent = -1;
            for (int k = 0; k < g->n_units; k++)
                if (!strcmp(g->units[k].code, departments[j ? proc : court].code)) parent = k;
            add_unit(g, parent, arena_printf(g->a, "%s-%d", j ? "proc" : "court", i + 1),
                     arena_printf(g->a, "%s区人民%s", pl, j ? "检察院" : "法院"),
                     arena_printf(g->a, "%s%s", pl, j ? "检察院" : "法院"),
                     j ? "procuratorate" : "court", 1);
        }
    }
    /* Streets and townships with their communities and villages, until the plan is full. */
    for (int i = 0; g->n_units < g->plan->units; i++) {
        const char *code, *name, *kind;
        if (i < 7) {
            code = demo_streets[i][0];
            name = demo_streets[i][1];
            kind = demo_streets[i][2];
        } else {
            int town = i % 3 == 0;
            code = arena_printf(g->a, "%s%04d", town ? "town" : "street", i);
            name = arena_printf(g->a, "%s%s%s", place1[(i * 3) % 20],
                                place2[(i * 11 + i / 20) % 20], town ? "镇" : "街道");
            kind = town ? "township" : "street";
        }
        int s = add_unit(g, root, code, name, name, kind, 1);
        for (int k = 0; k < sub && g->n_units < g->plan->units; k++)
            add_unit(g, s, arena_printf(g->a, "%s-c%d", code, k + 1),
                     arena_printf(g->a, "%s%s%s%s", name, place1[(i + k * 5) % 20],
                                  place2[(k * 3 + i) % 20], kind[0] == 't' ? "村" : "社区"),
                     arena_printf(g->a, "%s%s%s", place1[(i + k * 5) % 20],
                                  place2[(k * 3 + i) % 20], kind[0] == 't' ? "村" : "社区"),
                     "village", 1);
    }
    for (int i = 0; i < g->n_units; i++)
        if (g->units[i].is_member) g->members[g->n_members++] = i;
}

/* ---- users: the demo accounts first, then the clerks, office staff and leaders ---- */

static const struct {
    const char *username, *display_name, *unit, *role;
} demo_accounts[] = {
    {"sysadmin", "系统管理员", "office", "sysadmin"},
    {"secadmin", "安全管理员", "office", "secadmin"},
    {"auditor", "审计管理员", "office", "auditor"},
    {"office", "依法治办 周立新", "office", "office"},
    {"leader", "领导 陈振华", "committee", "leader"},
    {"reviewer", "合法性审核员 林静怡", "justice", "reviewer"},
    {"inspector", "法治督察员 郭俊杰", "office", "inspector"},
    {"clerk1", "司法局联络员 何晓东", "justice", "clerk"},
    {"clerk2", "城关街道联络员 马春燕", "chengguan", "clerk"},
};
#define N_DEMO_ACCOUNTS (int)(sizeof demo_accounts / sizeof demo_accounts[0])

static int unit_by_code(struct gen *g, const char *code) {
    for (int i = 0; i < g->n_units; i++)
        if (!strcmp(g->units[i].code, code)) return i;
    return -1;
}

static void build_users(struct gen *g) {
    /* Users are grouped by unit (ids contiguous per unit) so a unit's clerks are a range. The
     * demo accounts come first and belong to their units' ranges by reference only. */
    int per_unit = (g->plan->users - N_DEMO_ACCOUNTS) / g->n_units;
    if (per_unit < 1) per_unit = 1;
    int extra = g->plan->users - N_DEMO_ACCOUNTS - per_unit * g->n_units;
    for (int i = 0; i < N_DEMO_ACCOUNTS; i++) {
        struct user *u = &g->users[g->n_users++];
        u->username = demo_accounts[i].username;
        u->display_name = demo_accounts[i].display_name;
        u->unit = unit_by_code(g, demo_accounts[i].unit);
        u->role = demo_accounts[i].role;
        if (!strcmp(u->username, "office")) g->office_user = i;
        if (!strcmp(u->username, "auditor")) g->auditor_user = i;
    }
    for (int k = 0; k < g->n_units; k++) {
        struct unit *un = &g->units[k];
        int n = per_unit + (k < extra ? 1 : 0);
        un->first_user = g->n_users;
        un->n_users = n;
        for (int j = 0; j < n; j++) {
            struct user *u = &g->users[g->n_users];
            int id = g->n_users++;
            u->unit = k;
            u->role = !strcmp(un->kind, "committee") ? "leader"
                      : !strcmp(un->kind, "office")  ? (j % 5 == 4 ? "inspector" : "office")
                      : !strcmp(un->kind, "group")   ? "leader"
                                                     : "clerk";
            u->username = j == 0 && !strcmp(u->role, "clerk")
                              ? arena_printf(g->a, "clerk_%s", un->code)
                              : arena_printf(g->a, "%s.%d", un->code, j);
            u->display_name =
                arena_printf(g->a, "%s%s", surnames[(id * 7 + 3) % 30], given[(id * 11 + 5) % 32]);
        }
    }
}

/* A clerk of the unit who acts for it: clerk1/clerk2 for their units, else one of its users. */
static int unit_actor(struct gen *g, int unit) {
    const char *code = g->units[unit].code;
    if (!strcmp(code, "justice")) return 7;   /* clerk1 */
    if (!strcmp(code, "chengguan")) return 8; /* clerk2 */
    if (unit == g->office_unit) return g->office_user;
    const struct unit *u = &g->units[unit];
    return u->first_user + (u->n_users > 1 ? rnd_int(g, u->n_users < 3 ? u->n_users : 3) : 0);
}

static const char *const role_codes[] = {"sysadmin", "secadmin", "auditor",   "office",
                                         "leader",   "reviewer", "inspector", "clerk"};
#define N_ROLES (int)(sizeof role_codes / sizeof role_codes[0])

static void tmp_renew(struct gen *g) {
    if (g->tmp) arena_free(g->tmp);
    g->tmp = arena_new(16384);
}

static int insert_org(struct gen *g, const char *password_hash) {
    int rc = DB_OK;
    for (int i = 0; i < g->n_units && rc == DB_OK; i++) {
        if (i % 1000 == 0) tmp_renew(g);
        const struct unit *u = &g->units[i];
        const char *ts = iso_at(g, minute_of(g, g->anchor, 8, i % 60));
        rc = ROW(
            g, T_UNITS,
            "INSERT INTO units (id, code, name, short_name, kind, parent_id, path, sort_order, "
            "active, created_at, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, 1)",
            VI(u->id), VS(u->code), VS(u->name), VS(u->short_name), VS(u->kind),
            u->parent >= 0 ? VI(g->units[u->parent].id) : VN, VS(u->path), VI((i + 1) * 10), VS(ts),
            VS(ts));
        if (rc == DB_OK)
            rc = audit_row(g, minute_of(g, g->anchor, 8, i % 60), -1, "unit.create", "unit", u->id,
                           "");
    }
    for (int i = 0; i < g->n_users && rc == DB_OK; i++) {
        if (i % 1000 == 0) tmp_renew(g);
        const struct user *u = &g->users[i];
        int64_t role = 0;
        for (int k = 0; k < N_ROLES && !role; k++)
            if (!strcmp(role_codes[k], u->role)) role = g->role_ids[k];
        const char *ts = iso_at(g, minute_of(g, g->anchor, 9, 0) + i / 50);
        rc = ROW(g, T_USERS,
                 "INSERT INTO users (id, username, display_name, unit_id, role_id, password_hash, "
                 "must_change_password, locked, password_changed_at, created_at, updated_at, "
                 "version) VALUES (?, ?, ?, ?, ?, ?, 0, 0, ?, ?, ?, 1)",
                 VI(i + 1), VS(u->username), VS(u->display_name), VI(g->units[u->unit].id),
                 VIN(role), VS(password_hash), VS(ts), VS(ts), VS(ts));
        if (rc == DB_OK)
            rc = audit_row(g, minute_of(g, g->anchor, 9, 0) + i / 50, -1, "user.create", "user",
                           i + 1, "");
    }
    return rc;
}

/* ---- tasks ---- */

struct ev {
    int64_t minute;
    int user;
    const char *action, *note, *detail;
    int progress; /* -1 = none */
};

enum { ST_DRAFT, ST_ISSUED, ST_PROGRESS, ST_CLOSING, ST_DONE, ST_CANCELLED };
static const char *const st_codes[] = {"draft",   "issued", "in_progress",
                                       "closing", "done",   "cancelled"};

static int pick_status(struct gen *g, int32_t due) {
    int r = rnd_int(g, 100);
    if (due < g->data_now) /* due in the past: mostly closed, some overdue */
        return r < 3    ? ST_DRAFT
               : r < 8  ? ST_ISSUED
               : r < 33 ? ST_PROGRESS
               : r < 41 ? ST_CLOSING
               : r < 96 ? ST_DONE
                        : ST_CANCELLED;
    return r < 3    ? ST_DRAFT
           : r < 18 ? ST_ISSUED
           : r < 83 ? ST_PROGRESS
           : r < 88 ? ST_CLOSING
           : r < 98 ? ST_DONE
                    : ST_CANCELLED;
}

struct doc_task { /* what children need of their parent */
    int64_t id;
    int32_t due;
    char path[80]; /* "/root/child/grandchild/" */
    int depth;
};

static int gen_task(struct gen *g, int64_t task_id, int64_t doc_id, const char *doc_title,
                    int32_t issued, const struct doc_task *parent, struct doc_task *self,
                    int64_t reports_left, int64_t tasks_left) {
    struct arena *a = g->tmp;
    /* what it is */
    int topic = rnd_int(g, 20);
    const char *title =
        arena_printf(a, "%s%s工作%s", verbs[rnd_int(g, 10)], topics[topic],
                     parent ? arena_printf(a, "（第%d项）", (int)(task_id % 97) + 1) : "");
    int lead =
        chance(g, 40) ? g->top_members[rnd_int(g, g->n_top)] : g->members[rnd_int(g, g->n_members)];
    int co[SCALE_MAX_CO], n_co = 0, want = rnd_int(g, SCALE_MAX_CO + 1);
    for (int t = 0; t < 8 && n_co < want; t++) {
        int c = g->members[rnd_int(g, g->n_members)], dup = c == lead;
        for (int k = 0; k < n_co; k++)
            dup |= co[k] == c;
        if (!dup) co[n_co++] = c;
    }
    int32_t start = issued + rnd_int(g, 10);
    int32_t due =
        parent
            ? start + 10 + rnd_int(g, parent->due - start - 10 > 1 ? parent->due - start - 10 : 1)
            : start + 30 + rnd_int(g, 390);
    if (parent && due > parent->due) due = parent->due;
    int rhythm_r = rnd_int(g, 10);
    const char *rhythm = rhythm_r < 3 ? "none" : rhythm_r < 8 ? "monthly" : "quarterly";
    const char *priority = chance(g, 15) ? "urgent" : chance(g, 30) ? "high" : "normal";
    int status = pick_status(g, due);
    if (status == ST_DRAFT && parent) status = ST_ISSUED; /* subtasks are issued with parents */
    int supervised = status != ST_DRAFT && chance(g, 6);
    /* its timeline */
    struct ev ev[160];
    int n = 0, version = 1, progress = 0;
    int office = g->office_user, lead_user = unit_actor(g, lead);
    int64_t m = minute_of(g, start, 9, rnd_int(g, 60));
    int64_t last = minute_of(g, g->data_now, 18, 0);
    int32_t end_day = due < g->data_now ? due + 5 : g->data_now;
    ev[n++] = (struct ev){m, office, "create", "", "", -1};
    int acked[SCALE_MAX_CO] = {0}, lead_acked = 0;
    const char *ack_at[SCALE_MAX_CO + 1] = {0};
    int ack_by[SCALE_MAX_CO + 1] = {0};
    const char *issued_at = NULL, *closed_at = NULL, *report_due = NULL, *waiting = NULL;
    if (status != ST_DRAFT) {
        m += 60 + rnd_int(g, 600);
        issued_at = iso_at(g, m);
        ev[n++] = (struct ev){m, office, "issue", "", "{\"from\":\"draft\",\"to\":\"issued\"}", -1};
        version++;
        if (supervised) { /* 挂牌督办 right after issue */
            m += 30;
            ev[n++] = (struct ev){m, office, "supervise", "", "{}", -1};
            version++;
        }
        if (status >= ST_PROGRESS || (status == ST_CANCELLED && chance(g, 50))) {
            m += 240 + rnd_int(g, 2880);
            ev[n++] = (struct ev){
                m, lead_user, "acknowledge", "", "{\"from\":\"issued\",\"to\":\"in_progress\"}",
                -1};
            version++;
            lead_acked = 1;
            ack_at[0] = iso_at(g, m);
            ack_by[0] = lead_user;
        }
        for (int k = 0; k < n_co; k++)
            if (chance(g, status == ST_ISSUED ? 40 : 90)) {
                m += 30 + rnd_int(g, 1440);
                int u = unit_actor(g, co[k]);
                ev[n++] = (struct ev){m, u, "acknowledge", "", "{}", -1};
                version++;
                acked[k] = 1;
                ack_at[k + 1] = iso_at(g, m);
                ack_by[k + 1] = u;
            }
    }
    if (lead_acked && status != ST_CANCELLED && status != ST_ISSUED) {
        /* Progress reports, spread between acknowledgement and the end of the year so far. */
        double avg = (double)reports_left / (double)(tasks_left * 0.80 + 1);
        int k = (int)(avg * 2 * (double)rnd_int(g, 1001) / 1000.0 + 0.5);
        if (k > 120) k = 120;
        int64_t span = minute_of(g, end_day, 17, 0) - m;
        if (span < (int64_t)k * 60) span = (int64_t)k * 60;
        for (int i = 0; i < k; i++) {
            m += span / (k + 1);
            progress = progress + (100 - progress) / 4 + rnd_int(g, 5);
            if (progress > 95) progress = 95;
            int u = lead_user;
            if (n_co && chance(g, 20)) {
                int c = rnd_int(g, n_co);
                if (acked[c]) u = ack_by[c + 1];
            }
            ev[n++] = (struct ev){m, u, "report", report_notes[rnd_int(g, 5)], "{}", progress};
            version++;
            g->reports++;
        }
        if (strcmp(rhythm, "none") != 0) {
            int32_t next = g->anchor + (int32_t)(m / 1440) + (rhythm[0] == 'm' ? 30 : 91);
            if (next > due) next = due;
            report_due = date_at(g, next);
        }
    }
    if (status == ST_CLOSING || status == ST_DONE) {
        m += 60 + rnd_int(g, 1440);
        ev[n++] = (struct ev){m,
                              lead_user,
                              "request_close",
                              "各项工作已全部完成，相关佐证材料已上传，申请办结。",
                              "{\"from\":\"in_progress\",\"to\":\"closing\"}",
                              100};
        version++;
        progress = 100;
        report_due = NULL;
        /* awaiting acceptance since the request's local day (tasks.waiting_since) */
        if (status == ST_CLOSING) waiting = date_at(g, date_local_of_iso(iso_at(g, m)));
    }
    if (status == ST_DONE) {
        m += 60 + rnd_int(g, 2880);
        ev[n++] = (struct ev){m,
                              office,
                              "accept",
                              "经审核，任务已完成，同意办结。",
                              "{\"from\":\"closing\",\"to\":\"done\"}",
                              -1};
        version++;
        closed_at = iso_at(g, m);
    }
    if (status == ST_CANCELLED) {
        m += 60 + rnd_int(g, 2880);
        ev[n++] = (struct ev){m,
                              office,
                              "cancel",
                              "工作部署调整，该任务撤销。",
                              lead_acked ? "{\"from\":\"in_progress\",\"to\":\"cancelled\"}"
                                         : "{\"from\":\"issued\",\"to\":\"cancelled\"}",
                              -1};
        version++;
        closed_at = iso_at(g, m);
        report_due = NULL;
    }
    if (m > last) m = last;
    const char *path = arena_printf(a, "%s%lld/", parent ? parent->path : "/", (long long)task_id);
    const char *created = iso_at(g, ev[0].minute);
    int rc = ROW(
        g, T_TASKS,
        "INSERT INTO tasks (id, document_id, parent_id, path, title, content, category, "
        "lead_unit_id, responsible, start_on, due_on, rhythm, custom_dates, report_due_on, "
        "priority, supervised, status, progress, issued_at, closed_at, created_by, "
        "created_at, updated_at, version, waiting_since) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        VI(task_id), VI(doc_id), parent ? VI(parent->id) : VN, VS(path), VS(title),
        VS(arena_printf(
            a, "按照《%s》要求，%s。牵头单位会同配合单位制定工作方案，明确时间节点，按期报送进展。",
            doc_title, title)),
        VS(categories[topic % 7]), VI(g->units[lead].id), VS(g->users[lead_user].display_name),
        VS(date_at(g, start)), VS(date_at(g, due)), VS(rhythm), VS(report_due), VS(priority),
        VI(supervised), VS(st_codes[status]), VI(progress), VS(issued_at), VS(closed_at),
        VI(office + 1), VS(created), VS(iso_at(g, m)), VI(version), VS(waiting));
    if (rc == DB_OK)
        rc = ROW(
            g, T_TASK_UNITS,
            "INSERT INTO task_units (task_id, unit_id, role, acknowledged_at, acknowledged_by) "
            "VALUES (?, ?, 'lead', ?, ?)",
            VI(task_id), VI(g->units[lead].id), VS(ack_at[0]), ack_at[0] ? VI(ack_by[0] + 1) : VN);
    for (int k = 0; k < n_co && rc == DB_OK; k++)
        rc =
            ROW(g, T_TASK_UNITS,
                "INSERT INTO task_units (task_id, unit_id, role, acknowledged_at, acknowledged_by) "
                "VALUES (?, ?, 'co', ?, ?)",
                VI(task_id), VI(g->units[co[k]].id), VS(ack_at[k + 1]),
                ack_at[k + 1] ? VI(ack_by[k + 1] + 1) : VN);
    int n_tags = 1 + rnd_int(g, 3), first_tag = rnd_int(g, N_TAGS_POOL);
    for (int k = 0; k < n_tags && rc == DB_OK; k++)
        rc = ROW(g, T_TASK_TAGS, "INSERT INTO task_tags (task_id, tag) VALUES (?, ?)", VI(task_id),
                 VS(tags_pool[(first_tag + k * 7) % N_TAGS_POOL]));
    /* The create event's audit detail is what task_create records. */
    json_t *d = json_pack("{s:s,s:I,s:s}", "title", title, "lead_unit_id",
                          (json_int_t)g->units[lead].id, "due_on", date_at(g, due));
    char *create_detail = json_dumps(d, JSON_COMPACT);
    json_decref(d);
    for (int i = 0; i < n && rc == DB_OK; i++) {
        const struct ev *e = &ev[i];
        const struct user *u = &g->users[e->user];
        int64_t event_id = g->rows[T_EVENTS] + 1;
        rc = ROW(g, T_EVENTS,
                 "INSERT INTO task_events (id, task_id, at, actor_id, actor_name, unit_id, action, "
                 "note, progress, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 VI(event_id), VI(task_id), VS(iso_at(g, e->minute)), VI(e->user + 1),
                 VS(u->display_name), VI(g->units[u->unit].id), VS(e->action), VS(e->note),
                 e->progress >= 0 ? VI(e->progress) : VN, VS(e->detail));
        if (rc == DB_OK)
            rc = audit_row(g, e->minute, e->user, arena_printf(a, "task.%s", e->action), "task",
                           task_id, i == 0 ? (create_detail ? create_detail : "") : e->detail);
    }
    free(create_detail);
    self->id = task_id;
    self->due = due;
    snprintf(self->path, sizeof self->path, "%s", path);
    self->depth = parent ? parent->depth + 1 : 0;
    return rc;
}

/* Sign-in, sign-out and audit-query records of ordinary use, to reach the planned volume. */
static int filler(struct gen *g, int64_t minute) {
    int r = rnd_int(g, 100);
    if (r < 12)
        return audit_row(g, minute, g->auditor_user, "audit.query", "audit_log", 0,
                         "{\"action\":\"task.report\"}");
    int u = rnd_int(g, g->n_users);
    return audit_row(g, minute, u, r < 25 ? "auth.logout" : "auth.login", "user", u + 1, "");
}

static int insert_tasks(struct gen *g) {
    const struct scale_plan *p = g->plan;
    int n_docs = (p->tasks + SCALE_TASKS_PER_DOC - 1) / SCALE_TASKS_PER_DOC;
    int64_t task_id = 0;
    struct doc_task *doc_tasks = arena_alloc(g->a, sizeof(struct doc_task) * SCALE_TASKS_PER_DOC);
    static const char *const kinds[] = {"work_points", "plan", "notice", "minutes", "other"};
    int rc = DB_OK;
    double filler_debt = 0;
    for (int d = 0; d < n_docs && rc == DB_OK; d++) {
        int64_t doc_id = d + 1;
        int32_t issued = g->anchor + 20 + (int32_t)((int64_t)d * 280 / n_docs);
        int topic = rnd_int(g, 20);
        const char *title = arena_printf(g->a, "关于%s%s的实施方案（%d）", verbs[rnd_int(g, 10)],
                                         topics[topic], d + 1);
        const char *ts = iso_at(g, minute_of(g, issued, 8, 30));
        rc = ROW(
            g, T_DOCUMENTS,
            "INSERT INTO documents (id, doc_no, title, issuer, issued_on, kind, summary, "
            "created_by, created_at, updated_at, version) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
            VI(doc_id), VS(arena_printf(g->a, "依法治办发〔%.4s〕%d号", date_at(g, issued), d + 1)),
            VS(title), VS(g->units[g->office_unit].name), VS(date_at(g, issued)), VS(kinds[d % 5]),
            VS(arena_printf(g->a, "围绕%s，明确重点任务、责任分工和完成时限。", topics[topic])),
            VI(g->office_user + 1), VS(ts), VS(ts));
        if (rc == DB_OK)
            rc = audit_row(g, minute_of(g, issued, 8, 30), g->office_user, "document.create",
                           "document", doc_id, "");
        int n = 0;
        for (; n < SCALE_TASKS_PER_DOC && task_id < p->tasks && rc == DB_OK; n++) {
            /* A root about one time in four, else a subtask of an earlier task (depth ≤ 2). */
            const struct doc_task *parent = NULL;
            if (n > 0 && !chance(g, 25)) {
                parent = &doc_tasks[rnd_int(g, n)];
                if (parent->depth >= 2 || parent->due - issued < 40) parent = NULL;
            }
            tmp_renew(g);
            task_id++;
            rc = gen_task(g, task_id, doc_id, title, issued, parent, &doc_tasks[n],
                          p->reports - g->reports, p->tasks - task_id + 1);
            /* Filler to keep the audit volume on plan: the records still needed, spread over
             * the tasks still to come (business records so far per task estimate the rest). */
            double business_per_task = (double)g->rows[T_AUDIT] / (double)task_id;
            double remaining = (double)p->audit - (double)g->rows[T_AUDIT] -
                               business_per_task * (double)(p->tasks - task_id);
            filler_debt += remaining > 0 ? remaining / (double)(p->tasks - task_id + 1) : 0;
            int64_t at = minute_of(g, issued, 12, 0);
            while (filler_debt >= 1 && rc == DB_OK) {
                rc = filler(g, at++);
                filler_debt -= 1;
            }
        }
    }
    int64_t at = minute_of(g, g->data_now, 8, 0);
    while (g->rows[T_AUDIT] < p->audit && rc == DB_OK)
        rc = filler(g, at++);
    return rc;
}

/* ---- the sqlite3 comparison ---- */

/* Load `sql` with the sqlite3 tool into `db_path`; seconds, or -1. */
static double sqlite3_cli_load(const char *db_path, const char *sql) {
    double t0 = now_s();
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        int fd = open(sql, O_RDONLY);
        if (fd < 0 || dup2(fd, 0) < 0) _exit(127);
        execlp("sqlite3", "sqlite3", "-bail", db_path, (char *)NULL);
        _exit(127);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? now_s() - t0 : -1;
}

static int64_t expected_rows(const struct scale_plan *p) {
    return p->units * 2 + p->users * 2 + (int64_t)p->tasks / SCALE_TASKS_PER_DOC * 2 +
           (int64_t)p->tasks * 6 + p->reports + (int64_t)p->tasks * 3 + p->audit;
}

int scale_plan_known(const char *name) {
    for (size_t i = 0; i < sizeof plans / sizeof plans[0]; i++)
        if (!strcmp(plans[i].name, name)) return 1;
    return 0;
}

int scale_populate(struct db *db, const char *data_dir, const char *scale, uint64_t seed,
                   const char *password, int64_t sample_rows, int32_t today) {
    const struct scale_plan *plan = NULL;
    for (size_t i = 0; i < sizeof plans / sizeof plans[0]; i++)
        if (!strcmp(plans[i].name, scale)) plan = &plans[i];
    if (!plan) return -1;
    struct gen g = {.db = db, .plan = plan, .rng = seed * 0x2545f4914f6cdd1dULL + 1};
    g.a = arena_new(1 << 20);
    g.data_now = today - 1;
    g.anchor = g.data_now - SCALE_YEAR_SO_FAR;
    memset(g.prev, '0', 64);
    g.units = arena_alloc(g.a, sizeof(struct unit) * (size_t)(plan->units + 64));
    g.members = arena_alloc(g.a, sizeof(int) * (size_t)(plan->units + 64));
    g.top_members = arena_alloc(g.a, sizeof(int) * N_DEPTS);
    g.users = arena_alloc(g.a, sizeof(struct user) * (size_t)(plan->users + plan->units + 64));
    for (int i = 0; i < N_ROLES; i++)
        g.role_ids[i] = role_id_by_code(db, role_codes[i]);
    build_units(&g);
    build_users(&g);
    g.expected = expected_rows(plan);

    /* One Argon2id hash for every account: hashing 20,000 passwords would take minutes, and
     * the same string verifies the same demo password for all of them. */
    char pw_hash[PASSWORD_HASH_MAX];
    if (password_hash(password, pw_hash) != 0) {
        arena_free(g.a);
        return -1;
    }

    /* The comparison needs a fresh copy of the (empty, migrated, seeded) schema. */
    char base[1200], sample_path[1200];
    snprintf(base, sizeof base, "%s/scale-sample.db", data_dir);
    snprintf(sample_path, sizeof sample_path, "%s/scale-sample.sql", data_dir);
    int compare = sample_rows > 0 && db_engine(db) == DB_SQLITE;
    if (compare) {
        char err[300];
        unlink(base);
        if (db_backup_to(db, base, err, sizeof err) != DB_OK ||
            !(g.sample = fopen(sample_path, "w"))) {
            fprintf(stderr, "fazhi demo --scale: no sqlite3 comparison (%s)\n", err);
            compare = 0;
        } else {
            g.sample_max = sample_rows;
            fputs("PRAGMA foreign_keys=ON;\nBEGIN;\n", g.sample);
        }
    }

    fprintf(stderr,
            "scale %s (seed %llu): %d units, %d users, %d tasks, ~%lld reports, %lld "
            "audit records\n",
            plan->name, (unsigned long long)seed, g.n_units, g.n_users, plan->tasks,
            (long long)plan->reports, (long long)plan->audit);
    g.t0 = g.last_report = now_s();
    int rc = db_begin(db);
    if (rc == DB_OK) rc = insert_org(&g, pw_hash);
    if (rc == DB_OK) rc = insert_tasks(&g);
    for (int m = 0; rc == DB_OK && fazhi_modules[m]; m++) /* the modules' own, set-based */
        if (fazhi_modules[m]->demo_scale) rc = fazhi_modules[m]->demo_scale(db, plan->tasks, today);
    if (rc == DB_OK)
        rc = db_exec(db, "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", "is", g.seq,
                     g.prev);
    /* Rows went in with their ids: the engine's id generators continue after them. */
    static const char *const with_ids[] = {"units", "users", "documents", "tasks", "task_events"};
    for (size_t i = 0; i < sizeof with_ids / sizeof with_ids[0] && rc == DB_OK; i++)
        rc = db_reset_sequences(db, with_ids[i]);
    if (rc == DB_OK)
        rc = db_commit(db);
    else
        db_rollback(db);
    double secs = now_s() - g.t0;
    progress(&g, 1);
    if (rc != DB_OK) {
        fprintf(stderr, "fazhi demo --scale: failed: %s\n", db_errmsg(db));
        if (g.sample) fclose(g.sample);
        unlink(sample_path);
        unlink(base);
        if (g.tmp) arena_free(g.tmp);
        arena_free(g.a);
        return -1;
    }
    /* Clocks the modules inserted marked stale get their due dates over the calendar, in the
     * engine's batches (each its own short transaction). */
    int64_t after = 0;
    for (int n = FLOW_CLOCK_BATCH; n == FLOW_CLOCK_BATCH && rc == DB_OK;)
        rc = flow_clocks_recompute_batch(db, 0, &after, &n);
    if (rc != DB_OK)
        fprintf(stderr, "fazhi demo --scale: clocks left for the daily job (%d)\n", rc);
    int64_t reports = 0;
    db_query_int(db, &reports, "SELECT COUNT(*) FROM task_events WHERE action = 'report'", "");
    printf("scale %s, seed %llu: %lld rows in %.1f s (%.0f rows/s); %lld progress reports, %lld "
           "audit records\n",
           plan->name, (unsigned long long)seed, (long long)g.total, secs, g.total / secs,
           (long long)reports, (long long)g.seq);
    printf("%-12s %10s %12s\n", "table", "rows", "rows/s");
    for (int i = 0; i < T_COUNT; i++)
        printf("%-12s %10lld %12.0f\n", table_names[i], (long long)g.rows[i],
               g.secs[i] > 0 ? g.rows[i] / g.secs[i] : 0);
    if (compare) {
        fputs("COMMIT;\n", g.sample);
        fclose(g.sample);
        int64_t n = 0;
        double gen_equiv = 0; /* the generator's time for the same rows, at its per-table rates */
        for (int i = 0; i < T_COUNT; i++) {
            n += g.sampled[i];
            if (g.rows[i]) gen_equiv += g.secs[i] * (double)g.sampled[i] / (double)g.rows[i];
        }
        double cli = sqlite3_cli_load(base, sample_path);
        if (cli < 0) {
            printf("sqlite3 comparison: the sqlite3 tool failed (is it installed?)\n");
        } else {
            /* Overall includes commits, random choices and the audit hashes; per-table
             * (like for like) counts the time in each table's inserts and hashes. */
            double cli_rate = n / cli, gen_rate = g.total / secs;
            printf("sqlite3 tool, one transaction: %lld sample rows (first %lld of each table) in "
                   "%.2f s = %.0f rows/s\n",
                   (long long)n, (long long)sample_rows, cli, cli_rate);
            printf("ratio generator/sqlite3: overall %.2f, same rows at the generator's per-table "
                   "rates %.2f (target >= 0.33)\n",
                   gen_rate / cli_rate, gen_equiv > 0 ? cli / gen_equiv : 0);
        }
        if (!getenv("FAZHI_SCALE_KEEP_SAMPLE")) { /* kept for a look with the sqlite3 tool */
            unlink(sample_path);
            unlink(base);
        }
        char extra[1300];
        snprintf(extra, sizeof extra, "%s-wal", base);
        unlink(extra);
        snprintf(extra, sizeof extra, "%s-shm", base);
        unlink(extra);
    }
    if (g.tmp) arena_free(g.tmp);
    arena_free(g.a);
    return 0;
}
