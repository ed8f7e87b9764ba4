// Several servers on one PostgreSQL database (docs/scaling.md): two `fazhi serve` processes share
// sessions, see each other's writes, run each daily job once between them (and with `fazhi jobs
// run` from cron), lose no update under 2 × 32 concurrent clients, and keep one valid audit chain.
// Needs PostgreSQL: runs in the api-pg suite (or alone, with a private server).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
    fazhi, startServer, makeDataDir, removeDataDir, ok, assertError, uniq, psql, pgCreateDb, pgDropDb,
    privatePg, listAll, waitFor, NEEDS_PG_SKIP, DEMO_PASSWORD,
} from './lib.mjs';

const CLIENTS = 32; // per server
const ROUNDS = 6; // read-then-update rounds per client

let pg, url, dirA, dirB, A, B;
const q = async (sql) => (await psql(url, sql)).trim();

before(async () => {
    if (NEEDS_PG_SKIP) return;
    pg = await privatePg();
    url = await pgCreateDb(pg.dir, 'multi');
    dirA = await makeDataDir();
    dirB = await makeDataDir();
    const d = await fazhi(['demo', '--data-dir', dirA, '--db', url, '--password', DEMO_PASSWORD]);
    assert.equal(d.code, 0, d.stderr);
    // the second server shares the key that seals personal data, not the data dir
    await copyFile(join(dirA, 'secret.key'), join(dirB, 'secret.key'));
    // both schedulers are due at once: they race for today's daily jobs
    await q("UPDATE settings SET value = '0' WHERE key = 'jobs.daily_hour';");
    [A, B] = await Promise.all([
        startServer({ demo: false, dataDir: dirA, db: url }),
        startServer({ demo: false, dataDir: dirB, db: url }),
    ]);
});

after(async () => {
    if (NEEDS_PG_SKIP) return;
    const rs = await Promise.all([A?.stop(), B?.stop()]);
    await removeDataDir(dirA);
    await removeDataDir(dirB);
    await pgDropDb(url, pg.dir).catch(() => {});
    await pg.stop();
    for (const r of rs) if (r) assert.deepEqual(r, { code: 0, signal: null }, 'both servers exit 0');
});

/** A client of server `srv` that carries another client's session (cookie and CSRF token). */
function sameSession(srv, c) {
    const x = srv.client();
    x.cookie = c.cookie;
    x.csrf = c.csrf;
    return x;
}

test('a session made through one server is valid on the other; logout through either ends it', { skip: NEEDS_PG_SKIP }, async () => {
    const onA = await A.login('office');
    const onB = sameSession(B, onA);
    const me = ok(await onB.get('/api/v1/auth/me'));
    assert.equal(me.user.username, 'office');
    // a state-changing request through B with the CSRF token handed out by A
    const unit = ok(await onB.post('/api/v1/units', { code: uniq('ms'), name: '跨服务器会话', kind: 'other' }), 201);
    ok(await onA.get(`/api/v1/units/${unit.id}`));
    ok(await onB.post('/api/v1/auth/logout'));
    // B at once; A from its principal cache until it sees the auth data version move (≤ 1 s)
    assertError(await sameSession(B, onA).get('/api/v1/auth/me'), 401, 'unauthenticated');
    await refusedWithin(() => onA.get('/api/v1/auth/me'), 401, 'logout through B, read through A');
});

test('a force sign-out (在线用户) through A ends the session on B within 1.5 s', { skip: NEEDS_PG_SKIP }, async () => {
    const onB = await B.login('clerk1');
    ok(await onB.get('/api/v1/auth/me'), 200, 'cached on B');
    const secA = await A.login('secadmin');
    const mine = (await listAll(secA, '/api/v1/sessions?q=clerk1')).filter((s) => s.username === 'clerk1');
    const id = Math.max(...mine.map((s) => s.id));
    ok(await secA.del(`/api/v1/sessions/${id}`));
    await refusedWithin(() => onB.get('/api/v1/auth/me'), 401, 'revoked through A, read through B');
});

/** Poll until the answer has `status`, at most 1.5 s (DV_CHECK_SECONDS is 1 s). */
async function refusedWithin(fn, status, what) {
    const t0 = Date.now();
    for (;;) {
        const r = await fn();
        if (r.status === status) return Date.now() - t0;
        if (Date.now() - t0 > 1500) assert.fail(`${what}: ${r.status} ${Date.now() - t0} ms later, expected ${status}`);
        await new Promise((res) => setTimeout(res, 50));
    }
}

