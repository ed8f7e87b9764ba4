// 安全管理: the sign-in log (every attempt, sign-out and session end; filters, export, retention),
// online users with force sign-out (三员分立: not one's own session), and the captcha a sign-in
// must answer after login.captcha_after failures of the account or the address (served by fazhi,
// answered once, expiring, bound to the address). The server runs with --trust-proxy so that
// X-Forwarded-For gives each test its own client address, and with the default captcha setting.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
    startServer, assertError, ok, sqlite, fazhi, listAll, DEMO_PASSWORD,
} from './lib.mjs';

let srv;
// The server's scheduler never runs the daily jobs itself (hour 24): the sign-in log purge below
// is run by the CLI, as cron would, whatever the hour the suite runs at.
before(async () => { srv = await startServer({ serveArgs: ['--trust-proxy'], captchaAfter: 3, dailyHour: 24 }); });
after(async () => { await srv.stopAndCheck(); });

const from = (ip, ua) => ({ headers: { 'X-Forwarded-For': ip, ...(ua ? { 'User-Agent': ua } : {}) } });
const login = (c, username, password, ip, extra = {}, ua) =>
    c.req('POST', '/api/v1/auth/login', { username, password, ...extra }, from(ip, ua));

/** Sign in as `username` from `ip` (a captcha answered if one is due). */
async function signIn(username, ip) {
    const c = srv.client();
    let r = await login(c, username, DEMO_PASSWORD, ip);
    if (r.status === 400 && r.json.error.code === 'captcha_required') {
        r = await login(c, username, DEMO_PASSWORD, ip, await solved(ip));
    }
    assert.equal(r.status, 200, `sign-in ${username}: ${r.status} ${r.text}`);
    return c;
}

/** A captcha asked from `ip` whose answer the test sets (the real one is only stored hashed). */
async function solved(ip, answer = 'K7M2P') {
    const cap = ok(await srv.client().req('GET', '/api/v1/auth/captcha', undefined, from(ip)));
    const hash = createHash('sha256').update(`${cap.id}:${answer}`).digest('hex');
    await sqlite(srv.db, `UPDATE captchas SET answer_hash = '${hash}' WHERE id = '${cap.id}';`);
    return { captcha_id: cap.id, captcha_answer: answer.toLowerCase() };
}

async function logRows(username) {
    const sec = await signIn('secadmin', '10.9.9.1');
    return (await listAll(sec, `/api/v1/login-log?username=${encodeURIComponent(username)}`));
}

test('the sign-in log records success, wrong password, unknown name, disabled account, sign-out, each with address and browser', async () => {
    const ip = '203.0.113.10';
    const c = srv.client();
    assertError(await login(c, 'inspector', 'Wrong#Pass2026', ip, {}, 'UA-test/1'), 401, 'invalid_credentials');
    assertError(await login(c, 'nobody-here', 'Wrong#Pass2026', ip), 401, 'invalid_credentials');
    ok(await login(c, 'inspector', DEMO_PASSWORD, '203.0.113.11', {}, 'UA-test/2'));
    ok(await c.req('POST', '/api/v1/auth/logout', {}, from('203.0.113.11')));
    // a disabled account
    const admin = await signIn('sysadmin', '10.9.9.2');
    const u = (await listAll(admin, '/api/v1/users?q=reviewer')).find((x) => x.username === 'reviewer');
    ok(await admin.post(`/api/v1/users/${u.id}/lock`, { version: u.version }));
    assertError(await login(srv.client(), 'reviewer', DEMO_PASSWORD, '203.0.113.12'), 401, 'invalid_credentials');

    const ins = await logRows('inspector');
    const results = ins.map((r) => r.result);
    for (const want of ['wrong_password', 'ok', 'logout']) assert.ok(results.includes(want), `inspector: ${want} in ${results}`);
    const wrong = ins.find((r) => r.result === 'wrong_password');
    assert.equal(wrong.ip, ip);
    assert.equal(wrong.user_agent, 'UA-test/1');
    assert.ok(wrong.display_name, 'the account is named');
    assert.ok(wrong.result_name && wrong.result_name !== 'wrong_password', 'the result in words');
    assert.ok(ins.find((r) => r.result === 'ok').user_agent === 'UA-test/2');
    assert.equal((await logRows('nobody-here'))[0].result, 'unknown_user');
    assert.equal((await logRows('nobody-here'))[0].user_id ?? null, null, 'an unknown name is no account');
    assert.ok((await logRows('reviewer')).some((r) => r.result === 'disabled'));
    const passwords = await sqlite(srv.db, "SELECT COUNT(*) FROM login_log WHERE username LIKE '%Wrong%' OR user_agent LIKE '%Wrong#%';");
    assert.equal(passwords.trim(), '0', 'no password in the log');
    // unlock for the other tests
    const v = ok(await admin.get(`/api/v1/users/${u.id}`));
    ok(await admin.post(`/api/v1/users/${u.id}/unlock`, { version: v.version }));
});

