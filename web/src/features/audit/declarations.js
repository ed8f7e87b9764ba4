// 审计日志 as the list shell reads it (the log is not a declared entity: it is append-only and
// hash-chained, with its own query and export routes).
import { declareFallback } from '@/shell/declarations'

export const ACTIONS = [
  'auth.login', 'auth.login_failed', 'auth.login_throttled', 'auth.logout', 'auth.password', 'access.denied',
  'unit.create', 'unit.update', 'unit.deactivate', 'unit.activate', 'unit.delete',
  'person.create', 'person.update', 'person.delete', 'person.reveal',
  'user.create', 'user.update', 'user.lock', 'user.unlock', 'user.reset_password', 'user.role',
  'role.create', 'role.update', 'role.delete', 'setting.update', 'audit.query', 'audit.export', 'audit.verify', 'system.restore',
]
export const OBJECT_TYPES = ['unit', 'person', 'user', 'role', 'setting', 'session', 'audit', 'address']
const RESULTS = { ok: 'success', denied: 'warning', failed: 'danger' }

declareFallback('audit', (session) => ({
  name: 'audit', path: '/api/v1/audit', t: 'menu.audit', per_page: 20,
  can: { read: true, export: session.has('audit.export') },
  fields: [
    { name: 'seq', type: 'int', t: 'audit.seq', list: true },
    { name: 'ts', type: 'datetime', t: 'audit.ts', list: true, filter: true },
    { name: 'actor', type: 'text', t: 'audit.actor', list: true, filter: true },
    { name: 'role', type: 'text', t: 'audit.role', list: true },
    { name: 'action', type: 'text', t: 'audit.action', list: true, filter: true },
    { name: 'object_type', type: 'text', t: 'audit.object', list: true, filter: true },
    { name: 'result', type: 'enum', t: 'audit.result', list: true, filter: true,
      options: Object.keys(RESULTS).map((r) => ({ value: r, t: 'audit.results.' + r, tag: RESULTS[r] })) },
    { name: 'ip', type: 'text', t: 'audit.ip', list: true },
  ],
}))
