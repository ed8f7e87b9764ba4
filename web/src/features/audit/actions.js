// The audit actions and object types the action and object filters suggest (any other code can
// be typed); their names are in the locales (audit.actions.*, audit.objects.*).

export const ACTIONS = [
  'auth.login', 'auth.login_failed', 'auth.login_throttled', 'auth.logout', 'auth.password', 'access.denied',
  'unit.create', 'unit.update', 'unit.deactivate', 'unit.activate', 'unit.delete',
  'person.create', 'person.update', 'person.delete', 'person.reveal',
  'user.create', 'user.update', 'user.lock', 'user.unlock', 'user.reset_password', 'user.role',
  'role.create', 'role.update', 'role.delete', 'setting.update', 'audit.query', 'audit.export', 'audit.verify', 'system.restore',
]
export const OBJECT_TYPES = ['unit', 'person', 'user', 'role', 'setting', 'session', 'audit', 'address']
