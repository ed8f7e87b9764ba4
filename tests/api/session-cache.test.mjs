// The signed-in principal comes from the server's memory (auth/session.c, store/cache.h) while
// the "auth" data version holds (store/dataver.h). Every way a principal can change must reach
// it: through this server at once; through a command or straight SQL (another process) within
// DV_CHECK_SECONDS — the tests allow 1.5 s. One test per write path: a path that bumped nothing
// would leave the old session, role or permission working. Runs on SQLite and (api-pg) on
// PostgreSQL; two servers on one database: multiserver.test.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { startServer, fazhi, sqlite, assertError, ok, unitByName, uniq, DEMO_PASSWORD } from './lib.mjs';

const WITHIN_MS = 1500;

let srv, admin, sec, sfj, cgjd;
before(async () => {
    srv = await startServer();
    admin = await srv.login('sysadmin');
    sec = await srv.login('secadmin');
    sfj = await unitByName(admin, '司法局');
    cgjd = await unitByName(admin, '城关街道');
});
after(async () => { await srv.stopAndCheck(); });

const code = () => uniq('sc').toLowerCase().replace(/[^a-z0-9_]/g, '_');
const tokenHash = (c) => createHash('sha256').update(c.cookie).digest('hex');

/** A signed-in user with a new role of its own (password already changed). */
async function member(perms = ['unit.read'], scope = 'all') {
    const role = ok(await sec.post('/api/v1/roles', { code: code(), name: '缓存测试', scope, permissions: perms }), 201);
    const pw = 'Cache#Pass2026x';
    const { user } = ok(await admin.post('/api/v1/users', { username: code().replace(/_/g, '-'), display_name: '缓存测试', unit_id: sfj.id, password: pw }), 201);
    const u = ok(await sec.put(`/api/v1/users/${user.id}/role`, { role: role.code, version: user.version }));
    const c = srv.client();
    ok(await c.login(user.username, pw));
    ok(await c.post('/api/v1/auth/password', { old_password: pw, new_password: 'Cache#Pass2026y' }));
    ok(await c.get('/api/v1/units'));
    ok(await c.get('/api/v1/auth/me')); // cached now
    return { c, role, user: { ...user, version: u.version ?? user.version + 1 }, password: 'Cache#Pass2026y' };
}

/** Poll until `check(answer)` holds, at most WITHIN_MS after `since`; returns the ms it took. */
async function within(since, what, fn, check) {
    for (;;) {
        const r = await fn();
        if (check(r)) return Date.now() - since;
        if (Date.now() - since > WITHIN_MS) assert.fail(`${what}: still not honoured ${Date.now() - since} ms later (${r.status} ${r.text.slice(0, 200)})`);
        await new Promise((res) => setTimeout(res, 50));
    }
}
const refused = (status) => (r) => r.status === status;

// ---- through this server: honoured by the very next request

test('role permission removed or added through the API: the next request follows', async () => {
    const m = await member(['unit.read']);
    ok(await sec.put(`/api/v1/roles/${m.role.id}`, { name: 'x', name_en: 'x', scope: 'all', permissions: ['person.read'], version: m.role.version }));
    assertError(await m.c.get('/api/v1/units'), 403, 'forbidden');
    ok(await m.c.get('/api/v1/people'));
});

test('role scope changed through the API: the next request has the new scope', async () => {
    const m = await member(['unit.read'], 'all');
    assert.equal(ok(await m.c.get('/api/v1/auth/me')).user.scope, 'all');
    ok(await sec.put(`/api/v1/roles/${m.role.id}`, { name: 'x', name_en: 'x', scope: 'own', permissions: ['unit.read'], version: m.role.version }));
    assert.equal(ok(await m.c.get('/api/v1/auth/me')).user.scope, 'own');
});

