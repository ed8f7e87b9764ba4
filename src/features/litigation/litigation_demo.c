/* litigation_demo.c — demo 行政应诉 cases: `fazhi demo` registers a year of cases as the defendant
 * units' clerks and walks each through the kind with the dates of each step (defences on time,
 * late and overdue; hearings with and without the agency head; judgments of every result;
 * appeals decided in 二审); `fazhi demo --scale` adds a scaled number set-based. */
#include <stdio.h>
#include <string.h>

#include "base/calendar.h"
#include "base/timeutil.h"
#include "features/flow/flow_demo.h"
#include "features/litigation/litigation.h"
#include "features/org/org.h"
#include "store/query.h"

#define DEMO_CASES 32

static const struct {
    const char *unit, *cause, *claim, *head, *position;
} defendants[] = {
    {"police", "治安管理行政处罚", "请求撤销被告作出的行政处罚决定。", "刘建军", "副局长"},
    {"market", "市场监督管理行政处罚", "请求撤销罚款决定。", "孙海燕", "局长"},
    {"urban", "行政强制拆除", "请求确认强制拆除行为违法并赔偿损失。", "王志勇", "局长"},
    {"natres", "土地行政登记", "请求撤销不动产登记。", "陈国栋", "副局长"},
    {"housing", "房屋征收补偿决定", "请求撤销征收补偿决定。", "李明", "局长"},
    {"hrss", "工伤认定", "请求撤销不予认定工伤决定并责令重新认定。", "赵丽", "副局长"},
    {"ecology", "环境保护行政处罚", "请求撤销按日连续处罚决定。", "周强", "分局长"},
    {"chengguan", "政府信息公开", "请求判令被告公开相关信息。", "吴晓", "街道办事处主任"},
};
#define N_DEFENDANTS (int)(sizeof defendants / sizeof defendants[0])

static const char *const results[] = {"win",       "win", "lose",     "partial", "dismissed",
                                      "withdrawn", "win", "mediated", "win",     "lose"};
static const char *const plaintiffs[] = {"何志明", "郑秀兰", "冯磊", "韩梅", "曹刚", "邓华"};

static int act(struct db *db, struct arena *a, const char *who, int64_t id, const char *action,
               json_t *body) {
    return flow_demo_act(db, a, &litigation_kind, who, id, action, body, 0, 0);
}

static const char *day_text(struct arena *a, int32_t d) {
    char *s = arena_alloc(a, 11);
    date_format(d, s);
    return s;
}

static int hearing(struct db *db, struct arena *a, const struct audit_actor *au, int64_t id,
                   int32_t day, int head, int k) {
    json_t *in =
        head ? json_pack("{s:I,s:s,s:s,s:b,s:s,s:s,s:s}", "litigation_id", (json_int_t)id,
                         "held_on", day_text(a, day), "court_room", "第三审判庭", "head_appeared",
                         1, "head_name", defendants[k].head, "head_position",
                         defendants[k].position, "attendees", "法制科工作人员、委托律师")
             : json_pack("{s:I,s:s,s:s,s:b,s:s,s:s}", "litigation_id", (json_int_t)id, "held_on",
                         day_text(a, day), "court_room", "第一审判庭", "head_appeared", 0,
                         "absence_reason", "负责人参加全区防汛工作会议，委托法制科科长出庭",
                         "attendees", "法制科科长、委托律师");
    int64_t hid;
    int rc = litigation_hearing_insert(db, a, au, in, &hid);
    json_decref(in);
    return rc;
}

