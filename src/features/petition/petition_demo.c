/* petition_demo.c — demo petitions: `fazhi demo` registers a year of them as the office and walks
 * each through the kind as the accounts whose turn it is (the office routes, decides extensions,
 * reviews; the unit's clerk signs for, objects, asks for more time, replies, asks for 销号), so
 * the demo's states, timelines, clocks and audit records are the engine's own: routed, objected,
 * extended, overdue, replied with each outcome, 复查 and 复核 with a hearing under way, backlog
 * cases with their leader and monthly progress, some cleared, and repeat petitions of one person
 * (parties with the same ID number). `fazhi demo --scale` adds 3 × volume in set-based inserts. */
#include <stdio.h>
#include <string.h>

#include "base/calendar.h"
#include "base/timeutil.h"
#include "features/flow/flow_demo.h"
#include "features/accounts/accounts.h"
#include "features/org/org.h"
#include "features/petition/petition.h"
#include "store/query.h"

#define DEMO_PETITIONS 64

/* The units petitions are routed to (their clerk accounts act). */
static const char *const units[] = {"hrss",  "housing",   "natres",  "chengguan",
                                    "urban", "dongcheng", "justice", "ecology"};
static const char *const matters[] = {"labour", "housing", "land",       "litigation",
                                      "other",  "civil",   "enterprise", "environment"};
static const char *const channels[] = {"visit", "letter", "phone", "online", "transfer"};
static const char *const summaries[] = {
    "反映某建筑公司拖欠农民工工资三个月，请求协调支付。",
    "反映小区开发商逾期交房且拒不支付违约金，请求督促处理。",
    "对征地补偿标准有异议，请求重新核定补偿款。",
    "对法院已生效判决执行不到位，请求协调推进执行。",
    "反映夜间施工噪音扰民，请求依法查处。",
    "申请最低生活保障被拒，请求复核家庭经济状况。",
    "反映企业办理经营许可时遭遇多头审批、久拖不办。",
    "反映周边企业废气排放影响居民生活，请求监测整治。",
};
static const char *const places[] = {"城关街道幸福社区", "东城街道", "北山镇青龙村", "南湖街道",
                                     "西城街道建设路",   "青石镇",   "柳河乡",       "城关街道"};

/* 信访人: 18-digit ID numbers with their GB 11643 check digit (made below). */
static const char *const names[] = {"王建国", "李秀英", "张伟", "刘芳", "陈静", "杨磊",
                                    "赵敏",   "黄海",   "周婷", "吴刚", "徐丽", "孙强"};

/* GB 11643-1999: the 18th character from the first 17 (weights 2^(17-i) mod 11). */
static char id_check(const char *d17) {
    static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    int sum = 0;
    for (int i = 0; i < 17; i++)
        sum += (d17[i] - '0') * w[i];
    return "10X98765432"[sum % 11];
}

/* 3201xx (南京 districts), born 19yy-mm-dd, a sequence number, the check digit. */
static void id_number(int person, char out[19]) {
    char d17[40];
    snprintf(d17, sizeof d17, "3201%02d19%02d%02d%02d%03d", 2 + person % 5, 55 + person * 3 % 40,
             1 + person % 12, 1 + person * 7 % 28, 100 + person * 37 % 900);
    memcpy(out, d17, 17);
    out[17] = id_check(out);
    out[18] = 0;
}

static int32_t demo_today; /* the demo's day: its steps are taken as of it */

/* Take one step as `who`, with the record's current version (body is stolen). */
static int act(struct db *db, struct arena *a, const char *who, int64_t id, const char *action,
               json_t *body) {
    return flow_demo_act(db, a, &petition_kind, who, id, action, body, demo_today, 0);
}

static const char *clerk_of(struct arena *a, const char *unit) {
    if (!strcmp(unit, "justice")) return "clerk1";
    if (!strcmp(unit, "chengguan")) return "clerk2";
    return arena_printf(a, "clerk_%s", unit);
}

static const char *day_of(struct arena *a, int32_t d) {
    char *s = arena_alloc(a, 11);
    date_format(d, s);
    return s;
}

