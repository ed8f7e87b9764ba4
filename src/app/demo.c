/* demo.c — a realistic demo district: the committee, its office, four coordination groups,
 * member units (departments, court, procuratorate, streets and townships), each with its
 * first responsible person (第一责任人) and liaison (联络员), the demo accounts and a year of
 * 督办 in every state.
 *
 * The dates below are written for DEMO_WRITTEN_FOR (that day some tasks are overdue, some due
 * within the yellow days, most due later, some done) and moved by whole days to the day the demo
 * is made, the year in the texts with them: a demo made any day shows every light and state.
 * Deterministic: the same input and day give the same data (actions are timestamped when made).
 * The calendar keeps the 2026 public holidays only (the State Council's published notice); other
 * years have plain weekends until an administrator imports their notice. */
#include <stdio.h>
#include <string.h>

#include "app/app.h"
#include "http/module.h"
#include "base/arena.h"
#include "features/accounts/accounts.h"
#include "auth/auth.h"
#include "base/calendar.h"
#include "features/calendar/calendar.h"
#include "features/org/org.h"
#include "features/tasks/tasks.h"

struct demo_unit {
    const char *code, *name, *short_name, *kind, *parent; /* parent code, NULL = root */
    const char *head_title;                               /* 第一责任人 职务 */
};

static const struct demo_unit units[] = {
    {"committee", "区委全面依法治区委员会", "依法治区委", "committee", NULL, "主任（区委书记）"},
    {"office", "区委依法治区办", "依法治区办", "office", "committee",
     "主任（区委常委、政法委书记）"},
    {"grp-legislation", "立法（制度建设）协调小组", "立法协调小组", "group", "committee", "组长"},
    {"grp-enforcement", "执法协调小组", "执法协调小组", "group", "committee", "组长"},
    {"grp-judicial", "司法协调小组", "司法协调小组", "group", "committee", "组长"},
    {"grp-publicity", "守法普法协调小组", "守法普法协调小组", "group", "committee", "组长"},
    {"justice", "区司法局", "司法局", "department", "committee", "党组书记、局长"},
    {"police", "区公安分局", "公安分局", "department", "committee", "党委书记、局长"},
    {"market", "区市场监督管理局", "市场监管局", "department", "committee", "党组书记、局长"},
    {"court", "区人民法院", "区法院", "court", "committee", "党组书记、院长"},
    {"procuratorate", "区人民检察院", "区检察院", "procuratorate", "committee", "党组书记、检察长"},
    {"drc", "区发展和改革局", "发改局", "department", "committee", "党组书记、局长"},
    {"finance", "区财政局", "财政局", "department", "committee", "党组书记、局长"},
    {"hrss", "区人力资源和社会保障局", "人社局", "department", "committee", "党组书记、局长"},
    {"natres", "区自然资源局", "自然资源局", "department", "committee", "党组书记、局长"},
    {"ecology", "区生态环境分局", "生态环境分局", "department", "committee", "党组书记、局长"},
    {"housing", "区住房和城乡建设局", "住建局", "department", "committee", "党组书记、局长"},
    {"urban", "区城市管理综合执法局", "城管执法局", "department", "committee", "党组书记、局长"},
    {"education", "区教育局", "教育局", "department", "committee", "党组书记、局长"},
    {"health", "区卫生健康局", "卫健局", "department", "committee", "党组书记、局长"},
    {"emergency", "区应急管理局", "应急局", "department", "committee", "党组书记、局长"},
    {"petition", "区信访局", "信访局", "department", "committee", "党组书记、局长"},
    {"civil", "区民政局", "民政局", "department", "committee", "党组书记、局长"},
    {"agri", "区农业农村局", "农业农村局", "department", "committee", "党组书记、局长"},
    {"culture", "区文化和旅游局", "文旅局", "department", "committee", "党组书记、局长"},
    {"govservice", "区政务服务和数据管理局", "政数局", "department", "committee", "党组书记、局长"},
    {"chengguan", "城关街道", "城关街道", "street", "committee", "党工委书记"},
    {"dongcheng", "东城街道", "东城街道", "street", "committee", "党工委书记"},
    {"xicheng", "西城街道", "西城街道", "street", "committee", "党工委书记"},
    {"nanhu", "南湖街道", "南湖街道", "street", "committee", "党工委书记"},
    {"beishan", "北山镇", "北山镇", "township", "committee", "党委书记"},
    {"qingshi", "青石镇", "青石镇", "township", "committee", "党委书记"},
    {"liuhe", "柳河乡", "柳河乡", "township", "committee", "党委书记"},
    /* villages and communities (their people's mediation committees take simple disputes) */
    {"cg-heping", "城关街道和平社区", "和平社区", "village", "chengguan", "党委书记、居委会主任"},
    {"dc-xinhua", "东城街道新华社区", "新华社区", "village", "dongcheng", "党委书记、居委会主任"},
    {"bs-shiqiao", "北山镇石桥村", "石桥村", "village", "beishan", "党支部书记、村委会主任"},
    {"qs-hexi", "青石镇河西村", "河西村", "village", "qingshi", "党支部书记、村委会主任"},
};
#define N_UNITS (int)(sizeof units / sizeof units[0])