static int demo_case(struct db *db, struct arena *a, int i, int32_t today) {
    int k = i % N_DEFENDANTS;
    const char *unit = defendants[k].unit;
    const char *clerk = !strcmp(unit, "chengguan") ? "clerk2" : arena_printf(a, "clerk_%s", unit);
    struct principal p;
    struct audit_actor au;
    if (flow_demo_actor(db, a, clerk, &p, &au)) return DB_ERROR;
    int32_t filed = today - 10 - i * 11, served = filed + 3;
    char year[5];
    snprintf(year, sizeof year, "%s", day_text(a, filed));
    json_t *in = json_pack("{s:s,s:s,s:s,s:s,s:I,s:s,s:s,s:s}", "court_case_no",
                           arena_printf(a, "（%s）浙0102行初%d号", year, 300 - i * 7), "court",
                           "城关区人民法院", "instance", "first", "cause", defendants[k].cause,
                           "defendant_unit_id", (json_int_t)unit_id_by_code(db, unit), "filed_on",
                           day_text(a, filed), "served_on", day_text(a, served), "claim",
                           defendants[k].claim);
    int64_t id;
    int rc = litigation_insert(db, a, &au, in, &id);
    json_decref(in);
    /* 登记 in its timeline, as the API's create */
    if (rc == DB_OK) rc = flow_demo_created(db, a, &litigation_kind, au.username, id);
    if (rc != DB_OK) return rc;
    json_t *parties = json_pack("[{s:s,s:s}]", "role", "plaintiff", "name", plaintiffs[i % 6]);
    if (i % 5 == 1)
        json_array_append_new(
            parties, json_pack("{s:s,s:s}", "role", "third_party", "name", "城关区某置业有限公司"));
    rc = entity_parties_write(db, a, &litigation_parties, id, parties);
    json_decref(parties);
    if (rc != DB_OK || i < 2) return rc;               /* the newest: defence due, one overdue */
    int32_t defence = served + (i % 9 == 4 ? 18 : 10); /* one in nine late */
    if (defence > today) defence = today;
    if (act(db, a, clerk, id, "defend",
            json_pack("{s:s,s:s}", "submitted_on", day_text(a, defence), "note",
                      "已提交答辩状及作出行政行为的证据、依据。")))
        return DB_ERROR;
    if (filed + 45 <= today && hearing(db, a, &au, id, filed + 45, i % 3 != 2, k)) return DB_ERROR;
    if (i % 4 == 0 && filed + 75 <= today && hearing(db, a, &au, id, filed + 75, i % 8 == 0, k))
        return DB_ERROR;
    int32_t judged = filed + 90;
    if (judged + 5 > today) return DB_OK; /* in court */
    const char *result = results[i % 10];
    if (act(db, a, clerk, id, "judge",
            json_pack("{s:s,s:s,s:s,s:s}", "result", result, "judged_on", day_text(a, judged),
                      "served_on", day_text(a, judged + 5), "note", "一审判决。")))
        return DB_ERROR;
    int lost = !strcmp(result, "lose") || !strcmp(result, "partial");
    int32_t appealed = judged + 15;
    if ((i % 5 == 2 || i % 10 == 8) && appealed <= today) {
        if (act(db, a, clerk, id, "appeal",
                json_pack("{s:s,s:s,s:s,s:s}", "appellant", lost ? "agency" : "plaintiff",
                          "appealed_on", day_text(a, appealed), "court", "市中级人民法院",
                          "court_case_no", arena_printf(a, "（%s）浙01行终%d号", year, 80 - i))))
            return DB_ERROR;
        if (appealed + 40 <= today && hearing(db, a, &au, id, appealed + 40, i % 2, k))
            return DB_ERROR;
        if (appealed + 70 <= today &&
            act(db, a, clerk, id, "judge_final",
                json_pack("{s:s,s:s,s:s}", "result", lost && i % 2 ? "win" : result, "judged_on",
                          day_text(a, appealed + 70), "note", "二审判决，驳回上诉，维持原判。")))
            return DB_ERROR;
        return DB_OK;
    }
    if (judged + 5 + 16 <= today &&
        act(db, a, clerk, id, "close", json_pack("{s:s}", "closed_on", day_text(a, judged + 21))))
        return DB_ERROR;
    return DB_OK;
}

int litigation_demo(struct db *db, struct arena *a, int32_t today) {
    /* the engine takes no step dated after the real today: a demo made for a later day
     * (--today) keeps its cases' dates at the real one */
    if (today > date_today()) today = date_today();
    for (int i = DEMO_CASES - 1; i >= 0; i--) /* oldest first */
        if (demo_case(db, a, i, today) != DB_OK) return DB_ERROR;
    return DB_OK;
}

/* The scaled set: as many cases as tasks over the units below the root and the last 364 days:
 * those filed more than 120 days ago judged and closed (results in turn), the rest in court;
 * one hearing for every case filed more than 45 days ago, the head present in three of five.
 * Their defence clocks follow, marked stale for the engine to compute once committed. */
#define SCALE_DAYS 364

