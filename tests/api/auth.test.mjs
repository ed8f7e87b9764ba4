// Sign-in, sessions, lockout, CSRF, password change, languages, body limits on login.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError, ok, DEMO_PASSWORD, DEMO_USERS, HAS_CJK, listAll } from './lib.mjs';
import { ROLE_PERMS, ROLE_SCOPE, ACCOUNT_ROLE } from './contract.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv.stopAndCheck(); });

test('every demo account signs in with the demo password and gets its role table entry', async () => {
    for (const name of DEMO_USERS) {
        const c = srv.client();
        const j = ok(await c.login(name, DEMO_PASSWORD), 200, name);
        assert.equal(typeof j.csrf_token, 'string');
        assert.ok(j.csrf_token.length >= 16, 'csrf token too short');
        const u = j.user;
        for (const k of ['id', 'username', 'display_name', 'unit_id', 'unit_name', 'role', 'role_name',
            'scope', 'must_change_password', 'permissions']) {
            assert.ok(k in u, `${name}: user.${k} missing`);
        }
        assert.equal(u.username, name);
        const role = ACCOUNT_ROLE[name];
        assert.equal(u.role, role, `${name} role`);
        assert.equal(u.scope, ROLE_SCOPE[role], `${name} scope`);
        assert.deepEqual([...u.permissions].sort(), [...ROLE_PERMS[role]].sort(), `${name} permissions`);
        assert.equal(u.must_change_password, false, `${name}: demo accounts are ready to use`);
    }
});

test('clerk1 belongs to 区司法局 and clerk2 to 城关街道', async () => {
    const c1 = await srv.login('clerk1');
    const c2 = await srv.login('clerk2');
    assert.match(c1.user.unit_name, /司法局/);
    assert.match(c2.user.unit_name, /城关街道/);
    assert.notEqual(c1.user.unit_id, c2.user.unit_id);
});

test('login sets an HttpOnly SameSite=Strict session cookie with Path=/ (no Secure over plain HTTP)', async () => {
    const c = srv.client();
    const r = await c.login('leader', DEMO_PASSWORD);
    assert.equal(r.status, 200);
    const sc = r.setCookies.find((s) => s.startsWith('fazhi_session='));
    assert.ok(sc, 'no fazhi_session cookie');
    assert.match(sc, /;\s*HttpOnly/i);
    assert.match(sc, /;\s*SameSite=Strict/i);
    assert.match(sc, /;\s*Path=\/(;|$)/i);
    assert.doesNotMatch(sc, /;\s*Secure/i);
    assert.ok(c.cookie.length >= 20, 'session token too short');
});

test('X-Forwarded-For/-Proto are ignored unless the server is told to trust its proxy', async () => {
    const c = srv.client();
    const r = await c.req('POST', '/api/v1/auth/login', { username: 'leader', password: DEMO_PASSWORD },
        { headers: { 'X-Forwarded-Proto': 'https', 'X-Forwarded-For': '203.0.113.9' } });
    assert.equal(r.status, 200);
    const sc = r.setCookies.find((s) => s.startsWith('fazhi_session='));
    assert.doesNotMatch(sc, /;\s*Secure/i, 'a client cannot claim TLS');
    const aud = await srv.login('auditor');
    const rec = ok(await aud.get('/api/v1/audit?action=auth.login&actor=leader&per_page=200')).items
        .find((x) => x.request_id === r.headers.get('x-request-id'));
    assert.equal(rec.ip, '127.0.0.1', 'a client cannot forge its address');
});

test('behind a trusted proxy (--trust-proxy): Secure cookie and the client address from X-Forwarded-For', async () => {
    const px = await startServer({ serveArgs: ['--trust-proxy'] });
    try {
        const c = px.client();
        const r = await c.req('POST', '/api/v1/auth/login', { username: 'leader', password: DEMO_PASSWORD },
            { headers: { 'X-Forwarded-Proto': 'https', 'X-Forwarded-For': '198.51.100.1, 203.0.113.9' } });
        assert.equal(r.status, 200);
        const sc = r.setCookies.find((s) => s.startsWith('fazhi_session='));
        assert.match(sc, /;\s*Secure/i);
        const aud = await px.login('auditor');
        const rec = ok(await aud.get('/api/v1/audit?action=auth.login&actor=leader&per_page=200')).items
            .find((x) => x.request_id === r.headers.get('x-request-id'));
        assert.equal(rec.ip, '203.0.113.9', 'the address the proxy saw (last in the list)');
    } finally {
        await px.stopAndCheck();
    }
});

test('GET /auth/me returns the user and csrf token; 401 unauthenticated without a valid session', async () => {
    const c = await srv.login('office');
    const fromLogin = c.csrf;
    const j = ok(await c.get('/api/v1/auth/me'));
    assert.equal(j.user.username, 'office');
    assert.equal(j.csrf_token, fromLogin, 'me must hand out the session\'s csrf token');
    assertError(await srv.client().get('/api/v1/auth/me'), 401, 'unauthenticated');
    const forged = srv.client();
    forged.cookie = 'A'.repeat(43);
    assertError(await forged.get('/api/v1/auth/me'), 401, 'unauthenticated');
    assertError(await forged.get('/api/v1/units'), 401, 'unauthenticated');
});

