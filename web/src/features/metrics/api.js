// 统计指标: every register's metrics from its records (src/features/metrics).
import { api } from '@/api/client'

export const metrics = {
  // the registers with metrics the caller reads: [{name, title, path, kind}]
  list: (opts) => api.get('/metrics', undefined, opts),
  // one register's metrics: {items, by_state, overdue_by_unit, monthly, path, …}
  get: (entity, query, opts) => api.get(`/metrics/${encodeURIComponent(entity)}`, query, opts),
}
