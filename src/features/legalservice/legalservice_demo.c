/* legalservice_demo.c — demo requests: `fazhi demo` registers a few dozen as the centre (office)
 * and walks each through the kind as the accounts whose turn it is, so the demo's states,
 * timelines, clocks and audit records are the engine's own; `fazhi demo --scale` adds a scaled
 * number in set-based inserts. */
#include <stdio.h>
#include <string.h>

#include "base/calendar.h"
#include "base/pii.h"
#include "base/timeutil.h"
#include "features/flow/flow_demo.h"
#include "features/legalservice/legalservice.h"
#include "features/org/org.h"
#include "store/query.h"
#include "store/settings.h"

#define DEMO_REQUESTS 36

static const char *const units[] = {
    "justice", "chengguan", "dongcheng",
    "hrss",    "civil",     "nanhu"}; /* handling units (their clerk accounts act) */
static const char *const names[] = {"王建国", "李秀英", "张伟", "刘芳", "陈静", "杨磊",
                                    "赵敏",   "黄海",   "周婷", "吴刚", "徐丽", "孙强"};
static const char *const summaries[] = {
    "咨询劳动合同解除后经济补偿金的计算标准及申请劳动仲裁的流程。",
    "因工伤赔偿纠纷申请法律援助，本人系农民工，经济困难。",
    "邻里之间因房屋漏水引发纠纷，请求社区人民调解委员会调解。",
    "办理继承权公证，需了解所需材料和办理时限。",
    "交通事故伤残等级鉴定，咨询鉴定机构和委托程序。",
    "小微企业合同纠纷，希望对接律师提供法律意见。",
};
static const char *const channels[] = {"hotline", "window", "online",
                                       "hotline", "letter", "hotline"};

/* Take one step as `who`, with the record's current version. */
static int act(struct db *db, struct arena *a, const char *who, int64_t id, const char *action,
               json_t *body) {
    return flow_demo_act(db, a, &legal_service_kind, who, id, action, body, 0, 0);
}

static const char *clerk_of(struct arena *a, const char *unit) {
    if (!strcmp(unit, "justice")) return "clerk1";
    if (!strcmp(unit, "chengguan")) return "clerk2";
    return arena_printf(a, "clerk_%s", unit);
}

int legal_service_demo(struct db *db, struct arena *a, int32_t today) {
    struct principal office;
    struct audit_actor au;
    if (flow_demo_actor(db, a, "office", &office, &au)) return DB_ERROR;
    for (int i = 0; i < DEMO_REQUESTS; i++) {
        int type = i % LS_TYPES;
        /* older requests went further: the last ones are still waiting */
        int32_t day = today - (DEMO_REQUESTS - i) * 2;
        char received[11];
        date_format(day, received);
        json_t *in =
            json_pack("{s:s,s:s,s:s,s:s}", "received_on", received, "channel", channels[i % 6],
                      "service_type", legal_service_types[type].code, "summary", summaries[type]);
        int64_t id;
        int rc = legal_service_insert(db, a, &au, in, &id);
        json_decref(in);
        /* 登记 in its timeline, as the API's create */
        if (rc == DB_OK) rc = flow_demo_created(db, a, &legal_service_kind, au.username, id);
        if (rc == DB_OK) { /* the applicant: a party, sealed (a valid, made-up ID number) */
            char phone[16], id_no[24];
            snprintf(phone, sizeof phone, "137%08d", 30000000 + i * 4231);
            snprintf(id_no, sizeof id_no, "3302031975%02d%02d%03d", 1 + i % 12, 1 + i % 28,
                     100 + (i * 7) % 900);
            id_no[17] = pii_id_check_char(id_no);
            id_no[18] = 0;
            json_t *p = json_pack("[{s:s,s:s,s:s,s:s}]", "role", "applicant", "name", names[i % 12],
                                  "id_no", id_no, "phone", phone);
            rc = entity_parties_write(db, a, &legal_service_parties, id, p);
            json_decref(p);
        }
        if (rc != DB_OK) return rc;
        int stage = i % 9; /* 0 received … 8 cancelled, most requests done */
        if (i >= DEMO_REQUESTS - 4) stage = i % 3; /* the newest: still early */
        const char *unit = units[i % 6], *clerk = clerk_of(a, unit);
        if (stage == 8) {
            if (act(db, a, "office", id, "cancel",
                    json_pack("{s:s}", "note", "申请人撤回申请。")) != DB_OK)
                return DB_ERROR;
            continue;
        }
        if (stage >= 1 &&
            act(db, a, "office", id, "assign",
                json_pack("{s:I}", "unit_id", (json_int_t)unit_id_by_code(db, unit))) != DB_OK)
            return DB_ERROR;
        if (stage >= 2 && act(db, a, clerk, id, "accept", json_object()) != DB_OK) return DB_ERROR;
        if (stage >= 3 &&
            act(db, a, clerk, id, "complete",
                json_pack("{s:s}", "note", "已当面解答并告知办理途径，申请人表示理解。")) != DB_OK)
            return DB_ERROR;
        if (stage >= 4 && act(db, a, "office", id, "visit",
                              json_pack("{s:i,s:s}", "satisfaction", 3 + i % 3, "note",
                                        "电话回访，申请人对办理结果表示满意。")) != DB_OK)
            return DB_ERROR;
    }
    return DB_OK;
}

