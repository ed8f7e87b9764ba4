// Browser test of the kinds dashboard (统计指标, web/src/features/metrics/MetricsPage.vue): the
// office opens it from the menu, sees the 12348 register's cards (value, num / den) and its
// charts, and follows a card's drill link to the register's list, whose total is the card's
// number; closing the metric's tag shows the whole list again. Screenshots go to build/e2e/.
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

test('the dashboard shows the cards and charts; a card opens exactly its records', async () => {
    const { page, problems, ctx } = await newPage(browser);
    try {
        await signIn(page, srv.base, 'office');
        await page.locator('.el-menu').getByText('统计指标').first().click();
        await page.waitForURL((u) => u.pathname === '/register-metrics');
        const card = page.locator('[data-test="metric-received"]');
        await card.waitFor();
        for (const code of ['closed', 'on_time', 'overdue', 'avg_days', 'satisfaction'])
            await page.locator(`[data-test="metric-${code}"]`).waitFor();
        const received = Number((await card.locator('[data-test="metric-value"]').innerText()).trim());
        assert.ok(received > 0, 'the demo year has requests');
        assert.match(await page.locator('[data-test="metric-on_time"] [data-test="metric-parts"]').innerText(), /\d+ \/ \d+/);
        // the charts are drawn (a canvas each)
        for (const c of ['state', 'monthly'])
            await page.locator(`[data-test="metrics-chart-${c}"] canvas`).waitFor();
        await page.screenshot({ path: join(SHOTS, 'metrics-dashboard.png'), fullPage: true });

        // the card opens the register's list with the metric's drill query
        const list = page.waitForResponse((r) => r.url().includes('/api/v1/legal-services?') && r.url().includes('metric=received'));
        await card.click();
        const r = await list;
        assert.equal(r.status(), 200);
        assert.equal((await r.json()).total, received, 'the list holds exactly the counted records');
        await page.waitForURL((u) => u.pathname === '/legal-services' && u.searchParams.get('metric') === 'received');
        await page.locator('[data-test="list-drill-tag"]').waitFor();
        await page.screenshot({ path: join(SHOTS, 'metrics-drill.png') });
        // closing the tag: the whole list again, without the metric
        const all = page.waitForResponse((r2) => r2.url().includes('/api/v1/legal-services?') && !r2.url().includes('metric='));
        await page.locator('[data-test="list-drill-tag"] .el-tag__close').click();
        assert.equal((await all).status(), 200);
        await page.locator('[data-test="list-drill"]').waitFor({ state: 'detached' });
        // the register's list links back to its dashboard
        await page.locator('[data-test="entity-metrics"]').click();
        await page.waitForURL((u) => u.pathname === '/register-metrics' && u.searchParams.get('entity') === 'legal_services');
        await page.locator('[data-test="metric-received"]').waitFor();
        assert.deepEqual(problems, []);
    } finally {
        await ctx.close();
    }
});
