/* enforcement.h — 行政执法监督: 行政执法案件 (the kind enforcement_case: 立案 → 调查取证 → 告知 →
 * (听证) → 法制审核 (major decisions) → 决定 → 送达 → 执行 → 结案, with the 三项制度 — publication
 * within 7 or 20 工作日, the full-process record steps, the legal-review gate) and 案卷评查 (a
 * scoring sheet declared as data, reviews scored by the server, findings kept for rectification).
 * Everything is a declaration on the engine (features/entity, features/flow); the one route of
 * its own serves the scoring sheet (enforcement_http.c). */
#ifndef FAZHI_ENFORCEMENT_H
#define FAZHI_ENFORCEMENT_H

#include "features/entity/entity.h"
#include "features/flow/flow.h"

extern struct perm_def perm_enforcement_view, perm_enforcement_work, perm_enforcement_manage;

/* ---- 行政执法案件 (enforcement.c) ---- */
#define ENF_TYPES 7
extern const struct field_option enforcement_case_types[ENF_TYPES]; /* 许可 处罚 强制 … */

/* 全过程记录: the steps a case file must record, each with its date (立案, 调查取证, 告知,
 * 听证 if held, 决定, 送达, 执行). */
struct enforcement_step {
    const char *code, *zh, *en;
    int required; /* 0: only when it happened (听证) */
};
#define ENF_STEPS 7
extern const struct enforcement_step enforcement_steps[ENF_STEPS];
extern const struct field_option enforcement_step_options[ENF_STEPS];

extern const struct flow_kind enforcement_case_kind;
extern const struct entity entity_enforcement_cases;
extern const struct entity_parties enforcement_parties;

/* 立案 of one case from checked input (filed_on, unit_id, case_type, cause, summary, officers,
 * major): its number (ZF2026-000123), the 立案 record step, the audit record — inside the
 * caller's write transaction. */
int enforcement_case_insert(struct db *db, struct arena *a, const struct audit_actor *actor,
                            json_t *in, int64_t *id);
/* Record step `step` of case id on `day` (replacing an earlier date) and recount the missing
 * required steps. DB_OK or < 0. */
int enforcement_step_record(struct db *db, int64_t case_id, const char *step, int32_t day,
                            int64_t actor_id);

/* 执法人员: at least 2 with distinct certificate numbers (执法证号). Checks `officers` (an array
 * of {name, cert_no} or "姓名:证号" texts, as an import cell gives them) and answers the
 * normalised array [{name, cert_no}] (new reference), or NULL with a problem added. */
json_t *enforcement_officers_check(json_t *officers, struct problems *pr);
int enforcement_cert_valid(const char *cert); /* 1 when a plausible 执法证号 */

/* ---- 案卷评查 (enforcement_review.c) ---- */
enum review_section { RS_VETO, RS_FORM, RS_CONTENT, RS_SECTIONS };
struct review_item {
    const char *code;
    enum review_section section;
    const char *zh, *en;
    int max;    /* points of the item (0 for veto items) */
    int deduct; /* points deducted per defect */
};
struct review_section_def {
    const char *code, *zh, *en;
    int max; /* points of the section (the sum of its items) */
};
extern const struct review_section_def review_sections[RS_SECTIONS];
extern const struct review_item review_items[];
extern const int n_review_items;

/* The score of a sheet's findings ([{code, defects, veto, note}], checked): a veto flag makes
 * the file fail with 0; otherwise each section's maximum less its items' deductions (each
 * item losing at most its own points), never below 0. */
struct review_score {
    int vetoed;               /* a veto item was flagged */
    int form, content, total; /* points */
};
void case_review_score(json_t *items, struct review_score *out);
/* Check the findings of a sheet: every code an item of the sheet, at most once; defects an
 * integer 0–99 on scored items; veto a boolean on veto items; note ≤ 500 characters. Answers
 * the normalised array (new reference) or NULL with problems added to `items`. */
json_t *case_review_items_check(json_t *items, struct problems *pr);
/* The grade of a score: "excellent", "pass" or "fail" (thresholds: settings). */
const char *case_review_grade(struct db *db, const struct review_score *s);
/* The sheet as served (GET /api/v1/case-reviews/sheet): new reference. */
json_t *case_review_sheet_json(struct db *db, int lang);

extern const struct entity entity_case_reviews, entity_case_review_findings;

/* Demo (enforcement_demo.c): a year of cases across the enforcing departments, walked through
 * the kind as their clerks, reviews with failing sheets; and the scaled set. DB_OK or < 0. */
int enforcement_demo(struct db *db, struct arena *a, int32_t today);
int enforcement_demo_scale(struct db *db, int64_t volume, int32_t today);

#endif
