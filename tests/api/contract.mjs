// The role table and the route table of docs/API.md, written down once for the tests.
export const ROLE_PERMS = {
    sysadmin: ['unit.read', 'unit.manage', 'person.read', 'person.manage', 'user.read', 'user.manage',
        'role.read', 'setting.read', 'setting.manage'],
    secadmin: ['unit.read', 'user.read', 'role.read', 'role.manage', 'role.assign', 'setting.read', 'security.manage'],
    auditor: ['audit.read', 'audit.export', 'audit.verify'],
    office: ['unit.read', 'unit.manage', 'person.read', 'person.manage', 'person.reveal', 'user.read'],
    leader: ['unit.read', 'person.read'],
    reviewer: ['unit.read', 'person.read'],
    inspector: ['unit.read', 'person.read'],
    clerk: ['unit.read', 'person.read', 'person.manage'],
};
export const ROLE_SCOPE = {
    sysadmin: 'all', secadmin: 'all', auditor: 'all', office: 'all', leader: 'all', reviewer: 'all',
    inspector: 'all', clerk: 'own',
};
/** demo account → role code */
export const ACCOUNT_ROLE = {
    sysadmin: 'sysadmin', secadmin: 'secadmin', auditor: 'auditor', office: 'office', leader: 'leader',
    reviewer: 'reviewer', inspector: 'inspector', clerk1: 'clerk', clerk2: 'clerk',
};
export const ADMIN_ROLES = ['sysadmin', 'secadmin', 'auditor'];

export const SETTINGS = {
    'site.name': { type: 'text', perm: 'setting.manage' },
    'site.district': { type: 'text', perm: 'setting.manage' },
    'password.min_length': { type: 'int', def: 8, min: 8, max: 128, perm: 'security.manage' },
    'password.min_classes': { type: 'int', def: 3, min: 1, max: 4, perm: 'security.manage' },
    'login.max_failures': { type: 'int', def: 5, min: 3, max: 20, perm: 'security.manage' },
    'login.lock_minutes': { type: 'int', def: 15, min: 1, max: 1440, perm: 'security.manage' },
    'session.idle_minutes': { type: 'int', def: 30, min: 5, max: 480, perm: 'security.manage' },
    'session.absolute_hours': { type: 'int', def: 12, min: 1, max: 72, perm: 'security.manage' },
};

/** Every route of the contract: [METHOD, PATH, PERMISSION]; `public` = no session, `signed_in` = any signed-in user. */
export const ROUTES = [
    ['GET', '/healthz', 'public'],
    ['GET', '/readyz', 'public'],
    ['GET', '/metrics', 'public'],
    ['GET', '/api/v1/openapi.json', 'public'],
    ['POST', '/api/v1/auth/login', 'public'],
    ['POST', '/api/v1/auth/logout', 'signed_in'],
    ['GET', '/api/v1/auth/me', 'signed_in'],
    ['POST', '/api/v1/auth/password', 'signed_in'],
    ['GET', '/api/v1/unit-kinds', 'unit.read'],
    ['GET', '/api/v1/units', 'unit.read'],
    ['GET', '/api/v1/units/tree', 'unit.read'],
    ['GET', '/api/v1/units/{id}', 'unit.read'],
    ['POST', '/api/v1/units', 'unit.manage'],
    ['PUT', '/api/v1/units/{id}', 'unit.manage'],
    ['POST', '/api/v1/units/{id}/deactivate', 'unit.manage'],
    ['POST', '/api/v1/units/{id}/activate', 'unit.manage'],
    ['DELETE', '/api/v1/units/{id}', 'unit.manage'],
    ['GET', '/api/v1/people', 'person.read'],
    ['GET', '/api/v1/people/{id}', 'person.read'],
    ['GET', '/api/v1/people/{id}/phone', 'person.reveal'],
    ['POST', '/api/v1/people', 'person.manage'],
    ['PUT', '/api/v1/people/{id}', 'person.manage'],
    ['DELETE', '/api/v1/people/{id}', 'person.manage'],
    ['GET', '/api/v1/users', 'user.read'],
    ['GET', '/api/v1/users/{id}', 'user.read'],
    ['POST', '/api/v1/users', 'user.manage'],
    ['PUT', '/api/v1/users/{id}', 'user.manage'],
    ['POST', '/api/v1/users/{id}/lock', 'user.manage'],
    ['POST', '/api/v1/users/{id}/unlock', 'user.manage'],
    ['POST', '/api/v1/users/{id}/reset-password', 'user.manage'],
    ['PUT', '/api/v1/users/{id}/role', 'role.assign'],
    ['GET', '/api/v1/roles', 'role.read'],
    ['GET', '/api/v1/roles/{id}', 'role.read'],
    ['GET', '/api/v1/permissions', 'role.read'],
    ['POST', '/api/v1/roles', 'role.manage'],
    ['PUT', '/api/v1/roles/{id}', 'role.manage'],
    ['DELETE', '/api/v1/roles/{id}', 'role.manage'],
    ['GET', '/api/v1/audit', 'audit.read'],
    ['GET', '/api/v1/audit/export.csv', 'audit.export'],
    ['GET', '/api/v1/audit/verify', 'audit.verify'],
    ['GET', '/api/v1/settings', 'setting.read'],
    ['PUT', '/api/v1/settings/{key}', 'setting.read'], // and the handler checks the setting's own permission,
];