/* The scaled set: a quarter as many requests as tasks, spread over the units below the root
 * and the last 364 days; those older than 30 days closed with a satisfaction, the rest in
 * progress. One INSERT … SELECT (the days are a bound VALUES list: portable date text), then
 * their handling clocks (scale_clocks). */
#define SCALE_DAYS 364

/* The scaled requests' handling clocks, one INSERT … SELECT: started the day received, the period
 * of the type's settings, stopped for those closed (the day received: met); marked stale, so the
 * engine computes their due dates over the calendar once the scaled data is committed
 * (`fazhi demo --scale` settles every stale clock). DB_DONE or < 0. */
static int scale_clocks(struct db *db, struct arena *a, const char *now) {
    struct query q;
    query_init(&q, a,
               "INSERT INTO record_clocks (kind, record_id, clock, start_on, period, unit, "
               "stopped_on, due_on, state, late, stale, created_at, updated_at, version) "
               "SELECT ");
    query_add(&q, "?, s.id, 'handle', s.received_on, CASE s.service_type", "s",
              flow_kind_name(&legal_service_kind));
    const char *unit[LS_TYPES];
    for (int i = 0; i < LS_TYPES; i++) {
        char key[64];
        snprintf(key, sizeof key, "legal_service.days.%s", legal_service_types[i].code);
        query_add(&q, " WHEN ? THEN CAST(? AS BIGINT)", "si", legal_service_types[i].code,
                  setting_int(db, key));
        snprintf(key, sizeof key, "legal_service.workdays.%s", legal_service_types[i].code);
        unit[i] = clock_unit_codes[setting_int(db, key) ? CLOCK_WORKDAYS : CLOCK_DAYS];
    }
    query_add(&q, " ELSE 15 END, CASE s.service_type", "");
    for (int i = 0; i < LS_TYPES; i++)
        query_add(&q, " WHEN ? THEN ?", "ss", legal_service_types[i].code, unit[i]);
    query_add(&q,
              " ELSE ? END, CASE WHEN s.status = 'closed' THEN s.received_on END, s.received_on, "
              "'running', 0, 1, ?, ?, 1 FROM legal_services s WHERE s.request_no LIKE 'GS%' AND "
              "NOT EXISTS (SELECT 1 FROM record_clocks c WHERE c.kind = ? AND c.record_id = s.id "
              "AND c.clock = 'handle')",
              "ssss", clock_unit_codes[CLOCK_WORKDAYS], now, now,
              flow_kind_name(&legal_service_kind));
    struct db_stmt *st = query_prepare(db, &q);
    int rc = st ? db_step(st) : DB_ERROR;
    db_done(st);
    return rc == DB_DONE ? DB_DONE : rc < 0 ? rc : DB_ERROR;
}
/* The scaled requests' applicants: masked-only placeholders (申*, 137****1234), one INSERT …
 * SELECT — sealing is a C call per value, which would cost the province build minutes; these
 * rows have nothing sealed, so nothing to reveal and no blind index (?id_no= finds none of them).
 * DB_DONE or < 0. */
