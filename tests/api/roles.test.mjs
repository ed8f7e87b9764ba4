// Roles (角色与权限) and settings (系统设置).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError, ok, listAll, uniq, unitByName, DEMO_PASSWORD } from './lib.mjs';
import { ROLE_PERMS, ROLE_SCOPE, ADMIN_ROLES, SETTINGS } from './contract.mjs';

let srv, sec, admin;
before(async () => {
    srv = await startServer();
    sec = await srv.login('secadmin');
    admin = await srv.login('sysadmin');
});
after(async () => { await srv.stopAndCheck(); });

const rcode = () => uniq('r').toLowerCase().replace(/[^a-z0-9_]/g, '_');

async function roles() { return ok(await sec.get('/api/v1/roles')).items; }

test('built-in roles match the role table of the contract', async () => {
    const items = await roles();
    for (const [code, perms] of Object.entries(ROLE_PERMS)) {
        const r = items.find((x) => x.code === code);
        assert.ok(r, `role ${code} missing`);
        for (const k of ['id', 'code', 'name', 'name_en', 'scope', 'builtin', 'permissions', 'user_count', 'version']) {
            assert.ok(k in r, `role.${k} missing`);
        }
        assert.equal(r.builtin, true);
        assert.equal(r.scope, ROLE_SCOPE[code], `${code} scope`);
        assert.deepEqual([...r.permissions].sort(), [...perms].sort(), `${code} permissions`);
        assert.deepEqual(ok(await sec.get(`/api/v1/roles/${r.id}`)), r);
    }
    // user_count agrees with the accounts that hold the role
    const clerks = ok(await admin.get('/api/v1/users?role=clerk&per_page=200'));
    assert.ok(clerks.total >= 2, 'the demo has liaison accounts');
    assert.equal(items.find((x) => x.code === 'clerk').user_count, clerks.total);
    assertError(await sec.get('/api/v1/roles/99999999'), 404, 'not_found');
});

test('permissions list: every code of the role table, administrator permissions flagged', async () => {
    const j = ok(await sec.get('/api/v1/permissions'));
    const codes = j.items.map((p) => p.code);
    const all = new Set(Object.values(ROLE_PERMS).flat());
    for (const c of all) assert.ok(codes.includes(c), `permission ${c} missing`);
    for (const p of j.items) for (const k of ['code', 'name', 'name_en', 'group', 'admin']) assert.ok(k in p, `${p.code}.${k}`);
    const admin = j.items.filter((p) => p.admin).map((p) => p.code);
    for (const c of ['user.manage', 'role.assign', 'role.manage', 'audit.read', 'security.manage']) {
        assert.ok(admin.includes(c), `${c} must be an administrator permission`);
    }
    for (const c of ['unit.read', 'person.read', 'person.manage']) assert.ok(!admin.includes(c), `${c} is a business permission`);
});

test('create a business role, use it, update it, delete it', async () => {
    const code = rcode();
    const r = ok(await sec.post('/api/v1/roles', { code, name: '测试角色', name_en: 'Test role', scope: 'all', permissions: ['unit.read'] }), 201);
    assert.equal(r.code, code);
    assert.equal(r.builtin, false);
    assert.equal(r.version, 1);
    assert.deepEqual(r.permissions, ['unit.read']);
    const u = ok(await sec.put(`/api/v1/roles/${r.id}`, { name: '测试角色2', name_en: 'Test 2', scope: 'own', permissions: ['unit.read', 'person.read'], version: r.version }));
    assert.equal(u.version, r.version + 1);
    assert.equal(u.scope, 'own');
    assert.deepEqual([...u.permissions].sort(), ['person.read', 'unit.read']);
    assertError(await sec.put(`/api/v1/roles/${r.id}`, { name: '覆盖', name_en: 'x', scope: 'all', permissions: [], version: r.version }), 409, 'stale_version');
    assert.deepEqual(ok(await sec.get(`/api/v1/roles/${r.id}`)), u);
    assertError(await sec.del(`/api/v1/roles/${r.id}?version=${r.version}`), 409, 'stale_version');
    assert.deepEqual(ok(await sec.del(`/api/v1/roles/${r.id}?version=${u.version}`)), { ok: true });
    assertError(await sec.get(`/api/v1/roles/${r.id}`), 404, 'not_found');
});

