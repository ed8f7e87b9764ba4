// Browser walk of 申辩 and 复核 (src/features/appeal): on a published run a unit's clerk objects to
// its 执法案卷评查 score by the cell's 申辩 button on its score page (a reason, the points it asks),
// and the cell shows the objection's state; on the objection's record page the office assigns the re-review to another
// assessor by the button; that assessor changes the score by the button (the confirmation says
// the total, rank and grade follow); the unit's total and rank change, and the leader's 考核分析
// page ranks it first in its category (the chart's own description). Screenshots go to build/e2e/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, ok, unitByName } from '../api/lib.mjs';
import { SC, scales, inH, makeRun, secondAssessor, resultsOf } from '../api/appeal-lib.mjs';
import { launchBrowser, newPage, signIn, SHOTS } from './lib.mjs';

let srv, browser, office, sfj, finance, run;
before(async () => {
    srv = await startServer();
    office = await srv.login('office');
    await secondAssessor(srv);
    sfj = await unitByName(office, '区司法局');
    finance = await unitByName(office, '区财政局');
    run = await makeRun(srv, office, 2031, (unit) => (unit === sfj.id ? 3200 : unit === finance.id ? 3400 : 2500));
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
async function pick(page, scope, text) {
    await scope.locator('.el-select').first().click();
    await page.locator('.el-select-dropdown__item:visible').filter({ hasText: text }).first().click();
}

test('a unit objects, the re-review changes its score and rank, the charts page shows it first', async () => {
    const before = await resultsOf(office, run.run.id);
    const rankOf = (list, id) => list.find((r) => r.unit_id === id).rank_category;
    assert.ok(rankOf(before, sfj.id) > rankOf(before, finance.id), '区司法局 below 区财政局 before');
    let id;
    // the clerk: on its unit's score page, the 申辩 button of the cell
    const clerk = await srv.login('clerk1');
    const cell = ok(await clerk.get(`/api/v1/assess-scores?run_id=${run.run.id}&unit_id=${sfj.id}&indicator_id=${run.leaf.id}`, SC)).items[0];
    {
        const { page, problems, ctx } = await newPage(browser, { locale: 'zh-CN' });
        try {
            await signIn(page, srv.base, 'clerk1');
            await page.goto(`${srv.base}/assess-units/${run.run.id}/${sfj.id}`);
            await page.locator(`[data-test="objection-open-${cell.id}"]`).click();
            const dlg = page.locator('[data-test="objection-dialog"]').filter({ visible: true });
            await dlg.waitFor();
            await dlg.locator('[data-test="objection-requested"] input').fill('38');
            await dlg.locator('textarea[data-test="objection-reason"]').fill('本单位 2 份执法案卷已按评查意见补正归档，请求复核该项得分');
            const made = page.waitForResponse((r) => r.url().endsWith('/api/v1/assess-objections') && r.request().method() === 'POST');
            await dlg.locator('[data-test="objection-submit"]').click();
            const r = await made;
            assert.equal(r.status(), 201, await r.text());
            const body = await r.json();
            id = body.id;
            assert.deepEqual([body.score_id, inH(body.requested_points, (await scales(office)).req)], [cell.id, 3800]);
            await page.locator(`[data-test="objection-status-${cell.id}"]`).getByText('已提出').waitFor();
            await page.screenshot({ path: join(SHOTS, 'appeal-objection.png') });
            assert.deepEqual(problems, []);
        } finally { await ctx.close(); }
    }
    // the office: assign the re-review to the second assessor
    {
        const { page, problems, ctx } = await newPage(browser, { locale: 'zh-CN' });
        try {
            await signIn(page, srv.base, 'office');
            await page.goto(`${srv.base}/assess-objections/${id}`);
            await takeAction(page, 'assign', (dlg) => pick(page, dlg.locator('[data-test="arg-reviewer_id"]'), '考核评分员（测试）'));
            await page.getByText('复核中').first().waitFor();
            assert.deepEqual(problems, []);
        } finally { await ctx.close(); }
    }
    // the re-reviewer: change the score
    {
        const { page, problems, ctx } = await newPage(browser, { locale: 'zh-CN' });
        try {
            await signIn(page, srv.base, 'assessor_t');
            await page.goto(`${srv.base}/assess-objections/${id}`);
            await takeAction(page, 'change', async (dlg) => {
                await dlg.getByText('改分后该单位的总分、排名和等次随之重新计算').waitFor();
                await dlg.locator('[data-test="arg-points"] input').fill('38');
                await dlg.locator('[data-test="arg-note"] textarea').fill('补正材料属实，按评分标准改为 38 分');
            });
            await page.getByText('已改分').first().waitFor();
            await page.screenshot({ path: join(SHOTS, 'appeal-changed.png') });
            assert.deepEqual(problems, []);
        } finally { await ctx.close(); }
    }
    const after = await resultsOf(office, run.run.id);
    assert.equal(rankOf(after, sfj.id), 1);
    assert.ok(rankOf(after, sfj.id) < rankOf(after, finance.id), 'now above 区财政局');
    // the leader: 考核分析 ranks it first among the departments
    {
        const { page, problems, ctx } = await newPage(browser, { locale: 'zh-CN' });
        try {
            await signIn(page, srv.base, 'leader');
            await page.goto(`${srv.base}/assess-charts`);
            const bars = page.locator('[data-test="charts-ranking-department"]');
            await bars.locator('canvas').waitFor();
            await page.locator('[data-test="charts-radar"] canvas').waitFor();
            await page.locator('[data-test="charts-years"] canvas').waitFor();
            const text = async () => (await bars.getAttribute('aria-label')) || '';
            for (let i = 0; i < 50 && !(await text()).includes('区司法局'); i++) await page.waitForTimeout(100);
            const said = await text();
            assert.match(said, /1\. 区司法局/, said.slice(0, 300));
            assert.ok(said.indexOf('区司法局') >= 0 && said.indexOf('区财政局') >= 0);
            await page.screenshot({ path: join(SHOTS, 'appeal-charts.png'), fullPage: true });
            assert.deepEqual(problems, []);
        } finally { await ctx.close(); }
    }
});
