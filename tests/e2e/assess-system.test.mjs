// Browser test of an indicator system on its record page (features/assess/SystemPanel.vue): the
// office opens a draft whose weights do not add up — the panel marks the node's sum red and
// lists the problem in words; 发布 is refused with the same words; the office corrects the leaf's
// weight in the panel's dialog (a decimal: 2.5), the check passes and 发布 publishes it; then
// 新版本 with its change note makes a draft version 2, which the panel links to; the list page
// makes a draft from the built-in template. Screenshots go to build/e2e/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, ok } from '../api/lib.mjs';
import { launchBrowser, newPage, signIn, SHOTS } from './lib.mjs';

let srv, browser, office;
before(async () => {
    srv = await startServer();
    office = await srv.login('office');
    browser = await launchBrowser();
});
after(async () => {
    await browser?.close();
    await srv?.stopAndCheck();
});

async function openAction(page, action, fill = async () => {}) {
    await page.locator(`[data-test="record-actions"] [data-test="act-${action}"]`).click();
    const dlg = page.locator('[data-test="action-dialog"]').filter({ visible: true });
    await dlg.waitFor();
    await fill(dlg);
    const done = page.waitForResponse((r) => r.url().includes(`/actions/${action}`) && r.request().method() === 'POST');
    await dlg.locator('[data-test="action-submit"]').click();
    return { dlg, r: await done };
}

test('publish refused while the weights do not add up, fixed in the panel, published, then a new version', async () => {
    const sys = ok(await office.post('/api/v1/assess-systems', { year: 2041, name: '浏览器测试指标体系', total_points: 10 }), 201);
    const add = async (b) => ok(await office.post('/api/v1/assess-indicators', { system_id: sys.id, ...b }), 201);
    const a1 = await add({ level: 1, code: '1', name: '依法决策', weight: 6, sort_order: 1 });
    await add({ level: 2, code: '1.1', parent_id: a1.id, name: '重大行政决策程序履行率', weight: 3.5, rule: 'ratio',
        metric: 'decisions.in_order_rate', params: 'linear 80:0 100:100', sort_order: 2 });
    await add({ level: 2, code: '1.2', parent_id: a1.id, name: '法律顾问作用发挥', weight: 2, rule: 'manual', evidence: '工作记录', sort_order: 3 });
    await add({ level: 1, code: '2', name: '组织保障', weight: 4, rule: 'manual', evidence: '会议纪要', sort_order: 4 });
    const { page, problems } = await newPage(browser, { locale: 'zh-CN' });
    try {
        await signIn(page, srv.base, 'office');
        await page.goto(`${srv.base}/assess-systems/${sys.id}`);
        const rec = page.locator('[data-test="record-page"]');
        await rec.locator('[data-test="record-state"]').filter({ hasText: '草拟' }).waitFor();
        const panel = page.locator('[data-test="assess-panel"]');
        await panel.locator('[data-test="assess-row-1.2"]').waitFor();
        const sum = panel.locator('[data-test="assess-sum-1"]');
        await sum.filter({ hasText: '5.5 ≠ 6' }).waitFor();
        assert.ok(await sum.evaluate((el) => el.classList.contains('as-bad')), 'the sum is marked');
        await panel.locator('[data-test="assess-problem"]').filter({ hasText: '一级指标 1 的下级分值合计 5.5，应为 6' }).waitFor();
        await page.screenshot({ path: join(SHOTS, 'assess-system-problems.png'), fullPage: true });

        // 发布 refused with the problem in words
        const { dlg, r } = await openAction(page, 'publish');
        assert.equal(r.status(), 409);
        assert.match((await r.json()).error.message, /一级指标 1 的下级分值合计 5\.5，应为 6/);
        await page.locator('.el-message--warning').filter({ hasText: '下级分值合计 5.5' }).first().waitFor();
        await dlg.waitFor({ state: 'hidden' });

        // fixed in the panel: 1.2 from 2 to 2.5
        await panel.locator('[data-test="assess-edit-1.2"]').click();
        const edit = page.locator('[data-test="assess-dialog"]').filter({ visible: true });
        await edit.waitFor();
        const w = edit.locator('[data-test="f-weight"] input');
        await w.fill('2.5');
        await w.press('Tab');
        const saved = page.waitForResponse((x) => x.url().includes('/api/v1/assess-indicators/') && x.request().method() === 'PUT');
        await edit.locator('[data-test="assess-save"]').click();
        const s = await saved;
        assert.equal(s.status(), 200, await s.text());
        assert.equal((await s.json()).weight, 2.5);
        await panel.locator('[data-test="assess-ready"]').waitFor();
        await panel.locator('[data-test="assess-weight-1.2"]').filter({ hasText: '2.5' }).waitFor();

        // published
        const pub = await openAction(page, 'publish');
        assert.equal(pub.r.status(), 200, await pub.r.text());
        await rec.locator('[data-test="record-state"]').filter({ hasText: '已发布' }).waitFor();
        assert.equal(await panel.locator('[data-test="assess-edit-1.2"]').count(), 0, 'no editing once published');

        // 新版本 with its change note
        const nv = await openAction(page, 'new_version', async (d) => {
            await d.locator('textarea').first().fill('1.1 与 1.2 分值调整');
        });
        assert.equal(nv.r.status(), 200, await nv.r.text());
        const link = panel.locator('[data-test="assess-next-draft"] a');
        await link.waitFor();
        await link.click();
        await rec.locator('[data-test="record-state"]').filter({ hasText: '草拟' }).waitFor();
        await page.locator('[data-test="assess-panel"] [data-test="assess-row-1.2"]').waitFor();
        const v2 = ok(await office.get(`/api/v1/assess-systems?based_on_id=${sys.id}`)).items[0];
        assert.equal(v2.version_no, 2);
        assert.ok(page.url().endsWith(`/assess-systems/${v2.id}`));
        await page.screenshot({ path: join(SHOTS, 'assess-system-v2.png'), fullPage: true });

        // the list page: a draft from the built-in template opens on its page, sound
        await page.goto(`${srv.base}/assess-systems`);
        await page.locator('[data-test="assess-from-template"]').click();
        const nd = page.locator('[data-test="assess-new-dialog"]').filter({ visible: true });
        await nd.waitFor();
        const yr = nd.locator('[data-test="f-year"] input');
        await yr.fill('2042');
        await yr.press('Tab');
        const madeR = page.waitForResponse((x) => x.url().endsWith('/api/v1/assess-systems/default') && x.request().method() === 'POST');
        await nd.locator('[data-test="assess-new-submit"]').click();
        const made = await madeR;
        assert.equal(made.status(), 201, await made.text());
        const t = await made.json();
        await page.waitForURL(`**/assess-systems/${t.id}`);
        await page.locator('[data-test="assess-panel"] [data-test="assess-ready"]').waitFor();
        await page.locator('[data-test="assess-panel"] [data-test="assess-row-9"]').waitFor();
        assert.deepEqual(problems.filter((p) => !/409|Conflict/.test(p)), []);
    } finally {
        await page.close();
    }
});