static const char *surnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴",
                                 "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗"};
static const char *given[] = {"建国", "志强", "秀英", "海涛", "丽华", "文博", "晓东", "春燕",
                              "国庆", "明辉", "静怡", "立新", "红梅", "卫东", "思远", "雅琴",
                              "振华", "玉兰", "俊杰", "慧敏", "德明", "晨曦", "永刚", "佳宁"};

static void person_name(int i, char *out, size_t n) {
    snprintf(out, n, "%s%s", surnames[(i * 7 + 3) % 20], given[(i * 11 + 5) % 24]);
}

struct demo_account {
    const char *username, *display_name, *unit, *role;
};

static const struct demo_account accounts[] = {
    {"sysadmin", "系统管理员", "office", "sysadmin"},
    {"secadmin", "安全管理员", "office", "secadmin"},
    {"auditor", "审计管理员", "office", "auditor"},
    {"office", "依法治区办 周立新", "office", "office"},
    {"leader", "区领导 陈振华", "committee", "leader"},
    {"reviewer", "合法性审核员 林静怡", "justice", "reviewer"},
    {"inspector", "法治督察员 郭俊杰", "office", "inspector"},
    {"clerk1", "区司法局联络员 何晓东", "justice", "clerk"},
    {"clerk2", "城关街道联络员 马春燕", "chengguan", "clerk"},
};

/* ---- a year of 督办: two source documents decomposed into tasks in every state ---- */

#define DEMO_WRITTEN_FOR "2026-11-25" /* the day the dates below describe */
#define DEMO_YEAR        "2026"       /* and the year in the texts */

struct demo_clock {
    int32_t shift; /* days from DEMO_WRITTEN_FOR to the day the demo is made */
    char year[5];  /* the work year then: the first document's year */
};

/* A date of the tables below, moved to the demo's day, in the arena. */
static const char *demo_date(struct arena *a, const struct demo_clock *c, const char *date) {
    int32_t d;
    char *out = arena_alloc(a, 11);
    if (date_parse(date, &d) != 0) return date;
    date_format(d + c->shift, out);
    return out;
}

/* Text of the tables with DEMO_YEAR replaced by the demo's work year, in the arena. */
static const char *demo_text(struct arena *a, const struct demo_clock *c, const char *s) {
    const char *hit = strstr(s, DEMO_YEAR);
    if (!hit) return s;
    return arena_printf(a, "%.*s%s%s", (int)(hit - s), s, c->year,
                        demo_text(a, c, hit + strlen(DEMO_YEAR)));
}

