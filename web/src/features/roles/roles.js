// The three administrator roles (三员) are fixed: read-only in the UI, never assignable.
export const ADMIN_ROLE_CODES = ['sysadmin', 'secadmin', 'auditor']

export function isAdminRole(role, permissions) {
  if (!role) return false
  if (role.admin === true) return true // the server marks the three administrator roles
  if (ADMIN_ROLE_CODES.includes(role.code)) return true
  const admin = new Set((permissions || []).filter((p) => p.admin).map((p) => p.code))
  return (role.permissions || []).some((p) => admin.has(p))
}
