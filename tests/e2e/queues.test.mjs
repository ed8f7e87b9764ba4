// Browser test of the queues (待办): the office's home page lists what waits for it with counts
// (待验收 …) and its recent steps (已办); the menu's 我的任务 carries the total as a badge; a queue
// opens 我的任务 filtered by it (?queue=accept, the segmented filter marked); a task whose close
// request came before the deadline is not red although the deadline has passed, and shows the
// office's own delay (验收超期 N 天) in the list and on its page; accepting it lowers the badge.
// Then the clerk of 区司法局 sees its unit's queues and not the office's.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, uniq, ok, sqlite } from '../api/lib.mjs';
import { actors, act, issuedTask, day } from '../api/tasks-lib.mjs';
import { launchBrowser, newPage as openPage, signIn, SHOTS } from './lib.mjs';

let srv, browser, c, u;
before(async () => {
    srv = await startServer();
    ({ c, u } = await actors(srv, ['office', 'clerk1']));
    browser = await launchBrowser();
});
after(async () => {
    await browser?.close();
    await srv?.stopAndCheck();
});

/** Page errors only: these tests do not collect console errors. */
const newPage = () => openPage(browser, { consoleErrors: false });

const queuesOf = async (who) => ok(await c[who].get('/api/v1/tasks/queues'));

test('office: 待办 on the home page, the menu badge, 我的任务 by queue, the light while awaiting acceptance', async () => {
    const title = `待验收浏览器测试 ${uniq('q')}`;
    let t = await issuedTask(c, u.sfj, [], { title, due_on: day(3) }, ['clerk1']);
    t = await act(c.clerk1, t, 'request_close', { note: '已完成', progress: 100 });
    // asked 7 days ago, due 2 days ago: the unit was on time, the office is late
    await sqlite(srv.db, `UPDATE tasks SET due_on = '${day(-2)}', waiting_since = '${day(-7)}' WHERE id = ${t.id};`);
    const before = await queuesOf('office');
    const accept = before.items.find((q) => q.code === 'accept').count;
    assert.ok(accept >= 1 && before.total >= accept);

    const { ctx, page, problems } = await newPage();
    try {
        await signIn(page, srv.base, 'office');
        await page.goto(`${srv.base}/`);
        const todo = page.locator('[data-test="home-todo"]');
        const row = todo.locator('[data-test="home-queue-accept"]');
        await row.filter({ hasText: '待验收' }).waitFor();
        assert.match(await row.innerText(), new RegExp(`待验收\\s*${accept}`));
        await todo.locator('[data-test="home-queue-extension"]').filter({ hasText: '待审批延期' }).waitFor();
        await todo.locator('[data-test="home-queue-urged"]').filter({ hasText: '待回复催办' }).waitFor();
        // 已办: the office's own last steps (it issued the task)
        await page.locator('[data-test="home-done"]').getByText(title).first().waitFor();
        const badge = page.locator('[data-test="menu-badge-my-tasks"]');
        await badge.filter({ hasText: String(before.total > 99 ? '99+' : before.total) }).waitFor();
        await page.screenshot({ path: join(SHOTS, 'home-office-queues.png'), fullPage: true });

        // the queue opens 我的任务 filtered by it
        await row.click();
        await page.waitForURL((x) => x.pathname === '/tasks/mine' && x.searchParams.get('queue') === 'accept');
        await page.locator('[data-test="queue-tabs"] [data-test="queue-accept"].is-active').waitFor();
        const line = page.locator('.el-table__row').filter({ hasText: title });
        await line.waitFor();
        // not red although past the deadline: the unit asked before it; the office's delay shows
        assert.equal(await line.locator('.light-red').count(), 0, 'awaiting acceptance since before the deadline: not red');
        await line.locator('.light-green').waitFor();
        await line.locator('[data-test="task-waiting"]').filter({ hasText: '验收超期7天' }).waitFor();
        assert.equal(await page.locator('.el-table__row').count(), accept, 'the list has the queue\'s count');
        await page.screenshot({ path: join(SHOTS, 'my-tasks-office-accept.png'), fullPage: true });

        // the task page: not 红灯, 验收超期 for the office; accepting lowers the badge
        await line.getByText(title).click();
        await page.getByRole('heading', { name: title }).waitFor();
        await page.locator('[data-test="task-waiting"]').filter({ hasText: '验收超期7天' }).waitFor();
        await page.locator('[data-test="task-accept-late"]').waitFor();
        assert.ok(!(await page.locator('.task-tags').innerText()).includes('红灯'));
        const button = page.locator('[data-test="task-actions"] [data-test="act-accept"]');
        const label = (await button.innerText()).trim();
        await button.click();
        const dlg = page.getByRole('dialog', { name: label });
        await dlg.waitFor();
        const done = page.waitForResponse((r) => r.url().includes('/actions/accept') && r.request().method() === 'POST');
        await dlg.getByRole('button', { name: label, exact: true }).click();
        assert.equal((await done).status(), 200);
        const after = before.total - 1;
        if (after > 0) await badge.filter({ hasText: String(after > 99 ? '99+' : after) }).waitFor();
        else await badge.waitFor({ state: 'detached' });
        assert.deepEqual(problems, []);
    } finally {
        await ctx.close();
    }
});

test('clerk of 区司法局: its unit\'s queues (待签收 …), not the office\'s; finished tasks last in 我的任务', async () => {
    const t = await issuedTask(c, u.sfj, [], { title: `待签收浏览器测试 ${uniq('q')}` });
    const q = await queuesOf('clerk1');
    const sign = q.items.find((x) => x.code === 'sign').count;
    assert.ok(sign >= 1);
    const { ctx, page, problems } = await newPage();
    try {
        await signIn(page, srv.base, 'clerk1');
        await page.goto(`${srv.base}/`);
        const todo = page.locator('[data-test="home-todo"]');
        await todo.locator('[data-test="home-queue-sign"]').filter({ hasText: String(sign) }).waitFor();
        assert.equal(await todo.locator('[data-test="home-queue-accept"]').count(), 0, 'no office queue for a clerk');
        await page.locator('[data-test="menu-badge-my-tasks"]').filter({ hasText: String(q.total > 99 ? '99+' : q.total) }).waitFor();
        await page.screenshot({ path: join(SHOTS, 'home-clerk-queues.png'), fullPage: true });
        await todo.locator('[data-test="home-queue-sign"]').click();
        await page.waitForURL((x) => x.searchParams.get('queue') === 'sign');
        await page.locator('.el-table__row').filter({ hasText: t.title }).waitFor();
        // 全部: finished tasks after the open ones
        await page.locator('[data-test="queue-tabs"] [data-test="queue-all"]').click();
        await page.waitForURL((x) => !x.searchParams.get('queue'));
        await page.locator('.el-table__row').first().waitFor();
        const statuses = await page.locator('.el-table__row').evaluateAll((rows) => rows.map((r) => r.innerText));
        const finished = statuses.map((s) => /已办结|已撤销/.test(s));
        const first = finished.indexOf(true);
        if (first >= 0) assert.ok(finished.slice(first).every(Boolean), 'finished tasks last');
        assert.deepEqual(problems, []);
    } finally {
        await ctx.close();
    }
});
