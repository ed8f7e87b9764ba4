// Audit (审计日志): every write leaves a record the auditor can read; filters, export, verify.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError, ok, listAll, unitByName, uniq, DEMO_PASSWORD, HAS_CJK } from './lib.mjs';

let srv, auditor, office, admin, sec, sfj;
before(async () => {
    srv = await startServer();
    auditor = await srv.login('auditor');
    office = await srv.login('office');
    admin = await srv.login('sysadmin');
    sec = await srv.login('secadmin');
    sfj = await unitByName(office, '司法局');
});
after(async () => { await srv.stopAndCheck(); });

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** The audit records written by the request that produced response r. */
async function recordsOf(r) {
    const rid = r.headers.get('x-request-id');
    const all = await listAll(auditor, '/api/v1/audit');
    return all.filter((x) => x.request_id === rid);
}

/** Assert request r left exactly one audit record with this action/object and result. */
async function expectAudit(r, action, { actor, object_type, object_id, result = 'ok' } = {}) {
    const recs = (await recordsOf(r)).filter((x) => x.action === action);
    assert.equal(recs.length, 1, `${action}: expected one record for request ${r.headers.get('x-request-id')}, got ${recs.length}`);
    const a = recs[0];
    for (const k of ['seq', 'ts', 'actor', 'actor_id', 'role', 'unit_id', 'ip', 'request_id', 'action', 'object_type', 'object_id', 'result', 'detail']) {
        assert.ok(k in a, `audit.${k} missing`);
    }
    assert.match(a.ts, ISO);
    assert.equal(a.result, result, `${action} result`);
    assert.equal(a.ip, '127.0.0.1');
    if (actor !== undefined) assert.equal(a.actor, actor, `${action} actor`);
    if (object_type !== undefined) assert.equal(a.object_type, object_type, `${action} object_type`);
    if (object_id !== undefined) assert.equal(String(a.object_id), String(object_id), `${action} object_id`);
    return a;
}

test('every unit, person, user, role and setting write leaves an audit record the auditor can read', async () => {
    // units
    let r = await office.post('/api/v1/units', { code: uniq('au'), name: '审计单位', kind: 'other' });
    const u = ok(r, 201);
    const a = await expectAudit(r, 'unit.create', { actor: 'office', object_type: 'unit', object_id: u.id });
    assert.equal(a.role, 'office');
    assert.equal(a.actor_id, office.user.id);
    r = await office.put(`/api/v1/units/${u.id}`, { code: u.code, name: '审计单位2', short_name: null, kind: 'other', parent_id: null, sort_order: 0, version: u.version });
    const u2 = ok(r);
    await expectAudit(r, 'unit.update', { object_type: 'unit', object_id: u.id });
    r = await office.post(`/api/v1/units/${u.id}/deactivate`, { version: u2.version });
    const u3 = ok(r);
    await expectAudit(r, 'unit.deactivate', { object_id: u.id });
    r = await office.post(`/api/v1/units/${u.id}/activate`, { version: u3.version });
    const u4 = ok(r);
    await expectAudit(r, 'unit.activate', { object_id: u.id });
    // people
    r = await office.post('/api/v1/people', { unit_id: u.id, name: '审计人', phone: '13512345678' });
    const p = ok(r, 201);
    await expectAudit(r, 'person.create', { object_type: 'person', object_id: p.id });
    r = await office.put(`/api/v1/people/${p.id}`, { unit_id: u.id, name: '审计人2', version: p.version });
    const p2 = ok(r);
    await expectAudit(r, 'person.update', { object_id: p.id });
    r = await office.get(`/api/v1/people/${p.id}/phone`);
    ok(r);
    await expectAudit(r, 'person.reveal', { object_id: p.id });
    r = await office.del(`/api/v1/people/${p.id}?version=${p2.version}`);
    ok(r);
    await expectAudit(r, 'person.delete', { object_id: p.id });
    r = await office.del(`/api/v1/units/${u.id}?version=${u4.version}`);
    ok(r);
    await expectAudit(r, 'unit.delete', { object_id: u.id });
    // users
    r = await admin.post('/api/v1/users', { username: uniq('au').toLowerCase(), display_name: '审计账号', unit_id: sfj.id });
    const nu = ok(r, 201).user;
    const ca = await expectAudit(r, 'user.create', { actor: 'sysadmin', object_type: 'user', object_id: nu.id });
    assert.doesNotMatch(JSON.stringify(ca), new RegExp(ok(r, 201).initial_password.replace(/[^A-Za-z0-9]/g, '.')),
        'the one-time password must not be in the audit log');
    r = await admin.put(`/api/v1/users/${nu.id}`, { display_name: '审计账号2', unit_id: sfj.id, version: nu.version });
    let cur = ok(r);
    await expectAudit(r, 'user.update', { object_id: nu.id });
    r = await admin.post(`/api/v1/users/${nu.id}/lock`, { version: cur.version });
    cur = ok(r);
    await expectAudit(r, 'user.lock', { object_id: nu.id });
    r = await admin.post(`/api/v1/users/${nu.id}/unlock`, { version: cur.version });
    cur = ok(r);
    await expectAudit(r, 'user.unlock', { object_id: nu.id });
    r = await admin.post(`/api/v1/users/${nu.id}/reset-password`, { version: cur.version });
    cur = ok(r).user;
    await expectAudit(r, 'user.reset_password', { object_id: nu.id });
    r = await sec.put(`/api/v1/users/${nu.id}/role`, { role: 'leader', version: cur.version });
    ok(r);
    await expectAudit(r, 'user.role', { actor: 'secadmin', object_id: nu.id });
    // roles
    r = await sec.post('/api/v1/roles', { code: uniq('ar').toLowerCase(), name: '审计角色', scope: 'all', permissions: ['unit.read'] });
    const role = ok(r, 201);
    await expectAudit(r, 'role.create', { object_type: 'role', object_id: role.id });
    r = await sec.put(`/api/v1/roles/${role.id}`, { name: '审计角色2', name_en: 'x', scope: 'all', permissions: [], version: role.version });
    const role2 = ok(r);
    await expectAudit(r, 'role.update', { object_id: role.id });
    r = await sec.del(`/api/v1/roles/${role.id}?version=${role2.version}`);
    ok(r);
    await expectAudit(r, 'role.delete', { object_id: role.id });
    // settings
    const s = ok(await admin.get('/api/v1/settings')).items.find((x) => x.key === 'site.district');
    r = await admin.put('/api/v1/settings/site.district', { value: '某某区', version: s.version });
    ok(r);
    await expectAudit(r, 'setting.update', { object_type: 'setting', object_id: 'site.district' });
});

