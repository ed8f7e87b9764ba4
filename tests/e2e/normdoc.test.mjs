// Browser test of the 审核率 page (web/src/features/legality/LegalityRatePage.vue): the office opens
// it from the 合法性审查 menu, sees the normative documents' and contracts' numbers (审核率 num / den,
// 未经审核公布, 报备率 …) and the gap list, which holds the demo's document issued without review;
// its number opens that record's page; a rate's value opens the list of what it counts.
// Screenshots go to build/e2e/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer } from '../api/lib.mjs';
import { launchBrowser, newPage, signIn, SHOTS } from './lib.mjs';

let srv, browser;
before(async () => {
    srv = await startServer();
    browser = await launchBrowser();
});
after(async () => {
    await browser?.close();
    await srv?.stopAndCheck();
});

const GAP_TITLE = '西城街道关于规范沿街商铺门前三包管理的通知'; // the demo's document issued without review

test('normdoc: the 审核率 page lists the document issued without review, and its drill-down opens the record', async () => {
    const { page, problems, ctx } = await newPage(browser);
    try {
        await signIn(page, srv.base, 'office');
        await page.locator('.el-menu').getByText('审核率', { exact: true }).first().click();
        await page.waitForURL((u) => u.pathname === '/legality-rate');
        const rate = page.locator('[data-test="rate-normdocs-reviewed_rate"]');
        await rate.waitFor();
        assert.match(await rate.innerText(), /%/);
        for (const code of ['unreviewed', 'filed_rate', 'filed_on_time_rate', 'corrected', 'avg_review_days'])
            await page.locator(`[data-test="rate-normdocs-${code}"]`).waitFor();
        await page.locator('[data-test="rate-contracts-reviewed_rate"]').waitFor();
        const gap = page.locator('[data-test="gap-normdocs"]');
        const row = gap.locator('.el-table__row', { hasText: GAP_TITLE });
        await row.waitFor();
        assert.ok(Number(await gap.locator('[data-test="gap-total"]').innerText()) >= 1);
        await page.locator('[data-test="gap-contracts"] .el-table__row').first().waitFor();
        await page.screenshot({ path: join(SHOTS, 'legality-rate.png'), fullPage: true });

        // the gap's number opens the record's own page
        const number = (await row.locator('[data-test="gap-record"]').innerText()).trim();
        assert.match(number, /^GZ\d{4}-\d{6}$/);
        await row.locator('[data-test="gap-record"]').click();
        await page.waitForURL((u) => /^\/normdocs\/\d+$/.test(u.pathname));
        await page.getByText(GAP_TITLE).first().waitFor();
        await page.getByText(number).first().waitFor();
        await page.screenshot({ path: join(SHOTS, 'legality-rate-record.png'), fullPage: true });

        // back on the page, the rate's value opens the list of the documents it counts
        await page.goBack();
        await page.locator('[data-test="rate-normdocs-unreviewed"]').waitFor();
        const list = page.waitForResponse((r) => r.url().includes('/api/v1/normdocs?') && r.url().includes('metric=unreviewed'));
        await page.locator('[data-test="rate-normdocs-unreviewed"]').click();
        const r = await list;
        assert.equal(r.status(), 200);
        assert.ok((await r.json()).items.some((i) => i.title === GAP_TITLE));
        await page.waitForURL((u) => u.pathname === '/normdocs' && u.searchParams.get('metric') === 'unreviewed');
        await page.locator('[data-test="list-drill-tag"]').waitFor();
        await page.screenshot({ path: join(SHOTS, 'legality-rate-drill.png') });
        assert.deepEqual(problems, []);
    } finally {
        await ctx.close();
    }
});
