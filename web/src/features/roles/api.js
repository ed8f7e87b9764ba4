// 角色与权限 (src/features/accounts/roles_http.c).
import { api } from '@/api/client'
import { resource } from '@/api/resource'

export const roles = resource('/roles')
export const permissions = { list: (opts) => api.get('/permissions', undefined, opts) }
