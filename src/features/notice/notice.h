/* notice.h — 通知公告: announcements the office publishes to all units or chosen ones, with
 * attachments (features/files, owner "notice"), a workflow kind (草稿 → 已发布 ⇄ 已撤回; 置顶 /
 * 取消置顶 while published) and read receipts (who of which unit has read it).
 *
 * Who reads what: the entity's scope is the link table notice_units (the units a notice is
 * addressed to; "all units" is every active unit, filled when it is published); holders of
 * notice.manage (the office) also see drafts and withdrawn ones, everyone else only what is
 * published. The body is plain text: answered as it was written and shown as text by the web
 * (never as HTML), so a body cannot carry a script. */
#ifndef FAZHI_NOTICE_H
#define FAZHI_NOTICE_H

#include "features/entity/entity.h"
#include "features/flow/flow.h"

extern struct perm_def perm_notice_read;   /* notice.read: read published announcements */
extern struct perm_def perm_notice_manage; /* notice.manage: write, publish, see receipts */
extern const struct entity entity_notices;
extern const struct flow_kind notice_kind;

/* The caller has read notice `id` (already visible to them): recorded once, not audited (like
 * a notification read). *read_at the first time it was read (arena). DB_OK or < 0. */
int notice_mark_read(struct db *db, struct arena *a, const struct principal *who, int64_t id,
                     const char **read_at);
/* The read receipts of notice `id`: {units: [{unit_id, unit_name, users, read, readers:
 * [{user_id, display_name, read_at}]}], units_total, units_read, users_total, users_read}
 * (two queries). New reference, or NULL with *rc. */
json_t *notice_receipts(struct db *db, int64_t id, int *rc);
/* An attachment of a notice is read by whoever reads the notice. */
int notice_file_readable(struct db *db, const struct principal *who, int64_t notice_id);

#endif
