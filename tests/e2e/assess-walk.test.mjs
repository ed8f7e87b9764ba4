// The browser walk of 年度考核 from one end to the other (issue 14): the office makes the year's
// indicator system from the built-in template on the list page and publishes it by its button;
// creates the year's run and scores it by the 计分 button (the panel follows the pass to its
// end); the run goes through 自评 and 审核 (the assessor's manual points are set through the API:
// a hundred and more cells are the setup, not the walk) and is published; 区司法局's clerk
// objects to its lowest manual score by the cell's 申辩 button; the office assigns the re-review
// to the demo's second assessor (考核评分员 吴敏), who changes the score by the button; 区司法局
// passes 区财政局 and leads the departments, in the results and on the leader's 考核分析 page.
// Screenshots go to build/e2e/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, ok, unitByName, listAll } from '../api/lib.mjs';
import { launchBrowser, newPage, signIn, SHOTS } from './lib.mjs';

const YEAR = 2035; // a year without records: the computed leaves are alike for every unit, the manual ones decide
let srv, browser, office, sfj, finance;
before(async () => {
    srv = await startServer();
    office = await srv.login('office');
    sfj = await unitByName(office, '区司法局');
    finance = await unitByName(office, '区财政局');
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
async function runStep(id, action) {
    const cur = ok(await office.get(`/api/v1/assess-runs/${id}`));
    return ok(await office.post(`/api/v1/assess-runs/${id}/actions/${action}`, { version: cur.version }));
}
const rankOf = (list, id) => list.find((r) => r.unit_id === id).rank_category;

test('the office publishes a system, scores the year, a unit objects, the re-review changes its rank', async () => {
    const { page, problems, ctx } = await newPage(browser, { locale: 'zh-CN' });
    let systemId, runId;
    try {
        await signIn(page, srv.base, 'office');
        // 1. the system: from the template on the list page, published by its button
        await page.goto(`${srv.base}/assess-systems`);
        await page.locator('[data-test="assess-from-template"]').click();
        const nd = page.locator('[data-test="assess-new-dialog"]').filter({ visible: true });
        await nd.waitFor();
        const yr = nd.locator('[data-test="f-year"] input');
        await yr.fill(String(YEAR));
        await yr.press('Tab');
        const madeR = page.waitForResponse((x) => x.url().endsWith('/api/v1/assess-systems/default') && x.request().method() === 'POST');
        await nd.locator('[data-test="assess-new-submit"]').click();
        const made = await madeR;
        assert.equal(made.status(), 201, await made.text());
        systemId = (await made.json()).id;
        await page.waitForURL(`**/assess-systems/${systemId}`);
        await page.locator('[data-test="assess-panel"] [data-test="assess-ready"]').waitFor();
        await takeAction(page, 'publish');
        await page.locator('[data-test="record-page"] [data-test="record-state"]').filter({ hasText: '已发布' }).waitFor();
        await page.screenshot({ path: join(SHOTS, 'assess-walk-system.png'), fullPage: true });

        // 2. the run, scored by its button: the panel follows the pass and ranks the units
        runId = ok(await office.post('/api/v1/assess-runs', { title: `${YEAR} 年度法治建设考核`, system_id: systemId }), 201).id;
        await page.goto(`${srv.base}/assess-runs/${runId}`);
        const panel = page.locator('[data-test="run-panel"]');
        await panel.waitFor();
        await takeAction(page, 'score');
        await panel.locator('[data-test="run-finished"]').waitFor();
        await panel.locator('[data-test="results-department"]').getByText('区司法局').waitFor();
        assert.deepEqual(problems, []);
    } finally { await ctx.close(); }

    // 3. 自评, 审核: the assessor (the office) scores every manual leaf — full points, except one
    // leaf each of 区司法局 (−0.5), 区财政局 (−0.25) and every other department (−1)
    await runStep(runId, 'open_self');
    await runStep(runId, 'start_review');
    const pending = await listAll(office, `/api/v1/assess-scores?run_id=${runId}&pending=1`);
    assert.ok(pending.length > 0, 'the template has manual leaves');
    const deps = new Set((await listAll(office, `/api/v1/assess-results?run_id=${runId}&category=department`)).map((r) => r.unit_id));
    const biggest = new Map(); // unit → its manual cell of the greatest weight
    for (const x of pending)
        if (x.rule === 'manual' && (!biggest.has(x.unit_id) || x.weight > biggest.get(x.unit_id).weight)) biggest.set(x.unit_id, x);
    let lowered;
    for (const x of pending) {
        const cut = biggest.get(x.unit_id) !== x || !deps.has(x.unit_id) ? 0
            : x.unit_id === sfj.id ? 0.5 : x.unit_id === finance.id ? 0.25 : Math.min(1, x.weight);
        // a manual leaf its points; a bonus or veto left to the assessor: none given
        const points = x.rule === 'manual' ? x.weight - cut : 0;
        ok(await office.put(`/api/v1/assess-scores/${x.id}`, { assessor_points: points, assessor_note: '按评分标准评定', version: x.version }));
        if (x.unit_id === sfj.id && cut) lowered = x;
    }
    assert.ok(lowered && lowered.weight >= 1, `区司法局's manual leaf ${lowered?.code} weighs ${lowered?.weight}`);
    await runStep(runId, 'publish');
    const before = await listAll(office, `/api/v1/assess-results?run_id=${runId}&category=department`);
    assert.equal(rankOf(before, finance.id), 1);
    assert.equal(rankOf(before, sfj.id), 2);

    // 4. the unit objects by the cell's button on its score page
    let objectionId;
    {
        const { page, problems, ctx } = await newPage(browser, { locale: 'zh-CN' });
        try {
            await signIn(page, srv.base, 'clerk1');
            await page.goto(`${srv.base}/assess-units/${runId}/${sfj.id}`);
            await page.locator(`[data-test="objection-open-${lowered.id}"]`).click();
            const dlg = page.locator('[data-test="objection-dialog"]').filter({ visible: true });
            await dlg.waitFor();
            await dlg.locator('[data-test="objection-requested"] input').fill(String(lowered.weight));
            await dlg.locator('textarea[data-test="objection-reason"]').fill('该项佐证材料已在自评阶段上传，请按评分标准复核');
            const madeR = page.waitForResponse((r) => r.url().endsWith('/api/v1/assess-objections') && r.request().method() === 'POST');
            await dlg.locator('[data-test="objection-submit"]').click();
            const made = await madeR;
            assert.equal(made.status(), 201, await made.text());
            objectionId = (await made.json()).id;
            await page.locator(`[data-test="objection-status-${lowered.id}"]`).getByText('已提出').waitFor();
            await page.screenshot({ path: join(SHOTS, 'assess-walk-objection.png'), fullPage: true });
            assert.deepEqual(problems, []);
        } finally { await ctx.close(); }
    }
    // 5. the office assigns the re-review to the other assessor; 6. who changes the score
    for (const [who, action, fill] of [
        ['office', 'assign', async (page, dlg) => {
            await dlg.locator('[data-test="arg-reviewer_id"] .el-select').first().click();
            await page.locator('.el-select-dropdown__item:visible').filter({ hasText: '吴敏' }).first().click();
        }],
        ['assessor', 'change', async (page, dlg) => {
            await dlg.locator('[data-test="arg-points"] input').fill(String(lowered.weight));
            await dlg.locator('[data-test="arg-note"] textarea').fill('佐证材料齐全，按评分标准改为满分');
        }],
    ]) {
        const { page, problems, ctx } = await newPage(browser, { locale: 'zh-CN' });
        try {
            await signIn(page, srv.base, who);
            await page.goto(`${srv.base}/assess-objections/${objectionId}`);
            await takeAction(page, action, (dlg) => fill(page, dlg));
            await page.getByText(action === 'assign' ? '复核中' : '已改分').first().waitFor();
            if (action === 'change') await page.screenshot({ path: join(SHOTS, 'assess-walk-changed.png'), fullPage: true });
            assert.deepEqual(problems, []);
        } finally { await ctx.close(); }
    }
    const after = await listAll(office, `/api/v1/assess-results?run_id=${runId}&category=department`);
    assert.equal(rankOf(after, sfj.id), 1, '区司法局 leads the departments now');
    assert.equal(rankOf(after, finance.id), 2);
    const cell = ok(await office.get(`/api/v1/assess-scores/${lowered.id}`));
    assert.equal(cell.final_points, lowered.weight);

    // 7. the leader's 考核分析: 区司法局 first among the departments
    {
        const { page, problems, ctx } = await newPage(browser, { locale: 'zh-CN' });
        try {
            await signIn(page, srv.base, 'leader');
            await page.goto(`${srv.base}/assess-charts`);
            const bars = page.locator('[data-test="charts-ranking-department"]');
            await bars.locator('canvas').waitFor();
            const text = async () => (await bars.getAttribute('aria-label')) || '';
            for (let i = 0; i < 50 && !(await text()).includes('区司法局'); i++) await page.waitForTimeout(100);
            assert.match(await text(), /1\. 区司法局/);
            await page.screenshot({ path: join(SHOTS, 'assess-walk-charts.png'), fullPage: true });
            assert.deepEqual(problems, []);
        } finally { await ctx.close(); }
    }
});
