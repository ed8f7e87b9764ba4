// When PostgreSQL goes away and comes back (docs/scaling.md "When the database goes away"): two
// `fazhi serve` on one database under concurrent writers; PostgreSQL stopped the way a crash stops
// it (`-m immediate`) and started again, then restarted in one step (`pg_ctl restart -m
// immediate`, what a Patroni failover looks like to the application). While it is away every
// answer is 503 with Retry-After — never 500 — and /readyz answers 503; within 5 s of PostgreSQL
// accepting connections again writes succeed on every server and /readyz answers 200; no
// acknowledged write is lost, no write answered `unavailable` happened, the audit chain is
// intact, and both schedulers work again. Then multi-host connection strings: a dead host or a
// read-only server named first, the live primary second, `target_session_attrs=read-write`.
// It stops and restarts PostgreSQL, so it runs on a private server of its own (ownPg), in the
// api-pg suite or alone (`node --test tests/api/pgrestart.test.mjs`).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import {
    fazhi, startServer, makeDataDir, removeDataDir, ok, uniq, psql, pgCreateDb, ownPg, waitFor,
    NEEDS_PG_SKIP, DEMO_PASSWORD,
} from './lib.mjs';
import {
    RECOVERY_MS, sleep, startWriters, startReadyProbes, recoveryTimes, burst, checkOutcome,
} from './outage-lib.mjs';

const WRITERS = 4; // concurrent unit creations per server

let pg, url, dbName, dirA, dirB, A, B;
const q = async (sql) => (await psql(url, sql)).trim();

before(async () => {
    if (NEEDS_PG_SKIP) return;
    pg = await ownPg();
    url = await pgCreateDb(pg.dir, 'restart');
    dbName = new URL(url).pathname.slice(1);
    dirA = await makeDataDir();
    dirB = await makeDataDir();
    const d = await fazhi(['demo', '--data-dir', dirA, '--db', url, '--password', DEMO_PASSWORD], { timeout: 180000 });
    assert.equal(d.code, 0, d.stderr);
    await copyFile(join(dirA, 'secret.key'), join(dirB, 'secret.key'));
    // both schedulers run today's daily jobs at start, and again whenever job_runs is emptied
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
    await pg?.stop();
    for (const r of rs) if (r) assert.deepEqual(r, { code: 0, signal: null }, 'both servers exit 0');
});

test('PostgreSQL stopped (immediate) and restarted under concurrent writers: 503 while away, writes on every server within 5 s, nothing acknowledged lost', { skip: NEEDS_PG_SKIP, timeout: 600000 }, async (t) => {
    const sessions = [[A, await A.login('office')], [B, await B.login('office')]];
    const w = startWriters(sessions, WRITERS);
    const probes = startReadyProbes([A, B]);
    const times = (t0) => recoveryTimes(w.results, [A, B], t0);
    const timings = {};
    let tRestart = Infinity;
    try {
        await waitFor(() => w.results.filter((r) => r.status === 201).length >= 20, { timeout: 60000, what: 'writes before the outage' });

        // ---- round 1: a crash (immediate stop), an outage, a start ----
        const tDown = Date.now();
        await pg.run('stop', 'immediate');
        for (const srv of [A, B]) {
            await waitFor(() => probes.seen.some((p) => p.srv === srv.port && p.t > tDown && p.status === 503),
                { timeout: 30000, what: `/readyz 503 on ${srv.port} while PostgreSQL is down` });
            await waitFor(() => w.results.some((r) => r.srv === srv.port && r.t0 > tDown && r.status === 503),
                { timeout: 30000, what: `a write answered 503 on ${srv.port} while PostgreSQL is down` });
        }
        await sleep(1000); // a real outage: every worker thread meets the dead database
        // the process itself is fine: liveness and metrics answer on every thread, lost connection or none
        for (const srv of [A, B]) {
            const hs = await Promise.all(Array.from({ length: 16 }, () => fetch(`${srv.base}/healthz`).then((r) => r.status)));
            assert.deepEqual(hs, Array(16).fill(200), `/healthz on ${srv.port} while PostgreSQL is down`);
            assert.equal((await fetch(`${srv.base}/metrics`)).status, 200);
        }
        await pg.run('start');
        const tUp1 = Date.now(); // pg_ctl -w has seen the server accept connections
        for (const srv of [A, B]) {
            await waitFor(() => probes.seen.some((p) => p.srv === srv.port && p.t > tUp1 && p.status === 200),
                { timeout: 60000, what: `/readyz 200 on ${srv.port} after the start` });
        }
        await waitFor(() => Object.values(times(tUp1)).every((v) => v !== Infinity),
            { timeout: 60000, what: 'a write on every server after the start' });
        timings.start = times(tUp1);
        timings.readyzAfterStart = Object.fromEntries([A, B].map((s) => [s.port,
            probes.seen.find((p) => p.srv === s.port && p.t > tUp1 && p.status === 200).t - tUp1]));
        await sleep(Math.max(0, tUp1 + RECOVERY_MS + 1000 - Date.now()));

        // ---- round 2: crash and recovery in one step ----
        tRestart = Date.now();
        await pg.run('restart');
        const tUp2 = Date.now();
        timings.restartCommandMs = tUp2 - tRestart;
        await waitFor(() => Object.values(times(tUp2)).every((v) => v !== Infinity),
            { timeout: 60000, what: 'a write on every server after the restart' });
        timings.restart = times(tUp2);
        await sleep(Math.max(0, tUp2 + RECOVERY_MS + 1000 - Date.now()));
        await w.stop();
        await probes.stop();

        for (const [from, until, name] of [[tUp1, tRestart, 'start'], [tUp2, Infinity, 'restart']]) {
            const late = w.results.filter((r) => r.t0 >= from + RECOVERY_MS && r.t1 < until && r.status !== 201);
            assert.deepEqual(late, [], `every write sent from 5 s after the ${name} on succeeds`);
        }
        for (const round of ['start', 'restart'])
            for (const [port, ms] of Object.entries(timings[round]))
                assert.ok(ms < RECOVERY_MS, `${round}: server ${port} wrote again ${ms} ms after PostgreSQL accepted connections`);
        const late = probes.seen.filter((p) => p.t >= tUp2 + RECOVERY_MS && p.status !== 200);
        assert.deepEqual(late, [], '/readyz answers 200 once the database is back');
        const rs = await burst(sessions);
        assert.deepEqual(rs.filter((r) => r.status !== 201), [], 'a burst on every worker thread succeeds');

        const counts = await checkOutcome(assert, q, w.results, rs);
        const v = await fazhi(['audit', 'verify', '--data-dir', dirA, '--db', url]);
        assert.equal(v.code, 0, `audit verify: ${v.stdout}${v.stderr}`);
        assert.match(v.stdout, /intact/);
        for (const srv of [A, B]) {
            const m = await (await fetch(`${srv.base}/metrics`)).text();
            assert.match(m, /^fazhi_db_reconnects_total [1-9]/m, `server ${srv.port} counted its reconnections`);
        }
        t.diagnostic(`writes ${JSON.stringify(counts)}; ms after PostgreSQL accepted connections until the `
            + `first acknowledged write (and /readyz 200): ${JSON.stringify(timings)}`);
    } finally {
        await w.stop();
        await probes.stop();
        await pg.run('start').catch(() => {}); // a failed assertion must not leave the next tests without a database
    }
});