/* What happens to petition i (older ones went further; the newest are still early). */
enum stage {
    ST_REGISTERED,
    ST_REJECTED,
    ST_ACCEPTED,    /* not yet routed: overdue when received > 15 days ago */
    ST_ROUTED,      /* waiting for the unit to sign for it */
    ST_OBJECTED,    /* the unit objected: the office's turn */
    ST_REROUTED,    /* objected, routed elsewhere, signed for: handling */
    ST_HANDLING,    /* handling (overdue when signed > 60 days ago) */
    ST_EXT_PENDING, /* the unit asked for more time */
    ST_EXTENDED,    /* the office approved 30 days more */
    ST_REPLIED,     /* replied: support */
    ST_CLOSED,      /* replied: explain, closed */
    ST_REVIEWING,   /* not supported, 复查 requested */
    ST_REVIEWED,    /* 复查 answered, closed */
    ST_HEARING,     /* 复核 requested, hearing under way (its clock suspended) */
    ST_RECHECKED,   /* 复核 with a hearing, decided: closed */
    ST_INSISTED,    /* objected, the office insisted, replied, closed */
    ST_N
};

static int walk(struct db *db, struct arena *a, int64_t id, int i, enum stage st, int32_t recv,
                int32_t today, int64_t unit) {
    const char *unit_code = units[i % 8], *clerk = clerk_of(a, unit_code);
    if (st == ST_REGISTERED) return DB_OK;
    if (st == ST_REJECTED)
        return act(db, a, "office", id, "reject",
                   json_pack("{s:s}", "note",
                             "该诉求已进入诉讼程序，依照《信访工作条例》不予受理，已告知信访人。"));
    if (act(db, a, "office", id, "accept", json_object()) != DB_OK) return DB_ERROR;
    if (st == ST_ACCEPTED) return DB_OK;
    /* routed within the 15 days (most on day 3 to 10) */
    int32_t routed = recv + 3 + i % 8;
    if (routed > today) routed = today;
    int objecting = st == ST_OBJECTED || st == ST_REROUTED || st == ST_INSISTED;
    if (objecting) routed = today - 2 > recv ? today - 2 : recv; /* objections are recent */
    if (act(db, a, "office", id, "route",
            json_pack("{s:I,s:s,s:s}", "unit_id", (json_int_t)unit, "route_mode",
                      i % 3 ? "assign" : "transfer", "routed_on", day_of(a, routed))) != DB_OK)
        return DB_ERROR;
    if (st == ST_ROUTED) return DB_OK;
    if (objecting) {
        if (act(db, a, clerk, id, "object",
                json_pack("{s:s}", "note", "经核查该事项属于其他部门法定职责，本单位无管辖权。")) !=
            DB_OK)
            return DB_ERROR;
        if (st == ST_OBJECTED) return DB_OK;
        if (st == ST_REROUTED) {
            unit_code = units[(i + 1) % 8];
            clerk = clerk_of(a, unit_code);
            if (act(db, a, "office", id, "reroute",
                    json_pack("{s:I,s:s,s:s}", "unit_id",
                              (json_int_t)unit_id_by_code(db, unit_code), "route_mode", "assign",
                              "routed_on", day_of(a, today))) != DB_OK ||
                act(db, a, clerk, id, "sign", json_object()) != DB_OK)
                return DB_ERROR;
            return DB_OK;
        }
        if (act(db, a, "office", id, "insist",
                json_pack("{s:s}", "note", "经研究该事项属于你单位职责，请依法办理。")) != DB_OK ||
            act(db, a, clerk, id, "reply",
                json_pack("{s:s,s:s}", "outcome", "explain", "note",
                          "已向信访人解释相关政策，信访人表示理解。")) != DB_OK ||
            act(db, a, "office", id, "close", json_object()) != DB_OK)
            return DB_ERROR;
        return DB_OK;
    }
    int32_t signed_on = routed + 1 + i % 3;
    if (signed_on > today) signed_on = today;
    if (act(db, a, clerk, id, "sign", json_pack("{s:s}", "accepted_on", day_of(a, signed_on))) !=
        DB_OK)
        return DB_ERROR;
    if (st == ST_HANDLING) return DB_OK;
    if (st == ST_EXT_PENDING || st == ST_EXTENDED) {
        if (act(db, a, clerk, id, "request_extension",
                json_pack("{s:s}", "note", "涉及多个部门协调，需补充调查取证，申请延期30日。")) !=
            DB_OK)
            return DB_ERROR;
        if (st == ST_EXT_PENDING) return DB_OK;
        return act(db, a, "office", id, "approve_extension",
                   json_pack("{s:s}", "note", "情况复杂，同意延期30日。"));
    }
    /* replied within the 60 days */
    int32_t replied = signed_on + 20 + i % 30;
    if (replied > today) replied = today;
    const char *outcome = st == ST_REPLIED  ? "support"
                          : st == ST_CLOSED ? "explain"
                                            : "unsupported";
    if (act(db, a, clerk, id, "reply",
            json_pack("{s:s,s:s,s:s}", "outcome", outcome, "replied_on", day_of(a, replied), "note",
                      !strcmp(outcome, "support")
                          ? "经调查，信访人反映情况属实，已责成相关单位限期整改并书面答复。"
                      : !strcmp(outcome, "explain")
                          ? "经调查，相关处理符合政策规定，已向信访人解释说明。"
                          : "经调查，信访人诉求缺乏事实和法律依据，不予支持，已书面告知。")) !=
        DB_OK)
        return DB_ERROR;
    if (st == ST_REPLIED) return DB_OK;
    if (st == ST_CLOSED) return act(db, a, "office", id, "close", json_object());
    /* 复查: asked within the 30 days, answered within 30 */
    int32_t asked = replied + 5 + i % 20, decided = asked + 10 + i % 15;
    if (asked > today) asked = today;
    if (decided > today) decided = today;
    if (act(db, a, "office", id, "request_review",
            json_pack("{s:s}", "requested_on", day_of(a, asked))) != DB_OK)
        return DB_ERROR;
    if (st == ST_REVIEWING) return DB_OK;
    if (act(db, a, "office", id, "review",
            json_pack("{s:s,s:s,s:s}", "outcome", "unsupported", "decided_on", day_of(a, decided),
                      "note", "经复查，原处理意见认定事实清楚，维持原处理意见。")) != DB_OK)
        return DB_ERROR;
    if (st == ST_REVIEWED) return act(db, a, "office", id, "close", json_object());
    /* 复核 with a hearing */
    int32_t again = decided + 3 + i % 10, heard = again + 5;
    if (again > today) again = today;
    if (heard > today) heard = today;
    if (act(db, a, "office", id, "request_recheck",
            json_pack("{s:s}", "requested_on", day_of(a, again))) != DB_OK ||
        act(db, a, "office", id, "hearing_start", json_pack("{s:s}", "on", day_of(a, heard))) !=
            DB_OK)
        return DB_ERROR;
    if (st == ST_HEARING) return DB_OK;
    int32_t ended = heard + 7 < today ? heard + 7 : today, final = ended + 10;
    if (final > today) final = today;
    if (act(db, a, "office", id, "hearing_end", json_pack("{s:s}", "on", day_of(a, ended))) !=
            DB_OK ||
        act(db, a, "office", id, "recheck",
            json_pack("{s:s,s:s,s:s}", "outcome", "explain", "decided_on", day_of(a, final), "note",
                      "经听证和复核，维持复查意见，并向信访人做好解释说明。")) != DB_OK)
        return DB_ERROR;
    return DB_OK;
}

