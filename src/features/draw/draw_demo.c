/* draw_demo.c — the demo directory of 双随机 (20 inspectors of every kind, in and outside the
 * unit tree, with declared conflicts; the demo units and market subjects of five domains with
 * risk grades) and the draws of the demo's two special inspections: one drawn with a witness's
 * value, one drawn and then redrawn with a reason (the new draw awaits a public lottery's
 * number). Scaled: directories proportional to the volume, set-based. */
#include <stdio.h>
#include <string.h>

#include "base/calendar.h"
#include "base/timeutil.h"
#include "features/draw/draw.h"
#include "features/flow/flow_demo.h"
#include "store/query.h"

/* Rows leave trailing fields out: 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

struct demo_inspector {
    const char *name, *category, *unit, *employer, *title, *qualifications, *account;
};
static const struct demo_inspector inspectors[] = {
    {"周建国", "staff", "区委依法治区办", "", "督察科科长", "法治督察员资格；法律职业资格",
     "inspector"},
    {"吴晓雯", "staff", "区司法局", "", "行政执法监督科副科长", "行政执法证；法律职业资格"},
    {"郑海涛", "staff", "区司法局", "", "法治督察科科员", "行政执法证"},
    {"冯立群", "staff", "区市场监督管理局", "", "法规科科长", "行政执法证"},
    {"何静", "staff", "区市场监督管理局", "", "执法稽查大队副队长", "行政执法证"},
    {"许志强", "staff", "区生态环境分局", "", "执法大队队长", "行政执法证；环境监察证"},
    {"邓丽华", "staff", "区应急管理局", "", "政策法规科科长", "行政执法证"},
    {"萧文斌", "staff", "区卫生健康局", "", "卫生监督所副所长", "行政执法证"},
    {"曹雪梅", "staff", "区文化和旅游局", "", "文化市场综合执法大队队员", "行政执法证"},
    {"彭德明", "deputy", NULL, "北山镇石桥村党支部", "区人大代表", "区人大常委会法制委员会委员"},
    {"罗晓燕", "deputy", NULL, "城关街道和平社区居委会", "区人大代表", ""},
    {"蒋文华", "member", NULL, "区工商业联合会", "区政协委员", "区政协社会法制委员会委员"},
    {"韩立新", "member", NULL, "某会计师事务所", "区政协委员", "注册会计师"},
    {"唐明远", "expert", NULL, "某大学法学院", "教授", "行政法学；区政府法律顾问"},
    {"宋雅琴", "expert", NULL, "区委党校", "副教授", "法治政府建设"},
    {"梁振宇", "expert", NULL, "某环境科学研究院", "高级工程师", "生态环境监测"},
    {"谢俊杰", "lawyer", NULL, "浙江某律师事务所", "合伙人律师", "法律职业资格；行政诉讼"},
    {"董佳怡", "lawyer", NULL, "某律师事务所", "专职律师", "法律职业资格"},
    {"潘国庆", "lawyer", NULL, "区法律援助中心", "法律援助律师", "法律职业资格"},
    {"杜若曦", "journalist", NULL, "区融媒体中心", "法治频道记者", "新闻记者证"},
};
#define N_INSPECTORS ((int)(sizeof inspectors / sizeof *inspectors))

/* The units as inspectable objects (行政执法专项督察, 第一责任人履职督察), with a risk grade. */
struct demo_unit_object {
    const char *unit, *risk;
};
static const struct demo_unit_object unit_objects[] = {
    {"区司法局", "A"},
    {"区公安分局", "C"},
    {"区市场监督管理局", "C"},
    {"区发展和改革局", "B"},
    {"区财政局", "A"},
    {"区人力资源和社会保障局", "B"},
    {"区自然资源局", "C"},
    {"区生态环境分局", "C"},
    {"区住房和城乡建设局", "D"},
    {"区城市管理综合执法局", "D"},
    {"区教育局", "B"},
    {"区卫生健康局", "B"},
    {"区应急管理局", "C"},
    {"区信访局", "B"},
    {"区民政局", "A"},
    {"区农业农村局", "B"},
    {"区文化和旅游局", "B"},
    {"区政务服务和数据管理局", "A"},
    {"城关街道", "C"},
    {"东城街道", "B"},
    {"西城街道", "B"},
    {"南湖街道", "A"},
    {"北山镇", "C"},
    {"青石镇", "B"},
    {"柳河乡", "D"},
};
#define N_UNIT_OBJECTS ((int)(sizeof unit_objects / sizeof *unit_objects))