enum stage {
    ST_DRAFT,    /* not issued yet */
    ST_ISSUED,   /* issued, not acknowledged */
    ST_PROGRESS, /* acknowledged, progress reported */
    ST_CLOSING,  /* the lead unit asked to close */
    ST_RETURNED, /* asked to close, returned by the office */
    ST_DONE,     /* accepted */
    ST_CANCELLED /* issued, then withdrawn by the office */
};
#define F_URGED      1 /* an urging notice, unanswered */
#define F_REPLIED    2 /* an urging notice, answered */
#define F_EXTENSION  4 /* an extension request pending */
#define F_SUPERVISED 8 /* 挂牌督办 */

struct demo_task {
    int doc;    /* 0 or 1 */
    int parent; /* index of the parent row, -1 for a root */
    const char *title;
    const char *lead;   /* unit code */
    const char *co;     /* space-separated unit codes */
    const char *due;    /* YYYY-MM-DD */
    const char *rhythm; /* none|monthly|quarterly */
    const char *priority;
    const char *category;
    const char *tags; /* space-separated */
    enum stage stage;
    int flags;
    int progress;
};

static const struct {
    const char *doc_no, *title, *issuer, *issued_on, *kind, *summary;
} demo_docs[] = {
    {"依法治区办发〔2026〕1号", "2026年全区法治政府建设工作要点", "区委依法治区办", "2026-02-20",
     "work_points",
     "围绕健全依法决策机制、严格规范公正文明执法、强化行政权力制约监督、依法化解矛盾纠纷等方面，"
     "明确全年法治政府建设重点任务和责任分工。"},
    {"依法治区办发〔2026〕3号", "全区法治环境攻坚“五项行动”实施方案", "区委依法治区办",
     "2026-03-10", "plan",
     "集中开展涉企涉法涉诉信访积案清理、打击非法集资、打击恶意逃废金融债务、打击电信网络诈骗、"
     "打击侵害企业和企业家合法权益违法犯罪五项行动。"},
};

