// The daily reminder job on generated district data (4,000 tasks, 400 accounts): what a person
// receives stays readable (the office gets its digest, not a row per overdue task; one digest
// per account and kind; a clerk a handful), the job writes in many short transactions, and
// sign-in and /healthz answer at once while it runs beside a live server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_PASSWORD, fazhi, makeDataDir, startServer, sqlite } from './lib.mjs';

let srv, dir;
before(async () => {
    dir = await makeDataDir();
    const g = await fazhi(['demo', '--scale', 'district', '--sample', '0', '--data-dir', dir, '--password', DEMO_PASSWORD],
        { timeout: 300000 });
    assert.equal(g.code, 0, g.stderr);
    // The server's scheduler must not run the job itself (the CLI below does, as cron would):
    // hour 24 is never reached (23 was, from 23:00 Beijing time on).
    await sqlite(`${dir}/fazhi.db`, "UPDATE settings SET value = '24' WHERE key = 'jobs.daily_hour';");
    srv = await startServer({ demo: false, dataDir: dir });
});
after(async () => { await srv?.stopAndCheck(); });

const q = async (sql) => (await sqlite(srv.db, sql)).trim();

test('district data: readable reminders in short batches; sign-in answers while the job runs', async () => {
    const job = fazhi(['jobs', 'run', '--force', '--job', 'reminders', '--data-dir', dir], { timeout: 300000 });
    let done = false;
    job.then(() => { done = true; });
    const slow = [];
    let rounds = 0;
    do {
        const t0 = Date.now();
        const h = await fetch(`${srv.base}/healthz`);
        const c = srv.client();
        const r = await c.login('clerk1', DEMO_PASSWORD);
        const ms = Date.now() - t0;
        rounds += 1;
        if (h.status !== 200 || r.status !== 200 || ms > 2000) slow.push(`${h.status} ${r.status} ${ms} ms`);
    } while (!done);
    const out = await job;
    assert.equal(out.code, 0, out.stderr);
    assert.deepEqual(slow, [], `sign-ins during the job (${rounds} rounds)`);
    const m = out.stdout.match(/^reminders \S+: (.*) batches=(\d+) max_batch_ms=([\d.]+)$/m);
    assert.ok(m, out.stdout);
    assert.ok(Number(m[2]) >= 5, `several transactions: ${m[0]}`);
    assert.ok(Number(m[3]) < 1000, `no batch holds the write lock for long: ${m[0]}`);

    // per task only to the accounts of the unit that must act (the lead unit, the urged unit):
    // the office (task.manage) hears of other units' tasks through its digest alone
    assert.equal(await q(`SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id
        JOIN tasks t ON t.id = n.task_id
        WHERE (n.kind IN ('due_soon', 'overdue', 'report_due') AND u.unit_id <> t.lead_unit_id)
        OR (n.kind = 'urging_overdue' AND u.unit_id NOT IN
            (SELECT g.unit_id FROM task_urgings g WHERE g.task_id = n.task_id));`), '0');
    assert.equal(await q(`SELECT COUNT(*) FROM notifications WHERE kind = 'digest_office';`),
        await q(`SELECT COUNT(DISTINCT u.id) FROM users u JOIN role_permissions rp ON rp.role_id = u.role_id
            AND rp.permission = 'task.manage' WHERE u.locked = 0;`));
    // one digest per account and kind
    assert.equal(await q(`SELECT COUNT(*) FROM (SELECT user_id, kind FROM notifications WHERE kind LIKE 'digest%'
        GROUP BY user_id, kind HAVING COUNT(*) > 1) x;`), '0');
    // what one person reads in a day stays readable
    const most = Number(await q('SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM notifications GROUP BY user_id) x;'));
    assert.ok(most <= 60, `at most 60 notifications for one account, got ${most}`);
    // a second run the same day raises nothing
    await q('DELETE FROM job_runs;');
    const again = await fazhi(['jobs', 'run', '--force', '--job', 'reminders', '--data-dir', dir], { timeout: 300000 });
    assert.match(again.stdout, /due_soon=0 overdue=0 report_due=0 urging_overdue=0 digest_unit=0 digest_office=0 /);
});
