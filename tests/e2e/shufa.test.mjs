// Browser test of 述法 on the generic pages with the report's panel (features/shufa/ShufaPanel.vue):
// a street's clerk opens its first responsible person's report, writes an item in the child list
// (the panel shows the text), writes the rest and submits by the button; the office scores an item in the child list (a score
// over the item's maximum refused), the rest, and rates it by the button with its comments — the
// panel shows the total and the grade; the metrics page draws the breakdown by grade, and a bar
// opens the list of exactly its records. Screenshots go to build/e2e/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, ok } from '../api/lib.mjs';
import { launchBrowser, newPage, signIn, SHOTS } from './lib.mjs';

let srv, browser, office, clerk;
before(async () => {
    srv = await startServer();
    office = await srv.login('office');
    clerk = await srv.login('clerk2');
    browser = await launchBrowser();
});
after(async () => {
    await browser?.close();
    await srv?.stopAndCheck();
});

async function takeAction(page, action, fill = async () => {}) {
    await page.locator(`[data-test="record-actions"] [data-test="act-${action}"]`).click();
    const dlg = page.locator('[data-test="action-dialog"]').filter({ visible: true });
    await dlg.waitFor();
    await fill(dlg);
    const done = page.waitForResponse((r) => r.url().includes(`/actions/${action}`) && r.request().method() === 'POST');
    await dlg.locator('[data-test="action-submit"]').click();
    const r = await done;
    assert.equal(r.status(), 200, `${action}: ${r.status()} ${await r.text()}`);
    await dlg.waitFor({ state: 'hidden' });
}

/** Edit the child list's row of item `n` (its order) through its dialog. */
async function editItem(page, n, fill) {
    const list = page.locator('[data-test="child-shufa_report_items"]');
    const row = list.locator('.el-table__body-wrapper tbody tr').nth(n - 1);
    await row.locator('[data-test="child-edit"]').click();
    const dlg = page.locator('.el-dialog').filter({ visible: true });
    await dlg.waitFor();
    await fill(dlg);
    const saved = page.waitForResponse((r) => r.url().includes('/api/v1/shufa-report-items/') && r.request().method() === 'PUT');
    await dlg.getByRole('button', { name: /保\s*存|确\s*定/ }).click();
    return saved;
}