static const struct demo_task demo_tasks[] = {
    /* 0 */ {0, -1, "健全重大行政决策程序制度，公布年度重大行政决策事项目录", "office",
             "justice drc", "2026-12-31", "quarterly", "high", "法治政府建设", "重大行政决策",
             ST_PROGRESS, F_SUPERVISED, 60},
    /* 1 */
    {0, 0, "编制并公布2026年度重大行政决策事项目录", "justice", "drc", "2026-04-30", "none", "high",
     "法治政府建设", "重大行政决策", ST_DONE, 0, 100},
    /* 2 */
    {0, 0, "开展重大行政决策后评估试点", "drc", "justice finance", "2026-11-30", "monthly",
     "normal", "法治政府建设", "重大行政决策 决策后评估", ST_PROGRESS, F_EXTENSION, 70},
    /* 3 */
    {0, -1, "实现行政规范性文件合法性审核率100%", "justice", "", "2026-12-31", "monthly", "urgent",
     "法治政府建设", "合法性审核 规范性文件", ST_PROGRESS, 0, 85},
    /* 4 */
    {0, 3, "建立规范性文件合法性审核台账并按季度通报", "justice", "govservice", "2026-06-30",
     "quarterly", "normal", "法治政府建设", "合法性审核", ST_CLOSING, 0, 100},
    /* 5 */
    {0, -1, "全面推行行政执法“三项制度”，开展行政执法案卷评查", "justice",
     "police market urban ecology", "2026-10-31", "monthly", "high", "执法监督",
     "三项制度 案卷评查", ST_PROGRESS, F_URGED | F_SUPERVISED, 55},
    /* 6 */
    {0, 5, "市场监管领域行政处罚案卷自查和交叉评查", "market", "justice", "2026-09-30", "monthly",
     "normal", "执法监督", "案卷评查", ST_PROGRESS, F_URGED, 40},
    /* 7 */
    {0, 5, "城市管理综合执法全过程记录设备配备和使用", "urban", "", "2026-08-31", "none", "normal",
     "执法监督", "三项制度", ST_RETURNED, 0, 90},
    /* 8 */
    {0, -1, "加强行政复议和行政应诉工作，行政机关负责人出庭应诉率达到90%以上", "justice", "court",
     "2026-12-31", "quarterly", "high", "法治政府建设", "行政复议 行政应诉", ST_PROGRESS, F_REPLIED,
     75},
    /* 9 */
    {0, -1, "深化政务公开，推进基层政务公开标准化规范化", "govservice", "chengguan dongcheng",
     "2026-11-30", "quarterly", "normal", "法治政府建设", "政务公开", ST_DONE, 0, 100},
    /* 10 */
    {0, -1, "开展“八五”普法中期评估和“谁执法谁普法”履职评议", "justice", "education health culture",
     "2026-12-15", "monthly", "normal", "普法宣传", "普法 谁执法谁普法", ST_PROGRESS, 0, 50},
    /* 11 */
    {0, -1, "推进公共法律服务实体平台、热线平台、网络平台融合发展", "justice",
     "chengguan xicheng nanhu beishan", "2026-12-31", "quarterly", "normal", "公共法律服务",
     "公共法律服务", ST_ISSUED, 0, 0},
    /* 12 */
    {0, -1, "健全矛盾纠纷多元化解机制，完善人民调解、行政调解、司法调解联动", "justice",
     "petition court chengguan qingshi liuhe", "2026-12-31", "monthly", "high", "基层治理",
     "矛盾纠纷化解 人民调解", ST_PROGRESS, 0, 65},
    /* 13 */
    {0, 12, "城关街道矛盾纠纷排查化解月报", "chengguan", "", "2026-12-31", "monthly", "normal",
     "基层治理", "矛盾纠纷化解", ST_PROGRESS, 0, 70},
    /* 14 */
    {0, -1, "开展法治政府建设示范创建申报准备", "office", "justice", "2027-03-31", "none", "normal",
     "法治政府建设", "示范创建", ST_DRAFT, 0, 0},
    /* 15 */
    {1, -1, "涉企涉法涉诉信访积案清理专项行动", "petition", "justice court police", "2026-12-31",
     "monthly", "urgent", "五项行动", "五项行动 信访积案", ST_PROGRESS, F_SUPERVISED, 80},
    /* 16 */
    {1, 15, "区法院涉诉信访积案化解销号", "court", "", "2026-10-31", "monthly", "high", "五项行动",
     "五项行动 信访积案", ST_PROGRESS, F_URGED, 60},
    /* 17 */
    {1, -1, "打击非法集资等涉众型经济犯罪专项行动", "police", "finance market", "2026-12-31",
     "monthly", "high", "五项行动", "五项行动 非法集资", ST_PROGRESS, 0, 70},
    /* 18 */
    {1, -1, "打击恶意逃废金融债务违法犯罪专项行动", "court", "police finance", "2026-12-31",
     "quarterly", "high", "五项行动", "五项行动 金融债务", ST_CLOSING, 0, 100},
    /* 19 */
    {1, -1, "打击电信网络诈骗违法犯罪专项行动", "police", "chengguan dongcheng xicheng nanhu",
     "2026-12-31", "monthly", "urgent", "五项行动", "五项行动 电信网络诈骗", ST_PROGRESS, 0, 75},
    /* 20 */
    {1, 19, "开展反诈宣传进社区、进企业、进校园", "chengguan", "education", "2026-09-30", "monthly",
     "normal", "五项行动", "五项行动 电信网络诈骗 普法", ST_DONE, 0, 100},
    /* 21 */
    {1, -1, "打击侵害企业和企业家合法权益违法犯罪专项行动", "procuratorate", "police court market",
     "2026-12-31", "quarterly", "high", "五项行动", "五项行动 营商环境", ST_ISSUED, 0, 0},
    /* 22 */
    {1, -1, "开展“五项行动”集中宣传月活动", "justice", "culture", "2026-06-30", "none", "normal",
     "五项行动", "五项行动 普法", ST_CANCELLED, 0, 0},
};
#define N_DEMO_TASKS (int)(sizeof demo_tasks / sizeof demo_tasks[0])

