// Browser test of 双随机抽取: the office commits a draw from the list's form (units of the demo
// directory, counts per risk grade, a witness's value), sees the commitment with its hash and the
// frozen inputs on the record page, enters the witness's value, sees the result — each object
// with its inspectors — and verifies it (验证: recomputed equal). Then the demo's redrawn draw
// shows its successor and reason. Screenshots go to build/e2e/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, ok, uniq } from '../api/lib.mjs';
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

async function choose(page, form, item, label) {
    const box = form.locator(`[data-test="item-${item}"]`);
    if (await box.locator('.el-select__wrapper').count()) {
        await box.locator('.el-select__wrapper').click();
        await page.locator('.el-select-dropdown__item:visible').filter({ hasText: label }).click();
    } else {
        await box.getByText(label, { exact: true }).click();
    }
}

test('a draw: committed from the form, the witness value entered, the result shown and verified', async () => {
    const title = `浏览器抽查${uniq('d').slice(-5)}`;
    const o = await newPage(browser, { locale: 'zh-CN' });
    try {
        await signIn(o.page, srv.base, 'office');
        await o.page.goto(`${srv.base}/draws`);
        await o.page.locator('[data-test="list-table"] .el-table__body-wrapper tbody tr').first().waitFor();
        await o.page.screenshot({ path: join(SHOTS, 'draw-list-zh.png') });
        await o.page.locator('[data-test="entity-create"]').click();
        const form = o.page.locator('[data-test="form-draws"]');
        await form.waitFor();
        await form.locator('[data-test="item-title"] input').fill(title);
        await choose(o.page, form, 'obj_type', '机关单位');
        await choose(o.page, form, 'sample_mode', '按数量');
        await form.locator('[data-test="item-sample_c"] input').fill('2');
        await form.locator('[data-test="item-sample_d"] input').fill('1');
        await choose(o.page, form, 'source_kind', '见证人现场提供');
        await form.locator('[data-test="item-source"] input').fill('区公证处公证员现场报出的五位数');
        const created = o.page.waitForResponse((r) => r.url().endsWith('/api/v1/draws') && r.request().method() === 'POST');
        await form.locator('[data-test="form-save"]').click();
        const res = await created;
        assert.equal(res.status(), 201, await res.text());
        const d = await res.json();

        await o.page.goto(`${srv.base}/draws/${d.id}`);
        const panel = o.page.locator('[data-test="draw-panel"]');
        await panel.locator('[data-test="draw-commitment"]').filter({ hasText: d.commitment }).waitFor();
        await panel.locator('[data-test="draw-value-form"]').waitFor();
        await o.page.screenshot({ path: join(SHOTS, 'draw-committed-zh.png'), fullPage: true });
        await panel.locator('[data-test="draw-witness"]').fill('区公证处公证员 周敏');
        await panel.locator('[data-test="draw-random"]').fill('61842');
        await panel.locator('[data-test="draw-enter"]').click();
        const entered = o.page.waitForResponse((r) => r.url().endsWith(`/api/v1/draws/${d.id}/value`));
        await o.page.locator('.el-message-box').getByRole('button', { name: /确\s*定|OK/ }).click();
        assert.equal((await entered).status(), 200);
        const result = panel.locator('[data-test="draw-result"] .el-table__body-wrapper tbody tr');
        await result.nth(2).waitFor();
        assert.equal(await result.count(), 3, 'two C and one D unit');
        await panel.locator('[data-test="draw-value"]').filter({ hasText: '61842' }).waitFor();
        await panel.locator('[data-test="draw-verify"]').click();
        await panel.locator('[data-test="draw-verified"]').filter({ hasText: '重新计算一致' }).waitFor();
        await o.page.screenshot({ path: join(SHOTS, 'draw-result-zh.png'), fullPage: true });
        const pub = ok(await office.get(`/api/v1/draws/${d.id}/published`));
        for (const r of pub.result) {
            const text = await result.filter({ hasText: r.object_name }).innerText();
            for (const n of r.inspector_names) assert.ok(text.includes(n), `${r.object_name}: ${n} shown`);
        }
        // the demo's redrawn draw: superseded, its successor and the reason
        const old = ok(await office.get('/api/v1/draws?status=superseded')).items[0];
        await o.page.goto(`${srv.base}/draws/${old.id}`);
        await panel.locator('[data-test="draw-superseded"]').filter({ hasText: '重抽' }).waitFor();
        await panel.locator('[data-test="draw-result"]').waitFor();
        await o.page.screenshot({ path: join(SHOTS, 'draw-superseded-zh.png'), fullPage: true });
        // an inspector's record page lists the conflicts they declared
        const lawyer = ok(await office.get(`/api/v1/inspectors?q=${encodeURIComponent('谢俊杰')}`)).items[0];
        await o.page.goto(`${srv.base}/inspectors/${lawyer.id}`);
        await o.page.locator('[data-test="child-inspector_conflicts"]').filter({ hasText: '常年法律顾问' }).waitFor();
        await o.page.screenshot({ path: join(SHOTS, 'draw-inspector-zh.png'), fullPage: true });
        assert.deepEqual(o.problems, []);
    } finally {
        await o.ctx.close();
    }
});