/* 积案: marked by the office with the district leader in charge, a few months of progress from
 * the unit; some cleared (销号 asked by the unit, approved by the office), one refused. */
static int backlog(struct db *db, struct arena *a, int64_t id, int n, const char *clerk,
                   int32_t today, int has_unit) {
    int64_t leader = account_id_by_username(db, "leader");
    if (act(db, a, "office", id, "mark_backlog",
            json_pack("{s:I}", "leader_id", (json_int_t)leader)))
        return DB_ERROR;
    char now[21];
    now_iso(now);
    int64_t author = account_id_by_username(db, has_unit ? clerk : "office");
    for (int m = 3; m >= 1; m--) {
        char month[11];
        date_format(today - 30 * m, month);
        month[7] = 0;
        if (db_exec(db,
                    "INSERT INTO petition_progress (petition_id, month, progress, author_id, "
                    "created_at, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, 1)",
                    "ississ", id, month,
                    m == 3 ? "包案领导约见信访人，听取诉求，明确化解方案和责任分工。"
                    : m == 2 ? "召开协调会，相关单位逐项核实诉求，已落实部分合理诉求。"
                             : "信访人情绪稳定，剩余诉求正在依法依规推进解决。",
                    author, now, now) != DB_OK)
            return DB_ERROR;
    }
    if (!has_unit || n % 3 == 0) return DB_OK; /* still being resolved */
    if (act(db, a, clerk, id, "request_clear",
            json_pack("{s:s}", "note", "诉求已依法解决，信访人签字息诉罢访，申请销号。")) != DB_OK)
        return DB_ERROR;
    if (n % 3 == 1)
        return act(db, a, "office", id, "approve_clear",
                   json_pack("{s:s}", "note", "经核查已化解到位，同意销号。"));
    if (n == 5)
        return act(db, a, "office", id, "refuse_clear",
                   json_pack("{s:s}", "note", "信访人仍有异议，暂不销号，请继续做好化解工作。"));
    return DB_OK; /* waiting for the office */
}

