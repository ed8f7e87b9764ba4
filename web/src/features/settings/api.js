// 系统设置 (src/features/settings).
import { api } from '@/api/client'

export const settings = {
  list: () => api.get('/settings'),
  set: (s, value) => api.put(`/settings/${encodeURIComponent(s.key)}`, { value, version: s.version }),
}