test('both schedulers work again after the restart (daily jobs, each server in turn)', { skip: NEEDS_PG_SKIP, timeout: 300000 }, async () => {
    const pidOf = { [A.proc.pid]: A, [B.proc.pid]: B };
    const seen = new Set();
    for (let round = 0; round < 2; round++) {
        await q('DELETE FROM job_runs;');
        const holder = await waitFor(async () => {
            const h = await q("SELECT holder FROM job_runs WHERE finished_at IS NOT NULL LIMIT 1;");
            return h || null;
        }, { timeout: 120000, interval: 200, what: 'a scheduler to run the daily jobs' });
        const pid = holder.split(':').pop();
        assert.ok(pidOf[pid], `holder ${holder} is one of the servers`);
        assert.equal(await q("SELECT COUNT(*) FROM job_runs WHERE result LIKE 'failed%';"), '0');
        seen.add(pid);
        // stop the one that ran them: the other scheduler must take the next run
        if (round === 0) {
            const r = await pidOf[pid].stop();
            assert.deepEqual(r, { code: 0, signal: null });
        }
    }
    assert.equal(seen.size, 2, 'each scheduler ran the daily jobs once after the restart');
});

function deadPort() {
    return new Promise((res, rej) => {
        const s = createServer();
        s.on('error', rej);
        s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => res(port)); });
    });
}

test('multi-host connection strings: a dead host or a read-only server first, the primary second (target_session_attrs=read-write)', { skip: NEEDS_PG_SKIP, timeout: 300000 }, async () => {
    const live = new URL(url).port;
    const dead = await deadPort();
    // a server that accepts connections but only reads, like a streaming replica: same database name, no schema
    const ro = await ownPg();
    try {
        const su = `${ro.base.replace('fazhi@', 'postgres@')}/postgres`;
        await psql(su, `CREATE DATABASE "${dbName}" OWNER fazhi;`);
        await psql(su, 'ALTER SYSTEM SET default_transaction_read_only = on;');
        await psql(su, 'SELECT pg_reload_conf();');
        const roPort = new URL(ro.base).port;
        const kv = (ports, attrs = ' target_session_attrs=read-write') =>
            `host=${ports.map(() => '127.0.0.1').join(',')} port=${ports.join(',')} dbname=${dbName} user=fazhi${attrs}`;
        const uri = (ports, attrs = '?target_session_attrs=read-write') =>
            `postgres://fazhi@${ports.map((p) => `127.0.0.1:${p}`).join(',')}/${dbName}${attrs}`;

        // the command line takes both forms
        for (const db of [kv([dead, live]), uri([dead, live]), kv([roPort, live]), uri([roPort, live])]) {
            const v = await fazhi(['audit', 'verify', '--data-dir', dirA, '--db', db]);
            assert.equal(v.code, 0, `audit verify --db '${db}': ${v.stdout}${v.stderr}`);
            assert.match(v.stdout, /intact/);
        }
        // without target_session_attrs the read-only server is taken, and it has no schema
        const wrong = await fazhi(['audit', 'verify', '--data-dir', dirA, '--db', kv([roPort, live], '')]);
        assert.notEqual(wrong.code, 0, 'the read-only server named first is used when nothing says read-write');

        // a server on a key=value string with the dead host first serves reads and writes
        const dirC = await makeDataDir();
        await copyFile(join(dirA, 'secret.key'), join(dirC, 'secret.key'));
        const C = await startServer({ demo: false, dataDir: dirC, db: kv([dead, roPort, live]) });
        try {
            assert.equal((await fetch(`${C.base}/readyz`)).status, 200);
            const c = await C.login('office');
            const code = uniq('mh');
            ok(await c.post('/api/v1/units', { code, name: `多主机 ${code}`, kind: 'other' }), 201);
            assert.equal(await q(`SELECT COUNT(*) FROM units WHERE code = '${code}';`), '1', 'written to the primary');
        } finally {
            await C.stop();
            await removeDataDir(dirC);
        }
    } finally {
        await ro.stop();
    }
});
