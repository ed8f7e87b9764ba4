/* consult_demo.c — demo 公开征求意见: one draft open for comment with a dozen comments (some
 * grouped and answered), one ended and published with its 采纳情况; `--scale` adds a few closed
 * ones per hundred units, set-based (no comments: a consultation is a rare record). */
#include <stdio.h>
#include <string.h>

#include "base/calendar.h"
#include "base/timeutil.h"
#include "features/accounts/accounts.h"
#include "features/consult/consult.h"
#include "features/org/org.h"

static const char *day(struct arena *a, int32_t d) {
    char *s = arena_alloc(a, 11);
    date_format(d, s);
    return s;
}

static int insert(struct db *db, struct arena *a, int64_t unit, int64_t user, const char *title,
                  const char *body, const char *explanation, int32_t start, int32_t end,
                  const char *status, const char *summary, int64_t *id) {
    char now[21];
    now_iso(now);
    struct db_stmt *st = db_queryv(
        db,
        "INSERT INTO consultations (title, body, explanation, unit_id, starts_on, ends_on, "
        "mail_to, post_address, status, result_summary, opened_at, closed_at, published_at, "
        "created_by, created_at, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, "
        "'fzb@chengguan.gov.cn', '城关区人民路1号区司法局立法科（邮编310000）', ?, ?, ?, ?, ?, ?, "
        "?, ?, 1) RETURNING id",
        "sssisssssssiss", title, body, explanation, unit, day(a, start), day(a, end), status,
        summary, now, strcmp(status, "open") ? now : NULL,
        !strcmp(status, "published") ? now : NULL, user, now, now);
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW) *id = db_col_int(st, 0);
    db_done(st);
    if (rc != DB_ROW) return DB_ERROR;
    const char *no = NULL;
    rc = entity_number_set(db, a, &entity_consultations, *id, day(a, start), &no);
    /* its timeline: created and opened by the drafting unit's clerk; closed and published */
    struct audit_actor au = {user, "区司法局联络员 何晓东", "clerk", unit, "local", ""};
    struct flow_actor fa = {NULL, &au};
    static const char *const steps[] = {"create", "open", "close", "publish"};
    int n = !strcmp(status, "open") ? 2 : 4;
    for (int i = 0; rc == DB_OK && i < n; i++)
        if (flow_event_append(db, a, &fa, &consultation_kind, *id, steps[i], i == 3 ? summary : "",
                              "", 0) != FLOW_OK)
            rc = DB_ERROR;
    return rc;
}

static int topic(struct db *db, const char *now, int64_t cid, const char *name, int order,
                 int64_t *id) {
    struct db_stmt *st = db_queryv(db,
                                   "INSERT INTO consultation_topics (consultation_id, name, "
                                   "sort_order, created_at, updated_at, version) VALUES (?, ?, "
                                   "?, ?, ?, 1) RETURNING id",
                                   "isiss", cid, name, (int64_t)order, now, now);
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW) *id = db_col_int(st, 0);
    db_done(st);
    return rc == DB_ROW ? DB_OK : DB_ERROR;
}

