/* catalog.h — 决策事项目录 (重大行政决策程序暂行条例 第十条: the decision body draws up, publishes
 * and adjusts its yearly catalogue of major decisions). Two records built from declarations:
 *  - the year's catalogue (entity decision_catalogues, kind decision_catalogue: 编制 → 报审 →
 *    审定 → 公布), whose steps its items follow at once (flow_follow): the office approves and
 *    publishes the year's list, never item by item;
 *  - its items (entity decision_items, kind decision_item): deciding body, lead unit (承办单位:
 *    the scope — a unit reads its own items, the office all), legal basis, planned quarter and
 *    month, matter type, summary; after publication changed (调整), removed (调出) or added (增补)
 *    only with a recorded reason, which the item and the public answer show as 调整说明; 已建档
 *    once its decision file exists (decisions.item_id), 已完成 when decided.
 * The public side reads a published catalogue without an account (catalog_public_json). */
#ifndef FAZHI_CATALOG_H
#define FAZHI_CATALOG_H

#include "features/entity/entity.h"
#include "features/flow/flow.h"

extern struct perm_def perm_catalog_view, perm_catalog_manage;

extern const struct flow_kind decision_catalogue_kind, decision_item_kind;
extern const struct entity entity_decision_catalogues, entity_decision_items;

/* The public answer of year's published catalogue (year 0: the latest published one): {year,
 * title, deciding_body, published_on, publish_channel, items: [{item_no, title, deciding_body,
 * lead_unit, legal_basis, planned_quarter, planned_month, planned, matter_type, matter_type_name,
 * summary, status, status_name, adjustment_note}], adjustments: [{adjusted_on, type, type_name,
 * item_no, title, reason}]} — only items of the published catalogue still in it, none of the
 * internal fields (ids, versions, authors). New reference; NULL with *rc DB_DONE when that year
 * has no published catalogue, < 0 on error. */
json_t *catalog_public_json(struct db *db, struct arena *a, int64_t year, int lang, int *rc);

/* The decision file of item_id was opened (建立决策档案, by the decision module once it links
 * decisions.item_id): a published item becomes 已建档, with its timeline event and audit record,
 * inside the caller's transaction. FLOW_OK (also when it was filed already), FLOW_NOT_ALLOWED
 * (not in the published catalogue) or FLOW_DB. */
int catalog_item_filed(struct db *db, struct arena *a, const struct flow_actor *actor,
                       int64_t item_id, int64_t decision_id);

/* Demo data (catalog_demo.c): the demo district's 2026 catalogue, published, one item adjusted
 * with its reason; and a small set-based catalogue per unit for `demo --scale`. */
int catalog_demo(struct db *db, struct arena *a, int32_t today);
int catalog_demo_scale(struct db *db, int64_t volume, int32_t today);

#endif
