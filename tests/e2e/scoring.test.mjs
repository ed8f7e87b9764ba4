// Browser test of a scoring run (features/scoring: the run's panel RunPanel.vue, a unit's score
// page UnitScorePage.vue): the office scores a run by the button — the page answers at once and
// polls until the pass is done, then ranks the units per category; a pass under way shows the
// progress bar with units done of all (the stored progress of a pass, set by the test, since a
// district's pass is over in milliseconds) and the results come back when it ends; a unit's page
// shows the leaves as a tree with figures, explanation and points, and a cell's count opens the
// list of exactly the records it counted. Screenshots go to build/e2e/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, ok, sqlite } from '../api/lib.mjs';
import { launchBrowser, newPage, signIn, SHOTS } from './lib.mjs';

let srv, browser, office, run, sfj;
before(async () => {
    srv = await startServer();
    office = await srv.login('office');
    browser = await launchBrowser();
    const year = new Date().getFullYear();
    const sys = ok(await office.post('/api/v1/assess-systems', { year, name: '界面测试体系', total_points: 20 }), 201);
    const ind = async (b) => ok(await office.post('/api/v1/assess-indicators', { system_id: sys.id, ...b }), 201);
    const l1 = await ind({ level: 1, code: '1', name: '依法全面履行政府职能', weight: 20 });
    await ind({ parent_id: l1.id, level: 2, code: '1.1', name: '督办任务按时办结', weight: 10, rule: 'ratio', metric: 'tasks.done_on_time', params: 'linear 0:0 100:100', sort_order: 1 });
    await ind({ parent_id: l1.id, level: 2, code: '1.2', name: '承接督办任务', weight: 10, rule: 'deduct', metric: 'tasks.received', params: 'per=0.1 cap=5', sort_order: 2 });
    ok(await office.post(`/api/v1/assess-systems/${sys.id}/actions/publish`, { version: sys.version }));
    run = ok(await office.post('/api/v1/assess-runs', { title: `${year} 年度界面测试考核`, system_id: sys.id, period_from: `${year}-01-01`, period_to: `${year}-12-31` }), 201);
    sfj = ok(await office.get('/api/v1/units?per_page=200')).items.find((x) => x.name === '区司法局');
});
after(async () => {
    await browser?.close();
    await srv?.stopAndCheck();
});

test('the office scores a run (progress, ranking), opens a unit\'s page and a cell\'s records', async () => {
    const { page, problems } = await newPage(browser, { locale: 'zh-CN' });
    await signIn(page, srv.base, 'office');
    await page.goto(`${srv.base}/assess-runs/${run.id}`);
    const rec = page.locator('[data-test="record-page"]');
    await rec.locator('[data-test="record-state"]').filter({ hasText: '草拟' }).waitFor();
    const panel = page.locator('[data-test="run-panel"]');
    await panel.waitFor();
    // 计分 by the button: answered at once, the panel follows the pass to its end
    await page.locator('[data-test="record-actions"] [data-test="act-score"]').click();
    const dlg = page.locator('[data-test="action-dialog"]').filter({ visible: true });
    await dlg.waitFor();
    const done = page.waitForResponse((r) => r.url().includes('/actions/score') && r.request().method() === 'POST');
    await dlg.locator('[data-test="action-submit"]').click();
    assert.equal((await done).status(), 200);
    await rec.locator('[data-test="record-state"]').filter({ hasText: '已计分' }).waitFor();
    await panel.locator('[data-test="run-finished"]').waitFor();
    const deps = panel.locator('[data-test="results-department"]');
    await deps.getByText('区司法局').waitFor();
    await page.screenshot({ path: join(SHOTS, 'scoring-run-results.png'), fullPage: true });

    // a pass under way (its stored progress): the bar, units done of all; then it ends
    const cur = ok(await office.get(`/api/v1/assess-runs/${run.id}`));
    await sqlite(`${srv.dir}/fazhi.db`, `UPDATE assess_runs SET finished_at = NULL, units_done = 10 WHERE id = ${run.id};`);
    await page.reload();
    const bar = panel.locator('[data-test="run-progress"]');
    await bar.getByText(`10 / ${cur.units_total}`).waitFor();
    await bar.locator('[data-test="run-progress-bar"]').waitFor();
    await page.screenshot({ path: join(SHOTS, 'scoring-run-progress.png'), fullPage: true });
    await sqlite(`${srv.dir}/fazhi.db`, `UPDATE assess_runs SET finished_at = '${cur.finished_at}', units_done = units_total WHERE id = ${run.id};`);
    await panel.locator('[data-test="run-finished"]').waitFor();
    await deps.getByText('区司法局').waitFor();

    // a unit's page: the tree, the figures, the explanation; the count opens the records
    await deps.locator('[data-test="result-unit"]').filter({ hasText: '区司法局' }).click();
    await page.waitForURL((u) => u.pathname === `/assess-units/${run.id}/${sfj.id}`);
    const cells = ok(await office.get(`/api/v1/assess-scores?run_id=${run.id}&unit_id=${sfj.id}`)).items;
    const c12 = cells.find((x) => x.code === '1.2');
    assert.ok(c12.num > 0, 'the demo gave 区司法局 tasks this year');
    const pg = page.locator('[data-test="unit-score-page"]');
    await pg.locator('[data-test="explain-1.2"]').getByText(c12.explain).waitFor();
    await pg.locator('[data-test="points-1.2"]').getByText(String(c12.final_points)).waitFor();
    await page.screenshot({ path: join(SHOTS, 'scoring-unit.png'), fullPage: true });
    const list = page.waitForResponse((r) => r.url().includes('/api/v1/tasks?') && r.url().includes('metric=received'));
    await pg.locator('[data-test="drill-1.2"]').click();
    const r = await list;
    assert.equal(r.status(), 200);
    assert.equal((await r.json()).total, c12.num, 'the list opened is exactly the records the cell counted');
    await page.waitForURL((u) => u.pathname === '/tasks' && u.searchParams.get('metric_unit') === String(sfj.id));
    await page.screenshot({ path: join(SHOTS, 'scoring-drill.png'), fullPage: true });
    assert.deepEqual(problems, []);
});
