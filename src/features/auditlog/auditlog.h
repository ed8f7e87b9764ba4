/* auditlog.h — the audit log as an entity (auditlog_entities.c) and its CSV export. */
#ifndef FAZHI_AUDITLOG_H
#define FAZHI_AUDITLOG_H

#include <stdint.h>

#include "base/buf.h"
#include "features/entity/entity.h"

extern const struct entity entity_audit;

/* The records matching rq (the audit entity's filters; newest first, at most max_rows) as CSV
 * with Chinese headers, appended to out. DB_OK or < 0. */
int audit_csv(struct db *db, struct arena *a, const struct principal *who,
              const struct entity_request *rq, int64_t max_rows, struct buf *out);

/* The export's columns (zh headers, in the order audit_each hands them). */
#define AUDIT_EXPORT_COLUMNS 13
extern const char *const audit_export_headers[AUDIT_EXPORT_COLUMNS];
#define AUDIT_EACH_BATCH 1000 /* rows one statement of audit_each reads */

/* Hand each record matching rq (newest first, at most max_rows) to row(cls, cells), its
 * AUDIT_EXPORT_COLUMNS cells as text (NULL for none; valid during the call): read by sequence
 * AUDIT_EACH_BATCH rows at a time, each batch one short statement, so no result holds the whole
 * log and nothing grows with it. row returns 0, or non-zero to stop. DB_OK or < 0. */
int audit_each(struct db *db, struct arena *a, const struct principal *who,
               const struct entity_request *rq, int64_t max_rows,
               int (*row)(void *cls, const char *const *cells), void *cls);

#endif
