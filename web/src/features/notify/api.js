// 消息 and 推送记录 (src/features/notify).
import { api } from '@/api/client'

export const notifications = {
  path: '/notifications',
  list: (query, opts) => api.get('/notifications', query, opts),
  unreadCount: () => api.get('/notifications/unread-count', undefined, { quiet: true }),
  read: (id, opts) => api.post(`/notifications/${id}/read`, {}, opts),
  readAll: () => api.post('/notifications/read-all'),
}

export const deliveries = {
  path: '/deliveries',
  list: (query, opts) => api.get('/deliveries', query, opts),
}