/* The principal of a unit's liaison account (clerk1 for 区司法局, clerk2 for 城关街道,
 * clerk_<code> elsewhere), or the office account for the office. */
static int demo_principal(struct db *db, struct arena *a, const char *unit_code,
                          struct principal *p) {
    const char *user = !strcmp(unit_code, "justice")     ? "clerk1"
                       : !strcmp(unit_code, "chengguan") ? "clerk2"
                       : !strcmp(unit_code, "office")    ? "office"
                                                         : arena_printf(a, "clerk_%s", unit_code);
    int64_t id = account_id_by_username(db, user);
    return id && principal_load(db, a, id, p) == DB_ROW ? 0 : -1;
}

static int demo_act(struct db *db, struct arena *a, const struct principal *p, int64_t task,
                    const char *action, struct task_action_args *args) {
    struct audit_actor au = {p->user_id, p->username, p->role, p->unit_id, "local", ""};
    struct task_actor ta = {p, &au};
    struct task_problems pr = {0};
    int rc = task_apply(db, a, &ta, task, action, args, &pr);
    if (rc != FLOW_OK)
        fprintf(stderr, "fazhi demo: task %lld %s: %d %s\n", (long long)task, action, rc,
                pr.n ? pr.p[0].zh : "");
    return rc == FLOW_OK ? 0 : -1;
}