test('throttled and locked refusals are logged, at most once a minute per address, name and result', async () => {
    const sec = await signIn('secadmin', '10.9.9.3');
    const setCaptcha = async (value) => {
        const cur = ok(await sec.get('/api/v1/settings')).items.find((x) => x.key === 'login.captcha_after');
        ok(await sec.put('/api/v1/settings/login.captcha_after', { value, version: cur.version }));
    };
    await setCaptcha(0); // this test is about the throttle's refusals
    try {
        const ip = '203.0.113.20';
        for (let i = 0; i < 5; i++) assertError(await login(srv.client(), 'leader', `Wrong#${i}`, ip), 401, 'invalid_credentials');
        for (let i = 0; i < 4; i++) assertError(await login(srv.client(), 'leader', DEMO_PASSWORD, ip), 429, 'too_many_attempts');
        const rows = (await logRows('leader')).filter((r) => r.ip === ip);
        assert.equal(rows.filter((r) => r.result === 'wrong_password').length, 5);
        assert.equal(rows.filter((r) => r.result === 'locked').length, 1, 'four refusals, one row');
        // an address throttled for every name
        const ip2 = '203.0.113.21';
        for (let i = 0; i < 30; i++) await login(srv.client(), `ghost${i}`, 'Wrong#1', ip2);
        for (let i = 0; i < 3; i++) assertError(await login(srv.client(), 'ghost-x', 'Wrong#1', ip2), 429, 'too_many_attempts');
        assert.equal((await logRows('ghost-x')).filter((r) => r.result === 'throttled').length, 1);
    } finally {
        await setCaptcha(3);
    }
});

test('a session that ran past its idle limit is logged as expired; the user agent is cut on a character boundary', async () => {
    const long = '浏览器'.repeat(120); // 1080 bytes
    const c = srv.client();
    // header values are bytes: send the UTF-8 bytes as they are
    ok(await login(c, 'office', DEMO_PASSWORD, '203.0.113.30', {}, Buffer.from(long).toString('latin1')));
    const row = (await logRows('office')).find((r) => r.ip === '203.0.113.30' && r.result === 'ok');
    assert.ok(Buffer.byteLength(row.user_agent) <= 255, `${Buffer.byteLength(row.user_agent)} bytes`);
    assert.ok(long.startsWith(row.user_agent) && row.user_agent.length === 85, 'whole characters only');
    // the session was last seen 2 hours ago: the next request finds it over
    await sqlite(srv.db, "UPDATE sessions SET last_seen_at = last_seen_at - 7200 WHERE ip = '203.0.113.30';");
    assertError(await c.req('GET', '/api/v1/auth/me', undefined, from('203.0.113.30')), 401, 'unauthenticated');
    const ended = (await logRows('office')).filter((r) => r.ip === '203.0.113.30' && r.result === 'expired');
    assert.equal(ended.length, 1);
});