test('role validation: duplicate code 409; bad scope, unknown permission 400; admin permission in a business role 400', async () => {
    const code = rcode();
    ok(await sec.post('/api/v1/roles', { code, name: 'x', scope: 'all', permissions: [] }), 201);
    assertError(await sec.post('/api/v1/roles', { code, name: 'y', scope: 'all', permissions: [] }), 409, 'conflict');
    assertError(await sec.post('/api/v1/roles', { code: 'clerk', name: 'y', scope: 'all', permissions: [] }), 409, 'conflict');
    const bad = [
        [{ code: rcode(), name: 'x', scope: 'everything', permissions: [] }, 'scope'],
        [{ code: rcode(), name: 'x', scope: 'all', permissions: ['no.such'] }, 'permissions'],
        [{ code: rcode(), name: '', scope: 'all', permissions: [] }, 'name'],
        [{ code: 'Bad Code', name: 'x', scope: 'all', permissions: [] }, 'code'],
        [{ code: rcode(), name: 'x', scope: 'all', permissions: 'unit.read' }, 'permissions'],
    ];
    for (const p of ['user.manage', 'role.assign', 'audit.read', 'security.manage', 'role.manage']) {
        bad.push([{ code: rcode(), name: 'x', scope: 'all', permissions: ['unit.read', p] }, 'permissions']);
    }
    const before = (await roles()).length;
    for (const [body, field] of bad) {
        const e = assertError(await sec.post('/api/v1/roles', body), 400, 'invalid', JSON.stringify(body));
        assert.ok(e.fields && field in e.fields, `fields.${field} for ${JSON.stringify(body)}: ${JSON.stringify(e.fields)}`);
    }
    assert.equal((await roles()).length, before);
    const clerk = (await roles()).find((r) => r.code === 'clerk');
    assertError(await sec.put(`/api/v1/roles/${clerk.id}`, { name: clerk.name, name_en: clerk.name_en, scope: clerk.scope,
        permissions: [...clerk.permissions, 'audit.read'], version: clerk.version }), 400, 'invalid');
    assert.deepEqual(ok(await sec.get(`/api/v1/roles/${clerk.id}`)), clerk);
});

test('the three administrator roles are fixed: update and delete → 403', async () => {
    for (const code of ADMIN_ROLES) {
        const r = (await roles()).find((x) => x.code === code);
        assertError(await sec.put(`/api/v1/roles/${r.id}`, { name: r.name, name_en: r.name_en, scope: r.scope,
            permissions: r.permissions, version: r.version }), 403, 'forbidden', code);
        assertError(await sec.del(`/api/v1/roles/${r.id}?version=${r.version}`), 403, 'forbidden', code);
        assert.deepEqual(ok(await sec.get(`/api/v1/roles/${r.id}`)), r);
    }
});

test('a role held by users is in_use', async () => {
    const clerk = (await roles()).find((r) => r.code === 'clerk');
    assertError(await sec.del(`/api/v1/roles/${clerk.id}?version=${clerk.version}`), 409, 'in_use');
    // a custom role given to a user
    const code = rcode();
    const r = ok(await sec.post('/api/v1/roles', { code, name: 'x', scope: 'all', permissions: ['unit.read'] }), 201);
    const sfj = await unitByName(admin, '司法局');
    const { user } = ok(await admin.post('/api/v1/users', { username: rcode().replace(/_/g, '-'), display_name: 'x', unit_id: sfj.id }), 201);
    ok(await sec.put(`/api/v1/users/${user.id}/role`, { role: code, version: user.version }));
    assertError(await sec.del(`/api/v1/roles/${r.id}?version=${r.version}`), 409, 'in_use');
    assert.equal(ok(await sec.get(`/api/v1/roles/${r.id}`)).user_count, 1);
});

test('a permission change takes effect for signed-in users of the role', async () => {
    const code = rcode();
    const r = ok(await sec.post('/api/v1/roles', { code, name: 'x', scope: 'all', permissions: ['unit.read'] }), 201);
    const sfj = await unitByName(admin, '司法局');
    const { user, initial_password: pw } = ok(await admin.post('/api/v1/users', { username: rcode().replace(/_/g, '-'), display_name: 'x', unit_id: sfj.id }), 201);
    ok(await sec.put(`/api/v1/users/${user.id}/role`, { role: code, version: user.version }));
    const c = srv.client();
    ok(await c.login(user.username, pw));
    ok(await c.post('/api/v1/auth/password', { old_password: pw, new_password: 'Role#Pass2026x' }));
    ok(await c.get('/api/v1/units'));
    assertError(await c.get('/api/v1/people'), 403, 'forbidden');
    ok(await sec.put(`/api/v1/roles/${r.id}`, { name: 'x', name_en: 'x', scope: 'all', permissions: ['person.read'], version: r.version }));
    ok(await c.get('/api/v1/people'));
    assertError(await c.get('/api/v1/units'), 403, 'forbidden');
});