struct demo_object {
    const char *name, *type, *code, *domain, *unit, *risk, *address;
};
static const struct demo_object objects[] = {
    {"城关街道老李记餐饮店", "market", "92330102MA27XK1L3A", "market", "区市场监督管理局", "B",
     "城关街道中山路18号"},
    {"东城新华超市有限公司", "market", "91330102MA28AB2C4D", "market", "区市场监督管理局", "A",
     "东城街道新华路66号"},
    {"南湖康宁大药房", "market", "91330102MA2CDE3F5G", "market", "区市场监督管理局", "C",
     "南湖街道湖滨路9号"},
    {"西城鸿运食品加工厂", "market", "91330102MA2HIJ4K6L", "market", "区市场监督管理局", "D",
     "西城街道工业园3幢"},
    {"北山镇农贸市场管理有限公司", "market", "91330102MA2MNO5P7Q", "market", "区市场监督管理局",
     "C", "北山镇集镇路1号"},
    {"青石镇永兴建材商行", "market", "92330102MA2RST6U8V", "market", "区市场监督管理局", "A",
     "青石镇河西路22号"},
    {"城关福满楼酒家", "market", "91330102MA2WXY7Z9A", "market", "区市场监督管理局", "B",
     "城关街道解放路101号"},
    {"东城乐童培训中心", "market", "52330102MA2BCD8E1F", "market", "区市场监督管理局", "B",
     "东城街道文化路5号"},
    {"南湖明珠眼镜店", "market", "92330102MA2GHI9J2K", "market", "区市场监督管理局", "A",
     "南湖街道明珠广场2层"},
    {"西城恒泰电动车销售部", "market", "92330102MA2LMN1O3P", "market", "区市场监督管理局", "C",
     "西城街道环城西路88号"},
    {"区东郊污水处理有限公司", "market", "91330102MA2QRS2T4U", "ecology", "区生态环境分局", "D",
     "东城街道东郊路199号"},
    {"北山镇宏达化工有限公司", "market", "91330102MA2VWX3Y5Z", "ecology", "区生态环境分局", "D",
     "北山镇工业功能区"},
    {"青石镇顺丰石材加工厂", "market", "91330102MA2ABC4D6E", "ecology", "区生态环境分局", "C",
     "青石镇石矿路6号"},
    {"西城精工电镀有限公司", "market", "91330102MA2FGH5I7J", "ecology", "区生态环境分局", "D",
     "西城街道工业园7幢"},
    {"柳河乡生猪养殖场", "market", "93330102MA2KLM6N8O", "ecology", "区生态环境分局", "C",
     "柳河乡柳河村"},
    {"城关汽车维修服务有限公司", "market", "91330102MA2PQR7S9T", "ecology", "区生态环境分局", "B",
     "城关街道环城北路12号"},
    {"区燃气有限公司", "market", "91330102MA2UVW8X1Y", "emergency", "区应急管理局", "D",
     "南湖街道燃气路1号"},
    {"北山镇烟花爆竹经营部", "market", "92330102MA2ZAB9C2D", "emergency", "区应急管理局", "D",
     "北山镇集镇路30号"},
    {"东城恒通物流仓储有限公司", "market", "91330102MA2EFG1H3I", "emergency", "区应急管理局", "C",
     "东城街道物流园"},
    {"西城华强机械制造有限公司", "market", "91330102MA2JKL2M4N", "emergency", "区应急管理局", "B",
     "西城街道工业园11幢"},
    {"青石镇加油站", "market", "91330102MA2OPQ3R5S", "emergency", "区应急管理局", "C",
     "青石镇国道旁"},
    {"城关星光电影院", "market", "91330102MA2TUV4W6X", "culture", "区文化和旅游局", "B",
     "城关街道人民路50号"},
    {"南湖畔民宿", "market", "92330102MA2YZA5B7C", "culture", "区文化和旅游局", "A",
     "南湖街道湖滨路88号"},
    {"东城极速网吧", "market", "92330102MA2DEF6G8H", "culture", "区文化和旅游局", "C",
     "东城街道新华路120号"},
    {"北山景区旅游开发有限公司", "market", "91330102MA2IJK7L9M", "culture", "区文化和旅游局", "B",
     "北山镇北山景区"},
    {"城关仁和口腔门诊部", "market", "91330102MA2NOP8Q1R", "health", "区卫生健康局", "C",
     "城关街道健康路3号"},
    {"东城美丽人生医疗美容诊所", "market", "91330102MA2STU9V2W", "health", "区卫生健康局", "D",
     "东城街道新华路200号"},
    {"南湖游泳馆", "market", "92330102MA2XYZ1A3B", "health", "区卫生健康局", "B",
     "南湖街道体育路6号"},
    {"西城康复护理院", "market", "52330102MA2CDE2F4G", "health", "区卫生健康局", "C",
     "西城街道福寿路9号"},
    {"（2026）区市监罚字第0135号 无照经营案", "file", "区市监罚〔2026〕135号", "market",
     "区市场监督管理局", "B", ""},
    {"（2026）区环罚字第0042号 超标排放案", "file", "区环罚〔2026〕42号", "ecology",
     "区生态环境分局", "C", ""},
    {"（2026）区应急罚字第0018号 未落实安全生产责任案", "file", "区应急罚〔2026〕18号", "emergency",
     "区应急管理局", "C", ""},
    {"（2026）区城管罚字第0307号 违法建设案", "file", "区城管罚〔2026〕307号", "urban",
     "区城市管理综合执法局", "D", ""},
    {"（2026）区卫健罚字第0021号 非法行医案", "file", "区卫健罚〔2026〕21号", "health",
     "区卫生健康局", "C", ""},
};
#define N_OBJECTS ((int)(sizeof objects / sizeof *objects))

