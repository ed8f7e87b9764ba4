// 审计日志 (src/features/auditlog).
import { api, apiUrl } from '@/api/client'

export const audit = {
  path: '/audit',
  list: (query, opts) => api.get('/audit', query, opts),
  exportUrl: (query) => apiUrl('/audit/export.csv', query),
  exportXlsxUrl: (query) => apiUrl('/audit/export.xlsx', query),
  verify: () => api.get('/audit/verify'),
  // the names of the action and object codes, from the server's declarations
  names: () => api.get('/audit/names'),
}
