// Browser test of 决策事项目录 on the generic pages alone (menu page "entity"): the office opens a
// year's catalogue (its items a child list on the record page), takes 报审 → 审定 → 公布 by the
// buttons (the items follow), then adjusts an item: the dialog asks for the 调整理由 (refused
// empty), and the reason shows on the item (调整说明 and the timeline) and in the public answer.
// Screenshots of the catalogue, the list with its year filter and the item go to build/e2e/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, uniq, ok } from '../api/lib.mjs';
import { launchBrowser, newPage as openPage, signIn, SHOTS } from './lib.mjs';

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

/** Click the action's button (from the kind) and submit its dialog. */
async function takeAction(page, action, fill = async () => {}) {
    const button = page.locator(`[data-test="record-actions"] [data-test="act-${action}"]`);
    await button.click();
    const dlg = page.locator('[data-test="action-dialog"]').filter({ visible: true });
    await dlg.waitFor();
    await fill(dlg);
    const done = page.waitForResponse((r) => r.url().includes(`/actions/${action}`) && r.request().method() === 'POST');
    await dlg.locator('[data-test="action-submit"]').click();
    const r = await done;
    assert.equal(r.status(), 200, `${action}: ${r.status()} ${await r.text()}`);
    await dlg.waitFor({ state: 'hidden' });
}

test('a catalogue published by its buttons, an item adjusted with its reason, the reason on the item', async () => {
    const year = 2035;
    const cat = ok(await office.post('/api/v1/decision-catalogues', { year, deciding_body: '区人民政府' }), 201);
    const units = ok(await office.get('/api/v1/units?per_page=200')).items;
    const unit = (name) => units.find((x) => x.name === name).id;
    const title = uniq('区城市更新专项规划');
    const a = ok(await office.post('/api/v1/decision-items', { catalogue_id: cat.id, title, deciding_body: '区人民政府',
        lead_unit_id: unit('区住房和城乡建设局'), legal_basis: '《重大行政决策程序暂行条例》第三条', planned_quarter: 'q2',
        planned_month: 5, matter_type: 'plan', summary: '统筹城市更新。' }), 201);
    ok(await office.post('/api/v1/decision-items', { catalogue_id: cat.id, title: uniq('区养老服务条例实施办法'), deciding_body: '区人民政府',
        lead_unit_id: unit('区民政局'), legal_basis: '《老年人权益保障法》', planned_quarter: 'q3', matter_type: 'policy', summary: '养老服务。' }), 201);
    const { page, ctx } = await openPage(browser, { locale: 'zh-CN' });
    try {
        await signIn(page, srv.base, 'office');
        // the catalogue's page: its two items listed, 报审 → 审定 → 公布
        await page.goto(`${srv.base}/decision-catalogues/${cat.id}`);
        const rec = page.locator('[data-test="record-page"]');
        await rec.locator('[data-test="record-state"]').filter({ hasText: '编制中' }).waitFor();
        await rec.getByText(title).waitFor();
        await takeAction(page, 'submit');
        await rec.locator('[data-test="record-state"]').filter({ hasText: '报审中' }).waitFor();
        await takeAction(page, 'approve', async (dlg) => {
            await dlg.locator('[data-test="arg-approval_ref"] input').fill('区政府第3次常务会议');
        });
        await rec.locator('[data-test="record-state"]').filter({ hasText: '已审定' }).waitFor();
        await takeAction(page, 'publish', async (dlg) => {
            await dlg.getByText('只能以调整、增补、调出的方式变更').waitFor();
            await dlg.locator('[data-test="arg-publish_channel"] input').fill('区人民政府门户网站');
        });
        await rec.locator('[data-test="record-state"]').filter({ hasText: '已公布' }).waitFor();
        await rec.getByText('已公布').nth(1).waitFor(); // the items' state in the child list
        await page.screenshot({ path: join(SHOTS, 'catalog-catalogue-zh.png'), fullPage: true });

        // the list of items with its year filter
        await page.goto(`${srv.base}/decision-items?year=${year}`);
        const rows = page.locator('[data-test="list-table"] .el-table__body-wrapper tbody tr');
        await rows.filter({ hasText: title }).waitFor();
        assert.equal(await rows.count(), 2);
        await page.screenshot({ path: join(SHOTS, 'catalog-items-zh.png'), fullPage: true });

        // 调整: the dialog asks for the reason by name and refuses it empty
        await page.goto(`${srv.base}/decision-items/${a.id}`);
        await rec.locator('[data-test="record-state"]').filter({ hasText: '已公布' }).waitFor();
        await page.locator('[data-test="record-actions"] [data-test="act-adjust"]').click();
        const dlg = page.locator('[data-test="action-dialog"]').filter({ visible: true });
        await dlg.waitFor();
        await dlg.locator('[data-test="arg-note"]').getByText('调整理由').waitFor();
        await dlg.locator('[data-test="arg-title"] input').fill(`${title}（2035—2037年）`);
        await dlg.locator('[data-test="action-submit"]').click();
        await dlg.locator('[data-test="arg-note"] .el-form-item__error').waitFor();
        await page.screenshot({ path: join(SHOTS, 'catalog-adjust-dialog-zh.png') });
        const reason = '根据市级城市更新规划的期限要求，调整规划期限。';
        await dlg.locator('[data-test="arg-note"] textarea').fill(reason);
        const done = page.waitForResponse((r) => r.url().includes('/actions/adjust') && r.request().method() === 'POST');
        await dlg.locator('[data-test="action-submit"]').click();
        assert.equal((await done).status(), 200);
        await dlg.waitFor({ state: 'hidden' });
        // the reason on the item: its 调整说明 and its timeline
        await rec.getByText(`${title}（2035—2037年）`).first().waitFor();
        const note = rec.locator('.el-descriptions').getByText(new RegExp(`调整（事项名称）：${reason}`));
        await note.waitFor();
        await rec.locator('[data-test="record-timeline"]').getByText(reason).waitFor();
        await page.screenshot({ path: join(SHOTS, 'catalog-item-zh.png'), fullPage: true });
        const pub = ok(await srv.client().get(`/api/v1/public/decision-catalogue?year=${year}`));
        assert.deepEqual(pub.adjustments.map((x) => x.reason), [reason]);
    } finally {
        await ctx.close();
    }
});
