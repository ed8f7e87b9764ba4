// 通知公告 (src/features/notice): the announcements (an entity with a kind) and their read
// receipts.
import { api } from '@/api/client'
import { resource } from '@/api/resource'

const base = resource('/notices')
export const notices = {
  ...base,
  markRead: (id, opts) => api.post(`${base.path}/${id}/read`, {}, { quiet: true, ...opts }),
  receipts: (id, opts) => api.get(`${base.path}/${id}/reads`, undefined, opts),
}
