// Browser test of two registers whose pages are the generic entity page alone (menu page
// "entity"): 矛盾纠纷调解 — the street's clerk registers a dispute with the declared form and routes
// it by grade from the detail drawer's buttons (the grade's level decides which unit may take it);
// 五项行动 — the campaigns list shows each campaign's clearing rate. No page or console error.
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

const rows = (page) => page.locator('[data-test="list-table"] .el-table__body-wrapper tbody tr');

test('a dispute: registered by the form, routed by grade from the buttons', async () => {
    const summary = `浏览器纠纷${uniq('m').slice(-6)}`;
    const o = await openPage(browser, { locale: 'zh-CN' });
    const k = await openPage(browser, { locale: 'zh-CN' });
    try {
        await signIn(o.page, srv.base, 'clerk2');
        await o.page.goto(`${srv.base}/mediations`);
        await rows(o.page).first().waitFor();
        await o.page.locator('[data-test="entity-create"]').click();
        const form = o.page.locator('[data-test="form-mediations"]');
        await form.waitFor();
        await form.locator('[data-test="item-received_on"] input').fill(new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10));
        await form.locator('[data-test="item-received_on"] input').press('Enter');
        for (const [item, label] of [['source', '当事人申请'], ['dispute_type', '邻里纠纷']]) {
            const box = form.locator(`[data-test="item-${item}"]`);
            if (await box.locator('.el-select__wrapper').count()) {
                await box.locator('.el-select__wrapper').click();
                await o.page.locator('.el-select-dropdown__item:visible').filter({ hasText: label }).click();
            } else {
                await box.getByText(label).click();
            }
        }
        await form.locator('[data-test="item-summary"] textarea').fill(summary);
        await form.locator('[data-test="party-name-0"] input').fill('周桂兰'); // the 申请人 (first role)
        const created = o.page.waitForResponse((r) => r.url().endsWith('/api/v1/mediations') && r.request().method() === 'POST');
        await form.locator('[data-test="form-save"]').click();
        const res = await created;
        assert.equal(res.status(), 201, await res.text());

        const rec = ok(await office.get(`/api/v1/mediations?q=${encodeURIComponent(summary)}`)).items[0];
        assert.equal(rec.handling_unit_name, '城关街道', 'registered for the clerk\'s unit');
        assert.deepEqual(o.problems, []);
        // the office routes it (its unit picker holds every unit; a clerk's, the units it reads)
        await signIn(k.page, srv.base, 'office');
        await k.page.goto(`${srv.base}/mediations/${rec.id}`);
        const drawer = k.page.locator('[data-test="record-page"]');
        await drawer.locator('[data-test="record-state"]').filter({ hasText: '待分流' }).waitFor();
        await drawer.locator('[data-test="record-clocks"]').waitFor();
        await k.page.screenshot({ path: join(SHOTS, 'mediation-detail-zh.png'), fullPage: true });
        const button = k.page.locator('[data-test="record-actions"] [data-test="act-route"]');
        await button.click();
        const dlg = k.page.locator('[data-test="action-dialog"]').filter({ visible: true });
        await dlg.waitFor();
        const grade = dlg.locator('[data-test="arg-grade"]');
        if (await grade.locator('.el-select__wrapper').count()) {
            await grade.locator('.el-select__wrapper').click();
            await k.page.locator('.el-select-dropdown__item:visible').filter({ hasText: '简单' }).click();
        } else {
            await grade.getByText('简单').click();
        }
        await dlg.locator('[data-test="arg-unit_id"] .el-select__wrapper').first().click();
        await dlg.locator('[data-test="arg-unit_id"] input').first().fill('和平社区');
        await k.page.locator('.el-tree-node:visible .el-tree-node__label, .el-tree-node:visible span')
            .filter({ hasText: /和平社区$/ }).first().click();
        const done = k.page.waitForResponse((r) => r.url().includes('/actions/route') && r.request().method() === 'POST');
        await dlg.locator('[data-test="action-submit"]').click();
        const r = await done;
        assert.equal(r.status(), 200, await r.text());
        const after = ok(await office.get(`/api/v1/mediations/${rec.id}`));
        assert.equal(after.status, 'mediating');
        assert.equal(after.level, 'village');
        assert.deepEqual(k.problems, []);
    } finally {
        await o.ctx.close();
        await k.ctx.close();
    }
});

test('the campaigns list shows the five campaigns with their clearing rates', async () => {
    const o = await openPage(browser, { locale: 'zh-CN' });
    try {
        await signIn(o.page, srv.base, 'office');
        await o.page.goto(`${srv.base}/campaigns`);
        await rows(o.page).first().waitFor();
        const text = await o.page.locator('[data-test="list-table"]').innerText();
        assert.match(text, /打击电信网络诈骗违法犯罪专项行动/);
        assert.match(text, /\d+\.\d%/, 'the clearing rate column');
        await o.page.screenshot({ path: join(SHOTS, 'campaigns-zh.png'), fullPage: true });
        assert.deepEqual(o.problems, []);
    } finally {
        await o.ctx.close();
    }
});