static int scale_parties(struct db *db, const char *now) {
    struct db_stmt *st = db_queryv(
        db,
        "INSERT INTO case_parties (kind, record_id, role, name_masked, id_masked, phone_masked, "
        "created_at) SELECT ?, s.id, 'applicant', '申*', '330203********' || "
        "CAST(1000 + s.id % 9000 AS TEXT), '137****' || CAST(1000 + s.id % 9000 AS TEXT), ? "
        "FROM legal_services s WHERE s.request_no LIKE 'GS%' AND NOT EXISTS (SELECT 1 FROM "
        "case_parties c WHERE c.kind = ? AND c.record_id = s.id)",
        "sss", legal_service_parties.kind, now, legal_service_parties.kind);
    int rc = st ? db_step(st) : DB_ERROR;
    db_done(st);
    return rc == DB_DONE ? DB_DONE : rc < 0 ? rc : DB_ERROR;
}

int legal_service_demo_scale(struct db *db, int64_t volume, int32_t today) {
    struct arena *a = arena_new(1 << 16);
    struct query q;
    query_init(&q, a,
               "WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq "
               "WHERE i < ?), days(k, day) AS (VALUES ");
    query_add(&q, "", "i", volume / 4 > 0 ? volume / 4 : 1);
    for (int k = 0; k < SCALE_DAYS; k++) {
        char *d = arena_alloc(a, 11);
        date_format(today - 1 - k, d);
        query_add(&q, k ? ", (CAST(? AS BIGINT), ?)" : "(CAST(? AS BIGINT), ?)", "is", (int64_t)k,
                  d);
    }
    char recent[11], now[21];
    date_format(today - 30, recent);
    now_iso(now);
    query_add(&q,
              "), u AS (SELECT id, ROW_NUMBER() OVER (ORDER BY id) - 1 AS k, COUNT(*) OVER () AS n "
              "FROM units WHERE parent_id IS NOT NULL) "
              "INSERT INTO legal_services (request_no, received_on, channel, service_type, "
              "summary, handling_unit_id, status, outcome, "
              "satisfaction, visit_note, created_at, updated_at, version) "
              "SELECT 'GS' || SUBSTR(d.day, 1, 4) || '-' || CAST(1000000 + s.i AS TEXT), d.day, "
              "CASE s.i % 4 WHEN 0 THEN 'hotline' WHEN 1 THEN 'window' WHEN 2 THEN 'online' "
              "ELSE 'letter' END, "
              "CASE s.i % 6 WHEN 0 THEN 'consultation' WHEN 1 THEN 'legal_aid' WHEN 2 THEN "
              "'mediation' WHEN 3 THEN 'notarisation' WHEN 4 THEN 'appraisal' ELSE 'lawyer' END, "
              "'公共法律服务事项（批量生成）', u.id, "
              "CASE WHEN d.day < ? THEN 'closed' ELSE 'accepted' END, "
              "CASE WHEN d.day < ? THEN '已办结。' ELSE '' END, "
              "CASE WHEN d.day < ? THEN 3 + s.i % 3 ELSE NULL END, '', ?, ?, 1 "
              "FROM seq s JOIN u ON u.k = s.i % u.n JOIN days d ON d.k = s.i % ?",
              "sssssi", recent, recent, recent, now, now, (int64_t)SCALE_DAYS);
    struct db_stmt *st = query_prepare(db, &q);
    int rc = st ? db_step(st) : DB_ERROR;
    db_done(st);
    if (rc == DB_DONE) rc = scale_parties(db, now);
    if (rc == DB_DONE) rc = scale_clocks(db, a, now);
    arena_free(a);
    return rc == DB_DONE ? DB_OK : (rc < 0 ? rc : DB_ERROR);
}
