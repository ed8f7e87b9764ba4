// Users (账号): create with one-time password, forced change, role assignment rules, lock/unlock,
// reset, validation, versions, filters.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError, ok, listAll, unitByName, uniq, DEMO_PASSWORD } from './lib.mjs';

let srv, admin, sec, sfj, cgjd;
before(async () => {
    srv = await startServer();
    admin = await srv.login('sysadmin');
    sec = await srv.login('secadmin');
    sfj = await unitByName(admin, '司法局');
    cgjd = await unitByName(admin, '城关街道');
});
after(async () => { await srv.stopAndCheck(); });

const USER_FIELDS = ['id', 'username', 'display_name', 'unit_id', 'unit_name', 'role', 'role_name', 'locked',
    'must_change_password', 'failed_count', 'last_login_at', 'created_at', 'updated_at', 'version'];
const uname = () => uniq('u').toLowerCase();

async function newUser(extra = {}) {
    const j = ok(await admin.post('/api/v1/users', { username: uname(), display_name: '新同事', unit_id: sfj.id, ...extra }), 201);
    return j;
}

test('create → 201 {user, initial_password}; no role; must change password; no secrets in the row', async () => {
    const r = await admin.post('/api/v1/users', { username: uname(), display_name: '张科员', unit_id: sfj.id });
    const j = ok(r, 201);
    for (const k of USER_FIELDS) assert.ok(k in j.user, `user.${k} missing`);
    assert.equal(j.user.role, null);
    assert.equal(j.user.must_change_password, true);
    assert.equal(j.user.locked, false);
    assert.equal(j.user.unit_id, sfj.id);
    assert.equal(j.user.version, 1);
    assert.equal(typeof j.initial_password, 'string');
    assert.ok(j.initial_password.length >= 8);
    const again = ok(await admin.get(`/api/v1/users/${j.user.id}`));
    assert.ok(!('initial_password' in again) && !('password' in again) && !('password_hash' in again));
    assert.doesNotMatch(JSON.stringify(again) + JSON.stringify(ok(await admin.get('/api/v1/users'))), /argon2|\$2[aby]\$/i);
});

test('one-time password: 403 password_change_required everywhere except me/logout/password, until changed', async () => {
    const { user, initial_password: pw } = await newUser();
    const c = srv.client();
    const j = ok(await c.login(user.username, pw));
    assert.equal(j.user.must_change_password, true);
    assertError(await c.get('/api/v1/units'), 403, 'password_change_required');
    assertError(await c.get('/api/v1/people'), 403, 'password_change_required');
    assertError(await c.post('/api/v1/units', { code: 'x', name: 'x', kind: 'other' }), 403, 'password_change_required');
    ok(await c.get('/api/v1/auth/me'));
    const np = 'Fresh#Pass2026a';
    const after = ok(await c.post('/api/v1/auth/password', { old_password: pw, new_password: np }));
    assert.equal(after.user.must_change_password, false);
    // no role yet: signed in but without permissions
    assertError(await c.get('/api/v1/units'), 403, 'forbidden');
    ok(await c.post('/api/v1/auth/logout', {}));
});

test('logout is allowed while the password must be changed', async () => {
    const { user, initial_password: pw } = await newUser();
    const c = srv.client();
    ok(await c.login(user.username, pw));
    ok(await c.post('/api/v1/auth/logout', {}));
    assertError(await c.get('/api/v1/auth/me'), 401, 'unauthenticated');
});

test('secadmin assigns a business role; the user then has that role\'s permissions and scope', async () => {
    const { user, initial_password: pw } = await newUser();
    const r = ok(await sec.put(`/api/v1/users/${user.id}/role`, { role: 'clerk', version: user.version }));
    assert.equal(r.role, 'clerk');
    assert.equal(r.version, user.version + 1);
    const c = srv.client();
    ok(await c.login(user.username, pw));
    const np = 'Fresh#Pass2026b';
    ok(await c.post('/api/v1/auth/password', { old_password: pw, new_password: np }));
    const me = ok(await c.get('/api/v1/auth/me'));
    assert.equal(me.user.role, 'clerk');
    assert.equal(me.user.scope, 'own');
    const units = await listAll(c, '/api/v1/units');
    assert.deepEqual(units.map((u) => u.id), [sfj.id]);
});

