// The role table and the route table of docs/API.md and docs/API-tasks.md, written down once for the tests.
export const ROLE_PERMS = {
    sysadmin: ['unit.read', 'unit.manage', 'person.read', 'person.manage', 'user.read', 'user.manage',
        'role.read', 'setting.read', 'setting.manage', 'calendar.manage', 'notify.manage', 'dict.read', 'dict.manage'],
    secadmin: ['unit.read', 'user.read', 'role.read', 'role.manage', 'role.assign', 'setting.read', 'security.manage',
        'loginlog.read', 'session.manage'],
    auditor: ['audit.read', 'audit.export', 'audit.verify'],
    office: ['unit.read', 'unit.manage', 'person.read', 'person.manage', 'person.reveal', 'user.read',
        'task.read', 'task.manage', 'task.work', 'file.upload', // task.work: tasks its own unit is assigned to
        'legal_service.view', 'legal_service.work', 'legal_service.manage', 'notice.read', 'notice.manage', 'dict.read',
        'pii.reveal', 'metrics.view'],
    leader: ['unit.read', 'person.read', 'task.read', 'legal_service.view', 'notice.read', 'metrics.view'],
    reviewer: ['unit.read', 'person.read', 'task.read', 'legal_service.view', 'notice.read', 'metrics.view'],
    inspector: ['unit.read', 'person.read', 'task.read', 'legal_service.view', 'notice.read', 'metrics.view'],
    clerk: ['unit.read', 'person.read', 'person.manage', 'task.read', 'task.work', 'file.upload',
        'legal_service.view', 'legal_service.work', 'notice.read', 'metrics.view'],
};
/* The registers' permissions follow one rule (<m>.view/.work/.manage: the office all three, clerks
 * view and work, leaders, reviewers and inspectors view): one line per register. */
export const REGISTERS = [
    'reconsider',
    'litigation',
    'petition',
    'mediation',
    'campaign',
    'enforcement',
];
for (const m of REGISTERS) {
    ROLE_PERMS.office.push(`${m}.view`, `${m}.work`, `${m}.manage`);
    for (const r of ['leader', 'reviewer', 'inspector']) ROLE_PERMS[r].push(`${m}.view`);
    ROLE_PERMS.clerk.push(`${m}.view`, `${m}.work`);
}
// 决策事项目录: the office draws the catalogue up, approves, publishes and adjusts it; the rest read
ROLE_PERMS.office.push('catalog.view', 'catalog.manage');
for (const r of ['leader', 'reviewer', 'inspector', 'clerk']) ROLE_PERMS[r].push('catalog.view');
/* 公开征求意见 (issue 12, docs/API-legality.md): the office all three, clerks view and work,
 * leaders and reviewers view (inspectors do not read it). */
ROLE_PERMS.office.push('consult.view', 'consult.work', 'consult.manage');
for (const r of ['leader', 'reviewer']) ROLE_PERMS[r].push('consult.view');
ROLE_PERMS.clerk.push('consult.view', 'consult.work');
/* 规范性文件与合同 (normdoc): the office all four, clerks view and work, reviewers view and review,
 * leaders and inspectors view. */
ROLE_PERMS.office.push('normdoc.view', 'normdoc.work', 'normdoc.review', 'normdoc.manage');
ROLE_PERMS.clerk.push('normdoc.view', 'normdoc.work');
ROLE_PERMS.reviewer.push('normdoc.view', 'normdoc.review');
for (const r of ['leader', 'inspector']) ROLE_PERMS[r].push('normdoc.view');
/* 重大行政决策: the register rule, and the legality reviewer (审核员) also works — it reviews the
 * drafts sent to it (decision.work narrowed to what is assigned). */
ROLE_PERMS.office.push('decision.view', 'decision.work', 'decision.manage');
for (const r of ['leader', 'inspector']) ROLE_PERMS[r].push('decision.view');
ROLE_PERMS.reviewer.push('decision.view', 'decision.work');
ROLE_PERMS.clerk.push('decision.view', 'decision.work');
/* 法治督察 (issue 13, docs/API-inspection.md). 双随机 (draw): the office keeps the directories and
 * runs the draws; leaders and inspectors read. */
ROLE_PERMS.office.push('draw.view', 'draw.manage');
for (const r of ['leader', 'inspector']) ROLE_PERMS[r].push('draw.view');
/* 问题整改 and 督察通报 (finding): the office all; inspectors register, order and verify; leaders
 * and clerks read (a clerk its unit's findings: the rectification is done on the task). */
ROLE_PERMS.office.push('finding.view', 'finding.work', 'finding.manage');
ROLE_PERMS.inspector.push('finding.view', 'finding.work');
for (const r of ['leader', 'clerk']) ROLE_PERMS[r].push('finding.view');
/* 督察方案 (inspection): the office all three; inspectors view and work (the plans they are on) and
 * upload evidence; leaders view; clerks view (the plans naming their unit, their receipt). */
ROLE_PERMS.office.push('inspection.view', 'inspection.work', 'inspection.manage');
ROLE_PERMS.inspector.push('inspection.view', 'inspection.work', 'file.upload');
ROLE_PERMS.leader.push('inspection.view');
ROLE_PERMS.clerk.push('inspection.view');
/* 问责 (accountability): the office records the measures; leaders and inspectors read them (the
 * officials named are personal data: no clerk reads them). */
ROLE_PERMS.office.push('accountability.view', 'accountability.manage');
for (const r of ['leader', 'inspector']) ROLE_PERMS[r].push('accountability.view');
/* 述法 (shufa): the office keeps the items, opens the year and scores; a unit's clerk writes and
 * submits its first responsible person's report; leaders and inspectors read. */