test('a clerk writes and submits a 述法 report, the office scores and rates it, the metrics chart opens the list', async () => {
    const year = Number(new Date().getFullYear()) - 1;
    const people = ok(await clerk.get('/api/v1/people?per_page=50')).items;
    const head = people.find((p) => p.is_first_responsible);
    const rep = ok(await clerk.post('/api/v1/shufa-reports', { year, person_id: head.id }), 201);
    const items = ok(await clerk.get(`/api/v1/shufa-report-items?report_id=${rep.id}&per_page=50`)).items;
    const { page, problems, ctx } = await newPage(browser, { locale: 'zh-CN' });
    try {
        // the clerk: write the first item in the page, the panel shows it
        await signIn(page, srv.base, 'clerk2');
        await page.goto(`${srv.base}/shufa-reports/${rep.id}`);
        const rec = page.locator('[data-test="record-page"]');
        await rec.locator('[data-test="record-state"]').filter({ hasText: '撰写中' }).waitFor();
        const panel = page.locator('[data-test="shufa-panel"]');
        await panel.locator('[data-test="shufa-item-8"]').waitFor();
        const text = '本年度主持召开党工委理论学习中心组集体学法4次，带头讲授法治课1次。';
        const r1 = await editItem(page, 1, (dlg) => dlg.locator('[data-test="item-content"] textarea').fill(text));
        assert.equal(r1.status(), 200, `${r1.request().postData()} → ${await r1.text()}`);
        await panel.locator('[data-test="shufa-item-1"]').getByText(text).waitFor();
        // the rest written, then 提交 by the button
        for (const it of items.slice(1)) {
            const cur = ok(await clerk.get(`/api/v1/shufa-report-items/${it.id}`));
            ok(await clerk.put(`/api/v1/shufa-report-items/${it.id}`, { content: `${it.title}：已按要求落实。`, version: cur.version }));
        }
        await page.reload();
        await rec.locator('[data-test="record-state"]').filter({ hasText: '撰写中' }).waitFor();
        await page.screenshot({ path: join(SHOTS, 'shufa-report-written.png'), fullPage: true });
        await takeAction(page, 'submit');
        await rec.locator('[data-test="record-state"]').filter({ hasText: '已提交待评议' }).waitFor();
        assert.deepEqual(problems, []);

        // the office: a score over the item's maximum refused, then within it; the rest; 评定
        await signIn(page, srv.base, 'office');
        await page.goto(`${srv.base}/shufa-reports/${rep.id}`);
        await rec.locator('[data-test="record-state"]').filter({ hasText: '已提交待评议' }).waitFor();
        const over = await editItem(page, 1, (dlg) => dlg.locator('[data-test="item-score"] input').fill(String(items[0].max_score + 5)));
        assert.equal(over.status(), 400);
        const dlg = page.locator('.el-dialog').filter({ visible: true });
        await dlg.getByText(`不能超过本项分值 ${items[0].max_score} 分`).waitFor();
        await dlg.locator('[data-test="item-score"] input').fill(String(items[0].max_score));
        const saved = page.waitForResponse((r) => r.url().includes('/api/v1/shufa-report-items/') && r.request().method() === 'PUT');
        await dlg.getByRole('button', { name: /保\s*存|确\s*定/ }).click();
        assert.equal((await saved).status(), 200);
        for (const it of items.slice(1)) {
            const cur = ok(await office.get(`/api/v1/shufa-report-items/${it.id}`));
            ok(await office.put(`/api/v1/shufa-report-items/${it.id}`, { ...cur, score: it.max_score - 1, version: cur.version }));
        }
        await page.reload();
        await rec.locator('[data-test="record-state"]').filter({ hasText: '已提交待评议' }).waitFor();
        await takeAction(page, 'rate', (d) => d.locator('textarea').first().fill('述法内容全面具体，第一责任人职责履行到位。'));
        await rec.locator('[data-test="record-state"]').filter({ hasText: '已评定' }).waitFor();
        const total = 100 - (items.length - 1);
        await panel.locator('[data-test="shufa-total"]').filter({ hasText: `${total} / 100` }).waitFor();
        await panel.locator('[data-test="shufa-total"]').getByText('优秀').waitFor();
        await page.screenshot({ path: join(SHOTS, 'shufa-report-rated.png'), fullPage: true });

        // the metrics page: the breakdown by grade; a bar opens exactly its records
        await page.goto(`${srv.base}/register-metrics?entity=shufa_reports`);
        const chart = page.locator('[data-test="metrics-chart-by-grade"] canvas');
        await chart.waitFor();
        await page.locator('[data-test="metrics-chart-by-unit_id"] canvas').waitFor();
        await page.screenshot({ path: join(SHOTS, 'shufa-metrics.png'), fullPage: true });
        const y = new Date().getFullYear();
        const m = ok(await office.get(`/api/v1/metrics/shufa_reports?from=${y}-01-01&to=${y}-12-31`));
        const box = await chart.boundingBox();
        const rows = m.by.grade.length;
        const list = page.waitForResponse((r) => r.url().includes('/api/v1/shufa-reports?') && r.url().includes('grade='));
        // the bars run from the axis at the left; the top band is the last row: click its bar near the axis
        await page.mouse.click(box.x + box.width * 0.25, box.y + 8 + (box.height - 16) / rows / 2);
        const r = await list;
        const grade = new URL(r.url()).searchParams.get('grade');
        assert.equal((await r.json()).total, m.by.grade.find((x) => x.value === grade).count, 'the bar\'s list holds its records');
        await page.waitForURL((u) => u.pathname === '/shufa-reports' && u.searchParams.get('grade') === grade);
        await page.locator('[data-test="list-drill-tag"]').waitFor();
        await page.locator('.el-table__row .el-tag').first().waitFor();
        await page.screenshot({ path: join(SHOTS, 'shufa-metrics-drill.png') });
        // the one refused score (400) is the console's only complaint
        assert.deepEqual(problems.filter((x) => !x.includes('status of 400')), []);
    } finally {
        await ctx.close();
    }
});