test('unknown user and wrong password get the very same answer', async () => {
    const a = await srv.client().login('no-such-user', 'Wrong#Pass123');
    const b = await srv.client().login('inspector', 'Wrong#Pass123');
    assertError(a, 401, 'invalid_credentials');
    assertError(b, 401, 'invalid_credentials');
    assert.deepEqual(a.json, b.json);
    const ea = await srv.client({ lang: 'en' }).login('no-such-user2', 'x');
    const eb = await srv.client({ lang: 'en' }).login('inspector', 'x');
    assert.deepEqual(ea.json, eb.json);
    // reset the failure count for inspector
    ok(await srv.client().login('inspector', DEMO_PASSWORD));
});

test('failures below the limit are forgotten after a successful login', async () => {
    for (let round = 0; round < 2; round++) {
        for (let i = 0; i < 4; i++) assertError(await srv.client().login('inspector', 'bad' + i), 401, 'invalid_credentials');
        ok(await srv.client().login('inspector', DEMO_PASSWORD), 200, `round ${round}`);
    }
});

test('after 5 consecutive failures the account answers 429 too_many_attempts, even with the right password', async () => {
    for (let i = 0; i < 5; i++) {
        assertError(await srv.client().login('reviewer', 'Wrong#Pass' + i), 401, 'invalid_credentials', `attempt ${i + 1}`);
    }
    assertError(await srv.client().login('reviewer', DEMO_PASSWORD), 429, 'too_many_attempts');
    assertError(await srv.client().login('reviewer', 'Wrong#Again'), 429, 'too_many_attempts');
    // the secadmin sees the failures on the account
    const sec = await srv.login('secadmin');
    const u = (await listAll(sec, '/api/v1/users?q=reviewer')).find((x) => x.username === 'reviewer');
    assert.ok(u.failed_count >= 5, `failed_count ${u.failed_count}`);
    // other accounts are not affected
    ok(await srv.client().login('leader', DEMO_PASSWORD));
});

test('a locked (disabled) account answers 401 invalid_credentials with the right password', async () => {
    const admin = await srv.login('sysadmin');
    const users = await listAll(admin, '/api/v1/users?q=clerk2');
    const u = users.find((x) => x.username === 'clerk2');
    const victim = await srv.login('clerk2');
    const locked = ok(await admin.post(`/api/v1/users/${u.id}/lock`, { version: u.version }));
    assert.equal(locked.user?.locked ?? locked.locked, true);
    const r = await srv.client().login('clerk2', DEMO_PASSWORD);
    const anon = await srv.client().login('nobody-at-all', DEMO_PASSWORD);
    assertError(r, 401, 'invalid_credentials');
    assert.deepEqual(r.json, anon.json, 'locked looks like any failure');
    // the locked user's open session stops working
    const me = await victim.get('/api/v1/units');
    assert.equal(me.status, 401, `a locked account's session must end, got ${me.status}`);
    const cur = ok(await admin.get(`/api/v1/users/${u.id}`));
    ok(await admin.post(`/api/v1/users/${u.id}/unlock`, { version: cur.version }));
    ok(await srv.client().login('clerk2', DEMO_PASSWORD));
});

test('logout deletes the session and clears the cookie; needs CSRF', async () => {
    const c = await srv.login('leader');
    const token = c.cookie;
    assertError(await c.post('/api/v1/auth/logout', {}, { csrf: false }), 403, 'csrf_failed');
    ok(await c.get('/api/v1/auth/me'), 200, 'session must survive a rejected logout');
    const r = await c.post('/api/v1/auth/logout', {});
    assert.deepEqual(ok(r), { ok: true });
    const sc = r.setCookies.find((s) => s.startsWith('fazhi_session='));
    assert.ok(sc, 'logout must clear the cookie');
    assert.match(sc, /^fazhi_session=;|Max-Age=0|Expires=Thu, 01 Jan 1970/i);
    const again = srv.client();
    again.cookie = token;
    assertError(await again.get('/api/v1/auth/me'), 401, 'unauthenticated');
});

test('state-changing requests without the right X-CSRF-Token → 403 csrf_failed, nothing changes', async () => {
    const c = await srv.login('office');
    const other = await srv.login('office');
    const before = (await listAll(c, '/api/v1/units')).length;
    const body = { code: 'csrf1', name: 'CSRF 测试', kind: 'other' };
    assertError(await c.post('/api/v1/units', body, { csrf: false }), 403, 'csrf_failed');
    assertError(await c.post('/api/v1/units', body, { headers: { 'X-CSRF-Token': 'forged' } }), 403, 'csrf_failed');
    assertError(await c.post('/api/v1/units', body, { headers: { 'X-CSRF-Token': other.csrf } }), 403, 'csrf_failed',
        'token of another session');
    assertError(await c.post('/api/v1/auth/password', { old_password: DEMO_PASSWORD, new_password: 'New#Pass2026abc' },
        { csrf: false }), 403, 'csrf_failed');
    assert.equal((await listAll(c, '/api/v1/units')).length, before);
    // the same request with the token works
    ok(await c.post('/api/v1/units', body), 201);
});

