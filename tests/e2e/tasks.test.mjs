// Browser test of the 督办 flow: the office issues a task to two units → clerk1 (区司法局, lead)
// signs and reports with an attachment → asks to close → the office returns it → clerk1 reports
// again and asks again → the office accepts; the detail page's timeline shows every step.
// Drives Debian's chromium with playwright-core (same launch as ui.test.mjs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, uniq, ok } from '../api/lib.mjs';
import { actors, createTask, pdfBytes } from '../api/tasks-lib.mjs';
import { launchBrowser, newPage as openPage, signIn, SHOTS } from './lib.mjs';

let srv, browser, c, u;
before(async () => {
    srv = await startServer();
    ({ c, u } = await actors(srv, ['office', 'clerk1', 'clerk2']));
    browser = await launchBrowser();
});
after(async () => {
    await browser?.close();
    await srv?.stopAndCheck();
});

/** Page errors only: these tests do not collect console errors. */
const newPage = () => openPage(browser, { consoleErrors: false });

/** Open the task's detail page and wait for its title. */
async function openTask(page, task) {
    await page.goto(`${srv.base}/tasks/${task.id}`);
    await page.getByRole('heading', { name: task.title }).waitFor();
}

/**
 * Take an action on the open detail page: the action's button (data-test act-<action>; its text is
 * the kind's label), the dialog titled with that label, the note, optionally one file, submit; wait
 * for the server's 200. Answers the label.
 */
async function takeAction(page, action, { note, file, warn } = {}) {
    const button = page.locator(`[data-test="task-actions"] [data-test="act-${action}"]`);
    const label = (await button.innerText()).trim();
    await button.click();
    const dlg = page.getByRole('dialog', { name: label });
    await dlg.waitFor();
    if (warn !== undefined) { // the kind's warning (request_close below 100%)
        const w = dlg.locator('[data-test="action-warn"]');
        if (warn) assert.match(await w.innerText(), warn);
        else assert.equal(await w.count(), 0, `${label}: no warning`);
    }
    if (note !== undefined) await dlg.locator('textarea').first().fill(note);
    if (file) {
        const up = page.waitForResponse((r) => r.url().endsWith('/api/v1/files') && r.request().method() === 'POST');
        await dlg.locator('input[type="file"]').setInputFiles({ name: file.name, mimeType: 'application/pdf', buffer: file.bytes });
        assert.equal((await up).status(), 201, `upload ${file.name}`);
        await dlg.getByText(file.name).waitFor();
    }
    const done = page.waitForResponse((r) => r.url().includes(`/actions/${action}`) && r.request().method() === 'POST');
    await dlg.getByRole('button', { name: label, exact: true }).click();
    const r = await done;
    assert.equal(r.status(), 200, `${label}: ${r.status()} ${await r.text()}`);
    await dlg.waitFor({ state: 'hidden' });
    return label;
}

async function statusIs(page, text) {
    await page.locator('[data-test="task-status"]').filter({ hasText: text }).waitFor();
}