test('a permission revoked, a user locked, a password changed, a role changed, a logout on A: B refuses within 1.5 s', { skip: NEEDS_PG_SKIP }, async () => {
    const secA = await A.login('secadmin');
    const adminA = await A.login('sysadmin');
    const units = (await listAll(adminA, '/api/v1/units')).find((u) => u.name.includes('司法局'));
    const member = async (perms) => {
        const role = ok(await secA.post('/api/v1/roles', { code: uniq('msr').toLowerCase().replace(/[^a-z0-9_]/g, '_'), name: '跨服务器', scope: 'all', permissions: perms }), 201);
        const { user } = ok(await adminA.post('/api/v1/users', { username: uniq('msu').toLowerCase(), display_name: '跨服务器', unit_id: units.id, password: 'Multi#Pass2026x' }), 201);
        ok(await secA.put(`/api/v1/users/${user.id}/role`, { role: role.code, version: user.version }));
        const c = B.client();
        ok(await c.login(user.username, 'Multi#Pass2026x'));
        ok(await c.post('/api/v1/auth/password', { old_password: 'Multi#Pass2026x', new_password: 'Multi#Pass2026y' }));
        ok(await c.get('/api/v1/units'), 200, 'cached on B');
        return { c, role, user };
    };
    const taken = [];
    // a permission revoked through A
    const p = await member(['unit.read', 'person.read']);
    ok(await secA.put(`/api/v1/roles/${p.role.id}`, { name: 'x', name_en: 'x', scope: 'all', permissions: ['person.read'], version: p.role.version }));
    taken.push(await refusedWithin(() => p.c.get('/api/v1/units'), 403, 'permission revoked'));
    ok(await p.c.get('/api/v1/people'));
    // a user locked through A
    const l = await member(['unit.read']);
    ok(await adminA.post(`/api/v1/users/${l.user.id}/lock`, { version: ok(await adminA.get(`/api/v1/users/${l.user.id}`)).version }));
    taken.push(await refusedWithin(() => l.c.get('/api/v1/auth/me'), 401, 'user locked'));
    // another role given through A
    const r = await member(['unit.read']);
    const other = ok(await secA.post('/api/v1/roles', { code: uniq('msr').toLowerCase().replace(/[^a-z0-9_]/g, '_'), name: '另一', scope: 'all', permissions: ['person.read'] }), 201);
    ok(await secA.put(`/api/v1/users/${r.user.id}/role`, { role: other.code, version: ok(await adminA.get(`/api/v1/users/${r.user.id}`)).version }));
    taken.push(await refusedWithin(() => r.c.get('/api/v1/units'), 403, 'role changed'));
    // the password changed in a browser on A: the session on B ends
    const w = await member(['unit.read']);
    const onA = A.client();
    ok(await onA.login(w.user.username, 'Multi#Pass2026y'));
    ok(await onA.post('/api/v1/auth/password', { old_password: 'Multi#Pass2026y', new_password: 'Multi#Pass2026z' }));
    taken.push(await refusedWithin(() => w.c.get('/api/v1/auth/me'), 401, 'password changed'));
    // a logout through A of the session B has cached
    const o = await member(['unit.read']);
    ok(await sameSession(A, o.c).post('/api/v1/auth/logout'));
    taken.push(await refusedWithin(() => o.c.get('/api/v1/auth/me'), 401, 'logout'));
    // `fazhi user lock` on the machine of A
    const k = await member(['unit.read']);
    const cli = await fazhi(['user', 'lock', k.user.username, '--data-dir', dirA, '--db', url]);
    assert.equal(cli.code, 0, cli.stderr);
    taken.push(await refusedWithin(() => k.c.get('/api/v1/auth/me'), 401, 'fazhi user lock'));
    console.log(`# B honoured the changes after ${taken.join(', ')} ms`);
});