test('user given another role through the API: the next request has its permissions', async () => {
    const m = await member(['unit.read']);
    const other = ok(await sec.post('/api/v1/roles', { code: code(), name: '另一角色', scope: 'own', permissions: ['person.read'] }), 201);
    const cur = ok(await admin.get(`/api/v1/users/${m.user.id}`));
    ok(await sec.put(`/api/v1/users/${m.user.id}/role`, { role: other.code, version: cur.version }));
    const me = ok(await m.c.get('/api/v1/auth/me')).user;
    assert.equal(me.role, other.code);
    assert.deepEqual(me.permissions, ['person.read']);
    assertError(await m.c.get('/api/v1/units'), 403, 'forbidden');
});

test('user moved to another unit and renamed through the API: the next request sees it', async () => {
    const m = await member();
    const cur = ok(await admin.get(`/api/v1/users/${m.user.id}`));
    ok(await admin.put(`/api/v1/users/${m.user.id}`, { display_name: '已改名', unit_id: cgjd.id, version: cur.version }));
    const me = ok(await m.c.get('/api/v1/auth/me')).user;
    assert.equal(me.unit_id, cgjd.id);
    assert.equal(me.display_name, '已改名');
});

test('user locked through the API: the next request is signed out', async () => {
    const m = await member();
    const cur = ok(await admin.get(`/api/v1/users/${m.user.id}`));
    ok(await admin.post(`/api/v1/users/${m.user.id}/lock`, { version: cur.version }));
    assertError(await m.c.get('/api/v1/auth/me'), 401, 'unauthenticated');
});

test('password reset by the administrator: the next request is signed out', async () => {
    const m = await member();
    const cur = ok(await admin.get(`/api/v1/users/${m.user.id}`));
    ok(await admin.post(`/api/v1/users/${m.user.id}/reset-password`, { version: cur.version }));
    assertError(await m.c.get('/api/v1/auth/me'), 401, 'unauthenticated');
});

test('own password changed in one browser: the other browser is signed out at once', async () => {
    const m = await member();
    const other = srv.client();
    ok(await other.login(m.user.username, m.password));
    ok(await other.get('/api/v1/auth/me'));
    ok(await m.c.post('/api/v1/auth/password', { old_password: m.password, new_password: 'Cache#Pass2026z' }));
    assertError(await other.get('/api/v1/auth/me'), 401, 'unauthenticated');
    ok(await m.c.get('/api/v1/auth/me'), 200, 'the browser that changed it has a fresh session');
});

test('logout: the same cookie is refused by the next request', async () => {
    const c = await srv.login('clerk2');
    const stolen = srv.client();
    stolen.cookie = c.cookie;
    ok(await stolen.get('/api/v1/auth/me'));
    ok(await c.post('/api/v1/auth/logout'));
    assertError(await stolen.get('/api/v1/auth/me'), 401, 'unauthenticated');
});

test('own unit renamed through the API: the next /auth/me has the new name', async () => {
    const unit = ok(await admin.post('/api/v1/units', { code: uniq('scu'), name: '缓存测试单位', kind: 'other' }), 201);
    const m = await member();
    const cur = ok(await admin.get(`/api/v1/users/${m.user.id}`));
    ok(await admin.put(`/api/v1/users/${m.user.id}`, { display_name: cur.display_name, unit_id: unit.id, version: cur.version }));
    assert.equal(ok(await m.c.get('/api/v1/auth/me')).user.unit_name, '缓存测试单位');
    ok(await admin.put(`/api/v1/units/${unit.id}`, { ...unit, name: '缓存测试单位（改名）', version: unit.version }));
    assert.equal(ok(await m.c.get('/api/v1/auth/me')).user.unit_name, '缓存测试单位（改名）');
});

// ---- outside the server (a command, straight SQL): within DV_CHECK_SECONDS

test('`fazhi user lock` from the shell: the server refuses the session within 1.5 s', async () => {
    const m = await member();
    const r = await fazhi(['user', 'lock', m.user.username, '--data-dir', srv.dir]);
    assert.equal(r.code, 0, r.stderr);
    const t0 = Date.now();
    await within(t0, 'fazhi user lock', () => m.c.get('/api/v1/auth/me'), refused(401));
});

