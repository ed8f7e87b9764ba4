// Failover to a promoted replica (docs/scaling.md "When the database goes away"): a primary and a
// synchronous streaming replica (scripts/pg-server standby), two `fazhi serve` naming both hosts —
// one with a libpq key=value string, one with a URI — and `target_session_attrs=read-write`.
// Under concurrent writers the primary is killed (`-m immediate`) and the replica promoted, as
// Patroni does: while no primary exists every answer is 503 (never 500) and /readyz 503; within
// 5 s of the promotion both servers write to the new primary; every acknowledged write is there
// (synchronous replication), no write answered `unavailable` is, the audit chain is intact.
// Runs on private servers of its own, in the api-pg suite or alone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
    fazhi, startServer, makeDataDir, removeDataDir, psql, pgCreateDb, ownPg, waitFor, NEEDS_PG_SKIP,
    DEMO_PASSWORD,
} from './lib.mjs';
import {
    RECOVERY_MS, sleep, startWriters, startReadyProbes, recoveryTimes, burst, checkOutcome,
} from './outage-lib.mjs';

let primary, replica, dbName, kv, uri, dirA, dirB, A, B;
const su = (pg) => `${pg.base.replace('fazhi@', 'postgres@')}/postgres`;
const portOf = (pg) => new URL(pg.base).port;

before(async () => {
    if (NEEDS_PG_SKIP) return;
    primary = await ownPg();
    const url = await pgCreateDb(primary.dir, 'failover');
    dbName = new URL(url).pathname.slice(1);
    dirA = await makeDataDir();
    dirB = await makeDataDir();
    const d = await fazhi(['demo', '--data-dir', dirA, '--db', url, '--password', DEMO_PASSWORD], { timeout: 180000 });
    assert.equal(d.code, 0, d.stderr);
    await copyFile(join(dirA, 'secret.key'), join(dirB, 'secret.key'));
    replica = await ownPg({ standbyOf: primary.dir });
    await waitFor(async () => (await psql(su(primary), 'SELECT state FROM pg_stat_replication;')).trim() === 'streaming',
        { timeout: 60000, interval: 200, what: 'the replica to stream' });
    // an acknowledged commit is on the replica too: what Patroni's synchronous_mode gives
    await psql(su(primary), "ALTER SYSTEM SET synchronous_standby_names = '*';");
    await psql(su(primary), 'SELECT pg_reload_conf();');
    await waitFor(async () => (await psql(su(primary), 'SELECT sync_state FROM pg_stat_replication;')).trim() === 'sync',
        { timeout: 60000, interval: 200, what: 'synchronous replication' });
    const hosts = [portOf(primary), portOf(replica)];
    kv = `host=127.0.0.1,127.0.0.1 port=${hosts.join(',')} dbname=${dbName} user=fazhi target_session_attrs=read-write`;
    uri = `postgres://fazhi@${hosts.map((p) => `127.0.0.1:${p}`).join(',')}/${dbName}?target_session_attrs=read-write`;
    [A, B] = await Promise.all([
        startServer({ demo: false, dataDir: dirA, db: kv }),
        startServer({ demo: false, dataDir: dirB, db: uri }),
    ]);
});

after(async () => {
    if (NEEDS_PG_SKIP) return;
    const rs = await Promise.all([A?.stop(), B?.stop()]);
    await removeDataDir(dirA);
    await removeDataDir(dirB);
    await replica?.stop();
    await primary?.stop();
    for (const r of rs) if (r) assert.deepEqual(r, { code: 0, signal: null }, 'both servers exit 0');
});

test('primary killed, replica promoted under concurrent writers: 503 meanwhile, writes on both servers within 5 s of the promotion, nothing acknowledged lost', { skip: NEEDS_PG_SKIP, timeout: 600000 }, async (t) => {
    const sessions = [[A, await A.login('office')], [B, await B.login('office')]];
    const w = startWriters(sessions);
    const probes = startReadyProbes([A, B]);
    try {
        await waitFor(() => w.results.filter((r) => r.status === 201).length >= 20, { timeout: 60000, what: 'writes before the failover' });
        const tDown = Date.now();
        await primary.run('stop', 'immediate');
        for (const srv of [A, B]) {
            await waitFor(() => probes.seen.some((p) => p.srv === srv.port && p.t > tDown && p.status === 503),
                { timeout: 30000, what: `/readyz 503 on ${srv.port} without a primary` });
            await waitFor(() => w.results.some((r) => r.srv === srv.port && r.t0 > tDown && r.status === 503),
                { timeout: 30000, what: `a write answered 503 on ${srv.port} without a primary` });
        }
        await sleep(1000); // the replica answers, but read-only: target_session_attrs passes it over
        await replica.run('promote');
        const tUp = Date.now(); // pg_ctl promote -w: the replica accepts writes
        await waitFor(() => Object.values(recoveryTimes(w.results, [A, B], tUp)).every((v) => v !== Infinity),
            { timeout: 60000, what: 'a write on every server after the promotion' });
        const timings = recoveryTimes(w.results, [A, B], tUp);
        await sleep(Math.max(0, tUp + RECOVERY_MS + 1000 - Date.now()));
        await w.stop();
        await probes.stop();

        for (const [port, ms] of Object.entries(timings))
            assert.ok(ms < RECOVERY_MS, `server ${port} wrote again ${ms} ms after the promotion`);
        assert.deepEqual(w.results.filter((r) => r.t0 >= tUp + RECOVERY_MS && r.status !== 201), [],
            'every write sent from 5 s after the promotion on succeeds');
        assert.deepEqual(probes.seen.filter((p) => p.t >= tUp + RECOVERY_MS && p.status !== 200), [],
            '/readyz answers 200 on the new primary');
        const rs = await burst(sessions);
        assert.deepEqual(rs.filter((r) => r.status !== 201), [], 'a burst on every worker thread succeeds');

        const newPrimary = `${replica.base}/${dbName}`;
        const counts = await checkOutcome(assert, async (sql) => (await psql(newPrimary, sql)).trim(), w.results, rs);
        const v = await fazhi(['audit', 'verify', '--data-dir', dirA, '--db', kv]);
        assert.equal(v.code, 0, `audit verify on the new primary: ${v.stdout}${v.stderr}`);
        assert.match(v.stdout, /intact/);
        t.diagnostic(`writes ${JSON.stringify(counts)}; ms after the promotion until the first acknowledged write: ${JSON.stringify(timings)}`);
    } finally {
        await w.stop();
        await probes.stop();
    }
});
