// 安全管理 (src/features/security): the online sessions; DELETE /sessions/{id} is a force
// sign-out (no version: ending a session twice is ending it once).
import { api } from '@/api/client'
import { resource } from '@/api/resource'

const base = resource('/sessions')
export const sessions = {
  ...base,
  remove: (row, opts) => api.del(`${base.path}/${row.id}`, undefined, opts),
}