int litigation_demo_scale(struct db *db, int64_t volume, int32_t today) {
    struct arena *a = arena_new(1 << 16);
    struct query q;
    query_init(&q, a,
               "WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq "
               "WHERE i < ?), days(k, day) AS (VALUES ");
    query_add(&q, "", "i", volume > 0 ? volume : 1);
    for (int k = 0; k < SCALE_DAYS; k++) {
        char *d = arena_alloc(a, 11);
        date_format(today - 1 - k, d);
        query_add(&q, k ? ", (CAST(? AS BIGINT), ?)" : "(CAST(? AS BIGINT), ?)", "is", (int64_t)k,
                  d);
    }
    char old[11], heard[11], now[21];
    date_format(today - 120, old);
    date_format(today - 45, heard);
    now_iso(now);
    query_add(
        &q,
        "), u AS (SELECT id, ROW_NUMBER() OVER (ORDER BY id) - 1 AS k, COUNT(*) OVER () AS n "
        "FROM units WHERE parent_id IS NOT NULL) "
        "INSERT INTO litigations (case_no, court_case_no, court, instance, cause, "
        "defendant_unit_id, filed_on, served_on, claim, defence_on, result, judged_on, status, "
        "created_at, updated_at, version) "
        "SELECT 'YT' || SUBSTR(d.day, 1, 4) || '-' || CAST(1000000 + s.i AS TEXT), "
        "'（' || SUBSTR(d.day, 1, 4) || '）批量行初' || CAST(s.i AS TEXT) || '号', "
        "'城关区人民法院', 'first', '行政处罚', u.id, d.day, COALESCE(ds.day, d.day), "
        "'请求撤销行政行为（批量生成）。', COALESCE(ds.day, d.day), "
        "CASE WHEN d.day < ? THEN CASE s.i % 10 WHEN 2 THEN 'lose' WHEN 3 THEN 'partial' "
        "WHEN 4 THEN 'dismissed' WHEN 5 THEN 'withdrawn' WHEN 7 THEN 'mediated' ELSE 'win' "
        "END END, CASE WHEN d.day < ? THEN dj.day END, "
        "CASE WHEN d.day < ? THEN 'closed' ELSE 'answered' END, ?, ?, 1 "
        "FROM seq s JOIN u ON u.k = s.i % u.n JOIN days d ON d.k = s.i % ? "
        /* served 3 days after the filing, judged 90 days after (the days 3 and 90 later) */
        "LEFT JOIN days ds ON ds.k = d.k - 3 LEFT JOIN days dj ON dj.k = d.k - 90",
        "sssssi", old, old, old, now, now, (int64_t)SCALE_DAYS);
    struct db_stmt *st = query_prepare(db, &q);
    int rc = st ? db_step(st) : DB_ERROR;
    db_done(st);
    if (rc == DB_DONE)
        rc = db_exec(db,
                     "INSERT INTO litigation_hearings (litigation_id, instance, held_on, "
                     "court_room, head_appeared, head_name, head_position, absence_reason, "
                     "created_at, updated_at, version) SELECT l.id, 'first', l.served_on, "
                     "'审判庭', CASE WHEN l.id % 5 < 3 THEN 1 ELSE 0 END, "
                     "CASE WHEN l.id % 5 < 3 THEN '负责人' ELSE '' END, "
                     "CASE WHEN l.id % 5 < 3 THEN '局长' ELSE '' END, "
                     "CASE WHEN l.id % 5 < 3 THEN '' ELSE '公务冲突' END, ?, ?, 1 "
                     "FROM litigations l WHERE l.case_no LIKE 'YT%' AND l.filed_on < ? AND "
                     "NOT EXISTS (SELECT 1 FROM litigation_hearings h WHERE h.litigation_id = "
                     "l.id)",
                     "sss", now, now, heard) == DB_OK
                 ? DB_DONE
                 : DB_ERROR;
    if (rc == DB_DONE)
        rc = db_exec(db,
                     "INSERT INTO record_clocks (kind, record_id, clock, start_on, period, unit, "
                     "stopped_on, due_on, state, late, stale, created_at, updated_at, version) "
                     "SELECT 'litigation', l.id, 'defence', l.served_on, 15, 'days', "
                     "l.defence_on, l.served_on, 'running', 0, 1, ?, ?, 1 FROM litigations l "
                     "WHERE l.case_no LIKE 'YT%' AND NOT EXISTS (SELECT 1 FROM record_clocks c "
                     "WHERE c.kind = 'litigation' AND c.record_id = l.id AND c.clock = "
                     "'defence')",
                     "ss", now, now) == DB_OK
                 ? DB_DONE
                 : DB_ERROR;
    arena_free(a);
    return rc == DB_DONE ? DB_OK : (rc < 0 ? rc : DB_ERROR);
}