int petition_demo(struct db *db, struct arena *a, int32_t today) {
    struct principal office;
    struct audit_actor au;
    if (flow_demo_actor(db, a, "office", &office, &au)) return DB_ERROR;
    demo_today = today;
    int backlogs = 0;
    for (int i = 0; i < DEMO_PETITIONS; i++) {
        /* spread over the year, oldest first */
        int32_t recv = today - 360 + i * 355 / DEMO_PETITIONS;
        enum stage st = (enum stage)(i % ST_N);
        /* the newest are still early whatever their slot */
        if (i >= DEMO_PETITIONS - 6)
            st = (enum stage)((i % 5 == 0)   ? ST_REGISTERED
                              : (i % 5 == 1) ? ST_ROUTED
                              : (i % 5 == 2) ? ST_OBJECTED
                                             : ST_HANDLING);
        /* the hearings, reviews and pending steps are recent enough to be within their periods */
        if (st == ST_HEARING || st == ST_REVIEWING || st == ST_OBJECTED || st == ST_EXT_PENDING ||
            st == ST_EXTENDED || st == ST_REROUTED || st == ST_INSISTED)
            recv = today - 40 - i % 20;
        if (st == ST_REVIEWING || st == ST_HEARING) recv = today - 100 - i % 10;
        if (st == ST_HEARING) recv = today - 150;
        /* a few petitions of one person on one matter: repeat petitions */
        int person = i % 12, repeat = i >= 16 && i % 8 == 3;
        int matter = repeat ? 0 : i % 8;
        if (repeat) person = 0;
        json_t *in = json_pack("{s:s,s:s,s:s,s:s,s:s}", "received_on", day_of(a, recv), "channel",
                               channels[i % 5], "matter_type", matters[matter], "summary",
                               summaries[matter], "place", places[i % 8]);
        int64_t id;
        int rc = petition_insert(db, a, &au, in, &id);
        json_decref(in);
        /* 登记 in its timeline, as the API's create */
        if (rc == DB_OK) rc = flow_demo_created(db, a, &petition_kind, au.username, id);
        if (rc != DB_OK) return rc;
        char idno[19], phone[12];
        id_number(person, idno);
        snprintf(phone, sizeof phone, "139%08d", 20000000 + person * 7919);
        json_t *ps = json_pack("[{s:s,s:s,s:s,s:s}]", "role", "petitioner", "name", names[person],
                               "id_no", idno, "phone", phone);
        if (i % 4 == 1)
            json_array_append_new(
                ps, json_pack("{s:s,s:s}", "role", "respondent", "name", "某建设工程有限公司"));
        rc = entity_parties_write(db, a, &petition_parties, id, ps);
        json_decref(ps);
        if (rc == DB_OK) rc = petition_link_repeats(db, a, id);
        if (rc != DB_OK) return rc;
        int64_t unit = unit_id_by_code(db, units[i % 8]);
        if (walk(db, a, id, i, st, recv, today, unit) != DB_OK) return DB_ERROR;
        /* 积案: the long-running ones (complex, reviewed, repeated) */
        if ((st == ST_HEARING || st == ST_REVIEWING || st == ST_EXTENDED || st == ST_REVIEWED ||
             st == ST_RECHECKED || repeat) &&
            st != ST_REJECTED) {
            int has_unit = st != ST_REGISTERED && st != ST_ACCEPTED;
            const char *clerk = clerk_of(a, units[(i + (st == ST_REROUTED)) % 8]);
            if (backlog(db, a, id, backlogs++, clerk, today, has_unit) != DB_OK) return DB_ERROR;
        }
    }
    return DB_OK;
}

