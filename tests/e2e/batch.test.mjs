// Browser tests of import, batch actions and form warnings (issue 10): a sheet imported as drafts,
// the same sheet again is flagged as likely duplicates and must be confirmed (skip), the drafts
// are issued together from the list's checkbox column (batch 下发), and the task form warns of a
// deadline in the past (asking before it saves) and of a year without holidays loaded.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, ROOT, uniq, ok } from '../api/lib.mjs';
import { actors, createTask, day } from '../api/tasks-lib.mjs';
import { launchBrowser, newPage as openPage, signIn, SHOTS } from './lib.mjs';

const EXCELJS = join(ROOT, 'web', 'node_modules', 'exceljs', 'excel.js');
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

let srv, browser, c, u;
before(async () => {
    srv = await startServer();
    ({ c, u } = await actors(srv, ['office']));
    browser = await launchBrowser();
});
after(async () => {
    await browser?.close();
    await srv?.stopAndCheck();
});

/** Page errors only: these tests do not collect console errors. */
const newPage = () => openPage(browser, { consoleErrors: false });

const rows = (page) => page.locator('[data-test="list-table"] .el-table__body-wrapper tbody tr');
const dialog = (page) => page.locator('.el-dialog:visible');
const importAnswer = (page) => page.waitForResponse((r) => r.url().endsWith('/api/v1/tasks/import') && r.request().method() === 'POST');

async function pickSheet(page, buffer) {
    await page.locator('[data-test="task-import"]').click();
    await dialog(page).locator('[data-test="import-template"]').waitFor();
    const checked = importAnswer(page);
    await dialog(page).locator('input[type="file"]').setInputFiles({ name: '任务导入.xlsx', mimeType: XLSX, buffer });
    const r = await checked;
    assert.equal(r.status(), 200, 'the preview');
    return r.json();
}

