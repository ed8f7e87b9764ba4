// Browser test of the daily digest: after the reminder job, clerk1 opens 消息, clicks the unit
// digest and lands on 我的任务 filtered by the light it names, listing exactly the tasks it counts;
// the office's digest opens the district list the same way. Drives Debian's chromium with
// playwright-core (same launch as ui.test.mjs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, fazhi, listAll, waitFor } from '../api/lib.mjs';
import { launchBrowser, newPage, signIn } from './lib.mjs';

let srv, browser;
before(async () => {
    srv = await startServer();
    // the server's own scheduler runs the job too once jobs.daily_hour has passed: either way
    // today's digests exist afterwards, exactly once
    const r = await fazhi(['jobs', 'run', '--force', '--job', 'reminders', '--data-dir', srv.dir]);
    assert.equal(r.code, 0, r.stderr);
    browser = await launchBrowser();
});
after(async () => {
    await browser?.close();
    await srv?.stopAndCheck();
});

async function digestOf(username, kind) {
    const c = await srv.login(username);
    const d = await waitFor(async () => (await listAll(c, '/api/v1/notifications')).find((n) => n.kind === kind),
        { what: `${username}'s ${kind}` });
    return { c, d };
}

async function openDigest(username, digest) {
    const { ctx, page, problems } = await newPage(browser, { consoleErrors: false });
    await signIn(page, srv.base, username);
    await page.goto(`${srv.base}/notifications`);
    const list = page.waitForResponse((r) => /\/api\/v1\/tasks\?/.test(r.url()) && r.status() === 200);
    await page.getByRole('link', { name: digest.title }).click();
    await page.waitForURL((x) => `${x.pathname}${x.search}` === digest.link);
    const answer = await (await list).json();
    await page.locator('.data-table .el-table__row').first().waitFor();
    const rows = await page.locator('.data-table .el-table__row').count();
    const lights = await page.locator('.data-table .el-table__row .light').evaluateAll(
        (els) => els.map((e) => [...e.classList].find((c) => c.startsWith('light-'))));
    await ctx.close();
    assert.deepEqual(problems, []);
    return { answer, rows, lights };
}

test('a unit digest opens 我的任务 filtered by its light, listing the tasks it counts', async () => {
    const { c, d } = await digestOf('clerk1', 'digest_unit');
    assert.match(d.title, /^【每日提醒】你单位有 \d+ 项任务/);
    const light = new URLSearchParams(d.link.split('?')[1]).get('light');
    const counted = Number(d.body.match(light === 'red' ? /红灯 (\d+) 项/ : /黄灯 (\d+) 项/)[1]);
    const { answer, rows, lights } = await openDigest('clerk1', d);
    assert.equal(answer.total, counted, 'the list holds what the digest counted');
    assert.equal(rows, Math.min(counted, 20));
    assert.ok(lights.every((l) => l === `light-${light}`), lights.join(' '));
    assert.equal((await listAll(c, `/api/v1/tasks?mine=1&light=${light}`)).length, counted);
});

test('the office digest opens the district list filtered the same way', async () => {
    const { d } = await digestOf('office', 'digest_office');
    assert.equal(d.link, '/tasks?light=red');
    const counted = Number(d.body.match(/红灯 (\d+) 项/)[1]);
    const { answer, lights } = await openDigest('office', d);
    assert.equal(answer.total, counted);
    assert.ok(lights.every((l) => l === 'light-red'), lights.join(' '));
});