/* ---- `fazhi demo --scale`: 3 × volume petitions, set-based ---- */

#define SCALE_DAYS 364

/* The scaled petitions' clocks, one INSERT … SELECT each: 转送交办 (stopped the day routed) and
 * 办理 (started the day signed for, stopped for those replied); marked stale, so the engine
 * computes their due dates over the calendar once the scaled data is committed. DB_DONE or < 0. */
static int scale_clocks(struct db *db, struct arena *a, const char *now) {
    static const char *const sql[] = {
        "INSERT INTO record_clocks (kind, record_id, clock, start_on, period, unit, stopped_on, "
        "due_on, state, late, stale, created_at, updated_at, version) SELECT 'petition', s.id, "
        "'route', s.received_on, 15, 'days', s.routed_on, s.received_on, 'running', 0, 1, ?, ?, "
        "1 FROM petitions s WHERE s.petition_no LIKE 'XS%' AND NOT EXISTS (SELECT 1 FROM "
        "record_clocks c WHERE c.kind = 'petition' AND c.record_id = s.id AND c.clock = 'route')",
        "INSERT INTO record_clocks (kind, record_id, clock, start_on, period, unit, stopped_on, "
        "due_on, state, late, stale, created_at, updated_at, version) SELECT 'petition', s.id, "
        "'handle', s.accepted_on, 60, 'days', s.replied_on, s.accepted_on, 'running', 0, 1, ?, "
        "?, 1 FROM petitions s WHERE s.petition_no LIKE 'XS%' AND s.accepted_on IS NOT NULL AND "
        "NOT EXISTS (SELECT 1 FROM record_clocks c WHERE c.kind = 'petition' AND c.record_id = "
        "s.id AND c.clock = 'handle')",
    };
    (void)a;
    for (int i = 0; i < 2; i++) {
        int rc = db_exec(db, sql[i], "ss", now, now);
        if (rc != DB_OK) return rc;
    }
    return DB_DONE;
}

