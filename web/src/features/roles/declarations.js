// 角色 as the list shell reads them, for a server that does not declare them as an entity.
// Limits as docs/openapi.yaml states them (RoleCreate, RoleUpdate).
import { declareFallback } from '@/shell/declarations'

const SCOPES = [
  { value: 'own', t: 'scope.own', tag: 'success' },
  { value: 'subtree', t: 'scope.subtree', tag: 'warning' },
  { value: 'all', t: 'scope.all', tag: 'danger' },
]

declareFallback('roles', (session) => {
  const manage = session.has('role.manage')
  return {
    name: 'roles', path: '/api/v1/roles', t: 'menu.roles', default_sort: null, per_page: 200,
    can: { read: true, create: manage, update: manage, delete: manage, export: false, import: false },
    fields: [
      { name: 'code', type: 'text', t: 'roles.code', required: true, min: 1, max: 32, list: true, create: true },
      { name: 'name', type: 'text', t: 'roles.name', required: true, min: 1, max: 100, list: true, create: true, update: true },
      { name: 'name_en', type: 'text', t: 'roles.name_en', max: 100, create: true, update: true },
      { name: 'scope', type: 'enum', t: 'roles.scope', required: true, list: true, create: true, update: true, options: SCOPES },
      { name: 'permissions', type: 'json', t: 'roles.permissions', list: true, create: true, update: true },
      { name: 'user_count', type: 'int', t: 'roles.user_count', list: true, readonly: true },
    ],
  }
})
