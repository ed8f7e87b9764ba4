/* campaign_demo.c — the speech's five campaigns ("五项行动", 依法治区办发〔2026〕3号 of 2026-03-10
 * to the year's end), their lead and owning units (as the 督办 tasks of the plan), targets and
 * items: records of the kinds listed below tagged set-based, one INSERT … SELECT per kind and
 * campaign. Adding a kind to the demo is one line of `tagged`. */
#include <stdio.h>
#include <string.h>

#include "base/timeutil.h"
#include "features/campaign/campaign.h"
#include "features/flow/flow_demo.h"
#include "features/org/org.h"

static const struct {
    const char *name, *lead, *units, *description;
    int64_t target;
} campaigns[] = {
    {"涉企涉法涉诉信访积案清理专项行动", "petition", "justice court police chengguan beishan",
     "集中清理涉企、涉法涉诉信访积案，落实包案领导，逐案化解销号。", 30},
    {"打击非法集资等涉众型经济犯罪专项行动", "police", "finance market dongcheng",
     "排查非法集资风险，依法打击涉众型经济犯罪，做好涉案群众矛盾化解。", 20},
    {"打击恶意逃废金融债务违法犯罪专项行动", "court", "police finance",
     "依法打击恶意逃废金融债务行为，维护金融秩序。", 15},
    {"打击电信网络诈骗违法犯罪专项行动", "police", "chengguan dongcheng xicheng nanhu",
     "开展反诈宣传，依法打击电信网络诈骗违法犯罪，做好受害群众法律服务。", 25},
    {"打击侵害企业和企业家合法权益违法犯罪专项行动", "procuratorate", "police court market",
     "依法保护企业和企业家合法权益，化解涉企矛盾纠纷。", 20},
};

/* The kinds tagged in the demo: every `every`-th record of the kind (by id), offset per
 * campaign. A kind not registered in this installation is skipped. */
static const struct {
    const char *kind;
    int every;
} tagged[] = {
    {"petition", 3},        {"mediation", 4},  {"legal_service", 5},
    {"reconsideration", 6}, {"litigation", 6}, {"enforcement_case", 8},
};

int campaign_demo(struct db *db, struct arena *a, int32_t today) {
    char from[11], to[11], now[21];
    date_format(today - 260, from); /* 2026-03-10 when the demo is made on 2026-11-25 */
    date_format(today + 36, to);    /* 2026-12-31 */
    now_iso(now);
    int64_t office = 0;
    if (db_query_int(db, &office, "SELECT id FROM users WHERE username = 'office'", "") != DB_ROW)
        return DB_ERROR;
    struct audit_actor who = {office,  "office", "office", unit_id_by_code(db, "office"),
                              "local", ""};
    for (size_t c = 0; c < sizeof campaigns / sizeof campaigns[0]; c++) {
        int64_t lead = unit_id_by_code(db, campaigns[c].lead), id = 0;
        struct db_stmt *st = db_prepare(
            db, "INSERT INTO campaigns (name, starts_on, ends_on, target, lead_unit_id, "
                "description, status, created_by, created_at, updated_at, version) VALUES "
                "(?, ?, ?, ?, ?, ?, 'active', ?, ?, ?, 1) RETURNING id");
        if (!st) return DB_ERROR;
        db_bind_text(st, 1, campaigns[c].name);
        db_bind_text(st, 2, from);
        db_bind_text(st, 3, to);
        db_bind_int(st, 4, campaigns[c].target);
        db_bind_id(st, 5, lead);
        db_bind_text(st, 6, campaigns[c].description);
        db_bind_id(st, 7, office);
        db_bind_text(st, 8, now);
        db_bind_text(st, 9, now);
        int rc = db_step(st);
        if (rc == DB_ROW) id = db_col_int(st, 0);
        db_done(st);
        if (rc != DB_ROW) return rc < 0 ? rc : DB_ERROR;
        /* 登记 in its timeline, as the API's create */
        rc = flow_demo_created(db, a, &campaign_kind, "office", id);
        if (rc == DB_OK)
            rc = db_exec(db, "INSERT INTO campaign_units (campaign_id, unit_id) VALUES (?, ?)",
                         "ii", id, lead);
        char codes[128];
        snprintf(codes, sizeof codes, "%s", campaigns[c].units);
        for (char *save = NULL, *u = strtok_r(codes, " ", &save); u && rc == DB_OK;
             u = strtok_r(NULL, " ", &save))
            rc = db_exec(db,
                         "INSERT INTO campaign_units (campaign_id, unit_id) VALUES (?, ?) "
                         "ON CONFLICT (campaign_id, unit_id) DO NOTHING",
                         "ii", id, unit_id_by_code(db, u));
        for (size_t k = 0; k < sizeof tagged / sizeof tagged[0] && rc == DB_OK; k++) {
            const struct flow_kind *fk = flow_kind_by_name(tagged[k].kind);
            if (!fk) continue;
            rc = db_exec(
                db,
                arena_printf(a,
                             "INSERT INTO campaign_items (campaign_id, kind, record_id, "
                             "unit_id, tagged_at, tagged_by) SELECT ?, ?, r.id, %s, ?, ? "
                             "FROM %s r WHERE r.id %% ? = ?",
                             fk->unit_column ? arena_printf(a, "r.%s", fk->unit_column) : "NULL",
                             fk->table),
                "issiii", id, tagged[k].kind, now, office, (int64_t)tagged[k].every,
                (int64_t)(c % (size_t)tagged[k].every));
        }
        if (rc == DB_OK)
            rc = audit_append(db, &who, "campaign.create", "campaign",
                              arena_printf(a, "%lld", (long long)id), "ok", "");
        if (rc != DB_OK) return rc;
    }
    return DB_OK;
}