test('role assignment rules: not by sysadmin, not one\'s own, never an administrator role, unknown role 400, stale 409', async () => {
    const { user } = await newUser();
    assertError(await admin.put(`/api/v1/users/${user.id}/role`, { role: 'clerk', version: user.version }), 403, 'forbidden');
    for (const role of ['sysadmin', 'secadmin', 'auditor']) {
        const e = assertError(await sec.put(`/api/v1/users/${user.id}/role`, { role, version: user.version }), 400, 'invalid', role);
        assert.ok(e.fields?.role, 'fields.role');
    }
    assertError(await sec.put(`/api/v1/users/${user.id}/role`, { role: 'no_such_role', version: user.version }), 400, 'invalid');
    assertError(await sec.put(`/api/v1/users/${user.id}/role`, { role: 'leader', version: user.version + 3 }), 409, 'stale_version');
    assert.equal(ok(await admin.get(`/api/v1/users/${user.id}`)).role, null, 'nothing assigned');
    const self = ok(await sec.get(`/api/v1/users/${sec.user.id}`));
    assertError(await sec.put(`/api/v1/users/${self.id}/role`, { role: 'leader', version: self.version }), 403, 'forbidden');
    assert.equal(ok(await sec.get('/api/v1/auth/me')).user.role, 'secadmin');
    assertError(await sec.put('/api/v1/users/99999999/role', { role: 'leader', version: 1 }), 404, 'not_found');
});

test('separation of duties: secadmin cannot create/lock users; sysadmin cannot read audit or change security settings', async () => {
    assertError(await sec.post('/api/v1/users', { username: uname(), display_name: 'x', unit_id: sfj.id }), 403, 'forbidden');
    const { user } = await newUser();
    assertError(await sec.post(`/api/v1/users/${user.id}/lock`, { version: user.version }), 403, 'forbidden');
    assertError(await admin.get('/api/v1/audit'), 403, 'forbidden');
    assertError(await admin.put('/api/v1/settings/password.min_length', { value: 10, version: 1 }), 403, 'forbidden');
    const aud = await srv.login('auditor');
    assertError(await aud.get('/api/v1/users'), 403, 'forbidden');
    assertError(await aud.post('/api/v1/users', { username: uname(), display_name: 'x', unit_id: sfj.id }), 403, 'forbidden');
});

test('create validation and conflicts', async () => {
    const bad = [
        [{ username: 'ab', display_name: 'x', unit_id: sfj.id }, 'username'],
        [{ username: 'a'.repeat(33), display_name: 'x', unit_id: sfj.id }, 'username'],
        [{ username: 'Upper', display_name: 'x', unit_id: sfj.id }, 'username'],
        [{ username: 'has space', display_name: 'x', unit_id: sfj.id }, 'username'],
        [{ username: '张三abc', display_name: 'x', unit_id: sfj.id }, 'username'],
        [{ display_name: 'x', unit_id: sfj.id }, 'username'],
        [{ username: uname(), display_name: '', unit_id: sfj.id }, 'display_name'],
        [{ username: uname(), display_name: 'x' }, 'unit_id'],
        [{ username: uname(), display_name: 'x', unit_id: 99999999 }, 'unit_id'],
        [{ username: uname(), display_name: 'x', unit_id: sfj.id, password: 'weak' }, 'password'],
    ];
    const before = ok(await admin.get('/api/v1/users')).total;
    for (const [body, field] of bad) {
        const e = assertError(await admin.post('/api/v1/users', body), 400, 'invalid', JSON.stringify(body));
        assert.ok(e.fields && field in e.fields, `fields.${field} for ${JSON.stringify(body)}: ${JSON.stringify(e.fields)}`);
    }
    assert.equal(ok(await admin.get('/api/v1/users')).total, before, 'nothing created');
    assertError(await admin.post('/api/v1/users', { username: 'clerk1', display_name: 'x', unit_id: sfj.id }), 409, 'conflict');
    ok(await admin.post('/api/v1/users', { username: 'a.b-c_9', display_name: 'x', unit_id: sfj.id }), 201);
    ok(await admin.post('/api/v1/users', { username: 'abc', display_name: 'x', unit_id: sfj.id }), 201);
});

test('create with a chosen password: that password signs in and must still be changed', async () => {
    const pw = 'Chosen#Pass2026';
    const { user } = ok(await admin.post('/api/v1/users', { username: uname(), display_name: 'x', unit_id: sfj.id, password: pw }), 201);
    const c = srv.client();
    const j = ok(await c.login(user.username, pw));
    assert.equal(j.user.must_change_password, true);
});

