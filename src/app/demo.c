/* demo.c — a realistic demo district: the committee, its office, four coordination groups,
 * member units (departments, court, procuratorate, streets and townships), each with its
 * first responsible person (第一责任人) and liaison (联络员), and the demo accounts.
 * Deterministic: the same input gives the same data. */
#include <stdio.h>
#include <string.h>

#include "app/app.h"
#include "base/arena.h"
#include "features/accounts/accounts.h"
#include "features/org/org.h"

struct demo_unit {
    const char *code, *name, *short_name, *kind, *parent; /* parent code, NULL = root */
    const char *head_title;                               /* 第一责任人 职务 */
};

static const struct demo_unit units[] = {
    {"committee", "区委全面依法治区委员会", "依法治区委", "committee", NULL, "主任（区委书记）"},
    {"office", "区委依法治区办", "依法治区办", "office", "committee", "主任（区委常委、政法委书记）"},
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

int demo_populate(struct db *db, const char *password) {
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
    if (rc == DB_OK) rc = db_commit(db);
    if (rc != DB_OK) {
        fprintf(stderr, "fazhi demo: failed: %s\n", db_errmsg(db));
        db_rollback(db);
    }
    arena_free(a);
    return rc == DB_OK ? 0 : -1;
}