test('import drafts, the same sheet again is flagged as duplicates and skipped, then batch 下发 from the list',
    { skip: existsSync(EXCELJS) ? false : 'web/node_modules not installed' }, async () => {
        const tag = uniq('批量');
        const ExcelJS = (await import(EXCELJS)).default;
        const wb = new ExcelJS.Workbook();
        const ws = wb.addWorksheet('任务');
        ws.addRow(['任务名称', '牵头单位', '截止日期']);
        ws.addRow([`${tag} 甲`, '区司法局', day(40)]);
        ws.addRow([`${tag} 乙`, '城关街道', day(50)]);
        const buffer = Buffer.from(await wb.xlsx.writeBuffer());
        const { ctx, page, problems } = await newPage();
        try {
            await signIn(page, srv.base, 'office');
            await page.goto(`${srv.base}/tasks`);
            await rows(page).first().waitFor();
            // first import: clean, no duplicates
            let p = await pickSheet(page, buffer);
            assert.deepEqual([p.error_count, p.duplicates.length], [0, 0]);
            assert.equal(await dialog(page).locator('[data-test="import-dups"]').count(), 0);
            let sent = importAnswer(page);
            await dialog(page).locator('[data-test="import-submit"]').click();
            assert.equal((await sent).status(), 201);
            await dialog(page).locator('[data-test="import-done"]').waitFor();
            await page.keyboard.press('Escape');
            await dialog(page).waitFor({ state: 'hidden' });
            // the same sheet again: both rows are likely duplicates; importing needs a choice
            p = await pickSheet(page, buffer);
            assert.equal(p.duplicates.length, 2);
            const warn = dialog(page).locator('[data-test="import-dups"]');
            await warn.waitFor();
            assert.match(await warn.innerText(), /2 行.*疑似重复/);
            assert.match(await dialog(page).locator('[data-test="import-dup-rows"]').innerText(), /第 2 行[\s\S]*与已有记录 #\d+ 相同/);
            const submit = dialog(page).locator('[data-test="import-submit"]');
            assert.ok(await submit.isDisabled(), 'no import before the user chooses');
            await page.screenshot({ path: join(SHOTS, 'import-duplicates.png') });
            await dialog(page).locator('[data-test="import-dup-skip"]').click();
            assert.ok(!(await submit.isDisabled()));
            sent = importAnswer(page);
            await submit.click();
            const done = await sent;
            assert.equal(done.status(), 201);
            assert.equal(done.request().postDataJSON().duplicates, 'skip');
            assert.match(await dialog(page).locator('[data-test="import-done"]').innerText(), /跳过 2 条/);
            await page.keyboard.press('Escape');
            await dialog(page).waitFor({ state: 'hidden' });
            assert.equal(ok(await c.office.get(`/api/v1/tasks?q=${encodeURIComponent(tag)}`)).total, 2, 'no duplicate written');

            // batch 下发: select both drafts with the header checkbox
            await page.goto(`${srv.base}/tasks?q=${encodeURIComponent(tag)}`);
            await rows(page).nth(1).waitFor();
            assert.equal(await rows(page).count(), 2);
            await page.locator('[data-test="list-table"] .el-table__header-wrapper .el-checkbox').first().click();
            const bar = page.locator('[data-test="batch-bar"]');
            await bar.waitFor();
            assert.match(await bar.locator('[data-test="batch-count"]').innerText(), /已选 2 项/);
            assert.match(await bar.locator('[data-test="batch-export"]').getAttribute('href'), /export\.xlsx\?.*ids=\d+(%2C|,)\d+/);
            await page.screenshot({ path: join(SHOTS, 'batch-bar.png') });
            await bar.locator('[data-test="batch-issue"]').click();
            const box = page.locator('.el-message-box');
            await box.waitFor();
            assert.match(await box.innerText(), /选中的 2 项.*下发/);
            const batched = page.waitForResponse((r) => r.url().endsWith('/api/v1/tasks/batch'));
            await box.locator('.el-button--primary').click();
            const b = await (await batched).json();
            assert.deepEqual([b.ok, b.failed], [2, 0]);
            await page.locator('.el-message--success').filter({ hasText: '成功 2 项' }).waitFor();
            await rows(page).filter({ hasText: '已下发' }).nth(1).waitFor();
            const items = ok(await c.office.get(`/api/v1/tasks?q=${encodeURIComponent(tag)}`)).items;
            assert.deepEqual(items.map((t) => t.status), ['issued', 'issued']);
            assert.deepEqual(problems, []);
        } finally {
            await ctx.close();
        }
    });

test('the task form warns of a past deadline (and asks before saving) and of a year without holidays', async () => {
    const tag = uniq('过期');
    const draft = await createTask(c.office, { title: `${tag} 草稿`, lead_unit_id: u.sfj.id, start_on: day(-400), due_on: day(30) });
    const { ctx, page, problems } = await newPage();
    try {
        await signIn(page, srv.base, 'office');
        await page.goto(`${srv.base}/tasks?q=${encodeURIComponent(tag)}`);
        const row = rows(page).filter({ hasText: draft.title });
        await row.waitFor();
        await row.getByRole('button', { name: '编辑' }).click();
        const dlg = dialog(page);
        await dlg.locator('[data-test="task-title"]').waitFor();
        const due = dlg.locator('.el-form-item').filter({ has: page.locator('label', { hasText: /^截止日期$/ }) }).locator('input').first();
        const setDue = async (d) => { await due.fill(d); await due.press('Enter'); };
        // a year whose holidays are not loaded (the demo loads 2026 only)
        await setDue('2031-06-30');
        await dlg.locator('[data-test="task-due-warning"]').filter({ hasText: '2031 年节假日尚未导入' }).waitFor();
        // a deadline in the past: said beside the field, and asked before saving
        const past = day(-300);
        await setDue(past);
        await dlg.locator('[data-test="task-due-warning"]').filter({ hasText: '早于今天' }).waitFor();
        let puts = 0;
        page.on('request', (r) => { if (r.method() === 'PUT' && r.url().includes(`/api/v1/tasks/${draft.id}`)) puts += 1; });
        await dlg.locator('[data-test="task-save"]').click();
        const box = page.locator('.el-message-box');
        await box.waitFor();
        assert.match(await box.innerText(), /截止日期已过[\s\S]*早于今天/);
        await page.screenshot({ path: join(SHOTS, 'task-past-deadline.png') });
        await box.getByRole('button', { name: '取消' }).click();
        await box.waitFor({ state: 'hidden' });
        assert.equal(puts, 0, 'cancelled: nothing sent');
        assert.ok(await dlg.locator('[data-test="task-title"]').isVisible(), 'the form stays open');
        // confirmed: saved with the past deadline (a warning, not a block)
        await dlg.locator('[data-test="task-save"]').click();
        await box.waitFor();
        const saved = page.waitForResponse((r) => r.request().method() === 'PUT' && r.url().includes(`/api/v1/tasks/${draft.id}`));
        await box.getByRole('button', { name: '仍然保存' }).click();
        const res = await saved;
        assert.equal(res.status(), 200, await res.text());
        assert.equal(ok(await c.office.get(`/api/v1/tasks/${draft.id}`)).due_on, past);
        assert.deepEqual(problems, []);
    } finally {
        await ctx.close();
    }
});
