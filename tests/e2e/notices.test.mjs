// Browser test of 通知公告: the office writes and publishes an announcement in the UI; a clerk
// finds it unread on the home page, opens it (the text shown exactly as written — markup stays
// text), and it is read; the office sees the clerk's unit as read in the receipts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, uniq } from '../api/lib.mjs';
import { launchBrowser, newPage as openPage, signIn, SHOTS } from './lib.mjs';

let srv, browser;
before(async () => {
    srv = await startServer();
    browser = await launchBrowser();
});
after(async () => {
    await browser?.close();
    await srv?.stopAndCheck();
});

/** A page on which any dialog (alert, confirm) is a problem too: the notice's body must not run. */
async function newPage() {
    const p = await openPage(browser);
    p.page.on('dialog', (d) => { p.problems.push(`a dialog opened: ${d.message()}`); d.dismiss(); });
    return p;
}

const BODY = '各单位：\n请于本月底前报送<b>宪法宣传</b>材料。<img src=x onerror="alert(1)">\n——依法治区办';

test('the office publishes an announcement; a clerk reads it from the home page; the office sees the receipt', async () => {
    const office = await newPage();
    const clerk = await newPage();
    const title = `关于报送宪法宣传材料的通知 ${uniq('n')}`;
    try {
        // the office writes it …
        await signIn(office.page, srv.base, 'office');
        await office.page.goto(`${srv.base}/notices`);
        await office.page.locator('[data-test="notice-create"]').click();
        await office.page.locator('input[name="title"]').fill(title);
        await office.page.locator('textarea[name="body"]').fill(BODY);
        const created = office.page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/v1/notices'));
        await office.page.locator('[data-test="notice-save"]').click();
        assert.equal((await created).status(), 201);
        // … lands on its page as a draft, and publishes it
        await office.page.waitForURL(/\/notices\/\d+$/);
        const id = Number(office.page.url().split('/').pop());
        await office.page.locator('[data-test="act-publish"]').click();
        const box = office.page.locator('.el-dialog').filter({ hasText: '发布' }).last();
        await box.waitFor();
        const published = office.page.waitForResponse((r) => r.url().endsWith(`/api/v1/notices/${id}/actions/publish`));
        await box.locator('.el-button--primary').last().click();
        assert.equal((await published).status(), 200);
        await office.page.locator('[data-test="notice-receipts"]').waitFor();

        // the clerk: on the home page, unread
        await signIn(clerk.page, srv.base, 'clerk1');
        await clerk.page.goto(`${srv.base}/`);
        const line = clerk.page.locator(`[data-test="notice-line-${id}"]`);
        await line.waitFor();
        assert.ok(await line.locator('[data-test="notice-unread"]').count() === 1, 'marked unread');
        await clerk.page.screenshot({ path: join(SHOTS, 'home-notices.png') });
        await line.click();
        await clerk.page.waitForURL(new RegExp(`/notices/${id}$`));
        const body = clerk.page.locator('[data-test="notice-body"]');
        await body.waitFor();
        assert.equal(await body.innerText(), BODY, 'the text exactly as written');
        assert.equal(await body.locator('img, b').count(), 0, 'markup stays text');
        await clerk.page.locator('[data-test="notice-read-at"]').waitFor();
        // back home: no longer unread
        await clerk.page.goto(`${srv.base}/`);
        await clerk.page.locator(`[data-test="notice-line-${id}"]`).waitFor();
        assert.equal(await clerk.page.locator(`[data-test="notice-line-${id}"] [data-test="notice-unread"]`).count(), 0);

        // the office's receipts: 区司法局 has read it
        await office.page.reload();
        const receipts = office.page.locator('[data-test="notice-receipts"]');
        await receipts.waitFor();
        const row = receipts.locator('.el-table__row').filter({ hasText: '区司法局' }).first();
        await row.waitFor();
        assert.match(await row.innerText(), /已读/);
        assert.match(await row.innerText(), /何晓东/);
        await office.page.screenshot({ path: join(SHOTS, 'notice-receipts.png') });
        assert.deepEqual(clerk.problems, []);
        assert.deepEqual(office.problems, []);
    } finally {
        await office.ctx.close();
        await clerk.ctx.close();
    }
});