test('a write through one server is read through the other at once (units, people, settings cache)', { skip: NEEDS_PG_SKIP }, async () => {
    const a = await A.login('office');
    const b = await B.login('office');
    const created = ok(await a.post('/api/v1/units', { code: uniq('ms'), name: '甲服务器写入', kind: 'other' }), 201);
    const readB = ok(await b.get(`/api/v1/units/${created.id}`));
    assert.deepEqual(readB, created);
    const upd = ok(await b.put(`/api/v1/units/${created.id}`, { ...created, name: '乙服务器修改', version: created.version }));
    assert.equal(ok(await a.get(`/api/v1/units/${created.id}`)).name, '乙服务器修改');
    // the stale version written through A is refused: B's change is not overwritten
    assertError(await a.put(`/api/v1/units/${created.id}`, { ...created, name: '覆盖', version: created.version }), 409, 'stale_version');
    assert.equal(ok(await b.get(`/api/v1/units/${created.id}`)).version, upd.version);
    // a person with a phone: sealed by A, revealed by B (shared secret.key)
    const p = ok(await a.post('/api/v1/people', { unit_id: created.id, name: '王五', phone: '13612345678' }), 201);
    assert.deepEqual(ok(await b.get(`/api/v1/people/${p.id}/phone`)), { phone: '13612345678' });
});

test('daily jobs run once across both schedulers and `fazhi jobs run --force` from both data dirs', { skip: NEEDS_PG_SKIP }, async () => {
    const day = await waitFor(async () => {
        const r = await q("SELECT run_key FROM job_runs WHERE finished_at IS NOT NULL GROUP BY run_key HAVING COUNT(*) >= 2;");
        return r || null;
    }, { timeout: 20000, what: 'the schedulers to run the daily jobs' });
    const jobs = (await q(`SELECT job FROM job_runs WHERE run_key = '${day}' ORDER BY job;`)).split('\n');
    assert.deepEqual(jobs, ['calendar_missing', 'clocks', 'consult_close', 'files_purge', 'finding_escalate', 'login_log_purge', 'reminders']);
    const runsOf = async () => Object.fromEntries((await q(
        "SELECT object_id, COUNT(*) FROM audit_log WHERE action = 'job.run' GROUP BY object_id ORDER BY object_id;"))
        .split('\n').map((l) => l.split('|')).map(([k, v]) => [k, Number(v)]));
    assert.deepEqual(await runsOf(), { calendar_missing: 1, clocks: 1, consult_close: 1, files_purge: 1, finding_escalate: 1, login_log_purge: 1, reminders: 1 }, 'one job.run record per job');
    const schedLines = (A.stderr + B.stderr).split('\n').filter((l) => /job reminders/.test(l));
    assert.ok(schedLines.length <= 1, `one scheduler ran reminders:\n${schedLines.join('\n')}`);

    // cron on both machines, twice each, at the same moment: already ran today
    const cli = () => Promise.all([dirA, dirB, dirA, dirB].map((d) => fazhi(['jobs', 'run', '--data-dir', d, '--db', url, '--force'])));
    for (const r of await cli()) {
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout, /^reminders \S+: already ran today$/m);
        assert.match(r.stdout, /^files_purge \S+: already ran today$/m);
        assert.match(r.stdout, /^clocks \S+: already ran today$/m);
        assert.match(r.stdout, /^login_log_purge \S+: already ran today$/m);
    }
    // a new day (today's claims removed): four concurrent `jobs run --force` and two schedulers,
    // exactly one runs each job
    await q('DELETE FROM job_runs;');
    const outs = await cli();
    for (const r of outs) assert.equal(r.code, 0, r.stderr);
    await waitFor(async () => (await q('SELECT COUNT(*) FROM job_runs WHERE finished_at IS NOT NULL;')) === String(jobs.length),
        { what: 'every job finished' });
    assert.deepEqual(await runsOf(), { calendar_missing: 2, clocks: 2, consult_close: 2, files_purge: 2, finding_escalate: 2, login_log_purge: 2, reminders: 2 }, 'each job ran exactly once more');
    const ranByCli = outs.filter((r) => /^reminders \S+: tasks=/m.test(r.stdout)).length;
    assert.ok(ranByCli <= 1, `at most one CLI run did the reminders: ${outs.map((r) => r.stdout).join('\n')}`);
    assert.equal(await q("SELECT COUNT(*) FROM job_runs WHERE result LIKE 'failed%';"), '0');
});