ROLE_PERMS.office.push('shufa.view', 'shufa.work', 'shufa.manage');
ROLE_PERMS.clerk.push('shufa.view', 'shufa.work');
for (const r of ['leader', 'inspector']) ROLE_PERMS[r].push('shufa.view');
/* 年度考核 (assess, scoring, appeal): the office keeps the systems, runs, scores and re-reviews;
 * leaders read every result; a unit's clerk reads its own, assesses itself and objects. */
ROLE_PERMS.office.push('assess.view', 'assess.score', 'assess.manage');
ROLE_PERMS.leader.push('assess.view');
ROLE_PERMS.clerk.push('assess.view', 'assess.work');
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
    'login.ip_max_failures': { type: 'int', def: 30, min: 5, max: 1000, perm: 'security.manage' },
    'login.ip_window_minutes': { type: 'int', def: 15, min: 1, max: 1440, perm: 'security.manage' },
    'password.admin_reset': { type: 'bool', def: true, min: 0, max: 1, perm: 'security.manage' },
    'http.max_connections_per_ip': { type: 'int', def: 128, min: 0, max: 100000, perm: 'security.manage' },
    'http.receive_seconds': { type: 'int', def: 30, min: 5, max: 600, perm: 'security.manage' },
    'session.idle_minutes': { type: 'int', def: 30, min: 5, max: 480, perm: 'security.manage' },
    'session.absolute_hours': { type: 'int', def: 12, min: 1, max: 72, perm: 'security.manage' },
    'login.captcha_after': { type: 'int', def: 3, min: 0, max: 20, perm: 'security.manage' },
    'login.log_days': { type: 'int', def: 180, min: 7, max: 3650, perm: 'security.manage' },
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
    ['GET', '/api/v1/auth/permissions', 'signed_in'],
    ['POST', '/api/v1/auth/password', 'signed_in'],
    ['GET', '/api/v1/auth/captcha', 'public'], // the sign-in page's challenge after repeated failures
    ['GET', '/api/v1/unit-kinds', 'unit.read'],
    ['GET', '/api/v1/units', 'unit.read'],
    ['GET', '/api/v1/units/tree', 'unit.read'],
    ['GET', '/api/v1/units/export.xlsx', 'unit.read'],
    ['GET', '/api/v1/units/import-template.xlsx', 'unit.manage'],
    ['POST', '/api/v1/units/import', 'unit.manage'],
    ['GET', '/api/v1/units/{id}', 'unit.read'],
    ['POST', '/api/v1/units', 'unit.manage'],
    ['PUT', '/api/v1/units/{id}', 'unit.manage'],
    ['POST', '/api/v1/units/{id}/deactivate', 'unit.manage'],
    ['POST', '/api/v1/units/{id}/activate', 'unit.manage'],
    ['DELETE', '/api/v1/units/{id}', 'unit.manage'],
    ['GET', '/api/v1/people', 'person.read'],
    ['GET', '/api/v1/people/{id}', 'person.read'],
    ['GET', '/api/v1/people/{id}/phone', 'person.reveal'],
    ['GET', '/api/v1/people/export.xlsx', 'person.read'],
    ['GET', '/api/v1/people/import-template.xlsx', 'person.manage'],
    ['POST', '/api/v1/people/import', 'person.manage'],
    ['POST', '/api/v1/people', 'person.manage'],
    ['PUT', '/api/v1/people/{id}', 'person.manage'],
    ['DELETE', '/api/v1/people/{id}', 'person.manage'],
    ['GET', '/api/v1/users', 'user.read'],
    ['GET', '/api/v1/users/{id}', 'user.read'],
    ['GET', '/api/v1/users/export.xlsx', 'user.read'],
    ['GET', '/api/v1/users/import-template.xlsx', 'user.manage'],
    ['POST', '/api/v1/users/import', 'user.manage'],
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
    ['GET', '/api/v1/audit/export.xlsx', 'audit.export'],
    ['GET', '/api/v1/audit/verify', 'audit.verify'],
    ['GET', '/api/v1/audit/names', 'audit.read'],
    ['GET', '/api/v1/audit/{id}', 'audit.read'], // reading it is recorded (audit.query)
    ['GET', '/api/v1/login-log', 'loginlog.read'],
    ['GET', '/api/v1/login-log/export.xlsx', 'loginlog.read'],
    ['GET', '/api/v1/login-log/{id}', 'loginlog.read'],
    ['GET', '/api/v1/sessions', 'session.manage'],
    ['GET', '/api/v1/sessions/{id}', 'session.manage'],
    ['DELETE', '/api/v1/sessions/{id}', 'session.manage'], // not one's own session (403)
    ['GET', '/api/v1/settings', 'setting.read'],
    ['PUT', '/api/v1/settings/{key}', 'per_setting'], // the setting's own permission (its `perm` in GET /settings),
    ['GET', '/api/v1/calendar', 'signed_in'],
    ['GET', '/api/v1/calendar/compute', 'signed_in'],
    ['PUT', '/api/v1/calendar/days/{date}', 'calendar.manage'],
    ['DELETE', '/api/v1/calendar/days/{date}', 'calendar.manage'],
    ['POST', '/api/v1/calendar/import', 'calendar.manage'],
    ['GET', '/api/v1/calendar/years', 'signed_in'],
    ['GET', '/api/v1/calendar/import-template.xlsx', 'calendar.manage'],
    ['GET', '/api/v1/dict/types', 'dict.read'],
    ['GET', '/api/v1/dict/types/{id}', 'dict.read'],
    ['GET', '/api/v1/dict/items', 'dict.read'],
    ['POST', '/api/v1/dict/items', 'dict.manage'],
    ['GET', '/api/v1/dict/items/export.xlsx', 'dict.read'],
    ['GET', '/api/v1/dict/items/{id}', 'dict.read'],
    ['PUT', '/api/v1/dict/items/{id}', 'dict.manage'],
    ['DELETE', '/api/v1/dict/items/{id}', 'dict.manage'],
    ['POST', '/api/v1/files', 'file.upload'],
    ['GET', '/api/v1/files/{id}', 'signed_in'], // and only for readers of the owning record (else 404)
    ['GET', '/api/v1/documents', 'task.read'],
    ['POST', '/api/v1/documents', 'task.manage'],
    ['GET', '/api/v1/documents/{id}', 'task.read'],
    ['GET', '/api/v1/documents/export.xlsx', 'task.read'],
    ['PUT', '/api/v1/documents/{id}', 'task.manage'],
    ['DELETE', '/api/v1/documents/{id}', 'task.manage'],
    ['GET', '/api/v1/tasks', 'task.read'],
    ['POST', '/api/v1/tasks', 'task.manage'],
    ['GET', '/api/v1/tasks/stats', 'task.read'],
    ['GET', '/api/v1/tasks/queues', 'task.read'],
    ['GET', '/api/v1/tasks/export.xlsx', 'task.read'],
    ['GET', '/api/v1/tasks/import-template.xlsx', 'task.manage'],
    ['POST', '/api/v1/tasks/import', 'task.manage'],
    ['POST', '/api/v1/tasks/batch', 'task.read'],
    ['GET', '/api/v1/tasks/{id}', 'task.read'],
    ['PUT', '/api/v1/tasks/{id}', 'task.manage'],
    ['DELETE', '/api/v1/tasks/{id}', 'task.manage'],
    ['GET', '/api/v1/tasks/{id}/children', 'task.read'],
    ['GET', '/api/v1/tasks/{id}/timeline', 'task.read'],
    ['GET', '/api/v1/tasks/{id}/extensions', 'task.read'],
    ['GET', '/api/v1/tasks/{id}/urgings', 'task.read'],
    ['POST', '/api/v1/tasks/{id}/actions/{action}', 'task.read'], // and each action its own rule (409 invalid_transition)
    // 公共法律服务 (12348): routes generated by the entity layer for the entity with a kind
    ['GET', '/api/v1/legal-services', 'legal_service.view'],
    ['GET', '/api/v1/legal-services/export.xlsx', 'legal_service.view'],
    ['GET', '/api/v1/legal-services/{id}', 'legal_service.view'], // in the caller's scope (else 404)
    ['POST', '/api/v1/legal-services', 'legal_service.manage'],
    ['GET', '/api/v1/legal-services/import-template.xlsx', 'legal_service.manage'],
    ['POST', '/api/v1/legal-services/import', 'legal_service.manage'],
    ['PUT', '/api/v1/legal-services/{id}', 'legal_service.manage'],
    ['POST', '/api/v1/legal-services/{id}/actions/{action}', 'legal_service.view'], // and each action its own rule
    ['POST', '/api/v1/legal-services/{id}/parties/{party_id}/reveal', 'pii.reveal'], // in the caller's scope (else 404)
    ['POST', '/api/v1/reconsiderations/{id}/parties/{party_id}/reveal', 'pii.reveal'],
    ['POST', '/api/v1/litigations/{id}/parties/{party_id}/reveal', 'pii.reveal'],
    ['POST', '/api/v1/petitions/{id}/parties/{party_id}/reveal', 'pii.reveal'],
    ['POST', '/api/v1/mediations/{id}/parties/{party_id}/reveal', 'pii.reveal'],
    ['POST', '/api/v1/enforcement-cases/{id}/parties/{party_id}/reveal', 'pii.reveal'],
    ['GET', '/api/v1/reconsiderations/{id}/timeline', 'reconsider.view'], // in the caller's scope (else 404)
    // 决定书草稿 (草案版本): the record in the caller's scope (else 404); a new one is an edit
    ['GET', '/api/v1/reconsiderations/{id}/versions', 'reconsider.view'],
    ['POST', '/api/v1/reconsiderations/{id}/versions', 'reconsider.manage'],
    ['GET', '/api/v1/reconsiderations/{id}/versions/diff', 'reconsider.view'],
    ['GET', '/api/v1/reconsiderations/{id}/versions/{n}', 'reconsider.view'],
    ['GET', '/api/v1/litigations/{id}/timeline', 'litigation.view'], // in the caller's scope (else 404)
    ['GET', '/api/v1/petitions/{id}/timeline', 'petition.view'], // in the caller's scope (else 404)
    ['GET', '/api/v1/mediations/{id}/timeline', 'mediation.view'], // in the caller's scope (else 404)
    ['GET', '/api/v1/campaigns/{id}/timeline', 'campaign.view'], // in the caller's scope (else 404)
    ['GET', '/api/v1/enforcement-cases/{id}/timeline', 'enforcement.view'], // in the caller's scope (else 404)
    // 行政复议 and 行政应诉 (their hearings): routes generated for the entities
    ['GET', '/api/v1/reconsiderations', 'reconsider.view'],
    ['GET', '/api/v1/reconsiderations/export.xlsx', 'reconsider.view'],
    ['GET', '/api/v1/reconsiderations/import-template.xlsx', 'reconsider.manage'],
    ['POST', '/api/v1/reconsiderations/import', 'reconsider.manage'],
    ['GET', '/api/v1/reconsiderations/{id}', 'reconsider.view'], // in the caller's scope (else 404)
    ['POST', '/api/v1/reconsiderations', 'reconsider.manage'],
    ['PUT', '/api/v1/reconsiderations/{id}', 'reconsider.manage'],
    ['POST', '/api/v1/reconsiderations/{id}/actions/{action}', 'reconsider.view'], // and each action its own rule
    ['GET', '/api/v1/litigations', 'litigation.view'],
    ['GET', '/api/v1/litigations/export.xlsx', 'litigation.view'],
    ['GET', '/api/v1/litigations/import-template.xlsx', 'litigation.work'],
    ['POST', '/api/v1/litigations/import', 'litigation.work'],
    ['GET', '/api/v1/litigations/{id}', 'litigation.view'],
    ['POST', '/api/v1/litigations', 'litigation.work'],
    ['PUT', '/api/v1/litigations/{id}', 'litigation.work'],
    ['POST', '/api/v1/litigations/{id}/actions/{action}', 'litigation.view'],
    ['GET', '/api/v1/public/consultations', 'public'], // 公开征求意见 without an account
    ['GET', '/api/v1/public/consultations/{id}', 'public'],
    ['POST', '/api/v1/public/consultations/{id}/comments', 'public'],
    ['GET', '/api/v1/consultations', 'consult.view'],
    ['GET', '/api/v1/consultations/export.xlsx', 'consult.view'],
    ['GET', '/api/v1/consultations/{id}', 'consult.view'],
    ['POST', '/api/v1/consultations', 'consult.work'],
    ['PUT', '/api/v1/consultations/{id}', 'consult.work'],
    ['DELETE', '/api/v1/consultations/{id}', 'consult.work'],
    ['POST', '/api/v1/consultations/{id}/actions/{action}', 'consult.view'],
    ['GET', '/api/v1/consultations/{id}/timeline', 'consult.view'],
    ['GET', '/api/v1/consultations/{id}/tally', 'consult.view'],
    ['GET', '/api/v1/consultation-comments', 'consult.view'],
    ['GET', '/api/v1/consultation-comments/export.xlsx', 'consult.view'],
    ['GET', '/api/v1/consultation-comments/{id}', 'consult.view'],
    ['PUT', '/api/v1/consultation-comments/{id}', 'consult.work'],
    ['GET', '/api/v1/consultation-topics', 'consult.view'],
    ['GET', '/api/v1/consultation-topics/{id}', 'consult.view'],
    ['POST', '/api/v1/consultation-topics', 'consult.work'],
    ['PUT', '/api/v1/consultation-topics/{id}', 'consult.work'],
    ['DELETE', '/api/v1/consultation-topics/{id}', 'consult.work'],
    ['GET', '/api/v1/litigation-hearings', 'litigation.view'],
    ['GET', '/api/v1/litigation-hearings/export.xlsx', 'litigation.view'],
    ['GET', '/api/v1/litigation-hearings/{id}', 'litigation.view'],
    ['POST', '/api/v1/litigation-hearings', 'litigation.work'],
    ['PUT', '/api/v1/litigation-hearings/{id}', 'litigation.work'],
    ['DELETE', '/api/v1/litigation-hearings/{id}', 'litigation.work'],
    // 重大行政决策 (src/features/decision): decisions, execution reports, the expert pool
    ['GET', '/api/v1/decisions/{id}/versions', 'decision.view'],
    ['POST', '/api/v1/decisions/{id}/versions', 'decision.work'],
    ['GET', '/api/v1/decisions/{id}/versions/diff', 'decision.view'],
    ['GET', '/api/v1/decisions/{id}/versions/{n}', 'decision.view'],
    ['GET', '/api/v1/decisions', 'decision.view'],
    ['POST', '/api/v1/decisions', 'decision.work'],
    ['GET', '/api/v1/decisions/export.xlsx', 'decision.view'],
    ['GET', '/api/v1/decisions/{id}/timeline', 'decision.view'],
    ['GET', '/api/v1/decisions/{id}', 'decision.view'],
    ['PUT', '/api/v1/decisions/{id}', 'decision.work'],
    ['POST', '/api/v1/decisions/{id}/actions/{action}', 'decision.view'],
    ['GET', '/api/v1/decision-reports', 'decision.view'],
    ['POST', '/api/v1/decision-reports', 'decision.work'],
    ['GET', '/api/v1/decision-reports/export.xlsx', 'decision.view'],
    ['GET', '/api/v1/decision-reports/{id}', 'decision.view'],
    ['GET', '/api/v1/experts', 'decision.view'],
    ['POST', '/api/v1/experts', 'decision.manage'],
    ['GET', '/api/v1/experts/export.xlsx', 'decision.view'],
    ['GET', '/api/v1/experts/import-template.xlsx', 'decision.manage'],
    ['POST', '/api/v1/experts/import', 'decision.manage'],
    ['GET', '/api/v1/experts/{id}', 'decision.view'],
    ['PUT', '/api/v1/experts/{id}', 'decision.manage'],
    ['GET', '/api/v1/expert-interests', 'decision.view'],
    ['POST', '/api/v1/expert-interests', 'decision.work'],
    ['GET', '/api/v1/expert-interests/export.xlsx', 'decision.view'],
    ['GET', '/api/v1/expert-interests/{id}', 'decision.view'],
    ['DELETE', '/api/v1/expert-interests/{id}', 'decision.manage'],
    // 信访: the entities' generated routes (petitions with its kind, the backlog's monthly progress)
    ['GET', '/api/v1/petitions', 'petition.view'],
    ['GET', '/api/v1/petitions/export.xlsx', 'petition.view'],
    ['GET', '/api/v1/petitions/import-template.xlsx', 'petition.manage'],
    ['POST', '/api/v1/petitions/import', 'petition.manage'],
    ['GET', '/api/v1/petitions/{id}', 'petition.view'], // in the caller's scope (else 404)
    ['POST', '/api/v1/petitions', 'petition.manage'],
    ['PUT', '/api/v1/petitions/{id}', 'petition.manage'],
    ['POST', '/api/v1/petitions/{id}/actions/{action}', 'petition.view'], // and each action its own rule
    ['GET', '/api/v1/petition-progress', 'petition.view'],
    ['GET', '/api/v1/petition-progress/export.xlsx', 'petition.view'],
    ['GET', '/api/v1/petition-progress/{id}', 'petition.view'],
    ['POST', '/api/v1/petition-progress', 'petition.work'], // of a backlog petition the caller reads
    // 矛盾纠纷 (人民调解): the cases' and their sessions' generated routes
    ['GET', '/api/v1/mediations', 'mediation.view'],
    ['POST', '/api/v1/mediations', 'mediation.work'], // for the caller's own unit (the office: any)
    ['GET', '/api/v1/mediations/export.xlsx', 'mediation.view'],
    ['GET', '/api/v1/mediations/import-template.xlsx', 'mediation.work'],
    ['POST', '/api/v1/mediations/import', 'mediation.work'],
    ['GET', '/api/v1/mediations/{id}', 'mediation.view'], // in the caller's scope (else 404)
    ['PUT', '/api/v1/mediations/{id}', 'mediation.work'],
    ['POST', '/api/v1/mediations/{id}/actions/{action}', 'mediation.view'], // and each action its own rule
    ['GET', '/api/v1/mediation-sessions', 'mediation.view'],
    ['POST', '/api/v1/mediation-sessions', 'mediation.work'],
    ['GET', '/api/v1/mediation-sessions/export.xlsx', 'mediation.view'],
    ['GET', '/api/v1/mediation-sessions/{id}', 'mediation.view'],
    // 五项行动: campaigns, their items (records of any kind) and tagging
    ['GET', '/api/v1/campaigns', 'campaign.view'],
    ['POST', '/api/v1/campaigns', 'campaign.manage'],
    ['GET', '/api/v1/campaigns/export.xlsx', 'campaign.view'],
    ['GET', '/api/v1/campaigns/{id}', 'campaign.view'],
    ['PUT', '/api/v1/campaigns/{id}', 'campaign.manage'],
    ['POST', '/api/v1/campaigns/{id}/actions/{action}', 'campaign.view'], // and each action its own rule
    ['POST', '/api/v1/campaigns/{id}/items', 'campaign.work'],
    ['GET', '/api/v1/campaign-items', 'campaign.view'],
    ['GET', '/api/v1/campaign-items/export.xlsx', 'campaign.view'],
    ['GET', '/api/v1/campaign-items/{id}', 'campaign.view'],
    ['DELETE', '/api/v1/campaign-items/{id}', 'campaign.work'],
    // 行政执法监督: the cases (an entity with a kind), 案卷评查 and its sheet, the findings
    ['GET', '/api/v1/enforcement-cases', 'enforcement.view'],
    ['POST', '/api/v1/enforcement-cases', 'enforcement.work'],
    ['GET', '/api/v1/enforcement-cases/export.xlsx', 'enforcement.view'],
    ['GET', '/api/v1/enforcement-cases/import-template.xlsx', 'enforcement.work'],
    ['POST', '/api/v1/enforcement-cases/import', 'enforcement.work'],
    ['GET', '/api/v1/enforcement-cases/{id}', 'enforcement.view'], // in the caller's scope (else 404)
    ['PUT', '/api/v1/enforcement-cases/{id}', 'enforcement.work'],
    ['POST', '/api/v1/enforcement-cases/{id}/actions/{action}', 'enforcement.view'], // and each action its own rule
    ['GET', '/api/v1/case-reviews', 'enforcement.view'],
    ['POST', '/api/v1/case-reviews', 'enforcement.manage'],
    ['GET', '/api/v1/case-reviews/sheet', 'enforcement.view'],
    ['GET', '/api/v1/case-reviews/export.xlsx', 'enforcement.view'],
    ['GET', '/api/v1/case-reviews/{id}', 'enforcement.view'],
    ['PUT', '/api/v1/case-reviews/{id}', 'enforcement.manage'],
    ['GET', '/api/v1/case-review-findings', 'enforcement.view'],
    ['GET', '/api/v1/case-review-findings/export.xlsx', 'enforcement.view'],
    ['GET', '/api/v1/case-review-findings/{id}', 'enforcement.view'],
    ['GET', '/api/v1/legal-services/{id}/timeline', 'legal_service.view'], // in the caller's scope (else 404)
    // 规范性文件, 涉法政策 and 合同: two entities over one table, two kinds; the review rounds
    ['GET', '/api/v1/normdocs/{id}/versions', 'normdoc.view'],
    ['POST', '/api/v1/normdocs/{id}/versions', 'normdoc.work'],
    ['GET', '/api/v1/normdocs/{id}/versions/diff', 'normdoc.view'],
    ['GET', '/api/v1/normdocs/{id}/versions/{n}', 'normdoc.view'],
    ['GET', '/api/v1/contracts/{id}/versions', 'normdoc.view'],
    ['POST', '/api/v1/contracts/{id}/versions', 'normdoc.work'],
    ['GET', '/api/v1/contracts/{id}/versions/diff', 'normdoc.view'],
    ['GET', '/api/v1/contracts/{id}/versions/{n}', 'normdoc.view'],
    ['GET', '/api/v1/normdocs', 'normdoc.view'],
    ['POST', '/api/v1/normdocs', 'normdoc.work'], // for the caller's own unit (an issued one: the office)
    ['GET', '/api/v1/normdocs/export.xlsx', 'normdoc.view'],
    ['GET', '/api/v1/normdocs/{id}', 'normdoc.view'], // in the caller's scope (else 404)
    ['PUT', '/api/v1/normdocs/{id}', 'normdoc.work'],
    ['POST', '/api/v1/normdocs/{id}/actions/{action}', 'normdoc.view'], // and each action its own rule
    ['GET', '/api/v1/normdocs/{id}/timeline', 'normdoc.view'],
    ['GET', '/api/v1/contracts', 'normdoc.view'],
    ['POST', '/api/v1/contracts', 'normdoc.work'],
    ['GET', '/api/v1/contracts/export.xlsx', 'normdoc.view'],
    ['GET', '/api/v1/contracts/{id}', 'normdoc.view'],
    ['PUT', '/api/v1/contracts/{id}', 'normdoc.work'],
    ['POST', '/api/v1/contracts/{id}/actions/{action}', 'normdoc.view'],
    ['GET', '/api/v1/contracts/{id}/timeline', 'normdoc.view'],
    ['GET', '/api/v1/normdoc-reviews', 'normdoc.view'],
    ['GET', '/api/v1/normdoc-reviews/{id}', 'normdoc.view'],
    // 通知公告: the entity's generated routes and the read receipts
    ['GET', '/api/v1/notices', 'notice.read'],
    ['POST', '/api/v1/notices', 'notice.manage'],
    ['GET', '/api/v1/notices/export.xlsx', 'notice.read'],
    ['GET', '/api/v1/notices/{id}', 'notice.read'], // published and addressed to the caller's scope, or the office's
    ['PUT', '/api/v1/notices/{id}', 'notice.manage'],
    ['DELETE', '/api/v1/notices/{id}', 'notice.manage'],
    ['POST', '/api/v1/notices/{id}/actions/{action}', 'notice.read'], // and each action its own rule
    ['POST', '/api/v1/notices/{id}/read', 'notice.read'],
    ['GET', '/api/v1/notices/{id}/reads', 'notice.manage'],
    ['GET', '/api/v1/notices/{id}/timeline', 'notice.read'], // the notice as its reader reads it (else 404)
    ['GET', '/api/v1/menu', 'signed_in'],
    ['GET', '/api/v1/entities', 'signed_in'],
    ['GET', '/api/v1/entities/{name}', 'signed_in'], // 404 for an entity the caller may not read
    ['GET', '/api/v1/kinds', 'signed_in'], // lists the kinds whose records the caller reads
    ['GET', '/api/v1/kinds/{kind}', 'signed_in'], // 404 for a kind the caller may not read
    ['GET', '/api/v1/metrics', 'signed_in'], // the registers whose read permission the caller holds
    ['GET', '/api/v1/metrics/{entity}', 'signed_in'], // and the register's read permission (403)
    ['GET', '/api/v1/notifications', 'signed_in'],
    ['GET', '/api/v1/notifications/{id}', 'signed_in'], // one's own only (else 404)
    ['GET', '/api/v1/notifications/unread-count', 'signed_in'],
    ['POST', '/api/v1/notifications/read-all', 'signed_in'],
    ['POST', '/api/v1/notifications/{id}/read', 'signed_in'],
    ['GET', '/api/v1/deliveries', 'notify.manage'],
    ['GET', '/api/v1/deliveries/{id}', 'notify.manage'],
    // 决策事项目录 (catalog): the year's catalogue and its items (generated), the public answer
    ['GET', '/api/v1/public/decision-catalogue', 'public'],
    ['GET', '/api/v1/decision-catalogues', 'catalog.view'],
    ['GET', '/api/v1/decision-catalogues/{id}', 'catalog.view'],
    ['POST', '/api/v1/decision-catalogues', 'catalog.manage'],
    ['PUT', '/api/v1/decision-catalogues/{id}', 'catalog.manage'],
    ['POST', '/api/v1/decision-catalogues/{id}/actions/{action}', 'catalog.view'],
    ['GET', '/api/v1/decision-catalogues/{id}/timeline', 'catalog.view'],
    ['GET', '/api/v1/decision-items', 'catalog.view'],
    ['GET', '/api/v1/decision-items/export.xlsx', 'catalog.view'],
    ['GET', '/api/v1/decision-items/{id}', 'catalog.view'],
    ['POST', '/api/v1/decision-items', 'catalog.manage'],
    ['PUT', '/api/v1/decision-items/{id}', 'catalog.manage'],
    ['DELETE', '/api/v1/decision-items/{id}', 'catalog.manage'],
    ['GET', '/api/v1/inspectors', 'draw.view'],
    ['POST', '/api/v1/inspectors', 'draw.manage'],
    ['GET', '/api/v1/inspectors/export.xlsx', 'draw.view'],
    ['GET', '/api/v1/inspectors/import-template.xlsx', 'draw.manage'],
    ['POST', '/api/v1/inspectors/import', 'draw.manage'],
    ['GET', '/api/v1/inspectors/{id}', 'draw.view'],
    ['PUT', '/api/v1/inspectors/{id}', 'draw.manage'],
    ['GET', '/api/v1/inspect-objects', 'draw.view'],
    ['POST', '/api/v1/inspect-objects', 'draw.manage'],
    ['GET', '/api/v1/inspect-objects/export.xlsx', 'draw.view'],
    ['GET', '/api/v1/inspect-objects/import-template.xlsx', 'draw.manage'],
    ['POST', '/api/v1/inspect-objects/import', 'draw.manage'],
    ['GET', '/api/v1/inspect-objects/{id}', 'draw.view'],
    ['PUT', '/api/v1/inspect-objects/{id}', 'draw.manage'],
    // 问题整改 and 督察通报 (finding)
    ['GET', '/api/v1/inspection-findings', 'finding.view'],
    ['POST', '/api/v1/inspection-findings', 'finding.work'],
    ['GET', '/api/v1/inspection-findings/export.xlsx', 'finding.view'],
    ['GET', '/api/v1/inspection-findings/import-template.xlsx', 'finding.work'],
    ['POST', '/api/v1/inspection-findings/import', 'finding.work'],
    ['GET', '/api/v1/inspection-findings/{id}', 'finding.view'], // in the caller's scope (else 404)
    ['PUT', '/api/v1/inspection-findings/{id}', 'finding.work'],
    ['POST', '/api/v1/inspection-findings/{id}/actions/{action}', 'finding.view'], // and each action its own rule
    ['GET', '/api/v1/inspection-findings/{id}/timeline', 'finding.view'],
    ['GET', '/api/v1/bulletins', 'finding.view'],
    ['POST', '/api/v1/bulletins', 'finding.work'],
    ['GET', '/api/v1/bulletins/export.xlsx', 'finding.view'],
    ['GET', '/api/v1/bulletins/{id}', 'finding.view'],
    ['PUT', '/api/v1/bulletins/{id}', 'finding.work'],
    ['POST', '/api/v1/bulletins/{id}/actions/{action}', 'finding.view'],
    ['GET', '/api/v1/bulletins/{id}/timeline', 'finding.view'],
    ['GET', '/api/v1/bulletins/{id}/versions', 'finding.view'],
    ['POST', '/api/v1/bulletins/{id}/versions', 'finding.work'],
    ['GET', '/api/v1/bulletins/{id}/versions/diff', 'finding.view'],
    ['GET', '/api/v1/bulletins/{id}/versions/{n}', 'finding.view'],
    // 双随机 (issue 13, draw): declared conflicts and the verifiable draws
    ['GET', '/api/v1/inspector-conflicts', 'draw.view'],
    ['GET', '/api/v1/inspector-conflicts/{id}', 'draw.view'],
    ['POST', '/api/v1/inspector-conflicts', 'draw.manage'],
    ['PUT', '/api/v1/inspector-conflicts/{id}', 'draw.manage'],
    ['DELETE', '/api/v1/inspector-conflicts/{id}', 'draw.manage'],
    ['GET', '/api/v1/draws', 'draw.view'],
    ['GET', '/api/v1/draws/{id}', 'draw.view'],
    ['POST', '/api/v1/draws', 'draw.manage'],
    ['POST', '/api/v1/draws/{id}/value', 'draw.manage'],
    ['POST', '/api/v1/draws/{id}/redraw', 'draw.manage'],
    ['GET', '/api/v1/draws/{id}/published', 'draw.view'],
    ['GET', '/api/v1/draws/{id}/verify', 'draw.view'],
    ['POST', '/api/v1/decision-items/{id}/actions/{action}', 'catalog.view'],
    ['GET', '/api/v1/decision-items/{id}/timeline', 'catalog.view'],
    ['POST', '/api/v1/decision-items/batch', 'catalog.view'],
    ['GET', '/api/v1/decision-items/import-template.xlsx', 'catalog.manage'],
    ['POST', '/api/v1/decision-items/import', 'catalog.manage'],
    // 督察方案 (src/features/inspection): plans with their kind, items, team, targets (receipt: a kind), records
    ['GET', '/api/v1/inspection-plans', 'inspection.view'],
    ['POST', '/api/v1/inspection-plans', 'inspection.manage'],
    ['GET', '/api/v1/inspection-plans/export.xlsx', 'inspection.view'],
    ['GET', '/api/v1/inspection-plans/{id}', 'inspection.view'],
    ['PUT', '/api/v1/inspection-plans/{id}', 'inspection.manage'],
    ['POST', '/api/v1/inspection-plans/{id}/actions/{action}', 'inspection.view'],
    ['GET', '/api/v1/inspection-plans/{id}/timeline', 'inspection.view'],
    ['GET', '/api/v1/inspection-items', 'inspection.view'],
    ['POST', '/api/v1/inspection-items', 'inspection.manage'],
    ['GET', '/api/v1/inspection-items/export.xlsx', 'inspection.view'],
    ['GET', '/api/v1/inspection-items/import-template.xlsx', 'inspection.manage'],
    ['POST', '/api/v1/inspection-items/import', 'inspection.manage'],
    ['GET', '/api/v1/inspection-items/{id}', 'inspection.view'],
    ['PUT', '/api/v1/inspection-items/{id}', 'inspection.manage'],
    ['DELETE', '/api/v1/inspection-items/{id}', 'inspection.manage'],
    ['GET', '/api/v1/inspection-team', 'inspection.view'],
    ['POST', '/api/v1/inspection-team', 'inspection.manage'],
    ['GET', '/api/v1/inspection-team/export.xlsx', 'inspection.view'],
    ['GET', '/api/v1/inspection-team/{id}', 'inspection.view'],
    ['PUT', '/api/v1/inspection-team/{id}', 'inspection.manage'],
    ['DELETE', '/api/v1/inspection-team/{id}', 'inspection.manage'],
    ['GET', '/api/v1/inspection-targets', 'inspection.view'],
    ['POST', '/api/v1/inspection-targets', 'inspection.manage'],
    ['GET', '/api/v1/inspection-targets/export.xlsx', 'inspection.view'],
    ['GET', '/api/v1/inspection-targets/{id}', 'inspection.view'],
    ['PUT', '/api/v1/inspection-targets/{id}', 'inspection.manage'],
    ['DELETE', '/api/v1/inspection-targets/{id}', 'inspection.manage'],
    ['POST', '/api/v1/inspection-targets/{id}/actions/{action}', 'inspection.view'],
    ['GET', '/api/v1/inspection-records', 'inspection.view'],
    ['POST', '/api/v1/inspection-records', 'inspection.work'],
    ['GET', '/api/v1/inspection-records/export.xlsx', 'inspection.view'],
    ['GET', '/api/v1/inspection-records/{id}', 'inspection.view'],
    ['PUT', '/api/v1/inspection-records/{id}', 'inspection.work'],
    ['GET', '/api/v1/accountabilities', 'accountability.view'],
    ['GET', '/api/v1/accountabilities/export.xlsx', 'accountability.view'],
    ['GET', '/api/v1/accountabilities/{id}', 'accountability.view'],
    ['POST', '/api/v1/accountabilities', 'accountability.manage'],
    ['PUT', '/api/v1/accountabilities/{id}', 'accountability.manage'],
    ['DELETE', '/api/v1/accountabilities/{id}', 'accountability.manage'],
    ['GET', '/api/v1/accountabilities/import-template.xlsx', 'accountability.manage'],
    ['POST', '/api/v1/accountabilities/import', 'accountability.manage'],
    ['POST', '/api/v1/shufa-reports/open', 'shufa.manage'],
    ['GET', '/api/v1/shufa-items', 'shufa.view'],
    ['GET', '/api/v1/shufa-items/export.xlsx', 'shufa.view'],
    ['GET', '/api/v1/shufa-items/{id}', 'shufa.view'],
    ['POST', '/api/v1/shufa-items', 'shufa.manage'],
    ['PUT', '/api/v1/shufa-items/{id}', 'shufa.manage'],
    ['GET', '/api/v1/shufa-reports', 'shufa.view'],
    ['GET', '/api/v1/shufa-reports/export.xlsx', 'shufa.view'],
    ['GET', '/api/v1/shufa-reports/{id}', 'shufa.view'],
    ['POST', '/api/v1/shufa-reports', 'shufa.work'],
    ['POST', '/api/v1/shufa-reports/{id}/actions/{action}', 'shufa.view'],
    ['GET', '/api/v1/shufa-reports/{id}/timeline', 'shufa.view'],
    ['GET', '/api/v1/shufa-report-items', 'shufa.view'],
    ['GET', '/api/v1/shufa-report-items/export.xlsx', 'shufa.view'],
    ['GET', '/api/v1/shufa-report-items/{id}', 'shufa.view'],
    ['PUT', '/api/v1/shufa-report-items/{id}', 'shufa.work'],
    ['GET', '/api/v1/assess-systems', 'assess.view'],
    ['GET', '/api/v1/assess-systems/export.xlsx', 'assess.view'],
    ['GET', '/api/v1/assess-systems/{id}', 'assess.view'],
    ['POST', '/api/v1/assess-systems', 'assess.manage'],
    ['PUT', '/api/v1/assess-systems/{id}', 'assess.manage'],
    ['DELETE', '/api/v1/assess-systems/{id}', 'assess.manage'],
    ['GET', '/api/v1/assess-indicators', 'assess.view'],
    ['GET', '/api/v1/assess-indicators/export.xlsx', 'assess.view'],
    ['GET', '/api/v1/assess-indicators/{id}', 'assess.view'],
    ['POST', '/api/v1/assess-indicators', 'assess.manage'],
    ['PUT', '/api/v1/assess-indicators/{id}', 'assess.manage'],
    ['DELETE', '/api/v1/assess-indicators/{id}', 'assess.manage'],
    // 申辩、复核与考核分析 (appeal, docs/API-assess.md "Objections and charts")
    ['GET', '/api/v1/assess-objections', 'assess.view'],
    ['GET', '/api/v1/assess-objections/export.xlsx', 'assess.view'],
    ['GET', '/api/v1/assess-objections/{id}', 'assess.view'],
    ['POST', '/api/v1/assess-objections', 'assess.work'],
    ['POST', '/api/v1/assess-objections/{id}/actions/{action}', 'assess.view'],
    ['GET', '/api/v1/assess-objections/{id}/timeline', 'assess.view'],
    ['GET', '/api/v1/assess/charts', 'assess.view'],
    ['GET', '/api/v1/assess-runs', 'assess.view'],
    ['GET', '/api/v1/assess-runs/export.xlsx', 'assess.view'],
    ['GET', '/api/v1/assess-runs/{id}', 'assess.view'],
    ['POST', '/api/v1/assess-runs', 'assess.manage'],
    ['PUT', '/api/v1/assess-runs/{id}', 'assess.manage'],
    ['POST', '/api/v1/assess-runs/{id}/actions/{action}', 'assess.view'],
    ['GET', '/api/v1/assess-runs/{id}/timeline', 'assess.view'],
    ['GET', '/api/v1/assess-results', 'assess.view'],
    ['GET', '/api/v1/assess-results/export.xlsx', 'assess.view'],
    ['GET', '/api/v1/assess-results/{id}', 'assess.view'],
    ['GET', '/api/v1/assess-scores', 'assess.view'],
    ['GET', '/api/v1/assess-scores/export.xlsx', 'assess.view'],
    ['GET', '/api/v1/assess-scores/{id}', 'assess.view'],
    ['PUT', '/api/v1/assess-scores/{id}', 'assess.view'],
    ['GET', '/api/v1/assess-changes', 'assess.view'],
    ['GET', '/api/v1/assess-changes/export.xlsx', 'assess.view'],
    ['GET', '/api/v1/assess-changes/{id}', 'assess.view'],
    ['POST', '/api/v1/assess-systems/{id}/actions/{action}', 'assess.view'],
    ['GET', '/api/v1/assess-systems/{id}/timeline', 'assess.view'],
    ['GET', '/api/v1/assess-systems/{id}/check', 'assess.view'],
    ['GET', '/api/v1/assess-systems/{id}/changes', 'assess.view'],
    ['GET', '/api/v1/assess-systems/{id}/export.xlsx', 'assess.view'],
    ['POST', '/api/v1/assess-systems/{id}/import', 'assess.manage'],
    ['POST', '/api/v1/assess-systems/import', 'assess.manage'],
    ['POST', '/api/v1/assess-systems/default', 'assess.manage'],
    ['GET', '/api/v1/assess/metrics', 'assess.view'],
];
