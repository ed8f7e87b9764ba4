// 账号 (src/features/accounts/users_http.c).
import { api } from '@/api/client'
import { resource } from '@/api/resource'

// Account actions by the names of allowed_actions, and the path each one posts to.
const ACTION_PATH = { lock: 'lock', unlock: 'unlock', reset_password: 'reset-password' }

export const users = {
  ...resource('/users'),
  action(row, action) { return this.post(row.id, ACTION_PATH[action], { version: row.version }) },
  setRole: (row, role) => api.put(`/users/${row.id}/role`, { role, version: row.version }),
}