test('sign-in, failed sign-in, password change and logout are audited', async () => {
    const c = srv.client();
    let r = await c.login('leader', DEMO_PASSWORD);
    await expectAudit(r, 'auth.login', { actor: 'leader' });
    r = await srv.client().login('leader', 'Wrong#Pass1');
    await expectAudit(r, 'auth.login_failed', { result: 'failed' });
    r = await srv.client().login('no-such-person', 'Wrong#Pass1');
    const nf = await expectAudit(r, 'auth.login_failed', { result: 'failed' });
    assert.doesNotMatch(JSON.stringify(nf), /Wrong#Pass1/, 'passwords never reach the audit log');
    r = await c.post('/api/v1/auth/password', { old_password: DEMO_PASSWORD, new_password: 'Leader#Pass2026' });
    ok(r);
    await expectAudit(r, 'auth.password', { actor: 'leader' });
    r = await c.post('/api/v1/auth/logout', {});
    ok(r);
    await expectAudit(r, 'auth.logout', { actor: 'leader' });
});

test('a denied request is audited as access.denied with result denied', async () => {
    const l = await srv.login('inspector');
    const r = await l.post('/api/v1/units', { code: uniq('dn'), name: 'x', kind: 'other' });
    assertError(r, 403, 'forbidden');
    await expectAudit(r, 'access.denied', { actor: 'inspector', result: 'denied' });
});

test('a write that fails leaves no ok record (no audit line for a rolled-back write)', async () => {
    const code = uniq('rb');
    ok(await office.post('/api/v1/units', { code, name: 'x', kind: 'other' }), 201);
    const r = await office.post('/api/v1/units', { code, name: 'y', kind: 'other' });
    assertError(r, 409, 'conflict');
    const recs = await recordsOf(r);
    assert.ok(recs.every((x) => x.result !== 'ok' || x.action === 'audit.query'), `rolled-back write left ${JSON.stringify(recs)}`);
});

test('records are newest first; filters by actor, action, object_type, result, time', async () => {
    const j = ok(await auditor.get('/api/v1/audit?per_page=50'));
    assert.ok(j.total > 0);
    const seqs = j.items.map((x) => x.seq);
    assert.deepEqual(seqs, [...seqs].sort((a, b) => b - a), 'newest first');
    for (const [q, pred] of [
        ['actor=office', (x) => x.actor === 'office'],
        ['action=unit.create', (x) => x.action === 'unit.create'],
        ['object_type=unit', (x) => x.object_type === 'unit'],
        ['result=denied', (x) => x.result === 'denied'],
    ]) {
        const items = await listAll(auditor, `/api/v1/audit?${q}`);
        assert.ok(items.length > 0, `${q}: no rows`);
        assert.ok(items.every(pred), `${q}: wrong rows`);
    }
    const future = ok(await auditor.get('/api/v1/audit?from=2999-01-01T00:00:00Z'));
    assert.equal(future.total, 0);
    const past = ok(await auditor.get('/api/v1/audit?to=2000-01-01T00:00:00Z'));
    assert.equal(past.total, 0);
    const now = ok(await auditor.get(`/api/v1/audit?from=2000-01-01T00:00:00Z&to=2999-01-01T00:00:00Z&per_page=1`));
    assert.ok(now.total > 0);
    assertError(await auditor.get('/api/v1/audit?from=yesterday'), 400, 'invalid');
    assertError(await auditor.get('/api/v1/audit?result=maybe'), 400, 'invalid');
});

test('every audit query is itself audited', async () => {
    const r = await auditor.get('/api/v1/audit?action=unit.update');
    ok(r);
    const rid = r.headers.get('x-request-id');
    const q = await listAll(auditor, '/api/v1/audit?action=audit.query');
    assert.ok(q.some((x) => x.request_id === rid && x.actor === 'auditor'), 'audit.query record for the query');
});

test('export.csv: UTF-8 with BOM, Chinese headers, attachment, audited', async () => {
    const r = await auditor.get('/api/v1/audit/export.csv?action=unit.create');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^text\/csv;\s*charset=utf-8/i);
    assert.match(r.headers.get('content-disposition') || '', /^attachment;.*filename/i);
    assert.deepEqual([...r.buf.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'BOM');
    const lines = r.text.slice(1).split(/\r?\n/).filter(Boolean);
    assert.match(lines[0], HAS_CJK, 'Chinese header row');
    assert.ok(lines.length >= 2, 'at least one data row');
    assert.ok(lines.slice(1).every((l) => l.includes('unit.create')), 'filter applies to the export');
    const ex = await listAll(auditor, '/api/v1/audit?action=audit.export');
    assert.ok(ex.some((x) => x.request_id === r.headers.get('x-request-id')), 'audit.export record');
});

test('export.csv neutralises spreadsheet formulas in cell values', async () => {
    const evil = '=HYPERLINK("http://x","y")';
    ok(await office.post('/api/v1/units', { code: uniq('fx'), name: evil, kind: 'other' }), 201);
    const r = await auditor.get('/api/v1/audit/export.csv?action=unit.create');
    assert.equal(r.status, 200);
    for (const cell of r.text.split(/[,\r\n]/)) {
        assert.doesNotMatch(cell.replace(/^"/, ''), /^[=+@]/, `cell starts with a formula character: ${cell}`);
    }
});

test('verify: the chain is intact', async () => {
    const r = await auditor.get('/api/v1/audit/verify');
    const j = ok(r);
    assert.equal(j.ok, true);
    assert.ok(j.records > 10, `records ${j.records}`);
    assert.equal(j.first_bad_seq, null);
    assert.equal(typeof j.message, 'string');
    const v = await listAll(auditor, '/api/v1/audit?action=audit.verify');
    assert.ok(v.some((x) => x.request_id === r.headers.get('x-request-id')));
});

test('only the auditor reads the audit log', async () => {
    for (const name of ['sysadmin', 'secadmin', 'office', 'reviewer', 'clerk1']) {
        const c = name === 'sysadmin' ? admin : name === 'secadmin' ? sec : name === 'office' ? office : await srv.login(name);
        assertError(await c.get('/api/v1/audit'), 403, 'forbidden', name);
        assertError(await c.get('/api/v1/audit/export.csv'), 403, 'forbidden', name);
        assertError(await c.get('/api/v1/audit/verify'), 403, 'forbidden', name);
    }
    assertError(await srv.client().get('/api/v1/audit'), 401, 'unauthenticated');
});

test('the audit log cannot be changed through the API', async () => {
    for (const [m, p] of [['DELETE', '/api/v1/audit'], ['POST', '/api/v1/audit'], ['PUT', '/api/v1/audit']]) {
        const r = await auditor.req(m, p, m === 'DELETE' ? undefined : {});
        assert.ok([404, 405].includes(r.status), `${m} ${p}: ${r.status}`);
    }
});
