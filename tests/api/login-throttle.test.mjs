// Sign-in throttling: a per-address limit checked before any password hashing (429 with
// Retry-After), bounded storage whatever names arrive, and lockouts per account *and address*
// so that an attacker cannot keep an account's owner (least of all an administrator) out.
// The server runs with --trust-proxy so that X-Forwarded-For simulates client addresses.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startServer, assertError, ok, sqlite, DEMO_PASSWORD } from './lib.mjs';

let srv;
before(async () => { srv = await startServer({ serveArgs: ['--trust-proxy'] }); });
after(async () => { await srv.stopAndCheck(); });

const from = (ip) => ({ headers: { 'X-Forwarded-For': ip } });
const login = (username, password, ip) =>
    srv.client().req('POST', '/api/v1/auth/login', { username, password }, from(ip));

async function count(sql) {
    return Number((await sqlite(srv.db, `${sql};`)).trim());
}
/** Rows sign-in can write (the scheduler's own job.run records and reminders are left out). */
const TABLES = {
    login_throttle: 'SELECT COUNT(*) FROM login_throttle',
    audit_log: "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'auth.%'",
    notifications: "SELECT COUNT(*) FROM notifications WHERE kind = 'login_locked'",
    sessions: 'SELECT COUNT(*) FROM sessions',
};
async function counts() {
    return Object.fromEntries(await Promise.all(Object.entries(TABLES).map(async ([t, q]) => [t, await count(q)])));
}

async function metric(name) {
    const text = (await srv.client().get('/metrics')).text;
    const m = new RegExp(`^${name.replace(/[{}"]/g, '\\$&')} (\\d+)`, 'm').exec(text);
    return m ? Number(m[1]) : 0;
}

test('500 failed sign-ins with random names from one address: 429 after the limit, bounded rows, others unaffected', async () => {
    const ip = '198.51.100.7';
    const before = await counts();
    const refusedBefore = await metric('fazhi_login_refused_total{reason="address"}');
    const statuses = [];
    let retry = null;
    const t0 = Date.now();
    for (let i = 0; i < 500; i++) {
        const r = await login(`x${randomBytes(6).toString('hex')}`, 'Wrong#Pass2026', ip);
        statuses.push(r.status);
        if (r.status === 429) {
            assert.equal(r.json.error.code, 'too_many_attempts');
            retry = Number(r.headers.get('retry-after'));
        }
    }
    const secs = (Date.now() - t0) / 1000;
    const first429 = statuses.indexOf(429);
    assert.equal(first429, 30, `the 31st attempt is refused (login.ip_max_failures 30), got ${first429}`);
    assert.ok(statuses.slice(0, 30).every((s) => s === 401), 'failures below the limit answer 401');
    assert.ok(statuses.slice(30).every((s) => s === 429), 'every later attempt answers 429');
    assert.ok(retry > 0 && retry <= 15 * 60, `Retry-After ${retry}`);
    const after = await counts();
    const grown = Object.fromEntries(Object.keys(TABLES).map((t) => [t, after[t] - before[t]]));
    // One address row and one row per checked name, one audit record per checked failure and
    // one when the address was throttled; the 470 refusals write nothing.
    assert.ok(grown.login_throttle <= 31, `login_throttle grew by ${grown.login_throttle}`);
    assert.ok(grown.audit_log <= 32, `audit_log grew by ${grown.audit_log}`);
    assert.equal(grown.notifications, 0);
    assert.equal(grown.sessions, 0);
    assert.equal(await metric('fazhi_login_refused_total{reason="address"}') - refusedBefore, 470);
    // The refused attempts cost no password hash: 500 attempts end in far less than 500 hashes' time.
    assert.ok(secs < 60, `took ${secs} s`);
    // The address is refused even with a right password; another address signs in at once.
    assertError(await login('office', DEMO_PASSWORD, ip), 429, 'too_many_attempts');
    ok(await login('office', DEMO_PASSWORD, '198.51.100.8'), 200, 'another address');
    // An IPv6 client is counted by its /64: changing the last 64 bits does not reset the count.
    const v6 = (n) => `2001:db8:7:7::${n.toString(16)}`;
    let n6 = 0;
    for (let i = 0; i < 40; i++) if ((await login(`y${i}`, 'Wrong#Pass2026', v6(i + 1))).status === 429) n6++;
    assert.equal(n6, 10, 'one /64 is one address');
    ok(await login('office', DEMO_PASSWORD, '2001:db8:7:8::1'), 200, 'the next /64 is another address');
    // The auditor sees the failures and one record that says the address was throttled.
    const c = srv.client();
    ok(await c.req('POST', '/api/v1/auth/login', { username: 'auditor', password: DEMO_PASSWORD }, from('198.51.100.9')));
    const recs = ok(await c.get(`/api/v1/audit?action=auth.login_throttled&per_page=200`)).items
        .filter((x) => x.ip === ip);
    assert.equal(recs.length, 1, 'one throttle record for the address');
    assert.equal(recs[0].result, 'denied');
    assert.deepEqual(JSON.parse(recs[0].detail), { scope: 'address', address: ip, failures: 30, minutes: 15 });
});

