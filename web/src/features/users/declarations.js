// 账号 as the list shell reads them, for a server that does not declare them as an entity.
// Limits as docs/openapi.yaml states them (UserCreate, UserUpdate).
import { declareFallback } from '@/shell/declarations'
import { roles } from '@/features/roles/api'

declareFallback('users', async (session) => {
  const manage = session.has('user.manage')
  const list = session.has('role.read') ? ((await roles.list(undefined, { quiet: true }).catch(() => ({}))).items || []) : []
  return {
    name: 'users', path: '/api/v1/users', t: 'menu.users', default_sort: 'username', per_page: 20,
    can: { read: true, create: manage, update: manage, delete: false, export: false, import: false },
    fields: [
      { name: 'username', type: 'text', t: 'users.username', required: true, min: 3, max: 32, list: true, search: true, create: true },
      { name: 'display_name', type: 'text', t: 'users.display_name', required: true, min: 1, max: 100, list: true, search: true, create: true, update: true },
      { name: 'unit_id', type: 'unit', t: 'users.unit', required: true, list: true, filter: true, create: true, update: true },
      { name: 'role', type: 'enum', t: 'users.role', list: true, filter: list.length > 0, readonly: true,
        options: list.map((r) => ({ value: r.code, zh: r.name, en: r.name_en || r.name })) },
      { name: 'locked', type: 'bool', t: 'common.status', list: true, filter: true, readonly: true,
        options: [{ value: 0, t: 'users.normal', tag: 'success' }, { value: 1, t: 'users.locked', tag: 'danger' }] },
      { name: 'last_login_at', type: 'datetime', t: 'users.last_login', list: true, readonly: true },
    ],
  }
})
