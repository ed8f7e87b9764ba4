// Browser test of 信访 as its users meet it, on the generic register pages alone: the office
// registers a petition through the form (its 信访人 in the party row), accepts it and routes it to
// 区司法局 from the record page's buttons; the bureau's clerk signs for it and asks for more time,
// the office approves 30 more days (the 办理期限 moves by 30), the clerk replies with the outcome
// 支持 and the office closes it. The register's dashboard counts one more petition received and
// one more closed, and its 已办结 card opens a list that holds the petition. Screenshots go to
// build/e2e/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, ok } from '../api/lib.mjs';
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

/** Pick an option of a select (or a radio group) inside `box`. */
async function choose(page, box, text) {
    if (await box.locator('.el-select__wrapper').count()) {
        await box.locator('.el-select__wrapper').first().click();
        await page.locator('.el-select-dropdown__item:visible').filter({ hasText: text }).first().click();
    } else {
        await box.getByText(text, { exact: true }).click();
    }
}

/** Click the action's button on the record page, fill its dialog and submit it. */
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

/** The dashboard's card value for the petitions register this year. */
async function card(page, code) {
    await page.goto(`${srv.base}/register-metrics?entity=petitions`);
    const c = page.locator(`[data-test="metric-${code}"] [data-test="metric-value"]`);
    await c.waitFor();
    return Number((await c.innerText()).trim());
}