static int demo_tasks_populate(struct db *db, struct arena *a, int32_t today) {
    struct demo_clock clk;
    int32_t written;
    date_parse(DEMO_WRITTEN_FOR, &written);
    clk.shift = today - written;
    snprintf(clk.year, sizeof clk.year, "%.4s", demo_date(a, &clk, demo_docs[0].issued_on));
    struct principal office;
    if (demo_principal(db, a, "office", &office)) return -1;
    struct audit_actor office_au = {office.user_id, office.username, office.role,
                                    office.unit_id, "local",         ""};
    struct task_actor ota = {&office, &office_au};
    int64_t doc_ids[2];
    for (int i = 0; i < 2; i++) {
        const char *issued = demo_date(a, &clk, demo_docs[i].issued_on);
        /* entered the morning it was issued (08:30 Beijing): created_at is a time, not a date */
        const char *entered = arena_printf(a, "%sT00:30:00Z", issued);
        int rc = db_exec(db,
                         "INSERT INTO documents (doc_no, title, issuer, issued_on, kind, summary, "
                         "created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         "ssssssiss", demo_text(a, &clk, demo_docs[i].doc_no),
                         demo_text(a, &clk, demo_docs[i].title), demo_docs[i].issuer, issued,
                         demo_docs[i].kind, demo_docs[i].summary, office.user_id, entered, entered);
        if (rc != DB_OK ||
            db_query_int(db, &doc_ids[i], "SELECT id FROM documents WHERE doc_no = ?", "s",
                         demo_text(a, &clk, demo_docs[i].doc_no)) != DB_ROW)
            return -1;
        char oid[24];
        snprintf(oid, sizeof oid, "%lld", (long long)doc_ids[i]);
        if (audit_append(db, &office_au, "document.create", "document", oid, "ok", "") != DB_OK)
            return -1;
    }
    int64_t ids[N_DEMO_TASKS];
    for (int i = 0; i < N_DEMO_TASKS; i++) {
        const struct demo_task *d = &demo_tasks[i];
        struct task_input in = {0};
        in.title = demo_text(a, &clk, d->title);
        in.content = arena_printf(a,
                                  "按照《%s》要求，%s。牵头单位会同配合单位制定工作方案，"
                                  "明确时间节点，按期报送进展。",
                                  demo_text(a, &clk, demo_docs[d->doc].title), in.title);
        in.category = d->category;
        in.responsible = "";
        in.start_on = demo_date(a, &clk, demo_docs[d->doc].issued_on);
        in.due_on = demo_date(a, &clk, d->due);
        in.rhythm = d->rhythm;
        in.priority = d->priority;
        in.document_id = doc_ids[d->doc];
        in.parent_id = d->parent >= 0 ? ids[d->parent] : 0;
        in.lead_unit_id = unit_id_by_code(db, d->lead);
        char co[200];
        snprintf(co, sizeof co, "%s", d->co);
        for (char *save = NULL, *p = strtok_r(co, " ", &save); p && in.n_co < 32;
             p = strtok_r(NULL, " ", &save))
            in.co_unit_ids[in.n_co++] = unit_id_by_code(db, p);
        in.tags = json_array();
        char tags[200];
        snprintf(tags, sizeof tags, "%s", d->tags);
        for (char *save = NULL, *p = strtok_r(tags, " ", &save); p; p = strtok_r(NULL, " ", &save))
            json_array_append_new(in.tags, json_string(p));
        int rc = task_create(db, a, &ota, &in, &ids[i]);
        json_decref(in.tags);
        if (rc != DB_OK) return -1;
        if (d->stage == ST_DRAFT) continue;
        struct task_action_args none = {.progress = -1};
        if (demo_act(db, a, &office, ids[i], "issue", &none)) return -1;
        if (d->stage == ST_CANCELLED) {
            struct task_action_args why = {.progress = -1,
                                           .note = "工作部署调整，并入年度普法工作统一开展。"};
            if (demo_act(db, a, &office, ids[i], "cancel", &why)) return -1;
            continue;
        }
        if (d->stage == ST_ISSUED) continue;
        struct principal lead;
        if (demo_principal(db, a, d->lead, &lead)) return -1;
        if (demo_act(db, a, &lead, ids[i], "acknowledge", &none)) return -1;
        snprintf(co, sizeof co, "%s", d->co);
        for (char *save = NULL, *p = strtok_r(co, " ", &save); p; p = strtok_r(NULL, " ", &save)) {
            struct principal cp;
            if (!demo_principal(db, a, p, &cp)) demo_act(db, a, &cp, ids[i], "acknowledge", &none);
        }
        struct task_action_args rep = {
            .progress = d->progress > 30 ? d->progress - 30 : d->progress,
            .note = "已制定工作方案，明确责任分工和时间节点，各项工作有序推进。"};
        if (demo_act(db, a, &lead, ids[i], "report", &rep)) return -1;
        rep.progress = d->progress;
        rep.note = "按计划推进，已完成阶段性目标，下一步将继续加强督促落实。";
        if (d->stage != ST_ISSUED && demo_act(db, a, &lead, ids[i], "report", &rep)) return -1;
        if (d->flags & F_EXTENSION) {
            struct task_action_args ext = {
                .progress = -1,
                .note = "试点涉及部门较多，评估报告需征求意见，申请延期一个月。",
                .new_due_on = demo_date(a, &clk, "2026-12-31")};
            if (demo_act(db, a, &lead, ids[i], "request_extension", &ext)) return -1;
        }
        if (d->flags & (F_URGED | F_REPLIED)) {
            struct task_action_args urge = {
                .progress = -1, .note = "该任务进度滞后，请加快推进并书面报告进展情况。"};
            if (demo_act(db, a, &office, ids[i], "urge", &urge)) return -1;
            if (d->flags & F_REPLIED) {
                int64_t urging = 0;
                db_query_int(db, &urging, "SELECT MAX(id) FROM task_urgings WHERE task_id = ?", "i",
                             ids[i]);
                struct task_action_args reply = {.progress = -1,
                                                 .urging_id = urging,
                                                 .note =
                                                     "已召开专题会议部署，本周内报送书面材料。"};
                if (demo_act(db, a, &lead, ids[i], "reply_urging", &reply)) return -1;
            }
        }
        if (d->flags & F_SUPERVISED && demo_act(db, a, &office, ids[i], "supervise", &none))
            return -1;
        if (d->stage < ST_CLOSING) continue;
        struct task_action_args close = {
            .progress = 100, .note = "各项工作已全部完成，相关佐证材料已上传，申请办结。"};
        if (demo_act(db, a, &lead, ids[i], "request_close", &close)) return -1;
        if (d->stage == ST_RETURNED) {
            struct task_action_args ret = {
                .progress = -1, .note = "佐证材料不完整，请补充执法记录仪使用台账后重新申请。"};
            if (demo_act(db, a, &office, ids[i], "return", &ret)) return -1;
        } else if (d->stage == ST_DONE) {
            struct task_action_args ok = {.progress = -1, .note = "经审核，任务已完成，同意办结。"};
            if (demo_act(db, a, &office, ids[i], "accept", &ok)) return -1;
        }
    }
    return 0;
}