// ---- settings
test('settings list holds every contract key with defaults and bounds', async () => {
    const items = ok(await admin.get('/api/v1/settings')).items;
    for (const [key, s] of Object.entries(SETTINGS)) {
        const it = items.find((x) => x.key === key);
        assert.ok(it, `setting ${key} missing`);
        for (const k of ['key', 'value', 'default', 'type', 'min', 'max', 'group', 'name', 'name_en', 'description', 'perm', 'version']) {
            assert.ok(k in it, `${key}.${k}`);
        }
        assert.equal(typeof it.default, typeof it.value, `${key}: default has the type of value`);
        assert.equal(it.type, s.type, `${key} type`);
        assert.ok(Number.isInteger(it.version) && it.version >= 1, `${key}: version starts at 1, got ${it.version}`);
        assert.equal(it.perm, s.perm, `${key} perm`);
        if (s.def !== undefined) {
            // the harness's servers ask no captcha unless a test says so (lib.mjs startServer)
            assert.equal(it.value, key === 'login.captcha_after' ? 0 : s.def, `${key} value`);
            assert.equal(it.default, s.def, `${key} default`);
            assert.equal(it.min, s.min, `${key} min`);
            assert.equal(it.max, s.max, `${key} max`);
        }
    }
    assert.deepEqual(ok(await sec.get('/api/v1/settings')).items.map((x) => x.key).sort(), items.map((x) => x.key).sort());
});

test('settings updates: own permission only, bounds, types, versions, unknown key', async () => {
    const get = async (key) => ok(await admin.get('/api/v1/settings')).items.find((x) => x.key === key);
    const name = await get('site.name');
    assertError(await sec.put('/api/v1/settings/site.name', { value: '某区', version: name.version }), 403, 'forbidden');
    const n2 = ok(await admin.put('/api/v1/settings/site.name', { value: '某区法治平台', version: name.version }));
    assert.equal(n2.value, '某区法治平台');
    assert.equal(n2.version, name.version + 1);
    assertError(await admin.put('/api/v1/settings/site.name', { value: '覆盖', version: name.version }), 409, 'stale_version');
    assert.equal((await get('site.name')).value, '某区法治平台');
    const ml = await get('password.min_length');
    assertError(await admin.put('/api/v1/settings/password.min_length', { value: 12, version: ml.version }), 403, 'forbidden');
    for (const v of [7, 129, 'twelve', 12.5, null, true]) {
        assertError(await sec.put('/api/v1/settings/password.min_length', { value: v, version: ml.version }), 400, 'invalid', String(v));
    }
    assert.equal((await get('password.min_length')).value, 8);
    assertError(await sec.put('/api/v1/settings/no.such.key', { value: 1, version: 1 }), 404, 'not_found');
    const ok12 = ok(await sec.put('/api/v1/settings/password.min_length', { value: 12, version: ml.version }));
    assert.equal(ok12.value, 12);
    // the policy applies at once
    const c = await srv.login('leader');
    const e = assertError(await c.post('/api/v1/auth/password', { old_password: DEMO_PASSWORD, new_password: 'Ab#12345678' }), 400, 'invalid');
    assert.ok(e.fields?.new_password);
    ok(await c.post('/api/v1/auth/password', { old_password: DEMO_PASSWORD, new_password: 'Ab#123456789' }));
});

test('login.max_failures setting changes the lockout threshold', async () => {
    const mf = ok(await sec.get('/api/v1/settings')).items.find((x) => x.key === 'login.max_failures');
    ok(await sec.put('/api/v1/settings/login.max_failures', { value: 3, version: mf.version }));
    for (let i = 0; i < 3; i++) assertError(await srv.client().login('inspector', 'bad' + i), 401, 'invalid_credentials');
    assertError(await srv.client().login('inspector', DEMO_PASSWORD), 429, 'too_many_attempts');
});
