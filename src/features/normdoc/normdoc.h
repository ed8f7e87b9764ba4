/* normdoc.h — 规范性文件, 涉法政策 and 合同 through one legality review (合法性审核): the draft
 * with its basis submitted by the drafting unit, a reviewer assigned (never one of the drafting
 * unit: 回避), the review period (15 工作日, a setting; extension with a reason), the opinion
 * (合法 / 修改后合法 / 不合法), revision as a new draft version and resubmission, issue with its
 * 文号 (a contract: signed with its number) — then for 规范性文件 备案 within 30 日, the filing
 * review within 30 日 (+20), 纠错通知 answered within 30 日 or 撤销, the validity period and 清理.
 *
 * One table (normdocs) holds the three categories; two entities read it (normdocs: 规范性文件 and
 * 涉法政策; contracts: 合同), each fixing its categories in its `visible` hook; two kinds move it
 * (normdoc, contract) whose review steps are the same declarations (normdoc.c). Module:
 * normdoc_module.c; demo: normdoc_demo.c. */
#ifndef FAZHI_NORMDOC_H
#define FAZHI_NORMDOC_H

#include "features/entity/entity.h"
#include "features/flow/flow.h"

extern struct perm_def perm_normdoc_view, perm_normdoc_work, perm_normdoc_review,
    perm_normdoc_manage;

extern const struct flow_kind normdoc_kind, contract_kind;
extern const struct entity entity_normdocs, entity_contracts, entity_normdoc_reviews;
extern const struct entity_versions normdoc_versions;

/* Register a record from checked input (category, title, unit_id, basis, explanation, body;
 * contracts: counterparty, amount, term_from, term_to; optionally doc_number + issued_on — a
 * document issued without review, registered by the office — and filed_on): its number
 * GZ<year>-<id> or HT<year>-<id>, draft version 1 when a body is given, the clocks of an issued
 * or filed one, the audit record. Inside the caller's write transaction. */
int normdoc_insert(struct db *db, struct arena *a, const struct audit_actor *actor, json_t *in,
                   int64_t *id);

/* Demo data: 40 normative documents and policies over the year in every state (several filed
 * late, one issued without review) and 10 contracts, walked through the kinds; and the scaled
 * set for `fazhi demo --scale` (set-based). DB_OK or < 0. */
int normdoc_demo(struct db *db, struct arena *a, int32_t today);
int normdoc_demo_scale(struct db *db, int64_t volume, int32_t today);

#endif