static const struct {
    const char *body, *contact;
    int topic; /* 0 none, 1.. the topic */
    const char *adoption, *reason, *answer;
} open_comments[] = {
    {"建议明确“轻微违法”的具体情形，列出清单，便于基层执法人员把握。", "", 1, "adopted", "",
     "已在第五条增加轻微违法行为清单。"},
    {"第三条“首次违法”的认定期限建议由一年延长至二年。", "王先生 13812345678", 1, "partly",
     "结合上位法规定，调整为十八个月。", ""},
    {"希望对个体工商户的告知承诺制度作出更细致的规定。", "", 2, "pending", "", ""},
    {"草案第七条中“及时”一词含义模糊，建议改为“三个工作日内”。", "lixiaoming@example.com", 2,
     "adopted", "", "已修改。"},
    {"建议增加行政相对人陈述申辩的渠道，网上也能提交。", "", 0, "pending", "", ""},
    {"免罚清单公开后应定期评估，建议每年评估一次。", "", 0, "pending", "", ""},
    {"我是餐馆经营者，希望对食品安全领域的轻微违法给予更多指导而不是罚款。", "赵女士", 1, "pending",
     "", ""},
    {"建议免罚决定书也送达当事人并说明理由。", "", 0, "pending", "", ""},
    {"第十条与《行政处罚法》第三十三条表述不一致，建议对照修改。", "", 2, "rejected",
     "经核对，第十条系对第三十三条的细化，表述并无冲突。", ""},
    {"请考虑将“教育劝导”的记录纳入信用档案的规定删除，以免影响经营。", "", 0, "pending", "", ""},
    {"可否在草案中列明咨询电话，比如0571-88123456这样的固定电话。", "", 0, "pending", "", ""},
    {"支持出台该办法，包容审慎监管有利于优化营商环境。", "", 0, "pending", "", ""},
};

static const struct {
    const char *body;
    int topic;
    const char *adoption, *reason;
} closed_comments[] = {
    {"建议将夜间施工噪声的管控时段明确为22时至次日6时。", 1, "adopted", ""},
    {"应当规定施工单位公示联系人电话13900001111，方便居民反映问题。", 1, "partly",
     "公示联系人已写入第八条，电话号码由施工单位自行公示。"},
    {"建议对违反规定的施工单位处以更高罚款。", 2, "rejected",
     "罚款数额须在上位法规定的幅度内，本办法不能设定更高罚款。"},
    {"希望增加对投诉处理时限的规定。", 2, "adopted", ""},
    {"居民区周边的渣土运输也应纳入管理。", 1, "rejected", "渣土运输另有专门规定，不纳入本办法。"},
    {"建议对中高考期间作出特别规定。", 1, "adopted", ""},
};

