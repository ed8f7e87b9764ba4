// 合法性审查 · 审核率: the registers' metrics (src/features/metrics) and the records behind a gap.
import { api } from '@/api/client'

export const legality = {
  // the registers with metrics the caller reads: [{name, title, path, kind}]
  registers: (opts) => api.get('/metrics', undefined, opts),
  // one register's metrics for a period and unit
  metrics: (entity, query, opts) => api.get(`/metrics/${encodeURIComponent(entity)}`, query, opts),
  // the records a metric counts: an entity's list (its API path without /api/v1) with the drill query
  records: (path, query, opts) => api.get(path, query, opts),
}
