// 三员分立 on accounts: no administrator changes, locks, unlocks, resets or re-roles another
// administrator's account (or his own) through the API; 系统管理员 maintains business accounts
// (a password reset only while password.admin_reset allows it), 安全管理员 assigns their roles.
// The recovery path for an administrator is `fazhi user passwd` on the server, audited.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError, ok, listAll, fazhi, DEMO_PASSWORD } from './lib.mjs';

let srv, actors, ids;
before(async () => {
    srv = await startServer();
    actors = {
        sysadmin: await srv.login('sysadmin'),
        secadmin: await srv.login('secadmin'),
        auditor: await srv.login('auditor'),
    };
    const users = await listAll(actors.sysadmin, '/api/v1/users');
    ids = Object.fromEntries(users.map((u) => [u.username, u.id]));
});
after(async () => { await srv.stopAndCheck(); });

const ADMINS = ['sysadmin', 'secadmin', 'auditor'];
const TARGETS = ['sysadmin', 'secadmin', 'auditor', 'office', 'clerk1'];
const ROLE_OF = { sysadmin: 'sysadmin', secadmin: 'secadmin', auditor: 'auditor', office: 'office', clerk1: 'clerk' };

/** The request of each action on the account `row` (its current version; the role it already has). */
const ACTIONS = {
    'reset-password': (c, row) => c.post(`/api/v1/users/${row.id}/reset-password`, { version: row.version }),
    lock: (c, row) => c.post(`/api/v1/users/${row.id}/lock`, { version: row.version }),
    unlock: (c, row) => c.post(`/api/v1/users/${row.id}/unlock`, { version: row.version }),
    'PUT user': (c, row) => c.put(`/api/v1/users/${row.id}`,
        { display_name: `${row.display_name}·改`, unit_id: row.unit_id, version: row.version }),
    'PUT role': (c, row) => c.put(`/api/v1/users/${row.id}/role`, { role: row.role, version: row.version }),
};

/** Expected status of one cell. */
function expected(actor, action, target) {
    const admin = ADMINS.includes(target);
    if (actor === 'sysadmin') return action !== 'PUT role' && !admin ? 200 : 403;
    if (actor === 'secadmin') return action === 'PUT role' && !admin ? 200 : 403;
    return 403; // auditor: no account permission at all
}

/** The row as the server holds it (read as 系统管理员, who reads every account). */
async function row(name) {
    const r = ok(await actors.sysadmin.get(`/api/v1/users/${ids[name]}`));
    delete r.allowed_actions; // depends on who reads, not on the account
    return r;
}

test('matrix: each administrator × each account action × each target role', async () => {
    const cells = [];
    for (const actor of ADMINS) {
        for (const action of Object.keys(ACTIONS)) {
            for (const target of TARGETS) {
                const before = await row(target);
                const r = await ACTIONS[action](actors[actor], before);
                const want = expected(actor, action, target);
                cells.push(`${actor} ${action} ${target}: ${r.status}`);
                assert.equal(r.status, want, `${actor} ${action} ${target}: ${r.status} ${r.text.slice(0, 300)}`);
                if (want === 403) {
                    assertError(r, 403, 'forbidden', `${actor} ${action} ${target}`);
                    assert.ok(!('initial_password' in (r.json || {})), 'no password handed out');
                    assert.deepEqual(await row(target), before, `${actor} ${action} ${target}: nothing changed`);
                } else if (action === 'reset-password') {
                    assert.equal(typeof r.json.initial_password, 'string');
                    assert.equal(r.json.user.must_change_password, true, 'must change at next sign-in');
                } else {
                    assert.ok((r.json.user || r.json).version > before.version, 'a new version');
                }
            }
        }
    }
    assert.equal(cells.length, 3 * 5 * 5);
    // The overseers' passwords, locks and roles are untouched: each still signs in as before.
    for (const name of ADMINS) {
        const j = ok(await srv.client().login(name, DEMO_PASSWORD), 200, name);
        assert.equal(j.user.role, ROLE_OF[name]);
        assert.equal(j.user.must_change_password, false);
    }
});

test('a refusal names its reason and is audited as access.denied', async () => {
    const target = await row('auditor');
    const r = await actors.sysadmin.post(`/api/v1/users/${target.id}/reset-password`, { version: target.version });
    const e = assertError(r, 403, 'forbidden');
    assert.match(e.message, /fazhi user/);
    const aud = await srv.login('auditor');
    const recs = ok(await aud.get('/api/v1/audit?action=access.denied&actor=sysadmin&per_page=200')).items
        .filter((x) => x.request_id === r.headers.get('x-request-id'));
    assert.equal(recs.length, 1);
    assert.equal(recs[0].result, 'denied');
    assert.equal(String(recs[0].object_id), String(target.id));
    const d = JSON.parse(recs[0].detail);
    assert.deepEqual([d.action, d.reason, d.target_role], ['reset_password', 'administrator', 'auditor']);
});