int consult_demo(struct db *db, struct arena *a, int32_t today) {
    int64_t unit = unit_id_by_code(db, "justice"), user = account_id_by_username(db, "clerk1");
    if (!unit || !user) return DB_OK; /* an organisation without the demo units */
    char now[21];
    now_iso(now);
    struct audit_actor pub = {0, "public", "public", 0, "local", ""};
    int64_t id, t[3] = {0};
    int rc = insert(db, a, unit, user, "城关区市场监管领域轻微违法行为免罚办法（征求意见稿）",
                    "第一条 为推进包容审慎监管，优化营商环境，根据《中华人民共和国行政处罚法》等"
                    "法律法规，结合本区实际，制定本办法。\n\n第二条 本办法适用于本区市场监督管理"
                    "部门实施的行政处罚。\n\n第三条 当事人首次违法且危害后果轻微并及时改正的，可以"
                    "不予行政处罚。\n\n第四条 违法行为轻微并及时改正，没有造成危害后果的，不予行政"
                    "处罚。\n\n第五条 对不予处罚的当事人，应当进行教育劝导。",
                    "一、起草背景：落实《行政处罚法》第三十三条。\n二、主要内容：免罚情形、程序和"
                    "监督。\n三、征求意见：自发布之日起三十日。",
                    today - 10, today + 20, "open", "", &id);
    static const char *const open_topics[] = {"免罚情形", "程序规定"};
    for (int k = 0; rc == DB_OK && k < 2; k++)
        rc = topic(db, now, id, open_topics[k], k + 1, &t[k + 1]);
    for (size_t k = 0; rc == DB_OK && k < sizeof open_comments / sizeof open_comments[0]; k++) {
        int64_t cid;
        rc = consult_comment_add(db, a, &pub, id, open_comments[k].body, open_comments[k].contact,
                                 &cid);
        if (rc == DB_OK) /* a dozen days of comments, not one moment */
            rc = db_exec(db, "UPDATE consultation_comments SET submitted_at = ? WHERE id = ?", "si",
                         arena_printf(a, "%sT0%d:%02d:00Z", day(a, today - 9 + (int32_t)k * 3 / 4),
                                      (int)(k % 9), (int)(k * 7 % 60)),
                         cid);
        if (rc == DB_OK && strcmp(open_comments[k].adoption, "pending"))
            rc = db_exec(db,
                         "UPDATE consultation_comments SET adoption = ?, adoption_reason = ?, "
                         "answer = ?, handled_by = ?, handled_at = ? WHERE id = ?",
                         "sssisi", open_comments[k].adoption, open_comments[k].reason,
                         open_comments[k].answer, user, now, cid);
        if (rc == DB_OK && open_comments[k].topic)
            rc = db_exec(db, "UPDATE consultation_comments SET topic_id = ? WHERE id = ?", "ii",
                         t[open_comments[k].topic], cid);
    }
    if (rc != DB_OK) return rc;

    int64_t closed_id;
    if (rc == DB_OK)
        rc = insert(db, a, unit, user, "城关区建筑施工噪声污染防治管理办法（征求意见稿）",
                    "第一条 为防治建筑施工噪声污染，保障居民正常生活，制定本办法。\n\n第二条 夜间"
                    "施工应当取得证明并公告附近居民。\n\n第三条 施工单位应当公示联系人。",
                    "一、起草背景：群众反映集中。\n二、主要内容：时段、公示、投诉处理。",
                    today - 75, today - 45, "published",
                    "本次征求意见共收到意见6条，采纳3条，部分采纳1条，未采纳2条。未采纳的意见主要"
                    "涉及罚款数额和渣土运输，前者受上位法幅度限制，后者另有专门规定。",
                    &closed_id);
    int64_t ct[3] = {0};
    static const char *const closed_topics[] = {"施工时段与公示", "投诉与处罚"};
    for (int k = 0; rc == DB_OK && k < 2; k++)
        rc = topic(db, now, closed_id, closed_topics[k], k + 1, &ct[k + 1]);
    for (size_t k = 0; rc == DB_OK && k < sizeof closed_comments / sizeof closed_comments[0]; k++) {
        int64_t cid;
        rc = consult_comment_add(db, a, &pub, closed_id, closed_comments[k].body, "", &cid);
        if (rc == DB_OK)
            rc = db_exec(db,
                         "UPDATE consultation_comments SET topic_id = ?, adoption = ?, "
                         "adoption_reason = ?, handled_by = ?, handled_at = ?, submitted_at = ? "
                         "WHERE id = ?",
                         "ississi", ct[closed_comments[k].topic], closed_comments[k].adoption,
                         closed_comments[k].reason, user, now,
                         arena_printf(a, "%sT02:00:00Z", day(a, today - 70 + (int32_t)k * 3)), cid);
    }
    return rc;
}

int consult_demo_scale(struct db *db, int64_t volume, int32_t today) {
    /* a few per hundred units a year: 1 per 20,000 of the plan's volume (10 at province) */
    int64_t n = volume / 20000 > 0 ? volume / 20000 : 1;
    char start[11], end[11], now[21];
    date_format(today - 90, start);
    date_format(today - 60, end);
    now_iso(now);
    return db_exec(db,
                   "WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < "
                   "?), u AS (SELECT id, ROW_NUMBER() OVER (ORDER BY id) - 1 AS k, COUNT(*) OVER "
                   "() AS n FROM units WHERE parent_id IS NOT NULL) "
                   "INSERT INTO consultations (consult_no, title, body, unit_id, starts_on, "
                   "ends_on, status, result_summary, created_at, updated_at, version) "
                   "SELECT 'ZQ' || SUBSTR(?, 1, 4) || '-' || CAST(1000000 + s.i AS TEXT), "
                   "'规范性文件征求意见稿（批量生成）', '草案文本。', u.id, ?, ?, 'closed', '', ?, "
                   "?, 1 FROM seq s JOIN u ON u.k = (s.i * 37) % u.n",
                   "isssss", n, start, start, end, now, now);
}
