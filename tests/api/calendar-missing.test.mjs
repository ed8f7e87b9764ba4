// Next year's calendar (issue 10): GET /api/v1/calendar/years says which years have holidays
// loaded (the task form warns of a deadline in another year), and the calendar module's daily
// job `calendar_missing` tells the calendar's administrators once — not every day — that next
// year's holidays are missing, from `calendar.remind_from_month` (November) on.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_PASSWORD, fazhi, makeDataDir, startServer, sqlite, ok } from './lib.mjs';

let srv, dir;
before(async () => {
    dir = await makeDataDir();
    const g = await fazhi(['demo', '--data-dir', dir, '--password', DEMO_PASSWORD]);
    assert.equal(g.code, 0, g.stderr);
    // the server's scheduler must not run the job itself: the CLI below does, as cron would
    await sqlite(`${dir}/fazhi.db`, "UPDATE settings SET value = '24' WHERE key = 'jobs.daily_hour';");
    srv = await startServer({ demo: false, dataDir: dir });
});
after(async () => { await srv?.stopAndCheck(); });

const beijingYear = () => new Date(Date.now() + 8 * 3600e3).getUTCFullYear();
const run = async () => {
    const r = await fazhi(['jobs', 'run', '--force', '--job', 'calendar_missing', '--data-dir', dir]);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout;
};
const missingOf = async (c) => ok(await c.get('/api/v1/notifications?per_page=100')).items.filter((n) => n.kind === 'calendar_missing');

test('calendar years, and the administrators told once that next year is missing', async () => {
    const admin = await srv.login('sysadmin');
    const office = await srv.login('office');
    const next = beijingYear() + 1;
    const years = ok(await office.get('/api/v1/calendar/years')).years;
    assert.ok(Array.isArray(years) && years.includes(2026), `the demo loads 2026: ${years}`);
    assert.ok(!years.includes(next), `${next} is not loaded`);
    // from January on (whatever month the test runs in)
    const s = ok(await admin.get('/api/v1/settings')).items.find((x) => x.key === 'calendar.remind_from_month');
    assert.equal(s.value, 11, 'from November by default');
    ok(await admin.put('/api/v1/settings/calendar.remind_from_month', { value: 1, version: s.version }));
    let out = await run();
    assert.match(out, new RegExp(`^calendar_missing \\S+: missing=${next} told=1`, 'm'));
    let mine = await missingOf(admin);
    assert.equal(mine.length, 1);
    assert.match(mine[0].title, new RegExp(`${next} 年节假日尚未导入`));
    assert.equal(mine[0].link, '/system/calendar');
    assert.equal((await missingOf(office)).length, 0, 'only holders of calendar.manage');
    // the next days: nothing new (once, not daily)
    for (let i = 0; i < 2; i++) {
        await sqlite(srv.db, "DELETE FROM job_runs WHERE job = 'calendar_missing';");
        out = await run();
        assert.match(out, new RegExp(`missing=${next} told=0`));
    }
    assert.equal((await missingOf(admin)).length, 1);
    // imported: the job finds nothing missing, and the years say so
    ok(await admin.post('/api/v1/calendar/import', { year: next, csv: `date,kind,name\n${next}-01-01,holiday,元旦\n` }));
    assert.ok(ok(await office.get('/api/v1/calendar/years')).years.includes(next));
    await sqlite(srv.db, "DELETE FROM job_runs WHERE job = 'calendar_missing';");
    assert.match(await run(), /missing=none told=0/);
});