test('`fazhi user passwd` from the shell: the server refuses the session within 1.5 s', async () => {
    const m = await member();
    const r = await fazhi(['user', 'passwd', m.user.username, '--data-dir', srv.dir]);
    assert.equal(r.code, 0, r.stderr);
    const t0 = Date.now();
    await within(t0, 'fazhi user passwd', () => m.c.get('/api/v1/auth/me'), refused(401));
});

test('straight SQL: a permission deleted from role_permissions is refused within 1.5 s', async () => {
    const m = await member(['unit.read', 'person.read']);
    ok(await m.c.get('/api/v1/units'));
    await sqlite(srv.db, `DELETE FROM role_permissions WHERE role_id = ${m.role.id} AND permission = 'unit.read';`);
    const t0 = Date.now();
    await within(t0, 'role_permissions DELETE', () => m.c.get('/api/v1/units'), refused(403));
    ok(await m.c.get('/api/v1/people'));
});

test('straight SQL: a permission added, a role scope and a user unit changed — seen within 1.5 s', async () => {
    const m = await member(['unit.read']);
    assertError(await m.c.get('/api/v1/people'), 403, 'forbidden');
    await sqlite(srv.db, `INSERT INTO role_permissions (role_id, permission) VALUES (${m.role.id}, 'person.read');`);
    let t0 = Date.now();
    await within(t0, 'role_permissions INSERT', () => m.c.get('/api/v1/people'), refused(200));
    await sqlite(srv.db, `UPDATE roles SET scope = 'own' WHERE id = ${m.role.id};`);
    t0 = Date.now();
    await within(t0, 'roles UPDATE', () => m.c.get('/api/v1/auth/me'), (r) => r.status === 200 && r.json.user.scope === 'own');
    await sqlite(srv.db, `UPDATE users SET unit_id = ${cgjd.id} WHERE id = ${m.user.id};`);
    t0 = Date.now();
    await within(t0, 'users UPDATE', () => m.c.get('/api/v1/auth/me'), (r) => r.status === 200 && r.json.user.unit_id === cgjd.id);
});

test('straight SQL: the session row deleted is refused within 1.5 s', async () => {
    const m = await member();
    await sqlite(srv.db, `DELETE FROM sessions WHERE token_hash = '${tokenHash(m.c)}';`);
    const t0 = Date.now();
    await within(t0, 'sessions DELETE', () => m.c.get('/api/v1/auth/me'), refused(401));
});

test('timeouts stay exact: a session made older than session.absolute_hours or idle past session.idle_minutes is refused within 1.5 s', async () => {
    const a = await member();
    await sqlite(srv.db, `UPDATE sessions SET created_at = created_at - 13 * 3600 WHERE token_hash = '${tokenHash(a.c)}';`);
    let t0 = Date.now();
    await within(t0, 'absolute timeout', () => a.c.get('/api/v1/auth/me'), refused(401));
    const b = await member();
    await sqlite(srv.db, `UPDATE sessions SET last_seen_at = last_seen_at - 31 * 60 WHERE token_hash = '${tokenHash(b.c)}';`);
    t0 = Date.now();
    await within(t0, 'idle timeout', () => b.c.get('/api/v1/auth/me'), refused(401));
    // touches of last_seen_at (at most once a minute) bump nothing: other sessions stay cached
    const c = await srv.login('clerk1');
    ok(await c.get('/api/v1/auth/me'));
});

test('straight SQL: a user locked in the table is refused within 1.5 s; login is refused too', async () => {
    const m = await member();
    await sqlite(srv.db, `UPDATE users SET locked = 1 WHERE id = ${m.user.id};`);
    const t0 = Date.now();
    await within(t0, 'users.locked', () => m.c.get('/api/v1/auth/me'), refused(401));
    assertError(await srv.client().login(m.user.username, m.password), 401, 'invalid_credentials');
});

test('new sign-ins do not change the auth version (a login flushes no cache)', async () => {
    const v = async () => Number((await sqlite(srv.db, "SELECT SUM(version) FROM data_versions WHERE name = 'auth';")).trim());
    const before = await v();
    const c = await srv.login('clerk1', DEMO_PASSWORD);
    ok(await c.get('/api/v1/auth/me'));
    assert.equal(await v(), before);
});