test('the sign-in log: filters, paging, XLSX export; only the security administrator reads it', async () => {
    for (const name of ['page-a', 'page-b']) await login(srv.client(), name, 'Wrong#1', '203.0.113.10');
    for (const who of ['office', 'leader', 'inspector']) await signIn(who, '10.9.9.4');
    const sec = await signIn('secadmin', '10.9.9.4');
    const page = ok(await sec.get('/api/v1/login-log?per_page=2&page=1'));
    assert.equal(page.items.length, 2);
    assert.ok(page.total >= 5);
    assert.ok(page.items[0].id > page.items[1].id, 'newest first');
    const oks = ok(await sec.get('/api/v1/login-log?result=ok&per_page=200'));
    assert.ok(oks.items.length > 0 && oks.items.every((r) => r.result === 'ok'));
    const byIp = ok(await sec.get('/api/v1/login-log?ip=203.0.113.10'));
    assert.ok(byIp.items.length >= 2 && byIp.items.every((r) => r.ip === '203.0.113.10'));
    const future = ok(await sec.get('/api/v1/login-log?at_from=2099-01-01'));
    assert.equal(future.total, 0);
    // days are China Standard Time
    const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
    assert.ok(ok(await sec.get(`/api/v1/login-log?at_from=${today}&at_to=${today}`)).total >= 5);
    assertError(await sec.get('/api/v1/login-log?at_from=2026-02-30'), 400, 'invalid');
    assertError(await sec.get('/api/v1/login-log?result=maybe'), 400, 'invalid');
    const x = await sec.get('/api/v1/login-log/export.xlsx?result=ok');
    assert.equal(x.status, 200);
    assert.match(x.headers.get('content-type'), /spreadsheetml/);
    assert.equal(x.buf.subarray(0, 2).toString(), 'PK');
    for (const who of ['sysadmin', 'auditor', 'office', 'clerk1']) {
        const c = await signIn(who, '10.9.9.5');
        assertError(await c.get('/api/v1/login-log'), 403, 'forbidden', who);
        assertError(await c.get('/api/v1/sessions'), 403, 'forbidden', who);
    }
});

test('the daily job deletes sign-in log rows older than login.log_days, and ends (and logs) sessions no request came back to', async () => {
    await sqlite(srv.db, "INSERT INTO login_log (at, username, ip, user_agent, result) VALUES "
        + "('2020-01-01T00:00:00Z', 'old-row', '1.2.3.4', '', 'ok'), ('2099-01-01T00:00:00Z', 'new-row', '1.2.3.4', '', 'ok');");
    // a session left idle for two hours, never used again
    ok(await login(srv.client(), 'reviewer', DEMO_PASSWORD, '203.0.113.80'));
    await sqlite(srv.db, "UPDATE sessions SET last_seen_at = last_seen_at - 7200 WHERE ip = '203.0.113.80';");
    const r = await fazhi(['jobs', 'run', '--data-dir', srv.dir, '--job', 'login_log_purge', '--force']);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /login_log_purge \S+: removed=\d+ sessions_ended=[1-9]/);
    const left = await sqlite(srv.db, "SELECT username FROM login_log WHERE username IN ('old-row', 'new-row') ORDER BY username;");
    assert.deepEqual(left.trim().split('\n'), ['new-row']);
    assert.equal((await sqlite(srv.db, "SELECT COUNT(*) FROM sessions WHERE ip = '203.0.113.80';")).trim(), '0');
    assert.equal((await logRows('reviewer')).filter((x) => x.ip === '203.0.113.80' && x.result === 'expired').length, 1);
});