static int unit_id(struct db *db, const char *name, int64_t *id) {
    *id = 0;
    if (!name) return DB_OK;
    int rc = db_query_int(db, id, "SELECT id FROM units WHERE name = ?", "s", name);
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

static int insert_inspector(struct db *db, const struct demo_inspector *d, const char *now,
                            int64_t *id) {
    int64_t unit = 0, user = 0;
    int rc = unit_id(db, d->unit, &unit);
    if (rc == DB_OK && d->account) {
        rc = db_query_int(db, &user, "SELECT id FROM users WHERE username = ?", "s", d->account);
        rc = rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
    }
    if (rc != DB_OK) return rc;
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO inspectors (name, category, unit_id, employer, title, qualifications, "
            "cert_no, user_id, active, created_at, updated_at, version) "
            "VALUES (?, ?, ?, ?, ?, ?, '', ?, 1, ?, ?, 1) RETURNING id");
    if (!st) return DB_ERROR;
    db_bind_text(st, 1, d->name);
    db_bind_text(st, 2, d->category);
    db_bind_id(st, 3, unit);
    db_bind_text(st, 4, d->employer);
    db_bind_text(st, 5, d->title);
    db_bind_text(st, 6, d->qualifications ? d->qualifications : "");
    db_bind_id(st, 7, user);
    db_bind_text(st, 8, now);
    db_bind_text(st, 9, now);
    rc = db_step(st);
    if (rc == DB_ROW) *id = db_col_int(st, 0);
    db_done(st);
    return rc == DB_ROW ? DB_OK : rc < 0 ? rc : DB_ERROR;
}

static int insert_object(struct db *db, const char *name, const char *type, const char *code,
                         const char *domain, int64_t unit, const char *risk, const char *address,
                         const char *now, int64_t *id) {
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO inspect_objects (name, object_type, code, domain, unit_id, risk, "
            "address, active, created_at, updated_at, version) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, 1) RETURNING id");
    if (!st) return DB_ERROR;
    db_bind_text(st, 1, name);
    db_bind_text(st, 2, type);
    db_bind_text(st, 3, code);
    db_bind_text(st, 4, domain);
    db_bind_id(st, 5, unit);
    db_bind_text(st, 6, risk);
    db_bind_text(st, 7, address);
    db_bind_text(st, 8, now);
    db_bind_text(st, 9, now);
    int rc = db_step(st);
    if (rc == DB_ROW) *id = db_col_int(st, 0);
    db_done(st);
    return rc == DB_ROW ? DB_OK : rc < 0 ? rc : DB_ERROR;
}

static int conflict(struct db *db, int64_t inspector, int64_t unit, int64_t object,
                    const char *reason, const char *day, const char *now) {
    return db_exec(db,
                   "INSERT INTO inspector_conflicts (inspector_id, unit_id, object_id, reason, "
                   "declared_on, created_at, updated_at, version) VALUES (?, NULLIF(?, 0), "
                   "NULLIF(?, 0), ?, ?, "
                   "?, ?, 1)",
                   "iiissss", inspector, unit, object, reason, day, now, now) == DB_OK
               ? DB_OK
               : DB_ERROR;
}

int draw_demo(struct db *db, struct arena *a, int32_t today) {
    char now[21], day[11];
    now_iso(now);
    date_format(today - 40, day);
    int64_t ins[N_INSPECTORS], units[N_UNIT_OBJECTS], objs[N_OBJECTS];
    int rc = DB_OK;
    for (int i = 0; i < N_INSPECTORS && rc == DB_OK; i++)
        rc = insert_inspector(db, &inspectors[i], now, &ins[i]);
    for (int i = 0; i < N_UNIT_OBJECTS && rc == DB_OK; i++) {
        int64_t u = 0;
        rc = unit_id(db, unit_objects[i].unit, &u);
        if (rc == DB_OK)
            rc = insert_object(db, unit_objects[i].unit, "unit", "", "general", u,
                               unit_objects[i].risk, "", now, &units[i]);
    }
    for (int i = 0; i < N_OBJECTS && rc == DB_OK; i++) {
        const struct demo_object *o = &objects[i];
        int64_t u = 0;
        rc = unit_id(db, o->unit, &u);
        if (rc == DB_OK)
            rc = insert_object(db, o->name, o->type, o->code, o->domain, u, o->risk, o->address,
                               now, &objs[i]);
    }
    if (rc != DB_OK) return rc;
    /* declared conflicts: a deputy of a village, a lawyer advising an enterprise, a former
     * official, an expert whose institute monitors a plant */
    int64_t beishan = 0, cgjd = 0;
    if (unit_id(db, "北山镇", &beishan) || unit_id(db, "城关街道", &cgjd)) return DB_ERROR;
    if (conflict(db, ins[9], beishan, 0, "本人为北山镇石桥村党支部书记，与北山镇存在管理关系", day,
                 now) ||
        conflict(db, ins[16], 0, objs[11], "所在律师事务所为北山镇宏达化工有限公司常年法律顾问",
                 day, now) ||
        conflict(db, ins[12], cgjd, 0, "曾任城关街道办事处副主任，离任未满三年", day, now) ||
        conflict(db, ins[15], 0, objs[10], "所在研究院承担该公司排污监测业务", day, now) ||
        conflict(db, ins[17], 0, objs[26], "近亲属在该诊所任职", day, now))
        return DB_ERROR;

    /* the two special inspections' draws, as the office: the units checked in person */
    struct principal p;
    struct audit_actor au;
    if (flow_demo_actor(db, a, "office", &p, &au)) return DB_ERROR;
    struct problems pr = {.arena = a};
    struct draw_params enforcement = {
        .title = "行政执法专项督察抽查",
        .obj_type = "unit",
        .sample_mode = "count",
        .sample = {0, 2, 2, 1},
        .per_object = 2,
        .source_kind = "witness",
        .source = "区公证处公证员现场随机报出的五位数",
    };
    int64_t d1 = 0, d2 = 0, d3 = 0;
    rc = draw_commit(db, a, &au, &enforcement, 0, &pr, &d1);
    if (rc == DB_OK) rc = draw_enter_value(db, a, &au, d1, "区公证处公证员 周敏", "58213");
    struct draw_params first = {
        .title = "第一责任人履职专项督察抽查",
        .obj_type = "unit",
        .sample_mode = "count",
        .sample = {1, 1, 1, 1},
        .per_object = 3,
        .source_kind = "public",
        .source = "中国福利彩票3D游戏2026318期开奖号码",
    };
    if (rc == DB_OK) rc = draw_commit(db, a, &au, &first, 0, &pr, &d2);
    if (rc == DB_OK) rc = draw_enter_value(db, a, &au, d2, "区委依法治区办 督察科 周建国", "427");
    if (rc == DB_OK)
        rc = draw_redraw(db, a, &au, d2,
                         "抽取后发现柳河乡已于本月撤乡设镇、风险等级待重新评定，名录未及时更新；"
                         "更新检查对象名录后，以下一期开奖号码重新抽取",
                         "public", "中国福利彩票3D游戏2026325期开奖号码", &pr, &d3);
    if (rc != DB_OK && pr.n) fprintf(stderr, "draw demo: %s\n", pr.p[0].zh);
    return rc == DB_OK ? DB_OK : DB_ERROR;
}

/* Scaled: 0.002 × volume inspectors (one in four outside the unit tree) and 0.05 × volume
 * inspectable objects over the units below the root (market subjects of the domains, risk by
 * a fixed pattern), each one INSERT … SELECT. */
int draw_demo_scale(struct db *db, int64_t volume, int32_t today) {
    (void)today;
    int64_t n_ins = volume / 500, n_obj = volume / 20;
    if (n_ins < 1 && n_obj < 1) return DB_OK;
    char now[21];
    now_iso(now);
    int rc = db_exec(
        db,
        "WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ?), "
        "u AS (SELECT id, ROW_NUMBER() OVER (ORDER BY id) - 1 AS k, COUNT(*) OVER () AS n "
        "FROM units WHERE parent_id IS NOT NULL) "
        "INSERT INTO inspectors (name, category, unit_id, employer, title, qualifications, "
        "cert_no, active, created_at, updated_at, version) "
        "SELECT '督察员' || CAST(s.i AS TEXT), CASE s.i % 4 WHEN 0 THEN 'expert' WHEN 1 THEN "
        "'staff' WHEN 2 THEN 'staff' ELSE 'lawyer' END, CASE WHEN s.i % 4 IN (1, 2) THEN u.id END, "
        "CASE WHEN s.i % 4 IN (1, 2) THEN '' ELSE '批量生成的单位外人员' END, '', '', '', 1, ?, ?, "
        "1 "
        "FROM seq s JOIN u ON u.k = s.i % u.n",
        "iss", n_ins, now, now);
    if (rc != DB_OK || n_obj < 1) return rc;
    return db_exec(
        db,
        "WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ?), "
        "u AS (SELECT id, ROW_NUMBER() OVER (ORDER BY id) - 1 AS k, COUNT(*) OVER () AS n "
        "FROM units WHERE parent_id IS NOT NULL) "
        "INSERT INTO inspect_objects (name, object_type, code, domain, unit_id, risk, address, "
        "active, created_at, updated_at, version) "
        "SELECT '市场主体' || CAST(s.i AS TEXT), 'market', '', CASE s.i % 5 WHEN 0 THEN 'market' "
        "WHEN 1 THEN 'ecology' WHEN 2 THEN 'emergency' WHEN 3 THEN 'culture' ELSE 'health' END, "
        "u.id, CASE WHEN s.i % 10 < 4 THEN 'A' WHEN s.i % 10 < 7 THEN 'B' WHEN s.i % 10 < 9 "
        "THEN 'C' ELSE 'D' END, '', 1, ?, ?, 1 FROM seq s JOIN u ON u.k = (s.i * 7) % u.n",
        "iss", n_obj, now, now);
}