test('nobody acts on his own account through the account routes', async () => {
    const me = await row('sysadmin');
    for (const [action, send] of Object.entries(ACTIONS)) {
        if (action === 'PUT role') continue;
        assertError(await send(actors.sysadmin, me), 403, 'forbidden', action);
    }
    const sec = await row('secadmin');
    assertError(await ACTIONS['PUT role'](actors.secadmin, { ...sec, role: 'office' }), 403, 'forbidden');
    assert.deepEqual(await row('sysadmin'), me);
    assert.deepEqual(await row('secadmin'), sec);
});

test('allowed_actions tells each administrator what the server will accept', async () => {
    const by = async (c) => Object.fromEntries((await listAll(c, '/api/v1/users')).map((u) => [u.username, u.allowed_actions]));
    const sys = await by(actors.sysadmin);
    for (const a of ADMINS) assert.deepEqual(sys[a], [], `sysadmin on ${a}`);
    assert.deepEqual(sys.office, ['update', 'lock', 'unlock', 'reset_password']);
    assert.deepEqual(sys.clerk2, ['update', 'lock', 'unlock', 'reset_password']);
    const sec = await by(actors.secadmin);
    for (const a of ADMINS) assert.deepEqual(sec[a], [], `secadmin on ${a}`);
    assert.deepEqual(sec.clerk2, ['set_role']);
    assert.deepEqual(ok(await actors.sysadmin.get(`/api/v1/users/${ids.clerk2}`)).allowed_actions, sys.clerk2);
});

test('PUT role: role is required (missing or null → 400, nothing changes); an administrator role is never granted', async () => {
    const before = await row('clerk2');
    for (const body of [{ version: before.version }, { role: null, version: before.version }, { role: '', version: before.version }]) {
        const e = assertError(await actors.secadmin.put(`/api/v1/users/${before.id}/role`, body), 400, 'invalid', JSON.stringify(body));
        assert.ok(e.fields?.role, 'fields.role');
    }
    for (const role of ADMINS) {
        const e = assertError(await actors.secadmin.put(`/api/v1/users/${before.id}/role`, { role, version: before.version }), 400, 'invalid', role);
        assert.ok(e.fields?.role);
    }
    assert.deepEqual(await row('clerk2'), before);
    assert.equal(before.role, 'clerk');
});

test('password.admin_reset off: 系统管理员 cannot reset a business account; fazhi user passwd still can, audited', async () => {
    const sec = actors.secadmin;
    const s = ok(await sec.get('/api/v1/settings')).items.find((x) => x.key === 'password.admin_reset');
    assert.equal(s.value, true, 'default: allowed');
    assert.equal(s.perm, 'security.manage', '安全管理员 decides, not the one who resets');
    assertError(await actors.sysadmin.put('/api/v1/settings/password.admin_reset', { value: false, version: s.version }), 403, 'forbidden');
    const off = ok(await sec.put('/api/v1/settings/password.admin_reset', { value: false, version: s.version }));
    try {
        const before = await row('clerk2');
        const e = assertError(await actors.sysadmin.post(`/api/v1/users/${before.id}/reset-password`, { version: before.version }), 403, 'forbidden');
        assert.match(e.message, /fazhi user passwd/);
        assert.deepEqual(await row('clerk2'), before);
        assert.ok(!(await listAll(actors.sysadmin, '/api/v1/users')).find((u) => u.username === 'clerk2')
            .allowed_actions.includes('reset_password'));
        ok(await srv.client().login('clerk2', DEMO_PASSWORD), 200, 'password unchanged');
        // lock and unlock remain 系统管理员's
        const locked = ok(await actors.sysadmin.post(`/api/v1/users/${before.id}/lock`, { version: before.version }));
        ok(await actors.sysadmin.post(`/api/v1/users/${before.id}/unlock`, { version: locked.version }));
    } finally {
        ok(await sec.put('/api/v1/settings/password.admin_reset', { value: true, version: off.version }));
    }
});

test('recovery of an administrator: fazhi user passwd on the server, audited, must change at next sign-in', async () => {
    const r = await fazhi(['user', 'passwd', 'auditor', '--data-dir', srv.dir]);
    assert.equal(r.code, 0, r.stderr);
    const pw = /one-time password (\S+)/.exec(r.stdout)?.[1];
    assert.ok(pw, r.stdout);
    const c = srv.client();
    const j = ok(await c.login('auditor', pw));
    assert.equal(j.user.must_change_password, true);
    ok(await c.post('/api/v1/auth/password', { old_password: pw, new_password: DEMO_PASSWORD + 'x' }));
    const recs = ok(await c.get(`/api/v1/audit?action=user.reset_password&object_id=${ids.auditor}&per_page=200`)).items;
    assert.ok(recs.length >= 1, 'the reset is in the audit log');
    assert.equal(recs[0].actor, 'cli:user passwd');
    assert.equal(recs[0].ip, 'local');
    assert.equal(recs[0].result, 'ok');
});