test('online users: a browser name is stored as valid text, cut on a character boundary', async () => {
    // 1 + 84 × 3 bytes fit in 255; the 85th character would be cut in half; then a stray byte
    const ua = Buffer.concat([Buffer.from('x' + '浏览器'.repeat(120))]);
    const c = srv.client();
    ok(await login(c, 'inspector', DEMO_PASSWORD, '203.0.113.45', {}, ua.toString('latin1')));
    const c2 = srv.client();
    ok(await login(c2, 'inspector', DEMO_PASSWORD, '203.0.113.46', {}, 'Agent\xff\xfe/1'));
    const sec = await signIn('secadmin', '10.9.9.7');
    const list = await listAll(sec, '/api/v1/sessions?q=inspector');
    const a = list.find((x) => x.ip === '203.0.113.45');
    assert.ok(Buffer.byteLength(a.user_agent) <= 255 && Buffer.byteLength(a.user_agent) >= 250);
    assert.ok(('x' + '浏览器'.repeat(120)).startsWith(a.user_agent), 'whole characters only');
    assert.equal(list.find((x) => x.ip === '203.0.113.46').user_agent, 'Agent??/1');
});

test('online users: the security administrator sees live sessions and ends one — at once, audited, logged; not his own', async () => {
    const clerk = await signIn('clerk1', '203.0.113.40');
    ok(await clerk.get('/api/v1/auth/me'));
    const sec = await signIn('secadmin', '10.9.9.6');
    const list = await listAll(sec, '/api/v1/sessions');
    const s = list.filter((x) => x.username === 'clerk1' && x.ip === '203.0.113.40').at(-1);
    assert.ok(s, 'the clerk is online');
    assert.equal(s.unit_name, '区司法局');
    assert.ok(s.created_at.endsWith('Z') && s.last_seen_at.endsWith('Z'));
    assert.equal(s.current, false);
    const mine = list.filter((x) => x.current);
    assert.equal(mine.length, 1, 'exactly one session is the caller\'s');
    // sessions past their idle limit are not online
    await sqlite(srv.db, `UPDATE sessions SET last_seen_at = last_seen_at - 7200 WHERE id = ${s.id};`);
    assert.ok(!(await listAll(sec, '/api/v1/sessions')).some((x) => x.id === s.id), 'an idle session is not listed');
    await sqlite(srv.db, `UPDATE sessions SET last_seen_at = last_seen_at + 7200 WHERE id = ${s.id};`);
    // a subtree filter by unit
    assert.ok((await listAll(sec, `/api/v1/sessions?unit_id=${s.unit_id}`)).every((x) => x.unit_id === s.unit_id));

    assertError(await sec.del(`/api/v1/sessions/${mine[0].id}`), 403, 'forbidden');
    ok(await sec.get('/api/v1/auth/me'), 200, 'still signed in');
    ok(await sec.del(`/api/v1/sessions/${s.id}`));
    assertError(await clerk.get('/api/v1/auth/me'), 401, 'unauthenticated');
    assertError(await sec.del(`/api/v1/sessions/${s.id}`), 404, 'not_found');
    const audit = await sqlite(srv.db, `SELECT actor, action, object_id FROM audit_log WHERE action = 'session.revoke' AND object_id = '${s.id}';`);
    assert.equal(audit.trim(), `secadmin|session.revoke|${s.id}`);
    assert.ok((await logRows('clerk1')).some((r) => r.result === 'revoked' && r.ip === '203.0.113.40'));
    // other administrators' sessions may be ended too (the security administrator's job)
    await signIn('sysadmin', '203.0.113.41');
    const sys = (await listAll(sec, '/api/v1/sessions')).filter((x) => x.username === 'sysadmin' && x.ip === '203.0.113.41').at(-1);
    ok(await sec.del(`/api/v1/sessions/${sys.id}`));
});