test('2 × 32 concurrent clients updating the same tasks lose no update; stale versions answer 409; one audit chain', { skip: NEEDS_PG_SKIP }, async (t) => {
    // a few sessions per server (Argon2id sign-ins are deliberately slow), shared by the clients
    const sessions = [];
    for (const srv of [A, B]) for (let i = 0; i < 4; i++) sessions.push(await srv.login('office'));
    const office = sessions[0];
    const live = (await listAll(office, '/api/v1/tasks?status=in_progress')).slice(0, 3);
    const draft = (await listAll(office, '/api/v1/tasks?status=draft'))[0];
    assert.equal(live.length, 3, 'demo has in-progress tasks');
    assert.ok(draft, 'demo has a draft task');
    const targets = [...live.map((t) => t.id), draft.id];
    const v0 = {};
    for (const id of targets) v0[id] = ok(await office.get(`/api/v1/tasks/${id}`)).version;
    const seq0 = Number(await q('SELECT MAX(seq) FROM audit_log;'));

    const wins = Object.fromEntries(targets.map((id) => [id, 0]));
    let stale = 0;
    const bad = [];
    const client = async (srv, k) => {
        const s = sessions[(srv === A ? 0 : 4) + (k % 4)];
        const c = sameSession(srv, s);
        const id = targets[k % targets.length];
        for (let round = 0; round < ROUNDS; round++) {
            const g = await c.get(`/api/v1/tasks/${id}`);
            if (g.status !== 200) { bad.push(`GET ${g.status} ${g.text.slice(0, 200)}`); continue; }
            const t = g.json;
            let r;
            if (t.status === 'draft') {
                r = await c.put(`/api/v1/tasks/${id}`, {
                    title: t.title, content: `${srv.port}-${k}-${round}`, category: t.category, tags: t.tags,
                    lead_unit_id: t.lead_unit_id, co_unit_ids: t.co_units ? t.co_units.map((u) => u.unit_id ?? u.id) : undefined,
                    responsible: t.responsible, start_on: t.start_on, due_on: t.due_on, rhythm: t.rhythm,
                    priority: t.priority, version: t.version,
                });
            } else {
                r = await c.post(`/api/v1/tasks/${id}/actions/${t.supervised ? 'unsupervise' : 'supervise'}`,
                    { version: t.version, note: `并发 ${k}` });
            }
            if (r.status >= 200 && r.status < 300) wins[id] += 1;
            else if (r.status === 409 && r.json?.error?.code === 'stale_version') stale += 1;
            else bad.push(`${t.status === 'draft' ? 'PUT' : 'POST'} ${id} → ${r.status} ${r.text.slice(0, 300)}`);
        }
    };
    const all = [];
    for (let k = 0; k < CLIENTS; k++) all.push(client(A, k), client(B, k));
    await Promise.all(all);
    assert.deepEqual(bad, [], 'only 2xx and 409 stale_version');
    const total = Object.values(wins).reduce((a, b) => a + b, 0);
    t.diagnostic(`accepted ${total} (${JSON.stringify(wins)}), stale 409 ${stale}`);
    assert.ok(stale > 0, 'the clients did collide');
    for (const id of targets) {
        const row = ok(await office.get(`/api/v1/tasks/${id}`));
        assert.equal(row.version, v0[id] + wins[id], `task ${id}: version = start + accepted updates`);
        assert.ok(wins[id] > 0, `task ${id} was updated`);
    }
    // every accepted update left exactly one audit record; the chain is one, valid
    const added = Number(await q(`SELECT COUNT(*) FROM audit_log WHERE seq > ${seq0};`));
    const taskRecs = Number(await q(`SELECT COUNT(*) FROM audit_log WHERE seq > ${seq0} AND object_type = 'task';`));
    assert.equal(taskRecs, total, 'one task audit record per accepted update');
    assert.equal(added, total, 'no other record: reads of tasks are not audited, refused 409s leave none');
    assert.equal(await q(`SELECT COUNT(*) FROM (SELECT seq FROM audit_log WHERE seq > ${seq0}) x;`),
        await q(`SELECT MAX(seq) - ${seq0} FROM audit_log;`), 'no gap in the sequence');
    const v = await fazhi(['audit', 'verify', '--data-dir', dirA, '--db', url]);
    assert.equal(v.code, 0, `audit verify: ${v.stdout}${v.stderr}`);
    const records = Number(await q('SELECT COUNT(*) FROM audit_log;'));
    assert.match(v.stdout, new RegExp(`intact: ${records} records`));
    const head = await q('SELECT seq FROM audit_head;');
    assert.equal(Number(head), records, 'audit_head names the last record');
});