test('login input errors: 400 invalid, 400 bad_json, 415, 413', async () => {
    const c = srv.client();
    const e = assertError(await c.post('/api/v1/auth/login', { username: 'leader' }), 400, 'invalid');
    assert.ok(e.fields && 'password' in e.fields, 'fields.password expected');
    assertError(await c.post('/api/v1/auth/login', '{"username":', { headers: { 'Content-Type': 'application/json' } }), 400, 'bad_json');
    assertError(await c.post('/api/v1/auth/login', `username=leader&password=${DEMO_PASSWORD}`,
        { headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }), 415, 'unsupported_media_type');
    assertError(await c.post('/api/v1/auth/login', JSON.stringify({ username: 'leader', password: DEMO_PASSWORD })),
        415, 'unsupported_media_type', 'no content type');
    const big = JSON.stringify({ username: 'leader', password: 'x'.repeat((1 << 20) + 10) });
    assertError(await c.post('/api/v1/auth/login', big, { headers: { 'Content-Type': 'application/json' } }), 413, 'too_large');
    const arr = await c.post('/api/v1/auth/login', [1, 2]);
    assert.equal(arr.status, 400, 'a JSON array is not an object');
    assert.ok(['invalid', 'bad_json'].includes(arr.json?.error?.code));
});

test('error messages are zh-CN by default and English with Accept-Language: en', async () => {
    const zh = assertError(await srv.client().login('nobody', 'x'), 401, 'invalid_credentials');
    const en = assertError(await srv.client({ lang: 'en' }).login('nobody', 'x'), 401, 'invalid_credentials');
    const en2 = assertError(await srv.client({ lang: 'en-US,en;q=0.9' }).get('/api/v1/units'), 401, 'unauthenticated');
    assert.match(zh.message, HAS_CJK);
    assert.doesNotMatch(en.message, HAS_CJK);
    assert.match(en.message, /[A-Za-z]{3}/);
    assert.doesNotMatch(en2.message, HAS_CJK);
    const zh2 = assertError(await srv.client({ lang: 'zh-CN,zh;q=0.9' }).get('/api/v1/units'), 401, 'unauthenticated');
    assert.match(zh2.message, HAS_CJK);
    // field messages too
    const admin = await srv.login('sysadmin', DEMO_PASSWORD, { lang: 'en' });
    const f = assertError(await admin.post('/api/v1/units', { code: 'bad code!', name: '', kind: 'other' }), 400, 'invalid');
    assert.ok(f.fields && f.fields.code && f.fields.name, 'fields.code and fields.name expected');
    assert.doesNotMatch(f.fields.code, HAS_CJK);
});

test('password change: wrong old → fields.old_password; weak new → fields.new_password; success kills other sessions', async () => {
    const a = await srv.login('clerk1');
    const b = await srv.login('clerk1');
    let e = assertError(await a.post('/api/v1/auth/password', { old_password: 'Wrong#Pass1', new_password: 'Good#Pass2026x' }), 400, 'invalid');
    assert.ok(e.fields?.old_password, 'fields.old_password');
    for (const weak of ['Sh0rt#', 'alllowercaseletters', '12345678901234']) {
        e = assertError(await a.post('/api/v1/auth/password', { old_password: DEMO_PASSWORD, new_password: weak }), 400, 'invalid', weak);
        assert.ok(e.fields?.new_password, `fields.new_password for ${weak}`);
    }
    ok(await a.get('/api/v1/units'), 200, 'failed change must not end the session');
    const newPw = 'Changed#Pass2026';
    const oldCookie = a.cookie;
    const j = ok(await a.post('/api/v1/auth/password', { old_password: DEMO_PASSWORD, new_password: newPw }));
    assert.equal(j.user.username, 'clerk1');
    assert.notEqual(a.cookie, oldCookie, 'a new session cookie must be set');
    assert.equal(typeof j.csrf_token, 'string');
    assertError(await b.get('/api/v1/units'), 401, 'unauthenticated', 'other session must be killed');
    const stale = srv.client();
    stale.cookie = oldCookie;
    assertError(await stale.get('/api/v1/units'), 401, 'unauthenticated', 'old session must be killed');
    ok(await a.get('/api/v1/units'), 200, 'new session works');
    assertError(await srv.client().login('clerk1', DEMO_PASSWORD), 401, 'invalid_credentials');
    ok(await srv.client().login('clerk1', newPw));
});