test('an attacker hammering sysadmin from one address cannot keep the real sysadmin out; 安全管理员 is alerted once', async () => {
    const attacker = '203.0.113.66';
    for (let i = 0; i < 5; i++) assertError(await login('sysadmin', `Guess#${i}pass`, attacker), 401, 'invalid_credentials');
    const r = await login('sysadmin', DEMO_PASSWORD, attacker);
    assertError(r, 429, 'too_many_attempts', 'locked for the attacker\'s address');
    assert.ok(Number(r.headers.get('retry-after')) > 0);
    const before = await counts();
    for (let i = 0; i < 50; i++) assert.equal((await login('sysadmin', `More#${i}pass`, attacker)).status, 429);
    const during = await counts();
    assert.deepEqual(during, before, 'refused attempts write nothing');
    // The real sysadmin, elsewhere, signs in while the attack goes on.
    const real = await login('sysadmin', DEMO_PASSWORD, '192.0.2.10');
    assert.equal(real.status, 200, real.text);
    assert.equal((await login('sysadmin', 'Another#guess1', attacker)).status, 429);
    // A second attacking address locks its own pair; the alert is raised once per account and window.
    for (let i = 0; i < 5; i++) await login('sysadmin', `Guess#${i}pass`, '203.0.113.67');
    const sec = srv.client();
    const s = await sec.req('POST', '/api/v1/auth/login', { username: 'secadmin', password: DEMO_PASSWORD }, from('192.0.2.11'));
    assert.equal(s.status, 200);
    const alerts = ok(await sec.get('/api/v1/notifications?per_page=100')).items.filter((n) => n.kind === 'login_locked');
    assert.equal(alerts.length, 1, JSON.stringify(alerts));
    assert.match(alerts[0].title, /sysadmin/);
    assert.match(alerts[0].body, /203\.0\.113\.66/);
    // sysadmin is not told about himself; an ordinary account's lockout alerts nobody.
    for (let i = 0; i < 5; i++) await login('leader', `Guess#${i}pass`, attacker);
    assert.equal(ok(await sec.get('/api/v1/notifications?per_page=100')).items.filter((n) => n.kind === 'login_locked').length, 1);
    // What the 安全管理员 sees on the account: the failures counted from every address.
    const users = ok(await sec.get('/api/v1/users?q=sysadmin')).items;
    assert.ok(users.find((u) => u.username === 'sysadmin').failed_count >= 10);
});

test('a successful sign-in fills the audit record\'s role and unit', async () => {
    const r = await login('clerk1', DEMO_PASSWORD, '192.0.2.20');
    const me = ok(r).user;
    const aud = srv.client();
    ok(await aud.req('POST', '/api/v1/auth/login', { username: 'auditor', password: DEMO_PASSWORD }, from('192.0.2.21')));
    const rec = ok(await aud.get('/api/v1/audit?action=auth.login&actor=clerk1&per_page=200')).items
        .find((x) => x.request_id === r.headers.get('x-request-id'));
    assert.equal(rec.role, 'clerk');
    assert.equal(rec.unit_id, me.unit_id);
    assert.equal(rec.actor_id, me.id);
});

test('an unknown name locks like a real one from the same address, and answers alike', async () => {
    const ip = '203.0.113.90';
    for (let i = 0; i < 5; i++) {
        const a = await login('ghost-user', `Wrong#${i}x`, ip);
        const b = await login('reviewer', `Wrong#${i}x`, ip);
        assertError(a, 401, 'invalid_credentials');
        assert.deepEqual(a.json, b.json);
    }
    const a = await login('ghost-user', 'Wrong#9x', ip);
    const b = await login('reviewer', 'Wrong#9x', ip);
    assertError(a, 429, 'too_many_attempts');
    assert.deepEqual(a.json, b.json);
    ok(await login('reviewer', DEMO_PASSWORD, '203.0.113.91'), 200, 'the owner elsewhere is not locked');
});