test('信访: registered by the form, routed, extended and closed with its outcome by the buttons; the dashboard counts it', async () => {
    const o = await openPage(browser, { locale: 'zh-CN' });
    const k = await openPage(browser, { locale: 'zh-CN' });
    const summary = `浏览器信访${Date.now().toString().slice(-6)} 反映工资拖欠`;
    try {
        await signIn(o.page, srv.base, 'office');
        const before = { received: await card(o.page, 'received'), closed: await card(o.page, 'closed') };

        // 登记: the form from the declaration, the petitioner in the party row
        await o.page.goto(`${srv.base}/petitions`);
        await rows(o.page).first().waitFor();
        await o.page.locator('[data-test="entity-create"]').click();
        const form = o.page.locator('[data-test="form-petitions"]');
        await form.waitFor();
        const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
        await form.locator('[data-test="item-received_on"] input').fill(today);
        await form.locator('[data-test="item-received_on"] input').press('Enter');
        await choose(o.page, form.locator('[data-test="item-channel"]'), '走访');
        await choose(o.page, form.locator('[data-test="item-matter_type"]'), '劳动和社会保障');
        await form.locator('[data-test="item-summary"] textarea').fill(summary);
        await form.locator('[data-test="party-name-0"] input').fill('王建国');
        await form.locator('[data-test="party-phone-0"] input').fill('13912345678');
        const created = o.page.waitForResponse((r) => r.url().endsWith('/api/v1/petitions') && r.request().method() === 'POST');
        await form.locator('[data-test="form-save"]').click();
        const res = await created;
        assert.equal(res.status(), 201, await res.text());
        const id = (await res.json()).id;

        // 受理, then 转送 to 区司法局
        await o.page.goto(`${srv.base}/petitions/${id}`);
        const page = o.page.locator('[data-test="record-page"]');
        await page.locator('[data-test="record-state"]').filter({ hasText: '待受理' }).waitFor();
        await page.locator('[data-test="record-parties"]').getByText('王*国').waitFor(); // masked
        await takeAction(o.page, 'accept');
        await takeAction(o.page, 'route', async (dlg) => {
            await dlg.locator('[data-test="arg-unit_id"] .el-select__wrapper').first().click();
            await dlg.locator('[data-test="arg-unit_id"] input').first().fill('区司法局');
            await o.page.locator('.el-tree-node:visible .el-tree-node__label, .el-tree-node:visible span')
                .filter({ hasText: /区司法局$/ }).first().click();
            await choose(o.page, dlg.locator('[data-test="arg-route_mode"]'), '交办');
        });
        await page.locator('[data-test="record-state"]').filter({ hasText: '待签收' }).waitFor();

        // the bureau's clerk signs for it and asks for more time
        await signIn(k.page, srv.base, 'clerk1');
        await k.page.goto(`${srv.base}/petitions/${id}`);
        const kp = k.page.locator('[data-test="record-page"]');
        await kp.locator('[data-test="record-state"]').filter({ hasText: '待签收' }).waitFor();
        await takeAction(k.page, 'sign');
        await kp.locator('[data-test="record-state"]').filter({ hasText: '办理中' }).waitFor();
        const due = (x) => x.clocks.find((c) => c.code === 'handle').due_on;
        const signed = ok(await office.get(`/api/v1/petitions/${id}`));
        await takeAction(k.page, 'request_extension', async (dlg) => {
            await dlg.locator('textarea').first().fill('涉及多部门协调，申请延期三十日。');
        });

        // the office approves 30 days: the handling time limit moves by 30 日
        await o.page.goto(`${srv.base}/petitions/${id}`);
        await page.locator('[data-test="record-state"]').filter({ hasText: '办理中' }).waitFor();
        await takeAction(o.page, 'approve_extension');
        const extended = ok(await office.get(`/api/v1/petitions/${id}`));
        // 60 + 30 日 from the day signed for, the end rule applied once to the last day
        const handle = extended.clocks.find((c) => c.code === 'handle');
        const want = ok(await office.get(`/api/v1/calendar/compute?from=${handle.start_on}&days=90`));
        assert.equal(due(extended), want.date, 'the extension adds 30 日');
        assert.notEqual(due(extended), due(signed));
        assert.equal(extended.clocks.find((c) => c.code === 'handle').state, 'extended');
        await page.locator('[data-test="record-clocks"]').getByText(due(extended)).first().waitFor();

        // the clerk replies with the outcome; the office closes it
        await k.page.goto(`${srv.base}/petitions/${id}`);
        await kp.locator('[data-test="record-state"]').filter({ hasText: '办理中' }).waitFor();
        await takeAction(k.page, 'reply', async (dlg) => {
            await choose(k.page, dlg.locator('[data-test="arg-outcome"]'), '支持');
            await dlg.locator('textarea').first().fill('经协调，用人单位已同意支付拖欠工资。');
        });
        await kp.locator('[data-test="record-state"]').filter({ hasText: '已答复' }).waitFor();
        await o.page.goto(`${srv.base}/petitions/${id}`);
        await page.locator('[data-test="record-state"]').filter({ hasText: '已答复' }).waitFor();
        await takeAction(o.page, 'close');
        await page.locator('[data-test="record-state"]').filter({ hasText: '已办结' }).waitFor();
        // the timeline holds every step, newest the 办结
        const steps = ok(await office.get(`/api/v1/petitions/${id}/timeline`)).items.map((e) => e.action);
        assert.deepEqual(steps, ['create', 'accept', 'route', 'sign', 'request_extension', 'approve_extension', 'reply', 'close']);
        const timeline = page.locator('[data-test="record-timeline-card"]');
        for (const step of ['受理', '转送/交办', '签收', '延期申请', '批准延期', '答复', '办结'])
            await timeline.getByText(step, { exact: true }).first().waitFor();
        await o.page.screenshot({ path: join(SHOTS, 'petition-closed-zh.png'), fullPage: true });
        const closed = ok(await office.get(`/api/v1/petitions/${id}`));
        assert.equal(closed.status, 'closed');
        assert.equal(closed.outcome, 'support');

        // the dashboard: one more received, one more closed; the card opens a list holding it
        assert.equal(await card(o.page, 'received'), before.received + 1);
        assert.equal(await card(o.page, 'closed'), before.closed + 1);
        const list = o.page.waitForResponse((r) => r.url().includes('/api/v1/petitions?') && r.url().includes('metric=closed'));
        await o.page.locator('[data-test="metric-closed"]').click();
        const body = await (await list).json();
        assert.equal(body.total, before.closed + 1);
        await o.page.waitForURL((u) => u.pathname === '/petitions' && u.searchParams.get('metric') === 'closed');
        assert.deepEqual(o.problems, []);
        assert.deepEqual(k.problems, []);
    } finally {
        await o.ctx.close();
        await k.ctx.close();
    }
});
