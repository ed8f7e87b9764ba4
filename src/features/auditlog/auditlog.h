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

#endif