test('captcha: after 3 failures the sign-in needs one; missing or wrong answers are refused; each answers once; it expires and is bound to the address', async () => {
    const ip = '203.0.113.50';
    const c = srv.client();
    assertError(await login(c, 'leader', 'Wrong#1', ip), 401, 'invalid_credentials');
    assertError(await login(c, 'leader', 'Wrong#2', ip), 401, 'invalid_credentials');
    const third = assertError(await login(c, 'leader', 'Wrong#3', ip), 401, 'invalid_credentials');
    assert.ok(third.fields.captcha_answer, 'the refusal says a captcha is due now');
    // the right password without a captcha: refused before any hashing, not counted
    const need = assertError(await login(c, 'leader', DEMO_PASSWORD, ip), 400, 'captcha_required');
    assert.ok(need.fields.captcha_answer);
    // the image: an SVG of strokes, no text in it
    const cap = ok(await srv.client().req('GET', '/api/v1/auth/captcha', undefined, from(ip)));
    assert.equal(cap.expires_in, 120);
    assert.match(cap.image, /^data:image\/svg\+xml;base64,/);
    const svg = Buffer.from(cap.image.split(',')[1], 'base64').toString();
    assert.match(svg, /^<svg [^>]*viewBox/);
    assert.doesNotMatch(svg, /<text|<script|on\w+=/i);
    assert.ok((svg.match(/<path /g) || []).length >= 10, 'characters and noise are paths');
    // a wrong answer
    const wrong = assertError(await login(c, 'leader', DEMO_PASSWORD, ip, { captcha_id: cap.id, captcha_answer: 'zzzzz' }), 400, 'captcha_wrong');
    assert.ok(wrong.fields.captcha_answer);
    // the same captcha again, now with the right answer: spent
    const hash = (id, a) => createHash('sha256').update(`${id}:${a}`).digest('hex');
    await sqlite(srv.db, `UPDATE captchas SET answer_hash = '${hash(cap.id, 'ZZZZZ')}' WHERE id = '${cap.id}';`);
    assertError(await login(c, 'leader', DEMO_PASSWORD, ip, { captcha_id: cap.id, captcha_answer: 'zzzzz' }), 400, 'captcha_wrong');
    // asked from another address: not valid here
    const elsewhere = await solved('203.0.113.99');
    assertError(await login(c, 'leader', DEMO_PASSWORD, ip, elsewhere), 400, 'captcha_wrong');
    // expired
    const old = await solved(ip);
    await sqlite(srv.db, `UPDATE captchas SET expires_at = expires_at - 121 WHERE id = '${old.captcha_id}';`);
    assertError(await login(c, 'leader', DEMO_PASSWORD, ip, old), 400, 'captcha_wrong');
    // a right answer and a wrong password: a counted failure (the throttle still applies)
    assertError(await login(c, 'leader', 'Wrong#4', ip, await solved(ip)), 401, 'invalid_credentials');
    // a right answer and the right password
    const good = ok(await login(c, 'leader', DEMO_PASSWORD, ip, await solved(ip)));
    assert.equal(good.user.username, 'leader');
    // another account from this address still needs one (the address counts too) …
    assertError(await login(srv.client(), 'inspector', DEMO_PASSWORD, ip), 400, 'captcha_required');
    // … while another address does not
    ok(await login(srv.client(), 'inspector', DEMO_PASSWORD, '203.0.113.51'));
    const rows = (await logRows('leader')).filter((r) => r.ip === ip).map((r) => r.result);
    for (const want of ['captcha_required', 'captcha_wrong', 'ok']) assert.ok(rows.includes(want), `${want} in ${rows}`);
});

test('captcha errors in English', async () => {
    const ip = '203.0.113.60';
    const c = srv.client({ lang: 'en' });
    for (let i = 0; i < 3; i++) await login(c, 'office', `Wrong#${i}`, ip);
    const e = assertError(await login(c, 'office', DEMO_PASSWORD, ip), 400, 'captcha_required');
    assert.match(e.message, /enter the code/i);
    const w = assertError(await login(c, 'office', DEMO_PASSWORD, ip, { captcha_id: 'nope', captcha_answer: 'x' }), 400, 'captcha_wrong');
    assert.match(w.message, /wrong or has expired/);
});

test('captchas asked in a flood keep a few rows per address', async () => {
    const ip = '203.0.113.70';
    for (let i = 0; i < 20; i++) ok(await srv.client().req('GET', '/api/v1/auth/captcha', undefined, from(ip)));
    const n = await sqlite(srv.db, `SELECT COUNT(*) FROM captchas WHERE ip = '${ip}';`);
    assert.ok(Number(n) <= 5, `${n} rows`);
});