test('office issues to two units; clerk1 signs, reports with a file, asks to close; returned; reports again; accepted', async () => {
    const title = `督办浏览器测试 ${uniq('e')}`;
    // the draft with its lead unit and co-unit (the office's task form is covered by the web's own tests)
    const task = await createTask(c.office, { title, lead_unit_id: u.sfj.id, co_unit_ids: [u.cgjd.id] });
    const file = { name: `进展材料${uniq('f')}.pdf`, bytes: pdfBytes('e2e') };

    const office = await newPage();
    const clerk = await newPage();
    try {
        await signIn(office.page, srv.base, 'office');
        await openTask(office.page, task);
        await statusIs(office.page, '草稿');
        const issue = await takeAction(office.page, 'issue', { note: '请按期办理' });
        await statusIs(office.page, '待签收');

        // clerk1 finds it in the task list and opens it
        await signIn(clerk.page, srv.base, 'clerk1');
        await clerk.page.goto(`${srv.base}/tasks`);
        await clerk.page.getByText(title).first().click();
        await clerk.page.getByRole('heading', { name: title }).waitFor();
        assert.match(new URL(clerk.page.url()).pathname, new RegExp(`/tasks/${task.id}$`));
        const ack = await takeAction(clerk.page, 'acknowledge', { note: '已签收' });
        await statusIs(clerk.page, '办理中');
        const report = await takeAction(clerk.page, 'report', { note: '第一次进展：已完成调研', file });
        await clerk.page.locator('[data-test="timeline"]').getByText(file.name).waitFor();
        const close = await takeAction(clerk.page, 'request_close', { note: '申请办结：任务已完成', warn: /进度未达到 100%/ });
        await clerk.page.locator('[data-test="task-close-request"]').filter({ hasText: '申报进度 0%' }).waitFor();
        await statusIs(clerk.page, '待验收');

        await openTask(office.page, task);
        await statusIs(office.page, '待验收');
        const ret = await takeAction(office.page, 'return', { note: '佐证材料不足，请补充' });
        await statusIs(office.page, '办理中');

        // the returned task says so at the top, with the reason and who returned it, until the unit acts
        await openTask(clerk.page, task);
        const mark = clerk.page.locator('[data-test="task-returned"]');
        await mark.filter({ hasText: '佐证材料不足，请补充' }).waitFor();
        assert.match(await mark.innerText(), /被退回/);
        assert.match(await mark.innerText(), /依法治区办/);
        await clerk.page.locator('[data-test="task-returned-tag"]').filter({ hasText: '被退回' }).waitFor();
        await clerk.page.screenshot({ path: join(SHOTS, 'task-returned.png') });
        await takeAction(clerk.page, 'report', { note: '第二次进展：已补充材料' });
        await mark.waitFor({ state: 'detached' });
        await takeAction(clerk.page, 'request_close', { note: '再次申请办结' });
        await statusIs(clerk.page, '待验收');

        await openTask(office.page, task);
        const accept = await takeAction(office.page, 'accept', { note: '同意办结' });
        await statusIs(office.page, '已办结');
        await office.page.screenshot({ path: join(SHOTS, 'task-detail.png'), fullPage: true });

        // the timeline on the detail page shows every step: action, who, unit, note, the file
        const steps = [
            ['创建', '依法治区办'], [issue, '依法治区办', '请按期办理'], [ack, u.sfj.name, '已签收'],
            [report, u.sfj.name, '第一次进展：已完成调研'], [close, u.sfj.name, '申请办结：任务已完成'],
            [ret, '依法治区办', '佐证材料不足，请补充'], [report, u.sfj.name, '第二次进展：已补充材料'],
            [close, u.sfj.name, '再次申请办结'], [accept, '依法治区办', '同意办结'],
        ];
        const items = office.page.locator('[data-test="timeline"] .el-timeline-item');
        await items.nth(steps.length - 1).waitFor();
        assert.equal(await items.count(), steps.length, 'one timeline entry per step');
        const tl = ok(await c.office.get(`/api/v1/tasks/${task.id}/timeline`)).items;
        for (let i = 0; i < steps.length; i++) {
            const text = await items.nth(i).innerText();
            const [label, unit, note] = steps[i];
            assert.ok(text.includes(label), `step ${i + 1}: ${label} in «${text}»`);
            assert.ok(text.includes(unit), `step ${i + 1}: unit ${unit} in «${text}»`);
            assert.ok(text.includes(tl[i].actor_name), `step ${i + 1}: who (${tl[i].actor_name}) in «${text}»`);
            if (note) assert.ok(text.includes(note), `step ${i + 1}: note in «${text}»`);
        }
        assert.ok((await items.nth(3).innerText()).includes(file.name), 'the report shows its attachment');
        // the attachment link downloads the file for the office
        const link = items.nth(3).getByText(file.name);
        assert.ok(await link.isVisible());
        assert.deepEqual(office.problems, []);
        assert.deepEqual(clerk.problems, []);
    } finally {
        await office.ctx.close();
        await clerk.ctx.close();
    }
});

test('clerk1 cannot open a task of another unit (not-found page) and does not see it in the list', async () => {
    const mine = await createTask(c.office, { title: `城关任务 ${uniq('e')}`, lead_unit_id: u.cgjd.id });
    ok(await c.office.post(`/api/v1/tasks/${mine.id}/actions/issue`, { version: mine.version }));
    const { ctx, page } = await newPage();
    try {
        await signIn(page, srv.base, 'clerk1');
        await page.goto(`${srv.base}/tasks/${mine.id}`);
        await page.getByText('任务不存在或无权查看').waitFor();
        assert.equal(await page.getByRole('heading', { name: mine.title }).count(), 0);
        await page.goto(`${srv.base}/tasks`);
        await page.locator('.el-table__body').first().waitFor();
        await page.waitForLoadState('networkidle');
        assert.equal(await page.getByText(mine.title).count(), 0, 'not in clerk1\'s list');
    } finally {
        await ctx.close();
    }
});