int demo_populate(struct db *db, const char *password, int32_t today) {
    struct audit_actor who = app_actor("cli:demo");
    struct arena *a = arena_new(65536);
    int rc = db_begin(db);
    for (int i = 0; i < N_UNITS && rc == DB_OK; i++) {
        const struct demo_unit *u = &units[i];
        int64_t id, parent = u->parent ? unit_id_by_code(db, u->parent) : 0;
        rc = unit_create(db, &who, u->code, u->name, u->short_name, u->kind, parent, (i + 1) * 10,
                         &id);
        char name[32], phone[16];
        if (rc != DB_OK) break;
        /* 第一责任人: the unit's principal leader. */
        person_name(i * 2, name, sizeof name);
        snprintf(phone, sizeof phone, "139%08d", 10000000 + i * 7919);
        int64_t pid;
        rc = person_create(db, a, &who, id, name, u->head_title, phone, 1, 0, 1, &pid);
        /* 联络员: the staff member who reports for the unit. */
        if (rc == DB_OK && strcmp(u->kind, "committee") != 0) {
            person_name(i * 2 + 1, name, sizeof name);
            snprintf(phone, sizeof phone, "138%08d", 20000000 + i * 6007);
            rc = person_create(db, a, &who, id, name, "法治建设联络员", phone, 0, 1, 2, &pid);
        }
    }
    for (size_t i = 0; i < sizeof accounts / sizeof accounts[0] && rc == DB_OK; i++) {
        const struct demo_account *d = &accounts[i];
        int64_t id;
        rc = account_create(db, &who, d->username, d->display_name, unit_id_by_code(db, d->unit),
                            d->role, password, 0, &id);
    }
    /* Every other member unit gets its liaison account too (clerk_<unit code>). */
    for (int i = 0; i < N_UNITS && rc == DB_OK; i++) {
        const struct demo_unit *u = &units[i];
        if (!strcmp(u->kind, "committee") || !strcmp(u->kind, "office") ||
            !strcmp(u->kind, "group") || !strcmp(u->code, "justice") ||
            !strcmp(u->code, "chengguan"))
            continue;
        int64_t id;
        rc = account_create(db, &who, arena_printf(a, "clerk_%s", u->code),
                            arena_printf(a, "%s联络员", u->short_name),
                            unit_id_by_code(db, u->code), "clerk", password, 0, &id);
    }
    if (rc == DB_OK) rc = calendar_seed_demo(db, &who);
    if (rc == DB_OK && demo_tasks_populate(db, a, today) != 0) rc = DB_ERROR;
    for (int m = 0; rc == DB_OK && fazhi_modules[m]; m++) /* the modules' own demo records */
        if (fazhi_modules[m]->demo) rc = fazhi_modules[m]->demo(db, a, today);
    if (rc == DB_OK) rc = db_commit(db);
    if (rc != DB_OK) {
        fprintf(stderr, "fazhi demo: failed: %s\n", db_errmsg(db));
        db_rollback(db);
    }
    arena_free(a);
    return rc == DB_OK ? 0 : -1;
}