int petition_demo_scale(struct db *db, int64_t volume, int32_t today) {
    struct arena *a = arena_new(1 << 16);
    struct query q;
    query_init(&q, a,
               "WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq "
               "WHERE i < ?), days(k, day) AS (VALUES ");
    query_add(&q, "", "i", volume * 3 > 0 ? volume * 3 : 1);
    for (int k = 0; k < SCALE_DAYS; k++)
        query_add(&q, k ? ", (CAST(? AS BIGINT), ?)" : "(CAST(? AS BIGINT), ?)", "is", (int64_t)k,
                  day_of(a, today - 1 - k));
    char recent[11], routed_by[11], now[21];
    date_format(today - 60, recent);
    date_format(today - 8, routed_by);
    now_iso(now);
    /* older than 60 days: replied (a third each outcome) and closed; the last 60 days: routed
     * and handling; the last week: registered. Every 25th is a backlog case (every other one of
     * them cleared), every 20th repeats an earlier petition. */
    query_add(
        &q,
        "), u AS (SELECT id, ROW_NUMBER() OVER (ORDER BY id) - 1 AS k, COUNT(*) OVER () AS n "
        "FROM units WHERE parent_id IS NOT NULL) "
        "INSERT INTO petitions (petition_no, received_on, channel, matter_type, summary, place, "
        "handling_unit_id, route_mode, routed_on, accepted_on, status, outcome, reply_text, "
        "replied_on, closed_on, backlog, backlog_state, created_at, updated_at, version) "
        "SELECT 'XS' || SUBSTR(d.day, 1, 4) || '-' || CAST(1000000 + s.i AS TEXT), d.day, "
        "CASE s.i % 5 WHEN 0 THEN 'visit' WHEN 1 THEN 'letter' WHEN 2 THEN 'phone' WHEN 3 THEN "
        "'online' ELSE 'transfer' END, "
        "CASE s.i % 5 WHEN 0 THEN 'labour' WHEN 1 THEN 'housing' WHEN 2 THEN 'land' WHEN 3 THEN "
        "'litigation' ELSE 'other' END, '信访事项（批量生成）', '', "
        "CASE WHEN d.day < ? THEN u.id END, CASE WHEN d.day < ? THEN 'assign' END, "
        "CASE WHEN d.day < ? THEN rd.day END, CASE WHEN d.day < ? THEN sd.day END, "
        "CASE WHEN d.day < ? THEN 'closed' WHEN d.day < ? THEN 'handling' ELSE 'registered' END, "
        "CASE WHEN d.day < ? THEN CASE s.i % 3 WHEN 0 THEN 'support' WHEN 1 THEN 'explain' ELSE "
        "'unsupported' END END, CASE WHEN d.day < ? THEN '已书面答复。' ELSE '' END, "
        "CASE WHEN d.day < ? THEN pd.day END, CASE WHEN d.day < ? THEN pd.day END, "
        "CASE WHEN s.i % 25 = 0 THEN 1 ELSE 0 END, "
        "CASE WHEN s.i % 25 = 0 THEN CASE WHEN s.i % 50 = 0 THEN 'cleared' ELSE 'open' END END, "
        "?, ?, 1 FROM seq s JOIN u ON u.k = s.i % u.n JOIN days d ON d.k = s.i % ? "
        /* routed 5 days after, signed for 7 days after, replied 45 days after: day k - n */
        "JOIN days rd ON rd.k = CASE WHEN d.k >= 5 THEN d.k - 5 ELSE 0 END "
        "JOIN days sd ON sd.k = CASE WHEN d.k >= 7 THEN d.k - 7 ELSE 0 END "
        "JOIN days pd ON pd.k = CASE WHEN d.k >= 45 THEN d.k - 45 ELSE 0 END",
        "ssssssssssssi", routed_by, routed_by, routed_by, routed_by, recent, routed_by, recent,
        recent, recent, recent, now, now, (int64_t)SCALE_DAYS);
    struct db_stmt *st = query_prepare(db, &q);
    int rc = st ? db_step(st) : DB_ERROR;
    db_done(st);
    /* repeat petitions: every 20th repeats the one 20 ids on (received 20 days earlier, the
     * same matter type: both follow i) */
    if (rc == DB_DONE)
        rc = db_exec(db,
                     "UPDATE petitions SET repeat_of = id + 20, repeat_count = 1 WHERE "
                     "petition_no LIKE 'XS%' AND id % 20 = 0 AND EXISTS (SELECT 1 FROM petitions "
                     "o WHERE o.id = petitions.id + 20 AND o.petition_no LIKE 'XS%')",
                     "") == DB_OK
                 ? DB_DONE
                 : DB_ERROR;
    if (rc == DB_DONE) rc = scale_clocks(db, a, now);
    arena_free(a);
    return rc == DB_DONE ? DB_OK : (rc < 0 ? rc : DB_ERROR);
}