test('update display name and unit with versions; stale → 409 changes nothing', async () => {
    const { user } = await newUser();
    const u = ok(await admin.put(`/api/v1/users/${user.id}`, { display_name: '改名', unit_id: cgjd.id, version: user.version }));
    assert.equal(u.display_name, '改名');
    assert.equal(u.unit_id, cgjd.id);
    assert.equal(u.version, user.version + 1);
    assertError(await admin.put(`/api/v1/users/${user.id}`, { display_name: '覆盖', unit_id: sfj.id, version: user.version }), 409, 'stale_version');
    assert.deepEqual(ok(await admin.get(`/api/v1/users/${user.id}`)), u);
    assertError(await admin.put(`/api/v1/users/${user.id}`, { display_name: '', unit_id: sfj.id, version: u.version }), 400, 'invalid');
    assertError(await admin.put('/api/v1/users/99999999', { display_name: 'x', unit_id: sfj.id, version: 1 }), 404, 'not_found');
});

test('lock blocks sign-in, unlock restores it and clears the failure lockout', async () => {
    const { user, initial_password: pw } = await newUser();
    const l = ok(await admin.post(`/api/v1/users/${user.id}/lock`, { version: user.version }));
    assert.equal(l.locked, true);
    assertError(await srv.client().login(user.username, pw), 401, 'invalid_credentials');
    assertError(await admin.post(`/api/v1/users/${user.id}/unlock`, { version: user.version }), 409, 'stale_version');
    const u = ok(await admin.post(`/api/v1/users/${user.id}/unlock`, { version: l.version }));
    assert.equal(u.locked, false);
    ok(await srv.client().login(user.username, pw));
    // five failures lock the name; unlock clears the failures
    for (let i = 0; i < 5; i++) assertError(await srv.client().login(user.username, 'bad' + i), 401, 'invalid_credentials');
    assertError(await srv.client().login(user.username, pw), 429, 'too_many_attempts');
    const cur = ok(await admin.get(`/api/v1/users/${user.id}`));
    assert.ok(cur.failed_count >= 5);
    const un = ok(await admin.post(`/api/v1/users/${user.id}/unlock`, { version: cur.version }));
    assert.equal(un.failed_count, 0);
    ok(await srv.client().login(user.username, pw));
});

test('reset-password gives a new one-time password; the old one stops working', async () => {
    const { user, initial_password: pw } = await newUser();
    const c = srv.client();
    ok(await c.login(user.username, pw));
    ok(await c.post('/api/v1/auth/password', { old_password: pw, new_password: 'Mine#Pass2026x' }));
    const cur = ok(await admin.get(`/api/v1/users/${user.id}`));
    const r = ok(await admin.post(`/api/v1/users/${user.id}/reset-password`, { version: cur.version }));
    assert.equal(typeof r.initial_password, 'string');
    assert.equal(r.user.must_change_password, true);
    assertError(await c.get('/api/v1/auth/me'), 401, 'unauthenticated', 'sessions end on reset');
    assertError(await srv.client().login(user.username, 'Mine#Pass2026x'), 401, 'invalid_credentials');
    const j = ok(await srv.client().login(user.username, r.initial_password));
    assert.equal(j.user.must_change_password, true);
    assertError(await admin.post(`/api/v1/users/${user.id}/reset-password`, { version: cur.version }), 409, 'stale_version');
});

test('list filters: q, unit_id, role, locked', async () => {
    const tag = uname();
    const a = ok(await admin.post('/api/v1/users', { username: `${tag}a`, display_name: 'x', unit_id: cgjd.id }), 201).user;
    ok(await admin.post('/api/v1/users', { username: `${tag}b`, display_name: 'x', unit_id: sfj.id }), 201);
    let items = await listAll(admin, `/api/v1/users?q=${tag}`);
    assert.equal(items.length, 2);
    items = await listAll(admin, `/api/v1/users?q=${tag}&unit_id=${cgjd.id}`);
    assert.deepEqual(items.map((u) => u.id), [a.id]);
    items = await listAll(admin, '/api/v1/users?role=clerk');
    assert.ok(items.some((u) => u.username === 'clerk1') && items.some((u) => u.username === 'clerk2'));
    assert.ok(items.every((u) => u.role === 'clerk'));
    ok(await admin.post(`/api/v1/users/${a.id}/lock`, { version: a.version }));
    items = await listAll(admin, '/api/v1/users?locked=true');
    assert.ok(items.some((u) => u.id === a.id));
    assert.ok(items.every((u) => u.locked === true));
    assertError(await admin.get('/api/v1/users/99999999'), 404, 'not_found');
});

test('office (user.read) can read users but not manage them', async () => {
    const o = await srv.login('office');
    const { user } = await newUser();
    ok(await o.get(`/api/v1/users/${user.id}`));
    assertError(await o.put(`/api/v1/users/${user.id}`, { display_name: 'x', unit_id: sfj.id, version: user.version }), 403, 'forbidden');
    assertError(await o.post(`/api/v1/users/${user.id}/reset-password`, { version: user.version }), 403, 'forbidden');
    ok(await srv.client().login('office', DEMO_PASSWORD));
});
